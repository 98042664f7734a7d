"""Under its title, every chapter tells a Colab reader which runtime to pick and what the full
run costs, and the figure it quotes is the stored run's.

A reader who opens a chapter from its Colab button never sees the preface, so the chapter's
first paragraph is a note (``> **Runtime.** ...``) that names the menu path and the cost. The
one source of truth for the cost is the run summary that the chapter's full-profile run stored
in its ``.ipynb`` (``profile=full device=cpu (2 cores, x86_64) ... wall=1390.5s ...``), read
as the data stored beside that line (:func:`companion.verdicts.read_notebook`), as the results
page reads it. From it this test derives the phrases the note must contain:

* the runtime, ``Runtime → Change runtime type → CPU`` for a chapter that imports neither
  PyTorch nor TensorFlow (a GPU buys nothing) or whose stored run took under a minute on the
  CPU (nothing to win), ``... → T4 GPU`` (Colab's free GPU) for every other chapter;
* the cost, ``took under a minute`` below 60 s, else ``took about N minutes`` with
  N = round(wall / 60), followed by the stored run's device (``on a 2-core CPU``);
* for a T4 chapter whose stored run is not from a GPU: ``on a T4 GPU it has not been measured
  yet``.

A rerun that changes the wall time or the device makes this test fail and print the phrase to
write into the chapter's ``.md`` (then ``jupytext --sync`` it).
"""

from __future__ import annotations

import re
from pathlib import Path

import jupytext
import pytest

from companion.verdicts import read_notebook

ROOT = Path(__file__).resolve().parents[1]
MD = sorted((ROOT / "chapters").glob("*.md"))
MENU = "Runtime → Change runtime type → "
NOT_MEASURED = "on a T4 GPU it has not been measured yet"
FRAMEWORK_IMPORT = re.compile(r"^\s*(?:import|from) (?:torch|tensorflow|keras)\b", re.M)


def duration(wall_s: float) -> str:
    """``"under a minute"`` below 60 s, else ``"about N minutes"``, N = round(wall / 60)."""
    if wall_s < 60:
        return "under a minute"
    minutes = round(wall_s / 60)
    return f"about {minutes} minute{'s' if minutes != 1 else ''}"


def device_phrase(device: str) -> str:
    """``"cpu (2 cores, x86_64) torch_threads=2"`` -> ``"a 2-core CPU"``; a GPU by its name."""
    gpu = re.search(r"cuda:\d+ \((?P<name>[^)]+)\)", device)
    if gpu:
        return ("an " if gpu["name"][0] in "AEIOU" else "a ") + gpu["name"]
    cores = re.search(r"cpu \((?P<n>\d+) cores", device)
    assert cores, f"cannot read the device of the stored run: {device!r}"
    return f"a {cores['n']}-core CPU"


def expected_phrases(wall_s: float, device: str, uses_framework: bool) -> list[str]:
    """What the note of a chapter whose stored run took ``wall_s`` on ``device`` must say."""
    on_gpu = "cuda" in device
    cpu_is_enough = not uses_framework or (not on_gpu and wall_s < 60)
    phrases = [
        MENU + ("CPU" if cpu_is_enough else "T4 GPU"),
        f"took {duration(wall_s)} on {device_phrase(device)}",
    ]
    if not cpu_is_enough and not on_gpu:
        phrases.append(NOT_MEASURED)
    return phrases


def stored_run(md: Path) -> tuple[float, str]:
    """Wall time (s) and device of the full-profile run stored in the chapter's ``.ipynb``."""
    run = read_notebook(md.with_suffix(".ipynb")).run
    assert run and run.profile == "full", (
        f"{md.with_suffix('.ipynb').name} stores no full-profile run summary"
    )
    return run.wall_s, run.device


def note(md: Path) -> str:
    """The runtime note: the first paragraph under the chapter's title, whitespace collapsed."""
    first = next(c.source for c in jupytext.read(md).cells if c.cell_type == "markdown")
    after_title = re.split(r"^# .*$", first, maxsplit=1, flags=re.M)[-1]
    paragraph = after_title.strip().split("\n\n", 1)[0]
    return " ".join(paragraph.replace("\n>", "\n").split())


def note_problems(text: str, phrases: list[str]) -> list[str]:
    if not text.startswith("> **Runtime.**"):
        return ["no note under the title: its first paragraph must start with '> **Runtime.**'"]
    return [f"the note does not say {p!r}" for p in phrases if p not in text]


def _uses_framework(md: Path) -> bool:
    cells = jupytext.read(md).cells
    return any(FRAMEWORK_IMPORT.search(c.source) for c in cells if c.cell_type == "code")


@pytest.mark.parametrize("md", MD, ids=lambda p: p.stem)
def test_the_note_names_the_runtime_and_the_stored_cost(md: Path):
    wall_s, device = stored_run(md)
    problems = note_problems(note(md), expected_phrases(wall_s, device, _uses_framework(md)))
    assert not problems, (
        f"chapters/{md.name}, stored run wall={wall_s}s on {device}:\n  "
        + "\n  ".join(problems)
        + "\nupdate the note under the title (the figures come from the stored run), then "
        f"`jupytext --sync chapters/{md.name}`"
    )


def test_the_rules_can_fail():
    assert duration(59.9) == "under a minute" and duration(89) == "about 1 minute"
    assert duration(1390.5) == "about 23 minutes"
    cpu = "cpu (2 cores, x86_64) torch_threads=2"
    assert expected_phrases(6.2, cpu, uses_framework=False) == [
        MENU + "CPU",
        "took under a minute on a 2-core CPU",
    ]
    assert expected_phrases(1390.5, cpu, uses_framework=True) == [
        MENU + "T4 GPU",
        "took about 23 minutes on a 2-core CPU",
        NOT_MEASURED,
    ]
    gpu = expected_phrases(300.0, "cuda:0 (Tesla T4) torch_threads=2", uses_framework=True)
    assert gpu == [MENU + "T4 GPU", "took about 5 minutes on a Tesla T4"]
    good = f"> **Runtime.** Pick {MENU}T4 GPU. It took about 23 minutes on a 2-core CPU; " + (
        NOT_MEASURED
    )
    phrases = expected_phrases(1390.5, cpu, uses_framework=True)
    assert note_problems(good, phrases) == []
    stale = good.replace("about 23 minutes", "about 20 minutes")
    assert note_problems(stale, phrases) == [
        "the note does not say 'took about 23 minutes on a 2-core CPU'"
    ]
    assert note_problems("A generative model learns ...", phrases)[0].startswith("no note")
