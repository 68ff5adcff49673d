"""A feature's handlers are imported only when a request comes that the feature may answer
(`Feature.may_answer`). That is only safe if no handler can answer a request its feature says it cannot:
a feature later in dispatch order would answer it instead, or none would. So every handler is asked here
about every intent of the model (its slots filled and empty) and every other request type: in every
state any feature asks with, in a session and as a one-shot, with the session a real conversation
leaves behind, and with a check-in running and paused."""

import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from ask_sdk_core.attributes_manager import AttributesManager
from ask_sdk_core.handler_input import HandlerInput

from handlers.base import Feature, Handler
from handlers.checkin.rituals import RITUALS
from handlers.registry import FEATURES
from handlers.reminders.state import TOKEN_PREFIX
from skill.app import HouseholdInterceptor
from skill.envelope import read_envelope
from skill.store import Store
from skill.tools.console.envelopes import Conversation
from skill.vocabulary import Intent, RequestType, Scope, SessionKey
from tests.support import ROOT, Household, Stack

LANGUAGE_MODEL = json.loads(
    (ROOT / "skill/package/interactionModels/custom/en-US.json").read_text(encoding="utf-8")
)["interactionModel"]["languageModel"]
VALUES_BY_TYPE = {
    "AMAZON.FirstName": "Sam",
    "AMAZON.DURATION": "PT20M",
    "AMAZON.TIME": "20:30",
    "AMAZON.SearchQuery": "the tea this morning",
    **{kind["name"]: kind["values"][0]["name"]["value"] for kind in LANGUAGE_MODEL["types"]},
}
STATES = [state for feature in FEATURES for state in feature.states]
ASK_FOR_TOKENS = [*(f"{ritual.token_prefix}20" for ritual in RITUALS.values()), f"{TOKEN_PREFIX}x", "other"]


def requests() -> Iterator[dict[str, Any]]:
    """Every intent of the model, with no slots and with every slot filled, and every other request type."""
    for intent in LANGUAGE_MODEL["intents"]:
        yield {"type": "IntentRequest", "intent": {"name": intent["name"], "slots": {}}}
        if intent.get("slots"):
            filled = {slot["name"]: VALUES_BY_TYPE[slot["type"]] for slot in intent["slots"]}
            yield {"type": "IntentRequest", "intent": {"name": intent["name"], "slots": filled}}
    yield {"type": RequestType.LAUNCH}
    yield {"type": RequestType.SESSION_ENDED, "reason": "USER_INITIATED"}
    for token in ASK_FOR_TOKENS:
        for status in ("ACCEPTED", "DENIED"):
            yield {
                "type": RequestType.CONNECTIONS_RESPONSE,
                "name": "AskFor",
                "status": {"code": "200", "message": "OK"},
                "payload": {"permissionScope": Scope.TIMERS, "status": status},
                "token": token,
            }


def envelopes(household: Household, sessions: list[dict[str, Any] | None]) -> Iterator[dict[str, Any]]:
    """Every request in each of these sessions (None: a one-shot)."""
    for attributes in sessions:
        conversation = Conversation(device=household.device, clock=lambda: household.now)
        for request in requests():
            conversation.end()
            if attributes is not None:
                conversation.launch()
                conversation.attributes = dict(attributes)
            if "intent" in request:
                yield conversation.intent(request["intent"]["name"], request["intent"]["slots"])
            else:
                yield conversation.envelope(request)


def skill_events(household: Household) -> Iterator[dict[str, Any]]:
    events = Conversation(device=household.device, clock=lambda: household.now)
    granted = {"acceptedPermissions": [{"scope": Scope.TIMERS}]}
    for event in (
        RequestType.SKILL_DISABLED,
        RequestType.PERMISSION_ACCEPTED,
        RequestType.PERMISSION_CHANGED,
    ):
        yield events.skill_event(event, granted)


def left_by(household: Household, *turns: tuple[str, dict[str, str]]) -> dict[str, Any]:
    """The session attributes a real conversation leaves: a launch, then these intents."""
    household.launch()
    for intent, slots in turns:
        household.intent(intent, **slots)
    return dict(household.conversation.attributes)


def situations(household: Household) -> Iterator[Iterator[dict[str, Any]]]:
    """The requests of each situation, the household's data set up by real turns before them."""
    yield envelopes(household, [None, {}, *({SessionKey.STATE: state} for state in STATES)])
    yield skill_events(household)
    yield envelopes(
        household,
        [
            left_by(household, ("SaveAppreciationIntent", {"text": "the tea"})),
            left_by(household, ("StartLoveQuizIntent", {})),
            left_by(household, ("StartMonthlyCheckInIntent", {})),
            left_by(household, ("SetReminderIntent", {})),
        ],
    )
    household.one_shot("StartCheckInIntent")
    yield envelopes(household, [None, {}])
    household.one_shot("PauseCheckInIntent")
    yield envelopes(household, [None, {}])


def handler_input(envelope: dict[str, Any]) -> HandlerInput:
    """The request as the SDK hands it to the handlers, the turn worked out as our interceptor does."""
    request_envelope = read_envelope(envelope)
    manager = AttributesManager(request_envelope=request_envelope)
    turn = HandlerInput(request_envelope=request_envelope, attributes_manager=manager)
    HouseholdInterceptor().process(turn)
    return turn


def heard(envelope: dict[str, Any]) -> str:
    request = envelope["request"]
    return request["intent"]["name"] if "intent" in request else request["type"]


@pytest.fixture
def answered(household: Household, stack: Stack) -> dict[str, set[str]]:
    """What each feature's handlers answered; fails on any answer its feature says it may not give."""
    store = Store(stack.table_name)
    features: list[tuple[Feature, list[Handler]]] = [
        (feature, [cls(store) for cls in feature.handler_classes()]) for feature in FEATURES
    ]
    answers: dict[str, set[str]] = {feature.name: set() for feature in FEATURES}
    unclaimed: dict[str, set[str]] = {}
    for situation in situations(household):
        for envelope in situation:
            turn = handler_input(envelope)
            for feature, handlers in features:
                if any(handler.can_handle(turn) for handler in handlers):
                    answers[feature.name].add(heard(envelope))
                    if not feature.may_answer(turn):
                        unclaimed.setdefault(feature.name, set()).add(heard(envelope))
                    break  # as dispatch does: later features never see a request an earlier one answers
    assert not unclaimed, {name: sorted(requests) for name, requests in unclaimed.items()}
    return answers


def test_no_feature_answers_a_request_it_says_it_may_not(answered: dict[str, set[str]]) -> None:
    assert answered["question"] >= {Intent.TONIGHTS_QUESTION, Intent.NEXT}
    assert answered["checkin"] >= {Intent.PAUSE, RequestType.CONNECTIONS_RESPONSE}


def test_every_intent_and_request_a_feature_claims_one_of_its_handlers_answers(
    answered: dict[str, set[str]],
) -> None:
    """Claims no wider than the handlers: a claim nothing answers would import a feature for nothing, and
    hide a handler that was removed."""
    unanswered = {
        (feature.name, claim)
        for feature in FEATURES
        for claim in (*feature.intents, *feature.requests)
        if claim not in answered[feature.name]
    }
    assert unanswered == set()


def test_loading_the_lambda_imports_no_features_handlers_until_a_request_needs_them() -> None:
    """Every feature but the built-ins (a launch needs them) keeps its handlers apart from its declaration,
    so a cold start loads them only when its first request may need them."""
    script = "import sys, skill.entry; print(' '.join(sys.modules))"
    loaded = set(
        subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, check=True, capture_output=True, text=True, timeout=60
        ).stdout.split()
    )
    packaged = [feature.module for feature in FEATURES if feature.module.endswith(".handlers")]
    assert len(packaged) == len(FEATURES) - 1
    assert loaded.isdisjoint(packaged), loaded & set(packaged)
