"""Small helpers for examples and tests: parse a sentence with the bundled models.

Example:
    >>> doc = parsed("Lee said so.")
    >>> doc.sentences[0].parsed
    True
"""

from __future__ import annotations

from quotes.extraction.cues import find_cues
from quotes.extraction.model import Cue
from quotes.extraction.syntax import Tree
from quotes.records import ParsedDoc


def parsed(text: str) -> ParsedDoc:
    """``text`` tokenized and parsed (every sentence) by the bundled models."""
    from quotes.nlp import load_pipeline

    return load_pipeline().parse(text)


def first_cue(doc: ParsedDoc) -> tuple[Tree, Cue]:
    """The first cue of ``doc`` (no quote marks considered) and its sentence's tree."""
    cue = find_cues(doc, inside_marks=lambda offset: False)[0]
    return Tree(doc.sentences[cue.sentence]), cue
