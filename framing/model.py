"""The framing classifier: one calibrated linear model per label over quote-aware n-grams and cues.

No file I/O here (see ``registry.py``). The estimator follows scikit-learn's contract: ``__init__``
only stores parameters, learned state ends in ``_``, ``get_params``/``clone`` work.

Scoring needs no scikit-learn: it is imported where a model is fitted, and by ``FramingClassifier``'s
bases when the name is first used (this module's ``__getattr__``). A fitted model unpickled for scoring
only (``registry.load_bundle(light=True)``) is a :class:`LoadedFramingClassifier`, the same code over the
same learned state, without the ~1.4 s import of scikit-learn (and scipy.stats) that every ``framing
score`` run otherwise spent before its workers could start.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from itertools import pairwise, repeat
from operator import itemgetter

import numpy as np
import scipy.sparse as sp

from .cues import (
    CUE_FEATURES,
    EDITORIAL_GROUPS,
    LOADED_GROUPS,
    Match,
    batch_quote_spans,
    channel_owner,
    country_near,
    cue_features,
    get_matcher,
    head_post_country,
    head_post_owner,
    in_spans,
    institution_label,
    lowered,
    match_as_read,
    may_quote,
    quote_spans,
)

# Tokens: r"\w+(?:['’-]\w+)*" written with possessive quantifiers, which find the same matches (no [\w]
# run can give back a character that ['’-] would take, and nothing follows the last group) with less
# backtracking bookkeeping: about a quarter faster per scan; a test compares the two patterns
_TOKEN_RE = re.compile(r"\w++(?:['’-]\w++)*+")
_DIGIT_RE = re.compile(r"\d")
_NUMBER_RE = re.compile(r"(?:q_)?0+")
_MIN_EVIDENCE_WEIGHT = 0.02  # contributions below this explain nothing an editor could check
_RELATIVE_EVIDENCE_WEIGHT = 0.25  # and so do those under a quarter of the strongest one
# Function words that carry no meaning an editor could check. Deliberately not scikit-learn's stop-word
# list: that one contains "may", "could", "might", "should", which are exactly the evidence for hedging.
_FUNCTION_WORDS = frozenset("""a an the and or but nor of to in on at by for from with as into onto than that this these
those there here it its it's is are was were be been being has have had do does did he she they them his her their
we us our you your i me my which who whom whose what when where while if then so not no also just about over after
before between against during without within through up down out off again further once s 's""".split())  # noqa: SIM905


def _informative(ngram: str) -> bool:
    """False for n-grams made only of function words ("the", "to the"): true but useless as evidence."""
    return any(t.removeprefix("q_") not in _FUNCTION_WORDS for t in ngram.split())


# The cue families each known label may use. Word n-grams are shared by all labels; a label the codebook
# adds later sees every cue. Without this, e.g. loaded_language learns "a state outlet's dateline" as a
# shortcut (state media copy in the training data is often loaded), which is not what the label means.
_SHARED_CUES = {"quote_share", "has_quote", "question"}
# Unicode spaces -> " " (same length; not the zero-width space, which may sit inside a word); the pattern is searched
# only in non-ASCII text and replaces only where it finds one (0.8 µs a sentence; str.translate, which walks every
# character, took 7.8)
_UNICODE_SPACE_RE = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")


def _plain_spaces(t: str) -> str:
    return t if t.isascii() or _UNICODE_SPACE_RE.search(t) is None else _UNICODE_SPACE_RE.sub(" ", t)


# The cue columns of models saved before ``cue_names_`` was recorded (framing 0.1 bundles).
_CUE_FEATURES_V1 = [c for c in CUE_FEATURES if c not in ("nongov_speaker", "channel_gov", "channel_nongov", "channel_speaks",
                                                         "channel_mention", "channel_unowned",
                                                         "editorial_stance_adverb", "loaded_ambiguous", "loaded_reported",
                                                         "subjective", "valence", "editorial_reported")]
_LOADED_GROUP_CUES = frozenset(f"loaded_{g}" for g in LOADED_GROUPS)  # the loaded lexicon's group columns
LABEL_CUES = {
    "state_media": _SHARED_CUES | {"outlet", "state_generic", "channel", "attribution", "outlet_attributed",
                                   "channel_attributed", "dateline_credit", "independent_outlet", "nongov_speaker",
                                   "unattributed", "channel_gov", "channel_nongov", "channel_speaks",
                                   "channel_mention", "channel_unowned"},
    "loaded_language": _SHARED_CUES | {"loaded_out", "loaded_in", "loaded_reported", "first_person_plural"} | _LOADED_GROUP_CUES,
    "hedging": _SHARED_CUES | {"hedge", "hedge_modal", "hedge_adverb", "hedge_verb", "hedge_weasel",
                               "hedge_distancing", "hedge_outlook", "not_hedge", "attribution"},
    # editorializing also reads the loaded lexicon's groups, its ambiguous tier among them: evaluative words such as
    # "bogus", "dubious" or "misleading" live there (thirtieth session: editorializing F1 and average precision up on
    # every real-news subset, bench/RESULTS.md); and VADER's strong-valence words (thirty-first session: editorializing
    # F1 up on every real-news subset; loaded language reading them lost on the r1-r16 test halves)
    "editorializing": _SHARED_CUES | {"editorial_out", *(f"editorial_{g}" for g in EDITORIAL_GROUPS), "loaded_out", "loaded_reported",
                                      "editorial_reported",
                                      "subjective", "valence", "hedge", "attribution", "unattributed", "first_person_plural"} | _LOADED_GROUP_CUES,
}


# Labels whose meaning is in content words: n-grams made only of function words ("to the", "it is") carry
# nothing but the style of the training copy for them (function_ngrams="auto").
LEXICAL_LABELS = frozenset({"loaded_language"})


_first = itemgetter(0)
_fourth = itemgetter(3)
# tables a fitted model builds on first use, neither saved nor kept across fits
_CACHES = ("_explain_cache", "_token_cache", "_coef_cache", "_cue_evidence_cache")


def _possessive(name: str) -> str:
    """The possessive of an owner's name: "governor" -> "governor's", "Reuters" -> "Reuters'"."""
    return f"{name}'" + ("" if name.endswith("s") else "s")


def _span_order(ev: dict) -> tuple[int, int]:
    return ev["start"], -ev["end"]


def _minus_weight(ev: dict) -> float:
    return -ev["weight"]


def _merge_evidence(cands: list[dict], text: str) -> list[dict]:
    """Merge overlapping evidence spans into their union (a named cue wins over "ngram"); sort by weight."""
    merged: list[dict] = []
    last = None
    for ev in sorted(cands, key=_span_order):
        if last is not None and ev["start"] < last["end"]:
            # max() of each, written out: max(a, b) is b only when b > a (NaN included)
            last["end"] = max(last["end"], ev["end"])
            last["weight"] = max(last["weight"], ev["weight"])
            if last["cue"] == "ngram" and ev["cue"] != "ngram":
                last["cue"] = ev["cue"]
            if "outlet" in ev or "country" in ev:
                for key in ("outlet", "country"):
                    if key in ev and key not in last:
                        last[key] = ev[key]
        else:
            last = dict(ev)
            merged.append(last)
    for ev in merged:
        ev["text"] = text[ev["start"]:ev["end"]]
        ev["weight"] = round(ev["weight"], 3)
    return sorted(merged, key=_minus_weight)

def _candidate_order(c: tuple) -> tuple[int, int]:
    return c[1], -c[2]


def _merge_candidates(cands: list[tuple], text: str, label: str) -> list[dict]:
    """:func:`_merge_evidence` of the evidence dicts that ``cands`` stand for, each ``(rank, start, end, cue,
    weight, outlet)`` being ``{"label": label, "start": start, "end": end, "cue": cue, "weight": weight}``
    plus the outlet's name and country when ``outlet`` is not None: the same merge made on lists, and a
    dict built only per merged span (with the keys in the order the dict merge leaves them)."""
    merged: list[list] = []
    last = None
    for c in (sorted(cands, key=_candidate_order) if len(cands) > 1 else cands):
        if last is not None and c[1] < last[1]:
            last[1] = max(last[1], c[2])
            last[3] = max(last[3], c[4])
            if last[2] == "ngram" and c[3] != "ngram":
                last[2] = c[3]
            if c[5] is not None and last[4] is None:
                last[4] = c[5]
        else:
            last = [c[1], c[2], c[3], c[4], c[5]]
            merged.append(last)
    out = []
    for start, end, cue, weight, outlet in merged:
        ev = {"label": label, "start": start, "end": end, "cue": cue, "weight": round(weight, 3)}
        if outlet is not None:
            ev["outlet"], ev["country"] = outlet.name, outlet.country
        ev["text"] = text[start:end]
        out.append(ev)
    if len(out) > 1:
        out.sort(key=_minus_weight)
    return out


def _merge_spans(cands: list[tuple], text: str, label: str, limit: int) -> list[dict]:
    """``_merge_candidates(sorted(c, key=rank), text, label)[:limit]`` where ``c`` are the candidates as
    (rank, start, end, cue, weight, outlet) tuples in the order they were found, each given here as
    ``(start, -end, rank, seq, cue, weight, outlet)`` with ``seq`` its position in that order.

    The merge visits the candidates by (start, -end), ties by rank, then in the order found: exactly
    the order of these tuples (``seq`` differs between any two, so the comparison never reaches the cue
    or the outlet), which the plain tuple sort gives without a key function or a sort by rank first. The
    merged spans are then ordered by rounded weight (highest first, ties in span order: a stable sort)
    and dicts are built for the first ``limit`` only. ``max(a, b)`` is ``b`` only when ``b > a``, as
    written out below. A test compares this with :func:`_merge_candidates`."""
    merged: list[list] = []
    last = None
    if len(cands) > 1:
        cands.sort()
    for start, neg_end, _, _, cue, weight, outlet in cands:
        end = -neg_end
        if last is not None and start < last[1]:
            if end > last[1]:
                last[1] = end
            if weight > last[3]:
                last[3] = weight
            if last[2] == "ngram" and cue != "ngram":
                last[2] = cue
            if outlet is not None and last[4] is None:
                last[4] = outlet
        else:
            last = [start, end, cue, weight, outlet]
            merged.append(last)
    for m in merged:
        m[3] = round(m[3], 3)
    if len(merged) > 1:
        # by descending weight, stable (reverse=True keeps equal keys in their order, as key=-weight
        # does; the weights are rounded numbers >= _MIN_EVIDENCE_WEIGHT, never NaN)
        merged.sort(key=_fourth, reverse=True)
    out = []
    for start, end, cue, weight, outlet in merged[:limit]:
        ev = {"label": label, "start": start, "end": end, "cue": cue, "weight": weight}
        if outlet is not None:
            ev["outlet"], ev["country"] = outlet.name, outlet.country
        ev["text"] = text[start:end]
        out.append(ev)
    return out


# Which cue matches explain which cue feature (for evidence spans).
_FEATURE_MATCH_KINDS = {
    "hedge": ("hedge",), "hedge_modal": ("hedge_modal",), "hedge_adverb": ("hedge_adverb",), "hedge_verb": ("hedge_verb",),
    "hedge_weasel": ("hedge_weasel",), "hedge_distancing": ("hedge_distancing",), "hedge_outlook": ("hedge_outlook",),
    "loaded_out": ("loaded",), "outlet": ("outlet",), "state_generic": ("state_generic",), "channel": ("channel", "head_post", "spokesperson"),
    "attribution": ("attribution",), "outlet_attributed": ("outlet", "state_generic"), "channel_attributed": ("channel",),
    "channel_gov": ("channel", "head_post", "spokesperson"), "channel_speaks": ("channel",), "dateline_credit": ("dateline_credit",), "editorial_out": ("editorial",),
    "subjective": ("subjective",), "valence": ("valence",),
    **{f"loaded_{g}": (f"loaded_{g}",) for g in LOADED_GROUPS},
    **{f"editorial_{g}": (f"editorial_{g}",) for g in EDITORIAL_GROUPS},
}
_OUTSIDE_QUOTES_ONLY = {"loaded_out", "editorial_out", "subjective", "valence", *(f"loaded_{g}" for g in LOADED_GROUPS),
                        *(f"editorial_{g}" for g in EDITORIAL_GROUPS)}


def tokens_with_offsets(text: str, quotes: Sequence[tuple[int, int]] | None = None) -> list[tuple[str, int, int]]:
    """Lower-cased tokens (digits folded to 0) with offsets; tokens inside quotes get a ``q_`` prefix.

    The sentence is normalised as a whole when lower() keeps its length (it then maps each character to
    one and keeps \\w, digits and apostrophes what they were; a test checks every character), so every
    path (unquoted, quoted, batched) lower-cases a final sigma by the same context: "ΟΔΟΣ‘the" is
    "οδοσ‘the" whether or not a quotation mark is about. Only a sentence that lower() lengthens ("İ")
    is normalised token by token, to keep the offsets."""
    if quotes is None:
        quotes = quote_spans(text)
    sub = _DIGIT_RE.sub
    low = sub("0", text.lower().replace("’", "'"))
    if len(low) == len(text):
        out = [(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(low)]
    else:
        out = [(sub("0", m.group(0).lower().replace("’", "'")), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]
    if quotes:
        out = [("q_" + t if any(s <= a < e for s, e in quotes) else t, a, b) for t, a, b in out]
    return out


def tokens(text: str) -> list[str]:
    """The tokens of :func:`tokens_with_offsets` without offsets (fast path for unquoted text)."""
    if not may_quote(text):
        return _TOKEN_RE.findall(_DIGIT_RE.sub("0", text.lower().replace("’", "'")))
    return [t for t, _, _ in tokens_with_offsets(text)]


def _quoted_tokens(text: str, quotes: Sequence[tuple[int, int]]) -> list[str]:
    """:func:`tokens` given the sentence's ``quote_spans`` (as the cue features have them already).

    When lower-casing keeps the length (it maps each character to one, which keeps \\w, digits and
    apostrophes what they were), tokenising the normalised sentence once finds the same tokens as
    normalising each token of the original, so the slow per-token path is left for the rest."""
    low = _DIGIT_RE.sub("0", text.lower().replace("’", "'"))
    if not quotes:
        if len(low) == len(text) or not may_quote(text):
            return _TOKEN_RE.findall(low)
    elif len(low) == len(text):
        return _marked_tokens(low, quotes, 0, len(low))
    return [t for t, _, _ in tokens_with_offsets(text, quotes)]


def _marked_tokens(low: str, quotes: Sequence[tuple[int, int]], pos: int, end: int) -> list[str]:
    """The tokens of the normalised text ``low[pos:end]``, "q_" before each that starts inside one of
    ``quotes`` (spans relative to ``pos``).

    quote_spans gives sorted, non-empty spans apart from each other: then their ends, in one sorted
    list, put a position inside a span exactly when an odd number of them lie at or before it, one
    bisect per token instead of a generator over the spans (a test compares the two); other spans take
    the generator."""
    bounds = [pos + x for span in quotes for x in span]
    out = []
    if all(a < b for a, b in pairwise(bounds)):
        for m in _TOKEN_RE.finditer(low, pos, end):
            out.append("q_" + m.group() if bisect_right(bounds, m.start()) & 1 else m.group())
    else:
        for m in _TOKEN_RE.finditer(low, pos, end):
            a = m.start() - pos
            out.append("q_" + m.group() if any(s <= a < e for s, e in quotes) else m.group())
    return out


def _is_number(tok: str) -> bool:
    """``_NUMBER_RE.fullmatch(tok)`` for a non-empty token (zeros, or "q_" and zeros) as a string test."""
    return tok[-1] == "0" and tok.rstrip("0") in ("", "q_")


def _without_numbers(toks: list[str]) -> list[str]:
    """``QuoteAwareAnalyzer.keep`` with ``drop_numbers`` for non-empty tokens, without a regex call per token."""
    return [t for t in toks if t[-1] != "0" or t.rstrip("0") not in ("", "q_")]


def find_ngram(toks: list[tuple[str, int, int]], ngram: str) -> tuple[int, int] | None:
    """Span of the first occurrence of ``ngram`` (space-joined tokens) in ``toks``."""
    return find_ngram_in([t for t, _, _ in toks], toks, ngram)


class _LazyTokens:
    """Token offsets of a normalised sentence (same length as the original), found on first access."""

    __slots__ = ("_spans", "drop_numbers", "low")

    def __init__(self, low: str, drop_numbers: bool = False):
        self.low, self.drop_numbers, self._spans = low, drop_numbers, None

    def __getitem__(self, k: int) -> tuple[None, int, int]:
        spans = self._spans
        if spans is None:
            # a bare number is made of zeros in the normalised text: without a "0" there is none to drop
            if self.drop_numbers and "0" in self.low:
                spans = [m.span() for m in _TOKEN_RE.finditer(self.low) if not _is_number(m.group())]
            else:
                spans = [m.span() for m in _TOKEN_RE.finditer(self.low)]
            self._spans = spans
        s, e = spans[k]
        return None, s, e


def _evidence_tokens(text: str, quotes: Sequence[tuple[int, int]], dropping: bool, low: str | None = None,
                     strings: list[str] | None = None) -> tuple[list[str], list | _LazyTokens]:
    """The token strings the n-grams were made of and their offsets, as ``tokens_with_offsets(text, quotes)``
    without bare numbers when ``dropping``: ``(strings, toks)`` with ``toks[k][1:]`` token k's span.

    ``low``: the normalised sentence, if known (see :meth:`_BatchTokens.evidence`); ``strings``: with it,
    the token strings of an unquoted sentence, if known (those of the common case below)."""
    if low is None:
        low = _DIGIT_RE.sub("0", text.lower().replace("’", "'"))
    if len(low) != len(text):
        t = tokens_with_offsets(text, quotes)
        if dropping:  # the same tokens the n-grams were made of
            t = [x for x in t if not _is_number(x[0])]
        return [w for w, _, _ in t], t
    if quotes:
        # lower() maps each character to one here, and the mapping keeps \w, digits and apostrophes what they
        # were (a test checks every character), so the normalised sentence has the same tokens at the same
        # offsets: those of tokens_with_offsets, which normalises such a sentence as a whole too
        t = [("q_" + m.group() if any(s <= m.start() < e for s, e in quotes) else m.group(), *m.span())
             for m in _TOKEN_RE.finditer(low)]
        if dropping:
            t = [x for x in t if not _is_number(x[0])]
        return [w for w, _, _ in t], t
    # the common case: token strings in one C call, offsets only where needed
    if strings is None:
        strings = _TOKEN_RE.findall(low)
        if dropping:
            strings = _without_numbers(strings)
    return strings, _LazyTokens(low, dropping)


def find_ngram_in(strings: list[str], toks, ngram: str) -> tuple[int, int] | None:
    """:func:`find_ngram` given the token strings too (the first token is found with ``list.index``)."""
    parts = ngram.split(" ")
    n, first, i = len(parts), parts[0], -1
    last = len(strings) - n
    while True:
        try:
            i = strings.index(first, i + 1, last + 1)
        except ValueError:
            return None
        if n == 1 or strings[i + 1:i + n] == parts[1:]:
            return toks[i][1], toks[i + n - 1][2]


def author_voice(text: str, quotes: Sequence[tuple[int, int]] | None = None) -> str:
    """The sentence with direct quotations blanked out (same length), lower-cased: the author's own words."""
    if quotes is None:
        quotes = quote_spans(text)
    for s, e in quotes:
        text = text[:s] + " " * (e - s) + text[e:]
    return text.lower()


class QuoteAwareAnalyzer:
    """Word n-grams that know which words stand inside direct quotation marks."""

    def __init__(self, ngram_range: tuple[int, int] = (1, 2), drop_numbers: bool = False):
        self.ngram_range = tuple(ngram_range)
        self.drop_numbers = drop_numbers

    def __call__(self, text: str) -> list[str]:
        return self.ngrams(tokens(text))

    def keep(self, toks: list[str]) -> list[str]:
        """The tokens n-grams are made of: with ``drop_numbers``, not bare numbers ("33", "1,100" -> "00",
        "0", "000"), which carry no framing but let a model learn "figures mean an official source"."""
        if getattr(self, "drop_numbers", False):  # analyzers pickled before the option had none
            return [t for t in toks if not _NUMBER_RE.fullmatch(t)]
        return toks

    def ngrams(self, toks: list[str]) -> list[str]:
        toks = self.keep(toks)
        lo, hi = self.ngram_range
        if lo == 1 and hi == 1:
            return toks
        out = list(toks) if lo == 1 else []
        if lo <= 2 <= hi:
            out.extend([a + " " + b for a, b in zip(toks, toks[1:])])
        for n in range(max(lo, 3), hi + 1):
            out.extend(" ".join(toks[i:i + n]) for i in range(len(toks) - n + 1))
        return out


def _batch_ngrams(analyzer: QuoteAwareAnalyzer, texts: Sequence[str],
                  quotes: Sequence[Sequence[tuple[int, int]]]) -> tuple[list[str], list[int]]:
    """The n-grams of all ``texts`` in one list, text i's being ``grams[ends[i]:ends[i + 1]]`` and equal to
    ``analyzer(texts[i])``; ``quotes`` are the texts' ``quote_spans``. Unigrams and bigrams (the
    usual range) are made inline."""
    dropping = getattr(analyzer, "drop_numbers", False)
    bigrams = tuple(analyzer.ngram_range) == (1, 2)
    grams: list[str] = []
    ends = [0]
    for t, q in zip(texts, quotes):
        toks = _quoted_tokens(t, q)
        if not bigrams:
            grams += analyzer.ngrams(toks)
        else:
            if dropping:
                toks = _without_numbers(toks)
            grams += toks
            grams += map(" ".join, zip(toks, toks[1:]))
        ends.append(len(grams))
    return grams, ends


class _BatchTokens:
    """What :func:`_batch_tokens` found: text i's tokens (``analyzer.keep``'s) are ``toks[ends[i]:ends[i + 1]]``.
    When the batch was normalised as one string, ``low`` is that string (text i from ``starts[i]``), else None.

    Kept for the evidence of the flagged sentences: :meth:`evidence` reads a sentence's tokens and their
    offsets from here instead of normalising and tokenising the sentence a second time."""

    __slots__ = ("dropping", "ends", "low", "starts", "toks")

    def __init__(self, toks: list[str], ends: list[int], low: str | None, starts: list[int], dropping: bool):
        self.toks, self.ends, self.low, self.starts, self.dropping = toks, ends, low, starts, dropping

    def evidence(self, i: int, text: str, quotes: Sequence[tuple[int, int]]) -> tuple[list[str], list | _LazyTokens]:
        """``_evidence_tokens(text, quotes, dropping)`` for text i of the batch, given the sentence's part of
        the batch's normalised string (normalising the joined texts normalises each alike, see
        :func:`_batch_tokens`) and, for an unquoted sentence, its tokens: those :func:`_evidence_tokens`
        finds in the normalised sentence (the n-grams' tokens are those the evidence looks for)."""
        if self.low is None:
            return _evidence_tokens(text, quotes, self.dropping)
        a = self.starts[i]
        return _evidence_tokens(text, quotes, self.dropping, self.low[a:a + len(text)],
                                None if quotes else self.toks[self.ends[i]:self.ends[i + 1]])


def _batch_tokens(analyzer: QuoteAwareAnalyzer, texts: Sequence[str],
                  quotes: Sequence[Sequence[tuple[int, int]]]) -> _BatchTokens:
    """The tokens n-grams are made of (``analyzer.keep``) of all ``texts`` in one list, text i's being
    ``toks[ends[i]:ends[i + 1]]``; ``quotes`` are the texts' ``quote_spans``."""
    dropping = getattr(analyzer, "drop_numbers", False)
    toks: list[str] = []
    ends = [0]
    starts: list[int] = []
    joined = "\n".join(texts)
    low = _DIGIT_RE.sub("0", lowered(joined).replace("’", "'"))
    if len(low) != len(joined):
        for t, q in zip(texts, quotes):
            tt = _quoted_tokens(t, q)
            toks += _without_numbers(tt) if dropping else tt
            ends.append(len(toks))
        return _BatchTokens(toks, ends, None, starts, dropping)
    # lower() kept every text's length, and normalising the joined texts normalises each alike (the only
    # context-dependent case, a final sigma, looks no further than the line break between two texts):
    # :func:`_quoted_tokens` of each text, read from one normalised string
    findall = _TOKEN_RE.findall
    pos = 0
    for t, q in zip(texts, quotes):
        starts.append(pos)
        end = pos + len(t)
        tt = findall(low, pos, end) if not q else _marked_tokens(low, q, pos, end)
        # a bare number is made of zeros: without a "0" in the text there is none to drop
        toks += _without_numbers(tt) if dropping and low.find("0", pos, end) >= 0 else tt
        ends.append(len(toks))
        pos = end + 1
    return _BatchTokens(toks, ends, low, starts, dropping)


def _platt(scores: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Fit p = 1 / (1 + exp(-(a*s + b))) on out-of-fold scores."""
    if len(np.unique(y)) < 2:
        return 1.0, 0.0
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=1e4, solver="lbfgs", max_iter=1000)
    lr.fit(scores.reshape(-1, 1), y)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def _log_count_ratio(X, y: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """Each column's naive-Bayes log-count ratio for the binary labels ``y``: log of its (``alpha``-smoothed)
    share of the feature occurrences among positive rows over its share among negative rows, occurrences
    counted as presence (a nonzero value)."""
    B = X.copy() if sp.issparse(X) else sp.csr_matrix(X)
    B.data = (B.data != 0).astype(np.float64)
    y = np.asarray(y).astype(bool)
    pos = alpha + np.asarray(B[y].sum(axis=0)).ravel()
    neg = alpha + np.asarray(B[~y].sum(axis=0)).ravel()
    return np.log(pos / pos.sum()) - np.log(neg / neg.sum())


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -35, 35)))


# Above 0, each label's threshold is the highest cut point within F1_PLATEAU of the best F1 on the
# out-of-fold scores: fewer flags, slightly lower F1. Measured at 0.01 against 0 (the F1-optimal
# threshold): on Szeged's wire sentences loaded-language flags 3.7% -> 2.4%, editorializing 10.5% ->
# 4.5%, but real-news macro-F1 0.679 -> 0.670 and BABE's public benchmark 0.754 -> 0.742. Kept at 0.
F1_PLATEAU = 0.0
# Above 0 (with F1_PLATEAU at 0), the threshold maximises the out-of-fold F1 averaged over a window of this half-width on the
# log-odds scale (the F1 at cut points on a grid 0.05 apart, a moving average), not the F1 at one cut point: where the
# F1 curve is flat over a wide range, as for hedging, whose calibrated probabilities are nearly all close to 0 or 1, the
# single best cut point can fall anywhere on the flat stretch (0.07 with one assignment of articles to folds, 0.68 with
# another: 0.875-0.881 out-of-fold F1 between them, but on real news 0.80 at 0.07-0.6 and 0.78 at 0.7), and the window
# puts it in the middle of the stretch instead. 0: the single best cut point. Measured at 0.5 against 0 (twenty-third
# session): hedging's thresholds became stable across fold assignments (0.079-0.087 against 0.070-0.679), but
# editorializing's rose (0.228 -> 0.269 for the bundled seed), which cost editorializing recall on the real-news
# samples no one had read (r35 0.610 -> 0.579, r37 0.655 -> 0.642, r36's test half 0.593 -> 0.568; macro 0.590 -> 0.582,
# 0.633 -> 0.631): kept at 0 (v0073 had it; v0074 does not). At 1.0 every label's threshold was stable but loaded
# language and editorializing lost more.
F1_SMOOTH = 0.0
# Above 0 (with F1_PLATEAU and F1_SMOOTH at 0), of the cut points whose out-of-fold F1 is within F1_MIDDLE of the best,
# the one nearest (on the log-odds scale) to the middle of their range: where the curve is flat the threshold sits in
# the middle of the flat stretch, and a narrow spike at one end no longer decides; where it has a clear peak the
# stretch is narrow and the threshold stays at the peak. Measured at 0.005 against the single best cut point
# (twenty-fourth session, five fits of v0074's recipe, the same fits scored both ways): hedging's threshold 0.091-0.104
# in all five (the best cut point: 0.070-0.072 in three, 0.679 in two), editorializing's 0.242-0.246 (0.238-0.262),
# loaded language's 0.496-0.538 (0.490-0.526); real-news macro-F1 on the read dev halves 0.749 -> 0.751, r1-r16's test
# halves 0.716 -> 0.717, the unread test halves 0.621 -> 0.622, the never-read r35, r37 and r38's test half 0.594 ->
# 0.593. Unlike F1_SMOOTH it did not raise editorializing's threshold.
F1_MIDDLE = 0.005


def best_threshold(proba: np.ndarray, y: np.ndarray, prevalence: float | None = None) -> float:
    """The probability threshold that maximises F1 (ties: the higher threshold), or with F1_PLATEAU > 0
    the highest one whose F1 is within F1_PLATEAU of the best, or with F1_MIDDLE > 0 (the bundled recipe) the one in
    the middle of those within F1_MIDDLE of the best (see F1_MIDDLE).

    ``prevalence``: the share of positives expected in the text the model will score. The out-of-fold
    rows are then reweighted (positives by prevalence / observed share, negatives likewise) so the
    threshold maximises F1 at that prevalence rather than at the training data's: a label over-represented
    in the training data gets a higher threshold. ``None``: the training data's own share."""
    if y.sum() == 0:
        return 0.5
    order = np.argsort(-proba, kind="stable")
    p, t = proba[order], y[order].astype(np.float64)
    if prevalence is not None and 0 < t.mean() < 1:
        pi = float(t.mean())
        w = np.where(t == 1, prevalence / pi, (1 - prevalence) / (1 - pi))
    else:
        w = np.ones_like(t)
    tp = np.cumsum(w * t)
    k = np.cumsum(w)
    f1 = 2 * tp / (k + (w * t).sum())
    if F1_SMOOTH > 0 and F1_PLATEAU <= 0:
        # F1 at each grid threshold (flag p >= threshold), then its moving average over +-F1_SMOOTH log-odds
        grid = np.arange(-7.0, 7.0 + 1e-9, 0.05)
        at = np.searchsorted(-p, -_sigmoid(grid), side="right")  # rows with p >= threshold
        f_grid = np.where(at > 0, 2 * tp[np.maximum(at - 1, 0)] / (k[np.maximum(at - 1, 0)] + (w * t).sum()), 0.0)
        half = round(F1_SMOOTH / 0.05)
        kernel = np.ones(2 * half + 1) / (2 * half + 1)
        smooth = np.convolve(np.pad(f_grid, half, mode="edge"), kernel, mode="valid")
        best = np.flatnonzero(smooth >= smooth.max() - 1e-12)
        return float(min(max(_sigmoid(grid[best[len(best) // 2]]), 0.05), 0.95))
    # only cut between distinct probabilities
    distinct = np.r_[p[1:] != p[:-1], True]
    f1 = np.where(distinct, f1, -1)
    if F1_MIDDLE > 0 and F1_PLATEAU <= 0:
        near = np.flatnonzero(f1 >= f1.max() - F1_MIDDLE)
        logit = np.log(np.clip(p[near], 1e-12, 1 - 1e-12) / np.clip(1 - p[near], 1e-12, 1))
        i = int(near[np.argmin(np.abs(logit - (logit.max() + logit.min()) / 2))])
    else:
        i = int(np.flatnonzero(f1 >= f1.max() - F1_PLATEAU)[0])
    nxt = p[i + 1] if i + 1 < len(p) else 0.0
    return float(min(max((p[i] + nxt) / 2, 0.05), 0.95))


def _rank_groups(feats: np.ndarray, contrib: np.ndarray, group: np.ndarray, bounds: list[int], limit: int):
    """For each group k (its entries at ``bounds[k]:bounds[k+1]`` once sorted by ``group``), its features
    and contributions by descending contribution, ties in feature order: all of them, or the ``limit``
    strongest (found by argpartition, then sorted, exactly as for one row alone) when there are more."""
    order = np.argsort(-contrib, kind="stable")
    order = order[np.argsort(group[order], kind="stable")]
    feats_sorted, contrib_sorted = feats[order].tolist(), contrib[order].tolist()
    for k in range(len(bounds) - 1):
        a, b = bounds[k], bounds[k + 1]
        if b - a > limit:
            f, w = feats[a:b], contrib[a:b]
            top = np.argpartition(-w, limit)[:limit]
            f, w = f[top], w[top]
            o = np.argsort(-w, kind="stable")
            yield f[o].tolist(), w[o].tolist()
        else:
            yield feats_sorted[a:b], contrib_sorted[a:b]


def _normalize_rows_l2(X: sp.csr_matrix) -> None:
    """Scale each row of the CSR float64 matrix ``X`` to unit length in place, with the arithmetic of
    ``sklearn.preprocessing.normalize(X, norm="l2", copy=False)`` (its Cython loop): each row's sum of
    squares accumulated left to right, its square root, each entry divided by it; rows of zeros stay.
    numpy's own sums add in another order (pairwise), which can change the last bit of a probability.
    Here the k-th entries of all rows long enough are added in step k: one vector operation per position
    of the longest row, not per row."""
    lens = np.diff(X.indptr)
    if not len(lens) or not X.nnz:
        return
    sq = X.data * X.data
    order = np.argsort(-lens, kind="stable")  # longest rows first: the rows with a k-th entry are a prefix
    by_len = lens[order]
    starts = X.indptr[:-1][order].astype(np.int64)
    sums = np.zeros(len(lens), dtype=np.float64)
    acc = sums[order]
    for k in range(int(by_len[0])):
        m = int(np.searchsorted(-by_len, -k, side="left"))  # rows with more than k entries
        acc[:m] += sq[starts[:m] + k]
    sums[order] = acc
    norms = np.sqrt(sums)
    norms[sums == 0.0] = 1.0
    X.data /= np.repeat(norms, lens)


def _own_word_path(vec) -> bool:
    """Whether :meth:`_FramingCore._word_matrix_and_tokens` computes this fitted vectorizer's matrix itself
    (its analyzer, sublinear tf, idf, l2 norm) instead of calling its ``transform``."""
    return (isinstance(vec.analyzer, QuoteAwareAnalyzer) and vec.sublinear_tf and vec.use_idf and vec.norm == "l2"
            and not vec.binary)


def _is_logistic(est) -> bool:
    """Whether ``est`` is a fitted scikit-learn LogisticRegression (exactly, not a subclass) or its state
    loaded for scoring, judged without importing scikit-learn."""
    cls = type(est)
    return cls is _LoadedLogistic or (cls.__name__ == "LogisticRegression" and cls.__module__ == "sklearn.linear_model._logistic")


class _FramingCore:
    """Multi-label framing classifier.

    Parameters
    ----------
    labels : sequence of str, optional
        Label names, one per column of ``y``. Defaults to ``label_0``, ``label_1``...
    C : float
        Inverse regularisation strength of each label's logistic regression.
    ngram_range : tuple
        Word n-gram range of the quote-aware analyzer.
    min_df : int
        Minimum document frequency of an n-gram.
    cue_weight : float
        Scale of the cue features relative to the TF-IDF features.
    class_weight : str or None
        ``"balanced"`` up-weights rare labels.
    char_ngrams : tuple or None
        Character n-gram range (``char_wb``) of the author's voice, e.g. ``(2, 5)``; None: none (the bundled
        recipe: they need scikit-learn's vectorizer to score and cost several times the time).
    char_weight : float
        Scale of the character n-gram block.
    char_labels : sequence of str or None
        With ``char_ngrams``, the labels that learn from them (the others' weights on them are zero); None: all.
    nb_scale : bool
        Naive-Bayes feature scaling (Wang and Manning's NBSVM, 2012): each label's logistic regression learns
        on the features multiplied by their log-count ratio, the log of how much more often (smoothed by one)
        a feature occurs in the label's positive sentences than in its negative ones, so the penalty
        favours features that already separate the label. The ratio is folded back into the weights, so the
        fitted model is one linear model over the same features (evidence and scoring unchanged).
    calibrate : bool
        Fit Platt scaling and F1-optimal thresholds on out-of-fold scores (grouped when ``groups`` is
        given to ``fit``).
    cv : int
        Folds for calibration.
    random_state : int
        Seed for fold assignment and the solvers.
    drop_numbers : bool
        Leave bare numbers out of the word n-grams.
    function_ngrams : bool or "auto"
        Whether labels learn from n-grams made only of function words ("to the", "it is"). ``"auto"``:
        every label except the lexical ones in ``LEXICAL_LABELS`` (``loaded_language``).
    threshold_repeats : int
        With ``groups`` given to ``fit``, each label's threshold is the median, on the decision scale, of the
        thresholds chosen on this many assignments of the groups to the calibration folds (1: the first
        assignment's own). Calibration (Platt scaling) always uses the first assignment.
    prevalence : dict or None
        Label -> share of positive sentences expected in the text the model will score. Each listed
        label's threshold maximises F1 at that share (see :func:`best_threshold`); probabilities are not
        changed. ``None`` or an unlisted label: the training data's share.

    Examples
    --------
    >>> clf = FramingClassifier(labels=["hedging"]).fit(texts, y)          # doctest: +SKIP
    >>> clf.predict_proba(["Talks may resume next week."])                  # doctest: +SKIP
    """

    drop_numbers = False  # models pickled before the option existed read it from here
    function_ngrams = True  # likewise
    prevalence = None  # likewise
    threshold_repeats = 1  # likewise
    char_labels = None  # likewise
    nb_scale = False  # likewise

    def __init__(self, labels: Sequence[str] | None = None, C: float = 4.0, ngram_range: tuple[int, int] = (1, 2),
                 min_df: int = 1, cue_weight: float = 1.0, class_weight: str | None = "balanced",
                 char_ngrams: tuple[int, int] | None = None, char_weight: float = 1.0, n_jobs: int | None = None,
                 calibrate: bool = True, cv: int = 5, random_state: int = 0, drop_numbers: bool = False,
                 function_ngrams: bool | str = "auto", prevalence: dict | None = None, threshold_repeats: int = 1,
                 char_labels: Sequence[str] | None = None, nb_scale: bool = False):
        self.labels = labels
        self.nb_scale = nb_scale
        self.char_labels = char_labels
        self.threshold_repeats = threshold_repeats
        self.prevalence = prevalence
        self.drop_numbers = drop_numbers
        self.function_ngrams = function_ngrams
        self.C = C
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.cue_weight = cue_weight
        self.char_ngrams = char_ngrams
        self.char_weight = char_weight
        self.n_jobs = n_jobs
        self.class_weight = class_weight
        self.calibrate = calibrate
        self.cv = cv
        self.random_state = random_state

    # ---------------------------------------------------------------------------------- features
    def _cues(self, texts: Sequence[str], quotes: list[list[tuple[int, int]]] | None = None
              ) -> tuple[np.ndarray, list[list[Match]], list[list[tuple[int, int]]]]:
        # a title-case headline's verbs read lower-cased ("NASA Says ..." as "NASA says ..."), matches as written
        read, matches = match_as_read(texts)
        if quotes is None:
            quotes = batch_quote_spans(texts)
        return cue_features(read, matches, quotes), matches, quotes

    def _stack(self, X_words, X_cues, texts, quotes, fit: bool = False):
        blocks = [X_words, sp.csr_matrix(X_cues * self.cue_weight)]
        if self.char_ngrams:
            voice = [author_voice(t, q) for t, q in zip(texts, quotes)]
            if fit:
                from sklearn.feature_extraction.text import TfidfVectorizer

                self.char_vectorizer_ = TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(self.char_ngrams), min_df=2,
                                                        sublinear_tf=True, dtype=np.float32, max_features=300_000)
                Xc = self.char_vectorizer_.fit_transform(voice)
            else:
                Xc = self.char_vectorizer_.transform(voice)
            blocks.append(Xc * self.char_weight)
        return sp.hstack(blocks, format="csr")

    def _word_matrix(self, texts: Sequence[str], quotes: list[list[tuple[int, int]]] | None = None):
        """``self.vectorizer_.transform(texts)`` without sklearn's per-document overhead: the same n-grams,
        looked up in the fitted vocabulary, then the same sublinear tf, idf weighting and l2 norm.
        ``quotes``: each text's ``quote_spans``, if known."""
        return self._word_matrix_and_tokens(texts, quotes)[0]

    def _word_matrix_and_tokens(self, texts: Sequence[str], quotes: list[list[tuple[int, int]]] | None = None
                                ) -> tuple[sp.csr_matrix, _BatchTokens | None]:
        """:meth:`_word_matrix`, and the texts' tokens when the n-grams were made from :func:`_batch_tokens`
        (unigrams and bigrams, the usual range), else None."""
        vec = self.vectorizer_
        if not _own_word_path(vec):
            return vec.transform(texts), None
        if quotes is None:
            quotes = [quote_spans(t) for t in texts]
        vocab = vec.vocabulary_
        batch = None
        if tuple(vec.analyzer.ngram_range) == (1, 2):
            indices, indptr, batch = self._unigram_bigram_ids(texts, quotes)
        else:
            grams, ends = _batch_ngrams(vec.analyzer, texts, quotes)
            # every n-gram looked up in one C-level pass; -1 marks those not in the vocabulary
            ids = np.fromiter(map(vocab.get, grams, repeat(-1)), dtype=np.int64, count=len(grams))
            found = ids >= 0
            indptr = np.concatenate(([0], np.cumsum(found)))[ends]
            indices = ids[found]
        X = sp.csr_matrix((np.ones(len(indices), dtype=np.float64), indices, indptr),
                          shape=(len(texts), len(vocab)))
        X.sum_duplicates()
        np.log(X.data, X.data)
        X.data += 1.0
        X.data *= vec.idf_[X.indices]
        _normalize_rows_l2(X)
        return X.astype(vec.dtype, copy=False), batch

    def _token_tables(self) -> tuple[dict[str, int], np.ndarray, np.ndarray, np.ndarray]:
        """The vocabulary by token: a number per token of a unigram or bigram entry, each token number's
        unigram column (-1: none; one more -1 at the end for unknown tokens), and the bigram entries as
        sorted keys ``first * n_tokens + second`` with their columns. Built once per loaded model, never saved."""
        cache = self.__dict__.get("_token_cache")
        if cache is None:
            number: dict[str, int] = {}
            uni: list[int] = []
            pairs: list[tuple[int, int, int]] = []

            def num(tok: str) -> int:
                k = number.get(tok)
                if k is None:
                    k = number[tok] = len(number)
                    uni.append(-1)
                return k

            for gram, col in self.vectorizer_.vocabulary_.items():
                parts = gram.split(" ")
                if len(parts) == 1:
                    uni[num(gram)] = col
                elif len(parts) == 2:  # an entry of another shape is no bigram of space-free tokens
                    pairs.append((num(parts[0]), num(parts[1]), col))
            n = len(number)
            keys = np.array([a * n + b for a, b, _ in pairs], dtype=np.int64)
            cols = np.array([c for _, _, c in pairs], dtype=np.int64)
            order = np.argsort(keys, kind="stable")
            cache = self.__dict__["_token_cache"] = (number, np.array(uni + [-1], dtype=np.int64), keys[order], cols[order])
        return cache

    def _unigram_bigram_ids(self, texts: Sequence[str], quotes) -> tuple[np.ndarray, np.ndarray, _BatchTokens]:
        """Vocabulary columns of each text's unigrams and bigrams (CSR ``indices``, ``indptr``; a column
        once per occurrence, in no particular order within a row), and the tokens they were made of
        (:func:`_batch_tokens`): the n-grams of ``_batch_ngrams``
        looked up in the vocabulary, with bigrams found by their tokens' numbers instead of as joined
        strings (tokens hold no space, so "a b" is the bigram of exactly the tokens "a" and "b")."""
        number, uni, bi_keys, bi_cols = self._token_tables()
        batch = _batch_tokens(self.vectorizer_.analyzer, texts, quotes)
        toks, ends = batch.toks, batch.ends
        ids = np.fromiter(map(number.get, toks, repeat(-1)), dtype=np.int64, count=len(toks))
        row = np.repeat(np.arange(len(texts), dtype=np.int64), np.diff(ends))
        uni_cols = uni[ids]  # -1 indexes the final -1
        found = uni_cols >= 0
        rows, cols = [row[found]], [uni_cols[found]]
        if len(toks) > 1 and len(bi_keys):
            a, b = ids[:-1], ids[1:]
            pair = (row[:-1] == row[1:]) & (a >= 0) & (b >= 0)
            keys = a[pair] * len(number) + b[pair]
            at = np.minimum(np.searchsorted(bi_keys, keys), len(bi_keys) - 1)
            hit = bi_keys[at] == keys
            rows.append(row[:-1][pair][hit])
            cols.append(bi_cols[at[hit]])
        rows, cols = np.concatenate(rows), np.concatenate(cols)
        order = np.argsort(rows, kind="stable")
        indptr = np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=len(texts)))))
        return cols[order], indptr, batch

    def _features(self, texts: Sequence[str], quotes: list[list[tuple[int, int]]] | None = None):
        """The feature matrix of ``texts``, their cue matches, quote spans and the tokens of
        :meth:`_word_matrix_and_tokens` (or None). ``quotes``: the texts' quotation spans if known from
        more than the sentence itself (:func:`framing.cues.context_quote_spans`), else found here."""
        X_cues, matches, quotes = self._cues(texts, quotes)
        X_words, batch = self._word_matrix_and_tokens(texts, quotes)
        fitted = getattr(self, "cue_names_", None) or _CUE_FEATURES_V1
        if fitted != CUE_FEATURES:  # a model fitted with another cue set: its columns, by name (absent -> 0)
            at = {c: j for j, c in enumerate(CUE_FEATURES)}
            X_cues = np.column_stack([X_cues[:, at[c]] if c in at else np.zeros(len(texts), np.float32) for c in fitted])
        return self._stack(X_words, X_cues, texts, quotes), matches, quotes, batch

    @staticmethod
    def _as_texts(X) -> list[str]:
        """The sentences of ``X`` as strings, each Unicode space (the no-break space of web copy, thin and
        narrow spaces) read as a plain one: the cue phrases match words apart by blanks ("is now\xa0considered
        to be" is "is now considered to be"). One character for one, so evidence offsets still point into
        the sentence as given."""
        if isinstance(X, str):
            raise TypeError("X must be a sequence of sentences, not one string")
        if hasattr(X, "tolist"):
            X = X.tolist()
        texts = list(X)
        if texts and isinstance(texts[0], (list, tuple)):
            texts = [t[0] for t in texts]
        return ["" if t is None else _plain_spaces(str(t)) for t in texts]

    # ---------------------------------------------------------------------------------- fit
    def fit(self, X, y, groups=None):
        for cache in _CACHES:  # tables of a previous fit (built on first use) describe another model
            self.__dict__.pop(cache, None)
        texts = self._as_texts(X)
        y = np.asarray(y)
        if y.ndim == 1:
            y = y.reshape(-1, 1)
        if y.shape[0] != len(texts):
            raise ValueError(f"X has {len(texts)} sentences but y has {y.shape[0]} rows")
        n_labels = y.shape[1]
        self.labels_ = list(self.labels) if self.labels is not None else [f"label_{j}" for j in range(n_labels)]
        if len(self.labels_) != n_labels:
            raise ValueError(f"{len(self.labels_)} label names for {n_labels} label columns")
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.model_selection import GroupKFold, KFold

        self.classes_ = np.array([0, 1])
        self.vectorizer_ = TfidfVectorizer(analyzer=QuoteAwareAnalyzer(self.ngram_range, self.drop_numbers), min_df=self.min_df,
                                           sublinear_tf=True, dtype=np.float32)
        X_words = self.vectorizer_.fit_transform(texts)
        X_cues, _, quotes = self._cues(texts)
        self.cue_names_ = list(CUE_FEATURES)
        Xf = self._stack(X_words, X_cues, texts, quotes, fit=True)
        self.n_features_in_ = 1
        names = [self.vectorizer_.get_feature_names_out(), np.array(["cue:" + c for c in CUE_FEATURES], dtype=object)]
        if self.char_ngrams:
            names.append(np.array(["char:" + c for c in self.char_vectorizer_.get_feature_names_out()], dtype=object))
        self.feature_names_ = np.concatenate(names)
        from joblib import Parallel, delayed

        # independent fits (labels x folds) run in threads: liblinear releases the GIL, and threads
        # share the feature matrix instead of copying it to each process
        par = Parallel(n_jobs=self.n_jobs, prefer="threads")
        n_words = X_words.shape[1]
        masked = []
        function_only = None  # n-grams made only of function words, found once if a label drops them
        for name in self.labels_:
            keep = np.ones(Xf.shape[1], dtype=np.float32)
            if self._drops_function_ngrams(name):
                if function_only is None:
                    function_only = np.array([not _informative(str(n)) for n in names[0]], dtype=bool)
                keep[:n_words][function_only] = 0.0
            if self.char_ngrams and self.char_labels is not None and name not in self.char_labels:
                keep[n_words + len(CUE_FEATURES):] = 0.0
            allowed = LABEL_CUES.get(name)
            if allowed is not None:
                for c, cue in enumerate(CUE_FEATURES):
                    if cue not in allowed:
                        keep[n_words + c] = 0.0
            # zeroed columns get exactly zero weight, so prediction can use the unmasked matrix
            if keep.all():
                masked.append(Xf)
            else:
                m = sp.csr_matrix(Xf.multiply(keep.reshape(1, -1)))
                m.eliminate_zeros()
                masked.append(m)
        self.estimators_ = par(delayed(self._fit_one)(masked[j], y[:, j]) for j in range(n_labels))
        self.calibration_ = [(1.0, 0.0)] * n_labels
        self.thresholds_ = np.full(n_labels, 0.5)
        self.oof_proba_ = None
        if self.calibrate and len(texts) >= 2 * self.cv:
            grouped = groups is not None and len(np.unique(groups)) >= self.cv
            if grouped:
                splits = GroupKFold(n_splits=self.cv).split(Xf, groups=np.asarray(groups))
            else:
                splits = KFold(n_splits=self.cv, shuffle=True, random_state=self.random_state).split(Xf)
            cal, thr, proba = self._calibrate_folds(masked, Xf, y, list(splits), par)
            repeats = int(getattr(self, "threshold_repeats", 1) or 1)
            if repeats > 1 and grouped:
                thr = self._median_thresholds(masked, Xf, y, np.asarray(groups), cal, thr, repeats, par)
            self.calibration_, self.thresholds_, self.oof_proba_ = cal, np.array(thr), proba
        return self

    def _calibrate_folds(self, masked, Xf, y, splits, par) -> tuple[list[tuple[float, float]], list[float], np.ndarray]:
        """Out-of-fold decision scores over ``splits``; per label its Platt scaling, its F1-optimal threshold
        (at the label's ``prevalence``, if listed) and the calibrated out-of-fold probabilities."""
        from joblib import delayed

        jobs = [(tr, te, j) for tr, te in splits for j in range(y.shape[1])]
        fitted = par(delayed(self._fit_one)(masked[j][tr], y[tr, j]) for tr, te, j in jobs)
        oof = np.zeros(y.shape, dtype=np.float64)
        for (tr, te, j), est in zip(jobs, fitted):
            oof[te, j] = est.decision_function(Xf[te]) if est is not None else -10.0
        cal, thr, proba = [], [], np.zeros_like(oof)
        for j in range(y.shape[1]):
            a, b = _platt(oof[:, j], y[:, j])
            cal.append((a, b))
            proba[:, j] = _sigmoid(a * oof[:, j] + b)
            thr.append(best_threshold(proba[:, j], y[:, j], (self.prevalence or {}).get(self.labels_[j])))
        return cal, thr, proba

    def _median_thresholds(self, masked, Xf, y, groups, cal, thr, repeats, par) -> list[float]:
        """Each label's threshold as the median, on the decision scale, of the thresholds chosen on ``repeats``
        assignments of the articles to the calibration folds (the first is the one already made, whose
        calibration ``cal`` is kept): where the out-of-fold F1 is flat, the best cut point of one assignment
        can land anywhere on the flat stretch."""
        from sklearn.model_selection import GroupKFold

        def to_score(t: float, ab: tuple[float, float]) -> float:
            t = min(max(t, 1e-6), 1 - 1e-6)
            return (np.log(t / (1 - t)) - ab[1]) / ab[0] if ab[0] else 0.0

        scores = [[to_score(t, ab)] for t, ab in zip(thr, cal)]
        uniq, inv = np.unique(groups, return_inverse=True)
        for r in range(1, repeats):
            perm = np.random.default_rng(self.random_state + r).permutation(len(uniq))
            splits = list(GroupKFold(n_splits=self.cv).split(Xf, groups=perm[inv]))
            cal_r, thr_r, _ = self._calibrate_folds(masked, Xf, y, splits, par)
            for j, (t, ab) in enumerate(zip(thr_r, cal_r)):
                scores[j].append(to_score(t, ab))
        return [float(min(max(_sigmoid(a * float(np.median(sc)) + b), 0.05), 0.95)) for sc, (a, b) in zip(scores, cal)]

    def _drops_function_ngrams(self, label: str) -> bool:
        """Whether ``label`` learns without n-grams made only of function words ("it is", "the"): "auto"
        drops them for the lexical labels in LEXICAL_LABELS, False for every label, True for none."""
        mode = getattr(self, "function_ngrams", True)
        if mode == "auto":
            return label in LEXICAL_LABELS
        return mode is False

    def _fit_one(self, X, yj):
        from sklearn.linear_model import LogisticRegression

        if len(np.unique(yj)) < 2:
            return None  # a label with no positives (or all positives) in this training set
        est = LogisticRegression(C=self.C, class_weight=self.class_weight, solver="liblinear",
                                 random_state=self.random_state, max_iter=2000)
        if not getattr(self, "nb_scale", False):
            return est.fit(X, yj)
        r = _log_count_ratio(X, yj)
        est.fit(X @ sp.diags(r), yj)
        est.coef_ = est.coef_ * r  # (X * r) @ w == X @ (r * w): the same scores from the unscaled features
        return est

    # ---------------------------------------------------------------------------------- predict
    def _decision(self, Xf) -> np.ndarray:
        out = np.empty((Xf.shape[0], len(self.estimators_)))
        # LogisticRegression.decision_function computes X @ coef_.T + intercept_ after checking its input
        # (about 0.2 ms a call); for the CSR matrix of finite float64 features made here the checks pass and
        # change nothing, so the same product is taken directly (other input takes the checked call)
        direct = (sp.issparse(Xf) and Xf.format == "csr" and Xf.dtype == np.float64 and Xf.ndim == 2
                  and bool(np.isfinite(Xf.data).all()))
        for j, est in enumerate(self.estimators_):
            if est is None:
                out[:, j] = -10.0
            elif (direct and _is_logistic(est) and isinstance(est.coef_, np.ndarray)
                  and est.coef_.shape == (1, Xf.shape[1]) and est.coef_.dtype == np.float64):
                out[:, j] = (Xf @ est.coef_.T + est.intercept_).reshape(-1)
            else:
                out[:, j] = est.decision_function(Xf)
        return out

    def decision_function(self, X) -> np.ndarray:
        Xf = self._features(self._as_texts(X))[0]
        return self._decision(Xf)

    def _proba_from_decision(self, d: np.ndarray) -> np.ndarray:
        a = np.array([c[0] for c in self.calibration_])
        b = np.array([c[1] for c in self.calibration_])
        return _sigmoid(d * a + b)

    def predict_proba(self, X) -> np.ndarray:
        """Calibrated probability of each label, shape (n_sentences, n_labels)."""
        return self._proba_from_decision(self.decision_function(X))

    def predict(self, X) -> np.ndarray:
        """0/1 flags, shape (n_sentences, n_labels), using the per-label thresholds."""
        return (self.predict_proba(X) >= self.thresholds_).astype(np.int8)

    def score_batch(self, texts: Sequence[str], explain: bool = True, top_k: int = 4,
                    quotes: Sequence[Sequence[tuple[int, int]]] | None = None):
        """Probabilities, flags and (optionally) evidence for a batch in one feature pass.

        Returns ``(proba, flags, evidence)`` where evidence is a list (per sentence) of evidence dicts
        for the flagged labels only. ``quotes``: each sentence's quotation spans when its article is
        known (:func:`framing.cues.context_quote_spans`: a sentence inside a quotation that runs over
        several sentences is the speaker's); by default each sentence's own (:func:`quote_spans`).
        """
        texts = self._as_texts(texts)
        if quotes is not None:
            if len(quotes) != len(texts):
                raise ValueError(f"{len(quotes)} quotation span lists for {len(texts)} sentences")
            quotes = list(quotes)
        Xf, matches, quotes, batch = self._features(texts, quotes)
        proba = self._proba_from_decision(self._decision(Xf))
        flags = (proba >= self.thresholds_).astype(np.int8)
        evidence: list[list[dict]] = [[] for _ in texts]
        if explain:
            Xf = Xf.tocsr()
            rows, cols = np.nonzero(flags)
            toks: dict[int, list] = {}
            dropping = getattr(self.vectorizer_.analyzer, "drop_numbers", False)

            def toks_of(i: int) -> tuple[list[str], list | _LazyTokens]:
                if i not in toks:
                    toks[i] = (batch.evidence(i, texts[i], quotes[i]) if batch is not None
                               else _evidence_tokens(texts[i], quotes[i], dropping))
                return toks[i]

            ranked = self._ranked_contributions(Xf, rows, cols, top_k)
            for i, j in zip(rows.tolist(), cols.tolist()):
                if (i, j) in ranked:
                    evidence[i].extend(self._explain_one(texts[i], *ranked[i, j], j, matches[i], quotes[i],
                                                         lambda i=i: toks_of(i), top_k))
        return proba, flags, evidence

    def _ranked_contributions(self, Xf, rows: np.ndarray, cols: np.ndarray,
                              top_k: int) -> dict[tuple[int, int], tuple[list[int], list[float]]]:
        """For each flagged (sentence, label) whose label has a model: the features that can be evidence,
        contribution (value x coefficient) at least ``_MIN_EVIDENCE_WEIGHT``, strongest first (ties in
        feature order), at most ``4 * top_k``. Computed per label over all its flagged sentences: a few
        array operations per label, not per pair (rows with more candidates take the per-row path)."""
        _, useful, _ = self._explain_tables()
        limit = 4 * top_k
        out: dict[tuple[int, int], tuple[list[int], list[float]]] = {}
        coef = self._coef_matrix()
        if coef is None:  # coefficients of another shape: label by label
            return self._ranked_contributions_by_label(Xf, rows, cols, top_k)
        fitted = np.array([est is not None for est in self.estimators_], dtype=bool)
        sel = fitted[cols]
        r, c = rows[sel], cols[sel]
        if not len(r):
            return out
        # each pair's row entries gathered from the CSR arrays (in the row's order), contributions with
        # its label's coefficients: the values of the per-label computation, for all pairs at once
        indptr = Xf.indptr
        starts = indptr[r].astype(np.int64)
        lens = indptr[r + 1].astype(np.int64) - starts
        pair = np.repeat(np.arange(len(r)), lens)
        pos = np.arange(int(lens.sum()), dtype=np.int64) + np.repeat(starts - (np.cumsum(lens) - lens), lens)
        idx = Xf.indices[pos]
        contrib = Xf.data[pos] * coef[c[pair], idx]
        keep = (contrib >= _MIN_EVIDENCE_WEIGHT) & useful[idx]
        pair, feats, contrib = pair[keep], idx[keep], contrib[keep]
        bounds = np.concatenate(([0], np.cumsum(np.bincount(pair, minlength=len(r))))).tolist()
        # by pair, then by descending contribution; both sorts stable, so ties keep feature order
        for key, ranked in zip(zip(r.tolist(), c.tolist()), _rank_groups(feats, contrib, pair, bounds, limit)):
            out[key] = ranked
        return out

    def _coef_matrix(self) -> np.ndarray | None:
        """Each label's coefficients as a row (zeros for a label without a model), or None when some
        model's coefficients are not one dense float64 row; built once per loaded model, never saved."""
        cache = self.__dict__.get("_coef_cache", False)
        if cache is False:
            rows = []
            for est in self.estimators_:
                if est is None:
                    continue
                coef = getattr(est, "coef_", None)
                if not (isinstance(coef, np.ndarray) and coef.ndim == 2 and coef.shape[0] == 1 and coef.dtype == np.float64):
                    rows = None
                    break
                rows.append(coef[0])
            if rows is not None and len({len(x) for x in rows}) > 1:
                rows = None
            if rows is None:
                cache = None
            else:
                width = len(rows[0]) if rows else 0
                cache = np.zeros((len(self.estimators_), width), dtype=np.float64)
                for j, est in enumerate(self.estimators_):
                    if est is not None:
                        cache[j] = est.coef_[0]
            self.__dict__["_coef_cache"] = cache
        return cache

    def _ranked_contributions_by_label(self, Xf, rows: np.ndarray, cols: np.ndarray,
                                       top_k: int) -> dict[tuple[int, int], tuple[list[int], list[float]]]:
        """:meth:`_ranked_contributions` computed label by label (the first way, for odd coefficients)."""
        _, useful, _ = self._explain_tables()
        limit = 4 * top_k
        out: dict[tuple[int, int], tuple[list[int], list[float]]] = {}
        for j in np.unique(cols).tolist():
            est = self.estimators_[j]
            if est is None:
                continue
            r = rows[cols == j]
            sub = Xf[r]  # the flagged rows, each row's entries in Xf's order
            contrib = sub.data * est.coef_[0][sub.indices]
            keep = (contrib >= _MIN_EVIDENCE_WEIGHT) & useful[sub.indices]
            row = np.repeat(np.arange(len(r)), np.diff(sub.indptr))[keep]
            feats, contrib = sub.indices[keep], contrib[keep]
            bounds = np.concatenate(([0], np.cumsum(np.bincount(row, minlength=len(r))))).tolist()
            for i, ranked in zip(r.tolist(), _rank_groups(feats, contrib, row, bounds, limit)):
                out[i, j] = ranked
        return out

    def explain(self, texts: Sequence[str], top_k: int = 4) -> list[list[dict]]:
        """Evidence for each flagged label of each sentence: spans (offsets into the sentence) with the
        cue or n-gram that drove the decision; state-media evidence names the outlet and its country."""
        return self.score_batch(texts, explain=True, top_k=top_k)[2]

    def _explain_tables(self) -> tuple[list[str], np.ndarray, int]:
        """Feature names as a list, a mask of features that can be evidence (cues and informative word
        n-grams; not char n-grams, not function-word n-grams), and the number of word features; built
        once per loaded model and never saved with it."""
        cache = self.__dict__.get("_explain_cache")
        if cache is None:
            names = [str(n) for n in self.feature_names_]
            n_words = len(self.vectorizer_.vocabulary_)
            useful = np.array([(f >= n_words and not n.startswith("char:")) or (f < n_words and _informative(n))
                               for f, n in enumerate(names)], dtype=bool)
            cache = self.__dict__["_explain_cache"] = (names, useful, n_words)
        return cache

    def _cue_evidence(self) -> list[tuple[str, tuple[str, ...], bool] | None]:
        """For each feature after the word n-grams (index ``f - n_words``), what :meth:`_explain_one` looked
        up by name per candidate: the cue's name, the match kinds that explain it and whether only matches
        outside quotes do; None when no match kind does (such a feature yields no candidate). Built once
        per loaded model, never saved."""
        cache = self.__dict__.get("_cue_evidence_cache")
        if cache is None:
            names, _, n_words = self._explain_tables()
            cache = []
            for name in names[n_words:]:
                cue = name[4:]
                kinds = _FEATURE_MATCH_KINDS.get(cue, ())
                cache.append((cue, kinds, cue in _OUTSIDE_QUOTES_ONLY) if kinds else None)
            self.__dict__["_cue_evidence_cache"] = cache
        return cache

    def __getstate__(self):
        state = dict(super().__getstate__())  # a copy: object's own __getstate__ returns the __dict__ itself
        for cache in _CACHES:
            state.pop(cache, None)
        return state

    def _explain_one(self, text: str, feats: list[int], weights: list[float], j: int, matches: list[Match], quotes,
                     toks, top_k: int) -> list[dict]:
        """Evidence for label ``j`` of one sentence from its ranked features (``_ranked_contributions``)."""
        label = self.labels_[j]
        names, _, n_words = self._explain_tables()
        # candidates as (start, -end, rank, seq, cue, weight, outlet): see _merge_spans
        cands: list[tuple] = []
        top = None  # the strongest cue candidate's weight (weights are >= _MIN_EVIDENCE_WEIGHT: no NaN)
        if matches:  # a cue explains only through a match
            cue_evidence = self._cue_evidence()
            for rank, f in enumerate(feats):
                if f < n_words:
                    continue
                info = cue_evidence[f - n_words]
                if info is None:  # no match kind explains this feature
                    continue
                cue, kinds, outside_only = info
                w = weights[rank]
                for m in matches:
                    # (in_spans of no quotes is False)
                    if m.kind not in kinds or (outside_only and quotes and in_spans(m.start, quotes)):
                        continue
                    cands.append((m.start, -m.end, rank, len(cands), cue, w, m.outlet))
                    if top is None or w > top:
                        top = w
        # n-grams below a quarter of the strongest candidate are dropped: they come in descending order,
        # so the strongest is a cue or the first n-gram found, and the search stops at the floor
        for rank, f in enumerate(feats):
            if f >= n_words:
                continue
            w = weights[rank]
            if top is not None and w < _RELATIVE_EVIDENCE_WEIGHT * top:
                break
            span = find_ngram_in(*toks(), names[f])
            if span:
                cands.append((span[0], -span[1], rank, len(cands), "ngram", w, None))
                top = w if top is None else max(top, w)
        out = _merge_spans(cands, text, label, top_k)
        if label == "state_media" and not any("outlet" in ev for ev in out):
            matcher = get_matcher()
            for ev in out:
                if ev["cue"] in ("channel", "channel_attributed", "channel_speaks", "channel_gov"):
                    inst = next((m for m in matches if m.kind == "channel" and matcher.is_institution(m.text)
                                 and ev["start"] <= m.start < ev["end"]), None)
                    if inst is not None:
                        ev["outlet"], ev["country"] = institution_label(text, inst.start, inst.end)
        if label == "state_media" and not any("outlet" in ev for ev in out):
            # name the outlet or the institution even when an n-gram carried the weight
            matcher = get_matcher()
            pick = next((m for m in matches if m.kind in ("outlet", "dateline_credit", "spokesperson")
                         and m.outlet is not None), None)
            if pick is None:
                pick = next((m for m in matches if m.kind == "channel" and matcher.is_institution(m.text)), None)
            if pick is None:
                pick = next((m for m in matches if m.kind in ("head_post", "state_generic", "channel")), None)
            if pick is not None:
                # name it on the evidence span that already covers it, else add the span
                ev = next((e for e in out if e["start"] <= pick.start and pick.end <= e["end"]), None)
                if ev is None:
                    # the spans it covers (an n-gram "Ministry" inside "Defense Ministry") are shown as part of it,
                    # with the strongest one's weight, not as a second highlight inside the first
                    inside = [e for e in out if pick.start <= e["start"] and e["end"] <= pick.end]
                    ev = {"label": label, "start": pick.start, "end": pick.end, "text": text[pick.start:pick.end],
                          "cue": pick.kind, "weight": max((e["weight"] for e in inside), default=0.0)}
                    out[:] = [e for e in out if not any(e is x for x in inside)]
                    out.append(ev)
                if pick.outlet is not None:
                    ev["outlet"], ev["country"] = pick.outlet.name, pick.outlet.country
                elif pick.kind == "channel" and matcher.is_institution(pick.text):
                    ev["outlet"], ev["country"] = institution_label(text, pick.start, pick.end)
                elif pick.kind == "head_post":  # "President Donald Trump's social-media post"
                    ev["outlet"] = f"{_possessive(head_post_owner(pick.text))} social-media post"
                    ev["country"] = head_post_country(pick.text)
                else:
                    # the channel itself: "said in a statement" -> "statement", "according to a spokesman" -> "spokesman"
                    name = re.sub(r"^(?:(?:according to|as (?:quoted|cited) by|cited by|quoted by|said|says|say|told|issued|"
                                  r"released|at|in|an?|the)\s+)+", "", text[pick.start:pick.end], flags=re.IGNORECASE)
                    # whose channel, where the sentence names its government owner: "governor's news conference"
                    owner = channel_owner(text, pick, matches)
                    if owner:
                        name = f"{_possessive(owner)} {name}"
                    ev["outlet"] = name
                    ev["country"] = (country_near(text, pick.start, owner or "")
                                     or (head_post_country(owner) if owner else ""))
        return out


class LoadedFramingClassifier(_FramingCore):
    """A fitted :class:`FramingClassifier` unpickled for scoring only, without scikit-learn
    (``registry.load_bundle(light=True)``): the same methods and learned state, so the same probabilities,
    flags and evidence; its vectorizer and per-label models are the stand-ins below. It is not an
    estimator (no ``get_params``, ``clone``); load the model normally to refit or inspect it."""


class _LoadedLogistic:
    """A LogisticRegression's fitted state (``coef_``, ``intercept_``, ...) loaded for scoring."""

    def decision_function(self, X) -> np.ndarray:
        values = X.data if sp.issparse(X) else np.asarray(X)
        if not np.isfinite(values).all():
            raise ValueError("Input contains NaN or infinity.")
        return np.asarray(X @ self.coef_.T + self.intercept_).reshape(-1)


class _LoadedTfidfTransformer:
    """A TfidfTransformer's fitted state (``idf_``) loaded for scoring."""


class _LoadedTfidfVectorizer:
    """A TfidfVectorizer's fitted state (``vocabulary_``, its analyzer and options) loaded for scoring
    with :meth:`_FramingCore._word_matrix_and_tokens`' own path (which never calls ``transform``)."""

    @property
    def idf_(self) -> np.ndarray:
        return self._tfidf.idf_


# What the light unpickler substitutes for the classes a FramingClassifier pickle names
LIGHT_CLASSES = {
    (__name__, "FramingClassifier"): LoadedFramingClassifier,
    ("sklearn.linear_model._logistic", "LogisticRegression"): _LoadedLogistic,
    ("sklearn.feature_extraction.text", "TfidfVectorizer"): _LoadedTfidfVectorizer,
    ("sklearn.feature_extraction.text", "TfidfTransformer"): _LoadedTfidfTransformer,
}


def scores_without_sklearn(model) -> bool:
    """Whether a model loaded with :data:`LIGHT_CLASSES` scores exactly as the real one: its word n-grams
    take the path that needs no ``transform`` and there are no character n-grams (those need
    scikit-learn's vectorizer). Otherwise the caller loads it normally."""
    vec = getattr(model, "vectorizer_", None)
    return (isinstance(model, LoadedFramingClassifier) and isinstance(vec, _LoadedTfidfVectorizer)
            and isinstance(getattr(vec, "_tfidf", None), _LoadedTfidfTransformer)
            and _own_word_path(vec) and not getattr(model, "char_ngrams", None) and not hasattr(model, "char_vectorizer_")
            and all(est is None or type(est) is _LoadedLogistic for est in model.estimators_))


def __getattr__(name: str):
    # FramingClassifier is the scikit-learn estimator: _FramingCore with scikit-learn's bases (get_params,
    # clone, score), made on first use so that importing this module for scoring does not import sklearn.
    # Pickles name it "framing.model.FramingClassifier", which this resolves.
    if name == "FramingClassifier":
        from sklearn.base import BaseEstimator, ClassifierMixin

        cls = type("FramingClassifier", (_FramingCore, ClassifierMixin, BaseEstimator),
                   {"__module__": __name__, "__doc__": _FramingCore.__doc__})
        globals()[name] = cls
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
