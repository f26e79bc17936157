"""Label files: reading, 0/1 label columns, and `labels check`."""

from __future__ import annotations

import pytest

from framing.codebook import load_codebook
from framing.errors import LabelError
from framing.labels import check_labels, label_matrix, read_labels

from .conftest import CODEBOOK, DATA

HEADER = "text,labels,article_id,origin,note\n"


@pytest.fixture()
def cb():
    return load_codebook(CODEBOOK)


def test_project_label_files_pass_the_check(cb):
    problems = check_labels([DATA / "labels", DATA / "eval"], cb)
    assert problems == [], "\n".join(map(str, problems[:20]))


def test_every_row_records_its_origin(cb):
    df = read_labels([DATA / "labels", DATA / "eval"], cb)
    origins = df["origin"].astype(str)
    assert (origins.str.match(r"^(seed:\d{3}|written|editor:.+)$")).all()


def test_held_out_sentences_are_not_in_the_training_files(cb):
    train = set(read_labels([DATA / "labels"], cb)["text"])
    held_out = set(read_labels([DATA / "eval"], cb)["text"])
    assert held_out and not (train & held_out)


def test_the_data_card_counts_match_the_label_files():
    """data/README.md's count tables are what data/tools/datacard.py prints from the label files today."""
    import subprocess
    import sys

    out = subprocess.run([sys.executable, str(DATA / "tools" / "datacard.py")], capture_output=True, text=True,
                         check=True).stdout.strip()
    card = (DATA / "README.md").read_text(encoding="utf-8")
    assert out.startswith("**") and out in card, "data/README.md is stale: paste `python data/tools/datacard.py`"


def test_check_reports_each_problem_with_file_and_line(tmp_path, cb):
    p = tmp_path / "l.csv"
    p.write_text(HEADER +
                 "The minister may resign.,hedging,a1,written,\n"
                 "Bad label here.,spin,a1,written,\n"
                 "   ,,a1,written,\n"
                 "The minister may resign.,hedging,a2,written,\n"
                 "The Minister MAY resign!,,a3,written,\n"
                 "Another sentence.,state_media;state_media,a4,written,\n", encoding="utf-8")
    problems = [str(x) for x in check_labels([p], cb)]
    assert any(":3: unknown label 'spin'; valid labels: state_media" in x for x in problems)
    assert any(":4: empty text" in x for x in problems)
    assert any(":5: duplicate text (also at" in x and ":2)" in x for x in problems)
    assert any(":6: conflicting labels for a near-identical text" in x for x in problems)
    assert any(":7: a label is listed twice" in x for x in problems)
    assert len(problems) == 5


def test_check_reports_missing_columns(tmp_path, cb):
    p = tmp_path / "l.csv"
    p.write_text("text,labels\nx,\n", encoding="utf-8")
    [problem] = check_labels([p], cb)
    assert "missing column(s): article_id, origin" in str(problem)


def test_read_refuses_unknown_labels_naming_the_valid_ones(tmp_path, cb):
    p = tmp_path / "l.csv"
    p.write_text(HEADER + "x,spin,a,written,\n", encoding="utf-8")
    with pytest.raises(LabelError, match=r"l.csv:2: unknown label 'spin'; valid labels: state_media, loaded_language"):
        read_labels([p], cb)


def test_label_columns_alternative(tmp_path):
    p = tmp_path / "public.csv"
    p.write_text("sentence,biased,other\nA,1,0\nB,0,1\nC,0,0\n", encoding="utf-8")
    df = read_labels([p], label_columns=["biased", "other"], text_column="sentence")
    assert list(df["text"]) == ["A", "B", "C"]
    assert label_matrix(df, ["biased", "other"]).tolist() == [[1, 0], [0, 1], [0, 0]]
    bad = tmp_path / "bad.csv"
    bad.write_text("text,biased\nA,maybe\n", encoding="utf-8")
    with pytest.raises(LabelError, match="use 0 or 1"):
        read_labels([bad], label_columns=["biased"])
