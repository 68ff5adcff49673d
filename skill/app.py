"""The composition root: builds the skill once per container and exposes `handler` for Lambda, which
answers Alexa's requests and carries on purges from the purge queue."""

import logging
from functools import lru_cache
from typing import Any

from ask_sdk_core.dispatch_components import (
    AbstractExceptionHandler,
    AbstractRequestHandler,
    AbstractRequestInterceptor,
    AbstractResponseInterceptor,
)
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill import CustomSkill, SkillConfiguration
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_core.utils import RESPONSE_FORMAT_VERSION
from ask_sdk_model import RequestEnvelope, Response, ResponseEnvelope
from ask_sdk_model.services import ApiClient

from content import phrases
from handlers.base import Feature, Handler, intent_name
from handlers.registry import FEATURES, end_other_conversations
from handlers.respond import say_line
from skill.alexa_api import AlexaApiClient
from skill.config import Settings, settings
from skill.context import UnknownHouseholdError, build_turn, remember_turn, turn_of
from skill.deadline import Deadline, LambdaContext, running, within
from skill.envelope import MalformedEnvelopeError, read_envelope
from skill.logs import log_event, use_json_logs
from skill.store import Store
from skill.store.purge import STEP_SECONDS
from skill.vocabulary import RequestKey

log = logging.getLogger("closer_together")


class HouseholdInterceptor(AbstractRequestInterceptor):
    """Builds the turn (household, time, speaker) before any handler runs."""

    def process(self, handler_input: HandlerInput) -> None:
        remember_turn(handler_input, build_turn(handler_input))


class FeatureHandler(AbstractRequestHandler):
    """One feature's handlers, in their dispatch order, made the first time a request comes that the feature
    may answer (so its module is imported only then); notes on the turn which feature answered."""

    def __init__(self, feature: Feature, store: Store) -> None:
        self.feature = feature
        self.store = store
        self._handlers: tuple[Handler, ...] | None = None

    def handlers(self) -> tuple[Handler, ...]:
        if self._handlers is None:  # two threads may both make them: the same handlers, either kept
            self._handlers = tuple(
                handler_class(self.store) for handler_class in self.feature.handler_classes()
            )
        return self._handlers

    def can_handle(self, handler_input: HandlerInput) -> bool:
        if not self.feature.may_answer(handler_input):
            return False
        chosen = next((handler for handler in self.handlers() if handler.can_handle(handler_input)), None)
        handler_input.attributes_manager.request_attributes[RequestKey.HANDLER] = chosen
        return chosen is not None

    def handle(self, handler_input: HandlerInput) -> Response:
        attributes = handler_input.attributes_manager.request_attributes
        attributes[RequestKey.FEATURE] = self.feature
        handler: Handler = attributes[RequestKey.HANDLER]
        return handler.handle(handler_input)


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


class Skill(CustomSkill):
    """Our CustomSkill: every turn inside its deadline, and the store it answers from (whose purges the
    purge queue's events carry on)."""

    def __init__(self, skill_configuration: SkillConfiguration, store: Store) -> None:
        super().__init__(skill_configuration=skill_configuration)
        self.store = store

    def invoke(self, request_envelope: RequestEnvelope, context: Any) -> ResponseEnvelope:
        """A turn, inside the deadline its caller set, else one from Lambda's context (or Alexa's wait)."""
        if running():
            return super().invoke(request_envelope, context)
        with within(Deadline.for_turn(context)):
            return super().invoke(request_envelope, context)


def build_skill(store: Store, api_client: ApiClient, skill_id: str) -> Skill:
    """The skill with every feature's handlers wired to the store; skill-id verification always on."""
    builder = CustomSkillBuilder(api_client=api_client)
    builder.skill_id = skill_id
    builder.add_global_request_interceptor(HouseholdInterceptor())
    builder.add_global_response_interceptor(ConversationFocusInterceptor())
    builder.add_global_response_interceptor(TurnLogInterceptor())
    for feature in FEATURES:
        builder.add_request_handler(FeatureHandler(feature, store))
    builder.add_exception_handler(CatchAllExceptionHandler())
    return Skill(builder.skill_configuration, store)


@lru_cache(maxsize=4)
def skill_for(config: Settings) -> Skill:
    """The skill for these settings, built once per container (and logging set up with it)."""
    use_json_logs(config.log_level)
    store = Store(config.table_name, purge_queue_url=config.purge_queue_url)
    return build_skill(store, AlexaApiClient(config.ca_bundle), config.skill_id)


def _refusal(reason: str) -> dict[str, Any]:
    """A valid response envelope that says and stores nothing: for requests we must not answer."""
    log_event(log, "request_refused", level=logging.WARNING, reason=reason)
    return {"version": RESPONSE_FORMAT_VERSION, "response": {"shouldEndSession": True}}


def _is_queue_event(event: object) -> bool:
    """Whether Lambda's SQS poller sent the event (a batch of purge-queue messages), not Alexa."""
    return isinstance(event, dict) and isinstance(event.get("Records"), list)


def _receive_count(record: dict[str, Any]) -> int:
    attributes = record.get("attributes")
    count = attributes.get("ApproximateReceiveCount") if isinstance(attributes, dict) else None
    return int(count) if isinstance(count, str) and count.isdigit() else 0


def carry_on_purges(skill: Skill, event: dict[str, Any], context: LambdaContext | None) -> dict[str, Any]:
    """A step of each purge in the batch; the messages to deliver again are reported as failures (the
    event source mapping reports batch item failures), so SQS retries them and, in the end, dead-letters
    them."""
    failures = []
    with within(Deadline.for_invocation(context, STEP_SECONDS)):
        for record in event["Records"]:
            record = record if isinstance(record, dict) else {}
            if not skill.store.purges.carry_on(record.get("body"), _receive_count(record)):
                failures.append({"itemIdentifier": record.get("messageId")})
    return {"batchItemFailures": failures}


def answer(skill: Skill, event: dict[str, Any], context: LambdaContext | None) -> dict[str, Any]:
    """An event in, the answer out: a purge-queue batch, or an Alexa request envelope, read once and
    refused before any handler runs if it is another skill's or too malformed to be Alexa's."""
    if _is_queue_event(event):
        return carry_on_purges(skill, event, context)
    with within(Deadline.for_turn(context)):
        try:
            envelope = read_envelope(event)
        except MalformedEnvelopeError as error:
            return _refusal(f"malformed envelope: {error.reason}")
        application = envelope.context.system.application
        if application is None or application.application_id != skill.skill_id:
            return _refusal("skill id mismatch")
        response = skill.invoke(request_envelope=envelope, context=context)
        return skill.serializer.serialize(response)


def handler(event: dict[str, Any], context: LambdaContext | None) -> dict[str, Any]:
    """The Lambda entry: the skill these settings describe, answering the event."""
    return answer(skill_for(settings()), event, context)
