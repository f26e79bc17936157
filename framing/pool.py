"""The local engine's process context, kept free of heavy imports so the command line can start the
fork server first thing: its imports (scikit-learn, nltk, pandas) and cue matcher (see ``_preload``)
then load while the parent process imports its own modules and hashes the inputs, instead of after."""

from __future__ import annotations

import multiprocessing as mp
import sys


def pool_context():
    """The multiprocessing context of the local worker pool: a fork server that has preloaded framing
    (spawn on macOS, where forking a process with threads is unsafe)."""
    if sys.platform == "darwin":
        return mp.get_context("spawn")
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["framing._preload"])
    return ctx


def start_early(workers: int | None) -> None:
    """Start the fork server now if the run will use a local pool (more than one worker)."""
    import os

    if (workers or os.cpu_count() or 1) <= 1 or sys.platform == "darwin":
        return
    pool_context()
    from multiprocessing import forkserver

    forkserver.ensure_running()
