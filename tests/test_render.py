"""Unit tests for quotes.render: drift highlighting and escaping of article text."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from quotes.drift import ChainHop, DriftVersion, align, cluster_drift
from quotes.render import (
    VersionRow,
    drift_table_html,
    escape_markdown,
    grouped_quotes_html,
    outlet_chain_html,
    quote_card_html,
    reference_block_html,
    reference_html,
    version_html,
    version_labels,
    version_rows,
)

ALLOWED_TAGS = {"table", "thead", "tbody", "tr", "th", "td", "del", "ins", "mark", "span", "br"}
ALLOWED_TAGS |= {"i", "div"}
ALLOWED_ATTRIBUTES = {"class", "title"}


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


def test_rows_chain_and_labels_follow_the_cluster() -> None:
    drift = cluster_drift(
        [
            DriftVersion(
                "q1",
                "all forms of hegemonism",
                "direct",
                "Wang Yi",
                "Xinhua",
                "a1",
                date(2025, 9, 29),
            ),
            DriftVersion(
                "q2",
                "opposes all forms of hegemonism firmly",
                "direct",
                "Wang Yi",
                "KCNA",
                "a2",
                date(2025, 9, 28),
            ),
            DriftVersion("q3", "all forms of hegemonism", "direct", "Wang", "AP", "a3", None),
        ]
    )
    rows = version_rows(drift, titles={"q2": "Talks in Beijing"})
    assert rows[0].is_reference and rows[0].outlet == "KCNA"
    assert rows[0].article == "Talks in Beijing" and rows[1].article == "a1"
    # The chain is drawn from evidence only: here the dates order KCNA before Xinhua.
    assert [(h.source, h.target) for h in drift.chain] == [("KCNA", "Xinhua")]
    assert version_labels(drift) == ["1 KCNA (ref)", "2 Xinhua", "3 AP"]
    table = drift_table_html(rows)
    assert table.count("<tr class=") == 3
    assert "drift 0." in table and "reference" in table


def test_hostile_text_is_escaped_everywhere() -> None:
    for bad in HOSTILE:
        drift = cluster_drift(
            [
                DriftVersion("q1", f"we said {bad} today", bad, bad, bad, bad, None),
                DriftVersion("q2", f"{bad} we said {bad}", bad, bad, bad, bad, None),
            ]
        )
        rows = version_rows(drift, titles={"q1": bad})
        refs = {"c": bad}
        for markup in (
            drift_table_html(rows),
            outlet_chain_html([ChainHop(bad, bad, "dates", bad, bad)], [bad]),
            quote_card_html(bad, [bad, bad]),
            reference_block_html(bad, [bad], [bad], 2, 2),
            grouped_quotes_html(
                [{"cluster_id": "c", "text": bad}], refs, lambda r: [str(r["text"])]
            ),
        ):
            parsed = _parse(markup)
            assert set(parsed.tags) <= ALLOWED_TAGS, (bad, parsed.tags)
            assert {name for name, _ in parsed.attributes} <= ALLOWED_ATTRIBUTES
            assert bad in "".join(parsed.text)


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
    row = VersionRow(alignment=alignment, speaker=speaker, outlet=speaker, article=speaker)
    markup = drift_table_html([row])
    parsed = _parse(markup)
    assert set(parsed.tags) <= ALLOWED_TAGS
    assert {name for name, _ in parsed.attributes} <= ALLOWED_ATTRIBUTES
    # Without the struck-out words, the version reads exactly as given.
    plain = _Collector(skip={"del"})
    plain.feed(version_html(alignment))
    plain.close()
    assert "".join(plain.text) == variant
