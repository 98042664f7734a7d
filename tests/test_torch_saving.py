"""companion.torch_saving: save/load round trips and the errors a user meets."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn

from companion.artifacts import ArtifactError
from companion.torch_saving import (
    check_compatible,
    export_program,
    load_program,
    load_safetensors,
    load_state_dict,
    save_safetensors,
    save_state_dict,
)


def _net(hidden: int = 8) -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(4, hidden), nn.ReLU(), nn.Linear(hidden, 6), nn.Tanh()).eval()


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


class Evil:
    def __reduce__(self):
        return (print, ("this would have run arbitrary code",))


def test_state_dict_round_trip(tmp_path: Path):
    net, z = _net(), torch.randn(3, 4)
    save_state_dict(net, tmp_path / "g.pt")
    other = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 6), nn.Tanh()).eval()
    assert torch.equal(load_state_dict(other, tmp_path / "g.pt")(z), net(z))


def test_safetensors_round_trip(tmp_path: Path):
    net, z = _net(), torch.randn(3, 4)
    save_safetensors(net, tmp_path / "g.safetensors")
    assert torch.equal(load_safetensors(_net(), tmp_path / "g.safetensors")(z), net(z))


def test_program_round_trip_with_any_batch(tmp_path: Path):
    net = _net()
    export_program(net, torch.randn(2, 4), tmp_path / "g.pt2")
    loaded = load_program(tmp_path / "g.pt2")
    z = torch.randn(5, 4)
    assert torch.allclose(loaded(z), net(z), atol=1e-6)


class _TwoInputs(nn.Module):
    """A conditional generator's shape: noise (B, 4) and one-hot labels (B, 3)."""

    def __init__(self) -> None:
        super().__init__()
        self.lin = nn.Linear(7, 2)

    def forward(self, z: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return self.lin(torch.cat([z, y], dim=1))


def test_program_with_two_inputs_keeps_the_batch_dynamic(tmp_path: Path):
    net = _TwoInputs()
    export_program(net, (torch.randn(2, 4), torch.eye(3)[[0, 2]]), tmp_path / "c.pt2")
    loaded = load_program(tmp_path / "c.pt2")
    z, y = torch.randn(6, 4), torch.eye(3)[[0, 1, 2, 0, 1, 2]]
    assert torch.allclose(loaded(z, y), net(z, y), atol=1e-6)


def test_program_needs_pt2_suffix(tmp_path: Path):
    with pytest.raises(ArtifactError, match=r"\.pt2"):
        export_program(_net(), torch.randn(2, 4), tmp_path / "g.pt")


@pytest.mark.parametrize("saver", [save_state_dict, save_safetensors])
def test_wrong_architecture(tmp_path: Path, saver):
    saver(_net(hidden=8), tmp_path / "g")
    loader = load_state_dict if saver is save_state_dict else load_safetensors
    with pytest.raises(ArtifactError, match=r"do not fit.*shape mismatch.*0\.weight.*metadata"):
        loader(_net(hidden=16), tmp_path / "g")


def test_missing_and_unexpected_keys():
    state = {"0.weight": torch.zeros(8, 4), "extra": torch.zeros(1)}
    with pytest.raises(ArtifactError, match="missing in the file: 0.bias.*not in the model: extra"):
        check_compatible(_net(), state)


@pytest.mark.parametrize("saver", [save_state_dict, save_safetensors])
def test_truncated(tmp_path: Path, saver):
    saver(_net(), tmp_path / "g")
    _truncate(tmp_path / "g")
    loader = load_state_dict if saver is save_state_dict else load_safetensors
    with pytest.raises(ArtifactError, match="truncated"):
        loader(_net(), tmp_path / "g")


def test_truncated_program(tmp_path: Path):
    export_program(_net(), torch.randn(2, 4), tmp_path / "g.pt2")
    _truncate(tmp_path / "g.pt2")
    with pytest.raises(ArtifactError, match="truncated"):
        load_program(tmp_path / "g.pt2")


def test_file_of_another_format(tmp_path: Path):
    save_safetensors(_net(), tmp_path / "g.pt")  # a safetensors file with a .pt name
    with pytest.raises(ArtifactError, match="'safetensors' file.*load_safetensors"):
        load_state_dict(_net(), tmp_path / "g.pt")
    save_state_dict(_net(), tmp_path / "g.safetensors")
    with pytest.raises(ArtifactError, match="'torch.save' file.*load_state_dict"):
        load_safetensors(_net(), tmp_path / "g.safetensors")
    with pytest.raises(ArtifactError, match="'torch.save' file.*load_state_dict"):
        load_program(tmp_path / "g.safetensors")
    (tmp_path / "empty.pt").write_bytes(b"")
    with pytest.raises(ArtifactError, match="empty"):
        load_state_dict(_net(), tmp_path / "empty.pt")


def test_missing_file(tmp_path: Path):
    with pytest.raises(ArtifactError, match="does not exist"):
        load_state_dict(_net(), tmp_path / "nope.pt")


def test_untrusted_pickle_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture):
    torch.save({"weights": Evil()}, tmp_path / "evil.pt")
    with pytest.raises(ArtifactError, match="refused.*arbitrary code.*weights_only=False"):
        load_state_dict(_net(), tmp_path / "evil.pt")
    assert "arbitrary code" not in capsys.readouterr().out  # the payload never ran
    (tmp_path / "evil.pkl").write_bytes(pickle.dumps(Evil(), protocol=2))
    with pytest.raises(ArtifactError, match="refused"):
        load_state_dict(_net(), tmp_path / "evil.pkl")


def test_not_a_state_dict(tmp_path: Path):
    torch.save(torch.zeros(3), tmp_path / "t.pt")
    with pytest.raises(ArtifactError, match="does not hold a state_dict"):
        load_state_dict(_net(), tmp_path / "t.pt")


# --- issue 32: swapped or wrong arguments are named, not met with a raw error -----------------


@pytest.mark.parametrize(
    "call",
    [save_state_dict, load_state_dict, save_safetensors, load_safetensors],
    ids=lambda f: f.__name__,
)
def test_swapped_model_and_path_are_named(tmp_path: Path, call):
    net = _net()
    save_state_dict(net, tmp_path / "g.pt")
    save_safetensors(net, tmp_path / "g.safetensors")
    path = tmp_path / ("g.safetensors" if "safetensors" in call.__name__ else "g.pt")
    with pytest.raises(
        TypeError,
        match=rf"^{call.__name__}: model must be a torch\.nn\.Module; "
        r"got a PosixPath .*the arguments are swapped",
    ):
        call(path, net)
    with pytest.raises(
        TypeError,
        match=rf"^{call.__name__}: path must be a str or pathlib\.Path"
        r".*; got a NoneType\.",
    ):
        call(net, None)


def test_check_compatible_needs_a_mapping():
    with pytest.raises(TypeError, match=r"state must be a mapping of names to tensors .* a list"):
        check_compatible(_net(), [1, 2])
    with pytest.raises(TypeError, match=r"model must be a torch\.nn\.Module; got a OrderedDict"):
        check_compatible(_net().state_dict(), _net())


@pytest.mark.parametrize(
    "example, error, message",
    [
        (torch.randn(1, 4), ValueError, r"batch size of at least 2 .*; got batch sizes \[1\]"),
        ((torch.randn(2, 4), torch.randn(3, 4)), ValueError, r"got batch sizes \[2, 3\]"),
        (np.zeros((2, 4), np.float32), TypeError, r"example must be a tensor .*got \(ndarray\)"),
        (torch.tensor(1.0), TypeError, r"example must be a tensor .*got \(Tensor\(\)\)"),
    ],
)
def test_export_program_names_a_bad_example(tmp_path: Path, example, error, message):
    with pytest.raises(error, match=message):
        export_program(_net(), example, tmp_path / "g.pt2")


def test_load_program_names_a_bad_path():
    with pytest.raises(TypeError, match=r"^load_program: path must be a str"):
        load_program(_net())
