"""Clustering batch by batch: what a store builds one batch at a time, against a full recompute.

Stores are written with real batches of articles whose quotes are given (the extraction's
output built here), so the store, its key index, clustering and drift all run for real without
models.
"""

from __future__ import annotations

import itertools
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotes.clusters import cluster_id
from quotes.records import Quote
from quotes.sources import Article
from quotes.speakers import merge_speakers
from quotes.store import DB_NAME, Store
from quotes.store.entities import NameCount, merge_names

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.scale import synthetic_articles, synthetic_corpus


def partition(store: Store) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for quote, cluster in store.query("SELECT quote_id, cluster_id FROM links"):
        groups.setdefault(cluster, set()).add(quote)
    return {frozenset(g) for g in groups.values()}


def pairs(groups: set[frozenset[str]]) -> set[tuple[str, str]]:
    return {p for g in groups for p in itertools.combinations(sorted(g), 2)}


def assert_consistent(store: Store) -> None:
    """Every quote linked once, cluster ids as the rule says, one reference per statement at
    drift 0, and the key index holding every quote."""
    with store.read() as db:
        quotes = {r[0] for r in db.execute("SELECT quote_id FROM quotes")}
        links = db.execute("SELECT quote_id, cluster_id, is_reference, drift FROM links").fetchall()
        twins = db.execute("SELECT count(*) FROM block_keys WHERE key >> 61 = 3").fetchone()[0]
    assert {q for q, *_ in links} == quotes
    members: dict[str, list[tuple[str, int, float]]] = {}
    for quote, cluster, is_reference, drift in links:
        members.setdefault(cluster, []).append((quote, is_reference, drift))
    for cluster, rows in members.items():
        assert cluster == cluster_id(min(q for q, _, _ in rows))
        references = [drift for _, is_reference, drift in rows if is_reference]
        assert references == [0.0], cluster
    assert twins == len(quotes)


def write_in_batches(store: Store, articles: Sequence[Article], extracted: dict, size: int) -> None:
    for start in range(0, len(articles), size):
        batch = articles[start : start + size]
        store.write_batch(batch, {a.content_hash: extracted[a.content_hash] for a in batch})


def test_batches_give_the_statements_of_a_full_recompute(tmp_path: Path) -> None:
    items, _ = synthetic_corpus(3000, seed=11)
    articles, extracted, _ = synthetic_articles(items)
    with Store.open(tmp_path / "store") as store:
        write_in_batches(store, articles, extracted, 150)
        assert_consistent(store)
        batches = pairs(partition(store))
        store.recompute()
        assert_consistent(store)
        full = pairs(partition(store))
    assert len(full) > 1000
    assert len(batches & full) >= 0.99 * len(full)
    assert len(batches & full) >= 0.99 * len(batches)


def test_a_replaced_article_takes_its_quotes_out_of_their_statements(tmp_path: Path) -> None:
    # Two fragments of one statement meet only through the full version; the article of the
    # full version changes to something else: the fragments part.
    full = "the port authority will double the night shift at the container terminal by june"
    first = " ".join(full.split()[:6])
    last = " ".join(full.split()[6:])
    texts = {
        "p1": first,
        "p2": last,
        "p3": full,
        "x1": "the museum will stay closed for repairs",
        "x2": "taxes on fuel are not going up this winter",
        "x3": "we have hired forty new nurses at the hospital",
        "x4": "the festival moves to the old harbour in august",
    }

    def article(name: str, text: str) -> tuple[Article, list[Quote]]:
        body = f'Ana Ruiz said: "{text}".'
        item = Article(id=name, text=body)
        start = body.index(text)
        quote = Quote(
            doc=name,
            start=start,
            end=start + len(text),
            text=text,
            spans=((start, start + len(text)),),
            kind="direct",
            speaker="Ana Ruiz",
            speaker_type="person",
        )
        return item, [quote]

    with Store.open(tmp_path / "store") as store:
        for name, text in texts.items():
            item, quotes = article(name, text)
            store.write_batch([item], {item.content_hash: quotes})
        grouped = [g for g in partition(store) if len(g) > 1]
        assert len(grouped) == 1 and len(next(iter(grouped))) == 3
        item, quotes = article("p3", "a completely different statement about ferries")
        store.write_batch([item], {item.content_hash: quotes})
        assert_consistent(store)
        assert not [g for g in partition(store) if len(g) > 1]


NAMES = st.sampled_from(
    [
        "Choe Son Hui",
        "Choe Son-hui",
        "Choe",
        "Kim Jong Un",
        "Kim Yo Jong",
        "Kim",
        "Wang Yi",
        "Wang",
        "Yi",
        "Wáng Yì",
        "Ines Varga",
        "Varga",
        "Ines",
    ]
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            NAMES,
            st.sampled_from(["person", "unknown"]),
            st.sampled_from([None, "Foreign Minister", "leader"]),
        ),
        max_size=30,
    )
)
def test_name_counts_merge_like_every_quote(said: list[tuple[str, str, str | None]]) -> None:
    quotes = [
        Quote(
            doc=f"d{i}",
            start=0,
            end=1,
            text="x",
            spans=((0, 1),),
            kind="direct",
            speaker=name,
            speaker_type=kind,
            role=role,
        )  # type: ignore[arg-type]
        for i, (name, kind, role) in enumerate(said)
    ]
    counts: dict[tuple[str, str, str | None], int] = {}
    for name, kind, role in said:
        counts[(name, kind, role)] = counts.get((name, kind, role), 0) + 1
    ours = merge_names(NameCount(n, k, r, c) for (n, k, r), c in counts.items())
    for speaker in merge_speakers(quotes):
        for variant in speaker.variants:
            entity = ours[variant]
            assert (entity.name, entity.variants, entity.roles) == (
                speaker.name,
                speaker.variants,
                speaker.roles,
            )


STATEMENTS = [
    "the port authority will double the night shift at the container terminal by june",
    "our farmers cannot wait another season for the irrigation canal to be repaired",
    "nobody on this council voted to close the children's library on saturdays",
    "the new bridge will carry trains and cars from the spring of next year",
]


@st.composite
def versions(draw: st.DrawFn) -> tuple[str, str]:
    words = STATEMENTS[draw(st.integers(0, len(STATEMENTS) - 1))].split()
    start = draw(st.integers(0, 3))
    stop = draw(st.integers(len(words) - 3, len(words)))
    speaker = draw(st.sampled_from(["Ana Ruiz", "Ruiz", "Tom Berg", None]))
    return " ".join(words[start:stop]), speaker or ""


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.lists(versions(), min_size=1, max_size=5), min_size=1, max_size=6), st.data())
def test_any_sequence_of_batches_keeps_the_store_consistent(
    tmp_path_factory, batches: list[list[tuple[str, str]]], data: st.DataObject
) -> None:
    folder = tmp_path_factory.mktemp("prop")
    number = itertools.count()
    with Store.open(folder / "store") as store:
        written: list[str] = []
        for batch in batches:
            articles, extracted = [], {}
            for text, speaker in batch:
                # Sometimes an article is written again with another text (a replacement).
                name = (
                    data.draw(st.sampled_from(written))
                    if written and data.draw(st.booleans())
                    else f"a{next(number)}"
                )
                body = f'{speaker or "Someone"} said: "{text}".'
                item = Article(id=name, text=body)
                start = body.index(text)
                extracted[item.content_hash] = [
                    Quote(
                        doc=name,
                        start=start,
                        end=start + len(text),
                        text=text,
                        spans=((start, start + len(text)),),
                        kind="direct",
                        speaker=speaker or None,
                    )
                ]
                articles = [a for a in articles if a.id != name] + [item]
                written.append(name)
            store.write_batch(articles, extracted)
            assert_consistent(store)
    database = sqlite3.connect(folder / "store" / DB_NAME)
    assert database.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    database.close()
