"""The repository's script modules, importable by the tests.

``bench/``, ``scripts/`` and ``book/_ext/`` are folders of scripts (and Sphinx extensions), not
packages: each is run as ``python <folder>/<name>.py``, with its own folder first on
``sys.path``. The tests load them here, once each, from their files and under their own names,
so that a module importing a sibling (``results.py`` imports ``registry``) finds it, as it does
when run.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
SCRIPTS = ROOT / "scripts"
BOOK_EXT = ROOT / "book" / "_ext"
#: modules that a sibling imports by name, loaded before any other module of their folder
SIBLINGS = {BOOK_EXT: ["registry"], BENCH: ["chapter_code"]}


def load(name: str, folder: Path = BENCH) -> ModuleType:
    """``<folder>/<name>.py`` as a module registered under ``name``, as its siblings import it."""
    for sibling in SIBLINGS.get(folder, []):
        if sibling != name:
            load(sibling, folder)
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, folder / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
    return sys.modules[name]


def book(name: str) -> ModuleType:
    """``book/_ext/<name>.py``."""
    return load(name, BOOK_EXT)


def script(name: str) -> ModuleType:
    """``scripts/<name>.py``."""
    return load(name, SCRIPTS)
