"""Commands of the labelling loop: ``suggest``, ``label``, ``labels export|import|audit``.

Only argument parsing and output here; the work is in :mod:`framing.active`, :mod:`framing.labelui`,
:mod:`framing.labelstudio` and :mod:`framing.labelstore`. Heavy imports happen inside the commands so
``framing --help`` stays fast.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from .errors import OutputError, UsageError

DEFAULT_LABELS = "data/labels"
DEFAULT_INTO = "data/labels/editor.csv"


def add_commands(sub, lsub, add) -> None:
    """Add ``suggest`` and ``label`` to the top-level commands and ``export``, ``import``, ``audit`` to ``framing labels``."""
    s = add(sub, "suggest", "choose the sentences to label next", """
        Pick the content sentences of a scored folder that are most worth labelling next: ones the model
        is unsure about (probability near a label's threshold; labels take turns so each gets its share)
        mixed with ones unlike anything labelled so far (every 5th pick). Near-duplicates of each other
        or of sentences already in the label files are left out, and sources take turns. Writes FILE in
        the label-file format: labels = the model's suggestion, origin = suggest:<model version>, note =
        why the sentence was picked, suggested = 1 (not yet reviewed); then run `framing label FILE`.
        """, """
          framing suggest build/seed --n 50 --out to-label.csv
          framing suggest build/archive --n 200 --out batch-07.csv --seed 7
          framing suggest build/seed --n 20 --out - | head""")
    s.add_argument("scored_dir", help="folder written by `framing score`")
    s.add_argument("--out", required=True, help="CSV file to write (- for stdout); an existing file is kept unless --overwrite")
    s.add_argument("--n", type=int, default=50, help="how many sentences (default: 50)")
    s.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    s.add_argument("--labels", default=DEFAULT_LABELS, help="label files or folder: sentences already labelled are not suggested (default: data/labels)")
    s.add_argument("--diverse", type=float, default=0.2, help="share of picks chosen for diversity rather than uncertainty (default: 0.2)")
    s.add_argument("--max-similarity", type=float, default=0.8, help="TF-IDF cosine above which two sentences count as near-duplicates (default: 0.8)")
    s.add_argument("--overwrite", action="store_true", help="replace an existing --out file")

    lb = add(sub, "label", "label sentences in the terminal", """
        Go through the rows of a label CSV that are not reviewed yet (e.g. the output of `framing
        suggest`), one sentence at a time: it shows the sentence (with its neighbours when --scored gives
        the scored folder), the model's suggestion, and each codebook label with its number.
        Keys: 1..9 toggle a label, Enter or a accept, s skip, u undo, q quit, ? help.
        Every answer is saved at once (a journal beside FILE, folded into FILE when you quit or, after a
        crash or a closed terminal, when you start again), with labeller and labelled_at (UTC). Run the
        same command again to resume. With --into, the reviewed rows are then added to that label file
        (duplicates skipped, conflicts reported, as `framing labels import` does). When stdin is not a
        terminal, it reads one key per line (an empty line accepts), so it can be scripted.
        """, """
          framing label to-label.csv
          framing label to-label.csv --scored build/seed --labeller ana
          framing label to-label.csv --into data/labels/editor.csv
          printf '2\\na\\ns\\nq\\n' | framing label to-label.csv""")
    lb.add_argument("file", help="label CSV to review (changed in place)")
    lb.add_argument("--labeller", default=None, help="name recorded with each answer (default: $USER)")
    lb.add_argument("--codebook", default=None, help="codebook TOML (default: data/codebook.toml)")
    lb.add_argument("--scored", default=None, help="scored folder, to show each sentence's neighbours in its article")
    lb.add_argument("--labels", default=DEFAULT_LABELS, help="label files to look each sentence up in (default: data/labels)")
    lb.add_argument("--into", default=None, help="afterwards, add the reviewed rows to this label file (e.g. data/labels/editor.csv)")

    ex = add(lsub, "export", "export sentences as Label Studio tasks", """
        Write OUT, a JSON array of Label Studio tasks ({"data": {"text", "article_id", "origin", "note"},
        "predictions": [...]}) to import into a Label Studio project, and OUT's sibling
        <stem>.config.xml, the matching labelling config (one choice per codebook label, its
        definition as the hint): paste it in Settings > Labeling Interface > Code. Default tasks: every
        sentence in data/labels/ with its current labels as the prediction (score 1.0). --from FILE:
        that file's rows (e.g. `framing suggest` output; score = its p column, else 0.5). --model DIR:
        predictions from that model (score = mean probability of the chosen labels).
        """, """
          framing labels export build/ls/tasks.json
          framing labels export build/ls/batch-07.json --from batch-07.csv
          framing labels export build/ls/review.json --from batch-07.csv --model models""")
    ex.add_argument("out", help="tasks file to write (JSON; - for stdout)")
    ex.add_argument("--format", default="label-studio", choices=["label-studio"], help="export format (default: label-studio)")
    ex.add_argument("--from", dest="from_file", default=None, help="label CSV whose rows become the tasks (default: all of data/labels)")
    ex.add_argument("--model", default=None, help="model folder or registry whose predictions pre-fill the tasks")
    ex.add_argument("--labels", default=DEFAULT_LABELS, help="label folder for the default tasks (default: data/labels)")
    ex.add_argument("--codebook", default=None, help="codebook TOML (default: data/codebook.toml)")
    ex.add_argument("--config", default=None, help="where to write the labelling config (default: <OUT stem>.config.xml)")
    ex.add_argument("--overwrite", action="store_true", help="replace existing OUT and config files")
    ex.add_argument("--trust-model", action="store_true", help="load a model whose file hash does not match its manifest")

    im = add(lsub, "import", "add annotations from Label Studio (or a CSV) to the labels", """
        Read a Label Studio JSON export (Export > JSON; for each task the latest annotation that was not
        cancelled counts) or a label CSV (e.g. one reviewed with `framing label`; rows still marked
        suggested are skipped), check the labels against the codebook, and add the new rows to --into
        with origin editor:<annotator>, labeller and labelled_at. A sentence already labelled the same way
        anywhere in data/labels/ is skipped; one already labelled differently is not added but written,
        with both sides and their files and lines, to data/labels/conflicts/<into>.conflicts.csv.
        Prints a summary: rows added, duplicates skipped, conflicts.
        """, """
          framing labels import ~/Downloads/project-3-at-2024-03-01.json
          framing labels import export.json --into data/labels/editor-ana.csv --labeller ana
          framing labels import to-label.csv --dry-run""")
    im.add_argument("export", help="Label Studio JSON export or label CSV (- for stdin)")
    im.add_argument("--into", default=DEFAULT_INTO, help="label file to add to (default: data/labels/editor.csv)")
    im.add_argument("--labeller", default=None, help="record this name as the labeller (default: the annotator in the export, or $USER)")
    im.add_argument("--labels", default=DEFAULT_LABELS, help="label files to compare with (default: data/labels)")
    im.add_argument("--codebook", default=None, help="codebook TOML (default: data/codebook.toml)")
    im.add_argument("--conflicts", default=None, help="conflicts file (default: <into folder>/conflicts/<into stem>.conflicts.csv)")
    im.add_argument("--dry-run", action="store_true", help="show what would happen; write nothing")

    au = add(lsub, "audit", "find likely label errors", """
        Cross-validate the model on the label files (folds grouped by article) and list the label
        decisions its out-of-fold predictions confidently contradict: given 1 but p below 1 -
        --confidence, or given 0 but p above --confidence, largest disagreement first. Columns: file,
        line, text, label, given, p. Review each row; fix the label file where the label is wrong.
        """, """
          framing labels audit
          framing labels audit data/labels/written-a.csv --top 20
          framing labels audit --out build/audit.csv""")
    au.add_argument("paths", nargs="*", default=[DEFAULT_LABELS], help="label files or folders (default: data/labels)")
    au.add_argument("--codebook", default=None, help="codebook TOML (default: data/codebook.toml)")
    au.add_argument("--top", type=int, default=50, help="list at most this many (default: 50)")
    au.add_argument("--confidence", type=float, default=0.9, help="how sure the model must be to flag a label (default: 0.9)")
    au.add_argument("--format", default="table", choices=["table", "csv", "json"], help="stdout format (default: table)")
    au.add_argument("--out", default=None, help="write the list as CSV to this file instead of stdout")
    au.add_argument("--overwrite", action="store_true", help="replace an existing --out file")
    au.add_argument("--cv", type=int, default=5, help="cross-validation folds (default: 5)")
    au.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")


def run(args) -> int:
    """Run a top-level loop command (``args.command``); returns the exit code."""
    if args.command == "suggest":
        return _suggest(args)
    if args.command == "label":
        return _label(args)
    raise UsageError(f"unknown command {args.command!r}; see `framing --help`")


def run_labels(args) -> int:
    """Run ``framing labels export|import|audit`` (``args.labels_command``); returns the exit code."""
    cmd = {"export": _export, "import": _import, "audit": _audit}.get(args.labels_command)
    if cmd is None:
        raise UsageError(f"unknown subcommand {args.labels_command!r}; see `framing labels --help`")
    return cmd(args)


def _err(msg: str) -> None:
    print(msg, file=sys.stderr)


# ------------------------------------------------------------------------------------------ suggest

def _suggest(a) -> int:
    from .active import suggest, write_suggestions

    if a.n < 1:
        raise UsageError("--n must be at least 1")
    if not 0 <= a.diverse <= 1:
        raise UsageError("--diverse must be between 0 and 1")
    if not 0 < a.max_similarity <= 1:
        raise UsageError("--max-similarity must be between 0 and 1")
    if a.out != "-" and Path(a.out).exists() and not a.overwrite:
        raise OutputError(f"{a.out}: already exists (it may hold labels); choose another --out or pass --overwrite")
    if a.out != "-" and Path(a.labels).is_dir() and Path(a.out).resolve().parent == Path(a.labels).resolve():
        raise OutputError(f"{a.out}: is inside the label folder {a.labels}, where unreviewed suggestions would be read as labels; "
                          "write it elsewhere (e.g. --out to-label/batch.csv) and add the reviewed rows with `framing labels import`")
    df = suggest(a.scored_dir, n=a.n, seed=a.seed, labels=[a.labels], diverse_share=a.diverse, max_similarity=a.max_similarity)
    if df.empty:
        raise OutputError(f"{a.scored_dir}: no sentence left to suggest (all are boilerplate, very short, or already labelled)")
    write_suggestions(df, a.out, overwrite=a.overwrite)
    notes = df["note"].astype(str)
    unc = Counter(n.split()[1] for n in notes if n.startswith("uncertain "))
    n_div = int(notes.str.startswith("diverse").sum())
    per = ", ".join(f"{k} {v}" for k, v in unc.items())
    short = f" (only {len(df)} distinct candidates)" if len(df) < a.n else ""
    _err(f"picked {len(df)} sentences{short}: {sum(unc.values())} uncertain ({per}), {n_div} diverse; "
         f"from {df['source'].nunique()} source(s), {df['article_id'].nunique()} article(s)")
    if a.out != "-":
        _err(f"wrote {a.out}; next: framing label {a.out}")
    return 0


# ------------------------------------------------------------------------------------------ label

def _label(a) -> int:
    from .codebook import load_codebook
    from .labelui import label_file, reviewed_rows

    codebook = load_codebook(a.codebook)
    summary = label_file(a.file, codebook, labeller=a.labeller, scored=a.scored, store=[a.labels])
    left = summary.total - summary.reviewed
    if summary.recovered:
        _err(f"recovered {summary.recovered} answer(s) saved by an interrupted session")
    _err(f"{summary.answered} answer(s) saved to {a.file} this session; {summary.reviewed}/{summary.total} rows reviewed")
    if left:
        _err(f"{left} row(s) left: run `framing label {a.file}` again to continue")
    if a.into:
        from .labelstore import as_editor_rows, merge_labels

        rows = reviewed_rows(a.file)
        res = merge_labels(as_editor_rows(rows, names=codebook.names), a.into, codebook, store=[a.labels])
        _err(res.summary())
    elif summary.reviewed:
        _err(f"to add the reviewed rows to the labels: framing labels import {a.file}")
    return 0


# ------------------------------------------------------------------------------------------ labels export / import / audit

def _export(a) -> int:
    from .codebook import load_codebook
    from .labelstudio import export_tasks, write_export

    codebook = load_codebook(a.codebook)
    if a.out != "-":
        from .labelstudio import config_path_for

        for t in [Path(a.out), Path(a.config) if a.config else config_path_for(a.out)]:
            if t.exists() and not a.overwrite:
                raise OutputError(f"{t}: already exists; choose another OUT or pass --overwrite")
    bundle = None
    if a.model:
        from .registry import load_bundle

        bundle = load_bundle(a.model, trust=a.trust_model)
    tasks = export_tasks(codebook, from_file=a.from_file, labels_dir=a.labels, model=bundle)
    res = write_export(tasks, codebook, a.out, config=a.config, overwrite=a.overwrite)
    where = "stdout" if a.out == "-" else a.out
    cfg = f" and the labelling config to {res.config}" if res.config else " (no labelling config written: pass --config PATH)"
    _err(f"wrote {res.tasks} task(s) to {where}{cfg}; in Label Studio: create a project, paste the config in "
         "Settings > Labeling Interface > Code, then Import the tasks file")
    return 0


def _import(a) -> int:
    from .codebook import load_codebook
    from .labelstore import merge_labels
    from .labelstudio import read_import

    codebook = load_codebook(a.codebook)
    rows, skipped = read_import(a.export, codebook, labeller=a.labeller)
    res = merge_labels(rows, a.into, codebook, store=[a.labels], conflicts_path=a.conflicts, dry_run=a.dry_run)
    res.skipped.update(skipped)
    _err(f"read {len(rows)} annotated row(s) from {a.export}")
    _err(res.summary())
    return 0


def _fmt_table(df, width: int = 70) -> str:
    if df.empty:
        return ""
    cells = df.copy()
    if "p" in cells.columns:
        cells["p"] = [f"{v:.3f}" for v in cells["p"]]
    cells = cells.astype(str)
    cells["text"] = [t if len(t) <= width else t[: width - 1] + "…" for t in cells["text"]]
    cols = list(cells.columns)
    w = {c: max(len(c), cells[c].str.len().max()) for c in cols}
    right = {"line", "given", "p"}
    fmt = lambda c, v: v.rjust(w[c]) if c in right else v.ljust(w[c])
    lines = ["  ".join(fmt(c, c) for c in cols).rstrip()]
    lines += ["  ".join(fmt(c, r[c]) for c in cols).rstrip() for _, r in cells.iterrows()]
    return "\n".join(lines)


def _audit(a) -> int:
    from .active import audit_labels
    from .io import atomic_path

    if a.top < 1:
        raise UsageError("--top must be at least 1")
    if a.out and Path(a.out).exists() and not a.overwrite:
        raise OutputError(f"{a.out}: already exists; choose another --out or pass --overwrite")
    table, total = audit_labels(a.paths, a.codebook, top=a.top, confidence=a.confidence, seed=a.seed, cv=a.cv)
    _err(f"{total} label decision(s) confidently contradicted by cross-validated predictions "
         f"(|p - given| >= {a.confidence}); showing {len(table)}")
    if a.out:
        with atomic_path(a.out) as tmp:
            table.to_csv(tmp, index=False, lineterminator="\n")
        _err(f"wrote {a.out}")
    elif a.format == "csv":
        sys.stdout.write(table.to_csv(index=False, lineterminator="\n"))
    elif a.format == "json":
        print(json.dumps(table.to_dict("records"), indent=2, ensure_ascii=False))
    elif len(table):
        print(_fmt_table(table))
    return 0
