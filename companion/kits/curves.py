"""Points on a curve: the data, the measurements and the picture of chapter 3.

Chapter 3 trains a GAN for a 2-D shape.

The shape is the exponential growth curve ``y = base**x`` (``base = 1.08``) with ``x`` uniform
on ``[0, 50]``. A generator is judged on two things at once, so both are measured here:

* *closeness*: how far a generated point ``(x, y)`` lies from the curve at its own ``x``,
  as the relative distance ``|y - base**x| / base**x``;
* *coverage*: whether the generated ``x`` fill ``[0, 50]`` evenly (the share of points in each
  of ``bins`` equal bins, target ``1 / bins``) and how many fall outside the range.

Framework-neutral: NumPy arrays in, NumPy arrays or floats out; never imports torch or
tensorflow. A point cloud is always an array of shape ``(N, 2)`` with columns ``x`` and ``y``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from matplotlib.axes import Axes

__all__ = [
    "BASE",
    "X_RANGE",
    "CurveError",
    "exp_curve",
    "sample_curve",
    "LogScaler",
    "relative_distance",
    "outside_share",
    "bin_shares",
    "CurveReport",
    "measure",
    "plot_points",
]

BASE = 1.08
"""Growth factor per unit of ``x``: ``y = 1.08**x`` grows 8% per step."""

X_RANGE = (0.0, 50.0)
"""The interval ``[low, high]`` the real ``x`` are drawn from."""


class CurveError(ValueError):
    """Raised for input that is not a point cloud or a valid curve setting."""


def _check_range(x_range: tuple[float, float]) -> tuple[float, float]:
    low, high = (float(v) for v in x_range)
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise CurveError(
            f"x_range must be two finite numbers (low, high) with low < high, got {x_range!r}."
        )
    return low, high


def _check_base(base: float) -> float:
    base = float(base)
    if not (np.isfinite(base) and base > 0 and base != 1):
        raise CurveError(f"base must be a positive number other than 1, got {base!r}.")
    return base


def _points(points: np.ndarray, name: str = "points") -> np.ndarray:
    p = np.asarray(points, dtype=np.float64)
    if p.ndim != 2 or p.shape[1] != 2 or len(p) == 0:
        raise CurveError(
            f"{name} must be a non-empty array of shape (N, 2) with columns x and y, got shape "
            f"{p.shape}. Stack the coordinates with np.stack([x, y], axis=1)."
        )
    return p


def exp_curve(x: np.ndarray, base: float = BASE) -> np.ndarray:
    """The curve ``base**x`` at every ``x`` (any shape; float64)."""
    return _check_base(base) ** np.asarray(x, dtype=np.float64)


def sample_curve(
    n: int, rng: np.random.Generator, base: float = BASE, x_range: tuple[float, float] = X_RANGE
) -> np.ndarray:
    """``n`` real points ``(x, base**x)`` with ``x`` uniform on ``x_range``.

    Returns:
        ``float32`` array ``(n, 2)``: column 0 is ``x``, column 1 is ``y``.
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise CurveError(f"n must be a whole number >= 1, got {n!r}.")
    low, high = _check_range(x_range)
    x = rng.uniform(low, high, size=int(n))
    return np.stack([x, exp_curve(x, base)], axis=1).astype(np.float32)


@dataclass(frozen=True)
class LogScaler:
    """Maps points between data space ``(x, y)`` and the model's space ``[-1, 1]**2``.

    ``x`` is scaled linearly from ``x_range`` to ``[-1, 1]``; ``y`` is first replaced by
    ``log(y)`` (which turns ``base**x`` into the straight line ``x*log(base)``) and then scaled
    linearly from ``[log(base**low), log(base**high)]`` to ``[-1, 1]``. In that space an equal
    error in ``u`` is an equal *relative* error in ``y``, the error the chapter measures, and a
    ``tanh`` output keeps every generated ``x`` inside ``x_range``.

    Set ``log_y=False`` to scale ``y`` linearly instead (for comparison).
    """

    base: float = BASE
    x_range: tuple[float, float] = X_RANGE
    log_y: bool = True
    _y_span: tuple[float, float] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        low, high = _check_range(self.x_range)
        base = _check_base(self.base)
        ends = np.array([base**low, base**high])
        ys = np.log(ends) if self.log_y else ends
        object.__setattr__(self, "_y_span", (float(ys.min()), float(ys.max())))

    def encode(self, points: np.ndarray) -> np.ndarray:
        """Data space ``(N, 2)`` -> model space ``(N, 2)`` (``float32``, real data in ``[-1, 1]``).

        Raises:
            CurveError: if ``log_y`` is set and some ``y <= 0`` (no logarithm).
        """
        p = _points(points)
        low, high = _check_range(self.x_range)
        y = p[:, 1]
        if self.log_y:
            if np.any(y <= 0):
                raise CurveError(
                    "LogScaler(log_y=True) needs y > 0 to take log(y); "
                    f"got {int(np.sum(y <= 0))} points with y <= 0. Use log_y=False."
                )
            y = np.log(y)
        y_low, y_high = self._y_span
        u = 2 * (p[:, 0] - low) / (high - low) - 1
        v = 2 * (y - y_low) / (y_high - y_low) - 1
        return np.stack([u, v], axis=1).astype(np.float32)

    def decode(self, model_points: np.ndarray) -> np.ndarray:
        """Model space ``(N, 2)`` -> data space ``(N, 2)`` (``float64``).

        The inverse of :meth:`encode`.
        """
        q = _points(model_points, "model_points")
        low, high = _check_range(self.x_range)
        y_low, y_high = self._y_span
        x = (q[:, 0] + 1) / 2 * (high - low) + low
        y = (q[:, 1] + 1) / 2 * (y_high - y_low) + y_low
        return np.stack([x, np.exp(y) if self.log_y else y], axis=1)


def relative_distance(points: np.ndarray, base: float = BASE) -> np.ndarray:
    """Per point ``|y - base**x| / base**x``: 0.03 means 3% above or below the curve.

    Returns:
        ``float64`` array ``(N,)``; ``inf`` where ``base**x`` overflows, NaN for NaN input.
    """
    p = _points(points)
    with np.errstate(over="ignore", invalid="ignore"):
        target = exp_curve(p[:, 0], base)
        return np.abs(p[:, 1] - target) / target


def outside_share(points: np.ndarray, x_range: tuple[float, float] = X_RANGE) -> float:
    """Share (0 to 1) of points whose ``x`` lies outside ``x_range`` (NaN counts as outside)."""
    p = _points(points)
    low, high = _check_range(x_range)
    inside = (p[:, 0] >= low) & (p[:, 0] <= high)
    return float(1.0 - inside.mean())


def bin_shares(
    points: np.ndarray, x_range: tuple[float, float] = X_RANGE, bins: int = 10
) -> np.ndarray:
    """Share of *all* points whose ``x`` falls in each of ``bins`` equal bins of ``x_range``.

    Points outside the range belong to no bin, so the shares sum to ``1 - outside_share``.
    For uniform ``x`` every share is ``1 / bins``.

    Returns:
        ``float64`` array ``(bins,)``.
    """
    if isinstance(bins, bool) or not isinstance(bins, (int, np.integer)) or bins < 1:
        raise CurveError(f"bins must be a whole number >= 1, got {bins!r}.")
    p = _points(points)
    low, high = _check_range(x_range)
    x = p[:, 0]
    x = x[np.isfinite(x)]
    counts, _ = np.histogram(x, bins=int(bins), range=(low, high))
    return counts / len(p)


@dataclass(frozen=True)
class CurveReport:
    """What :func:`measure` found for one point cloud.

    Attributes:
        n: number of points measured.
        rel_distance: mean of :func:`relative_distance` over points inside the range (a point
            outside is counted by ``outside`` instead, so one runaway point cannot dominate).
        outside: :func:`outside_share`.
        bins: :func:`bin_shares`.
        coverage_gap: total variation between ``bins`` and the uniform target,
            ``0.5 * sum |share - 1/bins|`` plus half of ``outside``: the share of points that
            would have to move to make the ``x`` uniform (0 = perfect, 1 = all wrong).
    """

    n: int
    rel_distance: float
    outside: float
    bins: np.ndarray
    coverage_gap: float

    @property
    def distance(self) -> float:
        """One number for early stopping that sees closeness *and* coverage:
        ``rel_distance + coverage_gap + outside`` (lower is better)."""
        return self.rel_distance + self.coverage_gap + self.outside

    def passes(
        self,
        max_rel: float = 0.03,
        max_outside: float = 0.005,
        bin_low: float = 0.06,
        bin_high: float = 0.14,
    ) -> bool:
        """Whether the chapter's bar holds: closeness, range and every bin within limits."""
        return bool(
            self.rel_distance < max_rel
            and self.outside < max_outside
            and self.bins.min() >= bin_low
            and self.bins.max() <= bin_high
        )

    def __str__(self) -> str:
        shares = " ".join(f"{100 * s:.1f}" for s in self.bins)
        return (
            f"n={self.n} rel_distance={100 * self.rel_distance:.2f}% "
            f"outside={100 * self.outside:.2f}% coverage_gap={100 * self.coverage_gap:.2f}% "
            f"bins%=[{shares}]"
        )


def measure(
    points: np.ndarray, base: float = BASE, x_range: tuple[float, float] = X_RANGE, bins: int = 10
) -> CurveReport:
    """Closeness and coverage of ``points`` (data space, ``(N, 2)``) against the curve."""
    p = _points(points)
    low, high = _check_range(x_range)
    inside = (p[:, 0] >= low) & (p[:, 0] <= high) & np.isfinite(p[:, 1])
    rel = relative_distance(p[inside], base) if inside.any() else np.array([np.inf])
    shares = bin_shares(p, x_range, bins)
    out = outside_share(p, x_range)
    gap = 0.5 * float(np.abs(shares - 1.0 / bins).sum()) + 0.5 * out
    return CurveReport(
        n=len(p), rel_distance=float(np.mean(rel)), outside=out, bins=shares, coverage_gap=gap
    )


def plot_points(
    ax: Axes,
    points: np.ndarray,
    base: float = BASE,
    x_range: tuple[float, float] = X_RANGE,
    title: str | None = None,
    max_points: int = 2_000,
    color: str = "tab:orange",
) -> Axes:
    """Scatter ``points`` (data space) over the true curve on ``ax``; return ``ax``.

    At most ``max_points`` points are drawn (the first ones) to keep figures light. The axes
    span a little more than ``x_range`` so points that escape it are visible.
    """
    p = _points(points)[:max_points]
    low, high = _check_range(x_range)
    grid = np.linspace(low, high, 200)
    ax.plot(grid, exp_curve(grid, base), color="tab:blue", lw=2, label=f"y = {base}^x")
    ax.scatter(p[:, 0], p[:, 1], s=4, alpha=0.5, color=color, label="points")
    pad = 0.1 * (high - low)
    top = float(exp_curve(high, base))
    ax.set_xlim(low - pad, high + pad)
    ax.set_ylim(min(0.0, float(exp_curve(low, base))) - 0.1 * top, 1.2 * top)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    if title:
        ax.set_title(title)
    ax.legend(loc="upper left", fontsize="small")
    return ax
