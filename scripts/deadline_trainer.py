"""Run one of Stanza's trainers in this process and stop it cleanly at a wall-clock deadline.

Usage (``scripts/train_models.py`` builds these command lines)::

    python scripts/deadline_trainer.py --deadline 1767225600 stanza.models.tagger --mode train ...

Stanza's tagger, parser and lemmatizer save their best-on-dev model only when they evaluate, so
a trainer killed by a time cap loses every step since its last evaluation, and a trainer that
evaluates often to lose little spends its budget evaluating. Here evaluations can be rare: once
the deadline passes, the trainer evaluates at its next step (saving the model if it scores best
so far) and then stops, and this process exits 0.

- tagger and parser: their loops read ``args["eval_interval"]`` and ``args["max_steps"]`` at
  every step, so at the deadline the interval becomes 1 and, once that evaluation is scored,
  ``max_steps`` becomes 0;
- lemmatizer: it evaluates after each epoch, so at the deadline the current epoch's batches
  end, the epoch's evaluation runs, and the next epoch stops before its first batch.

The parser also decodes its dev trees with :mod:`quotes.fastcycles` (the same trees, faster),
which keeps its evaluations cheap.  ``--deadline 0`` means no deadline.  A line
``deadline-trainer: ...`` in the log says when and how the deadline stopped training.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
TRAINERS = {
    "stanza.models.tagger": "stanza.models.pos.scorer",
    "stanza.models.parser": "stanza.models.depparse.scorer",
    "stanza.models.lemmatizer": "stanza.models.lemma.scorer",
}


class DeadlineReached(Exception):
    """Raised inside the lemmatizer's epoch loop once its last evaluation is saved."""


@dataclass
class DeadlineState:
    """What the deadline hooks share: the trainer's argument dict and how far stopping got."""

    deadline: float
    args: dict[str, Any] | None = None
    passed: threading.Event = field(default_factory=threading.Event)
    final_scored: bool = False
    epochs_started: int = 0

    def note(self, message: str) -> None:
        print(f"deadline-trainer: {message}", flush=True)


def _capture_args(module: Any, state: DeadlineState) -> None:
    """Keep a reference to the argument dict the trainer's ``main`` builds and then reads."""
    original: Callable[..., dict[str, Any]] = module.parse_args

    def parse_args(args: Sequence[str] | None = None) -> dict[str, Any]:
        parsed = original(args=args)
        state.args = parsed
        return parsed

    module.parse_args = parse_args


def _wrap_scorer(scorer: Any, state: DeadlineState, *, step_based: bool) -> None:
    """After the first evaluation scored past the deadline, make the trainer stop."""
    original = scorer.score

    def score(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        if state.passed.is_set() and not state.final_scored:
            if step_based and state.args is not None:
                state.args["max_steps"] = 0
                state.final_scored = True
            elif not step_based and state.epochs_started:
                state.final_scored = True
            if state.final_scored:
                state.note(f"final evaluation after the deadline scored {result[-1]:.4f}")
        return result

    scorer.score = score


def _stop_lemma_epochs(state: DeadlineState) -> None:
    """End the lemmatizer's training epoch at the deadline, and stop after its evaluation."""
    from stanza.models.lemma import data

    original = data.DataLoader.__iter__

    def iterate(self: Any) -> Any:
        if self.eval:
            yield from original(self)
            return
        state.epochs_started += 1
        if state.final_scored:
            raise DeadlineReached
        for batch in original(self):
            if state.passed.is_set():
                state.note(f"deadline: epoch {state.epochs_started} ends early")
                return
            yield batch

    data.DataLoader.__iter__ = iterate


def _arm(state: DeadlineState) -> None:
    state.passed.set()
    if state.args is not None:
        # the next step's check `step % eval_interval == 0` evaluates (tagger, parser)
        state.args["eval_interval"] = 1
    state.note("deadline reached: evaluating once more, then stopping")


def run(module_name: str, trainer_args: list[str], deadline: float) -> int:
    if module_name not in TRAINERS:
        raise SystemExit(f"deadline_trainer: unsupported trainer {module_name!r}")
    module = importlib.import_module(module_name)
    scorer = importlib.import_module(TRAINERS[module_name])
    state = DeadlineState(deadline=deadline)
    step_based = module_name != "stanza.models.lemmatizer"
    _capture_args(module, state)
    _wrap_scorer(scorer, state, step_based=step_based)
    if not step_based:
        _stop_lemma_epochs(state)
    if module_name == "stanza.models.parser":
        sys.path.insert(0, str(REPO_ROOT))
        from quotes.fastcycles import install

        install()
    if deadline > 0:
        timer = threading.Timer(max(0.0, deadline - time.time()), _arm, args=(state,))
        timer.daemon = True
        timer.start()
    try:
        module.main(trainer_args)
    except DeadlineReached:
        state.note("stopped after the final evaluation")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deadline", type=float, required=True, help="Unix time; 0: none")
    parser.add_argument("module", choices=sorted(TRAINERS))
    parser.add_argument("trainer_args", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    return run(args.module, args.trainer_args, args.deadline)


if __name__ == "__main__":
    raise SystemExit(main())
