"""Retrain behind a regression gate, and manage the model registry's versions.

``retrain`` trains a candidate on the current label files into a new registry version (never
overwriting one), then compares it with the current version on the same frozen evaluation folds:
for each fold, the current version's recipe is refit on *its own* training snapshot and the candidate
on the new data, each without the fold's articles, and both are scored on the fold's rows of the new
data. The candidate is promoted only if no label's F1 drops by more than ``tolerance``; otherwise it
stays in the registry, unpromoted, and the refusal lists what got worse (``force`` overrides, and the
override is recorded in the registry's history).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from .codebook import Codebook
from .errors import FramingError, ModelError, UsageError
from .evaluate import brier_scores, expected_calibration_error, label_metrics
from .io import atomic_path
from .labels import label_matrix, normalise_text, parse_labels
from .model import FramingClassifier
from .registry import (
    META_FILE,
    add_version,
    load_bundle,
    read_registry,
    registry_lock,
    write_registry,
)
from .train import (
    DEFAULT_PARAMS,
    fit_model,
    groups_of,
    load_training_data,
    resolve_params,
)

SNAPSHOT = "training.csv.gz"
N_FOLDS = 5


def frozen_fold(article_ids: Sequence[str], n_folds: int = N_FOLDS) -> np.ndarray:
    """A fold number per row from a stable hash of its article id: the same article always lands in the
    same fold, in every version, however the data grows."""
    return np.array([int(hashlib.sha256(str(a).encode("utf-8")).hexdigest()[:8], 16) % n_folds for a in article_ids])


def write_snapshot(folder: Path, df: pd.DataFrame) -> None:
    """Save the exact training rows next to the model so later versions can be compared fairly."""
    snap = df[["text", "labels", "article_id", "origin"]].copy()
    snap["labels"] = snap["labels"].map(";".join)
    with atomic_path(folder / SNAPSHOT) as tmp:
        snap.to_csv(tmp, index=False, compression="gzip")


def read_snapshot(folder: Path) -> pd.DataFrame:
    p = folder / SNAPSHOT
    if not p.exists():
        raise ModelError(f"{folder}: no training snapshot ({SNAPSHOT}); retrain it with `framing retrain --force` to start a gated history")
    df = pd.read_csv(p, keep_default_na=False, dtype=str)
    df["labels"] = df["labels"].map(parse_labels)
    return df


def _fit(df: pd.DataFrame, names: Sequence[str], params: dict, seed: int) -> FramingClassifier:
    p = {k: tuple(v) if isinstance(v, list) else v for k, v in params.items()}
    m = FramingClassifier(labels=list(names), random_state=seed, **resolve_params(p, df, names))
    return m.fit(df["text"].tolist(), label_matrix(df, names), groups=groups_of(df))


def reference_set(old_df: pd.DataFrame, new_df: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The evaluation rows: every row the current model was accepted on, with the labels it had then, plus
    the new data's rows that are new. A relabelled row keeps its accepted label here, so label changes
    cannot make a worse model look better; returns the rows and the number of relabelled rows."""
    old_keys = old_df["text"].map(normalise_text)
    new_keys = new_df["text"].map(normalise_text)
    old_labels = dict(zip(old_keys, old_df["labels"].map(frozenset)))
    changed = sum(1 for k, ls in zip(new_keys, new_df["labels"]) if k in old_labels and old_labels[k] != frozenset(ls))
    fresh = new_df[~new_keys.isin(set(old_keys))]
    cols = ["text", "labels", "article_id", "origin"]
    return pd.concat([old_df[cols], fresh[cols]], ignore_index=True), changed


def compare_on_frozen_folds(old_df: pd.DataFrame, old_params: dict, new_df: pd.DataFrame, new_params: dict,
                            names: Sequence[str], seed: int = 0, new_names: Sequence[str] | None = None) -> dict:
    """Out-of-fold predictions of both recipes on the same reference rows, fold by fold.

    Each recipe is refit on its own training data without the fold's articles and scored on the
    fold's reference rows (see :func:`reference_set`). Returns ``{"old": metrics, "new": metrics,
    "by_origin": {origin: {"n", "old", "new"}}, "n_reference": int, "relabelled": int}``.
    """
    ref, relabelled = reference_set(old_df, new_df)
    folds_ref = frozen_fold(ref["article_id"].astype(str))
    folds_new = frozen_fold(new_df["article_id"].astype(str))
    folds_old = frozen_fold(old_df["article_id"].astype(str))
    y = label_matrix(ref, names)
    pred_old = np.zeros_like(y)
    pred_new = np.zeros_like(y)
    all_names = list(new_names or names)
    y_cv = label_matrix(new_df, all_names)
    pred_cv = np.zeros_like(y_cv)
    proba_cv = np.zeros(y_cv.shape, dtype=np.float64)
    for k in range(N_FOLDS):
        test = folds_ref == k
        held = folds_new == k
        if not test.any() and not held.any():
            continue
        cand = _fit(new_df[~held], all_names, new_params, seed)
        keep = [all_names.index(n) for n in names]
        if test.any():
            texts = ref.loc[test, "text"].tolist()
            pred_old[test] = _fit(old_df[folds_old != k], names, old_params, seed).predict(texts)
            pred_new[test] = cand.predict(texts)[:, keep]
        if held.any():  # the same fits give the candidate's own cross-validation on the new data
            proba_cv[held] = cand.predict_proba(new_df.loc[held, "text"].tolist())
            pred_cv[held] = (proba_cv[held] >= cand.thresholds_).astype(pred_cv.dtype)
    out = {"old": label_metrics(y, pred_old, names), "new": label_metrics(y, pred_new, names), "by_origin": {},
           "n_reference": len(ref), "relabelled": relabelled, "cv": label_metrics(y_cv, pred_cv, all_names),
           "_oof": (y_cv, proba_cv, pred_cv)}
    kinds = ref["origin"].astype(str).str.split(":").str[0].to_numpy()
    for kind in sorted(set(kinds)):
        m = kinds == kind
        out["by_origin"][kind] = {"n": int(m.sum()), "old": label_metrics(y[m], pred_old[m], names),
                                  "new": label_metrics(y[m], pred_new[m], names)}
    return out


def _write_extras(folder: Path, df: pd.DataFrame, codebook: Codebook, oof, info: dict) -> None:
    """The training snapshot and the model report (PR curves, calibration), inside the new version's folder."""
    write_snapshot(folder, df)
    if oof is not None:
        from .modelreport import write_model_report

        write_model_report(folder, codebook, *oof, info)


@dataclass
class RetrainResult:
    version: str
    promoted: bool
    forced: bool
    comparison: dict | None
    regressions: list[dict] = field(default_factory=list)
    metrics: dict | None = None

    def table(self) -> str:
        if not self.comparison:
            return "no current model to compare with: the new version was promoted"
        c = self.comparison
        head = (f"compared on {c['n_reference']:,} reference sentences in {N_FOLDS} frozen folds grouped by article "
                f"({c['relabelled']:,} relabelled since the current version: scored against their accepted labels)")
        rows = [("label", "current F1", "new F1", "change", "")]
        old, new = self.comparison["old"]["labels"], self.comparison["new"]["labels"]
        worse = {r["label"] for r in self.regressions}
        for name in new:
            d = new[name]["f1"] - old[name]["f1"]
            rows.append((name, f"{old[name]['f1']:.3f}", f"{new[name]['f1']:.3f}", f"{d:+.3f}", "WORSE" if name in worse else ""))
        for kind, c in self.comparison["by_origin"].items():
            rows.append((f"  origin {kind} (n={c['n']}) macro", f"{c['old']['macro_f1']:.3f}", f"{c['new']['macro_f1']:.3f}",
                         f"{c['new']['macro_f1'] - c['old']['macro_f1']:+.3f}", ""))
        w = [max(len(r[i]) for r in rows) for i in range(5)]
        return head + "\n" + "\n".join("  ".join(c.ljust(w[i]) if i == 0 else c.rjust(w[i]) for i, c in enumerate(r)).rstrip() for r in rows)


def retrain(label_paths: Sequence[str | Path] = ("data/labels",), registry: str | Path = "models",
            codebook_path: str | Path | None = None, tolerance: float = 0.02, force: bool = False,
            seed: int = 0, note: str = "", params: dict | None = None) -> RetrainResult:
    """Train a new version from the label files and promote it only if it is not worse (see module docs)."""
    if not 0 <= tolerance < 1:
        raise UsageError("--tolerance must be between 0 and 1, e.g. 0.02")
    registry = Path(registry)
    with registry_lock(registry):  # taken before training: a second retrain is refused at once
        return _retrain(label_paths, registry, codebook_path, tolerance, force, seed, note, params)


def _retrain(label_paths, registry: Path, codebook_path, tolerance: float, force: bool, seed: int, note: str,
             params: dict | None) -> RetrainResult:
    df, codebook = load_training_data(label_paths, codebook_path)
    names = codebook.names
    reg = read_registry(registry)
    current = reg.get("current")
    params = dict(DEFAULT_PARAMS, **(params or {}))
    if current:
        old = load_bundle(registry)
        old_params = old.meta.get("params", DEFAULT_PARAMS)
        old_names = old.codebook.names
    model, info = fit_model(df, codebook, params=params, random_state=seed, evaluate=not current)
    oof = info.pop("_oof", None)
    comparison, regressions = None, []
    if current:
        old_df = read_snapshot(registry / current)
        # the gate compares the labels both versions know; a new label has nothing to regress from
        shared = [n for n in names if n in old_names]
        comparison = compare_on_frozen_folds(old_df, old_params, df, params, shared, seed=seed, new_names=names)
        info["metrics"] = comparison.pop("cv")
        info["metrics"]["cv"] = f"{N_FOLDS} frozen folds grouped by article (no article in two folds)"
        oof = comparison.pop("_oof")
        y_cv, proba_cv, _ = oof
        info["brier"] = brier_scores(y_cv, proba_cv, names)
        info["ece"] = {n: expected_calibration_error(y_cv[:, j], proba_cv[:, j]) for j, n in enumerate(names)}
        for n in shared:
            o, w = comparison["old"]["labels"][n]["f1"], comparison["new"]["labels"][n]["f1"]
            if w < o - tolerance:
                regressions.append({"label": n, "current_f1": o, "new_f1": w, "drop": round(o - w, 4)})
    promote = not regressions or force
    meta = {"codebook": codebook.to_dict(), "training_files": [str(p) for p in label_paths], **info,
            "gate": {"tolerance": tolerance, "compared_with": current, "comparison": comparison,
                     "regressions": regressions, "forced": bool(force and regressions)}}
    action = "retrain (forced over regressions)" if force and regressions else "retrain"
    # the snapshot is written into the version's folder before it appears, and the forced override goes
    # into the same registry write: a crash at any point leaves no version without its snapshot
    version = add_version(registry, model, meta, promote=promote, note=note or action,
                          extra=lambda folder: _write_extras(folder, df, codebook, oof, info),
                          history_extra={"forced": True, "regressions": regressions} if force and regressions else None)
    return RetrainResult(version=version, promoted=promote, forced=bool(force and regressions),
                         comparison=comparison, regressions=regressions, metrics=info.get("metrics"))


# ------------------------------------------------------------------------------------------ registry ops

def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def list_versions(registry: str | Path = "models") -> pd.DataFrame:
    reg = read_registry(registry)
    if not reg["versions"]:
        raise ModelError(f"{registry}: no model versions; run `framing retrain`")
    rows = []
    for v, e in sorted(reg["versions"].items()):
        rows.append({"version": v, "current": "*" if v == reg.get("current") else "", "created": e.get("created", ""),
                     "parent": e.get("parent") or "", "macro_f1": e.get("metrics"), "data_hash": e.get("data_hash") or "",
                     "note": e.get("note", "")})
    return pd.DataFrame(rows)


def show_version(registry: str | Path, version: str) -> dict:
    reg = read_registry(registry)
    if version not in reg["versions"]:
        raise ModelError(f"{registry}: no version {version!r}; see `framing models list`")
    meta = json.loads((Path(registry) / version / META_FILE).read_text(encoding="utf-8"))
    keep = ["version", "parent", "created", "framing_version", "sklearn_version", "sha256", "labels", "n_sentences",
            "n_articles", "label_counts", "data_hash", "params", "thresholds", "metrics", "brier", "ece", "gate"]
    return {k: meta.get(k) for k in keep if k in meta} | {"current": reg.get("current") == version}


def promote(registry: str | Path, version: str, note: str = "") -> str:
    registry = Path(registry)
    with registry_lock(registry):
        return _promote(registry, version, note)


def _promote(registry: Path, version: str, note: str) -> str:
    reg = read_registry(registry)
    if version not in reg["versions"]:
        raise ModelError(f"{registry}: no version {version!r}; see `framing models list`")
    load_bundle(registry / version)  # refuse a missing or tampered version before making it current
    reg["history"].append({"time": _now(), "action": "promote", "from": reg.get("current"), "to": version, "note": note or "manual"})
    reg["current"] = version
    write_registry(registry, reg)
    return version


def rollback(registry: str | Path = "models") -> str:
    """Make the version that was current before the last promotion current again."""
    registry = Path(registry)
    with registry_lock(registry):
        return _rollback(registry)


def _rollback(registry: Path) -> str:
    reg = read_registry(registry)
    promotions = [h for h in reg["history"] if h.get("action") == "promote" and h.get("to") == reg.get("current")]
    target = promotions[-1].get("from") if promotions else None
    if not target:
        target = reg["versions"].get(reg.get("current") or "", {}).get("parent")
    if not target or target not in reg["versions"]:
        raise FramingError(f"{registry}: nothing to roll back to (no earlier current version)")
    load_bundle(registry / target)
    reg["history"].append({"time": _now(), "action": "rollback", "from": reg.get("current"), "to": target})
    reg["current"] = target
    write_registry(registry, reg)
    return target
