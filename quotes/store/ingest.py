"""Ingest orchestration: which articles to write, parsing them (in processes if asked), and
writing them to the store in atomic batches.

**Incremental**: an article whose id is stored with the same content hash is not touched; one
with a new text replaces its old quotes; the quotes extracted from a text are cached by its
content hash, so a re-ingest, a renamed copy or a re-clustering never parses again.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from quotes.records import Quote
from quotes.sources import Article
from quotes.store.database import (
    DEFAULT_BATCH_SIZE,
    BatchResult,
    Store,
    engine_version,
    text_hash,
)

if TYPE_CHECKING:
    from quotes.nlp import NLP


@dataclass(frozen=True, slots=True)
class IngestReport:
    """The outcome of one ingest.

    ``added``/``replaced``/``unchanged`` count articles (new; stored before with another text;
    stored before with the same text), ``re_extracted`` articles stored with the same text
    whose quotes came from another version of the extraction engine (extracted again),
    ``duplicates`` lists ``(source, stored article id)`` for every article whose text was already
    stored under another id (not added again), ``skipped`` lists ``(source, problem)`` for every
    input that could not be used, ``quotes_added`` the quotes written, ``parsed`` the texts that
    had to be parsed (the others came from the parse cache), ``seconds`` the wall time.

    Example:
        >>> report = IngestReport(added=1, replaced=0, unchanged=0, skipped=(), quotes_added=3)
        >>> print(report.summary())  # doctest: +NORMALIZE_WHITESPACE
        1 article added, 0 replaced, 0 unchanged, 0 re-extracted, 0 duplicates, 0 skipped;
        3 quotes added
    """

    added: int
    replaced: int
    unchanged: int
    skipped: tuple[tuple[str, str], ...]
    quotes_added: int
    parsed: int = 0
    batches: int = 0
    seconds: float = 0.0
    re_extracted: int = 0
    duplicates: tuple[tuple[str, str], ...] = ()

    def summary(self) -> str:
        """One line for people."""
        noun = "article" if self.added == 1 else "articles"
        quotes = "quote" if self.quotes_added == 1 else "quotes"
        copies = "duplicate" if len(self.duplicates) == 1 else "duplicates"
        return (
            f"{self.added} {noun} added, {self.replaced} replaced, {self.unchanged} unchanged, "
            f"{self.re_extracted} re-extracted, {len(self.duplicates)} {copies}, "
            f"{len(self.skipped)} skipped; {self.quotes_added} {quotes} added"
        )


ExtractFunction = Callable[[Sequence[tuple[str, str]]], dict[str, list[Quote]]]


def extract_chunk(
    items: Sequence[tuple[str, str]], *, nlp: NLP | None = None
) -> dict[str, list[Quote]]:
    """Extract the quotes of ``(key, text)`` pairs; returns key -> quotes (``doc`` = key).

    This is the per-article step of an ingest as a plain top-level function, so a process pool
    (``quotes ingest --workers N``) or a distributed engine (Ray's ``ray.remote``, Dask's
    ``client.map``) can map it over chunks of articles; the store writes stay in one process.

    Example:
        >>> found = extract_chunk([("k1", 'Wang Yi said: "We agree on every point."')])
        >>> found["k1"][0].text, found["k1"][0].speaker
        ('We agree on every point.', 'Wang Yi')
    """
    from quotes.extract import extract_texts

    per_item = extract_texts(list(items), nlp=nlp)
    return {key: list(found) for (key, _), found in zip(items, per_item, strict=True)}


def _progress_bar(total: int, enabled: bool) -> Any:
    if not enabled or total == 0:
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc="ingesting", unit="article")


@dataclass(frozen=True, slots=True)
class IngestPlan:
    """What an ingest will do with its articles before parsing anything.

    ``todo``: articles to write (new, changed, or stored with quotes from another extraction
    engine version); ``unchanged``: stored with the same text; ``duplicates``: ``(source,
    stored article id)`` of articles whose text is already stored (or given earlier in the same
    ingest) under another id; ``problems``: ``(source, problem)`` of inputs skipped.

    Example:
        >>> IngestPlan(todo=[], unchanged=2, duplicates=[], problems=[]).unchanged
        2
    """

    todo: list[Article]
    unchanged: int
    duplicates: list[tuple[str, str]]
    problems: list[tuple[str, str]]


def _first_of_each_id(
    articles: Sequence[Article], problems: list[tuple[str, str]]
) -> list[Article]:
    chosen: dict[str, Article] = {}
    for article in articles:
        earlier = chosen.get(article.id)
        if earlier is not None and earlier.content_hash != article.content_hash:
            problems.append(
                (
                    article.source or article.id,
                    f"article id {article.id!r} already given by {earlier.source}; "
                    "this copy is skipped",
                )
            )
            continue
        chosen[article.id] = article
    return list(chosen.values())


def plan_ingest(
    store: Store, articles: Sequence[Article], skipped: Sequence[tuple[str, str]] = ()
) -> IngestPlan:
    """Sort ``articles`` into what to write, what is unchanged and what duplicates a stored
    text (same text after normalising line endings and surrounding whitespace: see
    :func:`quotes.store.database.text_hash`).

    Example:
        >>> from quotes.sources import article_from_text
        >>> seed = tracker.articles()["article"][0]
        >>> copy = article_from_text(tracker.article_text(seed) + "\\n", name="pasted")
        >>> plan_ingest(tracker.store, [copy]).duplicates == [("pasted", seed)]
        True
    """
    problems = list(skipped)
    engine = engine_version()
    stored = store.stored_articles()
    owner_of_text = {a.text_hash: a.id for a in stored.values()}
    todo: list[Article] = []
    duplicates: list[tuple[str, str]] = []
    unchanged = 0
    for article in _first_of_each_id(articles, problems):
        normal = text_hash(article.text)
        before = stored.get(article.id)
        owner = owner_of_text.get(normal)
        if before is not None and before.text_hash == normal:
            if before.engine_version == engine:
                unchanged += 1
            else:
                todo.append(article)  # quotes from another engine: extract again
        elif owner is not None and owner != article.id:
            duplicates.append((article.source or article.id, owner))
        else:
            todo.append(article)
            owner_of_text[normal] = article.id
    return IngestPlan(todo=todo, unchanged=unchanged, duplicates=duplicates, problems=problems)


@dataclass(slots=True)
class _Tally:
    """What the batches of one ingest did, added up."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    re_extracted: int = 0
    quotes_added: int = 0
    parsed: int = 0
    batches: int = 0

    def count(self, result: BatchResult, parsed: int) -> None:
        self.added += result.added
        self.replaced += result.replaced
        self.unchanged += result.unchanged
        self.re_extracted += result.re_extracted
        self.quotes_added += result.quotes_added
        self.parsed += parsed
        self.batches += 1


def ingest_articles(
    store: Store,
    articles: Sequence[Article],
    *,
    skipped: Sequence[tuple[str, str]] = (),
    batch_size: int = DEFAULT_BATCH_SIZE,
    workers: int = 1,
    progress: bool = True,
    extract: ExtractFunction | None = None,
) -> IngestReport:
    """Add ``articles`` to ``store`` in atomic batches of ``batch_size`` articles.

    Articles already stored with the same text cost one lookup, and so do copies of a stored
    text under another id (reported as duplicates); texts found in the parse cache are not
    parsed; the others are parsed with ``extract`` (default :func:`extract_chunk`), over
    ``workers`` processes when more than one.

    Example:
        >>> from quotes.sources import article_from_text
        >>> with Store.open(new_store_path()) as store:
        ...     report = ingest_articles(store, [article_from_text(
        ...         'The mayor said: "The bridge opens in June."', name="bridge")], progress=False)
        >>> print(report.summary())  # doctest: +NORMALIZE_WHITESPACE
        1 article added, 0 replaced, 0 unchanged, 0 re-extracted, 0 duplicates, 0 skipped;
        1 quote added
    """
    started = time.perf_counter()
    plan = plan_ingest(store, articles, skipped)
    tally = _Tally(unchanged=plan.unchanged)
    bar = _progress_bar(len(plan.todo), progress)
    pool = (
        ProcessPoolExecutor(
            max_workers=workers,
            mp_context=_spawn(),
            initializer=_share_cores,
            initargs=(workers,),
        )
        if workers > 1
        else None
    )

    def write(job: _BatchJob) -> None:
        extracted = job.finish()
        fresh = {content_hash for content_hash, _ in job.missing}
        result = store.write_batch(job.batch, extracted, fresh_hashes=fresh, workers=workers)
        tally.count(result, len(job.missing))
        if bar is not None:
            bar.update(len(job.batch))

    try:
        # With workers, the next batch is being parsed while this one is written.
        depth = 2 if pool is not None else 1
        pending: deque[_BatchJob] = deque()
        for start in range(0, len(plan.todo), batch_size):
            batch = plan.todo[start : start + batch_size]
            pending.append(_start_batch(store, batch, extract or extract_chunk, pool, workers))
            if len(pending) >= depth:
                write(pending.popleft())
        while pending:
            write(pending.popleft())
    finally:
        if bar is not None:
            bar.close()
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return IngestReport(
        added=tally.added,
        replaced=tally.replaced,
        unchanged=tally.unchanged,
        skipped=tuple(plan.problems),
        quotes_added=tally.quotes_added,
        parsed=tally.parsed,
        batches=tally.batches,
        seconds=time.perf_counter() - started,
        re_extracted=tally.re_extracted,
        duplicates=tuple(plan.duplicates),
    )


def _share_cores(workers: int) -> None:
    """Give each of ``workers`` processes its share of the cores for PyTorch.

    Every process would otherwise start one PyTorch thread per core; N processes x all cores
    threads fight over the same cores and the parse gets slower, not faster.
    """
    import torch

    torch.set_num_threads(max(1, (os.cpu_count() or 1) // workers))


def _spawn() -> Any:
    import multiprocessing

    # A fresh interpreter per worker: forking a parent that holds PyTorch threads can deadlock.
    return multiprocessing.get_context("spawn")


@dataclass(slots=True)
class _BatchJob:
    """One batch on its way: quotes from the parse cache, and the parses still running."""

    batch: list[Article]
    extracted: dict[str, list[Quote]]
    missing: list[tuple[str, str]]
    futures: list[Future[dict[str, list[Quote]]]]

    def finish(self) -> dict[str, list[Quote]]:
        for future in self.futures:
            self.extracted.update(future.result())
        return self.extracted


def _start_batch(
    store: Store,
    batch: list[Article],
    extract: ExtractFunction,
    pool: ProcessPoolExecutor | None,
    workers: int,
) -> _BatchJob:
    """Look ``batch`` up in the parse cache and start parsing the rest (in the pool if any)."""
    extracted = store.cached_quotes(sorted({a.content_hash for a in batch}))
    pairs = [(a.content_hash, a.text) for a in batch if a.content_hash not in extracted]
    missing = list(dict(pairs).items())
    futures: list[Future[dict[str, list[Quote]]]] = []
    if missing and (pool is None or len(missing) == 1):
        extracted.update(extract(missing))
    elif missing and pool is not None:
        size = max(1, -(-len(missing) // workers))
        futures = [
            pool.submit(extract, missing[i : i + size]) for i in range(0, len(missing), size)
        ]
    return _BatchJob(batch, extracted, missing, futures)
