"""Class labels for conditional generators: checked, encoded, mixed, and graded, in NumPy.

A conditional generator ``G(z, y)`` takes a noise batch ``z`` of shape ``(B, nz)`` and one class
label per noise vector. The chapters hand the label to the networks as a one-hot vector
(:func:`companion.encoding.one_hot`), so a *mixture* of two labels, ``(1 - t) e_a + t e_b``, is
a valid input too (:func:`label_walk`). :func:`label_vectors` is the one door labels go through:
it refuses what a generator would silently misuse (a label outside ``0..n_classes-1``, a float
label, a batch of labels whose length differs from the noise batch) with a message that names
the value. :func:`conditional_accuracy` grades the result: the share of generated images that a
classifier assigns to the class that was asked for.

Framework-neutral: never imports torch or tensorflow; the arrays go into ``torch.from_numpy`` or
``tf.convert_to_tensor`` as they are.

Example::

    y = label_vectors([0, 3, 9], n_classes=10, batch=3)   # float32 (3, 10)
    overall, per_class = conditional_accuracy(predicted, requested, n_classes=10)
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from companion.encoding import one_hot

__all__ = [
    "check_labels",
    "label_vectors",
    "class_grid_labels",
    "label_walk",
    "conditional_accuracy",
    "evaluate_per_class",
]


def check_labels(labels: ArrayLike, n_classes: int, batch: int | None = None) -> np.ndarray:
    """Check a batch of class labels and return them as ``int64`` ``(B,)``.

    Args:
        labels: whole numbers in ``0..n_classes-1``, one per noise vector, as a list or a 1-D
            integer array (``uint8`` labels from :func:`companion.data.load` are fine).
        n_classes: how many classes the generator knows.
        batch: the length of the noise batch the labels go with; ``None`` skips that check.

    Raises:
        ValueError: the labels are not a 1-D batch, are floats or bools (``3.0`` too: a float
            label is usually a one-hot vector or a probability passed by mistake), lie outside
            ``0..n_classes-1``, or there are not ``batch`` of them. The message names the first
            offending value and says what to do.
    """
    arr = np.asarray(labels)
    if arr.ndim != 1:
        raise ValueError(
            f"Class labels must be a 1-D batch of whole numbers, one per noise vector; got an "
            f"array of shape {arr.shape}. For one-hot rows use decode_one_hot first; for a "
            f"single label write [label]."
        )
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.integer):
        example = arr.flat[0].item() if arr.size else "(empty)"
        raise ValueError(
            f"Class labels must be integers 0..{n_classes - 1}; got dtype {arr.dtype} "
            f"(first value {example!r}). Pass integer labels, e.g. np.array([...], dtype=int); "
            f"to mix two classes use label_walk instead of a fractional label."
        )
    outside = (arr < 0) | (arr >= n_classes)
    if outside.any():
        raise ValueError(
            f"Class label {arr[outside][0].item()!r} is outside 0..{n_classes - 1} "
            f"({int(outside.sum())} of {arr.size} labels out of range): this generator knows "
            f"{n_classes} classes."
        )
    if batch is not None and arr.size != batch:
        raise ValueError(
            f"Got {arr.size} class labels for a noise batch of {batch}: give exactly one label "
            f"per noise vector."
        )
    return arr.astype(np.int64)


def label_vectors(labels: ArrayLike, n_classes: int, batch: int | None = None) -> np.ndarray:
    """Checked labels as one-hot rows: ``float32`` ``(B, n_classes)``, see :func:`check_labels`."""
    return one_hot(check_labels(labels, n_classes, batch), n_classes)


def class_grid_labels(n_classes: int, per_class: int) -> np.ndarray:
    """Labels for a grid with one row per class: ``0`` repeated ``per_class`` times, then ``1``,
    ..., as ``int64`` ``(n_classes * per_class,)``."""
    return np.repeat(np.arange(n_classes, dtype=np.int64), per_class)


def label_walk(a: int, b: int, n_classes: int, steps: int) -> np.ndarray:
    """Label vectors from class ``a`` to class ``b``: ``(1 - t) e_a + t e_b`` for ``steps``
    values of ``t`` from 0 to 1.

    Returns:
        ``float32`` ``(steps, n_classes)``; each row sums to 1.

    Raises:
        ValueError: ``a`` or ``b`` outside ``0..n_classes-1``, or fewer than 2 steps.
    """
    if steps < 2:
        raise ValueError(f"label_walk needs at least 2 steps (both ends); got {steps}.")
    ends = label_vectors([a, b], n_classes)
    t = np.linspace(0.0, 1.0, steps, dtype=np.float32)[:, None]
    return (1 - t) * ends[0] + t * ends[1]


def conditional_accuracy(
    predicted: ArrayLike, requested: ArrayLike, n_classes: int
) -> tuple[float, np.ndarray]:
    """How often the image made for class ``k`` is classified as ``k``.

    Args:
        predicted: a classifier's labels for the generated images, ``(N,)``.
        requested: the labels the images were generated for, ``(N,)``.
        n_classes: number of classes.

    Returns:
        ``(overall, per_class)``: the share of all images whose predicted label is the requested
        one, and ``float64`` ``(n_classes,)`` with that share among the images requested for each
        class (``nan`` for a class that was never requested).
    """
    pred = check_labels(predicted, n_classes)
    req = check_labels(requested, n_classes, batch=len(pred))
    if req.size == 0:
        raise ValueError("conditional_accuracy needs at least one image; got none.")
    hits = pred == req
    counts = np.bincount(req, minlength=n_classes)
    right = np.bincount(req, weights=hits, minlength=n_classes)
    with np.errstate(invalid="ignore", divide="ignore"):
        per_class = np.where(counts > 0, right / np.maximum(counts, 1), np.nan)
    return float(hits.mean()), per_class


def evaluate_per_class(
    generated: np.ndarray,
    requested: ArrayLike,
    reference: np.ndarray,
    reference_labels: ArrayLike,
    dataset: str,
    n_classes: int = 10,
) -> list:
    """:func:`companion.quality.evaluate` for each class on its own: the images generated for
    class ``k`` against the held-out real images of class ``k``.

    Args:
        generated: images ``(N, ...)`` as :func:`companion.quality.evaluate` takes them.
        requested: the label each image was generated for, ``(N,)``.
        reference: held-out real images (:func:`companion.quality.reference_images`).
        reference_labels: their classes (:func:`companion.quality.reference_labels`).
        dataset: which classifier judges them.
        n_classes: number of classes.

    Returns:
        one :class:`companion.quality.QualityReport` per class, in label order; each compares
        ``min(generated of k, real of k // 2)`` images with a baseline of the same size.

    Raises:
        ValueError: mismatched lengths, labels out of range, or a class with too few images.
    """
    from companion import quality

    req = check_labels(requested, n_classes, batch=len(generated))
    ref = check_labels(reference_labels, n_classes, batch=len(reference))
    return [
        quality.evaluate(generated[req == k], reference[ref == k], dataset)
        for k in range(n_classes)
    ]
