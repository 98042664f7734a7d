"""bench/peers.py reads the book's side of the comparison from chapter 5's stored run."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def peers():
    pytest.importorskip("tensorflow")
    spec = importlib.util.spec_from_file_location("peers", ROOT / "bench" / "peers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_book_track_is_chapter_5s_checks_in_images_seen(peers):
    track = peers.book_track()
    steps = [n // peers.BOOK_BATCH for n, _ in track]
    assert steps[0] == 0 and steps == sorted(set(steps)), "one entry per check, in order"
    assert all(n % peers.BOOK_BATCH == 0 and r > 0 for n, r in track)


def test_article_networks_have_the_articles_shapes(peers):
    g, d = peers.article_networks()
    assert g.input_shape == (None, 100) and g.output_shape == (None, 784)
    assert d.output_shape == (None, 1)
    assert [layer.units for layer in g.layers if hasattr(layer, "units")] == [256, 512, 1024, 784]
    assert [layer.units for layer in d.layers if hasattr(layer, "units")] == [512, 256, 1]


def test_compare_states_both_goals(peers):
    book = [(0, 500.0), (100, 40.0), (200, 10.0), (300, 8.0)]
    peer = [(100, 30.0), (200, 25.0), (300, 20.0)]
    out = peers.compare(peer, book)
    assert out["book_over_peer_at_equal_images"] == [round(40 / 30, 3), 0.4, 0.4]
    assert out["book_images_to_reach_peer_final"] == 200 and out["peer_images"] == 300
    assert "reaches the peer's final ratio after 200 images" in out["summary"]
    never = peers.compare([(100, 5.0)], book)
    assert never["book_images_to_reach_peer_final"] is None and "never" in never["summary"]
