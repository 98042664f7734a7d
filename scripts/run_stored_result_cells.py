"""Re-run only the cells of a chapter that show stored results, keeping every other output.

Some cells read nothing but files stored in the repository (the peer runs of ``bench/peers.py``
in chapters 5 and 6): their output does not depend on the chapter's own training run. When those
files change, this script refreshes such cells without retraining the chapter: in a fresh
kernel started in ``chapters/``, it runs the chapter's import cell (tagged ``hide-input``; its
stored output is kept) and then every cell tagged ``stored-results``, whose outputs it
replaces: the cells that show stored files, and a settings cell they need (chapter 10's, whose
constants its claims cell compares with). Everything else in the notebook stays as the last full
run left it.

    python scripts/run_stored_result_cells.py chapters/06_dcgan_pytorch.ipynb [...]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

TAG = "stored-results"


def refresh(path: Path) -> int:
    """Re-run the import cell and the ``stored-results`` cells of ``path``; returns how many
    cells got new outputs. Raises ``ValueError`` when the notebook has no such cell."""
    nb = nbformat.read(path, as_version=4)
    tags = [cell.get("metadata", {}).get("tags", []) for cell in nb.cells]
    imports = next(i for i, t in enumerate(tags) if "hide-input" in t)
    targets = [i for i, t in enumerate(tags) if TAG in t]
    if not targets:
        raise ValueError(f"{path} has no cell tagged {TAG!r}: nothing to refresh")
    client = NotebookClient(nb, timeout=600, resources={"metadata": {"path": str(path.parent)}})
    with client.setup_kernel():
        kept = nb.cells[imports].outputs
        client.execute_cell(nb.cells[imports], imports)
        nb.cells[imports].outputs = kept
        for i in targets:
            client.execute_cell(nb.cells[i], i)
    nbformat.write(nb, path)
    return len(targets)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    for path in parser.parse_args(argv).notebooks:
        print(f"{path}: {refresh(path)} cell(s) refreshed", file=sys.stderr)


if __name__ == "__main__":
    main()
