"""Sphinx extension: references that cannot resolve in an offline build become plain names.

The book builds with nitpicky references (``-n``) and without intersphinx (no network), so two
kinds of Python references that autodoc writes would fail the build although nothing is wrong:

* the standard library (``pathlib.Path``, ``typing.Any``, ``:mod:`pickle```): Python's own
  documentation is not reachable. A reference whose top-level module is in
  ``sys.stdlib_module_names`` is shown as a plain name.
* type variables of a ``companion`` module (``companion.settings.T`` in
  ``choose(full: T, smoke: T) -> T``): private helpers without a page of their own. A reference
  is shown as a plain name only when its target really is a ``typing.TypeVar``.

Every other broken reference, in particular into ``companion`` itself, still fails the build.
Third-party packages (numpy, torch, ...) are listed in ``nitpick_ignore_regex`` in _config.yml.
"""

from __future__ import annotations

import importlib
import sys
from typing import TypeVar

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment


def is_standard_library(target: str) -> bool:
    """True when ``target`` (e.g. ``"pathlib.Path"``) lies in Python's standard library."""
    return target.split(".", 1)[0] in sys.stdlib_module_names


def is_companion_typevar(target: str) -> bool:
    """True when ``target`` (e.g. ``"companion.settings.T"``) names a TypeVar of companion."""
    module_name, _, name = target.rpartition(".")
    if not (module_name == "companion" or module_name.startswith("companion.")):
        return False
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return False
    return isinstance(getattr(module, name, None), TypeVar)


def _resolve_offline(
    app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: nodes.Element
) -> nodes.Element | None:
    target = node.get("reftarget", "")
    if node.get("refdomain") == "py" and (
        is_standard_library(target) or is_companion_typevar(target)
    ):
        return contnode
    return None


def setup(app: Sphinx) -> dict[str, object]:
    app.connect("missing-reference", _resolve_offline)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
