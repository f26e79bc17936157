"""Inter-annotator agreement: per-label Cohen's kappa between two label files over the same texts.

    python data/tools/agreement.py data/agreement/pass2.csv     # second pass vs data/labels/
Prints kappa, observed agreement and the disagreements (as CSV to --disagreements).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd
from sklearn.metrics import cohen_kappa_score

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from framing.codebook import load_codebook  # noqa: E402
from framing.labels import parse_labels, read_labels  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("second", type=Path, help="CSV with text,labels from the second annotator")
    ap.add_argument("--first", type=Path, default=ROOT / "data" / "labels")
    ap.add_argument("--disagreements", type=Path, default=None)
    a = ap.parse_args()
    cb = load_codebook(ROOT / "data" / "codebook.toml")
    first = read_labels([a.first], cb).drop_duplicates("text").set_index("text")
    second = pd.read_csv(a.second, keep_default_na=False)
    second["labels2"] = second["labels"].map(parse_labels)
    second = second[second["text"].isin(first.index)]
    rows, dis = [], []
    for lab in cb.names:
        y1 = second["text"].map(lambda t: int(lab in first.loc[t, "labels"]))
        y2 = second["labels2"].map(lambda ls: int(lab in ls))
        rows.append({"label": lab, "n": len(second), "first_pos": int(y1.sum()), "second_pos": int(y2.sum()),
                     "agreement": round(float((y1 == y2).mean()), 3), "kappa": round(float(cohen_kappa_score(y1, y2)), 3)})
        for t, v1, v2 in zip(second["text"], y1, y2):
            if v1 != v2:
                dis.append({"text": t, "label": lab, "first": v1, "second": v2})
    print(pd.DataFrame(rows).to_string(index=False))
    if a.disagreements:
        pd.DataFrame(dis).to_csv(a.disagreements, index=False)
        print(f"{len(dis)} disagreements written to {a.disagreements}")


if __name__ == "__main__":
    main()
