"""bench/chapter_code.py finds a chapter's cells, definitions and settings by name (with ast)."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

from tests.repo_modules import load

chapter_code = load("chapter_code")


@pytest.fixture()
def notebook(tmp_path: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# A chapter"),
        nbformat.v4.new_code_cell(
            "STEPS = settings.choose(full=16_000, smoke=6)\nNZ, WIDTH = 64, 32"
        ),
        nbformat.v4.new_code_cell("%%writefile run.py\nprint('hello')"),
        nbformat.v4.new_code_cell("class Generator:\n    pass\n\n\ndef step(x):\n    return x"),
        nbformat.v4.new_code_cell("total = 0\ntotal = 1"),
    ]
    path = tmp_path / "chapter.ipynb"
    nbformat.write(nb, path)
    return path


def test_settings_come_from_their_assignments(notebook):
    assert chapter_code.setting(notebook, "STEPS") == 16_000
    assert chapter_code.setting(notebook, "STEPS", profile="smoke") == 6
    assert chapter_code.setting(notebook, "WIDTH") == 32
    assert ast.unparse(chapter_code.assignment(notebook, "NZ")) == "64"


def test_definitions_by_name(notebook):
    assert chapter_code.definition(notebook, "step") == "def step(x):\n    return x"
    assert chapter_code.definition(notebook, "Generator").startswith("class Generator:")
    cells = chapter_code.code_cells(notebook)
    assert chapter_code.cell_defining(cells, "Generator").index == 3
    assert chapter_code.names_defined(cells[1]) == set()  # a %%writefile cell binds nothing


def test_a_name_bound_by_no_cell_or_by_two_is_an_error(notebook):
    cells = chapter_code.code_cells(notebook)
    with pytest.raises(ValueError, match="0 cells bind 'missing'"):
        chapter_code.cell_defining(cells, "missing")
    cells = cells + [cells[-1]]
    with pytest.raises(ValueError, match="2 cells bind 'total'"):
        chapter_code.cell_defining(cells, "total")
    with pytest.raises(ValueError, match="defined, not assigned"):
        chapter_code.assignment(notebook, "step")
