"""Stage 1, quote marks: pair the marks of every paragraph into quoted spans.

Straight, curly, guillemet and single marks; a quote continued across paragraphs by the newspaper
convention (an unclosed paragraph followed by one that re-opens); one bad mark never swallows the
article: problems are recorded on the span (``issues``) and the pairing carries on.

Example:
    >>> [m.text("Lee said “yes” twice.") for m in find_quote_marks("Lee said “yes” twice.")]
    ['yes']
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

OPEN_DOUBLE = "“„«"
CLOSE_DOUBLE = "”»"
STRAIGHT_DOUBLE = '"'
OPEN_SINGLE = "‘"
CLOSE_SINGLE = "’"
QUOTE_CHARS = OPEN_DOUBLE + CLOSE_DOUBLE + STRAIGHT_DOUBLE + OPEN_SINGLE + CLOSE_SINGLE + "'`"


@dataclass(frozen=True, slots=True)
class MarkedSpan:
    """Text between quote marks: inner pieces (one per paragraph) and the marks' extent."""

    outer_start: int
    outer_end: int
    pieces: tuple[tuple[int, int], ...]
    issues: tuple[str, ...] = ()
    closing: str = ""
    """The punctuation right before the closing mark ("," "." "?" "!"), "" when none."""
    ends_paragraph: bool = False
    """True when a line break follows the closing mark: what comes next is a new paragraph."""

    @property
    def start(self) -> int:
        return self.pieces[0][0]

    @property
    def end(self) -> int:
        return self.pieces[-1][1]

    def text(self, article: str) -> str:
        """The quoted words (inside the marks).

        Example:
            >>> MarkedSpan(0, 4, ((1, 3),)).text('"ab"')
            'ab'
        """
        return article[self.start : self.end]

    def contains(self, offset: int) -> bool:
        """True when ``offset`` lies between the marks (the marks included).

        Example:
            >>> MarkedSpan(0, 4, ((1, 3),)).contains(3)
            True
        """
        return self.outer_start <= offset < self.outer_end


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in re.finditer(r"[^\n]+", text):
        if match.group(0).strip():
            spans.append((match.start(), match.end()))
    return spans


def _is_opening(text: str, i: int) -> bool:
    """A straight or ambiguous mark opens when it sits before a word and after a space."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if after.isspace():
        return False
    return before.isspace() or before in "([{—–-/:;,…" or before in OPEN_DOUBLE + OPEN_SINGLE


def _is_single_open(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isalnum() and not after.isspace()


def _is_single_close(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and not after.isalnum()


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ","):
        end -= 1
    return start, end


def find_quote_marks(text: str) -> list[MarkedSpan]:
    """Pair quote marks paragraph by paragraph; never lets one bad mark swallow the article.

    A paragraph that opens a quote without closing it continues into the next paragraph when that
    one re-opens a quote (the newspaper convention); otherwise the quote ends with its paragraph
    and the problem is recorded. Single curly quotes count at the top level only; inside a double
    quote they are nested quotes and stay part of the content.

    Example:
        >>> [text[s.start:s.end] for text in ['He said “yes, ‘maybe’” twice.']
        ...  for s in find_quote_marks(text)]
        ['yes, ‘maybe’']
    """
    # Some archives write double quotes as two apostrophes: read them as one straight mark.
    text = re.sub(r"''(?=\w)", ' "', text)
    text = re.sub(r"''", '" ', text)
    pairing = _Pairing(text)
    paragraphs = _paragraphs(text)
    for p_index, (p_start, p_end) in enumerate(paragraphs):
        i = pairing.enter_paragraph(p_start, p_end)
        while i < p_end:
            i = pairing.read(i)
        following = paragraphs[p_index + 1] if p_index + 1 < len(paragraphs) else None
        pairing.leave_paragraph(p_end, following)
    if pairing.open_at is not None:
        pairing.close(len(text), len(text), "unclosed quote mark")
    return pairing.spans


class _Pairing:
    """The state of find_quote_marks: the quote open now (its opening mark, kind and the pieces
    read so far, one per paragraph it spans) and the spans closed."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans: list[MarkedSpan] = []
        self.open_at: int | None = None  # offset of the opening mark of the current quote
        self.open_kind = ""
        self.pieces: list[tuple[int, int]] = []
        self.piece_start = 0
        self.issues: list[str] = []

    def open(self, at: int, kind: str) -> None:
        self.open_at, self.open_kind, self.piece_start = at, kind, at + 1

    def drop(self) -> None:
        """Forget the open candidate (single marks that never closed were apostrophes)."""
        self.open_at, self.pieces, self.issues = None, [], []

    def close(self, end_inner: int, outer_end: int, extra: str | None = None) -> None:
        text = self.text
        assert self.open_at is not None
        all_pieces = [*self.pieces, (self.piece_start, end_inner)]
        trimmed = [_trim(text, s, e) for s, e in all_pieces]
        trimmed = [(s, e) for s, e in trimmed if e > s]
        if extra:
            self.issues.append(extra)
        if trimmed:
            stop = text[end_inner - 1] if end_inner > 0 and text[end_inner - 1] in ",.?!;:" else ""
            last_line = "\n" in text[outer_end : outer_end + 3] or outer_end >= len(text)
            self.spans.append(
                MarkedSpan(
                    self.open_at, outer_end, tuple(trimmed), tuple(self.issues), stop, last_line
                )
            )
        self.drop()

    def _reopens(self, first_char: str) -> bool:
        return (self.open_kind == "double" and first_char in OPEN_DOUBLE + STRAIGHT_DOUBLE) or (
            self.open_kind == "single" and first_char == OPEN_SINGLE
        )

    def enter_paragraph(self, p_start: int, p_end: int) -> int:
        """Where reading starts in a paragraph: after its opening mark when it continues the quote
        left open by the previous one; a quote it does not continue is closed first."""
        if self.open_at is None:
            return p_start
        first = self.text[p_start:p_end].lstrip()
        if first and self._reopens(first[0]):
            self.piece_start = p_start + (p_end - p_start - len(first)) + 1
            return self.piece_start
        pieces = self.pieces
        self.close(pieces.pop()[1] if pieces else self.piece_start, pieces[-1][1] if pieces else 0)
        return p_start

    def read(self, i: int) -> int:
        """Read the character at ``i``; the offset to read next."""
        ch = self.text[i]
        if self.open_at is None:
            if ch in OPEN_DOUBLE or (ch == STRAIGHT_DOUBLE and _is_opening(self.text, i)):
                self.open(i, "double")
            elif ch == OPEN_SINGLE and _is_single_open(self.text, i):
                self.open(i, "single")
            # anything else, a stray closing mark included, has nothing to pair with
        elif self.open_kind == "double":
            self._read_in_double(i, ch)
        elif ch == CLOSE_SINGLE and _is_single_close(self.text, i):
            self.close(i, i + 1)
        elif ch in OPEN_DOUBLE or ch == STRAIGHT_DOUBLE:
            self.drop()  # single marks that never closed were apostrophes
            return i
        return i + 1

    def _read_in_double(self, i: int, ch: str) -> None:
        following_char = self.text[i + 1 : i + 2]
        if ch in CLOSE_DOUBLE or ch == STRAIGHT_DOUBLE:
            self.close(i, i + 1)
        elif ch in OPEN_DOUBLE and (not following_char or following_char.isspace()):
            # '“It's unusual,“ said Noble': an opening mark typed where a closing one belongs
            # (it opens no word).
            self.close(i, i + 1, "closing quote mark written as an opening one")
        elif ch in OPEN_DOUBLE:
            self.close(i, i, "quote mark opened again before closing")
            self.open(i, "double")

    def leave_paragraph(self, p_end: int, following: tuple[int, int] | None) -> None:
        """A quote still open at a paragraph's end goes on when the next paragraph re-opens it;
        an open single mark was an apostrophe; an open double mark ends with its paragraph."""
        if self.open_at is None:
            return
        next_first = self.text[following[0] : following[1]].lstrip()[:1] if following else ""
        # At the last paragraph next_first is "" and a double quote runs on to the text's end.
        if self._reopens(next_first) if next_first else self.open_kind == "double":
            self.pieces.append((self.piece_start, p_end))
        elif self.open_kind == "single":
            self.drop()
        else:
            self.close(p_end, p_end, "unclosed quote mark")


def inside_marks(marks: Sequence[MarkedSpan]) -> Callable[[int], bool]:
    """A test for "is this offset between quote marks (not on a mark itself)?". Pairs may nest,
    so an offset is compared with the furthest end among the pairs opened before it.

    Example:
        >>> inside = inside_marks(find_quote_marks('He said "yes" then.'))
        >>> inside(9), inside(2)
        (True, False)
    """
    ordered = sorted((m.outer_start, m.outer_end) for m in marks)
    starts = [start for start, _ in ordered]
    reach: list[int] = []
    furthest = -1
    for _, end in ordered:
        furthest = max(furthest, end)
        reach.append(furthest)

    def inside(offset: int) -> bool:
        pos = bisect.bisect_right(starts, offset) - 1
        return pos >= 0 and ordered[pos][0] < offset < reach[pos] - 1

    return inside
