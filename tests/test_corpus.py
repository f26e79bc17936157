"""Reading articles: every format, decoding, and bad records."""

from __future__ import annotations

import io
import json
import sys

import pandas as pd
import pytest

from framing.corpus import BadRecord, decode_bytes, iter_articles, read_articles
from framing.errors import InputError

from .conftest import SEED_CORPUS

ARTICLES = [
    {"id": "a1", "source": "wire", "title": "T1", "text": "First article. It has two sentences."},
    {"id": "a2", "source": "blog", "title": "T2", "text": "Second article."},
]


def test_bundled_seed_corpus_has_five_articles():
    df, bad = read_articles(str(SEED_CORPUS))
    assert not bad
    assert list(df["source"]) == ["000", "001", "002", "003", "004"]
    assert df.loc[0, "published"] == "2023-07-26"
    assert all(df["url"] == "")


def test_jsonl(tmp_path):
    p = tmp_path / "a.jsonl"
    p.write_text("\n".join(json.dumps(a) for a in ARTICLES) + "\n", encoding="utf-8")
    df, bad = read_articles(str(p))
    assert list(df["id"]) == ["a1", "a2"] and list(df["source"]) == ["wire", "blog"] and not bad


def test_csv_and_tsv_defaults(tmp_path):
    p = tmp_path / "a.csv"
    pd.DataFrame([{"text": "Only text here."}, {"text": "Another, with a comma."}]).to_csv(p, index=False)
    df, bad = read_articles(str(p))
    assert list(df["id"]) == ["1", "2"]  # id defaults to the row number
    assert list(df["source"]) == ["unknown", "unknown"]
    t = tmp_path / "a.tsv"
    t.write_text("id\ttext\nx\tTab separated.\n", encoding="utf-8")
    df, _ = read_articles(str(t))
    assert df.loc[0, "text"] == "Tab separated."


def test_csv_embedded_newline_and_missing_text_column(tmp_path):
    p = tmp_path / "a.csv"
    p.write_text('id,text\n1,"Line one.\nLine two."\n', encoding="utf-8")
    df, _ = read_articles(str(p))
    assert df.loc[0, "text"] == "Line one.\nLine two."
    q = tmp_path / "b.csv"
    q.write_text("id,body\n1,x\n", encoding="utf-8")
    with pytest.raises(InputError, match="no 'text' column"):
        read_articles(str(q))


def test_csv_row_with_extra_fields_is_a_bad_record(tmp_path):
    p = tmp_path / "a.csv"
    p.write_text("id,text\n1,fine\n2,too,many\n3,fine too\n", encoding="utf-8")
    df, bad = read_articles(str(p))
    assert list(df["id"]) == ["1", "3"]
    assert len(bad) == 1 and bad[0].record == 3 and "fields" in bad[0].reason


def test_parquet(tmp_path):
    p = tmp_path / "a.parquet"
    pd.DataFrame(ARTICLES).to_parquet(p)
    df, bad = read_articles(str(p))
    assert list(df["id"]) == ["a1", "a2"] and not bad


def test_txt_folder_uses_file_names_and_folder_source(tmp_path):
    d = tmp_path / "outletx"
    d.mkdir()
    (d / "one.txt").write_text("Text one.", encoding="utf-8")
    (d / "two.txt").write_bytes("\ufeffText two.".encode("utf-8"))
    df, _ = read_articles(str(d))
    assert list(df["id"]) == ["one", "two"] and set(df["source"]) == {"outletx"}
    assert df.loc[1, "text"] == "Text two."  # BOM removed
    df, _ = read_articles(str(d), source="given")
    assert set(df["source"]) == {"given"}


def test_stdin_jsonl_and_plain_text(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(json.dumps(ARTICLES[0]).encode())))
    df, _ = read_articles("-")
    assert list(df["id"]) == ["a1"]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Just some text.\n")))
    df, _ = read_articles("-")
    assert df.loc[0, "text"].strip() == "Just some text."


def test_invalid_jsonl_line_is_reported_and_the_rest_read(tmp_path):
    p = tmp_path / "a.jsonl"
    p.write_text(json.dumps(ARTICLES[0]) + "\n{not json\n[1, 2]\n" + json.dumps({"id": "x"}) + "\n" + json.dumps(ARTICLES[1]) + "\n")
    recs = list(iter_articles([str(p)]))
    bad = [r for r in recs if isinstance(r, BadRecord)]
    assert [r.record for r in bad] == [2, 3, 4]
    assert "invalid JSON" in bad[0].reason and "'text'" in bad[2].reason
    assert len(recs) - len(bad) == 2


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "cp1252", "latin-1"])
def test_decoding(encoding):
    text = "Café owners said prices rose — “sharply” in Zürich. " * 20
    if encoding in ("cp1252",):
        raw = text.encode("cp1252")
    elif encoding == "latin-1":
        text = text.replace("—", "-").replace("“", '"').replace("”", '"')
        raw = text.encode("latin-1")
    else:
        raw = text.encode(encoding)
    assert decode_bytes(raw, "f.txt") == text


def test_binary_and_undecodable_input_give_one_clear_line(tmp_path):
    with pytest.raises(InputError) as exc:
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "pic.txt")
    msg = str(exc.value)
    assert "pic.txt" in msg and "binary" in msg and "\n" not in msg


def test_missing_file_and_unknown_type(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_articles(str(tmp_path / "nope.jsonl"))
    (tmp_path / "x.docx").write_text("x")
    with pytest.raises(InputError, match="unknown file type"):
        read_articles(str(tmp_path / "x.docx"))


def test_article_over_the_size_limit_is_a_bad_record(tmp_path):
    p = tmp_path / "a.jsonl"
    p.write_text(json.dumps({"id": "big", "text": "x" * 1000}) + "\n" + json.dumps(ARTICLES[1]) + "\n")
    df, bad = read_articles(str(p), max_chars=100)
    assert list(df["id"]) == ["a2"] and "over the limit" in bad[0].reason and bad[0].id == "big"
