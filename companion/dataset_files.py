"""The dataset files on disk: where they live, fetching a missing one, checking and reading one.

A dataset (:class:`Dataset`) is a set of gzipped IDX files, each with the SHA-256 of its
*decompressed* bytes (the same for every faithful copy, however it was gzipped). A file lives in
``<data_dir>/<dataset>/<name>.gz`` (:func:`file_path`); a missing one is downloaded from the
dataset's mirrors with a progress bar (pooch + tqdm, :func:`download`); :func:`read_verified`
decompresses and checks it, :func:`parse_idx` turns it into an array. Every failure raises
:class:`DataError` with a message that names the file, the folder and what to do.
:mod:`companion.data` puts them together into ``load``. Framework-neutral.
"""

from __future__ import annotations

import gzip
import hashlib
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from companion import settings

__all__ = ["DataError", "Dataset", "file_path", "download", "read_verified", "parse_idx"]

#: the magic number that opens an IDX file of uint8 images (3 dimensions) or labels (1)
IDX_MAGIC = {"images": 0x0803, "labels": 0x0801}


class DataError(RuntimeError):
    """A dataset file is missing and cannot be downloaded, or is corrupt."""


@dataclass(frozen=True)
class Dataset:
    """Where a dataset comes from and what its files must contain.

    Attributes:
        name: folder name under the data directory (``"mnist"``, ``"fashion-mnist"``).
        mirrors: base URLs tried in order for a missing file.
        sha256: file name -> SHA-256 of the decompressed bytes.
        classes: the ten class names, index = label.
    """

    name: str
    mirrors: tuple[str, ...]
    sha256: dict[str, str]
    classes: tuple[str, ...]


def download(ds: Dataset, file_name: str, folder: Path) -> Path:
    """Fetch ``file_name`` from the first mirror that answers; DataError if none does."""
    import pooch  # imported here: only a download needs it

    # pooch logs "Downloading ... to file <absolute path>" at INFO: the tqdm bar already shows
    # the download, and a stored notebook must not show this machine's paths.
    pooch.get_logger().setLevel("WARNING")
    errors = []
    for base in ds.mirrors:
        try:
            return Path(
                pooch.retrieve(
                    url=base + file_name,
                    known_hash=None,  # checked after decompression, see read_verified
                    fname=file_name,
                    path=folder,
                    progressbar=True,
                )
            )
        except Exception as exc:  # noqa: BLE001 - any failure means "try the next mirror"
            errors.append(f"{base}{file_name}: {exc.__class__.__name__}: {exc}")
    raise DataError(
        f"The {ds.name} file {file_name} is not in {folder} and could not be downloaded "
        f"(tried {len(ds.mirrors)} mirror(s): {'; '.join(errors)}). "
        f"Connect to the internet and run again, or copy {file_name} into {folder} yourself "
        f"(or point GAN_BOOK_DATA at a folder that has {ds.name}/{file_name})."
    )


def read_verified(ds: Dataset, path: Path) -> bytes:
    """Decompress ``path`` and check the SHA-256 of its bytes; DataError if it does not match."""
    remedy = (
        f"Delete {path} and run again to download a fresh copy, or replace it with an intact "
        f"copy of {ds.name}/{path.name}."
    )
    try:
        raw = gzip.decompress(path.read_bytes())
    except (OSError, EOFError, zlib.error) as exc:
        raise DataError(
            f"The {ds.name} file {path.name} in {path.parent} is corrupt or truncated: it is not "
            f"a complete gzip file ({exc.__class__.__name__}: {exc}). {remedy}"
        ) from None
    digest = hashlib.sha256(raw).hexdigest()
    expected = ds.sha256[path.name]
    if digest != expected:
        raise DataError(
            f"The {ds.name} file {path.name} in {path.parent} does not hold the expected data: "
            f"the SHA-256 of its decompressed bytes is {digest[:16]}..., expected "
            f"{expected[:16]}.... {remedy}"
        )
    return raw


def parse_idx(raw: bytes, kind: str, path: Path) -> np.ndarray:
    """Turn IDX bytes (big-endian header, then uint8 values) into an array."""
    ndim = 3 if kind == "images" else 1
    header = 4 + 4 * ndim
    magic = int.from_bytes(raw[:4], "big")
    if magic != IDX_MAGIC[kind]:
        raise DataError(f"{path} is not an IDX {kind} file (magic number {magic:#x}).")
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(shape)


def file_path(name: str, file_name: str) -> Path:
    """Where ``file_name`` of dataset ``name`` is looked for: ``<data_dir>/<name>/<file_name>``."""
    return settings.data_dir() / name / file_name
