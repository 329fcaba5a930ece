"""Derived links: speakers merged across articles, clusters of one statement, and drift.

Everything here runs inside the caller's write transaction, so the derived tables always match
the quotes they were computed from. Two paths give them:

- :func:`recompute_links` computes everything from every stored quote (a new store, a store
  migrated from an older schema, ``Store.recompute()``, or a batch as large as the store);
- :func:`update_links` applies one batch: the per-name speaker counts move by the batch's
  quotes, the new quotes join or merge the clusters they match
  (:func:`quotes.store.clustering.batch_groups`), clusters that lost members are formed again,
  and only the clusters that changed get new links and drift;
- :func:`apply_corrections` applies a correction just made or undone to the quotes and
  statements it touches.

Both paths obey the corrections in force (:func:`quotes.store.corrections.load_effects`):
quotes marked not a quote get no link (every table leaves them out), speakers set or merged by
hand are shown, statements merged or split by hand stay so, pinned references stay pinned.

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
    Constraints,
    add_keys,
    batch_groups,
    match_item,
    remove_keys,
    write_all_keys,
)
from quotes.store.corrections import Effects, load_effects
from quotes.store.entities import NameCount, SpeakerEntity, merge_names
from quotes.store.rows import StoredQuote, cluster_members, fill_temp, load_all, load_by_id
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


def merge_entities(
    entities: dict[str, SpeakerEntity], merges: Sequence[tuple[str, str]]
) -> dict[str, SpeakerEntity]:
    """``entities`` (name -> entity) after an editor's speaker merges, in order: every name of
    the source entity joins the target's entity (its name, type, variants and roles).

    Example:
        >>> merged = merge_entities({"Wang": SpeakerEntity("Wang", "person", ("Wang",)),
        ...                          "Wang Yi": SpeakerEntity("Wang Yi", "person", ("Wang Yi",))},
        ...                         [("Wang", "Wang Yi")])
        >>> merged["Wang"].name, merged["Wang"].variants
        ('Wang Yi', ('Wang', 'Wang Yi'))
    """
    result = dict(entities)
    for source, target in merges:
        moving = [n for n, e in result.items() if e.name == source or n == source]
        staying = [n for n, e in result.items() if e.name == target or n == target]
        if not moving:
            continue
        parts = [result[n] for n in moving + staying]
        kinds = [e.speaker_type for e in parts if e.speaker_type != "unknown"]
        merged = SpeakerEntity(
            name=target,
            speaker_type=(result[staying[0]].speaker_type if staying else None)
            or (kinds[0] if kinds else "unknown"),
            variants=tuple(sorted({v for e in parts for v in e.variants} | {target})),
            roles=tuple(sorted({r for e in parts for r in e.roles})),
        )
        for name in moving + staying:
            result[name] = merged
    return result


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
    effects: Effects | None = None,
) -> dict[str, str]:
    """Move the per-name counts by a batch, merge the names again (with an editor's merges),
    and update the ``speakers`` table and the shown speaker of every linked quote whose name now
    maps elsewhere; quotes whose speaker was set by hand keep it.

    Returns every name -> the name shown for it (its entity's)."""
    effects = effects or Effects()
    _count_names(db, added, 1)
    _count_names(db, removed, -1)
    entities = merge_entities(
        merge_names(
            NameCount(name, kind, role or None, n)
            for name, kind, role, n in db.execute(
                "SELECT name, speaker_type, role, n_quotes FROM speaker_names"
            )
        ),
        effects.speaker_merges,
    )
    before = _write_speakers(db, entities)
    shown = {name: entity.name for name, entity in entities.items()}
    db.executemany(
        "UPDATE links SET speaker = ? WHERE quote_id IN (SELECT quote_id FROM quotes "
        "WHERE speaker = ?)",
        [(entity, name) for name, entity in shown.items() if before.get(name) != entity],
    )
    db.executemany(
        "UPDATE links SET speaker = ? WHERE quote_id = ?",
        [(name, quote) for quote, name in effects.speakers.items()],
    )
    return shown


def rebuild_speakers(db: sqlite3.Connection, effects: Effects | None = None) -> dict[str, str]:
    """Count the names of every stored quote (not those marked not quotes) again, then
    :func:`refresh_speakers`."""
    effects = effects or Effects()
    fill_temp(db, "hidden_quotes", effects.hidden)
    db.execute("DELETE FROM speaker_names")
    db.execute(
        "INSERT INTO speaker_names(name, speaker_type, role, n_quotes) "
        "SELECT speaker, speaker_type, coalesce(role, ''), count(*) FROM quotes "
        "WHERE speaker IS NOT NULL AND quote_id NOT IN (SELECT value FROM temp.hidden_quotes) "
        "GROUP BY speaker, speaker_type, coalesce(role, '')"
    )
    return refresh_speakers(db, effects=effects)


# --- clusters and drift -------------------------------------------------------------------------


def _prepared(names: dict[str, str], effects: Effects) -> Callable[[StoredQuote], StoredQuote]:
    """A stored quote with the speaker shown for it and its pin, as the corrections say."""

    def prepare(quote: StoredQuote) -> StoredQuote:
        name = effects.speakers.get(quote.quote_id)
        if name is None and quote.speaker is not None:
            name = names.get(quote.speaker, quote.speaker)
        return dataclasses.replace(
            quote, shown_speaker=name, pinned=effects.pinned.get(quote.quote_id, 0)
        )

    return prepare


def _pinned(groups: Iterable[Sequence[StoredQuote]], effects: Effects) -> list[list[StoredQuote]]:
    return [
        [dataclasses.replace(q, pinned=effects.pinned.get(q.quote_id, 0)) for q in group]
        for group in groups
    ]


def _constraints(effects: Effects) -> Constraints:
    """The statement corrections in force, between quotes that are shown."""
    hidden = effects.hidden
    return Constraints(
        together=frozenset(p for p in effects.together if not hidden & set(p)),
        apart={q: others - hidden for q, others in effects.apart.items() if q not in hidden},
    )


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
    db: sqlite3.Connection,
    *,
    progress: bool = False,
    timings: dict[str, float] | None = None,
    workers: int = 1,
) -> None:
    """Rebuild ``links``, ``speakers`` and the key index from every stored quote.

    ``timings``, when given, receives the seconds spent in each phase; ``workers`` > 1 aligns
    the versions of statements in that many processes."""
    with _phase(timings, "load"):
        effects = load_effects(db)
        loaded = [q for q in load_all(db) if q.quote_id not in effects.hidden]
    with _phase(timings, "speakers"):
        prepare = _prepared(rebuild_speakers(db, effects), effects)
        quotes = [prepare(q) for q in loaded]
        del loaded
    with _phase(timings, "cluster"):
        items = [match_item(q) for q in quotes]
        profiles = [profile(q.text) for q in quotes]
        index = {q.quote_id: i for i, q in enumerate(quotes)}
        rules = _constraints(effects)
        groups = cluster_profiles(
            items,
            profiles,
            progress=progress,
            apart=rules.apart_of(index),
            together=rules.pairs(index),
        )
        del items, index
    with _phase(timings, "drift"):
        db.execute("DELETE FROM links")
        write_links(db, [[quotes[i] for i in g] for g in groups], workers=workers)
    with _phase(timings, "keys"):
        write_all_keys(db, [q.quote_id for q in quotes], profiles)
    db.execute(
        "INSERT OR REPLACE INTO meta(key, value) VALUES ('links_index', ?)", (INDEX_VERSION,)
    )


def update_links(
    db: sqlite3.Connection,
    added: Sequence[str],
    removed: Sequence[StoredQuote] = (),
    *,
    workers: int = 1,
) -> None:
    """Apply one batch: ``added`` quote ids were inserted, ``removed`` quotes deleted (with
    their links, as they were before). ``workers``: for a full recompute."""
    corpus_size = db.execute("SELECT count(*) FROM quotes").fetchone()[0]
    if not _index_ready(db) or len(added) >= corpus_size * FULL_RECOMPUTE_SHARE:
        recompute_links(db, workers=workers)
        return
    effects = load_effects(db)
    visible = [q for q in load_by_id(db, added).values() if q.quote_id not in effects.hidden]
    linked = [q for q in removed if q.cluster_id is not None]
    prepare = _prepared(refresh_speakers(db, visible, linked, effects), effects)
    new = [prepare(q) for q in visible]
    remove_keys(db, [q.quote_id for q in removed], [profile(q.text) for q in removed])
    reform = {q.cluster_id for q in linked if q.cluster_id is not None}
    changed, found = batch_groups(db, new, reform, corpus_size, _constraints(effects))
    write_links(db, _pinned(changed, effects))
    add_keys(db, [q.quote_id for q in new], [profile(q.text) for q in new], found.stored_counts)


def apply_corrections(
    db: sqlite3.Connection,
    *,
    recluster: Iterable[str] = (),
    reform: Iterable[str] = (),
    relink: Iterable[str] = (),
) -> None:
    """Bring the derived tables in line with the corrections in force, after one was made or
    undone: speakers are merged again; the quotes in ``recluster`` leave their statements and
    find theirs again (those now marked not quotes get none); the statements holding quotes of
    ``reform`` are formed again from their members; those holding quotes of ``relink`` keep
    their members and get their links (reference, drift, speakers) again."""
    effects = load_effects(db)
    moving = load_by_id(db, recluster)
    shown = [q for q in moving.values() if q.quote_id not in effects.hidden]
    was_linked = [q for q in moving.values() if q.cluster_id is not None]
    names = refresh_speakers(
        db,
        [q for q in shown if q.cluster_id is None],
        [q for q in was_linked if q.quote_id in effects.hidden],
        effects,
    )
    prepare = _prepared(names, effects)
    fill_temp(db, "moving_quotes", moving)
    db.execute("DELETE FROM links WHERE quote_id IN (SELECT value FROM temp.moving_quotes)")
    hidden = [q for q in moving.values() if q.quote_id in effects.hidden]
    remove_keys(db, [q.quote_id for q in hidden], [profile(q.text) for q in hidden])
    clusters = {q.cluster_id for q in was_linked} | _clusters_of(db, reform)
    corpus_size = db.execute("SELECT count(*) FROM links").fetchone()[0]
    new = [prepare(dataclasses.replace(q, cluster_id=None, link=None)) for q in shown]
    changed, _ = batch_groups(
        db, new, {c for c in clusters if c is not None}, corpus_size, _constraints(effects)
    )
    write_links(db, _pinned(changed, effects))
    add_keys(db, [q.quote_id for q in new], [profile(q.text) for q in new])
    kept = _clusters_of(db, relink) - {q.cluster_id for g in changed for q in g}
    members = cluster_members(db, kept)
    loaded = load_by_id(db, [q for ids in members.values() for q in ids])
    write_links(
        db, _pinned([[prepare(loaded[q]) for q in ids] for ids in members.values()], effects)
    )


def _clusters_of(db: sqlite3.Connection, quote_ids: Iterable[str]) -> set[str]:
    fill_temp(db, "cluster_quotes", quote_ids)
    return {
        row[0]
        for row in db.execute(
            "SELECT DISTINCT l.cluster_id FROM temp.cluster_quotes w CROSS JOIN links l "
            "WHERE l.quote_id = w.value"
        )
    }
