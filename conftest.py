"""Names the docstring examples of ``quotes`` can use (pytest runs them with --doctest-modules).

- ``seeds_store()``: the path of a store holding the five seed articles, built once per test
  session with the bundled models (the doctest is skipped when the models are missing);
- ``sample_statement()``: a small statement of two versions built by hand, no store or model;
- ``sample_version()``: its second version.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest

ROOT = Path(__file__).resolve().parent

SAMPLE_TEXTS = {
    "a1": "Talks in Beijing\nXinhua said Wang Yi, the minister, told reporters that Beijing "
    "opposes “all forms of hegemonism” and will work with partners. The talks went on.",
    "a2": "KCNA: a meeting\nThe minister said Beijing opposes hegemonism. Nothing else was said.",
}


def sample_statement() -> object:
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


def _seeds_store(base: Path) -> Path:
    bundled = ROOT / "data" / "models" / "en" / "depparse"
    if not bundled.exists() and not os.environ.get("QUOTES_STANZA_DIR"):
        pytest.skip("the bundled models are not trained yet (no data/models/en/depparse)")
    store = base / "seeds-store"
    if (store / ".seeded").exists():
        return store
    from quotes.api import Tracker

    with Tracker.open(store) as tracker:
        tracker.ingest(sorted((ROOT / "seeds").glob("*.txt")), progress=False)
    (store / ".seeded").write_text("ok\n", encoding="utf-8")
    return store


@pytest.fixture(autouse=True)
def _doctest_names(
    doctest_namespace: dict[str, object], tmp_path_factory: pytest.TempPathFactory
) -> None:
    seeds: Callable[[], Path] = lambda: _seeds_store(tmp_path_factory.getbasetemp())  # noqa: E731
    doctest_namespace["seeds_store"] = seeds
    doctest_namespace["sample_statement"] = sample_statement
    doctest_namespace["sample_version"] = lambda: sample_statement().versions[1]  # type: ignore[attr-defined]
