"""Codebook loading and validation."""

from __future__ import annotations

import pytest

from framing.codebook import codebook_from_dict, load_codebook
from framing.errors import CodebookError

from .conftest import CODEBOOK, ROOT


def test_repo_codebook_loads_with_the_project_labels():
    cb = load_codebook(CODEBOOK)
    assert cb.names[:3] == ["state_media", "loaded_language", "hedging"]
    for lab in cb.labels:
        assert lab.yes and lab.no and lab.definition and lab.color.startswith("#")


def test_codebook_markdown_is_in_sync():
    assert (ROOT / "data" / "CODEBOOK.md").read_text(encoding="utf-8") == load_codebook(CODEBOOK).to_markdown(), \
        "data/CODEBOOK.md is stale: run `framing codebook --markdown > data/CODEBOOK.md`"


GOOD = {"name": "spin", "display": "Spin", "definition": "Spin."}


@pytest.mark.parametrize("labels,message", [
    ([], "no \\[\\[labels\\]\\]"),
    ([dict(GOOD, name="Bad Name")], "lower_snake_case"),
    ([GOOD, GOOD], "defined twice"),
    ([dict(GOOD, definition="")], "'definition'"),
    ([dict(GOOD, color="blue")], "hex colour"),
    ([dict(GOOD, yes="not a list")], "list of strings"),
])
def test_invalid_codebooks_are_refused_with_the_fix(labels, message):
    with pytest.raises(CodebookError, match=message):
        codebook_from_dict({"labels": labels}, source="cb.toml")


def test_a_team_can_add_a_label(tmp_path):
    p = tmp_path / "cb.toml"
    p.write_text(CODEBOOK.read_text(encoding="utf-8") + '\n[[labels]]\nname = "anonymous_sourcing"\n'
                 'display = "Anonymous sourcing"\ndefinition = "Attributes to unnamed sources."\n', encoding="utf-8")
    cb = load_codebook(p)
    assert cb.names[-1] == "anonymous_sourcing" and cb["anonymous_sourcing"].color.startswith("#")


def test_missing_and_broken_codebook(tmp_path):
    with pytest.raises(CodebookError, match="not found"):
        load_codebook(tmp_path / "none.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[[labels]\nname=", encoding="utf-8")
    with pytest.raises(CodebookError, match="not valid TOML"):
        load_codebook(bad)
