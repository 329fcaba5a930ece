"""The rule-based tokenizer and sentence splitter, on sentences of my own wording."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from quotes.segment import ends_in_abbreviation, sentence_bounds, tokenize_span, tokenize_text


def words(text: str) -> list[list[str]]:
    return [[t.text for t in sentence] for sentence in tokenize_text(text)]


def test_clitics_split_off_as_in_the_treebanks() -> None:
    assert words("Lena's dog won't bark, and they're sure she'd know.") == [
        [
            "Lena",
            "'s",
            "dog",
            "wo",
            "n't",
            "bark",
            ",",
            "and",
            "they",
            "'re",
            "sure",
            "she",
            "'d",
            "know",
            ".",
        ]
    ]
    assert words("Kovac’s team can’t wait.")[0][:5] == ["Kovac", "’s", "team", "ca", "n’t"]


def test_names_with_apostrophes_and_hyphens_stay_whole() -> None:
    assert words("O'Neill met a so-called expert.")[0][:5] == [
        "O'Neill",
        "met",
        "a",
        "so-called",
        "expert",
    ]


def test_abbreviations_initials_and_numbers_are_one_token() -> None:
    tokens = words("Gov. Ann B. Reyes paid $2,500.75 at 9:30 a.m. in the U.K. on Sept. 4.")[0]
    for token in ("Gov.", "B.", "2,500.75", "9:30", "a.m.", "U.K.", "Sept."):
        assert token in tokens
    assert tokens[-2:] == ["4", "."]


def test_ellipses_doubled_marks_handles_and_links() -> None:
    tokens = words("He wrote ''enough'' ... see @harbourwatch or https://example.org/pier.")[0]
    assert tokens.count("''") == 2
    assert "..." in tokens and "@harbourwatch" in tokens
    assert tokens[-2:] == ["https://example.org/pier", "."]


def test_sentences_end_at_final_punctuation_before_a_capital_and_at_line_breaks() -> None:
    text = "The pier opened. “Finally!” a fisher shouted. Was it late? Yes\nHeadline here"
    assert [text[a:b].strip() for a, b in sentence_bounds(text)] == [
        "The pier opened.",
        "“Finally!” a fisher shouted.",
        "Was it late?",
        "Yes",
        "Headline here",
    ]


def test_no_sentence_end_after_titles_initials_or_a_lower_case_start() -> None:
    text = "Dr. Ito met Mr. J. Park in St. Paul. “It is done,” she said. it goes on."
    spans = [text[a:b].strip() for a, b in sentence_bounds(text)]
    assert spans == ["Dr. Ito met Mr. J. Park in St. Paul.", "“It is done,” she said. it goes on."]
    assert ends_in_abbreviation(text, text.index("Dr.") + 2)
    assert not ends_in_abbreviation("The vote was no. Then", 15)


def test_a_lower_case_no_at_a_sentence_end_is_a_word_not_an_abbreviation() -> None:
    assert words("The answer was no. Then they left.") == [
        ["The", "answer", "was", "no", "."],
        ["Then", "they", "left", "."],
    ]


def test_empty_and_blank_text_have_no_sentences() -> None:
    assert tokenize_text("") == []
    assert tokenize_text(" \n\n\t ") == []
    assert tokenize_span("abc", 1, 1) == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_any_text_gives_exact_ordered_offsets_covering_every_visible_character(text: str) -> None:
    covered: set[int] = set()
    last_end = 0
    for sentence in tokenize_text(text):
        assert sentence
        for position, token in enumerate(sentence):
            assert token.index == position
            assert last_end <= token.start < token.end <= len(text)
            assert text[token.start : token.end] == token.text
            assert not any(c.isspace() for c in token.text)
            covered.update(range(token.start, token.end))
            last_end = token.end
    visible = {i for i, c in enumerate(text) if not c.isspace()}
    assert covered == visible
