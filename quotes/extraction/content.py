"""Stage 3, content: what a cue reports, delimited by the dependency tree.

Each rule is a named function ``(tree, cue) -> Content | None`` reading one construction:

- ``complement_clause``: the clause a verb takes ("said [that the plan works]");
- ``listener_clause``: the clause the parser hung on the listener ("told the AP [that ...]");
- ``infinitive``: a to-infinitive ("agreed [to strengthen ties]", "urged him [to stay]");
- ``reported_clause``: the clause the cue interrupts or follows ("[The plan works], Lee said");
- ``particle_object``: a phrasal cue's object ("called for [talks]");
- ``object``: the object of a stance verb ("echoed [this sentiment]");
- ``object_then_quote``: an object and the quoted words that go on with it ("saying [the levy
  “has no place here”]");
- ``noun_complement``: a statement noun's complement ("declaration of [opposition to ...]");
- ``modified_clause``: the clause an "according to" phrase modifies;
- ``quote_after_credit``: the quote right after "in Okoro's words,";
- ``asked_question``: the question after "asked" ("When asked [whether ...], Lee said");
- ``headline_rest``: the words after the cue of a headline in title case.
- ``misread_object``: the noun a finite verb read as its adjective was hung on.

:data:`CONTENT_RULES` gives the order per cue kind; the first rule that finds a content wins.

Example:
    >>> from quotes.extraction.testing import parsed, first_cue
    >>> doc = parsed("Wang said the talks went well.")
    >>> tree, cue = first_cue(doc)
    >>> content = content_of(tree, cue)
    >>> content.rule, doc.text[content.start:content.end]
    ('ccomp', 'the talks went well')
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from quotes import lexicon
from quotes.extraction.cues import finite_modifier
from quotes.extraction.marks import QUOTE_CHARS, MarkedSpan
from quotes.extraction.model import Content, Cue
from quotes.extraction.syntax import Tree, base_relation, speaker_like
from quotes.records import Token

ContentRule = Callable[[Tree, Cue, Sequence[MarkedSpan]], Content | None]

# Words that open an adverbial or relative clause, which then is no complement of the cue.
_ADVERBIAL_MARKERS = lexicon.words("if when because although though while since before after as")


def _content(tree: Tree, indices: list[int], rule: str) -> Content | None:
    if not indices:
        return None
    start, end = tree.span(indices)
    if end <= start:
        return None
    return Content(((start, end),), rule)


def _credit_phrases(tree: Tree, indices: list[int], cue: Cue) -> set[int]:
    """ "..., according to KCNA", "per Xinhua": a credit inside a content is not what was said."""
    cut: set[int] = set()
    for k in indices:
        word = tree.tokens[k].text.lower()
        if word in {"according", "per"} and cue.head != k:
            phrase = tree.head(k)
            if phrase is not None and phrase != cue.head:
                cut.update(tree.subtree(phrase))
                cut.update(j for j in range(k, max(tree.subtree(phrase)) + 1))
                if k > 0 and tree.tokens[k - 1].text == ",":
                    cut.add(k - 1)
    return cut


def _other_reports(tree: Tree, indices: list[int], cue: Cue) -> set[int]:
    """Words of another report inside a content: ", vowing alignment ..." after "invoked X"."""
    inside = set(indices)
    cut: set[int] = set()
    for k in indices:
        tok = tree.tokens[k]
        if k == cue.head or not tok.text.lower().endswith("ing") or k - 1 not in inside:
            continue
        before = k - 1
        while before > 0 and _is_mark(tree.tokens[before].text):
            before -= 1  # "“...,” adding that ...": the closing mark stands after the comma
        if tree.tokens[before].text not in {",", "—", "–"}:
            continue
        if lexicon.cue_lemma(tok.text, tok.lemma) is not None:
            cut.update(tree.subtree(k))
    return cut


def _without_edges(tree: Tree, indices: list[int], cue: Cue) -> list[int]:
    """Drop the words that belong to the reporting, not to what was reported: the cue's own
    subtree when the content holds it, another report set off by a comma, and edge punctuation
    and conjunctions."""
    cut = _other_reports(tree, indices, cue) | _credit_phrases(tree, indices, cue)
    kept = [k for k in indices if k != cue.head and k not in cut]
    while kept and (
        tree.tokens[kept[0]].upos in {"PUNCT", "CCONJ"} or tree.relation(kept[0]) == "cc"
    ):
        kept.pop(0)
    while kept and tree.tokens[kept[-1]].upos in {"PUNCT", "CCONJ"}:
        kept.pop()
    return kept


def _participle_after_comma(tree: Tree, cue: Cue, child: int) -> bool:
    """ "..., Lee said, calling the plan a disaster": a participle with no subject after the cue
    and a comma is another report, not the complement."""
    tok = tree.tokens[child]
    if child < cue.head or tree.children(child, "nsubj", "csubj", "mark"):
        return False
    form = tok.feats or ""
    gerund = "VerbForm=Ger" in form or "VerbForm=Part" in form or tok.text.endswith("ing")
    between = tree.tokens[cue.head + 1 : child]
    return gerund and any(t.text in {",", "—", "–", "-"} for t in between)


def _relative_subject(tree: Tree, clause: int) -> bool:
    """ "Friends who have seen him say ...": a clause whose subject is a relative pronoun is a
    relative clause the parser hung on the verb, not its complement."""
    return any(
        t.text.lower() in {"who", "which", "whom"} or "PronType=Rel" in (t.feats or "")
        for t in tree.children(clause, "nsubj", "nsubj:pass")
    )


def _attribution_words(tree: Tree, cue: Cue, marks: Sequence[MarkedSpan]) -> tuple[int, int]:
    """Token range of the cue and, next to it, its subject ("Lee said", "said Lee"). A subject
    between quote marks is a misparse: quoted words are what was said, not who said it."""
    low = high = cue.head
    subject = tree.subject(cue.head)
    if subject is not None and any(m.contains(subject.start) for m in marks):
        subject = None
    if subject is not None and _another_cue_between(tree, cue, subject.index):
        return cue.head, cue.head
    if subject is not None and abs(subject.index - cue.head) <= 12:
        words = tree.subtree(subject.index, without=[cue.head])
        low, high = min(low, words[0]), max(high, words[-1])
    return low, high


def _another_cue_between(tree: Tree, cue: Cue, subject: int) -> bool:
    """ "“...,” she said - and warned that ...", "“...,” Okoro told the Gazette after hinting
    that ...": a subject the cue only inherits, with another reporting verb between them, makes
    no attribution of the cue next to the quote; that verb owns the quote."""
    if tree.head(subject) == cue.head:
        return False
    low, high = sorted((subject, cue.head))
    return any(
        tree.tokens[k].upos == "VERB"
        and lexicon.cue_lemma(tree.tokens[k].text, tree.tokens[k].lemma) is not None
        for k in range(low + 1, high)
    )


def _occasion_of_saying(tree: Tree, cue: Cue, gap: list[int]) -> bool:
    """ "Ruiz declared at the town hall, “...”": where, when or how the words were said stands
    between the cue and its quote; it belongs to the saying, not to what was said."""
    occasions = [
        c.index
        for c in tree.children(cue.head, "obl", "advmod")
        if c.index > cue.head and c.upos in {"NOUN", "PROPN", "ADV"}
    ]
    words = [k for k in gap if tree.tokens[k].upos not in {"PUNCT", "SYM"}]
    return bool(words) and all(any(tree.dominates(o, k) for o in occasions) for k in words)


def _is_mark(word: str) -> bool:
    return bool(word) and all(c in QUOTE_CHARS for c in word)


def _only_punctuation(tree: Tree, start: int, end: int) -> bool:
    return all(tree.tokens[k].upos in {"PUNCT", "SYM"} for k in range(start, end))


def adjacent_quote(tree: Tree, cue: Cue, marks: Sequence[MarkedSpan]) -> Content | None:
    """A quote right before the attribution ("“...,” Lee said") or right after it ("Lee said:
    “...”"), whatever the parser made of the sentence."""
    low, high = _attribution_words(tree, cue, marks)
    first, last = tree.tokens[low], tree.tokens[high]
    subject = tree.subject(cue.head)
    # "said the levy was “a tax,” adding that ...": the quote before belongs to the cue between.
    relayed = subject is not None and _another_cue_between(tree, cue, subject.index)
    if cue.span[1] > last.end:  # a cue of several words ("put it")
        last = tree.tokens[
            max(k for k in range(high, len(tree.tokens)) if tree.tokens[k].end <= cue.span[1])
        ]
    for mark in marks:
        # The quote may end the sentence before ("“Who?” Lee asked." split after the "?").
        just_before = (
            low == 0
            and not mark.ends_paragraph
            and 0 <= tree.sentence.start - mark.outer_end <= 2
            and len(tree.tokens) <= high + 3  # "Lee asked." and nothing more
        )
        if (
            not relayed
            and mark.outer_end <= first.start
            and (mark.outer_end >= tree.sentence.start or just_before)
        ):
            if _own_complement(tree, cue, marks):
                continue
            gap = [t.index for t in tree.tokens if mark.outer_end <= t.start < first.start]
            if not gap or _only_punctuation(tree, gap[0], gap[-1] + 1):
                return _quote_with_its_clause(tree, cue, mark, "adjacent_quote")
        elif mark.outer_start >= last.end and mark.outer_start <= tree.sentence.end:
            gap = [
                t.index
                for t in tree.tokens
                if last.end <= t.start < mark.outer_start and not _is_mark(t.text)
            ]
            if not gap or (
                (
                    _only_punctuation(tree, gap[0], gap[-1] + 1)
                    or _occasion_of_saying(tree, cue, gap)
                )
                and tree.tokens[gap[-1]].text in {",", ":", "—", "–"}
            ):
                return Content(((mark.start, mark.end),), "adjacent_quote")
    return None


def _own_complement(tree: Tree, cue: Cue, marks: Sequence[MarkedSpan]) -> bool:
    """ "“...,” adding that the pier held", "“...,” vowing alignment with ...": a cue with a
    clause or (taking no listener) an object of its own after it, in the writer's words, reports
    that, not the quote before it. A quoted clause after the cue is the quote going on ("“A,”
    she said, “B.”")."""
    if any(
        c.index > cue.head
        and tree.children(c.index, "nsubj", "nsubj:pass", "mark")
        and not any(m.contains(tree.tokens[k].start) for m in marks for k in tree.subtree(c.index))
        for c in tree.children(cue.head, "ccomp")
    ):
        return True
    # Only a participle: after "said" an object is most often the inverted subject the parser
    # misread ("“...,” said the deputy head of the board").
    participle = tree.tokens[cue.head].text.lower().endswith("ing")
    return (
        participle
        and cue.lemma not in lexicon.LISTENER_CUES
        and any(
            c.index > cue.head and (c.lemma or c.text).lower() not in lexicon.TIME_WORDS
            for c in tree.children(cue.head, "obj")
        )
    )


def trailing_quote(tree: Tree, cue: Cue, marks: Sequence[MarkedSpan]) -> Content | None:
    """ "“...,” Ann Lee, who ran the port for years, said": the quote just before a speaker and
    the cue, when the parser lost the speaker; the words between name who speaks (a name or
    title in marks among them: "delegate Ann Lee, wearing “Lee” pins, said"). The quote may
    end the sentence before ("“Not us!” Okoro, the head of Harbour First, tweeted")."""
    cue_start = tree.tokens[cue.head].start
    if any(c.index > cue.head for c in tree.children(cue.head, "ccomp", "xcomp")):
        return None  # "“...” The minister said the talks went well": the cue has its own
    start = tree.sentence.start
    # A quote ending the sentence before on "?" or "!" (where the tokenizer split), only for a
    # cue that closes its own sentence ("“...?” She noted a planned rally" reports the rally).
    closes = lexicon.LISTENER_CUES.__contains__(cue.lemma) or not any(
        c.index > cue.head for c in tree.children(cue.head, "obj", "iobj")
    )
    before = [
        m
        for m in marks
        if m.outer_end <= cue_start
        and (
            start <= m.outer_end
            or (
                closes
                and start - 2 <= m.outer_end
                and m.closing in {"?", "!"}
                and not m.ends_paragraph
            )
        )
    ]
    for mark in before:
        between = [t.index for t in tree.tokens if mark.outer_end <= t.start < cue_start]
        between = [k for k in between if not _is_mark(tree.tokens[k].text)]
        if between and speaker_like(tree, between):
            return Content(((mark.start, mark.end),), "trailing_quote")
    return None


def _quote_with_its_clause(tree: Tree, cue: Cue, mark: MarkedSpan, rule: str) -> Content:
    """The quote before its attribution, with the words of its clause that precede it ("the race
    “is a dead heat,” Lee said": the race is part of what Lee said). Only when the quoted words
    lack their subject and it stands before the marks, in one run of words up to them."""
    quoted = Content(((mark.start, mark.end),), rule)
    inner = [t.index for t in tree.tokens if mark.start <= t.start < mark.end]
    tops = [
        k
        for k in inner
        if tree.tokens[k].upos not in {"PUNCT", "SYM"} and tree.head(k) not in inner
    ]
    if len(tops) != 1 or tree.dominates(cue.head, tops[0]):
        return quoted
    top = tops[0]
    subjects = [
        t for t in tree.children(top, "nsubj", "nsubj:pass", "csubj") if t.start < mark.outer_start
    ]
    if not subjects:
        return quoted
    before = [t.index for t in tree.tokens if t.end <= mark.outer_start]
    words = [k for k in before if tree.dominates(top, k) and not tree.dominates(cue.head, k)]
    first = min(k for t in subjects for k in tree.subtree(t.index))
    run = [k for k in before if k >= first]
    if not words or any(k not in words for k in run):
        return quoted  # other words stand between the subject and the quote
    start = tree.tokens[min(words)].start
    return Content(((start, mark.end),), rule)


def complement_clause(tree: Tree, cue: Cue, marks: Sequence[MarkedSpan]) -> Content | None:
    """The complement clause of a verb of speech or thought ("said [that ...]")."""
    candidates = [
        child
        for child in [
            *tree.children(cue.head, "ccomp"),
            *_finite_xcomps(tree, cue),
            *_that_clauses_of_a_noun_tag(tree, cue),
        ]
        if not {t.text.lower() for t in tree.children(child.index, "mark")} & _ADVERBIAL_MARKERS
        and not _participle_after_comma(tree, cue, child.index)
        and not _relative_subject(tree, child.index)
        and not _nearer_cue(tree, cue, child.index)
    ]
    if not candidates:
        return None
    # After the cue first: "Lee, who saw it, said [the pier is closed]".
    child = min(candidates, key=lambda c: (c.index < cue.head, abs(c.index - cue.head)))
    clause = _past_a_title(tree, child.index)
    words = sorted(tree.subtree(clause) + _stray_subject(tree, cue, clause))
    return _content(tree, _without_edges(tree, words, cue), "ccomp")


def _past_a_title(tree: Tree, clause: int) -> int:
    """ "said on the “Harbour Hour” show [that the ferry would run]": the parser took the noun
    after a quoted title for the complement's verb; the that-clause it holds is the complement."""
    before = tree.tokens[clause - 1].text if clause > 0 else ""
    if not before or any(c not in QUOTE_CHARS for c in before):
        return clause
    if tree.children(clause, "nsubj", "nsubj:pass"):
        return clause
    for inner in tree.children(clause, "ccomp"):
        if any(t.text.lower() == "that" for t in tree.children(inner.index, "mark")):
            return inner.index
    return clause


def _stray_subject(tree: Tree, cue: Cue, clause: int) -> list[int]:
    """ "Okoro said Ruiz “never once visited the pier”": the parser took the clause's subject for
    the object of a cue that takes no listener; it belongs to what was said."""
    if cue.lemma in lexicon.LISTENER_CUES or clause < cue.head:
        return []
    if tree.children(clause, "nsubj", "nsubj:pass", "csubj", "expl"):
        return []
    objects = [t for t in tree.children(cue.head, "obj") if cue.head < t.index < clause]
    return tree.subtree(objects[-1].index) if objects else []


def _finite_xcomps(tree: Tree, cue: Cue) -> list[Token]:
    """ "saying [it hurt everyone]" parsed as an xcomp: a clause with its own subject is a
    complement clause, whatever the parser called it."""
    return [
        child
        for child in tree.children(cue.head, "xcomp")
        if child.index > cue.head and tree.children(child.index, "nsubj", "nsubj:pass")
    ]


def _that_clauses_of_a_noun_tag(tree: Tree, cue: Cue) -> list[Token]:
    """ "The council states [that the pier will reopen]": with the verb tagged a noun, the parser
    hangs its complement as a clause describing the noun; opened by "that" and with a subject of
    its own, it is the complement."""
    if tree.tokens[cue.head].upos != "NOUN" or cue.kind == "noun":
        return []
    return [
        child
        for child in tree.children(cue.head, "acl", "acl:relcl")
        if child.index > cue.head
        and any(t.text.lower() == "that" for t in tree.children(child.index, "mark"))
        and tree.children(child.index, "nsubj", "nsubj:pass")
    ]


def _nearer_cue(tree: Tree, cue: Cue, clause: int) -> bool:
    """ "Lee said on the radio, adding, “...”": the parser hung the clause on the first cue, but
    another cue of this one stands between them and owns it."""
    low, high = sorted((cue.head, clause))
    return any(
        low < k < high
        and lexicon.cue_lemma(tree.tokens[k].text, tree.tokens[k].lemma) in lexicon.SPEECH_VERBS
        and tree.head(k) == cue.head
        and not _nominal(tree, k)
        for k in range(low + 1, high)
    )


_NOMINAL_RELATIONS = frozenset({"obl", "obj", "iobj", "nmod", "nsubj", "compound", "appos"})


def _nominal(tree: Tree, k: int) -> bool:
    """ "said in her opening remarks that ...": a reporting word used as a noun names the
    occasion; it owns no clause."""
    tok = tree.tokens[k]
    return tok.upos in {"NOUN", "PROPN"} or base_relation(tok.deprel) in _NOMINAL_RELATIONS


def listener_clause(tree: Tree, cue: Cue, marks: Sequence[MarkedSpan]) -> Content | None:
    """ "told the Associated Press [that the talks went well]": the parser hung the complement
    on the listener as a relative clause; a clause opened by the conjunction "that" with a
    subject of its own is what was told."""
    if cue.lemma not in lexicon.LISTENER_CUES:
        return None
    for listener in tree.children(cue.head, "obj", "iobj"):
        for clause in tree.children(listener.index, "acl", "acl:relcl"):
            marks_ = [t for t in tree.children(clause.index, "mark") if t.text.lower() == "that"]
            if marks_ and tree.children(clause.index, "nsubj", "nsubj:pass"):
                words = tree.subtree(clause.index)
                return _content(tree, _without_edges(tree, words, cue), "listener_clause")
    return None


def infinitive(tree: Tree, cue: Cue, marks: Sequence[MarkedSpan]) -> Content | None:
    """A to-infinitive complement ("agreed [to deepen ties]", "urged Lee [to stay]"); the parser
    sometimes hangs it as an adverbial clause ("agreed Sunday in Beijing to strengthen ...")."""
    if cue.lemma not in lexicon.INFINITIVE_VERBS and cue.kind != "speech":
        return None
    for child in tree.children(cue.head, "xcomp", "advcl"):
        if child.index < cue.head or tree.tokens[child.index].upos not in {"VERB", "AUX"}:
            continue
        to = [t for t in tree.children(child.index, "mark") if t.text.lower() == "to"]
        if not to or (
            base_relation(child.deprel) == "advcl" and cue.lemma not in lexicon.INFINITIVE_VERBS
        ):
            continue
        indices = [k for k in tree.subtree(child.index) if k >= to[0].index]
        return _content(tree, _without_edges(tree, indices, cue), "xcomp")
    return None


def as_saying(tree: Tree, cue: Cue, marks: Sequence[MarkedSpan]) -> Content | None:
    """ "quoted Wang as saying [Beijing opposes ...]": what follows "as saying" to the end of the
    clause, whatever the parser attached it to."""
    tok = tree.tokens[cue.head]
    if not tok.text.lower().endswith("ing") or cue.head == 0:
        return None
    if tree.tokens[cue.head - 1].text.lower() != "as":
        return None
    end = cue.head + 1
    while end < len(tree.tokens) and tree.tokens[end].text not in {";"}:
        end += 1
    indices = list(range(cue.head + 1, end))
    if not any(tree.tokens[k].upos in {"VERB", "AUX"} for k in indices):
        return None
    return _content(tree, _without_edges(tree, indices, cue), "as_saying")


def reported_clause(tree: Tree, cue: Cue, marks: Sequence[MarkedSpan]) -> Content | None:
    """The clause a trailing or parenthetical cue reports ("[The plan works], Lee said")."""
    relation = base_relation(tree.relation(cue.head))
    head = tree.head(cue.head)
    if relation != "parataxis" or head is None:
        return None
    # "[A], Lee said, but B": what follows the attribution in another clause is not A.
    after = [
        t.index
        for t in tree.children(head, "conj", "parataxis")
        if t.index > cue.head and t.index != cue.head
    ]
    indices = tree.subtree(head, without=[cue.head, *after])
    return _content(tree, _without_edges(tree, indices, cue), "parataxis")


def asked_question(tree: Tree, cue: Cue, marks: Sequence[MarkedSpan]) -> Content | None:
    """ "When asked [whether the ferry would run], Okoro said ...": the question right after
    "asked", wherever the parser hung its clause."""
    if cue.lemma != "ask" or cue.head + 1 >= len(tree.tokens):
        return None
    word = tree.tokens[cue.head + 1]
    clause = tree.head(cue.head + 1)
    if word.text.lower() not in {"whether", "if"} or word.deprel != "mark" or clause is None:
        return None
    if tree.dominates(clause, cue.head):
        return None
    return _content(tree, _without_edges(tree, tree.subtree(clause), cue), "asked_question")


def headline_rest(tree: Tree, cue: Cue, marks: Sequence[MarkedSpan]) -> Content | None:
    """ "Mayor Ruiz Says Bridge Tolls Will Double Next Year": in a headline in title case the
    parser reads the capitalised words as names; everything after the cue is what was said."""
    words = [t for t in tree.tokens if t.upos not in {"PUNCT", "SYM"}]
    if tree.tokens[-1].text in {".", "!", "?"} or len(words) < 5:
        return None
    if not all(t.text[:1].isupper() or not t.text[:1].isalpha() for t in words):
        return None
    after = [t.index for t in words if t.index > cue.head]
    if len(after) < 3 or not tree.children(cue.head, "nsubj"):
        return None
    return _content(tree, after, "headline_rest")


def particle_object(tree: Tree, cue: Cue, marks: Sequence[MarkedSpan]) -> Content | None:
    """A phrasal cue's object, after its particle ("called for [talks]")."""
    particles = lexicon.PARTICLE_CUES.get(cue.lemma)
    if not particles:
        return None
    # "nmod": the verb tagged a noun ("the council hints at ...") has its phrase as a noun's.
    for child in tree.children(cue.head, "obl", "obj", "nmod"):
        cases = [t for t in tree.children(child.index, "case") if t.text.lower() in particles]
        if cases:
            without = [t.index for t in cases]
            indices = tree.subtree(child.index, without=without)
            indices += _infinitive_after(tree, cue, child.index)
            return _content(tree, _without_edges(tree, sorted(indices), cue), "particle")
    return None


def _infinitive_after(tree: Tree, cue: Cue, obj: int) -> list[int]:
    """ "call on [him to quit the race]": the to-infinitive after the particle's object says what
    the object is called on to do; the parser hangs it on the verb."""
    for child in tree.children(cue.head, "xcomp", "advcl"):
        to = [t for t in tree.children(child.index, "mark") if t.text.lower() == "to"]
        if child.index > obj and to and to[0].index == max(tree.subtree(obj)) + 1:
            return tree.subtree(child.index)
    return []


def attitude(tree: Tree, cue: Cue, marks: Sequence[MarkedSpan]) -> Content | None:
    """ "expressed [willingness to cooperate]", "voiced [concern about ...]": the attitude named
    after the cue, whatever the parser called it. When the attitude has a complement, that is
    the content and the noun joins the cue ("expressed willingness [to host talks]")."""
    for child in tree.children(cue.head, "obj", "xcomp", "obl", "ccomp"):
        if child.index > cue.head and child.text.lower() in lexicon.ATTITUDE_NOUNS:
            indices = tree.subtree(child.index)
            if _refers_back(tree, indices):
                return None
            complement = _attitude_complement(tree, child.index, cue.head)
            if _determined(tree, child.index):
                complement = None  # "expressed [a shared commitment to ...]": a whole phrase
            if complement is not None:
                words, cue_end = complement
                found = _content(tree, _without_edges(tree, words, cue), "attitude")
                if found is not None:
                    cue_span = (cue.span[0], tree.tokens[cue_end].end)
                    return Content(found.spans, found.rule, cue_span)
            return _content(tree, _without_edges(tree, indices, cue), "attitude")
    return None


def _determined(tree: Tree, noun: int) -> bool:
    """ "a shared commitment to X", "their deep concern about X": an attitude noun with its own
    determiner or modifier is a noun phrase that was expressed, not part of the cue as a bare
    "expressed willingness [to ...]" is."""
    return any(t.index < noun for t in tree.children(noun, "det", "amod", "nummod", "nmod:poss"))


_ATTITUDE_PREPOSITIONS = lexicon.words("about over at on that")


def _attitude_complement(tree: Tree, noun: int, verb: int) -> tuple[list[int], int] | None:
    """The clause or topic an attitude noun takes ("willingness [to host]", "concern [that
    ...]", "doubts about [the plan]", the parser may hang the topic on the verb), and the last
    word of the cue ("willingness", "about")."""
    last = max(tree.subtree(noun))
    topics = [t for t in tree.children(verb, "obl") if t.index > last]
    for child in [*tree.children(noun, "acl", "xcomp", "ccomp", "nmod"), *topics[:1]]:
        if child.index < noun:
            continue
        relation = base_relation(child.deprel)
        cases = [t for t in tree.children(child.index, "case") if t.index < child.index]
        if relation in {"nmod", "obl"}:
            if not cases or cases[0].text.lower() not in _ATTITUDE_PREPOSITIONS:
                continue
            words = tree.subtree(child.index, without=[t.index for t in cases])
            return words, cases[-1].index
        if (
            relation == "acl"
            and tree.children(child.index, "nsubj")
            and not tree.children(child.index, "mark")
        ):
            continue  # "the hope he voiced": a relative clause, not the hope's content
        return tree.subtree(child.index), noun
    return None


def object_content(tree: Tree, cue: Cue, marks: Sequence[MarkedSpan]) -> Content | None:
    """The object of a stance verb ("echoed [this sentiment]", "decried [all forms of ...]")."""
    if cue.lemma in lexicon.LISTENER_CUES or not (
        cue.lemma in lexicon.STANCE_VERBS or cue.kind == "document"
    ):
        return None  # "maintain stability": an object only reports after a stance verb
    objects = tree.children(cue.head, "obj")
    if not objects:
        return None
    obj = objects[0]
    if obj.text.lower() in lexicon.TIME_WORDS:
        return None  # "agreed Sunday to ...": a date the parser took for an object
    indices = tree.subtree(obj.index)
    if _refers_back(tree, indices):
        return None  # "echoed this sentiment", "mirrored this": the statement is elsewhere
    # "accused Lee [of lying]", "described the plan [as a disaster]": the object's own
    # complement goes with it.
    for extra in tree.children(cue.head, "obl", "xcomp"):
        if (extra.index > obj.index and base_relation(extra.deprel) == "xcomp") or any(
            t.text.lower() in {"of", "as"} for t in tree.children(extra.index, "case")
        ):
            indices += tree.subtree(extra.index)
    return _content(tree, _without_edges(tree, sorted(indices), cue), "object")


_BACK_REFERENCES = lexicon.words("this that these those it such the same")


def _refers_back(tree: Tree, indices: list[int]) -> bool:
    """A short object that points back at something said before ("this sentiment")."""
    words = [tree.tokens[k] for k in indices if tree.tokens[k].upos not in {"PUNCT"}]
    return 0 < len(words) <= 3 and words[0].text.lower() in _BACK_REFERENCES


def noun_complement(tree: Tree, cue: Cue, marks: Sequence[MarkedSpan]) -> Content | None:
    """A statement noun's complement ("the claim [that ...]", "declaration of [opposition]")."""
    for child in tree.children(cue.head, "acl", "ccomp", "nmod", "appos"):
        relation = base_relation(child.deprel)
        if relation == "acl" and _reporting_participle(tree, child):
            continue
        cases = tree.children(child.index, "case")
        if relation == "nmod" and not any(
            t.text.lower() in {"of", "on", "about", "to", "against", "for"} for t in cases
        ):
            continue
        indices = tree.subtree(child.index, without=[t.index for t in cases])
        indices += _split_complement(tree, cue, indices)
        return _content(tree, _without_edges(tree, sorted(indices), cue), "noun_complement")
    return None


def quote_after_credit(tree: Tree, cue: Cue, marks: Sequence[MarkedSpan]) -> Content | None:
    """ "The pier closed because, in Okoro's words, “nobody would pay”": a quote right after
    the credit phrase is what it credits, not the clause around it."""
    if cue.rule != "in_words":
        return None
    phrase = tree.head(cue.head)
    if phrase is None:
        return None
    end = tree.tokens[max(tree.subtree(phrase))].end
    for mark in marks:
        gap = [t for t in tree.tokens if end <= t.start < mark.outer_start]
        if (
            mark.outer_start >= end
            and all(t.upos in {"PUNCT", "SYM"} for t in gap)
            and len(gap) <= 3
        ):
            return Content(((mark.start, mark.end),), "adjacent_quote")
    return None


def _split_complement(tree: Tree, cue: Cue, indices: list[int]) -> list[int]:
    """ "declaration of [opposition] [to all forms of hegemonism]": the parser hung the
    complement's own complement on the statement noun; an nmod of the noun that goes on right
    where the complement ends continues it."""
    extra: list[int] = []
    end = max(indices)
    for child in tree.children(cue.head, "nmod"):
        words = tree.subtree(child.index)
        if child.index > end and words[0] == end + 1:
            extra += words
            end = max(words)
    return extra


def _reporting_participle(tree: Tree, tok: Token) -> bool:
    """ "a statement saying ...": the participle is a speech cue of its own and reports the
    words; the noun's complement is not what was said twice ("commitment to opposing ..."
    is)."""
    if not tok.text.lower().endswith("ing") or tree.children(tok.index, "case", "mark"):
        return False
    return lexicon.cue_lemma(tok.text, tok.lemma) in lexicon.SPEECH_VERBS


def object_then_quote(tree: Tree, cue: Cue, marks: Sequence[MarkedSpan]) -> Content | None:
    """ "saying the levy “has no place here”": the cue's object, then quoted words that go on
    with its clause (the parser hung them elsewhere): together they are what was said."""
    objects = [t for t in tree.children(cue.head, "obj") if t.index > cue.head]
    if not objects:
        return None
    words = [k for k in tree.subtree(objects[0].index) if tree.tokens[k].upos != "PUNCT"]
    if words[0] != cue.head + 1 or words[-1] + 1 >= len(tree.tokens):
        return None
    after = tree.tokens[words[-1] + 1]
    mark = next((m for m in marks if m.outer_start == after.start), None)
    if mark is None or not tree.span(words)[1] <= mark.outer_start or not _lower_start(tree, mark):
        return None
    return Content(((tree.tokens[words[0]].start, mark.end),), "object_then_quote")


def _lower_start(tree: Tree, mark: MarkedSpan) -> bool:
    """Quoted words that open in lower case go on with the clause before them."""
    inner = tree.token_at(mark.start)
    return inner is not None and inner.text[:1].islower()


def modified_clause(tree: Tree, cue: Cue, marks: Sequence[MarkedSpan]) -> Content | None:
    """The clause an "according to X" / "per X" / "as reported by X" phrase modifies, without
    the phrase."""
    if cue.rule == "as_reported":  # "as reported by X" hangs from the clause itself
        clause = tree.head(cue.head)
        if clause is None:
            return None
        top = clause
        while tree.head(top) is not None and tree.relation(top) in {"advcl", "xcomp", "conj"}:
            top = tree.head(top) or top
        indices = tree.subtree(top, without=[cue.head])
        return _content(tree, _without_edges(tree, indices, cue), "according_clause")
    source = tree.head(cue.head)
    if source is None:
        return None
    clause = tree.head(source)
    if clause is None:
        # The phrase hangs from the root noun: the rest of the sentence is the content.
        indices = [k for k in range(len(tree.tokens)) if not tree.dominates(source, k)]
    else:
        indices = tree.subtree(clause, without=[source])
    return _content(tree, _without_edges(tree, indices, cue), "according_clause")


def misread_object(tree: Tree, cue: Cue, marks: Sequence[MarkedSpan]) -> Content | None:
    """ "The Ortegas’ lawyer repeated [demands to reopen the harbour]": a finite verb the parser
    read as an adjective reports the noun it was hung on (see cues.finite_modifier)."""
    head = tree.head(cue.head)
    if not finite_modifier(tree, cue.head) or head is None or head < cue.head:
        return None
    return _content(tree, _without_edges(tree, tree.subtree(head), cue), "misread_object")


CONTENT_RULES: dict[str, tuple[ContentRule, ...]] = {
    "speech": (
        adjacent_quote,
        trailing_quote,
        complement_clause,
        asked_question,
        headline_rest,
        listener_clause,
        as_saying,
        reported_clause,
        particle_object,
        infinitive,
        object_content,
        misread_object,
        object_then_quote,
    ),
    "cognition": (adjacent_quote, complement_clause, reported_clause),
    "stance": (
        adjacent_quote,
        complement_clause,
        attitude,
        particle_object,
        infinitive,
        object_content,
        reported_clause,
        misread_object,
    ),
    "document": (complement_clause, object_content),
    "noun": (noun_complement,),
    "phrase": (quote_after_credit, modified_clause),
}
"""Which content rules a cue kind tries, in order."""


def content_of(tree: Tree, cue: Cue, marks: Sequence[MarkedSpan] = ()) -> Content | None:
    """The content of ``cue`` by the first rule of its kind that finds one."""
    for rule in CONTENT_RULES.get(cue.kind, ()):
        found = rule(tree, cue, marks)
        if found is not None:
            return found
    return None
