"""Persistence: the SQLite file, its schema, transactions, and the writing of one batch.

Why SQLite: it is in the standard library, a single file, and its transactions give what users
trust the store with. The database runs in WAL mode with ``synchronous=FULL``:

- **atomic batches**: :meth:`Store.write_batch` writes a batch of articles (their quotes, the
  parse cache, and the derived clusters and speakers of :mod:`quotes.store.links`) in ONE
  transaction, so a crash, SIGKILL or Ctrl-C in the middle leaves the store exactly as it was
  before that batch;
- **readers never block and never see half a batch**: every query of :class:`Store` runs in one
  read transaction (a snapshot), and WAL lets the app read while an ingest writes;
- **concurrent writers wait** (``busy_timeout``) instead of failing.

Tables (schema version :data:`SCHEMA_VERSION`, recorded in ``meta``): ``articles``,
``quotes`` (the extracted :class:`~quotes.records.Quote` fields per article), ``parse_cache``
(content hash -> extracted quotes), ``links`` (per quote: cluster id, reference flag, drift
against the cluster's reference, merged speaker), ``speakers`` (merged speaker entities),
``batches`` (one row per committed batch, for audits and tests).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from quotes.errors import StoreError
from quotes.records import Quote
from quotes.sources import Article
from quotes.store.links import recompute_links

SCHEMA_VERSION = 1
DB_NAME = "quotes.sqlite"
DEFAULT_STORE = Path("data") / "quotes"
STORE_ENV = "QUOTES_STORE"
BUSY_TIMEOUT_MS = 60_000
DEFAULT_BATCH_SIZE = 32

_SCHEMA = """
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
"""

QUOTE_COLUMNS = (
    "quote_id",
    "article",
    "kind",
    "text",
    "start",
    "end",
    "spans",
    "cue",
    "cue_start",
    "cue_end",
    "speaker",
    "speaker_mention",
    "speaker_start",
    "speaker_end",
    "speaker_type",
    "role",
    "outlet",
    "outlet_start",
    "outlet_end",
    "sentence_index",
    "issues",
)


def resolve_store_path(path: str | Path | None = None) -> Path:
    """The store directory: ``path``, else ``$QUOTES_STORE``, else ``data/quotes``.

    Example:
        >>> str(resolve_store_path("/tmp/s"))
        '/tmp/s'
    """
    chosen = path or os.environ.get(STORE_ENV) or DEFAULT_STORE
    return Path(chosen).expanduser()


def quote_id(article_id: str, content_hash: str, quote: Quote) -> str:
    """A quote's stable id: the same article text always gives its quotes the same ids.

    The article id is part of the key so that two articles with the same text (one story saved
    under two names) keep distinct quotes.

    Example:
        >>> q = Quote(doc="a", start=0, end=2, text="Hi", spans=((0, 2),), kind="direct")
        >>> quote_id("a", "f" * 64, q) == quote_id("a", "f" * 64, q)
        True
    """
    key = f"{article_id}\x1f{content_hash}\x1f{quote.start}\x1f{quote.end}\x1f{quote.kind}"
    return "q-" + hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()


def quote_from_dict(data: dict[str, Any]) -> Quote:
    """The inverse of :meth:`Quote.to_dict`.

    Example:
        >>> q = Quote(doc="a", start=0, end=2, text="Hi", spans=((0, 2),), kind="direct")
        >>> quote_from_dict(q.to_dict()) == q
        True
    """
    known = {f.name for f in dataclasses.fields(Quote)}
    values = {key: value for key, value in data.items() if key in known}
    values["spans"] = tuple((int(s), int(e)) for s, e in values.get("spans") or ())
    values["issues"] = tuple(values.get("issues") or ())
    values["rules"] = tuple(values.get("rules") or ())
    return Quote(**values)


def _now() -> str:
    # Milliseconds: what Excel keeps, so an xlsx export reads back equal.
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True, slots=True)
class BatchResult:
    """What one committed batch changed.

    Example:
        >>> BatchResult(batch=1, added=2, replaced=0, unchanged=1, quotes_added=7).added
        2
    """

    batch: int
    added: int
    replaced: int
    unchanged: int
    quotes_added: int


class Store:
    """An open store. Use :meth:`open`; close it (or use ``with``) when done.

    Example:
        >>> with Store.open("/tmp/example-store") as store:      # doctest: +SKIP
        ...     store.counts()["articles"]
        0
    """

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._db = connection

    @classmethod
    def open(cls, path: str | Path | None = None) -> Store:
        """Open (creating if needed) the store at ``path`` (see :func:`resolve_store_path`)."""
        directory = resolve_store_path(path)
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot create the store directory {directory} ({exc.strerror or exc})"
            ) from None
        database = directory / DB_NAME
        try:
            connection = sqlite3.connect(
                database, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None
            )
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = FULL")
            connection.execute("PRAGMA foreign_keys = ON")
            store = cls(directory, connection)
            store._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"{database} is not a usable quotes store ({exc}); move it away or pass "
                "another --store"
            ) from None
        return store

    def close(self) -> None:
        """Close the database connection."""
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self) -> None:
        # A store already at this schema needs no write: opening it must not queue for the write
        # lock behind an ingest that commits batch after batch (a reader would wait for it).
        if self._schema_version() == SCHEMA_VERSION:
            return
        with self.write() as db:
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if row is None:
                db.execute(
                    "INSERT INTO meta(key, value) VALUES ('schema_version', ?)",
                    (str(SCHEMA_VERSION),),
                )
            elif int(row[0]) > SCHEMA_VERSION:
                raise StoreError(
                    f"the store at {self.path} was written by a newer quotes (schema "
                    f"{row[0]}, this one reads {SCHEMA_VERSION}); upgrade quotes"
                )

    def _schema_version(self) -> int | None:
        try:
            with self.read() as db:
                row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        except sqlite3.OperationalError:
            return None  # no tables yet: a new store
        return int(row[0]) if row else None

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed on success, rolled back on any exception.

        ``BEGIN IMMEDIATE`` takes the write lock up front, so two writers queue (busy_timeout)
        instead of failing half-way.
        """
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"the store at {self.path} is busy or locked ({exc})") from None
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        else:
            self._db.execute("COMMIT")

    @contextlib.contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """One read transaction: every query inside sees the same committed state."""
        self._db.execute("BEGIN")
        try:
            yield self._db
        finally:
            self._db.execute("COMMIT")

    # --- reading -----------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Number of articles, quotes, clusters and committed batches.

        Example:
            >>> Store.open("/tmp/example-store").counts()["quotes"]     # doctest: +SKIP
            0
        """
        with self.read() as db:
            return {
                "articles": db.execute("SELECT count(*) FROM articles").fetchone()[0],
                "quotes": db.execute("SELECT count(*) FROM quotes").fetchone()[0],
                "clusters": db.execute("SELECT count(DISTINCT cluster_id) FROM links").fetchone()[
                    0
                ],
                "batches": db.execute("SELECT count(*) FROM batches").fetchone()[0],
            }

    def stored_hashes(self) -> dict[str, str]:
        """Article id -> content hash of every stored article."""
        with self.read() as db:
            return dict(db.execute("SELECT id, content_hash FROM articles").fetchall())

    def cached_quotes(self, hashes: Sequence[str]) -> dict[str, list[Quote]]:
        """The cached extraction of each content hash that has one (``doc`` is the hash)."""
        found: dict[str, list[Quote]] = {}
        with self.read() as db:
            for start in range(0, len(hashes), 500):
                chunk = list(hashes[start : start + 500])
                marks = ",".join("?" * len(chunk))
                for content_hash, payload in db.execute(
                    f"SELECT content_hash, quotes_json FROM parse_cache "
                    f"WHERE content_hash IN ({marks})",
                    chunk,
                ):
                    found[content_hash] = [
                        quote_from_dict({**d, "doc": content_hash}) for d in json.loads(payload)
                    ]
        return found

    def query(self, sql: str, parameters: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        """Rows of one SELECT, in one snapshot."""
        with self.read() as db:
            return db.execute(sql, parameters).fetchall()

    def queries(self, *statements: tuple[str, Sequence[object]]) -> list[list[tuple[Any, ...]]]:
        """Rows of several SELECTs, all from the same snapshot."""
        with self.read() as db:
            return [db.execute(sql, parameters).fetchall() for sql, parameters in statements]

    # --- writing -----------------------------------------------------------------------------

    def write_batch(
        self,
        articles: Sequence[Article],
        extracted: dict[str, list[Quote]],
        *,
        fresh_hashes: set[str] | frozenset[str] = frozenset(),
    ) -> BatchResult:
        """Write a batch of articles and their quotes, then recompute clusters and speakers.

        ``extracted`` maps content hash -> quotes (``doc`` is ignored); ``fresh_hashes`` are the
        hashes parsed for this batch, stored in the parse cache. Everything happens in one
        transaction: after a crash the batch is either all there or not there at all.
        """
        added = replaced = unchanged = quotes_added = 0
        stamp = _now()
        with self.write() as db:
            batch = (db.execute("SELECT coalesce(max(batch), 0) FROM batches").fetchone()[0]) + 1
            for content_hash in sorted(fresh_hashes):
                payload = [
                    {k: v for k, v in q.to_dict().items() if k != "doc"}
                    for q in extracted.get(content_hash, [])
                ]
                db.execute(
                    "INSERT OR REPLACE INTO parse_cache(content_hash, quotes_json, created_at) "
                    "VALUES (?, ?, ?)",
                    (content_hash, json.dumps(payload, ensure_ascii=False), stamp),
                )
            written: list[str] = []
            for article in articles:
                row = db.execute(
                    "SELECT content_hash FROM articles WHERE id = ?", (article.id,)
                ).fetchone()
                if row is not None and row[0] == article.content_hash:
                    unchanged += 1
                    continue
                if row is not None:
                    replaced += 1
                    db.execute("DELETE FROM quotes WHERE article = ?", (article.id,))
                    db.execute("DELETE FROM articles WHERE id = ?", (article.id,))
                else:
                    added += 1
                db.execute(
                    "INSERT INTO articles(id, content_hash, title, url, publisher, published, "
                    "source, n_chars, ingested_at, batch, text) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        article.id,
                        article.content_hash,
                        article.title,
                        article.url,
                        article.publisher,
                        article.published.isoformat() if article.published else None,
                        article.source,
                        len(article.text),
                        stamp,
                        batch,
                        article.text,
                    ),
                )
                rows = []
                for quote in extracted.get(article.content_hash, []):
                    rows.append(_quote_row(article, quote))
                db.executemany(
                    f"INSERT OR REPLACE INTO quotes({', '.join(_quoted(QUOTE_COLUMNS))}) "
                    f"VALUES ({', '.join('?' * len(QUOTE_COLUMNS))})",
                    rows,
                )
                quotes_added += len(rows)
                written.append(article.id)
            if written:
                recompute_links(db)
            db.execute(
                "INSERT INTO batches(batch, committed_at, articles) VALUES (?, ?, ?)",
                (batch, stamp, json.dumps(written)),
            )
        return BatchResult(batch, added, replaced, unchanged, quotes_added)

    def recompute(self) -> None:
        """Recompute clusters, drift and speakers over everything stored (one transaction)."""
        with self.write() as db:
            recompute_links(db)


def _quoted(columns: Sequence[str]) -> list[str]:
    return [f'"{c}"' for c in columns]


def _quote_row(article: Article, quote: Quote) -> tuple[object, ...]:
    return (
        quote_id(article.id, article.content_hash, quote),
        article.id,
        quote.kind,
        quote.text,
        quote.start,
        quote.end,
        json.dumps([[s, e] for s, e in quote.spans]),
        quote.cue,
        quote.cue_start,
        quote.cue_end,
        quote.speaker,
        quote.speaker_mention,
        quote.speaker_start,
        quote.speaker_end,
        quote.speaker_type,
        quote.role,
        quote.outlet,
        quote.outlet_start,
        quote.outlet_end,
        quote.sentence_index,
        json.dumps(list(quote.issues), ensure_ascii=False),
    )
