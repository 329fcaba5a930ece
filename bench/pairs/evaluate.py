"""Score the matcher's decision on the real pair set, with thresholds chosen by cross-validation.

The features of every pair are measured once (:func:`quotes.match.pair_features`: what the store
knows of each quote: text, speaker, kind, cue, date, context); :func:`quotes.match.decide` is
then a cheap function of them and a :class:`quotes.match.DecisionParams`, so settings can be
searched on a grid. Cross-validation is k-fold over article groups: each fold holds out the pairs
whose first article falls in it, and tunes on the pairs that share no article with them.

Seed pairs (:func:`seed_pairs`) join the PolNeAR pairs: every cross-article pair of the seed
quotes below, labelled by the statement each reports (read from the seed articles).
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from bench.pairs.build import SEEDS, Attribution, LabelledPair, context_window, match_item
from quotes.match import DecisionParams, PairFeatures, decide, pair_features

# The seed quotes (the project's own articles): (statement, doc, speaker, kind, text). The
# statement names the utterance each reports, read in context:
# - "unwavering": Choe Son Hui's statement that bolstering ties with China is North Korea's
#   unwavering position, in line with the summit (003 reports "friendly ties" in the same
#   sentence);
# - "hegemonism": Wang Yi's opposition to all forms of hegemonism (via Xinhua);
# - "fairer": Choe's pledge to cooperate against unilateralism for a fairer world order;
# - "strategic": Wang's line on consolidating ties through strategic communication and
#   exchanges;
# - "consensus": the ministers' complete consensus (KCNA).
SEED_QUOTES = (
    (
        "unwavering",
        "002",
        "Choe Son Hui",
        "mixed",
        "Kim\u2019s stance that advancing ties with China is Pyongyang\u2019s \u201cunwavering "
        "position,\u201d",
    ),
    (
        "unwavering",
        "003",
        "Choe",
        "mixed",
        "Kim's directive that \"further bolstering ties with China is North Korea's unwavering "
        'position," vowing alignment with summit outcomes to foster "friendly ties."',
    ),
    (
        "unwavering",
        "001",
        "Choe Son Hui",
        "indirect",
        "the unwavering dedication to bolstering ties with China, in alignment with the outcomes "
        "of the Kim-Xi summit",
    ),
    (
        "hegemonism",
        "002",
        "Wang Yi",
        "mixed",
        "Beijing opposes \u201call forms of hegemonism\u201d and is ready to work with North Korea "
        "on regional and global issues",
    ),
    (
        "hegemonism",
        "003",
        "Wang",
        "mixed",
        'decrying "all forms of hegemonism" and readiness for joint international maneuvers',
    ),
    ("hegemonism", "001", "Wang Yi", "indirect", "opposition to all forms of hegemonism"),
    ("scare", "003", None, "scare", "hegemonism,"),
    (
        "fairer",
        "002",
        "Choe",
        "direct",
        "closely cooperate with China in multilateral affairs, jointly resist unilateralism and "
        "power politics, and promote a fairer world order.",
    ),
    (
        "fairer",
        "003",
        "Choe",
        "direct",
        "closely cooperate... to jointly resist unilateralism and power politics and promote a "
        "fairer and more just world order,",
    ),
    (
        "fairer",
        "001",
        "North Korea",
        "indirect",
        "to collaborate closely with China to resist unilateralism and advocate for a more "
        "equitable world order",
    ),
    (
        "consensus",
        "002",
        "KCNA",
        "mixed",
        "Choe and Wang reached \u201ccomplete consensus\u201d on regional and international issues",
    ),
    ("consensus", "003", "The ministers", "direct", "reached a complete consensus"),
    (
        "consensus",
        "001",
        None,
        "indirect",
        "resulted in a comprehensive consensus on regional and international affairs",
    ),
    (
        "strategic",
        "003",
        "Wang",
        "mixed",
        'China\'s resolve to "solidify bilateral ties" through boosted exchanges',
    ),
    (
        "strategic",
        "002",
        "Wang",
        "indirect",
        "Beijing is committed to consolidating relations, boosting strategic communications and "
        "exchanges",
    ),
    (
        "strategic",
        "001",
        "Wang Yi",
        "indirect",
        "the necessity of strategic communications and exchanges to enhance bilateral relations",
    ),
)


def _seed_attribution(doc: str, speaker: str | None, kind: str, quote: str) -> Attribution:
    path = next(SEEDS.glob(f"{doc}_*.txt"))
    text = path.read_text(encoding="utf-8")
    start = text.index(quote)
    spans = ((start, start + len(quote)),)
    return Attribution(
        corpus="seeds",
        split="seeds",
        doc=path.stem,
        spans=spans,
        text=quote.strip(" ,."),
        kind=kind,
        source=speaker,
        speaker=speaker,
        cue=None,
        publisher=None,
        published=None,
        context=context_window(text, spans),
    )


def seed_pairs() -> list[LabelledPair]:
    """Every cross-article pair of :data:`SEED_QUOTES`, same when one statement."""
    sides = [
        (statement, _seed_attribution(doc, speaker, kind, text))
        for statement, doc, speaker, kind, text in SEED_QUOTES
    ]
    pairs: list[LabelledPair] = []
    for (group_a, a), (group_b, b) in itertools.combinations(sides, 2):
        if a.doc == b.doc:
            continue
        same = group_a == group_b and "scare" not in (group_a, group_b)
        pairs.append(
            LabelledPair(
                id=f"seed-{len(pairs):03d}",
                split="seeds",
                a=a,
                b=b,
                same=same,
                reason=f"{group_a} / {group_b}",
                group="seeds",
                band="seeds",
            )
        )
    return pairs


@dataclass(frozen=True)
class Scores:
    """Precision, recall and F1 of ``same``, with the counts behind them."""

    precision: float
    recall: float
    f1: float
    pairs: int
    positives: int


def prf(predicted: Sequence[bool], gold: Sequence[bool]) -> Scores:
    """Scores of ``predicted`` against ``gold``.

    Example:
        >>> prf([True, True, False], [True, False, True]).precision
        0.5
    """
    tp = sum(p and g for p, g in zip(predicted, gold, strict=True))
    fp = sum(p and not g for p, g in zip(predicted, gold, strict=True))
    fn = sum(g and not p for p, g in zip(predicted, gold, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1, len(gold), sum(gold))


def features(pairs: Sequence[LabelledPair]) -> list[PairFeatures]:
    """What the decision sees of each pair (measured once)."""
    return [pair_features(match_item(p.a, "a"), match_item(p.b, "b")) for p in pairs]


# The settings searched per fold. Five vary; the others stay at their shipped defaults
# (same-speaker bonus, unknown-speaker penalty, recalled wording and coverage). A wider grid
# (1,080 settings over six of the older ones) cross-validated no better: on a few hundred pairs,
# each setting searched is one more chance to fit a fold's noise.
GRID = tuple(
    DecisionParams(
        threshold=threshold,
        context_weight=weight,
        max_days_apart=days,
        occasion_bonus=occasion,
        repeated_penalty=repeated,
    )
    for threshold in (0.7, 0.75, 0.8, 0.85)
    for weight in (0.2, 0.4, 0.6)
    for days in (5, 7)
    for occasion in (0.0, 0.1, 0.2)
    for repeated in (0.0, 0.1, 0.2)
)


def decisions(feats: Sequence[PairFeatures], params: DecisionParams) -> list[bool]:
    return [decide(f, params).same for f in feats]


def tune(
    feats: Sequence[PairFeatures], gold: Sequence[bool], grid: Sequence[DecisionParams] = GRID
) -> DecisionParams:
    """The settings of ``grid`` with the best F1 on these pairs (the first best, in grid order)."""
    return max(grid, key=lambda params: prf(decisions(feats, params), gold).f1)


def _fold(doc: str, folds: int) -> int:
    return int(hashlib.blake2b(doc.encode("utf-8"), digest_size=4).hexdigest(), 16) % folds


def cross_validate(
    pairs: Sequence[LabelledPair],
    feats: Sequence[PairFeatures],
    folds: int = 5,
    grid: Sequence[DecisionParams] = GRID,
) -> tuple[list[bool], list[DecisionParams]]:
    """Held-out decisions for every pair and the settings tuned for each fold (k-fold over
    articles: tuning never sees an article of the pairs it is scored on)."""
    gold = [p.same for p in pairs]
    predicted = [False] * len(pairs)
    chosen = []
    for fold in range(folds):
        test = [i for i, p in enumerate(pairs) if _fold(min(p.a.doc, p.b.doc), folds) == fold]
        held = {doc for i in test for doc in (pairs[i].a.doc, pairs[i].b.doc)}
        train = [i for i, p in enumerate(pairs) if p.a.doc not in held and p.b.doc not in held]
        params = tune([feats[i] for i in train], [gold[i] for i in train], grid)
        chosen.append(params)
        for i in test:
            predicted[i] = decide(feats[i], params).same
    return predicted, chosen
