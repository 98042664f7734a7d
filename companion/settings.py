"""Run settings shared by every chapter: the profile, the data directory, seeding and a run report.

Framework-neutral: this module never imports torch or tensorflow. The device pickers live in
:mod:`companion.torch_utils` and :mod:`companion.keras_utils`; both hand their device
description to :class:`RunReport` so every chapter prints the same one-line summary.

Example (a chapter's settings cell)::

    from companion import settings
    PROFILE = settings.profile()                   # "full" (default) or "smoke"
    STEPS = settings.choose(full=5_000, smoke=20)  # one value per profile
"""

from __future__ import annotations

import os
import platform
import random
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import TypeVar

import numpy as np

from companion.verdicts import RunSummary

__all__ = [
    "PROFILE_ENV",
    "DATA_ENV",
    "PROFILES",
    "profile",
    "is_smoke",
    "choose",
    "data_dir",
    "seed_everything",
    "cpu_description",
    "library_versions",
    "RunReport",
]

#: The environment variable that chooses the profile (``full`` when unset).
PROFILE_ENV = "GAN_BOOK_PROFILE"
#: The environment variable that names the data folder (a user cache folder when unset).
DATA_ENV = "GAN_BOOK_DATA"
#: Both profile names, ``full`` (the real run) and ``smoke`` (seconds on a CPU, for tests).
PROFILES = ("full", "smoke")

T = TypeVar("T")


def profile() -> str:
    """Return the run profile named by ``GAN_BOOK_PROFILE``: ``"full"`` (default) or ``"smoke"``.

    ``full`` is the real run whose outputs the book shows; ``smoke`` runs the same code on a
    tiny budget so that every chapter executes in seconds on a CPU (``make test``, CI).

    Raises:
        ValueError: if the variable holds anything else.
    """
    value = os.environ.get(PROFILE_ENV, "full").strip().lower() or "full"
    if value not in PROFILES:
        raise ValueError(
            f"{PROFILE_ENV}={os.environ.get(PROFILE_ENV)!r} is not a known profile. "
            f"Set it to 'full' (the real run, the default) or 'smoke' (a few steps, for tests), "
            f"or unset it."
        )
    return value


def is_smoke() -> bool:
    """True when the smoke profile is active."""
    return profile() == "smoke"


def choose(full: T, smoke: T) -> T:
    """Return ``full`` or ``smoke`` according to the active :func:`profile`.

    A chapter names each size once, with both values side by side, so a reader sees what the
    test run shrinks and the code path stays the same.
    """
    return smoke if is_smoke() else full


def data_dir() -> Path:
    """Directory that holds the datasets: ``GAN_BOOK_DATA`` if set, else a user cache directory.

    The cache directory is ``~/.cache/gan-book`` (or ``$XDG_CACHE_HOME/gan-book``). The
    directory is not created here; the data loader creates it when it downloads a file.
    """
    env = os.environ.get(DATA_ENV)
    if env:
        return Path(env).expanduser().resolve()
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache).expanduser() / "gan-book"


def seed_everything(seed: int) -> np.random.Generator:
    """Seed Python's and NumPy's global generators and return a fresh NumPy ``Generator``.

    Framework seeds are set by :func:`companion.torch_utils.seed` and
    :func:`companion.keras_utils.seed`, which call this function too.
    """
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
        raise TypeError(f"seed must be an integer, got {seed!r} ({type(seed).__name__})")
    random.seed(int(seed))
    np.random.seed(int(seed) % 2**32)
    return np.random.default_rng(int(seed))


def cpu_description() -> str:
    """A short description of this machine's CPU, e.g. ``"cpu (2 cores, x86_64)"``."""
    return f"cpu ({os.cpu_count()} cores, {platform.machine()})"


_VERSIONED = ("numpy", "torch", "tensorflow", "keras", "jax")


def library_versions() -> dict[str, str]:
    """Versions of Python and of the numerical libraries this process has imported.

    Only libraries already in ``sys.modules`` are listed, so asking never imports a framework.
    """
    versions = {"python": platform.python_version()}
    for name in _VERSIONED:
        module = sys.modules.get(name)
        if module is not None:
            versions[name] = str(getattr(module, "__version__", "?"))
    try:
        versions["companion"] = metadata.version("gan-book-companion")
    except metadata.PackageNotFoundError:  # running from a source tree that is not installed
        pass
    return versions


class RunReport:
    """A stopwatch plus the facts a reader needs to reproduce a run.

    Create it at the top of a chapter and show :meth:`summary` at the end::

        report = RunReport(device="cuda:0 (NVIDIA H100)")
        ...
        display(report.summary())  # or print(...): the same line, without the data
        # one line (wrapped here):
        # profile=full device=cuda:0 (NVIDIA H100) wall=83.2s python=3.11.7
        # numpy=1.26.4 torch=2.13.0

    Args:
        device: what the chapter computes on, as returned by a framework's ``describe_device``.
    """

    def __init__(self, device: str = "") -> None:
        self.device = device or cpu_description()
        self.profile = profile()
        self.started = time.perf_counter()

    def elapsed(self) -> float:
        """Seconds of wall time since this report was created."""
        return time.perf_counter() - self.started

    def header(self) -> str:
        """One line with the profile and device, for the top of a chapter."""
        return f"profile={self.profile} device={self.device}"

    def summary(self, **extra: object) -> RunSummary:
        """Profile, device, wall time, library versions and any ``extra`` facts.

        Prints as one line, the ``extra`` items appended as ``key=value`` (for example
        ``data="mnist train"``); ``display`` it in a notebook to store the same facts as data
        beside the line (:class:`companion.verdicts.RunSummary`).
        """
        facts = {
            k: v if isinstance(v, (str, int, float, bool)) else str(v) for k, v in extra.items()
        }
        return RunSummary(
            self.profile, self.device, round(self.elapsed(), 1), library_versions(), facts
        )
