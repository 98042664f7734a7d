"""Collapse progress-bar output in executed notebooks to what a live notebook shows.

tqdm redraws its bar with carriage returns; nbclient stores every redraw as a separate stream
output, so a stored notebook can hold hundreds of bars per cell. This merges consecutive stream
outputs of the same kind and keeps, on each line, only the text after the last ``\\r`` (what a
terminal or Jupyter displays). Nothing else in the notebook changes.

Usage: python scripts/collapse_progress.py chapters/*.ipynb   (run by ``make execute``)
"""

from __future__ import annotations

import sys

import nbformat


def collapse(text: str) -> str:
    """Keep, on each line, the text after its last carriage return."""
    return "\n".join(line.rstrip("\r").rsplit("\r", 1)[-1] for line in text.split("\n"))


def tidy(nb: nbformat.NotebookNode) -> int:
    """Merge consecutive same-name stream outputs in every code cell; return outputs removed."""
    removed = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        merged: list = []
        for out in cell.get("outputs", []):
            if (
                out.output_type == "stream"
                and merged
                and merged[-1].output_type == "stream"
                and merged[-1].name == out.name
            ):
                merged[-1].text += out.text
                removed += 1
            else:
                merged.append(out)
        for out in merged:
            if out.output_type == "stream":
                out.text = collapse(out.text)
        cell.outputs = merged
    return removed


if __name__ == "__main__":
    for path in sys.argv[1:]:
        notebook = nbformat.read(path, as_version=4)
        n = tidy(notebook)
        if n:
            nbformat.write(notebook, path)
        print(f"{path}: merged {n} stream outputs")
