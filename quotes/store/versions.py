"""The versions of each statement as the links table keeps them: reference, drift and details.

:func:`drift_rows` gives every member of a cluster its links row with
:func:`quotes.drift.cluster_drift` (the reference chosen by its rule, each version aligned to
it). When a batch only adds versions to a statement whose reference stays the same, the
versions already stored keep their figures (an alignment depends on the two texts only) and
only the new ones are aligned. A full recompute spreads the work over processes.

Example:
    >>> from quotes.store.rows import StoredQuote
    >>> rows = drift_rows([[StoredQuote("q-1", "a", "a fairer world order", "direct", seq=1),
    ...                     StoredQuote("q-2", "b", "fairer world order", "direct", seq=2)]])
    >>> [(r[0], r[3]) for r in rows]
    [('q-1', 1), ('q-2', 0)]
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from quotes.clusters import cluster_id
from quotes.drift import DriftVersion, cluster_drift
from quotes.store.rows import LINK_COLUMNS, StoredQuote

PARALLEL_DRIFT_VERSIONS = 50_000
"""With workers, a recompute aligning this many versions spreads the work over processes."""
DRIFT_CHUNK = 2_000

_COPY: tuple[object, ...] = (0, 0.0, None, 0, 0, 0, 0, 0, 0)
"""The LINK_COLUMNS values of a version worded exactly as its reference."""
_DRIFT_FIELDS = frozenset(f.name for f in dataclasses.fields(DriftVersion))
_INSERT = (
    f"INSERT OR REPLACE INTO links(quote_id, cluster_id, speaker, {', '.join(LINK_COLUMNS)}) "
    f"VALUES ({', '.join('?' * (3 + len(LINK_COLUMNS)))})"
)


def drift_version(quote: StoredQuote, *, pinned: bool | None = None) -> DriftVersion:
    """A stored quote as a version of its statement: text, kind, shown speaker, the outlet that
    carried it (publisher, else the credited outlet), the outlet it credits, date, ingest order
    and whether an editor pinned it (``pinned`` overrides the quote's own pin).

    Example:
        >>> drift_version(StoredQuote("q-1", "a", "we agree", "direct", publisher="AP")).outlet
        'AP'
    """
    optional: dict[str, Any] = {
        "ingested": quote.seq,
        "pinned": bool(quote.pinned) if pinned is None else pinned,
        "citation": quote.outlet,
    }
    return DriftVersion(
        id=quote.quote_id,
        text=quote.text,
        kind=quote.kind,
        speaker=quote.shown_speaker,
        outlet=quote.publisher or quote.outlet,
        doc=quote.article,
        published=quote.published,
        **{k: v for k, v in optional.items() if k in _DRIFT_FIELDS},
    )


def _figures(version: Any, reason: str | None) -> tuple[object, ...]:
    """The LINK_COLUMNS values of one aligned version."""
    return (
        int(version.is_reference),
        float(version.drift),
        reason if version.is_reference else None,
        int(getattr(version, "dropped", 0)),
        int(getattr(version, "added", 0)),
        int(getattr(version, "substituted", 0)),
        int(getattr(version, "trimmed", 0)),
        int(getattr(version, "extra", 0)),
        int(bool(getattr(version, "quoted_words_changed", False))),
    )


def _versions(members: Sequence[StoredQuote]) -> list[DriftVersion]:
    """The members as versions; of several pinned members only the latest pin counts."""
    latest = max((m.pinned for m in members), default=0)
    return [drift_version(m, pinned=bool(latest) and m.pinned == latest) for m in members]


def _reference(members: Sequence[StoredQuote]) -> tuple[int, str | None]:
    """Index of the reference among ``members`` and the reason, in words, when known."""
    from quotes import drift

    versions = _versions(members)
    choose = getattr(drift, "reference_choice", None)
    if choose is not None:
        choice = choose(versions)
        return int(choice.index), str(choice.reason)
    return int(drift.choose_reference(versions)), None


def _kept_figures(members: Sequence[StoredQuote], reference: StoredQuote) -> dict[str, tuple]:
    """Stored figures still valid: members whose stored cluster had the same reference."""
    old_reference = {
        m.cluster_id: m.quote_id for m in members if m.link is not None and m.link[0] == 1
    }
    return {
        m.quote_id: m.link
        for m in members
        if m.link is not None
        and m is not reference
        and old_reference.get(m.cluster_id) == reference.quote_id
    }


def _group_rows(members: Sequence[StoredQuote]) -> list[tuple[object, ...]]:
    ident = cluster_id(min(m.quote_id for m in members))
    index, reason = _reference(members)
    reference = members[index]
    kept = _kept_figures(members, reference) if "pinned" in _DRIFT_FIELDS else {}
    # A verbatim copy of the reference (a wire story reprinted) has nothing to align.
    copies = {m.quote_id: _COPY for m in members if m is not reference and m.text == reference.text}
    kept.update(copies)
    fresh = [m for m in members if m is not reference and m.quote_id not in kept]
    by_id = {m.quote_id: m for m in members}
    versions = [drift_version(reference), *(drift_version(m, pinned=False) for m in fresh)]
    if "pinned" in _DRIFT_FIELDS:
        # The reference is chosen above over all members; pinned makes cluster_drift keep it.
        pin: dict[str, Any] = {"pinned": True}
        versions[0] = dataclasses.replace(versions[0], **pin)
    rows = []
    for version in cluster_drift(versions).versions:
        quote = by_id[version.version.id]
        rows.append((quote.quote_id, ident, quote.shown_speaker, *_figures(version, reason)))
    rows += [(q, ident, by_id[q].shown_speaker, *figures) for q, figures in kept.items()]
    return rows


def drift_rows(groups: Iterable[Sequence[StoredQuote]]) -> list[tuple[object, ...]]:
    """The links rows of whole clusters (quote id, cluster id, shown speaker, then
    :data:`~quotes.store.rows.LINK_COLUMNS`)."""
    rows: list[tuple[object, ...]] = []
    for members in groups:
        rows += _group_rows(members)
    return rows


def _drift_rows_in_processes(
    groups: list[list[StoredQuote]], workers: int
) -> list[tuple[object, ...]]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    chunks = [groups[i : i + DRIFT_CHUNK] for i in range(0, len(groups), DRIFT_CHUNK)]
    # Spawned, not forked: the parent may hold PyTorch threads, and a fork can deadlock them.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return [row for rows in pool.map(drift_rows, chunks) for row in rows]


def write_links(
    db: sqlite3.Connection, groups: Sequence[Sequence[StoredQuote]], *, workers: int = 1
) -> None:
    """(Re)write the links of whole clusters; with ``workers`` > 1 and many versions to align,
    in that many processes (spawned: a script calling this must guard its top level with
    ``if __name__ == "__main__":``, as for any multiprocessing)."""
    several = [list(g) for g in groups if len(g) > 1]
    versions = sum(map(len, several))
    if workers > 1 and versions >= PARALLEL_DRIFT_VERSIONS:
        rows = _drift_rows_in_processes(several, workers)
        rows += drift_rows(g for g in groups if len(g) == 1)
    else:
        rows = drift_rows(groups)
    db.executemany(_INSERT, rows)


def statement_versions(
    db: sqlite3.Connection, cluster: str
) -> tuple[list[StoredQuote], list[DriftVersion]]:
    """The members of one stored statement and the versions :func:`drift_rows` aligned for
    them (pins included)."""
    from quotes.store.corrections import load_effects
    from quotes.store.rows import cluster_members, load_by_id

    pins = load_effects(db).pinned
    ids = cluster_members(db, [cluster]).get(cluster, [])
    members = [
        dataclasses.replace(m, pinned=pins.get(m.quote_id, 0)) for m in load_by_id(db, ids).values()
    ]
    return members, _versions(members)
