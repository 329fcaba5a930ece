"""Turning found quotes into :class:`~quotes.records.Quote` records: speakers resolved, outlets
credited, reports carried by the media folded into the statement they carry, dialogue turns
given their speakers, a confidence on every quote.

Example:
    >>> confidence(("cue:speech_verb", "content:ccomp", "source:subject"), "name", True)
    0.9
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from quotes import lexicon
from quotes.extraction.attach import Found
from quotes.extraction.dialogue import alternate
from quotes.extraction.layout import paragraphs
from quotes.extraction.model import Attribution, Cue, Span
from quotes.extraction.outlet import credited, outlet_name
from quotes.extraction.resolution import Referents, Resolved, resolve
from quotes.extraction.syntax import Tree
from quotes.records import ParsedDoc, Quote

# How often a quote made by each rule is a real attribution (PolNeAR train, lenient match,
# `python bench/attribution.py --split train --rules`), rounded; the first rule of a quote
# that has a weight sets its base confidence.
RULE_CONFIDENCE: dict[str, float] = {
    "mark:quoted": 0.95,
    "mark:continuation": 0.95,
    "mark:interrupted": 0.95,
    "mark:partly_quoted": 0.9,
    "mark:signature": 0.9,
    "mark:colon_lead_in": 0.85,
    "mark:open_cue_before": 0.85,
    "mark:open_cue_after": 0.85,
    "mark:within_report": 0.8,
    "mark:after_report": 0.75,
    "mark:dialogue_turn": 0.7,
    "mark:unattributed": 0.6,
    "mark:scare": 0.3,
    "mark:inside_mention": 0.3,
    "content:adjacent_quote": 0.95,
    "content:trailing_quote": 0.9,
    "content:parataxis": 0.9,
    "content:ccomp": 0.9,
    "content:listener_clause": 0.85,
    "content:according_clause": 0.85,
    "content:xcomp": 0.8,
    "content:particle": 0.75,
    "content:object": 0.7,
    "content:noun_complement": 0.6,
}
# The speaker's share: a resolved name keeps the base, a description or common noun costs a
# little, an unresolved pronoun more, no speaker at all half.
SPEAKER_FACTOR = {"resolved": 1.0, "common": 0.9, "pronoun": 0.7, "none": 0.5}


def confidence(rules: Sequence[str], resolution: str | None, resolved: bool) -> float:
    """0-1: the base of the most telling rule, times the speaker's share."""
    marks = [RULE_CONFIDENCE[r] for r in rules if r.startswith("mark:") and r in RULE_CONFIDENCE]
    contents = [RULE_CONFIDENCE[r] for r in rules if r in RULE_CONFIDENCE]
    base = marks[-1] if marks else (contents[0] if contents else 0.5)
    if resolution is None:
        factor = SPEAKER_FACTOR["none"]
    elif resolved:
        factor = SPEAKER_FACTOR["resolved"]
    elif resolution in {"pronoun", "first_person"}:
        factor = SPEAKER_FACTOR["pronoun"]
    else:
        factor = SPEAKER_FACTOR["common"]
    return round(base * factor, 2)


def drop_nested_statements(doc: ParsedDoc, found: list[Found]) -> list[Found]:
    """ "Choe reiterated Kim's stance that ...": a statement noun that is the object of a report
    that relays it, or inside its content, is part of that report, not a quote of its own. A
    statement with its own speaker under a reaction stays ("Critics welcomed Ruiz's declaration
    of support": Ruiz declared it)."""
    reports = [f for f in found if f.attribution is not None and f.attribution.cue.kind != "noun"]
    kept = []
    for f in found:
        if f.attribution is None or f.attribution.cue.kind != "noun":
            kept.append(f)
            continue
        governing = _governing_reports(doc, f.attribution.cue, reports)
        relayed = any(
            r.attribution is not None and r.attribution.cue.lemma in lexicon.RELAY_VERBS
            for r in governing
        )
        if not governing or (
            f.attribution.source is not None and not relayed and _declares(doc.text, f)
        ):
            kept.append(f)
    return kept


def _declares(text: str, statement: Found) -> bool:
    """ "declaration [of support]", "pledge [of aid]": a statement noun whose complement is what
    it declares, not a topic ("statements [about women]") or a claim the report disputes."""
    return text[: statement.start].rstrip().lower().endswith(" of")


def _governing_reports(doc: ParsedDoc, cue: Cue, reports: list[Found]) -> list[Found]:
    """The reports whose cue takes the statement noun ``cue`` or whose content holds it."""
    head = Tree(doc.sentences[cue.sentence]).head(cue.head)
    return [
        r
        for r in reports
        if (
            r.attribution is not None
            and r.attribution.cue.sentence == cue.sentence
            and r.attribution.cue.head == head
        )
        or (r.start <= cue.span[0] < r.end and r.kind != "direct")
    ]


def fold_media_reports(doc: ParsedDoc, found: list[Found]) -> list[Found]:
    """ "Chinese media confirmed Wang Yi's declaration of ...": the media's report and Wang Yi's
    statement are one quote, Wang Yi's, with the media as its outlet."""
    text = doc.text
    kept = list(found)
    for outer in found:
        attribution = outer.attribution
        if attribution is None or attribution.source is None or outer not in kept:
            continue
        source_words = text[attribution.source.span[0] : attribution.source.span[1]]
        if outlet_name(source_words) is None:
            continue
        inner = [
            f
            for f in kept
            if f is not outer
            and f.attribution is not None
            and f.attribution.source is not None
            and outer.start <= f.attribution.cue.span[0] < outer.end
            and outer.start <= f.start
            and f.end <= outer.end
        ]
        if len(inner) != 1:
            continue
        carried = inner[0].attribution
        # The media's other reports of the same statement ("..., underscoring ...") are the
        # speaker's too.
        for other in kept:
            if (
                other is not outer
                and other is not inner[0]  # folded below, not moved
                and other.attribution is not None
                and other.attribution.source is not None
                and other.attribution.source.span == attribution.source.span
            ):
                assert carried is not None and carried.source is not None
                moved = replace(carried.source, outlet=attribution.source.span)
                kept[kept.index(other)] = replace(
                    other,
                    attribution=replace(other.attribution, source=moved),
                    rules=(*other.rules, "outlet:media_report"),
                )
        assert carried is not None and carried.source is not None
        merged_source = replace(carried.source, outlet=attribution.source.span)
        # "confirmed Wang Yi's declaration of [opposition to ...]": a statement noun's own
        # complement is what was said, not the media's whole object.
        base = inner[0] if carried.cue.kind == "noun" else outer
        merged = replace(
            base,
            attribution=replace(carried, source=merged_source),
            rules=(*inner[0].rules, "outlet:media_report"),
        )
        kept[kept.index(outer)] = merged
        kept.remove(inner[0])
    return kept


def _sentence_region(doc: ParsedDoc, start: int, end: int) -> Span:
    lo, hi = start, end
    for sentence in doc.sentences:
        if sentence.start <= end and start <= sentence.end:
            lo, hi = min(lo, sentence.start), max(hi, sentence.end)
    return lo, hi


def _outlet(doc: ParsedDoc, quote: Found, speaker: Resolved | None) -> tuple[str, Span] | None:
    attribution = quote.attribution
    text = doc.text
    if attribution is not None and attribution.source is not None and attribution.source.outlet:
        span = attribution.source.outlet
        name = outlet_name(text[span[0] : span[1]])
        if name is not None:
            return name, span
    if quote.kind != "scare":
        found = credited(text, _sentence_region(doc, quote.start, quote.end))
        if found is not None:
            return found
    if speaker is not None and speaker.type == "outlet" and attribution and attribution.source:
        return speaker.name, attribution.source.span
    return None


def _speaker_of(
    doc: ParsedDoc, attribution: Attribution | None, referents: Referents
) -> tuple[Resolved | None, Span | None]:
    if attribution is None or attribution.source is None:
        return None, None
    span = attribution.source.span
    speaker = resolve(doc.text[span[0] : span[1]], span[0], referents)
    referents.remember(span[0], speaker)
    return speaker, span


def clean_spans(spans: Sequence[Span]) -> tuple[Span, ...]:
    """Pieces sorted, empty ones dropped, overlapping or repeated ones joined.

    Example:
        >>> clean_spans([(5, 9), (0, 3), (2, 4), (5, 9), (7, 7)])
        ((0, 4), (5, 9))
    """
    joined: list[Span] = []
    for start, end in sorted(p for p in spans if p[1] > p[0]):
        if joined and start <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(joined[-1][1], end))
        else:
            joined.append((start, end))
    return tuple(joined)


def _quote(doc_id: str, original: str, found: Found, sentence_at: dict[int, int]) -> Quote:
    spans = clean_spans(found.spans) or ((found.start, found.end),)
    start, end = spans[0][0], spans[-1][1]
    return Quote(
        doc=doc_id,
        start=start,
        end=end,
        text=original[start:end],
        spans=spans,
        kind=found.kind,
        issues=tuple(dict.fromkeys(found.issues)),
        rules=found.rules,
        sentence_index=sentence_at.get(start),
    )


def to_quotes(doc: ParsedDoc, found: Sequence[Found], *, doc_id: str, original: str) -> list[Quote]:
    """Quotes with speakers resolved, outlets credited and a confidence each."""
    referents = Referents.of(doc)
    sentence_at: dict[int, int] = {}
    for index, sentence in enumerate(doc.sentences):
        for tok in sentence.tokens:
            sentence_at.setdefault(tok.start, index)
    quotes: list[Quote] = []
    for item in found:
        speaker, mention = _speaker_of(doc, item.attribution, referents)
        if (
            item.kind in {"indirect", "mixed"}
            and (speaker is None or not _can_report(speaker))
            # "When asked whether ...": a question put by someone the article does not name
            # is still what was said; it stays with no speaker rather than a guessed one.
            and "content:asked_question" not in item.rules
        ):
            continue  # "it asserts itself": no one to have said it
        quote = _quote(doc_id, original, item, sentence_at)
        quote = _with_attribution(quote, original, item, speaker, mention)
        found_outlet = _outlet(doc, item, speaker)
        if found_outlet is not None:
            name, span = found_outlet
            quote = replace(quote, outlet=name, outlet_start=span[0], outlet_end=span[1])
        quotes.append(quote)
    return take_turns(original, quotes)


def _can_report(speaker: Resolved) -> bool:
    return speaker.resolved or speaker.rule not in {"pronoun", "none"}


def _with_attribution(
    quote: Quote, text: str, item: Found, speaker: Resolved | None, mention: Span | None
) -> Quote:
    attribution = item.attribution
    updates: dict[str, object] = {}
    if attribution is not None and (
        attribution.cue.sentence >= 0 or attribution.cue.rule == "name_colon"
    ):
        cue = attribution.cue.span
        updates.update(cue=text[cue[0] : cue[1]], cue_start=cue[0], cue_end=cue[1])
    if speaker is not None and mention is not None:
        updates.update(
            speaker=speaker.name,
            speaker_mention=text[mention[0] : mention[1]],
            speaker_start=mention[0],
            speaker_end=mention[1],
            speaker_type=speaker.type,
            role=speaker.role,
            speaker_resolved=speaker.resolved,
            rules=(*quote.rules, f"resolve:{speaker.rule}"),
        )
    rules = updates.get("rules", quote.rules)
    assert isinstance(rules, tuple)
    updates["confidence"] = confidence(
        rules, speaker.rule if speaker else None, bool(speaker and speaker.resolved)
    )
    return replace(quote, **updates)  # type: ignore[arg-type]


def take_turns(text: str, quotes: list[Quote]) -> list[Quote]:
    """Untagged dialogue turns in consecutive paragraphs alternate between the last two
    speakers (see :mod:`quotes.extraction.dialogue`)."""
    spans = paragraphs(text)
    by_paragraph: dict[int, list[int]] = {}
    for index, quote in enumerate(quotes):
        for p, (start, end) in enumerate(spans):
            if start <= quote.start < end:
                by_paragraph.setdefault(p, []).append(index)
                break
    run: list[int] = []  # indices of the last quote of consecutive quote paragraphs
    for p in range(len(spans)):
        members = by_paragraph.get(p)
        if not members:
            run = []
            continue
        run.append(members[0])
        _assign_turns(text, spans[p], quotes, run)
    return quotes


def _assign_turns(text: str, paragraph: Span, quotes: list[Quote], run: list[int]) -> None:
    last = run[-1]
    quote = quotes[last]
    provisional = "mark:next_paragraph" in quote.rules
    if (quote.speaker is not None and not provisional) or quote.kind != "direct" or len(run) < 3:
        return
    outside = text[paragraph[0] : quote.start] + text[quote.end : paragraph[1]]
    bare = all(not c.isalnum() for c in outside)
    history = [(quotes[i].speaker, bare) for i in run[-3:-1]] + [(None, bare)]
    speakers = alternate(history)
    if speakers[-1] is None or speakers[-1] == quote.speaker:
        return
    source = quotes[run[-3]]
    quotes[last] = replace(
        quote,
        speaker=speakers[-1],
        speaker_mention=None,
        speaker_start=None,
        speaker_end=None,
        speaker_type=source.speaker_type,
        role=source.role,
        speaker_resolved=source.speaker_resolved,
        rules=(*quote.rules, "mark:dialogue_turn"),
        confidence=confidence(
            (*quote.rules, "mark:dialogue_turn"), "dialogue", source.speaker_resolved
        ),
    )
