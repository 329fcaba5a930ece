"""Find the quotations of an article: direct, mixed (partial), indirect (reported) and scare quotes.

Two layers work together:

- quote marks, paired on the raw text (straight and curly marks, quotes running over several
  paragraphs, unbalanced marks recorded in ``Quote.issues`` instead of swallowing the article);
- attribution frames, found on the words of each sentence: a reporting cue ("said", "according
  to", "quoted ... as saying", "expressed willingness", "X's declaration"), its speaker mention
  and the reported clause. Dependencies are used when the sentence was parsed; surface rules on
  the words otherwise, so unparsed sentences still yield quotes.

A quote-marked span inside a frame's clause is a *direct* quote when it fills the clause, else
the whole clause is a *mixed* quote; frames without quote marks give *indirect* quotes; short
quoted words with no frame are *scare* quotes. :mod:`quotes.attribute` then names the speakers.

Example:
    >>> [(q.kind, q.text, q.speaker) for q in extract_text('"We agree," Wang said.', doc_id="a",
    ...                                                    nlp=None, parser=simple_parse)]
    [('direct', 'We agree', 'Wang')]
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from quotes import lexicon
from quotes.records import ParsedDoc, Quote, Sentence, Token
from quotes.segment import (
    ABBREVIATIONS,
    TITLE_ABBREVIATIONS,
    ends_in_abbreviation,
    tokenize_span,
    tokenize_text,
)

if TYPE_CHECKING:
    from quotes.nlp import NLP

OPEN_DOUBLE = "“„«"
CLOSE_DOUBLE = "”»"
STRAIGHT_DOUBLE = '"'
OPEN_SINGLE = "‘"
CLOSE_SINGLE = "’"
QUOTE_CHARS = OPEN_DOUBLE + CLOSE_DOUBLE + STRAIGHT_DOUBLE + OPEN_SINGLE + CLOSE_SINGLE + "'`"
SCARE_MAX_WORDS = 3

_CANDIDATE_RE = re.compile(
    r"[\"“”„«»]|‘[^’]{2,}’|\baccording to\b|\bper\s+[A-Z]|\bas stated in\b|\breported by\b|"
    r"\bquoted\b",
    re.IGNORECASE,
)
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z’'\-]*")
MAX_PARSED_SENTENCE_CHARS = 1_200
# Bumped whenever the extraction rules or models change what is extracted: stores re-extract
# articles cached under another version.
ENGINE_VERSION = "2026.12.1"
"""Longer sentences are not parsed (an 8,000-character one took 100 s): surface rules apply."""


def is_candidate_sentence(text: str) -> bool:
    """Cheap test: can this sentence hold a quote or an attribution?

    Passed as ``select`` to :meth:`quotes.nlp.NLP.parse_many` so that only these sentences get
    POS tags and dependencies. Sentences naming people are resolved from their surface words, so
    they need no parse.

    Example:
        >>> is_candidate_sentence("Wang said the talks went well.")
        True
        >>> is_candidate_sentence("The weather was fine.")
        False
    """
    if len(text) > MAX_PARSED_SENTENCE_CHARS:
        return False  # the parser's cost grows faster than quadratically; surface rules instead
    if _CANDIDATE_RE.search(text):
        return True
    for match in _WORD_RE.finditer(text):
        word = match.group(0).lower().rstrip("’'")
        if word in lexicon.REPORTING_FORMS or word in lexicon.SPEECH_NOUNS:
            return True
    return False


_MENTION_BOUNDARY = frozenset(",;:()[]—–!?." + QUOTE_CHARS)


def needs_parse(text: str, tokens: Sequence[Token]) -> bool:
    """Should this sentence (``tokens``, offsets into the article ``text``) be parsed?

    Only when the surface rules find a reporting frame whose speaker mention the parse could
    still grow: the dependency parse serves nothing else (it extends a mention leftwards to the
    cue's whole subject, "The retired judge from Ohio"), so the other sentences are only
    tokenized. Passed as ``select`` to :meth:`quotes.nlp.NLP.parse_many`.

    Example:
        >>> doc = simple_parse("The old judge said it was over. It rained.")
        >>> [needs_parse(doc.text, s.tokens) for s in doc.sentences]
        [True, False]
    """
    if not tokens:
        return False
    base = tokens[0].start
    sentence = text[base : tokens[-1].end]
    if not is_candidate_sentence(sentence):
        return False
    # The same clauses, quote marks and frames as extract_quotes, on this sentence alone.
    inside_marks = _inside_marks(find_quote_marks(sentence))
    alone = ParsedDoc(text=text, sentences=(Sentence(0, base, tokens[-1].end, tuple(tokens)),))
    for clause in _clauses(alone):
        quoted = _quoted_flags(clause, inside_marks, base)
        starts = {t.start: pos for pos, t in enumerate(clause)}
        for frame in _frames_in_clause(text, clause, quoted):
            if frame.speaker is None:
                continue
            pos = starts.get(frame.speaker[0])
            # The parse can only grow a mention leftwards over words ("The retired judge"):
            # a mention that opens the clause or follows a boundary stays as it is.
            if pos is None or (
                pos > 0 and not all(c in _MENTION_BOUNDARY for c in clause[pos - 1].text)
            ):
                return True
    return False


# ---------------------------------------------------------------------------------------------
# Quote marks


@dataclass(frozen=True, slots=True)
class MarkedSpan:
    """Text between quote marks: inner pieces (one per paragraph) and the marks' extent."""

    outer_start: int
    outer_end: int
    pieces: tuple[tuple[int, int], ...]
    issues: tuple[str, ...] = ()

    @property
    def start(self) -> int:
        return self.pieces[0][0]

    @property
    def end(self) -> int:
        return self.pieces[-1][1]


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
    spans: list[MarkedSpan] = []
    # Some archives write double quotes as two apostrophes: read them as one straight mark.
    text = re.sub(r"''(?=\w)", ' "', text)
    text = re.sub(r"''", '" ', text)
    paragraphs = _paragraphs(text)
    open_at: int | None = None  # offset of the opening mark of the current quote
    open_kind = ""
    pieces: list[tuple[int, int]] = []
    piece_start = 0
    issues: list[str] = []

    def close(end_inner: int, outer_end: int, extra: str | None = None) -> None:
        nonlocal open_at, pieces, issues
        assert open_at is not None
        all_pieces = [*pieces, (piece_start, end_inner)]
        trimmed = [_trim(text, s, e) for s, e in all_pieces]
        trimmed = [(s, e) for s, e in trimmed if e > s]
        if extra:
            issues.append(extra)
        if trimmed:
            spans.append(MarkedSpan(open_at, outer_end, tuple(trimmed), tuple(issues)))
        open_at, pieces, issues = None, [], []

    for p_index, (p_start, p_end) in enumerate(paragraphs):
        i = p_start
        if open_at is not None:
            # A quote left open by the previous paragraph: continue it only if this one re-opens.
            first = text[p_start:p_end].lstrip()
            lead = p_end - p_start - len(first)
            if (first and first[0] in OPEN_DOUBLE + STRAIGHT_DOUBLE and open_kind == "double") or (
                first and first[0] == OPEN_SINGLE and open_kind == "single"
            ):
                i = p_start + lead + 1
                piece_start = i
            else:
                close(pieces.pop()[1] if pieces else piece_start, pieces[-1][1] if pieces else 0)
        while i < p_end:
            ch = text[i]
            if open_at is None:
                if ch in OPEN_DOUBLE or (ch == STRAIGHT_DOUBLE and _is_opening(text, i)):
                    open_at, open_kind, piece_start = i, "double", i + 1
                elif ch == STRAIGHT_DOUBLE or ch in CLOSE_DOUBLE:
                    pass  # a stray closing mark: nothing to pair it with
                elif ch == OPEN_SINGLE and _is_single_open(text, i):
                    open_at, open_kind, piece_start = i, "single", i + 1
            elif open_kind == "double":
                following_char = text[i + 1 : i + 2]
                if ch in CLOSE_DOUBLE or ch == STRAIGHT_DOUBLE:
                    close(i, i + 1)
                elif ch in OPEN_DOUBLE and (not following_char or following_char.isspace()):
                    # '“It's unusual,“ said Noble': an opening mark typed where a closing one
                    # belongs (it opens no word).
                    close(i, i + 1, "closing quote mark written as an opening one")
                elif ch in OPEN_DOUBLE:
                    close(i, i, "quote mark opened again before closing")
                    open_at, open_kind, piece_start = i, "double", i + 1
            elif open_kind == "single":
                if ch == CLOSE_SINGLE and _is_single_close(text, i):
                    close(i, i + 1)
                elif ch in OPEN_DOUBLE or ch == STRAIGHT_DOUBLE:
                    # Single marks that never closed were apostrophes: drop that candidate.
                    open_at, pieces, issues = None, [], []
                    continue
            i += 1
        if open_at is not None:
            following = paragraphs[p_index + 1] if p_index + 1 < len(paragraphs) else None
            next_first = text[following[0] : following[1]].lstrip()[:1] if following else ""
            continues = (open_kind == "double" and next_first in OPEN_DOUBLE + STRAIGHT_DOUBLE) or (
                open_kind == "single" and next_first == OPEN_SINGLE
            )
            if continues:
                pieces.append((piece_start, p_end))
            elif open_kind == "single":
                open_at, pieces, issues = None, [], []
            else:
                close(p_end, p_end, "unclosed quote mark")
    if open_at is not None:
        close(len(text), len(text), "unclosed quote mark")
    return spans


# ---------------------------------------------------------------------------------------------
# Words and clauses


def _is_quote_token(tok: Token) -> bool:
    return bool(tok.text) and all(c in QUOTE_CHARS for c in tok.text)


def _quoted_flags(
    tokens: Sequence[Token], inside_marks: Callable[[int], bool], base: int = 0
) -> list[bool]:
    """Per token: a quote mark, or inside a pair of them (offsets of the pairs from ``base``).

    An unpaired apostrophe glued to a word in "s" is the plural possessive ("Sanders’ campaign"),
    which the tokenizer splits off as UD does, not a quote mark.
    """
    flags = []
    for pos, tok in enumerate(tokens):
        if inside_marks(tok.start - base):
            flags.append(True)
            continue
        possessive = (
            _is_possessive(tok)
            and pos > 0
            and tokens[pos - 1].end == tok.start
            and tokens[pos - 1].text[-1:] in {"s", "S"}
        )
        flags.append(_is_quote_token(tok) and not possessive)
    return flags


def _clauses(doc: ParsedDoc) -> list[list[Token]]:
    """Sentences cut at line breaks, and rejoined where the tokenizer split one too early.

    A headline glued to the next sentence stays apart. A sentence that ends inside its own
    attribution ('"We will win,"' / 'Lee said.') is joined to the next: a comma before the
    closing mark, or a question or exclamation mark followed by a lower-case word, never ends
    a sentence.
    """
    units: list[list[Token]] = []
    text = doc.text
    for sentence in doc.sentences:
        current: list[Token] = []
        for tok in sentence.tokens:
            if current and "\n" in text[current[-1].end : tok.start]:
                units.append(current)
                current = []
            current.append(tok)
        if not current:
            continue
        previous = units[-1] if units else None
        if (
            previous is not None
            and "\n" not in text[previous[-1].end : current[0].start]
            and _continues(text, previous, current)
        ):
            previous.extend(current)
        else:
            units.append(current)
    return units


def _continues(text: str, unit: list[Token], following: list[Token]) -> bool:
    """Does the clause ``unit`` run on into ``following`` despite a sentence break?"""
    tail = text[unit[max(0, len(unit) - 3)].start : unit[-1].end].rstrip()
    title = re.search(r"\b(\w+)\.$", tail)
    if title and title.group(1).lower() in TITLE_ABBREVIATIONS:
        return True  # '... Ms.' / 'White said.': the tokenizer took the title's dot for an end
    closed_quote = tail[-1:] in QUOTE_CHARS
    tail = tail.rstrip(QUOTE_CHARS).rstrip()
    if tail.endswith(","):
        return True
    if not tail.endswith(("?", "!")):
        return False
    if following[0].text[:1].islower():
        return True
    # '"Who pays?" Dunne asked.': a question or exclamation quoted, then its attribution.
    # '"How are you?" Ruiz, a retired nurse, said into the phone.': a name, its appositive,
    # then the cue.
    reach = 16 if len(following) > 2 and _lower(following[1]) == "," else 5
    return closed_quote and any(
        lexicon.reporting_lemma(_lower(tok)) is not None for tok in following[:reach]
    )


def _line_of(text: str, offset: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, len(text) if end < 0 else end


def _is_furniture_line(text: str, line: tuple[int, int], first_line_start: int) -> bool:
    """Related-link headlines and "Also Read:" lines pasted into the article."""
    body = text[line[0] : line[1]].strip()
    if not body:
        return True
    lowered = body.lower()
    if lowered.startswith(lexicon.FURNITURE_PREFIXES):
        return True
    if line[0] <= first_line_start:
        return False  # the title: may carry an attribution ("X: '...'")
    words = body.split()
    ends_sentence = body[-1] in ".!?:;…)" or body[-1] in QUOTE_CHARS
    return not ends_sentence and len(words) <= 25


def _lower(tok: Token) -> str:
    return tok.text.lower()


def _is_possessive(tok: Token) -> bool:
    return _lower(tok) in {"'s", "’s", "'", "’"}


def _is_capitalised(tok: Token) -> bool:
    return tok.text[:1].isupper()


_DETERMINERS = frozenset(
    ["the", "a", "an", "another", "his", "her", "their", "its", "our", "my", "your", "some"]
)
_NP_UPOS = frozenset({"NOUN", "PROPN", "PRON", "DET", "ADJ", "NUM"})


_QUANTITY_WORDS = lexicon.words(
    """percent half third quarter majority minority most some many few several both others
    one two three four five six seven eight nine ten in of all"""
)


def _np_like(tok: Token) -> bool:
    """Can this word belong to a speaker mention? POS when parsed, surface shape otherwise."""
    low = _lower(tok)
    if _is_possessive(tok) or low in {"-", "–", "."}:
        return True
    if low in _QUANTITY_WORDS - {"in", "of", "all"}:
        return True  # "About 9 percent said", "Two in three said", "Some said"
    if low in lexicon.STOP_WORDS and low not in _DETERMINERS:
        return False
    if tok.upos is not None:
        return tok.upos in _NP_UPOS or (tok.upos == "PART" and _is_possessive(tok))
    if low in lexicon.REPORTING_FORMS:
        return False
    if _is_capitalised(tok) or low in _DETERMINERS or low in lexicon.PRONOUNS:
        return True
    if low in lexicon.SPEAKER_NOUNS or lexicon.is_title_word(low):
        return True
    return bool(re.fullmatch(r"\d[\w-]*|[\w]+-(year-old|based)", low))


@dataclass(slots=True)
class Frame:
    """An attribution found in one clause: cue, speaker mention, reported clause, outlet."""

    cue: tuple[int, int]
    speaker: tuple[int, int] | None
    content: tuple[int, int] | None
    speaker_after: bool = False
    outlet: tuple[int, int] | None = None
    outlet_only: bool = False  # "according to KCNA": the outlet stands in for the speaker
    used: bool = False
    weak: bool = False  # an attitude or action verb ("opposes", "backed"), not a speech verb


_INVERSION_LEMMAS = frozenset(
    lexicon.words(
        """
    say add tell write explain continue ask insist note warn reply respond answer recall
    conclude argue claim declare state observe tweet post shout scream yell whisper cry exclaim
    mutter quip joke retort counter remark wonder scoff sneer snap interject marvel muse recount
    plead gush concur exhort remember bark elaborate chide tease sigh groan thunder opine
    surmise demur crack
    """
    )
)

# ", saying ...", ", adding that ...": a new attribution starts; the clause before it ends here.
_PARTICIPLE_TAIL = re.compile(r"(,[\"”’']*)\s+(?:\w+ly\s+)?(\w+ing)\b")

_COORDINATED_CUE = re.compile(r",?\s+(?:and|but)\s+(?:then\s+|also\s+)?([A-Za-z]+)\b")

# "..., while Okoro said ...", "..., but the council insisted ...": the next clause has a
# speaker and a report of its own.
_CONTRASTED_REPORT = re.compile(
    r",\s+(?:while|whereas|but|and|though|although)\s+((?:[\w.'’-]+\s+){1,6}?)([a-z]+)\b"
)

# '... had been "rigged" against him, a charge that the party denied' / '; with less success,
# ...': the writer's comment on what was said, not part of it.
_AFTERTHOUGHT = re.compile(r"(?:,\s+an?\s+\w+\s+(?:that|which)\b|;\s).*$", re.DOTALL)

_ATTRIBUTION_TAIL = re.compile(
    r",?\s*(?:according to|as stated in|as reported by|reported by|per|as quoted by|"
    r"citing|as cited by|as told to)\b.*$",
    re.IGNORECASE | re.DOTALL,
)


_ATTACHED_POSSESSIVE = re.compile(r"\w['’]s$")

_CLAUSE_ADVERBS = lexicon.words(
    """later earlier then now also still meanwhile however yet instead afterward afterwards
    today yesterday separately previously recently again finally indeed moreover but and so
    thus therefore"""
)

_APPOSITIVE_LINKS = frozenset(
    lexicon.words(
        """
    the a an of for in at and to on from with his her their its
    """
    )
)


# An appositive between commas before the cue: up to this many words, or more when a relative
# clause ("who ...", "whose firm ...") makes it long.
_APPOSITIVE_WORDS = 20
_RELATIVE_APPOSITIVE_WORDS = 30
_RELATIVE_PRONOUNS = frozenset({"who", "whose", "which", "whom"})

# "went on to say", "took to the radio to explain": the subject of the first verb reports.
_GOING_ON_TO = re.compile(
    r"\b(?:(?:went|goes|go|going|carried|moved)\s+on|continued|continues|proceeded|"
    r"proceeds|was\s+quick|were\s+quick|hastened|(?:took|takes|taking)\s+to\s+[\w’'@.]+"
    r"(?:\s+[\w’'@.]+)?)\s+to$"
)

_WEEKDAYS = lexicon.words("monday tuesday wednesday thursday friday saturday sunday")
_TIME_NOUNS = lexicon.words("week weekend month year night morning afternoon evening")


def _time_span_at(tokens: list[Token], k: int) -> int:
    """Length of a time adverbial starting at ``k`` ("on Friday", "last week"), else 0."""

    def low(pos: int) -> str:
        return _lower(tokens[pos]) if pos < len(tokens) else ""

    if low(k) in _WEEKDAYS or low(k) in {"yesterday", "today", "tonight"}:
        return 2 if low(k + 1) in _TIME_NOUNS else 1
    if low(k) == "on" and low(k + 1) in _WEEKDAYS:
        return 3 if low(k + 2) in _TIME_NOUNS else 2
    if low(k) in {"last", "this", "earlier", "later"} and (
        low(k + 1) in _TIME_NOUNS or low(k + 1) in _WEEKDAYS
    ):
        return 2
    if low(k) == "in" and (
        (low(k + 1) == "the" and low(k + 2) == "past")
        or (low(k + 1) in {"recent", "past"} and low(k + 2).rstrip("s") in _TIME_NOUNS | {"day"})
    ):
        return 3  # "have in the past said", "in recent weeks"
    return 0


def _time_span_before(tokens: list[Token], j: int) -> int:
    """Length of a time adverbial ending at ``j`` ("Lee on Friday said"), else 0."""
    for size in (3, 2, 1):
        if j - size + 1 >= 0 and _time_span_at(tokens, j - size + 1) == size:
            return size
    return 0


def _plain_word(tok: Token) -> bool:
    low = _lower(tok)
    return (
        tok.text[:1].isalpha()
        and (low not in lexicon.STOP_WORDS or low in _DETERMINERS)
        and low not in lexicon.REPORTING_FORMS
    )


# Words that are only ever prepositions: the noun phrase after one is never a subject ("Despite
# the perceived media attacks, Carson said ...": "attacks" is no cue with the speaker "media").
_ONLY_PREPOSITIONS = lexicon.words("despite amid amidst during without against toward towards via")


def _left_subject(tokens: list[Token], cue: int, quoted: list[bool]) -> tuple[int, int] | None:
    """Token range of the subject just left of a cue, skipping adverbs and parentheticals."""
    span = _left_subject_span(tokens, cue, quoted)
    if span is not None and span[0] > 0 and _lower(tokens[span[0] - 1]) in _ONLY_PREPOSITIONS:
        return None
    if span is not None:
        span = _with_place_of_origin(tokens, span, quoted)
    return span


def _with_place_of_origin(
    tokens: list[Token], span: tuple[int, int], quoted: list[bool]
) -> tuple[int, int]:
    """'Ann Okoro, 58, of Lagos, Nigeria, said': a subject found as 'Nigeria' is the place the
    person comes from; the mention runs back to the person."""
    start, end = span
    if end - start > 4 or not _is_capitalised(tokens[start]):
        return span
    k, commas = start, 0
    while k - 1 >= 0 and start - k < 6 and not quoted[k - 1]:
        before = _lower(tokens[k - 1])
        if before == "," and commas == 0:
            commas += 1
        elif not _is_capitalised(tokens[k - 1]):
            break
        k -= 1
    if k < 1 or _lower(tokens[k - 1]) not in {"of", "from"} or not _is_capitalised(tokens[k]):
        return span
    person = _left_subject_span(tokens, k - 1, quoted)
    if person is None:
        return span
    first = person[0]
    if not _is_capitalised(tokens[first]) and first >= 2 and _lower(tokens[first - 1]) == ",":
        first -= 2  # "Ann Okoro, a pilot from Lagos, Nigeria": the name before the appositive
        while first - 1 >= 0 and _is_capitalised(tokens[first - 1]) and not quoted[first - 1]:
            first -= 1
    if quoted[first] or not _is_capitalised(tokens[first]):
        return span
    return (first, end)


def _left_subject_span(tokens: list[Token], cue: int, quoted: list[bool]) -> tuple[int, int] | None:
    j = cue - 1
    appositive_end: int | None = None
    while j >= 0 and not quoted[j]:
        low = _lower(tokens[j])
        if low in lexicon.SUBJECT_VERB_FILLERS or (
            low.endswith("ly") and not _is_capitalised(tokens[j]) and len(low) > 3
        ):
            j -= 1
            continue
        time_words = _time_span_before(tokens, j)
        if time_words and j - time_words >= 0 and not quoted[j - time_words]:
            j -= time_words  # "Lee on Friday said", "Lee last week said"
            continue
        if low in _DASHES and appositive_end is None:
            # "Lee -- who ran the port -- said", "Ann Okoro — a pilot — says": the part
            # between the dashes belongs to the mention.
            k = j - 1
            while k >= 0 and j - k < _RELATIVE_APPOSITIVE_WORDS and not quoted[k]:
                if _lower(tokens[k]) in _DASHES:
                    break
                k -= 1
            if k >= 1 and k < j - 1 and _lower(tokens[k]) in _DASHES and not quoted[k - 1]:
                previous = k - 1
                while previous >= 0 and _lower(tokens[previous]) in _DASHES:
                    previous -= 1  # "--" read as two hyphens
                if previous >= 0 and _np_like(tokens[previous]) and not quoted[previous]:
                    appositive_end = j - 1
                    j = previous
                    continue
            return None
        if low == ")":
            # "Sen. Ann Lee (D-Ohio) said", "Rep. Lee (D-Md.), chair of the panel, said": the
            # bracket belongs to the mention.
            k = j - 1
            while k >= 0 and k > j - 10 and _lower(tokens[k]) != "(" and not quoted[k]:
                k -= 1
            if k >= 1 and _lower(tokens[k]) == "(":
                if appositive_end is None:
                    appositive_end = j
                j = k - 1
                continue
            return None
        if low == "," and j >= 2 and appositive_end is None:
            relative = _relative_clause_before(tokens, j, quoted)
            if relative is not None:
                # "Okoro, who served in Oslo, Lagos and Lima, said": a relative clause may hold
                # commas of its own; the mention ends before it.
                j = relative
                continue
            # ", for her part," is skipped; ", the city's director," belongs to the mention.
            # Up to 13 words back; a possessive "'s" is part of its word ("the video's").
            k, words = j - 1, 0
            while k >= 0 and words < _RELATIVE_APPOSITIVE_WORDS and not quoted[k]:
                if _lower(tokens[k]) == ",":
                    break
                words += not _is_possessive(tokens[k])
                k -= 1
            if k < 1 or _lower(tokens[k]) != "," or quoted[k - 1] or k == j - 1:
                return None
            inner = tokens[k + 1 : j]
            relative = next(
                (r for r, t in enumerate(inner) if _lower(t) in _RELATIVE_PRONOUNS), None
            )
            if words > _APPOSITIVE_WORDS and (relative is None or relative > _APPOSITIVE_WORDS):
                return None
            first = inner[0]
            if relative is not None and _np_like(tokens[k - 1]) and not quoted[k - 1]:
                # "Ann Lee, who runs the firm that ..., said", "Lee, an aide whose office ...,
                # said": a relative clause may hold any words; the mention ends at the comma.
                if relative == 0:
                    j = k - 1
                    continue
                if _is_capitalised(first) or _lower(first) in _DETERMINERS or _np_like(first):
                    appositive_end = j - 1
                    j = k - 1
                    continue
            if (
                not _is_capitalised(first)
                and _lower(first) not in _DETERMINERS
                and not _np_like(first)
            ):
                j = k - 1  # a parenthetical
                continue
            if all(
                _lower(t) in _APPOSITIVE_LINKS
                or (
                    _lower(t) not in lexicon.STOP_WORDS and _lower(t) not in lexicon.REPORTING_FORMS
                )
                for t in inner
            ):
                appositive_end = j - 1
                j = k - 1
                continue
            return None
        break
    if j < 0 or quoted[j]:
        return None
    if (
        tokens[j].text.isdigit()
        and j >= 2
        and _lower(tokens[j - 1]) == ","
        and _is_capitalised(tokens[j - 2])
        and not quoted[j - 2]
    ):
        # "Ann Okoro, 58, who runs the ferry, said": the age belongs to the name before it.
        if appositive_end is None:
            appositive_end = j
        j -= 2
    if _lower(tokens[j]) == "who" and j >= 2 and _lower(tokens[j - 1]) == ",":
        # "Labor Secretary Tom Perez, who said ...": the mention runs from the antecedent to
        # "who" (annotators mark "who"; readers want the name).
        start = j - 2
        while start - 1 >= 0 and not quoted[start - 1] and _np_like(tokens[start - 1]):
            if j - start >= 10:
                break
            start -= 1
        if _np_like(tokens[j - 2]) and not quoted[j - 2]:
            return (start, j)
        return (j, j)
    if not _np_like(tokens[j]) and _lower(tokens[j]) not in lexicon.SPEAKER_NOUNS:
        # ("the council report said": a reporting word right before the cue is a noun.)
        # Without tags a lower-case noun is unknown: accept it when a determiner opens the phrase
        # ("the coach", "a local farmer").
        k = j
        while (
            k >= 0
            and k > j - 5
            and (
                _plain_word(tokens[k])
                # "the report concluded": a reporting word right after a determiner is a noun
                or (k >= 1 and _lower(tokens[k - 1]) in _DETERMINERS and tokens[k].text.isalpha())
            )
        ):
            if _lower(tokens[k]) in _DETERMINERS:
                break
            k -= 1
        if k < 0 or k == j or tokens[j].upos is not None or _lower(tokens[k]) not in _DETERMINERS:
            lemma = lexicon.reporting_lemma(_lower(tokens[cue])) if cue < len(tokens) else None
            if lemma not in lexicon.CLAUSE_VERBS - lexicon.WEAK_VERBS or tokens[j].upos is not None:
                return None
            if k >= 1 and k != j and _is_possessive(tokens[k]) and not quoted[k - 1]:
                # "Okoro's office said": a name's office, campaign, lawyer.
                start = k - 1
                while start - 1 >= 0 and not quoted[start - 1] and k - start < 4:
                    if not _is_capitalised(tokens[start - 1]):
                        break
                    start -= 1
                if _is_capitalised(tokens[start]):
                    return (start, appositive_end if appositive_end is not None else j)
            return _opening_noun_phrase(tokens, j, quoted, appositive_end)
        return (k, appositive_end if appositive_end is not None else j)
    end = j
    start = j
    while start - 1 >= 0 and not quoted[start - 1]:
        if end - start >= 10:
            break
        if _in_name(tokens, start - 1):
            start -= 1
        elif (
            _lower(tokens[start - 1]) == "and"
            and start >= 2
            and not quoted[start - 2]
            and _np_like(tokens[start - 2])
            and _lower(tokens[start - 2]) not in lexicon.PRONOUNS
        ):
            start -= 2  # "Okoro's friends and allies said", "Lee and Okoro said"
        else:
            break
    # A clause-initial capitalised function word ("But", "Later") is not part of the speaker.
    while start < end and (
        _lower(tokens[start]) in lexicon.STOP_WORDS - _DETERMINERS
        or _lower(tokens[start]) in _CLAUSE_ADVERBS
    ):
        start += 1
    return (start, appositive_end if appositive_end is not None else end)


def _relative_clause_before(tokens: list[Token], comma: int, quoted: list[bool]) -> int | None:
    """The word before ", who ..." when a relative clause with commas inside it runs up to the
    comma at ``comma``; ``None`` for a simple appositive."""
    inner_commas = 0
    for r in range(comma - 1, max(1, comma - _RELATIVE_APPOSITIVE_WORDS), -1):
        low = _lower(tokens[r])
        if quoted[r] or low in {";", ":", ".", "(", ")"}:
            return None
        if low == ",":
            inner_commas += 1
        elif low in {"who", "whose"} and _lower(tokens[r - 1]) == ",":
            before = r - 2
            if inner_commas and before >= 0 and not quoted[before] and _np_like(tokens[before]):
                return before
            return None
    return None


def _in_name(tokens: list[Token], k: int) -> bool:
    """Can the word at ``k`` belong to the mention that follows it? A capitalised reporting
    word inside a name counts ("Harbour State College's Ann Okoro")."""
    if _np_like(tokens[k]):
        return True
    return _is_capitalised(tokens[k]) and k >= 1 and _is_capitalised(tokens[k - 1])


def _opening_noun_phrase(
    tokens: list[Token], j: int, quoted: list[bool], appositive_end: int | None
) -> tuple[int, int] | None:
    """A long subject that opens the clause with a determiner: "The longtime harbour master and
    former ferry captain said" (no tags: every word up to the cue belongs to it)."""
    if j >= _APPOSITIVE_WORDS or tokens[j].upos is not None:
        return None
    if _lower(tokens[0]) not in _DETERMINERS | {"another", "one"}:
        return None
    for at, tok in enumerate(tokens[1 : j + 1], start=1):
        low = _lower(tok)
        if not (tok.text[:1].isalpha() or _is_possessive(tok)):
            return None
        if low in lexicon.REPORTING_FORMS and not _is_possessive(tokens[at - 1]):
            return None  # ("a source familiar with Lee's thinking": a noun after a possessive)
        if low in _RELATIVE_PRONOUNS | {"that"} and at >= 2 and tokens[at - 1].text.isalpha():
            continue  # "A harbour official who spoke on background said"
        if low in lexicon.STOP_WORDS - _APPOSITIVE_LINKS:
            return None
    return (0, appositive_end if appositive_end is not None else j)


def _clause_subject(tokens: list[Token], before: int, quoted: list[bool]) -> tuple[int, int] | None:
    """The first noun phrase of the clause, for participles: "Wang replied, stressing ..."."""
    i = 0
    # "Protesters marched, and the union sued the city, saying ...": the last coordinated
    # clause before the participle has the subject.
    for p in range(before - 1, 0, -1):
        if _lower(tokens[p]) in {"and", "but"} and _lower(tokens[p - 1]) in {",", ";"}:
            i = p + 1
            break
    if i == 0 and before > 0:
        i = _after_opening_phrase(tokens, before)
    while i < before and (quoted[i] or not _np_like(tokens[i])):
        if _lower(tokens[i]) in {",", ";"} and i > 0:
            return None
        i += 1
    if i >= before:
        return None
    end = i
    while end + 1 < before and not quoted[end + 1] and _np_like(tokens[end + 1]) and end - i < 8:
        end += 1
    if end == i and _lower(tokens[i]) in _DETERMINERS:
        # "the growers union sued": untagged nouns after a determiner, up to a past-tense verb.
        while (
            end + 1 < before
            and end - i < 4
            and _plain_word(tokens[end + 1])
            and not _lower(tokens[end + 1]).endswith("ed")
        ):
            end += 1
    return (i, end)


_CIRCUMSTANCE_OPENINGS = lexicon.words("by in on at during over from after before with via")
_BE_FORMS = lexicon.words("is was are were be been being 's ’s")


def _only_circumstance(span: str) -> bool:
    """A few words after a cue that open with a preposition and hold no verb ('by telephone
    this week', 'in a later interview') tell how or where it was said, not what; 'on Monday
    the port would close' is a report."""
    words = re.findall(r"[\w’']+", span.lower())
    return (
        0 < len(words) <= 6
        and words[0] in _CIRCUMSTANCE_OPENINGS
        and not any(w in _AUXILIARIES or w in _BE_FORMS or _finite_shape(w) for w in words)
    )


_CIRCUMSTANCE_PREPOSITIONS = lexicon.words(
    "in on at during after before with via through from outside inside near"
)

_QUESTION_OBJECT = re.compile(r"(?:(?:a|the|some|several|many)\s+)?(?:questions?|quer(?:y|ies))\b")

_VIEW_WORDS = lexicon.words("words view views opinion estimation judgment telling account")

_NOUN_MODIFIERS = lexicon.words(
    "opening closing prepared public recent latest previous own written joint final"
)

_SENTENCE_ADVERBS = lexicon.words(
    """
    however meanwhile still instead also then now yet absent outside inside over under amid
    amidst despite since as though although because following among asked speaking
    """
)
_TIME_TAILS = lexicon.words("later ago earlier afterward afterwards before")
_DASHES = frozenset({"-", "—", "–", "--"})


def _after_opening_phrase(tokens: list[Token], before: int) -> int:
    """Where the subject may start, past an opening phrase: "At Sunday's debate, Lee ...",
    "Minutes later, the council ...", "Hastily, Ruiz ...", "PORTLAND - Lee ..."."""
    first = tokens[0].text
    if len(first) >= 3 and first.isupper() and first.isalpha():
        # A dateline: "OSLO, May 2 (Wire) - Okoro ..."
        dash = next((p for p in range(min(before, 12)) if _lower(tokens[p]) in _DASHES), None)
        if dash is not None and dash + 1 < before:
            return dash + 1
    comma = next((p for p in range(before) if _lower(tokens[p]) == ","), None)
    if comma is None or comma + 1 >= before or comma > 12:
        return 0
    low = _lower(tokens[0])
    if low in {"but", "and", "so", "yet"} and comma > 1:
        low = _lower(tokens[1])  # "But instead of fixing the pier, Okoro ..."
    opens = (
        low in _ADVERBIAL_OPENERS
        or low in _SENTENCE_ADVERBS
        or (low.endswith("ly") and len(low) > 3 and comma == 1)
        or (low.endswith("ing") and len(low) > 4)
        or _lower(tokens[comma - 1]) in _TIME_TAILS
    )
    return comma + 1 if opens else 0


_ADVERBIAL_OPENERS = frozenset(
    lexicon.words(
        """
    on in at during after before to last this earlier later late when while from with monday
    tuesday wednesday thursday friday saturday sunday yesterday today tonight recently
    repeatedly
    """
    )
)


_BE_FORMS = lexicon.words("is are was were be been being am 's")

_AMBIGUOUS_FORMS = frozenset(
    lexicon.words(
        """
    state states report reports claim claims call calls comment comments post posts charge
    charges answer answers question questions demand demands promise promises pledge pledges
    vow vows tweet tweets note notes fear fears hope hopes worry worries concern concerns
    signal signals estimate estimates echo echoes praise reply replies respond
    """
    )
)


def _subject_adjacent(tokens: list[Token], i: int) -> bool:
    if i == 0:
        return False
    prev = tokens[i - 1]
    low = _lower(prev)
    return (
        low in lexicon.PRONOUNS
        or low in lexicon.GROUP_WORDS
        or (_is_capitalised(prev) and i - 1 > 0)
        or low in lexicon.SUBJECT_VERB_FILLERS
    )


def _mention_start(tokens: list[Token], start: int, quoted: list[bool]) -> int:
    """Where a mention right after a closing quote really starts.

    '"...," former State policy planning director Lee wrote': without tags the surface rules
    cut the mention at "planning"; when a few more plain words lead back to the quote, they
    belong to it.
    """
    probe, steps = start - 1, 0
    while probe >= 0 and steps < 12 and not quoted[probe]:
        low = _lower(tokens[probe])
        inner = probe >= 1 and not quoted[probe - 1]  # not the first word after the quote
        if tokens[probe].text[:1].isalpha() and (
            low not in lexicon.STOP_WORDS
            # "the harbour senator and mayoral candidate", "Lee and Okoro", "Ann Lee of Ohio"
            or (low in {"and", "of", "for", "at"} and inner)
            or low in {"this", "these"}
        ):
            probe, steps = probe - 1, steps + 1
        elif low == "." and probe >= 1 and _lower(tokens[probe - 1]) in ABBREVIATIONS:
            probe, steps = probe - 1, steps + 1  # "former Gov. Ann Lee"
        elif (
            low == ","
            and inner
            and tokens[probe - 1].text.isalpha()
            and tokens[probe + 1].text.islower()
        ):
            probe, steps = probe - 1, steps + 1  # "the bespectacled, 71-year-old diplomat"
        else:
            break
    if steps and probe >= 0 and quoted[probe]:
        return probe + 1
    if steps and probe >= 1 and _lower(tokens[probe]) == "," and quoted[probe - 1]:
        return probe + 1  # '”, the mayor said': the comma outside the marks
    return start


def _after_layout(
    tokens: list[Token], subject_start: int, k: int, quoted: list[bool], listener: bool = False
) -> bool:
    """Does the cue close a clause that came before ('"...," she said on Monday')?

    ``listener``: the cue names its listener ("told a news briefing in Ohio"), so after a quote
    any tail is the listener and the occasion, never the content.
    """
    before = subject_start - 1
    if before < 0:
        return False
    if not (quoted[before] or _lower(tokens[before]) in {",", "—", "–"}):
        return False
    after_quote = quoted[before] or (before >= 1 and quoted[before - 1])
    tail: list[Token] = []
    for pos in range(k, len(tokens)):
        if quoted[pos] or _lower(tokens[pos]) in {",", ";", ".", "!", "?", ":"}:
            if (
                not after_quote
                and _lower(tokens[pos]) == ":"
                and pos + 1 < len(tokens)
                and quoted[pos + 1]
            ):
                return False  # "Asked about it, the campaign said in a statement: '...'"
            break
        tail.append(tokens[pos])
    if not tail:
        # "..., D'Souza replied, “...”": the quote that follows is the content.
        rest = [p for p in range(k, len(tokens)) if _lower(tokens[p]) not in {",", ":"}]
        if not after_quote and before < 5 and len(rest) >= 4:
            return False  # "Still, he said, officials must decide ...": the clause follows
        return after_quote or not (rest and quoted[rest[0]])
    if after_quote:
        if listener:
            # '"...," Lee told the Gazette on Monday after hinting that ...': only a "that" right
            # after the listener (and the time) opens the content.
            start = _time_span_at(tail, 0)
            return not (start < len(tail) and _lower(tail[start]) == "that")
        first = _lower(tail[0])
        if first in _ADVERBIAL_OPENERS or first in {"of", "about", "as", "via", "into"}:
            return True  # '"...," Lee said at a news conference in Ohio on Monday afternoon.'
        if (first.endswith("ing") or first.endswith("ly")) and len(first) > 4:
            return True  # '"...," Lee said, answering a question', '... said pleasantly'
        return len(tail) <= 8 and not any(_lower(t) == "that" for t in tail)
    if before < 4 or any(_lower(t) == "that" for t in tail):
        # "In Beijing, Wang said ...": a short opener, not a reported clause; "..., Wang said
        # on Monday that ...": the clause follows.
        return False
    return _lower(tail[0]) in _ADVERBIAL_OPENERS and len(tail) <= 6


def _right_np(tokens: list[Token], start: int, quoted: list[bool]) -> tuple[int, int] | None:
    if start >= len(tokens) or quoted[start] or not _np_like(tokens[start]):
        return None
    end = start
    while end + 1 < len(tokens) and not quoted[end + 1] and _np_like(tokens[end + 1]):
        if end - start >= 10 or (_lower(tokens[end + 1]) in {".", "-"} and end + 2 >= len(tokens)):
            break
        end += 1
    while end > start and _lower(tokens[end]) in {".", "-"}:
        end -= 1
    return (start, end)


def _inverted_speaker_start(tokens: list[Token], k: int, quoted: list[bool]) -> bool:
    """Can a speaker phrase start at ``k`` after an inverted cue ('said the former aide')?

    A determiner, a title, or a plain word opening a phrase that names someone
    ('said conservative activist Bob Klaus').
    """
    if k >= len(tokens) or quoted[k]:
        return False
    low = _lower(tokens[k])
    if low in _DETERMINERS or lexicon.is_title_word(low):
        return True
    if low in _QUANTITY_WORDS - {"in", "of", "all"}:
        return True  # 'said one angry commuter waiting at the pier'
    if low in lexicon.STOP_WORDS or not tokens[k].text[:1].isalpha():
        return False
    phrase = _phrase_to_boundary(tokens, k, quoted, limit=8)
    return phrase is not None and any(
        _is_capitalised(t) or lexicon.is_title_word(_lower(t)) or _lower(t) in lexicon.SPEAKER_NOUNS
        for t in tokens[phrase[0] : phrase[1] + 1]
    )


def _name_before_colon(
    tokens: list[Token], colon: int, quoted: list[bool]
) -> tuple[int, int] | None:
    """The capitalised name (1-5 words) that opens the clause, or follows a dash, before a colon."""
    name_end = colon
    if colon >= 3 and tokens[colon - 1].text == ")":
        # 'Rep. Ann Okoro (D-Maine): "..."': the party and state belong to the name.
        opening = next(
            (o for o in range(colon - 2, max(-1, colon - 10), -1) if tokens[o].text == "("),
            None,
        )
        if opening is not None:
            name_end = opening
    start = name_end
    while start - 1 >= 0 and not quoted[start - 1] and name_end - start < 5:
        previous = tokens[start - 1]
        if not (_is_capitalised(previous) or previous.text in {".", "'s", "’s"}):
            break
        start -= 1
    if start == name_end:
        return None
    opens = start == 0 or tokens[start - 1].text in {"-", "—", "–"}
    words = [t for t in tokens[start:name_end] if t.text[:1].isalpha()]
    if not opens or not words or any(_lower(t) in lexicon.REPORTING_FORMS for t in words):
        return None
    return (start, name_end - 1)


def _lead_in_before_colon(
    tokens: list[Token], colon: int, quoted: list[bool]
) -> tuple[tuple[int, int], int] | None:
    """'She then turned to the crowd: "..."': a clause with no reporting verb that introduces
    the quote after its colon. Its subject (a name or a personal pronoun opening the clause)
    speaks, and the verb after it is the cue."""
    if any(quoted[:colon]) or colon < 2:
        return None
    begin = 0
    if _lower(tokens[0]) in {"and", "but", "so"}:
        begin = 1  # "And she is sure of it: ..."
    if _lower(tokens[begin]) in _ADVERBIAL_OPENERS:
        # "At the harbour that evening, Okoro went further: ...": the opening phrase
        # ends at its comma.
        comma = next((c for c in range(begin + 1, colon) if _lower(tokens[c]) == ","), None)
        if comma is None or comma + 2 >= colon:
            return None
        begin = comma + 1
    first = _lower(tokens[begin])
    end = begin
    named_thing = first == "the" and begin + 1 < colon and _is_capitalised(tokens[begin + 1])
    # Without tags, "The harbour master went" has no visible end of its subject: only a name,
    # a pronoun or "The" before a name ("The Harbour Gazette reported:") opens a lead-in.
    if (
        first not in _SPEAKING_PRONOUNS
        and not named_thing
        and (
            not _is_capitalised(tokens[begin])
            or first in lexicon.STOP_WORDS
            or first in _DETERMINERS
        )
    ):
        return None
    while end + 1 < colon and _is_capitalised(tokens[end + 1]) and end - begin < 4:
        end += 1
    verb = end + 1
    if verb < colon and _lower(tokens[verb]) == "," and first not in _SPEAKING_PRONOUNS:
        # "Ann Okoro, D-Maine, sent a message: ...": the appositive after the name.
        closing = next(
            (c for c in range(verb + 1, min(colon, verb + 8)) if _lower(tokens[c]) == ","), None
        )
        if closing is not None:
            verb = closing + 1
    while verb < colon and (
        _lower(tokens[verb]) in _CLAUSE_ADVERBS
        or _lower(tokens[verb]).endswith("ly")
        or (_lower(tokens[verb]) in _AUXILIARIES and verb + 1 < colon)
    ):
        verb += 1  # "Okoro has since apologized: ..."
    if verb >= colon or not tokens[verb].text.isalpha() or not tokens[verb].text.islower():
        return None
    if _lower(tokens[verb]) in lexicon.STOP_WORDS and _lower(tokens[verb]) not in _BE_FORMS:
        return None
    return (begin, end), verb


_SPEAKING_PRONOUNS = frozenset({"he", "she", "they", "we", "i"})
_AUXILIARIES = lexicon.words(
    "has have had will would did does do can could may might must should since not n't also"
)


def _phrase_to_boundary(
    tokens: list[Token], start: int, quoted: list[bool], limit: int = 15
) -> tuple[int, int] | None:
    """Tokens from ``start`` to the next comma or sentence end, if that is a plain phrase."""
    end = start
    relative = False  # inside "who ...": any verb may follow
    while end + 1 < len(tokens) and not quoted[end + 1]:
        following = _lower(tokens[end + 1])
        current = _lower(tokens[end]).rstrip(".")
        relative = relative or current in _RELATIVE_PRONOUNS
        if following == "." and (len(current) == 1 or current in ABBREVIATIONS):
            end += 1  # "George W. Bush", "Sen. Lee"
            continue
        if following in {",", ".", ";", ":", "(", "—", "–", "!", "?"}:
            break
        if (
            following in lexicon.REPORTING_FORMS
            and current not in {"of", "who", "which", "that"}
            and not relative
        ) or end - start >= limit:
            return None  # ("secretary of state" is a title, "who supports" a relative clause)
        end += 1
    return (start, end)


def _content_end(text: str, start: int, end: int) -> int:
    """Trim a clause end: trailing attributions ("..., according to X") and punctuation."""
    segment = text[start:end]
    tail = _ATTRIBUTION_TAIL.search(segment)
    if tail and tail.start() > 0:
        end = start + tail.start()
        segment = text[start:end]
    afterthought = _AFTERTHOUGHT.search(segment)
    if afterthought and afterthought.start() > 0:
        end = start + afterthought.start()
        segment = text[start:end]
    for participle in _PARTICIPLE_TAIL.finditer(segment):
        if participle.group(2).lower() in lexicon.REPORTING_FORMS and participle.start() > 0:
            # '... "New York values," stating ...': a quote closing before the participle
            # stays whole.
            quoted_comma = len(participle.group(1)) > 1
            end = start + (participle.end(1) if quoted_comma else participle.start())
            segment = text[start:end]
            break
    for contrast in _CONTRASTED_REPORT.finditer(segment):
        lemma = lexicon.reporting_lemma(contrast.group(2))
        subject = contrast.group(1).split()
        if (
            lemma in lexicon.CLAUSE_VERBS - lexicon.WEAK_VERBS
            and contrast.start() > 0
            and subject[0].lower() not in lexicon.STOP_WORDS
        ):
            end = start + contrast.start()
            segment = text[start:end]
            break
    for joined in _COORDINATED_CUE.finditer(segment):
        lemma = lexicon.reporting_lemma(joined.group(1))
        if (lemma in lexicon.CLAUSE_VERBS and lemma not in lexicon.WEAK_VERBS) or (
            lemma is not None and joined.group(0).startswith(",")
        ):
            # "... she had been and said, ...", "..., but shrugged it off": the subject's
            # next report or act, not part of what was said.
            end = start + joined.start()
            break
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".,;:!?—–-"):
        if text[end - 1] in "!?" and end - 1 > start:
            break
        end -= 1
    return end


def _frames_in_clause(text: str, tokens: list[Token], quoted: list[bool]) -> list[Frame]:
    frames: list[Frame] = []
    n = len(tokens)
    clause_start, clause_end = tokens[0].start, tokens[-1].end
    # A headline in title case ("Beck Says Trump Is A Threat"): capitals mark no names there.
    alphabetic = [t for t in tokens if t.text[:1].isalpha() and _lower(t) not in lexicon.STOP_WORDS]
    title_case = len(alphabetic) >= 4 and all(_is_capitalised(t) for t in alphabetic)
    i = 0
    while i < n:
        tok = tokens[i]
        low = _lower(tok)
        if quoted[i]:
            i += 1
            continue
        if low == ":" and i >= 1 and i + 1 < n and quoted[i + 1]:
            # 'Marco Rubio: "..."', '... - Carl Bialik: "..."': a name, a colon, the quote.
            name = _name_before_colon(tokens, i, quoted)
            if name is not None:
                named = (tokens[name[0]].start, tokens[name[1]].end)
                frames.append(Frame((tok.start, tok.end), named, None))
            elif not frames:
                lead_in = _lead_in_before_colon(tokens, i, quoted)
                if lead_in is not None:
                    lead_subject, lead_verb = lead_in
                    frames.append(
                        Frame(
                            (tokens[lead_verb].start, tokens[lead_verb].end),
                            (tokens[lead_subject[0]].start, tokens[lead_subject[1]].end),
                            (tokens[i + 1].start, clause_end),
                        )
                    )
            i += 1
            continue
        # "in Lee's words, ...", "..., in Lee's view": the possessor speaks.
        if low == "in" and i + 3 < n:
            view = next(
                (
                    p
                    for p in range(i + 3, min(n, i + 8))
                    if _lower(tokens[p]) in _VIEW_WORDS and _is_possessive(tokens[p - 1])
                ),
                None,
            )
            if view is not None and all(
                not quoted[p] and _np_like(tokens[p]) for p in range(i + 1, view - 1)
            ):
                speaker_span = (tokens[i + 1].start, tokens[view - 2].end)
                after = view + 1
                while after < n and _lower(tokens[after]) in {",", ":"}:
                    after += 1
                # Followed by more of the clause, the phrase introduces it; at the end, it
                # attributes what came before.
                at_start = after < n and (i == 0 or after > view + 1)
                if at_start:
                    content: tuple[int, int] | None = (
                        tokens[after].start,
                        _content_end(text, tokens[after].start, clause_end),
                    )
                else:
                    content = (clause_start, tokens[i].start) if i > 0 else None
                frames.append(
                    Frame((tok.start, tok.end), speaker_span, content, speaker_after=not at_start)
                )
                i = view + 1
                continue
        # "according to X" (before or after its clause)
        if low == "according" and i + 1 < n and _lower(tokens[i + 1]) == "to":
            np = _right_np(tokens, i + 2, quoted)
            if np is not None:
                sp = (tokens[np[0]].start, tokens[np[1]].end)
                if i == 0 or (i <= 2 and _lower(tokens[0]) in {"but", "and"}):
                    after = np[1] + 1
                    while after < n and _lower(tokens[after]) in {",", ":"}:
                        after += 1
                    content = (
                        (tokens[after].start, _content_end(text, tokens[after].start, clause_end))
                        if after < n
                        else None
                    )
                else:
                    content = (clause_start, tokens[i].start)
                frames.append(
                    Frame((tok.start, tokens[i + 1].end), sp, content, speaker_after=i > 0)
                )
            i += 2
            continue
        naming = _naming_frame(text, tokens, i, quoted, frames)
        if naming is not None:
            frames.append(naming)
            i += 1
            continue
        lemma = lexicon.reporting_lemma(low)
        if low in lexicon.NOUN_FIRST_FORMS and not (
            i + 1 < n and _lower(tokens[i + 1]) in lexicon.NOUN_FIRST_FORMS[low]
        ):
            lemma = None
        put_it = low in {"put", "puts"} and i + 1 < n and _lower(tokens[i + 1]) == "it"
        if put_it:
            lemma = "say"  # "as Lee put it, ...", "Lee put it this way: ..."
        elif low in {"read", "reads", "reading"} and (
            (i + 1 < n and quoted[i + 1])
            or (i + 2 < n and _lower(tokens[i + 1]) in {",", ":"} and quoted[i + 2])
            or any(quoted[max(0, i - 6) : i])
        ):
            lemma = "say"  # 'a sign that read "..."', '"...," the email reads'
        if (
            tok.lemma
            and tok.upos in {"VERB", "AUX"}
            and tok.lemma.lower() in lexicon.REPORTING_LEMMAS
        ):
            lemma = tok.lemma.lower()
        if (
            lemma is None
            and low in lexicon.SPEECH_NOUNS
            and i >= 1
            and (_is_possessive(tokens[i - 1]) or _ATTACHED_POSSESSIVE.search(tokens[i - 1].text))
        ):
            # "Wang Yi's declaration": the possessive may be its own word or glued to the name.
            attached = not _is_possessive(tokens[i - 1])
            subject = _left_subject(tokens, i if attached else i - 1, quoted)
            if (
                subject is not None
                and i + 1 < n
                and _lower(tokens[i + 1]) in {"of", "that", "to", "on"}
            ):
                # "Wang Yi's declaration of ...": without its complement ("Lee's speech next
                # week", "Lee's remarks in Ohio") the noun names an event, not what was said.
                k = i + 2
                stop = k
                while stop < n and _lower(tokens[stop]) not in {",", ";"}:
                    stop += 1
                if stop > k:
                    frames.append(
                        Frame(
                            (tok.start, tok.end),
                            (
                                tokens[subject[0]].start,
                                tokens[subject[1]].end - (2 if attached else 0),
                            ),
                            (
                                tokens[k].start,
                                _content_end(text, tokens[k].start, tokens[stop - 1].end),
                            ),
                        )
                    )
            i += 1
            continue
        if lemma is None:
            i += 1
            continue
        if i > 0 and tokens[i - 1].text in {"-", "‐"} and tokens[i - 1].end == tok.start:
            i += 1
            continue  # "so-called", "self-described", "half-joking": part of a compound
        if tok.upos is not None and tok.upos not in {"VERB", "AUX"}:
            i += 1
            continue
        if tok.upos is None and i > 0 and _lower(tokens[i - 1]) in _DETERMINERS - {"that"}:
            i += 1
            continue  # "the report", "a call": a noun, not a verb
        if (
            tok.upos is None
            and low == lemma
            and any(_lower(t) in {"a", "an"} for t in tokens[max(0, i - 3) : i])
        ):
            i += 1
            continue  # "a sharp retort", "a loud chant": no finite verb after "a"
        if (
            tok.upos is None
            and low == lemma
            and i >= 2
            and _lower(tokens[i - 2]) in _DETERMINERS
            and tokens[i - 1].text.isalpha()
            and tokens[i - 1].text.islower()
            and not tokens[i - 1].text.endswith("s")
        ):
            i += 1
            continue  # "his radio show", "the final call": a singular noun takes no base verb
        if tok.upos is None and i > 0 and _lower(tokens[i - 1]) in _NOUN_MODIFIERS:
            i += 1
            continue  # "her opening remarks", "his prepared statement": nouns
        if tok.upos is None and (
            (i > 0 and _is_possessive(tokens[i - 1]))
            or (i + 1 < n and _is_possessive(tokens[i + 1]))
        ):
            i += 1
            continue  # "the council's plans", "the port's report": nouns
        if (
            tok.upos is None
            and low in _AMBIGUOUS_FORMS
            and not _subject_adjacent(tokens, i)
            and not (i + 1 < n and _lower(tokens[i + 1]) == "that")
        ):
            i += 1
            continue  # "the Palmetto state", "reports say": nouns as often as verbs
        if i > 0 and _lower(tokens[i - 1]) in _BE_FORMS and low.endswith("ed"):
            i += 1
            continue  # "Beijing is committed to": an adjective, not a report
        if (
            tok.upos is None
            and i > 0
            and _is_capitalised(tok)
            and not quoted[i - 1]
            and not title_case
        ):
            i += 1
            continue  # "United States": part of a name
        if low.endswith("ing") and i > 0 and _participle_opens(text, tokens, i):
            if lemma in lexicon.WEAK_VERBS or lemma not in lexicon.CLAUSE_VERBS | {
                "commit",
                "decry",
            }:
                i += 1
                continue
            subject = _clause_subject(tokens, i - 1, quoted)
            k = i + 1
            while k < n and not quoted[k] and _lower(tokens[k]) in {",", ":"}:
                k += 1
            k = _past_particle(tokens, k, quoted)
            content = _clause_from(text, tokens, k, clause_end)
            if content is not None and _QUESTION_OBJECT.match(text, content[0]):
                content = None  # "..., answering a question from a fisherman": no report
            earlier = next((f for f in reversed(frames) if f.speaker is not None), None)
            # "..., Lee said on Monday, adding, ...": the one who said it adds it.
            doer = earlier.speaker if earlier is not None else None
            if doer is None and subject is not None:
                doer = (tokens[subject[0]].start, tokens[subject[1]].end)
            if content is not None and doer is not None:
                frames.append(Frame((tok.start, tok.end), doer, content))
            i += 1
            continue
        cue_start, cue_end = tok.start, tok.end
        k = i + 1
        if put_it:
            cue_end, k = tokens[i + 1].end, i + 2
        outlet: tuple[int, int] | None = None
        speaker: tuple[int, int] | None = None
        # "X quoted Y as saying ...": Y speaks, X is the outlet.
        if lemma == "quote" and k < n:
            np = _right_np(tokens, k, quoted)
            if np is not None and np[1] + 2 < n and _lower(tokens[np[1] + 1]) == "as":
                subj = _left_subject(tokens, i, quoted)
                if subj is not None:
                    outlet = (tokens[subj[0]].start, tokens[subj[1]].end)
                speaker = (tokens[np[0]].start, tokens[np[1]].end)
                k = np[1] + 2
                if k < n and lexicon.reporting_lemma(_lower(tokens[k])) is not None:
                    k += 1
                while k < n and _lower(tokens[k]) in {",", ":"}:
                    k += 1
                content = _clause_from(text, tokens, k, clause_end)
                frames.append(Frame((cue_start, cue_end), speaker, content, outlet=outlet))
                i = k
                continue
        if (
            low in _NAMING_FORMS
            and k < n
            and (quoted[k] or tokens[k].text in QUOTE_CHARS)
            and not (_is_capitalised(tokens[i - 1]) or _lower(tokens[i - 1]) in lexicon.PRONOUNS)
        ):
            i += 1
            continue  # 'a ferry called "Sea Lark"': a name, not a report
        if lemma in lexicon.OBJECT_VERBS and lemma not in lexicon.CLAUSE_VERBS:
            # "expressed willingness to ...": the noun is part of the cue.
            if lemma == "express" and k < n and _lower(tokens[k]) in lexicon.EXPRESSED_NOUNS:
                cue_end = tokens[k].end
                k += 1
            elif lemma in {"express", "quote"} and not any(quoted[k:]):
                i += 1
                continue
        subject = _left_subject(tokens, i, quoted)
        # Where the phrase before the cue begins, for telling a trailing cue from a leading one
        # when the speaker turns out to be the clause's subject further left.
        object_start: int | None = None
        if (
            subject is not None
            and subject[0] >= 2
            and _lower(tokens[subject[0]]) in _DETERMINERS
            and (_lower(tokens[i - 1]) in lexicon.SPEECH_NOUNS or low.endswith("ing"))
            and tokens[subject[0] - 1].text.isalpha()
            and not _is_capitalised(tokens[subject[0] - 1])
        ):
            # "Ruiz issued a statement saying ...", "the campaign sent a text message saying":
            # the phrase is the verb's object; the one who issued it speaks.
            object_start = subject[0]
            subject = _clause_subject(tokens, subject[0], quoted) or subject
        if subject is None and i > 1 and _lower(tokens[i - 1]) in {"and", "but"}:
            # "Hayek confirmed it and said, ...": the subject of the first verb.
            subject = _clause_subject(tokens, i - 1, quoted)
        if (
            subject is None
            and i > 2
            and _lower(tokens[i - 1]) == "to"
            and lemma in lexicon.CLAUSE_VERBS - lexicon.WEAK_VERBS
            and _GOING_ON_TO.search(text, max(0, tokens[i - 1].end - 60), tokens[i - 1].end)
        ):
            # "Ruiz went on to say ...", "she took to the radio to explain ...": whoever went on.
            subject = _clause_subject(tokens, i - 1, quoted)
        if subject is not None:
            subject = (_mention_start(tokens, subject[0], quoted), subject[1])
            speaker = (tokens[subject[0]].start, tokens[subject[1]].end)
            if lemma in lexicon.LISTENER_VERBS and k < n and not quoted[k]:
                listener = _right_np(tokens, k, quoted)
                if listener is not None and _lower(tokens[listener[0]]) not in {"that"}:
                    outlet = (tokens[listener[0]].start, tokens[listener[1]].end)
                    k = listener[1] + 1
            after_cue = k
            # "said Wednesday that ...": the time belongs to the saying, not to what was said.
            time_words = _time_span_at(tokens, k)
            filler = k
            while filler < n and not quoted[filler] and _is_cue_filler(tokens[filler]):
                filler += 1
            if time_words and k + time_words < n and _lower(tokens[k + time_words]) == "that":
                k += time_words
            elif filler > k and filler < n and _lower(tokens[filler]) == "that":
                k = filler  # "said privately that", "said, however, that"
            elif k < n and _lower(tokens[k]) in _CIRCUMSTANCE_PREPOSITIONS:
                # "said in a statement that ...", "told reporters in Ohio on Sunday that ...":
                # where and how it was said is no part of what was said.
                that = next(
                    (
                        t
                        for t in range(k + 1, min(n, k + 12))
                        if _lower(tokens[t]) in {"that", ",", ";", ":", "."}
                        and (not quoted[t] or _lower(tokens[t]) == ",")
                    ),
                    None,
                )
                if (
                    that is not None
                    and not quoted[that]
                    and _lower(tokens[that]) == "that"
                    and not any(
                        _lower(t) in lexicon.REPORTING_FORMS and _lower(t).endswith("ing")
                        for t in tokens[k:that]
                    )  # "told the Gazette on Monday after hinting that": the hint's content
                ):
                    k = that
            # The complementizer ("that", "to") stays in the content, as annotators mark it.
            while k < n and not quoted[k] and _lower(tokens[k]) in {",", ":"}:
                k += 1
            k = _past_particle(tokens, k, quoted)
            content = _clause_from(
                text,
                tokens,
                k,
                _subordinate_end(tokens, subject[0], k, quoted)
                or _relative_end(tokens, subject[1], i, k, quoted)
                or clause_end,
            )
            if (
                content is None
                or content[1] - content[0] < 3
                or _after_layout(
                    tokens,
                    object_start if object_start is not None else subject[0],
                    after_cue,
                    quoted,
                    lemma in lexicon.LISTENER_VERBS,
                )
            ):
                # Cue after its clause: '"...," Wang said.' / "..., Wang said on Monday."
                before = subject[0] - 1
                if before >= 0 and _lower(tokens[before]) in {"that", "which", "whom"}:
                    i += 1
                    continue  # '..., a charge that the board denied': a relative clause

                while before >= 0 and _lower(tokens[before]) in {",", "—", "–", ":"}:
                    before -= 1
                before_end = tokens[before].end if before >= 0 else clause_start
                content_start = clause_start
                if before >= 0 and not quoted[before]:
                    before_end = _content_end(text, clause_start, before_end)
                elif before >= 0:
                    # Words of the clause before the quote ('Still, the pier is "not safe," Lee
                    # said') are the speaker's point in the reporter's words, a mixed quote;
                    # not so after a dash or a colon, or when a report of their own holds them
                    # ('Lee hinted it was rushed - "...," she said').
                    run = before
                    while run - 1 >= 0 and quoted[run - 1]:
                        run -= 1
                    if run > 0 and (
                        _lower(tokens[run - 1]) in {":", ";", *_DASHES}
                        or any(tokens[0].start <= f.cue[0] < tokens[run].start for f in frames)
                    ):
                        content_start = tokens[run].start
                content = (content_start, before_end) if before_end > content_start else None
                frames.append(
                    Frame((cue_start, cue_end), speaker, content, speaker_after=True, outlet=outlet)
                )
            else:
                quote_follows = (
                    i + 2 < n and _lower(tokens[i + 1]) in {",", ":"} and quoted[i + 2]
                )  # 'He continued, "..."': a quote right after the verb is what was said
                if (
                    lemma in lexicon.WEAK_VERBS
                    and _lower(tokens[i + 1]) != "that"
                    and not quote_follows
                ):
                    i += 1
                    continue
                weak = lemma not in lexicon.CLAUSE_VERBS and lemma != "express"
                frames.append(
                    Frame((cue_start, cue_end), speaker, content, outlet=outlet, weak=weak)
                )
            i = k if k > i else i + 1
            continue
        if (
            lemma == "ask"
            and low == "asked"
            and (i == 0 or _lower(tokens[i - 1]) in {"when", "if", "after", "before", "once"})
        ):
            # 'When asked whether the ferry would run, she ...': a question put
            # by someone unnamed; its content runs to the comma.
            stop = next(
                (
                    p
                    for p in range(i + 1, n)
                    if _lower(tokens[p]) == ","
                    and (not quoted[p] or (p + 1 < n and tokens[p + 1].text in QUOTE_CHARS))
                ),
                n,
            )
            if stop > i + 2:
                k = _past_particle(tokens, i + 1, quoted)
                if _lower(tokens[k]) == "by":
                    k = stop  # "Asked by reporters, ...": the question is not given
                if k < stop:
                    content_end = _content_end(text, tokens[k].start, tokens[stop - 1].end)
                    frames.append(Frame((cue_start, cue_end), None, (tokens[k].start, content_end)))
                    i = stop
                    continue
        # Sentence-initial inversion: 'Said Comey, "..."'.
        if i == 0 and lemma in _INVERSION_LEMMAS:
            np = _right_np(tokens, 1, quoted)
            if np is not None and np[1] + 1 < n and _lower(tokens[np[1] + 1]) in {",", ":"}:
                speaker = (tokens[np[0]].start, tokens[np[1]].end)
                content = _clause_from(text, tokens, np[1] + 2, clause_end)
                frames.append(Frame((cue_start, cue_end), speaker, content))
                i = np[1] + 2
                continue
        # Inversion: '"...," said Wang.'
        if i > 0 and (quoted[i - 1] or _lower(tokens[i - 1]) in {",", "—", "–"}):
            np = _right_np(tokens, k, quoted)
            if np is not None and _is_possessive(tokens[np[1]]):
                np = _phrase_to_boundary(tokens, k, quoted)  # "said Okoro's deputy, ..."
            closes = np is not None and (
                np[1] + 1 >= n
                or _lower(tokens[np[1] + 1]) in {",", ".", ";", ":", "(", "in", "on"}
                or _is_capitalised(tokens[np[0]])
            )
            if (np is None or not closes) and _inverted_speaker_start(tokens, k, quoted):
                # '"...," said the former top aide to the governor.': without tags the
                # phrase is read on to the end of the clause.
                np = _phrase_to_boundary(tokens, k, quoted)
                closes = np is not None
            if np is not None and closes and lemma in _INVERSION_LEMMAS:
                speaker = (tokens[np[0]].start, tokens[np[1]].end)
                before_end = tokens[i - 1].start if not quoted[i - 1] else tokens[i - 1].end
                content = (clause_start, before_end) if before_end > clause_start else None
                frames.append(Frame((cue_start, cue_end), speaker, content, speaker_after=True))
                i = np[1] + 1
                continue
        i += 1
    return frames


# "calling him a 'coward'", "dubbed the plan 'a scam'": the quoted words name the object.
_NAMING_FORMS = lexicon.words(
    """
    call calls called calling dub dubs dubbed dubbing label labels labeled labelled labeling
    labelling brand brands branded branding
    """
)
# "praised the pier as 'a marvel'": the quoted words follow "as".
_AS_NAMING_FORMS = lexicon.words(
    """
    describe describes described describing portray portrays portrayed portraying
    characterize characterizes characterized characterizing dismiss dismisses dismissed
    dismissing hail hails hailed hailing deride derides derided deriding depict depicts
    depicted depicting cast casts casting paint paints painted painting identify identifies
    identified identifying refer refers referred referring mock mocks mocked mocking
    """
)
_NAMING_REACH = 10  # words from the verb to the quote
_PHRASE_BREAKS = frozenset({",", ";", ".", ":", "(", "—", "–", "!", "?"})


_PARTICLES = frozenset({"for", "about"})


_LEMMA_PARTICLES: dict[str, frozenset[str]] = {
    "point": frozenset({"to", "out"}),  # "pointed to the vote", "pointed out that ..."
    "refer": frozenset({"to"}),  # not "promised to vote"
    "hint": frozenset({"at"}),
    "call": frozenset({"on", "upon"}),
    "comment": frozenset({"on"}),
    "elaborate": frozenset({"on"}),
    "insist": frozenset({"on"}),
    "warn": frozenset({"of", "against"}),
    "speak": frozenset({"of"}),
}


def _past_particle(tokens: list[Token], k: int, quoted: list[bool]) -> int:
    """Past the particle of a phrasal cue ("called for a ban", "pointed to the vote",
    "talked about jobs"): annotators start the content after it."""
    if k + 1 >= len(tokens) or quoted[k]:
        return k
    particle = _lower(tokens[k])
    if particle in _PARTICLES:
        return k + 1
    lemma = lexicon.reporting_lemma(_lower(tokens[k - 1])) if k >= 1 else None
    if particle in _LEMMA_PARTICLES.get(lemma or "", ()):
        return k + 1  # "hinted at a deal", "called on Lee to quit", "warned of a strike"
    return k


_SPEAKING_LEMMAS = lexicon.words(
    "say add tell write explain note declare insist ask answer reply respond argue state claim "
    "warn tweet post"
)


def _is_cue_filler(tok: Token) -> bool:
    """A word between a cue and its "that" that belongs to the saying: an adverb, a time."""
    low = _lower(tok)
    return (
        low in {",", "however", "also", "again", "too", "then", "now", "last", "this", "on", "late"}
        or (low.endswith("ly") and len(low) > 3 and not _is_capitalised(tok))
        or low in _WEEKDAYS
        or low in _TIME_NOUNS
        or low in {"yesterday", "today", "tonight"}
    )


def _participle_opens(text: str, tokens: list[Token], i: int) -> bool:
    """Does the participle at ``i`` open a clause of its own ('..., saying', 'and adding',
    'replied by saying', or '... the "reporter," saying' with the comma inside the marks)?"""
    previous = _lower(tokens[i - 1])
    if previous == "by":
        # "replied by saying" reports; "complicates ties by signaling a front" does not.
        return lexicon.reporting_lemma(_lower(tokens[i])) in _SPEAKING_LEMMAS
    if previous in {",", "while", "and", "—", "upon", "after", "before", "when"}:
        return True
    before = text[max(0, tokens[i - 1].start - 3) : tokens[i - 1].start].rstrip(QUOTE_CHARS)
    return bool(previous) and all(c in QUOTE_CHARS for c in previous) and before.endswith(",")


def _naming_frame(
    text: str, tokens: list[Token], i: int, quoted: list[bool], frames: list[Frame]
) -> Frame | None:
    """'Okoro rounded on the council, calling its leader a "harbour pirate"': the object and
    its quoted name are what the subject said."""
    low = _lower(tokens[i])
    as_form = low in _AS_NAMING_FORMS
    if not as_form and low not in _NAMING_FORMS:
        return None
    n = len(tokens)
    start = i + 1
    if as_form and low.startswith("refer") and start < n and _lower(tokens[start]) == "to":
        start += 1
    if start >= n or quoted[start] or _lower(tokens[start]) in {"on", "for", "off", "in"}:
        return None  # "calling on", "called for": appeals, not names
    first_quote = next(
        (q for q in range(start + 1, min(n, start + _NAMING_REACH)) if quoted[q]), None
    )
    if first_quote is None:
        return None
    between = [_lower(t) for t in tokens[start:first_quote]]
    if any(w in _PHRASE_BREAKS or w in lexicon.REPORTING_FORMS for w in between):
        return None
    if as_form and "as" not in between:
        return None
    if i > 0 and _lower(tokens[i - 1]) in _BE_FORMS | {"been", "be", "being", "get", "got"}:
        return None  # "what is called a 'debate'": no one named it
    speaker: tuple[int, int] | None = None
    previous = _lower(tokens[i - 1]) if i > 0 else ""
    if low.endswith("ing") and previous in {",", "—", "–", "while", "by", "after", "before"}:
        earlier = next((f for f in reversed(frames) if f.speaker is not None), None)
        if earlier is not None:
            speaker = earlier.speaker
        else:
            subject = _clause_subject(tokens, i - 1, quoted)
            if subject is not None:
                speaker = (tokens[subject[0]].start, tokens[subject[1]].end)
    elif not low.endswith("ing"):
        subject = _left_subject(tokens, i, quoted)
        if subject is None and previous in {"and", "but"}:
            subject = _clause_subject(tokens, i - 1, quoted)
        if subject is not None:
            subject = (_mention_start(tokens, subject[0], quoted), subject[1])
            speaker = (tokens[subject[0]].start, tokens[subject[1]].end)
    if speaker is None:
        return None
    # The content runs past the quote to the end of its phrase ("a 'paperwork error' that was
    # reported"), stopping at the first unquoted break.
    end = first_quote
    while end + 1 < n and (quoted[end + 1] or _lower(tokens[end + 1]) not in _PHRASE_BREAKS):
        if quoted[end] and not quoted[end + 1]:
            closing = text[tokens[end].start - 2 : tokens[end].end].rstrip(QUOTE_CHARS)
            if closing.endswith(","):
                break  # 'the pier as "unsafe," which ...': the comma inside the marks
        following = _lower(tokens[end + 1])
        if following in {"and", "but", "instead", "while"} and not (
            end + 2 < n and quoted[end + 2]
        ):
            break  # 'calling him a "nice guy" and moving on': the next clause is not the name
        end += 1
    while end > first_quote and not quoted[end] and _lower(tokens[end]) in {"and", "or"}:
        end -= 1
    content_end = _content_end(text, tokens[start].start, tokens[end].end)
    return Frame((tokens[i].start, tokens[i].end), speaker, (tokens[start].start, content_end))


_SUBORDINATORS = lexicon.words(
    "as while when after because although though if since before until once whereas"
)


def _subordinate_end(tokens: list[Token], subject: int, k: int, quoted: list[bool]) -> int | None:
    """Where a report inside an opening subordinate clause ends: "As the council hints at a
    plan, Okoro is not having it": at the comma before the main clause."""
    opener = subject - 1
    if opener >= 1 and _lower(tokens[opener - 1]) in {"but", "and", "so"}:
        opener -= 1
    if opener < 0 or _lower(tokens[subject - 1]) not in _SUBORDINATORS or opener > 1:
        return None
    return _first_comma_end(tokens, k, quoted)


def _relative_end(
    tokens: list[Token], subject_end: int, cue: int, k: int, quoted: list[bool]
) -> int | None:
    """Where a report inside a relative clause between commas ends: "Giuliani, who backs Lee,
    trashed the board": at the comma that closes the relative clause."""
    if subject_end != cue - 1 or _lower(tokens[subject_end]) not in {"who", "which"}:
        return None
    if subject_end < 1 or _lower(tokens[subject_end - 1]) != ",":
        return None
    return _first_comma_end(tokens, k, quoted)


def _first_comma_end(tokens: list[Token], k: int, quoted: list[bool]) -> int | None:
    comma = next(
        (p for p in range(k, len(tokens)) if _lower(tokens[p]) == "," and not quoted[p]), None
    )
    if comma is None or comma == k or comma + 1 >= len(tokens):
        return None
    return tokens[comma - 1].end


def _clause_from(text: str, tokens: list[Token], k: int, clause_end: int) -> tuple[int, int] | None:
    if k >= len(tokens):
        return None
    start = tokens[k].start
    end = _content_end(text, start, clause_end)
    return (start, end) if end > start else None


# ---------------------------------------------------------------------------------------------
# Dependencies


def _subtree_span(tokens: Sequence[Token], root: int) -> tuple[int, int]:
    children: dict[int, list[int]] = {}
    for tok in tokens:
        if tok.head is not None and tok.head >= 0:
            children.setdefault(tok.head, []).append(tok.index)
    stack, seen = [root], {root}
    while stack:
        node = stack.pop()
        for child in children.get(node, []):
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return min(seen), max(seen)


def _refine_with_deps(doc: ParsedDoc, frames: list[Frame]) -> None:
    """Use the parse to correct a frame's speaker: the cue's nominal subject, when present."""
    starts = [sentence.start for sentence in doc.sentences]
    for frame in frames:
        at = bisect.bisect_right(starts, frame.cue[0]) - 1
        if at < 0 or not doc.sentences[at].parsed:
            continue
        sentence = doc.sentences[at]
        positions = {tok.index: pos for pos, tok in enumerate(sentence.tokens)}
        cue = next((t for t in sentence.tokens if t.start == frame.cue[0]), None)
        if cue is None or cue.head is None:
            continue
        subjects = [
            t
            for t in sentence.tokens
            if t.head == cue.index and t.deprel in {"nsubj", "nsubj:pass"}
        ]
        if subjects and frame.speaker is not None:
            low, high = _subtree_span(sentence.tokens, subjects[0].index)
            span = (sentence.tokens[positions[low]].start, sentence.tokens[positions[high]].end)
            # Only grow the mention leftwards over a clean phrase ("The retired judge from
            # Ohio"): the interim parser is too weak to trust for anything bolder.
            clean = not re.search(r"[,;:()\"“”—–\n]|''|^['‘’]", doc.text[span[0] : span[1]])
            if clean and span[1] == frame.speaker[1] and span[0] <= frame.speaker[0]:
                frame.speaker = span


# ---------------------------------------------------------------------------------------------
# Assembly


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Overlap of two spans as a share of the shorter one."""
    shared = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0])
    return shared / shorter if shared > 0 and shorter > 0 else 0.0


def _overlap_longer(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Overlap of two spans as a share of the longer one: near-duplicates score close to 1."""
    shared = min(a[1], b[1]) - max(a[0], b[0])
    longer = max(a[1] - a[0], b[1] - b[0])
    return shared / longer if shared > 0 and longer > 0 else 0.0


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def _covers(region: tuple[int, int], span: tuple[int, int], slack: int = 3) -> bool:
    return region[0] - slack <= span[0] and span[1] <= region[1] + slack


def _leftover(text: str, region: tuple[int, int], marks: list[MarkedSpan]) -> str:
    """Text of a clause outside its quote marks, without punctuation."""
    chars = list(text[region[0] : region[1]])
    for mark in marks:
        for i in range(max(mark.outer_start, region[0]), min(mark.outer_end, region[1])):
            chars[i - region[0]] = " "
    rest = re.sub(r"[\W_]+", " ", "".join(chars)).strip().lower()
    return re.sub(r"^(that|and|but)\b", "", rest).strip()


def extract_quotes(doc: ParsedDoc, *, doc_id: str) -> list[Quote]:
    """Every quotation of one parsed article, attributed, sorted by start offset.

    Works on unparsed sentences (surface rules) and uses dependencies where present.

    Example:
        >>> doc = simple_parse('“It works,” she said. Wang said the plan was good.')
        >>> [(q.kind, q.text) for q in extract_quotes(doc, doc_id="d")]
        [('direct', 'It works'), ('indirect', 'the plan was good')]
    """
    from quotes.attribute import attribute_quotes

    text = doc.text
    if not text.strip():
        return []
    marks = find_quote_marks(text)
    paragraphs = _paragraphs(text)
    first_line = paragraphs[0][0] if paragraphs else 0
    furniture: dict[tuple[int, int], bool] = {}

    def in_furniture(offset: int) -> bool:
        line = _line_of(text, offset)
        if line not in furniture:
            furniture[line] = _is_furniture_line(text, line, first_line)
        return furniture[line]

    marks = [m for m in marks if not in_furniture(m.start)]
    headline = _headline_frame(text, paragraphs[0]) if paragraphs else None
    # Frames, clause by clause.
    frames: list[tuple[int, Frame]] = []  # (sentence index, frame)
    colon_frames: dict[int, Frame] = {}  # clauses that end in a colon, by the colon's end
    sentence_at = _sentence_lookup(doc)
    inside_marks = _inside_marks(marks)
    units: list[tuple[list[Token], list[bool]]] = []  # the clauses as the rules saw them
    for tokens in _clauses(doc):
        if not tokens or in_furniture(tokens[0].start):
            continue
        quoted = _quoted_flags(tokens, inside_marks)
        # The surface rules see words only: the bundled tagger is too weak to veto a cue, so
        # tags and dependencies only refine what the rules found.
        surface = [
            replace(t, upos=None, xpos=None, lemma=None) if t.upos or t.lemma else t for t in tokens
        ]
        units.append((surface, quoted))
        found = _frames_in_clause(text, surface, quoted)
        _refine_with_deps(doc, found)
        frames.extend((sentence_at(tokens[0].start) or 0, f) for f in found)
        if len(surface) > 2 and _lower(surface[-1]) == ":" and not quoted[-1]:
            # 'Ruiz has since apologized:' or 'The Gazette confirmed it, reporting:', then
            # the quote in the next paragraph.
            speaking = next((f for f in reversed(found) if f.speaker is not None), None)
            lead_in = _lead_in_before_colon(surface, len(surface) - 1, quoted)
            if speaking is not None:
                colon_frames[surface[-1].end] = replace(speaking, content=None)
            elif lead_in is not None:
                (subject_start, subject_end), verb = lead_in
                colon_frames[surface[-1].end] = Frame(
                    (surface[verb].start, surface[verb].end),
                    (surface[subject_start].start, surface[subject_end].end),
                    None,
                )

    if headline is not None:
        frames.append((sentence_at(headline.cue[0]) or 0, headline))
    results: list[tuple[Frame | None, Quote]] = []
    consumed: set[int] = set()
    unit_starts = [unit[0][0].start for unit in units]

    def unit_at(offset: int) -> tuple[list[Token], list[bool]] | None:
        pos = bisect.bisect_right(unit_starts, offset) - 1
        return units[pos] if pos >= 0 and offset < units[pos][0][-1].end else None

    # Quote marks first: direct, mixed, scare.
    for m_index, mark in enumerate(marks):
        if m_index in consumed:
            continue
        owner: Frame | None = None
        for _, frame in frames:
            if _owns(frame, mark) and (
                owner is None or (frame.weak, _size(frame)) < (owner.weak, _size(owner))
            ):
                owner = frame
        if owner is None:
            owner = _frame_after_colon(text, frames, mark)
        if owner is None:
            colon = len(text[: mark.outer_start].rstrip())
            if colon in colon_frames and text.count("\n", colon, mark.outer_start) <= 2:
                owner = colon_frames.pop(colon)
                owner.content = (mark.start, mark.end)
        if owner is None:
            owner = _signed_below(text, mark)
        if owner is None:
            owner = _trailing_sayer(text, mark) or _trailing_attribution(text, mark)
            if owner is not None:
                for _, frame in frames:
                    if frame.cue == owner.cue:
                        frame.used = True  # the same cue, read from the wrong subject
        if owner is not None and owner.content is not None:
            region = (min(owner.content[0], mark.start), max(owner.content[1], mark.end))
            if not owner.speaker_after:
                # 'Lee said in an interview: "..."': what precedes the colon is no content.
                colon = text.rfind(":", region[0], mark.outer_start)
                if colon >= 0:
                    region = (mark.start, region[1])
            inside = [m for m in marks if _covers(region, (m.start, m.end), 1)]
            leftover = _leftover(text, region, inside)
            if (
                inside
                and not owner.speaker_after
                and re.search(r"[,:]\s*['‘`]?$", text[region[0] : inside[0].outer_start])
            ):
                # 'She said at a press conference, "..."': a phrase of the saying, then the
                # quote; what follows the quote decides. (With the speaker after the quote, the
                # words before it are part of what was said.)
                leftover = _leftover(text, (inside[0].outer_start, region[1]), inside)
            issues = tuple(i for m in inside for i in m.issues)
            consumed.update(marks.index(m) for m in inside)
            owner.used = True
            # Any word of the clause outside the marks makes it reported speech with a quoted
            # part ('called the mayor "a coward"'), the whole clause being the content; so does a
            # bare complementizer ('Lee said that "..."').
            complementized = bool(inside) and bool(
                re.fullmatch(r"\s*that\s*", text[region[0] : inside[0].outer_start])
            )
            if _words(leftover) == 0 and not complementized:
                pieces = [p for m in inside for p in m.pieces]
                # '"A," she said, "B."' - the quote that reopens right after the attribution.
                follow = _split_continuation(text, marks, m_index, owner)
                if follow is not None:
                    pieces.extend(marks[follow].pieces)
                    consumed.add(follow)
                results.append(
                    (owner, _make_quote(text, doc_id, pieces, "direct", issues, sentence_at))
                )
            else:
                region = _trim(text, *region)
                results.append(
                    (owner, _make_quote(text, doc_id, [region], "mixed", issues, sentence_at))
                )
            continue
        # No frame: a continuation of the previous speaker's quote, or a scare quote.
        inner = text[mark.start : mark.end]
        line = _line_of(text, mark.start)
        titled = _is_title(inner) and not _is_title(
            text[line[0] : mark.outer_start] + " " + text[mark.outer_end : line[1]], limit=60
        )  # in a headline written in title case, a quote in title case can still be speech
        kind = "direct"
        if titled or (_words(inner) <= SCARE_MAX_WORDS and not _after_speech_verb(text, mark)):
            kind = "scare"
        sentence = bool(re.fullmatch(r"[A-Z].*[.?!]", inner.strip(), re.DOTALL))
        previous = (
            _previous_direct(results, mark, text)
            if kind == "direct" or (sentence and not titled)
            else None
        )
        if previous is not None:
            kind = "direct"  # '"Not quite," he said. "We hope."': a short sentence goes on
        # The quote to continue: the last one, or the one before a title in marks between them
        # ('"A," Lee told the "Harbour Hour." "B."').
        at = len(results) - 1
        if at >= 1 and results[at][1].kind == "scare" and results[at][0] is None:
            at -= 1
        if previous is not None and at >= 0 and results[at][0] is previous:
            last = results[at][1]
            if last.kind in {"direct", "mixed"} and text.count("\n", last.end, mark.start) <= 2:
                pieces = [*last.spans, *mark.pieces]
                merged = _make_quote(
                    text, doc_id, pieces, last.kind, (*last.issues, *mark.issues), sentence_at
                )
                results[at] = (previous, merged)
                continue
        if previous is None and kind == "direct":
            # No reporting verb of ours anywhere near: the clause it sits in may still say who
            # is quoted ("The ad targets a “...”"). A scare quote stays one: its clause names
            # who uses the words about as often as who said them.
            unit = unit_at(mark.outer_start)
            previous = _embedded_frame(*unit, mark) if unit is not None else None
        quote = _make_quote(text, doc_id, list(mark.pieces), kind, mark.issues, sentence_at)
        results.append((previous, quote))
    # Frames without quote marks: reported speech.
    for _, frame in frames:
        if frame.used or frame.content is None:
            continue
        region = _trim(text, *frame.content)
        # 'Lee hinted he had settled it: "She signed," he told the paper.': a quote that its
        # own attribution claimed already ends this clause.
        claimed = [
            q.start
            for claimant, q in results
            if claimant is not None
            and claimant is not frame
            and q.kind == "direct"
            and region[0] < q.start
            and q.end <= region[1]
        ]
        if claimed:
            cut = min(claimed)
            while cut > region[0] and (
                text[cut - 1] in QUOTE_CHARS + ":-–—" or text[cut - 1].isspace()
            ):
                cut -= 1
            region = _trim(text, region[0], cut)
        if _words(text[region[0] : region[1]]) < 3:
            continue
        if region[0] >= frame.cue[1] and _only_circumstance(text[region[0] : region[1]]):
            continue  # '..., Lee said by telephone this week.': how it was said, not what
        if any(_overlap_longer(region, (q.start, q.end)) >= 0.8 for _, q in results):
            continue
        if frame.weak and any(
            other is not frame
            and not other.weak
            and other.content is not None
            and _covers(other.content, frame.cue, 0)
            for _, other in frames
        ):
            continue  # "Lee said Republicans rejected it": Lee's report, not the rejection
        if _credits_outlet(text, frame) and any(
            _overlap(region, (q.start, q.end)) > 0.5 for _, q in results
        ):
            # "..., according to KCNA": the outlet of a quote found already, not a new quote.
            continue  # the clause of a quote already found ("..., according to X")
        if any(_covers(region, (m.start, m.end), 0) for m in marks):
            kind = "mixed"
        elif any(m.outer_start < region[1] and region[0] < m.outer_end for m in marks):
            continue  # overlaps a quote already attributed
        else:
            kind = "indirect"
        results.append((frame, _make_quote(text, doc_id, [region], kind, (), sentence_at)))
    results.sort(key=lambda pair: (pair[1].start, pair[1].end))
    _inherit_reporters(text, results)
    return attribute_quotes(
        doc,
        [(f.speaker, f.cue, f.outlet) if f else None for f, _ in results],
        [q for _, q in results],
    )


_WORD_BEFORE = re.compile(r"([A-Za-z]+)[\s,:]*$")


def _after_speech_verb(text: str, mark: MarkedSpan) -> bool:
    """'She ended by saying "Thank you."': a short quote right after a reporting verb is speech,
    not a word borrowed, even when no speaker was found."""
    found = _WORD_BEFORE.search(text, max(0, mark.outer_start - 40), mark.outer_start)
    return found is not None and lexicon.reporting_lemma(found.group(1)) in lexicon.CLAUSE_VERBS


def _inside_marks(marks: Sequence[MarkedSpan]) -> Callable[[int], bool]:
    """Is an offset inside any quote mark pair? Pairs may nest, so compare with the furthest
    end among the pairs opened before the offset."""
    ordered = sorted((m.outer_start, m.outer_end) for m in marks)
    starts = [start for start, _ in ordered]
    reach: list[int] = []
    furthest = -1
    for _, end in ordered:
        furthest = max(furthest, end)
        reach.append(furthest)

    def inside(offset: int) -> bool:
        pos = bisect.bisect_right(starts, offset) - 1
        return pos >= 0 and offset < reach[pos]

    return inside


def _is_title(value: str, limit: int = 10) -> bool:
    """A name in title case ("State of the Union", "The Art of the Deal"): quoted, not said."""
    words = re.findall(r"[A-Za-z][\w’'-]*", value)
    content = [
        w for w in words if w.lower() not in lexicon.STOP_WORDS and w.lower() not in _DETERMINERS
    ]
    return (
        0 < len(words) <= limit
        and len(content) >= 1
        and all(w[0].isupper() for w in content)
        and not re.search(r"[.!?]\s+\S", value)
    )


# "Ann Okoro: The Harbour Plan Is 'a Disgrace'": a headline that names its speaker
# before a colon. The name: capitalised words (short acronyms allowed), no verb in the middle.
_HEADLINE_SPEAKER = re.compile(
    r"((?:[A-Z][\w’'.-]*|[A-Z]{2,4})(?:[ \t]+(?:[A-Z][\w’'.-]*|camp|campaign|report)){0,4})"
    r":[ \t]+(\S.*?)[.;]?[ \t]*$"
)
_HEADLINE_NOT_SPEAKERS = lexicon.words(
    """
    breaking bombshell exclusive just leaked look update guide win latest email morning back
    watch video photos live analysis opinion editorial review fact check byline boom busted
    the a an on to for with in at of is are news daily
    """
)


def _headline_frame(text: str, paragraph: tuple[int, int]) -> Frame | None:
    """The headline's speaker: 'Okoro: the levy is hurting the port'."""
    line_end = text.find("\n", paragraph[0])
    line_end = paragraph[1] if line_end < 0 else min(line_end, paragraph[1])
    found = _HEADLINE_SPEAKER.fullmatch(text, paragraph[0], line_end)
    if found is None:
        return None
    words = found.group(1).split()
    lowered = [w.lower().strip(".") for w in words]
    if any(w in _HEADLINE_NOT_SPEAKERS for w in lowered):
        return None
    if any(w.isupper() and len(w) > 4 for w in words):
        return None  # "BOOM:", "BUSTED:" - shouted labels, not names
    if any(w.endswith("s") and w[:1].isupper() for w in words[:-1]):
        return None  # "Ann Okoro Backs Ruiz:": a verb inside, not a name
    colon = found.end(1)
    return Frame((colon, colon + 1), found.span(1), found.span(2))


def _sentence_lookup(doc: ParsedDoc) -> Callable[[int], int | None]:
    starts = [s.start for s in doc.sentences]

    def lookup(offset: int) -> int | None:
        pos = bisect.bisect_right(starts, offset) - 1
        return doc.sentences[pos].index if pos >= 0 else None

    return lookup


def _credits_outlet(text: str, frame: Frame) -> bool:
    from quotes.attribute import normalise_outlet

    return frame.speaker is not None and (
        normalise_outlet(text[frame.speaker[0] : frame.speaker[1]]) is not None
    )


def _size(frame: Frame) -> int:
    return frame.content[1] - frame.content[0] if frame.content else 1 << 30


def _owns(frame: Frame, mark: MarkedSpan) -> bool:
    """Does the frame's reported clause hold this quote (or the part of it in its sentence)?"""
    content = frame.content
    if content is None:
        return False
    if _covers(content, (mark.start, mark.end)):
        return True
    if frame.speaker_after:
        # The quote began sentences earlier and closes right before "he said".
        return mark.start < content[0] and content[0] <= mark.end <= content[1] + 3
    return content[0] - 3 <= mark.start <= content[1] and mark.end > content[1]


def _frame_after_colon(
    text: str, frames: list[tuple[int, Frame]], mark: MarkedSpan
) -> Frame | None:
    """'He said:' (or 'he said,' at the end of a clause) right before the quote opens."""
    for _, frame in frames:
        anchor = max(frame.cue[1], frame.speaker[1] if frame.speaker else 0)
        gap = text[anchor : mark.outer_start]
        adjacent = anchor <= mark.outer_start and bool(
            re.fullmatch(r"\s{0,2}[:,]?\s{0,3}", gap)
            # 'Ann Okoro agreed. "..."': a cue that ends its sentence with nothing said
            or (frame.content is None and re.fullmatch(r"\.\s{1,3}", gap))
        )
        if adjacent and (
            frame.content is None or frame.content[1] <= anchor or not frame.speaker_after
        ):
            frame.content = (mark.start, mark.end)
            return frame
    return None


_SIGNATURE_DASHES = "-–—―"
_SIGNATURE_NAME = r"([A-Z][\w.’'-]*(?:[ \t\xa0]+(?:[A-Z][\w.’'-]*|de|van|von|bin)){0,4})"
# '"..."' then '- Ann Okoro' on the next line; or on the same line after a quote that ends its
# sentence, with the signer's title after a comma: '“...” ―Ann Okoro, harbour master'.
_SIGNATURE = re.compile(rf"[ \t]*\n\s*[{_SIGNATURE_DASHES}][ \t]*{_SIGNATURE_NAME}[ \t]*(?:\n|$)")
_SIGNATURE_SAME_LINE = re.compile(
    rf"[ \t\xa0]*[{_SIGNATURE_DASHES}][ \t\xa0]*{_SIGNATURE_NAME}(?:,[^\n]{{0,160}})?[ \t]*(?:\n|$)"
)


def _signed_below(text: str, mark: MarkedSpan) -> Frame | None:
    """A quote signed after a dash, on the next line ('"..."' / '- Ann Okoro') or, when the
    quote ends its sentence, on the same line ('“...” ―Ann Okoro, harbour master')."""
    signature = _SIGNATURE.match(text, mark.outer_end)
    if signature is None and text[mark.end - 1 : mark.outer_end].rstrip()[:1] in {".", "!", "?"}:
        signature = _SIGNATURE_SAME_LINE.match(text, mark.outer_end)
    if signature is None:
        return None
    dash = signature.start(1) - 1
    while text[dash] not in _SIGNATURE_DASHES:
        dash -= 1
    return Frame((dash, dash + 1), signature.span(1), (mark.start, mark.end), speaker_after=True)


_VERB_ENDINGS = ("s", "ed")
_IRREGULAR_PASTS = lexicon.words(
    """made gave took put got had saw left held kept went came became brought thought felt sent
    spent won lost ran began built led paid read set sold stood struck taught wore"""
)


def _looks_finite(tok: Token) -> bool:
    """Could this untagged word be the clause's verb? Surface shape only."""
    return tok.text.isalpha() and tok.text.islower() and _finite_shape(tok.text)


def _finite_shape(word: str) -> bool:
    """A lower-case word shaped like a finite verb: a reporting form, a common irregular past,
    or an -s/-ed ending ("targets", "credited"), never a function word."""
    if word in lexicon.STOP_WORDS:
        return False
    if word in lexicon.REPORTING_FORMS or word in _IRREGULAR_PASTS:
        return True
    return len(word) > 3 and word.endswith(_VERB_ENDINGS) and not word.endswith(("ss", "us", "is"))


_POSSESSIVE_DETERMINERS = lexicon.words("its his her their our my your")


def _embedded_frame(tokens: list[Token], quoted: list[bool], mark: MarkedSpan) -> Frame | None:
    """A quote set inside a clause with no reporting verb of ours: "The council ad targets a
    “rigged harbour system”", "Okoro credited the win to “a closed vote”". Whoever the clause is
    about is the one quoted and its verb the cue, as attribution corpora mark them: the verb
    nearest before the quote that has a subject.
    """
    opening = next((p for p, t in enumerate(tokens) if t.start >= mark.outer_start), None)
    if opening is None or opening == 0 or not quoted[opening]:
        return None
    # "The harbour board was plain in its findings: “...”": a lead-in colon is no boundary.
    lead_in = opening - 1 if _lower(tokens[opening - 1]) == ":" else opening
    for verb in range(lead_in - 1, 0, -1):
        low = _lower(tokens[verb])
        if quoted[verb] or low in {";", ":", ".", "!", "?"}:
            break
        if not (_looks_finite(tokens[verb]) or low in _BE_FORMS - {"be", "been", "being", "'s"}):
            continue
        if _lower(tokens[verb - 1]) in _DETERMINERS | _POSSESSIVE_DETERMINERS | {"this", "these"}:
            continue  # "The ministers": a noun after its determiner
        subject = _left_subject(tokens, verb, quoted)
        if subject is None:
            continue
        start, end = subject
        if (
            _lower(tokens[start]) in _RELATIVE_PRONOUNS | {"that"}
            or not _np_like(tokens[end])
            or _lower(tokens[end]) in _POSSESSIVE_DETERMINERS  # "its findings": a noun
        ):
            continue
        return Frame(
            (tokens[verb].start, tokens[verb].end),
            (tokens[start].start, tokens[end].end),
            (mark.start, mark.end),
        )
    return _first_subject_frame(tokens, quoted, mark, lead_in)


def _first_subject_frame(
    tokens: list[Token], quoted: list[bool], mark: MarkedSpan, opening: int
) -> Frame | None:
    """The clause's first noun phrase and the verb after it, when no verb near the quote has a
    subject of its own ("On its website, the agency lists “...”")."""
    subject = _clause_subject(tokens, opening, quoted)
    if subject is None:
        return None
    start, end = subject
    if any(quoted[start : end + 1]) or _lower(tokens[start]) in _RELATIVE_PRONOUNS | {"that"}:
        return None
    verb = end + 1
    for p in range(start + 2, end + 1):
        if _looks_finite(tokens[p]):
            verb, end = p, p - 1
            break
    while verb < opening and _lower(tokens[verb]) in _AUXILIARIES | lexicon.SUBJECT_VERB_FILLERS:
        verb += 1
    if verb >= opening or not tokens[verb].text.isalpha() or not tokens[verb].text.islower():
        return None
    if _lower(tokens[verb]) in lexicon.STOP_WORDS - _BE_FORMS:
        return None  # "Transcript as follows: ...": no clause, no speaker
    if any(_lower(t) in {";", ":", "."} for t in tokens[verb:opening]):
        return None
    return Frame(
        (tokens[verb].start, tokens[verb].end),
        (tokens[start].start, tokens[end].end),
        (mark.start, mark.end),
    )


# '"...," he mocks.', '"...?" Hannity pressed.', '"...," one user wrote.': after a quote that
# ends in a comma, question or exclamation mark, a short subject and one verb closing the
# sentence are its attribution, whatever the verb.
_TRAILING_SAYER = re.compile(
    r"[ \t]*(?P<np>he|she|they|we|I|(?:one|another|a|the)(?:\s+[a-z][a-z-]*){1,3}|"
    r"[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3})"
    r"\s+(?P<verb>[a-z]+)(?:\s+(?:on|back|out|up|in|again))?(?=\s*[.,;]|\s*$)"
)


def _trailing_sayer(text: str, mark: MarkedSpan) -> Frame | None:
    """The attribution closing the sentence right after a quote: '"...," he mocks.'"""
    closing = text[mark.end - 1 : mark.outer_end]
    after = text[mark.outer_end : mark.outer_end + 1]
    if not (any(c in closing for c in ",?!") or after == ","):
        return None
    found = _TRAILING_SAYER.match(text, mark.outer_end + (after == ","))
    if found is None:
        return None
    if not _finite_shape(found.group("verb")):
        return None
    return Frame(found.span("verb"), found.span("np"), (mark.start, mark.end), speaker_after=True)


_TRAILING_REACH = 30  # tokens from the closing mark to the cue of a trailing attribution


def _trailing_attribution(text: str, mark: MarkedSpan) -> Frame | None:
    """'"...," Texas delegate Ann Lee, wearing a hat and "Lee" pins, said as confetti fell.':
    the speaker of a long trailing attribution runs from the closing mark to the first speech
    verb of the sentence, however long; inverted ('"...," said one source who spoke on the
    condition of anonymity.'), from the verb to the end of the sentence.
    """
    closing = text[mark.end - 1 : mark.outer_end + 1]
    period = "." in closing
    if not any(c in closing for c in ",?!") and not period:
        return None
    line_end = text.find("\n", mark.outer_end)
    end = min(len(text) if line_end < 0 else line_end, mark.outer_end + 600)
    tokens = tokenize_span(text, mark.outer_end, end)
    if tokens and tokens[0].text == ",":
        tokens = tokens[1:]
    if len(tokens) < 2:
        return None
    cut = next(
        (p for p, t in enumerate(tokens) if t.text in {".", ";", "!", "?"} or "\n" in t.text),
        len(tokens),
    )
    tokens = tokens[:cut]
    if len(tokens) < 2:
        return None
    quoted = [_is_quote_token(t) for t in tokens]

    def cue_at(p: int) -> bool:
        low = _lower(tokens[p])
        if lexicon.reporting_lemma(low) not in _INVERSION_LEMMAS or low in lexicon.NOUN_FIRST_FORMS:
            return False
        if p > 0 and _is_capitalised(tokens[p]) and _is_capitalised(tokens[p - 1]):
            return False  # part of a name
        return not (
            p > 0 and (_lower(tokens[p - 1]) in _DETERMINERS or _is_possessive(tokens[p - 1]))
        )

    first = tokens[0]
    if cue_at(0) and not period:
        speaker_end = next((p for p in range(1, len(tokens)) if tokens[p].text == ","), len(tokens))
        if speaker_end < 2 or not (_np_like(tokens[1]) or _lower(tokens[1]) in _DETERMINERS):
            return None
        return Frame(
            (first.start, first.end),
            (tokens[1].start, tokens[speaker_end - 1].end),
            (mark.start, mark.end),
            speaker_after=True,
        )
    if not first.text[:1].isalpha() or _lower(first) in lexicon.STOP_WORDS - {"this"}:
        return None
    cue = next((p for p in range(1, min(len(tokens), _TRAILING_REACH)) if cue_at(p)), None)
    if cue is None or sum(quoted[:cue]) > 4:
        return None
    if not (
        _is_capitalised(first)
        or _lower(first) in _DETERMINERS | _POSSESSIVE_DETERMINERS | {"this", "one"}
        or _lower(first) in _SPEAKING_PRONOUNS
        or any(_is_capitalised(t) for t in tokens[1 : min(cue, 4)])  # "harbour delegate Ann Lee"
    ):
        return None
    if period and (cue > 4 or not all(_np_like(t) for t in tokens[:cue])):
        return None  # '..." Lee said.': after a full stop only a short name may follow
    if _words(text[mark.start : mark.end]) <= SCARE_MAX_WORDS and (
        cue > 3 or _lower(first) in {"a", "an"}
    ):
        return None  # '"hegemonism," a term Lee said ...': a word explained, not spoken
    speaker_end = cue - 1
    while speaker_end > 0 and (
        tokens[speaker_end].text in {",", "—", "–", "-"}
        or _lower(tokens[speaker_end]) in lexicon.SUBJECT_VERB_FILLERS
    ):
        speaker_end -= 1
    return Frame(
        (tokens[cue].start, tokens[cue].end),
        (first.start, tokens[speaker_end].end),
        (mark.start, mark.end),
        speaker_after=True,
    )


def _split_continuation(text: str, marks: list[MarkedSpan], index: int, frame: Frame) -> int | None:
    if index + 1 >= len(marks) or not frame.speaker_after:
        return None
    nxt = marks[index + 1]
    anchor = max(frame.cue[1], frame.speaker[1] if frame.speaker else 0)
    gap = text[anchor : nxt.outer_start]
    if anchor <= nxt.outer_start and re.fullmatch(r"\s*[,:;—–-]\s*", gap):
        return index + 1
    return None


def _inherit_reporters(text: str, results: list[tuple[Frame | None, Quote]]) -> None:
    """'Lee added that the Fed would wait. "They don't like to talk about it."': a direct quote
    with no attribution of its own, right after a report in the same paragraph, is the same
    speaker's."""
    for index in range(1, len(results)):
        frame, quote = results[index]
        before_frame, before = results[index - 1]
        if frame is not None or quote.kind != "direct" or before_frame is None:
            continue
        if before.kind != "indirect" or before.end > quote.start:
            continue
        between = text[before.end : quote.start]
        if before_frame.speaker_after and len(between) < 200:
            # 'Okoro is no sailor, she said. "She is a pilot!"': the report's own attribution
            # may stand between the two.
            own = [before_frame.cue, *([before_frame.speaker] if before_frame.speaker else [])]
            between = "".join(
                " " if any(s <= i < e for s, e in own) else text[i]
                for i in range(before.end, quote.start)
            )
        if "\n" in between or _words(between) > 0:
            continue
        results[index] = (before_frame, quote)


_SHORT_MARKED = re.compile(r"[\"“][^\"“”\n]{1,40}[\"”]")


def _previous_direct(
    results: list[tuple[Frame | None, Quote]], mark: MarkedSpan, text: str
) -> Frame | None:
    """The frame of the direct quote just before, in this or the previous paragraph."""
    for frame, quote in reversed(results):
        if frame is None or quote.kind == "scare":
            continue
        between = text[quote.end : mark.outer_start]
        if quote.kind == "indirect" and "\n" in between:
            continue  # 'Lee added that ... . "..."': only within the paragraph of the report
        # A title in marks between the two ('Okoro told the "Harbour Hour." "..."') is no new quote.
        edge = " \t\r\n,.;:!?" + QUOTE_CHARS
        core = _SHORT_MARKED.sub(" title ", between.lstrip(edge)).strip(edge)
        if between.count("\n") > 2 or any(c in core for c in '"“”'):
            return None
        lead_in = between.rstrip(" \t\r\n")
        if core and (lead_in.endswith(":") or ("\n" in between and lead_in.endswith(","))):
            # 'She turned to the crowd again: "..."': words that introduce this quote make it
            # a new one, even when no reporting verb was found in them.
            return None
        words = _words(core)
        last_paragraph = between.strip().rpartition("\n")
        if last_paragraph[1] and _words(last_paragraph[2].rstrip(QUOTE_CHARS + " ")) > 0:
            # '"A," Lee replied.' / 'Okoro frowned and asked why. "B?"': a new paragraph that
            # opens with its own words before the quote is another context, not Lee going on.
            return None
        # '"A," said Ann Lee, a nurse at the clinic for ten years. "B."': the attribution
        # sentence between the two parts may be long, but nothing else may come between.
        trailing = frame.speaker_after and quote.end <= frame.cue[0] < mark.outer_start
        inner = between.rstrip(" \t\r\n" + QUOTE_CHARS)
        sentence_ends = sum(
            1
            for end in re.finditer(r"[.!?](?=\s)", inner)
            if not ends_in_abbreviation(inner, end.start())  # "Mr. Obama" ends no sentence
        )
        if words <= 10 or (trailing and words <= 30 and sentence_ends <= 1):
            return frame
        return None
    return None


def _make_quote(
    text: str,
    doc_id: str,
    pieces: list[tuple[int, int]],
    kind: str,
    issues: tuple[str, ...],
    sentence_at: Callable[[int], int | None],
) -> Quote:
    pieces = sorted({p for p in pieces if p[1] > p[0]})
    start, end = pieces[0][0], pieces[-1][1]
    return Quote(
        doc=doc_id,
        start=start,
        end=end,
        text=text[start:end],
        spans=tuple(pieces),
        kind=kind,  # type: ignore[arg-type]
        sentence_index=sentence_at(start),
        issues=tuple(dict.fromkeys(issues)),
    )


# ---------------------------------------------------------------------------------------------
# Text in, quotes out


def simple_parse(text: str) -> ParsedDoc:
    """The rules tokenizer of :mod:`quotes.segment` and no parse: no model, no tags. For tests.

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
    parser: Callable[[str], ParsedDoc] | None = None,
) -> list[Quote]:
    """Parse one article (only the sentences that can hold a quote) and extract its quotes.

    ``nlp`` defaults to :func:`quotes.nlp.load_pipeline`; ``parser`` (e.g. :func:`simple_parse`)
    replaces Stanza altogether.

    Example:
        >>> [q.speaker for q in extract_text('Wang said, "OK."', doc_id="a")]  # doctest: +SKIP
        ['Wang']
    """
    if parser is not None:
        return extract_quotes(parser(text), doc_id=doc_id)
    return extract_texts([(doc_id, text)], nlp=nlp)[0]


def extract_texts(
    items: Sequence[tuple[str, str]],
    *,
    nlp: NLP | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[list[Quote]]:
    """Extract the quotes of several articles, ``(doc_id, text)`` pairs, batching the parser.

    Example:
        >>> extract_texts([("a", "Wang said yes.")])            # doctest: +SKIP
        [[Quote(doc='a', ...)]]
    """
    if not items:
        return []
    if nlp is None:
        from quotes.nlp import load_pipeline

        nlp = load_pipeline()
    docs = nlp.parse_many([text for _, text in items], select=needs_parse, progress=progress)
    return [
        extract_quotes(doc, doc_id=doc_id) for (doc_id, _), doc in zip(items, docs, strict=True)
    ]


def format_table(quotes: Sequence[Quote]) -> str:
    """A readable fixed-width table of quotes (``quotes extract --format table``).

    Example:
        >>> print(format_table([Quote(doc="a", start=0, end=2, text="Hi", spans=((0, 2),),
        ...                           kind="direct", speaker="Wang Yi")]))
        doc  kind    speaker  outlet  cue  text
        a    direct  Wang Yi  -       -    Hi
    """
    headers = ("doc", "kind", "speaker", "outlet", "cue", "text")
    rows = [
        (
            q.doc,
            q.kind,
            q.speaker or "-",
            q.outlet or "-",
            q.cue or "-",
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
    "MarkedSpan",
    "extract_quotes",
    "extract_text",
    "extract_texts",
    "find_quote_marks",
    "format_table",
    "is_candidate_sentence",
    "needs_parse",
    "simple_parse",
]
