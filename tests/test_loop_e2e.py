"""The whole editor's loop, end to end, through the CLI:

retrain v0001 -> score new articles -> suggest -> label in the terminal (scripted keys) -> import
(plus a Label Studio export with a conflicting answer) -> retrain: the gate refuses a worse model,
promotes a better one -> rollback.
"""

from __future__ import annotations

import io
import json
import sys

import pandas as pd
import pytest

from framing.codebook import load_codebook
from framing.labels import read_labels

from .conftest import CODEBOOK, DATA, make_label_folder, registry_json, without_label

_registry = registry_json


@pytest.fixture()
def world(tmp_path):
    """Labels (seed + 12 stories), and a corpus of 6 unseen stories written as articles."""
    labels = make_label_folder(tmp_path / "labels")
    d = pd.read_csv(DATA / "labels" / "written-d.csv", keep_default_na=False)
    stories = sorted(d["article_id"].unique())
    new = d[d["article_id"].isin(stories[40:46])]
    corpus = tmp_path / "new.jsonl"
    with corpus.open("w", encoding="utf-8") as f:
        for aid, g in new.groupby("article_id", sort=True):
            f.write(json.dumps({"id": aid, "source": g["outlet_type"].iloc[0], "title": "",
                                "text": "\n\n".join(g["text"])}) + "\n")
    more = d[d["article_id"].isin(stories[:18])]
    return labels, corpus, more


def test_score_suggest_label_import_retrain_gate_promote_rollback(world, tmp_path, run_cli, monkeypatch):
    labels, corpus, more = world
    reg = tmp_path / "models"
    code, out, err = run_cli("retrain", labels, "--registry", reg, "--codebook", CODEBOOK)
    assert code == 0, err
    assert _registry(reg)["current"] == "v0001"

    # score unseen articles with the current version
    scored = tmp_path / "scored"
    code, out, err = run_cli("score", corpus, "--out", scored, "--model", reg, "--workers", "1", "--quiet")
    assert code == 0, err

    # pick the sentences worth labelling
    todo = tmp_path / "to-label" / "next.csv"
    todo.parent.mkdir()
    code, out, err = run_cli("suggest", scored, "--n", "6", "--out", todo, "--labels", labels)
    assert code == 0, err
    sug = pd.read_csv(todo, keep_default_na=False)
    assert len(sug) == 6 and (sug["suggested"].astype(str) == "1").all()
    assert sug["origin"].str.startswith("suggest:v0001").all()
    assert not sug["text"].isin(read_labels([labels], load_codebook(CODEBOOK))["text"]).any()

    # label them in the terminal: toggle label 1 on the first row, accept the rest as suggested
    monkeypatch.setattr(sys, "stdin", io.StringIO("1\n\n" + "\n" * 5 + "q\n"))
    code, out, err = run_cli("label", todo, "--codebook", CODEBOOK, "--labels", labels, "--labeller", "ana")
    assert code == 0, err
    done = pd.read_csv(todo, keep_default_na=False)
    assert (done["suggested"].astype(str) != "1").all() and (done["labeller"] == "ana").all()

    # import into the label folder
    into = labels / "editor.csv"
    code, out, err = run_cli("labels", "import", todo, "--into", into, "--labels", labels, "--codebook", CODEBOOK)
    assert code == 0, err
    assert "added 6" in err + out
    added = pd.read_csv(into, keep_default_na=False)
    assert len(added) == 6 and (added["labeller"] == "ana").all() and added["labelled_at"].str.len().gt(0).all()

    # a colleague labelled one of them differently in Label Studio: reported, neither side overwritten
    text = done["text"].iloc[0]
    theirs = "hedging" if "hedging" not in done["labels"].iloc[0] else "state_media"
    export = [{"id": 1, "data": {"text": text, "article_id": done["article_id"].iloc[0]},
               "annotations": [{"completed_by": {"email": "bo@example.org"}, "created_at": "2026-11-30T10:00:00Z",
                                "was_cancelled": False,
                                "result": [{"from_name": "labels", "to_name": "text", "type": "choices",
                                            "value": {"choices": [theirs]}}]}]}]
    ls = tmp_path / "export.json"
    ls.write_text(json.dumps(export))
    before = into.read_bytes()
    code, out, err = run_cli("labels", "import", ls, "--into", into, "--labels", labels, "--codebook", CODEBOOK)
    assert code == 0, err
    assert "1 conflict" in err + out
    assert into.read_bytes() == before
    conflicts = list((labels / "conflicts").glob("*.csv"))
    assert conflicts and text in set(pd.read_csv(conflicts[0], keep_default_na=False)["text"])  # parsed: quotes are escaped

    # the conflicts file is not read as labels; the folder still checks clean
    code, out, err = run_cli("labels", "check", labels, "--codebook", CODEBOOK)
    assert code == 0, err

    # a worse model: an editor "corrects" away every hedging label -> refused, kept unpromoted
    worse = without_label(labels, tmp_path / "worse", "hedging")
    code, out, err = run_cli("retrain", worse, "--registry", reg, "--codebook", CODEBOOK)
    assert code == 1 and "not promoted:" in err and "hedging 0." in err and "-> 0.000" in err
    assert _registry(reg)["current"] == "v0001"

    # a better model: the editor's rows plus more labelled stories -> promoted
    more.to_csv(labels / "more.csv", index=False)
    code, out, err = run_cli("retrain", labels, "--registry", reg, "--codebook", CODEBOOK)
    assert code == 0, out + err
    r = _registry(reg)
    assert r["current"] == "v0003"
    shown = json.loads(run_cli("models", "--registry", reg, "show", "v0003")[1])
    assert shown["n_sentences"] == len(read_labels([labels], load_codebook(CODEBOOK)))
    assert set(shown["ece"]) == set(shown["labels"]) and (reg / "v0003" / "report" / "index.md").exists()
    assert (reg / "v0003" / "report" / "calibration.png").stat().st_size > 10_000

    # scoring again uses the new version; rollback restores the old one
    code, out, err = run_cli("score", corpus, "--out", tmp_path / "scored2", "--model", reg, "--workers", "1", "--quiet")
    assert code == 0 and json.loads((tmp_path / "scored2" / "manifest.json").read_text())["model"]["version"] == "v0003"
    code, out, err = run_cli("models", "--registry", reg, "rollback")
    assert code == 0 and _registry(reg)["current"] == "v0001"
