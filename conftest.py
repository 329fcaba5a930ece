"""Fixtures for the docstring examples of ``quotes/`` (they run under ``--doctest-modules``).

Every doctest finds in its namespace:

- ``store_path``: a store holding the five seed articles, parsed with the bundled models, built
  once per test session in a temporary directory (read it; do not add to it);
- ``tracker``: a :class:`quotes.api.Tracker` open on that store;
- ``new_store_path()``: a fresh empty store directory, for examples that write;
- ``sample_statement()``: a small statement of two versions built by hand, no store or model
  (:func:`quotes.views.build_statement`), and ``sample_version()``: its second version.
- ``seeds``: the ``seeds/`` directory of the checkout.

The store is only built when a doctest runs, so test runs without doctests pay nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from _pytest.doctest import DoctestItem

from quotes.views import StatementView

ROOT = Path(__file__).resolve().parent
SEEDS = ROOT / "seeds"
BUNDLED_DEPPARSE = ROOT / "data" / "models" / "en" / "depparse"
SHARED_STANZA = ROOT.parent / "shared" / "stanza_resources"

SAMPLE_TEXTS = {
    "a1": "Talks in Beijing\nXinhua said Wang Yi, the minister, told reporters that Beijing "
    "opposes “all forms of hegemonism” and will work with partners. The talks went on.",
    "a2": "KCNA: a meeting\nThe minister said Beijing opposes hegemonism. Nothing else was said.",
}


def sample_statement() -> StatementView:
    """Two versions of one statement, from hand-written articles (see SAMPLE_TEXTS)."""
    from quotes.drift import DriftVersion, cluster_drift
    from quotes.views import build_statement

    first = "Beijing opposes “all forms of hegemonism” and will work with partners"
    second = "Beijing opposes hegemonism"
    rows: list[dict[str, Any]] = []
    for quote_id, article, text, outlet, mention in (
        ("q-1", "a1", first, "Xinhua", "Wang Yi, the minister"),
        ("q-2", "a2", second, "KCNA", "The minister"),
    ):
        start = SAMPLE_TEXTS[article].index(text)
        rows.append(
            {
                "quote_id": quote_id,
                "cluster_id": "u-1",
                "article": article,
                "kind": "indirect",
                "text": text,
                "start": start,
                "end": start + len(text),
                "speaker": "Wang Yi",
                "speaker_mention": mention,
                "outlet": outlet,
                "publisher": None,
                "published": date(2025, 9, 28) if article == "a1" else None,
            }
        )
    drift = cluster_drift(
        [
            DriftVersion(
                r["quote_id"],
                r["text"],
                r["kind"],
                r["speaker"],
                r["outlet"],
                r["article"],
                r["published"],
            )
            for r in rows
        ]
    )
    articles = pl.DataFrame(
        {
            "article": ["a1", "a2"],
            "title": [None, "A meeting"],
            "url": ["https://example.org/a1", None],
        }
    )
    return build_statement(drift, pl.DataFrame(rows), articles, SAMPLE_TEXTS)


@pytest.fixture(scope="session")
def doctest_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The seeds store and a tracker on it, for the docstring examples."""
    with pytest.MonkeyPatch.context() as patch:
        if BUNDLED_DEPPARSE.is_dir():
            patch.delenv("QUOTES_STANZA_DIR", raising=False)
        elif SHARED_STANZA.is_dir():
            patch.setenv("QUOTES_STANZA_DIR", str(SHARED_STANZA))
        else:
            pytest.skip("no Stanza models: neither data/models nor ../shared/stanza_resources")
        patch.delenv("QUOTES_STORE", raising=False)
        from quotes.api import Tracker

        base = tmp_path_factory.mktemp("doctest-store")
        store_path = base / "store"
        counter = iter(range(1_000_000))

        def new_store_path() -> Path:
            return base / f"new-{next(counter)}"

        with Tracker.open(store_path) as tracker:
            tracker.ingest(sorted(SEEDS.glob("*.txt")), progress=False)
            yield {
                "store_path": store_path,
                "tracker": tracker,
                "new_store_path": new_store_path,
                "seeds": SEEDS,
            }


@pytest.fixture(autouse=True)
def _doctest_store_namespace(request: pytest.FixtureRequest) -> None:
    """Give docstring examples the store (built on the first doctest that runs)."""
    if not isinstance(request.node, DoctestItem):
        return
    namespace: dict[str, Any] = request.getfixturevalue("doctest_namespace")
    namespace["sample_statement"] = sample_statement
    namespace["sample_version"] = lambda: sample_statement().versions[1]
    values: dict[str, Any] = request.getfixturevalue("doctest_store")
    namespace.update(values)
