"""scripts/compare_runs.py: the rerun check finds a changed number and ignores timings."""

from __future__ import annotations

from pathlib import Path

from companion.verdicts import RunSummary, Verdict
from tests.notebook_files import write_notebook
from tests.repo_modules import script

ROOT = Path(__file__).resolve().parents[1]
compare_runs = script("compare_runs")


def _notebook(path: Path, text: str) -> Path:
    return write_notebook(path, [text])


def test_a_changed_number_is_reported_and_timings_are_not(tmp_path: Path):
    stored = _notebook(tmp_path / "a.ipynb", "TV 0.084, 20/20 covered\n624 steps in 3.8s\n")
    same = _notebook(tmp_path / "b.ipynb", "TV 0.084, 20/20 covered\n624 steps in 41.2s\n")
    other = _notebook(tmp_path / "c.ipynb", "TV 0.091, 20/20 covered\n624 steps in 3.8s\n")
    assert compare_runs.compare(stored, same, 0, 0)[1] == 0
    compared, differ, report = compare_runs.compare(stored, other, 0, 0)
    assert (compared, differ) == (3, 1) and "0.084 vs 0.091" in report[0]
    assert compare_runs.compare(stored, other, 0.1, 0)[1] == 0
    assert compare_runs.main([str(stored), str(other)]) == 1


def _displayed(path: Path, *records) -> Path:
    return write_notebook(path, list(records))


def test_verdicts_and_run_facts_are_compared_as_data_and_wall_time_is_not(tmp_path: Path):
    def run(value: float, wall: float, steps: int) -> tuple:
        summary = RunSummary("full", "cpu", wall, {"python": "3.11"}, {"steps": steps, "d": "x"})
        return Verdict("FD / baseline", value, 12, 8, variant="one-hot"), summary

    stored = _displayed(tmp_path / "a.ipynb", *run(5.35, 12.0, 40))
    slower = _displayed(tmp_path / "b.ipynb", *run(5.35, 99.0, 40))
    other = _displayed(tmp_path / "c.ipynb", *run(5.71, 12.0, 41))
    assert compare_runs.compare(stored, slower, 0, 0)[:2] == (2, 0)
    compared, differ, report = compare_runs.compare(stored, other, 0, 0)
    assert (compared, differ) == (2, 2)
    assert report == [
        "verdict one-hot: FD / baseline: 5.35 vs 5.71",
        "run summary: steps: 40 vs 41",
    ]
    fewer = _displayed(tmp_path / "d.ipynb", run(5.35, 12.0, 40)[1])
    assert "do not show the same verdicts" in compare_runs.compare(stored, fewer, 0, 0)[2][0]
