"""Stanza, behind one module: model loading and parsing into our own records.

No other module of `quotes` imports Stanza. :func:`load_pipeline` picks the models:

- the bundled models under ``data/models/`` (the default; no network needed);
- Stanza's official English models, with ``QUOTES_MODELS=official`` (or ``models="official"``),
  fetched once with ``stanza.download`` and its progress bar;
- any other Stanza resources directory, with ``QUOTES_STANZA_DIR=/path`` (or ``stanza_dir=``).

Parsing runs in two stages: a tokenizer and sentence splitter on the whole text, then Stanza's
tagger, lemmatizer and dependency parser only on the sentences a ``select`` predicate keeps,
batched across articles. The tokenizer is :mod:`quotes.segment`'s rules by default: within half
a point of Stanza's neural tokenizer on the attribution benchmark, at a twentieth of its cost;
``QUOTES_TOKENIZER=stanza`` (or ``tokenizer="stanza"``) uses Stanza's tokenizer and multi-word
token expander from the same model directory instead. Sentences that cannot hold a quote are
never parsed, which is where most of the time would go. A GPU is used when PyTorch sees one.

Example:
    >>> nlp = load_pipeline()
    >>> doc = nlp.parse('Wang said, "We agree."')
    >>> [(t.text, t.deprel) for t in doc.sentences[0].tokens][:2]
    [('Wang', 'nsubj'), ('said', 'root')]
"""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from quotes.errors import ModelError
from quotes.records import ParsedDoc, Sentence, Token
from quotes.segment import tokenize_text

MODELS_ENV = "QUOTES_MODELS"
STANZA_DIR_ENV = "QUOTES_STANZA_DIR"
TOKENIZER_ENV = "QUOTES_TOKENIZER"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_DIR = PROJECT_ROOT / "data" / "models"
OFFICIAL_DIR = Path(os.environ.get("STANZA_RESOURCES_DIR", Path.home() / "stanza_resources"))

# Order matters: Stanza runs processors in this order and each needs the ones before it.
TOKENIZE_PROCESSORS = ("tokenize", "mwt")
PARSE_PROCESSORS = ("pos", "lemma", "depparse", "ner")
OFFICIAL_PROCESSORS = "tokenize,mwt,pos,lemma,depparse,ner"

# Measured on the bundled models, CPU (bench/throughput.py): the parser's biaffine scorer builds
# a batch x length x length x labels tensor, so Stanza's default batches of 1500-5000 words spill
# out of cache; 500 words parsed the same trees in ~20% less CPU time than 1500, ~45% less than
# 5000.
PARSE_BATCH_OPTIONS: dict[str, int] = {"depparse_batch_size": 500}
# The tokenizer reads a paragraph in windows of this many characters, re-reading the text after
# each window's last sentence break. 1000 instead of the bundled model's 300: the same tokens on
# the news benchmark of bench/throughput.py, 11% less tokenizer time.
TOKENIZE_OPTIONS: dict[str, int] = {"tokenize_max_seqlen": 1000}

# Texts tokenized per tokenizer call, in characters, and what separates them in the joined text.
TOKENIZE_BATCH_CHARS = 100_000
BATCH_SEPARATOR = "\n\n"

# PyTorch's OpenMP threads spin while they wait for work. On a machine shared with other jobs
# (a newsroom server, CI) spinning threads starve each other: the tokenizer ran 15x slower with
# two spinning threads on two busy cores than with passive waiting. Only takes effect if PyTorch
# is not imported yet; a value set by the user wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

Source = Literal["bundled", "official", "dir"]
TokenizerChoice = Literal["rules", "stanza"]
TOKENIZERS: tuple[TokenizerChoice, ...] = ("rules", "stanza")
# (article text, one sentence's tokens with offsets into it) -> parse this sentence?
SentenceFilter = Callable[[str, Sequence[Token]], bool]


@dataclass(frozen=True, slots=True)
class ModelConfig:
    """Where the models come from and which processors are there.

    Example:
        >>> resolve_models("bundled").source
        'bundled'
    """

    source: Source
    directory: Path
    tokenizer: TokenizerChoice = "rules"


def resolve_models(
    models: str | None = None,
    stanza_dir: str | Path | None = None,
    tokenizer: str | None = None,
) -> ModelConfig:
    """Decide which models to load from the arguments, then the environment.

    ``stanza_dir`` (or ``QUOTES_STANZA_DIR``) wins; then ``models`` (or ``QUOTES_MODELS``):
    ``"bundled"`` (default) or ``"official"``. ``tokenizer`` (or ``QUOTES_TOKENIZER``):
    ``"rules"`` (default) or ``"stanza"``.

    Example:
        >>> resolve_models(stanza_dir="/opt/stanza").source
        'dir'
        >>> resolve_models(tokenizer="stanza").tokenizer
        'stanza'
    """
    tokenizer_choice = (tokenizer or os.environ.get(TOKENIZER_ENV) or "rules").strip().lower()
    if tokenizer_choice not in TOKENIZERS:
        raise ModelError(
            f"unknown tokenizer {tokenizer_choice!r}: use 'rules' or 'stanza' ({TOKENIZER_ENV})"
        )
    chosen_tokenizer: TokenizerChoice = "stanza" if tokenizer_choice == "stanza" else "rules"
    chosen_dir = stanza_dir or os.environ.get(STANZA_DIR_ENV)
    if chosen_dir:
        return ModelConfig("dir", Path(chosen_dir).expanduser(), chosen_tokenizer)
    choice = (models or os.environ.get(MODELS_ENV) or "bundled").strip().lower()
    if choice == "bundled":
        return ModelConfig("bundled", BUNDLED_DIR, chosen_tokenizer)
    if choice == "official":
        return ModelConfig("official", OFFICIAL_DIR, chosen_tokenizer)
    raise ModelError(
        f"unknown model set {choice!r}: use 'bundled' or 'official' "
        f"(or set {STANZA_DIR_ENV} to a Stanza resources directory)"
    )


def _model_file(directory: Path, processor: str) -> Path | None:
    """The model file of one processor in our own layout (``en/<processor>/*.pt``).

    A model stored split (``combined.pt.part-01-of-04`` ...) is joined first.
    """
    folder = directory / "en" / processor
    if not folder.is_dir():
        return None
    preferred = folder / "combined.pt"
    if preferred.is_file():
        return preferred
    if any(folder.glob(f"combined.pt{PART_MARK}*")):
        return join_split_model(preferred)
    candidates = sorted(folder.glob("*.pt"))
    return candidates[0] if candidates else None


# Models over a size limit are stored as numbered parts, ``NAME.part-01-of-04`` and so on (the
# GPU machine returns files of at most 16 MiB); they are joined into a cache file on first use.
PART_MARK = ".part-"
_PART_NAME = re.compile(r"\.part-(\d+)-of-(\d+)$")


def join_split_model(target: Path) -> Path:
    """Join the parts of ``target`` (``target.part-KK-of-NN``) into a cached file; its path.

    The cache file is keyed by the parts' names, sizes and modification times, so a model
    replaced on disk is joined again. A missing or stray part is a :class:`ModelError`.

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> for k, chunk in enumerate([b"mod", b"el"], start=1):
        ...     _ = (folder / f"combined.pt.part-{k:02d}-of-02").write_bytes(chunk)
        >>> join_split_model(folder / "combined.pt").read_bytes()
        b'model'
    """
    parts = sorted(target.parent.glob(target.name + PART_MARK + "*"))
    numbered: dict[int, Path] = {}
    totals: set[int] = set()
    for part in parts:
        match = _PART_NAME.search(part.name)
        if match is None or part.name != target.name + match.group(0):
            raise ModelError(f"{part}: not a part of a split model (expected NAME.part-KK-of-NN)")
        numbered[int(match.group(1))] = part
        totals.add(int(match.group(2)))
    expected = set(range(1, max(totals, default=0) + 1))
    if len(totals) != 1 or set(numbered) != expected:
        raise ModelError(
            f"{target}: incomplete split model: parts {sorted(numbered)} of {sorted(totals)}"
        )
    ordered = [numbered[k] for k in sorted(numbered)]
    key = hashlib.sha256()
    for part in ordered:
        stat = part.stat()
        key.update(f"{part.resolve()}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    cache = Path(tempfile.gettempdir()) / "quotes-joined-models" / key.hexdigest()[:20]
    joined = cache / target.name
    if not joined.is_file():
        joined.parent.mkdir(parents=True, exist_ok=True)
        partial = joined.with_name(f"{joined.name}.{os.getpid()}.tmp")
        with partial.open("wb") as out:
            for part in ordered:
                with part.open("rb") as chunk:
                    shutil.copyfileobj(chunk, out)
        partial.replace(joined)  # atomic: a concurrent loader sees a whole file or none
    return joined


def _explicit_paths(directory: Path) -> dict[str, Path]:
    """Processor name -> model file, for every processor present in ``directory``."""
    found: dict[str, Path] = {}
    for processor in (*TOKENIZE_PROCESSORS, *PARSE_PROCESSORS, "pretrain"):
        path = _model_file(directory, processor)
        if path is not None:
            found[processor] = path
    return found


@contextlib.contextmanager
def _quiet_stanza() -> Any:
    """Stanza logs every model it loads at INFO; our users want a progress bar, not that."""
    logger = logging.getLogger("stanza")
    previous = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(previous)


def _download_official(directory: Path) -> None:
    import stanza

    try:
        stanza.download("en", model_dir=str(directory), processors=OFFICIAL_PROCESSORS)
    except Exception as exc:  # requests/urllib errors differ by version; the message is ours
        raise ModelError(
            f"could not download Stanza's official English models into {directory} "
            f"({type(exc).__name__}); are you offline? Unset {MODELS_ENV} to use the bundled "
            "models"
        ) from exc


class NLP:
    """A tokenizer for every sentence, and Stanza's tagger and parser for the chosen ones.

    Build it with :func:`load_pipeline`, which caches it.

    Example:
        >>> nlp = load_pipeline()
        >>> nlp.parse("Hello there.").sentences[0].parsed
        True
    """

    def __init__(self, config: ModelConfig, *, use_gpu: bool | None = None) -> None:
        import stanza

        from quotes.fastcycles import install as install_fast_cycles

        # Same trees, several times faster decoding: see quotes.fastcycles.
        install_fast_cycles()
        self.config = config
        directory = config.directory
        if config.source == "official":
            _download_official(directory)
        if not directory.is_dir():
            raise ModelError(
                f"no Stanza models at {directory}: set {STANZA_DIR_ENV} to a Stanza resources "
                f"directory, or {MODELS_ENV}=official to download Stanza's own"
            )
        common: dict[str, Any] = {"lang": "en", "use_gpu": use_gpu, "logging_level": "ERROR"}
        resources = directory / "resources.json"
        paths = _explicit_paths(directory)
        joined = any(not path.is_relative_to(directory) for path in paths.values())
        if config.source == "bundled" or not resources.is_file() or joined:
            # Our own layout (no resources.json to consult, or split models that Stanza cannot
            # find by itself): every path is given explicitly.
            common.update(
                dir=str(directory),
                download_method=None,
                allow_unknown_language=True,
                resources_filepath=str(_empty_resources()),
            )
            tokenize_kw = {
                f"{p}_model_path": str(paths[p]) for p in TOKENIZE_PROCESSORS if p in paths
            }
            parse_kw = {f"{p}_model_path": str(paths[p]) for p in PARSE_PROCESSORS if p in paths}
            if "pretrain" in paths:
                for processor in ("pos", "depparse", "ner"):
                    parse_kw[f"{processor}_pretrain_path"] = str(paths["pretrain"])
        else:
            common.update(dir=str(directory), download_method=None)
            tokenize_kw, parse_kw = {}, {}
        parse_options: dict[str, Any] = {**parse_kw, **PARSE_BATCH_OPTIONS}
        self.available: tuple[str, ...] = (
            tuple(p for p in (*TOKENIZE_PROCESSORS, *PARSE_PROCESSORS) if p in paths)
            if paths
            else ()
        )
        if config.tokenizer == "stanza" and "tokenize" not in self.available:
            raise ModelError(
                f"no tokenizer model in {directory} (expected en/tokenize/*.pt): set "
                f"{STANZA_DIR_ENV} to a Stanza resources directory, {MODELS_ENV}=official, or "
                f"{TOKENIZER_ENV}=rules"
            )
        tokenize_processors = ",".join(p for p in TOKENIZE_PROCESSORS if p in self.available)
        parse_processors = [p for p in PARSE_PROCESSORS if p in self.available]
        try:
            with _quiet_stanza():
                self._tokenizer = (
                    stanza.Pipeline(
                        processors=tokenize_processors, **common, **tokenize_kw, **TOKENIZE_OPTIONS
                    )
                    if config.tokenizer == "stanza"
                    else None
                )
                self._parser = (
                    stanza.Pipeline(
                        processors=",".join(["tokenize", *parse_processors]),
                        tokenize_pretokenized=True,
                        **common,
                        **parse_options,
                    )
                    if parse_processors
                    else None
                )
        except ModelError:
            raise
        except Exception as exc:
            raise ModelError(f"could not load the Stanza models in {directory}: {exc}") from exc

    @property
    def can_parse(self) -> bool:
        """True when a tagger is loaded (without one, sentences carry tokens only)."""
        return self._parser is not None

    def parse(self, text: str, *, select: SentenceFilter | None = None) -> ParsedDoc:
        """Tokenize ``text`` and parse the sentences that ``select`` keeps (all when ``None``).

        Example:
            >>> load_pipeline().parse("").sentences
            ()
        """
        return self.parse_many([text], select=select)[0]

    def parse_many(
        self,
        texts: Sequence[str],
        *,
        select: SentenceFilter | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> list[ParsedDoc]:
        """Parse several articles, batching the chosen sentences of all of them through the parser.

        ``progress`` is called with the number of articles tokenized so far.

        Example:
            >>> docs = load_pipeline().parse_many(["A said so.", "B did not."])
            >>> len(docs)
            2
        """
        tokenized = self._tokenize_many(texts, progress)
        chosen: list[tuple[int, int]] = []
        for doc_index, (text, sentences) in enumerate(zip(texts, tokenized, strict=True)):
            for sent_index, tokens in enumerate(sentences):
                if not tokens:
                    continue
                if select is None or select(text, tokens):
                    chosen.append((doc_index, sent_index))
        parsed = self._parse_tokens([tokenized[d][s] for d, s in chosen]) if chosen else []
        replaced: dict[tuple[int, int], list[Token]] = dict(zip(chosen, parsed, strict=True))
        docs: list[ParsedDoc] = []
        for doc_index, (text, sentences) in enumerate(zip(texts, tokenized, strict=True)):
            records: list[Sentence] = []
            for sent_index, tokens in enumerate(sentences):
                if not tokens:
                    continue
                new_tokens = replaced.get((doc_index, sent_index))
                final = new_tokens if new_tokens is not None else tokens
                records.append(
                    Sentence(
                        index=len(records),
                        start=final[0].start,
                        end=final[-1].end,
                        tokens=tuple(final),
                        parsed=new_tokens is not None and self._parser is not None,
                    )
                )
            docs.append(ParsedDoc(text=text, sentences=tuple(records)))
        return docs

    def _tokenize_many(
        self, texts: Sequence[str], progress: Callable[[int], None] | None
    ) -> list[list[list[Token]]]:
        """Sentences of tokens per text; several texts go through the tokenizer in one call.

        The texts are joined with blank lines, which the tokenizer treats as paragraph breaks
        (no sentence crosses one), and the sentences are dealt back by offset. One call per
        ~TOKENIZE_BATCH_CHARS instead of one per article: 17.2 s instead of 22.2 s on the news
        articles of bench/throughput.py, with the same tokens.
        """
        if self._tokenizer is None:
            return self._tokenize_with_rules(texts, progress)
        result: list[list[list[Token]]] = [[] for _ in texts]
        batch: list[int] = []
        size = 0
        for index, text in enumerate(texts):
            if text.strip():
                batch.append(index)
                size += len(text)
            if batch and (size >= TOKENIZE_BATCH_CHARS or index == len(texts) - 1):
                self._tokenize_batch(texts, batch, result)
                batch, size = [], 0
            if progress is not None and (not batch or index == len(texts) - 1):
                progress(index + 1)
        return result

    @staticmethod
    def _tokenize_with_rules(
        texts: Sequence[str], progress: Callable[[int], None] | None
    ) -> list[list[list[Token]]]:
        result: list[list[list[Token]]] = []
        for index, text in enumerate(texts):
            result.append(tokenize_text(text))
            if progress is not None and (index % 50 == 49 or index == len(texts) - 1):
                progress(index + 1)
        return result

    def _tokenize_batch(
        self, texts: Sequence[str], batch: list[int], result: list[list[list[Token]]]
    ) -> None:
        assert self._tokenizer is not None
        starts: list[int] = []
        offset = 0
        for index in batch:
            starts.append(offset)
            offset += len(texts[index]) + len(BATCH_SEPARATOR)
        with _quiet_stanza():
            document = self._tokenizer(BATCH_SEPARATOR.join(texts[i] for i in batch))
        for sentence in document.sentences:
            current_doc = -1
            words: list[Token] = []
            for token in sentence.tokens:
                if token.start_char is None:
                    continue
                position = bisect.bisect_right(starts, token.start_char) - 1
                if position != current_doc:
                    # Never seen: a sentence running across the separator. Split it anyway.
                    if words:
                        result[batch[current_doc]].append(words)
                    current_doc, words = position, []
                base, text = starts[position], texts[batch[position]]
                end_char = None if token.end_char is None else token.end_char - base
                start, end = _clamp(token.start_char - base, end_char, len(text))
                for word in token.words:
                    words.append(Token(index=len(words), text=word.text, start=start, end=end))
            if words:
                result[batch[current_doc]].append(words)

    def _parse_tokens(self, sentences: list[list[Token]]) -> list[list[Token]]:
        if self._parser is None:
            return sentences
        with _quiet_stanza():
            document = self._parser([[t.text for t in tokens] for tokens in sentences])
        result: list[list[Token]] = []
        for tokens, parsed in zip(sentences, document.sentences, strict=True):
            words = parsed.words
            if len(words) != len(tokens):
                # A pretokenized parse never re-splits words; if it ever did, keep the tokens.
                result.append(tokens)
                continue
            ner_by_word = _ner_tags(parsed)
            result.append(
                [
                    Token(
                        index=tok.index,
                        text=tok.text,
                        start=tok.start,
                        end=tok.end,
                        upos=word.upos,
                        xpos=word.xpos,
                        lemma=word.lemma,
                        feats=word.feats,
                        head=(word.head - 1) if word.head is not None else None,
                        deprel=word.deprel,
                        ner=ner_by_word[i],
                    )
                    for i, (tok, word) in enumerate(zip(tokens, words, strict=True))
                ]
            )
        return result


def _ner_tags(sentence: Any) -> list[str | None]:
    tags: list[str | None] = []
    for token in sentence.tokens:
        tag = getattr(token, "ner", None)
        tags.extend([tag] * len(token.words))
    return tags


def _clamp(start: int | None, end: int | None, length: int) -> tuple[int, int]:
    start = min(max(start or 0, 0), length)
    end = min(max(end if end is not None else start, start), length)
    return start, end


@lru_cache(maxsize=1)
def _empty_resources() -> Path:
    """Stanza insists on a resources file even when every model path is given: give it one."""
    import tempfile

    path = Path(tempfile.gettempdir()) / "quotes-empty-resources.json"
    if not path.exists():
        path.write_text("{}\n", encoding="utf-8")
    return path


@lru_cache(maxsize=4)
def _cached_pipeline(config: ModelConfig, use_gpu: bool | None) -> NLP:
    return NLP(config, use_gpu=use_gpu)


def load_pipeline(
    models: str | None = None,
    stanza_dir: str | Path | None = None,
    *,
    use_gpu: bool | None = None,
    tokenizer: str | None = None,
) -> NLP:
    """The project's one model loader; cached, so every caller shares one set of models.

    ``models``: ``"bundled"`` (default) or ``"official"``; ``stanza_dir``: any Stanza resources
    directory; ``tokenizer``: ``"rules"`` (default) or ``"stanza"``. They fall back to
    ``QUOTES_MODELS``, ``QUOTES_STANZA_DIR`` and ``QUOTES_TOKENIZER``. ``use_gpu=None`` uses a
    GPU when PyTorch sees one.

    Example:
        >>> nlp = load_pipeline()
        >>> nlp.can_parse
        True
    """
    return _cached_pipeline(resolve_models(models, stanza_dir, tokenizer), use_gpu)


def iter_words(doc: ParsedDoc) -> Iterable[Token]:
    """Every word of a parsed document, in order.

    Example:
        >>> list(iter_words(ParsedDoc(text="", sentences=())))
        []
    """
    for sentence in doc.sentences:
        yield from sentence.tokens
