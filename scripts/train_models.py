"""Train the project's own Stanza English models and bundle them under ``data/models/``.

The recipe uses nothing but Stanza's own trainers from the pip package
(``python -m stanza.models.tokenizer`` and friends), the UD English EWT + GUM (CC-BY genres)
treebanks in ``../shared/ud`` and the 100-d word vectors in ``../shared/pretrain``.

Steps, each runnable on its own and skipped when already finished (``--force`` redoes one)::

    prepare   CoNLL-U -> Stanza's training files (train = EWT+GUM train, dev, test)
    tokenize  tokenizer + sentence splitter (with MWT labels)
    mwt       multi-word-token expander ("don't" -> "do n't")
    pos       UPOS / XPOS / UFeats tagger
    lemma     lemmatizer (dictionary only in cpu-small, seq2seq + dictionary in gpu)
    depparse  dependency parser (trained on gold tags; Stanza tags with the tagger at run time)
    package   copy the selected models into data/models/ in Stanza's directory layout (fp16)

Examples::

    python scripts/train_models.py all                    # gpu profile, every step
    python scripts/train_models.py --profile cpu-small prepare tokenize
    python scripts/train_models.py --profile cpu-small --minutes 40 depparse   # wall-clock cap

Every trainer keeps its best-on-dev model on disk as it goes, so a step stopped by its time cap
(or by hand) still leaves a usable model; the parser also resumes from its own checkpoint when
the step is run again with ``--force``.  The exact settings (commands, arguments, Stanza
version, data file hashes, wall times) are recorded in ``<work>/<profile>/settings.json`` and
copied to ``data/models/training_settings.json`` by ``package``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
SHORTHAND = "en_combined"
STEPS = ("prepare", "tokenize", "mwt", "pos", "lemma", "depparse", "package")
TREEBANKS = ("en_ewt-ud", "en_gum-ccby")
SPLITS = ("train", "dev", "test")


@dataclass(frozen=True)
class Profile:
    """Model sizes and budgets for one kind of machine.

    ``extra`` holds, per step, the arguments appended to the trainer's command line; an empty
    list means Stanza's defaults.  ``minutes`` caps each trainer's wall time (Stanza saves the
    best dev model as it goes, so stopping it at the cap is safe).  ``threads`` is the torch
    thread count per trainer: on a 2-core box two single-threaded trainers side by side beat
    one trainer with two threads, whose system time explodes in OpenMP spinning.
    """

    name: str
    extra: dict[str, list[str]]
    minutes: dict[str, float]
    threads: int
    description: str
    notes: list[str] = field(default_factory=list)


# fmt: off
# (argument lists stay as "--flag", "value" pairs: one pair per item would be unreadable)
PROFILES: dict[str, Profile] = {
    # Default Stanza sizes.  At ~0.25 s a step on one H100 (measured, see ../shared/README.md)
    # the step caps below keep every step under 10 minutes including dev evaluation.
    "gpu": Profile(
        name="gpu",
        extra={
            "tokenize": ["--steps", "6000", "--eval_steps", "500"],
            "mwt": ["--num_epoch", "30"],
            "pos": ["--max_steps", "2000", "--eval_interval", "200"],
            "lemma": ["--num_epoch", "30"],
            "depparse": ["--max_steps", "2000", "--eval_interval", "200"],
        },
        minutes={"tokenize": 9.5, "mwt": 9.5, "pos": 9.5, "lemma": 9.5, "depparse": 9.5},
        threads=4,
        description="Stanza default model sizes; meant for one GPU, each step < 10 min",
    ),
    # Small models that learn something useful within an hour on 2 CPU cores.
    "cpu-small": Profile(
        name="cpu-small",
        extra={
            "tokenize": ["--steps", "4000", "--eval_steps", "250", "--batch_size", "32"],
            "mwt": ["--dict_only"],
            "pos": [
                # the xpos and per-feature ufeats biaffine heads, not the LSTM, dominate the
                # tagger's cost on CPU: keep them narrow
                "--hidden_dim", "128", "--char_hidden_dim", "64", "--char_emb_dim", "50",
                "--deep_biaff_hidden_dim", "100", "--composite_deep_biaff_hidden_dim", "50",
                "--word_emb_dim", "50", "--num_layers", "1",
                "--batch_size", "100", "--eval_interval", "200", "--max_steps", "20000",
            ],
            "lemma": ["--dict_only"],
            "depparse": [
                "--hidden_dim", "200", "--char_hidden_dim", "64", "--char_emb_dim", "50",
                "--deep_biaff_hidden_dim", "200", "--deep_biaff_output_dim", "100",
                "--word_emb_dim", "50", "--num_layers", "2", "--batch_size", "1500",
                "--eval_interval", "200", "--checkpoint_interval", "100", "--max_steps", "20000",
            ],
        },
        minutes={"tokenize": 25, "mwt": 10, "pos": 115, "lemma": 10, "depparse": 115},
        threads=1,
        description="small interim models trained on a 2-core CPU; not the intended models",
        notes=[
            "dictionary-only MWT expander and lemmatizer (unknown words: identity fallback)",
            "one-layer tagger, two-layer parser, small character models, no charlm",
        ],
    ),
}
# fmt: on


# --------------------------------------------------------------------------------------
# paths and bookkeeping


@dataclass(frozen=True)
class Paths:
    """Every location the recipe reads or writes."""

    ud: Path
    pretrain: Path
    work: Path
    out: Path

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
    def settings(self) -> Path:
        return self.work / "settings.json"

    def conllu(self, split: str) -> Path:
        """The combined (EWT+GUM) gold CoNLL-U file of one split."""
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


def run_trainer(
    paths: Paths, profile: Profile, step: str, module: str, args: list[str], *, log_name: str
) -> dict[str, Any]:
    """Run one Stanza trainer as a subprocess under the profile's wall-time cap.

    A trainer stopped by the cap is not an error: Stanza has already written its best dev
    model.  Returns the record stored in settings.json.
    """
    cmd = [sys.executable, "-m", module, *args]
    env = dict(os.environ)
    threads = str(profile.threads)
    # torch reads these at import; without them each trainer grabs every core
    env.update(OMP_NUM_THREADS=threads, MKL_NUM_THREADS=threads, PYTHONUNBUFFERED="1")
    paths.logs.mkdir(parents=True, exist_ok=True)
    log_path = paths.logs / f"{log_name}.log"
    limit = profile.minutes.get(step, 10.0) * 60
    started = time.time()
    timed_out = False
    print(f"[{step}] {' '.join(cmd)}\n[{step}] log: {log_path} (cap {limit / 60:.0f} min)")
    with log_path.open("a", encoding="utf-8") as log:
        log.write(f"\n=== {time.strftime('%Y-%m-%d %H:%M:%S')} {' '.join(cmd)}\n")
        log.flush()
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            rc = proc.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            timed_out = True
            proc.terminate()
            try:
                rc = proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                rc = proc.wait()
    elapsed = time.time() - started
    # A trainer stopped by hand (kill -TERM / -INT of the trainer's pid) once its dev score is
    # good enough counts as finished, like one stopped by the cap, if it saved a model.
    stopped_by_hand = rc in (-signal.SIGTERM, -signal.SIGINT) and paths.model(step).exists()
    if rc != 0 and not timed_out and not stopped_by_hand:
        raise RuntimeError(f"{step}: {module} exited with {rc}; see {log_path}")
    return {
        "command": cmd,
        "threads": profile.threads,
        "wall_seconds": round(elapsed, 1),
        "stopped_by_time_cap": timed_out,
        "stopped_by_hand": stopped_by_hand,
        "log": str(log_path),
    }


# --------------------------------------------------------------------------------------
# steps


def step_prepare(paths: Paths, profile: Profile) -> dict[str, Any]:
    """Concatenate EWT + GUM per split and derive the tokenizer's .txt/.toklabels/mwt json.

    Stanza's own converters do the work: ``conllu_to_text`` rebuilds the raw text (paragraph
    breaks from ``# newpar``/``# newdoc``) and ``prepare_tokenizer_data`` labels each
    character (end of token / sentence / MWT) and collects the MWT expansions.
    """
    from stanza.utils.datasets import conllu_to_text, prepare_tokenizer_data

    paths.data.mkdir(parents=True, exist_ok=True)
    hashes: dict[str, str] = {}
    for split in SPLITS:
        parts = []
        for treebank in TREEBANKS:
            source = paths.ud / f"{treebank}-{split}.conllu"
            if not source.exists():
                raise FileNotFoundError(f"missing {source}: point --ud at the UD files")
            hashes[source.name] = sha256(source)
            # each file must end with a blank line or the next file's first sentence merges
            parts.append(source.read_text(encoding="utf-8").rstrip("\n") + "\n\n")
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
    hashes[paths.pretrain.name] = sha256(paths.pretrain)
    return {"data_sha256": hashes, "sources": [str(paths.ud / t) for t in TREEBANKS]}


def step_tokenize(paths: Paths, profile: Profile) -> dict[str, Any]:
    d = paths.data
    args = [
        "--mode",
        "train",
        "--lang",
        "en",
        "--shorthand",
        SHORTHAND,
        "--txt_file",
        str(d / f"{SHORTHAND}.train.txt"),
        "--label_file",
        str(d / f"{SHORTHAND}-ud-train.toklabels"),
        "--dev_txt_file",
        str(d / f"{SHORTHAND}.dev.txt"),
        "--dev_label_file",
        str(d / f"{SHORTHAND}-ud-dev.toklabels"),
        "--dev_conll_gold",
        str(paths.conllu("dev")),
        # mirrors stanza.utils.training.run_tokenizer: the dev mwt file at train time
        "--mwt_json_file",
        str(d / f"{SHORTHAND}-ud-dev-mwt.json"),
        "--conll_file",
        str(paths.work / "scratch" / "tokenize.dev.pred.conllu"),
        "--max_seqlen",
        "300",
        "--use_mwt",
        "--save_dir",
        str(paths.model("tokenize").parent),
        "--save_name",
        paths.model("tokenize").name,
        *profile.extra["tokenize"],
    ]
    (paths.work / "scratch").mkdir(parents=True, exist_ok=True)
    return run_trainer(
        paths, profile, "tokenize", "stanza.models.tokenizer", args, log_name="tokenize"
    )


def step_mwt(paths: Paths, profile: Profile) -> dict[str, Any]:
    args = [
        "--mode",
        "train",
        "--lang",
        "en",
        "--shorthand",
        SHORTHAND,
        "--train_file",
        str(paths.conllu("train")),
        "--eval_file",
        str(paths.conllu("dev")),
        "--output_file",
        str(paths.work / "scratch" / "mwt.dev.pred.conllu"),
        "--gold_file",
        str(paths.conllu("dev")),
        "--save_dir",
        str(paths.model("mwt").parent),
        "--save_name",
        paths.model("mwt").name,
        *profile.extra["mwt"],
    ]
    (paths.work / "scratch").mkdir(parents=True, exist_ok=True)
    return run_trainer(paths, profile, "mwt", "stanza.models.mwt_expander", args, log_name="mwt")


def step_pos(paths: Paths, profile: Profile) -> dict[str, Any]:
    args = [
        "--mode",
        "train",
        "--lang",
        "en",
        "--shorthand",
        SHORTHAND,
        "--train_file",
        str(paths.conllu("train")),
        "--eval_file",
        str(paths.conllu("dev")),
        "--output_file",
        str(paths.work / "scratch" / "pos.dev.pred.conllu"),
        "--wordvec_pretrain_file",
        str(paths.pretrain),
        "--save_dir",
        str(paths.model("pos").parent),
        "--save_name",
        paths.model("pos").name,
        *profile.extra["pos"],
    ]
    (paths.work / "scratch").mkdir(parents=True, exist_ok=True)
    return run_trainer(paths, profile, "pos", "stanza.models.tagger", args, log_name="pos")


def step_lemma(paths: Paths, profile: Profile) -> dict[str, Any]:
    # the lemmatizer takes no --lang, only --shorthand
    args = [
        "--mode",
        "train",
        "--shorthand",
        SHORTHAND,
        "--train_file",
        str(paths.conllu("train")),
        "--eval_file",
        str(paths.conllu("dev")),
        "--output_file",
        str(paths.work / "scratch" / "lemma.dev.pred.conllu"),
        "--save_dir",
        str(paths.model("lemma").parent),
        "--save_name",
        paths.model("lemma").name,
        *profile.extra["lemma"],
    ]
    (paths.work / "scratch").mkdir(parents=True, exist_ok=True)
    return run_trainer(paths, profile, "lemma", "stanza.models.lemmatizer", args, log_name="lemma")


def step_depparse(paths: Paths, profile: Profile) -> dict[str, Any]:
    # Stanza writes <save_name minus .pt>_checkpoint.pt next to the model and picks it up
    # again on the next run, so re-running this step (with --force) resumes training.
    args = [
        "--mode",
        "train",
        "--lang",
        "en",
        "--shorthand",
        SHORTHAND,
        "--train_file",
        str(paths.conllu("train")),
        "--eval_file",
        str(paths.conllu("dev")),
        "--output_file",
        str(paths.work / "scratch" / "depparse.dev.pred.conllu"),
        "--wordvec_pretrain_file",
        str(paths.pretrain),
        "--save_dir",
        str(paths.model("depparse").parent),
        "--save_name",
        paths.model("depparse").name,
        *profile.extra["depparse"],
    ]
    (paths.work / "scratch").mkdir(parents=True, exist_ok=True)
    return run_trainer(
        paths, profile, "depparse", "stanza.models.parser", args, log_name="depparse"
    )


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


def resources_json() -> dict[str, Any]:
    """The smallest resources.json with which ``stanza.Pipeline(dir=..., lang="en")`` works.

    The pipeline reads the per-processor default package and the pretrain dependency from
    here; nothing is downloaded because callers pass ``download_method=None``.
    """
    import stanza

    pretrain_dep = [{"model": "pretrain", "package": "w2v100"}]
    return {
        "en": {
            "lang_name": "English",
            "default_processors": {
                "tokenize": "combined",
                "mwt": "combined",
                "pos": "combined",
                "lemma": "combined",
                "depparse": "combined",
            },
            # Pipeline looks up the "default" package here to decide whether to add mwt
            "packages": {
                "default": {
                    "tokenize": "combined",
                    "mwt": "combined",
                    "pos": "combined",
                    "lemma": "combined",
                    "depparse": "combined",
                }
            },
            "tokenize": {"combined": {}},
            "mwt": {"combined": {}},
            "pos": {"combined": {"dependencies": pretrain_dep}},
            "lemma": {"combined": {}},
            "depparse": {"combined": {"dependencies": pretrain_dep}},
            "pretrain": {"w2v100": {}},
        },
        "__version__": stanza.__version__,
    }


def step_package(paths: Paths, profile: Profile, *, fp16: bool = True) -> dict[str, Any]:
    """Copy the best models into ``--out`` in Stanza's own layout and check they still run."""
    out = paths.out
    staging = out.parent / (out.name + ".staging")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    for step, rel in PACKAGE_LAYOUT.items():
        source = paths.model(step)
        if not source.exists():
            raise FileNotFoundError(f"{source} missing: run the {step} step first")
        shrink(source, staging / rel, fp16=fp16)
    # Stanza feeds the pretrain matrix straight into an fp32 Linear (no load_state_dict cast),
    # so an fp16 pretrain fails at run time ("expected m1 and m2 to have the same dtype")
    shrink(paths.pretrain, staging / PRETRAIN_TARGET, fp16=False)
    (staging / "resources.json").write_text(
        json.dumps(resources_json(), indent=2) + "\n", encoding="utf-8"
    )
    check = check_bundle(staging, reference=None)
    if fp16:
        # compare against the same models in fp32: fp16 storage must not change the output
        ref_dir = paths.work / "package.fp32"
        if ref_dir.exists():
            shutil.rmtree(ref_dir)
        ref_dir.mkdir(parents=True)
        for step, rel in PACKAGE_LAYOUT.items():
            shrink(paths.model(step), ref_dir / rel, fp16=False)
        shrink(paths.pretrain, ref_dir / PRETRAIN_TARGET, fp16=False)
        shutil.copy(staging / "resources.json", ref_dir / "resources.json")
        check = check_bundle(staging, reference=ref_dir)
    total = sum(p.stat().st_size for p in staging.rglob("*") if p.is_file())
    if total > SIZE_LIMIT_BYTES:
        raise RuntimeError(f"bundle is {total / 1e6:.1f} MB, over the 80 MB limit")
    # keep README.md / training_settings.json that live in out/ across re-packaging
    for keep in ("README.md",):
        if (out / keep).exists():
            shutil.copy(out / keep, staging / keep)
    sizes = {str(p.relative_to(staging)): p.stat().st_size for p in sorted(staging.rglob("*.pt"))}
    old = out.parent / (out.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if out.exists():
        out.rename(old)
    staging.rename(out)
    if old.exists():
        shutil.rmtree(old)
    # which checkpoint went in: trainers keep overwriting their best model while they run
    sources = {
        step: {
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
        "sources": sources,
        "check": check,
    }


CHECK_TEXT = (
    'The senator said on Tuesday that she "won\'t back down." Critics, however, '
    "weren't convinced.\n\nIt's unclear what happens next, according to two aides."
)


def check_bundle(model_dir: Path, reference: Path | None) -> dict[str, Any]:
    """Load a bundle with stanza.Pipeline (no downloads) and parse a short text.

    With ``reference`` the same text is parsed with the fp32 bundle and the annotations must
    agree; a disagreement is reported (not silently ignored) so ``package`` can fall back.
    """
    import stanza

    def annotate(
        directory: Path,
    ) -> list[tuple[str, str | None, str | None, int | None, str | None]]:
        nlp = stanza.Pipeline(
            lang="en",
            dir=str(directory),
            download_method=None,
            processors="tokenize,mwt,pos,lemma,depparse",
            use_gpu=False,
            logging_level="WARN",
        )
        doc = nlp(CHECK_TEXT)
        return [(w.text, w.upos, w.lemma, w.head, w.deprel) for s in doc.sentences for w in s.words]

    got = annotate(model_dir)
    result: dict[str, Any] = {"words": len(got), "text": CHECK_TEXT}
    if reference is not None:
        want = annotate(reference)
        result["same_as_fp32"] = got == want
        if got != want:
            diffs = [(a, b) for a, b in zip(got, want, strict=False) if a != b]
            result["differences"] = diffs[:20]
    return result


# --------------------------------------------------------------------------------------
# driver

STEP_FUNCS = {
    "prepare": step_prepare,
    "tokenize": step_tokenize,
    "mwt": step_mwt,
    "pos": step_pos,
    "lemma": step_lemma,
    "depparse": step_depparse,
}


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
        "threads_per_trainer": profile.threads,
    }
    save_settings(paths, settings)
    if step != "prepare" and not paths.conllu("train").exists():
        raise SystemExit("training data missing: run the prepare step first")
    started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    if step == "package":
        try:
            record = step_package(paths, profile)
            fp16_ok = record["check"].get("same_as_fp32", True)
            reason = "fp16 output differs from fp32"
        except Exception as exc:  # any load failure of the fp16 files: try fp32 before giving up
            fp16_ok, reason = False, f"fp16 bundle failed to load ({exc!r})"
        if not fp16_ok:
            print(f"[package] {reason}: packaging fp32 instead")
            record = step_package(paths, profile, fp16=False)
            record["fp16_rejected_because"] = reason
    else:
        record = STEP_FUNCS[step](paths, profile)
    record["started"] = started
    record["finished"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    # reread: another step may have written settings.json while this one ran
    settings = load_settings(paths)
    settings["steps"][step] = record
    save_settings(paths, settings)
    if step == "package":
        shutil.copy(paths.settings, paths.out / "training_settings.json")
    print(f"[{step}] done")


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
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "data" / "models")
    parser.add_argument(
        "--minutes",
        type=float,
        default=None,
        help="override the profile's wall-time cap for the trainers run now",
    )
    parser.add_argument("--force", action="store_true", help="rerun finished steps")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    profile = PROFILES[args.profile]
    if args.minutes is not None:
        profile = Profile(
            name=profile.name,
            extra=profile.extra,
            minutes=dict.fromkeys(profile.minutes, args.minutes),
            threads=profile.threads,
            description=profile.description,
            notes=profile.notes,
        )
    paths = Paths(
        ud=args.ud.resolve(),
        pretrain=args.pretrain.resolve(),
        work=(args.work / profile.name).resolve(),
        out=args.out.resolve(),
    )
    steps = list(STEPS) if "all" in args.steps else args.steps
    for step in steps:
        run_step(step, paths, profile, force=args.force)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
