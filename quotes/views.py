"""What each page of the app shows, as plain data built from the Tracker's tables.

The app (``app.py``) draws; this module decides what there is to draw: which statements to list
and in what order, everything a statement page says about each version (outlet, article, date,
link, speaker as written and as resolved, the sentence around the quote, the words changed),
quotes grouped by statement, an article's text with its quotes. Everything here is plain text
and numbers, never markup: :mod:`quotes.render` escapes and draws it.

Example:
    >>> label = article_label(None, "North Korea and China Strengthen Ties\\n\\nIn a...", "001_b3")
    >>> label.text, label.derived
    ('North Korea and China Strengthen Ties', True)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import polars as pl

from quotes.drift import Alignment, ClusterDrift, VersionDrift, similarity_matrix
from quotes.segment import sentence_bounds

if TYPE_CHECKING:
    from quotes.api import Tracker

REFERENCE_RULE = (
    "The reference version is the most complete direct quote; when no version quotes the "
    "speaker directly, the earliest. Drift compares each version with it: 0 is the same "
    "wording, 1 nothing in common."
)
"""How the reference version is chosen (:func:`quotes.drift.choose_reference`), for the app."""

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
    "replaced" or "cut" (left out where the version prints an ellipsis).

    Example:
        >>> Change("replaced", "fair", "fairer").after
        'fairer'
    """

    op: str
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class VersionView:
    """One version of a statement, with everything its row on the statement page shows.

    ``speaker`` is the speaker as resolved across articles, ``speaker_mention`` the words the
    article used; ``speaker_resolved`` and ``confidence`` are ``None`` when the store does not
    record them.
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

    @property
    def carrier(self) -> str | None:
        """The outlet credited for the quote, else the article's publisher."""
        return self.outlet or self.publisher


@dataclass(frozen=True, slots=True)
class StatementView:
    """A statement (every version of one utterance) as its page shows it.

    ``link_id`` is the quote id its address uses: a member's id survives re-clustering,
    where a cluster id may not.
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
    versions: tuple[VersionView, ...]
    alignments: ClusterDrift

    @property
    def n_versions(self) -> int:
        """How many versions the statement has."""
        return len(self.versions)


@dataclass(frozen=True, slots=True)
class QuoteGroup:
    """The quotes of one statement shown together on a speaker, outlet or search page.

    ``n_versions`` counts every version of the statement in the store, ``rows`` only those on
    this page; ``link_id`` is the quote id to link to.

    Example:
        >>> QuoteGroup("u-1", "q-1", "we agree", 3, ({"text": "we agree"},)).n_versions
        3
    """

    cluster_id: str
    link_id: str
    reference: str
    n_versions: int
    rows: tuple[Mapping[str, Any], ...]


# --------------------------------------------------------------------------- statements


def drift_column(clusters: pl.DataFrame) -> str:
    """The clusters column that ranks statements by drift (``drift`` once the store has one).

    Example:
        >>> drift_column(pl.DataFrame({"max_drift": [0.5]}))
        'max_drift'
    """
    return "drift" if "drift" in clusters.columns else "max_drift"


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
    first = [c for c in ("reference", "n_versions", "n_articles", drift) if c in ranked.columns]
    last: list[str] = [c for c in ("cluster_id", "reference_quote_id") if c in ranked.columns]
    middle = [c for c in ranked.columns if c not in first and c not in last]
    return ranked.select(first + middle + last)


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
    versions = tuple(
        _version_view(
            number,
            item,
            by_id[item.id],
            by_article.get(by_id[item.id]["article"], {}),
            texts.get(by_id[item.id]["article"], ""),
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
        drift=max((v.drift for v in versions), default=0.0),
        reference_rule=REFERENCE_RULE,
        versions=versions,
        alignments=drift,
    )


def _version_view(
    number: int,
    item: VersionDrift,
    quote: Mapping[str, Any],
    article: Mapping[str, Any],
    text: str,
) -> VersionView:
    resolved = quote.get("speaker_resolved")
    confidence = quote.get(CONFIDENCE)
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
        changes=() if item.is_reference else changes(item.alignment),
    )


def _distinct(values: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


def similarity_cells(view: StatementView) -> pl.DataFrame:
    """The pairwise similarity of a statement's versions, labelled "1 · Xinhua" and so on.

    Every label is the version's number and its outlet (else its publisher, else "no outlet"),
    so labels are unique and always name the same kind of thing.

    Example:
        >>> similarity_cells(sample_statement())["row"].unique(maintain_order=True).to_list()
        ['1 · Xinhua', '2 · KCNA']
    """
    labels = [f"{v.number} · {v.carrier or 'no outlet'}" for v in view.versions]
    articles = [v.article_label.text for v in view.versions]
    matrix = similarity_matrix([v.text for v in view.versions])
    size = len(labels)
    return pl.DataFrame(
        {
            "row": [labels[i] for i in range(size) for _ in range(size)],
            "column": [labels[j] for _ in range(size) for j in range(size)],
            "similarity": [value for row in matrix for value in row],
            "row_article": [articles[i] for i in range(size) for _ in range(size)],
            "column_article": [articles[j] for _ in range(size) for j in range(size)],
        },
        schema={
            "row": pl.String,
            "column": pl.String,
            "similarity": pl.Float64,
            "row_article": pl.String,
            "column_article": pl.String,
        },
    )


# --------------------------------------------------------------------------- words changed


_CHANGE_NAMES = {"drop": "dropped", "insert": "added", "substitute": "replaced", "ellipsis": "cut"}


def changes(alignment: Alignment) -> tuple[Change, ...]:
    """The changes of a version against the reference, in reading order (kept words left out).

    Example:
        >>> from quotes.drift import align
        >>> for change in changes(align("we oppose all forms of hegemonism",
        ...                             "we firmly oppose ... hegemonism now")):
        ...     print(change)
        Change(op='added', before='', after='firmly')
        Change(op='cut', before='all forms of', after='...')
        Change(op='added', before='', after='now')
    """
    found = []
    for op in alignment.ops:
        if op.op == "keep" or (op.op == "ellipsis" and not op.ref_text):
            continue
        found.append(Change(_CHANGE_NAMES[op.op], op.ref_text, op.var_text))
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
        groups.append(
            QuoteGroup(
                cluster_id=cluster_id,
                link_id=str(known.get("reference_quote_id") or rows[0]["quote_id"]),
                reference=str(known.get("reference") or rows[0]["text"]),
                n_versions=int(known.get("n_versions") or len(rows)),
                rows=tuple(rows),
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
