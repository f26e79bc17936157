"""Draw a fresh sample of real news sentences for labelling by the codebook (samples r3 onwards).

Rows are drawn from the public datasets in ../shared/datasets (train and dev splits only, as they are
all that is there), never a row already in labels.csv or in another sample's draw file still being labelled
(bench/realnews/draw-r*.csv), with a fixed seed: random rows of each corpus,
plus rows whose wording suggests an official source (so `state_media` has enough positives to score) and
rows the dataset's own annotators marked as charged (PTC loaded language, BABE biased), so the charged
draw does not lean on this project's lexicon. Writes the keys, datasets and rows (no text) to OUT and,
for the annotators only, the texts to a file outside the repository.

    python bench/realnews/draw.py --sample r3 --out /tmp/r3-draw.csv --texts /tmp/r3-texts.csv
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
DATASETS = ROOT.parent / "shared" / "datasets"
OFFICIAL = re.compile(
    r"\b(?:ministry|ministers?|spokes(?:man|woman|person)|state (?:media|television|tv|radio|news agency)|news agency|"
    r"statement|press release|briefing|communiqu|government said|officials? said|kremlin|white house|pentagon|"
    r"state department|police said|xinhua|tass|kcna|interfax|prosecutors?)\b", re.I)
# By r23 the official-looking rows were used up (PolNeAR 17 left, PTC and Szeged news none): an official draw
# whose pool runs short first takes rows this wider wording finds (any government body, office holder or
# attribution lead), then the shortfall corpus, then plain random rows of it.
OFFICIAL_WIDE = re.compile(
    r"\b(?:department|agency|government|authorities|police|army|military|officials?|council|commission|"
    r"governor|mayor|president|prime minister|senator|congress|parliament|according to|tweeted|announced|"
    r"said in|told reporters|told the)\b", re.IGNORECASE)

# (name, dataset file, how many, row filter)
DRAWS = [
    ("pol", "polnear/polnear_sentences.csv", 90, None),
    ("pol-official", "polnear/polnear_sentences.csv", 20, "official"),
    ("ptc", "ptc/ptc_sentences.csv", 65, None),
    ("ptc-official", "ptc/ptc_sentences.csv", 20, "official"),
    ("ptc-charged", "ptc/ptc_sentences.csv", 25, ("loaded_language", 1)),
    ("sz", "szeged_uncertainty/szeged_uncertainty_sentences.csv", 80, None),
    ("sz-official", "szeged_uncertainty/szeged_uncertainty_sentences.csv", 35, "official"),
    ("babe", "babe/babe_sg2.csv", 50, None),
    ("babe-charged", "babe/babe_sg2.csv", 15, ("label", 1)),
]


# where an official-looking draw whose corpus has run dry takes its shortfall from (and, from r32 on, a random draw
# whose corpus has run dry: Szeged news had 58 unused news rows left after r31)
SHORTFALL = ("pol-official", "polnear/polnear_sentences.csv")


def draw(sample: str, seed: int) -> pd.DataFrame:
    used = pd.read_csv(ROOT / "bench" / "realnews" / "labels.csv", keep_default_na=False)
    taken = set(zip(used["dataset"], used["row"]))
    # a sample drawn but not yet merged into labels.csv (two samples out for labelling at once) is taken too
    for other in sorted((ROOT / "bench" / "realnews").glob("draw-r*.csv")):
        if other.stem != f"draw-{sample}":
            d = pd.read_csv(other, keep_default_na=False)
            taken |= set(zip(d["dataset"], d["row"].astype(int)))
    rng = np.random.default_rng(seed)
    rows = []
    frames = {}
    queue = list(DRAWS)
    for name, file, n, filt in queue:  # a shortfall appends to the queue while it runs
        if file not in frames:
            frames[file] = pd.read_csv(DATASETS / file, keep_default_na=False)
        df = frames[file]
        ok = df["text"].str.len().between(25, 400) & ~pd.Series([(file, i) in taken for i in range(len(df))], index=df.index)
        if file.startswith("szeged"):  # the news domain only
            ok &= df["domain"].eq("news")
        texts = df["text"].tolist()
        if filt in ("official", "official-wide"):
            rx = OFFICIAL if filt == "official" else OFFICIAL_WIDE
            ok &= pd.Series([bool(rx.search(t)) for t in texts], index=df.index)
        elif filt:
            ok &= pd.to_numeric(df[filt[0]], errors="coerce").eq(filt[1])
        pool = np.flatnonzero(ok.to_numpy())
        if len(pool) < n:  # Szeged news has only ~180 official-looking rows; r1-r5 took them all
            short = n - len(pool)
            if filt is None and file == SHORTFALL[1]:  # the shortfall corpus itself has run dry
                raise SystemExit(f"{file}: only {len(pool)} unused rows for {name}; draw fewer or add a corpus to DRAWS")
            if filt == "official":  # the wider wording in the same corpus first
                nxt = (f"{name}-wide", file, short, "official-wide")
            elif filt is None or (filt == "official-wide" and file == SHORTFALL[1]):
                # a random draw run dry (Szeged news, by r32), or the shortfall corpus's wider draw: its random rows
                nxt = (f"{SHORTFALL[0].split('-')[0]}-random", SHORTFALL[1], short, None)
            else:  # a charged draw, or another corpus's wider draw, run dry: the shortfall corpus's official rows
                nxt = (SHORTFALL[0], SHORTFALL[1], short, "official")
            print(f"{name}: only {len(pool)} rows left; {short} drawn as {nxt[0]} instead")
            queue.append(nxt)
            n = len(pool)
        for r in rng.choice(pool, size=n, replace=False):
            taken.add((file, int(r)))
            rows.append({"dataset": file, "row": int(r), "drawn_as": name, "text": df["text"].iloc[r]})
    out = pd.DataFrame(rows).sample(frac=1, random_state=seed).reset_index(drop=True)
    out.insert(0, "key", [f"{sample}-{i:03d}" for i in range(len(out))])
    out.insert(1, "sample", sample)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sample", default="r3")
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--texts", type=Path, required=True, help="keys and texts for the annotators (keep outside the repo)")
    a = ap.parse_args()
    df = draw(a.sample, a.seed)
    df.drop(columns="text").to_csv(a.out, index=False)
    df[["key", "text"]].to_csv(a.texts, index=False)
    print(df["drawn_as"].value_counts().to_string())


if __name__ == "__main__":
    main()
