"""Choose which sentences to label next (active learning) from a scored folder.

Two kinds of pick, interleaved:

* **uncertain**: a content sentence whose probability for a label lies near that label's decision
  threshold (uncertainty ``u = 1 - |p - t| / max-distance``, 1 at the threshold, 0 at 0 or 1). Labels
  take turns (round-robin), so every label gets its share, including rare ones.
* **diverse**: the sentence least similar to anything already labelled or already picked, so the
  labels also cover what the model has not seen.

Every pick is scored maximal-marginal-relevance style against the picks before it: TF-IDF cosine
similarity to the nearest earlier pick is subtracted from the uncertainty, and a sentence more than
``max_similarity`` similar to an earlier pick or to an already labelled sentence is never picked
(near-duplicates teach nothing new). Sources take turns too: no source gets more than its share of
picks while another source still has candidates. The work is vectorised: one sparse product per pick
against a bounded candidate pool.
"""

from __future__ import annotations

import json
import math
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from .codebook import codebook_from_dict
from .errors import InputError, OutputError
from .io import atomic_path, find_table, part_files, read_table
from .labels import ALL_COLUMNS, normalise_text
from .labelstore import labels_str, read_store

EXTRA_COLUMNS = ["p", "source", "sentence_id"]
SUGGEST_COLUMNS = ALL_COLUMNS + EXTRA_COLUMNS


def uncertainty(proba: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """``1 - |p - t| / (t if p < t else 1 - t)``: 1 at the threshold, 0 at the far end; same shape as ``proba``."""
    proba = np.asarray(proba, dtype=float)
    t = np.asarray(thresholds, dtype=float).reshape(1, -1)
    span = np.where(proba < t, t, 1.0 - t)
    return np.clip(1.0 - np.abs(proba - t) / np.maximum(span, 1e-9), 0.0, 1.0)


def load_scored(scored_dir: str | Path) -> tuple[pd.DataFrame, list[str], np.ndarray, dict]:
    """The sentences table of a ``framing score`` folder, its label names, thresholds and manifest."""
    folder = Path(scored_dir)
    mpath = folder / "manifest.json"
    if not mpath.is_file():
        raise InputError(f"{folder}: no manifest.json; pass a folder written by `framing score`")
    try:
        manifest = json.loads(mpath.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{mpath}: unreadable ({exc}); rerun `framing score`") from None
    model = manifest.get("model") or {}
    if manifest.get("codebook"):
        names = codebook_from_dict(manifest["codebook"], source=str(mpath)).names
    else:
        names = list(model.get("labels") or [])
    if not names:
        raise InputError(f"{mpath}: names no labels; rerun `framing score` with a current framing")
    model_names = list(model.get("labels") or names)
    thr = model.get("thresholds")
    if thr is None or len(thr) != len(model_names):
        warnings.warn(f"{mpath}: no model thresholds; using 0.5 for every label", stacklevel=2)
        thr = [0.5] * len(model_names)
    by_name = dict(zip(model_names, map(float, thr)))
    thresholds = np.array([by_name.get(n, 0.5) for n in names])
    table = find_table(folder, "sentences")
    if table is None:
        raise InputError(f"{folder}: no sentences table; the scoring run did not finish, rerun `framing score`")
    needed = ["article_id", "source", "sentence_id", "text", "boilerplate"] + [f"p_{n}" for n in names] + names
    if table.suffix == ".parquet" or table.is_dir():
        import pyarrow.parquet as pq

        have = set(pq.read_schema(table if not table.is_dir() else part_files(table)[0]).names)
        df = read_table(table, columns=[c for c in needed if c in have])
    else:
        df = read_table(table)
    missing = [c for c in needed if c not in df.columns and c not in ("sentence_id", "source")]
    if missing:
        raise InputError(f"{table}: missing column(s) {', '.join(missing)}; rerun `framing score` with the same model")
    if "source" not in df.columns:
        df["source"] = "unknown"
    if "sentence_id" not in df.columns:
        df["sentence_id"] = df.groupby("article_id").cumcount()
    if df["boilerplate"].dtype != bool:
        df["boilerplate"] = df["boilerplate"].astype(str).str.lower().isin(["true", "1"])
    return df, names, thresholds, manifest


def _pool(u: np.ndarray, per_label: int, n_random: int, rng: np.random.Generator) -> np.ndarray:
    """Indices of a bounded candidate pool: the most uncertain rows per label plus a random sample."""
    n = u.shape[0]
    parts = []
    for j in range(u.shape[1]):
        k = min(per_label, n)
        parts.append(np.argpartition(-u[:, j], k - 1)[:k] if k < n else np.arange(n))
    parts.append(rng.choice(n, size=min(n_random, n), replace=False))
    return np.unique(np.concatenate(parts))


def _max_sim_to(X: sp.csr_matrix, Y: sp.csr_matrix, chunk: int = 4096) -> np.ndarray:
    """For each row of X, the largest cosine similarity to any row of Y (rows are L2-normalised)."""
    out = np.zeros(X.shape[0])
    if Y.shape[0] == 0:
        return out
    for lo in range(0, Y.shape[0], chunk):
        s = (X @ Y[lo:lo + chunk].T).tocsr()
        if s.nnz:
            out = np.maximum(out, s.max(axis=1).toarray().ravel())
    return out


def select(
    sentences: pd.DataFrame,
    names: Sequence[str],
    thresholds: Sequence[float],
    n: int = 50,
    seed: int = 0,
    labelled_texts: Iterable[str] = (),
    diverse_share: float = 0.2,
    max_similarity: float = 0.8,
    redundancy: float = 0.5,
    min_words: int = 4,
    pool_size: int | None = None,
) -> pd.DataFrame:
    """Pick up to ``n`` content sentences worth labelling next (see the module docstring).

    Parameters
    ----------
    sentences : DataFrame
        Scored sentences: ``text``, ``boilerplate``, ``article_id``, ``source``, ``p_<label>`` and
        ``<label>`` for each label (as in ``sentences.parquet``).
    names, thresholds : sequences
        Label names and the model's decision threshold for each.
    n : int
        How many to pick.
    seed : int
        Seed for the random part of the pool and for tie-breaks (same input and seed, same picks).
    labelled_texts : iterable of str
        Sentences already labelled: never picked again, nor near-duplicates of them.
    diverse_share : float
        Share of picks chosen for diversity rather than uncertainty (every ``1/diverse_share``-th pick).
    max_similarity : float
        TF-IDF cosine above which a candidate counts as a near-duplicate of a pick or a labelled sentence.
    redundancy : float
        Weight of the similarity to earlier picks in the uncertain picks' score.
    min_words : int
        Shorter sentences (headlines, fragments) are not picked.
    pool_size : int, optional
        Candidates kept per label (and in the random sample); default ``max(20 n, 500)``.

    Returns
    -------
    DataFrame
        The picks in pick order: ``text``, ``labels`` (the model's flags, ``;``-joined), ``article_id``,
        ``source``, ``sentence_id``, ``kind`` ("uncertain"/"diverse"), ``label`` (the label an uncertain
        pick is about), ``p``, ``note`` (why it was picked).
    """
    names = list(names)
    thresholds = np.asarray(thresholds, dtype=float)
    cols = ["text", "labels", "article_id", "source", "sentence_id", "kind", "label", "p", "note"]
    if n < 1:
        raise InputError("--n must be at least 1")
    rng = np.random.default_rng(seed)
    df = sentences
    text = df["text"].astype(str)
    ok = ~df["boilerplate"].astype(bool).to_numpy()
    ok &= (text.str.split().str.len().fillna(0).to_numpy() >= min_words)
    keys = text.map(normalise_text)
    labelled_keys = {normalise_text(t) for t in labelled_texts}
    labelled_list = list(dict.fromkeys(t for t in labelled_texts))
    ok &= ~keys.isin(labelled_keys).to_numpy()
    cand = df.loc[ok].reset_index(drop=True)
    if cand.empty:
        return pd.DataFrame(columns=cols)
    P = cand[[f"p_{nm}" for nm in names]].to_numpy(dtype=float)
    U = uncertainty(P, thresholds)
    # of sentences that are the same after normalisation, keep the most uncertain copy
    order = np.argsort(-U.max(axis=1), kind="stable")
    first = ~keys[ok].reset_index(drop=True).iloc[order].duplicated(keep="first").to_numpy()
    keep = np.sort(order[first])
    cand, P, U = cand.iloc[keep].reset_index(drop=True), P[keep], U[keep]
    size = pool_size or max(20 * n, 500)
    pool = _pool(U, size, size, rng)
    cand, P, U = cand.iloc[pool].reset_index(drop=True), P[pool], U[pool]
    m = len(cand)

    vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1, dtype=np.float32)
    ctexts = cand["text"].astype(str).tolist()
    X = vec.fit_transform(ctexts + labelled_list)
    Xc, Xl = X[:m].tocsr(), X[m:].tocsr()
    sim_labelled = _max_sim_to(Xc, Xl)
    available = sim_labelled <= max_similarity
    sim_picked = np.zeros(m)
    jitter = rng.random(m) * 1e-6

    sources = cand["source"].astype(str).to_numpy()
    uniq, src_idx = np.unique(sources, return_inverse=True)
    cap = math.ceil(n / len(uniq))
    src_count = np.zeros(len(uniq), dtype=int)
    flags = cand[names].to_numpy(dtype=int) if all(nm in cand.columns for nm in names) else (P >= thresholds).astype(int)

    every = round(1 / diverse_share) if diverse_share > 0 else 0
    picks: list[dict] = []
    turn = 0
    for k in range(n):
        mask = available & (sim_picked <= max_similarity)
        if not mask.any():
            break
        fair = mask & (src_count[src_idx] < cap)
        if fair.any():
            mask = fair
        diverse = every > 0 and (k + 1) % every == 0
        if diverse:
            nearest = np.maximum(sim_picked, sim_labelled)
            score = np.where(mask, -nearest + jitter, -np.inf)
            i = int(np.argmax(score))
            j = int(np.argmax(U[i]))
            note = f"diverse: unlike what is labelled or picked (nearest similarity {nearest[i]:.2f})"
        else:
            j = turn % len(names)
            turn += 1
            score = np.where(mask, U[:, j] - redundancy * sim_picked + jitter, -np.inf)
            i = int(np.argmax(score))
            note = f"uncertain {names[j]} p={P[i, j]:.2f} (threshold {thresholds[j]:.2f})"
        picks.append({
            "text": ctexts[i],
            "labels": labels_str([nm for nm, f in zip(names, flags[i]) if f], names),
            "article_id": str(cand.at[i, "article_id"]),
            "source": str(cand.at[i, "source"]),
            "sentence_id": str(cand.at[i, "sentence_id"]),
            "kind": "diverse" if diverse else "uncertain",
            "label": names[j],
            "p": round(float(P[i, j]), 4),
            "note": note,
        })
        available[i] = False
        src_count[src_idx[i]] += 1
        sim_picked = np.maximum(sim_picked, (Xc @ Xc[i].T).toarray().ravel())
    return pd.DataFrame(picks, columns=cols)


def suggest(
    scored_dir: str | Path,
    n: int = 50,
    seed: int = 0,
    labels: Sequence[str | Path] = ("data/labels",),
    diverse_share: float = 0.2,
    max_similarity: float = 0.8,
) -> pd.DataFrame:
    """Suggestions from a scored folder, in the project's label format (see :func:`select`).

    Sentences already in the label files ``labels`` (folders or files; missing ones are ignored) and
    their near-duplicates are left out. Returns the label-format columns plus ``p``, ``source`` and
    ``sentence_id``: ``labels`` holds the model's suggestion, ``origin`` is ``suggest:<model version>``,
    ``note`` says why the sentence was picked, ``suggested`` is ``1`` (not yet reviewed).
    """
    df, names, thresholds, manifest = load_scored(scored_dir)
    store = read_store(labels)
    picks = select(df, names, thresholds, n=n, seed=seed, labelled_texts=store["text"].astype(str).tolist(),
                   diverse_share=diverse_share, max_similarity=max_similarity)
    version = (manifest.get("model") or {}).get("version") or "unknown"
    out = pd.DataFrame({c: [""] * len(picks) for c in SUGGEST_COLUMNS})
    for c in ("text", "labels", "article_id", "note", "p", "source", "sentence_id"):
        out[c] = picks[c].astype(str).tolist() if c != "p" else picks[c].tolist()
    out["origin"] = f"suggest:{version}"
    out["suggested"] = "1"
    return out


def write_suggestions(df: pd.DataFrame, out: str | Path, overwrite: bool = False) -> Path | None:
    """Write suggestions as a label CSV atomically (``-`` = stdout); refuse to replace a file silently."""
    if str(out) == "-":
        import sys

        df.to_csv(sys.stdout, index=False, lineterminator="\n")
        return None
    path = Path(out)
    if path.exists() and not overwrite:
        raise OutputError(f"{path}: already exists (it may hold labels); choose another --out or pass --overwrite")
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; --out takes a CSV file name")
    with atomic_path(path) as tmp:
        df.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n")
    return path


AUDIT_COLUMNS = ["file", "line", "text", "label", "given", "p"]


def audit_labels(
    paths: Sequence[str | Path] = ("data/labels",),
    codebook_path: str | Path | None = None,
    top: int = 50,
    confidence: float = 0.9,
    seed: int = 0,
    cv: int = 5,
) -> tuple[pd.DataFrame, int]:
    """Label decisions that cross-validated predictions confidently contradict: likely label errors.

    A model is cross-validated on the label files (folds grouped by article, so a sentence is always
    predicted by a model that never saw its article). A decision (sentence, label) is listed when
    ``|p - given| >= confidence``: given 1 but ``p <= 1 - confidence``, or given 0 but
    ``p >= confidence``. Ranked by ``|p - given|``, largest first.

    Returns
    -------
    (DataFrame, int)
        The ``top`` rows (``file``, ``line``, ``text``, ``label``, ``given``, ``p``) and how many decisions
        were flagged in all.
    """
    from .train import fit_model, load_training_data

    if not 0.5 < confidence < 1:
        raise InputError("--confidence must be between 0.5 and 1 (e.g. 0.9: p < 0.1 for a given 1, p > 0.9 for a given 0)")
    df, codebook = load_training_data(paths, codebook_path)
    try:
        _, info = fit_model(df, codebook, random_state=seed, cv=cv, evaluate=True)
    except ValueError as exc:
        raise InputError(f"cannot cross-validate these labels ({exc}); audit needs sentences from several articles") from None
    y, proba, _ = info["_oof"]
    y = np.asarray(y, dtype=float)
    proba = np.asarray(proba, dtype=float)
    gap = np.abs(proba - y)
    rows, cols = np.nonzero(gap >= confidence)
    order = np.lexsort((cols, rows, -gap[rows, cols]))
    rows, cols = rows[order], cols[order]
    total = len(rows)
    rows, cols = rows[:top], cols[:top]
    names = codebook.names
    out = pd.DataFrame({
        "file": df["_file"].to_numpy()[rows].astype(str),
        "line": df["_line"].to_numpy()[rows].astype(int),
        "text": df["text"].to_numpy()[rows].astype(str),
        "label": [names[j] for j in cols],
        "given": y[rows, cols].astype(int),
        "p": np.round(proba[rows, cols], 3),
    }, columns=AUDIT_COLUMNS)
    return out, total
