"""Chapter 6's DCGAN for 28x28 images in Keras, for the chapters that train it again.

The Keras twin of :mod:`companion.kits.dcgan`. Chapter 6 (TensorFlow) builds these networks in its
own cells and explains every layer and every PyTorch-to-Keras translation; chapter 11 (training
fast, on one device and on several) reuses them from here. ``tests/test_keras_dcgan.py`` checks
that the layers and weight shapes are chapter 6's.

Imports tensorflow and keras; never imports torch.
"""

from __future__ import annotations

import keras
from keras import layers

__all__ = ["build_generator", "build_discriminator"]


def _conv_init() -> keras.initializers.Initializer:
    return keras.initializers.RandomNormal(0.0, 0.02)


def _batch_norm(synchronized: bool) -> keras.layers.BatchNormalization:
    # PyTorch's BatchNorm2d defaults: momentum 0.1 of the new batch (Keras: 0.9 of the old), eps
    return layers.BatchNormalization(
        momentum=0.9,
        epsilon=1e-5,
        synchronized=synchronized,
        gamma_initializer=keras.initializers.RandomNormal(1.0, 0.02),
    )


def build_generator(
    nz: int = 64, width: int = 32, channels: int = 1, synchronized: bool = False
) -> keras.Model:
    """Noise ``(B, nz)`` -> images ``(B, 28, 28, channels)`` in [-1, 1] (channels last).

    Args:
        nz: length of the noise vector.
        width: channels of the last hidden layer (the first has twice as many).
        channels: channels of the images.
        synchronized: BatchNorm statistics over the global batch of a ``tf.distribute``
            strategy instead of each replica's share (see chapter 11).
    """
    return keras.Sequential(
        [
            keras.Input((nz,)),
            layers.Reshape((1, 1, nz)),
            layers.Conv2DTranspose(
                width * 2, 7, 1, "valid", use_bias=False, kernel_initializer=_conv_init()
            ),
            _batch_norm(synchronized),
            layers.ReLU(),
            layers.Conv2DTranspose(
                width, 4, 2, "same", use_bias=False, kernel_initializer=_conv_init()
            ),
            _batch_norm(synchronized),
            layers.ReLU(),
            layers.Conv2DTranspose(
                channels, 4, 2, "same", use_bias=False, kernel_initializer=_conv_init()
            ),
            layers.Activation("tanh", dtype="float32"),
        ],
        name="generator",
    )


def build_discriminator(
    width: int = 32, channels: int = 1, synchronized: bool = False
) -> keras.Model:
    """Images ``(B, 28, 28, channels)`` -> logits ``(B,)``; ``sigmoid(logit)`` is P(real).

    Args:
        width: channels of the first layer (the second has twice as many).
        channels: channels of the images.
        synchronized: as for :func:`build_generator`.
    """
    return keras.Sequential(
        [
            keras.Input((28, 28, channels)),
            layers.Conv2D(width, 4, 2, "same", use_bias=False, kernel_initializer=_conv_init()),
            layers.LeakyReLU(0.2),
            layers.Conv2D(width * 2, 4, 2, "same", use_bias=False, kernel_initializer=_conv_init()),
            _batch_norm(synchronized),
            layers.LeakyReLU(0.2),
            layers.Conv2D(
                1, 7, 1, "valid", use_bias=False, kernel_initializer=_conv_init(), dtype="float32"
            ),
            # float32 to the end: a layer at the mixed policy would cast the logits to 16 bits
            layers.Flatten(dtype="float32"),
            layers.Reshape((), dtype="float32"),
        ],
        name="discriminator",
    )
