"""Refresh the app's screenshots and page timings: the browser tests with QUOTES_REFRESH_DOCS=1.

Runs ``pytest -m browser tests/test_browser.py`` in a real headless Chromium over a store of the
seeds; with ``QUOTES_REFRESH_DOCS=1`` the tests write their screenshots to ``docs/screenshots/``
and the measured page timings to the ``## App (browser)`` section of ``BENCHMARKS.md`` (without
it, as in the normal test run, both go to a temporary folder and the checkout is left as it was).

Usage: ``python bench/app.py [extra pytest arguments]``; exits with pytest's code.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    env = os.environ | {"QUOTES_REFRESH_DOCS": "1"}
    command = [sys.executable, "-m", "pytest", "-q", "-m", "browser", "tests/test_browser.py"]
    return subprocess.call([*command, *argv], cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
