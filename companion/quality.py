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
*reference*, :func:`~companion.classifier.reference_images`) are test images the classifier
never saw (:func:`~companion.classifier.held_out_indices`). For Fashion-MNIST that is the whole
test split (the classifier trained on the training split); for MNIST, whose training split is
not available offline, the classifier trained on the even-indexed test images and the reference
is the 5,000 odd-indexed ones, on every machine (the weights ship with the package).

The measure is built from three small modules, each usable on its own: the classifier and its
held-out reference (:mod:`companion.classifier`), the distances (:mod:`companion.frechet`) and
the class spread (:mod:`companion.class_spread`). This module puts them together
(:func:`evaluate`, :class:`QualityReport`) and formats a verdict line (:func:`against`); it also
re-exports their functions, so ``quality.features`` or ``quality.frechet_distance`` work as
before. Everything is NumPy: PyTorch and TensorFlow chapters use the same measure without
importing either framework.

Example::

    from companion import quality
    reference = quality.reference_images("mnist")        # held-out real images
    result = quality.evaluate(fake_images, reference, "mnist")
    print(result)            # FD, baseline, ratio (with spreads), class spread
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from companion import _checks

# the yardstick's parts, re-exported so that `quality.<name>` keeps working in the chapters
from companion.class_spread import (  # noqa: F401
    class_entropy,
    class_histogram,
    largest_class_share,
    tv_to_uniform,
)
from companion.classifier import (  # noqa: F401
    DATASETS,
    N_CLASSES,
    N_FEATURES,
    check_dataset,
    classifier_accuracy,
    classifier_weights,
    features,
    features_and_logits,
    held_out_indices,
    predict,
    reference_features,
    reference_images,
    reference_labels,
)
from companion.frechet import (  # noqa: F401
    DEFAULT_SPLITS,
    extrapolate_fd,
    fd_by_size,
    frechet_distance,
    real_baseline,
    split_fds,
)
from companion.verdicts import Verdict

__all__ = ["QualityReport", "evaluate", "against"]


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
    When there are more than ``n`` generated images, ``n`` of them are drawn at random (by
    ``seed``), not the first ``n``: generators are often sampled class by class, and the first
    half of such a batch would hold only the first half of the classes.
    Both distances use the same number of images, which matters because an FD estimated from few
    samples is biased upwards; several splits keep one lucky or unlucky split from deciding the
    ratio.

    Args:
        generated: generator output, ``uint8`` 0..255 or floats in [-1, 1], any shape accepted by
            :func:`~companion.classifier.features`.
        reference: real images the classifier never saw
            (:func:`~companion.classifier.reference_images`), at least 4 (ideally
            ``2 * len(generated)``).
        dataset: ``"mnist"`` or ``"fashion-mnist"``.
        splits: how many random splits of the reference to average over.
        seed: chooses the splits.
    """
    check_dataset(dataset)
    splits = _checks.integer(splits, "splits", 1, context=" (random splits)", example=5)
    n = min(len(generated), len(reference) // 2)
    if n < 2:
        raise ValueError(
            f"evaluate needs at least 2 generated and 4 real images; "
            f"got {len(generated)} and {len(reference)}."
        )
    if splits < 1:
        raise ValueError(f"evaluate needs at least one split; got splits = {splits}.")
    f_ref = reference_features(reference, dataset)
    generated = np.asarray(generated)
    if len(generated) > n:  # a random subset, never the first n (often a few classes only)
        keep = np.random.default_rng([seed, len(generated)]).choice(
            len(generated), n, replace=False
        )
        generated = generated[np.sort(keep)]
    f_gen, logits = features_and_logits(generated, dataset, 500)
    labels = logits.argmax(axis=1)
    baselines, fds = split_fds(f_ref, n, splits, seed, f_gen)
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
    *,
    variant: str = "",
    asserted: bool = True,
    reference: str = "",
    spread: tuple[float, float] | None = None,
) -> Verdict:
    """A result set beside the bar a chapter asserts and its stretch target.

    Prints as one line; ``display`` it in a notebook to store its numbers beside the line
    (:class:`companion.verdicts.Verdict` says how, and what the keyword arguments mean). A missed
    target is reported in words, never as an error: the chapter asserts only the bar.

    Example::

        >>> print(against("FD / baseline", 21.3, bar=35, target=8))
        FD / baseline 21.30: bar <= 35 met; target <= 8 not reached
    """
    return Verdict(
        name,
        value,
        bar,
        target,
        lower_is_better,
        fmt,
        variant=variant,
        asserted=asserted,
        reference=reference,
        spread=spread,
    )
