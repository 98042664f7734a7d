"""chapters/registry.yml names every chapter once, and everything that lists chapters follows it.

Adding a chapter means one registry entry plus its files (CONTRIBUTING.md lists them); these
tests fail while a chapter file exists that the registry does not name, the registry names a
file that is missing, or ``_toc.yml`` is not the one the registry generates.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.repo_modules import book

registry = book("registry")
ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = registry.chapters()


def test_every_chapter_file_is_named_by_the_registry_and_the_other_way_round():
    named = {Path(nb.path).stem for c in CHAPTERS for nb in c.notebooks()}
    on_disk = {p.stem for p in (ROOT / "chapters").glob("*.md")}
    assert on_disk - named == set(), "chapter files that chapters/registry.yml does not name"
    assert named - on_disk == set(), "chapters/registry.yml names chapters that have no .md"
    ipynb = {p.stem for p in (ROOT / "chapters").glob("*.ipynb")}
    assert ipynb == on_disk, "every chapter is a .md + .ipynb pair"


def test_landing_pages_are_the_twins_and_exist():
    pages = {f"book/{p.stem}" for p in (ROOT / "book").glob("ch[0-9][0-9]_*.md")}
    assert pages == {c.landing_page for c in CHAPTERS if c.landing_page}


def test_toc_is_generated_from_the_registry():
    assert (ROOT / "_toc.yml").read_text(encoding="utf-8") == registry.toc_text(), (
        "_toc.yml differs from chapters/registry.yml: run python book/_ext/registry.py --write-toc"
    )


def test_names_are_unique_and_in_reading_order():
    numbers = [c.number for c in CHAPTERS]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.name)
def test_each_entry_is_complete(chapter):
    assert chapter.frameworks in ((), ("pytorch", "tensorflow")), chapter.frameworks
    assert bool(chapter.label) != bool(chapter.frameworks), "a label only for single notebooks"
    if chapter.peer:
        assert (ROOT / "companion" / "peer_results" / chapter.peer["file"]).exists()


def test_a_toc_from_a_new_entry_includes_it(tmp_path):
    """The worked example of CONTRIBUTING.md: one entry adds the chapter's pages to the toc."""
    text = (ROOT / "chapters" / "registry.yml").read_text(encoding="utf-8")
    extra = "      - name: 12_new_idea\n        frameworks: [pytorch, tensorflow]\n"
    extra += "        title: a new idea\n"
    path = tmp_path / "registry.yml"
    last = "        title: training fast\n"
    path.write_text(text.replace(last, last + extra), encoding="utf-8")
    files = str(registry.toc(path))
    for page in (
        "book/ch12_new_idea",
        "chapters/12_new_idea_pytorch",
        "chapters/12_new_idea_tensorflow",
    ):
        assert page in files


def test_unknown_chapter_names_the_known_ones():
    with pytest.raises(KeyError, match="06_dcgan"):
        registry.chapter("99_nothing")
