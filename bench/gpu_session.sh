#!/usr/bin/env bash
# One prepared GPU session: measures the book on the GPU of this machine in at most 8 minutes.
#
#   bash bench/gpu_session.sh OUT_DIR           # the real session (full profile)
#   bash bench/gpu_session.sh OUT_DIR --smoke   # the same steps in seconds on a CPU (the tests;
#                                               # the speed steps time a few rows, not all)
#
# Needs only PyTorch (no TensorFlow, no Jupyter) and the datasets in GAN_BOOK_DATA (default:
# ./data beside the repository root, then ../shared/data). Python packages that the machine
# lacks can travel as wheels in .whl/ (`make gpu-wheels` downloads them): they are installed into
# a scratch folder first. Steps, in this order, each with its own time limit so that a failure
# or a time-out leaves the rest running (override a limit with LIMIT_<STEP>=seconds):
#   1. device    the device plan: precision, compile, CUDA graphs, and why    (LIMIT_DEVICE=20)
#   2. fast      chapter 11's speed table, every row (bench/fast_training.py)  (LIMIT_FAST=150)
#   3. chapter6  chapter 6 (PyTorch) in the full profile, its cells as a script (LIMIT_CHAPTER6=180)
#   4. other     chapter 11's precision rows in the other 16-bit format: float16 with GradScaler
#                (a T4's recipe) where the plan says bfloat16, else bfloat16     (LIMIT_OTHER=90)
#   5. ddp       chapter 11's DDP script: 1 process (NCCL, SyncBatchNorm on a GPU), and 2
#                processes where there are 2 GPUs (else it says so)            (LIMIT_DDP=40)
# OUT_DIR gets one JSON per step (device name, versions, wall time), each step's log, and
# summary.txt with one line per step. The exit status is the number of steps that failed.
set -u
out=${1:?usage: bash bench/gpu_session.sh OUT_DIR [--smoke]}
mode=${2:-full}
root=$(cd "$(dirname "$0")/.." && pwd)
py=${PYTHON:-python3}
mkdir -p "$out"
out=$(cd "$out" && pwd)

if [ -d "$root/.whl" ] && ls "$root"/.whl/*.whl >/dev/null 2>&1; then
  site=$(mktemp -d)
  "$py" -m pip install -q --no-index --no-deps --no-compile --target "$site" "$root"/.whl/*.whl \
    || echo "WARNING: the wheels in .whl/ did not install"
  export PYTHONPATH="$site${PYTHONPATH:+:$PYTHONPATH}"
fi
export PYTHONPATH="$root${PYTHONPATH:+:$PYTHONPATH}" PYTHONUNBUFFERED=1 MPLBACKEND=Agg
if [ -z "${GAN_BOOK_DATA:-}" ]; then
  for d in "$root/data" "$root/../shared/data"; do
    [ -d "$d/fashion-mnist" ] && export GAN_BOOK_DATA=$(cd "$d" && pwd) && break
  done
fi
fast=(--rounds 5 --round-images 12800)
some=()  # every row (the full session); the smoke run times a few, which is enough not to rot
if [ "$mode" = "--smoke" ]; then
  export GAN_BOOK_PROFILE=smoke
  fast=(--rounds 2 --round-images 256 --profile smoke)
  some=(--rows "+ channels-last" "+ CUDA graphs")
else
  export GAN_BOOK_PROFILE=full
fi
other=$("$py" -c 'from companion.torch_utils import device_plan, pick_device
print("bfloat16" if device_plan(pick_device()).half == "float16" else "float16")' 2>/dev/null)
other=${other:-float16}
other_rows=("+ $other")
[ "$mode" = "--smoke" ] || other_rows+=("all together")

failed=0
: >"$out/summary.txt"
step() {  # step NAME LIMIT COMMAND...: run it with a time limit, log it, one summary line
  local name=$1 limit=$2 start end rc line
  shift 2
  start=$(date +%s)
  (cd "$root" && timeout --kill-after=10 "$limit" "$@") >"$out/$name.log" 2>&1
  rc=$?
  end=$(date +%s)
  line=$(grep -v '^\s*$' "$out/$name.log" | tail -n 1 | cut -c1-300)
  case $rc in
    0) status=ok ;;
    124|137) status="TIMED OUT after ${limit} s" ;;
    *) status="FAILED (exit $rc)" ;;
  esac
  [ $rc -eq 0 ] || failed=$((failed + 1))
  echo "$name: $status in $((end - start)) s | $line" | tee -a "$out/summary.txt"
}

step device "${LIMIT_DEVICE:-20}" "$py" bench/gpu_steps.py device "$out/device.json"
step fast "${LIMIT_FAST:-150}" "$py" bench/fast_training.py --framework pytorch "${fast[@]}" \
  "${some[@]}" --out "$out/fast_pytorch.json"
step chapter6 "${LIMIT_CHAPTER6:-180}" "$py" bench/gpu_steps.py chapter \
  chapters/06_dcgan_pytorch.ipynb "$out/chapter06_pytorch.json"
step other "${LIMIT_OTHER:-90}" env GAN_BOOK_PRECISION="$other" "$py" bench/fast_training.py \
  --framework pytorch "${fast[@]}" --rows "${other_rows[@]}" \
  --out "$out/fast_pytorch_$other.json"
step ddp "${LIMIT_DDP:-40}" "$py" bench/gpu_steps.py ddp "$out/ddp.json"
echo "gpu_session: $((5 - failed)) of 5 steps ok, results in $out" | tee -a "$out/summary.txt"
exit "$failed"
