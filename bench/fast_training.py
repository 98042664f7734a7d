"""Every row of chapter 11's speed table in one run: images/s, median and spread, as JSON.

Not a test: a measurement. The rows (the source article's loop, chapter 6's loop, a larger
batch, mixed precision, channels-last, ``torch.compile``, CUDA graphs, all together) and the way
they are timed (a warm-up that includes compilation, rounds in which every row runs once in turn,
the median of the rounds and their range, speed-ups as medians of per-round ratios) are the
chapter's own: this script runs the chapter's code cells from ``chapters/11_fast_pytorch.ipynb``
(or ``11_fast_tensorflow.ipynb`` with ``--framework tensorflow``, whose rows are TensorFlow's)
up to its table (``bench/chapter_code.py``), in the full profile, so the benchmark and the
chapter cannot drift apart. The quality runs and the distributed part of the chapter are not
run. It writes ``bench/results/fast_<framework>_<device>.json`` with the device name, the
device plan and library versions, and prints one line per row.

    python bench/fast_training.py                   # the best device here, 5 rounds
    python bench/fast_training.py --rounds 7 --round-images 25600
    python bench/fast_training.py --framework tensorflow
    GAN_BOOK_PRECISION=float16 python bench/fast_training.py \
        --rows "+ float16" "all together"           # a T4's recipe, on any GPU

Run it on an otherwise idle machine; the data folder is ``GAN_BOOK_DATA`` (see
``companion.settings``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import time
from pathlib import Path

import chapter_code

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = {
    "pytorch": ROOT / "chapters" / "11_fast_pytorch.ipynb",
    "tensorflow": ROOT / "chapters" / "11_fast_tensorflow.ipynb",
}
RESULTS = ROOT / "bench" / "results"
#: the chapter's section after the speed table; its cells are not run here
STOP_AT = "## Faster, and still as good?"
#: the rows every speed-up is measured against (by the start of their names; TensorFlow's is
#: "article's loop (eager)"), timed whatever ``--rows`` asks for
REFERENCES = ("article's loop", "chapter 6's loop")


def measuring_cells(chapter: Path = CHAPTERS["pytorch"]) -> list[chapter_code.Cell]:
    """The chapter's code cells before :data:`STOP_AT`, without the Colab install cell."""
    try:
        cells = chapter_code.cells_before(chapter, STOP_AT)
    except ValueError as error:
        raise SystemExit(f"{error}: update bench/fast_training.py") from error
    return [cell for cell in cells if "google.colab" not in cell.source]


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--framework", choices=sorted(CHAPTERS), default="pytorch")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds per row")
    parser.add_argument("--round-images", type=int, default=12_800, help="images per round")
    parser.add_argument("--out", type=Path, default=None, help="JSON file")
    parser.add_argument("--profile", default="full", help="the chapter's profile (tests: smoke)")
    parser.add_argument(
        "--rows", nargs="+", default=None, help="time only these rows (and the two references)"
    )
    args = parser.parse_args(argv)
    if args.rounds < 2 or args.round_images < 256:
        parser.error("--rounds must be at least 2 and --round-images at least 256")
    if args.profile not in ("full", "smoke"):
        parser.error(f"--profile {args.profile!r}: use 'full' or 'smoke'")
    os.environ["GAN_BOOK_PROFILE"] = args.profile
    chapter = CHAPTERS[args.framework]

    def own_sizes(cell: chapter_code.Cell, namespace: dict) -> None:
        defined = chapter_code.names_defined(cell)
        if "ROUNDS" in defined:  # the settings cell: this run's own rounds
            namespace["ROUNDS"], namespace["ROUND_IMAGES"] = args.rounds, args.round_images
        if args.rows and "ROWS" in defined:  # the rows cell: only those asked for
            rows = namespace["ROWS"]
            unknown = sorted(set(args.rows) - set(rows))
            if unknown:
                raise SystemExit(f"--rows: no row {unknown}; the chapter's rows: {list(rows)}")
            # the speed-ups are against the references, so they are always timed
            keep = {k for k in rows if k in args.rows or k.startswith(REFERENCES)}
            namespace["ROWS"] = {k: v for k, v in rows.items() if k in keep}
            skipped = namespace.get("skipped", {})
            namespace["skipped"] = {k: v for k, v in skipped.items() if k in keep}

    namespace = chapter_code.new_namespace("chapter_11")
    chapter_code.run_cells(measuring_cells(chapter), namespace, chapter.name, own_sizes)
    torch = namespace.get("torch")
    result = {
        "framework": args.framework,
        "device": namespace["describe_device"](namespace["device"]),
        "plan": namespace["plan"].describe() if "plan" in namespace else None,
        "rounds": args.rounds,
        "round_images": args.round_images,
        "rows": namespace["table"],
        "rounds_images_per_s": {k: [round(r, 1) for r in v] for k, v in namespace["rates"].items()},
        "skipped": namespace.get("skipped", {}),
        "graph_skips": namespace.get("graph_skips", {}),
        "warm_up_s": {
            k: round(v, 1)
            for k, v in namespace.get("compile_s", namespace.get("warm_up_s")).items()
        },
        "versions": namespace["settings"].library_versions(),
        "torch_threads": torch.get_num_threads() if torch else None,
        "when_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    out = args.out or RESULTS / (
        f"fast_{args.framework}_"
        + re.sub(r"[^A-Za-z0-9]+", "_", result["device"]).strip("_")[:60]
        + ".json"
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"-> {out}")
    return result


if __name__ == "__main__":
    main()
