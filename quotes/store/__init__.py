"""The corpus store: one SQLite file that keeps articles, quotes, speakers and clusters safe.

Layout: ``<store>/quotes.sqlite`` (default store ``data/quotes/``, or ``$QUOTES_STORE``). Three
parts, one module each:

- :mod:`quotes.store.database`: the file, its schema and transactions (:class:`Store`);
- :mod:`quotes.store.ingest`: which articles to parse and write, in atomic batches
  (:func:`ingest_articles`, :func:`extract_chunk`);
- :mod:`quotes.store.links`: what is derived from the quotes (merged speakers, clusters, drift),
  computed inside each batch's transaction, in full or for the batch only
  (:mod:`quotes.store.clustering`: the key index; :mod:`quotes.store.versions`: reference and
  drift rows; :mod:`quotes.store.entities`: speakers);
- :mod:`quotes.store.corrections` and :mod:`quotes.store.edits`: corrections that stick;
- :mod:`quotes.store.schema`: the tables and the migration of older stores.

Example:
    >>> with Store.open(store_path) as store:           # the five seed articles
    ...     counts = store.counts()
    >>> counts["articles"], counts["quotes"] > 0
    (5, True)
"""

from __future__ import annotations

from quotes.store.database import (
    BUSY_TIMEOUT_MS,
    DB_NAME,
    DEFAULT_BATCH_SIZE,
    DEFAULT_STORE,
    QUOTE_COLUMNS,
    SCHEMA_VERSION,
    STORE_ENV,
    BatchResult,
    Store,
    quote_from_dict,
    quote_id,
    resolve_store_path,
)
from quotes.store.entities import NameCount, SpeakerEntity, merge_names
from quotes.store.ingest import ExtractFunction, IngestReport, extract_chunk, ingest_articles
from quotes.store.links import recompute_links, update_links

__all__ = [
    "BUSY_TIMEOUT_MS",
    "DB_NAME",
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_STORE",
    "QUOTE_COLUMNS",
    "SCHEMA_VERSION",
    "STORE_ENV",
    "BatchResult",
    "ExtractFunction",
    "IngestReport",
    "NameCount",
    "SpeakerEntity",
    "Store",
    "extract_chunk",
    "ingest_articles",
    "merge_names",
    "quote_from_dict",
    "quote_id",
    "recompute_links",
    "resolve_store_path",
    "update_links",
]
