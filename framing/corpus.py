"""Read articles from JSONL, CSV, Parquet, a folder of .txt files, or stdin.

Every reader yields records one at a time (memory stays independent of corpus size). A record that
cannot be read becomes a :class:`BadRecord` in the stream, so a batch never dies for one bad record;
a file that cannot be opened at all raises :class:`InputError` with a one-line message.
"""

from __future__ import annotations

import csv
import glob
import io
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import pandas as pd

from .errors import InputError

ARTICLE_COLUMNS = ["id", "source", "title", "published", "url", "text"]
DEFAULT_MAX_CHARS = 5_000_000  # one article; larger ones are reported, not scored
_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv", ".tsv": "tsv",
             ".parquet": "parquet", ".pq": "parquet", ".txt": "txt"}


@dataclass(frozen=True)
class Article:
    id: str
    source: str
    text: str
    title: str = ""
    published: str = ""
    url: str = ""
    story: str = ""
    file: str = ""
    record: int = 0  # 1-based line (JSONL) or row (CSV/Parquet) number; 0 for a whole file


@dataclass(frozen=True)
class BadRecord:
    file: str
    record: int
    reason: str
    id: str = ""

    def to_dict(self) -> dict:
        return {"id": self.id, "file": self.file, "record": self.record, "reason": self.reason}


# --------------------------------------------------------------------------------------------- decoding

def decode_bytes(data: bytes, name: str) -> str:
    """Decode file bytes: UTF-8 (with or without BOM), UTF-16/32 with BOM, else a detected encoding.

    Raises InputError for binary data or text whose encoding cannot be determined.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        enc = "utf-8-sig"
    elif data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        enc = "utf-32"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        enc = "utf-16"
    else:
        enc = None
    if enc:
        try:
            return data.decode(enc)
        except UnicodeDecodeError as exc:
            raise InputError(f"{name}: starts with a {enc} byte-order mark but is not valid {enc} ({exc.reason} at byte {exc.start}); re-save it as UTF-8") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    if b"\x00" in data[:8192]:
        raise InputError(f"{name}: looks like a binary file (NUL bytes), not text; pass a UTF-8 text, JSONL, CSV or Parquet file")
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1_000_000]).best()
    if best is None or best.encoding in (None, "utf_8"):
        raise InputError(f"{name}: not UTF-8 (invalid byte at offset {first_bad}) and the encoding could not be detected; re-save it as UTF-8")
    try:
        return data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        raise InputError(f"{name}: not UTF-8 (invalid byte at offset {first_bad}); re-save it as UTF-8") from None


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; check the path") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder; pass a file, or a folder of .txt files") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied; make it readable") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror}); check the file") from None


# --------------------------------------------------------------------------------------------- records

def _clean(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value != value:  # NaN
        return ""
    return str(value)


def _make_article(obj: dict, file: str, record: int, default_source: str, max_chars: int) -> Article | BadRecord:
    rid = _clean(obj.get("id")) or str(record)
    text = obj.get("text")
    if not isinstance(text, str):
        if text is None or (isinstance(text, float) and text != text):
            return BadRecord(file, record, "no 'text' field; every article needs its text", rid)
        return BadRecord(file, record, f"'text' is {type(text).__name__}, not a string", rid)
    if len(text) > max_chars:
        return BadRecord(file, record, f"article has {len(text):,} characters, over the limit of {max_chars:,}; split it or raise --max-chars", rid)
    if "\x00" in rid:
        return BadRecord(file, record, "id contains a NUL byte", rid.replace("\x00", ""))
    return Article(
        id=rid,
        source=_clean(obj.get("source")) or default_source,
        text=text,
        title=_clean(obj.get("title")),
        published=_clean(obj.get("published")),
        url=_clean(obj.get("url")),
        story=_clean(obj.get("story")),
        file=file,
        record=record,
    )


def _iter_jsonl(text: str, file: str, source: str, max_chars: int) -> Iterator[Article | BadRecord]:
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as exc:
            yield BadRecord(file, n, f"invalid JSON ({exc.msg} at column {exc.colno}); fix or remove the line")
            continue
        if not isinstance(obj, dict):
            yield BadRecord(file, n, f"a JSON {type(obj).__name__}, not an object with a 'text' field")
            continue
        yield _make_article(obj, file, n, source, max_chars)


def _iter_csv(text: str, file: str, source: str, max_chars: int, delimiter: str) -> Iterator[Article | BadRecord]:
    csv.field_size_limit(sys.maxsize)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        raise InputError(f"{file}: header row cannot be parsed ({exc}); fix the CSV") from None
    header = [h.strip().lstrip("\ufeff") for h in header]
    if "text" not in header:
        raise InputError(f"{file}: no 'text' column (columns: {', '.join(header) or 'none'}); add a 'text' column")
    n = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            yield BadRecord(file, reader.line_num, f"malformed CSV ({exc}); check the quotes")
            continue
        n += 1
        if not row or all(not c.strip() for c in row):
            continue
        if len(row) != len(header):
            yield BadRecord(file, reader.line_num, f"{len(row)} fields where the header has {len(header)}; check quotes and delimiters")
            continue
        obj = dict(zip(header, row))
        if not obj.get("id"):
            obj["id"] = str(n - 1)
        yield _make_article(obj, file, reader.line_num, source, max_chars)


def _iter_parquet(path: Path, source: str, max_chars: int) -> Iterator[Article | BadRecord]:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for corrupt files
        raise InputError(f"{path}: not a readable Parquet file ({type(exc).__name__}); check the file") from None
    names = pf.schema_arrow.names
    if "text" not in names:
        raise InputError(f"{path}: no 'text' column (columns: {', '.join(names)}); add a 'text' column")
    cols = [c for c in ("id", "source", "title", "published", "url", "story", "text") if c in names]
    n = 0
    for batch in pf.iter_batches(batch_size=2048, columns=cols):
        for obj in batch.to_pylist():
            n += 1
            if obj.get("id") is None:
                obj["id"] = str(n)
            yield _make_article(obj, str(path), n, source, max_chars)


def _iter_txt_folder(folder: Path, source: str | None, max_chars: int) -> Iterator[Article | BadRecord]:
    src = source or folder.name
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".txt" and p.is_file())
    if not files:
        raise InputError(f"{folder}: no .txt files in the folder; pass a folder of .txt articles or a data file")
    for p in files:
        try:
            text = decode_bytes(_read_bytes(p), str(p))
        except InputError as exc:
            yield BadRecord(str(p), 0, str(exc).split(": ", 1)[-1], p.stem)
            continue
        yield _make_article({"id": p.stem, "text": text}, str(p), 0, src, max_chars)


def expand_inputs(inputs: Iterable[str]) -> list[str]:
    """Expand globs; keep '-' (stdin) and plain paths (missing ones are reported when read)."""
    out: list[str] = []
    for item in inputs:
        if item == "-" or not any(ch in item for ch in "*?["):
            out.append(item)
            continue
        matches = sorted(glob.glob(item, recursive=True))
        if not matches:
            raise InputError(f"{item}: the pattern matches no files; check the path")
        out.extend(matches)
    return out


def iter_input(path: str, source: str | None = None, max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[Article | BadRecord]:
    """Yield the articles (and bad records) of one input: a file, a folder of .txt files, or '-'."""
    default_source = source or "unknown"
    if path == "-":
        data = sys.stdin.buffer.read()
        text = decode_bytes(data, "<stdin>")
        if text.lstrip().startswith("{"):
            yield from _iter_jsonl(text, "<stdin>", default_source, max_chars)
        elif text.strip():
            yield _make_article({"id": "stdin", "text": text}, "<stdin>", 0, default_source, max_chars)
        return
    p = Path(path)
    if p.is_dir():
        yield from _iter_txt_folder(p, source, max_chars)
        return
    if not p.exists():
        raise InputError(f"{p}: no such file or folder; check the path")
    kind = _SUFFIXES.get(p.suffix.lower())
    if kind is None:
        raise InputError(f"{p}: unknown file type {p.suffix or '(none)'}; use .jsonl, .csv, .tsv, .parquet, .txt or a folder of .txt files")
    if kind == "parquet":
        yield from _iter_parquet(p, default_source, max_chars)
        return
    data = _read_bytes(p)
    if not data.strip():
        return
    text = decode_bytes(data, str(p))
    if kind == "jsonl":
        yield from _iter_jsonl(text, str(p), default_source, max_chars)
    elif kind in ("csv", "tsv"):
        yield from _iter_csv(text, str(p), default_source, max_chars, "," if kind == "csv" else "\t")
    else:
        yield _make_article({"id": p.stem, "text": text}, str(p), 0, source or p.parent.name or "unknown", max_chars)


def iter_articles(inputs: Iterable[str], source: str | None = None, max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[Article | BadRecord]:
    """Yield articles and bad records from every input, in order."""
    for item in expand_inputs(inputs):
        yield from iter_input(item, source=source, max_chars=max_chars)


def read_articles(inputs: Iterable[str] | str, source: str | None = None, max_chars: int = DEFAULT_MAX_CHARS) -> tuple[pd.DataFrame, list[BadRecord]]:
    """Read every input into one DataFrame (columns as :data:`ARTICLE_COLUMNS` plus ``story``, ``file``, ``record``).

    Returns the articles and the list of bad records.
    """
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [str(inputs)]
    good: list[dict] = []
    bad: list[BadRecord] = []
    for rec in iter_articles(inputs, source=source, max_chars=max_chars):
        if isinstance(rec, BadRecord):
            bad.append(rec)
        else:
            good.append(rec.__dict__)
    cols = ["id", "source", "title", "published", "url", "story", "text", "file", "record"]
    return pd.DataFrame(good, columns=cols), bad
