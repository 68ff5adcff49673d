"""Launch, help, stop, cancel, fallback, navigate home and session end."""

import logging

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from content import phrases
from handlers.base import Feature, Handler, is_intent, is_request, session
from handlers.question.state import OFFER_TONIGHT
from handlers.respond import say_line
from skill.context import turn_of
from skill.logs import log_event
from skill.store.table import StoreUnavailableError
from skill.vocabulary import Intent, RequestType, SessionKey

log = logging.getLogger(__name__)


class LaunchHandler(Handler):
    """A warm welcome: the full one the first time, a short one after; both offer tonight's question."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request(handler_input, RequestType.LAUNCH)

    def respond(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        session(handler_input)[SessionKey.STATE] = OFFER_TONIGHT
        try:
            profile = self.store.profiles.load(turn.household)
            if profile.welcomed_at is not None:
                return say_line(handler_input, phrases().welcome_back)
            profile.welcomed_at = turn.now.isoformat()
            self.store.profiles.save(turn.household, profile)
        except StoreUnavailableError:
            log_event(log, "profile_unavailable_on_launch", level=logging.WARNING)
        return say_line(handler_input, phrases().welcome)


class HelpHandler(Handler):
    """What one can say, when no feature has a more particular answer for its state."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.HELP)

    def respond(self, handler_input: HandlerInput) -> Response:
        return say_line(handler_input, phrases().help)


class GoodbyeHandler(Handler):
    """Stop, cancel and navigate home all end the session kindly."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.STOP, Intent.CANCEL, Intent.NAVIGATE_HOME)

    def respond(self, handler_input: HandlerInput) -> Response:
        session(handler_input).clear()
        return say_line(handler_input, phrases().goodbye)


class NoThanksHandler(Handler):
    """'No', 'nah', 'maybe later' to an offer no feature is waiting on (the welcome's, "anything
    else?"): end kindly rather than ask again."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.NO)

    def respond(self, handler_input: HandlerInput) -> Response:
        session(handler_input).clear()
        return say_line(handler_input, phrases().no_thanks)


class WhatThenHandler(Handler):
    """'Yes' to "anything else?": what there is to choose from."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.YES)

    def respond(self, handler_input: HandlerInput) -> Response:
        return say_line(handler_input, phrases().what_then)


class FallbackHandler(Handler):
    """Alexa heard words that fit none of our intents: say what works."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.FALLBACK)

    def respond(self, handler_input: HandlerInput) -> Response:
        return say_line(handler_input, phrases().fallback)


class SessionEndedHandler(Handler):
    """Alexa closed the session; nothing may be spoken, only the reason logged."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request(handler_input, RequestType.SESSION_ENDED)

    def respond(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        error = request.error
        log_event(
            log,
            "session_ended",
            reason=request.reason.value if request.reason else None,
            error_type=error.object_type.value if error and error.object_type else None,
        )
        return handler_input.response_builder.response


class UnhandledHandler(Handler):
    """Any intent or request no other handler took (an intent from a newer model, say): say what works."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def respond(self, handler_input: HandlerInput) -> Response:
        return say_line(handler_input, phrases().fallback)


HANDLERS: tuple[type[Handler], ...] = (
    LaunchHandler,
    HelpHandler,
    GoodbyeHandler,
    NoThanksHandler,
    WhatThenHandler,
    FallbackHandler,
    SessionEndedHandler,
    UnhandledHandler,
)
FEATURE = Feature(name="builtin", module=__name__, answers_anything=True)
