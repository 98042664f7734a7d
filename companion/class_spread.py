"""The class spread of generated images: how evenly a classifier's predicted classes fall.

A generator that draws only a few kinds of image (mode collapse) shows it in the histogram of
the classes :func:`companion.classifier.predict` gives its images. Three numbers summarise the
histogram: the normalised entropy (1 when all ten classes are predicted equally often, 0 when
every image gets the same class), the largest class share and the total-variation distance to
the uniform distribution (entropy alone hides a lopsided histogram).
"""

from __future__ import annotations

import numpy as np

from companion.classifier import N_CLASSES

__all__ = ["class_histogram", "class_entropy", "largest_class_share", "tv_to_uniform"]


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
            f"classifier.predict(images, dataset)."
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
