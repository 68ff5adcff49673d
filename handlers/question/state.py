"""The question on the table in this session: what "another one", "repeat", "skip" and help act on."""

from enum import StrEnum
from typing import Any

from ask_sdk_core.handler_input import HandlerInput

from content.questions import question_bank
from handlers.base import session
from skill.vocabulary import SessionKey


class Mode(StrEnum):
    """Where the question on the table came from, which decides what "another one" means."""

    TONIGHT = "tonight"
    ROTATION = "rotation"
    DECK = "deck"
    THIRTY_SIX = "thirty_six"


def on_table(handler_input: HandlerInput) -> dict[str, Any] | None:
    """The question on the table ({mode, id, deck?}), if it is one we still have."""
    context = session(handler_input).get(SessionKey.QUESTION_ON_TABLE)
    if not isinstance(context, dict) or question_bank().question(str(context.get("id"))) is None:
        return None
    return context


def put_on_table(handler_input: HandlerInput, context: dict[str, str], question_id: str) -> None:
    """Remember the question just asked, and where it came from."""
    session(handler_input)[SessionKey.QUESTION_ON_TABLE] = {**context, "id": question_id}


def in_question_context(handler_input: HandlerInput) -> bool:
    """Whether the last thing this session did was ask a question."""
    return on_table(handler_input) is not None
