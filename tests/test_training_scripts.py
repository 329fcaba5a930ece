"""The training recipe's own logic: profiles, smoke runs, log reading, the GPU call's limits."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import gpu_prepare
import train_models
from train_models import PROFILES, log_summary, smoke_profile


def test_the_gpu_and_cpu_profiles_train_side_by_side_and_reuse_the_tokenizer() -> None:
    for name in ("gpu", "cpu"):
        profile = PROFILES[name]
        assert profile.sequence() == ["prepare", "train", "package"]
        assert set(profile.together) == {"pos", "lemma", "depparse"}
        assert "--dict_only" not in profile.extra["lemma"]  # the seq2seq lemmatizer
    assert PROFILES["cpu-small"].sequence() == [
        "prepare", "tokenize", "mwt", "pos", "lemma", "depparse", "package",
    ]  # fmt: skip
    # the whole GPU command must end inside the device tool's 10 minutes
    gpu = PROFILES["gpu"]
    assert max(gpu.minutes.values()) * 60 + gpu.grace_s <= 9 * 60


def test_a_smoke_run_keeps_the_model_sizes_and_changes_only_time_batches_and_device() -> None:
    gpu = PROFILES["gpu"]
    smoke = smoke_profile(gpu)
    assert smoke.name == "gpu-smoke" and smoke.device_args == ("--cpu",)
    assert set(smoke.minutes.values()) == {1.0} and smoke.dev_split == "dev-smoke"
    for step, args in gpu.extra.items():
        # argparse keeps the last value: the appended batch size wins, the sizes are untouched
        assert smoke.extra[step][: len(args)] == args
        assert smoke.extra[step][len(args) :] in ([], ["--batch_size", smoke.extra[step][-1]])


LOG = """
=== 2026-12-04 19:00:00 old run
2026-12-04 19:00:31 INFO: step 200: train_loss = 9.5, dev_score = 0.9900
=== 2026-12-04 19:06:25 python scripts/deadline_trainer.py ...
2026-12-04 19:06:40 INFO: Finished STEP 20/100000, loss = 3.2 (0.210 sec/batch), lr: 0.003
2026-12-04 19:06:44 INFO: Finished STEP 40/100000, loss = 2.9 (0.190 sec/batch), lr: 0.003
2026-12-04 19:07:00 INFO: step 500: train_loss = 2.100000, dev_score = 0.9012
deadline-trainer: deadline reached: evaluating once more, then stopping
deadline-trainer: final evaluation after the deadline scored 0.9188
2026-12-04 19:07:30 INFO: step 731: train_loss = 1.900000, dev_score = 0.9188
"""


def test_the_log_summary_reads_the_last_run_only(tmp_path: Path) -> None:
    log = tmp_path / "pos.log"
    log.write_text(LOG, encoding="utf-8")
    summary = log_summary(log)
    assert summary["dev_scores"] == [["step", 500, 0.9012], ["step", 731, 0.9188]]
    assert summary["best_dev_score"] == 0.9188 and summary["best_at"] == "step 731"
    assert summary["last_logged_step"] == 40
    assert summary["stopped_by_deadline"] is True


def test_what_the_device_tool_would_not_bring_back_is_reported(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "en" / "depparse").mkdir(parents=True)
    (out / "en" / "depparse" / "combined.pt.part-01-of-02").write_bytes(b"x")
    (out / "gpu_run.log").write_text("ok", encoding="utf-8")
    assert gpu_prepare.check_out(out) == []
    (out / "a" / "b" / "c").mkdir(parents=True)
    (out / "a" / "b" / "c" / "deep.txt").write_text("x", encoding="utf-8")
    (out / "bad name.txt").write_text("x", encoding="utf-8")
    problems = gpu_prepare.check_out(out)
    assert any("more than two folders down" in p for p in problems)
    assert any("bad name.txt" in p for p in problems)
    for i in range(8):
        (out / f"extra{i}.txt").write_text("x", encoding="utf-8")
    assert any("files (at most 8)" in p for p in gpu_prepare.check_out(out))


def test_a_requirement_neither_carried_nor_on_the_gpu_machine_is_found(tmp_path: Path) -> None:
    wheel = tmp_path / "demo-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr(
            "demo-1.0.dist-info/METADATA",
            "Name: demo\nRequires-Dist: numpy\nRequires-Dist: missing_pkg>=2\n"
            'Requires-Dist: tomli; python_version < "3.11"\n'
            'Requires-Dist: pytest; extra == "test"\n',
        )
    assert gpu_prepare.unmet_requirements([wheel]) == [f"{wheel.name}: missing-pkg"]


@pytest.mark.skipif(
    not (Path(__file__).resolve().parent.parent / ".gpu" / "whl").is_dir(),
    reason="no .gpu/ prepared (python scripts/gpu_prepare.py)",
)
def test_the_prepared_wheels_meet_their_own_requirements() -> None:
    wheels = sorted((gpu_prepare.CARRY / "whl").glob("*.whl"))
    assert gpu_prepare.unmet_requirements(wheels) == []
    assert any(w.name.startswith("stanza-") for w in wheels)


def test_an_xz_ud_file_reads_like_the_plain_one(tmp_path: Path) -> None:
    import lzma

    text = "# text = Hi.\n1\tHi\thi\tINTJ\tUH\t_\t0\troot\t_\t_\n\n"
    (tmp_path / "x.conllu.xz").write_bytes(lzma.compress(text.encode("utf-8")))
    assert train_models.read_ud(tmp_path / "x.conllu") == text
    with pytest.raises(FileNotFoundError, match=r"y\.conllu"):
        train_models.read_ud(tmp_path / "y.conllu")
