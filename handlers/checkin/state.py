"""The check-in's open question (the guide without a timer, offered), and the check-in of this turn."""

from ask_sdk_core.handler_input import HandlerInput

from handlers.base import session
from skill.context import turn_of
from skill.store import Store
from skill.store.checkins import CheckIn, Kind
from skill.vocabulary import RequestKey, SessionKey

OFFER_GUIDE = "checkin.offer_guide"
STATES = (OFFER_GUIDE,)
SESSION_KEYS = (SessionKey.CHECKIN_OFFERED_MINUTES, SessionKey.CHECKIN_OFFERED_KIND)


def offer_guide(handler_input: HandlerInput, minutes: int, kind: Kind) -> None:
    """Open the question "shall I guide you without a timer?" for a check-in of `minutes`, of a kind."""
    session(handler_input)[SessionKey.STATE] = OFFER_GUIDE
    session(handler_input)[SessionKey.CHECKIN_OFFERED_MINUTES] = minutes
    session(handler_input)[SessionKey.CHECKIN_OFFERED_KIND] = kind.value


def offering_guide(handler_input: HandlerInput) -> bool:
    return session(handler_input).get(SessionKey.STATE) == OFFER_GUIDE


def leave_offer(handler_input: HandlerInput) -> tuple[int, Kind]:
    """Forget the offer; the length and the kind of check-in it was made for (an offer without a kind,
    from an earlier release, was for a daily one)."""
    attributes = session(handler_input)
    attributes.pop(SessionKey.STATE, None)
    minutes = attributes.pop(SessionKey.CHECKIN_OFFERED_MINUTES, 0)
    kind = attributes.pop(SessionKey.CHECKIN_OFFERED_KIND, None)
    return (
        minutes if isinstance(minutes, int) else 0,
        Kind(kind) if kind in {known.value for known in Kind} else Kind.DAILY,
    )


def current_checkin(handler_input: HandlerInput, store: Store) -> CheckIn | None:
    """The check-in still going (or paused), looked up at most once a turn."""
    attributes = handler_input.attributes_manager.request_attributes
    if RequestKey.CURRENT_CHECKIN not in attributes:
        turn = turn_of(handler_input)
        latest = store.checkins.latest(turn.household)
        attributes[RequestKey.CURRENT_CHECKIN] = latest if latest and latest.is_current(turn.now) else None
    return attributes[RequestKey.CURRENT_CHECKIN]
