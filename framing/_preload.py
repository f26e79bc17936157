"""Imported once by the local pool's fork server, before it forks the scoring workers.

The heavy imports (nltk, scikit-learn, pandas) and the compiled cue matcher (about a second to build)
are then made once per run, not once per worker: each worker inherits them from the fork server.
"""

import gc

from . import score  # noqa: F401  (imports the segmenter, the model and their dependencies)
from .cues import get_matcher

get_matcher()
# Everything built so far lives as long as the workers: moved out of the collector's reach, full
# collections in the workers no longer walk the ~140,000 objects of the imports (about 5% of scoring
# time), and the pages they sit on stay shared with the fork server instead of being copied on write.
gc.freeze()
