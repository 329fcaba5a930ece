"""A statement ready to cite: every version with its outlet, date, article, link and drift, as
Markdown (to paste into an article or a note) or CSV (for a spreadsheet).

Both come from the same table, :func:`citation_frame`, built from the statement's
:class:`quotes.views.StatementView` (itself built from the Tracker's tables). The Markdown
escapes every piece of article text, so a quote holding ``|``, ``*`` or ``<b>`` pastes as the
words it is, and links out only for ``http``/``https`` addresses. ``quotes cite ID`` prints
either one; the app offers both as downloads on each statement page.

Example:
    >>> frame = citation_frame(sample_statement())
    >>> frame.select("version", "outlet", "published", "drift").rows()
    [(1, 'Xinhua', '2025-09-28', 0.0), (2, 'KCNA', None, 0.5)]
    >>> print(citation_markdown(sample_statement()).splitlines()[0])
    **Statement:** Beijing opposes “all forms of hegemonism” and will work with partners (Wang Yi)
"""

from __future__ import annotations

import re
from typing import Any, Literal
from urllib.parse import quote, urlsplit

import polars as pl

from quotes.routes import Route, href
from quotes.views import DRIFT_MEANING, StatementView

CiteFormat = Literal["md", "csv"]
CITE_FORMATS: tuple[CiteFormat, ...] = ("md", "csv")

CITATION_SCHEMA = pl.Schema(
    {
        "version": pl.Int64(),
        "is_reference": pl.Boolean(),
        "outlet": pl.String(),
        "published": pl.String(),
        "article_title": pl.String(),
        "article_label": pl.String(),
        "url": pl.String(),
        "speaker": pl.String(),
        "speaker_as_written": pl.String(),
        "kind": pl.String(),
        "drift": pl.Float64(),
        "dropped": pl.Int64(),
        "added": pl.Int64(),
        "substituted": pl.Int64(),
        "quoted_words_changed": pl.Boolean(),
        "words_changed": pl.String(),
        "text": pl.String(),
        "sentence": pl.String(),
        "quote_id": pl.String(),
        "article": pl.String(),
        "statement_link": pl.String(),
    }
)
"""The columns of a citation: one row per version, the reference first. ``drift``,
``dropped``, ``added``, ``substituted`` and ``quoted_words_changed`` are the version's figures
(:class:`quotes.drift.VersionDrift`); ``words_changed`` lists the changes they count."""

# Characters that Markdown (CommonMark, GitHub tables) reads as syntax; each gets a backslash.
_MARKDOWN_SYNTAX = re.compile(r"([\\`*_\[\]<>|~&#])")


def statement_link(view: StatementView, base: str | None = None) -> str:
    """The statement's address: ``base`` (the app's address) followed by its query string.

    The query names a member quote (the reference at the time of citing), which stays valid
    when statements are regrouped later.

    Example:
        >>> statement_link(sample_statement(), "http://localhost:8501/")
        'http://localhost:8501/?view=statement&id=q-1'
    """
    query = href(Route("statement", view.link_id))
    return (base or "").rstrip("/") + ("/" if base else "") + query


def citation_frame(view: StatementView, *, base: str | None = None) -> pl.DataFrame:
    """One row per version (schema :data:`CITATION_SCHEMA`), the reference first.

    Example:
        >>> frame = citation_frame(sample_statement())
        >>> frame.select("drift", "dropped", "words_changed").rows()
        [(0.0, 0, ''), (0.5, 3, 'dropped “all forms of”')]
    """
    link = statement_link(view, base)
    rows = [
        {
            "version": version.number,
            "is_reference": version.is_reference,
            "outlet": version.carrier,
            "published": version.published.isoformat() if version.published else None,
            "article_title": None if version.article_label.derived else version.article_label.text,
            "article_label": version.article_label.text
            + (" (untitled: its first line)" if version.article_label.derived else ""),
            "url": version.url,
            "speaker": version.speaker,
            "speaker_as_written": version.speaker_mention,
            "kind": version.kind,
            "drift": version.drift,
            "dropped": version.dropped,
            "added": version.added,
            "substituted": version.substituted,
            "quoted_words_changed": version.quoted_words_changed,
            "words_changed": " · ".join(
                _change_text(c.op, c.before, c.after) for c in version.changes if c.counted
            ),
            "text": version.text,
            "sentence": _sentence(version.context),
            "quote_id": version.quote_id,
            "article": version.article,
            "statement_link": link,
        }
        for version in view.versions
    ]
    return pl.DataFrame(rows, schema=CITATION_SCHEMA)


def _change_text(op: str, before: str, after: str) -> str:
    if op == "substituted":
        return f"substituted “{after}” for “{before}”"
    if op == "added":
        return f"added “{after}”"
    return f"{op} “{before}”"


def _sentence(context: object) -> str | None:
    if context is None:
        return None
    before, quoted, after = context.before, context.quote, context.after  # type: ignore[attr-defined]
    return " ".join(f"{before}{quoted}{after}".split())


def citation_csv(view: StatementView, *, base: str | None = None) -> str:
    """The citation as CSV text (a header row, then one row per version).

    Example:
        >>> citation_csv(sample_statement()).splitlines()[0].split(",")[:4]
        ['version', 'is_reference', 'outlet', 'published']
    """
    return citation_frame(view, base=base).write_csv()


def md_text(value: object) -> str:
    """Article text made safe for Markdown: one line, syntax characters backslash-escaped.

    Example:
        >>> print(md_text("a | b *c* <b>x</b>\\nnext"))
        a \\| b \\*c\\* \\<b\\>x\\</b\\> next
    """
    if value is None:
        return ""
    return _MARKDOWN_SYNTAX.sub(r"\\\1", " ".join(str(value).split()))


def md_link(label: str, url: str | None) -> str:
    """``[label](url)`` for an ``http``/``https`` address, else the escaped label alone.

    Example:
        >>> md_link("Talks (day 1)", "https://ex.org/a b(1)")
        '[Talks (day 1)](https://ex.org/a%20b%281%29)'
        >>> md_link("Talks", "javascript:alert(1)")
        'Talks'
    """
    text = md_text(label)
    if not url or urlsplit(url.strip()).scheme.lower() not in ("http", "https"):
        return text
    return f"[{text}]({quote(url.strip(), safe=':/?#@!$&+,;=%~.-_*')})"


def citation_markdown(view: StatementView, *, base: str | None = None) -> str:
    """The citation as Markdown: the statement, who said it, a table of versions, the link.

    Example:
        >>> lines = citation_markdown(sample_statement(), base="http://localhost:8501").splitlines()
        >>> for cell in lines[6].split(" | ")[:6]:
        ...     print(cell)
        | 1
        Xinhua
        2025-09-28
        [Talks in Beijing (untitled: its first line)](https://example.org/a1)
        Wang Yi
        reference
        >>> lines[-1]
        'Link: <http://localhost:8501/?view=statement&id=q-1>'
    """
    frame = citation_frame(view, base=base)
    speakers = ", ".join(view.speakers) or "unknown speaker"
    outlets = ", ".join(view.outlets) or "no outlet credited"
    head = [
        f"**Statement:** {md_text(view.reference)} ({md_text(speakers)})",
        "",
        f"{view.n_versions} version{'s' if view.n_versions != 1 else ''} in {view.n_articles} "
        f"article{'s' if view.n_articles != 1 else ''}, carried by {md_text(outlets)}.",
        "",
        "| # | Outlet | Date | Article | Speaker | Drift | Wording |",
        "|---:|---|---|---|---|---|---|",
    ]
    rows = [_markdown_row(row) for row in frame.iter_rows(named=True)]
    if base:
        where = f"Link: <{statement_link(view, base)}>"
    else:
        where = f"Statement id: {md_text(view.link_id)} (`quotes variants {view.link_id}`)"
    return "\n".join([*head, *rows, "", *_notes(view), "", where])


def _notes(view: StatementView) -> list[str]:
    reference = view.versions[0]
    notes = []
    flagged = view.quoted_words_changed
    if flagged:
        numbers = ", ".join(f"#{v.number}" for v in flagged)
        notes += [
            f"**Quoted words changed** in {numbers}: the words inside quotation marks differ "
            "from the reference's.",
            "",
        ]
    notes += [
        f"Reference: #{reference.number}"
        + (f" ({md_text(reference.carrier)})" if reference.carrier else "")
        + f", {md_text(view.reference_reason)}. "
        f"{md_text(view.reference_rule)}",
        "",
        md_text(DRIFT_MEANING),
    ]
    return notes


def _drift_cell(row: dict[str, Any]) -> str:
    if row["is_reference"]:
        return "reference"
    counts = [f"{row[name]} {name}" for name in ("dropped", "added", "substituted") if row[name]]
    cell = f"{float(row['drift'] or 0.0):.2f}" + (f" ({', '.join(counts)})" if counts else "")
    if row["quoted_words_changed"]:
        cell += " **quoted words changed**"
    return cell


def _markdown_row(row: dict[str, Any]) -> str:
    drift = _drift_cell(row)
    cells = [
        str(row["version"]),
        md_text(row["outlet"] or "—"),
        str(row["published"] or "—"),
        md_link(str(row["article_label"]), row["url"]),
        md_text(row["speaker"] or "—"),
        drift,
        md_text(row["text"]),
    ]
    return "| " + " | ".join(cells) + " |"


def cite(view: StatementView, fmt: CiteFormat | str, *, base: str | None = None) -> str:
    """The citation of ``view`` in ``fmt`` ("md" or "csv").

    Example:
        >>> cite(sample_statement(), "csv").count("\\n")
        3
    """
    if fmt == "md":
        return citation_markdown(view, base=base) + "\n"
    if fmt == "csv":
        return citation_csv(view, base=base)
    raise ValueError(f"unknown citation format {fmt!r}; use one of {', '.join(CITE_FORMATS)}")
