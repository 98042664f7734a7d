"""PyTorch helpers: device choice, seeding and a device description for the run report.

Imports torch; never imports TensorFlow.
"""

from __future__ import annotations

import torch

from companion import settings
from companion.device_plan import DevicePlan, plan_for

__all__ = ["pick_device", "describe_device", "device_plan", "seed"]


def pick_device(prefer: str | None = None) -> torch.device:
    """The best device available: CUDA, then Apple MPS, then the CPU.

    The twin of :func:`companion.keras_utils.pick_device`: same call, and each returns its
    framework's own device handle (here a ``torch.device``; TensorFlow's is a name string).

    Args:
        prefer: force a device (``"cpu"``, ``"cuda"``, ``"cuda:1"``, ``"mps"``) instead.

    Raises:
        ValueError: when ``prefer`` is not a device name, or names a device this machine lacks
            (``"cuda"`` without a CUDA GPU, ``"cuda:3"`` with two GPUs, ``"mps"`` off a Mac).
    """
    if prefer is not None:
        return _checked(prefer)
    if torch.cuda.is_available():
        return torch.device("cuda", torch.cuda.current_device())
    if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def _checked(prefer: str) -> torch.device:
    """``torch.device(prefer)``, refused with a clear message when this machine lacks it."""
    try:
        device = torch.device(prefer)
    except (RuntimeError, TypeError) as error:
        raise ValueError(
            f"pick_device({prefer!r}): not a device name; use 'cpu', 'cuda', 'cuda:N' or 'mps', "
            f"or pick_device() for the best device here"
        ) from error
    if device.type == "cuda":
        count = torch.cuda.device_count() if torch.cuda.is_available() else 0
        if count == 0:
            raise ValueError(
                f"pick_device({prefer!r}): this machine has no CUDA GPU that PyTorch can use "
                f"(torch.cuda.is_available() is False). Use pick_device() for the best device "
                f"here; on Colab choose Runtime > Change runtime type > T4 GPU first."
            )
        if device.index is not None and device.index >= count:
            raise ValueError(
                f"pick_device({prefer!r}): this machine has {count} CUDA GPU(s), numbered 0 to "
                f"{count - 1}"
            )
    if device.type == "mps":
        mps = getattr(torch.backends, "mps", None)
        if mps is None or not mps.is_available():
            raise ValueError(
                f"pick_device({prefer!r}): Apple's MPS is not available on this machine; use "
                f"pick_device() for the best device here"
            )
    return device


def device_plan(device: torch.device, precision: str | None = None) -> DevicePlan:
    """What a training run uses on ``device``: precision, ``torch.compile``, CUDA graphs.

    Reads a CUDA GPU's compute capability and applies :func:`companion.device_plan.plan_for`;
    ``GAN_BOOK_PRECISION`` (or ``precision``) forces a precision, for example ``"float16"`` to
    run a T4's recipe on a CPU. The twin of :func:`companion.keras_utils.device_plan`.

    Raises:
        ValueError: for an unknown precision name.
    """
    capability = None
    if device.type == "cuda":
        index = device.index if device.index is not None else torch.cuda.current_device()
        capability = tuple(torch.cuda.get_device_capability(index))
    return plan_for(device.type, capability, precision=precision)


def describe_device(device: torch.device) -> str:
    """A readable name, e.g. ``"cuda:0 (NVIDIA H100 80GB HBM3)"`` or ``"cpu (2 cores, x86_64)"``."""
    if device.type == "cuda":
        index = device.index if device.index is not None else torch.cuda.current_device()
        return f"cuda:{index} ({torch.cuda.get_device_name(index)})"
    if device.type == "mps":
        return "mps (Apple GPU)"
    return f"{settings.cpu_description()} torch_threads={torch.get_num_threads()}"


def seed(value: int) -> torch.Generator:
    """Seed Python, NumPy and PyTorch (CPU and CUDA); return a seeded ``torch.Generator``.

    The twin of :func:`companion.keras_utils.seed`, which returns a ``keras.random.SeedGenerator``.
    """
    settings.seed_everything(value)
    torch.manual_seed(value)
    return torch.Generator().manual_seed(value)
