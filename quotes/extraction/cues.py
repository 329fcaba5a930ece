"""Stage 2, cues: the predicates that report speech, read from the dependency parse.

A cue is a verb of speech, cognition or stance ("said", "believes", "echoed"), a statement noun
("Wang Yi's declaration of ..."), an attribution phrase ("according to", "per") or any verb
closing a sentence right after a quote and a short subject ("“...,” he mocks."). Each rule is a
named function ``(tree, index, sentence) -> Cue | None``; :data:`CUE_RULES` lists them in the
order they are tried, and the first that accepts a word makes it a cue. Words inside quote marks
are never cues here: a quoted sentence's own verbs belong to what was said.

Example:
    >>> from quotes.extraction.testing import parsed
    >>> doc = parsed("Wang said the talks went well.")
    >>> [(c.lemma, c.kind) for c in find_cues(doc, inside_marks=lambda offset: False)]
    [('say', 'speech')]
"""

from __future__ import annotations

from collections.abc import Callable

from quotes import lexicon
from quotes.extraction.marks import QUOTE_CHARS
from quotes.extraction.model import Cue, CueKind
from quotes.extraction.syntax import Tree, base_relation
from quotes.records import ParsedDoc, Token

CueRule = Callable[[Tree, int, int], Cue | None]

# A verb form the tagger calls something else still reports in a clause-level position
# ("said" tagged ADJ at the root of a short sentence).
_CLAUSE_RELATIONS = frozenset({"root", "parataxis", "ccomp", "conj", "advcl", "acl", "xcomp"})
_NOT_PREDICATES = frozenset({"amod", "compound", "case", "mark", "fixed", "flat", "det"})


def _verb_kind(lemma: str) -> CueKind:
    if lemma in lexicon.SPEECH_VERBS:
        return "speech"
    if lemma in lexicon.COGNITION_VERBS:
        return "cognition"
    if lemma in lexicon.STANCE_VERBS or lemma in lexicon.INFINITIVE_VERBS:
        return "stance"
    return "document"


def _cue(tree: Tree, sentence: int, i: int, lemma: str, kind: CueKind, rule: str) -> Cue:
    tok = tree.tokens[i]
    return Cue(sentence, i, (tok.start, tok.end), lemma, kind, rule)


def speech_verb(tree: Tree, i: int, sentence: int) -> Cue | None:
    """A verb of speech, cognition or stance used as a predicate ("said", "echoed")."""
    tok = tree.tokens[i]
    lemma = lexicon.cue_lemma(tok.text, tok.lemma)
    if lemma is None or (tok.deprel in _NOT_PREDICATES and not finite_modifier(tree, i)):
        return None
    if tok.upos != "VERB" and base_relation(tok.deprel) not in _CLAUSE_RELATIONS:
        return None
    if tok.upos in {"NOUN", "PROPN"} and tok.text.lower() in lexicon.STATEMENT_NOUNS:
        return None
    if _describing_participle(tree, i, lemma) or _withheld_answer(tree, i):
        return None
    kind = _verb_kind(lemma)
    if (kind == "stance" and _inside_a_report(tree, i)) or _title_head(tree, i, kind):
        return None
    if _purpose_infinitive(tree, i) or _naming_participle(tree, i, lemma):
        return None
    return _cue(tree, sentence, i, lemma, kind, "speech_verb")


def _title_head(tree: Tree, i: int, kind: CueKind) -> bool:
    """ "on the “Harbour Hour” show": a document verb right after a quoted title, with no
    subject, is the noun the title names (the tagger took "show" for a verb)."""
    if kind != "document" or i == 0 or tree.children(i, "nsubj", "nsubj:pass"):
        return False
    before = tree.tokens[i - 1].text
    return bool(before) and all(c in QUOTE_CHARS for c in before)


def _inside_a_report(tree: Tree, i: int) -> bool:
    """ "Okoro said that the farmers rejected the levy outright": a stance verb in the clause
    another verb reports is part of what was said, not a second quote."""
    head = tree.head(i)
    if head is None or base_relation(tree.relation(i)) != "ccomp":
        return False
    governing = tree.tokens[head]
    return _verb_kind(lexicon.cue_lemma(governing.text, governing.lemma) or "") in {
        "speech",
        "cognition",
    }


def _naming_participle(tree: Tree, i: int, lemma: str) -> bool:
    """ "a ferry called “Sea Lark”", "a bus named Blue": a past participle of a naming verb
    hanging from a noun gives the noun its name; it reports nothing."""
    tok = tree.tokens[i]
    if lemma not in lexicon.NAMING_VERBS or base_relation(tok.deprel) != "acl":
        return False
    participle = "VerbForm=Part" in (tok.feats or "") and "Tense=Pres" not in (tok.feats or "")
    return participle and not tree.children(i, "nsubj", "nsubj:pass")


def _purpose_infinitive(tree: Tree, i: int) -> bool:
    """ "The ministers convened in Beijing to affirm their cooperation": an infinitive of purpose
    after a verb that reports nothing says why something was done, in the writer's words; no
    one is quoted saying it."""
    if base_relation(tree.relation(i)) != "advcl":
        return False
    if not any(t.text.lower() == "to" for t in tree.children(i, "mark")):
        return False
    head = tree.head(i)
    if head is None or tree.tokens[head].upos != "VERB":
        return False
    governing = tree.tokens[head]
    return lexicon.cue_lemma(governing.text, governing.lemma) is None


def finite_modifier(tree: Tree, i: int) -> bool:
    """ "The Ortegas’ lawyer repeated demands ...": a finite verb never modifies a noun; the
    parser, thrown by the lone possessive mark, read the verb as an adjective of its object.

    Example:
        >>> from quotes.records import Sentence, Token
        >>> verb = Token(0, "repeated", 0, 8, upos="VERB", head=1, deprel="amod",
        ...              feats="Mood=Ind|Tense=Past|VerbForm=Fin")
        >>> finite_modifier(Tree(Sentence(0, 0, 8, (verb,), parsed=True)), 0)
        True
    """
    tok = tree.tokens[i]
    return tok.deprel == "amod" and tok.upos == "VERB" and "VerbForm=Fin" in (tok.feats or "")


_WITHHOLDING = lexicon.words("decline refuse fail hesitate")


def _withheld_answer(tree: Tree, i: int) -> bool:
    """ "too busy to say whether ...", "declined to say if ...", "would not say whether ...":
    a question left unanswered is nothing said."""
    if not any(
        t.text.lower() in {"whether", "if"}
        for c in tree.children(i, "ccomp", "advcl")
        for t in tree.children(c.index, "mark")
    ):
        return False
    if any(t.text.lower() in {"not", "n't", "never"} for t in tree.children(i, "advmod")):
        return True
    head = tree.head(i)
    if head is None:
        return False
    governing = tree.tokens[head]
    too = any(t.text.lower() == "too" for t in tree.children(head, "advmod"))
    return (
        too
        or (governing.lemma or "").lower() in _WITHHOLDING
        or any(t.text.lower() in {"not", "n't", "never"} for t in tree.children(head, "advmod"))
    )


def _describing_participle(tree: Tree, i: int, lemma: str) -> bool:
    """ "..., emphasizing its stance", "..., signaling a show of unity": a participle of a verb
    that describes as much as it reports, hanging from a clause that reports nothing, is the
    writer's comment."""
    tok = tree.tokens[i]
    if lemma not in lexicon.EMPHASIS_VERBS or not tok.text.lower().endswith("ing"):
        return False
    head = tree.head(i)
    if head is None or tree.children(i, "nsubj"):
        return False
    governing = tree.tokens[head]
    return lexicon.cue_lemma(governing.text, governing.lemma) is None


def statement_noun(tree: Tree, i: int, sentence: int) -> Cue | None:
    """A noun naming a statement with a complement ("declaration of opposition to ...")."""
    tok = tree.tokens[i]
    lemma = (tok.lemma or tok.text).lower()
    if tok.upos != "NOUN" or lemma not in lexicon.STATEMENT_NOUNS:
        return None
    return _cue(tree, sentence, i, lemma, "noun", "statement_noun")


def according_to(tree: Tree, i: int, sentence: int) -> Cue | None:
    """ "according to X", "per X": X is the source of the clause the phrase modifies."""
    tok = tree.tokens[i]
    word = tok.text.lower()
    following = tree.tokens[i + 1].text.lower() if i + 1 < len(tree.tokens) else ""
    if word == "according" and following == "to":
        end = tree.tokens[i + 1].end
        return Cue(sentence, i, (tok.start, end), "according to", "phrase", "according_to")
    if word == "per" and tok.upos == "ADP" and base_relation(tok.deprel) == "case":
        return _cue(tree, sentence, i, "per", "phrase", "according_to")
    return None


def in_words(tree: Tree, i: int, sentence: int) -> Cue | None:
    """ "in Okoro's words, ...", "..., in Ruiz's view": a credit to the possessor, like
    "according to"."""
    tok = tree.tokens[i]
    head = tree.head(i)
    if tok.text.lower() != "in" or base_relation(tok.deprel) != "case" or head is None:
        return None
    noun = tree.tokens[head]
    if noun.text.lower() not in lexicon.CREDIT_NOUNS or not tree.children(head, "nmod:poss"):
        return None
    return _cue(tree, sentence, i, "in words", "phrase", "in_words")


_CREDIT_VERBS = frozenset({"state", "report", "say", "note", "write", "quote", "cite", "put"})


def as_reported(tree: Tree, i: int, sentence: int) -> Cue | None:
    """ "..., as stated in AP News", "as reported by KCNA": a credit, like "according to"."""
    tok = tree.tokens[i]
    lemma = lexicon.cue_lemma(tok.text, tok.lemma)
    if lemma not in _CREDIT_VERBS:
        return None
    if not any(t.text.lower() == "as" for t in tree.children(i, "mark")):
        return None
    if not tree.children(i, "obl", "obl:agent"):
        return None
    return _cue(tree, sentence, i, f"as {lemma}", "phrase", "as_reported")


def put_it(tree: Tree, i: int, sentence: int) -> Cue | None:
    """ "As the mayor put it, “...”", "The mayor put it plainly: “...”": "put it" says the
    words that follow, in the speaker's own phrasing; "put" alone puts things."""
    tok = tree.tokens[i]
    if tok.text.lower() not in {"put", "puts"} or tok.upos != "VERB":
        return None
    it = tree.tokens[i + 1] if i + 1 < len(tree.tokens) else None
    if it is None or it.text.lower() != "it" or it.head != i:
        return None
    after = i + 2
    while after < len(tree.tokens) and tree.tokens[after].upos == "ADV":
        after += 1  # "put it plainly:", "put it this way:" is read by the colon rule
    as_ = any(
        t.text.lower() == "as" for c in tree.children(i) for t in [c, *tree.children(c.index)]
    )
    colon = after < len(tree.tokens) and tree.tokens[after].text in {":", ","}
    if not (as_ or colon):
        return None  # "put it on the table"
    return Cue(sentence, i, (tok.start, it.end), "say", "speech", "put_it")


def noun_tagged_verb(tree: Tree, i: int, sentence: int) -> Cue | None:
    """ "Okoro points out that ...", "The council states that ...": a form that is mostly a noun
    ("states", "points") reports when "that" (or its particle, then "that") follows it, whatever
    the tagger called it."""
    tok = tree.tokens[i]
    form = tok.text.lower()
    allowed = lexicon.NOUN_FIRST_FORMS.get(form)
    lemma = lexicon.reporting_lemma(form)
    if not allowed or lemma is None or tok.upos != "NOUN":
        return None
    following = [t.text.lower() for t in tree.tokens[i + 1 : i + 3]] + ["", ""]
    particle = following[0] != "that" and following[0] in allowed
    if following[0] != "that" and not (particle and following[1] == "that"):
        return None
    end = tree.tokens[i + 1].end if particle else tok.end
    return Cue(sentence, i, (tok.start, end), lemma, "speech", "noun_tagged_verb")


def noun_tagged_phrasal(tree: Tree, i: int, sentence: int) -> Cue | None:
    """ "As the council hints at what ...": a phrasal cue's verb tagged a noun, its subject
    hung on it as a compound ("council hints"), and its particle next is still the verb."""
    tok = tree.tokens[i]
    form = tok.text.lower()
    particles = lexicon.PARTICLE_CUE_FORMS.get(form)
    lemma = lexicon.reporting_lemma(form)
    if not particles or lemma is None or tok.upos != "NOUN" or not form.endswith("s"):
        return None
    if i + 1 >= len(tree.tokens) or tree.tokens[i + 1].text.lower() not in particles:
        return None
    if not any(c.index < i and c.upos in {"NOUN", "PROPN"} for c in tree.children(i, "compound")):
        return None
    return Cue(sentence, i, (tok.start, tok.end), lemma, "speech", "noun_tagged_verb")


def particle_verb(tree: Tree, i: int, sentence: int) -> Cue | None:
    """ "Ruiz pointed to the broken pier": a verb that reports only with its particle ("point
    to", "refer to", "push for") is a cue when a phrase opened by that particle follows it."""
    tok = tree.tokens[i]
    lemma = (tok.lemma or "").lower()
    particles = lexicon.PARTICLE_CUES.get(lemma)
    if not particles or tok.upos != "VERB" or lemma not in lexicon.PARTICLE_ONLY_VERBS:
        return None
    if not any(
        child.index > i
        and any(t.text.lower() in particles for t in tree.children(child.index, "case"))
        for child in tree.children(i, "obl", "obj")
    ):
        return None
    return _cue(tree, sentence, i, lemma, "speech", "particle_verb")


def lead_in_verb(tree: Tree, i: int, sentence: int) -> Cue | None:
    """ "He continued, “Nobody has been hurt.”": a weak verb reports the quote that follows it
    right after a comma or colon, and nothing else."""
    tok = tree.tokens[i]
    lemma = (tok.lemma or "").lower()
    if lemma not in lexicon.QUOTE_LEAD_VERBS or tok.upos != "VERB" or i + 2 >= len(tree.tokens):
        return None
    punct, mark = tree.tokens[i + 1], tree.tokens[i + 2]
    if (
        punct.text not in {",", ":"}
        or not mark.text
        or any(c not in QUOTE_CHARS for c in mark.text)
    ):
        return None
    return _cue(tree, sentence, i, lemma, "speech", "lead_in_verb")


_CLOSING_TAIL_UPOS = frozenset({"ADP", "ADV", "PART"})
_NOT_CLOSING = lexicon.words("be have do")


def closing_verb(tree: Tree, i: int, sentence: int) -> Cue | None:
    """ "“The harbour failed the tide,” he mocks.", "“...,” she went on.": right after a quote,
    a short subject and any verb that closes the sentence attribute the quote (the verb says
    how it was said; nothing else in the sentence could be its point)."""
    tok = tree.tokens[i]
    lemma = (tok.lemma or tok.text).lower()
    if tok.upos != "VERB" or lemma in _NOT_CLOSING or "VerbForm=Fin" not in (tok.feats or ""):
        return None
    subjects = tree.children(i, "nsubj")
    if len(subjects) != 1 or subjects[0].index > i:
        return None
    words = tree.subtree(subjects[0].index)
    if words[-1] != i - 1 or len(words) > 4 or words[0] < 2:
        return None
    mark, closing = tree.tokens[words[0] - 1], tree.tokens[words[0] - 2]
    if not all(c in QUOTE_CHARS for c in mark.text) or closing.text not in {",", "?", "!"}:
        return None
    tail = [t for t in tree.tokens[i + 1 :] if t.upos != "PUNCT"]
    if len(tail) > 2 or any(t.upos not in _CLOSING_TAIL_UPOS for t in tail):
        return None
    return _cue(tree, sentence, i, lemma, "speech", "closing_verb")


CUE_RULES: tuple[CueRule, ...] = (
    according_to,
    in_words,
    as_reported,
    put_it,
    speech_verb,
    noun_tagged_verb,
    noun_tagged_phrasal,
    particle_verb,
    lead_in_verb,
    statement_noun,
    closing_verb,
)
"""The cue rules, in the order they are tried on each word."""


def _quoted(tok: Token, inside_marks: Callable[[int], bool]) -> bool:
    return inside_marks(tok.start)


def find_cues(
    doc: ParsedDoc,
    *,
    inside_marks: Callable[[int], bool],
    rules: tuple[CueRule, ...] = CUE_RULES,
) -> list[Cue]:
    """Every cue of the parsed sentences of ``doc``, in text order.

    ``inside_marks(offset)`` says whether a character lies between quote marks.
    """
    cues: list[Cue] = []
    for s_index, sentence in enumerate(doc.sentences):
        tree = Tree(sentence)
        if not tree.parsed:
            continue
        for i, tok in enumerate(tree.tokens):
            if _quoted(tok, inside_marks):
                continue
            for rule in rules:
                cue = rule(tree, i, s_index)
                if cue is not None:
                    cues.append(cue)
                    break
    return cues
