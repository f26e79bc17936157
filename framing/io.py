"""Atomic file writes and table output shared by every command that writes files."""

from __future__ import annotations

import errno
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from .errors import OutputError

TABLE_FORMATS = ("parquet", "csv", "jsonl")
_UMASK = os.umask(0)
os.umask(_UMASK)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def os_reason(exc: OSError, path: str | Path, verb: str = "write failed") -> str:
    """A one-line message for an OSError while writing ``path``: what happened and what to do."""
    code = getattr(exc, "errno", None)
    what = exc.strerror or str(exc) or type(exc).__name__
    if code in (errno.ENOSPC, errno.EDQUOT):
        return f"{path}: {verb}: the disk is full ({what}); free some space and rerun the same command"
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{path}: {verb}: not writable ({what}); choose a writable output folder or fix its permissions"
    return f"{path}: {verb} ({what}); check free space and permissions"


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it is fsynced and renamed over ``path``."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise OutputError(os_reason(exc, path.parent, "cannot write here")) from None
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        with open(tmp_path, "rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp_path, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs are meant to be shared
        os.replace(tmp_path, path)
    except OSError as exc:
        tmp_path.unlink(missing_ok=True)
        raise OutputError(os_reason(exc, path)) from None
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


@contextmanager
def folder_lock(folder: str | Path, what: str = "output folder") -> Iterator[Path]:
    """Hold ``folder/.lock`` while writing the folder; a second writer is refused with an OutputError.

    The lock is an advisory ``flock``: the kernel drops it when its process dies (even by kill -9),
    so a crashed run never blocks the next one. Where ``fcntl`` is missing, an exclusive-create lock
    file holding the pid is used instead (a stale one, whose process is gone, is taken over).
    """
    folder = Path(folder)
    lock = folder / ".lock"
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        fcntl = None
    if fcntl is None:  # pragma: no cover
        yield from _pid_lock(lock, folder, what)
        return
    while True:
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise OutputError(os_reason(exc, folder, "cannot lock the folder")) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            try:
                pid = os.read(fd, 32).decode("ascii", "replace").strip() or "?"
            finally:
                os.close(fd)
            raise OutputError(f"{folder}: another framing run (pid {pid}) is writing this {what}; wait for it to finish or choose another folder") from None
        try:  # the holder before us may have removed the file after we opened it: lock the current one
            same = os.fstat(fd).st_ino == os.stat(lock).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield lock
    finally:
        try:
            lock.unlink(missing_ok=True)  # while still holding it, so nobody locks a removed file
        finally:
            os.close(fd)


def _pid_lock(lock: Path, folder: Path, what: str):  # pragma: no cover - Windows only
    for _ in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            break
        except FileExistsError:
            try:
                pid = int(lock.read_text().strip() or 0)
                os.kill(pid, 0)
                alive = True
            except (OSError, ValueError):
                alive = False
            if alive:
                raise OutputError(f"{folder}: another framing run (pid {pid}) is writing this {what}; wait for it to finish or choose another folder") from None
            lock.unlink(missing_ok=True)
    else:
        raise OutputError(f"{folder}: another framing run is writing this {what}; wait for it to finish or choose another folder")
    os.write(fd, str(os.getpid()).encode())
    os.close(fd)
    try:
        yield lock
    finally:
        lock.unlink(missing_ok=True)


def write_text(path: str | Path, text: str) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_json(path: str | Path, obj) -> None:
    write_text(path, json.dumps(obj, indent=2, ensure_ascii=False, default=str) + "\n")


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with a single quote."""
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            out[c] = out[c].map(lambda v: "'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v)
    return out


def write_table(df: pd.DataFrame, path_without_suffix: str | Path, fmt: str = "parquet") -> Path:
    """Write ``df`` atomically as Parquet, CSV (formula-safe) or JSONL; return the path written."""
    if fmt not in TABLE_FORMATS:
        raise OutputError(f"unknown format {fmt!r}; use one of {', '.join(TABLE_FORMATS)}")
    path = Path(f"{path_without_suffix}.{fmt}")
    with atomic_path(path) as tmp:
        if fmt == "parquet":
            df.to_parquet(tmp, index=False)
        elif fmt == "csv":
            neutralise_formulas(df).to_csv(tmp, index=False)
        else:
            df.to_json(tmp, orient="records", lines=True, force_ascii=False)
    return path


def swap_in_folder(tmp: Path, target: Path) -> None:
    """Put the finished folder ``tmp`` at ``target``: renamed into place, an existing ``target`` moved
    aside first and removed after, so a reader sees the old folder or the new one, never a mix."""
    import shutil

    if target.exists():
        old = target.with_name(f".{target.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(target, old)
        os.replace(tmp, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(tmp, target)


def part_files(folder: str | Path) -> list[Path]:
    """The Parquet part files of a table written as a folder (``framing score --layout parts``), in order."""
    return sorted(Path(folder).glob("part-*.parquet"))


def read_table(path: str | Path, columns: list[str] | None = None) -> pd.DataFrame:
    """Read a table written by :func:`write_table`, or a folder of Parquet part files (read in part
    order); ``columns``: only these (Parquet only; others read whole)."""
    path = Path(path)
    if path.is_dir():
        import pyarrow as pa
        import pyarrow.parquet as pq

        files = part_files(path)
        if not files:
            raise OutputError(f"{path}: a table folder with no part-*.parquet files; rerun `framing score`")
        tables = [pq.read_table(f, columns=columns if pq.read_schema(f).names else None) for f in files]
        tables = [t for t in tables if t.num_columns] or tables[:1]
        schema = tables[0].schema
        return pa.concat_tables([t if t.schema.equals(schema) else t.cast(schema) for t in tables]).to_pandas()
    if path.suffix == ".parquet":
        return pd.read_parquet(path, columns=columns)
    if path.suffix == ".csv":
        return pd.read_csv(path, keep_default_na=False)
    if path.suffix == ".jsonl":
        return pd.read_json(path, lines=True)
    raise OutputError(f"{path}: unknown table format; expected .parquet, .csv or .jsonl")


def find_table(folder: str | Path, name: str) -> Path | None:
    """``folder/name.{parquet,csv,jsonl}``, whichever exists, or a ``name/`` folder of Parquet parts."""
    folder = Path(folder)
    for fmt in TABLE_FORMATS:
        p = folder / f"{name}.{fmt}"
        if p.exists():
            return p
    d = folder / name
    if d.is_dir() and part_files(d):
        return d
    return None
