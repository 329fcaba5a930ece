"""Dialogue in invented fiction, transcripts and interviews: untagged turns, new paragraphs,
narration that is not speech, first-person narrators."""

from __future__ import annotations

from quotes.extract import extract_text
from quotes.records import Quote


def direct(text: str) -> list[Quote]:
    return [q for q in extract_text(text, doc_id="story") if q.kind == "direct"]


def test_untagged_turns_alternate_between_the_last_two_speakers() -> None:
    story = (
        "“Is the pier safe?” Mara asked.\n\n"
        "“Not since the storm,” said Tobias.\n\n"
        "“Then close it before the ferry comes.”\n\n"
        "“I closed it an hour ago.”\n"
    )
    turns = direct(story)
    assert [q.speaker for q in turns] == ["Mara", "Tobias", "Mara", "Tobias"]
    assert all("mark:next_paragraph" in q.rules for q in turns[2:])
    assert "mark:dialogue_turn" in turns[2].rules


def test_narration_between_turns_ends_the_exchange() -> None:
    story = (
        "“Is the pier safe?” Mara asked.\n\n"
        "“Not since the storm,” said Tobias.\n\n"
        "The gulls went quiet over the harbour and the tide turned.\n\n"
        "“Then close it.”\n"
    )
    turns = direct(story)
    assert turns[-1].text == "Then close it."
    assert turns[-1].speaker is None


def test_a_new_paragraph_that_opens_a_new_quote_is_a_new_turn() -> None:
    story = (
        "“We sail at nine,” Mara said.\n\n"
        "Tobias looked at the grey sky and frowned. “Are you sure?”\n"
    )
    turns = direct(story)
    assert len(turns) == 2
    assert turns[0].text == "We sail at nine" and turns[0].speaker == "Mara"
    assert turns[1].speaker != "Mara"


def test_narration_with_verbs_of_seeing_is_not_speech() -> None:
    story = (
        "The house seemed smaller than she remembered. Mara found the key under the mat and "
        "the door gave way. The hall smelled of salt."
    )
    assert [q for q in extract_text(story, doc_id="s") if q.kind != "scare"] == []


def test_first_person_narration_keeps_i_when_no_narrator_is_named() -> None:
    story = "I told the harbour master that the pier would not last the winter."
    quotes = extract_text(story, doc_id="s")
    assert len(quotes) == 1
    assert quotes[0].speaker == "I"
    assert quotes[0].speaker_resolved is False


def test_a_transcript_with_speaker_labels_gives_each_turn_its_speaker() -> None:
    transcript = "LEE: Is the pier safe?\nOKORO: Not since the storm.\n"
    quotes = extract_text(transcript, doc_id="t")
    assert all(q.speaker != "LEE" or "safe" in q.text for q in quotes)
