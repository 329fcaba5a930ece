"""Tests of quotes.drift: word alignment, drift score, reference choice, similarity matrix."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quotes.drift import (
    DriftVersion,
    align,
    choose_reference,
    cluster_drift,
    drift_score,
    similarity_matrix,
)

REFERENCE = "we will open the northern border crossing to trucks, buses and cars by spring"


def ops(reference: str, variant: str) -> list[tuple[str, str, str]]:
    return [(o.op, o.ref_text, o.var_text) for o in align(reference, variant).ops]


def test_identical_wording_is_all_kept_and_drift_zero() -> None:
    alignment = align(REFERENCE, REFERENCE)
    assert [o.op for o in alignment.ops] == ["keep"]
    assert drift_score(alignment) == 0.0


def test_case_curly_quotes_and_punctuation_are_not_changes() -> None:
    assert [o.op for o in align("We won\u2019t wait.", "we won't wait").ops] == ["keep"]


def test_inserted_substituted_and_dropped_words() -> None:
    result = ops(
        "open the border crossing to trucks by spring",
        "open the new border crossing to lorries by spring",
    )
    assert ("insert", "", "new") in result
    assert ("substitute", "trucks", "lorries") in result
    assert ops("open the border crossing by spring", "open the crossing by spring") == [
        ("keep", "open the", "open the"),
        ("drop", "border", ""),
        ("keep", "crossing by spring", "crossing by spring"),
    ]


def test_ellipsis_carries_the_words_it_cuts() -> None:
    result = ops(REFERENCE, "we will open the northern border crossing ... by spring")
    assert ("ellipsis", "to trucks, buses and cars", "...") in result
    assert ops("a b c d", "a \u2026 d")[1] == ("ellipsis", "b c", "\u2026")


def test_drift_orders_changes_by_how_much_they_alter_the_words() -> None:
    cut = drift_score(align(REFERENCE, "open the northern border crossing"))
    ellipsis = drift_score(align(REFERENCE, "we will open the northern border ... by spring"))
    swapped = drift_score(align(REFERENCE, "we shall open the southern border crossing by spring"))
    rewritten = drift_score(align(REFERENCE, "lorries may pass in april"))
    assert 0.0 < cut < ellipsis < swapped < rewritten <= 1.0


def tokens(text: str) -> list[str]:
    return re.findall(r"\w+|\.\.\.|\u2026", text)


words = st.sampled_from(["we", "Will", "open", "the", "border", "...", "\u2026", "cars,", "spring"])
texts = st.lists(words, max_size=12).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(texts, texts)
def test_alignment_offsets_point_at_the_words(reference: str, variant: str) -> None:
    alignment = align(reference, variant)
    ref_covered: list[str] = []
    var_covered: list[str] = []
    for op in alignment.ops:
        assert op.op in {"keep", "drop", "insert", "substitute", "ellipsis"}
        assert reference[op.ref_start : op.ref_end] == op.ref_text
        assert variant[op.var_start : op.var_end] == op.var_text
        ref_covered.append(op.ref_text)
        var_covered.append(op.var_text)
    # Every word (and ellipsis) of both strings is accounted for, in order.
    assert tokens(" ".join(ref_covered)) == tokens(reference)
    assert tokens(" ".join(var_covered)) == tokens(variant)
    assert 0.0 <= drift_score(alignment) <= 1.0


def test_reference_is_the_most_complete_direct_quote_else_the_earliest() -> None:
    versions = [
        DriftVersion("short", "open the border", kind="direct"),
        DriftVersion("long", REFERENCE, kind="direct", published=date(2025, 3, 2)),
        DriftVersion("reported", REFERENCE + " and later", kind="indirect"),
    ]
    assert choose_reference(versions) == 1
    indirect_only = [
        DriftVersion("late", REFERENCE, kind="indirect", published=date(2025, 3, 5)),
        DriftVersion("early", "open the border", kind="indirect", published=date(2025, 3, 1)),
    ]
    assert choose_reference(indirect_only) == 1
    with pytest.raises(ValueError):
        choose_reference([])


def test_cluster_drift_puts_the_reference_first() -> None:
    drift = cluster_drift(
        [
            DriftVersion("b", "open the northern border crossing", kind="direct", outlet="AP"),
            DriftVersion("a", REFERENCE, kind="direct", outlet="KCNA"),
        ]
    )
    assert drift.reference_id == "a"
    assert [v.id for v in drift.versions] == ["a", "b"]
    assert drift.versions[0].is_reference and drift.versions[0].drift == 0.0
    assert drift.versions[1].version.outlet == "AP" and drift.versions[1].drift > 0


def test_similarity_matrix_is_symmetric_with_unit_diagonal() -> None:
    matrix = similarity_matrix([REFERENCE, "open the border", "lorries may pass"])
    assert all(matrix[i][i] == 1.0 for i in range(3))
    assert all(matrix[i][j] == matrix[j][i] for i in range(3) for j in range(3))
    assert matrix[0][1] > matrix[0][2]
    assert similarity_matrix([]) == []


def test_seed_fairer_world_order_versions() -> None:
    # Hand-copied from seeds/002 and seeds/003.
    reference = (
        "closely cooperate with China in multilateral affairs, jointly resist unilateralism and "
        "power politics, and promote a fairer world order."
    )
    variant = (
        "closely cooperate... to jointly resist unilateralism and power politics and promote a "
        "fairer and more just world order,"
    )
    result = ops(reference, variant)
    assert ("ellipsis", "with China in multilateral affairs", "...") in result
    assert ("insert", "", "and more just") in result
