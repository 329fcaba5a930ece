"""Ingest articles on a Dask cluster: a local one by default, or a real one with --scheduler.

Workers parse and extract (each loads the models once); this process writes the store, which
has a single writer. Needs the optional engine: ``pip install 'quotes[distributed]'``.

Usage::

    python examples/dask_ingest.py seeds/ --store /tmp/dask-store            # 2 local processes
    python examples/dask_ingest.py seeds/ --store /tmp/dask-store --workers 4
    python examples/dask_ingest.py articles/ --scheduler tcp://scheduler:8786  # a cluster
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from quotes.distributed import DEFAULT_CHUNK_SIZE, ingest_with_dask, local_client
from quotes.errors import QuotesError
from quotes.store import Store


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="files, directories or glob patterns")
    parser.add_argument("--store", default=None, help="store directory (default data/quotes)")
    parser.add_argument("--scheduler", default=None, help="address of a running Dask scheduler")
    parser.add_argument("--workers", type=int, default=2, help="local worker processes")
    parser.add_argument("--chunk-size", type=int, default=DEFAULT_CHUNK_SIZE)
    args = parser.parse_args(argv)
    try:
        with Store.open(args.store) as store:
            if args.scheduler:
                from dask.distributed import Client

                with Client(args.scheduler) as client:
                    report = ingest_with_dask(
                        args.paths, store, client=client, chunk_size=args.chunk_size
                    )
            else:
                with local_client(args.workers) as client:
                    report = ingest_with_dask(
                        args.paths, store, client=client, chunk_size=args.chunk_size
                    )
            counts = store.counts()
    except QuotesError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for source, problem in report.skipped:
        print(f"{source}: {problem} (skipped)", file=sys.stderr)
    print(report.summary())
    print(
        f"parsed {report.parsed} texts in {report.seconds:.1f} s; store now holds "
        f"{counts['articles']} articles, {counts['quotes']} quotes"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
