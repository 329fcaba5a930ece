"""Tests of quotes.drift: alignment, the drift counts, the reference rule, the outlet chain."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quotes.drift import (
    DriftVersion,
    align,
    choose_reference,
    cluster_drift,
    drift_counts,
    drift_matrix,
    drift_score,
    outlet_chain,
    reference_choice,
    similarity_matrix,
)

REFERENCE = "we will open the northern border crossing to trucks, buses and cars by spring"


def ops(reference: str, variant: str) -> list[tuple[str, str, str]]:
    return [(o.op, o.ref_text, o.var_text) for o in align(reference, variant).ops]


# --------------------------------------------------------------------------- alignment


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


# --------------------------------------------------------------------------- drift counts


def test_counts_say_what_changed_and_drift_is_their_share() -> None:
    counts = drift_counts(
        align("open the border crossing to trucks by spring", "open the crossing to lorries soon")
    )
    # "border" dropped inside; at the end the quotation puts two words in place of three: two
    # substituted, the third beyond the version's end (trimmed, not drift).
    assert (counts.kept, counts.dropped, counts.added, counts.substituted) == (4, 1, 0, 2)
    assert counts.trimmed == 1 and counts.drift == round(3 / 7, 4)


def test_words_an_article_picked_up_around_the_statement_are_not_drift() -> None:
    # The "drifted most" case: versions that differ only in how much surrounding text
    # each quote picked up.
    statement = "all forms of hegemonism"
    wider = "Beijing opposes all forms of hegemonism and is ready to work with North Korea"
    counts = drift_counts(align(statement, wider), variant_kind="mixed")
    assert counts.drift == 0.0 and counts.extra == 10 and counts.kept == 4
    fragment = drift_counts(align(wider, statement))
    assert fragment.drift == 0.0 and fragment.trimmed == 10


def test_nothing_shared_is_drift_one() -> None:
    assert drift_counts(align("we agree", "they refuse")).drift == 1.0


def test_drift_grows_with_the_words_changed_inside_the_statement() -> None:
    cut = drift_score(align(REFERENCE, "we will open the northern border crossing"))
    ellipsis = drift_score(align(REFERENCE, "we will open the northern border ... by spring"))
    swapped = drift_score(align(REFERENCE, REFERENCE.replace("northern", "southern")))
    rewritten = drift_score(align(REFERENCE, "lorries may pass in april"))
    assert cut == 0.0
    assert 0.0 < swapped < ellipsis < rewritten == 1.0


def test_quoted_words_changed_is_the_alarm_for_altered_quotations() -> None:
    # A word changed inside quote marks of both versions.
    assert drift_counts(
        align(REFERENCE, REFERENCE.replace("spring", "summer"))
    ).quoted_words_changed
    # A word slipped into the quotation.
    assert drift_counts(align("we will win", "we will surely win")).quoted_words_changed
    # A word silently removed from inside the quotation (no ellipsis).
    assert drift_counts(align("we will surely win", "we will win")).quoted_words_changed


def test_declared_cuts_and_reporters_words_are_not_the_alarm() -> None:
    # An ellipsis declares the cut.
    cut = drift_counts(align(REFERENCE, "we will open the northern border ... by spring"))
    assert cut.dropped == 6 and not cut.quoted_words_changed
    # A partial quote: the reporter's own words around the quote marks differ, the quoted ones
    # do not.
    partial = 'Officials said the crossing "will open to trucks, buses and cars by spring"'
    counts = drift_counts(
        align("the crossing will open to trucks, buses and cars by spring", partial),
        variant_kind="mixed",
    )
    assert not counts.quoted_words_changed
    # Reported speech carries no quotation to alter.
    reported = drift_counts(
        align("we will open the crossing by spring", "we would close the crossing by spring"),
        variant_kind="indirect",
    )
    assert reported.substituted == 2 and not reported.quoted_words_changed
    # Its person and tense shift at the very start is the reporter's framing, not drift.
    shifted = drift_counts(
        align("we will open the crossing by spring", "they would open the crossing by spring"),
        variant_kind="indirect",
    )
    assert shifted.drift == 0.0 and shifted.trimmed == 2


def test_cluster_drift_carries_the_counts_and_the_reference_first() -> None:
    drift = cluster_drift(
        [
            DriftVersion("b", REFERENCE.replace("spring", "summer"), outlet="AP", ingested=2),
            DriftVersion("a", REFERENCE, outlet="KCNA", ingested=1),
        ]
    )
    assert drift.reference_id == "a" and [v.id for v in drift.versions] == ["a", "b"]
    first, second = drift.versions
    assert first.is_reference and first.drift == 0.0 and first.kept == 14
    assert (second.substituted, second.dropped, second.added) == (1, 0, 0)
    assert second.quoted_words_changed and second.drift == round(1 / 14, 4)


# --------------------------------------------------------------------------- reference rule


def test_adding_a_longer_later_version_does_not_move_the_reference() -> None:
    early = DriftVersion("early", "open the border", published=date(2025, 9, 28), ingested=5)
    versions = [early, DriftVersion("mid", "we open the border", published=date(2025, 9, 29))]
    assert cluster_drift(versions).reference_id == "early"
    longer = DriftVersion("long", REFERENCE + " and beyond", published=date(2025, 9, 30))
    assert cluster_drift([*versions, longer]).reference_id == "early"
    # An earlier version is the one thing that moves it.
    earlier = DriftVersion("first", "open it", published=date(2025, 9, 27))
    moved = cluster_drift([*versions, longer, earlier])
    assert moved.reference_id == "first"
    assert moved.reference_reason == "the earliest published version (2025-09-27)"


def test_without_dates_the_origin_then_the_first_received() -> None:
    ap = DriftVersion("ap", REFERENCE, outlet="AP", ingested=1)
    kcna = DriftVersion("kcna", "open the border", citation="KCNA", ingested=3)
    choice = reference_choice([ap, kcna])
    assert (choice.index, choice.reason) == (
        1,
        "credited to KCNA, the originating outlet (no version has a date)",
    )
    ministry = DriftVersion("m", "open it", speaker="Foreign Ministry spokesperson", ingested=4)
    assert reference_choice([ap, ministry]).reason.startswith("from the speaker's own channel")
    plain = [DriftVersion("x", "open it", ingested=2), DriftVersion("y", REFERENCE, ingested=1)]
    assert choose_reference(plain) == 1
    assert "first version received" in reference_choice(plain).reason


def test_a_pinned_version_wins_and_says_so() -> None:
    versions = [
        DriftVersion("early", "open it", published=date(2025, 9, 1)),
        DriftVersion("pinned", REFERENCE, published=date(2025, 9, 9), pinned=True),
    ]
    choice = reference_choice(versions)
    assert (versions[choice.index].id, choice.reason) == ("pinned", "pinned by an editor")
    with pytest.raises(ValueError):
        choose_reference([])


days = st.integers(min_value=0, max_value=60)
texts = st.sampled_from(["open it", "open the border", REFERENCE, "we will open the border"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(texts, st.one_of(st.none(), days)), min_size=1, max_size=6), texts)
def test_a_new_version_moves_the_reference_only_when_it_is_earlier(
    rows: list[tuple[str, int | None]], new_text: str
) -> None:
    start = date(2025, 1, 1)
    versions = [
        DriftVersion(
            f"v{i}",
            text,
            published=None if day is None else start + timedelta(days=day),
            ingested=i,
        )
        for i, (text, day) in enumerate(rows)
    ]
    before = versions[choose_reference(versions)]
    latest = max((v.published for v in versions if v.published), default=start)
    added = DriftVersion("zz", new_text, published=latest + timedelta(days=1), ingested=99)
    after = [*versions, added]
    # A later version never takes over; the rule does not depend on input order either.
    if before.published is not None:
        assert after[choose_reference(after)].id == before.id
    reversed_after = after[::-1]
    assert reversed_after[choose_reference(reversed_after)].id == after[choose_reference(after)].id


# --------------------------------------------------------------------------- outlet chain


def test_no_evidence_no_arrow() -> None:
    # The case: "AP -> Xinhua" was alphabetical order, with no dates and no citation.
    versions = [DriftVersion("a", "x", outlet="Xinhua"), DriftVersion("b", "x", outlet="AP")]
    assert outlet_chain(versions) == []
    assert cluster_drift(versions).chain == ()


def test_an_explicit_citation_draws_an_arrow_with_its_evidence() -> None:
    hops = outlet_chain(
        [
            DriftVersion("a", "x", outlet="AP", citation="KCNA"),
            DriftVersion("b", "x", outlet="KCNA"),
        ]
    )
    assert [(h.source, h.target, h.kind, h.evidence) for h in hops] == [
        ("KCNA", "AP", "citation", "the AP version credits KCNA")
    ]


def test_dates_order_versions_but_one_day_gives_no_arrow() -> None:
    same_day = [
        DriftVersion("a", "x", outlet="AP", published=date(2025, 9, 28)),
        DriftVersion("b", "x", outlet="Xinhua", published=date(2025, 9, 28)),
    ]
    assert outlet_chain(same_day) == []
    ordered = [*same_day, DriftVersion("c", "x", outlet="Yonhap", published=date(2025, 9, 30))]
    hops = outlet_chain(ordered)
    assert {(h.source, h.target) for h in hops} == {("AP", "Yonhap"), ("Xinhua", "Yonhap")}
    assert all(h.kind == "dates" and "2025-09-28" in h.evidence for h in hops)


# --------------------------------------------------------------------------- properties


def tokens(text: str) -> list[str]:
    return re.findall(r"\w+|\.\.\.|\u2026", text)


words = st.sampled_from(["we", "Will", "open", "the", "border", "...", "\u2026", "cars,", "spring"])
phrases = st.lists(words, max_size=12).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(phrases, phrases)
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
    assert tokens(" ".join(ref_covered)) == tokens(reference)
    assert tokens(" ".join(var_covered)) == tokens(variant)
    counts = drift_counts(alignment)
    assert 0.0 <= counts.drift <= 1.0
    assert min(counts.kept, counts.dropped, counts.added, counts.substituted) >= 0


@settings(max_examples=100, deadline=None)
@given(st.lists(phrases, max_size=4))
def test_the_matrix_is_the_drift_figure_symmetric_with_zero_diagonal(texts: list[str]) -> None:
    matrix = drift_matrix(texts)
    assert all(matrix[i][i] == 0.0 for i in range(len(texts)))
    assert all(matrix[i][j] == matrix[j][i] for i in range(len(texts)) for j in range(len(texts)))
    similarity = similarity_matrix(texts)
    assert all(
        similarity[i][j] == round(1 - matrix[i][j], 4)
        for i in range(len(texts))
        for j in range(len(texts))
    )


def test_the_heatmap_and_the_table_show_one_figure() -> None:
    versions = [
        DriftVersion("a", REFERENCE, ingested=1),
        DriftVersion("b", "we will open the northern border ... by spring", ingested=2),
    ]
    drift = cluster_drift(versions)
    assert drift_matrix([v.version.text for v in drift.versions])[0][1] == drift.versions[1].drift


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
    counts = drift_counts(align(reference, variant))
    # Added words inside the quotation ("to", "and more just") are the alarm; the cut is not.
    assert counts.dropped == 5 and counts.added == 4 and counts.quoted_words_changed
