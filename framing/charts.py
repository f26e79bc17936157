"""Figures for the editor report: the only module that imports matplotlib.

Every chart is a :class:`matplotlib.figure.Figure` built without pyplot (no global state, nothing to
leak between reports) and carries a title with its sample size and a one-line reading guide. Colours
are the codebook's label colours (Okabe-Ito by default, safe for colour-blind readers); the sequential
scale is matplotlib's ``Blues``. Text is at least 9 pt at the printed size. :func:`save_png` writes a
figure, releases it and returns the PNG as base64 for embedding in HTML.
"""

from __future__ import annotations

import base64
import io
import textwrap
from collections.abc import Sequence
from functools import wraps
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.patches import Rectangle

from .codebook import Label
from .io import atomic_path

DPI = 150
WIDTH = 7.2  # inches: the text width of an A4 or Letter page, so charts print at 1:1 (fonts stay >= 9 pt)
GREY = "#6b6b6b"
LIGHT = "#eeeeee"
# Okabe-Ito, for anything that is not a label (e.g. the neutral state-outlet bars when no label colour fits)
OKABE_ITO = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]

_RC = {
    "font.size": 10,
    "axes.titlesize": 10,
    "axes.labelsize": 10,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.fontsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#888888",
    "axes.titlelocation": "left",
    # Source names, titles and outlets are untrusted text: never let "$...$" become mathtext.
    "text.parse_math": False,
    "svg.fonttype": "none",
}
_TITLE_PT = 12
_GUIDE_PT = 9.5


def _styled(fn):
    """Build the figure under the report's rc settings (a context, so global rcParams stay untouched)."""
    @wraps(fn)
    def wrapper(*args, **kwargs):
        with mpl.rc_context(_RC):
            return fn(*args, **kwargs)
    return wrapper


def _short(text: str, n: int = 38) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _wrap(text: str, n: int = 26, lines: int = 2) -> str:
    """Wrap to at most ``lines`` lines of ``n`` characters, shortening the last one if needed."""
    parts = textwrap.wrap(" ".join(str(text).split()), n) or [""]
    if len(parts) > lines:
        parts = parts[: lines - 1] + [_short(" ".join(parts[lines - 1:]), n)]
    return "\n".join(parts)


def _pct(x: float) -> str:
    return "–" if x is None or not np.isfinite(x) else f"{100 * x:.0f}%"


def _frame(fig: Figure, title: str, guide: str) -> None:
    """Title and reading guide in a band at the top; constrained layout arranges the rest below it.

    The band is measured in inches so that text never overlaps the axes whatever the figure height.
    """
    w, h = fig.get_size_inches()
    # characters per line: DejaVu Sans averages ~0.55 em per character, bold ~0.68 em
    title_lines = textwrap.wrap(title, int(w * 72 / (_TITLE_PT * 0.68))) or [""]
    guide_lines = textwrap.wrap(guide, int(w * 72 / (_GUIDE_PT * 0.56))) or [""]
    line_in = 1.45 / 72
    band = 0.12 + line_in * (_TITLE_PT * len(title_lines) + _GUIDE_PT * len(guide_lines)) + 0.1
    fig.text(0.1 / w, 1 - 0.1 / h, "\n".join(title_lines), ha="left", va="top", fontsize=_TITLE_PT,
             fontweight="bold")
    fig.text(0.1 / w, 1 - (0.12 + line_in * _TITLE_PT * len(title_lines)) / h, "\n".join(guide_lines),
             ha="left", va="top", fontsize=_GUIDE_PT, color=GREY)
    fig.set_layout_engine(ConstrainedLayoutEngine(rect=(0, 0, 1, max(0.05, 1 - band / h)), h_pad=0.06, w_pad=0.06))


def _message(fig: Figure, text: str) -> None:
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.text(0.5, 0.5, "\n".join(textwrap.wrap(text, 70)), ha="center", va="center", fontsize=11, color=GREY,
            transform=ax.transAxes)


def _n(x: int, word: str) -> str:
    return f"{x:,} {word}" + ("" if x == 1 else "s")


def _source_label(row) -> str:
    mark = " *" if bool(row.get("low_sample", False)) else ""
    return f"{_short(row['source'], 24)}{mark}"


# ================================================================================ sources

@_styled
def heatmap(sources: pd.DataFrame, labels: Sequence[Label], max_sources: int = 40) -> Figure:
    """Source x label heatmap of flagged shares, each cell annotated with its 95% interval.

    Parameters
    ----------
    sources : DataFrame
        Output of :func:`framing.profile.source_profiles`.
    labels : sequence of Label
        Codebook labels (name, display name, colour), in column order.
    max_sources : int
        Show at most this many sources (the ones with most sentences).

    Returns
    -------
    Figure
    """
    src = sources.sort_values("n_sentences", ascending=False).head(max_sources).sort_values("source")
    n_sent = int(sources["n_sentences"].sum())
    n_art = int(sources["n_articles"].sum())
    k, m = len(src), len(labels)
    fig = Figure(figsize=(WIDTH, 1.9 + 0.5 * max(k, 1)), dpi=DPI)
    shown = "" if len(sources) <= max_sources else f"; the {max_sources} largest of {len(sources)} sources shown"
    _frame(fig, f"Share of sentences flagged, by source and label (n = {_n(n_sent, 'sentence')}, "
                f"{_n(n_art, 'article')}, {_n(len(sources), 'source')}{shown})",
           "Each cell: % of the source's content sentences the model flagged, with its 95% interval below. "
           "Darker = more often. * = small sample (fewer than 3 articles or 30 sentences): a lead, not a finding.")
    if k == 0 or m == 0:
        _message(fig, "No scored sentences to show.")
        return fig
    ax = fig.add_subplot()
    shares = src[[f"share_{lab.name}" for lab in labels]].to_numpy(dtype=float)
    vmax = max(0.1, float(np.nanmax(shares)) if np.isfinite(shares).any() else 0.1)
    cmap = mpl.colormaps["Blues"]
    im = ax.imshow(np.nan_to_num(shares, nan=0.0), cmap=cmap, vmin=0, vmax=vmax, aspect="auto")
    for i, (_, row) in enumerate(src.iterrows()):
        for j, lab in enumerate(labels):
            v = row[f"share_{lab.name}"]
            lo, hi = row[f"ci_low_{lab.name}"], row[f"ci_high_{lab.name}"]
            dark = np.isfinite(v) and v / vmax > 0.55
            colour = "white" if dark else "#1a1a1a"
            ax.text(j, i - 0.12, _pct(v), ha="center", va="center", fontsize=11, fontweight="bold", color=colour)
            if np.isfinite(lo):
                ax.text(j, i + 0.24, f"{100 * lo:.0f}–{100 * hi:.0f}%", ha="center", va="center", fontsize=9,
                        color=colour)
    ax.set_xticks(range(m), ["\n".join(textwrap.wrap(lab.display, 18)) for lab in labels])
    ax.xaxis.tick_top()
    ax.set_yticks(range(k), [_source_label(r) for _, r in src.iterrows()])
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    # label colours as a strip over each column, so the heatmap ties to the legend used elsewhere
    for j, lab in enumerate(labels):
        ax.add_patch(Rectangle((j - 0.5, -0.5), 1, 0.08, color=lab.color, clip_on=False, transform=ax.transData))
    cb = fig.colorbar(im, ax=ax, fraction=0.04, pad=0.02)
    cb.ax.yaxis.set_major_formatter(mpl.ticker.PercentFormatter(1.0, decimals=0))
    cb.outline.set_visible(False)
    return fig


def _ci_panel(ax, names: list[str], share, low, high, corpus, colour: str, hollow) -> None:
    y = np.arange(len(names))[::-1]
    share, low, high = (np.asarray(a, dtype=float) for a in (share, low, high))
    err = np.vstack([np.clip(share - low, 0, None), np.clip(high - share, 0, None)])
    ax.errorbar(share, y, xerr=np.nan_to_num(err), fmt="none", ecolor=colour, elinewidth=2.2, capsize=3, alpha=0.9)
    hollow = np.asarray(hollow, dtype=bool)
    ax.scatter(share[~hollow], y[~hollow], s=46, color=colour, zorder=3, edgecolor="white", linewidth=0.6)
    ax.scatter(share[hollow], y[hollow], s=46, facecolor="white", edgecolor=colour, linewidth=1.8, zorder=3)
    if corpus is not None:
        corpus = np.broadcast_to(np.asarray(corpus, dtype=float), y.shape)
        ax.scatter(corpus, y, marker="|", s=220, color="#222222", linewidth=1.6, zorder=4)
    ax.set_yticks(y, names)
    ax.set_xlim(-0.03, 1.03)  # room for a dot at 0% or 100%
    ax.xaxis.set_major_formatter(mpl.ticker.PercentFormatter(1.0, decimals=0))
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1])
    ax.grid(axis="x", color=LIGHT, linewidth=0.8)
    ax.set_axisbelow(True)
    ax.set_ylim(-0.6, len(names) - 0.4)


@_styled
def source_shares(sources: pd.DataFrame, labels: Sequence[Label], max_sources: int = 40) -> Figure:
    """Per-source flagged shares with 95% intervals: one panel per label, sources on the rows.

    Parameters
    ----------
    sources : DataFrame
        Output of :func:`framing.profile.source_profiles`.
    labels : sequence of Label
        Codebook labels.
    max_sources : int
        Show at most this many sources (the ones with most sentences).

    Returns
    -------
    Figure
    """
    src = sources.sort_values("n_sentences", ascending=False).head(max_sources).sort_values("source")
    m = max(len(labels), 1)
    cols = min(m, 2)
    rows = int(np.ceil(m / cols))
    panel_h = 0.55 + 0.32 * max(len(src), 1)
    fig = Figure(figsize=(WIDTH, 1.4 + rows * panel_h), dpi=DPI)
    _frame(fig, f"Flagged share per source with 95% intervals (n = {_n(int(sources['n_sentences'].sum()), 'sentence')}, "
                f"{_n(len(sources), 'source')})",
           "Dot = share of the source's sentences flagged; bar = 95% interval; black tick = corpus average. "
           "A bar that crosses the tick is consistent with the average. Hollow dot / * = small sample.")
    if src.empty or not labels:
        _message(fig, "No scored sentences to show.")
        return fig
    axes = fig.subplots(rows, cols, sharey=True, squeeze=False).ravel()
    names = [_source_label(r) for _, r in src.iterrows()]
    for ax, lab in zip(axes, labels):
        _ci_panel(ax, names, src[f"share_{lab.name}"], src[f"ci_low_{lab.name}"], src[f"ci_high_{lab.name}"],
                  src[f"corpus_share_{lab.name}"].iloc[0], lab.color, src["low_sample"])
        ax.set_title(_wrap(lab.display, 40), color=lab.color, fontweight="bold")
    for ax in axes[len(labels):]:
        ax.set_axis_off()
    return fig


@_styled
def source_profile(row: pd.Series, labels: Sequence[Label]) -> Figure:
    """One source's flagged share per label, with 95% intervals and the corpus average.

    Parameters
    ----------
    row : Series
        One row of :func:`framing.profile.source_profiles`.
    labels : sequence of Label
        Codebook labels.

    Returns
    -------
    Figure
    """
    fig = Figure(figsize=(WIDTH * 0.8, 1.45 + 0.42 * max(len(labels), 1)), dpi=DPI)
    small = " Small sample: a lead to check, not a finding." if bool(row.get("low_sample", False)) else ""
    _frame(fig, f"Source {_short(row['source'], 40)} (n = {_n(int(row['n_sentences']), 'sentence')}, "
                f"{_n(int(row['n_articles']), 'article')})",
           "Dot = share of the source's sentences flagged with each label; bar = 95% interval; black tick = "
           "corpus average." + small)
    if not labels:
        _message(fig, "No labels in the codebook.")
        return fig
    ax = fig.add_subplot()
    y = np.arange(len(labels))[::-1]
    for yi, lab in zip(y, labels):
        _ci_panel_one(ax, yi, row[f"share_{lab.name}"], row[f"ci_low_{lab.name}"], row[f"ci_high_{lab.name}"],
                      row[f"corpus_share_{lab.name}"], lab.color, bool(row.get("low_sample", False)))
    ax.set_yticks(y, [_wrap(lab.display, 24) for lab in labels])
    ax.set_xlim(-0.03, 1.03)
    ax.set_ylim(-0.6, len(labels) - 0.4)
    ax.xaxis.set_major_formatter(mpl.ticker.PercentFormatter(1.0, decimals=0))
    ax.grid(axis="x", color=LIGHT, linewidth=0.8)
    ax.set_axisbelow(True)
    return fig


def _ci_panel_one(ax, y, share, low, high, corpus, colour, hollow) -> None:
    if np.isfinite(low):
        ax.plot([low, high], [y, y], color=colour, linewidth=2.4, solid_capstyle="butt")
        ax.plot([low, low], [y - 0.12, y + 0.12], color=colour, linewidth=1.4)
        ax.plot([high, high], [y - 0.12, y + 0.12], color=colour, linewidth=1.4)
    if np.isfinite(share):
        ax.scatter([share], [y], s=60, zorder=3, facecolor="white" if hollow else colour, edgecolor=colour,
                   linewidth=1.8 if hollow else 0.6)
        ax.annotate(_pct(share), (share, y), xytext=(0, 7), textcoords="offset points", ha="center", va="bottom",
                    fontsize=9, color="#222222")
    if np.isfinite(corpus):
        ax.scatter([corpus], [y], marker="|", s=240, color="#222222", linewidth=1.6, zorder=4)


# ================================================================================ articles

@_styled
def article_profiles(articles: pd.DataFrame, labels: Sequence[Label], max_articles: int = 60) -> Figure:
    """Per-article flagged shares: one panel per label, articles on the rows.

    Parameters
    ----------
    articles : DataFrame
        Output of :func:`framing.profile.article_profiles`.
    labels : sequence of Label
        Codebook labels.
    max_articles : int
        Show at most this many articles (the longest).

    Returns
    -------
    Figure
    """
    art = articles[articles["n_sentences"] > 0]
    art = art.sort_values("n_sentences", ascending=False).head(max_articles).sort_values(["source", "article_id"])
    m = max(len(labels), 1)
    cols = min(m, 2)
    rows = int(np.ceil(m / cols))
    panel_h = 0.55 + 0.3 * max(len(art), 1)
    fig = Figure(figsize=(WIDTH, 1.5 + rows * panel_h), dpi=DPI)
    shown = "" if len(articles) <= max_articles else f"; the {max_articles} longest shown"
    _frame(fig, f"Flagged share per article (n = {_n(len(articles), 'article')}, "
                f"{_n(int(articles['n_sentences'].sum()), 'sentence')}{shown})",
           "Bar = % of the article's content sentences flagged; black tick = expected share (mean model "
           "probability). A bar far above its tick means many borderline flags.")
    if art.empty or not labels:
        _message(fig, "No scored sentences to show.")
        return fig
    axes = fig.subplots(rows, cols, sharey=True, squeeze=False).ravel()
    names = [f"{_short(s, 18)} · {_short(t or a, 22)}" for s, t, a in zip(art["source"], art["title"], art["article_id"])]
    y = np.arange(len(art))[::-1]
    for ax, lab in zip(axes, labels):
        share = art[f"share_{lab.name}"].to_numpy(dtype=float)
        ax.barh(y, np.nan_to_num(share), color=lab.color, height=0.62)
        ax.scatter(art[f"expected_share_{lab.name}"], y, marker="|", s=160, color="#222222", linewidth=1.5, zorder=3)
        expected = art[f"expected_share_{lab.name}"].to_numpy(dtype=float)
        for yi, v, e, k in zip(y, share, expected, art[f"n_{lab.name}"]):
            # after the bar or the tick, whichever ends later, so the number never sits on the tick
            x = max(np.nan_to_num(v), np.nan_to_num(e))
            ax.annotate(f"{_pct(v)} ({k})", (x, yi), xytext=(5, 0), textcoords="offset points", va="center",
                        fontsize=9, color="#333333")
        ax.set_yticks(y, names)
        ax.set_xlim(0, 1.22)
        ax.set_xticks([0, 0.25, 0.5, 0.75, 1])
        ax.xaxis.set_major_formatter(mpl.ticker.PercentFormatter(1.0, decimals=0))
        ax.grid(axis="x", color=LIGHT, linewidth=0.8)
        ax.set_axisbelow(True)
        ax.set_title(_wrap(lab.display, 34), color=lab.color, fontweight="bold")
    for ax in axes[len(labels):]:
        ax.set_axis_off()
    return fig


@_styled
def position_strip(sentences: pd.DataFrame, labels: Sequence[Label], title: str = "") -> Figure:
    """Where in one article the flagged sentences fall: a row per label, a column per sentence.

    Parameters
    ----------
    sentences : DataFrame
        The article's scored sentences (boilerplate rows are skipped).
    labels : sequence of Label
        Codebook labels.
    title : str
        Shown after "Where flags fall" (e.g. the source and article title).

    Returns
    -------
    Figure
    """
    content = sentences[~sentences["boilerplate"].astype(bool).to_numpy()]
    n = len(content)
    fig = Figure(figsize=(WIDTH, 1.2 + 0.3 * max(len(labels), 1)), dpi=DPI)
    what = f": {_short(title, 44)}" if title else ""
    _frame(fig, f"Where flags fall{what} (n = {_n(n, 'sentence')})",
           "Each column is one content sentence in reading order, from the first (left) to the last (right); "
           "a coloured cell means the sentence is flagged with that row's label.")
    if n == 0 or not labels:
        _message(fig, "This article has no content sentences.")
        return fig
    ax = fig.add_subplot()
    k = len(labels)
    for i, lab in enumerate(labels):
        yi = k - 1 - i
        ax.add_patch(Rectangle((0.5, yi - 0.4), n, 0.8, color="#f2f2f2", linewidth=0))
        flags = np.flatnonzero(content[lab.name].to_numpy().astype(int) == 1)
        for x in flags:
            # a white edge keeps neighbouring flagged sentences countable
            ax.add_patch(Rectangle((x + 0.5, yi - 0.4), 1, 0.8, facecolor=lab.color,
                                   edgecolor="white", linewidth=0.6 if n <= 120 else 0))
    ax.set_xlim(0.5, n + 0.5)
    ax.set_ylim(-0.6, k - 0.4)
    ax.set_yticks(range(k)[::-1], [_short(lab.display, 26) for lab in labels])
    ticks = sorted({1, n, *np.linspace(1, n, 6).round().astype(int).tolist()})
    ax.set_xticks(ticks, [str(t) for t in ticks])
    ax.set_xlabel("sentence")
    ax.tick_params(axis="y", length=0)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    return fig


# ================================================================================ outlets

@_styled
def state_outlets(outlets: pd.DataFrame, sources: Sequence[str], colour: str = OKABE_ITO[0],
                  n_articles: int | None = None) -> Figure:
    """State outlets and official channels cited, by source: one panel of bars per source.

    Parameters
    ----------
    outlets : DataFrame
        Output of :func:`framing.profile.state_outlets` (``source``, ``cited`` or ``outlet``, ``n_sentences``).
    sources : sequence of str
        Every source in the corpus, so a source that cites none says so.
    colour : str
        Bar colour (the state-media label's colour when there is one).
    n_articles : int, optional
        Articles in the corpus, for the title.

    Returns
    -------
    Figure
    """
    sources = list(dict.fromkeys(str(s) for s in sources))
    total = int(outlets["n_sentences"].sum()) if len(outlets) else 0
    arts = f", {_n(n_articles, 'article')}" if n_articles is not None else ""
    title = f"State outlets and official channels cited, by source (n = {_n(total, 'citing sentence')}{arts})"
    guide = ("Bar = number of flagged sentences that attribute information to the outlet (its country in "
             "brackets), an official channel, or unnamed state media. Read the sentences before drawing conclusions.")
    if outlets.empty:
        fig = Figure(figsize=(WIDTH, 1.7), dpi=DPI)
        _frame(fig, title, guide)
        _message(fig, f"None cited: no flagged sentence in the {_n(n_articles or 0, 'article')} names a state "
                      "outlet or official channel." if n_articles is not None else
                 "None cited: no flagged sentence names a state outlet or official channel.")
        return fig
    names = outlets["cited"] if "cited" in outlets else outlets["outlet"]
    agg = (outlets.assign(name=[_short(x, 40) for x in names])
           .groupby(["source", "name"], sort=False)["n_sentences"].sum().reset_index())
    heights = [max(len(agg[agg["source"] == s]), 1) for s in sources]
    fig = Figure(figsize=(WIDTH, 1.3 + 0.3 * sum(heights) + 0.45 * len(sources)), dpi=DPI)
    _frame(fig, title, guide)
    axes = fig.subplots(len(sources), 1, sharex=True, squeeze=False, height_ratios=heights).ravel()
    xmax = float(agg["n_sentences"].max())
    for ax, src in zip(axes, sources):
        grp = agg[agg["source"] == src].sort_values(["n_sentences", "name"], ascending=[True, False])
        ax.set_title(f"Source {_short(src, 40)}", fontweight="bold")
        ax.set_xlim(0, xmax * 1.15 + 0.5)
        if grp.empty:
            ax.set_yticks([])
            ax.text(0.01, 0.5, "none cited", transform=ax.transAxes, va="center", fontsize=9.5, color=GREY,
                    style="italic")
            continue
        y = np.arange(len(grp))
        ax.barh(y, grp["n_sentences"], color=colour, height=0.6)
        for yi, v in zip(y, grp["n_sentences"]):
            ax.text(v + xmax * 0.01 + 0.05, yi, str(int(v)), va="center", fontsize=9)
        ax.set_yticks(y, grp["name"].tolist())
        ax.set_ylim(-0.6, len(grp) - 0.4)
    axes[-1].set_xlabel("flagged sentences citing it")
    axes[-1].xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    return fig


# ================================================================================ output

def save_png(fig: Figure, path: str | Path | None = None, dpi: int = DPI) -> str:
    """Render ``fig`` as PNG, write it to ``path`` atomically (if given), release it, return base64.

    Parameters
    ----------
    fig : Figure
        The figure; it is cleared afterwards (closing it: nothing else refers to a pyplot-free figure).
    path : str or Path, optional
        Where to write the PNG.
    dpi : int
        Resolution; 150 is sharp on screens and in print.

    Returns
    -------
    str
        The PNG bytes, base64-encoded (for a ``data:image/png;base64,`` URI).
    """
    buf = io.BytesIO()
    try:
        fig.savefig(buf, format="png", dpi=dpi, facecolor="white", metadata={"Software": None})
    finally:
        fig.clear()
    data = buf.getvalue()
    if path is not None:
        with atomic_path(path) as tmp:
            tmp.write_bytes(data)
    return base64.b64encode(data).decode("ascii")


def figure_size_inches(png_b64: str, dpi: int = DPI) -> tuple[float, float]:
    """Width and height in inches of a base64 PNG rendered at ``dpi`` (read from its IHDR header)."""
    head = base64.b64decode(png_b64[:64])
    w = int.from_bytes(head[16:20], "big")
    h = int.from_bytes(head[20:24], "big")
    return w / dpi, h / dpi
