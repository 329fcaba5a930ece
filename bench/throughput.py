"""Throughput: articles/s and tokens/s, end to end and per step, with peak memory; BENCHMARKS.md.

Corpora:

- ``seeds x20``: the 5 seed articles, 20 copies each, every copy with one extra line so no
  two texts share a content hash (the parse cache cannot hit);
- ``PolNeAR dev``: ``../shared/polnear/dev/text/*.txt`` (84 articles of ~900 tokens), read at
  run time; skipped when absent.

Steps, each measured in a fresh Python process (peak memory = that process's max RSS; with
``--workers N`` > 1 also the largest worker's), models loaded before the clock starts:

- ``tokenizer``: :meth:`quotes.nlp.NLP.parse_many` with a select that keeps no sentence;
- ``parse (select)``: the same with :func:`quotes.extract.needs_parse`, as ingest does;
- ``end to end``: ``Tracker.ingest`` of the files into a temporary store (read, parse, extract,
  attribute, store, cluster), over ``--workers`` processes; worker processes load their own
  models inside the measured time;
- ``re-ingest``: the same ingest again, unchanged corpus (target: < 1% of the first);
- ``parse all`` + accuracy (PolNeAR only): every sentence parsed, then the attribution
  benchmark's scoring (bench/attribution.py) on both parses, to show that parsing only the
  candidate sentences loses nothing;
- ``end to end, Dask`` (``--dask N``): :func:`quotes.distributed.ingest_with_dask` on N local
  worker processes that loaded their models before the clock starts (steady state).

With a GPU visible to PyTorch the rows say GPU; nothing else changes.

Usage::

    python bench/throughput.py                     # all of it; writes the ## Throughput section
    python bench/throughput.py --workers 1 2       # end to end with 1 and with 2 processes
    python bench/throughput.py --dask 2            # plus quotes.distributed on 2 Dask workers
    python bench/throughput.py --no-write --skip-accuracy --copies 4
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.report import ROOT, machine_line, shared_dir, write_section

TITLE = "Throughput"
SEEDS = ROOT / "seeds"
RESULT_PREFIX = "THROUGHPUT-RESULT "


@dataclass(frozen=True, slots=True)
class Corpus:
    name: str
    folder: Path
    files: tuple[Path, ...]


def _varied_seeds(folder: Path, copies: int) -> Corpus:
    """Seed articles repeated ``copies`` times, each copy with one distinct closing line."""
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    seeds = sorted(SEEDS.glob("*.txt"))
    for copy in range(copies):
        for seed in seeds:
            text = seed.read_text(encoding="utf-8").rstrip("\n")
            # A line no select predicate keeps: changes the hash, not the quotes.
            path = folder / f"{seed.stem}_copy{copy:03d}.txt"
            path.write_text(f"{text}\n\nEdition {copy + 1} of {copies}.\n", encoding="utf-8")
            files.append(path)
    return Corpus(f"seeds x{copies}", folder, tuple(files))


def _polnear(limit: int | None) -> Corpus | None:
    folder = shared_dir() / "polnear" / "dev" / "text"
    if not folder.is_dir():
        return None
    files = tuple(sorted(folder.glob("*.txt"))[: limit or None])
    return Corpus("PolNeAR dev", folder, files)


# --- one measurement, in its own process -------------------------------------------------------


def _device() -> str:
    import torch

    if torch.cuda.is_available():
        return f"GPU ({torch.cuda.get_device_name(0)})"
    return f"CPU ({torch.get_num_threads()} threads)"


def _peak_mb() -> tuple[float, float]:
    """Max RSS of this process and of its largest finished child, in MB (Linux: KB units)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def _read(files: Sequence[str]) -> list[str]:
    return [Path(f).read_text(encoding="utf-8") for f in files]


def _measure_parse(files: Sequence[str], mode: str) -> dict[str, Any]:
    from quotes.extract import needs_parse
    from quotes.nlp import load_pipeline

    started = time.perf_counter()
    nlp = load_pipeline()
    nlp.parse_many(["Warm-up sentence, said nobody.", "Another one."])
    load_s = time.perf_counter() - started
    select = {"tokenizer": lambda *_: False, "parse": needs_parse, "parse-all": None}[mode]
    texts = _read(files)
    started = time.perf_counter()
    docs = nlp.parse_many(texts, select=select)
    seconds = time.perf_counter() - started
    sentences = sum(len(d.sentences) for d in docs)
    return {
        "seconds": seconds,
        "load_s": load_s,
        "articles": len(docs),
        "tokens": sum(len(s.tokens) for d in docs for s in d.sentences),
        "sentences": sentences,
        "parsed_sentences": sum(s.parsed for d in docs for s in d.sentences),
        "can_parse": nlp.can_parse,
    }


def _measure_ingest(files: Sequence[str], workers: int) -> dict[str, Any]:
    from quotes.api import Tracker
    from quotes.nlp import load_pipeline

    started = time.perf_counter()
    nlp = load_pipeline()
    nlp.parse_many(["Warm-up sentence, said nobody."])
    load_s = time.perf_counter() - started
    with (
        tempfile.TemporaryDirectory(prefix="quotes-throughput-") as tmp,
        Tracker.open(Path(tmp) / "store", nlp=nlp) as tracker,
    ):
        started = time.perf_counter()
        first = tracker.ingest(list(files), progress=False, workers=workers)
        seconds = time.perf_counter() - started
        started = time.perf_counter()
        again = tracker.ingest(list(files), progress=False, workers=workers)
        again_s = time.perf_counter() - started
    return {
        "seconds": seconds,
        "load_s": load_s,
        "articles": first.added,
        "quotes": first.quotes_added,
        "parsed": first.parsed,
        "skipped": len(first.skipped),
        "reingest_s": again_s,
        "reingest_parsed": again.parsed,
        "reingest_unchanged": again.unchanged,
    }


def _warm_worker() -> bool:
    from quotes.nlp import load_pipeline

    load_pipeline().parse_many(["Warm-up sentence, said nobody."])
    return True


def _measure_dask(files: Sequence[str], workers: int) -> dict[str, Any]:
    """Ingest through quotes.distributed on a local cluster whose workers already hold models."""
    from quotes.distributed import ingest_with_dask, local_client
    from quotes.store import Store

    started = time.perf_counter()
    with (
        tempfile.TemporaryDirectory(prefix="quotes-throughput-") as tmp,
        local_client(workers) as client,
        Store.open(Path(tmp) / "store") as store,
    ):
        client.run(_warm_worker)
        load_s = time.perf_counter() - started
        started = time.perf_counter()
        first = ingest_with_dask(list(files), store, client=client, progress=False)
        seconds = time.perf_counter() - started
        started = time.perf_counter()
        again = ingest_with_dask(list(files), store, client=client, progress=False)
        again_s = time.perf_counter() - started
        worker_rss = max(
            client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss).values()
        )
    return {
        "seconds": seconds,
        "load_s": load_s,
        "articles": first.added,
        "quotes": first.quotes_added,
        "parsed": first.parsed,
        "reingest_s": again_s,
        "reingest_parsed": again.parsed,
        "reingest_unchanged": again.unchanged,
        "dask_worker_peak_mb": worker_rss / 1024,
    }


def _measure_accuracy(files: Sequence[str]) -> dict[str, Any]:
    """Parse PolNeAR dev twice (candidate sentences / every sentence) and score both."""
    from bench.attribution import score
    from quotes.extract import extract_quotes, needs_parse
    from quotes.nlp import load_pipeline

    nlp = load_pipeline()
    nlp.parse_many(["Warm-up sentence, said nobody."])
    texts = _read(files)
    result: dict[str, Any] = {"can_parse": nlp.can_parse}
    outputs: dict[str, list[list[Any]]] = {}
    for name, select in (("select", needs_parse), ("all", None)):
        started = time.perf_counter()
        docs = nlp.parse_many(texts, select=select)
        parse_s = time.perf_counter() - started
        started = time.perf_counter()
        quotes = [
            extract_quotes(doc, doc_id=Path(f).stem) for f, doc in zip(files, docs, strict=True)
        ]
        extract_s = time.perf_counter() - started
        outputs[name] = quotes
        items = [(Path(f).stem, text) for f, text in zip(files, texts, strict=True)]
        split_dir = Path(files[0]).parent.parent if files else Path()
        scores = score(split_dir, items, quotes)
        tallies = scores.tallies
        speaker_ok, speaker_n = scores.speaker_ok, scores.speaker_n
        result[name] = {
            "parse_s": parse_s,
            "extract_s": extract_s,
            "sentences": sum(len(d.sentences) for d in docs),
            "parsed_sentences": sum(s.parsed for d in docs for s in d.sentences),
            "tokens": sum(len(s.tokens) for d in docs for s in d.sentences),
            "parsed_tokens": sum(len(s.tokens) for d in docs for s in d.sentences if s.parsed),
            "quotes": sum(len(q) for q in quotes),
            "direct_lenient_f1": tallies["direct"].scores("lenient")[2],
            "direct_strict_f1": tallies["direct"].scores("strict")[2],
            "all_lenient_f1": tallies["all"].scores("lenient")[2],
            "all_strict_f1": tallies["all"].scores("strict")[2],
            "speaker_acc": 100 * speaker_ok / speaker_n if speaker_n else 0.0,
        }
    differing = sum(
        1
        for a, b in zip(outputs["select"], outputs["all"], strict=True)
        if [q.to_dict() for q in a] != [q.to_dict() for q in b]
    )
    result["articles_with_different_quotes"] = differing
    result["articles"] = len(texts)
    return result


def _run_one(spec: dict[str, Any]) -> dict[str, Any]:
    files = spec["files"]
    if spec["step"] in ("tokenizer", "parse", "parse-all"):
        result = _measure_parse(files, spec["step"])
    elif spec["step"] == "ingest":
        result = _measure_ingest(files, spec["workers"])
    elif spec["step"] == "dask":
        result = _measure_dask(files, spec["workers"])
    elif spec["step"] == "accuracy":
        result = _measure_accuracy(files)
    else:
        raise ValueError(f"unknown step {spec['step']!r}")
    own, children = _peak_mb()
    children = max(children, result.pop("dask_worker_peak_mb", 0.0))
    result.update(peak_mb=own, worker_peak_mb=children, device=_device())
    return result


# --- the driver --------------------------------------------------------------------------------


def _in_fresh_process(step: str, corpus: Corpus, workers: int = 1) -> dict[str, Any]:
    spec = {"step": step, "files": [str(f) for f in corpus.files], "workers": workers}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(spec, handle)
    try:
        completed = subprocess.run(
            [sys.executable, __file__, "--measure", handle.name],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        os.unlink(handle.name)
    for line in completed.stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            result: dict[str, Any] = json.loads(line[len(RESULT_PREFIX) :])
            return result
    raise RuntimeError(f"measurement {step} on {corpus.name} failed:\n{completed.stderr[-3000:]}")


def _row(
    corpus: str,
    step: str,
    device: str,
    workers: int,
    articles: int,
    tokens: int,
    seconds: float,
    peak: str,
) -> str:
    rate = articles / seconds if seconds else float("inf")
    token_rate = tokens / seconds if seconds else float("inf")
    cells = [
        corpus,
        step,
        device,
        str(workers),
        str(articles),
        f"{tokens:,}",
        f"{seconds:.2f}",
        f"{rate:.2f}",
        f"{token_rate:,.0f}",
        peak,
    ]
    return "| " + " | ".join(cells) + " |"


def _peak(result: dict[str, Any]) -> str:
    text = f"{result['peak_mb']:,.0f}"
    if result.get("worker_peak_mb", 0) > 1:
        text += f" (worker {result['worker_peak_mb']:,.0f})"
    return text


def _has_dask() -> bool:
    try:
        import dask.distributed  # noqa: F401
    except ImportError:
        return False
    return True


def run(
    corpora: list[Corpus], workers: Sequence[int], accuracy: bool, dask_workers: int = 0
) -> str:
    rows = [
        "| corpus | step | device | workers | articles | tokens | seconds | articles/s | "
        "tokens/s | peak MB |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    notes: list[str] = []
    for corpus in corpora:
        print(f"{corpus.name}: {len(corpus.files)} articles", file=sys.stderr)
        tok = _in_fresh_process("tokenizer", corpus)
        tokens = tok["tokens"]
        rows.append(
            _row(
                corpus.name,
                "tokenizer",
                tok["device"],
                1,
                tok["articles"],
                tokens,
                tok["seconds"],
                _peak(tok),
            )
        )
        parse = _in_fresh_process("parse", corpus)
        rows.append(
            _row(
                corpus.name,
                "parse (select)",
                parse["device"],
                1,
                parse["articles"],
                tokens,
                parse["seconds"],
                _peak(parse),
            )
        )
        share = 100 * parse["parsed_sentences"] / parse["sentences"] if parse["sentences"] else 0
        notes.append(
            f"{corpus.name}: {parse['parsed_sentences']:,} of {parse['sentences']:,} sentences "
            f"parsed ({share:.0f}%), the rest tokenized only; {tokens:,} tokens; model load "
            f"{parse['load_s']:.1f} s (not in the figures)."
            + ("" if parse["can_parse"] else " NO TAGGER/PARSER LOADED: tokens only.")
        )
        for count in workers:
            ingest = _in_fresh_process("ingest", corpus, count)
            rows.append(
                _row(
                    corpus.name,
                    "end to end",
                    ingest["device"],
                    count,
                    ingest["articles"],
                    tokens,
                    ingest["seconds"],
                    _peak(ingest),
                )
            )
            rows.append(
                _row(
                    corpus.name,
                    "re-ingest (unchanged)",
                    ingest["device"],
                    count,
                    ingest["reingest_unchanged"],
                    tokens,
                    ingest["reingest_s"],
                    _peak(ingest),
                )
            )
            ratio = 100 * ingest["reingest_s"] / ingest["seconds"] if ingest["seconds"] else 0
            notes.append(
                f"{corpus.name}, {count} worker(s): {ingest['quotes']:,} quotes stored; "
                f"re-ingest of the unchanged corpus took {ingest['reingest_s']:.3f} s = "
                f"{ratio:.2f}% of the first ingest ({ingest['reingest_parsed']} parsed)."
            )
        if dask_workers and _has_dask():
            run_dask = _in_fresh_process("dask", corpus, dask_workers)
            rows.append(
                _row(
                    corpus.name,
                    "end to end, Dask (warm workers)",
                    run_dask["device"].split(" (")[0] + " (1 thread per worker)",
                    dask_workers,
                    run_dask["articles"],
                    tokens,
                    run_dask["seconds"],
                    _peak(run_dask),
                )
            )
            ratio = 100 * run_dask["reingest_s"] / run_dask["seconds"] if run_dask["seconds"] else 0
            notes.append(
                f"{corpus.name}, Dask with {dask_workers} local worker processes (models loaded "
                f"before the clock, {run_dask['load_s']:.1f} s): {run_dask['quotes']:,} quotes; "
                f"re-ingest {run_dask['reingest_s']:.3f} s = {ratio:.2f}% of the first."
            )
        if accuracy and corpus.name.startswith("PolNeAR"):
            acc = _in_fresh_process("accuracy", corpus)
            notes.append(_accuracy_text(acc))
            rows.append(
                _row(
                    corpus.name,
                    "parse (every sentence)",
                    acc["device"],
                    1,
                    acc["articles"],
                    tokens,
                    acc["all"]["parse_s"],
                    _peak(acc) + " (both parses)",
                )
            )
    return "\n".join([*rows, "", *[f"- {n}" for n in notes]])


def _accuracy_text(acc: dict[str, Any]) -> str:
    lines = [
        "Parsing only candidate sentences vs every sentence (PolNeAR dev, same scoring as "
        "bench/attribution.py):",
        "",
        "  | parse | sentences parsed | tokens parsed | parse s | extract s | quotes | "
        "DIRECT lenient F1 | DIRECT strict F1 | ALL lenient F1 | ALL strict F1 | speaker acc |",
        "  |---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, label in (("select", "candidate sentences"), ("all", "every sentence")):
        r = acc[name]
        lines.append(
            f"  | {label} | {r['parsed_sentences']:,}/{r['sentences']:,} | "
            f"{r['parsed_tokens']:,}/{r['tokens']:,} | {r['parse_s']:.1f} | "
            f"{r['extract_s']:.2f} | {r['quotes']} | {r['direct_lenient_f1']:.1f} | "
            f"{r['direct_strict_f1']:.1f} | {r['all_lenient_f1']:.1f} | "
            f"{r['all_strict_f1']:.1f} | {r['speaker_acc']:.1f} |"
        )
    lines += [
        "",
        f"  Articles whose quotes differ between the two: "
        f"{acc['articles_with_different_quotes']} of {acc['articles']}.",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--workers",
        type=int,
        nargs="+",
        default=[1],
        metavar="N",
        help="ingest processes for the end-to-end rows (several: a row each)",
    )
    parser.add_argument("--copies", type=int, default=20, help="copies of each seed article")
    parser.add_argument("--limit", type=int, default=None, help="only the first N PolNeAR texts")
    parser.add_argument("--skip-accuracy", action="store_true", help="no select-vs-all scoring")
    parser.add_argument("--no-write", action="store_true", help="do not touch BENCHMARKS.md")
    parser.add_argument(
        "--dask",
        type=int,
        default=0,
        metavar="N",
        help="also ingest through quotes.distributed on N local Dask workers (0: no)",
    )
    parser.add_argument("--measure", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        spec = json.loads(Path(args.measure).read_text(encoding="utf-8"))
        print(RESULT_PREFIX + json.dumps(_run_one(spec)), flush=True)
        return 0
    if any(n < 1 for n in args.workers) or args.copies < 1:
        parser.error("--workers and --copies must be at least 1")
    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="quotes-seeds-") as tmp:
        corpora = [_varied_seeds(Path(tmp), args.copies)]
        polnear = _polnear(args.limit)
        if polnear is None:
            print("PolNeAR dev not found: seeds only", file=sys.stderr)
        else:
            corpora.append(polnear)
        table = run(corpora, args.workers, accuracy=not args.skip_accuracy, dask_workers=args.dask)
    print(table)
    command = (
        "python bench/throughput.py"
        + (f" --workers {' '.join(map(str, args.workers))}" if args.workers != [1] else "")
        + (f" --dask {args.dask}" if args.dask else "")
    )
    if not args.no_write and args.copies == 20 and not args.limit:
        body = "\n\n".join(
            [
                f"Command: `{command}`",
                f"{machine_line()} Load average before the run: "
                f"{load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} (1/5/15 min).",
                table,
                "Targets (issue 7): >= 5 articles/s end to end on CPU (2 cores, bundled models) "
                "on PolNeAR-sized articles, peak memory < 3 GB, re-ingest < 1% of the first "
                "ingest. Reference: textacy + spaCy small ~4.2 articles/s; Stanza's official "
                "tokenizer alone 4.8 articles/s (bulk_process).",
            ]
        )
        write_section(TITLE, body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
