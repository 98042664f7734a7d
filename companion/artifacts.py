"""Framework-neutral helpers for saved models: what a file is, how big, load it in a fresh process.

* :func:`sniff_format` looks at a file's first bytes (and, for zip archives, at the names
  inside) and says which format it is, so a loader can say "this is a Keras file, not a
  PyTorch checkpoint" instead of a cryptic unpickling error.
* :func:`artifact_size` counts bytes of a file or of a folder (a SavedModel is a folder).
* :func:`run_fresh` runs a short Python script in a new interpreter, the honest test that an
  artifact loads without the notebook's classes in memory.
* :func:`format_table` prints the comparison table of the saving chapter.

Never imports torch or tensorflow. :class:`ArtifactError` is raised by the framework helpers in
:mod:`companion.torch_saving` and :mod:`companion.keras_saving` too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path

__all__ = [
    "ArtifactError",
    "sniff_format",
    "artifact_size",
    "run_fresh",
    "format_table",
    "require_file",
    "as_path",
    "require_model",
]


class ArtifactError(RuntimeError):
    """A saved model cannot be loaded: missing, truncated, of another format, or unsafe."""


def as_path(path: object, caller: str) -> Path:
    """Return ``path`` as a :class:`~pathlib.Path`.

    Raises:
        TypeError: ``path`` is not a ``str`` or path-like object (a model passed where the path
            goes, for instance); the message names ``caller``, the argument and what came.
    """
    if isinstance(path, (str, os.PathLike)):
        return Path(path)
    raise TypeError(
        f"{caller}: path must be a str or pathlib.Path, the file to write or read; got a "
        f"{type(path).__name__}. Pass a path such as 'artifacts/generator.pt'"
        + ("." if path is None else " (the model comes first, the path second).")
    )


def require_model(model: object, kind: type, kind_name: str, caller: str) -> None:
    """Check that ``model`` is a ``kind`` (``kind_name`` for the message, e.g. ``torch.nn.Module``).

    Raises:
        TypeError: it is not; a path in its place is named as swapped arguments.
    """
    if isinstance(model, kind):
        return
    swapped = isinstance(model, (str, os.PathLike))
    raise TypeError(
        f"{caller}: model must be a {kind_name}; got a {type(model).__name__}"
        + (
            f" ({model!r:.80}): the arguments are swapped. The model comes first, the path second."
            if swapped
            else ". Pass the model itself."
        )
    )


def require_file(path: str | Path, caller: str = "require_file") -> Path:
    """Return ``path`` as a :class:`~pathlib.Path` if it is an existing file.

    Raises:
        TypeError: ``path`` is not a str or path-like object (see :func:`as_path`).
        ArtifactError: it does not exist or is a folder.
    """
    path = as_path(path, caller)
    if not path.exists():
        raise ArtifactError(
            f"{path} does not exist. Check the path (relative paths start at {Path.cwd()})."
        )
    if not path.is_file():
        raise ArtifactError(
            f"{path} is a folder, not a file. Pass the path of the saved file itself."
        )
    return path


def sniff_format(path: str | Path) -> str:
    """Name the format of a saved-model file from its content, never from its extension.

    Returns one of ``"torch.save"`` (a zip with ``data.pkl``), ``"torchscript"`` (a zip with
    ``code/`` and ``constants.pkl``), ``"torch.export"`` (a ``.pt2`` zip with ``models/``),
    ``"keras"`` (a ``.keras`` zip with ``config.json``), ``"zip"`` (another or a damaged zip),
    ``"hdf5"`` (e.g. Keras ``.weights.h5``), ``"safetensors"``, ``"pickle"`` (a bare pickle,
    e.g. ``torch.save(..., _use_new_zipfile_serialization=False)`` or :mod:`pickle`),
    ``"onnx"``, ``"json"``, ``"empty"`` or ``"unknown"``.

    Raises:
        ArtifactError: the path does not exist or is a folder.
    """
    path = require_file(path)
    with path.open("rb") as f:
        head = f.read(64)
    if not head:
        return "empty"
    if head.startswith(b"PK"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile:
            return "zip"
        return _zip_kind(names)
    if head.startswith(b"\x89HDF\r\n\x1a\n"):
        return "hdf5"
    if head[:1] == b"\x80" and len(head) > 1 and head[1] in range(2, 6):
        return "pickle"
    if len(head) >= 9 and head[8:9] == b"{":
        header_len = int.from_bytes(head[:8], "little")
        if 2 <= header_len <= path.stat().st_size - 8:
            return "safetensors"
    if head.lstrip()[:1] in (b"{", b"["):
        return "json"
    if head[:1] == b"\x08" and b"\x12" in head[:4]:
        return "onnx"
    return "unknown"


def _zip_kind(names: Sequence[str]) -> str:
    tails = {name.split("/", 1)[-1] for name in names}
    if "config.json" in names and any(n.endswith(".weights.h5") for n in names):
        return "keras"
    if any(t.startswith("models/") for t in tails) and "archive_format" in tails:
        return "torch.export"
    if "constants.pkl" in tails and any(t.startswith("code/") for t in tails):
        return "torchscript"
    if "data.pkl" in tails:
        return "torch.save"
    return "zip"


def artifact_size(path: str | Path) -> int:
    """Size in bytes of a file, or the total of every file under a folder (a SavedModel).

    Raises:
        ArtifactError: the path does not exist.
    """
    path = Path(path)
    if path.is_file():
        return path.stat().st_size
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    raise ArtifactError(f"{path} does not exist, so it has no size. Save the artifact first.")


def run_fresh(
    script: str, *args: str, cwd: str | Path | None = None, timeout_s: float = 300
) -> dict:
    """Run ``script`` in a new Python interpreter and return the JSON object it prints last.

    The new process shares nothing with the caller: no imported modules, no classes, no
    variables. That is the point: an artifact that loads there loads anywhere the same
    libraries are installed. The script receives ``args`` as ``sys.argv[1:]`` and must print
    one JSON object as its last line of output.

    Args:
        script: Python source code.
        args: command-line arguments for the script.
        cwd: working directory of the new process (default: the caller's).
        timeout_s: give up after this many seconds.

    Raises:
        ArtifactError: the script failed (its stderr is included) or printed no JSON last.
    """
    result = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout_s,
        check=False,
    )
    if result.returncode != 0:
        tail = "\n".join(result.stderr.strip().splitlines()[-15:])
        raise ArtifactError(
            f"The fresh Python process failed with exit code {result.returncode}:\n{tail}"
        )
    lines = result.stdout.strip().splitlines()
    try:
        value = json.loads(lines[-1]) if lines else None
    except json.JSONDecodeError:
        value = None
    if not isinstance(value, dict):
        raise ArtifactError(
            "The fresh Python process did not print a JSON object as its last line; "
            "end the script with print(json.dumps({...})). Its output was:\n"
            f"{result.stdout[-1000:]}"
        )
    return value


def format_table(rows: Sequence[dict], columns: Sequence[str]) -> str:
    """A plain-text table: one line per row dict, the given columns, aligned.

    Floats are printed with 3 significant digits in scientific notation when below 1e-3 and
    with 3 decimals otherwise; other values with ``str``.

    Raises:
        KeyError: a row lacks one of ``columns`` (the message names the row and the column).
    """

    def cell(value: object) -> str:
        if isinstance(value, float):
            return f"{value:.2e}" if 0 < abs(value) < 1e-3 else f"{value:.3f}"
        return str(value)

    body = []
    for i, row in enumerate(rows):
        missing = [c for c in columns if c not in row]
        if missing:
            raise KeyError(f"row {i} ({row}) has no column(s) {missing}")
        body.append([cell(row[c]) for c in columns])
    widths = [max([len(c), *(len(r[j]) for r in body)]) for j, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths)) for r in body]
    return "\n".join(lines)
