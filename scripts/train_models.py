"""Train the project's own Stanza English models and bundle them under ``data/models/``.

The recipe uses nothing but Stanza's own trainers from the pip package
(``python -m stanza.models.tokenizer`` and friends), the UD English EWT + GUM (CC-BY genres)
treebanks in ``../shared/ud`` (``.conllu`` or ``.conllu.xz``) and the 100-d word vectors in
``../shared/pretrain``.

Steps, each runnable on its own and skipped when already finished (``--force`` redoes one)::

    prepare   CoNLL-U -> Stanza's training files (train = EWT+GUM train, dev, test)
    tokenize  tokenizer + sentence splitter (with MWT labels)
    mwt       multi-word-token expander ("don't" -> "do n't")
    pos       UPOS / XPOS / UFeats tagger
    lemma     lemmatizer (dictionary only in cpu-small; seq2seq + dictionary otherwise)
    depparse  dependency parser (trained on gold tags; Stanza tags with the tagger at run time)
    train     the profile's trainers side by side, each under its own cap, started together
    package   the selected models into --out in Stanza's directory layout (fp16), files over
              16 MiB split into parts (quotes.nlp joins them), checked against fp32
    install   copy a trained subset (e.g. what the GPU machine returned, --from DIR) into --out

Profiles (``--profile``; ``all`` runs the profile's own sequence):

    gpu        tagger, seq2seq lemmatizer and parser side by side on one GPU, 7.5 minutes;
               the tokenizer and MWT expander are reused from data/models
    cpu        the same three side by side on a 2-core CPU, about 2.5 hours
    cpu-small  the interim models bundled now (each step on its own, small sizes)

Examples::

    python scripts/train_models.py --profile gpu all               # on the GPU machine
    python scripts/train_models.py --profile gpu --smoke all       # the same path, 1 min, CPU
    python scripts/train_models.py --profile cpu all               # 2.5 h on 2 quiet cores
    python scripts/train_models.py install --from /path/to/returned/files

Every trainer runs under ``scripts/deadline_trainer.py``: at its cap it evaluates once more
(saving the model if it is the best so far) and stops, so evaluations can be rare and no
training is lost at the cap. The exact settings (commands, arguments, Stanza version, data file
hashes, wall times, dev scores) are recorded in ``<work>/<profile>/settings.json`` and copied to
``<out>/training_settings.json`` by ``package``.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import lzma
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DEADLINE_TRAINER = Path(__file__).resolve().parent / "deadline_trainer.py"
SHORTHAND = "en_combined"
STEPS = ("prepare", "tokenize", "mwt", "pos", "lemma", "depparse", "train", "package", "install")
TRAINED = ("tokenize", "mwt", "pos", "lemma", "depparse")
TREEBANKS = ("en_ewt-ud", "en_gum-ccby")
SPLITS = ("train", "dev", "test")
SMOKE_DEV_SENTENCES = 100


@dataclass(frozen=True)
class Profile:
    """Model sizes and budgets for one kind of machine.

    ``extra`` holds, per step, the arguments appended to the trainer's command line; an empty
    list means Stanza's defaults.  ``minutes`` caps each trainer's wall time, counted from the
    start of its step (of ``train`` for the trainers in ``together``); ``final_eval_s`` is how
    long before the cap the trainer makes its last evaluation.  ``threads`` is the torch thread
    count per trainer: on a 2-core box two single-threaded trainers side by side beat one
    trainer with two threads, whose system time explodes in OpenMP spinning.  ``together``
    names the trainers that ``train`` runs side by side; ``reuse`` the models that ``package``
    copies from the bundled directory instead of training them.
    """

    name: str
    extra: dict[str, list[str]]
    minutes: dict[str, float]
    threads: int
    description: str
    notes: list[str] = field(default_factory=list)
    together: tuple[str, ...] = ()
    reuse: tuple[str, ...] = ()
    final_eval_s: float = 0.0
    grace_s: float = 60.0
    device_args: tuple[str, ...] = ()
    dev_split: str = "dev"

    def sequence(self) -> list[str]:
        """The steps ``all`` runs, in order."""
        trained = [s for s in TRAINED if s not in self.reuse and s not in self.together]
        return ["prepare", *trained, *(["train"] if self.together else []), "package"]


# fmt: off
# (argument lists stay as "--flag", "value" pairs: one pair per item would be unreadable)
TAGGER_CPU_SMALL = [
    # the xpos and per-feature ufeats biaffine heads, not the LSTM, dominate the tagger's cost
    # on CPU: keep them narrow
    "--hidden_dim", "128", "--char_hidden_dim", "64", "--char_emb_dim", "50",
    "--deep_biaff_hidden_dim", "100", "--composite_deep_biaff_hidden_dim", "50",
    "--word_emb_dim", "50", "--num_layers", "1",
]
TAGGER_MID = [
    "--hidden_dim", "200", "--char_hidden_dim", "100", "--char_emb_dim", "50",
    "--deep_biaff_hidden_dim", "150", "--composite_deep_biaff_hidden_dim", "50",
    "--word_emb_dim", "75", "--num_layers", "2",
]
PARSER_CPU_SMALL = [
    "--hidden_dim", "200", "--char_hidden_dim", "64", "--char_emb_dim", "50",
    "--deep_biaff_hidden_dim", "200", "--deep_biaff_output_dim", "100",
    "--word_emb_dim", "50", "--num_layers", "2",
]
PROFILES: dict[str, Profile] = {
    # Sizes are bounded by the CPU the models run on, not by the GPU they train on: default
    # Stanza sizes cost 2.7x (tagger) and ~3x (parser) the CPU time per word of the bundled
    # ones and would take `quotes ingest` below 5 articles/s on 2 cores; the mid tagger costs
    # +12-14% of the parse (scripts/measure_sizes.py, see README-maintainer.md). In 7.5 minutes
    # the GPU's bigger batches give about as many epochs as the CPU's two hours.
    "gpu": Profile(
        name="gpu",
        extra={
            "pos": [*TAGGER_MID, "--batch_size", "250", "--eval_interval", "500",
                    "--fix_eval_interval", "--max_steps", "100000"],
            "lemma": ["--num_epoch", "100", "--batch_size", "100"],
            "depparse": [*PARSER_CPU_SMALL, "--batch_size", "5000", "--eval_interval", "500",
                         "--max_steps", "100000", "--no_checkpoint"],
        },
        minutes={"pos": 7.5, "lemma": 7.5, "depparse": 7.5},
        threads=4,
        description=(
            "tagger (mid size), seq2seq lemmatizer and parser (cpu-small size) side by side on "
            "one GPU under one 7.5-minute cap; tokenizer and MWT reused from data/models"
        ),
        notes=[
            "sizes fit the CPU throughput budget (>= 5 articles/s on 2 cores), not the GPU",
            "GPU-sized batches: tagger 250 sentences, parser 5000 words, lemmatizer 100 words",
            "dev evaluations every 500 steps (lemmatizer: every epoch) and one at the cap",
        ],
        together=("pos", "lemma", "depparse"),
        reuse=("tokenize", "mwt"),
        final_eval_s=45.0,
    ),
    "cpu": Profile(
        name="cpu",
        extra={
            "pos": [*TAGGER_CPU_SMALL, "--batch_size", "100", "--eval_interval", "1000",
                    "--fix_eval_interval", "--max_steps", "100000"],
            "lemma": ["--num_epoch", "100", "--batch_size", "100"],
            "depparse": [*PARSER_CPU_SMALL, "--batch_size", "1500", "--eval_interval", "1000",
                         "--checkpoint_interval", "1000", "--max_steps", "100000"],
        },
        minutes={"pos": 145.0, "lemma": 30.0, "depparse": 145.0},
        threads=1,
        description=(
            "tagger, seq2seq lemmatizer and parser side by side on a 2-core CPU, 2.5 hours; "
            "tokenizer and MWT reused from data/models"
        ),
        notes=[
            # measured 2026-12-04 with scripts/measure_sizes.py on the shared 2-core machine
            "cpu-small sizes: larger ones cost CPU time per word that the 5 articles/s budget "
            "lacks (parser mid +32-33%, default sizes 2.7-3x) and train 1.2-2.3x slower per step",
            "seq2seq lemmatizer: ~0.35 s a step of 100 words, ~3,100 steps an epoch (~15-20 min "
            "on one core); after 1/5 of an epoch dev lemma F1 98.32 vs 97.18 dictionary-only "
            "(first 500 dev sentences)",
            "NOT expected to reach UPOS 95 / LAS 84 end to end: the same sizes as the cpu-long "
            "run (EWT test UPOS 92.10, LAS 76.05) with 145 instead of 115 minutes, whose dev "
            "curves had flattened; expect a few tenths, plus the lemmatizer's gain",
        ],
        together=("pos", "lemma", "depparse"),
        reuse=("tokenize", "mwt"),
        final_eval_s=240.0,
    ),
    # Small models that learn something useful within an hour on 2 CPU cores.
    "cpu-small": Profile(
        name="cpu-small",
        extra={
            "tokenize": ["--steps", "4000", "--eval_steps", "250", "--batch_size", "32"],
            "mwt": ["--dict_only"],
            "pos": [*TAGGER_CPU_SMALL, "--batch_size", "100", "--eval_interval", "200",
                    "--max_steps", "20000"],
            "lemma": ["--dict_only"],
            "depparse": [*PARSER_CPU_SMALL, "--batch_size", "1500", "--eval_interval", "200",
                         "--checkpoint_interval", "100", "--max_steps", "20000"],
        },
        minutes={"tokenize": 25, "mwt": 10, "pos": 115, "lemma": 10, "depparse": 115},
        threads=1,
        # a dev evaluation on one busy core takes minutes: start the last one before the cap
        final_eval_s=180.0,
        description="small interim models trained on a 2-core CPU; not the intended models",
        notes=[
            "dictionary-only MWT expander and lemmatizer (unknown words: identity fallback)",
            "one-layer tagger, two-layer parser, small character models, no charlm",
        ],
    ),
}
# fmt: on


def smoke_profile(profile: Profile) -> Profile:
    """The same recipe on the CPU for one minute, on a small dev set: checks paths and packaging."""
    # small batches: the same models and code path, but a first step that ends soon on a CPU
    batches = {"pos": "20", "lemma": "50", "depparse": "400", "tokenize": "8"}
    extra = {
        step: [*args, "--batch_size", batches[step]] if step in batches else args
        for step, args in profile.extra.items()
    }
    return dataclasses.replace(
        profile,
        name=f"{profile.name}-smoke",
        extra=extra,
        minutes=dict.fromkeys(profile.minutes, 1.0),
        threads=1,
        final_eval_s=0.0,
        grace_s=300.0,
        device_args=("--cpu",),
        dev_split="dev-smoke",
        description=f"SMOKE TEST of the {profile.name} profile (1 minute, CPU): not a model",
    )


# --------------------------------------------------------------------------------------
# paths and bookkeeping


@dataclass(frozen=True)
class Paths:
    """Every location the recipe reads or writes."""

    ud: Path
    pretrain: Path
    work: Path
    out: Path
    reuse_from: Path

    @property
    def data(self) -> Path:
        return self.work / "data"

    @property
    def models(self) -> Path:
        return self.work / "models"

    @property
    def logs(self) -> Path:
        return self.work / "logs"

    @property
    def scratch(self) -> Path:
        return self.work / "scratch"

    @property
    def settings(self) -> Path:
        return self.work / "settings.json"

    def conllu(self, split: str) -> Path:
        """The combined (EWT+GUM) gold CoNLL-U file of one split (or ``dev-smoke``)."""
        return self.data / f"{SHORTHAND}.{split}.gold.conllu"

    def model(self, step: str) -> Path:
        return self.models / step / f"{SHORTHAND}_{step}.pt"


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file, to record exactly which data a model was trained on."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_settings(paths: Paths) -> dict[str, Any]:
    if paths.settings.exists():
        loaded: dict[str, Any] = json.loads(paths.settings.read_text(encoding="utf-8"))
        return loaded
    return {"steps": {}}


def save_settings(paths: Paths, settings: dict[str, Any]) -> None:
    paths.work.mkdir(parents=True, exist_ok=True)
    tmp = paths.settings.with_suffix(".tmp")
    tmp.write_text(json.dumps(settings, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(paths.settings)


def environment() -> dict[str, Any]:
    """Versions that decide what a trained model is."""
    import stanza
    import torch

    return {
        "stanza": stanza.__version__,
        "torch": torch.__version__,
        "python": platform.python_version(),
        "cuda": torch.cuda.is_available(),
        "device": torch.cuda.get_device_name(0) if torch.cuda.is_available() else "cpu",
        "machine": platform.platform(),
        "cpu_count": os.cpu_count(),
    }


# --------------------------------------------------------------------------------------
# running trainers under a deadline


@dataclass
class RunningTrainer:
    """One trainer subprocess and what is needed to judge it when it ends."""

    step: str
    command: list[str]
    process: subprocess.Popen[bytes]
    log: IO[str]
    log_path: Path
    started: float
    cap_s: float


def launch_trainer(paths: Paths, profile: Profile, step: str, start: float) -> RunningTrainer:
    """Start one trainer under ``deadline_trainer.py``; its cap counts from ``start``."""
    module, args = TRAINER_ARGS[step](paths, profile)
    cap_s = profile.minutes.get(step, 10.0) * 60
    deadline = start + max(cap_s - profile.final_eval_s, 1.0)
    if step in ("pos", "lemma", "depparse"):
        runner = [str(DEADLINE_TRAINER), "--deadline", f"{deadline:.0f}", module]
    else:
        # the tokenizer and MWT expander save their best model as they go: stopped at the cap
        runner = ["-m", module]
    command = [
        sys.executable,
        *runner,
        *args,
        *profile.extra.get(step, []),
        *profile.device_args,
    ]
    env = dict(os.environ)
    threads = str(profile.threads)
    # torch reads these at import; without them each trainer grabs every core
    env.update(OMP_NUM_THREADS=threads, MKL_NUM_THREADS=threads, PYTHONUNBUFFERED="1")
    paths.logs.mkdir(parents=True, exist_ok=True)
    paths.scratch.mkdir(parents=True, exist_ok=True)
    log_path = paths.logs / f"{step}.log"
    log = log_path.open("a", encoding="utf-8")
    log.write(f"\n=== {time.strftime('%Y-%m-%d %H:%M:%S')} {' '.join(command)}\n")
    log.flush()
    print(f"[{step}] log: {log_path} (cap {cap_s / 60:.1f} min)", flush=True)
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
    return RunningTrainer(step, command, process, log, log_path, time.time(), cap_s)


def wait_for(
    trainers: list[RunningTrainer], paths: Paths, start: float, grace_s: float
) -> dict[str, dict[str, Any]]:
    """Wait for every trainer; one still running ``grace_s`` after its cap is stopped."""
    records: dict[str, dict[str, Any]] = {}
    for trainer in trainers:
        limit = start + trainer.cap_s + grace_s
        killed = False
        try:
            rc = trainer.process.wait(timeout=max(limit - time.time(), 1.0))
        except subprocess.TimeoutExpired:
            killed = True
            trainer.process.terminate()
            try:
                rc = trainer.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                trainer.process.kill()
                rc = trainer.process.wait()
        trainer.log.close()
        records[trainer.step] = trainer_record(trainer, paths, rc, killed)
    return records


def trainer_record(trainer: RunningTrainer, paths: Paths, rc: int, killed: bool) -> dict[str, Any]:
    """What settings.json keeps of one trainer run; raises if it failed without a model."""
    elapsed = time.time() - trainer.started
    has_model = paths.model(trainer.step).exists()
    # a trainer stopped by hand (kill -TERM / -INT of its pid) counts as finished if it saved
    stopped_by_hand = rc in (-signal.SIGTERM, -signal.SIGINT) and has_model and not killed
    if (rc != 0 and not killed and not stopped_by_hand) or not has_model:
        tail = trainer.log_path.read_text(encoding="utf-8", errors="replace")[-2000:]
        raise RuntimeError(
            f"{trainer.step}: exited with {rc}"
            + ("" if has_model else " and saved no model")
            + f"; see {trainer.log_path}\n{tail}"
        )
    return {
        "command": trainer.command,
        "wall_seconds": round(elapsed, 1),
        "killed_after_cap": killed,
        "stopped_by_hand": stopped_by_hand,
        "log": str(trainer.log_path),
        **log_summary(trainer.log_path),
    }


DEV_LINE = re.compile(r"(step|epoch) (\d+): train_loss = [-\d.e+]+, dev_score = ([\d.]+)")
STEP_LINE = re.compile(r"Finished STEP (\d+)/\d+.*\(([\d.]+) sec/batch\)|step (\d+)/\d+ \(epoch")


def log_summary(log_path: Path) -> dict[str, Any]:
    """Dev scores and steps read back from a trainer's log (the last run in it)."""
    text = log_path.read_text(encoding="utf-8", errors="replace").rsplit("\n=== ", 1)[-1]
    scores = [(m.group(1), int(m.group(2)), float(m.group(3))) for m in DEV_LINE.finditer(text)]
    steps = [int(m.group(1) or m.group(3)) for m in STEP_LINE.finditer(text)]
    seconds = [float(m.group(2)) for m in STEP_LINE.finditer(text) if m.group(2)]
    summary: dict[str, Any] = {"dev_scores": [[u, n, s] for u, n, s in scores]}
    if scores:
        unit, at, best = max(scores, key=lambda item: item[2])
        summary.update(best_dev_score=best, best_at=f"{unit} {at}")
    if steps:
        summary["last_logged_step"] = max(steps)
    if seconds:
        summary["median_sec_per_logged_step"] = sorted(seconds)[len(seconds) // 2]
    summary["stopped_by_deadline"] = "deadline-trainer: final evaluation" in text
    return summary


def run_trainers(paths: Paths, profile: Profile, steps: Sequence[str]) -> dict[str, Any]:
    """Run ``steps``' trainers side by side; each cap counts from now."""
    start = time.time()
    running: list[RunningTrainer] = []
    try:
        for step in steps:
            running.append(launch_trainer(paths, profile, step, start))
        return wait_for(running, paths, start, profile.grace_s)
    finally:
        for trainer in running:  # only on an error or Ctrl-C: never leave a trainer behind
            if trainer.process.poll() is None:
                trainer.process.terminate()
                trainer.process.wait()


# --------------------------------------------------------------------------------------
# steps


def read_ud(path: Path) -> str:
    """A UD file as text, from ``NAME.conllu`` or, where only that exists, ``NAME.conllu.xz``."""
    if path.exists():
        return path.read_text(encoding="utf-8")
    packed = path.with_name(path.name + ".xz")
    if packed.exists():
        return lzma.decompress(packed.read_bytes()).decode("utf-8")
    raise FileNotFoundError(f"missing {path} (or {packed.name}): point --ud at the UD files")


def step_prepare(paths: Paths, profile: Profile) -> dict[str, Any]:
    """Concatenate EWT + GUM per split and derive the tokenizer's .txt/.toklabels/mwt json.

    Stanza's own converters do the work: ``conllu_to_text`` rebuilds the raw text (paragraph
    breaks from ``# newpar``/``# newdoc``) and ``prepare_tokenizer_data`` labels each
    character (end of token / sentence / MWT) and collects the MWT expansions.  The first
    sentences of dev also go to a small ``dev-smoke`` file for ``--smoke`` runs.
    """
    from stanza.utils.datasets import conllu_to_text, prepare_tokenizer_data

    paths.data.mkdir(parents=True, exist_ok=True)
    hashes: dict[str, str] = {}
    for split in SPLITS:
        parts = []
        for treebank in TREEBANKS:
            source = paths.ud / f"{treebank}-{split}.conllu"
            text = read_ud(source)
            # the hash of the text, so a compressed copy records the same data
            hashes[source.name] = hashlib.sha256(text.encode("utf-8")).hexdigest()
            # each file must end with a blank line or the next file's first sentence merges
            parts.append(text.rstrip("\n") + "\n\n")
        paths.conllu(split).write_text("".join(parts), encoding="utf-8")
        txt = paths.data / f"{SHORTHAND}.{split}.txt"
        conllu_to_text.main([str(paths.conllu(split)), str(txt)])
        prepare_tokenizer_data.main(
            [
                str(txt),
                str(paths.conllu(split)),
                "-o",
                str(paths.data / f"{SHORTHAND}-ud-{split}.toklabels"),
                "-m",
                str(paths.data / f"{SHORTHAND}-ud-{split}-mwt.json"),
            ]
        )
    sentences = paths.conllu("dev").read_text(encoding="utf-8").strip("\n").split("\n\n")
    smoke = "\n\n".join(sentences[:SMOKE_DEV_SENTENCES]) + "\n\n"
    paths.conllu("dev-smoke").write_text(smoke, encoding="utf-8")
    hashes[paths.pretrain.name] = sha256(paths.pretrain)
    return {"data_sha256": hashes, "sources": [str(paths.ud / t) for t in TREEBANKS]}


def tokenize_args(paths: Paths, profile: Profile) -> tuple[str, list[str]]:
    d = paths.data
    # fmt: off
    return "stanza.models.tokenizer", [
        "--mode", "train", "--lang", "en", "--shorthand", SHORTHAND,
        "--txt_file", str(d / f"{SHORTHAND}.train.txt"),
        "--label_file", str(d / f"{SHORTHAND}-ud-train.toklabels"),
        "--dev_txt_file", str(d / f"{SHORTHAND}.dev.txt"),
        "--dev_label_file", str(d / f"{SHORTHAND}-ud-dev.toklabels"),
        "--dev_conll_gold", str(paths.conllu("dev")),
        # mirrors stanza.utils.training.run_tokenizer: the dev mwt file at train time
        "--mwt_json_file", str(d / f"{SHORTHAND}-ud-dev-mwt.json"),
        "--conll_file", str(paths.scratch / "tokenize.dev.pred.conllu"),
        "--max_seqlen", "300", "--use_mwt",
        "--save_dir", str(paths.model("tokenize").parent),
        "--save_name", paths.model("tokenize").name,
    ]
    # fmt: on


def conllu_trainer_args(step: str, paths: Paths, profile: Profile) -> list[str]:
    """Arguments shared by the trainers that read CoNLL-U (mwt, pos, lemma, depparse)."""
    # fmt: off
    return [
        "--mode", "train", "--shorthand", SHORTHAND,
        "--train_file", str(paths.conllu("train")),
        "--eval_file", str(paths.conllu(profile.dev_split)),
        "--output_file", str(paths.scratch / f"{step}.dev.pred.conllu"),
        "--save_dir", str(paths.model(step).parent),
        "--save_name", paths.model(step).name,
    ]
    # fmt: on


def mwt_args(paths: Paths, profile: Profile) -> tuple[str, list[str]]:
    args = [*conllu_trainer_args("mwt", paths, profile), "--lang", "en"]
    gold = str(paths.conllu(profile.dev_split))
    return "stanza.models.mwt_expander", [*args, "--gold_file", gold]


def pos_args(paths: Paths, profile: Profile) -> tuple[str, list[str]]:
    args = [*conllu_trainer_args("pos", paths, profile), "--lang", "en"]
    return "stanza.models.tagger", [*args, "--wordvec_pretrain_file", str(paths.pretrain)]


def lemma_args(paths: Paths, profile: Profile) -> tuple[str, list[str]]:
    # the lemmatizer takes no --lang, only --shorthand
    return "stanza.models.lemmatizer", conllu_trainer_args("lemma", paths, profile)


def depparse_args(paths: Paths, profile: Profile) -> tuple[str, list[str]]:
    # Stanza writes <save_name minus .pt>_checkpoint.pt next to the model and picks it up
    # again on the next run, so re-running this step (with --force) resumes training.
    args = [*conllu_trainer_args("depparse", paths, profile), "--lang", "en"]
    return "stanza.models.parser", [*args, "--wordvec_pretrain_file", str(paths.pretrain)]


TRAINER_ARGS = {
    "tokenize": tokenize_args,
    "mwt": mwt_args,
    "pos": pos_args,
    "lemma": lemma_args,
    "depparse": depparse_args,
}


def step_train(paths: Paths, profile: Profile) -> dict[str, Any]:
    """The profile's trainers side by side; their records also go under their own steps."""
    if not profile.together:
        raise SystemExit(f"the {profile.name} profile trains each model in its own step")
    records = run_trainers(paths, profile, profile.together)
    settings = load_settings(paths)
    finished = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    for step, record in records.items():
        settings["steps"][step] = {**record, "finished": finished, "trained_by": "train"}
    save_settings(paths, settings)
    return {"side_by_side": list(profile.together)}


# --------------------------------------------------------------------------------------
# packaging

PACKAGE_LAYOUT = {
    "tokenize": "en/tokenize/combined.pt",
    "mwt": "en/mwt/combined.pt",
    "pos": "en/pos/combined.pt",
    "lemma": "en/lemma/combined.pt",
    "depparse": "en/depparse/combined.pt",
}
PRETRAIN_TARGET = "en/pretrain/w2v100.pt"
SIZE_LIMIT_BYTES = 80 * 1000 * 1000
# the GPU machine returns files of at most 16 MiB; quotes.nlp joins the parts when loading
PART_LIMIT_BYTES = 16 * 1024 * 1024
KEPT_IN_OUT = ("README.md",)


def to_fp16(obj: Any) -> Any:
    """Recursively turn float32 tensors into float16 (halves the bundle; Stanza upcasts)."""
    import torch

    if isinstance(obj, torch.Tensor):
        return obj.half() if obj.dtype == torch.float32 else obj
    if isinstance(obj, dict):
        return {k: to_fp16(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [to_fp16(v) for v in obj]
    if isinstance(obj, tuple):
        return tuple(to_fp16(v) for v in obj)
    return obj


def shrink(source: Path, target: Path, *, fp16: bool) -> None:
    """Copy a Stanza model file, dropping the optimizer state and optionally casting to fp16."""
    import torch

    target.parent.mkdir(parents=True, exist_ok=True)
    state = torch.load(source, map_location="cpu", weights_only=False)
    if isinstance(state, dict):
        # optimizer moments are only needed to resume training, never to run the model
        for key in ("optimizer", "optimizer_state_dict", "scheduler"):
            state.pop(key, None)
        if fp16:
            state = to_fp16(state)
    torch.save(state, target)


def split_file(path: Path, limit: int = PART_LIMIT_BYTES) -> list[Path]:
    """Split ``path`` into ``NAME.part-KK-of-NN`` files of at most ``limit`` bytes, if larger.

    Returns the files that now hold the content (``[path]`` when it was small enough).
    ``quotes.nlp.join_split_model`` is the inverse.
    """
    size = path.stat().st_size
    if size <= limit:
        return [path]
    count = -(-size // limit)
    parts = []
    with path.open("rb") as whole:
        for number in range(1, count + 1):
            part = path.with_name(f"{path.name}.part-{number:02d}-of-{count:02d}")
            part.write_bytes(whole.read(limit))
            parts.append(part)
    path.unlink()
    return parts


def model_files(folder: Path, name: str) -> list[Path]:
    """A model's file, or its parts when it is stored split."""
    whole = folder / name
    return [whole] if whole.is_file() else sorted(folder.glob(f"{name}.part-*"))


def resources_json() -> dict[str, Any]:
    """The smallest resources.json with which ``stanza.Pipeline(dir=..., lang="en")`` works.

    The pipeline reads the per-processor default package and the pretrain dependency from
    here; nothing is downloaded because callers pass ``download_method=None``.  (With split
    models, load through ``quotes.nlp``, which joins them.)
    """
    import stanza

    pretrain_dep = [{"model": "pretrain", "package": "w2v100"}]
    processors = dict.fromkeys(PACKAGE_LAYOUT, "combined")
    return {
        "en": {
            "lang_name": "English",
            "default_processors": processors,
            # Pipeline looks up the "default" package here to decide whether to add mwt
            "packages": {"default": processors},
            "tokenize": {"combined": {}},
            "mwt": {"combined": {}},
            "pos": {"combined": {"dependencies": pretrain_dep}},
            "lemma": {"combined": {}},
            "depparse": {"combined": {"dependencies": pretrain_dep}},
            "pretrain": {"w2v100": {}},
        },
        "__version__": stanza.__version__,
    }


def build_bundle(paths: Paths, profile: Profile, target: Path, *, fp16: bool) -> None:
    """Write a whole bundle into ``target``: trained models shrunk, reused ones copied."""
    target.mkdir(parents=True)
    for step, rel in PACKAGE_LAYOUT.items():
        if step in profile.reuse:
            source_dir = paths.reuse_from / Path(rel).parent
            files = model_files(source_dir, Path(rel).name)
            if not files:
                raise FileNotFoundError(f"{source_dir / Path(rel).name} missing: nothing to reuse")
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            for file in files:
                shutil.copy(file, (target / rel).parent / file.name)
            continue
        source = paths.model(step)
        if not source.exists():
            raise FileNotFoundError(f"{source} missing: run the {step} step first")
        shrink(source, target / rel, fp16=fp16)
    # Stanza feeds the pretrain matrix straight into an fp32 Linear (no load_state_dict cast),
    # so an fp16 pretrain fails at run time ("expected m1 and m2 to have the same dtype")
    shrink(paths.pretrain, target / PRETRAIN_TARGET, fp16=False)
    (target / "resources.json").write_text(
        json.dumps(resources_json(), indent=2) + "\n", encoding="utf-8"
    )


def bundle_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def replace_dir(out: Path, staging: Path) -> None:
    """Put ``staging`` in place of ``out``, keeping out's README, with no moment of neither."""
    for keep in KEPT_IN_OUT:
        if (out / keep).exists() and not (staging / keep).exists():
            shutil.copy(out / keep, staging / keep)
    old = out.parent / (out.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if out.exists():
        out.rename(old)
    staging.rename(out)
    if old.exists():
        shutil.rmtree(old)


def step_package(paths: Paths, profile: Profile, *, fp16: bool = True) -> dict[str, Any]:
    """Bundle the models into ``--out``, split large files, and check the bundle still parses.

    With fp16 the same text is also parsed by the fp32 models: the annotations must agree.
    """
    out = paths.out
    staging = out.parent / (out.name + ".staging")
    if staging.exists():
        shutil.rmtree(staging)
    build_bundle(paths, profile, staging, fp16=fp16)
    parts = {
        str(f.relative_to(staging))
        for p in sorted(staging.rglob("*.pt"))
        for f in split_file(p)
        if f != p
    }
    reference = None
    if fp16:
        reference = paths.work / "package.fp32"
        if reference.exists():
            shutil.rmtree(reference)
        build_bundle(paths, profile, reference, fp16=False)
    check = check_bundle(staging, reference=reference)
    total = bundle_bytes(staging)
    if total > SIZE_LIMIT_BYTES:
        raise RuntimeError(f"bundle is {total / 1e6:.1f} MB, over the 80 MB limit")
    sizes = {
        str(p.relative_to(staging)): p.stat().st_size
        for p in sorted(staging.rglob("*"))
        if p.is_file() and p.name != "resources.json"
    }
    replace_dir(out, staging)
    # which checkpoint went in: trainers keep overwriting their best model while they run
    sources = {
        step: {"reused_from": str(paths.reuse_from / PACKAGE_LAYOUT[step])}
        if step in profile.reuse
        else {
            "path": str(paths.model(step)),
            "sha256": sha256(paths.model(step)),
            "saved": time.strftime(
                "%Y-%m-%dT%H:%M:%SZ", time.gmtime(paths.model(step).stat().st_mtime)
            ),
        }
        for step in PACKAGE_LAYOUT
    }
    return {
        "fp16": fp16,
        "bytes_total": total,
        "file_bytes": sizes,
        "split_parts": sorted(parts),
        "sources": sources,
        "check": check,
    }


CHECK_TEXT = (
    'The senator said on Tuesday that she "won\'t back down." Critics, however, '
    "weren't convinced.\n\nIt's unclear what happens next, according to two aides."
)


def check_bundle(model_dir: Path, reference: Path | None) -> dict[str, Any]:
    """Load a bundle the way the application does (``quotes.nlp``) and parse a short text.

    With ``reference`` the same text is parsed with that bundle too and the annotations must
    agree; a disagreement is reported (not silently ignored) so ``package`` can fall back.
    """
    sys.path.insert(0, str(REPO_ROOT))
    from quotes.nlp import NLP, ModelConfig

    def annotate(directory: Path) -> list[tuple[Any, ...]]:
        nlp = NLP(ModelConfig("bundled", directory, "stanza"), use_gpu=False)
        doc = nlp.parse(CHECK_TEXT)
        return [
            (t.text, t.upos, t.lemma, t.head, t.deprel) for s in doc.sentences for t in s.tokens
        ]

    got = annotate(model_dir)
    if not got or any(word[1] is None for word in got):
        raise RuntimeError(f"{model_dir}: the bundle loaded but did not tag the check text")
    result: dict[str, Any] = {"words": len(got), "text": CHECK_TEXT}
    if reference is not None:
        want = annotate(reference)
        result["same_as_fp32"] = got == want
        if got != want:
            diffs = [(a, b) for a, b in zip(got, want, strict=False) if a != b]
            result["differences"] = diffs[:20]
    return result


def step_install(paths: Paths, source: Path) -> dict[str, Any]:
    """Copy the models found under ``source`` (``en/<processor>/...``) into ``--out``.

    Meant for what the GPU machine returns: the trained processors and
    ``training_settings.json``.  The result is checked by parsing the check text before it
    replaces ``--out``.
    """
    out = paths.out
    found = (
        sorted(p.name for p in (source / "en").iterdir() if p.is_dir())
        if (source / "en").is_dir()
        else []
    )
    unknown = [name for name in found if name not in PACKAGE_LAYOUT and name != "pretrain"]
    if not found or unknown:
        raise SystemExit(
            f"{source}: expected en/<processor>/ folders of {', '.join(PACKAGE_LAYOUT)}"
            + (f"; unknown: {', '.join(unknown)}" if unknown else "")
        )
    staging = out.parent / (out.name + ".staging")
    if staging.exists():
        shutil.rmtree(staging)
    shutil.copytree(out, staging)
    for name in found:
        shutil.rmtree(staging / "en" / name, ignore_errors=True)
        shutil.copytree(source / "en" / name, staging / "en" / name)
    if (source / "training_settings.json").exists():
        shutil.copy(source / "training_settings.json", staging / "training_settings.json")
    check = check_bundle(staging, reference=None)
    total = bundle_bytes(staging)
    if total > SIZE_LIMIT_BYTES:
        shutil.rmtree(staging)
        raise SystemExit(f"{source}: the bundle would be {total / 1e6:.1f} MB, over 80 MB")
    replace_dir(out, staging)
    return {"installed": found, "from": str(source), "bytes_total": total, "check": check}


# --------------------------------------------------------------------------------------
# driver


def run_package(paths: Paths, profile: Profile) -> dict[str, Any]:
    """Package in fp16; fall back to fp32 if the fp16 bundle fails or parses differently."""
    try:
        record = step_package(paths, profile)
        fp16_ok = record["check"].get("same_as_fp32", True)
        reason = "fp16 output differs from fp32"
    except (FileNotFoundError, RuntimeError) as exc:
        if isinstance(exc, FileNotFoundError) or "80 MB" in str(exc):
            raise
        fp16_ok, reason = False, f"fp16 bundle failed to load ({exc!r})"
    if not fp16_ok:
        print(f"[package] {reason}: packaging fp32 instead")
        record = step_package(paths, profile, fp16=False)
        record["fp16_rejected_because"] = reason
    return record


def run_trainer_step(paths: Paths, profile: Profile, step: str) -> dict[str, Any]:
    if step == "prepare":
        return step_prepare(paths, profile)
    if step == "train":
        return step_train(paths, profile)
    return run_trainers(paths, profile, [step])[step]


def run_step(step: str, paths: Paths, profile: Profile, *, force: bool) -> None:
    """Run one step unless settings.json records it finished (``force`` reruns it)."""
    settings = load_settings(paths)
    done = settings["steps"].get(step)
    if done and done.get("finished") and not force and step != "package":
        print(f"[{step}] already finished at {done.get('finished')}; skipping (--force redoes)")
        return
    settings.setdefault("profile", profile.name)
    if settings["profile"] != profile.name:
        raise SystemExit(f"{paths.work} holds the {settings['profile']} profile")
    settings["environment"] = environment()
    settings["profile_settings"] = {
        "description": profile.description,
        "notes": profile.notes,
        "extra_args": profile.extra,
        "minutes_cap": profile.minutes,
        "final_eval_seconds_before_cap": profile.final_eval_s,
        "threads_per_trainer": profile.threads,
        "side_by_side": list(profile.together),
        "reused_from_bundle": list(profile.reuse),
    }
    save_settings(paths, settings)
    if step != "prepare" and not paths.conllu("train").exists():
        raise SystemExit("training data missing: run the prepare step first")
    started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    print(f"[{step}] started {started}", flush=True)
    if step == "package":
        record = run_package(paths, profile)
    else:
        record = run_trainer_step(paths, profile, step)
    record["started"] = started
    record["finished"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    # reread: another step may have written settings.json while this one ran
    settings = load_settings(paths)
    settings["steps"][step] = record
    save_settings(paths, settings)
    if step == "package":
        shutil.copy(paths.settings, paths.out / "training_settings.json")
    print(f"[{step}] done", flush=True)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("steps", nargs="+", choices=[*STEPS, "all"], help="steps to run, in order")
    parser.add_argument("--profile", choices=sorted(PROFILES), default="gpu")
    parser.add_argument("--ud", type=Path, default=REPO_ROOT.parent / "shared" / "ud")
    parser.add_argument(
        "--pretrain", type=Path, default=REPO_ROOT.parent / "shared" / "pretrain" / "en_w2v100.pt"
    )
    parser.add_argument(
        "--work",
        type=Path,
        default=REPO_ROOT.parent / "train",
        help="scratch dir outside the repo; the profile name is appended",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="bundle to write (default data/models; with --smoke <work>/<profile>-smoke/bundle)",
    )
    parser.add_argument(
        "--reuse-from",
        type=Path,
        default=REPO_ROOT / "data" / "models",
        help="bundle the profile's reused models (tokenizer, MWT) are copied from",
    )
    parser.add_argument("--from", dest="source", type=Path, help="install: files to copy in")
    parser.add_argument(
        "--minutes",
        type=float,
        default=None,
        help="override the profile's wall-time cap for the trainers run now",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="the same recipe on the CPU for 1 minute on a small dev set, into a scratch bundle",
    )
    parser.add_argument("--force", action="store_true", help="rerun finished steps")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    profile = PROFILES[args.profile]
    if args.smoke:
        profile = smoke_profile(profile)
    if args.minutes is not None:
        profile = dataclasses.replace(profile, minutes=dict.fromkeys(profile.minutes, args.minutes))
    work = (args.work / profile.name).resolve()
    out = args.out or (work / "bundle" if args.smoke else REPO_ROOT / "data" / "models")
    paths = Paths(
        ud=args.ud.resolve(),
        pretrain=args.pretrain.resolve(),
        work=work,
        out=out.resolve(),
        reuse_from=args.reuse_from.resolve(),
    )
    if "install" in args.steps:
        if args.steps != ["install"] or args.source is None:
            raise SystemExit("install runs alone: train_models.py install --from DIR")
        print(json.dumps(step_install(paths, args.source.resolve()), indent=2))
        return 0
    steps = profile.sequence() if "all" in args.steps else args.steps
    try:
        for step in steps:
            run_step(step, paths, profile, force=args.force or args.smoke)
    except (FileNotFoundError, RuntimeError) as exc:
        print(f"train_models: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
