"""Turning spoken lines into Alexa responses, the same way everywhere."""

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response
from ask_sdk_model.ui import SimpleCard

from content.models import SpokenLine
from skill.speech import strip_tags

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


def say_line(handler_input: HandlerInput, line: SpokenLine, **fill: str) -> Response:
    """Speak a content line: it keeps the session open exactly when it has a reprompt."""
    speech = line.speech.format(**fill)
    if line.reprompt is None:
        return tell(handler_input, speech)
    return ask(handler_input, speech, line.reprompt.format(**fill))
