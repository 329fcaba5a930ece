"""The wording-drift explorer: a Streamlit page over the `quotes` store.

Start it with ``quotes app`` or ``streamlit run app.py``. The store is ``$QUOTES_STORE`` (default
``data/quotes/``); an empty or missing store is filled with the bundled ``seeds/`` on first start.

This file only renders: every table comes from :class:`quotes.api.Tracker`, every piece of markup
from :mod:`quotes.render` (which escapes article text before adding tags). Article-derived text is
never passed to ``st.markdown``, widget labels or headers; it goes through ``st.dataframe``,
charts or ``quotes.render``.

Pages are picked in the sidebar and mirrored in the URL (``?page=drift&cluster=<id>``,
``?page=who&q=...``, ``?page=speaker&name=...``), so a view can be linked to.

Limits on the Add page: at most :data:`MAX_UPLOAD_FILES` files per upload, each at most
:data:`MAX_UPLOAD_BYTES` (``.jsonl``/``.csv`` tables at most :data:`MAX_TABLE_UPLOAD_BYTES`),
articles at most ``quotes.sources.MAX_ARTICLE_CHARS`` characters. Upload names are never used as
paths.
"""

from __future__ import annotations

import functools
import math
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import altair as alt
import polars as pl
import streamlit as st

from quotes import render
from quotes.api import Tracker
from quotes.errors import InputError, QuotesError
from quotes.sources import (
    MAX_ARTICLE_CHARS,
    MAX_FILE_BYTES,
    Article,
    article_from_text,
    collect,
    html_article,
    read_file,
)
from quotes.store import resolve_store_path
from quotes.tables import export

ROOT = Path(__file__).resolve().parent
SEEDS = ROOT / "seeds"

# Upload limits (module-level strings would be drawn by Streamlit's "magic", hence comments):
# at most this many files per upload, more are refused with a message;
MAX_UPLOAD_FILES = 20
# the largest .txt/.html file (the library's single-article limit, 5 MB);
MAX_UPLOAD_BYTES = MAX_FILE_BYTES
# the largest .jsonl/.csv file, which holds many articles (50 MB; also server.maxUploadSize).
MAX_TABLE_UPLOAD_BYTES = 50_000_000
UPLOAD_TYPES = ["txt", "html", "htm", "jsonl", "csv"]

PAGES = {
    "overview": "Overview",
    "drift": "Drift view",
    "who": "Who said it",
    "speaker": "Speakers",
    "outlet": "Outlets",
    "add": "Add articles",
}

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
    """A key that changes whenever the store changes, so cached frames follow new ingests."""
    counts = tracker.store.counts()
    return "-".join(str(counts[k]) for k in ("batches", "articles", "quotes", "clusters"))


@st.cache_data(show_spinner=False, max_entries=256)
def cluster_references(store: str, version: str) -> dict[str, str]:
    """Cluster id -> its reference wording, for the grouped quote cards."""
    clusters = load_table(store, version, "clusters")
    return dict(zip(clusters["cluster_id"].to_list(), clusters["reference"].to_list(), strict=True))


def load_table(store: str, version: str, name: str, **filters: Any) -> pl.DataFrame:
    """One of the Tracker's tables, cached per store version."""
    with open_tracker(store) as tracker:
        if name == "quotes":
            return tracker.quotes(**filters)
        if name == "who_said":
            return tracker.who_said(filters["phrase"], limit=filters.get("limit", 20))
        if name == "variants":
            return tracker.variants(filters["cluster"])
        method: Callable[[], pl.DataFrame] = getattr(tracker, name)
        return method()


@st.cache_data(show_spinner=False, max_entries=256)
def load_drift(store: str, version: str, cluster: str) -> tuple[str, str, pl.DataFrame]:
    """The drift table HTML, the outlet chain HTML and the similarity matrix of one cluster."""
    from quotes.drift import similarity_matrix

    with open_tracker(store) as tracker:
        drift = tracker.cluster_drift(cluster)
        variants = tracker.variants(cluster)
    titles = dict(zip(variants["quote_id"].to_list(), variants["title"].to_list(), strict=True))
    table_html = render.drift_table_html(render.version_rows(drift, titles))
    chain_html = render.outlet_chain_html(drift.chain, [v.version.outlet for v in drift.versions])
    labels = render.version_labels(drift)
    matrix = similarity_matrix([item.version.text for item in drift.versions])
    cells = pl.DataFrame(
        {
            "row": [labels[i] for i in range(len(labels)) for _ in labels],
            "column": [label for _ in labels for label in labels],
            "similarity": [value for row in matrix for value in row],
        },
        schema={"row": pl.String, "column": pl.String, "similarity": pl.Float64},
    )
    return table_html, chain_html, cells


@st.cache_data(show_spinner=False, max_entries=64)
def serialise(frame: pl.DataFrame, table: str, fmt: str) -> bytes:
    """A table as CSV or Parquet bytes, written by ``quotes.tables.export`` (as the CLI does)."""
    with tempfile.TemporaryDirectory(prefix="quotes-app-") as folder:
        target = export(frame, Path(folder) / f"{table}.{fmt}", fmt)
        return target.read_bytes()


# --------------------------------------------------------------------------- widgets


def downloads(table: str, frame: pl.DataFrame, key: str) -> None:
    """CSV and Parquet download buttons for one shown table (serialised on click)."""
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


def table(name: str, frame: pl.DataFrame, key: str, **kwargs: Any) -> None:
    """A dataframe (article text is drawn as plain text) with its downloads underneath."""
    st.dataframe(frame, hide_index=True, width="stretch", key=f"{key}.table", **kwargs)
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
        x=alt.X("column:N", title=None, sort=None, axis=alt.Axis(labelAngle=-30, labelLimit=140)),
        y=alt.Y("row:N", title=None, sort=None, axis=alt.Axis(labelLimit=140)),
    )
    rects = base.mark_rect().encode(
        color=alt.Color(
            "similarity:Q", scale=alt.Scale(domain=[0, 1], scheme="blues"), legend=None
        ),
        tooltip=["row:N", "column:N", alt.Tooltip("similarity:Q", format=".2f")],
    )
    labels = base.mark_text(fontSize=12).encode(
        text=alt.Text("similarity:Q", format=".2f"),
        color=alt.condition("datum.similarity > 0.6", alt.value("white"), alt.value("#222")),
    )
    st.altair_chart(
        (rects + labels).properties(height=44 * size), width="stretch", height=44 * size + 90
    )


def pick(label: str, options: list[str], key: str, param: str, **kwargs: Any) -> str:
    """A selectbox whose first value can come from the URL (``?param=...``)."""
    wanted = st.query_params.get(param)
    if st.session_state.get(key) not in options:
        st.session_state[key] = wanted if wanted in options else options[0]
    choice: str = st.selectbox(label, options, key=key, **kwargs)
    return choice


def set_query(page: str, **params: str | None) -> None:
    wanted = {"page": page} | {k: v for k, v in params.items() if v}
    if dict(st.query_params) != wanted:
        st.query_params.from_dict(wanted)


def _meta(row: Mapping[str, Any]) -> list[str | None]:
    published = row.get("published")
    return [
        row.get("speaker"),
        row.get("outlet") or row.get("publisher"),
        row.get("title") or row.get("article"),
        str(published) if published else None,
    ]


def _shorten(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------- pages


def page_overview(store: str, version: str) -> None:
    st.header("Overview")
    articles = load_table(store, version, "articles")
    quotes = load_table(store, version, "quotes")
    speakers = load_table(store, version, "speakers")
    outlets = load_table(store, version, "outlets")
    clusters = load_table(store, version, "clusters")
    for column, label, frame in zip(
        st.columns(5),
        ("Articles", "Quotes", "Speakers", "Outlets", "Statements"),
        (articles, quotes, speakers, outlets, clusters),
        strict=True,
    ):
        column.metric(label, f"{frame.height:,}", border=True)

    left, right = st.columns(2, gap="large")
    with left:
        if speakers.height:
            bar_chart(speakers, "speaker", "n_quotes", "Quotes per speaker")
    with right:
        if outlets.height:
            bar_chart(outlets, "outlet", "n_quotes", "Quotes per outlet")

    st.subheader("Statements that drifted most")
    st.caption(
        "Each row is one statement reported in several articles; drift is 0 for identical "
        "wording and 1 for nothing in common. Select a row to open its drift view."
    )
    by_drift = clusters.sort(["max_drift", "n_versions"], descending=[True, True], nulls_last=True)
    ranked = by_drift.select(
        "reference",
        "n_versions",
        "n_articles",
        "speakers",
        "outlets",
        "max_drift",
        "mean_drift",
        "first_published",
        "last_published",
        "cluster_id",
        "reference_quote_id",
    )
    # A fresh key after each pick: the browser re-sends a kept selection, which would bounce
    # the user back to the drift view whenever they return here.
    table_key = f"overview.clusters.table.{st.session_state.get('overview.picks', 0)}"
    st.dataframe(
        ranked,
        hide_index=True,
        width="stretch",
        height=320,
        key=table_key,
        on_select=functools.partial(_open_selected_cluster, table_key),
        selection_mode="single-row",
        column_config={
            "reference": st.column_config.TextColumn(
                "statement (reference wording)", width="large"
            ),
            "n_versions": st.column_config.NumberColumn("versions", width="small"),
            "n_articles": st.column_config.NumberColumn("articles", width="small"),
            "max_drift": st.column_config.ProgressColumn(
                "max drift", min_value=0.0, max_value=1.0, format="%.2f", width="small"
            ),
            "mean_drift": st.column_config.NumberColumn("mean drift", format="%.2f", width="small"),
        },
    )
    st.session_state["overview.ranked_ids"] = ranked["cluster_id"].to_list()
    downloads("clusters", by_drift, "overview.clusters")
    with st.expander("Articles in the store"):
        table("articles", articles, "overview.articles")


def _open_selected_cluster(table_key: str) -> None:
    selection = st.session_state[table_key].selection
    ids = st.session_state.get("overview.ranked_ids") or []
    if selection.rows and selection.rows[0] < len(ids):
        st.session_state["overview.picks"] = st.session_state.get("overview.picks", 0) + 1
        st.session_state["nav.page"] = "drift"
        st.session_state["drift.cluster"] = ids[selection.rows[0]]
        st.query_params.from_dict({"page": "drift", "cluster": ids[selection.rows[0]]})


def page_drift(store: str, version: str) -> None:
    st.header("Drift view")
    clusters = load_table(store, version, "clusters").sort(
        ["n_versions", "max_drift"], descending=[True, True], nulls_last=True
    )
    if clusters.height == 0:
        st.info("No statements in the store yet.")
        return
    ids = clusters["cluster_id"].to_list()
    info = {row["cluster_id"]: row for row in clusters.iter_rows(named=True)}
    cluster = pick(
        "Statement",
        ids,
        key="drift.cluster",
        param="cluster",
        format_func=lambda c: (
            f"{_shorten(info[c]['reference'] or c, 100)}  · {info[c]['n_versions']} versions"
        ),
    )
    set_query("drift", cluster=cluster)
    row = info[cluster]
    table_html, chain_html, cells = load_drift(store, version, cluster)

    st.html(render.DRIFT_CSS)
    st.html(
        render.reference_block_html(
            row["reference"] or "",
            row["speakers"] or [],
            row["outlets"] or [],
            row["n_versions"],
            row["n_articles"],
        )
    )
    st.html(render.LEGEND_HTML)
    st.html(table_html)

    left, right = st.columns([3, 2], gap="large")
    with left:
        st.subheader("How alike the versions are")
        st.caption("Word-level similarity of every pair of versions (1 = same wording).")
        heatmap(cells)
    with right:
        st.subheader("Chain of outlets")
        st.caption("Who carried the statement, earliest publication first (when dates are known).")
        st.html(chain_html)

    with st.expander("The versions as a table"):
        table(
            f"variants_{cluster}",
            load_table(store, version, "variants", cluster=cluster),
            "drift.variants",
        )


def page_who(store: str, version: str) -> None:
    st.header("Who said it")
    if "who.phrase" not in st.session_state:
        st.session_state["who.phrase"] = st.query_params.get("q", "")
    phrase = st.text_input(
        "Phrase",
        key="who.phrase",
        placeholder="all forms of hegemonism",
        help="Fuzzy search: the words need not match exactly.",
    )
    set_query("who", q=phrase.strip() or None)
    if len(phrase.strip()) < 2:
        st.caption(
            "Type a few words of a statement to see who said it, where, and how it was worded."
        )
        return
    hits = load_table(store, version, "who_said", phrase=phrase.strip(), limit=20)
    if hits.height == 0:
        st.info("Nothing close to that phrase in the store.")
        return
    statements = hits["cluster_id"].n_unique()
    st.caption(f"{hits.height} versions of {statements} statement(s), best match first.")
    references = cluster_references(store, version)

    def meta(row: Mapping[str, Any]) -> list[str | None]:
        return [*_meta(row), f"match {row['score']:.0f}" if row.get("score") else None]

    st.html(
        render.DRIFT_CSS + render.grouped_quotes_html(hits.iter_rows(named=True), references, meta)
    )
    table("who_said", hits, "who.hits")


def page_speaker(store: str, version: str) -> None:
    st.header("Speakers")
    speakers = load_table(store, version, "speakers")
    if speakers.height == 0:
        st.info("No speakers in the store yet.")
        return
    name = pick("Speaker", speakers["speaker"].to_list(), key="speaker.name", param="name")
    set_query("speaker", name=name)
    said = load_table(store, version, "quotes", speaker=name)
    said = said.filter(pl.col("speaker") == name) if said.height else said
    references = cluster_references(store, version)
    st.caption(
        f"{said.height} quotes in {said['cluster_id'].n_unique()} statements, grouped by statement."
    )
    st.html(
        render.DRIFT_CSS + render.grouped_quotes_html(said.iter_rows(named=True), references, _meta)
    )
    with st.expander("As a table"):
        table("quotes", said, "speaker.quotes")


def page_outlet(store: str, version: str) -> None:
    st.header("Outlets")
    outlets = load_table(store, version, "outlets")
    if outlets.height == 0:
        st.info("No outlets in the store yet.")
        return
    name = pick("Outlet", outlets["outlet"].to_list(), key="outlet.name", param="name")
    set_query("outlet", name=name)
    carried = load_table(store, version, "quotes", outlet=name)
    if carried.height:
        carried = carried.filter((pl.col("outlet") == name) | (pl.col("publisher") == name))
    references = cluster_references(store, version)
    st.caption(f"{carried.height} quotes credited to or published by this outlet.")
    left, right = st.columns([2, 3], gap="large")
    with left:
        per_speaker = (
            carried.drop_nulls("speaker").group_by("speaker").len("n_quotes")
            if carried.height
            else pl.DataFrame()
        )
        if per_speaker.height:
            bar_chart(per_speaker, "speaker", "n_quotes", "Whom it quoted")
    with right:
        st.html(
            render.DRIFT_CSS
            + render.grouped_quotes_html(carried.iter_rows(named=True), references, _meta)
        )
    with st.expander("As a table"):
        table("quotes", carried, "outlet.quotes")


def page_add(store: str) -> None:
    st.header("Add articles")
    st.caption(
        f"Up to {MAX_UPLOAD_FILES} files per upload: .txt and .html up to "
        f"{MAX_UPLOAD_BYTES // 1_000_000} MB each, .jsonl and .csv tables (a `text` column) up to "
        f"{MAX_TABLE_UPLOAD_BYTES // 1_000_000} MB; each article at most "
        f"{MAX_ARTICLE_CHARS:,} characters."
    )
    with st.form("add.form", clear_on_submit=False, border=True):
        uploads = st.file_uploader(
            "Files", type=UPLOAD_TYPES, accept_multiple_files=True, key="add.files"
        )
        pasted = st.text_area("Or paste an article", key="add.text", height=180)
        cols = st.columns(3)
        title = cols[0].text_input("Title", key="add.title")
        publisher = cols[1].text_input("Publisher", key="add.publisher")
        published = cols[2].text_input("Date (YYYY-MM-DD)", key="add.published")
        submitted = st.form_submit_button("Add to the store", type="primary")
    if not submitted:
        return
    articles, problems = articles_from_form(uploads or [], pasted, title, publisher, published)
    for problem in problems:
        st.error(problem, icon=":material/block:")
    if not articles:
        if not problems:
            st.warning("Nothing to add: choose files or paste an article.")
        return
    bar = st.progress(0.0, text=f"Adding {len(articles)} article(s)...")
    with ingest_lock(store), open_tracker(store, with_nlp=True) as tracker:
        before = set(tracker.quotes()["quote_id"].to_list())
        try:
            reports = ingest_with_progress(tracker, articles, bar)
        except QuotesError as error:
            st.error(str(error))
            return
        version = store_version(tracker)
    bar.empty()
    added = sum(r.added + r.replaced for r in reports)
    quotes_added = sum(r.quotes_added for r in reports)
    for report in reports:
        for source, problem in report.skipped:
            st.warning(f"{source}: {problem}")
    st.success(
        f"{added} article(s) added or updated, {quotes_added} quotes added.",
        icon=":material/check:",
    )
    fresh = load_table(store, version, "quotes")
    fresh = fresh.filter(~pl.col("quote_id").is_in(list(before)))
    if fresh.height:
        st.subheader("The new quotes")
        table("new_quotes", fresh, "add.new")


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


def articles_from_form(
    uploads: list[Any], pasted: str, title: str, publisher: str, published: str
) -> tuple[list[Article], list[str]]:
    """Articles from the uploads and the pasted text, and one message per refused input."""
    articles: list[Article] = []
    problems: list[str] = []
    if len(uploads) > MAX_UPLOAD_FILES:
        problems.append(
            f"{len(uploads)} files chosen; at most {MAX_UPLOAD_FILES} files per upload."
        )
        uploads = []
    with tempfile.TemporaryDirectory(prefix="quotes-upload-") as folder:
        for upload in uploads:
            name = str(upload.name)
            suffix = Path(name).suffix.lower()
            limit = MAX_TABLE_UPLOAD_BYTES if suffix in (".jsonl", ".csv") else MAX_UPLOAD_BYTES
            if upload.size > limit:
                problems.append(f"{name}: {upload.size:,} bytes, over the limit of {limit:,}.")
                continue
            data = upload.getvalue()
            try:
                if suffix == ".txt":
                    articles.append(article_from_text(_decode(data, name), name=name))
                elif suffix in (".html", ".htm"):
                    articles.append(html_article(_decode(data, name), name=name))
                elif suffix in (".jsonl", ".csv"):
                    # The upload's name never becomes a path: the bytes go to a generated name.
                    path = Path(folder) / f"upload-{uuid.uuid4().hex[:12]}{suffix}"
                    path.write_bytes(data)
                    for item in read_file(path):
                        if isinstance(item, InputError):
                            problems.append(str(item).replace(str(path), name))
                        else:
                            articles.append(item)
                else:
                    problems.append(f"{name}: unsupported file type {suffix or '(none)'}.")
            except InputError as error:
                problems.append(str(error))
    if pasted.strip():
        try:
            articles.append(
                article_from_text(
                    pasted,
                    name=f"pasted-{uuid.uuid4().hex[:8]}",
                    title=title or None,
                    publisher=publisher or None,
                    published=published or None,
                )
            )
        except InputError as error:
            problems.append(str(error))
    return articles, problems


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(name, f"not UTF-8 text (byte at offset {error.start})") from None


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


def main() -> None:
    store = str(resolve_store_path(None))
    try:
        ensure_seeded(store)
        with open_tracker(store) as tracker:
            version = store_version(tracker)
    except QuotesError as error:
        st.error(f"Cannot open the store {store}: {error}")
        st.stop()

    # Streamlit forgets the value of a widget that is not drawn in a run; re-assigning these
    # keeps each page's choice (the search, the statement, the speaker) across page switches.
    for key in ("who.phrase", "drift.cluster", "speaker.name", "outlet.name"):
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
    if "nav.page" not in st.session_state:
        wanted = st.query_params.get("page", "overview")
        st.session_state["nav.page"] = wanted if wanted in PAGES else "overview"
    with st.sidebar:
        st.title("❝ quotes")
        st.caption("Who said it, who carried it, and how the words changed on the way.")
        page = st.radio("Page", list(PAGES), key="nav.page", format_func=PAGES.__getitem__)
        st.divider()
        st.caption(f"Store: {render.escape_markdown(store)}")

    if page == "overview":
        set_query("overview")
        page_overview(store, version)
    elif page == "drift":
        page_drift(store, version)
    elif page == "who":
        page_who(store, version)
    elif page == "speaker":
        page_speaker(store, version)
    elif page == "outlet":
        page_outlet(store, version)
    else:
        set_query("add")
        page_add(store)


main()
