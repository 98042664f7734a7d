"""companion.kits.dcgan holds chapter 6's networks: the same layers, the same state-dict keys."""

from __future__ import annotations

from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

from companion.kits.dcgan import Discriminator, Generator, weights_init  # noqa: E402
from tests.repo_modules import load  # noqa: E402

CHAPTER6 = Path(__file__).resolve().parents[1] / "chapters" / "06_dcgan_pytorch.ipynb"
chapter_code = load("chapter_code")


def _chapter6_class(name: str) -> type:
    """Chapter 6's own class ``name``, built from its cell (with its constants as defaults)."""
    source = chapter_code.definition(CHAPTER6, name)
    namespace = {"nn": torch.nn, "torch": torch, "NZ": 64, "WIDTH": 32, "CHANNELS": 1}
    exec(source, namespace)  # noqa: S102 - the book's own code
    return namespace[name]


@pytest.mark.parametrize("name, ours", [("Generator", Generator), ("Discriminator", Discriminator)])
def test_the_networks_are_chapter_6s(name, ours):
    theirs = _chapter6_class(name)()
    mine = ours()
    assert [(k, tuple(v.shape)) for k, v in theirs.state_dict().items()] == [
        (k, tuple(v.shape)) for k, v in mine.state_dict().items()
    ]
    assert [type(m) for m in theirs.modules()][1:] == [type(m) for m in mine.modules()][1:]
    mine.load_state_dict(theirs.state_dict())  # a chapter 6 file loads unchanged
    x = torch.randn(3, 64, 1, 1) if name == "Generator" else torch.randn(3, 1, 28, 28)
    theirs.eval(), mine.eval()
    torch.testing.assert_close(mine(x), theirs(x))


def test_shapes_and_initialisation():
    torch.manual_seed(0)
    g, d = Generator(nz=16, width=8), Discriminator(width=8)
    g.apply(weights_init)
    d.apply(weights_init)
    images = g(torch.randn(5, 16, 1, 1))
    assert images.shape == (5, 1, 28, 28)
    assert images.abs().max() <= 1
    assert d(images).shape == (5,)
    conv = g.main[0].weight
    assert abs(conv.std().item() - 0.02) < 0.005 and abs(conv.mean().item()) < 0.005
    sync = torch.nn.SyncBatchNorm.convert_sync_batchnorm(Discriminator(width=8))
    sync.apply(weights_init)
    assert sync.main[3].bias.abs().max() == 0 and sync.main[3].weight.std() < 0.05
