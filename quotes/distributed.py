"""Ingest on a Dask cluster: workers parse and extract, the driver writes the store.

The per-article step is :func:`quotes.store.extract_chunk`, a plain top-level function from
``[(key, text), ...]`` to ``{key: [Quote, ...]}``; each worker process loads the models once
(:func:`quotes.nlp.load_pipeline` is cached per process) and keeps them for every later chunk.
The store is single-writer, so results come back to the driver, which writes them through
:func:`quotes.store.ingest_articles` exactly as ``quotes ingest`` does: the same atomic batches,
the same parse cache by content hash, the same skipping of unchanged articles.

Every chunk is submitted up front, so the workers keep parsing while the driver writes the
batches that are done.

Install the optional engine with ``pip install 'quotes[distributed]'`` (Dask and
``distributed``). Point ``client`` at a running scheduler to use a cluster; every worker needs
``quotes`` installed and the same models (the bundled ones ship inside the project).

Example (a client on this process's threads; on a cluster, ``Client("tcp://scheduler:8786")``):
    >>> import tempfile
    >>> from dask.distributed import Client
    >>> from quotes.store import Store
    >>> with Client(processes=False, n_workers=1, threads_per_worker=1,
    ...             dashboard_address=None) as client:
    ...     with Store.open(tempfile.mkdtemp()) as store:
    ...         report = ingest_with_dask(["seeds/"], store, client=client, progress=False)
    >>> report.added
    5
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from quotes.errors import QuotesError
from quotes.records import Quote
from quotes.sources import Article, collect
from quotes.store import (
    DEFAULT_BATCH_SIZE,
    ExtractFunction,
    IngestReport,
    Store,
    extract_chunk,
    ingest_articles,
)
from quotes.store.ingest import plan_ingest

DEFAULT_CHUNK_SIZE = 8
"""Articles per task: large enough for the parser to batch sentences across articles, small
enough to spread a few hundred articles over many workers."""

__all__ = ["DEFAULT_CHUNK_SIZE", "DaskExtractor", "ingest_with_dask", "local_client"]


def _require_dask() -> Any:
    try:
        import dask.distributed
    except ImportError:
        raise QuotesError(
            "Dask is not installed: pip install 'quotes[distributed]' (or 'dask[distributed]')"
        ) from None
    return dask.distributed


@contextlib.contextmanager
def local_client(workers: int = 2, *, dashboard: bool = False) -> Iterator[Any]:
    """A Dask client on a throwaway cluster of ``workers`` processes on this machine.

    One thread per worker: PyTorch already uses the cores a process is given, and Dask's nanny
    sets ``OMP_NUM_THREADS=1`` so that ``workers`` processes do not fight over them.

    Example:
        >>> with local_client(1) as client:
        ...     len(client.scheduler_info()["workers"])
        1
    """
    distributed = _require_dask()
    cluster = distributed.LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0" if dashboard else None,
    )
    try:
        with distributed.Client(cluster) as client:
            yield client
    finally:
        cluster.close()


class DaskExtractor:
    """An extract function for :func:`quotes.store.ingest_articles` backed by Dask futures.

    :meth:`submit` sends every text to the cluster at once, in chunks; calling the object with
    a batch's ``(content_hash, text)`` pairs waits only for the chunks holding that batch.

    Example:
        >>> from dask.distributed import Client
        >>> with Client(processes=False, n_workers=1, threads_per_worker=1,
        ...             dashboard_address=None) as client:
        ...     extractor = DaskExtractor(client, chunk_size=4)
        ...     extractor.submit([("h1", 'Wang said, "We agree."')])
        ...     extractor([("h1", 'Wang said, "We agree."')])["h1"][0].text
        'We agree.'
    """

    def __init__(
        self,
        client: Any,
        *,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        extract: ExtractFunction = extract_chunk,
    ) -> None:
        if chunk_size < 1:
            raise ValueError(f"chunk_size must be at least 1, not {chunk_size}")
        self.client = client
        self.chunk_size = chunk_size
        self.extract = extract
        self._future_of: dict[str, Any] = {}

    def submit(self, items: Sequence[tuple[str, str]]) -> None:
        """Start extracting ``(key, text)`` pairs on the cluster (keys already sent are skipped)."""
        fresh = [(key, text) for key, text in dict(items).items() if key not in self._future_of]
        chunks = [fresh[i : i + self.chunk_size] for i in range(0, len(fresh), self.chunk_size)]
        # pure=False: two chunks with equal texts are still two tasks, and a re-run recomputes.
        futures = self.client.map(self.extract, chunks, pure=False)
        for chunk, future in zip(chunks, futures, strict=True):
            for key, _ in chunk:
                self._future_of[key] = future

    def __call__(self, items: Sequence[tuple[str, str]]) -> dict[str, list[Quote]]:
        self.submit(items)
        wanted = {key for key, _ in items}
        futures = {self._future_of[key].key: self._future_of[key] for key in wanted}
        found: dict[str, list[Quote]] = {}
        for part in self.client.gather(list(futures.values())):
            found.update({key: quotes for key, quotes in part.items() if key in wanted})
        for key in wanted:
            # Drop the reference so the cluster can free the result once every key is served.
            self._future_of.pop(key, None)
        return found

    def cancel(self) -> None:
        """Cancel what is still pending (after an error in the driver)."""
        pending = {future.key: future for future in self._future_of.values()}
        self._future_of.clear()
        if pending:
            self.client.cancel(list(pending.values()))


def ingest_with_dask(
    paths: str | Path | Iterable[str | Path],
    store: Store,
    client: Any = None,
    *,
    workers: int = 2,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: bool = True,
    extract: ExtractFunction = extract_chunk,
) -> IngestReport:
    """Ingest ``paths`` into ``store``, parsing on a Dask cluster and writing in this process.

    ``client`` is a ``dask.distributed.Client``; without one a local cluster of ``workers``
    processes is started and closed. Articles already stored unchanged, or whose text is in the
    parse cache, are not sent to the cluster. ``extract`` is the per-chunk step the workers run
    (default :func:`quotes.store.extract_chunk`); it must be importable on every worker.

    The module's docstring shows a run on the seeds.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    articles, problems = collect(paths)
    skipped = [(problem.source, problem.problem) for problem in problems]
    extractor_items = _texts_to_parse(store, articles)
    if client is None and extractor_items:
        with local_client(workers) as own_client:
            return _ingest(
                store,
                articles,
                skipped,
                extractor_items,
                own_client,
                chunk_size,
                batch_size,
                progress,
                extract,
            )
    return _ingest(
        store,
        articles,
        skipped,
        extractor_items,
        client,
        chunk_size,
        batch_size,
        progress,
        extract,
    )


def _texts_to_parse(store: Store, articles: Sequence[Article]) -> list[tuple[str, str]]:
    """``(content_hash, text)`` of what ingest_articles will ask to extract, in its order."""
    pending = {a.content_hash: a.text for a in plan_ingest(store, articles).todo}
    cached = store.cached_quotes(sorted(pending))
    return [(h, t) for h, t in pending.items() if h not in cached]


def _ingest(
    store: Store,
    articles: list[Article],
    skipped: list[tuple[str, str]],
    items: list[tuple[str, str]],
    client: Any,
    chunk_size: int,
    batch_size: int,
    progress: bool,
    extract: ExtractFunction,
) -> IngestReport:
    if client is None:
        # Nothing to parse (all stored or cached): no cluster needed; extract is never called.
        return ingest_articles(
            store,
            articles,
            skipped=skipped,
            batch_size=batch_size,
            progress=progress,
            extract=extract,
        )
    extractor = DaskExtractor(client, chunk_size=chunk_size, extract=extract)
    # Everything is submitted now, in the order ingest_articles will ask for it, so the workers
    # keep parsing the next batches while this process writes the finished ones.
    extractor.submit(items)
    try:
        return ingest_articles(
            store,
            articles,
            skipped=skipped,
            batch_size=batch_size,
            workers=1,
            progress=progress,
            extract=extractor,
        )
    finally:
        extractor.cancel()
