"""A check-in's timers at Alexa (one for each change of part, and one for the end): set together, changed
together, and read as the truth.

The end timer leads: a check-in stands or falls with it. A timer Alexa no longer has (404) rang or was
cancelled outside the skill ("Alexa, cancel the timer")."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from ask_sdk_core.handler_input import HandlerInput

from handlers.checkin.plan import Plan
from handlers.checkin.rituals import Ritual
from skill.context import turn_of
from skill.store.checkins import CheckIn, Status
from skill.timers import TimerApiError, Timers


@dataclass(frozen=True)
class Observed:
    """A check-in as it stands: time left, whether paused, and whether its end timer is gone at Alexa."""

    left: timedelta
    paused: bool
    gone: bool = False


def observe(handler_input: HandlerInput, checkin: CheckIn) -> Observed:
    """Time left and whether paused: from the end timer itself when Alexa can tell us, else our record.

    The timer wins because a household can also say "Alexa, pause the timer" without the skill; a timer
    Alexa no longer has (404) means the check-in is over."""
    now = turn_of(handler_input).now
    if checkin.end_timer:
        try:
            reading = Timers(handler_input).read(checkin.end_timer, now)
            return Observed(reading.remaining, reading.paused)
        except TimerApiError as error:
            if error.timer_gone:
                return Observed(timedelta(), paused=False, gone=True)
            # unreachable: our own record is the next best truth
    return Observed(checkin.remaining(now), checkin.status == Status.PAUSED)


def cancel_quietly(timers: Timers, timer_ids: list[str]) -> bool:
    """Cancel timers we no longer want; whether none of them can still go off."""
    cleared = True
    for timer_id in timer_ids:
        try:
            timers.cancel(timer_id)
        except TimerApiError as error:
            cleared = cleared and error.timer_gone
    return cleared


def set_timers(timers: Timers, ritual: Ritual, chosen: Plan) -> tuple[tuple[str, ...], str]:
    """The ids of the timers announcing each change of part (in order) and of the end timer; if one
    cannot be set, those already set are taken back."""
    *changes, end_announcement = ritual.announcements()
    parts = len(changes) + 1
    created: list[str] = []
    try:
        for part, announcement in enumerate(changes, start=1):
            created.append(timers.create(chosen.length * part / parts, ritual.label(), announcement))
        end = timers.create(chosen.length, ritual.label(), end_announcement)
    except TimerApiError:
        cancel_quietly(timers, created)
        raise
    return tuple(created), end


class Result(StrEnum):
    """What became of one timer when the skill tried to change it."""

    CHANGED = "changed"  # done (or there is no such timer: an untimed check-in)
    GONE = "gone"  # Alexa no longer has it (404): it rang, or was cancelled outside the skill
    REFUSED = "refused"  # any other failure: it is as it was


@dataclass(frozen=True)
class Change:
    """What pausing, resuming or cancelling a check-in's timers did to each of them: the end timer, and
    the timers of each change of part, in order (none tried when the end timer did not change)."""

    end: Result = Result.CHANGED
    parts: tuple[Result, ...] = ()

    @property
    def parts_refused(self) -> bool:
        """Whether a part timer could not be changed, and so is as it was."""
        return Result.REFUSED in self.parts


def _try(timers: Timers, change: Callable[[Timers, str], None], timer_id: str | None) -> Result:
    if timer_id is None:
        return Result.CHANGED
    try:
        change(timers, timer_id)
    except TimerApiError as error:
        return Result.GONE if error.timer_gone else Result.REFUSED
    return Result.CHANGED


def change_timers(
    handler_input: HandlerInput, checkin: CheckIn, change: Callable[[Timers, str], None]
) -> Change:
    """Pause, resume or cancel the end timer, then those of each change of part; they are left alone
    unless the end timer changed, as the check-in stands or falls with its end timer."""
    timers = Timers(handler_input)
    end = _try(timers, change, checkin.end_timer)
    if end is not Result.CHANGED:
        return Change(end=end)
    return Change(parts=tuple(_try(timers, change, timer_id) for timer_id in checkin.part_timers))
