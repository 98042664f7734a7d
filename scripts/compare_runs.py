"""Compare the numbers two runs of the same chapter printed, cell by cell.

Reruns a reader's claim check: execute a chapter again (for example in a fresh clone, in the
full profile) and compare every number in its text outputs with the stored notebook's::

    python scripts/compare_runs.py chapters/03_shape_2d_pytorch.ipynb \
        /tmp/clone/chapters/03_shape_2d_pytorch.ipynb

Verdicts and the run summary are compared as the data they store beside their lines
(:func:`companion.verdicts.read_notebook`): each verdict's value, matched by its model and measure,
and the summary's facts, not its wall time or library versions. In the other text outputs, numbers
on lines that report time or speed (seconds, images/s, dates) are left out: they measure the
machine, not the model. A number "differs" when ``|a - b| > atol + rtol * max(|a|, |b|)``. The
exit status is 1 when any number differs.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

from companion.verdicts import RUN_MIME, VERDICT_MIME, read_notebook

NUMBER = re.compile(r"[-+]?(?:\d+(?:,\d{3})*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
#: lines that measure the machine, not the model
TIMING = re.compile(
    r"wall=|\d\s*s\b|\d+(\.\d+)?s[,)| ]|\bs/|/s\b|seconds|images/s|steps/s|it/s|load s|"
    r"\d{4}-\d{2}-\d{2}|python=|numpy=|torch=|tensorflow=|keras=|companion=|version",
    re.I,
)


def cell_texts(path: Path) -> list[tuple[str, list[str]]]:
    """(source, text lines of the outputs) of each code cell."""
    out = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        lines = []
        for output in cell.get("outputs", []):
            if {VERDICT_MIME, RUN_MIME} & set(output.get("metadata", {})):
                continue  # compared as data: compare_records
            text = output.get("text") or output.get("data", {}).get("text/plain", "")
            text = "".join(text) if isinstance(text, list) else text
            lines += [line for line in text.splitlines() if not line.startswith("<Figure")]
        out.append((cell.source, lines))
    return out


def numbers(lines: list[str]) -> list[float]:
    found = []
    for line in lines:
        if not TIMING.search(line):
            found += [float(n.replace(",", "")) for n in NUMBER.findall(line)]
    return found


def _numeric(facts: dict) -> dict[str, float]:
    """The facts of a run summary that are numbers (``"15.33"`` included)."""
    found = {}
    for key, value in facts.items():
        try:
            found[key] = float(value)
        except (TypeError, ValueError):
            pass
    return found


def compare_records(a: Path, b: Path, rtol: float, atol: float) -> tuple[int, int, list[str]]:
    """(numbers compared, numbers that differ, report lines) of the verdicts and run summaries."""
    ra, rb = read_notebook(a), read_notebook(b)
    names_a = [(v.variant, v.measure) for v in ra.verdicts]
    if names_a != [(v.variant, v.measure) for v in rb.verdicts]:
        return 0, 1, [f"{a.name}: the two runs do not show the same verdicts"]
    pairs = [
        (f"verdict {v}: {m}", x.value, y.value)
        for (v, m), x, y in zip(names_a, ra.verdicts, rb.verdicts)
    ]
    fa, fb = (_numeric(r.run.facts) if r.run else {} for r in (ra, rb))
    pairs += [(f"run summary: {k}", fa[k], fb[k]) for k in fa if k in fb]
    differ = [f"{name}: {x:g} vs {y:g}" for name, x, y in pairs if not _close(x, y, rtol, atol)]
    return len(pairs), len(differ), differ


def _close(x: float, y: float, rtol: float, atol: float) -> bool:
    return abs(x - y) <= atol + rtol * max(abs(x), abs(y))


def compare(a: Path, b: Path, rtol: float, atol: float) -> tuple[int, int, list[str]]:
    """(numbers compared, numbers that differ, report lines)."""
    cells_a, cells_b = cell_texts(a), cell_texts(b)
    if [s for s, _ in cells_a] != [s for s, _ in cells_b]:
        return 0, 1, [f"{a.name}: the two notebooks do not have the same code"]
    compared, differ, report = compare_records(a, b, rtol, atol)
    for index, ((_, la), (_, lb)) in enumerate(zip(cells_a, cells_b)):
        na, nb = numbers(la), numbers(lb)
        if len(na) != len(nb):
            differ += 1
            report.append(f"code cell {index}: {len(na)} numbers vs {len(nb)}")
            continue
        for x, y in zip(na, nb):
            compared += 1
            if not _close(x, y, rtol, atol):
                differ += 1
                report.append(f"code cell {index}: {x:g} vs {y:g}")
    return compared, differ, report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stored", type=Path)
    parser.add_argument("rerun", type=Path)
    parser.add_argument("--rtol", type=float, default=0.0)
    parser.add_argument("--atol", type=float, default=0.0)
    args = parser.parse_args(argv)
    compared, differ, report = compare(args.stored, args.rerun, args.rtol, args.atol)
    print(
        f"{args.stored.name}: {compared} numbers compared, {differ} differ "
        f"(rtol={args.rtol:g}, atol={args.atol:g})"
    )
    for line in report:
        print("  " + line)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
