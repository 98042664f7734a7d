"""The results page's table, read from the chapters' stored outputs at every build.

Every training chapter prints its verdicts with :func:`companion.quality.against`, one line per
measure::

    FD / baseline 15.33: bar <= 30 met; target <= 8 not reached

and ends with the one-line run summary of :class:`companion.settings.RunReport`
(``profile=full device=... wall=1390.5s ...``). Those lines, in the outputs that the chapter's
full-profile run stored in its ``.ipynb``, are the data of the results page: this module reads
them from each notebook in :data:`CHAPTERS`, adds the peer results stored by ``bench/`` and the
chapters themselves, and writes a Markdown table to ``book/_generated/results_table.md``, which
``book/results.md`` includes. Nothing in the table is typed by hand; a rerun of a chapter
changes it at the next build. ``tests/test_results_page.py`` checks the reading against the
notebooks. Run it as a script to print the table::

    python book/_ext/results.py
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "book" / "_generated" / "results_table.md"

#: (notebook, chapter as the table names it, framework), in reading order.
CHAPTERS = [
    ("chapters/01_what_is_a_gan.ipynb", "1 · a 1-D GAN", "NumPy"),
    ("chapters/03_shape_2d_pytorch.ipynb", "3 · points on a curve", "PyTorch"),
    ("chapters/03_shape_2d_tensorflow.ipynb", "3 · points on a curve", "TensorFlow"),
    ("chapters/04_one_hot_pytorch.ipynb", "4 · integer patterns", "PyTorch"),
    ("chapters/04_one_hot_tensorflow.ipynb", "4 · integer patterns", "TensorFlow"),
    ("chapters/05_mlp_mnist_pytorch.ipynb", "5 · MLP GAN, MNIST", "PyTorch"),
    ("chapters/05_mlp_mnist_tensorflow.ipynb", "5 · MLP GAN, MNIST", "TensorFlow"),
    ("chapters/06_dcgan_pytorch.ipynb", "6 · DCGAN, Fashion-MNIST", "PyTorch"),
    ("chapters/06_dcgan_tensorflow.ipynb", "6 · DCGAN, Fashion-MNIST", "TensorFlow"),
    ("chapters/08_conditional_pytorch.ipynb", "8 · conditional DCGAN", "PyTorch"),
    ("chapters/08_conditional_tensorflow.ipynb", "8 · conditional DCGAN", "TensorFlow"),
    ("chapters/10_stabilising_pytorch.ipynb", "10 · stabilising a DCGAN", "PyTorch"),
    ("chapters/10_stabilising_tensorflow.ipynb", "10 · stabilising a DCGAN", "TensorFlow"),
]

AGAINST = re.compile(
    r"^(?P<indent>\s*)(?P<metric>\S.*?) (?P<value>-?[\d.]+): bar (?P<sign><=|>=) (?P<bar>\S+) "
    r"(?P<met>met|NOT met); target (?:<=|>=) (?P<target>\S+) (?P<reached>reached|not reached)$"
)
VARIANT = re.compile(r"^(?P<variant>\S[^:]*?)(?: \(best\))?:$")  # "one-hot (best):"
SUMMARY = re.compile(r"^profile=(?P<profile>\w+) device=(?P<device>.+?) wall=(?P<wall>[\d.]+)s ")
# chapter 8 sets its result beside chapter 6's stored run at as many images seen
CH6_AT_EQUAL = re.compile(
    r"^chapter 6 \(unconditional\) at (?P<images>[\d,]+) images seen: FD/baseline (?P<fd>[\d.]+);"
)
#: the peer trained beside a chapter by bench/peers.py: notebook prefix -> (name, result file)
PEER_FILES = {
    "05_mlp_mnist": ("article's MLP", ROOT / "bench" / "results" / "peer_mlp_article.json"),
    "06_dcgan": ("TF tutorial's DCGAN", ROOT / "bench" / "results" / "peer_dcgan_tutorial.json"),
}


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
    sign: str
    bar: str
    bar_met: bool
    target: str
    target_reached: bool
    peer: str
    device: str
    wall_s: float
    notebook: str


def stored_lines(notebook: Path) -> list[str]:
    """Every line of text that the code cells of ``notebook`` stored (streams and text/plain)."""
    nb = json.loads(notebook.read_text())
    lines = []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []) if cell["cell_type"] == "code" else []:
            text = out.get("text") or out.get("data", {}).get("text/plain", "")
            lines += "".join(text).splitlines()
    return lines


def _peer(lines: list[str], notebook: str, metric: str) -> str:
    """The peer's result at the same budget, where the book stores one, for an FD measure."""
    if not metric.startswith("FD"):
        return ""
    for prefix, (name, path) in PEER_FILES.items():
        if prefix in notebook and path.exists():
            peer = json.loads(path.read_text())
            best_images, best = min(peer["peer_track"], key=lambda p: p[1])
            images, final = peer["peer_track"][-1]
            return (
                f"{name}: {final:.1f} after {images / 1e3:,.0f} k images (its best: {best:.1f}, "
                f"after {best_images / 1e3:.0f} k)"
            )
    for line in lines:
        match = CH6_AT_EQUAL.match(line)
        if match:
            return f"chapter 6 (unconditional): {match['fd']}"
    return ""


def read_chapter(notebook: str, chapter: str, framework: str) -> list[Row]:
    """The rows of one chapter: one per ``against`` line its stored run printed."""
    path = ROOT / notebook
    if not path.exists():
        raise ResultsError(f"{notebook} does not exist: update CHAPTERS in {__file__}")
    lines = stored_lines(path)
    summaries = [m for m in map(SUMMARY.match, lines) if m]
    if not summaries or summaries[-1]["profile"] != "full":
        raise ResultsError(
            f"{notebook} stores no full-profile run summary (profile=full ... wall=...): run it "
            "with `make execute NB=...` so that the results page shows a real run"
        )
    facts = summaries[-1]
    rows, variant = [], ""
    for line in lines:
        header = VARIANT.match(line)
        if header and not AGAINST.match(line):
            variant = header["variant"]
            continue
        match = AGAINST.match(line)
        if match:
            rows.append(
                Row(
                    chapter=chapter,
                    framework=framework,
                    variant=variant if match["indent"] else "",
                    metric=match["metric"],
                    value=match["value"],
                    sign=match["sign"],
                    bar=match["bar"],
                    bar_met=match["met"] == "met",
                    target=match["target"],
                    target_reached=match["reached"] == "reached",
                    peer=_peer(lines, notebook, match["metric"]),
                    device=facts["device"],
                    wall_s=float(facts["wall"]),
                    notebook=notebook,
                )
            )
    if not rows:
        raise ResultsError(
            f"{notebook} stores no verdict line of quality.against "
            "('<measure> <value>: bar <= <bar> met; target <= <target> reached')"
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


def table(rows: list[Row]) -> str:
    """The Markdown table of ``rows``, one line per measure (✓ met or reached, ✗ not)."""
    head = (
        "| chapter | measure | result | bar | target | peer at equal budget | run |\n"
        "|---|---|---:|---|---|---|---|\n"
    )
    body, previous = [], None
    for r in rows:
        first = r.notebook != previous  # chapter and run shown once per notebook
        previous = r.notebook
        measure = f"{r.variant}: {r.metric}" if r.variant else r.metric
        sign = "≤" if r.sign == "<=" else "≥"
        bar = f"{sign} {r.bar} {'✓' if r.bar_met else '✗'}"
        target = f"{sign} {r.target} {'✓' if r.target_reached else '✗'}"
        body.append(
            f"| {_link(r) if first else ''} | {measure} | {r.value} | {bar} | {target} | "
            f"{r.peer or '—'} | {run(r) if first else ''} |"
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
