"""Class labels for conditional generators: checked, encoded, mixed, and graded, in NumPy.

A conditional generator ``G(z, y)`` takes a noise batch ``z`` of shape ``(B, nz)`` and one class
label per noise vector. The chapters hand the label to the networks as a one-hot vector
(:func:`companion.kits.encoding.one_hot`), so a *mixture* of two labels, ``(1 - t) e_a + t e_b``, is
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

from companion import _checks
from companion.kits.encoding import one_hot

__all__ = [
    "check_labels",
    "label_vectors",
    "class_grid_labels",
    "label_walk",
    "conditional_accuracy",
    "evaluate_per_class",
]


def _n_classes(n_classes: object) -> int:
    """``n_classes`` as an int >= 1; a ValueError that names it otherwise."""
    return _checks.integer(
        n_classes,
        "n_classes",
        1,
        context=" (how many classes the generator knows)",
        fix="Pass the number of classes, e.g. n_classes=10 for MNIST or Fashion-MNIST.",
        example=10,
    )


def _outside(value: int, count: int, total: int, n_classes: int, where: str) -> ValueError:
    return ValueError(
        f"Class label {value!r}{where} is outside 0..{n_classes - 1} ({count} of {total} labels "
        f"out of range): this generator knows {n_classes} classes."
    )


def check_labels(
    labels: ArrayLike, n_classes: int, batch: int | None = None, *, name: str | None = None
) -> np.ndarray:
    """Check a batch of class labels and return them as ``int64`` ``(B,)``.

    Args:
        labels: whole numbers in ``0..n_classes-1``, one per noise vector, as a list or a 1-D
            integer array (``uint8`` labels from :func:`companion.data.load` are fine). An empty
            list is an empty batch.
        n_classes: how many classes the generator knows, an int >= 1.
        batch: the length of the noise batch the labels go with; ``None`` skips that check.
        name: the argument the labels came in as (``"requested"``), named in the messages.

    Raises:
        ValueError: ``n_classes`` or ``batch`` is not a whole number in range; the labels are
            not a 1-D batch, are floats or bools (``3.0`` too: a float label is usually a one-hot
            vector or a probability passed by mistake), are NaN or infinite, are not numbers at
            all (``None``), lie outside ``0..n_classes-1``, or there are not ``batch`` of them.
            The message names the first offending value and says what to do.
    """
    n_classes = _n_classes(n_classes)
    if batch is not None:
        batch = _checks.integer(batch, "batch", 0, context=" (the noise batch's length)")
    where = f" in `{name}`" if name else ""
    what = f"Class labels{where}"
    shape_fix = "For one-hot rows use decode_one_hot first; for a single label write [label]."
    try:
        arr = np.asarray(labels)
    except ValueError:  # a ragged list such as [1, [2, 3]]
        raise ValueError(
            f"{what} must be a 1-D batch of whole numbers, one per noise vector; got a ragged "
            f"sequence {labels!r:.80}. {shape_fix}"
        ) from None
    if arr.ndim != 1:
        raise ValueError(
            f"{what} must be a 1-D batch of whole numbers, one per noise vector; got an "
            f"array of shape {arr.shape}. {shape_fix}"
        )
    fix = (
        "Pass integer labels, e.g. np.array([...], dtype=int); to mix two classes use label_walk "
        "instead of a fractional label."
    )
    if arr.size == 0:
        arr = np.zeros(0, dtype=np.int64)  # an empty list has no dtype to judge
    elif arr.dtype == object:  # None among the labels, or an int too large for int64
        values = arr.tolist()
        for i, value in enumerate(values):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
                raise ValueError(
                    f"{what} must be integers 0..{n_classes - 1}; got {_checks.shown(value)} "
                    f"(a {type(value).__name__}) at position {i}. {fix}"
                )
        outside = [int(v) for v in values if not 0 <= v < n_classes]
        if outside:
            raise _outside(outside[0], len(outside), len(values), n_classes, where)
        arr = np.array(values, dtype=np.int64)
    elif arr.dtype.kind == "f" and not np.isfinite(arr).all():
        bad = ~np.isfinite(arr)
        raise ValueError(
            f"{what} must be integers 0..{n_classes - 1}; got {_checks.shown(arr[bad][0])} at "
            f"{_checks.position(bad)} ({int(bad.sum())} NaN or infinite). A NaN label usually "
            f"comes from a division by zero or a diverged model upstream: find where it was "
            f"made. {fix}"
        )
    elif arr.dtype == bool or not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(
            f"{what} must be integers 0..{n_classes - 1}; got dtype {arr.dtype} "
            f"(first value {_checks.shown(arr[0])}). {fix}"
        )
    outside_mask = (arr < 0) | (arr >= n_classes)
    if outside_mask.any():
        raise _outside(
            arr[outside_mask][0].item(), int(outside_mask.sum()), arr.size, n_classes, where
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
    n_classes = _n_classes(n_classes)
    per_class = _checks.integer(per_class, "per_class", 1, context=" (images of each class)")
    return np.repeat(np.arange(n_classes, dtype=np.int64), per_class)


def label_walk(a: int, b: int, n_classes: int, steps: int) -> np.ndarray:
    """Label vectors from class ``a`` to class ``b``: ``(1 - t) e_a + t e_b`` for ``steps``
    values of ``t`` from 0 to 1.

    Returns:
        ``float32`` ``(steps, n_classes)``; each row sums to 1.

    Raises:
        ValueError: ``a`` or ``b`` is not an int in ``0..n_classes-1``, or ``steps`` is not an
            int >= 2.
    """
    n_classes = _n_classes(n_classes)
    steps = _checks.integer(
        steps, "steps", 2, context=" (both ends of the walk)", fix="Pass steps=2 or more, e.g. 9."
    )
    ends = [
        _checks.integer(
            end,
            name,
            0,
            n_classes - 1,
            context=f" (a class of the {n_classes} the generator knows)",
            fix="Pick a class label in that range.",
            example=0,
        )
        for name, end in (("a", a), ("b", b))
    ]
    ends = label_vectors(ends, n_classes)
    t = np.linspace(0.0, 1.0, steps, dtype=np.float32)[:, None]
    return (1 - t) * ends[0] + t * ends[1]


def _same_length(need: str, a: tuple[str, int, str], b: tuple[str, int, str], fix: str) -> None:
    """A ValueError unless two arguments, each ``(name, length, unit)``, are equally long."""
    if a[1] != b[1]:
        raise ValueError(
            f"{need}; got {a[1]} {a[2]}in `{a[0]}` and {b[1]} {b[2]}in `{b[0]}`. {fix}"
        )


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

    Raises:
        ValueError: bad labels (see :func:`check_labels`), ``predicted`` and ``requested`` of
            different lengths, or no images at all.
    """
    n_classes = _n_classes(n_classes)
    pred = check_labels(predicted, n_classes, name="predicted")
    req = check_labels(requested, n_classes, name="requested")
    _same_length(
        "conditional_accuracy needs one requested label per predicted label",
        ("predicted", len(pred), ""),
        ("requested", len(req), ""),
        "Pass the classifier's labels and the labels the same images were generated for, in the "
        "same order.",
    )
    if req.size == 0:
        raise ValueError(
            "conditional_accuracy needs at least one image; got none (`predicted` and "
            "`requested` are empty). Generate some images first, e.g. for "
            "class_grid_labels(n_classes, 10)."
        )
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
        reference: held-out real images (:func:`companion.classifier.reference_images`).
        reference_labels: their classes (:func:`companion.classifier.reference_labels`).
        dataset: which classifier judges them.
        n_classes: number of classes.

    Returns:
        one :class:`companion.quality.QualityReport` per class, in label order; each compares
        ``min(generated of k, real of k // 2)`` images with a baseline of the same size.

    Raises:
        ValueError: mismatched lengths, bad labels (see :func:`check_labels`), or a class with
            fewer than 2 generated or 4 reference images (every such class is named).
    """
    from companion import quality

    n_classes = _n_classes(n_classes)
    generated, reference = np.asarray(generated), np.asarray(reference)
    req = check_labels(requested, n_classes, name="requested")
    ref = check_labels(reference_labels, n_classes, name="reference_labels")
    _same_length(
        "evaluate_per_class needs one requested label per generated image",
        ("generated", len(generated), "images "),
        ("requested", len(req), "labels "),
        "Pass the labels the images were generated for, in the same order.",
    )
    _same_length(
        "evaluate_per_class needs one label per reference image",
        ("reference", len(reference), "images "),
        ("reference_labels", len(ref), "labels "),
        "Take both with the same max_images: quality.reference_images(dataset, n) and "
        "quality.reference_labels(dataset, n).",
    )
    n_gen = np.bincount(req, minlength=n_classes)
    n_ref = np.bincount(ref, minlength=n_classes)
    short = [k for k in range(n_classes) if n_gen[k] < 2 or n_ref[k] < 4]
    if short:
        listed = "; ".join(
            f"class {k}: {n_gen[k]} generated, {n_ref[k]} reference"
            + (" (missing from reference_labels)" if n_ref[k] == 0 else "")
            for k in short
        )
        raise ValueError(
            f"evaluate_per_class needs at least 2 generated and 4 reference images of every "
            f"class 0..{n_classes - 1}; too few for {len(short)} class(es): {listed}. Generate at "
            f"least 2 images per class (e.g. requested = class_grid_labels(n_classes, 50)) and "
            f"pass a reference that holds every class (quality.reference_images without "
            f"max_images)."
        )
    return [
        quality.evaluate(generated[req == k], reference[ref == k], dataset)
        for k in range(n_classes)
    ]
