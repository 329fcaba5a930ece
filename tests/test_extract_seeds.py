"""The seed articles: every quote of Choe Son Hui and Wang Yi found, with KCNA, Xinhua and AP.

Run with the bundled Stanza models: the staged engine reads the dependency parse, so the rules
tokenizer alone (``simple_parse``, no tags) finds no attribution and is not run here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from quotes.extract import extract_texts
from quotes.records import Quote

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DEPPARSE = ROOT / "data" / "models" / "en" / "depparse"


def _with_models(names: list[str]) -> dict[str, list[Quote]]:
    if not DEPPARSE.is_dir():
        pytest.skip("bundled depparse model not built yet (data/models/en/depparse)")
    from quotes.nlp import load_pipeline

    nlp = load_pipeline(models="bundled")
    found = extract_texts([(n, _text(n)) for n in names], nlp=nlp)
    return dict(zip(names, found, strict=True))


def _text(name: str) -> str:
    return next(SEEDS.glob(f"{name}_*.txt")).read_text(encoding="utf-8")


NAMES = ["000", "001", "002", "003", "004"]


@pytest.fixture(scope="module", params=["models"])
def seeds(request: pytest.FixtureRequest) -> dict[str, list[Quote]]:
    return _with_models(NAMES)


def _containing(quotes: list[Quote], words: str) -> Quote:
    hits = [q for q in quotes if words in q.text and q.kind != "scare"]
    assert hits, f"no quote holds {words!r}: {[q.text for q in quotes]}"
    return hits[0]


def test_seed_offsets_are_exact(seeds: dict[str, list[Quote]]) -> None:
    for name, quotes in seeds.items():
        text = _text(name)
        for quote in quotes:
            assert text[quote.start : quote.end] == quote.text


def test_seed_002_choe_and_wang_with_kcna_and_xinhua(seeds: dict[str, list[Quote]]) -> None:
    quotes = seeds["002"]
    stance = _containing(quotes, "unwavering position")
    assert (stance.speaker, stance.outlet) == ("Choe Son Hui", "KCNA")
    hegemonism = _containing(quotes, "all forms of hegemonism")
    assert (hegemonism.speaker, hegemonism.outlet) == ("Wang Yi", "Xinhua")
    assert hegemonism.kind == "mixed"
    cooperate = _containing(quotes, "closely cooperate with China")
    assert cooperate.speaker == "Choe Son Hui"
    assert cooperate.speaker_mention == "Choe"
    responded = _containing(quotes, "Beijing is committed to consolidating relations")
    assert responded.speaker == "Wang Yi"
    consensus = _containing(quotes, "complete consensus")
    assert (consensus.speaker, consensus.speaker_type, consensus.outlet) == (
        "KCNA",
        "outlet",
        "KCNA",
    )


def test_seed_003_per_xinhua(seeds: dict[str, list[Quote]]) -> None:
    quotes = seeds["003"]
    cooperate = _containing(quotes, "closely cooperate")
    assert (cooperate.speaker, cooperate.outlet) == ("Choe Son Hui", "Xinhua")
    assert cooperate.role == "North Korean Foreign Minister"
    assert _containing(quotes, "further bolstering ties").speaker == "Choe Son Hui"
    assert _containing(quotes, "solidify bilateral ties").speaker == "Wang Yi"


def test_seed_001_declaration_and_ap(seeds: dict[str, list[Quote]]) -> None:
    quotes = seeds["001"]
    declaration = [q for q in quotes if q.cue == "declaration"]
    assert [(q.speaker, q.text) for q in declaration] == [
        ("Wang Yi", "opposition to all forms of hegemonism")
    ]
    willingness = _containing(quotes, "resist unilateralism")
    assert (willingness.speaker, willingness.outlet) == ("North Korea", "AP")
    assert willingness.speaker_type == "country"


def test_seed_furniture_gives_no_quote(seeds: dict[str, list[Quote]]) -> None:
    furniture = [
        ("002", "Asian markets fall after Trump announces"),
        ("002", "Trump’s moves to consolidate power"),
        ("003", "BJP Veteran Leader"),
        ("003", "Final Bihar Voter List"),
    ]
    for name, line in furniture:
        text = _text(name)
        start = text.index(line)
        end = text.index("\n", start) if "\n" in text[start:] else len(text)
        assert not [q for q in seeds[name] if q.start < end and start < q.end], line


def test_seed_scare_quote(seeds: dict[str, list[Quote]]) -> None:
    scare = [q for q in seeds["003"] if q.kind == "scare"]
    assert [q.text for q in scare][:1] == ["hegemonism"]
    assert scare[0].speaker is None
