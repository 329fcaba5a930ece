"""HTML for the app: wording drift highlighted inline, with every piece of article text escaped.

This is the one place in `quotes` that builds markup. Article text is untrusted (scraped pages,
uploads, feeds), so every string that comes from an article -- quote words and the characters
between them, speaker names, outlets, titles, dates -- goes through :func:`html.escape` *before*
any tag is put around it, and attribute values are escaped with ``quote=True``. The app passes the
result to ``st.html`` (which also sanitises with DOMPurify), so a hostile article cannot inject
script even if one layer failed.

A version of a statement is rendered from its :class:`quotes.drift.Alignment` to the cluster's
reference. The text between aligned words (spaces, punctuation) is copied from the original
strings by the alignment's character offsets, so the version reads exactly as printed, with
``<ins>`` around words only the version has, ``<mark>`` around words that replaced reference
words (the reference words in its ``title``), ``<del>`` where reference words were left out
without a mark, and a ``drift-ellipsis`` span on a "..." that declares a cut.

Example:
    >>> from quotes.drift import align
    >>> version_html(align("a fair order", "a <fairer> order"))
    'a &lt;<mark class="drift-sub" title="reference: fair">fairer</mark>&gt; order'
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from quotes.drift import Alignment, ChainHop, ClusterDrift

DRIFT_CSS = """
<style>
.drift-legend { font-size: 0.85rem; color: #555; margin: 0.2rem 0 0.6rem 0; }
.drift-table { width: 100%; border-collapse: collapse; font-size: 0.95rem; }
.drift-table th { text-align: left; font-weight: 600; color: #444; padding: 0.35rem 0.5rem;
  border-bottom: 2px solid #ddd; }
.drift-table td { vertical-align: top; padding: 0.5rem; border-bottom: 1px solid #eee;
  line-height: 1.55; }
.drift-table td.drift-meta { width: 22%; font-size: 0.85rem; color: #444; }
.drift-meta .drift-speaker { font-weight: 600; color: #111; }
.drift-meta .drift-score { display: inline-block; margin-top: 0.2rem; padding: 0 0.35rem;
  border-radius: 0.3rem; background: #f0f2f6; font-variant-numeric: tabular-nums; }
.drift-ref { color: #333; }
del.drift-del { background: #fde2e1; color: #8a1c13; text-decoration: line-through;
  margin: 0 0.25em; }
td.drift-ref del.drift-del { margin: 0; }
ins.drift-ins { background: #d9f5dd; color: #11602a; text-decoration: none;
  border-bottom: 1px solid #11602a; }
mark.drift-sub { background: #fff1b8; color: #5c4400; border-bottom: 1px dotted #5c4400; }
mark.drift-sub-old { background: #fff1b8; color: #5c4400; text-decoration: line-through; }
span.drift-ellipsis { color: #8a1c13; background: #fde2e1; font-style: italic; }
.drift-chain { font-size: 0.95rem; }
.drift-chain .drift-hop { display: inline-block; padding: 0.1rem 0.5rem; margin: 0.1rem;
  border-radius: 0.8rem; background: #f0f2f6; }
.drift-chain .drift-arrow { color: #888; margin: 0 0.15rem; }
.drift-chain .drift-date { color: #666; font-size: 0.8rem; }
.quote-card { border-left: 3px solid #c7d0dd; padding: 0.25rem 0.75rem; margin: 0.35rem 0; }
.quote-card .quote-text { font-size: 1rem; }
.quote-card .quote-meta { font-size: 0.82rem; color: #555; }
.drift-reference { margin: 0.2rem 0 0.8rem 0; padding: 0.6rem 0.9rem; border-radius: 0.5rem;
  background: #f6f8fb; border: 1px solid #e3e8ef; }
.drift-reference-text { font-size: 1.15rem; line-height: 1.5; }
.drift-reference-meta { font-size: 0.85rem; color: #555; margin-top: 0.25rem; }
.drift-table tr.drift-reference-row td { background: #f6f8fb; }
.drift-note { color: #777; font-style: italic; font-size: 0.85rem; }
.quote-group { margin: 0.4rem 0 0.9rem 0; }
.quote-group-title { font-weight: 600; font-size: 0.95rem; color: #222; }
.quote-group-count { font-weight: 400; color: #777; font-size: 0.8rem; margin-left: 0.3rem; }
</style>
"""
"""The stylesheet the app adds once per page before any drift HTML."""

LEGEND_HTML = (
    '<div class="drift-legend">'
    '<del class="drift-del">dropped</del> &nbsp; '
    '<ins class="drift-ins">inserted</ins> &nbsp; '
    '<mark class="drift-sub">substituted</mark> (hover for the reference word) &nbsp; '
    '<span class="drift-ellipsis">[...]</span> words cut with an ellipsis'
    "</div>"
)

# Characters Markdown (CommonMark + Streamlit's extensions) treats as syntax.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$=\"'])")


@dataclass(frozen=True, slots=True)
class VersionRow:
    """What the drift table shows for one version of a statement.

    Every text field is article-derived and escaped when rendered.

    Example:
        >>> from quotes.drift import align
        >>> VersionRow(alignment=align("a", "a"), speaker="Wang Yi", outlet="Xinhua").outlet
        'Xinhua'
    """

    alignment: Alignment
    speaker: str | None = None
    outlet: str | None = None
    article: str | None = None
    published: str | None = None
    kind: str | None = None
    drift: float | None = None
    is_reference: bool = False


def escape(text: object) -> str:
    """Escape any value for HTML text or a double-quoted attribute (``None`` becomes "").

    Example:
        >>> escape('<img src=x onerror="alert(1)">')
        '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    """
    if text is None:
        return ""
    return html.escape(str(text), quote=True)


def escape_markdown(text: object) -> str:
    """Escape a value for Streamlit Markdown (``st.markdown``, captions, labels) *and* HTML.

    Markdown syntax characters get a backslash and ``<``/``>``/``&`` become entities, so
    ``**bold**`` or ``[link](javascript:...)`` shows literally. Prefer ``st.text`` or
    ``st.dataframe`` for article text; use this where only Markdown is possible.

    Example:
        >>> print(escape_markdown("**bold** [x](y)"))
        \\*\\*bold\\*\\* \\[x\\]\\(y\\)
    """
    if text is None:
        return ""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
    # After the backslashes, neutralise what a Markdown renderer might still pass through as HTML.
    return escaped.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _with_gap(out: list[str], gap: str, removed: str) -> None:
    """Append escaped ``gap`` text, then a struck-out run of ``removed`` reference words.

    No space is added around the run (CSS gives it a margin), so the version's own text stays
    exactly as printed.
    """
    out.append(escape(gap))
    if removed:
        out.append(f'<del class="drift-del">{escape(removed)}</del>')


def version_html(alignment: Alignment) -> str:
    """The version's wording, exactly as printed, with its changes against the reference marked.

    Reference words the version left out without a mark stay visible, struck out, where they
    would have been.

    Example:
        >>> from quotes.drift import align
        >>> version_html(align("resist all hegemonism", "resist hegemonism, and more"))
        'resist<del class="drift-del">all</del> hegemonism, <ins class="drift-ins">and more</ins>'
    """
    text = alignment.variant
    out: list[str] = []
    cursor = 0
    for op in alignment.ops:
        gap = text[cursor : op.var_start] if op.var_start >= cursor else ""
        if op.op == "drop":
            _with_gap(out, gap, op.ref_text)
            cursor = max(cursor, op.var_end)
            continue
        out.append(escape(gap))
        words = escape(text[op.var_start : op.var_end])
        if op.op == "keep":
            out.append(words)
        elif op.op == "insert":
            out.append(f'<ins class="drift-ins">{words}</ins>')
        elif op.op == "substitute":
            out.append(
                f'<mark class="drift-sub" title="reference: {escape(op.ref_text)}">{words}</mark>'
            )
        else:  # ellipsis: a declared cut; the title says which reference words it stands for
            cut = f' title="cut: {escape(op.ref_text)}"' if op.ref_text else ""
            out.append(f'<span class="drift-ellipsis"{cut}>{words}</span>')
        cursor = max(cursor, op.var_end)
    out.append(escape(text[cursor:]))
    return "".join(out)


def reference_html(alignment: Alignment) -> str:
    """The reference wording, marking the words this version dropped, cut or replaced.

    Example:
        >>> from quotes.drift import align
        >>> reference_html(align("promote a fair order", "promote a new, fairer order"))
        'promote a <mark class="drift-sub-old">fair</mark> order'
    """
    text = alignment.reference
    out: list[str] = []
    cursor = 0
    for op in alignment.ops:
        if op.ref_start < cursor or op.ref_start == op.ref_end:
            continue  # an insert (or an empty cut) has no reference words
        out.append(escape(text[cursor : op.ref_start]))
        words = escape(text[op.ref_start : op.ref_end])
        if op.op == "keep":
            out.append(words)
        elif op.op == "substitute":
            out.append(f'<mark class="drift-sub-old">{words}</mark>')
        else:  # drop or ellipsis: words the version does not carry
            out.append(f'<del class="drift-del">{words}</del>')
        cursor = op.ref_end
    out.append(escape(text[cursor:]))
    return "".join(out)


def _meta_html(row: VersionRow) -> str:
    lines = [f'<span class="drift-speaker">{escape(row.speaker or "unknown speaker")}</span>']
    where = " · ".join(escape(part) for part in (row.outlet, row.published) if part)
    if where:
        lines.append(where)
    if row.article:
        lines.append(f"<i>{escape(row.article)}</i>")
    badge = "reference" if row.is_reference else f"drift {row.drift or 0.0:.2f}"
    kind = f"{escape(row.kind)} · " if row.kind else ""
    lines.append(f'<span class="drift-score">{kind}{badge}</span>')
    return "<br>".join(lines)


def drift_table_html(rows: Sequence[VersionRow]) -> str:
    """A table with, per version, who/where, the reference with its losses, and the version.

    Example:
        >>> from quotes.drift import align
        >>> "<table" in drift_table_html([VersionRow(alignment=align("a", "a b"))])
        True
    """
    body = []
    for row in rows:
        if row.is_reference:
            lost = '<span class="drift-note">the reference: the most complete version</span>'
        else:
            lost = reference_html(row.alignment)
        body.append(
            f'<tr class="{"drift-reference-row" if row.is_reference else "drift-version-row"}">'
            f'<td class="drift-meta">{_meta_html(row)}</td>'
            f'<td class="drift-ref">{lost}</td>'
            f'<td class="drift-version">{version_html(row.alignment)}</td>'
            "</tr>"
        )
    return (
        '<table class="drift-table"><thead><tr><th>Who, where</th>'
        "<th>Reference, with what this version lost</th><th>This version</th></tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _day(value: date | str | None) -> str | None:
    return value.isoformat() if isinstance(value, date) else value


def version_rows(
    drift: ClusterDrift, titles: Mapping[str, str | None] | None = None
) -> list[VersionRow]:
    """The drift table's rows for a cluster, reference first; ``titles`` maps version id to title.

    Example:
        >>> from quotes.drift import DriftVersion, cluster_drift
        >>> rows = version_rows(cluster_drift([DriftVersion("a", "x y", outlet="AP"),
        ...                                    DriftVersion("b", "x")]))
        >>> [(r.outlet, r.is_reference) for r in rows]
        [('AP', True), (None, False)]
    """
    titles = titles or {}
    return [
        VersionRow(
            alignment=item.alignment,
            speaker=item.version.speaker,
            outlet=item.version.outlet,
            article=titles.get(item.id) or item.version.doc,
            published=_day(item.version.published),
            kind=item.version.kind,
            drift=item.drift,
            is_reference=item.is_reference,
        )
        for item in drift.versions
    ]


def version_labels(drift: ClusterDrift) -> list[str]:
    """Short unique labels for the versions of a cluster ("1 KCNA", "2 AP"...), for charts.

    Example:
        >>> from quotes.drift import DriftVersion, cluster_drift
        >>> version_labels(cluster_drift([DriftVersion("a", "x y", outlet="AP"),
        ...                               DriftVersion("b", "x", speaker="Wang")]))
        ['1 AP (ref)', '2 Wang']
    """
    labels = []
    for number, item in enumerate(drift.versions, start=1):
        who = item.version.outlet or item.version.speaker or item.version.doc or "?"
        labels.append(f"{number} {who}{' (ref)' if item.is_reference else ''}")
    return labels


def reference_block_html(
    reference: str,
    speakers: Sequence[str],
    outlets: Sequence[str],
    n_versions: int,
    n_articles: int,
) -> str:
    """The reference wording of a statement, large, with who said it and how far it travelled.

    Example:
        >>> "&lt;x&gt;" in reference_block_html("<x>", ["Wang Yi"], ["Xinhua"], 3, 2)
        True
    """
    who = ", ".join(escape(name) for name in speakers if name) or "unknown speaker"
    via = ", ".join(escape(name) for name in outlets if name) or "no outlet credited"
    return (
        '<div class="drift-reference">'
        f'<div class="drift-reference-text">&ldquo;{escape(reference)}&rdquo;</div>'
        f'<div class="drift-reference-meta">{who} · {n_versions} versions in {n_articles} '
        f"articles · via {via}</div></div>"
    )


def outlet_chain_html(hops: Sequence[ChainHop], outlets: Sequence[str | None] = ()) -> str:
    """The outlet chain of a statement (:func:`quotes.drift.outlet_chain`): each arrow with its
    evidence in its tooltip and after it; with no evidence, the outlets listed, not chained.

    Example:
        >>> from quotes.drift import ChainHop
        >>> html = outlet_chain_html([ChainHop("KCNA", "AP", "citation", "AP credits KCNA", "q")])
        >>> html.count("drift-hop"), "AP credits KCNA" in html
        (2, True)
        >>> "listed, not chained" in outlet_chain_html([], ["AP", "Xinhua", None])
        True
    """
    if not hops:
        named = sorted({escape(outlet) for outlet in outlets if outlet})
        listed = ", ".join(named) or "no outlet named"
        return (
            '<div class="drift-chain"><span class="drift-note">No citation or dates show who '
            f"took it from whom; outlets listed, not chained: {listed}</span></div>"
        )
    parts = []
    for hop in hops:
        evidence = escape(hop.evidence)
        parts.append(
            f'<div><span class="drift-hop">{escape(hop.source)}</span>'
            f'<span class="drift-arrow" title="{evidence}">&rarr;</span>'
            f'<span class="drift-hop">{escape(hop.target)}</span> '
            f'<span class="drift-date">{evidence}</span></div>'
        )
    return '<div class="drift-chain">' + "".join(parts) + "</div>"


def quote_card_html(text: str, meta: Sequence[str | None]) -> str:
    """One quote as a small card: its words, then who/where/when on a second line.

    Example:
        >>> card = quote_card_html("<hi>", ["Choe Son Hui", None, "KCNA"])
        >>> "&ldquo;&lt;hi&gt;&rdquo;" in card, "Choe Son Hui · KCNA" in card
        (True, True)
    """
    meta_line = " · ".join(escape(part) for part in meta if part)
    return (
        '<div class="quote-card">'
        f'<div class="quote-text">&ldquo;{escape(text)}&rdquo;</div>'
        f'<div class="quote-meta">{meta_line}</div>'
        "</div>"
    )


def grouped_quotes_html(
    rows: Iterable[Mapping[str, Any]],
    references: Mapping[str, str | None],
    meta: Callable[[Mapping[str, Any]], Sequence[str | None]],
) -> str:
    """Quotes grouped by the statement (cluster) they report, each group under its reference.

    Groups keep the order in which their first quote appears in ``rows``.

    Example:
        >>> rows = [{"cluster_id": "c1", "text": "we agree", "speaker": "Wang"},
        ...         {"cluster_id": "c1", "text": "agree", "speaker": "Wang"}]
        >>> grouped_quotes_html(rows, {"c1": "we agree"}, lambda r: [r["speaker"]]).count(
        ...     "quote-card")
        2
    """
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for row in rows:
        groups.setdefault(str(row.get("cluster_id") or ""), []).append(row)
    parts = []
    for cluster, members in groups.items():
        reference = references.get(cluster) or ""
        cards = "".join(quote_card_html(str(m.get("text") or ""), meta(m)) for m in members)
        if len(members) == 1 and reference in ("", members[0].get("text")):
            # A statement seen once: its card says it all, a title would repeat it.
            parts.append(f'<div class="quote-group">{cards}</div>')
            continue
        count = f"{len(members)} version{'s' if len(members) != 1 else ''}"
        parts.append(
            '<div class="quote-group">'
            f'<div class="quote-group-title">{escape(reference or members[0].get("text"))}'
            f' <span class="quote-group-count">{count}</span></div>{cards}</div>'
        )
    return "".join(parts)
