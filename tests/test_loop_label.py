"""Terminal labelling (`framing label`, labelui.py), driven through a pseudo-terminal with scripted keys."""

from __future__ import annotations

import io
import json
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import time
from datetime import datetime

import pandas as pd
import pytest

from framing.codebook import load_codebook
from framing.labels import ALL_COLUMNS, read_label_file
from framing.labelui import LabelSession, clean, journal_path, lock_path

from .conftest import CODEBOOK

CB = load_codebook(CODEBOOK)
NAMES = CB.names
TEXTS = [
    "The ministry said in a statement that the exercise had ended.",
    "Talks might resume next week, diplomats said.",
    "The regime's thugs stormed the square.",
    "The bridge reopened on Monday.",
    "Critics called the budget a disaster waiting to happen.",
]


@pytest.fixture()
def todo(tmp_path):
    """A suggestion file: five unreviewed rows with the model's suggestions."""
    df = pd.DataFrame({
        "text": TEXTS,
        "labels": [NAMES[0], NAMES[2], NAMES[1], "", NAMES[3]],
        "article_id": ["a1", "a1", "a2", "a3", "a3"],
        "origin": "suggest:v0003",
        "note": [f"uncertain {NAMES[k % len(NAMES)]} p=0.5" for k in range(5)],
        "suggested": "1",
        "p": "0.5",
    }).reindex(columns=ALL_COLUMNS + ["p"], fill_value="")
    df["suggested"] = "1"
    path = tmp_path / "to-label.csv"
    df.to_csv(path, index=False)
    return path


class Terminal:
    """`framing label` running on the slave side of a pty; we type on the master side."""

    def __init__(self, *args, cwd, env=None):
        self.master, slave = pty.openpty()
        import fcntl
        import termios

        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        e = dict(os.environ, USER="tester", **(env or {}))
        e.pop("COLUMNS", None)
        def controlling_terminal():  # as in a real terminal: own session, the pty as its controlling tty (for ^C)
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)
            # and default signal dispositions, as a login shell gives them: a test run started in the
            # background (`nohup ... &`) inherits SIGINT ignored, and Python then installs no ^C handler
            signal.signal(signal.SIGINT, signal.SIG_DFL)

        self.proc = subprocess.Popen([sys.executable, "-m", "framing", "label", *map(str, args)], cwd=cwd, env=e,
                                     stdin=slave, stdout=slave, stderr=slave, preexec_fn=controlling_terminal, close_fds=True)
        os.close(slave)
        self.buf = ""

    def read_until(self, pattern: str, timeout: float = 30.0) -> str:
        """Read output until ``pattern`` (a regex) appears in what was read since the last call."""
        rx = re.compile(pattern)
        end = time.monotonic() + timeout
        while not rx.search(self.buf):
            left = end - time.monotonic()
            if left <= 0:
                raise AssertionError(f"timed out waiting for {pattern!r}; got:\n{self.buf[-3000:]}")
            r, _, _ = select.select([self.master], [], [], min(left, 0.5))
            if r:
                try:
                    data = os.read(self.master, 65536)
                except OSError:  # the child closed the terminal
                    data = b""
                if not data and self.proc.poll() is not None:
                    raise AssertionError(f"process ended while waiting for {pattern!r}; got:\n{self.buf[-3000:]}")
                self.buf += data.decode("utf-8", "replace")
        out, self.buf = self.buf, ""
        return out

    def press(self, key: str, expect: str = r"\? help") -> str:
        os.write(self.master, key.encode())
        return self.read_until(expect)

    def finish(self, timeout: float = 30.0) -> tuple[int, str]:
        end = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < end:
            r, _, _ = select.select([self.master], [], [], 0.2)
            if r:
                try:
                    self.buf += os.read(self.master, 65536).decode("utf-8", "replace")
                except OSError:
                    break
        code = self.proc.wait(timeout=max(1, end - time.monotonic()))
        try:
            while select.select([self.master], [], [], 0.1)[0]:
                data = os.read(self.master, 65536)
                if not data:
                    break
                self.buf += data.decode("utf-8", "replace")
        except OSError:
            pass
        import termios

        self.lflag_after = termios.tcgetattr(self.master)[3]   # the terminal mode the program left behind
        os.close(self.master)
        return code, self.buf

    def kill(self) -> None:
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        os.close(self.master)


def _start(todo, *extra, cwd=None):
    t = Terminal(todo, "--codebook", CODEBOOK, "--labels", todo.parent / "no-labels", *extra, cwd=cwd or todo.parent)
    first = t.read_until(r"\? help")
    return t, first


def _rows(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _is_utc_iso(s: str) -> bool:
    return datetime.fromisoformat(s).utcoffset().total_seconds() == 0


def test_keys_toggle_accept_skip_undo_quit_and_resume(todo):
    t, screen = _start(todo)
    assert "0/5 reviewed" in screen and TEXTS[0] in screen
    assert f"model suggests: {NAMES[0]}" in screen
    for k, lab in enumerate(CB.labels, 1):  # every codebook label with its number key and definition
        assert re.search(rf"\[[x ]\]\s+{k} {lab.name}", screen)
        assert lab.definition[:30] in screen
    assert re.search(rf"\[x\]\s+1 {NAMES[0]}", screen)   # the suggestion is pre-selected
    assert re.search(rf"\[x\]\s+2 {NAMES[1]}", t.press("2"))
    screen = t.press("\r")                                 # Enter: row 1 = suggestion + label 2
    assert "1/5 reviewed" in screen and TEXTS[1] in screen
    screen = t.press("s")                                  # skip row 2
    assert TEXTS[2] in screen
    screen = t.press("u")                                  # undo the skip: row 2 is back
    assert TEXTS[1] in screen and "undone" in screen
    t.press("3")                                           # toggles the suggested label off
    screen = t.press("a")                                  # accept row 2 with no label
    assert "2/5 reviewed" in screen and TEXTS[2] in screen
    screen = t.press("?", expect="press any key")          # help lists the keys and full definitions
    assert "undo the last answer" in screen and CB.labels[0].definition[-40:].split()[-1] in screen
    t.press("x")
    screen = t.press("q", expect=r"run `framing label .*` again to continue")
    code, tail = t.finish()
    assert code == 0, tail
    rows = _rows(todo)
    assert rows.loc[0, "labels"] == f"{NAMES[0]};{NAMES[1]}"
    assert rows.loc[1, "labels"] == ""
    assert rows.loc[:1, "labeller"].tolist() == ["tester", "tester"]     # $USER
    assert all(_is_utc_iso(s) for s in rows.loc[:1, "labelled_at"])
    assert rows["suggested"].tolist() == ["", "", "1", "1", "1"]
    assert rows.loc[2:, "labels"].tolist() == [NAMES[1], "", NAMES[3]]  # untouched
    assert rows["p"].tolist() == ["0.5"] * 5                             # extra columns kept
    assert not journal_path(todo).exists() and not lock_path(todo).exists()

    # resume: starts at the first unreviewed row; finish the file
    t, screen = _start(todo, "--labeller", "ana")
    assert "2/5 reviewed" in screen and TEXTS[2] in screen and "(labeller: ana)" in screen
    t.press("\r")
    t.press("4")
    t.press("\r")
    screen = t.press("\r", expect="any other key: finish")
    assert "5/5 reviewed" in screen
    t.press("q", expect="5/5 rows reviewed")
    code, _ = t.finish()
    assert code == 0
    rows = _rows(todo)
    assert rows["suggested"].tolist() == [""] * 5
    assert rows["labeller"].tolist() == ["tester", "tester", "ana", "ana", "ana"]
    assert rows.loc[3, "labels"] == NAMES[3] and rows.loc[4, "labels"] == NAMES[3]
    assert read_label_file(todo, CB)["labels"].map(len).tolist() == [2, 0, 1, 1, 1]


def test_undo_takes_back_an_accepted_answer(todo):
    t, _ = _start(todo)
    t.press("\r")
    screen = t.press("u")
    assert "0/5 reviewed" in screen and TEXTS[0] in screen and "answer removed" in screen
    t.press("1")      # the undone answer's labels are shown again: turn label 1 off
    t.press("3")
    t.press("\r")
    t.press("q", expect="1/5 rows reviewed")
    assert t.finish()[0] == 0
    rows = _rows(todo)
    assert rows.loc[0, "labels"] == NAMES[2] and rows.loc[0, "suggested"] == ""
    assert rows.loc[1:, "labelled_at"].tolist() == [""] * 4


def test_nothing_is_lost_when_the_terminal_closes_mid_session(todo):
    t, _ = _start(todo)
    t.press("2")
    t.press("\r")
    t.press("\r")
    t.kill()                                  # no chance to clean up: answers are only in the journal
    journal = journal_path(todo)
    assert journal.exists() and lock_path(todo).exists()
    assert len([json.loads(line) for line in journal.read_text().splitlines()]) == 2
    assert _rows(todo)["suggested"].tolist() == ["1"] * 5
    # a torn last line (the write in progress when the session died) is ignored
    with open(journal, "a") as fh:
        fh.write('{"row": 2, "key": "abc", "val')
    t, screen = _start(todo)                   # the stale lock is taken over, the journal folded in
    assert "recovered 2 answer(s)" in screen and "2/5 reviewed" in screen and TEXTS[2] in screen
    t.press("q", expect="2/5 rows reviewed")
    assert t.finish()[0] == 0
    rows = _rows(todo)
    assert rows.loc[0, "labels"] == f"{NAMES[0]};{NAMES[1]}" and rows.loc[1, "labels"] == NAMES[2]
    assert rows["suggested"].tolist() == ["", "", "1", "1", "1"]
    assert not journal.exists()


def test_ctrl_c_saves_and_restores_the_terminal(todo):
    t, _ = _start(todo)
    t.press("\r")
    os.write(t.master, b"\x03")
    code, tail = t.finish()
    assert code == 130 and "Error: interrupted" in tail
    import termios

    assert t.lflag_after & termios.ICANON and t.lflag_after & termios.ECHO   # cooked mode again
    assert _rows(todo)["suggested"].tolist() == ["", "1", "1", "1", "1"]
    assert not journal_path(todo).exists() and not lock_path(todo).exists()


def test_a_second_session_on_the_same_file_is_refused(todo, run_cli):
    t, _ = _start(todo)
    try:
        code, _, err = run_cli("label", todo, "--codebook", CODEBOOK, "--labels", todo.parent / "none")
        assert code == 1 and "another labelling session" in err and err.count("\n") == 1
    finally:
        t.press("q", expect="rows reviewed")
        t.finish()


def test_scripted_stdin_one_key_per_line(todo, run_cli, monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "stdin", io.StringIO("2\n\ns\n4\na\nzz\nq\n"))
    code, out, err = run_cli("label", todo, "--codebook", CODEBOOK, "--labels", tmp_path / "none", "--labeller", "bo")
    assert code == 0, err
    assert out == ""                          # the screens and messages go to stderr
    assert "unknown key 'zz'" in err and "2 answer(s) saved" in err and "2/5 rows reviewed" in err
    rows = _rows(todo)
    assert rows.loc[0, "labels"] == f"{NAMES[0]};{NAMES[1]}"
    assert rows.loc[2, "labels"] == f"{NAMES[1]};{NAMES[3]}"   # row 2 skipped, row 3 answered
    assert rows["labeller"].tolist() == ["bo", "", "bo", "", ""]


def test_into_adds_the_reviewed_rows_to_a_label_file(todo, run_cli, monkeypatch, tmp_path):
    labels = tmp_path / "labels"
    labels.mkdir()
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n\nq\n"))
    into = labels / "editor.csv"
    code, _, err = run_cli("label", todo, "--codebook", CODEBOOK, "--labels", labels, "--into", into, "--labeller", "bo")
    assert code == 0, err
    assert "added 2 row(s)" in err
    got = read_label_file(into, CB)
    assert got["text"].tolist() == TEXTS[:2]
    assert (got["origin"] == "editor:bo").all() and got["note"].str.startswith("from suggest:v0003").all()
    # a later session adds only what is new
    monkeypatch.setattr(sys, "stdin", io.StringIO("\nq\n"))
    code, _, err = run_cli("label", todo, "--codebook", CODEBOOK, "--labels", labels, "--into", into, "--labeller", "bo")
    assert code == 0 and "added 1 row(s)" in err and "skipped 2 duplicate(s)" in err


def test_unknown_labels_in_the_file_are_refused(todo, run_cli, tmp_path):
    df = _rows(todo)
    df.loc[3, "labels"] = "spin"
    df.to_csv(todo, index=False)
    code, _, err = run_cli("label", todo, "--codebook", CODEBOOK, "--labels", tmp_path / "none")
    assert code == 1
    assert err.startswith(f"Error: {todo}:5: unknown label 'spin'; valid labels: {', '.join(NAMES)}")
    assert not lock_path(todo).exists()


def test_context_from_the_scored_folder_and_already_labelled_note(todo, tmp_path):
    scored = tmp_path / "scored"
    scored.mkdir()
    pd.DataFrame({
        "article_id": ["a1"] * 4, "sentence_id": [0, 1, 2, 3],
        "text": ["Photo: Reuters", "Troops moved north overnight.", TEXTS[0], "The exercise involved 40 ships."],
        "boilerplate": [True, False, False, False],
    }).to_parquet(scored / "sentences.parquet")
    labels = tmp_path / "labels"
    labels.mkdir()
    pd.DataFrame({"text": [TEXTS[0].upper()], "labels": [NAMES[0]], "article_id": ["z"], "origin": ["written"]}
                 ).to_csv(labels / "w.csv", index=False)
    with LabelSession(todo, CB, labeller="x", scored=scored, store=[labels]) as s:
        assert s.context(0) == (["Troops moved north overnight."], ["The exercise involved 40 ships."])
        screen = s.render(120)
        assert screen.index("Troops moved north") < screen.index(TEXTS[0]) < screen.index("40 ships")
        assert f"already labelled at {labels / 'w.csv'}:2: {NAMES[0]}" in screen
        assert s.context(3) == ([], [])      # article not in the scored folder


def test_control_characters_never_reach_the_terminal():
    assert clean("a\x1b[2Jb\x07c\u2028d") == "a [2Jb c d"
