"""Quote extraction as stages, each with one interface and its own named rules.

1. **layout** (:mod:`~quotes.extraction.layout`): hard-wrapped lines are unwrapped (same
   length, so every offset still points into the original) before anything is parsed;
2. **marks** (:mod:`~quotes.extraction.marks`): quote marks paired into quoted spans;
3. **cues** (:mod:`~quotes.extraction.cues`): the predicates that report, from the parse;
4. **content** (:mod:`~quotes.extraction.content`): what each cue reports, from the tree;
5. **source** (:mod:`~quotes.extraction.source`): who reports, from the tree; a source that
   cannot speak (an event, a thing) drops the attribution (:mod:`~quotes.extraction.speakers`);
6. **attach** (:mod:`~quotes.extraction.attach`): quote marks meet attributions (direct, mixed,
   indirect, continued and scare quotes);
7. **resolution** (:mod:`~quotes.extraction.resolution`): speaker mentions to full names;
8. **outlet** (:mod:`~quotes.extraction.outlet`) and dialogue turns
   (:mod:`~quotes.extraction.dialogue`), then a confidence per quote
   (:mod:`~quotes.extraction.assemble`).

Every quote names the rules that produced it in ``Quote.rules``.

Example:
    >>> from quotes.extraction.testing import parsed
    >>> doc = parsed('Foreign Minister Wang Yi spoke. “It works,” Wang said.')
    >>> [(q.kind, q.text, q.speaker) for q in extract_quotes(doc, doc_id="d")]
    [('direct', 'It works', 'Wang Yi')]
"""

from __future__ import annotations

from dataclasses import replace

from quotes.extraction.assemble import drop_nested_statements, fold_media_reports, to_quotes
from quotes.extraction.attach import attach
from quotes.extraction.content import content_of
from quotes.extraction.cues import find_cues
from quotes.extraction.layout import furniture, unwrap
from quotes.extraction.marks import MarkedSpan, find_quote_marks, inside_marks
from quotes.extraction.model import Attribution
from quotes.extraction.source import source_of
from quotes.extraction.speakers import can_speak
from quotes.extraction.syntax import Tree
from quotes.records import ParsedDoc, Quote

__all__ = ["extract_quotes", "find_attributions", "quoted_spans", "unwrap"]


def quoted_spans(text: str) -> list[MarkedSpan]:
    """The quote marks of an (unwrapped) article, page furniture left out."""
    skipped = furniture(text)
    return [
        mark
        for mark in find_quote_marks(text)
        if not any(start <= mark.outer_start < end for start, end in skipped)
    ]


def find_attributions(doc: ParsedDoc, marks: list[MarkedSpan]) -> list[Attribution]:
    """Cues with their content and source, where the source can speak."""
    found = []
    skipped = furniture(doc.text)
    for cue in find_cues(doc, inside_marks=inside_marks(marks)):
        if any(start <= cue.span[0] < end for start, end in skipped):
            continue  # a related-link headline or an "Also Read" line reports nothing here
        tree = Tree(doc.sentences[cue.sentence])
        content = content_of(tree, cue, marks)
        if content is not None and content.cue_span is not None:
            cue = replace(cue, span=content.cue_span)
        source = source_of(tree, cue, content)
        if content is None and (source is None or cue.kind not in {"speech", "stance"}):
            continue  # nothing said, and nobody to say a quote that follows
        attribution = Attribution(cue, content, source)
        if can_speak(doc, attribution):
            found.append(attribution)
    return [a for a in found if not _credit_only(a, found)]


def _credit_only(phrase: Attribution, attributions: list[Attribution]) -> bool:
    """ "Choe reiterated ..., according to KCNA": the phrase credits an outlet for a report that
    has its own speaker; it is the quote's outlet, not another quote."""
    if phrase.cue.kind != "phrase":
        return False
    return any(
        other.cue.sentence == phrase.cue.sentence
        and other.source is not None
        and other.cue.kind != "phrase"
        for other in attributions
    )


def extract_quotes(doc: ParsedDoc, *, doc_id: str, original: str | None = None) -> list[Quote]:
    """Every quotation of one parsed article, attributed, sorted by start offset.

    ``doc`` is the parse of the unwrapped text (:func:`unwrap`); ``original`` the article as
    read (default: ``doc.text``). Offsets are the same in both; quote texts come from
    ``original``, so ``original[q.start:q.end] == q.text`` always.
    """
    if not doc.text.strip():
        return []
    marks = quoted_spans(doc.text)
    attributions = find_attributions(doc, marks)
    found = drop_nested_statements(doc, fold_media_reports(doc, attach(doc, marks, attributions)))
    return to_quotes(doc, found, doc_id=doc_id, original=original or doc.text)
