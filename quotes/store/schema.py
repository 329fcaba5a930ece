"""The store's tables, and the migration of a store written by an older version.

Schema version :data:`SCHEMA_VERSION` (recorded in ``meta``). Version 2 added the quotes'
``speaker_resolved``, ``confidence``, ``rules`` and ingest order (``seq``); the articles'
normalised text hash (duplicates) and extraction engine version; the links' reference reason and
drift details; the per-name speaker counts, the blocking-key index and the corrections. A
version 1 store is migrated when opened: columns are added, nothing stored is lost, and the
derived tables are computed again.

Example:
    >>> import sqlite3
    >>> db = sqlite3.connect(":memory:")
    >>> create_tables(db)
    >>> missing_columns(db)
    []
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

SCHEMA_VERSION = 2

_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL,
    title TEXT, url TEXT, publisher TEXT, published TEXT,
    source TEXT, n_chars INTEGER NOT NULL, ingested_at TEXT NOT NULL,
    batch INTEGER NOT NULL, text TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS parse_cache (
    content_hash TEXT PRIMARY KEY,
    quotes_json TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS quotes (
    quote_id TEXT PRIMARY KEY,
    article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    kind TEXT NOT NULL, text TEXT NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, spans TEXT NOT NULL,
    cue TEXT, cue_start INTEGER, cue_end INTEGER,
    speaker TEXT, speaker_mention TEXT, speaker_start INTEGER, speaker_end INTEGER,
    speaker_type TEXT NOT NULL, role TEXT,
    outlet TEXT, outlet_start INTEGER, outlet_end INTEGER,
    sentence_index INTEGER, issues TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS quotes_article ON quotes(article);
CREATE TABLE IF NOT EXISTS links (
    quote_id TEXT PRIMARY KEY REFERENCES quotes(quote_id) ON DELETE CASCADE,
    cluster_id TEXT NOT NULL,
    is_reference INTEGER NOT NULL,
    drift REAL NOT NULL,
    speaker TEXT
);
CREATE INDEX IF NOT EXISTS links_cluster ON links(cluster_id);
CREATE TABLE IF NOT EXISTS speakers (
    speaker TEXT PRIMARY KEY,
    speaker_type TEXT NOT NULL,
    variants TEXT NOT NULL,
    roles TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS batches (
    batch INTEGER PRIMARY KEY,
    committed_at TEXT NOT NULL,
    articles TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS speaker_names (
    name TEXT NOT NULL, speaker_type TEXT NOT NULL, role TEXT NOT NULL,
    n_quotes INTEGER NOT NULL,
    PRIMARY KEY (name, speaker_type, role)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS block_keys (
    key INTEGER NOT NULL, qnum INTEGER NOT NULL, PRIMARY KEY (key, qnum)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS corrections (
    correction_id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    author TEXT,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    value TEXT,
    article TEXT, start INTEGER, "end" INTEGER, quote_text TEXT,
    detail TEXT NOT NULL DEFAULT '{}',
    undone_at TEXT
);
"""

ADDED_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("articles", "text_hash", "TEXT"),
    ("articles", "engine_version", "TEXT"),
    ("parse_cache", "engine_version", "TEXT"),
    ("quotes", "speaker_resolved", "INTEGER NOT NULL DEFAULT 0"),
    ("quotes", "confidence", "REAL NOT NULL DEFAULT 0"),
    ("quotes", "rules", "TEXT NOT NULL DEFAULT '[]'"),
    ("quotes", "seq", "INTEGER NOT NULL DEFAULT 0"),
    ("links", "reference_reason", "TEXT"),
    ("links", "dropped", "INTEGER NOT NULL DEFAULT 0"),
    ("links", "added", "INTEGER NOT NULL DEFAULT 0"),
    ("links", "substituted", "INTEGER NOT NULL DEFAULT 0"),
    ("links", "trimmed", "INTEGER NOT NULL DEFAULT 0"),
    ("links", "extra", "INTEGER NOT NULL DEFAULT 0"),
    ("links", "quoted_words_changed", "INTEGER NOT NULL DEFAULT 0"),
)
"""Columns added since version 1: (table, column, declaration). A new store gets them at once;
an old one gets them by ``ALTER TABLE ... ADD COLUMN`` (its rows keep their data)."""

_INDEXES = """
CREATE INDEX IF NOT EXISTS articles_text_hash ON articles(text_hash);
CREATE INDEX IF NOT EXISTS quotes_speaker ON quotes(speaker);
CREATE INDEX IF NOT EXISTS links_speaker ON links(speaker);
CREATE INDEX IF NOT EXISTS corrections_target ON corrections(target);
"""


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def missing_columns(db: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """The columns of :data:`ADDED_COLUMNS` that the database lacks."""
    missing = []
    for table, column, declaration in ADDED_COLUMNS:
        have = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
        if column not in have:
            missing.append((table, column, declaration))
    return missing


def create_tables(db: sqlite3.Connection) -> None:
    """Create whatever tables, columns and indexes are missing (inside the caller's
    transaction); existing rows are kept."""
    for statement in _statements(_TABLES):
        db.execute(statement)
    for table, column, declaration in missing_columns(db):
        db.execute(f'ALTER TABLE {table} ADD COLUMN "{column}" {declaration}')
    for statement in _statements(_INDEXES):
        db.execute(statement)


def fill_added_columns(db: sqlite3.Connection, text_hash: Callable[[str], str]) -> None:
    """Give rows written before version 2 what the new columns would have held: the normalised
    text hash of each article (``text_hash``: text -> hash) and an ingest order for quotes."""
    rows = db.execute("SELECT id, text FROM articles WHERE text_hash IS NULL").fetchall()
    db.executemany(
        "UPDATE articles SET text_hash = ? WHERE id = ?",
        [(text_hash(text), article) for article, text in rows],
    )
    # Rows were inserted batch after batch: their row order is the ingest order.
    db.execute("UPDATE quotes SET seq = rowid WHERE seq = 0")
