"""Imported once by the local pool's fork server, before it forks the scoring workers.

The heavy imports (nltk, scikit-learn, pandas) and the compiled cue matcher (about a second to build)
are then made once per run, not once per worker: each worker inherits them from the fork server.
"""

from . import score  # noqa: F401  (imports the segmenter, the model and their dependencies)
from .cues import get_matcher

get_matcher()
