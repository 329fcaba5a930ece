"""The app in a real headless Chromium: pages, highlighted drift, screenshots, timings, and XSS.

Starts ``streamlit run app.py`` on a free local port over a temporary store of the seeds, drives
Debian's ``/usr/bin/chromium`` with Playwright, saves a screenshot of each page to
``docs/screenshots/`` and writes the measured times to the ``## App (browser)`` section of
``BENCHMARKS.md``. A second server over a store holding a hostile article checks that nothing in
article text executes or becomes markup on any page.

Run: ``pytest -m browser tests/test_browser.py`` (skipped when Chromium is not installed;
``QUOTES_BROWSER=1 bash scripts/setup.sh`` installs it).
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from app_support import ROOT, copy_store, seeds_store

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "docs" / "screenshots"
APP = ROOT / "app.py"
SERVER_START_S = 180
WAIT_MS = 60_000
REPEATS = 3
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Debian's chromium at /usr/bin/chromium "
        "(QUOTES_BROWSER=1 bash scripts/setup.sh installs it)",
    ),
]
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="needs the playwright package (pip install -e '.[dev]')"
)

HOSTILE_SCRIPT = "<script>window.__xss=1;alert(1)</script>"
HOSTILE_IMG = "<img src=x onerror=window.__xss=2;alert(2)>"
HOSTILE_MARKDOWN = "**bold** [link](javascript:alert(3))"
HOSTILE_CLOSE = "</div><b>bold</b>"
HOSTILE_ARTICLES = [
    (
        "hostile-one",
        "Port talks ended late on Monday. "
        f'"We reject {HOSTILE_SCRIPT} and every {HOSTILE_IMG} trick in the harbour plan," '
        f"said Mara {HOSTILE_MARKDOWN} Ellison, the port director, to {HOSTILE_CLOSE} News. "
        "The council will vote next week.",
    ),
    (
        "hostile-two",
        "The harbour plan was debated again on Tuesday. "
        f'"We reject {HOSTILE_SCRIPT} and {HOSTILE_IMG} tricks in the harbour plan," '
        f"said Mara {HOSTILE_MARKDOWN} Ellison, speaking to reporters.",
    ),
]


# --------------------------------------------------------------------------- server, browser


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_app(store: Path, log_path: Path) -> Iterator[tuple[str, float]]:
    """``streamlit run app.py`` on a free port; yields (url, seconds until healthy)."""
    port = _free_port()
    env = os.environ | {"QUOTES_STORE": str(store), "PYTHONUNBUFFERED": "1"}
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
    ]
    started = time.perf_counter()
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + SERVER_START_S
            while True:
                if server.poll() is not None:
                    pytest.fail(f"streamlit exited ({server.returncode}):\n{log_path.read_text()}")
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                        if answer.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"streamlit not healthy after {SERVER_START_S} s")
                time.sleep(0.25)
            yield url, time.perf_counter() - started
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=15)


@contextmanager
def chromium(profile: Path) -> Iterator[Any]:
    """A fresh headless Chromium context (its own profile directory)."""
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=LAUNCH_ARGS,
            viewport={"width": 1440, "height": 1000},
        )
        try:
            yield context
        finally:
            context.close()


def _settle(page: Any) -> None:
    """Wait until Streamlit has finished the current script run."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"] button')"
        " && !document.querySelector('[data-testid=\"stSkeleton\"]')",
        timeout=WAIT_MS,
    )


def _timed(action: Any, wait_for: str, page: Any) -> float:
    started = time.perf_counter()
    action()
    page.locator(wait_for).first.wait_for(state="visible", timeout=WAIT_MS)
    elapsed = time.perf_counter() - started
    _settle(page)
    return elapsed


def _pick_page(page: Any, label: str) -> None:
    page.locator('[data-testid="stSidebar"] label').filter(has_text=label).first.click()


def _back_to_overview(page: Any) -> None:
    """Return to the Overview by the sidebar. A click that lands while the previous script run is
    still finishing can be superseded by that run on a loaded machine, so click again if the
    page has not changed after a while, instead of failing on a lost click."""
    for attempt in range(3):
        _pick_page(page, "Overview")
        try:
            page.locator('[data-testid="stMetric"]').first.wait_for(timeout=WAIT_MS // 3)
        except Exception:
            if attempt == 2:
                raise
            continue
        _settle(page)
        return


def _shot(page: Any, name: str, *ready: str) -> None:
    """A screenshot of the whole page once the ``ready`` elements are drawn (Streamlit scrolls
    inside its main block, so grow the viewport to the content first)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for selector in ready:
        page.locator(selector).first.wait_for(state="visible", timeout=WAIT_MS)
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=\"stVegaLiteChart\"]')]"
        ".every(chart => chart.querySelector('canvas, svg'))",
        timeout=WAIT_MS,
    )
    height = page.evaluate(
        "() => (document.querySelector('[data-testid=\"stMain\"]') || document.body).scrollHeight"
    )
    page.set_viewport_size({"width": 1440, "height": int(min(max(height, 900), 3000))})
    page.wait_for_timeout(800)  # relayout and chart transitions
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
    page.set_viewport_size({"width": 1440, "height": 1000})


def _cluster_id(store: Path, *words: str) -> str:
    from quotes.api import Tracker

    clusters = Tracker.open(store).clusters()
    for row in clusters.iter_rows(named=True):
        if all(word in (row["reference"] or "") for word in words):
            return str(row["cluster_id"])
    raise AssertionError(f"no cluster with {words} in {clusters['reference'].to_list()}")


# --------------------------------------------------------------------------- tests


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seeds_store(tmp_path_factory.getbasetemp())


def test_pages_screenshots_and_timings(store: Path, tmp_path: Path) -> None:
    from quotes.api import Tracker
    from quotes.tables import read_export

    cluster = _cluster_id(store, "fairer", "world order")
    with Tracker.open(store) as tracker:
        speakers = [s for s in tracker.variants(cluster)["speaker"].to_list() if s]
    timings: list[tuple[str, float]] = []
    with (
        running_app(store, tmp_path / "server.log") as (url, startup),
        chromium(tmp_path / "profile") as context,
    ):
        timings.append(("server start until healthy", startup))
        page = context.new_page()
        page.set_default_timeout(WAIT_MS)

        first = _timed(lambda: page.goto(url), '[data-testid="stMetric"]', page)
        timings.append(("first render, Overview (cold: store opened, tables loaded)", first))
        assert page.locator('[data-testid="stMetric"]').count() == 5
        _shot(page, "overview", '[data-testid="stVegaLiteChart"]', '[data-testid="stDataFrame"]')
        warm = _timed(lambda: page.reload(), '[data-testid="stMetric"]', page)
        timings.append(("first render, Overview (new session, warm caches)", warm))

        drift_url = f"{url}/?page=drift&cluster={cluster}"
        timings.append(
            (
                "open the drift view by URL",
                _timed(lambda: page.goto(drift_url), "table.drift-table", page),
            )
        )
        highlighted = page.locator(
            "table.drift-table ins.drift-ins, table.drift-table del.drift-del, "
            "table.drift-table mark.drift-sub"
        )
        assert highlighted.count() >= 3, page.inner_html("table.drift-table")
        body = page.locator("table.drift-table").inner_text()
        assert "world order" in body and speakers and all(name in body for name in speakers)
        assert page.locator('[data-testid="stVegaLiteChart"]').count() >= 1  # the heatmap
        _shot(page, "drift", "table.drift-table", '[data-testid="stVegaLiteChart"]')

        other = page.locator('[data-testid="stSelectbox"]').first
        other.click()
        options = page.locator('[role="option"]')
        options.first.wait_for()
        choice = options.nth(1) if options.count() > 1 else options.first
        timings.append(
            ("drift view: pick another statement", _timed(choice.click, "table.drift-table", page))
        )

        timings.append(
            (
                "switch to Who said it",
                _timed(lambda: _pick_page(page, "Who said it"), 'input[aria-label="Phrase"]', page),
            )
        )
        box = page.locator('input[aria-label="Phrase"]')
        box.fill("all forms of hegemonism")
        timings.append(
            (
                "Who said it: search a phrase",
                _timed(lambda: box.press("Enter"), ".quote-card", page),
            )
        )
        assert "hegemonism" in page.locator(".quote-card").first.inner_text()
        _shot(page, "who_said", ".quote-card", '[data-testid="stDataFrame"]')

        timings.append(
            (
                "switch to Speakers",
                _timed(lambda: _pick_page(page, "Speakers"), ".quote-group", page),
            )
        )
        _shot(page, "speakers", ".quote-group")
        timings.append(
            ("switch to Outlets", _timed(lambda: _pick_page(page, "Outlets"), ".quote-group", page))
        )
        _shot(page, "outlets", ".quote-group")
        timings.append(
            (
                "switch to Add articles",
                _timed(
                    lambda: _pick_page(page, "Add articles"), '[data-testid="stFileUploader"]', page
                ),
            )
        )
        _shot(page, "add_articles", '[data-testid="stFileUploader"]')
        timings.append(
            (
                "switch back to Overview",
                _timed(lambda: _pick_page(page, "Overview"), '[data-testid="stMetric"]', page),
            )
        )

        grid = page.locator('[data-testid="stDataFrame"]').first
        grid.wait_for()
        _settle(page)
        corner = grid.bounding_box()
        assert corner is not None

        def select_top_statement() -> None:
            # The row's selection checkbox: first column, first row under the 35 px header.
            page.mouse.click(corner["x"] + 15, corner["y"] + 35 + 17)

        timings.append(
            (
                "Overview: select the top statement -> its drift view",
                _timed(select_top_statement, "table.drift-table", page),
            )
        )
        assert "page=drift" in page.url
        _back_to_overview(page)

        # Repeat the page switches: the first pass above warms the browser and the caches, and
        # on a shared machine one sample says little.
        cycle = [
            ("Drift view", "table.drift-table"),
            ("Who said it", ".quote-card"),
            ("Speakers", ".quote-group"),
            ("Outlets", ".quote-group"),
            ("Add articles", '[data-testid="stFileUploader"]'),
            ("Overview", '[data-testid="stMetric"]'),
        ]
        for _ in range(REPEATS):
            for label, ready in cycle:
                name = "switch back to Overview" if label == "Overview" else f"switch to {label}"
                timings.append(
                    (name, _timed(lambda label=label: _pick_page(page, label), ready, page))
                )

        with page.expect_download(timeout=WAIT_MS) as download_info:
            page.locator('[data-testid="stDownloadButton"] button').filter(
                has_text="CSV"
            ).first.click()
        csv_path = tmp_path / "download.csv"
        download_info.value.save_as(csv_path)
        downloaded = read_export(csv_path, "csv", "clusters")
        with Tracker.open(store) as tracker:
            stored = tracker.clusters()
        assert sorted(downloaded["cluster_id"].to_list()) == sorted(stored["cluster_id"].to_list())
        assert downloaded.columns == stored.columns

    _write_benchmark(timings)
    loads = ("server start", "first render", "open the drift view")
    interactions = [seconds for name, seconds in timings if not name.startswith(loads)]
    # The < 1 s goal is reported in BENCHMARKS.md; on a loaded CI machine only gross
    # regressions (an uncached reload of the store, say) fail the test.
    assert statistics.median(interactions) < 3.0, timings


def _write_benchmark(timings: list[tuple[str, float]]) -> None:
    sys.path.insert(0, str(ROOT))
    from bench.report import machine_line, write_section

    samples: dict[str, list[float]] = {}
    for name, seconds in timings:
        samples.setdefault(name, []).append(seconds)
    rows = []
    for name, values in samples.items():
        again = values[1:]
        median = f"{statistics.median(again):.2f}" if again else ""
        rows.append(f"| {name} | {values[0]:.2f} | {median} | {len(again) or ''} |")
    body = (
        "Command: `pytest -m browser tests/test_browser.py -k timings` (headless Chromium "
        "driven by Playwright; store: the 5 seeds; each time runs from the browser action until "
        "the page's expected element is visible, so it includes the server's script run, the "
        "websocket round trip and the browser's rendering). The page switches are repeated "
        f"{REPEATS} more times after the first pass.\n\n"
        f"{machine_line()}\n\n"
        "| step | first | median of repeats | repeats |\n|---|---:|---:|---:|\n"
        + "\n".join(rows)
        + "\n"
    )
    write_section("App (browser)", body)


def _no_injection(page: Any, dialogs: list[str], where: str) -> None:
    assert not dialogs, f"{where}: a dialog opened: {dialogs}"
    injected = page.evaluate(
        """() => ({
            flag: window.__xss ?? null,
            scripts: [...document.querySelectorAll('script')]
                .filter(s => (s.textContent || '').includes('__xss')).length,
            handlers: document
                .querySelectorAll('[onerror],[onload],[onclick],[onmouseover]').length,
            images: document.querySelectorAll('img[src="x"]').length,
            jsLinks: document.querySelectorAll('a[href^="javascript:"]').length,
            bold: [...document.querySelectorAll('b, strong')]
                .filter(b => (b.textContent || '').trim() === 'bold').length,
        })"""
    )
    assert injected == {
        "flag": None,
        "scripts": 0,
        "handlers": 0,
        "images": 0,
        "jsLinks": 0,
        "bold": 0,
    }, f"{where}: {injected}"


def test_hostile_article_text_never_executes(store: Path, tmp_path: Path) -> None:
    from quotes.api import Tracker
    from quotes.sources import article_from_text

    hostile = copy_store(store, tmp_path / "hostile-store")
    tracker = Tracker.open(hostile)
    tracker.ingest_texts(
        [
            article_from_text(
                text,
                name=name,
                title=f"Harbour {HOSTILE_SCRIPT} {HOSTILE_MARKDOWN}",
                publisher=f"Gazette {HOSTILE_IMG}",
            )
            for name, text in HOSTILE_ARTICLES
        ]
    )
    stored = tracker.quotes()
    tracker.close()
    hostile_quotes = stored.filter(stored["text"].str.contains("window.__xss", literal=True))
    assert hostile_quotes.height >= 2, stored["text"].to_list()
    cluster = str(hostile_quotes["cluster_id"][0])
    speaker = next(s for s in hostile_quotes["speaker"].to_list() if s)
    publisher = f"Gazette {HOSTILE_IMG}"

    dialogs: list[str] = []
    with (
        running_app(hostile, tmp_path / "server.log") as (url, _),
        chromium(tmp_path / "profile") as context,
    ):
        page = context.new_page()
        page.set_default_timeout(WAIT_MS)

        def refuse(dialog: Any) -> None:
            dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", refuse)

        def visit(query: str, ready: str) -> None:
            page.goto(f"{url}/?{query}")
            page.locator(ready).first.wait_for()
            _settle(page)

        visit("page=overview", '[data-testid="stMetric"]')
        _no_injection(page, dialogs, "overview")

        visit(f"page=drift&cluster={cluster}", "table.drift-table")
        _no_injection(page, dialogs, "drift view")
        table_text = page.locator("table.drift-table").inner_text()
        for literal in (HOSTILE_SCRIPT, HOSTILE_IMG, HOSTILE_MARKDOWN, publisher):
            assert literal in table_text, (literal, table_text)
        _shot(page, "xss_drift", "table.drift-table", '[data-testid="stVegaLiteChart"]')

        visit("page=who&q=harbour+plan", ".quote-card")
        _no_injection(page, dialogs, "who said it")
        cards = page.locator(".quote-card").all_inner_texts()
        assert any(HOSTILE_SCRIPT in card and HOSTILE_IMG in card for card in cards), cards

        visit(f"page=speaker&name={urllib.parse.quote(speaker)}", ".quote-card")
        _no_injection(page, dialogs, "speaker page")
        assert HOSTILE_SCRIPT in page.locator(".quote-group").first.inner_text()

        visit(f"page=outlet&name={urllib.parse.quote(publisher)}", ".quote-card")
        _no_injection(page, dialogs, "outlet page of the hostile publisher")
        shown = page.locator('[data-testid="stSelectbox"]').first.evaluate(
            "box => box.textContent + ' ' + [...box.querySelectorAll('input')]"
            ".map(i => i.value || i.placeholder || '').join(' ')"
        )
        assert publisher in shown, shown
        assert HOSTILE_SCRIPT in page.locator(".quote-group").first.inner_text()

        visit("page=add", '[data-testid="stFileUploader"]')
        _no_injection(page, dialogs, "add articles")
    assert not dialogs
