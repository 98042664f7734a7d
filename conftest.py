"""Test-wide settings, and how `make test` spreads the suite over the CPU's cores.

Every test, and every chapter kernel nbval starts, runs the smoke profile.

`make test` runs pytest-xdist (``-n 2``) with the scheduler below: it hands a worker one scope
at a time, and a worker runs a scope's tests in order. A scope is

* a test module, so that a module-scoped fixture (chapter 11's DDP script, the GPU session's
  smoke run, the tiny books of the build check) runs once;
* a notebook: its cells share one kernel;
* notebooks that write or read the same file under ``chapters/artifacts/`` (chapter 8's two
  notebooks both write ``artifacts/check_z.npy``; chapter 9 reads the generators that chapters 7
  and 8 saved, so it runs after them). The shared files are found in the chapters' code, not
  listed here, so a new chapter that reads another's file joins its scope by itself;
* ``book``: the modules that read the built book (``tests.book_site.build_book``), so that one
  worker builds it once and then checks its pages.

pytest-xdist's own ``--dist loadgroup`` would do this with ``xdist_group`` marks, but with
pytest 9.2 its renaming of the tests is lost and the cells of one notebook land on both
workers. Scopes go out longest first, as far as this file can tell (the book, then the chapters
from the last one back, then the slow modules), so that no long scope is left for the end.

``slow`` marks what `make check` leaves out: the tests that read the built book, and the
modules in ``SLOW_MODULES``.
"""

import functools
import json
import os
import re
from fnmatch import fnmatchcase
from pathlib import Path

import pytest

os.environ.setdefault("GAN_BOOK_PROFILE", "smoke")
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
if os.environ.get("PYTEST_XDIST_WORKER"):
    # One thread per worker, for the worker and every chapter kernel it starts: PyTorch and
    # TensorFlow otherwise each start as many busy threads as the machine has cores, and two
    # workers ran 4+ of them on 2 cores (chapter 11 PyTorch: 30 s alone, 85 s in the suite).
    # Measured on the 2-core machine: `make test` 300 s -> 251 s in the repository.
    for _name in ("OMP_NUM_THREADS", "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS"):
        os.environ.setdefault(_name, "1")

ROOT = Path(__file__).resolve().parent

#: Test modules that `make check` leaves out for their time, not because they build the book:
#: chapter 11's DistributedDataParallel script refusing three launches under torchrun (about 15 s),
#: and bench/gpu_session.sh run end to end in the smoke profile (about 30 s).
SLOW_MODULES = {ROOT / "tests" / name for name in ("test_distributed.py", "test_gpu_session.py")}

#: ``ARTIFACTS = Path("artifacts") / "ch07_pytorch"``: a chapter's artifacts folder.
_BASE = re.compile(r'^ARTIFACTS = Path\("([^"]+)"\)((?: / "[^"]+")*)', re.MULTILINE)
#: ``ARTIFACTS / "ch07_pytorch" / f"fresh_{k}.npy"`` or ``%%writefile -a artifacts/x.py``
_USE = re.compile(r'ARTIFACTS((?: / f?"[^"]+")+)|^%%writefile(?: -a)? (\S+)', re.MULTILINE)


def artifact_paths(source: str) -> set[str]:
    """The files under ``chapters/`` that a chapter's code names, relative to ``chapters/``:
    literal parts joined to its ``ARTIFACTS`` folder, an f-string's fields as ``*``."""
    base = _BASE.search(source)
    folder = "/".join([base.group(1), *re.findall(r'"([^"]+)"', base.group(2))]) if base else ""
    paths = set()
    for parts, written in _USE.findall(source):
        if written:
            paths.add(written)
        elif folder:
            names = re.findall(r'f?"([^"]+)"', parts)
            paths.add(re.sub(r"\{[^}]*\}", "*", "/".join([folder, *names])))
    return paths


def _code(notebook: Path) -> str:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")


@functools.cache
def notebook_groups(notebooks: tuple[Path, ...]) -> dict[Path, str]:
    """One group name per notebook: its own stem, or the first stem (in file order) of the
    notebooks it shares a file under ``chapters/`` with, directly or through another one."""
    names = {nb: artifact_paths(_code(nb)) for nb in notebooks}
    group = {nb: nb.stem for nb in notebooks}
    for i, a in enumerate(notebooks):
        for b in notebooks[i + 1 :]:
            if any(fnmatchcase(x, y) or fnmatchcase(y, x) for x in names[a] for y in names[b]):
                old, new = sorted((group[a], group[b]), reverse=True)
                group = {nb: new if g == old else g for nb, g in group.items()}
    return group


def _fixtures(item: pytest.Item) -> list:
    info = getattr(item, "_fixtureinfo", None)
    return [d for defs in info.name2fixturedefs.values() for d in defs] if info else []


def _reads_built_book(item: pytest.Item) -> bool:
    from tests.book_site import build_book

    functions = [getattr(item, "function", None), *(d.func for d in _fixtures(item))]
    return any(
        f is not None
        and hasattr(f, "__code__")
        and any(f.__globals__.get(name) is build_book for name in f.__code__.co_names)
        for f in functions
    )


@functools.cache
def scope_of(path: str) -> str:
    """The scope of the tests in ``path`` (relative to the repository root, as in a node id)."""
    file = ROOT / path
    if file.suffix == ".ipynb":
        return notebook_groups(tuple(sorted((ROOT / "chapters").glob("*.ipynb"))))[file]
    if file.suffix == ".py" and "build_book" in file.read_text(encoding="utf-8"):
        return "book"
    return path


def _rank(path: str) -> tuple:
    """Scopes in the order they go out: the book, the chapters from the last one back, the slow
    modules, then the rest in file order."""
    scope = scope_of(path)
    if scope == "book":
        return (0, "")
    if path.endswith(".ipynb"):
        return (1, "".join(chr(0x10FFFF - ord(c)) for c in scope))  # descending
    return (2 if ROOT / path in SLOW_MODULES else 3, "")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "slow: left out of `make check` (the book build and its pages, torchrun)"
    )


@pytest.hookimpl(tryfirst=True)  # before `-m "not slow"` deselects
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if _reads_built_book(item) or item.path in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
    if os.environ.get("PYTEST_XDIST_WORKER"):  # the order in which the scheduler sends scopes
        items.sort(key=lambda item: _rank(item.nodeid.split("::")[0]))


try:
    from xdist.scheduler import LoadScopeScheduling
except ImportError:  # pytest-xdist is in requirements.txt; without it nothing runs in parallel
    pass
else:

    class ChapterScheduling(LoadScopeScheduling):
        """pytest-xdist's scope scheduler with the scopes of ``scope_of``, in collection order."""

        def _split_scope(self, nodeid: str) -> str:
            return scope_of(nodeid.split("::")[0])

    @pytest.hookimpl(tryfirst=True)
    def pytest_xdist_make_scheduler(config: pytest.Config, log) -> LoadScopeScheduling | None:
        if config.getoption("dist") == "each":
            return None
        config.option.loadscopereorder = False  # keep the order _rank gave the tests
        return ChapterScheduling(config, log)
