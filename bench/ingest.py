"""Ingest benchmark: time per article of a first ingest, and of re-ingesting the unchanged corpus.

Corpora: the seeds, and the PolNeAR dev texts from ``../shared/polnear/dev/text`` when present
(read at run time as ``.txt`` inputs; nothing is copied). Each corpus goes into a fresh store in a
temporary directory; the models are loaded before the clock starts (their load time is reported
apart). Target: re-ingesting an unchanged corpus costs under 1% of its first ingest.

Usage:
    python bench/ingest.py                 # seeds + PolNeAR dev, writes the "Ingest" section
    python bench/ingest.py --no-polnear    # seeds only
    python bench/ingest.py --workers 2     # parse in 2 processes

Example:
    >>> row = measure("seeds", [ROOT / "seeds"], workers=1)     # doctest: +SKIP
    >>> row.reingest_ratio < 0.01                               # doctest: +SKIP
    True
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import machine_line, shared_dir, write_section  # noqa: E402
from quotes.api import Tracker  # noqa: E402
from quotes.nlp import load_pipeline  # noqa: E402


@dataclass(frozen=True)
class IngestRow:
    """Figures for one corpus."""

    corpus: str
    articles: int
    chars: int
    quotes: int
    first_seconds: float
    reingest_seconds: float

    @property
    def per_article(self) -> float:
        return self.first_seconds / max(self.articles, 1)

    @property
    def reingest_ratio(self) -> float:
        return self.reingest_seconds / self.first_seconds if self.first_seconds else 0.0


def measure(corpus: str, paths: list[Path], *, workers: int, batch_size: int = 32) -> IngestRow:
    """Ingest ``paths`` into a fresh store, then again unchanged; return the timings."""
    with (
        tempfile.TemporaryDirectory(prefix="quotes-bench-") as folder,
        Tracker.open(Path(folder) / "store") as tracker,
    ):
        started = time.perf_counter()
        first = tracker.ingest(paths, progress=True, workers=workers, batch_size=batch_size)
        first_seconds = time.perf_counter() - started
        started = time.perf_counter()
        again = tracker.ingest(paths, progress=False, workers=workers, batch_size=batch_size)
        reingest_seconds = time.perf_counter() - started
        assert again.unchanged == first.added and again.parsed == 0, again
        articles = tracker.articles()
        return IngestRow(
            corpus=corpus,
            articles=first.added,
            chars=int(articles["n_chars"].sum()),
            quotes=first.quotes_added,
            first_seconds=first_seconds,
            reingest_seconds=reingest_seconds,
        )


def render(rows: list[IngestRow], *, load_seconds: float, models: str, command: str) -> str:
    """The markdown body of the ``Ingest`` section."""
    busy = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        f"Command: `{command}`",
        "",
        machine_line(),
        f"Load average when the run ended: {busy:.1f} (other jobs share the cores; times are "
        "wall-clock).",
        "",
        f"Models: {models}; loading them took {load_seconds:.1f} s (not counted below). "
        "First ingest = read, parse, extract, attribute, store, cluster; re-ingest = the same "
        "inputs again, unchanged (every article found by content hash, nothing parsed).",
        "",
        "| corpus | articles | characters | quotes | first ingest (s) | s/article | articles/s "
        "| re-ingest (s) | re-ingest / first |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row.corpus} | {row.articles} | {row.chars:,} | {row.quotes} | "
            f"{row.first_seconds:.2f} | {row.per_article:.3f} | "
            f"{row.articles / row.first_seconds:.2f} | {row.reingest_seconds:.3f} | "
            f"{100 * row.reingest_ratio:.2f}% |"
        )
    verdict = all(row.reingest_ratio < 0.01 for row in rows)
    lines += ["", f"Target re-ingest < 1% of the first ingest: {'met' if verdict else 'NOT met'}."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-polnear", action="store_true", help="seeds only")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument(
        "--polnear-limit", type=int, default=0, metavar="N", help="first N PolNeAR texts only"
    )
    parser.add_argument("--no-write", action="store_true", help="print, do not touch BENCHMARKS.md")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    nlp = load_pipeline()
    load_seconds = time.perf_counter() - started
    parser_state = "on" if nlp.can_parse else "absent"
    models = f"{nlp.config.source} ({nlp.config.directory}), parser {parser_state}"

    corpora: list[tuple[str, list[Path]]] = [("seeds", [ROOT / "seeds"])]
    polnear = shared_dir() / "polnear" / "dev" / "text"
    if not args.no_polnear:
        if polnear.is_dir():
            texts = sorted(polnear.glob("*.txt"))
            if args.polnear_limit:
                texts = texts[: args.polnear_limit]
            label = f"PolNeAR dev ({len(texts)} texts)"
            corpora.append((label, list(texts)))
        else:
            print(f"bench/ingest: {polnear} absent; PolNeAR skipped", file=sys.stderr)
    rows = [
        measure(name, paths, workers=args.workers, batch_size=args.batch_size)
        for name, paths in corpora
    ]
    command = "python bench/ingest.py" + (f" --workers {args.workers}" if args.workers > 1 else "")
    if args.no_polnear:
        command += " --no-polnear"
    elif args.polnear_limit:
        command += f" --polnear-limit {args.polnear_limit}"
    body = render(rows, load_seconds=load_seconds, models=models, command=command)
    print(body)
    if not args.no_write:
        write_section("Ingest", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
