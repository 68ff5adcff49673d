"""A corpus of bad and odd request envelopes: each gets a valid answer or a clean refusal, never a crash.

The corpus is built from our own interaction model, so every intent added later is covered too."""

import copy
import itertools
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest

from skill.tools.console.envelopes import Conversation, Device
from skill.tools.console.nlu import MODEL_PATH
from tests.support import Stack, check_response_envelope, logged

MODEL = json.loads(MODEL_PATH.read_text(encoding="utf-8"))["interactionModel"]["languageModel"]
INTENTS = {intent["name"]: [slot["name"] for slot in intent.get("slots", [])] for intent in MODEL["intents"]}
# Failures the catch-all answers on purpose; anything else logged as turn_failed is a bug.
EXPECTED_FAILURES = {"UnknownHouseholdError"}
# Each envelope comes from an Alexa account of its own: the table is shared with every other test.
_ACCOUNTS = itertools.count(1)


def _conversation(**device: Any) -> Conversation:
    user_id = f"amzn1.ask.account.BADINPUT-{next(_ACCOUNTS):04d}"
    return Conversation(device=Device(user_id=user_id, api_endpoint="https://127.0.0.1:9", **device))


def _in_session(intent: str, slots: dict[str, str | None], **device: Any) -> dict[str, Any]:
    conversation = _conversation(**device)
    conversation.launch()
    return conversation.intent(intent, slots)


def slot_cases() -> Iterator[tuple[str, dict[str, Any]]]:
    for intent, slots in INTENTS.items():
        yield f"{intent}: no slots at all", _in_session(intent, {})
        for slot in slots:
            yield f"{intent}: {slot} unfilled", _in_session(intent, {slot: None})
            yield f"{intent}: {slot} empty", _in_session(intent, {slot: ""})
            yield f"{intent}: {slot} 10,000 characters", _in_session(intent, {slot: "love & <3 " * 1000})
        yield f"{intent}: as a one-shot", _conversation().intent(intent, {})
        yield f"{intent}: no apiAccessToken", _in_session(intent, {}, api_access_token=None)
        yield f"{intent}: German locale", _in_session(intent, {}, locale="de-DE")


def request_cases() -> Iterator[tuple[str, dict[str, Any]]]:
    yield "unknown intent", _in_session("OrderPizzaIntent", {"topping": "pineapple"})
    for request_type in (
        "Alexa.Presentation.APL.UserEvent",
        "CanFulfillIntentRequest",
        "Messaging.MessageReceived",
    ):
        yield f"request type {request_type}", _conversation().envelope({"type": request_type})
    yield "request type nobody knows", _conversation().envelope({"type": "Totally.Unknown"})
    yield "launch without a person", _conversation().launch()
    yield "launch, unsupported locale", _conversation(locale="xx-XX").launch()
    yield (
        "launch with an unparseable timestamp",
        _with(_conversation().launch(), ["request", "timestamp"], "soon"),
    )


def expired_session_cases() -> Iterator[tuple[str, dict[str, Any]]]:
    stale_states = [
        "appreciation.confirm_delete_all",
        "privacy.confirm_delete_all",
        "checkin.offer_guide",
        "question",
    ]
    for state in stale_states:
        for intent in ("AMAZON.YesIntent", "AMAZON.NoIntent", "AMAZON.MoreIntent", "AMAZON.HelpIntent"):
            envelope = _conversation().intent(intent)
            envelope["session"].update(new=False, attributes={"state": state})
            yield f"{intent} with stale state {state}", envelope
    for garbage in (
        {"state": 42},
        {"state": None, "cursor": "%%%"},
        {"cursor": {"pk": 1}},
        {"asked": "x" * 50},
    ):
        for intent in INTENTS:
            envelope = _conversation().intent(intent)
            envelope["session"].update(new=False, attributes=copy.deepcopy(garbage))
            yield f"{intent} with garbage attributes {garbage}", envelope


def _with(envelope: dict[str, Any], path: list[str], value: Any) -> dict[str, Any]:
    target = envelope
    for key in path[:-1]:
        target = target[key]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return envelope


_DELETE = object()


def truncated_cases() -> Iterator[tuple[str, Any]]:
    yield "empty object", {}
    yield "version only", {"version": "1.0"}
    yield "no request", _with(_conversation().launch(), ["request"], _DELETE)
    yield "request without a type", _with(_conversation().launch(), ["request", "type"], _DELETE)
    yield "no context", _with(_conversation().launch(), ["context"], _DELETE)
    yield "context without System", _with(_conversation().launch(), ["context", "System"], _DELETE)
    yield "no user", _with(_conversation().launch(), ["context", "System", "user"], _DELETE)
    yield "session is a string", _with(_conversation().launch(), ["session"], "oops")
    yield (
        "intent without a name",
        _with(_conversation().intent("AMAZON.HelpIntent"), ["request", "intent"], {}),
    )
    yield (
        "slots are a list",
        _with(_conversation().intent("AMAZON.HelpIntent"), ["request", "intent", "slots"], []),
    )


CASES = [*slot_cases(), *request_cases(), *expired_session_cases(), *truncated_cases()]


@pytest.mark.parametrize("envelope", [case for _, case in CASES], ids=[name for name, _ in CASES])
def test_bad_envelope_gets_a_valid_answer_or_a_clean_refusal(
    stack: Stack, envelope: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    if isinstance(envelope, dict) and "context" in envelope and isinstance(envelope["context"], dict):
        system = envelope["context"].get("System") or {}
        system.get("application", {}).update(applicationId=stack.environment["SKILL_ID"])
    answer = stack.handler()(envelope, None)
    check_response_envelope(answer)
    failures = [line for line in logged(caplog.records) if line.get("event") == "turn_failed"]
    assert {failure["error"] for failure in failures} <= EXPECTED_FAILURES, failures
