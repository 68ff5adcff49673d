"""The reminder a couple is asking for, from what they have said so far: which ritual, which days, what time.

Alexa fills the time slot (AMAZON.TIME) with "HH:MM", or with "MO", "AF", "EV" or "NI" for a part of the
day without a time. An hour said without "a.m." or "p.m." comes as the morning's ("half past eight" is
08:30), but these are evening rituals: an hour from one to eleven is taken as the evening's, unless the days
said were mornings ("every morning at seven").
"""

import re
from dataclasses import dataclass, replace
from datetime import time
from enum import StrEnum
from typing import Any

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_slot
from ask_sdk_model.slu.entityresolution import StatusCode

from skill.reminders import Days, Schedule
from skill.vocabulary import Slot

# A days slot's value id: a Days value, or one with this suffix for the mornings of those days.
MORNING_SUFFIX = "_MORNING"
_CLOCK = re.compile(r"^(?P<hour>[01]\d|2[0-3]):(?P<minute>[0-5]\d)$")
MORNING = "MO"  # the time slot's value for "in the morning" said without a time


class Ritual(StrEnum):
    """What a reminder is for (the ritual slot's value ids)."""

    CHECKIN = "checkin"
    QUESTION = "question"
    APPRECIATION = "appreciation"


def resolved_id(handler_input: HandlerInput, slot_name: Slot) -> str | None:
    """The id Alexa resolved a custom slot's words to, if she matched them to one of its values."""
    slot = get_slot(handler_input, slot_name)
    authorities = slot.resolutions.resolutions_per_authority if slot and slot.resolutions else None
    for authority in authorities or []:
        if authority.status and authority.status.code == StatusCode.ER_SUCCESS_MATCH and authority.values:
            return authority.values[0].value.id
    return None


def _heard(handler_input: HandlerInput, slot_name: Slot) -> bool:
    slot = get_slot(handler_input, slot_name)
    return bool(slot and (slot.value or "").strip())


def _ritual(value_id: str | None) -> Ritual | None:
    return Ritual(value_id) if value_id in tuple(Ritual) else None


def _days(value_id: str | None) -> tuple[Days | None, bool]:
    """The days a days slot's value id names, and whether it named their mornings."""
    base = (value_id or "").removesuffix(MORNING_SUFFIX)
    return (Days(base) if base in tuple(Days) else None), (value_id or "").endswith(MORNING_SUFFIX)


@dataclass(frozen=True)
class Draft:
    """What has been said of the reminder wanted. `clock` is the time as Alexa heard it ("08:30");
    `morning`, whether mornings were said; `days_unknown`: days were said that no
    reminder can have ("every other Tuesday"), so they must be asked for again; `ritual_unknown`: words
    were said for what to remind of that name no ritual ("the dishes"), so no reminder of ours is meant."""

    ritual: Ritual | None = None
    days: Days | None = None
    clock: str | None = None
    morning: bool = False
    days_unknown: bool = False
    ritual_unknown: bool = False

    @classmethod
    def heard(cls, handler_input: HandlerInput) -> "Draft":
        """What this request's slots say."""
        ritual = _ritual(resolved_id(handler_input, Slot.RITUAL))
        days, morning = _days(resolved_id(handler_input, Slot.DAYS))
        days_unknown = days is None and _heard(handler_input, Slot.DAYS)
        slot = get_slot(handler_input, Slot.TIME)
        said = (slot.value or "").strip() if slot else ""
        clock = said if _CLOCK.match(said) else None
        return cls(
            ritual=ritual,
            days=days,
            clock=clock,
            morning=morning or said == MORNING,
            days_unknown=days_unknown,
            ritual_unknown=ritual is None and _heard(handler_input, Slot.RITUAL),
        )

    def merged(self, newer: "Draft") -> "Draft":
        """This draft with what was said since: what was said again replaces what was said before."""
        days_said = newer.days is not None or newer.days_unknown
        return replace(
            self,
            ritual=newer.ritual or self.ritual,
            days=newer.days if days_said else self.days,
            days_unknown=newer.days_unknown if days_said else self.days_unknown,
            clock=newer.clock or self.clock,
            # Days said again bring their own part of the day; a time said alone keeps the one said before.
            morning=newer.morning if days_said else self.morning or newer.morning,
        )

    def at(self) -> time | None:
        """The wall-clock time wanted, if one was said: an hour from one to eleven is the evening's unless
        mornings were said."""
        match = _CLOCK.match(self.clock or "")
        if match is None:
            return None
        hour, minute = int(match["hour"]), int(match["minute"])
        if 1 <= hour <= 11 and not self.morning:
            hour += 12
        return time(hour, minute)

    def schedule(self) -> Schedule | None:
        """The schedule wanted, once a time was said (every day unless days were)."""
        at = self.at()
        if at is None or self.days_unknown:
            return None
        return Schedule(self.days or Days.DAILY, at)

    def to_session(self) -> dict[str, Any]:
        """The draft as session attributes hold it (JSON)."""
        return {
            "ritual": self.ritual.value if self.ritual else None,
            "days": self.days.value if self.days else None,
            "clock": self.clock,
            "morning": self.morning,
            "days_unknown": self.days_unknown,
        }

    @classmethod
    def from_session(cls, stored: object) -> "Draft":
        """A draft the session held (anything else, stale or tampered with, is an empty one)."""
        if not isinstance(stored, dict):
            return cls()
        days = stored.get("days")
        clock = stored.get("clock")
        return cls(
            ritual=_ritual(stored.get("ritual") if isinstance(stored.get("ritual"), str) else None),
            days=Days(days) if isinstance(days, str) and days in tuple(Days) else None,
            clock=clock if isinstance(clock, str) and _CLOCK.match(clock) else None,
            morning=stored.get("morning") is True,
            days_unknown=stored.get("days_unknown") is True,
        )
