"""Packaging: Colab installs companion without reinstalling its frameworks, and the ranges in
requirements.txt admit what Colab preinstalls (late 2026: torch 2.11, tensorflow 2.20, keras 3.13)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
FRAMEWORKS = {"torch", "tensorflow", "tensorflow-cpu", "keras", "jax", "jaxlib", "torchvision"}
COLAB = {"torch": "2.11.0", "tensorflow": "2.20.0", "keras": "3.13.0", "numpy": "2.0.2", "matplotlib": "3.10.0"}


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def test_companion_declares_no_framework_dependency():
    names = {Requirement(dep).name.lower() for dep in _project()["dependencies"]}
    assert not names & FRAMEWORKS, f"companion must not depend on {names & FRAMEWORKS}: Colab would reinstall them"


def test_companion_supports_colab_python():
    assert Requirement("x" + _project()["requires-python"]).specifier.contains("3.13")


def test_requirement_ranges_admit_colab_versions():
    lines = [line.split("#")[0].strip() for line in (ROOT / "requirements.txt").read_text().splitlines()]
    reqs = {}
    for line in lines:
        if line and not line.startswith("-"):
            req = Requirement(line)
            reqs[req.name.lower()] = req
    reqs.setdefault("tensorflow", Requirement(re.sub("^tensorflow-cpu", "tensorflow", str(reqs["tensorflow-cpu"]))))
    for name, version in COLAB.items():
        assert reqs[name].specifier.contains(version), f"requirements.txt: {reqs[name]} excludes Colab's {name} {version}"
