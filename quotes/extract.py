"""Text in, quotes out: the entry points of extraction (the stages live in
:mod:`quotes.extraction`).

:func:`extract_texts` unwraps hard-wrapped lines, tokenizes every sentence, parses the sentences
that :func:`needs_parse` keeps (those with a quote mark, a reporting word or a lead-in colon;
the others cannot hold an attribution), and runs the staged extractor on each article.

Example:
    >>> [(q.kind, q.text, q.speaker) for q in extract_text('Lee said, "We agree."', doc_id="a")]
    [('direct', 'We agree.', 'Lee')]
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from quotes import lexicon
from quotes.extraction import extract_quotes, unwrap
from quotes.extraction.marks import MarkedSpan, find_quote_marks
from quotes.records import ParsedDoc, Quote, Sentence, Token
from quotes.segment import tokenize_text

if TYPE_CHECKING:
    from quotes.nlp import NLP

# Bumped whenever the extraction rules or models change what is extracted: stores re-extract
# articles cached under another version.
ENGINE_VERSION = "2026.12.3"
MAX_PARSED_SENTENCE_CHARS = 1_200
"""Longer sentences are not parsed (an 8,000-character one took 100 s)."""

# Verb forms that can open an attribution. Statement nouns ("the claim that ...") and credits
# ("according to") report only beside one of these or a quote mark in nearly every sentence of
# the attribution benchmark's train split, so they do not select a sentence on their own.
_CUE_WORDS = frozenset(lexicon.CUE_FORMS)
_WORD = re.compile(r"[A-Za-z]+")
# Quote marks, not apostrophes: "don't" and "Trump's" hold no quote.
_MARKS = '"“”„«»‘`'


def needs_parse(text: str, tokens: Sequence[Token]) -> bool:
    """Should this sentence (``tokens``, offsets into the article ``text``) be parsed?

    Yes when it can hold an attribution: a quote mark, a reporting verb, or a colon that ends
    it (a lead-in). Passed as ``select`` to :meth:`quotes.nlp.NLP.parse_many`.

    Example:
        >>> doc = simple_parse("The old judge said it was over. It rained.")
        >>> [needs_parse(doc.text, s.tokens) for s in doc.sentences]
        [True, False]
    """
    if not tokens:
        return False
    sentence = text[tokens[0].start : tokens[-1].end]
    if len(sentence) > MAX_PARSED_SENTENCE_CHARS:
        return False  # the parser's cost grows faster than quadratically
    if any(c in _MARKS for c in sentence) or "''" in sentence or sentence.rstrip().endswith(":"):
        return True
    found = [word.lower() for word in _WORD.findall(sentence)]
    if any(word in _CUE_WORDS for word in found) or _credit_phrase(found):
        return True
    # "Okoro points out that ...", "Ruiz pointed to ...": a form that is mostly a noun, or a verb
    # that reports only with its particle, right before that word.
    return any(
        found[k + 1] in lexicon.NOUN_FIRST_FORMS.get(found[k], ())
        or found[k + 1] in lexicon.PARTICLE_CUE_FORMS.get(found[k], ())
        for k in range(len(found) - 1)
    )


def _credit_phrase(found: Sequence[str]) -> bool:
    """ "According to Dana Whitfield, ...", "..., in Ruiz's view": a credit names the source of
    its clause with no reporting verb, so it selects the sentence on its own.

    Example:
        >>> _credit_phrase(["in", "ruiz", "s", "view"]), _credit_phrase(["in", "the", "view"])
        (True, False)
    """
    pairs = itertools.pairwise(found)
    if any(first == "according" and second == "to" for first, second in pairs):
        return True
    return any(
        found[k] == "in" and found[k + 2] == "s" and found[k + 3] in lexicon.CREDIT_NOUNS
        for k in range(len(found) - 3)
    )


def simple_parse(text: str) -> ParsedDoc:
    """The rules tokenizer of :mod:`quotes.segment` and no parse: no model, no tags.

    Example:
        >>> [t.text for t in simple_parse("Wang's view.").sentences[0].tokens]
        ['Wang', "'s", 'view', '.']
    """
    sentences = tuple(
        Sentence(index, tokens[0].start, tokens[-1].end, tuple(tokens))
        for index, tokens in enumerate(tokenize_text(text))
    )
    return ParsedDoc(text=text, sentences=sentences)


def extract_text(
    text: str,
    *,
    doc_id: str,
    nlp: NLP | None = None,
) -> list[Quote]:
    """Parse one article (the sentences that can hold a quote) and extract its quotes.

    Example:
        >>> [q.speaker for q in extract_text('“It works,” Wang said.', doc_id="a")]
        ['Wang']
    """
    return extract_texts([(doc_id, text)], nlp=nlp)[0]


def extract_texts(
    items: Sequence[tuple[str, str]],
    *,
    nlp: NLP | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[list[Quote]]:
    """Extract the quotes of several articles, ``(doc_id, text)`` pairs, batching the parser.

    Example:
        >>> [len(quotes) for quotes in extract_texts([("a", "Wang said yes."), ("b", "")])]
        [0, 0]
    """
    if not items:
        return []
    if nlp is None:
        from quotes.nlp import load_pipeline

        nlp = load_pipeline()
    unwrapped = [unwrap(text) for _, text in items]
    docs = nlp.parse_many(unwrapped, select=needs_parse, progress=progress)
    return [
        extract_quotes(doc, doc_id=doc_id, original=text)
        for (doc_id, text), doc in zip(items, docs, strict=True)
    ]


def format_table(quotes: Sequence[Quote]) -> str:
    """A readable fixed-width table of quotes (``quotes extract --format table``).

    Example:
        >>> print(format_table([Quote(doc="a", start=0, end=2, text="Hi", spans=((0, 2),),
        ...                           kind="direct", speaker="Wang Yi", confidence=0.9)]))
        doc  kind    speaker  outlet  cue  conf  text
        a    direct  Wang Yi  -       -    0.90  Hi
    """
    headers = ("doc", "kind", "speaker", "outlet", "cue", "conf", "text")
    rows = [
        (
            q.doc,
            q.kind,
            q.speaker or "-",
            q.outlet or "-",
            q.cue or "-",
            f"{q.confidence:.2f}",
            _shorten(" ".join(q.text.split()), 70),
        )
        for q in quotes
    ]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    lines = [
        "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()
        for row in [headers, *rows]
    ]
    return "\n".join(lines)


def _shorten(value: str, width: int) -> str:
    return value if len(value) <= width else value[: width - 1] + "…"


__all__ = [
    "ENGINE_VERSION",
    "MarkedSpan",
    "extract_quotes",
    "extract_text",
    "extract_texts",
    "find_quote_marks",
    "format_table",
    "needs_parse",
    "simple_parse",
]
