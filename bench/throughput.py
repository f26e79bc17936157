"""End-to-end scoring throughput and peak memory of `framing score` (input read to outputs written).

For each corpus size and worker count, runs the real command in a subprocess with the bundled model,
samples the resident memory of the whole process tree (parent + workers) every 50 ms, and reports
sentences per second (all sentences written, boilerplate included) and peak RSS. Each configuration
runs --repeats times; the median is reported.

    python bench/throughput.py --sizes 10000 100000 1000000 --workers 1 2 --repeats 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from make_corpus import make_corpus  # noqa: E402


def tree_rss(proc: psutil.Process) -> int:
    total = 0
    for p in [proc] + proc.children(recursive=True):
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def run_once(corpus: Path, out: Path, workers: int, batch_size: int) -> dict:
    cmd = [sys.executable, "-m", "framing", "score", str(corpus), "--out", str(out), "--model", str(ROOT / "models"),
           "--workers", str(workers), "--batch-size", str(batch_size), "--overwrite", "--quiet"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    ps = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss(ps))
        time.sleep(0.05)
    seconds = time.perf_counter() - t0
    err = proc.stderr.read()
    if proc.returncode != 0:
        raise SystemExit(f"framing score failed ({proc.returncode}): {err}")
    manifest = json.loads((out / "manifest.json").read_text())
    n = manifest["counts"]["sentences"]
    return {"seconds": seconds, "sentences": n, "articles": manifest["counts"]["articles"],
            "sentences_per_s": n / seconds, "peak_rss_mb": peak / 2**20}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=200)
    ap.add_argument("--work", type=Path, default=ROOT / "build" / "bench")
    ap.add_argument("--json", type=Path, default=ROOT / "bench" / "throughput.json")
    a = ap.parse_args()
    rows = []
    for size in a.sizes:
        corpus = a.work / f"corpus-{size}.jsonl"
        if not corpus.exists():
            make_corpus(size, corpus)
        for w in a.workers:
            runs = [run_once(corpus, a.work / f"out-{size}-{w}", w, a.batch_size) for _ in range(a.repeats)]
            row = {"body_sentences": size, "workers": w, "articles": runs[0]["articles"], "sentences": runs[0]["sentences"],
                   "median_seconds": statistics.median(r["seconds"] for r in runs),
                   "median_sentences_per_s": statistics.median(r["sentences_per_s"] for r in runs),
                   "median_peak_rss_mb": statistics.median(r["peak_rss_mb"] for r in runs), "repeats": a.repeats}
            rows.append(row)
            print(json.dumps(row), flush=True)
    a.json.write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
