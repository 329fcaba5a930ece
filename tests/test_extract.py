"""Quote extraction on hand-written sentences, through the real pipeline (bundled models)."""

from __future__ import annotations

import pytest

from quotes.extract import (
    extract_text,
    find_quote_marks,
    format_table,
    needs_parse,
    simple_parse,
)
from quotes.extraction import extract_quotes
from quotes.records import ParsedDoc, Quote, Sentence, Token


def quotes_of(text: str) -> list[Quote]:
    """The quotes of ``text`` through the real pipeline (bundled models), offsets checked."""
    found = extract_text(text, doc_id="t")
    for quote in found:
        assert text[quote.start : quote.end] == quote.text
        for start, end in quote.spans:
            assert quote.start <= start < end <= quote.end
    return found


def only(found: list[Quote], kind: str) -> Quote:
    matching = [q for q in found if q.kind == kind]
    assert len(matching) == 1, found
    return matching[0]


def single(text: str, kind: str) -> Quote:
    """The one quote of ``kind`` the pipeline finds in ``text``."""
    return only(quotes_of(text), kind)


def test_direct_quote_with_curly_marks_and_trailing_attribution() -> None:
    found = quotes_of("“The bridge will open in May,” the mayor said.")
    quote = only(found, "direct")
    assert quote.text == "The bridge will open in May"
    assert quote.speaker_mention == "the mayor"
    assert quote.cue == "said"
    assert quote.speaker_type == "person"


def test_direct_quote_with_straight_marks_and_inverted_attribution() -> None:
    text = '"Prices keep rising," said Maria Okafor, a baker in Lagos.'
    quote = only(quotes_of(text), "direct")
    assert quote.text == "Prices keep rising"
    assert quote.speaker == "Maria Okafor"
    assert "Maria Okafor" in (quote.speaker_mention or "")


def test_attribution_before_colon() -> None:
    text = 'The coach told the team: "Nobody leaves before the final whistle."'
    quote = only(quotes_of(text), "direct")
    assert quote.text == "Nobody leaves before the final whistle."
    assert quote.speaker_mention == "The coach"
    assert quote.cue == "told"


def test_split_quote_is_one_quote_with_two_spans() -> None:
    text = "“We tried everything,” she said, “and the pump still failed.”"
    quote = only(quotes_of(text), "direct")
    assert len(quote.spans) == 2
    first, second = (text[s:e] for s, e in quote.spans)
    assert first == "We tried everything"
    assert second == "and the pump still failed."
    assert quote.speaker_mention == "she"


def test_quote_over_several_paragraphs_is_one_quote() -> None:
    text = (
        "Ravi Menon said: “The harvest was poor this year.\n"
        "“Next year we plant earlier and hope for rain.”\n"
        "The market closed early."
    )
    quote = only(quotes_of(text), "direct")
    assert len(quote.spans) == 2
    assert quote.text.startswith("The harvest")
    assert quote.text.endswith("hope for rain.")
    assert quote.speaker == "Ravi Menon"


def test_quote_inside_quote_stays_in_content() -> None:
    text = "“He just said ‘no’ and left,” the clerk recalled."
    quote = only(quotes_of(text), "direct")
    assert quote.text == "He just said ‘no’ and left"


def test_mixed_quote_takes_the_whole_reported_clause() -> None:
    text = "The envoy said that the deal was “a fragile first step” toward peace."
    quote = only(quotes_of(text), "mixed")
    # The complementizer belongs to the reported clause, as attribution corpora annotate it.
    assert quote.text == "that the deal was “a fragile first step” toward peace"
    assert quote.speaker_mention == "The envoy"


def test_indirect_speech_with_that() -> None:
    quote = only(quotes_of("Olsen warned that the dam could fail within weeks."), "indirect")
    assert quote.text == "that the dam could fail within weeks"
    assert quote.cue == "warned"
    assert quote.speaker == "Olsen"


def test_indirect_speech_cue_after_clause() -> None:
    text = "The new rules will cut waiting times in half, the minister said on Tuesday."
    quote = only(quotes_of(text), "indirect")
    assert quote.text == "The new rules will cut waiting times in half"
    assert quote.speaker_mention == "the minister"


def test_according_to_a_person() -> None:
    text = "According to Dana Whitfield, the factory will reopen next spring."
    quote = only(quotes_of(text), "indirect")
    assert quote.text == "the factory will reopen next spring"
    assert quote.speaker == "Dana Whitfield"
    assert quote.cue == "According to"


def test_expressed_willingness_is_a_cue() -> None:
    text = "Portugal expressed willingness to host the next round of talks."
    quote = only(quotes_of(text), "indirect")
    assert quote.cue == "expressed willingness"
    assert quote.speaker == "Portugal"
    assert quote.speaker_type == "country"


def test_possessive_speech_noun() -> None:
    text = "Critics welcomed Ana Ruiz’s declaration of support for the striking nurses."
    found = [q for q in quotes_of(text) if q.cue == "declaration"]
    assert len(found) == 1
    assert found[0].speaker == "Ana Ruiz"
    assert found[0].text == "support for the striking nurses"


def test_outlet_quoted_as_saying() -> None:
    text = "Reuters quoted Tomas Berg as saying that the merger would be delayed."
    quote = only(quotes_of(text), "indirect")
    assert quote.speaker == "Tomas Berg"
    assert quote.outlet == "Reuters"
    assert quote.text == "that the merger would be delayed"


def test_outlet_only_attribution_makes_the_outlet_the_speaker() -> None:
    quote = only(quotes_of("Yonhap reported that the border crossing was closed."), "indirect")
    assert quote.speaker == "Yonhap"
    assert quote.speaker_type == "outlet"
    assert quote.outlet == "Yonhap"


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        ("The talks went well, Kowalski said, per Xinhua.", "Xinhua"),
        ("Kowalski said the talks went well, as stated in AP News.", "AP"),
        ("Kowalski told the Associated Press that the talks went well.", "AP"),
        ("Kowalski said the talks went well, according to the Korean Central News Agency.", "KCNA"),
    ],
)
def test_outlet_credits(text: str, outlet: str) -> None:
    found = [q for q in quotes_of(text) if q.kind != "scare"]
    assert found and all(q.outlet == outlet for q in found)
    assert any(q.speaker == "Kowalski" for q in found)


def test_pronoun_resolves_to_the_fullest_name() -> None:
    text = (
        "Foreign Minister Ingrid Haldorsen arrived on Monday. "
        "Haldorsen said the visit was overdue. "
        "“We have waited long enough,” she said."
    )
    found = quotes_of(text)
    assert [q.speaker for q in found] == ["Ingrid Haldorsen", "Ingrid Haldorsen"]
    assert all(q.role == "Foreign Minister" for q in found)


def test_scare_quote_has_no_speaker() -> None:
    quote = only(quotes_of("The so-called “reform” changed little for renters."), "scare")
    assert quote.text == "reform"
    assert quote.speaker is None


def test_unbalanced_quote_mark_does_not_swallow_the_article() -> None:
    text = "“This one never closes, the writer typed.\nLiu said the next paragraph is fine."
    found = quotes_of(text)
    assert any(q.issues == ("unclosed quote mark",) for q in found)
    indirect = only(found, "indirect")
    assert indirect.text == "the next paragraph is fine"


def test_related_link_headlines_and_also_read_lines_give_no_quote() -> None:
    text = (
        "Okoro said the port reopened.\n"
        "Minister announces new tariffs on steel and grain\n"
        "Also Read: Senator says “no deal” on budget\n"
        "Trade resumed on Friday."
    )
    found = quotes_of(text)
    assert [q.text for q in found] == ["the port reopened"]


def test_quotes_sorted_by_start() -> None:
    text = "“First,” Amy said. Ben said the second came later. “Third one here,” Cal added."
    found = quotes_of(text)
    assert [q.start for q in found] == sorted(q.start for q in found)
    assert len(found) == 3


def test_dependency_subject_is_used_when_parsed() -> None:
    # "The retired judge from Ohio said taxes rose sharply ." with a hand-made parse.
    words = ["The", "retired", "judge", "from", "Ohio", "said", "taxes", "rose", "sharply", "."]
    heads = [2, 2, 5, 4, 2, -1, 7, 5, 7, 5]
    rels = ["det", "amod", "nsubj", "case", "nmod", "root", "nsubj", "ccomp", "advmod", "punct"]
    upos = ["DET", "ADJ", "NOUN", "ADP", "PROPN", "VERB", "NOUN", "VERB", "ADV", "PUNCT"]
    text = " ".join(words[:-1]) + "."
    tokens, offset = [], 0
    for i, word in enumerate(words):
        start = text.index(word, offset)
        offset = start + len(word)
        lemma = "say" if word == "said" else word.lower()
        tokens.append(Token(i, word, start, offset, upos[i], None, lemma, None, heads[i], rels[i]))
    doc = ParsedDoc(text, (Sentence(0, 0, len(text), tuple(tokens), parsed=True),))
    quote = only(extract_quotes(doc, doc_id="p"), "indirect")
    assert quote.speaker_mention == "The retired judge from Ohio"
    assert quote.text == "taxes rose sharply"


def test_find_quote_marks_continues_reopened_paragraph() -> None:
    text = "“One.\n“Two.”"
    spans = find_quote_marks(text)
    assert len(spans) == 1
    assert [text[s:e] for s, e in spans[0].pieces] == ["One.", "Two."]


def test_two_apostrophes_count_as_a_quote_mark() -> None:
    quote = only(quotes_of("''The vote is final,'' Mr. Haas said."), "direct")
    assert quote.text == "The vote is final"


def test_needs_parse_keeps_the_sentences_that_can_hold_a_quote() -> None:
    # Rewritten for the staged engine: the old ``is_candidate_sentence`` filter is gone, and
    # ``needs_parse`` now selects the sentences the parser must read.
    cases = {
        "She added that it rained.": True,
        "It was “odd”.": True,
        "The rise, according to the bank, is temporary.": True,
        "The river flooded the valley in April.": False,
    }
    for text, expected in cases.items():
        doc = simple_parse(text)
        assert [needs_parse(text, s.tokens) for s in doc.sentences] == [expected], text


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("“The bridge stays shut for a week,” Ortega told reporters.", "Ortega"),
        ("“Who pays for the repairs?” asked Councillor Dunne.", "Councillor Dunne"),
        ("“Not again, not this year!” shouted the mayor.", "the mayor"),
        ("“Who pays for the repairs?” Dunne asked.", "Dunne"),
    ],
)
def test_an_attribution_after_a_quote_ending_in_a_stop_is_its_speaker(
    text: str, speaker: str
) -> None:
    # The tokenizer may end a sentence at "?”" or "!”"; the attribution still belongs.
    assert only(quotes_of(text), "direct").speaker_mention == speaker


def test_a_quoted_question_ending_a_sentence_stays_apart() -> None:
    text = "Residents asked: “Who pays for the repairs?” The council met on Monday."
    found = quotes_of(text)
    assert [(q.kind, q.speaker_mention) for q in found] == [("direct", "Residents")]


def test_needs_parse_only_where_a_sentence_can_hold_an_attribution() -> None:
    text = (
        "The storm hit at night. Officials said the roads were closed. It was “odd”. "
        "The county road officials said the bridge was shut."
    )
    doc = simple_parse(text)
    # Rewritten for the staged engine, which reads every attribution from the parse: no frame,
    # no parse; a reporting word or a quote mark, a parse.
    assert [needs_parse(text, s.tokens) for s in doc.sentences] == [False, True, True, True]


def test_format_table_lists_every_quote() -> None:
    found = quotes_of("Olsen warned that the dam could fail.")
    table = format_table(found)
    header = ["doc", "kind", "speaker", "outlet", "cue", "conf", "text"]
    assert table.splitlines()[0].split() == header
    assert "Olsen" in table and "warned" in table


def test_empty_text_has_no_quotes() -> None:
    assert extract_quotes(ParsedDoc(text="", sentences=()), doc_id="e") == []


def test_inverted_attribution_with_a_long_lower_case_speaker() -> None:
    text = (
        "“The levee held better than we feared,” said the deputy head of the county water "
        "board. “Next year we rebuild it.”"
    )
    quote = only(quotes_of(text), "direct")
    assert quote.speaker_mention == "the deputy head of the county water board"
    assert [text[s:e] for s, e in quote.spans] == [
        "The levee held better than we feared",
        "Next year we rebuild it.",
    ]


def test_a_title_abbreviation_does_not_end_the_attribution_sentence() -> None:
    text = (
        "“The clinic reopens on Monday,” said Anna Park, a nurse who has worked with Dr. Osei "
        "for a decade. “We missed our patients.”"
    )
    quote = only(quotes_of(text), "direct")
    assert quote.speaker == "Anna Park"
    assert len(quote.spans) == 2


def test_speaker_with_party_bracket_and_appositive() -> None:
    text = (
        "Sen. Mara Quint (R-Ida.), head of the farm caucus, said that the bill was "
        "“dead on arrival”."
    )
    quote = single(text, "mixed")
    assert quote.speaker_mention is not None
    assert quote.speaker_mention.startswith("Sen. Mara Quint (R-Ida.)")


def test_trailing_attribution_with_a_long_time_and_place() -> None:
    text = (
        "“We have reopened the ferry,” Ortiz said at a briefing for reporters at the harbour "
        "office on Tuesday morning."
    )
    assert only(quotes_of(text), "direct").speaker_mention == "Ortiz"


def test_title_abbreviation_split_from_its_name_by_the_tokenizer() -> None:
    text = "''The ferry runs again from Friday,'' Ms. Ortiz said."
    assert only(quotes_of(text), "direct").speaker_mention == "Ms. Ortiz"


def test_inverted_attribution_with_a_former_title() -> None:
    text = "“We rebuilt the pier in a year,” said former harbour master Ines Vale."
    assert only(quotes_of(text), "direct").speaker_mention == "former harbour master Ines Vale"


def test_a_participle_adds_to_the_earlier_speaker() -> None:
    text = "The budget will pass, Varga said on the radio, adding, “Nobody wants another shutdown.”"
    quote = only(quotes_of(text), "direct")
    assert (quote.speaker_mention, quote.cue) == ("Varga", "adding")


def test_said_of_after_a_quoted_question() -> None:
    text = "“Why would anyone build there?” Okafor said of the plan to pave the wetland."
    assert only(quotes_of(text), "direct").speaker_mention == "Okafor"


def test_told_a_long_listener_after_the_quote() -> None:
    text = "“The harvest was early,” Mr. Lund told a briefing near the end of the annual fair."
    quote = only(quotes_of(text), "direct")
    assert (quote.speaker_mention, quote.cue) == ("Mr. Lund", "told")


def test_mention_cut_short_by_a_verb_like_word_reaches_back_to_the_quote() -> None:
    text = "“Bravo,” former city planning director Ada Moss wrote to the council on Friday."
    assert only(quotes_of(text), "direct").speaker_mention == (
        "former city planning director Ada Moss"
    )


def test_inverted_attribution_naming_an_activist() -> None:
    text = "“It is the best role he ever had,” said conservative activist Rob Kalus."
    assert only(quotes_of(text), "direct").speaker_mention == "conservative activist Rob Kalus"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("As the mayor put it, “The river always wins.”", "the mayor"),
        ("The mayor put it plainly: “The river wins.”", "The mayor"),
    ],
)
def test_put_it_is_a_reporting_cue(text: str, speaker: str) -> None:
    quote = single(text, "direct")
    assert (quote.speaker_mention, quote.cue) == (speaker, "put it")


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Okoro on Friday described the new levy as a tax on farmers.", "Okoro"),
        ("Okoro last week warned that the levy would hurt farmers.", "Okoro"),
    ],
)
def test_time_adverbial_between_speaker_and_cue(text: str, speaker: str) -> None:
    assert [q.speaker_mention for q in quotes_of(text)] == [speaker]


def test_time_after_the_cue_stays_out_of_the_content() -> None:
    quote = only(quotes_of("Okoro said Tuesday that the levy would hurt farmers."), "indirect")
    assert quote.text == "that the levy would hurt farmers"


def test_an_attitude_inside_a_report_is_not_a_second_quote() -> None:
    found = quotes_of("Okoro said that the farmers rejected the levy outright.")
    assert [(q.speaker_mention, q.cue) for q in found] == [("Okoro", "said")]


def test_participle_after_an_opening_phrase() -> None:
    text = "At the harvest fair, Okoro compared the levy to a toll, saying it hurt everyone."
    quote = next(q for q in quotes_of(text) if q.cue == "saying")
    assert quote.speaker_mention == "Okoro"


def test_second_verb_of_a_coordination_reports_for_the_same_subject() -> None:
    text = "Mendes admitted she had known and said, “The whole town knew about the leak.”"
    found = quotes_of(text)
    assert [(q.kind, q.speaker_mention, q.cue, q.text) for q in found] == [
        ("indirect", "Mendes", "admitted", "she had known"),
        ("direct", "Mendes", "said", "The whole town knew about the leak."),
    ]


def test_headline_in_title_case_has_a_cue() -> None:
    text = "Mayor Ruiz Says Bridge Tolls Will Double Next Year\n\nThe council meets on Monday."
    quote = only(quotes_of(text), "indirect")
    assert (quote.speaker_mention, quote.cue) == ("Mayor Ruiz", "Says")


def test_reporting_word_inside_a_hyphenated_compound_is_no_cue() -> None:
    text = "The self-described reformers of the so-called green caucus met on Monday."
    assert quotes_of(text) == []


def test_participle_takes_the_subject_of_the_last_coordinated_clause() -> None:
    text = (
        "Farmers marched on the capital, and the growers union sued the state, saying the "
        "levy broke the law."
    )
    quote = next(q for q in quotes_of(text) if q.cue == "saying")
    assert quote.speaker_mention == "the growers union"


def test_closing_quote_typed_as_an_opening_one() -> None:
    text = "“The lock is broken,“ said Ines Roca, the keeper. “Nobody fixed it all winter.”"
    quote = single(text, "direct")
    assert quote.speaker == "Ines Roca"
    assert [text[s:e] for s, e in quote.spans] == [
        "The lock is broken",
        "Nobody fixed it all winter.",
    ]
    assert "closing quote mark written as an opening one" in quote.issues


def test_sentence_initial_inverted_attribution() -> None:
    text = "The gate stayed shut. Said Roca, “We will open it when the river drops.”"
    quote = single(text, "direct")
    assert (quote.speaker_mention, quote.cue) == ("Roca", "Said")


def test_less_common_reporting_verbs_after_a_quote() -> None:
    text = "“They never learn from the floods,” scoffed Ana Gil, who founded the skate club."
    assert only(quotes_of(text), "direct").speaker_mention == "Ana Gil"


def test_a_quoted_title_is_not_speech() -> None:
    text = "She hosted the program “State of the Union With Jake Tapper” for years."
    assert [q.kind for q in quotes_of(text)] == ["scare"]
    text = "“We will not wait another year for the bridge,” the mayor said on Sunday."
    assert [q.kind for q in quotes_of(text)] == ["direct"]


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        (
            "Still, she said, the council must decide who pays.",
            "she",
            "the council must decide who pays",
        ),
        ("About 9 percent said they had no preference.", "9 percent", "they had no preference"),
        ("Almost half said they wanted an outsider.", "Almost half", "they wanted an outsider"),
    ],
)
def test_parenthetical_and_quantity_speakers(text: str, speaker: str, content: str) -> None:
    quote = only(quotes_of(text), "indirect")
    assert (quote.speaker_mention, quote.text) == (speaker, content)


def test_relative_clause_speaker_resolves_to_its_antecedent() -> None:
    text = "The pact was signed by Labor Secretary Tom Perez, who said the strike would end soon."
    quote = only(quotes_of(text), "indirect")
    assert quote.speaker_mention == "Labor Secretary Tom Perez"
    assert (quote.speaker, quote.role) == ("Tom Perez", "Labor Secretary")


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "Mara Quint: “The Farm Bill Is Dead On Arrival.”\n\nThe senator spoke on Monday.",
            "Mara Quint",
        ),
        ("Growers agree - Ada Moss: “The levy will ruin the small farms first.”", "Ada Moss"),
    ],
)
def test_name_and_colon_before_a_quote(text: str, speaker: str) -> None:
    quote = single(text, "direct")
    assert (quote.speaker_mention, quote.cue) == (speaker, ":")


def test_a_colon_after_a_common_phrase_names_no_speaker() -> None:
    text = "Transcript as follows: “We arrived in Cleveland and went to a diner.”"
    assert single(text, "direct").speaker is None


def test_a_document_that_reports() -> None:
    text = "“Farm incomes fell for the third year,” the report concluded."
    assert only(quotes_of(text), "direct").speaker_mention == "the report"


def test_a_participle_after_a_closing_quote_ends_the_content() -> None:
    text = "Okoro said the levy was “a tax on farmers,” adding that it would be repealed."
    first = quotes_of(text)[0]
    assert first.text == "the levy was “a tax on farmers,”"


def test_a_plural_possessive_apostrophe_is_not_a_quote_mark() -> None:
    # The tokenizer splits "Ortegas’" as the treebanks do; the lone mark must not stop the subject.
    text = "The Ortegas’ lawyer repeated demands to reopen the harbour by spring."
    quote = single(text, "indirect")
    assert (quote.speaker_mention, quote.cue) == ("The Ortegas’ lawyer", "repeated")


def test_a_long_participle_aside_with_a_possessive_still_reaches_the_subject() -> None:
    text = (
        "Fans, angry about the delay between the final whistle and the referee's late decision, "
        'shouted, "Replay it now!"'
    )
    quote = single(text, "direct")
    assert (quote.speaker_mention, quote.cue, quote.text) == ("Fans", "shouted", "Replay it now!")


def test_a_reporting_noun_after_a_preposition_is_not_a_cue_with_a_speaker() -> None:
    text = "Despite the fierce press attacks, Moreno said the budget was sound."
    found = quotes_of(text)
    assert [(q.speaker_mention, q.cue) for q in found] == [("Moreno", "said")]


def test_a_lead_in_ending_in_a_colon_starts_a_new_quote() -> None:
    text = (
        "“The bridge will open in May,” Okoro said.\n\n"
        "She then turned to the waiting crowd again: “And the tolls go on the same day.”"
    )
    found = quotes_of(text)
    assert [(q.text, q.speaker_mention, q.cue) for q in found] == [
        ("The bridge will open in May", "Okoro", "said"),
        ("And the tolls go on the same day.", "She", "turned"),
    ]
    assert found[1].speaker == "Okoro"


def test_a_quote_reopened_after_its_attribution_still_continues() -> None:
    text = "“The bridge will open in May,” Okoro said. “The tolls come later.”"
    quote = single(text, "direct")
    assert [text[a:b] for a, b in quote.spans] == [
        "The bridge will open in May",
        "The tolls come later.",
    ]


def test_an_opener_before_the_speaker_does_not_hide_the_clause_after_that() -> None:
    text = "Asked about the levy, Ms. Okoro said on Friday that the harbour would stay open."
    quote = single(text, "indirect")
    assert (quote.text, quote.speaker_mention) == ("that the harbour would stay open", "Ms. Okoro")


def test_a_short_quote_right_after_a_speech_verb_is_speech_not_a_scare_quote() -> None:
    said = quotes_of("She closed the meeting by saying “See you soon.”")
    chanted = quotes_of("Some dockers chanted “Not one ship!”")
    borrowed = quotes_of("The so-called “green levy” was dropped.")
    assert [q.kind for q in said] == ["direct"]
    assert [(q.kind, q.speaker_mention, q.cue) for q in chanted] == [
        ("direct", "Some dockers", "chanted")
    ]
    assert [q.kind for q in borrowed] == ["scare"]


def test_a_weak_verb_right_before_a_quote_reports_it() -> None:
    text = "“The port is safe,” Okoro said.\n\nHe continued, “Nobody has been hurt.”"
    found = quotes_of(text)
    assert [(q.speaker, q.cue) for q in found] == [("Okoro", "said"), ("Okoro", "continued")]


def test_whoever_issues_a_statement_speaks_through_it() -> None:
    text = 'Ruiz issued a statement saying the levy "has no place in this city."'
    quote = single(text, "mixed")
    assert (quote.speaker_mention, quote.cue) == ("Ruiz", "saying")
    alone = quotes_of("The statement said the levy was unfair.")
    assert [q.speaker_mention for q in alone] == ["The statement"]


def test_a_clause_ends_where_a_quote_with_its_own_attribution_begins() -> None:
    text = (
        "Okoro hinted that the plan was rushed - “We need to see the details,” she said - "
        "and warned that it would fail."
    )
    found = quotes_of(text)
    assert [(q.kind, q.text, q.cue) for q in found] == [
        ("indirect", "that the plan was rushed", "hinted"),
        ("direct", "We need to see the details", "said"),
        ("indirect", "that it would fail", "warned"),
    ]


def test_a_quote_signed_on_the_next_line_is_attributed_to_the_signature() -> None:
    text = 'The mayor spoke last.\n\n"We rebuild the harbour before winter."\n\n- Ann Okoro'
    quote = single(text, "direct")
    assert quote.text == "We rebuild the harbour before winter."
    assert quote.speaker_mention == "Ann Okoro"


def test_reassuring_someone_reports_speech() -> None:
    text = '"Your shop is safe," Ruiz assured the owners.'
    quote = single(text, "direct")
    assert (quote.speaker_mention, quote.cue) == ("Ruiz", "assured")


def test_calling_someone_a_quoted_name_is_an_attribution() -> None:
    text = 'Okoro rounded on the council, calling its leader a "harbour pirate."'
    quote = single(text, "mixed")
    assert quote.text == 'its leader a "harbour pirate."'
    assert (quote.speaker_mention, quote.cue) == ("Okoro", "calling")
    hailed = 'Ruiz hailed the ferry deal as "a fine day for the island."'
    quote = only(quotes_of(hailed), "mixed")
    assert (quote.text, quote.speaker_mention) == (
        'the ferry deal as "a fine day for the island."',
        "Ruiz",
    )


def test_a_thing_called_by_name_has_no_speaker() -> None:
    text = 'The island runs a ferry called "Sea Lark" and a bus called "Blue".'
    assert not [q for q in quotes_of(text) if q.kind != "scare"]


def test_a_long_appositive_with_a_relative_clause_ends_at_its_comma() -> None:
    text = (
        "Ann Okoro, a harbour pilot whose family has worked the port for four generations "
        "and who trains the new crews every spring, said the channel was too shallow."
    )
    quote = single(text, "indirect")
    assert quote.speaker_mention.startswith("Ann Okoro")
    assert quote.text == "the channel was too shallow"


def test_a_long_subject_opening_the_clause_speaks() -> None:
    text = "The longtime harbour master and former ferry captain said the storm had passed."
    quote = single(text, "indirect")
    assert quote.speaker_mention == "The longtime harbour master and former ferry captain"


def test_participles_after_a_quoted_comma_or_by_report() -> None:
    text = 'Okoro mocked the "expert," saying, "He has never sailed."'
    quote = single(text, "direct")
    assert (quote.speaker_mention, quote.cue) == ("Okoro", "saying")
    text = 'Ruiz answered by saying, "The ferry runs on time."'
    quote = single(text, "direct")
    assert (quote.speaker_mention, quote.cue) == ("Ruiz", "saying")


def test_going_on_to_say_keeps_the_subject() -> None:
    text = "Okoro went on to say the council had ignored the fishermen."
    quote = single(text, "indirect")
    assert (quote.speaker_mention, quote.cue) == ("Okoro", "say")
    refused = "The clerk was too busy to say whether the harbour was open."
    assert quotes_of(refused) == []


def test_an_opening_phrase_before_a_lead_in_colon_is_skipped() -> None:
    text = 'At the harbour that evening, Okoro went further: "The council has failed us."'
    quote = single(text, "direct")
    assert quote.speaker_mention == "Okoro"


def test_a_phrase_of_the_saying_before_the_quote_is_not_content() -> None:
    text = 'Ruiz declared at the town hall, "The ferry will run all winter."'
    quote = single(text, "direct")
    assert quote.text == "The ferry will run all winter."


def test_a_title_between_two_quotes_does_not_break_the_speaker() -> None:
    text = (
        '"The nets were empty," Okoro told the "Harbour Hour" show. "We could not pay the crews."'
    )
    quote = single(text, "direct")
    assert quote.speaker_mention == "Okoro"
    assert [text[s:e] for s, e in quote.spans] == [
        "The nets were empty",
        "We could not pay the crews.",
    ]


def test_a_quote_right_after_a_report_is_the_reporter_s() -> None:
    text = 'Okoro added that the council would wait. "They never decide before spring."'
    found = quotes_of(text)
    assert [(q.kind, q.speaker_mention) for q in found] == [
        ("indirect", "Okoro"),
        ("direct", "Okoro"),
    ]


def test_titles_and_possessives_in_speaker_phrases() -> None:
    text = '"We expect calm seas," said former secretary of state Ann Okoro, who visited.'
    quote = single(text, "direct")
    assert quote.speaker_mention == "former secretary of state Ann Okoro"
    text = '"No ship was lost," Okoro\'s office said in a statement.'
    quote = single(text, "direct")
    assert quote.speaker_mention == "Okoro's office"


def test_an_opening_phrase_is_not_the_subject_of_a_participle() -> None:
    text = 'Hours later, Okoro answered the mayor, saying: "We sail at dawn."'
    quote = single(text, "direct")
    assert quote.speaker_mention == "Okoro"
    text = 'PORTLAND - Ann Okoro thanked the crews, saying: "We sail at dawn."'
    quote = single(text, "direct")
    assert quote.speaker_mention == "Ann Okoro"


def test_a_reporting_word_after_an_indefinite_article_is_a_noun() -> None:
    text = 'Okoro delivered a sharp retort: "The harbour is not for sale."'
    quote = single(text, "direct")
    assert (quote.speaker_mention, quote.cue) != ("a sharp", "retort")


def test_an_appositive_between_dashes_belongs_to_the_mention() -> None:
    text = "Okoro -- who ran the port for a decade -- said the council had waited too long."
    quote = single(text, "indirect")
    assert quote.speaker_mention.startswith("Okoro")
    assert quote.text == "the council had waited too long"


def test_where_it_was_said_is_not_part_of_the_content() -> None:
    text = "Okoro said in a statement on Friday that the ferry would run all winter."
    quote = single(text, "indirect")
    assert quote.text == "that the ferry would run all winter"


def test_a_quote_after_that_is_reported_speech_with_its_complementizer() -> None:
    text = 'Okoro said that "the harbour will be dredged by May."'
    quote = single(text, "mixed")
    assert quote.text == 'that "the harbour will be dredged by May."'


def test_a_quoted_name_ends_before_the_next_clause() -> None:
    text = 'Ruiz praised the crew, calling its pilot "a born sailor" and moving on to the budget.'
    quote = single(text, "mixed")
    assert (quote.text, quote.speaker_mention) == ('its pilot "a born sailor"', "Ruiz")


def test_a_lead_in_with_an_auxiliary_or_a_conjunction_introduces_the_quote() -> None:
    text = 'Okoro has since apologized for the delay: "We should have warned the crews."'
    quote = single(text, "direct")
    assert (quote.speaker_mention, quote.cue) == ("Okoro", "apologized")
    text = 'And she is sure the port will reopen: "The dredgers arrive on Monday."'
    quote = single(text, "direct")
    assert quote.speaker_mention == "she"


def test_a_paragraph_ending_in_a_colon_introduces_the_next_paragraph_s_quote() -> None:
    text = (
        "The Harbour Gazette confirmed the closure, reporting:\n\n"
        '"The port will stay shut until the storm has passed."'
    )
    quote = single(text, "direct")
    assert quote.speaker_mention == "The Harbour Gazette"
    text = 'Ruiz has since apologized:\n\n"We should have warned the crews."'
    quote = single(text, "direct")
    assert quote.speaker_mention == "Ruiz"


def test_an_inverted_speaker_may_open_with_a_number_word() -> None:
    text = '"The ferry is late again," said one angry commuter waiting at the pier.'
    quote = single(text, "direct")
    assert quote.speaker_mention == "one angry commuter waiting at the pier"


def test_a_participle_or_adverb_after_a_trailing_cue_is_not_content() -> None:
    text = '"We will rebuild the pier," Okoro said, answering a question from a fisherman.'
    found = quotes_of(text)
    assert [(q.kind, q.speaker_mention) for q in found] == [("direct", "Okoro")]
    text = '"Is the ferry running?" Ruiz, a retired pilot, asked quietly into the phone.'
    found = quotes_of(text)
    assert [(q.kind, q.speaker_mention) for q in found] == [("direct", "Ruiz, a retired pilot")]


def test_a_report_noun_before_the_cue_is_the_speaker() -> None:
    text = '"The harbour wall was unsafe," the council report said.'
    quote = single(text, "direct")
    assert quote.speaker_mention == "the council report"


def test_in_someone_s_words_attributes_the_clause() -> None:
    text = 'The pier closed because, in Okoro\'s words, "nobody would pay to fix it."'
    quote = single(text, "direct")
    assert (quote.speaker_mention, quote.cue) == ("Okoro", "in")
    text = "The ferry will never pay for itself, in Ruiz's view."
    quote = single(text, "indirect")
    assert (quote.text, quote.speaker_mention) == ("The ferry will never pay for itself", "Ruiz")


def test_names_with_party_tags_and_appositives_lead_into_quotes() -> None:
    text = 'Rep. Ann Okoro (D-Maine): "The harbour bill is dead."'
    quote = single(text, "direct")
    assert (quote.speaker_mention, quote.speaker) == ("Rep. Ann Okoro", "Ann Okoro")
    text = 'Senator Ann Okoro, D-Maine, sent a blunt message to the board: "Fix the pier."'
    quote = single(text, "direct")
    assert (quote.speaker_mention, quote.speaker) == ("Senator Ann Okoro", "Ann Okoro")


def test_a_participle_after_upon_reports() -> None:
    text = 'Ruiz drew boos upon saying, "The ferry fare will double."'
    quote = single(text, "direct")
    assert (quote.speaker_mention, quote.cue) == ("Ruiz", "saying")


def test_a_listener_then_another_report_keeps_both_apart() -> None:
    text = (
        '"The port stays open," Okoro told the Gazette on Monday after hinting that '
        "the council might cut its budget."
    )
    found = quotes_of(text)
    assert [(q.kind, q.text, q.cue) for q in found] == [
        ("direct", "The port stays open", "told"),
        ("indirect", "that the council might cut its budget", "hinting"),
    ]


def test_an_inverted_speaker_may_hold_a_relative_clause() -> None:
    text = (
        '"I want answers," said a harbour board member who supports the mayor, '
        "asking not to be named."
    )
    found = [q for q in quotes_of(text) if q.kind == "direct"]
    assert [q.speaker_mention for q in found] == ["a harbour board member who supports the mayor"]


def test_one_word_outside_the_marks_makes_a_mixed_quote() -> None:
    text = 'Ruiz called the mayor "a coward."'
    quote = single(text, "mixed")
    assert quote.text == 'the mayor "a coward."'
    text = 'Okoro said Ruiz "never once visited the pier."'
    quote = single(text, "mixed")
    assert quote.text == 'Ruiz "never once visited the pier."'


def test_phrasal_cues_start_their_content_after_the_particle() -> None:
    for text, content in (
        ("Okoro called for a new harbour wall to be built.", "a new harbour wall to be built"),
        ("Ruiz pointed to the broken pier as proof.", "the broken pier as proof"),
    ):
        found = quotes_of(text)
        assert [q.text for q in found] == [content]


def test_a_cue_that_ends_its_sentence_introduces_the_next_quote() -> None:
    text = (
        "Ruiz said the harbour was safe.\n\n"
        'Harbour State College\'s Ann Okoro agreed. "The wall will hold for years."'
    )
    quote = single(text, "direct")
    assert (quote.speaker_mention, quote.cue) == ("Harbour State College's Ann Okoro", "agreed")


def test_the_sender_of_a_message_speaks_through_it() -> None:
    text = 'The campaign sent a text message saying "the vote is on Tuesday."'
    quote = single(text, "direct")
    assert quote.speaker_mention == "The campaign"


def test_a_reporting_noun_after_a_modifier_is_no_cue() -> None:
    text = "Okoro said in her opening remarks that the port would stay open."
    found = quotes_of(text)
    assert [(q.cue, q.speaker_mention) for q in found] == [("said", "Okoro")]


def test_a_reporting_word_beside_a_possessive_is_a_noun() -> None:
    text = 'Okoro called the council\'s plans to sell the pier "a disgrace."'
    found = quotes_of(text)
    assert [q.cue for q in found if q.kind != "scare"] == ["called"]
    text = "The state's largest paper ran the story on Monday."
    assert quotes_of(text) == []


def test_a_participle_after_an_object_is_the_subject_s() -> None:
    text = (
        "But instead of fixing the pier, Okoro spent all of her time responding to critics "
        "of the harbour plan."
    )
    # "responding to critics" names whom she answered, not what she said: no quote is fine,
    # but any report found there is Okoro's, never the object's ("her time").
    assert all(q.speaker_mention == "Okoro" for q in quotes_of(text))


def test_a_base_form_after_a_singular_noun_is_a_noun() -> None:
    text = "Okoro spoke on his radio show about the ferry."
    assert [q.cue for q in quotes_of(text)] != ["show"]
    text = "His aides say the ferry will run."
    quote = single(text, "indirect")
    assert quote.speaker_mention == "His aides"


def test_a_headline_names_its_speaker_before_a_colon() -> None:
    text = 'Ann Okoro: The Harbour Plan Is "a Disgrace".\n\nThe mayor spoke on Monday.'
    quote = single(text, "mixed")
    assert (quote.text, quote.speaker_mention, quote.cue) == (
        'The Harbour Plan Is "a Disgrace"',
        "Ann Okoro",
        ":",
    )
    for label in ("BREAKING: The Ferry Sank.", "Harbour Update: The pier reopens soon."):
        assert quotes_of(label + "\n\nText.") == []


def test_an_unnamed_question_is_content_without_a_speaker() -> None:
    text = "When asked whether the ferry would run in winter, Okoro said it would run daily."
    found = quotes_of(text)
    assert [(q.text, q.speaker_mention, q.cue) for q in found] == [
        ("whether the ferry would run in winter", None, "asked"),
        ("it would run daily", "Okoro", "said"),
    ]


def test_written_text_read_out_of_a_sign_or_email() -> None:
    text = '"Come to the harbour rally," the email reads.'
    quote = single(text, "direct")
    assert (quote.speaker_mention, quote.cue) == ("the email", "reads")
    assert quotes_of("Okoro read the harbour report twice.") == []


def test_reflexives_relative_clauses_and_possessive_inverted_speakers() -> None:
    text = 'Okoro himself said Tuesday that "the pier will reopen in May."'
    quote = single(text, "mixed")
    assert quote.speaker_mention == "Okoro"
    text = 'A harbour official who spoke on background said Wednesday, "The talks go on."'
    quote = single(text, "direct")
    assert quote.speaker_mention == "A harbour official who spoke on background"
    text = '"The fleet is home," exclaimed Okoro\'s deputy, a former pilot.'
    quote = single(text, "direct")
    assert quote.speaker_mention == "Okoro's deputy"


def test_doubled_single_marks_behave_like_double_marks() -> None:
    text = "Okoro said of the storm, ''I have never seen worse,'' adding that the pier held."
    found = quotes_of(text)
    assert [(q.kind, q.text, q.cue) for q in found] == [
        ("direct", "I have never seen worse", "said"),
        ("indirect", "that the pier held", "adding"),
    ]


def test_adverbs_and_times_between_the_cue_and_that_are_not_content() -> None:
    text = "Okoro said privately on Tuesday night that the ferry would be sold."
    quote = single(text, "indirect")
    assert quote.text == "that the ferry would be sold"


def test_a_short_sentence_after_an_attribution_continues_the_quote() -> None:
    text = 'The crews met on Monday.\n\n"The season was poor," Okoro said. "We stay hopeful."'
    quote = single(text, "direct")
    assert [text[s:e] for s, e in quote.spans] == ["The season was poor", "We stay hopeful."]


def test_a_quoted_name_ends_at_a_comma_inside_its_marks() -> None:
    text = 'Ruiz described the pier as "unsafe," which surprised the crews.'
    quote = single(text, "mixed")
    assert quote.text == 'the pier as "unsafe,"'


def test_by_with_a_participle_reports_only_speech() -> None:
    text = "The harbour deal may anger Ruiz by signaling a shift away from the fishermen."
    assert quotes_of(text) == []


def test_the_writer_s_afterthought_is_not_content() -> None:
    text = (
        'Okoro complained that the vote had been "rigged" against her, a charge that the '
        "board denied."
    )
    quote = single(text, "mixed")
    assert quote.text == 'that the vote had been "rigged" against her'


def test_a_title_in_the_occasion_does_not_hide_the_that_clause() -> None:
    text = 'Ruiz said on the "Harbour Hour" show that the ferry would run all winter.'
    quote = single(text, "indirect")
    assert quote.text == "that the ferry would run all winter"


@pytest.mark.parametrize(
    ("text", "speaker", "cue"),
    [
        (
            "The council ad targets a “rigged harbour system that keeps the fees high.”",
            "The council ad",
            "targets",
        ),
        (
            'Okoro credited the win to "a closed vote, something I am not keen on."',
            "Okoro",
            "credited",
        ),
        (
            "On its website, the agency lists “port safety as the agency’s top priority.”",
            "the agency",
            "lists",
        ),
        ("Some chanted “Harbour for all! Harbour for all!”", "Some", "chanted"),
    ],
)
def test_a_quote_inside_a_clause_with_no_reporting_verb_is_its_subject_s(
    text: str, speaker: str, cue: str
) -> None:
    quote = single(text, "direct")
    assert (quote.speaker_mention, quote.cue) == (speaker, cue)


def test_a_scare_quote_inside_a_clause_stays_a_scare_quote() -> None:
    text = "Okoro likes “The Coastal Hour,” while Lee prefers the news."
    quote = single(text, "scare")
    assert quote.speaker is None


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            '"The pier needs work," the Harbour senator and Labour mayoral candidate said in '
            "a statement.",
            "the Harbour senator and Labour mayoral candidate",
        ),
        ('"We won," Lee and Okoro said.', "Lee and Okoro"),
    ],
)
def test_a_trailing_speaker_may_join_two_names_or_roles_with_and(text: str, speaker: str) -> None:
    quote = single(text, "direct")
    assert quote.speaker_mention == speaker


@pytest.mark.parametrize(
    "text",
    [
        "Turnout fell in the coastal states after the storm closed the polling stations.",
        "The harbour attacks in May left the ferry board shaken for weeks.",
        "Okoro trails Lee by about 15 points among younger voters in the port.",
        "Voters sent the mayor back to the harbour office with a larger majority.",
    ],
)
def test_forms_that_are_mostly_nouns_report_nothing_without_a_that(text: str) -> None:
    assert quotes_of(text) == []


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            "Okoro points out that the pier has been shut for a year.",
            "that the pier has been shut for a year",
        ),
        (
            "The council states that the pier will reopen in June.",
            "that the pier will reopen in June",
        ),
    ],
)
def test_a_form_that_is_mostly_a_noun_reports_before_that(text: str, content: str) -> None:
    assert single(text, "indirect").text == content


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "Ann Okoro, 58, who runs a ferry outside the port, says she has not decided.",
            "Ann Okoro, 58",
        ),
        ("Okoro, who served in Oslo, Lagos and Lima, praised the port deal on Monday.", "Okoro"),
        (
            "Okoro's friends and allies have in the past said she would run again.",
            "Okoro's friends and allies",
        ),
        ("The council voted and Lee said the ferry would stop.", "Lee"),
    ],
)
def test_subjects_with_ages_long_relative_clauses_and_coordination(text: str, speaker: str) -> None:
    quote = single(text, "indirect")
    assert quote.speaker_mention == speaker


def test_a_speech_noun_without_its_complement_names_an_event() -> None:
    text = "Okoro's speech next week before the harbour board will be short."
    assert quotes_of(text) == []


def test_a_contrasted_report_ends_the_content_before_it() -> None:
    text = "Lee said the ferry would stop, but officials said it would run all winter."
    found = quotes_of(text)
    assert [(q.speaker_mention, q.text) for q in found] == [
        ("Lee", "the ferry would stop"),
        ("officials", "it would run all winter"),
    ]


@pytest.mark.parametrize(
    ("text", "speaker", "cue"),
    [
        (
            "“The tide has not failed the harbour,” he mocks. “The harbour failed the tide.”",
            "he",
            "mocks",
        ),
        (
            '"Lee is very cute with a big mouth," one user wrote. "I hope he wins."',
            "one user",
            "wrote",
        ),
        ('"It is a bit worrying to all of us," she went on.', "she", "went"),
    ],
)
def test_a_short_subject_and_any_verb_closing_the_sentence_attribute_the_quote(
    text: str, speaker: str, cue: str
) -> None:
    quote = single(text, "direct")
    assert (quote.speaker_mention, quote.cue) == (speaker, cue)
    assert quote.text.startswith(text[1:10])


def test_a_title_followed_by_its_clause_is_no_attribution() -> None:
    text = '"The Apprentice," Trump hosted for years, made him famous.'
    assert single(text, "scare").speaker is None


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        (
            "As the council hints at what its plans might include, Governor Lee is not having it.",
            "the council",
            "what its plans might include",
        ),
        (
            "But as Democrats call on him to quit the race, Okoro's marriage starts to vex her.",
            "Democrats",
            "him to quit the race",
        ),
        (
            "When Lee said the ferry would stop, the crews walked out.",
            "Lee",
            "the ferry would stop",
        ),
    ],
)
def test_a_report_in_an_opening_subordinate_clause_ends_at_its_comma(
    text: str, speaker: str, content: str
) -> None:
    quote = single(text, "indirect")
    assert (quote.speaker_mention, quote.text) == (speaker, content)


def test_a_lead_in_colon_after_an_opening_phrase_introduces_the_quote() -> None:
    text = (
        "Asked about the emails, the campaign said in a statement: ''Neither email involves "
        "the mayor.'' The campaign did not elaborate."
    )
    quote = single(text, "direct")
    assert (quote.speaker_mention, quote.text) == (
        "the campaign",
        "Neither email involves the mayor.",
    )


def test_a_lead_in_colon_with_any_verb_attributes_the_quote_to_its_subject() -> None:
    text = "Okoro's letter makes a plain case: “Followers of the old rules hate the new fees.”"
    quote = single(text, "direct")
    assert (quote.speaker_mention, quote.cue) == ("Okoro's letter", "makes")


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "''Lee should retract his comments,'' former Gov. Ann Lee of Ohio said on Twitter.",
            "former Gov. Ann Lee of Ohio",
        ),
        (
            '"Big tax cuts do not work in an age of high debt," James Okoro of the Harbour '
            "Institute wrote recently.",
            "James Okoro of the Harbour Institute",
        ),
        (
            '"I made the pier the top priority," the bespectacled, 71-year-old diplomat said in an '
            "interview.",
            "the bespectacled, 71-year-old diplomat",
        ),
        (
            '"The port got off lightly," said a former port official who oversaw the inquiry and '
            "described it.",
            "a former port official who oversaw the inquiry and described it",
        ),
        (
            '"Lee, the answer is no," the vice-presidential nominee riffed. "We need Okoro!"',
            "the vice-presidential nominee",
        ),
    ],
)
def test_long_speakers_right_after_a_quote(text: str, speaker: str) -> None:
    quote = single(text, "direct")
    assert quote.speaker_mention == speaker


def test_a_quote_then_a_name_and_an_action_is_no_attribution() -> None:
    assert single('"Fine," Lee walked to the door and left.', "scare").speaker is None


@pytest.mark.parametrize(
    ("text", "speaker", "cue"),
    [
        (
            "“We had better meetings,” harbour delegate Ann Lee, wearing a cowboy hat "
            "and “Lee” pins, said matter-of-factly as confetti fell.",
            "harbour delegate Ann Lee, wearing a cowboy hat and “Lee” pins",
            "said",
        ),
        (
            "“Not us but can’t argue with it!” Okoro, the head of Harbour First, Tweeted on Friday "
            "with an image of the boats.",
            "Okoro, the head of Harbour First",
            "Tweeted",
        ),
        ("“They will find the missing fees.” Okoro said.", "Okoro", "said"),
        (
            '"It was all lies," said one source who knew the mayor but spoke on the condition of '
            "anonymity.",
            "one source who knew the mayor but spoke on the condition of anonymity",
            "said",
        ),
        (
            "“She is the only supporter in the tower,” this source told the Gazette.",
            "this source",
            "told",
        ),
    ],
)
def test_long_trailing_attributions(text: str, speaker: str, cue: str) -> None:
    quote = single(text, "direct")
    assert (quote.speaker_mention, quote.cue) == (speaker, cue)


def test_a_word_explained_after_its_marks_stays_a_scare_quote() -> None:
    text = 'They stood against "hegemonism," a veiled critique of United States influence.'
    assert single(text, "scare").speaker is None


@pytest.mark.parametrize(
    "text",
    [
        "“We will rebuild the pier.” ―Ann Lee, harbour master",
        "“We will rebuild the pier!” — Ann Lee",
    ],
)
def test_a_quote_signed_after_a_dash_on_its_line_is_the_signer_s(text: str) -> None:
    assert single(text, "direct").speaker_mention == "Ann Lee"


def test_a_signature_on_the_next_line_may_use_any_dash() -> None:
    text = "“We will rebuild the pier, whatever it costs.”\n―Ann Lee"
    assert single(text, "direct").speaker_mention == "Ann Lee"


def test_a_noun_after_its_determiner_is_no_verb_for_the_clause_fallback() -> None:
    text = 'The ministers "reached a complete consensus" on the harbour fees.'
    quote = single(text, "direct")
    assert quote.speaker_mention != "The"


def test_a_report_inside_a_relative_clause_ends_at_its_closing_comma() -> None:
    text = "Labor Secretary Tom Perez, who said the fees were unfair, left the harbour early."
    quote = single(text, "indirect")
    assert (quote.text, quote.cue) == ("the fees were unfair", "said")


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            'Still, the old ferry is "not ready for the winter," Okoro said.',
            'Still, the old ferry is "not ready for the winter,"',
        ),
        (
            'The new pier, built in 1990, "still stands like a rock," said Ann Okoro.',
            'The new pier, built in 1990, "still stands like a rock,"',
        ),
    ],
)
def test_words_before_a_quote_that_its_speaker_closes_make_a_mixed_quote(
    text: str, content: str
) -> None:
    quote = single(text, "mixed")
    assert quote.text == content
    assert quote.cue == "said"
    assert quote.speaker_mention in {"Okoro", "Ann Okoro"}


def test_a_quote_after_a_dash_stays_apart_from_the_report_before_it() -> None:
    text = 'Lee hinted the fee was too high - "We cannot pay it," she said.'
    quote = single(text, "direct")
    assert (quote.text, quote.cue) == ("We cannot pay it", "said")


def test_a_mixed_quote_goes_on_in_the_next_quoted_sentence() -> None:
    text = 'The harbour, she said, is "losing its boats." "Nobody stays for the winter."'
    quote = single(text, "mixed")
    assert len(quote.spans) == 2
    assert text[quote.spans[-1][0] : quote.spans[-1][1]] == "Nobody stays for the winter."


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            '"We sail at nine," Ann Okoro, 58, of Lagos, Nigeria, said.',
            "Ann Okoro, 58, of Lagos, Nigeria",
        ),
        (
            "Ann Okoro, a pilot from Jos, Nigeria, who flies the ferry, said the fee was fair.",
            "Ann Okoro, a pilot from Jos, Nigeria",
        ),
    ],
)
def test_a_speaker_s_home_town_is_part_of_the_mention_not_the_speaker(
    text: str, speaker: str
) -> None:
    quote = next(q for q in quotes_of(text) if q.cue == "said")
    assert quote.speaker_mention == speaker
    assert quote.speaker is not None and quote.speaker.startswith("Ann Okoro")


def test_a_quote_after_a_report_and_its_own_attribution_is_the_same_speaker_s() -> None:
    text = 'Okoro is no sailor, her brother said. "She is a pilot!"'
    quote = single(text, "direct")
    assert (quote.speaker_mention, quote.cue) == ("her brother", "said")


def test_how_or_where_it_was_said_is_no_report() -> None:
    text = "Lee said by telephone this week. Okoro said on Monday the pier would close."
    found = quotes_of(text)
    assert [(q.kind, q.text) for q in found] == [("indirect", "the pier would close")]


def test_a_quote_in_a_new_paragraph_after_other_words_is_not_the_last_speaker_going_on() -> None:
    text = (
        '"The pier is safe," Lee replied.\n\n'
        'Okoro frowned at the cracks. "Did you look at them?"\n\n'
        '"It holds," Lee said.\n\n"It will hold for years."'
    )
    found = [q for q in quotes_of(text) if q.kind == "direct"]
    speakers = {q.text.split('"')[0]: q.speaker_mention for q in found}
    assert speakers["The pier is safe"] == "Lee"
    assert speakers["Did you look at them?"] != "Lee"
    assert speakers["It holds"] == "Lee"
    assert speakers["It will hold for years."] == "Lee"  # alone in the next paragraph: goes on
