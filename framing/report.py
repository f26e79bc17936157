"""The editor report: one self-contained HTML page built from small sections, plus its charts and tables.

``build_report(scored_dir, out)`` reads what ``framing score`` wrote, computes the profiles
(:mod:`framing.profile`), draws the charts (:mod:`framing.charts`) and renders five sections, in the
order an editor reads them: summary, sources, same-story comparison, articles, method and caveats.
Each :class:`Section` renders its own Jinja2 template; the page template joins them.

Safety: article text, titles, sources, ids and URLs are untrusted. Templates autoescape everything;
the only HTML built in Python (highlighted sentences) escapes every piece of text with
:func:`markupsafe.escape` before wrapping it in tags whose names and classes come from this module.
Anchors and file names are generated (``art-3``, ``strip-3.png``), never taken from the data. The page
loads nothing: images are ``data:`` URIs, CSS is inline, there is no JavaScript.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from markupsafe import Markup, escape

from . import __version__
from . import profile as prof
from .codebook import Codebook, Label, codebook_from_dict
from .errors import CodebookError, InputError, OutputError
from .io import find_table, read_table, write_table, write_text

INDICATOR_NOTE = "These are indicators for a human to check, not verdicts."
GENERATOR = "framing report"
#: Full text (with highlights and a position strip) is shown for at most this many articles; every
#: article is still in the profiles, the charts' counts and the CSV tables.
MAX_ARTICLES = 200
#: A story is shown as a side-by-side table up to this many articles, then as one block per claim.
MAX_SIDE_BY_SIDE = 5
#: Shared claims shown per story (those in most articles first); all are in story_alignment.csv.
MAX_CLAIMS = 40
#: Flagged sentences listed per source and label, most probable first; all are in flagged_sentences.csv.
MAX_BEHIND = 25
#: Below this cross-validated macro-F1 the summary warns that many flags will be wrong.
WEAK_MODEL_F1 = 0.6
_REQUIRED = ["article_id", "source", "text"]
TABLE_NOTES = {
    "article_profiles.csv": "one row per article: flagged sentences, shares, expected shares, density, evidence terms, outlets cited",
    "source_profiles.csv": "one row per source: shares with 95% intervals, corpus averages, differences, the small-sample flag",
    "flagged_sentences.csv": "one row per flagged sentence and label, with probability and evidence: the sentences behind every number",
    "story_alignment.csv": "one row per sentence of each multi-article story, with the claim it was aligned to",
}
_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


# ================================================================================ inputs

@dataclass
class ScoredRun:
    """What ``framing score`` wrote to one folder, read and checked."""

    folder: Path
    sentences: pd.DataFrame
    articles: pd.DataFrame
    manifest: dict
    codebook: Codebook

    @property
    def labels(self) -> list[str]:
        return self.codebook.names


def _read(path: Path) -> pd.DataFrame:
    from pyarrow import (
        ArrowException,  # a damaged Parquet file raises pyarrow's own types
    )

    try:
        return read_table(path)
    except (OSError, ValueError, ArrowException) as exc:
        first = (str(exc).splitlines() or [""])[0][:200]
        raise InputError(f"{path}: cannot be read ({type(exc).__name__}: {first}); rerun `framing score` to rewrite it") from None


def load_scored(scored_dir: str | Path) -> ScoredRun:
    """Read and check a folder written by ``framing score``.

    Parameters
    ----------
    scored_dir : str or Path
        The ``--out`` folder of ``framing score``: ``sentences.*``, ``articles.*`` and ``manifest.json``.

    Returns
    -------
    ScoredRun

    Raises
    ------
    InputError
        The folder, a table or the manifest is missing or unreadable, or a column is missing.
    """
    folder = Path(scored_dir)
    hint = f"pass the --out folder of `framing score` (e.g. framing score articles.jsonl --out {folder})"
    if not folder.exists():
        raise InputError(f"{folder}: no such folder; {hint}")
    if not folder.is_dir():
        raise InputError(f"{folder}: not a folder; {hint}")
    manifest_path = folder / "manifest.json"
    sentences_path = find_table(folder, "sentences")
    if sentences_path is None or not manifest_path.is_file():
        missing = "sentences table" if sentences_path is None else "manifest.json"
        raise InputError(f"{folder}: no {missing}; this is not a finished `framing score` output; {hint}")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"{manifest_path}: not readable JSON ({exc}); rerun `framing score`") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("codebook"), dict):
        raise InputError(f"{manifest_path}: has no codebook; rerun `framing score` with a current model")
    try:
        codebook = codebook_from_dict(manifest["codebook"], source=str(manifest_path))
    except CodebookError as exc:
        raise InputError(str(exc)) from None
    sentences = _read(sentences_path)
    if sentences.empty:
        raise InputError(f"{sentences_path}: holds no sentences, so there is nothing to report; check the inputs of `framing score`")
    needed = _REQUIRED + [c for n in codebook.names for c in (f"p_{n}", n)]
    missing_cols = [c for c in needed if c not in sentences.columns]
    if missing_cols:
        raise InputError(f"{sentences_path}: missing column(s) {', '.join(missing_cols)}; it does not match the "
                         "manifest's labels; rerun `framing score` into a fresh folder")
    sentences = prof.prepare_sentences(sentences, codebook.names)
    articles_path = find_table(folder, "articles")
    articles = _read(articles_path) if articles_path is not None else pd.DataFrame(columns=["article_id", "source"])
    if "article_id" not in articles.columns:
        raise InputError(f"{articles_path}: missing column article_id; rerun `framing score` into a fresh folder")
    articles["article_id"] = articles["article_id"].astype(str)
    if "source" in articles:
        articles["source"] = articles["source"].astype(str)
    return ScoredRun(folder=folder, sentences=sentences, articles=articles, manifest=manifest, codebook=codebook)


# ================================================================================ formatting

def _finite(x) -> bool:
    try:
        return x is not None and math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def pct(x, digits: int = 0) -> str:
    """0.3125 -> "31%"; tiny non-zero values -> "<1%"; missing -> "–"."""
    if not _finite(x):
        return "–"
    x = float(x)
    if 0 < x < 0.005 and digits == 0:
        return "<1%"
    return f"{100 * x:.{digits}f}%"


def ci(lo, hi) -> str:
    """A 95% interval as "16–49%"."""
    if not (_finite(lo) and _finite(hi)):
        return "–"
    return f"{100 * float(lo):.0f}–{100 * float(hi):.0f}%"


def points(x) -> str:
    """A difference of shares in percentage points: 0.15 -> "+15 pts", -0.2 -> "−20 pts"."""
    if not _finite(x):
        return "–"
    v = round(100 * float(x))
    return f"+{v} pts" if v > 0 else (f"−{-v} pts" if v < 0 else "0 pts")


def _num(x, digits: int = 1) -> str:
    return f"{float(x):.{digits}f}" if _finite(x) else "–"


def _tint(colour: str, amount: float) -> str:
    """Mix a hex colour with white (``amount`` = share of white)."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    mix = [round(c + (255 - c) * amount) for c in (r, g, b)]
    return "#{:02x}{:02x}{:02x}".format(*mix)


def _short_codes(labels: Sequence[Label]) -> dict[str, str]:
    """Initials of each label name ("loaded_language" -> "LL"), made unique: so chips still read in greyscale print."""
    codes: dict[str, str] = {}
    for lab in labels:
        base = "".join(w[0] for w in lab.name.split("_") if w).upper() or lab.name[:2].upper()
        code, k = base, 2
        while code in codes.values():
            code, k = f"{base}{k}", k + 1
        codes[lab.name] = code
    return codes


@dataclass(frozen=True)
class LabelView:
    """A label as the templates use it."""

    name: str
    display: str
    definition: str
    color: str
    tint: str
    mark: str
    code: str
    yes: tuple[str, ...]
    no: tuple[str, ...]


def _label_views(codebook: Codebook) -> list[LabelView]:
    codes = _short_codes(codebook.labels)
    out = []
    for lab in codebook.labels:
        colour = lab.color if _HEX.match(lab.color or "") else "#000000"
        out.append(LabelView(lab.name, lab.display, lab.definition, colour, _tint(colour, 0.84), _tint(colour, 0.6),
                             codes[lab.name], lab.yes, lab.no))
    return out


# ================================================================================ highlighted text

def _evidence_runs(text: str, evidence: list[dict], flagged: Sequence[str], order: dict[str, int]) -> list[tuple[str, list[str]]]:
    """Split ``text`` into runs with the labels whose evidence covers them (overlaps allowed)."""
    n = len(text)
    cover: list[set[str]] = [set() for _ in range(n)]
    for e in evidence:
        lab = e.get("label")
        s, t = e.get("start"), e.get("end")
        if lab not in flagged or not isinstance(s, int) or not isinstance(t, int):
            continue
        if not prof.is_informative(text[max(0, s):max(0, t)]):
            continue
        for i in range(max(0, s), min(n, t)):
            cover[i].add(lab)
    runs: list[tuple[str, list[str]]] = []
    start = 0
    for i in range(1, n + 1):
        if i == n or cover[i] != cover[start]:
            runs.append((text[start:i], sorted(cover[start], key=order.get)))
            start = i
    return runs


def highlight_sentence(row: pd.Series | dict, labels: Sequence[LabelView], anchor: str | None = None) -> Markup:
    """One sentence as safe HTML: flagged sentences tinted by their most probable label, evidence spans
    in ``<mark>``, a chip per label, and the probabilities and evidence in the ``title`` (hover) text.
    Evidence made only of function words ("the", "of the") is left out here (it stays in the CSV).

    Parameters
    ----------
    row : Series or dict
        A scored sentence (``text``, ``boilerplate``, ``evidence``, ``p_<L>``, ``<L>``).
    labels : sequence of LabelView
        The labels, in codebook order.
    anchor : str, optional
        ``id`` for a flagged sentence, so lists of flagged sentences can link to it. Must be generated
        (e.g. ``art-3-s12``), never taken from the data.

    Returns
    -------
    Markup
        HTML in which every piece of sentence text has been escaped.
    """
    text = str(row["text"])
    if bool(row["boilerplate"]):
        return Markup('<span class="s boiler" title="page furniture or boilerplate: not scored">{}</span> ').format(text)
    flagged = [lab for lab in labels if int(row[lab.name]) == 1]
    if not flagged:
        return Markup('<span class="s">{}</span> ').format(text)
    order = {lab.name: k for k, lab in enumerate(labels)}
    evidence = prof.parse_evidence(row["evidence"])
    names = [lab.name for lab in flagged]
    primary = max(flagged, key=lambda lab: float(row[f"p_{lab.name}"]))
    hover = []
    for lab in flagged:
        terms = list(dict.fromkeys(str(e.get("text", "")).strip() for e in evidence
                                   if e.get("label") == lab.name and prof.is_informative(str(e.get("text", "")))))
        outlets = list(dict.fromkeys(str(e["outlet"]) for e in evidence if e.get("label") == lab.name and e.get("outlet")))
        part = f"{lab.display} p={float(row[f'p_{lab.name}']):.2f}"
        if terms:
            part += "; evidence: " + ", ".join(terms)
            if prof.evidence_basis(e.get("cue", "") for e in evidence if e.get("label") == lab.name) == "words":
                part += " (word patterns only, no lexicon cue)"
        if outlets:
            part += "; cites: " + ", ".join(outlets)
        hover.append(part)
    body = Markup("")
    for piece, labs in _evidence_runs(text, evidence, names, order):
        if labs:
            body += Markup('<mark class="ev ev-{}">{}</mark>').format(labs[0], piece)
        else:
            body += escape(piece)
    chips = Markup("").join(Markup('<b class="chip chip-{}">{}</b>').format(lab.name, lab.code) for lab in flagged)
    classes = " ".join(["s", "flag", f"bg-{primary.name}"] + [f"has-{n}" for n in names])
    ident = Markup(' id="{}"').format(anchor) if anchor else ""
    return Markup('<span class="{}"{} title="{}">{}<span class="chips">{}</span></span> ').format(
        classes, ident, " | ".join(hover), body, chips)


def article_paragraphs(sentences: pd.DataFrame, labels: Sequence[LabelView], anchor: str | None = None) -> list[Markup]:
    """The article's sentences (in order) as a list of paragraphs of highlighted HTML, split at ``para_start``.

    With ``anchor`` (the article's generated anchor) each flagged sentence gets the id ``<anchor>-s<sentence_id>``.
    """
    paras: list[Markup] = []
    current = Markup("")
    for _, row in sentences.sort_values("sentence_id", kind="stable").iterrows():
        if bool(row["para_start"]) and current:
            paras.append(current)
            current = Markup("")
        current += highlight_sentence(row, labels, _sentence_anchor(anchor, row["sentence_id"]))
    if current:
        paras.append(current)
    return paras


# ================================================================================ numbers in words

def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def headline_findings(sources: pd.DataFrame, labels: Sequence[LabelView], limit: int = 6) -> list[str]:
    """Plain-sentence differences between sources and the corpus average, largest first.

    Differences whose 95% interval excludes the corpus average come first; each sentence carries its
    interval and says so when the interval includes the average or the source is a small sample.

    Parameters
    ----------
    sources : DataFrame
        Output of :func:`framing.profile.source_profiles`.
    labels : sequence of LabelView
        Labels (display names).
    limit : int
        At most this many sentences.

    Returns
    -------
    list of str
    """
    if len(sources) < 2:
        return []
    # when every source is small the summary says so once; repeating it on each line hides the numbers
    note_small = not bool(sources["low_sample"].all())
    cands = []
    for _, r in sources.iterrows():
        if not r["n_sentences"]:
            continue
        for lab in labels:
            share, corpus = r[f"share_{lab.name}"], r[f"corpus_share_{lab.name}"]
            lo, hi = r[f"ci_low_{lab.name}"], r[f"ci_high_{lab.name}"]
            if not (_finite(share) and _finite(corpus)) or corpus == 0 and share == 0:
                continue
            # +2 points on both sides: 0% against 1% is not an "infinitely" large difference
            size = abs(math.log((share + 0.02) / (corpus + 0.02)))
            if size < 0.1:  # within ~10% of the average: not a headline
                continue
            clear = bool(lo > corpus or hi < corpus)
            cands.append((not clear, -size, str(r["source"]), lab.name, r, lab, clear))
    cands.sort(key=lambda c: c[:4])
    out = []
    for *_, r, lab, clear in cands[:limit]:
        name = _lower_first(lab.display)
        k, n = int(r[f"n_{lab.name}"]), int(r["n_sentences"])
        share, corpus = float(r[f"share_{lab.name}"]), float(r[f"corpus_share_{lab.name}"])
        interval = f"{k} of {n}; 95% CI {ci(r[f'ci_low_{lab.name}'], r[f'ci_high_{lab.name}'])}"
        if k == 0:
            text = f"Source {r['source']} has no sentence flagged for {name} ({interval}), against a corpus average of {pct(corpus)}."
        elif share >= corpus:
            text = (f"Source {r['source']} flags {name} in {pct(share)} of its sentences ({interval}), "
                    f"{share / corpus:.1f}× the corpus average of {pct(corpus)}.")
        else:
            text = (f"Source {r['source']} flags {name} in {pct(share)} of its sentences ({interval}), "
                    f"below the corpus average of {pct(corpus)} ({share / corpus:.1f}×).")
        if not clear:
            text += " The interval includes the corpus average, so this may be chance."
        if note_small and bool(r["low_sample"]):
            text += (f" Small sample ({_plural(int(r['n_articles']), 'article')}, {_plural(n, 'sentence')}): "
                     "a lead to check, not a finding.")
        out.append(text)
    return out


# ================================================================================ sections

@dataclass
class Section:
    """One part of the report: an anchor, a title, a template and what the template needs."""

    id: str
    title: str
    template: str
    context: dict = field(default_factory=dict)

    def render(self, env, **common) -> Markup:
        """Render the section's template (autoescaped, so its output is safe HTML) with ``common`` values
        shared by every section (e.g. ``labels``)."""
        return Markup(env.get_template(self.template).render(section=self, **common, **self.context))


@dataclass
class Chart:
    """A chart as embedded: base64 PNG, the file written beside the report, its printed width, alt text."""

    b64: str
    file: str
    width_in: float
    alt: str

    @property
    def src(self) -> str:
        return "data:image/png;base64," + self.b64


class _ChartWriter:
    def __init__(self, folder: Path):
        self.folder = folder
        self.written: list[Path] = []

    def add(self, fig, name: str, alt: str) -> Chart:
        from .charts import figure_size_inches, save_png

        path = self.folder / f"{name}.png"
        b64 = save_png(fig, path)
        self.written.append(path)
        w, _ = figure_size_inches(b64)
        return Chart(b64=b64, file=f"{self.folder.name}/{path.name}", width_in=round(w, 2), alt=alt)


def _date_range(articles: pd.DataFrame) -> tuple[str, str, int]:
    dates = prof.parse_dates(articles["published"]) if "published" in articles else pd.Series(dtype="datetime64[ns, UTC]")
    ok = dates.dropna()
    if ok.empty:
        return "", "", len(articles)
    return ok.min().date().isoformat(), ok.max().date().isoformat(), int(dates.isna().sum())


def _model_quality(manifest: dict) -> tuple[float | None, str]:
    metrics = manifest.get("model_metrics") or {}
    f1 = metrics.get("macro_f1")
    return (float(f1) if _finite(f1) else None), str(metrics.get("cv") or "")


@dataclass
class _Data:
    run: ScoredRun
    labels: list[LabelView]
    articles: pd.DataFrame  # article profiles
    sources: pd.DataFrame
    flagged: pd.DataFrame
    outlets: pd.DataFrame
    stories: pd.DataFrame
    alignment: pd.DataFrame
    anchors: dict  # article_id -> "art-k"
    source_anchors: dict  # source -> "src-k"


def _summary(d: _Data, charts: _ChartWriter) -> Section:
    from . import charts as ch

    arts, srcs = d.articles, d.sources
    first, last, undated = _date_range(arts)
    n_boiler = int(arts["n_boilerplate"].sum())
    f1, cv = _model_quality(d.run.manifest)
    low = srcs[srcs["low_sample"]]
    heat = charts.add(ch.heatmap(srcs, d.run.codebook.labels), "heatmap",
                      "Heatmap of the share of sentences flagged per source and label, with 95% intervals")
    return Section("summary", "Summary", "summary.html.j2", {
        "n_articles": len(arts), "n_sources": len(srcs), "sources": srcs["source"].tolist(),
        "n_sentences": int(arts["n_sentences"].sum()), "n_boilerplate": n_boiler,
        "n_words": int(arts["n_words"].sum()), "first": first, "last": last, "undated": undated,
        "headlines": headline_findings(srcs, d.labels), "heatmap": heat,
        "n_low": len(low), "all_low": len(low) == len(srcs) and len(srcs) > 0,
        "min_articles": prof.MIN_ARTICLES, "min_sentences": prof.MIN_SENTENCES,
        "model_version": (d.run.manifest.get("model") or {}).get("version", ""), "macro_f1": f1, "cv": cv,
        "weak_model": f1 is not None and f1 < WEAK_MODEL_F1, "weak_f1": WEAK_MODEL_F1,
        "source_anchors": d.source_anchors,
    })


def _sources(d: _Data, charts: _ChartWriter) -> Section:
    from . import charts as ch

    cb = d.run.codebook
    overview = charts.add(ch.source_shares(d.sources, cb.labels), "source_shares",
                          "Share of sentences flagged per source and label with 95% intervals and the corpus average")
    # bars in the colour of the label whose evidence names outlets (state-media sourcing in the shipped codebook)
    colour_of = {lab.name: lab.color for lab in d.labels}
    outlet_label = d.outlets["label"].mode()
    colour = colour_of.get(outlet_label.iloc[0], ch.OKABE_ITO[0]) if len(outlet_label) else ch.OKABE_ITO[0]
    outlets_chart = charts.add(
        ch.state_outlets(d.outlets, d.sources["source"].tolist(), colour=colour, n_articles=len(d.articles)),
        "state_outlets", "State outlets and official channels cited, by source")
    items = []
    flagged = d.flagged.sort_values("probability", ascending=False, kind="stable")
    for k, (_, r) in enumerate(d.sources.iterrows()):
        rows = []
        for lab in d.labels:
            behind = flagged[(flagged["source"] == r["source"]) & (flagged["label"] == lab.name)]
            rows.append({"label": lab, "k": int(r[f"n_{lab.name}"]), "share": r[f"share_{lab.name}"],
                         "lo": r[f"ci_low_{lab.name}"], "hi": r[f"ci_high_{lab.name}"],
                         "expected": r[f"expected_share_{lab.name}"], "corpus": r[f"corpus_share_{lab.name}"],
                         "diff": r[f"diff_{lab.name}"], "ratio": r[f"ratio_{lab.name}"],
                         "sentences": _behind(behind.head(MAX_BEHIND), d.anchors),
                         "more": max(0, len(behind) - MAX_BEHIND)})
        src_arts = d.articles[d.articles["source"] == r["source"]]
        cited = d.outlets[d.outlets["source"] == r["source"]]
        items.append({
            "anchor": d.source_anchors[r["source"]], "source": r["source"], "n_articles": int(r["n_articles"]),
            "n_sentences": int(r["n_sentences"]), "n_words": int(r["n_words"]), "low_sample": bool(r["low_sample"]),
            "rows": rows,
            "articles": [{"anchor": d.anchors.get(a), "title": t or a} for a, t in zip(src_arts["article_id"], src_arts["title"])],
            "outlets": [{"cited": c, "n": int(n)} for c, n in
                        cited.groupby("cited", sort=False)["n_sentences"].sum().sort_values(ascending=False).items()],
            "chart": charts.add(ch.source_profile(r, cb.labels), f"source-{k + 1}",
                                f"Flagged share by label for source {r['source']}, with 95% intervals"),
        })
    return Section("sources", "Sources", "sources.html.j2", {
        "overview": overview, "outlets_chart": outlets_chart, "items": items,
        "min_articles": prof.MIN_ARTICLES, "min_sentences": prof.MIN_SENTENCES,
    })


def _sentence_anchor(article_anchor: str | None, sentence_id) -> str | None:
    return f"{article_anchor}-s{int(sentence_id)}" if article_anchor else None


def _behind(flagged: pd.DataFrame, anchors: dict) -> list[dict]:
    """Flagged sentences as list items that link to the sentence in the article text."""
    return [{"text": r.text, "p": r.probability, "href": _sentence_anchor(anchors.get(r.article_id), r.sentence_id),
             "evidence": ", ".join(x for x in str(r.evidence).split(", ") if prof.is_informative(x)),
             "words_only": getattr(r, "basis", "") == "words"}
            for r in flagged.itertuples(index=False)]


def _story_heading(story: str, method: str) -> str:
    return f"Story {story.removeprefix('story-')}" if method == "auto" else f"Story: {story}"


def _by_source(arts: list[dict]) -> list[dict]:
    """Articles grouped by source, in order: a source with several articles is listed once, with a count."""
    out: dict[str, dict] = {}
    for a in arts:
        out.setdefault(a["source"], {**a, "count": 0})["count"] += 1
    return list(out.values())


def _stories(d: _Data) -> Section:
    stories = []
    singles = 0
    label_by_name = {lab.name: lab for lab in d.labels}
    for story, grp in d.stories.groupby("story", sort=False):
        if len(grp) < 2:
            singles += 1
            continue
        al = d.alignment[d.alignment["story"] == story]
        arts = [{"article_id": a, "source": s, "title": t or a, "anchor": d.anchors.get(a)}
                for a, s, t in zip(grp["article_id"], grp["source"], grp["title"])]
        shared, unique = [], {a["article_id"]: [] for a in arts}
        for claim, cg in al.groupby("claim", sort=True):
            cells = {}
            for r in cg.itertuples(index=False):
                labs = [label_by_name[n] for n in str(r.labels).split(", ") if n in label_by_name]
                cells[r.article_id] = {"text": r.text, "labels": labs, "similarity": r.similarity}
            if len(cells) >= 2:
                sets = {tuple(lab.name for lab in c["labels"]) for c in cells.values()}
                shared.append({
                    "claim": int(claim), "cells": [cells.get(a["article_id"]) for a in arts],
                    "versions": [{**a, **cells[a["article_id"]]} for a in arts if a["article_id"] in cells],
                    "missing": _by_source([a for a in arts if a["article_id"] not in cells]),
                    "n_articles": len(cells), "n_sources": int(cg["source"].nunique()), "differs": len(sets) > 1})
            else:
                (aid, cell), = cells.items()
                unique[aid].append(cell)
        coverage = [{**a, "n_shared": sum(1 for c in shared if c["cells"][i] is not None),
                     "unique": unique[a["article_id"]],
                     "n_unique_flagged": sum(1 for c in unique[a["article_id"]] if c["labels"])}
                    for i, a in enumerate(arts)]
        method = grp["story_method"].iloc[0]
        heading = _story_heading(story, method)
        stories.append({"story": story, "heading": heading, "method": method, "articles": arts,
                        "shared": shared[:MAX_CLAIMS], "n_shared": len(shared),
                        # side by side only while the columns stay readable; otherwise one block per claim
                        "side_by_side": len(arts) <= MAX_SIDE_BY_SIDE,
                        "coverage": coverage, "n_sources": grp["source"].nunique(),
                        "n_differs": sum(1 for c in shared if c["differs"])})
    return Section("stories", "Same story, compared", "stories.html.j2", {
        "stories": stories, "singles": singles, "align_threshold": prof.ALIGN_THRESHOLD,
        "story_threshold": prof.STORY_THRESHOLD, "window_days": prof.STORY_WINDOW_DAYS, "max_claims": MAX_CLAIMS,
    })


def _articles(d: _Data, charts: _ChartWriter, max_articles: int) -> Section:
    from . import charts as ch

    cb = d.run.codebook
    overview = charts.add(ch.article_profiles(d.articles, cb.labels), "article_profiles",
                          "Share of sentences flagged per article and label")
    by_article = {a: g for a, g in d.run.sentences.groupby("article_id", sort=False)}
    size = d.stories["story"].map(d.stories["story"].value_counts())
    story_of = {a: _story_heading(s, m) for a, s, m, n in
                zip(d.stories["article_id"], d.stories["story"], d.stories["story_method"], size) if n > 1}
    names = [lab.name for lab in d.labels]
    items = []
    for k, (_, r) in enumerate(d.articles.head(max_articles).iterrows()):
        sents = by_article.get(r["article_id"], d.run.sentences.iloc[0:0])
        rows = [{"label": lab, "k": int(r[f"n_{lab.name}"]), "share": r[f"share_{lab.name}"],
                 "expected": r[f"expected_share_{lab.name}"], "density": r[f"per_1000_words_{lab.name}"],
                 "terms": r[f"terms_{lab.name}"]} for lab in d.labels]
        items.append({
            "anchor": d.anchors[r["article_id"]], "article_id": r["article_id"], "source": r["source"],
            "source_anchor": d.source_anchors.get(r["source"]), "title": r["title"] or r["article_id"],
            "published": r["published"], "url": r["url"], "story": story_of.get(r["article_id"], ""),
            "n_sentences": int(r["n_sentences"]), "n_boilerplate": int(r["n_boilerplate"]), "n_words": int(r["n_words"]),
            "rows": rows, "outlets": r["state_outlets"],
            "n_flagged": int((sents[names].to_numpy().any(axis=1) & ~sents["boilerplate"].to_numpy()).sum()),
            "strip": charts.add(ch.position_strip(sents, cb.labels, f"{r['source']} · {r['title'] or r['article_id']}"),
                                f"strip-{k + 1}", "Position of flagged sentences in the article, one row per label"),
            "paragraphs": article_paragraphs(sents, d.labels, d.anchors[r["article_id"]]),
        })
    return Section("articles", "Articles", "articles.html.j2", {
        "overview": overview, "items": items, "n_total": len(d.articles), "max_articles": max_articles,
    })


def _method(d: _Data, files: list[str]) -> Section:
    m = d.run.manifest
    model = m.get("model") or {}
    metrics = m.get("model_metrics") or {}
    thresholds = model.get("thresholds") or []
    names = model.get("labels") or d.run.labels
    thr = {n: t for n, t in zip(names, thresholds)} if isinstance(thresholds, list) else dict(thresholds)
    rows = []
    for lab in d.labels:
        lm = (metrics.get("labels") or {}).get(lab.name) or {}
        rows.append({"label": lab, "precision": lm.get("precision"), "recall": lm.get("recall"), "f1": lm.get("f1"),
                     "support": lm.get("support"), "threshold": thr.get(lab.name)})
    return Section("method", "Method and caveats", "method.html.j2", {
        "model": model, "metrics": metrics, "metric_rows": rows, "has_metrics": bool(metrics.get("labels")),
        "macro_f1": metrics.get("macro_f1"), "cv": metrics.get("cv"), "framing_version": m.get("framing_version", ""),
        "inputs": m.get("inputs") or [], "counts": m.get("counts") or {}, "finished": m.get("finished", ""),
        "files": files, "n_charts": sum(1 for f in files if f.endswith(".png")), "table_notes": TABLE_NOTES,
        "n_boot": prof.N_BOOT, "seed": prof.SEED, "min_articles": prof.MIN_ARTICLES,
        "min_sentences": prof.MIN_SENTENCES, "story_threshold": prof.STORY_THRESHOLD,
        "window_days": prof.STORY_WINDOW_DAYS, "align_threshold": prof.ALIGN_THRESHOLD,
        "align_min_words": prof.ALIGN_MIN_WORDS,
    })


# ================================================================================ page

def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader("framing", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(pct=pct, num=_num, plural=_plural)
    env.globals.update(ci=ci, finite=_finite, points=points)
    return env


def _default_title(run: ScoredRun) -> str:
    inputs = run.manifest.get("inputs") or []
    names = [Path(str(i.get("path"))).stem for i in inputs if isinstance(i, dict) and i.get("path") not in (None, "-")]
    return f"Framing report: {', '.join(names)}" if names else "Framing report"


def _check_out(out: Path, scored: Path) -> None:
    if out.resolve() == scored.resolve():
        raise OutputError(f"{out}: is the scored folder; choose a separate --out folder for the report")
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: is a file; choose a folder for --out")
    if out.is_dir() and any(out.iterdir()):
        index = out / "index.html"
        ours = False
        if index.is_file():
            with open(index, encoding="utf-8", errors="replace") as fh:
                ours = f'name="generator" content="{GENERATOR}' in fh.read(4096)
        if not ours:
            raise OutputError(f"{out}: holds other files; choose an empty or new --out folder (a previous report there is replaced)")
    try:
        (out / "charts").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out}: cannot create the report folder ({exc.strerror}); choose a writable --out") from None


def build_report(scored_dir: str | Path, out: str | Path, title: str | None = None, *,
                 max_articles: int = MAX_ARTICLES) -> Path:
    """Write the editor report for a scored folder.

    Parameters
    ----------
    scored_dir : str or Path
        The ``--out`` folder of ``framing score``.
    out : str or Path
        Report folder: must be new, empty, or hold an earlier report (which is replaced). Receives
        ``index.html`` (self-contained), ``charts/*.png`` and the tables ``article_profiles.csv``,
        ``source_profiles.csv``, ``flagged_sentences.csv`` and ``story_alignment.csv``.
    title : str, optional
        Page title (default: "Framing report: <input file names>").
    max_articles : int
        Show full text for at most this many articles.

    Returns
    -------
    Path
        ``out/index.html``.

    Raises
    ------
    InputError
        ``scored_dir`` is missing or not a ``framing score`` output.
    OutputError
        ``out`` cannot be written or holds other files.

    Examples
    --------
    >>> build_report("build/seed", "reports/seed")  # doctest: +SKIP
    PosixPath('reports/seed/index.html')
    """
    run = load_scored(scored_dir)
    out = Path(out)
    _check_out(out, run.folder)
    labels = run.labels
    s, a = run.sentences, run.articles
    articles = prof.article_profiles(s, a, labels)
    sources = prof.source_profiles(s, a, labels)
    stories = prof.group_stories(s, a)
    data = _Data(
        run=run, labels=_label_views(run.codebook), articles=articles, sources=sources,
        flagged=prof.flagged_sentences(s, a, labels), outlets=prof.state_outlets(s, labels), stories=stories,
        alignment=prof.story_alignment(s, a, labels, stories),
        # only articles shown in full get an anchor, so no link points nowhere
        anchors={aid: f"art-{k + 1}" for k, aid in enumerate(articles["article_id"].head(max_articles))},
        source_anchors={src: f"src-{k + 1}" for k, src in enumerate(sources["source"])},
    )
    tables = {"article_profiles": articles, "source_profiles": sources, "flagged_sentences": data.flagged,
              "story_alignment": data.alignment}
    files = []
    for name, df in tables.items():
        # 4 decimals are plenty for shares and probabilities, and keep the CSV readable in a spreadsheet;
        # write_table sends CSV through neutralise_formulas
        write_table(df.round(4), out / name, "csv")
        files.append(f"{name}.csv")
    charts = _ChartWriter(out / "charts")
    page_title = title or _default_title(run)
    sections = [_summary(data, charts), _sources(data, charts), _stories(data),
                _articles(data, charts, max_articles)]
    files += [c.relative_to(out).as_posix() for c in charts.written]
    sections.append(_method(data, files))
    env = _environment()
    html = env.get_template("report.html.j2").render(
        title=page_title, labels=data.labels,
        sections=[(sec, sec.render(env, labels=data.labels, note=INDICATOR_NOTE)) for sec in sections],
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), version=__version__,
        generator=GENERATOR, note=INDICATOR_NOTE,
    )
    # charts left over from an earlier, larger report in this folder would mislead: remove them
    keep = {p.name for p in charts.written}
    for old in (out / "charts").glob("*.png"):
        if old.name not in keep:
            old.unlink(missing_ok=True)
    index = out / "index.html"
    write_text(index, html)
    return index
