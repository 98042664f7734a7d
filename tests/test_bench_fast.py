"""bench/fast_training.py runs chapter 11's measuring cells, and only those. Its runs, all rows and
a chosen few, are tested with the GPU session in tests/test_gpu_session.py."""

from __future__ import annotations

import json

import pytest

from tests.repo_modules import load


def _bench():
    return load("fast_training")


@pytest.mark.parametrize("framework", ["pytorch", "tensorflow"])
def test_the_benchmark_takes_the_chapters_cells_up_to_its_table(framework):
    bench = _bench()
    cells = [cell.source for cell in bench.measuring_cells(bench.CHAPTERS[framework])]
    joined = "\n".join(cells)
    assert "google.colab" not in joined
    assert "ROUNDS = settings.choose(" in cells[1]  # the settings cell, where the rounds are set
    assert "rates[name].append" in joined and "table[name] = " in joined
    assert "judge(" not in joined and "%%writefile" not in joined  # quality and DDP left out
    assert "MirroredStrategy(" not in joined


def test_a_chapter_without_the_section_is_refused(tmp_path):
    chapter = tmp_path / "chapter.ipynb"
    chapter.write_text(json.dumps({"cells": [{"cell_type": "markdown", "source": "# no"}]}))
    with pytest.raises(SystemExit, match="has no section"):
        _bench().measuring_cells(chapter)


def test_a_row_the_chapter_lacks_is_refused_with_the_chapters_rows(tmp_path, monkeypatch):
    pytest.importorskip("torch")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GAN_BOOK_PROFILE", "smoke")
    monkeypatch.delenv("GAN_BOOK_PRECISION", raising=False)
    with pytest.raises(SystemExit, match=r"--rows: no row \['\+ float8'\]; the chapter's rows"):
        _bench().main(["--profile", "smoke", "--rows", "+ float8", "--out", "x.json"])
