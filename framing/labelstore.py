"""Merge new labels into the label store (``data/labels/``) safely.

New rows (from ``framing labels import`` or ``framing label --into``) are validated against the
codebook, compared with every row already in the store by :func:`framing.labels.normalise_text`, and:

* a row whose text is already in the store with the **same** labels is skipped (a duplicate);
* a row whose text is already in the store with **different** labels is a *conflict*: it is not added,
  the existing row is not touched, and both sides (texts, labels, files, lines, labellers, times) are
  appended to a conflicts file for a person to resolve;
* every other row is appended to the ``into`` file, atomically (temporary file + rename), so a crash
  mid-write loses no earlier label.

The conflicts file lives in a ``conflicts/`` folder beside ``into`` (``data/labels/conflicts/
editor.conflicts.csv``): outside the folder's own ``*.csv`` files, so training never reads it.
"""

from __future__ import annotations

import csv
import getpass
import io
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from .codebook import Codebook
from .corpus import decode_bytes
from .errors import InputError, LabelError, OutputError
from .io import atomic_path
from .labels import (
    ALL_COLUMNS,
    label_files,
    normalise_text,
    parse_labels,
    read_label_file,
)

DEFAULT_LABELS_DIR = Path("data") / "labels"
DEFAULT_INTO = DEFAULT_LABELS_DIR / "editor.csv"
CONFLICT_COLUMNS = [
    "text", "labels_new", "where_new", "labeller_new", "labelled_at_new",
    "text_existing", "labels_existing", "where_existing", "labeller_existing", "labelled_at_existing", "found_at",
]


# ------------------------------------------------------------------------------------------ small helpers

def now_utc() -> str:
    """The current time as UTC ISO 8601 to the second (``2024-03-01T10:00:00+00:00``)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def iso_utc(value: str | None) -> str:
    """Normalise an ISO time (``...Z``, fractional seconds, any offset) to UTC seconds; '' if unparsable."""
    if not value:
        return ""
    try:
        t = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        return ""
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)
    return t.astimezone(UTC).isoformat(timespec="seconds")


def default_labeller() -> str:
    """``$USER`` (or the login name), for the ``labeller`` column."""
    name = os.environ.get("USER") or os.environ.get("USERNAME")
    if not name:
        try:
            name = getpass.getuser()
        except (OSError, KeyError):
            name = "unknown"
    return name


def where(file: str, line) -> str:
    """``file:12`` for a line number, ``file task 7`` for a Label Studio task."""
    return f"{file}:{line}" if isinstance(line, int) or str(line).isdigit() else f"{file} {line}"


def labels_str(labels: Iterable[str], names: Sequence[str] | None = None) -> str:
    """Labels as the label-file cell: ``;``-joined, in codebook order when ``names`` is given."""
    labs = list(dict.fromkeys(labels))
    if names is not None:
        order = {n: i for i, n in enumerate(names)}
        labs.sort(key=lambda x: order.get(x, len(order)))
    return ";".join(labs)


def read_raw(path: str | Path) -> pd.DataFrame:
    """A CSV as all-string columns, in file order, no NaN (keeps extra columns, unlike ``read_label_file``)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; check the path") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None
    text = decode_bytes(raw, str(path))
    if not text.strip():
        return pd.DataFrame(columns=ALL_COLUMNS)
    try:
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False)
    except (pd.errors.ParserError, csv.Error) as exc:
        raise LabelError(f"{path}: not a valid CSV ({str(exc).splitlines()[0]}); check quotes and delimiters") from None
    df.columns = [str(c).strip() for c in df.columns]
    return df


def write_csv_atomic(df: pd.DataFrame, path: str | Path) -> None:
    """Write ``df`` (string cells) as CSV via a temporary file and a rename."""
    with atomic_path(path) as tmp:
        df.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n")


# ------------------------------------------------------------------------------------------ validation

def validate_labels(df: pd.DataFrame, codebook: Codebook) -> None:
    """Refuse rows with labels the codebook does not define.

    ``df`` has a ``labels`` column of lists and ``_file``/``_line`` (a line number or ``"task N"``).
    Raises :class:`LabelError` naming the first bad row, the label, and the valid labels.
    """
    valid = set(codebook.names)
    bad = [(f, ln, lab) for labs, f, ln in zip(df["labels"], df["_file"], df["_line"]) for lab in labs if lab not in valid]
    if bad:
        f, ln, lab = bad[0]
        more = f" ({len(bad) - 1} more unknown label(s) in this input)" if len(bad) > 1 else ""
        raise LabelError(f"{where(f, ln)}: unknown label {lab!r}; valid labels: {', '.join(codebook.names)}{more}; "
                         "fix the label or add it to the codebook")


# ------------------------------------------------------------------------------------------ the store

def read_store(paths: Iterable[str | Path]) -> pd.DataFrame:
    """Every row of the label files in ``paths`` (folders expand to ``*.csv``; missing paths are skipped).

    Returns ``text``, ``labels`` (lists), ``labeller``, ``labelled_at``, ``_file``, ``_line``, ``_key``.
    """
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir() and any(p.glob("*.csv")):
            files += label_files([p])
        elif p.is_file():
            files.append(p)
    seen: set[Path] = set()
    frames = []
    for f in files:
        if f.resolve() in seen:
            continue
        seen.add(f.resolve())
        frames.append(read_label_file(f, strict=False))
    cols = ["text", "labels", "labeller", "labelled_at", "_file", "_line"]
    if not frames:
        out = pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    else:
        out = pd.concat(frames, ignore_index=True)[cols]
    out["_key"] = out["text"].astype(str).map(normalise_text)
    return out


def as_editor_rows(df: pd.DataFrame, labeller: str | None = None, names: Sequence[str] | None = None) -> pd.DataFrame:
    """New rows in the project's label format, marked as editor labels.

    ``origin`` becomes ``editor:<labeller>`` (an earlier origin, e.g. ``suggest:v0003``, is kept at the
    start of ``note``); ``labeller`` is ``labeller`` if given, else the row's own, else ``$USER``;
    ``labelled_at`` is the row's own time or now; ``suggested`` is cleared.
    """
    out = df.copy()
    for c in ALL_COLUMNS:
        if c not in out.columns:
            out[c] = ""
    who = [labeller or str(w).strip() or default_labeller() for w in out["labeller"]]
    out["labeller"] = who
    old = out["origin"].astype(str).str.strip()
    new_origin = [f"editor:{w}" for w in who]
    note = out["note"].astype(str)
    out["note"] = [n if (not o or o == no) else (f"from {o}; {n}" if n else f"from {o}") for o, no, n in zip(old, new_origin, note)]
    out["origin"] = new_origin
    now = now_utc()
    out["labelled_at"] = [iso_utc(t) or now for t in out["labelled_at"].astype(str)]
    out["suggested"] = ""
    out["labels"] = [labels_str(ls, names) if isinstance(ls, (list, tuple)) else labels_str(parse_labels(ls), names)
                     for ls in out["labels"]]
    return out


@dataclass
class MergeResult:
    """What a merge did. ``conflicts`` holds one row per conflict (see ``CONFLICT_COLUMNS``)."""

    into: Path
    added: int = 0
    duplicates: int = 0
    conflicts: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CONFLICT_COLUMNS))
    conflicts_path: Path | None = None
    skipped: dict = field(default_factory=dict)
    dry_run: bool = False

    @property
    def n_conflicts(self) -> int:
        return len(self.conflicts)

    def summary(self) -> str:
        verb = "would add" if self.dry_run else "added"
        parts = [f"{verb} {self.added} row(s) to {self.into}", f"skipped {self.duplicates} duplicate(s) already labelled the same way"]
        parts += [f"skipped {n} {why}" for why, n in self.skipped.items() if n]
        if self.n_conflicts:
            tail = f"written to {self.conflicts_path}" if self.conflicts_path and not self.dry_run else "not written (dry run)"
            parts.append(f"{self.n_conflicts} conflict(s) with existing labels, not added, {tail}; "
                         "decide which is right and fix that row")
        else:
            parts.append("0 conflicts")
        return "\n".join(parts)


def default_conflicts_path(into: str | Path) -> Path:
    into = Path(into)
    return into.parent / "conflicts" / f"{into.stem}.conflicts.csv"


def merge_labels(
    new: pd.DataFrame,
    into: str | Path = DEFAULT_INTO,
    codebook: Codebook | None = None,
    store: Sequence[str | Path] = (DEFAULT_LABELS_DIR,),
    conflicts_path: str | Path | None = None,
    dry_run: bool = False,
) -> MergeResult:
    """Validate ``new`` rows, skip duplicates, report conflicts, and append the rest to ``into``.

    Parameters
    ----------
    new : DataFrame
        Rows in the project's label format; ``labels`` as lists or ``;``-strings; ``_file``/``_line``
        (where each row came from, for messages) are optional.
    into : path
        The label file to append to (created with the standard header if missing).
    codebook : Codebook, optional
        Unknown labels raise :class:`LabelError` listing the valid ones.
    store : paths
        Label files or folders to compare with (``into`` is always included).
    conflicts_path : path, optional
        Where to append conflicts (default ``<into folder>/conflicts/<into stem>.conflicts.csv``).
    dry_run : bool
        Compute the result without writing anything.

    Returns
    -------
    MergeResult
    """
    into = Path(into)
    new = new.copy().reset_index(drop=True)
    if "_file" not in new.columns:
        new["_file"] = "<input>"
    if "_line" not in new.columns:
        new["_line"] = list(range(2, len(new) + 2))
    new["labels"] = [list(ls) if isinstance(ls, (list, tuple)) else parse_labels(ls) for ls in new["labels"]]
    if codebook is not None:
        validate_labels(new, codebook)
    names = codebook.names if codebook is not None else None
    result = MergeResult(into=into, dry_run=dry_run)
    empty = new["text"].astype(str).str.strip() == ""
    result.skipped["row(s) with empty text"] = int(empty.sum())
    new = new[~empty].reset_index(drop=True)

    existing = read_store([*store, into])
    index: dict[str, list[tuple[frozenset, str, str, str, str]]] = {}
    for key, t, ls, f, ln, who, at in zip(existing["_key"], existing["text"], existing["labels"], existing["_file"],
                                         existing["_line"], existing["labeller"], existing["labelled_at"]):
        index.setdefault(key, []).append((frozenset(ls), t, where(f, ln), who, at))

    keep, conflicts = [], []
    found_at = now_utc()
    for i, (t, ls, f, ln) in enumerate(zip(new["text"].astype(str), new["labels"], new["_file"], new["_line"])):
        key = normalise_text(t)
        labs = frozenset(ls)
        entries = index.get(key, [])
        if any(e[0] == labs for e in entries):
            result.duplicates += 1
            continue
        if entries:
            e = entries[0]
            conflicts.append({
                "text": t, "labels_new": labels_str(labs, names), "where_new": where(f, ln),
                "labeller_new": str(new.at[i, "labeller"]) if "labeller" in new.columns else "",
                "labelled_at_new": str(new.at[i, "labelled_at"]) if "labelled_at" in new.columns else "",
                "text_existing": e[1], "labels_existing": labels_str(e[0], names), "where_existing": e[2],
                "labeller_existing": e[3], "labelled_at_existing": e[4], "found_at": found_at,
            })
            continue
        # later rows of this same input are checked against this one too
        index[key] = [(labs, t, f"{where(f, ln)} (this import)", str(new.at[i, "labeller"]) if "labeller" in new.columns else "",
                       str(new.at[i, "labelled_at"]) if "labelled_at" in new.columns else "")]
        keep.append(i)

    result.added = len(keep)
    result.conflicts = pd.DataFrame(conflicts, columns=CONFLICT_COLUMNS)
    if conflicts:
        result.conflicts_path = Path(conflicts_path) if conflicts_path else default_conflicts_path(into)
    if dry_run:
        return result
    if keep:
        rows = new.loc[keep].copy()
        rows["labels"] = [labels_str(ls, names) for ls in rows["labels"]]
        append_rows(into, rows)
    if conflicts:
        append_conflicts(result.conflicts_path, result.conflicts)
    return result


# ------------------------------------------------------------------------------------------ writing

def _header(path: Path) -> list[str] | None:
    if not path.exists() or path.stat().st_size == 0:
        return None
    with open(path, "r", encoding="utf-8-sig", newline="") as fh:
        try:
            return [c.strip() for c in next(csv.reader(fh))]
        except (StopIteration, UnicodeDecodeError, csv.Error):
            return None


def append_rows(path: str | Path, rows: pd.DataFrame) -> Path:
    """Append label rows to a CSV atomically: the new file is written beside it and renamed over it.

    When the file's header already has every column the rows need, its bytes are copied unchanged and
    the rows appended (clean diffs); otherwise the file is rewritten with the extra columns added.
    Columns starting with ``_`` are dropped.
    """
    path = Path(path)
    rows = rows[[c for c in rows.columns if not str(c).startswith("_")]].copy()
    for c in ALL_COLUMNS:
        if c not in rows.columns:
            rows[c] = ""
    rows = rows.fillna("").astype(str)
    header = _header(path)
    if path.exists() and path.stat().st_size > 0 and header is None:
        raise OutputError(f"{path}: exists but is not a readable UTF-8 CSV; fix it or choose another --into file")
    wanted = [c for c in ALL_COLUMNS if c in rows.columns] + [c for c in rows.columns if c not in ALL_COLUMNS]
    if header is None:
        with atomic_path(path) as tmp:
            rows[wanted].to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n")
        return path
    if all(c in header for c in ALL_COLUMNS):
        raw = path.read_bytes()
        buf = io.StringIO()
        rows.reindex(columns=header, fill_value="").to_csv(buf, index=False, header=False, lineterminator="\n")
        with atomic_path(path) as tmp, open(tmp, "wb") as fh:
            fh.write(raw)
            if raw and not raw.endswith(b"\n"):
                fh.write(b"\n")
            fh.write(buf.getvalue().encode("utf-8"))
        return path
    old = read_raw(path)
    cols = list(old.columns) + [c for c in wanted if c not in old.columns]
    both = pd.concat([old.reindex(columns=cols, fill_value=""), rows.reindex(columns=cols, fill_value="")], ignore_index=True)
    write_csv_atomic(both, path)
    return path


def append_conflicts(path: str | Path, conflicts: pd.DataFrame) -> Path:
    """Add conflicts to the conflicts file (atomically), skipping ones it already lists."""
    path = Path(path)
    old = read_raw(path) if path.exists() else pd.DataFrame(columns=CONFLICT_COLUMNS)
    both = pd.concat([old.reindex(columns=CONFLICT_COLUMNS, fill_value=""), conflicts.astype(str)], ignore_index=True)
    both = both.drop_duplicates(subset=["text", "labels_new", "where_new", "labels_existing", "where_existing"], keep="first")
    write_csv_atomic(both, path)
    return path
