"""Re-run only the cells of a chapter that show stored results, keeping every other output.

Some cells read nothing but files stored in the repository (the peer runs of ``bench/peers.py``
in chapters 5 and 6): their output does not depend on the chapter's own training run. When those
files change, this script refreshes such cells without retraining the chapter: in a fresh
kernel started in ``chapters/``, it runs the chapter's import cell (tagged ``hide-input``; its
stored output is kept) and then every cell tagged ``stored-results``, whose outputs it
replaces: the cells that show stored files, and a settings cell they need (chapter 10's, whose
constants its claims cell compares with). Everything else in the notebook stays as the last full
run left it.

With ``--header`` the import cell's new output is kept as well: its header lines (profile,
device, and the device plan of :mod:`companion.device_plan`) describe the machine that runs
the script, so use it only on the kind of machine that made the stored run.

    python scripts/run_stored_result_cells.py chapters/06_dcgan_pytorch.ipynb [...]
    python scripts/run_stored_result_cells.py --header chapters/08_conditional_pytorch.ipynb
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

TAG = "stored-results"


def refresh(path: Path, header: bool = False) -> int:
    """Re-run the import cell and the ``stored-results`` cells of ``path``; returns how many
    cells got new outputs (with ``header``, the import cell's too). Raises ``ValueError`` when
    there is nothing to refresh."""
    nb = nbformat.read(path, as_version=4)
    tags = [cell.get("metadata", {}).get("tags", []) for cell in nb.cells]
    imports = next(i for i, t in enumerate(tags) if "hide-input" in t)
    targets = [i for i, t in enumerate(tags) if TAG in t]
    if not targets and not header:
        raise ValueError(f"{path} has no cell tagged {TAG!r}: nothing to refresh")
    client = NotebookClient(nb, timeout=600, resources={"metadata": {"path": str(path.parent)}})
    with client.setup_kernel():
        kept = nb.cells[imports].outputs
        client.execute_cell(nb.cells[imports], imports)
        if not header:
            nb.cells[imports].outputs = kept
        for i in targets:
            client.execute_cell(nb.cells[i], i)
    nbformat.write(nb, path)
    return len(targets) + header


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--header", action="store_true", help="keep the import cell's output")
    args = parser.parse_args(argv)
    for path in args.notebooks:
        print(f"{path}: {refresh(path, args.header)} cell(s) refreshed", file=sys.stderr)


if __name__ == "__main__":
    main()
