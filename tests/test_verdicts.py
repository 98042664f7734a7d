"""companion.verdicts: verdicts and run summaries as lines and as data, and reading them back."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from companion import settings, verdicts
from companion.verdicts import RUN_MIME, VERDICT_MIME, RunSummary, Verdict
from tests.notebook_files import write_notebook


def _notebook(tmp_path, *outputs) -> Path:
    return write_notebook(tmp_path / "run.ipynb", list(outputs))


def test_a_verdict_prints_its_line_and_carries_its_numbers():
    v = Verdict("worst class accuracy", 0.4, 0.5, 0.85, lower_is_better=False, fmt=".3f")
    assert str(v) == "worst class accuracy 0.400: bar >= 0.5 NOT met; target >= 0.85 not reached"
    data, metadata = v._repr_mimebundle_()
    assert data == {"text/plain": str(v)} and metadata[VERDICT_MIME]["value"] == 0.4
    assert Verdict.from_json(json.loads(json.dumps(metadata[VERDICT_MIME]))) == v


def test_a_variant_line_is_indented_under_its_header_and_may_be_printed_only():
    v = Verdict("FD / baseline", 8.8, 12, 8, variant="embedding", asserted=False, spread=(7, 11))
    assert v.text() == "  " + v.line() and v.spread == (7.0, 11.0)
    assert Verdict.from_json(json.loads(json.dumps(v.to_json()))) == v


def test_a_run_summary_is_the_report_line_and_its_facts():
    report = settings.RunReport("cpu (2 cores, x86_64)")
    summary = report.summary(steps=40, data="mnist train")
    line = str(summary)
    assert line.startswith(f"profile={report.profile} device=cpu (2 cores, x86_64) wall=")
    assert line.endswith(" steps=40 data=mnist train") and "python=" in line
    assert summary.facts == {"steps": 40, "data": "mnist train"}
    assert RunSummary.from_json(json.loads(json.dumps(summary.to_json()))) == summary


def test_read_notebook_returns_the_stored_data_in_order(tmp_path):
    a = Verdict("FD / baseline", 5.35, 12, 8)
    b = Verdict("largest class share", 0.11, 0.13, 0.11, fmt=".3f")
    run = RunSummary("full", "cpu", 12.5, {"python": "3.11"}, {"steps": 3})
    stored = verdicts.read_notebook(_notebook(tmp_path, a, b, run))
    assert stored.verdicts == [a, b] and stored.run == run


def test_read_notebook_refuses_a_line_that_its_data_does_not_print(tmp_path):
    path = _notebook(tmp_path, Verdict("FD / baseline", 5.35, 12, 8))
    nb = json.loads(path.read_text())
    nb["cells"][0]["outputs"][0]["data"]["text/plain"] = "FD / baseline 4.00: bar <= 12 met; ..."
    path.write_text(json.dumps(nb))
    with pytest.raises(ValueError, match="cell 0: the stored line .* rerun the cell"):
        verdicts.read_notebook(path)


def test_read_notebook_names_a_file_that_is_not_a_notebook(tmp_path):
    path = tmp_path / "broken.ipynb"
    path.write_text("{not json")
    with pytest.raises(ValueError, match="broken.ipynb is not a readable notebook"):
        verdicts.read_notebook(path)
    with pytest.raises(ValueError, match="not a readable notebook"):
        verdicts.read_notebook(tmp_path / "missing.ipynb")


def test_the_mime_types_are_distinct_vendor_json_types():
    assert VERDICT_MIME != RUN_MIME
    assert all(
        m.startswith("application/vnd.gan-book.") and m.endswith("+json")
        for m in (VERDICT_MIME, RUN_MIME)
    )


NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "chapters").glob("*.ipynb"))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_stored_chapter_holds_its_run_as_data_that_agrees_with_its_lines(notebook):
    stored = verdicts.read_notebook(notebook)  # raises where a line and its data disagree
    assert stored.run is not None and stored.run.profile == "full", (
        f"{notebook.name}: no full-profile run summary stored as data; end the chapter with "
        "display(report.summary(...)) and rerun it with `make execute`"
    )
    assert stored.run.wall_s > 0 and stored.run.versions.get("python")
    for cell in json.loads(notebook.read_text())["cells"]:
        for out in cell.get("outputs", []):
            text = "".join(out.get("text", ""))  # streams: what was printed, not displayed
            summary = re.search(r"^profile=\w+ device=.* wall=", text, re.M)
            assert not summary, f"{notebook.name}: a run summary printed without its data"
