"""Command line: parse arguments, call one use case, print results, map errors to exit codes.

Exit codes: 0 success; 1 a data, model or output error (one ``Error: ...`` line saying what to fix);
2 a usage error; 3 ``score`` finished but some records failed (listed in ``errors.jsonl``);
130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
import warnings
from pathlib import Path

from . import __version__
from .errors import FramingError, UsageError

EXIT_PARTIAL = 3
TRUST_HELP = ("load a model this machine did not save, or whose file hash does not match its manifest, and remember "
              "its hash as trusted: loading runs code from the file, so only for a model from a source you trust")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2
        raise UsageError(f"{message}; see `{self.prog} --help`")


def _fmt(text: str) -> str:
    return textwrap.dedent(text).strip("\n")


def _add(sub, name: str, help_: str, description: str, epilog: str) -> argparse.ArgumentParser:
    return sub.add_parser(name, help=help_, description=_fmt(description), epilog="examples:\n" + _fmt(epilog),
                          formatter_class=argparse.RawDescriptionHelpFormatter)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="framing",
        description="Show how news outlets frame a story: sentence-level framing labels "
                    "(state-media sourcing, loaded language, hedging, ...), per-article and per-source profiles, an editor report.",
        epilog="examples:\n"
               "  framing score data/corpus/seed-articles.jsonl --out build/seed\n"
               "  framing report build/seed --out reports/seed-articles\n"
               "  framing train data/labels --out build/model\n"
               "  framing evaluate data/labels/seed.csv --model models\n"
               "  framing labels check data/labels\n\n"
               "Run `framing COMMAND --help` for each command's options.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=f"framing {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    t = _add(sub, "train", "train a model on labelled sentences", """
        Train the classifier on label files (default: every CSV in data/labels/), report per-label
        precision, recall and F1 from cross-validation grouped by article (no article in both train and
        test folds), and save the model with its metrics. With --registry the model becomes a new
        version in a model registry (e.g. models/) and its current version.
        """, """
          framing train --out build/model
          framing train data/labels --registry models
          framing train public.csv --label-columns biased --text-column sentence --out build/babe""")
    t.add_argument("label_files", nargs="*", default=["data/labels"], help="label CSV files or folders (default: data/labels)")
    g = t.add_mutually_exclusive_group()
    g.add_argument("--out", help="folder to write the model to")
    g.add_argument("--registry", help="add the model as a new version of this registry and make it current")
    t.add_argument("--codebook", default=None, help="codebook TOML (default: data/codebook.toml)")
    t.add_argument("--label-columns", default=None, help="comma-separated 0/1 label columns instead of a 'labels' column")
    t.add_argument("--text-column", default="text", help="column holding the sentence (default: text)")
    t.add_argument("--cv", type=int, default=5, help="cross-validation folds (default: 5)")
    t.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    t.add_argument("--no-eval", action="store_true", help="skip cross-validation (faster; no metrics stored)")
    t.add_argument("--tune", action="store_true",
                   help="choose the regularisation strength C, with or without naive-Bayes scaling, by grouped "
                        "cross-validation on the training data (10 candidates), then whether character n-grams "
                        "pay at that choice (about 15x the training time); useful on a new dataset")
    t.add_argument("--char-ngrams", default=None, metavar="MIN,MAX",
                   help="add character n-grams of the author's voice, e.g. 2,5 (slower to train and score)")
    t.add_argument("--char-labels", default=None, metavar="A,B",
                   help="with --char-ngrams: only these labels learn from the character n-grams (default: all)")
    t.add_argument("--nb-scale", action="store_true",
                   help="scale each feature by its naive-Bayes log-count ratio before fitting (NBSVM; folded back "
                        "into the weights, so scoring and evidence are unchanged)")
    t.add_argument("--overwrite", action="store_true", help="replace an existing --out folder")

    s = _add(sub, "score", "score articles with a model", """
        Split articles into sentences, score every sentence for every label, and write
        OUT/sentences.parquet (one row per sentence: offsets, text, boilerplate flag, p_LABEL
        probabilities, LABEL 0/1 flags, evidence JSON), OUT/articles.parquet (one row per article:
        counts and share_LABEL), OUT/errors.jsonl (records that could not be read or scored) and
        OUT/manifest.json. Inputs: .jsonl, .csv, .tsv, .parquet files (a 'text' column; optional id,
        source, title, published, url, story), folders of .txt files, globs, or - for stdin.
        Rerunning the same command after an interruption resumes where it stopped.
        Exit code 3: finished, but some records failed (see errors.jsonl).
        """, """
          framing score data/corpus/seed-articles.jsonl --out build/seed
          framing score 'archive/2024-*.jsonl' --out build/archive --workers 2
          framing score feed.csv --out build/feed --format csv --model models/v0001
          framing score corpus/*.parquet --out s3out --engine dask --scheduler tcp://10.0.0.5:8786""")
    s.add_argument("inputs", nargs="+", help="input files, folders, globs, or - for stdin")
    s.add_argument("--out", required=True, help="output folder")
    s.add_argument("--model", default="models", help="model folder or registry (default: models)")
    s.add_argument("--format", default="parquet", choices=["parquet", "csv", "jsonl"], help="table format (default: parquet)")
    s.add_argument("--layout", default="file", choices=["file", "parts"],
                   help="file: one file per table (default); parts: each table a folder of Parquet part files, "
                        "one per batch, with no join step at the end (read with pandas.read_parquet(folder), Dask, DuckDB)")
    s.add_argument("--workers", type=int, default=None, help="worker processes (default, or 0: all cores)")
    s.add_argument("--batch-size", type=int, default=200, help="articles per batch (default: 200)")
    s.add_argument("--engine", default="local", choices=["local", "dask"], help="local processes or a Dask cluster")
    s.add_argument("--scheduler", default=None, help="Dask scheduler address, with --engine dask")
    s.add_argument("--source", default=None, help="source name for inputs that have none (default: folder name or 'unknown')")
    s.add_argument("--max-chars", type=int, default=5_000_000,
                   help="longest article accepted, in characters (default: 5,000,000); a longer one is listed in errors.jsonl, not scored")
    s.add_argument("--no-evidence", action="store_true", help="skip evidence spans (faster)")
    s.add_argument("--overwrite", action="store_true", help="discard earlier output in --out and start afresh")
    s.add_argument("--trust-model", action="store_true", help=TRUST_HELP)
    s.add_argument("--quiet", action="store_true", help="no progress output")

    r = _add(sub, "report", "write the editor report from scored output", """
        Build OUT/index.html (self-contained: opens offline) with per-source and per-article framing
        profiles, charts (also saved as PNG next to it) and every flagged sentence with its evidence,
        plus profile tables as CSV.
        """, """
          framing report build/seed --out reports/seed-articles""")
    r.add_argument("scored_dir", help="folder written by `framing score`")
    r.add_argument("--out", required=True, help="report folder")
    r.add_argument("--title", default=None, help="report title")
    r.add_argument("--max-articles", type=int, default=200, help="articles shown in full, highest flag share first (default: 200)")

    e = _add(sub, "evaluate", "measure a model on a labelled file", """
        Score labelled sentences with a model and print per-label precision, recall, F1 and support,
        and the macro-F1. --format json prints
        {"labels": {"<label>": {"precision", "recall", "f1", "support"}}, "macro_f1": ...}.
        """, """
          framing evaluate data/labels/seed.csv --model models
          framing evaluate dev.csv --model build/babe --label-columns label --text-column text --format json""")
    e.add_argument("label_file", nargs="+", help="label CSV files or folders")
    e.add_argument("--model", default="models", help="model folder or registry (default: models)")
    e.add_argument("--format", default="table", choices=["table", "json"], help="output format (default: table)")
    e.add_argument("--label-columns", default=None, help="comma-separated 0/1 label columns instead of a 'labels' column")
    e.add_argument("--text-column", default="text", help="column holding the sentence (default: text)")
    e.add_argument("--trust-model", action="store_true", help=TRUST_HELP)

    rt = _add(sub, "retrain", "retrain the bundled model behind a regression gate", """
        Train a new model version from the label files into the registry (never overwriting a version),
        compare it with the current version on the same frozen evaluation folds (per label and per
        origin), and make it current only if no label's F1 drops by more than --tolerance. Otherwise the
        new version stays in the registry, unpromoted, and a table shows what got worse (exit 1);
        --force promotes it anyway and records the override.
        """, """
          framing retrain
          framing retrain --tolerance 0.01 --note "editor corrections, March"
          framing retrain --force --note 'new label: editorializing'""")
    rt.add_argument("label_files", nargs="*", default=["data/labels"], help="label CSV files or folders (default: data/labels)")
    rt.add_argument("--registry", default="models", help="model registry folder (default: models)")
    rt.add_argument("--codebook", default=None, help="codebook TOML (default: data/codebook.toml)")
    rt.add_argument("--tolerance", type=float, default=0.02, help="largest F1 drop allowed for any label (default: 0.02)")
    rt.add_argument("--force", action="store_true", help="promote even if a label got worse (recorded)")
    rt.add_argument("--note", default="", help="a note stored with the version")
    rt.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")

    mo = _add(sub, "models", "list, inspect, promote and roll back model versions", "Manage the model registry (models/).", """
          framing models list
          framing models show v0002
          framing models promote v0001
          framing models rollback""")
    mo.add_argument("--registry", default="models", help="model registry folder (default: models)")
    msub = mo.add_subparsers(dest="models_command", metavar="SUBCOMMAND", parser_class=_Parser)
    _add(msub, "list", "list versions", "List the registry's versions; * marks the current one.", "  framing models list")
    ms = _add(msub, "show", "show one version", "Print a version's metadata (metrics, label counts, data hash, parent, gate result) as JSON.", "  framing models show v0002")
    ms.add_argument("version")
    mp = _add(msub, "promote", "make a version current", "Make VERSION the current model (recorded in the registry history).", "  framing models promote v0001")
    mp.add_argument("version")
    _add(msub, "rollback", "return to the previous current version", "Make the version that was current before the last promotion current again.", "  framing models rollback")

    lab = _add(sub, "labels", "work with label files", "Check label files against the codebook.", """
          framing labels check data/labels""")
    lsub = lab.add_subparsers(dest="labels_command", metavar="SUBCOMMAND", parser_class=_Parser)
    lc = _add(lsub, "check", "validate label files", """
        Validate label files against the codebook: missing columns, unknown labels (listing the valid
        ones), empty text, exact and near-exact duplicates, the same text with conflicting labels.
        Prints one line per problem (file:line: message) and exits 1 if there is any.
        """, """
          framing labels check
          framing labels check data/labels/seed.csv --codebook data/codebook.toml""")
    lc.add_argument("paths", nargs="*", default=["data/labels"], help="label files or folders (default: data/labels)")
    lc.add_argument("--codebook", default=None, help="codebook TOML (default: data/codebook.toml)")

    # suggest, label, labels export/import/audit: the labelling loop (framing/loopcli.py)
    try:
        from . import loopcli
    except ImportError:
        loopcli = None
    if loopcli is not None:
        loopcli.add_commands(sub, lsub, _add)

    c = _add(sub, "codebook", "show the codebook", "Print the label set, or the full codebook as Markdown.", """
          framing codebook
          framing codebook --markdown > data/CODEBOOK.md""")
    c.add_argument("--codebook", default=None, help="codebook TOML (default: data/codebook.toml)")
    c.add_argument("--markdown", action="store_true", help="print the full codebook as Markdown")
    return p


# ------------------------------------------------------------------------------------------ commands

def _cmd_train(a) -> int:
    if not a.out and not a.registry:
        raise UsageError("give --out DIR (a model folder) or --registry DIR (e.g. models); see `framing train --help`")
    if a.registry:  # refuse a second writer before spending time on training
        from .registry import registry_lock

        with registry_lock(a.registry):
            return _train(a)
    return _train(a)


def _train(a) -> int:
    from .evaluate import format_table
    from .registry import add_version, save_bundle
    from .train import fit_model, load_training_data

    cols = [c.strip() for c in a.label_columns.split(",")] if a.label_columns else None
    df, codebook = load_training_data(a.label_files, a.codebook, cols, a.text_column)
    params = None
    if a.char_ngrams:
        try:
            lo, hi = (int(x) for x in a.char_ngrams.split(","))
            if not 1 <= lo <= hi <= 8:
                raise ValueError
        except ValueError:
            raise UsageError(f"--char-ngrams {a.char_ngrams!r}: give two lengths MIN,MAX with 1 <= MIN <= MAX <= 8, e.g. 2,5")
        params = {"char_ngrams": (lo, hi)}
    if a.char_labels:
        if not a.char_ngrams:
            raise UsageError("--char-labels needs --char-ngrams MIN,MAX (e.g. --char-ngrams 2,5)")
        chosen = [c.strip() for c in a.char_labels.split(",") if c.strip()]
        unknown = [c for c in chosen if c not in codebook.names]
        if unknown:
            raise UsageError(f"--char-labels: {', '.join(unknown)} not among the labels ({', '.join(codebook.names)})")
        params["char_labels"] = tuple(chosen)
    if a.nb_scale:
        params = dict(params or {}, nb_scale=True)
    model, info = fit_model(df, codebook, params=params, random_state=a.seed, cv=a.cv, evaluate=not a.no_eval, tune=a.tune)
    if "tuning" in info:
        grid = ", ".join(f"C={r['C']:g}{' NB-scaled' if r.get('nb_scale') else ''}"
                         f"{' + char n-grams' if r.get('char_ngrams') else ''}: {r['macro_f1']:.3f}"
                         for r in info["tuning"]["grid"])
        chosen = (f"C={info['params']['C']:g}" + (" with naive-Bayes scaling" if info["params"].get("nb_scale") else "")
                  + (" with character n-grams" if info["params"].get("char_ngrams") else ""))
        print(f"tuned: macro-F1 ({grid}); chose {chosen}", file=sys.stderr)
    oof = info.pop("_oof", None)
    meta = {"codebook": codebook.to_dict(), "training_files": [str(p) for p in a.label_files], **info}
    extra = None
    if oof is not None:  # the model report goes into the bundle before it appears (atomically, together)
        from .modelreport import write_model_report

        def extra(folder: Path) -> None:
            write_model_report(folder, codebook, *oof, info)
    if a.registry:
        from .retrain import (
            write_snapshot,  # later `framing retrain` runs compare against these rows
        )

        report = extra

        def extra(folder: Path) -> None:
            write_snapshot(folder, df)
            if report is not None:
                report(folder)
        version = add_version(a.registry, model, meta, promote=True, note="framing train --registry", extra=extra)
        folder = Path(a.registry) / version
    else:
        folder = save_bundle(model, a.out, meta, overwrite=a.overwrite, extra=extra)
    print(f"trained on {info['n_sentences']:,} sentences from {info['n_articles']:,} articles in {info['fit_seconds']:.1f}s", file=sys.stderr)
    if "metrics" in info:
        print(info["metrics"]["cv"] + ":", file=sys.stderr)
        print(format_table(info["metrics"]))
    print(f"model saved to {folder}", file=sys.stderr)
    return 0


def _cmd_score(a) -> int:
    if a.engine == "local":
        from .pool import start_early

        start_early(a.workers)  # the workers' imports load while this process imports and hashes the inputs
    from .score import score_corpus

    summary = score_corpus(a.inputs, a.out, model=a.model, fmt=a.format, workers=a.workers, batch_size=a.batch_size,
                           engine=a.engine, scheduler=a.scheduler, overwrite=a.overwrite, source=a.source,
                           max_chars=a.max_chars, explain=not a.no_evidence, quiet=a.quiet, trust_model=a.trust_model,
                           layout=a.layout)
    if summary.articles == 0 and summary.errors == 0:
        raise FramingError(f"the input holds no articles ({', '.join(a.inputs)}); pass files with a 'text' field or .txt articles")
    resumed = f" ({summary.skipped_batches} batches resumed from an earlier run)" if summary.skipped_batches else ""
    msg = (f"scored {summary.articles:,} articles, {summary.sentences:,} sentences in {summary.seconds:.1f}s{resumed}; "
           f"{summary.errors:,} failed; output in {summary.out}")
    print(msg, file=sys.stderr)
    if summary.errors:
        print(f"some records failed: see {summary.out / 'errors.jsonl'}", file=sys.stderr)
        return EXIT_PARTIAL
    return 0


def _cmd_report(a) -> int:
    from .report import build_report

    path = build_report(a.scored_dir, a.out, title=a.title, max_articles=a.max_articles)
    print(f"report written to {path}", file=sys.stderr)
    return 0


def _cmd_evaluate(a) -> int:
    from .evaluate import format_table, label_metrics
    from .labels import label_matrix, read_labels
    from .registry import load_bundle

    bundle = load_bundle(a.model, trust=a.trust_model)
    codebook = bundle.codebook
    cols = [c.strip() for c in a.label_columns.split(",")] if a.label_columns else None
    if cols:
        unknown = [c for c in cols if c not in codebook.names]
        if unknown:
            raise FramingError(f"label column(s) {', '.join(unknown)} are not labels of this model ({', '.join(codebook.names)})")
    df = read_labels(a.label_file, codebook, label_columns=cols, text_column=a.text_column)
    names = cols or codebook.names
    idx = [codebook.names.index(n) for n in names]
    pred = bundle.model.predict(df["text"].astype(str).tolist())[:, idx]
    metrics = label_metrics(label_matrix(df, names), pred, names)
    if a.format == "json":
        print(json.dumps(metrics, indent=2))
    else:
        print(format_table(metrics))
    return 0


def _cmd_retrain(a) -> int:
    from .retrain import retrain

    res = retrain(a.label_files, registry=a.registry, codebook_path=a.codebook, tolerance=a.tolerance,
                  force=a.force, seed=a.seed, note=a.note)
    print(res.table())
    if res.metrics:
        print(f"new version {res.version}: grouped cross-validated macro-F1 {res.metrics['macro_f1']:.3f}", file=sys.stderr)
    if res.regressions and not res.forced:
        worse = ", ".join(f"{r['label']} {r['current_f1']:.3f} -> {r['new_f1']:.3f}" for r in res.regressions)
        raise FramingError(f"not promoted: {worse} (tolerance {a.tolerance}); {res.version} is kept unpromoted, "
                           "fix the labels or pass --force to promote it anyway")
    state = "promoted (forced over regressions)" if res.forced else "promoted"
    print(f"{res.version} {state}; it is now the current model in {a.registry}", file=sys.stderr)
    return 0


def _cmd_models(a) -> int:
    from .retrain import list_versions, promote, rollback, show_version

    if a.models_command is None:
        raise UsageError("give a subcommand: list, show, promote or rollback; see `framing models --help`")
    if a.models_command == "list":
        print(list_versions(a.registry).to_string(index=False))
    elif a.models_command == "show":
        print(json.dumps(show_version(a.registry, a.version), indent=2, default=str))
    elif a.models_command == "promote":
        print(f"{promote(a.registry, a.version)} is now the current model", file=sys.stderr)
    else:
        print(f"rolled back: {rollback(a.registry)} is now the current model", file=sys.stderr)
    return 0


def _cmd_labels(a) -> int:
    from .codebook import load_codebook
    from .labels import check_labels

    if a.labels_command is None:
        raise UsageError("give a subcommand; see `framing labels --help`")
    if a.labels_command != "check":
        from . import loopcli

        return loopcli.run_labels(a)
    codebook = load_codebook(a.codebook)
    problems = check_labels(a.paths, codebook)
    for pr in problems:
        print(pr)
    if problems:
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    print("label files are valid", file=sys.stderr)
    return 0


def _cmd_codebook(a) -> int:
    from .codebook import load_codebook

    cb = load_codebook(a.codebook)
    if a.markdown:
        sys.stdout.write(cb.to_markdown())
    else:
        for lab in cb.labels:
            print(f"{lab.name}\t{lab.display}\t{lab.definition}")
    return 0


COMMANDS = {"train": _cmd_train, "score": _cmd_score, "report": _cmd_report, "evaluate": _cmd_evaluate,
            "labels": _cmd_labels, "codebook": _cmd_codebook, "retrain": _cmd_retrain, "models": _cmd_models}


def _dispatch(args) -> int:
    if args.command in COMMANDS:
        return COMMANDS[args.command](args)
    from . import loopcli

    return loopcli.run(args)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``framing`` command; returns the exit code."""
    warnings.simplefilter("ignore", category=FutureWarning)
    # a warning reads like the errors: one line, no source line of framing's code
    warnings.formatwarning = lambda message, category, filename, lineno, line=None: f"Warning: {message}\n"
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if not args.command:
            parser.print_help(sys.stderr)
            return 2
        return _dispatch(args)
    except FramingError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("Error: interrupted; rerun the same command to resume", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # never show a traceback to a user
        if os.environ.get("FRAMING_DEBUG"):
            raise
        print(f"Error: internal error ({type(exc).__name__}: {exc}); rerun with FRAMING_DEBUG=1 and report it", file=sys.stderr)
        return 1


def run() -> None:
    sys.exit(main())
