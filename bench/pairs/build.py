"""The real pair set: attributions from different articles, labelled by reading both in context.

The labels live in ``bench/pairs/labels.jsonl`` as *references*: for each side the article (file
name), the character offsets of its content and a hash of that text, plus the label and a short
reason. No corpus text is stored in the project. At run time :func:`load_pairs` re-reads the
articles from ``../shared/polnear`` (and the project's own ``seeds/``), checks each hash, and
builds what the store would know of each quote: its text, the speaker (a pronoun resolved to the
last named source before it, as the attribution stage does), the cue, the article's date and
about 200 characters of context.

Labels: ``same`` = the same speech event by the same speaker (cuts, ellipses, paraphrase and
direct <-> reported shifts included); ``different`` = another speaker, another occasion, a
fragment or topic only.

Commands::

    python -m bench.pairs.build draw --out /tmp/review      # candidate pairs to read and label
    python -m bench.pairs.build check                       # every label still points at its text

``draw`` writes the candidates (both contents with source, cue, date and context) to a scratch
directory, never into the project; the person labelling reads that file and writes
``labels.jsonl`` lines by hand.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.report import ROOT, shared_dir
from quotes.match import STOPWORDS, MatchItem, normalize_quote

LABELS = Path(__file__).resolve().parent / "labels.jsonl"
SEEDS = ROOT / "seeds"
QUOTE_MARKS = '"\u201c\u201d'
CONTEXT_CHARS = 100
Spans = tuple[tuple[int, int], ...]


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_PRONOUNS = _word_set(
    "he she they it we i you his her their its who which that this these those one"
)
_RELATIVES = frozenset({"who", "which", "that"})
_NOT_NAMES = _word_set(
    """the a an mr mrs ms dr sen senator rep gov president presidential candidate former
    secretary of and campaign spokesman spokeswoman aide aides adviser advisers state
    speaker house governor chairman director vice chief justice"""
)
_NAME = re.compile(r"\b[A-Z][a-zA-Z'\u2019.-]+(?:\s+[A-Z][a-zA-Z'\u2019.-]+)*")


@dataclass(frozen=True, slots=True)
class Attribution:
    """One attributed content in one article, by character offsets.

    ``kind`` is "direct" (the whole content inside quote marks), "mixed" (quote marks around
    part of it) or "indirect" (none).
    """

    corpus: str
    split: str
    doc: str
    spans: Spans
    text: str
    kind: str
    source: str | None
    speaker: str | None
    cue: str | None
    publisher: str | None
    published: date | None
    context: str


@dataclass(frozen=True, slots=True)
class LabelledPair:
    """A pair of attributions from two articles with its label (``same``) and reason."""

    id: str
    split: str
    a: Attribution
    b: Attribution
    same: bool
    reason: str
    group: str
    band: str


def text_hash(text: str) -> str:
    """A short hash of a span's text: the check that an offset still points at the same words.

    Example:
        >>> text_hash("all forms of hegemonism")
        'd0eb69c070a1'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _parse_spans(value: str) -> Spans:
    return tuple(
        (int(start), int(end)) for start, end in (part.split() for part in value.split(";"))
    )


def _joined(text: str, spans: Spans) -> str:
    return " ".join(text[start:end] for start, end in spans)


_QUOTED_PIECE = re.compile(r"[\"\u201c]([^\"\u201c\u201d]+)[\"\u201d]")


def _kind_and_text(text: str, spans: Spans) -> tuple[str, str]:
    """Strip the marks around a wholly quoted content; say whether it is direct or mixed.

    A content made only of quoted pieces ("'We will win,' 'Believe me.'" with the source and cue
    between them left out of the span) is direct: its pieces joined by a space.
    """
    content = _joined(text, spans).strip()
    start, end = spans[0][0], spans[-1][1]
    before = text[max(0, start - 1) : start]
    after = text[end : end + 1]
    pieces = list(_QUOTED_PIECE.finditer(content))
    outside = _QUOTED_PIECE.sub(" ", content)
    if pieces and not re.search(r"\w", outside):
        return "direct", " ".join(m.group(1).strip(" ,.;:") for m in pieces)
    marked_outside = bool(before) and before in QUOTE_MARKS and after in QUOTE_MARKS + ",.;:"
    if marked_outside and not any(mark in content for mark in QUOTE_MARKS):
        return "direct", content.strip(" ,.;:")
    if any(mark in content for mark in QUOTE_MARKS):
        return "mixed", content
    return "indirect", content


def context_window(text: str, spans: Spans, width: int = CONTEXT_CHARS) -> str:
    """About ``width`` characters either side of the content, the content included, cut at
    word boundaries and on one line.

    Example:
        >>> context_window("one two three four five six", ((8, 13),), width=5)
        'two three four'
    """
    start, end = spans[0][0], spans[-1][1]
    low = max(0, start - width)
    high = min(len(text), end + width)
    while low > 0 and not text[low - 1].isspace():
        low += 1
        if low >= start:
            break
    while high < len(text) and not text[high].isspace():
        high -= 1
        if high <= end:
            high = end
            break
    return " ".join(text[low:high].split())


def _name_in(source: str) -> str | None:
    """The person a source span names, as the attribution stage would keep it: the last run of
    two or more capitalised words ("Republican presidential nominee Donald Trump" -> "Donald
    Trump"), else the first single capitalised word that is not an acronym ("Mr. Trump's
    campaign" -> "Trump"); titles dropped; None when nothing is capitalised.

    Example:
        >>> _name_in("Republican presidential nominee Donald J. Trump")
        'Donald J. Trump'
        >>> _name_in("Trump\u2019s potential VP"), _name_in("he")
        ('Trump', None)
    """
    runs = []
    for found in _NAME.finditer(source):
        cleaned = found.group().replace("\u2019s", "").replace("'s", "")
        words = [w for w in cleaned.split() if w.lower().strip(".") not in _NOT_NAMES]
        if words:
            runs.append(words)
    long_runs = [words for words in runs if len(words) >= 2]
    if long_runs:
        return " ".join(long_runs[-1][-3:])
    single = [words[0] for words in runs if not words[0].isupper()]
    return single[0] if single else None


def resolve_speaker(
    source: str | None, names: Sequence[str], text_before: str, last_quoted: str | None = None
) -> str | None:
    """The speaker the store would record for a source span: a name as written; a relative
    pronoun ("who") resolved to the name just before it; another pronoun to the last person
    quoted before it (``last_quoted``), else to the person, among the article's named sources
    (``names``), mentioned last before it; None when nothing names anyone.

    Example:
        >>> resolve_speaker("he", ["Ted Cruz", "Donald Trump"], "Trump spoke. Cruz replied, and")
        'Ted Cruz'
        >>> resolve_speaker("she", ["Betty Shelby"], "Clinton criticized Shelby", "Clinton")
        'Clinton'
        >>> resolve_speaker("who", [], "said Senator Bernie Sanders, ")
        'Bernie Sanders'
    """
    if not source:
        return None
    words = source.lower().split()
    if len(words) == 1 and words[0] in _RELATIVES:
        found = [_name_in(m.group()) for m in _NAME.finditer(text_before[-80:])]
        named = [n for n in found if n]
        return named[-1] if named else None
    if words and words[0] in _PRONOUNS and len(words) <= 2:
        if last_quoted:
            return last_quoted

        def last_mention(name: str) -> int:
            return text_before.rfind(name.split()[-1])

        best = max(names, key=last_mention, default=None)
        return best if best is not None and last_mention(best) >= 0 else None
    return _name_in(source)


def _read_ann(path: Path) -> Iterable[tuple[Spans, Spans | None, Spans | None]]:
    spans: dict[str, Spans] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        if line.startswith("T"):
            _label, _, offsets = parts[1].partition(" ")
            spans[parts[0]] = _parse_spans(offsets)
        elif line.startswith("E"):
            events.append(dict(arg.split(":", 1) for arg in parts[1].split()[1:]))
    for event in events:
        content = spans.get(event.get("Content", ""))
        if content:
            yield content, spans.get(event.get("Source", "")), spans.get(event.get("Cue", ""))


def _metadata(root: Path) -> dict[str, tuple[str, date | None]]:
    rows: dict[str, tuple[str, date | None]] = {}
    lines = (root / "metadata.tsv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    for line in lines[1:]:
        row = dict(zip(header, line.split("\t"), strict=False))
        try:
            published: date | None = date.fromisoformat(row.get("publication_date", ""))
        except ValueError:
            published = None
        rows[row["filename"]] = (row.get("publisher", ""), published)
    return rows


def article_attributions(
    text: str, events: Iterable[tuple[Spans, Spans | None, Spans | None]], **where: object
) -> list[Attribution]:
    """The attributions of one article, in reading order, speakers resolved."""
    ordered = sorted(events, key=lambda event: event[0][0][0])
    sources = [_joined(text, src) if src else None for _content, src, _cue in ordered]
    names = sorted(
        {
            name
            for source in sources
            if source and source.split()[0].lower() not in _PRONOUNS
            for name in [_name_in(source)]
            if name
        }
    )
    found = []
    last_quoted: str | None = None
    for (content, source_spans, cue_spans), source in zip(ordered, sources, strict=True):
        before = text[: source_spans[0][0]] if source_spans else ""
        kind, quote = _kind_and_text(text, content)
        speaker = resolve_speaker(source, names, before, last_quoted)
        if source and source.split()[0].lower() not in _PRONOUNS and _name_in(source):
            last_quoted = speaker
        found.append(
            Attribution(
                spans=content,
                text=quote,
                kind=kind,
                source=source,
                speaker=speaker,
                cue=_joined(text, cue_spans) if cue_spans else None,
                context=context_window(text, content),
                **where,  # type: ignore[arg-type]
            )
        )
    return found


def read_polnear(root: Path | None = None) -> list[Attribution]:
    """Every attribution of PolNeAR train and dev ([] when the corpus is absent)."""
    root = root or shared_dir() / "polnear"
    if not (root / "metadata.tsv").exists():
        return []
    metadata = _metadata(root)
    found: list[Attribution] = []
    for split in ("train", "dev"):
        for ann in sorted((root / split / "attributions").glob("*.ann")):
            text_path = root / split / "text" / (ann.stem + ".txt")
            if not text_path.exists():
                continue
            publisher, published = metadata.get(ann.stem, (None, None))
            found += article_attributions(
                text_path.read_text(encoding="utf-8"),
                _read_ann(ann),
                corpus="polnear",
                split=split,
                doc=ann.stem,
                publisher=publisher,
                published=published,
            )
    return found


class LabelError(ValueError):
    """A label that no longer points at its text (the corpus changed under it)."""


def _index(attributions: Iterable[Attribution]) -> dict[tuple[str, Spans], Attribution]:
    return {(a.doc, a.spans): a for a in attributions}


def load_pairs(
    labels: Path = LABELS, attributions: Sequence[Attribution] | None = None
) -> list[LabelledPair]:
    """The labelled pairs, re-read from the corpus ([] when ../shared/polnear is absent).

    Every side is found again by article and offsets and its text checked against the stored
    hash; a mismatch raises :class:`LabelError` naming the label (the corpus changed).
    """
    found = _index(attributions if attributions is not None else read_polnear())
    if not found:
        return []
    pairs = []
    for number, line in enumerate(labels.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        sides = []
        for key in ("a", "b"):
            ref = row[key]
            spans = tuple((int(start), int(end)) for start, end in ref["spans"])
            side = found.get((ref["doc"], spans))
            if side is None or text_hash(side.text) != ref["sha"]:
                raise LabelError(f"{labels.name} line {number}: {row['id']} side {key} moved")
            sides.append(side)
        pairs.append(
            LabelledPair(
                id=row["id"],
                split=row["split"],
                a=sides[0],
                b=sides[1],
                same=row["label"] == "same",
                reason=row["reason"],
                group=row["class"],
                band=row["band"],
            )
        )
    return pairs


def match_item(side: Attribution, ident: str) -> MatchItem:
    """What the store's matcher knows of one side."""
    return MatchItem(
        id=ident,
        text=side.text,
        speaker=side.speaker,
        kind=side.kind,
        doc=side.doc,
        published=side.published,
        cue=side.cue,
        context=side.context,
    )


# --------------------------------------------------------------------------- drawing candidates


def _content_words(text: str) -> list[str]:
    return [w for w in normalize_quote(text).replace("\x00", " ").split() if w not in STOPWORDS]


def neutral_similarity(a: str, b: str) -> float:
    """The band measure of the draw: RapidFuzz token-set ratio of the normalised texts (0..1).
    Neutral on purpose: it is not the matcher's score, so the draw does not favour its cases."""
    from rapidfuzz import fuzz

    left = normalize_quote(a).replace("\x00", " ")
    right = normalize_quote(b).replace("\x00", " ")
    return fuzz.token_set_ratio(left, right) / 100.0


BANDS = (("b1", 0.95, 1.01), ("b2", 0.80, 0.95), ("b3", 0.65, 0.80), ("b4", 0.50, 0.65))
LOW_BAND = "b5"
LOW_BAND_DAYS = 4
# The hard zone, drawn second: one speaker, at most HARD_BAND_DAYS apart, similarity of b1-b4.
HARD_BAND = "b6"
HARD_BAND_DAYS = 7
# The draw that made labels.jsonl: dev is small (84 articles), so all its close pairs are taken.
DEFAULT_QUOTAS = (
    "train:b1=100,train:b2=90,train:b3=80,train:b4=50,train:b5=60,"
    "dev:b1=8,dev:b2=34,dev:b3=30,dev:b4=20,dev:b5=40"
)
# The second draw (the hard zone), made after the first was labelled:
#   draw --quotas dev:b6=29,train:b6=130 --seed 20 --exclude <first candidates> --first-number 512
HARD_QUOTAS = "dev:b6=29,train:b6=130"


def candidate_pairs(
    attributions: Sequence[Attribution], max_df: int = 150
) -> dict[str, list[tuple[int, int, float]]]:
    """Pairs from different articles of one split, by band: pairs sharing two or more fairly
    rare content words go to bands b1-b4 by :func:`neutral_similarity`; pairs of one speaker
    published at most LOW_BAND_DAYS apart that share a content word and fall below b4 go to b5
    (a speaker's other statements on the topic); the pairs of b1-b4 by one speaker at most
    HARD_BAND_DAYS apart are also in b6 (where a matcher must tell a statement from the same
    speaker's next one)."""
    words = [set(_content_words(a.text)) for a in attributions]
    frequency = Counter(w for ws in words for w in ws)
    postings: dict[str, list[int]] = defaultdict(list)
    for index, ws in enumerate(words):
        for word in ws:
            if frequency[word] <= max_df:
                postings[word].append(index)
    shared: Counter[tuple[int, int]] = Counter()
    for members in postings.values():
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                a, b = attributions[i], attributions[j]
                if a.doc != b.doc and a.split == b.split:
                    shared[(i, j)] += 1
    bands: dict[str, list[tuple[int, int, float]]] = defaultdict(list)
    for (i, j), count in shared.items():
        a, b = attributions[i], attributions[j]
        close = _same_speaker_close(a, b)
        if count < 2 and not close:
            continue
        similarity = neutral_similarity(a.text, b.text)
        band = next((name for name, low, high in BANDS if low <= similarity < high), None)
        if band and count >= 2:
            bands[band].append((i, j, similarity))
            if _same_speaker_close(a, b, HARD_BAND_DAYS):
                bands[HARD_BAND].append((i, j, similarity))
        elif band is None and close:
            bands[LOW_BAND].append((i, j, similarity))
    return bands


def _same_speaker_close(a: Attribution, b: Attribution, days: int = LOW_BAND_DAYS) -> bool:
    if not a.speaker or not b.speaker or a.published is None or b.published is None:
        return False
    surname_a, surname_b = a.speaker.split()[-1], b.speaker.split()[-1]
    return surname_a == surname_b and abs((a.published - b.published).days) <= days


def _usable(side: Attribution) -> bool:
    """A content the extraction could report as a quote: quoted words with two content words or
    more, or reported speech of five words or more with three content words ("it", "the plan",
    "his rival" are what a cue is about, not something said)."""
    words = len(normalize_quote(side.text).split())
    content = len(_content_words(side.text))
    if side.kind == "indirect":
        return words >= 5 and content >= 3
    return content >= 2


REVIEW_CONTEXT_CHARS = 300


def _side_block(label: str, side: Attribution, text: str) -> list[str]:
    start, end = side.spans[0][0], side.spans[-1][1]
    wide = context_window(text, side.spans, REVIEW_CONTEXT_CHARS)
    content = " ".join(text[start:end].split())
    marked = wide.replace(content, f"[[{content}]]", 1)
    return [
        f"  {label}: {side.doc} | {side.publisher} | {side.published} | kind {side.kind}",
        f"     source: {side.source!r} -> speaker {side.speaker!r} | cue: {side.cue!r}",
        f"     content: {side.text}",
        f"     context: {marked}",
    ]


def draw(
    out_dir: Path,
    quotas: dict[tuple[str, str], int],
    seed: int = 19,
    *,
    exclude: Path | None = None,
    first_number: int = 0,
) -> Path:
    """Write ``quotas[(split, band)]`` candidate pairs of each band to ``out_dir``: a review
    file to read (``candidates.txt``, in random order, without band or score so that the reader
    labels from the text alone) and their references (``candidates.jsonl``). Pairs listed in
    ``exclude`` (a labels or candidates file) are not drawn again; numbering starts at
    ``first_number``."""
    attributions = [a for a in read_polnear() if _usable(a)]
    bands = candidate_pairs(attributions)
    drawn = _drawn_pairs(exclude) if exclude else set()
    rng = random.Random(seed)
    chosen = []
    for (split, band), quota in sorted(quotas.items()):
        members = sorted(
            m
            for m in bands.get(band, [])
            if attributions[m[0]].split == split
            and _pair_key(attributions[m[0]], attributions[m[1]]) not in drawn
        )
        rng.shuffle(members)
        print(f"{split} {band}: {len(members)} candidates, drawing {quota}", file=sys.stderr)
        chosen += [(band, i, j) for i, j, _similarity in members[:quota]]
    rng.shuffle(chosen)
    texts: dict[str, str] = {}
    root = shared_dir() / "polnear"

    def text_of(side: Attribution) -> str:
        if side.doc not in texts:
            texts[side.doc] = (root / side.split / "text" / f"{side.doc}.txt").read_text("utf-8")
        return texts[side.doc]

    out_dir.mkdir(parents=True, exist_ok=True)
    review, refs = [], []
    for number, (band, i, j) in enumerate(chosen, start=first_number):
        a, b = attributions[i], attributions[j]
        ident = f"{a.split[0]}{number:04d}"
        refs.append({"id": ident, "split": a.split, "band": band, "a": _ref(a), "b": _ref(b)})
        review += [f"## {ident}"]
        review += _side_block("A", a, text_of(a)) + _side_block("B", b, text_of(b)) + [""]
    (out_dir / "candidates.txt").write_text("\n".join(review), encoding="utf-8")
    with (out_dir / "candidates.jsonl").open("w", encoding="utf-8") as handle:
        for ref in refs:
            handle.write(json.dumps(ref) + "\n")
    return out_dir / "candidates.txt"


def _pair_key(a: Attribution, b: Attribution) -> frozenset[tuple[str, int]]:
    return frozenset({(a.doc, a.spans[0][0]), (b.doc, b.spans[0][0])})


def _drawn_pairs(path: Path) -> set[frozenset[tuple[str, int]]]:
    keys = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            ref = json.loads(line)
            keys.add(
                frozenset({(side["doc"], side["spans"][0][0]) for side in (ref["a"], ref["b"])})
            )
    return keys


def _ref(side: Attribution) -> dict[str, object]:
    return {
        "corpus": side.corpus,
        "doc": side.doc,
        "spans": [list(span) for span in side.spans],
        "sha": text_hash(side.text),
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    drawing = commands.add_parser("draw", help="write candidate pairs to read and label")
    drawing.add_argument("--out", type=Path, default=Path("/tmp/quotes-pairs"))
    drawing.add_argument(
        "--quotas",
        default=DEFAULT_QUOTAS,
        help="split:band=count,... (default: %(default)s)",
    )
    drawing.add_argument("--seed", type=int, default=19)
    drawing.add_argument("--exclude", type=Path, help="pairs already drawn (jsonl)")
    drawing.add_argument("--first-number", type=int, default=0)
    commands.add_parser("check", help="check every label still points at its text")
    args = parser.parse_args(argv)
    if args.command == "check":
        pairs = load_pairs()
        if not pairs:
            print(f"{shared_dir() / 'polnear'} is absent: nothing to check", file=sys.stderr)
            return
        counts = Counter((pair.split, pair.same) for pair in pairs)
        print(f"{len(pairs)} pairs point at their text: {dict(counts)}")
    if args.command == "draw":
        quotas = {}
        for part in args.quotas.split(","):
            key, count = part.split("=")
            split, band = key.split(":")
            quotas[(split, band)] = int(count)
        print(
            draw(args.out, quotas, args.seed, exclude=args.exclude, first_number=args.first_number)
        )


if __name__ == "__main__":
    main()
