"""Streamlit AppTest tests of app.py: every page renders on the seeds, with the expected content."""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from app_support import ROOT, copy_store, seeds_store
from streamlit.testing.v1 import AppTest

APP = str(ROOT / "app.py")
TIMEOUT = 120


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seeds_store(tmp_path_factory.getbasetemp())


@pytest.fixture
def app(store: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    monkeypatch.setenv("QUOTES_STORE", str(store))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    yield at


def _go(at: AppTest, page: str) -> AppTest:
    at.sidebar.radio(key="nav.page").set_value(page).run()
    assert not at.exception, at.exception
    return at


def _html(at: AppTest) -> str:
    return "\n".join(str(getattr(element, "value", "")) for element in at.get("html"))


def _frames_text(at: AppTest) -> str:
    return "\n".join(frame.value.to_string() for frame in at.dataframe)


def test_overview_counts_and_drift_ranking(app: AppTest) -> None:
    assert app.header[0].value == "Overview"
    metrics = {metric.label: int(metric.value.replace(",", "")) for metric in app.metric}
    assert metrics["Articles"] == 5
    assert metrics["Quotes"] > 5
    assert metrics["Speakers"] >= 2
    assert metrics["Statements"] >= 1
    clusters = next(f.value for f in app.dataframe if "max_drift" in f.value.columns)
    assert any("hegemonism" in str(text) for text in clusters["reference"])
    drift = [d for d in clusters["max_drift"] if d == d]  # NaN-free
    assert drift == sorted(drift, reverse=True)
    assert {getattr(b, "label", "") for b in app.get("download_button")} >= {"CSV", "Parquet"}


def test_drift_view_highlights_the_fairer_world_order(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quotes.api import Tracker

    with Tracker.open(store) as tracker:
        clusters = tracker.clusters()
    wanted = [
        row["cluster_id"]
        for row in clusters.iter_rows(named=True)
        if "fairer" in row["reference"] and "world order" in row["reference"]
    ]
    assert wanted, clusters["reference"].to_list()
    monkeypatch.setenv("QUOTES_STORE", str(store))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["page"] = "drift"
    at.query_params["cluster"] = wanted[0]
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key="drift.cluster").value == wanted[0]
    markup = _html(at)
    assert 'class="drift-table"' in markup
    changes = sum(markup.count(tag) for tag in ("<ins ", "<del ", "<mark "))
    assert changes >= 3
    assert "Choe Son Hui" in markup and "fairer" in markup

    # Picking another statement in the box updates the view and the URL.
    select = at.selectbox(key="drift.cluster")
    select.select_index(1 if select.index == 0 else 0).run()
    assert not at.exception
    assert at.selectbox(key="drift.cluster").value != wanted[0]
    assert at.query_params["cluster"] in (
        [at.selectbox(key="drift.cluster").value],
        at.selectbox(key="drift.cluster").value,
    )


def _tracker_answer(store: Path, method: str, *args: Any, **kwargs: Any) -> pl.DataFrame:
    from quotes.api import Tracker

    with Tracker.open(store) as tracker:
        answer: pl.DataFrame = getattr(tracker, method)(*args, **kwargs)
    return answer


def test_who_said_finds_hegemonism(app: AppTest, store: Path) -> None:
    expected = _tracker_answer(store, "who_said", "all forms of hegemonism")
    assert expected.height, "the seeds hold 'all forms of hegemonism'"
    _go(app, "who")
    app.text_input(key="who.phrase").input("all forms of hegemonism").run()
    assert not app.exception
    assert app.query_params["q"] in (["all forms of hegemonism"], "all forms of hegemonism")
    markup = _html(app)
    assert "hegemonism" in markup
    # Every version found is shown, with who said it and where.
    for row in expected.iter_rows(named=True):
        assert html.escape(row["text"]) in markup
        for name in (row["speaker"], row["outlet"]):
            if name:
                assert html.escape(name) in markup
    shown = [frame.value for frame in app.dataframe if "quote_id" in frame.value.columns]
    assert [list(frame["quote_id"]) for frame in shown] == [expected["quote_id"].to_list()]

    # The search survives a visit to another page.
    _go(app, "speaker")
    _go(app, "who")
    assert app.text_input(key="who.phrase").value == "all forms of hegemonism"


def test_speaker_page_groups_by_statement(app: AppTest, store: Path) -> None:
    _go(app, "speaker")
    select = app.selectbox(key="speaker.name")
    choe = [name for name in select.options if "Choe Son Hui" in name]
    assert choe, select.options
    select.select(choe[0]).run()
    assert not app.exception
    markup = _html(app)
    said = _tracker_answer(store, "quotes", speaker=choe[0])
    said = said.filter(pl.col("speaker") == choe[0])
    assert said.height
    assert markup.count('class="quote-card"') == said.height
    for text in said["text"]:
        assert html.escape(text) in markup
    assert markup.count('class="quote-group"') == said["cluster_id"].n_unique()


def test_outlet_page_lists_what_it_carried(app: AppTest, store: Path) -> None:
    _go(app, "outlet")
    select = app.selectbox(key="outlet.name")
    carrier = next(name for name in ("Xinhua", "KCNA", "AP") if name in select.options)
    select.select(carrier).run()
    assert not app.exception
    markup = _html(app)
    assert carrier in markup
    carried = _tracker_answer(store, "quotes", outlet=carrier)
    carried = carried.filter((pl.col("outlet") == carrier) | (pl.col("publisher") == carrier))
    assert markup.count('class="quote-card"') == carried.height


def test_add_article_by_pasting(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    private = copy_store(store, tmp_path / "store")
    monkeypatch.setenv("QUOTES_STORE", str(private))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    _go(at, "add")
    at.text_area(key="add.text").input(
        'Harbour officials met on Tuesday. "We will reopen the northern pier by spring," '
        "said Mara Ellison, the port director."
    )
    at.text_input(key="add.publisher").input("Harbour Gazette")
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert at.success, [e.value for e in at.error]
    assert "1 article" in at.success[0].value
    new_quotes = _frames_text(at)
    assert "northern pier" in new_quotes


def test_upload_limits_are_enforced(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    private = copy_store(store, tmp_path / "store")
    monkeypatch.setenv("QUOTES_STORE", str(private))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    _go(at, "add")
    too_many = [(f"n{i}.txt", b"A short note.", "text/plain") for i in range(25)]
    at.file_uploader(key="add.files").set_value(too_many)
    at.button[0].click().run()
    assert not at.exception
    assert any("at most 20" in e.value for e in at.error)

    # Oversized and binary files are refused, each with its own message; nothing is added.
    _go(at, "add")
    big = b"x" * (5_000_000 + 1)
    at.file_uploader(key="add.files").set_value(
        [("big.txt", big, "text/plain"), ("binary.txt", b"\x00\x01\x02", "text/plain")]
    )
    at.button[0].click().run()
    assert not at.exception
    messages = " ".join(e.value for e in at.error)
    assert "big.txt" in messages and "over the limit" in messages
    assert "binary.txt" in messages
    assert not at.success

    # A path-like upload name only names the article: nothing is written outside the store.
    _go(at, "add")
    at.file_uploader(key="add.files").set_value(
        [("../../escape-note.txt", b'"We open the pier today," said Ana Ruiz.', "text/plain")]
    )
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert at.success, [e.value for e in at.error]
    assert not (tmp_path.parent / "escape-note.txt").exists()
    from quotes.api import Tracker

    with Tracker.open(private) as tracker:
        assert "escape-note" in tracker.articles()["article"].to_list()


@pytest.mark.slow
def test_empty_store_is_filled_with_the_seeds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app_support import require_models

    require_models()
    monkeypatch.setenv("QUOTES_STORE", str(tmp_path / "fresh-store"))
    at = AppTest.from_file(APP, default_timeout=600)
    at.run()
    assert not at.exception, at.exception
    metrics = {metric.label: metric.value for metric in at.metric}
    assert metrics["Articles"] == "5"
