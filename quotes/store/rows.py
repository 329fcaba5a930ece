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

CONTEXT_CHARS = 100
"""About this many characters either side of a quote make its context for the matcher."""
LINK_COLUMNS = (
    "is_reference",
    "drift",
    "reference_reason",
    "dropped",
    "added",
    "substituted",
    "trimmed",
    "extra",
    "quoted_words_changed",
)
"""The per-version drift columns of ``links`` (after quote id, cluster id and speaker)."""
_WINDOW = CONTEXT_CHARS + 1
_SELECT = (
    "SELECT q.quote_id, q.article, q.text, q.kind, q.speaker, q.speaker_type, q.role, q.outlet, "
    'a.publisher, a.published, q.seq, q.cue, q.start, q."end", l.cluster_id, l.speaker, '
    f"substr(a.text, max(0, q.start - {_WINDOW}) + 1, "
    f'q."end" + {_WINDOW} - max(0, q.start - {_WINDOW})), '
    + ", ".join(f"l.{c}" for c in LINK_COLUMNS)
)
_JOINED = " JOIN articles a ON a.id = q.article LEFT JOIN links l ON l.quote_id = q.quote_id"


@dataclass(frozen=True, slots=True)
class StoredQuote:
    """One stored quote with what clustering, drift and speaker merging read of it.

    ``speaker`` is the extraction's canonical name; ``shown_speaker`` and ``cluster_id`` come
    from the links table (``None`` before the quote is linked), and so does ``link``, the
    version's stored drift (:data:`LINK_COLUMNS`); ``seq`` is the ingest order; ``context`` the
    words around the quote in its article (:func:`quote_context`); ``pinned`` is the id of the
    correction that pinned it as its statement's reference (0: not pinned).

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
    context: str | None = None
    link: tuple[object, ...] | None = None
    pinned: int = 0


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


def quote_context(text: str, start: int, end: int, width: int = CONTEXT_CHARS) -> str:
    """About ``width`` characters either side of ``text[start:end]``, the quote included, cut at
    word boundaries and on one line.

    Example:
        >>> quote_context("one two three four five six", 8, 13, width=5)
        'two three four'
    """
    low = max(0, start - width)
    high = min(len(text), end + width)
    while 0 < low < start and not text[low - 1].isspace():
        low += 1
    while end < high < len(text) and not text[high].isspace():
        high -= 1
    return " ".join(text[low:high].split())


def _row(row: Sequence[object]) -> StoredQuote:
    published = row[9]
    start, end = int(row[12]), int(row[13])  # type: ignore[call-overload]
    window = str(row[16] or "")
    offset = min(start, _WINDOW)
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
        start=start,
        end=end,
        cluster_id=row[14],  # type: ignore[arg-type]
        shown_speaker=row[15],  # type: ignore[arg-type]
        context=quote_context(window, offset, offset + end - start) if window else None,
        link=tuple(row[17:]) if row[14] is not None else None,
    )


def load_all(db: sqlite3.Connection) -> list[StoredQuote]:
    """Every stored quote, by quote id."""
    return [_row(r) for r in db.execute(_SELECT + " FROM quotes q" + _JOINED + " ORDER BY 1")]


def fill_temp(db: sqlite3.Connection, table: str, values: Iterable[object]) -> None:
    """Put ``values`` in the one-column temporary table ``table`` (emptied first), for joins."""
    db.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table}(value PRIMARY KEY) WITHOUT ROWID")
    db.execute(f"DELETE FROM {table}")
    db.executemany(f"INSERT OR IGNORE INTO {table}(value) VALUES (?)", ((v,) for v in values))


def load_by_id(db: sqlite3.Connection, quote_ids: Iterable[str]) -> dict[str, StoredQuote]:
    """The stored quotes among ``quote_ids`` (missing ids are left out)."""
    fill_temp(db, "wanted_quotes", quote_ids)
    # CROSS JOIN keeps the wanted ids as the outer loop: SQLite must not scan every quote.
    rows = db.execute(
        _SELECT
        + " FROM temp.wanted_quotes w CROSS JOIN quotes q"
        + _JOINED
        + " WHERE q.quote_id = w.value ORDER BY 1"
    )
    return {quote.quote_id: quote for quote in map(_row, rows)}


def cluster_members(db: sqlite3.Connection, cluster_ids: Iterable[str]) -> dict[str, list[str]]:
    """Cluster id -> its member quote ids (sorted), for the given clusters."""
    fill_temp(db, "wanted_clusters", cluster_ids)
    members: dict[str, list[str]] = {}
    for cluster, quote in db.execute(
        "SELECT l.cluster_id, l.quote_id FROM temp.wanted_clusters w CROSS JOIN links l "
        "WHERE l.cluster_id = w.value ORDER BY l.cluster_id, l.quote_id"
    ):
        members.setdefault(cluster, []).append(quote)
    return members
