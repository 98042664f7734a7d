"""companion.kits.keras_dcgan holds chapter 6's Keras networks: the same layers and weights."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("tensorflow")

from companion.kits import keras_dcgan  # noqa: E402
from tests.repo_modules import load  # noqa: E402

CHAPTER6 = Path(__file__).resolve().parents[1] / "chapters" / "06_dcgan_tensorflow.ipynb"
chapter_code = load("chapter_code")


def _chapter6_builders() -> dict:
    """Chapter 6's own builder functions, run from its cells with its constants."""
    import keras
    from keras import layers

    namespace = {"keras": keras, "layers": layers, "NZ": 64, "WIDTH": 32, "CHANNELS": 1, "SIZE": 28}
    for name in ("conv_init", "batch_norm", "build_generator", "build_discriminator"):
        source = chapter_code.definition(CHAPTER6, name)
        exec(source, namespace)  # noqa: S102 - the book's own code
    return namespace


def _layout(model) -> list:
    return [
        (type(layer).__name__, [tuple(w.shape) for w in layer.weights]) for layer in model.layers
    ]


@pytest.mark.parametrize("name", ["build_generator", "build_discriminator"])
def test_the_networks_are_chapter_6s(name):
    theirs = _chapter6_builders()[name]()
    ours = getattr(keras_dcgan, name)()
    assert _layout(ours) == _layout(theirs)


def test_shapes_and_synchronized_batch_norm():
    import tensorflow as tf

    g = keras_dcgan.build_generator(nz=16, width=8, synchronized=True)
    d = keras_dcgan.build_discriminator(width=8)
    images = g(tf.random.normal((5, 16)), training=False)
    assert tuple(images.shape) == (5, 28, 28, 1)
    assert float(tf.reduce_max(tf.abs(images))) <= 1
    assert tuple(d(images).shape) == (5,)
    assert all(layer.synchronized for layer in g.layers if hasattr(layer, "synchronized"))
