"""Stored peer runs: another well-known GAN trained for as many images as a chapter's model.

``bench/peers.py`` trains each peer (the source article's MLP GAN beside chapter 5, the
TensorFlow tutorial's DCGAN beside chapter 6), judges it with the book's yardstick at the
chapter's checks and stores both tracks as JSON in ``companion/peer_results/``, which ships with
the package: a copy installed without the repository (Colab) has them, and nothing is read from
the repository or the web. Chapters 5 and 6 read those files with :func:`stored` and show them
with :func:`table` and :func:`plot` (:func:`show` does all three); the results page reads the
same files at build time.
A track is a list of ``(images seen, FD ratio)`` pairs: the Frechet distance of generated to
held-out real images divided by the real-vs-real baseline (:func:`companion.quality.evaluate`).
"""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter

__all__ = ["PeerResultUnavailable", "RESULTS", "plot", "show", "stored", "table"]

#: The folder of the stored peer results inside the installed package (package data).
RESULTS = Path(__file__).resolve().parents[1] / "peer_results"


class PeerResultUnavailable(RuntimeError):
    """A stored peer result is missing, corrupt, or not a peer result."""


def stored(file_name: str, folder: Path | None = None) -> dict:
    """The peer result ``file_name`` (for example ``"peer_dcgan_tutorial.json"``) as a dict.

    Read from ``folder``, by default :data:`RESULTS` (the results that ship with the package).
    The dict has at least ``peer_track`` (a list of ``[images seen, FD ratio]``), ``book`` (per
    framework, ``"pytorch"`` and ``"tensorflow"``: the chapter's stored ``track`` in the same
    form and its comparison with the peer), ``peer`` (what the peer is), ``device``,
    ``train_seconds`` and a one-line ``summary``.

    Raises:
        PeerResultUnavailable: the file is missing, is not JSON, or is not a peer result.
    """
    path = Path(folder or RESULTS) / file_name
    if not path.is_file():
        raise PeerResultUnavailable(
            f"The stored peer result {file_name} is not in {path.parent}. Reinstall companion "
            f"(the peer results ship with it), or run `python bench/peers.py` in the book's "
            f"repository to make it."
        )
    where, text = path.name, path.read_text()
    try:
        result = json.loads(text)
    except ValueError:
        raise PeerResultUnavailable(
            f"The stored peer result {where} is corrupt (not JSON). Restore it with "
            f"`git checkout companion/peer_results/{file_name}` or run `python bench/peers.py` "
            f"again."
        ) from None
    if not isinstance(result, dict) or not {"peer_track", "book"} <= result.keys():
        raise PeerResultUnavailable(
            f"{file_name} is not a peer result of bench/peers.py (it lacks peer_track or book); "
            f"run `python bench/peers.py` again to rewrite it."
        )
    return result


def _book_track(result: dict, framework: str) -> list[list[float]]:
    try:
        return result["book"][framework]["track"]
    except KeyError:
        raise ValueError(
            f"the peer result has no book track for {framework!r}; it has {sorted(result['book'])}"
        ) from None


def table(result: dict, framework: str) -> str:
    """The peer's track and the ``framework`` chapter's (``"pytorch"`` or ``"tensorflow"``) at
    the images seen where both were checked, as fixed-width text.

    One row per common check: images seen, the peer's FD ratio, the book's, and book/peer
    (below 0.5: the book's model is at least 2x closer to real images).
    """
    book = dict(map(tuple, _book_track(result, framework)))
    rows = [f"{'images seen':>12} {'peer':>8} {'book':>8} {'book/peer':>10}"]
    for images, peer in result["peer_track"]:
        if images in book:
            ours = book[images]
            rows.append(f"{images:>12,} {peer:>8.1f} {ours:>8.1f} {ours / peer:>10.2f}")
    return "\n".join(rows)


def plot(result: dict, framework: str, ax: plt.Axes | None = None) -> plt.Axes:
    """The peer's track and the ``framework`` chapter's: FD ratio (log scale) against images
    seen (millions)."""
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 3.4))
    tracks = {
        f"book ({framework} chapter)": (_book_track(result, framework), "o-"),
        "peer: " + result.get("peer", "").split(":")[0]: (result["peer_track"], "s--"),
    }
    for label, (track, style) in tracks.items():
        track = [(n, r) for n, r in track if n > 0]  # step 0 is an untrained network
        ax.plot([n / 1e6 for n, _ in track], [r for _, r in track], style, ms=3, label=label)
    ax.set(xlabel="real images seen (millions)", ylabel="FD / real-vs-real baseline")
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))  # 100, not 10^2
    ax.yaxis.set_minor_formatter(  # label 20, 30, 50, 200, ... and leave the rest blank
        FuncFormatter(lambda v, _: f"{v:g}" if f"{v:g}"[0] in "235" else "")
    )
    ax.legend()
    ax.grid(True, which="both", alpha=0.3)
    return ax


def show(file_name: str, framework: str) -> dict | None:
    """Print what the peer is, where it ran and :func:`table`, and draw :func:`plot`.

    Returns the result of :func:`stored`, or ``None`` after printing why when it is unavailable
    (a chapter goes on without it).
    """
    try:
        result = stored(file_name)
    except PeerResultUnavailable as exc:
        print(exc)
        return None
    print(f"peer: {result['peer']}")
    print(f"trained on: {result['data']}")
    print(f"device: {result['device']}, {result['train_seconds']:,.0f} s of training")
    print(table(result, framework))
    plot(result, framework)
    plt.show()
    return result
