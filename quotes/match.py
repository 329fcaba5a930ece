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
   words) plus evidence beyond the string: speaker, kind and publication date;
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
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq

from quotes.errors import InputError

__all__ = [
    "Cluster",
    "MatchItem",
    "PairDecision",
    "PairFeatures",
    "QuoteProfile",
    "cluster_quotes",
    "judge_pairs",
    "normalize_quote",
    "pair_features",
    "profile",
    "same_utterance",
    "speakers_compatible",
]

# Measured defaults (bench/matching.py tunes and reports them): a pair is the same utterance when
# its combined score reaches SAME_THRESHOLD.
SAME_THRESHOLD = 0.72
INDIRECT_BONUS = 0.1
SAME_SPEAKER_BONUS = 0.08
DIFFERENT_SPEAKER_PENALTY = 0.25
SHORT_PENALTY = {0: 0.3, 1: 0.3, 2: 0.12, 3: 0.05}
MIN_PARAPHRASE_WORDS = 4
# Reports of one utterance appear within days of each other; the same words said further apart
# are a repetition at another event.
MAX_DAYS_APART = 10


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

_QUOTE_CHARS = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'", "`": "'", "\u00b4": "'"}
)
_ELLIPSIS = re.compile(r"\s*(?:\[\s*(?:\.\s*){2,}\]|\(\s*(?:\.\s*){2,}\)|(?:\.\s*){3,}|\u2026)\s*")
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
_WORD = re.compile(r"[a-z0-9]+")
_QUOTED_PIECE = re.compile(r"[\"\u201c\u201d]([^\"\u201c\u201d]*\w[^\"\u201c\u201d]*)[\"\u201d]")
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


@dataclass(frozen=True, slots=True)
class PairDecision:
    """The verdict of :func:`same_utterance`: ``same`` and the score it was based on (0..1).

    Example:
        >>> PairDecision(same=True, score=0.9).same
        True
    """

    same: bool
    score: float


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
    """The measurements behind a decision, shorter quote against longer (all in 0..1).

    ``alignment``: the shorter quote's segments found in the longer (RapidFuzz partial ratio,
    length-weighted); ``ordered``: share of the shorter's content words found in the same order;
    ``weighted``: share of its content-word weight (long words count more) found at all;
    ``coverage``: share of the longer's weight covered; ``token_sort``/``token_set``: RapidFuzz
    token scores; ``short_words``: content words in the shorter, ``short_length``: all its
    words; ``speaker``: "same", "unknown" or "different"; ``days_apart``: None when a date is
    missing.

    Example:
        >>> f = pair_features(MatchItem("a", "a fairer world order"),
        ...                   MatchItem("b", "promote a fairer world order"))
        >>> f.alignment, f.ordered
        (1.0, 1.0)
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


def normalize_quote(text: str) -> str:
    """Lower-case ``text``, expand contractions and drop punctuation; ellipses become a break.

    Example:
        >>> normalize_quote("\u201cWe can\u2019t\u2026 stop!\u201d")
        'we can not\\x00stop'
    """
    text = unicodedata.normalize("NFKC", text).translate(_QUOTE_CHARS).lower()
    text = _ELLIPSIS.sub(f" {_SEGMENT_BREAK} ", text)
    for pattern, replacement in _CONTRACTIONS:
        text = pattern.sub(replacement, text)
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


def _weight(words: Iterable[str]) -> int:
    # A word weighs its length: longer words are rarer (Zipf's law of abbreviation). This stands
    # in for an IDF table, which would differ from corpus to corpus and break the
    # one-rule-for-all-pairs property.
    return sum(map(len, words))


def _plain_profile(text: str) -> QuoteProfile:
    norm_with_breaks = normalize_quote(text)
    segments = tuple(norm_with_breaks.split(_SEGMENT_BREAK)) if norm_with_breaks else ()
    norm = " ".join(segments)
    content = tuple(
        _stem(word) for word in norm.split() if word not in STOPWORDS or word in NEGATIONS
    )
    if not content:
        # "What am I going to do?": a quote of function words only is compared on all of them.
        content = tuple(_stem(word) for word in norm.split())
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
    words = [w for w in _WORD.findall(normalize_quote(name)) if w not in _TITLES]
    if not words or (len(words) == 1 and words[0] in _PRONOUNS):
        return None
    if any(w in _INSTITUTION_WORDS for w in words):
        return None
    return frozenset(words)


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


def _features(pa: QuoteProfile, pb: QuoteProfile, a: MatchItem, b: MatchItem) -> PairFeatures:
    short, long = _ordered_pair(pa, pb)
    short_set, long_set = short.words, long.words
    shared = short_set & long_set
    shared_weight = _weight(shared)
    short_weight = _weight(short_set)
    long_weight = _weight(long_set)
    if short.content:
        ordered = LCSseq.similarity(short.content, long.content) / len(short.content)
    else:
        ordered = 1.0 if short.norm and short.norm == long.norm else 0.0
    days = None
    if a.published is not None and b.published is not None:
        days = abs((a.published - b.published).days)
    return PairFeatures(
        alignment=_alignment(short, long),
        ordered=ordered,
        weighted=shared_weight / short_weight if short_weight else 0.0,
        coverage=shared_weight / long_weight if long_weight else 0.0,
        token_sort=fuzz.token_sort_ratio(short.norm, long.norm) / 100.0,
        token_set=fuzz.token_set_ratio(short.norm, long.norm) / 100.0,
        short_words=len(short.content),
        short_length=len(short.norm.split()),
        speaker=speakers_compatible(a.speaker, b.speaker),
        days_apart=days,
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


def _decide(
    pa: QuoteProfile, pb: QuoteProfile, a: MatchItem, b: MatchItem, *, exact_score: bool = True
) -> PairDecision:
    decision = _decide_view(pa, pb, a, b, exact_score=exact_score)
    if pa.quoted is None and pb.quoted is None:
        return decision
    # A partial quote is also judged by its words inside quote marks alone: the paraphrase
    # around them is the reporter's, the quoted words are the speaker's.
    views_a = (pa, pa.quoted) if pa.quoted is not None else (pa,)
    views_b = (pb, pb.quoted) if pb.quoted is not None else (pb,)
    for view_a in views_a:
        for view_b in views_b:
            if view_a is pa and view_b is pb:
                continue
            other = _decide_view(view_a, view_b, a, b, exact_score=exact_score)
            if other.score > decision.score or (other.same and not decision.same):
                decision = other
    return decision


def _decide_view(
    pa: QuoteProfile, pb: QuoteProfile, a: MatchItem, b: MatchItem, *, exact_score: bool
) -> PairDecision:
    # Evidence beyond the string.
    exact = bool(pa.norm) and pa.norm == pb.norm
    speaker = speakers_compatible(a.speaker, b.speaker)
    adjust = SAME_SPEAKER_BONUS if speaker == "same" else 0.0
    if speaker == "different":
        adjust -= DIFFERENT_SPEAKER_PENALTY
    if "scare" in (a.kind, b.kind) and not exact:
        # A scare quote is a word borrowed, not a statement reported: only its twin matches it.
        adjust -= 0.5
    if (
        a.published is not None
        and b.published is not None
        and abs((a.published - b.published).days) > MAX_DAYS_APART
    ):
        adjust -= 1.0
    if exact:
        text = 1.0
    else:
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
        if not exact_score:
            paraphrase_bound = 0.45 * weighted + 0.25 * ordered + 0.3 + bonus
            best_possible = max(fragment_bound, paraphrase_bound if can_paraphrase else 0.0)
            if best_possible - penalty + adjust < SAME_THRESHOLD:
                # The decision is already "different"; clustering does not need the score.
                return PairDecision(same=False, score=0.0)
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
        text = max(fragment, paraphrase) - penalty
    score = max(0.0, min(1.0, text + adjust))
    return PairDecision(same=score >= SAME_THRESHOLD, score=round(score, 4))


def same_utterance(a: MatchItem, b: MatchItem) -> PairDecision:
    """Do ``a`` and ``b`` report the same utterance? The one rule used by clustering and judge.

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
        ...          MatchItem("y7", "Beijing opposes all forms of hegemonism", speaker="Wang Yi",
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


def judge_pairs(lines: Iterable[str], *, source: str = "pairs") -> Iterator[dict[str, object]]:
    """Judge one JSON pair per line: ``{"a", "b"}`` plus optional ``a_speaker``, ``b_speaker``,
    ``a_kind``, ``b_kind``, ``a_published``, ``b_published``; yields ``{"same", "score"}``.

    Blank lines are skipped; a line that is not such an object raises :class:`InputError`
    naming ``source`` and the line number.

    Example:
        >>> list(judge_pairs(['{"a": "all forms of hegemonism", '
        ...                   '"b": "opposes all forms of hegemonism"}']))
        [{'same': True, 'score': 0.88}]
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
        texts = [record.get("a"), record.get("b")]
        if not all(isinstance(text, str) for text in texts):
            raise InputError(where, "'a' and 'b' must both be present and be strings")
        a = MatchItem(
            id="a",
            text=str(texts[0]),
            speaker=_optional_string(record, "a_speaker", where),
            kind=_optional_string(record, "a_kind", where),
            published=_parse_date(record.get("a_published"), where),
        )
        b = MatchItem(
            id="b",
            text=str(texts[1]),
            speaker=_optional_string(record, "b_speaker", where),
            kind=_optional_string(record, "b_kind", where),
            published=_parse_date(record.get("b_published"), where),
        )
        decision = same_utterance(a, b)
        yield {"same": decision.same, "score": decision.score}
