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

Tables (schema version :data:`~quotes.store.schema.SCHEMA_VERSION`, recorded in ``meta``;
:mod:`quotes.store.schema` migrates older stores): ``articles`` (with the normalised text hash
that finds duplicates and the extraction engine version), ``quotes`` (the extracted
:class:`~quotes.records.Quote` fields per article, and the ingest order), ``parse_cache``
(content hash -> extracted quotes, per engine version), ``links`` (per shown quote: cluster id,
reference flag and reason, drift and its details, shown speaker), ``speakers`` (merged speaker
entities) and ``speaker_names`` (per-name counts they are merged from), ``block_keys`` (the
blocking-key index of incremental clustering), ``corrections``, ``batches`` (one row per
committed batch, for audits and tests).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from quotes.errors import StoreError
from quotes.records import Quote
from quotes.sources import Article
from quotes.store.links import recompute_links, update_links
from quotes.store.rows import StoredQuote, load_by_id
from quotes.store.schema import SCHEMA_VERSION, create_tables, fill_added_columns

DB_NAME = "quotes.sqlite"
DEFAULT_STORE = Path("data") / "quotes"
STORE_ENV = "QUOTES_STORE"
BUSY_TIMEOUT_MS = 60_000
DEFAULT_BATCH_SIZE = 32
CACHE_KIB = 65_536
"""SQLite page cache per connection: a batch's key lookups and inserts touch pages all over
the key index, which is the largest table of a big store."""

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
    "speaker_resolved",
    "confidence",
    "rules",
    "seq",
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


def text_hash(text: str) -> str:
    """The hash that finds the same article pasted twice: SHA-256 of the text with line endings
    made ``\\n`` and surrounding whitespace removed.

    Example:
        >>> text_hash("Hello.\\r\\nBye.\\n") == text_hash("  Hello.\\nBye.")
        True
    """
    normal = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def engine_version() -> str:
    """The version of the extraction engine installed here (it produced the quotes written).

    Example:
        >>> engine_version() != ""
        True
    """
    from quotes.extract import ENGINE_VERSION

    return str(ENGINE_VERSION)


@dataclass(frozen=True, slots=True)
class BatchResult:
    """What one committed batch changed.

    ``re_extracted`` counts articles stored with the same text whose quotes came from another
    extraction engine version and were replaced by the current engine's.

    Example:
        >>> BatchResult(batch=1, added=2, replaced=0, unchanged=1, quotes_added=7).added
        2
    """

    batch: int
    added: int
    replaced: int
    unchanged: int
    quotes_added: int
    re_extracted: int = 0


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """What the ingest needs to know of a stored article.

    Example:
        >>> StoredArticle("a", "f" * 64, "e" * 64, "2026.12.1").engine_version
        '2026.12.1'
    """

    id: str
    content_hash: str
    text_hash: str
    engine_version: str | None


class Store:
    """An open store. Use :meth:`open`; close it (or use ``with``) when done.

    Example:
        >>> with Store.open(store_path) as store:
        ...     store.counts()["articles"]
        5
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
            connection.execute("PRAGMA temp_store = MEMORY")
            connection.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
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
            row = None
            if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone():
                row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if row is not None and int(row[0]) > SCHEMA_VERSION:
                raise StoreError(
                    f"the store at {self.path} was written by a newer quotes (schema "
                    f"{row[0]}, this one reads {SCHEMA_VERSION}); upgrade quotes"
                )
            create_tables(db)
            fill_added_columns(db, text_hash)
            db.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)",
                (str(SCHEMA_VERSION),),
            )
            if row is not None:
                # An older store: its derived tables are computed again, with the new columns.
                recompute_links(db)

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
        """Number of articles, quotes (not those marked not quotes), clusters and committed
        batches.

        Example:
            >>> with Store.open(store_path) as store:
            ...     sorted(store.counts())
            ['articles', 'batches', 'clusters', 'quotes']
        """
        with self.read() as db:
            return {
                "articles": db.execute("SELECT count(*) FROM articles").fetchone()[0],
                "quotes": db.execute("SELECT count(*) FROM links").fetchone()[0],
                "clusters": db.execute("SELECT count(DISTINCT cluster_id) FROM links").fetchone()[
                    0
                ],
                "batches": db.execute("SELECT count(*) FROM batches").fetchone()[0],
            }

    def stored_hashes(self) -> dict[str, str]:
        """Article id -> content hash of every stored article."""
        with self.read() as db:
            return dict(db.execute("SELECT id, content_hash FROM articles").fetchall())

    def stored_articles(self) -> dict[str, StoredArticle]:
        """Article id -> what the ingest needs to know of it, for every stored article."""
        with self.read() as db:
            return {
                row[0]: StoredArticle(*row)
                for row in db.execute(
                    "SELECT id, content_hash, text_hash, engine_version FROM articles"
                )
            }

    def cached_quotes(
        self, hashes: Sequence[str], *, engine: str | None = None
    ) -> dict[str, list[Quote]]:
        """The cached extraction of each content hash that has one by the extraction engine
        ``engine`` (default: the installed one); ``doc`` is the hash."""
        engine = engine or engine_version()
        found: dict[str, list[Quote]] = {}
        with self.read() as db:
            for start in range(0, len(hashes), 500):
                chunk = list(hashes[start : start + 500])
                marks = ",".join("?" * len(chunk))
                for content_hash, payload in db.execute(
                    f"SELECT content_hash, quotes_json FROM parse_cache "
                    f"WHERE content_hash IN ({marks}) AND engine_version = ?",
                    [*chunk, engine],
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
        engine: str | None = None,
        workers: int = 1,
    ) -> BatchResult:
        """Write a batch of articles and their quotes, then update clusters and speakers.

        ``extracted`` maps content hash -> quotes (``doc`` is ignored), as extracted by the
        engine ``engine`` (default: the installed one); ``fresh_hashes`` are the hashes parsed
        for this batch, stored in the parse cache. An article stored with the same text keeps
        its quotes unless they came from another engine version. ``workers``: processes for
        the drift of a full recompute (a batch as large as the store). Everything happens in one
        transaction: after a crash the batch is either all there or not there at all.
        """
        engine = engine or engine_version()
        stamp = _now()
        with self.write() as db:
            batch = (db.execute("SELECT coalesce(max(batch), 0) FROM batches").fetchone()[0]) + 1
            write_cache(db, extracted, fresh_hashes, engine, stamp)
            written = write_articles(db, articles, extracted, ArticleStamp(batch, stamp, engine))
            if written.article_ids:
                update_links(db, written.quote_ids, written.removed, workers=workers)
            db.execute(
                "INSERT INTO batches(batch, committed_at, articles) VALUES (?, ?, ?)",
                (batch, stamp, json.dumps(written.article_ids)),
            )
        return BatchResult(
            batch,
            written.added,
            written.replaced,
            written.unchanged,
            len(written.quote_ids),
            written.re_extracted,
        )

    def recompute(self, *, progress: bool = False, workers: int = 1) -> None:
        """Recompute clusters, drift, speakers and the key index over everything stored (one
        transaction); ``workers`` > 1 aligns versions in that many processes."""
        with self.write() as db:
            recompute_links(db, progress=progress, workers=workers)


@dataclass(frozen=True, slots=True)
class ArticleStamp:
    """What every article of one batch is written with."""

    batch: int
    stamp: str
    engine: str


@dataclass(slots=True)
class WrittenArticles:
    """What :func:`write_articles` did."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    re_extracted: int = 0
    article_ids: list[str] = field(default_factory=list)
    quote_ids: list[str] = field(default_factory=list)
    removed: list[StoredQuote] = field(default_factory=list)


def write_cache(
    db: sqlite3.Connection,
    extracted: dict[str, list[Quote]],
    fresh_hashes: Iterable[str],
    engine: str,
    stamp: str,
) -> None:
    """Keep the quotes extracted from each fresh text in the parse cache."""
    for content_hash in sorted(fresh_hashes):
        payload = [
            {k: v for k, v in q.to_dict().items() if k != "doc"}
            for q in extracted.get(content_hash, [])
        ]
        db.execute(
            "INSERT OR REPLACE INTO parse_cache(content_hash, quotes_json, created_at, "
            "engine_version) VALUES (?, ?, ?, ?)",
            (content_hash, json.dumps(payload, ensure_ascii=False), stamp, engine),
        )


def write_articles(
    db: sqlite3.Connection,
    articles: Sequence[Article],
    extracted: dict[str, list[Quote]],
    stamp: ArticleStamp,
) -> WrittenArticles:
    """Insert or replace articles and their quotes (derived tables untouched)."""
    written = WrittenArticles()
    seq = db.execute("SELECT coalesce(max(seq), 0) FROM quotes").fetchone()[0]
    for article in articles:
        row = db.execute(
            "SELECT content_hash, engine_version FROM articles WHERE id = ?", (article.id,)
        ).fetchone()
        if row is not None and row[0] == article.content_hash and row[1] == stamp.engine:
            written.unchanged += 1
            continue
        if row is None:
            written.added += 1
        else:
            if row[0] == article.content_hash:
                written.re_extracted += 1
            else:
                written.replaced += 1
            _remove_article(db, article.id, written)
        _insert_article(db, article, stamp)
        rows = []
        for quote in extracted.get(article.content_hash, []):
            seq += 1
            rows.append(_quote_row(article, quote, seq))
        db.executemany(
            f"INSERT OR REPLACE INTO quotes({', '.join(_quoted(QUOTE_COLUMNS))}) "
            f"VALUES ({', '.join('?' * len(QUOTE_COLUMNS))})",
            rows,
        )
        written.quote_ids.extend(dict.fromkeys(str(r[0]) for r in rows))
        written.article_ids.append(article.id)
    return written


def _remove_article(db: sqlite3.Connection, article: str, written: WrittenArticles) -> None:
    ids = [r[0] for r in db.execute("SELECT quote_id FROM quotes WHERE article = ?", (article,))]
    written.removed.extend(load_by_id(db, ids).values())
    db.execute("DELETE FROM quotes WHERE article = ?", (article,))
    db.execute("DELETE FROM articles WHERE id = ?", (article,))


def _insert_article(db: sqlite3.Connection, article: Article, stamp: ArticleStamp) -> None:
    db.execute(
        "INSERT INTO articles(id, content_hash, title, url, publisher, published, source, "
        "n_chars, ingested_at, batch, text, text_hash, engine_version) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            article.id,
            article.content_hash,
            article.title,
            article.url,
            article.publisher,
            article.published.isoformat() if article.published else None,
            article.source,
            len(article.text),
            stamp.stamp,
            stamp.batch,
            article.text,
            text_hash(article.text),
            stamp.engine,
        ),
    )


def _quoted(columns: Sequence[str]) -> list[str]:
    return [f'"{c}"' for c in columns]


def _quote_row(article: Article, quote: Quote, seq: int) -> tuple[object, ...]:
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
        int(quote.speaker_resolved),
        float(quote.confidence),
        json.dumps(list(quote.rules), ensure_ascii=False),
        seq,
    )
