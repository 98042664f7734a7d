"""CONTRIBUTING.md stays true: every file it names exists, every name it places in a file is
defined there, and every `make` target it gives is in the Makefile."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "CONTRIBUTING.md"

#: a backticked path inside the repository: ``companion/_checks.py``, ``tests/test_x.py``
PATH = re.compile(
    r"`((?:book|bench|chapters|companion|scripts|tests)/[\w./-]+|[A-Za-z][\w.-]*\.(?:py|yml|md))`"
)
#: ``NAME`` in ``path``: a module-level name that the guide says lives in that file
NAME_IN = re.compile(r"`([A-Z][A-Z_]+)` in `([\w./-]+\.py)`")
MAKE = re.compile(r"`make (\w[\w-]*)")


def guide_problems(text: str, root: Path) -> list[str]:
    """What the guide ``text`` says about the repository at ``root`` that is not so."""
    makefile = (root / "Makefile").read_text(encoding="utf-8")
    problems = [
        f"names {path}, which does not exist"
        for path in sorted(set(PATH.findall(text)))
        if "NN" not in path and "X." not in path and not (root / path).exists()
    ]
    for name, path in NAME_IN.findall(text):
        file = root / path
        if not file.exists() or not re.search(rf"^{name}\b.*=", file.read_text(), re.M):
            problems.append(f"says {name} is in {path}, which does not define it")
    problems += [
        f"gives `make {target}`, which the Makefile lacks"
        for target in sorted(set(MAKE.findall(text)))
        if not re.search(rf"^{re.escape(target)}:", makefile, re.M)
    ]
    return problems


def test_the_guide_names_only_what_exists():
    problems = guide_problems(GUIDE.read_text(encoding="utf-8"), ROOT)
    assert not problems, "CONTRIBUTING.md " + "\n".join(problems)


def test_the_check_sees_each_kind_of_mistake():
    text = GUIDE.read_text(encoding="utf-8")
    assert guide_problems(text + "\nsee `companion/nowhere.py`", ROOT) == [
        "names companion/nowhere.py, which does not exist"
    ]
    assert guide_problems(text + "\n`NO_SUCH_LIST` in `conftest.py`", ROOT) == [
        "says NO_SUCH_LIST is in conftest.py, which does not define it"
    ]
    assert guide_problems(text + "\nrun `make deploy`", ROOT) == [
        "gives `make deploy`, which the Makefile lacks"
    ]
