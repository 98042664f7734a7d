"""companion.early_stopping and companion.plotting."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from companion.early_stopping import EarlyStopping  # noqa: E402
from companion.plotting import animate, image_grid, plot_losses, plot_quality_track, show_images  # noqa: E402


def test_early_stopping_keeps_best_and_stops_after_patience():
    stopper = EarlyStopping(patience=2)
    decisions = [
        stopper.update(d, snapshot=lambda d=d: f"state@{d}") for d in (3.0, 1.0, 2.0, float("nan"))
    ]
    assert decisions == [False, False, False, True]
    assert stopper.best == 1.0 and stopper.best_state == "state@1.0" and stopper.best_check == 1
    assert stopper.stopped and len(stopper.history) == 4


def test_early_stopping_min_delta_and_bad_arguments():
    stopper = EarlyStopping(patience=1, min_delta=0.5)
    stopper.update(1.0)
    assert stopper.update(0.8) is True  # not better by more than 0.5
    with pytest.raises(ValueError):
        EarlyStopping(patience=0)
    with pytest.raises(ValueError):
        EarlyStopping(patience=3, min_delta=-1)


def test_image_grid_keeps_grey_levels_of_uint8_pixels():
    """Real images come as uint8 0..255: their grey levels must survive, not be clipped to 0/1."""
    levels = np.array([0, 51, 128, 200, 255], dtype=np.uint8)
    images = np.broadcast_to(levels[:, None, None], (5, 4, 4)).copy()
    grid = image_grid(images, ncols=5, padding=0)
    assert np.allclose(np.unique(grid), levels / 255.0)
    floats = image_grid(images.astype(np.float32) / 127.5 - 1.0, ncols=5, padding=0)
    assert np.allclose(grid, floats, atol=1e-6)  # the same picture as the [-1, 1] version


def test_image_grid_shapes_and_range():
    grid = image_grid(-np.ones((10, 28, 28)), ncols=4, padding=2)
    assert grid.shape == (3 * 30 + 2, 4 * 30 + 2)
    assert grid.min() == 0.0 and grid.max() == 1.0  # -1 maps to black, padding is white
    chw = image_grid(np.zeros((2, 3, 8, 8)), ncols=2)
    assert chw.shape == (12, 22, 3)
    with pytest.raises(ValueError):
        image_grid(np.zeros((0, 28, 28)))


def test_plots_and_animation_draw():
    ax = plot_losses({"D": np.linspace(1, 0, 50), "G": np.linspace(0, 1, 50)}, smooth=5)
    assert len(ax.lines) == 2
    show_images(np.zeros((4, 28, 28)), ncols=2, title="t")
    anim = animate([np.zeros((4, 4)), np.ones((4, 4))], lambda a, f: a.imshow(f))
    assert "<script" in anim.to_jshtml()
    with pytest.raises(ValueError):
        animate([], lambda a, f: None)


def test_plot_quality_track_skips_step_zero_and_rejects_empty():
    ax = plot_quality_track(
        [(0, 900.0, 0.0), (100, 40.0, 0.9), (200, 20.0, 0.95)],
        bar=4.0,
        reference=1.3,
        reference_label="real",
    )
    line = ax.get_lines()[0]
    assert list(line.get_xdata()) == [100, 200] and list(line.get_ydata()) == [40.0, 20.0]
    assert ax.get_yscale() == "log"
    assert [ln.get_ydata()[0] for ln in ax.get_lines()[1:]] == [4.0, 1.3]
    plt.close("all")
    with pytest.raises(ValueError, match="step > 0"):
        plot_quality_track([(0, 900.0)], bar=4.0, reference=1.0, reference_label="real")
