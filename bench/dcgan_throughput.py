"""Training throughput of the chapter 6 DCGAN: the seed's loop against the book's loop.

Not a test: a measurement. It times training images per second of

(a) the seed-style loop: a ``torch.utils.data.DataLoader`` that keeps the images on the CPU and
    copies every batch to the device, float32, eager;
(b) the book's loop (chapter 6): the whole dataset placed on the device once, batches drawn by
    indexing a device tensor, mixed precision (``torch.autocast`` + ``GradScaler``) on CUDA,
    ``zero_grad(set_to_none=True)``, no per-step ``.item()`` synchronisation,

with the same model, the same batch size and the same number of steps, in one process on one
device. Rounds of (a) and (b) alternate so that a machine shared with other work slows both
alike. Each loop's images/s is reported as the median of the rounds with its spread (minimum,
maximum, interquartile range), and the speed-up as the median of the per-round ratios b/a with
their minimum and maximum: a speed-up whose range includes 1 is no speed-up. It writes
``bench/results/<device>.json`` and prints one line.

    python bench/dcgan_throughput.py                 # the best device here
    python bench/dcgan_throughput.py --device cpu --steps 20 --rounds 3

Run it on an otherwise idle machine. PyTorch uses one thread per core by default; on a CPU that
other programs keep busy, ``OMP_NUM_THREADS=1`` avoids threads that wait for each other by
spinning.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import statistics
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

from companion import data
from companion.kits.dcgan import Discriminator, Generator
from companion.torch_utils import describe_device, pick_device

RESULTS = Path(__file__).resolve().parent / "results"


def make_models(nz: int, width: int) -> tuple[nn.Module, nn.Module]:
    """The chapter's 28x28 generator ``(B, nz, 1, 1) -> (B, 1, 28, 28)`` and discriminator
    ``(B, 1, 28, 28) -> (B,)`` logits (width = channels of the widest layer / 2), from
    :mod:`companion.kits.dcgan`."""
    return Generator(nz, width), Discriminator(width)


class Trainer:
    """One GAN (fresh weights from a fixed seed) and its optimisers on ``device``."""

    def __init__(self, device: torch.device, nz: int, width: int, amp: bool) -> None:
        torch.manual_seed(0)
        self.device, self.nz = device, nz
        self.g, self.d = (m.to(device) for m in make_models(nz, width))
        self.opt_g = torch.optim.Adam(self.g.parameters(), lr=2e-4, betas=(0.5, 0.999))
        self.opt_d = torch.optim.Adam(self.d.parameters(), lr=2e-4, betas=(0.5, 0.999))
        self.amp = amp and device.type == "cuda"
        self.scaler = torch.amp.GradScaler(device.type, enabled=self.amp)
        self.bce = nn.BCEWithLogitsLoss()

    def step(self, real: torch.Tensor, sync_stats: bool) -> None:
        """One discriminator and one generator update on a batch ``(B, 1, 28, 28)`` in [-1, 1]."""
        b = real.shape[0]
        ones = torch.ones(b, device=self.device)
        zeros = torch.zeros(b, device=self.device)
        with torch.autocast(self.device.type, enabled=self.amp):
            fake = self.g(torch.randn(b, self.nz, 1, 1, device=self.device))
            out_real, out_fake = self.d(real), self.d(fake.detach())
            loss_d = self.bce(out_real, ones) + self.bce(out_fake, zeros)
        self.opt_d.zero_grad(set_to_none=True)
        self.scaler.scale(loss_d).backward()
        self.scaler.step(self.opt_d)
        with torch.autocast(self.device.type, enabled=self.amp):
            loss_g = self.bce(self.d(fake), ones)
        self.opt_g.zero_grad(set_to_none=True)
        self.scaler.scale(loss_g).backward()
        self.scaler.step(self.opt_g)
        self.scaler.update()
        if sync_stats:  # the seed reads four numbers back to the host on every step
            _ = (
                loss_d.item(),
                loss_g.item(),
                torch.sigmoid(out_real).mean().item(),
                torch.sigmoid(out_fake).mean().item(),
            )


def seed_loop(trainer: Trainer, images: np.ndarray, batch: int, steps: int) -> float:
    """(a): CPU DataLoader, a host-to-device copy per batch, fp32, stats read every step.
    Images/s."""
    dataset = torch.utils.data.TensorDataset(torch.from_numpy(data.to_unit_range(images)[:, None]))
    loader = torch.utils.data.DataLoader(dataset, batch_size=batch, shuffle=True, drop_last=True)
    trainer.amp = False
    trainer.scaler = torch.amp.GradScaler(trainer.device.type, enabled=False)
    done, start = 0, time.perf_counter()
    while done < steps:
        for (real,) in loader:
            trainer.step(real.to(trainer.device), sync_stats=True)
            done += 1
            if done == steps:
                break
    _synchronize(trainer.device)
    return steps * batch / (time.perf_counter() - start)


def book_loop(trainer: Trainer, on_device: torch.Tensor, batch: int, steps: int) -> float:
    """(b): data already on the device, batches by indexing, AMP on CUDA, no per-step sync.
    Images/s."""
    n = on_device.shape[0]
    start = time.perf_counter()
    order = torch.randperm(n, device=on_device.device)
    for i in range(steps):
        j = (i * batch) % (n - batch + 1)
        trainer.step(on_device[order[j : j + batch]], sync_stats=False)
    _synchronize(trainer.device)
    return steps * batch / (time.perf_counter() - start)


def _synchronize(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--device", default=None, help="cpu, cuda, mps (default: the best one here)"
    )
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--steps", type=int, default=50, help="timed steps per round and loop")
    parser.add_argument(
        "--rounds", type=int, default=7, help="alternating rounds; median and spread"
    )
    parser.add_argument("--nz", type=int, default=64)
    parser.add_argument("--width", type=int, default=32)
    parser.add_argument("--images", type=int, default=10_000, help="Fashion-MNIST images to use")
    parser.add_argument(
        "--out", type=Path, default=None, help="JSON file (default bench/results/<device>.json)"
    )
    args = parser.parse_args(argv)
    if args.steps < 1 or args.rounds < 1 or args.batch < 1:
        parser.error("--steps, --rounds and --batch must be positive")

    device = pick_device(args.device)
    images = data.load("fashion-mnist", "test")[0][: args.images]
    if len(images) < args.batch:
        parser.error(f"--images {args.images} is smaller than --batch {args.batch}")
    on_device = torch.from_numpy(data.to_unit_range(images)[:, None]).to(device)
    a = Trainer(device, args.nz, args.width, amp=False)
    b = Trainer(device, args.nz, args.width, amp=True)
    seed_loop(a, images, args.batch, 3)  # warm-up: allocators, cuDNN autotuning, thread pools
    book_loop(b, on_device, args.batch, 3)
    rates_a, rates_b = [], []
    for _ in range(args.rounds):
        rates_a.append(seed_loop(a, images, args.batch, args.steps))
        rates_b.append(book_loop(b, on_device, args.batch, args.steps))
    ratios = [rb / ra for ra, rb in zip(rates_a, rates_b)]  # paired: the rounds ran side by side
    result = {
        "device": describe_device(device),
        "batch": args.batch,
        "steps_per_round": args.steps,
        "rounds": args.rounds,
        "nz": args.nz,
        "width": args.width,
        "seed_loop_images_per_s": round(statistics.median(rates_a), 1),
        "book_loop_images_per_s": round(statistics.median(rates_b), 1),
        "seed_loop": spread(rates_a),
        "book_loop": spread(rates_b),
        "seed_loop_rounds": [round(r, 1) for r in rates_a],
        "book_loop_rounds": [round(r, 1) for r in rates_b],
        "speedup": round(statistics.median(ratios), 2),
        "speedup_min": round(min(ratios), 2),
        "speedup_max": round(max(ratios), 2),
        "amp": b.amp,
        "torch": torch.__version__,
        "torch_threads": torch.get_num_threads(),
        "python": platform.python_version(),
        "when_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    out = args.out or RESULTS / (
        re.sub(r"[^A-Za-z0-9]+", "_", result["device"]).strip("_")[:60] + ".json"
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(summary_line(result) + f" -> {out}")
    return result


def spread(rates: list[float]) -> dict[str, float]:
    """Median, minimum, maximum and interquartile range of per-round images/s."""
    q1, _, q3 = statistics.quantiles(rates, n=4) if len(rates) > 1 else (rates[0],) * 3
    return {
        "median": round(statistics.median(rates), 1),
        "min": round(min(rates), 1),
        "max": round(max(rates), 1),
        "q1": round(q1, 1),
        "q3": round(q3, 1),
    }


def summary_line(result: dict) -> str:
    """One line of text for a stored result: both loops with their spread, and the speed-up."""
    a, b = result["seed_loop"], result["book_loop"]
    return (
        f"dcgan throughput on {result['device']}: seed loop {a['median']:.0f} img/s "
        f"({a['min']:.0f}-{a['max']:.0f}), book loop {b['median']:.0f} img/s "
        f"({b['min']:.0f}-{b['max']:.0f}), speed-up {result['speedup']:.2f}x "
        f"(per round {result['speedup_min']:.2f}-{result['speedup_max']:.2f}; "
        f"batch {result['batch']}, {result['steps_per_round']} steps x {result['rounds']} rounds)"
    )


if __name__ == "__main__":
    main()
