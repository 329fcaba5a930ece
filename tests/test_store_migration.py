"""Schema 2 over older stores, and the extraction engine version: nothing stored is lost.

A version 1 store (the schema as it was, written here with plain SQL) is migrated when opened:
new columns are added with their values, the derived tables are computed again, and the API
answers from it. An article whose quotes came from another engine version is extracted again on
the next ingest, and its corrections follow it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from app_support import use_local_models

from quotes.api import Tracker
from quotes.errors import StoreError
from quotes.store import DB_NAME, SCHEMA_VERSION, Store
from quotes.store.database import engine_version
from quotes.store.schema import ADDED_COLUMNS

V1_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL,
    title TEXT, url TEXT, publisher TEXT, published TEXT,
    source TEXT, n_chars INTEGER NOT NULL, ingested_at TEXT NOT NULL,
    batch INTEGER NOT NULL, text TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS parse_cache (
    content_hash TEXT PRIMARY KEY,
    quotes_json TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS quotes (
    quote_id TEXT PRIMARY KEY,
    article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    kind TEXT NOT NULL, text TEXT NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, spans TEXT NOT NULL,
    cue TEXT, cue_start INTEGER, cue_end INTEGER,
    speaker TEXT, speaker_mention TEXT, speaker_start INTEGER, speaker_end INTEGER,
    speaker_type TEXT NOT NULL, role TEXT,
    outlet TEXT, outlet_start INTEGER, outlet_end INTEGER,
    sentence_index INTEGER, issues TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS quotes_article ON quotes(article);
CREATE TABLE IF NOT EXISTS links (
    quote_id TEXT PRIMARY KEY REFERENCES quotes(quote_id) ON DELETE CASCADE,
    cluster_id TEXT NOT NULL,
    is_reference INTEGER NOT NULL,
    drift REAL NOT NULL,
    speaker TEXT
);
CREATE INDEX IF NOT EXISTS links_cluster ON links(cluster_id);
CREATE TABLE IF NOT EXISTS speakers (
    speaker TEXT PRIMARY KEY,
    speaker_type TEXT NOT NULL,
    variants TEXT NOT NULL,
    roles TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS batches (
    batch INTEGER PRIMARY KEY,
    committed_at TEXT NOT NULL,
    articles TEXT NOT NULL
);
"""

ROOT = Path(__file__).resolve().parent.parent
BUNDLED_DEPPARSE = ROOT / "data" / "models" / "en" / "depparse"


@pytest.fixture(scope="module")
def models() -> Iterator[None]:
    """Parse with the bundled models, else the shared Stanza ones (or skip)."""
    with pytest.MonkeyPatch.context() as patch:
        use_local_models(patch)
        yield


TEXT = (
    'Harbour master Ines Varga said: "The north berth will reopen before the summer." '
    "Crews welcomed the news.\r\n"
)
QUOTE = "The north berth will reopen before the summer."


def write_v1_store(folder: Path) -> Path:
    """A store as quotes wrote it before schema 2: one article, one quote, its link."""
    folder.mkdir(parents=True)
    db = sqlite3.connect(folder / DB_NAME)
    db.executescript(V1_SCHEMA)
    digest = hashlib.sha256(TEXT.encode("utf-8")).hexdigest()
    start = TEXT.index(QUOTE)
    db.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    db.execute(
        "INSERT INTO articles VALUES ('berth', ?, 'Berth', NULL, 'Harbour Times', '2025-03-01', "
        "'berth.txt', ?, '2025-03-01T10:00:00.000+00:00', 1, ?)",
        (digest, len(TEXT), TEXT),
    )
    db.execute(
        "INSERT INTO quotes VALUES ('q-00000000000000aa', 'berth', 'direct', ?, ?, ?, ?, 'said', "
        "NULL, NULL, 'Ines Varga', 'Ines Varga', 0, 10, 'person', 'Harbour master', NULL, NULL, "
        "NULL, 0, '[]')",
        (QUOTE, start, start + len(QUOTE), json.dumps([[start, start + len(QUOTE)]])),
    )
    db.execute("INSERT INTO links VALUES ('q-00000000000000aa', 'u-old', 1, 0.0, 'Ines Varga')")
    db.execute("INSERT INTO batches VALUES (1, '2025-03-01T10:00:00', '[\"berth\"]')")
    db.commit()
    db.close()
    return folder


def test_a_version_1_store_is_migrated_without_losing_anything(tmp_path: Path) -> None:
    folder = write_v1_store(tmp_path / "old")
    with Tracker.open(folder) as tracker:
        quotes = tracker.quotes()
        assert quotes["quote_id"].to_list() == ["q-00000000000000aa"]
        row = quotes.row(0, named=True)
        assert (row["text"], row["speaker"], row["role"]) == (QUOTE, "Ines Varga", "Harbour master")
        assert row["confidence"] == 0.0 and row["rules"] == [] and not row["speaker_resolved"]
        assert row["cluster_id"] != "u-old"  # the derived tables were computed again
        assert tracker.article_text("berth") == TEXT
        assert tracker.clusters().height == 1
    db = sqlite3.connect(folder / DB_NAME)
    version = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
    assert int(version) == SCHEMA_VERSION == 2
    for table, column, _ in ADDED_COLUMNS:
        assert column in {r[1] for r in db.execute(f"PRAGMA table_info({table})")}, column
    text_hash, engine = db.execute("SELECT text_hash, engine_version FROM articles").fetchone()
    assert text_hash is not None and engine is None  # which engine wrote it is unknown
    assert db.execute("SELECT seq FROM quotes").fetchone()[0] > 0
    assert db.execute("SELECT count(*) FROM block_keys").fetchone()[0] > 0
    db.close()
    with Store.open(folder) as store:  # opening again writes nothing
        assert store.counts()["batches"] == 1


def test_a_failed_migration_leaves_the_old_store_as_it_was(tmp_path: Path) -> None:
    folder = write_v1_store(tmp_path / "old")
    db = sqlite3.connect(folder / DB_NAME)
    db.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    db.commit()
    db.close()

    def content() -> list[str]:
        with contextlib.closing(sqlite3.connect(folder / DB_NAME)) as db:
            return list(db.iterdump())

    before = content()
    with pytest.raises(StoreError, match="newer quotes"):
        Store.open(folder)
    assert content() == before


def test_quotes_from_another_engine_are_extracted_again(tmp_path: Path, models: None) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "berth.txt").write_text(TEXT, encoding="utf-8")
    with Tracker.open(tmp_path / "store") as tracker:
        first = tracker.ingest([inputs], progress=False)
        assert first.added == 1 and first.quotes_added >= 1
        quote = tracker.quotes()["quote_id"][0]
        fix = tracker.correct_speaker(quote, "Ines Varga (harbour master)")
        # As if an older engine had extracted it: the next ingest extracts it again.
        with tracker.store.write() as db:
            db.execute("UPDATE articles SET engine_version = 'older'")
            db.execute("UPDATE parse_cache SET engine_version = 'older'")
        again = tracker.ingest([inputs], progress=False)
        assert (again.added, again.unchanged, again.re_extracted, again.parsed) == (0, 0, 1, 1)
        assert "1 re-extracted" in again.summary()
        assert tracker.quotes().filter(pl.col("quote_id") == quote)["speaker"].to_list() == [
            "Ines Varga (harbour master)"
        ]
        assert tracker.corrections()["correction_id"].to_list() == [fix.correction_id]
        third = tracker.ingest([inputs], progress=False)
        assert (third.unchanged, third.re_extracted, third.parsed) == (1, 0, 0)
        with tracker.store.read() as db:
            engines = {r[0] for r in db.execute("SELECT engine_version FROM articles")}
        assert engines == {engine_version()}
