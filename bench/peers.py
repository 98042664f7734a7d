"""The source article's MLP GAN beside chapter 5 at equal images seen, on the book's yardstick.

The article (seed ``001_b95a65ccd19bdbfa.txt``) trains a Keras MLP GAN on MNIST: G Dense
256-512-1024 with LeakyReLU(0.2) and tanh, D Dense 512-256 with LeakyReLU(0.2) and a sigmoid,
binary cross-entropy, Adam(2e-4, 0.5) for both, batches of 32 drawn with replacement, D updated
once on a real and once on a fake batch, then G through the frozen D. Keras 3 no longer freezes a
model that was compiled before ``trainable = False`` (chapter 5 shows it), so this script writes
the article's intent as a custom step: G's update changes only G's weights.

It trains on what chapter 5 trains on (the MNIST training split, or offline the even-indexed
test images, never the yardstick's held-out reference), for as many real images as chapter 5's
full run sees, and judges it every ``--every`` images with ``companion.quality.evaluate`` on as
many generated images as chapter 5's checks. The book's track is read from chapter 5's stored
TensorFlow notebook, so both columns of the result come from stored runs. Results go to
``bench/results/peer_mlp_article.json`` with one summary line printed::

    python bench/peers.py                    # 2.56 M images, a few minutes on 2 CPU cores
    python bench/peers.py --images 64000     # a quick try
    python bench/peers.py --rejudge          # compare the stored peer with chapter 5 again
"""

from __future__ import annotations

import argparse
import json
import re
import time
import warnings
from pathlib import Path

import keras
import tensorflow as tf
from keras import layers

from companion import data, quality, settings
from companion.keras_utils import describe_device, seed

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = ROOT / "chapters" / "05_mlp_mnist_tensorflow.ipynb"
OUT = ROOT / "bench" / "results" / "peer_mlp_article.json"
BOOK_BATCH = 128  # chapter 5's batch: its check at step s has seen s * 128 images


def book_track(notebook: Path = CHAPTER) -> list[tuple[int, float]]:
    """``(images seen, FD ratio)`` of chapter 5's stored checks.

    Read from its lines ``step N: FD/baseline R``.
    """
    text = "\n".join(  # one output after another, each on its own lines
        "".join(o.get("text", ""))
        for c in json.loads(notebook.read_text())["cells"]
        for o in c.get("outputs", [])
    )
    text = text.replace("\r", "\n")  # progress bars rewrite lines with carriage returns
    found = re.findall(r"^step\s+([\d,]+): FD/baseline\s+([\d.]+)", text, re.M)
    return [(int(s.replace(",", "")) * BOOK_BATCH, float(r)) for s, r in found]


def article_networks() -> tuple[keras.Model, keras.Model]:
    """The article's G (100 -> 784, tanh) and D (784 -> probability)."""
    g = keras.Sequential(
        [keras.Input((100,)), layers.Dense(256), layers.LeakyReLU(0.2), layers.Dense(512)]
        + [layers.LeakyReLU(0.2), layers.Dense(1024), layers.LeakyReLU(0.2)]
        + [layers.Dense(784, activation="tanh")]
    )
    d = keras.Sequential(
        [keras.Input((784,)), layers.Dense(512), layers.LeakyReLU(0.2), layers.Dense(256)]
        + [layers.LeakyReLU(0.2), layers.Dense(1, activation="sigmoid")]
    )
    return g, d


def make_step(g: keras.Model, d: keras.Model, real: tf.Tensor, batch: int):
    """The article's step: D on a real batch, D on a fake batch, G through the unchanged D."""
    bce = keras.losses.BinaryCrossentropy()
    opt_d_real, opt_g = (keras.optimizers.Adam(2e-4, beta_1=0.5) for _ in range(2))
    ones, zeros = tf.ones((batch, 1)), tf.zeros((batch, 1))

    def d_update(x: tf.Tensor, target: tf.Tensor) -> tf.Tensor:
        with tf.GradientTape() as tape:
            loss = bce(target, d(x, training=True))
        opt_d_real.apply(tape.gradient(loss, d.trainable_variables), d.trainable_variables)
        return loss

    @tf.function
    def step() -> tf.Tensor:
        idx = tf.random.uniform((batch,), 0, tf.shape(real)[0], tf.int32)  # with replacement
        loss_real = d_update(tf.gather(real, idx), ones)
        loss_fake = d_update(g(tf.random.normal((batch, 100)), training=True), zeros)
        with tf.GradientTape() as tape:
            loss_g = bce(ones, d(g(tf.random.normal((batch, 100)), training=True)))
        opt_g.apply(tape.gradient(loss_g, g.trainable_variables), g.trainable_variables)
        return tf.stack([loss_real, loss_fake, loss_g])

    return step


def compare(peer: list[tuple[int, float]], book: list[tuple[int, float]]) -> dict:
    """The goals of the comparison, from both tracks of ``(images seen, FD ratio)``.

    Returns ``book_over_peer_at_equal_images`` (the book's ratio divided by the peer's wherever
    both were checked after the same number of images: below 0.5 meets the goal "at least 2x
    lower") and ``book_images_to_reach_peer_final`` (the first check at which the book's model is
    at or below the peer's final ratio, ``None`` if never: at most a third of the peer's images
    meets the goal), with a one-line ``summary``.
    """
    book_at = dict(book)
    ratios = [round(b / r, 3) for n, r in peer if (b := book_at.get(n)) is not None]
    final_images, final = peer[-1]
    reaches = next((n for n, r in book if n > 0 and r <= final), None)
    reach = "never" if reaches is None else f"after {reaches:,} images"
    span = f"{min(ratios):.2f}-{max(ratios):.2f}" if ratios else "n/a (no common check)"
    return {
        "book_over_peer_at_equal_images": ratios,
        "book_images_to_reach_peer_final": reaches,
        "peer_images": final_images,
        "summary": (
            f"peer (article MLP) final FD/baseline {final:.2f} after {final_images:,} images; "
            f"book/peer ratio at equal images {span}; the book's model reaches the peer's final "
            f"ratio {reach}"
        ),
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=20_000 * BOOK_BATCH)
    parser.add_argument("--every", type=int, default=2_000 * BOOK_BATCH)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--eval", type=int, default=2_500, help="generated images per check")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument(
        "--rejudge",
        action="store_true",
        help="re-read the book's track for the stored --out "
        "file and recompute the comparison, without training the peer again",
    )
    args = parser.parse_args(argv)
    if args.rejudge:
        result = json.loads(args.out.read_text())
        book = book_track()
        result.update(book_track=book, **compare([tuple(x) for x in result["peer_track"]], book))
        args.out.write_text(json.dumps(result, indent=1) + "\n")
        print(result["summary"])
        return result
    seed(args.seed)
    reference = quality.reference_images("mnist")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", data.FallbackWarning)  # named in the description below
        train = data.load_for_training("mnist", exclude_test=quality.held_out_indices("mnist"))
    real = tf.constant(data.to_unit_range(train.images).reshape(-1, 784))
    g, d = article_networks()
    step = make_step(g, d, real, args.batch)
    track, seen, start, spent = [], 0, time.perf_counter(), 0.0
    while seen < args.images:
        for _ in range(args.every // args.batch):
            step()
        seen += (args.every // args.batch) * args.batch
        t0 = time.perf_counter()
        fakes = g(tf.random.normal((args.eval, 100)), training=False).numpy()
        ratio = quality.evaluate(fakes.reshape(-1, 28, 28), reference, "mnist").ratio
        track.append((seen, round(ratio, 3)))
        spent += time.perf_counter() - t0
        print(f"article MLP, {seen:,} images seen: FD/baseline {ratio:.2f}", flush=True)
    book = book_track()
    result = {
        "peer": (
            "source article's MLP GAN (seed 001): batch 32, Adam(2e-4, 0.5), D frozen in G's step"
        ),
        "book": "chapter 5, TensorFlow, stored run (batch 128)",
        "data": train.description,
        "device": describe_device(),
        "versions": settings.library_versions(),
        "train_seconds": round(time.perf_counter() - start - spent, 1),
        "peer_track": track,
        "book_track": book,
        **compare(track, book),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n")
    print(result["summary"])
    return result


if __name__ == "__main__":
    main()
