"""book/_ext/results.py: the results page shows every verdict the chapters' stored runs printed,
and nothing else."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import nbformat
import pytest

from companion.verdicts import VERDICT_MIME, RunSummary, Verdict
from tests.book_site import build_book
from tests.notebook_files import write_notebook
from tests.repo_modules import book

ROOT = Path(__file__).resolve().parents[1]
results = book("results")

LISTED = {notebook for notebook, _, _ in results.CHAPTERS}


def _verdict_lines(notebook: Path) -> list[str]:
    """The lines shown beside verdict data, found without the page's own reader; and no verdict
    line that was only printed, without its data."""
    lines, printed = [], []
    for cell in json.loads(notebook.read_text())["cells"]:
        for out in cell.get("outputs", []):
            text = "".join(out.get("text") or out.get("data", {}).get("text/plain", ""))
            if VERDICT_MIME in out.get("metadata", {}):
                lines.append(text)
            else:
                printed += [line for line in text.splitlines() if ": bar " in line]
    assert not printed, f"{notebook.name} printed verdicts without their data: {printed}"
    return lines


NOTEBOOKS = sorted((ROOT / "chapters").glob("*.ipynb"))


def _rows(name: str) -> list:
    chapter, framework = next((c, f) for n, c, f in results.CHAPTERS if n == name)
    return results.read_chapter(name, chapter, framework)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_chapter_is_on_the_page_or_says_why_not(notebook: Path):
    name = f"chapters/{notebook.name}"
    assert (name in LISTED) != (name in results.NOT_MEASURED), (
        f"{name}: list it in CHAPTERS of book/_ext/results.py, or in NOT_MEASURED with the reason"
    )
    if name in results.NOT_MEASURED:
        assert not _verdict_lines(notebook), f"{name} prints verdicts but is not on the page"
    else:
        assert _rows(name), f"{name} is listed but gives the page no line"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_verdict_line_is_read_once(notebook: Path):
    lines = _verdict_lines(notebook)
    name = f"chapters/{notebook.name}"
    if not lines:
        return
    rows = [r for r in _rows(name) if r.verdict]
    assert len(rows) == len(lines), "a verdict line was missed or read twice"
    for row, line in zip(rows, lines):
        assert row.metric in line and f" {row.value}: " in line and row.bar in line


def test_chapters_9_and_11_are_on_the_page():
    """They compare rather than grade: their lines come from the tables they print."""
    ch9 = _rows("chapters/09_evaluating.ipynb")
    ratios = [r for r in ch9 if r.metric.startswith("ch8") and "FD" in r.metric]
    assert len(ratios) == 2 and all(r.sign == "" and r.asserted == results.PRINTED for r in ratios)
    text = "\n".join(results.stored_lines(ROOT / "chapters/09_evaluating.ipynb"))
    for r in ratios:  # set beside the number its own chapter printed (its metadata)
        own = re.search(
            rf"^{re.escape(r.metric.split(':')[0])}: .*'fd_ratio': ([\d.]+)", text, re.M
        )
        assert r.peer.endswith(f"{float(own[1]):.2f}")
    copies = [r for r in ch9 if "training image" in r.metric]
    assert len(copies) == 4 and all(r.asserted == results.ASSERTED and r.bar_met for r in copies)
    for framework in ("pytorch", "tensorflow"):
        ch11 = _rows(f"chapters/11_fast_{framework}.ipynb")
        claimed = {r.metric.split(":")[0] for r in ch11 if r.asserted.startswith("range above")}
        assert claimed == {"+ batch 256", "all together"}  # read from the chapter's assertions
        speed = [r for r in ch11 if "speed" in r.metric]
        assert len(speed) == 1 and "printed only" in speed[0].asserted and not speed[0].sign


def test_stored_full_runs_meet_their_bars():
    rows = results.read_all()
    missed = [f"{r.notebook}: {r.metric}" for r in rows if r.sign and not r.bar_met]
    assert not missed, f"a stored full-profile run misses its bar: {missed}"
    assert all(r.wall_s > 0 and r.device for r in rows)


@pytest.mark.parametrize("prefix", sorted(results.PEER_FILES))
def test_peer_columns_set_best_beside_best_and_last_beside_last(prefix):
    """The chapter's result is its kept (best) generator: the peer's best comes first, and the
    peer's last check is set beside the chapter's own last check (#31)."""
    name, path = results.PEER_FILES[prefix]
    data = json.loads(path.read_text())
    best = min(fd for _, fd in data["peer_track"])
    final = data["peer_track"][-1][1]
    rows = [r for r in results.read_all() if prefix in r.notebook and r.metric.startswith("FD")]
    assert len(rows) == 2
    for r in rows:
        own = data["book"][r.framework.lower()]["track"][-1][1]
        assert r.peer.startswith(f"{name}: best {best:.1f} ")
        assert f" · last {final:.1f} " in r.peer and r.peer.endswith(f"last check: {own:.1f})")


def test_conditional_rows_set_chapter_6_beside():
    rows = results.read_all()
    ch8 = [r for r in rows if "08_conditional" in r.notebook and r.metric.startswith("FD")]
    assert len(ch8) == 4 and all(r.peer.startswith("chapter 6 (unconditional)") for r in ch8)
    assert {r.variant for r in ch8} == {"one-hot", "embedding"}
    for r in ch8:  # chapter 6's best check up to as many images, and its check there
        track = results.chapter6_track(r.framework.lower())
        steps = 16_000  # chapter 8's STEPS, at chapter 6's batch of 64
        best = min(fd for step, fd in track.items() if step <= steps)
        assert r.peer.endswith(f"best {best:.1f} · last {track[steps]:.1f}")
        # chapter 8's own checks grade validation images, not the test images of chapter 6's
        assert "this run's last check" not in r.peer


def test_fd_ratios_show_the_range_of_their_splits():
    """Two decimals hide how far one split of the reference moves a ratio (#31 item 8)."""
    rows = [r for r in results.read_all() if r.verdict and r.metric.startswith("FD / baseline")]
    with_splits = [r for r in rows if r.spread]
    assert {r.notebook for r in with_splits} >= {
        f"chapters/{c}_{f}.ipynb"
        for c in ("05_mlp_mnist", "06_dcgan", "08_conditional")
        for f in ("pytorch", "tensorflow")
    }
    for r in with_splits:
        lo, hi = map(float, r.spread.removeprefix("splits ").split("–"))
        assert lo <= float(r.value) <= hi
    for r in (r for r in with_splits if r.variant):  # each style's own report, not the other's
        report = next(
            line
            for line in results.stored_lines(ROOT / r.notebook)
            if line.startswith(f"{r.variant}: ") and "(splits: " in line
        )
        assert (
            f"ratio {r.value} (splits: {r.spread.removeprefix('splits ')})".replace("–", "-")
            in report
        )


def test_only_the_best_style_is_marked_asserted():
    ch8 = [r for r in results.read_all() if "08_conditional" in r.notebook]
    assert {r.asserted for r in ch8 if r.variant == "one-hot"} == {results.ASSERTED}
    assert {r.asserted for r in ch8 if r.variant == "embedding"} == {results.PRINTED}


def test_relative_targets_name_their_reference():
    """Chapter 10 aims at 1.5x below chapter 6 at as many images: the page says so, with the
    number of chapter 6's stored track there."""
    for framework in ("pytorch", "tensorflow"):
        (row,) = _rows(f"chapters/10_stabilising_{framework}.ipynb")
        m = re.fullmatch(r"([\d.]+)× below chapter 6's ([\d.]+) at (\d+)k images", row.reference)
        assert m, row.reference
        steps = int(m[3]) * 1000 // 64
        assert float(m[2]) == results.chapter6_track(framework)[steps]
        assert abs(float(row.target) * float(m[1]) - float(m[2])) < 0.1
    assert all(not r.reference for r in results.read_all() if "10_stabilising" not in r.notebook)


def test_bars_and_targets_are_rounded():
    assert results.rounded("36.4667") == "36.5"
    assert [results.rounded(x) for x in ("0.08", "12", "0.95", "35.5")] == [
        "0.08",
        "12",
        "0.95",
        "35.5",
    ]
    for r in results.read_all():
        for cell in (results.bar_cell(r), results.target_cell(r)):
            assert not re.search(r"\d\.\d{3}", cell.split(" (")[0]), cell


def _table_rows(page: Path) -> list[list[str]]:
    """The text of each cell of each body row of the page's tables."""
    rows = []
    for body in re.findall(r"<tbody>(.*?)</tbody>", page.read_text(), flags=re.S):
        for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S):
            cells = re.findall(r"<td[^>]*>(.*?)</td>", tr, flags=re.S)
            text = [html.unescape(re.sub(r"<[^>]*>", "", c)).replace("\u2019", "'") for c in cells]
            rows.append([" ".join(t.split()) for t in text])  # Sphinx curls the apostrophes
    return rows


def test_the_built_page_shows_every_row():
    shown = _table_rows(build_book().html / "book" / "results.html")
    rows = results.read_all()
    assert len(shown) == len(rows)
    previous = None
    for cells, r in zip(shown, rows):
        if r.notebook != previous:  # the first row of each chapter names it and its run
            assert cells[0] == f"{r.chapter}, {r.framework}" and cells[7] == results.run(r)
        else:
            assert cells[0] == "" and cells[7] == ""
        previous = r.notebook
        assert cells[1].endswith(r.metric) and cells[2] == results.result_cell(r)
        sign = "≤" if r.sign == "<=" else "≥"
        assert cells[3] == (
            f"{sign} {results.rounded(r.bar)} " + "✗✓"[r.bar_met] if r.sign else "—"
        )
        assert cells[4].startswith(
            f"{sign} {results.rounded(r.target)} " + "✗✓"[r.target_reached] if r.target else "—"
        )
        assert cells[5] == r.asserted
    assert "chapter 6's 54.7" in " ".join(" ".join(c) for c in shown)  # chapter 10's reference


def _notebook(path: Path, outputs: list) -> str:
    """A notebook whose one cell printed the strings and displayed the records of ``outputs``."""
    write_notebook(path, [o + "\n" if isinstance(o, str) else o for o in outputs])
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


SUMMARY = RunSummary("full", "cpu (2 cores, x86_64)", 12.5, {"python": "3.11.7"})
VERDICT = Verdict("FD / baseline", 9.1, 12, 8)


@pytest.mark.parametrize(
    "outputs, message",
    [
        ([VERDICT], "no full-profile run summary"),
        ([VERDICT, RunSummary("smoke", "cpu", 1.0)], "no full-profile run summary"),
        ([SUMMARY], "stores no verdict"),
        ([str(VERDICT), SUMMARY], "stores no verdict"),  # printed, not displayed: no data
    ],
)
def test_a_chapter_without_what_the_page_needs_is_named(tmp_path, monkeypatch, outputs, message):
    monkeypatch.setattr(results, "ROOT", tmp_path)
    _notebook(tmp_path / "ch.ipynb", outputs)
    with pytest.raises(results.ResultsError, match=message):
        results.read_chapter("ch.ipynb", "x", "NumPy")


def test_a_stored_line_that_its_data_does_not_print_is_named(tmp_path, monkeypatch):
    monkeypatch.setattr(results, "ROOT", tmp_path)
    _notebook(tmp_path / "ch.ipynb", [VERDICT, SUMMARY])
    nb = nbformat.read(tmp_path / "ch.ipynb", as_version=4)
    nb.cells[0].outputs[0].data["text/plain"] = str(VERDICT).replace("9.10", "7.10")
    nbformat.write(nb, tmp_path / "ch.ipynb")
    with pytest.raises(results.ResultsError, match="cell 0: the stored line"):
        results.read_chapter("ch.ipynb", "x", "NumPy")


def test_device_names_are_shortened():
    assert results.short_device("cpu (2 cores, x86_64) torch_threads=2") == "CPU, 2 cores"
    assert results.short_device("/CPU:0 cpu (2 cores, x86_64)") == "CPU, 2 cores"
    assert results.short_device("cuda:0 (NVIDIA H200) torch_threads=16") == "NVIDIA H200"


def test_variants_and_values_are_read(tmp_path, monkeypatch):
    monkeypatch.setattr(results, "ROOT", tmp_path)
    a, b = (Verdict(**{**VERDICT.__dict__, "variant": v, "asserted": v == "a"}) for v in "ab")
    _notebook(tmp_path / "ch.ipynb", ["a (best):", a, "b:", b, SUMMARY])
    rows = results.read_chapter("ch.ipynb", "x", "NumPy")
    assert [(r.variant, r.value, r.bar, r.target_reached, r.asserted) for r in rows] == [
        ("a", "9.10", "12", False, results.ASSERTED),
        ("b", "9.10", "12", False, results.PRINTED),
    ]
    assert rows[0].wall_s == 12.5 and rows[0].device == "cpu (2 cores, x86_64)"
