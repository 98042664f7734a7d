"""The teaching shape every chapter shares, checked on the ``.md`` side of each pair.

A chapter opens with "What you will learn", closes with a "Summary" and 3-5 "Exercises" with a
hint each (at least one asks the reader to predict the effect of a change and rerun), keeps
code cells short, and keeps its setup out of the way: the Colab install cell collapsed whole
(``hide-cell``; never removed, Colab needs it) and the import cell's source collapsed
(``hide-input``). tests/test_browser.py checks the same cells in the rendered page.
"""

from __future__ import annotations

import re
from pathlib import Path

import jupytext
import pytest

ROOT = Path(__file__).resolve().parents[1]
MD = sorted((ROOT / "chapters").glob("*.md"))
#: "short cells (at most ~30 lines) that each do one step": the tilde is 5 lines.
MAX_CELL_LINES = 35
HEADINGS = ("## What you will learn", "## Summary", "## Exercises")


def _markdown(path: Path) -> str:
    cells = jupytext.read(path).cells
    return "\n\n".join(c.source for c in cells if c.cell_type == "markdown")


def exercises(text: str) -> list[str]:
    """The numbered items of the "## Exercises" section of a chapter's markdown, one string each
    (an item runs until the next item at the left margin, or the next heading)."""
    section = text.split("## Exercises", 1)[1] if "## Exercises" in text else ""
    section = re.split(r"\n#{1,2} ", section, maxsplit=1)[0]
    preamble, *items = re.split(r"\n(?=\d+\. )", "\n" + section)
    return [item.strip() for item in items]


def shape_problems(text: str) -> list[str]:
    """What the markdown of one chapter lacks of the teaching shape, as readable lines."""
    problems = [f"no {h!r} section" for h in HEADINGS if f"\n{h}\n" not in f"\n{text}\n"]
    if problems:
        return problems
    places = [text.index(h) for h in HEADINGS]
    if places != sorted(places):
        problems.append("sections out of order: What you will learn, Summary, Exercises")
    items = exercises(text)
    if not 3 <= len(items) <= 5:
        problems.append(f"{len(items)} exercises; a chapter has 3 to 5")
    problems += [
        f"exercise {i} has no hint: {item[:60]!r}"
        for i, item in enumerate(items, 1)
        if "hint" not in item.lower()
    ]
    if not any("predict" in item.lower() for item in items):
        problems.append("no exercise asks the reader to predict the effect of a change")
    return problems


def _code_cells(md: Path) -> list:
    return [c for c in jupytext.read(md).cells if c.cell_type == "code"]


@pytest.mark.parametrize("md", MD, ids=lambda p: p.name)
def test_chapter_has_the_teaching_shape(md: Path):
    problems = shape_problems(_markdown(md))
    assert not problems, f"{md.name}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("md", MD, ids=lambda p: p.name)
def test_code_cells_are_short(md: Path):
    code = _code_cells(md)
    long = [
        f"code cell {i} has {len(c.source.splitlines())} lines: {c.source.splitlines()[0]!r}"
        for i, c in enumerate(code, 1)
        if len(c.source.splitlines()) > MAX_CELL_LINES
    ]
    assert not long, (
        f"{md.name}: split these at a natural step (at most {MAX_CELL_LINES} lines):\n  "
        + "\n  ".join(long)
    )


#: the width of the page's code column (chapters/ruff.toml), which ruff does not hold a line to
#: when it ends in a URL
PAGE_COLUMNS = 79


@pytest.mark.parametrize("md", MD, ids=lambda p: p.name)
def test_code_fits_the_page_install_cells_included(md: Path):
    code = _code_cells(md)
    wide = [
        f"code cell {i}: {len(line)} columns: {line.strip()[:60]!r}"
        for i, c in enumerate(code, 1)
        for line in c.source.splitlines()
        if len(line) > PAGE_COLUMNS
    ]
    assert not wide, f"{md.name}: wrap these within {PAGE_COLUMNS} columns:\n  " + "\n  ".join(wide)


@pytest.mark.parametrize("md", MD, ids=lambda p: p.name)
def test_setup_cells_are_collapsed(md: Path):
    code = [c for c in jupytext.read(md).cells if c.cell_type == "code"]
    install, imports = code[0], code[1]
    assert "google.colab" in install.source, f"{md.name}: first code cell is not the install cell"
    assert "hide-cell" in install.metadata.get("tags", []), (
        f"{md.name}: tag the Colab install cell `hide-cell` (collapsed; not remove-cell)"
    )
    assert "import " in imports.source, f"{md.name}: second code cell is not the import cell"
    assert "hide-input" in imports.metadata.get("tags", []), (
        f"{md.name}: tag the import cell `hide-input`"
    )


GOOD = """## What you will learn

- a thing

## Summary

Done.

## Exercises

1. **Predict, then rerun.** Change `LR`. *Hint:* smaller steps.
2. Second, spanning
   two lines. *Hint:* look.
3. Third. :::{admonition} Hint
   a dropdown
   :::
"""


def test_the_shape_check_can_fail():
    assert shape_problems(GOOD) == []
    assert len(exercises(GOOD)) == 3
    no_hint = GOOD.replace("*Hint:* look.", "")
    assert shape_problems(no_hint) == [
        "exercise 2 has no hint: '2. Second, spanning\\n   two lines.'"
    ]
    assert shape_problems(GOOD.replace("## Summary", "## Recap")) == ["no '## Summary' section"]
    two = GOOD.split("3. Third")[0]
    assert shape_problems(two) == ["2 exercises; a chapter has 3 to 5"]
    assert "predict" in " ".join(shape_problems(GOOD.replace("Predict, then rerun", "Rerun")))
