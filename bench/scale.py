"""Clustering at scale through the store: a corpus clustered from scratch, then one batch added.

Run by ``python bench/matching.py --scale [--sizes 10000,100000,1000000] [--add 1000]``; each
size runs in a fresh child process (``python bench/scale.py --child N``) that:

1. generates a synthetic corpus (:func:`synthetic_corpus`) of N + ``add`` quotes, one article
   each, and keeps ``add`` of them (drawn at random) for the batch;
2. loads the N others into a new store (articles and quotes only: *load*);
3. computes every derived table from scratch, ``Store.recompute()`` (*from scratch*: speakers,
   clustering, drift, links and the key index, one transaction);
4. writes the ``add`` quotes as one batch, ``Store.write_batch`` (*add*: the incremental path);
5. measures recall against the exact pairwise decision on a sample: for each sampled quote
   (half from the added batch), every stored quote that :func:`quotes.match.same_utterance`
   says reports the same utterance (all quotes sharing enough words with it are asked; fewer
   shared words cannot reach the decision's threshold) must be in its cluster;
6. reports pair precision and recall against the generated statements (gold), peak memory
   (max RSS of the child, corpus included) and the database size.

The all-pairs baseline (``rapidfuzz.process.cdist``) is timed on a block of rows and scaled to
n x n, in its own child.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quotes.match import MatchItem, normalize_quote, profile, same_utterance
from quotes.records import Quote
from quotes.sources import Article
from quotes.store import DB_NAME, Store, quote_id
from quotes.store.clustering import match_item
from quotes.store.database import ArticleStamp, engine_version, write_articles
from quotes.store.rows import load_all

SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in ("a", "e", "i", "o", "u", "ai", "ou")]
FUNCTION_WORDS = ("the", "a", "of", "to", "and", "in", "that", "is", "for", "on", "with", "we")
# A pair whose shorter quote shares less than this share of its words (by count and by weight)
# with the other cannot reach SAME_THRESHOLD (bench/scale.py docstring, step 5).
MIN_SHARED_SHARE = 0.25
SAMPLE = 400
WORKERS = 2  # the machine the targets are set for has two cores
ADD = 1000
LOAD_CHUNK = 50_000


def synthetic_corpus(size: int, seed: int = 7) -> tuple[list[MatchItem], list[int]]:
    """``size`` quotes: base statements and their re-reported variants; returns gold groups.

    Example:
        >>> items, groups = synthetic_corpus(20)
        >>> len(items), groups[0]
        (20, 0)
    """
    rng = random.Random(seed)
    vocabulary = [
        "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(40_000)
    ]
    cumulative = list(itertools.accumulate(1.0 / (rank + 10) for rank in range(len(vocabulary))))
    speakers = [
        f"{rng.choice(vocabulary).title()} {rng.choice(vocabulary).title()}" for _ in range(3000)
    ]
    items: list[MatchItem] = []
    groups: list[int] = []
    group = 0
    while len(items) < size:
        length = rng.randint(6, 30)
        content = rng.choices(vocabulary, cum_weights=cumulative, k=length)
        words = [w if rng.random() < 0.6 else f"{rng.choice(FUNCTION_WORDS)} {w}" for w in content]
        base = " ".join(words)
        speaker = rng.choice(speakers)
        day = date.fromordinal(737000 + rng.randint(0, 700))
        for version in range(min(rng.choice((1, 1, 2, 3, 4, 6)), size - len(items))):
            text = base if version == 0 else _synthetic_variant(base, rng)
            items.append(
                MatchItem(
                    id=f"q{len(items):07d}",
                    text=text,
                    speaker=speaker if rng.random() < 0.7 else speaker.split()[-1],
                    kind="direct",
                    doc=f"d{group}-{version}",
                    published=date.fromordinal(day.toordinal() + rng.randint(0, 3)),
                )
            )
            groups.append(group)
        group += 1
    return items, groups


def _synthetic_variant(base: str, rng: random.Random) -> str:
    words = base.split()
    choice = rng.random()
    if choice < 0.3 and len(words) > 8:
        length = rng.randint(5, len(words) - 2)
        start = rng.randint(0, len(words) - length)
        return " ".join(words[start : start + length])
    if choice < 0.55 and len(words) > 8:
        cut = rng.randint(2, len(words) - 5)
        return " ".join(words[:cut]) + " ... " + " ".join(words[cut + rng.randint(1, 3) :])
    if choice < 0.8:
        out = list(words)
        for _ in range(2):
            out[rng.randrange(len(out))] = rng.choice(FUNCTION_WORDS)
        return " ".join(out)
    return "that " + " ".join(w for w in words if rng.random() > 0.15)


def synthetic_articles(
    items: Sequence[MatchItem],
) -> tuple[list[Article], dict[str, list[Quote]], dict[str, str]]:
    """One article per quote ('<speaker> said: "<text>".'), its extracted quote, and the
    store's quote id of each item.

    Example:
        >>> articles, extracted, ids = synthetic_articles(synthetic_corpus(2)[0])
        >>> quote = extracted[articles[0].content_hash][0]
        >>> articles[0].text[quote.start : quote.end] == quote.text
        True
    """
    articles: list[Article] = []
    extracted: dict[str, list[Quote]] = {}
    ids: dict[str, str] = {}
    for item in items:
        lead = f'{item.speaker} said: "'
        text = f'{lead}{item.text}".'
        article = Article(id=f"a{item.id}", text=text, published=item.published)
        quote = Quote(
            doc=article.id,
            start=len(lead),
            end=len(lead) + len(item.text),
            text=item.text,
            spans=((len(lead), len(lead) + len(item.text)),),
            kind="direct",
            speaker=item.speaker,
            speaker_type="person",
            speaker_resolved=True,
            confidence=0.9,
        )
        articles.append(article)
        extracted[article.content_hash] = [quote]
        ids[item.id] = quote_id(article.id, article.content_hash, quote)
    return articles, extracted, ids


def bulk_load(store: Store, articles: Sequence[Article], extracted: dict[str, list[Quote]]) -> None:
    """Write articles and quotes without computing the derived tables (one transaction)."""
    engine = engine_version()
    with store.write() as db:
        for start in range(0, len(articles), LOAD_CHUNK):
            stamp = ArticleStamp(batch=1 + start // LOAD_CHUNK, stamp="2026-01-01", engine=engine)
            write_articles(db, articles[start : start + LOAD_CHUNK], extracted, stamp)


# --- recall against the exact pairwise decision -------------------------------------------------


def _word_index(
    contents: Sequence[frozenset[str]],
) -> tuple[dict[str, int], np.ndarray, np.ndarray, np.ndarray]:
    """Word -> id, and the quotes holding each word (CSR: starts, quotes), and word lengths."""
    vocabulary: dict[str, int] = {}
    pairs_word, pairs_quote = [], []
    for index, words in enumerate(contents):
        for word in words:
            pairs_word.append(vocabulary.setdefault(word, len(vocabulary)))
            pairs_quote.append(index)
    word_ids = np.array(pairs_word, dtype=np.int64)
    quotes = np.array(pairs_quote, dtype=np.int64)
    order = np.argsort(word_ids, kind="stable")
    starts = np.searchsorted(word_ids[order], np.arange(len(vocabulary) + 1))
    lengths = np.zeros(len(vocabulary), dtype=np.float64)
    for word, ident in vocabulary.items():
        lengths[ident] = len(word)
    return vocabulary, starts, quotes[order], lengths


def exact_recall(
    items: Sequence[MatchItem], clusters: Sequence[str], sample: Sequence[int]
) -> tuple[int, int]:
    """(pairs the exact decision accepts for the sampled quotes, of those in one cluster)."""
    contents = [profile(item.text).words for item in items]
    vocabulary, starts, holders, lengths = _word_index(contents)
    count = np.array([len(c) for c in contents], dtype=np.float64)
    weight = np.array([sum(len(w) for w in c) for c in contents], dtype=np.float64)
    accepted = together = 0
    for index in sample:
        ids = [vocabulary[w] for w in contents[index]]
        if not ids:
            continue
        found = np.concatenate([holders[starts[i] : starts[i + 1]] for i in ids])
        word_weights = np.repeat(lengths[ids], np.diff(starts)[ids])
        shared = np.bincount(found, minlength=len(items)).astype(np.float64)
        shared_weight = np.bincount(found, weights=word_weights, minlength=len(items))
        by_count = shared / np.maximum(np.minimum(count, count[index]), 1)
        by_weight = shared_weight / np.maximum(np.minimum(weight, weight[index]), 1)
        candidates = np.flatnonzero(
            (by_count >= MIN_SHARED_SHARE) | (by_weight >= MIN_SHARED_SHARE)
        )
        for other in candidates.tolist():
            if other != index and same_utterance(items[index], items[other]).same:
                accepted += 1
                together += clusters[index] == clusters[other]
    return accepted, together


def _gold_scores(clusters: dict[str, str], gold: dict[str, int]) -> tuple[float, float]:
    sizes: dict[int, int] = defaultdict(int)
    for group in gold.values():
        sizes[group] += 1
    true_pairs = sum(n * (n - 1) // 2 for n in sizes.values())
    members: dict[str, list[str]] = defaultdict(list)
    for quote, cluster in clusters.items():
        members[cluster].append(quote)
    predicted = correct = 0
    for quotes in members.values():
        predicted += len(quotes) * (len(quotes) - 1) // 2
        counts: dict[int, int] = defaultdict(int)
        for quote in quotes:
            counts[gold[quote]] += 1
        correct += sum(c * (c - 1) // 2 for c in counts.values())
    return (correct / predicted if predicted else 0.0, correct / true_pairs if true_pairs else 0.0)


# --- one size -----------------------------------------------------------------------------------


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the drift workers)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(size: int, add: int, folder: Path, sample: int = SAMPLE) -> dict[str, object]:
    """Steps 1-6 of the module docstring for one corpus size; returns the figures."""
    items, groups = synthetic_corpus(size + add)
    rng = random.Random(size)
    added = set(rng.sample(range(len(items)), add))
    articles, extracted, ids = synthetic_articles(items)
    gold = {ids[item.id]: group for item, group in zip(items, groups, strict=True)}
    base = [a for i, a in enumerate(articles) if i not in added]
    batch = [a for i, a in enumerate(articles) if i in added]
    del items, groups
    result: dict[str, object] = {"size": size, "add": add}
    with Store.open(folder) as store:
        started = time.perf_counter()
        bulk_load(store, base, extracted)
        result["load_s"] = time.perf_counter() - started
        timings: dict[str, float] = {}
        started, cpu = time.perf_counter(), _cpu_seconds()
        with store.write() as db:
            from quotes.store.links import recompute_links

            recompute_links(db, timings=timings, workers=WORKERS)
        result["scratch_s"] = time.perf_counter() - started
        result["scratch_cpu_s"] = _cpu_seconds() - cpu
        result["phases"] = timings
        result["scratch_peak_mib"] = _peak_mib()
        started = time.perf_counter()
        store.write_batch(batch, {a.content_hash: extracted[a.content_hash] for a in batch})
        result["add_s"] = time.perf_counter() - started
        with store.read() as db:
            stored = load_all(db)
    result["peak_mib"] = _peak_mib()
    result["db_mib"] = sum(p.stat().st_size for p in folder.glob(DB_NAME + "*")) / 2**20
    clusters = {q.quote_id: str(q.cluster_id) for q in stored}
    result["clusters"] = len(set(clusters.values()))
    result["gold_groups"] = len(set(gold.values()))
    result["precision"], result["recall"] = _gold_scores(clusters, gold)
    position = {q.quote_id: i for i, q in enumerate(stored)}
    new_ids = {ids_ for a in batch for ids_ in _ids_of(a, extracted)}
    new_positions = sorted(position[q] for q in new_ids)
    old_positions = [i for i in range(len(stored)) if stored[i].quote_id not in new_ids]
    chosen = rng.sample(new_positions, min(sample // 2, len(new_positions)))
    chosen += rng.sample(old_positions, min(sample - len(chosen), len(old_positions)))
    accepted, together = exact_recall(
        [match_item(q) for q in stored], [q.cluster_id or q.quote_id for q in stored], chosen
    )
    result["exact_pairs"], result["exact_together"] = accepted, together
    result["exact_recall"] = together / accepted if accepted else 1.0
    return result


def _ids_of(article: Article, extracted: dict[str, list[Quote]]) -> list[str]:
    return [quote_id(article.id, article.content_hash, q) for q in extracted[article.content_hash]]


def _cdist(size: int, rows: int) -> dict[str, float]:
    items, _ = synthetic_corpus(size)
    texts = [normalize_quote(item.text) for item in items]
    started = time.perf_counter()
    process.cdist(texts[:rows], texts, scorer=fuzz.token_set_ratio, workers=2, dtype="uint8")
    return {"seconds": time.perf_counter() - started}


# --- the report ---------------------------------------------------------------------------------


def _child(args: list[str]) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"child {args} failed:\n{done.stderr[-3000:]}")
    parsed: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return parsed


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.1f} s"
    if seconds < 7200:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


def _previous_rows(previous: str | None) -> dict[int, str]:
    rows = {}
    for line in (previous or "").splitlines():
        found = re.match(r"^\| ([\d,]+) \|", line)
        if found:
            rows[int(found.group(1).replace(",", ""))] = line
    return rows


HEADER = [
    "Synthetic corpora (`bench/scale.py`: Zipf-distributed 40k-word vocabulary, base statements "
    "of 6-30 words, 1-6 versions each: cuts, ellipses, word swaps, reported-speech trims; "
    "speaker full or surname; dates within 3 days; one article per quote). Each size runs in "
    "its own process: the corpus is loaded into a new store, *from scratch* is "
    "`Store.recompute()` (speakers, clusters, drift, links and key index in one transaction; "
    "its phases in brackets), *add* is one more batch of new quotes written with "
    "`Store.write_batch` (the incremental path: key lookups, merges into the touched clusters, "
    "their drift, the batch's keys). *exact recall*: sampled quotes (half of them from the added "
    "batch), every pair the exact decision `same_utterance` accepts among all stored quotes, "
    "share in one cluster. *gold P/R*: pair precision and recall against the generated "
    "statements. Peak = max RSS of the process (corpus included). cdist = all-pairs "
    "`process.cdist(token_set_ratio, workers=2, dtype=uint8)` timed on a block of rows and "
    "scaled to n x n.",
    "",
    "Targets (issue #19): from scratch < 10 min for 1M quotes, exact recall >= 0.95, adding "
    "1,000 quotes to a 1M store < 30 s, memory < 8 GB. *load* is the 1-minute load average when "
    "the size started (other jobs share the 2 cores; wall times are noisy by 20-30%).",
    "",
    "| quotes | from scratch (cluster / drift / keys) | CPU (drift workers included) "
    "| add 1,000 | peak memory | store "
    "| clusters (gold) | gold P / R | exact recall (pairs) | all-pairs cdist (est.) | load |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
]


def _row(size: int, result: dict[str, object], cdist_s: float, load: float) -> str:
    phases: dict[str, float] = result["phases"]  # type: ignore[assignment]
    return (
        f"| {size:,} | {_duration(float(result['scratch_s']))} "  # type: ignore[arg-type]
        f"({_duration(phases['cluster'])} / {_duration(phases['drift'])} / "
        f"{_duration(phases['keys'])}) | {_duration(float(result['scratch_cpu_s']))} | "  # type: ignore[arg-type]
        f"{float(result['add_s']):.1f} s | "  # type: ignore[arg-type]
        f"{float(result['peak_mib']) / 1024:.2f} GiB | "  # type: ignore[arg-type]
        f"{float(result['db_mib']):.0f} MiB | "  # type: ignore[arg-type]
        f"{int(result['clusters']):,} ({int(result['gold_groups']):,}) | "  # type: ignore[call-overload]
        f"{float(result['precision']):.3f} / {float(result['recall']):.3f} | "  # type: ignore[arg-type]
        f"{float(result['exact_recall']):.3f} ({int(result['exact_pairs']):,}) | "  # type: ignore[arg-type, call-overload]
        f"{_duration(cdist_s)} | {load:.1f} |"
    )


def run_scale(sizes: Sequence[int], previous: str | None = None, add: int = ADD) -> str:
    """Measure each size in a child; rows of sizes measured by an earlier run are kept."""
    rows = _previous_rows(previous)
    for size in sizes:
        print(f"scale {size}...", file=sys.stderr)
        load = os.getloadavg()[0]
        result = _child(["--child", str(size), "--add", str(add)])
        sample_rows = max(2, min(size, 2_000_000 // size))
        cdist = _child(["--cdist", str(size), str(sample_rows)])
        estimate = float(cdist["seconds"]) * size / sample_rows  # type: ignore[arg-type]
        rows[size] = _row(size, result, estimate, load)
        print(json.dumps(result), file=sys.stderr)
        print(rows[size], file=sys.stderr)
    return "\n".join([*HEADER, *(rows[size] for size in sorted(rows))])


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", type=int)
    parser.add_argument("--add", type=int, default=ADD)
    parser.add_argument("--cdist", type=int, nargs=2)
    args = parser.parse_args(argv)
    if args.cdist:
        print(json.dumps(_cdist(*args.cdist)))
        return
    if args.child:
        folder = Path(tempfile.mkdtemp(prefix="quotes-scale-"))
        try:
            print(json.dumps(measure(args.child, args.add, folder / "store")))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    parser.error("run it through bench/matching.py --scale, or with --child N")


if __name__ == "__main__":
    main()
