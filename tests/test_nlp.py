"""The Stanza wrapper with the bundled models, with either tokenizer: batching changes nothing."""

from __future__ import annotations

import pytest

from quotes import nlp as nlp_module
from quotes.extract import needs_parse
from quotes.nlp import load_pipeline

TEXTS = [
    "",
    "The ferry runs again. Ortiz said the harbour reopens on Friday.",
    "   \n\n  ",
    "“We rebuilt the pier,” said Ines Vale.\n\nThe council met. Nobody spoke.",
    "Rain fell all night",
]


@pytest.fixture(scope="module", params=["rules", "stanza"])
def pipeline(request: pytest.FixtureRequest) -> nlp_module.NLP:
    if not (nlp_module.BUNDLED_DIR / "en" / "tokenize").is_dir():
        pytest.skip("bundled models missing")
    return load_pipeline(models="bundled", tokenizer=request.param)


def test_batched_tokenization_equals_one_article_at_a_time(
    pipeline: nlp_module.NLP, monkeypatch: pytest.MonkeyPatch
) -> None:
    one_by_one = [pipeline.parse_many([text], select=needs_parse)[0] for text in TEXTS]
    # Force several tokenizer calls inside one batch of articles too.
    monkeypatch.setattr(nlp_module, "TOKENIZE_BATCH_CHARS", 40)
    seen: list[int] = []
    together = pipeline.parse_many(TEXTS, select=needs_parse, progress=seen.append)
    assert together == one_by_one
    assert seen[-1] == len(TEXTS) and seen == sorted(seen)
    for text, doc in zip(TEXTS, together, strict=True):
        assert doc.text == text
        for sentence in doc.sentences:
            for token in sentence.tokens:
                assert text[token.start : token.end] == token.text
    assert [len(doc.sentences) for doc in together][0::2] == [0, 0, 1]


def test_only_sentences_the_parse_can_change_are_parsed(pipeline: nlp_module.NLP) -> None:
    doc = pipeline.parse("It rained. The old judge said the pier was safe.", select=needs_parse)
    assert [s.parsed for s in doc.sentences] == [False, True]
    assert all(t.upos for t in doc.sentences[1].tokens)
    assert not any(t.upos for t in doc.sentences[0].tokens)


def test_the_rules_tokenizer_is_the_default_and_stanza_is_opt_in(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(nlp_module.TOKENIZER_ENV, raising=False)
    assert nlp_module.resolve_models().tokenizer == "rules"
    monkeypatch.setenv(nlp_module.TOKENIZER_ENV, "Stanza")
    assert nlp_module.resolve_models().tokenizer == "stanza"
    assert nlp_module.resolve_models(tokenizer="rules").tokenizer == "rules"
    monkeypatch.setenv(nlp_module.TOKENIZER_ENV, "spacy")
    with pytest.raises(nlp_module.ModelError, match="unknown tokenizer 'spacy'"):
        nlp_module.resolve_models()


def test_both_tokenizers_find_the_same_sentences_in_plain_news_prose() -> None:
    if not (nlp_module.BUNDLED_DIR / "en" / "tokenize").is_dir():
        pytest.skip("bundled models missing")
    text = (
        "Maria Ortiz said the harbour would reopen on Friday. Crews worked all night."
        "\n\n“We rebuilt the pier,” said Ines Vale. She thanked 3,000 volunteers."
    )
    by_tokenizer = {
        name: [
            text[s.start : s.end]
            for s in load_pipeline(models="bundled", tokenizer=name).parse(text).sentences
        ]
        for name in ("rules", "stanza")
    }
    assert by_tokenizer["rules"] == by_tokenizer["stanza"]
    assert len(by_tokenizer["rules"]) == 4
