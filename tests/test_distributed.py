"""Ingest on Dask (quotes.distributed): same store as a plain ingest, cache and re-runs honoured.

The fast tests run Dask's scheduler and workers inside this process with the regex sentence
splitter of quotes.extract (no models); the slow one starts a LocalCluster of two worker
processes that load the real models, as a cluster would.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

pytest.importorskip("dask.distributed")

from dask.distributed import Client, LocalCluster

from quotes.distributed import DaskExtractor, ingest_with_dask, local_client
from quotes.extract import extract_quotes, simple_parse
from quotes.records import Quote
from quotes.sources import collect
from quotes.store import Store, ingest_articles

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
BUNDLED_DEPPARSE = ROOT / "data" / "models" / "en" / "depparse"
SHARED_STANZA = ROOT.parent / "shared" / "stanza_resources"


def regex_extract(items: Sequence[tuple[str, str]]) -> dict[str, list[Quote]]:
    """The per-chunk step with the regex sentence splitter: real extraction, no models."""
    return {key: extract_quotes(simple_parse(text), doc_id=key) for key, text in items}


def write_stories(folder: Path, count: int) -> list[Path]:
    """Small articles in our own words, each different."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"story{n:02d}.txt"
        path.write_text(
            f'Ferry pilot Odile Marchetti{n} said on Tuesday that "crossing {n} will run '
            f'twice a day from May." The harbour board added that pier {n} needs new lights.\n\n'
            f'"We are not worried about the weather," Marchetti{n} told reporters.',
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def stored_quotes(store: Store) -> list[tuple[object, ...]]:
    return store.query(
        'SELECT article, kind, text, start, "end", speaker, cue FROM quotes '
        'ORDER BY article, start, "end", kind'
    )


@pytest.fixture(scope="module")
def in_process_client() -> Iterator[Client]:
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def test_dask_ingest_stores_what_a_plain_ingest_stores(
    in_process_client: Client, tmp_path: Path
) -> None:
    paths = write_stories(tmp_path / "in", 11)
    with Store.open(tmp_path / "dask") as dask_store, Store.open(tmp_path / "plain") as plain:
        # chunk 3, batch 4: batches straddle chunks, the last of each is partial.
        report = ingest_with_dask(
            paths,
            dask_store,
            client=in_process_client,
            chunk_size=3,
            batch_size=4,
            progress=False,
            extract=regex_extract,
        )
        articles, _ = collect(paths)
        expected = ingest_articles(
            plain, articles, batch_size=4, progress=False, extract=regex_extract
        )
        assert (report.added, report.parsed, report.batches) == (11, 11, 3)
        assert report.quotes_added == expected.quotes_added > 11
        assert stored_quotes(dask_store) == stored_quotes(plain)


def test_reingest_and_renamed_copies_send_nothing_to_the_cluster(
    in_process_client: Client, tmp_path: Path
) -> None:
    paths = write_stories(tmp_path / "in", 4)
    with Store.open(tmp_path / "store") as store:
        first = ingest_with_dask(
            paths, store, client=in_process_client, progress=False, extract=regex_extract
        )
        again = ingest_with_dask(
            paths, store, client=in_process_client, progress=False, extract=regex_extract
        )
        copy = tmp_path / "copy" / "renamed.txt"
        copy.parent.mkdir()
        copy.write_text(paths[0].read_text(encoding="utf-8"), encoding="utf-8")
        renamed = ingest_with_dask(
            [copy], store, client=None, progress=False, extract=regex_extract
        )
        assert (first.added, first.parsed) == (4, 4)
        assert (again.added, again.unchanged, again.parsed) == (0, 4, 0)
        # Same text under a new id: a duplicate, not added, and no cluster is even started.
        assert (renamed.added, renamed.parsed, len(renamed.duplicates)) == (0, 0, 1)
        assert renamed.quotes_added == 0 and renamed.duplicates[0][1] == paths[0].stem


def test_bad_files_are_reported_and_the_rest_ingested(
    in_process_client: Client, tmp_path: Path
) -> None:
    paths = write_stories(tmp_path / "in", 2)
    empty = tmp_path / "in" / "empty.txt"
    empty.write_text("", encoding="utf-8")
    with Store.open(tmp_path / "store") as store:
        report = ingest_with_dask(
            [*paths, empty], store, client=in_process_client, progress=False, extract=regex_extract
        )
    assert report.added == 2
    assert [source for source, _ in report.skipped] == [str(empty)]


def test_extractor_serves_each_batch_from_its_chunks(in_process_client: Client) -> None:
    texts = [(f"k{n}", f'Minister Adaeze Obi{n} said, "Harvest {n} was late."') for n in range(5)]
    extractor = DaskExtractor(in_process_client, chunk_size=2, extract=regex_extract)
    extractor.submit(texts)
    first = extractor(texts[3:])
    rest = extractor(texts[:3])
    assert sorted(first) == ["k3", "k4"]
    assert sorted(rest) == ["k0", "k1", "k2"]
    assert rest["k1"][0].text == "Harvest 1 was late."
    with pytest.raises(ValueError, match="chunk_size"):
        DaskExtractor(in_process_client, chunk_size=0)


@pytest.mark.slow
def test_local_cluster_of_processes_with_real_models(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if BUNDLED_DEPPARSE.is_dir():
        monkeypatch.delenv("QUOTES_STANZA_DIR", raising=False)
    elif SHARED_STANZA.is_dir():
        monkeypatch.setenv("QUOTES_STANZA_DIR", str(SHARED_STANZA))
    else:
        pytest.skip("no Stanza models: neither data/models nor ../shared/stanza_resources")
    # Workers are spawned with this environment, so they load the same models as this process.
    assert os.environ.get("QUOTES_STANZA_DIR") == (
        None if BUNDLED_DEPPARSE.is_dir() else str(SHARED_STANZA)
    )
    from quotes.api import Tracker

    with Store.open(tmp_path / "dask") as store, local_client(2) as client:
        report = ingest_with_dask([SEEDS], store, client=client, chunk_size=2, progress=False)
        assert len(client.scheduler_info()["workers"]) == 2
        dask_rows = stored_quotes(store)
    with Tracker.open(tmp_path / "plain") as tracker:
        expected = tracker.ingest([SEEDS], progress=False)
        plain_rows = stored_quotes(tracker.store)
    assert report.added == expected.added == 5
    assert report.quotes_added == expected.quotes_added > 0
    assert dask_rows == plain_rows
