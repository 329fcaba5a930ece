"""Group quotes from different articles that report the same utterance.

The same statement travels from an agency to wire services to websites and its words change on
the way: it is cut to a fragment, joined with an ellipsis, paraphrased or altered. This module
decides, for two quotes, whether they report the same utterance (:func:`same_utterance`, the one
decision rule used everywhere), and groups a whole corpus of quotes with it
(:func:`cluster_quotes`) without comparing all pairs:

1. every quote is normalised once (case, curly quotes, contractions, ellipses) into a
   :class:`QuoteProfile` with its content-word stems in order;
2. candidates are *blocked*: every quote is indexed under its pairs of nearby content words
   (adjacent or one apart, in either order) and its runs of three, and looks up only the
   quotes sharing one of its three rarest keys; a key held by many quotes is never looked up,
   so the number of candidate pairs grows close to linearly with the corpus;
3. candidates are scored with RapidFuzz (the shorter quote aligned inside the longer one, per
   ellipsis segment; token-level scores; an ordered, length-weighted containment of content
   words) plus evidence beyond the string: speaker, kind, publication date, and what each
   report's context says of the occasion (its day and kind: :mod:`quotes.occasion`; a copied
   report; the other report's words quoted beside it) and its cue ("again", "has yet to");
4. accepted pairs are merged strongest first, and two groups merge only when their references
   (most complete members) also match each other, so one bridging quote cannot chain two
   statements together.

Example:
    >>> a = MatchItem("a1", "further bolstering ties with China is our unwavering position",
    ...               speaker="Choe Son Hui", doc="a")
    >>> b = MatchItem("b1", "unwavering position", speaker="Choe", doc="b")
    >>> same_utterance(a, b).same
    True
    >>> [c.member_ids for c in cluster_quotes([a, b])]
    [('a1', 'b1')]
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq

from quotes.errors import InputError
from quotes.occasion import compare_occasions, cue_marks, quote_span, read_occasion

__all__ = [
    "DEFAULT_PARAMS",
    "Cluster",
    "DecisionParams",
    "MatchItem",
    "PairDecision",
    "PairFeatures",
    "QuoteProfile",
    "cluster_quotes",
    "decide",
    "judge_pairs",
    "normalize_quote",
    "pair_features",
    "profile",
    "same_utterance",
    "speakers_compatible",
]

# The wording score (see _text_view); the decision's settings are DecisionParams, tuned and
# reported by bench/matching.py on the real pair set.
INDIRECT_BONUS = 0.1
SHORT_PENALTY = {0: 0.3, 1: 0.3, 2: 0.12, 3: 0.05}
MIN_PARAPHRASE_WORDS = 4
# Words inside quote marks count as the same words at this alignment (punctuation aside).
VERBATIM = 0.95
# A copied report still has to carry similar words (an article quoting two things in one place).
COPY_MIN_TEXT = 0.7
# A near-verbatim quote in near-identical surroundings is one report copied even when the two
# copies' speaker fields disagree: one of them was resolved wrong ("he" taken for the last person
# named), since the same sentence cannot have two speakers.
VERBATIM_COPY_TEXT = 0.95
VERBATIM_COPY_CONTEXT = 0.85
# A copy is told by the words around the quotes, not by the quotes (two reports of one long
# quote would look alike); with fewer characters than this around a quote it cannot be told.
MIN_COPY_SURROUNDINGS = 40
# An echo: this many words in a row of one quote, ECHO_CONTENT of them content words, stand in
# the other report right beside its quote (it quotes the same passage, or the one next to it).
ECHO_WORDS = 8
# Words inside quote marks judged as the speaker's own words need this many content words.
MIN_QUOTED_WORDS = 2
ECHO_CONTENT = 4
_MATCHING_DATA = Path(__file__).resolve().parent / "data" / "matching.json"


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


STOPWORDS = _word_set(
    """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself nor of off on once only or other our ours ourselves
    out over own same she should so some such than that the their theirs them themselves then
    there these they this those through to too under until up very was we were what when where
    which while who whom why will with would you your yours yourself yourselves s t d ll m re ve
    mr mrs ms said says say told tell according per via let us one get got going go
    """
)
# Negations change what was said; they stay content words.
NEGATIONS = frozenset({"not", "no", "never", "nothing", "none", "nobody", "neither", "nor"})

# Apostrophe look-alikes made straight ("can’t" -> "can't"). Replaced one by one: str.translate
# with a table is some forty times slower on a context-sized string.
_APOSTROPHE_LIKES = ("\u2018", "\u2019", "\u201b", "\u2032", "`", "\u00b4")


def _straight_apostrophes(text: str) -> str:
    for mark in _APOSTROPHE_LIKES:
        if mark in text:
            text = text.replace(mark, "'")
    return text


# Every ellipsis has two dots with only spaces between them, or is the one character.
_TWO_DOTS = re.compile(r"\.\s*\.")
_ELLIPSIS = re.compile(r"\s*(?:\[\s*(?:\.\s*){2,}\]|\(\s*(?:\.\s*){2,}\)|(?:\.\s*){3,}|\u2026)\s*")
_BRACKETED = re.compile(r"\s*\[[^\[\]]{1,40}\]\s*")
_CONTRACTIONS = (
    (re.compile(r"\bwon't\b"), "will not"),
    (re.compile(r"\bcan't\b"), "can not"),
    (re.compile(r"\bshan't\b"), "shall not"),
    (re.compile(r"\bain't\b"), "is not"),
    (re.compile(r"n't\b"), " not"),
    (re.compile(r"'re\b"), " are"),
    (re.compile(r"'ll\b"), " will"),
    (re.compile(r"'ve\b"), " have"),
    (re.compile(r"'m\b"), " am"),
    (re.compile(r"'d\b"), " would"),
    (re.compile(r"'s\b"), ""),
)
# All of _CONTRACTIONS in one pass (the whole forms first; no expansion holds an apostrophe,
# so one pass gives what applying them in turn would).
_CONTRACTION = re.compile(r"\b(?:won't|can't|shan't|ain't)\b|n't\b|'(?:re|ll|ve|m|d|s)\b")
_EXPANSIONS = {
    "won't": "will not",
    "can't": "can not",
    "shan't": "shall not",
    "ain't": "is not",
    "n't": " not",
    "'re": " are",
    "'ll": " will",
    "'ve": " have",
    "'m": " am",
    "'d": " would",
    "'s": "",
}


def _expand_contraction(found: re.Match[str]) -> str:
    return _EXPANSIONS[found.group()]


_WORD = re.compile(r"[a-z0-9]+")
# Words inside quote marks: "...", “...”, or ''...'' (two apostrophes: the New York Times' house
# style in its archive text).
_QUOTED_PIECE = re.compile(
    r"(?:''|[\"\u201c\u201d])"
    r"((?:(?!'')[^\"\u201c\u201d])*\w(?:(?!'')[^\"\u201c\u201d])*)"
    r"(?:''|[\"\u201d])"
)
_SEGMENT_BREAK = "\x00"
_TITLES = _word_set(
    """mr mrs ms dr sen senator rep gov president minister foreign prime secretary gen general
    chairman chairwoman leader spokesman spokeswoman spokesperson the of"""
)
# Pronouns are resolved by the attribution stage; one left here says nothing about the speaker.
_PRONOUNS = _word_set("he she they it we i you him her them this that who someone")
# A state, a government body or a news agency speaks through its officials: as a speaker it is
# compatible with any person, so it counts as unknown rather than as a different speaker.
_INSTITUTION_WORDS = _word_set(
    """korea china russia america states kingdom union nations japan iran israel ukraine india
    beijing pyongyang washington moscow seoul tokyo kremlin government ministry department
    agency office administration council committee party campaign house congress senate army
    military police news press media kcna xinhua ap reuters afp yonhap tass cnn bbc
    officials spokesperson"""
)


@dataclass(frozen=True, slots=True)
class MatchItem:
    """One quote to match: its text plus the evidence beyond the string.

    Example:
        >>> MatchItem("q1", "all forms of hegemonism", speaker="Wang Yi").kind is None
        True
    """

    id: str
    text: str
    speaker: str | None = None
    kind: str | None = None
    doc: str | None = None
    published: date | None = None
    cue: str | None = None
    context: str | None = None


@dataclass(frozen=True, slots=True)
class PairDecision:
    """The verdict of :func:`same_utterance`: ``same``, the evidence score it rests on (0..1)
    and, in words, the rule that decided (``reason``).

    Example:
        >>> PairDecision(same=True, score=0.9).same
        True
    """

    same: bool
    score: float
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Cluster:
    """One utterance: the ids of every quote reporting it, sorted; ``id`` is stable.

    Example:
        >>> Cluster(id="u-1", member_ids=("a", "b")).member_ids
        ('a', 'b')
    """

    id: str
    member_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class QuoteProfile:
    """A quote prepared once for matching.

    ``norm`` is the normalised text (lower case, contractions expanded, punctuation and
    ellipses removed), ``segments`` its pieces between ellipses, ``content`` its content-word
    stems in reading order and ``words`` the same as a set. ``quoted`` is the profile of the
    words inside quote marks when the text mixes them with paraphrase (a partial quote:
    Beijing opposes "all forms of hegemonism"), its pieces as segments.

    Example:
        >>> profile("We won't back down... ever").segments
        ('we will not back down', 'ever')
    """

    norm: str
    segments: tuple[str, ...]
    content: tuple[str, ...]
    words: frozenset[str]
    quoted: QuoteProfile | None = None


@dataclass(frozen=True, slots=True)
class PairFeatures:
    """The measurements behind a decision (see :func:`decide`).

    Wording, shorter quote against longer (0..1): ``alignment`` (the shorter quote's segments
    found in the longer, RapidFuzz partial ratio, length-weighted), ``ordered`` (share of the
    shorter's content words found in the same order), ``weighted`` (share of its content-word
    weight found at all; long words count more), ``coverage`` (share of the longer's weight
    covered), ``token_sort``/``token_set`` (RapidFuzz), and ``text``: the wording score the
    decision uses (the best of a fragment reading and a paraphrase reading, over the whole texts
    and their words inside quote marks). ``short_words``/``short_length``: content words / all
    words of the shorter.

    Evidence beyond the wording: ``speaker`` ("same", "unknown" or "different");
    ``days_apart`` (None without both dates); ``context_overlap`` (share of content-word weight
    the two quotes' surroundings have in common, None without both contexts); ``context_copy``
    (RapidFuzz ratio of the two surroundings, the quotes taken out: near 1 when one report is a
    copy of the other; None when either has too little around its quote);
    ``quoted_match`` (the words inside quote marks are the same words, verbatim, with
    ``quoted_words`` content words); ``recall_marker`` (the later report says the words were
    said earlier: "last year", "in December"...); ``scare`` (a scare quote, not its twin);
    ``speakers_given``: how many of the two quotes came with a speaker at all (0 when the caller
    gave none: then an unknown speaker is no evidence either way); ``institution``: both came
    with one, and one is a state, body or outlet that speaks through its officials ("North
    Korea" for its foreign minister).

    The occasion (see :mod:`quotes.occasion`): ``occasion`` is "same" when both reports date
    the quote to one day ("on Tuesday" in two articles of that week), "different" when they date
    it to different days, one to a day after the other appeared, or they name different kinds
    of occasion (a post and an interview), else None; ``occasion_note`` says which. ``echo``:
    one quote's words (ECHO_WORDS in a row) stand in the other report right beside its quote.
    ``repeated_cue``: a cue says the line is one more time ("called again for", "regularly
    pledges"); ``negated_cue``: a cue says the words were not said ("has yet to endorse").
    ``speaker_from_context``: the speaker fields named two people, but one report's context
    gives its quote to the other's speaker, so ``speaker`` is "same". ``shared_passage``: the
    two reports' surroundings (quotes taken out) share ECHO_WORDS words in a row.

    Example:
        >>> f = pair_features(MatchItem("a", "a fairer world order"),
        ...                   MatchItem("b", "promote a fairer world order"))
        >>> f.alignment, f.ordered, f.speaker, f.context_overlap
        (1.0, 1.0, 'unknown', None)
    """

    alignment: float
    ordered: float
    weighted: float
    coverage: float
    token_sort: float
    token_set: float
    short_words: int
    short_length: int
    speaker: str
    days_apart: int | None
    text: float = 0.0
    context_overlap: float | None = None
    context_copy: float | None = None
    quoted_match: bool = False
    quoted_words: int = 0
    recall_marker: bool = False
    scare: bool = False
    speakers_given: int = 0
    institution: bool = False
    occasion: str | None = None
    occasion_note: str = ""
    echo: bool = False
    repeated_cue: bool = False
    negated_cue: bool = False
    speaker_from_context: bool = False
    shared_passage: bool = False


@dataclass(frozen=True, slots=True)
class DecisionParams:
    """The settings of :func:`decide`; the defaults are tuned on the real pair set's train split
    by ``bench/matching.py`` (cross-validated there, checked on dev).

    ``threshold``: the evidence score a pair must reach; ``same_speaker_bonus`` is added when the
    speakers are one person, ``unknown_speaker_penalty`` taken off when a speaker is unknown (a
    phrase shared by reports that do not name one speaker is as often a topic as a statement;
    not taken when no speaker was given at all), ``institution_penalty`` instead when both are
    named and one is an institution;
    ``context_weight`` times the context overlap is added;
    ``max_days_apart``: reports further apart are of another occasion unless the later one
    recalls the words; ``copy_context``: contexts this alike mean one report copied;
    ``recalled_text``: the wording needed to accept a recalled statement, and
    ``recalled_coverage`` the share of the longer version's words the shorter must carry;
    ``unknown_quoted_words``: content words the matching quoted words need when a speaker is
    unknown; ``occasion_bonus`` is added when both reports date the occasion to one day,
    ``repeated_penalty`` taken off when a cue says the line is one more time.

    Example:
        >>> DecisionParams().max_days_apart
        5
    """

    threshold: float = 0.75
    same_speaker_bonus: float = 0.05
    unknown_speaker_penalty: float = 0.3
    institution_penalty: float = 0.0
    context_weight: float = 0.4
    max_days_apart: int = 5
    copy_context: float = 0.8
    recalled_text: float = 0.75
    recalled_coverage: float = 0.6
    unknown_quoted_words: int = 3
    occasion_bonus: float = 0.1
    repeated_penalty: float = 0.1


DEFAULT_PARAMS = DecisionParams()


def normalize_quote(text: str) -> str:
    """Lower-case ``text``, expand contractions and drop punctuation; ellipses become a break.

    Example:
        >>> normalize_quote("\u201cWe can\u2019t\u2026 stop!\u201d")
        'we can not\\x00stop'
    """
    text = _straight_apostrophes(unicodedata.normalize("NFKC", text)).lower()
    if "\u2026" in text or _TWO_DOTS.search(text):  # the ellipsis pattern is slow to try
        text = _ELLIPSIS.sub(f" {_SEGMENT_BREAK} ", text)
    if "[" in text:
        # Words in square brackets are the editor's ("what the [censored] is going on"): the
        # speaker's words stand on either side, as around an ellipsis.
        text = _BRACKETED.sub(f" {_SEGMENT_BREAK} ", text)
    text = _CONTRACTION.sub(_expand_contraction, text)
    pieces = [" ".join(_WORD.findall(piece)) for piece in text.split(_SEGMENT_BREAK)]
    return _SEGMENT_BREAK.join(piece for piece in pieces if piece)


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    # A tiny suffix stripper: enough to meet "bolster"/"bolstering", "tie"/"ties",
    # "cooperate"/"cooperating" without a lexicon.
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) > 4 and word.endswith("ed"):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


@lru_cache(maxsize=1)
def _synonyms() -> dict[str, str]:
    """Word families a reporter swaps when putting a statement in their own words ("ties" for
    "relations", "collaborate" for "cooperate"; quotes/data/matching.json): every stem of a
    group answers as the group's first, so a paraphrase keeps its content words."""
    data = json.loads(_MATCHING_DATA.read_text(encoding="utf-8"))
    table: dict[str, str] = {}
    for group in data["synonyms"]:
        head = _stem(group[0])
        table.update((_stem(word), head) for word in group[1:])
    return table


@lru_cache(maxsize=65536)
def _content_stem(word: str) -> str:
    stem = _stem(word)
    return _synonyms().get(stem, stem)


def _weight(words: Iterable[str]) -> int:
    # A word weighs its length: longer words are rarer (Zipf's law of abbreviation). This stands
    # in for an IDF table, which would differ from corpus to corpus and break the
    # one-rule-for-all-pairs property.
    return sum(map(len, words))


def _plain_profile(text: str) -> QuoteProfile:
    return _normalised_profile(normalize_quote(text))


def _normalised_profile(norm_with_breaks: str) -> QuoteProfile:
    segments = tuple(norm_with_breaks.split(_SEGMENT_BREAK)) if norm_with_breaks else ()
    norm = " ".join(segments)
    content = tuple(
        _content_stem(word) for word in norm.split() if word not in STOPWORDS or word in NEGATIONS
    )
    if not content:
        # "What am I going to do?": a quote of function words only is compared on all of them.
        content = tuple(_content_stem(word) for word in norm.split())
    return QuoteProfile(norm=norm, segments=segments, content=content, words=frozenset(content))


def profile(text: str) -> QuoteProfile:
    """Prepare ``text`` for matching (see :class:`QuoteProfile`).

    Example:
        >>> profile("Beijing opposes all forms of hegemonism").content
        ('beij', 'oppos', 'form', 'hegemonism')
        >>> profile('Beijing opposes "all forms of hegemonism" today').quoted.norm
        'all forms of hegemonism'
    """
    plain = _plain_profile(text)
    pieces = [match.group(1) for match in _QUOTED_PIECE.finditer(text)]
    if not pieces:
        return plain
    quoted = _plain_profile(" ... ".join(pieces))
    if not quoted.norm or quoted.norm == plain.norm:
        return plain
    return QuoteProfile(
        norm=plain.norm,
        segments=plain.segments,
        content=plain.content,
        words=plain.words,
        quoted=quoted,
    )


_cached_profile = lru_cache(maxsize=4096)(profile)


@lru_cache(maxsize=65536)
def _name_tokens(name: str | None) -> frozenset[str] | None:
    if not name:
        return None
    if not any(w[:1].isupper() and w.lower() not in _TITLES for w in name.split()):
        # "The ministers", "officials": not a name, so no evidence either way.
        return None
    # Initials ("Donald J. Trump") say nothing against a name written without them.
    words = [w for w in _WORD.findall(normalize_quote(name)) if w not in _TITLES and len(w) > 1]
    if not words or (len(words) == 1 and words[0] in _PRONOUNS):
        return None
    if any(w in _INSTITUTION_WORDS for w in words):
        return None
    return frozenset(words)


@lru_cache(maxsize=65536)
def _institution(name: str | None) -> bool:
    """A speaker named by a state, a body or an outlet: it speaks through its officials."""
    if not name:
        return False
    words = _WORD.findall(normalize_quote(name))
    return any(word in _INSTITUTION_WORDS for word in words)


@lru_cache(maxsize=1)
def _external_speaker_key() -> Callable[[str], object] | None:
    # Imported on first use, and any failure ignored: the extraction stage's helper is welcome
    # but matching must work without it.
    try:
        from quotes.speakers import speaker_key
    except Exception:
        return None
    return speaker_key


@lru_cache(maxsize=65536)
def speakers_compatible(a: str | None, b: str | None) -> str:
    """ "same", "unknown" (one side unknown or not a name) or "different".

    Name variants are the same speaker when one's words are contained in the other's
    ("Choe" / "Choe Son Hui"), or when :func:`quotes.speakers.speaker_key` gives them one key.

    Example:
        >>> speakers_compatible("Choe", "Foreign Minister Choe Son Hui")
        'same'
        >>> speakers_compatible("Bill Clinton", "Hillary Clinton")
        'different'
        >>> speakers_compatible(None, "Wang Yi")
        'unknown'
    """
    tokens_a, tokens_b = _name_tokens(a), _name_tokens(b)
    if tokens_a is None or tokens_b is None:
        return "unknown"
    if tokens_a <= tokens_b or tokens_b <= tokens_a:
        return "same"
    external_key = _external_speaker_key()
    if external_key is not None and a is not None and b is not None:
        try:
            if external_key(a) == external_key(b):
                return "same"
        except Exception:  # the other stage's helper must never break matching
            pass
    return "different"


@lru_cache(maxsize=65536)
def _surname(name: str | None) -> str | None:
    """The last word of a speaker's name that is no title ("FBI Director James Comey": comey)."""
    if _name_tokens(name) is None or name is None:
        return None
    words = [w for w in _WORD.findall(normalize_quote(name)) if w not in _TITLES and len(w) > 2]
    return words[-1] if words else None


_POSSESSIVE = re.compile(r"([a-z]+)['\u2019]s\b")


@lru_cache(maxsize=65536)
def _names_before(context: str, text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The words of a report's context before its quote, and those of them written as an owner
    ("Comey's statement"), both without the quote's own words (a person named inside a quote is
    spoken of, not speaking); nothing when the quote is not found in the context."""
    span = quote_span(context, text)
    if span is None or span[0] == 0:
        return frozenset(), frozenset()
    quote = frozenset(normalize_quote(text).split())
    lead = _straight_apostrophes(context[: span[0]]).lower()
    before = frozenset(normalize_quote(lead).split()) - quote
    return before, frozenset(_POSSESSIVE.findall(lead)) - quote


@lru_cache(maxsize=65536)
def _context_words(context: str) -> frozenset[str]:
    return frozenset(normalize_quote(context).split())


def _speaker_misread(a: MatchItem, b: MatchItem) -> bool:
    """Two named speakers disagree, but one report's context gives its quote to the other's
    speaker: it names them before the quote as the owner of the words ("James Comey's
    statement... He called her handling 'extremely careless'", "Trump's proposal for a ban")
    with its own speaker not named before the quote, or names them before the quote and its own
    speaker nowhere in the context. The speaker field resolved "he" wrong; the report itself
    says whose the words are."""
    surname_a, surname_b = _surname(a.speaker), _surname(b.speaker)
    if surname_a is None or surname_b is None:
        return False
    for item, theirs, own in ((a, surname_b, surname_a), (b, surname_a, surname_b)):
        if not item.context:
            continue
        before, owners = _names_before(item.context, item.text)
        if theirs not in before:
            continue
        if theirs in owners and own not in before:
            return True
        if own not in _context_words(item.context):
            return True
    return False


def _speaker(a: MatchItem, b: MatchItem) -> tuple[str, bool]:
    """The speaker evidence ("same", "unknown", "different") and whether a report's own
    context overrode a disagreeing speaker field (:func:`_speaker_misread`)."""
    speaker = speakers_compatible(a.speaker, b.speaker)
    if speaker == "different" and _speaker_misread(a, b):
        return "same", True
    return speaker, False


def _alignment(short: QuoteProfile, long: QuoteProfile) -> float:
    total = sum(len(seg) for seg in short.segments)
    if total == 0 or not long.norm:
        return 0.0
    score = 0.0
    for segment in short.segments:
        score += len(segment) * fuzz.partial_ratio(segment, long.norm) / 100.0
    return score / total


def _ordered_pair(a: QuoteProfile, b: QuoteProfile) -> tuple[QuoteProfile, QuoteProfile]:
    key_a = (len(a.content), len(a.norm))
    key_b = (len(b.content), len(b.norm))
    return (a, b) if key_a <= key_b else (b, a)


def _days_apart(a: MatchItem, b: MatchItem) -> int | None:
    if a.published is None or b.published is None:
        return None
    return abs((a.published - b.published).days)


def _text_view(
    pa: QuoteProfile, pb: QuoteProfile, a: MatchItem, b: MatchItem, bound: float | None
) -> float:
    """The wording score of one view of the pair (0..1); 0.0 early when it cannot reach
    ``bound`` (clustering needs no exact score below the line)."""
    if pa.norm and pa.norm == pb.norm:
        return 1.0
    scare = -0.5 if "scare" in (a.kind, b.kind) else 0.0
    short, long = _ordered_pair(pa, pb)
    shared = short.words & long.words
    short_weight = _weight(short.words)
    weighted = _weight(shared) / short_weight if short_weight else 0.0
    ordered = (
        LCSseq.similarity(short.content, long.content) / len(short.content)
        if short.content
        else 0.0
    )
    reported = "indirect" in (a.kind, b.kind) or "mixed" in (a.kind, b.kind)
    # Reported speech is paraphrase by nature: its words owe less to the original.
    bonus = INDIRECT_BONUS if reported else 0.0
    penalty = _short_penalty(short)
    fragment_bound = min(ordered, weighted)
    # Three words found somewhere in a long quote say little: below MIN_PARAPHRASE_WORDS
    # content words only the fragment path (the words in place, as one phrase) counts.
    can_paraphrase = len(short.content) >= MIN_PARAPHRASE_WORDS
    if bound is not None:
        paraphrase_bound = 0.45 * weighted + 0.25 * ordered + 0.3 + bonus
        best_possible = max(fragment_bound, paraphrase_bound if can_paraphrase else 0.0)
        if best_possible - penalty + scare < bound:
            return 0.0
    # A paraphrase keeps most of the heavy words, and roughly their order.
    paraphrase = 0.0
    if can_paraphrase:
        token_sort = fuzz.token_sort_ratio(short.norm, long.norm) / 100.0
        paraphrase = 0.45 * weighted + 0.25 * ordered + 0.3 * token_sort + bonus
    # A cut or an ellipsis keeps the shorter version's words in place inside the longer one
    # (the alignment is the costly part: skipped when it cannot win).
    fragment = 0.0
    if fragment_bound > paraphrase:
        fragment = min(_alignment(short, long), fragment_bound)
    return max(0.0, min(1.0, max(fragment, paraphrase) - penalty + scare))


def _views(prof: QuoteProfile) -> tuple[QuoteProfile, ...]:
    """The text, and its words inside quote marks as a view of their own when they hold
    MIN_QUOTED_WORDS content words. One word in quote marks ("neutral", "pivot") is the reporter
    flagging a term, shared by every report of the topic: it says nothing of which statement,
    so only the whole text is judged."""
    quoted = prof.quoted
    if quoted is not None and len(quoted.content) >= MIN_QUOTED_WORDS:
        return (prof, quoted)
    return (prof,)


def _text_score(
    pa: QuoteProfile, pb: QuoteProfile, a: MatchItem, b: MatchItem, bound: float | None = None
) -> float:
    # A partial quote is also judged by its words inside quote marks alone: the paraphrase
    # around them is the reporter's, the quoted words are the speaker's.
    return max(_text_view(va, vb, a, b, bound) for va in _views(pa) for vb in _views(pb))


def _quoted_view(item: MatchItem, prof: QuoteProfile) -> QuoteProfile | None:
    """The speaker's own words: a direct quote whole, a partial quote's words in quote marks."""
    if prof.quoted is not None:
        return prof.quoted
    if item.kind == "direct":
        return prof
    return None


def _quoted_match(
    pa: QuoteProfile, pb: QuoteProfile, a: MatchItem, b: MatchItem
) -> tuple[bool, int]:
    """Do both quotes carry the same words inside quote marks, verbatim (the shorter's words in
    place in the longer)? Returns (match, content words of the shorter quoted part)."""
    qa, qb = _quoted_view(a, pa), _quoted_view(b, pb)
    if qa is None or qb is None:
        return False, 0
    short, long = _ordered_pair(qa, qb)
    if len(short.content) < 2 or not short.words <= long.words:
        return False, len(short.content)
    ordered = LCSseq.similarity(short.content, long.content) / len(short.content)
    if ordered < VERBATIM or _alignment(short, long) < VERBATIM:
        return False, len(short.content)
    return True, len(short.content)


@lru_cache(maxsize=1)
def _recall_markers() -> re.Pattern[str]:
    data = json.loads(_MATCHING_DATA.read_text(encoding="utf-8"))
    # Matched on lower-cased text (the markers are lower case): faster than IGNORECASE.
    return re.compile(r"\b(?:" + "|".join(data["recall_markers"]) + r")\b")


def _recall_marker(a: MatchItem, b: MatchItem) -> bool:
    later: tuple[MatchItem, ...] = (a, b)
    if a.published is not None and b.published is not None:
        later = (a,) if a.published > b.published else (b,)
    return any(_says_earlier(item.cue, item.context) for item in later)


@lru_cache(maxsize=65536)
def _says_earlier(cue: str | None, context: str | None) -> bool:
    return bool(_recall_markers().search(f"{cue or ''} {context or ''}".lower()))


@dataclass(frozen=True, slots=True)
class _Surroundings:
    """What a report says around a quote (its context, the quote taken out): the text
    (normalised), its content-word stems, and its runs of ECHO_WORDS words (none when the quote
    was not found in it)."""

    text: str
    words: frozenset[str]
    runs: frozenset[tuple[str, ...]]


@lru_cache(maxsize=65536)
def _surroundings(context: str, text: str) -> _Surroundings:
    span = quote_span(context, text)
    if span is None:
        whole = normalize_quote(context)
        return _Surroundings(whole, _normalised_profile(whole).words, frozenset())
    around = normalize_quote(f"{context[: span[0]]} \u2026 {context[span[1] :]}")
    segments = tuple(around.split(_SEGMENT_BREAK))
    return _Surroundings(around, _normalised_profile(around).words, _runs(segments))


@lru_cache(maxsize=65536)
def _runs(segments: tuple[str, ...]) -> frozenset[tuple[str, ...]]:
    """Every run of ECHO_WORDS words (normalised, within a segment) with ECHO_CONTENT content
    words."""
    runs = set()
    for piece in segments:
        words = piece.split()
        if len(words) < ECHO_WORDS:
            continue
        content = [w not in STOPWORDS or w in NEGATIONS for w in words]
        inside = sum(content[:ECHO_WORDS])  # content words in the window, kept as it slides
        for start in range(len(words) - ECHO_WORDS + 1):
            if start:
                inside += content[start + ECHO_WORDS - 1] - content[start - 1]
            if inside >= ECHO_CONTENT:
                runs.add(tuple(words[start : start + ECHO_WORDS]))
    return frozenset(runs)


def _echo(pa: QuoteProfile, pb: QuoteProfile, a: MatchItem, b: MatchItem) -> bool:
    """Does one report carry the other's quoted words right beside its own quote? (ECHO_WORDS
    in a row; two reports of one passage quote its sentences in different places.)"""
    for prof, other in ((pa, b), (pb, a)):
        if other.context and not _runs(prof.segments).isdisjoint(
            _surroundings(other.context, other.text).runs
        ):
            return True
    return False


def _shared_passage(a: MatchItem, b: MatchItem) -> bool:
    """Do the two reports' surroundings (their quotes taken out) share a run of ECHO_WORDS
    words? Then both tell the same moment from one source: the same reply quoted next to it
    ("No, I meant he's the founder of ISIS," Trump responded), the same wire sentence."""
    if not a.context or not b.context:
        return False
    runs_a = _surroundings(a.context, a.text).runs
    return bool(runs_a) and not runs_a.isdisjoint(_surroundings(b.context, b.text).runs)


def _occasion(a: MatchItem, b: MatchItem) -> tuple[str | None, str]:
    return compare_occasions(
        read_occasion(a.context, a.text, a.published, a.cue),
        read_occasion(b.context, b.text, b.published, b.cue),
    )


def _context_evidence(a: MatchItem, b: MatchItem) -> tuple[float | None, float | None]:
    """(overlap of the surroundings' words, likeness of the surroundings as text); None
    without contexts, and no likeness when either says too little around its quote."""
    if not a.context or not b.context:
        return None, None
    around_a = _surroundings(a.context, a.text)
    around_b = _surroundings(b.context, b.text)
    smaller = min(_weight(around_a.words), _weight(around_b.words))
    overlap = round(_weight(around_a.words & around_b.words) / smaller, 4) if smaller else 0.0
    if min(len(around_a.text), len(around_b.text)) < MIN_COPY_SURROUNDINGS:
        return overlap, None
    return overlap, round(fuzz.ratio(around_a.text, around_b.text) / 100.0, 4)


def _features(
    pa: QuoteProfile,
    pb: QuoteProfile,
    a: MatchItem,
    b: MatchItem,
    *,
    text: float | None = None,
    speaker: tuple[str, bool] | None = None,
    detail: bool = True,
) -> PairFeatures:
    """The pair's features; without ``detail`` (clustering) the measurements :func:`decide`
    does not read (alignment, token-sort and token-set ratios) are left at 0."""
    short, long = _ordered_pair(pa, pb)
    shared_weight = _weight(short.words & long.words)
    short_weight = _weight(short.words)
    long_weight = _weight(long.words)
    if short.content:
        ordered = LCSseq.similarity(short.content, long.content) / len(short.content)
    else:
        ordered = 1.0 if short.norm and short.norm == long.norm else 0.0
    overlap, copy = _context_evidence(a, b)
    quoted, quoted_words = _quoted_match(pa, pb, a, b)
    exact = bool(pa.norm) and pa.norm == pb.norm
    occasion, occasion_note = _occasion(a, b)
    marks_a, marks_b = cue_marks(a.cue), cue_marks(b.cue)
    speaker_is, speaker_read = _speaker(a, b) if speaker is None else speaker
    return PairFeatures(
        alignment=_alignment(short, long) if detail else 0.0,
        ordered=ordered,
        weighted=shared_weight / short_weight if short_weight else 0.0,
        coverage=shared_weight / long_weight if long_weight else 0.0,
        token_sort=fuzz.token_sort_ratio(short.norm, long.norm) / 100.0 if detail else 0.0,
        token_set=fuzz.token_set_ratio(short.norm, long.norm) / 100.0 if detail else 0.0,
        short_words=len(short.content),
        short_length=len(short.norm.split()),
        speaker=speaker_is,
        speaker_from_context=speaker_read,
        days_apart=_days_apart(a, b),
        text=_text_score(pa, pb, a, b) if text is None else text,
        context_overlap=overlap,
        context_copy=copy,
        quoted_match=quoted,
        quoted_words=quoted_words,
        recall_marker=_recall_marker(a, b),
        scare="scare" in (a.kind, b.kind) and not exact,
        speakers_given=(a.speaker is not None) + (b.speaker is not None),
        institution=_institution(a.speaker) or _institution(b.speaker),
        occasion=occasion,
        occasion_note=occasion_note,
        echo=_echo(pa, pb, a, b),
        shared_passage=_shared_passage(a, b),
        repeated_cue=marks_a.repeated or marks_b.repeated,
        negated_cue=marks_a.negated or marks_b.negated,
    )


def pair_features(a: MatchItem, b: MatchItem) -> PairFeatures:
    """The measurements :func:`same_utterance` decides on (for inspection and benchmarks).

    Example:
        >>> pair_features(MatchItem("a", "x y"), MatchItem("b", "x y")).speaker
        'unknown'
    """
    return _features(_cached_profile(a.text), _cached_profile(b.text), a, b)


def _short_penalty(short: QuoteProfile) -> float:
    # The fewer words the shorter quote has, the likelier they sit in a different statement.
    if len(short.norm.split()) >= 8:
        return 0.0
    return SHORT_PENALTY.get(len(short.content), 0.0)


def _evidence(f: PairFeatures, params: DecisionParams) -> float:
    score = f.text + params.context_weight * (f.context_overlap or 0.0)
    if f.speaker == "same":
        score += params.same_speaker_bonus
    elif f.institution and f.speakers_given == 2:
        score -= params.institution_penalty
    elif f.speakers_given:
        score -= params.unknown_speaker_penalty
    if f.occasion == "same":
        score += params.occasion_bonus
    if f.repeated_cue:
        score -= params.repeated_penalty
    return max(0.0, min(1.0, score))


def _copied(f: PairFeatures, params: DecisionParams) -> bool:
    if f.context_copy is None or f.context_copy < params.copy_context:
        return False
    if f.text >= VERBATIM_COPY_TEXT and f.context_copy >= VERBATIM_COPY_CONTEXT:
        return True
    return f.text >= COPY_MIN_TEXT and f.speaker != "different"


def _recalled(f: PairFeatures, params: DecisionParams) -> bool:
    # Near-identical both ways: a recalled phrase that is only a piece of the other report's
    # longer statement ("a ban on Muslims" inside "he would make an exception in the event of a
    # ban on Muslims") is that statement's topic, not the statement.
    return (
        f.recall_marker
        and f.speaker == "same"
        and f.text >= params.recalled_text
        and f.coverage >= params.recalled_coverage
    )


def _same_moment(f: PairFeatures, params: DecisionParams) -> bool:
    """The same speaker within ``max_days_apart``, and the surroundings share a passage
    (:func:`_shared_passage`): two reports of one exchange, told from the same source, even
    when one quotes the words and the other sums them up."""
    close = f.days_apart is None or f.days_apart <= params.max_days_apart
    return f.shared_passage and f.speaker == "same" and close


def _against(f: PairFeatures) -> str | None:
    """The reason the pair is two statements whatever the wording says, or None."""
    if f.scare:
        return "a scare quote matches only its twin"
    if f.speaker == "different":
        return "different speakers"
    if f.occasion == "different":
        return f"the reports place the words at different occasions ({f.occasion_note})"
    if f.negated_cue:
        return "a report says the words were not said (its cue is negated)"
    return None


def decide(f: PairFeatures, params: DecisionParams = DEFAULT_PARAMS) -> PairDecision:
    """The decision rule, on measured features: the first rule that applies decides.

    The speaker evidence is "same" when the speaker fields name two people but one report's
    context gives its quote to the other's speaker (``speaker_from_context``, see
    :func:`_speaker_misread`).

    1. the two contexts are near-identical (one report copied into another article) and the
       wording agrees (near-verbatim wording: whatever the speaker fields say): same;
    2. a scare quote; two different named speakers; occasions the reports date to different
       days ("on Sunday" vs "on Monday") or name as different kinds ("in a tweet" vs "in an
       interview"); or a cue saying the words were not said ("has yet to endorse"):
       different;
    3. the words inside quote marks are the same words, verbatim (a statement quoted again,
       however much later), with the same speaker or enough words: same;
    4. one report carries the other's quoted words right beside its own quote (an echo: the
       same passage), or, with the same speaker within ``max_days_apart``, the two reports'
       surroundings share a passage (the same reply quoted next to it): same;
    5. published more than ``max_days_apart`` days apart: different (the line said again on
       another occasion), unless the later report recalls earlier words with the same speaker
       and near-identical wording (both ways: not a piece of a longer statement);
    6. otherwise the evidence score (wording, plus context overlap, plus a bonus for the same
       speaker and for one dated occasion, less a penalty for a cue saying "again") decides
       against ``threshold``.

    The returned score is the evidence score, moved to the right side of the threshold when a
    rule overrode it, so ``score >= threshold`` always means ``same``; ``reason`` says which
    rule decided.

    Example:
        >>> f = pair_features(MatchItem("a", "rebuild the harbour bridge", speaker="Ruiz"),
        ...                   MatchItem("b", "we will rebuild the harbour bridge before winter",
        ...                             speaker="Ana Ruiz"))
        >>> decide(f).same, decide(f).reason
        (True, 'similar wording, same speaker')
    """
    evidence = _evidence(f, params)
    below = round(min(evidence, params.threshold - 0.01), 4)
    above = round(max(evidence, params.threshold), 4)
    if _copied(f, params):
        return PairDecision(True, 1.0, "one report copied: the same surrounding text")
    against = _against(f)
    if against is not None:
        return PairDecision(False, below, against)
    enough_quoted = f.speaker == "same" or f.quoted_words >= params.unknown_quoted_words
    if f.quoted_match and enough_quoted:
        return PairDecision(True, above, "the same words inside quote marks")
    if f.echo:
        return PairDecision(True, above, "each report quotes the same passage beside it")
    if _same_moment(f, params):
        return PairDecision(True, above, "the same speaker, and the reports share a passage")
    if f.days_apart is not None and f.days_apart > params.max_days_apart:
        if _recalled(f, params):
            return PairDecision(True, above, "the later report recalls the same words")
        return PairDecision(False, below, f"{f.days_apart} days apart: another occasion")
    who = "same speaker" if f.speaker == "same" else "speaker unknown"
    if f.occasion == "same":
        who += f", one occasion ({f.occasion_note})"
    if evidence >= params.threshold:
        return PairDecision(True, round(evidence, 4), f"similar wording, {who}")
    return PairDecision(False, round(evidence, 4), f"not enough in common, {who}")


def _decide(
    pa: QuoteProfile,
    pb: QuoteProfile,
    a: MatchItem,
    b: MatchItem,
    *,
    exact_score: bool = True,
    params: DecisionParams = DEFAULT_PARAMS,
) -> PairDecision:
    if exact_score:
        return decide(_features(pa, pb, a, b), params)
    # Rule 2 unless rule 1 (a verbatim copy): a cheap verdict for most candidates.
    speaker = _speaker(a, b)
    if (
        speaker[0] == "different"
        and _text_score(pa, pb, a, b, bound=VERBATIM_COPY_TEXT) < VERBATIM_COPY_TEXT
    ):
        return PairDecision(False, 0.0, "different speakers")
    # Clustering: rule out cheaply the pairs whose wording cannot reach the line whatever the
    # context, speaker and occasion add (rule 1 needs near-identical wording, which is not ruled
    # out; rules 3 and 4 are checked: a quoted-words match and an echo need no wording score).
    # Published too far apart, only a copy or a recall passes on wording (rules 1 and 5).
    reach = (
        params.threshold - params.context_weight - params.same_speaker_bonus - params.occasion_bonus
    )
    floor = min(reach, COPY_MIN_TEXT)
    text = _text_score(pa, pb, a, b, bound=floor)
    days = _days_apart(a, b)
    if days is not None and days > params.max_days_apart:
        floor = max(floor, min(COPY_MIN_TEXT, params.recalled_text))
    # A shared passage counts only for the same speaker within max_days_apart (rule 4).
    close = speaker[0] == "same" and (days is None or days <= params.max_days_apart)
    if text < floor and not _could_match_unworded(pa, pb, a, b, passage=close):
        return PairDecision(False, 0.0, "not enough in common")
    return decide(_features(pa, pb, a, b, text=text, speaker=speaker, detail=False), params)


def _could_match_unworded(
    pa: QuoteProfile, pb: QuoteProfile, a: MatchItem, b: MatchItem, *, passage: bool
) -> bool:
    if _quoted_match(pa, pb, a, b)[0] or _echo(pa, pb, a, b):
        return True
    return passage and _shared_passage(a, b)


def same_utterance(a: MatchItem, b: MatchItem) -> PairDecision:
    """Do ``a`` and ``b`` report the same utterance? The one rule used by clustering and judge
    (:func:`decide` on :func:`pair_features`; speaker, dates and context are used when given).

    Example:
        >>> same_utterance(
        ...     MatchItem("1", "closely cooperate... to jointly resist unilateralism"),
        ...     MatchItem("2", "closely cooperate with China in multilateral affairs, "
        ...                    "jointly resist unilateralism and power politics"),
        ... ).same
        True
        >>> same_utterance(MatchItem("1", "rigged"),
        ...                MatchItem("2", "the whole system is rigged against us")).same
        False
    """
    return _decide(_cached_profile(a.text), _cached_profile(b.text), a, b)


def cluster_quotes(items: Sequence[MatchItem], *, progress: bool | None = None) -> list[Cluster]:
    """Group ``items`` into utterances with :func:`same_utterance` (see
    :func:`quotes.clusters.cluster_quotes`, where blocking and merging live).

    Example:
        >>> items = [MatchItem("x2", "all forms of hegemonism", speaker="Wang Yi", doc="x"),
        ...          MatchItem("y7", "Beijing opposes all forms of hegemonism", speaker="Wang",
        ...                    doc="y"),
        ...          MatchItem("z1", "a fairer world order", doc="z")]
        >>> [c.member_ids for c in cluster_quotes(items)]
        [('x2', 'y7'), ('z1',)]
    """
    from quotes.clusters import cluster_quotes as cluster

    return cluster(items, progress=progress)


# Blocking and merging moved to quotes.clusters; these names still answer from here.
_MOVED_TO_CLUSTERS = frozenset(
    {
        "MAX_KEY_HOLDERS",
        "MAX_POSTING",
        "MAX_POSTING_SHARE",
        "QUERY_KEYS",
        "posting_limit",
        "_blocked_pairs",
        "_completeness",
        "_key_pieces",
        "_merge",
        "_near_identical",
        "_rank_lookups",
        "_same_doc_conflict",
        "_score_candidates",
        "_sorted_keys",
    }
)


def __getattr__(name: str) -> Any:
    if name in _MOVED_TO_CLUSTERS:
        from quotes import clusters

        return getattr(clusters, name)
    raise AttributeError(f"module 'quotes.match' has no attribute {name!r}")


def _parse_date(value: object, source: str) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(source, f"date must be a string like 2025-09-28, got {value!r}")
    try:
        return date.fromisoformat(value[:10])
    except ValueError as error:
        raise InputError(source, f"date {value!r} is not YYYY-MM-DD") from error


def _optional_string(record: dict[str, Any], key: str, source: str) -> str | None:
    value = record.get(key)
    if value is None or isinstance(value, str):
        return value
    raise InputError(source, f"{key!r} must be a string, got {type(value).__name__}")


def _side(record: dict[str, Any], side: str, where: str) -> MatchItem:
    text = record.get(side)
    if not isinstance(text, str):
        raise InputError(where, "'a' and 'b' must both be present and be strings")
    day = record.get(f"{side}_date", record.get(f"{side}_published"))
    return MatchItem(
        id=side,
        text=text,
        speaker=_optional_string(record, f"{side}_speaker", where),
        kind=_optional_string(record, f"{side}_kind", where),
        published=_parse_date(day, where),
        cue=_optional_string(record, f"{side}_cue", where),
        context=_optional_string(record, f"{side}_context", where),
    )


def judge_pairs(lines: Iterable[str], *, source: str = "pairs") -> Iterator[dict[str, object]]:
    """Judge one JSON pair per line with the clustering's own rule; yields
    ``{"same", "score", "reason"}`` per pair.

    Each line is ``{"a", "b"}`` plus any of ``a_speaker``/``b_speaker``, ``a_cue``/``b_cue``,
    ``a_date``/``b_date`` (YYYY-MM-DD; ``a_published`` is accepted too), ``a_context``/
    ``b_context`` (about 200 characters around each quote in its article) and
    ``a_kind``/``b_kind`` ("direct", "mixed", "indirect"). What is given is used; a missing
    speaker given for neither side is no evidence either way. Blank lines are skipped; a line
    that is not such an object raises :class:`InputError` naming ``source`` and the line.

    Example:
        >>> list(judge_pairs(['{"a": "all forms of hegemonism", '
        ...                   '"b": "opposes all forms of hegemonism"}']))
        [{'same': True, 'score': 0.88, 'reason': 'similar wording, speaker unknown'}]
        >>> [r["same"] for r in judge_pairs([
        ...     '{"a": "we will build the wall", "b": "we will build the wall", '
        ...     '"a_date": "2016-01-02", "b_date": "2016-08-30"}'])]
        [False]
    """
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{source} line {number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise InputError(where, f"not valid JSON ({error.msg})") from error
        if not isinstance(record, dict):
            raise InputError(where, "expected a JSON object with 'a' and 'b'")
        decision = same_utterance(_side(record, "a", where), _side(record, "b", where))
        yield {"same": decision.same, "score": decision.score, "reason": decision.reason}
