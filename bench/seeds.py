"""Score extraction and attribution on the seeds against our own annotation, write BENCHMARKS.md.

The gold is ``tests/data/seeds_gold.json``: every statement of the five seed articles with its
speaker (full name) and outlet, annotated by reading the articles before looking at the tool's
output on them. Statements marked ``optional`` are borderline: found, they count neither as a hit
nor as a false quote; missed, they count as nothing.

Matching is PolNeAR's lenient rule (contents overlap by at least half of the shorter one, one to
one, greedily by overlap). Figures:

- recall: required statements found / required statements;
- precision: quotes found that match a statement / quotes found (scare quotes excluded; quotes
  matching an optional statement are left out of both counts);
- speaker accuracy: matched statements whose speaker is the gold speaker (a group: the same set
  of names, in any order);
- outlet accuracy: matched statements whose outlet is the gold outlet (none = none);
- named speakers: statements by Choe Son Hui, Wang Yi or Xi Jinping found with the full name.

Usage::

    python bench/seeds.py              # prints the figures and the errors, writes BENCHMARKS.md
    python bench/seeds.py --no-write
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import machine_line, write_section  # noqa: E402
from quotes.records import Quote  # noqa: E402

GOLD = ROOT / "tests" / "data" / "seeds_gold.json"
SEEDS = ROOT / "seeds"
TITLE = "Attribution (seeds, our annotation)"
NAMED = ("Choe Son Hui", "Wang Yi", "Xi Jinping")


@dataclass(frozen=True, slots=True)
class Statement:
    """One annotated statement of a seed article."""

    article: str
    start: int
    end: int
    text: str
    speaker: str
    outlet: str | None
    optional: bool


def load_gold(path: Path = GOLD) -> dict[str, list[Statement]]:
    """Article id -> its annotated statements."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return {
        article: [
            Statement(
                article, r["start"], r["end"], r["text"], r["speaker"], r["outlet"], r["optional"]
            )
            for r in rows
        ]
        for article, rows in data["articles"].items()
    }


def speaker_names(name: str | None) -> frozenset[str]:
    """The set of names a speaker string joins ("A and B", "A, B and C"), case-folded."""
    if not name:
        return frozenset()
    parts = re.split(r",\s*(?:and\s+)?|\s+and\s+", name.casefold())
    return frozenset(p.strip() for p in parts if p.strip())


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    shared = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0])
    return shared / shorter if shared > 0 and shorter > 0 else 0.0


def match(gold: Sequence[Statement], found: Sequence[Quote]) -> list[tuple[Statement, Quote]]:
    """Greedy one-to-one lenient matches between statements and quotes."""
    pairs = []
    for gi, g in enumerate(gold):
        for qi, q in enumerate(found):
            share = _overlap((g.start, g.end), (q.start, q.end))
            if share >= 0.5:
                pairs.append((share, gi, qi))
    pairs.sort(reverse=True)
    used_g: set[int] = set()
    used_q: set[int] = set()
    matched = []
    for _, gi, qi in pairs:
        if gi not in used_g and qi not in used_q:
            used_g.add(gi)
            used_q.add(qi)
            matched.append((gold[gi], found[qi]))
    return matched


@dataclass(slots=True)
class Tally:
    """Counts over the seeds, and the errors behind them (for reading, not for tuning rules)."""

    required: int = 0
    found_required: int = 0
    predicted: int = 0
    true_predicted: int = 0
    matched: int = 0
    speaker_ok: int = 0
    outlet_ok: int = 0
    named: int = 0
    named_ok: int = 0
    errors: list[str] | None = None

    def add(self, gold: Sequence[Statement], quotes: Sequence[Quote]) -> None:
        errors = self.errors if self.errors is not None else []
        self.errors = errors
        found = [q for q in quotes if q.kind != "scare"]
        pairs = match(gold, found)
        matched_quotes = {id(q) for _, q in pairs}
        optional_hits = sum(1 for g, _ in pairs if g.optional)
        self.required += sum(1 for g in gold if not g.optional)
        self.found_required += sum(1 for g, _ in pairs if not g.optional)
        self.predicted += len(found) - optional_hits
        self.true_predicted += len(pairs) - optional_hits
        matched_gold = {id(g) for g, _ in pairs}
        for g in gold:
            if id(g) not in matched_gold and not g.optional:
                errors.append(f"missed  {g.article}: {g.text[:70]!r} ({g.speaker})")
        for q in found:
            if id(q) not in matched_quotes:
                errors.append(f"false   {q.doc}: {q.text[:70]!r} ({q.speaker})")
        for g, q in pairs:
            self.matched += 1
            speaker_ok = speaker_names(q.speaker) == speaker_names(g.speaker)
            self.speaker_ok += speaker_ok
            self.outlet_ok += (q.outlet or None) == g.outlet
            if not speaker_ok:
                errors.append(f"speaker {g.article}: {q.speaker!r} for {g.speaker!r}")
            if (q.outlet or None) != g.outlet:
                errors.append(f"outlet  {g.article}: {q.outlet!r} for {g.outlet!r}")
        for g in gold:
            if not g.optional and any(name in g.speaker for name in NAMED):
                self.named += 1
                hit = next((q for gg, q in pairs if gg is g), None)
                self.named_ok += hit is not None and all(
                    name.casefold() in speaker_names(hit.speaker)
                    for name in NAMED
                    if name in g.speaker
                )

    def figures(self) -> dict[str, float]:
        def pct(a: int, b: int) -> float:
            return 100 * a / b if b else 0.0

        return {
            "recall": pct(self.found_required, self.required),
            "precision": pct(self.true_predicted, self.predicted),
            "speaker": pct(self.speaker_ok, self.matched),
            "outlet": pct(self.outlet_ok, self.matched),
            "named": pct(self.named_ok, self.named),
        }


def evaluate() -> Tally:
    """Run the application's extraction (bundled models) over the seeds and tally it."""
    from quotes.extract import extract_texts

    gold = load_gold()
    items = [(doc, (SEEDS / f"{doc}.txt").read_text(encoding="utf-8")) for doc in sorted(gold)]
    results = extract_texts(items)
    tally = Tally()
    for (doc, _), quotes in zip(items, results, strict=True):
        tally.add(gold[doc], quotes)
    return tally


def report(tally: Tally) -> str:
    f = tally.figures()
    return "\n".join(
        [
            "| recall | precision | speaker acc | outlet acc | Choe/Wang/Xi with full name |",
            "|---|---|---|---|---|",
            f"| {f['recall']:.1f} ({tally.found_required}/{tally.required}) "
            f"| {f['precision']:.1f} ({tally.true_predicted}/{tally.predicted}) "
            f"| {f['speaker']:.1f} ({tally.speaker_ok}/{tally.matched}) "
            f"| {f['outlet']:.1f} ({tally.outlet_ok}/{tally.matched}) "
            f"| {f['named']:.1f} ({tally.named_ok}/{tally.named}) |",
            "",
            "Targets: recall >= 95, precision >= 90, every statement by Choe Son Hui, Wang Yi and "
            "Xi Jinping with the full name.",
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="do not touch BENCHMARKS.md")
    parser.add_argument("--errors", action="store_true", help="list every miss and false quote")
    args = parser.parse_args(argv)
    tally = evaluate()
    table = report(tally)
    print(table)
    if args.errors:
        print("\n".join(tally.errors or []))
    if not args.no_write:
        body = f"Command: `python bench/seeds.py`\n\n{machine_line()}\n\n{table}"
        write_section(TITLE, body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
