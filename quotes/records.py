"""The small records that flow between the stages of `quotes`.

Every stage after :mod:`quotes.nlp` works on these plain frozen dataclasses, never on Stanza
objects, so each stage can be tested with hand-built records and no model.

All offsets are Python string offsets into the original article text: for any record ``r`` with
``start``/``end``, ``text[r.start:r.end]`` is the covered text (for a :class:`Quote`,
``text[q.start:q.end] == q.text`` always holds).

Example:
    >>> tok = Token(index=0, text="Wang", start=0, end=4, upos="PROPN", lemma="Wang")
    >>> tok.is_parsed
    True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

QuoteKind = Literal["direct", "mixed", "indirect", "scare"]
SpeakerType = Literal["person", "group", "organization", "country", "outlet", "unknown"]

QUOTE_KINDS: tuple[QuoteKind, ...] = ("direct", "mixed", "indirect", "scare")
SPEAKER_TYPES: tuple[SpeakerType, ...] = (
    "person",
    "group",
    "organization",
    "country",
    "outlet",
    "unknown",
)


@dataclass(frozen=True, slots=True)
class Token:
    """One syntactic word of a sentence.

    ``index`` is the 0-based position of the word in its sentence and ``head`` the 0-based index
    of its syntactic head (``-1`` for the root, ``None`` when the sentence was not parsed).
    A word that is part of a multi-word token ("do" + "n't" of "don't") carries the offsets of
    the whole surface token, so ``text`` may differ from the covered slice for such words only.

    Example:
        >>> Token(index=1, text="said", start=5, end=9, upos="VERB", lemma="say", head=-1,
        ...       deprel="root").deprel
        'root'
    """

    index: int
    text: str
    start: int
    end: int
    upos: str | None = None
    xpos: str | None = None
    lemma: str | None = None
    feats: str | None = None
    head: int | None = None
    deprel: str | None = None
    ner: str | None = None

    @property
    def is_parsed(self) -> bool:
        """True when the tagger ran on this word (``upos`` is known)."""
        return self.upos is not None


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence: its character span and its words.

    ``parsed`` says whether POS tags, lemmas and dependencies were computed for it; the
    throughput path only parses sentences that can hold a quote or an attribution.

    Example:
        >>> s = Sentence(index=0, start=0, end=9, tokens=(), parsed=False)
        >>> len(s.tokens)
        0
    """

    index: int
    start: int
    end: int
    tokens: tuple[Token, ...]
    parsed: bool = False


@dataclass(frozen=True, slots=True)
class ParsedDoc:
    """An article's text with its sentences.

    Example:
        >>> ParsedDoc(text="", sentences=()).sentences
        ()
    """

    text: str
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True, slots=True)
class Quote:
    """One quotation (or reported statement) found in one article.

    ``start``/``end`` cover the whole content; ``spans`` lists its pieces when the content is
    interrupted (by its attribution, "..., she said, ..."), else a single span. ``speaker`` is the
    canonical name (the fullest name of that person in the article), ``speaker_mention`` the
    words at ``speaker_start:speaker_end`` ("her", "Choe"), ``role`` a title seen with the
    speaker ("North Korean Foreign Minister"), ``outlet`` the normalised news organisation the
    article credits ("KCNA"), with ``outlet_start``/``outlet_end`` pointing at its mention.
    Unknown parts are ``None``. ``speaker_resolved`` says whether ``speaker`` is a name (or a
    named group or organisation) the article gives, rather than a bare pronoun or common noun.
    ``confidence`` (0-1) comes from the rules that fired and the speaker resolution; ``rules``
    names those rules, in the order they fired. ``issues`` records problems met while extracting
    (an unclosed quote mark, say) instead of dropping the quote.

    Example:
        >>> q = Quote(doc="a", start=0, end=5, text="Hello", spans=((0, 5),), kind="direct")
        >>> q.text
        'Hello'
    """

    doc: str
    start: int
    end: int
    text: str
    spans: tuple[tuple[int, int], ...]
    kind: QuoteKind
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    speaker: str | None = None
    speaker_mention: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker_type: SpeakerType = "unknown"
    role: str | None = None
    outlet: str | None = None
    outlet_start: int | None = None
    outlet_end: int | None = None
    sentence_index: int | None = None
    issues: tuple[str, ...] = field(default=())
    speaker_resolved: bool = False
    confidence: float = 0.0
    rules: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, object]:
        """The JSON-ready form used by ``quotes extract --format jsonl``.

        Example:
            >>> Quote(doc="a", start=0, end=2, text="Hi", spans=((0, 2),),
            ...       kind="direct").to_dict()["spans"]
            [[0, 2]]
        """
        return {
            "doc": self.doc,
            "start": self.start,
            "end": self.end,
            "spans": [[s, e] for s, e in self.spans],
            "text": self.text,
            "kind": self.kind,
            "speaker": self.speaker,
            "speaker_mention": self.speaker_mention,
            "speaker_start": self.speaker_start,
            "speaker_end": self.speaker_end,
            "speaker_type": self.speaker_type,
            "role": self.role,
            "cue": self.cue,
            "cue_start": self.cue_start,
            "cue_end": self.cue_end,
            "outlet": self.outlet,
            "outlet_start": self.outlet_start,
            "outlet_end": self.outlet_end,
            "sentence_index": self.sentence_index,
            "issues": list(self.issues),
            "speaker_resolved": self.speaker_resolved,
            "confidence": self.confidence,
            "rules": list(self.rules),
        }
