"""Profiles: golden numbers on a tiny fixed corpus, the bootstrap, story grouping and sentence alignment."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from framing import profile as P

# A label name that no code knows about: the label set must come from the caller (the codebook).
LABELS = ["hedging", "loaded_language", "custom_frame"]
COLUMNS = ["article_id", "source", "sentence_id", "text", "boilerplate", "para_start",
           "p_hedging", "p_loaded_language", "p_custom_frame", "hedging", "loaded_language", "custom_frame", "evidence"]


def _ev(*items) -> str:
    return json.dumps([dict(zip(("label", "start", "end", "text"), it)) for it in items])


def tiny_corpus() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Three articles, two sources. Source A: a1 (4 content sentences + 1 boilerplate) and a2 (2);
    source B: b1 (4, nothing flagged except one custom_frame)."""
    rows = [
        ("a1", "A", 0, "Photo: Agency", True, True, 0.0, 0.0, 0.0, 0, 0, 0, "[]"),
        ("a1", "A", 1, "The regime may collapse soon.", False, True, 0.9, 0.8, 0.1, 1, 1, 0,
         _ev(("hedging", 11, 14, "may"), ("loaded_language", 4, 10, "regime"))),
        ("a1", "A", 2, "Officials met on Monday.", False, False, 0.1, 0.1, 0.1, 0, 0, 0, "[]"),
        ("a1", "A", 3, "It could reportedly be the end.", False, True, 0.7, 0.2, 0.1, 1, 0, 0,
         _ev(("hedging", 3, 8, "could"), ("hedging", 9, 19, "reportedly"), ("hedging", 20, 22, "be"))),
        ("a1", "A", 4, "The thugs left.", False, False, 0.1, 0.9, 0.1, 0, 1, 0,
         # evidence for a label the sentence is not flagged with is ignored
         _ev(("loaded_language", 4, 9, "thugs"), ("hedging", 0, 3, "The"))),
        ("a2", "A", 0, "Talks may resume.", False, True, 0.6, 0.1, 0.1, 1, 0, 0, _ev(("hedging", 6, 9, "may"))),
        ("a2", "A", 1, "The meeting ended.", False, False, 0.2, 0.1, 0.1, 0, 0, 0, "not json"),
        ("b1", "B", 0, "The minister arrived.", False, True, 0.1, 0.1, 0.1, 0, 0, 0, "[]"),
        ("b1", "B", 1, "She held talks.", False, False, 0.1, 0.1, 0.7, 0, 0, 1, "[]"),
        ("b1", "B", 2, "Both sides spoke.", False, True, 0.1, 0.2, 0.1, 0, 0, 0, "[]"),
        ("b1", "B", 3, "The visit ended.", False, False, 0.3, 0.1, 0.1, 0, 0, 0, "[]"),
    ]
    sentences = pd.DataFrame(rows, columns=COLUMNS)
    articles = pd.DataFrame({"article_id": ["a1", "a2", "b1"], "source": ["A", "A", "B"], "title": ["One", "Two", "Three"],
                             "published": ["2024-01-01", "", "2024-01-02"], "url": "", "story": ""})
    return sentences, articles


# ================================================================================ articles

def test_article_profiles_golden_numbers():
    s, a = tiny_corpus()
    ap = P.article_profiles(s, a, LABELS).set_index("article_id")
    assert ap["n_sentences"].to_dict() == {"a1": 4, "a2": 2, "b1": 4}  # boilerplate excluded
    assert ap["n_boilerplate"].to_dict() == {"a1": 1, "a2": 0, "b1": 0}
    assert ap["n_words"].to_dict() == {"a1": 18, "a2": 6, "b1": 12}
    assert ap["n_hedging"].to_dict() == {"a1": 2, "a2": 1, "b1": 0}
    assert ap["share_hedging"].to_dict() == pytest.approx({"a1": 0.5, "a2": 0.5, "b1": 0.0})
    assert ap["share_loaded_language"].to_dict() == pytest.approx({"a1": 0.5, "a2": 0.0, "b1": 0.0})
    assert ap["share_custom_frame"].to_dict() == pytest.approx({"a1": 0.0, "a2": 0.0, "b1": 0.25})
    # expected share = mean probability over content sentences (the boilerplate's 0.0 is not counted)
    assert ap["expected_share_hedging"].to_dict() == pytest.approx({"a1": 0.45, "a2": 0.4, "b1": 0.15})
    # density: flagged sentences per 1,000 words
    assert ap["per_1000_words_hedging"].to_dict() == pytest.approx({"a1": 2000 / 18, "a2": 1000 / 6, "b1": 0.0})


def test_article_terms_skip_function_words_but_keep_hedges():
    s, a = tiny_corpus()
    ap = P.article_profiles(s, a, LABELS).set_index("article_id")
    # "be" is a function word; "may" and "could" are hedges and must stay (general stop-word lists drop them)
    assert ap.loc["a1", "terms_hedging"] == "could; may; reportedly"
    assert ap.loc["a1", "terms_loaded_language"] == "regime; thugs"
    assert ap.loc["a2", "terms_hedging"] == "may"
    assert ap.loc["b1", "terms_hedging"] == ""


def test_terms_are_counted_once_per_sentence_and_ranked():
    def evidence(k):
        spans = [("loaded_language", 4, 10, "regime"), ("loaded_language", 11, 17, "Regime")]
        return _ev(*spans, *([("loaded_language", 18, 23, "spoke")] if k == 0 else []))

    s = pd.DataFrame([("x", "S", k, "The regime regime spoke.", False, k == 0, 0.0, 0.9, 0.0, 0, 1, 0, evidence(k))
                      for k in range(3)], columns=COLUMNS)
    ap = P.article_profiles(s, None, LABELS)
    assert ap.loc[0, "terms_loaded_language"] == "regime ×3; spoke"


@pytest.mark.parametrize("value, expected", [
    ('[{"label": "hedging", "start": 0, "end": 3, "text": "may"}]', 1),
    ("[]", 0),
    ("", 0),
    ("not json", 0),
    ('{"label": "hedging"}', 0),
    ('[1, "x", {"label": "hedging"}]', 1),
    (None, 0),
])
def test_parse_evidence_is_forgiving(value, expected):
    assert len(P.parse_evidence(value)) == expected


def test_state_outlets_and_articles_missing_from_the_articles_table():
    s, _ = tiny_corpus()
    s = s.copy()
    s["state_media"] = 0
    s["p_state_media"] = 0.0
    s.loc[1, "state_media"] = 1
    s.loc[1, "evidence"] = json.dumps([
        {"label": "state_media", "start": 0, "end": 4, "text": "TASS", "outlet": "TASS", "country": "Russia"},
        {"label": "state_media", "start": 5, "end": 9, "text": "TASS", "outlet": "TASS", "country": "Russia"},
        {"label": "state_media", "start": 9, "end": 20, "text": "the ministry", "outlet": "the ministry", "country": "",
         "cue": "channel"},
        {"label": "state_media", "start": 21, "end": 25, "text": "state media", "outlet": "state media", "country": "",
         "cue": "state_generic"},
    ])
    labels = LABELS + ["state_media"]
    out = P.state_outlets(s, labels)
    assert out[["article_id", "cited", "label", "n_sentences"]].values.tolist() == [
        ["a1", "TASS (Russia)", "state_media", 1], ["a1", "state media (unnamed)", "state_media", 1],
        ["a1", "the ministry (channel)", "state_media", 1]]
    ap = P.article_profiles(s, None, labels).set_index("article_id")  # no articles table: built from sentences
    assert ap.loc["a1", "state_outlets"] == "TASS (Russia); state media (unnamed); the ministry (channel)"
    assert ap.loc["b1", "source"] == "B"


def test_flagged_sentences_long_table():
    s, a = tiny_corpus()
    f = P.flagged_sentences(s, a, LABELS)
    assert f[["article_id", "sentence_id", "label"]].values.tolist() == [
        ["a1", 1, "hedging"], ["a1", 1, "loaded_language"], ["a1", 3, "hedging"], ["a1", 4, "loaded_language"],
        ["a2", 0, "hedging"], ["b1", 1, "custom_frame"]]
    first = f.iloc[0]
    assert (first["title"], first["position"], first["probability"], first["evidence"]) == ("One", 1, 0.9, "may")
    assert f.iloc[2]["evidence"] == "could, reportedly, be"
    assert f.iloc[2]["position"] == 3  # third content sentence: the boilerplate line is not counted


# ================================================================================ sources

def test_source_profiles_golden_numbers():
    s, a = tiny_corpus()
    sp = P.source_profiles(s, a, LABELS).set_index("source")
    assert sp["n_articles"].to_dict() == {"A": 2, "B": 1}
    assert sp["n_sentences"].to_dict() == {"A": 6, "B": 4}
    # pooled shares: A flags hedging in 3 of 6 sentences, loaded language in 2 of 6
    assert sp["share_hedging"].to_dict() == pytest.approx({"A": 0.5, "B": 0.0})
    assert sp["share_loaded_language"].to_dict() == pytest.approx({"A": 1 / 3, "B": 0.0})
    # corpus average pools all 10 content sentences: 3/10 hedging, 2/10 loaded
    assert sp["corpus_share_hedging"].tolist() == pytest.approx([0.3, 0.3])
    assert sp["diff_hedging"].to_dict() == pytest.approx({"A": 0.2, "B": -0.3})
    assert sp["ratio_loaded_language"].to_dict() == pytest.approx({"A": 5 / 3, "B": 0.0})
    assert sp.loc["A", "expected_share_hedging"] == pytest.approx((0.9 + 0.1 + 0.7 + 0.1 + 0.6 + 0.2) / 6)


def test_source_profiles_ci_golden_bounds_with_fixed_seed():
    s, a = tiny_corpus()
    sp = P.source_profiles(s, a, LABELS).set_index("source")
    # Golden values for seed 0 and 2,000 resamples (numpy's Generator streams are stable across versions).
    assert sp.loc["A", "ci_low_hedging"] == pytest.approx(0.121875)
    assert sp.loc["A", "ci_high_hedging"] == pytest.approx(1.0)
    assert sp.loc["A", "ci_high_loaded_language"] == pytest.approx(0.75)
    # nothing flagged: the bootstrap alone would give [0, 0]; the Wilson bound keeps the interval honest
    low, high = P._wilson(np.array([0]), np.array([4]))
    assert sp.loc["B", "ci_low_hedging"] == 0.0
    assert sp.loc["B", "ci_high_hedging"] == pytest.approx(high[0]) == pytest.approx(0.489891, abs=1e-6)
    again = P.source_profiles(s, a, LABELS).set_index("source")
    pd.testing.assert_frame_equal(sp, again)  # same seed, same numbers
    for name in LABELS:
        assert (sp[f"ci_low_{name}"] <= sp[f"share_{name}"] + 1e-12).all()
        assert (sp[f"share_{name}"] <= sp[f"ci_high_{name}"] + 1e-12).all()


def test_bootstrap_is_deterministic_and_sensible():
    flagged = np.array([[3, 0], [1, 2]])
    n = np.array([4, 2])
    lo1, hi1 = P.bootstrap_share_ci(flagged, n, seed=7)
    lo2, hi2 = P.bootstrap_share_ci(flagged, n, seed=7)
    assert lo1.tolist() == lo2.tolist() and hi1.tolist() == hi2.tolist()
    assert P.bootstrap_share_ci(np.zeros((0, 2)), np.zeros(0))[0].shape == (2,)
    # one large article: the sentence stage must match the binomial standard error (p=0.2, n=400 -> ±3.9 pts)
    lo, hi = P.bootstrap_share_ci(np.array([[80]]), np.array([400]), n_boot=4000)
    assert lo[0] == pytest.approx(0.2 - 0.039, abs=0.006)
    assert hi[0] == pytest.approx(0.2 + 0.039, abs=0.006)
    # between-article variation widens the interval: same pooled 20%, but concentrated in a few articles
    even = P.bootstrap_share_ci(np.full((10, 1), 8), np.full(10, 40))
    lumpy = P.bootstrap_share_ci(np.array([[40]] * 2 + [[0]] * 8), np.full(10, 40))
    assert (lumpy[1] - lumpy[0])[0] > 2 * (even[1] - even[0])[0]


@pytest.mark.parametrize("articles_per_source, sentences_per_article, low", [
    (1, 40, True),    # one article: too few articles
    (2, 20, True),    # 40 sentences but only 2 articles
    (3, 5, True),     # 3 articles but 15 sentences
    (3, 10, False),   # exactly 3 articles and 30 sentences
    (5, 10, False),
])
def test_low_sample_rule(articles_per_source, sentences_per_article, low):
    rows = []
    for k in range(articles_per_source):
        for j in range(sentences_per_article):
            rows.append((f"x{k}", "S", j, "Words here.", False, j == 0, 0.1, 0.1, 0.1, int(j % 2 == 0), 0, 0, "[]"))
    sp = P.source_profiles(pd.DataFrame(rows, columns=COLUMNS), None, LABELS, n_boot=50)
    assert bool(sp.loc[0, "low_sample"]) is low
    assert P.MIN_ARTICLES == 3 and P.MIN_SENTENCES == 30


def test_corpus_share_zero_gives_nan_ratio():
    s, a = tiny_corpus()
    s = s.assign(custom_frame=0)
    sp = P.source_profiles(s, a, LABELS)
    assert sp["ratio_custom_frame"].isna().all()
    assert (sp["diff_custom_frame"] == 0).all()


def test_csv_style_booleans_are_understood():
    s, a = tiny_corpus()
    s = s.assign(boilerplate=s["boilerplate"].map({True: "True", False: "False"}),
                 para_start=s["para_start"].astype(int))
    ap = P.article_profiles(s, a, LABELS).set_index("article_id")
    assert ap.loc["a1", "n_sentences"] == 4


# ================================================================================ stories

def _story_corpus(published=("2024-03-01", "2024-03-02", "2024-03-01"), story=("", "", "")):
    texts = {
        "p1": ["Defense minister Sergei Shoigu arrived in Pyongyang for the armistice parade.",
               "Shoigu met Kim Jong Un and discussed military cooperation.",
               "The parade showed new missiles and drones."],
        "p2": ["Russian defense minister Shoigu arrived in Pyongyang for an armistice parade.",
               "Kim Jong Un hosted Shoigu and they discussed military cooperation.",
               "Analysts said the visit signals closer ties."],
        "q1": ["The central bank raised interest rates by half a point.",
               "Inflation has stayed above target for a year.",
               "Mortgage costs are expected to rise."],
    }
    rows = []
    for aid, sents in texts.items():
        for k, t in enumerate(sents):
            rows.append((aid, aid[0].upper() + aid, k, t, False, True, 0.1, 0.1, 0.1, 0, int(k == 0 and aid == "p2"), 0, "[]"))
    s = pd.DataFrame(rows, columns=COLUMNS)
    a = pd.DataFrame({"article_id": list(texts), "source": [r for r in ("Pp1", "Pp2", "Qq1")], "title": ["", "", ""],
                      "published": list(published), "url": "", "story": list(story)})
    return s, a


def test_group_stories_by_similarity():
    s, a = _story_corpus()
    st = P.group_stories(s, a).set_index("article_id")
    assert st.loc["p1", "story"] == st.loc["p2", "story"] == "story-1"
    assert st.loc["q1", "story"] == "story-2"
    assert set(st["story_method"]) == {"auto"}


def test_group_stories_respects_the_date_window():
    s, a = _story_corpus(published=("2024-03-01", "2024-04-15", ""))
    st = P.group_stories(s, a).set_index("article_id")
    assert st.loc["p1", "story"] != st.loc["p2", "story"]


def test_group_stories_prefers_the_story_field():
    s, a = _story_corpus(story=("", "", "rates"))
    st = P.group_stories(s, a).set_index("article_id")
    assert st.loc["q1", "story"] == "rates" and st.loc["q1", "story_method"] == "given"
    assert st.loc["p1", "story"] == st.loc["p2", "story"] == "story-1"


def test_align_story_pairs_shared_claims_and_keeps_the_rest():
    s, _ = _story_corpus()
    al = P.align_story(s, ["p1", "p2"], LABELS)
    claims = al.groupby("claim")["sentence_id"].apply(list).to_dict()
    shared = al[al["n_articles"] == 2]
    # the arrival and the meeting are shared (in that order: by position); the parade and the analysts are not
    assert shared.groupby("claim")["text"].apply(lambda t: t.str[:12].tolist()).tolist() == [
        ["Defense mini", "Russian defe"], ["Shoigu met K", "Kim Jong Un "]]
    assert len(claims) == 4
    unique = al[al["n_articles"] == 1]
    assert sorted(unique["text"].str[:12]) == ["Analysts sai", "The parade s"]
    assert unique["similarity"].isna().all()
    assert al.loc[al["article_id"] == "p2", "labels"].iloc[0] == "loaded_language"


def test_align_story_is_greedy_one_sentence_per_article():
    rows = [
        ("x", "X", 0, "Shoigu arrived in Pyongyang for the armistice parade today.", False, True, 0, 0, 0, 0, 0, 0, "[]"),
        ("x", "X", 1, "Shoigu arrived in Pyongyang for the armistice parade.", False, True, 0, 0, 0, 0, 0, 0, "[]"),
        ("y", "Y", 0, "Shoigu arrived in Pyongyang for the armistice parade.", False, True, 0, 0, 0, 0, 0, 0, "[]"),
        ("y", "Y", 1, "Short heading here", False, True, 0, 0, 0, 0, 0, 0, "[]"),
        ("x", "X", 2, "Short heading here", False, True, 0, 0, 0, 0, 0, 0, "[]"),
    ]
    s = pd.DataFrame(rows, columns=COLUMNS)
    al = P.align_story(s, ["x", "y"], LABELS)
    pair = al[al["n_articles"] == 2]
    assert pair[["article_id", "sentence_id"]].values.tolist() == [["x", 1], ["y", 0]]  # the identical one wins
    assert pair["similarity"].tolist() == [1.0, 1.0]
    # identical but too short to be a claim: never aligned
    assert (al.loc[al["text"] == "Short heading here", "n_articles"] == 1).all()


def test_story_alignment_skips_single_article_stories():
    s, a = _story_corpus()
    al = P.story_alignment(s, a, LABELS)
    assert set(al["story"]) == {"story-1"}
    assert set(al["article_id"]) == {"p1", "p2"}


def test_profile_does_not_import_matplotlib():
    code = "import sys, framing.profile; assert 'matplotlib' not in sys.modules, 'profile imported matplotlib'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_channel_is_cited_as_one_whichever_channel_cue_weighed_most():
    """The evidence names the cue column that contributed most for a channel match ("channel", or
    "channel_speaks" when the institution is the subject of a speech verb...): all read "(channel)"."""
    for cue in ("channel", "channel_speaks", "channel_gov", "channel_attributed"):
        assert P._cited("Defense Ministry", "", cue) == "Defense Ministry (channel)"
    assert P._cited("TASS", "Russia", "outlet") == "TASS (Russia)"
    assert P._cited("state media", "", "state_generic") == "state media (unnamed)"


def test_a_flag_says_whether_its_evidence_holds_a_cue_or_only_word_patterns():
    """``basis``: "cue" when any evidence item is a lexicon or registry cue, "words" when all are word
    n-grams, "" without evidence; the report marks the "words" flags for the editor to check first."""
    assert P.evidence_basis(["ngram", "ngram"]) == "words"
    assert P.evidence_basis(["ngram", "loaded_out"]) == "cue"
    assert P.evidence_basis(["channel_speaks"]) == "cue"
    assert P.evidence_basis(["", None]) == "" and P.evidence_basis([]) == ""
    s, a = tiny_corpus()
    s = s.copy()
    s.loc[1, "evidence"] = json.dumps([
        {"label": "hedging", "start": 11, "end": 14, "text": "may", "cue": "hedge_modal"},
        {"label": "loaded_language", "start": 4, "end": 10, "text": "regime", "cue": "ngram"}])
    f = P.flagged_sentences(s, a, LABELS).set_index(["article_id", "sentence_id", "label"])
    assert f.loc[("a1", 1, "hedging"), "basis"] == "cue"
    assert f.loc[("a1", 1, "loaded_language"), "basis"] == "words"
    assert f.loc[("b1", 1, "custom_frame"), "basis"] == ""  # flagged without evidence
