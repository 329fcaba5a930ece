"""Reading articles from files: plain text, HTML pages, JSON Lines and CSV, directories and globs.

Every input becomes an :class:`Article` (its text exactly as decoded from the file, so quote
offsets point into it) or an :class:`~quotes.errors.InputError` naming the file (or line/row) and
the problem. A bad file never stops the good ones: the readers *yield* problems instead of raising
them, and the caller reports them and goes on.

Supported inputs:

- ``.txt``: one article per file; its id is the file name without extension.
- ``.html`` / ``.htm``: one article per page; the article text is extracted with trafilatura
  (menus, related links, footers dropped) and the page's title, date, URL and site name are kept.
- ``.jsonl``: one JSON object per line with ``text`` and optional ``id``, ``title``, ``url``,
  ``publisher``, ``published`` (``YYYY-MM-DD``, a full ISO timestamp is cut to its date).
- ``.csv``: a header row with a ``text`` column and the same optional columns.
- a directory (every supported file under it, recursively) or a glob pattern (``news/*.html``).

Limits (documented here, enforced everywhere input enters):

- :data:`MAX_FILE_BYTES`: a single-article file (``.txt``/``.html``) larger than this is refused;
- :data:`MAX_TABLE_FILE_BYTES`: the same for a ``.jsonl``/``.csv`` file holding many articles;
- :data:`MAX_ARTICLE_CHARS`: an article text longer than this is refused;
- :data:`MAX_FILES`: at most this many files are read from one set of paths.

Example:
    >>> a = article_from_text("Wang said: \\"We agree.\\"", name="note.txt", publisher="AP")
    >>> a.id, a.publisher, len(a.content_hash)
    ('note', 'AP', 64)
"""

from __future__ import annotations

import csv
import glob
import hashlib
import io
import json
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from quotes.errors import InputError

MAX_FILE_BYTES = 5_000_000
"""Largest ``.txt`` or ``.html`` file read (5 MB)."""
MAX_TABLE_FILE_BYTES = 200_000_000
"""Largest ``.jsonl`` or ``.csv`` file read (200 MB; it holds many articles)."""
MAX_ARTICLE_CHARS = 200_000
"""Longest article text accepted, in characters (a long news feature is about 30,000)."""
MAX_FILES = 10_000
"""Most files read from one set of paths; more are reported and left out."""

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
TABLE_SUFFIXES = (".jsonl", ".csv")
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + TABLE_SUFFIXES
METADATA_FIELDS = ("id", "title", "url", "publisher", "published", "text")


def content_hash(text: str) -> str:
    """The SHA-256 hex digest of an article's text, the key of the parse cache.

    Example:
        >>> content_hash("")[:12]
        'e3b0c44298fc'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Article:
    """One article ready to be parsed: its text, where it came from, and what is known about it.

    ``content_hash`` is computed from ``text``; ``source`` names the file (and line or row) it
    was read from, for messages.

    Example:
        >>> Article(id="a", text="Hi.").content_hash == content_hash("Hi.")
        True
    """

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    published: date | None = None
    source: str = ""
    content_hash: str = field(init=False, default="")

    def __post_init__(self) -> None:
        object.__setattr__(self, "content_hash", content_hash(self.text))


def parse_published(value: object) -> date | None:
    """Read a publication date: a ``date``, a ``datetime`` or an ISO string (``2025-09-30...``).

    Raises ``ValueError`` for a string that is not an ISO date.

    Example:
        >>> parse_published("2025-09-30T08:00:00Z")
        datetime.date(2025, 9, 30)
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise ValueError(f"cannot read the date {text[:40]!r} (use YYYY-MM-DD)") from None


def _clean_optional(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _check_text(text: str, source: str) -> None:
    if not text:
        raise InputError(source, "the article text is empty")
    if not text.strip():
        raise InputError(source, "the article text holds only whitespace")
    if len(text) > MAX_ARTICLE_CHARS:
        raise InputError(
            source,
            f"the article is {len(text):,} characters long, over the limit of "
            f"{MAX_ARTICLE_CHARS:,} (MAX_ARTICLE_CHARS)",
        )
    if "\x00" in text:
        raise InputError(source, "the article text contains NUL characters (binary data?)")


def _document_id(name: str) -> str:
    """A document id from a file name: the name without directory and known extension."""
    # Control characters (NUL, line breaks) would end up in tables, URLs and exports.
    visible = "".join(c for c in name if unicodedata.category(c) != "Cc")
    base = Path(visible.replace("\\", "/")).name.strip()
    path = Path(base)
    if path.suffix.lower() in SUPPORTED_SUFFIXES:
        base = path.stem
    return base if base.strip(".") else "pasted"  # "." and ".." name directories, not articles


def article_from_text(
    text: str,
    *,
    name: str,
    title: str | None = None,
    publisher: str | None = None,
    url: str | None = None,
    published: date | str | None = None,
) -> Article:
    """An article from pasted text or an upload; raises :class:`InputError` when unusable.

    ``name`` becomes the article id (directories and a known extension are dropped, so an
    upload's file name never becomes a path).

    Example:
        >>> article_from_text("Text.", name="../../etc/story.txt").id
        'story'
    """
    source = name or "pasted text"
    _check_text(text, source)
    try:
        when = parse_published(published)
    except ValueError as exc:
        raise InputError(source, str(exc)) from None
    return Article(
        id=_document_id(name),
        text=text,
        title=_clean_optional(title),
        url=_clean_optional(url),
        publisher=_clean_optional(publisher),
        published=when,
        source=source,
    )


def expand_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[InputError]]:
    """The supported files named by ``paths`` (files, directories, globs), and the problems.

    Directories are searched recursively for supported files; a glob that matches nothing, a
    missing path and an unsupported file type are problems. Files are returned once each, in the
    order given (sorted within a directory or glob), at most :data:`MAX_FILES` of them.

    Example:
        >>> files, problems = expand_paths(["no/such/file.txt"])
        >>> files, problems[0].problem
        ([], 'no such file or directory')
    """
    found: list[Path] = []
    problems: list[InputError] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            found.append(path)

    for raw in paths:
        name = str(raw)
        path = Path(name).expanduser()
        if path.is_dir():
            members = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
            )
            if not members:
                problems.append(
                    InputError(name, f"no supported files in this directory ({_suffix_list()})")
                )
            for member in members:
                add(member)
        elif path.is_file():
            if path.suffix.lower() in SUPPORTED_SUFFIXES:
                add(path)
            else:
                problems.append(
                    InputError(
                        name,
                        f"unsupported file type {path.suffix or '(none)'!r}; use {_suffix_list()}",
                    )
                )
        elif path.exists():
            problems.append(InputError(name, "not a regular file"))
        elif glob.has_magic(name):
            matches = sorted(Path(m) for m in glob.glob(str(path), recursive=True))
            members = [m for m in matches if m.is_file() and m.suffix.lower() in SUPPORTED_SUFFIXES]
            if not members:
                problems.append(InputError(name, "the pattern matches no supported file"))
            for member in members:
                add(member)
        else:
            problems.append(InputError(name, "no such file or directory"))
    if len(found) > MAX_FILES:
        problems.append(
            InputError(
                str(found[MAX_FILES]),
                f"{len(found) - MAX_FILES:,} files left out: at most {MAX_FILES:,} files are read "
                "at once (MAX_FILES); ingest the rest in another run",
            )
        )
        found = found[:MAX_FILES]
    return found, problems


def _suffix_list() -> str:
    return ", ".join(SUPPORTED_SUFFIXES)


def _read_text_file(path: Path, limit: int) -> str:
    """The file's text, decoded as UTF-8 (a byte-order mark is dropped), or an InputError."""
    source = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(source, f"cannot read the file ({exc.strerror or exc})") from None
    if size > limit:
        raise InputError(
            source,
            f"the file is {size / 1e6:.1f} MB, over the limit of {limit / 1e6:.0f} MB",
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(source, f"cannot read the file ({exc.strerror or exc})") from None
    if b"\x00" in data:
        raise InputError(source, "binary file (contains NUL bytes), not text")
    try:
        # utf-8-sig reads plain UTF-8 too and drops a byte-order mark that would shift offsets.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 1].hex()
        raise InputError(
            source,
            f"not UTF-8 text (byte 0x{bad} at offset {exc.start}); convert the file to UTF-8",
        ) from None


def _text_articles(path: Path) -> Iterator[Article | InputError]:
    try:
        text = _read_text_file(path, MAX_FILE_BYTES)
        _check_text(text, str(path))
    except InputError as problem:
        yield problem
        return
    yield Article(id=_document_id(path.name), text=text, source=str(path))


def html_article(html: str, *, name: str, source: str | None = None) -> Article:
    """The article in an HTML page, with its title, date, URL and site name when the page has them.

    Raises :class:`InputError` when no article text can be found in the page.

    Example:
        >>> page = "<html><body><article><p>" + "Choe said it was good. " * 8 + "</p></article>"
        >>> html_article(page + "</body></html>", name="page.html").text[:20]
        'Choe said it was goo'
    """
    import trafilatura

    where = source or name
    document = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
    )
    if document is None:
        raise InputError(where, "no article text found in this HTML page")
    fields: Mapping[str, object] = document if isinstance(document, Mapping) else document.as_dict()
    text = str(fields.get("text") or "")
    _check_text(text, where)
    try:
        published = parse_published(fields.get("date"))
    except ValueError:
        published = None  # page dates are often free-form; a missing date is not an error
    return _article(_document_id(name), text, fields, "sitename", published, where)


def _html_articles(path: Path) -> Iterator[Article | InputError]:
    try:
        html = _read_text_file(path, MAX_FILE_BYTES)
        if not html.strip():
            raise InputError(str(path), "the file is empty")
        yield html_article(html, name=path.name, source=str(path))
    except InputError as problem:
        yield problem


def _record_article(record: Mapping[str, object], default_id: str, source: str) -> Article:
    text = record.get("text")
    if text is None:
        raise InputError(source, "no 'text' field")
    if not isinstance(text, str):
        raise InputError(source, f"'text' must be a string, not {type(text).__name__}")
    _check_text(text, source)
    try:
        published = parse_published(record.get("published"))
    except ValueError as exc:
        raise InputError(source, f"published: {exc}") from None
    identifier = _clean_optional(record.get("id")) or default_id
    return _article(identifier, text, record, "publisher", published, source)


def _article(
    identifier: str,
    text: str,
    fields: Mapping[str, object],
    publisher_key: str,
    published: date | None,
    source: str,
) -> Article:
    """An Article from checked text and the optional fields of a page or a record."""
    return Article(
        id=identifier,
        text=text,
        title=_clean_optional(fields.get("title")),
        url=_clean_optional(fields.get("url")),
        publisher=_clean_optional(fields.get(publisher_key)),
        published=published,
        source=source,
    )


def _table_content(path: Path) -> str | InputError:
    """The text of a JSON Lines or CSV file, or why it cannot be read (too large, not UTF-8,
    empty)."""
    try:
        content = _read_text_file(path, MAX_TABLE_FILE_BYTES)
    except InputError as problem:
        return problem
    if not content.strip():
        return InputError(str(path), "the file is empty")
    return content


def _jsonl_articles(path: Path) -> Iterator[Article | InputError]:
    content = _table_content(path)
    if isinstance(content, InputError):
        yield content
        return
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(where, f"malformed JSON line ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(record, dict):
            yield InputError(where, f"expected a JSON object, got {type(record).__name__}")
            continue
        try:
            yield _record_article(record, f"{path.stem}-{number}", where)
        except InputError as problem:
            yield problem


def _csv_articles(path: Path) -> Iterator[Article | InputError]:
    content = _table_content(path)
    if isinstance(content, InputError):
        yield content
        return
    # Above MAX_ARTICLE_CHARS the row is refused by _check_text with a clear message, so let the
    # csv module read fields a little longer than that instead of failing with its own error.
    csv.field_size_limit(max(csv.field_size_limit(), MAX_ARTICLE_CHARS * 4 + 16))
    reader = csv.DictReader(io.StringIO(content, newline=""))
    columns = [c.strip() for c in (reader.fieldnames or [])]
    if "text" not in columns:
        yield InputError(
            str(path),
            f"no 'text' column (columns found: {', '.join(columns) or 'none'}); "
            f"expected {', '.join(METADATA_FIELDS)}",
        )
        return
    try:
        for number, row in enumerate(reader, start=2):
            where = f"{path}:row {number}"
            record = {(k or "").strip(): v for k, v in row.items()}
            try:
                yield _record_article(record, f"{path.stem}-{number}", where)
            except InputError as problem:
                yield problem
    except csv.Error as exc:
        yield InputError(f"{path}:row {reader.line_num}", f"malformed CSV ({exc})")


def read_file(path: str | Path) -> Iterator[Article | InputError]:
    """The articles of one file, or the problems found in it, by the file's extension.

    Example:
        >>> [type(x).__name__ for x in read_file("missing.txt")]
        ['InputError']
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        yield from _text_articles(path)
    elif suffix in HTML_SUFFIXES:
        yield from _html_articles(path)
    elif suffix == ".jsonl":
        yield from _jsonl_articles(path)
    elif suffix == ".csv":
        yield from _csv_articles(path)
    else:
        yield InputError(str(path), f"unsupported file type {suffix or '(none)'!r}")


def read_sources(paths: Iterable[str | Path]) -> Iterator[Article | InputError]:
    """Every article named by ``paths`` (files, directories, globs), problems in between.

    Example:
        >>> items = list(read_sources([seeds]))
        >>> sum(isinstance(i, Article) for i in items)
        5
    """
    files, problems = expand_paths(paths)
    yield from problems
    for path in files:
        yield from read_file(path)


def collect(paths: Iterable[str | Path]) -> tuple[list[Article], list[InputError]]:
    """All articles and all problems of ``paths``, as two lists.

    Example:
        >>> articles, problems = collect([])
        >>> articles, problems
        ([], [])
    """
    articles: list[Article] = []
    problems: list[InputError] = []
    for item in read_sources(paths):
        if isinstance(item, Article):
            articles.append(item)
        else:
            problems.append(item)
    return articles, problems
