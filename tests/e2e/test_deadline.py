"""The turn deadline: with a DynamoDB (or an Alexa API) that accepts connections and never answers, every
turn still answers before Alexa stops waiting and Lambda stops the function, and claims nothing it did not do.

The hanging service is a socket server on 127.0.0.1. The skill is the deployed one, built through the
composition root's seam (`build_skill` with a `Store` whose DynamoDB client points there); the purge
queue is moto's, so what a deletion could not do is still queued."""

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config

from skill.alexa_api import AlexaApiClient
from skill.app import answer, build_skill
from skill.context import household_id
from skill.store import Store
from skill.tools.console.envelopes import Device
from skill.tools.console.fake_alexa import FakeAlexaApi
from tests.support import SAM, Accounts, Household, LambdaContext, Reply, SqsPoller, Stack, household_items


class Hanging:
    """A TCP server on 127.0.0.1 that accepts every connection and never sends a byte."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            self.held.append(connection)

    def close(self) -> None:
        self.server.close()
        for connection in self.held:
            connection.close()


@pytest.fixture
def hanging() -> Iterator[Hanging]:
    server = Hanging()
    yield server
    server.close()


def hanging_dynamodb(hanging: Hanging) -> Any:
    """The store's connector: DynamoDB at the hanging server, every other service (SQS) as usual."""

    def connect(service: str, config: Config) -> Any:
        endpoint = f"http://127.0.0.1:{hanging.port}" if service == "dynamodb" else None
        return boto3.client(service, config=config, endpoint_url=endpoint)

    return connect


def household_on(
    stack: Stack, alexa_api: FakeAlexaApi, device: Device, store: Store, remaining_ms: int | None
) -> Household:
    """A household whose turns reach a skill built on `store`, each with Lambda's time left (None: Lambda's
    context is missing, as in `closer serve`, and Alexa's wait alone bounds the turn)."""
    skill = build_skill(store, AlexaApiClient(alexa_api.ca_bundle), stack.environment["SKILL_ID"])

    def handler(event: dict[str, Any], _: Any) -> dict[str, Any]:
        return answer(skill, event, LambdaContext(remaining_ms) if remaining_ms is not None else None)

    return Household(handler, device=device)


def timed(turn: Any) -> tuple[Reply, float]:
    started = time.monotonic()
    reply = turn()
    return reply, time.monotonic() - started


@pytest.fixture
def device(alexa_api: FakeAlexaApi, accounts: Accounts) -> Device:
    return Device(user_id=accounts.user_id(), person_id=SAM, api_endpoint=alexa_api.endpoint)


def test_saving_an_appreciation_answers_in_time_and_says_it_is_not_saved(
    stack: Stack, alexa_api: FakeAlexaApi, device: Device, hanging: Hanging
) -> None:
    # The review's worst case: the profile read and the save each ran out their retries (12.1 s).
    store = Store(stack.table_name, connect=hanging_dynamodb(hanging))
    household = household_on(stack, alexa_api, device, store, remaining_ms=None)
    reply, took = timed(lambda: household.one_shot("SaveAppreciationIntent", text="how you made coffee"))
    assert took < 6.0, f"{took:.1f} s"
    assert "isn't saved" in reply.speech and "I've saved" not in reply.speech


SHORT_LAMBDA_MS = 1500  # what Lambda may leave a turn late in its timeout

TURNS = {
    "launch": (lambda h: h.launch(), ()),
    "naming a voice": (lambda h: h.one_shot("NameIntent", firstName="Sam"), ("Nice to meet",)),
    "saving an appreciation": (
        lambda h: h.one_shot("SaveAppreciationIntent", text="how you made coffee"),
        ("I've saved",),
    ),
    "reading appreciations": (lambda h: h.one_shot("ReadAppreciationsIntent"), ("Here's",)),
    "tonight's question": (lambda h: h.one_shot("TonightsQuestionIntent"), ()),
    "starting a check-in": (lambda h: h.one_shot("StartCheckInIntent"), ("start now", "when to switch")),
}


@pytest.mark.parametrize("turn", list(TURNS), ids=list(TURNS))
def test_every_turn_answers_inside_the_time_lambda_leaves_it(
    stack: Stack, alexa_api: FakeAlexaApi, device: Device, hanging: Hanging, turn: str
) -> None:
    act, never_says = TURNS[turn]
    store = Store(stack.table_name, connect=hanging_dynamodb(hanging))
    household = household_on(stack, alexa_api, device, store, remaining_ms=SHORT_LAMBDA_MS)
    reply, took = timed(lambda: act(household))
    assert took < SHORT_LAMBDA_MS / 1000, f"{took:.2f} s"
    assert reply.speech, "the couple hears an answer"
    for claim in never_says:
        assert claim not in reply.speech
    assert alexa_api.state.timers.active == {}, "no timer is left ringing for a check-in never started"


def _asked_to_delete_all(household: Household) -> None:
    household.launch()
    household.intent("DeleteAllDataIntent")


PURGES = {
    "delete all our data": (_asked_to_delete_all, lambda h: h.intent("AMAZON.YesIntent")),
    "skill disabled": (
        lambda h: None,
        lambda h: h.send(h.conversation.skill_event("AlexaSkillEvent.SkillDisabled")),
    ),
}


@pytest.mark.parametrize("purge", list(PURGES), ids=list(PURGES))
def test_a_purge_the_table_cannot_answer_is_queued_in_time(
    stack: Stack, alexa_api: FakeAlexaApi, device: Device, hanging: Hanging, purge: str
) -> None:
    queue_url = stack.environment["PURGE_QUEUE_URL"]
    store = Store(stack.table_name, connect=hanging_dynamodb(hanging), purge_queue_url=queue_url)
    household = household_on(stack, alexa_api, device, store, remaining_ms=SHORT_LAMBDA_MS)
    prepare, act = PURGES[purge]
    prepare(household)
    reply, took = timed(lambda: act(household))
    assert took < SHORT_LAMBDA_MS / 1000, f"{took:.2f} s"
    assert "deleted all" not in reply.speech
    if reply.speech:
        assert "keep deleting it in the background" in reply.speech
    poller = SqsPoller(stack.handler(), queue_url)
    poller.drain()
    assert any(household_id(device.user_id) in body for body in poller.bodies), "the purge was queued"


def test_a_hanging_alexa_api_still_leaves_time_to_answer(
    stack: Stack, accounts: Accounts, alexa_api: FakeAlexaApi, hanging: Hanging
) -> None:
    # Less time than one Alexa API call's usual connect timeout: the calls must take theirs from the turn.
    remaining_ms = 1000
    device = Device(user_id=accounts.user_id(), api_endpoint=f"https://127.0.0.1:{hanging.port}")
    household = household_on(stack, alexa_api, device, Store(stack.table_name), remaining_ms=remaining_ms)
    reply, took = timed(lambda: household.one_shot("StartCheckInIntent"))
    assert took < remaining_ms / 1000, f"{took:.2f} s"
    assert "start now" not in reply.speech and reply.speech
    assert household_items(stack.table_name, device.user_id, "CHECKIN#") == []
    question, took = timed(lambda: household.one_shot("TonightsQuestionIntent"))
    assert took < remaining_ms / 1000, f"{took:.2f} s"
    assert "?" in question.speech, "tonight's question, in the locale's time zone"
