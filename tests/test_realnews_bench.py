"""The real-news benchmark keeps public datasets' text out of the repository and resolves every row."""

from __future__ import annotations

import sys

import pandas as pd
import pytest

from .conftest import ROOT, SHARED

LABELS = ROOT / "bench" / "realnews" / "labels.csv"
NAMES = ["state_media", "loaded_language", "hedging", "editorializing"]


def test_the_labels_file_holds_references_and_labels_only():
    df = pd.read_csv(LABELS, keep_default_na=False)
    assert "text" not in df.columns  # the datasets' text is never copied into the repository
    assert df["key"].is_unique and set(df["split"]) == {"dev", "test"}
    for name in NAMES:
        for who in ("a", "b"):
            assert set(df[f"{name}_{who}"].unique()) <= {0, 1}
    assert (df["row"] >= 0).all() and df["dataset"].str.endswith(".csv").all()


@pytest.mark.skipif(not (SHARED / "datasets").is_dir(), reason="needs ../shared/datasets (the sentences' text)")
def test_every_row_resolves_to_a_sentence_and_scores(small_model):
    sys.path.insert(0, str(ROOT / "bench"))
    from realnews import evaluate, load_sentences

    df = load_sentences(SHARED / "datasets")
    assert df["text"].str.len().gt(0).all()
    from framing.registry import load_bundle

    res = evaluate(df, load_bundle(small_model).model)
    assert set(res) == {"test", "dev", "all"} and 0.0 <= res["all"]["macro_f1"] <= 1.0
    assert res["all"]["labels"]["state_media"]["support"] == 737  # positives both annotators agree on (72 in r1 and r2, 12 in r3, 19 in r4, 12 in r5, 12 in r6, 13 in r7, 15 in r8, 21 in r9, 15 in r10, 5 in r11, 16 in r12, 16 in r13, 14 in r14, 17 in r15, 13 in r16, 14 in r17, 17 in r18, 12 in r19, 17 in r20, 16 in r21, 17 in r22, 17 in r23, 8 in r24, 13 in r25, 7 in r26, 7 in r27, 8 in r28, 4 in r29, 1 in r30, 3 in r31, 3 in r32, 6 in r33, 11 in r34, 7 in r35, 5 in r36, 8 in r37, 6 in r38, 4 in r39, 8 in r40, 11 in r41, 7 in r42, 5 in r43, 9 in r44, 8 in r45, 15 in r46, 6 in r47, 13 in r48, 5 in r49, 7 in r50, 6 in r51, 4 in r52, 7 in r53, 9 in r54, 6 in r55, 2 in r56, 2 in r57, 6 in r58, 5 in r59, 7 in r60, 4 in r61, 8 in r62, 10 in r63, 6 in r64, 7 in r65, 4 in r66, 5 in r67, 5 in r68, 6 in r69, 4 in r70, 5 in r71, 6 in r72, 1 in r73, 3 in r74, 5 in r75, 6 in r76, 6 in r77, 5 in r78, 3 in r79, 4 in r80, 2 in r81, 1 in r82)


@pytest.mark.skipif(not (SHARED / "datasets").is_dir(), reason="needs ../shared/datasets (the sentences' text and dates)")
def test_scoring_with_dates_changes_only_state_media_flags_of_dated_sentences():
    """--dates: PolNeAR's sentences carry their article's date, and a flag can only go where a head of state named without a
    title held no office that year; every other label and every undated sentence scores as without dates."""
    sys.path.insert(0, str(ROOT / "bench"))
    from realnews import load_sentences, predict

    from framing.registry import load_bundle

    df = load_sentences(SHARED / "datasets")
    dated = df["published"].str.len().gt(0).to_numpy()
    assert dated.any() and df.loc[dated, "dataset"].str.startswith("polnear").all()
    model = load_bundle(ROOT / "models").model
    plain, with_dates = predict(df, model, NAMES), predict(df, model, NAMES, dates=True)
    changed = plain != with_dates
    assert changed[:, 0].any() and not changed[:, 1:].any()
    assert not changed[~dated].any() and (plain[changed] & ~with_dates[changed]).all()  # flags only taken away


def test_a_random_draw_whose_corpus_runs_dry_takes_the_rest_from_the_shortfall_corpus(tmp_path, monkeypatch):
    """draw.py: a random draw that asks for more unused rows than its corpus has left takes them all and the rest from
    the shortfall corpus's random rows (from r32 on: Szeged news had 58 left); never a row already labelled; the
    shortfall corpus itself running dry stops with a message."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("realnews_draw", ROOT / "bench" / "realnews" / "draw.py")
    draw = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(draw)
    data = tmp_path / "datasets"
    data.mkdir()
    pd.DataFrame({"text": [f"Szeged news sentence number {i} is here." for i in range(5)],  # "szeged": news rows only
                  "domain": ["news", "news", "news", "news", "wiki"]}).to_csv(data / "szeged_sz.csv", index=False)
    pd.DataFrame({"text": [f"PolNeAR sentence number {i} is here." for i in range(10)]}).to_csv(data / "pol.csv", index=False)
    labels = tmp_path / "bench" / "realnews"
    labels.mkdir(parents=True)
    pd.DataFrame({"key": ["x1"], "dataset": ["szeged_sz.csv"], "row": [0]}).to_csv(labels / "labels.csv", index=False)
    monkeypatch.setattr(draw, "ROOT", tmp_path)
    monkeypatch.setattr(draw, "DATASETS", data)
    monkeypatch.setattr(draw, "SHORTFALL", ("pol-official", "pol.csv"))
    monkeypatch.setattr(draw, "DRAWS", [("sz", "szeged_sz.csv", 5, None)])
    out = draw.draw("r99", seed=1)
    assert len(out) == 5 and out["key"].is_unique
    assert sorted(out.loc[out["drawn_as"] == "sz", "row"]) == [1, 2, 3]  # row 0 is labelled, row 4 is not news
    assert (out["drawn_as"] == "pol-random").sum() == 2
    assert set(out.loc[out["drawn_as"] == "pol-random", "dataset"]) == {"pol.csv"}
    monkeypatch.setattr(draw, "DRAWS", [("pol", "pol.csv", 11, None)])
    with pytest.raises(SystemExit, match="only 10 unused rows"):
        draw.draw("r99", seed=1)
    # a sample drawn but not yet merged into labels.csv is taken too (r42 and r43 were out for labelling at once)
    monkeypatch.setattr(draw, "DRAWS", [("pol", "pol.csv", 6, None)])
    pd.DataFrame({"key": ["r98-000", "r98-001"], "sample": ["r98"] * 2, "dataset": ["pol.csv"] * 2, "row": [3, 7],
                  "drawn_as": ["pol"] * 2}).to_csv(labels / "draw-r98.csv", index=False)
    out = draw.draw("r99", seed=1)
    assert len(out) == 6 and not {3, 7} & set(out["row"])
    (labels / "draw-r99.csv").write_text(out.to_csv(index=False))  # its own earlier draw file does not count
    assert draw.draw("r99", seed=1).equals(out)


def test_the_probe_sentences_are_well_formed_and_score(small_model):
    """bench/probes.py: every probe names a model label and a 0/1 expectation; each row is scored on its own label."""
    sys.path.insert(0, str(ROOT / "bench"))
    import probes

    df = pd.read_csv(probes.PROBES, keep_default_na=False)
    assert len(df) >= 200 and not df.duplicated(["label", "text"]).any()  # a sentence may probe two labels
    assert set(df["expected"].astype(int)) == {0, 1} and set(df["label"]) <= set(NAMES)
    from framing.registry import load_bundle

    model = load_bundle(small_model).model
    res = probes.run(model, df)
    j = list(model.labels_).index("hedging")
    row = df.index[df["label"].eq("hedging")][0]
    assert res.loc[row, "probability"] == pytest.approx(model.predict_proba([df.loc[row, "text"]])[0, j])
    counts = probes.summary(res)
    assert sum(c["yes"] + c["no"] for g in counts.values() for c in g.values()) == len(df)
    with pytest.raises(SystemExit, match="not in the model's labels"):
        probes.run(model, df.assign(label="no_such_label"))


def _write_csv(path, header, rows):
    import csv

    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def test_merge_turns_two_blind_passes_into_label_rows(tmp_path):
    """bench/realnews/merge.py: the four answer files of two passes become labels.csv rows (annotator a = pass 1, b =
    pass 2; even keys dev, odd test) with each label's kappa; a reordered or non-0/1 answer stops with the file and row."""
    sys.path.insert(0, str(ROOT / "bench" / "realnews"))
    import merge

    keys = [f"rX-{i:03d}" for i in range(4)]
    _write_csv(tmp_path / "draw.csv", ["key", "sample", "dataset", "row", "drawn_as"],
               [[k, "rX", "ptc/ptc_sentences.csv", str(10 + i), "ptc"] for i, k in enumerate(keys)])
    for part, ks in (("h1", keys[:2]), ("h2", keys[2:])):
        _write_csv(tmp_path / f"in-{part}.csv", ["key", "text"], [[k, "a sentence"] for k in ks])
    answers = {"p1": [[1, 0, 0, 1], [0, 1, 0, 0], [0, 0, 1, 1], [0, 0, 0, 0]],
               "p2": [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 1], [0, 0, 0, 1]]}
    for pas, labs in answers.items():
        for part, idx in (("h1", [0, 1]), ("h2", [2, 3])):
            _write_csv(tmp_path / f"out-{pas}-{part}.csv", ["key", *NAMES], [[keys[i], *labs[i]] for i in idx])
    out = tmp_path / "merged.csv"
    assert merge.main(["--draw", str(tmp_path / "draw.csv"), "--workdir", str(tmp_path), "--out", str(out)]) == 0
    got = pd.read_csv(out)
    assert list(got.columns) == list(pd.read_csv(LABELS, nrows=0).columns)  # appendable to labels.csv as it is
    assert got["split"].tolist() == ["dev", "test", "dev", "test"]
    assert got["editorializing_a"].tolist() == [1, 0, 1, 0] and got["editorializing_b"].tolist() == [0, 0, 1, 1]
    assert got["state_media_a"].tolist() == got["state_media_b"].tolist() == [1, 0, 0, 0]
    _, kappa = merge.merge(tmp_path / "draw.csv", tmp_path)
    assert kappa["state_media"] == 1.0 and kappa["editorializing"] == 0.0
    # a pass that answers out of order, or with a value other than 0/1, is refused with the file and the row
    _write_csv(tmp_path / "out-p2-h2.csv", ["key", *NAMES], [[keys[3], 0, 0, 0, 1], [keys[2], 0, 0, 1, 1]])
    with pytest.raises(SystemExit, match=r"out-p2-h2.csv: row 2: keys differ"):
        merge.merge(tmp_path / "draw.csv", tmp_path)
    _write_csv(tmp_path / "out-p2-h2.csv", ["key", *NAMES], [[keys[2], 0, 0, 1, "yes"], [keys[3], 0, 0, 0, 1]])
    with pytest.raises(SystemExit, match=r"out-p2-h2.csv: row 2 \(rX-002\): labels must be 0 or 1"):
        merge.merge(tmp_path / "draw.csv", tmp_path)
