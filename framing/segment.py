"""Sentences with character offsets, and page furniture ("boilerplate") marking.

The only module that imports nltk. It never downloads: Punkt's parameters (the abbreviation list)
ship in ``framing/resources/punkt_abbreviations.txt``.

Invariants: spans are sorted, non-overlapping, non-empty and stripped of surrounding whitespace;
``text[start:end]`` is the sentence; a line break always ends a sentence; the spans plus the gaps
between them reproduce the article exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


def _import_punkt():
    """Punkt's classes, imported without running ``nltk/__init__.py``, which imports most of nltk
    (and scipy.stats through nltk.collocations): 1.8 s instead of 0.2 s in every process that scores.
    A stand-in ``nltk`` package object lets Python find ``nltk.tokenize.punkt`` in the installed nltk;
    afterwards the stand-in is removed, so a later ``import nltk`` elsewhere gets the real package. If
    anything goes wrong, or nltk is already imported, this is the ordinary import."""
    import importlib.util
    import sys
    import types

    if "nltk" not in sys.modules:
        before = set(sys.modules)
        try:
            spec = importlib.util.find_spec("nltk")
            if spec is not None and spec.submodule_search_locations:
                stub = types.ModuleType("nltk")
                stub.__path__ = list(spec.submodule_search_locations)
                stub.__spec__ = spec
                sys.modules["nltk"] = stub
                from nltk.tokenize.punkt import (
                    PunktLanguageVars,
                    PunktParameters,
                    PunktSentenceTokenizer,
                )

                return PunktLanguageVars, PunktParameters, PunktSentenceTokenizer
        except Exception:  # noqa: BLE001 - fall back to the ordinary import below
            pass
        finally:
            for name in set(sys.modules) - before:
                if name == "nltk" or name.startswith("nltk."):
                    del sys.modules[name]
    from nltk.tokenize.punkt import (
        PunktLanguageVars,
        PunktParameters,
        PunktSentenceTokenizer,
    )

    return PunktLanguageVars, PunktParameters, PunktSentenceTokenizer


PunktLanguageVars, PunktParameters, PunktSentenceTokenizer = _import_punkt()

_LINE_RE = re.compile(r"[^\n\r\u2028\u2029]+")

# Whole-line furniture: scraped page chrome, share widgets, comment forms, credits.
_FURNITURE = [
    r"©.*",
    r"\(?(photo|image|picture|video|graphic)s?( credit)?\s*[:/|].{0,120}",
    r".{0,80}\b(getty images|reuters/|ap photo|afp via getty|shutterstock|sputnik/|tass/|xinhua/)\b.{0,80}",
    r"(go to the )?media ?bank.*",
    r"subscribe( now| to our newsletter| for free)?[.!]?",
    r"sign up( for our newsletter| now)?[.!]?",
    r"show (more|less)",
    r"read (more|next|also)[:.]?.{0,120}",
    r"(related|recommended|latest|more|popular|trending|our latest) (articles|stories|news|posts)[:.]?",
    r"(you may|you might) (also )?like[:.]?",
    r"leave a (reply|comment)[.:]?( cancel reply)?",
    r"your email address will not be published\.?( required fields are marked \*?)?",
    r"required fields are marked \*?",
    r"%d bloggers like this:?",
    r"(like|share) this:?",
    r"click to (share|print|email).*",
    r"back to top( button)?",
    r"breaking( news)?:?",
    r"advertisement|sponsored( content)?|ad",
    r"(all rights reserved|copyright).{0,120}",
    r"(share|tweet|email|print|whatsapp|facebook|twitter|telegram|linkedin)( on \w+)?",
    r"(follow us|join us) on .{0,80}",
    r"comments?( \(\d+\))?|\d+ comments?|no comments( yet)?",
    r"(posted|published|updated|last updated)( on)?:? .{0,60}\d.{0,40}",
    r"tags?:.{0,200}",
    # web-form text scraped with the article: "Email This field is for validation purposes and should be left unchanged."
    r"(name|e-?mail|phone|website|comment)?\s*this field is (for validation purposes and should be left unchanged|required)\.?",
    r"please enter a valid e-?mail( address)?\.?",
    # an embedded tweet's signature line: "— Comfortably Smug (@ComfortablySmug) August 1, 2018"
    (r"[—–-]?\s*.{1,60}\(@\w{1,15}\) (january|february|march|april|may|june|july|august|september|october|november|"
     r"december) \d{1,2}, \d{4}"),
    r"(filed under|categories|category):.{0,200}",
    # a timestamp alone on a line: "29 January, 11:20 GMT", "2023-07-26 14:05"
    r"(\d{1,2} \w+,? \d{1,2}:\d{2}( (gmt|utc|[a-z]{2,4}))?|\d{4}-\d{2}-\d{2}( \d{1,2}:\d{2})?)",
]
_FURNITURE_RE = re.compile(r"^\s*(?:" + "|".join(_FURNITURE) + r")\s*$", re.IGNORECASE)


def _furniture_for_long_lines() -> tuple[int, re.Pattern]:
    r"""The longest line a furniture pattern of bounded width can match, and the pattern of the others.

    Lines are stripped, so ``_FURNITURE_RE`` matches a line only if one alternative matches all of it: a
    line longer than every bounded alternative can match only an unbounded one (``.*``, ``\s*``, ``\w+``),
    and the pattern of those alone gives the same answer. Widths come from the regex parser; without it
    the full pattern serves every line."""
    try:
        from re import _parser as parser  # Python 3.11+

        widths = [parser.parse(alt, re.IGNORECASE).getwidth()[1] for alt in _FURNITURE]
        unbounded = [alt for alt, w in zip(_FURNITURE, widths) if w >= parser.MAXREPEAT]
        longest = max(w for w in widths if w < parser.MAXREPEAT)
        return longest, re.compile(r"^\s*(?:" + "|".join(unbounded) + r")\s*$", re.IGNORECASE)
    except Exception:  # noqa: BLE001 - the full pattern is always right
        return -1, _FURNITURE_RE


_FURNITURE_BOUNDED_MAX, _FURNITURE_LONG_RE = _furniture_for_long_lines()
# Furniture that prefixes a line's real content: "date 2023-07-26 Title..."
_PREFIX_RE = re.compile(r"^\s*(date|posted|published|updated)[: ]\s*\d{4}-\d{2}-\d{2}(\s+\d{1,2}:\d{2})?\s+", re.IGNORECASE)
_MAYBE_BREAK_RE = re.compile(r"[.?!](?:[^\w\s]|\s+\S)")  # a superset of Punkt's candidate sentence ends
_TERMINAL = (".", "!", "?", "\"", "”", "’", "'", ":", ";", ")")
_BIO_RE = re.compile(
    r"^[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){1,5},? (is|was) (a|an|the) .{0,200}\b("
    r"research|fellow|professor|lecturer|journalist|writer|analyst|editor|correspondent|author|student|"
    r"associate|director|columnist|contributor|scholar|researcher|commentator|reporter)",
)


_ASCII_DIGIT_RE = re.compile(r"[0-9]")
_SIMPLE_CONTEXT_RE = re.compile(r"([A-Za-z0-9]+)([.?!])(?: ([A-Za-z]+)(?:,|'[A-Za-z]+)?|([\"”’')\]]))")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    boilerplate: bool


# Inputs up to this length are matched without nltk's wall-clock timeout (see _ShortInputPattern).
_UNTIMED_CHARS = 2_000


class _ShortInputPattern:
    """One of Punkt's patterns that skips nltk's 5-second match timeout on inputs of at most
    ``_UNTIMED_CHARS`` characters and keeps it on longer ones.

    nltk wraps its patterns so that a pathological input raises instead of hanging; arming that timeout
    costs the regex engine about 4 us per call, and Punkt makes three or four calls per sentence
    (a third of segmentation time). Since nltk's ReDoS fix Punkt's patterns take time at most
    quadratic in their input (a few million steps, milliseconds, at this size), so there the timeout
    cannot fire, and skipping it changes no result."""

    __slots__ = ("_raw", "_timed")

    def __init__(self, timed):
        self._timed, self._raw = timed, timed._rx

    def __getattr__(self, name: str):
        return getattr(self._timed, name)

    def _call(self, method: str, string: str, args, kwargs):
        if len(string) <= _UNTIMED_CHARS and "timeout" not in kwargs:
            return getattr(self._raw, method)(string, *args, timeout=None, **kwargs)
        return getattr(self._timed, method)(string, *args, **kwargs)

    def match(self, string: str, *args, **kwargs):
        return self._call("match", string, args, kwargs)

    def findall(self, string: str, *args, **kwargs):
        return self._call("findall", string, args, kwargs)

    def finditer(self, string: str, *args, **kwargs):
        return self._call("finditer", string, args, kwargs)

    def sub(self, repl, string: str, *args, **kwargs):
        if len(string) <= _UNTIMED_CHARS and "timeout" not in kwargs:
            return self._raw.sub(repl, string, *args, timeout=None, **kwargs)
        return self._timed.sub(repl, string, *args, **kwargs)


def _is_timed_regex(pattern) -> bool:
    """Whether ``pattern`` is a raw pattern of the ``regex`` module, whose calls take ``timeout``."""
    return type(pattern).__module__ in ("_regex", "regex", "regex._regex")


def _short_input(pattern):
    """``pattern`` as a :class:`_ShortInputPattern` if it is nltk's timed pattern, else unchanged."""
    if type(pattern).__name__ == "TimedPattern" and hasattr(pattern, "_rx"):
        return _ShortInputPattern(pattern)
    return pattern


class _ShortInputLanguageVars(PunktLanguageVars):
    """Punkt's English language variables with its patterns wrapped by :func:`_short_input`."""

    __slots__ = ()
    re_boundary_realignment = _short_input(PunktLanguageVars.re_boundary_realignment)
    # the characters a match of re_boundary_realignment can start with (its leading character class; a
    # test checks every character against the pattern): a slice starting with none of them is not matched
    realignment_starts = frozenset("\"')]}\u2018\u2019\u201c\u201d\xab\xbb")

    def period_context_re(self):
        rx = super().period_context_re()
        if not isinstance(rx, _ShortInputPattern):
            rx = self._re_period_context = _short_input(rx)
        return rx

    def _word_tokenizer_re(self):
        rx = super()._word_tokenizer_re()
        if not isinstance(rx, _ShortInputPattern):
            rx = self._re_word_tokenizer = _short_input(rx)
        return rx


class _AbbreviationPunkt(PunktSentenceTokenizer):
    """Punkt whose only parameters are abbreviations (no collocations, sentence starters or orthographic
    context: ours are not trained), with its per-candidate decision made on token strings.

    ``text_contains_sentbreak`` is where Punkt spends most of its time: it builds an annotated token
    object per word of each candidate's context and runs both annotation passes over them. Without
    trained context most of those rules cannot fire, and what remains is the few string tests below,
    made with Punkt's own regular expressions. The parameters must not change after construction.
    """

    def __init__(self, params: PunktParameters):
        super().__init__(params, lang_vars=_ShortInputLanguageVars())
        self._initial_re, self._numeric_re = _short_input(self._Token._RE_INITIAL), _short_input(self._Token._RE_NUMERIC)
        self._abbreviations_only = not (params.collocations or params.sent_starters or any(params.ortho_context.values()))
        self._patterns: dict[bool, tuple] = {}  # _spans' patterns and call options, for short and long texts

    def span_tokenize(self, text: str, realign_boundaries: bool = True):
        """Punkt's ``span_tokenize``: its candidate contexts, decisions and boundary realignment
        (``_match_potential_end_contexts``, ``_slices_from_text``, ``_realign_boundaries``) written out as
        one loop over the candidates instead of three chained generators, with the same patterns and
        :meth:`text_contains_sentbreak`."""
        if not (self._abbreviations_only and realign_boundaries):
            return super().span_tokenize(text, realign_boundaries)
        return iter(self._spans(text))

    def _spans(self, text: str) -> list[tuple[int, int]]:
        lang = self._lang_vars
        short = len(text) <= _UNTIMED_CHARS
        patterns = self._patterns.get(short)
        if patterns is None:  # the same for every text of the kind (the parameters do not change)
            period, realignment = lang.period_context_re(), lang.re_boundary_realignment
            if short:  # the patterns' short-input calls, without the wrapper
                if type(period) is _ShortInputPattern:
                    period = period._raw
                if type(realignment) is _ShortInputPattern:
                    realignment = realignment._raw
            untimed = {"timeout": None} if _is_timed_regex(period) else {}
            untimed_realign = {"timeout": None} if _is_timed_regex(realignment) else {}
            patterns = self._patterns[short] = (period, realignment, untimed, untimed_realign)
        period, realignment, untimed, untimed_realign = patterns
        slices: list[tuple[int, int]] = []
        last_break = 0
        # _match_potential_end_contexts: each candidate's context is the word before it (from the last
        # whitespace, string.whitespace's, of the text since the previous candidate's word), the candidate
        # and what follows; a candidate whose word overlaps the next candidate's is dropped. Of
        # string.whitespace, only the characters the text holds are looked for.
        spaces = [c for c in " \t\n\r\x0b\x0c" if c in text]
        contexts = []
        prev = None
        prev_start = prev_stop = 0
        for match in period.finditer(text, **untimed):
            start = match.start()
            if len(spaces) == 1:  # most lines: spaces only, one rfind
                ws = text.rfind(spaces[0], prev_stop, start)
            else:
                ws = max([text.rfind(c, prev_stop, start) for c in spaces], default=-1)
            word_start = ws + 1 if ws > prev_stop else prev_start  # Punkt reads a space at 0 as none
            if prev is not None and prev_stop <= word_start:
                contexts.append((prev, prev_start, prev_stop))
            prev, prev_start, prev_stop = match, word_start, start
        if prev is not None:
            contexts.append((prev, prev_start, prev_stop))
        for match, s, e in contexts:  # _slices_from_text
            if self.text_contains_sentbreak(text[s:e] + match.group() + match.group("after_tok")):
                slices.append((last_break, match.end()))
                # the next sentence starts after the whitespace, or at the punctuation that follows
                last_break = match.start("next_tok") if match.group("next_tok") else match.end()
        slices.append((last_break, len(text.rstrip())))
        # _realign_boundaries: closing punctuation after a break joins the sentence before it
        out: list[tuple[int, int]] = []
        realign = 0
        last = len(slices) - 1
        starts = lang.realignment_starts
        for k, (s1, e1) in enumerate(slices):
            s1 += realign
            if k < last:
                s2, e2 = slices[k + 1]
                # most slices start with a letter: the pattern cannot match, and is not called
                m = realignment.match(text[s2:e2], **untimed_realign) if s2 < e2 and text[s2] in starts else None
                if m:
                    out.append((s1, s2 + len(m.group(0).rstrip())))
                    realign = m.end()
                    continue
                realign = 0
            if text[s1:e1]:
                out.append((s1, e1))
        return out

    def text_contains_sentbreak(self, text: str) -> bool:
        """Punkt's answer: whether a token other than the last ends a sentence."""
        if not self._abbreviations_only or "\n" in text:
            return super().text_contains_sentbreak(text)
        if not text.strip():  # Punkt skips blank lines (str.strip's notion of blank)
            return False
        simple = _SIMPLE_CONTEXT_RE.fullmatch(text)
        if simple is not None:
            # the usual contexts: an ASCII word or number, its mark, then a space and an ASCII word (a comma
            # or an "'s" after it adds a token that cannot break) or a closing quote or bracket. Punkt's
            # tokens are "word." and the next ("?" and "!" are tokens of their own, and break); "word."
            # breaks unless an abbreviation; an initial before a word never does, nor a number before a
            # lower-case word
            word, mark, nxt, closer = simple.groups()
            if mark != ".":
                return True
            brk = word.lower() not in self._params.abbrev_types
            if closer is not None:
                return brk
            if len(word) == 1 and word.isalpha():
                return False
            if word.isdigit() and nxt[0].islower():
                return False
            return brk
        rx = self._lang_vars._word_tokenizer_re()
        if type(rx) is _ShortInputPattern and len(text) <= _UNTIMED_CHARS:  # its short-input call, without the wrapper
            toks = rx._raw.findall(text, timeout=None)
        else:
            toks = self._lang_vars.word_tokenize(text)
        return any(self._breaks_after(tok, nxt) for tok, nxt in zip(toks, toks[1:]))

    def _breaks_after(self, tok: str, nxt: str) -> bool:
        """Whether Punkt marks ``tok``, followed by ``nxt``, as a sentence break (both annotation passes)."""
        if not tok.endswith("."):  # "?" and "!" break; Punkt's passes change nothing else here
            return tok in self._lang_vars.sent_end_chars
        # first pass: "." breaks; a token ending in ".." does not (an ellipsis, or Punkt's exception for
        # period-final words); nor does an abbreviation; any other word ending in "." does
        if tok in self._lang_vars.sent_end_chars:
            brk = True
        elif tok.endswith(".."):
            brk = False
        else:
            word = tok[:-1].lower()
            abbrevs = self._params.abbrev_types
            brk = not (word in abbrevs or word.split("-")[-1] in abbrevs)
        # second pass: with no collocations, sentence starters or orthographic context, only the initial
        # and number rules can change the decision; the orthographic heuristic says "not a sentence
        # start" for punctuation and lower-case words and "unknown" otherwise
        # tokens of a context without a line break hold none: the initial pattern ("[^\W\d]\.$" from the
        # start) can match a token of two characters only, and the number pattern needs a digit, which an
        # ASCII token without 0-9 does not have
        initial = self._initial_re.match(tok) if len(tok) == 2 else None
        low = tok.lower()
        typ = low if low.isascii() and _ASCII_DIGIT_RE.search(low) is None else self._numeric_re.sub("##number##", low)
        if len(typ) > 1 and typ[-1] == ".":
            typ = typ[:-1]
        if initial or typ == "##number##":
            if nxt in self.PUNCTUATION or nxt[0].islower():
                return False
            if initial and nxt[0].isupper():
                return False
        return brk


@lru_cache(maxsize=1)
def _tokenizer() -> PunktSentenceTokenizer:
    text = resources.files("framing").joinpath("resources/punkt_abbreviations.txt").read_text(encoding="utf-8")
    params = PunktParameters()
    params.abbrev_types = {ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")}
    return _AbbreviationPunkt(params)


def _is_name_line(s: str) -> bool:
    # split(None, 6) stops after a seventh word: a paragraph is not split into all its words to learn that
    # it has more than six (up to six, the parts are those of split())
    words = s.split(None, 6)
    return 2 <= len(words) <= 6 and not s.endswith(_TERMINAL) and all(w[:1].isupper() for w in words)


def _line_spans(text: str) -> list[tuple[int, int]]:
    out = []
    for m in _LINE_RE.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out


def segment(text: str) -> list[Span]:
    """Split one article into sentence spans with boilerplate marks."""
    return [Span(s, e, b) for s, e, b in segment_spans(text)]


def segment_spans(text: str) -> list[tuple[int, int, bool]]:
    """:func:`segment`'s spans as ``(start, end, boilerplate)`` tuples, for the scoring loop: a frozen
    dataclass sets each field with its own ``object.__setattr__`` call (about 1 us a sentence)."""
    tok = _tokenizer()
    lines = _line_spans(text)
    line_text = [text[s:e] for s, e in lines]
    boiler = [bool((_FURNITURE_LONG_RE if len(t) > _FURNITURE_BOUNDED_MAX else _FURNITURE_RE).match(t)) for t in line_text]
    credits = [t for t, b in zip(line_text, boiler) if t.lstrip().startswith("©")]
    n = len(lines)
    for i, t in enumerate(line_text):
        if boiler[i]:
            continue
        # a photo caption: a line without end punctuation that repeats text of a credit line
        if credits and not t.endswith(_TERMINAL) and any(t in c for c in credits):
            boiler[i] = True
        # an author bio: a name on its own line followed by "<name> is a ...", or such a paragraph near the end
        elif i + 1 < n and _is_name_line(t) and line_text[i + 1].startswith(t + " ") and _BIO_RE.match(line_text[i + 1]):
            boiler[i] = boiler[i + 1] = True
        elif i >= n - 4 and _BIO_RE.match(t) and len(t) < 600:
            boiler[i] = True

    spans: list[tuple[int, int, bool]] = []
    for (ls, le), t, b in zip(lines, line_text, boiler):
        if b:
            spans.append((ls, le, True))
            continue
        m = _PREFIX_RE.match(t)
        if m and m.end() < len(t):
            pe = ls + len(m.group(0).rstrip())
            spans.append((ls, pe, True))
            ls = ls + m.end()
            t = text[ls:le]
        # Punkt considers a break only after . ? ! followed by punctuation or by space and a token; a
        # line with no such place is one sentence (most news paragraphs), without running Punkt
        for s, e in (tok.span_tokenize(t) if _MAYBE_BREAK_RE.search(t) else ((0, len(t)),)):
            # strip inner whitespace at span edges (Punkt spans are already tight, this is a guard)
            while s < e and t[s].isspace():
                s += 1
            while e > s and t[e - 1].isspace():
                e -= 1
            if s < e:
                spans.append((ls + s, ls + e, False))
    return spans


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` (content and boilerplate), as strings."""
    return [text[s.start:s.end] for s in segment(text)]
