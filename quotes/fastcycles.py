"""A faster drop-in for the cycle finder of Stanza's dependency-tree decoder (same output).

Stanza decodes every parsed sentence with Chu-Liu-Edmonds
(``stanza.models.common.chuliu_edmonds``). Its ``tarjan`` step walks the graph one node at a
time with NumPy calls on whole arrays (``np.where(tree == i)`` per node), and it runs again after
every cycle contraction; on our CPU profile it was the largest single cost of the parser after
the network itself (about a quarter of the parse time). :func:`find_cycles` is the same
algorithm (Tarjan's strongly connected components, same visiting order, same cycles in the same
order) on plain Python lists, and :func:`contract_cycle` is Stanza's contraction step without
its costly ``np.pad``, so the decoded trees are identical; :func:`install` swaps both in.

Only :mod:`quotes.nlp` calls :func:`install`; nothing else here imports Stanza at import time.

Example:
    >>> import numpy as np
    >>> [c.nonzero()[0].tolist() for c in find_cycles(np.array([0, 3, 1, 2]))]
    [[1, 2, 3]]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

CycleFinder = Callable[[np.ndarray], list[np.ndarray]]

_stanza_tarjan: CycleFinder | None = None
_stanza_process_cycle: Callable[..., Any] | None = None


def find_cycles(tree: np.ndarray) -> list[np.ndarray]:
    """The cycles of a head array (``tree[i]`` is the head of node ``i``, ``tree[0] == 0``).

    Returns one boolean mask per cycle of two or more nodes, in the order Stanza's ``tarjan``
    returns them.

    Example:
        >>> find_cycles(np.array([0, 2, 0, 2]))
        []
    """
    heads = [int(h) for h in tree.tolist()]
    size = len(heads)
    children: list[list[int]] = [[] for _ in range(size)]
    for node, head in enumerate(heads):
        children[head].append(node)  # ascending, like np.where(tree == head)
    index = [-1] * size
    low = [-1] * size
    on_stack = [False] * size
    stack: list[int] = []
    cycles: list[np.ndarray] = []
    counter = 0
    for start in range(size):
        if index[start] != -1:
            continue
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack[start] = True
        # An explicit stack of (node, next child position): long chains overflow recursion.
        work = [(start, 0)]
        while work:
            node, position = work[-1]
            kids = children[node]
            descended = False
            while position < len(kids):
                child = kids[position]
                position += 1
                if index[child] == -1:
                    work[-1] = (node, position)
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack[child] = True
                    work.append((child, 0))
                    descended = True
                    break
                if on_stack[child] and index[child] < low[node]:
                    low[node] = index[child]
            if descended:
                continue
            work.pop()
            if low[node] == index[node]:
                members = []
                while True:
                    member = stack.pop()
                    on_stack[member] = False
                    members.append(member)
                    if member == node:
                        break
                if len(members) > 1:
                    cycle = np.zeros(size, dtype=bool)
                    cycle[members] = True
                    cycles.append(cycle)
            if work:
                parent = work[-1][0]
                if low[node] < low[parent]:
                    low[parent] = low[node]
    return cycles


def contract_cycle(
    tree: np.ndarray, cycle: np.ndarray, scores: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Stanza's ``process_cycle`` (contract one cycle into a node), without ``np.pad``.

    Same values and dtypes; ``np.pad`` alone cost as much as the rest of the contraction.

    Example:
        >>> sub, *_ = contract_cycle(np.array([0, 2, 1]), np.array([False, True, True]),
        ...                          np.zeros((3, 3)))
        >>> sub.shape
        (2, 2)
    """
    cycle_locs = np.where(cycle)[0]
    cycle_subtree = tree[cycle]
    cycle_scores = scores[cycle, cycle_subtree]
    cycle_score = cycle_scores.sum()
    noncycle = np.logical_not(cycle)
    noncycle_locs = np.where(noncycle)[0]
    metanode_head_scores = scores[cycle][:, noncycle] - cycle_scores[:, None] + cycle_score
    metanode_dep_scores = scores[noncycle][:, cycle]
    metanode_heads = np.argmax(metanode_head_scores, axis=0)
    metanode_deps = np.argmax(metanode_dep_scores, axis=1)
    inner = scores[noncycle][:, noncycle]
    size = len(noncycle_locs)
    subscores = np.zeros((size + 1, size + 1), dtype=inner.dtype)
    subscores[:-1, :-1] = inner
    subscores[-1, :-1] = metanode_head_scores[metanode_heads, np.arange(size)]
    subscores[:-1, -1] = metanode_dep_scores[np.arange(size), metanode_deps]
    return subscores, cycle_locs, noncycle_locs, metanode_heads, metanode_deps


def install() -> bool:
    """Make Stanza's Chu-Liu-Edmonds decoder use :func:`find_cycles`; True when installed.

    Idempotent. Returns False (and changes nothing) if this Stanza has no such function.

    Example:
        >>> install()
        True
    """
    global _stanza_tarjan
    try:
        from stanza.models.common import chuliu_edmonds
    except ImportError:
        return False
    global _stanza_process_cycle
    current: Any = getattr(chuliu_edmonds, "tarjan", None)
    contraction: Any = getattr(chuliu_edmonds, "process_cycle", None)
    if current is None or contraction is None:
        return False
    if current is not find_cycles:
        _stanza_tarjan = current
        chuliu_edmonds.tarjan = find_cycles
    if contraction is not contract_cycle:
        _stanza_process_cycle = contraction
        chuliu_edmonds.process_cycle = contract_cycle
    return True


def stanza_tarjan() -> CycleFinder:
    """Stanza's own cycle finder (for comparisons), whether or not :func:`install` ran.

    Example:
        >>> stanza_tarjan()(np.array([0, 0]))
        []
    """
    if _stanza_tarjan is not None:
        return _stanza_tarjan
    from stanza.models.common import chuliu_edmonds

    original: CycleFinder = chuliu_edmonds.tarjan
    return original


def stanza_process_cycle() -> Callable[..., Any]:
    """Stanza's own cycle contraction (for comparisons), whether or not :func:`install` ran.

    Example:
        >>> callable(stanza_process_cycle())
        True
    """
    if _stanza_process_cycle is not None:
        return _stanza_process_cycle
    from stanza.models.common import chuliu_edmonds

    original: Callable[..., Any] = chuliu_edmonds.process_cycle
    return original
