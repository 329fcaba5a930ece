"""Stage 5, resolution: from the words that name a speaker to the fullest name the article gives.

Each rule is a named function ``(mention, offset, referents) -> Resolved | None`` tried in the
order of :data:`RESOLUTION_RULES`:

- ``outlet``: a news organisation ("the Korean Central News Agency" -> KCNA);
- ``coordination``: several speakers joined by "and" ("Choe Son Hui and her Chinese counterpart,
  Wang Yi" -> "Choe Son Hui and Wang Yi"), each part resolved on its own;
- ``appositive``: a description renamed after a comma ("her counterpart, Wang Yi");
- ``pronoun``: "he"/"she" -> the nearest person before, "they" -> the nearest group of people
  (speakers or names joined by "and"), "it" -> the nearest organisation or document;
- ``description``: "the minister", "the two countries' foreign ministers", "both leaders" -> the
  named people whose title matches (all of them for a plural);
- ``name``: a name, short or long, titled or not -> its fullest form in the article ("Wang" ->
  "Wang Yi"), with the title kept as the role;
- ``common_noun``: anything else that can speak ("analysts", "the ministry") stays as written and
  is marked unresolved.

``speaker_resolved`` is true when the speaker ends up a name (or names) the article gives.

Example:
    >>> from quotes.extraction.testing import parsed
    >>> doc = parsed("Foreign Minister Wang Yi spoke first. Wang said the talks went well.")
    >>> referents = Referents.of(doc)
    >>> resolve("Wang", 38, referents).name
    'Wang Yi'
    >>> resolve("he", 60, referents).name
    'Wang Yi'
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from quotes import lexicon
from quotes.attribute import (
    NameMention,
    _clean_mention,
    name_key,
    name_mentions,
    normalise_outlet,
    speaker_type_of,
    split_role,
)
from quotes.extraction.layout import is_furniture, paragraphs
from quotes.records import ParsedDoc, SpeakerType

_PERSONAL = frozenset({"he", "she", "him", "her", "his", "hers"})
_PLURAL = frozenset({"they", "them", "their", "both"})
_NEUTER = frozenset({"it", "its"})
_FIRST = frozenset({"i", "me", "we", "us", "you"})
_NOT_NAMES = lexicon.words("the a an it its this that these those i we you he she they there")
# Families of titles: "the leaders" are the presidents and leaders named before.
_TITLE_FAMILIES: dict[str, frozenset[str]] = {
    "leader": lexicon.words("leader president premier chancellor king queen chairman prime"),
    "minister": lexicon.words("minister secretary"),
    "president": lexicon.words("president"),
    "official": lexicon.words("official officer spokesman spokeswoman spokesperson"),
}


@dataclass(frozen=True, slots=True)
class Resolved:
    """A speaker: the canonical name, its role and type, whether it is a name the article gives,
    and the rule that resolved it."""

    name: str
    role: str | None
    type: SpeakerType
    resolved: bool
    rule: str


@dataclass(frozen=True, slots=True)
class Named:
    """A name seen in the article, with the title seen with it."""

    name: str
    role: str | None
    start: int
    type: SpeakerType


@dataclass(slots=True)
class Referents:
    """What a mention can refer to: the names of the article and the speakers resolved so far."""

    names: list[Named]
    speakers: list[tuple[int, Resolved]] = field(default_factory=list)
    groups: list[tuple[int, str]] = field(default_factory=list)
    sentence_names: list[tuple[int, str]] = field(default_factory=list)
    common_words: frozenset[str] = frozenset()

    @classmethod
    def of(cls, doc: ParsedDoc) -> Referents:
        """The names of ``doc`` (capitalised runs, titles split off, function words left out),
        and the people named together ("Kim Jong Un and Chinese President Xi Jinping")."""
        names = []
        furniture = [p for p in paragraphs(doc.text) if is_furniture(doc.text[p[0] : p[1]])]
        for mention in name_mentions(doc):
            if any(start <= mention.start < end for start, end in furniture):
                continue  # "Also Read: ... Dies at 94": another story's names
            if mention.name.lower() in _NOT_NAMES or not name_key(mention.name):
                continue
            if mention.name.split()[0] in {"The", "A"}:
                continue  # "The Xi-Kim meeting": a thing named after people
            mention = _without_dateline(mention)
            # "the Kim Jong Un-Xi Jinping summit": two names in one
            for part in re.split(r"(?<=\w)-(?=[A-Z])", mention.name):
                role = mention.role if part == mention.name else None
                kind = speaker_type_of(part, has_role=role is not None)
                if (
                    kind == "person"
                    and role is None
                    and _PLACE_BEFORE.search(doc.text, max(0, mention.start - 12), mention.start)
                ):
                    kind = "country"  # "met in Geneva", "flew from Lagos": a place, not a person
                names.append(Named(part, role, mention.start, kind))
        referents = cls(names)
        referents.common_words = _common_words(doc)
        starts = [sentence.start for sentence in doc.sentences]
        for named in names:
            if named.type == "person":
                full = referents.fullest(named.name) or named
                index = bisect.bisect_right(starts, named.start) - 1
                referents.sentence_names.append((index, full.name))
        referents.groups = referents._named_together(doc.text) + referents._hyphenated(doc)
        return referents

    def _hyphenated(self, doc: ParsedDoc) -> list[tuple[int, str]]:
        """ "the Kim Jong Un-Xi Jinping summit", "the Kim-Xi summit": two people named together."""
        groups = []
        for mention in name_mentions(doc):
            parts = re.split(r"(?<=\w)-(?=[A-Z])", mention.name)
            if len(parts) != 2:
                continue
            people = [self.fullest(part) for part in parts]
            if all(p is not None and p.type == "person" for p in people):
                a, b = people[0], people[1]
                assert a is not None and b is not None
                if a.name != b.name:
                    groups.append((mention.start, f"{a.name} and {b.name}"))
        return groups

    def _named_together(self, text: str) -> list[tuple[int, str]]:
        groups = []
        people = [n for n in self.names if n.type == "person"]
        for first, second in itertools.pairwise(people):
            between = text[first.start + len(first.name) : second.start]
            if second.role and between.rstrip().endswith(second.role.split()[-1]):
                between = between[: between.rfind(second.role.split()[0])]
            if _JOINED.fullmatch(between):
                a = self.fullest(first.name) or first
                b = self.fullest(second.name) or second
                if a.name != b.name:
                    groups.append((second.start, f"{a.name} and {b.name}"))
        return groups

    def fullest(self, name: str) -> Named | None:
        """The longest name of the article holding every word of ``name`` ("Wang" -> "Wang Yi");
        a country stays itself ("China" is not "South China Sea")."""
        if name.lower() in lexicon.COUNTRY_NAMES:
            return None
        key = name_key(name)
        best: Named | None = None
        for named in self.names:
            other = name_key(named.name)
            if (
                len(other) >= len(key)
                and all(part in other for part in key)
                and (best is None or len(other) > len(name_key(best.name)))
            ):
                best = named
        return best

    def partner_of(self, name: str) -> str | None:
        """The person named most often in the same sentences as ``name`` ("In talks with Wang
        Yi, Choe Son Hui said ..."): the other of "the two ministers"."""
        mine = {s for s, named in self.sentence_names if named == name}
        counts: dict[str, int] = {}
        for sentence, named in self.sentence_names:
            if sentence in mine and named != name:
                counts[named] = counts.get(named, 0) + 1
        return max(counts, key=lambda n: (counts[n], n)) if counts else None

    def role_of(self, name: str) -> str | None:
        key = name_key(name)
        return next((n.role for n in self.names if n.role and name_key(n.name) == key), None)

    def remember(self, offset: int, speaker: Resolved) -> None:
        self.speakers.append((offset, speaker))

    def people_before(self, offset: int) -> list[tuple[int, str, str | None]]:
        """(offset, fullest name, role) of the people named or quoted before ``offset``."""
        people = [
            (s, r.name, r.role)
            for s, r in self.speakers
            if s < offset and r.type == "person" and r.resolved
        ]
        for named in self.names:
            if named.start < offset and named.type == "person":
                full = self.fullest(named.name) or named
                people.append((named.start, full.name, full.role or self.role_of(full.name)))
        return sorted(people, key=lambda p: p[0])


_DATELINE = re.compile(r"^[A-Z]{2,}(?:[ ,]+[A-Z]{2,})*\s+[-–—]+\s+(?=[A-Z])")


def _without_dateline(mention: NameMention) -> NameMention:
    """ "PORTLAND - Ann Okoro thanked ...": the dateline before the dash is no part of the name."""
    found = _DATELINE.match(mention.name)
    if found is None:
        return mention
    return replace(mention, name=mention.name[found.end() :], start=mention.start + found.end())


_PLACE_BEFORE = re.compile(
    r"\b(?:in|at|from|near|outside|across|into|toward|towards)\s+(?:the\s+)?$"
)
_JOINED = re.compile(r"\s*,?\s*(?:and|&)\s+(?:[A-Z][\w.’'-]*\s+){0,4}")


def _common_words(doc: ParsedDoc) -> frozenset[str]:
    """Capitalised words the parser never took for a name in this article ("Others said",
    "Similar studies found"): a capital that opens a sentence is no name."""
    common: set[str] = set()
    proper: set[str] = set()
    for sentence in doc.sentences:
        for tok in sentence.tokens:
            if tok.upos is None:
                continue
            (proper if tok.upos == "PROPN" else common).add(tok.text.lower())
    return frozenset(common - proper)


ResolutionRule = Callable[[str, int, Referents], Resolved | None]


def outlet(mention: str, offset: int, referents: Referents) -> Resolved | None:
    """A news organisation, by its alias table."""
    name = normalise_outlet(mention)
    if name is None:
        return None
    return Resolved(name, None, "outlet", True, "outlet")


_AND = re.compile(r"\s*(?:,\s*(?:and\s+)?|\band\s+)", re.IGNORECASE)


def coordination(mention: str, offset: int, referents: Referents) -> Resolved | None:
    """ "Choe Son Hui and her Chinese counterpart, Wang Yi": each speaker resolved, joined."""
    cleaned = " ".join(mention.split())
    if " and " not in f" {cleaned.lower()} " or _plural_title(_clean_mention(cleaned)):
        return None
    parts = [p for p in _split_speakers(cleaned) if p]
    if len(parts) < 2:
        return None
    resolved = [resolve(part, offset, referents, rules=_PART_RULES) for part in parts]
    if not all(r.resolved and r.type in {"person", "outlet", "organization"} for r in resolved):
        return None
    names = list(dict.fromkeys(r.name for r in resolved))
    joined = " and ".join(names) if len(names) <= 2 else ", ".join(names[:-1]) + " and " + names[-1]
    return Resolved(joined, None, "group", True, "coordination")


def _split_speakers(mention: str) -> list[str]:
    """Split "A and B, C" into speakers, keeping an appositive with its noun ("her counterpart,
    Wang Yi")."""
    pieces = re.split(r"\s+and\s+", mention)
    parts: list[str] = []
    for piece in pieces:
        chunks = [c.strip() for c in piece.split(",") if c.strip()]
        if len(chunks) == 2 and chunks[1][:1].isupper() and not chunks[0][:1].isupper():
            parts.append(", ".join(chunks))  # "her Chinese counterpart, Wang Yi"
        else:
            parts.extend(chunks)
    return parts


def appositive(mention: str, offset: int, referents: Referents) -> Resolved | None:
    """A description renamed after a comma ("her Chinese counterpart, Wang Yi")."""
    chunks = [c.strip() for c in mention.split(",") if c.strip()]
    if len(chunks) < 2 or _named_first(chunks[0]):
        return None
    for chunk in chunks[1:]:
        role, name = split_role(_clean_mention(chunk))
        words = name.split()
        if words and all(w[:1].isupper() for w in words) and name.lower() not in _NOT_NAMES:
            found = referents.fullest(name)
            full = found.name if found else name
            description = _clean_mention(chunks[0])
            return Resolved(
                full, role or referents.role_of(full) or description, "person", True, "appositive"
            )
    return None


def _named_first(chunk: str) -> bool:
    """ "Ann Okoro, 58, of Lagos, Nigeria": a mention that opens with a name is that person;
    what follows its comma describes them (a home town is no new name)."""
    _, bare = split_role(_clean_mention(chunk))
    words = bare.split()
    return bool(words) and all(w[:1].isupper() for w in words) and bare.lower() not in _NOT_NAMES


def pronoun(mention: str, offset: int, referents: Referents) -> Resolved | None:
    """A pronoun -> the nearest compatible referent before it."""
    low = mention.strip().lower()
    if low in _PERSONAL:
        people = referents.people_before(offset)
        if people:
            _, name, role = people[-1]
            return Resolved(name, role, "person", True, "pronoun")
        return Resolved(mention.strip(), None, "person", False, "pronoun")
    if low in _PLURAL:
        groups = [(s, r.name) for s, r in referents.speakers if r.type == "group" and r.resolved]
        groups += [g for g in referents.groups if g[0] < offset]
        if groups:
            return Resolved(max(groups)[1], None, "group", True, "pronoun")
        return Resolved(mention.strip(), None, "group", False, "pronoun")
    if low in _NEUTER:
        for _, speaker in reversed(referents.speakers):
            if speaker.type in {"organization", "outlet"} and speaker.resolved:
                return Resolved(speaker.name, None, speaker.type, True, "pronoun")
        return Resolved(mention.strip(), None, "unknown", False, "pronoun")
    if low in _FIRST:
        return Resolved(
            mention.strip(),
            None,
            "person" if low in {"i", "me"} else "group",
            False,
            "first_person",
        )
    return None


def _title_words(description: str) -> set[str]:
    words = {w.lower().rstrip("s") for w in re.findall(r"[A-Za-z]+", description)}
    return {w for w in words if w in lexicon.TITLE_WORDS or w in _TITLE_FAMILIES}


def _matches(title_words: set[str], role: str | None) -> bool:
    if not role:
        return False
    role_words = {w.lower() for w in re.findall(r"[A-Za-z]+", role)}
    for word in title_words:
        family = _TITLE_FAMILIES.get(word, frozenset({word}))
        if not role_words & family:
            return False
    return True


def _plural_title(description: str) -> bool:
    """ "foreign ministers of North Korea and China": a plural title heads the phrase."""
    head = description.split(" of ")[0].split()[-1:] or [""]
    word = head[0].lower()
    return word.endswith("s") and (word[:-1] in lexicon.TITLE_WORDS or word[:-1] in _TITLE_FAMILIES)


_DESCRIBED = re.compile(r"(?i)(the|both|two|three|a|an|his|her|their|its|our)\b")


def description(mention: str, offset: int, referents: Referents) -> Resolved | None:
    """ "the minister", "the two countries' foreign ministers", "both leaders" -> the people
    named before whose title matches."""
    cleaned = _clean_mention(mention)
    plural_title = _plural_title(cleaned)
    if not _DESCRIBED.match(mention.strip()) and cleaned[:1].isupper() and not plural_title:
        return None  # a name, not a description
    low = cleaned.lower()
    titles = _title_words(cleaned)
    if not titles:
        return None
    matching: list[str] = []
    plural = plural_title or bool(re.search(r"(?i)\b(both|two|three)\b", low))
    for _, name, role in referents.people_before(offset):
        if _matches(titles, role) and name not in matching:
            matching.append(name)
    if not matching:  # "The foreign ministers of A and B agreed ..." before they are named
        for _, name, role in referents.people_before(1 << 62):
            if _matches(titles, role) and name not in matching:
                matching.append(name)
    if not matching:
        return None
    groups = [g for g in referents.groups if g[0] < offset]
    if plural and groups and not {"minister", "secretary"} & titles:
        return Resolved(max(groups)[1], None, "group", True, "description")
    if plural and len(matching) == 1:
        partner = referents.partner_of(matching[0])
        if partner is not None:
            matching.append(partner)
    if plural and len(matching) >= 2:
        return Resolved(" and ".join(matching[-2:]), None, "group", True, "description")
    if plural:
        return None
    return Resolved(matching[-1], referents.role_of(matching[-1]), "person", True, "description")


def name(mention: str, offset: int, referents: Referents) -> Resolved | None:
    """A name, short or long, titled or not -> its fullest form in the article."""
    cleaned = re.sub(r"['’]s?$", "", _clean_mention(mention))
    role, bare = split_role(cleaned)
    words = bare.split()
    if not words or not all(w[:1].isupper() for w in words) or bare.lower() in _NOT_NAMES:
        return None
    if all(
        w.lower() in lexicon.SPEAKING_NOUNS
        or w.lower() in lexicon.TITLE_WORDS
        or w.lower() in referents.common_words
        for w in words
    ):
        return None  # "Experts", "Others", "Similar": a capital that opens a sentence
    found = referents.fullest(bare)
    full = found.name if found else bare
    kind = speaker_type_of(full, has_role=bool(role or (found and found.role)))
    if kind == "unknown":
        return None
    return Resolved(full, role or referents.role_of(full), kind, True, "name")


def common_noun(mention: str, offset: int, referents: Referents) -> Resolved | None:
    """Anything else stays as written: "analysts", "the ministry", "a senior official"."""
    cleaned = _clean_mention(mention) or mention.strip()
    # "a board member who supports the mayor": the mention keeps the clause, the speaker is the
    # board member.
    cleaned = _RELATIVE_CLAUSE.split(cleaned, maxsplit=1)[0] or cleaned
    return Resolved(cleaned, None, speaker_type_of(cleaned), False, "common_noun")


_RELATIVE_CLAUSE = re.compile(r"\s+(?:who|whom|whose|that|which)\s+")


RESOLUTION_RULES: tuple[ResolutionRule, ...] = (
    outlet,
    pronoun,
    coordination,
    appositive,
    description,
    name,
    common_noun,
)
"""The resolution rules, in the order they are tried."""

_PART_RULES: tuple[ResolutionRule, ...] = (
    outlet,
    pronoun,
    appositive,
    description,
    name,
    common_noun,
)


def resolve(
    mention: str,
    offset: int,
    referents: Referents,
    *,
    rules: tuple[ResolutionRule, ...] = RESOLUTION_RULES,
) -> Resolved:
    """The speaker a mention at ``offset`` names (the last rule always answers)."""
    for rule in rules:
        found = rule(mention, offset, referents)
        if found is not None:
            return found
    return Resolved(mention.strip(), None, "unknown", False, "none")
