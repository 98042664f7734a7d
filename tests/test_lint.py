"""The linter and formatter, run by `make test` like every other check.

ruff checks the package, tests, scripts, benchmark and Sphinx extensions at 100 columns
(pyproject.toml says why) and the chapters' notebooks at 79 columns (chapters/ruff.toml: the
width of the book's code column). The package side is also held to `ruff format`; chapters are
checked, not formatted (chapters/ruff.toml says why). Only the ``.ipynb`` side of a chapter pair
is read: tests/test_chapters.py keeps the ``.md`` side equal to it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CODE = ["companion", "tests", "scripts", "bench", "book/_ext"]


def _ruff() -> str:
    beside_python = Path(sys.executable).with_name("ruff")
    found = str(beside_python) if beside_python.exists() else shutil.which("ruff")
    if found is None:
        pytest.fail("ruff is not installed: run `make venv` (it is in requirements.txt)")
    return found


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([_ruff(), *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_code_passes_the_linter():
    done = _run("check", "--no-cache", *CODE)
    assert done.returncode == 0, f"ruff check {' '.join(CODE)}:\n{done.stdout}{done.stderr}"


def test_code_is_formatted():
    done = _run("format", "--check", "--no-cache", *CODE)
    assert done.returncode == 0, f"run `ruff format {' '.join(CODE)}`:\n{done.stdout}{done.stderr}"


def test_chapters_pass_the_linter():
    notebooks = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "chapters").glob("*.ipynb"))
    assert notebooks, "no chapters/*.ipynb found"
    done = _run("check", "--no-cache", *notebooks)
    assert done.returncode == 0, (
        "ruff check chapters/*.ipynb (code lines at most 79 columns, see chapters/ruff.toml; "
        f"edit the .md, then `jupytext --to ipynb --update`):\n{done.stdout}{done.stderr}"
    )


def test_chapter_settings_reach_the_chapters():
    """ruff reads chapters/ruff.toml for the notebooks: a 79-column line passes, 80 fails."""
    fits, too_long = "x = '" + "a" * 73 + "'\n", "x = '" + "a" * 74 + "'\n"
    assert len(fits.rstrip()) == 79 and len(too_long.rstrip()) == 80
    for source, ok in ((fits, True), (too_long, False)):
        done = subprocess.run(
            [_ruff(), "check", "--no-cache", "--stdin-filename", "chapters/probe.py", "-"],
            cwd=ROOT,
            input=source,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert (done.returncode == 0) is ok, done.stdout + done.stderr
