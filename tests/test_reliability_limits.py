"""Input limits and hostile upload names.

The limits live in :mod:`quotes.sources` (``MAX_FILE_BYTES``, ``MAX_TABLE_FILE_BYTES``,
``MAX_ARTICLE_CHARS``, ``MAX_FILES``). Each is checked at its boundary: one over is refused with
an :class:`~quotes.errors.InputError` that names the file (and line or row) and the limit; at the
limit the input is read. ``quotes ingest`` reports every refused file and stores the good ones.

Upload names (what the app and the API receive from a browser) only ever become article ids,
never paths: after ingesting articles named ``../../etc/passwd``, ``/tmp/x``, names with NUL,
backslashes or only dots, no file exists outside the store and the ids hold no path.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from quotes.api import Tracker
from quotes.errors import InputError
from quotes.nlp import NLP, load_pipeline
from quotes.sources import (
    MAX_ARTICLE_CHARS,
    MAX_FILE_BYTES,
    MAX_FILES,
    MAX_TABLE_FILE_BYTES,
    Article,
    article_from_text,
    expand_paths,
    read_file,
)

ROOT = Path(__file__).resolve().parent.parent
BUNDLED_DEPPARSE = ROOT / "data" / "models" / "en" / "depparse"
SHARED_STANZA = ROOT.parent / "shared" / "stanza_resources"
# Decided once: models that land in the middle of a run must not mix two model sets.
USE_BUNDLED = BUNDLED_DEPPARSE.is_dir()

STORY = (
    'Harbour master Ines Varga said on Monday that "the north quay will reopen in May." '
    "Crews welcomed the news."
)


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    if USE_BUNDLED:
        env.pop("QUOTES_STANZA_DIR", None)
    elif SHARED_STANZA.is_dir():
        env["QUOTES_STANZA_DIR"] = str(SHARED_STANZA)
    else:
        pytest.skip("no Stanza models: neither data/models nor ../shared/stanza_resources")
    env.pop("QUOTES_STORE", None)
    return env


@pytest.fixture(scope="module")
def nlp() -> Iterator[NLP]:
    env = child_env()
    with pytest.MonkeyPatch.context() as patch:
        if "QUOTES_STANZA_DIR" in env:
            yield load_pipeline(stanza_dir=env["QUOTES_STANZA_DIR"])
        else:
            patch.delenv("QUOTES_STANZA_DIR", raising=False)
            yield load_pipeline()


def sized_file(path: Path, size: int) -> Path:
    """A file of ``size`` bytes without writing them (sparse): the size check comes first."""
    with open(path, "wb") as out:
        out.truncate(size)
    return path


def only_problem(path: Path) -> InputError:
    items = list(read_file(path))
    assert len(items) == 1, items
    assert isinstance(items[0], InputError), items[0]
    return items[0]


# --- the limits, at their boundaries ------------------------------------------------------------


@pytest.mark.parametrize("name", ["big.txt", "big.html", "big.htm"])
def test_single_article_file_over_max_file_bytes_is_refused(tmp_path: Path, name: str) -> None:
    path = sized_file(tmp_path / name, MAX_FILE_BYTES + 1)
    problem = only_problem(path)
    assert problem.source == str(path)
    assert "over the limit" in problem.problem and "MB" in problem.problem
    assert str(path) in str(problem)


@pytest.mark.parametrize("name", ["big.jsonl", "big.csv"])
def test_table_file_over_max_table_file_bytes_is_refused(tmp_path: Path, name: str) -> None:
    path = sized_file(tmp_path / name, MAX_TABLE_FILE_BYTES + 1)
    problem = only_problem(path)
    assert problem.source == str(path)
    assert "over the limit" in problem.problem


def test_a_table_file_above_the_single_file_limit_is_still_read(tmp_path: Path) -> None:
    """The 5 MB limit is for one article; a JSONL of many articles may be larger."""
    path = tmp_path / "many.jsonl"
    line = json.dumps({"text": STORY + " " + "More words here. " * 300}) + "\n"
    copies = MAX_FILE_BYTES // len(line) + 2
    path.write_text(line * copies, encoding="utf-8")
    assert path.stat().st_size > MAX_FILE_BYTES
    items = list(read_file(path))
    assert len(items) == copies and all(isinstance(i, Article) for i in items)


def test_article_at_max_article_chars_is_read_one_more_is_refused(tmp_path: Path) -> None:
    at_limit = tmp_path / "at-limit.txt"
    at_limit.write_text(STORY + " " + "x" * (MAX_ARTICLE_CHARS - len(STORY) - 1), encoding="utf-8")
    [article] = list(read_file(at_limit))
    assert isinstance(article, Article) and len(article.text) == MAX_ARTICLE_CHARS
    over = tmp_path / "over.txt"
    over.write_text(article.text + "y", encoding="utf-8")
    problem = only_problem(over)
    assert problem.source == str(over)
    assert "MAX_ARTICLE_CHARS" in problem.problem
    assert f"{MAX_ARTICLE_CHARS + 1:,}" in problem.problem


def test_characters_not_bytes_count_for_max_article_chars(tmp_path: Path) -> None:
    """An article of 4-byte characters is measured in characters, like offsets are."""
    path = tmp_path / "emoji.txt"
    path.write_text("😀" * MAX_ARTICLE_CHARS, encoding="utf-8")  # 800,000 bytes, under 5 MB
    [article] = list(read_file(path))
    assert isinstance(article, Article) and len(article.text) == MAX_ARTICLE_CHARS


def test_overlong_csv_row_names_its_row(tmp_path: Path) -> None:
    path = tmp_path / "feed.csv"
    rows = ["id,text", f'ok,"{STORY}"', f"long,{'w' * (MAX_ARTICLE_CHARS + 1)}", f'ok2,"{STORY}"']
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    items = list(read_file(path))
    assert [type(i).__name__ for i in items] == ["Article", "InputError", "Article"]
    problem = items[1]
    assert isinstance(problem, InputError)
    assert problem.source == f"{path}:row 3"
    assert "MAX_ARTICLE_CHARS" in problem.problem


def test_pasted_text_over_max_article_chars_is_refused() -> None:
    with pytest.raises(InputError, match="MAX_ARTICLE_CHARS") as caught:
        article_from_text("z" * (MAX_ARTICLE_CHARS + 1), name="pasted-note")
    assert caught.value.source == "pasted-note"


@pytest.mark.slow
def test_more_than_max_files_are_left_out_with_a_message(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(MAX_FILES + 3):
        (folder / f"n{number:05d}.txt").write_bytes(b"A short note.")
    files, problems = expand_paths([folder])
    assert len(files) == MAX_FILES
    assert files[-1].name == f"n{MAX_FILES - 1:05d}.txt"
    [problem] = problems
    assert problem.source == str(folder / f"n{MAX_FILES:05d}.txt")
    assert "3 files left out" in problem.problem and "MAX_FILES" in problem.problem


# --- the CLI keeps going with the good files ---------------------------------------------------


@pytest.mark.slow
def test_cli_ingest_refuses_each_bad_file_by_name_and_stores_the_good_ones(
    tmp_path: Path,
) -> None:
    env = child_env()
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "good-one.txt").write_text(STORY, encoding="utf-8")
    (inputs / "good-two.txt").write_text(STORY.replace("May", "June"), encoding="utf-8")
    sized_file(inputs / "huge.txt", MAX_FILE_BYTES + 1)
    (inputs / "long.txt").write_text("w" * (MAX_ARTICLE_CHARS + 1), encoding="utf-8")
    (inputs / "binary.txt").write_bytes(b"\x89PNG\x00\x00\x01")
    (inputs / "latin.txt").write_bytes("Caf\xe9 owners said so.".encode("latin-1"))
    (inputs / "blank.txt").write_text(" \n\t ", encoding="utf-8")
    (inputs / "feed.jsonl").write_text(
        json.dumps({"id": "feed-ok", "text": STORY.replace("May", "July")})
        + "\n"
        + json.dumps({"id": "feed-long", "text": "v" * (MAX_ARTICLE_CHARS + 1)})
        + "\n{not json\n",
        encoding="utf-8",
    )
    store = tmp_path / "store"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "quotes",
            "ingest",
            str(inputs),
            "--store",
            str(store),
            "--no-progress",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert "3 articles added" in done.stdout and "7 skipped" in done.stdout, done.stdout
    refused = {
        "huge.txt": "over the limit",
        "long.txt": "MAX_ARTICLE_CHARS",
        "binary.txt": "NUL",
        "latin.txt": "not UTF-8",
        "blank.txt": "whitespace",
        "feed.jsonl:2": "MAX_ARTICLE_CHARS",
        "feed.jsonl:3": "malformed JSON",
    }
    lines = done.stderr.splitlines()
    for name, reason in refused.items():
        hits = [
            line for line in lines if f"{inputs / name}:" in line or f"{inputs / name} " in line
        ]
        assert any(reason in line and "skipped" in line for line in hits), (name, done.stderr)
    assert "Traceback" not in done.stderr
    with Tracker.open(store) as tracker:
        assert sorted(tracker.articles()["article"].to_list()) == [
            "feed-ok",
            "good-one",
            "good-two",
        ]


# --- upload names never become paths -----------------------------------------------------------

HOSTILE_NAMES = [
    "../../etc/passwd",
    "../../../../tmp/owned.txt",
    "/etc/shadow",
    "/tmp/absolute.txt",
    "C:\\Windows\\System32\\drivers\\etc\\hosts",
    "..\\..\\boot.ini",
    "..",
    ".",
    "...",
    "",
    "   ",
    "a/b/../../../c.txt",
    "name\x00with-nul.txt",
    "\x00",
    "line\nbreak.txt",
    "~/.ssh/authorized_keys",
    "$HOME/.bashrc",
    "%2e%2e%2fetc%2fpasswd",
    "<script>alert(1)</script>.txt",
    "ﬁle\u202etxt.exe",
    "x" * 5000 + ".txt",
]


def files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*")}


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_upload_name_becomes_a_plain_id(name: str) -> None:
    article = article_from_text(STORY, name=name)
    assert article.id and article.id.strip() == article.id
    assert "/" not in article.id and "\\" not in article.id
    assert article.id not in {".", ".."}
    assert not any(ord(c) < 32 or ord(c) == 127 for c in article.id), repr(article.id)


def test_hostile_upload_names_never_reach_the_file_system(
    nlp: NLP, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)  # a relative name would land here
    store = tmp_path / "area" / "store"
    before = files_under(tmp_path)
    articles = [
        article_from_text(f"{STORY} Item {n}.", name=name) for n, name in enumerate(HOSTILE_NAMES)
    ]
    with Tracker.open(store, nlp=nlp) as tracker:
        report = tracker.ingest_texts(articles)
        stored = tracker.articles()["article"].to_list()
        for article_id in stored:
            tracker.article_text(article_id)
    # Names that reduce to the same id are refused as duplicates, never written as files.
    assert report.added + len(report.skipped) == len(HOSTILE_NAMES)
    assert sorted(stored) == sorted({a.id for a in articles})
    created = files_under(tmp_path) - before
    assert created, "the store itself should exist"
    assert all(path.is_relative_to(tmp_path / "area") for path in created), created
    assert {p.name for p in created if p.is_file()} <= {
        "quotes.sqlite",
        "quotes.sqlite-wal",
        "quotes.sqlite-shm",
    }
    assert not any(work.iterdir())
    assert not Path("/tmp/absolute.txt").exists() and not Path("/tmp/owned.txt").exists()
