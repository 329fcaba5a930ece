"""What the app's pages show, built from the Tracker's tables (quotes.views)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from app_support import pier_store, seeds_store, wang_yi_on_hegemonism
from hypothesis import given, settings
from hypothesis import strategies as st

from quotes.drift import align
from quotes.views import (
    FIGURES_SCHEMA,
    ArticleLabel,
    article_label,
    changes,
    drift_cells,
    filter_confidence,
    quote_context,
    quote_groups,
    shorten,
    span_extent,
    statement_counts,
    statement_figures,
    statement_list,
    statement_view,
    with_article_labels,
    with_figures,
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seeds_store(tmp_path_factory.getbasetemp())


def _clusters() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "cluster_id": ["u1", "u2", "u3", "u4"],
            "reference": ["a", "b", "c", "d"],
            "reference_quote_id": ["q1", "q2", "q3", "q4"],
            "n_versions": [1, 3, 2, 2],
            "n_articles": [1, 3, 2, 2],
            "max_drift": [0.0, 0.4, 0.9, 0.4],
            "speakers": [["A"], ["B"], ["C"], ["D"]],
        }
    )


def test_statement_list_ranks_by_drift_and_hides_single_versions() -> None:
    listed = statement_list(_clusters())
    assert listed["cluster_id"].to_list() == ["u3", "u2", "u4"]
    assert listed.columns[:4] == ["reference", "n_versions", "n_articles", "max_drift"]
    assert listed.columns[-2:] == ["cluster_id", "reference_quote_id"]
    everything = statement_list(_clusters(), include_single=True)
    assert everything["cluster_id"].to_list() == ["u3", "u2", "u4", "u1"]
    assert statement_counts(_clusters()) == (3, 1)


def test_statement_list_ranks_by_the_figures_of_the_statement_pages() -> None:
    figures = pl.DataFrame(
        [("u2", 0.1, 0, "r"), ("u3", 0.2, 2, "r"), ("u4", 0.3, 0, "r")],
        schema=FIGURES_SCHEMA,
        orient="row",
    )
    listed = statement_list(with_figures(_clusters(), figures))
    assert listed["cluster_id"].to_list() == ["u4", "u3", "u2"]
    assert listed.columns[:5] == [
        "reference",
        "n_versions",
        "n_articles",
        "drift",
        "quoted_words_changed",
    ]
    single = statement_list(with_figures(_clusters(), figures), include_single=True)
    assert single.filter(pl.col("cluster_id") == "u1").select("drift", "quoted_words_changed").row(
        0
    ) == (0.0, 0)


def test_statement_page_on_the_seeds(store: Path) -> None:
    from quotes.api import Tracker

    with Tracker.open(store) as tracker:
        wanted = wang_yi_on_hegemonism(tracker)
        member = tracker.variants(wanted["cluster_id"])["quote_id"][-1]
        view = statement_view(tracker, member)
        texts = {v.article: tracker.article_text(v.article) for v in view.versions}
    assert view.cluster_id == wanted["cluster_id"]
    assert view.link_id == wanted["reference_quote_id"]
    assert view.n_versions == wanted["n_versions"]
    assert [v.number for v in view.versions] == list(range(1, view.n_versions + 1))
    assert view.versions[0].is_reference and not any(v.is_reference for v in view.versions[1:])
    assert "Wang Yi" in view.speakers
    for version in view.versions:
        text = texts[version.article]
        context = version.context
        assert context is not None
        # The snippet is the article's own text around the quote, which it holds whole.
        assert context.quote == version.text
        assert text[context.start : context.end].strip().endswith(context.after.strip())
        assert version.article_label.text and version.article_label.derived  # no titles
        assert version.changes or version.is_reference or version.drift == 0.0
    cells = drift_cells(view)
    assert cells.height == view.n_versions**2
    assert set(cells["row"]) == {f"{v.number} · {v.carrier or 'no outlet'}" for v in view.versions}
    # The heatmap's reference row is the table's drift column (the kinds counted alike).
    reference_row = cells.head(view.n_versions)["drift"].to_list()
    assert reference_row == [v.drift for v in view.versions]


def test_lists_show_the_figure_each_statement_page_shows(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    from quotes.api import Tracker

    with Tracker.open(pier_store(tmp_path_factory.getbasetemp())) as tracker:
        clusters = tracker.clusters()
        listed = statement_list(with_figures(clusters, statement_figures(tracker, clusters)))
        assert listed["drift"].to_list() == sorted(listed["drift"].to_list(), reverse=True)
        for row in listed.iter_rows(named=True):
            view = statement_view(tracker, row["reference_quote_id"])
            assert row["drift"] == view.drift == max(v.drift for v in view.versions)
            assert row["quoted_words_changed"] == len(view.quoted_words_changed)
            assert row["reference_reason"] == view.reference_reason
    assert "max_drift" not in listed.columns and "mean_drift" not in listed.columns
    assert listed["quoted_words_changed"].sum() >= 1  # the pier statement


def test_an_unknown_statement_is_an_input_error(store: Path) -> None:
    from quotes.api import Tracker
    from quotes.errors import InputError

    with Tracker.open(store) as tracker, pytest.raises(InputError, match="no quote or cluster"):
        statement_view(tracker, "q-nothing")


def test_changes_name_every_change_in_order() -> None:
    alignment = align("we will firmly oppose all hegemonism", "we oppose every hegemonism ...")
    found = changes(alignment, span_extent(alignment))
    assert [(c.op, c.before, c.after, c.counted) for c in found] == [
        ("dropped", "will firmly", "", True),
        ("substituted", "all", "every", True),
    ]
    assert changes(align("same words", "same words")) == ()


def test_words_around_the_shared_stretch_are_not_drift() -> None:
    alignment = align("opposes all hegemonism and power politics", "opposition to all hegemonism")
    around = span_extent(alignment, reference_kind="mixed", variant_kind="indirect")
    found = changes(alignment, around)
    assert [(c.op, c.counted) for c in found] == [
        ("substituted", False),
        ("dropped", False),
    ]
    # Put inside quotation marks, the same edge words are a changed quote: drift counts them.
    quoted = align("opposes all hegemonism", "“opposition to all hegemonism”")
    assert not span_extent(quoted, reference_kind="direct", variant_kind="direct")
    # Nothing in common: every change is drift.
    assert not span_extent(align("we agree", "they refuse"))


WORDS = ("we", "oppose", "all", "forms", "of", "hegemonism", "and", "“power”", "...")


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(WORDS), max_size=9),
    st.lists(st.sampled_from(WORDS), max_size=9),
    st.sampled_from(["direct", "mixed", "indirect"]),
    st.sampled_from(["direct", "mixed", "indirect"]),
)
def test_the_changes_listed_as_drift_are_what_the_drift_figure_counts(
    reference: list[str], variant: list[str], reference_kind: str, variant_kind: str
) -> None:
    from quotes.drift import DriftVersion, cluster_drift

    drift = cluster_drift(
        [
            DriftVersion("a", " ".join(reference) or ".", reference_kind, ingested=0),
            DriftVersion("b", " ".join(variant) or ".", variant_kind, ingested=1),
        ]
    )
    version = drift.versions[1]
    around = span_extent(
        version.alignment, reference_kind=reference_kind, variant_kind=variant_kind
    )
    found = changes(version.alignment, around)
    assert any(c.counted for c in found) == (version.drift > 0)
    if any(not c.counted for c in found):
        assert version.trimmed + version.extra > 0


texts = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
    max_size=300,
)


@settings(max_examples=300, deadline=None)
@given(texts, st.data())
def test_context_holds_the_quote_and_reads_as_printed(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(min_value=0, max_value=len(text)))
    end = data.draw(st.integers(min_value=start, max_value=len(text)))
    context = quote_context(text, start, end, limit=120)
    assert context.quote == text[start:end]
    assert context.start <= start <= end <= context.end
    assert text[context.start : start].endswith(context.before) or not context.before.strip()
    assert text[end : context.end].startswith(context.after)
    # Long sentences are cut, never the quote: at most the limit plus a word at either end.
    around = (start - context.start) + (context.end - end)
    assert around <= max(120 - (end - start), 0) + 2 * 40 or not (
        context.cut_before or context.cut_after
    )


def test_article_labels() -> None:
    assert article_label("  A  title ", "text", "a1") == ArticleLabel("A title", derived=False)
    long_line = "word " * 60
    label = article_label(None, f"\n\n{long_line}\nsecond", "a1")
    assert label.derived and label.text.endswith("…") and len(label.text) <= 90
    assert article_label(None, None, "a1") == ArticleLabel("a1", derived=True)
    assert shorten("abc", 10) == "abc"
    frame = with_article_labels(pl.DataFrame({"article": ["a1", "zz"]}), {"a1": label})
    assert frame.row(0) == ("a1", label.text, True)
    assert frame.row(1) == ("zz", "zz", True)


def test_quote_groups_count_every_version_of_the_statement() -> None:
    quotes = pl.DataFrame(
        {
            "quote_id": ["q2", "q9", "q3"],
            "cluster_id": ["u2", None, "u2"],
            "text": ["b one", "lone", "b two"],
        }
    )
    groups = quote_groups(quotes, _clusters())
    assert [(g.cluster_id, g.link_id, g.n_versions, len(g.rows)) for g in groups] == [
        ("u2", "q2", 3, 2),
        ("q9", "q9", 1, 1),
    ]


def test_confidence_filter_applies_only_when_the_store_records_it() -> None:
    plain = pl.DataFrame({"text": ["a", "b"]})
    assert filter_confidence(plain, 0.9).height == 2
    scored = plain.with_columns(confidence=pl.Series([0.95, None]))
    assert filter_confidence(scored, 0.9)["text"].to_list() == ["a"]
    assert filter_confidence(scored, 0.0).height == 2
