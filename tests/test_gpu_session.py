"""bench/gpu_session.sh, the one prepared GPU session, runs end to end on the CPU in the smoke
profile, so that it cannot rot between the rare sessions that have a GPU: every step ends well,
and every step's JSON names the device, the library versions and its wall time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.repo_modules import load

chapter_code = load("chapter_code")

ROOT = Path(__file__).resolve().parents[1]
STEPS = ("device", "fast", "chapter6", "other", "ddp")

pytest.importorskip("torch")


@pytest.fixture(scope="module")
def session(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("gpu_session")
    env = {**os.environ, "PYTHON": sys.executable}
    env.pop("GAN_BOOK_PRECISION", None)
    done = subprocess.run(
        ["bash", str(ROOT / "bench" / "gpu_session.sh"), str(out), "--smoke"],
        capture_output=True, text=True, env=env, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return out


def test_every_step_ran_and_said_so_in_one_line(session):
    lines = (session / "summary.txt").read_text().splitlines()
    assert [line.split(":")[0] for line in lines[:-1]] == list(STEPS)
    assert all(": ok in " in line for line in lines[:-1]), lines
    assert lines[-1].startswith("gpu_session: 5 of 5 steps ok")


@pytest.mark.parametrize(
    "name", ["device", "fast_pytorch", "chapter06_pytorch", "fast_pytorch_float16", "ddp"]
)
def test_every_result_names_device_versions_and_time(session, name):
    result = json.loads((session / f"{name}.json").read_text())
    assert result["device"].startswith("cpu (")
    assert result["versions"]["torch"]
    wall = result.get("wall_s") or sum(result["warm_up_s"].values())
    assert wall > 0


def test_the_device_check_gives_the_plan_and_its_reasons(session):
    result = json.loads((session / "device.json").read_text())
    assert result["plan"] == "plan: precision=float32 compile=yes cuda_graphs=no"
    assert result["reasons"]["cuda_graphs"] == "CUDA graphs need a CUDA GPU"


def test_the_speed_table_has_its_rows_with_their_spread(session):
    """The smoke session times two rows and the references (chapter 11's nbval run times all)."""
    result = json.loads((session / "fast_pytorch.json").read_text())
    assert list(result["rows"]) == ["article's loop", "chapter 6's loop", "+ channels-last"]
    assert set(result["skipped"]) == {"+ CUDA graphs"}
    for name, row in result["rows"].items():
        assert row["min"] <= row["images_per_s"] <= row["max"], name
        assert len(result["rounds_images_per_s"][name]) == 2


def test_the_other_precision_runs_a_t4s_float16_recipe_on_the_cpu(session):
    result = json.loads((session / "fast_pytorch_float16.json").read_text())
    assert list(result["rows"]) == ["article's loop", "chapter 6's loop", "+ float16"]
    assert "precision=float16 (loss scaling) [forced" in result["plan"]


def test_chapter6_ran_as_a_plain_script(session):
    result = json.loads((session / "chapter06_pytorch.json").read_text())
    assert result["ok"] and result["error"] is None
    assert result["summary"].startswith("profile=smoke device=cpu")
    cells = chapter_code.code_cells(ROOT / "chapters" / "06_dcgan_pytorch.ipynb")
    assert list(result["cell_seconds"]) == [str(cell.index) for cell in cells]  # every one


def test_ddp_ran_one_process_and_said_why_not_two(session):
    result = json.loads((session / "ddp.json").read_text())
    assert result["runs"]["1 process"]["returncode"] == 0
    assert result["runs"]["1 process"]["stdout"] == ["1 process(es) on cpu, gloo"]
    assert "2-process run skipped: 0 GPU(s) here, it needs 2" in (
        (session / "summary.txt").read_text()
    )
