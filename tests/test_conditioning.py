"""companion.kits.conditioning: labels are checked before a generator sees them, and the grading
functions agree with direct computations; chapter 8's reference to chapter 6 matches its run."""

from __future__ import annotations

import numpy as np
import pytest

from companion import quality
from companion.kits import conditioning


def test_label_vectors_are_one_hot_rows():
    y = conditioning.label_vectors(np.array([0, 3, 9], dtype=np.uint8), 10, batch=3)
    assert y.dtype == np.float32 and y.shape == (3, 10)
    assert np.array_equal(y.argmax(1), [0, 3, 9]) and np.array_equal(y.sum(1), [1, 1, 1])


@pytest.mark.parametrize(
    "labels, batch, message",
    [
        ([3, 10], None, r"label 10 is outside 0\.\.9"),
        ([-1, 2], None, r"label -1 is outside 0\.\.9"),
        ([0.5, 2.0], None, r"integers 0\.\.9; got dtype float64 \(first value 0\.5\)"),
        ([3.0], None, r"got dtype float64"),
        ([True, False], None, r"got dtype bool"),
        ([1, 2, 3], 2, r"3 class labels for a noise batch of 2"),
        ([[0, 1]], None, r"1-D batch .* shape \(1, 2\)"),
        (np.eye(10)[:2], None, r"decode_one_hot"),
    ],
)
def test_bad_labels_are_refused_with_the_value(labels, batch, message):
    with pytest.raises(ValueError, match=message):
        conditioning.label_vectors(labels, 10, batch=batch)


def test_class_grid_labels():
    assert conditioning.class_grid_labels(3, 2).tolist() == [0, 0, 1, 1, 2, 2]


def test_label_walk_goes_from_one_class_to_the_other():
    walk = conditioning.label_walk(2, 7, 10, steps=5)
    assert walk.shape == (5, 10) and np.allclose(walk.sum(1), 1)
    assert walk[0].argmax() == 2 and walk[-1].argmax() == 7 and walk[0, 2] == 1
    assert np.allclose(walk[2, [2, 7]], [0.5, 0.5])
    with pytest.raises(ValueError, match=r"steps must be an integer of at least 2 .*; got 1\."):
        conditioning.label_walk(0, 1, 10, steps=1)
    with pytest.raises(ValueError, match=r"b must be an integer from 0 to 9 .*; got 10\."):
        conditioning.label_walk(0, 10, 10, steps=3)
    with pytest.raises(ValueError, match=r"a must be an integer .*; got 2\.5 \(a float\)"):
        conditioning.label_walk(2.5, 1, 10, steps=3)


def test_conditional_accuracy_against_a_direct_count():
    requested = np.array([0, 0, 1, 1, 1, 2])
    predicted = np.array([0, 1, 1, 1, 0, 2])
    overall, per_class = conditioning.conditional_accuracy(predicted, requested, 4)
    assert overall == pytest.approx(4 / 6)
    assert per_class[:3] == pytest.approx([0.5, 2 / 3, 1.0]) and np.isnan(per_class[3])
    with pytest.raises(ValueError, match="one requested label per predicted label; got 6 in"):
        conditioning.conditional_accuracy(predicted, requested[:5], 4)


def test_evaluate_per_class_compares_each_class_with_its_own_real_images(monkeypatch):
    calls = []

    def spy(generated, reference, dataset):
        calls.append((generated.copy(), reference.copy(), dataset))
        return len(calls)

    monkeypatch.setattr(quality, "evaluate", spy)
    generated = np.arange(6)[:, None] * np.ones((6, 4))
    requested = np.array([0, 1, 0, 1, 0, 1])
    reference = np.arange(10, 18)[:, None] * np.ones((8, 4))
    ref_labels = np.array([1, 0, 1, 0, 1, 0, 1, 0])
    out = conditioning.evaluate_per_class(generated, requested, reference, ref_labels, "x", 2)
    assert out == [1, 2]
    assert calls[0][0][:, 0].tolist() == [0, 2, 4] and calls[0][1][:, 0].tolist() == [
        11,
        13,
        15,
        17,
    ]
    assert calls[1][0][:, 0].tolist() == [1, 3, 5] and calls[1][1][:, 0].tolist() == [
        10,
        12,
        14,
        16,
    ]
    with pytest.raises(ValueError, match="got 6 images in `generated` and 3 labels in `requested`"):
        conditioning.evaluate_per_class(generated, requested[:3], reference, ref_labels, "x", 2)


def test_reference_labels_go_with_the_reference_images():
    images = quality.reference_images("mnist", max_images=50)
    labels = quality.reference_labels("mnist", max_images=50)
    assert labels.shape == (50,) and labels.max() <= 9
    assert len(images) == len(labels)


# --- issue 32: every bad input gets a message that names the argument, the value and a remedy --


def test_chapter_8_messages_are_unchanged():
    """Chapter 8 prints these three messages in its stored output; they must still be true."""
    expected = [
        "Class label 10 is outside 0..9 (1 of 2 labels out of range): this generator knows 10 "
        "classes.",
        "Class labels must be integers 0..9; got dtype float64 (first value 0.5). Pass integer "
        "labels, e.g. np.array([...], dtype=int); to mix two classes use label_walk instead of a "
        "fractional label.",
        "Got 3 class labels for a noise batch of 2: give exactly one label per noise vector.",
    ]
    for bad, message in zip(([3, 10], [0.5, 2.0], [1, 2, 3]), expected):
        with pytest.raises(ValueError) as info:
            conditioning.label_vectors(bad, 10, batch=2)
        assert str(info.value) == message


@pytest.mark.parametrize(
    "labels, message",
    [
        ([1, None], r"integers 0\.\.9; got None \(a NoneType\) at position 1\. Pass integer"),
        ([2**70], r"Class label 1180591620717411303424 is outside 0\.\.9"),
        ([1, 2**70, -(2**70)], r"label 1180591620717411303424 is outside 0\.\.9 \(2 of 3 labels"),
    ],
)
def test_case_1_object_labels_name_the_value_instead_of_crashing(labels, message):
    with pytest.raises(ValueError, match=message):
        conditioning.check_labels(labels, 10)


@pytest.mark.parametrize(
    "n_classes, shown",
    [
        (2.5, r"2\.5 \(a float\)"),
        (True, r"True \(a bool\)"),
        ("10", r"'10' \(a str\)"),
        (0, r"0\."),
        (-3, r"-3\."),
        (None, r"None \(a NoneType\)"),
    ],
)
def test_case_2_n_classes_is_checked(n_classes, shown):
    with pytest.raises(
        ValueError, match=rf"n_classes must be an integer of at least 1 .*; got {shown}"
    ):
        conditioning.check_labels([0], n_classes)
    with pytest.raises(ValueError, match="n_classes must be"):
        conditioning.conditional_accuracy([0], [0], n_classes)
    with pytest.raises(ValueError, match="n_classes must be"):
        conditioning.class_grid_labels(n_classes, 2)


def test_case_2_n_classes_of_numpy_type_is_fine():
    assert conditioning.check_labels([0, 9], np.int64(10)).tolist() == [0, 9]


@pytest.mark.parametrize(
    "labels, shown",
    [
        ([0.0, np.nan], r"nan at position 1"),
        ([np.inf, 1.0], r"inf at position 0"),
        (np.array([2, -np.inf], np.float32), r"-inf at position 1"),
    ],
)
def test_case_3_nan_and_inf_labels_are_named(labels, shown):
    with pytest.raises(ValueError, match=rf"integers 0\.\.9; got {shown} \(1 NaN or infinite\)"):
        conditioning.check_labels(labels, 10)


def test_case_4_an_empty_list_is_an_empty_batch():
    empty = conditioning.check_labels([], 10)
    assert empty.dtype == np.int64 and empty.shape == (0,)
    with pytest.raises(ValueError, match="needs at least one image; got none"):
        conditioning.conditional_accuracy([], [], 10)
    with pytest.raises(ValueError, match="Got 0 class labels for a noise batch of 2"):
        conditioning.check_labels([], 10, batch=2)


def test_case_5_length_mismatch_names_both_arguments(monkeypatch):
    with pytest.raises(ValueError, match=r"got 3 in `predicted` and 2 in `requested`") as info:
        conditioning.conditional_accuracy([0, 1, 2], [0, 1], 10)
    assert "noise" not in str(info.value)  # there is no noise batch here
    monkeypatch.setattr(quality, "evaluate", lambda *args: pytest.fail("must not be reached"))
    images = np.zeros((8, 28, 28), np.uint8)
    labels = np.repeat([0, 1], 4)
    with pytest.raises(ValueError, match=r"8 images in `reference` and 7 labels in `reference_lab"):
        conditioning.evaluate_per_class(images, labels, images, labels[:7], "mnist", 2)


def test_bad_labels_name_the_argument_they_came_in():
    with pytest.raises(ValueError, match=r"Class label 12 in `requested` is outside 0\.\.9"):
        conditioning.conditional_accuracy([0, 1], [0, 12], 10)
    with pytest.raises(ValueError, match=r"Class labels in `predicted` must be integers"):
        conditioning.conditional_accuracy([0.5, 1], [0, 1], 10)


def test_case_6_a_class_with_too_few_images_is_named(monkeypatch):
    monkeypatch.setattr(quality, "evaluate", lambda *args: pytest.fail("must not be reached"))
    generated = np.zeros((7, 28, 28), np.uint8)
    requested = np.array([0, 0, 0, 1, 2, 2, 2])  # class 1 has one image
    reference = np.zeros((12, 28, 28), np.uint8)
    ref_labels = np.array([0] * 6 + [1] * 6)  # class 2 is missing from the reference
    with pytest.raises(ValueError) as info:
        conditioning.evaluate_per_class(generated, requested, reference, ref_labels, "mnist", 3)
    message = str(info.value)
    assert (
        "too few for 2 class(es): class 1: 1 generated, 6 reference; class 2: 3 generated, "
        "0 reference (missing from reference_labels)" in message
    )
    assert "class 0:" not in message and "class_grid_labels" in message


def test_case_7_lists_of_images_are_accepted(monkeypatch):
    calls = []
    monkeypatch.setattr(quality, "evaluate", lambda g, r, d: calls.append((g.shape, r.shape)))
    generated = [np.zeros((28, 28), np.uint8)] * 4
    reference = [np.zeros((28, 28), np.uint8)] * 8
    conditioning.evaluate_per_class(generated, [0, 1, 0, 1], reference, [0, 1] * 4, "mnist", 2)
    assert calls == [((2, 28, 28), (4, 28, 28))] * 2


@pytest.mark.parametrize("batch", [2.0, True, -1, "2"])
def test_batch_is_checked(batch):
    with pytest.raises(ValueError, match=r"batch must be an integer of at least 0"):
        conditioning.check_labels([0, 1], 10, batch=batch)


@pytest.mark.parametrize("per_class", [0, 2.5])
def test_class_grid_labels_checks_per_class(per_class):
    with pytest.raises(ValueError, match=r"per_class must be an integer of at least 1"):
        conditioning.class_grid_labels(10, per_class)
