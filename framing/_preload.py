"""Imported once by the local pool's fork server, before it forks the scoring workers.

The heavy imports (nltk, scikit-learn, pandas) and the compiled cue matcher (about a second to build)
are then made once per run, not once per worker: each worker inherits them from the fork server.
"""

import gc

import pyarrow.parquet  # noqa: F401  (what pandas' to_parquet imports on a worker's first part file)

from . import model, score  # noqa: F401  (the segmenter, the model's class and their dependencies)
from .cues import get_matcher

# score does not import model (the command line starts without scikit-learn): without the import above,
# each worker imported scikit-learn and framing.model when it unpickled the model, about 1.5 s of CPU
# per worker at the start of every run (a fifth of the samples of a 100,000-sentence run)

get_matcher()
# Everything built so far lives as long as the workers: moved out of the collector's reach, full
# collections in the workers no longer walk the ~140,000 objects of the imports (about 5% of scoring
# time), and the pages they sit on stay shared with the fork server instead of being copied on write.
gc.freeze()
