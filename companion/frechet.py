"""The Frechet distance between two sets of feature vectors, and how it depends on their size.

``FD = |mu_a - mu_b|^2 + tr(S_a + S_b - 2 (S_a S_b)^(1/2))`` between the Gaussians fitted to two
sets of features (means ``mu``, covariances ``S``): the idea of the FID of Heusel et al. (2017),
here on the 64 features of :mod:`companion.classifier` instead of Inception's 2,048. An FD alone
has no scale, so :func:`real_baseline` measures it between two disjoint sets of *real* images of
the same size, the best a generator could hope for; one random split would decide every ratio,
so the baseline is averaged over several splits (:func:`split_fds`). An FD estimated from ``n``
samples is biased upwards by about ``c / n``: :func:`fd_by_size` shows it and
:func:`extrapolate_fd` removes it (Chong & Forsyth 2020).
"""

from __future__ import annotations

import numpy as np

from companion import _checks
from companion.classifier import features

__all__ = [
    "DEFAULT_SPLITS",
    "frechet_distance",
    "split_fds",
    "real_baseline",
    "fd_by_size",
    "extrapolate_fd",
]

#: Number of random splits of the reference over which :func:`real_baseline` and
#: :func:`companion.quality.evaluate` average their FDs.
DEFAULT_SPLITS = 5


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


def split_fds(
    f_ref: np.ndarray, n: int, splits: int, seed: int, f_gen: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """For each of ``splits`` random splits of the reference features into disjoint ``R1``, ``R2``
    of ``n`` rows: ``FD(R1, R2)`` and, if ``f_gen`` is given, ``FD(f_gen, R1)``.

    Args:
        f_ref: ``(N, F)`` features of the reference, ``N >= 2 n``.
        n: rows per set.
        splits: how many random splits.
        seed: chooses the splits.
        f_gen: ``(n, F)`` features of generated images, or ``None``.

    Returns:
        ``(baselines, fds)``, each ``(splits,)``; ``fds`` is empty without ``f_gen``.
    """
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
        real: real images (as in :func:`companion.classifier.features`), at least ``2 * n``.
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
    baselines, _ = split_fds(features(real, dataset), n, splits, seed)
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
