"""The monthly check-in's open questions: shall I read two of the month's appreciations first, and shall I
try saving the plan again; and what they wait on."""

from typing import Any

from ask_sdk_core.handler_input import HandlerInput

from handlers.base import session
from skill.vocabulary import SessionKey

OFFER_HIGHLIGHTS = "monthly.offer_highlights"
CONFIRM_PLAN_RETRY = "monthly.confirm_plan_retry"
STATES = (OFFER_HIGHLIGHTS, CONFIRM_PLAN_RETRY)
SESSION_KEYS = (SessionKey.MONTHLY_MINUTES, SessionKey.MONTHLY_PENDING_PLAN)


def offer_highlights(handler_input: HandlerInput, minutes: int) -> None:
    """Ask whether to read two appreciations before a monthly check-in of `minutes` starts."""
    session(handler_input)[SessionKey.STATE] = OFFER_HIGHLIGHTS
    session(handler_input)[SessionKey.MONTHLY_MINUTES] = minutes


def leave_offer(handler_input: HandlerInput) -> int | None:
    """Forget the offer; the length it was made for (None if the session lost it)."""
    attributes = session(handler_input)
    attributes.pop(SessionKey.STATE, None)
    minutes = attributes.pop(SessionKey.MONTHLY_MINUTES, None)
    return minutes if isinstance(minutes, int) and not isinstance(minutes, bool) else None


def await_retry(handler_input: HandlerInput, sk: str, text: str) -> None:
    """Ask whether to try saving the plan again, keeping its key so a retry can only save it once."""
    session(handler_input)[SessionKey.STATE] = CONFIRM_PLAN_RETRY
    session(handler_input)[SessionKey.MONTHLY_PENDING_PLAN] = {"sk": sk, "text": text}


def pending_plan(handler_input: HandlerInput) -> dict[str, str] | None:
    """The plan waiting for a retry, if the session holds a well-formed one."""
    pending: Any = session(handler_input).get(SessionKey.MONTHLY_PENDING_PLAN)
    if isinstance(pending, dict) and all(isinstance(pending.get(key), str) for key in ("sk", "text")):
        return {"sk": pending["sk"], "text": pending["text"]}
    return None


def leave_retry(handler_input: HandlerInput) -> None:
    attributes = session(handler_input)
    attributes.pop(SessionKey.STATE, None)
    attributes.pop(SessionKey.MONTHLY_PENDING_PLAN, None)
