"""The exceptions of `quotes`, in one place.

Every error that reaches a user derives from :class:`QuotesError` and carries a message that says
what went wrong and, where it can, what to do next; the CLI prints it on one line without a
traceback.

Example:
    >>> str(InputError("a.txt", "file is empty"))
    'a.txt: file is empty'
"""

from __future__ import annotations


class QuotesError(Exception):
    """Base class for every error `quotes` reports to its user."""


class ModelError(QuotesError):
    """The NLP models cannot be found, downloaded or loaded."""


class InputError(QuotesError):
    """One input file (or upload, or JSON line) cannot be used; names the file and the problem."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


class StoreError(QuotesError):
    """The corpus store cannot be opened, read or written."""
