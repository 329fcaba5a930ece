#!/usr/bin/env bash
# The whole GPU training run, in ONE call of the device tool (see scripts/README-maintainer.md):
#
#   run(command="bash scripts/gpu_run.sh", carry=[".gpu"], timeout_s=600)
#
# Prepared beforehand, here, by `bash scripts/gpu_prepare.sh` (wheels + compressed UD files in
# the ignored folder .gpu/, size checked). On the GPU machine this script
#   1. installs the carried wheels (stanza and the pure-Python packages it needs) into /tmp/site;
#   2. trains the `gpu` profile: tagger, seq2seq lemmatizer and parser side by side under one
#      cap (scripts/train_models.py --profile gpu all), reusing the bundled tokenizer, MWT
#      expander and word vectors;
#   3. packages them in fp16, files over 16 MiB split into parts, checked against fp32;
#   4. copies the trained files to $OUT (at most 8 files of at most 16 MiB):
#        en/pos/*, en/lemma/*, en/depparse/*, training_settings.json, gpu_run.log
#   5. if time is left, times the tokenizer and the parse of bench/throughput.py on the GPU
#      (seeds x20; the end-to-end rows need Polars, too large to carry), into gpu_run.log.
# Back here: `python scripts/train_models.py install --from <files_at>`, then bench/models.py.
#
# GPU_RUN_SMOKE=1 runs the same script on a CPU with the one-minute --smoke recipe (the
# rehearsal); OUT defaults to /tmp/gpu-out there.
set -uo pipefail
cd "$(dirname "$0")/.."
STARTED=$(date +%s)
OUT=${OUT:-/tmp/gpu-out}
WORK=${GPU_RUN_WORK:-/tmp/quotes-gpu-train}
BUNDLE=$WORK/bundle
mkdir -p "$OUT" "$WORK"
LOG=$OUT/gpu_run.log
exec > >(tee -a "$LOG") 2>&1
elapsed() { echo $(($(date +%s) - STARTED)); }
say() { echo "[gpu_run $(elapsed)s] $*"; }

PYTHON=${PYTHON:-python3}
SMOKE=()
if [ "${GPU_RUN_SMOKE:-0}" = "1" ]; then
  SMOKE=(--smoke)
  PYTHON=${PYTHON_SMOKE:-.venv/bin/python}
fi
if ! "$PYTHON" -c "import stanza" 2>/dev/null; then
  say "installing the carried wheels"
  "$PYTHON" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
    --target /tmp/site .gpu/whl/*.whl || { say "wheel install failed"; exit 1; }
  export PYTHONPATH=/tmp/site${PYTHONPATH:+:$PYTHONPATH}
fi
export PYTHONUNBUFFERED=1
"$PYTHON" -c "import stanza, torch; print('stanza', stanza.__version__, 'torch', torch.__version__,
      'cuda', torch.cuda.is_available(), torch.cuda.get_device_name(0) if torch.cuda.is_available() else '')"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
nproc

say "training (scripts/train_models.py --profile gpu ${SMOKE[*]} all)"
"$PYTHON" scripts/train_models.py --profile gpu "${SMOKE[@]}" all \
  --ud .gpu/ud --pretrain data/models/en/pretrain/w2v100.pt \
  --work "$WORK" --reuse-from data/models --out "$BUNDLE"
RC=$?
for log in "$WORK"/gpu*/logs/*.log; do
  [ -f "$log" ] || continue
  echo "--- $log (dev scores and the end)"
  grep -E "dev_score|deadline-trainer|Training ended|Error|error" "$log" | tail -n 30
  tail -n 5 "$log"
done
if [ $RC -ne 0 ]; then
  say "train_models.py failed with $RC"
  exit $RC
fi

say "copying the trained models to \$OUT"
for processor in pos lemma depparse; do
  mkdir -p "$OUT/en/$processor"
  cp "$BUNDLE/en/$processor"/* "$OUT/en/$processor/"
done
cp "$BUNDLE/training_settings.json" "$OUT/"
find "$OUT" -type f -printf '%8k KiB  %P\n' | sort -k3

if [ "$(elapsed)" -lt 480 ]; then
  say "timing the tokenizer and the parse on the GPU (bench/throughput.py --measure)"
  timeout $((560 - $(elapsed))) "$PYTHON" scripts/gpu_throughput.py --models "$BUNDLE" \
    || say "throughput timing stopped (time limit or error)"
else
  say "no time left for the throughput timing"
fi
say "done"
