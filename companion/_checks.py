"""Argument checks shared by companion's NumPy helpers (private: not part of the book's API).

Each check returns the argument in the form the caller computes with, or raises a
:class:`ValueError` whose message names the argument, shows the value, states what is valid
and says what to do, so that a bad input never turns into a raw NumPy error or, worse, into a
number that looks right. Framework-neutral: imports NumPy only.
"""

from __future__ import annotations

import operator

import numpy as np

__all__ = ["shown", "integer", "limit", "fraction", "numbers", "finite", "feature_rows", "position"]


def shown(value: object) -> str:
    """``repr`` of ``value``, with NumPy scalars as plain Python ones (``2.5``, not
    ``np.float64(2.5)``)."""
    return repr(value.item() if isinstance(value, np.generic) else value)


def _range_text(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f" from {low} to {high}"
    if low is not None:
        return f" of at least {low}"
    if high is not None:
        return f" of at most {high}"
    return ""


def integer(
    value: object,
    name: str,
    low: int | None = None,
    high: int | None = None,
    *,
    context: str = "",
    fix: str = "",
    example: int | None = None,
) -> int:
    """``value`` as an ``int`` if it is a whole number of an integer type in ``low..high``.

    A bool, a float (``3.0`` too: a float count is usually a computed value passed by mistake),
    a string or ``None`` is refused, as is an integer outside the range. ``context`` follows the
    range in the message (say why the range is what it is); ``fix`` says what to do about a
    value out of range; ``example`` (default ``low``, else 1) is the int a wrong type is told to
    be replaced with.
    """
    valid = f"{name} must be an integer{_range_text(low, high)}{context}"
    if isinstance(value, (bool, np.bool_)):
        number = None
    else:
        try:
            number = operator.index(value)  # int, NumPy integers, 0-d integer arrays
        except TypeError:
            number = None
    if number is None:
        if example is None:
            example = 1 if low is None else low
        raise ValueError(
            f"{valid}; got {shown(value)} (a {type(value).__name__}). Pass a whole number as an "
            f"int, e.g. {name}={example}."
        )
    if (low is not None and number < low) or (high is not None and number > high):
        raise ValueError(f"{valid}; got {number}. {fix or 'Pass a value in that range.'}")
    return number


def limit(value: object, name: str) -> int | None:
    """``value`` as an int >= 1, or ``None`` (no limit): a count used as a slice bound, which
    must not silently drop rows from the end (``-1``) or keep none (``0``)."""
    if value is None:
        return None
    return integer(value, name, 1, context=" or None (all)", fix="Pass None to keep them all.")


def fraction(value: object, name: str, *, fix: str = "") -> float:
    """``value`` as a ``float`` strictly between 0 and 1 (a quantile, a share)."""
    ok = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)
    )
    if not ok or not 0.0 < float(value) < 1.0:
        kind = "" if ok else f" (a {type(value).__name__})"
        raise ValueError(
            f"{name} must be a number strictly between 0 and 1; got {shown(value)}{kind}. "
            f"{fix or 'Pass a float such as 0.05.'}"
        )
    return float(value)


def position(mask: np.ndarray) -> str:
    """Where the first ``True`` of ``mask`` is, in words: ``"position 3"`` or ``"row 2, column
    5"``."""
    index = np.unravel_index(int(np.argmax(mask)), mask.shape)
    if len(index) == 1:
        return f"position {index[0]}"
    if len(index) == 2:
        return f"row {index[0]}, column {index[1]}"
    return f"index {tuple(int(i) for i in index)}"


def numbers(x: object, name: str, what: str) -> np.ndarray:
    """``x`` as a ``float64`` array if it holds real numbers (integers or floats).

    Refused: bools (a mask passed by mistake would count as 0/1), complex numbers (their
    imaginary part would be dropped), strings, ``None`` and other objects. ``what`` says what
    ``x`` should hold, e.g. ``"feature vectors"``.
    """
    arr = np.asarray(x)
    if arr.dtype.kind in "iuf":
        return arr.astype(np.float64, copy=False)
    if arr.dtype.kind == "b":
        why = "bools would be counted as 0 and 1; convert a mask with .astype(float) if you mean it"
    elif arr.dtype.kind == "c":
        why = "the imaginary part would be dropped; pass the real part (x.real) or the modulus"
    else:
        first = shown(arr.flat[0]) if arr.size else "(empty)"
        why = f"first value {first}; convert them to floats first"
    raise ValueError(f"{name} must hold real numbers ({what}); got dtype {arr.dtype}: {why}.")


def finite(arr: np.ndarray, name: str, fix: str) -> np.ndarray:
    """``arr`` unchanged if it has no NaN or infinite value; else name the first one and where
    it is."""
    bad = ~np.isfinite(arr)
    if bad.any():
        raise ValueError(
            f"{name} holds {int(bad.sum())} NaN or infinite value(s), the first "
            f"{shown(arr[bad].flat[0])} at {position(bad)}. {fix}"
        )
    return arr


def feature_rows(x: object, name: str, min_rows: int = 1) -> np.ndarray:
    """``x`` as a finite ``float64`` ``(N, F)`` array with ``N >= min_rows`` and ``F >= 1``."""
    a = numbers(x, name, "feature vectors, one row per image")
    if a.ndim != 2 or len(a) < min_rows or a.shape[1] == 0:
        rows = "a non-empty" if min_rows == 1 else "a"
        more = "" if min_rows == 1 else f" at least {min_rows} rows and"
        raise ValueError(
            f"{name} must be {rows} 2-D array (N, F) of feature vectors, one row per image, with"
            f"{more} at least one feature per row; got shape {a.shape}. Flatten images first, "
            f"e.g. images.reshape(len(images), -1)."
        )
    return finite(a, name, "Check the generator's output or the features computed from it.")
