"""Chapter 6's DCGAN for 28x28 images, for the chapters and scripts that train it again.

Chapter 6 builds these networks in its own cells and explains every layer; chapter 11 (training
fast, on one device and on several) and the benchmark under ``bench/`` reuse them from here.
The module names match chapter 6's (``Generator``, ``Discriminator``, ``weights_init``) and so do
the layer names of the state dicts (``main.0.weight``, ...), so a generator saved by chapter 6
loads into :class:`Generator` unchanged. ``tests/test_dcgan.py`` checks that the layers are
chapter 6's.

Imports torch; never imports tensorflow.
"""

from __future__ import annotations

import torch
from torch import nn

__all__ = ["Generator", "Discriminator", "weights_init"]


class Generator(nn.Module):
    """Noise ``z`` of shape ``(B, nz, 1, 1)`` -> images ``(B, channels, 28, 28)`` in [-1, 1].

    Three transposed convolutions: 1 -> 7 -> 14 -> 28 pixels a side, with ``2 * width`` and
    ``width`` channels in between, BatchNorm and ReLU after the first two, ``tanh`` at the end.

    Args:
        nz: length of the noise vector.
        width: channels of the last hidden layer (the first has twice as many).
        channels: channels of the images (1 for grey).
    """

    def __init__(self, nz: int = 64, width: int = 32, channels: int = 1) -> None:
        super().__init__()
        self.main = nn.Sequential(
            nn.ConvTranspose2d(nz, width * 2, 7, 1, 0, bias=False),
            nn.BatchNorm2d(width * 2),
            nn.ReLU(True),
            nn.ConvTranspose2d(width * 2, width, 4, 2, 1, bias=False),
            nn.BatchNorm2d(width),
            nn.ReLU(True),
            nn.ConvTranspose2d(width, channels, 4, 2, 1, bias=False),
            nn.Tanh(),
        )

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        """``(B, nz, 1, 1)`` -> ``(B, channels, 28, 28)``."""
        return self.main(z)


class Discriminator(nn.Module):
    """Images ``(B, channels, 28, 28)`` -> logits ``(B,)``; ``sigmoid(logit)`` is P(real).

    Two stride-2 convolutions (28 -> 14 -> 7 pixels a side; BatchNorm after the second only),
    LeakyReLU(0.2), and a 7x7 convolution down to one number per image.

    Args:
        width: channels of the first layer (the second has twice as many).
        channels: channels of the images.
    """

    def __init__(self, width: int = 32, channels: int = 1) -> None:
        super().__init__()
        self.main = nn.Sequential(
            nn.Conv2d(channels, width, 4, 2, 1, bias=False),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(width, width * 2, 4, 2, 1, bias=False),
            nn.BatchNorm2d(width * 2),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(width * 2, 1, 7, 1, 0, bias=False),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``(B, channels, 28, 28)`` -> ``(B,)``."""
        return self.main(x).view(-1)


def weights_init(module: nn.Module) -> None:
    """DCGAN initialisation (Radford et al. 2015), for ``net.apply(weights_init)``.

    Convolution weights from N(0, 0.02^2); BatchNorm scales from N(1, 0.02^2), shifts 0.
    Works on :class:`torch.nn.SyncBatchNorm` too (a subclass of ``_BatchNorm``).
    """
    if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d)):
        nn.init.normal_(module.weight, 0.0, 0.02)
    elif isinstance(module, nn.modules.batchnorm._BatchNorm):
        nn.init.normal_(module.weight, 1.0, 0.02)
        nn.init.zeros_(module.bias)
