"""The cue lexicons and registries shipped as package data are well formed: each key once, known categories.

A duplicated key would count a phrase twice, or in two categories; an unknown category is silently ignored
by the matcher (the term would still count as loaded, but in no group column). Both are mistakes a person
extending a list makes easily, so they are checked here rather than trusted.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from framing.cues import (
    _HEDGE_GROUPS,
    EDITORIAL_GROUPS,
    INSTITUTION_KINDS,
    LOADED_GROUPS,
    phrase_key,
)

RESOURCES = Path(__file__).resolve().parents[1] / "framing" / "resources"

# file: (key column, category column, allowed categories or None for any)
TABLES = {
    "loaded_terms.tsv": ("term", "category", set(LOADED_GROUPS)),
    "hedges.tsv": ("phrase", "category", set(_HEDGE_GROUPS)),
    "editorial_cues.tsv": ("phrase", "category", set(EDITORIAL_GROUPS)),
    "not_hedges.tsv": ("phrase", "category", {"schedule", "certainty", "ability", "permission", "optative"}),
    "not_loaded.tsv": ("phrase", "category", {"technical"}),
    "not_subjective.tsv": ("phrase", "category", {"time_rank", "verb_form", "compound", "legal_descriptive"}),
    "official_channels.tsv": ("phrase", "kind", INSTITUTION_KINDS | {
        "spokesperson", "statement", "briefing", "press_service", "official_media_release", "official_account"}),
    "official_acronyms.tsv": ("acronym", "kind", INSTITUTION_KINDS),
    "attribution.tsv": ("phrase", "category", None),
    "non_government_speakers.tsv": ("phrase", "kind", None),
    "state_media_generic.tsv": ("phrase", "kind", None),
    "heads_of_government.tsv": ("name", "country", None),
    "countries.tsv": ("name", "iso", None),
}


# acronyms are matched case-sensitively ("DOD" and "DoD" are two spellings); everything else in the form
# the matcher compares phrases in
CASE_SENSITIVE = {"official_acronyms.tsv", "heads_of_government.tsv", "countries.tsv"}


@pytest.mark.parametrize("name", sorted(TABLES))
def test_each_key_is_listed_once_with_a_known_category(name):
    key, cat, allowed = TABLES[name]
    df = pd.read_csv(RESOURCES / name, sep="\t", comment="#", keep_default_na=False, dtype=str)
    assert list(df.columns[:2]) == [key, cat], f"{name}: columns {list(df.columns)}"
    assert (df[key].str.strip() != "").all(), f"{name}: an empty {key}"
    keys = df[key].str.strip() if name in CASE_SENSITIVE else df[key].str.strip().map(phrase_key)
    dup = sorted(set(keys[keys.duplicated()]))
    assert not dup, f"{name}: listed more than once: {dup[:10]}"
    if allowed is not None:
        unknown = sorted(set(df[cat]) - allowed)
        assert not unknown, f"{name}: unknown {cat} {unknown}"


def test_every_table_in_the_package_is_checked():
    assert {p.name for p in RESOURCES.glob("*.tsv")} == set(TABLES)
