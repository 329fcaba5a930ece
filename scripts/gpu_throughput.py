"""Time the tokenizer and the parse rows of ``bench/throughput.py`` with a given model bundle.

Used by ``scripts/gpu_run.sh`` on the GPU machine, where only what ``quotes.nlp`` needs is
installed (the end-to-end rows need Polars, too large to carry there). Each measurement runs in
a fresh process through ``bench/throughput.py --measure``, exactly as that benchmark does, on
its ``seeds x20`` corpus; the models are chosen with ``QUOTES_STANZA_DIR``.

Usage::

    python scripts/gpu_throughput.py --models /tmp/quotes-gpu-train/bundle [--models data/models]
    python scripts/gpu_throughput.py --polnear --steps parse --models data/models --models DIR
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
THROUGHPUT = REPO_ROOT / "bench" / "throughput.py"
RESULT_PREFIX = "THROUGHPUT-RESULT "


def measure(step: str, files: list[str], models: Path) -> dict[str, object]:
    """One ``bench/throughput.py --measure`` run in a fresh process."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump({"step": step, "files": files, "workers": 1}, handle)
    env = {**os.environ, "QUOTES_STANZA_DIR": str(models)}
    try:
        done = subprocess.run(
            [sys.executable, str(THROUGHPUT), "--measure", handle.name],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
    finally:
        os.unlink(handle.name)
    for line in done.stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            result: dict[str, object] = json.loads(line[len(RESULT_PREFIX) :])
            return result
    raise RuntimeError(f"{step} with {models} failed:\n{done.stderr[-2000:]}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=Path, action="append", required=True)
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument(
        "--polnear", action="store_true", help="PolNeAR dev (read at run time) instead of seeds"
    )
    parser.add_argument("--steps", nargs="+", default=["tokenizer", "parse"])
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO_ROOT))
    from bench.throughput import _polnear, _varied_seeds

    print("| models | step | device | articles | tokens | seconds | articles/s | load s |")
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="quotes-seeds-") as tmp:
        corpus = _polnear(None) if args.polnear else _varied_seeds(Path(tmp), args.copies)
        if corpus is None:
            raise SystemExit("PolNeAR dev not found (../shared/polnear/dev/text)")
        files = [str(f) for f in corpus.files]
        for models in args.models:
            for step in args.steps:
                r = measure(step, files, models.resolve())
                seconds = float(str(r["seconds"]))
                articles = int(str(r["articles"]))
                print(
                    f"| {models} | {step} | {r['device']} | {articles} | {r['tokens']} | "
                    f"{seconds:.2f} | {articles / seconds:.1f} | {float(str(r['load_s'])):.1f} |",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
