"""Print the counts tables of the data card (data/README.md) from the label files.

    python data/tools/datacard.py            # Markdown tables to stdout
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from framing.codebook import load_codebook  # noqa: E402
from framing.labels import read_labels  # noqa: E402


def md(df: pd.DataFrame) -> str:
    cols = list(df.columns)
    lines = ["| " + " | ".join(map(str, cols)) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join(lines)


def main() -> None:
    cb = load_codebook(ROOT / "data" / "codebook.toml")
    df = read_labels([ROOT / "data" / "labels"], cb)
    df["kind"] = df["origin"].str.split(":").str[0]
    n = len(df)
    print(f"**{n:,} sentences** in {df['article_id'].nunique():,} articles or stories; "
          f"{(df['labels'].str.len() == 0).mean():.0%} carry no label; "
          f"{(df['labels'].str.len() > 1).sum():,} carry two or more.\n")
    rows = []
    for lab in cb.names:
        pos = df["labels"].map(lambda ls: lab in ls)
        hn = df["note"].str.contains(rf"HN {lab.split('_')[0]}", case=False, regex=True)
        rows.append({"label": f"`{lab}`", "positives": int(pos.sum()), "share": f"{pos.mean():.1%}",
                     "hard negatives (noted)": int((hn & ~pos).sum()),
                     "seed positives": int((pos & (df["kind"] == "seed")).sum())})
    print(md(pd.DataFrame(rows)) + "\n")
    for col, title in (("origin", "origin"), ("topic", "topic"), ("outlet_type", "outlet type")):
        key = df["kind"] if col == "origin" else df[col].replace("", "(none)")
        t = key.value_counts().rename_axis(title).reset_index(name="sentences")
        for lab in cb.names:
            t[lab] = [int(df.loc[key == v, "labels"].map(lambda ls: lab in ls).sum()) for v in t[title]]
        print(md(t) + "\n")


if __name__ == "__main__":
    main()
