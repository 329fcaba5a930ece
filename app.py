"""The wording-drift explorer: a Streamlit app over the `quotes` store.

Start it with ``quotes app`` or ``streamlit run app.py``. The store is ``$QUOTES_STORE`` (default
``data/quotes/``); an empty or missing store is filled with the bundled ``seeds/`` on first start.

Every view has an address (:mod:`quotes.routes`): ``?view=statement&id=<quote id>``,
``?view=speaker&name=...``, ``?view=outlet&name=...``, ``?view=article&id=...``,
``?view=search&q=...``, ``?view=corrections``. The address is the only state of a view: each
run draws the view the address names, widgets write the address when they change, and links
are plain links, so the browser's Back and Forward buttons, bookmarks and pasted links all
work.

This file only renders: every table comes from :class:`quotes.api.Tracker` through
:mod:`quotes.views`, every piece of markup from :mod:`quotes.render` (which escapes article text
before adding tags), the citations from :mod:`quotes.cite`, the form's rules from
:mod:`quotes.uploads`, the corrections' words, links and outcomes from :mod:`quotes.correcting`
(the controls call the Tracker's correction methods through it; every cached table is keyed by
a store revision that counts corrections, so a correction shows at once). Article text is
never passed to ``st.markdown``, headers or widget labels.
"""

from __future__ import annotations

import functools
import math
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import altair as alt
import polars as pl
import streamlit as st

from quotes import cite, correcting, render, uploads, views
from quotes.api import Tracker
from quotes.errors import InputError, QuotesError
from quotes.routes import SHOW_ALL, Route, View, parse
from quotes.sources import MAX_FILE_BYTES, MAX_TABLE_FILE_BYTES, Article, collect
from quotes.store import resolve_store_path
from quotes.tables import export

ROOT = Path(__file__).resolve().parent
SEEDS = ROOT / "seeds"
# How many rows the long lists show before "show all" (the rest stays one click away).
LIST_ROWS = 50
# Session state: the optional author of corrections, and the notice of the last one made.
AUTHOR_KEY = "corrections.author"
NOTICE_KEY = "corrections.notice"

st.set_page_config(page_title="quotes: wording drift", page_icon="❝", layout="wide")


# --------------------------------------------------------------------------- data (cached)


@st.cache_resource(show_spinner="Loading the language models...")
def load_nlp() -> Any:
    """The Stanza pipeline, loaded once per server (only needed to add articles)."""
    from quotes.nlp import load_pipeline

    return load_pipeline()


@st.cache_resource
def ingest_lock(store: str) -> threading.Lock:
    """Serialises ingests from concurrent sessions on one store."""
    return threading.Lock()


@contextmanager
def open_tracker(store: str, *, with_nlp: bool = False) -> Iterator[Tracker]:
    """A Tracker for this script run (SQLite connections must stay in their thread)."""
    tracker = Tracker.open(store, nlp=load_nlp() if with_nlp else None)
    try:
        yield tracker
    finally:
        tracker.close()


def store_version(tracker: Tracker) -> str:
    """A key that changes whenever the store changes (new ingests, corrections made or
    undone), so cached frames follow it."""
    return correcting.store_revision(tracker)


@st.cache_data(show_spinner=False, max_entries=512)
def load_table(store: str, version: str, name: str, *args: Any) -> pl.DataFrame:
    """One of the Tracker's tables (or query answers), cached per store version."""
    with open_tracker(store) as tracker:
        method: Callable[..., pl.DataFrame] = getattr(tracker, name)
        return method(*args)


@st.cache_data(show_spinner=False, max_entries=16)
def load_statements(store: str, version: str) -> pl.DataFrame:
    """The ``clusters`` table with each statement's drift figures, the ones its page shows
    (:func:`quotes.views.statement_figures`)."""
    with open_tracker(store) as tracker:
        clusters = tracker.clusters()
        return views.with_figures(clusters, views.statement_figures(tracker, clusters))


@st.cache_data(show_spinner=False, max_entries=256)
def load_statement(store: str, version: str, identifier: str) -> views.StatementView:
    """A statement page's content (raises InputError for an unknown id)."""
    with open_tracker(store) as tracker:
        return views.statement_view(tracker, identifier)


@st.cache_data(show_spinner=False, max_entries=256)
def load_article(store: str, version: str, article: str) -> tuple[str, pl.DataFrame]:
    """An article's text and its quotes (raises InputError for an unknown id)."""
    with open_tracker(store) as tracker:
        text = tracker.article_text(article)
        quotes = tracker.quotes().filter(pl.col("article") == article)
    return text, quotes


@st.cache_data(show_spinner=False, max_entries=16)
def article_labels(store: str, version: str) -> dict[str, views.ArticleLabel]:
    """Article id -> the label it is shown under (title, else first line)."""
    with open_tracker(store) as tracker:
        articles = tracker.articles()
        return {
            row["article"]: views.article_label(
                row["title"], tracker.article_text(row["article"])[:400], row["article"]
            )
            for row in articles.iter_rows(named=True)
        }


@st.cache_data(show_spinner=False, max_entries=16)
def load_corrections(
    store: str, version: str, include_undone: bool
) -> tuple[correcting.CorrectionRow, ...]:
    """The Corrections page's rows, newest first."""
    with open_tracker(store) as tracker:
        return correcting.correction_rows(tracker, include_undone=include_undone)


@st.cache_data(show_spinner=False, max_entries=64)
def serialise(frame: pl.DataFrame, table: str, fmt: str) -> bytes:
    """A table as CSV or Parquet bytes, written by ``quotes.tables.export`` (as the CLI does)."""
    with tempfile.TemporaryDirectory(prefix="quotes-app-") as folder:
        target = export(frame, Path(folder) / f"{table}.{fmt}", fmt)
        return target.read_bytes()


def with_labels(frame: pl.DataFrame, store: str, version: str) -> pl.DataFrame:
    """``frame`` with the label each of its articles is shown under."""
    return views.with_article_labels(frame, article_labels(store, version))


# --------------------------------------------------------------------------- navigation


def go(route: Route) -> None:
    """Show ``route``: write its address (the browser records it for Back and Forward)."""
    params = route.params()
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)


def current_route() -> Route:
    return parse(st.query_params.to_dict())


def follow(key: str, route_for: Callable[[Any], Route]) -> None:
    """A widget callback: go where the widget's new value leads."""
    go(route_for(st.session_state[key]))


def html(markup: str) -> None:
    """Markup from quotes.render (which escapes article text)."""
    st.html(markup)


# --------------------------------------------------------------------------- widgets


def downloads(table: str, frame: pl.DataFrame, key: str) -> None:
    """CSV and Parquet download buttons for one shown table (serialised on click)."""
    frame = frame.drop("article_label", "label_derived", strict=False)
    with st.container(horizontal=True, gap="small"):
        for fmt, mime in (("csv", "text/csv"), ("parquet", "application/vnd.apache.parquet")):
            st.download_button(
                fmt.upper() if fmt == "csv" else "Parquet",
                data=functools.partial(serialise, frame, table, fmt),
                file_name=f"{table}.{fmt}",
                mime=mime,
                key=f"{key}.download.{fmt}",
                icon=":material/download:",
                on_click="ignore",
            )


def data_table(name: str, frame: pl.DataFrame, key: str, label: str = "As a table") -> None:
    """A dataframe (article text is drawn as plain text) with its downloads, in an expander."""
    with st.expander(label):
        st.dataframe(
            views.ids_last(frame.drop("article_label", "label_derived", strict=False)),
            hide_index=True,
            width="stretch",
            key=f"{key}.table",
            column_config={
                "text": st.column_config.TextColumn(width="large"),
                "reference": st.column_config.TextColumn(width="large"),
                "speaker": st.column_config.TextColumn(width="medium"),
                "outlet": st.column_config.TextColumn(width="medium"),
            },
        )
        downloads(name, frame, key)


def bar_chart(frame: pl.DataFrame, label: str, value: str, title: str, top: int = 12) -> None:
    data = frame.sort(value, descending=True).head(top).select(label, value).to_pandas()
    chart = (
        alt.Chart(data, title=title)
        .mark_bar(color="#4c78a8", cornerRadiusEnd=3)
        .encode(
            x=alt.X(f"{value}:Q", title="quotes", axis=alt.Axis(format="d", tickMinStep=1)),
            y=alt.Y(f"{label}:N", sort="-x", title=None, axis=alt.Axis(labelLimit=220)),
            tooltip=[alt.Tooltip(f"{label}:N"), alt.Tooltip(f"{value}:Q")],
        )
        .properties(height=max(140, 26 * len(data)))
    )
    st.altair_chart(chart, width="stretch", height=max(140, 26 * len(data)) + 60)


def heatmap(cells: pl.DataFrame) -> None:
    size = int(math.sqrt(cells.height))
    base = alt.Chart(cells.to_pandas()).encode(
        x=alt.X("column:N", title=None, sort=None, axis=alt.Axis(labelAngle=-30, labelLimit=160)),
        y=alt.Y("row:N", title=None, sort=None, axis=alt.Axis(labelLimit=160)),
    )
    rects = base.mark_rect().encode(
        color=alt.Color("drift:Q", scale=alt.Scale(domain=[0, 1], scheme="oranges"), legend=None),
        tooltip=[
            alt.Tooltip("row:N", title="version"),
            alt.Tooltip("row_article:N", title="in"),
            alt.Tooltip("column:N", title="against"),
            alt.Tooltip("column_article:N", title="in"),
            alt.Tooltip("drift:Q", format=".2f"),
        ],
    )
    labels = base.mark_text(fontSize=12).encode(
        text=alt.Text("drift:Q", format=".2f"),
        color=alt.condition("datum.drift > 0.6", alt.value("white"), alt.value("#222")),
    )
    st.altair_chart(
        (rects + labels).properties(height=44 * size), width="stretch", height=44 * size + 90
    )


def sidebar(route: Route, quotes: pl.DataFrame) -> None:
    with st.sidebar:
        st.html(render.NAV_SCRIPT, unsafe_allow_javascript=True)
        st.title("❝ quotes")
        st.caption("Who said it, who carried it, and how the words changed on the way.")
        html(render.nav_html(route))
        st.divider()
        st.session_state["settings.all"] = route.show_all
        st.toggle(
            "Also list statements seen once",
            key="settings.all",
            on_change=follow,
            args=("settings.all", lambda on: route.with_settings(show_all=on)),
            help="Statements reported in a single article have nothing to compare; "
            "they are left out of the lists unless this is on.",
        )
        if views.has_confidence(quotes):
            st.session_state["settings.conf"] = route.min_confidence
            st.slider(
                "Lowest confidence shown",
                min_value=0.0,
                max_value=1.0,
                step=0.05,
                key="settings.conf",
                on_change=follow,
                args=("settings.conf", lambda v: route.with_settings(min_confidence=v)),
                help="How sure the extraction is of each quote and its speaker (0-1); "
                "quotes below this are hidden from the lists.",
            )
        st.text_input(
            "Your name, for corrections",
            key=AUTHOR_KEY,
            max_chars=correcting.MAX_AUTHOR_CHARS,
            placeholder="optional",
            help="Stored with each correction you make (who, when, what); see Corrections.",
        )
        st.divider()
        st.caption(f"Store: {render.escape_markdown(st.session_state.get('store', ''))}")


def statement_picker(store: str, version: str, route: Route, current: str | None) -> None:
    """A box listing the statements (several versions first), to jump to one."""
    listed = views.statement_list(load_statements(store, version), include_single=route.show_all)
    options = listed["reference_quote_id"].to_list()
    info = {row["reference_quote_id"]: row for row in listed.iter_rows(named=True)}
    if current and current not in info:
        options.insert(0, current)
    st.session_state["statement.pick"] = current
    st.selectbox(
        "Go to a statement",
        options,
        index=None,
        key="statement.pick",
        placeholder="Type a few words of a statement...",
        format_func=lambda q: views.picker_label(info[q]) if q in info else "this statement",
        on_change=follow,
        args=("statement.pick", lambda q: route.to("statement", q)),
    )


# --------------------------------------------------------------------------- pages


def page_overview(store: str, version: str, route: Route) -> None:
    html(render.page_title_html("overview", "Overview"))
    clusters = load_statements(store, version)
    several, once = views.statement_counts(clusters)
    counts = (
        ("Articles", load_table(store, version, "articles").height),
        ("Quotes", load_table(store, version, "quotes").height),
        ("Speakers", load_table(store, version, "speakers").height),
        ("Outlets", load_table(store, version, "outlets").height),
        ("Statements, 2+ versions", several),
    )
    for column, (label, value) in zip(st.columns(len(counts)), counts, strict=True):
        column.metric(label, f"{value:,}", border=True)
    statements_section(store, version, route, clusters, LIST_ROWS // 2, several, once)
    left, right = st.columns(2, gap="large")
    with left:
        speakers = load_table(store, version, "speakers")
        if speakers.height:
            bar_chart(speakers, "speaker", "n_quotes", "Quotes per speaker")
    with right:
        outlets = load_table(store, version, "outlets")
        if outlets.height:
            bar_chart(outlets, "outlet", "n_quotes", "Quotes per outlet")


def statements_section(
    store: str,
    version: str,
    route: Route,
    clusters: pl.DataFrame,
    rows: int,
    several: int,
    once: int,
) -> None:
    listed = views.statement_list(clusters, include_single=route.show_all)
    st.subheader("Statements that drifted most")
    scope = (
        f"all {listed.height} statements, those seen once last"
        if route.show_all
        else f"the {several} statements reported in several versions ({once} seen once are "
        "left out: switch them on in the sidebar)"
    )
    st.caption(
        f"Ranked by most drift: the largest drift of a version against the reference, the "
        f"figure each statement's page shows. {views.DRIFT_MEANING} Showing {scope}."
    )
    if listed.height == 0:
        st.info("No statement is reported in more than one version yet.")
        return
    html(render.statements_table_html(listed.head(rows).iter_rows(named=True), route))
    if listed.height > rows:
        html(
            render.link(route.to("statement"), f"All {listed.height} statements →", css="more-link")
        )
    data_table("clusters", listed, "overview.clusters")


def page_statement(store: str, version: str, route: Route) -> None:
    if not route.key:
        html(render.page_title_html("statement", "Statements"))
        statement_picker(store, version, route, None)
        clusters = load_statements(store, version)
        several, once = views.statement_counts(clusters)
        statements_section(store, version, route, clusters, 10**9, several, once)
        return
    try:
        view = load_statement(store, version, route.key)
    except InputError:
        html(render.page_title_html("statement", "Statement"))
        st.error("No statement with this id in the store (it may have been removed).")
        statement_picker(store, version, route, None)
        return
    html(render.page_title_html("statement", "Statement", key=view.link_id))
    statement_picker(store, version, route, view.link_id)
    html(render.statement_header_html(view, route))
    if view.n_versions == 1:
        citation(view, route)
        html(render.single_version_html(view, route))
        statement_controls(store, version, route, view)
        return
    html(render.reference_rule_html(view))
    citation(view, route)
    html(render.LEGEND_HTML + render.statement_table_html(view, route))
    statement_controls(store, version, route, view)
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.subheader("Drift between every two versions")
        st.caption(
            "The figure of the table, for each pair (0 = same words, 1 = nothing in common); "
            "the reference's row reads as the table's drift column."
        )
        heatmap(views.drift_cells(view))
    with right:
        st.subheader("Chain of outlets")
        st.caption(
            "An arrow only where there is evidence: a version that credits an outlet, or dates "
            "that order the versions."
        )
        html(render.outlet_chain_html(view.alignments.chain, view.outlets, route))
    data_table(
        f"variants_{view.cluster_id}",
        load_table(store, version, "variants", view.cluster_id),
        "statement.variants",
        "The versions as a table",
    )


def citation(view: views.StatementView, route: Route) -> None:
    """The statement's stable link and its Markdown and CSV citations."""
    base = st.context.url
    link = cite.statement_link(view, base)
    markdown = cite.citation_markdown(view, base=base)
    with st.container(border=True):
        st.markdown("**Cite this statement**")
        st.code(link, language=None, wrap_lines=True)
        with st.container(horizontal=True, gap="small"):
            st.download_button(
                "Markdown",
                data=markdown + "\n",
                file_name=f"statement-{view.link_id}.md",
                mime="text/markdown",
                key="cite.md",
                icon=":material/download:",
                on_click="ignore",
            )
            st.download_button(
                "CSV",
                data=functools.partial(cite.citation_csv, view, base=base),
                file_name=f"statement-{view.link_id}.csv",
                mime="text/csv",
                key="cite.csv",
                icon=":material/download:",
                on_click="ignore",
            )
        with st.expander("Preview the Markdown"):
            st.code(markdown, language="markdown", wrap_lines=True)


def page_search(store: str, version: str, route: Route) -> None:
    html(render.page_title_html("search", "Who said it"))
    st.session_state["search.q"] = route.key or ""
    st.text_input(
        "Phrase",
        key="search.q",
        placeholder="all forms of hegemonism",
        help="Fuzzy search: the words need not match exactly.",
        on_change=follow,
        args=("search.q", lambda q: route.to("search", q.strip() or None)),
    )
    phrase = (route.key or "").strip()
    if len(phrase) < 2:
        st.caption(
            "Type a few words of a statement to see who said it, where, and how it was worded."
        )
        return
    hits = load_table(store, version, "who_said", phrase, 20)
    hits = views.filter_confidence(hits, route.min_confidence)
    if hits.height == 0:
        st.info("Nothing close to that phrase in the store.")
        return
    groups = views.quote_groups(with_labels(hits, store, version), load_statements(store, version))
    st.caption(f"{hits.height} versions of {len(groups)} statement(s), best match first.")
    html(render.quote_groups_html(groups, route, here="found"))
    data_table("who_said", hits, "search.hits")


def page_speaker(store: str, version: str, route: Route) -> None:
    speakers = load_table(store, version, "speakers")
    if not route.key:
        html(render.page_title_html("speaker", "Speakers"))
        st.caption(f"{speakers.height} speakers, most quoted first.")
        html(render.speakers_table_html(speakers.iter_rows(named=True), route))
        data_table("speakers", speakers, "speakers.list")
        return
    row = speakers.filter(pl.col("speaker") == route.key)
    html(render.page_title_html("speaker", route.key, key=route.key, kind="Speaker"))
    if row.height == 0:
        st.warning("No speaker by this name in the store.")
        return
    html(render.speaker_summary_html(row.row(0, named=True), route))
    speaker_controls(store, version, route, route.key)
    quotes_by_statement(store, version, route, views.speaker_quotes, "speaker")


def page_outlet(store: str, version: str, route: Route) -> None:
    outlets = load_table(store, version, "outlets")
    if not route.key:
        html(render.page_title_html("outlet", "Outlets"))
        st.caption(f"{outlets.height} outlets, by the number of quotes they carried.")
        html(render.outlets_table_html(outlets.iter_rows(named=True), route))
        data_table("outlets", outlets, "outlets.list")
        return
    row = outlets.filter(pl.col("outlet") == route.key)
    html(render.page_title_html("outlet", route.key, key=route.key, kind="Outlet"))
    if row.height == 0:
        st.warning("No outlet by this name in the store.")
        return
    html(render.outlet_summary_html(row.row(0, named=True), route))
    quotes_by_statement(store, version, route, views.outlet_quotes, "outlet")


def quotes_by_statement(
    store: str,
    version: str,
    route: Route,
    select: Callable[[pl.DataFrame, str], pl.DataFrame],
    name: str,
) -> None:
    """The quotes of a speaker or outlet page, grouped by statement and linked."""
    quotes = select(load_table(store, version, "quotes"), route.key or "")
    shown = views.filter_confidence(quotes, route.min_confidence)
    hidden = quotes.height - shown.height
    groups = views.quote_groups(with_labels(shown, store, version), load_statements(store, version))
    note = f" ({hidden} below the confidence threshold hidden)" if hidden else ""
    st.caption(f"{shown.height} quotes in {len(groups)} statements{note}, grouped by statement.")
    html(render.quote_groups_html(groups, route))
    data_table("quotes", shown, f"{name}.quotes")


def page_article(store: str, version: str, route: Route) -> None:
    articles = load_table(store, version, "articles")
    labels = article_labels(store, version)
    if not route.key:
        html(render.page_title_html("article", "Articles"))
        st.caption(f"{articles.height} articles, by publication date (undated last).")
        listed = views.with_article_labels(articles, labels)
        html(render.articles_table_html(listed.iter_rows(named=True), route))
        data_table("articles", articles, "articles.list")
        return
    row = articles.filter(pl.col("article") == route.key)
    if row.height == 0:
        html(render.page_title_html("article", "Article"))
        st.warning("No article with this id in the store.")
        return
    label = labels[route.key]
    html(render.page_title_html("article", label.text, key=route.key, kind="Article"))
    text, quotes = load_article(store, version, route.key)
    quotes = views.filter_confidence(quotes, route.min_confidence)
    html(render.article_meta_html(row.row(0, named=True), route))
    groups = views.quote_groups(
        with_labels(quotes, store, version), load_statements(store, version)
    )
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.subheader("The text, its quotes marked")
        html(render.article_text_html(text, list(quotes.iter_rows(named=True)), route))
    with right:
        st.subheader(f"{quotes.height} quotes, by statement")
        html(render.quote_groups_html(groups, route, here="in this article"))
    data_table("quotes", quotes, "article.quotes", "The quotes as a table")


# --------------------------------------------------------------------------- corrections


def record_outcome(outcome: correcting.Outcome) -> None:
    """Keep an outcome to show on the page now addressed (until another view is opened)."""
    st.session_state[NOTICE_KEY] = (outcome, current_route().params())


def correct(store: str, action: str, *args: str, stay: Route | None = None) -> None:
    """A button's callback: make a correction (as the sidebar's author), then show ``stay``."""
    with open_tracker(store) as tracker:
        outcome = correcting.perform(
            tracker, action, *args, author=st.session_state.get(AUTHOR_KEY)
        )
    if outcome.ok and stay is not None:
        go(stay)
    record_outcome(outcome)


def correct_with(store: str, action: str, key: str, *args: str, to_speaker: bool = False) -> None:
    """A picker's callback: make a correction whose last argument is the picker's value, then
    clear the picker (``to_speaker``: then open that speaker's page)."""
    value = st.session_state.get(key)
    if not value:
        return
    st.session_state[key] = None
    stay = current_route().to("speaker", value) if to_speaker else None
    correct(store, action, *args, value, stay=stay)


def undo(store: str, correction_id: int) -> None:
    """An Undo button's callback."""
    with open_tracker(store) as tracker:
        record_outcome(correcting.undo(tracker, correction_id))


def show_notice(store: str, route: Route) -> None:
    """What the last correction or undo did, with an Undo button, on the page it was made on."""
    kept = st.session_state.get(NOTICE_KEY)
    if not kept:
        return
    outcome, params = kept
    if params != route.params():
        del st.session_state[NOTICE_KEY]
        return
    with st.container(border=True, horizontal=True, vertical_alignment="center", key="notice"):
        html(render.notice_html(outcome))
        if outcome.can_undo:
            st.button(
                "Undo",
                key="notice.undo",
                icon=":material/undo:",
                on_click=undo,
                args=(store, outcome.correction_id),
            )


def statement_controls(store: str, version: str, route: Route, view: views.StatementView) -> None:
    """Per version: reassign the speaker, not a quote, split out, pin; then merge with
    another statement. Each makes one stored correction (see the Corrections page)."""
    speakers = correcting.known_speakers(load_table(store, version, "speakers"))
    with st.expander("Correct this statement", icon=":material/edit:"):
        st.caption(
            "Each correction is stored with your name (sidebar), kept through new articles and "
            "regrouping, and can be undone on the Corrections page."
        )
        for number, shown in enumerate(view.versions):
            version_controls(store, route, view, shown, speakers, number)
        merge_control(store, version, route, view)


def version_controls(
    store: str,
    route: Route,
    view: views.StatementView,
    shown: views.VersionView,
    speakers: list[str],
    number: int,
) -> None:
    quote = shown.quote_id
    key = f"fix.speaker.{quote}"
    leaving = correcting.stay_on(view, [quote])
    stay = route.to("statement", leaving) if leaving else route.to("statement")
    html(render.version_label_html(shown))
    with st.container(horizontal=True, vertical_alignment="bottom", key=f"fix.row.{number}"):
        st.selectbox(
            f"Speaker of #{shown.number}",
            speakers,
            index=None,
            key=key,
            accept_new_options=True,
            placeholder="Reassign the speaker: pick or type a name",
            on_change=correct_with,
            args=(store, "speaker", key, quote),
        )
        st.button(
            "Not a quote",
            key=f"fix.not-quote.{quote}",
            on_click=correct,
            args=(store, "not-quote", quote),
            kwargs={"stay": stay},
        )
        st.button(
            "Split out",
            key=f"fix.split.{quote}",
            disabled=view.n_versions == 1,
            on_click=correct,
            args=(store, "split", quote),
            kwargs={"stay": stay},
        )
        st.button(
            "Pin as reference",
            key=f"fix.pin.{quote}",
            disabled=shown.is_reference,
            on_click=correct,
            args=(store, "pin", quote),
        )


def merge_control(store: str, version: str, route: Route, view: views.StatementView) -> None:
    """Merge with another statement: a picker of the others, and a button."""
    statements = views.statement_list(load_statements(store, version), include_single=True)
    others = statements.filter(pl.col("cluster_id") != view.cluster_id)
    info = {row["reference_quote_id"]: row for row in others.iter_rows(named=True)}
    with st.container(horizontal=True, vertical_alignment="bottom", key="fix.merge"):
        picked = st.selectbox(
            "Merge with statement ...",
            list(info),
            index=None,
            key="fix.merge.pick",
            placeholder="Type a few words of the other statement...",
            format_func=lambda q: views.picker_label(info[q]) if q in info else q,
        )
        st.button(
            "Merge",
            key="fix.merge.go",
            disabled=picked is None,
            on_click=correct_with,
            args=(store, "merge-statements", "fix.merge.pick", view.link_id),
        )


def speaker_controls(store: str, version: str, route: Route, name: str) -> None:
    """Merge this speaker into another one (its quotes become the other's)."""
    names = correcting.other_speakers(
        correcting.known_speakers(load_table(store, version, "speakers")), name
    )
    with (
        st.expander("Correct this speaker", icon=":material/edit:"),
        st.container(horizontal=True, vertical_alignment="bottom", key="fix.speakers"),
    ):
        picked = st.selectbox(
            "Merge into speaker ...",
            names,
            index=None,
            key="fix.speaker-merge.pick",
            placeholder="The speaker these quotes belong to",
        )
        st.button(
            "Merge",
            key="fix.speaker-merge.go",
            disabled=picked is None,
            on_click=correct_with,
            args=(store, "merge-speakers", "fix.speaker-merge.pick", name),
            kwargs={"to_speaker": True},
        )


def page_corrections(store: str, version: str, route: Route) -> None:
    html(render.page_title_html("corrections", "Corrections"))
    include = route.key == SHOW_ALL
    st.session_state["corrections.all"] = include
    st.toggle(
        "Also list undone corrections",
        key="corrections.all",
        on_change=follow,
        args=("corrections.all", lambda on: route.to("corrections", SHOW_ALL if on else None)),
    )
    rows = load_corrections(store, version, include)
    st.caption(
        f"{len(rows)} correction(s){'' if include else ' in force'}, newest first: who made "
        "each, when, and what it changed. Every table, export and citation applies those in "
        "force; undoing one keeps it listed."
    )
    if not rows:
        st.info("No corrections yet: make one from a statement's or a speaker's page.")
        return
    for row in rows[: LIST_ROWS * 4]:
        with st.container(
            border=True,
            horizontal=True,
            vertical_alignment="center",
            key=f"correction.{row.correction_id}",
        ):
            html(render.correction_html(row, route))
            if row.active:
                st.button(
                    "Undo",
                    key=f"corrections.undo.{row.correction_id}",
                    icon=":material/undo:",
                    on_click=undo,
                    args=(store, row.correction_id),
                )
    data_table(
        "corrections", load_table(store, version, "corrections", include), "corrections.list"
    )


# --------------------------------------------------------------------------- adding articles


def page_add(store: str, version: str, route: Route) -> None:
    html(render.page_title_html("add", "Add articles"))
    st.caption(uploads.limits_text())
    result = st.session_state.pop("add.result", None)
    if result:
        show_ingest_result(*result, labels=article_labels(store, version), route=route)
    generation = st.session_state.setdefault("add.generation", 0)
    with st.form(f"add.form.{generation}", border=True):
        articles_files = st.file_uploader(
            "Articles (.txt, .html)",
            type=list(uploads.ARTICLE_TYPES),
            accept_multiple_files=True,
            key=f"add.files.{generation}",
            max_upload_size=uploads.megabytes(MAX_FILE_BYTES),
        )
        table_files = st.file_uploader(
            "Tables of articles (.jsonl, .csv with a text column)",
            type=list(uploads.TABLE_TYPES),
            accept_multiple_files=True,
            key=f"add.tables.{generation}",
            max_upload_size=uploads.megabytes(MAX_TABLE_FILE_BYTES),
        )
        pasted = st.text_area("Or paste an article", key=f"add.text.{generation}", height=180)
        cols = st.columns(3)
        title = cols[0].text_input("Title", key=f"add.title.{generation}")
        publisher = cols[1].text_input("Publisher", key=f"add.publisher.{generation}")
        published = cols[2].text_input("Date (YYYY-MM-DD)", key=f"add.published.{generation}")
        submitted = st.form_submit_button("Add to the store", type="primary")
    if submitted:
        received = [uploads.Upload(f.name, f.getvalue()) for f in [*articles_files, *table_files]]
        add_articles(store, received, pasted, title, publisher, published)


def add_articles(
    store: str,
    received: list[uploads.Upload],
    pasted: str,
    title: str,
    publisher: str,
    published: str,
) -> None:
    articles, problems = uploads.read_uploads(received)
    if pasted.strip():
        try:
            articles.append(
                uploads.pasted_article(
                    pasted, title=title, publisher=publisher, published=published
                )
            )
        except InputError as error:
            problems.append(str(error))
    for problem in problems:
        st.error(render.escape_markdown(problem), icon=":material/block:")
    if not articles:
        if not problems:
            st.warning("Nothing to add: choose files or paste an article.")
        return
    with ingest_lock(store), open_tracker(store, with_nlp=True) as tracker:
        fresh, known = uploads.split_stored(articles, tracker.store.stored_hashes())
        reports = []
        if fresh:
            bar = st.progress(0.0, text=f"Adding {len(fresh)} article(s)...")
            try:
                reports = ingest_with_progress(tracker, fresh, bar)
            except QuotesError as error:
                st.error(render.escape_markdown(error))
                return
            bar.empty()
        stored = tracker.store.stored_hashes()
    skipped = [f"{source}: {problem}" for r in reports for source, problem in r.skipped]
    added = [a.id for a in fresh if stored.get(a.id) == a.content_hash]
    st.session_state["add.result"] = (added, [(a.id, where) for a, where in known], skipped)
    if not problems:
        # A clean submission: the next form is empty (new widget keys), the result stays shown.
        st.session_state["add.generation"] = st.session_state.get("add.generation", 0) + 1
    st.rerun()


def show_ingest_result(
    added: list[str],
    known: list[tuple[str, str]],
    skipped: list[str],
    *,
    labels: dict[str, views.ArticleLabel],
    route: Route,
) -> None:
    for problem in skipped:
        st.warning(render.escape_markdown(problem))
    if known:
        st.info(
            f"{len(known)} article(s) already in the store, not added again:",
            icon=":material/content_copy:",
        )
        html(render.articles_list_html(known, labels, route))
    if added:
        st.success(f"{len(added)} article(s) added:", icon=":material/check:")
        html(render.articles_list_html([(a, None) for a in added], labels, route))


def ingest_with_progress(tracker: Tracker, articles: list[Article], bar: Any) -> list[Any]:
    """Ingest in small atomic chunks so the progress bar moves; returns the ingest reports."""
    step = max(1, math.ceil(len(articles) / 20))
    reports = []
    for start in range(0, len(articles), step):
        chunk = articles[start : start + step]
        reports.append(tracker.ingest_texts(chunk, progress=False))
        done = start + len(chunk)
        bar.progress(done / len(articles), text=f"Parsed {done} of {len(articles)} article(s)")
    return reports


# --------------------------------------------------------------------------- main


def ensure_seeded(store: str) -> None:
    """Fill an empty store with the bundled seeds, once, showing a progress bar."""
    with open_tracker(store) as tracker:
        if tracker.store.counts()["articles"]:
            return
    with ingest_lock(store), open_tracker(store, with_nlp=True) as tracker:
        if tracker.store.counts()["articles"]:
            return
        seeds, _ = collect([SEEDS])
        if not seeds:
            return
        bar = st.progress(0.0, text="First start: adding the bundled seed articles...")
        ingest_with_progress(tracker, seeds, bar)
        bar.empty()


PAGES: dict[View, Callable[[str, str, Route], None]] = {
    "overview": page_overview,
    "statement": page_statement,
    "speaker": page_speaker,
    "outlet": page_outlet,
    "article": page_article,
    "search": page_search,
    "add": page_add,
    "corrections": page_corrections,
}


def main() -> None:
    store = str(resolve_store_path(None))
    st.session_state["store"] = store
    try:
        ensure_seeded(store)
        with open_tracker(store) as tracker:
            version = store_version(tracker)
    except QuotesError as error:
        st.error(f"Cannot open the store {render.escape_markdown(store)}: {error}")
        st.stop()
    route = current_route()
    st.html(render.CSS)  # styles only: Streamlit adds it to the page without taking space
    sidebar(route, load_table(store, version, "quotes"))
    show_notice(store, route)
    PAGES[route.view](store, version, route)


main()
