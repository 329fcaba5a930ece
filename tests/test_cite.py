"""Citations of a statement (quotes.cite): Markdown and CSV, and the ``quotes cite`` command."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from app_support import pier_store, seeds_store, wang_yi_on_hegemonism
from hypothesis import given, settings
from hypothesis import strategies as st

from quotes.cite import CITATION_SCHEMA, citation_frame, citation_markdown, cite, md_link, md_text


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seeds_store(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="module")
def hegemonism(store: Path) -> tuple[object, pl.DataFrame]:
    from quotes.api import Tracker
    from quotes.views import statement_view

    with Tracker.open(store) as tracker:
        cluster = wang_yi_on_hegemonism(tracker)
        return statement_view(tracker, cluster["cluster_id"]), tracker.variants(
            cluster["cluster_id"]
        )


def test_markdown_lists_every_version_with_its_drift(
    hegemonism: tuple[object, pl.DataFrame],
) -> None:
    view, variants = hegemonism
    markdown = citation_markdown(view, base="http://newsroom:8501")  # type: ignore[arg-type]
    rows = [line for line in markdown.splitlines() if re.match(r"\| \d+ \|", line)]
    assert len(rows) == variants.height
    for line, version in zip(rows, view.versions, strict=True):  # type: ignore[attr-defined]
        assert md_text(version.text) in line
        assert ("reference" if version.is_reference else f"{version.drift:.2f}") in line
    link = f"http://newsroom:8501/?view=statement&id={view.link_id}"  # type: ignore[attr-defined]
    assert markdown.splitlines()[-1] == f"Link: <{link}>"
    assert "Wang Yi" in markdown.splitlines()[0]


def test_csv_reads_back_as_the_citation_table(hegemonism: tuple[object, pl.DataFrame]) -> None:
    view, variants = hegemonism
    text = cite(view, "csv")  # type: ignore[arg-type]
    back = pl.read_csv(io.StringIO(text), schema=CITATION_SCHEMA)
    assert back.equals(citation_frame(view))  # type: ignore[arg-type]
    assert sorted(back["quote_id"].to_list()) == sorted(variants["quote_id"].to_list())
    assert back["sentence"].null_count() == 0
    with pytest.raises(ValueError, match="unknown citation format"):
        cite(view, "pdf")  # type: ignore[arg-type]


def test_citations_carry_the_figures_of_the_statement_page(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    from quotes.api import Tracker
    from quotes.views import statement_view

    with Tracker.open(pier_store(tmp_path_factory.getbasetemp())) as tracker:
        views = [
            statement_view(tracker, cluster_id)
            for cluster_id in tracker.clusters(min_versions=2)["cluster_id"]
        ]
        drifts = {view.cluster_id: tracker.cluster_drift(view.cluster_id) for view in views}
    alarms = 0
    for view in views:
        frame = citation_frame(view)
        expected = [
            (v.drift, v.dropped, v.added, v.substituted, v.quoted_words_changed)
            for v in drifts[view.cluster_id].versions
        ]
        columns = ("drift", "dropped", "added", "substituted", "quoted_words_changed")
        assert frame.select(columns).rows() == expected
        markdown = citation_markdown(view)
        flagged = sum(row[-1] for row in expected)
        assert markdown.count("**quoted words changed**") == flagged
        assert ("**Quoted words changed** in" in markdown) == (flagged > 0)
        assert drifts[view.cluster_id].reference_reason in markdown
        alarms += flagged
    assert alarms >= 1  # the pier statement


texts = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=80)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_markdown_text_holds_no_live_syntax(text: str) -> None:
    escaped = md_text(text)
    assert "\n" not in escaped and "\r" not in escaped
    # Every syntax character is preceded by a backslash that is itself not escaped.
    unescaped = re.sub(r"\\.", "", escaped)
    assert not set(unescaped) & set("\\`*_[]<>|~&#")
    assert re.sub(r"\\(.)", r"\1", escaped) == " ".join(text.split())


@given(texts, texts)
def test_links_out_are_http_only_and_well_formed(label: str, url: str) -> None:
    made = md_link(label, url)
    if made.startswith("["):
        target = made[made.rindex("](") + 2 : -1]
        assert target.lower().startswith(("http://", "https://"))
        assert not set(target) & set(" ()<>\n")
    else:
        assert made == md_text(label)
    assert md_link(label, "javascript:alert(1)") == md_text(label)


def test_quotes_cite_command(store: Path, tmp_path: Path) -> None:
    from quotes.api import Tracker

    with Tracker.open(store) as tracker:
        quote = tracker.clusters(min_versions=2)["reference_quote_id"][0]
    command = [sys.executable, "-m", "quotes", "cite", quote, "--store", str(store)]
    printed = subprocess.run(command, capture_output=True, text=True, check=True)
    assert printed.stdout.startswith("**Statement:**")
    assert f"Statement id: {quote}" in printed.stdout
    out = tmp_path / "cite.csv"
    written = subprocess.run(
        [*command, "--format", "csv", "--out", str(out), "--link-base", "http://h:1"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert str(out) in written.stdout
    frame = pl.read_csv(out, schema=CITATION_SCHEMA)
    assert set(frame["statement_link"]) == {f"http://h:1/?view=statement&id={quote}"}
    missing = subprocess.run(
        [sys.executable, "-m", "quotes", "cite", "q-nothing", "--store", str(store)],
        capture_output=True,
        text=True,
    )
    assert missing.returncode == 2
    assert (
        missing.stderr.strip() == "quotes: q-nothing: no quote or cluster with this id in the store"
    )
