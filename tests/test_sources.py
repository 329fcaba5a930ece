"""Reading inputs: every supported format, and every kind of bad input reported per file."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quotes.errors import InputError
from quotes.sources import (
    MAX_ARTICLE_CHARS,
    MAX_FILE_BYTES,
    Article,
    article_from_text,
    collect,
    content_hash,
    expand_paths,
    html_article,
    parse_published,
    read_file,
)

STORY = 'The harbour master, Ines Varga, said on Monday that "the quay will reopen by May."\n'

PAGE = """<html><head><title>Quay to reopen | Harbour Times</title>
<meta property="og:site_name" content="Harbour Times">
<meta property="article:published_time" content="2024-03-05T09:00:00Z">
<link rel="canonical" href="https://harbour.example/quay"></head>
<body><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World news</a></li></ul></nav>
<article><h1>Quay to reopen</h1>
<p>The harbour master, Ines Varga, said on Monday that "the quay will reopen by May," adding
that repairs to the north wall were ahead of schedule.</p>
<p>Her deputy told reporters the works had been "slow but thorough" and praised the divers.</p>
<p>Fishing crews have waited since the winter storms for the berths to come back into use.</p>
</article>
<aside><h3>Related</h3><ul><li><a href="/x">Storm closes harbour for third day</a></li></ul>
</aside><footer>Copyright Harbour Times 2024. Subscribe to our newsletter.</footer></body></html>
"""


def problems_of(path: Path) -> list[str]:
    return [item.problem for item in read_file(path) if isinstance(item, InputError)]


def articles_of(path: Path) -> list[Article]:
    return [item for item in read_file(path) if isinstance(item, Article)]


def test_txt_article_keeps_text_exactly(tmp_path: Path) -> None:
    path = tmp_path / "quay-story.txt"
    path.write_text(STORY + "\r\nSecond line.\r\n", encoding="utf-8")
    [article] = articles_of(path)
    assert article.id == "quay-story"
    assert article.text == STORY + "\r\nSecond line.\r\n"  # no newline translation: offsets hold
    assert article.content_hash == content_hash(article.text)
    assert article.source == str(path)


def test_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + STORY.encode("utf-8"))
    [article] = articles_of(path)
    assert article.text == STORY


def test_html_page_keeps_article_and_metadata_drops_furniture(tmp_path: Path) -> None:
    path = tmp_path / "quay.html"
    path.write_text(PAGE, encoding="utf-8")
    [article] = articles_of(path)
    assert '"the quay will reopen by May,"' in article.text
    assert "Related" not in article.text and "Storm closes" not in article.text
    assert "Subscribe" not in article.text and "World news" not in article.text
    assert article.title == "Quay to reopen"
    assert article.publisher == "Harbour Times"
    assert article.url == "https://harbour.example/quay"
    assert article.published == date(2024, 3, 5)


def test_html_without_article_text_is_a_problem() -> None:
    with pytest.raises(InputError) as error:
        html_article("<html><body><script>let a = 1;</script></body></html>", name="x.html")
    assert "x.html" in str(error.value)


def test_jsonl_metadata_and_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps(
            {
                "id": "n1",
                "title": "Quay",
                "publisher": "Harbour Times",
                "published": "2024-03-05T10:00:00Z",
                "url": "https://h.example/1",
                "text": STORY,
            }
        ),
        "",
        '{"id": "n2", "text": "unterminated',
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "n3", "title": "no text here"}),
        json.dumps({"id": "n4", "text": "Fine.", "published": "next Tuesday"}),
        json.dumps({"text": "A line without an id said nothing much."}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_file(path))
    articles = [i for i in items if isinstance(i, Article)]
    problems = {i.source: i.problem for i in items if isinstance(i, InputError)}
    assert [a.id for a in articles] == ["n1", "feed-7"]
    first = articles[0]
    assert (first.title, first.publisher, first.published, first.url) == (
        "Quay",
        "Harbour Times",
        date(2024, 3, 5),
        "https://h.example/1",
    )
    assert problems[f"{path}:3"].startswith("malformed JSON line")
    assert problems[f"{path}:4"] == "expected a JSON object, got list"
    assert problems[f"{path}:5"] == "no 'text' field"
    assert "next Tuesday" in problems[f"{path}:6"]


def test_csv_with_metadata(tmp_path: Path) -> None:
    path = tmp_path / "feed.csv"
    path.write_text(
        "id,title,publisher,published,text\n"
        'c1,Quay,Harbour Times,2024-03-05,"She said, ""it will reopen."""\n'
        'c2,Empty,,,"   "\n',
        encoding="utf-8",
    )
    items = list(read_file(path))
    [article] = [i for i in items if isinstance(i, Article)]
    assert article.id == "c1" and article.text == 'She said, "it will reopen."'
    assert article.publisher == "Harbour Times" and article.published == date(2024, 3, 5)
    [problem] = [i for i in items if isinstance(i, InputError)]
    assert problem.source == f"{path}:row 3"
    assert "whitespace" in problem.problem


def test_csv_without_text_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("id,body\n1,hello\n", encoding="utf-8")
    [problem] = problems_of(path)
    assert problem.startswith("no 'text' column (columns found: id, body)")


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("latin1.txt", "Caf\xe9 owners said so.".encode("latin-1"), "not UTF-8 text (byte 0xe9"),
        ("blob.txt", b"GIF89a\x00\x01\x02", "binary file (contains NUL bytes)"),
        ("empty.txt", b"", "the article text is empty"),
        ("blank.txt", b" \n\t\n", "the article text holds only whitespace"),
        ("empty.jsonl", b"", "the file is empty"),
        ("empty.html", b"   ", "the file is empty"),
        ("latin1.csv", "text\nna\xefve\n".encode("latin-1"), "not UTF-8 text"),
    ],
)
def test_bad_files_are_reported_with_their_problem(
    tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    items = list(read_file(path))
    assert len(items) == 1 and isinstance(items[0], InputError)
    assert items[0].source == str(path)
    assert items[0].problem.startswith(expected)


def test_size_limits(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (MAX_FILE_BYTES + 1))
    [problem] = problems_of(big)
    assert "over the limit of 5 MB" in problem
    long_line = tmp_path / "long.jsonl"
    long_line.write_text(json.dumps({"text": "w " * MAX_ARTICLE_CHARS}) + "\n", encoding="utf-8")
    [problem] = problems_of(long_line)
    assert "over the limit of 200,000 (MAX_ARTICLE_CHARS)" in problem


def test_unreadable_path_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    [problem] = problems_of(folder)
    assert problem.startswith("cannot read the file")


def test_directories_globs_and_missing_paths(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "a" / "two.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "a" / "notes.md").write_text("ignored", encoding="utf-8")
    (tmp_path / "b.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "c.pdf").write_bytes(b"%PDF")
    files, problems = expand_paths(
        [
            tmp_path / "a",
            str(tmp_path / "*.txt"),
            tmp_path / "b.txt",
            tmp_path / "nope.txt",
            str(tmp_path / "zz*.csv"),
            tmp_path / "c.pdf",
        ]
    )
    assert [f.name for f in files] == ["one.txt", "two.html", "b.txt"]  # b.txt once
    assert [p.problem for p in problems] == [
        "no such file or directory",
        "the pattern matches no supported file",
        "unsupported file type '.pdf'; use .txt, .html, .htm, .jsonl, .csv",
    ]


def test_bad_files_do_not_stop_good_ones(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\x00\x00")
    (tmp_path / "also-good.jsonl").write_text(json.dumps({"text": STORY}) + "\n{oops\n")
    articles, problems = collect([tmp_path])
    assert sorted(a.id for a in articles) == ["also-good-1", "good"]
    assert sorted(p.source for p in problems) == [
        f"{tmp_path / 'also-good.jsonl'}:2",
        str(tmp_path / "bad.txt"),
    ]


def test_article_from_text_never_makes_a_path() -> None:
    article = article_from_text(
        STORY, name="../../etc/passwd.txt", publisher=" AP ", published="2024-01-02"
    )
    assert article.id == "passwd"
    assert article.publisher == "AP" and article.published == date(2024, 1, 2)
    with pytest.raises(InputError, match="empty"):
        article_from_text("", name="paste")
    with pytest.raises(InputError, match="MAX_ARTICLE_CHARS"):
        article_from_text("x" * (MAX_ARTICLE_CHARS + 1), name="paste")


def test_parse_published_forms() -> None:
    assert parse_published("2025-09-30") == date(2025, 9, 30)
    assert parse_published("") is None and parse_published(None) is None
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_published("30/09/2025")


@given(st.binary(max_size=300))
def test_any_bytes_give_an_article_or_a_problem(data: bytes) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        for suffix in (".txt", ".jsonl", ".csv", ".html"):
            path = Path(folder) / f"input{suffix}"
            path.write_bytes(data)
            for item in read_file(path):
                assert isinstance(item, (Article, InputError))
                if isinstance(item, Article):
                    assert item.text.strip()
                    assert item.content_hash == content_hash(item.text)
