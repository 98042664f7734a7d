"""companion.neighbours (precision, recall, density, coverage, memorisation), the FD-by-size
helpers of companion.quality and companion.inception's clear "unavailable" errors."""

from __future__ import annotations

import builtins
import sys
import types
import urllib.error
import warnings

import numpy as np
import pytest
import scipy.spatial

from companion import inception, neighbours, quality


def _direct_pr(real: np.ndarray, fake: np.ndarray, k: int) -> tuple[float, ...]:
    """Precision, recall, density and coverage straight from the papers' definitions, with
    scipy's distance matrix and a sort (no blocks, no partition)."""
    rr = np.sort(scipy.spatial.distance.cdist(real, real), axis=1)[:, k]
    rf = np.sort(scipy.spatial.distance.cdist(fake, fake), axis=1)[:, k]
    d = scipy.spatial.distance.cdist(fake, real)  # (fake, real)
    precision = np.mean([(d[j] <= rr).any() for j in range(len(fake))])
    recall = np.mean([(d[:, i] <= rf).any() for i in range(len(real))])
    density = (d <= rr[None, :]).sum() / (k * len(fake))
    coverage = np.mean(d.min(axis=0) <= rr)
    return precision, recall, density, coverage


def test_pairwise_distances_match_scipy():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(30, 5)), rng.normal(size=(40, 5))
    np.testing.assert_allclose(
        neighbours.pairwise_distances(a, b), scipy.spatial.distance.cdist(a, b), atol=1e-9
    )


def test_precision_recall_match_direct_computation(monkeypatch):
    monkeypatch.setattr(neighbours, "_BLOCK", 7)  # several blocks, a ragged last one
    rng = np.random.default_rng(1)
    real = rng.normal(size=(60, 4))
    fake = rng.normal(0.4, 1.5, size=(45, 4))
    got = neighbours.precision_recall(real, fake, k=3)
    want = _direct_pr(real, fake, 3)
    assert (got.precision, got.recall, got.density, got.coverage) == pytest.approx(want)
    assert (got.k, got.n_real, got.n_fake) == (3, 60, 45)


def test_identical_sets_give_one():
    x = np.random.default_rng(2).normal(size=(50, 6))
    pr = neighbours.precision_recall(x, x.copy(), k=3)
    assert pr.precision == pr.recall == pr.coverage == 1.0


def test_disjoint_supports_give_zero():
    rng = np.random.default_rng(3)
    real = rng.normal(size=(50, 3))
    pr = neighbours.precision_recall(real, real + 100.0, k=3)
    assert pr.precision == pr.recall == pr.density == pr.coverage == 0.0


def test_collapse_keeps_precision_and_loses_recall():
    rng = np.random.default_rng(4)
    real = rng.normal(size=(400, 2))
    collapsed = real[real[:, 0] > 1.0]  # one corner of the real set
    noisy = rng.normal(scale=3.0, size=(400, 2))  # everywhere, mostly off the real set
    pr_c = neighbours.precision_recall(real, collapsed)
    pr_n = neighbours.precision_recall(real, noisy)
    assert pr_c.precision > 0.95 and pr_c.recall < 0.3
    assert pr_n.precision < 0.7 and pr_n.recall > 0.9


def test_nearest_finds_the_copied_row():
    rng = np.random.default_rng(5)
    pool = rng.normal(size=(300, 8))
    index, distance = neighbours.nearest(pool[[5, 17, 250]] + 1e-6, pool)
    assert index.tolist() == [5, 17, 250]
    assert np.all(distance < 1e-4)


def test_closer_than_real_share():
    test = np.linspace(1.0, 2.0, 101)
    assert neighbours.closer_than_real_share(np.zeros(10), test) == 1.0
    assert neighbours.closer_than_real_share(test, test, 0.05) == pytest.approx(0.05, abs=0.01)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: neighbours.precision_recall(np.zeros(5), np.zeros((5, 1))), "2-D array"),
        (lambda: neighbours.precision_recall(np.zeros((5, 2)), np.zeros((5, 3))), "same number"),
        (lambda: neighbours.precision_recall(np.zeros((3, 2)), np.zeros((9, 2))), "k must be"),
        (lambda: neighbours.nearest(np.full((2, 2), np.nan), np.zeros((2, 2))), "NaN"),
        (lambda: neighbours.closer_than_real_share([1.0], [1.0], 1.5), "quantile"),
        (lambda: neighbours.closer_than_real_share([], [1.0]), "non-empty"),
    ],
)
def test_bad_input_is_a_clear_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# --- issue 32: bad input is named, and no measure returns a silent wrong number ----------------


@pytest.mark.parametrize(
    "k, shown",
    [
        (True, r"True \(a bool\)"),
        (2.5, r"2\.5 \(a float\)"),
        (3.0, r"3\.0 \(a float\)"),
        ("3", r"'3' \(a str\)"),
        (None, r"None \(a NoneType\)"),
        (0, r"0\."),
    ],
)
def test_case_8_k_is_named_with_its_value(k, shown):
    x = np.random.default_rng(7).normal(size=(10, 2))
    with pytest.raises(ValueError, match=rf"^k must be an integer from 1 to 9 .*; got {shown}"):
        neighbours.kth_neighbour_distance(x, k)
    with pytest.raises(ValueError, match=rf"^k must be an integer from 1 to 9 .*; got {shown}"):
        neighbours.precision_recall(x, x + 1.0, k)


def test_case_8_k_too_large_names_the_smaller_set():
    rng = np.random.default_rng(8)
    real, fake = rng.normal(size=(60, 3)), rng.normal(size=(40, 3))
    message = (
        r"^k must be an integer from 1 to 39 \(the smaller set, `fake`, has 40 rows: each needs "
        r"k other rows\); got 40\. Use a smaller k"
    )
    with pytest.raises(ValueError, match=message):
        neighbours.precision_recall(real, fake, k=40)
    with pytest.raises(ValueError, match=r"the smaller set, `real`, has 40 rows"):
        neighbours.precision_recall(fake, real, k=40)
    with pytest.raises(ValueError, match=r"`x` has 1 row; .* at least k \+ 1 rows"):
        neighbours.kth_neighbour_distance(np.zeros((1, 3)))
    assert neighbours.precision_recall(real, fake, k=np.int64(3)).k == 3


@pytest.mark.parametrize(
    "generated, test, message",
    [
        (
            [0.5, np.nan],
            [1.0, 2.0],
            r"generated_distance holds 1 NaN or infinite value\(s\), the "
            r"first nan at position 1",
        ),
        ([0.5], [1.0, np.inf], r"test_distance holds 1 NaN or infinite value\(s\), the first inf"),
        (
            [0.5, -0.1],
            [1.0, 2.0],
            r"generated_distance holds 1 negative value\(s\), the first "
            r"-0\.1 at position 1: a distance is never negative",
        ),
        ([[0.5]], [1.0], r"non-empty 1-D arrays of distances; generated_distance has shape"),
        (["a"], [1.0], r"generated_distance must hold real numbers"),
    ],
)
def test_case_9_distances_that_are_not_distances_are_refused(generated, test, message):
    with pytest.raises(ValueError, match=message):
        neighbours.closer_than_real_share(generated, test)


@pytest.mark.parametrize(
    "quantile, shown",
    [
        ("0.05", r"'0\.05' \(a str\)"),
        (float("nan"), "nan"),
        (0.0, r"0\.0"),
        (1, "1"),
        (True, r"True \(a bool\)"),
        (None, r"None \(a NoneType\)"),
    ],
)
def test_case_9_quantile_is_named(quantile, shown):
    with pytest.raises(
        ValueError,
        match=rf"quantile must be a number strictly between 0 and 1; "
        rf"got {shown}",
    ):
        neighbours.closer_than_real_share([1.0], [1.0, 2.0], quantile)
    assert neighbours.closer_than_real_share([1.0], [1.0, 2.0], np.float32(0.5)) == 1.0


@pytest.mark.parametrize(
    "real, message",
    [
        (np.zeros((10, 0)), r"real must be a non-empty 2-D array .* got shape \(10, 0\)"),
        (np.ones((10, 2)) * 1j, r"real must hold real numbers .* complex128: the imaginary part"),
        (np.ones((10, 2), bool), r"real must hold real numbers .* dtype bool: bools would be"),
        (np.array([["a", "b"]] * 10), r"real must hold real numbers .* first value 'a'"),
        (
            np.full((10, 2), np.inf),
            r"real holds 20 NaN or infinite value\(s\), the first inf "
            r"at row 0, column 0",
        ),
    ],
)
def test_case_10_features_that_are_not_real_numbers_are_refused(real, message):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no ComplexWarning on the way
        with pytest.raises(ValueError, match=message):
            neighbours.precision_recall(real, np.zeros((10, real.shape[1])))


def test_case_11_a_sample_exactly_on_a_radius_counts_as_inside():
    """The documented convention: <= (Kynkaanniemi et al.'s reference), not < (Naeem et al.)."""
    real = np.array([[0.0], [1.0], [3.0], [6.0]])  # k = 1 radii: 1, 1, 2, 3
    fake = np.array([[-1.0], [100.0], [200.0]])  # -1 lies exactly on the radius of 0
    pr = neighbours.precision_recall(real, fake, k=1)
    assert pr.precision == pytest.approx(1 / 3) and pr.density == pytest.approx(1 / 3)
    assert pr.coverage == 0.25  # the ball around 0 holds -1
    x = np.random.default_rng(9).normal(size=(50, 6))
    for k in (1, 3, 5):  # identical sets: each sample lies in k + 1 balls
        assert neighbours.precision_recall(x, x.copy(), k).density == pytest.approx((k + 1) / k)


# --- FD against sample size -------------------------------------------------------------------


def test_fd_by_size_shrinks_with_n_and_extrapolates():
    rng = np.random.default_rng(6)
    x = rng.normal(size=(4000, 8))
    sizes = [100, 200, 500, 1000, 2000]
    fds = quality.fd_by_size(x, None, sizes, splits=3)
    assert fds.shape == (5, 3)
    means = fds.mean(axis=1)
    assert np.all(np.diff(means) < 0)  # bias falls as n grows
    fd_inf, slope = quality.extrapolate_fd(sizes, fds)
    assert abs(fd_inf) < 0.05 * means[0] and slope > 0  # same distribution: FD_inf near 0


def test_extrapolate_fd_recovers_a_known_line():
    sizes = [100, 250, 1000]
    fds = [3.0 + 500.0 / n for n in sizes]
    assert quality.extrapolate_fd(sizes, fds) == pytest.approx((3.0, 500.0))


def test_fd_by_size_and_extrapolate_reject_bad_sizes():
    x = np.zeros((10, 2))
    with pytest.raises(ValueError, match=r"sizes\[0\] must be an integer from 2 to 5 .*; got 6"):
        quality.fd_by_size(x, None, [6])
    with pytest.raises(ValueError, match="two different sizes"):
        quality.extrapolate_fd([100, 100], [1.0, 2.0])


# --- Inception FID: unavailable is said in one sentence ----------------------------------------


def test_inception_without_the_package_says_how_to_install(monkeypatch):
    inception._network.cache_clear()
    real_import = builtins.__import__

    def no_pytorch_fid(name, *args, **kwargs):
        if name.startswith("pytorch_fid"):
            raise ImportError("No module named 'pytorch_fid'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pytorch_fid)
    with pytest.raises(inception.InceptionUnavailable, match=r"gan-book-companion\[inception\]"):
        inception.inception_fd(np.zeros((4, 28, 28), np.uint8), np.zeros((4, 28, 28), np.uint8))


def test_inception_offline_says_the_weights_could_not_be_downloaded(monkeypatch):
    inception._network.cache_clear()

    class Offline:
        BLOCK_INDEX_BY_DIM = {2048: 3}

        def __init__(self, blocks):
            raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")

    fake = types.ModuleType("pytorch_fid.inception")
    fake.InceptionV3 = Offline
    monkeypatch.setitem(sys.modules, "pytorch_fid", types.ModuleType("pytorch_fid"))
    monkeypatch.setitem(sys.modules, "pytorch_fid.inception", fake)
    with pytest.raises(inception.InceptionUnavailable, match="could not be downloaded"):
        inception.inception_features(np.zeros((2, 28, 28), np.uint8))


def test_inception_input_shapes():
    grey = np.full((2, 1, 28, 28), 255, np.uint8)
    x = inception._as_rgb_unit(grey)
    assert x.shape == (2, 3, 28, 28) and x.dtype == np.float32 and x.max() == 1.0
    assert inception._as_rgb_unit(-np.ones((2, 28, 28, 1))).max() == 0.0
    with pytest.raises(ValueError, match="grey images"):
        inception._as_rgb_unit(np.zeros((2, 3, 28, 28)))


def test_case_12_fd_infinity_is_an_estimate_that_can_fall_below_zero():
    """Returned as fitted, never clipped: chapter 9's real-vs-real row extrapolates to -0.11."""
    sizes = [100, 250, 1000]
    fds = [-0.1 + 500.0 / n for n in sizes]
    fd_inf, slope = quality.extrapolate_fd(sizes, fds)
    assert fd_inf == pytest.approx(-0.1) and slope == pytest.approx(500.0)
    assert "can fall below zero" in " ".join(quality.extrapolate_fd.__doc__.split())


@pytest.mark.parametrize(
    "sizes, fds, message",
    [
        ([100, 200], [np.nan, 1.0], r"fds holds 1 NaN or infinite value\(s\), the first nan"),
        ([0, 200], [1.0, 1.0], r"positive sample sizes .*; sizes holds 0\.0 at position 0"),
        ([-100, 200], [1.0, 1.0], r"sizes holds -100\.0 at position 0"),
        (["100", 200], [1.0, 2.0], r"sizes must hold real numbers .* first value '100'"),
        ([100, 200], [[1.0, np.inf], [1.0, 1.0]], r"the first inf at row 0, column 1"),
    ],
)
def test_extrapolate_fd_refuses_what_would_give_a_silent_nan_or_a_wrong_fit(sizes, fds, message):
    with pytest.raises(ValueError, match=message):
        quality.extrapolate_fd(sizes, fds)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (
            dict(sizes=[2.5, 4]),
            r"sizes\[0\] must be an integer from 2 to 10 .*; got 2\.5 \(a float",
        ),
        (dict(sizes=["4"]), r"sizes\[0\] must be an integer .*; got '4' \(a str\)"),
        (dict(sizes=[]), r"non-empty list of sample sizes; got \[\]"),
        (dict(sizes=[4], splits=2.5), r"splits must be an integer of at least 1 .*; got 2\.5"),
        (dict(sizes=[4], splits=True), r"splits must be an integer .*; got True \(a bool\)"),
    ],
)
def test_fd_by_size_names_bad_sizes_and_splits(kwargs, message):
    x = np.random.default_rng(10).normal(size=(20, 2))
    with pytest.raises(ValueError, match=message):
        quality.fd_by_size(x, None, **kwargs)


def test_fd_by_size_refuses_nan_features():
    x = np.random.default_rng(11).normal(size=(20, 2))
    x[7, 1] = np.nan
    with pytest.raises(ValueError, match=r"fd_by_size: feats_b holds 1 NaN .* at row 7, column 1"):
        quality.fd_by_size(np.ones_like(x), x, [4])
