"""In-process scoring time of the bundled model on the real-news sentences, for comparing two checkouts.

    python bench/inprocess_speed.py CHECKOUT [CHECKOUT ...] [--repeats 3]

Each CHECKOUT is a directory holding a framing checkout with its ``models/`` folder (for example a
``git worktree`` of an earlier commit). Runs alternate between checkouts, each in a fresh subprocess
(so each imports its own code), score the sentences of ``bench/realnews/labels.csv`` (32,794 since r82) with
``predict_proba`` after a 2,000-sentence warm-up, and the script prints every run and the median per
checkout. Needs ``../shared/datasets`` for the sentences' text; the end-to-end figures are
``bench/throughput.py``'s.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys

_RUN = r"""
import sys, time
root = sys.argv[1]
sys.path.insert(0, root)
sys.path.insert(0, root + "/bench")
import realnews
from framing.registry import load_bundle
texts = realnews.load_sentences().text.tolist()
model = load_bundle(root + "/models", light=True).model
model.predict_proba(texts[:2000])
t = time.perf_counter()
model.predict_proba(texts)
print(f"{time.perf_counter() - t:.3f} {len(texts)}")
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("checkouts", nargs="+")
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args(argv)
    times: dict[str, list[float]] = {c: [] for c in args.checkouts}
    for i in range(args.repeats):
        for c in args.checkouts:
            out = subprocess.run([sys.executable, "-W", "ignore", "-c", _RUN, c], capture_output=True, text=True, check=True)
            seconds, n = out.stdout.split()
            times[c].append(float(seconds))
            print(f"run {i + 1}  {c}: {float(seconds):.2f} s for {n} sentences")
    for c, t in times.items():
        print(f"median  {c}: {statistics.median(t):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
