"""The Python API: :class:`Tracker`, one object for adding articles and asking who said what.

Every table answer is a :class:`polars.DataFrame` with a schema from :mod:`quotes.tables`
(the columns are documented there), so the same frames feed notebooks, ``quotes export`` and
the app's downloads.

Example (``store_path`` is a store holding the five seed articles; ingesting them again
changes nothing):

    >>> from quotes import Tracker
    >>> with Tracker.open(store_path) as seeds_store:
    ...     report = seeds_store.ingest([seeds], progress=False)
    ...     hits = seeds_store.who_said("all forms of hegemonism")
    >>> print(report.summary())  # doctest: +NORMALIZE_WHITESPACE
    0 articles added, 0 replaced, 5 unchanged, 0 re-extracted, 0 duplicates, 0 skipped;
    0 quotes added
    >>> "Wang Yi" in hits["speaker"].to_list()
    True
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from quotes import tables
from quotes.errors import InputError
from quotes.sources import Article, collect
from quotes.store import (
    DEFAULT_BATCH_SIZE,
    IngestReport,
    Store,
    edits,
    extract_chunk,
    ingest_articles,
    resolve_store_path,
)
from quotes.store.corrections import Correction

if TYPE_CHECKING:
    from quotes.drift import ClusterDrift, VersionDrift
    from quotes.nlp import NLP

__all__ = ["Correction", "IngestReport", "Tracker"]

WHO_SAID_CUTOFF = 75.0
"""Lowest score (0-100) at which a stored quote counts as matching a who-said phrase."""

# Quotes without a links row are those a correction marked "not a quote": every table leaves
# them out by joining links.
_QUOTES_SQL = """
SELECT q.quote_id, l.cluster_id, q.article, q.kind, q.text, q.start, q."end", q.spans,
       q.cue, q.cue_start, q.cue_end, l.speaker, q.speaker_mention,
       q.speaker_start, q.speaker_end, q.speaker_type, q.role, q.outlet, q.outlet_start,
       q.outlet_end, q.sentence_index, q.issues, q.speaker_resolved, q.confidence, q.rules,
       l.is_reference, l.drift, l.quoted_words_changed, a.title, a.publisher, a.published
FROM quotes q JOIN articles a ON a.id = q.article JOIN links l ON l.quote_id = q.quote_id
"""
_QUOTES_ORDER = " ORDER BY a.published IS NULL, a.published, q.article, q.start, q.quote_id"
_JSON_COLUMNS = ("spans", "issues", "rules")
_BOOL_COLUMNS = ("speaker_resolved", "is_reference", "quoted_words_changed")
_VARIANTS_SQL = """
SELECT l.cluster_id, q.quote_id, l.is_reference, l.reference_reason, q.text, l.drift, l.dropped,
       l.added, l.substituted, l.trimmed, l.extra, l.quoted_words_changed, q.kind, l.speaker,
       q.outlet, q.article, a.title, a.publisher, a.published
FROM links l JOIN quotes q ON q.quote_id = l.quote_id JOIN articles a ON a.id = q.article
"""


class Tracker:
    """A corpus of articles and their quotes, stored on disk, with lookups as Polars frames.

    Open it with :meth:`open`; it is a context manager.

    Example:
        >>> with Tracker.open(store_path) as opened:
        ...     said = opened.quotes(speaker="Wang Yi")
        >>> said.height > 0, said.columns[:3]
        (True, ['quote_id', 'cluster_id', 'article'])
    """

    def __init__(self, store: Store, *, nlp: NLP | None = None) -> None:
        self.store = store
        self.path = store.path
        self._nlp = nlp

    @classmethod
    def open(cls, path: str | Path | None = None, *, nlp: NLP | None = None) -> Tracker:
        """Open the store at ``path`` (default ``$QUOTES_STORE``, else ``data/quotes``),
        creating it when missing. ``nlp`` is a loaded :class:`quotes.nlp.NLP` to parse with
        (default: :func:`quotes.nlp.load_pipeline` on first use).

        Example:
            >>> with Tracker.open(new_store_path()) as empty:
            ...     empty.articles().height
            0
        """
        return cls(Store.open(resolve_store_path(path)), nlp=nlp)

    def close(self) -> None:
        """Close the store."""
        self.store.close()

    def __enter__(self) -> Tracker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- adding articles -----------------------------------------------------------------------

    def ingest(
        self,
        paths: str | Path | Iterable[str | Path],
        *,
        progress: bool = True,
        workers: int = 1,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> IngestReport:
        """Add the articles of ``paths`` (files, directories, globs; .txt .html .jsonl .csv).

        Unusable inputs are listed in ``report.skipped`` and do not stop the others. Each batch
        of ``batch_size`` articles is committed atomically; ``workers`` > 1 parses in that many
        processes.

        Example:
            >>> report = tracker.ingest(seeds, progress=False)   # stored already: unchanged
            >>> report.added, report.unchanged
            (0, 5)
        """
        if isinstance(paths, (str, Path)):
            paths = [paths]
        articles, problems = collect(paths)
        skipped = [(problem.source, problem.problem) for problem in problems]
        return ingest_articles(
            self.store,
            articles,
            skipped=skipped,
            batch_size=batch_size,
            workers=workers,
            progress=progress,
            extract=self._extractor(workers),
        )

    def ingest_texts(
        self,
        items: Sequence[Article],
        *,
        progress: bool = False,
        batch_size: int = DEFAULT_BATCH_SIZE,
        workers: int = 1,
        skipped: Sequence[tuple[str, str]] = (),
    ) -> IngestReport:
        """Add articles built in memory (pasted text, uploads: see
        :func:`quotes.sources.article_from_text`); ``skipped`` lists ``(source, problem)`` of
        inputs already found unusable, for the report.

        Example:
            >>> from quotes.sources import article_from_text
            >>> art = article_from_text('Wang said, "We agree."', name="note")
            >>> with Tracker.open(new_store_path()) as fresh:
            ...     fresh.ingest_texts([art]).added
            1
        """
        return ingest_articles(
            self.store,
            list(items),
            skipped=skipped,
            batch_size=batch_size,
            workers=workers,
            progress=progress,
            extract=self._extractor(workers),
        )

    def _extractor(self, workers: int) -> Any:
        if self._nlp is None or workers > 1:
            return extract_chunk  # picklable: each worker process loads its own models
        return functools.partial(extract_chunk, nlp=self._nlp)

    # --- tables -------------------------------------------------------------------------------

    def table(self, name: str) -> pl.DataFrame:
        """Any table by name (``articles``, ``quotes``, ``speakers``, ``outlets``, ``clusters``,
        ``variants``, ``corrections`` with the undone ones), as ``quotes export`` writes it.

        Example:
            >>> tracker.table("outlets").columns[0]
            'outlet'
        """
        if name not in tables.TABLE_NAMES:
            raise InputError(name, f"unknown table; use one of {', '.join(tables.TABLE_NAMES)}")
        if name == "variants":
            return self._all_variants()
        if name == "corrections":
            return self.corrections(include_undone=True)  # the whole record, for audits
        method = getattr(self, name)
        result: pl.DataFrame = method()
        return result

    def counts(self) -> dict[str, int]:
        """Numbers of articles, quotes, speakers, outlets and clusters.

        Example:
            >>> tracker.counts()["articles"]
            5
        """
        counts = self.store.counts()
        return {
            "articles": counts["articles"],
            "quotes": counts["quotes"],
            "speakers": self.speakers().height,
            "outlets": self.outlets().height,
            "clusters": counts["clusters"],
        }

    def articles(self) -> pl.DataFrame:
        """Every stored article (schema ``articles``).

        Example:
            >>> tracker.articles().columns[:2]
            ['article', 'title']
        """
        rows = self.store.query(
            "SELECT a.id, a.title, a.url, a.publisher, a.published, a.source, a.content_hash, "
            "a.n_chars, (SELECT count(*) FROM quotes q JOIN links l ON l.quote_id = q.quote_id "
            "WHERE q.article = a.id), a.ingested_at "
            "FROM articles a ORDER BY a.published IS NULL, a.published, a.id"
        )
        names = tables.schema("articles").names()
        data = _columns(names, rows)
        data["published"] = [_date(v) for v in data["published"]]
        frame = pl.DataFrame(data, schema_overrides={"ingested_at": pl.String()}, orient="col")
        if frame.is_empty():
            return tables.empty("articles")
        return tables.conform(
            "articles",
            frame.with_columns(
                pl.col("ingested_at").str.to_datetime(time_zone="UTC", time_unit="us")
            ),
        )

    def article_text(self, article: str) -> str:
        """The full text of a stored article (quote offsets point into it).

        Example:
            >>> q = tracker.quotes().row(0, named=True)
            >>> tracker.article_text(q["article"])[q["start"] : q["end"]] == q["text"]
            True
        """
        rows = self.store.query("SELECT text FROM articles WHERE id = ?", (article,))
        if not rows:
            raise InputError(article, "no article with this id in the store")
        text: str = rows[0][0]
        return text

    def quotes(
        self,
        speaker: str | None = None,
        outlet: str | None = None,
        since: date | str | None = None,
        kind: str | None = None,
        cluster: str | None = None,
        min_confidence: float | None = None,
    ) -> pl.DataFrame:
        """Stored quotes (schema ``quotes``), filtered; filters combine with AND.

        ``speaker`` and ``outlet`` match case-insensitive substrings (the outlet matches the
        credited outlet or the article's publisher); ``since`` keeps articles published on or
        after that date; ``kind`` is direct, mixed, indirect or scare; ``cluster`` a cluster id
        (or any quote id of the statement); ``min_confidence`` keeps quotes whose extraction
        confidence is at least that (0-1).

        Example:
            >>> wang = tracker.quotes(speaker="wang")
            >>> "Wang Yi" in set(wang["speaker"])
            True
            >>> sure = tracker.quotes(min_confidence=0.5)
            >>> bool((sure["confidence"] >= 0.5).all())
            True
        """
        conditions: list[str] = []
        parameters: list[object] = []
        if min_confidence is not None:
            if not 0.0 <= min_confidence <= 1.0:
                raise InputError("min-confidence", f"must be between 0 and 1, not {min_confidence}")
            conditions.append("q.confidence >= ?")
            parameters.append(min_confidence)
        if speaker:
            conditions.append("instr(lower(coalesce(l.speaker, '')), lower(?)) > 0")
            parameters.append(speaker)
        if outlet:
            conditions.append(
                "(instr(lower(coalesce(q.outlet, '')), lower(?)) > 0 "
                "OR instr(lower(coalesce(a.publisher, '')), lower(?)) > 0)"
            )
            parameters += [outlet, outlet]
        if since:
            since_date = since if isinstance(since, date) else _parse_since(since)
            conditions.append("a.published >= ?")
            parameters.append(since_date.isoformat())
        if kind:
            conditions.append("q.kind = ?")
            parameters.append(kind)
        if cluster:
            conditions.append("l.cluster_id = ?")
            parameters.append(self._cluster_of(cluster))
        where = (" WHERE " + " AND ".join(conditions)) if conditions else ""
        rows = self.store.query(_QUOTES_SQL + where + _QUOTES_ORDER, parameters)
        return _quotes_frame(rows)

    def speakers(self) -> pl.DataFrame:
        """Speakers merged across articles (schema ``speakers``), most quoted first.

        Example:
            >>> speakers = tracker.speakers()
            >>> "Wang Yi" in speakers["speaker"].to_list()
            True
        """
        quotes_rows, speaker_rows = self.store.queries(
            (_QUOTES_SQL + _QUOTES_ORDER, ()),
            ("SELECT speaker, speaker_type, variants, roles FROM speakers", ()),
        )
        said = _quotes_frame(quotes_rows).filter(pl.col("speaker").is_not_null())
        if said.is_empty():
            return tables.empty("speakers")
        known = {row[0]: (row[1], json.loads(row[2]), json.loads(row[3])) for row in speaker_rows}
        stats = (
            said.group_by("speaker")
            .agg(
                pl.len().alias("n_quotes"),
                pl.col("article").n_unique().alias("n_articles"),
                pl.col("cluster_id").n_unique().alias("n_clusters"),
                pl.col("outlet").drop_nulls().unique().sort().alias("outlets"),
                pl.col("speaker_type")
                .filter(pl.col("speaker_type") != "unknown")
                .mode()
                .first()
                .alias("type_seen"),
                pl.col("role").drop_nulls().unique().sort().alias("roles_seen"),
            )
            .sort(["n_quotes", "speaker"], descending=[True, False])
        )
        rows: list[dict[str, object]] = []
        for row in stats.iter_rows(named=True):
            speaker_type, variants, roles = known.get(row["speaker"], (None, [row["speaker"]], []))
            rows.append(
                {
                    "speaker": row["speaker"],
                    "speaker_type": speaker_type
                    if speaker_type and speaker_type != "unknown"
                    else (row["type_seen"] or "unknown"),
                    "variants": variants,
                    "roles": sorted({*roles, *row["roles_seen"]}),
                    "n_quotes": row["n_quotes"],
                    "n_articles": row["n_articles"],
                    "n_clusters": row["n_clusters"],
                    "outlets": row["outlets"],
                }
            )
        return tables.frame("speakers", rows)

    def outlets(self) -> pl.DataFrame:
        """Outlets (schema ``outlets``): credited by a quote or publisher of an article.

        ``n_quotes`` counts the quotes an outlet carried (credited to it, or in an article it
        published), ``n_published`` the articles it published.

        Example:
            >>> {"KCNA", "Xinhua"} <= set(tracker.outlets()["outlet"])
            True
        """
        quotes_rows, article_rows = self.store.queries(
            (_QUOTES_SQL + _QUOTES_ORDER, ()),
            ("SELECT id, publisher FROM articles WHERE publisher IS NOT NULL", ()),
        )
        quotes = _quotes_frame(quotes_rows)
        carried = pl.concat(
            [
                quotes.filter(pl.col("outlet").is_not_null()).select(
                    pl.col("outlet"), "quote_id", "article", "speaker"
                ),
                quotes.filter(pl.col("publisher").is_not_null()).select(
                    pl.col("publisher").alias("outlet"), "quote_id", "article", "speaker"
                ),
            ]
        ).unique(["outlet", "quote_id"])
        published = pl.DataFrame(
            {
                "outlet": [r[1] for r in article_rows],
                "article": [r[0] for r in article_rows],
            },
            schema={"outlet": pl.String(), "article": pl.String()},
        )
        names = pl.concat([carried.select("outlet"), published.select("outlet")]).unique()
        if names.is_empty():
            return tables.empty("outlets")
        quote_stats = carried.group_by("outlet").agg(
            pl.col("quote_id").n_unique().alias("n_quotes"),
            pl.col("speaker").drop_nulls().unique().sort().alias("speakers"),
        )
        article_stats = (
            pl.concat([carried.select("outlet", "article"), published])
            .group_by("outlet")
            .agg(pl.col("article").n_unique().alias("n_articles"))
        )
        published_stats = published.group_by("outlet").agg(pl.len().alias("n_published"))
        result = (
            names.join(quote_stats, on="outlet", how="left")
            .join(article_stats, on="outlet", how="left")
            .join(published_stats, on="outlet", how="left")
            .with_columns(
                pl.col("n_quotes").fill_null(0),
                pl.col("n_published").fill_null(0),
                pl.col("speakers").fill_null(pl.lit([], pl.List(pl.String()))),
            )
            .sort(["n_quotes", "outlet"], descending=[True, False])
        )
        return tables.conform("outlets", result)

    def clusters(self, *, min_versions: int = 1) -> pl.DataFrame:
        """Statements and their versions (schema ``clusters``): statements carried by most
        articles first, then most drift. ``min_versions=2`` keeps statements with variants.

        Example:
            >>> tracker.clusters(min_versions=2)["n_versions"].min() >= 2
            True
        """
        variants = self._all_variants()
        if variants.is_empty():
            return tables.empty("clusters")
        others = pl.col("drift").filter(~pl.col("is_reference"))
        carried = pl.coalesce("outlet", "publisher")
        summary = (
            variants.group_by("cluster_id")
            .agg(
                pl.col("text").filter(pl.col("is_reference")).first().alias("reference"),
                pl.col("quote_id")
                .filter(pl.col("is_reference"))
                .first()
                .alias("reference_quote_id"),
                pl.col("reference_reason")
                .filter(pl.col("is_reference"))
                .first()
                .alias("reference_reason"),
                pl.col("quoted_words_changed").any().alias("any_quoted_words_changed"),
                pl.len().alias("n_versions"),
                pl.col("article").n_unique().alias("n_articles"),
                pl.col("speaker").drop_nulls().unique().sort().alias("speakers"),
                carried.drop_nulls().unique().sort().alias("outlets"),
                others.max().fill_null(0.0).alias("max_drift"),
                others.mean().fill_null(0.0).alias("mean_drift"),
                pl.col("published").min().alias("first_published"),
                pl.col("published").max().alias("last_published"),
            )
            .filter(pl.col("n_versions") >= min_versions)
            .sort(["n_articles", "max_drift", "cluster_id"], descending=[True, True, False])
        )
        return tables.conform("clusters", summary)

    def variants(self, quote_or_cluster_id: str) -> pl.DataFrame:
        """Every version of one statement (schema ``variants``): the reference first, then by
        date; ``quote_or_cluster_id`` is any quote id of the statement or its cluster id.

        Example:
            >>> statement = tracker.clusters(min_versions=2)["cluster_id"][0]
            >>> tracker.variants(statement)["is_reference"].to_list()[:2]
            [True, False]
        """
        cluster_id = self._cluster_of(quote_or_cluster_id)
        return self._all_variants(cluster_id)

    def cluster_drift(self, cluster_id: str) -> ClusterDrift:
        """The word-level alignment of every version of a statement against its reference
        (:class:`quotes.drift.ClusterDrift`), for drawing the changes.

        Example:
            >>> top = tracker.clusters(min_versions=2).row(0, named=True)
            >>> drift = tracker.cluster_drift(top["cluster_id"])
            >>> drift.reference_id == top["reference_quote_id"]
            True
            >>> [op.op for op in drift.versions[0].alignment.ops]     # the reference: all kept
            ['keep']
        """
        from quotes.drift import cluster_drift
        from quotes.store.versions import statement_versions

        ident = self._cluster_of(cluster_id)
        with self.store.read() as db:
            members, versions = statement_versions(db, ident)
        # The same versions the store aligned: the same reference, the same figures; listed in
        # the order of the variants table.
        drift = cluster_drift(versions)
        seq = {m.quote_id: m.seq for m in members}

        def order(version: VersionDrift) -> tuple[bool, bool, date, int, str]:
            published = version.version.published
            return (
                not version.is_reference,
                published is None,
                published or date.min,
                seq[version.id],
                version.id,
            )

        return dataclasses.replace(drift, versions=tuple(sorted(drift.versions, key=order)))

    def who_said(self, phrase: str, limit: int = 20) -> pl.DataFrame:
        """Who said ``phrase``: the stored quotes that contain something close to it, and every
        other version of the same statements (schema ``who_said``), best match first.

        Matching is fuzzy (RapidFuzz partial alignment of the phrase inside each quote, case and
        punctuation ignored), so a misremembered or differently worded phrase still finds it.
        ``limit`` caps the number of matching quotes expanded.

        Example:
            >>> "Wang Yi" in tracker.who_said("all forms of hegemonism")["speaker"].to_list()
            True
        """
        from rapidfuzz import fuzz, process, utils

        needle = utils.default_process(phrase)
        if len(needle) < 2:
            raise InputError("who-said", "the phrase is empty; give a few words")
        quotes = self.quotes()
        if quotes.is_empty():
            return tables.empty("who_said")
        texts = quotes["text"].to_list()
        candidates = process.extract(
            needle,
            texts,
            scorer=fuzz.partial_ratio,
            processor=utils.default_process,
            score_cutoff=WHO_SAID_CUTOFF,
            limit=max(limit * 5, 50),
        )
        scored: dict[int, float] = {}
        for _, score, index in candidates:
            adjusted = _length_adjusted(score, needle, texts[index])
            if adjusted >= WHO_SAID_CUTOFF:
                scored[index] = adjusted
        if not scored:
            return tables.empty("who_said")
        best = sorted(scored.items(), key=lambda item: (-item[1], item[0]))[:limit]
        cluster_ids = quotes["cluster_id"].to_list()
        cluster_score: dict[str, float] = {}
        for index, score in best:
            key = cluster_ids[index] or quotes["quote_id"][index]
            cluster_score[key] = max(cluster_score.get(key, 0.0), score)
        own_scores = [
            scored.get(
                i,
                _length_adjusted(
                    fuzz.partial_ratio(needle, utils.default_process(text)), needle, text
                ),
            )
            if (cluster_ids[i] in cluster_score)
            else 0.0
            for i, text in enumerate(texts)
        ]
        result = (
            quotes.with_columns(
                pl.Series("score", own_scores, dtype=pl.Float64()).round(1),
                pl.col("cluster_id")
                .replace_strict(cluster_score, default=None, return_dtype=pl.Float64())
                .alias("cluster_score"),
            )
            .filter(pl.col("cluster_score").is_not_null())
            .sort(
                ["cluster_score", "cluster_id", "score", "published", "quote_id"],
                descending=[True, False, True, False, False],
                nulls_last=True,
            )
        )
        return tables.conform("who_said", result)

    # --- corrections ---------------------------------------------------------------------------

    def correct_speaker(
        self, quote_id: str, speaker: str, *, author: str | None = None
    ) -> Correction:
        """Say who really said a quote; returns the stored correction.

        Example:
            >>> from quotes.sources import article_from_text
            >>> with Tracker.open(new_store_path()) as fresh:
            ...     _ = fresh.ingest_texts([article_from_text(
            ...         'He said: "The bridge opens in June."', name="bridge")])
            ...     quote = fresh.quotes()["quote_id"][0]
            ...     fix = fresh.correct_speaker(quote, "Mayor Lena Holt", author="desk")
            ...     fresh.quotes()["speaker"].to_list(), fix.action, fix.author
            (['Mayor Lena Holt'], 'speaker', 'desk')
        """
        return self._edit(edits.correct_speaker, quote_id, speaker, author=author)

    def merge_speakers(self, source: str, target: str, *, author: str | None = None) -> Correction:
        """Make every quote of speaker ``source`` (as shown in the tables) one of ``target``."""
        return self._edit(edits.merge_speakers, source, target, author=author)

    def split_version(self, quote_id: str, *, author: str | None = None) -> Correction:
        """Take a version out of its statement; it never joins those versions again."""
        return self._edit(edits.split_version, quote_id, author=author)

    def merge_statements(
        self, quote_id_a: str, quote_id_b: str, *, author: str | None = None
    ) -> Correction:
        """Make the statements of two quotes one statement (by member quote ids), and keep it
        one through re-ingests and re-clustering."""
        return self._edit(edits.merge_statements, quote_id_a, quote_id_b, author=author)

    def mark_not_quote(self, quote_id: str, *, author: str | None = None) -> Correction:
        """Say a quote is not a quote: it leaves every table and export."""
        return self._edit(edits.mark_not_quote, quote_id, author=author)

    def pin_reference(self, quote_id: str, *, author: str | None = None) -> Correction:
        """Make a version its statement's reference, whatever is added later."""
        return self._edit(edits.pin_reference, quote_id, author=author)

    def undo_correction(self, correction_id: int) -> Correction:
        """Undo a correction (it stays listed with ``undone_at``); returns it."""
        with self.store.write() as db:
            return edits.undo(db, int(correction_id))

    def corrections(self, include_undone: bool = False) -> pl.DataFrame:
        """The corrections (schema ``corrections``), oldest first; undone ones with
        ``include_undone``.

        Example:
            >>> tracker.corrections().columns[:4]
            ['correction_id', 'created_at', 'author', 'action']
        """
        from quotes.store.corrections import list_corrections

        with self.store.read() as db:
            rows = list_corrections(db, include_undone=include_undone)
        return tables.frame(
            "corrections",
            [
                {name: getattr(c, name) for name in tables.schema("corrections").names()}
                for c in rows
            ],
        )

    def statement_of(self, identifier: str) -> str:
        """The current cluster id of a statement, given its cluster id or any of its quote ids
        (a link made with a quote id keeps working after re-clustering).

        Example:
            >>> quote = tracker.quotes().row(0, named=True)
            >>> tracker.statement_of(quote["quote_id"]) == quote["cluster_id"]
            True
        """
        return self._cluster_of(identifier)

    def _edit(
        self, action: Callable[..., Correction], *args: str, author: str | None
    ) -> Correction:
        with self.store.write() as db:
            return action(db, *args, author=author)

    # --- helpers ------------------------------------------------------------------------------

    def _cluster_of(self, identifier: str) -> str:
        rows = self.store.query(
            "SELECT cluster_id FROM links WHERE quote_id = ? OR cluster_id = ? LIMIT 1",
            (identifier, identifier),
        )
        if not rows:
            hidden = self.store.query("SELECT 1 FROM quotes WHERE quote_id = ?", (identifier,))
            if hidden:
                raise InputError(identifier, "this quote is marked not a quote (see corrections)")
            raise InputError(identifier, "no quote or cluster with this id in the store")
        cluster_id: str = rows[0][0]
        return cluster_id

    def _all_variants(self, cluster_id: str | None = None) -> pl.DataFrame:
        where, parameters = (
            ("", ())
            if cluster_id is None
            else (
                " WHERE l.cluster_id = ?",
                (cluster_id,),
            )
        )
        rows = self.store.query(
            _VARIANTS_SQL
            + where
            + " ORDER BY l.cluster_id, l.is_reference DESC, a.published IS NULL, a.published, "
            "q.seq, q.quote_id",
            parameters,
        )
        names = tables.schema("variants").names()
        data = _columns(names, rows)
        for column in ("is_reference", "quoted_words_changed"):
            data[column] = [bool(v) for v in data[column]]
        data["published"] = [_date(v) for v in data["published"]]
        return pl.DataFrame(data, schema=tables.schema("variants"))


def _length_adjusted(score: float, needle: str, text: str) -> float:
    """A quote shorter than the phrase cannot *contain* it: scale its partial score down, so
    a one-word scare quote does not match every phrase holding that word."""
    from rapidfuzz import utils

    length = len(utils.default_process(text))
    if length >= len(needle) or not needle:
        return float(score)
    return float(score) * length / len(needle)


def _parse_since(value: str) -> date:
    from quotes.sources import parse_published

    try:
        parsed = parse_published(value)
    except ValueError as exc:
        raise InputError("since", str(exc)) from None
    if parsed is None:
        raise InputError("since", "empty date")
    return parsed


def _date(value: object) -> date | None:
    return date.fromisoformat(str(value)) if value else None


def _columns(names: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> dict[str, list[Any]]:
    if not rows:
        return {name: [] for name in names}
    return {name: list(values) for name, values in zip(names, zip(*rows, strict=True), strict=True)}


def _quotes_frame(rows: Sequence[tuple[Any, ...]]) -> pl.DataFrame:
    names = tables.schema("quotes").names()
    data = _columns(names, rows)
    for column in _JSON_COLUMNS:
        data[column] = [json.loads(v) if v is not None else None for v in data[column]]
    for column in _BOOL_COLUMNS:
        data[column] = [bool(v) for v in data[column]]
    data["published"] = [_date(v) for v in data["published"]]
    return pl.DataFrame(data, schema=tables.schema("quotes"))
