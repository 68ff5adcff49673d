"""What every handler shares: reading the request, the session's open question, and one way to say
truthfully that the store failed."""

import logging
from abc import abstractmethod
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from content import phrases
from content.models import SpokenLine
from handlers.respond import record_outcome, say_line
from skill.logs import log_event
from skill.store import Store
from skill.store.table import StoreUnavailableError
from skill.vocabulary import Intent, RequestType, SessionKey, Slot

log = logging.getLogger(__name__)


def intent_name(handler_input: HandlerInput) -> str | None:
    """The intent of an IntentRequest (None for any other request, or an intent without a name)."""
    intent = getattr(handler_input.request_envelope.request, "intent", None)
    name = getattr(intent, "name", None)
    return name if isinstance(name, str) else None


def is_intent(handler_input: HandlerInput, *intents: Intent) -> bool:
    """Whether the request is one of these intents."""
    return intent_name(handler_input) in intents


def is_request(handler_input: HandlerInput, *kinds: RequestType) -> bool:
    """Whether the request is of one of these types."""
    return handler_input.request_envelope.request.object_type in kinds


def slot_value(handler_input: HandlerInput, slot: Slot) -> str | None:
    """A slot's value as heard, trimmed; None when the slot is missing or empty."""
    intent = getattr(handler_input.request_envelope.request, "intent", None)
    found = (intent.slots or {}).get(slot) if intent else None
    value = (found.value or "").strip() if found else ""
    return value or None


def is_one_shot(handler_input: HandlerInput) -> bool:
    """A fresh session ("Alexa, ask Closer Together …"): nothing earlier in it to act on."""
    current = handler_input.request_envelope.session
    return current is None or bool(current.new)


def session(handler_input: HandlerInput) -> dict[str, Any]:
    """The session attributes (an empty dict outside a session: a skill event, say, whose attributes the
    SDK refuses to give)."""
    if handler_input.request_envelope.session is None:
        return {}
    return handler_input.attributes_manager.session_attributes


def state_is(handler_input: HandlerInput, *states: str) -> bool:
    """Whether the session's open question is one of these."""
    return session(handler_input).get(SessionKey.STATE) in states


def store_failed(
    handler_input: HandlerInput, event: str, line: SpokenLine, *after: str, **fill: object
) -> Response:
    """DynamoDB failed: log the event, name the outcome, and say the line that tells what did not happen."""
    log_event(log, event, level=logging.WARNING)
    record_outcome(handler_input, event)
    return say_line(handler_input, line, *after, **fill)


class Handler(AbstractRequestHandler):
    """A feature's handler. `respond` may raise StoreUnavailableError: the turn then says the handler's
    `failure_line` (by default the general apology), never "done" for what was not."""

    failure_event = "store_unavailable"

    def __init__(self, store: Store) -> None:
        self.store = store

    def failure_line(self) -> SpokenLine:
        return phrases().error

    def handle(self, handler_input: HandlerInput) -> Response:
        try:
            return self.respond(handler_input)
        except StoreUnavailableError:
            return store_failed(handler_input, self.failure_event, self.failure_line())

    @abstractmethod
    def respond(self, handler_input: HandlerInput) -> Response:
        """The handler's answer."""


@dataclass(frozen=True)
class Feature:
    """A feature as the composition root and the focus rule see it.

    `module` holds its handler classes (`HANDLERS`, in dispatch order, state-bound ones first). It is
    imported the first time a request comes that the feature `may_answer`: one of its `intents` or
    `requests`, any request while the session's STATE is one of its `states` (the values it asks with),
    or, for the feature that `answers_anything` (last in dispatch order), every request. A cold start thus
    imports only the features its first request can need. `session_keys`: what those states wait on. A
    conversational feature's answer ends every other feature's open question."""

    name: str
    module: str
    intents: frozenset[Intent] = frozenset()
    requests: frozenset[RequestType] = frozenset()
    answers_anything: bool = False
    conversational: bool = False
    states: tuple[str, ...] = ()
    session_keys: tuple[SessionKey, ...] = ()

    def may_answer(self, handler_input: HandlerInput) -> bool:
        """Whether any of the feature's handlers could answer this request (a test holds every handler's
        `can_handle` to this, over every intent, request type and state)."""
        return (
            self.answers_anything
            or intent_name(handler_input) in self.intents
            or handler_input.request_envelope.request.object_type in self.requests
            or state_is(handler_input, *self.states)
        )

    def handler_classes(self) -> tuple[type[Handler], ...]:
        """The feature's handler classes, in dispatch order (importing its module the first time)."""
        return import_module(self.module).HANDLERS
