"""How good are generated 28x28 images? A Frechet distance and a class spread, in NumPy.

A small convolutional classifier, trained by ``scripts/train_classifier.py`` (one per dataset:
MNIST digits and Fashion-MNIST), looks at images. Two numbers come from it:

* the **Frechet distance** (FD) between the Gaussian fitted to the classifier's penultimate-layer
  features (64 numbers per image) of generated images and the one fitted to real images,
  ``FD = |mu_a - mu_b|^2 + tr(S_a + S_b - 2 (S_a S_b)^(1/2))``, the idea of the FID of
  Heusel et al. (2017) with a small, dataset-specific network instead of Inception;
* the **class spread** of the classifier's predicted labels: the normalised entropy
  ``H(p) / log 10`` (1 when all ten classes are predicted equally often, 0 when every image gets
  the same class: mode collapse), the largest class share and the total-variation distance to the
  uniform distribution (entropy alone hides a lopsided histogram).

An FD alone has no scale, so :func:`evaluate` also measures the FD between two disjoint sets of
*real* images of the same size: the **real-vs-real baseline**, the best a generator could hope for.
One random split would decide every ratio, so the baseline (and the generated-vs-real FD) is
averaged over several splits and reported with its spread.

The yardstick never looks at its own training data: the real images it compares with (the
*reference*, :func:`reference_images`) are test images the classifier never saw,
:func:`held_out_indices`. For Fashion-MNIST that is the whole test split (the classifier trained on
the training split); for MNIST, whose training split is not available offline, the classifier
trained on the even-indexed test images and the reference is the 5,000 odd-indexed ones, on every
machine (the weights ship with the package).

The forward pass is NumPy (weights read with ``safetensors.numpy``), so PyTorch and TensorFlow
chapters use the same measure without importing either framework. 10,000 images take a few
seconds on a CPU.

Example::

    from companion import quality
    reference = quality.reference_images("mnist")        # held-out real images
    result = quality.evaluate(fake_images, reference, "mnist")
    print(result)            # FD, baseline, ratio (with spreads), class spread
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from companion import _checks

__all__ = [
    "DATASETS",
    "held_out_indices",
    "reference_images",
    "reference_labels",
    "QualityReport",
    "classifier_weights",
    "classifier_accuracy",
    "features",
    "predict",
    "frechet_distance",
    "class_histogram",
    "class_entropy",
    "largest_class_share",
    "tv_to_uniform",
    "real_baseline",
    "fd_by_size",
    "extrapolate_fd",
    "evaluate",
    "against",
]

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
#: The datasets that have a trained quality classifier in ``companion/weights``.
DATASETS = ("mnist", "fashion-mnist")
N_CLASSES = 10
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


#: Number of random splits of the reference over which :func:`evaluate` averages its FDs.
DEFAULT_SPLITS = 5
_TEST_SIZE = 10_000  # both datasets' test splits


def _check_dataset(dataset: str) -> str:
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

    path = WEIGHTS_DIR / f"classifier_{_check_dataset(dataset)}.safetensors"
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
    if _check_dataset(dataset) == "mnist":
        return np.arange(1, _TEST_SIZE, 2, dtype=np.int64)
    return np.arange(_TEST_SIZE, dtype=np.int64)


def reference_images(dataset: str, max_images: int | None = None) -> np.ndarray:
    """The yardstick's real images: ``uint8`` ``(N, 28, 28)``, the held-out test images.

    Args:
        dataset: ``"mnist"`` or ``"fashion-mnist"``; loaded with :func:`companion.data.load`.
        max_images: keep only the first ones (a quick smoke run); ``None`` keeps all.
    """
    from companion import data

    images, _ = data.load(_check_dataset(dataset), "test")
    return images[held_out_indices(dataset)][: _checks.limit(max_images, "max_images")]


def reference_labels(dataset: str, max_images: int | None = None) -> np.ndarray:
    """The true classes of :func:`reference_images` (same order and length): ``uint8`` ``(N,)``.

    A conditional chapter needs them to compare generated images of one class with the held-out
    real images of that class.
    """
    from companion import data

    _, labels = data.load(_check_dataset(dataset), "test")
    return labels[held_out_indices(dataset)][: _checks.limit(max_images, "max_images")]


def classifier_accuracy() -> dict[str, dict]:
    """What ``scripts/train_classifier.py`` recorded: per dataset the held-out accuracy and
    split."""
    return json.loads((WEIGHTS_DIR / "classifier_accuracy.json").read_text())


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


def _run(images: np.ndarray, dataset: str, batch_size: int) -> tuple[np.ndarray, np.ndarray]:
    wt = classifier_weights(_check_dataset(dataset))
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
    return _run(images, dataset, batch_size)[0]


_REFERENCE_CACHE: dict[tuple[str, str], np.ndarray] = {}


def _reference_features(reference: np.ndarray, dataset: str) -> np.ndarray:
    """:func:`features` of a reference set, remembered by the hash of its pixels.

    A training loop judges its generator against the same reference many times; its features
    are computed once (about two thirds of an :func:`evaluate` on 5,000 images). Two sets are
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
    return _run(images, dataset, batch_size)[1].argmax(axis=1)


def _sqrtm_psd(m: np.ndarray) -> np.ndarray:
    """Square root of a symmetric positive semi-definite matrix (negative round-off clipped)."""
    w, v = np.linalg.eigh(m)
    return (v * np.sqrt(np.clip(w, 0.0, None))) @ v.T


def _feature_pair(
    feats_a: np.ndarray, feats_b: np.ndarray, caller: str, min_rows: int
) -> tuple[np.ndarray, np.ndarray]:
    """Both sets as finite float64 ``(N, F)`` arrays of at least ``min_rows`` rows and the same
    ``F``; a ValueError that names ``caller`` and the argument otherwise."""
    a = _checks.feature_rows(feats_a, f"{caller}: feats_a", min_rows)
    b = _checks.feature_rows(feats_b, f"{caller}: feats_b", min_rows)
    if a.shape[1] != b.shape[1]:
        raise ValueError(
            f"{caller} needs feats_a and feats_b with the same number of features per row; got "
            f"shapes {a.shape} and {b.shape}. Compute both with the same classifier (features "
            f"with the same dataset)."
        )
    return a, b


def frechet_distance(feats_a: np.ndarray, feats_b: np.ndarray) -> float:
    """Frechet distance between Gaussians fitted to two sets of feature vectors.

    ``|mu_a - mu_b|^2 + tr(S_a) + tr(S_b) - 2 tr((S_a^(1/2) S_b S_a^(1/2))^(1/2))``, with means
    ``mu`` and (unbiased) covariances ``S`` of the rows. The trace term is computed from
    eigenvalues of symmetric matrices, which is stable even when ``S`` is singular.

    Args:
        feats_a: ``(N_a, F)`` features, ``N_a >= 2``.
        feats_b: ``(N_b, F)`` features with the same ``F``, ``N_b >= 2``.

    Returns:
        The distance (>= 0, in squared feature units).

    Raises:
        ValueError: a set is not a finite real ``(N, F)`` array with ``N >= 2`` and ``F >= 1``
            (bools and complex numbers are refused, not cast), or the two differ in ``F``.
    """
    a, b = _feature_pair(feats_a, feats_b, "frechet_distance", 2)
    mu_a, mu_b = a.mean(0), b.mean(0)
    s_a, s_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    root_a = _sqrtm_psd(s_a)
    cross = np.sqrt(np.clip(np.linalg.eigvalsh(root_a @ s_b @ root_a), 0.0, None)).sum()
    fd = float(((mu_a - mu_b) ** 2).sum() + np.trace(s_a) + np.trace(s_b) - 2.0 * cross)
    return max(fd, 0.0)


def class_histogram(labels: np.ndarray) -> np.ndarray:
    """How often each of the 10 classes occurs in ``labels`` (ints 0..9): ``int64`` ``(10,)``.

    An empty list counts as no labels (all counts 0). Raises ValueError for anything but a 1-D
    batch of integers in 0..9, naming the shape, dtype and values.
    """
    y = np.asarray(labels)
    if y.ndim == 1 and y.size == 0:
        y = y.astype(np.int64)  # an empty list has no dtype to judge
    integers = y.dtype != bool and np.issubdtype(y.dtype, np.integer)
    if y.ndim != 1 or not integers or (len(y) and (y.min() < 0 or y.max() >= N_CLASSES)):
        values = f", values {y.min()}..{y.max()}" if y.ndim == 1 and integers else ""
        raise ValueError(
            f"labels must be a 1-D array of integers in 0..{N_CLASSES - 1}; got shape {y.shape}, "
            f"dtype {y.dtype}{values}. Pass predicted class indices, e.g. "
            f"quality.predict(images, dataset)."
        )
    return np.bincount(y, minlength=N_CLASSES).astype(np.int64)


def _class_frequencies(labels: np.ndarray, caller: str) -> np.ndarray:
    """Frequencies ``p`` ``(10,)`` of the classes in ``labels``; ValueError naming ``caller``
    if empty."""
    counts = class_histogram(labels)
    if counts.sum() == 0:
        raise ValueError(f"{caller} needs at least one label.")
    return counts / counts.sum()


def class_entropy(labels: np.ndarray) -> float:
    """Normalised entropy ``H(p) / log 10`` of the class frequencies ``p`` of ``labels``.

    1.0: all ten classes equally often; 0.0: a single class (complete mode collapse).
    """
    p = _class_frequencies(labels, "class_entropy")
    p = p[p > 0]
    return max(0.0, float(-(p * np.log(p)).sum() / np.log(N_CLASSES)))  # no -0.0 for one class


def largest_class_share(labels: np.ndarray) -> float:
    """Share of the most frequent class in ``labels`` (ints 0..9): 0.1 when uniform, 1.0 for
    one class."""
    return float(_class_frequencies(labels, "largest_class_share").max())


def tv_to_uniform(labels: np.ndarray) -> float:
    """Total-variation distance ``0.5 * sum_k |p_k - 1/10|`` of the class frequencies to uniform.

    0 for a perfectly even spread, 0.9 when every image gets the same class.
    """
    p = _class_frequencies(labels, "tv_to_uniform")
    return float(0.5 * np.abs(p - 1.0 / N_CLASSES).sum())


def _split_fds(
    f_ref: np.ndarray, n: int, splits: int, seed: int, f_gen: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """For each of ``splits`` random splits of the reference features into disjoint ``R1``, ``R2``
    of ``n`` rows: ``FD(R1, R2)`` and, if ``f_gen`` is given, ``FD(f_gen, R1)``."""
    rng = np.random.default_rng(seed)
    baselines, fds = [], []
    for _ in range(splits):
        idx = rng.permutation(len(f_ref))
        r1, r2 = f_ref[idx[:n]], f_ref[idx[n : 2 * n]]
        baselines.append(frechet_distance(r1, r2))
        if f_gen is not None:
            fds.append(frechet_distance(f_gen, r1))
    return np.array(baselines), np.array(fds)


def real_baseline(
    real: np.ndarray,
    dataset: str = "mnist",
    n: int | None = None,
    seed: int = 0,
    splits: int = DEFAULT_SPLITS,
) -> tuple[float, float]:
    """FD between two disjoint random sets of ``n`` real images, over several random splits.

    Args:
        real: real images (as in :func:`features`), at least ``2 * n``.
        dataset: which classifier.
        n: images per set (default: half of ``real``).
        seed: chooses the random splits.
        splits: how many splits to average over.

    Returns:
        ``(mean, standard deviation)`` of the baseline over the splits.
    """
    n = (
        len(real) // 2
        if n is None
        else _checks.integer(n, "n", 2, context=" (images per set)", example=500)
    )
    splits = _checks.integer(splits, "splits", 1, context=" (random splits)", example=5)
    if n < 2 or 2 * n > len(real):
        raise ValueError(
            f"real_baseline needs 2 * n <= {len(real)} real images and n >= 2; got n = {n}."
        )
    if splits < 1:
        raise ValueError(f"real_baseline needs at least one split; got splits = {splits}.")
    baselines, _ = _split_fds(features(real, dataset), n, splits, seed)
    return float(baselines.mean()), float(baselines.std())


def fd_by_size(
    feats_a: np.ndarray,
    feats_b: np.ndarray | None,
    sizes: list[int] | tuple[int, ...],
    splits: int = DEFAULT_SPLITS,
    seed: int = 0,
) -> np.ndarray:
    """The Frechet distance estimated from ``n`` samples per set, for each ``n`` in ``sizes``.

    An FD computed from a finite sample is biased upwards, by roughly ``c / n``
    (Chong & Forsyth 2020): the covariances of few samples are noisy, and noise only adds
    distance. This function shows it. For each size and split it draws ``n`` random rows of
    ``feats_a`` and ``n`` of ``feats_b`` (without replacement) and computes their FD. With
    ``feats_b=None`` it draws two *disjoint* sets of ``n`` rows from ``feats_a``: the
    real-vs-real baseline at that size.

    Args:
        feats_a: ``(N_a, F)`` features (e.g. of generated images, or of real ones).
        feats_b: ``(N_b, F)`` features, or ``None`` (see above).
        sizes: sample sizes ``n >= 2``; each needs ``n <= N_a`` and ``n <= N_b`` (``2 n <= N_a``
            without ``feats_b``).
        splits: random draws per size.
        seed: chooses the draws.

    Returns:
        ``(len(sizes), splits)`` distances.

    Raises:
        ValueError: a set is not a finite real ``(N, F)`` array, the two differ in ``F``,
            ``sizes`` is empty or holds a value that is not an int in ``2..room``, or ``splits``
            is not an int >= 1.
    """
    if feats_b is None:
        a, b = _checks.feature_rows(feats_a, "fd_by_size: feats_a", 4), None
    else:
        a, b = _feature_pair(feats_a, feats_b, "fd_by_size", 2)
    room = len(a) // 2 if b is None else min(len(a), len(b))
    splits = _checks.integer(splits, "splits", 1, context=" (random draws per size)", example=5)
    if isinstance(sizes, (str, bytes)) or not np.iterable(sizes) or len(sizes) == 0:
        raise ValueError(
            f"fd_by_size needs a non-empty list of sample sizes; got {sizes!r}. Pass e.g. "
            f"sizes=[250, 500, 1000]."
        )
    limit = "half the rows of feats_a" if b is None else "the rows of the smaller set"
    for i, n in enumerate(sizes):
        _checks.integer(
            n,
            f"sizes[{i}]",
            2,
            room,
            context=f" (at most {limit})",
            fix=f"Got sizes {list(sizes)}: drop the sizes outside 2..{room}, or pass more rows.",
            example=room,
        )
    rng = np.random.default_rng(seed)
    out = np.empty((len(sizes), splits))
    for i, n in enumerate(sizes):
        for j in range(splits):
            ia = rng.permutation(len(a))
            if b is None:
                out[i, j] = frechet_distance(a[ia[:n]], a[ia[n : 2 * n]])
            else:
                out[i, j] = frechet_distance(a[ia[:n]], b[rng.permutation(len(b))[:n]])
    return out


def extrapolate_fd(sizes: list[int] | tuple[int, ...], fds: np.ndarray) -> tuple[float, float]:
    """Fit ``FD(n) = FD_inf + c / n`` by least squares and return ``(FD_inf, c)``.

    The straight line in ``1 / n`` of Chong & Forsyth (2020): its value at ``1 / n = 0`` is the
    distance an infinite sample would measure, free of the ``n``-dependent bias, so generators
    evaluated with different numbers of images can be compared.

    ``FD_inf`` is an *estimate*, the intercept of a fitted line, not a distance, so it can fall
    below zero: when the true distance is close to 0 (real against real), the scatter of the
    measured points tilts the line either way, and chapter 9's real-vs-real row extrapolates to
    about -0.1. A negative ``FD_inf`` means "no distance left that these sizes can resolve",
    never a distance smaller than zero; it is returned as fitted, not clipped at 0, so that
    several estimates can be averaged without a bias upwards. Compare it with the spread of the
    estimate (refit on other draws) before reading anything into it.

    Args:
        sizes: at least two different sample sizes, each a positive finite number.
        fds: ``(len(sizes),)`` distances, or ``(len(sizes), splits)`` (the mean per row is fitted),
            all finite.

    Returns:
        ``(FD_inf, c)``; ``FD_inf`` may be negative (see above).

    Raises:
        ValueError: sizes that are not positive finite numbers, distances that are not finite
            numbers, a shape mismatch, or fewer than two different sizes.
    """
    n = _checks.numbers(sizes, "sizes", "sample sizes")
    fix = "Pass the sizes given to fd_by_size and the distances it returned."
    _checks.finite(n, "sizes", fix)
    if (n <= 0).any():
        raise ValueError(
            f"extrapolate_fd needs positive sample sizes (it fits against 1 / n); sizes holds "
            f"{_checks.shown(n[n <= 0][0])} at {_checks.position(n <= 0)}. {fix}"
        )
    y = _checks.finite(_checks.numbers(fds, "fds", "Frechet distances"), "fds", fix)
    y = y.mean(axis=1) if y.ndim == 2 else y
    if y.shape != n.shape or len(np.unique(n)) < 2:
        raise ValueError(
            f"extrapolate_fd needs one distance per size and at least two different sizes; got "
            f"{len(n)} sizes ({len(np.unique(n))} different) and distances of shape "
            f"{np.shape(fds)}."
        )
    slope, intercept = np.polyfit(1.0 / n, y, 1)
    return float(intercept), float(slope)


@dataclass(frozen=True)
class QualityReport:
    """What :func:`evaluate` measured.

    Attributes:
        fd: Frechet distance, generated vs real (``n`` images each), mean over the splits.
        fd_std: its standard deviation over the splits (which real images were drawn).
        baseline: Frechet distance between two disjoint sets of ``n`` real images, mean over the
            splits.
        baseline_std: its standard deviation over the splits.
        ratio: ``fd / baseline`` (1 is as good as real data).
        ratio_range: ``(min, max)`` over the splits of each split's own ``fd / baseline``.
        entropy: normalised entropy of the generated images' predicted classes (1 = uniform).
        largest_share: share of the most frequent predicted class (0.1 = uniform).
        tv_uniform: total-variation distance of the predicted classes to uniform (0 = uniform).
        histogram: ``(10,)`` counts of predicted classes of the generated images.
        n: images per set.
        splits: how many random splits of the reference were averaged.
        dataset: which classifier judged them.
    """

    fd: float
    fd_std: float
    baseline: float
    baseline_std: float
    ratio: float
    ratio_range: tuple[float, float]
    entropy: float
    largest_share: float
    tv_uniform: float
    histogram: np.ndarray
    n: int
    splits: int
    dataset: str

    def __str__(self) -> str:
        lo, hi = self.ratio_range
        return (
            f"{self.dataset}, {self.n:,} images per set, {self.splits} splits: "
            f"FD {self.fd:.3f} ± {self.fd_std:.3f}, real-vs-real baseline {self.baseline:.3f} "
            f"± {self.baseline_std:.3f}, ratio {self.ratio:.2f} (splits: {lo:.2f}-{hi:.2f}); "
            f"class entropy {self.entropy:.3f}, largest class {self.largest_share:.1%}, "
            f"TV to uniform {self.tv_uniform:.3f}; predicted classes {self.histogram.tolist()}"
        )


def evaluate(
    generated: np.ndarray,
    reference: np.ndarray,
    dataset: str = "mnist",
    splits: int = DEFAULT_SPLITS,
    seed: int = 0,
) -> QualityReport:
    """Judge generated images against held-out real ones with the quality classifier.

    For each of ``splits`` random splits, the reference is shuffled and cut into two disjoint
    sets ``R1``, ``R2`` of ``n = min(len(generated), len(reference) // 2)`` images; the FD of
    ``n`` generated images to ``R1`` and the baseline ``FD(R1, R2)`` are averaged over the splits.
    Both distances use the same number of images, which matters because an FD estimated from few
    samples is biased upwards; several splits keep one lucky or unlucky split from deciding the
    ratio.

    Args:
        generated: generator output, ``uint8`` 0..255 or floats in [-1, 1], any shape accepted by
            :func:`features`.
        reference: real images the classifier never saw (:func:`reference_images`), at least 4
            (ideally ``2 * len(generated)``).
        dataset: ``"mnist"`` or ``"fashion-mnist"``.
        splits: how many random splits of the reference to average over.
        seed: chooses the splits.
    """
    _check_dataset(dataset)
    splits = _checks.integer(splits, "splits", 1, context=" (random splits)", example=5)
    n = min(len(generated), len(reference) // 2)
    if n < 2:
        raise ValueError(
            f"evaluate needs at least 2 generated and 4 real images; "
            f"got {len(generated)} and {len(reference)}."
        )
    if splits < 1:
        raise ValueError(f"evaluate needs at least one split; got splits = {splits}.")
    f_ref = _reference_features(reference, dataset)
    f_gen, logits = _run(np.asarray(generated)[:n], dataset, 500)
    labels = logits.argmax(axis=1)
    baselines, fds = _split_fds(f_ref, n, splits, seed, f_gen)
    per_split = fds / np.maximum(baselines, 1e-12)
    return QualityReport(
        fd=float(fds.mean()),
        fd_std=float(fds.std()),
        baseline=float(baselines.mean()),
        baseline_std=float(baselines.std()),
        ratio=float(fds.mean() / max(baselines.mean(), 1e-12)),
        ratio_range=(float(per_split.min()), float(per_split.max())),
        entropy=class_entropy(labels),
        largest_share=largest_class_share(labels),
        tv_uniform=tv_to_uniform(labels),
        histogram=class_histogram(labels),
        n=n,
        splits=splits,
        dataset=dataset,
    )


def against(
    name: str,
    value: float,
    bar: float,
    target: float,
    lower_is_better: bool = True,
    fmt: str = ".2f",
) -> str:
    """One line that sets a result beside the bar a chapter asserts and its stretch target.

    A missed target is reported in words, never as an error: the chapter asserts only the bar.

    Example::

        >>> against("FD / baseline", 21.3, bar=35, target=8)
        'FD / baseline 21.30: bar <= 35 met; target <= 8 not reached'
    """
    sign = "<=" if lower_is_better else ">="

    def ok(limit: float) -> bool:
        return value <= limit if lower_is_better else value >= limit

    return (
        f"{name} {value:{fmt}}: bar {sign} {bar:g} {'met' if ok(bar) else 'NOT met'}; "
        f"target {sign} {target:g} {'reached' if ok(target) else 'not reached'}"
    )
