"""Two peers beside the book's image chapters at equal images seen, on the book's yardstick.

``mlp``: the source article's MLP GAN (seed ``001_b95a65ccd19bdbfa.txt``) beside chapter 5 on
MNIST. G Dense 256-512-1024 with LeakyReLU(0.2) and tanh, D Dense 512-256 with LeakyReLU(0.2)
and a sigmoid, binary cross-entropy, Adam(2e-4, 0.5) for both, batches of 32 drawn with
replacement, D updated once on a real and once on a fake batch, then G through the frozen D.
Keras 3 no longer freezes a model that was compiled before ``trainable = False`` (chapter 5
shows it), so this script writes the article's intent as a custom step: G's update changes only
G's weights.

``dcgan``: the DCGAN of the TensorFlow tutorial (tensorflow.org/tutorials/generative/dcgan)
beside chapter 6 on Fashion-MNIST, with the tutorial's own settings: G Dense 100 -> 7x7x256,
Conv2DTranspose 128 (stride 1), 64 and 1 (stride 2) with 5x5 kernels, BatchNorm and LeakyReLU;
D Conv2D 64 and 128 (5x5, stride 2) with LeakyReLU and Dropout(0.3), then Dense 1; binary
cross-entropy on logits, Adam(1e-4) for both, batch 256, both networks updated from one batch
of fakes per step, the training images reshuffled every epoch (the last, incomplete batch of an
epoch is dropped).

Each peer trains on what its chapter trains on (the training split, or offline the test
images outside the yardstick's held-out reference, never the reference itself), for as many
real images as the chapter's full run sees unless ``--images`` says less, and is judged every
``--every`` images with ``companion.quality.evaluate`` on as many generated images as the
chapter's checks. The book's tracks are read from the chapter's stored notebooks (PyTorch and
TensorFlow), so every column of the result comes from a stored run. Results go to
``companion/peer_results/`` (``peer_mlp_article.json``, ``peer_dcgan_tutorial.json``), package
data, so that an installed companion has them, with one summary line printed::

    python bench/peers.py mlp                   # 2.56 M images, about 20 min on 2 CPU cores
    python bench/peers.py dcgan                 # 2.56 M images, about 70 min on 2 CPU cores
    python bench/peers.py mlp --images 64000    # a quick try
    python bench/peers.py dcgan --rejudge       # compare the stored peer with chapter 6 again
"""

from __future__ import annotations

import argparse
import json
import re
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import keras
import tensorflow as tf
from keras import layers

from companion import data, quality, settings
from companion.keras_utils import describe_device, seed

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "companion" / "peer_results"  # package data: companion.kits.peers reads it


def book_track(notebook: Path, batch: int) -> list[tuple[int, float]]:
    """``(images seen, FD ratio)`` of a chapter's stored checks.

    Read from its lines ``step N: FD/baseline R``; the check at step ``N`` has seen
    ``N * batch`` images.
    """
    text = "\n".join(  # one output after another, each on its own lines
        "".join(o.get("text", ""))
        for c in json.loads(notebook.read_text())["cells"]
        for o in c.get("outputs", [])
    )
    text = text.replace("\r", "\n")  # progress bars rewrite lines with carriage returns
    found = re.findall(r"^step\s+([\d,]+): FD/baseline\s+([\d.]+)", text, re.M)
    return [(int(s.replace(",", "")) * batch, float(r)) for s, r in found]


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


def article_step(g: keras.Model, d: keras.Model, real: tf.Tensor, batch: int) -> Callable:
    """The article's step: D on a real batch, D on a fake batch, G through the unchanged D."""
    bce = keras.losses.BinaryCrossentropy()
    opt_d, opt_g = (keras.optimizers.Adam(2e-4, beta_1=0.5) for _ in range(2))
    ones, zeros = tf.ones((batch, 1)), tf.zeros((batch, 1))
    flat = tf.reshape(real, (-1, 784))

    def d_update(x: tf.Tensor, target: tf.Tensor) -> tf.Tensor:
        with tf.GradientTape() as tape:
            loss = bce(target, d(x, training=True))
        opt_d.apply(tape.gradient(loss, d.trainable_variables), d.trainable_variables)
        return loss

    @tf.function
    def step() -> tf.Tensor:
        idx = tf.random.uniform((batch,), 0, tf.shape(flat)[0], tf.int32)  # with replacement
        loss_real = d_update(tf.gather(flat, idx), ones)
        loss_fake = d_update(g(tf.random.normal((batch, 100)), training=True), zeros)
        with tf.GradientTape() as tape:
            loss_g = bce(ones, d(g(tf.random.normal((batch, 100)), training=True)))
        opt_g.apply(tape.gradient(loss_g, g.trainable_variables), g.trainable_variables)
        return tf.stack([loss_real, loss_fake, loss_g])

    return step


def tutorial_networks() -> tuple[keras.Model, keras.Model]:
    """The TensorFlow tutorial's DCGAN: G (100 -> 28x28x1, tanh) and D (28x28x1 -> logit)."""

    def up(filters: int, stride: int) -> list[layers.Layer]:
        conv = layers.Conv2DTranspose(filters, 5, stride, "same", use_bias=False)
        return [conv, layers.BatchNormalization(), layers.LeakyReLU()]

    g = keras.Sequential(
        [keras.Input((100,)), layers.Dense(7 * 7 * 256, use_bias=False)]
        + [layers.BatchNormalization(), layers.LeakyReLU(), layers.Reshape((7, 7, 256))]
        + up(128, 1)
        + up(64, 2)
        + [layers.Conv2DTranspose(1, 5, 2, "same", use_bias=False, activation="tanh")]
    )
    d = keras.Sequential(
        [keras.Input((28, 28, 1)), layers.Conv2D(64, 5, 2, "same"), layers.LeakyReLU()]
        + [layers.Dropout(0.3), layers.Conv2D(128, 5, 2, "same"), layers.LeakyReLU()]
        + [layers.Dropout(0.3), layers.Flatten(), layers.Dense(1)]
    )
    return g, d


def tutorial_step(g: keras.Model, d: keras.Model, real: tf.Tensor, batch: int) -> Callable:
    """The tutorial's ``train_step``, fed by batches of a fresh permutation every epoch."""
    bce = keras.losses.BinaryCrossentropy(from_logits=True)
    opt_g, opt_d = keras.optimizers.Adam(1e-4), keras.optimizers.Adam(1e-4)
    n = int(real.shape[0])
    order = {"perm": tf.random.shuffle(tf.range(n)), "next": 0}

    @tf.function
    def step(x: tf.Tensor) -> tf.Tensor:
        with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
            fake = g(tf.random.normal((batch, 100)), training=True)
            real_out, fake_out = d(x, training=True), d(fake, training=True)
            loss_g = bce(tf.ones_like(fake_out), fake_out)
            loss_d = bce(tf.ones_like(real_out), real_out) + bce(tf.zeros_like(fake_out), fake_out)
        opt_g.apply(g_tape.gradient(loss_g, g.trainable_variables), g.trainable_variables)
        opt_d.apply(d_tape.gradient(loss_d, d.trainable_variables), d.trainable_variables)
        return tf.stack([loss_d, loss_g])

    def next_step() -> tf.Tensor:
        if order["next"] + batch > n:  # a new epoch: reshuffle, drop the incomplete batch
            order.update(perm=tf.random.shuffle(tf.range(n)), next=0)
        idx = order["perm"][order["next"] : order["next"] + batch]
        order["next"] += batch
        return step(tf.gather(real, idx))

    return next_step


@dataclass(frozen=True)
class Peer:
    """One peer and the chapter it is set beside."""

    title: str  # what the peer is, in one line
    dataset: str  # what both train on and are judged on
    chapter: str  # the chapter's name: its notebooks are chapters/<chapter>_<framework>.ipynb
    book_batch: int  # the chapter's batch: its check at step s has seen s * book_batch images
    batch: int  # the peer's own batch
    images: int  # real images the chapter's full run sees
    every: int  # images between the chapter's checks
    eval_images: int  # generated images per check, as in the chapter
    networks: Callable[[], tuple[keras.Model, keras.Model]]
    make_step: Callable[[keras.Model, keras.Model, tf.Tensor, int], Callable]
    file: str  # the result's name under companion/peer_results/


PEERS = {
    "mlp": Peer(
        title="source article's MLP GAN: seed 001, batch 32, Adam(2e-4, 0.5), D frozen in G's step",
        dataset="mnist",
        chapter="05_mlp_mnist",
        book_batch=128,
        batch=32,
        images=2_560_000,
        every=256_000,
        eval_images=2_500,
        networks=article_networks,
        make_step=article_step,
        file="peer_mlp_article.json",
    ),
    "dcgan": Peer(
        title="TensorFlow tutorial's DCGAN: 5x5 kernels, 256-128-64 wide, batch 256, Adam(1e-4)",
        dataset="fashion-mnist",
        chapter="06_dcgan",
        book_batch=64,
        batch=256,
        images=2_560_000,
        every=128_000,
        eval_images=5_000,
        networks=tutorial_networks,
        make_step=tutorial_step,
        file="peer_dcgan_tutorial.json",
    ),
}


def compare(peer: list[tuple[int, float]], book: list[tuple[int, float]], title: str) -> dict:
    """The goals of the comparison, from both tracks of ``(images seen, FD ratio)``.

    Returns ``book_over_peer_at_equal_images`` (the book's ratio divided by the peer's wherever
    both were checked after the same number of images: below 0.5 meets the goal "at least 2x
    lower") and ``book_images_to_reach_peer_final`` (the first check at which the book's model is
    at or below the peer's final ratio, ``None`` if never: at most a third of the peer's images
    meets the goal), with a one-line ``summary`` that starts with ``title``.
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
            f"peer ({title}) final FD/baseline {final:.2f} after {final_images:,} images; "
            f"book/peer ratio at equal images {span}; the book's model reaches the peer's final "
            f"ratio {reach}"
        ),
    }


FRAMEWORKS = ("pytorch", "tensorflow")


def book_side(peer: Peer, peer_track: list[tuple[int, float]]) -> dict:
    """The chapter's stored tracks in both frameworks beside ``peer_track``, and the summary.

    Returns ``{"book": {framework: {"notebook", "track", **compare(...)}}, "summary": ...}``;
    the summary is the TensorFlow comparison's, with the PyTorch ratios after it.
    """
    name = peer.title.split(":")[0]
    book = {}
    for framework in FRAMEWORKS:
        notebook = f"{peer.chapter}_{framework}.ipynb"
        track = book_track(ROOT / "chapters" / notebook, peer.book_batch)
        book[framework] = {"notebook": notebook, "track": track, **compare(peer_track, track, name)}
    tf_side, pt_side = book["tensorflow"], book["pytorch"]
    pt_ratios = pt_side["book_over_peer_at_equal_images"]
    summary = (
        f"{tf_side['summary']} (TensorFlow chapter); PyTorch chapter: book/peer ratio at equal "
        f"images {min(pt_ratios):.2f}-{max(pt_ratios):.2f}"
    )
    return {"book": book, "summary": summary}


def train(peer: Peer, images: int, every: int, out: Path) -> dict:
    """Train ``peer`` for ``images`` real images, judge it every ``every``, write ``out``."""
    reference = quality.reference_images(peer.dataset)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", data.FallbackWarning)  # named in the description below
        exclude = quality.held_out_indices(peer.dataset)
        train_set = data.load_for_training(peer.dataset, exclude_test=exclude)
    real = tf.constant(data.to_unit_range(train_set.images)[..., None])
    g, d = peer.networks()
    step = peer.make_step(g, d, real, peer.batch)
    track, seen, start, spent = [], 0, time.perf_counter(), 0.0
    while seen < images:
        for _ in range(every // peer.batch):
            step()
        seen += (every // peer.batch) * peer.batch
        t0 = time.perf_counter()
        fakes = g(tf.random.normal((peer.eval_images, 100)), training=False).numpy()
        ratio = quality.evaluate(fakes.reshape(-1, 28, 28), reference, peer.dataset).ratio
        track.append((seen, round(ratio, 3)))
        spent += time.perf_counter() - t0
        print(f"{peer.title[:40]}, {seen:,} images seen: FD/baseline {ratio:.2f}", flush=True)
    return {
        "peer": peer.title,
        "book_batch": peer.book_batch,
        "data": train_set.description,
        "device": describe_device(),
        "versions": settings.library_versions(),
        "train_seconds": round(time.perf_counter() - start - spent, 1),
        "images_per_second": round(seen / (time.perf_counter() - start - spent), 1),
        "book_full_run_images": peer.images,
        "peer_track": track,
        **book_side(peer, track),
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("peer", choices=sorted(PEERS))
    parser.add_argument("--images", type=int, help="default: as many as the chapter's full run")
    parser.add_argument("--every", type=int, help="default: the chapter's check interval")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--out", type=Path, help="default: companion/peer_results/<the peer's file>"
    )
    parser.add_argument(
        "--rejudge",
        action="store_true",
        help="re-read the book's track for the stored --out "
        "file and recompute the comparison, without training the peer again",
    )
    args = parser.parse_args(argv)
    peer = PEERS[args.peer]
    out = args.out or RESULTS / peer.file
    if args.rejudge:
        result = json.loads(out.read_text())
        peer_track = [tuple(x) for x in result["peer_track"]]
        result.update(peer=peer.title, book_batch=peer.book_batch, **book_side(peer, peer_track))
    else:
        seed(args.seed)
        result = train(peer, args.images or peer.images, args.every or peer.every, out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1) + "\n")
    print(result["summary"])
    return result


if __name__ == "__main__":
    main()
