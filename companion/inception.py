"""The standard FID: the Frechet distance in the features of the Inception network.

Papers report the FID of Heusel et al. (2017): the Frechet distance between Gaussians fitted to
the 2,048 pool features of an Inception-v3 network trained on ImageNet, with the weights that
the original TensorFlow code used. :func:`inception_fd` computes it with the well-kept
`pytorch-fid <https://github.com/mseitzer/pytorch-fid>`_ package, which ships exactly that
network and downloads its weights (about 100 MB) on first use.

Both may be missing: the package is an extra (``pip install "gan-book-companion[inception]"``,
which needs ``torchvision``), and an offline machine cannot download the weights. Then
:func:`inception_fd` raises :class:`InceptionUnavailable` with one sentence that says which of
the two, so a chapter can print it and go on with the book's own classifier
(:mod:`companion.quality`).

The FID of 28x28 grey images is computed by repeating the grey channel three times and letting
the network resize to 299x299; it is comparable between the book's generators, not with FIDs
that papers report on other datasets.
"""

from __future__ import annotations

import socket
from functools import lru_cache

import numpy as np

from companion.frechet import frechet_distance

__all__ = ["InceptionUnavailable", "inception_features", "inception_fd"]

#: Seconds to wait for the weights' server before calling the network unavailable.
DOWNLOAD_TIMEOUT = 20.0


class InceptionUnavailable(RuntimeError):
    """The Inception network cannot be used here (package missing, or weights not downloadable)."""


@lru_cache(maxsize=2)
def _network(device: str):
    """pytorch-fid's Inception-v3 (pool features, 2,048 per image), on ``device``, in eval mode."""
    try:
        from pytorch_fid.inception import InceptionV3
    except ImportError as err:
        raise InceptionUnavailable(
            f"the Inception FID needs the pytorch-fid package and torchvision ({err}); install "
            'them with: pip install "gan-book-companion[inception]"'
        ) from None
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(DOWNLOAD_TIMEOUT)
    try:
        net = InceptionV3([InceptionV3.BLOCK_INDEX_BY_DIM[2048]])
    except (OSError, RuntimeError, ValueError) as err:  # URLError is an OSError
        reason = getattr(err, "reason", err)
        raise InceptionUnavailable(
            f"the Inception weights could not be downloaded ({type(err).__name__}: {reason}); "
            "they come from github.com on first use, so this machine is probably offline. "
            "Run with internet once (they are then cached in ~/.cache/torch/hub)."
        ) from None
    finally:
        socket.setdefaulttimeout(previous)
    return net.to(device).eval()


def _as_rgb_unit(images: np.ndarray) -> np.ndarray:
    """Grey images (uint8 0..255 or floats in [-1, 1]; ``(N, 28, 28)`` or ``(N, 1, 28, 28)`` or
    ``(N, 28, 28, 1)``) as float32 ``(N, 3, 28, 28)`` in [0, 1], the network's input."""
    x = np.asarray(images)
    if x.ndim == 4 and 1 in (x.shape[1], x.shape[-1]):
        x = x.reshape(len(x), *x.shape[-3:]).squeeze(axis=1 if x.shape[1] == 1 else -1)
    if x.ndim != 3:
        raise ValueError(
            f"inception_fd takes grey images (N, H, W), (N, 1, H, W) or (N, H, W, 1); got shape "
            f"{np.shape(images)}."
        )
    unit = x / 255.0 if x.dtype == np.uint8 else (x.astype(np.float64) + 1.0) / 2.0
    return np.repeat(np.clip(unit, 0.0, 1.0)[:, None], 3, axis=1).astype(np.float32)


def inception_features(
    images: np.ndarray, device: str = "cpu", batch_size: int = 100
) -> np.ndarray:
    """Inception-v3 pool features of grey images: float64 ``(N, 2048)``.

    Raises:
        InceptionUnavailable: pytorch-fid is not installed or its weights cannot be downloaded.
    """
    import torch

    x = _as_rgb_unit(images)
    net = _network(device)
    out = []
    with torch.no_grad():
        for start in range(0, len(x), batch_size):
            batch = torch.from_numpy(x[start : start + batch_size]).to(device)
            out.append(net(batch)[0].squeeze(-1).squeeze(-1).double().cpu().numpy())
    return np.concatenate(out)


def inception_fd(
    generated: np.ndarray, real: np.ndarray, device: str = "cpu", batch_size: int = 100
) -> float:
    """The FID of ``generated`` against ``real`` images (grey, as in :func:`inception_features`).

    Use the same number of images in both sets, and the same number for every generator you
    compare: like every FD, this one is biased upwards for small samples
    (:func:`companion.frechet.fd_by_size`).

    Raises:
        InceptionUnavailable: pytorch-fid is not installed or its weights cannot be downloaded.
    """
    return frechet_distance(
        inception_features(generated, device, batch_size),
        inception_features(real, device, batch_size),
    )
