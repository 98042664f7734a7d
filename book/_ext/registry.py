"""The book's chapter registry: ``chapters/registry.yml`` read into small records.

One list names every chapter, its notebooks, its landing page, its landing figure, whether the
results page measures it, and its peer benchmark. ``_toc.yml`` is generated from it (and
``tests/test_registry.py`` fails when the two differ, or when a chapter file exists that the
registry does not name); the landing figure (``landing.py``), the results page (``results.py``),
``bench/`` and the tests read it here. Run it as a script to check ``_toc.yml`` or rewrite it::

    python book/_ext/registry.py              # exit 1 when _toc.yml is stale
    python book/_ext/registry.py --write-toc  # rewrite _toc.yml from the registry
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = ROOT / "chapters" / "registry.yml"
TOC = ROOT / "_toc.yml"
#: how the results page and the landing figure name a framework
FRAMEWORK_LABELS = {"pytorch": "PyTorch", "tensorflow": "TensorFlow"}
TOC_HEADER = """\
# Generated from chapters/registry.yml by `python book/_ext/registry.py --write-toc`; edit the
# registry, not this file (tests/test_registry.py fails when they differ). Numbers follow the
# blueprint's reading order; a chapter that exists in two frameworks has a short landing page
# with the PyTorch and TensorFlow notebooks as its sections.
"""


@dataclass(frozen=True)
class Notebook:
    """One notebook of a chapter: its path (relative to the repository) and what it runs on."""

    path: str  # "chapters/06_dcgan_pytorch.ipynb"
    framework: str  # "PyTorch", "TensorFlow", "NumPy", "PyTorch and Keras"


@dataclass(frozen=True)
class Chapter:
    """One entry of the registry (its fields are described at the top of registry.yml)."""

    name: str
    part: str
    title: str
    frameworks: tuple[str, ...] = ()
    label: str = ""
    figure: str | None = None
    not_measured: str | None = None
    peer: dict | None = None
    quotes_chapter6: bool = False

    @property
    def number(self) -> int:
        return int(self.name.split("_", 1)[0])

    @property
    def heading(self) -> str:
        """``"6 · DCGAN, Fashion-MNIST"``: the chapter's name on the results page."""
        return f"{self.number} · {self.title}"

    @property
    def landing_page(self) -> str | None:
        """``book/ch06_dcgan`` for twins (the page that holds both), else ``None``."""
        return f"book/ch{self.name}" if self.frameworks else None

    def notebooks(self) -> list[Notebook]:
        """Its notebooks, PyTorch first."""
        if not self.frameworks:
            return [Notebook(f"chapters/{self.name}.ipynb", self.label)]
        return [
            Notebook(f"chapters/{self.name}_{fw}.ipynb", FRAMEWORK_LABELS[fw])
            for fw in self.frameworks
        ]


def _raw(path: Path = REGISTRY) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _chapter(caption: str, entry: dict) -> Chapter:
    return Chapter(part=caption, **{**entry, "frameworks": tuple(entry.get("frameworks", ()))})


def chapters(path: Path = REGISTRY) -> list[Chapter]:
    """Every chapter, in reading order."""
    return [_chapter(p["caption"], e) for p in _raw(path)["parts"] for e in p["chapters"]]


def chapter(name: str) -> Chapter:
    """The chapter called ``name`` (``"06_dcgan"``); ``KeyError`` naming the known ones."""
    known = {c.name: c for c in chapters()}
    if name not in known:
        raise KeyError(f"no chapter {name!r} in {REGISTRY.name}; it names {sorted(known)}")
    return known[name]


def toc(path: Path = REGISTRY) -> dict:
    """The ``_toc.yml`` that the registry describes, as a mapping."""
    raw = _raw(path)
    parts: list[dict] = [{"chapters": [{"file": page} for page in raw["front"]]}]
    for part in raw["parts"]:
        entries = []
        for entry in part["chapters"]:
            c = _chapter(part["caption"], entry)
            if c.landing_page:
                sections = [{"file": nb.path.removesuffix(".ipynb")} for nb in c.notebooks()]
                entries.append({"file": c.landing_page, "sections": sections})
            else:
                entries.append({"file": c.notebooks()[0].path.removesuffix(".ipynb")})
        parts.append({"caption": part["caption"], "numbered": True, "chapters": entries})
    for part in raw["back"]:
        parts.append({"caption": part["caption"], "chapters": [{"file": p} for p in part["pages"]]})
    return {"format": "jb-book", "root": "book/intro", "parts": parts}


def toc_text(path: Path = REGISTRY) -> str:
    """``toc(path)`` as the text of ``_toc.yml``."""
    return TOC_HEADER + yaml.safe_dump(toc(path), sort_keys=False, allow_unicode=True, indent=2)


def main(argv: list[str]) -> int:
    wanted = toc_text()
    if "--write-toc" in argv:
        TOC.write_text(wanted, encoding="utf-8")
        print(f"wrote {TOC}")
        return 0
    if TOC.read_text(encoding="utf-8") != wanted:
        print(
            f"{TOC.name} differs from {REGISTRY.name}: run python book/_ext/registry.py --write-toc"
        )
        return 1
    print(f"{TOC.name} matches {REGISTRY.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
