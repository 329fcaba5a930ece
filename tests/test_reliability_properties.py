"""Hostile text through the whole text-to-quotes path: no exception, every offset valid.

Every test runs ``quotes.extract.extract_text`` with the real Stanza pipeline (the bundled
models when ``data/models/en/depparse`` exists, else the official tokenizer in
``../shared/stanza_resources``), on text built by hypothesis from article-like fragments
(names, reporting verbs, outlets, every kind of quote mark, markup, junk characters) and from
raw Unicode. The properties, for every quote found:

- no exception, whatever the input;
- ``0 <= start < end <= len(text)`` and ``text[start:end] == quote.text``;
- its spans are ordered, non-empty, inside ``[start, end]``, and the first and last meet the
  quote's ends;
- cue, speaker and outlet offsets, when present, are inside the text, and the cue and speaker
  mention equal the text at their offsets;
- the quote is JSON-ready (what the store writes).

Scale: ``QUOTES_HYPOTHESIS_EXAMPLES`` (default 150) examples shared out over the input classes
(half to the article-like text, less to the costly long texts); ``QUOTES_HYPOTHESIS_SEED``
(default 8) fixes the generated examples so a failure reproduces (hypothesis also prints the
failing example and its reproduction blob). ``bench/reliability.py`` runs the same tests with
more examples and records the numbers in ``RELIABILITY.md``.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, seed, settings
from hypothesis import strategies as st

from quotes.extract import extract_text
from quotes.nlp import NLP, load_pipeline
from quotes.records import QUOTE_KINDS, SPEAKER_TYPES, Quote

ROOT = Path(__file__).resolve().parent.parent
BUNDLED_DEPPARSE = ROOT / "data" / "models" / "en" / "depparse"
SHARED_STANZA = ROOT.parent / "shared" / "stanza_resources"

EXAMPLES = int(os.environ.get("QUOTES_HYPOTHESIS_EXAMPLES", "150"))
SEED = int(os.environ.get("QUOTES_HYPOTHESIS_SEED", "8"))
LOG = os.environ.get("QUOTES_RELIABILITY_LOG")

# Examples run per input class, written to $QUOTES_RELIABILITY_LOG for RELIABILITY.md.
RUNS: Counter[str] = Counter()
LONGEST: Counter[str] = Counter()


def _settings(share: float, minimum: int) -> settings:
    return settings(
        max_examples=max(minimum, int(EXAMPLES * share)),
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
            HealthCheck.function_scoped_fixture,
        ],
        print_blob=True,
    )


@pytest.fixture(scope="module")
def nlp() -> Iterator[NLP]:
    """The real pipeline: bundled models when trained, else the official tokenizer."""
    with pytest.MonkeyPatch.context() as patch:
        if BUNDLED_DEPPARSE.is_dir():
            patch.delenv("QUOTES_STANZA_DIR", raising=False)
            pipeline = load_pipeline()
        elif SHARED_STANZA.is_dir():
            pipeline = load_pipeline(stanza_dir=SHARED_STANZA)
        else:
            pytest.skip("no Stanza models: neither data/models nor ../shared/stanza_resources")
        yield pipeline


@pytest.fixture(scope="module", autouse=True)
def _write_log() -> Iterator[None]:
    yield
    if LOG:
        entry = {
            "suite": "properties",
            "seed": SEED,
            "examples_setting": EXAMPLES,
            "runs": dict(RUNS),
            "longest_text": dict(LONGEST),
            "models": "bundled" if BUNDLED_DEPPARSE.is_dir() else "official tokenizer only",
        }
        with open(LOG, "a", encoding="utf-8") as out:
            out.write(json.dumps(entry) + "\n")


def assert_valid_quotes(text: str, quotes: list[Quote], doc_id: str) -> None:
    """Every invariant a quote must keep, whatever the text it came from."""
    length = len(text)
    for quote in quotes:
        assert quote.doc == doc_id
        assert quote.kind in QUOTE_KINDS
        assert quote.speaker_type in SPEAKER_TYPES
        assert 0 <= quote.start < quote.end <= length, (quote.start, quote.end, length)
        assert text[quote.start : quote.end] == quote.text
        assert quote.spans, "a quote without spans"
        assert quote.spans[0][0] == quote.start and quote.spans[-1][1] == quote.end
        previous_end = quote.start
        for start, end in quote.spans:
            assert previous_end <= start < end <= quote.end, quote.spans
            previous_end = end
        for begin, finish, covered in (
            (quote.cue_start, quote.cue_end, quote.cue),
            (quote.speaker_start, quote.speaker_end, quote.speaker_mention),
            (quote.outlet_start, quote.outlet_end, None),
        ):
            assert (begin is None) == (finish is None), (begin, finish)
            if begin is not None and finish is not None:
                assert 0 <= begin <= finish <= length, (begin, finish, length)
                if covered is not None:
                    assert text[begin:finish] == covered
        if quote.cue is not None:
            assert quote.cue_start is not None
        if quote.sentence_index is not None:
            assert quote.sentence_index >= 0
        assert all(isinstance(issue, str) for issue in quote.issues)
        json.dumps(quote.to_dict(), ensure_ascii=False)  # what the store writes must serialise


def run_whole_path(nlp: NLP, text: str, input_class: str) -> list[Quote]:
    RUNS[input_class] += 1
    LONGEST[input_class] = max(LONGEST[input_class], len(text))
    found = extract_text(text, doc_id="hostile", nlp=nlp)
    assert_valid_quotes(text, found, "hostile")
    return found


# --- fragments ----------------------------------------------------------------------------------
# All wording here is our own; the names are invented or generic.

SPEAKERS = [
    "Mayor Lena Holt",
    "Ines Varga",
    "Dr. Amara Osei",
    "the ministry",
    "A spokesperson for the port authority",
    "she",
    "He",
    "they",
    "José Núñez-García",
    "O'Brien",
    "Minister Tomasz Wróbel",
    "李明",
    "محمد الحسن",
    "דוד לוי",
    "Ms. Ana-Maria Popescu",
    "the Foreign Ministry's spokesman",
]
CUES = [
    "said",
    "says",
    "told reporters",
    "added",
    "warned",
    "stressed that",
    "insisted",
    "claimed",
    "was quoted as saying",
    "noted",
    "according to",
    "expressed willingness to",
    "denied",
    "wrote",
]
OUTLETS = ["KCNA", "Xinhua", "AP", "Reuters", "the Harbour Times", "Yonhap", "AFP", "TASS"]
# \u201a is the low single mark, \u2039 and \u203a the single angle quotes.
MARKS = ['"', "“", "”", "‘", "’", "«", "»", "„", "\u201a", "'", "`", "``", "''", "\u2039", "\u203a"]
MARKS += ["「", "」"]
WORDS = [
    "the",
    "bridge",
    "will",
    "reopen",
    "in",
    "June",
    "we",
    "never",
    "agreed",
    "to",
    "this",
    "plan",
    "all",
    "forms",
    "of",
    "pressure",
    "must",
    "stop",
    "budget",
    "passed",
    "Mr.",
    "U.S.",
    "e.g.",
    "don't",
    "it's",
    "'90s",
    "rock'n'roll",
    "3.5%",
    "$1,000",
    "10:30",
]
JUNK = [
    "\x00",
    "\x01",
    "\x07",
    "\x08",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\x9b",
    "\u2028",
    "\u2029",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u202e",
    "\u202d",
    "\u200f",
    "\u061c",
    "\u2066",
    "e\u0301",
    "\u0308\u0308\u0308\u0308",
    "a\u0489\u0489",
    "😀",
    "👩\u200d👩\u200d👧",
    "🇰🇵",
    "\U0001d518\U0001d52b\U0001d526",  # mathematical fraktur letters
    "𠀀𠀁",
    "\U0010fffd",
    "\ufffd",
    "\ufffe",
    "\uffff",
    "\t",
    "\r\n",
    "\r",
    "\v",
    "\f",
    "\xa0",
    "\u3000",
    "&amp;",
    "&#x27;",
    "&quot;",
    "&#8220;",
    "<script>alert(1)</script>",
    "<script>",
    '<img src=x onerror="alert(1)">',
    "<p>",
    "</div",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "<a href=\"javascript:alert('x')\">",
    "**bold**",
    "[link](javascript:alert(1))",
    "{{7*7}}",
    "${x}",
    "%s%n",
    "\\",
    "\\n",
    "…",
    "—",
    "–",
    "...",
    "!!!",
    "?",
    ";",
    ":",
    "(",
    ")",
    "Also Read:",
    "SEOUL, Oct. 3 (Yonhap) --",
]

unicode_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=16)
word = st.one_of(st.sampled_from(WORDS), st.sampled_from(JUNK), unicode_text)
content = st.lists(word, min_size=0, max_size=12).map(" ".join)
mark = st.sampled_from(MARKS)
speaker = st.sampled_from(SPEAKERS)
cue = st.sampled_from(CUES)
outlet = st.sampled_from(OUTLETS)


@st.composite
def nested(draw: st.DrawFn, depth: int = 3) -> str:
    """A quote inside a quote inside a quote, with marks that may or may not pair."""
    inner = draw(content)
    for _ in range(draw(st.integers(1, depth))):
        inner = f"{draw(mark)}{draw(content)} {draw(speaker)} {draw(cue)} {inner}{draw(mark)}"
    return inner


@st.composite
def attributed_sentence(draw: st.DrawFn) -> str:
    """One sentence in a shape the extractor's rules look for, with random marks and words."""
    who, verb, said = draw(speaker), draw(cue), draw(content)
    opening, closing = draw(mark), draw(mark)
    shape = draw(st.integers(0, 8))
    if shape == 0:
        return f"{who} {verb}, {opening}{said}{closing}"
    if shape == 1:
        return f"{opening}{said},{closing} {who} {verb}."
    if shape == 2:
        more = draw(content)
        return f"{opening}{said},{closing} {who} {verb}, {draw(mark)}{more}.{draw(mark)}"
    if shape == 3:
        return f"{who} {verb} that {said}."
    if shape == 4:
        return f"{who} told {draw(outlet)} that {said}, {draw(outlet)} reported."
    if shape == 5:
        return f"{who} {verb}: {draw(nested())}"
    if shape == 6:
        return f"{said} {opening}{draw(content)}{closing} {said}"
    if shape == 7:
        return f"{draw(outlet)} quoted {who} as saying {opening}{said}{closing}"
    return f"According to {draw(outlet)}, {who} {verb} {said}"


separator = st.sampled_from([" ", "  ", "\n", "\n\n", "", "\r\n", "\t", " \u200b "])


@st.composite
def article(draw: st.DrawFn) -> str:
    """An article: attributed sentences, junk and raw Unicode, glued by random separators."""
    parts = draw(
        st.lists(
            st.one_of(attributed_sentence(), content, st.sampled_from(JUNK), nested()),
            min_size=0,
            max_size=14,
        )
    )
    out: list[str] = []
    for part in parts:
        out.append(part)
        out.append(draw(separator))
    return "".join(out)


@st.composite
def quote_storm(draw: st.DrawFn) -> str:
    """Thousands of quote marks, alone or between short words and attributions."""
    count = draw(st.integers(500, 3000))
    marks = draw(st.lists(mark, min_size=1, max_size=6))
    glue = draw(st.sampled_from(["", " ", " he said ", "x", "\n", ", Holt said, "]))
    pieces = [marks[i % len(marks)] for i in range(count)]
    return glue.join(pieces) if draw(st.booleans()) else "".join(pieces) + glue * 3


@st.composite
def long_sentence(draw: st.DrawFn) -> str:
    """One sentence of thousands of characters and no sentence end, maybe inside quote marks."""
    words = draw(st.lists(st.sampled_from(WORDS[:20]) | unicode_text, min_size=1, max_size=8))
    unit = " ".join(words) + " "
    size = draw(st.integers(2_000, 15_000))
    body = (unit * (size // max(len(unit), 1) + 1))[:size]
    opening, closing = draw(mark), draw(st.sampled_from([*MARKS, ""]))
    return f"{draw(speaker)} {draw(cue)} {opening}{body}{closing}"


@st.composite
def broken_markup(draw: st.DrawFn) -> str:
    """Unclosed, misnested and scripted markup around quotes, as a careless scrape leaves it."""
    tags = ["p", "div", "script", "style", "a", "img", "b", "span", "iframe", "svg"]
    pieces: list[str] = []
    for _ in range(draw(st.integers(1, 12))):
        tag = draw(st.sampled_from(tags))
        attribute = draw(
            st.sampled_from(["", ' onerror="alert(1)"', " class='q'", ' title="“x”"', " x=<"])
        )
        pieces.append(draw(st.sampled_from([f"<{tag}{attribute}>", f"</{tag}>", f"<{tag}"])))
        pieces.append(draw(st.one_of(attributed_sentence(), content)))
    return "".join(pieces)


whitespace_only = st.text(
    alphabet=st.sampled_from(
        [
            " ",
            "\t",
            "\n",
            "\r",
            "\v",
            "\f",
            "\xa0",
            "\u3000",
            "\u2028",
            "\u2029",
            "\u200b",
            "\ufeff",
            "\x85",
            "\u2002",
        ]
    ),
    max_size=40,
)


# --- tests --------------------------------------------------------------------------------------


@seed(SEED)
@_settings(share=0.5, minimum=20)
@given(text=article())
@example(text="")
@example(text='Mayor Lena Holt said, "The bridge will reopen in June."')
@example(text='"We never agreed," she said, "to this plan.')
def test_article_like_text_gives_valid_quotes(nlp: NLP, text: str) -> None:
    run_whole_path(nlp, text, "article-like fragments (names, cues, outlets, marks, junk)")


@seed(SEED)
@_settings(share=0.2, minimum=10)
@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
@example(text="\x00" * 50)
@example(text="\U0001f600" * 200 + "\u0301" * 200)
def test_random_unicode_gives_valid_quotes(nlp: NLP, text: str) -> None:
    run_whole_path(nlp, text, "random Unicode (all categories but surrogates)")


@seed(SEED)
@_settings(share=0.15, minimum=10)
@given(text=st.one_of(nested(depth=6), st.lists(nested(), max_size=6).map("\n".join)))
def test_nested_and_mixed_quote_marks_give_valid_quotes(nlp: NLP, text: str) -> None:
    run_whole_path(nlp, text, "nested and mixed quote marks")


@seed(SEED)
@_settings(share=0.15, minimum=10)
@given(text=broken_markup())
def test_broken_markup_and_scripts_give_valid_quotes(nlp: NLP, text: str) -> None:
    run_whole_path(nlp, text, "broken HTML, script tags, markdown tricks")


@seed(SEED)
@_settings(share=0.04, minimum=4)
@given(text=quote_storm())
def test_thousands_of_quote_marks_give_valid_quotes(nlp: NLP, text: str) -> None:
    run_whole_path(nlp, text, "thousands of quote marks")


@seed(SEED)
@_settings(share=0.02, minimum=3)
@given(text=long_sentence())
def test_very_long_sentences_give_valid_quotes(nlp: NLP, text: str) -> None:
    run_whole_path(nlp, text, "very long sentences (2,000-15,000 chars, no sentence end)")


@seed(SEED)
@_settings(share=0.1, minimum=10)
@given(text=whitespace_only)
def test_empty_and_whitespace_only_text_gives_no_quotes(nlp: NLP, text: str) -> None:
    found = run_whole_path(nlp, text, "empty and whitespace-only")
    visible = text.replace("\u200b", "").replace("\ufeff", "")
    if not visible.strip():
        assert found == []


@pytest.mark.slow
def test_a_sentence_of_twenty_thousand_characters(nlp: NLP) -> None:
    body = " ".join(f"clause{i % 97} of the statement" for i in range(900))
    text = f'Ines Varga said, "{body}" and the meeting ended'
    assert len(text) > 20_000
    found = run_whole_path(nlp, text, "one 20,000-character sentence in quote marks")
    assert any(q.start <= text.index("clause0") < q.end for q in found), "the long quote was lost"
