"""Shared set-up for the app tests: a store holding the seeds, built once per test session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
BUNDLED_DEPPARSE = ROOT / "data" / "models" / "en" / "depparse"


def require_models() -> None:
    """Skip unless the bundled models are there (or a models directory is chosen explicitly)."""
    if not BUNDLED_DEPPARSE.exists() and not os.environ.get("QUOTES_STANZA_DIR"):
        pytest.skip("the bundled models are not trained yet (no data/models/en/depparse)")


def seeds_store(base: Path) -> Path:
    """A store under ``base`` holding the five seed articles (built on the first call only)."""
    require_models()
    store = base / "seeds-store"
    done = store / ".seeded"
    if done.exists():
        return store
    from quotes.api import Tracker

    tracker = Tracker.open(store)
    try:
        tracker.ingest(sorted(SEEDS.glob("*.txt")))
    finally:
        close = getattr(tracker, "close", None)
        if callable(close):
            close()
    done.write_text("ok\n", encoding="utf-8")
    return store


def copy_store(store: Path, target: Path) -> Path:
    """A private copy of a store, for tests that add articles to it."""
    shutil.copytree(store, target)
    return target
