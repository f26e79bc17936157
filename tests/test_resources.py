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
    "not_subjective.tsv": ("phrase", "category", {"time_rank", "verb_form", "compound", "legal_descriptive", "news_event", "reporting"}),
    "official_channels.tsv": ("phrase", "kind", INSTITUTION_KINDS | {
        "spokesperson", "statement", "briefing", "press_service", "official_media_release", "official_account"}),
    "official_acronyms.tsv": ("acronym", "kind", INSTITUTION_KINDS),
    "attribution.tsv": ("phrase", "category", None),
    "non_government_speakers.tsv": ("phrase", "kind", None),
    "state_media_generic.tsv": ("phrase", "kind", None),
    "heads_of_government.tsv": ("name", "country", None),
    "regional_heads.tsv": ("name", "country", None),
    "government_spokespeople.tsv": ("name", "country", None),
    "government_officials.tsv": ("name", "country", None),
    "countries.tsv": ("name", "iso", None),
    "dateline_credits.tsv": ("credit", "outlet", None),
    "dateline_places.tsv": ("place", "iso", None),
}


# acronyms are matched case-sensitively ("DOD" and "DoD" are two spellings); everything else in the form
# the matcher compares phrases in
CASE_SENSITIVE = {"dateline_credits.tsv", "official_acronyms.tsv", "heads_of_government.tsv", "regional_heads.tsv",
                  "government_spokespeople.tsv", "government_officials.tsv", "countries.tsv"}


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


def test_every_spokesperson_has_an_owner_and_years_in_post():
    """The spokespeople registry's owner names the channel in evidence ("Kremlin spokesperson Peskov") and its years
    decide a dated article's reading: every row has both, as years that parse to first <= last within 2000-2026 (or
    open), and a bare surname's row agrees with a full name's row of the same person."""
    import re

    df = pd.read_csv(RESOURCES / "government_spokespeople.tsv", sep="\t", comment="#", keep_default_na=False, dtype=str)
    assert list(df.columns) == ["name", "country", "owner", "years"]
    assert (df["owner"].str.strip() != "").all() and (df["country"].str.strip() != "").all()
    for name, years in zip(df["name"], df["years"]):
        spells = [s.strip() for s in years.split(",")]
        assert spells and all(re.fullmatch(r"\d{4}(-(\d{4})?)?", s) for s in spells), (name, years)
        for s in spells:
            a, _, b = s.partition("-")
            assert 2000 <= int(a) <= 2026 and (not b or int(a) <= int(b) <= 2026), (name, years)
    full = {n.split()[-1]: (c, o, y) for n, c, o, y in df.itertuples(index=False) if " " in n}
    for n, c, o, y in df.itertuples(index=False):
        if " " not in n and n in full:
            assert full[n] == (c, o, y), n


def _person_registry(name: str):
    """A registry of people (columns name, country, office, years), checked as every such registry is: a country and an
    office on every row, years that parse with first <= last within 1950-2026 (or open), and a bare surname's row that
    agrees with its full name's (the years decide a dated article's reading)."""
    import re

    df = pd.read_csv(RESOURCES / name, sep="\t", comment="#", keep_default_na=False, dtype=str)
    assert list(df.columns) == ["name", "country", "office", "years"]
    assert (df["office"].str.strip() != "").all() and (df["country"].str.strip() != "").all()
    for person, years in zip(df["name"], df["years"]):
        spells = [s.strip() for s in years.split(",")]
        assert all(re.fullmatch(r"\d{4}(-(\d{4})?)?", s) for s in spells), (person, years)
        for s in spells:
            a, _, b = s.partition("-")
            assert 1950 <= int(a) <= 2026 and (not b or int(a) <= int(b) <= 2026), (person, years)
    full = {n.split()[-1]: (c, y) for n, c, o, y in df.itertuples(index=False) if " " in n}
    for n, c, o, y in df.itertuples(index=False):
        if " " not in n and n in full:
            assert full[n] == (c, y), n
    return df


def test_every_regional_head_has_an_office_and_years_in_it():
    """The regional heads' registry (governors, mayors, premiers): checked as a registry of people, and every office
    is a known one ("governor, mayor" for a person who held both)."""
    df = _person_registry("regional_heads.tsv")
    offices = {"governor", "mayor", "premier", "head_of_government"}
    for name, office in zip(df["name"], df["office"]):
        assert set(office.split(", ")) <= offices, (name, office)


def test_every_official_has_an_office_and_years_in_it():
    """The senior officials' registry: every row has a country, an office and years that parse within 2000-2026 (or
    open); a bare surname's row agrees with its full name's."""
    _person_registry("government_officials.tsv")


def test_every_dateline_credit_names_a_registry_outlet_and_is_no_alias_already():
    from framing.cues import get_matcher, resolve_outlet

    df = pd.read_csv(RESOURCES / "dateline_credits.tsv", sep="\t", comment="#", keep_default_na=False, dtype=str)
    for credit, outlet in zip(df["credit"], df["outlet"]):
        assert resolve_outlet(outlet) is not None, f"dateline_credits.tsv: {outlet!r} is not in state_outlets.csv"
        assert resolve_outlet(credit) is None, f"dateline_credits.tsv: {credit!r} is an alias already"
    (ms,) = get_matcher().match(["ANKARA (AA) - Turkey and Azerbaijan signed a gas deal. The AA battery died."])
    credits = [m for m in ms if m.kind == "dateline_credit"]
    assert [(m.text, m.outlet.name, m.outlet.country) for m in credits] == [("(AA) -", "Anadolu Agency", "Turkey")]
