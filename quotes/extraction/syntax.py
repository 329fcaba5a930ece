"""A read-only view of one parsed sentence as a dependency tree, for the stages to query.

Every stage asks the same few questions of the parse: the children of a word by relation, the
subject of a predicate, the words a phrase covers, where a phrase starts and ends in the text.
:class:`Tree` answers them over our own :class:`~quotes.records.Sentence` records, so the stages
never see Stanza and can be tested on hand-built trees.

Example:
    >>> from quotes.records import Sentence, Token
    >>> words = [("Lee", 1, "nsubj"), ("said", -1, "root"), ("no", 1, "obj")]
    >>> tokens, offset = [], 0
    >>> for i, (w, head, rel) in enumerate(words):
    ...     tokens.append(Token(i, w, offset, offset + len(w), upos="X", head=head, deprel=rel))
    ...     offset += len(w) + 1
    >>> tree = Tree(Sentence(0, 0, offset - 1, tuple(tokens), parsed=True))
    >>> [t.text for t in tree.children(1, "nsubj")]
    ['Lee']
    >>> tree.span(tree.subtree(1))
    (0, 11)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cached_property

from quotes.records import Sentence, Token

SUBJECTS = frozenset({"nsubj", "nsubj:pass", "csubj", "csubj:pass", "nsubj:outer", "expl"})
CLAUSAL = frozenset({"ccomp", "xcomp", "parataxis", "advcl", "acl", "acl:relcl", "csubj"})
PUNCT_UPOS = frozenset({"PUNCT", "SYM"})


def base_relation(deprel: str | None) -> str:
    """The universal relation without its subtype ("nsubj:pass" -> "nsubj").

    Example:
        >>> base_relation("obl:tmod")
        'obl'
    """
    return (deprel or "").split(":", 1)[0]


class Tree:
    """A parsed sentence with navigation by head and relation.

    Token indices are positions in ``sentence.tokens`` (0-based); ``head == -1`` is the root.
    An unparsed sentence gives a tree with no edges: every question has an empty answer.
    """

    def __init__(self, sentence: Sentence) -> None:
        self.sentence = sentence
        self.tokens: Sequence[Token] = sentence.tokens

    @cached_property
    def _children(self) -> list[list[int]]:
        kids: list[list[int]] = [[] for _ in self.tokens]
        for tok in self.tokens:
            if tok.head is not None and 0 <= tok.head < len(self.tokens):
                kids[tok.head].append(tok.index)
        return kids

    @property
    def parsed(self) -> bool:
        """True when the sentence carries dependencies."""
        return self.sentence.parsed and all(t.head is not None for t in self.tokens)

    def head(self, i: int) -> int | None:
        """The head of word ``i`` (``None`` for the root or an unparsed sentence)."""
        head = self.tokens[i].head
        return head if head is not None and head >= 0 else None

    def relation(self, i: int) -> str:
        """The full relation of word ``i`` to its head ("" when unparsed)."""
        return self.tokens[i].deprel or ""

    def children(self, i: int, *relations: str) -> list[Token]:
        """Children of ``i``, all or those whose relation (or its base) is one of ``relations``.

        Example:
            >>> Tree(Sentence(0, 0, 0, ())).parsed
            False
        """
        kids = [self.tokens[k] for k in self._children[i]]
        if not relations:
            return kids
        wanted = set(relations)
        return [t for t in kids if t.deprel in wanted or base_relation(t.deprel) in wanted]

    def subtree(self, i: int, *, without: Iterable[int] = ()) -> list[int]:
        """The words under ``i`` (``i`` included), sorted, leaving out the subtrees of ``without``.

        Example:
            >>> Tree(Sentence(0, 0, 0, (Token(0, "a", 0, 1),))).subtree(0)
            [0]
        """
        skip = set(without)
        seen: list[int] = []
        stack = [i]
        while stack:
            k = stack.pop()
            if k in skip:
                continue
            seen.append(k)
            stack.extend(self._children[k])
        return sorted(seen)

    def ancestors(self, i: int) -> list[int]:
        """The heads above ``i``, nearest first."""
        chain: list[int] = []
        head = self.head(i)
        while head is not None and head not in chain and len(chain) < len(self.tokens):
            chain.append(head)
            head = self.head(head)
        return chain

    def dominates(self, top: int, i: int) -> bool:
        """True when ``i`` is ``top`` or lies under it."""
        return i == top or top in self.ancestors(i)

    def span(self, indices: Iterable[int], *, trim_punct: bool = True) -> tuple[int, int]:
        """Character span from the first to the last of ``indices`` (edge punctuation trimmed).

        Example:
            >>> Tree(Sentence(0, 0, 3, (Token(0, "ab", 0, 2), Token(1, ".", 2, 3, upos="PUNCT"),
            ...      ))).span([0, 1])
            (0, 2)
        """
        chosen = sorted(set(indices))
        if trim_punct:
            while len(chosen) > 1 and self.tokens[chosen[-1]].upos in PUNCT_UPOS:
                chosen.pop()
            while len(chosen) > 1 and self.tokens[chosen[0]].upos in PUNCT_UPOS:
                chosen.pop(0)
        if not chosen:
            return (self.sentence.start, self.sentence.start)
        return self.tokens[chosen[0]].start, self.tokens[chosen[-1]].end

    def subject(self, i: int) -> Token | None:
        """The subject of predicate ``i``: its own, or, for a participle or infinitive with none
        ("..., pledging closer ties"; "went on to say"), the subject of the clause it hangs from.
        """
        seen: set[int] = set()
        current: int | None = i
        while current is not None and current not in seen:
            seen.add(current)
            own = self.children(current, "nsubj", "csubj")
            if own:
                # Two subjects means a parse error; the one nearest before the verb is the
                # likelier ("More specifically, Trump suggested").
                before = [t for t in own if t.index < current]
                return before[-1] if before else own[0]
            relation = base_relation(self.relation(current))
            if relation == "acl":
                # "with Lee calling ...", "the ideologies, emphasizing ...": the noun the verb
                # describes says it (or, being a thing, says nothing).
                head = self.head(current)
                return self.tokens[head] if head is not None else None
            if relation not in {"xcomp", "advcl", "conj", "acl", "ccomp", "parataxis"}:
                return None
            if relation in {"ccomp", "parataxis"} and self._finite(current):
                return None
            current = self.head(current)
        return None

    def _participle(self, i: int) -> bool:
        return self.tokens[i].text.lower().endswith("ing") and not self.children(i, "mark")

    def _finite(self, i: int) -> bool:
        feats = self.tokens[i].feats or ""
        return "VerbForm=Fin" in feats or any(
            t.upos == "AUX" and "VerbForm=Fin" in (t.feats or "")
            for t in self.children(i, "aux", "cop")
        )

    def token_at(self, offset: int) -> Token | None:
        """The word covering character ``offset``."""
        for tok in self.tokens:
            if tok.start <= offset < tok.end:
                return tok
        return None

    def indices_in(self, start: int, end: int) -> list[int]:
        """Words inside the character span ``start:end``."""
        return [t.index for t in self.tokens if start <= t.start and t.end <= end]


_MAX_SPEAKER_WORDS = 30
_RELATIVE_WORDS = frozenset({"who", "which", "whose", "whom", "that"})


def speaker_like(tree: Tree, indices: Sequence[int]) -> bool:
    """Can the words ``indices`` be a speaker's mention? A noun phrase, with appositives,
    relative clauses ("Ann Lee, who ran the port for years,") and participle asides ("Ann Lee,
    wearing a cowboy hat,", "a commuter waiting at the pier"), never a clause of its own.

    Example:
        >>> words = [Token(0, "Ann", 0, 3, upos="PROPN"), Token(1, "Lee", 4, 7, upos="PROPN")]
        >>> speaker_like(Tree(Sentence(0, 0, 7, tuple(words))), [0, 1])
        True
    """
    words = [k for k in indices if tree.tokens[k].upos not in PUNCT_UPOS]
    if not words or len(words) > _MAX_SPEAKER_WORDS:
        return False
    first = tree.tokens[words[0]]
    if not (first.text[:1].isupper() or first.upos in {"DET", "PRON", "NUM", "ADJ", "NOUN"}):
        return False
    if first.upos == "PRON" and first.text.lower() in _RELATIVE_WORDS:
        return False
    relative = False
    for position, k in enumerate(words):
        tok = tree.tokens[k]
        if tok.text.lower() in _RELATIVE_WORDS and position > 0:
            relative = True
        if tok.upos in {"VERB", "AUX"} and not relative and not _aside_participle(tree, k):
            return False
    return True


def _aside_participle(tree: Tree, k: int) -> bool:
    """ "Ann Lee, wearing a hat,", "a commuter waiting at the pier": a participle right after a
    noun or a comma describes the speaker."""
    tok = tree.tokens[k]
    feats = tok.feats or ""
    present = "VerbForm=Ger" in feats or tok.text.endswith("ing")
    if k == 0 or not (present or "VerbForm=Part" in feats):
        return False
    before = tree.tokens[k - 1]
    return before.text == "," or (present and before.upos in {"NOUN", "PROPN"})
