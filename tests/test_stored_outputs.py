"""What readers see: the outputs stored in every chapter's .ipynb come from a clean run.

A stored notebook is a page of the book and the starting point of "Run all" on Colab, so it must
not contain

* an ``error`` output (a traceback on the page, and a run that stopped there),
* an absolute path of the machine that produced it (``/work/...``, ``/tmp/ipykernel_...``,
  ``.../site-packages/...``): meaningless to a reader, and it leaks the build machine,
* a warning on stderr that is not part of the lesson. A cell whose warning *is* the lesson
  carries the tag ``expected-warning`` (in the MyST file: ``:tags: [expected-warning]`` under
  the ``{code-cell}`` line), and a test checks that such a cell really shows one.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "chapters").glob("*.ipynb"))
EXPECTED = "expected-warning"

#: An absolute path of a Unix or Windows machine, or an installed package's location. URLs
#: (``https://host/path``) do not match: the lookbehind refuses a path that follows a host name.
MACHINE_PATH = re.compile(
    r"(?<![\w.:/-])/(?:work|home|root|tmp|Users|usr|opt|var|private|mnt|content|srv)/"
    r"|site-packages|dist-packages|[A-Za-z]:\\\\"
)
#: A Python warning as ``warnings`` prints it (``file:line: UserWarning: ...``), or a log line.
WARNING = re.compile(r"\b\w*Warning\b|\bWARNING\b")


def _texts(output: nbformat.NotebookNode) -> list[str]:
    """The human-readable text of one output (stream text, text/plain, text/html, error)."""
    if output.output_type == "stream":
        return [output.text]
    if output.output_type == "error":
        return [output.ename, output.evalue, *output.traceback]
    data = output.get("data", {})
    return [str(data[k]) for k in ("text/plain", "text/html", "text/markdown") if k in data]


def find_problems(path: Path) -> list[str]:
    """Every error output, machine path and unexpected stderr warning in a stored notebook."""
    problems = []
    notebook = nbformat.read(path, as_version=4)
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        tags = cell.metadata.get("tags", [])
        where = (
            f"{path.name} cell {index} ({cell.source.splitlines()[0][:50]!r})"
            if cell.source
            else f"{path.name} cell {index}"
        )
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                problems.append(
                    f"{where}: stored error output {output.ename}: {output.evalue[:120]}"
                )
            for text in _texts(output):
                found = MACHINE_PATH.search(text)
                if found:
                    context = text[max(0, found.start() - 40) : found.end() + 40].replace("\n", " ")
                    problems.append(f"{where}: machine path in the output: ...{context}...")
            if output.output_type == "stream" and output.name == "stderr" and EXPECTED not in tags:
                found = WARNING.search(output.text)
                if found:
                    line = next(line for line in output.text.splitlines() if WARNING.search(line))
                    problems.append(f"{where}: warning on stderr: {line[:160]}")
    return problems


def test_there_are_notebooks():
    assert NOTEBOOKS, "no chapters/*.ipynb found"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_outputs_are_clean(path: Path):
    problems = find_problems(path)
    assert not problems, (
        "the stored outputs show what a reader must not see (re-run the chapter with "
        "`make execute NB=...` after fixing the cause; tag a cell `expected-warning` only when "
        "its warning is part of the lesson):\n" + "\n".join(problems)
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_expected_warnings_are_really_there(path: Path):
    """A cell tagged ``expected-warning`` must show one on stderr, or the tag hides nothing."""
    notebook = nbformat.read(path, as_version=4)
    for index, cell in enumerate(notebook.cells):
        if EXPECTED in cell.metadata.get("tags", []):
            shown = [
                o.text
                for o in cell.get("outputs", [])
                if o.output_type == "stream" and o.name == "stderr"
            ]
            assert any(WARNING.search(t) for t in shown), (
                f"{path.name} cell {index} is tagged {EXPECTED} but shows no warning: "
                "remove the tag"
            )


def _notebook(outputs: list[dict], tags: list[str] | None = None) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell("x = 1", outputs=[nbformat.from_dict(o) for o in outputs])
    if tags:
        cell.metadata["tags"] = tags
    return nbformat.v4.new_notebook(cells=[cell])


@pytest.mark.parametrize(
    "output, expected",
    [
        (
            {
                "output_type": "error",
                "ename": "AssertionError",
                "evalue": "below the bar",
                "traceback": [],
            },
            "stored error output AssertionError",
        ),
        (
            {
                "output_type": "stream",
                "name": "stderr",
                "text": (
                    "/work/main/.venv/lib/python3.11/site-packages/tqdm/auto.py:21: "
                    "TqdmWarning: IProgress not found"
                ),
            },
            "machine path",
        ),
        (
            {
                "output_type": "stream",
                "name": "stdout",
                "text": "saved to /tmp/ipykernel_22863/4236844059.py",
            },
            "machine path",
        ),
        (
            {
                "output_type": "stream",
                "name": "stderr",
                "text": "companion.data:0: FallbackWarning: mnist",
            },
            "warning on stderr",
        ),
        (
            {
                "output_type": "execute_result",
                "execution_count": 1,
                "metadata": {},
                "data": {"text/plain": "PosixPath('/home/alice/gan/artifacts')"},
            },
            "machine path",
        ),
    ],
)
def test_checker_catches_each_problem(tmp_path: Path, output: dict, expected: str):
    path = tmp_path / "page.ipynb"
    nbformat.write(_notebook([output]), path)
    assert any(expected in p for p in find_problems(path)), find_problems(path)


def test_checker_accepts_urls_progress_bars_and_tagged_warnings(tmp_path: Path):
    path = tmp_path / "page.ipynb"
    nbformat.write(
        _notebook(
            [
                {
                    "output_type": "stream",
                    "name": "stdout",
                    "text": "from https://ossci-datasets.s3.amazonaws.com/mnist/x.gz",
                },
                {
                    "output_type": "stream",
                    "name": "stderr",
                    "text": "DCGAN: 100%|##########| 6/6 [00:01<00:00, 4.1it/s]",
                },
            ]
        ),
        path,
    )
    assert find_problems(path) == []
    nbformat.write(
        _notebook(
            [
                {
                    "output_type": "stream",
                    "name": "stderr",
                    "text": "companion.data:0: FallbackWarning: mnist",
                }
            ],
            tags=[EXPECTED],
        ),
        path,
    )
    assert find_problems(path) == []
