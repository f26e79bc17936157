"""The classifier: scikit-learn conventions, determinism, evidence, quotation awareness, save/load."""

from __future__ import annotations

import json
from functools import lru_cache

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sklearn.base import clone

from framing.cues import (
    context_quote_spans,
    get_matcher,
    lowered,
    quote_spans,
    resolve_outlet,
)
from framing.labels import label_matrix, read_labels
from framing.model import (
    FramingClassifier,
    QuoteAwareAnalyzer,
    best_threshold,
    tokens_with_offsets,
)
from framing.registry import load_bundle

from .conftest import CODEBOOK, DATA, ROOT, SEED_LABELS

NAMES = ["state_media", "loaded_language", "hedging", "editorializing"]


@pytest.fixture(scope="module")
def seed_data():
    from framing.codebook import load_codebook

    df = read_labels([SEED_LABELS], load_codebook(CODEBOOK))
    return df["text"].tolist(), label_matrix(df, NAMES), df["article_id"].to_numpy()


def test_estimator_follows_scikit_learn_conventions(seed_data):
    X, y, groups = seed_data
    est = FramingClassifier(labels=NAMES, C=2.0)
    params = est.get_params()
    assert params["C"] == 2.0 and params["labels"] == NAMES
    assert not [k for k in vars(est) if k.endswith("_")]  # __init__ stores parameters only
    est2 = clone(est).set_params(C=3.0)
    assert est2.C == 3.0 and est.C == 2.0
    est.fit(X, y, groups=groups)
    assert est.predict_proba(X[:7]).shape == (7, 4)
    assert est.predict(X[:7]).shape == (7, 4) and set(np.unique(est.predict(X))) <= {0, 1}
    assert est.decision_function(X[:3]).shape == (3, 4)
    p = est.predict_proba(X)
    assert ((p >= 0) & (p <= 1)).all()
    with pytest.raises(TypeError):
        est.predict_proba("one string")


def test_fixed_seed_gives_identical_models(seed_data):
    X, y, groups = seed_data
    a = FramingClassifier(labels=NAMES, random_state=3).fit(X, y, groups=groups)
    b = FramingClassifier(labels=NAMES, random_state=3).fit(X, y, groups=groups)
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))
    np.testing.assert_array_equal(a.thresholds_, b.thresholds_)


def test_save_then_load_leaves_predictions_unchanged(seed_data, small_model):
    X, _, _ = seed_data
    b1 = load_bundle(small_model)
    b2 = load_bundle(small_model)
    np.testing.assert_array_equal(b1.model.predict_proba(X), b2.model.predict_proba(X))


def test_evidence_spans_point_into_the_sentence(seed_data, small_model):
    X, _, _ = seed_data
    model = load_bundle(small_model).model
    proba, flags, evidence = model.score_batch(X)
    assert flags.sum() > 0
    for text, evs, f in zip(X, evidence, flags):
        flagged = {NAMES[j] for j in np.flatnonzero(f)}
        for ev in evs:
            assert 0 <= ev["start"] < ev["end"] <= len(text)
            assert text[ev["start"]:ev["end"]] == ev["text"]
            assert ev["label"] in flagged


def test_unicode_spaces_read_as_spaces():
    """Web copy joins words with no-break and thin spaces ("is now\xa0considered\xa0to be"; 13% of BABE's sentences):
    the model reads them as plain spaces, so the cue phrases match, and the evidence offsets still point into the
    sentence as given."""
    model = _bundled_model()
    plain = "The state is now considered to be one of the worst hotspots, the health ministry said in a statement."
    web = plain.replace("now considered to", "now\xa0considered\u2009to").replace("said in a", "said\u202fin\xa0a")
    assert len(web) == len(plain) and web != plain
    np.testing.assert_allclose(model.predict_proba([web]), model.predict_proba([plain]))
    (evs,) = model.explain([web])
    assert {e["label"] for e in evs} >= {"hedging", "state_media"}
    for e in evs:
        assert web[e["start"]:e["end"]].replace("\xa0", " ").replace("\u2009", " ").replace("\u202f", " ") == e["text"]


def test_no_evidence_span_lies_inside_another():
    """An institution named for a state_media flag absorbs the n-gram inside it ("Ministry" in "Defense Ministry"):
    one highlight with the n-gram's weight, not a highlight nested in another; so on every sentence of the bundled
    model's training and held-out data (14 nested spans before the fix)."""
    import glob

    import pandas as pd

    model = _bundled_model()
    s = "During the meeting, Shoigu stressed that the DPRK is an important partner of Russia, as per the Russian Defense Ministry."
    (evs,) = model.explain([s])
    inst = [e for e in evs if e["text"] == "Defense Ministry"]
    assert len(inst) == 1 and inst[0]["outlet"] == "Russian Defense Ministry" and inst[0]["weight"] > 0
    texts = [t for f in sorted(glob.glob(str(ROOT / "data" / "*" / "written-*.csv"))) for t in pd.read_csv(f)["text"]]
    for text, evs in zip(texts, model.explain(texts)):
        spans = {(e["label"], e["start"], e["end"]) for e in evs}
        for lab, a, b in spans:
            assert not any(lab == lab2 and a2 <= a and b <= b2 and (a, b) != (a2, b2) for lab2, a2, b2 in spans), text


def test_quote_spans():
    s = 'Pyongyang called the drills "reckless provocations" and “a threat”.'
    spans = quote_spans(s)
    assert [s[a:b] for a, b in spans] == ['"reckless provocations"', "“a threat”"]
    # a quotation continuing from the previous sentence / into the next one
    assert quote_spans('Providing aid would do little."') == [(0, 31)]
    assert quote_spans('"However, aid should help.') == [(0, 26)]
    assert quote_spans("the 70th ‘Victory Day’ parade") == [(9, 22)]
    assert quote_spans("Russia’s army") == []  # an apostrophe is not a quote
    # ``Treebank-style'' quotes of many news corpora, also across sentence boundaries
    s = "Spitzer had ``sunk to a new and despicable low,'' Behrmann said."
    assert [s[a:b] for a, b in quote_spans(s)] == ["``sunk to a new and despicable low,''"]
    assert quote_spans("``It will end badly.") == [(0, 20)] and quote_spans("a disgrace,'' she added.") == [(0, 13)]
    # ''two apostrophes'' on both sides (no `` opener): a quotation, not the close of an earlier one
    s = "He is railing against what he calls a ''corrupt'' process."
    assert [s[a:b] for a, b in quote_spans(s)] == ["''corrupt''"]


def test_straight_quotes_open_or_close_by_the_character_before_them():
    # an odd mark after a space opens a quotation that runs to the sentence's end; the author's lead-in is not quoted
    s = 'He had tweeted, "EU no longer considers #Hamas a terrorist group.'
    assert [s[a:b] for a, b in quote_spans(s)] == ['"EU no longer considers #Hamas a terrorist group.']
    # a first mark after a word or punctuation closes a quotation from an earlier sentence; the rest pair up
    s = 'a terrorist group," he said, "and we will act."'
    assert [s[a:b] for a, b in quote_spans(s)] == ['a terrorist group,"', '"and we will act."']
    s = 'We will respond," he said, "with force.'
    assert [s[a:b] for a, b in quote_spans(s)] == ['We will respond,"', '"with force.']


def test_a_detached_paragraph_end_mark_closes_no_quotation():
    """PolNeAR's detokenized text ends a paragraph's last sentence with a detached " ''" after its final punctuation;
    read as a closing mark it made the whole sentence a quotation (and hid its loaded words and opinions). A mark that
    sticks to the punctuation, or follows tokenized punctuation, still closes one."""
    from framing.cues import quote_spans

    assert quote_spans("She will be 60 in May, making retraining impractical. ''") == []
    t = "Violent threats deserve no place, and our rules make that clear,'' a Twitter spokesman said. ''"
    assert quote_spans(t) == [(0, t.index("''") + 2)]
    assert quote_spans("And audiences like the classics.''") == [(0, 34)]
    assert quote_spans("We will fight on . ''") == [(0, 21)]
    # the same with a curly or straight double mark when the sentence opens none (thirty-second session); with an opening
    # mark in the sentence it closes that quotation
    assert quote_spans("Barabak noted that the way Pence carried himself was critical to his success. ”") == []
    assert quote_spans('It was over. "') == []
    assert quote_spans("He said: “It is over. ”") == [(9, 23)]
    assert quote_spans("He said it was over.”") == [(0, 21)]
    # mixed marks, as scraped text has: a curly mark without its partner pairs with the straight ones
    t = '“Immunity deals should not be a requirement for cooperating with the FBI," Chaffetz said in a statement.'
    assert [t[a:b] for a, b in quote_spans(t)] == ['“Immunity deals should not be a requirement for cooperating with the FBI,"']


def test_a_transcript_line_under_a_speakers_tag_is_quoted():
    """Codebook: a transcript line under a speaker's name tag ("SMITH: ...") is that speaker's, attributed like a
    quotation; a headline's kicker, a wire service or a dateline's place before a colon is no speaker."""
    from framing.cues import batch_quote_spans, context_quote_spans

    texts = ["TAPPER: And obviously, you are supporting Donald Trump.", "DB: John, what is the latest?",
             "KATE BOULDUAN: Why not debate?", 'SMITH: He told me "we will win" today.',
             "NEW DELHI: The Enforcement Directorate arrested him.", "EXCLUSIVE: In memo to Congress, Saudis insist.",
             "AP: Trump chair routed money.", "NET ZERO MADNESS: Families Hit", "He said: no."]
    spans = [quote_spans(t) for t in texts]
    assert spans[:4] == [[(8, len(texts[0]))], [(4, len(texts[1]))], [(15, len(texts[2]))], [(7, len(texts[3]))]]
    assert spans[4:] == [[]] * 5
    assert batch_quote_spans(texts) == spans
    # the line's words are the speaker's: a loaded word counts as quoted, and the quotation ends with the line
    assert _cue_column(["JP: You are absolutely right: it is a disgraceful smear."], "loaded_out")[0] == 0
    assert context_quote_spans(["SLOANE: We will win.", "The count went on.", "“It is over,” he said."],
                               ["a"] * 3)[1] == []


def test_a_quotation_over_several_sentences_quotes_the_sentences_between():
    texts = ["The minister spoke.", "“We will not back down.", "This is a barbaric attack.", "It is an outrage.",
             "We will respond,” he said.", "Critics disagreed."]
    quotes = context_quote_spans(texts, ["a"] * 6)
    assert quotes[2] == [(0, len(texts[2]))] and quotes[3] == [(0, len(texts[3]))]
    assert quotes[0] == quotes[5] == [] and quotes[1] == quote_spans(texts[1]) and quotes[4] == quote_spans(texts[4])
    # straight quotes, and Treebank-style quotes of news corpora
    assert context_quote_spans(['He said: "We will fight.', "It is a disgrace.", 'We will win," he said.'], [1, 1, 1])[1] == [(0, 17)]
    assert context_quote_spans(["``We will fight.", "It is a disgrace.", "We will win,'' he said."], [1, 1, 1])[1] == [(0, 17)]
    # straight single marks, as British copy writes a quotation, also over paragraphs
    british_run = ["'We will fight.", "It is a disgrace.", "We will win,' he said."]
    assert context_quote_spans(british_run, [1, 1, 1])[1] == [(0, 17)]
    british = ["He said: 'We will fight.", "It is a disgrace.", "'We will win.'"]
    assert context_quote_spans(british, [1, 1, 1], [True, False, True])[1] == [(0, 17)]
    # no closing sentence, another article, a sentence with a quotation of its own, or a run too long: the author's
    assert context_quote_spans(texts[:4], ["a"] * 4)[2] == []
    assert context_quote_spans(texts, ["a", "a", "b", "b", "b", "b"])[2:4] == [[], []]
    mixed = texts[:3] + ['He called it "an outrage".'] + texts[4:]
    assert context_quote_spans(mixed, ["a"] * 6)[2] == []
    long = texts[:2] + ["It is bad."] * 13 + texts[4:]
    assert context_quote_spans(long, ["a"] * len(long))[2] == []
    # paragraphs: a quotation that runs over paragraphs reopens the next with a mark; without one it ends there
    paras = [True, True, False, False, True, True]
    again = texts[:4] + ["“We will respond,” he said."] + texts[5:]
    assert context_quote_spans(again, ["a"] * 6, paras)[2:4] == [[(0, 26)], [(0, 17)]]
    assert context_quote_spans(texts, ["a"] * 6, paras)[2:4] == [[], []]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet='ab ."“”,\'`', max_size=12), max_size=8))
def test_context_quote_spans_of_lone_sentences_are_their_own(texts):
    assert context_quote_spans(texts, list(range(len(texts)))) == [quote_spans(t) for t in texts]
    quotes = context_quote_spans(texts, [0] * len(texts))
    for t, q, own in zip(texts, quotes, (quote_spans(t) for t in texts)):
        assert q == own or q == [(0, len(t))]


def test_straight_single_quotes_pair_as_a_quotation_and_apostrophes_do_not():
    # headlines and British copy quote with straight single marks; contractions and possessives stay the author's
    s = "Erdogan calls protests 'street terror' as the players' union meets."
    assert [s[a:b] for a, b in quote_spans(s)] == ["'street terror'"]
    s = "'I don't know,' he said, 'but it's bad.'"
    assert [s[a:b] for a, b in quote_spans(s)] == ["'I don't know,'", "'but it's bad.'"]
    assert quote_spans("Rock 'n' roll of the '90s isn't the workers' music.") == []
    assert quote_spans("Trump's aides won't say.") == []
    # unpaired: a mark after closing punctuation closes a quotation from an earlier sentence; one opening the sentence
    # or after a colon or comma opens one that runs on into the next
    s = "These traitors will pay,' the minister said."
    assert [s[a:b] for a, b in quote_spans(s)] == ["These traitors will pay,'"]
    s = "The minister said: 'These traitors will pay."
    assert [s[a:b] for a, b in quote_spans(s)] == ["'These traitors will pay."]
    assert quote_spans("'We will crush them.") == [(0, 20)]


def test_one_curly_mark_at_both_ends_pairs_like_straight_marks():
    s = "The minister called them ”thugs and terrorists” on Sunday."
    assert [s[a:b] for a, b in quote_spans(s)] == ["”thugs and terrorists”"]
    s = "“It's unusual,“ said Larry Noble."
    assert [s[a:b] for a, b in quote_spans(s)] == ["“It's unusual,“"]
    s = "„Verräter“ und „Lügner“, sagte er."  # German low quotes keep their own pairing
    assert [s[a:b] for a, b in quote_spans(s)] == ["„Verräter“", "„Lügner“"]
    toks = [t for t, _, _ in tokens_with_offsets("The minister called the protesters 'thugs' on Sunday.")]
    assert "q_thugs" in toks and "thugs" not in toks


def test_loaded_words_in_straight_single_quotes_are_not_the_authors(small_model):
    m = load_bundle(small_model).model
    j = m.labels_.index("loaded_language")
    quoted, own = m.predict_proba(["Minister calls protesters 'thugs and terrorists' as curfew begins",
                                   "Minister calls protesters thugs and terrorists as curfew begins"])[:, j]
    assert quoted < own


def test_loaded_words_in_treebank_quotes_are_not_the_authors(small_model):
    from framing.model import tokens

    assert "q_despicable" in tokens("Spitzer had ``sunk to a new and despicable low,'' he said.")
    m = load_bundle(small_model).model
    j = m.labels_.index("loaded_language")
    quoted, own = m.predict_proba(["The aide said Spitzer had ``sunk to a despicable low.''",
                                   "The aide said Spitzer had sunk to a despicable low."])[:, j]
    assert quoted < own


def test_tokens_inside_quotes_are_marked():
    toks = [t for t, _, _ in tokens_with_offsets('Critics called it a "brutal regime" in 2023.')]
    assert toks == ["critics", "called", "it", "a", "q_brutal", "q_regime", "in", "0000"]
    grams = QuoteAwareAnalyzer((1, 2))("a regime")
    assert grams == ["a", "regime", "a regime"]


def test_best_threshold_maximises_f1():
    y = np.array([0, 0, 1, 1, 0, 1])
    p = np.array([0.1, 0.2, 0.9, 0.8, 0.7, 0.6])
    t = best_threshold(p, y)
    assert 0.2 < t <= 0.6 + 1e-9


def test_best_threshold_with_a_plateau_is_the_highest_near_optimal_cut_point(monkeypatch):
    """With F1_PLATEAU > 0 the threshold is the highest cut point within that much F1 of the best: F1
    stays near-optimal and fewer sentences are flagged; at 0 it is the F1-optimal threshold."""
    import framing.model as fm

    monkeypatch.setattr(fm, "F1_SMOOTH", 0.0)  # the single best cut point, as the plateau rule was measured against
    monkeypatch.setattr(fm, "F1_MIDDLE", 0.0)
    rng = np.random.default_rng(0)
    y = rng.random(4000) < 0.2
    p = np.clip(np.where(y, rng.normal(0.6, 0.2, y.size), rng.normal(0.3, 0.2, y.size)), 0, 1)

    def f1_at(t, p=p, y=y):
        pred = p >= t
        return 2 * (pred & y).sum() / (pred.sum() + y.sum())

    optimal = best_threshold(p, y)
    monkeypatch.setattr(fm, "F1_PLATEAU", 0.01)
    t = best_threshold(p, y)
    assert t > optimal and f1_at(t) >= f1_at(optimal) - 0.01 - 1e-9
    grid = np.linspace(0.05, 0.95, 181)
    assert all(f1_at(u) < f1_at(optimal) - 0.01 + 1e-9 for u in grid if u > t + 0.01)


def _flat_sample(seed):
    """Calibrated probabilities mostly close to 0 or 1, as hedging's are: a wide flat stretch of near-optimal F1."""
    rng = np.random.default_rng(seed)
    y = rng.random(3000) < 0.15
    sure = rng.random(y.size) < 0.92
    logit = np.where(y == sure, rng.normal(4.0, 0.6, y.size), rng.normal(-4.0, 0.6, y.size))
    logit += rng.normal(0, 0.3, y.size) * (np.abs(logit) < 1)
    return 1 / (1 + np.exp(-logit)), y


def _f1_at(t, p, y):
    pred = p >= t
    return 2 * (pred & y).sum() / (pred.sum() + y.sum())


def test_best_threshold_on_a_flat_f1_curve_is_the_middle_of_the_flat_stretch(monkeypatch):
    """Calibrated probabilities close to 0 or 1 (as hedging's are) give an F1 curve that is flat over a wide range of
    thresholds: the single best cut point lands anywhere on it from one sample to the next, while the F1 averaged over a
    window (F1_SMOOTH, on the log-odds scale; 0 in the bundled recipe, see framing.model) peaks in the middle of the
    stretch, near-optimal and stable."""
    import framing.model as fm

    monkeypatch.setattr(fm, "F1_MIDDLE", 0.0)
    monkeypatch.setattr(fm, "F1_SMOOTH", 0.5)
    smoothed, single = [], []
    for seed in range(6):
        p, y = _flat_sample(seed)
        t = best_threshold(p, y)
        assert 0.1 < t < 0.9  # the middle of the stretch between the two clusters
        assert _f1_at(t, p, y) >= max(_f1_at(u, p, y) for u in np.linspace(0.05, 0.95, 91)) - 0.01
        smoothed.append(np.log(t / (1 - t)))
        monkeypatch.setattr(fm, "F1_SMOOTH", 0.0)
        u = best_threshold(p, y)
        single.append(np.log(u / (1 - u)))
        monkeypatch.setattr(fm, "F1_SMOOTH", 0.5)
    assert np.ptp(smoothed) < np.ptp(single)


def test_best_threshold_in_the_bundled_recipe_is_the_middle_of_the_near_optimal_cut_points(monkeypatch):
    """F1_MIDDLE (the bundled recipe): of the cut points within F1_MIDDLE of the best F1, the one nearest the middle of
    their range on the log-odds scale. On a flat curve it lands mid-stretch, within F1_MIDDLE of the best, and wanders
    less from sample to sample than the single best cut point; on a curve with a clear peak it stays at the peak."""
    import framing.model as fm

    assert fm.F1_MIDDLE > 0 and fm.F1_SMOOTH == 0 and fm.F1_PLATEAU == 0
    middle, single = [], []
    for seed in range(6):
        p, y = _flat_sample(seed)
        t = best_threshold(p, y)
        assert 0.1 < t < 0.9
        assert _f1_at(t, p, y) >= max(_f1_at(u, p, y) for u in np.unique(p)) - fm.F1_MIDDLE - 1e-9
        middle.append(np.log(t / (1 - t)))
        monkeypatch.setattr(fm, "F1_MIDDLE", 0.0)
        u = best_threshold(p, y)
        single.append(np.log(u / (1 - u)))
        monkeypatch.undo()
    assert np.ptp(middle) < np.ptp(single)
    # positives all above the negatives but for three: one clear peak, and the threshold stays at it
    p = np.r_[np.full(50, 0.99), np.linspace(0.95, 0.9, 6), np.linspace(0.8, 0.1, 30), np.full(200, 0.01)]
    y = np.r_[np.ones(50), [1, 1, 1, 1, 1, 1], np.zeros(30), np.zeros(200)].astype(int)
    y[-3:] = 1  # a few positives the model misses, so F1 is below 1 everywhere
    assert best_threshold(p, y) > 0.85
    # a peaked curve: the middle rule and the single best cut point agree closely
    rng = np.random.default_rng(1)
    y = rng.random(4000) < 0.2
    p = np.clip(np.where(y, rng.normal(0.6, 0.2, y.size), rng.normal(0.3, 0.2, y.size)), 0, 1)
    t = best_threshold(p, y)
    monkeypatch.setattr(fm, "F1_MIDDLE", 0.0)
    assert abs(t - best_threshold(p, y)) < 0.06 and _f1_at(t, p, y) >= _f1_at(best_threshold(p, y), p, y) - 0.005 - 1e-9


def test_non_government_speakers_are_a_separate_cue():
    (ms,) = get_matcher().match(["An IMF spokesperson said in a statement that the WHO and Amnesty International agreed, who knew."])
    kinds = {(m.text, m.kind) for m in ms}
    assert ("IMF", "nongov_speaker") in kinds and ("WHO", "nongov_speaker") in kinds
    assert ("Amnesty International", "nongov_speaker") in kinds
    assert not any(m.text == "who" for m in ms)  # acronyms match case-sensitively only


def test_a_model_saved_with_an_older_cue_set_still_scores():
    """Bundles saved before a cue was added keep working: their cue columns are selected by name."""
    old = ROOT / "models" / "v0001"
    if not (old / "model.joblib").exists():
        pytest.skip("models/v0001 (saved with the first cue set) is not in this checkout")
    b = load_bundle(old)
    assert not hasattr(b.model, "cue_names_")
    proba = b.model.predict_proba(["Russia's defense ministry said in a statement that drills began.", "It rained."])
    assert proba.shape == (2, len(b.codebook.names)) and proba[0, 0] > proba[1, 0]



def test_find_ngram_finds_the_first_whole_occurrence():
    from framing.model import find_ngram

    toks = tokens_with_offsets("the state media said state media “state media” state")
    assert find_ngram(toks, "state media") == (4, 15)
    assert find_ngram(toks, "q_state q_media") == (34, 45)
    assert find_ngram(toks, "media state") is None and find_ngram(toks, "state") == (4, 9)
    assert find_ngram(toks, "media said state media q_state") == (10, 39)
    assert find_ngram(toks, "state q_state q_media state") is None


def test_loaded_terms_in_technical_phrases_are_not_loaded_cues():
    (tech, plain) = get_matcher().match(["The EU extended its sanctions regime against Minsk.", "The regime jailed critics."])
    assert not any(m.kind.startswith("loaded") for m in tech) and any(m.kind == "not_loaded" for m in tech)
    assert any(m.kind == "loaded" and m.text == "regime" for m in plain)
    # the same for an editorial word in a technical phrase ("real estate" is no evaluation)
    (tech, plain) = get_matcher().match(["The real estate mogul won 10 states.", "The real scandal is the cost."])
    assert not any(m.kind.startswith(("loaded", "editorial")) for m in tech)
    assert any(m.kind == "editorial" and m.text == "real" for m in plain)


def test_criticism_verbs_that_report_speech_are_not_loaded_cues():
    """Codebook v42: a verb of criticism reporting what someone said is a reporting verb however strong; with a
    particle, nothing after it, or joined to a noun by a hyphen it keeps its loaded reading."""
    m = get_matcher()
    reporting = ["Vice President Joe Biden hit the campaign trail, trashing Donald Trump as unqualified.",
                 "Thunberg lambasted business leaders for not doing enough.", "Critics slammed the plan as cruel.",
                 "The senator was blasted by critics.", "He tore into the administration.",
                 "Republicans railed against the bill on Tuesday."]
    for sent, ms in zip(reporting, m.match(reporting)):
        assert not any(x.kind.startswith("loaded") for x in ms if x.text.lower() not in ("cruel",)), sent
        assert any(x.kind == "not_loaded" for x in ms), sent
    kept = ["In her rush for snarky liberal-bashing, she misses the story.", "The door was slammed shut.",
            "His economy was trashed."]
    for sent, ms in zip(kept, m.match(kept)):
        assert any(x.kind.startswith("loaded") for x in ms) and not any(x.kind == "not_loaded" for x in ms), sent
    # a phrase that holds the verb and its object keeps its own reading
    (ms,) = m.match(["They trashed the economy."])
    assert any(x.kind == "loaded" and x.text == "trashed the economy" for x in ms)
    assert not any(x.kind.startswith("loaded") and x.text == "trashed" for x in ms)
    assert m.match(reporting + kept) == m._match_reference(reporting + kept)


def test_ambiguous_loaded_words_count_in_their_own_column():
    """Words charged in many uses but neutral in others ("bizarre", "radical") are the lexicon's
    ``ambiguous`` tier: counted in ``loaded_ambiguous`` (outside quotes only), never in ``loaded_out``, so
    the classifier learns how far to trust them."""
    from framing.cues import CUE_FEATURES, batch_quote_spans, cue_features

    texts = ["The senator made a bizarre claim about the vote.", 'She called the claim "bizarre" on Tuesday.',
             "The regime jailed critics.", "Prices rose in March."]
    ms = get_matcher().match(texts)
    assert any(m.kind == "loaded_ambiguous" and m.text == "bizarre" for m in ms[0])
    assert not any(m.kind == "loaded" for m in ms[0])
    X = cue_features(texts, ms, batch_quote_spans(texts))
    col = {c: j for j, c in enumerate(CUE_FEATURES)}
    assert X[0, col["loaded_ambiguous"]] > 0 and X[0, col["loaded_out"]] == 0
    assert X[1, col["loaded_ambiguous"]] == 0 and X[1, col["loaded_in"]] == 0  # quoted: the speaker's word
    assert X[2, col["loaded_out"]] > 0 and X[2, col["loaded_ambiguous"]] == 0
    assert not X[3, [col["loaded_out"], col["loaded_ambiguous"]]].any()


def _assert_in_resources_digest(reader: str) -> None:
    """The bytes ``framing.cues.<reader>()`` returns (a lexicon read from an installed package) are part of the
    resources digest a model records: one more byte changes it."""
    import unittest.mock

    from framing import cues

    digest, original = cues.resources_digest(), getattr(cues, reader)()
    cues.resources_digest.cache_clear()
    try:
        with unittest.mock.patch.object(cues, reader, lambda: original + b" "):
            assert cues.resources_digest() != digest
    finally:
        cues.resources_digest.cache_clear()
    assert cues.resources_digest() == digest


def test_subjective_words_come_from_textblobs_lexicon_and_count_outside_quotes_for_editorializing_only():
    """Session 29: words TextBlob's sentiment lexicon rates subjective and not neutral (mean subjectivity >=
    SUBJECTIVITY_MIN and mean polarity >= SUBJECTIVE_POLARITY_MIN either way over their senses) count in ``subjective`` when the author uses them, not inside a quotation; only the
    editorializing classifier reads the column; the lexicon's bytes are part of the resources digest a model
    records."""
    import xml.etree.ElementTree as ET
    from statistics import fmean as mean

    from framing import cues
    from framing.cues import (
        CUE_FEATURES,
        SUBJECTIVE_POLARITY_MIN,
        SUBJECTIVITY_MIN,
        batch_quote_spans,
        cue_features,
        subjective_words,
    )
    from framing.model import LABEL_CUES

    subj: dict[str, list[float]] = {}
    pol: dict[str, list[float]] = {}
    for w in ET.fromstring(cues._sentiment_lexicon()).iter("word"):
        subj.setdefault(w.get("form").lower(), []).append(float(w.get("subjectivity")))
        pol.setdefault(w.get("form").lower(), []).append(float(w.get("polarity")))
    words = set(subjective_words())
    assert {"ridiculous", "spectacular", "naive", "vague"} <= words and "13th" not in words
    assert all(mean(subj[w]) >= SUBJECTIVITY_MIN and abs(mean(pol[w])) >= SUBJECTIVE_POLARITY_MIN for w in words)
    assert all(mean(subj[f]) < SUBJECTIVITY_MIN for f in ("american", "daily"))
    # subjective but neutral: the lexicon's modifiers, no evaluation
    assert all(mean(subj[f]) >= SUBJECTIVITY_MIN and f not in words for f in ("such", "only", "various", "final"))
    # rated subjective and polar, but in news a time, a rank, a verb form or a compound (not_subjective.tsv)
    left_out = ("late", "top", "rose", "grand", "guilty", "used to")
    assert all(mean(subj[f]) >= SUBJECTIVITY_MIN and abs(mean(pol[f])) >= SUBJECTIVE_POLARITY_MIN for f in left_out)
    assert not words & set(left_out) and {"good", "wrong", "evil"} <= words
    late = ["Prices rose late on Sunday after a grand jury indicted the top aide, who pleaded guilty."]
    assert cue_features(late, None, batch_quote_spans(late))[0, CUE_FEATURES.index("subjective")] == 0
    texts = ["That excuse is ridiculous.", 'He called the excuse "ridiculous" on Tuesday.', "The council met on Tuesday to discuss the budget."]
    X = cue_features(texts, None, batch_quote_spans(texts))
    j = CUE_FEATURES.index("subjective")
    assert X[0, j] > 0 and X[1, j] == 0 and X[2, j] == 0
    assert [lab for lab, allowed in LABEL_CUES.items() if "subjective" in allowed] == ["editorializing"]
    # the loaded lexicon's groups, the ambiguous tier's evaluative words among them, inform editorializing too
    assert {"loaded_ambiguous", "loaded_evaluative", "loaded_sneer"} <= LABEL_CUES["editorializing"]
    assert not {"loaded_ambiguous", "loaded_evaluative"} & LABEL_CUES["hedging"]
    _assert_in_resources_digest("_sentiment_lexicon")


def test_valence_words_come_from_vaders_lexicon_and_count_outside_quotes_for_editorializing_only():
    """Session 31: words of VADER's lexicon (vaderSentiment) with a mean valence of at least VALENCE_MIN either way count
    in ``valence`` when the author uses them, not inside a quotation; emoticons and slang with symbols are left out, and
    so are the words of not_subjective.tsv; only the editorializing classifier reads the column; the lexicon's bytes are
    part of the resources digest."""
    from statistics import fmean

    from framing import cues
    from framing.cues import (
        CUE_FEATURES,
        VALENCE_MIN,
        batch_quote_spans,
        cue_features,
        valence_words,
    )
    from framing.model import LABEL_CUES


    listed: dict[str, list[float]] = {}
    for line in cues._valence_lexicon().decode("utf-8").splitlines():
        fields = line.split("\t")
        listed.setdefault(fields[0], []).append(float(fields[1]))
    rated = {w: fmean(v) for w, v in listed.items()}
    words = set(valence_words())
    assert {"disastrous", "scandal", "brilliant", "shameful"} <= words
    assert all(abs(rated[w]) >= VALENCE_MIN for w in words)
    assert all(w.isascii() and w[0].isalpha() for w in words) and ":)" in rated and ":)" not in words
    # not_subjective.tsv: in news a compound or a legal term ("a grand jury", "crude oil", "pleaded guilty")
    assert all(abs(rated[w]) >= VALENCE_MIN and w not in words for w in ("grand", "crude", "guilty"))
    assert abs(rated["okay"]) < VALENCE_MIN and "okay" not in words
    assert listed["ok"] == [1.6, 1.2] and "ok" not in words  # listed twice: the mean, 1.4, counts
    texts = ["The scandal dragged on for months.", 'He called the affair "a scandal" on Tuesday.',
             "The council met on Tuesday to discuss the budget."]
    X = cue_features(texts, None, batch_quote_spans(texts))
    j = CUE_FEATURES.index("valence")
    assert X[0, j] > 0 and X[1, j] == 0 and X[2, j] == 0
    assert [lab for lab, allowed in LABEL_CUES.items() if "valence" in allowed] == ["editorializing"]
    _assert_in_resources_digest("_valence_lexicon")


def test_a_subjective_word_is_evidence_for_an_editorializing_flag():
    """The bundled model's editorializing flag on an evaluation shows the subjective word it rests on."""
    texts = ["Her answer was vague and unconvincing.", 'She said his answer was "vague".']
    model = _bundled_model()
    flags = model.predict(texts)
    j = model.labels_.index("editorializing")
    assert flags[0, j] == 1 and flags[1, j] == 0
    ev = [e for e in model.explain(texts[:1])[0] if e["label"] == "editorializing"]
    assert {"cue": "subjective", "text": "vague"}.items() <= next(e for e in ev if e["cue"] == "subjective").items()
    assert all(texts[0][e["start"]:e["end"]] == e["text"] for e in ev)


def test_a_groups_present_tense_speech_is_reported_and_unverified_claims_are_hedged():
    """Session 28: the plural present of reported speech ("opponents describe ... as", "..., critics say.",
    "..., residents say, ...") puts a loaded term in ``loaded_reported``; the reporter's own "could not
    independently verify" is no hedge (codebook NO), a claim it marks so in a relative clause is (codebook YES)."""
    from framing.cues import CUE_FEATURES, cue_features

    rep = CUE_FEATURES.index("loaded_reported")
    X = cue_features(["Opponents describe the law as draconian.",
                      "The law is draconian, critics say.",
                      "The corrupt mayor, residents say, stole the election.",
                      "Critics accuse the mayor of a shameful cover-up.",
                      "The draconian law, which passed on Friday, takes effect in May."])
    assert list(X[:, rep] > 0) == [True, True, True, True, False]
    hedge, dist = CUE_FEATURES.index("hedge"), CUE_FEATURES.index("hedge_distancing")
    X = cue_features(["Reuters could not independently verify the footage.",
                      "The Associated Press could not independently confirm the claims.",
                      "Russia said it had captured the village, a claim Reuters could not independently verify.",
                      "Hamas said 30 people died, a toll that Reuters could not immediately verify.",
                      "The footage could not be independently verified."])
    assert list(X[:, hedge] > 0) == [False, False, True, True, True]
    assert list(X[:, dist] > 0) == [False, False, True, True, True]


def test_loaded_terms_in_attributed_indirect_speech_count_in_loaded_reported():
    """A strict loaded term in attributed indirect speech (after a reporting verb up to the clause break, or
    before a trailing "..., X said.", or around a tag set off by commas, "..., X said, ...") counts in
    ``loaded_reported`` as well as ``loaded_out``; the author's
    own term before the reporting verb, after the clause break, or in "so-called" does not."""
    from framing.cues import (
        CUE_FEATURES,
        batch_quote_spans,
        cue_features,
        reported_speech_spans,
    )

    texts = [
        "The ministry said the protesters were paid thugs.",                       # after "said"
        "The protesters were paid thugs, the ministry said on Tuesday.",           # before a trailing attribution
        "Thugs attacked the marchers, who said they had been peaceful.",            # the author's, before "said"
        "The ministry said the march was illegal, and the regime jailed its leaders.",  # after the clause break
        "The so-called experts backed the regime.",                                 # "so-called" is no reporting verb
        'The ministry said the marchers were "thugs".',                            # quoted: loaded_in, not reported
        "Officials accused Kyiv of using puppet courts.",                           # accused ... of
        "The senator portrayed the governor as a reckless demagogue.",              # what follows "portrayed ... as"
        "He labeled the thugs' attack a crime.",                                    # the author's object, no "as"
        "The premier compared Soros, a banker, to a puppet master.",                # what follows "compared ... to"
        "Arrests of thugs rose 5% compared with last year.",                        # the author's own comparison
        "The thugs, the ministry said on Tuesday, were paid by foreign agents.",   # around a tag set off by commas
        "Thugs, which the ministry said, were paid.",                               # "which": no tag set off
    ]
    spans = reported_speech_spans(texts[0])
    start = texts[0].index("the protesters")
    assert any(a <= start and texts[0].index("thugs") < b for a, b in spans)
    X = cue_features(texts, get_matcher().match(texts), batch_quote_spans(texts))
    col = {c: j for j, c in enumerate(CUE_FEATURES)}
    rep, out = X[:, col["loaded_reported"]], X[:, col["loaded_out"]]
    assert rep[0] > 0 and out[0] > 0
    assert rep[1] > 0
    assert rep[2] == 0 and out[2] > 0
    assert rep[3] == 0 and out[3] > 0
    assert rep[4] == 0 and out[4] > 0
    assert rep[5] == 0 and X[5, col["loaded_in"]] > 0
    assert rep[6] > 0
    assert rep[7] > 0 and rep[8] == 0 and out[8] > 0
    assert rep[9] > 0 and rep[10] == 0 and out[10] > 0
    assert rep[11] > 0 and rep[12] == 0 and out[12] > 0


def test_cue_offsets_survive_characters_whose_lower_case_is_longer():
    """The matcher scans lower-cased text when lower() keeps every offset, else falls back to a
    case-insensitive scan: both give the same, correctly placed matches."""
    plain = "Russia's Defense Ministry said TASS may report it."
    sents = ["İSTANBUL (Reuters) -", plain, "İİİ " + plain]
    ms = get_matcher().match(sents)
    for s, m in zip(sents, ms):
        for x in m:
            assert s[x.start:x.end] == x.text
    assert {(x.kind, x.text) for x in ms[1]} <= {(x.kind, x.text) for x in ms[2]}
    assert any(x.kind == "outlet" and x.text == "TASS" for x in ms[2])
    (alone,) = get_matcher().match([plain])
    assert sorted((x.start, x.kind) for x in alone) == sorted((x.start, x.kind) for x in ms[1])


def test_drop_numbers_keeps_figures_out_of_features_and_evidence(seed_data):
    texts, y, _ = seed_data
    m = FramingClassifier(labels=NAMES, drop_numbers=True, n_jobs=1).fit(texts, y)
    assert not [f for f in m.vectorizer_.get_feature_names_out() if any(t.removeprefix("q_").strip("0") == "" for t in f.split())]
    assert QuoteAwareAnalyzer((1, 2), drop_numbers=True)("Exports rose 8.9% to $1,100 in 2024") == \
        ["exports", "rose", "to", "in", "exports rose", "rose to", "to in"]
    for evs in m.explain(texts):
        for ev in evs:
            assert not ev["text"].replace(",", "").replace(".", "").isdigit()


def test_statements_are_owned_by_government_or_non_government_speakers():
    from framing.cues import CUE_FEATURES, cue_features

    sents = ["An IMF spokesperson said in a statement that a mission would visit Nairobi.",
             "The Russian Defence Ministry said in a statement that drills had begun.",
             "A spokesperson for the interior ministry declined to comment.",
             "Opposition housing spokesman Ben Carrington said the government had lost control.",
             "The company said in a statement that it would appeal."]
    X = cue_features(sents)
    gov, nongov = X[:, CUE_FEATURES.index("channel_gov")], X[:, CUE_FEATURES.index("channel_nongov")]
    assert nongov[0] > 0 and gov[0] == 0
    assert gov[1] > 0 and nongov[1] == 0
    assert gov[2] > 0  # the owner named after the channel: "a spokesperson for the ministry"
    assert gov[3] == 0 and nongov[3] > 0  # "the government" is what he talks about, not whose spokesman he is
    assert gov[4] == 0 and nongov[4] > 0
    # an owner no list knows, named right before or after the channel; a head of government's title is a government
    X = cue_features(["An Upjohn spokesman said he had heard nothing.", "A spokesman for Seagram said profit would rise.",
                      "A spokesperson for Prime Minister Keir Starmer said talks were constructive.",
                      "Spokesman Yuri Gremitskikh said evacuees were assembling."])
    gov, nongov = X[:, CUE_FEATURES.index("channel_gov")], X[:, CUE_FEATURES.index("channel_nongov")]
    assert list(nongov > 0) == [True, True, False, False] and list(gov > 0) == [False, False, True, False]


def test_governors_offices_former_holders_and_what_a_body_releases():
    """Session 28: "Gov." is a governor's title; a former holder speaks for himself; a governor's or mayor's office,
    an elections office and a weekly address are channels; "released" reports what a body makes public, not the
    people or money it sets free or pays out."""
    from framing.cues import CUE_FEATURES, cue_features

    X = cue_features(["Gov. Terry Branstad said in a statement that the order was lawful.",
                      "Virginia Gov. Ralph Northam said in a statement that the order was lawful.",
                      "Former President Bill Clinton said in a statement that he was saddened.",
                      "former Florida Gov. Jeb Bush said in a statement that the order was lawful.",
                      "President Obama said in a statement that the order was lawful."])
    gov, nongov = X[:, CUE_FEATURES.index("channel_gov")], X[:, CUE_FEATURES.index("channel_nongov")]
    assert list(gov > 0) == [True, True, False, False, True]
    assert list(nongov > 0) == [False, False, True, True, False]
    speaks = CUE_FEATURES.index("channel_speaks")
    X = cue_features(["The governor's office said the special session would begin Monday.",
                      "The county clerk's office said 40,000 absentee ballots had been returned.",
                      "North Carolina's Board of Elections said early voting sites would stay open.",
                      "Protesters gathered outside the mayor's office on Friday."])
    assert list(X[:, speaks] > 0) == [True, True, True, False]
    assert X[3, CUE_FEATURES.index("channel_mention")] > 0
    X = cue_features(["In his weekly radio address, the president said Congress must act."])
    assert X[0, CUE_FEATURES.index("channel")] > 0
    X = cue_features(["Police released the suspect without charge on Sunday.",
                      "The Interior Ministry released 200 political prisoners on Friday.",
                      "The Treasury Department released $2 billion in frozen funds.",
                      "The Pentagon released a video of the strike.",
                      "NASA releases images captured 3.79 billion miles from Earth",
                      "Police released the names of the victims.",
                      "The State Department released 1,000 pages of emails on Friday.",
                      "The FBI released its notes from the interview on Friday.",
                      "The FBI released documents showing that agents had warned the campaign."])
    assert list(X[:, speaks] > 0) == [False, False, False, True, True, True, False, False, True]


def test_a_head_of_governments_news_conference_or_statement_is_a_government_channel():
    """Codebook v18: an official at a press or news conference, or a head of government's own statement, is
    a channel of a government; a company's president at one is not."""
    from framing.cues import CUE_FEATURES, cue_features

    X = cue_features(["The governor said at a news conference that schools would reopen next week.",
                      "The prime minister told a news conference in Berlin that the talks had failed.",
                      "President Trump issued a statement saying the attack was cowardly.",
                      "The ambassadors of Hungary and Poland issued a joint statement on Friday.",
                      "The company's president told a news conference that profits would rise.",
                      "The company's vice president said at a press conference that profits would rise.",
                      "Sanders told a news conference in Iowa that he would stay in the race."])
    gov, nongov = X[:, CUE_FEATURES.index("channel_gov")], X[:, CUE_FEATURES.index("channel_nongov")]
    assert list(gov > 0) == [True, True, True, True, False, False, False]
    assert list(nongov > 0) == [False, False, False, False, True, True, True]
    # a channel in the introductory phrase belongs to the subject after the comma
    X = cue_features(["At a press conference in Chelsea, the mayor said it was too early to tell.",
                      "In a televised address Friday, President Arpad Gencz described the entry as historic.",
                      "At a news conference on Monday, the company's chief executive said profits would rise."])
    gov, nongov = X[:, CUE_FEATURES.index("channel_gov")], X[:, CUE_FEATURES.index("channel_nongov")]
    assert list(gov > 0) == [True, True, False] and list(nongov > 0) == [False, False, True]
    # a statement no government speaker owns is unowned; a local council is a government
    X = cue_features(["Keron Blair, executive director of AROS, called for more school investment in a statement.",
                      "The shire council said in a statement last week that the application would be decided in April."])
    assert X[0, CUE_FEATURES.index("channel_unowned")] > 0 and X[0, CUE_FEATURES.index("channel_gov")] == 0
    assert X[1, CUE_FEATURES.index("channel_gov")] > 0 and X[1, CUE_FEATURES.index("channel_unowned")] == 0
    # a head of state or government named without the title owns the channel it speaks through (registry of heads)
    X = cue_features(["Putin told a news conference in Moscow that the talks had stalled.",
                      "Macron told a joint news conference with Scholz that Europe must rearm.",
                      "Netanyahu said in a video statement that the operation would continue.",
                      "The Trump campaign said in a statement that it would appeal.",
                      "Trump's senior adviser Jason Miller said in a statement that the campaign was strong.",
                      "Trump spokesperson Ron Lieberman told the Journal that they were not terminable.",
                      "Ivanka Trump said in a statement that she was proud.",
                      "Former President Obama said in a statement that he was proud."])
    assert (X[:, CUE_FEATURES.index("channel_gov")] > 0).tolist() == [True, True, True, False, False, False, False, False]
    # the police speak with any speech verb, "admit" and "concede" included
    X = cue_features(["Kopp remains at large and police admit that they don't know where he is."])
    assert X[0, CUE_FEATURES.index("channel_speaks")] > 0
    # a state attorney general is a government owner ("attorney" alone names a lawyer)
    X = cue_features(["A spokesman for Pennsylvania Attorney General Josh Shapiro said the diocese had pushed back.",
                      "The attorney for the family said in a statement that they would sue."])
    gov, nongov = X[:, CUE_FEATURES.index("channel_gov")], X[:, CUE_FEATURES.index("channel_nongov")]
    assert list(gov > 0) == [True, False] and list(nongov > 0) == [False, True]


def _fires_on(spans_of, column: str, yes: list[str], no: list[str]) -> np.ndarray:
    """Check that ``spans_of`` finds a span in exactly the ``yes`` sentences, and that the fast cue features equal
    the reference's on all of them; return the features' ``column``."""
    from framing.cues import CUE_FEATURES, _cue_features_reference, cue_features

    for t in yes + no:
        assert bool(spans_of(t)) is (t in yes), t
    X = cue_features(yes + no)
    assert np.array_equal(X, _cue_features_reference(yes + no))
    return X[:, CUE_FEATURES.index(column)]


def _cue_column(texts: list[str], column: str) -> np.ndarray:
    """The cue feature ``column`` of ``texts``, after checking that the fast features equal the reference's."""
    from framing.cues import CUE_FEATURES, _cue_features_reference, cue_features

    X = cue_features(texts)
    assert np.array_equal(X, _cue_features_reference(texts))
    return X[:, CUE_FEATURES.index(column)]


def test_a_head_of_states_own_social_media_post_is_a_government_channel():
    """Codebook: a head of state's or government's own social-media posts (and a governor's or a mayor's own
    statement) are official channels ("Trump tweeted that ..."). The head must be the poster, by title or by a
    name in the registry: not a former holder, a candidate, a company's president or another person of the
    same surname."""
    from framing.cues import (
        CUE_FEATURES,
        _cue_features_reference,
        cue_features,
        head_post_owner,
        head_post_spans,
    )

    posts = ["'Sessions should stop this now,' the president tweeted.",
             "President Donald Trump took to Twitter Wednesday to call on Sessions to end the probe.",
             "Oakland Mayor Libby Schaaf tweeted out a warning of the raid.",
             "The president made his comments in a series of tweets earlier this morning.",
             "Prime Minister Narendra Modi wrote on X that the talks had gone well.",
             "President Donald Trump on Sunday acknowledged losing the U.S. election in a morning Twitter post."]
    others = ["Former Florida governor Jeb Bush tweeted: \"No, we are not.\"", "Ivanka Trump tweeted her thanks.",
              "The company's president tweeted that sales rose.", "Vice President Pence tweeted his thanks.",
              "Supporters of President Assad tweeted false reports.", "The president said on Monday he would veto it.",
              "Republican presidential candidate Donald Trump took to Twitter, writing that he would win.",
              "Donald Trump Jr. tweeted a meme.", "Trump's campaign tweeted a video."]
    named = ["Trump tweeted that the FBI had lied.", "On Tuesday Putin wrote on Telegram that the talks had failed.",
             "'Stop it now,' Trump wrote of the caravan in a series of tweets."]
    for s in posts + named + others:
        assert bool(head_post_spans(s)) is (s not in others), s
    assert [head_post_owner(s[a:b]) for s in posts[:3] + named[:2] for a, b in head_post_spans(s)] == [
        "president", "President Donald Trump", "Mayor Libby Schaaf", "Trump", "Putin"]
    X = cue_features(posts + others)
    assert (X[:, CUE_FEATURES.index("channel_gov")] > 0).tolist() == [True] * 6 + [False] * 9
    assert (X[:6, CUE_FEATURES.index("attribution")] > 0).all()  # "took to Twitter" attributes too
    assert np.array_equal(X, _cue_features_reference(posts + others))
    # the post first, the head the next clause's subject; or the post later in the clause with its own adjectives
    lead = ["In his Twitter post, Trump also blasted the investigators.", "In a tweet, the president said the talks had failed.",
            "In her Instagram post, Mayor Libby Schaaf said the city would act.",
            "The president suggested in a subsequent tweet that Manafort was treated worse.",
            "Trump alleged in a morning tweet series that the former director is disgraced.",
            # a gerund later in the clause, a relative clause about the post (codebook v32's sample r33)
            "Trump lost no time in tweeting his delight at the ruling.",
            "In a tweet, which he quickly deleted, the president shared the clip."]
    not_lead = ["In a tweet, Trump's son said the talks had failed.", "In a tweet, former President Obama said hello.",
                "In a Facebook post on Sunday night, Beck encouraged Americans to fast.", "In a tweet, it said it refunded the fee.",
                "In retweeting her posts, the senator said, Trump is condoning fascism."]
    assert (_fires_on(head_post_spans, "channel_gov", lead, not_lead) > 0).tolist() == [True] * 7 + [False] * 5
    assert [head_post_owner(s[a:b]) for s in lead[:3] for a, b in head_post_spans(s)] == [
        "Trump", "president", "Mayor Libby Schaaf"]


def test_a_state_outlet_no_list_names_is_known_by_its_description():
    """Codebook: attribution to a news outlet under state control, of any country. One the registry lacks is read
    from its description (a control qualifier, a name, a media noun), and the evidence names it; not a bare
    "state" before a name, nor a state-owned company."""
    from framing.cues import state_media_shape_spans

    shaped = ["Zimbabwe's state-owned Herald newspaper said the arrests were lawful.",
              "The Kremlin-controlled Channel One network reported that the strikes had hit their targets.",
              "The official Chinese news agency said the talks would resume."]
    not_shaped = ["The State Highway network is closed after the storm.", "The state-run Gazprom said prices would rise.",
                  "Official figures show growth of 2%.", "State Sen. Ortiz told a local radio station he would run."]
    generic = _fires_on(state_media_shape_spans, "state_generic", shaped, not_shaped)
    # ("state-run" alone is a qualifier of the generic list, but not before a company the non-government list names)
    assert (generic > 0).tolist() == [True] * 3 + [False, False, False, False]
    model = _bundled_model()
    assert model.predict(shaped[:1])[0, list(model.labels_).index("state_media")] == 1
    ev = model.explain(shaped[:1])[0]
    assert [e["outlet"] for e in ev if e["label"] == "state_media" and "outlet" in e] == ["state-owned Herald newspaper"]


def test_who_owns_a_spokesperson_and_whether_it_spoke():
    """A listed head's possessive owns the channel ("Ms. Merkel's spokesman", honorific included); a campaign, an
    organisation's officer or a relative does not make it a government's; a spokesperson or a press office that
    did not answer attributes nothing, so its phrase is dropped (an institution named with it is then only
    mentioned)."""
    from framing.cues import (
        CUE_FEATURES,
        _cue_features_reference,
        cue_features,
        get_matcher,
    )

    gov = ["Ms. Merkel's spokesman, Steffen Seibert, wrote on Twitter that the attacks were despicable.",
           "Putin's spokesman Dmitry Peskov told reporters the talks were useful.",
           "The presidential spokesman said the talks would resume."]
    nongov = ["It is full, said Kiki McLean, a spokeswoman for Gore's 2000 presidential campaign.",
              ("Jill Martin, vice president and general counsel for the Trump Organization, said in a written statement that "
               "the claims had no substance."),
              "Ivanka Trump's spokeswoman said she was traveling."]
    X = cue_features(gov + nongov)
    g, n = X[:, CUE_FEATURES.index("channel_gov")], X[:, CUE_FEATURES.index("channel_nongov")]
    assert (g > 0).tolist() == [True] * 3 + [False] * 3 and (n[3:] > 0).all()
    assert np.array_equal(X, _cue_features_reference(gov + nongov))
    silent = ["An FBI spokesman did not immediately respond to a request for comment.",
              "A spokesman for the Interior Ministry declined to comment.",
              "A spokeswoman, Jane Doe, could not be reached."]
    spoke = ["A spokesman said the ministry did not respond to the letter.",
             "Foreign ministry spokesman Wang Wenbin told a briefing the company had not responded."]
    matcher = get_matcher()
    for t, ms in zip(silent + spoke, matcher.match(silent + spoke)):
        phrases = [m.text for m in ms if m.kind == "channel" and not matcher.is_institution(m.text)]
        assert bool(phrases) is (t in spoke), (t, phrases)
    X = cue_features(silent + spoke)
    assert X[0, CUE_FEATURES.index("channel_mention")] == 1  # the FBI only mentioned
    assert not X[:3, CUE_FEATURES.index("channel_gov")].any()
    assert np.array_equal(X, _cue_features_reference(silent + spoke))


def test_police_an_agencys_study_a_committee_and_an_inspector_general_speak_as_institutions():
    """Codebook v24 (from sample r17): the police speak as an institution with any lead or adjunct ("according to
    police", "Seattle police on Saturday said"); an agency's study or report speaks for it ("according to a new NASA
    study", "a report by the Government Accountability Office"); so do a legislature's committee and an inspector
    general's findings. Their officers and sources do not, and a mention is a mention."""
    speaks = ["Three people were arrested, according to police.",
              "Seattle police on Saturday said they were investigating the fatal shooting.",
              "Police later said three people were arrested.",
              "Storms may grow stronger, according to a startling new study by NASA.",
              "Storms may grow stronger, according to a new NASA study.",
              "According to a report by the Government Accountability Office, costs rose.",
              "The House Intelligence Committee said in a statement that it would subpoena the documents.",
              "The CBO estimated the bill would cost $1 trillion.",
              "The inspector general concluded that the text was biased.",
              "Col. Steven H. Warren, a military spokesman in Baghdad, said a raid is a combat operation.",
              "Police in New York City said two men were arrested."]
    silent = ["Police in New York City arrested two men.", "Police officers said three people were arrested.", "Police sources said three people were arrested.",
              "He told police he was innocent.", "The mayor said police would patrol the area.",
              "Police arrested three people.", "An investigation by the FBI found nothing.",
              "He testified before the Senate Intelligence Committee on Tuesday.",
              "The ranchers deserve a pardon, according to the White House petition by Protect The Harvest."]
    speaking = _cue_column(speaks + silent, "channel_speaks")
    assert (speaking > 0).tolist() == [True] * len(speaks) + [False] * len(silent)
    assert (_cue_column(silent, "channel_mention") == 1).all()


def test_an_armed_forces_own_radio_is_a_state_outlet():
    from framing.cues import resolve_outlet

    for name in ("Army Radio", "Galei Tzahal", "Israeli Army Radio"):
        assert resolve_outlet(name).country == "Israel"
    assert _cue_column(["She said it was a black stain on Israel, Israel army radio reported."], "outlet_attributed")[0] > 0


def test_a_body_named_inside_a_quotation_or_before_its_officials_does_not_speak():
    """Codebook: "a State Department official said" is an official speaking, not the institution, whatever the lead
    ("according to a State Department official", "according to White House pool reports": the press pool); and a
    body the quoted words name does not own the channel outside the quotation ("... with the FBI," Chairman Jason
    Chaffetz said in a statement)."""
    from framing.cues import CUE_FEATURES, _cue_features_reference, cue_features

    speaks = ["According to the State Department, the talks failed.", "The talks failed, according to the Pentagon.",
              "'We will not comment,' the FBI said in a statement.", "The White House contends that it is on track.",
              "The FBI insists there is no motive."]
    officials = ["According to a State Department official, two emails were upgraded.",
                 "According to White House pool reports, Obama said there is love in Orlando.",
                 "The talks failed, according to Pentagon sources."]
    quoted = [('"Immunity deals should not be a requirement for cooperating with the FBI," Chairman Jason Chaffetz said '
               'in a statement.'),
              '"Governor Romney has no plans to attend," a spokesman said Thursday.']
    X = cue_features(speaks + officials + quoted)
    assert np.array_equal(X, _cue_features_reference(speaks + officials + quoted))
    col = CUE_FEATURES.index
    assert (X[:, col("channel_speaks")] > 0).tolist() == [True] * 5 + [False] * 5
    assert (X[5:8, col("channel_mention")] == 1).all()
    assert X[2, col("channel_gov")] > 0  # the FBI's own statement, quoted words before it
    assert not X[8:, col("channel_gov")].any()
    # a body that opens the quoted words speaks of itself, and the spokesperson outside is its own; a title there is a
    # person; a bare spokesperson after "according to" or a quotation's end has no owner the sentence names
    own = ["\"In all candor, the FBI does not know where he is,\" said Paul Moskal, a spokesman for the bureau's Buffalo office.",
           "\"Governor Romney has no plans to attend,\" a spokesman said Thursday.",
           "The hall opened its doors to some 40 events, according to spokesman Todd Mesek.",
           "\"We will maintain our forces in the region,\" said spokesman Kenneth Bacon."]
    X = cue_features(own)
    assert np.array_equal(X, _cue_features_reference(own))
    assert (X[:, col("channel_gov")] > 0).tolist() == [True, False, False, False]
    assert (X[:, col("channel_unowned")] > 0).tolist() == [False, True, True, True]
    # after an inverted speech verb a possessive body owns the next noun, it does not speak
    poss = ["Sullivan also said the State Department’s handling of the emails has created suspicion.",
            "The talks failed, said the State Department."]
    X = cue_features(poss)
    assert np.array_equal(X, _cue_features_reference(poss))
    assert X[0, col("channel_speaks")] == 0 and X[0, col("channel_mention")] == 1 and X[1, col("channel_speaks")] > 0
    # a regular, daily or weekly briefing is a government's format even when the speaker's office is not named
    briefings = ["Mao Ning told a regular press briefing in Beijing that the talks went well.",
                 "The coach said at a news conference that the team would win."]
    X = cue_features(briefings)
    assert X[0, col("channel_gov")] > 0 and X[1, col("channel_gov")] == 0
    assert np.array_equal(X, _cue_features_reference(briefings))
    # a head's statement introduced as "the following statement" is the head's channel; a company's is not
    following = ['President Clinton released the following statement: "Hillary and I offer our condolences."',
                 'The company issued the following statement: "We regret the error."']
    X = cue_features(following)
    assert X[:, col("channel_gov")].tolist()[0] > 0 and X[1, col("channel_gov")] == 0 and X[1, col("channel_nongov")] > 0
    model = _bundled_model()
    j = list(model.labels_).index("state_media")
    assert model.predict(speaks[:2])[:, j].tolist() == [1, 1]
    assert model.predict(officials[:2] + quoted[:1])[:, j].tolist() == [0, 0, 0]


def test_heads_of_the_1980s_and_1990s_own_their_channels():
    """The heads' registry reaches back to 1985 (archives are scored too): "Yeltsin's spokesman", "Kohl told a news
    conference"; a leader who later headed an intergovernmental body is left out ("Stoltenberg said in a statement")."""
    gov = ["Kuchma assured Yeltsin that Ukraine would not join NATO, Yeltsin's spokesman Sergei Yastrzhembsky said.",
           "Kohl told a news conference in Bonn that the talks had failed.",
           "Mitterrand said in a televised address that France would not yield.",
           "Stoltenberg said in a statement that the alliance would respond.",
           "Her lawyer said in a statement that she would appeal."]
    assert (_cue_column(gov, "channel_gov") > 0).tolist() == [True] * 3 + [False] * 2


def test_potential_naming_a_class_is_not_a_hedge():
    """Codebook (hedging, NO): "potential" or "possible" naming a class of referents ("potential foes", "possible
    candidates"), also with modifiers between ("eight potential Democratic candidates"); not "a potential disaster",
    "the potential for violence" or "it is possible that"."""
    from framing.cues import class_potential_spans

    yes = ["At least eight potential Democratic candidates have voiced support.", "Potential buyers were interviewed.",
           "Officials studied potential sites at military bases.", "She handed back all potential federal records."]
    no = ["The move could be a potential disaster.", "The potential for violence is high.",
          "It is possible that voters will rebel.", "It is possible for members to vote."]
    col = _fires_on(class_potential_spans, "not_hedge", yes, no)
    assert (col > 0).tolist() == [True] * 4 + [False] * 4


def test_no_channel_phrase_is_hidden_inside_a_longer_attribution_phrase():
    """The matcher takes the longest phrase at a position, and only a phrase listed in both files counts for
    both: "in a televised address" (attribution) hid "televised address" (channel) until each attribution
    phrase holding a channel phrase was listed as a channel too."""
    import re
    from importlib.resources import files

    def phrases(name):
        rows = files("framing").joinpath("resources", name).read_text(encoding="utf-8").splitlines()
        return [r.split("\t")[0] for r in rows if r.strip() and not r.startswith("#") and not r.startswith("phrase\t")]

    channels = set(phrases("official_channels.tsv"))
    # hidden on purpose: in "told the agency" the agency (a news agency, most often) is who was told, not a speaker
    addressees = {("told the agency", "the agency")}
    hidden = [(a, c) for a in phrases("attribution.tsv") if a not in channels for c in channels
              if re.search(r"(?<!\w)" + re.escape(c) + r"(?!\w)", a) and (a, c) not in addressees]
    assert hidden == []


def test_an_institution_that_speaks_is_told_from_one_only_mentioned():
    """"The State Department said" sources something; "sued the State Department" or "worked at the Treasury"
    only mentions a government body (the commonest false state_media flag on real news)."""
    from framing.cues import CUE_FEATURES, cue_features

    speaks = ["The State Department said on Tuesday that the talks would resume.",
              "Nine people were killed, police said.",
              "According to the Office for National Statistics, inflation rose to 3.2%.",
              "The Interior Ministry, in a statement, said 40 people had been detained.",
              '"We will respond," said the Russian Defense Ministry.',
              "As the fields cross, NASA stated, this can cause a flare.",
              "The Centers for Medicare and Medicaid Services (CMS) announced on Monday that premiums fell.",
              "The State Department recommended that travellers reconsider their plans."]
    mentions = ["He worked at the Food and Drug Administration (FDA) for eleven years.",
                "He came to Clarkston after multiple interviews with the U.S. State Department.",
                "The AP received the documents after filing a lawsuit against the State Department.",
                "She has held clearances for work at the Treasury Department, the IRS and the Justice Department.",
                'One senior official described the White House as "a collection of small groups of aides."',
                "ICE agents arrested 40 people in Texas on Monday.",
                "Friday, an FBI official said authorities were pursuing 400 tips."]  # an official, not the bureau
    X = cue_features(speaks + mentions)
    sp, mn = X[:, CUE_FEATURES.index("channel_speaks")], X[:, CUE_FEATURES.index("channel_mention")]
    assert all(sp[:len(speaks)] > 0) and not any(mn[:len(speaks)])
    assert not any(sp[len(speaks):]) and all(mn[len(speaks):] == 1)
    # a body only mentioned counts in channel_mention alone, not as a channel (however often it is named)
    ch, at = X[:, CUE_FEATURES.index("channel")], X[:, CUE_FEATURES.index("channel_attributed")]
    assert all(ch[:len(speaks)] > 0) and not any(ch[len(speaks):]) and not any(at[len(speaks):])
    # a speech verb before a body's possessive makes the subject the speaker, not the body
    X = cue_features(["Sullivan also said the State Department's handling of the emails raised suspicion.",
                      "The talks will resume next week, said the Interior Ministry.",
                      "According to the State Department's annual report, 40 people were detained.",
                      "The official said the FBI had secured the cooperation of a former aide.",  # what the FBI did
                      "Nine people died, said the Interior Ministry on Monday.",
                      "The U.S. Centers for Medicare and Medicaid Services said it plans to cut advertising."])
    assert list(X[:, CUE_FEATURES.index("channel_speaks")] > 0) == [False, True, True, False, True, True]


def test_government_bodies_no_list_names_are_recognised_by_the_shape_of_their_names():
    """An inspectorate, authority or state department the channel list does not name is still a government
    body when it speaks; international, European and private bodies with the same head words are not."""
    # (the matcher adds a name found this way only where the body speaks: see CueMatcher._named_matches)
    from framing.cues import CUE_FEATURES, cue_features, generic_institutions

    found = {t: [t[a:b] for a, b in generic_institutions(t)] for t in [
        "The Drinking Water Inspectorate said in a statement that it was investigating.",
        "The Anti-Doping Agency of Kenya said it had carried out 1,900 tests.",
        "Growth slowed, according to the Ministry of New and Renewable Energy.",
        "China's Foreign Trade Agency said exports rose.",
        "The International Energy Agency said demand would rise.",
        "The European Commission said it would respond.",
        "Office workers returned to the city."]}
    assert list(found.values()) == [["Drinking Water Inspectorate"], ["Anti-Doping Agency of Kenya"],
                                    ["Ministry of New and Renewable Energy"], ["Foreign Trade Agency"],
                                    [], [], []]
    # two sentences joined by a line break (as the matcher scans a batch): no name crosses it
    joined = "Talks went on in Geneva\nAgency staff left."
    assert [joined[a:b] for a, b in generic_institutions(joined)] == []
    joined = "Prices rose, it said.\nEnvironment Agency staff said the river was clean."
    assert [joined[a:b] for a, b in generic_institutions(joined)] == ["Environment Agency"]
    m = get_matcher()
    (speaks,) = m.match(["The Drinking Water Inspectorate said in a statement that it was investigating."])
    assert any(x.kind == "channel" and m.is_institution(x.text) for x in speaks)
    # the lower-case generic forms are channel phrases of the matcher
    (data, dept) = m.match(["Cases are below the record, according to ministry data.",
                            "Appointments open on Monday, according to the state health department."])
    assert [x.text for x in data if x.kind == "channel"] == ["ministry data"] and m.is_institution("ministry data")
    assert [x.text for x in dept if x.kind == "channel"] == ["state health department"]
    # recognised by shape only where it speaks (said, according to, figures from...); one only mentioned is not
    X = cue_features(["The Drinking Water Inspectorate said in a statement that it was investigating.",
                      "Figures from the Environment Agency show 41,000 discharges.",
                      "He sued the Drinking Water Inspectorate last year."])
    assert X[0, CUE_FEATURES.index("channel_speaks")] > 0 and X[1, CUE_FEATURES.index("channel_speaks")] > 0
    (sued,) = m.match(["He sued the Drinking Water Inspectorate last year."])
    assert not any(x.kind == "channel" for x in sued) and X[2, CUE_FEATURES.index("channel")] == 0


def test_acronyms_are_not_the_words_they_spell():
    from framing.cues import CUE_FEATURES, cue_features

    (poll,) = get_matcher().match(["In a CNN/ORC poll, 38 percent said so."])
    assert not any(m.kind.startswith("loaded") for m in poll)  # "ORC" (a pollster) is not "orc"
    X = cue_features(["US officials said talks would resume.", "We must act now."])
    fp = X[:, CUE_FEATURES.index("first_person_plural")]
    assert fp[0] == 0 and fp[1] == 1  # "US" (the country) is not "us"


def test_government_acronyms_match_case_sensitively():
    m = get_matcher()
    (agency, ice, spoke) = m.match(["ICE said in a statement that 40 people were detained.",
                                    "The ice on the lake was thin.",
                                    "A spokesperson for ICE gave examples."])
    assert "ICE" in [x.text for x in agency if x.kind == "channel"] and m.is_institution("ICE")
    assert not any(x.kind == "channel" for x in ice)
    from framing.cues import CUE_FEATURES, cue_features

    X = cue_features(["A spokesperson for ICE gave examples."])
    assert X[0, CUE_FEATURES.index("channel_gov")] > 0


def test_a_state_media_flag_names_an_agency_by_its_full_name_and_country():
    """Evidence for an acronym names the institution in full, with its country, for the reader."""
    from framing.cues import institution_label

    s = "ICE said in a statement that 40 people had been detained."
    assert institution_label(s, 0, 3) == ("U.S. Immigration and Customs Enforcement", "US")
    # a channel named in the text, with the country its name places it in (countries.tsv)
    assert institution_label("the Russian Defense Ministry said", 12, 28) == ("Russian Defense Ministry", "Russia")
    # a channel phrase that ends in its speaking verb ("ministry said", "army said") names the body only
    assert institution_label("Talks may resume, the ministry said.", 22, 35) == ("ministry", "")
    assert institution_label("The Israeli army said on Friday", 4, 21) == ("Israeli army", "Israel")
    # words that start the sentence or clause are not part of the name
    assert institution_label("At the White House today, reporters asked.", 7, 18) == ("White House", "US")
    assert institution_label("As White House press secretary Josh Earnest explained", 3, 14) == ("White House", "US")
    # an acronym's ISO code is shown by name
    assert institution_label("The IRGC said it seized a tanker.", 4, 8) == ("Islamic Revolutionary Guard Corps", "Iran")


def test_a_channel_is_placed_in_its_country_by_its_name_or_the_words_before_it():
    """The evidence names a channel's country where its name, or the capitalised words just before it, say it: the
    longest form wins ("New Mexico" is the US), a possessive counts, a seat stands for its government; a country named
    in an earlier clause does not place the body."""
    from framing.cues import country_near, country_of

    assert [country_of(n) for n in ("China's foreign ministry", "Kremlin", "Bank of England", "New Mexico health department",
                                    "Texas Department of Public Safety", "DPRK Foreign Ministry", "ministry", "Indian Health Service",
                                    "Palm Beach County Sheriff's Office")] == [
        "China", "Russia", "UK", "US", "US", "North Korea", "", "US", ""]
    s = "Russian Foreign Ministry spokeswoman Maria Zakharova said the talks were over."
    assert country_near(s, s.index("Foreign"), "Foreign Ministry spokeswoman") == "Russia"
    s = "Officials from China met the State Department, which said the talks were useful."
    assert country_near(s, s.index("State"), "State Department") == ""
    model = _bundled_model()
    ev = model.explain(["Erdogan said in a statement that Turkey would not back down.",
                        "China's foreign ministry said the talks were useful."])
    assert [[e["country"] for e in one if e["label"] == "state_media" and "outlet" in e] for one in ev] == [["Turkey"], ["China"]]


def test_a_state_media_flag_on_a_speaking_institution_names_it_without_the_verb():
    model = _bundled_model()
    ev = model.explain(["Talks may resume, the ministry said in a statement."])[0]
    named = [e["outlet"] for e in ev if e["label"] == "state_media" and "outlet" in e]
    assert named and all(not n.endswith("said") for n in named), named
    # a channel without a named owner is named by the channel, not by the words that lead to it
    ev = model.explain(["The Wisconsin Republican says in a statement that the steps are welcome."])[0]
    assert [e["outlet"] for e in ev if e["label"] == "state_media" and "outlet" in e] in ([], ["statement"])
    # a channel phrase is named with the government speaker that owns it, where the sentence names one
    ev = model.explain(["The governor said at a news conference that schools would reopen next week.",
                        "President Trump issued a statement saying the attack was cowardly."])
    named = [[e["outlet"] for e in one if e["label"] == "state_media" and "outlet" in e] for one in ev]
    assert named == [["governor's news conference"], ["President Trump's statement"]]
    ev = model.explain(["Erdogan said in a statement that Turkey would not back down."])[0]
    assert [e["outlet"] for e in ev if e["label"] == "state_media" and "outlet" in e] == ["Erdogan's statement"]
    # a head of state's own post is named by who posted
    ev = model.explain(["President Donald Trump took to Twitter Wednesday to call on the attorney general to end the probe."])[0]
    assert [e["outlet"] for e in ev if e["label"] == "state_media" and "outlet" in e] == ["President Donald Trump's social-media post"]
    # with the head's country where the heads registry names them; a title alone names no country
    assert [e["country"] for e in ev if e["label"] == "state_media" and "outlet" in e] == ["US"]
    from framing.cues import head_post_country

    posts = ("Putin wrote on Telegram", "the president tweeted", "Mayor Libby Schaaf tweeted", "the mayor tweeted")
    assert [head_post_country(s) for s in posts] == ["Russia", "", "US", ""]


def test_channel_owner_names_the_government_speaker_or_nothing():
    from framing.cues import channel_owner

    def owners(sent):
        matcher = get_matcher()
        (ms,) = matcher.match([sent])
        return [channel_owner(sent, c, ms) for c in ms if c.kind == "channel" and not matcher.is_institution(c.text)]

    assert owners("A spokesperson for Prime Minister Keir Starmer said talks were constructive.") == ["Prime Minister Keir Starmer"]
    assert owners("In a televised address Friday, President Arpad Gencz described the entry as historic.") == ["President Arpad Gencz"]
    assert owners("The company said in a statement that it would appeal.") == [None]  # not a government's
    assert owners("A foreign ministry spokesman said talks would go on.") == [None]  # the phrase names its owner


def test_neutral_modals_are_not_counted_as_editorial_voice():
    from framing.cues import CUE_FEATURES, cue_features

    X = cue_features(["The banks must wait at least 30 days before closing the purchase.",
                      "The plan is a fiasco, plain and simple."])
    assert X[0, CUE_FEATURES.index("editorial_out")] == 0 and X[0, CUE_FEATURES.index("editorial_deontic")] > 0
    assert X[1, CUE_FEATURES.index("editorial_out")] > 0
    # evaluative words as common in reports of a fact ("the launch was successful", "the talks failed") as in
    # opinion, read off the real-news samples' dev halves: their group column only
    X = cue_features(["The launch was successful.", "The talks failed on Monday.", "In fact, the vote was delayed."])
    assert not X[:, CUE_FEATURES.index("editorial_out")].any()
    assert X[:2, CUE_FEATURES.index("editorial_evaluative_adjective")].all()



def test_verdicts_and_imputed_motives_are_editorial_cues_outside_quotes_only():
    """Codebook: an evaluation, an imputed motive or a certain prediction in the author's voice is
    editorializing; the same words inside quotation marks are the speaker's."""
    from framing.cues import CUE_FEATURES, cue_features

    author = ["The plan is nothing more than a ploy to win back rural voters.",
              "The senator, bent on revenge, blocked the nomination.",
              "The rollout was a fiasco from start to finish, and the bill is doomed to fail.",
              "Some anti-abortion groups, to their credit, have denounced the bombings."]
    quoted = ['"The plan is nothing more than a ploy to win back rural voters," the mayor said.',
              '"The bill is doomed to fail," one aide said.']
    X = cue_features(author + quoted)
    out = X[:, CUE_FEATURES.index("editorial_out")]
    assert all(out[:len(author)] > 0) and not any(out[len(author):])


def test_expectations_and_unknowns_are_hedge_cues():
    for s in ("The company said it expects net income to fall.", "His whereabouts remain unknown."):
        (ms,) = get_matcher().match([s])
        assert any(m.kind == "hedge" for m in ms), s


def test_penn_treebank_contractions_read_like_the_joined_forms():
    """Corpora tokenised the Penn Treebank way write "could n't", "wo n't": "could n't be reached" is no hedge
    (as "couldn't" is none), "wo n't" is the weak prediction "won't" and "should n't" the deontic "shouldn't"."""
    (ms,) = get_matcher().match(["Mr. Roy could n't be reached ."])
    assert not any(m.kind.startswith("hedge") for m in ms)
    for ptb, joined in (("wo n't", "won't"), ("should n't", "shouldn't")):
        kinds = [{m.kind for m in get_matcher().match([f"They {form} stop ."])[0]} for form in (ptb, joined)]
        assert kinds[0] == kinds[1] and any(k.startswith("editorial_") for k in kinds[0])


def test_vague_attribution_to_an_unnamed_collective_is_a_hedge_cue():
    """Codebook: "experts say", "critics say" hedge (an unnamed collective stands behind the claim); the
    combinations are found by pattern, not only as listed phrases. A group made specific is not vague."""
    vague = ["There is no link between turnout and wins, political scientists say.",
             "Nurses and other public health experts are warning that the system is unprepared.",
             "Analysts have complained about the delay."]
    specific = ["Economists at Goldman Sachs said growth would slow.", "These historians argued otherwise.",
                "The scientists said the samples were contaminated."]
    for s, found in [(s, True) for s in vague] + [(s, False) for s in specific]:
        (ms,) = get_matcher().match([s])
        assert any(m.kind == "hedge_weasel" for m in ms) is found, s
    # the two-step search finds exactly the spans of the one reference pattern
    from framing.cues import _VAGUE_ATTRIBUTION_RE, vague_attribution_spans

    text = "\n".join(vague + specific + ["Some Analysts Say so.", "THE experts said so.", "İstanbul experts say it may come.",
                                         "Experts, analysts say. Critics are warning; scholars also doubted it."])
    assert vague_attribution_spans(text) == [m.span() for m in _VAGUE_ATTRIBUTION_RE.finditer(text)]


def test_unsourced_reports_an_inverted_collective_and_an_open_question_are_hedges():
    """Codebook v25 (from sample r20): unsourced reports ("there were reports that") and a collective named after its
    verb ("say political consultants") are vague attribution; "the question is whether" is a speculative outlook.
    Whether someone could be reached for comment is about the reporting, not the claim."""
    hedges = ["After the strike there were reports that border agents detained dozens of people.",
              "The killing has become a factor in two campaigns, say political consultants.",
              "Cruz is channeling his 2012 strategy; the question is whether it will pay off."]
    plain = ["Neither they nor Mr. McAlpine could be reached for comment.", "The reports were published on Monday."]
    hedge = _cue_column(hedges + plain, "hedge")
    assert (hedge > 0).tolist() == [True] * 3 + [False] * 2


def test_codebook_v26_speech_verbs_omens_criticism_and_wishes():
    """Codebook v26 (from samples r20-r22): an institution speaks with an evaluative speech verb too ("the White House
    blasted"), also after a time phrase ("less than two weeks ago said"), and not when the verb is an action ("the FBI
    questioned the suspect"); omen phrases, agentless criticism and epistemic "must have" are hedges; "May" opening a
    wish is not."""
    speaks = ["The White House also blasted congressional Republicans.", "The Pentagon condemned the attack.",
              "The State Department less than two weeks ago said for the first time that the emails were secret."]
    actions = ["The FBI questioned the suspect for six hours.", "Police threatened the protesters with arrest."]
    assert (_cue_column(speaks + actions, "channel_speaks") > 0).tolist() == [True] * 3 + [False] * 2
    hedges = ["Exit Polls In West Virginia Spell Bad News For Hillary Clinton.",
              "The outbreak threatens to plunge hundreds of millions of people into poverty.",
              "Trump has been criticized for cozying up to autocratic leaders.", "He must have known about the payments."]
    wishes = ["May Our Lady of Fatima intercede for them.", "May the Lord bless this house."]
    assert (_cue_column(hedges, "hedge") > 0).all()
    assert (_cue_column(wishes, "not_hedge") > 0).all()


def test_codebook_v27_v28_declarations_reactions_passive_leads_and_official_figures():
    """Codebook v27 (from samples r23-r25): a finding an institution declares speaks for it, also in the passive ("the
    outbreak, declared by the health ministry"), a declaration that is a legal act does not ("police declared a riot");
    a public reaction told in a figure of speech speaks ("poured cold water on", "pushed back on"), the same words as
    an action do not ("pushed back the deadline"); the rest of a longer name than the channel list's does not hide the
    verb ("the Treasury" + "Department announced"). Codebook v28: figures a government's by adjective are official
    ("according to federal data"). v27's hedges: "alleging that", a belief marker before a forecast."""
    speaks = ["The outbreak, declared by the DRC health ministry on Tuesday, is the ninth since 1976.",
              "The deaths were confirmed by police on Sunday.", "The White House poured cold water on the proposal.",
              "The State Department pushed back on the claim.", "Last week, the Treasury Department announced new measures."]
    actions = ["Seattle police declared a riot on Saturday night.", "The health ministry declared a state of emergency.",
               "The ministry pushed back the deadline by two weeks.", "A curfew declared by the city government remains."]
    assert (_cue_column(speaks + actions, "channel_speaks") > 0).tolist() == [True] * 5 + [False] * 4
    assert (_cue_column(["According to federal data, 70 percent of the loans were repaid."], "channel") > 0).all()
    hedges = ["The KGB planted articles alleging that the U.S. had invented the virus.",
              "Sanders and his aides believe they can surprise Clinton in her home state."]
    assert (_cue_column(hedges, "hedge") > 0).all()


def test_state_media_phrases_rejections_named_spokespeople_and_official_statistics():
    """Thirty-first session, from written probes of the codebook's YES rules: "state media reported" keeps its speech
    verb (the phrase once swallowed it and the sentence read as unattributed); an institution that publicly rejects or
    dismisses others' words speaks, one that rejects an application or a bill acts; an institution's spokesperson named
    before the verb speaks for it ("Army spokesman Lt. Col. Jonathan Conricus said"); figures, statistics and estimates
    the sentence calls official are a government's, with no institution named. From the dev halves: a body after a
    lower-case possessive, after an inverted verb with its statement, a longer name than the list's, a listing."""
    outlets = ["Iranian state media reported that the drone was shot down.", "State media reports said the drill ended."]
    assert (_cue_column(outlets, "outlet_attributed") > 0).all()
    assert (_cue_column(outlets, "unattributed") == 0).all()
    speaks = ["The Kremlin dismissed the report as fabricated.", "The ministry rejected the claims as baseless.",
              "The State Department rejected calls for a ceasefire.",
              "Army spokesman Lt. Col. Jonathan Conricus said the strikes targeted militants.",
              "Police spokesman Tom Smith said two people were arrested."]
    acts = ["The State Department rejected his visa application.", "The ministry dismissed two senior officials.",
            "A police spokesman was among the injured."]
    assert (_cue_column(speaks + acts, "channel_speaks") > 0).tolist() == [True] * 5 + [False] * 3
    official = ["Official statistics show unemployment fell to 3.5 percent.",
                "Unemployment fell, official figures showed.", "According to official estimates, 40 people died."]
    assert (_cue_column(official, "channel_gov") > 0).all()
    assert (_cue_column(["The party's official figures show a surge in members."], "channel_gov") == 0).all()
    # read on the dev halves: a lower-case possessive before the body, the rest of a name the list matched in part, the
    # body's own statement after an inverted verb, a body's listing of a figure
    speaks = ["According to the country's Health Ministry, five samples were taken.",
              "The Bureau of Labor Statistics said the economy added 358,000 jobs last month.",
              "A team of experts will go to Bikoro today, said the ministry statement.",
              "The agency lists the population of the town that year as 21,090.",
              "As per the health ministry, 40 people died."]
    mentioned = ["He worked at the Bureau of Prisons for years.", "Officials at the Bureau of Labor Statistics said so.",
                 "The official said the Bureau of Prisons had lost track of him."]
    assert (_cue_column(speaks + mentioned, "channel_speaks") > 0).tolist() == [True] * 5 + [False] * 3


def test_state_media_present_tense_bodies_own_data_and_bodies_acting():
    """Thirty-second session, from the dev halves of the never-read samples r41-r58 (read for `state_media` misses): a
    plural body in a live blog's present ("Police announce the suspect's name"); a body's own data, statistics, records
    or website with a verb of showing ("Federal Election Commission records show", "FBI data disclosed on Tuesday
    showed"), not filings others make to it; a lower-case adjective of standing after a lead ("according to the
    nonpartisan Congressional Budget Office"). A body that "has never revealed" something, that issued a warrant, or
    that welcomed or admitted a person into a country says nothing; its statement, its welcome of a ruling and its
    admission that something happened still speak."""
    speaks = ["Police announce the suspect's name on the police scanner.",
              "Police repeat the suspect's name several times.",
              "Federal Election Commission records show he backed both candidates.",
              "In all, the committee raised $57 million, Federal Election Commission records show.",
              "Last year's FBI statistics show that the numbers are incorrect.",
              "FBI data disclosed on Tuesday showed a spike in delayed checks.",
              "The FBI's own data indicate a decline in violent crime.",
              "The top 1 percent paid 25.4 percent of all federal taxes, according to the nonpartisan Congressional Budget Office.",
              "Portland police issued a statement asking for calm.",
              "The Home Office welcomed the ruling.",
              "The ministry admitted that mistakes were made."]
    silent = ["Police show restraint as protesters gather.",
              "The ministry will announce the results on Monday.",
              "While the CIA has never revealed the names of its targets, there is little doubt.",
              "Portland police issued a warrant for his arrest, asking U.S. marshals to locate him.",
              "The preacher was banned in Pakistan, but the UK Home Office welcomed him into Britain.",
              "The UK Home Office also admitted Shaykh Hamza Sodagar into the country."]
    got = (_cue_column(speaks + silent, "channel_speaks") > 0).tolist()
    assert got == [True] * len(speaks) + [False] * len(silent)
    # a body's name stops at an office holder's title: the director speaks, not the agency (it once swallowed "Director
    # Thomas Frieden" into the name); a title inside the name ("Office of the Director of ...") is still the body's
    assert (_cue_column(["Centers for Disease Control Director Thomas Frieden said the cost was $10 million.",
                         "Department of Homeland Security Secretary Jeh Johnson said the border was secure."],
                        "channel_speaks") == 0).all()
    assert (_cue_column(["The Office of the Director of National Intelligence said the report was accurate."],
                        "channel_speaks") > 0).all()
    # US agencies the acronym list lacked: the FEC's own statement and records speak, filings made to it do not
    got = _cue_column(["The FEC said the complaint was dismissed.", "FEC records show he gave $2,700 to both campaigns.",
                       "HUD said the rule would change.", "According to FEC filings, the campaign spent $2 million."],
                      "channel_speaks")
    assert (got > 0).tolist() == [True, True, True, False]


def test_codebook_v29_v30_records_retweets_local_owners_and_reported_verdicts():
    """Codebook v29 (from sample r28): a government body's own records and documents carry what they say ("Bergen County
    land records indicate", "according to military planning documents"), and "land records indicate" stays a hedge as
    well ("data indicate"); a head's retweet is a post, a day between name and verb included ("Trump on Sunday
    retweeted"); a county owns its spokesman as a government does; what a court "ruled that" or what someone "referred
    to ... as" is the speaker's picture (loaded_reported). Codebook v30: a mayor's post counts like a head's, a
    lower-case particle in the holder's name included ("Mayor Bill de Blasio tweeted")."""
    gov = _cue_column(["Bergen County land records indicate that a company sold the lot.",
                       "At the same time, according to military planning documents, the crowd might dissolve.",
                       "Trump on Sunday retweeted a post that called for Fauci's firing.",
                       "A Cook County spokesman said the jail was full.",
                       "An Acme spokesman said the plant was full.",
                       "New York Mayor Bill de Blasio tweeted that the city would reopen."], "channel_gov")
    assert (gov > 0).tolist() == [True, True, True, True, False, True]
    assert (_cue_column(["Bergen County land records indicate that a company sold the lot."], "hedge") > 0).all()
    reported = _cue_column(["He also referred to Michel's ultimatum as unacceptable and shocking.",
                            "The appeals court ruled that Ohio's practices could unjustifiably remove voters.",
                            "Ohio's practices unjustifiably remove voters."], "loaded_reported")
    assert (reported > 0).tolist() == [True, True, False]
    # an institution that speaks attributes the sentence, with any speech verb, the progressive included; not a passive
    said = ["The White House emphasizes the health care law's successes.",
            "The White House is saying that the revelations show the need for reform.",
            "The ministry was told to cut spending."]
    assert (_cue_column(said, "channel_speaks") > 0).tolist() == [True, True, False]
    assert (_cue_column(said[:2], "unattributed") == 0).all()
    hedges = ["The company added that it does n't expect any further adverse impact.", "Mr. Edd was not certain the rule applied.",
              "This would explain why he will not say a word."]
    assert (_cue_column(hedges, "hedge") > 0).all()


def test_codebook_v31_embassies_rumour_perception_and_plain_apparent():
    """Codebook v31 (from sample r30): an embassy or consulate that speaks is its government's institution speaking, one
    only mentioned is not; talk of rumour ("rumblings about") is an unsourced report, a perception ascribed to a group
    ("what they see as") is marked like "perceived", an expectation with "should improve" is a forecast; "apparent"
    meaning plain ("painfully apparent") and an agreement "tentatively agreed" are not hedges."""
    speaks = _cue_column(["The U.S. Embassy in Beijing said on Friday that the employee had returned home.",
                          "Protesters gathered outside the U.S. embassy on Friday."], "channel_speaks")
    assert (speaks > 0).tolist() == [True, False]
    hedges = _cue_column(["There have been rumblings about her nomination for months.",
                          "People are concerned about what they see as a loss of control.",
                          "The move should improve the stock's liquidity, the company said.",
                          "It became painfully apparent that small nations were vulnerable.",
                          "First Security Corp. said it tentatively agreed to acquire Deseret Bancorp."], "hedge")
    assert (hedges > 0).tolist() == [True, True, True, False, False]


def test_a_model_pickled_before_char_labels_existed_still_clones():
    """Parameters added later (char_labels) have class-level defaults, so an older pickle still has every
    get_params key and clones."""
    import pickle

    model = FramingClassifier(labels=NAMES)
    del model.char_labels  # as a pickle written before the option existed
    old = pickle.loads(pickle.dumps(model))
    assert old.get_params()["char_labels"] is None and clone(old).char_labels is None


def test_codebook_v32_passive_beliefs_claimed_tags_as_possible_and_mock_titles():
    """Codebook v32 (from sample r33): a passive belief verb with an adverb inside ("is now believed to") hedges like the
    plain form, and so does "claimed" as a speech tag after or before a quotation's speaker; "as ... as possible" with
    any words between is not a hedge ("as many delegates as possible"), while "possible" elsewhere in the sentence
    still is; a mock title on "-in-chief" is loaded, "commander-in-chief" is not."""
    hedges = _cue_column(["North Korea is now believed to have mastered a lightweight warhead.",
                          "The men were also thought to be armed.",
                          "\u201cThe goal is to send a message of peace,\u201d the 22-year-old claimed.",
                          "\u201cIt was rigged,\u201d claimed Branch.",
                          "The group claimed responsibility for the attack.",
                          "He was first elected to the Senate in 2004.",
                          "Clinton vowed to amass as many delegates as possible.",
                          "He wrapped himself in the mantle of Reagan as closely as possible.",
                          "They will act as soon as possible, and it is possible the deal fails."], "hedge")
    assert (hedges > 0).tolist() == [True, True, True, True, False, False, False, False, True]
    # the matches (and so the evidence) drop the hedge word inside the pattern's span, as under a listed phrase
    sent = "Clinton vowed to amass as many delegates as possible, and a deal is possible."
    hedge_words = [sent[m.start:m.end] + f"@{m.start}" for m in get_matcher().match([sent])[0] if m.kind == "hedge"]
    assert hedge_words == [f"possible@{sent.rindex('possible')}"]
    loaded = _cue_column(["The golfer-in-chief has been transformed into a wartime president.",
                          "Obama stars as the motivator of the base and contraster-in-chief.",
                          "The commander-in-chief visited the troops.", "Her editor-in-chief said so."], "loaded_out")
    assert (loaded > 0).tolist() == [True, True, False, False]  # by pattern, not a list of coinages


def test_passive_perception_and_camps_with_their_wing_named_are_vague_attribution():
    """Codebook hedging, vague attribution: a passive perception that names no one ("is seen as") hedges with the
    perfect, the progressive, an adverb or a place between ("has been seen as", "is seen in Silicon Valley as"); not
    with an agent named ("seen by the far right as") or as a participle clause ("seen leaving the building as"). A camp
    left unnamed keeps its wing and an adverb ("Some House Republicans privately question")."""
    hedges = _cue_column(["Kyle has been seen as a conservative icon.",
                          "The case is seen in Silicon Valley as the most serious threat to the company.",
                          "The move is being widely viewed as a snub.",
                          "The ruling was perceived among diplomats as a warning.",
                          "Gun ownership is seen by the far right as an inalienable freedom.",
                          "The president was seen leaving the building as protesters gathered.",
                          "She leads on being viewed as decisive.",
                          "Some House Republicans privately question whether the speaker has the votes.",
                          "House Republicans question the speaker's plan."], "hedge")
    assert (hedges > 0).tolist() == [True, True, True, True, False, False, False, True, False]


def test_wire_copy_state_media_cues_from_the_thirty_fourth_sessions_probes():
    """Blind probes of wire copy (bench/probes, group wire-blind): a post on the head's own platform ("wrote on his
    Truth Social platform"), by a governor named before the title ("X, the governor of ..., wrote on Telegram"), a
    country's body named in lower case that speaks ("Turkey's disaster management authority
    AFAD said"), "published in" a state outlet; not a body that adds names to a list (an action), one named inside a
    quotation the sentence opens and closes, nor one whose source only works there ("a source in Ukraine's General
    Staff told")."""
    channel = _cue_column(["President Donald Trump wrote on his Truth Social platform on Sunday that he was unhappy.",
                           "Three people were killed, regional governor Ivan Fedorov said on the Telegram messaging app.",
                           "Ivanka Trump wrote on her Instagram that she was proud.",
                           ("Yevgeny Balitsky, the Moscow-installed governor of the occupied parts of the Zaporizhzhia "
                            "region, wrote on Telegram that residents would be evacuated."),
                           "Andrew Cuomo, the former governor of New York, wrote on Twitter that he was innocent.",
                           "Tim Cook, the president of Apple, tweeted that the phone was great."], "channel_gov")
    assert (channel > 0).tolist() == [True, True, False, True, False, False]
    speaks = _cue_column(["The country's disaster management authority AFAD said the toll rose to 5,894.",
                          "India's space agency said the lander was healthy.",
                          "Japan's news agency said the talks failed.",
                          "Turkey's disaster management authority was criticised for its slow response.",
                          "China's commerce ministry added 11 U.S. companies to its unreliable entity list.",
                          "The ministry added that the talks would continue.",
                          '"Everything the Russian defence ministry publishes is fiction," said an analyst.',
                          '"We will respond," the Russian defence ministry said in a statement.',
                          "A source in Ukraine's General Staff told the Kyiv Independent that forces had advanced.",
                          "Ukraine's General Staff said Russian forces had advanced."], "channel_speaks")
    assert (speaks > 0).tolist() == [True, True, False, False, False, True, False, True, False, True]
    # a quotation the sentence only continues (no opening mark) keeps its speaker's channel outside
    outlet = _cue_column(["Photographs published in the Rodong Sinmun showed Kim at a munitions plant.",
                          "South Korea blocks the websites of KCNA and the Rodong Sinmun."], "outlet_attributed")
    assert (outlet > 0).tolist() == [True, False]
    attributed = _cue_column([("Col. Steven Warren, a military spokesman in Baghdad, said, ''I mean, a raid is a combat "
                               "operation.")], "channel_attributed")
    assert attributed[0] > 0


def test_non_western_register_cues_from_the_thirty_fourth_sessions_second_probes():
    """Blind probes of state-aligned, translated and regional copy (bench/probes, group regional-blind)."""
    speaks = _cue_column(["Turkey's exports fell by a third, data from the Turkish Statistical Institute showed on Friday.",
                          "Per the IDF Spokesperson's Unit, only a third of the rockets were intercepted.",
                          "Ukraine lost 1,310 servicemen, according to the daily summary of the Russian Defence Ministry.",
                          "Iran's permanent mission said in a statement that it seeks no weapons.",
                          "Inflation fell to 3 per cent, the statistics office said.",
                          "According to sources in the South Korean defence ministry, hundreds of soldiers were killed.",
                          "A panel of historians appointed by Seoul's unification ministry concluded that it was illegal.",
                          ("Testifying before the Senate Armed Services Committee, Admiral Samuel Paparo, commander of US "
                           "Indo-Pacific Command, said the manoeuvres were rehearsals."),
                          "Reports attributed to the Japanese foreign ministry said Saudi Arabia cut supplies."], "channel_speaks")
    assert (speaks > 0).tolist() == [True, True, True, True, True, False, False, False, True]
    nongov = _cue_column(["The ECOWAS Commission said in a communique that the withdrawal would take effect in January.",
                          "ECOWAS said the sanctions would stay."], "nongov_speaker")
    assert (nongov > 0).tolist() == [True, True]
    # a channel inside a quotation the sentence opens and closes is the quoted speaker's; a body the quotation opens
    # with as its subject still owns the channel outside
    gov = _cue_column([('"We are in constant contact with the Ministry of Foreign Affairs and our embassy," the Kenyan '
                        'senator said in a statement.'),
                       "Jammu and Kashmir Chief Minister Omar Abdullah wrote on X that shelling had claimed lives."],
                      "channel_gov")
    assert (gov > 0).tolist() == [False, True]
    loaded = _cue_column(["Eritrean ruler Isaias Afwerki arrived in Beijing on Thursday.",
                          "Thousands of illegal Afghans were sent back on Wednesday.",
                          "The ruler of Dubai opened the fair.", "Illegal Parking fines rose."], "loaded_out")
    assert (loaded > 0).tolist() == [True, True, False, False]
    # a trailing attribution with a long speaker: the loaded words before it are the speaker's
    reported = _cue_column([("The puppet warmongers are driving the peninsula to war, a spokesperson for the DPRK Ministry "
                             "of National Defence said in a press statement on Tuesday.")], "loaded_reported")
    assert reported[0] > 0
    hedges = _cue_column(["Observers in Islamabad note that the timing was hardly coincidental.",
                          "Analysts in South Korea say the launch was a test.", "Scientists in the lab worked late."],
                         "hedge")
    assert (hedges > 0).tolist() == [True, True, False]


def test_codebook_v33_camps_report_tags_filings_and_an_agencys_investigation():
    """Codebook v33 (from sample r34): a part of a party left unnamed ("some Democrats question"), critics "in both
    parties" and a headline's "Report:" tag are vague attribution ("Democrats say" is the party); an agency's own
    investigation speaks for it ("an FBI investigation said"), while filings others make with the FEC are not the
    body's ("according to Federal Election Commission filings", unlike "according to the Federal Election
    Commission"); "are expecting" is a forecast, "is expecting a baby" is not."""
    hedges = _cue_column(["Some Democrats question the wisdom of the plan.",
                          "Critics in both parties quickly compared the plan to a bailout.",
                          "Report: Walker to speak at the convention.",
                          "Florida elections officials are expecting a record turnout.",
                          "Democrats say the bill goes too far.",
                          "She is expecting a baby in May.",
                          "The report: nothing new."], "hedge")
    assert (hedges > 0).tolist() == [True, True, True, True, False, False, False]
    # codebook v34 (sample r36): an unnamed part of a legislature, agentless rebukes, chances, unclear variants
    more = _cue_column(["Many lawmakers say there are also national security concerns.",
                        "Trump has been rebuked by opponents for his proposal.",
                        "There is little chance of officials being prosecuted.",
                        "It is still not clear how loyal the slate will be.",
                        "He concluded by implying that some insurance would be necessary.",
                        "Lawmakers said the bill would pass."], "hedge")
    assert (more > 0).tolist() == [True, True, True, True, True, False]
    speaks = _cue_column(["Her email use, which an FBI investigation said was careless, did not warrant charges.",
                          "According to the Federal Election Commission, the campaign raised $3 million.",
                          "The group bought $3 million of ads, according to Federal Election Commission filings.",
                          "The FBI investigation into her emails ended in July."], "channel_speaks")
    assert (speaks > 0).tolist() == [True, True, False, False]
    # a formal address by name is a head's channel, and "the State of the Union" is no trade union (r36)
    gov = _cue_column(["The country described by the president in his final State of the Union address is strong.",
                       "A union spokesman said in a statement that the strike would continue."], "channel_gov")
    nongov = _cue_column(["The country described by the president in his final State of the Union address is strong.",
                          "A union spokesman said in a statement that the strike would continue."], "channel_nongov")
    assert (gov > 0).tolist() == [True, False] and (nongov > 0).tolist() == [False, True]


def _flags(column: str, cases: dict[str, bool]) -> None:
    """Each sentence of ``cases`` has the cue feature ``column`` (True) or not (False)."""
    got = _cue_column(list(cases), column) > 0
    assert dict(zip(cases, got.tolist())) == cases


def test_codebook_v35_forecasts_bare_claims_and_bodies_named_again():
    """Codebook v35 (from sample r38's dev half): "is poised to / for" is a forecast, "is (now) considered to be" a passive
    belief, and "claims" before a clause with no "that" distances ("claims Gulen runs", "claiming abortion is"), unlike
    "claimed responsibility"; a department or agency named again speaks ("the department said"), as does an inspector
    general's review, while election-commission reports named after a preposition are filings, not the body speaking;
    "Obamacare" is the law's ordinary name, not a loaded term. From r39's dev half: a modal opening a question asks
    without a guess; a speaker's stated hope is a forecast; "everything we possibly can" is the most that can be done.
    Codebook v36 (r40's dev half): "perceived" before a noun, agentless "widely condemned", "expectation that"; a refusal
    to speculate is no hedge; "potential vaccines" name a class; police stating a belief speak; a head's post "on
    Twitter" later in a long clause."""
    _flags("hedge", {"Some of his other mines are poised for a rebound.": True,
                     "The state is now considered to be one of the worst hotspots.": True,
                     "The Turkish government claims Gulen runs a worldwide network.": True,
                     "Sanger singled out Wikipedia claiming abortion is one of the safest procedures.": True,
                     "It's not known yet whether the worker was targeted.": True,
                     "The group claimed responsibility for the attack that was launched Monday.": False,
                     "He was considered for the job.": False,
                     # r39
                     "Could the Glass-Steagall Act be coming back?": False,
                     "Could he win? Perhaps.": True,
                     "The union chief said he hopes the day of action sends a message.": True,
                     "My prediction is that Trump will remain tough on Russia.": True,
                     "We will do everything we possibly can to stop them.": False,
                     "The deal could collapse, couldn't it?": True,
                     # v36
                     "Trump weaponized the law to devastate perceived enemies.": True,
                     "His rhetoric has been widely condemned as fearmongering.": True,
                     "There is a huge expectation that the next president will lead.": True,
                     "Mook refused to speculate on the events following the election.": False,
                     # quotes-blind probes (forty-fourth session)
                     'He said only, "I will not speculate on that," and left.': False,
                     "'We threw all our might at the final quarter,' the captain said.": False,
                     "Hundreds of potential vaccines are in development.": False})
    _flags("channel_speaks", {"The department said Khweis used encrypted devices.": True,
                              "In addition, the IG review found that staffers had not searched the office.": True,
                              "By September 29, the inspector general alleged, the bureau had learned every fact.": True,
                              "The tally does not include contributions itemized in election commission reports.": False,
                              "The tally rose, the election commission reports.": True,
                              "Trump fired the inspector general on Friday.": False,
                              "Police believe Haig may have conspired with the gunman.": True})
    _flags("channel_gov", {"President Donald Trump lashed out Friday at his niece Mary Trump for the first time on Twitter.": True})
    _flags("loaded_ambiguous", {"Senators are at odds over a bill to repeal Obamacare.": False})


def test_codebook_v37_findings_declared_and_departments_by_either_name():
    """Codebook v37: an institution speaks through a finding it declares ("found that", "concluded that"), not through
    finding a thing ("police found the weapon"); the US departments are channels by either usual name ("the Labor
    Department", "the Department of the Interior"), and so are agencies once listed only by acronym. From r42's dev
    half: dotted initialisms ("the F.B.I. said"), a head's post as a participle after a comma, "calculates that";
    hedges: unsourced reports with "also", present ignorance, "expect to", "the charge that", "is supposed to be", a
    "potential route to" an outcome; not hedges: a superlative's "possible" and advice put with a modal. Codebook v38
    (r44's dev half): "charged that", present ignorance of "when / who / where", an epistemic "can win", "raises new
    questions", criticism "by everyone from"; hype adjectives and "purports to be" are loaded; a chief minister's post.
    From r45's dev half: "tend(s) to" of a habit and a result against forecasts are not hedges; information "given out /
    provided by" a body speaks for it; a police chief with no channel does not. And the false flags of the read dev
    halves: officials "at" a body, or a body after "to", do not make it speak."""
    _flags("channel_speaks", {
        "The Labor Department found that the contractor underpaid its workers.": True,
        "After a review, the Department of the Interior concluded that the permits were void.": True,
        "The Education Department determined that the college had misled students.": True,
        "The Defense Ministry quoted witnesses as saying the road was closed.": True,
        "Police found the weapon in the car.": False,
        "The Energy Department found a buyer for the reserve.": False,
        # r42: a dotted initialism, a calculation declared
        "The F.B.I. said it had opened an inquiry.": True,
        "The Labor Department calculates that 4.2 million workers will qualify.": True,
        # r45: information a body hands out speaks for it, like "released by"
        "The license plate numbers given out by police do not match the car.": True,
        "According to data provided by the Health Ministry, 40 people died.": True,
        "A bill presented by the senator failed.": False,
        # officials at a body, and a body after "to", do not make it speak (codebook: officials; an object)
        "Officials at the State Department told the wire service that a tweet may be coming.": False,
        "Letters from members of Congress to the White House and the FDA asserted that it was wrong.": False,
        "A spokesman at the State Department said the talks would resume.": True,
        "In a reply to the senator, the Pentagon said it would review the case.": True})
    _flags("channel_mention", {"He sued the Transportation Department in May.": True,
                               "She once worked for the Secret Service.": True})
    # a head's post as a participle after a comma (r42); a chief minister's post (v38)
    _flags("channel_gov", {"Trump has criticized Sessions before, tweeting in June that the inquiry was unfair.": True,
                           "The senator criticized Trump, tweeting that he was wrong.": False,
                           "Chief Minister Mamata Banerjee tweeted that the state would not comply.": True})
    # a police chief who speaks with no channel is an official (codebook v31); at a news conference, a channel
    _flags("channel", {"Five were killed, the city's police chief said.": False,
                       "Police Chief Anita Serrano said at a news conference that 140 posts are unfilled.": True})
    _flags("hedge", {
        # r42
        "There are also reports that the mayor left early.": True,
        "We don't really know what caused him to travel.": True,
        "Party officials expect to hear the same message.": True,
        "She repeated her charge that he assaulted her.": True,
        "The lottery is supposed to be one of the fairest ways.": True,
        "The poll offers a glimpse of a potential route to victory.": True,
        "The party wants him in the best position possible.": False,
        "It was the lowest price possible.": False,
        "For a quieter trip, you might consider the train.": False,
        "Officials mapped potential evacuation routes.": False,
        # r44 (codebook v38)
        "Tlaib charged that the funds were used to further its goal.": True,
        "I do not know when the measures were taken.": True,
        "SEIU chief says Trump can win.": True,
        "The shooting raises new questions about the official account.": True,
        "He was slammed by everyone from liberals to conservatives.": True,
        "I don't know how to swim.": False,
        # r45: "tend(s) to" of a habit, a result against forecasts, a "-iest" superlative's "possible" are not hedges
        "Older adults tend to feel thirst less acutely.": False,
        "Growth missed forecasts for the third straight quarter.": False,
        "Right-wingers reacted in the ugliest way possible.": False,
        "Large technology companies face criticism for booking profits abroad.": True,
        "Some said they have cringed at the comparison.": True,
        "FBI officials predicted it would affect other cases.": True,
        "Statistics indicate that the electorate is more diverse.": True})
    _flags("loaded_out", {"Trump holds an incredible 32-point lead.": True,
                          "The group purports to be a human rights organisation.": True})


def test_r47_refusals_appositives_recordings_and_reported_names():
    """From r47's dev half: a body whose spokespeople (or who itself) decline, would not discuss or would not say
    attributes nothing (codebook: "an institution that declines to comment or to say"); officials at a body named before
    an appositive ("..., a division of ICE, said") are officials; an official recording "from" a body and a headline's
    "releases" speak for it, as do a finding it declares about a person or thing ("police identified the shooter as",
    "deemed"), criticism it voiced ("under fire from") and a statement named by its day. Hedging: "unlikely" before a noun it calls surprising and "what's possible" are not hedges.
    Loaded words after "tweeted", "posted" and a speaker's "call(s) X a Y" stand in reported speech."""
    _flags("channel_speaks", {
        "Spokesmen at the FBI and Justice Department would not discuss the investigation.": False,
        "A spokesman for the FBI declined to say whether agents were involved.": False,
        "A spokesman for the FBI said the agent had been suspended.": True,
        "Officials at Homeland Security Investigations, a division of Immigration and Customs Enforcement, said it was "
        "wrong.": False,
        "Immigration and Customs Enforcement, a division of the Department of Homeland Security, said it was wrong.": True,
        "Newly released audio from the Clark County Fire Department shows the scale of the blaze.": True,
        "NASA releases images captured 3.79 billion miles from Earth": True,
        # a finding the body declares about a person or thing; criticism it voiced
        "Police identified the shooter as Anthony Ferrill, 51.": True,
        "Police identified the body on Tuesday.": False,
        "The State Department has deemed about 1,500 of those pages purely personal.": True,
        "Orban came under fire from the U.S. State Department for his remarks.": True,
        # registry gaps: central banks by name, sheriff's offices, the Revolutionary Guards, city police acronyms
        "The Bank of England said it would raise rates.": True,
        "The Palm Beach County Sheriff's Office said two men were arrested.": True,
        "The IRGC said it seized a tanker.": True,
        "The LAPD said two men were arrested.": True,
        "He worked at the Bank of England for years.": False})
    # a state outlet as the subject of a speech verb, a characterisation included, is attributed like one near "said"
    _flags("outlet_attributed", {"Xinhua described the talks as candid and constructive.": True,
                                 "Russian state TV portrayed the protesters as paid provocateurs.": True,
                                 "RT covered the action as a rightful reunification move.": True,
                                 "RT covered the summit live.": False,
                                 "RT was banned from EU airwaves.": False})
    _flags("channel", {"A Justice Department spokesman would not comment on the investigation.": False,
                       "\"We delivered the message,\" the governor said in Friday's statement.": True,
                       "A ministry spokesman said the talks were over but would not say when they would resume.": True})
    # a pronoun that posts owns the post through a sitting head named just before it (codebook: a named antecedent in
    # the same sentence), even as an object; not through someone else's name, nor a former head's
    _flags("channel_gov", {
        "Service members spoke out against Trump after he announced on Twitter that the ban would return.": True,
        "Netanyahu said late Wednesday that he would go ahead, although he tweeted that he rejects the comments.": True,
        "Obama criticized Romney after he tweeted about the debate.": False,
        "Trump attacked Cruz, and then he tweeted that the race was over.": False,
        "Voters backed former President Obama after he tweeted his support.": False})
    _flags("hedge", {"The Unlikely Friendship Of A Trump Supporter And A Bernie Supporter.": False,
                     "Her career is a testament to what's possible in women's soccer.": False,
                     "A deal is unlikely before Friday.": True,
                     "The two parties make unlikely allies in the Senate.": False})
    _flags("loaded_reported", {"Opponents call the plan a giveaway to cronies.": True,
                               "Trump tweeted that the election was rigged.": True,
                               # a post's object is the author's description, not a reported clause
                               "Trump tweeted a vile attack on the judge.": False,
                               "She posted on Facebook that the mayor was a crook.": True,
                               "She called on the brutal regime to stop the shelling.": False,
                               "The union called off the strike by the thugs.": False,
                               # the present tense and "explain" report speech like the past tense (the codebook's own
                               # example: "she explained that access is harder ... is hers"); a bare noun "notes" does not
                               "She explained that the regime was brutal.": True,
                               "Jacobson explains the sham probe is the problem.": True,
                               "Bolton notes that the regime is centered in this room.": True,
                               "He adds that the regime is brutal.": True,
                               "She tells reporters the regime is brutal.": True,
                               "The notes show a brutal regime.": False,
                               # a thing that explains or tells is no speaker
                               "That tells you everything you need to know about this farce.": False,
                               "This explains the disastrous result.": False,
                               "This adds fuel to a disastrous policy.": False})


def test_a_lexicon_phrase_matches_as_a_hyphenated_compound():
    """A loaded or editorial phrase of two or three words also matches with hyphens, as a compound modifier
    ("thought police" -> "thought-police courses"); a hyphenated term does not match as separate words
    ("know-nothing" is loaded, "I know nothing about it" is not)."""
    from framing.cues import _hyphen_variants

    assert _hyphen_variants("thought police") == ("thought police", "thought-police")
    assert _hyphen_variants("know-nothing") == ("know-nothing",) and _hyphen_variants("regime") == ("regime",)
    loaded = _cue_column(["They want government-imposed thought-police courses.", "The deep-state operatives struck again.",
                          "I know nothing about it.", "The police said the thought was new."], "loaded_out")
    assert (loaded > 0).tolist() == [True, True, False, False]


def test_a_listed_noun_matches_in_the_plural():
    """A loaded or neutral lexicon phrase ending in a singular noun also matches in the plural ("thought crime" ->
    "thought crimes", "pathological liars"), the neutral one too ("sanctions regimes" stays neutral); adjectives,
    participles and plurals grow no forms."""
    from framing.cues import _plural_variants

    assert _plural_variants("thought crime") == ("thought crime", "thought-crime", "thought crimes", "thought-crimes")
    assert _plural_variants("putsch")[-1] == "putsches" and _plural_variants("disastrous") == ("disastrous",)
    assert _plural_variants("lionizes") == ("lionizes",) and _plural_variants("torched") == ("torched",)
    loaded = _cue_column(["These jokes are thought crimes!", "They are pathological liars.",
                          "Both sanctions regimes expired.", "He studied crimes of thought."], "loaded_out")
    assert (loaded > 0).tolist() == [True, True, False, False]


def test_threshold_repeats_changes_only_the_thresholds(seed_data):
    """threshold_repeats > 1 takes each threshold as the median over several assignments of the articles to the
    calibration folds: the same weights and calibration as one assignment, thresholds in range, and reproducible."""
    texts, y, groups = seed_data
    one = FramingClassifier(labels=NAMES, threshold_repeats=1).fit(texts, y, groups=groups)
    three = FramingClassifier(labels=NAMES, threshold_repeats=3).fit(texts, y, groups=groups)
    assert three.get_params()["threshold_repeats"] == 3 and clone(three).threshold_repeats == 3
    for e1, e3 in zip(one.estimators_, three.estimators_):
        assert np.array_equal(e1.coef_, e3.coef_)
    assert one.calibration_ == three.calibration_
    assert ((three.thresholds_ >= 0.05) & (three.thresholds_ <= 0.95)).all()
    again = FramingClassifier(labels=NAMES, threshold_repeats=3).fit(texts, y, groups=groups)
    assert np.array_equal(three.thresholds_, again.thresholds_)  # a fixed seed, the same assignments


def test_a_belief_marker_before_an_opinion_is_not_a_hedge():
    """Codebook v16: "I think" before a claim of fact or a forecast hedges it; before an opinion it marks the
    opinion as the speaker's. So does the negated marker ("I don't think she can win the primary", in
    straight, curly and Penn Treebank spellings). The fast path and the reference agree."""
    from framing.cues import CUE_FEATURES, _cue_features_reference, cue_features

    opinions = ["I think it's excellent for the company.", "I believe we need him back in the Senate.",
                "I think the decision was a mistake, and so do many others.", "I don't think we need more nurses.",
                "I do not believe this ruling is fair."]
    claims = ["I think prices will rise next year.", "I believe he was in Paris on Tuesday.",
              "We think the meeting ended early.", "I don't think she can win the primary.",
              "But I do n't think we're at that point yet.", "We don’t think there's room for four networks."]
    X = cue_features(opinions + claims)
    assert np.array_equal(X, _cue_features_reference(opinions + claims))
    hedge, not_hedge = X[:, CUE_FEATURES.index("hedge")], X[:, CUE_FEATURES.index("not_hedge")]
    assert list(hedge > 0) == [False] * len(opinions) + [True] * len(claims)
    assert list(not_hedge > 0) == [True] * len(opinions) + [False] * len(claims)


def test_a_reported_belief_before_a_forecast_is_a_hedge():
    """A named speaker's or a group's belief marker before a forecast presents it as their belief, as "I think" does
    (two real-news sentences both annotators marked: "he said he believed the United States would eventually win",
    "he does not believe any of his rivals will secure the delegates"). Not before an opinion, and not the noun or a
    determiner's subject ("The thought that it would rain")."""
    from framing.cues import reported_belief_spans

    beliefs = ["Trump said Sunday that he believed the United States would eventually win its fight against ISIS.",
               "The candidate said he does not believe any of his rivals will secure the 1,237 delegates.",
               "Trump supporters believe he can improve upon Mitt Romney's performance in North Florida.",
               "Sanders thinks Clinton would lose to Trump in November."]
    others = ["They believe other senators would be smart to embrace the help.",
              "The thought that it would rain kept us home.",
              "His thought was that we would win.",
              "He believes in the plan and will vote for it."]
    assert [bool(reported_belief_spans(s)) for s in beliefs + others] == [True] * 4 + [False] * 4
    assert [s[a:b] for s in beliefs[:1] for a, b in reported_belief_spans(s)] == ["he believed the United States would"]
    assert (_cue_column(beliefs, "hedge_verb") > 0).all()


def test_appear_before_a_state_and_a_professions_view_are_hedges():
    """"Appear" before the state it judges is a speculative verb ("the president appeared cowed", real news both
    annotators marked), an appearance is not ("appeared on CNN", "appeared briefly before the committee", "an effort
    to appear more dignified"); a profession speaking as a field ("security specialists say", "doctors say") and an
    unnamed part of a group seeing something as something ("some saw Beck's comments as") are vague attribution."""
    from framing.cues import appears_state_spans

    states = ["In defeat, the president appeared cowed.", "As attack ads intensify, voters already appear fatigued.",
              "The senator appeared visibly shaken.", "The deal appeared unlikely."]
    appearances = ["He appeared on CNN on Sunday.", "He appeared briefly before the committee.",
                   "Candidates make an effort to appear more dignified.", "The video appeared online.",
                   "The article appeared Tuesday in the Times."]
    assert [bool(appears_state_spans(s)) for s in states + appearances] == [True] * 4 + [False] * 5
    assert [s[a:b] for s in states[2:3] for a, b in appears_state_spans(s)] == ["appeared visibly shaken"]
    vague = ["Security specialists say it is a realistic extension of Moscow's information warfare efforts.",
             "Doctors say over-usage of the body is to blame for a rise in injuries.",
             "However, some saw Beck's comments as part of his long opposition to Trump."]
    assert (_cue_column(states + vague, "hedge") > 0).all()
    assert (_cue_column(appearances + ["The doctors said the patient was stable."], "hedge") == 0).all()


def test_expected_before_its_noun_a_suspicion_and_forecasters_are_hedges():
    """"Expected" before the noun it forecasts ("given the expected international fallout", real news both annotators
    marked) is a forecast, a comparison with it ("lower-than-expected earnings") and the verb are not; a suspicion
    before its content, unnamed people's beliefs, an unsourced report in the progressive and forecasters as a field
    are hedges."""
    from framing.cues import expected_noun_spans

    forecasts = ["Given the expected international fallout, the government had been stalling.",
                 "Funds sold their best issues to raise cash to meet expected redemptions.",
                 "The expected turnout is 60 percent."]
    others = ["Compaq reported lower-than-expected earnings.", "He expected the best.",
              "As expected, the bank cut rates."]
    assert [bool(expected_noun_spans(s)) for s in forecasts + others] == [True] * 3 + [False] * 3
    listed = ["There was a suspicion the body was Blassie.",
              "Many people believe his presidency is a foregone conclusion.",
              "It is now being reported that an informant told the committees.",
              "Forecasters say the picture will get worse."]
    assert (_cue_column(forecasts + listed, "hedge") > 0).all()
    assert (_cue_column(others[:2], "hedge") == 0).all()


def test_may_the_month_or_the_name_is_not_a_hedge():
    from framing.cues import month_or_name_may_spans

    month = ["SAF filed suit, challenging a May 2013 attempt to limit speech.", "Theresa May said the plan would work.",
             "May's government fell.", "May 2013 was the hottest month.", "Theresa May's Brexit Plan May Fail",
             # before a verb the modal never takes, even as the first word of a sentence or a quotation
             "May was the hottest on record.", "Heatwave: 'May was the hottest on record,' says Met Office"]
    modal = ["Prices may rise.", "Russia May Strike Ukraine Again, Officials Warn", "Prices May Rise as Oil Climbs",
             "May the talks fail, prices would double.", "He warned: 'May the talks fail, prices would double.'"]
    for s in month + modal:
        (ms,) = get_matcher().match([s])
        hedged = [m for m in ms if m.kind == "hedge_modal"
                  and not any(n.kind == "not_hedge" and n.start <= m.start and m.end <= n.end for n in ms)]
        assert bool(hedged) is (s in modal or s.endswith("May Fail")), s
    assert month_or_name_may_spans("\n".join(month[:3])) == [(30, 33), (72, 75), (102, 105)]


def test_claims_before_a_clause_without_that_is_a_distancing_cue():
    """Codebook: "claims that" marks a claim as unproven (distancing); so does the verb before a clause
    without "that". Not the noun, and not the verb's other senses (a territorial claim, "claimed victory",
    "claimed the lives of")."""
    from framing.cues import distancing_claim_spans

    distancing = ["Sanders also claims his Green New Deal plan will create 20 million jobs.",
                  "Candidate Claims He Was Shaped by the Heartland", "He is claiming he is working to protect people.",
                  "The report, which claims the move was made in secret, was published on Monday.",
                  "The media claims Buttigieg doesn't have enough support.", "Sanders Claims Medicare for All Will Save Billions",
                  "A gay men's group is claiming that Facebook shut down its page."]
    other = ["The claims he made were false.", "Jobless claims were up 4% last week.",
             "Russia claimed Bakhmut on Saturday, and Kyiv denied it.",
             "The fire claimed the lives of 30 people and has spread.", "Beijing claims almost all of the South China Sea.",
             "She claimed victory on Tuesday, and her rival was silent.", "The storm claimed his home, which was old."]
    for s, found in [(s, True) for s in distancing] + [(s, False) for s in other]:
        (ms,) = get_matcher().match([s])
        got = [m for m in ms if m.kind == "hedge_distancing"]
        assert bool(got) is found, s
        for m in got:  # the evidence span is the verb itself
            assert s[m.start:m.end].lower().startswith("claim")
    text = "\n".join(distancing + other)
    assert [text[a:b].lower() for a, b in distancing_claim_spans(text)] == ["claims", "claims", "claiming", "claims", "claims",
                                                                            "claims"]
    assert distancing_claim_spans("Clinton's Claim Trump Is Wrong Isn't True") == []  # the noun after a possessive


def test_loaded_language_learns_without_function_word_ngrams(seed_data):
    from framing.model import _informative

    texts, y, groups = seed_data
    m = FramingClassifier(labels=NAMES, n_jobs=1).fit(texts, y, groups=groups)
    assert m.function_ngrams == "auto"
    names = m.vectorizer_.get_feature_names_out()
    function_only = np.array([not _informative(str(n)) for n in names])
    assert function_only.any()
    coef = {lab: est.coef_[0][: len(names)] for lab, est in zip(m.labels_, m.estimators_)}
    assert (coef["loaded_language"][function_only] == 0).all()
    assert (coef["editorializing"][function_only] != 0).any()
    every = FramingClassifier(labels=NAMES, n_jobs=1, function_ngrams=True).fit(texts, y, groups=groups)
    assert (every.estimators_[1].coef_[0][: len(names)][function_only] != 0).any()


@lru_cache(maxsize=1)
def _bundled_model():
    return load_bundle(ROOT / "models").model


def _reference_word_matrix(model, texts):
    """The word matrix as first written: analyzer n-grams of each text, looked up one by one."""
    import scipy.sparse as sp
    from sklearn.preprocessing import normalize

    from framing.model import tokens

    vec = model.vectorizer_
    rows = [[vec.vocabulary_[g] for g in vec.analyzer.ngrams(tokens(t)) if g in vec.vocabulary_] for t in texts]
    indptr = np.cumsum([0] + [len(r) for r in rows])
    X = sp.csr_matrix((np.ones(indptr[-1]), np.array([k for r in rows for k in r], dtype=np.int64), indptr),
                      shape=(len(texts), len(vec.vocabulary_)))
    X.sum_duplicates()
    np.log(X.data, X.data)
    X.data += 1.0
    X.data *= vec.idf_[X.indices]
    return normalize(X, norm="l2", copy=False).astype(vec.dtype, copy=False)


# words of the bundled model's vocabulary and pieces that exercise quotes, numbers, apostrophes and
# characters whose lower() is longer than themselves ("İ")
_WORD_PIECES = ["the", "regime", "state", "media", "said", "may", "could", "Reuters", "KCNA", "0", "12", "1,100", "3.5",
                "2024", "00-00", "it's", "it’s", "’s", "'", "’", '"', "“", "”", "«", "»", "„", "‘", "``", "''", "İ", "İstanbul",
                "ǅ", "Σ", "ΟΔΟΣ", "-", "q_0", "q_", "don't", "state-run", ".", ",", "?"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.tuples(st.sampled_from(_WORD_PIECES), st.sampled_from([" ", "", "  "])), max_size=16),
                min_size=1, max_size=6))
def test_word_matrix_equals_the_reference_path(texts):
    """The batched word matrix is exactly the per-text one (same n-grams, order, weights) on odd input."""
    model = _bundled_model()
    texts = ["".join(p + s for p, s in pieces) for pieces in texts]
    got, want = model._word_matrix(texts), _reference_word_matrix(model, texts)
    assert got.dtype == want.dtype and got.shape == want.shape
    assert np.array_equal(got.indptr, want.indptr) and np.array_equal(got.indices, want.indices)
    assert np.array_equal(got.data, want.data)
    quotes = [quote_spans(t) for t in texts]
    assert np.array_equal(model._word_matrix(texts, quotes).data, got.data)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(st.tuples(st.sampled_from(_WORD_PIECES), st.sampled_from([" ", "", "  "])), max_size=16),
                min_size=1, max_size=6),
       st.sampled_from([(1, 1), (1, 2), (1, 3), (2, 2)]), st.booleans())
@example([[("ΟΔΟΣ", ""), ("‘", ""), ("the", " ")]], (1, 2), False)  # a sigma before a lone quotation mark
def test_batch_ngrams_equal_the_analyzer(texts, ngram_range, drop_numbers):
    """The batched n-grams of each text are exactly the analyzer's (tokens, quotes, numbers, order)."""
    from framing.model import _batch_ngrams

    texts = ["".join(p + s for p, s in pieces) for pieces in texts]
    analyzer = QuoteAwareAnalyzer(ngram_range, drop_numbers)
    grams, ends = _batch_ngrams(analyzer, texts, [quote_spans(t) for t in texts])
    assert [grams[a:b] for a, b in zip(ends, ends[1:])] == [analyzer(t) for t in texts]


def test_word_matrix_equals_the_reference_path_on_labelled_sentences():
    import pandas as pd

    model = _bundled_model()
    texts = [t for f in sorted((DATA / "labels").glob("*.csv")) for t in pd.read_csv(f, keep_default_na=False)["text"]]
    got, want = model._word_matrix(texts), _reference_word_matrix(model, texts)
    assert np.array_equal(got.indptr, want.indptr) and np.array_equal(got.indices, want.indices)
    assert np.array_equal(got.data, want.data)


@pytest.mark.parametrize("top_k", [1, 4])
def test_ranked_contributions_equal_the_per_sentence_ranking(top_k):
    """Evidence candidates ranked for all flagged sentences of a label at once are exactly those ranked
    one sentence at a time (the original code), including rows cut to the strongest 4 * top_k."""
    import pandas as pd

    from framing.model import _MIN_EVIDENCE_WEIGHT

    model = _bundled_model()
    texts = [t for f in sorted((DATA / "labels").glob("*.csv")) for t in pd.read_csv(f, keep_default_na=False)["text"]]
    Xf = model._features(texts)[0].tocsr()
    flags = model._proba_from_decision(model._decision(Xf)) >= model.thresholds_
    flags[::7] = True  # unflagged sentences too: the ranking must not depend on the decision
    rows, cols = np.nonzero(flags)
    got = model._ranked_contributions(Xf, rows, cols, top_k)
    _, useful, _ = model._explain_tables()
    cut = 0
    for i, j in zip(rows.tolist(), cols.tolist()):
        idx, values = Xf.indices[Xf.indptr[i]:Xf.indptr[i + 1]], Xf.data[Xf.indptr[i]:Xf.indptr[i + 1]]
        contrib = values * model.estimators_[j].coef_[0][idx]
        keep = (contrib >= _MIN_EVIDENCE_WEIGHT) & useful[idx]
        idx, contrib = idx[keep], contrib[keep]
        if len(idx) > 4 * top_k:
            cut += 1
            top = np.argpartition(-contrib, 4 * top_k)[: 4 * top_k]
            idx, contrib = idx[top], contrib[top]
        order = np.argsort(-contrib, kind="stable")
        assert got[i, j] == (idx[order].tolist(), contrib[order].tolist())
    assert cut > 50 and len(got) == len(rows)


_ACRONYM_TEXT = ["UN", "UNHCR", "AP", "RT", "TASS", "KCNA", "Co.", "Inc", "plc", "EU", "E", "U", "-", " ", "\n", "'", "’", "a",
                 "x", "0", "_", ".", "(", ")", "é", "İ", "ǅ", "UNICEF-", "WHO's"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_ACRONYM_TEXT), max_size=30),
       st.lists(st.text(alphabet="AUNEa'’ -.x", min_size=1, max_size=4), min_size=1, max_size=8))
def test_word_alternation_matches_like_the_leading_look_behind(pieces, phrases):
    """Moving the look-behind behind the first character finds exactly the same spans."""
    import re

    from framing.cues import (
        _NONGOV_ACRONYMS,
        _alternation,
        _word_alternation,
        outlet_registry,
    )

    text = "".join(pieces)
    for ps in (phrases, _NONGOV_ACRONYMS, [n for n in outlet_registry() if len(n) <= 6 and n.upper() == n]):
        old = re.compile(r"(?<![\w-])(?:" + _alternation(ps) + r")(?![\w-])")
        new = re.compile(_word_alternation(ps))
        assert [m.span() for m in new.finditer(text)] == [m.span() for m in old.finditer(text)]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="0q_1a", min_size=1, max_size=8))
def test_is_number_is_the_number_pattern(tok):
    from framing.model import _NUMBER_RE, _is_number, _without_numbers

    assert _is_number(tok) == bool(_NUMBER_RE.fullmatch(tok))
    assert _without_numbers([tok]) == ([] if _NUMBER_RE.fullmatch(tok) else [tok])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["We", "we", "US", "us", "our", "OUR", "Ministry", "GOVERNMENT", "governmental", "Party",
                                 "rebels", "Lawyer", "defence", "DEFENSE", "white house", "White  House", "ſ", "K", "İ",
                                 "ı", "é", "uſ", "\u212aremlin", "Kremlin", "-", " ", ".", "'", "_", "0", "x"]), max_size=20))
def test_case_insensitive_words_on_ascii_text_match_as_before(pieces):
    """The lower-cased case-sensitive scan finds exactly the IGNORECASE pattern's spans."""
    from framing.cues import _FOLDED, _finditer_ci

    for text in ("".join(pieces), " ".join(pieces)):
        for rx in _FOLDED:
            assert [m.span() for m in _finditer_ci(rx, text)] == [m.span() for m in rx.finditer(text)]


def test_best_threshold_at_a_lower_prevalence_is_the_f1_optimum_of_the_reweighted_rows():
    """With ``prevalence``, the threshold maximises F1 as if positives made up that share of the rows: the
    same cut point as on a data set where every negative is repeated to reach that share."""
    rng = np.random.default_rng(1)
    y = (rng.random(600) < 0.25).astype(int)
    p = np.round(np.clip(np.where(y == 1, rng.normal(0.65, 0.2, y.size), rng.normal(0.35, 0.2, y.size)), 0, 1), 3)
    plain = best_threshold(p, y)
    # 25% positives -> 10%: each negative counts (0.9 / 0.75) / (0.1 / 0.25) = 3 times as much as a positive
    share = y.mean()
    target = share / (share + 3 * (1 - share))
    t = best_threshold(p, y, prevalence=target)
    repeated = best_threshold(np.r_[p, p[y == 0], p[y == 0]], np.r_[y, y[y == 0], y[y == 0]])
    assert t == pytest.approx(repeated)
    assert t > plain  # a rarer label is flagged more sparingly
    assert best_threshold(p, y, prevalence=None) == plain


def test_real_prevalence_moves_thresholds_up_only_and_needs_enough_real_rows():
    import pandas as pd

    from framing.train import DEFAULT_PARAMS, real_prevalence, resolve_params

    def rows(n, origin, labels):
        return pd.DataFrame({"text": [f"s{i}" for i in range(n)], "labels": [list(labels(i)) for i in range(n)],
                             "article_id": [f"{origin}{i // 10}" for i in range(n)], "origin": [f"{origin}:{i // 10}" for i in range(n)]})

    # written rows: hedging 50%, loaded 0%; seed rows: hedging 10%, loaded 20%
    written = rows(400, "written", lambda i: ["hedging"] if i % 2 else [])
    seed = rows(200, "seed", lambda i: (["hedging"] if i % 10 == 0 else []) + (["loaded_language"] if i % 5 == 1 else []))
    df = pd.concat([written, seed], ignore_index=True)
    shares = real_prevalence(df, NAMES, "seed")
    assert shares == {"hedging": 0.1}  # loaded_language is commoner in the seed rows: its threshold stays
    assert real_prevalence(pd.concat([written, seed[:50]]), NAMES, "seed") == {}  # too few real rows
    assert resolve_params(DEFAULT_PARAMS, df, NAMES)["prevalence"] == {"hedging": 0.1}
    assert resolve_params(DEFAULT_PARAMS, written, NAMES)["prevalence"] is None
    assert resolve_params({"prevalence": {"hedging": 0.2}}, df, NAMES)["prevalence"] == {"hedging": 0.2}
    with pytest.raises(ValueError, match="origin:PREFIX"):
        resolve_params({"prevalence": "seed"}, df, NAMES)


def test_bundled_model_records_the_real_article_shares_its_thresholds_were_chosen_for():
    meta = json.loads((ROOT / "models" / json.loads((ROOT / "models" / "registry.json").read_text())["current"] / "model.json").read_text())
    tp = meta.get("threshold_prevalence")
    if meta["params"].get("prevalence") is None:
        pytest.skip("the bundled model predates real-article prevalence")
    assert tp["spec"] == "origin:seed"
    assert all(tp["shares"][n] < tp["training_shares"][n] for n in tp["shares"])


def test_model_report_states_the_shares_its_thresholds_were_chosen_for(tmp_path):
    from framing.codebook import load_codebook
    from framing.modelreport import write_model_report

    cb = load_codebook(CODEBOOK)
    rng = np.random.default_rng(0)
    y = (rng.random((60, len(cb.names))) < 0.3).astype(int)
    proba = np.clip(y * 0.6 + rng.random(y.shape) * 0.4, 0, 1)
    info = {"n_sentences": 60, "n_articles": 6, "thresholds": {n: 0.5 for n in cb.names},
            "threshold_prevalence": {"spec": "origin:seed", "shares": {cb.names[0]: 0.07},
                                     "training_shares": {n: 0.3 for n in cb.names}}}
    text = write_model_report(tmp_path, cb, y, proba, (proba >= 0.5).astype(int), info).read_text()
    assert f"{cb.names[0]} 7.0% (training data 30.0%)" in text and "origin:seed" in text
    del info["threshold_prevalence"]
    assert "Thresholds chosen for F1" not in write_model_report(tmp_path, cb, y, proba, (proba >= 0.5).astype(int), info).read_text()


def test_odd_spaces_are_every_whitespace_character_but_the_space():
    import re

    from framing.cues import _ODD_SPACES, _is_word_or_hyphen

    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000]
    assert list(_ODD_SPACES) == [ch for ch in chars if ch != " " and re.fullmatch(r"\s", ch)]
    word = re.compile(r"[\w-]")
    assert all(_is_word_or_hyphen(ch) == bool(word.fullmatch(ch)) for ch in chars)


def _regex_spans(phrases, text, flags=0):
    import re

    from framing.cues import _alternation

    if not [p for p in phrases if p]:
        return []
    rx = re.compile(r"(?<![\w-])(?:" + _alternation(phrases) + r")(?![\w-])", flags)
    return [m.span() for m in rx.finditer(text)]


# phrases that nest ("said", "said in", "said in a statement"), share prefixes and suffixes, hold spaces,
# apostrophes and hyphens; text pieces that add whitespace runs, odd spaces, "’", word characters at the
# edges, characters outside ASCII and a lone surrogate (not UTF-8: the regex fallback)
_SCAN_PHRASES = ["said", "said in", "said in a statement", "in a", "a statement", "statement", "state", "state-run",
                 "it's", "it’s", "don't", "u.s.", "u.s", "a", "an", "i", "ii", "x-", "-x", "ab", "b c", "abc", "bc"]
_SCAN_PIECES = _SCAN_PHRASES + [" ", "  ", "\n", "\t", "\xa0", "\u2009", " \n ", "’", "'", "-", "_", "0", ".", ",", "é", "ß",
                                "İ", "x", "said", "in", "statement", "\udc80"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_SCAN_PIECES), max_size=30),
       st.lists(st.lists(st.sampled_from(_SCAN_PHRASES + ["", "said  in", "in\ta", "b\nc"]), max_size=8), min_size=1, max_size=3))
def test_phrase_scan_matches_like_the_word_bounded_alternation(pieces, sets):
    """The Aho-Corasick scan finds exactly the spans of each set's word-bounded trie regex (leftmost,
    longest with a boundary after it, non-overlapping), whatever the whitespace."""
    from framing.cues import _PhraseScan

    scan = _PhraseScan(sets)
    for text in ("".join(pieces), " ".join(pieces)):
        assert scan.spans(text) == [_regex_spans(ps, text) for ps in sets]


def test_phrase_scans_match_like_the_matchers_regexes_on_labelled_sentences():
    """The matcher's two scans equal the regexes they replace, over the labelled sentences joined as a
    batch is, and over each sentence alone (lower-cased and as written)."""
    import pandas as pd

    m = get_matcher()
    texts = [t for f in sorted((DATA / "labels").glob("*.csv")) for t in pd.read_csv(f, keep_default_na=False)["text"]]
    joined = "\n".join(texts)
    low = joined.lower()
    assert len(low) == len(joined)
    want = [[x.span() for x in rx.finditer(low)] for rx in (m.lex_low_re, m.outlet_low_re)]
    assert m.low_scan.spans(low) == want and sum(map(len, want)) > 1000
    import re

    from framing.cues import _GOV_HEAD_RE, _alternation, spokesperson_names

    spokes_re = re.compile(r"(?<![\w-])(?:" + _alternation(spokesperson_names()) + r")(?![\w-])")
    case_res = (m.acr_re, m.nongov_re, m.gov_acr_re, _GOV_HEAD_RE, spokes_re)  # institution head words; spokespeople
    want = [[x.span() for x in rx.finditer(joined)] for rx in case_res]
    assert m.case_scan.spans(joined) == want and all(want)
    for t in texts[::5]:
        assert m.low_scan.spans(t.lower()) == [[x.span() for x in rx.finditer(t.lower())] for rx in (m.lex_low_re, m.outlet_low_re)]
        assert m.case_scan.spans(t) == [[x.span() for x in rx.finditer(t)] for rx in case_res]


def test_lower_case_keeps_every_characters_token_class():
    """What the evidence tokens' fast path relies on: a character that lower() maps to one character keeps
    its class for the tokenizer (word character, apostrophe or hyphen, digit folded to 0)."""
    import re

    word, joiner, digit = re.compile(r"\w"), re.compile(r"['’-]"), re.compile(r"\d")
    for c in range(0x110000):
        ch = chr(c)
        low = ch.lower()
        if len(low) != 1 or 0xD800 <= c < 0xE000:
            continue
        norm = digit.sub("0", low.replace("’", "'"))
        assert bool(word.fullmatch(ch)) == bool(word.fullmatch(norm)) and bool(joiner.fullmatch(ch)) == bool(joiner.fullmatch(norm)), hex(c)


_EVIDENCE_PIECES = _WORD_PIECES + ["ΑΣ", "ΑΣ.Β", "ΣΑ", "Σ", "ς", "'s", "q_00", "\u2019", "Straße", "ﬁ"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_EVIDENCE_PIECES), st.sampled_from([" ", "", "  ", "."])), max_size=20),
       st.booleans())
def test_evidence_tokens_equal_tokens_with_offsets(pieces, dropping):
    """The evidence path's tokens and offsets are exactly those it found before its quoted fast path:
    tokens_with_offsets for quoted sentences and those lower() lengthens, the normalised sentence's
    tokens otherwise (numbers dropped alike)."""
    from framing.model import (
        _DIGIT_RE,
        _TOKEN_RE,
        _evidence_tokens,
        _is_number,
        _without_numbers,
    )

    text = "".join(p + s for p, s in pieces)
    quotes = quote_spans(text)
    low = _DIGIT_RE.sub("0", text.lower().replace("’", "'"))
    if quotes or len(low) != len(text):
        want = tokens_with_offsets(text, quotes)
        if dropping:
            want = [x for x in want if not _is_number(x[0])]
    else:
        want = [(m.group(), *m.span()) for m in _TOKEN_RE.finditer(low)]
        assert [w for w, _, _ in want] == _TOKEN_RE.findall(low)
        if dropping:
            want = [x for x in want if x[0] in _without_numbers([x[0]])]
    strings, toks = _evidence_tokens(text, quotes, dropping)
    assert strings == [w for w, _, _ in want]
    assert [tuple(toks[k][1:]) for k in range(len(strings))] == [(a, b) for _, a, b in want]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.tuples(st.sampled_from(_WORD_PIECES), st.sampled_from([" ", "", "  "])), max_size=16),
                min_size=1, max_size=6))
def test_word_matrix_by_token_numbers_with_an_odd_vocabulary(texts):
    """Bigrams found by their tokens' numbers equal the joined-string lookup also when the vocabulary has
    bigrams whose tokens are no unigram entries, entries of three tokens, and no unigram of a bigram."""
    import copy

    model = copy.deepcopy(_bundled_model())
    vec = model.vectorizer_
    vocab = dict(vec.vocabulary_)
    n = len(vocab)
    for extra in ("state regime", "q_may could", "0 00", "regime may could", "the  state", "rarely seen", "it's q_it's"):
        if extra not in vocab:
            vocab[extra] = n
            n += 1
    for gone in ("media", "q_said"):
        vocab.pop(gone, None)
    vec.vocabulary_ = {g: k for k, g in enumerate(vocab)}
    vec.idf_ = np.resize(vec.idf_, len(vocab))
    texts = ["".join(p + s for p, s in pieces) for pieces in texts]
    got, want = model._word_matrix(texts), _reference_word_matrix(model, texts)
    assert np.array_equal(got.indptr, want.indptr) and np.array_equal(got.indices, want.indices)
    assert np.array_equal(got.data, want.data)


@settings(max_examples=800, deadline=None)
@given(st.text(alphabet="WwOoUuEeRrSsx_-0 é\u0301.'İ", max_size=40))
def test_first_person_pattern_finds_what_the_word_boundary_pattern_finds(text):
    import re

    from framing.cues import _FIRST_PERSON_RE

    first = re.compile(r"\b(?:[Ww]e|WE|[Oo]ur|OUR|[Uu]s)\b")
    assert [m.span() for m in _FIRST_PERSON_RE.finditer(text)] == [m.span() for m in first.finditer(text)]


_BATCH_PIECES = _WORD_PIECES + ["ΑΣ", "Σ", "ΑΣ.", "Σ'", "'Σ", "ς", "00", "q_0", "\u0301"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(st.tuples(st.sampled_from(_BATCH_PIECES), st.sampled_from([" ", "", "  ", "."])), max_size=12),
                min_size=1, max_size=6), st.booleans())
def test_batch_tokens_equal_each_texts_quoted_tokens(texts, drop_numbers):
    """Tokens read from the joined, normalised batch are each text's own (quotes, numbers, final sigma at
    the texts' edges)."""
    from framing.model import _batch_tokens, _quoted_tokens, _without_numbers

    texts = ["".join(p + s for p, s in pieces) for pieces in texts]
    quotes = [quote_spans(t) for t in texts]
    batch = _batch_tokens(QuoteAwareAnalyzer((1, 2), drop_numbers), texts, quotes)
    toks, ends = batch.toks, batch.ends
    want = [_quoted_tokens(t, q) for t, q in zip(texts, quotes)]
    if drop_numbers:
        want = [_without_numbers(w) for w in want]
    assert [toks[a:b] for a, b in zip(ends, ends[1:])] == want
    assert "\n".join(texts).lower() == "\n".join(t.lower() for t in texts)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(st.tuples(st.sampled_from(_BATCH_PIECES + _EVIDENCE_PIECES), st.sampled_from([" ", "", "  ", "."])),
                         max_size=12), min_size=1, max_size=6), st.booleans())
def test_batch_evidence_tokens_equal_each_texts_evidence_tokens(texts, drop_numbers):
    """The evidence tokens read from the batch's tokens and normalised string are exactly those
    _evidence_tokens finds for each sentence alone (strings and offsets)."""
    from framing.model import _batch_tokens, _evidence_tokens

    texts = ["".join(p + s for p, s in pieces) for pieces in texts]
    quotes = [quote_spans(t) for t in texts]
    batch = _batch_tokens(QuoteAwareAnalyzer((1, 2), drop_numbers), texts, quotes)
    for i, (t, q) in enumerate(zip(texts, quotes)):
        got_strings, got = batch.evidence(i, t, q)
        want_strings, want = _evidence_tokens(t, q, drop_numbers)
        assert got_strings == want_strings
        assert [tuple(got[k][1:]) for k in range(len(got_strings))] == [tuple(want[k][1:]) for k in range(len(want_strings))]


def test_decision_equals_the_estimators_decision_function():
    """The direct product gives each label's decision_function bit for bit (and bad input still raises)."""
    import pandas as pd
    import scipy.sparse as sp

    model = _bundled_model()
    texts = [t for f in sorted((DATA / "labels").glob("*.csv")) for t in pd.read_csv(f, keep_default_na=False)["text"]]
    for k in range(0, len(texts), 500):
        Xf = model._features(texts[k:k + 500])[0]
        got = model._decision(Xf)
        want = np.column_stack([est.decision_function(Xf) for est in model.estimators_])
        assert got.tobytes() == want.tobytes()
    bad = sp.csr_matrix(Xf, copy=True)
    bad.data[0] = np.nan
    with pytest.raises(ValueError):
        model._decision(bad)


@settings(max_examples=800, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 12), st.integers(1, 6), st.sampled_from(["ngram", "outlet", "hedge", "channel"]),
                          st.sampled_from([0.02, 0.5, 0.5004, 0.5006, 1.0, 3.25]), st.sampled_from([None, "KCNA", "TASS"])),
                max_size=7))
def test_merged_candidates_equal_the_merged_evidence_dicts(raw):
    """Merging candidate tuples gives exactly the dicts (values and key order) of merging evidence dicts."""
    from framing.cues import resolve_outlet
    from framing.model import _merge_candidates, _merge_evidence

    text = "The regime said so, officials added in a statement."
    cands, dicts = [], []
    for rank, (start, length, cue, w, outlet) in enumerate(raw):
        o = resolve_outlet(outlet) if outlet else None
        cands.append((rank // 2, start, start + length, cue, w, o))
    cands.sort(key=lambda c: c[0])
    for _, start, end, cue, w, o in cands:
        ev = {"label": "state_media", "start": start, "end": end, "cue": cue, "weight": w}
        if o is not None:
            ev["outlet"], ev["country"] = o.name, o.country
        dicts.append(ev)
    got, want = _merge_candidates(cands, text, "state_media"), _merge_evidence(dicts, text)
    assert got == want and [list(g) for g in got] == [list(w) for w in want]


@settings(max_examples=800, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 12), st.integers(1, 6),
                          st.sampled_from(["ngram", "outlet", "hedge", "channel"]),
                          st.sampled_from([0.02, 0.5, 0.5004, 0.5006, 1.0, 3.25]), st.sampled_from([None, "KCNA", "TASS"])),
                max_size=9), st.integers(1, 5))
def test_merged_spans_equal_the_merged_candidates(raw, limit):
    """_explain_one's merge of (start, -end, rank, seq, ...) tuples in the order they were found gives exactly
    the first ``limit`` dicts (values and key order) of _merge_candidates on the same candidates as
    (rank, start, ...) tuples sorted by rank (stable), as _explain_one gave them before."""
    from framing.cues import resolve_outlet
    from framing.model import _merge_candidates, _merge_spans

    text = "The regime said so, officials added in a statement."
    found = [(rank, start, start + length, cue, w, resolve_outlet(outlet) if outlet else None)
             for rank, start, length, cue, w, outlet in raw]
    spans = [(start, -end, rank, seq, cue, w, o) for seq, (rank, start, end, cue, w, o) in enumerate(found)]
    want = _merge_candidates(sorted(found, key=lambda c: c[0]), text, "state_media")[:limit]
    got = _merge_spans(spans, text, "state_media", limit)
    assert got == want and [list(g) for g in got] == [list(w) for w in want]


def test_a_refitted_model_does_not_use_the_tables_of_its_previous_fit(seed_data):
    """Tables built on first use (vocabulary by token, coefficients, explain tables) go with a new fit."""
    texts, y, groups = seed_data
    half = len(texts) // 2
    m = FramingClassifier(labels=NAMES, n_jobs=1, calibrate=False).fit(texts[:half], y[:half])
    m.score_batch(texts[half:half + 50])
    m.fit(texts[half:], y[half:])
    fresh = FramingClassifier(labels=NAMES, n_jobs=1, calibrate=False).fit(texts[half:], y[half:])
    got, want = m.score_batch(texts[:80]), fresh.score_batch(texts[:80])
    assert np.array_equal(got[0], want[0]) and got[2] == want[2]


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="ab0_ '’-‘.\n\u0301éİΣ", max_size=40), st.integers(0, 45), st.integers(0, 45))
def test_token_pattern_finds_what_the_greedy_pattern_finds(text, pos, endpos):
    """The possessive token pattern matches exactly what r"\\w+(?:['’-]\\w+)*" matches, also within bounds."""
    import re

    from framing.model import _TOKEN_RE

    greedy = re.compile(r"\w+(?:['’-]\w+)*")
    assert _TOKEN_RE.findall(text) == greedy.findall(text)
    assert _TOKEN_RE.findall(text, pos, endpos) == greedy.findall(text, pos, endpos)
    assert [m.span() for m in _TOKEN_RE.finditer(text, pos)] == [m.span() for m in greedy.finditer(text, pos)]


def test_new_match_is_the_constructors_match():
    """The matcher's quick Match equals the dataclass constructor's: fields, equality, hash, repr, pickle,
    and it stays frozen."""
    import dataclasses
    import pickle

    from framing.cues import Match, _new_match

    for args in [(0, 3, 7, "hedge", "may"), (2, 0, 4, "outlet", "TASS", resolve_outlet("TASS")), (1, 5, 9, "channel", "x", None)]:
        got, want = _new_match(*args), Match(*args)
        assert got == want and hash(got) == hash(want) and repr(got) == repr(want)
        assert vars(got) == vars(want) and list(vars(got)) == list(vars(want))
        assert pickle.loads(pickle.dumps(got)) == want and dataclasses.astuple(got) == dataclasses.astuple(want)
        with pytest.raises(dataclasses.FrozenInstanceError):
            got.start = 1


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab '’-0.", max_size=30), st.lists(st.tuples(st.integers(0, 32), st.integers(0, 8)), max_size=4),
       st.integers(0, 5))
def test_marked_tokens_equal_the_span_test(body, raw_spans, pos):
    """Tokens marked by bisecting the quote spans' ends are those marked by testing each span, for
    quote_spans' sorted disjoint spans and for any other spans."""
    from framing.model import _TOKEN_RE, _marked_tokens

    low = "x" * pos + body + " y"
    end = pos + len(body)
    for quotes in (sorted((s, s + n) for s, n in raw_spans), [(s, s + n) for s, n in raw_spans], quote_spans(body)):
        want = ["q_" + m.group() if any(s <= m.start() - pos < e for s, e in quotes) else m.group()
                for m in _TOKEN_RE.finditer(low, pos, end)]
        assert _marked_tokens(low, quotes, pos, end) == want


@settings(max_examples=500, deadline=None)
@given(st.lists(st.text(alphabet="a ’'\"“”«»„‘`.\n", max_size=12), max_size=8))
def test_batch_quote_spans_equal_each_texts_quote_spans(texts):
    """Quote spans of a batch found through one search of the joined texts are each text's own."""
    from framing.cues import batch_quote_spans

    assert batch_quote_spans(texts) == [quote_spans(t) for t in texts]


# cue phrases of every kind (hedges, not-hedges, loaded and not-loaded terms, editorial cues, outlets,
# channels and institutions, attributions, non-government speakers), first-person words and "US", quote
# marks, question marks and the characters around them, line breaks and odd whitespace
_CUE_PIECES = ["may", "could", "reportedly", "allegedly", "it is unclear", "according to", "said", "told", "regime",
               "sanctions regime", "terrorists", "puppet", "clearly", "must", "should", "will be", "TASS", "KCNA",
               "Xinhua", "RT", "state media", "state-run", "Reuters", "Bloomberg", "spokesman", "a spokesperson for",
               "the foreign ministry", "Defense Ministry", "ICE", "NASA", "UN", "IMF", "Co.", "statement", "former",
               "police", "opposition", "company", "Upjohn", "Prime Minister", "We", "we", "WE", "our", "Our", "us",
               "US", "U.S.", "Wei", "ours", '"', "“", "”", "«", "»", "‘", "’", "``", "''", "?", "?”", "? ", ".", ",",
               "(", ")", "--", "\n", "\t", "\x1c", "\x1f", "\xa0", "İ", "é", "0", "2024", "apparent", "appear to",
               "analysts believe", "according to estimates", "allegation that", "an open question", "can apply",
               "could apply", "barbarians", "abhorrent", "apoplectic", "anglo-saxons", "clearance operations", "absurd",
               "signifies", "significant", "unbelievably", "(TASS) --", "(Reuters) -", "slammed", "Blasted", "shut",
               "liberal-", "bashing", "tore into", "the plan"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(st.tuples(st.sampled_from(_CUE_PIECES), st.sampled_from([" ", "", "  ", "\n"])), max_size=14),
                max_size=8))
def test_cue_features_equal_the_per_sentence_reference(texts):
    """The batched cue features (first person and questions found in the joined batch, counts added at
    once) are exactly those of the reference loop, sentence by sentence."""
    from framing.cues import _cue_features_reference, batch_quote_spans, cue_features

    texts = ["".join(p + s for p, s in pieces) for pieces in texts]
    matches, quotes = get_matcher().match(texts), batch_quote_spans(texts)
    got, want = cue_features(texts, matches, quotes), _cue_features_reference(texts, matches, quotes)
    assert got.shape == want.shape and got.tobytes() == want.tobytes()


def test_cue_features_equal_the_reference_on_the_labelled_sentences():
    """The same on the labelled sentences shipped with the package, in batches."""
    import pandas as pd

    from framing.cues import _cue_features_reference, batch_quote_spans, cue_features

    texts = [t for f in sorted((DATA / "labels").glob("*.csv")) for t in pd.read_csv(f, keep_default_na=False)["text"]]
    assert len(texts) > 1000
    for k in range(0, len(texts), 700):
        batch = texts[k:k + 700]
        matches, quotes = get_matcher().match(batch), batch_quote_spans(batch)
        assert cue_features(batch, matches, quotes).tobytes() == _cue_features_reference(batch, matches, quotes).tobytes()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.tuples(st.sampled_from(_CUE_PIECES), st.sampled_from([" ", "", "  ", "\n"])), max_size=14),
                max_size=8))
def test_matches_equal_the_reference_matches(texts):
    """The matcher's batch (offsets summed in C, technical phrases looked at only where one matched) finds
    exactly the matches of the reference, in the same order."""
    texts = ["".join(p + s for p, s in pieces) for pieces in texts]
    m = get_matcher()
    assert m.match(texts) == m._match_reference(texts)


# ---------------------------------------------------------------------------------- scoring without scikit-learn
@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from([0.0, 1.0, 0.1, 1e-8, 2.5, 3.0000001, 7.25, 1e6]), max_size=40), min_size=1, max_size=12),
       st.integers(0, 2**31))
@example([[]], 0)
@example([[], [0.0, 0.0], [1.0]], 1)
def test_row_normalisation_is_scikit_learns_bit_for_bit(rows, seed):
    """``_normalize_rows_l2`` gives sklearn's ``normalize(X, "l2")`` exactly: its left-to-right sums, rows
    of zeros (stored or empty) left alone, any row length."""
    import scipy.sparse as sp
    from sklearn.preprocessing import normalize

    from framing.model import _normalize_rows_l2

    rng = np.random.default_rng(seed)
    width = max((len(r) for r in rows), default=0) + 3
    data = np.array([v * (1 + rng.random()) for r in rows for v in r], dtype=np.float64)
    indices = np.concatenate([rng.permutation(width)[:len(r)] for r in rows]).astype(np.int32) if data.size else np.array([], np.int32)
    indptr = np.concatenate(([0], np.cumsum([len(r) for r in rows])))
    X = sp.csr_matrix((data, indices, indptr), shape=(len(rows), width))
    want = normalize(X.copy(), norm="l2", copy=False)
    got = X.copy()
    _normalize_rows_l2(got)
    assert got.data.tobytes() == want.data.tobytes()
    assert np.array_equal(got.indices, want.indices) and np.array_equal(got.indptr, want.indptr)


def _labelled_and_held_out_sentences() -> list[str]:
    import pandas as pd

    files = sorted((DATA / "labels").glob("*.csv")) + sorted((DATA / "eval").glob("*.csv"))
    return [t for f in files for t in pd.read_csv(f, keep_default_na=False)["text"]]


def test_a_model_loaded_for_scoring_scores_exactly_like_the_estimator():
    """``load_bundle(light=True)`` (what ``framing score`` uses) gives the bundled model without
    scikit-learn's classes, and the same probabilities (bit for bit), flags and evidence."""
    import scipy.sparse as sp

    from framing.model import LoadedFramingClassifier

    light = load_bundle(ROOT / "models", light=True).model
    full = _bundled_model()
    assert type(light) is LoadedFramingClassifier and type(full) is FramingClassifier
    texts = _labelled_and_held_out_sentences()
    for k in range(0, len(texts), 1000):
        (p1, f1, e1), (p2, f2, e2) = light.score_batch(texts[k:k + 1000]), full.score_batch(texts[k:k + 1000])
        assert p1.tobytes() == p2.tobytes() and np.array_equal(f1, f2) and e1 == e2
    assert light.predict(texts[:50]).tolist() == full.predict(texts[:50]).tolist()
    bad = sp.csr_matrix(light._features(texts[:5])[0], copy=True)
    bad.data[0] = np.nan
    with pytest.raises(ValueError):
        light._decision(bad)


def test_scoring_imports_no_scikit_learn(tmp_path):
    """``framing score`` (one worker: the model is unpickled in this process) never imports scikit-learn
    or scipy.stats, whose import was most of every run's start-up."""
    import subprocess
    import sys

    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"id": "a", "source": "KCNA", "text": "The regime's puppets may fall, KCNA said."}) + "\n")
    code = (
        "import sys\n"
        "from framing.cli import main\n"
        f"rc = main(['score', {str(corpus)!r}, '--out', {str(tmp_path / 'out')!r}, '--workers', '1', '--model', {str(ROOT / 'models')!r}, '--quiet'])\n"
        "print(rc, sorted(m for m in sys.modules if m.split('.')[0] == 'sklearn' or m == 'scipy.stats'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path)
    assert out.stdout.split() == ["0", "[]"], out.stdout + out.stderr


def test_a_model_that_needs_scikit_learn_to_score_is_loaded_normally(tmp_path, seed_data):
    """Character n-grams are scored by scikit-learn's vectorizer: such a model is not loaded light."""
    from framing.codebook import load_codebook
    from framing.registry import save_bundle

    texts, y, _ = seed_data
    model = FramingClassifier(labels=NAMES, char_ngrams=(2, 4), calibrate=False).fit(texts, y)
    save_bundle(model, tmp_path / "m", {"codebook": load_codebook(CODEBOOK).to_dict()})
    loaded = load_bundle(tmp_path / "m", light=True).model
    assert type(loaded) is FramingClassifier
    assert loaded.predict_proba(texts[:20]).tobytes() == model.predict_proba(texts[:20]).tobytes()


def test_every_registry_version_scores_the_same_loaded_for_scoring():
    """Each model the registry holds (older ones lack attributes newer code added) loads light and gives
    the estimator's probabilities, flags and evidence."""
    import warnings

    from framing.model import LoadedFramingClassifier

    texts = _labelled_and_held_out_sentences()[::25]
    versions = sorted(p for p in (ROOT / "models").glob("v[0-9]*") if (p / "model.joblib").is_file())
    assert versions
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # older versions were trained with other cue lexicons
        for folder in versions:
            light, full = load_bundle(folder, light=True).model, load_bundle(folder).model
            assert type(light) is LoadedFramingClassifier, folder
            (p1, f1, e1), (p2, f2, e2) = light.score_batch(texts), full.score_batch(texts)
            assert p1.tobytes() == p2.tobytes() and np.array_equal(f1, f2) and e1 == e2, folder


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=40), max_size=4), st.text(max_size=40))
@example(["İstanbul", "ΟΔΟΣ"], "x")
def test_lowered_is_lower_of_the_string_asked(parts, other):
    """The cue matcher and the word n-grams share one lowering of a batch: whoever asks, with the same or
    an equal string, or after another string, gets ``str.lower`` of what it passed."""
    joined = "\n".join(parts)
    assert lowered(joined) == joined.lower()
    assert lowered("\n".join(parts)) == joined.lower()  # an equal string, another object
    assert lowered(other) == other.lower()
    assert lowered(joined) == joined.lower()


def test_log_count_ratio_favours_features_of_the_positive_sentences():
    import scipy.sparse as sp

    from framing.model import _log_count_ratio

    X = sp.csr_matrix(np.array([[0.7, 0.0, 0.2], [0.3, 0.0, 0.0], [0.0, 0.5, 0.4], [0.0, 0.9, 0.0]]))
    y = np.array([1, 1, 0, 0])
    r = _log_count_ratio(X, y)
    # presence counts (+1): positives (3, 1, 2) of 6, negatives (1, 3, 2) of 6
    np.testing.assert_allclose(r, np.log([3 / 6, 1 / 6, 2 / 6]) - np.log([1 / 6, 3 / 6, 2 / 6]))
    assert r[0] > 0 > r[1] and r[2] == pytest.approx(0.0)


def test_nb_scale_is_folded_into_one_linear_model_over_the_same_features(seed_data):
    """Naive-Bayes scaling fits each label on the features times their log-count ratio and folds the ratio
    into the weights: the fitted estimator scores the unscaled features exactly as a model fitted on the
    scaled ones scores them, so scoring, saving and evidence need nothing new."""
    import scipy.sparse as sp
    from sklearn.linear_model import LogisticRegression

    from framing.model import _log_count_ratio

    X, y, groups = seed_data
    est = FramingClassifier(labels=NAMES, nb_scale=True, random_state=0)
    assert est.get_params()["nb_scale"] is True and clone(est).nb_scale is True
    est.fit(X, y, groups=groups)
    Xf = est._features(est._as_texts(X))[0]
    j = NAMES.index("hedging")
    r = _log_count_ratio(Xf, y[:, j])
    direct = LogisticRegression(C=est.C, class_weight="balanced", solver="liblinear", random_state=0,
                                max_iter=2000).fit(Xf @ sp.diags(r), y[:, j])
    np.testing.assert_allclose(est._fit_one(Xf, y[:, j]).decision_function(Xf), direct.decision_function(Xf @ sp.diags(r)),
                               rtol=1e-6, atol=1e-8)
    plain = FramingClassifier(labels=NAMES, random_state=0).fit(X, y, groups=groups)
    assert not np.allclose(plain.estimators_[j].coef_, est.estimators_[j].coef_)
    # evidence still comes from the (folded) weights and points into the sentence
    s = "Officials may have underestimated the damage, analysts suggested."
    ev = est.explain([s])[0]
    assert ev and all(s[e["start"]:e["end"]] == e["text"] for e in ev)


def test_a_model_pickled_before_nb_scale_existed_scores_unscaled():
    import pickle

    model = FramingClassifier(labels=NAMES)
    del model.nb_scale  # as a pickle written before the option existed
    old = pickle.loads(pickle.dumps(model))
    assert old.get_params()["nb_scale"] is False and clone(old).nb_scale is False


def test_a_government_spokesperson_named_without_the_title_speaks_for_the_government():
    """Codebook: "a government spokesperson speaking in that role, whatever the verb". News often names a well-known
    one alone ("Peskov said", '"...," Nauert said', "according to Zakharova"): resources/government_spokespeople.tsv
    lists them, and the name as a speech verb's subject counts like a head's post (a channel, the government's). Not
    a former spokesperson, another person of the surname, a name that is only mentioned or after a preposition, or a
    sentence that names the role itself (the channel phrase counts that one). The evidence names the channel."""
    from framing.cues import spokesperson_spans
    from framing.registry import load_bundle

    yes = ["Peskov said the talks were constructive.",
           '"The department is taking this incident very seriously," Nauert said.',
           "Kirby also said for the first time that some emails had been located.",
           "Zakharova, speaking to reporters in Moscow, said the sanctions would fail.",
           "Peskov has repeatedly denied that the Kremlin was involved.",
           "Earnest on Tuesday told reporters the president would veto the bill.",
           "According to Zakharova, the talks are over.",
           '"We will respond firmly," said Mao Ning.',
           '"It is over," said Ms. Nauert.']
    no = ["Former spokesman Robert Gibbs said the left was never satisfied.",
          "Kremlin spokesman Dmitry Peskov said the talks were constructive.",
          "Reporters asked about Peskov on Monday.",
          "Jane Peskov said she would run for the school board.",
          "The president was in earnest about the plan.",
          "He met Zakharova and Lavrov in Moscow.",
          "Peskov's daughter said she lives in Paris."]
    col = _fires_on(spokesperson_spans, "channel_gov", yes, no)
    assert (col[:len(yes)] > 0).all() and (col[len(yes) + 2:] == 0).all()
    assert [yes[0][a:b] for a, b, _ in spokesperson_spans(yes[0])] == ["Peskov said"]
    assert [n for _, _, n in spokesperson_spans(yes[-2])] == ["Mao Ning"]

    bundle = load_bundle(ROOT / "models")
    _, flags, ev = bundle.model.score_batch(yes[:2] + no[3:4], explain=True)
    j = list(bundle.model.labels).index("state_media")
    assert flags[:2, j].all() and not flags[2, j]
    named = [e for e in ev[0] if e["label"] == "state_media" and "outlet" in e]
    assert named and named[0]["outlet"] == "Kremlin spokesperson Peskov" and named[0]["country"] == "Russia"
    assert all(yes[0][e["start"]:e["end"]] == e["text"] for e in ev[0])



def test_a_senior_official_named_without_the_title_owns_a_channel():
    """Codebook: an official's statement, news conference or briefing is a government's channel, and a name without a
    title counts when common knowledge places its bearer in the office ("Perez said in a statement" of the Labor
    Secretary). resources/government_officials.tsv lists senior officials with their years; a listed name owns a
    channel phrase as a head's does. A plain "said" stays an official speaking (NO), and an official's posts are not
    a head's (the codebook counts a head's, a governor's and a mayor's own posts only)."""
    from framing.cues import channel_owner, get_matcher, head_post_spans

    owned = ["Lavrov said in a statement that Moscow would respond.",
             "Kuleba told a news conference in Kyiv that the front was holding.",
             "Zarif said in a statement that Tehran would not renegotiate.",
             "Lavrov's spokeswoman said the talks were over."]
    not_owned = ["Lavrov said the talks had failed.",
                 "Jane Lavrov said in a statement that she would run.",
                 "Former Foreign Minister Dmytro Kuleba said in a statement that the deal was good."]
    gov = _cue_column(owned + not_owned, "channel_gov")
    assert (gov[:len(owned)] > 0).all() and (gov[len(owned):] == 0).all()
    s = owned[0]
    ms = get_matcher().match([s])[0]
    c = next(m for m in ms if m.kind == "channel" and "statement" in m.text)
    assert channel_owner(s, c, ms) == "Lavrov"
    assert head_post_spans("Lavrov wrote on Telegram that the West was lying.") == []


def test_a_regional_head_named_alone_owns_their_posts_and_statements():
    """The codebook counts a sitting governor's or mayor's own statements and posts (and a provincial premier's) as it
    counts a head's, and news names them without the title after the first mention ("Kasich tweeted", a real-news
    sentence both annotators marked): resources/regional_heads.tsv lists them with their years. A plain "said" stays a
    person speaking; a shared surname is not listed ("Cuomo", a CNN anchor's name too), another first name makes
    another person, and in a dated article the name counts only in the bearer's years in office."""
    from framing.cues import (
        channel_owner,
        get_matcher,
        head_post_country,
        head_post_spans,
        people_out_of_office,
    )

    owned = ["Kasich tweeted that the vote was a disgrace.",
             "Newsom said in a statement that California would sue.",
             "Andrew Cuomo told a news conference in Albany that schools would reopen.",
             "Sobyanin wrote on Telegram that the metro would close."]
    not_owned = ["Newsom said California would sue.",
                 "Cuomo said in a statement that the show would go on.",
                 "Jennifer Siebel Newsom said in a statement that she would campaign.",
                 "Former Ohio Gov. John Kasich said in a statement that he would vote for Biden."]
    gov = _cue_column(owned + not_owned, "channel_gov")
    assert (gov[:len(owned)] > 0).all() and (gov[len(owned):] == 0).all(), gov
    assert [s[a:b] for s in owned[:1] for a, b in head_post_spans(s)] == ["Kasich tweeted"]
    assert head_post_country("Kasich tweeted") == "US" and head_post_country("Sobyanin wrote on Telegram") == "Russia"
    s = owned[1]
    ms = get_matcher().match([s])[0]
    assert channel_owner(s, next(m for m in ms if m.kind == "channel" and "statement" in m.text), ms) == "Newsom"
    # governor 2011-2019: a 2016 post counts, a 2022 one (a commentator's) does not
    assert people_out_of_office(owned[0], 2016) == [] and people_out_of_office(owned[0], 2022) == [(0, 6)]
    # two offices, both kept: mayor of San Francisco 2004-2011, governor since 2019
    assert all(people_out_of_office(owned[1], y) == [] for y in (2008, 2023)) and people_out_of_office(owned[1], 2015)


def test_posts_sent_or_in_a_relative_clause_credit_lines_and_intelligence_bodies_are_official_channels():
    """Kinds of official sourcing a session-41 sample held (r74, r75; both annotators marked them): a head's or a
    mayor's post sent as an object ("Trump sent out a tweet") or in a relative clause ("Mayor Libby Schaaf, who tweeted
    out a warning", even after "of": the clause is the mayor's), a table's credit line naming a government body
    ("Source: BLS"), a country's intelligence services speaking as a body ("the intelligence community has
    concluded"), the Federal Reserve by its short name ("the Fed said"), a head's address opening the sentence, and a
    body after a lead and a country's possessive ("according to Russia's Defence Ministry"). Not another person's post,
    a candidate's, a credit line naming a company, "Fed up", the services only mentioned or their officials speaking, a
    legislator's address, nor a former spokesperson."""
    from framing.cues import head_post_spans

    posts = ["At around 10 a.m., however, Trump sent out a tweet that warned Israel.",
             "Trump fired off a late-night tweet calling the report fake.",
             "The raid was foiled by the intervention of Oakland Mayor Libby Schaaf, who tweeted out a warning.",
             "In a video message, Zelensky said the troops were holding."]
    not_posts = ["Ivanka Trump sent out a tweet that warned Israel.",
                 "Republican candidate Donald Trump, who tweeted that the ruling was a disgrace, met the judge.",
                 "The reporter who sent a tweet about Trump was fired.",
                 "In a video message, the singer said she was recovering."]
    assert [bool(head_post_spans(s)) for s in posts + not_posts] == [True] * 4 + [False] * 4
    assert [s[a:b] for s in posts[2:3] for a, b in head_post_spans(s)] == ["Mayor Libby Schaaf, who tweeted"]
    # a head's address opening the sentence is the head's channel ("In an address ..., President Hollande condemned")
    addresses = ["In an address early Friday morning, President Francois Hollande condemned the attack.",
                 "In an address to the convention, the senator urged unity."]
    assert list(_cue_column(addresses, "channel_gov") > 0) == [True, False]
    speaks = ["Source: BLS, \"The Employment Situation - May 2011,\" June 3, 2011.",
              "According to Russia's Defence Ministry, 40 drones were shot down overnight.",
              "At least 589 children were killed, according to figures from Ukraine's Prosecutor General's Office.",
              "The Fed said it would raise rates four times this year.",
              "Sources: U.S. Census Bureau, 2010 American Community Survey.",
              "The intelligence community has concluded that the emails held top secret information.",
              "Ukraine's military intelligence said Russia had lost 500 tanks."]
    silent = ["Source: Reuters.", "Fed up with the delays, residents protested.",
              "He had a say in the deals, said a former spokesman for Ukraine's Foreign Ministry, Oleg Voloshyn.",
              "He worked for the intelligence services for ten years.",
              "U.S. intelligence officials said Russia had lost 500 tanks."]
    got = _cue_column(speaks + silent, "channel_speaks")
    assert (got[:len(speaks)] > 0).all() and (got[len(speaks):] == 0).all(), got


def test_a_person_is_out_of_office_only_when_out_of_every_listed_post():
    """A dated article masks a registry name out of office that year; a person in two registries (a head who was
    also a minister, a spokesperson who became another) is in office while in either post."""
    from framing.cues import _people_years, people_out_of_office

    years, _ = _people_years()
    s = "Lavrov said in a statement that Moscow would respond."
    assert people_out_of_office(s, 2000) == [(0, 6)] and people_out_of_office(s, 2020) == []
    both = [n for n in years if len(years[n]) > 1]
    assert both  # several people hold two spells or two posts
    for n in both[:50]:
        for a, b in years[n]:
            y = min(b, 2026)
            assert people_out_of_office(f"{n} said in a statement.", y) == [], (n, y)


def test_a_body_someone_left_owns_no_statement_and_heads_speak_with_more_verbs():
    """From the blind `named-officials` probes (thirty-third session): a body someone left or joined is an object, so a
    statement after it is the person's ("Mike Pompeo, who left the State Department in January 2021, said in a
    statement" has no government owner; "Jen Psaki, who left the White House ..., said" is not the White House
    speaking); a head's televised address after an apology or a vow is still the head's channel ("Yoon Suk Yeol
    apologised in a televised address"), and Reuters' "Volodymyr Zelenskiy" is the registry's head."""
    gov = _cue_column(["Mike Pompeo, who left the State Department in January 2021, said in a statement that the deal was bad.",
                       "Jen Psaki, who left the White House in May 2022, said on her show that voters were angry.",
                       "The State Department said in a statement that the deal was bad.",
                       "Yoon Suk Yeol apologised in a televised address on Saturday for the anxiety he caused.",
                       "Volodymyr Zelenskiy said in his nightly video address that attacks had increased."], "channel_gov")
    assert (gov > 0).tolist() == [False, False, True, True, True]
    speaks = _cue_column(["Jen Psaki, who left the White House in May 2022, said on her show that voters were angry.",
                          "The White House said on Monday that voters were angry."], "channel_speaks")
    assert (speaks > 0).tolist() == [False, True]


def test_a_channel_opening_the_sentence_belongs_to_the_listed_name_after_it():
    """Wire copy often opens with the channel: "In a statement, Putin said", "Speaking at a news conference in Moscow,
    Lavrov said". The listed head's or minister's name right after the comma owns it, as it would after the name; an
    unlisted name, a company, or a channel phrase in mid-sentence is read as before."""
    gov = _cue_column(["In a statement, Putin said the West had chosen confrontation.",
                       "Speaking at a news conference in Moscow, Lavrov said the talks had failed.",
                       "At a news conference in Tokyo on Friday, Blinken said the alliance was strong.",
                       "In a statement, Smith said he would appeal.",
                       "In a statement, the company said it would appeal.",
                       "In a statement, Ivanka Trump said she was proud."], "channel_gov")
    assert (gov > 0).tolist() == [True, True, True, False, False, False]


def test_unsourced_reports_with_words_between_a_vague_headline_tag_and_made_possible():
    """From the blind international probes (thirty-third session): unsourced reports are vague attribution with a time
    or a qualifier between ("there were reports on Thursday that"), and so is a headline's trailing tag naming an unnamed
    collective ("... Running Out of Steam – Analysts"); what something "made ... possible" happened, so its "possible"
    is no hedge ("a grant made the new plant possible"). A named source's report, an officials' tag and a possibility
    that stays open are read as before."""
    from framing.cues import made_possible_spans, unsourced_report_spans

    yes = ["There were reports on Thursday that Wagner fighters had crossed into Mali from Libya.",
           "There have also been unconfirmed reports in recent days of troops massing at the border.",
           "Russia's War Economy Is Running Out of Steam – Analysts"]
    no = ["Reuters reported on Thursday that Wagner fighters had crossed into Mali.",
          "Ceasefire Talks Resume in Cairo - Officials",
          "There were two reports on the desk."]
    assert (_fires_on(unsourced_report_spans, "hedge_weasel", yes, no) > 0).tolist() == [True] * 3 + [False] * 3
    made = ["A grant from the Japanese government made the new water treatment plant possible.",
            "The deal made a ceasefire possible."]
    open_ = ["A ceasefire is possible by Friday.", "It is possible that the talks will fail."]
    col = _fires_on(made_possible_spans, "hedge", made, open_)
    assert (col > 0).tolist() == [False, False, True, True]


def test_a_channel_opening_the_sentence_attributes_what_follows():
    """As "In a statement," does: a channel phrase with a determiner and up to three words that opens its sentence
    and clause is an attribution ("In his weekly radio address, Obama called on ..."); not one in mid-sentence, nor a
    sentence with no comma after the phrase."""
    from framing.cues import lead_channel_spans

    yes = ["In his weekly radio address, Obama called on Republicans to give Merrick Garland a hearing.",
           "At a news conference in Tokyo on Friday, Blinken said the alliance was strong.",
           "During her annual press conference, the chancellor defended the budget."]
    no = ["He spoke in his weekly radio address about the budget.",
          "In his address the president thanked the troops."]
    col = _fires_on(lead_channel_spans, "attribution", yes, no)
    assert (col[:3] > 0).all()


def test_hedging_loaded_and_channel_cues_from_the_thirty_fifth_sessions_probes():
    """Blind probes of US and UK copy and of non-Western registers (bench/probes): a risk verb before an outcome
    ("risks jeopardising") and a thing that threatens one ("threatens to drag"), not the noun "risks" before a
    participle, a gamble ("risked everything") or a person's threat of an action ("threatened to veto"); an epistemic
    "must have" before a participle, not a requirement ("must have a degree", "voters must have lived"); a stated hope
    in the formal register or the past ("said he hoped the"); not "suggested" proposing a course ("suggested moving"), advice
    with a modal ("commuters may want to") or "as ... as possible" with many words between; a loaded term inside an editorial phrase
    ("a betrayal") and an editorial word inside a loaded phrase ("wise leadership"), which the longest-match scan hid;
    prosecutors' offices, local councils, a state's agency in lower case, "state data" and a ministry's paper."""
    hedge = _cue_column(["Pretoria's decision risks jeopardising the country's duty-free access.",
                         "The move risked reigniting the feud between the two families.",
                         "The outbreak threatens to drag the region into recession.",
                         "It was a debate that threatened to make or break several campaigns.",
                         "The risks facing the economy are large.", "Such risk taking is common.",
                         "He risked everything on the vote.", "Trump threatened to veto the bill.",
                         "The deployment must have been planned months before the designation.",
                         "She must have had help from inside the ministry.",
                         "Applicants must have a degree.", "Voters must have lived in the state for 30 days.",
                         "Applicants must be at least 21 and must have held a licence for three years.",
                         "The president expressed his hope that the ceasefire will hold.",
                         "The sheriff said he hoped the new policy would win back some trust.",
                         "The shrinking aquifer threatens to leave dozens of farm towns without water.",
                         "He threatened to leave the party.",
                         "Councilwoman Ortiz suggested moving the budget hearing to 7 p.m.",
                         "Trump suggested the election was rigged.", "The figures suggest rising demand.",
                         "Commuters may want to leave the car at home this weekend.",
                         ("Oman is prepared to host as many rounds of indirect talks between Tehran and "
                          "Washington as possible, the minister said.")], "hedge")
    assert (hedge > 0).tolist() == [True, True, True, True, False, False, False, False, True, True, False, False, False,
                                    True, True, True, False, False, True, True, False, False]
    # an epistemic "must" is not a deontic call for action
    assert _cue_column(["He must have known about the payments."], "editorial_deontic")[0] == 0
    loaded = _cue_column(["The council's decision to sell the park is a betrayal of every family in Hackney.",
                          "It was a sham and a charade.", "Labour's explosive new dossier landed on Tuesday.",
                          "Police found explosive devices in the car.", "The trial was a disaster."], "loaded_out")
    assert (loaded > 0).tolist() == [True, True, True, False, False]
    assert _cue_column(["This reflects the wise leadership of the president."], "editorial_out")[0] > 0
    speaks = _cue_column(["Birmingham City Council said bin collections would return to normal within a fortnight.",
                          "The Manhattan District Attorney's Office said in a statement that the landlord had lied.",
                          "Households remain without water, the state's emergency management agency said.",
                          "The Home Office's immigration white paper says care workers will no longer be recruited.",
                          "The city council voted 7-2 to approve the budget.",
                          "He was elected to the city council in 2010."], "channel_speaks")
    assert (speaks > 0).tolist() == [True, True, True, True, False, False]
    attributed = _cue_column(["According to state data, the program now sends $3.9 billion a year to private schools.",
                              "The state data center was closed."], "channel_attributed")
    assert (attributed > 0).tolist() == [True, False]


def test_hedging_look_alikes_from_the_thirty_fifth_sessions_election_and_business_probes():
    """Blind probes of 2016 election and business copy (bench/probes): "possible" after any superlative ("the leanest
    operation possible") and far from its "made" ("made the super PAC's late ad blitz in the Denver and Colorado Springs
    markets possible"), "suggested" before an event it proposes ("suggested a joint rally"; not "suggested a link",
    which hints), and "I believe" before a debt of apology (an opinion, not a hedge) are not hedges; a camp in two places
    is still unnamed ("Some Democrats in Michigan and Wisconsin privately question")."""
    hedge = _cue_column(["Aides said they were running the leanest operation possible in Pennsylvania.",
                         ("A single $1 million check from a Houston oilman made the super PAC's late ad blitz in the "
                          "Denver and Colorado Springs markets possible."),
                         "Sanders suggested a joint rally in Madison the week after the convention.",
                         "The study suggested a link between diet and cancer.",
                         "I believe the council owes every family on Elm Street an apology.",
                         "I think he owes $5,000 in back taxes.",
                         "Some Democrats in Michigan and Wisconsin privately question whether the plan will work.",
                         "Traders in Lagos and Abuja say prices rose."], "hedge")
    assert (hedge > 0).tolist() == [False, False, False, True, False, True, True, False]


def test_state_media_cues_from_the_thirty_fifth_sessions_probes_and_dev_halves():
    """Blind probes of 2016 election and business copy and the dev halves of r59-r64: a state outlet inside an
    attribution phrase ("told state television", which the longest-match scan hid), a titled official's office ("Gov.
    Greg Abbott's office said"; not a senator's), Japan's Chief Cabinet Secretary by name, a headline's source tag
    ("Police: ..."), a ministry's paper that states, a court's spokeswoman, and not: the African Union's and the EU's agencies (Africa CDC, Copernicus, the ECB), closed-circuit
    cameras ("heavy CCTV surveillance"), a body's lawyers ("attorneys for the department said")."""
    cases = ["Iran's exports hit a five-year high, Oil Minister Javad Owji told state television.",
             "Gov. Greg Abbott's office said Friday that Texas would withdraw from the program.",
             "Mayor Bill de Blasio's office said the schools would close.",
             "Sen. Ted Cruz's office said he would vote no.",
             "Chief Cabinet Secretary Yoshimasa Hayashi told reporters that Tokyo was watching the yen.",
             "Police: Dallas Sniper Said He Wanted to Kill White Officers",
             "Africa CDC said the continent had recorded 17,000 suspected cases.",
             "The ECB said rates would stay high.",
             "Last month was the hottest July on record, the EU's Copernicus Climate Change Service said.",
             "Greenwald noted that the embassy is under heavy CCTV surveillance.",
             "CCTV reported that the talks were candid.",
             "Attorneys for the department said this week that they would miss the deadline.",
             "The Home Office's new guidance states that schools must consult parents.",
             "The Home Office's plan was criticised by charities.",
             "Supreme Court spokeswoman Kathy Arberg said the chair had been draped in black."]
    columns = ["outlet_attributed", "channel_gov", "channel_gov", "channel_gov", "channel_speaks", "channel_speaks",
               "channel_speaks", "channel_speaks", "channel_speaks", "outlet", "outlet", "channel_speaks", "channel_speaks",
               "channel_speaks", "channel_speaks"]
    got = [bool(_cue_column([text], column)[0] > 0) for text, column in zip(cases, columns)]
    assert got == [True, True, True, False, True, True, False, False, False, False, True, False, True, False, True]


def test_cues_from_the_thirty_sixth_sessions_dev_halves():
    """The dev halves of r59-r66, read as lists of the bundled model's errors: a spokesperson's owner named right after a
    speech verb or a comma is a non-government owner ("said RNC spokesman Sean Spicer"), but a listed head's name alone
    is not ("Obama spokesman Josh Earnest"), and a statement's speaker after a comma is not guessed (", Ibama said in a
    statement"); a lexicon term written as an acronym is matched ("RINO Senator Jeff Flake"); a body's revision of a
    toll speaks like a declared one ("raised the death toll to 267"; not "raised interest rates"), and so does its own
    paper followed by what it says ("the White House statement that"); a sentiment word capitalised inside a sentence
    is a name's ("the United States", "the Democratic Party"), not an evaluation; the budget office,
    a government's website and the inspector general's short form; the author's "hopefully", odds of an outcome and a
    contracted "not necessarily" hedge."""
    nongov = _cue_column(["The plan was dead, said RNC spokesman Sean Spicer.",
                          "In a statement Thursday, ACME spokesman Jesse Ferguson said the plan was dead.",
                          "The talks were over, said Obama spokesman Josh Earnest.",
                          "The fines followed inspections, Ibama said in a statement.",
                          "An Upjohn spokesman said the drug was safe."], "channel_nongov")
    assert (nongov > 0).tolist() == [True, True, False, False, True]
    loaded = _cue_column(["Of course, RINO Senator Jeff Flake wanted to side with Senate Democrats.",
                          "The ORC poll was released on Monday."], "loaded_out")
    assert (loaded > 0).tolist() == [True, False]
    speaks = _cue_column(["The country's civil protection agency raised the death toll from the disaster to 267.",
                          "The central bank raised interest rates to 5 percent.",
                          "The House IG said the aides had made unauthorized access to data."], "channel_speaks")
    assert (speaks > 0).tolist() == [True, False, True]
    attributed = _cue_column(["Over the long term, according to the budget office, deficits will rise.",
                              "According to the Hungarian Government's website, the ultimatum expired."],
                             "channel_attributed")
    assert (attributed > 0).tolist() == [True, True]
    # a body's own paper right after its name carries what it says; a paper about the body does not
    speaks = _cue_column(["You believe the White House statement that the president is not worried at all.",
                          "Frank cites a White House memo saying as much.",
                          "The preliminary police report, which mentioned the autopsy, was released in May.",
                          "The senators wrote a report on the FBI that found problems."], "channel_speaks")
    assert (speaks > 0).tolist() == [True, True, True, False]
    # a sentiment word capitalised inside a sentence is a name's; in a title-case headline it still counts
    valence = _cue_column(["The United States and the Democratic Party backed the Affordable Care Act.",
                           "United, the party backed the act.", "Trump Has A Brilliant Night In Nevada Caucus",
                           "The party won a great victory."], "valence")
    assert (valence > 0).tolist() == [False, True, True, True]
    hedge = _cue_column(["Term limits are hopefully coming down the road.",
                         "It's good odds that it began with the aides.",
                         "The threat isn't necessarily hidden.",
                         "The company is on track to meet its targets.",
                         "The threat is hidden."], "hedge")
    assert (hedge > 0).tolist() == [True, True, True, True, False]


def test_cues_from_the_thirty_seventh_sessions_dev_halves():
    """The dev halves of r59-r67, read as lists of the bundled model's errors: a label an unnamed collective gives is vague
    attribution ("a bill that critics called anti-gay"), a demand it makes is not ("critics called for"); VADER's words
    for reported events and for what people say or do about a cause ("killed", "won", "argued", "support") are no
    evaluation, so they leave the valence cue; and the session's loaded terms and hedges."""
    hedge = _cue_column(["For 39 hours they fought a religious-freedom bill that critics called anti-gay.",
                         "Critics have dubbed it the Frankenstein bill.",
                         "Critics called for his resignation.",
                         "Experts call on the government to act."], "hedge_weasel")
    assert (hedge > 0).tolist() == [True, True, False, False]
    valence = _cue_column(["Two soldiers were killed and the rebels won the vote.",
                           "Sanders argued that supporters of the plan would help.",
                           "It was a brilliant and shameful campaign."], "valence")
    assert (valence > 0).tolist() == [False, False, True]
    loaded = _cue_column(["Sessions is a weak sister.", "Trump quietly builds a data juggernaut.",
                          "Black leaders have gotten away with playing that game.", "The juggernaut was a truck."],
                         "loaded_out")
    assert (loaded > 0).tolist() == [True, False, False, False]  # the last three are the ambiguous tier's
    ambiguous = _cue_column(["Trump quietly builds a data juggernaut.",
                             "Black leaders have gotten away with playing that game."], "loaded_ambiguous")
    assert (ambiguous > 0).all()
    hedge = _cue_column(["A win for Cruz would go a long way in complicating Trump's hopes.",
                         "Clinton's standing among Latinos looks to be weakening.",
                         "The two candidates are tied, the new poll indicates.",
                         "Both candidates have faced questions about their health.",
                         "There's an uncertainty whether he can raise money.",
                         "Senators raised the specter of ugly jockeying for delegate slots.",
                         "Both candidates answered questions about their health."], "hedge")
    assert (hedge > 0).tolist() == [True, True, True, True, True, True, False]


def test_a_should_of_a_condition_or_an_embedded_question_demands_nothing():
    """Codebook (editorializing): the author's demand is editorializing; a "should" that opens a conditional clause
    ("should she be the nominee") or stands in an embedded question ("debate about whether ... should be expanded")
    demands nothing, so it leaves the deontic column; a plain "should", a question and a title-case headline keep it."""
    deontic = _cue_column(["It triggered debate about whether statutes of limitations should be expanded.",
                           "Maddow asked whether she would consider a woman as a running mate should she be the nominee.",
                           "Should Mr. Trump get trounced in South Florida, he might be hard-pressed.",
                           "The group sent the mayor information on what employers should do in case of a raid.",
                           "Congress should act now.", "What we should do is raise taxes.",
                           "The World Cup Should Not Be a Reward for Sportswashing Despots"], "editorial_deontic")
    assert (deontic > 0).tolist() == [False, False, False, False, True, True, True]


def test_a_counterfactual_conditional_is_a_hedge():
    """Codebook (hedging, YES): the consequence of a hypothetical event, judged with would, could or might. A
    subjunctive "if" clause ("if ... were", "if ... had") and the consequence's modal, in either order, make the modal
    a hedge cue whose span is the modal; "as if", a reported future without a subjunctive ("if elected he would") and
    "would ... only if ..." (an intention) do not."""
    from framing.cues import counterfactual_spans

    def spans(t):
        return [t[a:b] for a, b in counterfactual_spans(t)]

    assert spans("If she were a man, she'd get 5 percent.") == ["'d"]
    assert spans("Still, if you were betting today, you would bet on Rubio.") == ["would"]
    assert spans("If he were smart, he wouldn’t run.") == ["wouldn’t"]
    assert spans("Clinton already would have won if there were no superdelegates.") == ["would"]
    assert spans("She would be the frontrunner if she were a man.") == ["would"]
    for t in ("They acted as if they had won, and would celebrate.", "He said if elected he would cut taxes.",
              "It would take 3,500 students if it had the room.", "It would jump in only if a candidate were able to win.",
              "If the ban is upheld, he will miss the Games."):
        assert spans(t) == [], t
    hedge = _cue_column(["If she were a man, she'd get 5 percent.", "He said if elected he would cut taxes.",
                         "If she were a man, she would perhaps get 5 percent."], "hedge")
    assert hedge[0] > 0 and hedge[1] == 0 and hedge[2] > 0
    got = get_matcher().match(["Still, if you were betting today, you would bet on Rubio."])[0]
    assert [(m.text, m.start) for m in got if m.kind == "hedge_modal"] == [("would", 38)]


def test_state_media_fixes_from_the_thirty_eighth_sessions_geopolitical_probes():
    """Blind probes of international conflict and diplomacy copy (thirty-eighth session): a body that puts a long-named
    figure at a number states it ("put the number of people evacuated from the border district at"); a video a body
    posts is its release, like one it releases; the annual address to the Federal Assembly is a head's formal address;
    a body set off by a relative clause still speaks ("the Foreign Ministry, which oversees the talks, said"); the body
    a speaker chairs or heads does not speak through him (codebook: an official identified by a body is an official);
    a zone a military declares closed is an action, not a statement (codebook: a declaration that is a legal act)."""
    _flags("channel_speaks", {
        "Russia's Emergency Situations Ministry put the number of people evacuated from the border district at about "
        "12,000.": True,
        "Russia's Foreign Ministry, which oversees the talks, said on Telegram that the sanctions would fail.": True,
        "The Pentagon, which critics say is bloated, has a budget of $800 billion.": False,
        "Leonid Slutsky, who chairs the State Duma's foreign affairs committee, wrote on Telegram that the sanctions "
        "would fail.": False,
        "The Israeli military declared a closed military zone around the border town of Metula on Tuesday.": False,
        "The health ministry declared the outbreak over on Friday.": True,
        "A video posted by the Russian Defence Ministry showed a drone hitting a tank.": True,
        "A video posted by a Ukrainian soldier showed the tank burning.": False})
    _flags("channel_gov", {
        "In his annual address to the Federal Assembly, Vladimir Putin warned of a real risk of nuclear conflict.": True,
        "A video posted by a Ukrainian soldier showed the tank burning.": False})


def test_hedging_fixes_from_the_thirty_eighth_sessions_geopolitical_probes():
    """Blind probes of geopolitical copy (thirty-eighth session). Hedges: "alleges" before a clause without "that"; an
    unnamed part of a place or body ("some in Brussels quietly question", the codebook's "as many in Congress have
    urged"); a stated hope with its own subject ("he hoped his troops would"). Not hedges (codebook NO): a result set
    against a forecast with words between ("fell short of the finance ministry's forecasts"), a vague attribution cited
    only to be corrected ("contrary to what critics had warned"), and "appear" of being present ("did not appear at the
    summit"), while "did not appear to be" still hedges."""
    _flags("hedge", {
        "Kyiv alleges the artillery shells were routed to Russia through a firm in the Emirates.": True,
        "Some in Brussels quietly question whether the accession timetable was ever realistic.": True,
        "As many in Congress have urged, the bill passed.": True,
        "Many in the crowd cheered.": False,
        "The Lebanese army commander said he hoped his troops would be able to deploy within sixty days.": True,
        "She hopes for a deal by Friday.": False,
        "Russian oil export revenues fell short of the finance ministry's forecasts for a third straight month.": False,
        "Contrary to what critics in Brussels had warned, the presidency did not block a single renewal.": False,
        "The Argentine president did not appear at the summit's closing session.": False,
        "It did not appear to be a coincidence.": True})
    # a forecast after "I think" is the speaker's belief (hedging), not a prediction stated as certain
    _flags("editorial_prediction", {
        "Having watched three truces collapse, I think this ceasefire will not survive the winter.": False,
        "This ceasefire will not survive the winter.": True,
        "I think the war will end. It will not.": True})


def test_first_character_gates_keep_the_patterns_matches():
    """The look-aheads put in front of the reporting-verb, portraying-verb and listed-names patterns (thirty-ninth
    session, for speed) only skip positions where no alternative can start: each verb the patterns spell out, in a
    sentence of its own and capitalised, and the names that start in lower case or with a letter outside A-Z, match
    as they do without the gate."""
    import re

    from framing import cues

    for rx, gate in ((cues._REPORTING_RE, "(?:(?=[a-einprstw])|(?<=what[ \\t])|(?<=which[ \\t]))"),
                     (cues._PORTRAYING_RE, "(?=[abcdhlmprstv])")):
        assert rx.pattern.startswith(gate)
        plain = re.compile(rx.pattern[len(gate):], rx.flags)
        # every word the pattern spells out, as the verb of a sentence that completes any branch it opens
        words = sorted(set(re.findall(r"[a-z]{3,}", rx.pattern[len(gate):])))
        assert len(words) > 40
        for w in words:
            for s in (f"Critics {w} that the deal, which they {w} as a trick, was compared to a bribe with care.",
                      f"{w.capitalize()} him as a fraud, the paper said.", f"That is what Moscow {w} a provocation.",
                      f"It is a drill which Moscow {w} a provocation."):
                assert [m.span() for m in rx.finditer(s)] == [m.span() for m in plain.finditer(s)], (w, s)
    names = cues._owner_names()
    plain = re.compile(re.sub(r"\(\?=\[[^\]]*\]\)", "", names.pattern, count=1))
    assert plain.pattern != names.pattern
    for s in ("De Klerk said in a statement.", "de Klerk said in a statement.", "El-Sisi and el-Sissi met Erdoğan.",
              "Putin told a news conference that Lavrov and Shoigu would travel.", "Ivanka Trump tweeted."):
        assert [m.span() for m in names.finditer(s)] == [m.span() for m in plain.finditer(s)], s
    assert names.search("de Klerk said in a statement.") is not None


def test_batch_line_table_finds_the_lines_a_scan_per_word_finds():
    """On a batch (a long text of sentences joined by line breaks) _lines_with looks every rule's words up in one
    automaton pass and keeps the table for the batch; the lines must be those a scan per word finds, for words that
    overlap ("report" in "reports"), end in a space ("if "), hold a hyphen ("-owned "), start a line, end the text, or
    are not there at all, and a new batch must not read the last one's table."""
    from framing import cues

    sents = ["The reports said the deal was off.", "If the state-owned bank fails, if it does, who pays?",
             "She hopes for a report by Friday.", "Nothing here.", "the pro-Kremlin, state-owned channel said", "if"]
    words = ("report", "reports", "if ", "-owned ", "said", "hope", "if", "zzz", "channel said")

    def scan(low, ws):
        return sorted({low.rfind("\n", 0, k) + 1 for w in ws for k in range(len(low)) if low.startswith(w, k)})

    for n in (1, 400, 1200):  # a short text takes the scan; the long ones the table
        low = "\n".join(sents * n).lower()
        for ws in (words, words[:2], ("zzz",), ("if ",), words[::-1]):
            assert cues._lines_with(low, ws) == scan(low, ws), (n, ws)
    other = "\n".join(["Nothing said here."] * 3000).lower()
    assert cues._lines_with(other, ("report",)) == [] and cues._lines_with(other, ("said",)) == scan(other, ("said",))


def test_local_and_regional_government_bodies_speak_and_their_look_alikes_do_not():
    """From the forty-second session's blind probes of local copy (v0130 missed 30 of 50 YES rows in the first set): a
    police force that speaks "in a statement" (one listed phrase, so the verb was never at its end), police commands
    and services, coroners' and medical examiners' offices, disease-control, weather, disaster and fire agencies by
    their own names, a body's acronym right after its name, the rest of a ministry's name after "and", a body that
    shares pictures, a central bank's rate committee. Not an official "with" a department, a councillor on a council,
    a former spokesperson, a charity whose name holds "army", nor a body sharing concerns."""
    speaks = ["Delhi Police said in a statement that the accused had used a rented flat.",
              "Police Scotland said officers were called to a flat in Dundee.",
              "The Kano State Police Command said two farmers had been rescued.",
              "The Cook County Medical Examiner's Office said the man died of gunshot wounds.",
              "The Nigeria Centre for Disease Control said 147 suspected cholera deaths had been recorded.",
              "PAGASA said the tropical depression had strengthened into a storm.",
              "The death toll rose to 5,894, the country's disaster management authority AFAD said.",
              "Exports doubled, the Taliban-run Ministry of Commerce and Industry said on Saturday.",
              "Toronto Police Service shared surveillance images of a man it says robbed four pharmacies.",
              "The Bank of Ghana's Monetary Policy Committee said price pressures had eased.",
              "Cal Fire said the blaze had burned 2,300 acres.",
              "Soldiers killed four rebels in a clash on Tuesday, the Armed Forces of the Philippines said.",
              "Prices rose 2.8 percent in October, data from the internal affairs ministry showed on Friday.",
              "Algeria's civil protection agency put the death toll from the wildfires at 34 on Tuesday.",
              "The Kenya Defence Forces brushed aside reports that a base had been overrun."]
    silent = ["An official with the state Department of Transportation said the bridge would reopen.",
              "Ana Ribeiro, an opposition councillor on Porto city council, said the tender had been rushed.",
              "Former police spokesman Jean-Pierre Kabore said the force had been stretched thin.",
              "The Salvation Army said it had served 2,000 hot meals.",
              "A spokesperson for the Baloch Liberation Army claimed responsibility for the attack.",
              "The ministry shared the concerns of the families."]
    got = _cue_column(speaks + silent, "channel_speaks")
    assert (got[:len(speaks)] > 0).all() and (got[len(speaks):] == 0).all(), got
    # a government word inside a listed non-government name owns no statement ("The New People's Army", an armed
    # group), and "state-run" before a hospital or a company is no outlet
    gov = _cue_column(["The New People's Army said in a statement that its fighters had ambushed a patrol.",
                       "The army said in a statement that its soldiers had ambushed a patrol."], "channel_gov")
    assert (gov > 0).tolist() == [False, True]
    outlet = _cue_column(["The state-run Hospital de Clinicas said 14 of the injured remained in intensive care.",
                          "The state-run news agency said 14 of the injured remained in intensive care."],
                         "outlet_attributed")
    assert (outlet > 0).tolist() == [False, True]



def test_an_outlet_qualifier_before_a_company_describes_the_company():
    """Codebook: a state-owned company speaks for itself. "State-run" or "state-controlled" before a company noun
    ("the state-run oil giant"), a name ending in a company's head word ("State-run Oil and Natural Gas Corporation")
    or a company the non-government list names ("state-controlled Gazprom") is the company's description, and the
    company a non-government speaker; before an outlet's name, a media word or an unknown name it is still an outlet's
    ("State-run KCNA said", "the state-run China Media Group said", "state-run Al-Thawra said")."""
    from framing.cues import qualified_company_spans

    companies = ["State-run Oil and Natural Gas Corporation said in a stock exchange filing that output fell 3%.",
                 "State-controlled Gazprom said gas flows through the pipeline would resume on Monday.",
                 "The state-run oil giant said output fell.",
                 "State-run lender VTB said profits rose 12 percent.",
                 "Kazatomprom, the state-controlled uranium miner, said production would fall short of guidance."]
    outlets = ["State-run KCNA said the launch was a success.",
               "The state-run China Media Group said the gala drew a record audience.",
               "State-run Al-Thawra said the talks had failed.",
               "State-run media said the talks had failed."]
    found = [bool(qualified_company_spans(t)) for t in companies + outlets]
    assert found == [True, False, True, True, True] + [False] * 4
    attributed = _cue_column(companies + outlets, "outlet_attributed")
    assert (attributed[:len(companies)] == 0).all() and (attributed[len(companies):] > 0).all(), attributed
    nongov = _cue_column(companies, "channel_nongov") + _cue_column(companies, "nongov_speaker")
    assert (nongov > 0).all(), nongov


def test_a_regional_heads_title_after_a_possessive_and_a_post_opening_the_sentence_are_a_governments():
    """A governor's, mayor's or chief minister's title after a possessive is a government's ("Chicago's mayor said in a
    statement"; a company's president is not), as are a post opening the sentence ("Writing on X, Governor Kathy
    Hochul said"), a post "on social media", and a district attorney at a news conference (the non-government
    "attorney" no longer takes the title). Not a singer's post, being "called out on social media", nor a lawyer's
    news conference."""
    gov = ["Chicago's mayor said in a statement that the parade would go ahead.",
           "California's governor said in a statement that the parade would go ahead.",
           "District Attorney Rachel Moyer told a news conference that her office would not seek the death penalty.",
           "Writing on X, Governor Kathy Hochul said National Guard units were being sent.",
           "Assam's chief minister wrote on X that 21 districts were under water.",
           "Premier Janet Kowalski posted on social media that the province would cover hotel costs."]
    other = ["Ford's president said in a statement that sales were up.",
             "Writing on X, the singer said she was recovering.",
             "President Donald Trump is getting called out on social media after posing with a Bible.",
             "Her lawyer, attorney John Smith, told a news conference that she would appeal."]
    got = _cue_column(gov + other, "channel_gov")
    assert (got[:len(gov)] > 0).all() and (got[len(gov):] == 0).all(), got


def test_beliefs_before_what_should_be_done_and_the_writers_own_opinion():
    """A named speaker's belief before a deontic clause is no hedge ("Secretary Clinton believes that American
    businesses need to break free"); before a forecast or a fact, even one with an evaluative word in it, it stays
    one. The writer's own "I think" before an opinion, outside quotation marks, is an editorial cue (codebook: "I
    think the families deserved better"); quoted, or a third person's, it is not."""
    opinions = ["Secretary Clinton believes that American businesses need to break free from the earnings report.",
                "He thinks the party should nominate a governor."]
    beliefs = ["Clinton believes that the economy will recover next year.",
               "She thinks Trump appeals to them because of the terrible anxiety they feel."]
    assert (_cue_column(opinions, "not_hedge") > 0).all() and (_cue_column(beliefs, "not_hedge") == 0).all()
    assert (_cue_column(beliefs, "hedge") > 0).all()
    editorial = _cue_column(["I think the hospital board owes every one of us an apology.",
                             "Beijing's Charm Offensive in the Pacific Is Failing",
                             '"I think we need more nurses on the wards," she said.',
                             "He thinks the board owes every one of us an apology."], "editorial_out")
    assert (editorial > 0).tolist() == [True, True, False, False]


def test_reported_speech_runs_on_into_a_list_and_names_holding_a_loaded_word_are_names():
    """A reported clause runs on into a list after a comma ("say the reform is overdue, underfunded and unworkable"),
    not into a clause of its own (", and the regime jailed its leaders"); "which Ankara calls FETO" is the speaker's
    name like "what they call"; "call X a ..." allows four words before the "a". Proper names that hold a loaded word
    (the Daily Beast, the People's Liberation Army, a Spitting Image puppet) are not the author's; "Mercifully" is."""
    from framing.cues import reported_speech_spans

    def inside(sent: str, word: str) -> bool:
        return any(a <= sent.index(word) < b for a, b in reported_speech_spans(sent))

    assert inside("Critics say the reform is overdue, underfunded and unworkable in its current form.", "unworkable")
    assert inside("They said the law was draconian, unfair, and cruel.", "cruel")
    assert not inside("The ministry said the march was illegal, and the regime jailed its leaders.", "regime")
    assert not inside("He said the vote was rigged, but officials denied it.", "officials")
    assert inside("Turkey blames the network of Fethullah Gulen, which Ankara calls FETO and lists as a terrorist "
                  "organization.", "FETO")
    assert inside("Critics call the Brisbane stadium deal a giveaway to developers.", "giveaway")
    # a speech tag set off by commas wraps the speaker's words; after a closing quotation mark what follows the tag
    # is the author's (quotes-blind probes)
    assert inside("They would rightly object, he said, if they lived in a dangerous place.", "dangerous")
    assert not inside("``We are not afraid,'' said Halima Yusuf, 34, whose husband was taken by the junta's thugs.",
                      "thugs")
    assert not inside("'It's a miracle,' said a rescuer in Kharkiv, where Russia's barbaric strike hit a hospital.",
                      "barbaric")
    loaded = _cue_column(["He was profiled in the Daily Beast last year.",
                          "The People's Liberation Army held drills near the island.",
                          "A Spitting Image puppet of a former prime minister sold for £12,000.",
                          "Mercifully, the council dropped its plan to close the library."], "loaded_out")
    assert (loaded > 0).tolist() == [False, False, False, True]


def test_headlines_read_their_verbs_and_source_tags_as_body_copy_does():
    """Blind headline probes (forty-fourth session): a title-case headline's verbs are read lower-cased ("NASA Says"),
    a headline's present tense speaks ("White House Blasts", "Ministry Declares"), and a source tag after the body's
    place or owner attributes ("Gaza health ministry: ...", "Xinhua: ..."); evidence shows the words as written."""
    from framing.cues import CUE_FEATURES, cue_features, headline_lowercased, match_as_read

    yes = ["Russian Defence Ministry Says Air Defences Downed 41 Drones Over Bryansk Overnight",
           "NASA Says Artemis II Crewed Lunar Flyby Slips to April",
           "White House Blasts Senate Republicans Over Stalled Disaster Aid Bill",
           "Uganda's Health Ministry Declares Ebola Outbreak in Kampala",
           "Kenya's Interior Ministry puts protest death toll at 19",
           "Gaza health ministry: death toll passes 40,000",
           "South Korea's Joint Chiefs: North fired two short-range ballistic missiles into sea",
           "Xinhua: China's summer grain output hits record high",
           "Pensioner, 84, knifed for £20 at bus stop, say police"]
    no = ["Biden on Pentagon: 'We will act'", "Trump Says He Will Win",
          "Police declare riot as protesters storm the port"]
    read, ms = match_as_read(yes + no)
    X = cue_features(read, ms)
    speaks = X[:, CUE_FEATURES.index("channel_speaks")] + X[:, CUE_FEATURES.index("outlet_attributed")]
    assert (speaks[:len(yes)] > 0).all() and (speaks[len(yes):] == 0).all()
    assert read[0] == "Russian Defence Ministry says Air Defences Downed 41 Drones over Bryansk Overnight"
    assert [m.text for m in ms[0] if m.kind == "attribution"] == ["Says"]  # as written
    assert headline_lowercased(["The ministry said so.", "State Department Says"])[0] == "The ministry said so."
    assert headline_lowercased(["State Department Says Visa Rules"]) == ["State Department says Visa Rules"]


def test_could_not_of_an_inability_is_no_hedge_unless_it_leaves_a_claim_open():
    from framing.cues import CUE_FEATURES, cue_features, match_as_read

    texts = ["Independents could not vote in the closed primaries.", "Rescuers Could Not Reach Stranded Climbers",
             "Edwards said they couldn't support Clinton.", "Foul play could not be ruled out.",
             "Police could not rule out foul play.", "He could not determine whether the students had intent."]
    read, ms = match_as_read(texts)
    X = cue_features(read, ms)
    hedged = X[:, CUE_FEATURES.index("hedge")] > 0
    assert hedged.tolist() == [False, False, False, True, True, True]


def test_beat_copy_probes_appositives_penalties_and_technical_terms():
    """Blind probes of beat copy (forty-fifth session): an appositive between a body and its speech verb keeps the body
    speaking unless it calls the body independent; a penalty with a modal of possibility is a hedge (codebook: "he
    may face up to 20 years if convicted"), "a previously unknown group" is not; "points out that" reports the
    speaker's reading; technical or trade terms holding a loaded word are not the author's; "far too" is a verdict."""
    from framing.cues import reported_speech_spans

    column = _cue_column  # (and each checked against the reference features)
    speaks = column(["Ofsted, the government's schools inspectorate, said leaders had failed to act.",
                     "The agency, which runs the camps, said 120 people had been rescued.",
                     "The Human Rights Commission of Pakistan, an independent watchdog, said 40 people were missing.",
                     "Police, the mayor said, were late."], "channel_speaks")
    assert (speaks > 0).tolist() == [True, True, False, False]
    hedged = column(["The former administrator could face up to 10 years in prison if convicted.",
                     "If convicted, the suspects face up to seven years in prison.",
                     "A previously unknown group claimed responsibility for the attack."], "hedge")
    assert (hedged > 0).tolist() == [True, False, False]
    loaded = column(["More than 40,000 chickens were slaughtered at three farms after bird flu was detected.",
                     "The dictator game is a standard tool in behavioural economics.",
                     "The state puppet theatre will stage Pinocchio next season.",
                     "The death-trap highway claimed nine more lives on Sunday."], "loaded_out")
    assert (loaded > 0).tolist() == [False, False, False, False]
    assert column(["The death-trap highway claimed nine more lives on Sunday."], "loaded_ambiguous")[0] > 0
    assert column(["The zoo's new enclosure is still far too small for elephants."], "editorial_out")[0] > 0
    pointed = "Former detective Ruth Amankwah points out that the investigation was botched from the start."
    assert any(a <= pointed.index("botched") < b for a, b in reported_speech_spans(pointed))


def test_a_ledes_dateline_place_is_not_a_transcript_speakers_tag():
    """South Asian, African and Gulf copy opens its ledes with a place in capitals and a colon ("CHANDIGARH: ...");
    unlike a transcript speaker's tag ("PENCE: Well, ...") it leaves the lede the author's own (a blind probe of beat
    copy read "CHANDIGARH: Farmers ... will inevitably bear the cost" as quoted and missed its verdict)."""
    from framing.cues import quote_spans, speaker_tag_end

    for lede in ["CHANDIGARH: Farmers in Punjab will inevitably bear the cost of the new groundwater rules.",
                 "PORT HARCOURT: Gunmen attacked a police station on Sunday.", "KARACHI: The city's thugs struck again.",
                 "CAPE TOWN: The water crisis is far worse than the council admits."]:
        assert speaker_tag_end(lede) == 0 and quote_spans(lede) == [], lede
    assert speaker_tag_end("PENCE: Well, I think so.") == 7
    assert _cue_column(["CHANDIGARH: Farmers in Punjab will inevitably bear the cost of the new rules."],
                       "editorial_out")[0] > 0


def test_house_style_probes_quoting_sources_verified_handles_and_state_house():
    """Blind probes of South Asian, African and Gulf house style (forty-fifth session): a body's sources set off by
    commas keep it speaking ("The Interior Ministry, quoting eyewitnesses, said"), a head's post "on his verified X
    handle" is the head's channel, and a State House spokesperson speaks for the presidency."""
    texts = ["The Interior Ministry, quoting eyewitnesses, said the driver had lost control of the bus.",
             "Lagos State Governor Babajide Sanwo-Olu, in a post on his verified X handle, said the bridge would shut.",
             "The State House Spokesperson told a press briefing that the president would travel on Friday.",
             "Police, quoting the mayor, were late.",
             "Governor Kathy Hochul, who attended the game, said the team was great."]
    col = {c: _cue_column(texts, c) for c in ("channel_speaks", "channel_gov", "channel_attributed")}
    assert (col["channel_speaks"] > 0).tolist() == [True, False, False, False, False]
    assert (col["channel_gov"] > 0).tolist() == [False, True, False, False, False]  # a head's own post
    assert (col["channel_attributed"] > 0).tolist() == [True, False, True, False, False]


def test_formats_probes_may_before_a_finite_verb_call_it_and_hyphenated_addresses():
    """Blind probes of live blogs, fact-checks and explainers (forty-fifth session): "May" before a verb the modal never
    takes is a name or the month ("Brian May performs"), not before a base form ("may focus", "may need"); a
    speaker's word for something without an article is theirs ("opponents call it cruel"); "point out that" reports;
    a formal address hyphenated as a modifier is a channel; a body "puts the number above" a figure."""
    from framing.cues import month_or_name_may_spans, reported_speech_spans

    assert month_or_name_may_spans("Brian May performs with Queen at the O2 Arena in London.") != []
    for modal in ["Investors may focus on the bond market.", "Officials may need more time.",
                  "The vote may proceed as planned.", "The board may always change its mind.",
                  "Rates may perhaps rise."]:
        assert month_or_name_may_spans(modal) == [], modal
    called = "Opponents call it cruel and unworkable."
    assert any(a <= called.index("cruel") < b for a, b in reported_speech_spans(called))
    assert reported_speech_spans("They called it quits after a decade.") == []
    pointed = "Housing campaigners point out that the scheme is a giveaway to developers."
    assert any(a <= pointed.index("giveaway") < b for a, b in reported_speech_spans(pointed))
    speaks = _cue_column(["In his state-of-the-nation address, the president said the government would ban gaming.",
                          "Turkey's disaster agency AFAD put the number of aftershocks above 400 by Tuesday."],
                         "channel_attributed") + _cue_column(
        ["In his state-of-the-nation address, the president said the government would ban gaming.",
         "Turkey's disaster agency AFAD put the number of aftershocks above 400 by Tuesday."], "channel_speaks")
    assert (speaks > 0).all()


def test_state_agency_dateline_credits_in_each_house_style():
    """Blind probes of state-media English copy (forty-fifth session): an agency credits its copy in brackets before a
    dash ("(Xinhua) --"), between slashes (TASS: "MOSCOW, December 26. /TASS/.") or after the place and a comma (SANA:
    "Damascus, SANA-"); each is a dateline credit naming the outlet. An outlet named after a comma in the middle of a
    sentence is no dateline."""
    from framing.cues import get_matcher

    texts = ["MOSCOW, December 26. /TASS/. The Western sanctions have failed to bring the economy to its knees.",
             "Damascus, SANA- The army has foiled yet another conspiracy targeting the homeland.",
             "BEIJING, May 3 (Xinhua) -- China's exports rose 8 percent in April.",
             "The price rose to $40, Xinhua - the agency - reported."]
    credits = [[m.outlet.name for m in ms if m.kind == "dateline_credit"] for ms in get_matcher().match(texts)]
    assert credits == [["TASS"], ["SANA"], ["Xinhua"], []]


def test_editorial_cues_in_reported_speech_and_results_against_forecasts():
    """An editorial cue in attributed indirect speech counts in editorial_reported as well as editorial_out (the codebook
    gives an attributed verdict to its speaker), not one in the author's clause or inside quotation marks; and a result
    placed against forecasts ("ahead of Wall Street forecasts", "well above economists' forecasts") is no hedge
    (blind probes of markets copy, forty-fifth session)."""
    from framing.cues import _cue_features_reference, cue_features, match_as_read

    texts = ["Critics say the plan is a waste of money.", "The plan has been criticised as a lazy cash grab.",
             "The plan is a waste of money.", '"It is a waste of money," he said.']
    reported = _cue_column(texts, "editorial_reported")
    assert (reported > 0).tolist() == [True, True, False, False]
    assert (_cue_column(texts, "editorial_out") > 0).tolist() == [True, True, True, False]
    read, ms = match_as_read(texts)
    assert np.array_equal(cue_features(read, ms), _cue_features_reference(read, ms))
    hedged = _cue_column(["The company reported revenue of $89.5 billion, ahead of Wall Street forecasts.",
                          "Payrolls rose by 303,000, well above economists' forecasts, the bureau said.",
                          "Output could fall below forecasts next year."], "hedge")
    assert (hedged > 0).tolist() == [False, False, True]
