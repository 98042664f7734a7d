"""A chapter's code cells, read from its notebook, and run as a plain Python script.

The benchmarks and the GPU session run the chapters' own code, never a copy of it. They read it
from the chapter's ``.ipynb`` (plain JSON: no Jupyter needed, so this works on a machine that has
only PyTorch), whose cells ``tests/test_chapters.py`` holds equal to the ``.md`` twin. IPython's
cell magics are turned into Python: a ``%%writefile [-a] PATH`` cell writes (or appends) its body
to PATH, as in a notebook; a line magic or a shell line (``%...``, ``!...``) is refused, since a
script cannot run it.

    cells = code_cells(Path("chapters/06_dcgan_pytorch.ipynb"))
    run_cells(cells, new_namespace("chapter_6"))

Tests and benchmarks find a cell, a definition or a setting by the name the chapter gives it,
parsed with :mod:`ast`, never by a regular expression over the text::

    cell_defining(cells, "ROUNDS")                      # the settings cell
    definition(Path("chapters/06_dcgan_pytorch.ipynb"), "Generator")   # its source
    assignment(Path("chapters/10_stabilising_tensorflow.ipynb"), "COMBINED")  # an ast.expr
"""

from __future__ import annotations

import ast
import contextlib
import json
import sys
import time
import types
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "Cell",
    "code_cells",
    "cells_before",
    "as_python",
    "new_namespace",
    "run_cells",
    "write_files",
    "names_defined",
    "cell_defining",
    "definition",
    "assignment",
    "setting",
]


@dataclass(frozen=True)
class Cell:
    """One code cell: its position among the notebook's cells, its source and its tags."""

    index: int
    source: str
    tags: tuple[str, ...]


def _cells(notebook: Path) -> list[dict]:
    if notebook.suffix != ".ipynb":
        raise ValueError(f"{notebook}: give the chapter's .ipynb (its cells are read from there)")
    try:
        return json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError) as error:
        raise ValueError(f"{notebook}: not a readable notebook ({error})") from error


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def code_cells(notebook: Path) -> list[Cell]:
    """Every code cell of ``notebook`` (a chapter's ``.ipynb``), in order."""
    return [
        Cell(i, _source(cell), tuple(cell.get("metadata", {}).get("tags", [])))
        for i, cell in enumerate(_cells(notebook))
        if cell.get("cell_type") == "code"
    ]


def cells_before(notebook: Path, heading: str) -> list[Cell]:
    """The code cells before the Markdown cell that starts with ``heading`` (e.g. ``"## Faster"``).

    Raises:
        ValueError: when no Markdown cell starts with ``heading``.
    """
    cells = _cells(notebook)
    stop = next(
        (
            i
            for i, cell in enumerate(cells)
            if cell.get("cell_type") == "markdown" and _source(cell).startswith(heading)
        ),
        None,
    )
    if stop is None:
        raise ValueError(f"{notebook} has no section {heading!r}")
    return [cell for cell in code_cells(notebook) if cell.index < stop]


def as_python(cell: Cell) -> str:
    """The cell as plain Python: ``%%writefile [-a] PATH`` becomes a write (or append) of the body.

    Raises:
        ValueError: for any other magic or shell line, which a script cannot run.
    """
    first, _, body = cell.source.partition("\n")
    if first.startswith("%%writefile"):
        words = first.split()
        mode = "a" if "-a" in words[1:-1] else "w"
        text = body if body.endswith("\n") else body + "\n"
        return (
            f"with open({words[-1]!r}, {mode!r}, encoding='utf-8') as _f:\n    _f.write({text!r})\n"
        )
    for line in cell.source.splitlines():
        if line.lstrip().startswith(("%", "!")):
            raise ValueError(f"cell {cell.index}: {line.strip()!r} is IPython, not Python")
    return cell.source


def new_namespace(name: str) -> dict:
    """The globals of a fresh module called ``name``, registered in ``sys.modules`` (dataclasses
    defined by a chapter look their module up there)."""
    module = types.ModuleType(name)
    sys.modules[name] = module
    return module.__dict__


def run_cells(
    cells: list[Cell],
    namespace: dict,
    label: str = "chapter",
    after: Callable[[Cell, dict], None] | None = None,
) -> dict[int, float]:
    """Execute ``cells`` in ``namespace``, in order; returns the seconds each cell took by index.

    ``after(cell, namespace)``, if given, runs after each cell (a benchmark sets its own sizes
    there). A failing cell raises its own exception; its traceback names ``label`` and the cell.
    """
    seconds = {}
    for cell in cells:
        start = time.perf_counter()
        exec(compile(as_python(cell), f"{label}, cell {cell.index}", "exec"), namespace)  # noqa: S102
        seconds[cell.index] = time.perf_counter() - start
        if after is not None:
            after(cell, namespace)
    return seconds


def write_files(notebook: Path, directory: Path) -> list[Path]:
    """Run the notebook's ``%%writefile`` cells in ``directory`` (as the notebook does in its own
    folder); returns the files they wrote, in order, each once."""
    cells = [c for c in code_cells(notebook) if c.source.startswith("%%writefile")]
    for cell in cells:
        (directory / cell.source.split("\n", 1)[0].split()[-1]).parent.mkdir(
            parents=True, exist_ok=True
        )
    with contextlib.chdir(directory):
        run_cells(cells, {}, notebook.name)
    written = [directory / c.source.split("\n", 1)[0].split()[-1] for c in cells]
    return list(dict.fromkeys(written))


def _statements(cell: Cell) -> list[ast.stmt]:
    """The cell's top-level statements; none for a cell that is not Python (a magic)."""
    try:
        return ast.parse(as_python(cell)).body
    except (SyntaxError, ValueError):
        return []


def _names(node: ast.stmt) -> set[str]:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    targets = node.targets if isinstance(node, ast.Assign) else []
    if isinstance(node, (ast.AnnAssign, ast.AugAssign)):
        targets = [node.target]
    found = set()
    for target in targets:
        for leaf in ast.walk(target):
            if isinstance(leaf, ast.Name):
                found.add(leaf.id)
    return found


def names_defined(cell: Cell) -> set[str]:
    """The names a cell binds at its top level: assignments, ``def`` and ``class``."""
    return {name for node in _statements(cell) for name in _names(node)}


def cell_defining(cells: list[Cell], name: str) -> Cell:
    """The one cell of ``cells`` that binds ``name`` at its top level.

    Raises:
        ValueError: when no cell, or more than one, binds it.
    """
    found = [cell for cell in cells if name in names_defined(cell)]
    if len(found) != 1:
        where = [cell.index for cell in found]
        raise ValueError(f"{len(found)} cells bind {name!r} (cells {where}); expected exactly one")
    return found[0]


def _node(notebook: Path, name: str) -> tuple[Cell, ast.stmt]:
    cell = cell_defining(code_cells(notebook), name)
    node = next(n for n in _statements(cell) if name in _names(n))
    return cell, node


def definition(notebook: Path, name: str) -> str:
    """The source of the top-level ``def name`` or ``class name`` (or assignment) of a chapter."""
    cell, node = _node(notebook, name)
    return ast.get_source_segment(as_python(cell), node)


def assignment(notebook: Path, name: str) -> ast.expr:
    """The expression that a chapter's code assigns to ``name`` at the top level of a cell."""
    _, node = _node(notebook, name)
    if not isinstance(node, (ast.Assign, ast.AnnAssign)) or node.value is None:
        raise ValueError(f"{notebook.name}: {name!r} is defined, not assigned a value")
    if (
        isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Tuple)
    ):
        names = [t.id for t in node.targets[0].elts if isinstance(t, ast.Name)]
        if isinstance(node.value, ast.Tuple) and len(names) == len(node.value.elts):
            return node.value.elts[names.index(name)]
    return node.value


def setting(notebook: Path, name: str, profile: str = "full") -> object:
    """A chapter's setting as a Python value: a literal (``NZ = 64``) or the ``profile`` argument
    of ``settings.choose(full=..., smoke=...)``."""
    value = assignment(notebook, name)
    if isinstance(value, ast.Call) and ast.unparse(value.func).endswith("settings.choose"):
        value = next(k.value for k in value.keywords if k.arg == profile)
    return ast.literal_eval(value)
