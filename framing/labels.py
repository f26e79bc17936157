"""The labelled-sentence store: read, validate and check label files against the codebook.

A label file is a CSV with columns ``text``, ``labels`` (semicolon-separated label names, empty for
none), ``article_id``, ``origin`` (``seed:NNN``, ``written``, ``editor:NAME``...) and ``note``; optional
``topic``, ``outlet_type``, ``labeller``, ``labelled_at``. Alternatively (``label_columns=``) one 0/1
column per label, so any labelled CSV can be used.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .codebook import Codebook
from .corpus import decode_bytes
from .errors import InputError, LabelError

REQUIRED_COLUMNS = ["text", "labels", "article_id", "origin"]
OPTIONAL_COLUMNS = ["note", "topic", "outlet_type", "labeller", "labelled_at", "suggested"]
ALL_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


def label_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand folders into their ``*.csv`` files (sorted); keep files as given."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(p.glob("*.csv"))
            if not found:
                raise LabelError(f"{p}: no .csv label files in the folder")
            out.extend(found)
        elif p.is_file():
            out.append(p)
        else:
            raise LabelError(f"{p}: no such label file or folder; check the path")
    return out


def _read_csv(path: Path) -> pd.DataFrame:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LabelError(f"{path}: cannot be read ({exc.strerror})") from None
    text = decode_bytes(raw, str(path))
    try:
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False)
    except pd.errors.EmptyDataError:
        raise LabelError(f"{path}: the file is empty; add a header row: {','.join(REQUIRED_COLUMNS)},note") from None
    except (pd.errors.ParserError, csv.Error) as exc:
        raise LabelError(f"{path}: not a valid CSV ({str(exc).splitlines()[0]}); check quotes and delimiters") from None
    df.columns = [str(c).strip() for c in df.columns]
    # spreadsheet line numbers: header is line 1 (embedded newlines make this approximate, but the first row is exact)
    df["_file"] = str(path)
    df["_line"] = np.arange(2, len(df) + 2)
    return df


def parse_labels(value: str) -> list[str]:
    """``"a; b"`` -> ``["a", "b"]``; empty -> ``[]``."""
    return [v.strip() for v in str(value).split(";") if v.strip()]


def read_label_file(
    path: str | Path,
    codebook: Codebook | None = None,
    label_columns: Sequence[str] | None = None,
    text_column: str = "text",
    strict: bool = True,
) -> pd.DataFrame:
    """Read one label file into the canonical form.

    Returns a DataFrame with ``text``, ``labels`` (list of names), ``article_id``, ``origin``, optional
    columns, ``_file`` and ``_line``. With ``label_columns`` the labels come from 0/1 columns. With
    ``strict`` (the default), unknown labels or missing columns raise :class:`LabelError`.
    """
    path = Path(path)
    df = _read_csv(path)
    if text_column not in df.columns:
        raise LabelError(f"{path}: no {text_column!r} column (columns: {', '.join(c for c in df.columns if not c.startswith('_'))}); pass --text-column")
    if text_column != "text":
        df = df.rename(columns={text_column: "text"})
    if label_columns:
        missing = [c for c in label_columns if c not in df.columns]
        if missing:
            raise LabelError(f"{path}: label column(s) {', '.join(missing)} not found; check --label-columns")
        def _row_labels(row) -> list[str]:
            out = []
            for c in label_columns:
                v = str(row[c]).strip().lower()
                if v in ("1", "1.0", "true", "yes"):
                    out.append(c)
                elif v not in ("0", "0.0", "false", "no", ""):
                    raise LabelError(f"{path}:{row['_line']}: column {c!r} has {row[c]!r}; use 0 or 1")
            return out
        df["labels"] = [_row_labels(r) for _, r in df.iterrows()]
        if "article_id" not in df.columns:
            df["article_id"] = [f"{path.stem}:{i}" for i in range(len(df))]
        if "origin" not in df.columns:
            df["origin"] = f"file:{path.name}"
    else:
        missing = [c for c in REQUIRED_COLUMNS if c not in df.columns]
        if missing:
            raise LabelError(f"{path}: missing column(s) {', '.join(missing)}; a label file needs {', '.join(REQUIRED_COLUMNS)} (or pass --label-columns)")
        df["labels"] = df["labels"].map(parse_labels)
    for c in OPTIONAL_COLUMNS:
        if c not in df.columns:
            df[c] = ""
    if strict and codebook is not None:
        valid = set(codebook.names)
        for _, row in df.iterrows():
            bad = [lab for lab in row["labels"] if lab not in valid]
            if bad:
                raise LabelError(f"{path}:{row['_line']}: unknown label {bad[0]!r}; valid labels: {', '.join(codebook.names)}")
    keep = ["text", "labels"] + [c for c in REQUIRED_COLUMNS[2:] + OPTIONAL_COLUMNS] + ["_file", "_line"]
    return df[keep].reset_index(drop=True)


def read_labels(
    paths: Iterable[str | Path],
    codebook: Codebook | None = None,
    label_columns: Sequence[str] | None = None,
    text_column: str = "text",
    strict: bool = True,
) -> pd.DataFrame:
    """Read several label files (folders expand to their CSV files) into one DataFrame."""
    frames = [read_label_file(p, codebook, label_columns, text_column, strict) for p in label_files(paths)]
    if not frames:
        raise LabelError("no label files given")
    df = pd.concat(frames, ignore_index=True)
    if df.empty:
        raise LabelError("the label files hold no rows; label some sentences first")
    return df


def label_matrix(df: pd.DataFrame, names: Sequence[str]) -> np.ndarray:
    """The (n_rows, n_labels) 0/1 matrix for ``names``."""
    index = {n: j for j, n in enumerate(names)}
    y = np.zeros((len(df), len(names)), dtype=np.int8)
    for i, labs in enumerate(df["labels"]):
        for lab in labs:
            j = index.get(lab)
            if j is not None:
                y[i, j] = 1
    return y


def normalise_text(text: str) -> str:
    """Key for near-exact duplicates: NFKC, case-folded, quotes unified, punctuation and spaces dropped."""
    t = unicodedata.normalize("NFKC", text).casefold()
    t = t.translate(str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"}))
    return re.sub(r"[\W_]+", "", t)


def data_hash(df: pd.DataFrame) -> str:
    """A stable hash of the (text, labels) pairs, order-independent."""
    rows = sorted(f"{t}\t{';'.join(sorted(ls))}" for t, ls in zip(df["text"], df["labels"]))
    return hashlib.sha256("\n".join(rows).encode("utf-8")).hexdigest()[:16]


def check_labels(paths: Iterable[str | Path], codebook: Codebook) -> list[Problem]:
    """Validate label files against the codebook; return every problem found (empty list = clean).

    Checks: missing columns, unknown labels, empty or whitespace text, exact and near-exact duplicate
    texts (within and across files), and the same text with conflicting labels.
    """
    problems: list[Problem] = []
    frames = []
    for p in label_files(paths):
        try:
            raw = _read_csv(p)
        except (LabelError, InputError) as exc:
            problems.append(Problem(str(p), 1, str(exc).split(": ", 1)[-1]))
            continue
        missing = [c for c in REQUIRED_COLUMNS if c not in raw.columns]
        if missing:
            problems.append(Problem(str(p), 1, f"missing column(s): {', '.join(missing)}; a label file needs {', '.join(REQUIRED_COLUMNS)}"))
            continue
        frames.append(raw)
    valid = set(codebook.names)
    seen_exact: dict[str, tuple[str, int, frozenset]] = {}
    seen_near: dict[str, tuple[str, int, frozenset]] = {}
    for raw in frames:
        for text, labels, file, line in zip(raw["text"], raw["labels"], raw["_file"], raw["_line"]):
            labs = parse_labels(labels)
            for lab in labs:
                if lab not in valid:
                    problems.append(Problem(file, line, f"unknown label {lab!r}; valid labels: {', '.join(codebook.names)}"))
            if len(set(labs)) != len(labs):
                problems.append(Problem(file, line, "a label is listed twice"))
            if not text.strip():
                problems.append(Problem(file, line, "empty text; remove the row or fill in the sentence"))
                continue
            key = frozenset(labs)
            exact = text.strip()
            near = normalise_text(text)
            if exact in seen_exact:
                f0, l0, k0 = seen_exact[exact]
                kind = "conflicting labels for the same text" if k0 != key else "duplicate text"
                problems.append(Problem(file, line, f"{kind} (also at {f0}:{l0}); keep one row"))
            elif near in seen_near:
                f0, l0, k0 = seen_near[near]
                kind = "conflicting labels for a near-identical text" if k0 != key else "near-duplicate text"
                problems.append(Problem(file, line, f"{kind} (also at {f0}:{l0}); keep one row"))
            else:
                seen_exact[exact] = (file, line, key)
                seen_near[near] = (file, line, key)
    return problems
