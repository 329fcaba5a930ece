"""The records the extraction stages hand to each other.

A :class:`Cue` is a predicate that reports (a speech or cognition verb, a statement noun, an
attribution phrase); the content stage gives it a :class:`Content`, the source stage a
:class:`Source`; together they make an :class:`Attribution`. Every record names the rules that
made it, so a quote can say how it was found and the benchmark can score each rule.

All offsets are character offsets into the article text.

Example:
    >>> cue = Cue(sentence=0, head=1, span=(4, 8), lemma="say", kind="speech", rule="speech_verb")
    >>> cue.rules
    ('cue:speech_verb',)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Span = tuple[int, int]
CueKind = Literal["speech", "cognition", "stance", "document", "noun", "phrase", "colon"]


@dataclass(frozen=True, slots=True)
class Cue:
    """A reporting predicate: ``head`` is its word's index in sentence ``sentence``."""

    sentence: int
    head: int
    span: Span
    lemma: str
    kind: CueKind
    rule: str

    @property
    def rules(self) -> tuple[str, ...]:
        """The rule that found the cue, as it is recorded on quotes."""
        return (f"cue:{self.rule}",)


@dataclass(frozen=True, slots=True)
class Content:
    """What a cue reports: one span or several pieces, and the rule that delimited it."""

    spans: tuple[Span, ...]
    rule: str
    cue_span: Span | None = None
    """The cue's words when the content rule found them wider than its head ("expressed
    willingness [to ...]": the attitude noun is part of the cue)."""

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]


@dataclass(frozen=True, slots=True)
class Source:
    """Who reports: the mention's span, its head word (index in the cue's sentence, when it is
    there), and the rule that found it."""

    span: Span
    head: int | None
    rule: str
    outlet: Span | None = None


@dataclass(frozen=True, slots=True)
class Attribution:
    """A cue with its source (when found) and its content (``None`` for an open cue such as
    "Lee said:" whose quote comes next)."""

    cue: Cue
    content: Content | None
    source: Source | None

    @property
    def anchor(self) -> int:
        """Where the attribution's own words end: after its cue and its source."""
        return max(self.cue.span[1], self.source.span[1] if self.source else 0)

    @property
    def rules(self) -> tuple[str, ...]:
        """Every rule that contributed, in stage order.

        Example:
            >>> cue = Cue(0, 1, (4, 8), "say", "speech", "speech_verb")
            >>> Attribution(cue, Content(((9, 12),), "ccomp"), None).rules
            ('cue:speech_verb', 'content:ccomp')
        """
        found = list(self.cue.rules)
        if self.content is not None:
            found.append(f"content:{self.content.rule}")
        if self.source is not None:
            found.append(f"source:{self.source.rule}")
        return tuple(found)
