"""Property-based fuzzing: readers, segmenter and label parser raise only the project's own errors."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framing.codebook import load_codebook
from framing.corpus import BadRecord, decode_bytes, iter_articles
from framing.errors import FramingError
from framing.labels import check_labels, read_labels
from framing.segment import segment

from .conftest import CODEBOOK

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
printable = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
csvish = st.text(alphabet=string.printable + "“”’é\x00", max_size=300)


@SETTINGS
@given(st.binary(max_size=2000))
def test_decode_never_raises_anything_but_input_error(data):
    try:
        decode_bytes(data, "f.txt")
    except FramingError:
        pass


@SETTINGS
@given(data=st.one_of(st.binary(max_size=1500), csvish.map(lambda s: s.encode())),
       suffix=st.sampled_from([".jsonl", ".csv", ".tsv", ".txt", ".parquet"]))
def test_readers_yield_articles_or_bad_records_or_raise_framing_errors(tmp_path, data, suffix):
    p = tmp_path / f"in{suffix}"
    p.write_bytes(data)
    try:
        for rec in iter_articles([str(p)]):
            assert isinstance(rec, BadRecord) or isinstance(rec.text, str)
    except FramingError as exc:
        assert "\n" not in str(exc)


@SETTINGS
@given(rows=st.lists(st.tuples(csvish, st.sampled_from(["", "hedging", "spin", "hedging;state_media", ";;", " hedging "])), max_size=8),
       header=st.sampled_from(["text,labels,article_id,origin,note", "text,labels", "labels,text,origin,article_id", ""]))
def test_label_parser_and_check_raise_only_label_errors(tmp_path, rows, header):
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf)
    if header:
        buf.write(header + "\n")
    for text, labs in rows:
        w.writerow([text, labs, "a", "written", ""])
    p = tmp_path / "l.csv"
    p.write_text(buf.getvalue(), encoding="utf-8", errors="surrogatepass")
    cb = load_codebook(CODEBOOK)
    try:
        read_labels([p], cb)
    except FramingError:
        pass
    for problem in check_labels([p], cb):
        assert problem.line >= 1 and problem.message


@SETTINGS
@given(printable)
def test_segmenter_never_raises_and_keeps_offsets(text):
    spans = segment(text)
    assert all(0 <= s.start < s.end <= len(text) for s in spans)
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))
