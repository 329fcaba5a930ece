"""Shared set-up for the app tests: a store holding the seeds, built once per test session, and
one that adds two dated reports of one statement whose quoted words differ (``data/pier.jsonl``):
the seeds alone no longer give such a statement."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
BUNDLED_DEPPARSE = ROOT / "data" / "models" / "en" / "depparse"
SHARED_STANZA = ROOT.parent / "shared" / "stanza_resources"


def use_local_models(patch: pytest.MonkeyPatch) -> None:
    """Parse with the bundled models, else the shared Stanza ones (or skip), and open no store
    named in the environment: the tests choose their own."""
    if BUNDLED_DEPPARSE.is_dir():
        patch.delenv("QUOTES_STANZA_DIR", raising=False)
    elif SHARED_STANZA.is_dir():
        patch.setenv("QUOTES_STANZA_DIR", str(SHARED_STANZA))
    else:
        pytest.skip("no Stanza models: neither data/models nor ../shared/stanza_resources")
    patch.delenv("QUOTES_STORE", raising=False)


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


PIER = ROOT / "tests" / "data" / "pier.jsonl"
"""Two dated articles (publisher, title, link) quoting Mara Ellison: the later one drops words
inside the quotation marks (the quoted-words alarm), and the dates give the chain an arrow. Both
date the occasion to the same Tuesday: reports dating it to different days are two statements."""


def pier_store(base: Path) -> Path:
    """A store holding the seeds and :data:`PIER` (built on the first call only)."""
    store = base / "pier-store"
    done = store / ".seeded"
    if done.exists():
        return store
    from quotes.api import Tracker

    copy_store(seeds_store(base), store)
    with Tracker.open(store) as tracker:
        tracker.ingest([PIER], progress=False)
    done.write_text("ok\n", encoding="utf-8")
    return store


def wang_yi_on_hegemonism(tracker: Any) -> dict[str, Any]:
    """The ``clusters`` row of Wang Yi's statement on "hegemonism" seen in several versions (a
    stable fact of the seeds; its wording and grouping follow the extraction)."""
    return next(
        row
        for row in tracker.clusters(min_versions=2).iter_rows(named=True)
        if "hegemonism" in row["reference"] and "Wang Yi" in row["speakers"]
    )
