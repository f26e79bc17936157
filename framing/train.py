"""Train the framing classifier on labelled sentences, evaluate it honestly, save it with its metadata."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .codebook import Codebook, codebook_from_dict, load_codebook
from .cues import resources_digest
from .evaluate import cross_validate, grouped_folds
from .labels import data_hash, label_matrix, read_labels
from .model import FramingClassifier

# Chosen by grouped cross-validation on data/labels, averaged over two fold schemes (GroupKFold and the
# retrain gate's frozen folds): macro-F1 0.797 vs 0.786 for the first recipe (C=4, min_df=1, cue_weight=1),
# with a third of the fit time; checked on public real-news proxies (bench/transfer.py): see bench/RESULTS.md.
# drop_numbers: bare numbers are not n-gram features (same CV, 18% fewer state_media flags on real business
# news, where figures had come to mean "an official source").
# function_ngrams="auto": loaded_language learns without n-grams made only of function words ("to the",
# "it is"): -0.01 F1 for that label in CV on the written data, +0.09 on the real seed sentences (precision
# 0.65 -> 0.79) and fewer loaded flags on real wire news (see bench/RESULTS.md, "Generalisation checks").
# prevalence="origin:seed": a label that is rarer in the rows from real articles (origin seed:NNN) than
# in the training data as a whole gets the threshold that maximises F1 at the real articles' share. The
# written batches are denser in most labels than news is (state_media 17.2% of all rows, 7.0% of the
# seed rows; loaded_language 13.7% vs 7.6%; hedging 15.6% vs 11.4%), and an F1-optimal threshold depends
# on that share. Thresholds only move up this way: editorializing, commoner in the (partly state-media)
# seed articles than in all rows (24.1% vs 12.0%), keeps its training threshold, since lowering it put
# more flags on neutral wire copy (Szeged news 10.5% -> 13.4% of sentences). Measured on the real-news
# benchmark (bench/RESULTS.md): macro-F1 0.705 -> 0.721 on its dev half, 0.652 -> 0.660 on its test half.
# threshold_repeats=3: each label's threshold is the median (on the decision scale) of the thresholds chosen on three
# assignments of the articles to the calibration folds. The out-of-fold F1 is flat around the best cut point, so one
# assignment's choice wanders: over five refits of the same data loaded language's threshold ranged 0.42-0.55 and
# editorializing's 0.21-0.30 with one assignment; with three, 0.43-0.50 and 0.23-0.28 (five: 0.47-0.51 and 0.24-0.28,
# at 50 s instead of 30 s for 20,000 sentences); a hedging threshold one assignment put at 0.67 (others near 0.07)
# came out at 0.07. Real-news dev and test halves: unchanged in the mean (bench/RESULTS.md, nineteenth session).
# C=4 (forty-third session, with the 4,852 rows of batches AD and AE; C=2 since the early sessions): five fits each
# (seeds 0-4) on the same data and code, real-news test halves macro-F1 0.6838 (C=2), 0.6856 (3), 0.6862 (4), 0.6857
# (5), 0.6857 (8); dev halves 0.7436, 0.7437, 0.7440, 0.7433, 0.7418; the thirteen never-read samples 0.6699, 0.6709,
# 0.6712, 0.6709, 0.6692; probes 4,301 -> 4,311 of 4,561; grouped CV on the labels 0.8479 (C=2), 0.8503 (4), 0.8515 (8).
DEFAULT_PARAMS = {"C": 4.0, "ngram_range": (1, 2), "min_df": 2, "cue_weight": 1.5, "class_weight": "balanced",
                  "drop_numbers": True, "function_ngrams": "auto", "prevalence": "origin:seed", "threshold_repeats": 3}
# a label's real-article share is used only when the real-article rows are this many and hold this many
# positives of the label; otherwise that label's threshold uses the training data's share
PREVALENCE_MIN_ROWS = 100
PREVALENCE_MIN_POSITIVES = 5


def real_prevalence(df: pd.DataFrame, names: Sequence[str], origin: str) -> dict[str, float]:
    """Each label's share of positives among the rows whose ``origin`` starts with ``origin:`` (e.g. the
    seed articles), for labels with enough of them (see PREVALENCE_MIN_ROWS / _POSITIVES) and rarer
    there than in ``df`` as a whole (thresholds only move up)."""
    if "origin" not in df:
        return {}
    real = df["origin"].astype(str).str.startswith(origin + ":").to_numpy()
    if real.sum() < PREVALENCE_MIN_ROWS:
        return {}
    y = label_matrix(df, names)
    out = {}
    for j, n in enumerate(names):
        share = float(y[real, j].mean())
        if y[real, j].sum() >= PREVALENCE_MIN_POSITIVES and share < float(y[:, j].mean()):
            out[n] = round(share, 4)
    return out


def resolve_params(params: dict, df: pd.DataFrame, names: Sequence[str]) -> dict:
    """Model parameters with a ``prevalence`` spec ("origin:PREFIX") turned into the label -> share dict
    the classifier takes, computed from ``df`` (the rows it is about to be trained on)."""
    p = dict(params)
    spec = p.get("prevalence")
    if isinstance(spec, str):
        kind, _, origin = spec.partition(":")
        if kind != "origin" or not origin:
            raise ValueError(f"prevalence {spec!r}: give 'origin:PREFIX' (e.g. origin:seed) or a label -> share mapping")
        p["prevalence"] = real_prevalence(df, names, origin) or None
    return p


def codebook_for_columns(columns: Sequence[str], source: str) -> Codebook:
    """A minimal codebook for labels given as 0/1 columns of an arbitrary CSV."""
    return codebook_from_dict({"labels": [
        {"name": c, "display": c.replace("_", " ").capitalize(), "definition": f"Column {c!r} of {source}."} for c in columns
    ]}, source=source)


def groups_of(df: pd.DataFrame) -> np.ndarray:
    """Cross-validation groups: the article id (or, where empty, the row itself)."""
    ids = df["article_id"].astype(str).to_numpy()
    rows = np.array([f"_row{i}" for i in range(len(df))], dtype=object)
    return np.where(ids == "", rows, ids)


# `framing train --tune` tries these regularisation strengths (inverse: larger C = weaker regularisation), each
# with and without naive-Bayes feature scaling (``nb_scale``: free at scoring time, so kept whenever it wins).
TUNE_GRID = (0.5, 1.0, 2.0, 4.0, 8.0)
# ... and then character n-grams (of the author's voice) at the chosen C, kept if macro-F1 gains this much.
TUNE_CHAR_NGRAMS = (2, 5)
TUNE_CHAR_MIN_GAIN = 0.005


def tune_params(df: pd.DataFrame, codebook: Codebook, params: dict | None = None, random_state: int = 0,
                cv: int = 5, grid: Sequence[float] = TUNE_GRID, tune_char: bool = True,
                tune_nb: bool = True) -> tuple[dict, list[dict]]:
    """Choose C (and, with ``tune_nb``, whether to scale the features by their naive-Bayes log-count ratio)
    by grouped cross-validated macro-F1 on ``df`` (the training data only), then (with ``tune_char``)
    whether character n-grams at that choice gain at least ``TUNE_CHAR_MIN_GAIN``; returns the best
    parameters and one row per candidate. On a tie the plain features and the C nearest the default win."""
    names = codebook.names
    texts = df["text"].astype(str).tolist()
    y = label_matrix(df, names)
    groups = groups_of(df)
    folds = grouped_folds(groups, cv)
    base = dict(DEFAULT_PARAMS, **(params or {}))

    def cv_macro_f1(p: dict) -> float:
        # candidates are compared with one calibration assignment each (the same for all; the default three
        # would make each candidate's fits about twice as slow and move every candidate alike); the chosen
        # parameters are then fitted as given
        p = dict(p, threshold_repeats=1)
        model = FramingClassifier(labels=names, random_state=random_state, cv=cv, n_jobs=-1, **resolve_params(p, df, names))
        return round(float(cross_validate(model, texts, y, groups, names, folds=folds)["metrics"]["macro_f1"]), 4)

    scalings = (False, True) if tune_nb and not base.get("nb_scale") else (bool(base.get("nb_scale")),)
    rows = [{"C": float(c), "nb_scale": nb, "macro_f1": cv_macro_f1(dict(base, C=float(c), nb_scale=nb))}
            for nb in scalings for c in grid]
    best = max(rows, key=lambda r: (r["macro_f1"], -r["nb_scale"], -abs(np.log(r["C"] / base["C"]))))
    chosen = dict(base, C=best["C"], nb_scale=best["nb_scale"])
    if tune_char and not base.get("char_ngrams"):
        # character n-grams cost about 3x the fit and scoring time: kept only if they pay clearly
        p = dict(chosen, char_ngrams=TUNE_CHAR_NGRAMS)
        f1 = cv_macro_f1(p)
        rows.append({"C": float(best["C"]), "nb_scale": best["nb_scale"], "char_ngrams": list(TUNE_CHAR_NGRAMS),
                     "macro_f1": f1})
        if f1 >= best["macro_f1"] + TUNE_CHAR_MIN_GAIN:
            chosen = p
    return chosen, rows


def fit_model(df: pd.DataFrame, codebook: Codebook, params: dict | None = None, random_state: int = 0,
              cv: int = 5, evaluate: bool = True, tune: bool = False) -> tuple[FramingClassifier, dict]:
    """Fit on every row of ``df`` (canonical label table); with ``evaluate``, also grouped CV; with
    ``tune``, C is first chosen by grouped CV on ``df`` (see :func:`tune_params`).

    Returns the fitted model and a metadata dict (metrics, label counts, data hash, timings).
    """
    names = codebook.names
    texts = df["text"].astype(str).tolist()
    y = label_matrix(df, names)
    groups = groups_of(df)
    tuning = None
    if tune:
        params, tuning = tune_params(df, codebook, params, random_state=random_state, cv=cv)
    p = dict(DEFAULT_PARAMS, **(params or {}))
    resolved = resolve_params(p, df, names)
    model = FramingClassifier(labels=names, random_state=random_state, cv=cv, n_jobs=-1, **resolved)
    info: dict = {
        "labels": names,
        "n_sentences": len(df),
        "n_articles": len(np.unique(groups)),
        "label_counts": {n: int(y[:, j].sum()) for j, n in enumerate(names)},
        "data_hash": data_hash(df),
        "params": {k: list(v) if isinstance(v, tuple) else v for k, v in p.items()},
        "random_state": random_state,
        # the cue lexicons and registries the features are made with (registry.load_bundle warns on a mismatch)
        "resources_sha256": resources_digest(),
    }
    if resolved.get("prevalence"):
        info["threshold_prevalence"] = {
            "spec": p["prevalence"], "shares": resolved["prevalence"],
            "training_shares": {n: round(float(y[:, j].mean()), 4) for j, n in enumerate(names)},
            "note": "each listed label's threshold maximises F1 at this share of positives (the share in the "
                    "rows from real articles), not at the training data's share"}
    if tuning is not None:
        info["tuning"] = {"grid": tuning, "chosen": {"C": p["C"], "nb_scale": bool(p.get("nb_scale")),
                                                     "char_ngrams": list(p["char_ngrams"]) if p.get("char_ngrams") else None},
                          "note": "C (and the features' scaling) chosen by grouped CV macro-F1 on the training data; the CV metrics below "
                                  "use the same folds, so they are slightly optimistic"}
    if "origin" in df:
        info["origins"] = df["origin"].astype(str).str.split(":").str[0].value_counts().to_dict()
    if evaluate:
        t = time.perf_counter()
        folds = grouped_folds(groups, cv)
        res = cross_validate(model, texts, y, groups, names, folds=folds)
        info["metrics"] = res["metrics"]
        info["metrics"]["cv"] = f"{res['folds']}-fold cross-validation grouped by article (no article in two folds)"
        info["brier"] = res["brier"]
        info["ece"] = res["ece"]
        info["cv_seconds"] = round(time.perf_counter() - t, 2)
        info["_oof"] = (y, res["oof_proba"], res["oof_pred"])
    t = time.perf_counter()
    model.fit(texts, y, groups=groups)
    info["fit_seconds"] = round(time.perf_counter() - t, 2)
    info["thresholds"] = {n: round(float(model.thresholds_[j]), 4) for j, n in enumerate(names)}
    return model, info


def load_training_data(paths: Sequence[str | Path], codebook_path: str | Path | None = None,
                       label_columns: Sequence[str] | None = None, text_column: str = "text") -> tuple[pd.DataFrame, Codebook]:
    """Read label files and the codebook they are checked against."""
    if label_columns:
        codebook = codebook_for_columns(label_columns, ", ".join(map(str, paths)))
    else:
        codebook = load_codebook(codebook_path)
    df = read_labels(paths, codebook, label_columns=label_columns, text_column=text_column)
    df = df[df["text"].astype(str).str.strip() != ""].reset_index(drop=True)
    return df, codebook
