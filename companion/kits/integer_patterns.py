"""Integer patterns for the one-hot chapter: sequences of multiples of 5, and how to grade them.

The training data are sequences of ``length`` whole numbers drawn uniformly from the *valid*
values ``0, 5, 10, ..., 95`` (the multiples of ``step`` below ``depth``). A generator is graded on
the integers it produces (after decoding its one-hot output with ``argmax``):

- **share valid**: the fraction that are multiples of ``step`` in ``0..depth-1``;
- **coverage**: how many of the valid values appear at least once (20 of 20 is perfect);
- **total variation distance** between the histogram of the generated integers and the uniform
  target over the valid values, ``TV = 1/2 * sum_k |p_k - q_k|`` in ``[0, 1]``: 0 when the
  frequencies match the target exactly, 1 when no generated integer is valid. It punishes both
  invalid numbers and missing (or over-used) valid ones, so it is the distance the chapters stop on.

Framework-neutral: NumPy in, NumPy out; never imports torch or tensorflow.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from companion.kits.encoding import one_hot

__all__ = [
    "DEPTH",
    "STEP",
    "LENGTH",
    "valid_values",
    "sample_sequences",
    "sample_batch",
    "is_valid",
    "histogram",
    "total_variation",
    "PatternReport",
    "evaluate",
    "plot_histogram",
]

#: How many integers there are (``0..99``), and the length of each one-hot vector.
DEPTH = 100
#: The pattern is "multiples of ``STEP``".
STEP = 5
#: Integers per training sequence, as in the seed article.
LENGTH = 10


def _check_positive(name: str, value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a whole number >= 1, got {value!r}.")
    return int(value)


def valid_values(depth: int = DEPTH, step: int = STEP) -> np.ndarray:
    """The valid integers: multiples of ``step`` in ``0..depth-1``, ascending.

    Returns ``int64``, shape ``(ceil(depth/step),)``.
    """
    depth, step = _check_positive("depth", depth), _check_positive("step", step)
    return np.arange(0, depth, step, dtype=np.int64)


def sample_sequences(
    rng: np.random.Generator,
    n_sequences: int,
    length: int = LENGTH,
    depth: int = DEPTH,
    step: int = STEP,
) -> np.ndarray:
    """Draw ``n_sequences`` sequences of ``length`` valid integers, each uniform and independent.

    Returns:
        ``int64`` array of shape ``(n_sequences, length)`` with values in ``valid_values()``.
    """
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            "rng must be a numpy.random.Generator (np.random.default_rng(seed)), "
            f"got {type(rng).__name__}."
        )
    n_sequences, length = (
        _check_positive("n_sequences", n_sequences),
        _check_positive("length", length),
    )
    values = valid_values(depth, step)
    return rng.choice(values, size=(n_sequences, length))


def sample_batch(
    rng: np.random.Generator,
    n_sequences: int,
    length: int = LENGTH,
    depth: int = DEPTH,
    step: int = STEP,
) -> np.ndarray:
    """One training batch: :func:`sample_sequences` one-hot encoded.

    Returns:
        ``float32`` array of shape ``(n_sequences, length, depth)``: one one-hot vector per integer.
    """
    return one_hot(sample_sequences(rng, n_sequences, length, depth, step), depth)


def _as_integers(values: ArrayLike) -> np.ndarray:
    arr = np.asarray(values)
    if arr.size == 0:
        raise ValueError("got no integers to grade: pass at least one generated value.")
    if not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(
            f"expected decoded integers (e.g. decode_one_hot(outputs)), got an array of dtype "
            f"{arr.dtype}. Decode the generator's one-hot vectors with argmax first."
        )
    return arr.reshape(-1).astype(np.int64)


def is_valid(values: ArrayLike, depth: int = DEPTH, step: int = STEP) -> np.ndarray:
    """Boolean mask shaped like ``values``.

    True where a value is a multiple of ``step`` in ``0..depth-1``.
    """
    arr = np.asarray(values)
    flat = _as_integers(arr)
    ok = (flat >= 0) & (flat < depth) & (flat % step == 0)
    return ok.reshape(arr.shape)


def histogram(values: ArrayLike, depth: int = DEPTH) -> np.ndarray:
    """Relative frequency of each integer ``0..depth-1``.

    Returns ``float64``, shape ``(depth,)``, summing to 1 over in-range values.

    Values outside ``0..depth-1`` are not counted in any bin (they still count in the total).
    """
    flat = _as_integers(values)
    inside = flat[(flat >= 0) & (flat < depth)]
    return np.bincount(inside, minlength=depth)[:depth] / flat.size


def total_variation(values: ArrayLike, depth: int = DEPTH, step: int = STEP) -> float:
    """Total variation distance in ``[0, 1]`` between the values' histogram and the uniform target.

    ``TV = 1/2 * sum_k |p_k - q_k|`` with ``q_k = 1/20`` on the valid values and 0 elsewhere. With
    ``n`` samples even a perfect generator scores about ``sqrt((K - 1) / (2 pi n))`` with ``K = 20``
    valid values, not 0, because of sampling noise (about 0.055 for ``n = 1000``).
    """
    p = histogram(values, depth)
    q = np.zeros(depth)
    q[valid_values(depth, step)] = 1.0 / len(valid_values(depth, step))
    outside = 1.0 - p.sum()  # mass on integers outside 0..depth-1
    return float(0.5 * (np.abs(p - q).sum() + outside))


@dataclass(frozen=True)
class PatternReport:
    """How good a set of generated integers is.

    Attributes:
        n: how many integers were graded.
        share_valid: fraction that are valid, in ``[0, 1]``.
        covered: how many distinct valid values appear (``0..n_valid``).
        n_valid: how many valid values there are (20 for multiples of 5 below 100).
        distance: :func:`total_variation` to the uniform target, in ``[0, 1]``.
        distinct: how many distinct integers appear at all, valid or not.
        effective: effective number of valid values, ``exp(H)`` with ``H`` the entropy of the
            frequencies of the valid values among the valid outputs: 20 for a uniform spread,
            about 3 when nearly all outputs are three values (a collapse that coverage alone,
            which counts a value seen once, does not show); 0 when nothing is valid.
        largest: frequency of the most frequent integer among all ``n``, in ``[0, 1]``.
    """

    n: int
    share_valid: float
    covered: int
    n_valid: int
    distance: float
    distinct: int
    effective: float
    largest: float

    def passes(
        self,
        min_valid: float,
        min_covered: int,
        max_distance: float,
        min_effective: float,
        max_largest: float,
    ) -> bool:
        """Whether every bar holds: share valid, coverage, TV distance, effective number of
        values and largest frequency."""
        return (
            self.share_valid >= min_valid
            and self.covered >= min_covered
            and self.distance <= max_distance
            and self.effective >= min_effective
            and self.largest <= max_largest
        )

    def __str__(self) -> str:
        return (
            f"n={self.n} valid={self.share_valid:.1%} covered={self.covered}/{self.n_valid} "
            f"effective={self.effective:.1f} distinct={self.distinct} TV={self.distance:.3f}"
        )


def evaluate(values: ArrayLike, depth: int = DEPTH, step: int = STEP) -> PatternReport:
    """Grade generated integers (any shape).

    Share valid, coverage, distance to the uniform target.
    """
    flat = _as_integers(values)
    ok = is_valid(flat, depth, step)
    effective = 0.0
    if ok.any():
        _, counts = np.unique(flat[ok], return_counts=True)
        freq = counts / counts.sum()
        effective = float(np.exp(-(freq * np.log(freq)).sum()))
    return PatternReport(
        n=int(flat.size),
        share_valid=float(ok.mean()),
        covered=int(np.unique(flat[ok]).size),
        n_valid=int(valid_values(depth, step).size),
        distance=total_variation(flat, depth, step),
        distinct=int(np.unique(flat).size),
        effective=effective,
        largest=float(histogram(flat, depth).max()),
    )


def plot_histogram(
    values: ArrayLike, ax=None, title: str | None = None, depth: int = DEPTH, step: int = STEP
):
    """Bar chart of the frequency of each integer ``0..depth-1`` against the uniform target.

    Valid values are drawn in blue, invalid ones in red, the target ``1/20`` as a dashed line.
    Returns the matplotlib ``Axes``.
    """
    import matplotlib.pyplot as plt  # only the figure needs matplotlib

    p = histogram(values, depth)
    valid = np.zeros(depth, dtype=bool)
    valid[valid_values(depth, step)] = True
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 2.8))
    ax.bar(np.arange(depth)[valid], p[valid], width=2.5, color="tab:blue", label="valid value")
    if p[~valid].any():
        ax.bar(
            np.arange(depth)[~valid], p[~valid], width=1.0, color="tab:red", label="invalid value"
        )
    ax.axhline(1.0 / valid.sum(), color="k", ls="--", lw=1, label=f"uniform target 1/{valid.sum()}")
    ax.set_xlim(-2, depth + 1)
    ax.set_xlabel("generated integer")
    ax.set_ylabel("frequency")
    ax.legend(loc="upper right", fontsize=8)
    if title:
        ax.set_title(title)
    return ax
