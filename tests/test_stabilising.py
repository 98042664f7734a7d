"""Chapter 10 (TensorFlow) quotes the PyTorch chapter's stored run: its recipe and its numbers.

The TensorFlow notebook does not choose its combined recipe again; it runs the one the PyTorch
notebook's rule chose, and sets its results beside the PyTorch means it quotes. Both quotes
must be what the PyTorch notebook's stored outputs printed.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

from tests.repo_modules import load

ROOT = Path(__file__).resolve().parents[1]
PYTORCH_NB = ROOT / "chapters/10_stabilising_pytorch.ipynb"
TENSORFLOW_NB = ROOT / "chapters/10_stabilising_tensorflow.ipynb"
chapter_code = load("chapter_code")


def _pytorch_text() -> str:
    cells = json.loads(PYTORCH_NB.read_text(encoding="utf-8"))["cells"]
    return "\n".join(
        "".join(output.get("text", "")) for cell in cells for output in cell.get("outputs", [])
    )


def _assigned(name: str) -> ast.expr:
    """The expression assigned to ``name`` at the top level of a code cell of the TF chapter."""
    return chapter_code.assignment(TENSORFLOW_NB, name)


def _call_keywords(call: ast.expr) -> dict:
    assert isinstance(call, ast.Call), ast.dump(call)
    return {k.arg: ast.literal_eval(k.value) for k in call.keywords}


def test_tensorflow_runs_the_combination_the_pytorch_rule_chose():
    printed = re.search(r"^combined: .* \| (Recipe\(.*\))$", _pytorch_text(), re.M)
    assert printed, "the PyTorch notebook printed no combined recipe"
    chosen = _call_keywords(ast.parse(printed.group(1), mode="eval").body)
    assert chosen.pop("ema") is False, "the TensorFlow chapter has no EMA switch"
    assert _call_keywords(_assigned("COMBINED")) == chosen


def test_tensorflow_quotes_the_pytorch_means_it_prints_beside_its_own():
    table = dict(
        (name.strip(), float(ratio))
        for name, ratio in re.findall(
            r"^\s*(\S.*?)\s+([\d.]+) \(\s*[\d.]+-\s*[\d.]+\)", _pytorch_text(), re.M
        )
    )
    quoted = ast.literal_eval(_assigned("PYTORCH_FD_RATIO"))
    assert quoted, "PYTORCH_FD_RATIO is empty"
    assert quoted == {name: table[name] for name in quoted}
