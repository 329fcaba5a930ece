#!/usr/bin/env bash
# Install quotes and everything it needs into .venv (idempotent; safe to re-run).
#   bash scripts/setup.sh            # library, CLI, app, test tools
#   QUOTES_BROWSER=1 bash scripts/setup.sh   # also Debian's chromium for the browser tests
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
# torch first and pinned: a looser requirement pulls a multi-GB CUDA build.
.venv/bin/python -m pip install -q --disable-pip-version-check "torch==2.13.0"
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[dev,distributed]'

if [ "${QUOTES_BROWSER:-0}" = "1" ] && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  else
    echo "setup: chromium not installed (needs root and apt-get); browser tests will be skipped" >&2
  fi
fi
echo "setup: done (.venv ready)"
