"""Every "Chapter N" in the book points at a chapter that exists or is planned, and every link
to a planned chapter will resolve once that chapter lands.

Each chapter defines a MyST label ``(chN)=`` above its title (a two-framework chapter on its
landing page, ``book/chNN_*.md``); N is the chapter's number in the rendered book, counted from
_toc.yml as Sphinx numbers it. A chapter that is planned but not written has its label on the
plan in book/intro.md, so ``{ref}`Chapter 8 <ch8>``` resolves today (to the plan) and, once the
chapter's files are in _toc.yml, this test fails until the label moves to the chapter: from then
on the same link leads to the chapter itself. Sphinx (tests/test_book_build.py, ``-W -n``)
checks that every ``{ref}`` and ``{doc}`` target exists; this test checks what Sphinx cannot:
that the number a reader sees is the chapter's number, and that no mention of a planned chapter
is left as plain text that nothing would update.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "book" / "intro.md"
SOURCES = sorted([*(ROOT / "chapters").glob("*.md"), *(ROOT / "book").glob("*.md")])
LABEL = re.compile(r"^\(ch(\d+)\)=[ \t]*$", re.M)
REF = re.compile(r"\{ref\}`([^`<]*?)\s*<ch(\d+)>`")
MENTION = re.compile(r"\b[Cc]hapters?\s+(\d+(?:\s*(?:,|and|or|to|–|-)\s*\d+)*)(?![\d.])")


def numbered_chapters(toc: dict) -> dict[int, str]:
    """Chapter number -> file (without suffix) of each top-level entry of the numbered parts,
    numbered on across parts as the book shows them."""
    files = [
        chapter["file"]
        for part in toc.get("parts", [])
        if part.get("numbered")
        for chapter in part.get("chapters", [])
    ]
    return {n: f for n, f in enumerate(files, 1)}


def labels(text: str) -> list[int]:
    return [int(n) for n in LABEL.findall(text)]


def mentioned(text: str) -> list[int]:
    """Every chapter number in "Chapter 8", "chapters 3 and 4", "chapters 1-4" (both ends)."""
    return [int(n) for group in MENTION.findall(text) for n in re.findall(r"\d+", group)]


def reference_problems(texts: dict[str, str], chapters: dict[int, str], plan: str) -> list[str]:
    """What is wrong with the cross-references of ``texts`` (name -> markdown)."""
    problems = []
    defined: dict[int, list[str]] = {}
    for name, text in texts.items():
        for n in labels(text):
            defined.setdefault(n, []).append(name)
    planned = {n for n, names in defined.items() if plan in names}
    for n, names in sorted(defined.items()):
        if len(names) > 1:
            problems.append(f"label (ch{n})= is defined in {len(names)} places: {names}")
    for n, file in chapters.items():
        if n in planned:
            problems.append(
                f"chapter {n} has landed ({file}): move its label (ch{n})= from {plan} to "
                f"the top of {file}.md"
            )
        elif not any(name == f"{file}.md" for name in defined.get(n, [])):
            problems.append(f"{file}.md (chapter {n}) does not define its label (ch{n})=")
    known = set(chapters) | planned
    for name, text in texts.items():
        for words, n in REF.findall(text):
            if str(n) not in re.findall(r"\d+", words):
                problems.append(f"{name}: {{ref}}`{words} <ch{n}>` shows another number")
        for n in mentioned(text):
            if n not in known:
                problems.append(
                    f"{name}: mentions chapter {n}, which is neither written nor planned"
                )
        unlinked = set(mentioned(REF.sub("", text))) & (planned - set(chapters))
        problems += [
            f"{name}: plain mention of planned chapter {n}: write {{ref}}`Chapter {n} <ch{n}>` "
            "so it leads to the chapter once it lands"
            for n in sorted(unlinked)
        ]
    return problems


def test_cross_references():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    texts = {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in SOURCES}
    texts["README.md"] = (ROOT / "README.md").read_text(encoding="utf-8")
    problems = reference_problems(texts, numbered_chapters(toc), str(PLAN.relative_to(ROOT)))
    assert not problems, "\n".join(problems)


def test_the_checker_sees_each_problem():
    chapters = {1: "chapters/01_a", 2: "book/ch02"}
    good = {
        "chapters/01_a.md": "(ch1)=\n# A\nSee {ref}`Chapter 3 <ch3>` and chapters 1 and 2.",
        "book/ch02.md": "(ch2)=\n# B\nChapter 1 then {ref}`chapter 2 <ch2>`.",
        "plan.md": "(ch3)=\n### 3 Coming",
    }
    assert reference_problems(good, chapters, "plan.md") == []
    assert mentioned("chapters 1–4 and Chapter 7's, chapter 2.5") == [1, 4, 7]

    def problems_with(name: str, old: str, new: str) -> list[str]:
        return reference_problems({**good, name: good[name].replace(old, new)}, chapters, "plan.md")

    assert "plain mention of planned chapter 3" in " ".join(
        problems_with("chapters/01_a.md", "{ref}`Chapter 3 <ch3>`", "Chapter 3")
    )
    assert "shows another number" in " ".join(
        problems_with("chapters/01_a.md", "Chapter 3 <ch3>", "Chapter 4 <ch3>")
    )
    assert "neither written nor planned" in " ".join(
        problems_with("book/ch02.md", "Chapter 1", "Chapter 9")
    )
    assert "does not define its label" in " ".join(problems_with("book/ch02.md", "(ch2)=\n", ""))
    landed = reference_problems(good, {**chapters, 3: "chapters/03_c"}, "plan.md")
    assert any("chapter 3 has landed" in p for p in landed)
