"""companion.settings: profiles, data directory, seeding and the run report."""

import re
import subprocess
import sys

import numpy as np
import pytest

from companion import settings


def test_profile_defaults_to_full(monkeypatch):
    monkeypatch.delenv("GAN_BOOK_PROFILE", raising=False)
    assert settings.profile() == "full" and settings.choose(full=1, smoke=2) == 1


def test_smoke_profile_chooses_smoke_sizes(monkeypatch):
    monkeypatch.setenv("GAN_BOOK_PROFILE", " Smoke ")
    assert settings.is_smoke() and settings.choose(full=1, smoke=2) == 2


def test_unknown_profile_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("GAN_BOOK_PROFILE", "fast")
    with pytest.raises(ValueError, match="'full'.*'smoke'"):
        settings.profile()


def test_data_dir_follows_env_then_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("GAN_BOOK_DATA", str(tmp_path))
    assert settings.data_dir() == tmp_path.resolve()
    monkeypatch.delenv("GAN_BOOK_DATA")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert settings.data_dir() == tmp_path / "cache" / "gan-book"


def test_seed_everything_is_reproducible():
    a = settings.seed_everything(3).normal(size=4), np.random.rand(2)
    b = settings.seed_everything(3).normal(size=4), np.random.rand(2)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    with pytest.raises(TypeError):
        settings.seed_everything(1.5)


def test_run_report_line(monkeypatch):
    monkeypatch.setenv("GAN_BOOK_PROFILE", "smoke")
    line = str(settings.RunReport(device="cpu (test)").summary(data="mnist test split"))
    assert re.match(r"profile=smoke device=cpu \(test\) wall=\d+\.\ds python=3\.", line)
    assert "numpy=" in line and line.endswith("data=mnist test split")


@pytest.mark.parametrize(
    "module", ["companion.data", "companion.settings", "companion.kits.encoding"]
)
def test_neutral_modules_import_no_framework(module):
    code = (
        f"import sys, {module}; "
        "print(sorted(m for m in ('torch', 'tensorflow', 'keras') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
