"""Derived links: speakers merged across articles, clusters of one statement, and drift.

Everything here runs inside the caller's write transaction, so the derived tables always match
the quotes they were computed from. Two paths give them:

- :func:`recompute_links` computes everything from every stored quote (a new store, a store
  migrated from an older schema, ``Store.recompute()``, or a batch as large as the store);
- :func:`update_links` applies one batch: the per-name speaker counts move by the batch's
  quotes, the new quotes join or merge the clusters they match
  (:func:`quotes.store.clustering.batch_groups`), clusters that lost members are formed again,
  and only the clusters that changed get new links and drift.

Example:
    >>> from quotes.store import Store
    >>> with Store.open(store_path) as store, store.read() as db:   # the seeds store
    ...     _index_ready(db)
    True
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence

from quotes.clusters import cluster_profiles
from quotes.match import profile
from quotes.store.clustering import (
    add_keys,
    batch_groups,
    match_item,
    remove_keys,
    write_all_keys,
)
from quotes.store.entities import NameCount, SpeakerEntity, merge_names
from quotes.store.rows import StoredQuote, load_all, load_by_id
from quotes.store.versions import write_links

INDEX_VERSION = "1"
"""Version of the key index and of the links it was built with: a store whose index has another
version is recomputed in full on its next batch."""
FULL_RECOMPUTE_SHARE = 0.5
"""A batch holding at least this share of the store's quotes is recomputed in full: it costs
about the same and gives the best clusters."""


# --- speakers -----------------------------------------------------------------------------------


def _count_names(db: sqlite3.Connection, quotes: Iterable[StoredQuote], sign: int) -> None:
    counts = Counter(
        (q.speaker, q.speaker_type, q.role or "") for q in quotes if q.speaker is not None
    )
    db.executemany(
        "INSERT INTO speaker_names(name, speaker_type, role, n_quotes) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(name, speaker_type, role) "
        "DO UPDATE SET n_quotes = n_quotes + excluded.n_quotes",
        [(*key, sign * n) for key, n in counts.items()],
    )
    db.execute("DELETE FROM speaker_names WHERE n_quotes <= 0")


def _entities(db: sqlite3.Connection) -> dict[str, SpeakerEntity]:
    return merge_names(
        NameCount(name, kind, role or None, n)
        for name, kind, role, n in db.execute(
            "SELECT name, speaker_type, role, n_quotes FROM speaker_names"
        )
    )


def _write_speakers(db: sqlite3.Connection, entities: dict[str, SpeakerEntity]) -> dict[str, str]:
    """Rewrite the changed rows of ``speakers``; returns the name -> shown name map before."""
    before: dict[str, str] = {}
    stored: dict[str, tuple[str, str, str]] = {}
    for name, kind, variants, roles in db.execute(
        "SELECT speaker, speaker_type, variants, roles FROM speakers"
    ):
        stored[name] = (kind, variants, roles)
        for variant in json.loads(variants):
            before[variant] = name
    unique: dict[str, tuple[str, str, str]] = {}
    for entity in entities.values():
        unique[entity.name] = (
            entity.speaker_type,
            json.dumps(list(entity.variants)),
            json.dumps(list(entity.roles)),
        )
    db.executemany(
        "DELETE FROM speakers WHERE speaker = ?", [(n,) for n in stored if n not in unique]
    )
    db.executemany(
        "INSERT OR REPLACE INTO speakers(speaker, speaker_type, variants, roles) "
        "VALUES (?, ?, ?, ?)",
        [(name, *row) for name, row in unique.items() if stored.get(name) != row],
    )
    return before


def refresh_speakers(
    db: sqlite3.Connection,
    added: Iterable[StoredQuote] = (),
    removed: Iterable[StoredQuote] = (),
) -> dict[str, str]:
    """Move the per-name counts by a batch, merge the names again, and update the ``speakers``
    table and the shown speaker of every linked quote whose name now maps elsewhere.

    Returns every name -> the name shown for it (its entity's)."""
    _count_names(db, added, 1)
    _count_names(db, removed, -1)
    entities = _entities(db)
    before = _write_speakers(db, entities)
    shown = {name: entity.name for name, entity in entities.items()}
    db.executemany(
        "UPDATE links SET speaker = ? WHERE quote_id IN (SELECT quote_id FROM quotes "
        "WHERE speaker = ?)",
        [(entity, name) for name, entity in shown.items() if before.get(name) != entity],
    )
    return shown


def rebuild_speakers(db: sqlite3.Connection) -> dict[str, str]:
    """Count the names of every stored quote again, then :func:`refresh_speakers`."""
    db.execute("DELETE FROM speaker_names")
    db.execute(
        "INSERT INTO speaker_names(name, speaker_type, role, n_quotes) "
        "SELECT speaker, speaker_type, coalesce(role, ''), count(*) FROM quotes "
        "WHERE speaker IS NOT NULL GROUP BY speaker, speaker_type, coalesce(role, '')"
    )
    return refresh_speakers(db)


# --- clusters and drift -------------------------------------------------------------------------


def _with_shown(names: dict[str, str]) -> Callable[[StoredQuote], StoredQuote]:
    def shown(quote: StoredQuote) -> StoredQuote:
        name = None if quote.speaker is None else names.get(quote.speaker, quote.speaker)
        return dataclasses.replace(quote, shown_speaker=name)

    return shown


@contextlib.contextmanager
def _phase(timings: dict[str, float] | None, name: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    if timings is not None:
        timings[name] = timings.get(name, 0.0) + time.perf_counter() - started


def _index_ready(db: sqlite3.Connection) -> bool:
    row = db.execute("SELECT value FROM meta WHERE key = 'links_index'").fetchone()
    return row is not None and row[0] == INDEX_VERSION


def recompute_links(
    db: sqlite3.Connection, *, progress: bool = False, timings: dict[str, float] | None = None
) -> None:
    """Rebuild ``links``, ``speakers`` and the key index from every stored quote.

    ``timings``, when given, receives the seconds spent in each phase."""
    with _phase(timings, "load"):
        loaded = load_all(db)
    with _phase(timings, "speakers"):
        shown = _with_shown(rebuild_speakers(db))
        quotes = [shown(q) for q in loaded]
        del loaded
    with _phase(timings, "cluster"):
        items = [match_item(q) for q in quotes]
        profiles = [profile(q.text) for q in quotes]
        groups = cluster_profiles(items, profiles, progress=progress)
        del items
    with _phase(timings, "drift"):
        db.execute("DELETE FROM links")
        write_links(db, [[quotes[i] for i in g] for g in groups])
    with _phase(timings, "keys"):
        write_all_keys(db, [q.quote_id for q in quotes], profiles)
    db.execute(
        "INSERT OR REPLACE INTO meta(key, value) VALUES ('links_index', ?)", (INDEX_VERSION,)
    )


def update_links(
    db: sqlite3.Connection, added: Sequence[str], removed: Sequence[StoredQuote] = ()
) -> None:
    """Apply one batch: ``added`` quote ids were inserted, ``removed`` quotes deleted (with
    their links, as they were before)."""
    corpus_size = db.execute("SELECT count(*) FROM quotes").fetchone()[0]
    if not _index_ready(db) or len(added) >= corpus_size * FULL_RECOMPUTE_SHARE:
        recompute_links(db)
        return
    shown = _with_shown(refresh_speakers(db, load_by_id(db, added).values(), removed))
    new = [shown(q) for q in load_by_id(db, added).values()]
    remove_keys(db, [q.quote_id for q in removed], [profile(q.text) for q in removed])
    reform = {q.cluster_id for q in removed if q.cluster_id is not None}
    changed, found = batch_groups(db, new, reform, corpus_size)
    write_links(db, changed)
    add_keys(db, [q.quote_id for q in new], [profile(q.text) for q in new], found.stored_counts)
