"""Prototype of the staged extractor (being built): marks -> cues -> content -> source."""

from __future__ import annotations

import bisect
from collections.abc import Callable

from quotes.extraction.attach import Found, attach
from quotes.extraction.content import content_of
from quotes.extraction.cues import find_cues
from quotes.extraction.marks import MarkedSpan, find_quote_marks
from quotes.extraction.model import Attribution
from quotes.extraction.source import source_of
from quotes.extraction.syntax import Tree
from quotes.records import ParsedDoc, Quote


def inside_marks(marks: list[MarkedSpan]) -> Callable[[int], bool]:
    ordered = sorted((m.outer_start, m.outer_end) for m in marks)
    starts = [s for s, _ in ordered]
    reach: list[int] = []
    furthest = -1
    for _, end in ordered:
        furthest = max(furthest, end)
        reach.append(furthest)

    def inside(offset: int) -> bool:
        pos = bisect.bisect_right(starts, offset) - 1
        return pos >= 0 and offset < reach[pos] - 1 and offset > ordered[pos][0]

    return inside


def attributions_of(doc: ParsedDoc, marks: list[MarkedSpan]) -> list[Attribution]:
    found = []
    for cue in find_cues(doc, inside_marks=inside_marks(marks)):
        tree = Tree(doc.sentences[cue.sentence])
        content = content_of(tree, cue, marks)
        source = source_of(tree, cue, content)
        if content is None and (source is None or cue.kind not in {"speech", "stance"}):
            continue
        found.append(Attribution(cue, content, source))
    return found


def extract_quotes(doc: ParsedDoc, *, doc_id: str) -> list[Quote]:
    from quotes.attribute import attribute_quotes

    text = doc.text
    marks = find_quote_marks(text)
    results: list[Found] = attach(doc, marks, attributions_of(doc, marks))
    quotes = [
        Quote(
            doc=doc_id,
            start=f.start,
            end=f.end,
            text=text[f.start : f.end],
            spans=f.spans,
            kind=f.kind,
            issues=f.issues,
            rules=f.rules,
        )
        for f in results
    ]
    frames = []
    for f in results:
        a = f.attribution
        if a is None:
            frames.append(None)
            continue
        frames.append(
            (a.source.span if a.source else None, a.cue.span, a.source.outlet if a.source else None)
        )
    return attribute_quotes(doc, frames, quotes)
