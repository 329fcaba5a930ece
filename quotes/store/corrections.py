"""Corrections that stick: what an editor fixed, kept in the store as its own table.

A correction is a row of ``corrections`` (who, when, what) and is never deleted: undoing one
stamps ``undone_at``. Quote corrections are keyed by quote id, and also by the quote's article,
offsets and text (its :class:`Anchor`): after a re-extraction gave the quote another id, the
correction finds the quote overlapping the same place (:func:`resolve`). Statement corrections
name member quotes, never cluster ids (those change when members change).

:func:`load_effects` turns the corrections in force into what the derived tables obey
(:class:`Effects`): quotes hidden as not quotes, speakers set by hand, speakers merged, quotes
kept together or apart, references pinned. :mod:`quotes.store.links` applies them whenever it
computes links, in full or batch by batch, so they survive re-ingest and re-clustering.

Example:
    >>> from quotes.store import Store
    >>> with Store.open(store_path) as store, store.read() as db:
    ...     load_effects(db).hidden
    set()
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from rapidfuzz import fuzz

from quotes.errors import InputError

ACTIONS = ("speaker", "merge-speakers", "split", "merge-statements", "not-quote", "pin")
"""What a correction can do, as stored in its ``action`` column."""
MIN_OVERLAP = 0.5
"""A re-extracted quote stands for a corrected one when their spans overlap by at least this
share of the shorter span."""

_COLUMNS = (
    'correction_id, created_at, author, action, target, value, article, start, "end", '
    "quote_text, undone_at, detail"
)


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a quote is: its id, and its article, offsets and text (to find it again).

    Example:
        >>> Anchor("q-1", "a", 0, 5, "Hello").as_dict()["end"]
        5
    """

    quote_id: str
    article: str
    start: int
    end: int
    text: str

    def as_dict(self) -> dict[str, object]:
        """The JSON form kept in a correction's detail."""
        return {
            "quote_id": self.quote_id,
            "article": self.article,
            "start": self.start,
            "end": self.end,
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class Correction:
    """One stored correction (the row of the ``corrections`` table, see
    :data:`quotes.tables.SCHEMAS`); ``detail`` holds the anchors of the other quotes involved.

    Example:
        >>> Correction(1, datetime(2026, 1, 1, tzinfo=UTC), None, "pin", "q-1").undone_at is None
        True
    """

    correction_id: int
    created_at: datetime
    author: str | None
    action: str
    target: str
    value: str | None = None
    article: str | None = None
    start: int | None = None
    end: int | None = None
    quote_text: str | None = None
    undone_at: datetime | None = None
    detail: str = "{}"

    @property
    def anchor(self) -> Anchor | None:
        """The anchor of the target quote (``None`` for a speaker merge)."""
        if self.article is None or self.start is None or self.end is None:
            return None
        return Anchor(self.target, self.article, self.start, self.end, self.quote_text or "")


@dataclass(slots=True)
class Effects:
    """What the corrections in force ask of the derived tables, by current quote id.

    ``hidden``: not quotes; ``speakers``: quote -> speaker set by hand; ``speaker_merges``:
    (source, target) in order; ``together``: pairs kept in one statement; ``apart``: quote ->
    quotes it may never share a statement with; ``pinned``: quote -> id of the pin (the latest
    pin of a statement wins).

    Example:
        >>> Effects().apart
        {}
    """

    hidden: set[str] = field(default_factory=set)
    speakers: dict[str, str] = field(default_factory=dict)
    speaker_merges: list[tuple[str, str]] = field(default_factory=list)
    together: set[tuple[str, str]] = field(default_factory=set)
    apart: dict[str, set[str]] = field(default_factory=dict)
    pinned: dict[str, int] = field(default_factory=dict)

    def keep_apart(self, quote: str, others: Iterable[str]) -> None:
        for other in others:
            if other != quote:
                self.apart.setdefault(quote, set()).add(other)
                self.apart.setdefault(other, set()).add(quote)
                self.together.discard((min(quote, other), max(quote, other)))

    def keep_together(self, quote: str, others: Iterable[str]) -> None:
        for other in others:
            if other != quote:
                self.together.add((min(quote, other), max(quote, other)))
                self.apart.get(quote, set()).discard(other)
                self.apart.get(other, set()).discard(quote)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _time(value: object) -> datetime | None:
    return datetime.fromisoformat(str(value)) if value else None


def _correction(row: Sequence[object]) -> Correction:
    return Correction(
        correction_id=int(row[0]),  # type: ignore[call-overload]
        created_at=_time(row[1]) or datetime.now(UTC),
        author=row[2],  # type: ignore[arg-type]
        action=str(row[3]),
        target=str(row[4]),
        value=row[5],  # type: ignore[arg-type]
        article=row[6],  # type: ignore[arg-type]
        start=row[7],  # type: ignore[arg-type]
        end=row[8],  # type: ignore[arg-type]
        quote_text=row[9],  # type: ignore[arg-type]
        undone_at=_time(row[10]),
        detail=str(row[11] or "{}"),
    )


def list_corrections(db: sqlite3.Connection, *, include_undone: bool = False) -> list[Correction]:
    """The corrections, oldest first (those in force only, unless ``include_undone``)."""
    where = "" if include_undone else " WHERE undone_at IS NULL"
    return [
        _correction(row)
        for row in db.execute(f"SELECT {_COLUMNS} FROM corrections{where} ORDER BY correction_id")
    ]


def get_correction(db: sqlite3.Connection, correction_id: int) -> Correction:
    """One correction by id; :class:`InputError` when there is none."""
    row = db.execute(
        f"SELECT {_COLUMNS} FROM corrections WHERE correction_id = ?", (correction_id,)
    ).fetchone()
    if row is None:
        raise InputError(str(correction_id), "no correction with this id in the store")
    return _correction(row)


def anchor_of(db: sqlite3.Connection, quote_id: str) -> Anchor:
    """The anchor of a stored quote; :class:`InputError` when there is no such quote."""
    row = db.execute(
        'SELECT quote_id, article, start, "end", text FROM quotes WHERE quote_id = ?',
        (quote_id,),
    ).fetchone()
    if row is None:
        raise InputError(quote_id, "no quote with this id in the store")
    return Anchor(str(row[0]), str(row[1]), int(row[2]), int(row[3]), str(row[4]))


def resolve(db: sqlite3.Connection, anchor: Anchor) -> str | None:
    """The current id of an anchored quote: the same id while it is stored, else the quote of
    the same article whose span overlaps it most (at least :data:`MIN_OVERLAP` of the shorter
    span; ties go to the closer text); ``None`` when it is gone.

    Example:
        >>> from quotes.store import Store
        >>> with Store.open(store_path) as store, store.read() as db:
        ...     quote = db.execute("SELECT quote_id FROM quotes LIMIT 1").fetchone()[0]
        ...     at = anchor_of(db, quote)         # the same place under an id no longer stored:
        ...     found = resolve(db, Anchor("q-0", at.article, at.start, at.end, at.text))
        >>> found == quote
        True
    """
    if db.execute("SELECT 1 FROM quotes WHERE quote_id = ?", (anchor.quote_id,)).fetchone():
        return anchor.quote_id
    best: tuple[float, float, str] | None = None
    for quote, start, end, text in db.execute(
        'SELECT quote_id, start, "end", text FROM quotes WHERE article = ? AND start < ? '
        'AND "end" > ?',
        (anchor.article, anchor.end, anchor.start),
    ):
        overlap = min(end, anchor.end) - max(start, anchor.start)
        shorter = max(1, min(end - start, anchor.end - anchor.start))
        if overlap / shorter < MIN_OVERLAP:
            continue
        score = (overlap / shorter, fuzz.ratio(text, anchor.text), quote)
        if best is None or score > best:
            best = score
    return best[2] if best else None


def _anchors(detail: dict[str, object], key: str) -> list[Anchor]:
    return [Anchor(**a) for a in detail.get(key, [])]  # type: ignore[attr-defined]


def load_effects(db: sqlite3.Connection) -> Effects:
    """What the corrections in force ask, resolved to the quotes stored now."""
    effects = Effects()
    found: dict[Anchor, str | None] = {}

    def where(anchor: Anchor) -> str | None:
        if anchor not in found:
            found[anchor] = resolve(db, anchor)
        return found[anchor]

    for correction in list_corrections(db):
        detail = json.loads(correction.detail)
        if correction.action == "merge-speakers":
            effects.speaker_merges.append((correction.target, str(correction.value)))
            continue
        anchor = correction.anchor
        quote = where(anchor) if anchor is not None else None
        if quote is None:
            continue  # its quote is gone (the article was replaced or removed)
        if correction.action == "speaker":
            effects.speakers[quote] = str(correction.value)
        elif correction.action == "not-quote":
            effects.hidden.add(quote)
        elif correction.action == "pin":
            effects.pinned[quote] = correction.correction_id
        elif correction.action == "split":
            others = (where(a) for a in _anchors(detail, "apart"))
            effects.keep_apart(quote, [o for o in others if o is not None])
        elif correction.action == "merge-statements":
            others = (where(a) for a in _anchors(detail, "members"))
            effects.keep_together(quote, [o for o in others if o is not None])
    return effects


def record(
    db: sqlite3.Connection,
    action: str,
    target: Anchor | str,
    *,
    value: str | None = None,
    author: str | None = None,
    detail: dict[str, object] | None = None,
) -> Correction:
    """Store one correction (inside the caller's transaction) and return it."""
    if action not in ACTIONS:
        raise ValueError(f"unknown correction {action!r}")
    anchor = target if isinstance(target, Anchor) else None
    cursor = db.execute(
        "INSERT INTO corrections(created_at, author, action, target, value, article, start, "
        '"end", quote_text, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        (
            _now(),
            author,
            action,
            anchor.quote_id if anchor else str(target),
            value,
            anchor.article if anchor else None,
            anchor.start if anchor else None,
            anchor.end if anchor else None,
            anchor.text if anchor else None,
            json.dumps(detail or {}, ensure_ascii=False),
        ),
    )
    return get_correction(db, int(cursor.lastrowid or 0))


def mark_undone(db: sqlite3.Connection, correction_id: int) -> Correction:
    """Stamp a correction as undone; :class:`InputError` when unknown or already undone."""
    correction = get_correction(db, correction_id)
    if correction.undone_at is not None:
        raise InputError(
            str(correction_id), f"this correction was already undone at {correction.undone_at}"
        )
    db.execute(
        "UPDATE corrections SET undone_at = ? WHERE correction_id = ?", (_now(), correction_id)
    )
    return get_correction(db, correction_id)
