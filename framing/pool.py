"""The local engine's process context, kept free of heavy imports so the command line can start the
fork server first thing: its imports (scikit-learn, nltk, pandas) and cue matcher (see ``_preload``)
then load while the parent process imports its own modules and hashes the inputs, instead of after.

The pool's processes also die with the run. A worker holds both ends of its task queue and the fork
server's liveness pipe, so when the parent process is killed (kill -9, or SIGTERM, whose default action
skips all clean-up) neither the fork server nor the workers ever see it close: without help they would
wait forever, each holding its share of memory. On Linux each of them asks the kernel for SIGTERM when
its own parent dies (``PR_SET_PDEATHSIG``): the fork server when the run's process dies, each worker
when the fork server does. (The kernel ties the request to the thread that started the fork server: a
program that scores from a thread that then exits loses that fork server, and multiprocessing starts a
new one for the next run.)
"""

from __future__ import annotations

import multiprocessing as mp
import os
import sys

# the pid of the process that starts the fork server, for the fork server to check its parent against
_PARENT_ENV = "FRAMING_POOL_PARENT"


def pool_context():
    """The multiprocessing context of the local worker pool: a fork server that has preloaded framing
    (spawn on macOS, where forking a process with threads is unsafe)."""
    if sys.platform == "darwin":
        return mp.get_context("spawn")
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["framing._preload"])
    os.environ[_PARENT_ENV] = str(os.getpid())  # read by the fork server (_preload), which inherits it
    return ctx


def start_early(workers: int | None) -> None:
    """Start the fork server now if the run will use a local pool (more than one worker)."""
    if (workers or os.cpu_count() or 1) <= 1 or sys.platform == "darwin":
        return
    pool_context()
    from multiprocessing import forkserver

    forkserver.ensure_running()


def die_with_parent(parent: int | None) -> bool:
    """Ask the kernel (Linux) to send this process SIGTERM when its parent process dies; if the parent is
    already gone (it is no longer ``parent``), terminate now. Returns False where this is unavailable."""
    if not sys.platform.startswith("linux") or parent is None:
        return False
    import signal

    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(1, int(signal.SIGTERM), 0, 0, 0) != 0:  # 1 = PR_SET_PDEATHSIG
            return False
    except (OSError, AttributeError):
        return False
    if os.getppid() != parent:  # it died before the request: the signal will never come
        os.kill(os.getpid(), signal.SIGTERM)
    return True


def fork_server_init() -> None:
    """Run in the fork server (from ``_preload``): die with the process that started it."""
    parent = os.environ.get(_PARENT_ENV)
    die_with_parent(int(parent) if parent and parent.isdigit() else None)


def worker_init() -> None:
    """The pool's ``initializer``, run in each worker as it starts: die with the fork server it was forked
    from (whose pid ``_preload`` recorded; under spawn there is none, and nothing to do)."""
    preload = sys.modules.get("framing._preload")
    die_with_parent(getattr(preload, "SERVER_PID", None))
