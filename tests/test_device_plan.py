"""companion.device_plan: what a run uses on each device, and the clear errors for bad device input.

The CUDA queries are stubbed, so the table of GPUs (T4, V100, A100, H100/H200, an old P100) is
checked on a machine without one.
"""

from __future__ import annotations

import pytest

from companion import device_plan
from companion.device_plan import PRECISION_ENV, per_device_batch, plan_for

# device, capability -> precision, loss scaling, compile, CUDA graphs, Keras policy
TABLE = [
    ("cpu", None, "float32", False, True, False, "float32"),
    ("mps", None, "float32", False, False, False, "float32"),
    ("cuda", (6, 0), "float32", False, False, False, "float32"),  # P100
    ("cuda", (7, 0), "float16", True, True, True, "mixed_float16"),  # V100
    ("cuda", (7, 5), "float16", True, True, True, "mixed_float16"),  # T4, Colab's default GPU
    ("cuda", (8, 0), "bfloat16", False, True, True, "mixed_bfloat16"),  # A100
    ("cuda", (8, 9), "bfloat16", False, True, True, "mixed_bfloat16"),  # L4
    ("cuda", (9, 0), "bfloat16", False, True, True, "mixed_bfloat16"),  # H100, H200
]


@pytest.fixture(autouse=True)
def _auto_precision(monkeypatch):
    monkeypatch.delenv(PRECISION_ENV, raising=False)


@pytest.mark.parametrize("device,cc,precision,scaling,compiles,graphs,policy", TABLE)
def test_the_table(device, cc, precision, scaling, compiles, graphs, policy):
    plan = plan_for(device, cc)
    assert (plan.precision, plan.loss_scaling, plan.compile, plan.cuda_graphs) == (
        precision,
        scaling,
        compiles,
        graphs,
    )
    assert plan.keras_policy == policy
    assert plan.mixed == (precision != "float32")
    assert set(plan.reasons) == {"precision", "compile", "cuda_graphs"}
    assert all(plan.reasons.values()) and not plan.forced
    line = plan.describe()
    assert line.startswith(f"plan: precision={precision}") and "\n" not in line
    assert ("loss scaling" in line) == scaling


def test_a_t4_is_never_given_bfloat16():
    """torch.cuda.is_bf16_supported() says True on a T4 (emulated); the plan does not ask it."""
    plan = plan_for("cuda", (7, 5))
    assert plan.precision == plan.half == "float16"
    assert "emulates bfloat16" in plan.reasons["precision"]


def test_the_cpu_names_why_cuda_graphs_do_not_apply():
    plan = plan_for("cpu")
    assert plan.reasons["cuda_graphs"] == "CUDA graphs need a CUDA GPU"
    assert plan.half == "bfloat16"  # what chapter 11 measures on a CPU on purpose


@pytest.mark.parametrize("value", ["float16", "FLOAT16", " float16 "])
def test_the_environment_forces_a_precision(monkeypatch, value):
    monkeypatch.setenv(PRECISION_ENV, value)
    plan = plan_for("cpu")
    assert plan.precision == plan.half == "float16" and plan.loss_scaling and plan.forced
    assert "forced by GAN_BOOK_PRECISION" in plan.describe()
    assert not plan.cuda_graphs  # forcing a precision does not invent CUDA


@pytest.mark.parametrize("value", ["", "auto", "AUTO"])
def test_auto_leaves_the_table_alone(monkeypatch, value):
    monkeypatch.setenv(PRECISION_ENV, value)
    assert plan_for("cuda", (7, 5)) == plan_for("cuda", (7, 5), precision="auto")
    assert not plan_for("cpu").forced


def test_forcing_float32_keeps_the_devices_half_format():
    plan = plan_for("cuda", (9, 0), precision="float32")
    assert plan.precision == "float32" and plan.half == "bfloat16" and plan.forced


@pytest.mark.parametrize("value", ["fp16", "half", "float64", "16"])
def test_an_unknown_precision_name_is_refused(monkeypatch, value):
    monkeypatch.setenv(PRECISION_ENV, value)
    with pytest.raises(ValueError, match=f"GAN_BOOK_PRECISION='{value}' is not a precision"):
        plan_for("cpu")
    monkeypatch.delenv(PRECISION_ENV)
    with pytest.raises(ValueError, match="Use one of float32, bfloat16, float16, or 'auto'"):
        plan_for("cpu", precision=value)


def test_a_precision_that_is_not_a_string_is_refused():
    with pytest.raises(TypeError, match="precision must be a string"):
        plan_for("cpu", precision=16)


@pytest.mark.parametrize("cc", [None, (7,), "7.5", (7.5, 0), (-1, 0), (True, 0)])
def test_cuda_without_a_capability_is_refused(cc):
    with pytest.raises(ValueError, match=r"compute capability as \(major, minor\)"):
        plan_for("cuda", cc)


@pytest.mark.parametrize("device", ["gpu", "CUDA", "tpu", ""])
def test_an_unknown_device_kind_is_refused(device):
    with pytest.raises(ValueError, match="is not one of cpu, cuda, mps"):
        plan_for(device)


def test_a_batch_splits_over_devices_and_micro_batches():
    assert per_device_batch(256, 2) == 128
    assert per_device_batch(64, 2, 2) == 16
    with pytest.raises(ValueError, match=r"batch of 64 does not split into 3 device\(s\) x 1"):
        per_device_batch(64, 3)
    with pytest.raises(ValueError, match="a multiple of 12"):
        per_device_batch(64, 3, 4)
    for bad in (0, -2, 2.0, True):
        with pytest.raises(ValueError, match="devices must be a whole number of at least 1"):
            per_device_batch(64, bad)


# --- the framework helpers: the capability is read from the framework (stubbed here) ---


@pytest.mark.parametrize("cc,precision", [((7, 5), "float16"), ((9, 0), "bfloat16")])
def test_torch_reads_the_capability_of_the_gpu(monkeypatch, cc, precision):
    torch = pytest.importorskip("torch")
    from companion import torch_utils

    monkeypatch.setattr(torch.cuda, "get_device_capability", lambda index=None: cc)
    monkeypatch.setattr(torch.cuda, "current_device", lambda: 0)
    plan = torch_utils.device_plan(torch.device("cuda", 0))
    assert plan.device == "cuda" and plan.capability == cc and plan.precision == precision
    assert torch_utils.device_plan(torch.device("cpu")) == device_plan.plan_for("cpu")


def test_torch_refuses_a_device_this_machine_lacks(monkeypatch):
    torch = pytest.importorskip("torch")
    from companion.torch_utils import pick_device

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(ValueError, match=r"pick_device\('cuda'\): this machine has no CUDA GPU"):
        pick_device("cuda")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    assert pick_device("cuda:1") == torch.device("cuda", 1)
    with pytest.raises(ValueError, match=r"has 2 CUDA GPU\(s\), numbered 0 to 1"):
        pick_device("cuda:2")
    with pytest.raises(ValueError, match="not a device name"):
        pick_device("gpu")
    if not torch.backends.mps.is_available():
        with pytest.raises(ValueError, match="MPS is not available"):
            pick_device("mps")


def test_keras_reads_the_capability_of_the_gpu(monkeypatch):
    pytest.importorskip("tensorflow")
    import tensorflow as tf

    from companion import keras_utils

    monkeypatch.setattr(tf.config, "list_physical_devices", lambda kind=None: ["gpu0"])
    monkeypatch.setattr(
        tf.config.experimental,
        "get_device_details",
        lambda gpu: {"device_name": "Tesla T4", "compute_capability": (7, 5)},
    )
    plan = keras_utils.device_plan("/GPU:0")
    assert plan.keras_policy == "mixed_float16" and plan.loss_scaling
    assert keras_utils.device_plan("/CPU:0").keras_policy == "float32"


def test_keras_refuses_a_device_this_machine_lacks(monkeypatch):
    pytest.importorskip("tensorflow")
    import tensorflow as tf

    from companion.keras_utils import pick_device

    monkeypatch.setattr(tf.config, "list_physical_devices", lambda kind=None: [])
    with pytest.raises(ValueError, match=r"TensorFlow sees 0 GPU device\(s\) here"):
        pick_device("/GPU:0")
    with pytest.raises(ValueError, match="not a device name"):
        pick_device("cuda")
