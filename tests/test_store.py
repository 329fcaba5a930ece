"""The store with real parsing: incremental, atomic batches, survives SIGKILL and Ctrl-C.

Parsing uses the bundled models when they are trained (data/models/en/depparse), else the
official Stanza tokenizer in ../shared/stanza_resources (extraction degrades but works).
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from quotes.api import Tracker
from quotes.errors import StoreError
from quotes.records import Quote
from quotes.sources import article_from_text
from quotes.store import DB_NAME, SCHEMA_VERSION, Store

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
BUNDLED_DEPPARSE = ROOT / "data" / "models" / "en" / "depparse"
SHARED_STANZA = ROOT.parent / "shared" / "stanza_resources"
STORIES = 16  # enough that a signal after the second batch lands mid-ingest


def parsing_env() -> dict[str, str]:
    """The environment that parses with the best models present (or skips the test)."""
    env = dict(os.environ)
    if BUNDLED_DEPPARSE.is_dir():
        env.pop("QUOTES_STANZA_DIR", None)
    elif SHARED_STANZA.is_dir():
        env["QUOTES_STANZA_DIR"] = str(SHARED_STANZA)
    else:
        pytest.skip("no Stanza models: neither data/models nor ../shared/stanza_resources")
    return env


@pytest.fixture(scope="module")
def models() -> Iterator[dict[str, str]]:
    env = parsing_env()
    with pytest.MonkeyPatch.context() as patch:
        if "QUOTES_STANZA_DIR" in env:
            patch.setenv("QUOTES_STANZA_DIR", env["QUOTES_STANZA_DIR"])
        else:
            patch.delenv("QUOTES_STANZA_DIR", raising=False)
        yield env


def story(number: int) -> str:
    """A small article in our own words, different for each number."""
    return (
        f'Harbour master Ines Varga{number} said on Monday that "berth {number} will reopen '
        f'before the summer." The port authority added that repairs to wall {number} were '
        f"ahead of schedule.\n\nFishing crews, who have waited {number} weeks, welcomed the "
        "news, according to the Harbour Times."
    )


def write_stories(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        (folder / f"story-{number:03d}.txt").write_text(story(number), encoding="utf-8")
    return folder


def check_consistent(store_dir: Path) -> tuple[set[str], int]:
    """The store holds whole batches only: its articles are exactly those the committed batches
    list, each with exactly the quotes its cached extraction has, every quote clustered."""
    db = sqlite3.connect(store_dir / DB_NAME)
    try:
        batched: set[str] = set()
        for (names,) in db.execute("SELECT articles FROM batches"):
            batched.update(json.loads(names))
        stored = {row[0] for row in db.execute("SELECT id FROM articles")}
        assert stored == batched
        for article, content_hash in db.execute("SELECT id, content_hash FROM articles"):
            cached = db.execute(
                "SELECT quotes_json FROM parse_cache WHERE content_hash = ?", (content_hash,)
            ).fetchone()
            assert cached is not None, article
            n_stored = db.execute(
                "SELECT count(*) FROM quotes WHERE article = ?", (article,)
            ).fetchone()[0]
            assert n_stored == len(json.loads(cached[0])), article
        unlinked = db.execute(
            "SELECT count(*) FROM quotes q LEFT JOIN links l ON l.quote_id = q.quote_id "
            "WHERE l.quote_id IS NULL"
        ).fetchone()[0]
        assert unlinked == 0
        n_quotes = db.execute("SELECT count(*) FROM quotes").fetchone()[0]
        return stored, n_quotes
    finally:
        db.close()


def test_ingest_seeds_then_reingest_parses_nothing(models: dict[str, str], tmp_path: Path) -> None:
    with Tracker.open(tmp_path / "store") as tracker:
        first = tracker.ingest([SEEDS], progress=False)
        assert (first.added, first.replaced, first.unchanged, first.skipped) == (5, 0, 0, ())
        assert first.parsed == 5 and first.quotes_added > 0
        quotes = tracker.quotes()
        assert quotes.height == first.quotes_added
        for row in quotes.iter_rows(named=True):
            text = tracker.article_text(row["article"])
            assert text[row["start"] : row["end"]] == row["text"]
            assert row["cluster_id"] is not None
        again = tracker.ingest([SEEDS], progress=False)
        assert (again.added, again.replaced, again.unchanged, again.parsed) == (0, 0, 5, 0)
        assert again.quotes_added == 0 and again.batches == 0
        assert tracker.quotes()["quote_id"].to_list() == quotes["quote_id"].to_list()
    check_consistent(tmp_path / "store")


def test_changed_article_replaces_its_quotes(models: dict[str, str], tmp_path: Path) -> None:
    before = 'Mayor Lena Holt said, "The bridge opens in June." Officials agreed.'
    after = 'Mayor Lena Holt said, "The tunnel opens in July." Officials agreed.'
    with Tracker.open(tmp_path / "store") as tracker:
        tracker.ingest_texts([article_from_text(before, name="city.txt")])
        old = tracker.quotes()
        report = tracker.ingest_texts([article_from_text(after, name="city.txt")])
        assert (report.added, report.replaced, report.unchanged) == (0, 1, 0)
        new = tracker.quotes()
        assert tracker.articles()["article"].to_list() == ["city"]
        assert not set(old["quote_id"]) & set(new["quote_id"])
        assert all("bridge" not in text for text in new["text"])
        assert any("tunnel" in text for text in new["text"])


def test_same_text_pasted_again_is_a_duplicate_whatever_its_id(
    models: dict[str, str], tmp_path: Path
) -> None:
    text = 'The coach, Ada Moss, said: "We played our best game." Fans cheered.'
    pasted = "\r\n  " + text.replace(". ", ".\r\n", 1) + "\n\n"
    assert pasted != text
    with Tracker.open(tmp_path / "store") as tracker:
        first = tracker.ingest_texts([article_from_text(text, name="match-report")])
        # The same text again, under another id and with Windows line endings; and the same
        # article given twice in one ingest.
        again = tracker.ingest_texts(
            [
                article_from_text(pasted, name="match-report-copy"),
                article_from_text(text.replace("Fans", "Supporters"), name="other"),
                article_from_text(text.replace("Fans", "Supporters"), name="other-copy"),
            ]
        )
        assert first.added == 1 and first.quotes_added >= 1
        assert (again.added, len(again.duplicates)) == (1, 2)
        assert again.duplicates == (("match-report-copy", "match-report"), ("other-copy", "other"))
        assert "2 duplicates" in again.summary()
        assert sorted(tracker.articles()["article"]) == ["match-report", "other"]
        statement = tracker.quotes().filter(pl.col("article") == "match-report")
        assert tracker.variants(statement["quote_id"][0]).height <= 2  # not a third copy


def test_text_seen_before_comes_from_the_parse_cache(
    models: dict[str, str], tmp_path: Path
) -> None:
    before = 'Mayor Lena Holt said, "The bridge opens in June." Officials agreed.'
    after = 'Mayor Lena Holt said, "The tunnel opens in July." Officials agreed.'
    with Tracker.open(tmp_path / "store") as tracker:
        reports = [
            tracker.ingest_texts([article_from_text(version, name="city")])
            for version in (before, after, before)
        ]
        assert [r.parsed for r in reports] == [1, 1, 0]
        assert [r.replaced for r in reports] == [0, 1, 1]
        assert reports[2].quotes_added == reports[0].quotes_added


def test_failed_batch_leaves_store_as_before(tmp_path: Path) -> None:
    """A batch that fails half-way (here: a quote the database refuses) is rolled back whole."""
    good = article_from_text("The first article.", name="first")
    with Store.open(tmp_path / "store") as store:
        store.write_batch([good], {good.content_hash: []}, fresh_hashes={good.content_hash})
        before = store.counts()
        second = article_from_text("A second article.", name="second")
        third = article_from_text("A third article.", name="third")
        broken = Quote(doc="x", start=0, end=1, text=None, spans=((0, 1),), kind="direct")  # type: ignore[arg-type]
        with pytest.raises(sqlite3.IntegrityError):
            store.write_batch(
                [second, third],
                {second.content_hash: [], third.content_hash: [broken]},
                fresh_hashes={second.content_hash},
            )
        assert store.counts() == before
        assert store.stored_hashes() == {"first": good.content_hash}
        assert store.cached_quotes([second.content_hash]) == {}


def test_not_a_store_and_newer_schema_are_clear_errors(tmp_path: Path) -> None:
    folder = tmp_path / "junk"
    folder.mkdir()
    (folder / DB_NAME).write_bytes(b"this is not a database at all, just some bytes" * 20)
    with pytest.raises(StoreError, match="is not a usable quotes store"):
        Store.open(folder)
    Store.open(tmp_path / "ok").close()
    db = sqlite3.connect(tmp_path / "ok" / DB_NAME)
    db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="newer quotes"):
        Store.open(tmp_path / "ok")


def _start_ingest(inputs: Path, store_dir: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "quotes",
            "ingest",
            str(inputs),
            "--store",
            str(store_dir),
            "--batch-size",
            "1",
            "--no-progress",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _committed_batches(store_dir: Path) -> int:
    try:
        db = sqlite3.connect(f"file:{store_dir / DB_NAME}?mode=ro", uri=True, timeout=5)
    except sqlite3.OperationalError:
        return 0
    try:
        return int(db.execute("SELECT count(*) FROM batches").fetchone()[0])
    except sqlite3.OperationalError:
        return 0  # schema not created yet
    finally:
        db.close()


def _wait_for_batches(process: subprocess.Popen[bytes], store_dir: Path, wanted: int) -> None:
    deadline = time.monotonic() + 300
    while _committed_batches(store_dir) < wanted:
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        assert time.monotonic() < deadline, "the ingest never committed a batch"
        time.sleep(0.02)


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_interrupted_ingest_keeps_whole_batches_and_rerun_completes(
    tmp_path: Path, stop: signal.Signals
) -> None:
    env = parsing_env()
    inputs = write_stories(tmp_path / "inputs", STORIES)
    store_dir = tmp_path / "store"
    process = _start_ingest(inputs, store_dir, env)
    try:
        _wait_for_batches(process, store_dir, 2)
        # A reader during the ingest sees whole batches and never fails.
        with Tracker.open(store_dir) as reader:
            seen = reader.articles().height
            assert seen >= 2
            assert reader.quotes()["article"].n_unique() <= seen
        process.send_signal(stop)
        code = process.wait(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    if stop == signal.SIGINT:
        assert code == 130
        assert b"interrupted" in (process.stderr.read() if process.stderr else b"")
    else:
        assert code == -signal.SIGKILL
    stored, _ = check_consistent(store_dir)
    assert 2 <= len(stored) < STORIES, "the signal should land in the middle of the ingest"

    rerun = subprocess.run(
        [
            sys.executable,
            "-m",
            "quotes",
            "ingest",
            str(inputs),
            "--store",
            str(store_dir),
            "--no-progress",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert rerun.returncode == 0, rerun.stderr
    added = STORIES - len(stored)
    assert (
        f"{added} article{'s' if added > 1 else ''} added, 0 replaced, {len(stored)} unchanged"
        in (rerun.stdout)
    )
    complete, n_quotes = check_consistent(store_dir)
    assert len(complete) == STORIES
    db = sqlite3.connect(store_dir / DB_NAME)
    per_article = dict(db.execute("SELECT article, count(*) FROM quotes GROUP BY article"))
    texts = db.execute("SELECT count(DISTINCT text || article) FROM quotes").fetchone()[0]
    db.close()
    assert texts == n_quotes  # no quote stored twice
    assert len(set(per_article.values())) == 1  # every story has the same shape, so the same count


@pytest.mark.slow
def test_parallel_workers_give_the_same_store(models: dict[str, str], tmp_path: Path) -> None:
    inputs = write_stories(tmp_path / "inputs", 6)
    answers = []
    for workers in (1, 2):
        with Tracker.open(tmp_path / f"store-{workers}") as tracker:
            # Three batches: with workers, the next is parsed while the previous one is written.
            report = tracker.ingest([inputs], progress=False, workers=workers, batch_size=2)
            assert (report.added, report.parsed, report.batches, report.skipped) == (6, 6, 3, ())
            answers.append(tracker.quotes())
    assert answers[0].equals(answers[1])
    assert answers[0].height > 0
