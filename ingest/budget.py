"""A parse budget per file: how long parsing may take and how many indicators a report may hold.

A file over its budget fails with the reason instead of stalling the run. Pure: no Django.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from ingest.types import ReadError


class OverBudget(ReadError):
    """A file that would cost more than its parse budget (time or indicators); says which."""


@dataclass(frozen=True)
class Budget:
    """How much one file may cost: seconds of parsing and number of indicators (None: no limit)."""

    seconds: float | None = None
    indicators: int | None = None

    def deadline(self) -> float | None:
        """The monotonic clock time by which parsing must be done."""
        return None if self.seconds is None else time.monotonic() + self.seconds

    def check_time(self, deadline: float | None, step: str) -> None:
        """Raise OverBudget when the deadline has passed (checked between parsing steps)."""
        if deadline is not None and time.monotonic() > deadline:
            raise OverBudget(
                f"over the parse budget: not parsed within {self.seconds:g} s (at {step})"
            )

    def check_indicators(self, count: int) -> None:
        """Raise OverBudget for more indicators than one report may hold."""
        if self.indicators is not None and count > self.indicators:
            raise OverBudget(
                f"over the parse budget: {count:,} indicators, more than {self.indicators:,}"
            )


NO_BUDGET = Budget()
