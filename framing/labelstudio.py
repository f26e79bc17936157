"""Label Studio: export sentences as tasks with a matching labelling config; read annotations back.

Export writes a JSON array of tasks in Label Studio's import format::

    {"data": {"text": ..., "article_id": ..., "origin": ...},
     "predictions": [{"model_version": ..., "score": ...,
                      "result": [{"from_name": "labels", "to_name": "text", "type": "choices",
                                  "value": {"choices": [...]}}]}]}

and, beside it, ``<stem>.config.xml``: a ``<Choices>`` with one ``<Choice>`` per codebook label (its
definition as the hint). Import reads Label Studio's JSON export (tasks with ``annotations``; the
latest annotation that was not cancelled counts) or a CSV in the project's label format, and returns
rows in the project's label format (see :mod:`framing.labelstore` for merging them into the store).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import quoteattr

import numpy as np
import pandas as pd

from .codebook import Codebook
from .errors import InputError, OutputError
from .io import write_json, write_text
from .labels import read_label_file, read_labels
from .labelstore import (
    DEFAULT_LABELS_DIR,
    as_editor_rows,
    iso_utc,
    read_raw,
    validate_labels,
)

FROM_NAME = "labels"
TO_NAME = "text"
DATA_KEYS = ("text", "article_id", "origin", "note")


def labelling_config(codebook: Codebook) -> str:
    """The Label Studio labelling config (XML) for the codebook's labels: multiple choice, inline."""
    lines = ["<View>", f'  <Text name="{TO_NAME}" value="$text"/>',
             f'  <Choices name="{FROM_NAME}" toName="{TO_NAME}" choice="multiple" showInline="true">']
    for lab in codebook.labels:
        lines.append(f"    <Choice value={quoteattr(lab.name)} hint={quoteattr(lab.definition)}/>")
    lines += ["  </Choices>", "</View>"]
    return "\n".join(lines) + "\n"


def make_task(row: dict, choices: Sequence[str], score: float, model_version: str) -> dict:
    """One Label Studio task: the sentence and its provenance, with one prediction."""
    data = {k: str(row.get(k, "") or "") for k in DATA_KEYS}
    return {
        "data": data,
        "predictions": [{
            "model_version": str(model_version),
            "score": round(float(score), 4),
            "result": [{"from_name": FROM_NAME, "to_name": TO_NAME, "type": "choices", "value": {"choices": list(choices)}}],
        }],
    }


def _p_score(df: pd.DataFrame, names: Sequence[str]) -> np.ndarray:
    """Prediction scores of a suggestion file: the ``p`` column if present, else 0.5."""
    if "p" in df.columns:
        p = pd.to_numeric(df["p"], errors="coerce").to_numpy(dtype=float)
        return np.where(np.isnan(p), 0.5, p)
    return np.full(len(df), 0.5)


def export_tasks(
    codebook: Codebook,
    from_file: str | Path | None = None,
    labels_dir: str | Path = DEFAULT_LABELS_DIR,
    model=None,
    model_version: str | None = None,
) -> list[dict]:
    """Label Studio tasks for labelled sentences or a file of suggestions.

    Parameters
    ----------
    codebook : Codebook
        The labels annotators choose from; predictions name only these.
    from_file : path, optional
        A label-format CSV (e.g. ``framing suggest`` output); its ``labels`` column becomes the prediction,
        scored by its ``p`` column (or 0.5). Default: every row of every CSV in ``labels_dir``, with its
        current labels as the prediction (score 1.0).
    model : Bundle, optional
        Predictions come from this model instead: its flagged labels, scored by their mean probability
        (by the mean probability of "no label" when it flags none).
    model_version : str, optional
        The ``model_version`` of the predictions (default: the model's version or the file name).
    """
    names = codebook.names
    if from_file is not None:
        path = Path(from_file)
        df = read_label_file(path, strict=False)
        raw = read_raw(path)
        scores = _p_score(raw, names) if len(raw) == len(df) else np.full(len(df), 0.5)
        version = model_version or f"file:{path.name}"
    else:
        df = read_labels([labels_dir], strict=False)
        scores = np.ones(len(df))
        version = model_version or f"labels:{Path(labels_dir).as_posix()}"
    validate_labels(df, codebook)
    keep = (df["text"].astype(str).str.strip() != "").to_numpy()
    df, scores = df[keep].reset_index(drop=True), scores[keep]
    choices = [[n for n in names if n in set(ls)] for ls in df["labels"]]
    if model is not None:
        model_names = model.codebook.names
        proba, flags, _ = model.model.score_batch(df["text"].astype(str).tolist(), explain=False)
        cols = [model_names.index(n) for n in names if n in model_names]
        kept = [n for n in names if n in model_names]
        if not kept:
            raise InputError(f"the model ({', '.join(model_names)}) predicts none of the codebook's labels ({', '.join(names)}); "
                             "use a model trained with this codebook")
        proba, flags = np.asarray(proba)[:, cols], np.asarray(flags)[:, cols]
        choices = [[kept[j] for j in np.flatnonzero(f)] for f in flags]
        with np.errstate(invalid="ignore"):
            chosen = np.where(flags.any(axis=1), (proba * flags).sum(axis=1) / np.maximum(flags.sum(axis=1), 1),
                              (1 - proba).mean(axis=1))
        scores = chosen
        version = model_version or model.version
    rows = df.to_dict("records")
    return [make_task(r, c, s, version) for r, c, s in zip(rows, choices, scores)]


@dataclass
class ExportResult:
    tasks: int
    out: str
    config: Path | None


def config_path_for(out: str | Path) -> Path:
    out = Path(out)
    return out.with_name(f"{out.stem}.config.xml")


def write_export(tasks: list[dict], codebook: Codebook, out: str | Path, config: str | Path | None = None,
                 overwrite: bool = False) -> ExportResult:
    """Write the tasks (``-`` = stdout) and the labelling config, atomically; refuse to overwrite either."""
    cfg = Path(config) if config else (None if str(out) == "-" else config_path_for(out))
    targets = ([] if str(out) == "-" else [Path(out)]) + ([cfg] if cfg else [])
    for t in targets:
        if t.exists() and not overwrite:
            raise OutputError(f"{t}: already exists; choose another OUT or pass --overwrite")
    if cfg:
        write_text(cfg, labelling_config(codebook))
    if str(out) == "-":
        sys.stdout.write(json.dumps(tasks, indent=2, ensure_ascii=False) + "\n")
    else:
        write_json(out, tasks)
    return ExportResult(tasks=len(tasks), out=str(out), config=cfg)


# ------------------------------------------------------------------------------------------ import

def _annotator(ann: dict) -> str:
    who = ann.get("completed_by")
    if isinstance(who, dict):
        name = " ".join(x for x in (who.get("first_name"), who.get("last_name")) if x)
        return str(who.get("email") or name or (f"ls-user-{who['id']}" if "id" in who else "") or "unknown")
    if who is None or who == "":
        return "unknown"
    return f"ls-user-{who}" if isinstance(who, int) or str(who).isdigit() else str(who)


def _choices(result: list, source: str, task_ref: str) -> list[str]:
    out: list[str] = []
    if not isinstance(result, list):
        raise InputError(f"{source} {task_ref}: annotation 'result' is not a list; export the project as JSON from Label Studio")
    for item in result:
        if not isinstance(item, dict) or item.get("type") != "choices":
            continue
        if item.get("from_name", FROM_NAME) != FROM_NAME:
            continue
        ch = (item.get("value") or {}).get("choices", [])
        out.extend([ch] if isinstance(ch, str) else list(ch))
    return out


def read_label_studio_json(data, source: str = "<json>") -> tuple[pd.DataFrame, dict]:
    """Rows (project format plus ``_file``/``_line``) from a parsed Label Studio JSON export.

    For each task the latest annotation (by ``updated_at``, else ``created_at``) that was not cancelled
    counts; tasks without one are skipped. Returns the rows and counts of skipped tasks by reason.
    """
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise InputError(f"{source}: not a Label Studio JSON export (expected a list of tasks); export the project as JSON")
    rows, skipped = [], {"task(s) without a submitted annotation": 0}
    for k, task in enumerate(data, 1):
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
            raise InputError(f"{source} task #{k}: not a Label Studio task (no 'data'); export the project as JSON, not JSON-MIN or CSV")
        ref = f"task {task.get('id', '#' + str(k))}"
        text = task["data"].get(TO_NAME)
        if not isinstance(text, str):
            raise InputError(f"{source} {ref}: no 'text' in the task data; the project must use the config from `framing labels export`")
        anns = [a for a in task.get("annotations") or [] if isinstance(a, dict) and not a.get("was_cancelled")]
        if not anns:
            skipped["task(s) without a submitted annotation"] += 1
            continue
        ann = max(enumerate(anns), key=lambda ia: (iso_utc(ia[1].get("updated_at") or ia[1].get("created_at")), ia[0]))[1]
        who = _annotator(ann)
        rows.append({
            "text": text,
            "labels": _choices(ann.get("result", []), source, ref),
            "article_id": str(task["data"].get("article_id", "") or ""),
            "origin": str(task["data"].get("origin", "") or ""),
            "note": str(task["data"].get("note", "") or ""),
            "labeller": who,
            "labelled_at": iso_utc(ann.get("updated_at") or ann.get("created_at")),
            "_file": source,
            "_line": ref,
        })
    return pd.DataFrame(rows, columns=["text", "labels", "article_id", "origin", "note", "labeller", "labelled_at", "_file", "_line"]), skipped


def read_import(path: str | Path, codebook: Codebook, labeller: str | None = None) -> tuple[pd.DataFrame, dict]:
    """Read annotations to import: a Label Studio JSON export or a label-format CSV (``-`` = stdin).

    Returns rows in the project's label format (``origin`` = ``editor:<annotator>``, ``labeller``,
    ``labelled_at``; plus ``_file``/``_line``) validated against the codebook, and counts of skipped
    rows by reason. CSV rows still marked ``suggested`` (not reviewed) are skipped.
    """
    source = str(path)
    if source == "-":
        text = sys.stdin.read()
    else:
        p = Path(path)
        if not p.is_file():
            raise InputError(f"{p}: no such file; pass a Label Studio JSON export or a label CSV")
        try:
            raw = p.read_bytes()
        except OSError as exc:
            raise InputError(f"{p}: cannot be read ({exc.strerror})") from None
        from .corpus import decode_bytes

        text = decode_bytes(raw, source)
    if text.lstrip().startswith(("[", "{")):
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise InputError(f"{source}: not valid JSON ({exc}); export the project again from Label Studio") from None
        df, skipped = read_label_studio_json(data, source)
    else:
        df, skipped = _read_csv_import(text, source)
    validate_labels(df, codebook)
    return as_editor_rows(df, labeller=labeller, names=codebook.names), skipped


def _read_csv_import(text: str, source: str) -> tuple[pd.DataFrame, dict]:
    if source == "-":
        import tempfile

        with tempfile.TemporaryDirectory() as d:
            tmp = Path(d) / "stdin.csv"
            tmp.write_text(text, encoding="utf-8")
            df = read_label_file(tmp, strict=False)
        df["_file"] = "<stdin>"
    else:
        df = read_label_file(source, strict=False)
    unreviewed = df["suggested"].astype(str).str.strip().str.lower().isin(["1", "true", "yes"])
    return df[~unreviewed].reset_index(drop=True), {"unreviewed suggestion(s) (run `framing label` on the file first)": int(unreviewed.sum())}


