"""Colab: every chapter runs top to bottom after its first cell. Each third-party module a chapter
imports (in its cells, or in code it hands to a fresh Python process as a string) and each module
it needs without importing it (torch.onnx.export needs onnx and onnxscript) must be preinstalled
on Colab (tests/colab_preinstalled.txt) or installed by the chapter's first cell: companion, its
dependencies and the extras the cell names, read from pyproject.toml. An extra must not need a
framework distribution (torch, torchvision, ...) that Colab lacks: pip would replace Colab's build.
The pages that tell readers what the install cells install say what the cells say."""

from __future__ import annotations

import ast
import functools
import importlib.metadata
import re
import sys
import textwrap
from pathlib import Path

import jupytext
import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.colab_stack import (
    ROOT,
    colab_preinstalled,
    extra_problems,
    extras_by_chapter,
    install_sentences,
    installed_by_cell,
    project,
)

MD = sorted((ROOT / "chapters").glob("*.md"))

# import name -> distribution name, where they differ and the distribution may be absent here
IMPORT_TO_DISTRIBUTION = {
    "IPython": "ipython",
    "PIL": "pillow",
    "yaml": "pyyaml",
    "sklearn": "scikit-learn",
}


def _calls(tree: ast.AST, dotted: str):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and ast.unparse(node.func) == dotted:
            yield node


def modules_needed(source: str) -> set[str]:
    """Top-level third-party modules that `source` (Python code) needs at run time."""
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    tree = ast.parse("\n".join(lines))
    needed = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            needed |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            needed.add(node.module.split(".")[0])
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and "import " in node.value
        ):
            # code handed to another interpreter as a string (chapter 7 loads artifacts that way)
            try:
                needed |= modules_needed(textwrap.dedent(node.value))
            except SyntaxError:
                pass
    for call in _calls(tree, "torch.onnx.export"):
        dynamo = {kw.arg: kw.value for kw in call.keywords}.get("dynamo")
        # the dynamo exporter (the default since torch 2.9) imports onnxscript and onnx on first use
        if not (isinstance(dynamo, ast.Constant) and dynamo.value is False):
            needed |= {"onnx", "onnxscript"}
    return {name for name in needed if name not in sys.stdlib_module_names and name != "companion"}


@functools.cache
def _installed_here() -> dict[str, list[str]]:
    return importlib.metadata.packages_distributions()


def distributions_for(module: str) -> set[str]:
    """Distribution names that may provide `module` (any one of them will do)."""
    names = {canonicalize_name(module)}
    if module in IMPORT_TO_DISTRIBUTION:
        names.add(canonicalize_name(IMPORT_TO_DISTRIBUTION[module]))
    names |= {canonicalize_name(d) for d in _installed_here().get(module, [])}
    return names


def _code_cells(md: Path) -> list[str]:
    return [cell.source for cell in jupytext.read(md).cells if cell.cell_type == "code"]


def test_colab_list_names_the_frameworks():
    colab = colab_preinstalled()
    for name in ("python", "torch", "torchvision", "tensorflow", "keras", "numpy", "matplotlib"):
        assert name in colab, f"tests/colab_preinstalled.txt lacks {name}"
    assert not {"onnx", "onnxscript", "onnxruntime"} & set(colab), (
        "Colab does not preinstall the ONNX stack"
    )


def test_extras_find_their_framework_on_colab():
    problems = extra_problems(colab_preinstalled())
    assert not problems, "\n".join(problems)


def test_the_extra_check_can_fail():
    colab = colab_preinstalled()
    without = {name: version for name, version in colab.items() if name != "torchvision"}
    assert extra_problems(without, {"inception": ["pytorch-fid>=0.3"]}) == [
        "the `inception` extra needs torchvision (through pytorch-fid), which Colab does not "
        "preinstall (tests/colab_preinstalled.txt): pip would install it from PyPI and replace "
        "Colab's framework build"
    ]
    assert extra_problems(colab, {"new": ["torchvision>=99"]}) == [
        f"the `new` extra needs torchvision>=99, and Colab has {colab['torchvision']}: pip would "
        "replace it"
    ]
    assert extra_problems(colab, {"fine": ["onnx>=1.16", "torch>=2.4"]}) == []


#: the pages that tell a reader what a chapter's install cell installs
PAGES = ("book/preface.md", "README.md", "book/testing.md")
INSTALL_SENTENCE = re.compile(
    r"chapters? [\d, and]+?(?: \((?:PyTorch|TensorFlow)\))? installs? `gan-book-companion\[\w+\]`"
)


@pytest.mark.parametrize("page", PAGES)
def test_pages_say_which_chapters_install_which_extra(page: str):
    text = " ".join((ROOT / page).read_text(encoding="utf-8").split())
    said, truth = set(INSTALL_SENTENCE.findall(text)), install_sentences()
    assert said == truth, (
        f"{page} must say exactly what the install cells install (their first code cells): "
        f"missing {sorted(truth - said)}, stale {sorted(said - truth)}"
    )
    stale = re.search(r"installs? [^.]*\band nothing else\b", text)
    assert not stale, f"{page}: {stale[0]!r}, but some install cells ask for extras"


def test_install_sentences_follow_the_cells():
    cells = {
        "03_shape_2d_pytorch": set(),
        "04_one_hot_pytorch": {"onnx"},
        "04_one_hot_tensorflow": set(),
        "07_saving_pytorch": {"onnx"},
        "09_evaluating": {"inception"},
    }
    assert install_sentences(cells) == {
        "chapters 4 and 7 (PyTorch) install `gan-book-companion[onnx]`",
        "chapter 9 installs `gan-book-companion[inception]`",
    }
    cells["05_mlp_mnist_tensorflow"] = {"onnx"}
    assert "chapters 4, 5 and 7 install `gan-book-companion[onnx]`" in install_sentences(cells)
    assert extras_by_chapter()["01_what_is_a_gan"] == set()


def test_the_colab_imitation_installs_colabs_frameworks_and_each_cells_extras():
    recipe = (ROOT / "book/testing.md").read_text(encoding="utf-8").split("## Imitating Colab")[1]
    colab = colab_preinstalled()
    for name in ("torch", "torchvision", "tensorflow", "keras"):
        minor = ".".join(colab[name].split(".")[:2])
        assert f'"{name}=={minor}.*"' in recipe, (
            f"book/testing.md's Colab imitation must install {name}=={minor}.* "
            "(Colab's version, tests/colab_preinstalled.txt)"
        )
    assert '"/tmp/colabclone$extras"' in recipe, (
        "the imitation must install, before each chapter, companion with the extras that "
        "chapter's first cell names"
    )


def test_modules_needed_sees_imports_strings_and_the_onnx_exporter():
    source = textwrap.dedent('''
        import numpy as np, os
        from scipy.stats import norm
        %matplotlib inline
        LOADER = """
        import onnxruntime as ort
        """
        torch.onnx.export(model, args, "g.onnx", dynamo=True)
        torch.onnx.export(model, args, "g.onnx", dynamo=False)
    ''')
    assert modules_needed(source) == {"numpy", "scipy", "onnxruntime", "onnx", "onnxscript"}
    assert modules_needed('torch.onnx.export(m, a, "g.onnx", dynamo=False)') == set()


@pytest.mark.parametrize("md", MD, ids=lambda p: p.name)
def test_chapter_needs_only_what_colab_has_or_its_install_cell_installs(md: Path):
    cells = _code_cells(md)
    colab = set(colab_preinstalled())
    installed = installed_by_cell(cells[0])
    assert installed, f"{md.name}: the first code cell installs nothing"
    needed = set().union(*(modules_needed(cell) for cell in cells))
    missing = sorted(m for m in needed if not distributions_for(m) & (colab | installed))
    assert not missing, (
        f"{md.name} needs {missing}, which Colab does not preinstall "
        "(tests/colab_preinstalled.txt) "
        f"and its install cell does not install (it brings {sorted(installed)}): add an extra to "
        "pyproject.toml and name it in the cell, e.g. `gan-book-companion[onnx] @ git+...`"
    )


@pytest.mark.parametrize("module", sorted((ROOT / "companion").glob("*.py")), ids=lambda p: p.name)
def test_companion_needs_only_its_dependencies_or_colab(module: Path):
    meta = project()
    declared = [
        *meta["dependencies"],
        *(d for deps in meta["optional-dependencies"].values() for d in deps),
    ]
    available = set(colab_preinstalled()) | {
        canonicalize_name(Requirement(d).name) for d in declared
    }
    missing = sorted(
        m for m in modules_needed(module.read_text()) if not distributions_for(m) & available
    )
    assert not missing, f"companion/{module.name} imports {missing}: declare them in pyproject.toml"
