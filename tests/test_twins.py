"""A chapter's PyTorch and TensorFlow twins keep the passages they share in step.

``tests/twin_passages.yml`` lists, per chapter, the paragraphs both twins say word for word (by
their opening words; ``scripts/twin_passages.py`` proposes the list). Each listed passage must be
found once in each twin, and the two must be the same text, so that an edit of one twin's
explanation that forgets the other fails here instead of drifting apart unnoticed.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
import yaml

from tests.repo_modules import script

ROOT = Path(__file__).resolve().parents[1]
twins = script("twin_passages")

LISTED = yaml.safe_load(twins.MANIFEST.read_text(encoding="utf-8"))
PAIRS = twins.pairs()


def drift(name: str, openings: list[str], torch_md: Path, keras_md: Path) -> list[str]:
    """What is wrong with the listed passages of one pair: missing, ambiguous or different."""
    found = {}
    for md in (torch_md, keras_md):
        by_opening: dict[str, list[str]] = {}
        for paragraph in twins.paragraphs(md):
            by_opening.setdefault(twins.opening(paragraph), []).append(paragraph)
        found[md.name] = by_opening
    problems = []
    for start in openings:
        texts = {}
        for md_name, by_opening in found.items():
            hits = by_opening.get(start, [])
            if len(hits) != 1:
                problems.append(
                    f"{md_name}: {len(hits)} paragraphs open with {start!r} (want 1): change "
                    f"both twins alike, or update its entry under {name} in twin_passages.yml"
                )
            else:
                texts[md_name] = hits[0]
        if len(texts) == 2 and len(set(texts.values())) == 2:
            (a_name, a), (b_name, b) = texts.items()
            diff = "\n".join(
                difflib.unified_diff(a.splitlines(), b.splitlines(), a_name, b_name, lineterm="")
            )
            problems.append(f"the twins no longer say {start!r} alike:\n{diff}")
    return problems


def test_every_pair_is_listed():
    assert set(LISTED) == set(PAIRS), (
        f"twin_passages.yml lists {sorted(LISTED)}, the chapters in both frameworks are "
        f"{sorted(PAIRS)}: run `python scripts/twin_passages.py` and add the missing pair"
    )


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_shared_passages_are_the_same_in_both_twins(name):
    problems = drift(name, LISTED.get(name) or [], *PAIRS[name])
    assert not problems, "\n".join(problems)


def test_a_one_sided_edit_is_caught(tmp_path):
    """Change a listed passage in one twin only: the check names it and shows the difference."""
    name = next(n for n in sorted(PAIRS) if LISTED.get(n))
    torch_md, keras_md = PAIRS[name]
    start = LISTED[name][0]
    text = torch_md.read_text(encoding="utf-8")
    paragraph = next(p for p in twins.paragraphs(torch_md) if twins.opening(p) == start)
    assert paragraph in text
    edited = tmp_path / torch_md.name
    edited.write_text(text.replace(paragraph, paragraph + " Edited here only.", 1))
    problems = drift(name, [start], edited, keras_md)
    assert (
        len(problems) == 1
        and "no longer say" in problems[0]
        and "Edited here only" in (problems[0])
    )
