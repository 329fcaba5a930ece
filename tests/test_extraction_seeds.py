"""The seed articles with the real bundled models: the cases the extraction issue was filed on,
and the figures of our own annotation (tests/data/seeds_gold.json)."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from bench.seeds import Tally, load_gold
from quotes.extract import extract_texts
from quotes.records import Quote

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@functools.cache
def seed_quotes() -> dict[str, list[Quote]]:
    items = [(path.stem, path.read_text(encoding="utf-8")) for path in sorted(SEEDS.glob("*.txt"))]
    return {doc: quotes for (doc, _), quotes in zip(items, extract_texts(items), strict=True)}


def quotes_of(prefix: str) -> list[Quote]:
    return next(quotes for doc, quotes in seed_quotes().items() if doc.startswith(prefix))


def holding(prefix: str, words: str) -> list[Quote]:
    return [q for q in quotes_of(prefix) if words in q.text and q.kind != "scare"]


@pytest.mark.parametrize(
    ("prefix", "narration"),
    [
        ("003", "Choe and Wang in formal handshakes"),
        ("002", "a show of potential three-way unity"),
        ("003", "a recalibration in Sino-North Korean relations"),
        ("004", "itself on the global stage"),
        ("000", "to diversify its alliances"),
        ("004", "state control and nationalism"),
    ],
)
def test_narration_is_not_a_quote(prefix: str, narration: str) -> None:
    assert holding(prefix, narration) == []


@pytest.mark.parametrize(
    ("prefix", "words", "speaker"),
    [
        ("004", "significance to China remains unchanged", "Xi Jinping"),
        ("001", "the necessity of strategic communications", "Wang Yi"),
        ("000", "a shared commitment to opposing unilateralism", "Choe Son Hui and Wang Yi"),
        ("003", "urgency to mend fences with China", "Experts"),
        ("000", "mutual support and cooperation", "Kim Jong Un and Xi Jinping"),
        ("002", "Beijing opposes", "Wang Yi"),
    ],
)
def test_reported_speech_is_found_with_its_speaker(prefix: str, words: str, speaker: str) -> None:
    found = holding(prefix, words)
    assert len(found) == 1, found
    assert found[0].speaker == speaker


def test_a_statement_confirmed_by_the_media_is_the_speaker_s_with_the_media_as_outlet() -> None:
    found = holding("001", "all forms of hegemonism")
    assert len(found) == 1
    assert found[0].speaker == "Wang Yi"
    assert found[0].outlet == "Chinese media"


@pytest.mark.parametrize("prefix", ["001", "002", "003"])
def test_the_hegemonism_line_is_one_quote_per_article(prefix: str) -> None:
    assert len(holding(prefix, "all forms of hegemonism")) == 1


def test_every_quote_points_into_its_article_and_carries_its_rules() -> None:
    for doc, quotes in seed_quotes().items():
        text = next(SEEDS.glob(f"{doc}*.txt")).read_text(encoding="utf-8")
        for quote in quotes:
            assert text[quote.start : quote.end] == quote.text
            assert quote.rules
            assert 0.0 <= quote.confidence <= 1.0


def test_our_annotation_of_the_seeds() -> None:
    gold = load_gold()
    tally = Tally()
    for doc, quotes in seed_quotes().items():
        tally.add(gold[doc], quotes)
    figures = tally.figures()
    assert figures["recall"] >= 90
    assert figures["precision"] >= 90
    assert figures["speaker"] >= 85
