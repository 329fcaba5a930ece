"""Clusters kept up to date batch by batch: the store's key index and a batch's candidates.

The store keeps every quote's blocking keys (:func:`quotes.clusters.quote_keys`) in the
``block_keys`` table, written in the batch's transaction. A new batch looks its quotes' rarest
keys up there (and among themselves), scores only those candidates, and merges the new quotes
into the clusters they touch (:func:`quotes.clusters.merge_groups` with the stored clusters as
groups formed before): the cost of a batch follows the batch, not the store.

A key held by more quotes than can be looked up (:func:`quotes.clusters.key_limit`) is not kept:
it would never be looked up again.

Example:
    >>> import sqlite3
    >>> db = sqlite3.connect(":memory:")
    >>> db.execute(BLOCK_KEYS_SCHEMA) and None
    >>> add_keys(db, ["q-0000000000000001"], [profile("we will never surrender")])  # pair, twin
    2
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from quotes.clusters import (
    KEY_PAIR,
    KEY_TRIPLE,
    KEY_TWIN,
    KEY_WORD,
    MAX_KEY_HOLDERS,
    MIN_SHARED_KEYS,
    QUERY_KEYS,
    SHARED_KEY_HOLDERS,
    cluster_profiles,
    merge_groups,
    posting_limit,
    quote_keys,
    score_pairs,
    word_key,
)
from quotes.match import STOPWORDS, MatchItem, QuoteProfile, profile
from quotes.store.rows import (
    StoredQuote,
    cluster_members,
    fill_temp,
    load_by_id,
    qnum,
    quote_id_of,
)

BLOCK_KEYS_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS block_keys (key INTEGER NOT NULL, qnum INTEGER NOT NULL, "
    "PRIMARY KEY (key, qnum)) WITHOUT ROWID"
)
_KIND_SHIFT = 61
_WRITE_CHUNK = 200_000
_KEYS_PER_CHUNK = 100_000


_MATCH_FIELDS = frozenset(f.name for f in dataclasses.fields(MatchItem))


def match_item(quote: StoredQuote) -> MatchItem:
    """What the matcher reads of a stored quote: its text, its shown speaker, kind, article,
    date, and (when the matcher reads them) its cue and the words around it.

    Example:
        >>> match_item(StoredQuote("q-1", "a", "we agree", "direct", shown_speaker="Wang Yi")).doc
        'a'
    """
    optional: dict[str, Any] = {"cue": quote.cue, "context": quote.context}
    return MatchItem(
        id=quote.quote_id,
        text=quote.text,
        speaker=quote.shown_speaker,
        kind=quote.kind,
        doc=quote.article,
        published=quote.published,
        **{k: v for k, v in optional.items() if k in _MATCH_FIELDS},
    )


def _kind(key: int) -> int:
    return key >> _KIND_SHIFT


# --- the key index ------------------------------------------------------------------------------


def write_all_keys(
    db: sqlite3.Connection, quote_ids: Sequence[str], profiles: Sequence[QuoteProfile]
) -> int:
    """Replace the whole key index with the keys of these quotes; returns the rows written.

    Keys are written in key order (fast for SQLite's B-tree), those too common to be looked up
    left out."""
    db.execute("DELETE FROM block_keys")
    numbers = np.array([qnum(q) for q in quote_ids], dtype=np.int64)
    key_parts, owner_parts = [], []
    for start in range(0, len(profiles), _KEYS_PER_CHUNK):
        keys, owners = quote_keys(profiles[start : start + _KEYS_PER_CHUNK])
        key_parts.append(keys)
        owner_parts.append(numbers[owners + start])
    if not key_parts:
        return 0
    keys = np.concatenate(key_parts).astype(np.int64)
    holders = np.concatenate(owner_parts)
    del key_parts, owner_parts
    order = np.lexsort((holders, keys))
    keys, holders = keys[order], holders[order]
    del order
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    sizes = np.diff(np.r_[starts, len(keys)])
    kinds = keys[starts] >> _KIND_SHIFT
    limits = np.where(
        kinds == KEY_WORD,
        posting_limit(len(quote_ids)),
        np.where(kinds == KEY_TWIN, np.iinfo(np.int64).max, MAX_KEY_HOLDERS),
    )
    keep = np.repeat(sizes <= limits, sizes)
    keys, holders = keys[keep], holders[keep]
    for start in range(0, len(keys), _WRITE_CHUNK):
        db.executemany(
            "INSERT INTO block_keys(key, qnum) VALUES (?, ?)",
            zip(
                keys[start : start + _WRITE_CHUNK].tolist(),
                holders[start : start + _WRITE_CHUNK].tolist(),
                strict=True,
            ),
        )
    return len(keys)


def add_keys(
    db: sqlite3.Connection,
    quote_ids: Sequence[str],
    profiles: Sequence[QuoteProfile],
    stored_counts: dict[int, int] | None = None,
) -> int:
    """Index new quotes; a key already held by as many quotes as can be looked up is left out
    (``stored_counts``: holders per key before this batch, when known). Returns rows written."""
    keys, owners = quote_keys(profiles)
    counts = stored_counts or {}
    batch = Counter(keys.tolist())
    rows = [
        (key, qnum(quote_ids[owner]))
        for key, owner in zip(keys.tolist(), owners.tolist(), strict=True)
        if _kind(key) not in (KEY_PAIR, KEY_TRIPLE)
        or counts.get(key, 0) + batch[key] <= MAX_KEY_HOLDERS
    ]
    db.executemany("INSERT OR IGNORE INTO block_keys(key, qnum) VALUES (?, ?)", rows)
    return len(rows)


def remove_keys(
    db: sqlite3.Connection, quote_ids: Sequence[str], profiles: Sequence[QuoteProfile]
) -> None:
    """Take quotes out of the index (their keys follow from their texts)."""
    keys, owners = quote_keys(profiles)
    db.executemany(
        "DELETE FROM block_keys WHERE key = ? AND qnum = ?",
        [
            (key, qnum(quote_ids[owner]))
            for key, owner in zip(keys.tolist(), owners.tolist(), strict=True)
        ],
    )


def _stored_counts(db: sqlite3.Connection, keys: Iterable[int]) -> dict[int, int]:
    """Holders of each key in the index, counted up to one more than can be looked up."""
    fill_temp(db, "wanted_keys", keys)
    return dict(
        db.execute(
            "SELECT w.value, (SELECT count(*) FROM (SELECT 1 FROM block_keys b "
            "WHERE b.key = w.value LIMIT ?)) FROM temp.wanted_keys w",
            (MAX_KEY_HOLDERS + 1,),
        ).fetchall()
    )


def _stored_holders(
    db: sqlite3.Connection, keys: Iterable[int], limit: int
) -> dict[int, list[int]]:
    """The quotes (as numbers) holding each key, at most ``limit`` per key."""
    fill_temp(db, "wanted_keys", keys)
    found: dict[int, list[int]] = defaultdict(list)
    for key, number in db.execute(
        "SELECT key, qnum FROM (SELECT b.key AS key, b.qnum AS qnum, "
        "row_number() OVER (PARTITION BY b.key) AS place "
        "FROM temp.wanted_keys w CROSS JOIN block_keys b WHERE b.key = w.value) "
        "WHERE place <= ?",
        (limit,),
    ):
        found[key].append(number)
    return found


# --- a batch's candidates -----------------------------------------------------------------------


@dataclass(slots=True)
class Candidates:
    """What a batch of new quotes (by index in the batch) must be compared with."""

    stored: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    within: set[tuple[int, int]] = field(default_factory=set)
    stored_counts: dict[int, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Lookups:
    """Per new quote: its usable keys (another quote holds them, few enough to look up) and
    among them its QUERY_KEYS rarest."""

    usable: dict[int, list[int]]
    rarest: dict[int, list[int]]
    shareable: dict[int, list[int]]


def _choose_lookups(
    keys: np.ndarray, owners: np.ndarray, stored_counts: dict[int, int]
) -> _Lookups:
    batch = Counter(keys.tolist())
    ranked: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for key, owner in zip(keys.tolist(), owners.tolist(), strict=True):
        kind = _kind(key)
        if kind not in (KEY_PAIR, KEY_TRIPLE):
            continue
        holders = stored_counts.get(key, 0) + batch[key]
        if 2 <= holders <= MAX_KEY_HOLDERS:
            ranked[owner].append((kind, holders, key))
    return _Lookups(
        usable={owner: [key for *_, key in r] for owner, r in ranked.items()},
        shareable={
            owner: [key for _, n, key in r if n <= SHARED_KEY_HOLDERS]
            for owner, r in ranked.items()
        },
        rarest={owner: [key for *_, key in sorted(r)[:QUERY_KEYS]] for owner, r in ranked.items()},
    )


def _batch_holders(keys: np.ndarray, owners: np.ndarray) -> dict[int, list[int]]:
    holders: dict[int, list[int]] = defaultdict(list)
    for key, owner in zip(keys.tolist(), owners.tolist(), strict=True):
        holders[key].append(owner)
    return holders


def _holders_of(owner: int, lookups: _Lookups, holders: dict[int, list[int]]) -> set[int]:
    """The holders of the owner's rarest keys, and the quotes sharing at least MIN_SHARED_KEYS of
    its keys held by few quotes (the two rules of :func:`quotes.clusters.cluster_quotes`).

    In a whole-corpus run both quotes of a pair look up their rarest keys; in a batch only the
    new one does: the second rule finds a version of the same statement whichever quote would
    have looked it up."""
    found: set[int] = set()
    for key in lookups.rarest.get(owner, ()):
        found.update(holders.get(key, ()))
    shared = Counter(h for key in lookups.shareable.get(owner, ()) for h in holders.get(key, ()))
    found.update(h for h, n in shared.items() if n >= MIN_SHARED_KEYS)
    found.discard(owner)
    return found


def find_candidates(
    db: sqlite3.Connection,
    items: Sequence[MatchItem],
    profiles: Sequence[QuoteProfile],
    corpus_size: int,
) -> Candidates:
    """The stored quotes (as numbers) and the other new quotes each new quote may report the
    same utterance as: holders of its rarest keys or of several of its keys, its verbatim twins
    when it has no key to look up, and for one-word quotes the quotes of the same speaker
    holding the word."""
    found = Candidates()
    keys, owners = quote_keys(profiles)
    looked_up = {k for k in keys.tolist() if _kind(k) in (KEY_PAIR, KEY_TRIPLE)}
    found.stored_counts = _stored_counts(db, looked_up)
    lookups = _choose_lookups(keys, owners, found.stored_counts)
    in_batch = _batch_holders(keys, owners)
    wanted = {k for ks in lookups.usable.values() for k in ks if found.stored_counts.get(k)}
    stored = _stored_holders(db, wanted, MAX_KEY_HOLDERS)
    for owner in lookups.usable:
        found.stored[owner].update(_holders_of(owner, lookups, stored))
        found.within.update(_pairs(owner, _holders_of(owner, lookups, in_batch)))
    _add_twins(db, found, keys, owners, set(lookups.usable), corpus_size)
    _add_one_word_matches(db, found, items, profiles, corpus_size)
    return found


def _pairs(owner: int, others: Iterable[int]) -> Iterable[tuple[int, int]]:
    return ((min(owner, o), max(owner, o)) for o in others if o != owner)


def _add_twins(
    db: sqlite3.Connection,
    found: Candidates,
    keys: np.ndarray,
    owners: np.ndarray,
    asked: set[int],
    corpus_size: int,
) -> None:
    """A quote with nothing to look up can still have verbatim twins, stored or new."""
    twin_of = {
        owner: key
        for key, owner in zip(keys.tolist(), owners.tolist(), strict=True)
        if _kind(key) == KEY_TWIN and owner not in asked
    }
    stored = _stored_holders(db, set(twin_of.values()), posting_limit(corpus_size))
    by_key: dict[int, list[int]] = defaultdict(list)
    for owner, key in twin_of.items():
        found.stored[owner].update(stored.get(key, ()))
        by_key[key].append(owner)
    for group in by_key.values():
        for owner in group:
            found.within.update(_pairs(owner, group))


def _lone_word(prof: QuoteProfile) -> tuple[str, str] | None:
    """(stem, surface word) of a quote with one content word."""
    if len(prof.content) != 1:
        return None
    surface = [w for w in prof.norm.split() if w not in STOPWORDS]
    return prof.content[0], (surface[0] if surface else prof.content[0])


def _add_one_word_matches(
    db: sqlite3.Connection,
    found: Candidates,
    items: Sequence[MatchItem],
    profiles: Sequence[QuoteProfile],
    corpus_size: int,
) -> None:
    """One-word quotes meet the longer quotes holding their word.

    Only the same speaker can make such a pair the same utterance (the decision's penalty for a
    one-word quote leaves no room for an unknown speaker), so a new one-word quote looks among
    its speaker's quotes; a new longer quote finds the stored one-word quotes by their word key.
    """
    limit = posting_limit(corpus_size)
    lone = {i: word for i, p in enumerate(profiles) if (word := _lone_word(p))}
    probes: dict[int, list[int]] = defaultdict(list)
    for index, prof in enumerate(profiles):
        if index not in lone:
            for stem in prof.words:
                probes[word_key(stem)].append(index)
    stored = _stored_holders(db, probes, limit)
    for key, askers in probes.items():
        for asker in askers:
            found.stored[asker].update(stored.get(key, ()))
    for index, (stem, surface) in lone.items():
        found.within.update(_pairs(index, (o for o, p in enumerate(profiles) if stem in p.words)))
        speaker = items[index].speaker
        if speaker:
            rows = db.execute(
                "SELECT l.quote_id FROM links l JOIN quotes q ON q.quote_id = l.quote_id "
                "WHERE l.speaker = ? AND instr(lower(q.text), ?) > 0 LIMIT ?",
                (speaker, surface, limit),
            )
            found.stored[index].update(qnum(quote) for (quote,) in rows)


# --- a batch merged into the stored clusters ----------------------------------------------------


@dataclass(slots=True)
class _Local:
    """The quotes one batch works on, by index: the new ones first, then stored ones."""

    quotes: list[StoredQuote]
    items: list[MatchItem]
    profiles: list[QuoteProfile]
    index: dict[str, int]

    def add(self, quote: StoredQuote) -> int:
        if quote.quote_id not in self.index:
            self.index[quote.quote_id] = len(self.quotes)
            self.quotes.append(quote)
            self.items.append(match_item(quote))
            self.profiles.append(profile(quote.text))
        return self.index[quote.quote_id]


@dataclass(frozen=True, slots=True)
class Constraints:
    """An editor's decisions about statements, by quote id: pairs kept ``together`` and quotes
    kept ``apart`` (quote -> quotes it may never share a statement with).

    Example:
        >>> Constraints(together=frozenset({("q-1", "q-2")})).pairs({"q-1": 0, "q-2": 5})
        [(0, 5)]
    """

    together: frozenset[tuple[str, str]] = frozenset()
    apart: Mapping[str, Collection[str]] = field(default_factory=dict)

    def pairs(self, index: Mapping[str, int]) -> list[tuple[int, int]]:
        """The pairs kept together whose two quotes are both in ``index``."""
        return [(index[a], index[b]) for a, b in sorted(self.together) if a in index and b in index]

    def apart_of(self, index: Mapping[str, int]) -> dict[int, set[int]]:
        """``apart`` among the quotes in ``index``."""
        return {
            index[quote]: {index[o] for o in others if o in index}
            for quote, others in self.apart.items()
            if quote in index
        }

    def partners(self, quote_ids: Iterable[str]) -> set[str]:
        """The quotes kept together with any of ``quote_ids``."""
        wanted = set(quote_ids)
        return {o for pair in self.together if wanted & set(pair) for o in pair} - wanted


def batch_groups(
    db: sqlite3.Connection,
    new: Sequence[StoredQuote],
    reform: Iterable[str],
    corpus_size: int,
    constraints: Constraints | None = None,
) -> tuple[list[list[StoredQuote]], Candidates]:
    """The clusters a batch changes, as lists of members: the new quotes merged into the stored
    clusters they match, and the clusters in ``reform`` (that lost members) formed again, all
    under the editor's ``constraints``. Quotes are matched under their ``shown_speaker``.

    Clusters the batch does not touch are not returned; the candidates are returned so the
    caller can index the new quotes with the counts already read."""
    rules = constraints or Constraints()
    local = _Local([], [], [], {})
    for quote in new:
        local.add(quote)
    found = find_candidates(db, local.items, local.profiles, corpus_size)
    stored = load_by_id(db, {_id(n) for numbers in found.stored.values() for n in numbers})
    pairs = set(found.within)
    for asker, numbers in found.stored.items():
        for number in numbers:
            found_quote = stored.get(_id(number))
            if found_quote is not None and found_quote.cluster_id is not None:
                pairs.add((asker, local.add(found_quote)))
    edges = _score(pairs, local)
    touched = {
        cluster
        for _, a, b in edges
        for i in (a, b)
        if (cluster := local.quotes[i].cluster_id) is not None
    }
    for partner in load_by_id(db, rules.partners(q.quote_id for q in new)).values():
        if partner.cluster_id is not None:  # a quote without a link is not shown
            local.add(partner)
            touched.add(partner.cluster_id)
    reformed = set(reform)
    groups = _stored_groups(db, local, touched - reformed)
    groups += _reformed_groups(db, local, reformed, rules)
    merged = merge_groups(
        edges,
        local.items,
        local.profiles,
        groups,
        apart=rules.apart_of(local.index),
        together=rules.pairs(local.index),
    )
    return [
        [local.quotes[i] for i in g] for g in _changed(merged, groups, len(new), reformed, local)
    ], found


def _changed(
    merged: list[list[int]],
    groups: list[list[int]],
    new: int,
    reformed: set[str],
    local: _Local,
) -> list[list[int]]:
    """The merged groups that differ from what is stored: those holding a new quote, and the
    stored groups that changed. Candidates that matched nothing stay as they are."""
    before = {tuple(sorted(g)) for g in groups}
    stored = {i for g in groups for i in g}
    return [
        g
        for g in merged
        if g[0] < new
        or (
            any(i in stored for i in g)
            and (tuple(g) not in before or any(local.quotes[i].cluster_id in reformed for i in g))
        )
    ]


def _id(number: int) -> str:
    return quote_id_of(number)


def _score(pairs: set[tuple[int, int]], local: _Local) -> list[tuple[float, int, int]]:
    ordered = sorted((min(a, b), max(a, b)) for a, b in pairs if a != b)
    if not ordered:
        return []
    lows = np.array([a for a, _ in ordered], dtype=np.int64)
    highs = np.array([b for _, b in ordered], dtype=np.int64)
    return score_pairs(lows, highs, local.items, local.profiles)


def _stored_groups(db: sqlite3.Connection, local: _Local, cluster_ids: set[str]) -> list[list[int]]:
    """The stored clusters a batch touches, every member loaded, as groups of local indices."""
    members = cluster_members(db, cluster_ids)
    missing = {q for ids in members.values() for q in ids if q not in local.index}
    for quote in load_by_id(db, missing).values():
        local.add(quote)
    return [sorted(local.index[q] for q in ids) for ids in members.values()]


def _reformed_groups(
    db: sqlite3.Connection, local: _Local, cluster_ids: set[str], rules: Constraints
) -> list[list[int]]:
    """Clusters that lost members, formed again from the members left (one may have been the
    bridge between the others)."""
    groups: list[list[int]] = []
    for ids in cluster_members(db, cluster_ids).values():
        indices = [local.add(quote) for quote in load_by_id(db, ids).values()]
        own = {local.quotes[i].quote_id: n for n, i in enumerate(indices)}
        formed = cluster_profiles(
            [local.items[i] for i in indices],
            [local.profiles[i] for i in indices],
            apart=rules.apart_of(own),
            together=rules.pairs(own),
        )
        groups += [[indices[i] for i in g] for g in formed]
    return groups
