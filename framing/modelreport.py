"""The model report written next to a trained model: PR curves, calibration, confusion counts.

Built from the out-of-fold predictions of grouped cross-validation, so every number is honest.
Uses matplotlib's object API (``Figure``), never pyplot's global state.
"""

from __future__ import annotations

import html
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from sklearn.metrics import average_precision_score, precision_recall_curve

from .codebook import Codebook
from .io import atomic_path, write_text


def _save(fig: Figure, path: Path) -> None:
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=110, bbox_inches="tight")


def write_model_report(folder: str | Path, codebook: Codebook, y: np.ndarray, proba: np.ndarray, pred: np.ndarray, info: dict) -> Path:
    """Write ``folder/report/{pr_curves.png, calibration.png, index.md}``; return the Markdown path."""
    out = Path(folder) / "report"
    names = codebook.names
    colors = [lab.color for lab in codebook.labels]
    n = len(y)

    fig = Figure(figsize=(6.4, 4.8))
    ax = fig.subplots()
    for j, name in enumerate(names):
        if y[:, j].sum() == 0:
            continue
        prec, rec, _ = precision_recall_curve(y[:, j], proba[:, j])
        ap = average_precision_score(y[:, j], proba[:, j])
        ax.plot(rec, prec, color=colors[j], label=f"{name} (AP {ap:.2f})")
    ax.set_xlabel("recall")
    ax.set_ylabel("precision")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.set_title(f"Precision-recall, grouped cross-validation (n = {n:,} sentences)")
    ax.legend(loc="lower left", fontsize=8)
    ax.grid(alpha=0.3)
    _save(fig, out / "pr_curves.png")

    fig = Figure(figsize=(6.4, 4.8))
    ax = fig.subplots()
    ax.plot([0, 1], [0, 1], color="#999999", linestyle="--", label="perfect calibration")
    bins = np.linspace(0, 1, 11)
    for j, name in enumerate(names):
        idx = np.clip(np.digitize(proba[:, j], bins) - 1, 0, 9)
        xs, ys = [], []
        for b in range(10):
            m = idx == b
            if m.sum() >= 5:
                xs.append(proba[m, j].mean())
                ys.append(y[m, j].mean())
        ax.plot(xs, ys, marker="o", color=colors[j], label=name)
    ax.set_xlabel("predicted probability")
    ax.set_ylabel("observed share of positives")
    ax.set_title(f"Calibration, grouped cross-validation (n = {n:,}; bins with >= 5 sentences)")
    ax.legend(loc="upper left", fontsize=8)
    ax.grid(alpha=0.3)
    _save(fig, out / "calibration.png")

    lines = ["# Model report", "", f"Trained on {info.get('n_sentences', n):,} sentences from {info.get('n_articles', '?')} articles.",
             f"Evaluation: {info.get('metrics', {}).get('cv', 'grouped cross-validation')}.", "",
             "| label | precision | recall | F1 | support | TP | FP | FN | TN | threshold | Brier | ECE |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for j, name in enumerate(names):
        m = info.get("metrics", {}).get("labels", {}).get(name, {})
        t, p = y[:, j].astype(bool), pred[:, j].astype(bool)
        tp, fp, fn, tn = int((t & p).sum()), int((~t & p).sum()), int((t & ~p).sum()), int((~t & ~p).sum())
        lines.append(f"| {html.escape(name)} | {m.get('precision', 0):.3f} | {m.get('recall', 0):.3f} | {m.get('f1', 0):.3f} | "
                     f"{m.get('support', 0)} | {tp} | {fp} | {fn} | {tn} | {info.get('thresholds', {}).get(name, 0.5):.3f} | "
                     f"{info.get('brier', {}).get(name, float('nan')):.4f} | {info.get('ece', {}).get(name, float('nan')):.4f} |")
    lines += ["", f"Macro-F1: {info.get('metrics', {}).get('macro_f1', float('nan')):.3f}", ""]
    tp_info = info.get("threshold_prevalence")
    if tp_info:
        shares = ", ".join(f"{html.escape(n)} {v:.1%} (training data {tp_info['training_shares'].get(n, float('nan')):.1%})"
                           for n, v in tp_info["shares"].items())
        lines += [f"Thresholds chosen for F1 at the share of positives in the rows from real articles "
                  f"(`{tp_info['spec']}`), not the training data's: {shares}. The other labels' thresholds use the "
                  "training data's share. The scores above are at these thresholds.", ""]
    lines += ["![precision-recall](pr_curves.png)", "", "![calibration](calibration.png)", ""]
    path = out / "index.md"
    write_text(path, "\n".join(lines))
    return path
