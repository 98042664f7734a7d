"""Packaging: Colab installs companion without reinstalling its frameworks, the ranges in
requirements.txt admit what Colab preinstalls (tests/colab_preinstalled.txt), and building the
package prints no setuptools warning and ships the quality classifier's weights and the stored
peer runs."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
import setuptools
from packaging.requirements import Requirement
from packaging.version import Version

from tests.colab_stack import colab_preinstalled

ROOT = Path(__file__).resolve().parents[1]
FRAMEWORKS = {"torch", "tensorflow", "tensorflow-cpu", "keras", "jax", "jaxlib", "torchvision"}
COLAB = {
    name: colab_preinstalled()[name]
    for name in ("torch", "tensorflow", "keras", "numpy", "matplotlib")
}


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def test_companion_declares_no_framework_dependency():
    names = {Requirement(dep).name.lower() for dep in _project()["dependencies"]}
    assert not names & FRAMEWORKS, (
        f"companion must not depend on {names & FRAMEWORKS}: Colab would reinstall them"
    )


def test_companion_supports_colab_python():
    assert Requirement("x" + _project()["requires-python"]).specifier.contains(
        colab_preinstalled()["python"]
    )


def test_requirement_ranges_admit_colab_versions():
    lines = [
        line.split("#")[0].strip() for line in (ROOT / "requirements.txt").read_text().splitlines()
    ]
    reqs = {}
    for line in lines:
        if line and not line.startswith("-"):
            req = Requirement(line)
            reqs[req.name.lower()] = req
    reqs.setdefault(
        "tensorflow",
        Requirement(re.sub("^tensorflow-cpu", "tensorflow", str(reqs["tensorflow-cpu"]))),
    )
    for name, version in COLAB.items():
        assert reqs[name].specifier.contains(version), (
            f"requirements.txt: {reqs[name]} excludes Colab's {name} {version}"
        )


def _build_system_setuptools() -> Requirement:
    build = tomllib.loads((ROOT / "pyproject.toml").read_text())["build-system"]["requires"]
    return next(Requirement(r) for r in build if Requirement(r).name == "setuptools")


def test_wheel_builds_without_warnings_and_ships_the_weights(tmp_path: Path):
    """What `pip install .` does, offline: setuptools' build backend on a copy of the sources,
    with the setuptools of this environment (it must satisfy [build-system] requires)."""
    if not _build_system_setuptools().specifier.contains(setuptools.__version__):
        pytest.skip(
            f"setuptools {setuptools.__version__} here; "
            f"pyproject.toml wants {_build_system_setuptools()}"
        )
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "companion", source / "companion", ignore=shutil.ignore_patterns("__pycache__")
    )
    out = tmp_path / "dist"
    build = "from setuptools import build_meta; print(build_meta.build_wheel(%r))" % str(out)
    result = subprocess.run(
        [sys.executable, "-W", "always", "-c", build], cwd=source, capture_output=True, text=True
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    # Python warnings print as "...Warning: message"; distutils' own "warning: build_py:
    # byte-compiling is disabled" notes are lowercase and harmless.
    warnings = [line for line in log.splitlines() if re.search(r"[A-Za-z_]*Warning\b", line)]
    assert not warnings, "building the wheel warns:\n" + "\n".join(warnings)
    wheel = next(out.glob("*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("weights", "peer_results"):  # the classifier, the stored peer runs
        for data_file in sorted((ROOT / "companion" / folder).iterdir()):
            assert f"companion/{folder}/{data_file.name}" in names, (
                f"the wheel lacks companion/{folder}/{data_file.name}"
            )
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    assert "License-Expression: MIT" in zipfile.ZipFile(wheel).read(metadata).decode()


def test_build_system_setuptools_supports_spdx_license():
    # `license = "MIT"` (an SPDX expression) needs setuptools 77 or newer
    found = re.findall(r">=\s*([\d.]+)", str(_build_system_setuptools()))
    assert found and all(Version(v) >= Version("77") for v in found), (
        "[build-system] must require setuptools>=77"
    )
    assert isinstance(_project()["license"], str), (
        "project.license as a TOML table is deprecated: use an SPDX string"
    )
