"""Models stored in parts (the GPU machine returns files of at most 16 MiB) load transparently."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quotes import nlp as nlp_module
from quotes.errors import ModelError
from quotes.nlp import join_split_model, load_pipeline

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from train_models import split_file


@settings(max_examples=60, deadline=None)
@given(content=st.binary(min_size=0, max_size=3000), limit=st.integers(min_value=1, max_value=700))
def test_split_then_join_gives_back_the_same_bytes(
    tmp_path_factory: pytest.TempPathFactory, content: bytes, limit: int
) -> None:
    folder = tmp_path_factory.mktemp("parts")
    model = folder / "combined.pt"
    model.write_bytes(content)
    files = split_file(model, limit)
    assert all(f.stat().st_size <= limit for f in files)
    assert len(files) == max(1, -(-len(content) // limit))
    if files == [model]:
        assert model.read_bytes() == content
    else:
        assert not model.exists()
        assert join_split_model(model).read_bytes() == content


def test_a_missing_or_stray_part_is_a_clear_error(tmp_path: Path) -> None:
    model = tmp_path / "combined.pt"
    model.write_bytes(b"x" * 30)
    parts = split_file(model, 10)
    parts[1].unlink()
    with pytest.raises(ModelError, match=r"incomplete split model: parts \[1, 3\] of \[3\]"):
        join_split_model(model)
    (tmp_path / "combined.pt.part-02-of-03.bak").write_bytes(b"x")
    with pytest.raises(ModelError, match="not a part of a split model"):
        join_split_model(model)


def test_a_replaced_model_is_joined_again(tmp_path: Path) -> None:
    model = tmp_path / "combined.pt"
    model.write_bytes(b"first version")
    split_file(model, 5)
    assert join_split_model(model).read_bytes() == b"first version"
    for part in tmp_path.glob("combined.pt.part-*"):
        part.unlink()
    model.write_bytes(b"second, longer version")
    split_file(model, 5)
    assert join_split_model(model).read_bytes() == b"second, longer version"


@pytest.mark.slow
def test_a_bundle_with_a_split_parser_parses_like_the_bundled_one(tmp_path: Path) -> None:
    bundled = nlp_module.BUNDLED_DIR
    if not (bundled / "en" / "depparse" / "combined.pt").is_file():
        pytest.skip("bundled models missing or already split")
    copy = tmp_path / "models"
    shutil.copytree(bundled, copy)
    parts = split_file(copy / "en" / "depparse" / "combined.pt", 4 * 1024 * 1024)
    assert len(parts) > 1
    text = "The minister said the talks would resume. “We are ready,” she told reporters."
    want = load_pipeline(models="bundled", tokenizer="stanza").parse(text)
    got = load_pipeline(stanza_dir=copy, tokenizer="stanza").parse(text)
    assert got == want
    assert any(t.deprel for s in got.sentences for t in s.tokens)
