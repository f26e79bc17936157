"""The command line, run in-process: help, the end-to-end path, and bad input."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from framing.cli import build_parser

from .conftest import CODEBOOK, SEED_CORPUS, SEED_LABELS

COMMANDS = ["train", "score", "report", "evaluate", "labels", "codebook"]


def test_top_level_help_lists_every_command_with_an_example(run_cli):
    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args(["--help"])
    assert exc.value.code == 0


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command, capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args([command, "--help"])
    out = capsys.readouterr().out
    assert "examples:" in out and f"framing {command}" in out


def test_usage_error_is_one_line_with_exit_2(run_cli):
    code, out, err = run_cli("score")
    assert code == 2 and err.count("\n") == 1 and err.startswith("Error: ")


def test_train_score_report_on_the_seed_corpus(run_cli, tmp_path):
    model = tmp_path / "model"
    code, out, err = run_cli("train", SEED_LABELS, "--codebook", CODEBOOK, "--out", model)
    assert code == 0, err
    assert "macro" in out and "grouped by article" in err
    meta = json.loads((model / "model.json").read_text())
    assert meta["labels"] == ["state_media", "loaded_language", "hedging", "editorializing"]
    assert set(meta["metrics"]["labels"]) == set(meta["labels"])
    assert (model / "report" / "pr_curves.png").exists()

    scored = tmp_path / "scored"
    code, out, err = run_cli("score", SEED_CORPUS, "--out", scored, "--model", model, "--workers", "1", "--quiet")
    assert code == 0, err
    sents = pd.read_parquet(scored / "sentences.parquet")
    arts = pd.read_parquet(scored / "articles.parquet")
    for col in ["article_id", "source", "sentence_id", "start", "end", "text", "boilerplate", "evidence"]:
        assert col in sents.columns
    for lab in meta["labels"]:
        assert f"p_{lab}" in sents.columns and lab in sents.columns and f"share_{lab}" in arts.columns
    assert len(arts) == 5 and arts["n_sentences"].sum() == (~sents["boilerplate"]).sum()
    texts = {json.loads(l)["id"]: json.loads(l)["text"] for l in SEED_CORPUS.read_text().splitlines()}
    for r in sents.itertuples():
        assert texts[r.article_id][r.start:r.end] == r.text

    report = tmp_path / "report"
    code, out, err = run_cli("report", scored, "--out", report)
    assert code == 0, err
    html = (report / "index.html").read_text()
    assert "data:image/png;base64," in html

    code, out, err = run_cli("score", SEED_CORPUS, "--out", tmp_path / "csv", "--model", model, "--format", "csv", "--quiet")
    assert code == 0 and (tmp_path / "csv" / "sentences.csv").exists() and (tmp_path / "csv" / "articles.csv").exists()


def test_evaluate_json_matches_the_schema(run_cli, small_model):
    code, out, err = run_cli("evaluate", SEED_LABELS, "--model", small_model, "--format", "json")
    assert code == 0, err
    obj = json.loads(out)
    assert set(obj) == {"labels", "macro_f1"}
    for m in obj["labels"].values():
        assert set(m) == {"precision", "recall", "f1", "support"}
        assert all(isinstance(m[k], float) for k in ("precision", "recall", "f1")) and isinstance(m["support"], int)


def _one_error_line(code, err, expected_code=1):
    assert code == expected_code, err
    lines = [l for l in err.splitlines() if l.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "Traceback" not in err
    return lines[0]


def test_bad_input_gives_one_error_line(run_cli, tmp_path, small_model):
    line = _one_error_line(*run_cli("score", tmp_path / "missing.jsonl", "--out", tmp_path / "o", "--model", small_model, "--quiet")[::2])
    assert "missing.jsonl" in line and "no such file" in line

    line = _one_error_line(*run_cli("score", SEED_CORPUS, "--out", tmp_path / "o2", "--model", tmp_path / "nomodel")[::2])
    assert "nomodel" in line and "--model" in line

    broken = tmp_path / "broken"
    shutil.copytree(small_model, broken)
    (broken / "model.json").write_text("{not json", encoding="utf-8")
    line = _one_error_line(*run_cli("score", SEED_CORPUS, "--out", tmp_path / "o3", "--model", broken)[::2])
    assert "model.json" in line

    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    line = _one_error_line(*run_cli("score", empty, "--out", tmp_path / "o4", "--model", small_model, "--quiet")[::2])
    assert "no articles" in line

    labels = tmp_path / "bad.csv"
    labels.write_text("text,labels,article_id,origin,note\nA sentence.,spin,a,written,\n", encoding="utf-8")
    line = _one_error_line(*run_cli("train", labels, "--codebook", CODEBOOK, "--out", tmp_path / "m")[::2])
    assert "unknown label 'spin'" in line and "valid labels" in line

    line = _one_error_line(*run_cli("labels", "check", tmp_path / "nolabels")[::2])
    assert "nolabels" in line


def test_labels_check_exit_codes(run_cli, tmp_path):
    code, out, err = run_cli("labels", "check", SEED_LABELS, "--codebook", CODEBOOK)
    assert code == 0 and out == ""
    bad = tmp_path / "bad.csv"
    bad.write_text("text,labels,article_id,origin,note\nA.,spin,a,written,\n", encoding="utf-8")
    code, out, err = run_cli("labels", "check", bad, "--codebook", CODEBOOK)
    assert code == 1 and out.strip() == f"{bad}:2: unknown label 'spin'; valid labels: state_media, loaded_language, hedging, editorializing"


def test_train_tune_chooses_c_by_grouped_cv_and_records_it(run_cli, tmp_path):
    import json as _json

    import numpy as np
    import pandas as pd

    from framing.train import TUNE_CHAR_MIN_GAIN, TUNE_CHAR_NGRAMS, TUNE_GRID

    from .conftest import CODEBOOK, DATA

    b = pd.read_csv(DATA / "labels" / "written-b.csv", keep_default_na=False)
    b[b["article_id"].isin(sorted(b["article_id"].unique())[:15])].to_csv(tmp_path / "l.csv", index=False)
    code, out, err = run_cli("train", tmp_path / "l.csv", "--codebook", CODEBOOK, "--out", tmp_path / "m", "--tune", "--cv", "3")
    assert code == 0, err
    meta = _json.loads((tmp_path / "m" / "model.json").read_text())
    grid = meta["tuning"]["grid"]
    by_c, char = grid[:-1], grid[-1]
    # every C, first on the plain features, then naive-Bayes scaled
    assert [(r["C"], r["nb_scale"]) for r in by_c] == [(c, nb) for nb in (False, True) for c in TUNE_GRID]
    top = max(r["macro_f1"] for r in by_c)
    winners = [r for r in by_c if r["macro_f1"] == top]
    # the best macro-F1 wins; on a tie the plain features, then the C nearest the default (2)
    want = min(winners, key=lambda r: (r["nb_scale"], abs(np.log(r["C"] / 2.0))))
    assert (meta["params"]["C"], meta["params"]["nb_scale"]) == (want["C"], want["nb_scale"])
    assert meta["tuning"]["chosen"]["nb_scale"] == want["nb_scale"]
    # then character n-grams at the chosen C and scaling, kept only if they gain TUNE_CHAR_MIN_GAIN
    assert char["char_ngrams"] == list(TUNE_CHAR_NGRAMS) and char["C"] == meta["params"]["C"]
    assert char["nb_scale"] == meta["params"]["nb_scale"]
    gained = char["macro_f1"] >= max(r["macro_f1"] for r in by_c) + TUNE_CHAR_MIN_GAIN
    assert (meta["params"].get("char_ngrams") == list(TUNE_CHAR_NGRAMS)) == gained
    assert meta["tuning"]["chosen"]["char_ngrams"] == (list(TUNE_CHAR_NGRAMS) if gained else None)
    assert "tuned: macro-F1 (C=" in err and "metrics" in meta


def test_train_char_ngrams_option(run_cli, tmp_path):
    import json as _json

    from .conftest import CODEBOOK, SEED_LABELS

    code, out, err = run_cli("train", SEED_LABELS, "--codebook", CODEBOOK, "--out", tmp_path / "m", "--char-ngrams", "3,4",
                             "--no-eval")
    assert code == 0, err
    meta = _json.loads((tmp_path / "m" / "model.json").read_text())
    assert meta["params"]["char_ngrams"] == [3, 4]
    code, out, err = run_cli("train", SEED_LABELS, "--codebook", CODEBOOK, "--out", tmp_path / "m2", "--char-ngrams", "5")
    assert code == 2 and "--char-ngrams '5': give two lengths MIN,MAX" in err


def test_train_nb_scale_option_saves_a_model_that_scores_with_evidence(run_cli, tmp_path):
    """--nb-scale is recorded in model.json; the saved model (its weights folded) scores and explains like any other."""
    import json as _json

    import numpy as np

    from framing.model import FramingClassifier
    from framing.registry import load_bundle

    from .conftest import CODEBOOK, SEED_LABELS

    code, _, err = run_cli("train", SEED_LABELS, "--codebook", CODEBOOK, "--out", tmp_path / "m", "--nb-scale", "--no-eval")
    assert code == 0, err
    assert _json.loads((tmp_path / "m" / "model.json").read_text())["params"]["nb_scale"] is True
    model = load_bundle(tmp_path / "m").model
    assert model.nb_scale is True
    texts = ["The ministry said in a statement that talks may resume.", "Critics call it a disastrous, reckless scheme."]
    refit = FramingClassifier(**model.get_params()).set_params(n_jobs=1)
    from framing.codebook import load_codebook
    from framing.labels import label_matrix, read_labels
    from framing.train import groups_of

    df = read_labels([SEED_LABELS], load_codebook(CODEBOOK))
    refit.fit(df["text"].tolist(), label_matrix(df, model.labels_), groups=groups_of(df))
    np.testing.assert_allclose(model.predict_proba(texts), refit.predict_proba(texts), atol=1e-9)
    _, flags, evidence = model.score_batch(texts)
    assert flags.any() and all(bool(ev) == bool(f.any()) for ev, f in zip(evidence, flags))
    for t, ev in zip(texts, evidence):
        assert all(t[e["start"]:e["end"]] == e["text"] for e in ev)


def test_train_char_labels_option(run_cli, tmp_path):
    """--char-labels limits the character n-grams to the labels named: the others' weights on them are zero."""
    import numpy as np

    from framing.registry import load_bundle

    from .conftest import CODEBOOK, SEED_LABELS

    code, _, err = run_cli("train", SEED_LABELS, "--codebook", CODEBOOK, "--out", tmp_path / "m", "--char-ngrams", "3,4",
                             "--char-labels", "hedging", "--no-eval")
    assert code == 0, err
    model = load_bundle(tmp_path / "m").model
    assert list(model.char_labels) == ["hedging"]
    char = np.array([str(n).startswith("char:") for n in model.feature_names_])
    assert char.sum() > 100
    for name, est in zip(model.labels_, model.estimators_):
        on_char = np.abs(est.coef_[0][char]).sum()
        assert (on_char > 0) == (name == "hedging"), name
    code, _, err = run_cli("train", SEED_LABELS, "--codebook", CODEBOOK, "--out", tmp_path / "m2", "--char-labels", "hedging")
    assert code == 2 and "--char-labels needs --char-ngrams" in err
    code, _, err = run_cli("train", SEED_LABELS, "--codebook", CODEBOOK, "--out", tmp_path / "m3", "--char-ngrams", "3,4",
                             "--char-labels", "hedging,spin")
    assert code == 2 and "--char-labels: spin not among the labels" in err
