"""companion.torch_utils and companion.keras_utils: device choice, description and seeding."""

import subprocess
import sys

import numpy as np


def test_torch_device_and_seed():
    import torch

    from companion.torch_utils import describe_device, pick_device, seed

    device = pick_device()
    assert device.type in ("cuda", "mps", "cpu")
    assert pick_device("cpu") == torch.device("cpu")
    assert describe_device(torch.device("cpu")).startswith("cpu (")
    g1 = seed(7)
    a = torch.randn(3), torch.randn(2, generator=g1), np.random.rand()
    g2 = seed(7)
    b = torch.randn(3), torch.randn(2, generator=g2), np.random.rand()
    assert torch.equal(a[0], b[0]) and torch.equal(a[1], b[1]) and a[2] == b[2]


def test_keras_device_and_seed():
    import keras
    import tensorflow as tf

    from companion.keras_utils import describe_device, pick_device, seed

    assert pick_device() in ("/GPU:0", "/CPU:0")
    assert pick_device("/CPU:0") == "/CPU:0"
    assert describe_device("/CPU:0").startswith("/CPU:0 cpu (")
    g1 = seed(5)
    a = tf.random.normal((3,)).numpy(), keras.random.normal((2,), seed=g1).numpy()
    g2 = seed(5)
    b = tf.random.normal((3,)).numpy(), keras.random.normal((2,), seed=g2).numpy()
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])


def test_twin_helpers_share_their_signatures():
    """torch_utils and keras_utils offer the same calls, so a reader can switch frameworks."""
    import inspect

    from companion import keras_utils, torch_utils

    assert keras_utils.__all__ == torch_utils.__all__
    for name in torch_utils.__all__:
        torch_params = list(inspect.signature(getattr(torch_utils, name)).parameters)
        keras_params = list(inspect.signature(getattr(keras_utils, name)).parameters)
        assert torch_params == keras_params, name


def test_framework_helpers_stay_apart():
    """A PyTorch chapter never imports TensorFlow, and the reverse."""
    probe = "import sys, {m}; print('tensorflow' in sys.modules, 'torch' in sys.modules)"
    torch_side, keras_side = (
        subprocess.run(
            [sys.executable, "-c", probe.format(m=f"companion.{module}")],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        for module in ("torch_utils", "keras_utils")
    )
    assert torch_side == ["False", "True"]
    assert keras_side == ["True", "False"]


def test_importing_keras_utils_prints_nothing_on_stderr():
    """TensorFlow's native start-up notices (absl, oneDNN) must not reach a notebook's output."""
    import os
    import subprocess
    import sys

    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("TF_CPP_MIN_LOG_LEVEL", "TF_ENABLE_ONEDNN_OPTS")
    }
    done = subprocess.run(
        [sys.executable, "-c", "import companion.keras_utils"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "WARNING" not in done.stderr and "oneDNN" not in done.stderr, done.stderr
