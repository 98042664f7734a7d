"""The GPU branches of the chapters, executed on the CPU.

A Colab reader with a GPU takes branches that a CPU run never takes: float16 autocast with
``torch.amp.GradScaler`` (a T4), bfloat16 autocast (an A100 or H100), Keras ``mixed_float16``
with a ``LossScaleOptimizer`` in a custom ``tf.function`` step, ``torch.compile``. Each test
forces one of them with ``GAN_BOOK_PRECISION`` (see :mod:`companion.device_plan`), runs the
chapter's own cells up to its training step (``bench/chapter_code.py``), takes a few steps, and
proves two things: the branch ran (the activations' dtype, the scaler's state, the compiled
function was called) and the step still trains (finite losses, weights that moved).

Left out, because only CUDA has them: CUDA graphs (``torch.compile(mode="reduce-overhead")``
records them only for CUDA tensors; chapter 11 skips that row on a CPU and counts Inductor's
graph skips on a GPU) and the NCCL backend with ``SyncBatchNorm`` (chapter 11's DDP script
refuses ``--sync-bn`` on the CPU in one sentence: ``tests/test_distributed.py``). Both run in
``bench/gpu_session.sh`` on a GPU.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from tests.repo_modules import load

chapter_code = load("chapter_code")

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"


def chapter_until(notebook: str, heading: str, name: str, tmp_path, monkeypatch) -> dict:
    """Run the chapter's code cells before ``heading`` in a fresh namespace (smoke profile),
    in ``tmp_path``, and return that namespace."""
    monkeypatch.setenv("GAN_BOOK_PROFILE", "smoke")
    monkeypatch.chdir(tmp_path)  # the chapter's artifacts land here
    cells = chapter_code.cells_before(CHAPTERS / notebook, heading)
    namespace = chapter_code.new_namespace(name)
    chapter_code.run_cells(cells, namespace, notebook)
    return namespace


def _snapshot(parameters) -> list[np.ndarray]:
    return [np.asarray(p).astype(np.float32) for p in parameters]


def _moved(before: list[np.ndarray], after: list[np.ndarray]) -> bool:
    return all(not np.array_equal(a, b) for a, b in zip(before, after))


# --- PyTorch: chapter 6's step under forced precisions ---


@pytest.mark.parametrize("precision", ["float16", "bfloat16"])
def test_chapter6_pytorch_mixed_precision_step(precision, tmp_path, monkeypatch):
    torch = pytest.importorskip("torch")
    monkeypatch.setenv("GAN_BOOK_PRECISION", precision)
    ns = chapter_until("06_dcgan_pytorch.ipynb", "## Training", "ch6_pt", tmp_path, monkeypatch)
    assert ns["AMP"] and ns["plan"].precision == precision and ns["plan"].forced
    scaler = ns["scaler"]
    assert scaler.is_enabled() == (precision == "float16")  # loss scaling for float16 only
    G, D = ns["G"], ns["D"]
    seen = []
    G.main[0].register_forward_hook(lambda m, i, out: seen.append(out.dtype))
    before = _snapshot(p.detach().float() for p in (*G.parameters(), *D.parameters()))
    real = ns["real_all"][: ns["BATCH"]]
    stats = torch.stack([ns["train_step"](real) for _ in range(3)]).cpu()
    assert seen and set(seen) == {getattr(torch, precision)}  # the branch ran
    assert torch.isfinite(stats).all(), stats  # and it trains
    after = _snapshot(p.detach().float() for p in (*G.parameters(), *D.parameters()))
    assert _moved(before, after)
    if precision == "float16":  # the scaler scaled, and update() ran on real gradients
        assert scaler.get_scale() != 2.0**16 or scaler._growth_tracker.item() > 0


@pytest.mark.parametrize("precision,autocast", [("bfloat16", True), ("float16", False)])
def test_chapter8_pytorch_autocasts_bfloat16_only(precision, autocast, tmp_path, monkeypatch):
    """Chapter 8 has no GradScaler: bfloat16 runs under autocast, float16 (a T4) in float32."""
    torch = pytest.importorskip("torch")
    monkeypatch.setenv("GAN_BOOK_PRECISION", precision)
    ns = chapter_until(
        "08_conditional_pytorch.ipynb", "## Measuring", "ch8_pt", tmp_path, monkeypatch
    )
    assert ns["AMP"] == autocast
    ns["seed"](0)
    make_g, make_d = ns["STYLES"]["one-hot"]
    G, D = ns["dcgan_init"](make_g()), ns["dcgan_init"](make_d())
    opt_g, opt_d = (torch.optim.Adam(n.parameters(), lr=2e-4) for n in (G, D))
    seen = []
    first = next(
        m
        for m in G.modules()
        if isinstance(m, (torch.nn.Linear, torch.nn.Conv2d, torch.nn.ConvTranspose2d))
    )
    first.register_forward_hook(lambda m, i, out: seen.append(out.dtype))
    before = _snapshot(p.detach().float() for p in (*G.parameters(), *D.parameters()))
    real, labels = ns["real_all"][:16], ns["labels_all"][:16]
    stats = torch.stack([ns["train_step"](G, D, opt_g, opt_d, real, labels) for _ in range(2)])
    assert torch.isfinite(stats).all(), stats
    assert set(seen) == {torch.bfloat16 if autocast else torch.float32}
    assert _moved(before, _snapshot(p.detach().float() for p in (*G.parameters(), *D.parameters())))


# --- Keras: chapter 6's tf.function step with mixed_float16 and LossScaleOptimizer ---


@pytest.fixture
def keras_policy_restored():
    keras = pytest.importorskip("keras")
    yield
    keras.mixed_precision.set_global_policy("float32")


def _chapter6_keras(ns: dict):
    return ns["G"], ns["D"], ns["train_step"], ns["opt_d"]


def _chapter8_keras(ns: dict):
    G, D = (make() for make in ns["STYLES"]["one-hot"])
    opt_d = ns["make_optimizer"]()
    return G, D, ns["make_train_step"](G, D, ns["make_optimizer"](), opt_d), opt_d


@pytest.mark.parametrize(
    "notebook,heading,networks",
    [
        ("06_dcgan_tensorflow.ipynb", "## Training", _chapter6_keras),
        ("08_conditional_tensorflow.ipynb", "## Training both styles", _chapter8_keras),
    ],
)
def test_keras_mixed_float16_step_with_loss_scaling(
    notebook, heading, networks, tmp_path, monkeypatch, keras_policy_restored
):
    keras = pytest.importorskip("keras")
    tf = pytest.importorskip("tensorflow")
    monkeypatch.setenv("GAN_BOOK_PRECISION", "float16")
    ns = chapter_until(notebook, heading, notebook[:2] + "_tf", tmp_path, monkeypatch)
    assert keras.mixed_precision.global_policy().name == "mixed_float16"
    G, D, train_step, opt_d = networks(ns)
    assert isinstance(opt_d, keras.optimizers.LossScaleOptimizer)
    weighted = [layer for layer in G.layers if layer.trainable_weights]
    assert weighted[0].compute_dtype == "float16"  # hidden layers compute in float16
    assert G.layers[-1].compute_dtype == "float32"  # the output keeps full precision
    before = _snapshot(v.numpy() for v in (*G.trainable_variables, *D.trainable_variables))
    index = tf.range(ns["BATCH"])
    stats = np.stack([train_step(index).numpy() for _ in range(3)])
    assert np.isfinite(stats).all(), stats
    after = _snapshot(v.numpy() for v in (*G.trainable_variables, *D.trainable_variables))
    assert _moved(before, after)
    # the unscaled update ran (iterations) or the scale reacted to overflowing float16 gradients
    scale = float(opt_d.dynamic_scale.numpy())
    assert int(opt_d.iterations.numpy()) > 0 or scale < 2.0**15
    assert math.isfinite(scale)


# --- PyTorch: chapter 11's switches, float16 and torch.compile, on the CPU ---


def test_chapter11_float16_row_and_compiled_step_train_on_the_cpu(tmp_path, monkeypatch):
    torch = pytest.importorskip("torch")
    from torch._dynamo.utils import counters

    monkeypatch.setenv("GAN_BOOK_PRECISION", "float16")
    ns = chapter_until("11_fast_pytorch.ipynb", "## The rows", "ch11_pt", tmp_path, monkeypatch)
    assert ns["plan"].half == "float16"
    Config, make_trainer, run_loop = ns["Config"], ns["make_trainer"], ns["run_loop"]
    for config in (Config(amp="float16"), Config(compile="default")):
        assert ns["why_not"](config) is None  # runs here, not skipped
        frames = counters["frames"]["ok"]
        ns["seed"](0)
        G, step = make_trainer(config)
        seen = []
        G.main[0].register_forward_hook(lambda m, i, out: seen.append(out.dtype))
        before = _snapshot(p.detach().float() for p in G.parameters())
        _, stats = run_loop(config, step, 4 * config.batch)
        assert torch.isfinite(stats).all(), (config, stats)
        assert _moved(before, _snapshot(p.detach().float() for p in G.parameters()))
        if config.amp:
            assert set(seen) == {torch.float16}
        else:  # torch.compile traced and ran the networks' forward passes
            assert counters["frames"]["ok"] > frames
    cuda_graphs = Config(compile="reduce-overhead")
    assert ns["why_not"](cuda_graphs) == "CUDA graphs need a CUDA GPU"
