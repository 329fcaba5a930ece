"""The Tracker API on a real store holding the seeds: queries, schemas, exports read back."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from app_support import use_local_models
from polars.testing import assert_frame_equal

from quotes import tables
from quotes.api import Tracker
from quotes.errors import InputError
from quotes.sources import article_from_text

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
BUNDLED_DEPPARSE = ROOT / "data" / "models" / "en" / "depparse"
needs_bundled_models = pytest.mark.skipif(
    not BUNDLED_DEPPARSE.is_dir(), reason="bundled models not trained yet (data/models/en)"
)

DATED = (
    'Mayor Lena Holt said on Friday that "the night buses will run every ten minutes," '
    "according to the City Courier. Transport officials added that two new routes would open."
)


@pytest.fixture(scope="module")
def tracker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tracker]:
    with pytest.MonkeyPatch.context() as patch:
        use_local_models(patch)
        store = tmp_path_factory.mktemp("api") / "store"
        with Tracker.open(store) as opened:
            opened.ingest([SEEDS], progress=False)
            opened.ingest_texts(
                [
                    article_from_text(
                        DATED,
                        name="night-buses.txt",
                        title="Night buses",
                        publisher="City Courier",
                        published="2024-11-02",
                    )
                ]
            )
            # One correction made and undone: on record, with no effect on the answers.
            pin = opened.pin_reference(opened.quotes()["quote_id"][0], author="test")
            opened.undo_correction(pin.correction_id)
            yield opened


def test_every_answer_has_its_declared_schema(tracker: Tracker) -> None:
    for name in tables.TABLE_NAMES:
        frame = tracker.table(name)
        assert frame.schema == tables.SCHEMAS[name], name
        assert frame.height > 0, name
    assert tracker.who_said("night buses every ten minutes").schema == tables.SCHEMAS["who_said"]
    assert tracker.variants(tracker.quotes()["quote_id"][0]).schema == tables.SCHEMAS["variants"]
    with pytest.raises(InputError, match="unknown table"):
        tracker.table("nonsense")


def test_articles_and_metadata_reach_every_quote(tracker: Tracker) -> None:
    articles = tracker.articles()
    assert articles.height == 6
    assert set(articles["article"]) >= {p.stem for p in SEEDS.glob("*.txt")}
    night = tracker.quotes().filter(pl.col("article") == "night-buses")
    assert night.height >= 1
    assert set(night["publisher"]) == {"City Courier"}
    assert set(night["title"]) == {"Night buses"}
    assert set(night["published"]) == {date(2024, 11, 2)}
    assert articles.filter(pl.col("article") == "night-buses")["n_quotes"][0] == night.height


def test_quote_filters(tracker: Tracker) -> None:
    everything = tracker.quotes()
    named = everything.filter(pl.col("speaker").is_not_null())
    speaker = named["speaker"][0]
    by_speaker = tracker.quotes(speaker=speaker.upper()[1:])
    assert by_speaker.height >= 1
    assert all(speaker.upper()[1:] in s.upper() for s in by_speaker["speaker"])
    assert tracker.quotes(since="2024-11-01")["article"].unique().to_list() == ["night-buses"]
    assert tracker.quotes(since=date(2030, 1, 1)).height == 0
    assert tracker.quotes(outlet="courier")["article"].unique().to_list() == ["night-buses"]
    for kind in ("direct", "indirect"):
        assert set(tracker.quotes(kind=kind)["kind"]) <= {kind}
    cluster = everything["cluster_id"][0]
    assert set(tracker.quotes(cluster=cluster)["cluster_id"]) == {cluster}
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        tracker.quotes(since="last week")


def test_clusters_variants_and_drift(tracker: Tracker) -> None:
    quotes = tracker.quotes()
    clusters = tracker.clusters()
    assert clusters["n_versions"].sum() == quotes.height
    assert clusters["cluster_id"].n_unique() == clusters.height
    assert clusters.filter(pl.col("max_drift") > 1).height == 0
    several = tracker.clusters(min_versions=2)
    assert several.height >= 1 and several["n_versions"].min() >= 2
    top = several.row(0, named=True)
    versions = tracker.variants(top["cluster_id"])
    assert versions.height == top["n_versions"]
    assert versions["is_reference"].to_list() == [True] + [False] * (versions.height - 1)
    assert versions["quote_id"][0] == top["reference_quote_id"]
    assert versions["drift"][0] == 0.0
    assert versions["drift"].max() == pytest.approx(top["max_drift"])
    assert_frame_equal(tracker.variants(versions["quote_id"][-1]), versions)
    drift = tracker.cluster_drift(top["cluster_id"])
    assert drift.reference_id == top["reference_quote_id"]
    assert [v.version.id for v in drift.versions] == versions["quote_id"].to_list()
    with pytest.raises(InputError, match="no quote or cluster"):
        tracker.variants("u-missing")


def test_who_said_finds_a_statement_and_all_its_versions(tracker: Tracker) -> None:
    several = tracker.clusters(min_versions=2).row(0, named=True)
    reference = several["reference"]
    words = reference.split()
    phrase = " ".join(words[: min(len(words), 6)]).upper()  # case and punctuation do not matter
    found = tracker.who_said(phrase)
    assert found.height >= several["n_versions"]
    assert set(tracker.variants(several["cluster_id"])["quote_id"]) <= set(found["quote_id"])
    assert found["score"].max() >= 90
    nothing = tracker.who_said("zebra crossings painted purple in Reykjavik")
    assert nothing.height == 0
    with pytest.raises(InputError, match="empty"):
        tracker.who_said("  ")


def test_who_said_tolerates_a_misremembered_phrase(tracker: Tracker) -> None:
    found = tracker.who_said("night busses will run every 10 minutes")
    assert "night-buses" in found["article"].to_list()
    row = found.filter(pl.col("article") == "night-buses").row(0, named=True)
    assert row["publisher"] == "City Courier" and row["published"] == date(2024, 11, 2)


def test_speakers_and_outlets(tracker: Tracker) -> None:
    quotes = tracker.quotes()
    speakers = tracker.speakers()
    assert speakers["n_quotes"].sum() == quotes.filter(pl.col("speaker").is_not_null()).height
    assert speakers["speaker"].n_unique() == speakers.height
    outlets = tracker.outlets()
    courier = outlets.filter(pl.col("outlet") == "City Courier").row(0, named=True)
    assert courier["n_published"] == 1 and courier["n_articles"] == 1
    counts = tracker.counts()
    assert counts["articles"] == 6 and counts["quotes"] == quotes.height


@pytest.mark.parametrize("fmt", tables.EXPORT_FORMATS)
def test_export_and_read_back_every_table(tracker: Tracker, tmp_path: Path, fmt: str) -> None:
    for name in tables.TABLE_NAMES:
        frame = tracker.table(name)
        path = tables.export(frame, tmp_path / f"{name}.{fmt}", fmt)
        back = tables.read_export(path, fmt, name)
        assert_frame_equal(back, frame, check_exact=False, abs_tol=1e-9)
    assert not list(tmp_path.glob(".*partial"))


def test_reopened_store_answers_the_same(tracker: Tracker) -> None:
    with Tracker.open(tracker.path) as again:
        assert_frame_equal(again.quotes(), tracker.quotes())
        assert_frame_equal(again.clusters(), tracker.clusters())


@needs_bundled_models
def test_seed_statements_with_the_bundled_models(tracker: Tracker) -> None:
    """What the store must carry through from the extraction on the seeds: Wang Yi's
    "all forms of hegemonism" in several articles, Choe Son Hui's "fairer world order", and
    the outlets the articles credit."""
    hegemonism = tracker.who_said("all forms of hegemonism")
    assert "Wang Yi" in hegemonism["speaker"].to_list()
    assert hegemonism["article"].n_unique() >= 2
    order = tracker.who_said("a fairer world order")
    assert any("Choe Son Hui" in (name or "") for name in order["speaker"].to_list())
    speakers = tracker.speakers()["speaker"].to_list()
    assert "Wang Yi" in speakers and any("Choe Son Hui" in name for name in speakers)
    assert {"KCNA", "Xinhua", "AP"} <= set(tracker.outlets()["outlet"])
    assert os.environ.get("QUOTES_STANZA_DIR") is None


def test_new_quote_fields_and_confidence_filter(tracker: Tracker) -> None:
    quotes = tracker.quotes()
    assert {"speaker_resolved", "confidence", "rules", "drift"} <= set(quotes.columns)
    assert quotes["confidence"].is_between(0.0, 1.0).all()
    threshold = float(quotes["confidence"].median() or 0.0)
    kept = tracker.quotes(min_confidence=threshold)
    assert kept.height == quotes.filter(pl.col("confidence") >= threshold).height
    assert (
        tracker.quotes(min_confidence=1.0).height
        == quotes.filter(pl.col("confidence") >= 1.0).height
    )
    with pytest.raises(InputError, match="between 0 and 1"):
        tracker.quotes(min_confidence=1.5)
    clusters = tracker.clusters()
    assert set(clusters["reference_quote_id"]) <= set(quotes["quote_id"])
    variants = tracker.table("variants")
    assert (variants["dropped"] >= 0).all() and (variants["drift"] <= 1.0).all()
    assert variants.filter(pl.col("is_reference"))["drift"].max() == 0.0


def test_statement_of_answers_for_cluster_and_quote_ids(tracker: Tracker) -> None:
    for row in tracker.quotes().iter_rows(named=True):
        assert tracker.statement_of(row["quote_id"]) == row["cluster_id"]
        assert tracker.statement_of(row["cluster_id"]) == row["cluster_id"]
    with pytest.raises(InputError, match="no quote or cluster"):
        tracker.statement_of("u-000000000000")


def test_corrections_are_on_record(tracker: Tracker) -> None:
    assert tracker.corrections().is_empty()
    every = tracker.table("corrections")
    assert every.height == 1 and every["undone_at"].is_not_null().all()
    assert every.row(0, named=True)["action"] == "pin"
