"""Tests of quotes.match: the pair rule, clustering and the pair judge."""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quotes.errors import InputError
from quotes.match import (
    MatchItem,
    cluster_quotes,
    judge_pairs,
    normalize_quote,
    profile,
    same_utterance,
    speakers_compatible,
)

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

LONG = (
    "we will rebuild the harbour bridge before winter, and every ferry worker "
    "will keep a job while we do it"
)


def item(ident: str, text: str, **fields: object) -> MatchItem:
    return MatchItem(ident, text, **fields)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- pair rule


def test_fragment_of_a_longer_version_is_the_same_utterance() -> None:
    decision = same_utterance(
        item("a", LONG), item("b", "rebuild the harbour bridge before winter")
    )
    assert decision.same and decision.score >= 0.85


def test_ellipsis_and_contractions_do_not_hide_a_match() -> None:
    variant = "We'll rebuild the harbour bridge ... and every ferry worker'll keep a job"
    assert same_utterance(item("a", LONG), item("b", variant)).same


def test_reported_paraphrase_with_the_same_heavy_words_matches() -> None:
    original = item("a", "our ministry will never tolerate interference in the fishing dispute")
    reported = item(
        "b",
        "the ministry would never tolerate any interference in that fishing dispute",
        kind="indirect",
    )
    assert same_utterance(original, reported).same


def test_short_quote_whose_words_sit_scattered_in_another_quote_is_different() -> None:
    # Every content word of the short quote occurs in the long one, but not as one phrase.
    short = item("a", "winter ferry jobs")
    assert not same_utterance(short, item("b", LONG)).same


def test_one_common_word_is_not_a_statement() -> None:
    assert not same_utterance(item("a", "rigged"), item("b", "the whole count was rigged")).same


def test_same_words_at_two_events_far_apart_are_different() -> None:
    first = item("a", LONG, published=date(2024, 3, 1))
    again = item("b", LONG, published=date(2024, 9, 20))
    assert not same_utterance(first, again).same
    close = item("c", LONG, published=date(2024, 3, 3))
    assert same_utterance(first, close).same


def test_different_named_speakers_need_more_than_a_shared_phrase() -> None:
    a = item("a", "a stable and prosperous harbour", speaker="Ana Ruiz")
    b = item("b", "we want a stable and prosperous harbour for all", speaker="Tom Berg")
    assert not same_utterance(a, b).same
    assert same_utterance(a, item("c", b.text, speaker="Ruiz")).same


def test_scare_quote_matches_only_its_twin() -> None:
    scare = item("a", "hegemony", kind="scare")
    assert not same_utterance(scare, item("b", "all kinds of hegemony", kind="direct")).same


def test_speaker_compatibility() -> None:
    assert speakers_compatible("Choe", "Choe Son Hui") == "same"
    assert speakers_compatible("Foreign Minister Wang Yi", "Wang") == "same"
    assert speakers_compatible("Ana Ruiz", "Tom Berg") == "different"
    assert speakers_compatible("she", "Tom Berg") == "unknown"
    assert speakers_compatible("The ministers", "Tom Berg") == "unknown"


def test_normalisation() -> None:
    assert normalize_quote("They\u2019re NOT done\u2026 yet!") == "they are not done\x00yet"
    assert profile("a b ... c d").segments == ("a b", "c d")


def test_partial_quote_is_judged_by_its_quoted_words_too() -> None:
    mixed = item("a", 'Ruiz said the city backs "a stable and prosperous harbour" for now')
    direct = item("b", "a stable and prosperous harbour", kind="direct")
    assert same_utterance(mixed, direct).same


# --------------------------------------------------------------------------- clustering


def corpus() -> list[MatchItem]:
    return [
        item("n1", LONG, speaker="Ana Ruiz", doc="d1"),
        item("n2", "rebuild the harbour bridge before winter", speaker="Ruiz", doc="d2"),
        item(
            "n3",
            "We'll rebuild the harbour bridge ... every ferry worker will keep a job",
            doc="d3",
        ),
        item("n4", "the tax on fuel stays where it is this year", speaker="Tom Berg", doc="d2"),
        item("n5", "the fuel tax stays where it is this year", speaker="Berg", doc="d4"),
        item("n6", "winter ferry jobs", doc="d5"),
    ]


def test_clusters_group_versions_and_keep_unrelated_apart() -> None:
    groups = {c.member_ids for c in cluster_quotes(corpus())}
    assert groups == {("n1", "n2", "n3"), ("n4", "n5"), ("n6",)}


def test_cluster_ids_are_stable_and_input_order_free() -> None:
    items = corpus()
    first = cluster_quotes(items)
    again = cluster_quotes(list(reversed(items)))
    assert first == again
    assert len({c.id for c in first}) == len(first)


def test_one_bridging_quote_does_not_chain_two_statements() -> None:
    items = [
        item("a1", "we will rebuild the harbour bridge before winter", kind="direct", doc="a"),
        item("b1", "the fuel tax stays where it is this year", kind="direct", doc="b"),
        # A reporter's summary of both lines: it matches each, but they are two statements.
        item(
            "c1",
            "rebuild the harbour bridge before winter and the fuel tax stays where it is",
            kind="indirect",
            doc="c",
        ),
    ]
    assert same_utterance(items[2], items[0]).same and same_utterance(items[2], items[1]).same
    for cluster in cluster_quotes(items):
        assert not {"a1", "b1"} <= set(cluster.member_ids)


def test_disjoint_fragments_of_one_statement_join_through_it() -> None:
    items = [
        item("f1", "rebuild the harbour bridge before winter", doc="a"),
        item("f2", "every ferry worker will keep a job", doc="b"),
        item("full", LONG, doc="c"),
    ]
    assert [c.member_ids for c in cluster_quotes(items)] == [("f1", "f2", "full")]


def test_two_quotes_of_one_article_join_only_when_near_identical() -> None:
    items = [
        item("x1", "rebuild the harbour bridge before winter", doc="x"),
        item("x2", LONG, doc="x"),
        item("x3", "rebuild the harbour bridge before winter!", doc="x"),
    ]
    groups = {c.member_ids for c in cluster_quotes(items)}
    assert ("x1", "x3") in groups and ("x2",) in groups


def test_duplicate_ids_are_an_input_error() -> None:
    with pytest.raises(InputError, match="twice"):
        cluster_quotes([item("a", "x y z"), item("a", "x y z")])


def _all_pairs_clusters(items: list[MatchItem]) -> set[tuple[str, ...]]:
    """What clustering gives when every pair is scored: the reference for blocking."""
    from quotes import match

    ordered = sorted(items, key=lambda i: i.id)
    profiles = [profile(i.text) for i in ordered]
    edges: list[tuple[float, int, int]] = []
    for low in range(len(ordered)):
        candidates = list(range(low + 1, len(ordered)))
        edges.extend(match._score_candidates(low, candidates, ordered, profiles))
    return {tuple(ordered[m].id for m in g) for g in match._merge(edges, ordered, profiles)}


def test_blocking_finds_every_version_that_all_pairs_would() -> None:
    statements = [
        "the port authority will double the night shift at the container terminal by june",
        "our farmers cannot wait another season for the irrigation canal to be repaired",
        "nobody on this council voted to close the children's library on saturdays",
    ]
    rng = random.Random(3)
    items: list[MatchItem] = []
    for s_index, text in enumerate(statements):
        words = text.split()
        versions = [
            text,
            " ".join(words[2:9]),  # a cut
            " ".join(words[:5]) + " ... " + " ".join(words[7:]),  # an ellipsis
            " ".join(w if i not in (3, 8) else "the" for i, w in enumerate(words)),  # swaps
            "that " + " ".join(w for w in words if rng.random() > 0.15),  # reported, trimmed
        ]
        items += [
            item(f"s{s_index}v{v}", version, speaker="Ana Ruiz", doc=f"d{s_index}{v}")
            for v, version in enumerate(versions)
        ]
    # One-word quotes find the longer quote holding their word (same speaker).
    items.append(item("w1", "irrigation", speaker="Ana Ruiz", doc="w"))
    # Unrelated quotes that share words with the statements.
    items += [
        item("u1", "the night bus will run on saturdays from june", doc="u1"),
        item("u2", "the canal museum reopens next season", doc="u2"),
    ]
    assert {c.member_ids for c in cluster_quotes(items)} == _all_pairs_clusters(items)
    grouped = {m: c.member_ids for c in cluster_quotes(items) for m in c.member_ids}
    assert len(grouped["s0v0"]) == 5 and len(grouped["s2v0"]) == 5
    assert "w1" in grouped["s1v0"]


def test_a_key_too_common_to_look_up_still_finds_verbatim_twins() -> None:
    # Seventy reports of one short line: its only key is held by too many quotes to be looked
    # up, and the copies still form one cluster.
    items = [item(f"t{i:02d}", "Exports grew strongly", doc=f"d{i}") for i in range(70)]
    items.append(item("other", "imports grew slowly", doc="x"))
    assert [c.member_ids for c in cluster_quotes(items)] == [
        ("other",),
        tuple(f"t{i:02d}" for i in range(70)),
    ]


phrases = st.sampled_from(
    [
        LONG,
        "rebuild the harbour bridge before winter",
        "the fuel tax stays where it is this year",
        "fuel tax stays",
        "every ferry worker will keep a job",
        "we do it",
        "harbour",
    ]
)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(phrases, st.sampled_from(["d1", "d2", "d3", None])), max_size=12),
    st.randoms(use_true_random=False),
)
def test_every_item_lands_in_exactly_one_cluster_whatever_the_order(
    rows: list[tuple[str, str | None]], rng: random.Random
) -> None:
    items = [item(f"q{i:02d}", text, doc=doc) for i, (text, doc) in enumerate(rows)]
    clusters = cluster_quotes(items)
    members = [m for c in clusters for m in c.member_ids]
    assert sorted(members) == sorted(i.id for i in items)
    shuffled = list(items)
    rng.shuffle(shuffled)
    assert cluster_quotes(shuffled) == clusters


# --------------------------------------------------------------------------- judge


def test_judge_pairs_uses_the_same_rule() -> None:
    lines = [
        json.dumps({"a": LONG, "b": "rebuild the harbour bridge before winter"}),
        "",
        json.dumps({"a": "winter ferry jobs", "b": LONG, "a_speaker": "Ruiz"}),
    ]
    results = list(judge_pairs(lines))
    assert [r["same"] for r in results] == [True, False]
    expected = same_utterance(
        item("a", LONG), item("b", "rebuild the harbour bridge before winter")
    )
    assert results[0]["score"] == expected.score


@pytest.mark.parametrize(
    ("line", "problem"),
    [("{not json", "not valid JSON"), ('["a", "b"]', "JSON object"), ('{"a": "x"}', "'b'")],
)
def test_judge_pairs_names_the_bad_line(line: str, problem: str) -> None:
    lines = [json.dumps({"a": "x y", "b": "x y"}), line]
    with pytest.raises(InputError) as error:
        list(judge_pairs(lines, source="pairs.jsonl"))
    assert "pairs.jsonl line 2" in str(error.value) and problem in str(error.value)


# --------------------------------------------------------------------------- seeds

# Hand-copied from seeds/00[1-3]_*.txt (the project's own sample articles).
SEED_ITEMS = [
    (
        "002",
        "Choe Son Hui",
        "mixed",
        "Kim\u2019s stance that advancing ties with China is Pyongyang\u2019s \u201cunwavering "
        "position,\u201d",
    ),
    (
        "003",
        "Choe Son Hui",
        "mixed",
        "Kim's directive that \"further bolstering ties with China is North Korea's unwavering "
        'position," vowing alignment with summit outcomes to foster "friendly ties."',
    ),
    (
        "002",
        "Wang Yi",
        "mixed",
        "Beijing opposes \u201call forms of hegemonism\u201d and is ready to work with North Korea",
    ),
    ("003", "Wang Yi", "direct", "all forms of hegemonism"),
    ("001", "Wang Yi", "indirect", "opposition to all forms of hegemonism"),
    (
        "002",
        "Choe Son Hui",
        "direct",
        "closely cooperate with China in multilateral affairs, jointly resist unilateralism and "
        "power politics, and promote a fairer world order.",
    ),
    (
        "003",
        "Choe Son Hui",
        "direct",
        "closely cooperate... to jointly resist unilateralism and power politics and promote a "
        "fairer and more just world order,",
    ),
    (
        "001",
        "North Korea",
        "indirect",
        "collaborate closely with China to resist unilateralism and advocate for a more equitable "
        "world order",
    ),
    (
        "002",
        "KCNA",
        "mixed",
        "Choe and Wang reached \u201ccomplete consensus\u201d on regional and international issues",
    ),
    ("003", None, "direct", "reached a complete consensus"),
    ("003", None, "scare", "hegemonism"),
    ("003", "Choe Son Hui", "indirect", "enhanced strategic dialogue on regional flashpoints"),
    (
        "002",
        "Wang Yi",
        "indirect",
        "Beijing is committed to consolidating relations, boosting strategic communications and "
        "exchanges",
    ),
]


def test_seed_statements_form_one_cluster_each() -> None:
    items = [
        MatchItem(f"s{n:02d}", text, speaker=speaker, kind=kind, doc=doc)
        for n, (doc, speaker, kind, text) in enumerate(SEED_ITEMS)
    ]
    groups = {c.member_ids for c in cluster_quotes(items)}
    assert ("s00", "s01") in groups  # "unwavering position"
    assert ("s02", "s03", "s04") in groups  # "all forms of hegemonism"
    assert ("s05", "s06", "s07") in groups  # "fairer world order", paraphrase in 001 included
    assert ("s08", "s09") in groups  # "complete consensus"
    assert {("s10",), ("s11",), ("s12",)} <= groups


@pytest.mark.slow
def test_seed_articles_through_extraction() -> None:
    # Runs the real extraction stage (its model-free parser when the bundled models are absent).
    extract = pytest.importorskip("quotes.extract")
    models = Path(__file__).resolve().parent.parent / "data" / "models" / "en" / "depparse"
    parser = None if models.exists() else extract.simple_parse
    items = []
    for path in sorted(SEEDS.glob("*.txt")):
        doc = path.name[:3]
        quotes = extract.extract_text(path.read_text(encoding="utf-8"), doc_id=doc, parser=parser)
        for n, quote in enumerate(quotes):
            items.append(
                MatchItem(
                    f"{doc}-{n:02d}", quote.text, speaker=quote.speaker, kind=quote.kind, doc=doc
                )
            )
    text_of = {i.id: i.text for i in items}
    clusters = cluster_quotes(items)
    for phrase, mark in [
        ("unwavering position", "unwavering"),
        ("all forms of hegemonism", "all forms of hegemonism"),
        ("world order", "unilateralism"),
        ("complete consensus", "consensus"),
    ]:
        carrying = {i.id for i in items if phrase in i.text and i.kind != "scare"}
        docs = {m[:3] for m in carrying}
        assert len(docs) >= 2, f"extraction found {phrase!r} in fewer than two articles"
        best = max(clusters, key=lambda c: len(carrying & set(c.member_ids)))
        # One cluster spans every article whose extracted quotes carry the statement...
        assert {m[:3] for m in best.member_ids} >= docs, (phrase, best, sorted(carrying))
        # ...and nothing unrelated joins it.
        assert all(mark in text_of[m] for m in best.member_ids), [
            text_of[m] for m in best.member_ids
        ]
