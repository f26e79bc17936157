"""Label Studio: export tasks and config, import annotation exports and CSVs (labelstudio.py, `framing labels export|import`)."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest

from framing.codebook import load_codebook
from framing.labels import ALL_COLUMNS, check_labels, read_label_file, read_labels
from framing.labelstudio import labelling_config, read_import, read_label_studio_json
from framing.registry import load_bundle

from .conftest import CODEBOOK, SEED_LABELS

CB = load_codebook(CODEBOOK)
NAMES = CB.names


@pytest.fixture()
def labels(tmp_path):
    """A copy of the seed labels in a label folder."""
    folder = tmp_path / "labels"
    folder.mkdir()
    shutil.copy(SEED_LABELS, folder / "seed.csv")
    return folder


@pytest.fixture()
def suggestions(tmp_path):
    """A suggestion file (as `framing suggest` writes) with sentences not in the seed labels."""
    rows = [
        {"text": "The defence ministry said in a statement that the drills would continue.", "labels": NAMES[0], "p": "0.61"},
        {"text": "Analysts say the talks might stall before the summer.", "labels": NAMES[2], "p": "0.47"},
        {"text": "The brutal regime crushed yet another peaceful protest.", "labels": f"{NAMES[1]};{NAMES[3]}", "p": "0.35"},
        {"text": "The train left the station at nine.", "labels": "", "p": ""},
    ]
    df = pd.DataFrame(rows)
    df["article_id"] = ["n1", "n1", "n2", "n3"]
    df["origin"] = "suggest:v0007"
    df["note"] = ["uncertain x p=0.61", "uncertain y p=0.47", "diverse: z", "uncertain w p=0.10"]
    df["suggested"] = "1"
    df = df.reindex(columns=ALL_COLUMNS + ["p"], fill_value="")
    df.loc[3, "suggested"] = "1"
    path = tmp_path / "to-label.csv"
    df.to_csv(path, index=False)
    return path


def test_config_has_one_choice_per_codebook_label_with_its_definition():
    root = ET.fromstring(labelling_config(CB))
    assert root.tag == "View"
    text = root.find("Text")
    assert text.attrib == {"name": "text", "value": "$text"}
    choices = root.find("Choices")
    assert choices.attrib == {"name": "labels", "toName": "text", "choice": "multiple", "showInline": "true"}
    got = [(c.attrib["value"], c.attrib["hint"]) for c in choices.findall("Choice")]
    assert got == [(lab.name, lab.definition) for lab in CB.labels]


def test_export_every_labelled_sentence_with_its_labels_as_prediction(labels, tmp_path, run_cli):
    out = tmp_path / "ls" / "tasks.json"
    code, stdout, err = run_cli("labels", "export", out, "--labels", labels, "--codebook", CODEBOOK)
    assert code == 0, err
    df = read_labels([labels], CB)
    tasks = json.loads(out.read_text(encoding="utf-8"))
    assert len(tasks) == len(df) and f"wrote {len(df)} task(s)" in err
    config = out.with_name("tasks.config.xml")
    assert config.read_text(encoding="utf-8") == labelling_config(CB)
    for task, (_, row) in zip(tasks, df.iterrows()):
        assert set(task) == {"data", "predictions"}
        assert task["data"]["text"] == row["text"] and task["data"]["article_id"] == row["article_id"]
        assert task["data"]["origin"] == row["origin"]
        (pred,) = task["predictions"]
        assert pred["score"] == 1.0 and isinstance(pred["model_version"], str)
        (res,) = pred["result"]
        assert res == {"from_name": "labels", "to_name": "text", "type": "choices", "value": {"choices": row["labels"]}}
    # never overwrites the tasks or the config silently
    code, _, err = run_cli("labels", "export", out, "--labels", labels, "--codebook", CODEBOOK)
    assert code == 1 and "already exists" in err
    config.unlink()
    code, _, err = run_cli("labels", "export", out, "--labels", labels, "--codebook", CODEBOOK)
    assert code == 1 and str(out) in err and not config.exists()


def test_export_from_a_suggestion_file_uses_its_p_column(suggestions, tmp_path, run_cli):
    out = tmp_path / "batch.json"
    code, _, err = run_cli("labels", "export", out, "--from", suggestions, "--codebook", CODEBOOK)
    assert code == 0, err
    tasks = json.loads(out.read_text())
    assert [t["predictions"][0]["score"] for t in tasks] == [0.61, 0.47, 0.35, 0.5]
    assert tasks[2]["predictions"][0]["result"][0]["value"]["choices"] == [NAMES[1], NAMES[3]]
    assert tasks[0]["data"]["origin"] == "suggest:v0007" and tasks[0]["data"]["note"] == "uncertain x p=0.61"
    assert (tmp_path / "batch.config.xml").exists()


def test_export_with_a_model_uses_its_predictions(suggestions, small_model, tmp_path, run_cli):
    out = tmp_path / "m.json"
    code, _, err = run_cli("labels", "export", out, "--from", suggestions, "--model", small_model, "--codebook", CODEBOOK)
    assert code == 0, err
    tasks = json.loads(out.read_text())
    bundle = load_bundle(small_model)
    texts = [t["data"]["text"] for t in tasks]
    proba = bundle.model.predict_proba(texts)
    flags = bundle.model.predict(texts)
    for t, p, f in zip(tasks, proba, flags):
        pred = t["predictions"][0]
        assert pred["model_version"] == bundle.version
        assert pred["result"][0]["value"]["choices"] == [n for n, x in zip(NAMES, f) if x]
        expected = p[f == 1].mean() if f.any() else (1 - p).mean()
        assert pred["score"] == pytest.approx(expected, abs=1e-4)


def _annotate(tasks, answers):
    """What Label Studio's JSON export looks like after annotating ``tasks`` (answers: per task, a list of
    (choices, completed_by, created_at, updated_at, was_cancelled))."""
    out = []
    for k, (task, anns) in enumerate(zip(tasks, answers), 1):
        t = {"id": 40 + k, "data": task["data"], "predictions": task.get("predictions", []), "meta": {}, "project": 3,
             "created_at": "2024-02-28T09:00:00.000000Z", "updated_at": "2024-03-01T10:00:00.000000Z", "inner_id": k,
             "total_annotations": len(anns), "cancelled_annotations": 0, "file_upload": "batch.json", "drafts": [],
             "annotations": []}
        for m, (choices, who, created, updated, cancelled) in enumerate(anns, 1):
            t["annotations"].append({
                "id": 100 * k + m, "completed_by": who, "was_cancelled": cancelled, "ground_truth": False,
                "created_at": created, "updated_at": updated, "lead_time": 5.2, "task": 40 + k, "project": 3,
                "result": [] if choices is None else [{"id": f"r{k}{m}", "type": "choices", "origin": "manual",
                                                       "from_name": "labels", "to_name": "text",
                                                       "value": {"choices": choices}}],
            })
        out.append(t)
    return out


def test_label_studio_round_trip(labels, suggestions, tmp_path, run_cli):
    tasks_file = tmp_path / "batch.json"
    assert run_cli("labels", "export", tasks_file, "--from", suggestions, "--codebook", CODEBOOK)[0] == 0
    tasks = json.loads(tasks_file.read_text())
    ana = {"id": 2, "email": "ana@example.org", "first_name": "Ana", "last_name": "P"}
    export = _annotate(tasks, [
        [([NAMES[0]], ana, "2024-03-01T10:00:00.123456Z", "2024-03-01T10:00:00.123456Z", False)],
        # two annotators: the later one counts
        [([NAMES[2]], 7, "2024-03-01T10:00:00Z", "2024-03-01T10:00:00Z", False),
         ([NAMES[2], NAMES[3]], ana, "2024-03-02T08:00:00Z", "2024-03-02T09:30:00+01:00", False)],
        # the newest annotation was cancelled (skipped in Label Studio): the earlier one counts
        [([NAMES[1]], 7, "2024-03-01T11:00:00Z", "2024-03-01T11:00:00Z", False),
         ([NAMES[3]], ana, "2024-03-05T11:00:00Z", "2024-03-05T11:00:00Z", True)],
        # submitted with nothing chosen: a sentence with no label
        [(None, 7, "2024-03-01T12:00:00Z", "2024-03-01T12:00:00Z", False)],
    ])
    exported = tmp_path / "project-3-at-2024-03-06.json"
    exported.write_text(json.dumps(export), encoding="utf-8")
    into = labels / "editor.csv"
    code, stdout, err = run_cli("labels", "import", exported, "--into", into, "--labels", labels, "--codebook", CODEBOOK)
    assert code == 0, err
    assert stdout == ""
    assert "read 4 annotated row(s)" in err and "added 4 row(s)" in err and "0 conflicts" in err
    df = read_label_file(into, CB)
    assert df["text"].tolist() == [t["data"]["text"] for t in tasks]
    assert df["labels"].tolist() == [[NAMES[0]], [NAMES[2], NAMES[3]], [NAMES[1]], []]
    assert df["origin"].tolist() == ["editor:ana@example.org", "editor:ana@example.org", "editor:ls-user-7", "editor:ls-user-7"]
    assert df["labeller"].tolist() == ["ana@example.org", "ana@example.org", "ls-user-7", "ls-user-7"]
    assert df["labelled_at"].tolist() == ["2024-03-01T10:00:00+00:00", "2024-03-02T08:30:00+00:00",
                                          "2024-03-01T11:00:00+00:00", "2024-03-01T12:00:00+00:00"]
    assert df["article_id"].tolist() == ["n1", "n1", "n2", "n3"]
    assert df["note"].str.startswith("from suggest:v0007").all()
    assert (df["suggested"] == "").all()
    assert check_labels([labels], CB) == []
    # importing the same export again adds nothing
    code, _, err = run_cli("labels", "import", exported, "--into", into, "--labels", labels, "--codebook", CODEBOOK)
    assert code == 0 and "added 0 row(s)" in err and "skipped 4 duplicate(s)" in err
    # --labeller overrides the annotator
    rows, _ = read_import(exported, CB, labeller="zoe")
    assert (rows["labeller"] == "zoe").all() and (rows["origin"] == "editor:zoe").all()
    assert read_label_studio_json(export, "x.json")[0]["labeller"].tolist()[2] == "ls-user-7"


def test_import_refuses_unknown_labels_with_the_valid_list(labels, tmp_path, run_cli):
    task = {"data": {"text": "Some new sentence."}, "predictions": []}
    export = _annotate([task, dict(task, data={"text": "Another one."})],
                       [[([NAMES[0]], 1, "2024-03-01T10:00:00Z", "2024-03-01T10:00:00Z", False)],
                        [(["spin"], 1, "2024-03-01T10:00:00Z", "2024-03-01T10:00:00Z", False)]])
    p = tmp_path / "export.json"
    p.write_text(json.dumps(export))
    into = labels / "editor.csv"
    code, _, err = run_cli("labels", "import", p, "--into", into, "--labels", labels, "--codebook", CODEBOOK)
    assert code == 1 and err.count("\n") == 1
    assert err.startswith(f"Error: {p} task 42: unknown label 'spin'; valid labels: {', '.join(NAMES)}")
    assert not into.exists()


def test_import_skips_duplicates_and_reports_conflicts_without_overwriting(labels, tmp_path, run_cli):
    seed = read_labels([labels], CB)
    same = seed[seed["labels"].map(len) > 0].iloc[0]
    other = seed[seed["labels"].map(len) > 0].iloc[1]
    flipped = [n for n in NAMES if n not in other["labels"]][:1]
    tasks = [{"data": {"text": same["text"], "article_id": same["article_id"]}},
             {"data": {"text": other["text"].upper()}},
             {"data": {"text": "A sentence nobody has labelled before today."}},
             {"data": {"text": "One more sentence, never annotated."}}]
    export = _annotate(tasks, [[(same["labels"], 5, "2024-03-01T10:00:00Z", "2024-03-01T10:00:00Z", False)],
                               [(flipped, 5, "2024-03-01T10:00:00Z", "2024-03-01T10:00:00Z", False)],
                               [([], 5, "2024-03-01T10:00:00Z", "2024-03-01T10:00:00Z", False)],
                               []])
    p = tmp_path / "export.json"
    p.write_text(json.dumps(export))
    before = (labels / "seed.csv").read_bytes()
    into = labels / "editor.csv"
    code, _, err = run_cli("labels", "import", p, "--into", into, "--labels", labels, "--codebook", CODEBOOK)
    assert code == 0, err
    assert "added 1 row(s)" in err and "skipped 1 duplicate(s)" in err and "1 conflict(s)" in err
    assert "skipped 1 task(s) without a submitted annotation" in err
    assert (labels / "seed.csv").read_bytes() == before
    conflicts = pd.read_csv(labels / "conflicts" / "editor.conflicts.csv", dtype=str, keep_default_na=False)
    (c,) = conflicts.itertuples()
    assert c.where_new == f"{p} task 42" and c.labels_new == ";".join(flipped)
    assert c.where_existing == f"{labels / 'seed.csv'}:{other['_line']}" and c.text_existing == other["text"]
    assert read_label_file(into, CB)["text"].tolist() == ["A sentence nobody has labelled before today."]
    assert check_labels([labels], CB) == []  # the conflicts file is not read as a label file


def test_import_a_reviewed_csv_skips_unreviewed_suggestions(labels, suggestions, tmp_path, run_cli):
    df = pd.read_csv(suggestions, dtype=str, keep_default_na=False)
    df.loc[:1, "suggested"] = ""
    df.loc[:1, "labeller"] = "bo"
    df.loc[:1, "labelled_at"] = "2024-04-01T08:00:00+00:00"
    df.loc[1, "labels"] = ""
    df.to_csv(suggestions, index=False)
    into = labels / "editor.csv"
    code, _, err = run_cli("labels", "import", suggestions, "--into", into, "--labels", labels, "--codebook", CODEBOOK,
                           "--labeller", "carla")
    assert code == 0, err
    assert "added 2 row(s)" in err and "skipped 2 unreviewed suggestion(s)" in err
    got = read_label_file(into, CB)
    assert got["labels"].tolist() == [[NAMES[0]], []]
    assert (got["origin"] == "editor:carla").all() and (got["labeller"] == "carla").all()
    assert got["labelled_at"].tolist() == ["2024-04-01T08:00:00+00:00"] * 2


def test_import_dry_run_and_bad_inputs(labels, tmp_path, run_cli):
    p = tmp_path / "export.json"
    p.write_text(json.dumps(_annotate([{"data": {"text": "Brand new."}}],
                                      [[([], 1, "2024-03-01T10:00:00Z", "2024-03-01T10:00:00Z", False)]])))
    into = labels / "editor.csv"
    code, _, err = run_cli("labels", "import", p, "--into", into, "--labels", labels, "--codebook", CODEBOOK, "--dry-run")
    assert code == 0 and "would add 1 row(s)" in err and not into.exists()
    bad = tmp_path / "bad.json"
    bad.write_text("[{\"data\": {\"text\": \"x\"}, \"annotations\": [{\"result\": {}}]}")
    code, _, err = run_cli("labels", "import", bad, "--into", into, "--labels", labels, "--codebook", CODEBOOK)
    assert code == 1 and "not valid JSON" in err
    bad.write_text(json.dumps([{"text": "x", "label": "y"}]))
    code, _, err = run_cli("labels", "import", bad, "--into", into, "--labels", labels, "--codebook", CODEBOOK)
    assert code == 1 and "not a Label Studio task" in err
    code, _, err = run_cli("labels", "import", tmp_path / "missing.json", "--into", into, "--codebook", CODEBOOK)
    assert code == 1 and "no such file" in err


@pytest.mark.parametrize("command", ["export", "import", "audit"])
def test_every_labels_subcommand_has_help_with_an_example(command, capsys):
    from framing.cli import build_parser

    with pytest.raises(SystemExit):
        build_parser().parse_args(["labels", command, "--help"])
    out = capsys.readouterr().out
    assert "examples:" in out and f"framing labels {command}" in out


@pytest.mark.parametrize("command", ["suggest", "label"])
def test_every_loop_command_has_help_with_an_example(command, capsys):
    from framing.cli import build_parser

    with pytest.raises(SystemExit):
        build_parser().parse_args([command, "--help"])
    out = capsys.readouterr().out
    assert "examples:" in out and f"framing {command}" in out


def test_scores_are_plain_floats():
    # json round trip of numpy scores (no numpy types leak into the export)
    from framing.labelstudio import make_task

    t = make_task({"text": "x"}, ["a"], np.float32(0.123456), "v1")
    assert json.loads(json.dumps(t))["predictions"][0]["score"] == 0.1235
