"""The streaming scorer: identical results for any worker count and engine, resume, bad records, manifest."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.corpus import Article, BadRecord, iter_articles
from framing.score import _batches, score_articles, score_corpus

from .conftest import ROOT, SEED_CORPUS


def _read(out):
    s = pd.read_parquet(out / "sentences.parquet")
    a = pd.read_parquet(out / "articles.parquet")
    return s, a


def _corpus(tmp_path, n=40, bad=True):
    """n articles built from the seed texts (varied lengths), plus bad records when asked."""
    seeds = [json.loads(l) for l in SEED_CORPUS.read_text(encoding="utf-8").splitlines()]
    p = tmp_path / "corpus.jsonl"
    lines = []
    for i in range(n):
        a = seeds[i % len(seeds)]
        text = a["text"][: 400 + (i * 137) % len(a["text"])]
        lines.append(json.dumps({"id": f"art{i:03d}", "source": a["source"], "text": text}))
        if bad and i == 7:
            lines.append("{this is not json")
        if bad and i == 11:
            lines.append(json.dumps({"id": "no-text", "source": "x"}))
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def test_score_articles_is_a_dataframe_function(small_model):
    arts = pd.DataFrame([{"id": "x", "source": "s", "text": "The ministry said in a statement that talks may resume."}])
    sents, profile = score_articles(arts, small_model)
    assert list(sents["article_id"]) == ["x"] and profile.loc[0, "n_sentences"] == 1


def test_a_sentence_inside_a_quotation_over_several_sentences_is_the_speakers(small_model):
    middle = "This is a barbaric, criminal attack by terrorists and thugs."
    quoted = f"The minister spoke on Monday.\n“We will not back down. {middle} We will respond,” he said."
    own = f"The minister spoke on Monday.\nWe will not back down. {middle} We will respond, he said."
    sents, _ = score_articles(pd.DataFrame({"id": ["q", "o"], "source": ["x", "x"], "text": [quoted, own]}), small_model)
    row = sents[sents["text"] == middle].set_index("article_id")
    assert row.loc["q", "p_loaded_language"] < row.loc["o", "p_loaded_language"]
    assert row.loc["o", "loaded_language"] == 1 and row.loc["q", "loaded_language"] == 0
    assert "barbaric" in row.loc["o", "evidence"] and row.loc["q", "evidence"] == "[]"


def test_one_and_two_workers_give_identical_output(tmp_path, small_model):
    corpus = _corpus(tmp_path)
    s1 = score_corpus([str(corpus)], tmp_path / "w1", model=small_model, workers=1, batch_size=7, quiet=True)
    s2 = score_corpus([str(corpus)], tmp_path / "w2", model=small_model, workers=2, batch_size=7, quiet=True)
    a, b = _read(tmp_path / "w1"), _read(tmp_path / "w2")
    pd.testing.assert_frame_equal(a[0], b[0])
    pd.testing.assert_frame_equal(a[1], b[1])
    assert s1.articles == s2.articles == 40 and s1.errors == s2.errors == 2


def test_a_parent_with_pool_workers_does_not_unpickle_the_model(tmp_path, small_model, monkeypatch):
    """With worker processes the parent only vets the model file (hash, trust); the workers load it.
    Both manifests name the same thresholds (from the model, or from its metadata)."""
    import joblib

    corpus = _corpus(tmp_path)
    score_corpus([str(corpus)], tmp_path / "w1", model=small_model, workers=1, batch_size=7, quiet=True)

    def refuse(*a, **k):
        raise AssertionError("the parent process unpickled the model")

    monkeypatch.setattr(joblib, "load", refuse)
    score_corpus([str(corpus)], tmp_path / "w2", model=small_model, workers=2, batch_size=7, quiet=True)
    m1, m2 = (json.loads((tmp_path / d / "manifest.json").read_text()) for d in ("w1", "w2"))
    assert m2["model"]["thresholds"] == pytest.approx(m1["model"]["thresholds"], abs=1e-4)
    pd.testing.assert_frame_equal(_read(tmp_path / "w1")[0], _read(tmp_path / "w2")[0])


def test_a_pool_worker_scores_on_its_own_thread(tmp_path, small_model):
    """A worker's first batch sets it up for the rest: the model loaded, a higher collection threshold, and
    Arrow's thread pool cut to one thread (writing a part with a thread per core only added switching)."""
    from framing.registry import sha256_file

    script = (
        "import gc, json, sys, pyarrow\n"
        "from pathlib import Path\n"
        "from framing.corpus import Article\n"
        "from framing.score import _score_and_write_job\n"
        "arts = [Article(id='a1', source='s', text='The ministry said talks may resume. Officials denied it.')]\n"
        "before = pyarrow.cpu_count()\n"
        "r = _score_and_write_job(sys.argv[1], sys.argv[2], arts, True, sys.argv[3], 0)\n"
        "print(json.dumps([before, pyarrow.cpu_count(), gc.get_threshold()[0], r[:2],"
        " sorted(p.name for p in Path(sys.argv[3]).iterdir())]))\n"
    )
    model_file = next(p for p in small_model.iterdir() if p.suffix == ".joblib")
    res = subprocess.run([sys.executable, "-c", script, str(small_model), sha256_file(model_file), str(tmp_path)],
                         capture_output=True, text=True, env={**os.environ, "OMP_NUM_THREADS": "4"})
    assert res.returncode == 0, res.stderr
    before, after, threshold, counts, files = json.loads(res.stdout)
    assert before == 4 and after == 1 and threshold == 50_000
    assert counts == [1, 2] and files == ["articles-000000.parquet", "sentences-000000.parquet"]


def test_bad_records_are_listed_and_the_rest_scored(tmp_path, small_model):
    corpus = _corpus(tmp_path)
    summary = score_corpus([str(corpus)], tmp_path / "o", model=small_model, workers=1, batch_size=10, quiet=True)
    errors = [json.loads(l) for l in (tmp_path / "o" / "errors.jsonl").read_text().splitlines()]
    assert summary.articles == 40 and len(errors) == 2
    assert errors[0]["file"] == str(corpus) and errors[0]["record"] == 9 and "invalid JSON" in errors[0]["reason"]
    assert errors[1]["id"] == "no-text" and "'text'" in errors[1]["reason"]


def test_manifest_is_complete(tmp_path, small_model):
    corpus = _corpus(tmp_path, n=5, bad=False)
    score_corpus([str(corpus)], tmp_path / "o", model=small_model, workers=1, quiet=True)
    m = json.loads((tmp_path / "o" / "manifest.json").read_text())
    assert m["framing_version"] and m["model"]["sha256"] and m["model"]["labels"]
    assert m["inputs"][0]["path"] == str(corpus) and m["inputs"][0]["bytes"] == corpus.stat().st_size and len(m["inputs"][0]["sha256"]) == 64
    assert m["counts"] == {"articles": 5, "sentences": m["counts"]["sentences"], "errors": 0, "batches": 1, "resumed_batches": 0}
    assert m["started"] <= m["finished"] and m["codebook"]["labels"]
    assert len(m["resources_sha256"]) == 64 and m["model"]["resources_sha256"] == m["resources_sha256"]


def test_rerun_with_other_inputs_is_refused_and_overwrite_starts_afresh(tmp_path, small_model):
    from framing.errors import OutputError

    c1 = _corpus(tmp_path, n=5, bad=False)
    score_corpus([str(c1)], tmp_path / "o", model=small_model, workers=1, quiet=True)
    c2 = tmp_path / "other.jsonl"
    c2.write_text(json.dumps({"id": "z", "text": "Other text."}) + "\n")
    with pytest.raises(OutputError, match="different model, inputs or options; pass --overwrite"):
        score_corpus([str(c2)], tmp_path / "o", model=small_model, workers=1, quiet=True)
    s = score_corpus([str(c2)], tmp_path / "o", model=small_model, workers=1, quiet=True, overwrite=True)
    assert s.articles == 1 and list(_read(tmp_path / "o")[1]["article_id"]) == ["z"]


def _score_cmd(corpus, out, model, workers: int, batch_size: int) -> list[str]:
    return [sys.executable, "-m", "framing", "score", str(corpus), "--out", str(out), "--model", str(model),
            "--workers", str(workers), "--batch-size", str(batch_size), "--quiet"]


def _reference_run(tmp_path, model, n: int, batch_size: int):
    """A corpus of ``n`` articles (and two bad records) and its uninterrupted one-process run's folder."""
    corpus, ref = _corpus(tmp_path, n=n), tmp_path / "ref"
    score_corpus([str(corpus)], ref, model=model, workers=1, batch_size=batch_size, quiet=True)
    return corpus, ref


def _committed(out) -> int:
    """Batches the run writing ``out`` has committed so far."""
    return len(list((out / "parts").glob("batch-*.done"))) if (out / "parts").exists() else 0


def _start_and_wait(cmd: list[str], out, batches: int, **popen) -> subprocess.Popen:
    """Start ``cmd`` and return once it has committed ``batches`` batches (or after 60 s)."""
    proc = subprocess.Popen(cmd, cwd=ROOT, **popen)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and _committed(out) < batches:
        time.sleep(0.02)
    return proc


def test_resume_after_kill_9_equals_an_uninterrupted_run(tmp_path, small_model):
    corpus, ref = _reference_run(tmp_path, small_model, n=120, batch_size=3)
    out = tmp_path / "out"
    cmd = _score_cmd(corpus, out, small_model, workers=1, batch_size=3)
    proc = _start_and_wait(cmd, out, 3, stderr=subprocess.PIPE)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    committed = _committed(out)
    assert 3 <= committed < 42, "the run should have been killed part-way"
    # a part file the killed process was writing when it died (as atomic_path names it)
    (out / "parts" / f".sentences-{committed:06d}.arrow.x1y2z3.tmp").write_bytes(b"ARROW1")
    rerun = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert rerun.returncode == 3, rerun.stderr  # partial: the corpus holds two bad records
    assert "batches resumed" in rerun.stderr
    for x, y in zip(_read(ref), _read(out)):
        pd.testing.assert_frame_equal(x, y)
    assert (ref / "errors.jsonl").read_text() == (out / "errors.jsonl").read_text()
    assert not list(out.glob(".*.tmp")) and not list((out / "parts").glob(".*.tmp")), \
        "the killed run's temporary files are cleared by the rerun"


def _descendants(pid: int) -> set[int]:
    """The live descendants of ``pid`` (from /proc): children, their children, ..."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = set(), [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            out.add(c)
            todo.append(c)
    return out


def _children(pid: int) -> set[int]:
    return {int(p.parent.name) for p in Path("/proc").glob("[0-9]*/stat")
            if _stat_fields(p) and _stat_fields(p)[1] == str(pid)}


def _stat_fields(stat: Path) -> list[str]:
    try:
        return stat.read_text().rsplit(")", 1)[1].split()
    except OSError:
        return []


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG and /proc are Linux's")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_the_pool_dies_with_a_killed_run(tmp_path, small_model, sig):
    """kill -9 or SIGTERM to `framing score` leaves no fork server or worker behind (they used to wait
    forever on pipes they held both ends of, each keeping its memory)."""
    corpus = _corpus(tmp_path, n=200)
    out = tmp_path / "out"
    proc = _start_and_wait(_score_cmd(corpus, out, small_model, workers=2, batch_size=2), out, 2, stderr=subprocess.DEVNULL)
    pool = _descendants(proc.pid)
    assert len(pool) >= 3, "the run should have a fork server and two workers"  # and a resource tracker
    os.kill(proc.pid, sig)
    proc.wait()
    assert proc.poll() is not None
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(_alive(p) for p in pool):
        time.sleep(0.05)
    assert not [p for p in pool if _alive(p)], "processes of the killed run are still alive"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc is Linux's")
def test_a_killed_worker_stops_the_run_with_a_clear_error_and_a_rerun_resumes(tmp_path, small_model):
    corpus, ref = _reference_run(tmp_path, small_model, n=200, batch_size=2)
    out = tmp_path / "out"
    cmd = _score_cmd(corpus, out, small_model, workers=2, batch_size=2)
    proc = _start_and_wait(cmd, out, 2, stderr=subprocess.PIPE, text=True)
    workers = _descendants(proc.pid) - _children(proc.pid)  # the fork server's children
    assert len(workers) == 2
    os.kill(min(workers), signal.SIGKILL)
    _, err = proc.communicate(timeout=60)
    lines = err.strip().splitlines()
    assert proc.returncode == 1 and len(lines) == 1, err
    assert lines[0] == (f"Error: {out}: a worker process died (killed from outside, or by the system when memory ran "
                        "out); the committed batches are kept: rerun the same command to resume, with fewer --workers "
                        "or a smaller --batch-size if memory is short")
    rerun = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert rerun.returncode == 3 and "batches resumed" in rerun.stderr, rerun.stderr  # 3: two bad records
    for x, y in zip(_read(ref), _read(out)):
        pd.testing.assert_frame_equal(x, y)


def test_dask_engine_matches_local(tmp_path, small_model):
    distributed = pytest.importorskip("distributed")
    corpus = _corpus(tmp_path, n=30)
    score_corpus([str(corpus)], tmp_path / "local", model=small_model, workers=1, batch_size=4, quiet=True)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        score_corpus([str(corpus)], tmp_path / "dask", model=small_model, engine="dask", scheduler=cluster.scheduler_address,
                     batch_size=4, quiet=True)
    for x, y in zip(_read(tmp_path / "local"), _read(tmp_path / "dask")):
        pd.testing.assert_frame_equal(x, y)


def test_article_counts_words_and_sentences_of_content_only(small_model):
    """n_words / n_sentences per article: content sentences only; articles without any are 0."""
    arts = pd.DataFrame({"id": ["a", "b", "c", "d"], "source": "s",
                         "text": ["Subscribe now\n\nShare", "", "Hello there. He said so.\nAnother line!  Yes", "One two three."]})
    sents, table = score_articles(arts, small_model)
    content = sents[~sents["boilerplate"]]
    for row in table.itertuples():
        mine = content[content["article_id"] == row.article_id]
        assert row.n_sentences == len(mine)
        assert row.n_words == sum(len(t.split()) for t in mine["text"])
    assert table.set_index("article_id").loc["a", "n_words"] == 0 and table["n_words"].dtype == "int64"


def test_parts_layout_holds_the_same_tables_as_one_file_per_table(tmp_path, small_model):
    """--layout parts: each table a folder of Parquet part files (hard links to the committed parts, no
    join step); read back in part order it equals the one-file output, a rerun keeps it, the report and
    the label tools read it, and it is refused with CSV or JSONL."""
    from framing.errors import UsageError
    from framing.io import find_table, read_table
    from framing.report import load_scored

    corpus = _corpus(tmp_path)
    score_corpus([str(corpus)], tmp_path / "one", model=small_model, workers=1, batch_size=7, quiet=True)
    s = score_corpus([str(corpus)], tmp_path / "parts", model=small_model, workers=2, batch_size=7, quiet=True, layout="parts")
    out = tmp_path / "parts"
    n_batches = len(list((out / "parts").glob("batch-*.done")))
    assert n_batches == len(list(_batches(iter_articles([str(corpus)]), 7))) > 6  # 40 articles in batches of 7, small ones at the end
    assert sorted(p.name for p in (out / "sentences").iterdir()) == [f"part-{k:06d}.parquet" for k in range(n_batches)]
    for table in ("sentences", "articles"):
        assert find_table(out, table) == out / table
        pd.testing.assert_frame_equal(read_table(out / table), pd.read_parquet(tmp_path / "one" / f"{table}.parquet"))
        pd.testing.assert_frame_equal(pd.read_parquet(out / table), pd.read_parquet(tmp_path / "one" / f"{table}.parquet"))
    m = json.loads((out / "manifest.json").read_text())
    assert m["options"]["layout"] == "parts" and m["outputs"]["sentences"] == str(out / "sentences") and s.errors == 2
    assert list(read_table(out / "sentences", columns=["article_id"]).columns) == ["article_id"]
    # a rerun of the same command resumes everything and rebuilds the same folders
    again = score_corpus([str(corpus)], out, model=small_model, workers=1, batch_size=7, quiet=True, layout="parts")
    assert again.skipped_batches == n_batches
    pd.testing.assert_frame_equal(read_table(out / "sentences"), pd.read_parquet(tmp_path / "one" / "sentences.parquet"))
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary folders left
    # a run killed while assembling a folder leaves one behind: the next run clears it
    (out / ".sentences.12345.tmp").mkdir()
    (out / ".sentences.12345.tmp" / "part-000000.parquet").write_bytes(b"x")
    score_corpus([str(corpus)], out, model=small_model, workers=1, batch_size=7, quiet=True, layout="parts")
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
    assert len(load_scored(out).sentences) == len(pd.read_parquet(tmp_path / "one" / "sentences.parquet"))
    # the file layout over a parts folder is a different option set: refused, then --overwrite replaces it
    from framing.errors import OutputError

    with pytest.raises(OutputError, match="different model, inputs or options"):
        score_corpus([str(corpus)], out, model=small_model, workers=1, batch_size=7, quiet=True)
    score_corpus([str(corpus)], out, model=small_model, workers=1, batch_size=7, quiet=True, overwrite=True)
    assert not (out / "sentences").exists() and (out / "sentences.parquet").exists()
    with pytest.raises(UsageError, match="--layout parts writes Parquet"):
        score_corpus([str(corpus)], tmp_path / "csv", model=small_model, fmt="csv", quiet=True, layout="parts")


def test_parts_layout_with_every_record_bad_still_reads(tmp_path, small_model):
    from framing.io import read_table

    p = tmp_path / "bad.jsonl"
    p.write_text("{nope\n" + json.dumps({"id": "x"}) + "\n", encoding="utf-8")
    s = score_corpus([str(p)], tmp_path / "o", model=small_model, workers=1, quiet=True, layout="parts")
    assert s.articles == 0 and s.errors == 2
    assert read_table(tmp_path / "o" / "sentences").empty


@settings(max_examples=300, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from(["label", "start", "end", "cue", "weight", "text", "outlet", "country"]),
                                st.one_of(st.text(), st.integers(), st.floats(allow_nan=True), st.booleans(), st.none()),
                                max_size=8), max_size=5))
def test_evidence_json_is_json_dumps(evidence):
    """The once-built evidence encoder writes exactly what json.dumps(..., ensure_ascii=False) writes."""
    import json

    from framing.score import _encode_evidence

    assert _encode_evidence(evidence) == json.dumps(evidence, ensure_ascii=False)


_ARTICLE_TEXTS = ["Subscribe now\n\nShare", "", "Hello there. He said so.\nAnother line!  Yes", "One two three.",
                  "The regime may collapse, officials said. State media (KCNA) reported it.\n\nAdvertisement\nWe must act.",
                  "Reuters said the ministry spokesman denied it. It could happen soon."]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c", "d", "e"]), st.sampled_from(_ARTICLE_TEXTS)), max_size=7))
def test_article_table_equals_the_grouped_table(small_model, rows):
    """The array-built article table equals the pandas-grouped one (values, dtypes, column order), with
    repeated ids, articles without content, and empty batches."""
    from framing.corpus import Article
    from framing.score import (
        _article_table_grouped,
        article_table,
        score_sentences,
        sentence_table,
    )

    model = _small_bundle(small_model).model
    names = list(model.labels_)
    arts = [Article(id=i, source="s", text=t, title=f"t{k}") for k, (i, t) in enumerate(rows)]
    scored = score_sentences(sentence_table(arts), model, names)
    got, want = article_table(arts, scored, names), _article_table_grouped(arts, scored, names)
    assert list(got.columns) == list(want.columns) and list(got.dtypes) == list(want.dtypes)
    assert got.equals(want)


def _small_bundle(path, _cache={}):
    from framing.registry import load_bundle

    if path not in _cache:
        _cache[path] = load_bundle(path)
    return _cache[path]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(list("ab .?!\n\r\t©") + ["Mr.", "The", "\n\n", "Share"]), max_size=40).map("".join),
                max_size=4))
def test_sentence_table_rows_are_the_spans_of_each_article(texts):
    """Each row is a span of segment(), with its text, and para_start exactly where the gap before the
    sentence holds a line break (or the article starts)."""
    from framing.corpus import Article
    from framing.score import sentence_table
    from framing.segment import segment

    arts = [Article(id=f"a{k}", source="s", text=t) for k, t in enumerate(texts)]
    rows = sentence_table(arts)
    want = []
    for a in arts:
        prev_end = 0
        for k, s in enumerate(segment(a.text)):
            want.append((a.id, k, s.start, s.end, a.text[s.start:s.end], s.boilerplate, k == 0 or "\n" in a.text[prev_end:s.start]))
            prev_end = s.end
    got = list(zip(rows["article_id"], rows["sentence_id"], rows["start"], rows["end"], rows["text"], rows["boilerplate"],
                   rows["para_start"]))
    assert got == want
    # the frame is the one first built by inference and astype (columns, dtypes, values), also with no rows
    import pandas as pd

    ids, ks, starts, ends, texts_, boiler, para = map(list, zip(*want)) if want else ([],) * 7
    first = pd.DataFrame({"article_id": ids, "source": ["s"] * len(want), "sentence_id": ks, "start": starts, "end": ends,
                          "text": texts_, "boilerplate": boiler, "para_start": para})
    first = first.astype({"sentence_id": "int32", "start": "int64", "end": "int64", "boilerplate": bool, "para_start": bool})
    assert list(rows.columns) == list(first.columns) and list(rows.dtypes) == list(first.dtypes) and rows.equals(first)


@pytest.mark.parametrize("n", [0, 1, 5, 24, 25, 399, 400, 401, 1000, 1234])
def test_batches_split_the_end_of_the_stream_into_small_batches(n):
    """Full batches while a look-ahead of one batch remains; the rest in batches of ceil(size / 8), so the
    workers finish together. Every article once, in order; each bad record goes out with a batch."""
    size = 200
    records = []
    for i in range(n):
        records.append(Article(id=str(i), source="s", text="Hi.", record=i + 1))
        if i % 97 == 3:
            records.append(BadRecord("c.jsonl", 10_000 + i, "broken"))
    out = list(_batches(iter(records), size))
    sizes = [len(a) for a, _ in out]
    assert [a.id for arts, _ in out for a in arts] == [str(i) for i in range(n)]
    assert sum(len(b) for _, b in out) == sum(isinstance(r, BadRecord) for r in records)
    full = max(0, (n - size) // size) if n >= 2 * size else 0
    assert sizes[:full] == [size] * full
    rest = n - full * size
    assert rest < 2 * size and sizes[full:] == [min(25, rest - j) for j in range(0, rest, 25)]
    assert out == list(_batches(iter(records), size))  # deterministic


def test_batches_keep_bad_records_of_a_stream_without_articles():
    bad = [BadRecord("c.jsonl", 1, "broken"), BadRecord("c.jsonl", 2, "broken")]
    assert list(_batches(iter(bad), 200)) == [([], bad)]
    assert list(_batches(iter([]), 200)) == []


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
def test_the_tables_joined_during_the_run_equal_those_joined_at_the_end(tmp_path, small_model, fmt, monkeypatch):
    """A fresh run appends each committed batch to the final tables as it goes (the early join); a resumed
    run, or one whose early join failed, joins the committed parts at the end. All give the same bytes."""
    import framing.score as fs

    corpus = _corpus(tmp_path, n=30)
    early = tmp_path / "early"
    score_corpus([str(corpus)], early, model=small_model, workers=2, batch_size=4, quiet=True, fmt=fmt)
    # the same run, its early join failing at the third part it appends: the run finishes, joined at the end
    real_append, calls = fs._TableJoin.append, []

    def failing(self, part):
        if ".join.tmp" in self.tmp.name:
            calls.append(part)
            if len(calls) == 3:
                raise OSError(28, "No space left on device")
        return real_append(self, part)

    monkeypatch.setattr(fs._TableJoin, "append", failing)
    late = tmp_path / "late"
    score_corpus([str(corpus)], late, model=small_model, workers=2, batch_size=4, quiet=True, fmt=fmt)
    monkeypatch.setattr(fs._TableJoin, "append", real_append)
    assert len(calls) == 3
    # a resumed run: batches 0-2 were committed by an earlier run, the rest now, joined at the end
    resumed = tmp_path / "resumed"
    score_corpus([str(corpus)], resumed, model=small_model, workers=1, batch_size=4, quiet=True, fmt=fmt)
    for p in (resumed / "parts").glob("batch-*.done"):
        if int(p.name.split("-")[1].split(".")[0]) > 2:
            p.unlink()
    for table in ("sentences", "articles"):
        (resumed / f"{table}.{fmt}").unlink()
    s = score_corpus([str(corpus)], resumed, model=small_model, workers=2, batch_size=4, quiet=True, fmt=fmt)
    assert s.skipped_batches == 3
    for table in ("sentences", "articles"):
        want = (early / f"{table}.{fmt}").read_bytes()
        assert (late / f"{table}.{fmt}").read_bytes() == want and (resumed / f"{table}.{fmt}").read_bytes() == want
    for out in (early, late, resumed):
        assert not [p.name for p in out.iterdir() if p.name.startswith(".") and p.name != ".lock"]
    # the default layout's parts are Arrow files; a folder an earlier version started holds Parquet parts,
    # and resuming it mixes the two: the same bytes again
    n = len(list((early / "parts").glob("batch-*.done")))
    assert sorted(p.suffix for p in (early / "parts").glob("sentences-*")) == [".arrow"] * n
    older = tmp_path / "older"
    monkeypatch.setattr(fs, "_PART_SUFFIX", {"file": "parquet", "parts": "parquet"})
    score_corpus([str(corpus)], older, model=small_model, workers=2, batch_size=4, quiet=True, fmt=fmt)
    monkeypatch.undo()
    for p in (older / "parts").glob("batch-*.done"):
        if int(p.name.split("-")[1].split(".")[0]) > 4:
            p.unlink()
    s = score_corpus([str(corpus)], older, model=small_model, workers=2, batch_size=4, quiet=True, fmt=fmt)
    assert s.skipped_batches == 5
    assert sorted(p.suffix for p in (older / "parts").glob("sentences-*")) == [".arrow"] * (n - 5) + [".parquet"] * n
    for table in ("sentences", "articles"):
        assert (older / f"{table}.{fmt}").read_bytes() == (early / f"{table}.{fmt}").read_bytes()


def test_an_interrupted_early_join_leaves_no_temporary_files(tmp_path, small_model, monkeypatch):
    """Ctrl-C while the tables are being joined during the run: the half-joined files are removed, the
    committed parts stay, and the rerun resumes from them."""
    import framing.score as fs

    corpus = _corpus(tmp_path, n=30)
    real_add = fs._EarlyJoin.add

    def interrupted(self, k):
        if k == 3:
            raise KeyboardInterrupt
        real_add(self, k)

    monkeypatch.setattr(fs._EarlyJoin, "add", interrupted)
    with pytest.raises(KeyboardInterrupt):
        score_corpus([str(corpus)], tmp_path / "o", model=small_model, workers=1, batch_size=4, quiet=True)
    assert not list((tmp_path / "o").glob(".*.tmp"))
    monkeypatch.setattr(fs._EarlyJoin, "add", real_add)
    s = score_corpus([str(corpus)], tmp_path / "o", model=small_model, workers=1, batch_size=4, quiet=True)
    assert s.skipped_batches == 4 and s.articles == 30
    ref = tmp_path / "ref"
    score_corpus([str(corpus)], ref, model=small_model, workers=1, batch_size=4, quiet=True)
    assert (tmp_path / "o" / "sentences.parquet").read_bytes() == (ref / "sentences.parquet").read_bytes()


def test_a_long_batch_at_the_head_does_not_stop_the_others(tmp_path):
    """The pump keeps submitting while the oldest batch runs: batch 0 here finishes only after batch 7
    has started, which waiting for the oldest batch (as the pump first did) never allows; every batch
    is still committed once, in batch order."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from framing.score import RunSummary, _pump

    started = {k: threading.Event() for k in range(12)}

    def work(k):
        started[k].set()
        if k == 0 and not started[7].wait(timeout=20):
            raise AssertionError("batch 7 never started while batch 0 ran")
        return (1, 1, [])

    committed = []
    with ThreadPoolExecutor(max_workers=3) as pool:
        # two "workers": at most four unfinished batches, as in the local pool
        _pump(((k, [k], []) for k in range(12)), {5}, RunSummary(out=tmp_path), 2,
              lambda k, arts: pool.submit(work, k), lambda k, result, bad: committed.append(k))
    assert committed == [k for k in range(12) if k != 5]


def test_records_are_estimated_for_the_progress_bar_without_parsing(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from framing.corpus import estimate_records

    (tmp_path / "a.jsonl").write_text('{"text": "a"}\n{"text": "b"}\n{"text": "c"}')  # no final line break
    (tmp_path / "b.csv").write_text("id,text\n1,a\n2,b\n")
    (tmp_path / "c.tsv").write_text("id\ttext\n1\ta\n")
    pq.write_table(pa.table({"text": ["a", "b", "c", "d"]}), tmp_path / "d.parquet")
    (tmp_path / "folder").mkdir()
    for name in ("x.txt", "y.txt", "notes.md"):
        (tmp_path / "folder" / name).write_text("An article.")
    files = [str(tmp_path / n) for n in ("a.jsonl", "b.csv", "c.tsv", "d.parquet", "folder")]
    assert estimate_records(files) == 3 + 2 + 1 + 4 + 2
    assert estimate_records([str(tmp_path / "*.jsonl")]) == 3
    assert estimate_records(["-"]) is None
    assert estimate_records([str(tmp_path / "missing.jsonl")]) is None
    (tmp_path / "e.xml").write_text("<a/>")
    assert estimate_records([str(tmp_path / "e.xml")]) is None


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal_shows_percentage_time_left_and_sentences(tmp_path, monkeypatch):
    from framing.score import _Progress

    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({"id": str(i), "text": "One. Two."}) + "\n" for i in range(10)))
    err = _Terminal()
    monkeypatch.setattr(sys, "stderr", err)
    progress = _Progress(False, [str(corpus)], initial=4)  # four articles committed by an earlier run
    progress.counter.join(timeout=10)
    progress.update(3, 6)
    progress.bar.refresh()  # tqdm redraws at most every 0.1 s by itself
    shown = err.getvalue().split("\r")[-1]
    assert "7/10" in shown and "70%" in shown and "<" in shown and "6 sentences" in shown, shown
    progress.update(3, 6)
    progress.close()
    assert "100%" in err.getvalue().split("\r")[-1]


def test_progress_elsewhere_is_a_plain_line_and_quiet_is_silent(monkeypatch):
    from framing.score import _Progress

    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setattr(_Progress, "LOG_EVERY", 0.0)
    progress = _Progress(False, ["ignored.jsonl"])
    progress.update(2, 30)
    progress.close()
    assert err.getvalue().startswith("framing: 2 articles, 30 sentences, ") and "\r" not in err.getvalue()
    err.truncate(0)
    quiet = _Progress(True, ["ignored.jsonl"])
    quiet.update(2, 30)
    quiet.close()
    assert err.getvalue() == ""


def test_a_head_out_of_office_on_the_articles_date_is_no_state_source():
    """Codebook: a head of state's or government's name without a title counts "when common knowledge places its
    bearer in the office at the time of the events reported". With an article's date, a flagged sentence whose
    head was out of office that year is read with the name masked: "Trump tweeted" in 2016 campaign coverage is a
    candidate's post; in 2018 it is a president's. Other labels, other sentences and undated articles are untouched,
    and the evidence still points into the sentence as written."""
    from framing.cues import people_out_of_office
    from framing.registry import load_bundle
    from framing.score import article_year, score_batch

    post = "Trump tweeted that the election was rigged."
    assert [post[a:b] for a, b in people_out_of_office(post, 2016)] == ["Trump"]
    assert people_out_of_office(post, 2018) == [] and people_out_of_office("Obama said in a statement.", 2016) == []
    assert [s for s in ("Donald Trump wrote on Twitter.",) for a, b in people_out_of_office(s, 2022)] == ["Donald Trump wrote on Twitter."]
    assert (article_year("2016-05-01"), article_year("May 1, 2018"), article_year(""), article_year("n/a")) == (2016, 2018, None, None)

    bundle = load_bundle(ROOT / "models")
    text = post + " The Kremlin said in a statement that the talks were over. President Obama said in a statement that he was sad."
    arts = [Article(id="a16", source="s", text=text, published="2016-05-01"),
            Article(id="a18", source="s", text=text, published="May 1, 2018"),
            Article(id="und", source="s", text=text)]
    sents, _, errors = score_batch(arts, bundle.model, bundle.codebook.names)
    assert not errors
    by = {a: g.reset_index(drop=True) for a, g in sents.groupby("article_id")}
    assert by["a16"]["state_media"].tolist() == [0, 1, 1]  # a candidate's post; the Kremlin; a sitting president
    assert by["a18"]["state_media"].tolist() == [1, 1, 1] and by["und"]["state_media"].tolist() == [1, 1, 1]
    assert by["a16"]["p_state_media"][0] < by["a18"]["p_state_media"][0] == by["und"]["p_state_media"][0]
    for col in ("p_loaded_language", "p_hedging", "p_editorializing"):
        assert by["a16"][col].tolist() == by["a18"][col].tolist()
    assert by["a16"]["evidence"][1] == by["a18"]["evidence"][1]
    for _, row in sents.iterrows():
        for e in json.loads(row["evidence"]):
            assert row["text"][e["start"]:e["end"]] == e["text"]
            assert "Xxxxx" not in json.dumps(e)


def test_a_spokesperson_out_of_post_on_the_articles_date_is_no_state_source():
    """As for heads: with an article's date, a flagged sentence naming a registry spokesperson who held no such post
    that year is read with the name masked ("Earnest said" in 2008, before he spoke for the White House)."""
    from framing.cues import people_out_of_office
    from framing.registry import load_bundle
    from framing.score import score_batch

    s = "Earnest said the president would veto the bill."
    assert [s[a:b] for a, b in people_out_of_office(s, 2008)] == ["Earnest"]
    assert people_out_of_office(s, 2015) == [] and people_out_of_office("Nothing here.", 2008) == []
    bundle = load_bundle(ROOT / "models")
    arts = [Article(id="a08", source="s", text=s, published="2008-05-01"),
            Article(id="a15", source="s", text=s, published="2015-05-01")]
    sents, _, errors = score_batch(arts, bundle.model, bundle.codebook.names)
    assert not errors
    by = dict(zip(sents["article_id"], sents["state_media"]))
    assert by == {"a08": 0, "a15": 1}


def test_people_out_of_office_finds_what_the_full_names_pattern_finds():
    """The last-word index and the small pattern over the candidate names give the spans the registries' full pattern
    gives (a longer name in office still wins over a shorter one inside it)."""
    import random
    import re

    from framing.cues import _names_regex, _people_years, people_out_of_office

    years = _people_years()[0]
    full = re.compile(_names_regex(years))

    def reference(text: str, year: int) -> list[tuple[int, int]]:
        return [(m.start(), m.end()) for m in full.finditer(text)
                if not any(a <= year <= b for a, b in years.get(m.group(0), ((0, 9999),)))]

    rng = random.Random(7)
    names = sorted(years)
    frames = ["{} tweeted that the vote was rigged.", "On Monday {} said in a statement, with {}, that talks failed.",
              "Ivanka {} met {} in Paris.", "The {}-era rules and {}'s speech.", "{} Jr. spoke; then {} wrote on Telegram."]
    for _ in range(400):
        f = rng.choice(frames)
        text = f.format(*(rng.choice(names) for _ in range(f.count("{}"))))
        year = rng.choice([1985, 1999, 2009, 2012, 2016, 2020, 2024, 2026])
        assert people_out_of_office(text, year) == reference(text, year), (text, year)
