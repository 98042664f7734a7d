"""Build the book once per test session, with the same command as `make book`, for the book tests.

tests/test_book_build.py, tests/test_browser.py and tests/test_results_page.py need the rendered
HTML; `build_book()` runs Jupyter Book the first time it is called and returns the cached result
afterwards. The output goes to a fresh temporary folder (or to ``$GAN_BOOK_BUILD_DIR`` when set),
so tests never collide with `make book` or with each other. Under pytest-xdist every worker of
one run uses the same folder, named after the run: the first worker to ask builds while holding
a lock on it and records the outcome there, and the others wait for the lock and read that
record, so a run builds the book once however its tests are spread (`make test` also keeps them
on one worker, see the root conftest.py).

What counts as a problem is what Sphinx itself reports: book/_ext/warning_log.py writes each
warning of Sphinx's own handler to a file, so native lines that a library prints on stderr while
autodoc imports it (TensorFlow's absl notice, printed on some CPUs only) cannot fail the build
test on one machine and pass it on another.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock

ROOT = Path(__file__).resolve().parents[1]

#: The flags of `make book` after `jupyter-book build .`; a test checks that the Makefile agrees.
BOOK_FLAGS = ["--builder", "html", "-W", "-n", "--keep-going"]


#: The environment of every build: TensorFlow's native start-up notices stay out of the log.
#: TF_ENABLE_ONEDNN_OPTS=0 only changes the order of floating-point operations in TensorFlow
#: kernels, and the build runs none (autodoc only imports companion.keras_*); with it and
#: TF_CPP_MIN_LOG_LEVEL=2 TensorFlow prints nothing on import. `make book` sets the same.
QUIET_TF = {"TF_CPP_MIN_LOG_LEVEL": "2", "TF_ENABLE_ONEDNN_OPTS": "0"}


@dataclass(frozen=True)
class BookBuild:
    """Outcome of one book build: the exit status, the log, Sphinx's warnings and the HTML."""

    returncode: int
    log: str
    html: Path
    sphinx_warnings: tuple[str, ...]

    def problems(self) -> list[str]:
        """What Sphinx reported as warnings or errors, one line each (see warning_log.py)."""
        return list(self.sphinx_warnings)


def _jupyter_book() -> str:
    beside_python = Path(sys.executable).with_name("jupyter-book")
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which("jupyter-book")
    if found is None:
        raise RuntimeError(
            "jupyter-book is not installed: run `make venv` (it is in requirements.txt)."
        )
    return found


def build(root: Path, out: Path) -> BookBuild:
    """Build the book at ``root`` into ``out`` with the flags of `make book`."""
    out.mkdir(parents=True, exist_ok=True)
    warnings_file = out / "sphinx-warnings.txt"
    warnings_file.unlink(missing_ok=True)
    env = {**os.environ, **QUIET_TF, "GAN_BOOK_SPHINX_WARNINGS": str(warnings_file)}
    command = [_jupyter_book(), "build", str(root), "--path-output", str(out), *BOOK_FLAGS]
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=1200, env=env)
    recorded = (
        warnings_file.read_text(encoding="utf-8").splitlines() if warnings_file.exists() else []
    )
    plain = re.sub(r"\x1b\[[0-9;]*m", "", done.stdout + done.stderr)
    return BookBuild(done.returncode, plain, out / "_build" / "html", tuple(recorded))


@functools.lru_cache(maxsize=1)
def build_book() -> BookBuild:
    """Build the book into a temporary folder (once per session, shared by the pytest-xdist
    workers of one run) and return the outcome."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")  # the same in every worker of one run
    folder = os.environ.get("GAN_BOOK_BUILD_DIR")
    if not folder and run:
        folder = os.path.join(tempfile.gettempdir(), f"gan-book-build-{run}")
    out = Path(folder or tempfile.mkdtemp(prefix="gan-book-build-"))
    out.mkdir(parents=True, exist_ok=True)
    record = out / "build-outcome.json"
    with FileLock(out / "build.lock"):
        if run and record.exists():
            saved = json.loads(record.read_text(encoding="utf-8"))
            if saved["run"] == run:
                return BookBuild(
                    saved["returncode"], saved["log"], Path(saved["html"]), tuple(saved["warnings"])
                )
        done = build(ROOT, out)
        outcome = {"run": run, "returncode": done.returncode, "log": done.log}
        outcome.update(html=str(done.html), warnings=done.sphinx_warnings)
        record.write_text(json.dumps(outcome), encoding="utf-8")
    return done
