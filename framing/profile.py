"""Sentence scores -> per-article and per-source profiles, with uncertainty; same-story comparison.

Everything here is plain pandas/numpy (scikit-learn for TF-IDF): no plotting, no file I/O, so a notebook
user can call each function on the DataFrames that ``framing score`` writes.

Conventions used throughout:

* Only *content* sentences count (``boilerplate`` rows are page furniture and are never scored).
* A label's **share** is flagged content sentences / content sentences. For a source it is pooled over
  its articles (every sentence weighs the same), and so is the corpus average it is compared with.
* The **expected share** is the mean calibrated probability: what the share would be on average if the
  flags were drawn from the model's probabilities. A large gap between share and expected share means
  the threshold, not the evidence, drives the number.
* **Density** is flagged sentences per 1,000 words, which compares long and short articles fairly.

Uncertainty (:func:`source_profiles`): a two-stage bootstrap. Each of ``n_boot`` resamples draws the
source's articles with replacement, then the sentences within each drawn article with replacement
(drawn as a binomial count, which is exactly equivalent for one label and needs no Python loop). The
95% interval is the 2.5th-97.5th percentile of the resampled pooled share. With one article it reduces
to a sentence bootstrap, which cannot see article-to-article variation, and when nothing (or
everything) is flagged the bootstrap interval collapses to a point; so the reported interval is the
union of the bootstrap interval and the Wilson score interval of the pooled counts. Sources with fewer
than :data:`MIN_ARTICLES` articles or :data:`MIN_SENTENCES` sentences are flagged ``low_sample``: read
their numbers as leads to check, not findings.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

#: ``low_sample`` rule: a source needs at least this many articles ...
MIN_ARTICLES = 3
#: ... and at least this many content sentences for its profile to count as more than a lead.
MIN_SENTENCES = 30
N_BOOT = 2000
SEED = 0
#: Articles join one automatic story when the TF-IDF cosine of their texts is at least this and (when
#: both are dated) they were published within ``STORY_WINDOW_DAYS`` of each other. Articles about one
#: event share names and places and score 0.2-0.3 on the seed corpus; unrelated news scores < 0.05.
STORY_THRESHOLD = 0.15
STORY_WINDOW_DAYS = 7
#: Two sentences of different articles state the same claim when their TF-IDF cosine is at least this.
ALIGN_THRESHOLD = 0.35
#: Sentences with fewer content words than this (headings such as "Background") are never aligned:
#: a handful of shared names would make them look alike.
ALIGN_MIN_WORDS = 4
TOP_TERMS = 5

# Function words that carry no framing on their own. Deliberately short and hand-made: general stop-word
# lists (scikit-learn's among them) contain "may", "might", "could", "perhaps", "seems", "never", "very",
# which are exactly the words that hedging and loaded-language evidence is made of.
FUNCTION_WORDS = frozenset(["a", "an", "the", "this", "that", "these", "those", "there", "here", "it", "its", "it's", "they", "them", "their", "theirs", "he", "him", "his", "she", "her", "hers", "we", "us", "our", "you", "your", "i", "me", "my", "of", "in", "on", "at", "to", "from", "by", "for", "with", "without", "into", "onto", "over", "under", "about", "after", "before", "between", "among", "through", "during", "against", "within", "across", "along", "around", "and", "or", "but", "nor", "so", "yet", "if", "then", "than", "as", "also", "not", "no", "is", "are", "was", "were", "be", "been", "being", "am", "has", "have", "had", "having", "do", "does", "did", "s", "'s", "which", "who", "whom", "whose", "what", "when", "where", "while", "how", "why", "all", "both", "each", "either", "neither", "any", "some", "such", "other", "another", "one", "two"])


# ================================================================================ inputs

def _as_bool(s: pd.Series) -> pd.Series:
    """Booleans survive Parquet and JSONL; CSV may give strings, so accept the usual spellings."""
    if pd.api.types.is_bool_dtype(s):
        return s.astype(bool)
    if pd.api.types.is_numeric_dtype(s):
        return s.fillna(0).astype(bool)
    return s.astype(str).str.strip().str.lower().isin({"true", "1", "yes", "t"})


def prepare_sentences(sentences: pd.DataFrame, labels: Sequence[str]) -> pd.DataFrame:
    """Normalise a scored sentence table: types, missing optional columns, stable order.

    Parameters
    ----------
    sentences : DataFrame
        As written by ``framing score`` (``sentences.*``).
    labels : sequence of str
        Label names; ``p_<label>`` and ``<label>`` columns must exist.

    Returns
    -------
    DataFrame
        A copy with ``article_id``/``source``/``text``/``evidence`` as str, ``boilerplate`` and
        ``para_start`` as bool, flags as int, probabilities as float.
    """
    s = sentences.copy()
    for c in ("article_id", "source", "text"):
        s[c] = s[c].astype(str)
    s["evidence"] = s["evidence"].fillna("[]").astype(str) if "evidence" in s else "[]"
    s["boilerplate"] = _as_bool(s["boilerplate"]) if "boilerplate" in s else False
    if "para_start" in s:
        s["para_start"] = _as_bool(s["para_start"])
    else:
        s["para_start"] = s.groupby("article_id", sort=False).cumcount() == 0
    if "sentence_id" not in s:
        s["sentence_id"] = s.groupby("article_id", sort=False).cumcount()
    s["sentence_id"] = pd.to_numeric(s["sentence_id"], errors="coerce").fillna(0).astype(int)
    for name in labels:
        s[name] = pd.to_numeric(s[name], errors="coerce").fillna(0).astype(int).clip(0, 1)
        s[f"p_{name}"] = pd.to_numeric(s[f"p_{name}"], errors="coerce").fillna(0.0).astype(float)
    return s


def parse_evidence(value) -> list[dict]:
    """The ``evidence`` cell as a list of dicts; anything unreadable counts as no evidence.

    Examples
    --------
    >>> parse_evidence('[{"label": "hedging", "start": 0, "end": 3, "text": "may"}]')[0]["text"]
    'may'
    >>> parse_evidence("not json")
    []
    """
    if isinstance(value, list):
        items = value
    else:
        try:
            items = json.loads(value) if isinstance(value, str) and value else []
        except ValueError:
            return []
    return [e for e in items if isinstance(e, dict)] if isinstance(items, list) else []


def _content(sentences: pd.DataFrame) -> pd.DataFrame:
    return sentences[~sentences["boilerplate"].to_numpy()]


def _n_words(text: pd.Series) -> pd.Series:
    return text.str.split().str.len().fillna(0).astype(int)


def is_informative(text: str) -> bool:
    """Whether an evidence span is worth showing: not only stop words ("of the", "to").

    The model's n-gram evidence can be a function word that happens to correlate with a label; it is
    kept in the tables but not listed as a term or marked in the text, where it would only confuse.
    """
    words = re.findall(r"[\w'’-]+", text.lower().replace("’", "'"))
    return bool(words) and not all(w in FUNCTION_WORDS for w in words)


def _article_base(sentences: pd.DataFrame, articles: pd.DataFrame | None) -> pd.DataFrame:
    """One row per article: from the articles table, plus any article seen only in the sentences."""
    cols = ["article_id", "source", "title", "published", "url", "story"]
    if articles is None or articles.empty:
        base = pd.DataFrame(columns=cols)
    else:
        base = articles.copy()
        base["article_id"] = base["article_id"].astype(str)
    for c in cols:
        if c not in base:
            base[c] = ""
        base[c] = base[c].fillna("").astype(str)
    seen = sentences.drop_duplicates("article_id")[["article_id", "source"]]
    missing = seen[~seen["article_id"].isin(base["article_id"])]
    if len(missing):
        extra = missing.assign(**{c: "" for c in cols if c not in missing})
        base = pd.concat([base[cols], extra[cols]], ignore_index=True)
    return base[cols].drop_duplicates("article_id").reset_index(drop=True)


# ================================================================================ per article

def evidence_items(sentences: pd.DataFrame, labels: Sequence[str]) -> pd.DataFrame:
    """Long table of evidence spans on flagged labels of content sentences.

    Returns
    -------
    DataFrame
        Columns ``article_id, source, sentence_id, label, start, end, text, cue, weight, outlet,
        country``. Evidence for a label the sentence is not flagged with is dropped.
    """
    rows = []
    content = _content(sentences)
    label_set = set(labels)
    flags = {name: content[name].to_numpy() for name in labels}
    for i, (aid, src, sid, ev) in enumerate(zip(content["article_id"], content["source"], content["sentence_id"], content["evidence"])):
        for e in parse_evidence(ev):
            lab = e.get("label")
            if lab not in label_set or not flags[lab][i]:
                continue
            rows.append({"article_id": aid, "source": src, "sentence_id": int(sid), "label": lab,
                         "start": e.get("start"), "end": e.get("end"), "text": str(e.get("text") or ""),
                         "cue": str(e.get("cue") or ""), "weight": e.get("weight"),
                         "outlet": str(e.get("outlet") or ""), "country": str(e.get("country") or "")})
    cols = ["article_id", "source", "sentence_id", "label", "start", "end", "text", "cue", "weight", "outlet", "country"]
    return pd.DataFrame(rows, columns=cols)


def state_outlets(sentences: pd.DataFrame, labels: Sequence[str]) -> pd.DataFrame:
    """State outlets and official channels cited in flagged sentences.

    Any evidence item that names an ``outlet`` counts (the model attaches them to state-media evidence);
    each outlet counts once per sentence. The model names three kinds: a registered outlet with its
    country ("TASS"), an official channel in the words of the text ("Defense Ministry", "in a
    statement"), and unnamed state media ("state media"); ``cited`` says which, for display.

    Returns
    -------
    DataFrame
        Columns ``article_id, source, outlet, country, label`` (the label whose evidence named it),
        ``cited`` ("TASS (Russia)", "Defense Ministry (channel)", "state media (unnamed)") and
        ``n_sentences``.
    """
    ev = evidence_items(sentences, labels)
    ev = ev[ev["outlet"].str.strip() != ""]
    cols = ["article_id", "source", "outlet", "country", "label", "cited"]
    if ev.empty:
        return pd.DataFrame(columns=cols + ["n_sentences"])
    ev = ev.drop_duplicates(["article_id", "sentence_id", "outlet"])
    ev = ev.assign(cited=[_cited(o, c, cue) for o, c, cue in zip(ev["outlet"], ev["country"], ev["cue"])])
    out = ev.groupby(cols, sort=False).size().rename("n_sentences").reset_index()
    return out.sort_values(["source", "n_sentences", "outlet"], ascending=[True, False, True], ignore_index=True)


def _cited(outlet: str, country: str, cue: str) -> str:
    if country:
        return f"{outlet} ({country})"
    if cue == "state_generic":
        return f"{outlet} (unnamed)"
    if cue.startswith("channel"):  # "channel", and "channel_speaks", "channel_gov"... when they weighed most
        return f"{outlet} (channel)"
    return outlet


def _format_counts(counter: Counter, top: int) -> str:
    items = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return "; ".join(f"{k} ×{v}" if v > 1 else k for k, v in items)


def article_profiles(sentences: pd.DataFrame, articles: pd.DataFrame | None, labels: Sequence[str],
                     top_terms: int = TOP_TERMS) -> pd.DataFrame:
    """One row per article: what was flagged, how much, and on what evidence.

    Parameters
    ----------
    sentences : DataFrame
        Scored sentences (see :func:`prepare_sentences`; it is applied here).
    articles : DataFrame or None
        Scored articles (metadata: ``title``, ``published``, ``url``, ``story``).
    labels : sequence of str
        Label names, from the codebook in the run's manifest.
    top_terms : int
        How many evidence terms to list per label.

    Returns
    -------
    DataFrame
        ``article_id, source, title, published, url, story, n_sentences`` (content sentences),
        ``n_boilerplate, n_words``; per label ``n_<L>`` (flagged sentences), ``share_<L>``,
        ``expected_share_<L>`` (mean probability), ``per_1000_words_<L>`` and ``terms_<L>`` (most
        frequent evidence terms, "term ×count; ..."); ``state_outlets`` ("TASS (Russia) ×2; ...").
        Shares and densities are NaN for an article with no content sentences or words.
    """
    s = prepare_sentences(sentences, labels)
    base = _article_base(s, articles)
    content = _content(s)
    g = content.groupby("article_id", sort=False)
    agg = pd.DataFrame({"n_sentences": g.size(), "n_words": g["text"].agg(lambda t: int(_n_words(t).sum()))})
    agg["n_boilerplate"] = s[s["boilerplate"]].groupby("article_id").size()
    for name in labels:
        agg[f"n_{name}"] = g[name].sum()
        agg[f"expected_sum_{name}"] = g[f"p_{name}"].sum()
    out = base.merge(agg, left_on="article_id", right_index=True, how="left")
    for c in ("n_sentences", "n_words", "n_boilerplate", *(f"n_{n}" for n in labels)):
        out[c] = out[c].fillna(0).astype(int)
    n = out["n_sentences"].replace(0, np.nan)
    words = out["n_words"].replace(0, np.nan)
    ev = evidence_items(s, labels)
    for name in labels:
        out[f"share_{name}"] = out[f"n_{name}"] / n
        out[f"expected_share_{name}"] = out.pop(f"expected_sum_{name}").fillna(0) / n
        out[f"per_1000_words_{name}"] = 1000 * out[f"n_{name}"] / words
        terms = {}
        for aid, grp in ev[ev["label"] == name].groupby("article_id", sort=False):
            # a term counts once per sentence: four n-grams of one sentence are not four uses
            uniq = grp.assign(t=grp["text"].str.strip().str.lower()).drop_duplicates(["sentence_id", "t"])
            terms[aid] = _format_counts(Counter(t for t in uniq["t"] if is_informative(t)), top_terms)
        out[f"terms_{name}"] = [terms.get(aid, "") for aid in out["article_id"]]
    outlets = state_outlets(s, labels)
    cited = {}
    for aid, grp in outlets.groupby("article_id", sort=False):
        cited[aid] = "; ".join(name + (f" ×{k}" if k > 1 else "") for name, k in zip(grp["cited"], grp["n_sentences"]))
    out["state_outlets"] = [cited.get(aid, "") for aid in out["article_id"]]
    lead = ["article_id", "source", "title", "published", "url", "story", "n_sentences", "n_boilerplate", "n_words"]
    per_label = [f"{k}_{name}" for name in labels for k in ("n", "share", "expected_share", "per_1000_words", "terms")]
    return out[lead + per_label + ["state_outlets"]].reset_index(drop=True)


# ================================================================================ per source

def _wilson(k: np.ndarray, n: np.ndarray, z: float = 1.959964) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for k successes of n (elementwise); NaN where n is 0."""
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def bootstrap_share_ci(flagged: np.ndarray, n_sentences: np.ndarray, n_boot: int = N_BOOT,
                       seed: int = SEED, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Two-stage bootstrap interval of a pooled share (see the module docstring).

    Parameters
    ----------
    flagged : array, shape (n_articles, n_labels)
        Flagged content sentences per article and label.
    n_sentences : array, shape (n_articles,)
        Content sentences per article.
    n_boot : int
        Resamples. All are drawn at once (arrays of shape ``(n_boot, n_articles, n_labels)``).
    seed : int
        Seed of the random generator; the same inputs and seed give the same interval.
    level : float
        Coverage of the interval.

    Returns
    -------
    low, high : arrays, shape (n_labels,)
        Percentile bounds (NaN when there are no sentences).
    """
    flagged = np.asarray(flagged, dtype=np.int64)
    n_sentences = np.asarray(n_sentences, dtype=np.int64)
    n_labels = flagged.shape[1]
    keep = n_sentences > 0
    flagged, n_sentences = flagged[keep], n_sentences[keep]
    k = len(n_sentences)
    if k == 0:
        return np.full(n_labels, np.nan), np.full(n_labels, np.nan)
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, k, size=(n_boot, k))  # stage 1: articles
    n_drawn = n_sentences[pick]  # (B, k)
    p_drawn = flagged[pick] / n_sentences[pick][..., None]  # (B, k, L)
    f_drawn = rng.binomial(np.broadcast_to(n_drawn[..., None], p_drawn.shape), p_drawn)  # stage 2: sentences
    shares = f_drawn.sum(axis=1) / n_drawn.sum(axis=1)[:, None]  # (B, L)
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(shares, [tail, 100 - tail], axis=0)
    return low, high


def source_profiles(sentences: pd.DataFrame, articles: pd.DataFrame | None, labels: Sequence[str],
                    n_boot: int = N_BOOT, seed: int = SEED, min_articles: int = MIN_ARTICLES,
                    min_sentences: int = MIN_SENTENCES) -> pd.DataFrame:
    """One row per source: pooled shares with 95% intervals, compared with the corpus average.

    Parameters
    ----------
    sentences, articles : DataFrame
        Scored sentences and articles (see :func:`article_profiles`).
    labels : sequence of str
        Label names.
    n_boot, seed : int
        Bootstrap resamples and seed (see :func:`bootstrap_share_ci`); each source draws from its own
        generator seeded with ``seed`` so adding a source does not change the others' intervals.
    min_articles, min_sentences : int
        The ``low_sample`` rule: a source with fewer articles or fewer content sentences is flagged.

    Returns
    -------
    DataFrame
        ``source, n_articles, n_sentences, n_words, low_sample``; per label ``n_<L>``, ``share_<L>``,
        ``ci_low_<L>``, ``ci_high_<L>``, ``expected_share_<L>``, ``corpus_share_<L>``, ``diff_<L>``
        (share minus corpus share) and ``ratio_<L>`` (share / corpus share; NaN when the corpus share
        is 0). Sorted by source.
    """
    art = article_profiles(sentences, articles, labels)
    total_n = art["n_sentences"].sum()
    corpus = {name: (art[f"n_{name}"].sum() / total_n if total_n else np.nan) for name in labels}
    rows = []
    for src, grp in art.groupby("source", sort=True):
        n = grp["n_sentences"].to_numpy()
        f = grp[[f"n_{name}" for name in labels]].to_numpy()
        n_total = int(n.sum())
        row = {"source": src, "n_articles": len(grp), "n_sentences": n_total, "n_words": int(grp["n_words"].sum()),
               "low_sample": bool(len(grp) < min_articles or n_total < min_sentences)}
        low, high = bootstrap_share_ci(f, n, n_boot=n_boot, seed=seed)
        w_low, w_high = _wilson(f.sum(axis=0), np.full(len(labels), n_total))
        for j, name in enumerate(labels):
            k = int(f[:, j].sum())
            share = k / n_total if n_total else np.nan
            expected = (grp[f"expected_share_{name}"].fillna(0) * grp["n_sentences"]).sum() / n_total if n_total else np.nan
            c = corpus[name]
            row.update({
                f"n_{name}": k,
                f"share_{name}": share,
                f"ci_low_{name}": float(np.fmin(low[j], w_low[j])) if n_total else np.nan,
                f"ci_high_{name}": float(np.fmax(high[j], w_high[j])) if n_total else np.nan,
                f"expected_share_{name}": expected,
                f"corpus_share_{name}": c,
                f"diff_{name}": share - c,
                f"ratio_{name}": share / c if c else np.nan,
            })
        rows.append(row)
    lead = ["source", "n_articles", "n_sentences", "n_words", "low_sample"]
    per_label = [f"{k}_{name}" for name in labels
                 for k in ("n", "share", "ci_low", "ci_high", "expected_share", "corpus_share", "diff", "ratio")]
    return pd.DataFrame(rows, columns=lead + per_label)


def evidence_basis(cues) -> str:
    """What a flag's evidence rests on: "cue" when any item is a lexicon or registry cue (a loaded term, a
    hedge, an outlet, a channel...), "words" when all are word n-grams the model weighed ("ngram"), ""
    without evidence. Flags on word patterns alone are the less reliable ones: on the real-news benchmark,
    editorializing flags resting on words only were right 48% of the time, those with a cue 66%."""
    cues = [str(c) for c in cues if c is not None and str(c)]
    if not cues:
        return ""
    return "words" if all(c == "ngram" for c in cues) else "cue"


def flagged_sentences(sentences: pd.DataFrame, articles: pd.DataFrame | None, labels: Sequence[str]) -> pd.DataFrame:
    """Long table, one row per flagged (content sentence, label): the sentences behind every number.

    Returns
    -------
    DataFrame
        ``article_id, source, title, sentence_id, position`` (1-based among content sentences),
        ``label, probability, evidence`` ("term, term"), ``basis`` ("cue" when a lexicon or registry cue
        is among the evidence, "words" when only word n-grams are, "" without evidence), ``outlets`` and
        ``text``; in article and sentence order.
    """
    s = prepare_sentences(sentences, labels)
    content = _content(s).copy()
    content["position"] = content.groupby("article_id", sort=False).cumcount() + 1
    titles = _article_base(s, articles).set_index("article_id")["title"]
    ev = evidence_items(s, labels)
    ev_terms, ev_outlets, ev_basis = {}, {}, {}
    for k, grp in ev.groupby(["article_id", "sentence_id", "label"], sort=False):
        ev_terms[k] = ", ".join(dict.fromkeys(t for t in grp["text"] if t.strip()))
        ev_outlets[k] = ", ".join(dict.fromkeys(o for o in grp["outlet"] if o))
        ev_basis[k] = evidence_basis(grp["cue"])
    rows = []
    for name in labels:
        hit = content[content[name] == 1]
        for aid, src, sid, pos, p, text in zip(hit["article_id"], hit["source"], hit["sentence_id"],
                                               hit["position"], hit[f"p_{name}"], hit["text"]):
            rows.append({"article_id": aid, "source": src, "title": titles.get(aid, ""), "sentence_id": int(sid),
                         "position": int(pos), "label": name, "probability": round(float(p), 4),
                         "evidence": ev_terms.get((aid, int(sid), name), ""),
                         "basis": ev_basis.get((aid, int(sid), name), ""),
                         "outlets": ev_outlets.get((aid, int(sid), name), ""),
                         "text": text})
    cols = ["article_id", "source", "title", "sentence_id", "position", "label", "probability", "evidence", "basis",
            "outlets", "text"]
    out = pd.DataFrame(rows, columns=cols)
    order = {aid: k for k, aid in enumerate(content["article_id"].drop_duplicates())}
    lab_order = {name: k for k, name in enumerate(labels)}
    if len(out):
        out = out.assign(_a=out["article_id"].map(order), _l=out["label"].map(lab_order))
        out = out.sort_values(["_a", "sentence_id", "_l"], kind="stable").drop(columns=["_a", "_l"])
    return out.reset_index(drop=True)


# ================================================================================ same story

def _normalise(text: str) -> str:
    """Lower-case, straight apostrophes, and "co-operation" == "cooperation" for matching."""
    text = text.lower().replace("’", "'").replace("‘", "'")
    return re.sub(r"(?<=\w)-(?=\w)", "", text)


def _tfidf(texts: Sequence[str]):
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(preprocessor=_normalise, stop_words="english", sublinear_tf=True)
    try:
        return vec.fit_transform(texts)
    except ValueError:  # every text empty or only stop words
        return None


def _pairs_above(X, threshold: float, chunk: int = 2000) -> Iterable[tuple[int, int, float]]:
    """(i, j, cosine) for i < j with cosine >= threshold; rows are L2-normalised, computed in chunks
    so a large corpus never needs the full dense similarity matrix."""
    n = X.shape[0]
    XT = X.T.tocsc()
    for lo in range(0, n, chunk):
        sim = (X[lo:lo + chunk] @ XT).tocoo()
        for i, j, v in zip(sim.row + lo, sim.col, sim.data):
            if i < j and v >= threshold:
                yield int(i), int(j), float(v)


class _UnionFind:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> int:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            self.parent[max(ri, rj)] = min(ri, rj)
        return min(ri, rj)


def parse_dates(values: pd.Series) -> pd.Series:
    """Publication dates as UTC timestamps; empty or unparseable values become NaT."""
    return pd.to_datetime(values.astype(str).replace("", None), errors="coerce", utc=True, format="mixed")


def group_stories(sentences: pd.DataFrame, articles: pd.DataFrame | None, threshold: float = STORY_THRESHOLD,
                  window_days: int = STORY_WINDOW_DAYS) -> pd.DataFrame:
    """Assign every article to a story.

    An article's own ``story`` field wins. The others are grouped automatically: two articles are
    linked when the TF-IDF cosine similarity of their content sentences (joined) is at least
    ``threshold`` and, if both carry a publication date, the dates are at most ``window_days`` apart;
    a story is a connected group of linked articles.

    Parameters
    ----------
    sentences : DataFrame
        Scored sentences (``article_id``, ``text``, ``boilerplate``).
    articles : DataFrame or None
        Scored articles (``story``, ``published``, ``source``, ``title``).
    threshold : float
        Cosine similarity that links two articles (see :data:`STORY_THRESHOLD`).
    window_days : int
        Largest gap between publication dates of linked articles.

    Returns
    -------
    DataFrame
        ``article_id, source, title, story, story_method`` ("given" or "auto"); automatic stories are
        named ``story-1``, ``story-2``... in order of first article.
    """
    s = sentences.copy()
    s["boilerplate"] = _as_bool(s["boilerplate"]) if "boilerplate" in s else False
    s["article_id"] = s["article_id"].astype(str)
    base = _article_base(s, articles)
    given = base["story"].str.strip() != ""
    out = base[["article_id", "source", "title"]].copy()
    out["story"] = base["story"].str.strip()
    out["story_method"] = np.where(given, "given", "auto")
    todo = base.index[~given].to_numpy()
    if len(todo):
        texts = _content(s).groupby("article_id", sort=False)["text"].agg(" ".join)
        docs = [texts.get(aid, "") for aid in base.loc[todo, "article_id"]]
        dates = parse_dates(base.loc[todo, "published"]).to_numpy()
        uf = _UnionFind(len(todo))
        X = _tfidf(docs)
        if X is not None:
            window = np.timedelta64(window_days, "D")
            for i, j, _ in _pairs_above(X, threshold):
                di, dj = dates[i], dates[j]
                if not (pd.isna(di) or pd.isna(dj)) and abs(di - dj) > window:
                    continue
                uf.union(i, j)
        names: dict[int, str] = {}
        taken = set(out["story"])
        for k in range(len(todo)):
            root = uf.find(k)
            if root not in names:
                n = len(names) + 1
                while f"story-{n}" in taken:
                    n += 1
                names[root] = f"story-{n}"
                taken.add(names[root])
            out.loc[todo[k], "story"] = names[root]
    return out.reset_index(drop=True)


def align_story(sentences: pd.DataFrame, article_ids: Sequence[str], labels: Sequence[str],
                threshold: float = ALIGN_THRESHOLD, min_words: int = ALIGN_MIN_WORDS) -> pd.DataFrame:
    """Align the content sentences of one story's articles into claims.

    All cross-article sentence pairs with TF-IDF cosine >= ``threshold`` are taken best first; a pair
    joins its two sentences' claims unless that would put two sentences of one article in a claim
    (greedy best match). Sentences that match nothing are claims of their own: what one article
    includes and the others omit.

    Parameters
    ----------
    sentences : DataFrame
        Scored sentences.
    article_ids : sequence of str
        The articles of the story.
    labels : sequence of str
        Label names; the flags of each aligned sentence show how each source frames a shared claim.
    threshold : float
        Cosine similarity for two sentences to state the same claim (see :data:`ALIGN_THRESHOLD`).
    min_words : int
        Sentences with fewer non-stop words are never aligned.

    Returns
    -------
    DataFrame
        One row per (claim, sentence): ``claim`` (1-based, shared claims first, then by position),
        ``n_articles, n_sources`` (in the claim), ``article_id, source, sentence_id, position``
        (0-1, where in the article), ``similarity`` (best match within the claim; NaN if alone),
        ``labels`` (flagged labels, comma-separated) and ``text``.
    """
    cols = ["claim", "n_articles", "n_sources", "article_id", "source", "sentence_id", "position", "similarity", "labels", "text"]
    ids = [str(a) for a in article_ids]
    s = prepare_sentences(sentences[sentences["article_id"].astype(str).isin(ids)], labels)
    c = _content(s).copy()
    if c.empty:
        return pd.DataFrame(columns=cols)
    c["position"] = c.groupby("article_id", sort=False).cumcount()
    c["position"] = c["position"] / c.groupby("article_id", sort=False)["position"].transform("max").replace(0, 1)
    c = c.reset_index(drop=True)
    art = c["article_id"].to_numpy()
    uf = _UnionFind(len(c))
    members = {i: {art[i]} for i in range(len(c))}
    best = np.full(len(c), np.nan)
    X = _tfidf(c["text"].tolist())
    if X is not None:
        long_enough = np.asarray((X > 0).sum(axis=1)).ravel() >= min_words
        pairs = [(v, i, j) for i, j, v in _pairs_above(X, threshold)
                 if art[i] != art[j] and long_enough[i] and long_enough[j]]
        for v, i, j in sorted(pairs, key=lambda t: (-t[0], t[1], t[2])):
            ri, rj = uf.find(i), uf.find(j)
            if ri == rj or members[ri] & members[rj]:
                continue
            root = uf.union(ri, rj)
            members[root] = members.pop(ri if root == rj else rj) | members[root]
            best[i] = np.fmax(best[i], v)
            best[j] = np.fmax(best[j], v)
    c["root"] = [uf.find(i) for i in range(len(c))]
    c["similarity"] = np.round(best, 3)
    c["labels"] = [", ".join(n for n in labels if row[n]) for _, row in c[list(labels)].iterrows()] if labels else ""
    g = c.groupby("root")
    c["n_articles"] = g["article_id"].transform("nunique")
    c["n_sources"] = g["source"].transform("nunique")
    order = (c.groupby("root").agg(n=("n_articles", "first"), pos=("position", "mean"), first=("root", "first"))
             .sort_values(["n", "pos", "first"], ascending=[False, True, True]))
    c["claim"] = c["root"].map({r: k + 1 for k, r in enumerate(order.index)})
    art_order = {a: k for k, a in enumerate(ids)}
    c = c.assign(_a=c["article_id"].map(art_order)).sort_values(["claim", "_a", "sentence_id"])
    return c[cols].reset_index(drop=True)


def story_alignment(sentences: pd.DataFrame, articles: pd.DataFrame | None, labels: Sequence[str],
                    stories: pd.DataFrame | None = None, threshold: float = ALIGN_THRESHOLD) -> pd.DataFrame:
    """:func:`align_story` for every story with two or more articles, in one long table.

    Parameters
    ----------
    stories : DataFrame, optional
        Output of :func:`group_stories` (computed when not given).

    Returns
    -------
    DataFrame
        ``story`` followed by the columns of :func:`align_story`.
    """
    if stories is None:
        stories = group_stories(sentences, articles)
    parts = []
    for story, grp in stories.groupby("story", sort=False):
        if len(grp) < 2:
            continue
        aligned = align_story(sentences, grp["article_id"].tolist(), labels, threshold=threshold)
        parts.append(aligned.assign(story=story))
    if not parts:
        return pd.DataFrame(columns=["story", "claim", "n_articles", "n_sources", "article_id", "source",
                                     "sentence_id", "position", "similarity", "labels", "text"])
    out = pd.concat(parts, ignore_index=True)
    return out[["story"] + [c for c in out.columns if c != "story"]]
