"""Benchmark the bundled Stanza models end to end on the UD English EWT test set.

Raw text goes in (rebuilt from the ``# text =`` comments, with paragraph breaks at
``# newpar`` and one text per ``# newdoc``), the project's loader
``quotes.nlp.load_pipeline()`` tokenizes, tags, lemmatizes and parses it on the CPU, and
the official CoNLL 2018 shared-task scorer, as Stanza 1.15 wraps it
(``stanza.models.common.utils.ud_scores``, i.e. ``udtools.udeval``; older Stanza releases shipped
it as ``stanza.utils.conll18_ud_eval``), compares the result with the gold file.

Usage::

    python bench/models.py                       # ../shared/ud/en_ewt-ud-test.conllu
    python bench/models.py --ud /path/to/ud --no-write
    python bench/models.py --models /tmp/new-bundle --no-write   # score a bundle before installing

Prints Tokens, Sentences, UPOS, UFeats, Lemma, UAS, LAS (F1, %) and words per second, and
replaces the ``## Models`` section of BENCHMARKS.md (other sections are left alone).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_UD = REPO_ROOT.parent / "shared" / "ud"
TEST_FILE = "en_ewt-ud-test.conllu"
BENCHMARKS = REPO_ROOT / "BENCHMARKS.md"
SECTION = "## Models"
METRICS = ("Tokens", "Sentences", "UPOS", "UFeats", "Lemmas", "UAS", "LAS")
TARGETS = {"Tokens": 98.0, "Sentences": 80.0, "UPOS": 95.0, "Lemmas": 96.0, "LAS": 84.0}


@dataclass(frozen=True)
class Word:
    """One syntactic word as written to CoNLL-U (``head`` is 1-based, 0 for the root)."""

    text: str
    lemma: str | None
    upos: str | None
    xpos: str | None
    feats: str | None
    head: int | None
    deprel: str | None


@dataclass(frozen=True)
class SurfaceToken:
    """A surface token and its words (more than one for a multi-word token like "don't")."""

    form: str
    words: tuple[Word, ...]


def raw_documents(conllu: Path) -> list[str]:
    """Rebuild the raw text of each document from the sentence-level comments.

    Sentences of a paragraph are joined by a space, paragraphs by a blank line: that is how
    the text would look in an article, and it lets the tokenizer's sentence splitting be
    scored (paragraph breaks are the only free sentence boundaries it gets).
    """
    docs: list[list[list[str]]] = []
    text: str | None = None
    newdoc = newpar = False
    for line in conllu.read_text(encoding="utf-8").splitlines():
        if line.startswith("# newdoc"):
            newdoc = True
        elif line.startswith("# newpar"):
            newpar = True
        elif line.startswith("# text ="):
            text = line[len("# text =") :].strip()
        elif not line.strip() and text is not None:
            if newdoc or not docs:
                docs.append([[]])
            elif newpar:
                docs[-1].append([])
            docs[-1][-1].append(text)
            text, newdoc, newpar = None, False, False
    return ["\n\n".join(" ".join(par) for par in doc if par) for doc in docs]


def annotate_with_loader(
    texts: list[str], tokenizer: str = "stanza", stanza_dir: Path | None = None
) -> list[list[list[SurfaceToken]]]:
    """Parse with ``quotes.nlp.load_pipeline()`` (the way the application loads models)."""
    from quotes.nlp import load_pipeline

    nlp = load_pipeline(stanza_dir=stanza_dir, use_gpu=False, tokenizer=tokenizer)
    result: list[list[list[SurfaceToken]]] = []
    for text, doc in zip(texts, nlp.parse_many(texts), strict=True):
        sentences: list[list[SurfaceToken]] = []
        for sentence in doc.sentences:
            tokens: list[SurfaceToken] = []
            group: list[Word] = []
            span: tuple[int, int] | None = None
            # words of one multi-word token share the token's offsets: regroup them by span
            for tok in sentence.tokens:
                word = Word(
                    tok.text,
                    tok.lemma,
                    tok.upos,
                    tok.xpos,
                    tok.feats,
                    None if tok.head is None else tok.head + 1,
                    tok.deprel,
                )
                if span == (tok.start, tok.end):
                    group.append(word)
                    continue
                if span is not None:
                    tokens.append(SurfaceToken(text[span[0] : span[1]], tuple(group)))
                span, group = (tok.start, tok.end), [word]
            if span is not None:
                tokens.append(SurfaceToken(text[span[0] : span[1]], tuple(group)))
            sentences.append(tokens)
        result.append(sentences)
    return result


def annotate_with_stanza(texts: list[str], model_dir: Path) -> list[list[list[SurfaceToken]]]:
    """Fallback when ``quotes.nlp`` is unavailable: the bundled directory straight into Stanza."""
    import stanza

    nlp = stanza.Pipeline(
        lang="en",
        dir=str(model_dir),
        download_method=None,
        use_gpu=False,
        processors="tokenize,mwt,pos,lemma,depparse",
        logging_level="WARN",
    )
    result: list[list[list[SurfaceToken]]] = []
    for text in texts:
        doc = nlp(text)
        result.append(
            [
                [
                    SurfaceToken(
                        text[t.start_char : t.end_char],
                        tuple(
                            Word(w.text, w.lemma, w.upos, w.xpos, w.feats, w.head, w.deprel)
                            for w in t.words
                        ),
                    )
                    for t in s.tokens
                ]
                for s in doc.sentences
            ]
        )
    return result


def to_conllu(docs: list[list[list[SurfaceToken]]]) -> str:
    """System output as CoNLL-U, with multi-word token range lines where a token splits."""

    def col(value: str | int | None) -> str:
        return "_" if value is None or value == "" else str(value)

    lines: list[str] = []
    for doc in docs:
        for sentence in doc:
            if not sentence:
                continue
            index = 0
            for token in sentence:
                # the scorer aligns on characters without whitespace; a token the tokenizer
                # let span a space would otherwise break the alignment
                form = re.sub(r"\s+", "", token.form) or "_"
                if len(token.words) > 1:
                    lines.append(f"{index + 1}-{index + len(token.words)}\t{form}" + "\t_" * 8)
                for word in token.words:
                    index += 1
                    text = form if len(token.words) == 1 else re.sub(r"\s+", "", word.text)
                    lines.append(
                        "\t".join(
                            [
                                str(index),
                                text or "_",
                                col(word.lemma),
                                col(word.upos),
                                col(word.xpos),
                                col(word.feats),
                                col(word.head),
                                col(word.deprel),
                                "_",
                                "_",
                            ]
                        )
                    )
            lines.append("")
    return "\n".join(lines) + "\n"


def score(gold: Path, system_text: str) -> dict[str, float]:
    """F1 (in %) of each metric, by the CoNLL 2018 scorer."""
    from stanza.models.common.utils import ud_scores

    with tempfile.NamedTemporaryFile(
        "w", suffix=".conllu", delete=False, encoding="utf-8"
    ) as handle:
        handle.write(system_text)
        system = Path(handle.name)
    try:
        evaluation = ud_scores(str(gold), str(system))
    finally:
        system.unlink(missing_ok=True)
    return {metric: 100 * evaluation[metric].f1 for metric in METRICS}


def markdown(
    scores: dict[str, float],
    words: int,
    seconds: float,
    loader: str,
    rules_scores: dict[str, float] | None = None,
) -> str:
    """The ``## Models`` section of BENCHMARKS.md."""
    rules = rules_scores or {}
    rows = "\n".join(
        f"| {m if m != 'Lemmas' else 'Lemma'} | {scores[m]:.2f} | "
        f"{format(rules[m], '.2f') if m in rules else ''} | "
        f"{'>= ' + format(TARGETS[m], '.0f') if m in TARGETS else ''} |"
        for m in METRICS
    )
    return (
        f"{SECTION}\n\n"
        "End-to-end parse of the raw text of UD English EWT test (2,077 sentences) with the "
        f"models loaded through {loader} (`data/models/` unless named); scored with the CoNLL 2018 "
        "scorer (`stanza.models.common.utils.ud_scores`), F1 in %. "
        "Run: `python bench/models.py`. The models are scored behind their own tokenizer "
        '(`tokenizer="stanza"`); the second column is the same parse behind the rules '
        "tokenizer of `quotes.segment`, the application's default, on this treebank of web "
        "text (reviews, e-mails, forums), not news.\n\n"
        "| metric | F1 (Stanza tokenizer) | F1 (rules tokenizer) | target (GPU models) |\n"
        "| --- | --- | --- | --- |\n"
        f"{rows}\n\n"
        f"Speed: {words / seconds:,.0f} words/s ({words:,} words in {seconds:.1f} s), CPU "
        f"only, {platform.machine()}, {os.cpu_count()} cores, {torch_threads()} torch "
        f"thread(s), 1-min load average {os.getloadavg()[0]:.1f} at the end (a shared machine "
        f"reads slower); measured {time.strftime('%Y-%m-%d')}.\n"
    )


def torch_threads() -> int:
    """How many threads torch computes with (``OMP_NUM_THREADS`` or all cores)."""
    import torch

    return int(torch.get_num_threads())


def update_benchmarks(section: str, path: Path = BENCHMARKS) -> None:
    """Replace the ``## Models`` section (up to the next ``## `` heading) or append it."""
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\s*\n.*?(?=^## |\Z)", re.M | re.S)
    if pattern.search(old):
        new = pattern.sub(lambda _: section + "\n", old, count=1)
    else:
        new = old.rstrip("\n") + "\n\n" + section
    path.write_text(new.rstrip("\n") + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--ud",
        type=Path,
        default=DEFAULT_UD,
        help=f"folder holding {TEST_FILE} (default ../shared/ud)",
    )
    parser.add_argument(
        "--models",
        type=Path,
        default=None,
        help="score this model bundle instead of data/models (e.g. one the GPU run returned)",
    )
    parser.add_argument("--no-write", action="store_true", help="do not touch BENCHMARKS.md")
    parser.add_argument("--save-conllu", type=Path, default=None, help="also write the output here")
    args = parser.parse_args(argv)

    gold = args.ud / TEST_FILE
    if not gold.exists():
        print(f"skipped: {gold} not found (pass --ud DIR holding {TEST_FILE})")
        return 0
    texts = raw_documents(gold)
    sys.path.insert(0, str(REPO_ROOT))
    try:
        import quotes.nlp  # noqa: F401
    except ImportError:
        model_dir = args.models or REPO_ROOT / "data" / "models"
        loader = f"`stanza.Pipeline(dir={model_dir})`"
        started = time.perf_counter()
        docs = annotate_with_stanza(texts, model_dir)
    else:
        loader = '`quotes.nlp.load_pipeline(tokenizer="stanza")`'
        if args.models is not None:
            loader = f'`quotes.nlp.load_pipeline(stanza_dir="{args.models}", tokenizer="stanza")`'
        # load (and cache) the models first, so the timing covers parsing only
        from quotes.nlp import load_pipeline

        load_pipeline(stanza_dir=args.models, use_gpu=False, tokenizer="stanza")
        started = time.perf_counter()
        docs = annotate_with_loader(texts, stanza_dir=args.models)
    seconds = time.perf_counter() - started
    rules_scores = None
    if loader.startswith("`quotes"):
        rules_scores = score(
            gold, to_conllu(annotate_with_loader(texts, "rules", stanza_dir=args.models))
        )
    words = sum(len(t.words) for doc in docs for s in doc for t in s)
    system_text = to_conllu(docs)
    if args.save_conllu is not None:
        args.save_conllu.write_text(system_text, encoding="utf-8")
    scores = score(gold, system_text)
    print(
        f"{len(texts)} documents, {words} words, {seconds:.1f} s, "
        f"{words / seconds:.0f} words/s (CPU), via {loader}"
    )
    for metric in METRICS:
        name = "Lemma" if metric == "Lemmas" else metric
        target = f"  (target >= {TARGETS[metric]:.0f})" if metric in TARGETS else ""
        rules = f"  (rules tokenizer {rules_scores[metric]:6.2f})" if rules_scores else ""
        print(f"{name:10s} F1 {scores[metric]:6.2f}{target}{rules}")
    if not args.no_write:
        update_benchmarks(markdown(scores, words, seconds, loader, rules_scores))
        print(f"updated the {SECTION} section of {BENCHMARKS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
