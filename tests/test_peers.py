"""bench/peers.py and companion.kits.peers: the peers beside chapters 5 and 6, on stored runs."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import matplotlib
import pytest

from companion.kits import peers as stored_peers

matplotlib.use("Agg")
from tests.repo_modules import book, load

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def peers():
    pytest.importorskip("tensorflow")
    return load("peers")


@pytest.mark.parametrize("framework", ["pytorch", "tensorflow"])
@pytest.mark.parametrize("name", ["mlp", "dcgan"])
def test_book_track_is_the_chapters_checks_in_images_seen(peers, name, framework):
    peer = peers.PEERS[name]
    notebook = ROOT / "chapters" / f"{peer.chapter}_{framework}.ipynb"
    track = peers.book_track(notebook, peer.book_batch)
    steps = [n // peer.book_batch for n, _ in track]
    assert len(steps) > 5 and steps[0] == 0 and steps == sorted(set(steps)), "one per check"
    assert all(n % peer.book_batch == 0 and r > 0 for n, r in track)
    assert track[-1][0] == peer.images, "the full run's budget is the chapter's last check"
    assert all(n % peer.every == 0 for n, _ in track), "the peer is checked where the book was"


def test_article_networks_have_the_articles_shapes(peers):
    g, d = peers.article_networks()
    assert g.input_shape == (None, 100) and g.output_shape == (None, 784)
    assert d.output_shape == (None, 1)
    assert [layer.units for layer in g.layers if hasattr(layer, "units")] == [256, 512, 1024, 784]
    assert [layer.units for layer in d.layers if hasattr(layer, "units")] == [512, 256, 1]


def test_tutorial_networks_have_the_tutorials_shapes(peers):
    g, d = peers.tutorial_networks()
    assert g.input_shape == (None, 100) and g.output_shape == (None, 28, 28, 1)
    assert d.input_shape == (None, 28, 28, 1) and d.output_shape == (None, 1)
    convs = [layer for layer in g.layers if hasattr(layer, "kernel_size")]
    assert [c.filters for c in convs] == [128, 64, 1]
    assert all(c.kernel_size == (5, 5) for c in convs)
    assert [c.strides for c in convs] == [(1, 1), (2, 2), (2, 2)]
    assert [layer.filters for layer in d.layers if hasattr(layer, "filters")] == [64, 128]
    assert sum(layer.__class__.__name__ == "Dropout" for layer in d.layers) == 2


def test_tutorial_step_reshuffles_each_epoch_and_trains_both(peers):
    import tensorflow as tf

    g, d = peers.tutorial_networks()
    real = tf.random.uniform((10, 28, 28, 1), -1, 1)
    before = [w.numpy().copy() for w in g.trainable_variables[:1] + d.trainable_variables[:1]]
    step = peers.tutorial_step(g, d, real, batch=4)
    losses = [step().numpy() for _ in range(3)]  # 2 batches of 4 per epoch, then a new epoch
    assert all(x.shape == (2,) and (x > 0).all() for x in losses)
    after = [w.numpy() for w in g.trainable_variables[:1] + d.trainable_variables[:1]]
    assert all((a != b).any() for a, b in zip(after, before)), "both networks were updated"


def test_compare_states_both_goals(peers):
    book = [(0, 500.0), (100, 40.0), (200, 10.0), (300, 8.0)]
    peer = [(100, 30.0), (200, 25.0), (300, 20.0)]
    out = peers.compare(peer, book, "a peer")
    assert out["book_over_peer_at_equal_images"] == [round(40 / 30, 3), 0.4, 0.4]
    assert out["book_images_to_reach_peer_final"] == 200 and out["peer_images"] == 300
    assert out["summary"].startswith("peer (a peer) final FD/baseline 20.00 after 300 images")
    assert "reaches the peer's final ratio after 200 images" in out["summary"]
    never = peers.compare([(100, 5.0)], book, "a peer")
    assert never["book_images_to_reach_peer_final"] is None and "never" in never["summary"]


@pytest.mark.parametrize("name", ["peer_mlp_article.json", "peer_dcgan_tutorial.json"])
def test_the_stored_results_are_peer_results(name):
    result = stored_peers.stored(name)
    assert result["peer_track"] and result["summary"].startswith("peer (")
    for framework in ("pytorch", "tensorflow"):
        book = result["book"][framework]["track"]
        assert result["peer_track"][-1][0] <= book[-1][0], "never more images than the chapter"
        assert stored_peers.table(result, framework).count("\n") >= 1


def _no_network(*args, **kwargs):
    raise AssertionError("companion.kits.peers must not reach for the network")


def _fake(tmp_path: Path, content: str) -> Path:
    (tmp_path / "r.json").write_text(content)
    return tmp_path


def test_stored_reads_table_and_plot(tmp_path):
    result = {"peer": "P: x", "peer_track": [[100, 20.0], [200, 10.0]]}
    result["book"] = {"pytorch": {"track": [[0, 500.0], [100, 5.0], [200, 4.0]]}}
    got = stored_peers.stored("r.json", folder=_fake(tmp_path, json.dumps(result)))
    rows = stored_peers.table(got, "pytorch").splitlines()
    assert len(rows) == 3 and rows[1].split() == ["100", "20.0", "5.0", "0.25"]
    ax = stored_peers.plot(got, "pytorch")
    assert [line.get_label() for line in ax.get_lines()] == ["book (pytorch chapter)", "peer: P"]
    assert list(ax.get_lines()[0].get_xdata()) == [100 / 1e6, 200 / 1e6], "step 0 left out"


def test_stored_says_what_to_do_when_missing_or_wrong(tmp_path, monkeypatch):
    monkeypatch.setattr(urllib.request, "urlopen", _no_network)
    with pytest.raises(stored_peers.PeerResultUnavailable, match="Reinstall companion"):
        stored_peers.stored("absent.json", folder=tmp_path)
    with pytest.raises(stored_peers.PeerResultUnavailable, match="corrupt"):
        stored_peers.stored("r.json", folder=_fake(tmp_path, "{not json"))
    with pytest.raises(ValueError, match="no book track for 'tensorflow'"):
        stored_peers.table(
            stored_peers.stored(
                "r.json",
                folder=_fake(tmp_path, json.dumps({"peer_track": [], "book": {"pytorch": {}}})),
            ),
            "tensorflow",
        )
    with pytest.raises(stored_peers.PeerResultUnavailable, match="lacks peer_track"):
        stored_peers.stored("r.json", folder=_fake(tmp_path, '{"peer": 1}'))


def test_show_prints_the_comparison_or_why_it_cannot(tmp_path, monkeypatch, capsys):
    result = {"peer": "P: x", "data": "d", "device": "cpu", "train_seconds": 12.0}
    result |= {"peer_track": [[100, 20.0]], "book": {"pytorch": {"track": [[100, 5.0]]}}}
    monkeypatch.setattr(stored_peers, "RESULTS", _fake(tmp_path, json.dumps(result)))
    monkeypatch.setattr(stored_peers.plt, "show", lambda: None)
    assert stored_peers.show("r.json", "pytorch") == result
    out = capsys.readouterr().out
    assert "peer: P: x" in out and "cpu, 12 s of training" in out and "0.25" in out
    monkeypatch.setattr(urllib.request, "urlopen", _no_network)
    assert stored_peers.show("absent.json", "pytorch") is None
    assert "Reinstall companion" in capsys.readouterr().out


def test_the_peer_results_ship_inside_the_package():
    """An installed companion (Colab) reads its peer results from its own folder: the package
    names no path outside itself and no URL."""
    import companion

    source = Path(stored_peers.__file__).read_text()
    assert "http" not in source and "urllib" not in source
    assert stored_peers.RESULTS.parent == Path(companion.__file__).parent
    assert {p.name for p in stored_peers.RESULTS.glob("*.json")} == {
        "peer_mlp_article.json",
        "peer_dcgan_tutorial.json",
    }


def test_each_peer_is_the_one_the_registry_sets_beside_its_chapter(peers):
    """bench/peers.py writes the file that chapters/registry.yml (and so the results page) reads."""
    registry = book("registry")
    for peer in peers.PEERS.values():
        assert registry.chapter(peer.chapter).peer["file"] == peer.file, peer.chapter
