"""Train the small CNN that :mod:`companion.quality` uses to judge generated images.

One classifier per dataset (MNIST digits, Fashion-MNIST), same architecture::

    28x28x1 -> conv3x3(16) ReLU maxpool2 -> conv3x3(32) ReLU maxpool2 -> dense(64) ReLU -> dense(10)

The 64 ReLU outputs of the penultimate layer are the features in which the Frechet distance is
measured. Weights are written as safetensors to
``companion/weights/classifier_<dataset>.safetensors`` (about 430 kB each) and the held-out
accuracy to ``companion/weights/classifier_accuracy.json``;
:mod:`companion.quality` runs the same forward pass in NumPy, so the metric needs no framework.

Data split:

* Fashion-MNIST: trained on the 60,000-image training split, accuracy on the 10,000-image test
  split.
* MNIST: the training split is not available on the offline machine where the stored weights were
  made, so the classifier trains on the test images with an *even* index (5,000) and reports
  accuracy on the odd-indexed ones (5,000), which :func:`companion.classifier.held_out_indices`
  names. Those held-out images are the only MNIST images the yardstick compares generated ones
  with (FD reference and real-vs-real baseline), on every machine: the weights ship with the
  package, so a run on Colab with the 60,000 training images uses the same classifier and the same
  reference. Pass ``--mnist-split train`` on a machine with internet to train on the 60,000
  training images instead (accuracy is then still measured on the held-out odd test images).

The rule of the yardstick: no image the classifier was trained on is ever an FD reference, a
baseline or a comparison set (``tests/test_quality.py`` checks the recorded protocol).

Usage (CPU, a few minutes on two cores)::

    GAN_BOOK_DATA=/path/to/data python scripts/train_classifier.py
    python scripts/train_classifier.py --dataset mnist --epochs 8
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import save_file
from torch import nn

from companion import data, quality

ROOT = Path(__file__).resolve().parents[1]
WEIGHTS = ROOT / "companion" / "weights"
BATCH = 128


class Classifier(nn.Module):
    """The CNN whose layer names and shapes :mod:`companion.quality` expects."""

    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.fc1 = nn.Linear(32 * 7 * 7, 64)
        self.fc2 = nn.Linear(64, 10)
        self.pool = nn.MaxPool2d(2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``x``: ``(N, 1, 28, 28)`` in [-1, 1] -> logits ``(N, 10)``."""
        x = self.pool(torch.relu(self.conv1(x)))
        x = self.pool(torch.relu(self.conv2(x)))
        x = torch.relu(self.fc1(x.flatten(1)))
        return self.fc2(x)


def splits(
    dataset: str, mnist_split: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, str]:
    """Training and evaluation arrays (uint8 images, labels) and a sentence that says which.

    The evaluation images are always the yardstick's held-out reference,
    ``test[quality.held_out_indices(dataset)]``.
    """
    x, y = data.load(dataset, "test")
    held = quality.held_out_indices(dataset)
    if dataset == "mnist" and mnist_split == "test":
        seen = np.setdiff1d(np.arange(len(x)), held)
        return (
            x[seen],
            y[seen],
            x[held],
            y[held],
            f"mnist: trained on the {len(seen):,} even-indexed test images, accuracy on the "
            f"{len(held):,} odd-indexed ones (held out: the yardstick's reference); the "
            f"60,000-image training split was not available offline",
        )
    xtr, ytr = data.load(dataset, "train")
    return (
        xtr,
        ytr,
        x[held],
        y[held],
        f"{dataset}: trained on the training split ({len(xtr):,}), accuracy on the "
        f"{len(held):,} held-out test images (the yardstick's reference)",
    )


def to_tensor(images: np.ndarray) -> torch.Tensor:
    """uint8 ``(N, 28, 28)`` -> float ``(N, 1, 28, 28)`` in [-1, 1] (as generators produce)."""
    return torch.from_numpy(data.to_unit_range(images)).unsqueeze(1)


def shift(x: torch.Tensor, generator: torch.Generator, max_shift: int = 2) -> torch.Tensor:
    """Random translation by up to ``max_shift`` pixels (augmentation for the small MNIST set)."""
    dx, dy = (int(v) for v in torch.randint(-max_shift, max_shift + 1, (2,), generator=generator))
    x = torch.roll(x, shifts=(dy, dx), dims=(2, 3))
    # roll wraps around; blank the wrapped border (background is -1)
    if dy > 0:
        x[:, :, :dy] = -1
    elif dy < 0:
        x[:, :, dy:] = -1
    if dx > 0:
        x[:, :, :, :dx] = -1
    elif dx < 0:
        x[:, :, :, dx:] = -1
    return x


@torch.no_grad()
def accuracy(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    model.eval()
    pred = torch.cat([model(x[i : i + 1000]).argmax(1) for i in range(0, len(x), 1000)])
    return float((pred == y).float().mean())


def train(dataset: str, epochs: int, mnist_split: str, seed: int = 0) -> dict:
    torch.manual_seed(seed)
    g = torch.Generator().manual_seed(seed)
    xtr, ytr, xte, yte, note = splits(dataset, mnist_split)
    print(note, flush=True)
    x, y = to_tensor(xtr), torch.from_numpy(ytr.astype(np.int64))
    xt, yt = to_tensor(xte), torch.from_numpy(yte.astype(np.int64))
    augment = len(x) < 20_000  # small training set: random shifts help it generalise
    model = Classifier()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    steps = epochs * ((len(x) + BATCH - 1) // BATCH)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=steps)
    start = time.perf_counter()
    for epoch in range(epochs):
        model.train()
        perm = torch.randperm(len(x), generator=g)
        for i in range(0, len(x), BATCH):
            idx = perm[i : i + BATCH]
            xb = shift(x[idx].clone(), g) if augment else x[idx]
            loss = nn.functional.cross_entropy(model(xb), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
        print(
            f"  epoch {epoch + 1}/{epochs}: held-out accuracy {accuracy(model, xt, yt):.4f} "
            f"({time.perf_counter() - start:.0f}s)",
            flush=True,
        )
    acc = accuracy(model, xt, yt)
    WEIGHTS.mkdir(parents=True, exist_ok=True)
    state = {k: v.contiguous() for k, v in model.state_dict().items()}
    save_file(state, str(WEIGHTS / f"classifier_{dataset}.safetensors"))
    return {
        "accuracy": round(acc, 4),
        "n_train": len(x),
        "n_eval": len(xt),
        "epochs": epochs,
        "augmented": augment,
        "split": note,
        "trained_on": "test-even" if dataset == "mnist" and mnist_split == "test" else "train",
        "seconds": round(time.perf_counter() - start, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dataset", choices=["mnist", "fashion-mnist", "both"], default="both")
    parser.add_argument(
        "--epochs",
        type=int,
        default=None,
        help="default: 15 for MNIST (5k images), 4 for Fashion-MNIST",
    )
    parser.add_argument(
        "--mnist-split",
        choices=["test", "train"],
        default="test",
        help="'test': train on the even-indexed test images, evaluate on the odd ones (offline); "
        "'train': train on the 60,000 training images",
    )
    args = parser.parse_args()
    torch.set_num_threads(1)  # on a shared 2-core CPU one thread is several times faster
    path = WEIGHTS / "classifier_accuracy.json"
    record = json.loads(path.read_text()) if path.exists() else {}
    names = ["mnist", "fashion-mnist"] if args.dataset == "both" else [args.dataset]
    for name in names:
        default_epochs = 15 if (name == "mnist" and args.mnist_split == "test") else 4
        result = train(name, args.epochs or default_epochs, args.mnist_split)
        print(
            f"{name}: held-out accuracy {result['accuracy']:.2%} in {result['seconds']}s",
            flush=True,
        )
        record[name] = result
        path.write_text(json.dumps(record, indent=2) + "\n")


if __name__ == "__main__":
    main()
