"""A one-dimensional GAN in NumPy with hand-derived gradients (Chapters 1 and 2).

Both players are the same tiny network, a multilayer perceptron from one number to one number
with a single hidden layer of ``tanh`` units::

    y = w2 . tanh(W1 * x + b1) + b2
    # x, y: shape (N,); W1, b1, w2: shape (H,); b2: scalar

The generator ``G`` maps noise ``z ~ N(0, 1)`` to a sample ``x = G(z)``. The discriminator's
network outputs a *logit* ``l(x)`` and ``D(x) = sigmoid(l(x))`` is its probability that ``x`` is
real. Gradients are written out by hand (the chain rule through one hidden layer), so the whole
game fits on a page and needs no deep-learning framework.

Framework-neutral: this module imports NumPy only.
"""

from __future__ import annotations

from typing import Dict, Tuple

import numpy as np

__all__ = [
    "G_LOSSES",
    "sigmoid",
    "init_mlp",
    "mlp_forward",
    "mlp_backward",
    "d_loss_and_grads",
    "g_loss_and_grads",
    "Adam",
]

#: The generator losses that :func:`g_loss_and_grads` knows.
G_LOSSES = ("non_saturating", "saturating")
_KEYS = ("W1", "b1", "w2", "b2")


def sigmoid(t: np.ndarray) -> np.ndarray:
    """The logistic function ``1 / (1 + exp(-t))``, computed without overflow for large ``|t|``."""
    t = np.asarray(t, dtype=np.float64)
    out = np.empty_like(t)
    pos = t >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-t[pos]))
    e = np.exp(t[~pos])
    out[~pos] = e / (1.0 + e)
    return out


def _softplus(t: np.ndarray) -> np.ndarray:
    """``log(1 + exp(t))`` without overflow; ``-log sigmoid(t) = softplus(-t)``."""
    return np.logaddexp(0.0, t)


def init_mlp(
    rng: np.random.Generator, hidden: int = 16, scale: float = 1.0, out_scale: float = 0.1
) -> Dict[str, np.ndarray]:
    """Random parameters for a 1 -> ``hidden`` -> 1 tanh network.

    Args:
        rng: NumPy random generator (for example ``settings.seed_everything(0)``).
        hidden: number of hidden units ``H`` (at least 1).
        scale: standard deviation of the input weights ``W1`` and biases ``b1``.
        out_scale: standard deviation of the output weights ``w2`` (``b2`` starts at 0).

    Raises:
        ValueError: if ``hidden`` is not a positive integer or a scale is not positive.
    """
    if not isinstance(hidden, (int, np.integer)) or isinstance(hidden, bool) or hidden < 1:
        raise ValueError(
            f"hidden must be a positive integer (the number of tanh units), got {hidden!r}."
        )
    if not (scale > 0 and out_scale > 0):
        raise ValueError(
            f"scale and out_scale must be positive, got scale={scale!r}, out_scale={out_scale!r}."
        )
    return {
        "W1": rng.normal(0.0, scale, hidden),
        "b1": rng.normal(0.0, scale, hidden),
        "w2": rng.normal(0.0, out_scale, hidden),
        "b2": np.zeros(()),
    }


def _check_params(p: Dict[str, np.ndarray]) -> None:
    missing = [k for k in _KEYS if k not in p]
    if missing:
        raise ValueError(
            f"network parameters lack {missing}; build them with init_mlp(rng, hidden) "
            f"(keys {list(_KEYS)})."
        )


def mlp_forward(
    p: Dict[str, np.ndarray], x: np.ndarray
) -> Tuple[np.ndarray, Tuple[np.ndarray, np.ndarray]]:
    """Evaluate the network on a batch.

    Args:
        p: parameters from :func:`init_mlp`.
        x: inputs, shape ``(N,)``.

    Returns:
        ``(y, cache)``: outputs of shape ``(N,)`` and what :func:`mlp_backward` needs.

    Raises:
        ValueError: if ``x`` is not one-dimensional or ``p`` lacks a parameter.
    """
    _check_params(p)
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 1:
        raise ValueError(
            f"the toy networks take a batch of numbers of shape (N,), got shape {x.shape}."
        )
    h = np.tanh(np.outer(x, p["W1"]) + p["b1"])  # (N, H)
    return h @ p["w2"] + p["b2"], (x, h)


def mlp_backward(
    p: Dict[str, np.ndarray], cache: Tuple[np.ndarray, np.ndarray], dy: np.ndarray
) -> Tuple[Dict[str, np.ndarray], np.ndarray]:
    """Chain rule through the network: from ``dL/dy`` to parameter gradients and ``dL/dx``.

    With ``a = W1 x + b1`` and ``h = tanh(a)``: ``dL/dw2 = sum_n dy_n h_n``,
    ``dL/db2 = sum_n dy_n``, ``dL/da = dy w2 (1 - h^2)``, ``dL/dW1 = sum_n dL/da_n x_n``,
    ``dL/db1 = sum_n dL/da_n`` and ``dL/dx = dL/da . W1``.

    Args:
        p: parameters used in the forward pass.
        cache: the second value returned by :func:`mlp_forward`.
        dy: gradient of the loss with respect to the outputs, shape ``(N,)``.

    Returns:
        ``(grads, dx)``: a dict with the keys of ``p`` and the gradient with respect to the inputs,
        shape ``(N,)``.

    Raises:
        ValueError: if ``dy`` does not have the batch's shape.
    """
    x, h = cache
    dy = np.asarray(dy, dtype=np.float64)
    if dy.shape != x.shape:
        raise ValueError(f"dy must have the batch's shape {x.shape}, got {dy.shape}.")
    da = np.outer(dy, p["w2"]) * (1.0 - h**2)  # (N, H)
    grads = {"W1": da.T @ x, "b1": da.sum(0), "w2": h.T @ dy, "b2": np.asarray(dy.sum())}
    return grads, da @ p["W1"]


def d_loss_and_grads(
    d: Dict[str, np.ndarray], x_real: np.ndarray, x_fake: np.ndarray
) -> Tuple[float, Dict[str, np.ndarray]]:
    """The discriminator's loss (binary cross-entropy, real = 1, fake = 0) and its gradients.

    ``L_D = -mean log D(x_real) - mean log(1 - D(x_fake))``. With logit ``l``,
    ``d/dl [-log sigmoid(l)] = sigmoid(l) - 1`` and ``d/dl [-log(1 - sigmoid(l))] = sigmoid(l)``.

    Args:
        d: discriminator parameters (its network returns logits).
        x_real: real samples, shape ``(N,)``.
        x_fake: generated samples, shape ``(M,)``.

    Returns:
        ``(loss, grads)``: the loss in nats and a gradient dict with the keys of ``d``.
    """
    l_real, c_real = mlp_forward(d, x_real)
    l_fake, c_fake = mlp_forward(d, x_fake)
    loss = _softplus(-l_real).mean() + _softplus(l_fake).mean()
    g_real, _ = mlp_backward(d, c_real, (sigmoid(l_real) - 1.0) / len(l_real))
    g_fake, _ = mlp_backward(d, c_fake, sigmoid(l_fake) / len(l_fake))
    return float(loss), {k: g_real[k] + g_fake[k] for k in g_real}


def g_loss_and_grads(
    g: Dict[str, np.ndarray], d: Dict[str, np.ndarray], z: np.ndarray, kind: str = "non_saturating"
) -> Tuple[float, Dict[str, np.ndarray]]:
    """The generator's loss and its gradients, through the (fixed) discriminator.

    ``kind="saturating"`` minimises ``mean log(1 - D(G(z)))`` (the minimax game as written);
    its derivative with respect to the logit is ``-D(G(z))``, which vanishes when ``D`` rejects
    the fakes. ``kind="non_saturating"`` minimises ``-mean log D(G(z))``; its derivative is
    ``D(G(z)) - 1``, close to ``-1`` exactly then.

    Args:
        g: generator parameters.
        d: discriminator parameters (not updated here).
        z: noise, shape ``(N,)``.
        kind: one of :data:`G_LOSSES`.

    Returns:
        ``(loss, grads)``: the loss in nats and a gradient dict with the keys of ``g``.

    Raises:
        ValueError: for an unknown ``kind``.
    """
    if kind not in G_LOSSES:
        raise ValueError(f"kind must be one of {G_LOSSES}, got {kind!r}.")
    x_fake, c_g = mlp_forward(g, z)
    logit, c_d = mlp_forward(d, x_fake)
    s = sigmoid(logit)
    if kind == "saturating":
        loss, dlogit = -_softplus(logit).mean(), -s / len(s)  # log(1 - sigmoid(l)) = -softplus(l)
    else:
        loss, dlogit = _softplus(-logit).mean(), (s - 1.0) / len(s)
    _, dx = mlp_backward(d, c_d, dlogit)
    grads, _ = mlp_backward(g, c_g, dx)
    return float(loss), grads


class Adam:
    """The Adam optimiser (Kingma and Ba, 2015) for a dict of parameter arrays, updated in place.

    The dict is one made by :func:`init_mlp`; gradients come in a dict with the same keys.

    Args:
        lr: learning rate.
        betas: decay rates of the first and second moment estimates, each in [0, 1).
        eps: added to the denominator for numerical safety.

    Raises:
        ValueError: if ``lr`` is not positive or a beta is outside [0, 1).
    """

    def __init__(
        self, lr: float = 1e-3, betas: Tuple[float, float] = (0.5, 0.999), eps: float = 1e-8
    ) -> None:
        if not lr > 0:
            raise ValueError(f"lr must be positive, got {lr!r}.")
        if not all(0.0 <= b < 1.0 for b in betas):
            raise ValueError(f"betas must lie in [0, 1), got {betas!r}.")
        self.lr, self.betas, self.eps = lr, betas, eps
        self.t = 0
        self.m: Dict[str, np.ndarray] = {}
        self.v: Dict[str, np.ndarray] = {}

    def step(self, p: Dict[str, np.ndarray], grads: Dict[str, np.ndarray]) -> None:
        """Move every parameter of ``p`` against its gradient in ``grads``.

        ``grads`` has the same keys and shapes as ``p``.
        """
        self.t += 1
        b1, b2 = self.betas
        for k, gk in grads.items():
            m = self.m[k] = b1 * self.m.get(k, 0.0) + (1 - b1) * gk
            v = self.v[k] = b2 * self.v.get(k, 0.0) + (1 - b2) * gk**2
            m_hat, v_hat = m / (1 - b1**self.t), v / (1 - b2**self.t)
            p[k] = p[k] - self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
