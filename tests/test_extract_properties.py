"""Property tests: any text gives valid quotes and never an exception."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from quotes.extract import extract_quotes, extract_text, find_quote_marks
from quotes.records import ParsedDoc, Sentence, Token

_PIECES = st.sampled_from(
    [
        "said",
        "told",
        "according to",
        "per Xinhua",
        "KCNA",
        "Wang",
        "she",
        "that",
        ",",
        ".",
        ":",
        '"',
        "“",
        "”",
        "‘",
        "’",
        "''",
        "'",
        "<p>",
        "</div>",
        "&amp;",
        "\n",
        "\n\n",
        " ",
        "Also Read:",
        "expressed willingness to",
        "’s",
        "declaration of",
        "\x00",
        "\x1b",
        "\u200b",
        "…",
        "—",
        "Mr.",
        "quoted",
        "as saying",
    ]
)
TEXTS = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(_PIECES, st.text(max_size=8)), max_size=60).map(" ".join),
    st.lists(_PIECES, max_size=80).map("".join),
)


def whitespace_doc(text: str) -> ParsedDoc:
    """Tokens are whitespace-separated chunks; a sentence ends at a line break or a final '.'."""
    sentences: list[Sentence] = []
    tokens: list[Token] = []
    for match in re.finditer(r"\S+", text):
        if tokens and "\n" in text[tokens[-1].end : match.start()]:
            sentences.append(
                Sentence(len(sentences), tokens[0].start, tokens[-1].end, tuple(tokens))
            )
            tokens = []
        tokens.append(Token(len(tokens), match.group(0), match.start(), match.end()))
        if match.group(0).endswith("."):
            sentences.append(
                Sentence(len(sentences), tokens[0].start, tokens[-1].end, tuple(tokens))
            )
            tokens = []
    if tokens:
        sentences.append(Sentence(len(sentences), tokens[0].start, tokens[-1].end, tuple(tokens)))
    return ParsedDoc(text=text, sentences=tuple(sentences))


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_any_text_gives_valid_quotes(text: str) -> None:
    quotes = extract_quotes(whitespace_doc(text), doc_id="p")
    assert [q.start for q in quotes] == sorted(q.start for q in quotes)
    for quote in quotes:
        assert 0 <= quote.start < quote.end <= len(text)
        assert text[quote.start : quote.end] == quote.text
        assert quote.spans[0][0] == quote.start and quote.spans[-1][1] == quote.end
        for start, end in quote.spans:
            assert quote.start <= start < end <= quote.end
        for start, end in (
            (quote.speaker_start, quote.speaker_end),
            (quote.cue_start, quote.cue_end),
        ):
            if start is not None:
                assert end is not None and 0 <= start <= end <= len(text)
        if quote.speaker_mention is not None:
            assert text[quote.speaker_start : quote.speaker_end] == quote.speaker_mention  # type: ignore[misc]
        if quote.cue is not None:
            assert text[quote.cue_start : quote.cue_end] == quote.cue  # type: ignore[misc]


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_quote_marks_stay_inside_the_text(text: str) -> None:
    for span in find_quote_marks(text):
        assert 0 <= span.outer_start <= span.start < span.end <= span.outer_end <= len(text)
        for start, end in span.pieces:
            assert text[start:end].strip() == text[start:end]


def test_an_unbalanced_mark_keeps_the_rest_of_the_article() -> None:
    text = 'He said "this never ends.\n' + "Ortiz said the budget passed. " * 3
    quotes = extract_text(text, doc_id="u")
    assert sum(q.text.startswith("the budget passed") for q in quotes) == 3
