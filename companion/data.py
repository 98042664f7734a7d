"""MNIST and Fashion-MNIST from their IDX files, as NumPy arrays for either framework.

This module knows the datasets (:data:`DATASETS`) and loads them, whole or as a training set.
Finding, fetching, checking and reading one file is :mod:`companion.dataset_files`' part, and
so is the :class:`~companion.dataset_files.DataError` that names the file and what to do.

Framework-neutral: never imports torch or tensorflow.
"""

from __future__ import annotations

import warnings
from typing import NamedTuple

import numpy as np

from companion import _checks, dataset_files, settings
from companion.dataset_files import DataError, Dataset, file_path

# DataError and Dataset (companion.dataset_files) stay importable from here, as before
__all__ = [
    "DATASETS",
    "TrainingData",
    "FallbackWarning",
    "load",
    "load_for_training",
    "to_unit_range",
    "from_unit_range",
]


#: The datasets :func:`load` knows, by name (``"mnist"``, ``"fashion-mnist"``).
#:
#: :meta hide-value:
DATASETS: dict[str, Dataset] = {
    "mnist": Dataset(
        name="mnist",
        mirrors=(
            "https://ossci-datasets.s3.amazonaws.com/mnist/",
            "https://storage.googleapis.com/cvdf-datasets/mnist/",
        ),
        sha256={
            "train-images-idx3-ubyte.gz": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",  # noqa: E501
            "train-labels-idx1-ubyte.gz": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",  # noqa: E501
            "t10k-images-idx3-ubyte.gz": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",  # noqa: E501
            "t10k-labels-idx1-ubyte.gz": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",  # noqa: E501
        },
        classes=tuple(str(d) for d in range(10)),
    ),
    "fashion-mnist": Dataset(
        name="fashion-mnist",
        mirrors=("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",),
        sha256={
            "train-images-idx3-ubyte.gz": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",  # noqa: E501
            "train-labels-idx1-ubyte.gz": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",  # noqa: E501
            "t10k-images-idx3-ubyte.gz": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",  # noqa: E501
            "t10k-labels-idx1-ubyte.gz": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",  # noqa: E501
        },
        classes=(
            "T-shirt/top",
            "Trouser",
            "Pullover",
            "Dress",
            "Coat",
            "Sandal",
            "Shirt",
            "Sneaker",
            "Bag",
            "Ankle boot",
        ),
    ),
}

_SPLIT_PREFIX = {"train": "train", "test": "t10k"}


def _dataset(name: str) -> Dataset:
    try:
        return DATASETS[name]
    except (KeyError, TypeError):  # TypeError: an unhashable name such as ["mnist"]
        raise ValueError(f"Unknown dataset {name!r}. Choose one of {sorted(DATASETS)}.") from None


def _file_names(name: str, split: str) -> tuple[str, str]:
    if split not in _SPLIT_PREFIX:
        raise ValueError(f"Unknown split {split!r} for {name}. Choose 'train' or 'test'.")
    prefix = _SPLIT_PREFIX[split]
    return f"{prefix}-images-idx3-ubyte.gz", f"{prefix}-labels-idx1-ubyte.gz"


def load(
    name: str = "mnist", split: str = "train", download: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Load one split of MNIST or Fashion-MNIST.

    Args:
        name: ``"mnist"`` or ``"fashion-mnist"``.
        split: ``"train"`` (60,000 images) or ``"test"`` (10,000 images).
        download: fetch missing files from the official mirrors (with a progress bar).

    Returns:
        ``(images, labels)``: ``uint8`` arrays of shape ``(N, 28, 28)`` with values 0..255, and
        ``(N,)`` with class indices 0..9.

    Raises:
        DataError: a file is missing and cannot be downloaded, or is corrupt.
        ValueError: unknown dataset or split.
    """
    ds = _dataset(name)
    arrays = []
    for kind, file_name in zip(("images", "labels"), _file_names(name, split)):
        path = file_path(name, file_name)
        if not path.exists():
            if not download:
                raise DataError(
                    f"The {name} file {file_name} is not in {path.parent}. Run with "
                    f"download=True on a machine with internet, or copy the file there."
                )
            path = dataset_files.download(ds, file_name, path.parent)
        raw = dataset_files.read_verified(ds, path)
        arrays.append(dataset_files.parse_idx(raw, kind, path))
    images, labels = arrays
    if len(images) != len(labels):
        raise DataError(f"{name} {split}: {len(images)} images but {len(labels)} labels.")
    return images, labels


class TrainingData(NamedTuple):
    """What a chapter trains on, and a description that names the dataset and split."""

    images: np.ndarray
    labels: np.ndarray
    description: str


class FallbackWarning(UserWarning):
    """The full profile trains on the test split because the training split cannot be had."""


def load_for_training(
    name: str = "mnist", max_images: int | None = None, exclude_test: np.ndarray | None = None
) -> TrainingData:
    """The images a chapter trains on, chosen by the profile.

    The ``full`` profile trains on the training split. The ``smoke`` profile trains on the test
    split (the one CI has offline), cut to ``max_images``. Only when the full profile cannot get
    the training split (absent and not downloadable, as for MNIST on machines with no network)
    does it fall back to the test split, and then it warns (:class:`FallbackWarning`) and says so
    in ``description``: never silently.

    Args:
        name: ``"mnist"`` or ``"fashion-mnist"``.
        max_images: keep at most this many images (the first ones), or all when ``None``.
        exclude_test: indices into the test split to leave out whenever the images come from
            the test split (the quality yardstick's held-out reference,
            :func:`companion.classifier.held_out_indices`), so a generator is never judged against
            images it trained on. Ignored for the training split.

    Returns:
        :class:`TrainingData` with ``images`` ``uint8 (N, 28, 28)``, ``labels`` ``uint8 (N,)``
        and a one-line ``description`` such as ``"mnist train split (60,000 images)"``.

    Raises:
        ValueError: ``max_images`` is not ``None`` or an int >= 1; ``exclude_test`` is not a
            1-D array of integer indices into the test split (a float, negative or too large
            index would otherwise leave the wrong images in, silently).
    """
    max_images = _checks.limit(max_images, "max_images")
    note = ""
    if settings.is_smoke():
        split = "test"
        images, labels = load(name, split)
    else:
        split = "train"
        try:
            images, labels = load(name, split)
        except DataError:
            if any(file_path(name, f).exists() for f in _file_names(name, "train")):
                raise  # a corrupt training file is an error to fix, never a reason to fall back
            split = "test"
            images, labels = load(name, split)
            note = (
                "; FALLBACK: the training split could not be had here, so this run trained on "
                "the test split; with internet the full run uses the training split"
            )
            # warn_explicit names the module, not a file of this machine (stored notebooks
            # must not show paths); the DataError above names the folder when it is raised
            warnings.warn_explicit(
                f"{name}: the training split is neither in the data folder nor downloadable{note}",
                FallbackWarning,
                filename="companion.data",
                lineno=0,
            )
    left_out = ""
    if split == "test" and exclude_test is not None:
        keep = np.setdiff1d(np.arange(len(images)), _test_indices(exclude_test, len(images)))
        left_out = f"; {len(images) - len(keep):,} held-out reference images left out"
        images, labels = images[keep], labels[keep]
    if max_images is not None:
        images, labels = images[:max_images], labels[:max_images]
    return TrainingData(
        images, labels, f"{name} {split} split ({len(images):,} images{left_out}){note}"
    )


def _test_indices(exclude_test: object, n: int) -> np.ndarray:
    """``exclude_test`` as ``int64`` indices in ``0..n-1``; a ValueError naming the first bad
    one otherwise."""
    idx = np.asarray(exclude_test)
    fix = "Pass indices into the test split, e.g. quality.held_out_indices(dataset)."
    if idx.ndim != 1 or (idx.size and (idx.dtype == bool or idx.dtype.kind not in "iu")):
        raise ValueError(
            f"exclude_test must be a 1-D array of integer indices into the test split (0..{n - 1});"
            f" got shape {idx.shape}, dtype {idx.dtype}. {fix}"
        )
    outside = (idx < 0) | (idx >= n)
    if outside.any():
        raise ValueError(
            f"exclude_test holds {int(outside.sum())} index(es) outside 0..{n - 1} (the test "
            f"split has {n:,} images), the first {_checks.shown(idx[outside][0])} at "
            f"{_checks.position(outside)}. {fix}"
        )
    return idx.astype(np.int64)


def to_unit_range(images: np.ndarray) -> np.ndarray:
    """Scale ``uint8`` pixels 0..255 to ``float32`` in [-1, 1] (the range of a tanh generator).

    Raises:
        ValueError: the images are floats (most likely scaled already: scaling them again would
            squash every image to about -1) or bools, or integers outside 0..255.
    """
    x = np.asarray(images)
    if x.dtype != np.uint8:
        if x.dtype == bool or x.dtype.kind not in "iu":
            raise ValueError(
                f"to_unit_range scales uint8 pixels 0..255; got dtype {x.dtype}. Floats are most "
                f"likely in [-1, 1] already (scaling them again would squash every image to about "
                f"-1): use them as they are, or pass the uint8 images from data.load."
            )
        outside = (x < 0) | (x > 255)
        if outside.any():
            raise ValueError(
                f"to_unit_range scales pixels 0..255; got {_checks.shown(x[outside][0])} at "
                f"{_checks.position(outside)} (dtype {x.dtype}). Pass uint8 pixels 0..255."
            )
    return x.astype(np.float32) / 127.5 - 1.0


def from_unit_range(images: np.ndarray) -> np.ndarray:
    """Map generator outputs in [-1, 1] back to ``uint8`` pixels 0..255 (clipping outliers).

    Raises:
        ValueError: the outputs are not floats (integers are most likely pixels already) or hold
            a NaN (which would silently become a black pixel: the generator has diverged).
    """
    x = np.asarray(images)
    if x.dtype.kind != "f":
        raise ValueError(
            f"from_unit_range maps a generator's float outputs in [-1, 1] to pixels; got dtype "
            f"{x.dtype}. Integer images are most likely pixels 0..255 already: use them as they "
            f"are."
        )
    nan = np.isnan(x)
    if nan.any():
        raise ValueError(
            f"from_unit_range got {int(nan.sum())} NaN value(s), the first at "
            f"{_checks.position(nan)}: the generator has diverged. Check its losses and restart "
            f"from an earlier checkpoint."
        )
    return np.clip((x.astype(np.float32) + 1.0) * 127.5, 0, 255).round().astype(np.uint8)
