"""companion.metadata (generator sidecars) and companion.artifacts (format sniffing, fresh
processes)."""

from __future__ import annotations

import json
import pickle
import sys
import zipfile
from pathlib import Path

import pytest

from companion.artifacts import ArtifactError, artifact_size, format_table, run_fresh, sniff_format
from companion.metadata import (
    GeneratorMetadata,
    MetadataError,
    read_metadata,
    sidecar_path,
    write_metadata,
)


def _meta(**changes) -> GeneratorMetadata:
    values = dict(
        latent_dim=32,
        output_range=(-1.0, 1.0),
        image_shape=(28, 28),
        framework="pytorch",
        artifact_format="state_dict",
        versions={"torch": "2.13"},
        metrics={"g_loss": 0.7},
        architecture={"hidden": 256},
        classes=("a", "b"),
    )
    values.update(changes)
    return GeneratorMetadata(**values)


def test_round_trip(tmp_path: Path):
    artifact = tmp_path / "generator.pt"
    path = write_metadata(artifact, _meta())
    assert path == tmp_path / "generator.pt.json"
    loaded = read_metadata(artifact)
    assert loaded == _meta()
    assert loaded.image_size == 784
    assert json.loads(path.read_text())["output_range"] == [-1.0, 1.0]


def test_sidecar_of_a_folder(tmp_path: Path):
    assert sidecar_path(tmp_path / "generator_savedmodel") == tmp_path / "generator_savedmodel.json"


def test_sidecar_refuses_a_json_artifact(tmp_path: Path):
    with pytest.raises(MetadataError, match="itself a .json"):
        sidecar_path(tmp_path / "generator.pt.json")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"latent_dim": 0}, "latent_dim"),
        ({"latent_dim": True}, "latent_dim"),
        ({"output_range": (1.0, -1.0)}, "low < high"),
        ({"output_range": (0.0,)}, "output_range"),
        ({"image_shape": ()}, "image_shape"),
        ({"image_shape": (28, -1)}, "image_shape"),
        ({"framework": "jax"}, "framework"),
        ({"artifact_format": ""}, "artifact_format"),
        ({"noise": "gaussian"}, "noise"),
        ({"classes": ("a", 1)}, "classes"),
        ({"architecture": [1]}, "architecture"),
        ({"versions": {"torch": 2}}, "versions"),
        ({"profile": "medium"}, "profile"),
        ({"metrics": {"fid": "low"}}, "metrics"),
        ({"schema_version": 99}, "schema_version"),
    ],
)
def test_invalid_fields_are_named(changes: dict, field: str):
    with pytest.raises(MetadataError, match=field):
        _meta(**changes)


def test_several_problems_are_reported_at_once():
    with pytest.raises(MetadataError) as info:
        _meta(latent_dim=-1, framework="jax")
    assert "latent_dim" in str(info.value) and "framework" in str(info.value)


def test_missing_sidecar(tmp_path: Path):
    with pytest.raises(MetadataError, match="No metadata file"):
        read_metadata(tmp_path / "generator.pt")


def test_damaged_sidecar(tmp_path: Path):
    (tmp_path / "g.pt.json").write_text("{not json")
    with pytest.raises(MetadataError, match="not valid JSON"):
        read_metadata(tmp_path / "g.pt")


def test_missing_and_unknown_fields(tmp_path: Path):
    data = _meta().to_dict()
    del data["latent_dim"]
    data["colour"] = "red"
    (tmp_path / "g.pt.json").write_text(json.dumps(data))
    with pytest.raises(MetadataError, match="missing field.*latent_dim.*unknown field.*colour"):
        read_metadata(tmp_path / "g.pt")


def test_not_an_object(tmp_path: Path):
    (tmp_path / "g.pt.json").write_text("[1, 2]")
    with pytest.raises(MetadataError, match="JSON object"):
        read_metadata(tmp_path / "g.pt")


def test_invalid_value_in_file_names_the_file(tmp_path: Path):
    data = _meta().to_dict()
    data["latent_dim"] = "32"
    (tmp_path / "g.pt.json").write_text(json.dumps(data))
    with pytest.raises(MetadataError, match=r"g\.pt\.json.*latent_dim"):
        read_metadata(tmp_path / "g.pt")


def test_write_needs_metadata_and_a_folder(tmp_path: Path):
    with pytest.raises(TypeError):
        write_metadata(tmp_path / "g.pt", {"latent_dim": 3})  # type: ignore[arg-type]
    with pytest.raises(MetadataError, match="does not exist"):
        write_metadata(tmp_path / "missing" / "g.pt", _meta())


# --- companion.artifacts ---------------------------------------------------------------------


def test_sniff_formats(tmp_path: Path):
    cases = {
        "empty.bin": b"",
        "h5.bin": b"\x89HDF\r\n\x1a\n" + b"\0" * 8,
        "pickle.bin": pickle.dumps({"a": 1}, protocol=4),
        "safe.bin": (2).to_bytes(8, "little") + b"{}",
        "json.bin": b'{"a": 1}',
        "onnx.bin": b"\x08\x0a\x12\x07pytorch",
        "other.bin": b"hello world",
        "broken.zip": b"PK\x03\x04 truncated",
    }
    expected = {
        "empty.bin": "empty",
        "h5.bin": "hdf5",
        "pickle.bin": "pickle",
        "safe.bin": "safetensors",
        "json.bin": "json",
        "onnx.bin": "onnx",
        "other.bin": "unknown",
        "broken.zip": "zip",
    }
    for name, content in cases.items():
        (tmp_path / name).write_bytes(content)
        assert sniff_format(tmp_path / name) == expected[name], name


@pytest.mark.parametrize(
    ("names", "kind"),
    [
        (["m/data.pkl", "m/data/0"], "torch.save"),
        (["m/code/__torch__/a.py", "m/constants.pkl", "m/data.pkl"], "torchscript"),
        (["m/models/model.json", "m/archive_format"], "torch.export"),
        (["config.json", "metadata.json", "model.weights.h5"], "keras"),
        (["readme.txt"], "zip"),
    ],
)
def test_sniff_zip_kinds(tmp_path: Path, names: list[str], kind: str):
    path = tmp_path / "a.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name in names:
            archive.writestr(name, b"x")
    assert sniff_format(path) == kind


def test_sniff_missing_and_folder(tmp_path: Path):
    with pytest.raises(ArtifactError, match="does not exist"):
        sniff_format(tmp_path / "nope")
    with pytest.raises(ArtifactError, match="is a folder"):
        sniff_format(tmp_path)


def test_artifact_size(tmp_path: Path):
    (tmp_path / "a").write_bytes(b"12345")
    (tmp_path / "d" / "e").mkdir(parents=True)
    (tmp_path / "d" / "e" / "f").write_bytes(b"123")
    assert artifact_size(tmp_path / "a") == 5
    assert artifact_size(tmp_path / "d") == 3
    with pytest.raises(ArtifactError, match="does not exist"):
        artifact_size(tmp_path / "nope")


def test_run_fresh(tmp_path: Path):
    script = (
        "import json, sys; print('noise'); "
        "print(json.dumps({'arg': sys.argv[1], 'torch': 'torch' in sys.modules}))"
    )
    assert run_fresh(script, "x", cwd=tmp_path) == {"arg": "x", "torch": False}


def test_run_fresh_errors():
    with pytest.raises(ArtifactError, match="(?s)exit code 1.*ZeroDivisionError"):
        run_fresh("1/0")
    with pytest.raises(ArtifactError, match="JSON object"):
        run_fresh("print('hello')")
    with pytest.raises(ArtifactError, match="JSON object"):
        run_fresh("pass")


def test_format_table():
    table = format_table([{"a": "x", "b": 1e-7}, {"a": "longer", "b": 2.5}], ["a", "b"])
    lines = table.splitlines()
    assert lines[0].split() == ["a", "b"] and "1.00e-07" in lines[2] and "2.500" in lines[3]
    assert len({len(line) for line in lines[:2]}) == 1
    assert format_table([], ["a"]).splitlines()[0] == "a"
    with pytest.raises(KeyError, match="row 0"):
        format_table([{"a": 1}], ["a", "b"])


def test_neutral_modules_do_not_import_frameworks():
    code = (
        "import sys, companion.metadata, companion.artifacts; "
        "print([m for m in ('torch', 'tensorflow', 'keras') if m in sys.modules])"
    )
    import subprocess

    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
