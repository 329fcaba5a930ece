"""Rule-based tokenizer and sentence splitter for news text: the default first stage of a parse.

Stanza's neural tokenizer costs more than the rest of the pipeline together (on the news
benchmark of ``bench/throughput.py`` it needed ~13 s for 84 articles on two cores, against
under a second here), while the attribution benchmark scores within half a point either way on
these tokens (``bench/attribution.py`` writes both). The tagger and parser then run on the
chosen sentences as before. ``QUOTES_TOKENIZER=stanza`` (see :mod:`quotes.nlp`) brings the
neural one back.

Tokens follow the Universal Dependencies English conventions the bundled models were trained
on: clitics split off ("Trump" + "'s", "do" + "n't", "ca" + "n't"), abbreviations and initials
kept whole ("U.S.", "Mr.", "J."), numbers with separators kept whole ("3,000", "12:20"),
ellipses and doubled quote marks ("''") as one token. Every token's text is exactly its slice
of the input. Sentences end at ``.``, ``!``, ``?`` or ``…`` (with any closing quote marks or
brackets) before a capital, a digit or an opening mark, except after a known abbreviation or a
single initial, and at every line break.

Example:
    >>> [[t.text for t in s] for s in tokenize_text("Mr. Obama didn't say 3,000. It's late.")]
    [['Mr.', 'Obama', 'did', "n't", 'say', '3,000', '.'], ['It', "'s", 'late', '.']]
"""

from __future__ import annotations

import re

from quotes import lexicon
from quotes.records import Token

TITLE_ABBREVIATIONS: frozenset[str] = lexicon.words(
    "mr mrs ms dr sen rep gov gen lt col prof capt sgt rev adm cmdr maj supt"
)
"""Abbreviated titles: a name follows them, so their dot never ends a sentence."""

ABBREVIATIONS: frozenset[str] = TITLE_ABBREVIATIONS | lexicon.words(
    """
    st jr sr no vs u.s u.n u.k d.c inc corp co ltd jan feb mar apr aug sept sep oct nov dec
    ft mt
    """
)
"""Words whose dot is part of the word; a sentence does not end there either."""

# Capitalised only ("No. 1", "St. Louis"), so that "was no." or "the co." still end a sentence.
_ABBREVIATION_ALTERNATIVES = "|".join(
    sorted((a.capitalize() for a in ABBREVIATIONS if "." not in a), key=len, reverse=True)
)
_TOKEN = re.compile(
    rf"""
      https?://[^\s"“”'‘’<>()]+[^\s"“”'‘’<>().,;:!?]  # a URL, without its closing punctuation
    | (?:[A-Za-z]\.){{2,}}                           # U.S., a.m., D.C.
    | (?:{_ABBREVIATION_ALTERNATIVES}|vs)\.(?!\w)      # Mr., Sept., Inc., vs.
    | [A-Z]\.(?=\s+[A-Z])                            # an initial: Donald J. Trump
    | \d+(?:[.,:/]\d+)+(?!\w)                        # 3,000  2.5  12:20  9/11
    | [@#]\w+                                        # @handles and #hashtags
    | \w+(?:[-'’]\w+)*                               # words, hyphenated words, O'Brien
    | \.{{2,}} | ''|`` | -{{2,}}                     # ... '' `` --
    | \S
    """,
    re.VERBOSE,
)
# Clitics split off a word, as in the UD treebanks: "don't" -> "do" + "n't", "she's" -> "she" +
# "'s". Longest first, so "n't" wins over "'t".
_CLITIC = re.compile(r"(?i)(?:n[’']t|[’'](?:s|re|ve|ll|d|m))$")
_SENTENCE_END = re.compile(r"[.!?…]+(?:''|[\"”’)\]])*\s+(?=(?:''|[\"“‘(\[])?[A-Z0-9])|\n+")
_WORD_BEFORE_DOT = re.compile(r"([\w.]+)$")


def ends_in_abbreviation(text: str, dot: int) -> bool:
    """Is the ``.`` at ``text[dot]`` part of an abbreviation or an initial (not a sentence end)?

    Example:
        >>> ends_in_abbreviation("Mr. Wang", 2), ends_in_abbreviation("It rained. Wang", 9)
        (True, False)
    """
    word = _WORD_BEFORE_DOT.search(text[max(0, dot - 12) : dot])
    if word is None or text[dot : dot + 1] != ".":
        return False
    value = word.group(1).rstrip(".")
    if len(value) == 1:
        return value.isalpha()  # an initial
    if "." not in value and not value[0].isupper() and value != "vs":
        return False
    return value.lower() in ABBREVIATIONS


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text``; together they cover it, in order.

    Example:
        >>> text = "Gov. Brown spoke. He left."
        >>> [text[a:b] for a, b in sentence_bounds(text)]
        ['Gov. Brown spoke. ', 'He left.']
    """
    ends = [
        m.end() for m in _SENTENCE_END.finditer(text) if not ends_in_abbreviation(text, m.start())
    ]
    bounds: list[tuple[int, int]] = []
    start = 0
    for end in [*ends, len(text)]:
        if end > start:
            bounds.append((start, end))
            start = end
    return bounds


def tokenize_span(text: str, start: int, end: int) -> list[Token]:
    """The tokens of ``text[start:end]``, with offsets into ``text``.

    Example:
        >>> [t.text for t in tokenize_span("They can't.", 0, 11)]
        ['They', 'ca', "n't", '.']
    """
    tokens: list[Token] = []
    for match in _TOKEN.finditer(text, start, end):
        word_start, word_end = match.span()
        clitic = _CLITIC.search(match.group(0))
        cut = word_start + clitic.start() if clitic is not None else word_end
        if word_start < cut < word_end:
            tokens.append(Token(len(tokens), text[word_start:cut], word_start, cut))
            tokens.append(Token(len(tokens), text[cut:word_end], cut, word_end))
        else:
            tokens.append(Token(len(tokens), text[word_start:word_end], word_start, word_end))
    return tokens


def tokenize_text(text: str) -> list[list[Token]]:
    """Sentences of tokens, offsets into ``text``; sentences without a token are left out.

    Example:
        >>> [len(s) for s in tokenize_text("One two.\\n\\nThree.")]
        [3, 2]
    """
    sentences = (tokenize_span(text, start, end) for start, end in sentence_bounds(text))
    return [tokens for tokens in sentences if tokens]
