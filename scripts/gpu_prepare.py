"""Prepare, here on the CPU machine, what the one GPU call of ``scripts/gpu_run.sh`` carries.

The GPU machine reaches no registry and does not see ``../shared``, so this builds the ignored
folder ``.gpu/`` in the repository root:

- ``.gpu/whl/``: cp312 wheels of Stanza and the pure-Python packages it needs that the GPU
  machine's image lacks (its image has torch, numpy, requests, protobuf, networkx, regex,
  huggingface-hub, tqdm, colorama: see ``DEVICE_HAS``);
- ``.gpu/ud/``: the UD EWT and GUM (CC-BY) files, xz-compressed (``train_models.py prepare``
  reads ``.conllu.xz``); the word vectors are the bundled ``data/models/en/pretrain``.

Then it checks that every requirement of the carried wheels is carried or on the machine, and
that the working tree plus ``.gpu/`` stays under the 64 MiB a call may carry. With
``--rehearse`` it also runs ``scripts/gpu_run.sh`` here with the one-minute ``--smoke`` recipe
and checks what it leaves in its ``$OUT``: at most 8 files of at most 16 MiB, at most two
folders down, plain names.

Usage::

    python scripts/gpu_prepare.py              # build .gpu/ and check sizes
    python scripts/gpu_prepare.py --rehearse   # and rehearse the run on the CPU (~5 min)
"""

from __future__ import annotations

import argparse
import lzma
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
CARRY = REPO_ROOT / ".gpu"
UD_FILES = [f"{tb}-{split}.conllu" for tb in ("en_ewt-ud", "en_gum-ccby") for split in
            ("train", "dev", "test")]  # fmt: skip
# Stanza and what it needs beyond the GPU machine's image (versions as installed here).
WHEELS = ("stanza", "emoji", "orjson", "platformdirs", "udtools", "udapi", "termcolor")
# On the GPU machine's image already (its package list, read 2026-11-17).
DEVICE_HAS = {
    "torch", "numpy", "requests", "protobuf", "networkx", "regex", "huggingface-hub", "tqdm",
    "colorama", "tomli",
}  # fmt: skip
CARRY_LIMIT = 64 * 1024 * 1024
OUT_FILES, OUT_FILE_BYTES = 8, 16 * 1024 * 1024
PLATFORMS = ("manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64")


def installed_version(name: str) -> str:
    from importlib.metadata import version

    return version(name)


def download_wheels(target: Path) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    pins = [f"{name}=={installed_version(name)}" for name in WHEELS]
    have = {w.name.split("-")[0].lower().replace("_", "-") for w in target.glob("*.whl")}
    missing = [pin for pin in pins if pin.split("==")[0].lower() not in have]
    if missing:
        platforms = [arg for p in PLATFORMS for arg in ("--platform", p)]
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
             "--python-version", "3.12", "--implementation", "cp", *platforms, "-d",
             str(target), *missing],
            check=True,
        )  # fmt: skip
    return sorted(target.glob("*.whl"))


def unmet_requirements(wheels: list[Path]) -> list[str]:
    """Requirements of the carried wheels that neither they nor the GPU machine provide."""
    carried = {w.name.split("-")[0].lower().replace("_", "-") for w in wheels}
    unmet = []
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as archive:
            meta = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
            lines = archive.read(meta).decode("utf-8").splitlines()
        for line in lines:
            if not line.startswith("Requires-Dist:") or "extra ==" in line:
                continue
            if 'python_version < "3.11"' in line:
                continue
            name = re.split(r"[ ;<>=!~\[(]", line.split(":", 1)[1].strip())[0].lower()
            name = name.replace("_", "-")
            if name not in carried and name not in DEVICE_HAS:
                unmet.append(f"{wheel.name}: {name}")
    return unmet


def compress_ud(ud: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for name in UD_FILES:
        packed = target / f"{name}.xz"
        if not packed.exists():
            packed.write_bytes(lzma.compress((ud / name).read_bytes(), preset=6))


def carried_bytes() -> int:
    """Tracked and untracked-not-ignored files, plus .gpu/: what one call sends."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=REPO_ROOT, capture_output=True, check=True,
    ).stdout.decode().split("\0")  # fmt: skip
    tree = sum((REPO_ROOT / f).stat().st_size for f in listed if f and (REPO_ROOT / f).is_file())
    return tree + sum(p.stat().st_size for p in CARRY.rglob("*") if p.is_file())


def check_out(out: Path) -> list[str]:
    """What the device tool would refuse to bring back from ``out``."""
    files = [p for p in out.rglob("*") if p.is_file()]
    problems = [] if len(files) <= OUT_FILES else [f"{len(files)} files (at most {OUT_FILES})"]
    for path in files:
        rel = path.relative_to(out)
        if path.stat().st_size > OUT_FILE_BYTES:
            problems.append(f"{rel}: {path.stat().st_size} bytes (at most 16 MiB)")
        if len(rel.parts) > 3:
            problems.append(f"{rel}: more than two folders down")
        if not all(re.fullmatch(r"[A-Za-z0-9._-]+", part) for part in rel.parts):
            problems.append(f"{rel}: a name with characters other than letters, digits, . _ -")
    return problems


def rehearse() -> int:
    out = Path("/tmp/quotes-gpu-rehearsal-out")
    subprocess.run(["rm", "-rf", str(out), "/tmp/quotes-gpu-rehearsal"], check=True)
    env = {**os.environ, "OUT": str(out), "GPU_RUN_SMOKE": "1",
           "GPU_RUN_WORK": "/tmp/quotes-gpu-rehearsal"}  # fmt: skip
    rc = subprocess.run(["bash", str(REPO_ROOT / "scripts" / "gpu_run.sh")], env=env).returncode
    problems = check_out(out)
    files = sorted(p for p in out.rglob("*") if p.is_file())
    for path in files:
        print(f"  $OUT/{path.relative_to(out)}  {path.stat().st_size / 2**20:.1f} MiB")
    print(f"rehearsal: gpu_run.sh exited {rc}; {len(files)} files in $OUT")
    for problem in problems:
        print(f"rehearsal: PROBLEM {problem}")
    return 1 if rc or problems else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ud", type=Path, default=REPO_ROOT.parent / "shared" / "ud")
    parser.add_argument("--rehearse", action="store_true", help="run gpu_run.sh --smoke here")
    args = parser.parse_args(argv)
    wheels = download_wheels(CARRY / "whl")
    compress_ud(args.ud, CARRY / "ud")
    unmet = unmet_requirements(wheels)
    total = carried_bytes()
    print(f".gpu/: {len(wheels)} wheels, {len(UD_FILES)} UD files (xz)")
    print(f"one call carries {total / 2**20:.1f} MiB (limit 64 MiB)")
    for item in unmet:
        print(f"PROBLEM: requirement neither carried nor on the GPU machine: {item}")
    if total > CARRY_LIMIT or unmet:
        return 1
    return rehearse() if args.rehearse else 0


if __name__ == "__main__":
    raise SystemExit(main())
