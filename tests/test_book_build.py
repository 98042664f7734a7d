"""The book builds (warnings are errors, nitpicky references), and its API appendix documents every
public name of `companion`.

A public name is one listed in a module's ``__all__`` or, for a module without ``__all__``, a
function or class defined there whose name does not start with an underscore. Each needs a
docstring (a constant: a ``#:`` comment above or beside its assignment, which autodoc shows), and
each module needs an ``automodule`` directive with ``:members:`` in book/api.md.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import shlex
import shutil
from pathlib import Path
from types import ModuleType

import pytest
from sphinx.pycode import ModuleAnalyzer

import companion
from tests.book_site import BOOK_FLAGS, ROOT, build, build_book

API_PAGE = ROOT / "book" / "api.md"
#: every public module of companion, the chapter kits' sub-package included (not the package
#: folders themselves, nor data folders such as companion.weights)
MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(companion.__path__, "companion.")
    if not m.ispkg and not any(part.startswith("_") for part in m.name.split("."))
)


def public_names(module: ModuleType) -> list[str]:
    """The names a reader may use: ``__all__``, or the module's own public functions and classes."""
    names = getattr(module, "__all__", None)
    if names is not None:
        return list(names)
    return [
        name
        for name, obj in vars(module).items()
        if not name.startswith("_")
        and (inspect.isfunction(obj) or inspect.isclass(obj))
        and obj.__module__ == module.__name__
    ]


def _own_docstring(obj: object) -> str | None:
    """The object's own docstring; None for a missing one or one that Python generated
    (NamedTuple and dataclass write ``Name(field, ...)``)."""
    if inspect.isclass(obj):
        doc = obj.__dict__.get("__doc__")
        if doc and doc.startswith(f"{obj.__name__}("):
            return None
        return doc
    return getattr(obj, "__doc__", None)


def missing_docstrings(module: ModuleType) -> list[str]:
    """Public names of ``module`` (and public methods of its classes) without a docstring."""
    attribute_docs = ModuleAnalyzer.for_module(module.__name__).find_attr_docs()
    missing = []
    for name in public_names(module):
        obj = getattr(module, name)
        if inspect.isclass(obj):
            if not _own_docstring(obj):
                missing.append(name)
            for member, value in vars(obj).items():
                function = (
                    value.fget if isinstance(value, property) else getattr(value, "__func__", value)
                )
                if (
                    not member.startswith("_")
                    and inspect.isfunction(function)
                    and not function.__doc__
                ):
                    missing.append(f"{name}.{member}")
        elif callable(obj):
            if not _own_docstring(obj):
                missing.append(name)
        elif ("", name) not in attribute_docs:
            missing.append(f"{name} (a constant: document it with a `#:` comment)")
    return missing


def automodule_directives(text: str) -> dict[str, list[str]]:
    """``{module: [option lines]}`` for every ``.. automodule::`` in the page's eval-rst blocks."""
    found: dict[str, list[str]] = {}
    for match in re.finditer(
        r"^\.\. automodule::\s*(\S+)\s*\n((?:[ \t]+:.*\n)*)", text, re.MULTILINE
    ):
        found[match.group(1)] = [line.strip() for line in match.group(2).splitlines()]
    return found


def test_companion_has_modules():
    assert MODULES, "no modules found in companion/"


@pytest.mark.parametrize("name", MODULES)
def test_public_names_have_docstrings(name: str):
    module = importlib.import_module(name)
    assert module.__doc__, f"{name} has no module docstring: say what the module is for."
    absent = [n for n in public_names(module) if not hasattr(module, n)]
    assert not absent, f"{name}.__all__ lists {absent}, which the module does not define."
    missing = missing_docstrings(module)
    assert not missing, (
        f"{name}: these public names have no docstring, so the API appendix (book/api.md) cannot "
        f"describe them: {missing}. Write one (Google style, with shapes and units), or make the "
        f"name private with a leading underscore."
    )


@pytest.mark.parametrize("name", MODULES)
def test_api_page_documents_module(name: str):
    text = API_PAGE.read_text(encoding="utf-8")
    assert f"```{{automodule}} {name}" not in text, (
        f"book/api.md: write the automodule of {name} inside an eval-rst block; as a MyST "
        f"directive, autodoc's reStructuredText output is rendered as Markdown "
        f"(raw `.. py:function::`)."
    )
    directives = automodule_directives(text)
    assert name in directives, (
        f"book/api.md has no automodule for {name}: add a section with\n"
        f"```{{eval-rst}}\n.. automodule:: {name}\n   :members:\n```"
    )
    options = directives[name]
    members = [o for o in options if o.startswith(":members:")]
    assert members, f"book/api.md: the automodule of {name} needs the :members: option."
    listed = members[0][len(":members:") :].strip()
    public = public_names(importlib.import_module(name))
    if listed:  # an explicit list must name every public name
        names = {n.strip() for n in listed.split(",")}
        assert not set(public) - names, (
            f"book/api.md: {name} :members: leaves out {sorted(set(public) - names)}"
        )
    for option in options:
        if option.startswith(":exclude-members:"):
            excluded = {n.strip() for n in option.split(":", 2)[2].split(",")}
            assert not excluded & set(public), (
                f"book/api.md excludes public names of {name}: {excluded & set(public)}"
            )


def test_automodule_directives_name_real_modules():
    stale = set(automodule_directives(API_PAGE.read_text(encoding="utf-8"))) - set(MODULES)
    assert not stale, f"book/api.md documents modules that do not exist: {sorted(stale)}"


def test_tests_build_the_book_like_make_book():
    """tests/book_site.py must run the same build as `make book`, so a passing test means a
    passing `make book`."""
    recipe = (ROOT / "Makefile").read_text().split("\nbook:", 1)[1].split("\n\n", 1)[0]
    line = next(line for line in recipe.splitlines() if "jupyter-book build" in line)
    words = shlex.split(line.split("jupyter-book", 1)[1])
    assert words[:2] == ["build", "."], f"unexpected `make book` command: {line.strip()}"
    rest = words[2:]
    if "--path-output" in rest:  # where the HTML goes does not change what is built
        i = rest.index("--path-output")
        del rest[i : i + 2]
    assert rest == BOOK_FLAGS, (
        f"`make book` runs `jupyter-book build . {' '.join(words[2:])}` but tests/book_site.py "
        f"uses {BOOK_FLAGS}: make them agree."
    )


def test_book_builds_without_warnings():
    result = build_book()
    problems = "\n".join(result.problems()[:40])
    tail = "\n".join(result.log.splitlines()[-15:])
    assert result.returncode == 0 and not result.problems(), (
        f"`make book` would fail (warnings are errors, references are nitpicky):\n{problems}\n"
        f"(exit status {result.returncode}; build output in {result.html.parent}; "
        f"log ends:\n{tail})"
    )


NOISY_EXTENSION = """
import os


def setup(app):
    # what TensorFlow's C++ runtime prints on some CPUs while autodoc imports it
    os.write(
        2,
        b"WARNING: All log messages before absl::InitializeLog() is called are written to "
        b"STDERR\\n",
    )
    return {"parallel_read_safe": True}
"""


def _tiny_book(folder: Path, page: str) -> Path:
    """A one-page book with the main book's warning recorder and a noisy native extension."""
    ext = folder / "_ext"
    ext.mkdir(parents=True)
    shutil.copy(ROOT / "book" / "_ext" / "warning_log.py", ext / "warning_log.py")
    (ext / "noisy.py").write_text(NOISY_EXTENSION)
    (folder / "_config.yml").write_text(
        "title: tiny\nexecute:\n  execute_notebooks: 'off'\n"
        "sphinx:\n  local_extensions:\n    warning_log: _ext\n    noisy: _ext\n"
        "  config:\n    nitpicky: true\n"
    )
    (folder / "_toc.yml").write_text("format: jb-book\nroot: index\n")
    (folder / "index.md").write_text(page)
    return folder


@pytest.fixture(scope="module")
def tiny_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    clean = _tiny_book(tmp_path_factory.mktemp("clean"), "# Tiny\n\nNothing wrong here.\n")
    broken = _tiny_book(
        tmp_path_factory.mktemp("broken"),
        "# Tiny\n\nSee {doc}`a page that does not exist <no-such-page>`.\n",
    )
    return {"clean": build(clean, clean / "out"), "broken": build(broken, broken / "out")}


def test_build_check_ignores_native_stderr_lines(tiny_builds):
    """A library's native 'WARNING:' line on stderr is not a Sphinx warning."""
    clean = tiny_builds["clean"]
    assert "absl::InitializeLog" in clean.log, (
        "the noisy extension did not run: the test proves nothing"
    )
    assert clean.returncode == 0 and clean.problems() == [], clean.problems() or clean.log[-2000:]


def test_build_check_still_fails_on_a_real_sphinx_warning(tiny_builds):
    """A broken cross-reference is a Sphinx warning: the build fails and the check names it."""
    broken = tiny_builds["broken"]
    assert broken.returncode != 0, "with -W a broken reference must fail the build"
    assert any("no-such-page" in line and "WARNING" in line for line in broken.problems()), (
        broken.problems() or broken.log[-2000:]
    )


def test_api_page_shows_every_public_name():
    build = build_book()
    page = build.html / "book" / "api.html"
    assert page.exists(), f"the book has no API page at {page}: is book/api in _toc.yml?"
    ids = set(re.findall(r'id="([^"]+)"', page.read_text(encoding="utf-8")))
    missing = [
        f"{name}.{n}"
        for name in MODULES
        for n in public_names(importlib.import_module(name))
        if f"{name}.{n}" not in ids
    ]
    assert not missing, f"the rendered API page does not show: {missing}"


def test_offline_refs_quiets_only_stdlib_and_companion_typevars():
    """book/_ext/offline_refs.py must not hide a broken reference into companion."""
    from tests.repo_modules import book

    offline_refs = book("offline_refs")
    assert offline_refs.is_standard_library("pathlib.Path")
    assert offline_refs.is_standard_library("pickle")
    assert not offline_refs.is_standard_library("numpy.ndarray")
    assert offline_refs.is_companion_typevar("companion.settings.T")
    assert not offline_refs.is_companion_typevar("companion.settings.RunReport")
    assert not offline_refs.is_companion_typevar("companion.settings.no_such_name")
    assert not offline_refs.is_companion_typevar("companion.no_such_module.T")
    assert not offline_refs.is_companion_typevar("numpy.T")
