"""Fault suite for the store: `quotes ingest` killed with SIGKILL at random points, readers during
an ingest.

Every ingest here is the real ``python -m quotes ingest`` in a subprocess, on a corpus of small
articles written for this test (our own words) into a temporary folder. After each kill:

- the store opens and its queries work (``Tracker.quotes()``, ``Tracker.clusters()``);
- it holds only whole batches: its articles are exactly those the committed batches list, each
  with all the quotes a clean ingest gives it, every quote linked to a cluster, and SQLite's
  integrity check passes;
- a re-run completes it, and the result equals a clean ingest of the same corpus: the same quote
  ids, texts, offsets and speakers, no quote twice.

Most kill runs start from a store whose parse cache already holds the corpus (copied from the
clean ingest): the child then skips loading Stanza and spends its time in the batch writes and
cluster recomputation, where a kill can tear a transaction. One run kills a cold ingest that is
parsing with the real models.

Scale: ``QUOTES_KILL_POINTS`` (default 12) kill points, ``QUOTES_KILL_SEED`` (default 8) for the
random kill times; each kill time is printed, so a failure names the point that broke.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from quotes.api import Tracker
from quotes.nlp import NLP, load_pipeline
from quotes.store import DB_NAME, Store

ROOT = Path(__file__).resolve().parent.parent
BUNDLED_DEPPARSE = ROOT / "data" / "models" / "en" / "depparse"
SHARED_STANZA = ROOT.parent / "shared" / "stanza_resources"
# Decided once: models that land in the middle of a run must not mix two model sets.
USE_BUNDLED = BUNDLED_DEPPARSE.is_dir()

KILL_POINTS = int(os.environ.get("QUOTES_KILL_POINTS", "12"))
KILL_SEED = int(os.environ.get("QUOTES_KILL_SEED", "8"))
LOG = os.environ.get("QUOTES_RELIABILITY_LOG")
CORPUS_SIZE = 24  # even, so that batches of 2 always leave an even number of articles stored
WAIT_LIMIT_S = 300  # the longest any child may run before the test gives up on it

# --- a corpus in our own words -----------------------------------------------------------------

PEOPLE = [
    ("Ines Varga", "harbour master"),
    ("Tomas Brandt", "city treasurer"),
    ("Amara Osei", "head of the weather service"),
    ("Lena Holt", "mayor"),
    ("Piet Jansen", "the club's coach"),
    ("Mirela Dumitru", "chair of the school board"),
]
STATEMENTS = [
    ("the new berth will open before the summer", "the new berth opens before summer"),
    ("the budget leaves nothing for new roads", "this budget leaves no money for new roads"),
    ("the storm season will start early this year", "storm season starts early this year"),
    ("the old bridge is safe for bicycles only", "the old bridge is only safe for bikes"),
    ("our team needs two more wins to stay up", "the team needs two more wins to stay up"),
    ("every school will get a new roof by spring", "all schools will get new roofs by spring"),
]
OUTLETS = ["the Harbour Times", "Xinhua", "AP", "Reuters", "City Radio"]


def corpus_article(number: int) -> str:
    """A short news item; the same statements recur across items in two wordings."""
    name, role = PEOPLE[number % len(PEOPLE)]
    statement = STATEMENTS[number % len(STATEMENTS)][(number // len(STATEMENTS)) % 2]
    outlet = OUTLETS[number % len(OUTLETS)]
    surname = name.split()[-1]
    shapes = [
        f'{role.capitalize()} {name} said on Tuesday: "{statement.capitalize()}."',
        f'"{statement.capitalize()}," {name}, the {role}, told {outlet}.',
        f"{name}, the {role}, said that {statement}, according to {outlet}.",
    ]
    lead = shapes[number % len(shapes)]
    return (
        f"{lead}\n\n"
        f"The meeting on day {number} lasted {number + 20} minutes and ended without a vote. "
        f'{surname} added that "item {number} on the agenda" would come back next week.\n\n'
        f"Residents who attended, about {number * 3 + 11} of them, asked few questions."
    )


def write_corpus(folder: Path, count: int = CORPUS_SIZE) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        (folder / f"item-{number:03d}.txt").write_text(corpus_article(number), encoding="utf-8")
    return folder


# --- models, clean ingest ----------------------------------------------------------------------


def child_env() -> dict[str, str]:
    """The environment a child ingest parses with: the same models as this process."""
    env = dict(os.environ)
    if USE_BUNDLED:
        env.pop("QUOTES_STANZA_DIR", None)
    elif SHARED_STANZA.is_dir():
        env["QUOTES_STANZA_DIR"] = str(SHARED_STANZA)
    else:
        pytest.skip("no Stanza models: neither data/models nor ../shared/stanza_resources")
    env.pop("QUOTES_STORE", None)
    return env


def load_models() -> NLP:
    env = child_env()
    if "QUOTES_STANZA_DIR" in env:
        return load_pipeline(stanza_dir=env["QUOTES_STANZA_DIR"])
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("QUOTES_STANZA_DIR", raising=False)
        return load_pipeline()


def models_stamp() -> float:
    """When the bundled models last changed (they are retrained and replaced during a session)."""
    if not USE_BUNDLED:
        return 0.0
    return max((p.stat().st_mtime for p in BUNDLED_DEPPARSE.parent.rglob("*.pt")), default=0.0)


@dataclass(frozen=True)
class Reference:
    """A clean, uninterrupted ingest of the corpus: what every interrupted one must end as."""

    corpus: Path
    store: Path
    quotes: frozenset[tuple[object, ...]]
    per_article: dict[str, int]
    order: tuple[str, ...]
    partition: frozenset[frozenset[str]]
    models: float


def quote_rows(store_dir: Path) -> frozenset[tuple[object, ...]]:
    db = sqlite3.connect(f"file:{store_dir / DB_NAME}?mode=ro", uri=True)
    try:
        rows = db.execute(
            'SELECT quote_id, article, kind, text, start, "end", spans, speaker, cue, outlet '
            "FROM quotes"
        ).fetchall()
    finally:
        db.close()
    assert len(rows) == len(set(rows))
    return frozenset(rows)


def cluster_partition(store_dir: Path) -> frozenset[frozenset[str]]:
    db = sqlite3.connect(f"file:{store_dir / DB_NAME}?mode=ro", uri=True)
    try:
        groups: dict[str, set[str]] = {}
        for quote, cluster in db.execute("SELECT quote_id, cluster_id FROM links"):
            groups.setdefault(cluster, set()).add(quote)
    finally:
        db.close()
    return frozenset(frozenset(g) for g in groups.values())


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Reference:
    base = tmp_path_factory.mktemp("reliability-reference")
    corpus = write_corpus(base / "corpus")
    store_dir = base / "store"
    with Tracker.open(store_dir, nlp=load_models()) as tracker:
        report = tracker.ingest([corpus], progress=False, batch_size=8)
        assert report.added == CORPUS_SIZE and not report.skipped
        per_article = dict(
            zip(
                tracker.articles()["article"].to_list(),
                tracker.articles()["n_quotes"].to_list(),
                strict=True,
            )
        )
    assert sum(per_article.values()) > CORPUS_SIZE, "the corpus should yield several quotes each"
    order = tuple(sorted(per_article))
    return Reference(
        corpus=corpus,
        store=store_dir,
        quotes=quote_rows(store_dir),
        per_article=per_article,
        order=order,
        partition=cluster_partition(store_dir),
        models=models_stamp(),
    )


def warm_store(reference: Reference, target: Path) -> Path:
    """An empty store whose parse cache already holds every article of the corpus."""
    Store.open(target).close()
    db = sqlite3.connect(target / DB_NAME)
    try:
        db.execute("ATTACH DATABASE ? AS ref", (str(reference.store / DB_NAME),))
        db.execute("INSERT INTO parse_cache SELECT * FROM ref.parse_cache")
        db.commit()
        db.execute("DETACH DATABASE ref")
    finally:
        db.close()
    return target


# --- running and killing children --------------------------------------------------------------


def start_ingest(
    corpus: Path, store_dir: Path, env: dict[str, str], batch_size: int
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "quotes",
            "ingest",
            str(corpus),
            "--store",
            str(store_dir),
            "--batch-size",
            str(batch_size),
            "--no-progress",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    """Kill a child that is still running and reap it."""
    if process.poll() is None:
        process.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.communicate(timeout=30)


def run_to_end(corpus: Path, store_dir: Path, env: dict[str, str], batch_size: int = 4) -> str:
    """A re-run that must complete; returns its summary line."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "quotes",
            "ingest",
            str(corpus),
            "--store",
            str(store_dir),
            "--batch-size",
            str(batch_size),
            "--no-progress",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=WAIT_LIMIT_S,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def kill_after(process: subprocess.Popen[bytes], delay: float) -> bool:
    """SIGKILL the child ``delay`` seconds after now; False when it had already finished."""
    try:
        process.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        return True
    return False


def committed_batches(store_dir: Path) -> int:
    database = store_dir / DB_NAME
    if not database.exists():
        return 0
    try:
        db = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5)
        try:
            return int(db.execute("SELECT count(*) FROM batches").fetchone()[0])
        finally:
            db.close()
    except sqlite3.OperationalError:
        return 0  # the schema is not there yet


# --- the check after every kill ----------------------------------------------------------------


def assert_whole_batches(
    store_dir: Path, reference: Reference, *, own_cache: bool = False
) -> set[str]:
    """The store opens, works, and holds whole batches only; returns the stored article ids.

    Each stored article must hold all its quotes: as many as the clean ingest gave it, or with
    ``own_cache`` as many as the store's own parse cache holds for its text (for children that
    parsed with models that may have been replaced since the clean ingest)."""
    with Tracker.open(store_dir) as tracker:  # opening also replays or drops the WAL
        quotes = tracker.quotes()
        tracker.clusters()
        articles = tracker.articles()
    db = sqlite3.connect(f"file:{store_dir / DB_NAME}?mode=ro", uri=True)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        batched: list[str] = []
        for (names,) in db.execute("SELECT articles FROM batches ORDER BY batch"):
            batched.extend(json.loads(names))
        stored = {row[0] for row in db.execute("SELECT id FROM articles")}
        cached = {
            article: len(json.loads(payload))
            for article, payload in db.execute(
                "SELECT a.id, c.quotes_json FROM articles a "
                "JOIN parse_cache c ON c.content_hash = a.content_hash"
            )
        }
        twice = db.execute(
            'SELECT count(*) FROM (SELECT article, start, "end", kind FROM quotes '
            'GROUP BY article, start, "end", kind HAVING count(*) > 1)'
        ).fetchone()[0]
        unlinked = db.execute(
            "SELECT count(*) FROM quotes q LEFT JOIN links l ON l.quote_id = q.quote_id "
            "WHERE l.quote_id IS NULL"
        ).fetchone()[0]
    finally:
        db.close()
    assert len(batched) == len(set(batched)), "an article was committed twice"
    assert stored == set(batched), "articles outside any committed batch"
    assert unlinked == 0, "quotes without their cluster link"
    assert twice == 0, "a quote stored twice"
    assert set(cached) == stored, "a stored article without its parse-cache entry"
    expected = cached if own_cache else reference.per_article
    counts = dict(zip(articles["article"].to_list(), articles["n_quotes"].to_list(), strict=True))
    for article in stored:
        assert counts[article] == expected[article], f"{article} lost quotes"
    assert quotes.height == sum(expected[a] for a in stored)
    assert set(quotes["article"].to_list()) <= stored
    if not own_cache:
        assert quote_rows(store_dir) <= reference.quotes
    return stored


def assert_same_as_reference(store_dir: Path, reference: Reference) -> None:
    stored = assert_whole_batches(store_dir, reference)
    assert stored == set(reference.per_article)
    assert quote_rows(store_dir) == reference.quotes, "quotes differ from a clean ingest"
    assert cluster_partition(store_dir) == reference.partition, "clusters differ"


def log(entry: dict[str, object]) -> None:
    if LOG:
        with open(LOG, "a", encoding="utf-8") as out:
            out.write(json.dumps({"suite": "store", **entry}) + "\n")


# --- tests -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    """When an uninterrupted warm ingest of the corpus (batch size 1) commits: seconds from its
    start to its first commit and to its exit."""

    first_commit: float
    end: float


@pytest.fixture(scope="module")
def timing(reference: Reference, tmp_path_factory: pytest.TempPathFactory) -> Timing:
    env = child_env()
    store_dir = warm_store(reference, tmp_path_factory.mktemp("timing") / "store")
    started = time.monotonic()
    process = start_ingest(reference.corpus, store_dir, env, batch_size=1)
    first_commit = None
    try:
        while process.poll() is None:
            assert time.monotonic() - started < WAIT_LIMIT_S, "the timing ingest hangs"
            if first_commit is None and committed_batches(store_dir) > 0:
                first_commit = time.monotonic() - started
            time.sleep(0.01)
        end = time.monotonic() - started
        out, err = process.communicate(timeout=30)
    finally:
        stop(process)
    assert process.returncode == 0, err
    assert f"{CORPUS_SIZE} articles added" in out.decode()
    assert_same_as_reference(store_dir, reference)
    print(f"warm ingest: first commit after {first_commit}s, done after {end:.2f}s")
    return Timing(first_commit=first_commit or end / 2, end=end)


@pytest.mark.slow
def test_sigkill_at_random_points_keeps_whole_batches_and_rerun_completes(
    reference: Reference, timing: Timing, tmp_path: Path
) -> None:
    env = child_env()
    rng = random.Random(KILL_SEED)
    outcomes = {"before first commit": 0, "mid-ingest": 0, "after the end": 0}
    template = warm_store(reference, tmp_path / "template")
    for point in range(KILL_POINTS):
        store_dir = tmp_path / f"killed-{point}"
        shutil.copytree(template, store_dir)
        # Most kill points land between the first commit and the end; a few during start-up.
        delay = rng.uniform(timing.first_commit * 0.8, timing.end)
        print(f"kill point {point}: SIGKILL after {delay:.3f}s (seed {KILL_SEED})")
        process = start_ingest(reference.corpus, store_dir, env, batch_size=1)
        try:
            killed = kill_after(process, delay)
        finally:
            stop(process)
        stored = assert_whole_batches(store_dir, reference)
        if not killed:
            outcomes["after the end"] += 1
        elif stored:
            outcomes["mid-ingest"] += 1
        else:
            outcomes["before first commit"] += 1
        summary = run_to_end(reference.corpus, store_dir, env)
        added = CORPUS_SIZE - len(stored)
        assert f"{added} article{'' if added == 1 else 's'} added" in summary, summary
        assert f"{len(stored)} unchanged" in summary, summary
        assert_same_as_reference(store_dir, reference)
    log(
        {
            "test": "sigkill_warm",
            "kill_points": KILL_POINTS,
            "seed": KILL_SEED,
            "first_commit_s": round(timing.first_commit, 2),
            "full_run_s": round(timing.end, 2),
            "outcomes": outcomes,
        }
    )
    assert outcomes["mid-ingest"] >= KILL_POINTS // 3, outcomes


@pytest.mark.slow
def test_sigkill_while_parsing_with_real_models(reference: Reference, tmp_path: Path) -> None:
    """A cold ingest (loading and running Stanza) killed after its first commits, then re-run."""
    env = child_env()
    rng = random.Random(KILL_SEED + 1)
    store_dir = tmp_path / "cold"
    # Killed as soon as a random number of batches is committed, not after a random delay: a
    # whole cold ingest of the corpus can now finish within a second of its first commit.
    target = rng.randint(1, CORPUS_SIZE // 2)
    process = start_ingest(reference.corpus, store_dir, env, batch_size=1)
    try:
        deadline = time.monotonic() + WAIT_LIMIT_S
        while committed_batches(store_dir) < target:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            assert time.monotonic() < deadline, "the ingest never committed a batch"
            time.sleep(0.005)
        print(f"cold kill: SIGKILL once {target} batches were committed")
        killed = kill_after(process, 0.0)
    finally:
        stop(process)
    assert killed, "the cold ingest finished before the kill"
    stored = assert_whole_batches(store_dir, reference, own_cache=True)
    assert 1 <= len(stored) < CORPUS_SIZE
    with Tracker.open(store_dir, nlp=load_models()) as tracker:
        report = tracker.ingest([reference.corpus], progress=False)
    assert (report.added, report.unchanged) == (CORPUS_SIZE - len(stored), len(stored))
    assert report.parsed == CORPUS_SIZE - len(stored), "cached texts must not be parsed again"
    assert assert_whole_batches(store_dir, reference, own_cache=True) == set(reference.per_article)
    if models_stamp() == reference.models:
        assert_same_as_reference(store_dir, reference)
    else:
        print("the bundled models changed during the run: checked against the parse cache only")
    log({"test": "sigkill_cold", "kill_points": 1, "stored_at_kill": len(stored)})


READER = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    from quotes.api import Tracker

    store, expected_file, stop_file = sys.argv[1:4]
    limit = float(sys.argv[4])
    expected = json.loads(Path(expected_file).read_text())
    per_article, order = expected["per_article"], expected["order"]
    # Quote totals at every batch boundary (batches of 2 over the corpus in file order).
    totals = {sum(per_article[a] for a in order[:k]) for k in range(0, len(order) + 1, 2)}
    seen, errors, iterations, last = set(), [], 0, 0
    print("ready", flush=True)
    deadline = time.monotonic() + limit
    tracker = Tracker.open(store)
    while time.monotonic() < deadline and not Path(stop_file).exists():
        iterations += 1
        try:
            if iterations % 5 == 0:  # also open the store while the writer holds it
                tracker.close()
                tracker = Tracker.open(store)
            articles = tracker.articles()
            n = articles.height
            for article, count in zip(articles["article"], articles["n_quotes"]):
                if count != per_article[article]:
                    errors.append(f"{article}: {count} of {per_article[article]} quotes")
            if n % 2 or n < last:
                errors.append(f"{n} articles after {last}: not a batch boundary")
            last = max(last, n)
            quotes = tracker.quotes()
            if quotes.height not in totals:
                errors.append(f"{quotes.height} quotes: not a batch boundary")
            if quotes["cluster_id"].null_count():
                errors.append("a quote without its cluster")
            clusters = tracker.clusters()
            if clusters.height and int(clusters["n_versions"].sum()) not in totals:
                errors.append(f"clusters hold {clusters['n_versions'].sum()} quotes")
            seen.add(n)
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
    tracker.close()
    print(json.dumps({"iterations": iterations, "seen": sorted(seen), "errors": errors[:20]}))
    """
)


@pytest.mark.slow
def test_reader_never_sees_half_a_batch_even_across_a_kill(
    reference: Reference, timing: Timing, tmp_path: Path
) -> None:
    env = child_env()
    rng = random.Random(KILL_SEED + 2)
    store_dir = warm_store(reference, tmp_path / "read-during-ingest")
    expected = tmp_path / "expected.json"
    expected.write_text(
        json.dumps({"per_article": reference.per_article, "order": list(reference.order)})
    )
    stop_file = tmp_path / "stop"
    script = tmp_path / "reader.py"
    script.write_text(READER, encoding="utf-8")
    reader = subprocess.Popen(
        [sys.executable, str(script), str(store_dir), str(expected), str(stop_file), "240"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    writer: subprocess.Popen[bytes] | None = None
    try:
        assert reader.stdout is not None
        assert reader.stdout.readline().strip() == "ready", reader.stderr and reader.stderr.read()
        writer = start_ingest(reference.corpus, store_dir, env, batch_size=2)
        delay = rng.uniform(timing.first_commit, timing.end * 0.8)
        print(f"reader test: SIGKILL the writer after {delay:.3f}s")
        kill_after(writer, delay)
        stop(writer)
        run_to_end(reference.corpus, store_dir, env, batch_size=2)
        time.sleep(1.0)  # let the reader see the final state too
        stop_file.write_text("stop")
        out, err = reader.communicate(timeout=120)
    finally:
        if writer is not None:
            stop(writer)
        if reader.poll() is None:
            reader.kill()
            reader.communicate(timeout=30)
    assert reader.returncode == 0, err
    result = json.loads(out.strip().splitlines()[-1])
    print(f"reader: {result['iterations']} reads, article counts seen {result['seen']}")
    log(
        {
            "test": "reader",
            "reads": result["iterations"],
            "states_seen": len(result["seen"]),
            "errors": len(result["errors"]),
        }
    )
    assert result["errors"] == []
    assert CORPUS_SIZE in result["seen"]
    assert any(0 < n < CORPUS_SIZE for n in result["seen"]), "the reader never overlapped"
    assert_same_as_reference(store_dir, reference)


# --- corrections killed half-way ---------------------------------------------------------------

EDITOR = textwrap.dedent(
    """
    import sys
    from quotes.api import Tracker
    from quotes.errors import InputError

    store, rounds = sys.argv[1], int(sys.argv[2])
    with Tracker.open(store) as tracker:
        for number in range(rounds):
            quotes = tracker.quotes().sort("quote_id")["quote_id"].to_list()
            several = tracker.clusters(min_versions=2)["cluster_id"].to_list()
            alone = tracker.clusters().filter(tracker.clusters()["n_versions"] == 1)
            singles = alone["reference_quote_id"].to_list()
            edits = [
                lambda: tracker.correct_speaker(quotes[number % len(quotes)], f"Editor {number}"),
                lambda: tracker.mark_not_quote(quotes[(number * 7 + 3) % len(quotes)]),
                lambda: tracker.split_version(
                    tracker.variants(several[number % len(several)])["quote_id"][-1]
                ),
                lambda: tracker.merge_statements(singles[0], singles[1]),
            ]
            done = []
            for edit in edits:
                try:
                    done.append(edit())
                except (InputError, IndexError, ZeroDivisionError):
                    pass  # this round's store offers nothing for that edit
            for correction in done[::2]:
                tracker.undo_correction(correction.correction_id)
            print(number, flush=True)
    """
)


def assert_corrections_applied(store_dir: Path) -> None:
    """Whatever the kill interrupted, the store is one whose corrections are all applied: the
    quotes marked not quotes have no link, every other quote has one, speakers set by hand are
    shown, and the key index holds every linked quote."""
    from quotes.store.corrections import load_effects

    with Tracker.open(store_dir) as tracker:
        tracker.quotes()
        tracker.clusters()
        tracker.corrections(include_undone=True)
        with tracker.store.read() as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            effects = load_effects(db)
            linked = dict(db.execute("SELECT quote_id, speaker FROM links").fetchall())
            stored = {row[0] for row in db.execute("SELECT quote_id FROM quotes")}
            indexed = db.execute(
                "SELECT count(DISTINCT qnum) FROM block_keys WHERE key >> 61 = 3"
            ).fetchone()[0]
    assert set(linked) == stored - effects.hidden
    for quote, name in effects.speakers.items():
        if quote in linked:
            assert linked[quote] == name, quote
    assert indexed == len(linked)


@pytest.mark.slow
def test_sigkill_during_corrections_keeps_them_whole(reference: Reference, tmp_path: Path) -> None:
    env = child_env()
    rng = random.Random(KILL_SEED + 3)
    script = tmp_path / "editor.py"
    script.write_text(EDITOR, encoding="utf-8")
    outcomes = {"mid-corrections": 0, "after the end": 0}
    for point in range(max(3, KILL_POINTS // 3)):
        store_dir = tmp_path / f"edited-{point}"
        shutil.copytree(reference.store, store_dir)
        editor = subprocess.Popen(
            [sys.executable, str(script), str(store_dir), "40"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            assert editor.stdout is not None
            editor.stdout.readline()  # one round done: the kill lands among corrections
            delay = rng.uniform(0.0, 1.5)
            print(f"editor kill point {point}: SIGKILL {delay:.3f}s after the first round")
            killed = kill_after(editor, delay)
        finally:
            stop(editor)
        outcomes["mid-corrections" if killed else "after the end"] += 1
        assert_corrections_applied(store_dir)
        # The store goes on: another batch and a full recompute keep the corrections.
        run_to_end(reference.corpus, store_dir, env)
        with Store.open(store_dir) as store:
            store.recompute()
        assert_corrections_applied(store_dir)
    log({"test": "sigkill_corrections", "outcomes": outcomes})
    assert outcomes["mid-corrections"] >= 1, outcomes
