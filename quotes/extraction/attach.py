"""Quote marks meet attributions: direct, mixed, indirect and scare quotes.

First, every attribution with a content claims the quote marks inside it: a content that is only
its quoted words is a **direct** quote, one with words of the reporter around quoted words a
**mixed** quote, one with no marks an **indirect** quote (nested cues: the innermost content
claims the marks). Then every quote mark nobody claimed is offered to the fallback rules of
:data:`MARK_RULES`, in order:

- ``inside_mention``: marks inside a speaker's mention quote a name ("wearing “Lee” pins");
- ``interrupted``: a quote that goes on right after its attribution ("“A,” she said, “B.”")
  is one quote in two pieces;
- ``open_cue``: a cue with no content of its own right before the quote ("Lee said: “...”",
  "Lee agreed. “...”") or right after it ("“...” Lee said." parsed apart);
- ``headline_name``: a title-case headline after a name and a colon ("Ann Okoro: The Plan Is
  “a Disgrace”") is that person's mixed quote;
- ``signature``: a quote signed after a dash ("“...” ―Ann Lee, harbour master");
- ``continuation``: the same speaker going on ("“A,” Lee said. “B.”"): the quote joins the one
  before as another piece, as attribution corpora mark it;
- ``after_report``: a quote right after an indirect report in the same paragraph is the
  reporter's ("Lee added that the pier was closed. “It is a disgrace.”");
- ``scare``: a few words or a title in marks, with nobody saying them;
- ``clause_subject``: a quote ending a clause with no reporting verb is its subject's ("Okoro
  credited the win to “a closed vote, something I am not keen on.”");
- otherwise an unattributed **direct** quote (dialogue turns may give it a speaker later).

Example:
    >>> overlap((0, 10), (5, 20))
    0.5
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from quotes import lexicon
from quotes.extraction.marks import QUOTE_CHARS, MarkedSpan
from quotes.extraction.model import Attribution, Content, Cue, Source, Span
from quotes.extraction.source import mention
from quotes.extraction.speakers import can_speak
from quotes.extraction.syntax import Tree, base_relation, speaker_like
from quotes.records import ParsedDoc, QuoteKind

SCARE_MAX_WORDS = 3
_EDGE = " \t\r\n,.;:!?" + QUOTE_CHARS
_SHORT_MARKED = re.compile(r"[\"“][^\"“”\n]{1,40}[\"”]")
_SENTENCE_END = re.compile(r"[.!?](?=\s)")


def overlap(a: Span, b: Span) -> float:
    """Shared characters over the shorter span's length (0 when one is empty)."""
    shared = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0])
    return shared / shorter if shared > 0 and shorter > 0 else 0.0


def same_words(a: Span, b: Span, share: float = 0.8) -> bool:
    """True when two spans cover nearly the same characters (shared over the longer one)."""
    shared = min(a[1], b[1]) - max(a[0], b[0])
    longer = max(a[1] - a[0], b[1] - b[0])
    return shared > 0 and longer > 0 and shared / longer >= share


@dataclass(frozen=True, slots=True)
class Found:
    """A quote before speakers are resolved: pieces, kind, attribution and the rules used."""

    spans: tuple[Span, ...]
    kind: QuoteKind
    attribution: Attribution | None
    rules: tuple[str, ...]
    issues: tuple[str, ...] = ()

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def _only_marks_and_space(text: str) -> bool:
    return all(c.isspace() or c in QUOTE_CHARS or c in ",.:;!?—–-" for c in text)


def _trim(text: str, span: Span) -> Span:
    start, end = span
    while start < end and (text[start].isspace() or text[start] in ","):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ","):
        end -= 1
    return start, end


def quoted_kind(text: str, content: Span, marks: Sequence[MarkedSpan]) -> tuple[QuoteKind, Span]:
    """Direct when the content is its marks' words, mixed when it holds marks and more, else
    indirect; with the span the quote then covers.

    Example:
        >>> from quotes.extraction.marks import find_quote_marks
        >>> text = 'Lee said that "it works".'
        >>> quoted_kind(text, (9, 24), find_quote_marks(text))
        ('mixed', (9, 24))
    """
    inside = [m for m in marks if content[0] < m.outer_end and m.outer_start < content[1]]
    if not inside:
        return "indirect", content
    first, last = inside[0], inside[-1]
    before = text[content[0] : first.start]
    after = text[last.end : content[1]]
    if _only_marks_and_space(before) and _only_marks_and_space(after):
        return "direct", (first.start, last.end)
    # A quote is never cut: the span runs over every mark it touches, and a mixed quote that
    # ends (or starts) in quoted words keeps their closing (opening) mark.
    start = min(content[0], first.start)
    end = max(content[1], last.end)
    if end <= last.outer_end and _only_marks_and_space(text[end : last.outer_end]):
        end = last.outer_end
    start, end = _trim(text, (start, end))
    if first.outer_start < start <= first.start:
        start = first.outer_start
    return "mixed", (start, end)


@dataclass(slots=True)
class MarkContext:
    """What the fallback rules may read: the parsed article, its marks, the attributions (and
    among them the open cues) and the quotes found so far (sorted by start)."""

    doc: ParsedDoc
    marks: Sequence[MarkedSpan]
    attributions: Sequence[Attribution]
    found: list[Found]

    @property
    def text(self) -> str:
        return self.doc.text

    @property
    def open_cues(self) -> list[Attribution]:
        return [a for a in self.attributions if a.content is None]

    def previous(self, mark: MarkedSpan) -> Found | None:
        """The quote ending last before ``mark``."""
        before = [f for f in self.found if f.end <= mark.outer_start]
        return max(before, key=lambda f: f.end) if before else None

    def sentence_at(self, offset: int) -> int | None:
        """Index of the sentence holding ``offset``."""
        starts = [s.start for s in self.doc.sentences]
        pos = bisect.bisect_right(starts, offset) - 1
        return pos if pos >= 0 and offset <= self.doc.sentences[pos].end else None

    def quote_of(self, attribution: Attribution) -> Found | None:
        """The quote already made from ``attribution``, if any."""
        return next((f for f in self.found if f.attribution is attribution), None)


MarkRule = Callable[[MarkContext, MarkedSpan], Found | None]


def _direct(mark: MarkedSpan, attribution: Attribution | None, rule: str) -> Found:
    rules = (*attribution.rules, f"mark:{rule}") if attribution else (f"mark:{rule}",)
    return Found(mark.pieces, "direct", attribution, rules, mark.issues)


_INTERRUPTION_GAP = re.compile(r"\s*[,:;—–-]?\s*")


def interrupted(ctx: MarkContext, mark: MarkedSpan) -> Found | None:
    """ "“We tried,” she said, “and it failed.”": the quote goes on right after its attribution;
    both parts are one quote in two pieces."""
    before = ctx.previous(mark)
    if before is None or before.kind != "direct" or before.attribution is None:
        return None
    attribution = before.attribution
    own = [attribution.cue.span, *([attribution.source.span] if attribution.source else [])]
    if attribution.cue.sentence < 0 or any(start < before.end for start, _ in own):
        return None  # the attribution must stand between the two parts
    if attribution.anchor > mark.outer_start:
        return None
    if not _INTERRUPTION_GAP.fullmatch(ctx.text[attribution.anchor : mark.outer_start]):
        return None
    merged = replace(
        before,
        spans=(*before.spans, *mark.pieces),
        rules=(*before.rules, "mark:interrupted"),
        issues=(*before.issues, *mark.issues),
    )
    ctx.found.remove(before)
    return merged


def open_cue(ctx: MarkContext, mark: MarkedSpan) -> Found | None:
    """A cue with no content right before ("Lee said: “...”") or after ("“...,” Lee said") the
    quote."""
    for attribution in ctx.open_cues:
        gap_before = ctx.text[attribution.anchor : mark.outer_start]
        if attribution.anchor <= mark.outer_start and re.fullmatch(
            r"[ \t]{0,2}[:,]?\s{0,3}|\.\s{1,3}", gap_before
        ):
            return _direct(mark, attribution, "open_cue_before")
        start = min(attribution.cue.span[0], *(s.span[0] for s in [attribution.source] if s))
        gap_after = ctx.text[mark.outer_end : start]
        # A cue opening the next paragraph ("...“friendly ties.”\n\nWang reciprocated")
        # starts another passage; it does not close this quote.
        if mark.outer_end <= start and re.fullmatch(r"[ \t,—–-]{0,4}", gap_after):
            return _direct(mark, attribution, "open_cue_after")
    return None


_SIGNATURE_DASHES = "-–—―"
_SIGNATURE_NAME = r"([A-Z][\w.’'-]*(?:[ \t\xa0]+(?:[A-Z][\w.’'-]*|de|van|von|bin)){0,4})"
_SIGNATURE = re.compile(rf"[ \t]*\n\s*[{_SIGNATURE_DASHES}][ \t]*{_SIGNATURE_NAME}[ \t]*(?:\n|$)")
_SIGNATURE_SAME_LINE = re.compile(
    rf"[ \t\xa0]*[{_SIGNATURE_DASHES}][ \t\xa0]*{_SIGNATURE_NAME}(?:,[^\n]{{0,160}})?[ \t]*(?:\n|$)"
)


def within_report(ctx: MarkContext, mark: MarkedSpan) -> Found | None:
    """ "referred to Rubio as “a bright leader”": quoted words inside the phrase a cue governs,
    after the cue, are part of that report (a mixed quote)."""
    index = ctx.sentence_at(mark.start)
    if index is None:
        return None
    tree = Tree(ctx.doc.sentences[index])
    tok = tree.token_at(mark.start)
    if tok is None or not tree.parsed:
        return None
    governing = [
        a
        for a in ctx.attributions
        if a.cue.sentence == index
        and a.cue.head < tok.index
        and a.cue.kind not in {"phrase", "noun"}
        and tree.dominates(a.cue.head, tok.index)
        and not _in_occasion(tree, a.cue.head, tok.index)
    ]
    if not governing:
        return None
    owner = max(governing, key=lambda a: len(tree.ancestors(a.cue.head)))
    start = tree.tokens[owner.cue.head + 1].start if owner.cue.head + 1 < len(tree.tokens) else 0
    existing = ctx.quote_of(owner)
    if existing is not None and existing.kind == "direct":
        return None  # "“...,” Okoro told the “Harbour Hour” show": the cue has its own quote
    if existing is not None and existing.kind in {"indirect", "mixed"}:
        ctx.found.remove(existing)
        start = min(start, existing.start) if existing.start > owner.cue.span[0] else start
    # The quoted words end the report with their closing mark: a quote is never cut.
    span = _trim(ctx.text, (start, mark.outer_end))
    rules = (*owner.rules, "mark:within_report")
    return Found((span,), "mixed", owner, rules, mark.issues)


def _in_occasion(tree: Tree, cue: int, word: int) -> bool:
    """ "said on the “Harbour Hour” show that ...": quoted words in the phrase saying where or
    when the cue was said are a title, not part of the report."""
    path = [word, *tree.ancestors(word)]
    if cue not in path:
        return False
    child = path[path.index(cue) - 1] if path.index(cue) > 0 else cue
    if child == cue or base_relation(tree.relation(child)) != "obl":
        return False
    return any(
        t.text.lower() in lexicon.OCCASION_PREPOSITIONS for t in tree.children(child, "case")
    )


# "Mara Quint:", "Rep. Ann Okoro (D-Maine):": a name alone before a colon, a tag in brackets
_NAME_COLON = re.compile(
    r"(?:^|\n|[-–—]\s)\s*((?:[A-Z][\w.’'-]*\s+){0,4}[A-Z][\w.’'-]*)\s*(?:\([^()\n]{1,30}\))?\s*:\s*$"
)


def colon_lead_in(ctx: MarkContext, mark: MarkedSpan) -> Found | None:
    """ "Cruz called them on it:" then the quote, in the sentence or the next paragraph: the cue
    before the colon owns it; with no cue, the clause's subject ("Kaine has adopted the stance:")
    or a name before the colon ("HuffPollster: “...”")."""
    text = ctx.text
    before = text[: mark.outer_start].rstrip()
    if not before.endswith(":") or text.count("\n", len(before), mark.outer_start) > 2:
        return None
    colon = len(before) - 1
    index = ctx.sentence_at(colon)
    cues = [a for a in ctx.attributions if a.cue.sentence == index and a.cue.span[1] <= colon]
    named = _NAME_COLON.search(before)
    cues = [a for a in cues if not _sourceless_noun(a)] or cues
    if cues and _sourceless_noun(cues[-1]) and index is not None:
        by_subject = _clause_subject(ctx, mark, index, colon)
        if by_subject is not None:
            return by_subject  # "Okoro sent a blunt message to the board: “...”"
    if cues and not _name_after_cue(ctx, named, max(cues, key=lambda a: a.cue.span[0])):
        owner = max(cues, key=lambda a: a.cue.span[0])
        existing = ctx.quote_of(owner)
        if existing is not None and existing.kind == "indirect" and existing.end <= colon + 1:
            ctx.found.remove(existing)
        return _direct(mark, owner, "colon_lead_in")
    if named is not None:
        cue = Cue(-1, -1, (colon, colon + 1), ":", "colon", "name_colon")
        return _direct(mark, Attribution(cue, None, Source(named.span(1), None, "name")), "colon")
    if index is None:
        return None
    return _clause_subject(ctx, mark, index, colon)


_HEADLINE = re.compile(
    r"(?m)^[ \t]*((?:[A-Z][\w.’'-]*[ \t]+){1,3}[A-Z][\w.’'-]*)[ \t]*:[ \t]*([^\n]{1,160})$"
)


def headline_name(ctx: MarkContext, mark: MarkedSpan) -> Found | None:
    """ "Ann Okoro: The Harbour Plan Is “a Disgrace”." alone on its line: a headline in title
    case after a name and a colon is what the named person said, quoted words and all ("Live
    Updates: ..." is a label, no name)."""
    text = ctx.text
    line_start = text.rfind("\n", 0, mark.outer_start) + 1
    found = _HEADLINE.match(text, line_start)
    if found is None or not found.start(2) <= mark.outer_start < found.end(2):
        return None
    name = found.group(1)
    if name.isupper() or any(w.lower() in lexicon.HEADLINE_LABELS for w in name.split()):
        return None
    headline = found.group(2).rstrip(" .")
    if not is_title(headline.replace("“", "").replace("”", "").replace('"', ""), limit=15):
        return None
    colon = text.index(":", found.end(1))
    cue = Cue(-1, -1, (colon, colon + 1), ":", "colon", "name_colon")
    attribution = Attribution(cue, None, Source(found.span(1), None, "name"))
    span = (found.start(2), found.start(2) + len(headline))
    rules = (*attribution.rules, "mark:headline_name")
    return Found((span,), "mixed", attribution, rules, mark.issues)


def _sourceless_noun(attribution: Attribution) -> bool:
    """A statement noun nobody owns in the parse ("sent a blunt message to the board:")."""
    return attribution.cue.kind == "noun" and attribution.source is None


def _name_after_cue(ctx: MarkContext, named: re.Match[str] | None, owner: Attribution) -> bool:
    """ "Growers agree - Ada Moss: “...”": a name after a dash, past the cue's own words, labels
    the quote that follows its colon; the cue before the dash reports something else (what the
    parser made its object, the name, is no quote: it goes)."""
    if named is None or named.start(1) < owner.anchor:
        return False
    if not re.search(r"[-–—]\s*$", ctx.text[owner.anchor : named.start(1)]):
        return False
    existing = ctx.quote_of(owner)
    if existing is not None and named.start(1) <= existing.start and existing.end <= named.end(1):
        ctx.found.remove(existing)
    return True


def _clause_subject(ctx: MarkContext, mark: MarkedSpan, index: int, colon: int) -> Found | None:
    tree = Tree(ctx.doc.sentences[index])
    roots = [t for t in tree.tokens if t.head == -1 and t.end <= colon]
    if not roots or not tree.parsed:
        return None
    subjects = tree.children(roots[0].index, "nsubj")
    if not subjects or subjects[0].upos not in {"PROPN", "NOUN", "PRON"}:
        return None
    root = roots[0]
    cue = Cue(
        index,
        root.index,
        (root.start, root.end),
        (root.lemma or "").lower(),
        "colon",
        "clause_before_colon",
    )
    found = mention(tree, subjects[0].index, "clause_subject")
    source = Source(found.span, subjects[0].index, "clause_subject")
    return _direct(mark, Attribution(cue, None, source), "colon_lead_in")


def signature(ctx: MarkContext, mark: MarkedSpan) -> Found | None:
    """A quote signed after a dash, on the next line or, when it ends its sentence, on the same
    line ("“...” ―Ann Lee, harbour master")."""
    text = ctx.text
    found = _SIGNATURE.match(text, mark.outer_end)
    if found is None and text[mark.end - 1 : mark.outer_end].rstrip()[:1] in {".", "!", "?"}:
        found = _SIGNATURE_SAME_LINE.match(text, mark.outer_end)
    if found is None:
        return None
    dash = found.start(1) - 1
    while text[dash] not in _SIGNATURE_DASHES:
        dash -= 1
    cue = Cue(-1, -1, (dash, dash + 1), "sign", "phrase", "signature")
    attribution = Attribution(cue, None, Source(found.span(1), None, "signature"))
    return _direct(mark, attribution, "signature")


def _between_is_attribution(ctx: MarkContext, before: Found, mark: MarkedSpan) -> bool:
    """Only the attribution (or nothing) stands between the quote before and this one."""
    text = ctx.text
    between = text[before.end : mark.outer_start]
    core = _SHORT_MARKED.sub(" title ", between.lstrip(_EDGE)).strip(_EDGE)
    if between.count("\n") > 2 or any(c in core for c in '"“”'):
        return False
    lead_in = between.rstrip(" \t\r\n")
    if core and (lead_in.endswith(":") or ("\n" in between and lead_in.endswith(","))):
        return False  # words that introduce this quote make it a new one
    last_paragraph = between.strip().rpartition("\n")
    if last_paragraph[1] and _words(last_paragraph[2].rstrip(QUOTE_CHARS + " ")) > 0:
        return False  # a new paragraph opening with its own words: another context
    attribution = before.attribution
    words = _words(core)
    trailing = attribution is not None and before.end <= attribution.cue.span[0] < mark.outer_start
    inner = between.rstrip(" \t\r\n" + QUOTE_CHARS)
    sentence_ends = len(_SENTENCE_END.findall(inner))
    return words <= 10 or (trailing and words <= 30 and sentence_ends <= 1)


def continuation(ctx: MarkContext, mark: MarkedSpan) -> Found | None:
    """ "“A,” Lee said. “B.”": the same speaker goes on in the same paragraph; B becomes another
    piece of A. (A new paragraph that opens a quote is a new turn: see ``next_paragraph``.)"""
    before = _previous_said(ctx, mark)
    if before is None or before.kind not in {"direct", "mixed"} or before.attribution is None:
        return None
    if not mark.closing and is_title(ctx.text[mark.start : mark.end]):
        return None  # "told the “Harbour Hour” show": a name in marks, not more of the quote
    if "\n" in ctx.text[before.end : mark.outer_start]:
        return None
    if not _between_is_attribution(ctx, before, mark):
        return None
    merged = replace(
        before,
        spans=(*before.spans, *mark.pieces),
        rules=(*before.rules, "mark:continuation"),
        issues=(*before.issues, *mark.issues),
    )
    ctx.found.remove(before)
    return merged


def _previous_said(ctx: MarkContext, mark: MarkedSpan) -> Found | None:
    """The quote before ``mark``, passing over titles in marks ("“A,” Okoro told the “Harbour
    Hour” show. “B.”": B goes on from A)."""
    before = ctx.previous(mark)
    while before is not None and before.kind == "scare":
        earlier = [f for f in ctx.found if f.end <= before.start]
        before = max(earlier, key=lambda f: f.end) if earlier else None
    return before


def next_paragraph(ctx: MarkContext, mark: MarkedSpan) -> Found | None:
    """A paragraph that is only a quote, right after a paragraph with an attributed quote: the
    next turn. Its speaker is the one before for now; dialogue turns (two speakers taking turns)
    may give it to the other one later."""
    before = ctx.previous(mark)
    if before is None or before.kind not in {"direct", "mixed"} or before.attribution is None:
        return None
    between = ctx.text[before.end : mark.outer_start]
    if between.count("\n") < 1 or between.count("\n") > 2:
        return None
    last_line = between.rsplit("\n", 1)[1]
    previous_lines = between.rsplit("\n", 1)[0]
    if last_line.strip() or _words(previous_lines) > 12:
        return None  # the quote does not open its paragraph, or narration came between
    return _direct(mark, before.attribution, "next_paragraph")


def after_report(ctx: MarkContext, mark: MarkedSpan) -> Found | None:
    """A quote right after an indirect report, in its paragraph, is the reporter's."""
    before = ctx.previous(mark)
    if before is None or before.kind != "indirect" or before.attribution is None:
        return None
    attribution = before.attribution
    between = ctx.text[before.end : mark.outer_start]
    own = [attribution.cue.span, *([attribution.source.span] if attribution.source else [])]
    between = "".join(
        " " if any(s <= i < e for s, e in own) else ctx.text[i]
        for i in range(before.end, min(mark.outer_start, before.end + 200))
    )
    if "\n" in between or _words(between) > 0 or mark.outer_start - before.end >= 200:
        return None
    return _direct(mark, attribution, "after_report")


_DETERMINERS = lexicon.words("a an the this that these those")


def is_title(value: str, limit: int = 10) -> bool:
    """A name in title case ("State of the Union"): quoted, not said.

    Example:
        >>> is_title("The Art of the Deal"), is_title("we will win")
        (True, False)
    """
    words = re.findall(r"[A-Za-z][\w’'-]*", value)
    content = [w for w in words if w.lower() not in lexicon.STOP_WORDS | _DETERMINERS]
    return (
        0 < len(words) <= limit
        and len(content) >= 1
        and all(w[0].isupper() for w in content)
        and not re.search(r"[.!?]\s+\S", value)
    )


def scare(ctx: MarkContext, mark: MarkedSpan) -> Found | None:
    """A few words or a title in marks with nobody saying them."""
    inner = ctx.text[mark.start : mark.end]
    if re.fullmatch(r"[A-Z].*[.?!…]", inner.strip(), re.DOTALL):
        return None  # "Are you sure?": a short sentence is said, not borrowed
    if _words(inner) <= SCARE_MAX_WORDS or is_title(inner):
        return Found(mark.pieces, "scare", None, ("mark:scare",), mark.issues)
    return None


_LEAD_IN_OBJECT_WORDS = 4
_LEAD_IN_SUBJECT_WORDS = 8


def clause_subject(ctx: MarkContext, mark: MarkedSpan) -> Found | None:
    """ "Okoro credited the win to “a closed vote, something I am not keen on.”", "Some chanted
    “Harbour for all!”": quoted words that end a clause with no reporting verb are the clause
    subject's, the verb its cue. Only when the subject opens the clause (after a fronted phrase
    and its comma at most), the verb's own words before the marks are few, and nothing but
    punctuation follows the marks in the sentence; short phrases and titles were scare quotes
    before this rule is tried."""
    index = ctx.sentence_at(mark.outer_start)
    if index is None or not _ends_its_sentence(ctx, mark) or is_title(mark.text(ctx.text)):
        return None
    tree = Tree(ctx.doc.sentences[index])
    if not tree.parsed:
        return None
    lead = [t.index for t in tree.tokens if t.end <= mark.outer_start]
    if any(tree.tokens[k].text == ":" for k in lead):
        return None  # a lead-in with a colon is the colon rule's to read
    verb = next((k for k in reversed(lead) if _lead_in_verb(tree, k)), None)
    if verb is None:
        return None
    after = [k for k in lead if k > verb and tree.tokens[k].upos not in {"PUNCT", "SYM"}]
    if len(after) > _LEAD_IN_OBJECT_WORDS or any(
        tree.tokens[k].upos in {"VERB", "AUX"} for k in after
    ):
        return None
    subject = _lead_in_subject(tree, [k for k in lead if k < verb])
    if not 0 < len(subject) <= _LEAD_IN_SUBJECT_WORDS or not speaker_like(tree, subject):
        return None
    tok = tree.tokens[verb]
    lemma = (tok.lemma or tok.text).lower()
    cue = Cue(index, verb, (tok.start, tok.end), lemma, "speech", "verb_before_quote")
    source = Source(tree.span(subject), subject[-1], "lead_in_subject")
    attribution = Attribution(cue, None, source)
    if not can_speak(ctx.doc, attribution):
        return None
    return _direct(mark, attribution, "clause_subject")


def _lead_in_subject(tree: Tree, before: list[int]) -> list[int]:
    """The words that open the verb's clause: after a fronted phrase and its comma ("On its
    website, the agency lists"), without a leading conjunction ("As Vulture put it", "And Lee
    gloated")."""
    if not before or tree.tokens[before[-1]].upos not in {"NOUN", "PROPN", "PRON", "DET", "NUM"}:
        return []  # "Transcript as follows": no noun phrase ends right before the verb
    commas = [k for k in before if tree.tokens[k].text == ","]
    words = [k for k in before if k > (commas[-1] if commas else -1)]
    while words and tree.tokens[words[0]].upos in {"CCONJ", "SCONJ", "ADV", "ADP", "PUNCT", "SYM"}:
        words.pop(0)
    return words


def _ends_its_sentence(ctx: MarkContext, mark: MarkedSpan) -> bool:
    """Nothing but punctuation follows the closing mark in its sentence."""
    index = ctx.sentence_at(max(mark.outer_end - 1, 0))
    if index is None:
        return False
    sentence = ctx.doc.sentences[index]
    return all(t.upos in {"PUNCT", "SYM"} for t in sentence.tokens if t.start >= mark.outer_end)


def _lead_in_verb(tree: Tree, k: int) -> bool:
    """A finite or past verb form before the quote ("credited", "chanted" even when the parser
    read it as an adjective), or a verb in "-s" read as a noun right before an article ("The
    council ad targets a ...": a plural noun never takes an article after it)."""
    tok = tree.tokens[k]
    feats = tok.feats or ""
    if tok.upos == "VERB":
        # A participle in "-ing" describes ("footage of Trump saying"); it heads no clause here.
        return not tok.text.lower().endswith("ing") and not {"VerbForm=Ger", "VerbForm=Inf"} & set(
            feats.split("|")
        )
    following = tree.tokens[k + 1] if k + 1 < len(tree.tokens) else None
    return (
        tok.upos == "NOUN"
        and tok.text.endswith("s")
        and not tok.text.endswith("ss")
        and k > 0
        and tree.tokens[k - 1].upos in {"NOUN", "PROPN"}
        and following is not None
        and following.text.lower() in {"a", "an", "the"}
    )


def inside_mention(ctx: MarkContext, mark: MarkedSpan) -> Found | None:
    """ "delegate Ann Lee, wearing “Lee” pins, said": marks inside a speaker's mention quote a
    name or a title, never what was said."""
    for attribution in ctx.attributions:
        source = attribution.source
        if source is not None and source.span[0] <= mark.outer_start < source.span[1]:
            return Found(mark.pieces, "scare", None, ("mark:inside_mention",), mark.issues)
    return None


def unattributed(ctx: MarkContext, mark: MarkedSpan) -> Found | None:
    """A quoted sentence with no speaker found (yet)."""
    return _direct(mark, None, "unattributed")


MARK_RULES: tuple[MarkRule, ...] = (
    inside_mention,
    interrupted,
    open_cue,
    colon_lead_in,
    headline_name,
    within_report,
    signature,
    continuation,
    next_paragraph,
    after_report,
    scare,
    clause_subject,
    unattributed,
)
"""Fallback rules for quote marks no attribution claimed, in the order they are tried."""


def _claimed_by(text: str, attribution: Attribution, marks: Sequence[MarkedSpan]) -> Found:
    assert attribution.content is not None
    content = (attribution.content.start, attribution.content.end)
    kind, span = quoted_kind(text, content, marks)
    pieces: tuple[Span, ...] = (span,)
    if kind == "direct":
        inside = [m for m in marks if span[0] <= m.start and m.end <= span[1]]
        pieces = tuple(p for m in inside for p in m.pieces) or (span,)
    elif kind == "indirect" and len(attribution.content.spans) > 1:
        pieces = attribution.content.spans
    rule = {"direct": "mark:quoted", "mixed": "mark:partly_quoted"}.get(kind)
    rules = (*attribution.rules, rule) if rule else attribution.rules
    return Found(pieces, kind, attribution, rules, tuple(i for m in marks for i in m.issues))


def attach(
    doc: ParsedDoc, marks: Sequence[MarkedSpan], attributions: Sequence[Attribution]
) -> list[Found]:
    """Quotes from attributions and marks, sorted by start."""
    text = doc.text
    with_content = sorted(
        (a for a in attributions if a.content is not None),
        key=lambda a: a.content.end - a.content.start if a.content else 0,
    )
    claimed: set[int] = set()
    found: list[Found] = []
    for attribution in with_content:
        assert attribution.content is not None
        content = (attribution.content.start, attribution.content.end)
        mine = [
            i
            for i, m in enumerate(marks)
            if i not in claimed and content[0] < m.end and m.start < content[1]
        ]
        quote = _claimed_by(text, attribution, [marks[i] for i in mine])
        if any(same_words((quote.start, quote.end), (f.start, f.end)) for f in found):
            continue  # the same words reported twice ("said ... according to X")
        claimed.update(mine)
        found.append(quote)
    found.sort(key=lambda f: f.start)
    ctx = MarkContext(doc, marks, attributions, found)
    for index, mark in enumerate(marks):
        if index in claimed:
            continue
        for rule in MARK_RULES:
            result = rule(ctx, mark)
            if result is not None:
                found.append(result)
                found.sort(key=lambda f: f.start)
                break
    return found


def as_content(span: Span, rule: str) -> Content:
    """A one-piece content (for rules that delimit content without the parse)."""
    return Content((span,), rule)
