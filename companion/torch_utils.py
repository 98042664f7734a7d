"""PyTorch helpers: device choice, seeding and a device description for the run report.

Imports torch; never imports TensorFlow.
"""

from __future__ import annotations

import torch

from companion import settings

__all__ = ["pick_device", "describe_device", "seed"]


def pick_device(prefer: str | None = None) -> torch.device:
    """The best device available: CUDA, then Apple MPS, then the CPU.

    The twin of :func:`companion.keras_utils.pick_device`: same call, and each returns its
    framework's own device handle (here a ``torch.device``; TensorFlow's is a name string).

    Args:
        prefer: force a device (``"cpu"``, ``"cuda"``, ``"cuda:1"``, ``"mps"``) instead.
    """
    if prefer is not None:
        return torch.device(prefer)
    if torch.cuda.is_available():
        return torch.device("cuda", torch.cuda.current_device())
    if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


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
