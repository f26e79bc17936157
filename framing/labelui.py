"""Label sentences in the terminal: one key per decision, every answer saved at once.

:class:`LabelSession` holds the state and knows nothing about terminals (a notebook or a test can
drive it: ``toggle``, ``accept``, ``skip``, ``undo``). :func:`run_terminal` draws it and reads keys:
single key presses (``termios`` cbreak mode) when stdin is a terminal, one command per line when it is
not, so a session can be scripted (``printf '1\\na\\nq\\n' | framing label file.csv``).

Saving: each answer is appended to a journal beside the file (``FILE.journal.jsonl``, flushed and
fsynced) before the screen moves on; when the session ends, or at the start of the next one after a
crash or a closed terminal, the journal is folded into the file with an atomic rewrite
(temporary file + rename) and then removed. Journal entries hold absolute values, so folding twice
gives the same file. A lock file (``FILE.lock``) keeps two sessions off the same file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import socket
import sys
import textwrap
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .codebook import Codebook
from .errors import InputError, LabelError, OutputError
from .labels import ALL_COLUMNS, normalise_text, parse_labels
from .labelstore import (
    DEFAULT_LABELS_DIR,
    default_labeller,
    labels_str,
    now_utc,
    read_raw,
    read_store,
    validate_labels,
    where,
    write_csv_atomic,
)

JOURNAL_SUFFIX = ".journal.jsonl"
LOCK_SUFFIX = ".lock"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_TRUE = {"1", "true", "yes"}
KEYS_HELP = [
    ("1..9", "toggle label 1..9 (with more than 9 labels: # then the number and Enter)"),
    ("Enter / a", "accept the labels shown ([x]) and go to the next sentence"),
    ("s", "skip this sentence for now (it comes back next session)"),
    ("u", "undo the last answer of this session"),
    ("q", "save and quit (run the same command again to resume)"),
    ("?", "this help, with the full codebook definitions"),
]


def journal_path(path: str | Path) -> Path:
    p = Path(path)
    return p.with_name(p.name + JOURNAL_SUFFIX)


def lock_path(path: str | Path) -> Path:
    p = Path(path)
    return p.with_name(p.name + LOCK_SUFFIX)


def _row_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def clean(text: str) -> str:
    """Text safe to print on a terminal: control characters (escape sequences) become spaces."""
    return _CONTROL.sub(" ", str(text))


@dataclass
class Answer:
    row: int
    pos: int
    kind: str  # "accept" or "skip"
    before: dict = field(default_factory=dict)
    chosen: list[str] = field(default_factory=list)


class LabelSession:
    """A labelling session over one label-format CSV.

    Parameters
    ----------
    path : path
        The CSV (columns ``text`` and ``labels`` at least; the other label-file columns are added).
    codebook : Codebook
        The labels offered; the file's labels are checked against it.
    labeller : str, optional
        Recorded in ``labeller`` for each answer (default ``$USER``).
    scored : path, optional
        A ``framing score`` folder, for the neighbouring sentences of each row's article.
    store : paths
        Label files or folders to look the sentence up in ("already labelled as ...").

    Use as a context manager (takes the lock, folds a leftover journal, and on exit folds this
    session's journal into the file).
    """

    def __init__(self, path: str | Path, codebook: Codebook, labeller: str | None = None,
                 scored: str | Path | None = None, store: Sequence[str | Path] = (DEFAULT_LABELS_DIR,)):
        self.path = Path(path)
        if not self.path.is_file():
            raise InputError(f"{self.path}: no such file; pass a label CSV, e.g. the output of `framing suggest`")
        self.codebook = codebook
        self.names = codebook.names
        self.labeller = labeller or default_labeller()
        self.scored = Path(scored) if scored else None
        self.store_paths = list(store)
        self.df: pd.DataFrame | None = None
        self.queue: list[int] = []
        self.pos = 0
        self.selection: set[str] = set()
        self.history: list[Answer] = []
        self.answered = 0
        self._journal = None
        self._locked = False
        self._context: dict[str, pd.DataFrame] = {}
        self._known: dict[str, list[tuple[str, str]]] = {}
        self.recovered = 0

    # ---------------------------------------------------------------------------- open / close
    def __enter__(self) -> LabelSession:
        self.open()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def open(self) -> None:
        self._lock()
        try:
            self.df = self._read()
            self.recovered = self._fold()
            self.queue = [i for i in range(len(self.df)) if not self.is_reviewed(i)]
            self.pos = 0
            self._load_selection()
            self._journal = open(journal_path(self.path), "a", encoding="utf-8")
            self._load_context()
        except BaseException:
            self._unlock()
            raise

    def close(self) -> None:
        try:
            if self._journal is not None:
                self._journal.close()
                self._journal = None
            if self.df is not None:
                self._fold()
        finally:
            self._unlock()

    def _lock(self) -> None:
        lp = lock_path(self.path)
        me = f"{os.getpid()}@{socket.gethostname()}"
        for _ in range(2):
            try:
                fd = os.open(lp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                try:
                    owner = lp.read_text(encoding="utf-8").strip()
                except OSError:
                    owner = ""
                pid, _, host = owner.partition("@")
                alive = False
                if host == socket.gethostname() and pid.isdigit():
                    try:
                        os.kill(int(pid), 0)
                        alive = True
                    except ProcessLookupError:
                        alive = False
                    except PermissionError:
                        alive = True
                elif owner:
                    alive = True  # another machine: cannot tell, be safe
                if alive:
                    raise OutputError(f"{self.path}: another labelling session ({owner}) has it open; finish that one first, "
                                      f"or delete {lp} if it is not running") from None
                lp.unlink(missing_ok=True)  # stale: its process is gone (closed terminal, crash)
                continue
            except OSError as exc:
                raise OutputError(f"{self.path.parent}: cannot write here ({exc.strerror}); labelling saves into the file's folder") from None
            with os.fdopen(fd, "w") as fh:
                fh.write(me)
            self._locked = True
            return

    def _unlock(self) -> None:
        if self._locked:
            lock_path(self.path).unlink(missing_ok=True)
            self._locked = False

    def _read(self) -> pd.DataFrame:
        df = read_raw(self.path)
        missing = [c for c in ("text", "labels") if c not in df.columns]
        if missing:
            raise LabelError(f"{self.path}: missing column(s) {', '.join(missing)}; a label file needs text and labels "
                             "(the output of `framing suggest` has them)")
        for c in ALL_COLUMNS:
            if c not in df.columns:
                df[c] = ""
        check = pd.DataFrame({"labels": df["labels"].map(parse_labels), "_file": str(self.path),
                              "_line": range(2, len(df) + 2)})
        validate_labels(check, self.codebook)
        return df

    # ---------------------------------------------------------------------------- journal
    def _fold(self) -> int:
        """Apply the journal to the file (atomic rewrite), then remove it; the number of entries applied."""
        jp = journal_path(self.path)
        if not jp.exists():
            return 0
        lines = jp.read_text(encoding="utf-8").splitlines()
        entries = []
        for k, line in enumerate(lines):
            if not line.strip():
                continue
            try:
                entries.append(json.loads(line))
            except ValueError:
                if k == len(lines) - 1:
                    continue  # torn last line: the answer being written when the session died
                raise LabelError(f"{jp}:{k + 1}: damaged journal line; fix or remove that line, then run again") from None
        for e in entries:
            i = self._locate(e)
            for c, v in e["values"].items():
                self.df.at[i, c] = v
        if entries:
            write_csv_atomic(self.df, self.path)
        jp.unlink()
        return len(entries)

    def _locate(self, e: dict) -> int:
        i = e.get("row")
        if isinstance(i, int) and 0 <= i < len(self.df) and _row_key(str(self.df.at[i, "text"])) == e.get("key"):
            return i
        hits = [k for k, t in enumerate(self.df["text"].astype(str)) if _row_key(t) == e.get("key")]
        if not hits:
            raise LabelError(f"{journal_path(self.path)}: an answer is for a sentence no longer in {self.path} "
                             "(was the file edited during labelling?); restore the file or remove the journal")
        return hits[0]

    def _write(self, i: int, values: dict) -> None:
        entry = {"row": i, "key": _row_key(str(self.df.at[i, "text"])), "values": values, "time": now_utc()}
        self._journal.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self._journal.flush()
        os.fsync(self._journal.fileno())
        for c, v in values.items():
            self.df.at[i, c] = v

    # ---------------------------------------------------------------------------- state
    def is_reviewed(self, i: int) -> bool:
        r = self.df.loc[i]
        return bool(str(r["labelled_at"]).strip()) and str(r["suggested"]).strip().lower() not in _TRUE

    @property
    def total(self) -> int:
        return len(self.df)

    @property
    def reviewed(self) -> int:
        df = self.df
        done = (df["labelled_at"].astype(str).str.strip() != "") & ~df["suggested"].astype(str).str.strip().str.lower().isin(_TRUE)
        return int(done.sum())

    @property
    def done(self) -> bool:
        return self.pos >= len(self.queue)

    @property
    def row(self) -> int | None:
        return None if self.done else self.queue[self.pos]

    def _load_selection(self) -> None:
        self.selection = set() if self.done else set(parse_labels(self.df.at[self.row, "labels"]))

    def toggle(self, k: int) -> str:
        """Toggle label number ``k`` (1-based) on the current sentence."""
        if self.done:
            return "nothing to label"
        if not 1 <= k <= len(self.names):
            return f"no label {k}: use 1..{len(self.names)}"
        name = self.names[k - 1]
        self.selection ^= {name}
        return ""

    def accept(self) -> str:
        """Save the current selection for the current sentence and move on."""
        if self.done:
            return "nothing to label"
        i = self.row
        before = {c: str(self.df.at[i, c]) for c in ("labels", "labeller", "labelled_at", "suggested")}
        chosen = [n for n in self.names if n in self.selection]
        self._write(i, {"labels": labels_str(chosen, self.names), "labeller": self.labeller, "labelled_at": now_utc(),
                        "suggested": ""})
        self.history.append(Answer(i, self.pos, "accept", before, chosen))
        self.answered += 1
        self.pos += 1
        self._load_selection()
        return ""

    def skip(self) -> str:
        if self.done:
            return "nothing to skip"
        self.history.append(Answer(self.row, self.pos, "skip"))
        self.pos += 1
        self._load_selection()
        return ""

    def undo(self) -> str:
        """Take back the last answer of this session and show that sentence again."""
        if not self.history:
            return "nothing to undo in this session"
        a = self.history.pop()
        if a.kind == "accept":
            self._write(a.row, a.before)
            self.answered -= 1
        self.pos = a.pos
        self.selection = set(a.chosen) if a.kind == "accept" else set(parse_labels(self.df.at[a.row, "labels"]))
        return f"undone: row {a.row + 2} is back ({'answer removed' if a.kind == 'accept' else 'was skipped'})"

    # ---------------------------------------------------------------------------- context
    def _load_context(self) -> None:
        if self.store_paths:
            store = read_store(self.store_paths)
            me = self.path.resolve()
            for key, f, ln, ls in zip(store["_key"], store["_file"], store["_line"], store["labels"]):
                if Path(f).resolve() != me:
                    self._known.setdefault(key, []).append((where(f, ln), labels_str(ls, self.names) or "(none)"))
        if self.scored is None:
            return
        from .io import find_table, read_table

        table = find_table(self.scored, "sentences")
        if table is None:
            raise InputError(f"{self.scored}: no sentences table; pass --scored a folder written by `framing score`")
        ids = sorted({a for a in self.df["article_id"].astype(str) if a})
        if not ids:
            return
        cols = ["article_id", "sentence_id", "text", "boilerplate"]
        if table.suffix == ".parquet":
            sents = pd.read_parquet(table, columns=cols, filters=[("article_id", "in", ids)])
        else:
            sents = read_table(table)[cols]
            sents = sents[sents["article_id"].astype(str).isin(ids)]
        sents = sents.assign(article_id=sents["article_id"].astype(str))
        for aid, g in sents.groupby("article_id", sort=False):
            self._context[aid] = g.sort_values("sentence_id").reset_index(drop=True)

    def context(self, i: int, n: int = 1) -> tuple[list[str], list[str]]:
        """Up to ``n`` content sentences before and after row ``i`` in its article (needs ``scored``)."""
        g = self._context.get(str(self.df.at[i, "article_id"]))
        if g is None:
            return [], []
        text = str(self.df.at[i, "text"])
        sid = str(self.df.at[i, "sentence_id"]) if "sentence_id" in self.df.columns else ""
        hit = g.index[g["sentence_id"].astype(str) == sid] if sid.isdigit() else []
        if len(hit) == 0 or str(g.at[hit[0], "text"]) != text:
            hit = g.index[g["text"].astype(str) == text]
            if len(hit) == 0:
                key = normalise_text(text)
                hit = g.index[g["text"].astype(str).map(normalise_text) == key]
        if len(hit) == 0:
            return [], []
        k = int(hit[0])
        content = ~g["boilerplate"].astype(str).str.lower().isin(["true", "1"])
        before = [str(t) for t in g.loc[:k - 1][content.loc[:k - 1]]["text"].tolist()[-n:]] if k > 0 else []
        after = [str(t) for t in g.loc[k + 1:][content.loc[k + 1:]]["text"].tolist()[:n]]
        return before, after

    # ---------------------------------------------------------------------------- drawing
    def render(self, width: int = 100, message: str = "") -> str:
        """The screen for the current sentence (plain text)."""
        width = max(40, min(width, 160))
        rule = "-" * width
        out = [f"framing label  {self.path.name}  {self.reviewed}/{self.total} reviewed  (labeller: {clean(self.labeller)})", rule]
        if self.done:
            out += ["All sentences in this file are reviewed (or skipped this session).", "",
                    "u undo the last answer · any other key: finish"]
            return "\n".join(out) + ("\n" + message if message else "") + "\n"
        i = self.row
        r = self.df.loc[i]
        meta = [f"row {i + 2}"]
        if str(r["article_id"]).strip():
            meta.append(f"article {clean(r['article_id'])}")
        if "source" in self.df.columns and str(r["source"]).strip():
            meta.append(f"source {clean(r['source'])}")
        out.append(textwrap.shorten("  ·  ".join(meta), width=width, placeholder=" …"))
        if str(r["note"]).strip():
            out.append(textwrap.shorten(f"note: {clean(r['note'])}", width=width, placeholder=" …"))
        out.append("")
        before, after = self.context(i)
        for t in before:
            out.append(textwrap.indent(textwrap.fill(clean(t), width - 4), "    "))
        out.append(textwrap.fill(clean(r["text"]), width - 4, initial_indent=">>  ", subsequent_indent="    "))
        for t in after:
            out.append(textwrap.indent(textwrap.fill(clean(t), width - 4), "    "))
        out.append("")
        current = labels_str(parse_labels(r["labels"]), self.names) or "(none)"
        if str(r["suggested"]).strip().lower() in _TRUE:
            out.append(f"model suggests: {current}")
        else:
            out.append(f"labels in the file: {current}")
        for place, labs in self._known.get(normalise_text(str(r["text"])), [])[:3]:
            out.append(f"already labelled at {place}: {labs}")
        out.append("")
        nw = max(len(n) for n in self.names)
        for k, lab in enumerate(self.codebook.labels, 1):
            mark = "[x]" if lab.name in self.selection else "[ ]"
            head = f" {mark} {k:>2} {lab.name:<{nw}}  "
            out.append(head + textwrap.shorten(clean(lab.definition), width=max(20, width - len(head)), placeholder=" …"))
        out.append("")
        n = len(self.names)
        keys = f"1-{n} toggle" if n <= 9 else "1-9 / #N toggle"
        out.append(f"{keys} · Enter/a accept · s skip · u undo · q quit · ? help")
        if message:
            out.append(message)
        return "\n".join(out) + "\n"

    def help_text(self, width: int = 100) -> str:
        width = max(40, min(width, 160))
        out = ["Keys:"] + [f"  {k:<10} {v}" for k, v in KEYS_HELP] + ["", "Labels (from the codebook):"]
        for k, lab in enumerate(self.codebook.labels, 1):
            out.append(f"  {k}  {lab.name} — {clean(lab.display)}")
            out.append(textwrap.indent(textwrap.fill(clean(lab.definition), width - 6), "      "))
        return "\n".join(out) + "\n"


# -------------------------------------------------------------------------------------- terminal

def _raw_keys(fd: int) -> Iterator[str]:
    """Single key presses from a terminal in cbreak mode; escape sequences (arrows...) are dropped."""
    import select

    while True:
        try:
            b = os.read(fd, 1)
        except InterruptedError:
            continue
        if not b or b == b"\x04":
            yield "q"
            return
        if b == b"\x1b":
            while select.select([fd], [], [], 0.03)[0]:
                if not os.read(fd, 16):
                    break
            continue
        if b == b"#":
            digits = ""
            while True:
                c = os.read(fd, 1)
                if c in (b"\r", b"\n", b"") or not c.isdigit():
                    break
                digits += c.decode()
            yield f"#{digits}"
            continue
        yield {b"\r": "enter", b"\n": "enter"}.get(b, b.decode("latin-1"))


def _line_keys(stream) -> Iterator[str]:
    """One command per line (scripted use): a number toggles that label, an empty line accepts."""
    for line in stream:
        cmd = line.strip()
        yield "enter" if cmd == "" else (f"#{cmd}" if cmd.isdigit() and len(cmd) > 1 else cmd)
    yield "q"


@dataclass
class SessionSummary:
    path: Path
    answered: int
    reviewed: int
    total: int
    recovered: int
    quit: bool


def run_terminal(session: LabelSession, stdin=None, out=None, on_key: Callable[[str], None] | None = None) -> SessionSummary:
    """Run an opened session on a terminal (or a scripted stdin); returns what was done."""
    stdin = stdin or sys.stdin
    out = out or sys.stderr
    try:
        fd = stdin.fileno()
        is_tty = os.isatty(fd)
    except (AttributeError, OSError, ValueError):
        fd, is_tty = -1, False
    screen = is_tty and hasattr(out, "isatty") and out.isatty()
    old = None
    if is_tty:
        import termios
        import tty

        old = termios.tcgetattr(fd)
        tty.setcbreak(fd)
        keys = _raw_keys(fd)
    else:
        keys = _line_keys(stdin)
    quit_ = False
    message = f"recovered {session.recovered} answer(s) from an interrupted session" if session.recovered else ""
    try:
        while True:
            width = shutil.get_terminal_size((100, 24)).columns
            page = session.render(width, message)
            out.write(("\x1b[H\x1b[2J" if screen else "\n") + page)
            out.flush()
            message = ""
            key = next(keys, "q")
            if on_key:
                on_key(key)
            if session.done:
                if key == "u":
                    message = session.undo()
                    continue
                break
            if key in ("enter", "a"):
                message = session.accept()
            elif key == "s":
                message = session.skip()
            elif key == "u":
                message = session.undo()
            elif key == "q":
                quit_ = True
                break
            elif key == "?":
                out.write(("\x1b[H\x1b[2J" if screen else "\n") + session.help_text(width))
                if is_tty:
                    out.write("\npress any key to go back\n")
                    out.flush()
                    next(keys, "q")
                out.flush()
            elif key.isdigit() and len(key) == 1 and key != "0":
                message = session.toggle(int(key))
            elif key.startswith("#") and key[1:].isdigit():
                message = session.toggle(int(key[1:]))
            else:
                message = f"unknown key {clean(key)!r}; press ? for help"
    finally:
        if old is not None:
            import termios

            termios.tcsetattr(fd, termios.TCSADRAIN, old)
    return SessionSummary(session.path, session.answered, session.reviewed, session.total, session.recovered, quit_)


def label_file(path: str | Path, codebook: Codebook, labeller: str | None = None, scored: str | Path | None = None,
               store: Sequence[str | Path] = (DEFAULT_LABELS_DIR,), stdin=None, out=None) -> SessionSummary:
    """Open ``path``, run the terminal session, and save (the library form of ``framing label``)."""
    with LabelSession(path, codebook, labeller=labeller, scored=scored, store=store) as s:
        summary = run_terminal(s, stdin=stdin, out=out)
    summary.reviewed = s.reviewed
    return summary


def reviewed_rows(path: str | Path) -> pd.DataFrame:
    """The reviewed rows of a label CSV (``labelled_at`` set, not ``suggested``), with ``_file``/``_line``."""
    df = read_raw(path)
    for c in ALL_COLUMNS:
        if c not in df.columns:
            df[c] = ""
    df["_file"] = str(path)
    df["_line"] = range(2, len(df) + 2)
    ok = (df["labelled_at"].astype(str).str.strip() != "") & ~df["suggested"].astype(str).str.strip().str.lower().isin(_TRUE)
    out = df[ok].reset_index(drop=True)
    out["labels"] = out["labels"].map(parse_labels)
    return out
