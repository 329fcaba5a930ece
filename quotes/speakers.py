"""One entity per speaker across articles: "Choe Son Hui", "Choe Son-hui" and "Choe" are one.

:func:`speaker_key` folds a name for matching (case, accents, hyphens); :func:`merge_speakers`
groups the canonical speakers of many quotes, joining a short form ("Choe") to the one longer
name it belongs to, and keeps every variant, role, type and document seen.

Only names join across articles. A pronoun ("I", "they"), a common noun ("researchers",
"analysts"), a description ("Both leaders") or any speaker the extraction could not resolve to a
name stays an entity of its own article: "I" in three unrelated articles is three speakers.

Example:
    >>> speaker_key("Choe Son-hui") == speaker_key("Choe Son Hui")
    True
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from quotes import lexicon
from quotes.attribute import name_key
from quotes.records import Quote, SpeakerType

_NAME_PARTICLES = frozenset({"and", "de", "van", "von", "bin", "al", "da", "di", "la", "le", "of"})


def is_named(quote: Quote) -> bool:
    """True when a quote's speaker is a name that may stand for the same entity in another
    article: resolved by the extraction, or written as a proper name (not a pronoun, not a
    common noun, not a description).

    Example:
        >>> def q(speaker, resolved=False):
        ...     return Quote(doc="a", start=0, end=1, text="x", spans=((0, 1),),
        ...                  kind="direct", speaker=speaker, speaker_resolved=resolved)
        >>> [is_named(q(s)) for s in ("Wang Yi", "I", "Analysts", "Both leaders", "KCNA")]
        [True, False, False, False, True]
    """
    name = (quote.speaker or "").strip()
    if not name:
        return False
    if quote.speaker_resolved:
        return True
    words = name.replace(",", " ").split()
    first = words[0].lower()
    if (
        first in lexicon.PRONOUNS
        or first in lexicon.STOP_WORDS
        or first
        in {
            "both",
            "the",
            "a",
            "an",
            "some",
            "many",
            "several",
            "all",
            "two",
            "three",
        }
    ):
        return False
    if len(words) == 1 and (first in lexicon.SPEAKING_NOUNS or first in lexicon.GROUP_WORDS):
        return False
    return all(w[:1].isupper() or w.lower() in _NAME_PARTICLES for w in words)


@dataclass(frozen=True, slots=True)
class Speaker:
    """A speaker merged across articles.

    ``id`` is a stable slug of the fullest name; ``variants`` every surface form seen;
    ``roles`` the titles seen ("North Korean Foreign Minister"); ``docs`` the documents quoting
    them.

    Example:
        >>> Speaker(id="wang-yi", name="Wang Yi", variants=("Wang Yi",), roles=(),
        ...         type="person", docs=("a",)).id
        'wang-yi'
    """

    id: str
    name: str
    variants: tuple[str, ...]
    roles: tuple[str, ...]
    type: SpeakerType
    docs: tuple[str, ...]


def speaker_key(name: str) -> str:
    """The matching key of a name: lower case, no accents, hyphens and dots as spaces.

    Example:
        >>> speaker_key("Choe Son-hui")
        'choe son hui'
        >>> speaker_key("Choe")
        'choe'
    """
    return " ".join(name_key(name))


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", speaker_key(name)).strip("-") or "unknown"


def merge_speakers(quotes: Iterable[Quote]) -> list[Speaker]:
    """Group the speakers of ``quotes`` into entities, fullest names first by number of quotes.

    A one-word name joins the longer name containing that word when exactly one such person
    exists (so "Kim" stays apart when both "Kim Jong Un" and "Kim Yo Jong" are quoted).

    Example:
        >>> qs = [Quote(doc=d, start=0, end=1, text="x", spans=((0, 1),), kind="direct",
        ...             speaker=s, speaker_type="person") for d, s in
        ...       [("a", "Choe Son Hui"), ("b", "Choe Son-hui"), ("c", "Choe")]]
        >>> [(s.name, s.docs) for s in merge_speakers(qs)]
        [('Choe Son Hui', ('a', 'b', 'c'))]
    """
    by_key: dict[str, list[Quote]] = defaultdict(list)
    for quote in quotes:
        if quote.speaker:
            key = speaker_key(quote.speaker)
            # An unnamed speaker ("they", "officials") is only itself in its own article.
            by_key[key if is_named(quote) else f"{key} @{quote.doc}"].append(quote)
    # Join short keys to the unique longer key that contains all their words.
    keys = sorted(by_key, key=lambda k: (-len(k.split()), k))
    target: dict[str, str] = {}
    for key in keys:
        if " @" in key:
            target[key] = key
            continue
        words = key.split()
        longer = [
            other
            for other in keys
            if " @" not in other
            and len(other.split()) > len(words)
            and all(w in other.split() for w in words)
            and target.get(other, other) == other
        ]
        target[key] = longer[0] if len(longer) == 1 else key
    groups: dict[str, list[Quote]] = defaultdict(list)
    for key, members in by_key.items():
        groups[target[key]].extend(members)
    speakers = []
    for key, members in groups.items():
        names = Counter(q.speaker for q in members if q.speaker)
        fullest = max(names, key=lambda n: (len(name_key(n)), names[n], len(n.split()), n))
        types = Counter(q.speaker_type for q in members)
        kind: SpeakerType = types.most_common(1)[0][0]
        speakers.append(
            Speaker(
                id=_slug(key),
                name=fullest,
                variants=tuple(sorted(names)),
                roles=tuple(sorted({q.role for q in members if q.role})),
                type=kind,
                docs=tuple(sorted({q.doc for q in members})),
            )
        )
    speakers.sort(key=lambda s: (-len(s.docs), s.name))
    return speakers
