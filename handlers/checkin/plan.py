"""How long a check-in will be: its kind's usual length unless asked otherwise, within its kind's bounds
(the daily check-in: 20 minutes, 5 to 60)."""

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

DEFAULT_MINUTES = 20
MIN_MINUTES = 5
MAX_MINUTES = 60


class Adjustment(StrEnum):
    """Why the length we use is not the length that was asked for."""

    NONE = "none"
    UNHEARD = "unheard"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"


@dataclass(frozen=True)
class Bounds:
    """A kind of check-in's usual length, and the shortest and longest it is timed for, in minutes."""

    usual: int
    shortest: int
    longest: int


DAILY = Bounds(DEFAULT_MINUTES, MIN_MINUTES, MAX_MINUTES)


@dataclass(frozen=True)
class Plan:
    """How long a check-in will be, and whether that differs from what was asked."""

    minutes: int
    adjustment: Adjustment = Adjustment.NONE

    @property
    def length(self) -> timedelta:
        return timedelta(minutes=self.minutes)


def plan(asked: timedelta | None, slot_filled: bool, bounds: Bounds = DAILY) -> Plan:
    """The length to use: the usual one if none was asked for, otherwise what was asked within bounds."""
    if asked is None:
        return Plan(bounds.usual, Adjustment.UNHEARD if slot_filled else Adjustment.NONE)
    minutes = int(asked.total_seconds() // 60 + (asked.total_seconds() % 60 >= 30))
    if minutes < bounds.shortest:
        return Plan(bounds.shortest, Adjustment.TOO_SHORT)
    if minutes > bounds.longest:
        return Plan(bounds.longest, Adjustment.TOO_LONG)
    return Plan(minutes)
