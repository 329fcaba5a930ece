"""The corrections an editor can make, each checked, stored and applied in one transaction.

Every function here runs inside the caller's write transaction (``Store.write()``): the
correction row and its effect on the derived tables commit together, or not at all. A quote id
that does not exist, or a correction that makes no sense (splitting a statement of one version,
merging a statement with itself), is an :class:`~quotes.errors.InputError` naming it.

Example:
    >>> from quotes.store import Store
    >>> with Store.open(new_store_path()) as empty, empty.write() as db:
    ...     correct_speaker(db, "q-0000000000000000", "Wang Yi")
    Traceback (most recent call last):
    ...
    quotes.errors.InputError: q-0000000000000000: no quote with this id in the store
"""

from __future__ import annotations

import sqlite3

from quotes.errors import InputError
from quotes.store.corrections import (
    Anchor,
    Correction,
    anchor_of,
    list_corrections,
    mark_undone,
    record,
    resolve,
)
from quotes.store.links import apply_corrections


def _visible(db: sqlite3.Connection, quote_id: str) -> Anchor:
    anchor = anchor_of(db, quote_id)
    if db.execute("SELECT 1 FROM links WHERE quote_id = ?", (quote_id,)).fetchone() is None:
        hiding = [
            c.correction_id
            for c in list_corrections(db)
            if c.action == "not-quote"
            and c.anchor is not None
            and resolve(db, c.anchor) == quote_id
        ]
        which = f" (correction {hiding[-1]})" if hiding else ""
        raise InputError(quote_id, f"is marked not a quote{which}; undo that correction first")
    return anchor


def _mates(db: sqlite3.Connection, quote_id: str) -> list[str]:
    """The other versions of the quote's statement."""
    return [
        row[0]
        for row in db.execute(
            "SELECT quote_id FROM links WHERE cluster_id = "
            "(SELECT cluster_id FROM links WHERE quote_id = ?) AND quote_id != ? ORDER BY quote_id",
            (quote_id, quote_id),
        )
    ]


def _name(text: str, what: str) -> str:
    name = " ".join(text.split())
    if not name:
        raise InputError(what, "the speaker name is empty")
    return name


def correct_speaker(
    db: sqlite3.Connection, quote_id: str, speaker: str, *, author: str | None = None
) -> Correction:
    """Say who really said a quote (the name is shown as given, on every table)."""
    anchor = _visible(db, quote_id)
    correction = record(db, "speaker", anchor, value=_name(speaker, quote_id), author=author)
    apply_corrections(db, relink=[quote_id])
    return correction


def _shown_speakers(db: sqlite3.Connection) -> set[str]:
    names = {row[0] for row in db.execute("SELECT DISTINCT speaker FROM links") if row[0]}
    return names | {row[0] for row in db.execute("SELECT speaker FROM speakers")}


def merge_speakers(
    db: sqlite3.Connection, source: str, target: str, *, author: str | None = None
) -> Correction:
    """Make every quote of speaker ``source`` a quote of speaker ``target``."""
    source, target = _name(source, "source"), _name(target, "target")
    known = _shown_speakers(db)
    for name in (source, target):
        if name not in known:
            raise InputError(name, "no speaker with this name in the store")
    if source == target:
        raise InputError(source, "a speaker cannot be merged with itself")
    correction = record(db, "merge-speakers", source, value=target, author=author)
    apply_corrections(db)
    return correction


def split_version(
    db: sqlite3.Connection, quote_id: str, *, author: str | None = None
) -> Correction:
    """Take a version out of its statement: it never joins those versions again."""
    anchor = _visible(db, quote_id)
    mates = _mates(db, quote_id)
    if not mates:
        raise InputError(quote_id, "this quote is already a statement of its own")
    correction = record(
        db,
        "split",
        anchor,
        author=author,
        detail={"apart": [anchor_of(db, m).as_dict() for m in mates]},
    )
    apply_corrections(db, recluster=[quote_id])
    return correction


def merge_statements(
    db: sqlite3.Connection, quote_a: str, quote_b: str, *, author: str | None = None
) -> Correction:
    """Make the statements of two quotes one statement, and keep them one."""
    anchor = _visible(db, quote_a)
    _visible(db, quote_b)
    if quote_a == quote_b or quote_b in _mates(db, quote_a):
        raise InputError(quote_b, f"already a version of the same statement as {quote_a}")
    members = [quote_b, *_mates(db, quote_a), *_mates(db, quote_b)]
    correction = record(
        db,
        "merge-statements",
        anchor,
        value=quote_b,
        author=author,
        detail={"members": [anchor_of(db, m).as_dict() for m in members]},
    )
    apply_corrections(db, reform=[quote_a, quote_b])
    return correction


def mark_not_quote(
    db: sqlite3.Connection, quote_id: str, *, author: str | None = None
) -> Correction:
    """Say a quote is not a quote: it leaves every table and export (the correction stays
    listed, and can be undone)."""
    anchor = _visible(db, quote_id)
    correction = record(db, "not-quote", anchor, author=author)
    apply_corrections(db, recluster=[quote_id])
    return correction


def pin_reference(
    db: sqlite3.Connection, quote_id: str, *, author: str | None = None
) -> Correction:
    """Make a version its statement's reference, whatever is added later."""
    anchor = _visible(db, quote_id)
    correction = record(db, "pin", anchor, author=author)
    apply_corrections(db, relink=[quote_id])
    return correction


def undo(db: sqlite3.Connection, correction_id: int) -> Correction:
    """Undo a correction: the tables are as if it had never been made (later corrections
    stay)."""
    correction = mark_undone(db, correction_id)
    anchor = correction.anchor
    quote = resolve(db, anchor) if anchor is not None else None
    if quote is None:
        apply_corrections(db)
    elif correction.action in ("split", "not-quote"):
        apply_corrections(db, recluster=[quote])
    elif correction.action == "merge-statements":
        apply_corrections(db, reform=[quote])
    else:
        apply_corrections(db, relink=[quote])
    return correction
