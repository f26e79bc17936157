"""Real news, labelled by the codebook: the bundled model scored on sentences from public news corpora.

The sentences come from the public datasets in ../shared/datasets (PolNeAR, Szeged news, PTC, BABE);
their text is not in this repository: `bench/realnews/labels.csv` holds only the dataset file, the row
and the project's own labels, and this script reads the text from the dataset at run time. Each sentence
was labelled twice, blind and independently, against the codebook (annotators a and b; samples r1–r82,
32,794 sentences; the table in bench/realnews/README.md); a label is scored only where both agree. Nothing is trained on these sentences (see bench/realnews/README.md).

`dev` rows (even keys) were read while deciding what to change; `test` rows (odd keys) were not
read, only scored: quote the test numbers.

    python bench/realnews.py [--model models] [--json bench/realnews.json] [--sample r6 r7] [--by-basis] [--dates]

`--dates` scores as `framing score` does articles with a publication date: PolNeAR's sentences carry their
article's date (the other corpora none), and a head of state named without a title who held no office that year
does not make a `state_media` flag (the annotators saw the sentence alone, without its date).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DATASETS = ROOT.parent / "shared" / "datasets"
LABELS = ROOT / "bench" / "realnews" / "labels.csv"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from transfer import prf  # precision, recall, F1, support of boolean arrays


def load_sentences(datasets: Path = DATASETS) -> pd.DataFrame:
    """The labelled rows with their text, read from the public datasets (by file and row)."""
    df = pd.read_csv(LABELS, keep_default_na=False)
    texts, dates = {}, {}
    for name in df["dataset"].unique():
        cols = pd.read_csv(datasets / name, nrows=0).columns
        t = pd.read_csv(datasets / name, keep_default_na=False,
                        usecols=["text"] + (["publication_date"] if "publication_date" in cols else []))
        texts[name] = t["text"]
        dates[name] = t["publication_date"].astype(str) if "publication_date" in t else None
    df["text"] = [texts[d].iloc[r] for d, r in zip(df["dataset"], df["row"])]
    df["published"] = ["" if dates[d] is None else dates[d].iloc[r] for d, r in zip(df["dataset"], df["row"])]
    return df


def predict(df: pd.DataFrame, model, names, dates: bool = False) -> np.ndarray:
    """The model's flags; with ``dates``, as `framing score` reads sentences of dated articles (a head of state
    named without a title who held no office in the article's year makes no ``state_media`` flag)."""
    if not dates:
        return model.predict(df["text"].tolist()).astype(bool)
    from framing.cues import batch_quote_spans
    from framing.score import _rescore_out_of_office, article_year

    texts = df["text"].tolist()
    quotes = batch_quote_spans(texts)
    proba, flags, evidence = model.score_batch(texts, explain=False, quotes=quotes)
    proba, flags = np.array(proba), np.array(flags)
    years = [article_year(p) for p in df["published"]]
    _rescore_out_of_office(model, list(names), texts, quotes, years, proba, flags, evidence, False)
    return flags.astype(bool)


def evaluate(df: pd.DataFrame, model, dates: bool = False) -> dict:
    pred = predict(df, model, model.labels_, dates)
    out = {}
    for split, mask in (("test", df["split"].eq("test")), ("dev", df["split"].eq("dev")), ("all", pd.Series(True, index=df.index))):
        labels = {}
        for j, name in enumerate(model.labels_):
            if f"{name}_a" not in df:
                continue
            agree = mask & df[f"{name}_a"].eq(df[f"{name}_b"])
            labels[name] = prf(df.loc[agree, f"{name}_a"].to_numpy().astype(bool), pred[agree.to_numpy(), j])
        out[split] = {"labels": labels, "macro_f1": round(float(np.mean([v["f1"] for v in labels.values()])), 3)}
    return out


def precision_by_basis(df: pd.DataFrame, model) -> dict:
    """Precision of each label's flags by what their evidence rests on (``framing.profile.evidence_basis``:
    a listed cue, or word patterns only), over the sentences both annotators agree on."""
    from framing.profile import evidence_basis

    _, flags, evidence = model.score_batch(df["text"].tolist())  # flags and their evidence in one pass
    pred = flags.astype(bool)
    out = {}
    for j, name in enumerate(model.labels_):
        if f"{name}_a" not in df:
            continue
        agree = df[f"{name}_a"].eq(df[f"{name}_b"]).to_numpy()
        y = df[f"{name}_a"].to_numpy().astype(bool)
        basis = np.array([evidence_basis(e.get("cue") for e in ev if e.get("label") == name) for ev in evidence])
        out[name] = {}
        for kind in ("cue", "words"):
            hit = pred[:, j] & agree & (basis == kind)
            n = int(hit.sum())
            out[name][kind] = {"flags": n, "precision": round(float((hit & y).sum() / n), 3) if n else None}
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=str(ROOT / "models"))
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--sample", nargs="+", default=None, help="score only these samples (r1 … r7); default: all")
    ap.add_argument("--by-basis", action="store_true",
                    help="also the precision of flags whose evidence holds a cue against those on word patterns only")
    ap.add_argument("--dates", action="store_true",
                    help="score PolNeAR's sentences with their article's publication date, as framing score does")
    args = ap.parse_args()
    if not DATASETS.is_dir():
        print(f"skipped: {DATASETS} is absent (the sentences' text is read from the public datasets)")
        return 0
    from framing.registry import load_bundle

    bundle = load_bundle(args.model)
    df = load_sentences()
    if args.sample:
        df = df[df["sample"].isin(args.sample)].reset_index(drop=True)
    res = evaluate(df, bundle.model, dates=args.dates)
    res["model"] = bundle.meta.get("version") or str(args.model)
    res["dates"] = bool(args.dates)
    res["samples"] = sorted(df["sample"].unique().tolist())
    for split in ("test", "dev", "all"):
        r = res[split]
        print(f"{split}: macro-F1 {r['macro_f1']:.3f}")
        for name, v in r["labels"].items():
            print(f"  {name:16s} P {v['precision']:.3f} R {v['recall']:.3f} F1 {v['f1']:.3f}  support {v['support']:3d} / {v['n']}")
    if args.by_basis:
        res["precision_by_basis"] = precision_by_basis(df, bundle.model)
        print("precision of flags by evidence basis (all sentences both annotators agree on):")
        for name, v in res["precision_by_basis"].items():
            print("  " + f"{name:16s} " + "; ".join(
                f"{k}: {b['flags']} flags, precision {b['precision'] if b['precision'] is not None else '-'}" for k, b in v.items()))
    if args.json:
        args.json.write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
