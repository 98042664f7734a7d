"""Chapters that set their runs beside chapter 6 quote its stored track at the same images seen.

Chapters 8 and 10 train chapter 6's DCGAN (or a variant) for fewer steps and compare with chapter
6's stored check after as many steps (all use batches of 64). The number they quote,
``CH6_FD_RATIO_AT_STEPS``, must be the one chapter 6's stored notebook printed at their ``STEPS``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.repo_modules import book, load

registry = book("registry")
chapter_code = load("chapter_code")
ROOT = Path(__file__).resolve().parents[1]


def _settings(notebook: Path) -> dict[str, float]:
    return {
        "steps": chapter_code.setting(notebook, "STEPS"),
        "ratio": chapter_code.setting(notebook, "CH6_FD_RATIO_AT_STEPS"),
    }


def _chapter6_track(framework: str) -> dict[int, float]:
    track = {}
    for cell in json.loads((ROOT / f"chapters/06_dcgan_{framework}.ipynb").read_text())["cells"]:
        for output in cell.get("outputs", []):
            text = "".join(output.get("text", ""))
            for step, ratio in re.findall(r"^step\s+(\d+): FD/baseline\s+([\d.]+)", text, re.M):
                track[int(step)] = float(ratio)
    return track


#: the chapters that quote chapter 6 (``quotes_chapter6`` in chapters/registry.yml)
QUOTING = [(c.name, fw) for c in registry.chapters() if c.quotes_chapter6 for fw in c.frameworks]


@pytest.mark.parametrize("chapter, framework", QUOTING)
def test_chapter_quotes_chapter_6_at_the_same_images_seen(chapter: str, framework: str):
    ours = _settings(ROOT / f"chapters/{chapter}_{framework}.ipynb")
    track = _chapter6_track(framework)
    assert ours["steps"] in track, f"chapter 6 has no check at step {ours['steps']}: {track}"
    assert ours["ratio"] == track[ours["steps"]]
