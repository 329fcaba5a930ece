"""Outlet aliases, roles, speaker types and name resolution."""

from __future__ import annotations

import pytest

from quotes.attribute import (
    find_outlet,
    load_outlets,
    name_mentions,
    normalise_outlet,
    speaker_type_of,
    split_role,
)
from quotes.extract import extract_text, simple_parse


@pytest.mark.parametrize(
    ("alias", "outlet"),
    [
        ("Korean Central News Agency", "KCNA"),
        ("the North's Korean Central News Agency (KCNA)", "KCNA"),
        ("China’s Xinhua News Agency", "Xinhua"),
        ("Xinhua", "Xinhua"),
        ("AP News", "AP"),
        ("The Associated Press", "AP"),
        ("Reuters", "Reuters"),
        ("Agence France-Presse", "AFP"),
        ("Yonhap News Agency", "Yonhap"),
    ],
)
def test_outlet_aliases(alias: str, outlet: str) -> None:
    assert normalise_outlet(alias) == outlet


def test_unknown_names_are_no_outlet() -> None:
    assert normalise_outlet("Lena Park") is None
    assert normalise_outlet("a local apothecary") is None


def test_every_outlet_has_a_type() -> None:
    assert all(o.type and o.aliases for o in load_outlets())


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        ("The port is shut, per Reuters.", "Reuters"),
        ("The port is shut, as stated in AP News.", "AP"),
        ("Yonhap reported the port is shut.", "Yonhap"),
        ("The port is shut, the mayor told AFP.", "AFP"),
    ],
)
def test_find_outlet(text: str, outlet: str) -> None:
    found = find_outlet(text, (0, len(text)))
    assert found is not None and found[0] == outlet
    assert normalise_outlet(text[found[1][0] : found[1][1]]) == outlet


def test_outlet_named_without_credit_is_ignored() -> None:
    assert find_outlet("She once worked for Reuters in Cairo.", (0, 37)) is None


def test_split_role() -> None:
    assert split_role("North Korean Foreign Minister Choe Son Hui") == (
        "North Korean Foreign Minister",
        "Choe Son Hui",
    )
    assert split_role("North Korea") == (None, "North Korea")
    assert split_role("Sen. Tilda Marsh") == ("Sen.", "Tilda Marsh")


def test_speaker_types() -> None:
    assert speaker_type_of("Xinhua") == "outlet"
    assert speaker_type_of("Portugal") == "country"
    assert speaker_type_of("the Finance Ministry") == "organization"
    assert speaker_type_of("officials") == "group"
    assert speaker_type_of("Tilda Marsh") == "person"
    assert speaker_type_of("Tilda Marsh", ner="S-ORG") == "organization"
    assert speaker_type_of("it happened") == "unknown"
    assert speaker_type_of("the harbour spokesman") == "person"
    assert speaker_type_of("the ferry operators' advisers") == "group"
    assert speaker_type_of("the leaked memo") == "unknown"


def test_name_mentions_keep_titles_as_roles() -> None:
    doc = simple_parse("Trade Minister Oskar Lind met Prime Minister Ada Holm in Oslo.")
    found = [(m.role, m.name) for m in name_mentions(doc)]
    assert ("Trade Minister", "Oskar Lind") in found
    assert ("Prime Minister", "Ada Holm") in found


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Tom Perez thanked the unions. “They kept their word,” he said.", "Tom Perez"),
        # An organisation or a country is no antecedent for "she".
        ("The United Nations met in Geneva. “We are worried about it,” she said.", "she"),
        ("North Korea fired a missile. “We are worried about it,” she said.", "she"),
    ],
)
def test_pronoun_speaker_resolves_to_the_nearest_full_personal_name(
    text: str, speaker: str
) -> None:
    quote = next(q for q in extract_text(text, doc_id="t") if q.kind == "direct")
    assert quote.speaker == speaker
