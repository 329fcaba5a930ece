"""Hard-wrapped text: unwrapping keeps every offset, and rewrapping never changes the quotes."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotes.extract import extract_text
from quotes.extraction.layout import paragraphs, unwrap, wrap_width

SEEDS = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))


def rewrap(paragraph: str, width: int) -> str:
    """Greedy hard wrap at ``width``: spaces become line breaks, nothing else changes."""
    chars = list(paragraph)
    line_start = 0
    last_space = -1
    for i, ch in enumerate(paragraph):
        if ch == " ":
            last_space = i
        if i - line_start >= width and last_space > line_start:
            chars[last_space] = "\n"
            line_start = last_space + 1
    return "".join(chars)


def wrapped_article(text: str, width: int) -> tuple[str, list[int]]:
    """The article with blank lines between paragraphs and each paragraph wrapped, and for
    every character of the result its offset in ``text`` (-1 for an added newline)."""
    out: list[str] = []
    origin: list[int] = []
    for index, (start, end) in enumerate(paragraphs(text)):
        if index:
            out.append("\n\n")
            origin.extend([-1, -1])
        out.append(rewrap(text[start:end], width))
        origin.extend(range(start, end))
    return "".join(out), origin


def quote_keys(text: str, origin: list[int] | None = None) -> set[tuple[int, int, str, str | None]]:
    found = set()
    for quote in extract_text(text, doc_id="w"):
        start = origin[quote.start] if origin else quote.start
        end = origin[quote.end - 1] + 1 if origin else quote.end
        found.add((start, end, quote.kind, quote.speaker))
    return found


def test_unwrap_keeps_length_and_joins_only_wraps() -> None:
    wire = (
        "Ann Okoro, the harbour master, said on Monday that the old pier\n"
        "would stay closed until the inspectors had finished their work on\n"
        "the pilings, and that the ferry would use the new landing instead.\n"
        "\n"
        "“We will not take chances with the public,” Okoro told reporters\n"
        "gathered at the gate.\n"
        "LEE: Is it safe?\n"
    )
    flat = unwrap(wire)
    assert len(flat) == len(wire)
    assert "old pier would stay" in flat and "work on the pilings" in flat
    assert "\n\n“We will" in flat  # the blank line stays a paragraph break
    assert "gate.\nLEE:" in flat  # a speaker label starts its own line


def test_text_written_one_paragraph_per_line_is_left_alone() -> None:
    text = "A short headline\n" + "A long paragraph that goes on and on. " * 12 + "\nNext one."
    assert wrap_width(text) is None
    assert unwrap(text) == text


def test_a_quote_crossing_a_line_break_is_found_and_points_into_the_original() -> None:
    wire = (
        "The harbour board met on Monday to weigh the future of the old pier,\n"
        "which has been closed since the storm. “We cannot reopen it before the\n"
        "inspectors report, and that will take months,” said Ann Okoro, who chairs\n"
        "the board and has run the port for a decade.\n"
    )
    quotes = [q for q in extract_text(wire, doc_id="w") if q.kind == "direct"]
    assert len(quotes) == 1
    quote = quotes[0]
    assert wire[quote.start : quote.end] == quote.text
    assert "\n" in quote.text and quote.text.startswith("We cannot reopen")
    assert quote.speaker == "Ann Okoro"


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(article=st.sampled_from(SEEDS), width=st.integers(min_value=45, max_value=100))
def test_rewrapping_an_article_does_not_change_its_quotes(article: Path, width: int) -> None:
    text = article.read_text(encoding="utf-8")
    one_per_line = re.sub(r"\n+", "\n\n", text.strip())  # the same article, blank-line paragraphs
    plain, _ = wrapped_article(one_per_line, 10_000)
    wrapped, origin = wrapped_article(one_per_line, width)
    assert len(wrapped) == len(plain)
    assert quote_keys(wrapped, origin) == quote_keys(plain)
