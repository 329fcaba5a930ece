"""HTML for the app: wording drift highlighted inline, links between views, every piece of
article text escaped.

This is the one place in `quotes` that builds markup. Article text is untrusted (scraped pages,
uploads, feeds), so every string that comes from an article -- quote words and the characters
between them, speaker names, outlets, titles, dates, URLs -- goes through :func:`html.escape`
*before* any tag is put around it, and attribute values are escaped with ``quote=True``. Links
inside the app are built by :func:`quotes.routes.href` (a percent-encoded query string, never a
scheme); links out of it only for ``http``/``https`` addresses. The app passes the result to
``st.html`` (which also sanitises with DOMPurify), so a hostile article cannot inject script
even if one layer failed.

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
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

from quotes.correcting import CorrectionRow, Outcome
from quotes.drift import Alignment, ChainHop
from quotes.routes import Route, View, href
from quotes.views import (
    DRIFT_MEANING,
    ArticleLabel,
    Change,
    Context,
    QuoteGroup,
    StatementView,
    VersionView,
    shorten,
)

CSS = """
<style>
.drift-legend { font-size: 0.85rem; color: #555; margin: 0.2rem 0 0.6rem 0; }
.drift-table { width: 100%; border-collapse: collapse; font-size: 0.95rem; }
.drift-table th { text-align: left; font-weight: 600; color: #444; padding: 0.35rem 0.5rem;
  border-bottom: 2px solid #ddd; }
.drift-table td { vertical-align: top; padding: 0.5rem; border-bottom: 1px solid #eee;
  line-height: 1.55; }
.drift-table td.drift-meta { width: 24%; font-size: 0.85rem; color: #444; }
.drift-table td.drift-ref { width: 30%; }
.drift-meta .drift-speaker { font-weight: 600; color: #111; }
.badge { display: inline-block; margin: 0.15rem 0.2rem 0 0; padding: 0 0.35rem;
  border-radius: 0.3rem; background: #f0f2f6; font-size: 0.8rem;
  font-variant-numeric: tabular-nums; }
.badge.conf-low { background: #fde2e1; color: #8a1c13; }
.badge.conf-mid { background: #fff1b8; color: #5c4400; }
.badge.conf-high { background: #d9f5dd; color: #11602a; }
.drift-ref { color: #333; }
del.drift-del { background: #fde2e1; color: #8a1c13; text-decoration: line-through;
  margin: 0 0.25em; }
td.drift-ref del.drift-del { margin: 0; }
ins.drift-ins { background: #d9f5dd; color: #11602a; text-decoration: none;
  border-bottom: 1px solid #11602a; }
mark.drift-sub { background: #fff1b8; color: #5c4400; border-bottom: 1px dotted #5c4400; }
mark.drift-sub-old { background: #fff1b8; color: #5c4400; text-decoration: line-through; }
span.drift-ellipsis { color: #8a1c13; background: #fde2e1; font-style: italic; }
.changes { font-size: 0.85rem; color: #444; margin-top: 0.35rem; }
.changes .change-op { font-weight: 600; color: #666; }
.context { font-size: 0.85rem; color: #555; margin-top: 0.4rem; padding-left: 0.5rem;
  border-left: 2px solid #e3e8ef; }
.context mark { background: #eef3fb; color: #111; }
.drift-chain { font-size: 0.95rem; }
.drift-chain .drift-hop { display: inline-block; padding: 0.1rem 0.5rem; margin: 0.1rem;
  border-radius: 0.8rem; background: #f0f2f6; }
.drift-chain .drift-arrow { color: #888; margin: 0 0.15rem; }
.drift-chain .drift-date { color: #666; font-size: 0.8rem; }
.quote-card { border-left: 3px solid #c7d0dd; padding: 0.25rem 0.75rem; margin: 0.35rem 0; }
.quote-card .quote-text { font-size: 1rem; }
.quote-card .quote-meta { font-size: 0.82rem; color: #555; }
.quote-card.below-threshold { opacity: 0.55; }
.drift-reference { margin: 0.2rem 0 0.8rem 0; padding: 0.6rem 0.9rem; border-radius: 0.5rem;
  background: #f6f8fb; border: 1px solid #e3e8ef; }
.drift-reference-text { font-size: 1.15rem; line-height: 1.5; }
.drift-reference-meta { font-size: 0.85rem; color: #555; margin-top: 0.25rem; }
.drift-table tr.drift-reference-row td { background: #f6f8fb; }
.drift-note { color: #777; font-style: italic; font-size: 0.85rem; }
span.drift-around { color: #8a8f98; border-bottom: 1px dashed #c4c8cf; }
.drift-counts { font-size: 0.82rem; color: #444; margin-top: 0.2rem; }
.alarm { display: inline-block; margin: 0.15rem 0; padding: 0.05rem 0.45rem;
  border-radius: 0.3rem; background: #b42318; color: #fff; font-weight: 700; font-size: 0.8rem; }
.alarm-banner { margin: 0 0 0.8rem 0; padding: 0.55rem 0.9rem; border-radius: 0.5rem;
  background: #fde2e1; color: #7a1109; border: 2px solid #b42318; font-size: 0.95rem; }
.drift-table tr.alarm-row td:first-child { border-left: 4px solid #b42318; }
.reference-rule { font-size: 0.9rem; color: #333; margin: 0 0 0.6rem 0; }
.chain-row { margin: 0.15rem 0; }
.quote-group { margin: 0.4rem 0 0.9rem 0; }
.quote-group-title { font-weight: 600; font-size: 0.95rem; color: #222; }
.quote-group-count { font-weight: 400; color: #777; font-size: 0.8rem; margin-left: 0.3rem; }
.derived { font-style: italic; }
.list-table { width: 100%; border-collapse: collapse; font-size: 0.92rem; }
.list-table th { text-align: left; font-weight: 600; color: #444; padding: 0.3rem 0.5rem;
  border-bottom: 2px solid #ddd; }
.list-table td { vertical-align: top; padding: 0.35rem 0.5rem; border-bottom: 1px solid #eee; }
.list-table td.num { text-align: right; font-variant-numeric: tabular-nums; width: 6%; }
.list-table td.ids { font-size: 0.75rem; color: #888; white-space: nowrap; }
.article-meta { color: #555; font-size: 0.9rem; margin-bottom: 0.6rem; }
.article-text { white-space: pre-wrap; line-height: 1.6; font-size: 0.98rem; max-width: 52rem; }
.article-text mark.article-quote { background: #eef3fb; border-bottom: 2px solid #4c78a8; }
.article-text sup a { font-size: 0.7rem; text-decoration: none; }
.details { font-size: 0.75rem; color: #888; margin-top: 0.3rem; }
.page-title h2 { margin: 0 0 0.4rem 0; padding: 0; }
.page-kind { font-size: 0.8rem; color: #777; text-transform: uppercase; letter-spacing: 0.05em; }
.fact { margin-right: 0.2rem; }
.fact b { font-weight: 600; color: #666; }
a.more-link { font-size: 0.9rem; }
.article-list { margin: 0.2rem 0 0.6rem 0; }
.nav-links a { display: block; padding: 0.25rem 0.5rem; margin: 0.05rem 0; border-radius: 0.4rem;
  color: inherit; text-decoration: none; }
.nav-links a:hover { background: #eef1f6; }
.nav-links a.active { background: #e3e8ef; font-weight: 600; }
.correction { font-size: 0.92rem; line-height: 1.5; }
.correction.undone { opacity: 0.6; }
.correction .correction-what { font-weight: 600; }
.correction .correction-quote { color: #333; }
.correction-notice { font-size: 0.95rem; }
.correction-notice.refused { color: #8a1c13; }
.version-label { font-size: 0.88rem; color: #333; margin-top: 0.4rem; }
</style>
"""
"""The stylesheet the app adds once per page before any other HTML of this module."""

LEGEND_HTML = (
    '<div class="drift-legend">'
    '<del class="drift-del">dropped</del> &nbsp; '
    '<ins class="drift-ins">added</ins> &nbsp; '
    '<mark class="drift-sub">substituted</mark> (hover for the reference word) &nbsp; '
    '<span class="drift-ellipsis">[...]</span> words cut with an ellipsis &nbsp; '
    '<span class="drift-around">muted</span> around the shared words (not drift) &nbsp; '
    '<span class="alarm">⚠</span> words inside quotation marks changed'
    "</div>"
)

NAV_SCRIPT = """<script>
if (!window.__quotesLinks) {
  window.__quotesLinks = true;
  document.addEventListener("click", (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey
        || event.shiftKey || event.altKey) return;
    const link = event.target.closest && event.target.closest("a[data-nav]");
    if (!link) return;
    const target = new URL(link.href, window.location.href);
    if (target.origin !== window.location.origin) return;
    event.preventDefault();
    window.history.pushState({}, "", target.pathname + target.search);
    window.dispatchEvent(new PopStateEvent("popstate"));
    const main = document.querySelector('[data-testid="stMain"]');
    if (main) main.scrollTo(0, 0);
    window.scrollTo(0, 0);
  });
}
</script>"""
"""Makes in-app links (``a[data-nav]``) move like the sidebar does, without reloading the page.

A click pushes the link's address on the browser history and announces it as a history step,
which Streamlit answers by running the app on the new address (as it does for Back and
Forward). A modified click (new tab, new window) is left to the browser, and without this
script every link still works by loading its address. This is the app's only script; it holds
no article text.
"""

NAV_LABELS: dict[View, str] = {
    "overview": "Overview",
    "statement": "Statements",
    "speaker": "Speakers",
    "outlet": "Outlets",
    "article": "Articles",
    "search": "Who said it",
    "add": "Add articles",
    "corrections": "Corrections",
}
"""The sidebar's entries, in order."""

QUOTE_MARKS = "\"'“”„«»‘’\u201a\u2039\u203a「」『』"
"""Characters that open or close a quotation in the text of a quote."""

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$=\"'])")


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


# --------------------------------------------------------------------------- links


def link(route: Route, label: object, *, css: str | None = None, tip: str | None = None) -> str:
    """A link to another view of the app; ``label`` is plain text (escaped here).

    Example:
        >>> link(Route("speaker", "Wang Yi"), "Wang <Yi>")
        '<a href="?view=speaker&amp;name=Wang+Yi" data-nav="1">Wang &lt;Yi&gt;</a>'
    """
    return _anchor(route, escape(label), css=css, tip=tip)


def _anchor(
    route: Route, label_html: str, *, css: str | None = None, tip: str | None = None
) -> str:
    extra = (f' class="{escape(css)}"' if css else "") + (f' title="{escape(tip)}"' if tip else "")
    return f'<a href="{escape(href(route))}" data-nav="1"{extra}>{label_html}</a>'


def external_link(url: str | None, label: str = "original ↗") -> str:
    """A link out of the app, opened in a new tab, for ``http``/``https`` addresses only
    (anything else, ``javascript:`` included, gives "").

    Example:
        >>> print(external_link("https://ex.org/a?b=1&c=2", "src"))
        <a href="https://ex.org/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">src</a>
        >>> external_link("javascript:alert(1)")
        ''
    """
    if not url or urlsplit(url.strip()).scheme.lower() not in ("http", "https"):
        return ""
    return (
        f'<a href="{escape(url.strip())}" target="_blank" rel="noopener noreferrer">'
        f"{escape(label)}</a>"
    )


def nav_html(route: Route) -> str:
    """The sidebar's links to each view, the current one marked (settings are kept).

    Example:
        >>> nav_html(Route("speaker", "Wang Yi")).count('class="active"')
        1
    """
    items = [
        link(route.to(view), label, css="active" if view == route.view else None)
        for view, label in NAV_LABELS.items()
    ]
    return f'<nav class="nav-links">{"".join(items)}</nav>'


# --------------------------------------------------------------------------- pieces


def quoted(text: str, kind: str | None) -> str:
    """The words of a quote, escaped, with quotation marks only where they belong.

    A direct quote gets curly marks unless its text already holds them; a mixed quote carries
    its own marks; a reported (indirect) one gets none: it is not the speaker's wording.

    Example:
        >>> quoted("we agree", "direct"), quoted('"we agree"', "direct")
        ('&ldquo;we agree&rdquo;', '&quot;we agree&quot;')
        >>> quoted("that they agree", "indirect")
        'that they agree'
    """
    words = escape(text)
    stripped = text.strip()
    if (
        kind in ("direct", "scare", None)
        and stripped
        and not (stripped[0] in QUOTE_MARKS and stripped[-1] in QUOTE_MARKS)
    ):
        return f"&ldquo;{words}&rdquo;"
    return words


def confidence_badge(value: float | None) -> str:
    """A coloured badge for the extraction's confidence ("" when unknown).

    Example:
        >>> print(confidence_badge(0.42))
        <span class="badge conf-low" title="how sure (0-1) the extraction is">confidence 0.42</span>
    """
    if value is None:
        return ""
    level = "conf-low" if value < 0.5 else "conf-mid" if value < 0.8 else "conf-high"
    return (
        f'<span class="badge {level}" title="how sure (0-1) the extraction is">'
        f"confidence {value:.2f}</span>"
    )


def day(value: date | str | None) -> str | None:
    """A date as YYYY-MM-DD (``None`` stays ``None``).

    Example:
        >>> day(date(2025, 9, 28))
        '2025-09-28'
    """
    return value.isoformat() if isinstance(value, date) else value


def article_link(route: Route, article: str, label: ArticleLabel) -> str:
    """A link to an article's page under its label (a label taken from the text is italic).

    Example:
        >>> markup = article_link(Route(), "a1", ArticleLabel("What's new", derived=True))
        >>> markup.startswith('<a href="?view=article&amp;id=a1" data-nav="1" class="derived"')
        True
    """
    if label.derived:
        return link(
            route.to("article", article),
            label.text,
            css="derived",
            tip="no title stored: its first line",
        )
    return link(route.to("article", article), label.text)


def speaker_link(route: Route, speaker: str | None) -> str:
    """A link to a speaker's page, or "unknown speaker".

    Example:
        >>> speaker_link(Route(), None)
        '<span class="drift-note">unknown speaker</span>'
    """
    if not speaker:
        return '<span class="drift-note">unknown speaker</span>'
    return link(route.to("speaker", speaker), speaker)


def outlet_link(route: Route, outlet: str | None) -> str:
    """A link to an outlet's page, or "no outlet credited".

    Example:
        >>> outlet_link(Route(), "KCNA")
        '<a href="?view=outlet&amp;name=KCNA" data-nav="1">KCNA</a>'
    """
    if not outlet:
        return '<span class="drift-note">no outlet credited</span>'
    return link(route.to("outlet", outlet), outlet)


def context_html(context: Context | None) -> str:
    """The sentence around a quote, the quote's own words marked.

    Example:
        >>> from quotes.views import quote_context
        >>> context_html(quote_context("Wang said <we agree>. Later.", 10, 20))
        '<div class="context">Wang said <mark>&lt;we agree&gt;</mark>.</div>'
    """
    if context is None:
        return ""
    before = ("… " if context.cut_before else "") + context.before
    after = context.after + (" …" if context.cut_after else "")
    return (
        f'<div class="context">{escape(before)}<mark>{escape(context.quote)}</mark>'
        f"{escape(after)}</div>"
    )


def changes_html(changes: Sequence[Change]) -> str:
    """The words changed against the reference, as a short list ("" when nothing changed);
    changes around the shared words (not counted as drift) follow on their own muted line.

    Example:
        >>> markup = changes_html([Change("substituted", "fair", "fair<er>"),
        ...                        Change("cut", "a", ""), Change("added", "", "he said", False)])
        >>> "&ldquo;fair&rdquo; &rarr; &ldquo;fair&lt;er&gt;&rdquo;" in markup
        True
        >>> markup.count("change-op"), "not drift" in markup
        (3, True)
    """
    counted = [_change_html(c) for c in changes if c.counted]
    around = [_change_html(c) for c in changes if not c.counted]
    lines = []
    if counted:
        lines.append("; ".join(counted))
    if around:
        lines.append(
            '<span class="drift-note">around the shared words, not drift:</span> '
            + "; ".join(around)
        )
    if not lines:
        return ""
    return f'<div class="changes">{"<br>".join(lines)}</div>'


def _change_html(change: Change) -> str:
    name = f'<span class="change-op">{escape(change.op)}</span>'
    if change.op == "substituted":
        return (
            f"{name} &ldquo;{escape(change.before)}&rdquo; "
            f"&rarr; &ldquo;{escape(change.after)}&rdquo;"
        )
    if change.op == "added":
        return f"{name} &ldquo;{escape(change.after)}&rdquo;"
    return f"{name} &ldquo;{escape(change.before)}&rdquo;"


# --------------------------------------------------------------------------- drift


def _with_gap(out: list[str], gap: str, removed: str) -> None:
    """Append escaped ``gap`` text, then a struck-out run of ``removed`` reference words.

    No space is added around the run (CSS gives it a margin), so the version's own text stays
    exactly as printed.
    """
    out.append(escape(gap))
    if removed:
        out.append(f'<del class="drift-del">{escape(removed)}</del>')


AROUND_TIP = "around the words both versions quote: the extent of the article's quote, not drift"


def version_html(alignment: Alignment, around: Collection[int] = ()) -> str:
    """The version's wording, exactly as printed, with its changes against the reference marked.

    Reference words the version left out without a mark stay visible, struck out, where they
    would have been. The operations at the indexes ``around``
    (:func:`quotes.views.span_extent`) are the extent of the article's quote, not drift: its own
    words there are drawn muted, reference words it does not reach are not drawn.

    Example:
        >>> from quotes.drift import align
        >>> version_html(align("resist all hegemonism", "resist hegemonism, and more"))
        'resist<del class="drift-del">all</del> hegemonism, <ins class="drift-ins">and more</ins>'
        >>> version_html(align("resist all hegemonism", "resist hegemonism, and more"), {3})
        'resist<del class="drift-del">all</del> hegemonism, <span class="drift-around"\
 title="around the words both versions quote: the extent of the article&#x27;s quote, not\
 drift">and more</span>'
    """
    text = alignment.variant
    out: list[str] = []
    cursor = 0
    for index, op in enumerate(alignment.ops):
        gap = text[cursor : op.var_start] if op.var_start >= cursor else ""
        if op.op == "drop":
            _with_gap(out, gap, "" if index in around else op.ref_text)
            cursor = max(cursor, op.var_end)
            continue
        out.append(escape(gap))
        words = escape(text[op.var_start : op.var_end])
        if index in around:
            out.append(_around(words))
        elif op.op == "keep":
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


def _around(words_html: str) -> str:
    if not words_html:
        return ""
    return f'<span class="drift-around" title="{escape(AROUND_TIP)}">{words_html}</span>'


def reference_html(alignment: Alignment, around: Collection[int] = ()) -> str:
    """The reference wording, marking the words this version dropped, cut or replaced; words
    of the operations at ``around`` (outside the stretch the version quotes, not drift) muted.

    Example:
        >>> from quotes.drift import align
        >>> reference_html(align("promote a fair order", "promote a new, fairer order"))
        'promote a <mark class="drift-sub-old">fair</mark> order'
        >>> markup = reference_html(align("promote a fair order", "a fair order"), {0})
        >>> markup.startswith('<span class="drift-around"'), markup.count("<span")
        (True, 1)
    """
    text = alignment.reference
    out: list[str] = []
    cursor = 0
    for index, op in enumerate(alignment.ops):
        if op.ref_start < cursor or op.ref_start == op.ref_end:
            continue  # an insert (or an empty cut) has no reference words
        out.append(escape(text[cursor : op.ref_start]))
        words = escape(text[op.ref_start : op.ref_end])
        if index in around:
            out.append(_around(words))
        elif op.op == "keep":
            out.append(words)
        elif op.op == "substitute":
            out.append(f'<mark class="drift-sub-old">{words}</mark>')
        else:  # drop or ellipsis: words the version does not carry
            out.append(f'<del class="drift-del">{words}</del>')
        cursor = op.ref_end
    out.append(escape(text[cursor:]))
    return "".join(out)


def version_meta_html(version: VersionView, route: Route) -> str:
    """Who said a version and where: outlet, date, article, link, speaker, confidence, ids.

    Example:
        >>> meta = version_meta_html(sample_version(), Route())
        >>> "as written: &ldquo;The minister&rdquo;" in meta, "?view=outlet&amp;name=KCNA" in meta
        (True, True)
    """
    when = escape(day(version.published)) or '<span class="drift-note">date unknown</span>'
    lines = [
        f"<b>#{version.number}</b> {outlet_link(route, version.carrier)} · {when}",
        article_link(route, version.article, version.article_label)
        + (f" · {external_link(version.url)}" if external_link(version.url) else ""),
        f'<span class="drift-speaker">{speaker_link(route, version.speaker)}</span>'
        + _as_written(version),
    ]
    lines.append(
        f'<span class="badge">{escape(version.kind)}</span>{drift_badge(version)}'
        + confidence_badge(version.confidence)
    )
    if not version.is_reference:
        lines.append(drift_counts_html(version))
    lines.append(
        f'<details class="details"><summary>ids</summary>quote {escape(version.quote_id)}<br>'
        f"article {escape(version.article)}<br>statement {escape(version.cluster_id)}</details>"
    )
    return "<br>".join(lines)


def drift_badge(version: VersionView) -> str:
    """The version's drift figure as a badge ("reference" for the reference).

    Example:
        >>> drift_badge(sample_version()).endswith(">drift 0.50</span>")
        True
    """
    if version.is_reference:
        return '<span class="badge">reference</span>'
    return f'<span class="badge" title="{escape(DRIFT_MEANING)}">drift {version.drift:.2f}</span>'


QUOTED_ALARM_TIP = (
    "Words this version puts inside quotation marks differ from the reference's quoted words: "
    "check the wording before quoting it."
)


def quoted_alarm_html(text: str = "quoted words changed") -> str:
    """The fact-checker's alarm: words inside quotation marks differ from the reference's.

    Example:
        >>> quoted_alarm_html().startswith('<span class="alarm"')
        True
    """
    return f'<span class="alarm" title="{escape(QUOTED_ALARM_TIP)}">⚠ {escape(text)}</span>'


def drift_counts_html(version: VersionView) -> str:
    """What the drift figure counts, in words: dropped, added and substituted against the
    reference, then what lies around the shared words (not drift), then the alarm if raised.

    Example:
        >>> print(drift_counts_html(sample_version()))
        <div class="drift-counts">3 dropped<br><span class="drift-note">not drift: 5 reference \
words outside its quote</span></div>
    """
    changed = [
        f"{count} {name}"
        for count, name in (
            (version.dropped, "dropped"),
            (version.added, "added"),
            (version.substituted, "substituted"),
        )
        if count
    ]
    parts = [" · ".join(changed) or "same words"]
    around = [
        text
        for count, text in (
            (version.trimmed, f"{version.trimmed} reference words outside its quote"),
            (version.extra, f"{version.extra} words of its own around them"),
        )
        if count
    ]
    if around:
        parts.append(f'<span class="drift-note">not drift: {", ".join(around)}</span>')
    if version.quoted_words_changed:
        parts.insert(0, quoted_alarm_html())
    return f'<div class="drift-counts">{"<br>".join(parts)}</div>'


def _as_written(version: VersionView) -> str:
    mention = version.speaker_mention
    note = ""
    if mention and mention != version.speaker:
        note = f' <span class="drift-note">as written: &ldquo;{escape(mention)}&rdquo;</span>'
    if version.speaker_resolved is False:
        note += ' <span class="badge conf-low" title="no name in the article">unresolved</span>'
    return note


def statement_table_html(view: StatementView, route: Route) -> str:
    """Every version of a statement: who/where, the reference with what this version lost,
    and the version as printed with its changes and the sentence around it.

    Example:
        >>> table = statement_table_html(sample_statement(), Route())
        >>> table.count("<tr class="), "drift-table" in table
        (2, True)
    """
    body = []
    for version in view.versions:
        if version.is_reference:
            lost = '<span class="drift-note">the reference version</span>'
            css = "drift-reference-row"
        else:
            lost = reference_html(version.alignment, version.around)
            css = "drift-version-row" + (" alarm-row" if version.quoted_words_changed else "")
        body.append(
            f'<tr class="{css}">'
            f'<td class="drift-meta">{version_meta_html(version, route)}</td>'
            f'<td class="drift-ref">{lost}</td>'
            f'<td class="drift-version">{version_html(version.alignment, version.around)}'
            f"{changes_html(version.changes)}{context_html(version.context)}</td>"
            "</tr>"
        )
    return (
        '<table class="drift-table"><thead><tr><th>Who, where</th>'
        "<th>Reference, with what this version lost</th><th>This version, in its sentence</th>"
        f"</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def statement_header_html(view: StatementView, route: Route) -> str:
    """The reference wording of a statement, large, with who said it and how far it travelled.

    Example:
        >>> "Wang Yi" in statement_header_html(sample_statement(), Route())
        True
    """
    who = ", ".join(speaker_link(route, name) for name in view.speakers) or speaker_link(
        route, None
    )
    via = ", ".join(outlet_link(route, name) for name in view.outlets) or outlet_link(route, None)
    count = f"{view.n_versions} version{'s' if view.n_versions != 1 else ''}"
    drift = f" · most drift {view.drift:.2f}" if view.n_versions > 1 else ""
    return (
        '<div class="drift-reference">'
        f'<div class="drift-reference-text">{quoted(view.reference, view.reference_kind)}</div>'
        f'<div class="drift-reference-meta">{who} · {count} in {view.n_articles} '
        f"article{'s' if view.n_articles != 1 else ''} · via {via}{drift}</div></div>"
        + quoted_alarm_banner_html(view)
    )


def quoted_alarm_banner_html(view: StatementView) -> str:
    """A banner naming the versions whose quoted words differ from the reference's ("" when
    none does): the first thing a fact-checker must see on a statement page.

    Example:
        >>> quoted_alarm_banner_html(sample_statement())
        ''
    """
    flagged = view.quoted_words_changed
    if not flagged:
        return ""
    names = ", ".join(
        f"#{v.number} ({escape(v.carrier)})" if v.carrier else f"#{v.number}" for v in flagged
    )
    return (
        f'<div class="alarm-banner" title="{escape(QUOTED_ALARM_TIP)}">⚠ <b>Quoted words '
        f"changed</b> in {len(flagged)} of {view.n_versions} versions: {names}. The words they "
        "put inside quotation marks differ from the reference's.</div>"
    )


def reference_rule_html(view: StatementView) -> str:
    """Which version is the reference and why (the rule's reason for this statement), then
    the rule itself and what the drift figure means.

    Example:
        >>> print(reference_rule_html(sample_statement()).split("<br>")[0])
        <div class="reference-rule"><b>Reference: #1</b> (Xinhua), the earliest published \
version (2025-09-28).
    """
    reference = view.versions[0]
    where = f" ({escape(reference.carrier)})" if reference.carrier else ""
    return (
        f'<div class="reference-rule"><b>Reference: #{reference.number}</b>{where}, '
        f"{escape(view.reference_reason)}.<br>"
        f'<span class="drift-note">{escape(view.reference_rule)} {escape(DRIFT_MEANING)}'
        "</span></div>"
    )


def single_version_html(view: StatementView, route: Route) -> str:
    """A statement seen in one article only: the version, where it was printed, its sentence.

    Example:
        >>> "one article only" in single_version_html(sample_statement(), Route())
        True
    """
    version = view.versions[0]
    return (
        '<div class="quote-card">'
        f'<div class="quote-text">{quoted(version.text, version.kind)}</div>'
        f"{context_html(version.context)}"
        f'<div class="quote-meta">{version_meta_html(version, route)}</div></div>'
        '<p class="drift-note">Seen in one article only: there is no other version to compare '
        "it with yet.</p>"
    )


def outlet_chain_html(
    hops: Sequence[ChainHop], outlets: Sequence[str | None] = (), route: Route | None = None
) -> str:
    """The outlet chain of a statement (:attr:`quotes.drift.ClusterDrift.chain`): an arrow only
    where there is evidence, the evidence after it (an explicit citation, or dates that order
    the versions, which is an order in time, not proof of copying); with no evidence, the
    ``outlets`` listed, not chained. With a ``route``, each of the ``outlets`` links to its page
    (a chain node that is no outlet, such as an article id, stays plain text).

    Example:
        >>> from quotes.drift import ChainHop
        >>> html = outlet_chain_html([ChainHop("KCNA", "AP", "citation", "AP credits KCNA", "q")])
        >>> html.count("drift-hop"), "AP credits KCNA" in html, "credits" in html
        (2, True, True)
        >>> "listed, not chained" in outlet_chain_html([], ["AP", "Xinhua", None])
        True
    """
    known = {outlet for outlet in outlets if outlet}

    def name(outlet: str) -> str:
        return outlet_link(route, outlet) if route and outlet in known else escape(outlet)

    if not hops:
        listed = ", ".join(name(outlet) for outlet in sorted(known)) or "no outlet named"
        return (
            '<div class="drift-chain"><span class="drift-note">No citation or dates show who '
            f"took it from whom; outlets listed, not chained:</span> {listed}</div>"
        )
    parts = []
    for hop in hops:
        evidence = escape(hop.evidence)
        badge, tip = _HOP_KINDS[hop.kind]
        parts.append(
            f'<div class="chain-row"><span class="drift-hop">{name(hop.source)}</span>'
            f'<span class="drift-arrow" title="{evidence}">&rarr;</span>'
            f'<span class="drift-hop">{name(hop.target)}</span> '
            f'<span class="badge" title="{tip}">{badge}</span> '
            f'<span class="drift-date">{evidence}</span></div>'
        )
    return '<div class="drift-chain">' + "".join(parts) + "</div>"


_HOP_KINDS = {
    "citation": ("credits", "the later version names the earlier outlet as its source"),
    "dates": ("earlier", "published earlier: an order in time, not proof that one copied it"),
}


# --------------------------------------------------------------------------- quote lists


def quote_card_html(
    row: Mapping[str, Any], route: Route, *, threshold: float = 0.0, statement: str | None = None
) -> str:
    """One quote as a small card: its words, then speaker, outlet, article, date as links.

    ``row`` is a row of the ``quotes`` or ``who_said`` table; a quote under the confidence
    ``threshold`` is drawn faded. With ``statement`` (a quote id), the card links to the page of
    its statement, which was seen once.

    Example:
        >>> card = quote_card_html({"quote_id": "q1", "text": "<hi>", "kind": "direct",
        ...     "speaker": "Choe Son Hui", "outlet": "KCNA", "article": "a1"}, Route())
        >>> "&ldquo;&lt;hi&gt;&rdquo;" in card, "?view=speaker&amp;name=Choe+Son+Hui" in card
        (True, True)
    """
    confidence = row.get("confidence")
    label = row_label(row)
    parts = [
        speaker_link(route, row.get("speaker")),
        outlet_link(route, row.get("outlet") or row.get("publisher")),
        article_link(route, str(row.get("article") or ""), label),
        escape(day(row.get("published"))) or None,
        f'<span class="badge">match {row["score"]:.0f}</span>' if row.get("score") else None,
        confidence_badge(confidence) or None,
        link(route.to("statement", statement), "seen once: its page") if statement else None,
    ]
    faded = confidence is not None and threshold > 0 and confidence < threshold
    return (
        f'<div class="quote-card{" below-threshold" if faded else ""}">'
        f'<div class="quote-text">{quoted(str(row.get("text") or ""), row.get("kind"))}</div>'
        f'<div class="quote-meta">{" · ".join(p for p in parts if p)}</div>'
        "</div>"
    )


def row_label(row: Mapping[str, Any]) -> ArticleLabel:
    """The label of a table row's article: its ``article_label`` (see
    :func:`quotes.views.with_article_labels`), else its title, else its id.

    Example:
        >>> row_label({"article": "a1", "title": None})
        ArticleLabel(text='a1', derived=True)
    """
    if row.get("article_label"):
        return ArticleLabel(str(row["article_label"]), bool(row.get("label_derived")))
    title = row.get("title")
    return ArticleLabel(str(title or row.get("article") or ""), derived=not title)


def quote_groups_html(groups: Iterable[QuoteGroup], route: Route, *, here: str = "here") -> str:
    """Quotes grouped by statement, each group under its reference wording, linked to the
    statement page and saying how many versions the statement has in all.

    Example:
        >>> from quotes.views import QuoteGroup
        >>> rows = ({"quote_id": "q1", "text": "we agree", "kind": "direct"},)
        >>> markup = quote_groups_html([QuoteGroup("u1", "q1", "we agree", 2, rows)], Route())
        >>> "2 versions, 1 here" in markup, "?view=statement&amp;id=q1" in markup
        (True, True)
    """
    parts = []
    for group in groups:
        if group.n_versions == 1 and len(group.rows) == 1:
            # A statement seen once: a title would repeat its only card.
            card = quote_card_html(group.rows[0], route, statement=group.link_id)
            parts.append(f'<div class="quote-group">{card}</div>')
            continue
        cards = "".join(quote_card_html(row, route) for row in group.rows)
        total = f"{group.n_versions} version{'s' if group.n_versions != 1 else ''}"
        count = (
            total if len(group.rows) == group.n_versions else f"{total}, {len(group.rows)} {here}"
        )
        if group.drift is not None:
            count += f" · most drift {group.drift:.2f}"
        title = link(route.to("statement", group.link_id), shorten(group.reference, 160))
        parts.append(
            '<div class="quote-group">'
            f'<div class="quote-group-title">{title}'
            f' <span class="quote-group-count">{escape(count)}</span>'
            f"{_alarm_count(group.quoted_words_changed)}</div>{cards}</div>"
        )
    return "".join(parts)


# --------------------------------------------------------------------------- list tables


def _table(
    headers: Sequence[str], rows: Iterable[Sequence[str]], *, css: str = "list-table"
) -> str:
    """A table from cells that are already HTML (built by the functions of this module)."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(cells) + "</tr>" for cells in rows)
    return f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _cell(content: str, css: str | None = None) -> str:
    return f'<td class="{css}">{content}</td>' if css else f"<td>{content}</td>"


def _names(route: Route, view: View, names: Iterable[str] | None) -> str:
    return ", ".join(link(route.to(view, n), n) for n in (names or []) if n)


def statements_table_html(statements: Iterable[Mapping[str, Any]], route: Route) -> str:
    """The statements list: wording (linked), versions, articles, drift, speakers, outlets.

    ``statements`` are rows of the ``clusters`` table (:func:`quotes.views.statement_list`).

    Example:
        >>> rows = [{"cluster_id": "u1", "reference_quote_id": "q1", "reference": "we agree",
        ...          "n_versions": 2, "n_articles": 2, "max_drift": 0.25,
        ...          "speakers": ["Wang Yi"], "outlets": ["Xinhua"]}]
        >>> table = statements_table_html(rows, Route())
        >>> "?view=statement&amp;id=q1" in table, "0.25" in table
        (True, True)
    """
    rows = []
    for row in statements:
        drift = row.get("drift", row.get("max_drift"))
        target = str(row.get("reference_quote_id") or row["cluster_id"])
        rows.append(
            (
                _cell(
                    link(route.to("statement", target), shorten(row.get("reference") or "", 220))
                    + _alarm_count(row.get("quoted_words_changed"))
                ),
                _cell(escape(row.get("n_versions")), "num"),
                _cell(escape(row.get("n_articles")), "num"),
                _cell("" if drift is None else f"{float(drift):.2f}", "num"),
                _cell(_names(route, "speaker", row.get("speakers"))),
                _cell(_names(route, "outlet", row.get("outlets"))),
                _cell(escape(row["cluster_id"]), "ids"),
            )
        )
    headers = ("Statement (reference wording)", "Versions", "Articles", "Most drift")
    return _table((*headers, "Said by", "Carried by", "Id"), rows)


def _alarm_count(flagged: int | None) -> str:
    count = int(flagged or 0)
    if count <= 0:
        return ""
    return " " + quoted_alarm_html(
        f"quoted words changed in {count} version{'s' if count != 1 else ''}"
    )


def speakers_table_html(speakers: Iterable[Mapping[str, Any]], route: Route) -> str:
    """The speakers list, each name linked to its page.

    Example:
        >>> table = speakers_table_html([{"speaker": "Wang Yi", "speaker_type": "person",
        ...     "n_quotes": 6, "n_articles": 3, "n_clusters": 4, "roles": [], "outlets": []}],
        ...     Route())
        >>> "?view=speaker&amp;name=Wang+Yi" in table
        True
    """
    rows = [
        (
            _cell(link(route.to("speaker", row["speaker"]), row["speaker"])),
            _cell(escape(row.get("speaker_type"))),
            _cell(escape(row.get("n_quotes")), "num"),
            _cell(escape(row.get("n_clusters")), "num"),
            _cell(escape(row.get("n_articles")), "num"),
            _cell(escape(", ".join(row.get("roles") or []))),
            _cell(_names(route, "outlet", row.get("outlets"))),
        )
        for row in speakers
    ]
    headers = ("Speaker", "Type", "Quotes", "Statements", "Articles", "Roles", "Outlets")
    return _table(headers, rows)


def outlets_table_html(outlets: Iterable[Mapping[str, Any]], route: Route) -> str:
    """The outlets list, each name linked to its page.

    Example:
        >>> "?view=outlet&amp;name=AP" in outlets_table_html([{"outlet": "AP", "n_quotes": 1,
        ...     "n_articles": 1, "n_published": 0, "speakers": ["North Korea"]}], Route())
        True
    """
    rows = [
        (
            _cell(link(route.to("outlet", row["outlet"]), row["outlet"])),
            _cell(escape(row.get("n_quotes")), "num"),
            _cell(escape(row.get("n_articles")), "num"),
            _cell(escape(row.get("n_published")), "num"),
            _cell(_names(route, "speaker", row.get("speakers"))),
        )
        for row in outlets
    ]
    return _table(("Outlet", "Quotes", "Articles", "Published", "Speakers quoted"), rows)


def articles_table_html(articles: Iterable[Mapping[str, Any]], route: Route) -> str:
    """The articles list: label (linked), publisher, date, quotes, link out, id last.

    ``articles`` are rows of the ``articles`` table, labelled by
    :func:`quotes.views.with_article_labels`.

    Example:
        >>> row = {"article": "a1", "article_label": "Talks", "label_derived": False,
        ...        "publisher": "AP", "published": None, "n_quotes": 3, "url": None}
        >>> "?view=article&amp;id=a1" in articles_table_html([row], Route())
        True
    """
    rows = [
        (
            _cell(article_link(route, row["article"], row_label(row))),
            _cell(outlet_link(route, row.get("publisher")) if row.get("publisher") else ""),
            _cell(escape(day(row.get("published"))) or '<span class="drift-note">unknown</span>'),
            _cell(escape(row.get("n_quotes")), "num"),
            _cell(external_link(row.get("url"))),
            _cell(escape(row["article"]), "ids"),
        )
        for row in articles
    ]
    return _table(("Article", "Publisher", "Date", "Quotes", "Link", "Id"), rows)


# --------------------------------------------------------------------------- article text


def article_text_html(text: str, quotes: Sequence[Mapping[str, Any]], route: Route) -> str:
    """An article's text as printed, each quote marked and numbered with a link to its
    statement (a quote inside another one is listed but not marked twice).

    ``quotes`` are rows of the ``quotes`` table of that article (``start``, ``end``,
    ``quote_id``, ``speaker``, ``kind``).

    Example:
        >>> text = 'Wang said "we <agree>". Later.'
        >>> rows = [{"quote_id": "q1", "start": 11, "end": 21, "speaker": "Wang", "kind": "direct"}]
        >>> markup = article_text_html(text, rows, Route())
        >>> markup.split("<mark")[0]
        '<div class="article-text">Wang said &quot;'
        >>> markup.split("</mark>")[1]
        '<sup><a href="?view=statement&amp;id=q1" data-nav="1">1</a></sup>&quot;. Later.</div>'
    """
    out: list[str] = []
    cursor = 0
    for number, row in enumerate(sorted(quotes, key=lambda r: (r["start"], -r["end"])), start=1):
        start, end = int(row["start"]), int(row["end"])
        if start < cursor or end > len(text) or end <= start:
            continue
        tip = " · ".join(
            str(p) for p in (row.get("speaker") or "unknown speaker", row.get("kind")) if p
        )
        marker = _anchor(route.to("statement", str(row["quote_id"])), str(number))
        out.append(escape(text[cursor:start]))
        out.append(
            f'<mark class="article-quote" title="{escape(tip)}">{escape(text[start:end])}</mark>'
            f"<sup>{marker}</sup>"
        )
        cursor = end
    out.append(escape(text[cursor:]))
    return f'<div class="article-text">{"".join(out)}</div>'


# --------------------------------------------------------------------------- page parts


def page_title_html(
    view: View, title: str, *, key: str | None = None, kind: str | None = None
) -> str:
    """A page's title (escaped: a speaker's or an article's name is article text), marked with
    the view it belongs to so the page can be told apart from the one before.

    Example:
        >>> title = page_title_html("speaker", "Wang <Yi>", key="Wang <Yi>", kind="Speaker")
        >>> title.split(">")[0]
        '<div class="page-title" data-view="speaker" data-key="Wang &lt;Yi&gt;"'
        >>> title.endswith("<h2>Wang &lt;Yi&gt;</h2></div>")
        True
    """
    marker = f' data-key="{escape(key)}"' if key else ""
    kind_html = f'<div class="page-kind">{escape(kind)}</div>' if kind else ""
    return (
        f'<div class="page-title" data-view="{escape(view)}"{marker}>{kind_html}'
        f"<h2>{escape(title)}</h2></div>"
    )


def _facts(parts: Iterable[tuple[str, str]]) -> str:
    shown = [
        f'<span class="fact"><b>{escape(name)}</b> {value}</span>' for name, value in parts if value
    ]
    return f'<div class="article-meta">{" · ".join(shown)}</div>'


def speaker_summary_html(row: Mapping[str, Any], route: Route) -> str:
    """What the store knows of a speaker: type, roles, names seen, counts, outlets.

    Example:
        >>> row = {"speaker": "Wang Yi", "speaker_type": "person", "roles": ["Minister"],
        ...        "variants": ["Wang", "Wang Yi"], "n_quotes": 6, "n_articles": 3,
        ...        "n_clusters": 4, "outlets": ["Xinhua"]}
        >>> "?view=outlet&amp;name=Xinhua" in speaker_summary_html(row, Route())
        True
    """
    return _facts(
        [
            ("type", escape(row.get("speaker_type"))),
            ("roles", escape(", ".join(row.get("roles") or []))),
            ("named as", escape(", ".join(row.get("variants") or []))),
            ("quotes", escape(row.get("n_quotes"))),
            ("statements", escape(row.get("n_clusters"))),
            ("articles", escape(row.get("n_articles"))),
            ("carried by", _names(route, "outlet", row.get("outlets"))),
        ]
    )


def outlet_summary_html(row: Mapping[str, Any], route: Route) -> str:
    """What the store knows of an outlet: counts and the speakers it quoted.

    Example:
        >>> row = {"outlet": "AP", "n_quotes": 1, "n_articles": 1, "n_published": 0,
        ...        "speakers": ["North Korea"]}
        >>> "?view=speaker&amp;name=North+Korea" in outlet_summary_html(row, Route())
        True
    """
    return _facts(
        [
            ("quotes carried", escape(row.get("n_quotes"))),
            ("articles", escape(row.get("n_articles"))),
            ("articles published", escape(row.get("n_published"))),
            ("speakers quoted", _names(route, "speaker", row.get("speakers"))),
        ]
    )


def article_meta_html(row: Mapping[str, Any], route: Route) -> str:
    """An article's publisher, date, link and ids.

    Example:
        >>> row = {"article": "a1", "publisher": "AP", "published": date(2025, 9, 28),
        ...        "url": "https://ex.org/a1", "n_quotes": 2, "source": "a1.txt"}
        >>> meta = article_meta_html(row, Route())
        >>> "2025-09-28" in meta, 'href="https://ex.org/a1"' in meta
        (True, True)
    """
    return _facts(
        [
            (
                "published by",
                outlet_link(route, row.get("publisher")) if row.get("publisher") else "",
            ),
            ("on", escape(day(row.get("published"))) or "date unknown"),
            ("link", external_link(row.get("url"))),
            ("quotes", escape(row.get("n_quotes"))),
            ("id", escape(row.get("article"))),
            ("read from", escape(row.get("source"))),
        ]
    )


def articles_list_html(
    items: Iterable[tuple[str, str | None]], labels: Mapping[str, ArticleLabel], route: Route
) -> str:
    """A list of articles, each linked under its label; an item's second part, when given, is
    the stored article it duplicates ("already stored as ...").

    Example:
        >>> markup = articles_list_html([("new", None), ("copy", "a1")], {}, Route())
        >>> markup.count("<li>"), "already stored as" in markup
        (2, True)
    """
    entries = []
    for article, stored_as in items:
        if stored_as is None:
            label = labels.get(article) or ArticleLabel(article, derived=True)
            entries.append(f"<li>{article_link(route, article, label)}</li>")
        else:
            label = labels.get(stored_as) or ArticleLabel(stored_as, derived=True)
            entries.append(
                f"<li>{escape(article)}: already stored as "
                f"{article_link(route, stored_as, label)}</li>"
            )
    return f'<ul class="article-list">{"".join(entries)}</ul>'


# --------------------------------------------------------------------------- corrections


def _moment(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if value else ""


def correction_html(row: CorrectionRow, route: Route) -> str:
    """One correction on the Corrections page: number, what it did, who and when, the quote it
    concerns, and links to its statement(s), article and speakers; an undone one says when.

    Example:
        >>> from datetime import datetime
        >>> row = CorrectionRow(4, datetime(2026, 1, 2, 9, 30, tzinfo=UTC), "<desk>", "speaker",
        ...     "speaker reassigned", 'speaker set to "Wang <Yi>"', "we agree", "a1", "q-1",
        ...     None, ("Wang <Yi>",), None)
        >>> markup = correction_html(row, Route())
        >>> "by &lt;desk&gt; · 2026-01-02 09:30 UTC" in markup
        True
        >>> "?view=statement&amp;id=q-1" in markup, "name=Wang+%3CYi%3E" in markup
        (True, True)
    """
    who = f"by {escape(row.author)}" if row.author else '<span class="drift-note">no author</span>'
    links = []
    if row.statement:
        links.append(link(route.to("statement", row.statement), "its statement"))
    if row.other:
        links.append(link(route.to("statement", row.other), "the other statement"))
    if row.article:
        links.append(link(route.to("article", row.article), "its article"))
    links += [link(route.to("speaker", name), name) for name in row.speakers]
    status = (
        f' <span class="badge">undone {escape(_moment(row.undone_at))}</span>'
        if row.undone_at
        else ""
    )
    quote = (
        f'<div class="correction-quote">{quoted(row.quote_text, None)}</div>'
        if row.quote_text
        else ""
    )
    css = "correction" + ("" if row.active else " undone")
    return (
        f'<div class="{css}" data-correction="{row.correction_id}">'
        f"<b>#{row.correction_id}</b> "
        f'<span class="badge">{escape(row.label)}</span>{status} '
        f'<span class="correction-what">{escape(row.what)}</span><br>'
        f'<span class="drift-note">{who} · {escape(_moment(row.created_at))}</span>'
        f"{quote}<div>{' · '.join(links)}</div></div>"
    )


def notice_html(outcome: Outcome) -> str:
    """The message shown after a correction or an undo (the refusal's reason when refused).

    Example:
        >>> notice_html(Outcome(False, "q-9: no quote with this id in the store"))
        '<div class="correction-notice refused">⚠ q-9: no quote with this id in the store</div>'
    """
    if not outcome.ok:
        return f'<div class="correction-notice refused">⚠ {escape(outcome.message)}</div>'
    return f'<div class="correction-notice">✓ {escape(outcome.message)}</div>'


def version_label_html(version: VersionView) -> str:
    """The line that names a version above its correction controls: number, carrier, words.

    Example:
        >>> version_label_html(sample_version())
        '<div class="version-label"><b>#2</b> KCNA · Beijing opposes hegemonism</div>'
    """
    carrier = f" {escape(version.carrier)}" if version.carrier else ""
    reference = ' <span class="badge">reference</span>' if version.is_reference else ""
    return (
        f'<div class="version-label"><b>#{version.number}</b>{carrier}{reference} · '
        f"{escape(shorten(version.text, 160))}</div>"
    )
