"""One-hot encoding of integers, and decoding back, on NumPy arrays.

A whole number ``k`` in ``0..depth-1`` becomes a vector of ``depth`` zeros with a single one at
index ``k``; decoding takes the index of the largest entry (``argmax``), so it also turns a
generator's soft output into the integer it leans towards.

Framework-neutral: the arrays go into ``torch.from_numpy`` or ``tf.convert_to_tensor`` as they are.
"""

from __future__ import annotations

from typing import Union

import numpy as np
from numpy.typing import ArrayLike

from companion import _checks

__all__ = ["one_hot", "decode_one_hot"]

IntLike = Union[int, ArrayLike]


def _check_depth(depth: int) -> int:
    return _checks.integer(
        depth,
        "depth",
        1,
        context=" (the number of possible values, the length of each vector)",
        fix="Pass how many values there are, e.g. depth=100 for 0..99.",
        example=100,
    )


def one_hot(values: IntLike, depth: int) -> np.ndarray:
    """Encode whole numbers in ``0..depth-1`` as one-hot vectors.

    Args:
        values: an int or an array-like of ints, any shape ``S``. Floats are accepted only when
            they are whole (``3.0``); bools are rejected.
        depth: length of each vector, the number of possible values.

    Returns:
        ``float32`` array of shape ``S + (depth,)``: zeros with a one at each value's index.

    Raises:
        ValueError: a value is not a whole number, or lies outside ``0..depth-1``.

    Example:
        >>> one_hot([0, 2], depth=3)
        array([[1., 0., 0.],
               [0., 0., 1.]], dtype=float32)
    """
    depth = _check_depth(depth)
    arr = np.asarray(values)
    if arr.dtype == object and arr.size:  # None among the values, or ints too large for int64
        arr = _object_values(arr, depth)
    if arr.dtype == bool or not (
        np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)
    ):
        raise ValueError(
            f"one_hot encodes whole numbers 0..{depth - 1}; got values of type {arr.dtype}. "
            f"Convert them to integers first."
        )
    if np.issubdtype(arr.dtype, np.floating):
        bad = ~np.isfinite(arr) | (arr != np.round(arr))
        if bad.any():
            raise ValueError(
                f"one_hot encodes whole numbers 0..{depth - 1}; got {arr[bad].flat[0]!r}, which is "
                f"not a whole number. Round or cast the values to integers first."
            )
    outside = (arr < 0) | (arr >= depth)
    if outside.any():
        raise ValueError(
            f"one_hot(depth={depth}) encodes values 0..{depth - 1}; got {arr[outside].flat[0]!r} "
            f"({int(outside.sum())} value(s) out of range). Use a larger depth or map the "
            f"values into range first."
        )
    index = arr.astype(np.int64)
    out = np.zeros(index.shape + (depth,), dtype=np.float32)
    np.put_along_axis(out, index[..., None], 1.0, axis=-1)
    return out


def _object_values(arr: np.ndarray, depth: int) -> np.ndarray:
    """An object array as ``int64`` if it holds only Python ints in ``0..depth-1``; a ValueError
    that names the first other value otherwise."""
    values = arr.ravel().tolist()
    for i, value in enumerate(values):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(
                f"one_hot encodes whole numbers 0..{depth - 1}; got {value!r} (a "
                f"{type(value).__name__}) at flat position {i}. Convert the values to integers "
                f"first."
            )
    outside = [v for v in values if not 0 <= v < depth]
    if outside:
        raise ValueError(
            f"one_hot(depth={depth}) encodes values 0..{depth - 1}; got {outside[0]!r} "
            f"({len(outside)} value(s) out of range). Use a larger depth or map the values into "
            f"range first."
        )
    return np.array(values, dtype=np.int64).reshape(arr.shape)


def decode_one_hot(vectors: ArrayLike, depth: int | None = None) -> np.ndarray:
    """Turn one-hot (or soft, e.g. softmax) vectors back into integers by ``argmax``.

    Args:
        vectors: array of shape ``S + (depth,)``: one vector per value along the last axis.
        depth: if given, the last axis must have this length.

    Returns:
        ``int64`` array of shape ``S``: for each vector the index of its largest entry.

    Raises:
        ValueError: ``vectors`` is a scalar, has an empty last axis, the wrong last-axis length,
            holds something other than real numbers or bools (strings, complex numbers), or
            contains NaN.
    """
    arr = np.asarray(vectors)
    if arr.dtype != bool:  # a bool one-hot array decodes as it is
        arr = _checks.numbers(arr, "vectors", "one-hot or soft vectors along the last axis")
    if arr.ndim == 0 or arr.shape[-1] == 0:
        raise ValueError(
            f"decode_one_hot needs vectors along the last axis, got an array of shape {arr.shape}."
        )
    if depth is not None and arr.shape[-1] != _check_depth(depth):
        raise ValueError(
            f"decode_one_hot expected vectors of length {depth} on the last axis, got shape "
            f"{arr.shape}. Pass arrays shaped (..., {depth})."
        )
    if np.isnan(arr).any():
        raise ValueError("decode_one_hot got NaN entries: the model that produced them diverged.")
    return arr.argmax(axis=-1)
