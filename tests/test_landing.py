"""book/_ext/landing.py: the landing figure comes from the chapters' tagged, stored figures."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import matplotlib
import nbformat
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from tests.repo_modules import book

ROOT = Path(__file__).resolve().parents[1]
landing = book("landing")


def _png() -> str:
    fig, ax = plt.subplots(figsize=(2, 1))
    ax.plot([0, 1], [0, 1])
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode()


def _notebook(path: Path, tags: list[list[str]], with_image: bool = True) -> Path:
    cells = []
    for cell_tags in tags:
        cell = nbformat.v4.new_code_cell("plot()", metadata={"tags": cell_tags})
        if with_image:
            cell.outputs = [nbformat.v4.new_output("display_data", data={"image/png": _png()})]
        cells.append(cell)
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    return path


def test_every_listed_chapter_provides_its_figure():
    for notebook, _ in landing.FIGURES:
        assert landing.tagged_png(ROOT / notebook).startswith(b"\x89PNG")


def test_assemble_writes_the_grid(tmp_path: Path):
    _notebook(tmp_path / "a.ipynb", [[landing.TAG], ["other"]])
    out = landing.assemble([("a.ipynb", "a"), ("a.ipynb", "b")], tmp_path / "out.png", tmp_path)
    assert plt.imread(out).shape[1] > 0


@pytest.mark.parametrize(
    "tags, with_image, message",
    [
        ([[]], True, "has 0 cells tagged"),
        ([[landing.TAG]] * 2, True, "has 2 cells tagged"),
        ([[landing.TAG]], False, "stores no figure"),
    ],
)
def test_a_chapter_without_its_figure_is_named(tmp_path, tags, with_image, message):
    path = _notebook(tmp_path / "a.ipynb", tags, with_image)
    with pytest.raises(landing.LandingFigureError, match=message):
        landing.tagged_png(path)
    with pytest.raises(landing.LandingFigureError, match="does not exist"):
        landing.tagged_png(tmp_path / "missing.ipynb")
