"""Imported once by the local pool's fork server, before it forks the scoring workers.

The heavy imports (nltk, pandas, pyarrow) and the compiled cue matcher (about a second to build)
are then made once per run, not once per worker: each worker inherits them from the fork server.
"""

import gc
import importlib.metadata  # noqa: F401  (the light load's scikit-learn version check)
import os

import joblib.numpy_pickle  # noqa: F401  (the light load's unpickler)
import pyarrow.ipc  # (a worker's part files with the default layout)
import pyarrow.parquet  # noqa: F401  (what pandas' to_parquet imports on a worker's first part file with --layout parts)

from . import model, score  # noqa: F401  (the segmenter, the model's code and their dependencies)
from .cues import get_matcher
from .pool import fork_server_init

# this process (the fork server) dies with the run's process, and its workers with it (see framing.pool)
SERVER_PID = os.getpid()
fork_server_init()

# No scikit-learn: workers unpickle the model with registry.load_bundle(light=True), which needs none
# (framing.model imports it only to fit). Importing it here cost the fork server about 1.4 s before the
# first worker could start (scikit-learn imports scipy.stats); a model that needs it (character n-grams)
# is loaded normally, and then each worker imports it once.

get_matcher()
# Everything built so far lives as long as the workers: moved out of the collector's reach, full
# collections in the workers no longer walk the ~140,000 objects of the imports (about 5% of scoring
# time), and the pages they sit on stay shared with the fork server instead of being copied on write.
gc.freeze()
