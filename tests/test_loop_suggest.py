"""Choosing what to label next (`framing suggest`) and finding likely label errors (`framing labels audit`)."""

from __future__ import annotations

import json
import math
import shutil
import time

import numpy as np
import pandas as pd
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from framing.active import audit_labels, select, suggest, uncertainty
from framing.codebook import load_codebook
from framing.labels import ALL_COLUMNS, read_label_file

from .conftest import CODEBOOK, SEED_CORPUS, SEED_LABELS

CB = load_codebook(CODEBOOK)
NAMES = CB.names


def _text(rng, vocab, n_words=12) -> str:
    return " ".join(rng.choice(vocab, size=n_words, replace=False)).capitalize() + "."


def make_scored(folder, n=600, seed=1, sources=("alpha", "beta", "gamma")):
    """A synthetic `framing score` folder: confident sentences plus planted uncertain ones, duplicates,
    boilerplate and fragments. Returns the folder and a dict of the planted texts."""
    rng = np.random.default_rng(seed)
    vocab = np.array([f"w{i:04d}" for i in range(3000)])
    thr = np.linspace(0.3, 0.6, len(NAMES))
    rows = []
    for i in range(n):
        p = np.where(rng.random(len(NAMES)) < 0.5, rng.uniform(0.0, 0.02, len(NAMES)), rng.uniform(0.98, 1.0, len(NAMES)))
        rows.append({"text": _text(rng, vocab), "p": p, "boilerplate": False})
    planted = {"uncertain": {}, "near_dups": [], "boilerplate": None, "short": None}
    for j, name in enumerate(NAMES):  # two sentences near each label's threshold
        for k in range(2):
            p = np.full(len(NAMES), 0.001)
            p[j] = thr[j] + (0.01 if k else -0.01)
            t = _text(rng, vocab)
            planted["uncertain"].setdefault(name, []).append(t)
            rows.append({"text": t, "p": p, "boilerplate": False})
    # near-duplicates of an uncertain sentence for label 0, a little less uncertain than it: the same words
    # and one more, or the same words in other case and punctuation
    base = planted["uncertain"][NAMES[0]][0]
    for variant in (base[:-1] + " w2999.", base.upper().replace(".", "!")):
        p = np.full(len(NAMES), 0.001)
        p[0] = thr[0] - 0.02
        planted["near_dups"].append(variant)
        rows.append({"text": variant, "p": p, "boilerplate": False})
    p = np.full(len(NAMES), 0.001)
    p[1] = thr[1]
    planted["boilerplate"] = "Subscribe to our newsletter for w0001 w0002 w0003 daily updates."
    rows.append({"text": planted["boilerplate"], "p": p, "boilerplate": True})
    planted["short"] = "Read more."
    rows.append({"text": planted["short"], "p": p.copy(), "boilerplate": False})
    order = rng.permutation(len(rows))
    rows = [rows[i] for i in order]
    df = pd.DataFrame({
        "article_id": [f"art{i // 10:03d}" for i in range(len(rows))],
        "source": [sources[(i // 10) % len(sources)] for i in range(len(rows))],
        "sentence_id": [i % 10 for i in range(len(rows))],
        "start": 0, "end": 0,
        "text": [r["text"] for r in rows],
        "boilerplate": [r["boilerplate"] for r in rows],
        "para_start": False,
    })
    P = np.array([r["p"] for r in rows])
    for j, name in enumerate(NAMES):
        df[f"p_{name}"] = P[:, j]
    for j, name in enumerate(NAMES):
        df[name] = (P[:, j] >= thr[j]).astype(np.int8)
    df["evidence"] = "[]"
    folder.mkdir(parents=True, exist_ok=True)
    df.to_parquet(folder / "sentences.parquet", index=False)
    manifest = {"model": {"path": "/m", "version": "v0042", "sha256": "x", "labels": NAMES, "thresholds": thr.tolist()},
                "codebook": CB.to_dict()}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder, planted, thr


@pytest.fixture()
def scored(tmp_path):
    return make_scored(tmp_path / "scored")


def test_uncertainty_is_one_at_the_threshold_and_zero_at_the_ends():
    u = uncertainty(np.array([[0.3, 0.0, 1.0, 0.65]]), np.array([0.3, 0.3, 0.3, 0.3]))
    np.testing.assert_allclose(u, [[1.0, 0.0, 0.0, 0.5]])


def test_suggest_writes_uncertain_diverse_picks_in_label_format(scored, tmp_path, run_cli):
    folder, planted, thr = scored
    out = tmp_path / "to-label.csv"
    n = 5 * len(NAMES)
    code, stdout, err = run_cli("suggest", folder, "--n", n, "--out", out, "--labels", tmp_path / "none")
    assert code == 0, err
    assert stdout == ""
    assert f"picked {n} sentences" in err and f"next: framing label {out}" in err
    df = read_label_file(out, CB)                       # valid label file: known labels, required columns
    raw = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(raw.columns[: len(ALL_COLUMNS)]) == ALL_COLUMNS
    assert len(df) == n
    assert (raw["origin"] == "suggest:v0042").all() and (raw["suggested"] == "1").all()
    assert (raw["labelled_at"] == "").all() and (raw["labeller"] == "").all()
    texts = set(raw["text"])
    # uncertain: every planted near-threshold sentence is picked (2 per label, 4 uncertain turns per label)
    for name, planted_texts in planted["uncertain"].items():
        assert set(planted_texts) <= texts, name
    # spread: labels take turns; no source gets more than its share
    notes = raw["note"]
    per_label = notes[notes.str.startswith("uncertain ")].str.split().str[1].value_counts()
    assert set(per_label.index) == set(NAMES) and per_label.max() - per_label.min() <= 1
    assert notes.str.startswith("diverse").sum() == n // 5
    counts = raw["source"].value_counts()
    assert counts.max() <= math.ceil(n / 3) and len(counts) == 3
    # the note and the suggestion come from the model's numbers
    row = raw[raw["text"] == planted["uncertain"][NAMES[1]][1]].iloc[0]
    assert row["note"].startswith(f"uncertain {NAMES[1]} p={thr[1] + 0.01:.2f}") and row["labels"] == NAMES[1]
    # never boilerplate, fragments, or near-duplicates of a pick
    assert planted["boilerplate"] not in texts and planted["short"] not in texts
    assert not set(planted["near_dups"]) & texts
    X = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True).fit_transform(raw["text"])
    sim = (X @ X.T).toarray()
    np.fill_diagonal(sim, 0)
    assert sim.max() <= 0.8


def test_suggest_is_reproducible_and_never_overwrites(scored, tmp_path, run_cli):
    folder, _, _ = scored
    out = tmp_path / "s.csv"
    assert run_cli("suggest", folder, "--n", 12, "--out", out, "--seed", 3, "--labels", tmp_path / "none")[0] == 0
    first = out.read_bytes()
    code, _, err = run_cli("suggest", folder, "--n", 12, "--out", out, "--seed", 3, "--labels", tmp_path / "none")
    assert code == 1 and err.startswith(f"Error: {out}: already exists") and err.count("\n") == 1
    assert out.read_bytes() == first
    code, _, err = run_cli("suggest", folder, "--n", 12, "--out", out, "--seed", 3, "--labels", tmp_path / "none", "--overwrite")
    assert code == 0 and out.read_bytes() == first


def test_suggest_refuses_to_write_into_the_label_folder(scored, tmp_path, run_cli):
    folder, _, _ = scored
    labels = tmp_path / "labels"
    labels.mkdir()
    code, _, err = run_cli("suggest", folder, "--out", labels / "next.csv", "--labels", labels)
    assert code == 1 and "inside the label folder" in err and not (labels / "next.csv").exists()


def test_suggest_leaves_out_sentences_already_labelled(scored, tmp_path):
    folder, planted, _ = scored
    labels = tmp_path / "labels"
    labels.mkdir()
    done = planted["uncertain"][NAMES[2]]
    pd.DataFrame({"text": [done[0], done[1].lower().rstrip(".")], "labels": ["", ""], "article_id": ["x", "y"],
                  "origin": ["written", "written"]}).to_csv(labels / "done.csv", index=False)
    df = suggest(folder, n=4 * len(NAMES), labels=[labels])
    assert not set(done) & set(df["text"])
    assert set(planted["uncertain"][NAMES[0]]) <= set(df["text"])


def test_suggest_stops_when_candidates_run_out(tmp_path, run_cli):
    folder, _, _ = make_scored(tmp_path / "small", n=5)
    code, _, err = run_cli("suggest", folder, "--n", 500, "--out", tmp_path / "x.csv", "--labels", tmp_path / "none")
    assert code == 0 and "only" in err and "distinct candidates" in err


def test_select_is_vectorised_enough_for_large_folders(tmp_path):
    folder, planted, thr = make_scored(tmp_path / "big", n=30_000, seed=2)
    df = pd.read_parquet(folder / "sentences.parquet")
    t = time.perf_counter()
    picks = select(df, NAMES, thr, n=100, seed=0)
    assert time.perf_counter() - t < 30
    assert len(picks) == 100 and set(planted["uncertain"][NAMES[0]]) <= set(picks["text"])


def test_suggest_errors_are_one_line(tmp_path, run_cli):
    code, _, err = run_cli("suggest", tmp_path, "--out", tmp_path / "x.csv")
    assert code == 1 and "no manifest.json" in err and err.count("\n") == 1
    code, _, err = run_cli("suggest", tmp_path, "--out", tmp_path / "x.csv", "--n", 0)
    assert code == 2 and err.startswith("Error: --n must be at least 1")


def test_suggest_on_a_real_scored_corpus(small_model, tmp_path, run_cli):
    scored = tmp_path / "scored"
    assert run_cli("score", SEED_CORPUS, "--out", scored, "--model", small_model, "--workers", 1, "--quiet")[0] == 0
    out = tmp_path / "next.csv"
    code, _, err = run_cli("suggest", scored, "--n", 15, "--out", out, "--labels", tmp_path / "none")
    assert code == 0, err
    picks = pd.read_csv(out, dtype=str, keep_default_na=False)
    sents = pd.read_parquet(scored / "sentences.parquet")
    content = set(sents.loc[~sents["boilerplate"], "text"])
    assert len(picks) == 15 and set(picks["text"]) <= content
    assert (picks["origin"] == f"suggest:{small_model.name}").all()
    assert picks["source"].nunique() >= 3
    # with the seed labels as the store, every seed sentence counts as labelled
    labels = tmp_path / "labels"
    labels.mkdir()
    shutil.copy(SEED_LABELS, labels / "seed.csv")
    left = suggest(scored, n=15, labels=[labels])
    seed_texts = set(pd.read_csv(SEED_LABELS, dtype=str, keep_default_na=False)["text"])
    assert not set(left["text"]) & seed_texts


# ------------------------------------------------------------------------------------------ audit

def test_audit_lists_a_deliberately_flipped_label(tmp_path, run_cli):
    from framing.train import fit_model, load_training_data

    df, cb = load_training_data([SEED_LABELS], CODEBOOK)
    _, info = fit_model(df, cb, evaluate=True)
    y, proba, _ = info["_oof"]
    # the positive label the cross-validated model is surest about; its out-of-fold p does not depend on it
    score = np.where(y == 1, proba, -1.0)
    i, j = np.unravel_index(np.argmax(score), score.shape)
    assert proba[i, j] > 0.9
    raw = pd.read_csv(SEED_LABELS, dtype=str, keep_default_na=False)
    line = int(df["_line"][i])
    r = line - 2
    assert raw.at[r, "text"] == df["text"][i]
    name = cb.names[j]
    raw.at[r, "labels"] = ";".join(lab for lab in raw.at[r, "labels"].split(";") if lab and lab != name)
    flipped = tmp_path / "flipped.csv"
    raw.to_csv(flipped, index=False)

    code, out, err = run_cli("labels", "audit", flipped, "--codebook", CODEBOOK, "--format", "csv", "--top", 100)
    assert code == 0, err
    assert "confidently contradicted" in err
    table = pd.read_csv(__import__("io").StringIO(out))
    assert list(table.columns) == ["file", "line", "text", "label", "given", "p"]
    hit = table[(table["line"] == line) & (table["label"] == name)]
    assert len(hit) == 1 and hit.iloc[0]["given"] == 0 and hit.iloc[0]["p"] > 0.9
    gap = (table["p"] - table["given"]).abs()
    assert (gap >= 0.9).all() and gap.is_monotonic_decreasing

    # the table form and --out CSV; --out never overwrites silently
    code, out, _ = run_cli("labels", "audit", flipped, "--codebook", CODEBOOK, "--top", 5)
    assert code == 0 and out.splitlines()[0].split() == ["file", "line", "text", "label", "given", "p"]
    assert len(out.splitlines()) == 6
    dest = tmp_path / "audit.csv"
    assert run_cli("labels", "audit", flipped, "--codebook", CODEBOOK, "--out", dest)[0] == 0
    assert len(pd.read_csv(dest)) >= 1
    code, _, err = run_cli("labels", "audit", flipped, "--codebook", CODEBOOK, "--out", dest)
    assert code == 1 and "already exists" in err


def test_audit_function_returns_total_and_top(tmp_path):
    table, total = audit_labels([SEED_LABELS], CODEBOOK, top=3, confidence=0.9)
    assert len(table) == min(3, total) and total >= len(table)
