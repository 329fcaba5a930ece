"""Stage 4, source: who reports, read from the dependency parse.

Each rule is a named function ``(tree, cue) -> Source | None``:

- ``quoted_as_saying``: "Xinhua quoted [Wang] as saying": the quoted person speaks, the quoting
  outlet carries it;
- ``agent``: the agent of a passive ("was reported [by KCNA]");
- ``subject``: the cue's subject, or for a participle or infinitive the subject of the clause it
  hangs from ("[Wang] echoed this, highlighting ...");
- ``possessor``: a statement noun's possessor ("[Wang Yi]'s declaration");
- ``phrase_object``: the object of "according to" / "per";
- ``between_quote_and_cue``: every word between a quote and the cue that closes it;
- ``as_clause_subject``: "As [the mayor] put it", the speaker the parser read as an object;
- ``noun_tag_subject``: "[The council] states that", the subject of a verb tagged a noun;
- ``opening_inverted_subject``: "Said Roca, “...”": the name after a cue opening its sentence;
- ``issuer``: "Ruiz issued a statement saying ...": whoever put the statement out;
- ``opening_noun_before_aside``: "Fans, angry about ..., shouted": the noun the parser made
  the root, before a long aside;
- ``quantity_subject``: "About 9 percent said": a share of people taken for an oblique;
- ``left_noun_phrase`` and ``inverted_subject``: the names next to a cue the parser gave no
  subject, read off the words.

The mention is the source word's phrase: its subtree without relative clauses and without the
content (a subject never includes what it says).

Example:
    >>> from quotes.extraction.testing import parsed, first_cue
    >>> doc = parsed("Chinese Foreign Minister Wang Yi said the talks went well.")
    >>> tree, cue = first_cue(doc)
    >>> source = source_of(tree, cue)
    >>> source.rule, doc.text[source.span[0]:source.span[1]]
    ('subject', 'Chinese Foreign Minister Wang Yi')
"""

from __future__ import annotations

import re
from collections.abc import Callable

from quotes import lexicon
from quotes.extraction.marks import QUOTE_CHARS
from quotes.extraction.model import Content, Cue, Source
from quotes.extraction.syntax import SUBJECTS, Tree, base_relation, speaker_like
from quotes.records import Token

SourceRule = Callable[[Tree, Cue, Content | None], Source | None]

# Parts of a noun phrase that are not the speaker's mention.
_CLAUSE_PARTS = frozenset(
    {"acl:relcl", "acl", "parataxis", "ccomp", "advcl", "punct", "case", "mark", "cc"}
)
_QUOTING_LEMMAS = frozenset({"quote", "cite"})
_MAX_MENTION_WORDS = 25


# "Senator Ann Okoro, D-Maine,": a party and state tag describes the speaker; it is no name.
_PARTY_TAG = re.compile(r"[DRI]-[A-Z][A-Za-z.]+")
_POSSESSIVE_MARKS = frozenset({"'s", "’s", "'", "’"})
_DATELINE_BREAKS = frozenset({"—", "―", "–", "--", "-", "(", ")"})


def mention(tree: Tree, head: int, rule: str) -> Source:
    """The source mention headed by word ``head``: its phrase, relative clauses left out, and
    nothing before a dash ("WASHINGTON (UPI) — Ann Lee told ...": the dateline is no speaker).
    A second conjunct stands for the whole coordination ("Choe Son Hui and Wang Yi")."""
    while tree.relation(head) == "conj" and tree.head(head) is not None:
        first = tree.head(head)
        assert first is not None
        if tree.tokens[first].upos not in {"PROPN", "NOUN", "PRON"}:
            break
        head = first
    drop = [
        t.index
        for t in tree.children(head)
        if (
            t.deprel in _CLAUSE_PARTS
            and not (t.deprel == "punct" and t.index > head)
            and not _restrictive_relative(tree, head, t)
        )
        or _time_modifier(tree, t)
        or _PARTY_TAG.fullmatch(t.text)
        or _set_off_aside(tree, head, t)
    ]
    indices = tree.subtree(head, without=drop)
    breaks = [k for k in indices if k < head and tree.tokens[k].text in _DATELINE_BREAKS]
    if breaks:
        indices = [k for k in indices if k > breaks[-1]]
    indices = _without_dateline_head(tree, indices)
    while len(indices) > 1 and tree.tokens[indices[-1]].text in _POSSESSIVE_MARKS:
        indices = indices[:-1]  # "Ana Ruiz’s declaration": the speaker is Ana Ruiz
    # A long phrase is cut to the words nearest the head: a subject never runs on for a line.
    if len(indices) > _MAX_MENTION_WORDS:
        indices = [k for k in indices if abs(k - head) <= _MAX_MENTION_WORDS // 2]
    return Source(tree.span(indices), head, rule)


# Prepositions of a speaker's origin or affiliation ("Lee, of the Harbour Institute,").
_AFFILIATION_CASES = frozenset({"of", "from", "with"})


def _set_off_aside(tree: Tree, head: int, tok: Token) -> bool:
    """ "Choe, for her part, expressed ...", "Lee, meanwhile, said", "Ruiz, in turn,": a phrase
    after the name set off by a comma says how the sentence goes on; it is no part of the
    mention (an affiliation, "of the Harbour Institute", is)."""
    if tok.index <= head:
        return False
    words = tree.subtree(tok.index)
    if tree.tokens[words[0] - 1].text != "," and tree.tokens[words[0]].text != ",":
        return False
    solid = [k for k in words if tree.tokens[k].upos != "PUNCT"]
    if tok.text.lower() in lexicon.DISCOURSE_ASIDES and len(solid) <= 2:
        return True  # "Okoro, meanwhile, said", whatever the parser made of "meanwhile"
    if base_relation(tok.deprel) not in {"nmod", "obl", "advmod"}:
        return False
    if tok.upos == "ADV":
        return True
    cases = [t.text.lower() for t in tree.children(tok.index, "case")]
    return bool(cases) and cases[0] not in _AFFILIATION_CASES


def _restrictive_relative(tree: Tree, head: int, clause: Token) -> bool:
    """ "A harbour official who spoke on background said ...": a relative clause right after a
    common noun, with no comma, says which one speaks and is part of the mention; one that
    reports ("the official who said ...") is a quote of its own."""
    if clause.deprel != "acl:relcl" or tree.tokens[head].upos != "NOUN":
        return False
    words = tree.subtree(clause.index)
    if words[0] <= head or tree.tokens[words[0] - 1].upos == "PUNCT":
        return False
    if tree.tokens[words[0]].text.lower() not in {"who", "that"}:
        return False
    return not any(lexicon.cue_lemma(tree.tokens[k].text, tree.tokens[k].lemma) for k in words)


def _without_dateline_head(tree: Tree, indices: list[int]) -> list[int]:
    """ "PORTLAND - Ann Okoro thanked ...": the parser made the dateline (a word in capitals,
    then a dash) the head of the name after it; the name is the mention."""
    if len(indices) < 3 or not tree.tokens[indices[0]].text.isupper():
        return indices
    dash = next((n for n, k in enumerate(indices) if tree.tokens[k].text in _DATELINE_BREAKS), None)
    if dash is None or dash + 1 >= len(indices):
        return indices
    if not all(tree.tokens[k].text.isupper() for k in indices[:dash]):
        return indices
    return indices[dash + 1 :]


def _time_modifier(tree: Tree, tok: Token) -> bool:
    """ "Okoro on Friday described ...": a date the parser hung on the speaker's name."""
    return (
        base_relation(tok.deprel) in {"nmod", "obl"}
        and (tok.lemma or tok.text).lower() in lexicon.TIME_WORDS
    )


def quoted_as_saying(tree: Tree, cue: Cue, content: Content | None) -> Source | None:
    """ "Xinhua quoted Wang as saying ...": Wang speaks, Xinhua is the outlet."""
    head = tree.head(cue.head)
    if head is None or (tree.tokens[head].lemma or "").lower() not in _QUOTING_LEMMAS:
        return None
    quoted = tree.children(head, "obj") or tree.children(head, "nsubj:pass")
    if not quoted:
        return None
    source = mention(tree, quoted[0].index, "quoted_as_saying")
    carrier = tree.children(head, "nsubj")
    outlet = mention(tree, carrier[0].index, "carrier").span if carrier else None
    return Source(source.span, source.head, source.rule, outlet)


def agent(tree: Tree, cue: Cue, content: Content | None) -> Source | None:
    """The agent of a passive cue ("was reported by KCNA")."""
    agents = tree.children(cue.head, "obl:agent")
    if not agents:
        return None
    return mention(tree, agents[0].index, "agent")


def subject(tree: Tree, cue: Cue, content: Content | None) -> Source | None:
    """The subject of the cue, or of the clause a subjectless participle hangs from; a relative
    pronoun stands for the noun its clause describes ("Lee, who said ...")."""
    if tree.children(cue.head, "nsubj:pass") or _asked_of_the_subject(tree, cue):
        return None  # "Lee was told that ...": the subject listened
    found = _past_the_quote(tree, cue.head, tree.subject(cue.head))
    if found is not None and _quoted(found.start, content):
        return None  # "“The clinic reopens,” said Ann Lee": the quoted words are what was said
    if found is None:
        for above in tree.ancestors(cue.head)[:3]:
            if base_relation(tree.relation(cue.head)) not in {"advcl", "xcomp", "conj"}:
                break
            lifted = left_noun_phrase(
                tree, Cue(cue.sentence, above, cue.span, cue.lemma, cue.kind, cue.rule), None
            )
            if lifted is not None:
                return lifted
        return _participle_owner(tree, cue)
    if (found.lemma or "").lower() in lexicon.TIME_WORDS:
        return None  # "who last year threatened": the parser took a time for the subject
    if is_relative_pronoun(tree, found.index):
        antecedent = _antecedent(tree, found.index)
        if antecedent is not None:
            return mention(tree, antecedent, "relative_subject")
    subjects = [
        t
        for t in tree.children(cue.head, "nsubj")
        if t.index < cue.head and "Reflex=Yes" not in (t.feats or "")
    ]  # "Okoro himself said": the reflexive only stresses the subject
    if subjects and "Reflex=Yes" in (found.feats or ""):
        found = subjects[-1]
    if len(subjects) > 1:
        # "Choe Son Hui and Wang Yi have agreed", parsed as two subjects: one mention of both
        first, last = mention(tree, subjects[0].index, "subject"), mention(tree, found.index, "")
        return Source((first.span[0], last.span[1]), found.index, "subject")
    return mention(tree, found.index, "subject")


def _past_the_quote(tree: Tree, cue: int, found: Token | None) -> Token | None:
    """ "Okoro said, “I have never seen worse,” adding that ...": a participle the parser hung
    on the quoted clause (or on a noun in it) has the subject of the clause that quotes it; the
    quote's own words ("I", "position") are the quoted speaker's, not the adder."""
    if found is None or found.index > cue:
        return found
    if not any(_is_mark(t.text) for t in tree.tokens[found.index + 1 : cue]):
        return found
    # From a subject, the clause it opens; from a noun the participle describes, that noun.
    clause = tree.head(found.index) if tree.relation(found.index) in SUBJECTS else found.index
    above = tree.head(clause) if clause is not None and clause != cue else None
    outer = tree.subject(above) if above is not None else None
    return outer if outer is not None and outer.index < found.index else found


def _is_mark(word: str) -> bool:
    return bool(word) and all(c in QUOTE_CHARS for c in word)


_QUOTE_CONTENTS = frozenset({"adjacent_quote", "trailing_quote"})


def _quoted(offset: int, content: Content | None) -> bool:
    """Is ``offset`` inside the quoted words a cue reports?"""
    if content is None or content.rule not in _QUOTE_CONTENTS:
        return False
    return any(start <= offset < end for start, end in content.spans)


_OPENING_MARKS = lexicon.words("when if after once as before until while")


def _asked_of_the_subject(tree: Tree, cue: Cue) -> bool:
    """ "When asked whether the ferry would run, Okoro said ...": a listener verb with no
    subject or auxiliary of its own, opened by "when", is a passive; the clause's subject was
    asked, and who asked is not said."""
    if cue.lemma not in lexicon.LISTENER_CUES or tree.children(cue.head, "nsubj", "aux"):
        return False
    if base_relation(tree.relation(cue.head)) != "advcl":
        return False
    opening = tree.children(cue.head, "mark", "advmod")
    return any(t.index < cue.head and t.text.lower() in _OPENING_MARKS for t in opening)


def _participle_owner(tree: Tree, cue: Cue) -> Source | None:
    """ "with Ann Lee calling the plan a disaster", "about Pope Francis calling ...": a
    participle describing a noun has that noun for its speaker."""
    tok = tree.tokens[cue.head]
    if not tok.text.lower().endswith("ing"):
        return None
    before = cue.head - 1
    while before >= 0 and tree.tokens[before].upos == "ADV":
        before -= 1
    if before >= 0 and tree.tokens[before].upos in {"PROPN", "NOUN"}:
        owner = before
        up = tree.head(owner)
        # index 0 is a head too: "tree.head(owner) or owner" looped forever on it
        while up is not None and tree.relation(owner) in {"flat", "compound"}:
            owner, up = up, tree.head(up)
        return mention(tree, owner, "participle_owner")
    return None


def _antecedent(tree: Tree, pronoun: int) -> int | None:
    """The noun a relative clause describes: the head of the clause holding ``pronoun``."""
    for above in tree.ancestors(pronoun):
        if tree.relation(above).startswith("acl"):
            return tree.head(above)
    return _noun_before_comma(tree, pronoun)


def _noun_before_comma(tree: Tree, pronoun: int) -> int | None:
    """ "signed by Tom Perez, who said ...": a relative clause the parser coordinated with the
    main verb still describes the name right before its comma."""
    if pronoun < 2 or tree.tokens[pronoun - 1].text != ",":
        return None
    noun = pronoun - 2
    if tree.tokens[noun].upos not in {"PROPN", "NOUN"}:
        return None
    for _ in range(len(tree.tokens)):
        up = tree.head(noun)
        if up is None or tree.relation(noun) not in {"flat", "compound"}:
            break
        noun = up
    return noun


def inverted_subject(tree: Tree, cue: Cue, content: Content | None) -> Source | None:
    """ "..., said Senator Ann Lee, a Democrat": the noun phrase right after a cue that ends a
    quote's sentence, when the parser gave the cue no subject."""
    if cue.head + 1 >= len(tree.tokens) or tree.tokens[cue.head].text.lower().endswith("ing"):
        return None
    if content is not None and content.start > tree.tokens[cue.head].start:
        return None  # what follows the cue is what was said, not who said it
    before = tree.tokens[cue.head - 1] if cue.head > 0 else None
    if before is None or before.upos != "PUNCT":
        return None
    nxt = tree.tokens[cue.head + 1]
    if nxt.upos not in {"PROPN", "NOUN", "DET", "PRON", "ADJ", "NUM"}:
        return None
    end = cue.head + 1
    while end + 1 < len(tree.tokens) and tree.tokens[end + 1].upos not in {"PUNCT", "VERB", "AUX"}:
        end += 1
    end = _described_speaker_end(tree, end)
    return Source(tree.span(range(cue.head + 1, end + 1)), cue.head + 1, "inverted_subject")


def _described_speaker_end(tree: Tree, end: int) -> int:
    """ "said a board member who supports the mayor", "said one commuter waiting at the pier":
    a relative clause or a participle right after the inverted speaker's noun (no comma
    between) says which one it is and runs to the next comma or the sentence's end. A
    participle after a name says how it was said ("said Lee speaking to reporters"): not it."""
    if tree.tokens[end].text.lower() in {"who", "that"} and end > 0:
        end -= 1  # the words before a verb ran on into the relative pronoun
    if end + 1 >= len(tree.tokens):
        return end
    nxt, noun = tree.tokens[end + 1], tree.tokens[end]
    relative = nxt.text.lower() in {"who", "that"} and nxt.upos == "PRON"
    participle = nxt.upos == "VERB" and nxt.text.lower().endswith("ing") and noun.upos == "NOUN"
    if not (relative or participle):
        return end
    last = end + 1
    while last + 1 < len(tree.tokens) and tree.tokens[last + 1].upos != "PUNCT":
        last += 1
    if not speaker_like(tree, list(range(end - (end > 0), last + 1))):
        return end
    return last


def opening_inverted_subject(tree: Tree, cue: Cue, content: Content | None) -> Source | None:
    """ "Said Roca, “We will open it.”": a speech verb opening its sentence, then a name and a
    comma or colon before a quote: the name speaks (the parser took the quote's own subject
    for the cue's)."""
    if cue.head != 0 or cue.kind != "speech" or not tree.tokens[0].text[:1].isupper():
        return None
    end = 1
    while end < len(tree.tokens) and tree.tokens[end].upos in _INVERTED_NAME_UPOS:
        end += 1
    if end == 1 or end + 1 >= len(tree.tokens) or tree.tokens[end].text not in {",", ":"}:
        return None
    if not all(c in QUOTE_CHARS for c in tree.tokens[end + 1].text):
        return None  # only a quote may follow: "Asked questions, Lee said ..." is no speaker
    if not any(tree.tokens[k].upos in {"PROPN", "NOUN"} for k in range(1, end)):
        return None
    return Source(tree.span(range(1, end)), end - 1, "opening_inverted_subject")


_INVERTED_NAME_UPOS = frozenset({"PROPN", "NOUN", "DET", "ADJ", "NUM"})


def issuer(tree: Tree, cue: Cue, content: Content | None) -> Source | None:
    """ "Ruiz issued a statement saying ...", "The campaign sent a text message saying ...": a
    statement put out by someone speaks for them; whoever issued it is the speaker (someone
    who received or cited it is not, so only verbs of issuing count)."""
    if base_relation(tree.relation(cue.head)) != "acl":
        return None
    noun = tree.head(cue.head)
    if noun is None or base_relation(tree.relation(noun)) != "obj":
        return None
    lemma = (tree.tokens[noun].lemma or tree.tokens[noun].text).lower()
    if lemma not in lexicon.STATEMENT_NOUNS and lemma not in lexicon.DOCUMENT_SOURCES:
        return None
    verb = tree.head(noun)
    if verb is None or (tree.tokens[verb].lemma or "").lower() not in lexicon.ISSUING_VERBS:
        return None
    found = tree.subject(verb)
    if found is None or found.deprel == "nsubj:pass":
        return None
    if is_relative_pronoun(tree, found.index):
        antecedent = _antecedent(tree, found.index)
        return mention(tree, antecedent, "issuer") if antecedent is not None else None
    return mention(tree, found.index, "issuer")


def opening_noun_before_aside(tree: Tree, cue: Cue, content: Content | None) -> Source | None:
    """ "Fans, angry about the delay ..., shouted, “Replay it!”": the parser made the opening
    noun the sentence's root and hung the cue on the aside's last noun; the opening noun, set
    off by the aside's comma, speaks."""
    if cue.kind != "speech" or tree.tokens[cue.head].text.lower().endswith("ing"):
        return None
    if cue.head == 0 or tree.tokens[cue.head - 1].text != ",":
        return None
    if any(not _quoted(t.start, content) for t in tree.children(cue.head, "nsubj", "csubj")):
        return None
    root = next((t.index for t in tree.tokens if t.head == -1), None)
    if root is None or root >= cue.head or tree.tokens[root].upos not in {"NOUN", "PROPN"}:
        return None
    if not tree.dominates(root, cue.head) or tree.tokens[root + 1].text != ",":
        return None
    start = root
    while start > 0 and tree.dominates(root, start - 1):
        start -= 1
    return Source(tree.span(range(start, root + 1)), root, "opening_noun_before_aside")


def quantity_subject(tree: Tree, cue: Cue, content: Content | None) -> Source | None:
    """ "About 9 percent said ...": a share of the people asked, which the parser took for an
    oblique because of its "about", right before a cue with no subject, is the subject."""
    if tree.subject(cue.head) is not None:
        return None
    for obl in tree.children(cue.head, "obl"):
        words = tree.subtree(obl.index)
        lemma = (obl.lemma or obl.text).lower()
        if words[-1] == cue.head - 1 and lemma in lexicon.PEOPLE_QUANTIFIERS:
            return mention(tree, obl.index, "quantity_subject")
    return None


def possessor(tree: Tree, cue: Cue, content: Content | None) -> Source | None:
    """The possessor of a statement noun ("Wang Yi's declaration")."""
    if cue.kind != "noun":
        return None
    owners = tree.children(cue.head, "nmod:poss")
    if not owners:
        return None
    return mention(tree, owners[0].index, "possessor")


def phrase_object(tree: Tree, cue: Cue, content: Content | None) -> Source | None:
    """The object of "according to" / "per" (the phrase's head noun)."""
    if cue.kind != "phrase":
        return None
    if cue.rule == "in_words":  # "in Okoro's words": the possessor
        noun = tree.head(cue.head)
        owners = tree.children(noun, "nmod:poss") if noun is not None else []
        return mention(tree, owners[0].index, "phrase_object") if owners else None
    if cue.rule == "as_reported":  # "as reported by KCNA"
        objects = tree.children(cue.head, "obl:agent", "obl")
        return mention(tree, objects[0].index, "phrase_object") if objects else None
    head = tree.head(cue.head)
    if head is None:
        return None
    return mention(tree, head, "phrase_object")


def between_quote_and_cue(tree: Tree, cue: Cue, content: Content | None) -> Source | None:
    """ "“...,” Ann Lee, 58, of Lagos, said", "“...,” former planning director Ada Moss wrote":
    every word between a quote and the cue that closes it names the speaker, whatever the
    parser made of them (a title it took for a verb, an appositive, a relative clause)."""
    if content is None or content.rule not in {"adjacent_quote", "trailing_quote"}:
        return None
    cue_start = tree.tokens[cue.head].start
    if content.end > cue_start:
        return None
    words = [
        t.index
        for t in tree.tokens
        if content.end < t.start < cue_start and t.upos not in {"PUNCT", "SYM"}
    ]
    while words and tree.tokens[words[-1]].upos == "ADV":
        words.pop()  # "“...,” Lee later said"
    if not words or not speaker_like(tree, words):
        return None
    head = tree.subject(cue.head)
    at = head.index if head is not None and head.index in words else words[-1]
    return Source(tree.span(range(words[0], words[-1] + 1)), at, "between_quote_and_cue")


_NOUN_PHRASE_UPOS = frozenset({"PROPN", "NOUN", "ADJ", "DET", "NUM", "CCONJ", "PART", "PRON"})


def left_noun_phrase(tree: Tree, cue: Cue, content: Content | None) -> Source | None:
    """ "..., Xi Jinping and Kim Jong Un emphasized ...": the names right before a verb the
    parser gave no subject, read off the words."""
    if tree.children(cue.head, "nsubj", "nsubj:pass", "csubj", "expl"):
        return None
    end = cue.head - 1
    while end >= 0 and tree.tokens[end].upos == "ADV":
        end -= 1
    start = end
    while start >= 0 and tree.tokens[start].upos in _NOUN_PHRASE_UPOS:
        start -= 1
    start += 1
    if start > end or tree.tokens[start].upos in {"CCONJ", "PART"}:
        return None
    words = tree.tokens[start : end + 1]
    if not any(t.upos == "PROPN" for t in words) or tree.tokens[end].upos not in {"PROPN", "NOUN"}:
        return None
    return Source(tree.span(range(start, end + 1)), end, "left_noun_phrase")


def noun_tag_subject(tree: Tree, cue: Cue, content: Content | None) -> Source | None:
    """ "[The council] states that ...", "[Okoro] points out that ...": with the verb tagged a
    noun, its subject hangs from it as a determiner or compound; those words name the speaker."""
    if cue.rule != "noun_tagged_verb" and not (
        tree.tokens[cue.head].upos == "NOUN" and cue.kind != "noun"
    ):
        return None
    before = [
        c.index
        for c in tree.children(cue.head, "det", "compound", "nmod:poss", "amod")
        if c.index < cue.head
    ]
    if not before or not any(
        tree.tokens[k].upos in {"NOUN", "PROPN"} for c in before for k in tree.subtree(c)
    ):
        return None
    words = [k for c in before for k in tree.subtree(c)]
    return Source(tree.span(words), max(before), "noun_tag_subject")


def as_clause_subject(tree: Tree, cue: Cue, content: Content | None) -> Source | None:
    """ "As the mayor put it, ...": the parser read "as" as a preposition and the speaker as
    its object; a cue with no subject of its own has the noun after an opening "as" for one."""
    if tree.children(cue.head, "nsubj", "nsubj:pass", "csubj"):
        return None
    for child in tree.children(cue.head, "obl"):
        cases = tree.children(child.index, "case")
        if (
            child.index < cue.head
            and cases
            and cases[0].text.lower() == "as"
            and child.upos in {"NOUN", "PROPN", "PRON"}
        ):
            return mention(tree, child.index, "as_clause_subject")
    return None


SOURCE_RULES: tuple[SourceRule, ...] = (
    quoted_as_saying,
    phrase_object,
    possessor,
    agent,
    between_quote_and_cue,
    opening_inverted_subject,
    issuer,
    opening_noun_before_aside,
    subject,
    as_clause_subject,
    noun_tag_subject,
    quantity_subject,
    left_noun_phrase,
    inverted_subject,
)
"""The source rules in the order they are tried; the first that finds a source wins."""


def source_of(tree: Tree, cue: Cue, content: Content | None = None) -> Source | None:
    """The source of ``cue`` by the first rule that finds one."""
    for rule in SOURCE_RULES:
        found = rule(tree, cue, content)
        if found is not None:
            return found
    return None


def is_relative_pronoun(tree: Tree, index: int) -> bool:
    """True for "who"/"which" standing for the noun a relative clause describes."""
    tok = tree.tokens[index]
    return "PronType=Rel" in (tok.feats or "") or (
        tok.text.lower() in {"who", "which", "that"}
        and base_relation(tree.relation(index)) == "nsubj"
    )
