"""When and how a report places a quote: the evidence of the occasion beyond the words.

Two reports of one speaker a few days apart may give the same statement or two statements of
the same line on different days (a stock line, a call made again the next morning). The words
around each quote often say which: "on Tuesday", "yesterday", "on July 5" date the occasion;
a cue like "called again for" or "regularly pledges" says the line is one of several times;
"has yet to endorse" says the words were not said at all. This module reads those, as plain
functions of a quote's text, its cue, its context and its article's date:

- :func:`read_occasion`: what a report says of a quote's occasion (:class:`Occasion`): the days
  it dates it to (the day of the week resolved against the article's date: "Tuesday" in an
  article of Thursday 2016-09-22 is 2016-09-20) and the kinds of occasion it names ("in a
  tweet", "told reporters", "at a rally"), read in the quote's own sentence and the one before
  it, never inside the quote or another quote;
- :func:`compare_occasions`: "same" when both reports date it to one day, "different" when
  they date it to different days, one dates it after the other report was published, or they
  name different kinds of occasion (a post and an interview);
- :func:`cue_marks`: whether a cue says "one more time" (repeated) or "not said" (negated).

Word lists (weekdays, months, cue words) are data: ``quotes/data/matching.json``.

Example:
    >>> from datetime import date
    >>> occasion_days("Ruiz said on Tuesday that the plan is dead.", "the plan is dead",
    ...               date(2024, 3, 7))
    (datetime.date(2024, 3, 5),)
    >>> compare_occasions(Occasion(date(2024, 3, 7), (date(2024, 3, 5),)),
    ...                   Occasion(date(2024, 3, 4)))
    ('different', 'dated 2024-03-05, after the other report of 2024-03-04')
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

__all__ = [
    "CueMarks",
    "Occasion",
    "compare_occasions",
    "cue_marks",
    "occasion_days",
    "occasion_kinds",
    "quote_span",
    "read_occasion",
]

_DATA = Path(__file__).resolve().parent / "data" / "matching.json"
# A sentence ends at . ! or ? (closing marks allowed) before a space and a capital or an opening
# mark; "Mr. Trump", "N.C. on" and "Sen. Cruz" are not ends (see _sentence_starts).
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)]*\s+(?=[A-Z\u201c\"'\u2018(])")
_ABBREVIATION = re.compile(r"(?:\b[A-Z][a-z]{0,2}\.|\b(?:[A-Za-z]\.){2,})$")
# Apostrophe look-alikes made straight, one by one (str.translate with a table is far slower).
_APOSTROPHE_LIKES = ("\u2019", "\u2018", "\u201b", "`")
# A quote's text is found in its context by its first characters.
_HEAD = 40
# Other quotes around the quote are someone's speech: their "today" or "on Friday" is the
# speaker's, not the report's date of the occasion.
_OTHER_QUOTES = re.compile(r"\u201c[^\u201c\u201d]*\u201d|\"[^\"]*\"|''.*?''")


@dataclass(frozen=True, slots=True)
class CueMarks:
    """What a cue says about the words it introduces: ``repeated`` (one more time of a line
    said on several occasions: "called again for", "regularly pledges") and ``negated`` (the
    words were not said: "has yet to endorse", "refused to call").

    Example:
        >>> cue_marks("called again for")
        CueMarks(repeated=True, negated=False)
    """

    repeated: bool = False
    negated: bool = False


@dataclass(frozen=True, slots=True)
class Occasion:
    """What one report says of the occasion of a quote: the article's date (``published``),
    the ``days`` it dates the words to and the ``kinds`` of occasion it names.

    Example:
        >>> Occasion(date(2024, 3, 7)).days
        ()
    """

    published: date | None
    days: tuple[date, ...] = ()
    kinds: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def _data() -> dict[str, object]:
    loaded: dict[str, object] = json.loads(_DATA.read_text(encoding="utf-8"))
    return loaded


def _straight_apostrophes(text: str) -> str:
    for mark in _APOSTROPHE_LIKES:
        if mark in text:
            text = text.replace(mark, "'")
    return text


def _alternation(words: Sequence[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _expressions() -> re.Pattern[str]:
    data = _data()
    weekdays = _alternation(data["weekdays"])  # type: ignore[arg-type]
    months: dict[str, list[str]] = data["months"]  # type: ignore[assignment]
    month_names = _alternation([n for name, short in months.items() for n in (name, *short)])
    same_day = _alternation(data["same_day"])  # type: ignore[arg-type]
    day_before = _alternation(data["day_before"])  # type: ignore[arg-type]
    return re.compile(
        rf"\b(?:(?P<which>last|next|this)\s+)?(?P<weekday>{weekdays})(?:'s|s)?\b"
        rf"|\b(?P<before>{day_before})\b"
        rf"|\b(?P<same>{same_day})\b(?!'s)"
        rf"|\b(?P<month>{month_names})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b"
        r"(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?"
    )


@lru_cache(maxsize=1)
def _month_numbers() -> dict[str, int]:
    months: dict[str, list[str]] = _data()["months"]  # type: ignore[assignment]
    return {
        name: number
        for number, (full, short) in enumerate(months.items(), start=1)
        for name in (full, *short)
    }


def _cue_pattern(key: str) -> re.Pattern[str]:
    words: list[str] = _data()[key]  # type: ignore[assignment]
    return re.compile(r"\b(?:" + "|".join(words) + r")\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def _kinds_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern for every kind of occasion (a group per kind), and the kind of each group."""
    kinds: dict[str, list[str]] = _data()["occasion_kinds"]  # type: ignore[assignment]
    groups = {f"k{number}": kind for number, kind in enumerate(kinds)}
    pattern = "|".join(
        rf"(?P<{group}>\b(?:{'|'.join(kinds[kind])})\b)" for group, kind in groups.items()
    )
    return re.compile(pattern), groups


def _kinds_in(where: str) -> frozenset[str]:
    if not any(literal in where for literal in _kind_literals()):
        return frozenset()
    pattern, groups = _kinds_pattern()
    return frozenset(
        groups[found.lastgroup] for found in pattern.finditer(where) if found.lastgroup
    )


def _literal_start(entry: str) -> str:
    """The plain letters an entry of a word list starts with ("tweet" of "tweet\\w*")."""
    found = re.match(r"[a-z' -]+", entry)
    return found.group() if found else ""


@lru_cache(maxsize=1)
def _kind_literals() -> tuple[str, ...]:
    """Letters one of which every kind's words hold: a cheap test before the pattern."""
    kinds: dict[str, list[str]] = _data()["occasion_kinds"]  # type: ignore[assignment]
    return tuple(_literal_start(entry) for entries in kinds.values() for entry in entries)


@lru_cache(maxsize=1)
def _day_literals() -> tuple[str, ...]:
    """Words one of which every expression of a day holds: a cheap test before the pattern."""
    data = _data()
    months: dict[str, list[str]] = data["months"]  # type: ignore[assignment]
    phrases: list[str] = [*data["same_day"], *data["day_before"]]  # type: ignore[misc]
    weekdays: list[str] = data["weekdays"]  # type: ignore[assignment]
    return (
        *weekdays,
        *(name for full, short in months.items() for name in (full, *short)),
        *(phrase.split()[-1] for phrase in phrases),
    )


@lru_cache(maxsize=1)
def _cue_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    return _cue_pattern("repeated_cues"), _cue_pattern("negated_cues")


@lru_cache(maxsize=4096)
def cue_marks(cue: str | None) -> CueMarks:
    """Read a cue for "one more time" and "not said" (see :class:`CueMarks`).

    Example:
        >>> cue_marks("has yet to endorse"), cue_marks("said")
        (CueMarks(repeated=False, negated=True), CueMarks(repeated=False, negated=False))
    """
    if not cue:
        return CueMarks()
    text = _straight_apostrophes(unicodedata.normalize("NFKC", cue))
    repeated, negated = _cue_patterns()
    return CueMarks(repeated=bool(repeated.search(text)), negated=bool(negated.search(text)))


def quote_span(context: str, text: str) -> tuple[int, int] | None:
    """Where ``text`` sits in ``context``, or None: found by its first characters and ended by
    its last ones (so a span whose middle the extraction left out, "tried - in vain - to
    block", still ends in the right place); spaces collapsed as a context's are, then
    regardless of case.

    Example:
        >>> quote_span("He said we will win, loudly.", "we will win")
        (8, 19)
        >>> quote_span('"We will win," he said.', "we  will win")
        (1, 12)
        >>> quote_span("He is proud of the things he has tried - in vain - to block over the "
        ...            "years, he said.", "the things he has tried to block over the years")
        (15, 74)
    """
    quote = " ".join(text.split())
    if not quote:
        return None
    for haystack, needle in _case_views(context, quote):
        start = haystack.find(needle[:_HEAD])
        if start < 0:
            start = haystack.find(needle[: _HEAD // 2])
        if start < 0:
            continue
        end = start + len(needle)
        if haystack[start:end] != needle:
            # The middle differs: end where the quote's last words are, not far after.
            tail = needle[-_HEAD // 2 :]
            found = haystack.find(tail, start, start + 2 * len(needle) + _HEAD)
            if found >= 0:
                end = found + len(tail)
        return start, min(len(context), end)
    return None


def _case_views(context: str, quote: str) -> list[tuple[str, str]]:
    views = [(context, quote)]
    folded = context.lower()
    if len(folded) == len(context):  # offsets still line up
        views.append((folded, quote.lower()))
    return views


def _sentence_starts(context: str) -> list[int]:
    starts = [0]
    for found in _SENTENCE_END.finditer(context):
        if not _ABBREVIATION.search(context[: found.start() + 1]):
            starts.append(found.end())
    return starts


def _occasion_text(context: str, span: tuple[int, int]) -> str:
    """The quote's sentence and the one before it, the quote and other quotes left out."""
    start, end = span
    starts = _sentence_starts(context)
    own = max(i for i, s in enumerate(starts) if s <= start)
    first = starts[max(own - 1, 0)]
    following = [s for s in starts if s >= end]
    last = following[0] if following else len(context)
    text = f"{context[first:start]} \u2026 {context[end:last]}"
    return _OTHER_QUOTES.sub(" \u2026 ", text)


def _resolve(found: re.Match[str], published: date) -> date | None:
    if found.group("weekday"):
        which = (found.group("which") or "").lower()
        if which == "next":
            return None
        weekdays: list[str] = _data()["weekdays"]  # type: ignore[assignment]
        back = (published.weekday() - weekdays.index(found.group("weekday").lower())) % 7
        if which == "last" and back == 0:
            back = 7
        return published - timedelta(days=back)
    if found.group("before"):
        return published - timedelta(days=1)
    if found.group("same"):
        return published
    month = _month_numbers()[found.group("month").lower()]
    year = int(found.group("year")) if found.group("year") else published.year
    try:
        day = date(year, month, int(found.group("day")))
    except ValueError:
        return None
    if day > published and not found.group("year"):
        try:
            day = day.replace(year=year - 1)
        except ValueError:  # 29 February
            return None
    return day if day <= published else None


def _where(context: str | None, text: str, cue: str | None) -> str:
    """The words a report says its occasion in: the quote's sentence and the one before it
    (the quote and other quotes left out), and the cue."""
    where = cue or ""
    if context:
        span = quote_span(context, text)
        if span is not None:
            where = f"{_occasion_text(context, span)} \u2026 {where}"
    # Lower case: the word lists are, and matching without IGNORECASE is faster.
    return _straight_apostrophes(where).lower()


def occasion_days(
    context: str | None, text: str, published: date | None, cue: str | None = None
) -> tuple[date, ...]:
    """The days a report dates a quote's occasion to, sorted (empty when it says none).

    Read in the quote's sentence and the one before it in ``context``, and in the ``cue``,
    never inside the quote (a quote's own "on Friday" is what it talks about): a day of the
    week is the latest such day on or before ``published`` ("last Tuesday" on a Tuesday is a
    week before); "yesterday" and "last night" the day before; "today", "this morning" the
    day; "July 5" or "Dec. 7, 2015" that day (the latest one not after ``published``).

    Example:
        >>> occasion_days("Speaking yesterday, Ruiz said the plan is dead.", "the plan is dead",
        ...               date(2024, 3, 7), cue="said")
        (datetime.date(2024, 3, 6),)
        >>> occasion_days("She said she would release it on Friday.", "she would release it on "
        ...               "Friday", date(2024, 3, 7))
        ()
    """
    return read_occasion(context, text, published, cue).days


def occasion_kinds(context: str | None, text: str, cue: str | None = None) -> frozenset[str]:
    """The kinds of occasion a report names around a quote ("a post", "an interview", "a rally
    or speech", "a debate", "a written statement"; the word lists are data).

    Example:
        >>> sorted(occasion_kinds("In a tweet on Sunday, Ruiz wrote that the plan is dead.",
        ...                       "that the plan is dead"))
        ['a post']
    """
    return _kinds_in(_where(context, text, cue))


@lru_cache(maxsize=65536)
def read_occasion(
    context: str | None, text: str, published: date | None, cue: str | None = None
) -> Occasion:
    """What a report says of a quote's occasion (:class:`Occasion`; see :func:`occasion_days`
    and :func:`occasion_kinds`).

    Example:
        >>> read_occasion("At a rally on Monday, Ruiz said the plan is dead.",
        ...               "the plan is dead", date(2024, 3, 7)).days
        (datetime.date(2024, 3, 4),)
    """
    where = _where(context, text, cue)
    kinds = _kinds_in(where)
    if published is None:
        return Occasion(None, (), kinds)
    if not any(literal in where for literal in _day_literals()):
        return Occasion(published, (), kinds)
    days = {_resolve(found, published) for found in _expressions().finditer(where)}
    return Occasion(published, tuple(sorted(day for day in days if day is not None)), kinds)


def compare_occasions(a: Occasion, b: Occasion) -> tuple[str | None, str]:
    """("same" | "different" | None, the evidence in words) for two reports' occasions.

    "different": they date it to different days, one dates it after the other report was
    published (a report cannot carry words said after it appeared), or they name different
    kinds of occasion (a post and an interview). "same": both date it to one day. None: no
    evidence either way.

    Example:
        >>> d = date(2016, 6, 13)
        >>> compare_occasions(Occasion(d, (d,)), Occasion(d, (d - timedelta(days=1),)))
        ('different', 'dated 2016-06-13 and 2016-06-12')
        >>> compare_occasions(Occasion(d, (d,)), Occasion(date(2016, 6, 14), (d,)))
        ('same', 'both dated 2016-06-13')
        >>> compare_occasions(Occasion(d, kinds=frozenset({"a post"})),
        ...                   Occasion(d, kinds=frozenset({"an interview"})))
        ('different', 'a post and an interview')
    """
    if a.days and b.days and not set(a.days) & set(b.days):
        return "different", f"dated {_days(a.days)} and {_days(b.days)}"
    for one, other in ((a, b), (b, a)):
        if one.days and other.published is not None and one.days[0] > other.published:
            return "different", (
                f"dated {_days(one.days)}, after the other report of {other.published.isoformat()}"
            )
    if a.kinds and b.kinds and not a.kinds & b.kinds:
        return "different", f"{' / '.join(sorted(a.kinds))} and {' / '.join(sorted(b.kinds))}"
    if a.days and b.days:
        return "same", f"both dated {sorted(set(a.days) & set(b.days))[0].isoformat()}"
    return None, ""


def _days(days: Sequence[date]) -> str:
    return "/".join(day.isoformat() for day in days)
