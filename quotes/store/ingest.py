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
from quotes.store.database import DEFAULT_BATCH_SIZE, Store

if TYPE_CHECKING:
    from quotes.nlp import NLP


@dataclass(frozen=True, slots=True)
class IngestReport:
    """The outcome of one ingest.

    ``added``/``replaced``/``unchanged`` count articles (new; stored before with another text;
    stored before with the same text), ``skipped`` lists ``(source, problem)`` for every input
    that could not be used, ``quotes_added`` the quotes written, ``parsed`` the texts that had to
    be parsed (the others came from the parse cache), ``seconds`` the wall time.

    Example:
        >>> IngestReport(added=1, replaced=0, unchanged=0, skipped=(), quotes_added=3).summary()
        '1 article added, 0 replaced, 0 unchanged, 0 skipped; 3 quotes added'
    """

    added: int
    replaced: int
    unchanged: int
    skipped: tuple[tuple[str, str], ...]
    quotes_added: int
    parsed: int = 0
    batches: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        """One line for people."""
        noun = "article" if self.added == 1 else "articles"
        return (
            f"{self.added} {noun} added, {self.replaced} replaced, {self.unchanged} unchanged, "
            f"{len(self.skipped)} skipped; {self.quotes_added} quotes added"
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
        >>> found = extract_chunk([("k1", 'Wang said, "We agree."')])     # doctest: +SKIP
        >>> found["k1"][0].text                                          # doctest: +SKIP
        'We agree.'
    """
    from quotes.extract import extract_texts

    per_item = extract_texts(list(items), nlp=nlp)
    return {key: list(found) for (key, _), found in zip(items, per_item, strict=True)}


def _progress_bar(total: int, enabled: bool) -> Any:
    if not enabled or total == 0:
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc="ingesting", unit="article")


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

    Articles already stored with the same text cost one lookup; texts found in the parse cache
    are not parsed; the others are parsed with ``extract`` (default :func:`extract_chunk`), over
    ``workers`` processes when more than one.

    Example:
        >>> ingest_articles(store, [article_from_text("Hi.", name="a")]).added  # doctest: +SKIP
        1
    """
    started = time.perf_counter()
    extract = extract or extract_chunk
    problems = list(skipped)
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
    stored = store.stored_hashes()
    unchanged = sum(1 for a in chosen.values() if stored.get(a.id) == a.content_hash)
    todo = [a for a in chosen.values() if stored.get(a.id) != a.content_hash]
    added = replaced = quotes_added = parsed = batches = 0
    bar = _progress_bar(len(todo), progress)
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
        nonlocal added, replaced, unchanged, quotes_added, parsed, batches
        extracted = job.finish()
        fresh = {content_hash for content_hash, _ in job.missing}
        result = store.write_batch(job.batch, extracted, fresh_hashes=fresh)
        added += result.added
        replaced += result.replaced
        unchanged += result.unchanged
        quotes_added += result.quotes_added
        parsed += len(job.missing)
        batches += 1
        if bar is not None:
            bar.update(len(job.batch))

    try:
        # With workers, the next batch is being parsed while this one is written (writing
        # re-clusters the store, and the workers would otherwise wait for it).
        depth = 2 if pool is not None else 1
        pending: deque[_BatchJob] = deque()
        for start in range(0, len(todo), batch_size):
            batch = todo[start : start + batch_size]
            pending.append(_start_batch(store, batch, extract, pool, workers))
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
        added=added,
        replaced=replaced,
        unchanged=unchanged,
        skipped=tuple(problems),
        quotes_added=quotes_added,
        parsed=parsed,
        batches=batches,
        seconds=time.perf_counter() - started,
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
