"""Build a synthetic benchmark corpus of articles from the project's labelled sentences.

Articles have varied lengths (4 to 60 sentences, long-tailed), paragraphs, titles and 12 sources;
the same seed gives the same corpus. Sentences are sampled with replacement from data/labels/.

    python bench/make_corpus.py --sentences 100000 --out build/bench/corpus-100k.jsonl
"""

from __future__ import annotations

import argparse
import glob
import json
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]


def labelled_texts() -> np.ndarray:
    """Every sentence of the label files in data/labels/, in file order."""
    files = sorted(glob.glob(str(ROOT / "data" / "labels" / "*.csv")))
    return pd.concat([pd.read_csv(f, keep_default_na=False, usecols=["text"]) for f in files])["text"].to_numpy()


def make_corpus(n_sentences: int, out: Path, seed: int = 0) -> dict:
    pool = labelled_texts()
    rng = np.random.default_rng(seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    written = articles = 0
    with open(tmp, "w", encoding="utf-8") as fh:
        while written < n_sentences:
            k = int(min(max(rng.lognormal(mean=2.7, sigma=0.6), 4), 60))
            k = min(k, n_sentences - written)
            sents = pool[rng.integers(0, len(pool), size=k)]
            paras, i = [], 0
            while i < k:
                step = int(rng.integers(1, 5))
                paras.append(" ".join(sents[i:i + step]))
                i += step
            text = f"{sents[0][:80]}\n\n" + "\n\n".join(paras)
            fh.write(json.dumps({"id": f"b{articles:07d}", "source": f"outlet{articles % 12:02d}",
                                 "title": sents[0][:80], "published": "2024-01-01", "text": text}) + "\n")
            written += k
            articles += 1
    tmp.replace(out)
    return {"articles": articles, "body_sentences": written, "path": str(out)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sentences", dest="n_sentences", type=int, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=0)
    print(json.dumps(make_corpus(**vars(ap.parse_args()))))


if __name__ == "__main__":
    main()
