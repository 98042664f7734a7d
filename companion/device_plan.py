"""What a training run may use on a device: its precision, ``torch.compile`` and CUDA graphs.

One table, in one place, decides per device what the training chapters use, so that a chapter
never guesses from a single library query. The decision depends on the kind of device and, on an
NVIDIA GPU, on its *compute capability* (``(major, minor)``, e.g. ``(7, 5)`` for a T4):

=====================  ======================  ============  =======  ===========
device                 precision               loss scaling  compile  CUDA graphs
=====================  ======================  ============  =======  ===========
CPU                    float32                 no            yes      no
CUDA below sm_70       float32                 no            no       no
CUDA sm_70 to sm_7x    float16 (V100, T4)      yes           yes      yes
CUDA sm_80 and newer   bfloat16 (A100, H100)   no            yes      yes
Apple MPS              float32                 no            no       no
=====================  ======================  ============  =======  ===========

Why: 16-bit math pays where the hardware has tensor cores for it (sm_70 and newer). bfloat16 has
float32's range and needs no loss scaling, but only sm_80 and newer compute it natively; a T4
(sm_75) emulates it slowly, although ``torch.cuda.is_bf16_supported()`` answers ``True`` there
since PyTorch 2.3. float16 has a narrow range, so its losses are scaled before the backward pass
(``torch.amp.GradScaler``, Keras's ``LossScaleOptimizer``). ``torch.compile`` generates GPU code
with Triton, which needs sm_70 or newer; ``mode="reduce-overhead"`` adds CUDA graphs, which exist
only on CUDA GPUs.

The variable ``GAN_BOOK_PRECISION`` (``float32``, ``bfloat16``, ``float16``; ``auto`` or unset
for the table) forces a precision anywhere, for example the float16 + loss-scaling recipe of a
T4 on a CPU, so that the tests execute the GPU branches of the chapters without a GPU.

Framework-neutral: this module never imports torch or tensorflow. Ask
:func:`companion.torch_utils.device_plan` or :func:`companion.keras_utils.device_plan`, which
read the device's capability and call :func:`plan_for`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

__all__ = [
    "PRECISION_ENV",
    "PRECISIONS",
    "DevicePlan",
    "plan_for",
    "forced_precision",
    "per_device_batch",
]

#: The environment variable that forces a precision (``auto`` or unset: the table decides).
PRECISION_ENV = "GAN_BOOK_PRECISION"
#: Every precision a plan can name (full 32-bit floats and the two 16-bit formats).
PRECISIONS = ("float32", "bfloat16", "float16")
_KINDS = ("cpu", "cuda", "mps")
_KERAS_POLICIES = {"float32": "float32", "bfloat16": "mixed_bfloat16", "float16": "mixed_float16"}


@dataclass(frozen=True)
class DevicePlan:
    """What a training run uses on one device, and why.

    Attributes:
        device: ``"cpu"``, ``"cuda"`` or ``"mps"``.
        capability: a CUDA GPU's compute capability ``(major, minor)``; ``None`` elsewhere.
        precision: what the networks compute in: ``"float32"``, ``"bfloat16"`` or ``"float16"``.
        half: the 16-bit format this device handles best, for a run that measures mixed
            precision on purpose (chapter 11), even where :attr:`precision` stays float32.
        compile: whether ``torch.compile`` can generate code for this device.
        cuda_graphs: whether ``torch.compile(mode="reduce-overhead")`` can record CUDA graphs.
        reasons: one sentence per decision (keys ``precision``, ``compile``, ``cuda_graphs``).
        forced: ``True`` when :data:`PRECISION_ENV` or an argument chose the precision.
    """

    device: str
    capability: tuple[int, int] | None
    precision: str
    half: str
    compile: bool
    cuda_graphs: bool
    reasons: dict[str, str] = field(default_factory=dict)
    forced: bool = False

    @property
    def mixed(self) -> bool:
        """True when the networks compute in a 16-bit format (autocast, a mixed Keras policy)."""
        return self.precision != "float32"

    @property
    def loss_scaling(self) -> bool:
        """True for float16, whose small gradients would round to zero without loss scaling."""
        return self.precision == "float16"

    @property
    def keras_policy(self) -> str:
        """The matching Keras policy (``float32``, ``mixed_bfloat16`` or ``mixed_float16``)."""
        return _KERAS_POLICIES[self.precision]

    def describe(self) -> str:
        """One line for a chapter's header, e.g.
        ``plan: precision=float16 (loss scaling) compile=yes cuda_graphs=yes (sm_75)``."""
        sm = f" (sm_{self.capability[0]}{self.capability[1]})" if self.capability else ""
        scaling = " (loss scaling)" if self.loss_scaling else ""
        forced = f" [forced by {PRECISION_ENV}]" if self.forced else ""
        yes = {True: "yes", False: "no"}
        return (
            f"plan: precision={self.precision}{scaling}{forced} compile={yes[self.compile]} "
            f"cuda_graphs={yes[self.cuda_graphs]}{sm}"
        )

    def why(self) -> str:
        """The reasons, one per line."""
        return "\n".join(f"{key}: {reason}" for key, reason in self.reasons.items())


def forced_precision(precision: str | None = None) -> str | None:
    """The precision forced by the argument or else by :data:`PRECISION_ENV`; ``None`` for auto.

    Raises:
        ValueError: for a name that is not one of :data:`PRECISIONS` or ``"auto"``.
    """
    source = "precision" if precision is not None else PRECISION_ENV
    value = precision if precision is not None else os.environ.get(PRECISION_ENV, "")
    if not isinstance(value, str):
        raise TypeError(f"{source} must be a string such as 'float16', got {value!r}")
    name = value.strip().lower()
    if name in ("", "auto"):
        return None
    if name not in PRECISIONS:
        raise ValueError(
            f"{source}={value!r} is not a precision. Use one of {', '.join(PRECISIONS)}, or "
            f"'auto' (or leave {PRECISION_ENV} unset) to let the device decide."
        )
    return name


def _check_capability(capability: object) -> tuple[int, int]:
    ok = (
        isinstance(capability, tuple)
        and len(capability) == 2
        and all(isinstance(x, int) and not isinstance(x, bool) and x >= 0 for x in capability)
    )
    if not ok:
        raise ValueError(
            f"a CUDA device needs its compute capability as (major, minor), e.g. (7, 5) for a "
            f"T4; got {capability!r}. torch.cuda.get_device_capability() returns it."
        )
    return capability  # type: ignore[return-value]


def plan_for(
    device: str, capability: tuple[int, int] | None = None, precision: str | None = None
) -> DevicePlan:
    """The plan for a device kind and, on CUDA, its compute capability (see the module's table).

    Args:
        device: ``"cpu"``, ``"cuda"`` or ``"mps"`` (``torch.device.type``).
        capability: ``(major, minor)``, required for ``"cuda"``, ignored elsewhere.
        precision: force a precision; ``None`` reads :data:`PRECISION_ENV` (unset: the table).

    Raises:
        ValueError: for an unknown device kind, a missing or malformed capability, or an
            unknown precision name.
    """
    if device not in _KINDS:
        raise ValueError(f"device={device!r} is not one of {', '.join(_KINDS)}")
    if device == "cuda":
        cc = _check_capability(capability)
        sm = f"sm_{cc[0]}{cc[1]}"
        triton = cc >= (7, 0)
        if cc >= (8, 0):
            chosen, half = "bfloat16", "bfloat16"
            why = f"{sm} computes bfloat16 natively; float32's range, so no loss scaling"
        elif triton:
            chosen, half = "float16", "float16"
            why = (
                f"{sm} has float16 tensor cores but emulates bfloat16: float16, with loss "
                f"scaling for its narrow range"
            )
        else:
            chosen, half = "float32", "float16"
            why = f"{sm} has no tensor cores: 16-bit math would not be faster"
        no_triton = f"Triton, torch.compile's GPU code generator, needs sm_70 or newer ({sm})"
        reasons = {
            "precision": why,
            "compile": "Triton generates fused GPU kernels" if triton else no_triton,
            "cuda_graphs": "recorded by torch.compile(mode='reduce-overhead')"
            if triton
            else no_triton,
        }
        plan = DevicePlan("cuda", cc, chosen, half, triton, triton, reasons)
    elif device == "cpu":
        reasons = {
            "precision": "a CPU rarely computes 16-bit floats faster, and emulates float16",
            "compile": "Inductor generates C++ with OpenMP for the CPU",
            "cuda_graphs": "CUDA graphs need a CUDA GPU",
        }
        plan = DevicePlan("cpu", None, "float32", "bfloat16", True, False, reasons)
    else:
        reasons = {
            "precision": "mixed precision on Apple GPUs is not measured by this book",
            "compile": "torch.compile's MPS backend is still experimental",
            "cuda_graphs": "CUDA graphs need a CUDA GPU",
        }
        plan = DevicePlan("mps", None, "float32", "float16", False, False, reasons)
    forced = forced_precision(precision)
    if forced is None:
        return plan
    reasons = {**plan.reasons, "precision": f"forced to {forced}"}
    half = forced if forced != "float32" else plan.half
    return DevicePlan(
        plan.device, plan.capability, forced, half, plan.compile, plan.cuda_graphs, reasons, True
    )


def per_device_batch(batch: int, devices: int, micro_batches: int = 1) -> int:
    """Images per device and micro-batch when a global batch is split over ``devices``.

    Raises:
        ValueError: when the batch does not split evenly, naming the values and what to do.
    """
    for name, value in (("batch", batch), ("devices", devices), ("micro_batches", micro_batches)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{name} must be a whole number of at least 1, got {value!r}")
    if batch % (devices * micro_batches):
        raise ValueError(
            f"a global batch of {batch} does not split into {devices} device(s) x "
            f"{micro_batches} micro-batch(es): choose a batch that is a multiple of "
            f"{devices * micro_batches}, or another number of devices"
        )
    return batch // (devices * micro_batches)
