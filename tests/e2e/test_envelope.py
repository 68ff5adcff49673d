"""One reading of the envelope: the skill id, the user id and what the handlers see come from one object,
twin spellings that disagree are refused, no field of the wrong type crashes a turn, and session
attributes JSON cannot carry are dropped rather than echoed as invalid JSON.

The SDK reads each field by its JSON spelling and then copies every key it does not know onto the object;
these envelopes are Alexa's own with one field spelled, typed or valued as Alexa never would."""

import copy
import json
import logging
import math
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support import DynamoDbCalls, Household, Stack, check_response_envelope, household_items, logged

OTHER_SKILL = "amzn1.ask.skill.11111111-2222-4333-8444-555555555555"
OTHER_USER = "amzn1.ask.account.SOMEONE-ELSE"
EXPECTED_FAILURES = {
    "UnknownHouseholdError"
}  # a request without a user: answered by the catch-all, on purpose


def strict_json(answer: dict[str, Any]) -> dict[str, Any]:
    """The answer as Lambda's runtime would put it on the wire, read back by a strict JSON parser."""
    return json.loads(json.dumps(answer), parse_constant=lambda name: pytest.fail(f"{name} is not JSON"))


def refused(answer: dict[str, Any]) -> bool:
    return answer == {"version": "1.0", "response": {"shouldEndSession": True}}


def system(envelope: dict[str, Any]) -> dict[str, Any]:
    return envelope["context"]["System"]


def unexpected_failures(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    return [
        line
        for line in logged(caplog.records)
        if line.get("event") == "turn_failed" and line.get("error") not in EXPECTED_FAILURES
    ]


@pytest.mark.parametrize(
    "twin",
    [
        lambda e: system(e)["application"].update(application_id=OTHER_SKILL),
        lambda e: system(e)["user"].update(user_id=OTHER_USER),
        lambda e: e["context"].update(system={**system(e), "user": {"userId": OTHER_USER}}),
    ],
    ids=["application_id", "user_id", "system"],
)
def test_a_field_spelled_two_ways_with_two_values_is_refused_before_anything_runs(
    household: Household, dynamodb: DynamoDbCalls, twin: Callable[[dict[str, Any]], None]
) -> None:
    envelope = household.conversation.launch()
    twin(envelope)
    answer = household.handler(envelope, None)
    assert refused(answer)
    assert dynamodb.calls == [], "no table access for a request we cannot read one way"


def test_a_lone_snake_case_spelling_is_read_as_the_field_by_every_reader(
    household: Household, stack: Stack
) -> None:
    envelope = household.conversation.launch()
    user = system(envelope)["user"]
    user["user_id"] = user.pop("userId")
    reply = household.send(envelope)
    assert reply.speech.startswith("Welcome to Closer Together")
    stored = household_items(stack.table_name, household.device.user_id)
    assert [item["sk"]["S"] for item in stored] == ["PROFILE"], "the household that spelling names"


def test_an_agreeing_twin_is_read_once(household: Household) -> None:
    envelope = household.conversation.launch()
    system(envelope)["application"]["application_id"] = system(envelope)["application"]["applicationId"]
    assert household.send(envelope).speech.startswith("Welcome to Closer Together")


@pytest.mark.parametrize(
    "oddity",
    [
        lambda e: e["request"].update(intent="string"),
        lambda e: e["request"].update(intent={"name": {"not": "a name"}, "slots": "none"}),
        lambda e: e["request"].update(__dict__={"object_type": "IntentRequest"}),
        lambda e: e["request"].update(to_dict=5, deserialized_types={}),
        lambda e: e["context"].update(system=e["context"].pop("System")),
        lambda e: system(e).update(person={"personId": 5}),
        lambda e: system(e).update(device="an echo"),
        lambda e: e["request"].update(locale={"en": "US"}),
        lambda e: e["request"].update(timestamp=20261120),
        lambda e: e["request"].update(timestamp="2026-11-20T20:00:00Z" + " " * 100_000),
        lambda e: e["session"].update(new="yes"),
        lambda e: e["session"].update(attributes=["a", "list"]),
    ],
    ids=[
        "intent as a string",
        "intent of wrong shapes",
        "__dict__",
        "method names",
        "system in lower case",
        "personId a number",
        "device a string",
        "locale an object",
        "timestamp a number",
        "timestamp 100 KB long",
        "new a string",
        "attributes a list",
    ],
)
def test_no_field_of_the_wrong_type_crashes_a_turn(
    household: Household, caplog: pytest.LogCaptureFixture, oddity: Callable[[dict[str, Any]], None]
) -> None:
    household.launch()
    envelope = household.conversation.launch()
    oddity(envelope)
    answer = strict_json(household.handler(envelope, None))
    check_response_envelope(answer)
    assert unexpected_failures(caplog) == []


def test_session_attributes_json_cannot_carry_are_dropped_not_echoed(household: Household) -> None:
    household.launch()
    envelope = household.conversation.intent("AMAZON.HelpIntent", {})
    envelope["session"]["attributes"] |= {"broken": math.nan, "huge": math.inf, "kept": "yes"}
    answer = strict_json(household.handler(envelope, None))
    attributes = answer["sessionAttributes"]
    assert "broken" not in attributes and "huge" not in attributes
    assert attributes["kept"] == "yes"


# --- fuzzing: Alexa's envelopes with one field replaced, twinned or removed ---

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path in a JSON value."""
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            found.append((*prefix, key))
            found += paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.append((*prefix, index))
            found += paths(item, (*prefix, index))
    return found


def snake(name: str) -> str:
    return "".join(f"_{char.lower()}" if char.isupper() else char for char in name).lstrip("_")


def mutate(envelope: dict[str, Any], path: tuple[Any, ...], how: str, value: Any) -> dict[str, Any]:
    mutated = copy.deepcopy(envelope)
    parent = mutated
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if how == "replace":
        parent[last] = value
    elif how == "remove" and isinstance(parent, dict):
        del parent[last]
    elif how == "twin" and isinstance(parent, dict) and isinstance(last, str):
        parent[snake(last)] = value
    return mutated


def base_envelopes(household: Household) -> list[dict[str, Any]]:
    conversation = household.conversation
    return [
        conversation.launch(),
        conversation.intent("SaveAppreciationIntent", {"text": "how you made coffee"}),
        conversation.intent("AMAZON.YesIntent", {}),
        conversation.skill_event("AlexaSkillEvent.SkillPermissionAccepted", {"acceptedPermissions": []}),
    ]


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_fuzzed_envelopes_get_a_valid_answer_or_a_clean_refusal(
    household: Household, caplog: pytest.LogCaptureFixture, data: st.DataObject
) -> None:
    caplog.clear()
    caplog.set_level(logging.WARNING)
    envelope = data.draw(st.sampled_from(base_envelopes(household)))
    path = data.draw(st.sampled_from(paths(envelope)))
    how = data.draw(st.sampled_from(["replace", "remove", "twin"]))
    mutated = mutate(envelope, path, how, data.draw(JSON))
    answer = strict_json(household.handler(mutated, None))
    check_response_envelope(answer)
    assert unexpected_failures(caplog) == []


def timestamp_of(length: int) -> str:
    """Alexa's request time, written out to `length` characters with digits of a second."""
    return "2026-11-20T20:00:00." + "0" * (length - 21) + "Z"


def _intent(household: Household) -> dict[str, Any]:
    return household.conversation.intent("SaveAppreciationIntent", {"text": "the tea"})


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """A change to one field of the envelope, at a dotted path (made where missing)."""

    def change(envelope: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node = envelope
        for key in parents:
            node = node.setdefault(key, {})
        node[last] = value

    return change


def _without_request(envelope: dict[str, Any]) -> None:
    del envelope["request"]


def _without_type(envelope: dict[str, Any]) -> None:
    del envelope["request"]["type"]


def _disagreeing_twin(envelope: dict[str, Any]) -> None:
    system(envelope)["application"]["application_id"] = OTHER_SKILL


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (_set("request.type", "NoSuchRequest"), "envelope.request has a type the model does not know"),
        (_without_type, "envelope.request has no usable type"),
        (
            _disagreeing_twin,
            "envelope.context.System.application spells applicationId two ways, with two values",
        ),
        (_set("request.locale", 5), "envelope.request.locale is not a str"),
        (_set("context.Viewport.dpi", True), "envelope.context.Viewport.dpi is not a float"),
        (_set("context.Viewport.dpi", math.nan), "envelope.context.Viewport.dpi is not a finite number"),
        (_set("request.timestamp", timestamp_of(41)), "envelope.request.timestamp is not a timestamp"),
        (
            _set("context.Viewport.touch", ["POKE"]),
            "envelope.context.Viewport.touch is not one of its values",
        ),
        (_set("context.Viewports", {}), "envelope.context.Viewports is not a list"),
        (_set("request.intent.slots", []), "envelope.request.intent.slots is not an object"),
        (_set("request.intent.slots", {"text": 5}), "envelope.request.intent.slots.text is not an object"),
        (_set("request.timestamp", "last Friday at noon"), "the SDK cannot read it"),
        (_without_request, "no request or context"),
    ],
    ids=[
        "unknown-type",
        "no-type",
        "twins",
        "not-a-str",
        "bool-for-float",
        "nan",
        "long-timestamp",
        "not-a-value",
        "not-a-list",
        "not-an-object",
        "slot-not-an-object",
        "unreadable",
        "no-request",
    ],
)
def test_a_refused_envelope_is_logged_with_what_was_wrong_and_where(
    household: Household,
    caplog: pytest.LogCaptureFixture,
    change: Callable[[dict[str, Any]], None],
    reason: str,
) -> None:
    # What an operator reads to tell Alexa's changes from an attack: the field, never its value.
    caplog.set_level(logging.INFO)
    envelope = _intent(household)
    change(envelope)
    assert refused(household.handler(envelope, None))
    [line] = [line for line in logged(caplog.records) if line.get("event") == "request_refused"]
    assert line["reason"] == f"malformed envelope: {reason}"


def test_an_envelope_that_is_no_object_is_refused_as_such(
    household: Household, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    assert refused(household.handler([], None))  # type: ignore[arg-type]
    [line] = [line for line in logged(caplog.records) if line.get("event") == "request_refused"]
    assert line["reason"] == "malformed envelope: envelope is not an object"


def _twin_first(envelope: dict[str, Any]) -> None:
    envelope["context"]["System"] = {"api_endpoint": system(envelope)["apiEndpoint"], **system(envelope)}


def _unknown_first(envelope: dict[str, Any]) -> None:
    envelope["request"] = {"somethingNew": 1, **envelope["request"]}


@pytest.mark.parametrize(
    "change",
    [
        _set("request.locale", None),
        _set("request.timestamp", timestamp_of(40)),
        _set("context.AppLink.directLaunch.IOS_APP_STORE", {"anything": ["at", 1]}),
        _set("context.Viewport.touch", ["SINGLE"]),
        _twin_first,
        _unknown_first,
    ],
    ids=[
        "null-field",
        "longest-timestamp",
        "free-form-field",
        "list-of-values",
        "twin-first",
        "unknown-first",
    ],
)
def test_an_envelope_alexa_could_send_is_answered_whatever_its_spelling(
    household: Household, change: Callable[[dict[str, Any]], None]
) -> None:
    envelope = _intent(household)
    change(envelope)
    reply = household.send(envelope)
    assert reply.speech.startswith("I've saved your note appreciating the tea.")
