"""Bad input, hostile files and faults: one test per row of docs/bad-input.md (which cites them).

Every failure must reach the user as one ``Error: ...`` line (exit 1), a usage error (exit 2) or a
record listed in ``errors.jsonl`` (exit 3); nothing may crash, run untrusted code, write outside the
output folder, or leave a corrupt file behind.
"""

from __future__ import annotations

import ast
import csv
import errno
import io
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import tracemalloc
from pathlib import Path

import joblib
import pandas as pd
import pytest

from framing.corpus import BadRecord, iter_articles, read_articles
from framing.errors import ModelError
from framing.registry import load_bundle, read_registry, sha256_file, trust_store_path
from framing.score import _batches, _read_part, score_corpus

from .conftest import CODEBOOK, ROOT, SEED_CORPUS, SEED_LABELS

DOC = ROOT / "docs" / "bad-input.md"
TEXT = "Café owners said prices rose — “sharply” in Zürich, the ministry said. Talks may resume."


def _jsonl(path: Path, records, encoding="utf-8") -> Path:
    path.write_bytes(("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n").encode(encoding))
    return path


def _one_error_line(code, err, expected=1) -> str:
    assert code == expected, err
    lines = [l for l in err.splitlines() if l.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "Traceback" not in err, err
    return lines[0]


def _errors(out: Path) -> list[dict]:
    return [json.loads(l) for l in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]


def _cli(*args, timeout=120):
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    return subprocess.run([sys.executable, "-m", "framing", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, env=env)


def _popen(*args):
    return subprocess.Popen([sys.executable, "-m", "framing", *map(str, args)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _kill(proc) -> None:
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


def _wait_for(cond, proc, timeout=60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.005)
    return False


# ================================================================================ input files

def test_empty_file(run_cli, tmp_path, small_model):
    for name in ("empty.jsonl", "empty.csv", "blank.csv"):
        p = tmp_path / name
        p.write_text("\n \n" if name.startswith("blank") else "", encoding="utf-8")
        assert list(iter_articles([str(p)])) == []
    line = _one_error_line(*run_cli("score", tmp_path / "empty.jsonl", "--out", tmp_path / "o", "--model", small_model, "--quiet")[::2])
    assert "empty.jsonl" in line and "holds no articles" in line


def test_binary_file(run_cli, tmp_path, small_model):
    p = tmp_path / "photo.jsonl"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40)
    line = _one_error_line(*run_cli("score", p, "--out", tmp_path / "o", "--model", small_model, "--quiet")[::2])
    assert "photo.jsonl" in line and "binary file" in line


@pytest.mark.parametrize("kind", ["jsonl", "csv"])
def test_cp1252_file(tmp_path, kind):
    _check_encoding(tmp_path, "cp1252", kind, TEXT)


@pytest.mark.parametrize("kind", ["jsonl", "csv"])
def test_latin1_file(tmp_path, kind):
    _check_encoding(tmp_path, "latin-1", kind, TEXT.replace("—", "-").replace("“", '"').replace("”", '"'))


@pytest.mark.parametrize("kind", ["jsonl", "csv"])
def test_utf16_with_bom_file(tmp_path, kind):
    _check_encoding(tmp_path, "utf-16", kind, TEXT)


def _check_encoding(tmp_path, encoding, kind, text):
    p = tmp_path / f"a.{kind}"
    if kind == "jsonl":
        _jsonl(p, [{"id": f"x{i}", "text": text} for i in range(3)], encoding)
    else:
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["id", "text"])
        w.writerows([f"x{i}", text] for i in range(3))
        p.write_bytes(buf.getvalue().encode(encoding))
    df, bad = read_articles(str(p))
    assert not bad and list(df["id"]) == ["x0", "x1", "x2"] and set(df["text"]) == {text}


def test_non_utf8_line_in_a_utf8_file(tmp_path):
    """The encoding is chosen on the first MiB; a later line that is not UTF-8 is reported alone."""
    p = tmp_path / "late.jsonl"
    lines = [json.dumps({"id": f"a{i}", "text": "plain words " * 10}).encode() for i in range(12_000)]  # > 1 MiB of UTF-8
    lines.insert(5, json.dumps({"id": "utf8", "text": TEXT}, ensure_ascii=False).encode("utf-8"))
    lines.append(json.dumps({"id": "late", "text": TEXT}, ensure_ascii=False).encode("cp1252"))
    lines.append(json.dumps({"id": "last", "text": "fine"}).encode())
    p.write_bytes(b"\n".join(lines) + b"\n")
    recs = list(iter_articles([str(p)]))
    bad = [r for r in recs if isinstance(r, BadRecord)]
    assert len(recs) == 12_003 and len(bad) == 1
    assert bad[0].record == 12_002 and "not valid utf-8" in bad[0].reason and "re-save" in bad[0].reason
    assert recs[5].text == TEXT and recs[-1].id == "last"


def test_invalid_jsonl_line(run_cli, tmp_path, small_model):
    p = _jsonl(tmp_path / "a.jsonl", [{"id": "ok1", "text": "One."}])
    with open(p, "a", encoding="utf-8") as fh:
        fh.write('{"id": "broken", "text": "no end\n[1, 2]\n' + json.dumps({"id": "ok2", "text": "Two."}) + "\n")
    code, _, err = run_cli("score", p, "--out", tmp_path / "o", "--model", small_model, "--quiet")
    assert code == 3 and "errors.jsonl" in err and "Traceback" not in err
    errs = _errors(tmp_path / "o")
    assert [(e["record"], e["file"]) for e in errs] == [(2, str(p)), (3, str(p))]
    assert "invalid JSON" in errs[0]["reason"] and "not an object" in errs[1]["reason"]
    assert list(pd.read_parquet(tmp_path / "o" / "articles.parquet")["article_id"]) == ["ok1", "ok2"]


def test_csv_missing_text_column(run_cli, tmp_path, small_model):
    p = tmp_path / "a.csv"
    p.write_text("id,body\n1,Some text.\n", encoding="utf-8")
    line = _one_error_line(*run_cli("score", p, "--out", tmp_path / "o", "--model", small_model, "--quiet")[::2])
    assert "a.csv" in line and "no 'text' column (columns: id, body)" in line


def test_csv_missing_and_extra_fields(tmp_path):
    p = tmp_path / "a.csv"
    p.write_text("id,source,text\n1,s,fine\n2,too few\n3,s,too,many\n4,s,fine too\n", encoding="utf-8")
    df, bad = read_articles(str(p))
    assert list(df["id"]) == ["1", "4"]
    assert [(b.record, b.reason) for b in bad] == [
        (3, "2 fields where the header has 3; check quotes and delimiters"),
        (4, "4 fields where the header has 3; check quotes and delimiters"),
    ]


def test_csv_stray_quotes(tmp_path):
    p = tmp_path / "a.csv"
    p.write_text('id,text\n1,He said "no" twice\n2,"closed" then more\n3,fine\n4,"never closed\n5,swallowed\n6,too\n', encoding="utf-8")
    df, bad = read_articles(str(p))
    assert df.set_index("id").loc["1", "text"] == 'He said "no" twice'  # quotes inside an unquoted field are text
    assert list(df["id"]) == ["1", "3"]
    assert [(b.record, b.reason) for b in bad] == [
        (3, "malformed CSV (',' expected after '\"'; the row starting here spans line 3); check the quotes"),
        # an unclosed quote would swallow every later row into one field: the row is reported where it starts
        (5, "malformed CSV (unexpected end of data; the row starting here spans lines 5-7); check the quotes"),
    ]


def test_csv_embedded_newlines(tmp_path):
    p = tmp_path / "a.csv"
    p.write_bytes(b'id,text\r\n1,"Line one.\r\nLine two.\nLine three."\r\n2,next\r\n3,"old\rmac"\r\n')
    df, bad = read_articles(str(p))
    assert not bad and list(df["text"]) == ["Line one.\r\nLine two.\nLine three.", "next", "old\rmac"]
    assert list(df["record"]) == [4, 5, 7]  # the line where each row ends (a lone CR ends a line, as in csv)


def test_50mb_article_on_one_line(tmp_path):
    p = tmp_path / "big.jsonl"
    size = 50 * 1024 * 1024
    with open(p, "w", encoding="utf-8") as fh:
        fh.write('{"id": "big", "text": "')
        fh.write("Word " * (size // 5))
        fh.write('"}\n{"id": "small", "text": "Small."}\n')
    # default limit (5,000,000 characters): reported with the fix, the next article still read
    recs = list(iter_articles([str(p)]))
    assert isinstance(recs[0], BadRecord) and recs[0].id == "big" and recs[1].id == "small"
    assert recs[0].reason == f"article has {size:,} characters, over the limit of 5,000,000; split it or raise --max-chars"
    # a raised limit reads it whole
    recs = list(iter_articles([str(p)], max_chars=60_000_000))
    assert len(recs[0].text) == size and recs[1].id == "small"
    # a line far beyond any article the limit allows is skipped unread, so memory stays small
    tracemalloc.start()
    try:
        recs = list(iter_articles([str(p)], max_chars=1_000_000))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 35 * 1024 * 1024, f"peak {peak:,} bytes"  # the 50 MB line is never held whole
    assert recs[0].record == 1 and "line is over 13,048,576 bytes" in recs[0].reason and "--max-chars" in recs[0].reason
    assert recs[1].id == "small" and recs[1].record == 2


def test_million_tiny_articles(tmp_path):
    p = tmp_path / "tiny.jsonl"
    n = 1_000_000
    with open(p, "w", encoding="utf-8") as fh:
        fh.writelines("".join(f'{{"id":"{i}","source":"s{i % 7}","text":"Hi {i}."}}\n' for i in range(start, start + 100_000)) for start in range(0, n, 100_000))
    count = batches = 0
    last = None
    for arts, bad in _batches(iter_articles([str(p)]), 5_000):
        assert not bad and len(arts) <= 5_000
        count += len(arts)
        batches += 1
        last = arts[-1]
    # full batches, then the last 5,000 held back by the look-ahead in 8 batches of 625
    assert count == n and batches == (n - 5_000) // 5_000 + 8 and last.id == str(n - 1) and last.record == n


def test_readers_stream_and_memory_stays_bounded(tmp_path):
    # the first article comes out while the writer has not finished the file (a named pipe)
    fifo = tmp_path / "feed.jsonl"
    os.mkfifo(fifo)
    first_seen = threading.Event()
    waited: list[bool] = []

    def writer():
        with open(fifo, "w", encoding="utf-8") as fh:
            fh.write(json.dumps({"id": "first", "text": "First."}) + "\n")
            fh.flush()
            waited.append(first_seen.wait(20))
            fh.write(json.dumps({"id": "second", "text": "Second."}) + "\n")

    t = threading.Thread(target=writer)
    t.start()
    it = iter_articles([str(fifo)])
    assert next(it).id == "first"
    first_seen.set()
    assert [r.id for r in it] == ["second"]
    t.join(30)
    assert waited == [True], "the reader waited for the whole file before yielding"

    # peak memory while reading a 25+ MB JSONL or CSV stays far below the file's size
    for kind in ("jsonl", "csv"):
        p = tmp_path / f"large.{kind}"
        body = "Some words in a sentence, repeated for size. " * 6
        with open(p, "w", encoding="utf-8", newline="") as fh:
            if kind == "csv":
                fh.write("id,text\n")
            for start in range(0, 100_000, 10_000):
                rows = range(start, start + 10_000)
                if kind == "jsonl":
                    fh.write("".join(json.dumps({"id": f"a{i}", "text": body}) + "\n" for i in rows))
                else:
                    fh.write("".join(f'a{i},"{body}"\n' for i in rows))
        assert p.stat().st_size > 25_000_000
        tracemalloc.start()
        try:
            n = sum(1 for _ in iter_articles([str(p)]))
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert n == 100_000 and peak < 8 * 1024 * 1024, f"{kind}: peak {peak:,} bytes"


def test_duplicate_article_ids(tmp_path, small_model):
    p = _jsonl(tmp_path / "a.jsonl", [{"id": "a", "text": "First."}, {"id": "b", "text": "Other."}, {"id": "a", "text": "Second."}])
    summary = score_corpus([str(p)], tmp_path / "o", model=small_model, workers=1, quiet=True)
    arts = pd.read_parquet(tmp_path / "o" / "articles.parquet")
    assert list(arts["article_id"]) == ["a", "b", "a~2"] and summary.errors == 1
    (err,) = _errors(tmp_path / "o")
    assert err["id"] == "a" and err["record"] == 3 and err["reason"] == "duplicate article id 'a'; scored as 'a~2'"


# ================================================================================ label files

def _label_file(tmp_path, rows) -> Path:
    p = tmp_path / "labels.csv"
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["text", "labels", "article_id", "origin", "note"])
    w.writerows(rows)
    p.write_text(buf.getvalue(), encoding="utf-8")
    return p


def test_label_file_with_unknown_labels(run_cli, tmp_path):
    p = _label_file(tmp_path, [["Talks may resume.", "hedging;spin", "a", "written", ""]])
    code, out, err = run_cli("labels", "check", p, "--codebook", CODEBOOK)
    assert code == 1 and out.strip() == f"{p}:2: unknown label 'spin'; valid labels: state_media, loaded_language, hedging, editorializing"
    line = _one_error_line(*run_cli("train", p, "--codebook", CODEBOOK, "--out", tmp_path / "m", "--no-eval")[::2])
    assert f"{p}:2: unknown label 'spin'" in line and not (tmp_path / "m").exists()


def test_label_file_with_empty_text(run_cli, tmp_path):
    p = _label_file(tmp_path, [["Talks may resume.", "hedging", "a", "written", ""], ["  ", "hedging", "a", "written", ""]])
    code, out, _ = run_cli("labels", "check", p, "--codebook", CODEBOOK)
    assert code == 1 and out.strip() == f"{p}:3: empty text; remove the row or fill in the sentence"


def test_label_file_with_conflicting_labels(run_cli, tmp_path):
    p = _label_file(tmp_path, [["Talks may resume.", "hedging", "a", "written", ""], ["Talks may resume.", "", "b", "written", ""]])
    code, out, _ = run_cli("labels", "check", p, "--codebook", CODEBOOK)
    assert code == 1 and out.strip() == f"{p}:3: conflicting labels for the same text (also at {p}:2); keep one row"


# ================================================================================ model folders

def test_model_folder_missing(run_cli, tmp_path):
    line = _one_error_line(*run_cli("score", SEED_CORPUS, "--out", tmp_path / "o", "--model", tmp_path / "nomodel")[::2])
    assert "nomodel: no such model folder" in line and "--model" in line
    empty = tmp_path / "empty"
    empty.mkdir()
    line = _one_error_line(*run_cli("score", SEED_CORPUS, "--out", tmp_path / "o", "--model", empty)[::2])
    assert "not a model folder (needs model.json and model.joblib)" in line


def test_model_file_truncated(run_cli, tmp_path, small_model):
    m = tmp_path / "m"
    shutil.copytree(small_model, m)
    data = (m / "model.joblib").read_bytes()
    (m / "model.joblib").write_bytes(data[: len(data) // 2])
    line = _one_error_line(*run_cli("score", SEED_CORPUS, "--out", tmp_path / "o", "--model", m)[::2])
    assert "model.joblib: hash does not match the one recorded in model.json" in line and "restore it" in line
    # the user vouches for the file: it is opened, and its truncation reported in one line
    line = _one_error_line(*run_cli("score", SEED_CORPUS, "--out", tmp_path / "o", "--model", m, "--trust-model")[::2])
    assert "model.joblib: cannot be loaded" in line and "truncated or corrupted" in line


def test_model_file_corrupted(run_cli, tmp_path, small_model):
    m = tmp_path / "m"
    shutil.copytree(small_model, m)
    data = bytearray((m / "model.joblib").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (m / "model.joblib").write_bytes(bytes(data))
    line = _one_error_line(*run_cli("score", SEED_CORPUS, "--out", tmp_path / "o", "--model", m)[::2])
    assert "hash does not match" in line and "--trust-model" in line
    (m / "model.json").write_text("{not json", encoding="utf-8")
    line = _one_error_line(*run_cli("score", SEED_CORPUS, "--out", tmp_path / "o", "--model", m)[::2])
    assert "model.json: unreadable model metadata" in line


def test_model_from_a_newer_version(run_cli, tmp_path, small_model):
    m = tmp_path / "m"
    shutil.copytree(small_model, m)
    meta = json.loads((m / "model.json").read_text(encoding="utf-8"))
    meta.update(format=99, framing_version="9.0")
    (m / "model.json").write_text(json.dumps(meta), encoding="utf-8")
    line = _one_error_line(*run_cli("score", SEED_CORPUS, "--out", tmp_path / "o", "--model", m)[::2])
    assert "made by a newer framing (format 99, framing 9.0); upgrade framing" in line


class _Evil:
    """Unpickling this object creates a folder: proof that code from the file ran."""

    def __init__(self, marker: Path):
        self.marker = str(marker)

    def __reduce__(self):
        return (os.mkdir, (self.marker,))


def _evil_bundle(tmp_path, small_model) -> tuple[Path, Path]:
    """A bundle whose model.joblib and model.json were both replaced so that they agree."""
    m, marker = tmp_path / "evil-model", tmp_path / "PWNED"
    shutil.copytree(small_model, m)
    joblib.dump(_Evil(marker), m / "model.joblib")
    meta = json.loads((m / "model.json").read_text(encoding="utf-8"))
    meta["sha256"] = sha256_file(m / "model.joblib")
    (m / "model.json").write_text(json.dumps(meta), encoding="utf-8")
    return m, marker


def test_untrusted_model_file_is_not_unpickled(run_cli, tmp_path, small_model):
    m, marker = _evil_bundle(tmp_path, small_model)
    line = _one_error_line(*run_cli("score", SEED_CORPUS, "--out", tmp_path / "o", "--model", m)[::2])
    assert f"{m / 'model.joblib'}: not a model saved on this machine nor one you trusted" in line and "--trust-model" in line
    line = _one_error_line(*run_cli("evaluate", SEED_LABELS, "--model", m)[::2])
    assert "--trust-model" in line
    with pytest.raises(ModelError, match="--trust-model"):
        load_bundle(m)
    assert not marker.exists(), "the file was unpickled without the user's opt-in"
    # the explicit opt-in does run it (that is what the flag warns about), and remembers the hash
    bundle = load_bundle(m, trust=True)
    assert marker.exists()
    marker.rmdir()
    load_bundle(m)
    assert marker.exists() and bundle.sha256 in json.loads(trust_store_path().read_text())["sha256"]


def test_models_saved_here_and_the_bundled_registry_load_without_flags(tmp_path, small_model, monkeypatch):
    monkeypatch.setenv("FRAMING_TRUST_STORE", str(tmp_path / "fresh" / "trusted.json"))
    assert load_bundle(ROOT / "models").version == read_registry(ROOT / "models")["current"]  # vouched by registry.json
    with pytest.raises(ModelError, match="not a model saved on this machine"):
        load_bundle(small_model)  # saved under another trust store: unknown here
    from framing.registry import save_bundle

    b = load_bundle(small_model, trust=True)
    copy = save_bundle(b.model, tmp_path / "copy", b.meta)
    assert load_bundle(copy).sha256 == sha256_file(copy / "model.joblib")


def test_a_model_trained_with_other_lexicons_is_loaded_with_one_warning(tmp_path, small_model):
    """A model records the digest of the cue lexicons and registries it was trained with; used with other
    ones (an upgraded framing) it still loads, with a one-line warning saying what to do."""
    import warnings

    from framing.cues import resources_digest

    meta = json.loads((small_model / "model.json").read_text())
    assert meta["resources_sha256"] == resources_digest()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_bundle(small_model)  # trained with these lexicons: silent
    old = tmp_path / "old"
    shutil.copytree(small_model, old)
    meta["resources_sha256"] = "0" * 64
    (old / "model.json").write_text(json.dumps(meta))
    with pytest.warns(UserWarning, match=r"old: trained with other cue lexicons .* retrain it"):
        assert load_bundle(old).model is not None
    shutil.copytree(old, tmp_path / "again")
    r = _cli("score", SEED_CORPUS, "--out", tmp_path / "o", "--model", tmp_path / "again", "--workers", "2", "--quiet")
    assert r.returncode == 0, r.stderr
    lines = [ln for ln in r.stderr.splitlines() if "cue lexicons" in ln]  # once, not once per worker
    assert len(lines) == 1 and lines[0].startswith(f"Warning: {tmp_path / 'again'}: trained with other cue lexicons"), r.stderr
    assert "framing retrain" in lines[0] and "Traceback" not in r.stderr
    manifest = json.loads((tmp_path / "o" / "manifest.json").read_text())
    assert manifest["resources_sha256"] == resources_digest() and manifest["model"]["resources_sha256"] == "0" * 64


def test_tampered_version_in_a_registry_is_refused(tmp_path, small_model):
    from framing.registry import add_version

    b = load_bundle(small_model)
    reg = tmp_path / "reg"
    v = add_version(reg, b.model, b.meta, promote=True)
    m, marker = _evil_bundle(tmp_path, small_model)
    shutil.copy(m / "model.joblib", reg / v / "model.joblib")
    shutil.copy(m / "model.json", reg / v / "model.json")
    with pytest.raises(ModelError, match="hash does not match the one recorded in the registry"):
        load_bundle(reg)
    assert not marker.exists()


# ================================================================================ outputs

def test_output_folder_not_writable(run_cli, tmp_path, small_model, monkeypatch):
    out = tmp_path / "ro"
    out.mkdir()
    if os.geteuid() != 0:  # root ignores permission bits: then the refusal is simulated below
        out.chmod(0o555)
        try:
            line = _one_error_line(*run_cli("score", SEED_CORPUS, "--out", out, "--model", small_model, "--quiet")[::2])
        finally:
            out.chmod(0o755)
        assert str(out) in line and "not writable" in line
    import tempfile

    def refuse(*a, **k):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    line = _one_error_line(*run_cli("score", SEED_CORPUS, "--out", out, "--model", small_model, "--quiet")[::2])
    assert str(out) in line and "not writable (Permission denied); choose a writable output folder" in line
    monkeypatch.undo()
    (tmp_path / "f").write_text("a file, not a folder", encoding="utf-8")
    line = _one_error_line(*run_cli("score", SEED_CORPUS, "--out", tmp_path / "f" / "o", "--model", small_model, "--quiet")[::2])
    assert f"{tmp_path / 'f' / 'o'}: cannot create the output folder (Not a directory)" in line


def test_full_disk_simulated(run_cli, tmp_path, small_model, monkeypatch):
    corpus = _jsonl(tmp_path / "c.jsonl", [{"id": f"a{i}", "text": TEXT} for i in range(6)])
    out = tmp_path / "o"
    import framing.score as fs

    real = fs._write_ipc
    calls = {"n": 0}

    def fills_the_disk(table, path):
        calls["n"] += 1
        if calls["n"] == 5:  # the third batch's sentences: half a file written, then ENOSPC
            with open(path, "wb") as fh:
                fh.write(b"ARROW1" + b"\0" * 1000)
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(table, path)

    monkeypatch.setattr(fs, "_write_ipc", fills_the_disk)
    code, _, err = run_cli("score", corpus, "--out", out, "--model", small_model, "--workers", "1", "--batch-size", "2", "--quiet")
    line = _one_error_line(code, err)
    target = out / "parts" / "sentences-000002.arrow"
    assert line == f"Error: {target}: write failed: the disk is full (No space left on device); free some space and rerun the same command"
    leftovers = [p.name for p in out.rglob("*") if p.name.startswith(".") or p.suffix == ".tmp"]
    assert leftovers == [] and not target.exists() and not (out / "sentences.parquet").exists()
    monkeypatch.setattr(fs, "_write_ipc", real)
    code, _, err = run_cli("score", corpus, "--out", out, "--model", small_model, "--workers", "1", "--batch-size", "2", "--quiet")
    assert code == 0 and "2 batches resumed" in err
    assert len(pd.read_parquet(out / "articles.parquet")) == 6


def test_csv_output_neutralises_formulas(run_cli, tmp_path, small_model):
    corpus = _jsonl(tmp_path / "c.jsonl", [
        {"id": "=HYPERLINK(\"http://evil\")", "source": "+cmd|' /C calc'!A0", "title": "@SUM(1+1)", "text": "=1+1 is the sum. The ministry said talks may resume."},
        {"id": "-2+3", "source": "@src", "title": "=T", "text": "-5 degrees, the agency reported. +3 more."},
    ])
    code, _, err = run_cli("score", corpus, "--out", tmp_path / "o", "--model", small_model, "--format", "csv", "--quiet")
    assert code == 0, err
    for table in ("sentences", "articles"):
        with open(tmp_path / "o" / f"{table}.csv", encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        cells = [c for r in rows for c in r.values()]
        assert not [c for c in cells if c.startswith(("=", "+", "-", "@"))], table
        assert {"'=HYPERLINK(\"http://evil\")", "'-2+3"} <= {r["article_id"] for r in rows}
        assert {"'+cmd|' /C calc'!A0", "'@src"} <= {r["source"] for r in rows}
    arts = pd.read_csv(tmp_path / "o" / "articles.csv", keep_default_na=False, dtype=str)
    assert set(arts["title"]) == {"'@SUM(1+1)", "'=T"}
    sents = pd.read_csv(tmp_path / "o" / "sentences.csv", keep_default_na=False, dtype=str)
    assert "'=1+1 is the sum." in set(sents["text"]) and "'-5 degrees, the agency reported." in set(sents["text"])


def test_ids_and_sources_never_escape_the_output_folder(run_cli, tmp_path, small_model):
    work = tmp_path / "work"
    work.mkdir()
    outside_abs = tmp_path / "abs-target"
    hostile = ["../../escaped", "../escaped", str(outside_abs), str(outside_abs / "deeper" / "x.png"), "a/b/c", "con", ".."]
    records = [{"id": h, "source": hostile[-1 - k], "title": h, "text": f"Article {k}. The ministry said talks may resume."}
               for k, h in enumerate(hostile)]
    records.append({"id": "nul\x00id", "source": "s\x00rc", "text": "NUL bytes in the id."})
    corpus = _jsonl(work / "c.jsonl", records)
    before = set(tmp_path.rglob("*"))
    code, _, err = run_cli("score", corpus, "--out", work / "scored", "--model", small_model, "--quiet")
    assert code == 3, err  # the NUL id is refused
    (nul,) = _errors(work / "scored")
    assert nul["reason"] == "id contains a NUL byte" and nul["id"] == "nulid"
    code, _, err = run_cli("report", work / "scored", "--out", work / "report", "--max-articles", "20")
    assert code == 0, err
    new = set(tmp_path.rglob("*")) - before
    allowed = (work / "scored", work / "report")
    assert new and all(any(p == a or a in p.parents for a in allowed) for p in new), sorted(map(str, new))
    assert not outside_abs.exists() and not (tmp_path / "escaped").exists() and not (tmp_path.parent / "escaped").exists()
    assert set(pd.read_parquet(work / "scored" / "articles.parquet")["article_id"]) == set(hostile)


# ================================================================================ faults

def test_max_chars_is_documented_and_named_in_the_message(run_cli, tmp_path, small_model, capsys):
    from framing.cli import build_parser

    with pytest.raises(SystemExit):
        build_parser().parse_args(["score", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "--max-chars MAX_CHARS longest article accepted, in characters (default: 5,000,000); a longer one is listed in errors.jsonl" in help_text
    corpus = _jsonl(tmp_path / "c.jsonl", [{"id": "long", "text": "x" * 101}, {"id": "ok", "text": "Short."}])
    code, _, err = run_cli("score", corpus, "--out", tmp_path / "o", "--model", small_model, "--max-chars", "100", "--quiet")
    assert code == 3
    (e,) = _errors(tmp_path / "o")
    assert e["id"] == "long" and e["reason"] == "article has 101 characters, over the limit of 100; split it or raise --max-chars"
    line = _one_error_line(*run_cli("score", corpus, "--out", tmp_path / "o2", "--model", small_model, "--max-chars", "0")[::2], expected=2)
    assert "--max-chars must be at least 1" in line


def test_a_damaged_committed_part_or_marker_is_scored_again(run_cli, tmp_path, small_model):
    """A committed batch's part file or .done marker damaged on disk (or changed by hand) before the run is
    resumed or rerun: one line naming the file, and the batch is scored again; nothing else is lost."""
    corpus = _jsonl(tmp_path / "c.jsonl", [{"id": f"a{i}", "text": TEXT} for i in range(12)])
    args = ["--model", small_model, "--workers", "1", "--batch-size", "2", "--quiet"]
    ref, out = tmp_path / "ref", tmp_path / "out"
    assert run_cli("score", corpus, "--out", ref, *args)[0] == 0
    assert run_cli("score", corpus, "--out", out, *args)[0] == 0
    part = out / "parts" / "sentences-000002.arrow"
    part.write_bytes(part.read_bytes()[:100])
    line = _one_error_line(*run_cli("score", corpus, "--out", out, *args)[::2])
    assert line == f"Error: {part}: a committed part cannot be read (Not an Arrow file); its batch will be scored again: rerun the same command"
    assert not (out / "parts" / "batch-000002.done").exists()
    code, _, err = run_cli("score", corpus, "--out", out, *args)
    assert code == 0 and "batches resumed" in err, err
    marker = out / "parts" / "batch-000004.done"
    marker.write_text('{"articles": 2', encoding="utf-8")
    code, _, err = run_cli("score", corpus, "--out", out, *args)
    assert code == 0, err
    assert err.splitlines()[0].startswith(f"Warning: {marker}: unreadable (") and err.splitlines()[0].endswith("); its batch is scored again")
    for table in ("sentences", "articles"):
        assert (out / f"{table}.parquet").read_bytes() == (ref / f"{table}.parquet").read_bytes()


def test_a_negative_worker_count_is_refused(run_cli, tmp_path, small_model):
    line = _one_error_line(*run_cli("score", SEED_CORPUS, "--out", tmp_path / "o", "--model", small_model, "--workers", "-1")[::2], expected=2)
    assert line == "Error: --workers -1: use a number of processes, at least 1 (0 or leaving it out: all cores)"
    assert not (tmp_path / "o").exists()


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _visible(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if not any(part.startswith(".") for part in p.relative_to(folder).parts)]


def test_kill_9_during_train_leaves_the_old_or_the_new_model(run_cli, tmp_path):
    out = tmp_path / "model"
    args = ["train", SEED_LABELS, "--codebook", CODEBOOK, "--out", out, "--cv", "2", "--overwrite"]
    assert run_cli(*args)[0] == 0
    old = _snapshot(out)
    rng = random.Random(8)
    for attempt in range(2):
        proc = _popen(*args)
        # wait until the new bundle is being written beside the old one, then kill at a random moment
        _wait_for(lambda: any(p.name.startswith(".model.") for p in tmp_path.iterdir()), proc)
        time.sleep(rng.uniform(0, 0.15))
        _kill(proc)
        if not out.exists():  # killed between the two renames: the old model waits beside it
            assert (tmp_path / ".model.old").is_dir()
        else:
            now = _snapshot(out)
            assert now == old or {"model.joblib", "model.json", "report/index.md"} <= set(now)
            assert load_bundle(out).sha256 == json.loads(now["model.json"])["sha256"]
    code, _, err = run_cli(*args)
    assert code == 0, err
    assert load_bundle(out) and (out / "report" / "index.md").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["model"], "half-built bundles of killed runs are cleaned up"


def test_kill_9_during_retrain_leaves_a_consistent_registry(tmp_path):
    from framing.retrain import read_snapshot, retrain

    reg = tmp_path / "reg"
    retrain([SEED_LABELS], registry=reg, codebook_path=CODEBOOK)
    args = ["retrain", SEED_LABELS, "--codebook", CODEBOOK, "--registry", reg, "--force"]
    rng = random.Random(9)
    proc = _popen(*args)
    _wait_for(lambda: any(p.name.startswith(".v0002.") for p in reg.iterdir()), proc)
    time.sleep(rng.uniform(0, 0.1))
    _kill(proc)

    def consistent():
        r = read_registry(reg)
        assert r["current"] in r["versions"]
        for v in r["versions"]:
            assert load_bundle(reg / v).sha256 == r["versions"][v]["sha256"]
            assert len(read_snapshot(reg / v))
        for folder in _visible(reg):
            if folder.is_dir() and folder.parent == reg:  # a listed or an unlisted but complete version
                assert {"model.joblib", "model.json", "training.csv.gz"} <= {p.name for p in folder.iterdir()}

    consistent()
    res = _cli(*args)
    assert res.returncode == 0, res.stderr
    consistent()
    r = read_registry(reg)
    assert r["current"] == max(r["versions"]) and r["history"][-1]["to"] == r["current"]


def test_kill_9_during_labels_import_loses_no_label(tmp_path):
    store = tmp_path / "labels"
    store.mkdir()
    seed = pd.read_csv(SEED_LABELS, keep_default_na=False, dtype=str)
    into = store / "editor.csv"
    seed.iloc[:60].to_csv(into, index=False)
    new_rows = seed.iloc[60:].copy()
    new_rows["origin"] = "editor:test"
    batch = tmp_path / "batch.csv"
    new_rows.to_csv(batch, index=False)
    args = ["labels", "import", batch, "--into", into, "--labels", store, "--codebook", CODEBOOK, "--labeller", "t"]
    rng = random.Random(10)
    for delay in sorted(rng.uniform(0.3, 2.5) for _ in range(3)):
        proc = _popen(*args)
        time.sleep(delay)
        _kill(proc)
        now = pd.read_csv(into, keep_default_na=False, dtype=str)
        assert len(now) in (60, 60 + len(new_rows))  # before or after the one atomic replace
        pd.testing.assert_frame_equal(now[seed.columns].iloc[:60], seed.iloc[:60])  # no earlier label lost
    res = _cli(*args)
    assert res.returncode == 0, res.stderr
    final = pd.read_csv(into, keep_default_na=False, dtype=str)
    assert len(final) == len(seed) and list(final["text"]) == list(seed["text"])  # every row once, in order
    pd.testing.assert_frame_equal(final[seed.columns].iloc[:60], seed.iloc[:60])
    assert all(p.name.endswith(".tmp") for p in store.rglob(".*")), "only a killed write's temporary copy may remain"


_DIE_MID_WRITE = """
import builtins, os, signal, sys
import pandas as pd
from framing import labelstore

real_open = builtins.open


class Dying:  # writes half of the first chunk, then the process dies as by a power cut or kill -9
    def __init__(self, fh):
        self.fh = fh

    def write(self, data):
        self.fh.write(data[: max(1, len(data) // 2)])
        self.fh.flush()
        os.kill(os.getpid(), signal.SIGKILL)

    def __getattr__(self, name):
        return getattr(self.fh, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.fh.close()

    def __iter__(self):
        return iter(self.fh)


def dying_open(file, mode="r", *a, **k):
    fh = real_open(file, mode, *a, **k)
    return Dying(fh) if "w" in mode and str(file).endswith(".tmp") else fh


rows = pd.read_csv(sys.argv[2], keep_default_na=False, dtype=str)
builtins.open = dying_open
labelstore.append_rows(sys.argv[1], rows)
"""


@pytest.mark.parametrize("columns", ["all", "seed"])
def test_crash_mid_write_of_a_label_file_loses_no_label(tmp_path, columns):
    from framing.labels import ALL_COLUMNS
    from framing.labelstore import append_rows

    into = tmp_path / "editor.csv"
    seed = pd.read_csv(SEED_LABELS, keep_default_na=False, dtype=str)
    if columns == "all":  # bytes copied and rows appended; else the file is rewritten with new columns
        seed = seed.reindex(columns=ALL_COLUMNS, fill_value="")
    seed.iloc[:10].to_csv(into, index=False)
    old = into.read_bytes()
    new = tmp_path / "new.csv"
    seed.iloc[10:20].assign(labeller="ana", labelled_at="2024-03-01T00:00:00+00:00").to_csv(new, index=False)
    proc = subprocess.run([sys.executable, "-c", _DIE_MID_WRITE, str(into), str(new)], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == -signal.SIGKILL, proc.stderr  # it did die in the middle of the write
    assert into.read_bytes() == old
    leftovers = [p.name for p in tmp_path.iterdir() if p.name not in ("editor.csv", "new.csv")]
    assert all(n.startswith(".editor.csv.") and n.endswith(".tmp") for n in leftovers) and leftovers  # the half-written copy
    append_rows(into, pd.read_csv(new, keep_default_na=False, dtype=str))  # the rerun
    final = pd.read_csv(into, keep_default_na=False, dtype=str)
    assert len(final) == 20 and list(final["text"][:10]) == list(seed["text"][:10])
    if columns == "all":
        assert into.read_bytes().startswith(old)


def test_second_concurrent_run_is_refused(run_cli, tmp_path, small_model):
    out, reg = tmp_path / "o", tmp_path / "reg"
    out.mkdir()
    ready = tmp_path / "ready"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time, pathlib\n"
        "from framing.io import folder_lock\n"
        "from framing.registry import registry_lock\n"
        "with folder_lock(sys.argv[1]), registry_lock(sys.argv[2]):\n"
        "    pathlib.Path(sys.argv[3]).touch()\n"
        "    time.sleep(60)\n"), str(out), str(reg), str(ready)], cwd=ROOT)
    try:
        assert _wait_for(ready.exists, holder, 30)
        line = _one_error_line(*run_cli("score", SEED_CORPUS, "--out", out, "--model", small_model, "--quiet")[::2])
        assert f"{out}: another framing run (pid {holder.pid}) is writing this output folder" in line
        line = _one_error_line(*run_cli("retrain", SEED_LABELS, "--codebook", CODEBOOK, "--registry", reg)[::2])
        assert f"another framing run (pid {holder.pid}) is writing this model registry" in line
        line = _one_error_line(*run_cli("train", SEED_LABELS, "--codebook", CODEBOOK, "--registry", reg, "--no-eval")[::2])
        assert "is writing this model registry" in line
    finally:
        _kill(holder)  # kill -9 releases the lock: the next run is not blocked by a stale lock file
    assert run_cli("score", SEED_CORPUS, "--out", out, "--model", small_model, "--quiet", "--workers", "1")[0] == 0


def test_score_killed_at_random_points_resumes_to_the_same_output(tmp_path, small_model):
    seeds = [json.loads(l) for l in SEED_CORPUS.read_text(encoding="utf-8").splitlines()]
    records = [{"id": f"art{i:03d}", "source": seeds[i % 5]["source"], "text": seeds[i % 5]["text"][: 300 + (i * 211) % 2500]}
               for i in range(90)]
    records.insert(17, {"id": "art005", "text": "a duplicate id"})
    corpus = _jsonl(tmp_path / "c.jsonl", records)
    with open(corpus, "a", encoding="utf-8") as fh:
        fh.write("{broken\n")
    ref, out = tmp_path / "ref", tmp_path / "out"
    args = ["score", corpus, "--out", out, "--model", small_model, "--workers", "1", "--batch-size", "3", "--quiet", "--format", "csv"]
    assert _cli(*args[:3], ref, *args[4:]).returncode == 3  # the uninterrupted run, by the same command
    done = lambda: len(list((out / "parts").glob("batch-*.done"))) if (out / "parts").exists() else 0
    rng = random.Random(2024)
    kills = 0
    for _ in range(4):
        proc = _popen(*args)
        target = done() + rng.randint(1, 6)
        _wait_for(lambda: done() >= target, proc)
        time.sleep(rng.uniform(0, 0.05))  # land anywhere inside the next batch's commit
        kills += proc.poll() is None
        _kill(proc)
        committed = list((out / "parts").glob("*-*.arrow"))
        assert committed
        for p in committed:  # a committed part is always complete
            _read_part(p)
    assert kills >= 3 and done() < 31, "the runs should have been killed part-way"
    res = _cli(*args)
    assert res.returncode == 3 and "batches resumed" in res.stderr, res.stderr
    for table in ("sentences", "articles"):
        a = pd.read_csv(ref / f"{table}.csv", keep_default_na=False, dtype=str)
        b = pd.read_csv(out / f"{table}.csv", keep_default_na=False, dtype=str)
        key = list(a.columns[:3])
        pd.testing.assert_frame_equal(a.sort_values(key).reset_index(drop=True), b.sort_values(key).reset_index(drop=True))
    assert sorted((ref / "errors.jsonl").read_text().splitlines()) == sorted((out / "errors.jsonl").read_text().splitlines())


# ================================================================================ the document

def test_bad_input_doc_cites_only_existing_tests():
    rows = [l for l in DOC.read_text(encoding="utf-8").splitlines() if l.startswith("|") and not set(l) <= set("|-: ")]
    body = rows[1:]  # the header row first
    assert len(body) >= 25
    cited = []
    for row in body:
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert len(cells) == 3 and all(cells), row
        refs = re.findall(r"`(tests/[\w/]+\.py)::(\w+)`", cells[2])
        assert refs, f"no test cited in: {row}"
        cited += refs
    defined: dict[str, set[str]] = {}
    for file, name in cited:
        if file not in defined:
            tree = ast.parse((ROOT / file).read_text(encoding="utf-8"))
            defined[file] = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")}
        assert name in defined[file], f"{file}::{name} is cited in {DOC.name} but does not exist"
    own = {n for f, n in cited if f == "tests/test_badinput.py"}
    mine = {n.name for n in ast.parse(Path(__file__).read_text(encoding="utf-8")).body if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")}
    assert mine - own == {"test_bad_input_doc_cites_only_existing_tests"}, f"tests not in the table: {sorted(mine - own)}"
