"""Merge two blind labelling passes of a real-news sample into rows of ``labels.csv``, with Cohen's kappa per label.

Each pass is two answer files of the annotators' brief (``BRIEF.md``): ``out-p1-h1.csv``, ``out-p1-h2.csv`` (annotator
a) and ``out-p2-h1.csv``, ``out-p2-h2.csv`` (annotator b) in WORKDIR, each ``key,state_media,loaded_language,hedging,
editorializing`` with one 0/1 row per key of ``in-h1.csv`` / ``in-h2.csv``, in order. Even keys of the draw go to the
``dev`` split, odd keys to ``test``.

    python bench/realnews/merge.py --draw bench/realnews/draw-r69.csv --workdir /tmp/q/r69 --out /tmp/q/r69/merged.csv
    tail -n +2 /tmp/q/r69/merged.csv >> bench/realnews/labels.csv

A missing, reordered or non-0/1 answer stops with a message naming the file, the row and the fix.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from sklearn.metrics import cohen_kappa_score

LABELS = ("state_media", "loaded_language", "hedging", "editorializing")
PASSES = ("p1", "p2")  # annotators a and b
PARTS = ("h1", "h2")


def _read(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise SystemExit(f"{path}: not found; each pass needs out-p1-h1.csv ... out-p2-h2.csv (see BRIEF.md)")
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def read_pass(workdir: Path, pas: str) -> dict[str, dict[str, int]]:
    """Key -> label -> 0/1 for one pass, checked against the input halves (every key once, in order, 0/1 only)."""
    out: dict[str, dict[str, int]] = {}
    for part in PARTS:
        keys = [r["key"] for r in _read(workdir / f"in-{part}.csv")]
        path = workdir / f"out-{pas}-{part}.csv"
        rows = _read(path)
        got = [r.get("key", "") for r in rows]
        if got != keys:
            bad = next((i for i, (a, b) in enumerate(zip(got, keys)) if a != b), min(len(got), len(keys)))
            raise SystemExit(f"{path}: row {bad + 2}: keys differ from in-{part}.csv ({len(got)} rows against "
                             f"{len(keys)}); answer every key once, in the input's order")
        for i, r in enumerate(rows):
            vals = {lab: r.get(lab, "") for lab in LABELS}
            if any(v not in ("0", "1") for v in vals.values()):
                raise SystemExit(f"{path}: row {i + 2} ({r['key']}): labels must be 0 or 1, got {vals}")
            out[r["key"]] = {lab: int(v) for lab, v in vals.items()}
    return out


def merge(draw: Path, workdir: Path) -> tuple[list[list[str]], dict[str, float]]:
    """Rows for labels.csv (header first) and each label's kappa between the two passes."""
    with open(draw, newline="", encoding="utf-8") as f:
        drawn = list(csv.DictReader(f))
    a, b = (read_pass(workdir, p) for p in PASSES)
    missing = [r["key"] for r in drawn if r["key"] not in a or r["key"] not in b]
    if missing:
        raise SystemExit(f"{draw}: {len(missing)} drawn keys have no answer in both passes (first: {missing[0]}); "
                         "split the draw's texts into in-h1.csv and in-h2.csv")
    rows = [["key", "sample", "dataset", "row", "drawn_as", *(f"{lab}_{x}" for lab in LABELS for x in "ab"), "split"]]
    for i, r in enumerate(drawn):
        rows.append([r["key"], r["sample"], r["dataset"], r["row"], r["drawn_as"],
                     *(str(p[r["key"]][lab]) for lab in LABELS for p in (a, b)), "dev" if i % 2 == 0 else "test"])
    kappa = {lab: float(cohen_kappa_score([a[r["key"]][lab] for r in drawn], [b[r["key"]][lab] for r in drawn]))
             for lab in LABELS}
    return rows, kappa


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--draw", type=Path, required=True, help="the sample's draw-rN.csv")
    ap.add_argument("--workdir", type=Path, required=True, help="folder with in-h*.csv and the four out-p*-h*.csv")
    ap.add_argument("--out", type=Path, required=True, help="merged CSV to write (labels.csv's columns)")
    args = ap.parse_args(argv)
    rows, kappa = merge(args.draw, args.workdir)
    tmp = args.out.with_suffix(args.out.suffix + ".tmp")
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    tmp.replace(args.out)
    print(f"{len(rows) - 1} rows written to {args.out}")
    print("kappa " + " / ".join(f"{lab} {k:.2f}" for lab, k in kappa.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
