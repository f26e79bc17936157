"""framing: show how news outlets frame a story, sentence by sentence and source by source."""

__version__ = "0.1.0"
