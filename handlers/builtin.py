"""Launch, help, stop, cancel, fallback, navigate home and session end."""

import json
import logging

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model import Response

from content import phrases
from handlers import Dependencies
from handlers.respond import say_line
from skill.context import turn_of
from skill.store import StoreUnavailableError

log = logging.getLogger(__name__)


class LaunchHandler(AbstractRequestHandler):
    """A warm welcome: the full one the first time, a short one after."""

    def __init__(self, deps: Dependencies) -> None:
        self.store = deps.store

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        try:
            profile = self.store.profile(turn.household)
            if profile.welcomed_at is not None:
                return say_line(handler_input, phrases().welcome_back)
            profile.welcomed_at = turn.now.isoformat()
            self.store.save_profile(turn.household, profile)
        except StoreUnavailableError:
            log.warning(json.dumps({"event": "profile_unavailable_on_launch"}))
        return say_line(handler_input, phrases().welcome)


class HelpHandler(AbstractRequestHandler):
    """What one can say, when no feature has a more particular answer for its state."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.HelpIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return say_line(handler_input, phrases().help)


class GoodbyeHandler(AbstractRequestHandler):
    """Stop, cancel and navigate home all end the session kindly."""

    INTENTS = ("AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent")

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return any(is_intent_name(name)(handler_input) for name in self.INTENTS)

    def handle(self, handler_input: HandlerInput) -> Response:
        handler_input.attributes_manager.session_attributes.clear()
        return say_line(handler_input, phrases().goodbye)


class FallbackHandler(AbstractRequestHandler):
    """Alexa heard words that fit none of our intents: say what works."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.FallbackIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return say_line(handler_input, phrases().fallback)


class SessionEndedHandler(AbstractRequestHandler):
    """Alexa closed the session; nothing may be spoken, only the reason logged."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        error = request.error
        log.info(
            json.dumps(
                {
                    "event": "session_ended",
                    "reason": request.reason.value if request.reason else None,
                    "error_type": error.object_type.value if error and error.object_type else None,
                }
            )
        )
        return handler_input.response_builder.response


class UnhandledHandler(AbstractRequestHandler):
    """Any intent or request no other handler took (an intent from a newer model, say): say what works."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> Response:
        return say_line(handler_input, phrases().fallback)


def handlers(deps: Dependencies) -> list[AbstractRequestHandler]:
    """The built-ins, the catch-all last."""
    return [
        LaunchHandler(deps),
        HelpHandler(),
        GoodbyeHandler(),
        FallbackHandler(),
        SessionEndedHandler(),
        UnhandledHandler(),
    ]
