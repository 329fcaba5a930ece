"""Wording drift inside one statement: how each version differs from a reference version.

For the versions of one statement (a cluster from :mod:`quotes.match`), :func:`cluster_drift`
picks a reference by a stated rule (:func:`choose_reference`, with its reason in words: pinned,
else the earliest published, else the version credited to the originating outlet or the
speaker's own channel, else the first ingested) and aligns every other version to it word by
word (:func:`align`): words kept, dropped, inserted and substituted, and cuts marked by an
ellipsis. Every operation carries character offsets into both strings so an app can highlight
the words inline; everything is plain text (the app escapes it), never HTML.

One drift figure explains itself (:func:`drift_counts`): inside the stretch both versions quote
(from the first word they share to the last), ``dropped`` reference words are missing,
``added`` words are new and ``substituted`` words replaced; ``drift`` is their share of all the
words involved (0 = the same words, 1 = nothing shared). Words an article's span picked up
around the statement (before the first shared word, after the last) are counted apart
(``trimmed``, ``extra``) and are not drift. ``quoted_words_changed`` raises the alarm when words
a version puts inside quotation marks differ from the reference's quoted words.
:func:`drift_matrix` gives the same figure for every pair of versions (the heatmap), and
:func:`outlet_chain` draws an arrow between outlets only on evidence: an explicit citation or
dates that order the versions.

Example:
    >>> a = align("promote a fairer world order", "promote a fairer and more just world order")
    >>> [(op.op, op.var_text) for op in a.ops]
    [('keep', 'promote a fairer'), ('insert', 'and more just'), ('keep', 'world order')]
    >>> drift_counts(a).added, drift_score(a)
    (3, 0.375)
"""

from __future__ import annotations

import difflib
import itertools
import json
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

from quotes.match import normalize_quote

__all__ = [
    "AlignOp",
    "Alignment",
    "ChainHop",
    "ClusterDrift",
    "DriftCounts",
    "DriftVersion",
    "ReferenceChoice",
    "VersionDrift",
    "align",
    "choose_reference",
    "cluster_drift",
    "drift_counts",
    "drift_matrix",
    "drift_score",
    "outlet_chain",
    "reference_choice",
    "similarity_matrix",
]

OpName = Literal["keep", "drop", "insert", "substitute", "ellipsis"]
_Emit = Callable[[OpName, int, int, int, int], None]

_TOKEN = re.compile(r"\[\s*(?:\.\s*){2,}\]|(?:\.\s*){2}\.|\u2026|\w+(?:['\u2019]\w+)*")
_ELLIPSIS_TOKEN = re.compile(r"^(?:\[.*\]|[.\s]+|\u2026)$")
_QUOTED = re.compile(
    r"[\"\u201c\u201e\u00ab]([^\"\u201c\u201d\u201e\u00ab\u00bb]+)[\"\u201d\u00bb]"
)
_DRIFT_DATA = Path(__file__).resolve().parent / "data" / "drift.json"
_OUTLETS_DATA = Path(__file__).resolve().parent / "data" / "outlets.json"


@dataclass(frozen=True, slots=True)
class AlignOp:
    """One step of an alignment.

    ``op`` is "keep", "drop" (reference words missing from the variant), "insert" (variant words
    not in the reference), "substitute" (reference words replaced) or "ellipsis" (a cut marked
    by "..." in the variant; ``ref_text`` holds the words cut, possibly none). Offsets are
    character offsets: ``reference[ref_start:ref_end] == ref_text`` and
    ``variant[var_start:var_end] == var_text``; an empty side has ``start == end`` at the place
    where it would be.

    Example:
        >>> op = align("a b", "a").ops[1]
        >>> op.op, op.ref_text, (op.ref_start, op.ref_end), (op.var_start, op.var_end)
        ('drop', 'b', (2, 3), (1, 1))
    """

    op: OpName
    ref_text: str
    var_text: str
    ref_start: int
    ref_end: int
    var_start: int
    var_end: int


@dataclass(frozen=True, slots=True)
class Alignment:
    """The word-level alignment of ``variant`` against ``reference``.

    Example:
        >>> align("we agree", "we agree").ops[0].op
        'keep'
    """

    reference: str
    variant: str
    ops: tuple[AlignOp, ...]


@dataclass(frozen=True, slots=True)
class DriftVersion:
    """One version of a statement as reported by one article.

    ``outlet`` names who carried it (the article's outlet or publisher, for labels);
    ``citation`` is an outlet the version explicitly credits ("according to KCNA", "per
    Xinhua"), from the quote's own outlet field; ``ingested`` is the order the store received
    it (smaller = earlier); ``pinned`` marks a reference an editor chose.

    Example:
        >>> v = DriftVersion(id="q1", text="all forms of hegemonism", kind="direct")
        >>> v.outlet is None, v.pinned
        (True, False)
    """

    id: str
    text: str
    kind: str | None = None
    speaker: str | None = None
    outlet: str | None = None
    doc: str | None = None
    published: date | None = None
    ingested: int | None = None
    pinned: bool = False
    citation: str | None = None


@dataclass(frozen=True, slots=True)
class DriftCounts:
    """Word counts of a version against the reference (see :func:`drift_counts`).

    Example:
        >>> DriftCounts(kept=3).drift
        0.0
    """

    kept: int = 0
    dropped: int = 0
    added: int = 0
    substituted: int = 0
    trimmed: int = 0
    extra: int = 0
    quoted_words_changed: bool = False

    @property
    def drift(self) -> float:
        """Changed words over all words of the shared stretch: 0 same words, 1 nothing shared."""
        changed = self.dropped + self.added + self.substituted
        total = self.kept + changed
        if self.kept == 0:
            return 0.0 if total == 0 and self.trimmed + self.extra == 0 else 1.0
        return round(changed / total, 4)


@dataclass(frozen=True, slots=True)
class VersionDrift:
    """A version with its alignment to the reference and its drift (0 for the reference).

    ``dropped``, ``added``, ``substituted``: words changed inside the stretch both versions
    quote; ``trimmed``/``extra``: reference words outside the version's stretch and the
    version's own words around it (span extent, not drift); ``drift``: the figure of
    :attr:`DriftCounts.drift`; ``quoted_words_changed``: words inside quotation marks differ.

    Example:
        >>> cluster_drift([DriftVersion("a", "x y")]).versions[0].is_reference
        True
    """

    version: DriftVersion
    is_reference: bool
    alignment: Alignment
    drift: float
    dropped: int = 0
    added: int = 0
    substituted: int = 0
    kept: int = 0
    trimmed: int = 0
    extra: int = 0
    quoted_words_changed: bool = False

    @property
    def id(self) -> str:
        """The version's id."""
        return self.version.id


@dataclass(frozen=True, slots=True)
class ReferenceChoice:
    """The reference version of a statement and the rule that chose it, in words.

    Example:
        >>> reference_choice([DriftVersion("a", "x")]).reason
        'the only version'
    """

    index: int
    reason: str


@dataclass(frozen=True, slots=True)
class ClusterDrift:
    """Every version of one statement, reference first, then by date, ingestion and id.

    Example:
        >>> d = cluster_drift([DriftVersion("a", "x", ingested=2), DriftVersion("b", "x y",
        ...                                                                    ingested=1)])
        >>> d.reference_id, d.reference_reason
        ('b', 'the first version received (no version has a date or an originating outlet)')
    """

    reference_id: str
    versions: tuple[VersionDrift, ...]
    reference_reason: str = ""
    chain: tuple[ChainHop, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class ChainHop:
    """One arrow of an outlet chain with its evidence: ``kind`` "citation" (the ``target``
    version credits ``source`` explicitly) or "dates" (``source`` published before ``target``:
    an order, not proof that one took it from the other).

    Example:
        >>> ChainHop("KCNA", "AP", "citation", "the AP version credits KCNA", "q2").kind
        'citation'
    """

    source: str
    target: str
    kind: Literal["citation", "dates"]
    evidence: str
    version_id: str


@dataclass(frozen=True, slots=True)
class _Word:
    key: str
    start: int
    end: int
    is_ellipsis: bool


def _words(text: str) -> list[_Word]:
    words = []
    for match in _TOKEN.finditer(text):
        token = match.group()
        is_ellipsis = bool(_ELLIPSIS_TOKEN.match(token))
        key = "..." if is_ellipsis else normalize_quote(token).replace(" ", "")
        if not is_ellipsis:
            key = unicodedata.normalize("NFKC", key)
        words.append(_Word(key=key, start=match.start(), end=match.end(), is_ellipsis=is_ellipsis))
    return words


def _span(words: list[_Word], lo: int, hi: int, text_length: int) -> tuple[int, int]:
    if lo < hi:
        return words[lo].start, words[hi - 1].end
    # An empty side sits where it would be: right after the previous word.
    position = words[lo - 1].end if lo > 0 else (words[0].start if words else 0)
    return min(position, text_length), min(position, text_length)


def align(reference: str, variant: str) -> Alignment:
    """Align ``variant`` to ``reference`` word by word (case, curly quotes, punctuation ignored).

    Example:
        >>> [o.op for o in align("resist unilateralism and promote order",
        ...                      "resist ... and advocate order").ops]
        ['keep', 'ellipsis', 'keep', 'substitute', 'keep']
    """
    ref_words, var_words = _words(reference), _words(variant)
    matcher = difflib.SequenceMatcher(
        a=[w.key for w in ref_words], b=[w.key for w in var_words], autojunk=False
    )
    ops: list[AlignOp] = []

    def emit(op: OpName, r_lo: int, r_hi: int, v_lo: int, v_hi: int) -> None:
        ref_start, ref_end = _span(ref_words, r_lo, r_hi, len(reference))
        var_start, var_end = _span(var_words, v_lo, v_hi, len(variant))
        ops.append(
            AlignOp(
                op=op,
                ref_text=reference[ref_start:ref_end],
                var_text=variant[var_start:var_end],
                ref_start=ref_start,
                ref_end=ref_end,
                var_start=var_start,
                var_end=var_end,
            )
        )

    for tag, r_lo, r_hi, v_lo, v_hi in matcher.get_opcodes():
        if tag == "equal":
            emit("keep", r_lo, r_hi, v_lo, v_hi)
        elif tag == "delete":
            emit("drop", r_lo, r_hi, v_lo, v_lo)
        else:
            _emit_changed(emit, var_words, r_lo, r_hi, v_lo, v_hi)
    return Alignment(reference=reference, variant=variant, ops=tuple(ops))


def _emit_changed(
    emit: _Emit, var_words: list[_Word], r_lo: int, r_hi: int, v_lo: int, v_hi: int
) -> None:
    # A changed stretch of the variant may hold ellipses: each one marks the cut of the reference
    # words facing it; the other variant words are inserted or substitute for reference words.
    ellipses = [i for i in range(v_lo, v_hi) if var_words[i].is_ellipsis]
    if not ellipses:
        emit("substitute" if r_hi > r_lo else "insert", r_lo, r_hi, v_lo, v_hi)
        return
    # The first ellipsis carries the cut reference words; other variant words are inserted.
    cursor = v_lo
    reference_taken = False
    for index in ellipses:
        if index > cursor:
            emit(
                "insert",
                r_lo if not reference_taken else r_hi,
                r_lo if not reference_taken else r_hi,
                cursor,
                index,
            )
        if reference_taken:
            emit("ellipsis", r_hi, r_hi, index, index + 1)
        else:
            emit("ellipsis", r_lo, r_hi, index, index + 1)
            reference_taken = True
        cursor = index + 1
    if cursor < v_hi:
        emit("insert", r_hi, r_hi, cursor, v_hi)


def _word_count(text: str) -> int:
    return sum(1 for m in _TOKEN.finditer(text) if not _ELLIPSIS_TOKEN.match(m.group()))


def _quoted_ranges(text: str, kind: str | None) -> list[tuple[int, int]]:
    """Character ranges of the words a version presents inside quotation marks: a direct
    quote whole, a partial quote's pieces in quote marks, nothing for reported speech."""
    pieces = [(m.start(1), m.end(1)) for m in _QUOTED.finditer(text)]
    if pieces:
        return pieces
    if kind in (None, "direct"):
        return [(0, len(text))]
    return []


def _inside(ranges: list[tuple[int, int]], start: int, end: int) -> bool:
    if start == end:  # an empty side: a position between two words
        return any(low < start < high for low, high in ranges)
    return any(low <= start and end <= high for low, high in ranges)


def drift_counts(
    alignment: Alignment, *, reference_kind: str | None = None, variant_kind: str | None = None
) -> DriftCounts:
    """Count the words of ``alignment`` (see :class:`DriftCounts`).

    Only the stretch both versions quote counts as drift: from the first kept word to the last.
    Before and after it, reference words the version lacks are ``trimmed`` and the version's
    own words are ``extra`` (an article's span picking up more or less around the statement),
    except words the version puts inside quotation marks in place of reference words: those
    are substituted.
    Inside it, a cut marked by an ellipsis still counts as dropped words. A substitution of r
    reference words by v words counts min(r, v) substituted, the rest dropped or added.
    ``quoted_words_changed``: a word is inserted, replaced or silently dropped where both
    versions are inside quotation marks (the kinds say whether a text without quote marks is a
    direct quote: None or "direct" is, "indirect" is not).

    Example:
        >>> c = drift_counts(align("we will open the border crossing by spring",
        ...                        "he said we will open the border by summer, aides said"))
        >>> c.kept, c.dropped, c.substituted, c.extra, c.drift, c.quoted_words_changed
        (6, 1, 1, 4, 0.25, True)
        >>> drift_counts(align("open the border", "open the border"), variant_kind="mixed").drift
        0.0
    """
    ops = alignment.ops
    kept_at = [i for i, op in enumerate(ops) if op.op == "keep"]
    first, last = (kept_at[0], kept_at[-1]) if kept_at else (len(ops), -1)
    ref_quoted = _quoted_ranges(alignment.reference, reference_kind)
    var_quoted = _quoted_ranges(alignment.variant, variant_kind)
    counts = {"kept": 0, "dropped": 0, "added": 0, "substituted": 0, "trimmed": 0, "extra": 0}
    changed_quote = False
    for index, op in enumerate(ops):
        ref_n, var_n = _word_count(op.ref_text), _word_count(op.var_text)
        if op.op == "keep":
            counts["kept"] += ref_n
            continue
        if index < first or index > last:
            # Around the shared stretch, words the version itself puts in quotation marks in
            # place of reference words are changed words; anything else is span extent.
            if op.op == "substitute" and _inside(var_quoted, op.var_start, op.var_end):
                same = min(ref_n, var_n)
                counts["substituted"] += same
                ref_n, var_n = ref_n - same, var_n - same
                changed_quote = changed_quote or _inside(ref_quoted, op.ref_start, op.ref_end)
            counts["trimmed"] += ref_n
            counts["extra"] += var_n
            continue
        both_quoted = _inside(ref_quoted, op.ref_start, op.ref_end) and _inside(
            var_quoted, op.var_start, op.var_end
        )
        if op.op in ("drop", "ellipsis"):
            counts["dropped"] += ref_n
            changed_quote = changed_quote or (op.op == "drop" and ref_n > 0 and both_quoted)
        elif op.op == "insert":
            counts["added"] += var_n
            changed_quote = changed_quote or (var_n > 0 and both_quoted)
        else:
            same = min(ref_n, var_n)
            counts["substituted"] += same
            counts["dropped"] += ref_n - same
            counts["added"] += var_n - same
            changed_quote = changed_quote or both_quoted
    return DriftCounts(**counts, quoted_words_changed=changed_quote)


def drift_score(alignment: Alignment) -> float:
    """The drift figure of ``alignment``: 0 the same words, 1 nothing shared (see
    :func:`drift_counts`; words around the shared stretch do not count).

    Example:
        >>> drift_score(align("we agree on everything", "we agree on everything"))
        0.0
        >>> drift_score(align("we agree", "they refuse"))
        1.0
        >>> drift_score(align("all forms of hegemonism",
        ...                   "Beijing opposes all forms of hegemonism and is ready"))
        0.0
    """
    return drift_counts(alignment).drift


@lru_cache(maxsize=1)
def _official() -> tuple[frozenset[str], tuple[str, ...]]:
    drift_data = json.loads(_DRIFT_DATA.read_text(encoding="utf-8"))
    outlets = json.loads(_OUTLETS_DATA.read_text(encoding="utf-8"))
    kinds = set(drift_data["official_outlet_types"])
    names = frozenset(name for name, entry in outlets.items() if entry.get("type") in kinds)
    return names, tuple(drift_data["official_channel_words"])


def _origin(version: DriftVersion) -> str | None:
    """Why ``version`` comes from the statement's origin, or None: it credits (or is carried
    by) a state outlet that publishes a government's statements first, or its speaker is an
    official channel (a ministry, a spokesperson)."""
    official_outlets, channel_words = _official()
    for outlet in (version.citation, version.outlet):
        if outlet and outlet in official_outlets:
            return f"credited to {outlet}, the originating outlet"
    speaker = (version.speaker or "").lower()
    if any(word in speaker for word in channel_words):
        return f"from the speaker's own channel ({version.speaker})"
    return None


def reference_choice(versions: Sequence[DriftVersion]) -> ReferenceChoice:
    """The reference version and why, by one rule that an added article cannot overturn
    unless it is earlier:

    1. a version pinned by an editor;
    2. else the earliest published version (versions without a date come after);
    3. else (no dates) the version from the origin: credited to an outlet that publishes the
       statement first (KCNA, Xinhua...) or from the speaker's own channel (a ministry);
    4. else the first version received (``ingested``); ties go to the smaller id.

    Example:
        >>> vs = [DriftVersion("late", "x y z", published=date(2025, 9, 29)),
        ...       DriftVersion("early", "x", published=date(2025, 9, 28))]
        >>> reference_choice(vs)
        ReferenceChoice(index=1, reason='the earliest published version (2025-09-28)')
        >>> reference_choice([DriftVersion("ap", "x y", outlet="AP", ingested=1),
        ...                   DriftVersion("k", "x", citation="KCNA", ingested=2)]).reason
        'credited to KCNA, the originating outlet (no version has a date)'
    """
    if not versions:
        raise ValueError("choose_reference needs at least one version")
    if len(versions) == 1:
        return ReferenceChoice(0, "the only version")

    def order(i: int) -> tuple[int, int, int, int, str]:
        v = versions[i]
        return (
            0 if v.pinned else 1,
            v.published.toordinal() if v.published else 10**7,
            0 if _origin(v) else 1,
            v.ingested if v.ingested is not None else 10**12,
            v.id,
        )

    index = min(range(len(versions)), key=order)
    chosen = versions[index]
    if chosen.pinned:
        reason = "pinned by an editor"
    elif chosen.published is not None:
        reason = f"the earliest published version ({chosen.published.isoformat()})"
    elif _origin(chosen):
        reason = f"{_origin(chosen)} (no version has a date)"
    elif chosen.ingested is not None:
        reason = "the first version received (no version has a date or an originating outlet)"
    else:
        reason = "the smallest id (no version has a date, an originating outlet or an order)"
    return ReferenceChoice(index, reason)


def choose_reference(versions: Sequence[DriftVersion]) -> int:
    """Index of the reference version (see :func:`reference_choice` for the rule and reason).

    Example:
        >>> choose_reference([DriftVersion("a", "x", ingested=2),
        ...                   DriftVersion("b", "x y", ingested=1)])
        1
    """
    return reference_choice(versions).index


def _version_drift(reference: DriftVersion, version: DriftVersion) -> VersionDrift:
    alignment = align(reference.text, version.text)
    counts = drift_counts(alignment, reference_kind=reference.kind, variant_kind=version.kind)
    return VersionDrift(
        version=version,
        is_reference=False,
        alignment=alignment,
        drift=counts.drift,
        dropped=counts.dropped,
        added=counts.added,
        substituted=counts.substituted,
        kept=counts.kept,
        trimmed=counts.trimmed,
        extra=counts.extra,
        quoted_words_changed=counts.quoted_words_changed,
    )


def cluster_drift(versions: Sequence[DriftVersion]) -> ClusterDrift:
    """Align every version of one statement to its reference (:func:`reference_choice`).

    Example:
        >>> drift = cluster_drift([
        ...     DriftVersion("x", "unwavering position", kind="direct"),
        ...     DriftVersion("y", "further bolstering ties with China is North Korea's "
        ...                       "unwavering position", kind="direct", ingested=0)])
        >>> drift.reference_id, [(v.drift, v.trimmed) for v in drift.versions]
        ('y', [(0.0, 0), (0.0, 8)])
    """
    choice = reference_choice(versions)
    reference = versions[choice.index]

    def when(version: DriftVersion) -> tuple[int, int, str]:
        day = version.published.toordinal() if version.published else 10**7
        return (day, version.ingested if version.ingested is not None else 10**12, version.id)

    others = sorted((v for i, v in enumerate(versions) if i != choice.index), key=when)
    words = _word_count(reference.text)
    results = [
        VersionDrift(
            version=reference,
            is_reference=True,
            alignment=align(reference.text, reference.text),
            drift=0.0,
            kept=words,
        )
    ]
    results.extend(_version_drift(reference, version) for version in others)
    return ClusterDrift(
        reference_id=reference.id,
        versions=tuple(results),
        reference_reason=choice.reason,
        chain=tuple(outlet_chain(versions)),
    )


def _node(version: DriftVersion) -> str:
    return version.outlet or version.doc or version.id


def outlet_chain(versions: Sequence[DriftVersion]) -> list[ChainHop]:
    """Arrows between the outlets that carried a statement, each with its evidence; [] when
    there is none (then the versions are only listed, never chained).

    A version that credits an outlet ("per Xinhua") gives the arrow citation -> the version's
    outlet. Versions with dates give arrows from each date's outlets to the next date's (an
    order in time, stated as such). Versions with neither get no arrow: alphabetical or ingest
    order is no evidence.

    Example:
        >>> outlet_chain([DriftVersion("a", "x", outlet="AP"), DriftVersion("b", "x",
        ...                                                               outlet="Xinhua")])
        []
        >>> [(h.source, h.target, h.kind) for h in outlet_chain([
        ...     DriftVersion("a", "x", outlet="AP", citation="KCNA"),
        ...     DriftVersion("b", "x", outlet="Yonhap", published=date(2025, 9, 29)),
        ...     DriftVersion("c", "x", outlet="KCNA", published=date(2025, 9, 28))])]
        [('KCNA', 'AP', 'citation'), ('KCNA', 'Yonhap', 'dates')]
    """
    hops: list[ChainHop] = []
    seen: set[tuple[str, str]] = set()
    for version in sorted(versions, key=lambda v: v.id):
        target = _node(version)
        if (
            version.citation
            and version.citation != target
            and (version.citation, target) not in seen
        ):
            seen.add((version.citation, target))
            hops.append(
                ChainHop(
                    version.citation,
                    target,
                    "citation",
                    f"the {target} version credits {version.citation}",
                    version.id,
                )
            )
    dated = sorted(
        (v for v in versions if v.published is not None),
        key=lambda v: (v.published or date.min, v.id),
    )
    days = sorted({v.published for v in dated if v.published is not None})
    for earlier_day, later_day in itertools.pairwise(days):
        for earlier in (v for v in dated if v.published == earlier_day):
            for later in (v for v in dated if v.published == later_day):
                source, target = _node(earlier), _node(later)
                if source == target or (source, target) in seen:
                    continue
                seen.add((source, target))
                hops.append(
                    ChainHop(
                        source,
                        target,
                        "dates",
                        f"{source} published {earlier_day.isoformat()}, "
                        f"{target} {later_day.isoformat()}",
                        later.id,
                    )
                )
    return hops


def drift_matrix(
    texts: Sequence[str], kinds: Sequence[str | None] | None = None
) -> list[list[float]]:
    """The drift figure between every two versions (the one measure of :func:`drift_score`,
    symmetric, 0 on the diagonal), for a heatmap. With the versions' ``kinds``, each pair is
    counted as :func:`cluster_drift` counts it (the earlier text as the reference, its kinds
    saying which words are quoted), so with the reference first, row 0 is the drift column.

    Example:
        >>> drift_matrix(["all forms of hegemonism", "All forms of hegemonism!"])
        [[0.0, 0.0], [0.0, 0.0]]
        >>> texts = ["Beijing opposes all hegemonism", "opposition to all hegemonism"]
        >>> drift_matrix(texts)[0][1], drift_matrix(texts, ["direct", "indirect"])[0][1]
        (0.5, 0.0)
    """
    size = len(texts)
    matrix = [[0.0] * size for _ in range(size)]
    for i in range(size):
        for j in range(i + 1, size):
            alignment = align(texts[i], texts[j])
            if kinds is None:
                value = drift_score(alignment)
            else:
                counts = drift_counts(alignment, reference_kind=kinds[i], variant_kind=kinds[j])
                value = counts.drift
            matrix[i][j] = matrix[j][i] = value
    return matrix


def similarity_matrix(texts: Sequence[str]) -> list[list[float]]:
    """1 - :func:`drift_matrix`: the same measure as the drift column, read as similarity.

    Example:
        >>> similarity_matrix(["all forms of hegemonism", "All forms of hegemonism!"])
        [[1.0, 1.0], [1.0, 1.0]]
        >>> similarity_matrix([])
        []
    """
    return [[round(1.0 - value, 4) for value in row] for row in drift_matrix(texts)]
