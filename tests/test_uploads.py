"""The Add form's rules (quotes.uploads): limits, file types, names, and text already stored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quotes.errors import InputError
from quotes.sources import MAX_FILE_BYTES, article_from_text, collect
from quotes.uploads import (
    MAX_UPLOAD_FILES,
    Upload,
    limits_text,
    pasted_article,
    read_uploads,
    split_stored,
)


def test_each_file_type_gives_its_articles() -> None:
    table = "\n".join(
        json.dumps({"id": f"row{i}", "text": f"Row {i} said hello.", "publisher": "AP"})
        for i in range(3)
    )
    articles, problems = read_uploads(
        [
            Upload("note.txt", "\ufeffA note.".encode()),
            Upload(
                "page.html",
                b"<html><body><article><p>" + b"Words here. " * 30 + b"</p>"
                b"</article></body></html>",
            ),
            Upload("feed.jsonl", (table + "\n{broken\n").encode()),
        ]
    )
    assert [a.id for a in articles][:1] == ["note"] and articles[0].text == "A note."
    assert [a.id for a in articles if a.id.startswith("row")] == ["row0", "row1", "row2"]
    assert any(a.id == "page" for a in articles), problems
    # The table's bad line is named by the upload's name, never by the temporary file's.
    assert len(problems) == 1 and problems[0].startswith("feed.jsonl") and "/tmp" not in problems[0]


def test_limits_and_types_are_refused_with_the_file_named() -> None:
    articles, problems = read_uploads(
        [
            Upload("big.txt", b"x" * (MAX_FILE_BYTES + 1)),
            Upload("image.png", b"\x89PNG"),
            Upload("binary.txt", b"\x00\x01"),
        ]
    )
    assert articles == []
    assert [p.split(":")[0] for p in problems] == ["big.txt", "image.png", "binary.txt"]
    assert "over the limit of 5,000,000" in problems[0]
    too_many = [Upload(f"n{i}.txt", b"Hi.") for i in range(MAX_UPLOAD_FILES + 1)]
    assert read_uploads(too_many) == (
        [],
        [f"{MAX_UPLOAD_FILES + 1} files chosen; at most {MAX_UPLOAD_FILES} files at a time."],
    )
    assert "5 MB" in limits_text() and "200 MB" in limits_text()


def test_upload_names_never_become_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    articles, problems = read_uploads([Upload("../../../etc/x.csv", b"id,text\nz,Said it.\n")])
    assert [a.id for a in articles] == ["z"] and problems == []
    assert list(tmp_path.iterdir()) == []


def test_pasted_text_is_named_by_its_content() -> None:
    first = pasted_article("Wang said hello.", title="One")
    again = pasted_article("Wang said hello.", title="Other title")
    other = pasted_article("Wang said goodbye.")
    assert first.id == again.id != other.id
    assert first.title == "One"
    with pytest.raises(InputError, match="cannot read the date"):
        pasted_article("Wang said hello.", published="someday")


def test_text_already_stored_is_set_aside_whatever_its_id() -> None:
    seeds, _ = collect([Path(__file__).resolve().parent.parent / "seeds"])
    stored = {article.id: article.content_hash for article in seeds}
    renamed = article_from_text(seeds[0].text, name="copy-under-another-name.txt")
    changed = article_from_text(seeds[1].text + " A new sentence.", name=seeds[1].id)
    fresh, known = split_stored([renamed, changed, renamed], stored)
    assert [a.id for a in fresh] == [seeds[1].id]  # same id, new text: a replacement
    assert [(a.id, where) for a, where in known] == [
        ("copy-under-another-name", seeds[0].id),
        ("copy-under-another-name", seeds[0].id),
    ]
