"""The steps of ``bench/gpu_session.sh`` that are Python: the device check, a chapter run as a
plain script, and the distributed run. Each writes one JSON file with the device, the library
versions and its wall time, and prints a one-line summary as its last line.

    python bench/gpu_steps.py device OUT.json
    python bench/gpu_steps.py chapter chapters/06_dcgan_pytorch.ipynb OUT.json
    python bench/gpu_steps.py ddp OUT.json

Only PyTorch is needed (no Jupyter, no TensorFlow): the chapter's cells come from its
``.ipynb`` through ``bench/chapter_code.py``. The profile is ``GAN_BOOK_PROFILE`` (``full``
unless set), the data folder ``GAN_BOOK_DATA``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

import chapter_code

ROOT = Path(__file__).resolve().parents[1]
CH11 = ROOT / "chapters" / "11_fast_pytorch.ipynb"


def _facts() -> dict:
    """Device, plan and versions, for every step's JSON."""
    import torch

    from companion import settings
    from companion.torch_utils import describe_device, device_plan, pick_device

    device = pick_device()
    plan = device_plan(device)
    return {
        "device": describe_device(device),
        "plan": plan.describe(),
        "profile": settings.profile(),
        "versions": {**settings.library_versions(), "cuda": torch.version.cuda},
        "gpus": torch.cuda.device_count(),
        "when_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def device_check() -> tuple[dict, str]:
    """What the device plan decides here, and why."""
    import torch

    from companion.torch_utils import device_plan, pick_device

    plan = device_plan(pick_device())
    extra = {"reasons": plan.reasons, "capability": plan.capability}
    if torch.cuda.is_available():
        extra["gpu_names"] = [
            torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())
        ]
        extra["bf16_supported_says"] = torch.cuda.is_bf16_supported()
    return extra, plan.describe()


def chapter(notebook: Path) -> tuple[dict, str]:
    """Run a chapter's code cells as a script in a scratch folder; its printed lines and the
    seconds each cell took. Its own assertions (the full profile's bars) run too."""
    cells = chapter_code.code_cells(notebook)
    out = io.StringIO()
    seconds: dict[int, float] = {}
    error = None
    with tempfile.TemporaryDirectory() as scratch, contextlib.chdir(scratch):
        namespace = chapter_code.new_namespace(notebook.stem)
        try:
            with contextlib.redirect_stdout(out):
                seconds = chapter_code.run_cells(cells, namespace, notebook.name)
        except Exception:  # the step reports it; the session goes on
            error = traceback.format_exc(limit=-3)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    summary = next((line for line in reversed(lines) if line.startswith("profile=")), "")
    result = {
        "chapter": notebook.name,
        "ok": error is None,
        "error": error,
        "cell_seconds": {str(k): round(v, 2) for k, v in seconds.items()},
        "printed_tail": lines[-40:],
        "summary": summary,
    }
    return result, ("FAILED: " + error.splitlines()[-1]) if error else summary


def ddp() -> tuple[dict, str]:
    """Chapter 11's DDP script: one process on this device (NCCL and --sync-bn on a GPU), and two
    processes with --sync-bn where there are two GPUs."""
    import torch

    from companion import settings

    runs, said = {}, []
    gpus = torch.cuda.device_count()
    sizes = settings.choose(
        full=["--steps=20", "--batch=256"], smoke=["--steps=3", "--batch=64", "--images=512"]
    )
    with tempfile.TemporaryDirectory() as scratch, contextlib.chdir(scratch):
        chapter_code.write_files(CH11, Path(scratch))
        plans = {"1 process": (1, ["--sync-bn"] if gpus else [])}
        if gpus >= 2:
            plans["2 processes"] = (2, ["--sync-bn"])
        else:
            said.append(f"2-process run skipped: {gpus} GPU(s) here, it needs 2")
        for name, (processes, options) in plans.items():
            command = [
                sys.executable, "-m", "torch.distributed.run", "--standalone",
                f"--nproc_per_node={processes}", "artifacts/ch11_pytorch/ddp_dcgan.py",
                f"G_{processes}.pt", *sizes, *options,
            ]  # fmt: skip
            start = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, timeout=600)
            runs[name] = {
                "command": " ".join(command[1:]),
                "returncode": done.returncode,
                "seconds": round(time.perf_counter() - start, 1),
                "stdout": done.stdout.strip().splitlines()[-5:],
                "stderr_tail": done.stderr.strip().splitlines()[-15:],
            }
            said.append(f"{name} {'ok' if done.returncode == 0 else 'FAILED'}")
    return {"runs": runs, "ok": all(r["returncode"] == 0 for r in runs.values())}, "; ".join(said)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("step", choices=("device", "chapter", "ddp"))
    parser.add_argument("args", nargs="+", help="[NOTEBOOK] OUT.json")
    args = parser.parse_args(argv)
    *inputs, out = args.args
    start = time.perf_counter()
    if args.step == "chapter":
        if len(inputs) != 1:
            parser.error("chapter takes NOTEBOOK OUT.json")
        result, line = chapter(Path(inputs[0]).resolve())
    elif inputs:
        parser.error(f"{args.step} takes only OUT.json")
    else:
        result, line = device_check() if args.step == "device" else ddp()
    result = {"step": args.step, **_facts(), **result}
    result["wall_s"] = round(time.perf_counter() - start, 1)
    Path(out).write_text(json.dumps(result, indent=1) + "\n")
    print(f"{args.step}: {line} ({result['wall_s']} s on {result['device']})")
    return 0 if result.get("ok", True) else 1


if __name__ == "__main__":
    os.environ.setdefault("MPLBACKEND", "Agg")  # a chapter's plots, without a screen
    sys.exit(main())
