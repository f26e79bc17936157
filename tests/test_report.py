"""The editor report: files written, self-contained HTML, hostile input, errors, charts, a real browser."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.figure import Figure

from framing import charts
from framing.codebook import codebook_from_dict
from framing.errors import InputError, OutputError
from framing.report import (
    INDICATOR_NOTE,
    _label_views,
    build_report,
    headline_findings,
    highlight_sentence,
)

HOSTILE = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "javascript:alert(1)"]
CODEBOOK = {
    "version": 1,
    "labels": [
        {"name": "state_media", "display": "State-media sourcing", "definition": "Attributes information to a state outlet.",
         "color": "#0072B2", "yes": ["Attribution to TASS."], "no": ["Attribution to Reuters."]},
        {"name": "hedging", "display": "Hedging", "definition": "Presents a claim as uncertain.", "color": "#009E73",
         "yes": ["may, might"], "no": ["could not be reached"]},
        # a label no code knows: the report must take the label set from the manifest
        {"name": "custom_frame", "display": "Custom frame XYZ", "definition": "A team's own label.", "color": "#CC79A7"},
    ],
}
LABELS = [lab["name"] for lab in CODEBOOK["labels"]]


def _sentence_rows(aid: str, source: str, texts: list[tuple[str, dict]]) -> list[dict]:
    rows, pos = [], 0
    for k, (text, opts) in enumerate(texts):
        row = {"article_id": aid, "source": source, "sentence_id": k, "start": pos, "end": pos + len(text), "text": text,
               "boilerplate": opts.get("boilerplate", False), "para_start": opts.get("para", k == 0)}
        for name in LABELS:
            row[f"p_{name}"] = float(opts.get("p", {}).get(name, 0.05))
        for name in LABELS:
            row[name] = int(name in opts.get("flags", ()))
        row["evidence"] = json.dumps(opts.get("evidence", []))
        rows.append(row)
        pos += len(text) + 1
    return rows


def make_scored(folder: Path, hostile: bool = False, metrics: bool = True) -> Path:
    """A tiny scored folder as ``framing score`` writes it: 3 articles, 2 sources, one shared claim."""
    folder.mkdir(parents=True, exist_ok=True)
    h = " ".join(HOSTILE) if hostile else ""
    src_a = f"Agency {HOSTILE[0]}" if hostile else "Agency"
    aid = f"a1{HOSTILE[1]}" if hostile else "a1"
    hedge = f"The minister may visit Pyongyang next week, officials said. {h}".strip()
    rows = []
    rows += _sentence_rows(aid, src_a, [
        ("Photo: Getty Images", {"boilerplate": True}),
        (hedge, {"flags": ["hedging"], "p": {"hedging": 0.83},
                 "evidence": [{"label": "hedging", "start": 13, "end": 16, "text": "may", "cue": "hedge_modal", "weight": 1.2}]}),
        ("According to TASS, the talks covered military cooperation and trade.",
         {"flags": ["state_media", "custom_frame"], "p": {"state_media": 0.91, "custom_frame": 0.6}, "para": True,
          "evidence": [{"label": "state_media", "start": 13, "end": 17, "text": "TASS", "cue": "outlet", "weight": 2.0,
                        "outlet": "TASS", "country": "Russia"}]}),
        ("=HYPERLINK(\"http://evil.example\") is a formula.", {}),
    ])
    rows += _sentence_rows("a2", src_a, [
        ("Defense minister Shoigu arrived in Pyongyang for the armistice parade on Wednesday.", {}),
        ("The parade displayed drones.", {}),
    ])
    rows += _sentence_rows("b1", "Wire", [
        ("Russian defense minister Shoigu arrived in Pyongyang for an armistice parade.", {"flags": ["hedging"], "p": {"hedging": 0.6}}),
        ("Analysts say the visit could signal closer military ties.", {"flags": ["hedging"], "p": {"hedging": 0.7},
         "evidence": [{"label": "hedging", "start": 29, "end": 35, "text": "signal", "cue": "ngram", "weight": 0.4}]}),
    ])
    sentences = pd.DataFrame(rows)
    title = f"Talks {h}" if hostile else "Talks in Pyongyang"
    articles = pd.DataFrame({
        "article_id": [aid, "a2", "b1"], "source": [src_a, src_a, "Wire"],
        "title": [title, "Parade", "Shoigu visit"], "published": ["2023-07-26", "2023-07-27", ""],
        "url": [HOSTILE[2] if hostile else "https://example.org/a1", "", ""], "story": ["", "", ""],
        "n_chars": [100, 80, 90], "n_sentences": [3, 2, 2], "n_words": [30, 15, 20],
    })
    sentences.to_parquet(folder / "sentences.parquet", index=False)
    articles.to_parquet(folder / "articles.parquet", index=False)
    manifest = {
        "framing_version": "0.1.0",
        "model": {"path": "models/v1", "version": "v1", "sha256": "ab" * 32, "labels": LABELS, "thresholds": [0.5, 0.4, 0.3]},
        "codebook": CODEBOOK,
        "model_metrics": {"labels": {n: {"precision": 0.8, "recall": 0.7, "f1": 0.75, "support": 20} for n in LABELS},
                          "macro_f1": 0.75, "cv": "5-fold grouped cross-validation"} if metrics else None,
        "inputs": [{"path": "data/corpus/tiny.jsonl", "bytes": 10, "sha256": "cd" * 32}],
        "counts": {"articles": 3, "sentences": len(sentences), "errors": 0},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


class _Collector(HTMLParser):
    """Collects tags, attributes and text of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)


def _parse(html: str) -> _Collector:
    p = _Collector()
    p.feed(html)
    p.close()
    return p


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("report")
    return build_report(make_scored(base / "scored"), base / "out")


# ================================================================================ files and structure

def test_report_writes_self_contained_html_pngs_and_csvs(report):
    out = report.parent
    assert report.name == "index.html" and report.is_file()
    html = report.read_text(encoding="utf-8")
    assert "data:image/png;base64," in html
    for bad in ('src="http', "src='http", '<link href="http', "<link", "<script", "@import", "url(http"):
        assert bad not in html, bad
    p = _parse(html)
    for tag, attrs in p.tags:
        for k, v in attrs:
            if k in ("src", "href") and v:
                assert v.startswith(("data:image/png;base64,", "#")), (tag, k, v[:40])
    for name in ("article_profiles", "source_profiles", "flagged_sentences", "story_alignment"):
        assert (out / f"{name}.csv").is_file()
    pngs = sorted(x.name for x in (out / "charts").glob("*.png"))
    assert {"heatmap.png", "source_shares.png", "state_outlets.png", "article_profiles.png", "strip-1.png"} <= set(pngs)
    assert all((out / "charts" / n).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for n in pngs)
    assert not list(out.glob(".*.tmp"))  # atomic writes leave no temporaries


def test_report_sections_in_order_and_key_content(report):
    html = report.read_text(encoding="utf-8")
    order = [html.index(f'id="{s}"') for s in ("summary", "sources", "stories", "articles", "method")]
    assert order == sorted(order)
    text = " ".join(_parse(html).text)
    assert INDICATOR_NOTE in text
    assert "Custom frame XYZ" in text  # label set from the manifest, not hard-coded
    assert "3 articles" in text and "2 sources" in text
    assert "TASS (Russia)" in text
    assert "ab" * 32 in text  # model sha
    assert "0.75" in text  # metrics table
    assert "Attribution to Reuters." in text  # codebook rules
    # the shared claim between a2 and b1 is aligned
    al = pd.read_csv(report.parent / "story_alignment.csv")
    shared = al[al["n_articles"] == 2]
    assert sorted(shared["article_id"]) == ["a2", "b1"]


def test_flagged_sentences_have_hover_marks_and_chips(report):
    p = _parse(report.read_text(encoding="utf-8"))
    titles = [dict(a).get("title", "") for t, a in p.tags if t == "span" and "flag" in (dict(a).get("class") or "")]
    assert "Hedging p=0.83; evidence: may" in titles
    assert any(t.startswith("State-media sourcing p=0.91; evidence: TASS; cites: TASS") for t in titles)
    marks = [dict(a)["class"] for t, a in p.tags if t == "mark"]
    assert "ev ev-hedging" in marks and "ev ev-state_media" in marks
    boiler = [a for t, a in p.tags if t == "span" and dict(a).get("class") == "s boiler"]
    assert len(boiler) == 1
    # a flag whose evidence is word n-grams only says so, in the hover and in the flagged-sentence lists
    assert "Hedging p=0.70; evidence: signal (word patterns only, no lexicon cue)" in titles
    assert "<em>(word patterns only, no lexicon cue)</em>" in report.read_text(encoding="utf-8")
    flagged = pd.read_csv(report.parent / "flagged_sentences.csv", keep_default_na=False)
    assert set(flagged["basis"]) == {"cue", "words", ""}


def test_csv_tables_are_formula_safe(report):
    raw = (report.parent / "flagged_sentences.csv").read_text(encoding="utf-8")
    assert "=HYPERLINK" not in raw.replace("'=HYPERLINK", "")
    prof = pd.read_csv(report.parent / "article_profiles.csv")
    assert set(prof["article_id"]) == {"a1", "a2", "b1"}


def test_rebuild_replaces_a_previous_report(tmp_path):
    scored = make_scored(tmp_path / "scored")
    out = tmp_path / "out"
    build_report(scored, out)
    (out / "charts" / "strip-99.png").write_bytes(b"stale")
    path = build_report(scored, out, title="Second run")
    assert "<title>Second run</title>" in path.read_text(encoding="utf-8")
    assert not (out / "charts" / "strip-99.png").exists()


def test_report_without_metrics_says_accuracy_unknown(tmp_path):
    path = build_report(make_scored(tmp_path / "scored", metrics=False), tmp_path / "out")
    assert "accuracy is unknown" in path.read_text(encoding="utf-8")


# ================================================================================ hostile input

def test_hostile_input_is_inert_and_shown_as_text(tmp_path):
    path = build_report(make_scored(tmp_path / "scored", hostile=True), tmp_path / "out")
    html = path.read_text(encoding="utf-8")
    p = _parse(html)
    assert not [t for t, _ in p.tags if t == "script"]
    assert not [t for t, _ in p.tags if t == "img" and dict(_).get("src") == "x"]
    for tag, attrs in p.tags:
        for k, v in attrs:
            assert not k.lower().startswith("on"), (tag, k)
            if k in ("href", "src") and v:
                assert not v.strip().lower().startswith("javascript:"), (tag, k, v)
    text = "".join(p.text)
    for s in HOSTILE:
        assert s in text, s
    # ids and sources never become file names or anchors
    names = [x.name for x in (tmp_path / "out" / "charts").iterdir()]
    assert names and all(re.fullmatch(r"[a-z_]+(-[0-9]+)?\.png", n) for n in names), names
    assert 'id="art-1"' in html and "<script" not in html


def test_highlight_escapes_every_piece():
    labels = _label_views(codebook_from_dict(CODEBOOK))
    row = {"text": "<b>may</b> & more", "boilerplate": False, "evidence": json.dumps(
        [{"label": "hedging", "start": 3, "end": 6, "text": "may"}, {"label": "hedging", "start": -5, "end": 999, "text": "x"},
         {"label": "hedging", "start": "1", "end": 2, "text": "bad offsets"}]),
           "p_state_media": 0.0, "p_hedging": 0.8, "p_custom_frame": 0.0, "state_media": 0, "hedging": 1, "custom_frame": 0}
    html = str(highlight_sentence(row, labels))
    assert "<b>" not in html and "&lt;b&gt;" in html and "&amp;" in html
    assert html.count("<mark") >= 1


# ================================================================================ errors

def test_missing_scored_dir_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such folder"):
        build_report(tmp_path / "nope", tmp_path / "out")


def test_folder_without_scores_is_an_input_error(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="not a finished `framing score` output"):
        build_report(tmp_path / "empty", tmp_path / "out")


def test_manifest_label_without_columns_is_an_input_error(tmp_path):
    scored = make_scored(tmp_path / "scored")
    m = json.loads((scored / "manifest.json").read_text())
    m["codebook"]["labels"].append({"name": "extra_label", "display": "Extra", "definition": "x", "color": "#000000"})
    (scored / "manifest.json").write_text(json.dumps(m))
    with pytest.raises(InputError, match="missing column.*extra_label"):
        build_report(scored, tmp_path / "out")


def test_unwritable_or_foreign_out_is_an_output_error(tmp_path):
    scored = make_scored(tmp_path / "scored")
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match="is a file"):
        build_report(scored, tmp_path / "file")
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    with pytest.raises(OutputError, match="holds other files"):
        build_report(scored, other)
    with pytest.raises(OutputError, match="is the scored folder"):
        build_report(scored, scored)


# ================================================================================ charts and numbers

def test_charts_return_figures_and_handle_empty_input():
    labels = codebook_from_dict(CODEBOOK).labels
    empty_outlets = pd.DataFrame(columns=["article_id", "source", "outlet", "country", "n_sentences"])
    fig = charts.state_outlets(empty_outlets, ["A", "B"], n_articles=2)
    assert isinstance(fig, Figure)
    texts = " ".join(t.get_text() for t in fig.findobj(lambda o: hasattr(o, "get_text")))
    assert "None cited" in texts and "n = 0" in texts
    b64 = charts.save_png(fig)
    assert charts.figure_size_inches(b64)[0] == pytest.approx(charts.WIDTH, abs=0.02)
    assert not fig.axes  # released
    sents = pd.DataFrame({"boilerplate": [False] * 3, **{lab.name: [0, 1, 0] for lab in labels}})
    fig = charts.position_strip(sents, labels, "Title with $math$ and _under_")  # untrusted text: no mathtext
    charts.save_png(fig)


def test_no_pyplot_anywhere(tmp_path):
    scored = make_scored(tmp_path / "scored")
    code = ("import sys; from framing.report import build_report; "
            f"build_report({str(scored)!r}, {str(tmp_path / 'out')!r}); "
            "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot was imported'")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_headlines_carry_intervals_and_small_sample_notes():
    labels = _label_views(codebook_from_dict(CODEBOOK))
    row = {"n_articles": 1, "n_sentences": 20, "n_words": 400}
    sources = pd.DataFrame([
        {"source": "X", **row, "low_sample": True},
        {"source": "Y", **row, "n_articles": 5, "n_sentences": 200, "low_sample": False},
    ])
    for name in LABELS:
        sources[f"n_{name}"] = [4, 10]
        sources[f"share_{name}"] = [0.2, 0.05]
        sources[f"ci_low_{name}"] = [0.1, 0.02]
        sources[f"ci_high_{name}"] = [0.35, 0.09]
        sources[f"corpus_share_{name}"] = [0.064, 0.064]
    lines = headline_findings(sources, labels)
    assert lines[0].startswith("Source X flags ")
    assert "in 20% of its sentences (4 of 20; 95% CI 10–35%), 3.1× the corpus average of 6%." in lines[0]
    assert "Small sample (1 article, 20 sentences)" in lines[0]
    assert any("The interval includes the corpus average" in x for x in lines)


# ================================================================================ a real browser

def test_chromium_renders_a_non_blank_page(report, tmp_path):
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("chromium not installed (apt-get install chromium)")
    import matplotlib.image as mpimg

    shot = tmp_path / "shot.png"
    cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1280,2000", f"--screenshot={shot}",
           report.resolve().as_uri()]
    subprocess.run(cmd, capture_output=True, timeout=120, check=False)
    assert shot.is_file(), "chromium wrote no screenshot"
    img = mpimg.imread(shot)[..., :3]
    assert img.shape[0] >= 1000 and img.shape[1] >= 1000
    assert float(img.std()) > 0.08
    non_white = (img < 0.95).any(axis=-1).mean()
    assert non_white > 0.05


def test_empty_sentence_table_is_an_input_error(tmp_path):
    scored = make_scored(tmp_path / "scored")
    pd.read_parquet(scored / "sentences.parquet").iloc[0:0].to_parquet(scored / "sentences.parquet")
    with pytest.raises(InputError, match="holds no sentences"):
        build_report(scored, tmp_path / "out")


def test_csv_and_jsonl_inputs_and_no_articles_table(tmp_path):
    scored = make_scored(tmp_path / "scored")
    s = pd.read_parquet(scored / "sentences.parquet")
    (scored / "sentences.parquet").unlink()
    (scored / "articles.parquet").unlink()
    s.to_csv(scored / "sentences.csv", index=False)
    path = build_report(scored, tmp_path / "out")
    prof = pd.read_csv(path.parent / "article_profiles.csv")
    assert prof.set_index("article_id").loc["a1", "n_sentences"] == 3


@pytest.mark.parametrize("max_articles", [1, 200])
def test_every_internal_link_has_a_target(tmp_path, max_articles):
    path = build_report(make_scored(tmp_path / "scored"), tmp_path / "out", max_articles=max_articles)
    p = _parse(path.read_text(encoding="utf-8"))
    ids = {dict(a).get("id") for _, a in p.tags} - {None}
    hrefs = {dict(a)["href"][1:] for t, a in p.tags if t == "a" and dict(a).get("href", "").startswith("#")}
    assert hrefs and hrefs <= ids, hrefs - ids
    assert len([1 for t, a in p.tags if t == "article"]) == min(max_articles, 3)
