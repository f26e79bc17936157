"""Metrics as plain data: per-label precision, recall, F1 and support; grouped cross-validation."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import GroupKFold


def label_metrics(y_true: np.ndarray, y_pred: np.ndarray, names: Sequence[str]) -> dict:
    """``{"labels": {name: {precision, recall, f1, support}}, "macro_f1": ...}``."""
    y_true = np.asarray(y_true).reshape(len(y_true), -1)
    y_pred = np.asarray(y_pred).reshape(len(y_pred), -1)
    out = {}
    for j, name in enumerate(names):
        t, p = y_true[:, j].astype(bool), y_pred[:, j].astype(bool)
        tp = int((t & p).sum())
        fp = int((~t & p).sum())
        fn = int((t & ~p).sum())
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out[name] = {"precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4), "support": int(t.sum())}
    macro = float(np.mean([m["f1"] for m in out.values()])) if out else 0.0
    return {"labels": out, "macro_f1": round(macro, 4)}


def brier_scores(y_true: np.ndarray, proba: np.ndarray, names: Sequence[str]) -> dict:
    return {n: round(float(np.mean((proba[:, j] - y_true[:, j]) ** 2)), 4) for j, n in enumerate(names)}


def expected_calibration_error(y: np.ndarray, p: np.ndarray, bins: int = 10) -> float:
    edges = np.linspace(0, 1, bins + 1)
    idx = np.clip(np.digitize(p, edges) - 1, 0, bins - 1)
    ece = 0.0
    for b in range(bins):
        m = idx == b
        if m.any():
            ece += m.mean() * abs(p[m].mean() - y[m].mean())
    return round(float(ece), 4)


def grouped_folds(groups: Sequence, n_splits: int = 5) -> list[tuple[np.ndarray, np.ndarray]]:
    """Folds with no group (article) in both train and test."""
    groups = np.asarray(groups)
    n = min(n_splits, len(np.unique(groups)))
    if n < 2:
        raise ValueError("cross-validation needs sentences from at least two articles")
    return list(GroupKFold(n_splits=n).split(np.zeros(len(groups)), groups=groups))


def cross_validate(estimator, texts: Sequence[str], y: np.ndarray, groups: Sequence, names: Sequence[str],
                   n_splits: int = 5, folds=None) -> dict:
    """Grouped cross-validation: out-of-fold probabilities and flags, and their metrics.

    Returns ``{"metrics": ..., "brier": ..., "ece": ..., "oof_proba": array, "oof_pred": array, "folds": n}``.
    """
    texts = list(texts)
    y = np.asarray(y)
    folds = folds or grouped_folds(groups, n_splits)
    proba = np.zeros(y.shape, dtype=float)
    pred = np.zeros(y.shape, dtype=np.int8)
    groups = np.asarray(groups)
    for tr, te in folds:
        est = clone(estimator)
        est.fit([texts[i] for i in tr], y[tr], groups=groups[tr])
        p = est.predict_proba([texts[i] for i in te])
        proba[te] = p
        pred[te] = (p >= est.thresholds_).astype(np.int8)
    return {
        "metrics": label_metrics(y, pred, names),
        "brier": brier_scores(y, proba, names),
        "ece": {n: expected_calibration_error(y[:, j], proba[:, j]) for j, n in enumerate(names)},
        "oof_proba": proba,
        "oof_pred": pred,
        "folds": len(folds),
    }


def format_table(metrics: dict) -> str:
    """A plain-text table of per-label metrics."""
    rows = [("label", "precision", "recall", "f1", "support")]
    for name, m in metrics["labels"].items():
        rows.append((name, f"{m['precision']:.3f}", f"{m['recall']:.3f}", f"{m['f1']:.3f}", str(m["support"])))
    rows.append(("macro", "", "", f"{metrics['macro_f1']:.3f}", ""))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = []
    for k, r in enumerate(rows):
        lines.append("  ".join(c.ljust(widths[i]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(r)))
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
