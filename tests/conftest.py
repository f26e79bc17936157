"""Shared fixtures: paths into the repo and a small model trained once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
CODEBOOK = DATA / "codebook.toml"
SEED_CORPUS = DATA / "corpus" / "seed-articles.jsonl"
SEED_LABELS = DATA / "labels" / "seed.csv"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session", autouse=True)
def trust_store(tmp_path_factory) -> Path:
    """Models the tests save are recorded in a throwaway trust store, never the user's (subprocesses inherit it)."""
    path = tmp_path_factory.mktemp("trust") / "trusted.json"
    old = os.environ.get("FRAMING_TRUST_STORE")
    os.environ["FRAMING_TRUST_STORE"] = str(path)
    yield path
    if old is None:
        os.environ.pop("FRAMING_TRUST_STORE", None)
    else:
        os.environ["FRAMING_TRUST_STORE"] = old


def make_label_folder(folder: Path, n_stories: int = 12) -> Path:
    """A small label set for retraining tests: the seed sentences plus ``n_stories`` written stories."""
    import pandas as pd

    folder.mkdir(parents=True, exist_ok=True)
    pd.read_csv(DATA / "labels" / "seed.csv", keep_default_na=False).to_csv(folder / "seed.csv", index=False)
    written = pd.read_csv(DATA / "labels" / "written-b.csv", keep_default_na=False)
    keep = sorted(written["article_id"].unique())[:n_stories]
    written[written["article_id"].isin(keep)].to_csv(folder / "written.csv", index=False)
    return folder


def without_label(labels: Path, out: Path, label: str) -> Path:
    """A copy of the label folder with ``label`` removed from every row: a deliberately worse label set."""
    import pandas as pd

    out.mkdir(parents=True, exist_ok=True)
    for f in labels.glob("*.csv"):
        df = pd.read_csv(f, keep_default_na=False)
        df["labels"] = df["labels"].str.replace(label, "", regex=False).str.strip(";").str.replace(";;", ";")
        df.to_csv(out / f.name, index=False)
    return out


def registry_json(reg: Path) -> dict:
    import json

    return json.loads((reg / "registry.json").read_text())


@pytest.fixture(scope="session")
def small_model(tmp_path_factory) -> Path:
    """A model trained on the seed labels only (fast); the folder path."""
    from framing.registry import save_bundle
    from framing.train import fit_model, load_training_data

    df, codebook = load_training_data([SEED_LABELS], CODEBOOK)
    model, info = fit_model(df, codebook, evaluate=False)
    folder = tmp_path_factory.mktemp("models") / "small"
    save_bundle(model, folder, {"codebook": codebook.to_dict(), **info})
    return folder


@pytest.fixture()
def run_cli(capsys):
    """Run the CLI in-process: returns (exit_code, stdout, stderr)."""
    from framing.cli import main

    def _run(*args: str):
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return _run
