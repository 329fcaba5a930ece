"""Names and outlets: the vocabulary the resolution and outlet stages of
:mod:`quotes.extraction` work with.

- outlets: the alias table in ``quotes/data/outlets.json`` ("Korean Central News Agency" ->
  KCNA) and the credits that name one ("according to KCNA", "per Xinhua", "as stated in AP
  News", "told Reuters");
- names: the capitalised names of an article with the titles seen before them ("North Korean
  Foreign Minister" + "Choe Son Hui"), and the folded key two spellings of a name share;
- speaker types (person, group, organization, country, outlet, unknown) from NER tags when the
  models have them, else from word lists and capitalisation.

Example:
    >>> normalise_outlet("Korean Central News Agency")
    'KCNA'
    >>> split_role("North Korean Foreign Minister Choe Son Hui")
    ('North Korean Foreign Minister', 'Choe Son Hui')
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from quotes import lexicon
from quotes.records import ParsedDoc, SpeakerType, Token

OUTLETS_FILE = Path(__file__).resolve().parent / "data" / "outlets.json"

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Outlet:
    """One entry of the outlet alias table."""

    name: str
    type: str
    aliases: tuple[str, ...]


@lru_cache(maxsize=1)
def load_outlets() -> tuple[Outlet, ...]:
    """The outlet alias table (``quotes/data/outlets.json``).

    Example:
        >>> any(o.name == "Xinhua" for o in load_outlets())
        True
    """
    raw = json.loads(OUTLETS_FILE.read_text(encoding="utf-8"))
    return tuple(
        Outlet(name=name, type=str(entry["type"]), aliases=tuple(entry["aliases"]))
        for name, entry in raw.items()
    )


@lru_cache(maxsize=1)
def _alias_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    table: dict[str, str] = {}
    for outlet in load_outlets():
        for alias in (outlet.name, *outlet.aliases):
            table[_fold(alias)] = outlet.name
    # Longest first so "Xinhua News Agency" wins over "Xinhua"; case-sensitive on purpose: "AP"
    # the agency, not "ap" in a word.
    aliases = sorted(
        {a for o in load_outlets() for a in (o.name, *o.aliases)}, key=len, reverse=True
    )
    pattern = re.compile(r"(?<![\w’'])(?:" + "|".join(re.escape(a) for a in aliases) + r")(?![\w])")
    return pattern, table


def _fold(value: str) -> str:
    return value.replace("’", "'").strip().lower()


def normalise_outlet(name: str) -> str | None:
    """The canonical outlet name for an alias, or ``None`` when it is no known outlet.

    Example:
        >>> normalise_outlet("the Associated Press")
        'AP'
    """
    cleaned = re.sub(r"^(the|a)\s+", "", name.strip(), flags=re.IGNORECASE)
    cleaned = re.sub(r"^\w+['’]s\s+", "", cleaned)  # "China's Xinhua", "the North's KCNA"
    cleaned = re.sub(r"\s*\([^)]*\)\s*$", "", cleaned)  # "Korean Central News Agency (KCNA)"
    _, table = _alias_pattern()
    for candidate in (cleaned, "The " + cleaned, name.strip()):
        hit = table.get(_fold(candidate))
        if hit is not None:
            return hit
    pattern, _ = _alias_pattern()
    match = pattern.search(name)
    if match and len(name) - len(match.group(0)) <= 25:
        return table.get(_fold(match.group(0)))
    return None


_CREDIT_BEFORE = re.compile(
    r"(?:according to|per|as stated in|stated in|as reported by|reported by|reported in|"
    r"told|citing|cited by|quoted by|in an interview with|in a report by|said in|wrote in|"
    r"carried by|published by|to)\s+(?:the\s+)?(?:\w+['’]s\s+)?$",
    re.IGNORECASE,
)
_CREDIT_AFTER = re.compile(
    r"^\s*(?:\([^)]*\)\s*)?(?:also\s+)?(?:reported|reports|quoted|quotes|said|says|cited|carried|published)\b"
)


def find_outlet(text: str, region: Span) -> tuple[str, Span] | None:
    """The outlet credited in ``text[region]`` ("per Xinhua", "KCNA reported"), if any.

    Example:
        >>> find_outlet("Wang agreed, per Xinhua.", (0, 24))
        ('Xinhua', (17, 23))
    """
    pattern, table = _alias_pattern()
    best: tuple[str, Span] | None = None
    for match in pattern.finditer(text, region[0], region[1]):
        before = text[max(region[0], match.start() - 40) : match.start()]
        after = text[match.end() : min(region[1], match.end() + 30)]
        if _CREDIT_BEFORE.search(before) or _CREDIT_AFTER.search(after):
            name = table[_fold(match.group(0))]
            span = (match.start(), match.end())
            # A full name followed by "(KCNA)" is one mention; keep the first.
            if best is None:
                best = (name, span)
    return best


# ---------------------------------------------------------------------------------------------
# Names and roles


_NAME_TOKEN = re.compile(r"[A-Z][\w’'\-.]*|[a-z]+")


def split_role(mention: str) -> tuple[str | None, str]:
    """Split a mention into a title (role) and a name; the role is ``None`` when there is none.

    Example:
        >>> split_role("Chinese President Xi Jinping")
        ('Chinese President', 'Xi Jinping')
        >>> split_role("Wang")
        (None, 'Wang')
    """
    words = mention.split()
    cut = 0
    for i, word in enumerate(words):
        if lexicon.is_title_word(word.strip(",")):
            cut = i + 1
    has_title = any(w.lower().strip(",") in lexicon.TITLE_WORDS for w in words[:cut])
    rest = " ".join(words[cut:]).lower()
    if (
        0 < cut < len(words)
        and has_title
        and all(w[:1].isupper() for w in words[cut:])
        and rest not in lexicon.COUNTRY_NAMES
    ):
        return " ".join(words[:cut]), " ".join(words[cut:])
    return None, mention


def _clean_mention(mention: str) -> str:
    value = " ".join(mention.split())
    value = re.sub(r"\s*\([^)]*\)", "", value)
    value = re.sub(r"^(?:the|a|an|another)\s+", "", value, flags=re.IGNORECASE)
    # "North Korea's Choe Son Hui": the possessor is context, not the name.
    possessive = re.match(r"^(.*?)['’]s\s+(.+)$", value)
    if possessive and possessive.group(2)[:1].isupper():
        value = possessive.group(2)
    value = value.split(",")[0].strip()
    return value.strip(" -–—.:;")


@dataclass(frozen=True, slots=True)
class NameMention:
    name: str
    role: str | None
    start: int


_POSSESSIVE = re.compile(r"['’]s?$")


def name_mentions(doc: ParsedDoc) -> list[NameMention]:
    """Every capitalised name in the article, with the title seen just before it.

    Example:
        >>> from quotes.extract import simple_parse
        >>> [m.name for m in name_mentions(simple_parse("Chinese President Xi Jinping spoke."))]
        ['Xi Jinping']
    """
    found: list[NameMention] = []
    for sentence in doc.sentences:
        tokens = sentence.tokens
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            if not _is_name_word(tok.text) or (i == 0 and tok.text.lower() in lexicon.STOP_WORDS):
                i += 1
                continue
            j = i
            # A possessive ends a name: "North Korea's Choe Son Hui" is two names.
            while (
                j + 1 < len(tokens)
                and not _POSSESSIVE.search(tokens[j].text)
                and (_is_name_word(tokens[j + 1].text) or tokens[j + 1].text == "-")
                and not _reporting_verb(tokens[j + 1])
            ):
                j += 1
            words = [_POSSESSIVE.sub("", t.text) for t in tokens[i : j + 1]]
            k = i
            while k - 1 >= 0 and lexicon.is_title_word(tokens[k - 1].text):
                k -= 1
            role_words = [t.text for t in tokens[k:i]]
            role, name = split_role(" ".join(words))
            if role_words:
                role = " ".join([*role_words, *(role.split() if role else [])])
            if name and not all(lexicon.is_title_word(w) for w in name.split()):
                found.append(NameMention(name=name, role=role, start=tok.start))
            i = j + 1
    return found


def _reporting_verb(tok: Token) -> bool:
    """ "Mayor Ruiz Says Bridge Tolls ...": in a title-case headline, a reporting verb tagged as
    one ends the name before it."""
    return tok.upos == "VERB" and tok.text.lower() in lexicon.CUE_FORMS


def _is_name_word(word: str) -> bool:
    return bool(word) and word[0].isupper() and word.lower() not in lexicon.STOP_WORDS


@lru_cache(maxsize=65_536)
def name_key(name: str) -> tuple[str, ...]:
    """The words of a name, folded for matching ("Son-hui" -> "son", "hui").

    Example:
        >>> name_key("Choe Son-hui")
        ('choe', 'son', 'hui')
    """
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return tuple(w for w in re.split(r"[\s\-‐–]+", plain.lower().replace(".", "")) if w)


def _fullest(name: str, mentions: Sequence[NameMention]) -> NameMention | None:
    key = name_key(name)
    if not key:
        return None
    best: NameMention | None = None
    for mention in mentions:
        other = name_key(mention.name)
        contains = len(other) >= len(key) and all(part in other for part in key)
        if contains and (best is None or len(other) > len(name_key(best.name))):
            best = mention
    return best


def speaker_type_of(name: str, *, has_role: bool = False, ner: str | None = None) -> SpeakerType:
    """Guess a speaker's type from NER (when present), word lists and capitalisation.

    Example:
        >>> speaker_type_of("North Korea")
        'country'
        >>> speaker_type_of("analysts")
        'group'
        >>> speaker_type_of("Ann Lee and Ben Okoro")
        'group'
    """
    if normalise_outlet(name) is not None:
        return "outlet"
    low = name.lower().strip()
    if ner:
        tag = ner.split("-")[-1]
        if tag == "PERSON":
            return "person"
        if tag in {"GPE", "LOC"}:
            return "country"
        if tag in {"ORG"}:
            return "organization"
        if tag == "NORP":
            return "group"
    if low in lexicon.COUNTRY_NAMES or re.sub(r"^the\s+", "", low) in lexicon.COUNTRY_NAMES:
        return "country"
    words = low.split()
    if not words:
        return "unknown"
    if any(w in lexicon.ORGANIZATION_WORDS for w in words):
        return "organization"
    if low in {"he", "she", "i", "him", "her"}:
        return "person"
    if words[-1] in lexicon.GROUP_WORDS or low in {"they", "we"}:
        return "group"
    if " and " in f" {low} " and "," not in low:
        return "group"  # "Xi Jinping and Kim Jong Un", "friends and allies": more than one
    if words[-1] in lexicon.DOCUMENT_NOUNS:
        return "unknown"  # "the memo", "a new poll": no one in particular
    if has_role or words[-1] in lexicon.SPEAKER_NOUNS:
        return "person"
    if name[:1].isupper() and 1 <= len(words) <= 4:
        return "person"
    return "unknown"
