"""A JSON sidecar beside every saved generator: what a user needs to call it without guessing.

A generator's weights say nothing about how to *use* it: how long the noise vector is, which
distribution the noise comes from, what range the outputs are in and how to reshape them into
images. :func:`write_metadata` stores those facts in ``<artifact>.json`` next to the artifact
(``generator.pt`` gets ``generator.pt.json``; a SavedModel folder ``generator_savedmodel`` gets
``generator_savedmodel.json``), and :func:`read_metadata` reads and checks them, raising
:class:`MetadataError` with a message that says which field is wrong and what to do.

Framework-neutral: never imports torch or tensorflow.

Example::

    meta = GeneratorMetadata(
        latent_dim=32, output_range=(-1.0, 1.0), image_shape=(28, 28),
        framework="pytorch", artifact_format="state_dict",
    )
    write_metadata("artifacts/generator.pt", meta)
    read_metadata("artifacts/generator.pt").latent_dim   # 32
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "SCHEMA_VERSION",
    "FRAMEWORKS",
    "NOISE_DISTRIBUTIONS",
    "MetadataError",
    "GeneratorMetadata",
    "sidecar_path",
    "write_metadata",
    "read_metadata",
]

#: Version of the sidecar's JSON layout, written into every sidecar.
SCHEMA_VERSION = 1
#: Frameworks a sidecar may name.
FRAMEWORKS = ("pytorch", "keras")
#: Noise distributions a sidecar may name for the generator's input.
NOISE_DISTRIBUTIONS = ("standard_normal", "uniform_-1_1")


class MetadataError(ValueError):
    """A metadata sidecar is missing, is not valid JSON, or has a missing or invalid field."""


@dataclass(frozen=True)
class GeneratorMetadata:
    """Everything needed to use a saved generator, apart from its weights.

    Attributes:
        latent_dim: length of one noise vector ``z``; the generator takes ``(batch, latent_dim)``.
        output_range: ``(low, high)`` of the generator's outputs, e.g. ``(-1.0, 1.0)`` after tanh.
        image_shape: shape of one generated sample, e.g. ``(28, 28)``; the generator returns
            ``(batch, prod(image_shape))`` or ``(batch, *image_shape)``.
        framework: ``"pytorch"`` or ``"keras"``.
        artifact_format: how the artifact was written, e.g. ``"state_dict"``, ``".keras"``.
        noise: distribution of ``z``: ``"standard_normal"`` (N(0, 1)) or ``"uniform_-1_1"``.
        classes: class names for a conditional generator, in label order; empty otherwise.
        architecture: free-form sizes needed to rebuild the model for weights-only formats.
        versions: library versions that wrote the artifact (``{"torch": "2.13.0", ...}``).
        profile: the run profile that trained the generator (``"full"`` or ``"smoke"``).
        metrics: numbers measured at the end of training (losses, scores), by name.
        schema_version: version of this sidecar layout.
    """

    latent_dim: int
    output_range: tuple[float, float]
    image_shape: tuple[int, ...]
    framework: str
    artifact_format: str
    noise: str = "standard_normal"
    classes: tuple[str, ...] = ()
    architecture: dict[str, Any] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)
    profile: str = "full"
    metrics: dict[str, float] = field(default_factory=dict)
    schema_version: int = SCHEMA_VERSION

    def __post_init__(self) -> None:
        problems = _problems(self)
        if problems:
            raise MetadataError(
                "Generator metadata is invalid: " + "; ".join(problems) + ". "
                "Fix these fields (see companion.metadata.GeneratorMetadata for what each means)."
            )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (tuples become lists)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GeneratorMetadata:
        """Build and validate from a dict such as the one :meth:`to_dict` returns.

        Raises:
            MetadataError: a required field is missing, an unknown field is present, or a value
                is invalid; the message names every such field.
        """
        if not isinstance(data, dict):
            raise MetadataError(
                f"Generator metadata must be a JSON object, got {type(data).__name__}."
            )
        required = ("latent_dim", "output_range", "image_shape", "framework", "artifact_format")
        missing = [name for name in required if name not in data]
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(data) - known)
        if missing or unknown:
            parts = []
            if missing:
                parts.append(f"missing field(s) {', '.join(missing)}")
            if unknown:
                parts.append(f"unknown field(s) {', '.join(unknown)}")
            raise MetadataError(
                "Generator metadata is incomplete: " + "; ".join(parts) + ". "
                "Write it with companion.metadata.write_metadata so every field is present."
            )
        values = dict(data)
        for name in ("output_range", "image_shape", "classes"):
            if isinstance(values.get(name), list):
                values[name] = tuple(values[name])
        return cls(**values)

    @property
    def image_size(self) -> int:
        """Number of values in one generated sample (the product of ``image_shape``)."""
        size = 1
        for n in self.image_shape:
            size *= n
        return size


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _problems(meta: GeneratorMetadata) -> list[str]:
    """Every invalid field of ``meta``, described in words (empty when all is well)."""
    problems = []
    if not _is_int(meta.latent_dim) or meta.latent_dim <= 0:
        problems.append(f"latent_dim must be a positive integer, got {meta.latent_dim!r}")
    rng = meta.output_range
    if not (isinstance(rng, tuple) and len(rng) == 2 and all(_is_number(v) for v in rng)):
        problems.append(f"output_range must be two numbers (low, high), got {rng!r}")
    elif not rng[0] < rng[1]:
        problems.append(f"output_range must have low < high, got {rng!r}")
    shape = meta.image_shape
    if not (isinstance(shape, tuple) and shape and all(_is_int(n) and n > 0 for n in shape)):
        problems.append(
            f"image_shape must be a non-empty tuple of positive integers, got {shape!r}"
        )
    if meta.framework not in FRAMEWORKS:
        problems.append(f"framework must be one of {FRAMEWORKS}, got {meta.framework!r}")
    if not isinstance(meta.artifact_format, str) or not meta.artifact_format:
        problems.append(f"artifact_format must be a non-empty string, got {meta.artifact_format!r}")
    if meta.noise not in NOISE_DISTRIBUTIONS:
        problems.append(f"noise must be one of {NOISE_DISTRIBUTIONS}, got {meta.noise!r}")
    if not (isinstance(meta.classes, tuple) and all(isinstance(c, str) for c in meta.classes)):
        problems.append(f"classes must be a tuple of strings, got {meta.classes!r}")
    if not isinstance(meta.architecture, dict):
        problems.append(f"architecture must be a dict, got {type(meta.architecture).__name__}")
    if not (
        isinstance(meta.versions, dict) and all(isinstance(v, str) for v in meta.versions.values())
    ):
        problems.append(
            f"versions must map library names to version strings, got {meta.versions!r}"
        )
    if meta.profile not in ("full", "smoke"):
        problems.append(f"profile must be 'full' or 'smoke', got {meta.profile!r}")
    if not (isinstance(meta.metrics, dict) and all(_is_number(v) for v in meta.metrics.values())):
        problems.append(f"metrics must map names to numbers, got {meta.metrics!r}")
    if meta.schema_version != SCHEMA_VERSION:
        problems.append(
            f"schema_version {meta.schema_version!r} is not supported "
            f"(this code reads {SCHEMA_VERSION})"
        )
    return problems


def sidecar_path(artifact: str | Path) -> Path:
    """Path of the metadata file for ``artifact``: the artifact's name plus ``.json``."""
    artifact = Path(artifact)
    if artifact.name.endswith(".json"):
        raise MetadataError(
            f"{artifact} is itself a .json file; pass the path of the generator artifact "
            f"(e.g. generator.pt), and its sidecar will be {artifact.name}.json."
        )
    return artifact.with_name(artifact.name + ".json")


def write_metadata(artifact: str | Path, meta: GeneratorMetadata) -> Path:
    """Write ``meta`` as pretty JSON beside ``artifact`` and return the sidecar's path.

    The artifact itself need not exist yet; its folder must.
    """
    if not isinstance(meta, GeneratorMetadata):
        raise TypeError(f"meta must be a GeneratorMetadata, got {type(meta).__name__}")
    path = sidecar_path(artifact)
    if not path.parent.is_dir():
        raise MetadataError(
            f"Cannot write {path}: the folder {path.parent} does not exist. Create it first."
        )
    path.write_text(json.dumps(meta.to_dict(), indent=2, sort_keys=True) + "\n")
    return path


def read_metadata(artifact: str | Path) -> GeneratorMetadata:
    """Read and validate the sidecar of ``artifact``.

    Raises:
        MetadataError: the sidecar is missing, is not valid JSON, or has a missing, unknown or
            invalid field; the message names the file and the field.
    """
    path = sidecar_path(artifact)
    if not path.is_file():
        raise MetadataError(
            f"No metadata file {path} beside {Path(artifact).name}. Without it the latent size, "
            f"noise distribution and output range must be guessed; save the generator together "
            f"with write_metadata (or ask whoever shared it for the file)."
        )
    try:
        data = json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise MetadataError(
            f"{path} is not valid JSON ({exc}); the file is damaged, write it again."
        ) from exc
    try:
        return GeneratorMetadata.from_dict(data)
    except (MetadataError, TypeError) as exc:
        raise MetadataError(f"{path}: {exc}") from exc
