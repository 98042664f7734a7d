"""What a chapter has on Colab: the preinstalled distributions (tests/colab_preinstalled.txt) and
what the chapter's first cell installs (companion, its dependencies and the extras it names).

The install cells are the one source of truth for which chapter installs which extra
(:func:`extras_by_chapter`); the pages that describe them (book/preface.md, README.md,
book/testing.md) are checked against the sentences :func:`install_sentences` derives from them."""

from __future__ import annotations

import ast
import importlib.metadata
import tomllib
from pathlib import Path

import jupytext
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PREINSTALLED = Path(__file__).with_name("colab_preinstalled.txt")

#: Distributions that pip must never install on Colab: Colab ships CUDA builds of them, and a copy
#: from PyPI replaces them (a torchvision wheel pins the torch it was built with). An extra whose
#: packages depend on one of them works only where Colab preinstalls it at a version they admit.
FRAMEWORK_STACK = frozenset(
    {"torch", "torchvision", "torchaudio", "tensorflow", "keras", "jax", "jaxlib"}
)

#: The requirements of an extra's distribution that is not installed on the project's machines
#: (they do without torchvision, so without pytorch-fid). Source: pytorch-fid's setup.py,
#: install_requires, https://github.com/mseitzer/pytorch-fid at commit 04740914ff6b9c0b (1.0.0;
#: PyPI's 0.3.0 lists the same five, with lower bounds far below Colab's versions). Where the
#: distribution is installed, its own metadata is read instead.
RECORDED_REQUIREMENTS = {"pytorch-fid": ("numpy", "pillow", "scipy", "torch", "torchvision")}


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


def _cell_requirements(source: str) -> list[tuple[str, set[str]]]:
    """``(canonical name, extras)`` of each distribution the install cell names (a bare ``git+``
    URL is companion without extras)."""
    companion = canonicalize_name(project()["name"])
    named = []
    for argument in install_cell_arguments(source):
        if argument.startswith("git+"):
            named.append((companion, set()))
        else:
            requirement = Requirement(argument)
            named.append((canonicalize_name(requirement.name), set(requirement.extras)))
    return named


def installed_by_cell(source: str) -> set[str]:
    """Canonical names of the distributions the install cell brings: companion's dependencies and
    those of the extras it names (``gan-book-companion[onnx] @ git+...``; a bare ``git+`` URL
    names none)."""
    meta = project()
    companion = canonicalize_name(meta["name"])
    provided = set()
    for name, extras in _cell_requirements(source):
        provided.add(name)
        if name == companion:
            deps = meta["dependencies"] + [
                dep for extra in extras for dep in meta["optional-dependencies"][extra]
            ]
            provided |= {canonicalize_name(Requirement(dep).name) for dep in deps}
    return provided


def first_code_cell(md: Path) -> str:
    """The source of the chapter's first code cell (its Colab install cell)."""
    return next(c.source for c in jupytext.read(md).cells if c.cell_type == "code")


def extras_by_chapter() -> dict[str, set[str]]:
    """``{chapter stem: the companion extras its install cell names}``, every chapter."""
    companion = canonicalize_name(project()["name"])
    found = {}
    for md in sorted((ROOT / "chapters").glob("*.md")):
        named = _cell_requirements(first_code_cell(md))
        found[md.stem] = set().union(*(extras for name, extras in named if name == companion))
    return found


def _chapter_list(stems: list[str]) -> str:
    """``["04_one_hot_pytorch", "07_saving_pytorch"]`` -> ``"chapters 4 and 7 (PyTorch)"``: the
    framework is named when every chapter listed is one framework's version of a pair."""
    numbers = list(dict.fromkeys(str(int(stem[:2])) for stem in stems))
    words = numbers[0] if len(numbers) == 1 else ", ".join(numbers[:-1]) + " and " + numbers[-1]
    frameworks = {stem.rsplit("_", 1)[-1] for stem in stems}
    name = {"pytorch": "PyTorch", "tensorflow": "TensorFlow"}.get(frameworks.pop(), "")
    framework = f" ({name})" if name and not frameworks else ""
    return f"chapter{'s' if len(stems) > 1 else ''} {words}{framework}"


def install_sentences(by_chapter: dict[str, set[str]] | None = None) -> set[str]:
    """One phrase per extra that some install cell names, e.g. ``"chapters 4 and 7 (PyTorch)
    install `gan-book-companion[onnx]`"``; the pages that describe the install cells say each."""
    by_chapter = extras_by_chapter() if by_chapter is None else by_chapter
    extras = sorted(set().union(*by_chapter.values()))
    sentences = set()
    for extra in extras:
        stems = sorted(stem for stem, named in by_chapter.items() if extra in named)
        verb = "install" if len(stems) > 1 else "installs"
        sentences.add(f"{_chapter_list(stems)} {verb} `gan-book-companion[{extra}]`")
    return sentences


def requirements_of(distribution: str) -> list[Requirement]:
    """What ``distribution`` requires (extras-only requirements left out): its metadata where it
    is installed, else :data:`RECORDED_REQUIREMENTS`."""
    try:
        declared = importlib.metadata.requires(distribution) or []
    except importlib.metadata.PackageNotFoundError:
        name = canonicalize_name(distribution)
        assert name in RECORDED_REQUIREMENTS, (
            f"{distribution} is not installed here: record what it requires in "
            "RECORDED_REQUIREMENTS (tests/colab_stack.py), with its source"
        )
        declared = list(RECORDED_REQUIREMENTS[name])
    requirements = [Requirement(line) for line in declared]
    return [r for r in requirements if r.marker is None or r.marker.evaluate({"extra": ""})]


def extra_problems(colab: dict[str, str], extras: dict[str, list[str]] | None = None) -> list[str]:
    """Where an extra (``extras``, by default pyproject.toml's) needs a framework distribution,
    itself or through one of its packages, that ``colab`` (name -> version) lacks or has at a
    version it does not admit."""
    extras = project()["optional-dependencies"] if extras is None else extras
    problems = []
    for extra, lines in extras.items():
        for line in lines:
            package = Requirement(line)
            name = canonicalize_name(package.name)
            # a framework package is judged by itself; Colab's build brings what it requires
            inner = [] if name in FRAMEWORK_STACK else requirements_of(package.name)
            for need in [package, *inner]:
                name = canonicalize_name(need.name)
                if name not in FRAMEWORK_STACK:
                    continue  # pip installs it beside Colab's stack, as the install cell asks
                through = "" if need is package else f" (through {package.name})"
                where = f"the `{extra}` extra needs {need}{through}"
                if name not in colab:
                    problems.append(
                        f"{where}, which Colab does not preinstall (tests/colab_preinstalled.txt): "
                        "pip would install it from PyPI and replace Colab's framework build"
                    )
                elif not need.specifier.contains(colab[name], prereleases=True):
                    problems.append(f"{where}, and Colab has {colab[name]}: pip would replace it")
    return problems
