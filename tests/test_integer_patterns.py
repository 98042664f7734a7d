"""companion.kits.integer_patterns: the multiples-of-5 data and the metrics that grade a G."""

import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from companion.kits import integer_patterns as ip
from companion.kits.encoding import decode_one_hot


def test_valid_values_are_the_twenty_multiples_of_five():
    values = ip.valid_values()
    assert values.dtype == np.int64 and values.tolist() == list(range(0, 100, 5))
    assert ip.valid_values(depth=10, step=3).tolist() == [0, 3, 6, 9]


@pytest.mark.parametrize("kwargs", [{"depth": 0}, {"step": -5}, {"step": 2.5}, {"depth": True}])
def test_valid_values_rejects_bad_sizes(kwargs):
    with pytest.raises(ValueError, match="must be a whole number >= 1"):
        ip.valid_values(**kwargs)


def test_sample_sequences_shape_values_and_reproducibility():
    a = ip.sample_sequences(np.random.default_rng(1), 50)
    b = ip.sample_sequences(np.random.default_rng(1), 50)
    assert a.shape == (50, ip.LENGTH) and a.dtype == np.int64
    np.testing.assert_array_equal(a, b)
    assert ip.is_valid(a).all()
    assert set(np.unique(a)) <= set(ip.valid_values().tolist())


def test_sample_sequences_is_roughly_uniform_over_all_valid_values():
    values = ip.sample_sequences(np.random.default_rng(0), 2_000)
    report = ip.evaluate(values)
    assert report.covered == 20 and report.share_valid == 1.0
    assert report.distance < 0.03  # 20,000 samples: noise floor ~0.017


def test_sample_sequences_errors():
    with pytest.raises(TypeError, match="numpy.random.Generator"):
        ip.sample_sequences(0, 5)
    with pytest.raises(ValueError, match="n_sequences must be"):
        ip.sample_sequences(np.random.default_rng(0), 0)
    with pytest.raises(ValueError, match="length must be"):
        ip.sample_sequences(np.random.default_rng(0), 1, length=-1)


def test_sample_batch_is_one_hot_and_decodes_to_the_same_sequences():
    batch = ip.sample_batch(np.random.default_rng(3), 4)
    assert batch.shape == (4, ip.LENGTH, ip.DEPTH) and batch.dtype == np.float32
    np.testing.assert_array_equal(batch.sum(-1), 1.0)
    np.testing.assert_array_equal(
        decode_one_hot(batch), ip.sample_sequences(np.random.default_rng(3), 4)
    )


def test_is_valid_keeps_shape_and_rejects_out_of_range():
    mask = ip.is_valid(np.array([[0, 5, 7], [95, 100, -5]]))
    assert mask.shape == (2, 3)
    assert mask.tolist() == [[True, True, False], [True, False, False]]


@pytest.mark.parametrize("bad, match", [([], "no integers"), ([0.0, 5.0], "decoded integers")])
def test_metrics_reject_empty_or_float_input(bad, match):
    for fn in (ip.is_valid, ip.histogram, ip.total_variation, ip.evaluate):
        with pytest.raises(ValueError, match=match):
            fn(np.array(bad))


def test_histogram_counts_out_of_range_values_in_the_total_only():
    h = ip.histogram(np.array([0, 0, 5, 150]))
    assert h.shape == (100,)
    assert h[0] == 0.5 and h[5] == 0.25 and h.sum() == 0.75


def test_total_variation_extremes():
    assert ip.total_variation(ip.valid_values()) == pytest.approx(0.0)
    assert ip.total_variation(np.array([1, 2, 3, 99])) == pytest.approx(1.0)
    assert ip.total_variation(np.array([100, 200])) == pytest.approx(1.0)
    # all mass on one valid value: 1/2 (|1 - 1/20| + 19/20) = 0.95
    assert ip.total_variation(np.array([35] * 10)) == pytest.approx(0.95)


def test_evaluate_reports_validity_coverage_and_distance():
    values = np.array([0, 0, 5, 7, 10, 10, 10, 3])
    report = ip.evaluate(values)
    assert report.n == 8 and report.share_valid == pytest.approx(6 / 8)
    assert report.covered == 3 and report.n_valid == 20 and report.distinct == 5
    freq = np.array([2, 1, 3]) / 6
    assert report.effective == pytest.approx(np.exp(-(freq * np.log(freq)).sum()))
    assert 0 < report.distance < 1
    assert report.largest == pytest.approx(3 / 8)
    assert "covered=3/20" in str(report) and "valid=75.0%" in str(report)


def test_collapsed_generator_is_caught():
    report = ip.evaluate(np.array([55, 20, 75, 20, 80, 55, 35, 55, 30, 55] * 100))
    assert report.share_valid == 1.0 and report.covered == 6
    assert report.distance > 0.6
    assert 4 < report.effective < 6


def test_passes_checks_every_bar():
    bars = dict(min_valid=0.99, min_covered=20, max_distance=0.1, min_effective=18, max_largest=0.1)
    uniform = ip.evaluate(np.tile(ip.valid_values(), 50))
    assert uniform.largest == pytest.approx(0.05) and uniform.passes(**bars)
    collapsed = ip.evaluate(np.array([55, 20, 75, 20, 80, 55, 35, 55, 30, 55] * 100))
    assert not collapsed.passes(**bars)
    for name, value in [
        ("min_valid", 1.01),
        ("min_covered", 21),
        ("max_distance", -0.1),
        ("min_effective", 21),
        ("max_largest", 0.04),
    ]:
        assert not uniform.passes(**{**bars, name: value}), name


def test_effective_number_of_values_extremes():
    assert ip.evaluate(ip.valid_values()).effective == pytest.approx(20.0)
    assert ip.evaluate(np.array([35] * 50 + [1])).effective == pytest.approx(1.0)
    assert ip.evaluate(np.array([1, 2, 3])).effective == 0.0


def test_plot_histogram_draws_valid_invalid_and_target():
    ax = ip.plot_histogram(np.array([0, 5, 5, 7]), title="t")
    labels = ax.get_legend_handles_labels()[1]
    assert labels == ["uniform target 1/20", "valid value", "invalid value"]
    assert ax.get_title() == "t"
    matplotlib.pyplot.close(ax.figure)


def test_module_imports_no_framework():
    code = (
        "import sys, companion.kits.integer_patterns; "
        "assert 'torch' not in sys.modules and 'tensorflow' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
