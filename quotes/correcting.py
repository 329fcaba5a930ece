"""What the app's corrections controls and its Corrections page need, as plain data.

The app (``app.py``) draws the controls and calls the Tracker through :func:`perform`; this
module decides the rest: the revision of the store that keys the app's caches (a correction
changes what every page shows without changing any count, so :func:`store_revision` counts the
``corrections`` table too), every correction in words with what it links to
(:func:`correction_rows`), the speakers offered when a speaker is reassigned, which address a
statement page keeps when one of its versions leaves it (:func:`stay_on`), and the notice shown
after an action (:class:`Outcome`). Everything here is plain text; :mod:`quotes.render` escapes
and draws it.

Example:
    >>> outcome = perform(tracker, "not-a-verb", "q-0")
    >>> outcome.ok, outcome.message
    (False, "unknown correction 'not-a-verb'")
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import polars as pl

from quotes.errors import QuotesError
from quotes.store.corrections import Anchor, Correction, list_corrections, resolve

if TYPE_CHECKING:
    from quotes.api import Tracker
    from quotes.views import StatementView

METHODS: dict[str, str] = {
    "speaker": "correct_speaker",
    "merge-speakers": "merge_speakers",
    "split": "split_version",
    "merge-statements": "merge_statements",
    "not-quote": "mark_not_quote",
    "pin": "pin_reference",
}
"""Each correction (its ``action`` as stored) and the :class:`~quotes.api.Tracker` method that
makes it."""

ACTION_LABELS: dict[str, str] = {
    "speaker": "speaker reassigned",
    "merge-speakers": "speakers merged",
    "split": "version split out",
    "merge-statements": "statements merged",
    "not-quote": "marked not a quote",
    "pin": "reference pinned",
}
"""How each correction is named on screen."""

MAX_AUTHOR_CHARS = 80
"""Longest author name kept (the field is free text)."""


@dataclass(frozen=True, slots=True)
class CorrectionRow:
    """One correction as the Corrections page lists it.

    ``what`` says what it did in words; ``quote_text`` and ``article`` are the corrected quote's
    (``None`` for a speaker merge); ``statement`` is the quote id a link to its statement uses
    now (the same quote found again after a re-extraction; ``None`` when the quote is hidden or
    gone) and ``other`` the same for the second quote of a statement merge; ``speakers`` the
    speaker names it involves, each linked.

    Example:
        >>> from datetime import UTC
        >>> row = CorrectionRow(1, datetime(2026, 1, 1, tzinfo=UTC), "desk", "pin", "reference "
        ...     "pinned", "q-1 pinned", "all forms", "a1", "q-1", None, (), None)
        >>> row.active
        True
    """

    correction_id: int
    created_at: datetime
    author: str | None
    action: str
    label: str
    what: str
    quote_text: str | None
    article: str | None
    statement: str | None
    other: str | None
    speakers: tuple[str, ...]
    undone_at: datetime | None

    @property
    def active(self) -> bool:
        """Whether the correction is in force (not undone)."""
        return self.undone_at is None


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the app says after a correction or an undo: ``ok`` and a plain-text ``message``;
    ``correction_id`` is the correction made (its Undo button) or undone, ``undone`` says which.

    Example:
        >>> Outcome(True, "pinned", correction_id=3).can_undo
        True
    """

    ok: bool
    message: str
    correction_id: int | None = None
    undone: bool = False

    @property
    def can_undo(self) -> bool:
        """Whether the notice offers an Undo button (a correction was just made)."""
        return self.ok and self.correction_id is not None and not self.undone


def store_revision(tracker: Tracker) -> str:
    """A key that changes whenever what the app shows changes: a new batch, article or quote,
    and every correction made or undone (rows are never deleted and an undo is never reverted,
    so the highest correction id and the number undone only grow).

    Example:
        >>> store_revision(tracker).count("-")
        5
    """
    counts = tracker.store.counts()
    made, undone = tracker.store.query(
        "SELECT coalesce(max(correction_id), 0), count(undone_at) FROM corrections"
    )[0]
    figures = [counts[k] for k in ("batches", "articles", "quotes", "clusters")]
    return "-".join(str(n) for n in (*figures, made, undone))


def clean_author(text: str | None) -> str | None:
    """The author field as stored: spaces folded, cut to :data:`MAX_AUTHOR_CHARS`, ``None``
    when empty.

    Example:
        >>> clean_author("  night   desk "), clean_author("   ")
        ('night desk', None)
    """
    name = " ".join((text or "").split())[:MAX_AUTHOR_CHARS].strip()
    return name or None


def perform(tracker: Tracker, action: str, *args: str, author: str | None = None) -> Outcome:
    """Make one correction through the Tracker; a refusal (unknown quote, a statement merged
    with itself...) is an :class:`Outcome` that says why, not an exception.

    Example:
        >>> from quotes.api import Tracker
        >>> from quotes.sources import article_from_text
        >>> with Tracker.open(new_store_path()) as fresh:
        ...     _ = fresh.ingest_texts([article_from_text(
        ...         'He said: "The bridge opens in June."', name="bridge")])
        ...     quote = fresh.quotes()["quote_id"][0]
        ...     done = perform(fresh, "speaker", quote, "Lena Holt", author="desk")
        ...     again = perform(fresh, "split", quote)
        >>> done.message.endswith('set to "Lena Holt" (by desk).'), done.can_undo
        (True, True)
        >>> again.ok, again.message.endswith("already a statement of its own")
        (False, True)
    """
    method = METHODS.get(action)
    if method is None:
        return Outcome(False, f"unknown correction {action!r}")
    try:
        correction: Correction = getattr(tracker, method)(*args, author=clean_author(author))
    except QuotesError as error:
        return Outcome(False, str(error))
    by = f" (by {correction.author})" if correction.author else ""
    return Outcome(
        True,
        f"Correction {correction.correction_id}: {describe(correction)}{by}.",
        correction_id=correction.correction_id,
    )


def undo(tracker: Tracker, correction_id: int) -> Outcome:
    """Undo a correction through the Tracker (a refusal is an :class:`Outcome`, as above).

    Example:
        >>> undo(tracker, 999).message
        '999: no correction with this id in the store'
    """
    try:
        correction = tracker.undo_correction(correction_id)
    except QuotesError as error:
        return Outcome(False, str(error))
    return Outcome(
        True,
        f"Correction {correction_id} undone: {describe(correction)} no longer applies.",
        correction_id=correction_id,
        undone=True,
    )


def describe(correction: Correction) -> str:
    """What a correction does, in words (names quoted as given; the caller escapes).

    Example:
        >>> from datetime import UTC
        >>> at = datetime(2026, 1, 1, tzinfo=UTC)
        >>> describe(Correction(1, at, None, "merge-speakers", "Choe", "Choe Son Hui"))
        'speaker "Choe" merged into "Choe Son Hui"'
        >>> describe(Correction(2, at, None, "pin", "q-1"))
        "q-1 pinned as its statement's reference"
    """
    target, value = correction.target, correction.value
    return {
        "speaker": f'speaker of {target} set to "{value}"',
        "merge-speakers": f'speaker "{target}" merged into "{value}"',
        "split": f"{target} split out of its statement",
        "merge-statements": f"the statements of {target} and {value} merged",
        "not-quote": f"{target} marked not a quote",
        "pin": f"{target} pinned as its statement's reference",
    }.get(correction.action, correction.action)


def correction_rows(tracker: Tracker, *, include_undone: bool = False) -> tuple[CorrectionRow, ...]:
    """Every correction (newest first; undone ones only with ``include_undone``), each with
    the quote ids its links use now.

    Example:
        >>> correction_rows(tracker, include_undone=True)
        ()
    """
    with tracker.store.read() as db:
        corrections = list_corrections(db, include_undone=include_undone)
        shown = {row[0] for row in db.execute("SELECT quote_id FROM links")}

        def now(anchor: Anchor | None) -> str | None:
            found = resolve(db, anchor) if anchor is not None else None
            return found if found in shown else None

        rows = [_row(c, now(c.anchor), _other(c, shown)) for c in corrections]
    return tuple(reversed(rows))


def _other(correction: Correction, shown: set[str]) -> str | None:
    if correction.action == "merge-statements" and correction.value in shown:
        return correction.value
    return None


def _row(correction: Correction, statement: str | None, other: str | None) -> CorrectionRow:
    if correction.action == "merge-speakers":
        speakers: tuple[str, ...] = (correction.target, str(correction.value))
    elif correction.action == "speaker":
        speakers = (str(correction.value),)
    else:
        speakers = ()
    return CorrectionRow(
        correction_id=correction.correction_id,
        created_at=correction.created_at,
        author=correction.author,
        action=correction.action,
        label=ACTION_LABELS.get(correction.action, correction.action),
        what=describe(correction),
        quote_text=correction.quote_text,
        article=correction.article,
        statement=statement,
        other=other,
        speakers=speakers,
        undone_at=correction.undone_at,
    )


def known_speakers(speakers: pl.DataFrame) -> list[str]:
    """The speaker names offered when a quote's speaker is reassigned: the ``speakers``
    table's, most quoted first.

    Example:
        >>> known_speakers(tracker.speakers())[:2]
        ['Wang Yi', 'Choe Son Hui']
    """
    if speakers.height == 0:
        return []
    ranked = speakers.sort(["n_quotes", "speaker"], descending=[True, False])
    return [name for name in ranked["speaker"].to_list() if name]


def other_speakers(names: Iterable[str], current: str) -> list[str]:
    """The speakers a speaker can be merged into: every other name.

    Example:
        >>> other_speakers(["Wang Yi", "Choe", "Wang"], "Wang")
        ['Wang Yi', 'Choe']
    """
    return [name for name in names if name != current]


def stay_on(view: StatementView, leaving: Sequence[str]) -> str | None:
    """The quote id a statement page's address keeps when versions ``leaving`` leave the
    statement (split out, or marked not a quote): its link id unless that one leaves, then the
    first version that stays; ``None`` when none stays.

    Example:
        >>> view = sample_statement()
        >>> stay_on(view, ["q-2"]), stay_on(view, ["q-1"]), stay_on(view, ["q-1", "q-2"])
        ('q-1', 'q-2', None)
    """
    if view.link_id not in leaving:
        return view.link_id
    return next((v.quote_id for v in view.versions if v.quote_id not in leaving), None)
