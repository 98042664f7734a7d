"""TensorFlow/Keras helpers: device choice, seeding and a device description for the run report.

Imports tensorflow and keras; never imports torch. Importing it changes nothing else: a chapter
imports it inside :func:`companion.tf_start.quiet_tensorflow_start`, which hides TensorFlow's
native start-up notices. It refuses to load when Keras is set to another backend.
"""

from __future__ import annotations

import keras
import tensorflow as tf

from companion import settings
from companion.device_plan import DevicePlan, plan_for

if keras.backend.backend() != "tensorflow":
    raise ImportError(
        f"Keras runs on the {keras.backend.backend()!r} backend here (KERAS_BACKEND or "
        f"~/.keras/keras.json says so); the book's Keras chapters need TensorFlow: set the "
        f"environment variable KERAS_BACKEND=tensorflow before Python starts, or restart the "
        f"kernel after setting os.environ['KERAS_BACKEND'] = 'tensorflow' in its first cell."
    )

__all__ = ["pick_device", "describe_device", "device_plan", "seed"]


def pick_device(prefer: str | None = None) -> str:
    """The best device available: ``"/GPU:0"`` when a GPU is visible, else ``"/CPU:0"``.

    The twin of :func:`companion.torch_utils.pick_device`: same call, and each returns its
    framework's own device handle. TensorFlow's handle is a device name string (what
    ``tf.device`` takes); PyTorch's is a ``torch.device``. TensorFlow places operations on the
    first GPU by itself; the name is for ``tf.device`` blocks and for the run report.

    Args:
        prefer: force a device (``"/CPU:0"``, ``"/GPU:1"``) instead.

    Raises:
        ValueError: when ``prefer`` names a device this machine lacks (``"/GPU:0"`` without a
            GPU that TensorFlow can see) or is not a device name.
    """
    if prefer is not None:
        return _checked(prefer)
    return "/GPU:0" if tf.config.list_physical_devices("GPU") else "/CPU:0"


def _checked(prefer: str) -> str:
    """``prefer`` when this machine has that device; a clear ``ValueError`` when not."""
    kind, _, index = str(prefer).strip("/").upper().partition(":")
    if kind not in ("CPU", "GPU") or not index.isdigit():
        raise ValueError(
            f"pick_device({prefer!r}): not a device name; use '/CPU:0', '/GPU:0', '/GPU:1' ..., "
            f"or pick_device() for the best device here"
        )
    found = len(tf.config.list_physical_devices(kind))
    if int(index) >= found:
        where = "Colab: Runtime > Change runtime type > T4 GPU" if kind == "GPU" else ""
        raise ValueError(
            f"pick_device({prefer!r}): TensorFlow sees {found} {kind} device(s) here. Use "
            f"pick_device() for the best device here" + (f"; on {where} first." if where else ".")
        )
    return f"/{kind}:{index}"


def device_plan(device: str | None = None, precision: str | None = None) -> DevicePlan:
    """What a training run uses on ``device``: its precision and Keras policy, and why.

    Reads a GPU's compute capability from TensorFlow and applies
    :func:`companion.device_plan.plan_for`; ``GAN_BOOK_PRECISION`` (or ``precision``) forces a
    precision, for example ``"float16"`` to run a T4's recipe (``mixed_float16`` with a
    ``LossScaleOptimizer``) on a CPU. The twin of :func:`companion.torch_utils.device_plan`.

    Raises:
        ValueError: for an unknown precision name.
    """
    device = device or pick_device()
    if "GPU" not in device.upper():
        return plan_for("cpu", precision=precision)
    index = int(device.rsplit(":", 1)[-1])
    details = tf.config.experimental.get_device_details(
        tf.config.list_physical_devices("GPU")[index]
    )
    capability = tuple(details.get("compute_capability", (0, 0)))
    return plan_for("cuda", capability, precision=precision)


def describe_device(device: str | None = None) -> str:
    """A readable name, e.g. ``"/GPU:0 (NVIDIA H100 80GB HBM3)"`` or
    ``"/CPU:0 cpu (2 cores, x86_64)"``."""
    device = device or pick_device()
    if "GPU" in device.upper():
        gpus = tf.config.list_physical_devices("GPU")
        details = tf.config.experimental.get_device_details(gpus[0]) if gpus else {}
        return f"{device} ({details.get('device_name', 'GPU')})"
    return f"{device} {settings.cpu_description()}"


def seed(value: int) -> keras.random.SeedGenerator:
    """Seed Python, NumPy, TensorFlow and Keras; return a seeded ``keras.random.SeedGenerator``.

    The twin of :func:`companion.torch_utils.seed`: both seed every global generator and return
    the framework's own seeded generator object, for code that wants a private random stream
    (``keras.random.normal(shape, seed=generator)``, like ``torch.randn(..., generator=g)``).
    """
    settings.seed_everything(value)
    keras.utils.set_random_seed(value)
    return keras.random.SeedGenerator(value)
