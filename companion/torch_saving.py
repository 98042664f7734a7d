"""Save and load PyTorch generators, with errors that say what went wrong and what to do.

Three ways to keep a trained generator, from most to least dependent on your Python code:

* :func:`save_state_dict` / :func:`load_state_dict`: the weights only (``torch.save`` of the
  ``state_dict``), read back with ``torch.load(weights_only=True)``, which refuses to run
  arbitrary pickled code. Loading needs the model's class, built with the same sizes.
* :func:`save_safetensors` / :func:`load_safetensors`: the same weights in the safetensors
  format, which is not pickle at all and cannot carry code.
* :func:`export_program` / :func:`load_program`: a ``torch.export`` program (``.pt2``) that holds
  the graph *and* the weights, so it loads without the class.

Every loader checks the file first (:func:`companion.artifacts.sniff_format`) and raises
:class:`companion.artifacts.ArtifactError` for a missing, truncated, foreign or unsafe file, and
for weights that do not fit the model. Imports torch; never imports TensorFlow.
"""

from __future__ import annotations

import pickle
from collections.abc import Mapping
from pathlib import Path

import torch
from torch import nn

from companion.artifacts import ArtifactError, as_path, require_file, require_model, sniff_format

__all__ = [
    "ArtifactError",
    "save_state_dict",
    "load_state_dict",
    "save_safetensors",
    "load_safetensors",
    "check_compatible",
    "export_program",
    "load_program",
]


def _wrong_format(path: Path, found: str, wanted: str, how: str) -> ArtifactError:
    if found in ("empty", "zip"):
        return ArtifactError(
            f"{path} is {'empty' if found == 'empty' else 'a damaged zip archive'}: the file was "
            f"probably truncated (an interrupted save or download). Save or copy it again."
        )
    return ArtifactError(
        f"{path} holds a {found!r} file, not {wanted}. Load it with the matching loader "
        f"({how}), or pass the right file."
    )


_LOADERS = {
    "torch.save": "companion.torch_saving.load_state_dict",
    "safetensors": "companion.torch_saving.load_safetensors",
    "torch.export": "companion.torch_saving.load_program",
    "torchscript": "torch.jit.load (legacy)",
    "keras": "keras.saving.load_model",
    "hdf5": "model.load_weights in Keras",
    "onnx": "onnxruntime.InferenceSession",
}


def _hint(found: str) -> str:
    return _LOADERS.get(found, "the loader of the library that wrote it")


def _model_and_path(model: object, path: object, caller: str) -> Path:
    """``path`` as a Path once ``model`` is a torch module; a TypeError naming both otherwise."""
    require_model(model, nn.Module, "torch.nn.Module", caller)
    return as_path(path, caller)


def save_state_dict(model: nn.Module, path: str | Path) -> Path:
    """Save ``model.state_dict()`` (parameters and buffers, on the CPU) with ``torch.save``."""
    path = _model_and_path(model, path, "save_state_dict")
    torch.save({k: v.detach().cpu() for k, v in model.state_dict().items()}, path)
    return path


def check_compatible(
    model: nn.Module, state: Mapping[str, torch.Tensor], source: str = "the file"
) -> None:
    """Check that ``state`` has exactly the keys and shapes of ``model.state_dict()``.

    Raises:
        TypeError: ``model`` is not a module or ``state`` is not a mapping of names to tensors.
        ArtifactError: listing missing keys, unexpected keys and shape mismatches, and saying
            that the model must be built with the sizes the weights were trained with.
    """
    require_model(model, nn.Module, "torch.nn.Module", "check_compatible")
    if not isinstance(state, Mapping):
        raise TypeError(
            f"check_compatible: state must be a mapping of names to tensors (a state_dict); got a "
            f"{type(state).__name__}. Pass model.state_dict() or what torch.load returned."
        )
    expected = model.state_dict()
    missing = [k for k in expected if k not in state]
    unexpected = [k for k in state if k not in expected]
    shapes = [
        f"{k}: file {tuple(state[k].shape)} vs model {tuple(expected[k].shape)}"
        for k in expected
        if k in state and tuple(state[k].shape) != tuple(expected[k].shape)
    ]
    if missing or unexpected or shapes:
        parts = []
        if missing:
            parts.append(
                f"missing in the file: {', '.join(missing[:5])}{' ...' if len(missing) > 5 else ''}"
            )
        if unexpected:
            parts.append(
                f"not in the model: {', '.join(unexpected[:5])}"
                f"{' ...' if len(unexpected) > 5 else ''}"
            )
        if shapes:
            parts.append("shape mismatch: " + "; ".join(shapes[:5]))
        raise ArtifactError(
            f"The weights in {source} do not fit this {type(model).__name__}: "
            + " | ".join(parts)
            + ". "
            "Build the model with the same architecture and sizes it was trained with (they are in "
            "the metadata sidecar, see companion.metadata.read_metadata), then load again."
        )


def load_state_dict(model: nn.Module, path: str | Path) -> nn.Module:
    """Load weights saved by :func:`save_state_dict` into ``model`` (in place) and return it.

    Uses ``torch.load(path, weights_only=True, map_location="cpu")``: only tensors and plain
    containers are unpickled, never arbitrary objects; then :func:`check_compatible`.

    Raises:
        ArtifactError: the file is missing, truncated, of another format, contains pickled
            objects other than weights (refused as unsafe), or does not fit ``model``.
        TypeError: ``model`` is not a module or ``path`` is not a path (swapped arguments).
    """
    path = require_file(_model_and_path(model, path, "load_state_dict"), "load_state_dict")
    found = sniff_format(path)
    if found not in ("torch.save", "pickle"):
        raise _wrong_format(path, found, "a torch.save checkpoint", _hint(found))
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as exc:
        raise ArtifactError(
            f"torch.load(weights_only=True) refused {path}: it contains pickled Python objects, "
            f"not only tensors, and unpickling them could run arbitrary code. Do not pass "
            f"weights_only=False unless you wrote the file yourself or fully trust its source; "
            f"ask for a state_dict or a safetensors file instead. "
            f"Details: {str(exc).splitlines()[0]}"
        ) from exc
    except (RuntimeError, EOFError, OSError) as exc:
        raise ArtifactError(
            f"{path} could not be read as a torch.save checkpoint ({str(exc).splitlines()[0]}). "
            f"The file is probably truncated or damaged: save or copy it again."
        ) from exc
    if not isinstance(state, Mapping) or not all(
        isinstance(v, torch.Tensor) for v in state.values()
    ):
        raise ArtifactError(
            f"{path} does not hold a state_dict (a mapping of names to tensors) but a "
            f"{type(state).__name__}. Save with save_state_dict(model, path)."
        )
    check_compatible(model, state, str(path))
    model.load_state_dict(state)
    return model


def save_safetensors(model: nn.Module, path: str | Path) -> Path:
    """Save ``model.state_dict()`` in the safetensors format (no pickle, memory-mappable)."""
    from safetensors.torch import save_file

    path = _model_and_path(model, path, "save_safetensors")
    save_file({k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}, str(path))
    return path


def load_safetensors(model: nn.Module, path: str | Path) -> nn.Module:
    """Load a safetensors file written by :func:`save_safetensors` into ``model`` and return it.

    Raises:
        ArtifactError: the file is missing, truncated, of another format, or does not fit ``model``.
        TypeError: ``model`` is not a module or ``path`` is not a path (swapped arguments).
    """
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    path = require_file(_model_and_path(model, path, "load_safetensors"), "load_safetensors")
    found = sniff_format(path)
    if found != "safetensors":
        raise _wrong_format(path, found, "a safetensors file", _hint(found))
    try:
        state = load_file(str(path), device="cpu")
    except (SafetensorError, OSError, ValueError) as exc:
        raise ArtifactError(
            f"{path} could not be read as safetensors ({exc}). The file is probably truncated or "
            f"damaged: save or copy it again."
        ) from exc
    check_compatible(model, state, str(path))
    model.load_state_dict(state)
    return model


def export_program(
    model: nn.Module, example: torch.Tensor | tuple[torch.Tensor, ...], path: str | Path
) -> Path:
    """Export ``model`` with ``torch.export`` (batch size left dynamic) and save it as ``.pt2``.

    Args:
        model: the generator, in eval mode.
        example: one input of the right shape, ``(batch, latent_dim)``, or a tuple of inputs that
            share the batch axis (a conditional generator's noise ``(batch, latent_dim)`` and
            labels ``(batch, n_classes)``); batch must be >= 2.
        path: where to write; should end in ``.pt2``.

    Raises:
        ArtifactError: ``path`` does not end in ``.pt2``.
        TypeError: ``model`` is not a module, ``path`` is not a path, or ``example`` is not a
            tensor (or a tuple of tensors) with a batch axis.
        ValueError: the batch is smaller than 2 (``torch.export`` would fix the batch size), or
            the inputs differ in batch size.
    """
    path = _model_and_path(model, path, "export_program")
    if path.suffix != ".pt2":
        raise ArtifactError(
            f"{path}: a torch.export program is saved as .pt2; use a name ending in .pt2."
        )
    inputs = example if isinstance(example, tuple) else (example,)
    if not inputs or not all(isinstance(x, torch.Tensor) and x.ndim >= 1 for x in inputs):
        kinds = ", ".join(
            f"{type(x).__name__}{tuple(x.shape) if isinstance(x, torch.Tensor) else ''}"
            for x in inputs
        )
        raise TypeError(
            f"export_program: example must be a tensor (batch, latent_dim), or a tuple of such "
            f"tensors; got ({kinds}). Pass e.g. torch.randn(2, latent_dim) (torch.from_numpy for "
            f"a NumPy array)."
        )
    batches = sorted({len(x) for x in inputs})
    if len(batches) > 1 or batches[0] < 2:
        raise ValueError(
            f"export_program: example needs one batch size of at least 2 in every input (a batch "
            f"of 1 would be fixed into the program); got batch sizes "
            f"{[len(x) for x in inputs]}. Pass e.g. torch.randn(2, latent_dim)."
        )
    batch = torch.export.Dim("batch", min=1)
    program = torch.export.export(model, inputs, dynamic_shapes=tuple({0: batch} for _ in inputs))
    torch.export.save(program, path)
    return path


def load_program(path: str | Path) -> nn.Module:
    """Load a ``.pt2`` file written by :func:`export_program` and return a callable module.

    Needs no Python class of the model: the graph is in the file.

    Raises:
        ArtifactError: the file is missing, truncated or of another format.
        TypeError: ``path`` is not a path.
    """
    path = require_file(path, "load_program")
    found = sniff_format(path)
    if found != "torch.export":
        raise _wrong_format(path, found, "a torch.export .pt2 program", _hint(found))
    try:
        return torch.export.load(path).module()
    except Exception as exc:  # torch raises several types for damaged archives
        raise ArtifactError(
            f"{path} could not be loaded as a torch.export program ({str(exc).splitlines()[0]}). "
            f"It may be damaged or written by a much newer PyTorch ({torch.__version__} here)."
        ) from exc
