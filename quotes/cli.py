"""The ``quotes`` command: ingest articles, look up who said what, export tables, start the app.

Every subcommand has ``--help``. Errors are printed on one line, ``quotes: <file>: <problem>``,
never as a traceback. Exit codes, for scripts:

- ``0``: success (for ``ingest``/``extract``: at least one input was usable; problems with other
  inputs are printed on stderr);
- ``1``: a failure that is not the input's fault (models missing, store unreadable...);
- ``2``: bad usage or bad input (unknown option, every input file unusable, unknown table...);
- ``130``: interrupted with Ctrl-C (an interrupted ingest keeps every batch already committed).

Example:
    $ quotes ingest seeds/ && quotes who-said "all forms of hegemonism"
    $ quotes extract seeds/000_2ead94cebe1fb69a.txt --format jsonl > quotes.jsonl
    $ quotes export all --format parquet --out exports/
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from quotes.errors import InputError, QuotesError

if TYPE_CHECKING:
    import polars as pl

    from quotes.api import Tracker

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
PROGRAM = "quotes"
EXPORT_FORMATS = ("parquet", "csv", "ndjson", "xlsx")


class UsageError(QuotesError):
    """The command line asks for something that cannot be done (exit code 2)."""


def _problem(message: object, stream: TextIO | None = None) -> None:
    text = " ".join(str(message).split())  # one line, whatever the message holds
    print(f"{PROGRAM}: {text}", file=stream or sys.stderr)


def _add_limit_option(parser: argparse.ArgumentParser, default: int, help: str) -> None:
    parser.add_argument("--limit", type=_positive_int, default=default, metavar="N", help=help)


def _add_store_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store",
        metavar="DIR",
        default=None,
        help="store directory (default: $QUOTES_STORE, else data/quotes/)",
    )


def _add_json_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json", action="store_true", help="write one JSON object per row instead of a table"
    )


def _open_tracker(args: argparse.Namespace, *, must_exist: bool = True) -> Tracker:
    from quotes.api import Tracker
    from quotes.store import DB_NAME, resolve_store_path

    path = resolve_store_path(args.store)
    if must_exist and not (path / DB_NAME).exists():
        raise UsageError(
            f"no store at {path}: run `quotes ingest PATH...` first (or pass --store DIR)"
        )
    return Tracker.open(path)


DISPLAY_COLUMNS: dict[str, list[str]] = {
    "clusters": [
        "cluster_id",
        "n_versions",
        "n_articles",
        "max_drift",
        "speakers",
        "outlets",
        "reference",
    ],
    "speakers": [
        "speaker",
        "speaker_type",
        "n_quotes",
        "n_articles",
        "n_clusters",
        "roles",
        "outlets",
    ],
    "outlets": ["outlet", "n_quotes", "n_articles", "n_published", "speakers"],
    "articles": ["article", "title", "publisher", "published", "n_chars", "n_quotes"],
    "quotes": ["quote_id", "article", "kind", "speaker", "outlet", "cue", "text"],
    "variants": [
        "quote_id",
        "is_reference",
        "drift",
        "speaker",
        "outlet",
        "article",
        "published",
        "text",
    ],
    "who_said": ["score", "speaker", "outlet", "article", "published", "cluster_id", "text"],
    "corrections": [
        "correction_id",
        "created_at",
        "author",
        "action",
        "target",
        "value",
        "quote_text",
        "undone_at",
    ],
}


def _for_people(frame: pl.DataFrame, table: str | None) -> pl.DataFrame:
    """Fewer columns, lists joined with commas and drift rounded: a table that fits a screen."""
    import polars as pl

    if table in DISPLAY_COLUMNS:
        frame = frame.select(DISPLAY_COLUMNS[table])
    return frame.with_columns(
        [pl.col(c).list.join(", ") for c, t in frame.schema.items() if t == pl.List(pl.String())]
        + [pl.col(c).round(3) for c, t in frame.schema.items() if t == pl.Float64()]
        # A quote running over paragraphs would break the table's rows.
        + [
            pl.col(c).str.replace_all(r"\s+", " ")
            for c, t in frame.schema.items()
            if t == pl.String()
        ]
    )


def _print_frame(
    frame: pl.DataFrame, *, as_json: bool, limit: int | None = None, table: str | None = None
) -> None:
    import polars as pl

    if as_json:
        sys.stdout.write(frame.write_ndjson())
        return
    rows = frame.height if limit is None else min(limit, frame.height)
    shown = _for_people(frame.head(rows), table)
    with pl.Config(
        tbl_rows=max(rows, 1),
        tbl_cols=-1,
        fmt_str_lengths=70,
        tbl_width_chars=1000,  # wide rows rather than cells wrapped over many lines
        tbl_formatting="ASCII_MARKDOWN",
        tbl_hide_dataframe_shape=True,
        tbl_hide_column_data_types=True,
    ):
        print(shown)
    if limit is not None and frame.height > limit:
        print(f"({frame.height - limit} more rows; use --limit N or --json)")


# --- subcommands -------------------------------------------------------------------------------


def cmd_extract(args: argparse.Namespace) -> int:
    """Stateless extraction: files in, quotes out (no store)."""
    from quotes.extract import extract_texts, format_table
    from quotes.sources import collect

    articles, problems = collect(args.paths)
    for problem in problems:
        _problem(problem)
    if not articles:
        _problem("no usable input")
        return EXIT_USAGE
    from tqdm import tqdm

    # disable=None: the bar shows on a terminal only, never in pipes or logs.
    with tqdm(total=len(articles), desc="extracting", unit="article", disable=None) as bar:
        per_article = extract_texts(
            [(article.id, article.text) for article in articles],
            progress=lambda done: bar.update(done - bar.n),
        )
    found = [quote for quotes in per_article for quote in quotes]
    if args.format == "table":
        print(format_table(found))
    else:
        out = sys.stdout
        for quote in found:
            out.write(json.dumps(quote.to_dict(), ensure_ascii=False) + "\n")
    return EXIT_OK


def cmd_pairs(args: argparse.Namespace) -> int:
    """Judge pairs of quotes (same utterance or not) with the clustering's own decision rule."""
    from quotes.match import judge_pairs

    path = Path(args.file)
    if str(path) == "-":
        lines = sys.stdin.read().splitlines()
    else:
        try:
            lines = path.read_text(encoding="utf-8-sig").splitlines()
        except FileNotFoundError:
            raise InputError(str(path), "no such file") from None
        except UnicodeDecodeError:
            raise InputError(str(path), "not UTF-8 text") from None
        except OSError as exc:
            raise InputError(str(path), f"cannot read the file ({exc.strerror or exc})") from None
    for verdict in judge_pairs(lines, source="stdin" if str(path) == "-" else str(path)):
        print(json.dumps(_jsonable(verdict), ensure_ascii=False))
    return EXIT_OK


def _jsonable(value: Any) -> Any:
    import dataclasses

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return value


def cmd_ingest(args: argparse.Namespace) -> int:
    """Add articles to the store. An ingest with nothing usable creates no store."""
    from quotes.api import Tracker
    from quotes.sources import collect
    from quotes.store import DB_NAME, resolve_store_path

    path = resolve_store_path(args.store)
    articles, problems = collect(args.paths)
    skipped = [(problem.source, problem.problem) for problem in problems]
    existed = (path / DB_NAME).exists()
    try:
        if articles or existed:
            with Tracker.open(path) as tracker:
                report = tracker.ingest_texts(
                    articles,
                    skipped=skipped,
                    progress=not args.no_progress,
                    workers=args.workers,
                    batch_size=args.batch_size,
                )
        else:
            from quotes.store import IngestReport

            report = IngestReport(0, 0, 0, tuple(skipped), 0)
    finally:
        if not existed:
            _remove_if_empty(path)
    for source, problem in report.skipped:
        _problem(f"{source}: {problem} (skipped)")
    for source, stored in report.duplicates:
        _problem(f"{source}: the same text as stored article {stored!r} (not added again)")
    print(report.summary(), file=sys.stdout)
    if (path / DB_NAME).exists():
        print(f"store: {path}")
    usable = report.added + report.replaced + report.unchanged + report.re_extracted
    return EXIT_OK if usable or report.duplicates or not report.skipped else EXIT_USAGE


def _remove_if_empty(path: Path) -> None:
    """Remove a store this command created but put no article in (a failed first ingest)."""
    import sqlite3

    from quotes.store import DB_NAME

    database = path / DB_NAME
    if not database.exists():
        return
    try:
        with contextlib.closing(sqlite3.connect(database)) as db:
            articles = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.DatabaseError:
        return  # not ours to judge: leave it
    if articles:
        return
    for suffix in ("", "-wal", "-shm", "-journal"):
        (path / f"{DB_NAME}{suffix}").unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        path.rmdir()  # only when empty: nothing else of the user's is touched


def cmd_who_said(args: argparse.Namespace) -> int:
    """Fuzzy phrase lookup: who said it, through which outlet, in which articles."""
    with _open_tracker(args) as tracker:
        frame = tracker.who_said(args.phrase, limit=args.limit)
    if frame.is_empty() and not args.json:
        print(f"nothing close to {args.phrase!r} in the store")
        return EXIT_OK
    _print_frame(frame, as_json=args.json, table="who_said")
    return EXIT_OK


def cmd_quotes(args: argparse.Namespace) -> int:
    """List stored quotes, filtered."""
    from quotes.sources import parse_published

    try:
        since = parse_published(args.since) if args.since else None
    except ValueError as exc:
        raise UsageError(f"--since: {exc}") from None
    with _open_tracker(args) as tracker:
        frame = tracker.quotes(
            speaker=args.speaker,
            outlet=args.outlet,
            since=since,
            kind=args.kind,
            cluster=args.cluster,
            min_confidence=args.min_confidence,
        )
    _print_frame(frame, as_json=args.json, limit=None if args.json else args.limit, table="quotes")
    return EXIT_OK


def cmd_table(args: argparse.Namespace) -> int:
    """Print one of the stored tables (speakers, outlets, clusters, articles)."""
    with _open_tracker(args) as tracker:
        frame = getattr(tracker, args.table)()
    _print_frame(
        frame, as_json=args.json, limit=None if args.json else args.limit, table=args.table
    )
    return EXIT_OK


def cmd_variants(args: argparse.Namespace) -> int:
    """Every version of one statement (by quote id or cluster id) with its drift score."""
    with _open_tracker(args) as tracker:
        frame = tracker.variants(args.id)
    _print_frame(frame, as_json=args.json, table="variants")
    return EXIT_OK


def cmd_cite(args: argparse.Namespace) -> int:
    """A statement ready to cite: every version with outlet, date, link and drift."""
    from quotes.cite import cite
    from quotes.views import statement_view

    with _open_tracker(args) as tracker:
        text = cite(statement_view(tracker, args.id), args.format, base=args.link_base)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"citation of {args.id} -> {args.out}")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    """Write one table, or all, as parquet, csv, ndjson or xlsx."""
    from quotes.tables import TABLE_NAMES, export

    names = list(TABLE_NAMES) if args.table == "all" else [args.table]
    if args.table != "all" and args.table not in TABLE_NAMES:
        raise UsageError(f"unknown table {args.table!r}: use one of {', '.join(TABLE_NAMES)}, all")
    out = Path(args.out)
    with _open_tracker(args) as tracker:
        frames = {name: tracker.table(name) for name in names}
    if args.table == "all" or out.is_dir() or str(args.out).endswith(("/", os.sep)):
        out.mkdir(parents=True, exist_ok=True)
        targets = {name: out / f"{name}.{args.format}" for name in names}
    else:
        targets = {names[0]: out}
    for name, target in targets.items():
        export(frames[name], target, args.format)
        print(f"{name}: {frames[name].height} rows -> {target}")
    return EXIT_OK


def cmd_app(args: argparse.Namespace) -> int:
    """Start the Streamlit app on the store."""
    from quotes.store import resolve_store_path

    app = Path(__file__).resolve().parent.parent / "app.py"
    if not app.is_file():
        raise QuotesError(f"the app is not installed here (no {app})")
    env = dict(os.environ)
    env["QUOTES_STORE"] = str(resolve_store_path(args.store).resolve())
    command = [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(args.port)]
    if args.headless:
        command += ["--server.headless", "true"]
    print(f"starting the app on store {env['QUOTES_STORE']}: http://localhost:{args.port}")
    sys.stdout.flush()
    if os.name == "posix":
        # Become Streamlit: Ctrl-C and SIGTERM then reach it directly, no orphan server is left.
        os.execve(sys.executable, command, env)
    try:
        return subprocess.call(command, env=env)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


# --- parser ------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``quotes`` command (one subparser per subcommand).

    Example:
        >>> build_parser().parse_args(["extract", "a.txt"]).format
        'jsonl'
    """
    parser = argparse.ArgumentParser(
        prog=PROGRAM,
        description=(
            "Find quotations in news articles, say who said them and through which outlet, "
            "and group the versions of one statement across articles."
        ),
        epilog="exit codes: 0 success, 1 failure, 2 bad usage or input, 130 interrupted",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    _add_reading_parsers(sub)
    _add_query_parsers(sub)
    _add_output_parsers(sub)
    _add_correction_parsers(sub)
    return parser


def _add_reading_parsers(sub: Any) -> None:
    """The subcommands that read articles: ingest, extract."""
    p = sub.add_parser(
        "ingest",
        help="add articles (.txt, .html, .jsonl, .csv, directories, globs) to the store",
        description="Parse articles and add their quotes to the store. Articles already stored "
        "with the same text are skipped; changed ones replace their old quotes. Each batch is "
        "committed atomically: an interrupted ingest keeps the batches already done, and running "
        "it again completes it.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, directories or glob patterns")
    _add_store_option(p)
    p.add_argument(
        "--workers",
        type=_positive_int,
        default=1,
        metavar="N",
        help="processes that parse articles in parallel (default 1)",
    )
    p.add_argument(
        "--batch-size",
        type=_positive_int,
        default=32,
        metavar="N",
        help="articles per committed batch (default 32)",
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(handler=cmd_ingest)

    p = sub.add_parser(
        "extract",
        help="print the quotes of files, without a store",
        description="Find the quotes of each file and print them: one JSON object per quote "
        "(doc, start, end, spans, text, kind, speaker, cue, outlet...; offsets are Python string "
        "offsets into the file's UTF-8 text) or a readable table.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, directories or glob patterns")
    p.add_argument(
        "--format",
        choices=("jsonl", "table"),
        default="jsonl",
        help="output format (default jsonl)",
    )
    p.set_defaults(handler=cmd_extract)


def _add_query_parsers(sub: Any) -> None:
    """The subcommands that ask the store: who-said, quotes, the tables, variants."""
    p = sub.add_parser(
        "who-said",
        help="fuzzy lookup of a phrase: who said it, where, and how each outlet worded it",
        description="Find the stored quotes that contain something close to PHRASE, with every "
        "version of the same statement (its cluster), its speaker, outlet and article.",
    )
    p.add_argument("phrase", metavar="PHRASE")
    _add_limit_option(p, 20, "most matching quotes to expand (default 20)")
    _add_store_option(p)
    _add_json_option(p)
    p.set_defaults(handler=cmd_who_said)

    p = sub.add_parser(
        "quotes",
        help="list stored quotes, filtered",
        description="List the stored quotes; filters combine with AND.",
    )
    p.add_argument("--speaker", help="speaker name (case-insensitive substring)")
    p.add_argument("--outlet", help="outlet name (case-insensitive substring)")
    p.add_argument("--since", metavar="YYYY-MM-DD", help="articles published on or after")
    p.add_argument("--kind", choices=("direct", "mixed", "indirect", "scare"))
    p.add_argument("--cluster", help="only the quotes of this statement (cluster or quote id)")
    p.add_argument(
        "--min-confidence",
        type=_confidence,
        metavar="X",
        help="only quotes extracted with at least this confidence (0-1)",
    )
    _add_limit_option(p, 50, "rows shown as a table (default 50)")
    _add_store_option(p)
    _add_json_option(p)
    p.set_defaults(handler=cmd_quotes)

    for table, text in (
        ("speakers", "list speakers merged across articles, with counts and roles"),
        ("outlets", "list outlets with the number of quotes and articles they carry"),
        ("clusters", "list statements reported in several versions, most drift first"),
        ("articles", "list stored articles"),
    ):
        p = sub.add_parser(table, help=text, description=text[0].upper() + text[1:] + ".")
        _add_limit_option(p, 50, "rows shown as a table (default 50)")
        _add_store_option(p)
        _add_json_option(p)
        p.set_defaults(handler=cmd_table, table=table)

    p = sub.add_parser(
        "variants",
        help="every version of one statement with its drift",
        description="Every version of the statement that ID belongs to "
        "(a quote id or a cluster id), with its drift score against the reference.",
    )
    p.add_argument("id", metavar="ID", help="quote id or cluster id")
    _add_store_option(p)
    _add_json_option(p)
    p.set_defaults(handler=cmd_variants)


def _add_output_parsers(sub: Any) -> None:
    """The subcommands that write or serve: export, pairs, app."""
    p = sub.add_parser(
        "cite",
        help="a statement ready to cite: every version with outlet, date, link and drift",
        description="Print every version of the statement ID belongs to (a quote id or a "
        "cluster id) with its outlet, date, article, link and drift, as Markdown to paste into "
        "an article or as CSV.",
    )
    p.add_argument("id", metavar="ID", help="quote id or cluster id")
    p.add_argument("--format", choices=("md", "csv"), default="md", help="default md")
    p.add_argument(
        "--link-base",
        metavar="URL",
        help="the app's address (http://host:8501), to add the statement's link",
    )
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of the screen")
    _add_store_option(p)
    p.set_defaults(handler=cmd_cite)

    p = sub.add_parser(
        "export",
        help="write a table (or all) as parquet, csv, ndjson or xlsx",
        description="Write stored tables to files. TABLE is one of articles, quotes, speakers, "
        "outlets, clusters, variants, or 'all' (then --out is a directory, one file per table). "
        "List columns (spans, roles) are written as JSON text in csv and xlsx.",
    )
    p.add_argument("table", metavar="TABLE")
    p.add_argument("--format", choices=EXPORT_FORMATS, default="parquet")
    p.add_argument("--out", required=True, metavar="PATH", help="output file (or directory)")
    _add_store_option(p)
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser(
        "pairs",
        help="judge pairs of quotes: same utterance or not",
        description="Read FILE.jsonl ('-' reads stdin): objects with 'a', 'b' and any of "
        "'a_speaker'/'b_speaker', 'a_cue'/'b_cue', 'a_date'/'b_date' (YYYY-MM-DD), "
        "'a_context'/'b_context' (about 200 characters around each quote) and 'a_kind'/'b_kind' "
        '(direct, mixed, indirect). Write {"same": bool, "score": float, "reason": str} '
        "per line, with the decision rule that clustering uses; what is given is used.",
    )
    p.add_argument("file", metavar="FILE.jsonl")
    p.set_defaults(handler=cmd_pairs)

    p = sub.add_parser(
        "app",
        help="start the Streamlit app on the store",
        description="Start the wording-drift explorer (streamlit run app.py) on "
        "the store; open the printed address in a browser.",
    )
    _add_store_option(p)
    p.add_argument("--port", type=_positive_int, default=8501)
    p.add_argument("--headless", action="store_true", help="do not open a browser")
    p.set_defaults(handler=cmd_app)


CORRECTIONS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "speaker": ("say who really said a quote", [("quote_id", "QUOTE_ID"), ("name", "NAME")]),
    "merge-speakers": (
        "make every quote of one speaker a quote of another",
        [("source", "SOURCE"), ("target", "TARGET")],
    ),
    "split": ("take a version out of its statement", [("quote_id", "QUOTE_ID")]),
    "merge-statements": (
        "make the statements of two quotes one statement",
        [("quote_id", "QUOTE_ID"), ("other", "QUOTE_ID")],
    ),
    "not-quote": ("mark a quote as not a quote (hidden everywhere)", [("quote_id", "QUOTE_ID")]),
    "pin": ("make a version its statement's reference", [("quote_id", "QUOTE_ID")]),
    "undo": ("undo a correction", [("correction_id", "CORRECTION_ID")]),
}
"""The ``quotes correct`` verbs: help, and their positional arguments."""


def _add_correction_parsers(sub: Any) -> None:
    p = sub.add_parser(
        "correct",
        help="fix what the machine got wrong (speaker, statements, not a quote, reference)",
        description="Corrections are stored in the store with who and when, survive re-ingest "
        "and re-clustering, show in every table and export, and can be undone "
        "(`quotes correct undo ID`; `quotes corrections` lists them).",
    )
    verbs = p.add_subparsers(dest="verb", metavar="VERB", required=True)
    for verb, (text, arguments) in CORRECTIONS.items():
        v = verbs.add_parser(verb, help=text, description=text[0].upper() + text[1:] + ".")
        for name, metavar in arguments:
            kind = _positive_int if name == "correction_id" else str
            v.add_argument(name, metavar=metavar, type=kind)
        if verb != "undo":
            v.add_argument("--author", help="who made the correction (stored with it)")
        _add_store_option(v)
        v.set_defaults(handler=cmd_correct)
    p = sub.add_parser(
        "corrections",
        help="list the corrections in force (--all: undone ones too)",
        description="List the corrections: id, when (UTC), author, action, target quote or "
        "speaker, value, the quote's article, offsets and text, and when it was undone.",
    )
    p.add_argument("--all", action="store_true", help="also the corrections undone")
    _add_store_option(p)
    _add_json_option(p)
    p.set_defaults(handler=cmd_corrections)


def cmd_correct(args: argparse.Namespace) -> int:
    """Make (or undo) one correction and say what was stored."""
    with _open_tracker(args) as tracker:
        author = getattr(args, "author", None)
        if args.verb == "undo":
            done = tracker.undo_correction(args.correction_id)
        elif args.verb == "speaker":
            done = tracker.correct_speaker(args.quote_id, args.name, author=author)
        elif args.verb == "merge-speakers":
            done = tracker.merge_speakers(args.source, args.target, author=author)
        elif args.verb == "merge-statements":
            done = tracker.merge_statements(args.quote_id, args.other, author=author)
        else:
            method = {
                "split": tracker.split_version,
                "not-quote": tracker.mark_not_quote,
                "pin": tracker.pin_reference,
            }[args.verb]
            done = method(args.quote_id, author=author)
    state = "undone" if done.undone_at else "stored"
    value = f" -> {done.value}" if done.value else ""
    print(f"correction {done.correction_id}: {done.action} {done.target}{value} ({state})")
    return EXIT_OK


def cmd_corrections(args: argparse.Namespace) -> int:
    """List the corrections."""
    with _open_tracker(args) as tracker:
        frame = tracker.corrections(include_undone=args.all)
    if frame.is_empty() and not args.json:
        print("no corrections" + ("" if args.all else " in force"))
        return EXIT_OK
    _print_frame(frame, as_json=args.json, table="corrections")
    return EXIT_OK


def _confidence(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {value}")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``quotes`` command; returns its exit code (see the module docstring).

    Example:
        >>> main(["extract", "no/such/file.txt"])      # the error goes to stderr
        2
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.handler(args)
    except (InputError, UsageError) as exc:
        _problem(exc)
        return EXIT_USAGE
    except QuotesError as exc:
        _problem(exc)
        return EXIT_FAILURE
    except ModuleNotFoundError as exc:
        if not (exc.name or "").startswith("quotes."):
            raise
        _problem(f"this command needs {exc.name}, which is not in this installation")
        return EXIT_FAILURE
    except KeyboardInterrupt:
        _problem("interrupted; every batch committed before the interruption is kept")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `quotes extract ... | head` closes the pipe early; that is not a failure.
        sys.stderr.close()
        return EXIT_OK
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
