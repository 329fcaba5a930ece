"""Tests of quotes.match: the pair rule, clustering and the pair judge."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quotes.errors import InputError
from quotes.match import (
    DecisionParams,
    MatchItem,
    _decide,
    cluster_quotes,
    decide,
    judge_pairs,
    normalize_quote,
    pair_features,
    profile,
    same_utterance,
    speakers_compatible,
)
from quotes.occasion import (
    CueMarks,
    Occasion,
    compare_occasions,
    cue_marks,
    occasion_days,
    occasion_kinds,
)

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

LONG = (
    "we will rebuild the harbour bridge before winter, and every ferry worker "
    "will keep a job while we do it"
)


def item(ident: str, text: str, **fields: object) -> MatchItem:
    return MatchItem(ident, text, **fields)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- pair rule


def test_fragment_of_a_longer_version_is_the_same_utterance() -> None:
    decision = same_utterance(
        item("a", LONG), item("b", "rebuild the harbour bridge before winter")
    )
    assert decision.same and decision.score >= 0.85


def test_ellipsis_and_contractions_do_not_hide_a_match() -> None:
    variant = "We'll rebuild the harbour bridge ... and every ferry worker'll keep a job"
    assert same_utterance(item("a", LONG), item("b", variant)).same


def test_reported_paraphrase_with_the_same_heavy_words_matches() -> None:
    original = item("a", "our ministry will never tolerate interference in the fishing dispute")
    reported = item(
        "b",
        "the ministry would never tolerate any interference in that fishing dispute",
        kind="indirect",
    )
    assert same_utterance(original, reported).same


def test_short_quote_whose_words_sit_scattered_in_another_quote_is_different() -> None:
    # Every content word of the short quote occurs in the long one, but not as one phrase.
    short = item("a", "winter ferry jobs")
    assert not same_utterance(short, item("b", LONG)).same


def test_one_common_word_is_not_a_statement() -> None:
    assert not same_utterance(item("a", "rigged"), item("b", "the whole count was rigged")).same


def test_same_words_at_two_events_far_apart_are_different() -> None:
    first = item("a", LONG, published=date(2024, 3, 1))
    again = item("b", LONG, published=date(2024, 9, 20))
    assert not same_utterance(first, again).same
    close = item("c", LONG, published=date(2024, 3, 3))
    assert same_utterance(first, close).same


def test_different_named_speakers_need_more_than_a_shared_phrase() -> None:
    a = item("a", "a stable and prosperous harbour", speaker="Ana Ruiz")
    b = item("b", "we want a stable and prosperous harbour for all", speaker="Tom Berg")
    assert not same_utterance(a, b).same
    assert same_utterance(a, item("c", b.text, speaker="Ruiz")).same


def test_scare_quote_matches_only_its_twin() -> None:
    scare = item("a", "hegemony", kind="scare")
    assert not same_utterance(scare, item("b", "all kinds of hegemony", kind="direct")).same


def test_speaker_compatibility() -> None:
    assert speakers_compatible("Choe", "Choe Son Hui") == "same"
    assert speakers_compatible("Foreign Minister Wang Yi", "Wang") == "same"
    assert speakers_compatible("Ana Ruiz", "Tom Berg") == "different"
    assert speakers_compatible("she", "Tom Berg") == "unknown"
    assert speakers_compatible("The ministers", "Tom Berg") == "unknown"


def test_normalisation() -> None:
    assert normalize_quote("They\u2019re NOT done\u2026 yet!") == "they are not done\x00yet"
    assert profile("a b ... c d").segments == ("a b", "c d")


def test_partial_quote_is_judged_by_its_quoted_words_too() -> None:
    mixed = item("a", 'Ruiz said the city backs "a stable and prosperous harbour" for now')
    direct = item("b", "a stable and prosperous harbour", kind="direct")
    assert same_utterance(mixed, direct).same


# --------------------------------------------------------------------------- the classes

STATEMENT = "the governor's harbour plan is a disaster for every fishing family in this county"


def test_a_short_noun_phrase_inside_a_statement_is_a_topic_not_the_statement() -> None:
    # "the harbour plan" (a law's name, a title) sits word for word inside the statement.
    topic = item("t", "the harbour plan", kind="indirect", speaker="Tom Berg")
    said = item("s", STATEMENT, kind="direct", speaker="Ana Ruiz")
    assert not same_utterance(topic, said).same
    named = item("n", "the governor's harbour plan", kind="indirect", speaker=None)
    decision = same_utterance(named, item("s2", STATEMENT, kind="direct", speaker="Ruiz"))
    assert not decision.same and "speaker unknown" in decision.reason


def test_one_speakers_two_statements_on_one_topic_stay_apart() -> None:
    first = item(
        "a",
        "the harbour plan will cost every fishing family its boat",
        speaker="Ana Ruiz",
        published=date(2024, 3, 1),
        context="At a rally on Monday Ruiz said the harbour plan will cost every fishing family "
        "its boat, to cheers from the crowd.",
    )
    second = item(
        "b",
        "the harbour plan was written by lobbyists for the shipping lines",
        speaker="Ruiz",
        published=date(2024, 3, 2),
        context="In a radio interview Ruiz added that the harbour plan was written by lobbyists "
        "for the shipping lines.",
    )
    assert not same_utterance(first, second).same


def test_a_stock_line_said_again_on_another_occasion_is_another_statement() -> None:
    line = "we are going to start winning again and we are going to win so much"
    first = item("a", line, speaker="Ana Ruiz", kind="indirect", published=date(2024, 2, 9))
    again = item("b", line, speaker="Ruiz", kind="indirect", published=date(2024, 7, 22))
    decision = same_utterance(first, again)
    assert not decision.same and "another occasion" in decision.reason
    # Recalled later in words marked as quoted, it is still the first occasion's statement...
    quoted = item("c", line, speaker="Ruiz", kind="direct", published=date(2024, 7, 22))
    assert same_utterance(item("d", line, speaker="Ruiz", kind="direct"), quoted).same
    # ...and so is a report that says the words were said earlier.
    recalled = item(
        "e",
        line,
        speaker="Ruiz",
        kind="indirect",
        published=date(2024, 7, 22),
        context=f"Ruiz said last year that {line}, a promise voters remember.",
    )
    assert same_utterance(first, recalled).same


def test_a_reported_paraphrase_is_caught_with_its_context() -> None:
    # "She warned the governor's proposal would ruin..." against her quoted words: few words in
    # common, but both reports place it at the same fair on the same day.
    quoted = item(
        "q",
        "This plan from the governor will be a disaster for the families who fish these waters",
        speaker="Ana Ruiz",
        kind="direct",
        published=date(2024, 5, 6),
        context="Speaking at the county fair in Millbrook on Saturday, Ruiz said: This plan from "
        "the governor will be a disaster for the families who fish these waters. Cheers.",
    )
    paraphrase = "that the governor's proposal would ruin households who fish these waters"
    reported = item(
        "r",
        paraphrase,
        speaker="Ruiz",
        kind="indirect",
        cue="warned",
        published=date(2024, 5, 7),
        context=f"At the county fair in Millbrook on Saturday, Ruiz warned {paraphrase}, "
        "drawing cheers.",
    )
    assert same_utterance(quoted, reported).same
    # Without the context the wording alone does not carry it.
    assert not same_utterance(replace(quoted, context=None), replace(reported, context=None)).same


def test_a_copied_report_is_one_statement_whatever_the_speaker_field_says() -> None:
    # The copy is told by the words around the quote (a context of about 100 characters on
    # either side, as the store gives), not by the quote itself.
    context = (
        "Ferries were cancelled all winter. Officials said the harbour will reopen in May, "
        "according to a statement issued by the port authority on Friday."
    )
    a = item("a", "the harbour will reopen in May", kind="indirect", context=context)
    b = item(
        "b",
        "the harbour will reopen in May",
        kind="indirect",
        speaker="officials",
        context=context + " ",
    )
    decision = same_utterance(a, b)
    assert decision.same and decision.score == 1.0 and "copied" in decision.reason
    # Two reports that only share the quote are not copies of each other.
    other = replace(
        b,
        context="Speaking to reporters, officials said the harbour will reopen "
        "in May if the repairs to the breakwater are finished in time.",
    )
    assert pair_features(a, other).context_copy is not None
    assert "copied" not in same_utterance(a, other).reason


def test_every_decision_says_which_rule_decided() -> None:
    assert (
        same_utterance(
            item("a", LONG, speaker="Ana Ruiz"), item("b", LONG, speaker="Tom Berg")
        ).reason
        == "different speakers"
    )
    scare = same_utterance(item("a", "hegemony", kind="scare"), item("b", "all hegemony"))
    assert scare.reason == "a scare quote matches only its twin"


fields = st.fixed_dictionaries(
    {},
    optional={
        "a_speaker": st.sampled_from(["Ana Ruiz", "Ruiz", "Tom Berg"]),
        "b_speaker": st.sampled_from(["Ana Ruiz", "Ruiz", "Tom Berg"]),
        "a_cue": st.just("said"),
        "b_cue": st.just("told reporters"),
        "a_date": st.sampled_from(["2024-03-01", "2024-09-01"]),
        "b_date": st.sampled_from(["2024-03-02", "2024-03-01"]),
        "a_context": st.just(f"At a rally Ruiz said {LONG}."),
        "b_context": st.just("Ruiz, speaking at a rally, said she would rebuild the bridge."),
        "a_kind": st.sampled_from(["direct", "indirect", "mixed"]),
    },
)


@settings(max_examples=80, deadline=None)
@given(fields)
def test_judge_pairs_works_with_any_subset_of_the_fields(extra: dict[str, str]) -> None:
    record = {"a": LONG, "b": "rebuild the harbour bridge before winter", **extra}
    (verdict,) = judge_pairs([json.dumps(record)])
    assert set(verdict) == {"same", "score", "reason"}
    assert isinstance(verdict["same"], bool) and 0.0 <= float(verdict["score"]) <= 1.0
    # The verdict is the clustering's own decision on the same evidence.
    a = MatchItem(
        "a",
        LONG,
        speaker=extra.get("a_speaker"),
        kind=extra.get("a_kind"),
        published=date.fromisoformat(extra["a_date"]) if "a_date" in extra else None,
        cue=extra.get("a_cue"),
        context=extra.get("a_context"),
    )
    b = MatchItem(
        "b",
        record["b"],
        speaker=extra.get("b_speaker"),
        published=date.fromisoformat(extra["b_date"]) if "b_date" in extra else None,
        cue=extra.get("b_cue"),
        context=extra.get("b_context"),
    )
    assert verdict["same"] == same_utterance(a, b).same


def test_decide_is_a_pure_function_of_the_features_and_params() -> None:
    f = pair_features(item("a", LONG, speaker="Ruiz"), item("b", LONG[:40], speaker="Ruiz"))
    assert decide(f).same
    strict = DecisionParams(threshold=1.01, same_speaker_bonus=0.0)
    assert decide(f, strict).same == f.quoted_match


# --------------------------------------------------------------------------- the occasion


THURSDAY = date(2016, 9, 22)


def test_the_occasion_is_dated_from_the_words_around_the_quote() -> None:
    quote = "we will fix the roads"
    said = f"Speaking on Tuesday, Ruiz said {quote}. The crowd cheered."
    assert occasion_days(said, quote, THURSDAY) == (date(2016, 9, 20),)
    # "Yesterday", a month and day, a date with its year; the one before the quote's sentence.
    assert occasion_days(f"Ruiz said yesterday that {quote}.", quote, THURSDAY) == (
        date(2016, 9, 21),
    )
    assert occasion_days(f"On Sept. 3, Ruiz said {quote}.", quote, THURSDAY) == (date(2016, 9, 3),)
    assert occasion_days(f"On Dec. 7, 2015, Ruiz said {quote}.", quote, THURSDAY) == (
        date(2015, 12, 7),
    )
    assert occasion_days(f"It was Monday. Ruiz said {quote}.", quote, THURSDAY) == (
        date(2016, 9, 19),
    )
    # A day outside the two sentences, inside the quote, or in another quote is not the date.
    assert occasion_days(f"It was Monday. Then rain. Ruiz said {quote}.", quote, THURSDAY) == ()
    own = "we will release the returns on Friday"
    assert occasion_days(f"Ruiz said {own}.", own, THURSDAY) == ()
    assert occasion_days(f'"Today we win," he said. Ruiz said {quote}.', quote, THURSDAY) == ()
    # A cue dates it too; without the article's date nothing can be resolved.
    assert occasion_days(None, quote, THURSDAY, cue="said Tuesday") == (date(2016, 9, 20),)
    assert occasion_days(said, quote, None) == ()


def test_two_reports_of_one_day_and_of_two_days() -> None:
    tuesday, monday = date(2016, 9, 20), date(2016, 9, 19)
    same = compare_occasions(Occasion(THURSDAY, (tuesday,)), Occasion(tuesday, (tuesday,)))
    assert same == ("same", "both dated 2016-09-20")
    assert compare_occasions(Occasion(THURSDAY, (tuesday,)), Occasion(tuesday, (monday,)))[0] == (
        "different"
    )
    # Words said on Tuesday cannot be in a report that appeared on Monday.
    assert compare_occasions(Occasion(THURSDAY, (tuesday,)), Occasion(monday))[0] == "different"
    assert compare_occasions(Occasion(THURSDAY, (monday,)), Occasion(tuesday)) == (None, "")
    assert compare_occasions(Occasion(None), Occasion(None)) == (None, "")


def test_a_post_and_an_interview_are_two_occasions() -> None:
    quote = "the mayor should resign"
    post = occasion_kinds(f"In a tweet on Sunday, Ruiz wrote {quote}.", quote)
    interview = occasion_kinds(f"Ruiz told reporters on Monday {quote}.", quote, cue="told")
    assert post == {"a post"} and interview == {"an interview"}
    verdict = compare_occasions(Occasion(None, kinds=post), Occasion(None, kinds=interview))
    assert verdict == ("different", "a post and an interview")
    # A report naming both kinds is no evidence against either.
    both = occasion_kinds(f"Ruiz told reporters, repeating a tweet, {quote}.", quote)
    assert compare_occasions(Occasion(None, kinds=both), Occasion(None, kinds=post)) == (None, "")
    # The words of the quote itself do not name its occasion.
    own = "my interview with the radio was a disaster"
    assert occasion_kinds(f"Ruiz said {own}.", own) == frozenset()


@pytest.mark.parametrize(
    ("cue", "repeated", "negated"),
    [
        ("said", False, False),
        (None, False, False),
        ("called again for", True, False),
        ("regularly pledges", True, False),
        ("once praised", True, False),
        ("has yet to endorse", False, True),
        ("refused to call", False, True),
        ("didn\u2019t mention", False, True),
    ],
)
def test_cue_marks(cue: str | None, repeated: bool, negated: bool) -> None:
    assert cue_marks(cue) == CueMarks(repeated=repeated, negated=negated)


def test_one_line_on_two_dated_occasions_is_two_statements() -> None:
    # A Sunday post and a Monday interview of one speaker, reported the same day in the same
    # words: each report dates its occasion, and the days differ.
    line = "the mayor should resign over the harbour contract"
    sunday = item(
        "a",
        line,
        speaker="Ana Ruiz",
        kind="direct",
        published=date(2024, 3, 4),
        context=f"In a post on Sunday, Ruiz wrote: {line}. Her allies agreed.",
    )
    monday = item(
        "b",
        line,
        speaker="Ruiz",
        kind="indirect",
        published=date(2024, 3, 4),
        context=f"Interviewed on Monday, Ruiz said again that {line}. The mayor declined.",
    )
    decision = same_utterance(sunday, monday)
    assert not decision.same
    assert "different occasions" in decision.reason and "2024-03-03" in decision.reason
    undated = replace(sunday, context=f"Ruiz wrote: {line}. Her allies agreed.")
    assert same_utterance(undated, monday).same


def test_a_report_of_words_not_said_is_not_the_statement() -> None:
    said = item(
        "a",
        "the re-election of the harbour board chair",
        speaker="Ana Ruiz",
        kind="indirect",
        cue="endorsed",
        published=date(2024, 3, 8),
    )
    unsaid = item(
        "b",
        "the harbour board chair's re-election bid",
        speaker="Ruiz",
        kind="indirect",
        cue="has yet to endorse",
        published=date(2024, 3, 6),
    )
    decision = same_utterance(said, unsaid)
    assert not decision.same and "not said" in decision.reason
    assert same_utterance(said, replace(unsaid, cue="endorsed")).same


def test_a_report_quoting_the_others_words_beside_its_own_is_the_same_passage() -> None:
    # Two sentences of one answer: each report quotes one; the second report also quotes the
    # first sentence right before its own.
    first = "how many times must families watch the harbour flood in this country"
    second = "the harbour plan needs an independent review before a single pier is built"
    a = item("a", first, speaker="Ana Ruiz", kind="direct", published=date(2024, 5, 6))
    b = item(
        "b",
        second,
        speaker="Ruiz",
        kind="direct",
        published=date(2024, 5, 7),
        context=f'"{first.capitalize()}?" Ruiz asked. "{second.capitalize()}," she added.',
    )
    decision = same_utterance(a, b)
    assert decision.same and "same passage" in decision.reason
    # Without the context the wording alone shares nothing.
    assert not same_utterance(a, replace(b, context=None)).same


def test_a_reporters_usual_swaps_count_as_the_same_words() -> None:
    # Two agencies put one pledge in their own words: "collaborate" for "cooperate",
    # "equitable" for "fairer", "relations" for "ties".
    a = item(
        "a",
        "cooperate closely with its neighbours to resist tariffs and build fairer trade ties",
        speaker="Ana Ruiz",
        kind="indirect",
    )
    b = item(
        "b",
        "to collaborate closely with the neighbours to oppose tariffs and build more equitable "
        "trade relations",
        speaker="Ruiz",
        kind="indirect",
    )
    assert profile(a.text).words <= profile(b.text).words
    assert same_utterance(a, b).same


def test_a_speaker_field_the_context_contradicts_is_not_another_speaker() -> None:
    # "He" resolved to the professor quoted next; the report itself gives the words to Comey.
    a = item(
        "a",
        "extremely careless",
        speaker="Stephen Vladeck",
        kind="direct",
        published=date(2016, 7, 5),
        context="James Comey's statement on Tuesday morning. He called her handling of "
        'sensitive information "extremely careless," and said any "reasonable person" knew.',
    )
    b = item(
        "b",
        "that Clinton was \u201cextremely careless\u201d with classified material",
        speaker="Comey",
        kind="mixed",
        published=date(2016, 7, 6),
        context="On Tuesday, Comey announced that Clinton was \u201cextremely careless\u201d "
        "with classified material.",
    )
    features = pair_features(a, b)
    assert features.speaker == "same" and features.speaker_from_context
    assert same_utterance(a, b).same
    # A context naming the professor keeps the two speakers apart.
    named = replace(
        a, context='Stephen Vladeck, a law professor, said it was "extremely careless."'
    )
    assert pair_features(named, b).speaker == "different"
    assert not same_utterance(named, b).same
    # A person named inside the quote is spoken of, not speaking.
    spoken_of = replace(
        a, text="Comey was extremely careless", context="He said Comey was extremely careless."
    )
    assert pair_features(spoken_of, b).speaker == "different"


def test_two_reports_sharing_a_passage_around_their_quotes_tell_one_moment() -> None:
    # One exchange on the radio: a quote in one report, its summary in the other; both quote
    # the same reply right after it.
    reply = '"No, I meant he is the founder of the harbour league," Ruiz responded.'
    a = item(
        "a",
        "last night you said the mayor was the founder of the harbour league",
        speaker="Tom Berg",
        kind="direct",
        published=date(2024, 5, 7),
        context='Berg pressed her. "Last night you said the mayor was the founder of the harbour '
        f'league," Berg said. {reply}',
    )
    b = item(
        "b",
        "that Ruiz simply meant the mayor's policies let the league grow",
        speaker="Berg",
        kind="indirect",
        published=date(2024, 5, 6),
        context="After Berg suggested that Ruiz simply meant the mayor's policies let the league "
        f"grow, she disagreed. {reply}",
    )
    decision = same_utterance(a, b)
    assert decision.same and "share a passage" in decision.reason
    assert not same_utterance(a, replace(b, context=None)).same
    # Another speaker's report with the same passage around it is not this statement.
    other = replace(b, speaker="Ana Ruiz")
    assert not same_utterance(a, other).same


def test_words_in_square_brackets_are_the_editors() -> None:
    assert normalize_quote("what the [censored] is going on") == "what the\x00is going on"
    direct = item(
        "a",
        "a total and complete shutdown of ferries until we can figure out what the [expletive] "
        "is going on",
        kind="direct",
        speaker="Ana Ruiz",
    )
    partial = item(
        "b",
        'she wants "a total and complete shutdown of ferries until we can figure out what is '
        'going on"',
        kind="mixed",
        speaker="Ruiz",
    )
    assert pair_features(direct, partial).quoted_match


def test_one_word_in_quote_marks_is_a_term_not_the_statement() -> None:
    # Two reports flag one word of a stance; the rest of their words differ.
    a = item("a", 'wants to be a "neutral" broker between the two parties', kind="mixed")
    b = item("b", 'to stay "neutral" in any vote on the harbour budget', kind="mixed")
    assert pair_features(a, b).text < 0.9


def test_a_verbatim_copy_is_one_statement_even_when_the_speakers_disagree() -> None:
    # Two copies of one article; "he" was resolved to a different person in each.
    text = "a measure to extend the harbour tax cuts against the wishes of the council"
    context = f"In 2010, he voted against {text}. He also gave a long speech."
    a = item("a", text, speaker="Tom Berg", kind="indirect", context=context)
    b = item("b", text, speaker="Ana Ruiz", kind="indirect", context=context)
    assert same_utterance(a, b).same
    assert not same_utterance(a, replace(b, context="Ruiz said " + text)).same


def test_a_recalled_phrase_inside_a_longer_statement_is_its_topic() -> None:
    longer = item(
        "a",
        "he would make an exception for the mayor in the event of a harbour toll",
        speaker="Tom Berg",
        kind="indirect",
        published=date(2024, 5, 16),
    )
    recalled = item(
        "b",
        "a harbour toll",
        speaker="Berg",
        kind="indirect",
        published=date(2024, 8, 10),
        cue="last year proposed",
        context="Berg last year proposed a harbour toll, citing costs.",
    )
    assert not same_utterance(longer, recalled).same
    again = replace(recalled, text="an exception for the mayor in the event of a harbour toll")
    assert same_utterance(longer, again).same


def test_two_apostrophes_are_quote_marks() -> None:
    # The New York Times' archive text writes ''...'' for quote marks.
    assert profile("he said ''we will win this'' on Friday").quoted is not None
    mixed = item("a", "that he ''would certainly implement'' a register", kind="indirect")
    direct = item(
        "b", "I would certainly implement that, absolutely", kind="direct", speaker="Berg"
    )
    assert pair_features(mixed, direct).quoted_match


texts = st.sampled_from(
    [
        LONG,
        "rebuild the harbour bridge before winter",
        "every ferry worker will keep a job",
        "the fuel tax stays where it is this year",
        "fuel tax stays",
    ]
)
contexts = st.sampled_from(
    [
        None,
        f"At a rally on Monday Ruiz said {LONG}. The crowd cheered.",
        "Interviewed yesterday, Ruiz added that every ferry worker will keep a job.",
        f'"Every ferry worker will keep a job," she said. Ruiz then said {LONG}.',
        "In a statement on Friday, Berg said the fuel tax stays where it is this year.",
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    texts,
    texts,
    st.sampled_from([None, "Ana Ruiz", "Ruiz", "Tom Berg"]),
    st.sampled_from([None, "Ana Ruiz", "Berg"]),
    contexts,
    contexts,
    st.sampled_from([None, "said", "called again for", "refused to say"]),
    st.sampled_from([None, date(2024, 3, 1), date(2024, 3, 4), date(2024, 9, 1)]),
)
def test_clustering_shortcuts_never_change_the_verdict(
    text_a: str,
    text_b: str,
    speaker_a: str | None,
    speaker_b: str | None,
    context_a: str | None,
    context_b: str | None,
    cue: str | None,
    day: date | None,
) -> None:
    # Clustering rules pairs out before measuring everything; it must agree with the judge.
    a = item("a", text_a, speaker=speaker_a, context=context_a, cue=cue, published=day)
    b = item("b", text_b, speaker=speaker_b, context=context_b, published=date(2024, 3, 2))
    fast = _decide(profile(text_a), profile(text_b), a, b, exact_score=False)
    assert fast.same == same_utterance(a, b).same


# --------------------------------------------------------------------------- clustering


def corpus() -> list[MatchItem]:
    return [
        item("n1", LONG, speaker="Ana Ruiz", doc="d1"),
        item("n2", "rebuild the harbour bridge before winter", speaker="Ruiz", doc="d2"),
        item(
            "n3",
            "We'll rebuild the harbour bridge ... every ferry worker will keep a job",
            speaker="Ana Ruiz",
            doc="d3",
        ),
        item("n4", "the tax on fuel stays where it is this year", speaker="Tom Berg", doc="d2"),
        item("n5", "the fuel tax stays where it is this year", speaker="Berg", doc="d4"),
        item("n6", "winter ferry jobs", doc="d5"),
    ]


def test_clusters_group_versions_and_keep_unrelated_apart() -> None:
    groups = {c.member_ids for c in cluster_quotes(corpus())}
    assert groups == {("n1", "n2", "n3"), ("n4", "n5"), ("n6",)}


def test_cluster_ids_are_stable_and_input_order_free() -> None:
    items = corpus()
    first = cluster_quotes(items)
    again = cluster_quotes(list(reversed(items)))
    assert first == again
    assert len({c.id for c in first}) == len(first)


def test_one_bridging_quote_does_not_chain_two_statements() -> None:
    items = [
        item("a1", "we will rebuild the harbour bridge before winter", kind="direct", doc="a"),
        item("b1", "the fuel tax stays where it is this year", kind="direct", doc="b"),
        # A reporter's summary of both lines: it matches each, but they are two statements.
        item(
            "c1",
            "rebuild the harbour bridge before winter and the fuel tax stays where it is",
            kind="indirect",
            doc="c",
        ),
    ]
    assert same_utterance(items[2], items[0]).same and same_utterance(items[2], items[1]).same
    for cluster in cluster_quotes(items):
        assert not {"a1", "b1"} <= set(cluster.member_ids)


def test_disjoint_fragments_of_one_statement_join_through_it() -> None:
    items = [
        item("f1", "rebuild the harbour bridge before winter", doc="a"),
        item("f2", "every ferry worker will keep a job", doc="b"),
        item("full", LONG, doc="c"),
    ]
    assert [c.member_ids for c in cluster_quotes(items)] == [("f1", "f2", "full")]


def test_two_quotes_of_one_article_join_only_when_near_identical() -> None:
    items = [
        item("x1", "rebuild the harbour bridge before winter", doc="x"),
        item("x2", LONG, doc="x"),
        item("x3", "rebuild the harbour bridge before winter!", doc="x"),
    ]
    groups = {c.member_ids for c in cluster_quotes(items)}
    assert ("x1", "x3") in groups and ("x2",) in groups


def test_duplicate_ids_are_an_input_error() -> None:
    with pytest.raises(InputError, match="twice"):
        cluster_quotes([item("a", "x y z"), item("a", "x y z")])


def _all_pairs_clusters(items: list[MatchItem]) -> set[tuple[str, ...]]:
    """What clustering gives when every pair is scored: the reference for blocking."""
    from quotes import match

    ordered = sorted(items, key=lambda i: i.id)
    profiles = [profile(i.text) for i in ordered]
    edges: list[tuple[float, int, int]] = []
    for low in range(len(ordered)):
        candidates = list(range(low + 1, len(ordered)))
        edges.extend(match._score_candidates(low, candidates, ordered, profiles))
    return {tuple(ordered[m].id for m in g) for g in match._merge(edges, ordered, profiles)}


def test_blocking_finds_every_version_that_all_pairs_would() -> None:
    statements = [
        "the port authority will double the night shift at the container terminal by june",
        "our farmers cannot wait another season for the irrigation canal to be repaired",
        "nobody on this council voted to close the children's library on saturdays",
    ]
    rng = random.Random(3)
    items: list[MatchItem] = []
    for s_index, text in enumerate(statements):
        words = text.split()
        versions = [
            text,
            " ".join(words[2:9]),  # a cut
            " ".join(words[:5]) + " ... " + " ".join(words[7:]),  # an ellipsis
            " ".join(w if i not in (3, 8) else "the" for i, w in enumerate(words)),  # swaps
            "that " + " ".join(w for w in words if rng.random() > 0.15),  # reported, trimmed
        ]
        items += [
            item(f"s{s_index}v{v}", version, speaker="Ana Ruiz", doc=f"d{s_index}{v}")
            for v, version in enumerate(versions)
        ]
    # One-word quotes find the longer quote holding their word (same speaker).
    items.append(item("w1", "irrigation", speaker="Ana Ruiz", doc="w"))
    # Unrelated quotes that share words with the statements.
    items += [
        item("u1", "the night bus will run on saturdays from june", doc="u1"),
        item("u2", "the canal museum reopens next season", doc="u2"),
    ]
    assert {c.member_ids for c in cluster_quotes(items)} == _all_pairs_clusters(items)
    grouped = {m: c.member_ids for c in cluster_quotes(items) for m in c.member_ids}
    assert len(grouped["s0v0"]) == 5 and len(grouped["s2v0"]) == 5
    assert "w1" in grouped["s1v0"]


def test_a_key_too_common_to_look_up_still_finds_verbatim_twins() -> None:
    # Seventy reports of one short line: its only key is held by too many quotes to be looked
    # up, and the copies still form one cluster.
    items = [item(f"t{i:02d}", "Exports grew strongly", doc=f"d{i}") for i in range(70)]
    items.append(item("other", "imports grew slowly", doc="x"))
    assert [c.member_ids for c in cluster_quotes(items)] == [
        ("other",),
        tuple(f"t{i:02d}" for i in range(70)),
    ]


phrases = st.sampled_from(
    [
        LONG,
        "rebuild the harbour bridge before winter",
        "the fuel tax stays where it is this year",
        "fuel tax stays",
        "every ferry worker will keep a job",
        "we do it",
        "harbour",
    ]
)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(phrases, st.sampled_from(["d1", "d2", "d3", None])), max_size=12),
    st.randoms(use_true_random=False),
)
def test_every_item_lands_in_exactly_one_cluster_whatever_the_order(
    rows: list[tuple[str, str | None]], rng: random.Random
) -> None:
    items = [item(f"q{i:02d}", text, doc=doc) for i, (text, doc) in enumerate(rows)]
    clusters = cluster_quotes(items)
    members = [m for c in clusters for m in c.member_ids]
    assert sorted(members) == sorted(i.id for i in items)
    shuffled = list(items)
    rng.shuffle(shuffled)
    assert cluster_quotes(shuffled) == clusters


# --------------------------------------------------------------------------- judge


def test_judge_pairs_uses_the_same_rule() -> None:
    lines = [
        json.dumps({"a": LONG, "b": "rebuild the harbour bridge before winter"}),
        "",
        json.dumps({"a": "winter ferry jobs", "b": LONG, "a_speaker": "Ruiz"}),
    ]
    results = list(judge_pairs(lines))
    assert [r["same"] for r in results] == [True, False]
    expected = same_utterance(
        item("a", LONG), item("b", "rebuild the harbour bridge before winter")
    )
    assert results[0]["score"] == expected.score


@pytest.mark.parametrize(
    ("line", "problem"),
    [("{not json", "not valid JSON"), ('["a", "b"]', "JSON object"), ('{"a": "x"}', "'b'")],
)
def test_judge_pairs_names_the_bad_line(line: str, problem: str) -> None:
    lines = [json.dumps({"a": "x y", "b": "x y"}), line]
    with pytest.raises(InputError) as error:
        list(judge_pairs(lines, source="pairs.jsonl"))
    assert "pairs.jsonl line 2" in str(error.value) and problem in str(error.value)


# --------------------------------------------------------------------------- seeds

# Hand-copied from seeds/00[1-3]_*.txt (the project's own sample articles).
SEED_ITEMS = [
    (
        "002",
        "Choe Son Hui",
        "mixed",
        "Kim\u2019s stance that advancing ties with China is Pyongyang\u2019s \u201cunwavering "
        "position,\u201d",
    ),
    (
        "003",
        "Choe Son Hui",
        "mixed",
        "Kim's directive that \"further bolstering ties with China is North Korea's unwavering "
        'position," vowing alignment with summit outcomes to foster "friendly ties."',
    ),
    (
        "002",
        "Wang Yi",
        "mixed",
        "Beijing opposes \u201call forms of hegemonism\u201d and is ready to work with North Korea",
    ),
    ("003", "Wang Yi", "direct", "all forms of hegemonism"),
    ("001", "Wang Yi", "indirect", "opposition to all forms of hegemonism"),
    (
        "002",
        "Choe Son Hui",
        "direct",
        "closely cooperate with China in multilateral affairs, jointly resist unilateralism and "
        "power politics, and promote a fairer world order.",
    ),
    (
        "003",
        "Choe Son Hui",
        "direct",
        "closely cooperate... to jointly resist unilateralism and power politics and promote a "
        "fairer and more just world order,",
    ),
    (
        "001",
        "North Korea",
        "indirect",
        "collaborate closely with China to resist unilateralism and advocate for a more equitable "
        "world order",
    ),
    (
        "002",
        "KCNA",
        "mixed",
        "Choe and Wang reached \u201ccomplete consensus\u201d on regional and international issues",
    ),
    ("003", None, "direct", "reached a complete consensus"),
    ("003", None, "scare", "hegemonism"),
    ("003", "Choe Son Hui", "indirect", "enhanced strategic dialogue on regional flashpoints"),
    (
        "002",
        "Wang Yi",
        "indirect",
        "Beijing is committed to consolidating relations, boosting strategic communications and "
        "exchanges",
    ),
]


def seed_context(doc: str, text: str) -> str:
    """About 200 characters around ``text`` in the seed article ``doc``, as the store gives."""
    article = next(SEEDS.glob(f"{doc}_*.txt")).read_text(encoding="utf-8")
    at = article.find(text[:30])
    assert at >= 0, (doc, text)
    return article[max(0, at - 100) : at + len(text) + 100]


def test_seed_statements_form_one_cluster_each() -> None:
    items = [
        MatchItem(
            f"s{n:02d}", text, speaker=speaker, kind=kind, doc=doc, context=seed_context(doc, text)
        )
        for n, (doc, speaker, kind, text) in enumerate(SEED_ITEMS)
    ]
    groups = {c.member_ids for c in cluster_quotes(items)}
    assert ("s00", "s01") in groups  # Choe: ties are North Korea's "unwavering position"
    assert ("s02", "s03", "s04") in groups  # Wang Yi: "all forms of hegemonism"
    assert ("s05", "s06", "s07") in groups  # Choe: a fairer world order, 001's paraphrase too
    # The rest stand alone: a scare quote, another statement by Choe, Wang's other line, and
    # the consensus line whose versions name no common speaker and share two quoted words.
    assert {("s10",), ("s11",), ("s12",)} <= groups


def test_the_strategic_communication_line_is_one_statement_in_three_wordings() -> None:
    # Wang Yi's line as three articles word it: "solidify bilateral ties", "consolidating
    # relations", "enhance bilateral relations" (a reporter's swaps of one pledge).
    versions = [
        (
            "003",
            "Wang",
            "mixed",
            'China\'s resolve to "solidify bilateral ties" through boosted exchanges',
        ),
        (
            "002",
            "Wang",
            "indirect",
            "Beijing is committed to consolidating relations, boosting strategic communications "
            "and exchanges",
        ),
        (
            "001",
            "Wang Yi",
            "indirect",
            "the necessity of strategic communications and exchanges to enhance bilateral "
            "relations",
        ),
    ]
    items = [
        MatchItem(
            f"w{n}", text, speaker=speaker, kind=kind, doc=doc, context=seed_context(doc, text)
        )
        for n, (doc, speaker, kind, text) in enumerate(versions)
    ]
    assert [c.member_ids for c in cluster_quotes(items)] == [("w0", "w1", "w2")]


@pytest.mark.slow
def test_seed_articles_through_extraction() -> None:
    # Runs the real extraction stage and gives the matcher what the store gives: speaker, kind,
    # cue and about 200 characters of context. Written against statements, not exact spans (the
    # extraction engine changes).
    extract = pytest.importorskip("quotes.extract")
    items = []
    for path in sorted(SEEDS.glob("*.txt")):
        doc, article = path.name[:3], path.read_text(encoding="utf-8")
        for n, quote in enumerate(extract.extract_text(article, doc_id=doc)):
            context = article[max(0, quote.start - 100) : quote.end + 100]
            items.append(
                MatchItem(
                    f"{doc}-{n:02d}",
                    quote.text,
                    speaker=quote.speaker,
                    kind=quote.kind,
                    doc=doc,
                    cue=quote.cue,
                    context=context,
                )
            )
    text_of = {i.id: i.text for i in items}
    clusters = cluster_quotes(items)
    for phrase, mark in [
        ("unwavering position", "unwavering"),
        ("all forms of hegemonism", "hegemonism"),
        ("world order", "unilateralism"),
    ]:
        carrying = {i.id for i in items if phrase in i.text and i.kind != "scare"}
        docs = {m[:3] for m in carrying}
        assert len(docs) >= 2, f"extraction found {phrase!r} in fewer than two articles"
        best = max(clusters, key=lambda c: len(carrying & set(c.member_ids)))
        # One statement spans every article whose extracted quotes carry it...
        assert {m[:3] for m in best.member_ids} >= docs, (phrase, best, sorted(carrying))
        # ...and nothing unrelated joins it.
        assert all(mark in text_of[m] for m in best.member_ids), [
            text_of[m] for m in best.member_ids
        ]
