"""Streamlit AppTest tests of app.py: every view renders on the seeds, from its address, and its
links lead where they say."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote_plus, urlsplit

import polars as pl
import pytest
from app_support import ROOT, copy_store, pier_store, seeds_store, wang_yi_on_hegemonism
from streamlit.testing.v1 import AppTest

from quotes.routes import Route, href, parse

APP = str(ROOT / "app.py")
TIMEOUT = 120
PIER = (
    'Harbour officials met on Tuesday. "We will reopen the northern pier by spring," '
    "said Mara Ellison, the port director."
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seeds_store(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="module")
def tracker(store: Path) -> Iterator[Any]:
    from quotes.api import Tracker

    with Tracker.open(store) as opened:
        yield opened


HOME = Route()


def _open(store: Path, monkeypatch: pytest.MonkeyPatch, route: Route = HOME) -> AppTest:
    monkeypatch.setenv("QUOTES_STORE", str(store))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for name, value in route.params().items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    return at


def _route(at: AppTest) -> Route:
    return parse({k: v for k, v in at.query_params.items()})


def _follow(at: AppTest, link: str) -> AppTest:
    """Do what the browser does with a link: load its address."""
    at.query_params.clear()
    for name, values in parse_qs(urlsplit(html.unescape(link)).query).items():
        at.query_params[name] = values[-1]
    at.run()
    assert not at.exception, at.exception
    return at


def _html(at: AppTest) -> str:
    return "\n".join(str(getattr(element, "value", "")) for element in at.get("html"))


def _main_html(at: AppTest) -> str:
    sidebar = {str(getattr(e, "value", "")) for e in at.sidebar.get("html")}
    return "\n".join(
        str(getattr(e, "value", ""))
        for e in at.get("html")
        if str(getattr(e, "value", "")) not in sidebar
    )


def _links(markup: str) -> list[str]:
    return [html.unescape(link) for link in re.findall(r'href="(\?[^"]*)"', markup)]


def _title(at: AppTest) -> tuple[str, str | None]:
    found = re.search(r'class="page-title" data-view="(\w+)"(?: data-key="([^"]*)")?', _html(at))
    assert found, _html(at)[:500]
    return found.group(1), html.unescape(found.group(2)) if found.group(2) else None


@pytest.mark.parametrize(
    "route",
    [
        Route(),
        Route("statement"),
        Route("speaker"),
        Route("outlet"),
        Route("article"),
        Route("search"),
        Route("add"),
        Route("corrections"),
        Route("corrections", "all"),
        Route("overview", show_all=True),
    ],
    ids=lambda r: href(r),
)
def test_every_view_renders_from_its_address(
    store: Path, monkeypatch: pytest.MonkeyPatch, route: Route
) -> None:
    at = _open(store, monkeypatch, route)
    assert _title(at)[0] == route.view
    nav = "\n".join(str(getattr(e, "value", "")) for e in at.sidebar.get("html"))
    assert f'href="{html.escape(href(route.to(route.view)))}" data-nav="1" class="active"' in nav


def test_overview_lists_statements_with_several_versions_by_drift(
    store: Path, monkeypatch: pytest.MonkeyPatch, tracker: Any
) -> None:
    at = _open(store, monkeypatch)
    metrics = {metric.label: int(metric.value.replace(",", "")) for metric in at.metric}
    clusters = tracker.clusters()
    several = clusters.filter(pl.col("n_versions") >= 2)
    assert metrics["Articles"] == 5 and metrics["Quotes"] == tracker.quotes().height
    assert metrics["Statements, 2+ versions"] == several.height >= 1
    statement_links = [parse_qs(urlsplit(link).query) for link in _links(_main_html(at))]
    listed = [q["id"][0] for q in statement_links if q.get("view") == ["statement"] and "id" in q]
    assert sorted(listed) == sorted(several["reference_quote_id"].to_list())
    # Ranked by the figure each statement's page shows, and that figure is the one listed.
    page_drifts = [_page_drift(tracker, quote) for quote in listed]
    assert page_drifts == sorted(page_drifts, reverse=True)
    table = _main_html(at)
    for quote, drift in zip(listed, page_drifts, strict=True):
        row = table[table.index(f"?view=statement&amp;id={quote}") :]
        assert f'<td class="num">{drift:.2f}</td>' in row[: row.index("</tr>")]
    # The sidebar's switch lists the statements seen once too, and says so in the address.
    at.sidebar.toggle(key="settings.all").set_value(True).run()
    assert not at.exception
    assert _route(at) == Route(show_all=True)
    shown = [link for link in _links(_main_html(at)) if "view=statement&id=" in link]
    assert len(shown) == min(clusters.height, 25)
    assert all("all=1" in link for link in shown)


def _page_drift(tracker: Any, quote: str) -> float:
    drift = tracker.cluster_drift(str(tracker.variants(quote)["cluster_id"][0]))
    return max(version.drift for version in drift.versions)


def test_statement_page_shows_every_version_and_cites_it(
    store: Path, monkeypatch: pytest.MonkeyPatch, tracker: Any
) -> None:
    cluster = wang_yi_on_hegemonism(tracker)
    variants = tracker.variants(cluster["cluster_id"])
    member = variants.filter(~pl.col("is_reference"))["quote_id"][0]
    at = _open(store, monkeypatch, Route("statement", member))
    assert _title(at) == ("statement", cluster["reference_quote_id"])
    markup = _main_html(at)
    assert markup.count('class="drift-version-row') == cluster["n_versions"] - 1
    for text in variants["text"]:
        assert html.escape(text) in markup
    assert "Wang Yi" in markup and 'class="context"' in markup
    assert len(at.get("vega_lite_chart")) >= 1  # the heatmap
    # The drift helper's figures: the reference rule's reason, each version's counts, the alarm.
    drift = tracker.cluster_drift(cluster["cluster_id"])
    assert "<b>Reference: #1</b>" in markup and html.escape(drift.reference_reason) in markup
    for version in drift.versions[1:]:
        assert f"drift {version.drift:.2f}" in markup
    flagged = sum(version.quoted_words_changed for version in drift.versions)
    assert ("Quoted words changed</b> in" in markup) == (flagged > 0)
    assert markup.count('class="drift-version-row alarm-row"') == flagged
    labels = {getattr(b, "label", "") for b in at.get("download_button")}
    assert {"Markdown", "CSV"} <= labels
    code = "\n".join(str(c.value) for c in at.code)
    assert f"?view=statement&id={cluster['reference_quote_id']}" in code
    assert "| # | Outlet | Date | Article | Speaker | Drift | Wording |" in code
    assert "Reference: #1" in code and "Drift is the share of words changed" in code
    # The picker goes to another statement and writes its address.
    others = tracker.clusters(min_versions=2)["reference_quote_id"].to_list()
    other = next(quote for quote in others if quote != cluster["reference_quote_id"])
    at.selectbox(key="statement.pick").select(other).run()
    assert not at.exception
    assert _route(at) == Route("statement", other)


def test_every_statement_page_raises_the_quoted_words_alarm_it_has(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quotes.api import Tracker

    store = pier_store(tmp_path_factory.getbasetemp())
    with Tracker.open(store) as tracker:
        drifts = [tracker.cluster_drift(c) for c in tracker.clusters(min_versions=2)["cluster_id"]]
    raised = 0
    for drift in drifts:
        flagged = [v for v in drift.versions if v.quoted_words_changed]
        at = _open(store, monkeypatch, Route("statement", drift.reference_id))
        markup = _main_html(at)
        assert ("Quoted words changed</b> in" in markup) == bool(flagged)
        assert markup.count('<span class="alarm" title=') == len(flagged)
        assert html.escape(drift.reference_reason) in markup
        # An arrow for each hop of the chain, with its evidence; none without evidence.
        assert markup.count('class="drift-arrow"') == len(drift.chain)
        for hop in drift.chain:
            assert html.escape(hop.evidence) in markup
        if not drift.chain:
            assert "outlets listed, not chained" in markup
        raised += len(flagged)
    # The pier statement: the later report drops quoted words; its dates order the outlets.
    pier = next(d for d in drifts if "pier" in d.versions[0].version.text)
    assert pier.reference_reason.startswith("the earliest published version")
    assert [h.kind for h in pier.chain] == ["dates"]
    assert raised >= 1


def test_a_statement_seen_once_says_so(
    store: Path, monkeypatch: pytest.MonkeyPatch, tracker: Any
) -> None:
    single = tracker.clusters().filter(pl.col("n_versions") == 1)["reference_quote_id"][0]
    at = _open(store, monkeypatch, Route("statement", single))
    markup = _main_html(at)
    assert "one article only" in markup and 'class="drift-table"' not in markup
    assert not at.get("vega_lite_chart")


def test_unknown_subjects_get_a_message_not_a_traceback(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _open(store, monkeypatch, Route("statement", "q-nothing"))
    assert at.error and "No statement" in at.error[0].value
    for view in ("speaker", "outlet", "article"):
        at = _open(store, monkeypatch, Route(view, "Nobody <b>"))  # type: ignore[arg-type]
        assert at.warning and "No " in at.warning[0].value


def test_from_a_speaker_to_a_statement_and_back(
    store: Path, monkeypatch: pytest.MonkeyPatch, tracker: Any
) -> None:
    speaker = "Choe Son Hui"
    said = tracker.quotes().filter(pl.col("speaker") == speaker)
    assert said.height
    at = _open(store, monkeypatch, Route("speaker", speaker))
    assert _title(at) == ("speaker", speaker)
    markup = _main_html(at)
    assert markup.count('class="quote-card') == said.height
    assert markup.count('class="quote-group"') == said["cluster_id"].n_unique()
    statement = next(link for link in _links(markup) if "view=statement&id=" in link)
    _follow(at, statement)
    assert _title(at)[0] == "statement"
    assert speaker in _main_html(at)
    # Back: the browser loads the previous address, and the speaker's page is drawn again.
    _follow(at, href(Route("speaker", speaker)))
    assert _title(at) == ("speaker", speaker)


def test_outlet_page_counts_every_version(
    store: Path, monkeypatch: pytest.MonkeyPatch, tracker: Any
) -> None:
    outlets = tracker.outlets()["outlet"].to_list()
    carrier = next(name for name in ("Xinhua", "KCNA", "AP") if name in outlets)
    at = _open(store, monkeypatch, Route("outlet", carrier))
    carried = tracker.quotes().filter(
        (pl.col("outlet") == carrier) | (pl.col("publisher") == carrier)
    )
    markup = _main_html(at)
    assert markup.count('class="quote-card') == carried.height
    sizes = dict(zip(*tracker.clusters().select("cluster_id", "n_versions"), strict=True))
    for cluster, members in carried.group_by("cluster_id"):
        total = sizes[cluster[0]]
        if total == 1:
            count = "seen once: its page"
        else:
            count = f"{total} versions" + (
                f", {members.height} here" if members.height < total else ""
            )
        assert count in markup


def test_who_said_it_writes_the_phrase_in_the_address(
    store: Path, monkeypatch: pytest.MonkeyPatch, tracker: Any
) -> None:
    expected = tracker.who_said("all forms of hegemonism")
    at = _open(store, monkeypatch, Route("search"))
    at.text_input(key="search.q").input("all forms of hegemonism").run()
    assert not at.exception
    assert _route(at) == Route("search", "all forms of hegemonism")
    markup = _main_html(at)
    for row in expected.iter_rows(named=True):
        assert html.escape(row["text"]) in markup
    shown = [f.value for f in at.dataframe if "quote_id" in f.value.columns]
    assert [list(frame["quote_id"]) for frame in shown] == [expected["quote_id"].to_list()]
    # Another address (Back, a bookmark) puts its own phrase in the box.
    _follow(at, href(Route("search", "bilateral ties")))
    assert at.text_input(key="search.q").value == "bilateral ties"


def test_article_page_marks_its_quotes(
    store: Path, monkeypatch: pytest.MonkeyPatch, tracker: Any
) -> None:
    article = "002_e0fbaf9bbbd92a62"
    quotes = tracker.quotes().filter(pl.col("article") == article)
    at = _open(store, monkeypatch, Route("article", article))
    view, key = _title(at)
    assert (view, key) == ("article", article)
    markup = _main_html(at)
    marked = markup.count('<mark class="article-quote"')
    assert 0 < marked <= quotes.height
    assert markup.count('class="quote-card') == quotes.height
    listed = _open(store, monkeypatch, Route("article"))
    assert f"?view=article&id={article}" in _links(_main_html(listed))


def test_add_form_clears_and_refuses_the_same_text_twice(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quotes.api import Tracker

    private = copy_store(store, tmp_path / "store")
    at = _open(private, monkeypatch, Route("add"))
    box = next(t for t in at.text_area if t.key and t.key.startswith("add.text"))
    box.input(PIER)
    next(t for t in at.text_input if t.key and t.key.startswith("add.publisher")).input("Gazette")
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert at.success and "1 article(s) added" in at.success[0].value
    assert any(link.startswith("?view=article&id=pasted-") for link in _links(_main_html(at)))
    # The form is empty again, ready for the next article.
    assert all(not t.value for t in at.text_area)
    with Tracker.open(private) as tracker:
        before = tracker.articles().height
        assert tracker.who_said("northern pier").height
    # The same text again, under a title this time: reported, not added.
    next(t for t in at.text_area if t.key and t.key.startswith("add.text")).input(PIER)
    next(t for t in at.text_input if t.key and t.key.startswith("add.title")).input("Again")
    at.button[0].click().run()
    assert not at.exception
    assert at.info and "already in the store" in at.info[0].value
    assert "already stored as" in _main_html(at)
    assert not at.success
    with Tracker.open(private) as tracker:
        assert tracker.articles().height == before


def test_upload_limits_are_enforced(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quotes.api import Tracker
    from quotes.uploads import MAX_UPLOAD_FILES, limits_text

    private = copy_store(store, tmp_path / "store")
    at = _open(private, monkeypatch, Route("add"))
    assert limits_text() in [c.value for c in at.caption]
    uploaders = at.get("file_uploader")
    assert [u.proto.max_upload_size_mb for u in uploaders] == [5, 200]
    too_many = [(f"n{i}.txt", b"A short note.", "text/plain") for i in range(MAX_UPLOAD_FILES + 1)]
    uploaders[0].set_value(too_many)
    at.button[0].click().run()
    assert not at.exception
    assert any(f"at most {MAX_UPLOAD_FILES}" in e.value for e in at.error)

    big = b"x" * (5_000_000 + 1)
    at.get("file_uploader")[0].set_value(
        [("big.txt", big, "text/plain"), ("binary.txt", b"\x00\x01\x02", "text/plain")]
    )
    at.button[0].click().run()
    assert not at.exception
    messages = " ".join(e.value for e in at.error).replace("\\", "")  # Markdown escapes
    assert "big.txt" in messages and "over the limit" in messages
    assert "binary.txt" in messages
    assert not at.success

    # A path-like upload name only names the article: nothing is written outside the store.
    at.get("file_uploader")[0].set_value(
        [("../../escape-note.txt", b'"We open the pier today," said Ana Ruiz.', "text/plain")]
    )
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert at.success, [e.value for e in at.error]
    assert not (tmp_path.parent / "escape-note.txt").exists()
    with Tracker.open(private) as tracker:
        assert "escape-note" in tracker.articles()["article"].to_list()


def test_addresses_of_the_first_app_still_open(
    store: Path, monkeypatch: pytest.MonkeyPatch, tracker: Any
) -> None:
    cluster = tracker.clusters(min_versions=2).row(0, named=True)
    monkeypatch.setenv("QUOTES_STORE", str(store))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["page"] = "drift"
    at.query_params["cluster"] = cluster["cluster_id"]
    at.run()
    assert not at.exception
    assert _title(at) == ("statement", cluster["reference_quote_id"])


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


# --------------------------------------------------------------------------- corrections


def _notice(at: AppTest) -> str:
    return next(
        (
            str(e.value)
            for e in at.get("html")
            if str(e.value).startswith('<div class="correction-notice')
        ),
        "",
    )


def _statement_members(store: Path, quote: str) -> list[str]:
    from quotes.api import Tracker

    with Tracker.open(store) as tracker:
        return sorted(tracker.variants(quote)["quote_id"].to_list())


@pytest.fixture
def private(store: Path, tmp_path: Path) -> Path:
    """A copy of the seeds store that a test may correct."""
    return copy_store(store, tmp_path / "store")


def _hegemonism(store: Path) -> tuple[str, list[str]]:
    """Wang Yi's statement on hegemonism: its link id and its versions, reference first."""
    from quotes.api import Tracker

    with Tracker.open(store) as tracker:
        cluster = wang_yi_on_hegemonism(tracker)
        return cluster["reference_quote_id"], tracker.variants(cluster["cluster_id"])[
            "quote_id"
        ].to_list()


def test_reassign_a_speaker_then_undo_it_from_the_notice(
    private: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quotes.api import Tracker

    link, versions = _hegemonism(private)
    at = _open(private, monkeypatch, Route("statement", link))
    at.sidebar.text_input(key="corrections.author").input("night desk")
    picker = at.selectbox(key=f"fix.speaker.{versions[1]}")
    assert "Choe Son Hui" in picker.options  # the known speakers are offered
    picker.select("Choe Son Hui").run()
    assert not at.exception, at.exception
    assert "Correction 1: speaker of" in _notice(at) and "(by night desk)" in _notice(at)
    assert at.selectbox(key=f"fix.speaker.{versions[1]}").value is None  # cleared
    # The page shows it at once (the caches follow the corrections), and so do the tables.
    assert "?view=speaker&amp;name=Choe+Son+Hui" in _main_html(at)
    with Tracker.open(private) as tracker:
        quotes = tracker.quotes().filter(pl.col("quote_id") == versions[1])
        assert quotes["speaker"].to_list() == ["Choe Son Hui"]
        assert tracker.corrections()["author"].to_list() == ["night desk"]
    at.button(key="notice.undo").click().run()
    assert not at.exception
    assert "Correction 1 undone" in _notice(at)
    with Tracker.open(private) as tracker:
        assert tracker.corrections().height == 0
        assert tracker.quotes().filter(pl.col("quote_id") == versions[1])["speaker"][0] != (
            "Choe Son Hui"
        )
    # The notice belongs to the page it was made on.
    _follow(at, href(Route("speaker", "Wang Yi")))
    assert not _notice(at)


def test_not_a_quote_split_and_pin_from_the_statement_page(
    private: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quotes.api import Tracker

    link, versions = _hegemonism(private)
    assert len(versions) >= 3, versions
    at = _open(private, monkeypatch, Route("statement", link))
    # Pin the last version: it becomes the reference, the address stays.
    at.button(key=f"fix.pin.{versions[-1]}").click().run()
    assert not at.exception
    assert "pinned as its statement" in _notice(at)
    with Tracker.open(private) as tracker:
        variants = tracker.variants(link)
        assert variants.filter(pl.col("is_reference"))["quote_id"].to_list() == [versions[-1]]
    assert at.button(key=f"fix.pin.{versions[-1]}").disabled
    # Split out the version the address names: the page stays on the statement's others.
    at.button(key=f"fix.split.{link}").click().run()
    assert not at.exception
    assert "split out of its statement" in _notice(at)
    assert _route(at).key != link and _route(at).key in versions
    assert link not in _statement_members(private, _route(at).key or "")
    # It never joins its former versions again (another statement it matches may take it).
    assert not set(_statement_members(private, link)) & (set(versions) - {link})
    # Not a quote: the version leaves every table.
    shown = _route(at).key or ""
    other = next(q for q in _statement_members(private, shown) if q != shown)
    at.button(key=f"fix.not-quote.{other}").click().run()
    assert not at.exception
    assert "marked not a quote" in _notice(at)
    with Tracker.open(private) as tracker:
        assert other not in tracker.quotes()["quote_id"].to_list()
        assert tracker.corrections()["action"].to_list() == ["pin", "split", "not-quote"]
    assert f"fix.not-quote.{other}" not in {b.key for b in at.button}


def test_merge_two_statements_then_undo_on_the_corrections_page(
    private: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quotes.api import Tracker

    link, versions = _hegemonism(private)
    with Tracker.open(private) as tracker:
        single = tracker.clusters().filter(pl.col("n_versions") == 1)["reference_quote_id"][0]
    at = _open(private, monkeypatch, Route("statement", link))
    assert at.button(key="fix.merge.go").disabled
    at.selectbox(key="fix.merge.pick").select(single).run()
    at.button(key="fix.merge.go").click().run()
    assert not at.exception, at.exception
    assert "statements of" in _notice(at) and "merged" in _notice(at)
    assert _statement_members(private, link) == sorted([*versions, single])
    assert _main_html(at).count('class="drift-version-row') == len(versions)
    # The Corrections page lists it, with links, and undoes it.
    _follow(at, href(Route("corrections")))
    assert _title(at) == ("corrections", None)
    page = _main_html(at)
    assert page.count('class="correction"') == 1 and "statements merged" in page
    assert f"?view=statement&amp;id={link}" in page and f"?view=statement&amp;id={single}" in page
    at.button(key="corrections.undo.1").click().run()
    assert not at.exception
    assert "Correction 1 undone" in _notice(at)
    assert 'class="correction"' not in _main_html(at)
    assert _statement_members(private, link) == sorted(versions)
    # Undone ones are listed behind the toggle, which writes the address.
    at.toggle(key="corrections.all").set_value(True).run()
    assert _route(at) == Route("corrections", "all")
    page = _main_html(at)
    assert page.count('class="correction undone"') == 1 and "undone 20" in page
    assert not [b for b in at.button if (b.key or "").startswith("corrections.undo")]
    shown = [f.value for f in at.dataframe if "correction_id" in f.value.columns]
    assert [list(frame["correction_id"]) for frame in shown] == [[1]]


def test_merge_a_speaker_into_another(private: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from quotes.api import Tracker

    with Tracker.open(private) as tracker:
        speakers = tracker.speakers()
        source = speakers.filter(pl.col("n_quotes") == 1)["speaker"][0]
        before = speakers.filter(pl.col("speaker") == "Wang Yi")["n_quotes"][0]
    at = _open(private, monkeypatch, Route("speaker", source))
    picker = at.selectbox(key="fix.speaker-merge.pick")
    assert source not in picker.options and "Wang Yi" in picker.options
    picker.select("Wang Yi").run()
    at.button(key="fix.speaker-merge.go").click().run()
    assert not at.exception, at.exception
    assert _route(at) == Route("speaker", "Wang Yi")  # the merged speaker's page
    assert "merged into &quot;Wang Yi&quot;" in _notice(at)
    with Tracker.open(private) as tracker:
        speakers = tracker.speakers()
        assert source not in speakers["speaker"].to_list()
        assert speakers.filter(pl.col("speaker") == "Wang Yi")["n_quotes"][0] == before + 1
    page = _open(private, monkeypatch, Route("corrections"))
    assert "speakers merged" in _main_html(page)
    assert f"?view=speaker&amp;name={quote_plus(source)}" in _main_html(page)


def test_a_refused_correction_says_why(private: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with_single = _open(private, monkeypatch, Route("statement"))
    assert not with_single.exception
    link, versions = _hegemonism(private)
    at = _open(private, monkeypatch, Route("statement", link))
    at.button(key=f"fix.not-quote.{versions[1]}").click()
    # Meanwhile someone else marks it not a quote: the click is refused, not a traceback.
    from quotes.api import Tracker

    with Tracker.open(private) as tracker:
        tracker.mark_not_quote(versions[1])
    at.run()
    assert not at.exception, at.exception
    assert 'class="correction-notice refused"' in _notice(at)
    assert "undo that correction first" in _notice(at)
