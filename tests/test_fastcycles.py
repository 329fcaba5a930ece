"""quotes.fastcycles gives Stanza's tree decoder exactly the cycles Stanza's own code finds."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("stanza")

from stanza.models.common import chuliu_edmonds

from quotes.fastcycles import (
    contract_cycle,
    find_cycles,
    install,
    stanza_process_cycle,
    stanza_tarjan,
)


@st.composite
def head_arrays(draw: st.DrawFn) -> np.ndarray:
    size = draw(st.integers(min_value=1, max_value=40))
    heads = [0] + [draw(st.integers(min_value=0, max_value=size - 1)) for _ in range(size - 1)]
    return np.array(heads)


def masks(cycles: list[np.ndarray]) -> list[list[int]]:
    return [np.flatnonzero(c).tolist() for c in cycles]


def test_cycles_of_small_graphs() -> None:
    # 1 -> 3 -> 2 -> 1 is a cycle; 4 hangs off it; 5 is attached to the root.
    tree = np.array([0, 2, 3, 1, 1, 0])
    assert masks(find_cycles(tree)) == [[1, 2, 3]]
    assert find_cycles(np.array([0, 0, 1, 2])) == []
    # Two separate cycles, reported in Stanza's order.
    two = np.array([0, 2, 1, 4, 3])
    assert masks(find_cycles(two)) == masks(stanza_tarjan()(two))


def test_long_chain_does_not_overflow_the_stack() -> None:
    size = 5000
    chain = np.array([0, *range(size - 1)])
    chain[1] = size - 1  # closes one long cycle through every node but the root
    assert [len(m) for m in masks(find_cycles(chain))] == [size - 1]


@settings(max_examples=300, deadline=None)
@given(head_arrays())
def test_same_cycles_as_stanza(tree: np.ndarray) -> None:
    ours = find_cycles(tree)
    theirs = stanza_tarjan()(tree)
    assert masks(ours) == masks(theirs)
    assert all(c.dtype == bool and c.shape == tree.shape for c in ours)


@settings(max_examples=150, deadline=None)
@given(
    size=st.integers(min_value=3, max_value=30),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
)
def test_contraction_matches_stanza(size: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    scores = rng.normal(size=(size, size))
    tree = np.array([0, *rng.integers(0, size, size=size - 1)])
    for cycle in stanza_tarjan()(tree):
        ours = contract_cycle(tree, cycle, scores)
        theirs = stanza_process_cycle()(tree, cycle, scores)
        for mine, reference in zip(ours, theirs, strict=True):
            assert mine.dtype == reference.dtype
            assert np.array_equal(mine, reference)


@settings(max_examples=150, deadline=None)
@given(
    size=st.integers(min_value=2, max_value=45),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
)
def test_decoded_trees_are_identical(size: int, seed: int) -> None:
    scores = np.random.default_rng(seed).normal(size=(size, size)).astype(np.float32)
    saved = chuliu_edmonds.tarjan, chuliu_edmonds.process_cycle
    try:
        chuliu_edmonds.tarjan = stanza_tarjan()
        chuliu_edmonds.process_cycle = stanza_process_cycle()
        expected = chuliu_edmonds.chuliu_edmonds_one_root(scores)
        chuliu_edmonds.tarjan = find_cycles
        chuliu_edmonds.process_cycle = contract_cycle
        got = chuliu_edmonds.chuliu_edmonds_one_root(scores)
    finally:
        chuliu_edmonds.tarjan, chuliu_edmonds.process_cycle = saved
    assert got.tolist() == expected.tolist()
    assert sum(1 for head in got[1:] if head == 0) == 1


def test_install_is_idempotent_and_keeps_the_original() -> None:
    original = stanza_tarjan(), stanza_process_cycle()
    assert install() and install()
    assert chuliu_edmonds.tarjan is find_cycles
    assert chuliu_edmonds.process_cycle is contract_cycle
    assert (stanza_tarjan(), stanza_process_cycle()) == original
    assert original[0] is not find_cycles and original[1] is not contract_cycle
