"""The household context of one turn: who is asking, when, and where (built once per request)."""

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from ask_sdk_core.handler_input import HandlerInput

from skill.alexa_api import device_time_zone
from skill.store.profile import voice_key
from skill.vocabulary import RequestKey


def household_id(user_id: str) -> str:
    """A stable, non-reversible id for an Alexa account: the raw user id never reaches storage or logs."""
    return hashlib.sha256(user_id.encode("utf-8")).hexdigest()[:32]


class UnknownHouseholdError(Exception):
    """The request names no Alexa account, so there is no household whose data we may touch."""


@dataclass
class Turn:
    """What every handler may need to know about the request in hand. `person_id` is the recognised
    voice's digest (see `voice_key`): the raw personId, like the user id, goes no further than here."""

    household: str
    now: datetime
    locale: str
    person_id: str | None
    handler_input: HandlerInput = field(repr=False)
    _time_zone: ZoneInfo | None = field(default=None, repr=False)

    def time_zone(self) -> ZoneInfo:
        """The device's time zone, asked of Alexa at most once a turn and only when a handler needs it."""
        if self._time_zone is None:
            self._time_zone = device_time_zone(self.handler_input)
        return self._time_zone

    def local_now(self) -> datetime:
        """Alexa's clock for this request, in the household's own time zone."""
        return self.now.astimezone(self.time_zone())


def _request_time(handler_input: HandlerInput) -> datetime:
    stamp = handler_input.request_envelope.request.timestamp
    if stamp is None:
        return datetime.now(UTC)
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def build_turn(handler_input: HandlerInput) -> Turn:
    """Read the household, time and speaker out of the request envelope."""
    envelope = handler_input.request_envelope
    system = envelope.context.system if envelope.context else None
    if system is None or system.user is None or not system.user.user_id:
        raise UnknownHouseholdError
    person = system.person
    return Turn(
        household=household_id(system.user.user_id),
        now=_request_time(handler_input),
        locale=handler_input.request_envelope.request.locale or "en-US",
        person_id=voice_key(person.person_id) if person and person.person_id else None,
        handler_input=handler_input,
    )


def remember_turn(handler_input: HandlerInput, turn: Turn) -> None:
    """Keep the turn on the request so every handler reads the same one."""
    handler_input.attributes_manager.request_attributes[RequestKey.TURN] = turn


def turn_of(handler_input: HandlerInput) -> Turn:
    """The turn the request interceptor built (built here if a handler runs without it, as in events)."""
    attributes = handler_input.attributes_manager.request_attributes
    if RequestKey.TURN not in attributes:
        attributes[RequestKey.TURN] = build_turn(handler_input)
    return attributes[RequestKey.TURN]
