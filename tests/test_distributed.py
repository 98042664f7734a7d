"""Chapter 11's DistributedDataParallel script refuses what it cannot do, and the chapter's
``torchrun`` helper shows a failing process's own error.

The script is written by the chapter's ``%%writefile`` cells; these tests run those cells
(``bench/chapter_code.py``), as the notebook does, and run the script with ``torchrun`` on the
CPU (gloo). That two processes end with the same generator weights as one process with the same
two micro-batches, and measurably different weights from one process whose BatchNorm sees all 64
images at once (so that the comparison can fail), is asserted by the chapter itself, in the cell
that runs the three launches; nbval runs it in every `make test`, so this module does not start
the same three launches again.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.repo_modules import load

chapter_code = load("chapter_code")

torch = pytest.importorskip("torch")

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = ROOT / "chapters" / "11_fast_pytorch.ipynb"
STEPS = 5


def ddp_script(directory: Path) -> Path:
    """Run the chapter's ``%%writefile`` cells in ``directory``; returns the script they wrote."""
    cells = [c for c in chapter_code.code_cells(CHAPTER) if c.source.startswith("%%writefile")]
    assert ["-a" in c.source.splitlines()[0] for c in cells] == [False] + [True] * (len(cells) - 1)
    assert chapter_code.write_files(CHAPTER, directory) == [
        directory / "artifacts" / "ch11_pytorch" / "ddp_dcgan.py"
    ]
    return directory / "artifacts" / "ch11_pytorch" / "ddp_dcgan.py"


@pytest.fixture(scope="module")
def script(tmp_path_factory) -> Path:
    return ddp_script(tmp_path_factory.mktemp("ddp"))


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
        "--device=cpu",
        *options,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def test_a_batch_that_does_not_split_is_refused_with_a_reason(script, tmp_path):
    done = _torchrun(script, 1, tmp_path / "x.pt", "--micro=3")
    assert done.returncode != 0
    assert "--batch: a global batch of 64 does not split into 1 device(s) x 3" in done.stderr
    assert not (tmp_path / "x.pt").exists()


def test_sync_batchnorm_on_the_cpu_is_refused_in_one_sentence(script, tmp_path):
    """SyncBatchNorm needs CUDA (NCCL): on the CPU the script says so instead of failing deep."""
    done = _torchrun(script, 1, tmp_path / "x.pt", "--sync-bn")
    assert done.returncode != 0
    assert "--sync-bn: SyncBatchNorm runs on CUDA GPUs only; leave it out on the CPU" in (
        done.stderr
    )


def test_asking_for_gpus_this_machine_lacks_is_refused(script, tmp_path):
    if torch.cuda.device_count() >= 2:
        pytest.skip("this machine has two GPUs")
    command = [
        sys.executable,
        "-m",
        "torch.distributed.run",
        "--standalone",
        "--nproc_per_node=2",
        str(script),
        str(tmp_path / "x.pt"),
        "--device=cuda",
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode != 0
    assert "--device cuda: 2 processes per machine but" in done.stderr


def test_a_failed_launch_shows_the_failing_process_own_error(tmp_path, monkeypatch):
    """The chapter's ``torchrun`` helper reports what the processes printed (their traceback and
    error), not only the launcher's own report that ends torchrun's output."""
    (tmp_path / "ddp_dcgan.py").write_text(
        "import torch.distributed as dist\n"
        "dist.init_process_group('gloo')\n"
        "raise ValueError(f'the real cause, in rank {dist.get_rank()}')\n"
    )
    cell = chapter_code.cell_defining(chapter_code.code_cells(CHAPTER), "torchrun")
    namespace = {"ARTIFACTS": tmp_path, "DDP_STEPS": 1}
    exec(
        "import subprocess, sys\nimport torch\n" + chapter_code.as_python(cell),
        namespace,
    )
    with pytest.raises(RuntimeError) as failure:
        namespace["torchrun"](2, "x.pt")
    message = str(failure.value)
    assert "ValueError: the real cause, in rank" in message
    assert "ChildFailedError" not in message  # the launcher's report is left out
