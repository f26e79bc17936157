"""Merging new labels into the store: validation, duplicates, conflicts, atomic appends (labelstore.py)."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from framing.codebook import load_codebook
from framing.errors import LabelError, OutputError
from framing.labels import ALL_COLUMNS, check_labels, read_label_file
from framing.labelstore import (
    CONFLICT_COLUMNS,
    as_editor_rows,
    default_conflicts_path,
    iso_utc,
    merge_labels,
    read_raw,
    validate_labels,
)

from .conftest import CODEBOOK, SEED_LABELS


@pytest.fixture()
def cb():
    return load_codebook(CODEBOOK)


@pytest.fixture()
def store(tmp_path, cb):
    """A label folder with one file in the full format; returns (folder, file, names)."""
    names = cb.names
    folder = tmp_path / "labels"
    folder.mkdir()
    f = folder / "editor.csv"
    pd.DataFrame([
        {"text": "The ministry said the talks may resume.", "labels": f"{names[0]};{names[2]}", "article_id": "a1",
         "origin": "editor:old", "labeller": "old", "labelled_at": "2024-01-01T00:00:00+00:00"},
        {"text": "Prices rose by three percent in May.", "labels": "", "article_id": "a2", "origin": "editor:old",
         "labeller": "old", "labelled_at": "2024-01-01T00:00:00+00:00"},
    ]).reindex(columns=ALL_COLUMNS, fill_value="").to_csv(f, index=False)
    return folder, f, names


def _new(rows):
    df = pd.DataFrame(rows)
    df["_file"] = "new.json"
    df["_line"] = [f"task {i}" for i in range(1, len(df) + 1)]
    return df


def test_new_rows_are_appended_with_provenance_and_earlier_bytes_kept(store, cb):
    folder, f, names = store
    before = f.read_bytes()
    new = as_editor_rows(_new([{"text": "Officials are expected to announce a deal.", "labels": [names[2]],
                                "labeller": "ana@example.org", "labelled_at": "2024-03-01T10:00:00.5Z", "origin": "suggest:v0002"}]),
                         names=names)
    res = merge_labels(new, f, cb, store=[folder])
    assert (res.added, res.duplicates, res.n_conflicts) == (1, 0, 0)
    after = f.read_bytes()
    assert after.startswith(before)  # an append: no earlier label rewritten
    df = read_label_file(f, cb)
    last = df.iloc[-1]
    assert last["labels"] == [names[2]]
    assert last["origin"] == "editor:ana@example.org" and last["labeller"] == "ana@example.org"
    assert last["labelled_at"] == "2024-03-01T10:00:00+00:00"
    assert "from suggest:v0002" in last["note"]
    assert "added 1 row(s)" in res.summary() and "0 conflicts" in res.summary()
    assert check_labels([folder], cb) == []


def test_exact_and_near_duplicates_with_the_same_labels_are_skipped(store, cb):
    folder, f, names = store
    before = f.read_bytes()
    new = _new([
        {"text": "The ministry said the talks may resume.", "labels": [names[2], names[0]]},   # same labels, other order
        {"text": "the Ministry said: the talks MAY resume", "labels": [names[0], names[2]]},   # near-identical
        {"text": "Prices rose by three percent in May!", "labels": []},
    ])
    res = merge_labels(as_editor_rows(new, "bo", names), f, cb, store=[folder])
    assert (res.added, res.duplicates, res.n_conflicts) == (0, 3, 0)
    assert f.read_bytes() == before
    assert not default_conflicts_path(f).exists()


def test_conflicts_are_reported_with_both_sides_and_neither_side_overwritten(store, cb, tmp_path):
    folder, f, names = store
    other = folder / "other.csv"
    pd.DataFrame([{"text": "A regime crackdown followed.", "labels": names[1], "article_id": "b1", "origin": "written"}]
                 ).reindex(columns=ALL_COLUMNS, fill_value="").to_csv(other, index=False)
    before, before_other = f.read_bytes(), other.read_bytes()
    new = _new([
        {"text": "The ministry said the talks may resume!", "labels": [names[0]]},   # near-identical, fewer labels
        {"text": "A regime crackdown followed.", "labels": []},                       # conflicts with other.csv
        {"text": "A brand new sentence to add here.", "labels": [names[3]]},
    ])
    into = tmp_path / "elsewhere" / "editor-ana.csv"
    res = merge_labels(as_editor_rows(new, "ana", names), into, cb, store=[folder])
    assert (res.added, res.duplicates, res.n_conflicts) == (1, 0, 2)
    assert f.read_bytes() == before and other.read_bytes() == before_other
    assert res.conflicts_path == into.parent / "conflicts" / "editor-ana.conflicts.csv"
    c = read_raw(res.conflicts_path)
    assert list(c.columns) == CONFLICT_COLUMNS
    first = c.iloc[0]
    assert first["where_new"] == "new.json task 1" and first["labels_new"] == names[0]
    assert first["where_existing"] == f"{f}:2" and first["labels_existing"] == f"{names[0]};{names[2]}"
    assert first["labeller_new"] == "ana" and first["labeller_existing"] == "old"
    assert c.iloc[1]["where_existing"] == f"{other}:2"
    assert "2 conflict(s)" in res.summary()
    # merging the same rows again adds nothing and does not repeat the conflicts
    res2 = merge_labels(as_editor_rows(new, "ana", names), into, cb, store=[folder])
    assert (res2.added, res2.duplicates, res2.n_conflicts) == (0, 1, 2)
    assert len(read_raw(res.conflicts_path)) == 2


def test_conflicts_within_one_import_keep_the_first(store, cb, tmp_path):
    folder, f, names = store
    new = _new([{"text": "Talks could collapse.", "labels": [names[2]]}, {"text": "Talks could collapse.", "labels": []}])
    into = tmp_path / "into.csv"
    res = merge_labels(as_editor_rows(new, "ana", names), into, cb, store=[folder])
    assert (res.added, res.n_conflicts) == (1, 1)
    assert "(this import)" in res.conflicts.iloc[0]["where_existing"]


def test_unknown_labels_are_refused_naming_the_place_and_the_valid_labels(store, cb):
    folder, f, names = store
    before = f.read_bytes()
    new = _new([{"text": "ok", "labels": [names[0]]}, {"text": "bad", "labels": ["spin"]}, {"text": "bad2", "labels": ["x"]}])
    with pytest.raises(LabelError) as exc:
        merge_labels(new, f, cb, store=[folder])
    msg = str(exc.value)
    assert msg.startswith("new.json task 2: unknown label 'spin'")
    assert "valid labels: " + ", ".join(names) in msg and "1 more" in msg
    assert f.read_bytes() == before
    with pytest.raises(LabelError, match=r"^x\.csv:7: unknown label"):
        validate_labels(pd.DataFrame({"labels": [["zz"]], "_file": ["x.csv"], "_line": [7]}), cb)


def test_a_failed_write_loses_no_earlier_label(store, cb, monkeypatch):
    folder, f, names = store
    before = f.read_bytes()
    import framing.io

    def boom(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(framing.io.os, "replace", boom)
    new = as_editor_rows(_new([{"text": "Something new entirely.", "labels": []}]), "ana", names)
    with pytest.raises(OutputError, match="write failed"):
        merge_labels(new, f, cb, store=[folder])
    assert f.read_bytes() == before
    assert [p.name for p in folder.iterdir()] == ["editor.csv"]  # no temporary file left behind


def test_appending_to_a_file_without_provenance_columns_adds_them(tmp_path, cb):
    folder = tmp_path / "labels"
    folder.mkdir()
    seed = folder / "seed.csv"
    shutil.copy(SEED_LABELS, seed)
    old = read_raw(seed)
    assert "labeller" not in old.columns
    new = as_editor_rows(_new([{"text": "A sentence nobody labelled before.", "labels": [cb.names[1]]}]), "ana", cb.names)
    res = merge_labels(new, seed, cb, store=[folder])
    assert res.added == 1
    now = read_raw(seed)
    assert {"labeller", "labelled_at"} <= set(now.columns)
    pd.testing.assert_frame_equal(now[old.columns].iloc[:-1], old)   # every earlier value kept
    assert now.iloc[-1]["labeller"] == "ana"


def test_dry_run_writes_nothing(store, cb):
    folder, f, names = store
    before = f.read_bytes()
    new = as_editor_rows(_new([{"text": "New one.", "labels": []}, {"text": "Prices rose by three percent in May.", "labels": [names[0]]}]),
                         "ana", names)
    res = merge_labels(new, f, cb, store=[folder], dry_run=True)
    assert (res.added, res.n_conflicts) == (1, 1)
    assert f.read_bytes() == before and not default_conflicts_path(f).exists()
    assert "would add 1" in res.summary() and "not written (dry run)" in res.summary()


@pytest.mark.parametrize("raw, expected", [
    ("2024-03-01T10:00:00Z", "2024-03-01T10:00:00+00:00"),
    ("2024-03-01T10:00:00.123456Z", "2024-03-01T10:00:00+00:00"),
    ("2024-03-01T12:00:00+02:00", "2024-03-01T10:00:00+00:00"),
    ("2024-03-01T10:00:00", "2024-03-01T10:00:00+00:00"),
    ("yesterday", ""),
    ("", ""),
])
def test_times_are_normalised_to_utc(raw, expected):
    assert iso_utc(raw) == expected
