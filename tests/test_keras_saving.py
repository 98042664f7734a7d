"""companion.keras_saving: save/load round trips and the errors a user meets."""

from __future__ import annotations

from pathlib import Path

import keras
import numpy as np
import pytest

from companion.artifacts import ArtifactError
from companion.keras_saving import (
    export_saved_model,
    load_keras,
    load_weights,
    save_keras,
    save_weights,
)


def _net(hidden: int = 8) -> keras.Model:
    keras.utils.set_random_seed(0)
    return keras.Sequential(
        [
            keras.Input((4,)),
            keras.layers.Dense(hidden, activation="relu"),
            keras.layers.Dense(6, activation="tanh"),
        ]
    )


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


Z = np.random.default_rng(0).standard_normal((3, 4)).astype("float32")


def test_keras_round_trip(tmp_path: Path):
    net = _net()
    save_keras(net, tmp_path / "g.keras")
    np.testing.assert_array_equal(
        load_keras(tmp_path / "g.keras").predict(Z, verbose=0), net.predict(Z, verbose=0)
    )


def test_weights_round_trip(tmp_path: Path):
    net = _net()
    save_weights(net, tmp_path / "g.weights.h5")
    other = _net()
    other.set_weights([w * 0 for w in other.get_weights()])
    load_weights(other, tmp_path / "g.weights.h5")
    np.testing.assert_array_equal(other.predict(Z, verbose=0), net.predict(Z, verbose=0))


def test_saved_model(tmp_path: Path):
    import tensorflow as tf

    net = _net()
    export_saved_model(net, tmp_path / "g_savedmodel")
    loaded = tf.saved_model.load(
        str(tmp_path / "g_savedmodel")
    )  # keep a reference: it owns the variables
    served = loaded.serve(Z).numpy()
    np.testing.assert_allclose(served, net.predict(Z, verbose=0), atol=1e-5)


def test_suffixes(tmp_path: Path):
    with pytest.raises(ArtifactError, match=r"\.keras"):
        save_keras(_net(), tmp_path / "g.h5")
    with pytest.raises(ArtifactError, match=r"\.weights\.h5"):
        save_weights(_net(), tmp_path / "g.h5")


def test_wrong_architecture(tmp_path: Path):
    save_weights(_net(hidden=8), tmp_path / "g.weights.h5")
    with pytest.raises(ArtifactError, match="do not fit"):
        load_weights(_net(hidden=16), tmp_path / "g.weights.h5")


def test_unbuilt_model(tmp_path: Path):
    save_weights(_net(), tmp_path / "g.weights.h5")
    unbuilt = keras.Sequential([keras.layers.Dense(8), keras.layers.Dense(6)])
    with pytest.raises(ArtifactError, match="not built"):
        load_weights(unbuilt, tmp_path / "g.weights.h5")


def test_truncated(tmp_path: Path):
    save_keras(_net(), tmp_path / "g.keras")
    _truncate(tmp_path / "g.keras")
    with pytest.raises(ArtifactError, match="truncated"):
        load_keras(tmp_path / "g.keras")
    save_weights(_net(), tmp_path / "g.weights.h5")
    _truncate(tmp_path / "g.weights.h5")
    with pytest.raises(ArtifactError, match="truncated"):
        load_weights(_net(), tmp_path / "g.weights.h5")


def test_file_of_another_format(tmp_path: Path):
    save_weights(_net(), tmp_path / "g.weights.h5")
    with pytest.raises(ArtifactError, match="'hdf5' file.*load_weights"):
        load_keras(tmp_path / "g.weights.h5")
    save_keras(_net(), tmp_path / "g.keras")
    with pytest.raises(ArtifactError, match="'keras' file.*load_keras"):
        load_weights(_net(), tmp_path / "g.keras")
    with pytest.raises(ArtifactError, match="does not exist"):
        load_keras(tmp_path / "nope.keras")


def test_lambda_is_refused_in_safe_mode(tmp_path: Path):
    net = keras.Sequential([keras.Input((4,)), keras.layers.Lambda(lambda x: x * 2)])
    save_keras(net, tmp_path / "lambda.keras")
    with pytest.raises(ArtifactError, match="refused.*Python code.*safe_mode=False"):
        load_keras(tmp_path / "lambda.keras")


# --- issue 32: swapped or wrong arguments are named, not met with a raw error -----------------


@pytest.mark.parametrize(
    "call, name",
    [(save_keras, "g.keras"), (save_weights, "g.weights.h5"), (export_saved_model, "g_saved")],
    ids=lambda x: getattr(x, "__name__", x),
)
def test_swapped_model_and_path_are_named(tmp_path: Path, call, name):
    with pytest.raises(
        TypeError,
        match=rf"^{call.__name__}: model must be a keras\.Model; got a "
        r"PosixPath .*the arguments are swapped",
    ):
        call(tmp_path / name, _net())
    with pytest.raises(TypeError, match=rf"^{call.__name__}: path must be a str or pathlib\.Path"):
        call(_net(), None)


def test_loaders_name_a_bad_path(tmp_path: Path):
    net = _net()
    save_weights(net, tmp_path / "g.weights.h5")
    with pytest.raises(
        TypeError, match=r"^load_weights: model must be a keras\.Model; got a Posix"
    ):
        load_weights(tmp_path / "g.weights.h5", net)
    with pytest.raises(TypeError, match=r"^load_keras: path must be a str or pathlib\.Path"):
        load_keras(net)
