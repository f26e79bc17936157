"""Exception types. Each carries a message a user can act on (what is wrong, where, how to fix it)."""

from __future__ import annotations


class FramingError(Exception):
    """Base class: a problem with the user's data, model or environment (exit code 1)."""

    exit_code = 1


class InputError(FramingError):
    """An input file or record cannot be read, decoded or parsed."""


class CodebookError(FramingError):
    """The codebook is missing or invalid."""


class LabelError(FramingError):
    """A label file is missing columns or holds labels that the codebook does not define."""


class ModelError(FramingError):
    """A model folder is missing, unreadable, tampered with, or incompatible."""


class OutputError(FramingError):
    """An output folder cannot be written, or would overwrite something the user gave."""


class UsageError(FramingError):
    """The command was called wrongly (exit code 2)."""

    exit_code = 2
