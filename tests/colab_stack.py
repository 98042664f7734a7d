"""What a chapter has on Colab: the preinstalled distributions (tests/colab_preinstalled.txt) and
what the chapter's first cell installs (companion, its dependencies and the extras it names)."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PREINSTALLED = Path(__file__).with_name("colab_preinstalled.txt")


def colab_preinstalled() -> dict[str, str]:
    """Colab's preinstalled distributions, ``{canonical name: version}`` (plus ``"python"``)."""
    found = {}
    for line in PREINSTALLED.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            found[canonicalize_name(name)] = version.strip()
    return found


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def install_cell_arguments(source: str) -> list[str]:
    """The requirement arguments of the ``pip install`` in a Colab setup cell (options dropped)."""
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "run"
        ):
            if node.args and isinstance(node.args[0], ast.List):
                words = [
                    e.value
                    for e in node.args[0].elts
                    if isinstance(e, ast.Constant) and isinstance(e.value, str)
                ]
                if "install" in words:
                    after = words[words.index("install") + 1 :]
                    return [word for word in after if not word.startswith("-")]
    return []


def installed_by_cell(source: str) -> set[str]:
    """Canonical names of the distributions the install cell brings: companion's dependencies and
    those of the extras it names (``gan-book-companion[onnx] @ git+...``; a bare ``git+`` URL
    names none)."""
    meta = project()
    companion = canonicalize_name(meta["name"])
    provided = set()
    for argument in install_cell_arguments(source):
        if argument.startswith("git+"):
            name, extras = companion, set()
        else:
            requirement = Requirement(argument)
            name, extras = canonicalize_name(requirement.name), requirement.extras
        provided.add(name)
        if name == companion:
            deps = meta["dependencies"] + [
                dep for extra in extras for dep in meta["optional-dependencies"][extra]
            ]
            provided |= {canonicalize_name(Requirement(dep).name) for dep in deps}
    return provided
