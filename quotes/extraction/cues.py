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
    if lemma is None or tok.deprel in _NOT_PREDICATES:
        return None
    if tok.upos != "VERB" and base_relation(tok.deprel) not in _CLAUSE_RELATIONS:
        return None
    if tok.upos in {"NOUN", "PROPN"} and tok.text.lower() in lexicon.STATEMENT_NOUNS:
        return None
    if _describing_participle(tree, i, lemma) or _withheld_answer(tree, i):
        return None
    return _cue(tree, sentence, i, lemma, _verb_kind(lemma), "speech_verb")


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
    as_reported,
    speech_verb,
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
