"""Turning spoken lines into Alexa responses, the same way everywhere."""

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response
from ask_sdk_model.ui import SimpleCard

from content.models import SpokenLine
from skill.speech import sentences, strip_tags
from skill.vocabulary import RequestKey

CARD_TITLE = "Closer Together"


def ask(handler_input: HandlerInput, speech: str, reprompt: str, card: str | None = None) -> Response:
    """Say something and keep the microphone open, with a reprompt if nobody answers."""
    builder = handler_input.response_builder.speak(speech).ask(reprompt)
    if card:
        builder.set_card(SimpleCard(title=CARD_TITLE, content=strip_tags(card)))
    return builder.set_should_end_session(False).response


def tell(handler_input: HandlerInput, speech: str, card: str | None = None) -> Response:
    """Say something and end the session."""
    builder = handler_input.response_builder.speak(speech)
    if card:
        builder.set_card(SimpleCard(title=CARD_TITLE, content=strip_tags(card)))
    return builder.set_should_end_session(True).response


def record_outcome(handler_input: HandlerInput, outcome: str) -> None:
    """Name what this turn did, for the one log line a turn (never any words that were said)."""
    handler_input.attributes_manager.request_attributes[RequestKey.OUTCOME] = outcome


def say_line(handler_input: HandlerInput, line: SpokenLine, *after: str, **fill: object) -> Response:
    """Speak a content line (then any further, already-safe sentences): it keeps the session open
    exactly when the line has a reprompt."""
    speech = sentences(line.speech.format(**fill), *after)
    if line.reprompt is None:
        return tell(handler_input, speech)
    return ask(handler_input, speech, line.reprompt.format(**fill))
