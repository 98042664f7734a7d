"""The results page's table, read from the chapters' stored outputs at every build.

Every training chapter shows its verdicts with :func:`companion.quality.against`, one line per
measure::

    FD / baseline 15.33: bar <= 30 met; target <= 8 not reached

and ends with the run summary of :class:`companion.settings.RunReport`
(``profile=full device=... wall=1390.5s ...``). Shown with ``display``, each of them stores its
numbers as data beside the line (:mod:`companion.verdicts`), in the outputs that the chapter's
full-profile run stored in its ``.ipynb``: that data, read with
:func:`companion.verdicts.read_notebook`, is the data of the results page. This module reads it
from each notebook in :data:`CHAPTERS`, adds the peer results stored by ``bench/peers.py`` and the
chapters' own tracks, and writes a Markdown table to ``book/_generated/results_table.md``, which
``book/results.md`` includes. Chapters 9 and 11 measure without a bar (they compare); their rows
come from the tables they print (:data:`MEASURES`). Nothing in the table is typed by hand; a rerun
of a chapter changes it at the next build. ``tests/test_results_page.py`` checks the reading
against the notebooks. Run it as a script to print the table::

    python book/_ext/results.py
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import registry  # book/_ext/registry.py, beside this file

from companion.verdicts import RunSummary, StoredResults, Verdict, read_notebook

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "book" / "_generated" / "results_table.md"

#: (notebook, chapter as the table names it, framework), in reading order: every notebook of
#: chapters/registry.yml whose chapter has no ``not_measured`` reason.
CHAPTERS = [
    (nb.path, c.heading, nb.framework)
    for c in registry.chapters()
    if not c.not_measured
    for nb in c.notebooks()
]
#: chapters that train no model against a quality bar, and why they have no line
NOT_MEASURED = {
    nb.path: c.not_measured for c in registry.chapters() if c.not_measured for nb in c.notebooks()
}

# chapter 8 sets its result beside chapter 6's stored run at as many images seen
CH6_AT_EQUAL = re.compile(
    r"^chapter 6 \(unconditional\) at (?P<images>[\d,]+) images seen: FD/baseline (?P<fd>[\d.]+);"
)
# a check of a chapter's own track: "step 16,000: FD/baseline    5.4", on the test images. Chapter
# 8's checks ("one-hot step 16,000: validation FD/baseline ...") grade validation images, a scale
# of their own, so they do not match and are never set beside another run's checks.
TRACK = re.compile(r"^(?P<variant>.*?)\s*step\s+(?P<step>[\d,]+): FD/baseline\s+(?P<fd>[\d.]+)")
#: where bench/peers.py stores its results: package data of companion (companion.kits.peers.RESULTS)
PEER_RESULTS = ROOT / "companion" / "peer_results"
#: the peer trained beside a chapter by bench/peers.py: chapter name -> (name, result file)
PEER_FILES = {
    c.name: (c.peer["name"], PEER_RESULTS / c.peer["file"]) for c in registry.chapters() if c.peer
}
ASSERTED = "the bar"  # what a row's "asserted" column says when the full run asserts its bar
PRINTED = "no, printed only"


class ResultsError(RuntimeError):
    """A chapter's stored outputs lack what the results page needs."""


@dataclass(frozen=True)
class Row:
    """One measure of one chapter's stored run."""

    chapter: str
    framework: str
    variant: str  # "" or e.g. "one-hot" when a chapter compares several models
    metric: str
    value: str
    sign: str  # "<=", ">=" or "" (a measure without a bar)
    bar: str
    bar_met: bool
    target: str
    target_reached: bool
    peer: str
    device: str
    wall_s: float
    notebook: str
    asserted: str = ASSERTED  # what the full run asserts about the row (ASSERTED, PRINTED, a claim)
    reference: str = ""  # what a relative target is relative to
    verdict: bool = True  # read from a quality.against line (False: from a chapter's table)
    spread: str = ""  # e.g. "splits 4.20–6.87": the range behind an FD ratio's two decimals


def stored_lines(notebook: Path) -> list[str]:
    """Every line of text that the code cells of ``notebook`` stored (streams and text/plain)."""
    nb = json.loads(notebook.read_text())
    lines = []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []) if cell["cell_type"] == "code" else []:
            text = out.get("text") or out.get("data", {}).get("text/plain", "")
            lines += "".join(text).splitlines()
    return lines


def code_source(notebook: Path) -> str:
    """The code cells of ``notebook``, joined: where the page reads what a chapter asserts."""
    cells = json.loads(notebook.read_text())["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")


def rounded(number: str) -> str:
    """A bar or target as the table shows it: three significant digits at most (36.4667 -> 36.5)."""
    return f"{float(number):.3g}"


def _kilo(images: float) -> str:
    return f"{images / 1e3:,.0f} k"


def _own_last_checks(lines: list[str]) -> dict[str, float]:
    """The last check of each variant's track that a chapter printed ("" for a single model)."""
    return {m["variant"]: float(m["fd"]) for m in map(TRACK.match, lines) if m}


def _peer(lines: list[str], row: Row) -> str:
    """The peer at the same budget, best beside best and last check beside last, for FD rows.

    A chapter's result is its kept generator: the best of its checks, measured again. So the
    peer's best check comes first; then the peer's last check beside the chapter's own last.
    """
    if not row.metric.startswith("FD"):
        return ""
    for prefix, (name, path) in PEER_FILES.items():
        if prefix in row.notebook and path.exists():
            data = json.loads(path.read_text())
            best_images, best = min(data["peer_track"], key=lambda p: p[1])
            images, final = data["peer_track"][-1]
            own = data["book"][row.framework.lower()]["track"][-1][1]
            return (
                f"{name}: best {best:.1f} (at {_kilo(best_images)} images) · last {final:.1f} "
                f"(at {_kilo(images)}; this run's last check: {own:.1f})"
            )
    for line in lines:
        match = CH6_AT_EQUAL.match(line)
        if match:
            steps = int(match["images"].replace(",", "")) // 64  # chapter 6's batch of 64
            track = chapter6_track(row.framework.lower())
            best = min(fd for step, fd in track.items() if step <= steps)
            own = _own_last_checks(lines).get(row.variant)
            mine = f"; this run's last check: {own:.1f}" if own is not None else ""
            return (
                f"chapter 6 (unconditional), first {_kilo(steps * 64)} images: best {best:.1f} · "
                f"last {match['fd']}{mine}"
            )
    return ""


def chapter6_track(framework: str) -> dict[int, float]:
    """Chapter 6's stored FD ratio at each check (step -> ratio) of the given framework."""
    lines = stored_lines(ROOT / "chapters" / f"06_dcgan_{framework}.ipynb")
    return {int(m["step"].replace(",", "")): float(m["fd"]) for m in map(TRACK.match, lines) if m}


def _summary(notebook: str, stored: StoredResults) -> RunSummary:
    if stored.run is None or stored.run.profile != "full":
        raise ResultsError(
            f"{notebook} stores no full-profile run summary (display(report.summary(...)) in the "
            "full profile): run it with `make execute NB=...` so that the results page shows a "
            "real run"
        )
    return stored.run


def _verdict_row(v: Verdict, lines: list[str], base: dict) -> Row:
    """The row of one stored verdict; a verdict the chapter does not assert is "printed only"."""
    row = Row(
        variant=v.variant,
        metric=v.measure,
        value=f"{v.value:{v.fmt}}",
        sign=v.sign,
        bar=f"{v.bar:g}",
        bar_met=v.bar_met,
        target=f"{v.target:g}",
        target_reached=v.target_reached,
        peer="",
        asserted=ASSERTED if v.asserted else PRINTED,
        reference=v.reference,
        spread=f"splits {v.spread[0]:.2f}–{v.spread[1]:.2f}" if v.spread else "",
        **base,
    )
    return replace(row, peer=_peer(lines, row))


def _measure(metric: str, value: str, base: dict, **extra) -> Row:
    """A row of a chapter that compares rather than grades: no bar, no target."""
    fields = dict(sign="", bar="", bar_met=False, target="", target_reached=False, peer="")
    fields.update(asserted=PRINTED, variant="", verdict=False)
    fields.update(extra)
    return Row(metric=metric, value=value, **fields, **base)


def _chapter9_rows(lines: list[str], source: str, base: dict) -> list[Row]:
    """Chapter 9: each book generator's FD ratio (its one fixed split) and its share of copies.

    The FD ratio is set beside the one the generator's own chapter printed (its metadata); the
    share of images closer to a training image than real ones is asserted against NOVEL_BAR.
    """
    novel = re.search(r"^NOVEL_BAR = ([\d.]+)", source, re.M)
    if not novel:
        raise ResultsError("chapter 9's code defines no NOVEL_BAR")
    own = dict(re.findall(r"^(ch[78] [^:]+): .*'fd_ratio': ([\d.]+)", "\n".join(lines), re.M))
    head = next(
        (i for i, line in enumerate(lines) if line.startswith("subject ") and "FD_inf" in line),
        None,
    )
    rows = []
    for line in lines[head + 1 :] if head is not None else []:
        m = re.match(
            r"^(?P<name>ch[78] .+?)\s+(?P<ratio>[\d.]+)\s+-?[\d.]+(?:\s+[\d.]+){4}"
            r"\s+[\d.]+\s+[\d.]+%\s+(?P<px>[\d.]+)%\s+(?P<ft>[\d.]+)%$",
            line,
        )
        if not m:
            continue
        peer = (
            f"its own chapter's measure (five splits): {float(own[m['name']]):.2f}"
            if m["name"] in own
            else ""
        )
        rows.append(
            _measure(f"{m['name']}: FD / baseline, one fixed split", m["ratio"], base, peer=peer)
        )
        copies = max(float(m["px"]), float(m["ft"])) / 100
        rows.append(
            _measure(
                f"{m['name']}: share closer to a training image than real",
                f"{copies:.3f}",
                base,
                sign="<=",
                bar=novel[1],
                bar_met=copies <= float(novel[1]),
                asserted=ASSERTED,
            )
        )
    return rows


def _chapter11_rows(lines: list[str], source: str, base: dict) -> list[Row]:
    """Chapter 11: the FD ratio after as many images, two seeds, and the speed of all together.

    The rows whose FD range the chapter asserts to lie above chapter 6's loop are read from its
    code (``for k in (...): assert rows[k]["fd_ratio_range"][0] > high6``); speed depends on the
    device and is printed, never asserted.
    """
    claimed = re.search(
        r"for k in \((?P<rows>[^)]*)\):\n\s+assert rows\[k\]\[\"fd_ratio_range\"\]\[0\] > high6",
        source,
    )
    worse = set(re.findall(r'"([^"]+)"', claimed["rows"])) if claimed else set()
    rows = []
    for line in lines:
        m = re.match(r"^\s+(?P<row>.+?): FD ratio\s+(?P<lo>[\d.]+)-\s*(?P<hi>[\d.]+) \(", line)
        if m:
            rows.append(
                _measure(
                    f"{m['row']}: FD / baseline at equal images, two seeds",
                    f"{m['lo']}–{m['hi']}",
                    base,
                    asserted="range above chapter 6's loop, both seeds"
                    if m["row"] in worse
                    else PRINTED,
                )
            )
    for line in lines:
        m = re.match(r"^\s*all together: (?P<x>[\d.]+)x chapter 6's loop.*, (?P<v>[a-z -]+)$", line)
        if m:
            rows.append(
                _measure(
                    "all together: speed, × chapter 6's loop",
                    f"{m['x']} ({m['v']})",
                    base,
                    asserted="no, printed only (depends on the device)",
                )
            )
    return rows


#: chapters that measure without bars: notebook prefix -> reader of their printed tables
MEASURES = {"09_evaluating": _chapter9_rows, "11_fast": _chapter11_rows}


def read_chapter(notebook: str, chapter: str, framework: str) -> list[Row]:
    """The rows of one chapter: one per verdict its stored run displayed, or, for a chapter in
    :data:`MEASURES`, the measures its tables printed."""
    path = ROOT / notebook
    if not path.exists():
        raise ResultsError(f"{notebook} does not exist: chapters/registry.yml names it")
    try:
        stored = read_notebook(path)
    except ValueError as error:
        raise ResultsError(str(error)) from error
    lines = stored_lines(path)
    facts = _summary(notebook, stored)
    base = dict(
        chapter=chapter,
        framework=framework,
        device=facts.device,
        wall_s=facts.wall_s,
        notebook=notebook,
    )
    reader = next((r for prefix, r in MEASURES.items() if prefix in notebook), None)
    rows = [_verdict_row(v, lines, base) for v in stored.verdicts]
    if reader is not None:
        rows += reader(lines, code_source(path), base)
    if not rows:
        raise ResultsError(
            f"{notebook} stores no verdict: display(quality.against(...)) in its full profile "
            "stores one ('<measure> <value>: bar <= <bar> met; target <= <target> reached')"
        )
    return rows


def read_all() -> list[Row]:
    return [row for args in CHAPTERS for row in read_chapter(*args)]


def _link(row: Row) -> str:
    page = row.notebook.removesuffix(".ipynb")
    return f"{{doc}}`{row.chapter}, {row.framework} </{page}>`"


def run(row: Row) -> str:
    """Device and wall time of the row's stored run, e.g. ``"CPU, 2 cores, 23.2 min"``."""
    return f"{short_device(row.device)}, {row.wall_s / 60:.1f} min"


def short_device(device: str) -> str:
    """``"cpu (2 cores, x86_64) torch_threads=2"`` -> ``"CPU, 2 cores"``; a GPU keeps its name."""
    gpu = re.search(r"cuda:\d+ \((?P<name>[^)]+)\)", device)
    if gpu:
        return gpu["name"]
    cores = re.search(r"cpu \((?P<n>\d+) cores", device)
    return f"CPU, {cores['n']} cores" if cores else device


def result_cell(row: Row) -> str:
    """``"5.35 (splits 4.20–6.87)"``: an FD ratio with the range of its splits, where known."""
    return f"{row.value} ({row.spread})" if row.spread else row.value


def bar_cell(row: Row) -> str:
    """``"≤ 12 ✓"``; ``"—"`` for a measure without a bar."""
    if not row.sign:
        return "—"
    return f"{'≤' if row.sign == '<=' else '≥'} {rounded(row.bar)} {'✓' if row.bar_met else '✗'}"


def target_cell(row: Row) -> str:
    """``"≤ 8 ✗"``, with what a relative target is relative to; ``"—"`` without a target."""
    if not row.target:
        return "—"
    sign = "≤" if row.sign == "<=" else "≥"
    cell = f"{sign} {rounded(row.target)} {'✓' if row.target_reached else '✗'}"
    return f"{cell} ({row.reference})" if row.reference else cell


def table(rows: list[Row]) -> str:
    """The Markdown table of ``rows``, one line per measure (✓ met or reached, ✗ not)."""
    head = (
        "| chapter | measure | result | bar | target | asserted | peer, best and last | run |\n"
        "|---|---|---:|---|---|---|---|---|\n"
    )
    body, previous = [], None
    for r in rows:
        first = r.notebook != previous  # chapter and run shown once per notebook
        previous = r.notebook
        measure = f"{r.variant}: {r.metric}" if r.variant else r.metric
        body.append(
            f"| {_link(r) if first else ''} | {measure} | {result_cell(r)} | {bar_cell(r)} | "
            f"{target_cell(r)} | {r.asserted} | {r.peer or '—'} | {run(r) if first else ''} |"
        )
    return head + "\n".join(body) + "\n"


def write(target: Path = OUTPUT) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(table(read_all()))
    return target


def _build(app) -> None:
    write()


def setup(app) -> dict:
    app.connect("builder-inited", _build)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    sys.stdout.write(table(read_all()))
