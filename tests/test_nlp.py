"""The Stanza wrapper with the bundled models: batching across articles changes nothing."""

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


@pytest.fixture(scope="module")
def pipeline() -> nlp_module.NLP:
    if not (nlp_module.BUNDLED_DIR / "en" / "tokenize").is_dir():
        pytest.skip("bundled models missing")
    return load_pipeline(models="bundled")


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
