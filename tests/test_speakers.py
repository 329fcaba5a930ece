"""Merging speakers across articles."""

from __future__ import annotations

from quotes.records import Quote
from quotes.speakers import merge_speakers, speaker_key


def _quote(doc: str, speaker: str, role: str | None = None, kind: str = "person") -> Quote:
    return Quote(
        doc=doc,
        start=0,
        end=3,
        text="abc",
        spans=((0, 3),),
        kind="direct",
        speaker=speaker,
        role=role,
        speaker_type=kind,  # type: ignore[arg-type]
    )


def test_speaker_key_folds_case_hyphens_and_accents() -> None:
    assert speaker_key("Choe Son-hui") == speaker_key("choe son hui") == "choe son hui"
    assert speaker_key("José Núñez") == "jose nunez"
    assert speaker_key("Choe") == "choe"


def test_variants_of_one_person_merge_and_keep_roles() -> None:
    quotes = [
        _quote("a", "Choe Son Hui", "North Korean Foreign Minister"),
        _quote("b", "Choe Son-hui"),
        _quote("c", "Choe", "Foreign Minister"),
        _quote("c", "Wang Yi", "Chinese Foreign Minister"),
    ]
    speakers = merge_speakers(quotes)
    assert [s.name for s in speakers] == ["Choe Son Hui", "Wang Yi"]
    choe = speakers[0]
    assert choe.id == "choe-son-hui"
    assert choe.docs == ("a", "b", "c")
    assert set(choe.variants) == {"Choe Son Hui", "Choe Son-hui", "Choe"}
    assert choe.roles == ("Foreign Minister", "North Korean Foreign Minister")
    assert choe.type == "person"


def test_ambiguous_short_name_stays_apart() -> None:
    quotes = [_quote("a", "Kim Jong Un"), _quote("b", "Kim Yo Jong"), _quote("c", "Kim")]
    names = sorted(s.name for s in merge_speakers(quotes))
    assert names == ["Kim", "Kim Jong Un", "Kim Yo Jong"]


def test_quotes_without_speaker_are_ignored_and_ids_are_stable() -> None:
    unnamed = Quote(doc="a", start=0, end=1, text="x", spans=((0, 1),), kind="scare")
    first = merge_speakers([unnamed, _quote("a", "KCNA", kind="outlet")])
    second = merge_speakers([_quote("z", "KCNA", kind="outlet")])
    assert [s.id for s in first] == [s.id for s in second] == ["kcna"]
    assert first[0].type == "outlet"


def test_pronouns_and_common_nouns_never_join_speakers_of_two_articles() -> None:
    quotes = [
        _quote("a", "I"),
        _quote("b", "I"),
        _quote("c", "researchers", kind="group"),
        _quote("d", "researchers", kind="group"),
        _quote("a", "Wang Yi"),
        _quote("b", "Wang Yi"),
    ]
    speakers = merge_speakers(quotes)
    assert sorted((s.name, s.docs) for s in speakers) == [
        ("I", ("a",)),
        ("I", ("b",)),
        ("Wang Yi", ("a", "b")),
        ("researchers", ("c",)),
        ("researchers", ("d",)),
    ]
    assert len({s.id for s in speakers}) == len(speakers)
