"""`quotes`: find quotations in news articles, attribute them, and track their wording drift.

The public API in one import:

    >>> import tempfile
    >>> from quotes import Tracker
    >>> with Tracker.open(tempfile.mkdtemp()) as tracker:
    ...     report = tracker.ingest(["seeds/"], progress=False)
    ...     hits = tracker.who_said("all forms of hegemonism")
    >>> report.added, sorted(set(hits["speaker"]))[:1]
    (5, ['Wang Yi'])

:class:`Tracker` and :class:`IngestReport` are imported on first use, so ``import quotes`` stays
light (no Polars, no Stanza) for scripts that only need the records.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from quotes.errors import InputError, ModelError, QuotesError, StoreError
from quotes.records import ParsedDoc, Quote, Sentence, Token
from quotes.sources import Article, article_from_text, read_sources

if TYPE_CHECKING:
    from quotes.api import IngestReport, Tracker

__all__ = [
    "Article",
    "IngestReport",
    "InputError",
    "ModelError",
    "ParsedDoc",
    "Quote",
    "QuotesError",
    "Sentence",
    "StoreError",
    "Token",
    "Tracker",
    "article_from_text",
    "read_sources",
]

_LAZY = {"Tracker": "quotes.api", "IngestReport": "quotes.api"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'quotes' has no attribute {name!r}")
