"""Unit tests of companion.kits.curves: data, scaler, measurements, plot."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from companion.kits import curves  # noqa: E402
from companion.kits.curves import CurveError  # noqa: E402


def _real(n: int = 10_000, seed: int = 0) -> np.ndarray:
    return curves.sample_curve(n, np.random.default_rng(seed))


def test_exp_curve_values():
    np.testing.assert_allclose(curves.exp_curve(np.array([0.0, 1.0, 50.0])), [1.0, 1.08, 1.08**50])


@pytest.mark.parametrize("base", [0, -2, 1, float("nan")])
def test_exp_curve_rejects_bad_base(base):
    with pytest.raises(CurveError, match="base"):
        curves.exp_curve(np.zeros(3), base)


def test_sample_curve_shape_range_and_on_curve():
    p = _real(2_048)
    assert p.shape == (2_048, 2) and p.dtype == np.float32
    assert p[:, 0].min() >= 0 and p[:, 0].max() <= 50
    assert curves.relative_distance(p).max() < 1e-5


@pytest.mark.parametrize("n", [0, -1, 2.5, True])
def test_sample_curve_rejects_bad_n(n):
    with pytest.raises(CurveError, match="n must be"):
        curves.sample_curve(n, np.random.default_rng(0))


@pytest.mark.parametrize("x_range", [(5, 5), (10, 0), (0, float("inf"))])
def test_bad_range_is_rejected(x_range):
    with pytest.raises(CurveError, match="x_range"):
        curves.sample_curve(3, np.random.default_rng(0), x_range=x_range)


@pytest.mark.parametrize("log_y", [True, False])
def test_scaler_round_trip_and_unit_box(log_y):
    scaler = curves.LogScaler(log_y=log_y)
    p = _real(1_000)
    u = scaler.encode(p)
    assert u.dtype == np.float32 and u.min() >= -1 - 1e-6 and u.max() <= 1 + 1e-6
    np.testing.assert_allclose(scaler.decode(u), p, rtol=1e-4, atol=1e-4)


def test_log_scaler_turns_the_curve_into_a_line():
    u = curves.LogScaler().encode(_real(500))
    np.testing.assert_allclose(u[:, 1], u[:, 0], atol=1e-5)


def test_log_scaler_rejects_non_positive_y():
    with pytest.raises(CurveError, match="y > 0"):
        curves.LogScaler().encode(np.array([[1.0, -2.0], [2.0, 1.0]]))


@pytest.mark.parametrize("bad", [np.zeros((3, 3)), np.zeros(4), np.zeros((0, 2))])
def test_point_clouds_must_be_n_by_2(bad):
    with pytest.raises(CurveError, match=r"\(N, 2\)"):
        curves.measure(bad)
    with pytest.raises(CurveError, match=r"\(N, 2\)"):
        curves.LogScaler().decode(bad)


def test_relative_distance_known_values():
    p = np.array([[0.0, 1.1], [10.0, 1.08**10 * 0.5]])
    np.testing.assert_allclose(curves.relative_distance(p), [0.1, 0.5])


def test_outside_share_and_bins():
    p = np.array([[-1.0, 1.0], [2.0, 1.0], [49.0, 1.0], [60.0, 1.0]])
    assert curves.outside_share(p) == 0.5
    shares = curves.bin_shares(p)
    assert shares.shape == (10,) and shares[0] == 0.25 and shares[-1] == 0.25
    assert shares.sum() == pytest.approx(1 - curves.outside_share(p))


def test_nan_counts_as_outside():
    assert curves.outside_share(np.array([[np.nan, 1.0], [1.0, 1.0]])) == 0.5


@pytest.mark.parametrize("bins", [0, 1.5, False])
def test_bin_shares_rejects_bad_bins(bins):
    with pytest.raises(CurveError, match="bins"):
        curves.bin_shares(_real(10), bins=bins)


def test_measure_real_data_passes_the_bar():
    report = curves.measure(_real())
    assert report.n == 10_000 and report.rel_distance < 1e-5 and report.outside == 0
    assert report.coverage_gap < 0.03 and report.passes()
    assert report.distance == pytest.approx(report.rel_distance + report.coverage_gap)
    assert "rel_distance=0.00%" in str(report)


def test_measure_sees_missing_coverage():
    p = _real()
    crowded = p[p[:, 0] > 10]  # nothing in [0, 10): close to the curve but not covering it
    report = curves.measure(crowded)
    assert report.rel_distance < 1e-5
    assert report.bins[:2].sum() == 0 and report.coverage_gap > 0.15 and not report.passes()


def test_measure_keeps_runaway_points_out_of_the_mean():
    p = np.concatenate([_real(990), np.array([[86.0, 1.0]] * 10)])
    report = curves.measure(p)
    assert report.outside == pytest.approx(0.01) and report.rel_distance < 1e-5
    assert not report.passes()


def test_plot_points_draws_curve_and_points():
    fig, ax = plt.subplots()
    out = curves.plot_points(ax, _real(3_000), title="real", max_points=100)
    assert out is ax and ax.get_title() == "real"
    assert len(ax.lines) == 1 and ax.collections[0].get_offsets().shape == (100, 2)
    plt.close(fig)
