"""How long a check-in will be: 20 minutes unless asked otherwise, within 5 to 60."""

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
class Plan:
    """How long a check-in will be, and whether that differs from what was asked."""

    minutes: int
    adjustment: Adjustment = Adjustment.NONE

    @property
    def length(self) -> timedelta:
        return timedelta(minutes=self.minutes)


def plan(asked: timedelta | None, slot_filled: bool) -> Plan:
    """The length to use: 20 minutes if none was asked for, otherwise what was asked within 5 to 60."""
    if asked is None:
        return Plan(DEFAULT_MINUTES, Adjustment.UNHEARD if slot_filled else Adjustment.NONE)
    minutes = int(asked.total_seconds() // 60 + (asked.total_seconds() % 60 >= 30))
    if minutes < MIN_MINUTES:
        return Plan(MIN_MINUTES, Adjustment.TOO_SHORT)
    if minutes > MAX_MINUTES:
        return Plan(MAX_MINUTES, Adjustment.TOO_LONG)
    return Plan(minutes)
