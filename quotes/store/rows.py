"""Stored quotes as the derived tables need them, read in one query (or a few, by id).

Example:
    >>> qnum("q-00000000000000ff"), quote_id_of(255)
    (255, 'q-00000000000000ff')
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

_SELECT = (
    "SELECT q.quote_id, q.article, q.text, q.kind, q.speaker, q.speaker_type, q.role, q.outlet, "
    'a.publisher, a.published, q.seq, q.cue, q.start, q."end", l.cluster_id, l.speaker '
    "FROM quotes q JOIN articles a ON a.id = q.article "
    "LEFT JOIN links l ON l.quote_id = q.quote_id"
)


@dataclass(frozen=True, slots=True)
class StoredQuote:
    """One stored quote with what clustering, drift and speaker merging read of it.

    ``speaker`` is the extraction's canonical name; ``shown_speaker`` and ``cluster_id`` come
    from the links table (``None`` before the quote is linked); ``seq`` is the ingest order.

    Example:
        >>> StoredQuote("q-1", "a", "We agree.", "direct").shown_speaker is None
        True
    """

    quote_id: str
    article: str
    text: str
    kind: str
    speaker: str | None = None
    speaker_type: str = "unknown"
    role: str | None = None
    outlet: str | None = None
    publisher: str | None = None
    published: date | None = None
    seq: int = 0
    cue: str | None = None
    start: int = 0
    end: int = 0
    cluster_id: str | None = None
    shown_speaker: str | None = None


def qnum(quote_id: str) -> int:
    """A quote id ("q-" and 16 hex digits) as the signed 64-bit number the key index holds.

    Example:
        >>> quote_id_of(qnum("q-ffffffffffffffff"))
        'q-ffffffffffffffff'
    """
    return int.from_bytes(bytes.fromhex(quote_id[2:]), "big", signed=True)


def quote_id_of(number: int) -> str:
    """The inverse of :func:`qnum`.

    Example:
        >>> quote_id_of(-1)
        'q-ffffffffffffffff'
    """
    return "q-" + number.to_bytes(8, "big", signed=True).hex()


def _row(row: Sequence[object]) -> StoredQuote:
    published = row[9]
    return StoredQuote(
        quote_id=str(row[0]),
        article=str(row[1]),
        text=str(row[2]),
        kind=str(row[3]),
        speaker=row[4],  # type: ignore[arg-type]
        speaker_type=str(row[5]),
        role=row[6],  # type: ignore[arg-type]
        outlet=row[7],  # type: ignore[arg-type]
        publisher=row[8],  # type: ignore[arg-type]
        published=date.fromisoformat(str(published)) if published else None,
        seq=int(row[10] or 0),  # type: ignore[call-overload]
        cue=row[11],  # type: ignore[arg-type]
        start=int(row[12]),  # type: ignore[call-overload]
        end=int(row[13]),  # type: ignore[call-overload]
        cluster_id=row[14],  # type: ignore[arg-type]
        shown_speaker=row[15],  # type: ignore[arg-type]
    )


def load_all(db: sqlite3.Connection) -> list[StoredQuote]:
    """Every stored quote, by quote id."""
    return [_row(r) for r in db.execute(_SELECT + " ORDER BY q.quote_id")]


def fill_temp(db: sqlite3.Connection, table: str, values: Iterable[object]) -> None:
    """Put ``values`` in the one-column temporary table ``table`` (emptied first), for joins."""
    db.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table}(value PRIMARY KEY) WITHOUT ROWID")
    db.execute(f"DELETE FROM {table}")
    db.executemany(f"INSERT OR IGNORE INTO {table}(value) VALUES (?)", ((v,) for v in values))


def load_by_id(db: sqlite3.Connection, quote_ids: Iterable[str]) -> dict[str, StoredQuote]:
    """The stored quotes among ``quote_ids`` (missing ids are left out)."""
    fill_temp(db, "wanted_quotes", quote_ids)
    rows = db.execute(
        _SELECT + " JOIN temp.wanted_quotes w ON w.value = q.quote_id ORDER BY q.quote_id"
    )
    return {quote.quote_id: quote for quote in map(_row, rows)}


def cluster_members(db: sqlite3.Connection, cluster_ids: Iterable[str]) -> dict[str, list[str]]:
    """Cluster id -> its member quote ids (sorted), for the given clusters."""
    fill_temp(db, "wanted_clusters", cluster_ids)
    members: dict[str, list[str]] = {}
    for cluster, quote in db.execute(
        "SELECT l.cluster_id, l.quote_id FROM links l "
        "JOIN temp.wanted_clusters w ON w.value = l.cluster_id ORDER BY l.cluster_id, l.quote_id"
    ):
        members.setdefault(cluster, []).append(quote)
    return members
