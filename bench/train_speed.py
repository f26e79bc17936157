"""Training time on N sentences (default 20,000) resampled from data/labels/, with the bundled model's recipe.

Times the full fit that `framing train` saves (vectoriser, cue features, one calibrated logistic
regression per label including the 5-fold out-of-fold calibration and threshold search), not the
extra cross-validated evaluation. Median of --repeats runs.

    python bench/train_speed.py --n 20000 --repeats 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    from framing.registry import load_bundle
    from framing.train import fit_model, load_training_data

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=20_000)
    ap.add_argument("--repeats", type=int, default=3)
    a = ap.parse_args()
    df, cb = load_training_data([ROOT / "data" / "labels"], ROOT / "data" / "codebook.toml")
    big = df.sample(a.n, replace=True, random_state=0).reset_index(drop=True)
    big["article_id"] = [f"a{i // 12}" for i in range(len(big))]
    params = load_bundle(ROOT / "models").meta.get("params", {})
    params = {k: tuple(v) if isinstance(v, list) else v for k, v in params.items()}
    times = []
    for _ in range(a.repeats):
        t = time.perf_counter()
        fit_model(big, cb, params=params, evaluate=False)
        times.append(time.perf_counter() - t)
    print(json.dumps({"sentences": a.n, "params": params, "median_seconds": round(statistics.median(times), 2),
                      "runs": [round(x, 2) for x in times]}))


if __name__ == "__main__":
    main()
