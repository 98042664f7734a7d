"""The prose that a chapter's PyTorch and TensorFlow twins share word for word.

A chapter that exists in both frameworks says much of its explanation twice, once in each
notebook. ``tests/twin_passages.yml`` lists those shared passages by their opening words, and
``tests/test_twins.py`` fails when one twin changes a listed passage and the other does not.
This script proposes the list: every paragraph (a block of lines between blank lines in a
Markdown cell, two lines or more) that is identical in both twins::

    python scripts/twin_passages.py            # print what the twins share, and what is listed
    python scripts/twin_passages.py --write    # rewrite tests/twin_passages.yml from it

Review the proposal before writing it: a paragraph that is identical today only by accident
(a passage each twin should be free to change) is better left out of the list.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import jupytext
import yaml

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / "tests" / "twin_passages.yml"
#: words of a paragraph's opening that name it in the list
OPENING_WORDS = 10
#: a chapter's runtime note quotes its own stored run, so the twins' notes may differ
RUNTIME_NOTE = "> **Runtime.**"
HEADER = """\
# Prose passages that a chapter's PyTorch and TensorFlow notebooks share word for word, each named
# by its opening words. tests/test_twins.py fails when one twin changes a listed passage and the
# other does not: change both, or take the passage off this list if the twins should now differ.
# Proposed by `python scripts/twin_passages.py` (identical paragraphs of two lines or more), then
# reviewed by hand.
"""


def pairs(root: Path = ROOT) -> dict[str, tuple[Path, Path]]:
    """``{"03_shape_2d": (…_pytorch.md, …_tensorflow.md)}`` for every chapter in both frameworks."""
    found = {}
    for torch_md in sorted((root / "chapters").glob("*_pytorch.md")):
        keras_md = torch_md.with_name(torch_md.name.replace("_pytorch.md", "_tensorflow.md"))
        if keras_md.exists():
            found[torch_md.name[: -len("_pytorch.md")]] = (torch_md, keras_md)
    return found


def paragraphs(md: Path) -> list[str]:
    """The paragraphs of the Markdown cells of a chapter, in order, with spaces normalised."""
    notebook = jupytext.read(md)
    blocks = []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            blocks += [b.strip() for b in re.split(r"\n\s*\n", cell.source) if b.strip()]
    return blocks


def opening(paragraph: str) -> str:
    """The first :data:`OPENING_WORDS` words of a paragraph: its name in the list."""
    return " ".join(paragraph.split()[:OPENING_WORDS])


def shared(torch_md: Path, keras_md: Path) -> list[str]:
    """Openings of the paragraphs (two lines or more) that both twins hold word for word, in the
    PyTorch twin's order; an opening that is not unique in either twin, and the runtime note
    under the title, are left out."""
    a, b = paragraphs(torch_md), paragraphs(keras_md)
    openings_a = [opening(p) for p in a]
    openings_b = [opening(p) for p in b]
    same = set(a) & set(b)
    return [
        opening(p)
        for p in a
        if p in same
        and "\n" in p
        and not p.startswith(RUNTIME_NOTE)
        and openings_a.count(opening(p)) == 1
        and openings_b.count(opening(p)) == 1
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"rewrite {MANIFEST.name}")
    args = parser.parse_args(argv)
    proposal = {name: shared(*mds) for name, mds in pairs().items()}
    listed = yaml.safe_load(MANIFEST.read_text()) if MANIFEST.exists() else {}
    for name, openings in proposal.items():
        print(f"{name}: {len(openings)} shared paragraphs, {len(listed.get(name) or [])} listed")
    if args.write:
        body = yaml.safe_dump(proposal, allow_unicode=True, sort_keys=False, width=100)
        MANIFEST.write_text(HEADER + body, encoding="utf-8")
        print(f"wrote {MANIFEST.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
