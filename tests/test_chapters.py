"""Structure of the chapters: jupytext pairs in sync, a Colab setup cell that matches _config.yml,
and every chapter listed in the table of contents."""

from __future__ import annotations

from pathlib import Path

import jupytext
import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.colab_stack import install_cell_arguments, project

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"
MD = sorted(CHAPTERS.glob("*.md"))
IPYNB = sorted(CHAPTERS.glob("*.ipynb"))
# what Colab has and the install cell must not reinstall (directly or through an extra)
COLAB_HAS = ("torch", "tensorflow", "keras", "matplotlib", "numpy")


def _cells(path: Path) -> list[tuple[str, str]]:
    return [(c.cell_type, c.source.strip()) for c in jupytext.read(path).cells]


def _repository_url() -> str:
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    return config["repository"]["url"].rstrip("/")


def test_there_are_chapters():
    assert MD, "no chapters/*.md found"


@pytest.mark.parametrize("path", MD + IPYNB, ids=lambda p: p.name)
def test_every_chapter_has_its_twin(path: Path):
    twin = path.with_suffix(".ipynb" if path.suffix == ".md" else ".md")
    assert twin.exists(), f"{path.name} has no twin {twin.name}: run `make sync`"


@pytest.mark.parametrize("md", MD, ids=lambda p: p.name)
def test_pair_is_in_sync(md: Path):
    nb = md.with_suffix(".ipynb")
    assert _cells(md) == _cells(nb), (
        f"{md.name} and {nb.name} differ: edit one, then run `make sync` (jupytext --sync)"
    )


@pytest.mark.parametrize("nb", IPYNB, ids=lambda p: p.name)
def test_first_code_cell_installs_companion_on_colab_only(nb: Path):
    code = [c for c in jupytext.read(nb).cells if c.cell_type == "code"]
    first = code[0].source
    assert '"google.colab" in sys.modules' in first, (
        f"{nb.name}: first code cell must be the Colab setup cell"
    )
    assert f"git+{_repository_url()}" in first, (
        f"{nb.name}: Colab cell must install from {_repository_url()}"
    )
    command = first.split("subprocess.run(", 1)[-1]
    assert '"pip", "install"' in command, f"{nb.name}: Colab cell must pip-install companion"
    arguments = install_cell_arguments(first)
    assert arguments, f"{nb.name}: Colab cell installs nothing"
    meta = project()
    for argument in arguments:
        # either the bare URL or `gan-book-companion[extra,...] @ git+URL`
        requirement = None if argument.startswith("git+") else Requirement(argument)
        url = argument if requirement is None else requirement.url
        assert url == f"git+{_repository_url()}", (
            f"{nb.name}: Colab cell installs {argument!r}, not companion from {_repository_url()}"
        )
        if requirement is not None:
            assert canonicalize_name(requirement.name) == canonicalize_name(meta["name"]), (
                f"{nb.name}: {argument!r}"
            )
            for extra in requirement.extras:
                assert extra in meta["optional-dependencies"], (
                    f"{nb.name}: companion has no extra {extra!r}"
                )
                names = {
                    Requirement(dep).name for dep in meta["optional-dependencies"][extra]
                } & set(COLAB_HAS)
                assert not names, (
                    f"{nb.name}: extra {extra!r} would reinstall {names}, which Colab has"
                )
    for other in COLAB_HAS:
        assert other not in command, (
            f"{nb.name}: Colab cell must install only companion, not {other}"
        )


def _toc_files(node) -> list[str]:
    found = []
    if isinstance(node, dict):
        if "file" in node:
            found.append(node["file"])
        for value in node.values():
            found += _toc_files(value)
    elif isinstance(node, list):
        for item in node:
            found += _toc_files(item)
    return found


def test_every_chapter_is_in_the_toc():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    listed = set(_toc_files(toc)) | {toc["root"]}
    for nb in IPYNB:
        assert f"chapters/{nb.stem}" in listed, f"{nb.name} is not in _toc.yml"
    for entry in listed:
        assert list(ROOT.glob(entry + ".*")), f"_toc.yml lists {entry}, which does not exist"
