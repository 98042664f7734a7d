"""book/_ext/results.py: the results page shows every verdict the chapters' stored runs printed,
and nothing else."""

from __future__ import annotations

import html
import importlib.util
import json
import re
import sys
from pathlib import Path

import nbformat
import pytest

from tests.book_site import build_book

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("book_results", ROOT / "book/_ext/results.py")
results = importlib.util.module_from_spec(_spec)
sys.modules["book_results"] = results  # dataclasses look their module up there
_spec.loader.exec_module(results)

LISTED = {notebook for notebook, _, _ in results.CHAPTERS}


def _verdict_lines(notebook: Path) -> list[str]:
    """Lines with a bar and a target, found without the page's own parser."""
    return [
        line for line in results.stored_lines(notebook) if ": bar " in line and "; target " in line
    ]


@pytest.mark.parametrize(
    "notebook", sorted((ROOT / "chapters").glob("*.ipynb")), ids=lambda p: p.stem
)
def test_every_chapter_with_verdicts_is_on_the_page(notebook: Path):
    lines = _verdict_lines(notebook)
    name = f"chapters/{notebook.name}"
    if not lines:
        assert name not in LISTED, f"{name} is listed but stores no verdict line"
        return
    assert name in LISTED, f"{name} prints verdicts but book/_ext/results.py does not list it"
    chapter, framework = next((c, f) for n, c, f in results.CHAPTERS if n == name)
    rows = results.read_chapter(name, chapter, framework)
    assert len(rows) == len(lines), "a verdict line was missed or read twice"
    for row, line in zip(rows, lines):
        assert row.metric in line and f" {row.value}: " in line and row.bar in line


def test_stored_full_runs_meet_their_bars():
    rows = results.read_all()
    missed = [f"{r.notebook}: {r.metric}" for r in rows if not r.bar_met]
    assert not missed, f"a stored full-profile run misses its bar: {missed}"
    assert all(r.wall_s > 0 and r.device for r in rows)


@pytest.mark.parametrize("prefix", sorted(results.PEER_FILES))
def test_peer_columns_come_from_the_stored_data(prefix):
    name, path = results.PEER_FILES[prefix]
    final = f"{json.loads(path.read_text())['peer_track'][-1][1]:.1f}"
    rows = [r for r in results.read_all() if prefix in r.notebook and r.metric.startswith("FD")]
    assert len(rows) == 2 and all(r.peer.startswith(f"{name}: {final} ") for r in rows)


def test_conditional_rows_set_chapter_6_beside():
    rows = results.read_all()
    ch8 = [r for r in rows if "08_conditional" in r.notebook and r.metric.startswith("FD")]
    assert len(ch8) == 4 and all(r.peer.startswith("chapter 6 (unconditional)") for r in ch8)
    assert {r.variant for r in ch8} == {"one-hot", "embedding"}


def _table_rows(page: Path) -> list[list[str]]:
    """The text of each cell of each body row of the page's tables."""
    rows = []
    for body in re.findall(r"<tbody>(.*?)</tbody>", page.read_text(), flags=re.S):
        for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S):
            cells = re.findall(r"<td[^>]*>(.*?)</td>", tr, flags=re.S)
            rows.append([" ".join(html.unescape(re.sub(r"<[^>]*>", "", c)).split()) for c in cells])
    return rows


def test_the_built_page_shows_every_row():
    shown = _table_rows(build_book().html / "book" / "results.html")
    rows = results.read_all()
    assert len(shown) == len(rows)
    previous = None
    for cells, r in zip(shown, rows):
        sign = "≤" if r.sign == "<=" else "≥"
        if r.notebook != previous:  # the first row of each chapter names it and its run
            assert cells[0] == f"{r.chapter}, {r.framework}" and cells[6] == results.run(r)
        else:
            assert cells[0] == "" and cells[6] == ""
        previous = r.notebook
        assert cells[1].endswith(r.metric) and cells[2] == r.value
        assert cells[3] == f"{sign} {r.bar} " + "✗✓"[r.bar_met]
        assert cells[4] == f"{sign} {r.target} " + "✗✓"[r.target_reached]


def _notebook(path: Path, lines: list[str]) -> str:
    cell = nbformat.v4.new_code_cell("print()")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="\n".join(lines) + "\n")]
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), path)
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


SUMMARY = "profile=full device=cpu (2 cores, x86_64) wall=12.5s python=3.11.7"
VERDICT = "FD / baseline 9.10: bar <= 12 met; target <= 8 not reached"


@pytest.mark.parametrize(
    "lines, message",
    [
        ([VERDICT], "no full-profile run summary"),
        ([VERDICT, SUMMARY.replace("full", "smoke")], "no full-profile run summary"),
        ([SUMMARY], "no verdict line"),
    ],
)
def test_a_chapter_without_what_the_page_needs_is_named(tmp_path, monkeypatch, lines, message):
    monkeypatch.setattr(results, "ROOT", tmp_path)
    _notebook(tmp_path / "ch.ipynb", lines)
    with pytest.raises(results.ResultsError, match=message):
        results.read_chapter("ch.ipynb", "x", "NumPy")


def test_device_names_are_shortened():
    assert results.short_device("cpu (2 cores, x86_64) torch_threads=2") == "CPU, 2 cores"
    assert results.short_device("/CPU:0 cpu (2 cores, x86_64)") == "CPU, 2 cores"
    assert results.short_device("cuda:0 (NVIDIA H200) torch_threads=16") == "NVIDIA H200"


def test_variants_and_values_are_read(tmp_path, monkeypatch):
    monkeypatch.setattr(results, "ROOT", tmp_path)
    _notebook(tmp_path / "ch.ipynb", ["a (best):", "  " + VERDICT, "b:", "  " + VERDICT, SUMMARY])
    rows = results.read_chapter("ch.ipynb", "x", "NumPy")
    assert [(r.variant, r.value, r.bar, r.target_reached) for r in rows] == [
        ("a", "9.10", "12", False),
        ("b", "9.10", "12", False),
    ]
    assert rows[0].wall_s == 12.5 and rows[0].device == "cpu (2 cores, x86_64)"
