"""Public benchmarks: train this pipeline on a public dataset's train split, score its dev split.

Uses the real commands (`framing train FILE --label-columns ... --out DIR --tune`: C with or without
naive-Bayes scaling, then whether character n-grams pay, chosen by grouped cross-validation on the train split; then
`framing evaluate DEV --model DIR --label-columns ... --format json`) on throw-away models under
build/bench/public/. Nothing here touches the shipped model or copies dataset text into the repo.
Skips (exit 0, with a message) when ../shared/datasets is absent.

    python bench/public.py                 # all datasets
    python bench/public.py --only szeged   # one
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DATASETS = ROOT.parent / "shared" / "datasets"

# name: (csv, label column, group column, row filter, published reference)
CONFIGS = {
    "ptc_propaganda_any": ("ptc/ptc_sentences.csv", "propaganda_any", "article_id", None,
                           "NLP4IF-2019 SLC best test F1 0.6323 (BERT)"),
    "ptc_loaded_language": ("ptc/ptc_sentences.csv", "loaded_language", "article_id", None,
                            "SemEval-2020 best Loaded_Language F1 0.771 (span level, not comparable)"),
    "szeged_hedged_strict": ("szeged_uncertainty/szeged_uncertainty_sentences.csv", "hedged_strict", "doc_id",
                             ("domain", ["news", "wikipedia"]), "CoNLL-2010 Wikipedia best F1 60.2"),
    "babe_label": ("babe/babe_sg2.csv", "label", None, None, "RoBERTa 0.804 macro-F1 (5-fold CV), later ~0.84"),
    "polnear_has_source": ("polnear/polnear_sentences.csv", "has_source", "article", None,
                           "PARC 3.0 source spans ~0.82 F1 (span level, not comparable)"),
}


def _framing(*args: str) -> tuple[int, str, str]:
    from framing.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def run(name: str, work: Path) -> dict:
    rel, label, group, filt, reference = CONFIGS[name]
    df = pd.read_csv(DATASETS / rel)
    if filt:
        df = df[df[filt[0]].isin(filt[1])]
    df = df[df["text"].notna() & df[label].notna()].copy()
    df[label] = df[label].astype(int)
    df["article_id"] = df[group].astype(str) if group else ""
    df["origin"] = f"public:{name}"
    work.mkdir(parents=True, exist_ok=True)
    paths = {}
    for split in ("train", "dev"):
        p = work / f"{name}-{split}.csv"
        df[df["split"] == split][["text", label, "article_id", "origin"]].to_csv(p, index=False)
        paths[split] = p
    model = work / f"{name}-model"
    t = time.perf_counter()
    code, out, err = _framing("train", str(paths["train"]), "--label-columns", label, "--out", str(model), "--overwrite", "--no-eval",
                              "--tune")  # C and character n-grams chosen by grouped CV on the train split only
    train_s = time.perf_counter() - t
    if code:
        raise SystemExit(f"{name}: train failed: {err}")
    code, out, err = _framing("evaluate", str(paths["dev"]), "--model", str(model), "--label-columns", label, "--format", "json")
    if code:
        raise SystemExit(f"{name}: evaluate failed: {err}")
    m = json.loads(out)["labels"][label]
    n_train = int((df["split"] == "train").sum())
    return {"benchmark": name, "label": label, "train_rows": n_train, "dev_rows": int((df["split"] == "dev").sum()),
            "precision": m["precision"], "recall": m["recall"], "f1": m["f1"], "train_seconds": round(train_s, 1),
            "C": json.loads((model / "model.json").read_text())["params"]["C"],
            "char_ngrams": json.loads((model / "model.json").read_text())["params"].get("char_ngrams"),
            "nb_scale": bool(json.loads((model / "model.json").read_text())["params"].get("nb_scale")),
            "reference": reference}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", nargs="*", default=None, help="benchmark name prefixes")
    ap.add_argument("--work", type=Path, default=ROOT / "build" / "bench" / "public")
    ap.add_argument("--json", type=Path, default=ROOT / "bench" / "public.json")
    a = ap.parse_args()
    if not DATASETS.is_dir():
        print(f"skipped: {DATASETS} not found (the public datasets live in ../shared/datasets)", file=sys.stderr)
        return 0
    names = [n for n in CONFIGS if not a.only or any(n.startswith(o) for o in a.only)]
    rows = []
    for n in names:
        row = run(n, a.work)
        rows.append(row)
        print(json.dumps(row), flush=True)
    a.json.write_text(json.dumps(rows, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
