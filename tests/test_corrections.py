"""Corrections that stick: made, applied to every table and export, kept through new batches,
re-extraction and re-clustering, and undone.

The store is written with real batches of articles whose quotes are given (``write_batch``
with the extraction's output built here), so every test runs the real store, clustering and
drift without loading models.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from quotes import tables
from quotes.api import Tracker
from quotes.cli import EXIT_OK, EXIT_USAGE, main
from quotes.drift import DriftVersion
from quotes.errors import InputError
from quotes.records import Quote
from quotes.sources import Article
from quotes.store import quote_id

RUIZ = "the port authority will double the night shift at the container terminal by june"
BERG = "our farmers cannot wait another season for the irrigation canal to be repaired"
HAS_PINNED = "pinned" in {f.name for f in dataclasses.fields(DriftVersion)}


@dataclasses.dataclass(frozen=True)
class Said:
    """One quote of a test article: who, what, and the span inside the sentence."""

    speaker: str
    text: str


def article(
    name: str, said: list[Said], day: int = 1, lead: str = ""
) -> tuple[Article, list[Quote]]:
    """An article whose sentences quote ``said``, with the quotes as the extraction gives them."""
    parts: list[str] = [lead] if lead else []
    quotes: list[tuple[int, int, Said]] = []
    position = len(lead)
    for one in said:
        opening = f' {one.speaker} said: "'
        start = position + len(opening)
        parts.append(f'{opening}{one.text}."')
        quotes.append((start, start + len(one.text), one))
        position += len(parts[-1])
    text = "".join(parts)
    item = Article(id=name, text=text, published=date(2025, 3, day), publisher="Harbour Times")
    return item, [
        Quote(
            doc=name,
            start=start,
            end=end,
            text=text[start:end],
            spans=((start, end),),
            kind="direct",
            speaker=one.speaker,
            speaker_type="person",
            speaker_resolved=True,
            confidence=0.8,
            rules=("colon-quote",),
        )
        for start, end, one in quotes
    ]


def write(
    tracker: Tracker, *articles: tuple[Article, list[Quote]], engine: str | None = None
) -> None:
    tracker.store.write_batch(
        [a for a, _ in articles],
        {a.content_hash: quotes for a, quotes in articles},
        engine=engine,
    )


def qid(item: tuple[Article, list[Quote]], index: int = 0) -> str:
    article_, quotes = item
    return quote_id(article_.id, article_.content_hash, quotes[index])


CORPUS = {
    "a1": article("a1", [Said("Ana Ruiz", RUIZ)], day=1),
    "a2": article("a2", [Said("Ruiz", RUIZ.replace("container terminal", "terminal"))], day=2),
    "a3": article("a3", [Said("Ana Ruiz", " ".join(RUIZ.split()[1:10]))], day=3),
    "b1": article("b1", [Said("Tom Berg", BERG)], day=1),
    "b2": article("b2", [Said("Berg", BERG.replace("another season", "one more season"))], day=2),
    "n1": article("n1", [Said("Officials", "the weather was mild for the time of year")], day=4),
}


@pytest.fixture()
def tracker(tmp_path: Path) -> Iterator[Tracker]:
    with Tracker.open(tmp_path / "store") as opened:
        write(opened, CORPUS["a1"], CORPUS["b1"])
        write(opened, CORPUS["a2"], CORPUS["b2"])
        write(opened, CORPUS["a3"], CORPUS["n1"])
        yield opened


def statement(tracker: Tracker, quote: str) -> set[str]:
    return set(tracker.variants(quote)["quote_id"])


def test_the_corpus_forms_the_statements_the_tests_expect(tracker: Tracker) -> None:
    a1, a2, a3 = (qid(CORPUS[n]) for n in ("a1", "a2", "a3"))
    assert statement(tracker, a1) == {a1, a2, a3}
    assert statement(tracker, qid(CORPUS["b1"])) == {qid(CORPUS["b1"]), qid(CORPUS["b2"])}
    assert tracker.corrections().is_empty()


def test_speaker_correction_shows_everywhere_sticks_and_undoes(tracker: Tracker) -> None:
    target = qid(CORPUS["n1"])
    fix = tracker.correct_speaker(target, "  Mayor   Lena Holt ", author="desk")
    assert (fix.action, fix.target, fix.value, fix.author) == (
        "speaker",
        target,
        "Mayor Lena Holt",
        "desk",
    )
    assert fix.article == "n1" and fix.quote_text == CORPUS["n1"][1][0].text

    def shown() -> str:
        return tracker.quotes().filter(pl.col("quote_id") == target)["speaker"][0]

    assert shown() == "Mayor Lena Holt"
    assert "Mayor Lena Holt" in tracker.speakers()["speaker"].to_list()
    write(tracker, article("c1", [Said("Officials", "the new ferry timetable starts in may")]))
    assert shown() == "Mayor Lena Holt"
    tracker.store.recompute()
    assert shown() == "Mayor Lena Holt"
    tracker.undo_correction(fix.correction_id)
    assert shown() == "Officials"
    assert tracker.corrections().is_empty()
    listed = tracker.corrections(include_undone=True).row(0, named=True)
    assert listed["correction_id"] == fix.correction_id and listed["undone_at"] is not None


def test_merging_speakers_moves_every_quote_and_undoes(tracker: Tracker) -> None:
    before = tracker.speakers()["speaker"].to_list()
    assert "Officials" in before and "Tom Berg" in before
    fix = tracker.merge_speakers("Officials", "Tom Berg")
    speakers = tracker.speakers()
    assert "Officials" not in speakers["speaker"].to_list()
    berg = speakers.filter(pl.col("speaker") == "Tom Berg").row(0, named=True)
    assert "Officials" in berg["variants"] and berg["n_quotes"] == 3
    tracker.store.recompute()
    assert "Officials" not in tracker.speakers()["speaker"].to_list()
    tracker.undo_correction(fix.correction_id)
    assert sorted(tracker.speakers()["speaker"].to_list()) == sorted(before)


def test_split_version_stays_out_through_new_batches_and_recompute(tracker: Tracker) -> None:
    a1, a2, a3 = (qid(CORPUS[n]) for n in ("a1", "a2", "a3"))
    fix = tracker.split_version(a3)
    assert statement(tracker, a3) == {a3}
    assert statement(tracker, a1) == {a1, a2}
    # Another version matching both arrives: it may join one side, never bridge them.
    bridge = article("a4", [Said("Ana Ruiz", RUIZ)], day=5)
    write(tracker, bridge)
    assert a3 not in statement(tracker, a1) and qid(bridge) in statement(tracker, a1)
    tracker.store.recompute()
    assert a3 not in statement(tracker, a1)
    tracker.undo_correction(fix.correction_id)
    assert statement(tracker, a3) == {a1, a2, a3, qid(bridge)}


def test_merged_statements_stay_merged_and_undo_splits_them(tracker: Tracker) -> None:
    a1, b1 = qid(CORPUS["a1"]), qid(CORPUS["b1"])
    everything = statement(tracker, a1) | statement(tracker, b1)
    fix = tracker.merge_statements(a1, b1)
    assert statement(tracker, a1) == everything
    assert tracker.statement_of(b1) == tracker.statement_of(a1)
    write(tracker, article("b3", [Said("Tom Berg", BERG)], day=6))
    assert everything < statement(tracker, a1)
    tracker.store.recompute()
    assert everything < statement(tracker, a1)
    with pytest.raises(InputError, match="already a version of the same statement"):
        tracker.merge_statements(b1, a1)
    tracker.undo_correction(fix.correction_id)
    assert a1 not in statement(tracker, b1)


def test_not_a_quote_is_hidden_from_every_table_and_export(
    tracker: Tracker, tmp_path: Path
) -> None:
    target = qid(CORPUS["n1"])
    fix = tracker.mark_not_quote(target)
    assert target not in tracker.quotes()["quote_id"].to_list()
    for name in tables.TABLE_NAMES:
        frame = tracker.table(name)
        if "quote_id" in frame.columns:
            assert target not in frame["quote_id"].to_list(), name
        path = tables.export(frame, tmp_path / f"{name}.csv", "csv")
        assert target not in path.read_text(encoding="utf-8") or name == "corrections", name
    assert "Officials" not in tracker.speakers()["speaker"].to_list()
    assert tracker.articles().filter(pl.col("article") == "n1")["n_quotes"][0] == 0
    assert tracker.who_said("the weather was mild").is_empty()
    assert tracker.corrections()["target"].to_list() == [target]
    with pytest.raises(InputError, match="marked not a quote"):
        tracker.statement_of(target)
    with pytest.raises(InputError, match="marked not a quote"):
        tracker.pin_reference(target)
    tracker.store.recompute()
    assert target not in tracker.quotes()["quote_id"].to_list()
    tracker.undo_correction(fix.correction_id)
    assert target in tracker.quotes()["quote_id"].to_list()
    assert "Officials" in tracker.speakers()["speaker"].to_list()


@pytest.mark.skipif(not HAS_PINNED, reason="quotes.drift has no pinned versions yet")
def test_pinned_reference_stays_when_an_earlier_version_arrives(tracker: Tracker) -> None:
    a2 = qid(CORPUS["a2"])
    fix = tracker.pin_reference(a2)
    top = tracker.variants(a2).row(0, named=True)
    assert top["quote_id"] == a2 and top["is_reference"] and "pinned" in top["reference_reason"]
    earlier = article("a0", [Said("Ana Ruiz", RUIZ)], day=1)
    write(tracker, earlier)
    assert tracker.variants(a2).row(0, named=True)["quote_id"] == a2
    tracker.undo_correction(fix.correction_id)
    assert tracker.variants(a2).row(0, named=True)["quote_id"] != a2


def test_corrections_find_their_quotes_again_after_a_re_extraction(tracker: Tracker) -> None:
    a3, n1 = qid(CORPUS["a3"]), qid(CORPUS["n1"])
    tracker.mark_not_quote(n1)
    tracker.correct_speaker(a3, "Ana Ruiz (harbour board)")
    # A new engine finds the same quotes with their closing stop inside the span: new ids.
    for name in ("a3", "n1"):
        item, quotes = CORPUS[name]
        moved = [
            dataclasses.replace(q, end=q.end + 1, text=item.text[q.start : q.end + 1])
            for q in quotes
        ]
        write(tracker, (item, moved), engine="next-engine")
    ids = set(tracker.quotes()["quote_id"])
    assert a3 not in ids and n1 not in ids
    assert not tracker.quotes().filter(pl.col("article") == "n1").height
    fixed = tracker.quotes().filter(pl.col("article") == "a3").row(0, named=True)
    assert fixed["speaker"] == "Ana Ruiz (harbour board)"


def test_unknown_ids_are_clear_errors(tracker: Tracker) -> None:
    for call in (
        lambda: tracker.correct_speaker("q-0000000000000000", "X"),
        lambda: tracker.split_version("q-0000000000000000"),
        lambda: tracker.mark_not_quote("q-0000000000000000"),
        lambda: tracker.statement_of("u-000000000000"),
    ):
        with pytest.raises(InputError, match="no quote"):
            call()
    with pytest.raises(InputError, match="no correction"):
        tracker.undo_correction(99)
    with pytest.raises(InputError, match="no speaker"):
        tracker.merge_speakers("Nobody Known", "Tom Berg")
    with pytest.raises(InputError, match="already a statement of its own"):
        tracker.split_version(qid(CORPUS["n1"]))
    fix = tracker.pin_reference(qid(CORPUS["a1"]))
    tracker.undo_correction(fix.correction_id)
    with pytest.raises(InputError, match="already undone"):
        tracker.undo_correction(fix.correction_id)


def test_cli_verbs(tracker: Tracker, capsys: pytest.CaptureFixture[str]) -> None:
    store = str(tracker.path)
    n1 = qid(CORPUS["n1"])
    assert main(["correct", "not-quote", n1, "--store", store, "--author", "desk"]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith("correction 1: not-quote") and n1 in out
    assert main(["correct", "speaker", qid(CORPUS["b2"]), "Tom Berg", "--store", store]) == EXIT_OK
    assert capsys.readouterr().out.startswith("correction 2: speaker")
    assert main(["corrections", "--store", store, "--json"]) == EXIT_OK
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == 2 and '"action":"not-quote"' in listed[0]
    assert main(["correct", "undo", "1", "--store", store]) == EXIT_OK
    assert main(["corrections", "--store", store]) == EXIT_OK
    assert "not-quote" not in capsys.readouterr().out.split("\n", 2)[-1]
    assert main(["corrections", "--all", "--store", store, "--json"]) == EXIT_OK
    assert len(capsys.readouterr().out.splitlines()) == 2
    code = main(["correct", "split", "q-0000000000000000", "--store", store])
    err = capsys.readouterr().err
    assert code == EXIT_USAGE and err.count("\n") == 1
    assert err == "quotes: q-0000000000000000: no quote with this id in the store\n"
    with pytest.raises(SystemExit) as bad:
        main(["correct", "undo", "nine", "--store", store])
    assert bad.value.code == EXIT_USAGE
