"""Figures every training chapter draws: image grids, loss curves and animations of progress.

Framework-neutral: works on NumPy arrays (call ``.cpu().numpy()`` or ``.numpy()`` first).
"""

from __future__ import annotations

import math
from typing import Callable, Mapping, Sequence, TypeVar

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import animation
from matplotlib.axes import Axes
from matplotlib.figure import Figure

__all__ = ["image_grid", "show_images", "plot_losses", "plot_quality_track", "animate"]

Frame = TypeVar("Frame")


def image_grid(
    images: np.ndarray, ncols: int = 8, padding: int = 2, pad_value: float = 1.0
) -> np.ndarray:
    """Tile images into one picture, row by row.

    Args:
        images: ``(N, H, W)`` or ``(N, H, W, C)`` (channels last) or ``(N, C, H, W)`` with
            ``C`` in (1, 3) (channels first, as PyTorch makes them). Values in [-1, 1] (a tanh
            generator) or [0, 1] are mapped to [0, 1]; ``uint8`` pixels 0..255 (real images as
            the data loader returns them) are divided by 255, keeping their grey levels.
        ncols: images per row.
        padding: pixels between images.
        pad_value: brightness of the padding, in [0, 1].

    Returns:
        ``float32`` array ``(rows*(H+p)+p, ncols*(W+p)+p)`` for grey images, or with a trailing
        channel axis of 3 for colour ones, values in [0, 1], ready for ``plt.imshow``.
    """
    raw = np.asarray(images)
    x = raw.astype(np.float32) / 255.0 if raw.dtype == np.uint8 else raw.astype(np.float32)
    if x.ndim == 4 and x.shape[1] in (1, 3) and x.shape[-1] not in (1, 3):
        x = x.transpose(0, 2, 3, 1)  # channels first -> channels last
    if x.ndim == 4 and x.shape[-1] == 1:
        x = x[..., 0]
    if x.ndim not in (3, 4) or len(x) == 0:
        raise ValueError(
            f"image_grid expects a non-empty batch (N, H, W[, C]), got shape {x.shape}."
        )
    if raw.dtype != np.uint8 and x.min() < 0:
        x = (x + 1.0) / 2.0
    x = np.clip(x, 0.0, 1.0)
    n, h, w = x.shape[:3]
    ncols = max(1, min(ncols, n))
    nrows = math.ceil(n / ncols)
    grid = np.full(
        (nrows * (h + padding) + padding, ncols * (w + padding) + padding) + x.shape[3:],
        pad_value,
        dtype=np.float32,
    )
    for i, img in enumerate(x):
        r, c = divmod(i, ncols)
        top, left = padding + r * (h + padding), padding + c * (w + padding)
        grid[top : top + h, left : left + w] = img
    return grid


def show_images(
    images: np.ndarray, ncols: int = 8, title: str | None = None, ax: Axes | None = None
) -> Axes:
    """Draw :func:`image_grid` of ``images`` on ``ax`` (a new figure if ``None``); return the
    axes."""
    if ax is None:
        _, ax = plt.subplots(
            figsize=(ncols * 0.6 + 0.5, math.ceil(len(images) / ncols) * 0.6 + 0.5)
        )
    ax.imshow(image_grid(images, ncols), cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return ax


def plot_losses(
    history: Mapping[str, Sequence[float]],
    ax: Axes | None = None,
    xlabel: str = "step",
    smooth: int = 1,
) -> Axes:
    """Plot each named series of ``history`` (e.g. ``{"D": [...], "G": [...]}``) against its index.

    Args:
        history: name -> values, one per step (or per epoch).
        ax: axes to draw on (a new figure if ``None``).
        xlabel: what the index counts.
        smooth: width of a moving average (1 = raw values), for noisy per-step losses.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.5))
    for name, values in history.items():
        y = np.asarray(values, dtype=np.float64)
        if smooth > 1 and len(y) >= smooth:
            y = np.convolve(y, np.ones(smooth) / smooth, mode="valid")
        ax.plot(
            np.arange(len(y)) + (smooth - 1 if smooth > 1 and len(values) >= smooth else 0),
            y,
            label=name,
        )
    ax.set_xlabel(xlabel)
    ax.set_ylabel("loss")
    ax.legend()
    ax.grid(alpha=0.3)
    return ax


def plot_quality_track(
    track: Sequence[tuple[int, float]],
    bar: float,
    reference: float,
    reference_label: str,
    label: str = "generated",
    ax: Axes | None = None,
    color: str | None = None,
) -> Axes:
    """Plot FD / real-vs-real baseline against the training step, on a log scale.

    Args:
        track: ``(step, ratio)`` pairs (extra items per pair are ignored), e.g. from checks with
            :func:`companion.quality.evaluate` during training. The check at step 0 (the untrained
            generator, often hundreds of times the baseline) is left out so the scale shows the
            later steps.
        bar: the chapter's bar for the ratio, drawn as a dashed red line.
        reference: a ratio to compare with (e.g. real images of another split), a dotted grey line.
        reference_label: legend text for ``reference``.
        label: legend text for the generated images.
        ax: axes to draw on (a new figure if ``None``).
        color: line colour of the generated images' ratios.

    Raises:
        ValueError: no check after step 0 in ``track``.
    """
    points = [(int(p[0]), float(p[1])) for p in track if p[0] > 0]
    if not points:
        raise ValueError("plot_quality_track needs at least one (step, ratio) pair with step > 0.")
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.5))
    steps, ratios = zip(*points)
    ax.plot(steps, ratios, "o-", color=color, label=label)
    ax.axhline(bar, color="tab:red", ls="--", label=f"bar ({bar:g}x)")
    ax.axhline(reference, color="grey", ls=":", label=reference_label)
    ax.set_yscale("log")
    ax.set_xlabel("training step")
    ax.set_ylabel("FD / real-vs-real baseline")
    ax.set_title("quality during training (lower is better)")
    ax.legend()
    ax.grid(alpha=0.3, which="both")
    return ax


def animate(
    frames: Sequence[Frame],
    draw: Callable[[Axes, Frame], None],
    interval_ms: int = 300,
    figsize: tuple[float, float] = (4.0, 4.0),
) -> animation.FuncAnimation:
    """An animation that calls ``draw(ax, frame)`` on a cleared axes for each frame.

    Show it in a notebook with ``IPython.display.HTML(anim.to_jshtml())`` (play/pause buttons,
    no video encoder needed), or save it with ``anim.save("progress.gif", writer="pillow")``.

    Args:
        frames: what to draw, one item per frame (an image grid, a point cloud, ...).
        draw: function that draws one frame on the axes it is given.
        interval_ms: delay between frames in milliseconds.
        figsize: figure size in inches.

    Example::

        anim = animate(grids, lambda ax, g: ax.imshow(g, cmap="gray"))
        HTML(anim.to_jshtml())
    """
    if len(frames) == 0:
        raise ValueError("animate needs at least one frame.")
    fig: Figure
    fig, ax = plt.subplots(figsize=figsize)

    def update(i: int) -> list:
        ax.clear()
        draw(ax, frames[i])
        return []

    anim = animation.FuncAnimation(
        fig, update, frames=len(frames), interval=interval_ms, blit=False
    )
    plt.close(fig)  # show the animation, not a stray still of its last frame
    return anim
