"""companion.conditioning: labels are checked before a generator sees them, and the grading
functions agree with direct computations; chapter 8's reference to chapter 6 matches its run."""

from __future__ import annotations

import numpy as np
import pytest

from companion import conditioning, quality


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
    with pytest.raises(ValueError, match="at least 2 steps"):
        conditioning.label_walk(0, 1, 10, steps=1)
    with pytest.raises(ValueError, match="outside"):
        conditioning.label_walk(0, 10, 10, steps=3)


def test_conditional_accuracy_against_a_direct_count():
    requested = np.array([0, 0, 1, 1, 1, 2])
    predicted = np.array([0, 1, 1, 1, 0, 2])
    overall, per_class = conditioning.conditional_accuracy(predicted, requested, 4)
    assert overall == pytest.approx(4 / 6)
    assert per_class[:3] == pytest.approx([0.5, 2 / 3, 1.0]) and np.isnan(per_class[3])
    with pytest.raises(ValueError, match="5 class labels for a noise batch of 6"):
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
    with pytest.raises(ValueError, match="3 class labels for a noise batch of 6"):
        conditioning.evaluate_per_class(generated, requested[:3], reference, ref_labels, "x", 2)


def test_reference_labels_go_with_the_reference_images():
    images = quality.reference_images("mnist", max_images=50)
    labels = quality.reference_labels("mnist", max_images=50)
    assert labels.shape == (50,) and labels.max() <= 9
    assert len(images) == len(labels)
