"""companion.quality: Frechet distance, class entropy, the NumPy classifier and evaluate()."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg

from companion import quality


def _direct_fd(a: np.ndarray, b: np.ndarray) -> float:
    """The textbook formula with scipy.linalg.sqrtm, as in the FID reference code."""
    mu_a, mu_b = a.mean(0), b.mean(0)
    s_a, s_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    covmean = scipy.linalg.sqrtm(s_a @ s_b).real
    return float(((mu_a - mu_b) ** 2).sum() + np.trace(s_a + s_b - 2 * covmean))


def _images(n: int, seed: int = 0) -> np.ndarray:
    """Blurry blobs in uint8, enough structure to give the classifier something to look at."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[:28, :28]
    cy, cx = rng.uniform(8, 20, (2, n, 1, 1))
    r = rng.uniform(3, 7, (n, 1, 1))
    return (255 * np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / (2 * r**2))).astype(np.uint8)


# --- Frechet distance -------------------------------------------------------------------------

def test_fd_is_zero_for_identical_sets():
    f = np.random.default_rng(0).normal(size=(500, 8))
    assert quality.frechet_distance(f, f) == pytest.approx(0.0, abs=1e-8)


def test_fd_matches_direct_scipy_computation():
    rng = np.random.default_rng(1)
    a = rng.normal(size=(400, 16)) @ rng.normal(size=(16, 16))
    b = rng.normal(0.5, 1.3, size=(300, 16)) @ rng.normal(size=(16, 16))
    assert quality.frechet_distance(a, b) == pytest.approx(_direct_fd(a, b), rel=1e-6)


def test_fd_of_shifted_gaussians_is_squared_shift():
    rng = np.random.default_rng(2)
    a = rng.normal(size=(20_000, 4))
    assert quality.frechet_distance(a, a + 3.0) == pytest.approx(4 * 9.0, rel=1e-6)


def test_fd_grows_with_perturbation():
    rng = np.random.default_rng(3)
    a = rng.normal(size=(1000, 8))
    noise = rng.normal(size=a.shape)
    d = [quality.frechet_distance(a, a + s * noise) for s in (0.1, 0.5, 1.0)]
    assert 0 < d[0] < d[1] < d[2]


def test_fd_handles_singular_covariance():
    a = np.zeros((100, 5))
    a[:, 0] = np.random.default_rng(4).normal(size=100)  # four dead features, like dead ReLUs
    assert np.isfinite(quality.frechet_distance(a, a * 2))


@pytest.mark.parametrize("a_shape, b_shape", [((10, 3), (10, 4)), ((10,), (10,)), ((1, 3), (5, 3))])
def test_fd_rejects_bad_shapes(a_shape, b_shape):
    with pytest.raises(ValueError, match="frechet_distance"):
        quality.frechet_distance(np.zeros(a_shape), np.zeros(b_shape))


# --- class spread -----------------------------------------------------------------------------

def test_class_entropy_uniform_and_collapsed():
    assert quality.class_entropy(np.repeat(np.arange(10), 7)) == pytest.approx(1.0)
    assert quality.class_entropy(np.full(50, 3)) == pytest.approx(0.0)
    half = quality.class_entropy(np.array([0, 1] * 10))
    assert half == pytest.approx(np.log(2) / np.log(10))


def test_class_histogram_counts():
    np.testing.assert_array_equal(quality.class_histogram(np.array([0, 0, 9])), [2] + [0] * 8 + [1])


@pytest.mark.parametrize("bad", [np.array([0, 10]), np.array([-1]), np.array([0.5]), np.zeros((2, 2), int)])
def test_class_histogram_rejects_bad_labels(bad):
    with pytest.raises(ValueError, match="labels"):
        quality.class_histogram(bad)


def test_class_entropy_rejects_empty():
    with pytest.raises(ValueError, match="at least one"):
        quality.class_entropy(np.array([], dtype=int))


# --- the classifier ---------------------------------------------------------------------------

@pytest.mark.parametrize("dataset", quality.DATASETS)
def test_features_shape_and_input_forms(dataset):
    x = _images(6)
    f = quality.features(x, dataset)
    assert f.shape == (6, quality.N_FEATURES) and f.dtype == np.float32 and (f >= 0).all()
    unit = x.astype(np.float32) / 127.5 - 1
    for form in (unit, unit[:, None], unit[..., None], unit.reshape(6, -1)):
        np.testing.assert_allclose(quality.features(form, dataset), f, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(quality.features(x, dataset, batch_size=4), f, rtol=1e-5, atol=1e-5)
    pred = quality.predict(x, dataset)
    assert pred.shape == (6,) and pred.min() >= 0 and pred.max() <= 9


def test_numpy_forward_matches_torch():
    torch = pytest.importorskip("torch")
    wt = quality.load_weights("mnist")
    x = quality._as_unit_range(_images(5))
    t = torch.from_numpy(x)[:, None]
    w = {k: torch.from_numpy(v) for k, v in wt.items()}
    h = torch.max_pool2d(torch.relu(torch.conv2d(t, w["conv1.weight"], w["conv1.bias"], padding=1)), 2)
    h = torch.max_pool2d(torch.relu(torch.conv2d(h, w["conv2.weight"], w["conv2.bias"], padding=1)), 2)
    feats = torch.relu(h.flatten(1) @ w["fc1.weight"].T + w["fc1.bias"])
    np.testing.assert_allclose(quality.features(x, "mnist"), feats.numpy(), rtol=1e-4, atol=1e-4)


def test_recorded_accuracy_is_there():
    acc = quality.classifier_accuracy()
    for name in quality.DATASETS:
        assert 0.8 < acc[name]["accuracy"] <= 1.0 and "split" in acc[name]


@pytest.mark.parametrize("bad, match", [
    (np.zeros((4, 32, 32), np.uint8), "28x28"),
    (np.zeros((0, 28, 28), np.uint8), "empty"),
    (np.zeros((4, 28, 28), np.int32), "dtype"),
    (np.full((4, 28, 28), 2.0), r"\[-1, 1\]"),
    (np.full((4, 28, 28), np.nan), "NaN"),
])
def test_features_rejects_bad_images(bad, match):
    with pytest.raises(ValueError, match=match):
        quality.features(bad)


def test_unknown_dataset():
    with pytest.raises(ValueError, match="Unknown dataset 'cifar'"):
        quality.features(_images(2), "cifar")
    with pytest.raises(ValueError, match="Unknown dataset"):
        quality.evaluate(_images(4), _images(8), "cifar")


def test_missing_weights_say_what_to_do(monkeypatch, tmp_path):
    monkeypatch.setattr(quality, "WEIGHTS_DIR", tmp_path)
    quality.load_weights.cache_clear()
    try:
        with pytest.raises(FileNotFoundError, match="train_classifier.py"):
            quality.load_weights("mnist")
    finally:
        quality.load_weights.cache_clear()


# --- evaluate and the baseline ----------------------------------------------------------------

def test_evaluate_identical_distribution_is_near_baseline_and_noise_is_worse():
    real = _images(400, seed=5)
    same = quality.evaluate(_images(200, seed=6), real, "mnist")
    noisy = np.clip(_images(200, seed=6) + np.random.default_rng(7).integers(0, 120, (200, 28, 28)), 0, 255).astype(np.uint8)
    worse = quality.evaluate(noisy, real, "mnist")
    assert same.n == 200 and same.histogram.sum() == 200 and same.histogram.shape == (10,)
    assert same.ratio < 3 and worse.fd > 3 * same.fd
    assert worse.baseline == pytest.approx(same.baseline)  # same real split (same seed)
    assert "FD" in str(same) and 0 <= same.entropy <= 1


def test_evaluate_uses_equal_set_sizes():
    r = quality.evaluate(_images(300, seed=1), _images(100, seed=2), "mnist")
    assert r.n == 50


def test_evaluate_rejects_too_few():
    with pytest.raises(ValueError, match="at least"):
        quality.evaluate(_images(1), _images(10))


def test_real_baseline():
    real = _images(200, seed=8)
    assert quality.real_baseline(real, "mnist") > 0
    assert quality.real_baseline(real, "mnist", n=50, seed=1) > 0
    with pytest.raises(ValueError, match="real_baseline"):
        quality.real_baseline(real, "mnist", n=150)


def test_features_is_fast():
    import time
    x = _images(2000)
    t = time.perf_counter()
    quality.features(x)
    assert time.perf_counter() - t < 20  # about 1 s on two idle cores; generous for shared CI
