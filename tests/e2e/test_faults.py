"""DynamoDB failing on the wire (throttling, 500s, timeouts) on every read and write path.

What must hold afterwards is what the couple hears and what the table holds: no false confirmation,
and no half-state that a later turn misreads. Faults are injected at botocore's before-call (the request
never reaches the table, as with throttling) and, to see the retry policy at work, at before-send."""

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ReadTimeoutError

from skill.tools.console.fake_alexa import FakeAlexaApi
from tests.support import REGION, Household, Stack

FAULTS = ("throttled", "internal_error", "timeout")


class _Body:
    def __init__(self, payload: bytes) -> None:
        self.payload = payload

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.payload


def _dynamodb_error(status: int, code: str) -> AWSResponse:
    body = json.dumps({"__type": f"com.amazonaws.dynamodb.v20120810#{code}", "message": "injected"})
    headers = {"x-amzn-RequestId": "injected", "Content-Type": "application/x-amz-json-1.0"}
    return AWSResponse("https://dynamodb.us-east-1.amazonaws.com/", status, headers, _Body(body.encode()))


@dataclass
class WireFaults:
    """Fails chosen DynamoDB operations (every attempt, retries included) with one kind of fault."""

    fault: str
    operations: set[str] = field(default_factory=set)
    attempts: int = 0

    def response(self, event_name: str) -> AWSResponse | None:
        operation = event_name.rsplit(".", 1)[-1]
        if operation not in self.operations:
            return None
        self.attempts += 1
        if self.fault == "timeout":
            raise ReadTimeoutError(endpoint_url="https://dynamodb.us-east-1.amazonaws.com/")
        if self.fault == "throttled":
            return _dynamodb_error(400, "ThrottlingException")
        return _dynamodb_error(500, "InternalServerError")

    def before_call(self, event_name: str, model: Any, **_: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
        """Answer in place of DynamoDB: the call never reaches the table."""
        http = self.response(event_name)
        if http is None:
            return None
        parsed = json.loads(http.content)
        code = parsed["__type"].rsplit("#", 1)[-1]
        return http, {"Error": {"Code": code, "Message": "injected"}, "ResponseMetadata": {}}

    def before_send(self, request: Any, event_name: str, **_: Any) -> AWSResponse | None:
        """Answer each HTTP attempt, so botocore's retry policy runs (moto still sees the request)."""
        return self.response(event_name)


@contextmanager
def wire_faults(fault: str, stage: str = "before-call") -> Iterator[WireFaults]:
    faults = WireFaults(fault)
    hook = faults.before_call if stage == "before-call" else faults.before_send
    events = boto3.DEFAULT_SESSION.events
    events.register_first(f"{stage}.dynamodb", hook, unique_id="wire-faults")
    try:
        yield faults
    finally:
        events.unregister(f"{stage}.dynamodb", unique_id="wire-faults")


def items(stack: Stack, prefix: str) -> list[dict[str, Any]]:
    scanned = boto3.client("dynamodb", region_name=REGION).scan(TableName=stack.table_name)["Items"]
    return [item for item in scanned if item["sk"]["S"].startswith(prefix)]


@dataclass
class Path:
    """A turn whose DynamoDB calls fail, what it must not claim, and what must hold afterwards."""

    operations: set[str]
    prepare: Callable[[Household], None]
    act: Callable[[Household], Any]
    never_says: tuple[str, ...]
    afterwards: Callable[[Household, Stack, FakeAlexaApi], None]


def _nothing(_: Household) -> None:
    return None


def _launched(household: Household) -> None:
    household.launch()


def _named(household: Household) -> None:
    household.device.person_id = "amzn1.ask.person.SAM"
    household.launch()
    household.intent("NameIntent", firstName="Sam")


def _jar_has_one(household: Household) -> None:
    _named(household)
    household.intent("SaveAppreciationIntent", text="how you made coffee")


def _then(household: Household, intent: str) -> None:
    _jar_has_one(household)
    household.intent(intent)


def _saved_unsigned(household: Household) -> None:
    household.launch()
    household.intent("SaveAppreciationIntent", text="how you made coffee")


def _one_unsigned_appreciation(household: Household, stack: Stack, alexa_api: FakeAlexaApi) -> None:
    [stored] = items(stack, "APPR#")
    assert "author" not in stored


def _no_appreciations(household: Household, stack: Stack, alexa_api: FakeAlexaApi) -> None:
    assert items(stack, "APPR#") == []
    reply = household.one_shot("ReadAppreciationsIntent")
    assert "appreciates how you made coffee" not in reply.speech


def _one_appreciation_left(household: Household, stack: Stack, alexa_api: FakeAlexaApi) -> None:
    assert len(items(stack, "APPR#")) == 1
    assert "coffee" in household.one_shot("ReadAppreciationsIntent").speech


def _no_check_in_and_no_timers(household: Household, stack: Stack, alexa_api: FakeAlexaApi) -> None:
    assert items(stack, "CHECKIN#") == []
    assert alexa_api.state.timers.active == {}


def _still_answers(household: Household, stack: Stack, alexa_api: FakeAlexaApi) -> None:
    assert "?" in household.one_shot("TonightsQuestionIntent").speech


PATHS = {
    "launch reads the profile": Path(
        {"GetItem", "PutItem"}, _nothing, lambda h: h.launch(), (), _still_answers
    ),
    "saving an appreciation": Path(
        {"PutItem"},
        _named,
        lambda h: h.intent("SaveAppreciationIntent", text="how you made coffee"),
        ("Saved",),
        _no_appreciations,
    ),
    "signing an appreciation": Path(
        {"UpdateItem"},
        _saved_unsigned,
        lambda h: h.intent("AppreciationAuthorIntent", firstName="Sam"),
        ("Signed",),
        _one_unsigned_appreciation,
    ),
    "reading appreciations": Path(
        {"Query"},
        _jar_has_one,
        lambda h: h.intent("ReadAppreciationsIntent"),
        ("coffee",),
        _one_appreciation_left,
    ),
    "deleting the last appreciation": Path(
        {"DeleteItem"},
        lambda h: _then(h, "DeleteLastAppreciationIntent"),
        lambda h: h.intent("AMAZON.YesIntent"),
        ("Deleted.",),
        _one_appreciation_left,
    ),
    "deleting all data": Path(
        {"Query", "BatchWriteItem"},
        lambda h: _then(h, "DeleteAllDataIntent"),
        lambda h: h.intent("AMAZON.YesIntent"),
        ("Done", "deleted all"),
        _one_appreciation_left,
    ),
    "tonight's question": Path(
        {"GetItem", "PutItem"}, _launched, lambda h: h.intent("TonightsQuestionIntent"), (), _still_answers
    ),
    "starting a check-in": Path(
        {"Query", "PutItem"},
        _launched,
        lambda h: h.intent("StartCheckInIntent"),
        ("start now", "Enjoy each other"),
        _no_check_in_and_no_timers,
    ),
}


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("path", list(PATHS), ids=list(PATHS))
def test_a_failing_table_gets_an_honest_answer_and_leaves_no_half_state(
    household: Household, stack: Stack, alexa_api: FakeAlexaApi, path: str, fault: str
) -> None:
    alexa_api.state.timers.clock = lambda: household.now
    case = PATHS[path]
    # Clients copy the session's hooks when created, and the skill creates its client on its first turn.
    with wire_faults(fault) as faults:
        case.prepare(household)
        faults.operations = case.operations
        reply = case.act(household)
        faults.operations = set()
    assert faults.attempts > 0, "the path never reached the failing operation"
    assert reply.speech, "the couple hears an answer"
    for claim in case.never_says:
        assert claim not in reply.speech
    case.afterwards(household, stack, alexa_api)


@pytest.mark.parametrize("fault", ["throttled", "internal_error"])
def test_retries_are_bounded_so_a_turn_fits_in_alexas_eight_seconds(household: Household, fault: str) -> None:
    with wire_faults(fault, stage="before-send") as faults:
        household.launch()
        faults.operations = {"PutItem"}
        household.intent("NameIntent", firstName="Sam")
    assert faults.attempts == 3, "three attempts in all (botocore standard mode), then an honest answer"
