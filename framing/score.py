"""Score articles: sentences -> probabilities, flags and evidence; per-article shares.

``score_articles`` is the in-memory function (DataFrame in, DataFrames out). ``score_corpus`` is the
streaming driver behind ``framing score``: it reads inputs in deterministic batches of articles, scores
each batch (in-process, in a process pool, or on a Dask cluster), commits each batch's output as an
atomically renamed part file, and finally joins the parts into one table per kind (or, with
``layout="parts"``, links them into one folder of Parquet part files per table). A rerun of the same
command skips committed batches, so an interrupted run resumes without losing or duplicating work.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from . import __version__
from .corpus import (
    DEFAULT_MAX_CHARS,
    Article,
    BadRecord,
    estimate_records,
    expand_inputs,
    iter_articles,
)
from .cues import context_quote_spans, people_out_of_office, resources_digest
from .errors import FramingError, InputError, OutputError, UsageError
from .io import (
    _UMASK,
    TABLE_FORMATS,
    atomic_path,
    folder_lock,
    os_reason,
    swap_in_folder,
    write_json,
    write_table,
)
from .registry import Bundle, load_bundle
from .segment import segment_spans

# json.dumps(evidence, ensure_ascii=False) without building an encoder for every flagged sentence
_EVIDENCE_JSON = json.JSONEncoder(ensure_ascii=False)


def _evidence_encoder():
    """``_EVIDENCE_JSON.encode`` for the evidence lists (no circular references to check): the C encoder
    that ``encode`` builds on every call, built once. Falls back to ``encode`` without the C encoder."""
    from json import encoder as enc

    if enc.c_make_encoder is None:
        return _EVIDENCE_JSON.encode
    e = _EVIDENCE_JSON
    it = enc.c_make_encoder(None, e.default, enc.encode_basestring, e.indent, e.key_separator, e.item_separator,
                            e.sort_keys, e.skipkeys, e.allow_nan)
    join = "".join
    return lambda evidence: join(it(evidence, 0))


_encode_evidence = _evidence_encoder()
SENTENCE_BASE_COLUMNS = ["article_id", "source", "sentence_id", "start", "end", "text", "boilerplate", "para_start"]
SENTENCE_DTYPES = {"sentence_id": np.int32, "start": np.int64, "end": np.int64, "boilerplate": bool, "para_start": bool}


def _n_words(texts: Sequence[str]) -> np.ndarray:
    return np.fromiter((len(t.split()) for t in texts), dtype=np.int64, count=len(texts))


def sentence_table(articles: Iterable[Article], errors: list[dict] | None = None) -> pd.DataFrame:
    """One row per sentence (content and boilerplate) with offsets into its article.

    An article that cannot be segmented is appended to ``errors`` (when given) and left out.
    """
    rows: dict[str, list] = {c: [] for c in SENTENCE_BASE_COLUMNS}
    for a in articles:
        try:
            spans = segment_spans(a.text)
        except Exception as exc:  # one bad record must not stop the batch
            if errors is None:
                raise
            errors.append({"id": a.id, "file": a.file, "record": a.record,
                           "reason": f"cannot be segmented ({type(exc).__name__}: {exc})"})
            continue
        text, n = a.text, len(spans)
        if not n:
            continue
        starts, ends, boiler = zip(*spans)
        # a paragraph starts with the article and after a line break between two sentences
        rows["para_start"] += [k == 0 or text.find("\n", e, s) >= 0 for k, (e, s) in enumerate(zip((0, *ends), starts))]
        rows["article_id"] += [a.id] * n
        rows["source"] += [a.source] * n
        rows["sentence_id"] += range(n)
        rows["start"] += starts
        rows["end"] += ends
        rows["text"] += [text[s:e] for s, e in zip(starts, ends)]
        rows["boilerplate"] += boiler
    # the typed columns made as arrays of their dtypes: pd.DataFrame(rows).astype(SENTENCE_DTYPES) (the
    # first way) infers each list's type, then copies the frame to convert, about 2 us a sentence
    return pd.DataFrame({c: np.array(v, dtype=SENTENCE_DTYPES[c]) if c in SENTENCE_DTYPES else v for c, v in rows.items()})


_YEAR_RE = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")


def article_year(published: str) -> int | None:
    """The year of an article's ``published`` date as written ("2016-05-01", "May 1, 2016"), or None."""
    m = _YEAR_RE.search(published or "")
    return int(m.group(1)) if m else None


def _mask(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` with each span's letters replaced by a neutral capitalised placeholder of the same length
    ("Donald Trump" -> "Xxxxxx Xxxxx"), so that offsets still point into the original."""
    out = list(text)
    for a, b in spans:
        for k in range(a, b):
            if out[k].isalpha():
                out[k] = "X" if k == a or not text[k - 1].isalpha() else "x"
    return "".join(out)


def _rescore_out_of_office(model, names: Sequence[str], texts: list[str], quotes, years: Sequence[int | None],
                           proba: np.ndarray, flags: np.ndarray, evidence: list[list[dict]], explain: bool) -> int:
    """``state_media`` for the flagged sentences of dated articles that name a head of state or government by a
    name the registry says held no such office that year ("Trump tweeted" in 2016 campaign coverage; codebook: a
    name without a title counts only while its bearer holds the office): the sentence is scored again with that
    name masked (a senior official or a government spokesperson out of post likewise: "Pompeo said in a statement"
    in 2023, "Earnest said" in 2008), and that label's probability, flag and evidence are taken from the masked reading (the other
    labels keep the original's). Only flagged sentences are looked at (a few in a hundred; finding the names
    costs 2-14 us a sentence), since a name out of office can only take a flag away. Updates the arrays in
    place; returns the number of sentences rescored."""
    if "state_media" not in names:
        return 0
    j = list(names).index("state_media")
    rows, masked = [], []
    for i in np.flatnonzero(flags[:, j]).tolist():
        t, y = texts[i], years[i]
        if y is None:
            continue
        spans = people_out_of_office(t, y)
        if spans:
            rows.append(i)
            masked.append((_mask(t, spans), [(_mask(t[a:b], [(0, b - a)]), t[a:b]) for a, b in spans]))
    if not rows:
        return 0
    p2, f2, ev2 = model.score_batch([m for m, _ in masked], explain=explain, quotes=[quotes[i] for i in rows])
    for k, i in enumerate(rows):
        proba[i, j], flags[i, j] = p2[k, j], f2[k, j]
        if explain:
            def unmask(v, names=masked[k][1]):  # a name the evidence quotes ("President Xxxxx's statement")
                if isinstance(v, str):
                    for placeholder, name in names:
                        v = v.replace(placeholder, name)
                return v
            mine = [{key: (texts[i][e["start"]:e["end"]] if key == "text" and "start" in e else unmask(v))
                     for key, v in e.items()} for e in ev2[k] if e.get("label") == "state_media"]
            evidence[i] = [e for e in evidence[i] if e.get("label") != "state_media"] + mine
    return len(rows)


def score_sentences(sentences: pd.DataFrame, model, names: Sequence[str], explain: bool = True,
                    published: dict[str, str] | None = None) -> pd.DataFrame:
    """Add ``p_L``, ``L`` and ``evidence`` columns for content sentences (boilerplate scores 0).

    ``published``: article id -> its publication date as given; a head of state or government named without a
    title who held no such office in that year does not make a ``state_media`` source (see
    :func:`_rescore_out_of_office`)."""
    out = sentences.copy()
    content = ~out["boilerplate"].to_numpy()
    idx = np.flatnonzero(content)
    n = len(out)
    proba = np.zeros((n, len(names)), dtype=np.float32)
    flags = np.zeros((n, len(names)), dtype=np.int8)
    evidence = ["[]"] * n
    if len(idx):
        texts = out["text"].to_numpy()[idx].tolist()
        # a sentence inside a quotation that runs over several sentences is the speaker's, not the author's
        paras = out["para_start"].to_numpy()[idx].tolist() if "para_start" in out else None
        quotes = context_quote_spans(texts, out["article_id"].to_numpy()[idx].tolist(), paras)
        p, f, ev = model.score_batch(texts, explain=explain, quotes=quotes)
        if published:
            p, f = np.array(p), np.array(f)
            by_article = {a: article_year(d) for a, d in published.items()}
            years = [by_article.get(a) for a in out["article_id"].to_numpy()[idx].tolist()]
            _rescore_out_of_office(model, names, texts, quotes, years, p, f, ev, explain)
        proba[idx] = p
        flags[idx] = f
        for k, i in enumerate(idx.tolist()):
            if ev[k]:
                evidence[i] = _encode_evidence(ev[k])
    cols = {f"p_{name}": np.round(proba[:, j], 4) for j, name in enumerate(names)}
    cols.update({name: flags[:, j] for j, name in enumerate(names)})
    cols["evidence"] = evidence
    if len(cols) != 2 * len(names) + 1 or set(cols) & set(out.columns):  # replaced columns: one at a time
        for col, values in cols.items():
            out[col] = values
        return out
    # the new columns added at once (as assigning them one by one would: same order and dtypes)
    return pd.concat([out, pd.DataFrame(cols, index=out.index)], axis=1)


def article_table(articles: Sequence[Article], scored: pd.DataFrame, names: Sequence[str]) -> pd.DataFrame:
    """One row per article: counts, per-label share of flagged content sentences and mean probability.

    The columns are those of :func:`_article_table_grouped` (the reference), assembled from arrays: counts
    and sums by article number with ``bincount`` (exact: integers), the shares and mean probabilities
    with the same pandas group mean over the same rows in the same order. Articles with a repeated id, or
    sentences of an article not in ``articles``, take the reference path."""
    ids = [a.id for a in articles]
    number = {k: i for i, k in enumerate(ids)}
    content = ~scored["boilerplate"].to_numpy()
    which = list(map(number.get, scored["article_id"].to_numpy()[content].tolist()))
    if len(number) != len(ids) or None in which:
        return _article_table_grouped(articles, scored, names)
    n = len(ids)
    idx = np.array(which, dtype=np.int64)
    counts = np.bincount(idx, minlength=n)
    words = np.bincount(idx, weights=_n_words(scored["text"].to_numpy()[content].tolist()), minlength=n)
    cols = {**_article_columns(articles), "n_sentences": counts.astype(int), "n_words": words.astype(int)}
    means = None
    if len(idx):
        keys = [c for name in names for c in (name, f"p_{name}")]
        means = scored.loc[content, keys].groupby(idx, sort=False).mean()
        got = means.index.to_numpy()
    for name in names:
        cols[f"n_{name}"] = np.bincount(idx, weights=scored[name].to_numpy()[content], minlength=n).astype(int)
        for col, key in ((f"share_{name}", name), (f"mean_p_{name}", f"p_{name}")):
            full = np.zeros(n, dtype=float)
            if means is not None:
                full[got] = means[key].to_numpy().astype(float)
            cols[col] = full
    return pd.DataFrame(cols)


def _article_columns(articles: Sequence[Article]) -> dict[str, list]:
    """The article table's columns taken from the articles themselves (id, metadata, length)."""
    return {
        "article_id": [a.id for a in articles],
        "source": [a.source for a in articles],
        "title": [a.title for a in articles],
        "published": [a.published for a in articles],
        "url": [a.url for a in articles],
        "story": [a.story for a in articles],
        "n_chars": [len(a.text) for a in articles],
    }


def _article_table_grouped(articles: Sequence[Article], scored: pd.DataFrame, names: Sequence[str]) -> pd.DataFrame:
    """:func:`article_table` by pandas grouping and a merge (the reference, and the path for odd input)."""
    content = scored[~scored["boilerplate"]]
    g = content.groupby("article_id", sort=False)
    base = pd.DataFrame(_article_columns(articles))
    # words counted per sentence in one pass, then summed per article (not a Python call per article)
    words = pd.Series(_n_words(content["text"].tolist()), index=content.index)
    agg = pd.DataFrame({"n_sentences": g.size(), "n_words": words.groupby(content["article_id"], sort=False).sum()})
    for name in names:
        agg[f"n_{name}"] = g[name].sum()
        agg[f"share_{name}"] = g[name].mean()
        agg[f"mean_p_{name}"] = g[f"p_{name}"].mean()
    out = base.merge(agg, left_on="article_id", right_index=True, how="left")
    out["n_sentences"] = out["n_sentences"].fillna(0).astype(int)
    out["n_words"] = out["n_words"].fillna(0).astype(int)
    for name in names:
        out[f"n_{name}"] = out[f"n_{name}"].fillna(0).astype(int)
        out[f"share_{name}"] = out[f"share_{name}"].fillna(0.0).astype(float)
        out[f"mean_p_{name}"] = out[f"mean_p_{name}"].fillna(0.0).astype(float)
    return out


def score_batch(articles: Sequence[Article], model, names: Sequence[str], explain: bool = True) -> tuple[pd.DataFrame, pd.DataFrame, list[dict]]:
    """Score one batch of articles. An article that fails is reported, the rest are scored."""
    errors: list[dict] = []
    dated = {a.id: a.published for a in articles if a.published}
    sents = score_sentences(sentence_table(articles, errors), model, names, explain=explain, published=dated or None)
    failed = {e["id"] for e in errors}
    good = [a for a in articles if a.id not in failed] if failed else list(articles)
    return sents, article_table(good, sents, names), errors


def score_articles(articles: pd.DataFrame, bundle: Bundle | str | Path = "models", explain: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Score a DataFrame of articles (columns ``id``/``article_id``, ``source``, ``text``...).

    Returns ``(sentences, articles)`` DataFrames as written by ``framing score``.
    """
    if not isinstance(bundle, Bundle):
        bundle = load_bundle(bundle)
    names = bundle.codebook.names
    recs = []
    for i, row in enumerate(articles.to_dict("records")):
        text = row.get("text")
        if not isinstance(text, str):
            raise InputError(f"article row {i}: 'text' is missing or not a string")
        recs.append(Article(id=str(row.get("id", row.get("article_id", i))), source=str(row.get("source") or "unknown"),
                            text=text, title=str(row.get("title") or ""), published=str(row.get("published") or ""),
                            url=str(row.get("url") or ""), story=str(row.get("story") or "")))
    sents, arts, _ = score_batch(recs, bundle.model, names, explain=explain)
    return sents, arts


# ================================================================================ streaming driver

_WORKER_MODEL: dict = {}


def _worker_model(model_path: str, sha256: str):
    key = (model_path, sha256)
    if key not in _WORKER_MODEL:
        b = load_bundle(model_path, verified_sha256=sha256, light=True)
        _WORKER_MODEL.clear()
        _WORKER_MODEL[key] = (b.model, b.codebook.names)
    return _WORKER_MODEL[key]


def _score_batch_job(model_path: str, sha256: str, articles: list[Article], explain: bool):
    """Runs in a worker process (local pool or Dask): the model loads once per process, and only if its
    file still has the hash the parent process vetted (a worker on another machine has no trust store)."""
    model, names = _worker_model(model_path, sha256)
    return score_batch(articles, model, names, explain=explain)


def _score_and_write_job(model_path: str, sha256: str, articles: list[Article], explain: bool, parts: str, k: int,
                         suffix: str = "parquet"):
    """Local pool job: score a batch and write its two part files here, in the worker (atomically), so
    the parent neither receives the tables through a pipe nor spends its core on Parquet encoding.
    Returns the counts and the errors; the parent commits the batch (its ``.done`` marker)."""
    if not _WORKER_MODEL:  # this pool worker's first batch: load the model, then freeze (see _preload)
        _worker_model(model_path, sha256)
        gc.freeze()
        # Scoring a batch makes no reference cycles (a collection after each batch of the benchmark corpus
        # found nothing unreachable): everything it allocates is freed by reference counting, so the
        # collections the default threshold (700 allocations) starts while a batch's objects are alive
        # walk them for nothing, about 3.5 us a sentence (4% of scoring). With this threshold a batch of
        # 200 articles starts none, and cyclic garbage (from an error's traceback) is still collected
        # once it and other net allocations reach 50,000 objects (the older generations keep their thresholds).
        gc.set_threshold(50_000, 10, 10)
        # Arrow's own thread pool (one thread per core by default) would convert each part's columns in
        # parallel: with every core already running a worker, those threads only add switching. Writing
        # a 3,700-sentence part as Parquet took 10.8 ms of CPU with the pool, 8.7 ms without (median of
        # 150 writes each, alternating)
        import pyarrow

        pyarrow.set_cpu_count(1)
    sents, arts, errors = _score_batch_job(model_path, sha256, articles, explain)
    _write_parts(Path(parts), k, sents, arts, suffix)
    return len(arts), len(sents), errors


# A committed batch's two part files. With ``--layout parts`` they are the output's Parquet part files.
# With the default layout (one file per table) they are the run's record, read back once to be appended
# to the tables: Arrow IPC files (LZ4-compressed), which hold the same Arrow table (so the tables' bytes
# are the same) for less work than Parquet on both sides. A 3,700-sentence part: 4.7-6.0 ms of CPU to
# write against 8.7-10.0, 0.9-1.0 ms to read against 3.2-3.4; on disk 1.3-1.6 times the Parquet parts.
# An output folder started by an earlier version holds Parquet parts, and is resumed from them.
_PART_SUFFIX = {"file": "arrow", "parts": "parquet"}


def _write_parts(parts: Path, k: int, sents: pd.DataFrame, arts: pd.DataFrame, suffix: str = "parquet") -> None:
    for table, df in (("sentences", sents), ("articles", arts)):
        if suffix == "parquet":
            write_table(df, parts / f"{table}-{k:06d}", "parquet")
        else:
            _write_arrow(df, parts / f"{table}-{k:06d}.arrow")


def _write_arrow(df: pd.DataFrame, path: Path) -> None:
    """``df`` as an Arrow IPC file at ``path``, atomically: the table :meth:`DataFrame.to_parquet` would
    write (no index), converted on this thread."""
    import pyarrow as pa

    table = pa.Table.from_pandas(df, preserve_index=False, nthreads=1)
    with atomic_path(path) as tmp:
        _write_ipc(table, tmp)


def _write_ipc(table, path: Path) -> None:
    import pyarrow as pa
    from pyarrow import ipc

    options = ipc.IpcWriteOptions(compression="lz4", use_threads=False)
    with pa.OSFile(str(path), "wb") as sink, ipc.new_file(sink, table.schema, options=options) as writer:
        writer.write_table(table)


def _part_path(parts: Path, table: str, k: str) -> Path:
    """Batch ``k``'s (six digits) part file of ``table``: Arrow, or else Parquet (``--layout parts``, or a
    folder an earlier version started)."""
    arrow = parts / f"{table}-{k}.arrow"
    return arrow if arrow.exists() else parts / f"{table}-{k}.parquet"


def _read_part(path: Path):
    """A part file as an Arrow table."""
    import pyarrow as pa

    if path.suffix == ".arrow":
        from pyarrow import ipc

        with pa.OSFile(str(path), "rb") as src:
            return ipc.open_file(src, options=ipc.IpcReadOptions(use_threads=False)).read_all()
    import pyarrow.parquet as pq

    return pq.ParquetFile(path).read()  # the same table as pq.read_table, without its dataset layer's cost per file


@dataclass
class RunSummary:
    out: Path
    articles: int = 0
    sentences: int = 0
    errors: int = 0
    batches: int = 0
    skipped_batches: int = 0
    seconds: float = 0.0
    files: dict = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return self.errors == 0


def _fingerprint_inputs(inputs: list[str]) -> list[dict]:
    out = []
    for p in inputs:
        if p == "-":
            out.append({"path": "-", "bytes": None, "sha256": None})
            continue
        path = Path(p)
        if not path.exists():
            raise InputError(f"{path}: no such file or folder; check the path")
        files = sorted(x for x in path.iterdir() if x.suffix.lower() == ".txt") if path.is_dir() else [path]
        h = hashlib.sha256()
        size = 0
        for f in files:
            try:
                with open(f, "rb") as fh:
                    for chunk in iter(lambda: fh.read(1 << 20), b""):
                        h.update(chunk)
                        size += len(chunk)
            except OSError as exc:
                raise InputError(f"{f}: cannot be read ({exc.strerror}); check the path and permissions") from None
            h.update(b"\0" + f.name.encode())
        out.append({"path": str(p), "bytes": size, "sha256": h.hexdigest()})
    return out


# the batch boundaries' scheme, recorded in run.json: an output folder started by a version that cut the
# stream differently is refused rather than resumed with shifted batches (1: the stream's end in small batches)
TAIL_SPLIT = 1


def _batches(records: Iterator[Article | BadRecord], size: int) -> Iterator[tuple[list[Article], list[BadRecord]]]:
    """Deterministic batches of ``size`` articles, with each bad record in the batch read with it.

    The stream's last articles (up to ``2 * size - 1``, held back by a look-ahead of one batch) go out in
    small batches of ``ceil(size / 8)``, so that all workers finish together instead of one scoring the
    last full batch alone: a corpus of a few hundred articles (an hourly feed) uses every core. The
    boundaries depend only on the stream and ``size`` (never on the number of workers), as resuming needs.
    """
    buf: list[Article] = []
    bad: list[BadRecord] = []
    seen: dict[str, int] = {}
    for r in records:
        if isinstance(r, BadRecord):
            bad.append(r)
            continue
        k = seen.get(r.id, 0)
        seen[r.id] = k + 1
        if k:
            new_id = f"{r.id}~{k + 1}"
            bad.append(BadRecord(r.file, r.record, f"duplicate article id {r.id!r}; scored as {new_id!r}", r.id))
            r = Article(**{**r.__dict__, "id": new_id})
        buf.append(r)
        if len(buf) >= 2 * size:
            yield buf[:size], bad
            buf, bad = buf[size:], []
    if not buf:
        if bad:
            yield [], bad
        return
    tail = -(-size // 8)
    for i in range(0, len(buf), tail):
        yield buf[i:i + tail], bad
        bad = []


class _Progress:
    """Progress on stderr: a tqdm bar on a terminal (articles with percentage and time left, sentences,
    sentences per second), else a plain line every ``LOG_EVERY`` seconds; nothing with ``quiet``. The
    bar's total is counted from the inputs (:func:`~framing.corpus.estimate_records`) in a background
    thread, so a large input starts scoring at once; ``initial``: articles committed by an earlier run
    (a resumed run)."""

    LOG_EVERY = 10.0

    def __init__(self, quiet: bool, inputs: Sequence[str] = (), initial: int = 0):
        self.quiet = quiet
        self.bar = None
        self.last = 0.0
        self.t0 = time.monotonic()
        self.articles = self.sentences = 0
        self.total: int | None = None
        self.counter: threading.Thread | None = None
        if not quiet and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(unit=" articles", file=sys.stderr, dynamic_ncols=True, smoothing=0.1, initial=initial)
            if inputs:
                self.counter = threading.Thread(target=self._count, args=(list(inputs),), daemon=True)
                self.counter.start()

    def _count(self, inputs: list[str]) -> None:
        self.total = estimate_records(inputs)

    def update(self, articles: int, sentences: int) -> None:
        self.articles += articles
        self.sentences += sentences
        if self.quiet:
            return
        rate = self.sentences / max(time.monotonic() - self.t0, 1e-9)
        if self.bar is not None:
            if self.total is not None and self.bar.total is None:
                self.bar.total = self.total  # an estimate: kept at least what is already done
            if self.bar.total is not None and self.bar.n + articles > self.bar.total:
                self.bar.total = self.bar.n + articles
            self.bar.set_postfix_str(f"{self.sentences:,} sentences, {rate:,.0f} sent/s", refresh=False)
            self.bar.update(articles)
        elif time.monotonic() - self.last >= self.LOG_EVERY:
            self.last = time.monotonic()
            print(f"framing: {self.articles:,} articles, {self.sentences:,} sentences, {rate:,.0f} sentences/s", file=sys.stderr)

    def close(self) -> None:
        if self.bar is not None:
            if self.bar.total is not None:
                self.bar.total = self.bar.n  # the count included bad records and blank lines: end at 100%
                self.bar.refresh()
            self.bar.close()


def score_corpus(
    inputs: Sequence[str],
    out: str | Path,
    model: str | Path = "models",
    fmt: str = "parquet",
    workers: int | None = None,
    batch_size: int = 200,
    engine: str = "local",
    scheduler: str | None = None,
    overwrite: bool = False,
    source: str | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
    explain: bool = True,
    quiet: bool = False,
    trust_model: bool = False,
    layout: str = "file",
) -> RunSummary:
    """Stream ``inputs`` through the model into ``out`` (see the module docstring). ``layout``: "file"
    (one file per table) or "parts" (each table a folder of Parquet part files, one per batch)."""
    if fmt not in TABLE_FORMATS:
        raise UsageError(f"--format {fmt!r}: use one of {', '.join(TABLE_FORMATS)}")
    if layout not in ("file", "parts"):
        raise UsageError(f"--layout {layout!r}: use file or parts")
    if layout == "parts" and fmt != "parquet":
        raise UsageError(f"--layout parts writes Parquet part files; drop --format {fmt} or use --layout file")
    if engine not in ("local", "dask"):
        raise UsageError(f"--engine {engine!r}: use local or dask")
    if engine == "dask" and not scheduler:
        raise UsageError("--engine dask needs --scheduler ADDRESS (e.g. tcp://127.0.0.1:8786)")
    if workers is not None and workers < 0:
        raise UsageError(f"--workers {workers}: use a number of processes, at least 1 (0 or leaving it out: all cores)")
    if batch_size < 1:
        raise UsageError("--batch-size must be at least 1")
    if max_chars < 1:
        raise UsageError("--max-chars must be at least 1 (the longest article accepted, in characters)")
    workers = workers or os.cpu_count() or 1
    inputs = expand_inputs(inputs)
    if not inputs:
        raise UsageError("no inputs given; pass files, folders, globs or - for stdin")
    # fail fast, in the parent, with a clear message; the parent unpickles the model only if it scores itself
    # (pool and Dask workers load the file it vetted); whoever scores loads it without scikit-learn where
    # the model allows (light=True: the same scores, ~1.4 s less start-up)
    bundle = load_bundle(model, trust=trust_model, load_model=engine == "local" and workers <= 1, light=True)
    names = bundle.codebook.names
    model_path = str(bundle.path.resolve())
    out = Path(out)
    t_start = datetime.now(UTC)
    t0 = time.monotonic()
    fingerprint = {
        "model_sha256": bundle.meta["sha256"],
        "inputs": _fingerprint_inputs(inputs),
        "batch_size": batch_size,
        "format": fmt,
        "source": source,
        "max_chars": max_chars,
        "explain": explain,
        "batching": TAIL_SPLIT,
    }
    if layout != "file":  # recorded only when not the default, so earlier runs' fingerprints still match
        fingerprint["layout"] = layout
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(os_reason(exc, out, "cannot create the output folder")) from None
    if not os.access(out, os.W_OK):
        raise OutputError(f"{out}: not writable; choose a writable --out")
    with folder_lock(out):
        parts = out / "parts"
        run_file = out / "run.json"
        if overwrite:
            shutil.rmtree(parts, ignore_errors=True)
            run_file.unlink(missing_ok=True)
            for p in out.glob("*"):
                if p.name in {f"sentences.{f}" for f in TABLE_FORMATS} | {f"articles.{f}" for f in TABLE_FORMATS} | {"errors.jsonl", "manifest.json"}:
                    p.unlink()
                elif p.name in ("sentences", "articles") and p.is_dir() and not any(c for c in p.iterdir() if not c.name.startswith("part-")):
                    shutil.rmtree(p)  # a --layout parts table (only its part files: nothing else the user keeps there)
        elif run_file.exists():
            try:
                previous = json.loads(run_file.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                previous = None
            if previous != fingerprint:
                raise OutputError(f"{out}: holds a run with a different model, inputs or options; pass --overwrite to start afresh or choose another --out")
        elif any(p.name in ("sentences.parquet", "sentences.csv", "sentences.jsonl", "manifest.json", "sentences") for p in out.iterdir()):
            raise OutputError(f"{out}: already holds scores from another run; pass --overwrite to replace them or choose another --out")
        parts.mkdir(exist_ok=True)
        if not run_file.exists():
            write_json(run_file, fingerprint)
        committed = _committed_batches(parts)
        done = set(committed)
        summary = RunSummary(out=out)
        resumed_articles = sum(info["articles"] for info in committed.values())
        progress = _Progress(quiet, inputs, initial=resumed_articles)

        early = _EarlyJoin(out, parts, fmt) if layout == "file" and not done else None

        def commit_written(k: int, n_arts: int, n_sents: int, errors: list[dict]) -> None:
            """Commit batch k whose part files are written: its errors, then its ``.done`` marker."""
            with atomic_path(parts / f"errors-{k:06d}.jsonl") as tmp:
                tmp.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in errors), encoding="utf-8")
            write_json(parts / f"batch-{k:06d}.done", {"articles": n_arts, "sentences": n_sents, "errors": len(errors)})
            if early is not None:
                early.add(k)
            progress.update(n_arts, n_sents)

        def commit(k: int, sents: pd.DataFrame, arts: pd.DataFrame, errors: list[dict]) -> None:
            _write_parts(parts, k, sents, arts, _PART_SUFFIX[layout])
            commit_written(k, len(arts), len(sents), errors)

        # temporary files and part-file folders of a run that was killed while finishing (this run holds
        # the folder lock: nobody else writes here)
        # and the half-written part files of batches a killed run's workers were writing
        for stale in [*out.glob(".sentences.*.tmp"), *out.glob(".articles.*.tmp"), *out.glob(".errors.jsonl.*.tmp"),
                      *parts.glob(".*.tmp")]:
            if stale.is_dir():
                shutil.rmtree(stale, ignore_errors=True)
            else:
                stale.unlink(missing_ok=True)
        records = iter_articles(inputs, source=source, max_chars=max_chars)
        jobs = ((k, arts, bad) for k, (arts, bad) in enumerate(_batches(records, batch_size)))
        try:
            if engine == "dask":
                _run_dask(jobs, done, scheduler, model_path, bundle.sha256, explain, commit, summary, workers)
            elif workers <= 1:
                m = bundle.model
                for k, arts, bad in jobs:
                    summary.batches += 1
                    if k in done:
                        summary.skipped_batches += 1
                        continue
                    s, a, e = score_batch(arts, m, names, explain=explain)
                    commit(k, s, a, [b.to_dict() for b in bad] + e)
            else:
                _run_pool(jobs, done, workers, model_path, bundle.sha256, explain, commit_written, summary, parts,
                          _PART_SUFFIX[layout])
        except BaseException:
            if early is not None:  # the committed parts are the record; a rerun resumes from them
                early.abandon()
            raise
        finally:
            progress.close()
        _finalise(out, parts, fmt, summary, layout, early)
        summary.seconds = time.monotonic() - t0
        manifest = {
            "framing_version": __version__,
            # the cue lexicons and registries this run read, and those the model was trained with (None for
            # models saved before it was recorded)
            "resources_sha256": resources_digest(),
            "model": {"path": model_path, "version": bundle.version, "sha256": bundle.meta["sha256"],
                      "resources_sha256": bundle.meta.get("resources_sha256"),
                      "labels": names, "thresholds": _thresholds(bundle, names)},
            "codebook": bundle.meta["codebook"],
            "model_metrics": bundle.meta.get("metrics"),
            "inputs": fingerprint["inputs"],
            "options": {**{k: fingerprint[k] for k in ("batch_size", "format", "source", "max_chars", "explain")}, "layout": layout},
            "engine": engine, "workers": workers if engine == "local" else None, "scheduler": scheduler,
            "counts": {"articles": summary.articles, "sentences": summary.sentences, "errors": summary.errors,
                       "batches": summary.batches, "resumed_batches": summary.skipped_batches},
            "outputs": summary.files,
            "started": t_start.isoformat(timespec="seconds"),
            "finished": datetime.now(UTC).isoformat(timespec="seconds"),
            "seconds": round(summary.seconds, 3),
        }
        write_json(out / "manifest.json", manifest)
        return summary


def _thresholds(bundle: Bundle, names: Sequence[str]) -> list[float]:
    """Each label's decision threshold, from the loaded model or else from its metadata."""
    if bundle.model is not None:
        return [float(t) for t in bundle.model.thresholds_]
    stored = bundle.meta.get("thresholds") or {}
    if all(n in stored for n in names):
        return [float(stored[n]) for n in names]
    return [float(t) for t in load_bundle(bundle.path, verified_sha256=bundle.sha256).model.thresholds_]


# Batches in flight per worker: one scoring, one queued behind it, so a worker never waits for the
# parent between batches. Finished batches wait (in order) to be committed; at most this many times more.
_QUEUED_PER_WORKER = 2
_FINISHED_PER_WORKER = 8


def _run_pool(jobs, done, workers, model_path, sha256, explain, commit_written, summary, parts: Path,
              suffix: str = "parquet") -> None:
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from .pool import pool_context, worker_init

    ctx = pool_context()  # a fork server that built the imports and cue matcher once; workers inherit them
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=worker_init) as pool:
            _pump(jobs, done, summary, workers,
                  lambda k, arts: pool.submit(_score_and_write_job, model_path, sha256, arts, explain, str(parts), k, suffix),
                  lambda k, result, bad: commit_written(k, result[0], result[1], bad + result[2]))
    except BrokenProcessPool:
        raise FramingError(f"{parts.parent}: a worker process died (killed from outside, or by the system when memory "
                           "ran out); the committed batches are kept: rerun the same command to resume, with fewer "
                           "--workers or a smaller --batch-size if memory is short") from None


def _pump(jobs, done, summary, workers: int, submit, commit, wait_any=None) -> None:
    """Submit each batch not already ``done`` (``submit(k, articles)`` returns a future) and ``commit(k,
    result, bad records)`` each in batch order as it finishes.

    Keeping the workers fed comes first: a batch is submitted whenever fewer than
    ``_QUEUED_PER_WORKER * workers`` are unfinished, before any commit, and batches are committed one at a
    time in between (a commit joins the batch's parts into the tables, and a run of commits waiting behind
    a long batch took long enough for the workers to run dry). The pump waits for *any* batch to finish,
    not the oldest, so a long batch at the head of the window does not leave the other workers idle;
    finished batches wait for their turn (at most ``_FINISHED_PER_WORKER * workers`` in the window).
    ``wait_any(futures)`` returns once one of them has finished (default: ``concurrent.futures.wait``;
    the Dask engine passes ``distributed.wait``)."""
    if wait_any is None:
        from concurrent.futures import FIRST_COMPLETED, wait

        def wait_any(fs):
            return wait(fs, return_when=FIRST_COMPLETED)

    window: deque = deque()  # (batch, future, bad records) in batch order
    pending = iter(jobs)
    exhausted = False
    while True:
        running = [f for _, f, _ in window if not f.done()]
        while not exhausted and len(running) < _QUEUED_PER_WORKER * workers and len(window) < _FINISHED_PER_WORKER * workers:
            job = next(pending, None)
            if job is None:
                exhausted = True
                break
            k, arts, bad = job
            summary.batches += 1
            if k in done:
                summary.skipped_batches += 1
                continue
            fut = submit(k, arts)
            window.append((k, fut, [b.to_dict() for b in bad]))
            running.append(fut)
        if window and window[0][1].done():
            k, f, bad = window.popleft()
            commit(k, f.result(), bad)
            continue
        if not window:
            if exhausted:
                return
            continue
        # the batches counted as unfinished above: one that has finished since returns at once
        wait_any(running)


def _run_dask(jobs, done, scheduler, model_path, sha256, explain, commit, summary, workers) -> None:
    try:
        from distributed import Client
    except ImportError:
        raise UsageError("--engine dask needs dask.distributed: pip install 'framing[dask]'") from None
    try:
        client = Client(scheduler, timeout="20s")
    except (OSError, TimeoutError) as exc:
        raise FramingError(f"cannot reach the Dask scheduler at {scheduler} ({exc}); start it with `dask scheduler` and check the address") from None
    try:
        from distributed import wait as wait_dask

        n_workers = max(len(client.scheduler_info().get("workers", {})), 1)
        _pump(jobs, done, summary, n_workers,
              lambda k, arts: client.submit(_score_batch_job, model_path, sha256, arts, explain, pure=False),
              lambda k, result, bad: commit(k, result[0], result[1], bad + result[2]),
              wait_any=lambda fs: wait_dask(fs, return_when="FIRST_COMPLETED"))
    finally:
        client.close()


def _link_parts(out: Path, parts: Path, table: str, ks: list[str]) -> Path:
    """``--layout parts``: the committed part files of ``table`` as ``out/table/part-K.parquet``, hard
    links to the parts (no copy, no re-encoding; copies where the file system has no hard links). The
    folder is assembled beside the target and swapped in, so a reader sees the old or the new one."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    target = out / table
    tmp = Path(tempfile.mkdtemp(prefix=f".{table}.", suffix=".tmp", dir=out))
    try:
        for k in ks:
            src, dst = parts / f"{table}-{k}.parquet", tmp / f"part-{k}.parquet"
            try:
                os.link(src, dst)
            except OSError:
                shutil.copyfile(src, dst)
        if not ks:  # nothing scored (every record bad): one empty part, so the table still reads
            pq.write_table(pa.table({}), tmp / "part-000000.parquet")
        os.chmod(tmp, 0o777 & ~_UMASK)  # mkdtemp makes 0700; outputs are meant to be shared
        swap_in_folder(tmp, target)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise OutputError(os_reason(exc, target)) from None
    return target


def _batch_of(path: Path) -> str:
    """The batch number, as written in the name, of a file under ``parts/`` ("sentences-000003.arrow",
    "batch-000003.done" -> "000003")."""
    return path.name.split("-")[1].split(".")[0]


def _committed_batches(parts: Path) -> dict[int, dict]:
    """The committed batches' ``.done`` records by batch number. A marker that cannot be read (damaged on
    disk, or changed by hand) uncommits its batch, with a warning, so that this run scores it again."""
    out = {}
    for p in sorted(parts.glob("batch-*.done")):
        k = _batch_of(p)
        try:
            info = json.loads(p.read_text(encoding="utf-8"))
            if not (k.isdigit() and all(isinstance(info.get(c), int) for c in ("articles", "sentences", "errors"))):
                raise ValueError("not a batch record")
        except (OSError, ValueError, AttributeError) as exc:
            print(f"Warning: {p}: unreadable ({exc}); its batch is scored again", file=sys.stderr)
            _forget_batch(parts, k)
            continue
        out[int(k)] = info
    return out


class _UnreadablePart(Exception):
    """A committed part file that cannot be read back (damaged on disk, or changed by hand)."""

    def __init__(self, path: Path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = path, reason


def _forget_batch(parts: Path, k: str) -> None:
    """Uncommit batch ``k``: its ``.done`` marker first (so a rerun scores it again), then its files."""
    (parts / f"batch-{k}.done").unlink(missing_ok=True)
    for p in parts.glob(f"*-{k}.*"):
        p.unlink(missing_ok=True)


class _TableJoin:
    """One output table (``--layout file``) built by appending part files in batch order to ``tmp``:
    Parquet row groups, or CSV / JSONL lines (streaming, bounded memory)."""

    def __init__(self, tmp: Path, fmt: str):
        self.tmp, self.fmt, self.n = tmp, fmt, 0
        self.writer = self.fh = None

    def append(self, part: Path) -> None:
        import pyarrow.parquet as pq

        try:
            t = _read_part(part)
        except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
            raise _UnreadablePart(part, str(exc) or type(exc).__name__) from None
        if self.fmt == "parquet":
            if self.writer is None:
                self.writer = pq.ParquetWriter(self.tmp, t.schema)
            if t.num_rows:
                self.writer.write_table(t if t.schema.equals(self.writer.schema) else t.cast(self.writer.schema))
        else:
            from .io import neutralise_formulas

            if self.fh is None:
                self.fh = open(self.tmp, "w", encoding="utf-8", newline="")
            df = t.to_pandas()
            if self.fmt == "csv":
                neutralise_formulas(df).to_csv(self.fh, index=False, header=(self.n == 0))
            elif len(df):
                self.fh.write(df.to_json(orient="records", lines=True, force_ascii=False).rstrip("\n") + "\n")
        self.n += 1

    def close(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self.fmt == "parquet":
            if self.writer is None:
                pq.write_table(pa.table({}), self.tmp)
            else:
                self.writer.close()
        elif self.fh is None:
            self.tmp.write_bytes(b"")
        else:
            self.fh.close()
        self.writer = self.fh = None

    def abandon(self) -> None:
        try:
            if self.writer is not None:
                self.writer.close()
            if self.fh is not None:
                self.fh.close()
        except Exception:  # noqa: BLE001 - the file is deleted next: how it closes does not matter
            pass
        self.writer = self.fh = None
        self.tmp.unlink(missing_ok=True)


class _EarlyJoin:
    """``--layout file``: the final tables built while the run goes on. Each committed batch's parts are
    appended as it commits, in batch order (a batch committed early waits for those before it), so the
    join at the end, once 10-25% of a large run's time and serial, is left with nothing to do.

    Only for a run that starts afresh: a resumed run's earlier batches are already parts, and it joins at
    the end as before. Anything going wrong here (a full disk) only drops the early join: the join at the
    end then reads the committed parts, which are the record, and reports the problem."""

    TABLES = ("sentences", "articles")

    def __init__(self, out: Path, parts: Path, fmt: str):
        # imported now, before the workers start (this process then waits for the fork server anyway):
        # imported at the first commit, it stalled the parent ~0.15 s while the workers ran out of batches
        import pyarrow.ipc
        import pyarrow.parquet  # noqa: F401

        self.out, self.parts, self.fmt = out, parts, fmt
        self.next, self.waiting, self.failed = 0, set(), False
        # named like the temporaries the start of a run clears (".sentences.*.tmp"), should this one be killed
        self.joins = {t: _TableJoin(out / f".{t}.{fmt}.{os.getpid()}.join.tmp", fmt) for t in self.TABLES}

    def add(self, k: int) -> None:
        if self.failed:
            return
        self.waiting.add(k)
        try:
            while self.next in self.waiting:
                for t, j in self.joins.items():
                    j.append(_part_path(self.parts, t, f"{self.next:06d}"))
                self.waiting.discard(self.next)
                self.next += 1
        except Exception:  # noqa: BLE001 - never stop a run for the early join (see the class docstring)
            self.abandon()

    def covers(self, ks: list[str]) -> bool:
        """True when the joined batches are exactly the committed ones, ``ks`` (sorted 6-digit numbers)."""
        return not self.failed and not self.waiting and ks == [f"{i:06d}" for i in range(self.next)]

    def install(self, table: str, target: Path) -> None:
        """Close ``table``'s file and rename it over ``target`` (fsynced first, as :func:`atomic_path` does)."""
        j = self.joins[table]
        j.close()
        try:
            with open(j.tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            os.chmod(j.tmp, 0o666 & ~_UMASK)
            os.replace(j.tmp, target)
        except OSError as exc:
            j.tmp.unlink(missing_ok=True)
            raise OutputError(os_reason(exc, target)) from None

    def abandon(self) -> None:
        self.failed = True
        for j in self.joins.values():
            j.abandon()


def _finalise(out: Path, parts: Path, fmt: str, summary: RunSummary, layout: str = "file",
              early: _EarlyJoin | None = None) -> None:
    """Join committed parts, in batch order, into one file per table (streaming, bounded memory; or
    install what ``early`` joined while the run went on), or with ``layout="parts"`` link them into one
    folder per table."""
    committed = _committed_batches(parts)
    ks = [f"{k:06d}" for k in sorted(committed)]
    for info in committed.values():
        summary.articles += info["articles"]
        summary.sentences += info["sentences"]
        summary.errors += info["errors"]
    if early is not None and not early.covers(ks):
        early.abandon()
        early = None
    for table in ("sentences", "articles"):
        target = out / f"{table}.{fmt}"
        if layout == "parts":
            summary.files[table] = str(_link_parts(out, parts, table, ks))
            continue
        if early is not None:
            early.install(table, target)
        else:
            try:
                with atomic_path(target) as tmp:
                    join = _TableJoin(tmp, fmt)
                    try:
                        for k in ks:
                            join.append(_part_path(parts, table, k))
                    finally:
                        join.close()
            except _UnreadablePart as bad:
                _forget_batch(parts, _batch_of(bad.path))
                raise OutputError(f"{bad.path}: a committed part cannot be read ({bad.reason}); its batch will be "
                                  "scored again: rerun the same command") from None
        summary.files[table] = str(target)
    with atomic_path(out / "errors.jsonl") as tmp:
        with open(tmp, "w", encoding="utf-8") as fh:
            for k in ks:
                ef = parts / f"errors-{k}.jsonl"
                if ef.exists():
                    fh.write(ef.read_text(encoding="utf-8"))
    summary.files["errors"] = str(out / "errors.jsonl")
