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

__all__ = ["one_hot", "decode_one_hot"]

IntLike = Union[int, ArrayLike]


def _check_depth(depth: int) -> int:
    if isinstance(depth, bool) or not isinstance(depth, (int, np.integer)) or depth < 1:
        raise ValueError(f"depth must be a positive whole number, got {depth!r}.")
    return int(depth)


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


def decode_one_hot(vectors: ArrayLike, depth: int | None = None) -> np.ndarray:
    """Turn one-hot (or soft, e.g. softmax) vectors back into integers by ``argmax``.

    Args:
        vectors: array of shape ``S + (depth,)``: one vector per value along the last axis.
        depth: if given, the last axis must have this length.

    Returns:
        ``int64`` array of shape ``S``: for each vector the index of its largest entry.

    Raises:
        ValueError: ``vectors`` is a scalar, has an empty last axis, the wrong last-axis length,
            or contains NaN.
    """
    arr = np.asarray(vectors, dtype=np.float64)
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
