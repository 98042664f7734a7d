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


def _probe(
    module: str, env: dict | None = None, quiet: bool = False
) -> subprocess.CompletedProcess:
    """Import ``companion.<module>`` in a fresh Python (inside
    ``quiet_tensorflow_start()`` when ``quiet``); it prints which frameworks got loaded."""
    loaded = "print('tensorflow' in sys.modules, 'torch' in sys.modules)"
    if quiet:
        probe = (
            "import sys\nfrom companion.tf_start import quiet_tensorflow_start\n"
            f"with quiet_tensorflow_start():\n    import companion.{module}\n{loaded}"
        )
    else:
        probe = f"import sys, companion.{module}; {loaded}"
    return subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=300
    )


def test_torch_helpers_never_import_tensorflow():
    """A PyTorch chapter never imports TensorFlow."""
    done = _probe("torch_utils")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True"]


def _without_tf_log_settings() -> dict:
    import os

    return {
        k: v
        for k, v in os.environ.items()
        if k not in ("TF_CPP_MIN_LOG_LEVEL", "TF_ENABLE_ONEDNN_OPTS")
    }


def test_keras_helpers_never_import_torch_and_start_quietly_when_asked():
    """A TensorFlow chapter never imports PyTorch, and TensorFlow's native start-up notices
    (absl, oneDNN) do not reach a notebook's output when the chapter imports inside
    ``quiet_tensorflow_start()``, as every TensorFlow chapter does. One fresh process checks
    both, since each TensorFlow import costs seconds."""
    done = _probe("keras_utils", _without_tf_log_settings(), quiet=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "False"]
    assert "WARNING" not in done.stderr and "oneDNN" not in done.stderr, done.stderr


def test_tf_start_changes_nothing_at_import():
    """Importing companion.tf_start loads no framework and sets no environment variable; only
    the call does (issue 30: no side effects at import)."""
    probe = (
        "import os, sys; before = dict(os.environ); import companion.tf_start; "
        "print('tensorflow' in sys.modules, 'keras' in sys.modules, dict(os.environ) == before)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        env=_without_tf_log_settings(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False", "True"]


def test_quiet_start_sets_the_log_level_and_restores_stderr(monkeypatch, capfd):
    """The call sets TF_CPP_MIN_LOG_LEVEL unless the reader set it, hides what native code writes
    to descriptor 2 inside the block, and gives the descriptor back afterwards."""
    import os

    from companion.tf_start import LOG_LEVEL, quiet_tensorflow_start

    monkeypatch.delenv("TF_CPP_MIN_LOG_LEVEL", raising=False)
    with quiet_tensorflow_start():
        os.write(2, b"hidden\n")
    os.write(2, b"shown\n")
    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == LOG_LEVEL
    assert capfd.readouterr().err == "shown\n"
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "0")
    with quiet_tensorflow_start():
        pass
    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == "0"
