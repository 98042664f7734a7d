"""bench/fast_training.py runs chapter 11's measuring cells, and only those."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _bench():
    spec = importlib.util.spec_from_file_location(
        "fast_training", ROOT / "bench" / "fast_training.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("framework", ["pytorch", "tensorflow"])
def test_the_benchmark_takes_the_chapters_cells_up_to_its_table(framework):
    bench = _bench()
    cells = bench.measuring_cells(bench.CHAPTERS[framework])
    joined = "\n".join(cells)
    assert "google.colab" not in joined
    assert "ROUNDS = settings.choose(" in cells[1]  # the settings cell, where the rounds are set
    assert "rates[name].append" in joined and "table[name] = " in joined
    assert "judge(" not in joined and "%%writefile" not in joined  # quality and DDP left out
    assert "MirroredStrategy(" not in joined


def test_a_chapter_without_the_section_is_refused(tmp_path):
    chapter = tmp_path / "chapter.md"
    chapter.write_text("# no sections\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="has no section"):
        _bench().measuring_cells(chapter)


def test_the_benchmark_writes_every_row_with_its_spread(tmp_path, monkeypatch):
    pytest.importorskip("torch")
    monkeypatch.chdir(tmp_path)  # the chapter's artifacts folder goes here
    monkeypatch.setenv("GAN_BOOK_PROFILE", "smoke")  # main() sets it; restored afterwards
    out = tmp_path / "fast.json"
    result = _bench().main(
        ["--rounds", "2", "--round-images", "256", "--profile", "smoke", "--out", str(out)]
    )
    stored = json.loads(out.read_text())
    assert stored["rows"] == json.loads(json.dumps(result["rows"]))
    assert "chapter 6's loop" in stored["rows"] and "all together" in stored["rows"]
    for name, row in stored["rows"].items():
        assert row["min"] <= row["images_per_s"] <= row["max"], name
        assert len(stored["rounds_images_per_s"][name]) == 2
    assert stored["versions"]["torch"]
