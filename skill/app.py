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
from ask_sdk_model.services import ApiClient

from content import phrases
from handlers.base import Feature, intent_name
from handlers.registry import FEATURES, end_other_conversations
from handlers.respond import say_line
from skill.alexa_api import AlexaApiClient
from skill.config import Settings, settings
from skill.context import UnknownHouseholdError, build_turn, remember_turn, turn_of
from skill.logs import log_event, use_json_logs
from skill.store import Store
from skill.vocabulary import RequestKey

log = logging.getLogger("closer_together")


class HouseholdInterceptor(AbstractRequestInterceptor):
    """Builds the turn (household, time, speaker) before any handler runs."""

    def process(self, handler_input: HandlerInput) -> None:
        remember_turn(handler_input, build_turn(handler_input))


class FeatureHandler(AbstractRequestHandler):
    """A feature's handler, noting on the turn which feature answered it."""

    def __init__(self, inner: AbstractRequestHandler, feature: Feature) -> None:
        self.inner = inner
        self.feature = feature

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return self.inner.can_handle(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        handler_input.attributes_manager.request_attributes[RequestKey.FEATURE] = self.feature
        return self.inner.handle(handler_input)


class ConversationFocusInterceptor(AbstractResponseInterceptor):
    """Whatever feature answered a turn ends the open questions of the others."""

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        feature = handler_input.attributes_manager.request_attributes.get(RequestKey.FEATURE)
        if feature and handler_input.request_envelope.session is not None:
            end_other_conversations(handler_input.attributes_manager.session_attributes, feature)


class TurnLogInterceptor(AbstractResponseInterceptor):
    """One structured line a turn: ids, intent and outcome. Never slot values or a raw user id."""

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        request = handler_input.request_envelope.request
        attributes = handler_input.attributes_manager.request_attributes
        turn = turn_of(handler_input) if RequestKey.TURN in attributes else None
        feature = attributes.get(RequestKey.FEATURE)
        log_event(
            log,
            "turn",
            request_id=request.request_id,
            request_type=request.object_type,
            intent=intent_name(handler_input),
            feature=feature.name if feature else None,
            household=turn.household[:12] if turn else None,
            ends_session=response.should_end_session if response else None,
            outcome=attributes.get(RequestKey.OUTCOME, "answered"),
        )


class CatchAllExceptionHandler(AbstractExceptionHandler):
    """No exception escapes a turn: apologise truthfully and keep the session usable."""

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        log_event(
            log,
            "turn_failed",
            level=logging.ERROR,
            exc_info=not isinstance(exception, UnknownHouseholdError),
            request_id=getattr(handler_input.request_envelope.request, "request_id", None),
            intent=intent_name(handler_input),
            error=type(exception).__name__,
        )
        return say_line(handler_input, phrases().error)


def build_skill(store: Store, api_client: ApiClient, skill_id: str) -> CustomSkill:
    """The skill with every feature's handlers wired to the store; skill-id verification always on."""
    builder = CustomSkillBuilder(api_client=api_client)
    builder.skill_id = skill_id
    builder.add_global_request_interceptor(HouseholdInterceptor())
    builder.add_global_response_interceptor(ConversationFocusInterceptor())
    builder.add_global_response_interceptor(TurnLogInterceptor())
    for feature in FEATURES:
        for handler_class in feature.handlers:
            builder.add_request_handler(FeatureHandler(handler_class(store), feature))
    builder.add_exception_handler(CatchAllExceptionHandler())
    return builder.create()


@lru_cache(maxsize=4)
def skill_for(config: Settings) -> CustomSkill:
    """The skill for these settings, built once per container (and logging set up with it)."""
    use_json_logs(config.log_level)
    return build_skill(Store(config.table_name), AlexaApiClient(config.ca_bundle), config.skill_id)


def _refusal(reason: str) -> dict[str, Any]:
    """A valid response envelope that says and stores nothing: for requests we must not answer."""
    log_event(log, "request_refused", level=logging.WARNING, reason=reason)
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
    skill = skill_for(config)
    try:
        envelope = skill.serializer.deserialize(payload=json.dumps(event), obj_type=RequestEnvelope)
    except (SerializationException, TypeError, ValueError) as error:
        return _refusal(f"malformed envelope: {type(error).__name__}")
    if envelope.request is None or envelope.context is None or envelope.context.system is None:
        return _refusal("envelope without request or context")
    response = skill.invoke(request_envelope=envelope, context=context)
    return skill.serializer.serialize(response)
