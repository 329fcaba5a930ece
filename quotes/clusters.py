"""Group the quotes that report one utterance: a whole corpus at once, or batch by batch.

The pair decision is :func:`quotes.match.same_utterance`; this module decides which pairs to ask
it about, and how accepted pairs become groups.

1. **Blocking keys.** Every quote is indexed under its pairs of nearby content words (adjacent or
   one apart, in either order) and its runs of three; a quote of one content word also under
   that word, and every quote under the hash of its normalised text (its *twin* key, for
   verbatim copies). Keys are 63-bit numbers built from stable word hashes, the same in every
   run, so a store can keep them (:func:`quote_keys`) and look new quotes up among the old.
2. **Lookups.** A quote looks up its :data:`QUERY_KEYS` rarest keys that another quote holds
   too, pairs before runs of three; a key held by more than :data:`MAX_KEY_HOLDERS` quotes is
   never looked up, so the number of candidate pairs grows close to linearly with the corpus.
   Quotes sharing :data:`MIN_SHARED_KEYS` keys (each held by few quotes) are candidates too.
3. **Scores.** Candidates are judged with the decision rule (a cheap word-overlap screen first);
   two quotes of one article only join when near-identical.
4. **Merge.** Accepted pairs are merged strongest first, and two groups merge only when their
   references (most complete members) also match each other, so one bridging quote cannot chain
   two statements together. Existing groups (clusters already stored) can be given to
   :func:`merge_groups`: a batch then only joins or merges the groups its quotes touch.

Example:
    >>> from quotes.match import MatchItem
    >>> items = [MatchItem("x2", "all forms of hegemonism", speaker="Wang Yi", doc="x"),
    ...          MatchItem("y7", "Beijing opposes all forms of hegemonism", speaker="Wang Yi",
    ...                    doc="y")]
    >>> [c.member_ids for c in cluster_quotes(items)]
    [('x2', 'y7')]
"""

from __future__ import annotations

import hashlib
import itertools
from collections import defaultdict
from collections.abc import Collection, Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
from rapidfuzz import fuzz

from quotes.errors import InputError
from quotes.match import Cluster, MatchItem, QuoteProfile, _decide, profile

__all__ = [
    "KEY_PAIR",
    "KEY_TRIPLE",
    "KEY_TWIN",
    "KEY_WORD",
    "MAX_KEY_HOLDERS",
    "MIN_SHARED_KEYS",
    "QUERY_KEYS",
    "SHARED_KEY_HOLDERS",
    "cluster_id",
    "cluster_profiles",
    "cluster_quotes",
    "key_limit",
    "merge_groups",
    "posting_limit",
    "quote_keys",
    "score_pairs",
]

# Blocking (measured by bench/matching.py --scale). Rare single words were the keys before: with
# a fixed vocabulary every word's frequency grows with the corpus, and the candidates grew about
# as n^1.4 (1M quotes took 24x the time of 100k); two words side by side stay rare. A quote of
# one content word looks up that word, among at most posting_limit(n) quotes.
QUERY_KEYS = 3
MAX_KEY_HOLDERS = 64
# Two quotes sharing MIN_SHARED_KEYS keys, each held by at most SHARED_KEY_HOLDERS quotes, are
# candidates too: a quote's rarest keys are often shared with unrelated quotes by chance (two
# common words side by side), while two versions of one statement share many keys.
MIN_SHARED_KEYS = 2
SHARED_KEY_HOLDERS = 16
MAX_POSTING = 400
MAX_POSTING_SHARE = 0.004

# Key kinds, in the order a quote prefers them; the kind sits in the top bits of a key.
KEY_PAIR, KEY_TRIPLE, KEY_WORD, KEY_TWIN = 0, 1, 2, 3
_KIND_SHIFT = 61
_HASH_MASK = (1 << _KIND_SHIFT) - 1
_PAIR_GAPS = (1, 2)
_MIXERS = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9)
# Keys are made and moved this many at a time, to keep the temporary arrays small.
_CHUNK = 1 << 18


def posting_limit(corpus_size: int) -> int:
    """How many quotes may hold the word that a one-word quote looks up.

    Example:
        >>> posting_limit(10_000), posting_limit(1_000_000)
        (400, 4000)
    """
    return max(MAX_POSTING, int(corpus_size * MAX_POSTING_SHARE))


def key_limit(kind: int, corpus_size: int) -> int:
    """The most holders a key of ``kind`` may have and still be looked up.

    Example:
        >>> key_limit(KEY_PAIR, 10**6), key_limit(KEY_WORD, 10**6)
        (64, 4000)
    """
    if kind in (KEY_PAIR, KEY_TRIPLE):
        return MAX_KEY_HOLDERS
    return posting_limit(corpus_size)


def cluster_id(smallest_member: str) -> str:
    """The id of a cluster: a hash of its smallest member id (stable for the same members).

    Example:
        >>> cluster_id("q-1") == cluster_id("q-1")
        True
    """
    return "u-" + hashlib.blake2b(smallest_member.encode("utf-8"), digest_size=6).hexdigest()


# --- keys ---------------------------------------------------------------------------------------


@lru_cache(maxsize=1 << 20)
def _word_hash(word: str) -> int:
    # Stable across runs and processes, unlike Python's salted hash(): stored keys stay valid.
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


def _tag(kind: int, hashes: np.ndarray) -> np.ndarray:
    return (hashes & np.uint64(_HASH_MASK)) | np.uint64(kind << _KIND_SHIFT)


def _mix(*columns: np.ndarray) -> np.ndarray:
    # A 64-bit hash of word-hash columns (multiply, xor, rotate; wraps); a rare collision only
    # adds a candidate.
    mixed = np.zeros(len(columns[0]), dtype=np.uint64)
    for column, mixer in zip(columns, _MIXERS, strict=False):
        mixed ^= (column.astype(np.uint64) + np.uint64(1)) * np.uint64(mixer)
        mixed = (mixed << np.uint64(31)) | (mixed >> np.uint64(33))
    return mixed


def _word_columns(profiles: Sequence[QuoteProfile]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every content word of every quote in reading order: (word hashes, owners, lengths)."""
    lengths = np.fromiter((len(p.content) for p in profiles), dtype=np.int64, count=len(profiles))
    hashes = np.fromiter(
        (_word_hash(w) for p in profiles for w in p.content),
        dtype=np.uint64,
        count=int(lengths.sum()),
    )
    owners = np.repeat(np.arange(len(profiles), dtype=np.uint64), lengths)
    return hashes, owners, lengths


def _key_pieces(
    word_ids: np.ndarray, owners: np.ndarray, lone_holders: np.ndarray
) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """(kind, hashes, owners), a chunk at a time: each quote's near word pairs (either order),
    its runs of three, and the words that one-word quotes look up."""
    total = len(word_ids)
    for gap in (*_PAIR_GAPS, 0):
        width = gap or 2  # gap 0: runs of three
        for start in range(0, max(total - width, 0), _CHUNK):
            stop = min(start + _CHUNK, total - width)
            same = owners[start:stop] == owners[start + width : stop + width]
            first = word_ids[start:stop][same]
            last = word_ids[start + width : stop + width][same]
            if gap:
                distinct = first != last
                low = np.minimum(first, last)[distinct]
                high = np.maximum(first, last)[distinct]
                yield KEY_PAIR, _mix(low, high), owners[start:stop][same][distinct]
            else:
                middle = word_ids[start + 1 : stop + 1][same]
                run = np.sort(np.stack([first, middle, last]), axis=0)
                yield KEY_TRIPLE, _mix(run[0], run[1], run[2]), owners[start:stop][same]
    if lone_holders.any():
        yield KEY_WORD, _mix(word_ids[lone_holders]), owners[lone_holders]


def _twin_hash(prof: QuoteProfile) -> int:
    return int.from_bytes(
        hashlib.blake2b(prof.norm.encode("utf-8"), digest_size=8, person=b"twin").digest(),
        "little",
    )


def quote_keys(profiles: Sequence[QuoteProfile]) -> tuple[np.ndarray, np.ndarray]:
    """Every key each quote is indexed under, as a store keeps them: ``(keys, owners)``.

    ``keys`` are 63-bit numbers (kind in the top bits, see :data:`KEY_PAIR`...), ``owners`` the
    index of the quote in ``profiles``; a key twice in one quote is listed once. A one-word quote
    holds its word (:data:`KEY_WORD`); every quote with words holds its twin key.

    Example:
        >>> keys, owners = quote_keys([profile("closely cooperate on regional issues")])
        >>> sorted({int(k) >> 61 for k in keys}), set(owners.tolist())
        ([0, 1, 3], {0})
    """
    word_ids, owners, lengths = _word_columns(profiles)
    lone_holders = np.repeat(lengths == 1, lengths)
    pieces = list(_key_pieces(word_ids, owners, lone_holders))
    key_parts = [_tag(kind, hashes) for kind, hashes, _ in pieces]
    owner_parts = [holders for _, _, holders in pieces]
    with_words = [i for i, p in enumerate(profiles) if p.norm]
    key_parts.append(
        _tag(KEY_TWIN, np.array([_twin_hash(profiles[i]) for i in with_words], dtype=np.uint64))
    )
    owner_parts.append(np.array(with_words, dtype=np.uint64))
    keys = np.concatenate(key_parts) if key_parts else np.zeros(0, dtype=np.uint64)
    holders = np.concatenate(owner_parts) if owner_parts else np.zeros(0, dtype=np.uint64)
    pairs = np.unique(np.stack([keys, holders]), axis=1)
    return pairs[0], pairs[1].astype(np.int64)


def word_key(word: str) -> int:
    """The key under which a quote of the one content word (stem) ``word`` is indexed.

    Example:
        >>> word_key("rig") >> 61 == KEY_WORD
        True
    """
    hashes = _mix(np.array([_word_hash(word)], dtype=np.uint64))
    return int(_tag(KEY_WORD, hashes)[0])


# --- a whole corpus at once ---------------------------------------------------------------------


def _sorted_keys(profiles: Sequence[QuoteProfile], owner_bits: int) -> np.ndarray:
    """Every (key, quote) once, as sorted numbers: the key's top bits above, the quote below.

    A word key is held by every quote holding the word of a one-word quote, so that the
    one-word quote finds them."""
    word_ids, owners, lengths = _word_columns(profiles)
    lone_words = word_ids[np.repeat(lengths == 1, lengths)]
    lone_holders = np.isin(word_ids, lone_words)
    total = len(word_ids)
    bound = sum(max(total - g, 0) for g in (*_PAIR_GAPS, 2)) + int(lone_holders.sum())
    packed = np.empty(bound, dtype=np.uint64)
    filled = 0
    drop = np.uint64(owner_bits - 1)
    for kind, hashes, holders in _key_pieces(word_ids, owners, lone_holders):
        tagged = _tag(kind, hashes) >> drop
        packed[filled : filled + len(hashes)] = (tagged << np.uint64(owner_bits)) | holders
        filled += len(hashes)
    del word_ids, owners, lone_holders
    packed = packed[:filled]
    packed.sort()
    # A key twice in one quote counts once; compacted in place, a chunk at a time.
    kept = 1 if filled else 0
    for start in range(1, filled, _CHUNK):
        stop = min(start + _CHUNK, filled)
        block = packed[start:stop][packed[start:stop] != packed[start - 1 : stop - 1]]
        packed[kept : kept + len(block)] = block
        kept += len(block)
    return packed[:kept]


def _blocked_pairs(profiles: Sequence[QuoteProfile]) -> tuple[np.ndarray, np.ndarray]:
    """Candidate pairs (low[i] < high[i], sorted): quotes sharing a key that one of them looks up.

    Vectorised with numpy, and a slice of the sorted keys at a time: a million quotes hold
    about forty million keys.
    """
    count = len(profiles)
    if count < 2:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    owner_bits = (count - 1).bit_length()
    hash_bits = _KIND_SHIFT + 1 - owner_bits
    packed = _sorted_keys(profiles, owner_bits)
    owner_mask = np.uint64((1 << owner_bits) - 1)
    # Each quote's QUERY_KEYS rarest lookups so far: (kind, holder count) as one number, and
    # the position of the looked-up entry in `packed`.
    best_rank = np.full((count, QUERY_KEYS), np.iinfo(np.int64).max, dtype=np.int64)
    best_entry = np.full((count, QUERY_KEYS), -1, dtype=np.int64)
    slice_start = 0
    while slice_start < len(packed):
        slice_stop = min(slice_start + 8 * _CHUNK, len(packed))
        if slice_stop < len(packed):
            # Never cut a key's group: move the end to the group's first entry.
            key = packed[slice_stop] >> np.uint64(owner_bits)
            slice_stop = int(np.searchsorted(packed, key << np.uint64(owner_bits)))
            if slice_stop <= slice_start:
                slice_stop = int(
                    np.searchsorted(packed, (key + np.uint64(1)) << np.uint64(owner_bits))
                )
        _rank_lookups(packed, slice_start, slice_stop, owner_bits, hash_bits, best_rank, best_entry)
        slice_start = slice_stop
    askers = np.repeat(np.arange(count, dtype=np.int64), QUERY_KEYS)
    entries = best_entry.ravel()
    del best_rank, best_entry
    askers, entries = askers[entries >= 0], entries[entries >= 0]
    # The looked-up groups, found again by binary search in the sorted keys.
    group_keys = packed[entries] >> np.uint64(owner_bits)
    starts = np.searchsorted(packed, group_keys << np.uint64(owner_bits))
    sizes = np.searchsorted(packed, (group_keys + np.uint64(1)) << np.uint64(owner_bits)) - starts
    offsets = np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    found = (packed[np.repeat(starts, sizes) + offsets] & owner_mask).astype(np.int64)
    del group_keys, starts, offsets
    asking = np.repeat(askers, sizes)
    codes = [np.minimum(asking, found) * count + np.maximum(asking, found)]
    del found, asking
    codes.append(_shared_key_pairs(packed, owner_bits, hash_bits, count))
    del packed
    # A quote with nothing to look up (no key that another quote shares and few enough hold)
    # can still have a verbatim twin.
    unasked = np.ones(count, dtype=bool)
    unasked[askers] = False
    twins: dict[str, list[int]] = defaultdict(list)
    for index in np.flatnonzero(unasked).tolist():
        if profiles[index].norm:
            twins[profiles[index].norm].append(index)
    codes.extend(
        np.array([low * count + high for low, high in itertools.combinations(group, 2)])
        for group in twins.values()
        if len(group) > 1
    )
    pairs = np.unique(np.concatenate(codes))
    pairs = pairs[pairs // count != pairs % count]
    return pairs // count, pairs % count


def _shared_key_pairs(
    packed: np.ndarray, owner_bits: int, hash_bits: int, count: int
) -> np.ndarray:
    """Pairs (as low * count + high) sharing at least MIN_SHARED_KEYS pair or triple keys held by
    at most SHARED_KEY_HOLDERS quotes: versions of one statement share many keys, whichever
    quote's rarest keys they are (the rule a batch uses too, see quotes.store.clustering)."""
    keys = packed >> np.uint64(owner_bits)
    holders = (packed & np.uint64((1 << owner_bits) - 1)).astype(np.int64)
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    sizes = np.diff(np.r_[starts, len(keys)])
    kinds = (keys[starts] >> np.uint64(hash_bits)).astype(np.int64)
    shareable = (sizes >= 2) & (sizes <= SHARED_KEY_HOLDERS) & (kinds != KEY_WORD)
    del keys
    pieces = []
    for size in range(2, SHARED_KEY_HOLDERS + 1):
        first = starts[shareable & (sizes == size)]
        if not len(first):
            continue
        members = holders[first[:, None] + np.arange(size)]
        low, high = np.triu_indices(size, 1)
        a, b = members[:, low].ravel(), members[:, high].ravel()
        pieces.append(np.minimum(a, b) * count + np.maximum(a, b))
    if not pieces:
        return np.zeros(0, dtype=np.int64)
    codes = np.concatenate(pieces)
    del pieces
    codes.sort()
    run = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1], True])
    counts = np.diff(run)
    return codes[run[:-1][counts >= MIN_SHARED_KEYS]]


def _rank_lookups(
    packed: np.ndarray,
    start: int,
    stop: int,
    owner_bits: int,
    hash_bits: int,
    best_rank: np.ndarray,
    best_entry: np.ndarray,
) -> None:
    """Offer the keys in packed[start:stop] (whole groups) to their quotes' best lookups."""
    keys = packed[start:stop] >> np.uint64(owner_bits)
    holders = (packed[start:stop] & np.uint64((1 << owner_bits) - 1)).astype(np.int64)
    first_of_group = np.r_[True, keys[1:] != keys[:-1]]
    group_starts = np.flatnonzero(first_of_group)
    group_sizes = np.diff(np.r_[group_starts, len(keys)])
    holder_count = np.repeat(group_sizes, group_sizes)
    kinds = (keys >> np.uint64(hash_bits)).astype(np.int64)
    limit = np.where(kinds == KEY_WORD, posting_limit(len(best_rank)), MAX_KEY_HOLDERS)
    usable = np.flatnonzero((holder_count >= 2) & (holder_count <= limit))
    if not len(usable):
        return
    # Pairs before runs of three, then the fewest holders; ties stay in key order.
    rank = (kinds[usable] << 40) | holder_count[usable]
    askers = holders[usable]
    entries = usable + start
    # Merge with the best so far, per quote, and keep the QUERY_KEYS best.
    touched = np.unique(askers)
    rank = np.concatenate([best_rank[touched].ravel(), rank])
    entries = np.concatenate([best_entry[touched].ravel(), entries])
    askers = np.concatenate([np.repeat(touched, best_rank.shape[1]), askers])
    order = np.lexsort((entries, rank, askers))
    rank, entries, askers = rank[order], entries[order], askers[order]
    first = np.r_[True, askers[1:] != askers[:-1]]
    places = np.arange(len(askers))
    place = places - np.maximum.accumulate(np.where(first, places, 0))
    keep = place < best_rank.shape[1]
    best_rank[askers[keep], place[keep]] = rank[keep]
    best_entry[askers[keep], place[keep]] = entries[keep]


# --- scores and merges --------------------------------------------------------------------------


def _score_candidates(
    index: int,
    candidates: list[int],
    items: Sequence[MatchItem],
    profiles: Sequence[QuoteProfile],
) -> Iterator[tuple[float, int, int]]:
    item, prof = items[index], profiles[index]
    own_words = prof.words
    for other in candidates:
        other_prof = profiles[other]
        other_words = other_prof.words
        # Cheap screen before the RapidFuzz calls: most blocked candidates share one word only.
        if len(own_words & other_words) * 3 < min(len(own_words), len(other_words)):
            continue
        other_item = items[other]
        if (
            item.doc is not None
            and item.doc == other_item.doc
            and not _near_identical(prof, other_prof)
        ):
            continue
        decision = _decide(prof, other_prof, item, other_item, exact_score=False)
        if decision.same:
            yield (decision.score, index, other)


def score_pairs(
    lows: np.ndarray,
    highs: np.ndarray,
    items: Sequence[MatchItem],
    profiles: Sequence[QuoteProfile],
    *,
    bar: Any = None,
) -> list[tuple[float, int, int]]:
    """The accepted pairs among candidates ``(lows[i], highs[i])`` (sorted by ``lows``), as
    ``(score, low, high)`` edges for :func:`merge_groups`.

    Example:
        >>> from quotes.match import MatchItem
        >>> items = [MatchItem("a", "we will never surrender"), MatchItem("b", "never surrender")]
        >>> edges = score_pairs(np.array([0]), np.array([1]), items,
        ...                     [profile(i.text) for i in items])
        >>> [(low, high) for _, low, high in edges]
        [(0, 1)]
    """
    edges: list[tuple[float, int, int]] = []
    run_starts = [0, *(np.flatnonzero(lows[1:] != lows[:-1]) + 1).tolist(), len(lows)]
    done = 0
    for start, end in itertools.pairwise(run_starts):
        if start == end:
            continue
        index = int(lows[start])
        edges.extend(_score_candidates(index, highs[start:end].tolist(), items, profiles))
        if bar is not None and index - done >= 1000:
            bar.update(index - done)
            done = index
    return edges


def _near_identical(a: QuoteProfile, b: QuoteProfile) -> bool:
    return fuzz.ratio(a.norm, b.norm) >= 90


def _completeness(item: MatchItem, prof: QuoteProfile) -> tuple[int, int, int, str]:
    # The reference of a group: a direct quote first, then the most words, then the earliest.
    direct = 0 if item.kind in (None, "direct") else 1
    published = item.published.toordinal() if item.published else 10**7
    return (direct, -len(prof.content), published, item.id)


class _Groups:
    """Union-find over quotes, with each group's members and references."""

    def __init__(self, items: Sequence[MatchItem], profiles: Sequence[QuoteProfile]) -> None:
        self.items, self.profiles = items, profiles
        self.parent = list(range(len(items)))
        self.references: dict[int, list[int]] = {i: [i] for i in range(len(items))}
        self.members: dict[int, list[int]] = {i: [i] for i in range(len(items))}

    def find(self, node: int) -> int:
        parent = self.parent
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def completeness(self, i: int) -> tuple[int, int, int, str]:
        return _completeness(self.items[i], self.profiles[i])

    def join(self, left: int, right: int, *, one_statement: bool) -> None:
        """Join the groups of ``left`` and ``right``; one statement keeps one reference, the
        most complete, else every reference of both is kept."""
        root_left, root_right = self.find(left), self.find(right)
        if root_left == root_right:
            return
        if len(self.members[root_left]) < len(self.members[root_right]):
            root_left, root_right = root_right, root_left
        self.parent[root_right] = root_left
        self.members[root_left].extend(self.members.pop(root_right))
        refs = self.references[root_left] + self.references.pop(root_right)
        self.references[root_left] = [min(refs, key=self.completeness)] if one_statement else refs

    def kept_apart(self, left: int, right: int, apart: Mapping[int, Collection[int]]) -> bool:
        others = set(self.members[self.find(right)])
        return any(o in others for m in self.members[self.find(left)] for o in apart.get(m, ()))

    def references_agree(self, left: int, right: int) -> bool:
        """Anti-chaining: the groups' most complete versions must match each other too."""
        items, profiles = self.items, self.profiles
        pairs = itertools.product(
            self.references[self.find(left)], self.references[self.find(right)]
        )
        return any(
            (a, b) == (left, right) or _decide(profiles[a], profiles[b], items[a], items[b]).same
            for a, b in pairs
        )

    def single(self, node: int) -> bool:
        return len(self.references[self.find(node)]) == 1


def merge_groups(
    edges: list[tuple[float, int, int]],
    items: Sequence[MatchItem],
    profiles: Sequence[QuoteProfile],
    groups: Sequence[Sequence[int]] = (),
    apart: Mapping[int, Collection[int]] | None = None,
    together: Sequence[tuple[int, int]] = (),
) -> list[list[int]]:
    """Merge accepted pairs into groups, strongest first, without chaining statements.

    ``groups`` are statements formed before (the stored clusters a batch touches): they start
    merged. Two groups merge only when their most complete members (their references) also
    match, never when that would put two different quotes of one article together, and never
    when ``apart`` (index -> indices an editor split it from) forbids it. ``together`` are
    pairs an editor merged: their statements start as one group whose references include both
    quotes of every such pair, so a new version of either statement still joins it.

    Example:
        >>> from quotes.match import MatchItem
        >>> items = [MatchItem(i, t, doc=i) for i, t in
        ...          [("a", "we will never surrender"), ("b", "never surrender"),
        ...           ("c", "we will never surrender our land")]]
        >>> profiles = [profile(i.text) for i in items]
        >>> merge_groups([(0.9, 1, 2)], items, profiles, groups=[[0, 1]])
        [[0, 1, 2]]
    """
    state = _Groups(items, profiles)
    for group in groups:
        for member in group[1:]:
            state.join(group[0], member, one_statement=True)
    for left, right in together:
        state.join(left, right, one_statement=False)
        # Once stored, a merged statement comes back as one group: its merged versions keep
        # standing for the statements it was made of.
        root = state.find(left)
        state.references[root] = list(dict.fromkeys([*state.references[root], left, right]))
    for _score_value, left, right in sorted(edges, key=lambda e: (-e[0], e[1], e[2])):
        if state.find(left) == state.find(right):
            continue
        if apart and state.kept_apart(left, right, apart):
            continue
        if not state.references_agree(left, right):
            continue
        members = state.members
        if _same_doc_conflict(
            members[state.find(left)], members[state.find(right)], items, profiles
        ):
            continue
        state.join(left, right, one_statement=state.single(left) and state.single(right))
    return sorted(sorted(group) for group in state.members.values())


def _merge(
    edges: list[tuple[float, int, int]],
    items: Sequence[MatchItem],
    profiles: Sequence[QuoteProfile],
) -> list[list[int]]:
    return merge_groups(edges, items, profiles)


def _same_doc_conflict(
    left: list[int], right: list[int], items: Sequence[MatchItem], profiles: Sequence[QuoteProfile]
) -> bool:
    docs_left: dict[str, list[int]] = defaultdict(list)
    for member in left:
        doc = items[member].doc
        if doc is not None:
            docs_left[doc].append(member)
    for member in right:
        doc = items[member].doc
        if doc is None or doc not in docs_left:
            continue
        if not all(_near_identical(profiles[member], profiles[o]) for o in docs_left[doc]):
            return True
    return False


def _progress_bar(total: int, progress: bool | None, desc: str) -> Any:
    show = progress if progress is not None else total >= 50_000
    if not show:
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="quote", leave=False)


def cluster_profiles(
    items: Sequence[MatchItem],
    profiles: Sequence[QuoteProfile],
    *,
    progress: bool | None = None,
    apart: Mapping[int, Collection[int]] | None = None,
    together: Sequence[tuple[int, int]] = (),
) -> list[list[int]]:
    """Group ``items`` (with their profiles, in the same order) into utterances; returns the
    groups as sorted lists of indices, in the order of their first member. ``apart`` and
    ``together`` are an editor's decisions, as in :func:`merge_groups`.

    Example:
        >>> from quotes.match import MatchItem
        >>> items = [MatchItem("a", "never surrender", doc="a"),
        ...          MatchItem("b", "we will never surrender", doc="b")]
        >>> cluster_profiles(items, [profile(i.text) for i in items])
        [[0, 1]]
    """
    bar = _progress_bar(len(items), progress, "matching quotes")
    lows, highs = _blocked_pairs(profiles)
    edges = score_pairs(lows, highs, items, profiles, bar=bar)
    if bar is not None:
        bar.update(len(items) - bar.n)
        bar.close()
    return merge_groups(edges, items, profiles, apart=apart, together=together)


def cluster_quotes(items: Sequence[MatchItem], *, progress: bool | None = None) -> list[Cluster]:
    """Group ``items`` into utterances; every item lands in exactly one cluster.

    Ids are stable: the same items in any order give the same clusters and ids (the id is a
    hash of the smallest member id). ``progress`` shows a tqdm bar (``None``: only for large
    inputs). Two quotes of one article are grouped only when their texts are near-identical
    (an article repeating its own quote).

    Example:
        >>> from quotes.match import MatchItem
        >>> items = [MatchItem("x2", "all forms of hegemonism", speaker="Wang Yi", doc="x"),
        ...          MatchItem("y7", "Beijing opposes all forms of hegemonism", speaker="Wang Yi",
        ...                    doc="y"),
        ...          MatchItem("z1", "a fairer world order", doc="z")]
        >>> [c.member_ids for c in cluster_quotes(items)]
        [('x2', 'y7'), ('z1',)]
    """
    ordered_items = sorted(items, key=lambda item: item.id)
    for previous, current in itertools.pairwise(ordered_items):
        if previous.id == current.id:
            raise InputError("cluster_quotes", f"quote id {current.id!r} appears twice")
    profiles = [profile(item.text) for item in ordered_items]
    groups = cluster_profiles(ordered_items, profiles, progress=progress)
    clusters = [
        Cluster(
            id=cluster_id(ordered_items[members[0]].id),
            member_ids=tuple(ordered_items[m].id for m in members),
        )
        for members in groups
    ]
    return sorted(clusters, key=lambda cluster: cluster.member_ids[0])
