"""Wording drift inside one utterance: how each version differs from a reference version.

For a cluster of versions of one statement (from :mod:`quotes.match`), :func:`cluster_drift`
picks a reference (:func:`choose_reference`: the most complete direct quote, else the earliest)
and aligns every other version to it word by word (:func:`align`): words kept, dropped, inserted
and substituted, and cuts marked by an ellipsis. Every operation carries character offsets into
both strings so an app can highlight the words inline; everything is plain text (the app escapes
it), never HTML. :func:`drift_score` sums the changes into one number in [0, 1] and
:func:`similarity_matrix` gives the pairwise similarities for a heatmap.

Example:
    >>> a = align("promote a fairer world order", "promote a fairer and more just world order")
    >>> [(op.op, op.var_text) for op in a.ops]
    [('keep', 'promote a fairer'), ('insert', 'and more just'), ('keep', 'world order')]
    >>> round(drift_score(a), 2)
    0.38
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from rapidfuzz import fuzz, process

from quotes.match import normalize_quote

__all__ = [
    "AlignOp",
    "Alignment",
    "ClusterDrift",
    "DriftVersion",
    "VersionDrift",
    "align",
    "choose_reference",
    "cluster_drift",
    "drift_score",
    "similarity_matrix",
]

OpName = Literal["keep", "drop", "insert", "substitute", "ellipsis"]
_Emit = Callable[[OpName, int, int, int, int], None]

# What each change costs in drift_score, per word: a cut at either end keeps what is quoted
# intact, a cut marked by an ellipsis is declared, an unmarked cut inside the quote or a changed
# word alters what the speaker is shown to have said.
EDGE_CUT_COST = 0.1
ELLIPSIS_CUT_COST = 0.25
INNER_DROP_COST = 0.6

_TOKEN = re.compile(r"\[\s*(?:\.\s*){2,}\]|(?:\.\s*){2}\.|\u2026|\w+(?:['\u2019]\w+)*")
_ELLIPSIS_TOKEN = re.compile(r"^(?:\[.*\]|[.\s]+|\u2026)$")


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
    """One version of an utterance as reported by one article.

    Example:
        >>> DriftVersion(id="q1", text="all forms of hegemonism", kind="direct").outlet is None
        True
    """

    id: str
    text: str
    kind: str | None = None
    speaker: str | None = None
    outlet: str | None = None
    doc: str | None = None
    published: date | None = None


@dataclass(frozen=True, slots=True)
class VersionDrift:
    """A version with its alignment against the reference and its drift (0 for the reference).

    Example:
        >>> cluster_drift([DriftVersion("a", "x y")]).versions[0].is_reference
        True
    """

    version: DriftVersion
    is_reference: bool
    alignment: Alignment
    drift: float

    @property
    def id(self) -> str:
        """The version's id."""
        return self.version.id


@dataclass(frozen=True, slots=True)
class ClusterDrift:
    """Every version of one utterance, reference first, then by date and id.

    Example:
        >>> cluster_drift([DriftVersion("a", "x"), DriftVersion("b", "x y")]).reference_id
        'b'
    """

    reference_id: str
    versions: tuple[VersionDrift, ...]


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


def drift_score(alignment: Alignment) -> float:
    """How far the variant drifted from the reference: 0 identical wording, 1 nothing shared.

    Changed and inserted words cost 1 each, an unmarked cut inside the quote 0.6 per word, a cut
    marked with an ellipsis 0.25 and a cut at either end 0.1, over the words involved.

    Example:
        >>> drift_score(align("we agree on everything", "we agree on everything"))
        0.0
        >>> drift_score(align("we agree", "they refuse"))
        1.0
    """
    ops = alignment.ops
    kept = [i for i, op in enumerate(ops) if op.op == "keep"]
    first_kept, last_kept = (kept[0], kept[-1]) if kept else (len(ops), -1)
    cost = 0.0
    reference_words = _word_count(alignment.reference)
    new_words = 0
    for index, op in enumerate(ops):
        ref_n, var_n = _word_count(op.ref_text), _word_count(op.var_text)
        if op.op == "drop":
            at_edge = index < first_kept or index > last_kept
            cost += ref_n * (EDGE_CUT_COST if at_edge else INNER_DROP_COST)
        elif op.op == "ellipsis":
            cost += ref_n * ELLIPSIS_CUT_COST
        elif op.op in ("insert", "substitute"):
            cost += ref_n + var_n
            new_words += var_n
    total = reference_words + new_words
    if total == 0:
        return 0.0
    return round(min(1.0, cost / total), 4)


def choose_reference(versions: Sequence[DriftVersion]) -> int:
    """Index of the reference version: the most complete direct quote, else the earliest.

    Ties go to the earlier publication date, then the smaller id, so the choice is stable.

    Example:
        >>> choose_reference([DriftVersion("a", "fairer world order", kind="direct"),
        ...                   DriftVersion("b", "a fairer and more just world order",
        ...                                kind="direct"),
        ...                   DriftVersion("c", "to advocate a more equitable world order and "
        ...                                "resist unilateralism", kind="indirect")])
        1
    """
    if not versions:
        raise ValueError("choose_reference needs at least one version")

    def when(version: DriftVersion) -> int:
        return version.published.toordinal() if version.published else 10**7

    direct = [i for i, v in enumerate(versions) if v.kind in (None, "direct")]
    if direct:
        return min(
            direct,
            key=lambda i: (-_word_count(versions[i].text), when(versions[i]), versions[i].id),
        )
    return min(
        range(len(versions)),
        key=lambda i: (when(versions[i]), -_word_count(versions[i].text), versions[i].id),
    )


def cluster_drift(versions: Sequence[DriftVersion]) -> ClusterDrift:
    """Align every version of one utterance to its reference.

    Example:
        >>> drift = cluster_drift([
        ...     DriftVersion("x", "unwavering position", kind="direct"),
        ...     DriftVersion("y", "further bolstering ties with China is North Korea's "
        ...                       "unwavering position", kind="direct")])
        >>> drift.reference_id, [v.drift for v in drift.versions]
        ('y', [0.0, 0.08])
    """
    reference_index = choose_reference(versions)
    reference = versions[reference_index]

    def when(version: DriftVersion) -> int:
        return version.published.toordinal() if version.published else 10**7

    others = sorted(
        (v for i, v in enumerate(versions) if i != reference_index),
        key=lambda v: (when(v), v.id),
    )
    results = [
        VersionDrift(
            version=reference,
            is_reference=True,
            alignment=align(reference.text, reference.text),
            drift=0.0,
        )
    ]
    for version in others:
        alignment = align(reference.text, version.text)
        results.append(
            VersionDrift(
                version=version,
                is_reference=False,
                alignment=alignment,
                drift=drift_score(alignment),
            )
        )
    return ClusterDrift(reference_id=reference.id, versions=tuple(results))


def similarity_matrix(texts: Sequence[str]) -> list[list[float]]:
    """Pairwise wording similarity in [0, 1] (RapidFuzz ratio of the normalised texts).

    Example:
        >>> similarity_matrix(["all forms of hegemonism", "All forms of hegemonism!"])
        [[1.0, 1.0], [1.0, 1.0]]
    """
    normalised = [normalize_quote(text).replace("\x00", " ") for text in texts]
    if not normalised:
        return []
    matrix = process.cdist(normalised, normalised, scorer=fuzz.ratio, workers=1)
    return [[round(float(value) / 100.0, 4) for value in row] for row in matrix]
