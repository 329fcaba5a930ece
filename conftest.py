"""Fixtures for the docstring examples of ``quotes/`` (they run under ``--doctest-modules``).

Every doctest finds in its namespace:

- ``store_path``: a store holding the five seed articles, parsed with the bundled models, built
  once per test session in a temporary directory (read it; do not add to it);
- ``tracker``: a :class:`quotes.api.Tracker` open on that store;
- ``new_store_path()``: a fresh empty store directory, for examples that write;
- ``seeds``: the ``seeds/`` directory of the checkout.

The store is only built when a doctest runs, so test runs without doctests pay nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _pytest.doctest import DoctestItem

ROOT = Path(__file__).resolve().parent
SEEDS = ROOT / "seeds"
BUNDLED_DEPPARSE = ROOT / "data" / "models" / "en" / "depparse"
SHARED_STANZA = ROOT.parent / "shared" / "stanza_resources"


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
    values: dict[str, Any] = request.getfixturevalue("doctest_store")
    namespace.update(values)
