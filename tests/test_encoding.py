"""companion.kits.encoding: one-hot round trips and clear errors for bad input."""

import numpy as np
import pytest

from companion.kits.encoding import decode_one_hot, one_hot


def test_one_hot_of_75_has_a_single_one_at_index_75():
    vec = one_hot(75, depth=100)
    assert vec.shape == (100,) and vec.dtype == np.float32
    assert vec.sum() == 1 and vec[75] == 1


def test_round_trip_keeps_shape():
    values = np.arange(0, 100, 5).reshape(4, 5)
    encoded = one_hot(values, 100)
    assert encoded.shape == (4, 5, 100)
    np.testing.assert_array_equal(decode_one_hot(encoded, depth=100), values)


def test_whole_floats_are_accepted():
    np.testing.assert_array_equal(one_hot([2.0], 3), [[0, 0, 1]])


@pytest.mark.parametrize("bad", [100, -1, [5, 100]])
def test_out_of_range_values_are_rejected(bad):
    with pytest.raises(ValueError, match=r"encodes values 0\.\.99"):
        one_hot(bad, depth=100)


@pytest.mark.parametrize("bad", [2.5, [1, float("nan")]])
def test_non_integers_are_rejected(bad):
    with pytest.raises(ValueError, match="not a whole number"):
        one_hot(bad, depth=100)


@pytest.mark.parametrize("bad", [True, "7", [None]])
def test_non_numbers_are_rejected(bad):
    with pytest.raises(ValueError, match="whole numbers"):
        one_hot(bad, depth=10)


@pytest.mark.parametrize("depth", [0, -3, 2.0])
def test_bad_depth_is_rejected(depth):
    with pytest.raises(ValueError, match="depth"):
        one_hot(1, depth)


def test_decode_soft_vectors_takes_argmax():
    assert decode_one_hot([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2]]).tolist() == [1, 0]


def test_decode_rejects_wrong_shapes_and_nan():
    with pytest.raises(ValueError, match="shape \\(\\)"):
        decode_one_hot(3.0)
    with pytest.raises(ValueError, match="length 100"):
        decode_one_hot(np.zeros((2, 99)), depth=100)
    with pytest.raises(ValueError, match="NaN"):
        decode_one_hot([[np.nan, 1.0]])


# --- issue 32: the same patterns as companion.kits.conditioning's labels ---


def test_chapter_4_messages_are_unchanged():
    """Chapter 4 checks these messages against its stored output (NBVAL_CHECK_OUTPUT)."""
    with pytest.raises(ValueError) as info:
        one_hot(2.5, 100)
    assert str(info.value) == (
        "one_hot encodes whole numbers 0..99; got np.float64(2.5), which is not a whole number. "
        "Round or cast the values to integers first."
    )
    with pytest.raises(ValueError) as info:
        one_hot(100, 100)
    assert str(info.value).startswith("one_hot(depth=100) encodes values 0..99; got np.int64(100)")


@pytest.mark.parametrize(
    "values, message",
    [
        ([2**70], r"encodes values 0\.\.9; got 1180591620717411303424 \(1 value\(s\) out of range"),
        ([[1, None]], r"got None \(a NoneType\) at flat position 1\. Convert the values"),
    ],
)
def test_object_values_are_named(values, message):
    with pytest.raises(ValueError, match=message):
        one_hot(values, 10)
    assert one_hot(np.array([[1, 2]], dtype=object), 3).shape == (1, 2, 3)


@pytest.mark.parametrize("depth, shown", [(2.5, r"2\.5 \(a float\)"), ("10", r"'10' \(a str\)")])
def test_depth_is_named_with_its_value(depth, shown):
    with pytest.raises(
        ValueError, match=rf"depth must be an integer of at least 1 .*; got {shown}"
    ):
        one_hot(1, depth)
    with pytest.raises(ValueError, match=rf"depth must be an integer .*; got {shown}"):
        decode_one_hot([[0.0, 1.0]], depth)


def test_decode_refuses_strings_and_complex_but_takes_bools():
    with pytest.raises(ValueError, match=r"vectors must hold real numbers .* first value 'a'"):
        decode_one_hot([["a", "b"]])
    with pytest.raises(ValueError, match=r"vectors must hold real numbers .* complex128"):
        decode_one_hot([[1j, 2.0]])
    assert decode_one_hot(np.eye(3, dtype=bool)).tolist() == [0, 1, 2]
