"""Unit tests for quotes.render: drift highlighting and escaping of article text."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from quotes.drift import ChainHop, DriftVersion, align, cluster_drift
from quotes.render import (
    NAV_LABELS,
    article_meta_html,
    article_text_html,
    articles_list_html,
    articles_table_html,
    escape,
    escape_markdown,
    nav_html,
    outlet_chain_html,
    outlet_summary_html,
    outlets_table_html,
    page_title_html,
    quote_card_html,
    quote_groups_html,
    quoted,
    reference_html,
    reference_rule_html,
    single_version_html,
    speaker_summary_html,
    speakers_table_html,
    statement_header_html,
    statement_table_html,
    statements_table_html,
    version_html,
)
from quotes.routes import Route
from quotes.views import QuoteGroup, StatementView, build_statement

ALLOWED_TAGS = {"table", "thead", "tbody", "tr", "th", "td", "del", "ins", "mark", "span", "br"}
ALLOWED_TAGS |= {"i", "div", "a", "b", "details", "summary", "sup", "h2", "ul", "li", "nav", "p"}
ALLOWED_ATTRIBUTES = {"class", "title", "href", "data-nav", "data-view", "data-key"}
ALLOWED_ATTRIBUTES |= {"target", "rel"}  # links out: http(s) only, new tab, no opener


class _Collector(HTMLParser):
    """Records every tag, attribute and text node the browser's parser would see."""

    def __init__(self, skip: set[str] | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.skip = skip or set()
        self.skipping = 0
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(attrs)
        self.skipping += tag in self.skip

    def handle_endtag(self, tag: str) -> None:
        self.skipping -= tag in self.skip

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.text.append(data)


def _parse(markup: str) -> _Collector:
    collector = _Collector()
    collector.feed(markup)
    collector.close()
    return collector


HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '" onmouseover="alert(1)',
    "</td></tr></table><b>",
    "**bold** [link](javascript:alert(1))",
]


def test_version_marks_each_change_with_its_element() -> None:
    alignment = align(
        "we will firmly resist unilateralism with China and build a fair order",
        "we will resist unilateralism ... and build a fairer and just order",
    )
    markup = version_html(alignment)
    assert '<del class="drift-del">firmly</del>' in markup
    assert '<span class="drift-ellipsis" title="cut: with China">...</span>' in markup
    assert '<mark class="drift-sub" title="reference: fair">fairer and just</mark>' in markup
    # The version reads as printed, plus the struck-out word it lost (spaced by CSS).
    assert "".join(_parse(markup).text) == (
        "we willfirmly resist unilateralism ... and build a fairer and just order"
    )


def test_inserted_words_and_punctuation_keep_their_place() -> None:
    markup = version_html(align("promote a world order.", "promote, they said, a world order."))
    assert markup == 'promote, <ins class="drift-ins">they said</ins>, a world order.'


def test_reference_shows_only_reference_words() -> None:
    alignment = align("oppose every kind of hegemonism", "firmly oppose all hegemonism")
    markup = reference_html(alignment)
    assert "".join(_parse(markup).text) == "oppose every kind of hegemonism"
    assert '<mark class="drift-sub-old">every kind of</mark>' in markup
    assert "firmly" not in markup


def _statement(texts: list[str], **fields: object) -> StatementView:
    """A statement whose versions are the whole of each text (one article per version)."""
    rows = [
        {
            "quote_id": f"q{i}",
            "cluster_id": "u1",
            "article": f"a{i}",
            "kind": fields.get("kind", "direct"),
            "text": text,
            "start": 0,
            "end": len(text),
            "speaker": fields.get("speaker"),
            "speaker_mention": fields.get("mention"),
            "outlet": fields.get("outlet"),
            "publisher": None,
            "published": fields.get("published"),
        }
        for i, text in enumerate(texts)
    ]
    drift = cluster_drift(
        [
            DriftVersion(
                r["quote_id"],
                r["text"],
                r["kind"],
                r["speaker"],
                r["outlet"],  # type: ignore[arg-type]
                r["article"],
                r["published"],
            )  # type: ignore[arg-type]
            for r in rows
        ]
    )
    articles = pl.DataFrame(
        {
            "article": [r["article"] for r in rows],
            "title": [fields.get("title")] * len(rows),
            "url": [fields.get("url")] * len(rows),
        },
        schema={"article": pl.String, "title": pl.String, "url": pl.String},
    )
    return build_statement(
        drift, pl.DataFrame(rows), articles, {r["article"]: r["text"] for r in rows}
    )


def test_outlet_chain_follows_the_dates() -> None:
    drift = cluster_drift(
        [
            DriftVersion("q1", "all forms", "direct", "Wang Yi", "Xinhua", "a1", date(2025, 9, 29)),
            DriftVersion(
                "q2", "all forms of it", "direct", "Wang Yi", "KCNA", "a2", date(2025, 9, 28)
            ),
            DriftVersion("q3", "all forms", "direct", "Wang", "AP", "a3", None),
        ]
    )
    # The chain is drawn from evidence only: here the dates order KCNA before Xinhua; AP has
    # no date and credits no one, so it gets no arrow.
    assert [(h.source, h.target, h.kind) for h in drift.chain] == [("KCNA", "Xinhua", "dates")]
    outlets = [v.version.outlet for v in drift.versions]
    chain = outlet_chain_html(drift.chain, outlets, Route())
    assert chain.count("drift-arrow") == 1 and "2025-09-28" in chain
    assert "?view=outlet&amp;name=KCNA" in chain and "AP" not in chain
    listed = outlet_chain_html((), outlets, Route())
    assert "not chained" in listed and "drift-arrow" not in listed
    assert listed.count("?view=outlet") == 3


def test_statement_table_links_every_name_and_shows_each_version() -> None:
    view = _statement(
        ["we oppose all forms of hegemonism", "we oppose hegemonism"],
        speaker="Wang Yi",
        mention="the minister",
        outlet="Xinhua",
        url="https://example.org/story",
    )
    route = Route(min_confidence=0.5)
    table = statement_table_html(view, route)
    assert table.count("<tr class=") == 2
    assert 'href="?view=speaker&amp;name=Wang+Yi&amp;conf=0.5"' in table
    assert 'href="?view=outlet&amp;name=Xinhua&amp;conf=0.5"' in table
    assert 'href="?view=article&amp;id=a1&amp;conf=0.5"' in table
    assert 'href="https://example.org/story" target="_blank"' in table
    assert "as written: &ldquo;the minister&rdquo;" in table
    assert '<span class="change-op">dropped</span> &ldquo;all forms of&rdquo;' in table
    header = statement_header_html(view, route)
    assert "2 versions in 2 articles" in header
    single = single_version_html(_statement(["we agree"]), route)
    assert "one article only" in single and "unknown speaker" in single


def test_the_quoted_words_alarm_and_the_figures_are_shown() -> None:
    view = _statement(
        ["we will open the border crossing by spring", "we will open the border by summer"],
        outlet="Yonhap",
        published=date(2025, 9, 28),
    )
    version = view.versions[1]
    assert version.quoted_words_changed and (version.dropped, version.substituted) == (1, 1)
    route = Route()
    header = statement_header_html(view, route)
    assert "Quoted words changed</b> in 1 of 2 versions: #2 (Yonhap)" in header
    table = statement_table_html(view, route)
    assert 'class="drift-version-row alarm-row"' in table
    assert '<span class="alarm"' in table and "1 dropped · 1 substituted" in table
    assert f"drift {version.drift:.2f}" in table
    rule = reference_rule_html(view)
    assert view.reference_reason and escape(view.reference_reason) in rule
    assert "earliest published" in rule  # the rule itself, said in words
    calm = _statement(["we agree on trade", "we agree on trade"])
    assert "alarm" not in statement_header_html(calm, route) + statement_table_html(calm, route)


def test_words_around_the_shared_stretch_are_muted_not_counted() -> None:
    view = _statement(["we agree on trade", "Officials said we agree on trade today"])
    version = view.versions[1]
    assert version.drift == 0.0 and version.extra == 3
    table = statement_table_html(view, Route())
    assert table.count('<span class="drift-around"') == 2
    assert '<ins class="drift-ins">' not in table
    assert "same words" in table and "not drift: 3 words of its own around them" in table
    assert "around the shared words, not drift:" in table


def test_quote_marks_are_never_doubled() -> None:
    assert quoted("“all forms of hegemonism”", "direct") == "“all forms of hegemonism”"
    assert quoted('"we agree," he said "again"', "mixed").count("&ldquo;") == 0
    assert quoted("that they agreed", "indirect") == "that they agreed"
    assert quoted("we agree", "direct") == "&ldquo;we agree&rdquo;"
    card = quote_card_html({"quote_id": "q", "text": "“x”", "kind": "direct"}, Route())
    assert "&ldquo;“x”" not in card


def test_lists_link_to_their_pages() -> None:
    route = Route()
    statements = statements_table_html(
        [
            {
                "cluster_id": "u1",
                "reference_quote_id": "q1",
                "reference": "x",
                "n_versions": 2,
                "n_articles": 2,
                "drift": 0.5,
                "quoted_words_changed": 1,
                "speakers": ["A B"],
                "outlets": ["AP"],
            }
        ],
        route,
    )
    assert "?view=statement&amp;id=q1" in statements and "?view=speaker&amp;name=A+B" in statements
    assert ">0.50<" in statements and "quoted words changed in 1 version<" in statements
    rows = ({"quote_id": "q1", "text": "x", "outlet": "AP"},)
    groups = quote_groups_html([QuoteGroup("u1", "q1", "x", 2, rows, 0.5, 1)], route, here="here")
    assert "2 versions, 1 here · most drift 0.50" in groups and "?view=outlet&amp;name=AP" in groups
    assert 'class="alarm"' in groups
    assert nav_html(route).count("data-nav") == len(NAV_LABELS)
    text = article_text_html(
        "A said “one”. B said “two”.",
        [
            {"quote_id": "q1", "start": 8, "end": 11},
            {"quote_id": "q2", "start": 21, "end": 24},
            {"quote_id": "q3", "start": 9, "end": 10},
        ],  # inside q1: listed, not marked twice
        route,
    )
    assert text.count("<mark") == 2 and "?view=statement&amp;id=q2" in text


def _hostile_markups(bad: str) -> list[str]:
    view = _statement(
        [f"we said {bad} today", f"{bad} we said {bad}"],
        speaker=bad,
        mention=bad,
        outlet=bad,
        title=bad,
        url=bad,
        kind=bad,
    )
    route = Route("speaker", bad)
    row = {
        "quote_id": bad,
        "cluster_id": bad,
        "text": bad,
        "kind": bad,
        "speaker": bad,
        "outlet": bad,
        "publisher": bad,
        "article": bad,
        "title": bad,
        "published": bad,
    }
    alarmed = _statement(
        ["we will open the crossing", "we will shut the crossing"],  # the alarm, named by outlet
        outlet=bad,
        published=date(2025, 9, 28),
    )
    assert alarmed.quoted_words_changed
    return [
        statement_table_html(view, route),
        statement_header_html(view, route),
        statement_table_html(alarmed, route),
        statement_header_html(alarmed, route),
        reference_rule_html(alarmed),
        single_version_html(view, route),
        outlet_chain_html([ChainHop(bad, bad, "dates", bad, bad)], [bad], route),
        outlet_chain_html([], [bad], route),
        quote_card_html(row, route),
        quote_groups_html([QuoteGroup(bad, bad, bad, 3, (row,))], route),
        statements_table_html(
            [{**row, "reference": bad, "speakers": [bad], "outlets": [bad]}], route
        ),
        speakers_table_html([{"speaker": bad, "roles": [bad], "outlets": [bad]}], route),
        outlets_table_html([{"outlet": bad, "speakers": [bad]}], route),
        articles_table_html([{**row, "url": bad}], route),
        article_text_html(f"{bad} said {bad}.", [{**row, "start": 0, "end": len(bad)}], route),
        page_title_html("speaker", bad, key=bad, kind=bad),
        speaker_summary_html(
            {"speaker": bad, "roles": [bad], "variants": [bad], "outlets": [bad]}, route
        ),
        outlet_summary_html({"outlet": bad, "speakers": [bad]}, route),
        article_meta_html({**row, "url": bad, "source": bad}, route),
        articles_list_html([(bad, None), (bad, bad)], {}, route),
    ]


def test_hostile_text_is_escaped_everywhere() -> None:
    for bad in HOSTILE:
        for markup in _hostile_markups(bad):
            parsed = _parse(markup)
            assert set(parsed.tags) <= ALLOWED_TAGS, (bad, parsed.tags)
            assert {name for name, _ in parsed.attributes} <= ALLOWED_ATTRIBUTES, markup
            for name, value in parsed.attributes:
                if name == "href":
                    assert value and value.startswith("?"), value
                if name == "target":
                    assert value == "_blank"
            assert bad in "".join(parsed.text) or bad in str(parsed.attributes), markup


def test_escape_markdown_leaves_no_syntax() -> None:
    escaped = escape_markdown("**bold** [link](javascript:alert(1)) <b>x</b> `code`")
    assert "<" not in escaped and ">" not in escaped
    for syntax in ("**", "[link]", "](", "`code`"):
        assert syntax not in escaped.replace("\\", "X")


texts = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(texts, texts, texts)
def test_any_text_only_yields_our_tags(reference: str, variant: str, speaker: str) -> None:
    alignment = align(reference, variant)
    view = _statement([reference or ".", variant or "."], speaker=speaker or None, outlet=speaker)
    markup = statement_table_html(view, Route("search", speaker or None))
    parsed = _parse(markup)
    assert set(parsed.tags) <= ALLOWED_TAGS
    assert {name for name, _ in parsed.attributes} <= ALLOWED_ATTRIBUTES
    assert all(v and v.startswith("?") for n, v in parsed.attributes if n == "href")
    # Without the struck-out words, the version reads exactly as given.
    plain = _Collector(skip={"del"})
    plain.feed(version_html(alignment))
    plain.close()
    assert "".join(plain.text) == variant
