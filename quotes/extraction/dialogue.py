"""Dialogue: quotes in consecutive paragraphs with no speech tag take turns.

In fiction, transcripts and interviews a reply often stands alone in its paragraph:

    “Is the pier safe?” Lee asked.
    “No,” said Okoro.
    “Then close it.”
    “I already have.”

The untagged third and fourth turns alternate between the two most recent speakers (Lee, then
Okoro). A paragraph of narration between turns ends the exchange. A new paragraph that opens a
new quote is a new turn, never the previous speaker going on (the attach stage already keeps
them apart).

Example:
    >>> turns = [("Lee", True), ("Okoro", True), (None, True), (None, True)]
    >>> alternate(turns)
    ['Lee', 'Okoro', 'Lee', 'Okoro']
"""

from __future__ import annotations

from collections.abc import Sequence


def alternate(turns: Sequence[tuple[str | None, bool]]) -> list[str | None]:
    """Speakers for a run of paragraphs: ``(speaker or None, paragraph is a bare quote)``.

    A bare quote with no speaker gets the speaker of the turn two before it when the two turns
    before it are by different people.
    """
    speakers: list[str | None] = []
    for index, (speaker, bare) in enumerate(turns):
        if speaker is None and bare and index >= 2:
            older, newer = speakers[index - 2], speakers[index - 1]
            if older is not None and newer is not None and older != newer:
                speaker = older
        speakers.append(speaker)
    return speakers
