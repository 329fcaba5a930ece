"""The attribution scorer on a hand-made split (invented text, brat standoff written here)."""

from __future__ import annotations

from pathlib import Path

from bench.attribution import scare_quote_bounds, score
from quotes.extract import extract_text

TEXT = (
    '"The pier will hold," Ann Okoro said.\n\nThe fishermen got a "fair deal" from the harbour.\n'
)


def _split(tmp_path: Path) -> Path:
    """One article: a direct quote by Okoro, and the fishermen's view put in a quoted phrase."""
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "a.txt").write_text(TEXT, encoding="utf-8")
    direct = (TEXT.index("The pier"), TEXT.index(',"'))
    speaker = (TEXT.index("Ann"), TEXT.index(" said"))
    cue = (TEXT.index("said"), TEXT.index("said") + 4)
    backed = (TEXT.index('a "fair'), TEXT.index(" from the"))
    council = (TEXT.index("The fishermen"), TEXT.index(" got"))
    backed_cue = (TEXT.index("got"), TEXT.index("got") + 3)
    lines = [
        f"T1\tContent {direct[0]} {direct[1]}",
        f"T2\tSource {speaker[0]} {speaker[1]}",
        f"T3\tCue {cue[0]} {cue[1]}",
        "E1\tAttribution:T3 Content:T1 Source:T2",
        f"T4\tContent {backed[0]} {backed[1]}",
        f"T5\tSource {council[0]} {council[1]}",
        f"T6\tCue {backed_cue[0]} {backed_cue[1]}",
        "E2\tAttribution:T6 Content:T4 Source:T5",
    ]
    (tmp_path / "attributions" / "a.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def test_the_scorer_matches_the_direct_quote_and_its_speaker(tmp_path: Path) -> None:
    split = _split(tmp_path)
    quotes = extract_text(TEXT, doc_id="a")
    scores = score(split, [("a", TEXT)], [quotes])
    assert scores.tallies["direct"].gold == 2
    assert scores.tallies["direct"].lenient >= 1
    assert scores.tallies["direct"].strict >= 1
    assert scores.speaker_ok >= 1


def test_the_scare_quote_oracle_counts_only_quotes_inside_a_missed_attribution(
    tmp_path: Path,
) -> None:
    split = _split(tmp_path)
    quotes = extract_text(TEXT, doc_id="a")
    assert any(q.kind == "scare" and q.text == "fair deal" for q in quotes)
    bounds = scare_quote_bounds(split, [("a", TEXT)], [quotes])
    engine, every, oracle = bounds["engine"], bounds["all scare quotes"], bounds["oracle"]
    assert oracle[2] == engine[2] + 1 == every[2]
    assert oracle[0] > engine[0]  # the quoted phrase sits inside the fishermen's attribution
    assert oracle[1] <= engine[1]  # but its boundaries are not the attribution's
