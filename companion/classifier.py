"""The quality classifier: a small CNN, run in NumPy, that looks at 28x28 images.

One classifier per dataset (MNIST digits, Fashion-MNIST), trained by
``scripts/train_classifier.py``, ships with the package (``companion/weights``). Its
penultimate layer gives 64 **features** per image, the space in which
:mod:`companion.frechet` measures distances and :mod:`companion.neighbours` finds neighbours;
its last layer gives a **predicted class**, which :mod:`companion.class_spread` counts.

The yardstick never looks at its own training data: the real images it compares with (the
*reference*, :func:`reference_images`) are test images the classifier never saw,
:func:`held_out_indices`. For Fashion-MNIST that is the whole test split (the classifier trained on
the training split); for MNIST, whose training split is not available offline, the classifier
trained on the even-indexed test images and the reference is the 5,000 odd-indexed ones, on every
machine.

The forward pass is NumPy (weights read with ``safetensors.numpy``), so PyTorch and TensorFlow
chapters use the same measure without importing either framework. 10,000 images take a few
seconds on a CPU.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

import numpy as np

from companion import _checks

__all__ = [
    "DATASETS",
    "N_CLASSES",
    "N_FEATURES",
    "check_dataset",
    "classifier_weights",
    "held_out_indices",
    "reference_images",
    "reference_labels",
    "classifier_accuracy",
    "features",
    "features_and_logits",
    "reference_features",
    "predict",
]

_WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
#: The datasets that have a trained quality classifier in ``companion/weights``.
DATASETS = ("mnist", "fashion-mnist")
#: Classes each classifier tells apart.
N_CLASSES = 10
#: The width of the penultimate layer, in features per image.
N_FEATURES = 64
_SHAPES = {
    "conv1.weight": (16, 1, 3, 3),
    "conv1.bias": (16,),
    "conv2.weight": (32, 16, 3, 3),
    "conv2.bias": (32,),
    "fc1.weight": (64, 32 * 7 * 7),
    "fc1.bias": (64,),
    "fc2.weight": (10, 64),
    "fc2.bias": (10,),
}


_TEST_SIZE = 10_000  # both datasets' test splits


def check_dataset(dataset: str) -> str:
    """``dataset`` itself if a quality classifier exists for it; a ValueError naming the choices
    otherwise."""
    if dataset not in DATASETS:
        raise ValueError(
            f"Unknown dataset {dataset!r} for the quality classifier. "
            f"Choose one of {list(DATASETS)} "
            f"(the datasets scripts/train_classifier.py trains a classifier for)."
        )
    return dataset


@lru_cache(maxsize=None)
def classifier_weights(dataset: str) -> dict[str, np.ndarray]:
    """The classifier's weights for ``dataset`` as ``float32`` arrays (PyTorch layout, cached).

    Raises:
        ValueError: unknown dataset.
        FileNotFoundError: the weights file is missing (run ``scripts/train_classifier.py``).
    """
    from safetensors.numpy import load_file

    path = _WEIGHTS_DIR / f"classifier_{check_dataset(dataset)}.safetensors"
    if not path.exists():
        raise FileNotFoundError(
            f"The quality classifier's weights for {dataset} are missing: {path} does not exist. "
            f"Reinstall the companion package, or run `python scripts/train_classifier.py "
            f"--dataset {dataset}` from the repository root to train them."
        )
    weights = {k: v.astype(np.float32) for k, v in load_file(str(path)).items()}
    for key, shape in _SHAPES.items():
        if key not in weights or weights[key].shape != shape:
            raise ValueError(
                f"{path} does not hold the expected classifier: {key} should be {shape}."
            )
    return weights


def held_out_indices(dataset: str) -> np.ndarray:
    """Indices into ``dataset``'s test split of the images the quality classifier never saw.

    These, and only these, are the yardstick's real images (:func:`reference_images`).

    * ``"fashion-mnist"``: all 10,000 (the classifier trained on the training split).
    * ``"mnist"``: the 5,000 odd indices 1, 3, ..., 9999 (the classifier trained on the even ones,
      because the MNIST training split is not available offline where the weights were made).

    Returns:
        ``int64`` ``(N,)``, sorted.
    """
    if check_dataset(dataset) == "mnist":
        return np.arange(1, _TEST_SIZE, 2, dtype=np.int64)
    return np.arange(_TEST_SIZE, dtype=np.int64)


def reference_images(dataset: str, max_images: int | None = None) -> np.ndarray:
    """The yardstick's real images: ``uint8`` ``(N, 28, 28)``, the held-out test images.

    Args:
        dataset: ``"mnist"`` or ``"fashion-mnist"``; loaded with :func:`companion.data.load`.
        max_images: keep only the first ones (a quick smoke run); ``None`` keeps all.
    """
    from companion import data

    images, _ = data.load(check_dataset(dataset), "test")
    return images[held_out_indices(dataset)][: _checks.limit(max_images, "max_images")]


def reference_labels(dataset: str, max_images: int | None = None) -> np.ndarray:
    """The true classes of :func:`reference_images` (same order and length): ``uint8`` ``(N,)``.

    A conditional chapter needs them to compare generated images of one class with the held-out
    real images of that class.
    """
    from companion import data

    _, labels = data.load(check_dataset(dataset), "test")
    return labels[held_out_indices(dataset)][: _checks.limit(max_images, "max_images")]


def classifier_accuracy() -> dict[str, dict]:
    """What ``scripts/train_classifier.py`` recorded: per dataset the held-out accuracy and
    split."""
    return json.loads((_WEIGHTS_DIR / "classifier_accuracy.json").read_text())


def _as_unit_range(images: np.ndarray) -> np.ndarray:
    """Accept uint8 pixels (0..255) or floats in [-1, 1]; return float32 ``(N, 28, 28)`` in
    [-1, 1]."""
    x = np.asarray(images)
    if x.ndim == 2 and x.shape[1] == 28 * 28:
        x = x.reshape(-1, 28, 28)
    elif x.ndim == 4 and x.shape[1] == 1:
        x = x[:, 0]
    elif x.ndim == 4 and x.shape[-1] == 1:
        x = x[..., 0]
    if x.ndim != 3 or x.shape[1:] != (28, 28):
        raise ValueError(
            f"Expected a batch of 28x28 grey images, shaped (N, 28, 28), (N, 1, 28, 28), "
            f"(N, 28, 28, 1) or (N, 784); got shape {np.shape(images)}."
        )
    if len(x) == 0:
        raise ValueError("Expected at least one image, got an empty batch.")
    if x.dtype == np.uint8:
        return x.astype(np.float32) / 127.5 - 1.0
    if not np.issubdtype(x.dtype, np.floating):
        raise ValueError(f"Images must be uint8 (0..255) or float in [-1, 1]; got dtype {x.dtype}.")
    x = x.astype(np.float32)
    if not np.isfinite(x).all():
        raise ValueError("Images contain NaN or infinite values; the generator has diverged.")
    lo, hi = float(x.min()), float(x.max())
    if lo < -1.01 or hi > 1.01:
        raise ValueError(
            f"Float images must be in [-1, 1] (a tanh generator's range), got values in "
            f"[{lo:.3g}, {hi:.3g}]. Pass uint8 pixels 0..255, "
            "or scale with companion.data.to_unit_range."
        )
    return x


def _conv3x3_relu(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Same-padded 3x3 convolution + ReLU.

    ``x`` ``(N, H, W, C)``, ``w`` ``(O, C, 3, 3)`` -> ``(N, H, W, O)``.
    """
    n, h, wd, c = x.shape
    padded = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)))
    # im2col: the 9 shifted copies side by side, (N, H, W, 9*C) ordered (dy, dx, c), then one
    # matrix product with the kernel reordered the same way
    cols = np.concatenate(
        [padded[:, i : i + h, j : j + wd, :] for i in range(3) for j in range(3)], axis=-1
    )
    kernel = w.transpose(0, 2, 3, 1).reshape(w.shape[0], 9 * c)
    out = cols.reshape(n * h * wd, 9 * c) @ kernel.T + b
    return np.maximum(out, 0.0).reshape(n, h, wd, -1)


def _maxpool2(x: np.ndarray) -> np.ndarray:
    """2x2 max pooling, ``(N, H, W, C)`` -> ``(N, H/2, W/2, C)``."""
    n, h, w, c = x.shape
    return x.reshape(n, h // 2, 2, w // 2, 2, c).max(axis=(2, 4))


def _forward(x: np.ndarray, wt: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """``x`` ``(N, 28, 28)`` in [-1, 1] -> (features ``(N, 64)``, logits ``(N, 10)``)."""
    h = _maxpool2(_conv3x3_relu(x[..., None], wt["conv1.weight"], wt["conv1.bias"]))
    h = _maxpool2(_conv3x3_relu(h, wt["conv2.weight"], wt["conv2.bias"]))
    h = h.transpose(0, 3, 1, 2).reshape(len(x), -1)  # PyTorch flattens channels first
    feats = np.maximum(h @ wt["fc1.weight"].T + wt["fc1.bias"], 0.0)
    return feats, feats @ wt["fc2.weight"].T + wt["fc2.bias"]


def features_and_logits(
    images: np.ndarray, dataset: str = "mnist", batch_size: int = 500
) -> tuple[np.ndarray, np.ndarray]:
    """The classifier's features ``float32`` ``(N, 64)`` and class logits ``float32`` ``(N, 10)``
    in one forward pass (same inputs as :func:`features`)."""
    wt = classifier_weights(check_dataset(dataset))
    batch_size = _checks.integer(
        batch_size,
        "batch_size",
        1,
        context=" (images per NumPy batch)",
        fix="Pass e.g. batch_size=500 (about 50 MB).",
        example=500,
    )
    x = _as_unit_range(images)
    parts = [_forward(x[i : i + batch_size], wt) for i in range(0, len(x), batch_size)]
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def features(images: np.ndarray, dataset: str = "mnist", batch_size: int = 500) -> np.ndarray:
    """Penultimate-layer features of the quality classifier.

    Args:
        images: ``(N, 28, 28)`` (or ``(N, 1, 28, 28)``, ``(N, 28, 28, 1)``, ``(N, 784)``),
            ``uint8`` pixels 0..255 or floats in [-1, 1].
        dataset: ``"mnist"`` or ``"fashion-mnist"``: which classifier looks at them.
        batch_size: images per NumPy batch (memory: about 0.1 MB per image).

    Returns:
        ``float32`` ``(N, 64)``.
    """
    return features_and_logits(images, dataset, batch_size)[0]


_REFERENCE_CACHE: dict[tuple[str, str], np.ndarray] = {}


def reference_features(reference: np.ndarray, dataset: str) -> np.ndarray:
    """:func:`features` of a reference set ``float32`` ``(N, 64)``, remembered by the hash of its
    pixels.

    A training loop judges its generator against the same reference many times; its features
    are computed once (about two thirds of a :func:`companion.quality.evaluate` on 5,000
    images). Two sets are
    kept, enough for one dataset's reference in each of two chapters run in one process.
    """
    raw = np.ascontiguousarray(reference)
    key = (dataset, hashlib.blake2b(raw.tobytes(), digest_size=16).hexdigest() + str(raw.shape))
    if key not in _REFERENCE_CACHE:
        if len(_REFERENCE_CACHE) >= 2:
            _REFERENCE_CACHE.pop(next(iter(_REFERENCE_CACHE)))
        _REFERENCE_CACHE[key] = features(raw, dataset)
    return _REFERENCE_CACHE[key]


def predict(images: np.ndarray, dataset: str = "mnist", batch_size: int = 500) -> np.ndarray:
    """Predicted class of each image, ``int64`` ``(N,)`` in 0..9 (same inputs as
    :func:`features`)."""
    return features_and_logits(images, dataset, batch_size)[1].argmax(axis=1)
