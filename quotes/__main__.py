"""``python -m quotes`` runs the ``quotes`` command.

Example:
    $ python -m quotes --help
"""

from __future__ import annotations

import sys

from quotes.cli import main

sys.exit(main())
