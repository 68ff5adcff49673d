"""The composition root: builds the skill once per container and exposes `handler` for Lambda."""

import json
import logging
from functools import lru_cache
from typing import Any

from ask_sdk_core.dispatch_components import (
    AbstractExceptionHandler,
    AbstractRequestHandler,
    AbstractRequestInterceptor,
    AbstractResponseInterceptor,
)
from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_core.utils import RESPONSE_FORMAT_VERSION
from ask_sdk_model import RequestEnvelope, Response

from content import phrases
from handlers import Dependencies, end_other_conversations, feature_of, request_handlers
from handlers.respond import OUTCOME, say_line
from skill.alexa_api import AlexaApiClient
from skill.config import settings
from skill.context import UnknownHouseholdError, build_turn, remember_turn, turn_of
from skill.store import Store

log = logging.getLogger("closer_together")
_FEATURE = "feature"


class HouseholdInterceptor(AbstractRequestInterceptor):
    """Builds the turn (household, time, speaker) before any handler runs."""

    def process(self, handler_input: HandlerInput) -> None:
        remember_turn(handler_input, build_turn(handler_input))


def _intent_name(handler_input: HandlerInput) -> str | None:
    request = handler_input.request_envelope.request
    intent = getattr(request, "intent", None)
    return intent.name if intent else None


class FeatureHandler(AbstractRequestHandler):
    """A feature's handler, noting on the turn which feature answered it."""

    def __init__(self, inner: AbstractRequestHandler) -> None:
        self.inner = inner
        self.feature = feature_of(inner)

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return self.inner.can_handle(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        handler_input.attributes_manager.request_attributes[_FEATURE] = self.feature
        return self.inner.handle(handler_input)


class ConversationFocusInterceptor(AbstractResponseInterceptor):
    """Whatever feature answered a turn ends the open questions of the others."""

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        feature = handler_input.attributes_manager.request_attributes.get(_FEATURE)
        if feature and handler_input.request_envelope.session is not None:
            end_other_conversations(handler_input.attributes_manager.session_attributes, feature)


class TurnLogInterceptor(AbstractResponseInterceptor):
    """One structured line a turn: ids, intent and outcome. Never slot values or a raw user id."""

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        request = handler_input.request_envelope.request
        attributes = handler_input.attributes_manager.request_attributes
        turn = turn_of(handler_input) if "turn" in attributes else None
        record = {
            "event": "turn",
            "request_id": request.request_id,
            "request_type": request.object_type,
            "intent": _intent_name(handler_input),
            "household": turn.household[:12] if turn else None,
            "ends_session": response.should_end_session if response else None,
            "outcome": attributes.get(OUTCOME, "answered"),
        }
        log.info(json.dumps(record))


class CatchAllExceptionHandler(AbstractExceptionHandler):
    """No exception escapes a turn: apologise truthfully and keep the session usable."""

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        request = handler_input.request_envelope.request
        log.error(
            json.dumps(
                {
                    "event": "turn_failed",
                    "request_id": getattr(request, "request_id", None),
                    "intent": _intent_name(handler_input),
                    "error": type(exception).__name__,
                }
            ),
            exc_info=not isinstance(exception, UnknownHouseholdError),
        )
        return say_line(handler_input, phrases().error)


def build_skill(table_name: str, skill_id: str) -> CustomSkill:
    """The skill with every handler wired to its dependencies; skill-id verification always on."""
    builder = CustomSkillBuilder(api_client=AlexaApiClient())
    builder.skill_id = skill_id
    builder.add_global_request_interceptor(HouseholdInterceptor())
    builder.add_global_response_interceptor(ConversationFocusInterceptor())
    builder.add_global_response_interceptor(TurnLogInterceptor())
    for request_handler in request_handlers(Dependencies(store=Store(table_name))):
        builder.add_request_handler(FeatureHandler(request_handler))
    builder.add_exception_handler(CatchAllExceptionHandler())
    return builder.create()


@lru_cache(maxsize=4)
def _skill(table_name: str, skill_id: str) -> CustomSkill:
    logging.getLogger().setLevel(settings().log_level)
    return build_skill(table_name, skill_id)


def _refusal(reason: str) -> dict[str, Any]:
    """A valid response envelope that says and stores nothing: for requests we must not answer."""
    log.warning(json.dumps({"event": "request_refused", "reason": reason}))
    return {"version": RESPONSE_FORMAT_VERSION, "response": {"shouldEndSession": True}}


def _application_id(event: Any) -> str | None:
    try:
        return event["context"]["System"]["application"]["applicationId"]
    except (KeyError, TypeError):
        return None


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """The Lambda entry: an Alexa request envelope in, a response envelope out.

    Another skill's request, or one too malformed to be Alexa's, is refused before any handler runs."""
    config = settings()
    if _application_id(event) != config.skill_id:
        return _refusal("skill id mismatch")
    skill = _skill(config.table_name, config.skill_id)
    try:
        envelope = skill.serializer.deserialize(payload=json.dumps(event), obj_type=RequestEnvelope)
    except (SerializationException, TypeError, ValueError) as error:
        return _refusal(f"malformed envelope: {type(error).__name__}")
    if envelope.request is None or envelope.context is None or envelope.context.system is None:
        return _refusal("envelope without request or context")
    response = skill.invoke(request_envelope=envelope, context=context)
    return skill.serializer.serialize(response)
