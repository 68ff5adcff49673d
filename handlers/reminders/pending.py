"""What a reminder's open question waits on: the draft under REMINDER_PENDING, and the AskFor token that
carries a confirmed reminder through Alexa's permission question."""

from datetime import time

from ask_sdk_core.handler_input import HandlerInput

from handlers.base import session
from handlers.reminders.draft import Draft, Ritual
from handlers.reminders.state import STATES, TOKEN_PREFIX
from skill.reminders import Days, Schedule
from skill.vocabulary import SessionKey


def asking(handler_input: HandlerInput, state: str, draft: Draft) -> None:
    """Open one of the feature's questions, keeping what it waits on."""
    session(handler_input)[SessionKey.STATE] = state
    session(handler_input)[SessionKey.REMINDER_PENDING] = draft.to_session()


def pending(handler_input: HandlerInput) -> Draft:
    """The draft an open question of ours waits on (an empty one when none is open)."""
    if session(handler_input).get(SessionKey.STATE) not in STATES:
        return Draft()
    return Draft.from_session(session(handler_input).get(SessionKey.REMINDER_PENDING))


def done(handler_input: HandlerInput) -> None:
    """Close our question: nothing is waiting any more."""
    attributes = session(handler_input)
    if attributes.get(SessionKey.STATE) in STATES:
        attributes.pop(SessionKey.STATE, None)
    attributes.pop(SessionKey.REMINDER_PENDING, None)


def token_for(ritual: Ritual, schedule: Schedule) -> str:
    """The AskFor token for a confirmed reminder: "reminders:checkin:DAILY:2030"."""
    return f"{TOKEN_PREFIX}{ritual.value}:{schedule.days.value}:{schedule.at.strftime('%H%M')}"


def from_token(token: str) -> tuple[Ritual, Schedule] | None:
    """The confirmed reminder an AskFor token carries, if it carries one."""
    ritual, _, rest = token.removeprefix(TOKEN_PREFIX).partition(":")
    days, _, clock = rest.partition(":")
    if ritual not in tuple(Ritual) or days not in tuple(Days) or not (len(clock) == 4 and clock.isdigit()):
        return None
    hour, minute = int(clock[:2]), int(clock[2:])
    if hour > 23 or minute > 59:
        return None
    return Ritual(ritual), Schedule(Days(days), time(hour, minute))
