"""Results as data: verdict lines and run summaries that carry their numbers with them.

A training chapter sets each measure beside the bar its full run asserts and a stretch target it
only prints (:class:`Verdict`), and ends with one line saying where, on what and for how long it
ran (:class:`RunSummary`). Both print as the line a reader reads. Shown with IPython's
``display`` they also store their numbers in the notebook: the output's data is the
``text/plain`` line, and its metadata holds the numbers as JSON under a MIME type of their own
(:data:`VERDICT_MIME`, :data:`RUN_MIME`). Jupyter, Colab and the rendered book show the line (the
metadata is not rendered, so no viewer has to know the type), and programs read the numbers with
:func:`read_notebook` instead of parsing text. The book's results page, its tests and
``scripts/compare_runs.py`` do.

Example::

    >>> v = Verdict("FD / baseline", 21.3, bar=35, target=8)
    >>> print(v)
    FD / baseline 21.30: bar <= 35 met; target <= 8 not reached
    >>> v.bar_met, v.target_reached
    (True, False)

and, in a notebook, ``display(v)`` shows the same line and stores ``v.to_json()`` beside it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

__all__ = ["VERDICT_MIME", "RUN_MIME", "Verdict", "RunSummary", "StoredResults", "read_notebook"]

#: key of a verdict's data in a notebook output's metadata (JSON of :meth:`Verdict.to_json`)
VERDICT_MIME = "application/vnd.gan-book.verdict+json"
#: key of a run summary's data in a notebook output's metadata (JSON of :meth:`RunSummary.to_json`)
RUN_MIME = "application/vnd.gan-book.run+json"


@dataclass(frozen=True)
class Verdict:
    """One measure set beside the bar a chapter asserts and its stretch target.

    A missed target is reported in words, never as an error: a chapter asserts only the bar.

    Attributes:
        measure: what was measured, e.g. ``"FD / baseline"``.
        value: the measured number.
        bar: the limit the full run asserts (``value <= bar``, or ``>=``, see below).
        target: the stretch target, printed and never asserted.
        lower_is_better: ``True`` for ``<=`` limits (distances), ``False`` for ``>=`` (accuracy).
        fmt: format of ``value`` in the line, e.g. ``".3f"``.
        variant: the model the measure belongs to when a chapter compares several (``"one-hot"``);
            its line is indented under the chapter's header for that model.
        asserted: whether the full run asserts the bar of this line (``False``: printed only,
            e.g. for a model that is not the chapter's best).
        reference: what a relative target is relative to, in words (``"1.5× below ..."``).
        spread: ``(min, max)`` of the value over the evaluation's random splits, if it has them.
    """

    measure: str
    value: float
    bar: float
    target: float
    lower_is_better: bool = True
    fmt: str = ".2f"
    variant: str = ""
    asserted: bool = True
    reference: str = ""
    spread: tuple[float, float] | None = None

    def __post_init__(self) -> None:  # NumPy scalars in, plain floats out (JSON, equality)
        for name in ("value", "bar", "target"):
            object.__setattr__(self, name, float(getattr(self, name)))
        if self.spread is not None:
            object.__setattr__(self, "spread", tuple(float(x) for x in self.spread))

    @property
    def sign(self) -> str:
        """``"<="`` or ``">="``: how ``value`` must compare with ``bar`` and ``target``."""
        return "<=" if self.lower_is_better else ">="

    def _ok(self, limit: float) -> bool:
        return self.value <= limit if self.lower_is_better else self.value >= limit

    @property
    def bar_met(self) -> bool:
        """Whether ``value`` is within the bar (what the full run asserts when ``asserted``)."""
        return self._ok(self.bar)

    @property
    def target_reached(self) -> bool:
        """Whether ``value`` reaches the stretch target (printed, never asserted)."""
        return self._ok(self.target)

    def line(self) -> str:
        """``"FD / baseline 21.30: bar <= 35 met; target <= 8 not reached"``."""
        return (
            f"{self.measure} {self.value:{self.fmt}}: bar {self.sign} {self.bar:g} "
            f"{'met' if self.bar_met else 'NOT met'}; target {self.sign} {self.target:g} "
            f"{'reached' if self.target_reached else 'not reached'}"
        )

    def text(self) -> str:
        """The line as a notebook shows it: indented under its variant's header, if any."""
        return f"  {self.line()}" if self.variant else self.line()

    def __str__(self) -> str:
        return self.line()

    def to_json(self) -> dict:
        """The fields as a JSON-ready dict (``spread`` as a list or ``None``)."""
        data = asdict(self)
        data["spread"] = list(self.spread) if self.spread is not None else None
        return data

    @classmethod
    def from_json(cls, data: dict) -> Verdict:
        """The verdict whose :meth:`to_json` is ``data``."""
        return cls(**data)

    def _repr_mimebundle_(self, include=None, exclude=None) -> tuple[dict, dict]:
        return {"text/plain": self.text()}, {VERDICT_MIME: self.to_json()}


@dataclass(frozen=True)
class RunSummary:
    """Where and how a run ran, as one line and as data (``RunReport.summary`` makes it).

    Attributes:
        profile: ``"full"`` or ``"smoke"``.
        device: what the chapter computed on (``"cpu (2 cores, x86_64) torch_threads=2"``).
        wall_s: seconds of wall time from the chapter's first cell to this line, to 0.1 s.
        versions: Python's and the numerical libraries' versions, name -> version.
        facts: the chapter's own facts, name -> value (``{"steps": 40000, "fd_ratio": "15.33"}``).
    """

    profile: str
    device: str
    wall_s: float
    versions: dict = field(default_factory=dict)
    facts: dict = field(default_factory=dict)

    def line(self) -> str:
        """``"profile=full device=cpu (2 cores, x86_64) wall=83.2s python=3.11.7 ... steps=40"``."""
        parts = [f"profile={self.profile}", f"device={self.device}", f"wall={self.wall_s:.1f}s"]
        parts += [f"{k}={v}" for k, v in {**self.versions, **self.facts}.items()]
        return " ".join(parts)

    def __str__(self) -> str:
        return self.line()

    def to_json(self) -> dict:
        """The fields as JSON; ``versions`` and ``facts`` as ``[name, value]`` pairs, because
        notebook files sort the keys of JSON objects and the line keeps their order."""
        data = asdict(self)
        data["versions"], data["facts"] = (
            list(map(list, d.items())) for d in (self.versions, self.facts)
        )
        return data

    @classmethod
    def from_json(cls, data: dict) -> RunSummary:
        """The summary whose :meth:`to_json` is ``data``."""
        pairs = {k: dict(map(tuple, data[k])) for k in ("versions", "facts")}
        return cls(**{**data, **pairs})

    def _repr_mimebundle_(self, include=None, exclude=None) -> tuple[dict, dict]:
        return {"text/plain": self.line()}, {RUN_MIME: self.to_json()}


@dataclass(frozen=True)
class StoredResults:
    """What a notebook's stored outputs hold as data, in output order."""

    verdicts: list[Verdict]
    runs: list[RunSummary]

    @property
    def run(self) -> RunSummary | None:
        """The last run summary (a chapter prints one, at its end), or ``None``."""
        return self.runs[-1] if self.runs else None


def read_notebook(path: str | Path) -> StoredResults:
    """The verdicts and run summaries stored in the outputs of a notebook (``.ipynb``) file.

    Each one is read from its JSON in an output's metadata, and the ``text/plain`` line stored in
    that output's data must be the line that JSON prints: a notebook edited by hand, or written by
    another version of this module, in which the two disagree raises ``ValueError`` naming the
    cell.
    """
    path = Path(path)
    try:
        cells = json.loads(path.read_text())["cells"]
    except (OSError, ValueError, KeyError) as error:
        raise ValueError(f"{path} is not a readable notebook (.ipynb): {error}") from error
    verdicts, runs = [], []
    for index, cell in enumerate(cells):
        for out in cell.get("outputs", []):
            data, meta = out.get("data", {}), out.get("metadata", {})
            for mime, kind, found in (
                (VERDICT_MIME, Verdict, verdicts),
                (RUN_MIME, RunSummary, runs),
            ):
                if mime not in meta:
                    continue
                record = kind.from_json(meta[mime])
                shown = "".join(data.get("text/plain", ""))
                expected = record.text() if kind is Verdict else record.line()
                if shown != expected:
                    raise ValueError(
                        f"{path}, cell {index}: the stored line {shown!r} is not what its data "
                        f"prints ({expected!r}); rerun the cell instead of editing its output"
                    )
                found.append(record)
    return StoredResults(verdicts, runs)
