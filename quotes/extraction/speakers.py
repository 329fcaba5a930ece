"""Who can speak: the check that keeps narration out of the quotes.

A speaker is a person, a group of people, an organisation, an outlet, an official body or a
document (a statement, a report, a letter). Events ("the meeting", "the discussions"), things
and abstractions are not: a clause reporting what they "highlighted" or "emphasized" is the
writer's narration, not a quote. :func:`can_speak` reads the head word of the source mention
(from the parse when there is one) against the lexicon's word lists.

Example:
    >>> can_speak_words(["The", "meeting"])
    False
    >>> can_speak_words(["Chinese", "Foreign", "Minister", "Wang", "Yi"])
    True
"""

from __future__ import annotations

from collections.abc import Sequence

from quotes import lexicon
from quotes.extraction.model import Attribution
from quotes.records import ParsedDoc, Token

_RELATIVES = frozenset({"who", "which", "that", "whom"})


def _head_word(words: Sequence[str]) -> str:
    """The head of a noun phrase without a parse: its last word before "of" or a comma."""
    kept: list[str] = []
    for word in words:
        if word.lower() in {"of", ",", "who", "which", "that", "(", "—", "–"}:
            break
        kept.append(word)
    return (kept or list(words) or [""])[-1]


# Agent nouns name people even when no list has them ("the negotiator", "a columnist").
_AGENT_SUFFIXES = ("er", "or", "ist", "ian", "ant", "ent", "ee", "man", "woman", "men", "women")


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def can_speak_noun(word: str) -> bool:
    """Is this common noun someone (a person, group, organisation) or a document that states?

    Example:
        >>> can_speak_noun("ministers"), can_speak_noun("discussions"), can_speak_noun("poll")
        (True, False, True)
    """
    low = word.lower().strip(".,’'")
    for form in (low, _singular(low)):
        if form in lexicon.NON_SPEAKER_NOUNS:
            return False
        if (
            form in lexicon.SPEAKING_NOUNS
            or form in lexicon.DOCUMENT_SOURCES
            or form in lexicon.PEOPLE_QUANTIFIERS
        ):
            return True
    return _singular(low).endswith(_AGENT_SUFFIXES) and len(low) > 4


def can_speak_words(words: Sequence[str], head: str | None = None) -> bool:
    """Can the noun phrase ``words`` (head word ``head`` when known) say something?"""
    if not words:
        return False
    head = head or _head_word(words)
    if head[:1].isupper() or head.lower() in lexicon.PRONOUNS:
        return head.lower() not in lexicon.NON_SPEAKER_NOUNS
    return can_speak_noun(head)


def can_speak(doc: ParsedDoc, attribution: Attribution) -> bool:
    """Does the attribution's source name someone who can speak? (No source: not decided here.)

    The head word decides when it is an event or a thing; otherwise any word of the mention that
    names someone (a name, a pronoun, a speaking noun) lets it speak, so a misparsed head ("a
    top adviser" headed by "top") does not silence a speaker.
    """
    source = attribution.source
    if source is None:
        return True
    words = _mention_tokens(doc, attribution)
    if not words:
        return can_speak_words(doc.text[source.span[0] : source.span[1]].split())
    head = next((t for t in words if t.index == source.head), None)
    if head is not None and (
        head.text.lower() in lexicon.NON_SPEAKER_NOUNS
        or (head.lemma or "").lower() in lexicon.NON_SPEAKER_NOUNS
    ):
        return False
    return any(_speaks(t) for t in words)


def _mention_tokens(doc: ParsedDoc, attribution: Attribution) -> list[Token]:
    source = attribution.source
    if source is None or not 0 <= attribution.cue.sentence < len(doc.sentences):
        return []
    sentence = doc.sentences[attribution.cue.sentence]
    return [t for t in sentence.tokens if source.span[0] <= t.start < source.span[1]]


def _speaks(tok: Token) -> bool:
    low = tok.text.lower()
    if tok.upos == "PROPN" or low in lexicon.PRONOUNS or low in _RELATIVES:
        return True
    if tok.text[:1].isupper() and low not in lexicon.NON_SPEAKER_NOUNS and tok.upos != "DET":
        return True
    if tok.upos in {"NOUN", "NUM", "DET", "ADJ", "PRON"}:
        return can_speak_noun(tok.text) or can_speak_noun(tok.lemma or tok.text)
    return False
