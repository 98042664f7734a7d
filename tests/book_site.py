"""Build the book once per test session, with the same command as `make book`, for the book tests.

Both tests/test_book_build.py and tests/test_browser.py need the rendered HTML; `build_book()`
runs Jupyter Book the first time it is called and returns the cached result afterwards. The
output goes to a fresh temporary folder (or to ``$GAN_BOOK_BUILD_DIR`` when set), so tests never
collide with `make book` or with each other.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: The flags of `make book` after `jupyter-book build .`; a test checks that the Makefile agrees.
BOOK_FLAGS = ["--builder", "html", "-W", "-n", "--keep-going"]


@dataclass(frozen=True)
class BookBuild:
    """Outcome of one book build: the exit status, the log, and where the HTML is."""

    returncode: int
    log: str
    html: Path

    def problems(self) -> list[str]:
        """The build's warning and error lines (without colour codes)."""
        plain = re.sub(r"\x1b\[[0-9;]*m", "", self.log)
        return [line for line in plain.splitlines() if re.search(r"WARNING|ERROR|CRITICAL", line)]


def _jupyter_book() -> str:
    beside_python = Path(sys.executable).with_name("jupyter-book")
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which("jupyter-book")
    if found is None:
        raise RuntimeError("jupyter-book is not installed: run `make venv` (it is in requirements.txt).")
    return found


@functools.lru_cache(maxsize=1)
def build_book() -> BookBuild:
    """Build the book into a temporary folder (once per session) and return the outcome."""
    out = Path(os.environ.get("GAN_BOOK_BUILD_DIR") or tempfile.mkdtemp(prefix="gan-book-build-"))
    command = [_jupyter_book(), "build", str(ROOT), "--path-output", str(out), *BOOK_FLAGS]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=1200)
    return BookBuild(done.returncode, done.stdout + done.stderr, out / "_build" / "html")
