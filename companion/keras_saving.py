"""Save and load Keras generators, with errors that say what went wrong and what to do.

* :func:`save_keras` / :func:`load_keras`: the whole model (architecture, weights, compile
  state) in one ``.keras`` zip, read back with ``keras.saving.load_model`` in safe mode.
* :func:`save_weights` / :func:`load_weights`: weights only (``.weights.h5``); loading needs a
  model built with the same architecture.
* :func:`export_saved_model`: a TensorFlow SavedModel folder for serving, loadable with
  ``tf.saved_model.load`` without Keras or the model's code.

Every loader checks the file first (:func:`companion.artifacts.sniff_format`) and raises
:class:`companion.artifacts.ArtifactError` for a missing, truncated or foreign file and for
weights that do not fit. Imports tensorflow and keras; never imports torch.
"""

from __future__ import annotations

import logging
from pathlib import Path

import keras

from companion.artifacts import ArtifactError, as_path, require_file, require_model, sniff_format

__all__ = [
    "ArtifactError",
    "save_keras",
    "load_keras",
    "save_weights",
    "load_weights",
    "export_saved_model",
]

_LOADERS = {
    "keras": "companion.keras_saving.load_keras",
    "hdf5": "companion.keras_saving.load_weights",
    "torch.save": "torch.load in PyTorch",
    "torch.export": "torch.export.load in PyTorch",
    "torchscript": "torch.jit.load in PyTorch",
    "safetensors": "safetensors in PyTorch",
    "onnx": "onnxruntime.InferenceSession",
}


def _wrong_format(path: Path, found: str, wanted: str) -> ArtifactError:
    if found in ("empty", "zip"):
        return ArtifactError(
            f"{path} is {'empty' if found == 'empty' else 'a damaged zip archive'}: the file was "
            f"probably truncated (an interrupted save or download). Save or copy it again."
        )
    how = _LOADERS.get(found, "the loader of the library that wrote it")
    return ArtifactError(
        f"{path} holds a {found!r} file, not {wanted}. Load it with {how}, or pass the right file."
    )


def _model_and_path(model: object, path: object, caller: str) -> Path:
    """``path`` as a Path once ``model`` is a Keras model; a TypeError naming both otherwise."""
    require_model(model, keras.Model, "keras.Model", caller)
    return as_path(path, caller)


def save_keras(model: keras.Model, path: str | Path) -> Path:
    """Save the whole model in the native ``.keras`` format (the name must end in ``.keras``)."""
    path = _model_and_path(model, path, "save_keras")
    if path.suffix != ".keras":
        raise ArtifactError(f"{path}: the native Keras format needs a name ending in .keras.")
    model.save(path)
    return path


def load_keras(path: str | Path) -> keras.Model:
    """Load a ``.keras`` file with ``keras.saving.load_model(path, safe_mode=True)``.

    Safe mode refuses to deserialise Python lambdas stored in the file (they could run code).

    Raises:
        ArtifactError: the file is missing, truncated, of another format, holds Python code that
            safe mode refuses to run, or cannot be rebuilt (for example a custom layer that is
            not registered in this process).
        TypeError: ``path`` is not a path.
    """
    path = require_file(path, "load_keras")
    found = sniff_format(path)
    if found != "keras":
        raise _wrong_format(path, found, "a .keras model")
    try:
        return keras.saving.load_model(path, safe_mode=True)
    except Exception as exc:  # Keras raises ValueError/TypeError/KeyError depending on the damage
        if "safe_mode" in str(exc):
            raise ArtifactError(
                f"keras.saving.load_model refused {path}: it contains Python code (a Lambda layer "
                f"or function stored as bytecode) that would run when the model is rebuilt. Pass "
                f"safe_mode=False only if you wrote the file yourself or fully trust its source; "
                f"otherwise ask for a model without Lambda layers, or for a weights file."
            ) from exc
        raise ArtifactError(
            f"{path} could not be rebuilt by keras.saving.load_model "
            f"({str(exc).splitlines()[0][:300]}). "
            f"If the model uses custom layers, import and register them "
            f"(@keras.saving.register_keras_serializable) before loading."
        ) from exc


def save_weights(model: keras.Model, path: str | Path) -> Path:
    """Save only the weights (the name must end in ``.weights.h5``)."""
    path = _model_and_path(model, path, "save_weights")
    if not path.name.endswith(".weights.h5"):
        raise ArtifactError(f"{path}: Keras weights files need a name ending in .weights.h5.")
    model.save_weights(path)
    return path


def load_weights(model: keras.Model, path: str | Path) -> keras.Model:
    """Load a ``.weights.h5`` file into ``model`` (built, same architecture) and return it.

    Raises:
        ArtifactError: the file is missing, truncated, of another format, or its weights do not
            fit ``model`` (different layers or sizes).
        TypeError: ``model`` is not a Keras model or ``path`` is not a path (swapped arguments).
    """
    path = require_file(_model_and_path(model, path, "load_weights"), "load_weights")
    found = sniff_format(path)
    if found != "hdf5":
        raise _wrong_format(path, found, "a Keras .weights.h5 file")
    if not model.built:
        raise ArtifactError(
            f"{model.name} is not built yet, so it has no weights to fill. "
            f"Call it once on a batch of "
            f"noise (or give it an Input layer) before load_weights."
        )
    try:
        model.load_weights(path)
    except (ValueError, KeyError) as exc:
        raise ArtifactError(
            f"The weights in {path} do not fit {model.name} "
            f"({' '.join(str(exc).split())[:400]}). Build the "
            f"model with the architecture and sizes it was trained with "
            f"(see the metadata sidecar), "
            f"then load again."
        ) from exc
    except OSError as exc:
        raise ArtifactError(
            f"{path} could not be read as HDF5 ({str(exc).splitlines()[0]}). The file is probably "
            f"truncated or damaged: save or copy it again."
        ) from exc
    return model


def export_saved_model(model: keras.Model, path: str | Path) -> Path:
    """Export ``model`` as a TensorFlow SavedModel folder (``model.export``) for serving.

    The folder loads with ``tf.saved_model.load(path)``; call its ``serve`` function on a
    ``float32`` batch ``(batch, latent_dim)``. No Keras and no model code are needed to load it.
    """
    path = _model_and_path(model, path, "export_saved_model")
    tf_logger = logging.getLogger("tensorflow")
    level = tf_logger.level
    tf_logger.setLevel(logging.WARNING)  # hide "INFO: Assets written to ..."
    try:
        model.export(str(path), format="tf_saved_model", verbose=False)
    finally:
        tf_logger.setLevel(level)
    return path
