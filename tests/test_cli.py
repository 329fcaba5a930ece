"""The `quotes` command: every subcommand, its output, one-line errors and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from app_support import use_local_models

from quotes import tables
from quotes.cli import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, build_parser, main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
BUNDLED_DEPPARSE = ROOT / "data" / "models" / "en" / "depparse"

FERRY = (
    'The ferry captain, Tomas Lind, said on Sunday that "the crossing is safe again." '
    "He added that the storm damage had been repaired.\n"
)
LIBRARY = (
    'Librarian Noor Haddad told the council: "We need longer opening hours." '
    "Council members promised to study the request, the Valley Post reported.\n"
)


@pytest.fixture(scope="module", autouse=True)
def models() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        use_local_models(patch)
        yield


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("inputs")
    (folder / "ferry.txt").write_text(FERRY, encoding="utf-8")
    (folder / "library.txt").write_text(LIBRARY, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "store"
    assert main(["ingest", str(SEEDS), "--store", str(path), "--no-progress"]) == EXIT_OK
    # One correction made and undone: on record (exports list it), with no effect on the data.
    from quotes.api import Tracker

    with Tracker.open(path) as tracker:
        quote = tracker.quotes()["quote_id"][0]
    assert main(["correct", "pin", quote, "--store", str(path)]) == EXIT_OK
    assert main(["correct", "undo", "1", "--store", str(path)]) == EXIT_OK
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_help_for_every_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert set(commands) >= {
        "ingest",
        "extract",
        "who-said",
        "quotes",
        "speakers",
        "clusters",
        "export",
        "pairs",
        "app",
    }
    for command in commands:
        with pytest.raises(SystemExit) as exit_:
            main([command, "--help"])
        assert exit_.value.code == 0
        assert f"usage: quotes {command}" in capsys.readouterr().out


def test_console_script_and_usage_errors() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "quotes", "--help"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and "exit codes" in done.stdout
    wrong = subprocess.run(
        [sys.executable, "-m", "quotes", "ingest"], capture_output=True, text=True, timeout=120
    )
    assert wrong.returncode == EXIT_USAGE and "the following arguments are required" in wrong.stderr


def test_extract_jsonl_offsets_point_into_the_files(
    capsys: pytest.CaptureFixture[str], inputs: Path
) -> None:
    code, out, err = run(capsys, "extract", str(inputs), "--format", "jsonl")
    assert code == EXIT_OK, err
    records = [json.loads(line) for line in out.splitlines()]
    assert {r["doc"] for r in records} <= {"ferry", "library"}
    assert any("crossing is safe again" in r["text"] for r in records)
    for record in records:
        text = (inputs / f"{record['doc']}.txt").read_text(encoding="utf-8")
        assert text[record["start"] : record["end"]] == record["text"]
        for start, end in record["spans"]:
            assert record["start"] <= start <= end <= record["end"]
        for key in (
            "kind",
            "speaker",
            "speaker_start",
            "speaker_end",
            "speaker_type",
            "role",
            "cue",
            "cue_start",
            "cue_end",
            "outlet",
        ):
            assert key in record


def test_extract_table(capsys: pytest.CaptureFixture[str], inputs: Path) -> None:
    code, out, _ = run(capsys, "extract", str(inputs / "ferry.txt"), "--format", "table")
    assert code == EXIT_OK
    assert "ferry" in out and "crossing is safe" in out


def test_extract_bad_input_exit_codes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, inputs: Path
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00binary")
    code, out, err = run(capsys, "extract", str(bad))
    assert code == EXIT_USAGE and out == ""
    assert f"quotes: {bad}: binary file (contains NUL bytes), not text" in err
    assert all(line.startswith("quotes: ") for line in err.splitlines())
    code, out, err = run(capsys, "extract", str(bad), str(inputs / "ferry.txt"))
    assert code == EXIT_OK and out and str(bad) in err


def test_model_failure_is_one_line_and_exit_1(
    capsys: pytest.CaptureFixture[str],
    inputs: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("QUOTES_STANZA_DIR", str(tmp_path / "no-models-here"))
    code, _, err = run(capsys, "extract", str(inputs / "ferry.txt"))
    assert code == EXIT_FAILURE
    assert err.startswith("quotes: no Stanza models at") and err.count("\n") == 1


def test_ingest_reports_bad_files_and_keeps_good_ones(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, inputs: Path
) -> None:
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    (mixed / "ferry.txt").write_text(FERRY, encoding="utf-8")
    (mixed / "latin.txt").write_bytes("Caf\xe9 talk.".encode("latin-1"))
    (mixed / "feed.jsonl").write_text(
        json.dumps({"id": "lib", "text": LIBRARY}) + "\n{broken\n", encoding="utf-8"
    )
    (mixed / "table.csv").write_text("id,body\n1,x\n", encoding="utf-8")
    store = tmp_path / "store"
    code, out, err = run(capsys, "ingest", str(mixed), "--store", str(store), "--no-progress")
    assert code == EXIT_OK
    assert (
        "2 articles added, 0 replaced, 0 unchanged, 0 re-extracted, 0 duplicates, 3 skipped" in out
    )
    assert f"{mixed / 'latin.txt'}: not UTF-8 text" in err
    assert f"{mixed / 'feed.jsonl'}:2: malformed JSON line" in err
    assert f"{mixed / 'table.csv'}: no 'text' column" in err
    code, out, err = run(capsys, "ingest", str(mixed / "latin.txt"), "--store", str(store))
    assert code == EXIT_USAGE and "0 articles added" in out
    assert (store / "quotes.sqlite").exists(), "a failed ingest never deletes a store"


def test_ingest_of_only_unusable_inputs_leaves_no_store(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "latin.txt"
    bad.write_bytes("Caf\xe9 talk.".encode("latin-1"))
    for store in (tmp_path / "new-store", tmp_path / "deeper" / "new-store"):
        code, out, err = run(capsys, "ingest", str(bad), "--store", str(store))
        assert code == EXIT_USAGE and "not UTF-8 text" in err and "0 articles added" in out
        assert not store.exists() and "store:" not in out
    kept = tmp_path / "kept"
    kept.mkdir()
    (kept / "notes.md").write_text("mine", encoding="utf-8")
    code, _, _ = run(capsys, "ingest", str(bad), "--store", str(kept))
    assert code == EXIT_USAGE and sorted(p.name for p in kept.iterdir()) == ["notes.md"]


def test_ingest_reports_a_pasted_copy_as_a_duplicate(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, inputs: Path
) -> None:
    store = tmp_path / "store"
    assert run(capsys, "ingest", str(inputs / "ferry.txt"), "--store", str(store))[0] == EXIT_OK
    copy = tmp_path / "ferry-again.txt"
    copy.write_text("\n" + FERRY.replace("\n", "\r\n") + "  \n", encoding="utf-8")
    code, out, err = run(capsys, "ingest", str(copy), "--store", str(store), "--no-progress")
    assert code == EXIT_OK
    assert "0 articles added" in out and "1 duplicate," in out
    assert f"{copy}: the same text as stored article 'ferry' (not added again)" in err


def test_queries_on_the_seeds(capsys: pytest.CaptureFixture[str], store: Path) -> None:
    code, out, _ = run(capsys, "clusters", "--store", str(store), "--json")
    assert code == EXIT_OK
    clusters = [json.loads(line) for line in out.splitlines()]
    assert clusters and set(clusters[0]) == set(tables.SCHEMAS["clusters"].names())
    biggest = clusters[0]
    code, out, _ = run(capsys, "variants", biggest["cluster_id"], "--store", str(store), "--json")
    assert code == EXIT_OK and len(out.splitlines()) == biggest["n_versions"]
    phrase = " ".join(biggest["reference"].split()[:5])
    code, out, _ = run(capsys, "who-said", phrase, "--store", str(store))
    assert code == EXIT_OK and biggest["cluster_id"] in out and "| score" in out
    code, out, _ = run(
        capsys, "who-said", "purple zebra crossings of Reykjavik", "--store", str(store)
    )
    assert code == EXIT_OK and "nothing close to" in out
    for table in ("speakers", "outlets", "articles", "clusters"):
        code, out, _ = run(capsys, table, "--store", str(store), "--limit", "3")
        assert code == EXIT_OK and out.startswith("|")
    code, out, _ = run(capsys, "quotes", "--store", str(store), "--kind", "direct", "--json")
    assert code == EXIT_OK
    assert {json.loads(line)["kind"] for line in out.splitlines()} <= {"direct"}
    code, _, err = run(capsys, "quotes", "--store", str(store), "--since", "yesterday")
    assert code == EXIT_USAGE and "YYYY-MM-DD" in err
    code, _, err = run(capsys, "variants", "u-nothing", "--store", str(store))
    assert code == EXIT_USAGE and "no quote or cluster" in err


def test_missing_store_is_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "clusters", "--store", str(tmp_path / "none"))
    assert code == EXIT_USAGE and "run `quotes ingest PATH...` first" in err
    assert not (tmp_path / "none").exists()


@pytest.mark.parametrize("fmt", tables.EXPORT_FORMATS)
def test_export_all_tables(
    capsys: pytest.CaptureFixture[str], store: Path, tmp_path: Path, fmt: str
) -> None:
    out_dir = tmp_path / "exports"
    code, out, _ = run(
        capsys, "export", "all", "--format", fmt, "--out", str(out_dir), "--store", str(store)
    )
    assert code == EXIT_OK
    for name in tables.TABLE_NAMES:
        frame = tables.read_export(out_dir / f"{name}.{fmt}", fmt, name)
        assert frame.schema == tables.SCHEMAS[name] and frame.height > 0
        assert f"{name}: {frame.height} rows" in out
    single = tmp_path / f"q.{fmt}"
    code, _, _ = run(
        capsys, "export", "quotes", "--format", fmt, "--out", str(single), "--store", str(store)
    )
    assert code == EXIT_OK and single.is_file()


def test_export_csv_keeps_spans_as_json(
    capsys: pytest.CaptureFixture[str], store: Path, tmp_path: Path
) -> None:
    target = tmp_path / "quotes.csv"
    run(capsys, "export", "quotes", "--format", "csv", "--out", str(target), "--store", str(store))
    raw = pl.read_csv(target)
    assert all(isinstance(json.loads(s), list) for s in raw["spans"])
    code, _, err = run(capsys, "export", "nonsense", "--out", str(target), "--store", str(store))
    assert code == EXIT_USAGE and "unknown table 'nonsense'" in err


def test_pairs(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(
        json.dumps(
            {
                "a": "the crossing is safe again",
                "b": "the crossing is safe again now",
                "a_speaker": "Tomas Lind",
                "b_speaker": "Lind",
            }
        )
        + "\n"
        + json.dumps({"a": "we need longer opening hours", "b": "the storm damage is repaired"})
        + "\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "pairs", str(pairs))
    assert code == EXIT_OK
    verdicts = [json.loads(line) for line in out.splitlines()]
    assert [v["same"] for v in verdicts] == [True, False]
    assert all(0.0 <= v["score"] <= 1.0 for v in verdicts)
    pairs.write_text('{"a": "x", "b": "y"}\nnot json\n', encoding="utf-8")
    code, _, err = run(capsys, "pairs", str(pairs))
    assert code == EXIT_USAGE and "line 2" in err
    code, _, err = run(capsys, "pairs", str(tmp_path / "missing.jsonl"))
    assert code == EXIT_USAGE and "no such file" in err


@pytest.mark.slow
def test_app_command_serves_the_store_and_stops_on_sigterm(store: Path) -> None:
    import signal
    import socket
    import time
    import urllib.request

    if not (ROOT / "app.py").is_file():
        pytest.skip("app.py not present")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "quotes",
            "app",
            "--store",
            str(store),
            "--headless",
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 120
        healthy = False
        while time.monotonic() < deadline and process.poll() is None and not healthy:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/_stcore/health", timeout=2
                ) as answer:
                    healthy = answer.read() == b"ok"
            except OSError:
                time.sleep(0.5)
        assert healthy, "the app never answered"
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    output = process.stdout.read().decode() if process.stdout else ""
    assert f"starting the app on store {store.resolve()}" in output
