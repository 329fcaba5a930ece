"""The corpus store: one SQLite file that keeps articles, quotes, speakers and clusters safe.

Layout: ``<store>/quotes.sqlite`` (default store ``data/quotes/``, or ``$QUOTES_STORE``).

Why SQLite: it is in the standard library, a single file, and its transactions give what users
trust the store with. The database runs in WAL mode with ``synchronous=FULL``:

- **atomic batches**: :func:`ingest_articles` writes each batch of articles (their quotes, the
  parse cache, and the recomputed clusters and speakers) in ONE transaction, so a crash, SIGKILL
  or Ctrl-C in the middle leaves the store exactly as it was before that batch; running the
  same ingest again skips what is stored and completes the rest;
- **readers never block and never see half a batch**: every query of :class:`Store` runs in one
  read transaction (a snapshot), and WAL lets the app read while an ingest writes;
- **concurrent writers wait** (``busy_timeout``) instead of failing;
- **incremental**: an article whose id is stored with the same content hash is not touched; one
  with a new text replaces its old quotes; the quotes extracted from a text are cached by its
  content hash, so a re-ingest, a renamed copy or a re-clustering never parses again.

Tables (schema version :data:`SCHEMA_VERSION`, recorded in ``meta``): ``articles``,
``quotes`` (the extracted :class:`~quotes.records.Quote` fields per article), ``parse_cache``
(content hash -> extracted quotes), ``links`` (per quote: cluster id, reference flag, drift
against the cluster's reference, merged speaker; recomputed after every batch), ``speakers``
(merged speaker entities), ``batches`` (one row per committed batch, for audits and tests).

Example:
    >>> with Store.open("/tmp/example-store") as store:        # doctest: +SKIP
    ...     store.counts()
    {'articles': 0, 'quotes': 0, 'clusters': 0, 'batches': 0}
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import sqlite3
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quotes.errors import StoreError
from quotes.records import Quote
from quotes.sources import Article

if TYPE_CHECKING:
    from quotes.nlp import NLP

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


@dataclass(frozen=True, slots=True)
class IngestReport:
    """The outcome of one ingest.

    ``added``/``replaced``/``unchanged`` count articles (new; stored before with another text;
    stored before with the same text), ``skipped`` lists ``(source, problem)`` for every input
    that could not be used, ``quotes_added`` the quotes written, ``parsed`` the texts that had to
    be parsed (the others came from the parse cache), ``seconds`` the wall time.

    Example:
        >>> IngestReport(added=1, replaced=0, unchanged=0, skipped=(), quotes_added=3).summary()
        '1 article added, 0 replaced, 0 unchanged, 0 skipped; 3 quotes added'
    """

    added: int
    replaced: int
    unchanged: int
    skipped: tuple[tuple[str, str], ...]
    quotes_added: int
    parsed: int = 0
    batches: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        """One line for people."""
        noun = "article" if self.added == 1 else "articles"
        return (
            f"{self.added} {noun} added, {self.replaced} replaced, {self.unchanged} unchanged, "
            f"{len(self.skipped)} skipped; {self.quotes_added} quotes added"
        )


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
                _recompute_links(db)
            db.execute(
                "INSERT INTO batches(batch, committed_at, articles) VALUES (?, ?, ?)",
                (batch, stamp, json.dumps(written)),
            )
        return BatchResult(batch, added, replaced, unchanged, quotes_added)

    def recompute(self) -> None:
        """Recompute clusters, drift and speakers over everything stored (one transaction)."""
        with self.write() as db:
            _recompute_links(db)


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


# --- derived tables: speakers, clusters, drift --------------------------------------------------


@dataclass(frozen=True, slots=True)
class SpeakerEntity:
    """One speaker merged across articles: the name shown, its type, name forms and roles.

    Example:
        >>> SpeakerEntity("Wang Yi", "person", ("Wang",), ()).name
        'Wang Yi'
    """

    name: str
    speaker_type: str
    variants: tuple[str, ...] = ()
    roles: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class _StoredQuote:
    quote_id: str
    article: str
    text: str
    kind: str
    speaker: str | None
    speaker_type: str
    role: str | None
    outlet: str | None
    published: date | None


def _load_stored_quotes(db: sqlite3.Connection) -> list[_StoredQuote]:
    rows = db.execute(
        "SELECT q.quote_id, q.article, q.text, q.kind, q.speaker, q.speaker_type, q.role, "
        "q.outlet, a.published FROM quotes q JOIN articles a ON a.id = q.article "
        "ORDER BY q.quote_id"
    ).fetchall()
    return [
        _StoredQuote(
            quote_id=r[0],
            article=r[1],
            text=r[2],
            kind=r[3],
            speaker=r[4],
            speaker_type=r[5],
            role=r[6],
            outlet=r[7],
            published=date.fromisoformat(r[8]) if r[8] else None,
        )
        for r in rows
    ]


def merge_speaker_names(quotes: Sequence[_StoredQuote]) -> dict[str, SpeakerEntity]:
    """Speaker name -> merged entity, over all stored quotes.

    Uses :func:`quotes.speakers.merge_speakers` (the extraction engine's cross-document merge)
    when it is installed; otherwise each canonical name is its own entity.
    """
    names: dict[str, list[_StoredQuote]] = defaultdict(list)
    for quote in quotes:
        if quote.speaker:
            names[quote.speaker].append(quote)
    merged = _external_merge(names)
    if merged is not None:
        return merged
    entities: dict[str, SpeakerEntity] = {}
    for name, said in names.items():
        types = [q.speaker_type for q in said if q.speaker_type != "unknown"]
        roles = sorted({q.role for q in said if q.role})
        entities[name] = SpeakerEntity(
            name=name,
            speaker_type=max(set(types), key=types.count) if types else "unknown",
            variants=(name,),
            roles=tuple(roles),
        )
    return entities


def _external_merge(names: dict[str, list[_StoredQuote]]) -> dict[str, SpeakerEntity] | None:
    try:
        from quotes.speakers import merge_speakers
    except ImportError:
        return None
    quotes = [
        Quote(
            doc=q.article,
            start=0,
            end=0,
            text="",
            spans=(),
            kind=q.kind,  # type: ignore[arg-type]
            speaker=q.speaker,
            speaker_type=q.speaker_type,  # type: ignore[arg-type]
            role=q.role,
        )
        for said in names.values()
        for q in said
    ]
    entities: dict[str, SpeakerEntity] = {}
    for speaker in merge_speakers(quotes):
        entity = SpeakerEntity(
            name=speaker.name,
            speaker_type=speaker.type,
            variants=tuple(speaker.variants),
            roles=tuple(speaker.roles),
        )
        for variant in speaker.variants:
            entities[variant] = entity
    return entities


def _recompute_links(db: sqlite3.Connection) -> None:
    """Rebuild ``links`` and ``speakers`` from every stored quote (inside the caller's transaction).

    Clusters come from :func:`quotes.match.cluster_quotes`; drift from
    :func:`quotes.drift.cluster_drift`, recomputed only for clusters whose members changed.
    """
    from quotes.drift import DriftVersion, cluster_drift
    from quotes.match import MatchItem, cluster_quotes

    stored = _load_stored_quotes(db)
    entities = merge_speaker_names(stored)
    by_id = {q.quote_id: q for q in stored}

    def speaker_of(quote: _StoredQuote) -> str | None:
        if not quote.speaker:
            return None
        entity = entities.get(quote.speaker)
        return entity.name if entity else quote.speaker

    items = [
        MatchItem(
            id=q.quote_id,
            text=q.text,
            speaker=speaker_of(q),
            kind=q.kind,
            doc=q.article,
            published=q.published,
        )
        for q in stored
    ]
    clusters = cluster_quotes(items)
    previous: dict[str, list[tuple[str, int, float]]] = defaultdict(list)
    for qid, cid, is_ref, drift in db.execute(
        "SELECT quote_id, cluster_id, is_reference, drift FROM links"
    ):
        previous[cid].append((qid, is_ref, drift))
    rows: list[tuple[object, ...]] = []
    for cluster in clusters:
        members = cluster.member_ids
        old = previous.get(cluster.id)
        if old is not None and tuple(sorted(m for m, _, _ in old)) == members:
            # Same members as before: the drift is the same; skip the alignment work.
            for qid, is_ref, drift in old:
                rows.append((qid, cluster.id, is_ref, drift, speaker_of(by_id[qid])))
            continue
        if len(members) == 1:
            qid = members[0]
            rows.append((qid, cluster.id, 1, 0.0, speaker_of(by_id[qid])))
            continue
        versions = [
            DriftVersion(
                id=qid,
                text=by_id[qid].text,
                kind=by_id[qid].kind,
                speaker=speaker_of(by_id[qid]),
                outlet=by_id[qid].outlet,
                doc=by_id[qid].article,
                published=by_id[qid].published,
            )
            for qid in members
        ]
        drift = cluster_drift(versions)
        for version in drift.versions:
            qid = version.version.id
            rows.append(
                (qid, cluster.id, int(version.is_reference), version.drift, speaker_of(by_id[qid]))
            )
    db.execute("DELETE FROM links")
    db.executemany(
        "INSERT INTO links(quote_id, cluster_id, is_reference, drift, speaker) "
        "VALUES (?, ?, ?, ?, ?)",
        rows,
    )
    db.execute("DELETE FROM speakers")
    unique: dict[str, SpeakerEntity] = {}
    for entity in entities.values():
        known = unique.get(entity.name)
        if known is None:
            unique[entity.name] = entity
        else:
            unique[entity.name] = SpeakerEntity(
                name=entity.name,
                speaker_type=known.speaker_type
                if known.speaker_type != "unknown"
                else entity.speaker_type,
                variants=tuple(sorted({*known.variants, *entity.variants})),
                roles=tuple(sorted({*known.roles, *entity.roles})),
            )
    db.executemany(
        "INSERT INTO speakers(speaker, speaker_type, variants, roles) VALUES (?, ?, ?, ?)",
        [
            (e.name, e.speaker_type, json.dumps(list(e.variants)), json.dumps(list(e.roles)))
            for e in unique.values()
        ],
    )


# --- ingestion ----------------------------------------------------------------------------------

ExtractFunction = Callable[[Sequence[tuple[str, str]]], dict[str, list[Quote]]]


def extract_chunk(
    items: Sequence[tuple[str, str]], *, nlp: NLP | None = None
) -> dict[str, list[Quote]]:
    """Extract the quotes of ``(key, text)`` pairs; returns key -> quotes (``doc`` = key).

    This is the per-article step of an ingest as a plain top-level function, so a process pool
    (``quotes ingest --workers N``) or a distributed engine (Ray's ``ray.remote``, Dask's
    ``client.map``) can map it over chunks of articles; the store writes stay in one process.

    Example:
        >>> found = extract_chunk([("k1", 'Wang said, "We agree."')])     # doctest: +SKIP
        >>> found["k1"][0].text                                          # doctest: +SKIP
        'We agree.'
    """
    from quotes.extract import extract_texts

    per_item = extract_texts(list(items), nlp=nlp)
    return {key: list(found) for (key, _), found in zip(items, per_item, strict=True)}


def _progress_bar(total: int, enabled: bool) -> Any:
    if not enabled or total == 0:
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc="ingesting", unit="article")


def ingest_articles(
    store: Store,
    articles: Sequence[Article],
    *,
    skipped: Sequence[tuple[str, str]] = (),
    batch_size: int = DEFAULT_BATCH_SIZE,
    workers: int = 1,
    progress: bool = True,
    extract: ExtractFunction | None = None,
) -> IngestReport:
    """Add ``articles`` to ``store`` in atomic batches of ``batch_size`` articles.

    Articles already stored with the same text cost one lookup; texts found in the parse cache
    are not parsed; the others are parsed with ``extract`` (default :func:`extract_chunk`), over
    ``workers`` processes when more than one.

    Example:
        >>> ingest_articles(store, [article_from_text("Hi.", name="a")]).added  # doctest: +SKIP
        1
    """
    started = time.perf_counter()
    extract = extract or extract_chunk
    problems = list(skipped)
    chosen: dict[str, Article] = {}
    for article in articles:
        earlier = chosen.get(article.id)
        if earlier is not None and earlier.content_hash != article.content_hash:
            problems.append(
                (
                    article.source or article.id,
                    f"article id {article.id!r} already given by {earlier.source}; "
                    "this copy is skipped",
                )
            )
            continue
        chosen[article.id] = article
    stored = store.stored_hashes()
    unchanged = sum(1 for a in chosen.values() if stored.get(a.id) == a.content_hash)
    todo = [a for a in chosen.values() if stored.get(a.id) != a.content_hash]
    added = replaced = quotes_added = parsed = batches = 0
    bar = _progress_bar(len(todo), progress)
    pool = (
        ProcessPoolExecutor(
            max_workers=workers,
            mp_context=_spawn(),
            initializer=_share_cores,
            initargs=(workers,),
        )
        if workers > 1
        else None
    )

    def write(job: _BatchJob) -> None:
        nonlocal added, replaced, unchanged, quotes_added, parsed, batches
        extracted = job.finish()
        fresh = {content_hash for content_hash, _ in job.missing}
        result = store.write_batch(job.batch, extracted, fresh_hashes=fresh)
        added += result.added
        replaced += result.replaced
        unchanged += result.unchanged
        quotes_added += result.quotes_added
        parsed += len(job.missing)
        batches += 1
        if bar is not None:
            bar.update(len(job.batch))

    try:
        # With workers, the next batch is being parsed while this one is written (writing
        # re-clusters the store, and the workers would otherwise wait for it).
        depth = 2 if pool is not None else 1
        pending: deque[_BatchJob] = deque()
        for start in range(0, len(todo), batch_size):
            batch = todo[start : start + batch_size]
            pending.append(_start_batch(store, batch, extract, pool, workers))
            if len(pending) >= depth:
                write(pending.popleft())
        while pending:
            write(pending.popleft())
    finally:
        if bar is not None:
            bar.close()
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return IngestReport(
        added=added,
        replaced=replaced,
        unchanged=unchanged,
        skipped=tuple(problems),
        quotes_added=quotes_added,
        parsed=parsed,
        batches=batches,
        seconds=time.perf_counter() - started,
    )


def _share_cores(workers: int) -> None:
    """Give each of ``workers`` processes its share of the cores for PyTorch.

    Every process would otherwise start one PyTorch thread per core; N processes x all cores
    threads fight over the same cores and the parse gets slower, not faster.
    """
    import torch

    torch.set_num_threads(max(1, (os.cpu_count() or 1) // workers))


def _spawn() -> Any:
    import multiprocessing

    # A fresh interpreter per worker: forking a parent that holds PyTorch threads can deadlock.
    return multiprocessing.get_context("spawn")


@dataclass(slots=True)
class _BatchJob:
    """One batch on its way: quotes from the parse cache, and the parses still running."""

    batch: list[Article]
    extracted: dict[str, list[Quote]]
    missing: list[tuple[str, str]]
    futures: list[Future[dict[str, list[Quote]]]]

    def finish(self) -> dict[str, list[Quote]]:
        for future in self.futures:
            self.extracted.update(future.result())
        return self.extracted


def _start_batch(
    store: Store,
    batch: list[Article],
    extract: ExtractFunction,
    pool: ProcessPoolExecutor | None,
    workers: int,
) -> _BatchJob:
    """Look ``batch`` up in the parse cache and start parsing the rest (in the pool if any)."""
    extracted = store.cached_quotes(sorted({a.content_hash for a in batch}))
    pairs = [(a.content_hash, a.text) for a in batch if a.content_hash not in extracted]
    missing = list(dict(pairs).items())
    futures: list[Future[dict[str, list[Quote]]]] = []
    if missing and (pool is None or len(missing) == 1):
        extracted.update(extract(missing))
    elif missing and pool is not None:
        size = max(1, -(-len(missing) // workers))
        futures = [
            pool.submit(extract, missing[i : i + size]) for i in range(0, len(missing), size)
        ]
    return _BatchJob(batch, extracted, missing, futures)
