"""The landing page's figure, assembled from the chapters' stored outputs at every build.

Each chapter with a ``figure`` in ``chapters/registry.yml`` tags the one cell whose figure shows
what the reader builds with ``landing-figure``. This module takes the last PNG that cell stored
in the chapter's ``.ipynb`` (the output of its real, full-profile run) and sets the pictures in a
grid with a caption each. As a Sphinx extension it writes ``book/_generated/landing.png`` when
the build starts, so the landing page always shows the runs the chapters store; run it as a
script to write the figure elsewhere::

    python book/_ext/landing.py out.png
"""

from __future__ import annotations

import base64
import io
import math
import sys
from pathlib import Path

import registry  # book/_ext/registry.py, beside this file

ROOT = Path(__file__).resolve().parents[2]
TAG = "landing-figure"
OUTPUT = ROOT / "book" / "_generated" / "landing.png"

#: (chapter notebook, caption), in reading order: each chapter of chapters/registry.yml with a
#: ``figure``, from its first notebook (the PyTorch one, for twins).
FIGURES = [
    (c.notebooks()[0].path, f"{c.number} · {c.figure}") for c in registry.chapters() if c.figure
]


class LandingFigureError(RuntimeError):
    """A chapter does not provide the figure the landing page needs."""


def tagged_png(notebook: Path) -> bytes:
    """The last ``image/png`` output of the one cell of ``notebook`` tagged ``landing-figure``."""
    import nbformat

    if not notebook.exists():
        raise LandingFigureError(
            f"{notebook} does not exist: its figure is named in chapters/registry.yml"
        )
    cells = [
        c for c in nbformat.read(notebook, as_version=4).cells if TAG in c.metadata.get("tags", [])
    ]
    if len(cells) != 1:
        raise LandingFigureError(
            f"{notebook.name} has {len(cells)} cells tagged {TAG!r}; tag exactly one cell (the "
            f"figure for the landing page) with `:tags: [{TAG}]` in the .md and sync the pair"
        )
    pngs = [o["data"]["image/png"] for o in cells[0].outputs if "image/png" in o.get("data", {})]
    if not pngs:
        raise LandingFigureError(
            f"the cell of {notebook.name} tagged {TAG!r} stores no figure: run the chapter "
            "(make execute) so that its outputs are stored"
        )
    return base64.b64decode(pngs[-1])


def assemble(
    figures: list[tuple[str, str]], out: Path, root: Path = ROOT, columns: int = 2
) -> Path:
    """Write the grid of the figures of ``figures`` (notebook relative to ``root``, caption)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    images = [plt.imread(io.BytesIO(tagged_png(root / nb)), format="png") for nb, _ in figures]
    rows = math.ceil(len(images) / columns)
    fig, axes = plt.subplots(rows, columns, figsize=(6.5 * columns, 2.6 * rows), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, image, (_, caption) in zip(axes.flat, images, figures):
        ax.imshow(image)
        ax.set_title(caption, fontsize=12, loc="left")
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


def _build(app: object) -> None:
    assemble(FIGURES, OUTPUT)


def setup(app) -> dict:
    app.connect("builder-inited", _build)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else OUTPUT
    print(assemble(FIGURES, target))
