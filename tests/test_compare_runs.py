"""scripts/compare_runs.py: the rerun check finds a changed number and ignores timings."""

from __future__ import annotations

from pathlib import Path

import nbformat

from tests.repo_modules import script

ROOT = Path(__file__).resolve().parents[1]
compare_runs = script("compare_runs")


def _notebook(path: Path, text: str) -> Path:
    cell = nbformat.v4.new_code_cell("print(result)")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), path)
    return path


def test_a_changed_number_is_reported_and_timings_are_not(tmp_path: Path):
    stored = _notebook(tmp_path / "a.ipynb", "TV 0.084, 20/20 covered\n624 steps in 3.8s\n")
    same = _notebook(tmp_path / "b.ipynb", "TV 0.084, 20/20 covered\n624 steps in 41.2s\n")
    other = _notebook(tmp_path / "c.ipynb", "TV 0.091, 20/20 covered\n624 steps in 3.8s\n")
    assert compare_runs.compare(stored, same, 0, 0)[1] == 0
    compared, differ, report = compare_runs.compare(stored, other, 0, 0)
    assert (compared, differ) == (3, 1) and "0.084 vs 0.091" in report[0]
    assert compare_runs.compare(stored, other, 0.1, 0)[1] == 0
    assert compare_runs.main([str(stored), str(other)]) == 1
