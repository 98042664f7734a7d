"""Chapter 11's DistributedDataParallel script computes what one process computes.

The script is written by the chapter's ``%%writefile`` cells; this test assembles it from the
chapter's source, as the notebook does, and runs it with ``torchrun`` on the CPU (gloo): two
processes with a global batch of 64 must end with the same generator weights as one process
that accumulates the same two micro-batches of 32, and, so that the comparison can fail, with
measurably different weights from one process whose BatchNorm sees all 64 images at once.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

CHAPTER = Path(__file__).resolve().parents[1] / "chapters" / "11_fast_pytorch.md"
STEPS = 5


@pytest.fixture(scope="module")
def script(tmp_path_factory) -> Path:
    cells = re.findall(
        r"```\{code-cell\} ipython3\n%%writefile( -a)? (\S+)\n(.*?)```",
        CHAPTER.read_text(encoding="utf-8"),
        re.S,
    )
    assert [bool(append) for append, _, _ in cells] == [False] + [True] * (len(cells) - 1)
    path = tmp_path_factory.mktemp("ddp") / "ddp_dcgan.py"
    path.write_text("".join(body for _, _, body in cells), encoding="utf-8")
    return path


def _torchrun(script: Path, processes: int, out: Path, *options: str):
    command = [
        sys.executable,
        "-m",
        "torch.distributed.run",
        "--standalone",
        f"--nproc_per_node={processes}",
        str(script),
        str(out),
        f"--steps={STEPS}",
        "--batch=64",
        "--images=512",
        *options,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def _trained(state: dict) -> dict:
    return {k: v for k, v in state.items() if "running" not in k and "num_batches" not in k}


def test_two_processes_equal_one_process_with_the_same_micro_batches(script, tmp_path):
    runs = {
        "two": (2, ()),
        "micro": (1, ("--micro=2",)),
        "one_batch": (1, ()),
    }
    weights = {}
    for name, (processes, options) in runs.items():
        done = _torchrun(script, processes, tmp_path / f"{name}.pt", *options)
        assert done.returncode == 0, done.stderr[-3000:]
        weights[name] = _trained(torch.load(tmp_path / f"{name}.pt"))
    assert len(weights["two"]) == 7  # every conv weight and BatchNorm scale and shift of G
    for k, v in weights["two"].items():
        torch.testing.assert_close(v, weights["micro"][k], rtol=0, atol=1e-6)
    differences = [
        (v - weights["one_batch"][k]).abs().max().item() for k, v in weights["two"].items()
    ]
    assert max(differences) > 1e-4  # BatchNorm over 32 images is not BatchNorm over 64


def test_a_batch_that_does_not_split_is_refused_with_a_reason(script, tmp_path):
    done = _torchrun(script, 1, tmp_path / "x.pt", "--micro=3")
    assert done.returncode != 0
    assert "--batch 64 does not split into 1 processes x 3 micro-batches" in done.stderr
    assert not (tmp_path / "x.pt").exists()
