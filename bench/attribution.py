"""Score quote extraction and attribution on PolNeAR (brat standoff), write BENCHMARKS.md.

Runs the engine behind ``quotes extract`` (:func:`quotes.extract.extract_texts`, the function
the command calls; the staged extractor of :mod:`quotes.extraction`) on
``../shared/polnear/<split>/text/*.txt`` and compares with the gold attributions in
``attributions/*.ann``. A gold attribution is an ``E`` line joining Content span(s) (possibly
discontinuous, "Content 10 20;30 40"), a Source and a Cue.

Metrics, for ALL gold attributions and the DIRECT subset (gold content holding a quote mark or
delimited by one, as annotators differ on including the marks; predicted kinds direct and
mixed):

- lenient: contents overlap by >= 50% of the shorter, matched one to one greedily by overlap;
- strict: equal boundaries after stripping whitespace, quote marks and trailing ``,.;:``;
- speaker (cue) accuracy: among lenient matches whose gold has a Source (Cue), the predicted
  speaker (cue) span overlaps it.

Usage::

    python bench/attribution.py                 # dev split, Stanza models, writes BENCHMARKS.md
    python bench/attribution.py --split train   # for tuning (does not write BENCHMARKS.md)
    python bench/attribution.py --tokenizer stanza   # Stanza's neural tokenizer, not the rules
    python bench/attribution.py --split train --parse-cache data/cache/parses --no-write
                                                # tuning: every sentence parsed once, pickled

The full dev run also scores the other tokenizer and writes both rows, so the choice of default
tokenizer (:mod:`quotes.segment`'s rules) stays checked against Stanza's.

PolNeAR text is read at run time only and never copied into the project.
"""

from __future__ import annotations

import argparse
import hashlib
import pickle
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.report import machine_line, shared_dir, write_section
from quotes.nlp import TOKENIZERS  # Stanza itself is imported only when a pipeline loads
from quotes.records import ParsedDoc, Quote

TITLE = "Attribution (PolNeAR dev)"
QUOTE_MARKS = '"“”„«»‘'
Spans = tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class Item:
    content: Spans
    source: Spans
    cue: Spans
    direct: bool


def _spans(value: str) -> Spans:
    pieces = []
    for part in value.split(";"):
        start, end = part.split()
        pieces.append((int(start), int(end)))
    return tuple(pieces)


def _quoted(text: str, start: int, end: int) -> bool:
    """Content holding a quote mark, or sitting right inside one (annotators differ on whether
    the marks belong to the span)."""
    if any(ch in QUOTE_MARKS for ch in text[start:end]) or "''" in text[start:end]:
        return True
    before = text[max(0, start - 2) : start].strip()
    after = text[end : end + 2].strip()
    return bool(before and before[-1] in QUOTE_MARKS) or bool(
        after and after[0] in QUOTE_MARKS + "’"
    )


def load_gold(ann: Path, text: str) -> list[Item]:
    """The attributions of one ``.ann`` file."""
    spans: dict[str, tuple[str, Spans]] = {}
    events: list[str] = []
    for line in ann.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if len(fields) < 2:
            continue
        if fields[0].startswith("T"):
            label, _, ranges = fields[1].partition(" ")
            try:
                spans[fields[0]] = (label, _spans(ranges))
            except ValueError:
                continue
        elif fields[0].startswith("E"):
            events.append(fields[1])
    items = []
    for event in events:
        parts: dict[str, list[tuple[int, int]]] = {"Content": [], "Source": [], "Cue": []}
        for argument in event.split()[1:]:
            role, _, ref = argument.partition(":")
            role = re.sub(r"\d+$", "", role)
            if role in parts and ref in spans:
                parts[role].extend(spans[ref][1])
        if not parts["Content"]:
            continue
        content = tuple(sorted(parts["Content"]))
        direct = any(_quoted(text, s, e) for s, e in content)
        items.append(
            Item(content, tuple(sorted(parts["Source"])), tuple(sorted(parts["Cue"])), direct)
        )
    return items


def predicted_items(quotes: Sequence[Quote]) -> list[Item]:
    items = []
    for q in quotes:
        if q.kind == "scare":
            continue  # quoted words with no speaker: not attributions
        source = ((q.speaker_start, q.speaker_end),) if q.speaker_start is not None else ()
        cue = ((q.cue_start, q.cue_end),) if q.cue_start is not None else ()
        items.append(Item(q.spans, source, cue, q.kind in {"direct", "mixed"}))  # type: ignore[arg-type]
    return items


def _chars(spans: Spans) -> set[int]:
    return {i for s, e in spans for i in range(s, e)}


def _strip(text: str, spans: Spans) -> tuple[int, int]:
    start, end = min(s for s, _ in spans), max(e for _, e in spans)
    junk = " \t\r\n" + QUOTE_MARKS + "’'"
    changed = True
    while changed and start < end:
        changed = False
        while start < end and text[start] in junk:
            start, changed = start + 1, True
        while end > start and (text[end - 1] in junk or text[end - 1] in ",.;:"):
            end, changed = end - 1, True
    return start, end


def _overlaps(a: Spans, b: Spans) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


@dataclass(slots=True)
class Tally:
    gold: int = 0
    predicted: int = 0
    lenient: int = 0
    strict: int = 0

    def scores(self, kind: str) -> tuple[float, float, float]:
        hit = self.lenient if kind == "lenient" else self.strict
        p = hit / self.predicted if self.predicted else 0.0
        r = hit / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return 100 * p, 100 * r, 100 * f


def match(text: str, gold: list[Item], pred: list[Item]) -> tuple[list[tuple[Item, Item]], int]:
    """Greedy one-to-one lenient matches, and the number of strict matches."""
    gold_chars = [_chars(g.content) for g in gold]
    pred_chars = [_chars(p.content) for p in pred]
    pairs = []
    for gi, gc in enumerate(gold_chars):
        for pi, pc in enumerate(pred_chars):
            shared = len(gc & pc)
            shorter = min(len(gc), len(pc))
            if shorter and shared / shorter >= 0.5:
                pairs.append((shared / shorter, shared, gi, pi))
    pairs.sort(reverse=True)
    used_g: set[int] = set()
    used_p: set[int] = set()
    matched = []
    for _, _, gi, pi in pairs:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        matched.append((gold[gi], pred[pi]))
    gold_bounds = [_strip(text, g.content) for g in gold]
    pred_bounds = [_strip(text, p.content) for p in pred]
    remaining = list(pred_bounds)
    strict = 0
    for bounds in gold_bounds:
        if bounds in remaining:
            remaining.remove(bounds)
            strict += 1
    return matched, strict


@dataclass(slots=True)
class Scores:
    """Match counts of one run: per subset ("all", "direct"), and speaker and cue hits."""

    tallies: dict[str, Tally]
    speaker_ok: int = 0
    speaker_n: int = 0
    cue_ok: int = 0
    cue_n: int = 0


def score(
    split_dir: Path, items: Sequence[tuple[str, str]], results: Sequence[Sequence[Quote]]
) -> Scores:
    """Score predicted quotes against the gold attributions of ``split_dir`` (one per article)."""
    scores = Scores(tallies={"all": Tally(), "direct": Tally()})
    for (doc, text), quotes in zip(items, results, strict=True):
        ann = split_dir / "attributions" / f"{doc}.ann"
        gold = load_gold(ann, text) if ann.exists() else []
        pred = predicted_items(quotes)
        for name, g_sel, p_sel in (
            ("all", gold, pred),
            ("direct", [g for g in gold if g.direct], [p for p in pred if p.direct]),
        ):
            matched, strict = match(text, g_sel, p_sel)
            tally = scores.tallies[name]
            tally.gold += len(g_sel)
            tally.predicted += len(p_sel)
            tally.lenient += len(matched)
            tally.strict += strict
            if name != "all":
                continue
            for g, p in matched:
                if g.source:
                    scores.speaker_n += 1
                    scores.speaker_ok += _overlaps(g.source, p.source)
                if g.cue:
                    scores.cue_n += 1
                    scores.cue_ok += _overlaps(g.cue, p.cue)
    return scores


def _mostly_inside_any(chars: set[int], regions: Sequence[set[int]]) -> bool:
    return any(len(chars & r) / min(len(chars), len(r)) >= 0.5 for r in regions if r and chars)


def scare_quote_bounds(
    split_dir: Path, items: Sequence[tuple[str, str]], results: Sequence[Sequence[Quote]]
) -> dict[str, tuple[float, float, int]]:
    """DIRECT lenient and strict F1 (and predictions) as the engine stands, with every scare
    quote counted as an attribution, and with only the scare quotes that fall inside a gold
    attribution left unmatched (an oracle no rule can beat: it reads the gold to choose).

    Where the DIRECT misses are quoted words inside clauses with no speech verb, this says how
    far promoting them could go, and what it would cost the strict match.
    """
    totals = {name: [0, 0, 0, 0] for name in ("engine", "all scare quotes", "oracle")}
    for (doc, text), quotes in zip(items, results, strict=True):
        ann = split_dir / "attributions" / f"{doc}.ann"
        gold = [g for g in (load_gold(ann, text) if ann.exists() else []) if g.direct]
        base = [p for p in predicted_items(quotes) if p.direct]
        matched, _ = match(text, gold, base)
        taken = {id(g) for g, _ in matched}
        free = [_chars(g.content) for g in gold if id(g) not in taken]
        scare = [q for q in quotes if q.kind == "scare"]
        extras: dict[str, list[Quote]] = {
            "engine": [],
            "all scare quotes": scare,
            "oracle": [q for q in scare if _mostly_inside_any(_chars(q.spans), free)],
        }
        for name, extra in extras.items():
            pred = base + [Item(q.spans, (), (), True) for q in extra]
            hits, strict = match(text, gold, pred)
            tally = totals[name]
            tally[0] += len(gold)
            tally[1] += len(pred)
            tally[2] += len(hits)
            tally[3] += strict
    return {
        name: (200 * m / (g + p) if g + p else 0.0, 200 * s / (g + p) if g + p else 0.0, p)
        for name, (g, p, m, s) in totals.items()
    }


def _cached_parses(
    items: Sequence[tuple[str, str]], cache: Path, tokenizer: str = "rules"
) -> list[ParsedDoc]:
    """Every sentence of every (unwrapped) article parsed once and pickled under ``cache`` by
    content hash. For tuning the rules: re-scoring then takes seconds instead of a full parse.
    """
    from quotes.extraction import unwrap
    from quotes.nlp import load_pipeline

    cache.mkdir(parents=True, exist_ok=True)
    paths = [
        cache / f"{tokenizer}-{hashlib.sha256(text.encode()).hexdigest()[:24]}.pickle"
        for _, text in items
    ]
    missing = [i for i, path in enumerate(paths) if not path.exists()]
    if missing:
        nlp = load_pipeline(tokenizer=tokenizer)
        for start in tqdm(range(0, len(missing), 20), desc="parse (cached)"):
            chunk = missing[start : start + 20]
            docs = nlp.parse_many([unwrap(items[i][1]) for i in chunk], select=None)
            for i, doc in zip(chunk, docs, strict=True):
                paths[i].write_bytes(pickle.dumps(doc))
    return [pickle.loads(path.read_bytes()) for path in paths]


def rule_table(
    split_dir: Path, items: Sequence[tuple[str, str]], results: Sequence[Sequence[Quote]]
) -> list[tuple[str, int, float, float]]:
    """Per rule: quotes it helped make, their precision (lenient match to a gold attribution),
    and its recall (gold attributions matched by a quote it helped make, over all gold)."""
    made: dict[str, int] = {}
    right: dict[str, int] = {}
    total_gold = 0
    for (doc, text), quotes in zip(items, results, strict=True):
        ann = split_dir / "attributions" / f"{doc}.ann"
        gold = load_gold(ann, text) if ann.exists() else []
        total_gold += len(gold)
        kept = [q for q in quotes if q.kind != "scare"]
        pred = predicted_items(kept)
        matched, _ = match(text, gold, pred)
        hits = {id(p) for _, p in matched}
        for quote, item in zip(kept, pred, strict=True):
            for rule in dict.fromkeys(quote.rules):
                made[rule] = made.get(rule, 0) + 1
                right[rule] = right.get(rule, 0) + (id(item) in hits)
    return sorted(
        (
            (rule, n, 100 * right[rule] / n, 100 * right[rule] / total_gold if total_gold else 0.0)
            for rule, n in made.items()
        ),
        key=lambda row: -row[1],
    )


def calibration(
    split_dir: Path, items: Sequence[tuple[str, str]], results: Sequence[Sequence[Quote]]
) -> list[tuple[str, int, float]]:
    """Precision of the quotes in each confidence band: does a higher confidence mean more often
    right?"""
    bands = [(0.0, 0.5), (0.5, 0.7), (0.7, 0.85), (0.85, 1.01)]
    counts = [[0, 0] for _ in bands]
    for (doc, text), quotes in zip(items, results, strict=True):
        ann = split_dir / "attributions" / f"{doc}.ann"
        gold = load_gold(ann, text) if ann.exists() else []
        kept = [q for q in quotes if q.kind != "scare"]
        pred = predicted_items(kept)
        matched, _ = match(text, gold, pred)
        hits = {id(p) for _, p in matched}
        for quote, item in zip(kept, pred, strict=True):
            for k, (low, high) in enumerate(bands):
                if low <= quote.confidence < high:
                    counts[k][0] += 1
                    counts[k][1] += id(item) in hits
    return [
        (f"{low:.2f}-{min(high, 1.0):.2f}", n, 100 * hit / n if n else 0.0)
        for (low, high), (n, hit) in zip(bands, counts, strict=True)
    ]


def evaluate(
    split_dir: Path,
    limit: int | None,
    cache: Path | None = None,
    tokenizer: str = "rules",
) -> tuple[str, dict[str, float]]:
    from quotes.extract import extract_texts
    from quotes.extraction import extract_quotes
    from quotes.nlp import load_pipeline

    texts = sorted((split_dir / "text").glob("*.txt"))[: limit or None]
    items = [(path.stem, path.read_text(encoding="utf-8")) for path in texts]
    started = time.perf_counter()
    if cache is not None:
        docs = _cached_parses(items, cache, tokenizer)
        started = time.perf_counter()
        results = [
            extract_quotes(doc, doc_id=d, original=text)
            for (d, text), doc in zip(items, docs, strict=True)
        ]
    else:
        nlp = load_pipeline(tokenizer=tokenizer)
        nlp.parse("Warm-up sentence, said nobody.")  # lazy model set-up out of the timing
        started = time.perf_counter()
        with tqdm(total=len(items), desc=f"tokenize ({tokenizer})") as bar:
            results = extract_texts(items, nlp=nlp, progress=lambda done: bar.update(done - bar.n))
    elapsed = time.perf_counter() - started
    scores = score(split_dir, items, results)
    return _report(split_dir, items, results, scores, elapsed, cache is not None, tokenizer)


def _report(
    split_dir: Path,
    items: Sequence[tuple[str, str]],
    results: Sequence[Sequence[Quote]],
    scores: Scores,
    elapsed: float,
    cached: bool,
    tokenizer: str,
) -> tuple[str, dict[str, float]]:
    tallies = scores.tallies
    rows = []
    figures: dict[str, float] = {}
    for name in ("direct", "all"):
        tally = tallies[name]
        for kind in ("lenient", "strict"):
            precision, recall, f1 = tally.scores(kind)
            figures[f"{name}_{kind}_f1"] = f1
            cells = [name.upper(), kind, f"{precision:.1f}", f"{recall:.1f}", f"{f1:.1f}"]
            cells += [str(tally.gold), str(tally.predicted)]
            rows.append("| " + " | ".join(cells) + " |")
    speaker_acc = 100 * scores.speaker_ok / scores.speaker_n if scores.speaker_n else 0.0
    cue_acc = 100 * scores.cue_ok / scores.cue_n if scores.cue_n else 0.0
    figures.update(speaker_acc=speaker_acc, cue_acc=cue_acc, articles_per_s=len(items) / elapsed)
    pipeline = "cached full parses" if cached else _pipeline_words(tokenizer)
    rules = rule_table(split_dir, items, results)
    bands = calibration(split_dir, items, results)
    table = "\n".join(
        [
            "| subset | match | P | R | F1 | gold | predicted |",
            "|---|---|---|---|---|---|---|",
            *rows,
            "",
            f"Speaker accuracy: {speaker_acc:.1f} "
            f"({scores.speaker_ok}/{scores.speaker_n} lenient matches with a gold source)  ",
            f"Cue accuracy: {cue_acc:.1f} ({scores.cue_ok}/{scores.cue_n})  ",
            f"Speed: {len(items) / elapsed:.2f} articles/s "
            f"({len(items)} articles in {elapsed:.1f} s, {pipeline})",
            "",
            "Per rule (every rule a quote records in `Quote.rules`; precision: its quotes that "
            "match a gold attribution; recall: gold attributions matched by one of its quotes, "
            "over all gold):",
            "",
            "| rule | quotes | precision | recall |",
            "|---|---|---|---|",
            *(f"| `{rule}` | {n} | {p:.1f} | {r:.1f} |" for rule, n, p, r in rules),
            "",
            "Confidence (precision of the quotes in each band of `Quote.confidence`):",
            "",
            "| confidence | quotes | precision |",
            "|---|---|---|",
            *(f"| {band} | {n} | {p:.1f} |" for band, n, p in bands),
        ]
    )
    return table, figures


def _pipeline_words(tokenizer: str) -> str:
    first = "rules tokenizer" if tokenizer == "rules" else "Stanza tokenizer"
    return f"{first}, Stanza parser on candidate sentences"


def _comparison_row(tokenizer: str, figures: dict[str, float]) -> str:
    keys = ("direct_lenient_f1", "direct_strict_f1", "all_lenient_f1", "all_strict_f1")
    cells = [_pipeline_words(tokenizer), *(f"{figures[k]:.1f}" for k in keys)]
    cells += [f"{figures['speaker_acc']:.1f}", f"{figures['cue_acc']:.1f}"]
    cells.append(f"{figures['articles_per_s']:.2f}")
    return "| " + " | ".join(cells) + " |"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", choices=("dev", "train"))
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument(
        "--tokenizer",
        default="rules",
        choices=TOKENIZERS,
        help="first stage of the parse (default: rules, as the application)",
    )
    parser.add_argument("--no-write", action="store_true", help="do not touch BENCHMARKS.md")
    parser.add_argument(
        "--parse-cache",
        type=Path,
        default=None,
        help="pickle full parses here and reuse them (for tuning; never writes BENCHMARKS.md)",
    )
    args = parser.parse_args(argv)
    split_dir = shared_dir() / "polnear" / args.split
    if not (split_dir / "text").is_dir():
        print(f"skipped: PolNeAR not found at {split_dir}")
        return 0
    table, figures = evaluate(split_dir, args.limit, args.parse_cache, tokenizer=args.tokenizer)
    print(table)
    if args.split == "dev" and not args.limit and not args.no_write and args.parse_cache is None:
        command = "python bench/attribution.py" + (
            f" --tokenizer {args.tokenizer}" * (args.tokenizer != "rules")
        )
        body = f"Command: `{command}`\n\n{machine_line()}\n\n{table}\n\n" + (
            "Baselines on this split: regex quote pairing DIRECT lenient 92.9, DIRECT strict 53.5, "
            "ALL lenient 41.7, speaker 72.3; the word-pattern engine this staged extractor "
            "replaced (stop 15): DIRECT 92.4 / 71.5, ALL 73.2 / 50.7, speaker 90.3, cue 90.2."
        )
        other = "stanza" if args.tokenizer == "rules" else "rules"
        _, other_figures = evaluate(split_dir, None, tokenizer=other)
        rows = {args.tokenizer: figures, other: other_figures}
        body += "\n\n" + "\n".join(
            [
                "Both tokenizers, same run (speed: extraction only, models loaded):",
                "",
                "| pipeline | DIRECT lenient F1 | DIRECT strict F1 | ALL lenient F1 | "
                "ALL strict F1 | speaker acc | cue acc | articles/s |",
                "|---|---|---|---|---|---|---|---|",
                *(_comparison_row(name, rows[name]) for name in ("rules", "stanza")),
            ]
        )
        write_section(TITLE, body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
