"""Speakers merged across articles, from the store's per-name counts.

The rule is :func:`quotes.speakers.merge_speakers`' ("Choe Son-hui" and "Choe Son Hui" are one
key; a one-word name joins the one longer name containing it), applied to how often each name
was seen with each type and role rather than to every quote: a store keeps those counts up to
date batch by batch, and a word index finds the longer names, so merging costs about the number
of distinct names, not their square nor the number of quotes. ``tests/test_store_entities.py``
checks that both give the same entities.

Example:
    >>> entities = merge_names([NameCount("Choe Son Hui", "person", "Foreign Minister", 3),
    ...                         NameCount("Choe", "person", None, 1)])
    >>> entities["Choe"].name, entities["Choe"].roles
    ('Choe Son Hui', ('Foreign Minister',))
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from quotes.attribute import name_key
from quotes.speakers import speaker_key


@dataclass(frozen=True, slots=True)
class NameCount:
    """How many stored quotes name ``name`` as their speaker with this type and role.

    Example:
        >>> NameCount("Wang Yi", "person", None, 2).n_quotes
        2
    """

    name: str
    speaker_type: str
    role: str | None
    n_quotes: int


@dataclass(frozen=True, slots=True)
class SpeakerEntity:
    """One speaker merged across articles: the name shown, its type, name forms and roles.

    Example:
        >>> SpeakerEntity("Wang Yi", "person", ("Wang",), ()).name
        'Wang Yi'
    """

    name: str
    speaker_type: str
    variants: tuple[str, ...] = ()
    roles: tuple[str, ...] = field(default=())


def _targets(keys: Iterable[str]) -> dict[str, str]:
    """Each key -> the key of its entity: the one longer key holding all its words, if unique."""
    ordered = sorted(keys, key=lambda k: (-len(k.split()), k))
    holding: dict[str, set[str]] = defaultdict(set)
    for key in ordered:
        for word in key.split():
            holding[word].add(key)
    target: dict[str, str] = {}
    for key in ordered:
        words = key.split()
        if not words:
            target[key] = key
            continue
        containing = set.intersection(*(holding[word] for word in set(words)))
        # Longer keys come first in `ordered`, so their own targets are already known.
        longer = [
            other
            for other in containing
            if len(other.split()) > len(words) and target.get(other, other) == other
        ]
        target[key] = longer[0] if len(longer) == 1 else key
    return target


def _entity(counts: Sequence[NameCount]) -> SpeakerEntity:
    names: Counter[str] = Counter()
    types: Counter[str] = Counter()
    for count in counts:
        names[count.name] += count.n_quotes
        types[count.speaker_type] += count.n_quotes
    fullest = max(names, key=lambda n: (len(name_key(n)), names[n], len(n.split()), n))
    # The most frequent type; a tie goes to a known type, then to the first in the alphabet.
    kind = min(types, key=lambda t: (-types[t], t == "unknown", t))
    return SpeakerEntity(
        name=fullest,
        speaker_type=kind,
        variants=tuple(sorted(names)),
        roles=tuple(sorted({c.role for c in counts if c.role})),
    )


def merge_names(counts: Iterable[NameCount]) -> dict[str, SpeakerEntity]:
    """Name -> its merged entity, for every name in ``counts`` (names seen 0 times are ignored).

    Example:
        >>> entities = merge_names([NameCount("Kim Jong Un", "person", None, 4),
        ...                         NameCount("Kim Yo Jong", "person", None, 2),
        ...                         NameCount("Kim", "person", None, 1)])
        >>> entities["Kim"].name                  # two longer names hold "Kim": it stays apart
        'Kim'
    """
    by_key: dict[str, list[NameCount]] = defaultdict(list)
    for count in counts:
        if count.name and count.n_quotes > 0:
            by_key[speaker_key(count.name)].append(count)
    target = _targets(by_key)
    groups: dict[str, list[NameCount]] = defaultdict(list)
    for key, members in by_key.items():
        groups[target[key]].extend(members)
    entities: dict[str, SpeakerEntity] = {}
    for members in groups.values():
        entity = _entity(members)
        for member in members:
            entities[member.name] = entity
    return entities
