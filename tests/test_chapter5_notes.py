"""Chapter 5's note on its stored run quotes the numbers that run printed.

The note "What the stored run shows" in each framework's chapter 5 describes the stored full
run in words: the FD ratio and its range over the splits, the class entropy, the largest class
and its share, the best check, the two groups of writers and the other framework's ratio. This
test reads those numbers out of the note and checks each against the outputs stored in the
notebooks, so a rerun that changes the results fails here until the note is brought up to date.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from companion.verdicts import read_notebook
from tests.repo_modules import book

ROOT = Path(__file__).resolve().parents[1]
FRAMEWORKS = ("pytorch", "tensorflow")
results = book("results")  # the results page's reader of stored outputs


def _stored(framework: str) -> dict:
    """The numbers the stored full run printed."""
    notebook = ROOT / f"chapters/05_mlp_mnist_{framework}.ipynb"
    text = "\n".join(results.stored_lines(notebook))
    run = read_notebook(notebook).run
    assert run and run.profile == "full", f"chapter 5 ({framework}) has no stored full run"
    q = re.search(
        r"ratio ([\d.]+) \(splits: ([\d.]+)-([\d.]+)\); class entropy ([\d.]+), "
        r"largest class ([\d.]+)%.*predicted classes \[([\d, ]+)\]",
        text,
    )
    counts = [int(x) for x in q.group(6).split(",")]
    return {
        "ratio": float(q.group(1)),
        "range": (float(q.group(2)), float(q.group(3))),
        "entropy": float(q.group(4)),
        "share": float(q.group(5)),
        "largest_digit": counts.index(max(counts)),
        "best_step": int(re.search(r"best check: step ([\d,]+)", text).group(1).replace(",", "")),
        "writers": float(re.search(r"each group of writers: FD/baseline ([\d.]+)", text).group(1)),
        "wall": run.wall_s,
        "track": [
            (int(step.replace(",", "")), float(ratio))
            for step, ratio in re.findall(r"^step\s+([\d,]+): FD/baseline\s+([\d.]+)", text, re.M)
        ],
    }


def _note(framework: str) -> str:
    md = (ROOT / f"chapters/05_mlp_mnist_{framework}.md").read_text(encoding="utf-8")
    start = md.index("**What the stored run shows.**")
    return " ".join(md[start : md.index("```", start)].split())


def _quoted(pattern: str, note: str) -> tuple[str, ...]:
    match = re.search(pattern, note)
    assert match, f"the note no longer says {pattern!r}"
    return match.groups()


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_the_note_quotes_the_stored_run(framework: str):
    run, note = _stored(framework), _note(framework)
    other = _stored(next(f for f in FRAMEWORKS if f != framework))
    (minutes,) = _quoted(r"in about (\d+) minutes", note)
    assert round(run["wall"] / 60) == int(minutes)
    (ratio,) = _quoted(r"the FD is about (\d+) times the real-vs-real baseline", note)
    assert round(run["ratio"]) == int(ratio)
    low, high = _quoted(r"ranges from about (\d+) to (\d+)", note)
    assert (round(run["range"][0]), round(run["range"][1])) == (int(low), int(high))
    (entropy,) = _quoted(r"normalised entropy (0\.\d+)", note)
    assert run["entropy"] == float(entropy)
    digit, share = _quoted(r"the most frequent digit, the (\d), takes ([\d.]+)% of", note)
    assert run["largest_digit"] == int(digit) and run["share"] == float(share)
    (best,) = _quoted(r"was best at step ([\d,]+)", note)
    assert run["best_step"] == int(best.replace(",", ""))
    later = [r for step, r in run["track"] if step > run["best_step"]]
    if "higher at every later check" in note:
        assert later and min(later) > dict(run["track"])[run["best_step"]]
    if "the last check" in note:
        assert not later, "the best check is the last one"
    assert ("higher at every later check" in note) != ("the last check" in note)
    (writers,) = _quoted(r"already about (\d+) times the baseline apart", note)
    assert round(run["writers"]) == int(writers)
    (theirs,) = _quoted(r"stored about (\d+) times the baseline", note)
    assert round(other["ratio"]) == int(theirs)
    (factor,) = _quoted(r"differ by a factor of about (\d+\.\d)", note)
    big, small = max(run["ratio"], other["ratio"]), min(run["ratio"], other["ratio"])
    assert round(big / small, 1) == float(factor)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_the_stored_run_meets_the_bars_the_note_names(framework: str):
    run = _stored(framework)
    assert run["ratio"] <= 50 and run["entropy"] >= 0.9 and run["share"] <= 25
