"""companion.kits.toy1d: the NumPy 1-D GAN of Chapters 1 and 2 (hand-derived gradients)."""

import numpy as np
import pytest

from companion.kits import toy1d


def _finite_difference(loss, params, eps=1e-6):
    grads = {}
    for key, value in params.items():
        flat, g = value.reshape(-1), np.zeros(value.size)
        for i in range(flat.size):
            old = flat[i]
            flat[i] = old + eps
            up = loss()
            flat[i] = old - eps
            down = loss()
            flat[i] = old
            g[i] = (up - down) / (2 * eps)
        grads[key] = g.reshape(value.shape)
    return grads


@pytest.fixture
def players():
    rng = np.random.default_rng(0)
    return toy1d.init_mlp(rng, 3, out_scale=0.5), toy1d.init_mlp(rng, 3, out_scale=0.5), rng


def test_sigmoid_is_stable_and_correct():
    t = np.array([-1000.0, -1.0, 0.0, 2.0, 1000.0])
    s = toy1d.sigmoid(t)
    assert np.all(np.isfinite(s))
    np.testing.assert_allclose(s[1:4], 1 / (1 + np.exp(-t[1:4])))
    assert s[0] == 0.0 and s[-1] == 1.0


def test_init_mlp_shapes_and_errors():
    p = toy1d.init_mlp(np.random.default_rng(0), 7)
    assert {k: v.shape for k, v in p.items()} == {"W1": (7,), "b1": (7,), "w2": (7,), "b2": ()}
    for bad in (0, -2, 2.5, True):
        with pytest.raises(ValueError, match="hidden"):
            toy1d.init_mlp(np.random.default_rng(0), bad)
    with pytest.raises(ValueError, match="positive"):
        toy1d.init_mlp(np.random.default_rng(0), 3, scale=0.0)


def test_forward_and_backward_match_finite_differences(players):
    g, _, rng = players
    x, dy = rng.normal(size=5), rng.normal(size=5)
    y, cache = toy1d.mlp_forward(g, x)
    assert y.shape == (5,)
    grads, dx = toy1d.mlp_backward(g, cache, dy)
    expected = _finite_difference(lambda: float(toy1d.mlp_forward(g, x)[0] @ dy), g)
    for key in grads:
        np.testing.assert_allclose(grads[key], expected[key], rtol=1e-5, atol=1e-8)
    eps = 1e-6
    fd_x = [
        (toy1d.mlp_forward(g, x + eps * e)[0] @ dy - toy1d.mlp_forward(g, x - eps * e)[0] @ dy)
        / (2 * eps)
        for e in np.eye(5)
    ]
    np.testing.assert_allclose(dx, fd_x, rtol=1e-5, atol=1e-8)


def test_forward_backward_reject_bad_shapes(players):
    g, _, _ = players
    with pytest.raises(ValueError, match=r"shape \(N,\)"):
        toy1d.mlp_forward(g, np.zeros((3, 1)))
    with pytest.raises(ValueError, match="lack"):
        toy1d.mlp_forward({"W1": g["W1"]}, np.zeros(3))
    _, cache = toy1d.mlp_forward(g, np.zeros(3))
    with pytest.raises(ValueError, match="dy"):
        toy1d.mlp_backward(g, cache, np.zeros(4))


def test_losses_and_gradients(players):
    g, d, rng = players
    x_real, z = rng.normal(3, 0.5, 8), rng.normal(size=8)
    x_fake = toy1d.mlp_forward(g, z)[0]
    loss, grads = toy1d.d_loss_and_grads(d, x_real, x_fake)
    assert loss > 0
    expected = _finite_difference(lambda: toy1d.d_loss_and_grads(d, x_real, x_fake)[0], d)
    for key in grads:
        np.testing.assert_allclose(grads[key], expected[key], rtol=1e-5, atol=1e-8)
    for kind in toy1d.G_LOSSES:
        loss, grads = toy1d.g_loss_and_grads(g, d, z, kind)
        expected = _finite_difference(lambda: toy1d.g_loss_and_grads(g, d, z, kind)[0], g)
        for key in grads:
            np.testing.assert_allclose(grads[key], expected[key], rtol=1e-5, atol=1e-8)
    with pytest.raises(ValueError, match="kind"):
        toy1d.g_loss_and_grads(g, d, z, "wasserstein")


def test_adam_minimises_a_quadratic_and_rejects_bad_settings():
    p = {"w": np.array([5.0, -3.0])}
    opt = toy1d.Adam(lr=0.1, betas=(0.9, 0.999))
    for _ in range(500):
        opt.step(p, {"w": 2 * p["w"]})
    assert np.abs(p["w"]).max() < 1e-2
    with pytest.raises(ValueError, match="lr"):
        toy1d.Adam(lr=0)
    with pytest.raises(ValueError, match="betas"):
        toy1d.Adam(betas=(1.0, 0.9))
