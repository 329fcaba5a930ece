"""Shared plumbing for the benchmarks: locating ../shared and writing BENCHMARKS.md sections.

Each benchmark owns one ``## Title`` section of ``BENCHMARKS.md`` and replaces only that section,
so the benchmarks can run in any order and in separate commits.

Example:
    >>> replace_section("# B\\n\\n## A\\nold\\n", "A", "new")
    '# B\\n\\n## A\\n\\nnew\\n'
"""

from __future__ import annotations

import os
import platform
import re
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "BENCHMARKS.md"
HEADER = (
    "# Benchmarks\n\nFigures written by the scripts in `bench/`; each section names its command.\n"
)


def shared_dir() -> Path:
    """``../shared`` beside the checkout, or ``$QUOTES_SHARED`` when set."""
    return Path(os.environ.get("QUOTES_SHARED", ROOT.parent / "shared"))


def machine_line() -> str:
    """One line describing where the figures were measured."""
    cores = os.cpu_count() or 0
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    python = platform.python_version()
    return f"_Measured {stamp} on {platform.machine()}, {cores} cores, Python {python}._"


def replace_section(document: str, title: str, body: str) -> str:
    """Return ``document`` with the ``## title`` section replaced by ``body`` (appended if new)."""
    section = f"## {title}\n\n{body.strip()}\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.DOTALL | re.MULTILINE)
    if pattern.search(document):
        return pattern.sub(lambda _: section + "\n", document, count=1).rstrip("\n") + "\n"
    return document.rstrip("\n") + "\n\n" + section


def write_section(title: str, body: str, path: Path = BENCHMARKS) -> None:
    """Write one benchmark's section into BENCHMARKS.md, keeping every other section."""
    current = path.read_text(encoding="utf-8") if path.exists() else HEADER
    path.write_text(replace_section(current, title, body), encoding="utf-8")
