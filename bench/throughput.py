"""End-to-end scoring throughput and peak memory of `framing score` (input read to outputs written).

For each corpus size and worker count, runs the real command in a subprocess with the bundled model,
samples the resident memory of the whole process tree (parent + workers) every 50 ms, and reports
sentences per second (all sentences written, boilerplate included), peak RSS (sum over processes) and
peak PSS (shared pages counted once), and the start-up cost measured on a tiny corpus (60 articles of
two labelled sentences: three batches, so every worker starts, loads the model and runs the cue and
evidence code once). Each configuration runs --repeats times; the median is reported. With two sizes or
more, a linearity line per worker count: the time per added sentence between consecutive sizes
((seconds_b - seconds_a) / (sentences_b - sentences_a), no start-up estimate needed) against the last
step's; the least-squares line seconds = fixed + per_sentence * sentences through the medians and each
size's residual from it; and each size's marginal time per sentence ((seconds - start-up) / sentences)
against the largest size's, which also charges the small sizes with the fixed costs the tiny corpus does
not pay (the tail batches' part files, the parent's share of the two cores).

    python bench/throughput.py --sizes 10000 100000 1000000 --workers 1 2 --repeats 3
    python bench/throughput.py --sizes 1000000 --workers 2 --repeats 1 --layout file parts

--layout runs each configuration with `framing score --layout file` (one file per table, the default:
the committed batches are appended to the tables as they commit) and/or `--layout parts` (a folder of part files per table).
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
from make_corpus import labelled_texts, make_corpus


def _labelled_sentences() -> list[str]:
    """120 labelled sentences (a fixed sample) for the tiny corpus."""
    import numpy as np

    texts = labelled_texts()
    return [str(t) for t in texts[np.random.default_rng(0).choice(len(texts), size=120, replace=False)]]


def tree_rss(proc: psutil.Process) -> int:
    total = 0
    for p in [proc] + proc.children(recursive=True):
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def tree_pss(proc: psutil.Process) -> int:
    """Proportional set size of the tree: pages shared between processes (the fork server's imports and
    the model, inherited by the workers) counted once, not once per process as RSS sums do."""
    total = 0
    for p in [proc] + proc.children(recursive=True):
        try:
            total += p.memory_full_info().pss
        except (psutil.Error, AttributeError):
            pass
    return total


def run_once(corpus: Path, out: Path, workers: int, batch_size: int, pss_every: float = 1.0, layout: str = "file") -> dict:
    """One run. RSS (cheap: /proc/PID/statm) is sampled every 0.1 s; PSS needs the kernel to walk every
    mapping (/proc/PID/smaps_rollup) and psutil to parse it, which on this 2-core machine took a large
    share of a core when done every 0.1 s for the 4-5 processes of a 2-worker run, so it is sampled every
    ``pss_every`` seconds (memory is flat once the first batches are in flight)."""
    cmd = [sys.executable, "-m", "framing", "score", str(corpus), "--out", str(out), "--model", str(ROOT / "models"),
           "--workers", str(workers), "--batch-size", str(batch_size), "--overwrite", "--quiet", "--layout", layout]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    ps = psutil.Process(proc.pid)
    peak = peak_pss = 0
    next_pss = t0 + 0.5
    while proc.poll() is None:
        peak = max(peak, tree_rss(ps))
        if time.perf_counter() >= next_pss:
            peak_pss = max(peak_pss, tree_pss(ps))
            next_pss = time.perf_counter() + pss_every
        time.sleep(0.1)
    seconds = time.perf_counter() - t0
    err = proc.stderr.read()
    if proc.returncode != 0:
        raise SystemExit(f"framing score failed ({proc.returncode}): {err}")
    manifest = json.loads((out / "manifest.json").read_text())
    n = manifest["counts"]["sentences"]
    return {"seconds": seconds, "sentences": n, "articles": manifest["counts"]["articles"],
            "sentences_per_s": n / seconds, "peak_rss_mb": peak / 2**20, "peak_pss_mb": peak_pss / 2**20}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=200)
    ap.add_argument("--layout", nargs="+", default=["file"], choices=["file", "parts"])
    ap.add_argument("--work", type=Path, default=ROOT / "build" / "bench")
    ap.add_argument("--json", type=Path, default=ROOT / "bench" / "throughput.json")
    a = ap.parse_args()
    rows = []
    # start-up cost (imports, model load, cue matcher, worker start) from a tiny corpus that every worker
    # takes part in: the marginal rate below is sentences / (seconds - start-up), the rate a long run
    # converges to
    tiny = a.work / "corpus-tiny.jsonl"
    tiny.parent.mkdir(parents=True, exist_ok=True)
    pool = _labelled_sentences()
    tiny.write_text("".join(json.dumps({"id": f"t{i}", "source": f"outlet{i % 12:02d}", "text": f"{pool[2 * i]} {pool[2 * i + 1]}"}) + "\n"
                            for i in range(60)), encoding="utf-8")
    startup = {w: statistics.median(run_once(tiny, a.work / f"out-tiny-{w}", w, a.batch_size)["seconds"]
                                    for _ in range(a.repeats)) for w in a.workers}
    print(json.dumps({"startup_seconds": startup}), flush=True)
    for size in a.sizes:
        corpus = a.work / f"corpus-{size}.jsonl"
        if not corpus.exists():
            make_corpus(size, corpus)
        for w, layout in [(w, lay) for w in a.workers for lay in a.layout]:
            out = a.work / f"out-{size}-{w}" if layout == "file" else a.work / f"out-{size}-{w}-{layout}"
            runs = [run_once(corpus, out, w, a.batch_size, layout=layout) for _ in range(a.repeats)]
            row = {"body_sentences": size, "workers": w, "layout": layout, "articles": runs[0]["articles"], "sentences": runs[0]["sentences"],
                   "seconds": [round(r["seconds"], 3) for r in runs],
                   "median_seconds": statistics.median(r["seconds"] for r in runs),
                   "median_sentences_per_s": statistics.median(r["sentences_per_s"] for r in runs),
                   "median_peak_rss_mb": statistics.median(r["peak_rss_mb"] for r in runs),
                   "median_peak_pss_mb": statistics.median(r["peak_pss_mb"] for r in runs),
                   "startup_seconds": startup[w], "repeats": a.repeats}
            row["marginal_sentences_per_s"] = row["sentences"] / max(row["median_seconds"] - startup[w], 1e-9)
            rows.append(row)
            print(json.dumps(row), flush=True)
    for w, layout in [(w, lay) for w in a.workers for lay in a.layout]:
        # the runs only: the linearity rows appended below have no "workers" of their own
        mine = sorted((r for r in rows if r.get("workers") == w and r.get("layout") == layout), key=lambda r: r["sentences"])
        if len(mine) < 2:
            continue
        n = [r["sentences"] for r in mine]
        t = [r["median_seconds"] for r in mine]
        fit = statistics.linear_regression(n, t)
        per = [(ti - startup[w]) / ni for ni, ti in zip(n, t)]
        # the cost of each added sentence between consecutive sizes (no start-up estimate needed): equal
        # slopes are what "linear" means; the last step's slope is the reference
        steps = {f"{a['body_sentences']}-{b['body_sentences']}": (tb - ta) / (nb - na)
                 for a, b, na, nb, ta, tb in zip(mine, mine[1:], n, n[1:], t, t[1:])}
        last = list(steps.values())[-1]
        line = {"linearity": {"workers": w, "layout": layout, "fixed_seconds": fit.intercept, "us_per_sentence": fit.slope * 1e6,
                              "line_residual": {str(r["body_sentences"]): ti / (fit.intercept + fit.slope * ni) - 1
                                                for r, ni, ti in zip(mine, n, t)},
                              "step_us_per_sentence": {k: v * 1e6 for k, v in steps.items()},
                              "step_vs_last": {k: v / last for k, v in steps.items()},
                              "marginal_us_per_sentence": {str(r["body_sentences"]): p * 1e6 for r, p in zip(mine, per)},
                              "marginal_vs_largest": {str(r["body_sentences"]): p / per[-1] for r, p in zip(mine, per)}}}
        rows.append(line)
        print(json.dumps(line), flush=True)
    a.json.write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
