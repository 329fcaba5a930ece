"""What the app's Add form accepts, and how it turns uploads and pasted text into articles.

The limits are the library's own (:mod:`quotes.sources`), stated once in :func:`limits_text`
and given to the upload widgets, so the form, its caption and ``quotes ingest`` all refuse the
same things. An upload's name only names the article: the bytes of a table are written to a
generated file name, never to a path taken from the upload. Pasted text is named by its content
(``pasted-<hash>``), and :func:`split_stored` sets aside every article whose text the store
already holds, under whatever id, so the same story pasted twice is reported, not added twice.

Example:
    >>> article = pasted_article("Wang said, \\"We agree.\\"", publisher="AP")
    >>> article.id.startswith("pasted-"), article.publisher
    (True, 'AP')
    >>> article.id == pasted_article("Wang said, \\"We agree.\\"").id
    True
"""

from __future__ import annotations

import math
import tempfile
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from quotes.errors import InputError
from quotes.sources import (
    HTML_SUFFIXES,
    MAX_ARTICLE_CHARS,
    MAX_FILE_BYTES,
    MAX_TABLE_FILE_BYTES,
    TABLE_SUFFIXES,
    TEXT_SUFFIXES,
    Article,
    article_from_text,
    html_article,
    read_file,
)

MAX_UPLOAD_FILES = 20
"""Most files taken in one submission of the form; more are refused with a message."""

ARTICLE_TYPES: tuple[str, ...] = tuple(s.lstrip(".") for s in TEXT_SUFFIXES + HTML_SUFFIXES)
"""File types holding one article each (at most :data:`quotes.sources.MAX_FILE_BYTES`)."""

TABLE_TYPES: tuple[str, ...] = tuple(s.lstrip(".") for s in TABLE_SUFFIXES)
"""File types holding many articles (at most :data:`quotes.sources.MAX_TABLE_FILE_BYTES`)."""


@dataclass(frozen=True, slots=True)
class Upload:
    """One file received by the form: the name the browser sent, and its bytes.

    Example:
        >>> Upload("note.txt", b"Hello.").size
        6
    """

    name: str
    data: bytes

    @property
    def size(self) -> int:
        """The file's size in bytes."""
        return len(self.data)


def megabytes(limit: int) -> int:
    """A byte limit in whole megabytes (10^6 bytes), as upload widgets take it.

    Example:
        >>> megabytes(5_000_000), megabytes(5_000_001)
        (5, 6)
    """
    return math.ceil(limit / 1_000_000)


def limits_text() -> str:
    """The form's limits in one sentence (the only place they are written for people).

    Example:
        >>> print(limits_text())
        Up to 20 files at a time: .txt and .html up to 5 MB each, .jsonl and .csv tables up to ...
    """
    return (
        f"Up to {MAX_UPLOAD_FILES} files at a time: "
        f"{' and '.join('.' + t for t in ARTICLE_TYPES if t != 'htm')} up to "
        f"{megabytes(MAX_FILE_BYTES)} MB each, "
        f"{' and '.join('.' + t for t in TABLE_TYPES)} tables up to "
        f"{megabytes(MAX_TABLE_FILE_BYTES)} MB each; an article may hold up to "
        f"{MAX_ARTICLE_CHARS:,} characters."
    )


def read_uploads(uploads: Sequence[Upload]) -> tuple[list[Article], list[str]]:
    """The articles in ``uploads``, and one message per file (or row) that cannot be used.

    Example:
        >>> articles, problems = read_uploads([Upload("a.txt", b"Wang said hi."),
        ...                                    Upload("b.txt", b"\\xff\\xfe")])
        >>> [a.id for a in articles], problems
        (['a'], ['b.txt: not UTF-8 text (byte at offset 0)'])
    """
    if len(uploads) > MAX_UPLOAD_FILES:
        return [], [f"{len(uploads)} files chosen; at most {MAX_UPLOAD_FILES} files at a time."]
    articles: list[Article] = []
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="quotes-upload-") as folder:
        for upload in uploads:
            try:
                articles.extend(_read_upload(upload, Path(folder), problems))
            except InputError as error:
                problems.append(str(error))
    return articles, problems


def _read_upload(upload: Upload, folder: Path, problems: list[str]) -> list[Article]:
    suffix = Path(upload.name).suffix.lower()
    kind = suffix.lstrip(".")
    limit = MAX_TABLE_FILE_BYTES if kind in TABLE_TYPES else MAX_FILE_BYTES
    if kind not in ARTICLE_TYPES + TABLE_TYPES:
        raise InputError(upload.name, f"unsupported file type {suffix or '(none)'}")
    if upload.size > limit:
        raise InputError(upload.name, f"{upload.size:,} bytes, over the limit of {limit:,}")
    if kind in TABLE_TYPES:
        # The upload's name never becomes a path: the bytes go to a generated name.
        path = folder / f"upload-{uuid.uuid4().hex[:12]}{suffix}"
        path.write_bytes(upload.data)
        found = []
        for item in read_file(path):
            if isinstance(item, InputError):
                problems.append(str(item).replace(str(path), upload.name))
            else:
                found.append(item)
        return found
    text = _decode(upload.data, upload.name)
    if kind in ("html", "htm"):
        return [html_article(text, name=upload.name)]
    return [article_from_text(text, name=upload.name)]


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(name, f"not UTF-8 text (byte at offset {error.start})") from None


def pasted_article(
    text: str,
    *,
    title: str | None = None,
    publisher: str | None = None,
    published: str | None = None,
) -> Article:
    """An article from pasted text, its id taken from its content (the same text, the same id).

    Raises :class:`InputError` for empty or oversized text and for a bad date.

    Example:
        >>> pasted_article("  ")
        Traceback (most recent call last):
        ...
        quotes.errors.InputError: pasted text: the article text holds only whitespace
    """
    probe = article_from_text(text, name="pasted text", published=published)
    return article_from_text(
        text,
        name=f"pasted-{probe.content_hash[:12]}",
        title=title or None,
        publisher=publisher or None,
        published=published or None,
    )


def split_stored(
    articles: Sequence[Article], stored: Mapping[str, str]
) -> tuple[list[Article], list[tuple[Article, str]]]:
    """``articles`` split into those to add and those already there (with the id they have).

    ``stored`` maps each stored article id to its content hash
    (:meth:`quotes.store.Store.stored_hashes`). An article is already there when the store
    holds its text under any id, or when an earlier article of the same submission has it.

    Example:
        >>> a = article_from_text("Same text.", name="a")
        >>> b = article_from_text("Same text.", name="b")
        >>> new, known = split_stored([a, b], {})
        >>> [x.id for x in new], [(x.id, where) for x, where in known]
        (['a'], [('b', 'a')])
    """
    holder = {content_hash: article for article, content_hash in stored.items()}
    fresh: list[Article] = []
    known: list[tuple[Article, str]] = []
    for article in articles:
        where = holder.get(article.content_hash)
        if where is not None:
            known.append((article, where))
            continue
        holder[article.content_hash] = article.id
        fresh.append(article)
    return fresh, known
