"""Small notebooks written for tests: a cell that printed lines and displayed verdicts or run
summaries (:mod:`companion.verdicts`), stored the way Jupyter stores them."""

from __future__ import annotations

from pathlib import Path

import nbformat


def write_notebook(path: Path, outputs: list) -> Path:
    """A one-cell notebook at ``path``: each string of ``outputs`` is printed (a stream output),
    each record (``Verdict``, ``RunSummary``) displayed (its line as data, its numbers as
    metadata)."""
    cell = nbformat.v4.new_code_cell("display(result)")
    for item in outputs:
        if isinstance(item, str):
            cell.outputs.append(nbformat.v4.new_output("stream", name="stdout", text=item))
        else:
            data, metadata = item._repr_mimebundle_()
            cell.outputs.append(
                nbformat.v4.new_output("display_data", data=data, metadata=metadata)
            )
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), path)
    return path
