"""Transfer check: the bundled model (trained only on data/labels/) scored on real news from public datasets.

The public labels are close to, not the same as, the codebook's, so these numbers are a proxy for how
the model generalises to real text it never saw, not a target. Nothing is trained on these datasets.

| ours | public proxy | rows used |
|---|---|---|
| hedging | Szeged `hedged` (news domain: FactBank/news sentences) | all news rows, train and dev |
| loaded_language | PTC `loaded_language` (sentence has a loaded-language span) | all rows |
| loaded_language | BABE `label` (biased sentence) | all rows |
| state_media | PolNeAR `has_source` restricted to rows whose source span names a state outlet or ministry: too few to be useful, so not reported |

It also prints how often each label fires on Szeged's news sentences and on PolNeAR (flag rates): most
of that copy is neutral reporting, so high rates of loaded language or editorializing are false alarms.

    python bench/transfer.py [--model models]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DATASETS = ROOT.parent / "shared" / "datasets"
sys.path.insert(0, str(ROOT))


def prf(y, p):
    tp = int((y & p).sum()); fp = int((~y & p).sum()); fn = int((y & ~p).sum())
    pr = tp / (tp + fp) if tp + fp else 0.0
    rc = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": round(pr, 3), "recall": round(rc, 3), "f1": round(2 * pr * rc / (pr + rc) if pr + rc else 0.0, 3),
            "support": int(y.sum()), "n": len(y)}


def main() -> int:
    from framing.registry import load_bundle

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=str(ROOT / "models"))
    ap.add_argument("--json", type=Path, default=None)
    a = ap.parse_args()
    if not DATASETS.is_dir():
        print(f"skipped: {DATASETS} not found", file=sys.stderr)
        return 0
    b = load_bundle(a.model)
    names = b.codebook.names
    out = {}
    sz = pd.read_csv(DATASETS / "szeged_uncertainty/szeged_uncertainty_sentences.csv")
    sz = sz[(sz["domain"] == "news") & sz["text"].notna()]
    ptc = pd.read_csv(DATASETS / "ptc/ptc_sentences.csv")
    ptc = ptc[ptc["text"].notna()]
    babe = pd.read_csv(DATASETS / "babe/babe_sg2.csv")
    babe = babe[babe["text"].notna() & babe["label"].notna()]
    for key, df, ours, col in (("szeged_news_hedged", sz, "hedging", "hedged"),
                               ("ptc_loaded_language", ptc, "loaded_language", "loaded_language"),
                               ("babe_biased", babe, "loaded_language", "label")):
        pred = b.model.predict(df["text"].astype(str).tolist())[:, names.index(ours)].astype(bool)
        out[key] = {"ours": ours, **prf(df[col].astype(int).to_numpy().astype(bool), pred)}
        print(key, json.dumps(out[key]))
    # How often each label fires on ordinary real news: Szeged's news sentences (1990s wire and business
    # copy) and PolNeAR (2016 US election coverage by seven publishers). Most of these sentences are
    # neutral reporting, so a high rate for loaded_language or editorializing means false alarms.
    pol = pd.read_csv(DATASETS / "polnear/polnear_sentences.csv")
    pol = pol[pol["text"].notna()]
    rates = {}
    for key, df in (("szeged_news", sz), ("polnear", pol)):
        flags = b.model.predict(df["text"].astype(str).tolist())
        rates[key] = {"n": len(df), **{n: round(float(flags[:, j].mean()), 4) for j, n in enumerate(names)}}
        print("flag rate", key, json.dumps(rates[key]))
    out["flag_rates"] = rates
    out["model"] = b.version
    if a.json:
        a.json.write_text(json.dumps(out, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
