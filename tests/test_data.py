"""companion.data: verified loading, downloading, clear errors, and the fallback rule."""

from __future__ import annotations

import dataclasses
import functools
import gzip
import hashlib
import http.server
import threading
from pathlib import Path

import numpy as np
import pytest

from companion import data
from tests.conftest import ROOT, write_idx

UNREACHABLE = (
    "http://127.0.0.1:9/"  # the discard port on loopback: refused at once, no network used
)


def _fake_dataset(
    monkeypatch, folder: Path, n: int = 5, mirrors=(UNREACHABLE,), splits=("train", "test")
):
    """Write tiny IDX files and register their checksums as the 'mnist' dataset."""
    rng = np.random.default_rng(0)
    sha = {}
    for split in splits:
        prefix = {"train": "train", "test": "t10k"}[split]
        images = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
        labels = rng.integers(0, 10, size=(n,), dtype=np.uint8)
        for kind, arr in (("images-idx3", images), ("labels-idx1", labels)):
            name = f"{prefix}-{kind}-ubyte.gz"
            write_idx(folder / "mnist" / name, arr)
            sha[name] = hashlib.sha256(
                gzip.decompress((folder / "mnist" / name).read_bytes())
            ).hexdigest()
    fake = dataclasses.replace(
        data.DATASETS["mnist"],
        mirrors=tuple(mirrors),
        sha256={**data.DATASETS["mnist"].sha256, **sha},
    )
    monkeypatch.setitem(data.DATASETS, "mnist", fake)
    return fake


def test_load_returns_uint8_arrays(data_dir, monkeypatch):
    _fake_dataset(monkeypatch, data_dir, n=7)
    images, labels = data.load("mnist", "test")
    assert images.shape == (7, 28, 28) and images.dtype == np.uint8
    assert labels.shape == (7,) and labels.dtype == np.uint8


def test_truncated_file_gives_clear_error(data_dir, monkeypatch):
    _fake_dataset(monkeypatch, data_dir)
    path = data_dir / "mnist" / "t10k-images-idx3-ubyte.gz"
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(data.DataError) as info:
        data.load("mnist", "test")
    message = str(info.value)
    assert "t10k-images-idx3-ubyte.gz" in message and str(path.parent) in message
    assert "corrupt or truncated" in message and "Delete" in message


def test_wrong_content_gives_checksum_error(data_dir, monkeypatch):
    _fake_dataset(monkeypatch, data_dir)
    write_idx(data_dir / "mnist" / "t10k-labels-idx1-ubyte.gz", np.zeros(5, np.uint8))
    with pytest.raises(data.DataError, match="SHA-256 .* expected"):
        data.load("mnist", "test")


def test_missing_file_without_network_names_file_and_remedy(data_dir, monkeypatch):
    _fake_dataset(monkeypatch, data_dir, splits=())
    with pytest.raises(data.DataError) as info:
        data.load("mnist", "test")
    message = str(info.value)
    assert "t10k-images-idx3-ubyte.gz" in message and str(data_dir / "mnist") in message
    assert "could not be downloaded" in message and "GAN_BOOK_DATA" in message


def test_missing_file_is_downloaded_and_verified(tmp_path, data_dir, monkeypatch):
    served = tmp_path / "server"
    _fake_dataset(monkeypatch, served, n=3)
    handler = functools.partial(
        http.server.SimpleHTTPRequestHandler, directory=str(served / "mnist")
    )
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        fake = data.DATASETS["mnist"]
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        monkeypatch.setitem(
            data.DATASETS, "mnist", dataclasses.replace(fake, mirrors=(UNREACHABLE, url))
        )
        images, labels = data.load("mnist", "train")
    finally:
        server.shutdown()
    assert images.shape == (3, 28, 28) and labels.shape == (3,)
    assert (data_dir / "mnist" / "train-images-idx3-ubyte.gz").exists()


def test_unknown_names_are_rejected():
    with pytest.raises(ValueError, match="Unknown dataset"):
        data.load("cifar", "train")
    with pytest.raises(ValueError, match="Unknown split"):
        data.load("mnist", "validation")


def test_full_profile_falls_back_loudly_when_train_split_is_absent(data_dir, monkeypatch):
    _fake_dataset(monkeypatch, data_dir, splits=("test",))
    monkeypatch.setenv("GAN_BOOK_PROFILE", "full")
    with pytest.warns(data.FallbackWarning, match="FALLBACK") as caught:
        loaded = data.load_for_training("mnist")
    assert "test split" in loaded.description and "FALLBACK" in loaded.description
    # what a stored notebook shows: no path of this machine, in the message or as its origin
    # (only the FallbackWarning: a ResourceWarning for the failed download's socket may be
    # collected inside this block, depending on when the garbage collector runs)
    shown = [str(w.message) + w.filename for w in caught if w.category is data.FallbackWarning]
    assert shown
    assert not any(str(data_dir) in text or "/" in text for text in shown), shown


def test_test_split_training_leaves_out_the_reference(data_dir, monkeypatch):
    _fake_dataset(monkeypatch, data_dir, n=9)
    monkeypatch.setenv("GAN_BOOK_PROFILE", "smoke")
    everything, _ = data.load("mnist", "test")
    loaded = data.load_for_training("mnist", exclude_test=np.array([1, 3, 5, 7]))
    assert len(loaded.images) == 5 and (loaded.images == everything[[0, 2, 4, 6, 8]]).all()
    assert "4 held-out reference images left out" in loaded.description


def test_corrupt_train_split_is_an_error_not_a_fallback(data_dir, monkeypatch):
    _fake_dataset(monkeypatch, data_dir)
    monkeypatch.setenv("GAN_BOOK_PROFILE", "full")
    (data_dir / "mnist" / "train-labels-idx1-ubyte.gz").write_bytes(b"not gzip")
    with pytest.raises(data.DataError, match="train-labels"):
        data.load_for_training("mnist")


def test_smoke_profile_uses_test_split_and_limit(data_dir, monkeypatch):
    _fake_dataset(monkeypatch, data_dir, n=9)
    monkeypatch.setenv("GAN_BOOK_PROFILE", "smoke")
    loaded = data.load_for_training("mnist", max_images=4)
    assert loaded.images.shape == (4, 28, 28)
    assert loaded.description == "mnist test split (4 images)"


def test_unit_range_round_trip():
    pixels = np.arange(256, dtype=np.uint8).reshape(16, 16)
    scaled = data.to_unit_range(pixels)
    assert scaled.dtype == np.float32 and scaled.min() == -1.0 and scaled.max() == 1.0
    np.testing.assert_array_equal(data.from_unit_range(scaled), pixels)
    assert data.from_unit_range(np.array([-3.0, 3.0])).tolist() == [0, 255]


SHARED = ROOT.parent / "shared" / "data"


@pytest.mark.skipif(
    not (SHARED / "fashion-mnist").exists(), reason="needs ../shared/data (present in CI)"
)
def test_real_offline_copies_verify(monkeypatch):
    monkeypatch.setenv("GAN_BOOK_DATA", str(SHARED))
    images, labels = data.load("fashion-mnist", "test", download=False)
    assert images.shape == (10_000, 28, 28) and np.bincount(labels).tolist() == [1000] * 10
    images, labels = data.load("mnist", "test", download=False)
    assert images.shape == (10_000, 28, 28) and labels.max() == 9


# --- issue 32: bad arguments are named instead of leaving the wrong images in, silently -------


@pytest.mark.parametrize(
    "exclude, message",
    [
        ([-1], r"exclude_test holds 1 index\(es\) outside 0\.\.8 .* the first -1 at position 0"),
        ([3, 9], r"outside 0\.\.8 \(the test split has 9 images\), the first 9 at position 1"),
        ([1.5], r"exclude_test must be a 1-D array of integer indices .* dtype float64"),
        ([True], r"exclude_test must be a 1-D array of integer indices .* dtype bool"),
    ],
)
def test_exclude_test_must_index_the_test_split(data_dir, monkeypatch, exclude, message):
    _fake_dataset(monkeypatch, data_dir, n=9)
    monkeypatch.setenv("GAN_BOOK_PROFILE", "smoke")
    with pytest.raises(ValueError, match=message):
        data.load_for_training("mnist", exclude_test=exclude)
    assert len(data.load_for_training("mnist", exclude_test=[]).images) == 9


@pytest.mark.parametrize("max_images", [-5, 0, 2.5])
def test_max_images_must_be_a_positive_int(data_dir, monkeypatch, max_images):
    _fake_dataset(monkeypatch, data_dir, n=9)
    monkeypatch.setenv("GAN_BOOK_PROFILE", "smoke")
    with pytest.raises(ValueError, match=r"max_images must be an integer of at least 1 or None"):
        data.load_for_training("mnist", max_images=max_images)


def test_unknown_dataset_of_another_type_is_named():
    with pytest.raises(ValueError, match=r"Unknown dataset \['mnist'\]"):
        data.load(["mnist"], "test")


def test_to_unit_range_refuses_floats_it_would_scale_twice():
    with pytest.raises(ValueError, match=r"scales uint8 pixels 0\.\.255; got dtype float32\. "):
        data.to_unit_range(np.zeros((2, 28, 28), np.float32))
    with pytest.raises(ValueError, match=r"got 300 at position 1 \(dtype int64\)"):
        data.to_unit_range(np.array([0, 300]))
    assert data.to_unit_range([0, 255]).tolist() == [-1.0, 1.0]  # ints in range are fine


def test_from_unit_range_refuses_pixels_and_nan():
    with pytest.raises(ValueError, match=r"got dtype uint8\. Integer images are most likely"):
        data.from_unit_range(np.zeros((2, 2), np.uint8))
    with pytest.raises(ValueError, match=r"got 1 NaN value\(s\), the first at index \(0, 1, 1\)"):
        data.from_unit_range(np.array([[[0.0, 0.0], [0.0, np.nan]]]))
