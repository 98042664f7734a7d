"""Early stopping that keeps the best model seen, for any framework.

A GAN's losses do not say when the generator is good: they measure a game, not the samples. So
the chapters stop on a *distance* between generated and real data, measured every few steps,
and keep a copy of the generator at its best distance (not the last one, which may have drifted).

Framework-neutral: the caller passes a function that snapshots the model, e.g.
``lambda: copy.deepcopy(G.state_dict())`` in PyTorch or ``G.get_weights`` in Keras.
"""

from __future__ import annotations

import math
from typing import Callable, Generic, TypeVar

__all__ = ["EarlyStopping"]

State = TypeVar("State")


class EarlyStopping(Generic[State]):
    """Stop when a distance has not improved for ``patience`` checks; remember the best state.

    Args:
        patience: how many checks in a row without improvement end training (counted in
            checks, not steps: with a check every 50 steps, patience 20 waits 1,000 steps).
        min_delta: an improvement must lower the best distance by more than this.

    Attributes:
        best: the lowest distance seen so far (``inf`` before the first check).
        best_state: what ``snapshot`` returned at the best check (``None`` until then).
        best_check: index of the check with the best distance (``-1`` before the first).
        checks: how many checks have been recorded.
        waited: checks since the last improvement.
        history: every distance passed to :meth:`update`, in order.

    Example::

        stopper = EarlyStopping(patience=20)
        for step in range(max_steps):
            train_step()
            if step % 50 == 0 and stopper.update(distance(), snapshot=G_weights):
                break
        restore(stopper.best_state)
    """

    def __init__(self, patience: int, min_delta: float = 0.0) -> None:
        if isinstance(patience, bool) or not isinstance(patience, int) or patience < 1:
            raise ValueError(f"patience must be a whole number >= 1, got {patience!r}.")
        if not min_delta >= 0:
            raise ValueError(f"min_delta must be >= 0, got {min_delta!r}.")
        self.patience = patience
        self.min_delta = float(min_delta)
        self.best: float = math.inf
        self.best_state: State | None = None
        self.best_check: int = -1
        self.checks: int = 0
        self.waited: int = 0
        self.history: list[float] = []

    def update(self, distance: float, snapshot: Callable[[], State] | None = None) -> bool:
        """Record one check; return ``True`` when training should stop.

        Args:
            distance: the current distance (lower is better). NaN counts as no improvement.
            snapshot: called only when ``distance`` is a new best; its result is kept in
                :attr:`best_state`.
        """
        distance = float(distance)
        self.history.append(distance)
        if distance < self.best - self.min_delta:  # False for NaN
            self.best, self.best_check, self.waited = distance, self.checks, 0
            if snapshot is not None:
                self.best_state = snapshot()
        else:
            self.waited += 1
        self.checks += 1
        return self.waited >= self.patience

    @property
    def stopped(self) -> bool:
        """Whether the patience has run out."""
        return self.waited >= self.patience

    def __repr__(self) -> str:
        return (
            f"EarlyStopping(best={self.best:.4g} at check {self.best_check}, "
            f"waited {self.waited}/{self.patience}, checks={self.checks})"
        )
