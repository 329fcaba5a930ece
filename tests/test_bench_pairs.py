"""The real pair set's builder and scorer, on a corpus invented here (PolNeAR's brat format)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.pairs import build, evaluate
from quotes.match import DEFAULT_PARAMS

FIRST = (
    'The mayor spoke on Monday. "We will rebuild the harbour bridge before winter," '
    "Ana Ruiz said. She added that every ferry worker would keep a job.\n"
)
SECOND = (
    "On Tuesday the city heard it again. Ruiz said the city would rebuild the harbour bridge "
    "before winter, aides said.\n"
)


def _corpus(root: Path) -> Path:
    """Two articles of one split, each with an attribution of the same statement."""
    (root / "train" / "text").mkdir(parents=True)
    (root / "train" / "attributions").mkdir(parents=True)
    (root / "metadata.tsv").write_text(
        "compartment\tfilename\tpublisher\tpublication_date\n"
        "train\tone\tnyt\t2016-03-01\ntrain\ttwo\tap\t2016-03-02\n",
        encoding="utf-8",
    )
    for name, text, content, source, cue in (
        ("one", FIRST, "We will rebuild", "Ana Ruiz", "said"),
        ("two", SECOND, "the city would", "Ruiz", "said"),
    ):
        (root / "train" / "text" / f"{name}.txt").write_text(text, encoding="utf-8")
        start = text.index(content)
        end = text.index(" before winter") + len(" before winter")
        s_start, c_start = text.index(source), text.index(cue, text.index(source))
        lines = [
            f"T1\tContent {start} {end}",
            f"T2\tSource {s_start} {s_start + len(source)}",
            f"T3\tCue {c_start} {c_start + len(cue)}",
            "E1\tAttribution:T3 Content:T1 Source:T2 Cue:T3",
        ]
        (root / "train" / "attributions" / f"{name}.ann").write_text(
            "\n".join(lines) + "\n", encoding="utf-8"
        )
    return root


def _labels(path: Path, attributions: list[build.Attribution]) -> Path:
    a, b = attributions
    row = {
        "id": "t0000",
        "split": "train",
        "band": "b2",
        "label": "same",
        "class": "paraphrase",
        "reason": "the mayor's line, quoted and reported",
        "a": {
            "corpus": "polnear",
            "doc": a.doc,
            "spans": [list(s) for s in a.spans],
            "sha": build.text_hash(a.text),
        },
        "b": {
            "corpus": "polnear",
            "doc": b.doc,
            "spans": [list(s) for s in b.spans],
            "sha": build.text_hash(b.text),
        },
    }
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    return path


def test_labels_are_read_back_from_the_corpus_with_what_the_store_knows(tmp_path: Path) -> None:
    found = build.read_polnear(_corpus(tmp_path / "polnear"))
    assert [(a.doc, a.kind, a.speaker, a.cue) for a in found] == [
        ("one", "direct", "Ana Ruiz", "said"),
        ("two", "indirect", "Ruiz", "said"),
    ]
    assert str(found[0].published) == "2016-03-01"
    assert "rebuild the harbour bridge" in found[0].context and "Monday" in found[0].context
    (pair,) = build.load_pairs(_labels(tmp_path / "labels.jsonl", found), found)
    assert pair.same and pair.group == "paraphrase"
    item = build.match_item(pair.b, "b")
    assert item.context and item.published and item.speaker == "Ruiz"


def test_a_label_whose_text_moved_is_an_error_naming_it(tmp_path: Path) -> None:
    root = _corpus(tmp_path / "polnear")
    labels = _labels(tmp_path / "labels.jsonl", build.read_polnear(root))
    text = root / "train" / "text" / "one.txt"
    text.write_text("X" + text.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(build.LabelError, match=r"labels\.jsonl line 1: t0000 side a moved"):
        build.load_pairs(labels, build.read_polnear(root))


def test_an_absent_corpus_gives_no_pairs(tmp_path: Path) -> None:
    assert build.read_polnear(tmp_path / "nowhere") == []
    assert build.load_pairs(build.LABELS, []) == []


def test_the_committed_labels_are_references_only() -> None:
    for line in build.LABELS.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        assert set(row) == {"id", "split", "band", "label", "class", "reason", "a", "b"}
        assert row["label"] in {"same", "different"}
        for side in (row["a"], row["b"]):
            assert set(side) == {"corpus", "doc", "spans", "sha"}


def test_seed_pairs_label_cross_article_versions_by_statement() -> None:
    pairs = evaluate.seed_pairs()
    assert all(p.a.doc != p.b.doc for p in pairs)
    same = {(p.reason, p.same) for p in pairs}
    assert ("hegemonism / hegemonism", True) in same and ("hegemonism / scare", False) in same
    feats = evaluate.features(pairs)
    scores = evaluate.prf(evaluate.decisions(feats, DEFAULT_PARAMS), [p.same for p in pairs])
    # Precision first: the seeds' versions are never joined to another statement.
    assert scores.precision == 1.0 and scores.recall >= 0.5


def test_cross_validation_holds_out_whole_articles() -> None:
    pairs = evaluate.seed_pairs()
    feats = evaluate.features(pairs)
    grid = (DEFAULT_PARAMS,)
    predicted, chosen = evaluate.cross_validate(pairs, feats, folds=3, grid=grid)
    assert chosen == [DEFAULT_PARAMS] * 3
    assert predicted == evaluate.decisions(feats, DEFAULT_PARAMS)
