"""Layout before language: hard-wrapped lines, paragraphs and page furniture.

Plain-text wires, e-mails, transcripts and books break lines every 60-80 characters inside a
paragraph. A quote crossing such a break must still be one quote, so :func:`unwrap` turns every
wrap into a space *of the same length* (``"\\n"`` -> ``" "``, ``"\\r\\n"`` -> ``"  "``): every
later stage reads the unwrapped text and every offset it produces is still an offset into the
original text.

A line break is a wrap when the text looks hard-wrapped (most lines end near one width, no line
is much longer) and the first word of the next line would not have fitted on the line before
it. A blank line, an indented line, a list item or a speaker label ("LEE:") always starts a new
paragraph, and so does a line after a short one: short lines are ends of paragraphs.

Example:
    >>> wrapped = ("The mayor of the harbour town said on Monday that the\\n"
    ...            "bridge across the river would open again in May and\\n"
    ...            "promised that the ferry would run until work ends.\\n\\nNext.")
    >>> unwrap(wrapped)[50:110]
    'the bridge across the river would open again in May and prom'
    >>> len(unwrap(wrapped)) == len(wrapped)
    True
"""

from __future__ import annotations

import itertools
import re
import statistics

from quotes import lexicon

# Hard-wrapped text is wrapped at 40-132 columns; a text whose long lines are much longer than
# that is written one paragraph per line.
MIN_WRAP_WIDTH = 40
MAX_WRAP_WIDTH = 132
# Share of the lines that end close to the wrap width in a hard-wrapped text.
MIN_FULL_LINES = 0.5
FULL_LINE = 0.7

_DASH_OPENING = re.compile(r"^[–—―]\s")
_NEW_BLOCK = re.compile(r"^(?:\s|[-*•·–—―]\s|\d+[.)]\s|[A-Z][A-Z .’'-]{1,40}:\s|>)")


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, without its line break."""
    spans = []
    start = 0
    for match in re.finditer(r"\r\n|\n|\r", text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def wrap_width(text: str) -> int | None:
    """The width a hard-wrapped text was wrapped at, or ``None`` when it is not hard-wrapped.

    Example:
        >>> wrap_width("one paragraph on a line\\nanother one") is None
        True
    """
    lengths = [e - s for s, e in _lines(text) if text[s:e].strip()]
    if len(lengths) < 3:
        return None
    width = max(lengths)
    if not MIN_WRAP_WIDTH <= width <= MAX_WRAP_WIDTH:
        return None
    full = sum(1 for n in lengths if n >= FULL_LINE * width)
    if full < MIN_FULL_LINES * len(lengths) or statistics.median(lengths) < FULL_LINE * width:
        return None
    return width


def _is_wrap(text: str, line: tuple[int, int], following: tuple[int, int], width: int) -> bool:
    """Was the break between ``line`` and ``following`` made by the wrapping, not the writer?"""
    current = text[line[0] : line[1]]
    nxt = text[following[0] : following[1]]
    if not current.strip() or not nxt.strip():
        return False
    if _NEW_BLOCK.match(nxt) and not _dash_goes_on(current, nxt):
        return False
    if nxt.lstrip().lower().startswith(lexicon.FURNITURE_PREFIXES):
        return False
    first_word = nxt.split(None, 1)[0]
    return len(current.rstrip()) + 1 + len(first_word) > width


def _dash_goes_on(current: str, nxt: str) -> bool:
    """A wrapped sentence may put its dash at the start of a line ("... with Washington /
    — Beijing over ..."); a list item or a signature follows a line that ends a sentence.

    Example:
        >>> _dash_goes_on("confrontations with Washington", "— Beijing over its program")
        True
        >>> _dash_goes_on("“We sail at nine.”", "― Ann Lee, harbour master")
        False
    """
    return bool(_DASH_OPENING.match(nxt)) and current.rstrip()[-1:] not in _SENTENCE_ENDS


def unwrap(text: str) -> str:
    """``text`` with the line breaks of hard wrapping turned into spaces (same length).

    Example:
        >>> unwrap("A short line.\\nAnother short line.")
        'A short line.\\nAnother short line.'
    """
    width = wrap_width(text)
    if width is None:
        return text
    chars = list(text)
    lines = _lines(text)
    for line, following in itertools.pairwise(lines):
        if _is_wrap(text, line, following, width):
            for i in range(line[1], following[0]):
                chars[i] = " "
    return "".join(chars)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line: a paragraph, once :func:`unwrap` has run.

    Example:
        >>> paragraphs("A.\\n\\nB.")
        [(0, 2), (4, 6)]
    """
    return [(s, e) for s, e in _lines(text) if text[s:e].strip()]


def is_furniture(line: str) -> bool:
    """Page furniture: "Also Read: ...", "Source: Agency", "Related stories" and the like.

    Example:
        >>> is_furniture("Also Read: Final voter list released")
        True
        >>> is_furniture("Lee said so.")
        False
    """
    return line.strip().lower().startswith(lexicon.FURNITURE_PREFIXES)


# A pasted related-link headline: a short line that ends no sentence, after the title.
MAX_LINK_WORDS = 25
_SENTENCE_ENDS = ".!?:;…)\"”’'»"


def furniture(text: str) -> list[tuple[int, int]]:
    r"""(start, end) of the paragraphs that are page furniture: "Also Read: ..." lines and the
    related-link headlines pasted between paragraphs (a short line that ends no sentence; the
    first line is the article's own title and stays).

    Example:
        >>> text = "Lee wins\nLee said so.\nMinister announces new tariffs\nIt rained."
        >>> [text[s:e] for s, e in furniture(text)]
        ['Minister announces new tariffs']
    """
    found = []
    for index, (start, end) in enumerate(paragraphs(text)):
        line = text[start:end].strip()
        link = index > 0 and line[-1] not in _SENTENCE_ENDS and len(line.split()) <= MAX_LINK_WORDS
        if link or is_furniture(line):
            found.append((start, end))
    return found
