"""What each page of the app shows, as plain data built from the Tracker's tables.

The app (``app.py``) draws; this module decides what there is to draw: which statements to list
and in what order, everything a statement page says about each version (outlet, article, date,
link, speaker as written and as resolved, the sentence around the quote, the words changed),
quotes grouped by statement, an article's text with its quotes. Everything here is plain text
and numbers, never markup: :mod:`quotes.render` escapes and draws it.

Every drift figure shown comes from :mod:`quotes.drift` (through the Tracker): a version's
``drift``, its ``dropped``/``added``/``substituted`` words and the ``quoted_words_changed``
alarm, the reference rule's reason, the evidence-only outlet chain and the heatmap's
:func:`quotes.drift.drift_matrix`. Lists rank statements by the largest drift of their versions,
the figure their page shows (:func:`statement_figures`).

Example:
    >>> label = article_label(None, "North Korea and China Strengthen Ties\\n\\nIn a...", "001_b3")
    >>> label.text, label.derived
    ('North Korea and China Strengthen Ties', True)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import polars as pl

from quotes.drift import Alignment, ClusterDrift, VersionDrift, drift_counts, drift_matrix
from quotes.segment import sentence_bounds

if TYPE_CHECKING:
    from quotes.api import Tracker

REFERENCE_RULE = (
    "The reference is the version an editor pinned; else the earliest published; else (no "
    "dates) the one credited to the outlet that publishes the statement first or from the "
    "speaker's own channel; else the first received."
)
"""The rule that picks the reference version (:func:`quotes.drift.reference_choice`), in words;
each statement also carries the reason that applied to it (``reference_reason``)."""

DRIFT_MEANING = (
    "Drift is the share of words changed (dropped, added or substituted) in the stretch a "
    "version shares with the reference: 0 the same words, 1 nothing in common. Words an "
    "article's quote takes in or leaves out around that stretch are not drift."
)
"""What the drift figure means (:attr:`quotes.drift.DriftCounts.drift`), for captions."""

CONTEXT_CHARS = 700
"""Most characters of article text shown around a quote (whole sentences, cut beyond this)."""

LABEL_CHARS = 90
"""Longest article label taken from an article's first line when it has no title."""

CONFIDENCE = "confidence"
"""The quotes column with the extraction's confidence (0-1), when the store provides it."""


@dataclass(frozen=True, slots=True)
class ArticleLabel:
    """How an article is named on screen: its title, else its first line (``derived``).

    Example:
        >>> ArticleLabel("Talks in Beijing", derived=False).text
        'Talks in Beijing'
    """

    text: str
    derived: bool


@dataclass(frozen=True, slots=True)
class Context:
    """The sentences around a quote: ``before`` + ``quote`` + ``after`` read as printed.

    ``start``/``end`` are the offsets of the whole snippet in the article text; ``cut_before``
    and ``cut_after`` say whether text was left out at either end.

    Example:
        >>> quote_context("He left. She said it was fine. Then rain.", 13, 29).quote
        'said it was fine'
    """

    before: str
    quote: str
    after: str
    start: int
    end: int
    cut_before: bool = False
    cut_after: bool = False


@dataclass(frozen=True, slots=True)
class Change:
    """One change of a version against the reference: ``op`` is "dropped", "added",
    "substituted" or "cut" (left out where the version prints an ellipsis).

    ``counted`` is False for words outside the stretch both versions quote (reference words the
    version's quote does not reach, the version's own words around it): the extent of an
    article's quote, which the drift figure leaves out.

    Example:
        >>> Change("substituted", "fair", "fairer").after
        'fairer'
    """

    op: str
    before: str
    after: str
    counted: bool = True


@dataclass(frozen=True, slots=True)
class VersionView:
    """One version of a statement, with everything its row on the statement page shows.

    ``speaker`` is the speaker as resolved across articles, ``speaker_mention`` the words the
    article used; ``speaker_resolved`` and ``confidence`` are ``None`` when the store does not
    record them. ``drift``, ``dropped``, ``added``, ``substituted``, ``trimmed``, ``extra`` and
    ``quoted_words_changed`` are the version's figures from :class:`quotes.drift.VersionDrift`;
    ``around`` the indexes of the alignment's operations that are the extent of the article's
    quote, not drift (:func:`span_extent`).
    """

    number: int
    quote_id: str
    cluster_id: str
    article: str
    article_label: ArticleLabel
    url: str | None
    outlet: str | None
    publisher: str | None
    published: date | None
    speaker: str | None
    speaker_mention: str | None
    speaker_resolved: bool | None
    confidence: float | None
    kind: str
    text: str
    drift: float
    is_reference: bool
    alignment: Alignment
    context: Context | None
    changes: tuple[Change, ...]
    dropped: int = 0
    added: int = 0
    substituted: int = 0
    trimmed: int = 0
    extra: int = 0
    quoted_words_changed: bool = False
    around: frozenset[int] = frozenset()

    @property
    def carrier(self) -> str | None:
        """The outlet credited for the quote, else the article's publisher."""
        return self.outlet or self.publisher


@dataclass(frozen=True, slots=True)
class StatementView:
    """A statement (every version of one utterance) as its page shows it.

    ``link_id`` is the quote id its address uses: a member's id survives re-clustering,
    where a cluster id may not. ``drift`` is the largest drift of its versions (the figure the
    lists rank by); ``reference_reason`` says why the reference was chosen
    (:attr:`quotes.drift.ClusterDrift.reference_reason`), ``reference_rule`` the rule itself.
    """

    cluster_id: str
    link_id: str
    reference: str
    reference_kind: str
    speakers: tuple[str, ...]
    outlets: tuple[str, ...]
    n_articles: int
    drift: float
    reference_rule: str
    reference_reason: str
    versions: tuple[VersionView, ...]
    alignments: ClusterDrift

    @property
    def n_versions(self) -> int:
        """How many versions the statement has."""
        return len(self.versions)

    @property
    def quoted_words_changed(self) -> tuple[VersionView, ...]:
        """The versions whose words inside quotation marks differ from the reference's."""
        return tuple(v for v in self.versions if v.quoted_words_changed)


@dataclass(frozen=True, slots=True)
class QuoteGroup:
    """The quotes of one statement shown together on a speaker, outlet or search page.

    ``n_versions`` counts every version of the statement in the store, ``rows`` only those on
    this page; ``link_id`` is the quote id to link to; ``drift`` (largest drift of its versions)
    and ``quoted_words_changed`` (how many versions change quoted words) when known.

    Example:
        >>> QuoteGroup("u-1", "q-1", "we agree", 3, ({"text": "we agree"},)).n_versions
        3
    """

    cluster_id: str
    link_id: str
    reference: str
    n_versions: int
    rows: tuple[Mapping[str, Any], ...]
    drift: float | None = None
    quoted_words_changed: int = 0


# --------------------------------------------------------------------------- statements


FIGURES_SCHEMA = pl.Schema(
    {
        "cluster_id": pl.String(),
        "drift": pl.Float64(),
        "quoted_words_changed": pl.Int64(),
        "reference_reason": pl.String(),
    }
)
"""Per statement: the largest drift of its versions, how many versions change quoted words,
and why its reference was chosen (:func:`statement_figures`)."""


def drift_column(clusters: pl.DataFrame) -> str:
    """The clusters column that ranks statements by drift: ``drift`` (the largest drift of a
    statement's versions, :func:`with_figures`), else the stored ``max_drift``.

    Example:
        >>> drift_column(pl.DataFrame({"max_drift": [0.5]}))
        'max_drift'
    """
    return "drift" if "drift" in clusters.columns else "max_drift"


def drift_figures(drift: ClusterDrift) -> tuple[float, int]:
    """(the largest drift of the versions, how many versions change words inside quotation
    marks): what a statement is ranked and flagged by in the lists.

    Example:
        >>> drift_figures(sample_statement().alignments)
        (0.5, 0)
    """
    largest = max((v.drift for v in drift.versions if not v.is_reference), default=0.0)
    return largest, sum(1 for v in drift.versions if v.quoted_words_changed)


def statement_figures(tracker: Tracker, clusters: pl.DataFrame) -> pl.DataFrame:
    """The figures of each statement of ``clusters`` seen in several versions (schema
    :data:`FIGURES_SCHEMA`), from :meth:`quotes.api.Tracker.cluster_drift`: the same alignment
    the statement's page draws, so a list shows the figure its page shows.

    Example:
        >>> figures = statement_figures(tracker, tracker.clusters(min_versions=2))
        >>> figures.columns, figures["drift"].is_between(0, 1).all()
        (['cluster_id', 'drift', 'quoted_words_changed', 'reference_reason'], True)
    """
    rows = []
    for cluster_id in clusters.filter(pl.col("n_versions") >= 2)["cluster_id"].to_list():
        drift = tracker.cluster_drift(cluster_id)
        largest, alarms = drift_figures(drift)
        rows.append((cluster_id, largest, alarms, drift.reference_reason))
    return pl.DataFrame(rows, schema=FIGURES_SCHEMA, orient="row")


def with_figures(clusters: pl.DataFrame, figures: pl.DataFrame) -> pl.DataFrame:
    """``clusters`` with each statement's ``drift``, ``quoted_words_changed`` and
    ``reference_reason`` (:func:`statement_figures`) in place of the stored drift summaries;
    a statement seen once has drift 0 and no alarm.

    Example:
        >>> clusters = pl.DataFrame({"cluster_id": ["a", "b"], "n_versions": [2, 1],
        ...                          "max_drift": [0.3, 0.0], "mean_drift": [0.3, 0.0]})
        >>> figures = pl.DataFrame([("a", 0.25, 1, "the earliest published version")],
        ...                        schema=FIGURES_SCHEMA, orient="row")
        >>> with_figures(clusters, figures).select("cluster_id", "drift",
        ...                                        "quoted_words_changed").rows()
        [('a', 0.25, 1), ('b', 0.0, 0)]
    """
    known = [c for c in FIGURES_SCHEMA.names() if c != "cluster_id"]
    stale = [c for c in ("max_drift", "mean_drift", *known) if c in clusters.columns]
    return (
        clusters.drop(stale)
        .join(figures, on="cluster_id", how="left")
        .with_columns(
            pl.col("drift").fill_null(0.0),
            pl.col("quoted_words_changed").fill_null(0),
            pl.col("reference_reason").fill_null("the only version"),
        )
    )


def statement_list(clusters: pl.DataFrame, *, include_single: bool = False) -> pl.DataFrame:
    """Statements to list, most drift first; those seen once only when ``include_single``.

    Statements with several versions always come before single ones (whose drift is 0 by
    definition, so ranking them among the others would say nothing). Columns are ordered for
    people: the wording and counts first, ids last.

    Example:
        >>> clusters = pl.DataFrame({"cluster_id": ["a", "b", "c"], "reference": ["x", "y", "z"],
        ...     "reference_quote_id": ["q1", "q2", "q3"], "n_versions": [2, 1, 3],
        ...     "n_articles": [2, 1, 3], "max_drift": [0.2, 0.0, 0.6]})
        >>> statement_list(clusters)["cluster_id"].to_list()
        ['c', 'a']
        >>> statement_list(clusters, include_single=True)["cluster_id"].to_list()
        ['c', 'a', 'b']
    """
    drift = drift_column(clusters)
    chosen = clusters if include_single else clusters.filter(pl.col("n_versions") >= 2)
    ranked = chosen.sort(
        [pl.col("n_versions") >= 2, drift, "n_versions", "n_articles", "cluster_id"],
        descending=[True, True, True, True, False],
        nulls_last=True,
    )
    first = [
        c
        for c in ("reference", "n_versions", "n_articles", drift, "quoted_words_changed")
        if c in ranked.columns
    ]
    last: list[str] = [c for c in ("cluster_id", "reference_quote_id") if c in ranked.columns]
    middle = [c for c in ranked.columns if c not in first and c not in last]
    return ranked.select(first + middle + last)


def picker_label(row: Mapping[str, Any]) -> str:
    """How a statement is named in the statement picker: its wording, versions, most drift
    and the quoted-words alarm (plain text: the picker shows no markup).

    Example:
        >>> picker_label({"reference": "we agree", "n_versions": 3, "drift": 0.25,
        ...               "quoted_words_changed": 1})
        'we agree  · 3 versions · most drift 0.25 · ⚠ quoted words changed'
        >>> picker_label({"reference": "we agree", "n_versions": 1, "drift": 0.0})
        'we agree  · 1 version'
    """
    count = int(row.get("n_versions") or 1)
    label = (
        f"{shorten(row.get('reference') or '', 110)}  · {count} version{'s' if count != 1 else ''}"
    )
    drift = row.get("drift", row.get("max_drift"))
    if count > 1 and drift is not None:
        label += f" · most drift {float(drift):.2f}"
    if row.get("quoted_words_changed"):
        label += " · ⚠ quoted words changed"
    return label


ID_COLUMNS = ("quote_id", "cluster_id", "reference_quote_id", "article", "content_hash", "source")
"""Columns that identify rows for machines; tables for people show them last."""


def ids_last(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with its id columns moved to the end (for display; exports keep the schema).

    Example:
        >>> ids_last(pl.DataFrame({"quote_id": ["q1"], "text": ["we agree"]})).columns
        ['text', 'quote_id']
    """
    ids = [c for c in ID_COLUMNS if c in frame.columns]
    return frame.select([c for c in frame.columns if c not in ids] + ids)


def statement_counts(clusters: pl.DataFrame) -> tuple[int, int]:
    """(statements with several versions, statements seen once).

    Example:
        >>> statement_counts(pl.DataFrame({"n_versions": [1, 2, 3, 1]}))
        (2, 2)
    """
    several = int((clusters["n_versions"] >= 2).sum()) if clusters.height else 0
    return several, clusters.height - several


def statement_view(tracker: Tracker, identifier: str) -> StatementView:
    """Everything the statement page shows for the statement ``identifier`` belongs to.

    ``identifier`` is any quote id of the statement or its cluster id; raises
    :class:`quotes.errors.InputError` when the store has neither.

    Example:
        >>> quote_id = tracker.clusters(min_versions=2)["reference_quote_id"][0]
        >>> view = statement_view(tracker, quote_id)
        >>> view.link_id == quote_id, view.versions[0].is_reference, view.n_versions >= 2
        (True, True, True)
    """
    variants = tracker.variants(identifier)
    cluster_id = str(variants["cluster_id"][0])
    quotes = tracker.quotes(cluster=cluster_id)
    ids = sorted(set(quotes["article"].to_list()))
    articles = tracker.articles().filter(pl.col("article").is_in(ids))
    texts = {article: tracker.article_text(article) for article in ids}
    return build_statement(tracker.cluster_drift(cluster_id), quotes, articles, texts)


def build_statement(
    drift: ClusterDrift,
    quotes: pl.DataFrame,
    articles: pl.DataFrame,
    texts: Mapping[str, str],
) -> StatementView:
    """A statement page's content from the alignments of its versions (``drift``), their rows
    of the ``quotes`` table, the rows of their ``articles`` and the articles' ``texts``.

    Example:
        >>> view = sample_statement()
        >>> [(v.number, v.carrier, v.is_reference) for v in view.versions]
        [(1, 'Xinhua', True), (2, 'KCNA', False)]
    """
    by_id = {row["quote_id"]: row for row in quotes.iter_rows(named=True)}
    by_article = {row["article"]: row for row in articles.iter_rows(named=True)}
    reference_kind = by_id[drift.reference_id]["kind"]
    versions = tuple(
        _version_view(
            number,
            item,
            by_id[item.id],
            by_article.get(by_id[item.id]["article"], {}),
            texts.get(by_id[item.id]["article"], ""),
            reference_kind,
        )
        for number, item in enumerate(drift.versions, start=1)
    )
    reference = versions[0]
    return StatementView(
        cluster_id=reference.cluster_id,
        link_id=reference.quote_id,
        reference=reference.text,
        reference_kind=reference.kind,
        speakers=_distinct(v.speaker for v in versions),
        outlets=_distinct(v.carrier for v in versions),
        n_articles=len({v.article for v in versions}),
        drift=drift_figures(drift)[0],
        reference_rule=REFERENCE_RULE,
        reference_reason=drift.reference_reason,
        versions=versions,
        alignments=drift,
    )


def _version_view(
    number: int,
    item: VersionDrift,
    quote: Mapping[str, Any],
    article: Mapping[str, Any],
    text: str,
    reference_kind: str | None,
) -> VersionView:
    resolved = quote.get("speaker_resolved")
    confidence = quote.get(CONFIDENCE)
    around = (
        frozenset()
        if item.is_reference
        else span_extent(item.alignment, reference_kind=reference_kind, variant_kind=quote["kind"])
    )
    return VersionView(
        number=number,
        quote_id=quote["quote_id"],
        cluster_id=str(quote["cluster_id"] or quote["quote_id"]),
        article=quote["article"],
        article_label=article_label(article.get("title"), text, quote["article"]),
        url=article.get("url"),
        outlet=quote["outlet"],
        publisher=quote["publisher"],
        published=quote["published"],
        speaker=quote["speaker"],
        speaker_mention=quote["speaker_mention"],
        speaker_resolved=None if resolved is None else bool(resolved),
        confidence=None if confidence is None else float(confidence),
        kind=str(quote["kind"]),
        text=str(quote["text"]),
        drift=float(item.drift),
        is_reference=bool(item.is_reference),
        alignment=item.alignment,
        context=quote_context(text, quote["start"], quote["end"]) if text else None,
        changes=() if item.is_reference else changes(item.alignment, around),
        around=around,
        dropped=item.dropped,
        added=item.added,
        substituted=item.substituted,
        trimmed=item.trimmed,
        extra=item.extra,
        quoted_words_changed=item.quoted_words_changed,
    )


def _distinct(values: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


def drift_cells(view: StatementView) -> pl.DataFrame:
    """The drift between every two versions of a statement (:func:`quotes.drift.drift_matrix`,
    the figure of the drift column), labelled "1 · Xinhua" and so on, for the heatmap.

    Every label is the version's number and its outlet (else its publisher, else "no outlet"),
    so labels are unique and always name the same kind of thing. Pairs are counted with the
    versions' kinds, as the table counts them: the reference's row is the drift column.

    Example:
        >>> cells = drift_cells(sample_statement())
        >>> cells["row"].unique(maintain_order=True).to_list(), cells["drift"].to_list()
        (['1 · Xinhua', '2 · KCNA'], [0.0, 0.5, 0.5, 0.0])
    """
    labels = [f"{v.number} · {v.carrier or 'no outlet'}" for v in view.versions]
    articles = [v.article_label.text for v in view.versions]
    matrix = drift_matrix([v.text for v in view.versions], [v.kind for v in view.versions])
    size = len(labels)
    return pl.DataFrame(
        {
            "row": [labels[i] for i in range(size) for _ in range(size)],
            "column": [labels[j] for _ in range(size) for j in range(size)],
            "drift": [value for row in matrix for value in row],
            "row_article": [articles[i] for i in range(size) for _ in range(size)],
            "column_article": [articles[j] for _ in range(size) for j in range(size)],
        },
        schema={
            "row": pl.String,
            "column": pl.String,
            "drift": pl.Float64,
            "row_article": pl.String,
            "column_article": pl.String,
        },
    )


# --------------------------------------------------------------------------- words changed


_CHANGE_NAMES = {
    "drop": "dropped",
    "insert": "added",
    "substitute": "substituted",
    "ellipsis": "cut",
}


def span_extent(
    alignment: Alignment, *, reference_kind: str | None = None, variant_kind: str | None = None
) -> frozenset[int]:
    """Indexes of the ``alignment.ops`` that are the extent of an article's quote, not drift:
    changes before the first word both versions share or after the last, except words the
    version puts in quotation marks in place of reference words, which
    :func:`quotes.drift.drift_counts` counts (the kinds say which words are quoted, as there).
    With no word in common there is no shared stretch: every change is drift (the drift is 1).

    Example:
        >>> from quotes.drift import align
        >>> a = align("we oppose hegemonism", "he said we oppose hegemonism now")
        >>> [a.ops[i].var_text for i in sorted(span_extent(a))]
        ['he said', 'now']
    """
    ops = alignment.ops
    kept = [i for i, op in enumerate(ops) if op.op == "keep"]
    if not any(_has_words(ops[i].ref_text) for i in kept):
        return frozenset()
    around = set()
    for index, op in enumerate(ops):
        if kept[0] < index < kept[-1] or op.op == "keep":
            continue
        if op.op == "substitute":
            alone = Alignment(alignment.reference, alignment.variant, (op,))
            counts = drift_counts(alone, reference_kind=reference_kind, variant_kind=variant_kind)
            if counts.substituted:
                continue
        around.add(index)
    return frozenset(around)


_WORD = re.compile(r"\w")


def _has_words(text: str) -> bool:
    """Whether ``text`` holds a word as :mod:`quotes.drift` counts them (not only "...")."""
    return _WORD.search(text) is not None


def changes(alignment: Alignment, around: frozenset[int] = frozenset()) -> tuple[Change, ...]:
    """The changes of a version against the reference, in reading order (kept words left out);
    those at the indexes ``around`` (:func:`span_extent`) are not counted as drift.

    Example:
        >>> from quotes.drift import align
        >>> a = align("we oppose all forms of hegemonism",
        ...           "he said we firmly oppose ... hegemonism")
        >>> for change in changes(a, span_extent(a)):
        ...     print(change)
        Change(op='added', before='', after='he said', counted=False)
        Change(op='added', before='', after='firmly', counted=True)
        Change(op='cut', before='all forms of', after='...', counted=True)
    """
    found = []
    for index, op in enumerate(alignment.ops):
        if op.op == "keep" or not (_has_words(op.ref_text) or _has_words(op.var_text)):
            continue  # an ellipsis with no word cut, or only punctuation
        found.append(Change(_CHANGE_NAMES[op.op], op.ref_text, op.var_text, index not in around))
    return tuple(found)


# --------------------------------------------------------------------------- articles, context


def article_label(title: str | None, text: str | None, article: str) -> ArticleLabel:
    """The title of an article, else its first line (shortened), else its id.

    Example:
        >>> article_label("  Talks  ", "x", "a1")
        ArticleLabel(text='Talks', derived=False)
        >>> article_label(None, "  \\nWhat's Happening?\\nNorth Korean...", "a1").text
        "What's Happening?"
        >>> article_label(None, "", "a1")
        ArticleLabel(text='a1', derived=True)
    """
    if title and title.strip():
        return ArticleLabel(" ".join(title.split()), derived=False)
    first = next((line.strip() for line in (text or "").splitlines() if line.strip()), "")
    if not first:
        return ArticleLabel(article, derived=True)
    return ArticleLabel(shorten(first, LABEL_CHARS), derived=True)


def with_article_labels(frame: pl.DataFrame, labels: Mapping[str, ArticleLabel]) -> pl.DataFrame:
    """``frame`` (any table with an ``article`` column) with the label each article is shown
    under (``article_label``) and whether it was taken from the text (``label_derived``).

    Example:
        >>> frame = pl.DataFrame({"article": ["a1", "a2"]})
        >>> with_article_labels(frame, {"a1": ArticleLabel("Talks", False)}).rows()
        [('a1', 'Talks', False), ('a2', 'a2', True)]
    """
    found = [labels.get(a) or ArticleLabel(a, derived=True) for a in frame["article"].to_list()]
    return frame.with_columns(
        pl.Series("article_label", [label.text for label in found], dtype=pl.String),
        pl.Series("label_derived", [label.derived for label in found], dtype=pl.Boolean),
    )


def shorten(text: str, limit: int) -> str:
    """``text`` on one line, cut at a word boundary to at most ``limit`` characters.

    Example:
        >>> shorten("all forms of   hegemonism and unilateralism", 20)
        'all forms of…'
    """
    flat = " ".join(str(text).split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,;:") + "…"


def quote_context(text: str, start: int, end: int, *, limit: int = CONTEXT_CHARS) -> Context:
    """The sentence (or sentences) holding ``text[start:end]``, cut to about ``limit`` chars.

    Example:
        >>> c = quote_context("First. Wang said we agree. Last.", 17, 25)
        >>> (c.before, c.quote, c.after)
        ('Wang said ', 'we agree', '.')
    """
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    lo, hi = start, end
    for s_start, s_end in sentence_bounds(text):
        if s_start <= start < s_end or (s_start < end <= s_end) or (start <= s_start < end):
            lo, hi = min(lo, s_start), max(hi, s_end)
    room = max(0, limit - (end - start)) // 2
    cut_before, cut_after = start - lo > room, hi - end > room
    lo = _word_start(text, start - room, start) if cut_before else lo
    hi = _word_end(text, end + room, end) if cut_after else hi
    return Context(
        before=text[lo:start].lstrip(),
        quote=text[start:end],
        after=text[end:hi].rstrip(),
        start=lo,
        end=hi,
        cut_before=cut_before,
        cut_after=cut_after,
    )


def _word_start(text: str, position: int, floor: int) -> int:
    space = text.find(" ", position, floor)
    return space + 1 if space >= 0 else position


def _word_end(text: str, position: int, ceiling: int) -> int:
    space = text.rfind(" ", ceiling, position)
    return space if space >= 0 else position


# --------------------------------------------------------------------------- quote lists


def filter_confidence(quotes: pl.DataFrame, minimum: float) -> pl.DataFrame:
    """The quotes whose extraction confidence is at least ``minimum`` (all of them when the
    frame has no confidence column or ``minimum`` is 0).

    Example:
        >>> frame = pl.DataFrame({"text": ["a", "b"], "confidence": [0.9, 0.4]})
        >>> filter_confidence(frame, 0.5)["text"].to_list()
        ['a']
    """
    if minimum <= 0 or CONFIDENCE not in quotes.columns:
        return quotes
    return quotes.filter(pl.col(CONFIDENCE).fill_null(0.0) >= minimum)


def has_confidence(quotes: pl.DataFrame) -> bool:
    """Whether the store records an extraction confidence per quote.

    Example:
        >>> has_confidence(pl.DataFrame({"text": ["a"]}))
        False
    """
    return CONFIDENCE in quotes.columns


def quote_groups(quotes: pl.DataFrame, clusters: pl.DataFrame) -> list[QuoteGroup]:
    """``quotes`` grouped by statement, groups in order of their first quote.

    Each group knows how many versions its statement has in all (``clusters``), so a page that
    shows one of two versions can say so.

    Example:
        >>> quotes = pl.DataFrame({"quote_id": ["q1", "q2"], "cluster_id": ["u1", "u1"],
        ...                        "text": ["we agree", "agree"]})
        >>> clusters = pl.DataFrame({"cluster_id": ["u1"], "reference": ["we agree"],
        ...     "reference_quote_id": ["q1"], "n_versions": [3]})
        >>> [(g.link_id, g.n_versions, len(g.rows)) for g in quote_groups(quotes, clusters)]
        [('q1', 3, 2)]
    """
    info = {row["cluster_id"]: row for row in clusters.iter_rows(named=True)}
    grouped: dict[str, list[Mapping[str, Any]]] = {}
    for row in quotes.iter_rows(named=True):
        grouped.setdefault(str(row.get("cluster_id") or row["quote_id"]), []).append(row)
    groups = []
    for cluster_id, rows in grouped.items():
        known = info.get(cluster_id, {})
        n_versions = int(known.get("n_versions") or len(rows))
        drift = known.get("drift", known.get("max_drift"))
        groups.append(
            QuoteGroup(
                cluster_id=cluster_id,
                link_id=str(known.get("reference_quote_id") or rows[0]["quote_id"]),
                reference=str(known.get("reference") or rows[0]["text"]),
                n_versions=n_versions,
                rows=tuple(rows),
                drift=None if drift is None or n_versions < 2 else float(drift),
                quoted_words_changed=int(known.get("quoted_words_changed") or 0),
            )
        )
    return groups


def speaker_quotes(quotes: pl.DataFrame, name: str) -> pl.DataFrame:
    """The quotes whose resolved speaker is exactly ``name``.

    Example:
        >>> frame = pl.DataFrame({"speaker": ["Wang Yi", "Wang", None]})
        >>> speaker_quotes(frame, "Wang").height
        1
    """
    return quotes.filter(pl.col("speaker") == name)


def outlet_quotes(quotes: pl.DataFrame, name: str) -> pl.DataFrame:
    """The quotes credited to outlet ``name`` or published in an article of it.

    Example:
        >>> frame = pl.DataFrame({"outlet": ["AP", None], "publisher": [None, "AP"]})
        >>> outlet_quotes(frame, "AP").height
        2
    """
    return quotes.filter((pl.col("outlet") == name) | (pl.col("publisher") == name))
