"""Read articles from JSONL, CSV, Parquet, a folder of .txt files, or stdin.

Every reader yields records one at a time (memory stays independent of corpus size). A record that
cannot be read becomes a :class:`BadRecord` in the stream, so a batch never dies for one bad record;
a file that cannot be opened at all raises :class:`InputError` with a one-line message.
"""

from __future__ import annotations

import codecs
import csv
import glob
import io
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

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
    enc = detect_encoding(data[:HEAD_BYTES])
    if enc is None:
        raise InputError(f"{name}: not UTF-8 (invalid byte at offset {first_bad}) and the encoding could not be detected; re-save it as UTF-8")
    try:
        return data.decode(enc)
    except (UnicodeDecodeError, LookupError):
        raise InputError(f"{name}: not UTF-8 (invalid byte at offset {first_bad}); re-save it as UTF-8") from None


def detect_encoding(sample: bytes) -> str | None:
    """The likeliest single encoding of non-UTF-8 bytes, or None.

    Where charset_normalizer finds Windows-1252 (the web's legacy Western default, a superset of
    Latin-1) no noisier than its best guess, cp1252 wins: on short samples of English or
    Western European text the detector otherwise picks a look-alike code page (cp1250, cp775) that
    turns "Café" into "Cafķ".
    """
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is not None and best.encoding not in ("cp1252", "latin_1", "ascii", "utf_8"):
        western = from_bytes(sample, cp_isolation=["cp1252"]).best()
        if western is not None and western.chaos <= best.chaos:
            return "cp1252"
    if best is None or best.encoding in (None, "utf_8", "ascii"):
        return None
    return best.encoding


def _unreadable(path: Path, exc: OSError) -> InputError:
    """The one-line error for a file that cannot be opened or read."""
    if isinstance(exc, FileNotFoundError):
        return InputError(f"{path}: no such file; check the path")
    if isinstance(exc, IsADirectoryError):
        return InputError(f"{path}: is a folder; pass a file, or a folder of .txt files")
    if isinstance(exc, PermissionError):
        return InputError(f"{path}: permission denied; make it readable")
    return InputError(f"{path}: cannot be read ({exc.strerror}); check the file")


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise _unreadable(path, exc) from None


# --------------------------------------------------------------------------------------------- streaming

HEAD_BYTES = 1 << 20  # the encoding of a JSONL/CSV file is detected on its first MiB


class _Rejoined(io.RawIOBase):
    """A raw stream that serves ``head`` (bytes already read) and then the rest of ``rest``."""

    def __init__(self, head: bytes, rest):
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        if len(self._head):
            n = min(len(b), len(self._head))
            b[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read1(len(b)) if hasattr(self._rest, "read1") else self._rest.read(len(b))
        b[: len(data)] = data
        return len(data)


def _read_head(fh) -> bytes:
    """Up to HEAD_BYTES from the start of a binary stream without waiting for the whole of a pipe."""
    head = b""
    while len(head) < HEAD_BYTES:
        chunk = fh.read1(HEAD_BYTES - len(head)) if hasattr(fh, "read1") else fh.read(HEAD_BYTES - len(head))
        if not chunk:
            break
        head += chunk
        if head.strip() and b"\n" in head:  # enough to start on; a regular file fills the MiB in one read
            break
    return head


def _ascii_compatible(enc: str) -> bool:
    """True when the encoding writes ASCII (so '\\n') as itself: lines can be split as bytes."""
    try:
        return "\n{}\",".encode(enc) == b"\n{}\"," and codecs.lookup(enc).name not in ("utf-16", "utf-32")
    except LookupError:
        return False


class _LineDecoder:
    """Decode a byte stream line by line, choosing the encoding like :func:`decode_bytes` on the head.

    A head that is pure ASCII fixes nothing yet: the first line that is not UTF-8 then decides (every
    earlier line was ASCII, which decodes the same in every ASCII-compatible encoding). A line that
    cannot be decoded is reported for that line alone (the caller turns it into a BadRecord).
    """

    def __init__(self, head: bytes, name: str):
        self.name = name
        self.bom = b""
        self.tentative = False
        if head.startswith(b"\xef\xbb\xbf"):
            self.enc, self.bom = "utf-8", b"\xef\xbb\xbf"
        elif head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
            self.enc = "utf-32"
        elif head.startswith((b"\xff\xfe", b"\xfe\xff")):
            self.enc = "utf-16"
        else:
            try:
                codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
                self.enc = "utf-8"
                self.tentative = head.isascii()
            except UnicodeDecodeError as exc:
                if b"\x00" in head[:8192]:
                    raise InputError(f"{name}: looks like a binary file (NUL bytes), not text; pass a UTF-8 text, JSONL, CSV or Parquet file") from None
                self.enc = self._detect(head, exc.start)
        self.line_mode = _ascii_compatible(self.enc)

    def _detect(self, sample: bytes, first_bad: int) -> str:
        enc = detect_encoding(sample[:HEAD_BYTES])
        if enc is None:
            raise InputError(f"{self.name}: not UTF-8 (invalid byte at offset {first_bad}) and the encoding could not be detected; re-save it as UTF-8")
        return enc

    def decode(self, raw: bytes, lookahead: Callable[[], bytes] | None = None) -> tuple[str, str | None]:
        """The line as text, and a reason when it could not be decoded (the text then has U+FFFD).

        ``lookahead()`` gives bytes after the line, to detect an encoding on more than one line; it is
        called only then (it may wait for a pipe).
        """
        try:
            return raw.decode(self.enc), None
        except UnicodeDecodeError as exc:
            bad = exc.start
        if self.tentative:  # ASCII so far: this line decides the file's encoding
            self.tentative = False
            try:
                self.enc = self._detect(raw + (lookahead() if lookahead else b""), bad)
            except InputError:
                pass
            else:
                try:
                    return raw.decode(self.enc), None
                except UnicodeDecodeError as exc:
                    bad = exc.start
        return raw.decode(self.enc, errors="replace"), f"not valid {self.enc} (invalid byte at column {bad + 1}); re-save the file as UTF-8"

    def note_line(self, raw: bytes) -> None:
        if self.tentative and not raw.isascii():
            self.tentative = False  # a valid non-ASCII UTF-8 line: the file is UTF-8


_LONE_CR = re.compile(r"(?<=\r)(?!\n)")


def _stream_lines(fh, name: str, limit: int | None, csv_mode: bool) -> Iterator[tuple[int, str, str | None]]:
    """Yield ``(line number, line text, problem or None)`` from a binary stream, decoding incrementally.

    Memory is bounded by the longest line (and by ``limit`` bytes per line when given: a longer line is
    skipped in chunks and reported). Lines keep their line ending.
    """
    head = _read_head(fh)
    if not head:
        return
    dec = _LineDecoder(head, name)
    stream = io.BufferedReader(_Rejoined(head, fh), 1 << 16)
    if dec.bom:
        stream.read(len(dec.bom))
    if not dec.line_mode:  # UTF-16/32: a text wrapper does the decoding; it cannot recover from an error
        text = io.TextIOWrapper(stream, encoding=dec.enc, errors="strict", newline="" if csv_mode else "\n")
        n = 0
        try:
            for line in text:
                n += 1
                yield n, line.lstrip("\ufeff") if n == 1 else line, None
        except UnicodeDecodeError as exc:
            raise InputError(f"{name}: line {n + 1} is not valid {dec.enc} ({exc.reason}); re-save the file as UTF-8") from None
        return
    n = 0
    while True:
        raw = stream.readline(limit) if limit else stream.readline()
        if not raw:
            return
        n += 1
        if limit and len(raw) >= limit and not raw.endswith(b"\n"):
            while True:  # skip the rest of the line without holding it
                more = stream.readline(1 << 20)
                if not more or more.endswith(b"\n"):
                    break
            yield n, "", f"line is over {limit:,} bytes, more than an article within --max-chars can take; split it or raise --max-chars"
            continue
        dec.note_line(raw)
        line, problem = dec.decode(raw, lambda: stream.peek(1 << 16)[: 1 << 16])
        if csv_mode and "\r" in line:  # old Mac line ends, as csv's own newline handling expects
            for k, part in enumerate(_LONE_CR.split(line)):
                if part:
                    if k:
                        n += 1
                    yield n, part, problem
            continue
        yield n, line, problem


def _open_binary(path: Path):
    try:
        return open(path, "rb")
    except OSError as exc:
        raise _unreadable(path, exc) from None


def _line_limit(max_chars: int) -> int:
    """Bytes a JSONL line may take: JSON can spend 12 bytes on one character (a surrogate-pair escape)."""
    return 12 * max_chars + (1 << 20)


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


def _iter_jsonl(lines: Iterable[tuple[int, str, str | None]], file: str, source: str, max_chars: int) -> Iterator[Article | BadRecord]:
    for n, line, problem in lines:
        if problem:
            yield BadRecord(file, n, problem)
            continue
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as exc:
            yield BadRecord(file, n, f"invalid JSON ({exc.msg} at column {exc.colno}); fix or remove the line")
            continue
        except RecursionError:
            yield BadRecord(file, n, "invalid JSON (nested too deeply); fix or remove the line")
            continue
        if not isinstance(obj, dict):
            yield BadRecord(file, n, f"a JSON {type(obj).__name__}, not an object with a 'text' field")
            continue
        yield _make_article(obj, file, n, source, max_chars)


def _iter_csv(lines: Iterable[tuple[int, str, str | None]], file: str, source: str, max_chars: int, delimiter: str) -> Iterator[Article | BadRecord]:
    csv.field_size_limit(sys.maxsize)
    problems: dict[int, str] = {}

    def text_lines() -> Iterator[str]:
        for n, line, problem in lines:
            if problem:
                problems[n] = problem
            yield line

    # strict: a stray quote is an error for its row (a quoted field left open to the end of the file is
    # reported at the line where it starts) instead of silently merging the rows after it into one field
    reader = csv.reader(text_lines(), delimiter=delimiter, strict=True)
    header: list[str] = []
    try:
        while not any(h.strip() for h in header):  # skip blank lines before the header; a blank file has no rows
            header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        raise InputError(f"{file}: header row cannot be parsed ({exc}); fix the CSV") from None
    if problems:
        raise InputError(f"{file}: header row {problems[min(problems)]}")
    header = [h.strip().lstrip("\ufeff") for h in header]
    if "text" not in header:
        raise InputError(f"{file}: no 'text' column (columns: {', '.join(header) or 'none'}); add a 'text' column")
    n = 1
    last_line = reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            first_line, last_line = last_line + 1, reader.line_num
            for k in [k for k in problems if k <= last_line]:
                del problems[k]
            span = f"lines {first_line}-{last_line}" if last_line > first_line else f"line {first_line}"
            yield BadRecord(file, first_line, f"malformed CSV ({exc}; the row starting here spans {span}); check the quotes")
            continue
        first_line, last_line = last_line + 1, reader.line_num
        n += 1
        bad = [problems.pop(k) for k in sorted(problems) if first_line <= k <= last_line]
        if bad:
            yield BadRecord(file, first_line, bad[0])
            continue
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
        yield _read_txt(p, src, max_chars)


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


def estimate_records(inputs: Iterable[str]) -> int | None:
    """About how many records :func:`iter_articles` will yield for ``inputs``, counted without parsing,
    for a progress bar's percentage and time left: the lines of JSONL files, the lines of CSV and TSV
    files less their header (a quoted field holding line breaks makes that an overestimate), the row
    count in each Parquet file's metadata, one per .txt file. None when an input cannot be counted
    (stdin, a missing, unknown or unreadable file): the bar then shows counts and rate only."""
    total = 0
    try:
        for item in expand_inputs(inputs):
            p = Path(item)
            if item == "-":
                return None
            if p.is_dir():
                total += sum(1 for x in p.iterdir() if x.suffix.lower() == ".txt" and x.is_file())
                continue
            kind = _SUFFIXES.get(p.suffix.lower())
            if kind is None:
                return None
            if kind == "txt":
                total += 1
            elif kind == "parquet":
                import pyarrow.parquet as pq

                total += pq.ParquetFile(p).metadata.num_rows
            else:
                total += max(_count_lines(p) - (kind != "jsonl"), 0)
    except Exception:  # noqa: BLE001 - only an estimate: the reader reports the real problem
        return None
    return total


def _count_lines(path: Path) -> int:
    """Lines of a file (a last line without a line break counts), read in 1 MiB chunks."""
    n, last = 0, b"\n"
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            n += chunk.count(b"\n")
            last = chunk[-1:]
    return n + (last != b"\n")


def iter_input(path: str, source: str | None = None, max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[Article | BadRecord]:
    """Yield the articles (and bad records) of one input: a file, a folder of .txt files, or '-'."""
    default_source = source or "unknown"
    if path == "-":
        yield from _iter_stdin(default_source, max_chars)
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
    if kind == "txt":
        src = source or p.parent.name or "unknown"
        yield _read_txt(p, src, max_chars, strict=True)
        return
    with _open_binary(p) as fh:
        try:
            if kind == "jsonl":
                yield from _iter_jsonl(_stream_lines(fh, str(p), _line_limit(max_chars), csv_mode=False), str(p), default_source, max_chars)
            else:
                yield from _iter_csv(_stream_lines(fh, str(p), None, csv_mode=True), str(p), default_source, max_chars, "," if kind == "csv" else "\t")
        except OSError as exc:  # the file went away or the disk failed while reading
            raise InputError(f"{p}: cannot be read ({exc.strerror or exc}); check the file") from None


def _iter_stdin(default_source: str, max_chars: int) -> Iterator[Article | BadRecord]:
    """JSONL on stdin is streamed; anything else is one plain-text article."""
    fh = sys.stdin.buffer
    head = _read_head(fh)
    while head.isspace() and len(head) < HEAD_BYTES:  # a pipe may deliver blank lines first
        more = _read_head(fh)
        if not more:
            break
        head += more
    stream = io.BufferedReader(_Rejoined(head, fh), 1 << 16)
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        yield from _iter_jsonl(_stream_lines(stream, "<stdin>", _line_limit(max_chars), csv_mode=False), "<stdin>", default_source, max_chars)
        return
    data = stream.read()
    if not data.strip():
        return
    text = decode_bytes(data, "<stdin>")
    if text.lstrip().startswith("{"):  # JSONL in UTF-16 or another encoding
        yield from _iter_jsonl(((n, line, None) for n, line in enumerate(text.split("\n"), 1)), "<stdin>", default_source, max_chars)
    elif text.strip():
        yield _make_article({"id": "stdin", "text": text}, "<stdin>", 0, default_source, max_chars)


def _read_txt(p: Path, source: str, max_chars: int, strict: bool = False) -> Article | BadRecord:
    """One .txt file is one article; a file too big to hold max_chars characters is refused unread.

    A file that cannot be decoded is a BadRecord in a folder, an InputError when ``strict`` (a file
    given by name).
    """
    try:
        size = p.stat().st_size
    except OSError:
        size = 0
    if size > 4 * max_chars + 4:  # no encoding spends more than 4 bytes on a character
        return BadRecord(str(p), 0, f"file has {size:,} bytes, over the limit of {max_chars:,} characters; split it or raise --max-chars", p.stem)
    try:
        text = decode_bytes(_read_bytes(p), str(p))
    except InputError as exc:
        if strict:
            raise
        return BadRecord(str(p), 0, str(exc).split(": ", 1)[-1], p.stem)
    return _make_article({"id": p.stem, "text": text}, str(p), 0, source, max_chars)


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
