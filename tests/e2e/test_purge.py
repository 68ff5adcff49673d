"""Forgetting a household for good: a purge goes on past its turn, through the purge queue (SQS, with a
dead-letter queue), until every item of the household is gone, whatever fails or runs out of time on the way.

Lambda's SQS poller is played by `SqsPoller`: one message an invocation of the deployed handler, deleted
unless the function reports it failed, a failed one delivered again at once (as if its visibility timeout
had passed). `cold_start` between the turn and the poller stands for the poller's own container, whose
DynamoDB client carries none of the faults injected into the turn's."""

import json
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from skill.alexa_api import AlexaApiClient
from skill.app import answer, build_skill
from skill.context import household_id
from skill.deadline import current
from skill.store import Store, table
from skill.store.aws import aws_client
from skill.store.table import BACKUP_RETENTION_DAYS, BATCH_SECONDS, household_pk
from tests.support import (
    REGION,
    Accounts,
    Household,
    LambdaContext,
    SqsPoller,
    Stack,
    cold_start,
    household_item_count,
    logged,
    put_items,
    session_hook,
    wire_faults,
)

DISABLED = "AlexaSkillEvent.SkillDisabled"


def seed(stack: Stack, user_id: str, count: int) -> None:
    """`count` appreciation-shaped items straight into the table for one household."""
    pk = {"S": household_pk(household_id(user_id))}
    put_items(
        stack.table_name,
        [{"pk": pk, "sk": {"S": f"APPR#2026-11-01T20:00:00Z#{n:06d}"}} for n in range(count)],
    )


@pytest.fixture
def queue(stack: Stack) -> SqsPoller:
    """The purge queue's poller, the queue emptied first of what earlier tests left in it (their purges
    finish), and a cold container after, so the faults a test injects reach the clients of its turns."""
    SqsPoller(stack.handler(), stack.environment["PURGE_QUEUE_URL"]).drain()
    cold_start()
    return SqsPoller(stack.handler(), stack.environment["PURGE_QUEUE_URL"])


def jobs_for(bodies: list[str], user_id: str) -> list[dict[str, Any]]:
    """The purge jobs among queue message bodies that are this account's household's."""
    jobs = [json.loads(body) for body in bodies if body.startswith("{")]
    return [job for job in jobs if job.get("household") == household_id(user_id)]


def dead_letters(stack: Stack) -> list[str]:
    """The bodies in the dead-letter queue, taken off it."""
    sqs, url = boto3.client("sqs", region_name=REGION), stack.outputs["PurgeDeadLetterQueue"]
    bodies = []
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages"):
        for message in messages:
            bodies.append(message["Body"])
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    return bodies


def short_lambda(stack: Stack) -> Callable[[dict[str, Any], Any], dict[str, Any]]:
    """The deployed handler as a Lambda that gives each event 2.5 s (Lambda's context says so)."""
    return lambda event, _: stack.handler()(event, LambdaContext(2500))


def events(caplog: pytest.LogCaptureFixture, name: str) -> list[dict[str, Any]]:
    return [line for line in logged(caplog.records) if line.get("event") == name]


@pytest.fixture
def neighbour(stack: Stack, accounts: Accounts) -> str:
    """Another household in the table, with three items a purge must never touch."""
    user_id = accounts.user_id("NEIGHBOUR")
    seed(stack, user_id, 3)
    return user_id


@contextmanager
def slow_batch_writes(seconds: float) -> Iterator[None]:
    """DynamoDB's own latency, which moto lacks, on every BatchWriteItem of clients made in the block."""

    def wait(**_: Any) -> None:
        time.sleep(seconds)

    with session_hook("before-send.dynamodb.BatchWriteItem", wait):
        yield


def test_a_batch_throttled_part_way_through_delete_all_is_finished_from_the_queue(
    household: Household, stack: Stack, neighbour: str, queue: SqsPoller
) -> None:
    # The review's case: 120 items, the second BatchWriteItem throttled, and 95 items stayed for ever.
    user_id = household.device.user_id
    seed(stack, user_id, 120)
    with wire_faults("throttled") as faults:
        household.launch()
        household.intent("DeleteAllDataIntent")
        faults.failing_from["BatchWriteItem"] = 2
        reply = household.intent("AMAZON.YesIntent")
    assert "keep deleting it in the background" in reply.speech and "deleted all" not in reply.speech
    assert f"for up to {BACKUP_RETENTION_DAYS} days" in reply.card["content"]
    assert 0 < household_item_count(stack.table_name, user_id) < 121

    cold_start()
    queue.drain()

    assert jobs_for(queue.bodies, user_id), "the rest went through the purge queue"
    assert household_item_count(stack.table_name, user_id) == 0
    assert household_item_count(stack.table_name, neighbour) == 3


def test_delete_all_of_thousands_answers_in_time_and_the_queue_finishes_it(
    household: Household, stack: Stack, queue: SqsPoller
) -> None:
    # At DynamoDB's pace (moto has none: 50 ms a batch here), 2,500 items take longer than a turn. Few
    # enough that moto's own work (its Query of the keys grows with the partition, and cannot be cut short
    # by the deadline as a real call's timeouts would) stays small on a loaded machine: there, 9,000 items
    # once cost moto seconds of the turn's five, and the turn was out of time before deleting anything.
    user_id = household.device.user_id
    seed(stack, user_id, 2500)
    household.launch()
    household.intent("DeleteAllDataIntent")
    with slow_batch_writes(0.05):
        cold_start()
        household.handler = lambda event, _: stack.handler()(event, LambdaContext(5000))
        started = time.monotonic()
        reply = household.intent("AMAZON.YesIntent")
        took = time.monotonic() - started
    assert took < 5.0, f"the turn took {took:.1f} s of Lambda's 5"
    assert "keep deleting it in the background" in reply.speech
    assert household_item_count(stack.table_name, user_id) > 0

    cold_start()
    queue.drain()
    assert household_item_count(stack.table_name, user_id) == 0


def test_a_disabled_skills_twenty_thousand_items_go_despite_throttling_on_the_way(
    household: Household, stack: Stack, neighbour: str, queue: SqsPoller, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    user_id = household.device.user_id
    seed(stack, user_id, 20_000)
    with wire_faults("throttled") as faults:
        faults.failing_from["BatchWriteItem"] = 40
        reply = household.send(household.conversation.skill_event(DISABLED))
        assert reply.response.get("outputSpeech") is None
        # Still throttled when the queue first delivers it: the step fails and the message comes back.
        queue.poll()
    assert queue.answers[-1]["batchItemFailures"], "a failed step asks SQS to deliver it again"
    [failed] = [line for line in events(caplog, "purge_failed") if line["household"] == household_id(user_id)]
    assert failed["level"] == "ERROR" and failed["reason"] == "skill_disabled"

    cold_start()
    throttled = len(queue.answers)
    queue.drain()

    assert household_item_count(stack.table_name, user_id) == 0
    assert household_item_count(stack.table_name, neighbour) == 3
    steps = queue.answers[throttled:]
    assert len(steps) > 1, "20,000 items take more than one step"
    assert [answer for answer in steps if answer["batchItemFailures"]] == [], (
        "a step that runs out of time queues the rest; it does not fail towards the dead-letter queue"
    )
    assert not jobs_for(dead_letters(stack), user_id)
    assert any(
        line["done"]
        for line in events(caplog, "purge_step")
        if line["household"] == household_id(user_id)[:12]
    )


def test_a_purge_that_keeps_failing_ends_in_the_dead_letter_queue_with_its_household_logged(
    household: Household, stack: Stack, queue: SqsPoller, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    user_id = household.device.user_id
    seed(stack, user_id, 30)
    with wire_faults("internal_error") as faults:
        faults.failing = {"BatchWriteItem"}
        household.send(household.conversation.skill_event(DISABLED))
        queue.drain()

    assert [job["household"] for job in jobs_for(dead_letters(stack), user_id)] == [household_id(user_id)]
    failures = [line for line in events(caplog, "purge_failed") if line["household"] == household_id(user_id)]
    assert len(failures) == 10, "SQS delivered it maxReceiveCount times before dead-lettering it"
    assert household_item_count(stack.table_name, user_id) == 30, "nothing is claimed, and nothing half-said"
    assert user_id not in caplog.text


@pytest.mark.parametrize(
    "job",
    [
        {"household": "HH#../../everyone", "reason": "x", "deleted": 0},
        {"household": "0" * 32, "reason": "x", "deleted": True},
        {"household": "0" * 32, "reason": 7, "deleted": 0},
        {"household": "0" * 32, "reason": "x", "deleted": "0"},
        {"household": "0" * 32, "reason": "x"},
    ],
    ids=["not-a-digest", "deleted-true", "reason-a-number", "deleted-a-string", "no-count"],
)
def test_a_message_that_is_no_purge_job_is_dead_lettered_not_run(
    stack: Stack, queue: SqsPoller, caplog: pytest.LogCaptureFixture, job: dict[str, Any]
) -> None:
    caplog.set_level(logging.INFO)
    garbage = json.dumps(job)
    boto3.client("sqs", region_name=REGION).send_message(QueueUrl=queue.queue_url, MessageBody=garbage)

    queue.drain()

    assert garbage in dead_letters(stack)
    assert len(events(caplog, "purge_message_unreadable")) == 10
    assert not events(caplog, "purge_step"), "no step ran for it"


def test_without_a_queue_a_delete_all_that_cannot_finish_says_some_may_be_stored(
    household: Household, stack: Stack, alexa_api: Any, caplog: pytest.LogCaptureFixture
) -> None:
    # As `closer serve` or the console run it: no purge queue to carry on what the turn leaves.
    store = Store(stack.table_name)
    skill = build_skill(store, AlexaApiClient(alexa_api.ca_bundle), household.conversation.skill_id)
    household.handler = lambda event, _: answer(skill, event, None)
    user_id = household.device.user_id
    seed(stack, user_id, 60)
    with wire_faults("internal_error") as faults:
        household.launch()
        household.intent("DeleteAllDataIntent")
        faults.failing_from["BatchWriteItem"] = 2
        reply = household.intent("AMAZON.YesIntent")

    assert "some of it may still be stored" in reply.speech and reply.listening
    [not_queued] = events(caplog, "purge_not_queued")
    assert not_queued["household"] == household_id(user_id) and not_queued["level"] == "ERROR"
    assert not_queued["error"] == "no purge queue is configured", "what the operator reads to finish it"
    assert household_item_count(stack.table_name, user_id) > 0


@contextmanager
def page_ends_as_time_runs_out(batches_a_page: int) -> Iterator[None]:
    """The last BatchWriteItem of each full page of keys (of clients made in the block) takes all but a
    moment of its step's time: the step must stop there, between two pages."""
    calls = 0

    def take_the_time(**_: Any) -> None:
        nonlocal calls
        calls += 1
        if calls % batches_a_page == 0:
            time.sleep(max(current().remaining() - BATCH_SECONDS / 2, 0.0))

    with session_hook("before-send.dynamodb.BatchWriteItem", take_the_time):
        yield


def test_a_step_out_of_time_just_as_a_page_of_keys_ends_queues_what_lies_past_the_page(
    household: Household,
    stack: Stack,
    queue: SqsPoller,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    monkeypatch.setattr(table, "KEYS_PER_PAGE", 50)  # two batches a page, so the household has two pages
    user_id = household.device.user_id
    seed(stack, user_id, 60)
    household.launch()
    household.intent("DeleteAllDataIntent")
    with page_ends_as_time_runs_out(batches_a_page=2):
        cold_start()
        household.handler = short_lambda(stack)
        reply = household.intent("AMAZON.YesIntent")

    assert "keep deleting it in the background" in reply.speech, "not said to be all gone: 11 items are left"
    assert household_item_count(stack.table_name, user_id) == 11
    cold_start()
    queue.drain()
    assert household_item_count(stack.table_name, user_id) == 0
    # The continuation carries the purge's reason and count on: what an operator reads of its progress.
    steps = [line for line in events(caplog, "purge_step") if line["household"] == household_id(user_id)[:12]]
    assert [(line["reason"], line["deleted"], line["deleted_in_all"], line["done"]) for line in steps] == [
        ("delete_all", 50, 50, False),
        ("delete_all", 11, 61, True),
    ]


def test_a_store_given_its_own_connector_makes_every_aws_client_with_it(
    household: Household, stack: Stack, alexa_api: Any, queue: SqsPoller, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The seam by which the console and `closer serve` point the store at a DynamoDB of their own: a
    # client made past it would reach whatever AWS account the environment names.
    made: list[str] = []

    def connect(service: str, config: Config) -> Any:
        made.append(service)
        return aws_client(service, config)

    store = Store(stack.table_name, connect, stack.environment["PURGE_QUEUE_URL"])
    skill = build_skill(store, AlexaApiClient(alexa_api.ca_bundle), household.conversation.skill_id)
    household.handler = lambda event, _: answer(skill, event, LambdaContext(2500))
    monkeypatch.setattr(table, "KEYS_PER_PAGE", 50)
    user_id = household.device.user_id
    seed(stack, user_id, 60)
    household.launch()
    household.intent("DeleteAllDataIntent")
    with page_ends_as_time_runs_out(batches_a_page=2):
        reply = household.intent("AMAZON.YesIntent")  # deletes a page, then queues the rest

    assert "keep deleting it in the background" in reply.speech
    assert sorted(set(made)) == ["dynamodb", "sqs"]


@contextmanager
def queue_refuses_jobs() -> Iterator[None]:
    """SQS refusing every SendMessage of clients made in the block."""

    def refuse(**_: Any) -> None:
        raise ClientError({"Error": {"Code": "AccessDenied", "Message": "injected"}}, "SendMessage")

    with session_hook("before-call.sqs.SendMessage", refuse):
        yield


@pytest.mark.parametrize("refused", [False, True], ids=["queued", "queue-refuses"])
def test_a_disabled_skills_purge_cut_short_logs_how_far_it_got_and_whether_the_rest_is_queued(
    household: Household,
    stack: Stack,
    queue: SqsPoller,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    refused: bool,
) -> None:
    caplog.set_level(logging.INFO)
    monkeypatch.setattr(table, "KEYS_PER_PAGE", 50)
    user_id = household.device.user_id
    seed(stack, user_id, 60)
    with page_ends_as_time_runs_out(batches_a_page=2), queue_refuses_jobs() if refused else nullcontext():
        cold_start()
        household.handler = short_lambda(stack)
        household.send(household.conversation.skill_event(DISABLED))

    [disabled] = events(caplog, "skill_disabled")
    assert (disabled["items_deleted"], disabled["done"], disabled["queued"]) == (50, False, not refused)


def test_a_step_from_the_queue_whose_next_step_the_queue_refuses_is_delivered_again(
    household: Household,
    stack: Stack,
    queue: SqsPoller,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    monkeypatch.setattr(table, "KEYS_PER_PAGE", 50)
    user_id = household.device.user_id
    seed(stack, user_id, 60)
    job = {"household": household_id(user_id), "reason": "skill_disabled", "deleted": 0}
    queue.sqs.send_message(QueueUrl=queue.queue_url, MessageBody=json.dumps(job))
    poller = SqsPoller(short_lambda(stack), queue.queue_url)
    with page_ends_as_time_runs_out(batches_a_page=2), queue_refuses_jobs():
        cold_start()
        poller.poll()

    assert poller.answers[-1]["batchItemFailures"], "not done with: SQS is to deliver it again"
    [not_queued] = events(caplog, "purge_not_queued")
    assert (not_queued["reason"], not_queued["deleted_in_all"]) == ("skill_disabled", 50)


def test_a_queue_that_refuses_the_rest_is_logged_with_what_failed_for_a_person_to_finish(
    household: Household, stack: Stack, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(table, "KEYS_PER_PAGE", 50)
    user_id = household.device.user_id
    seed(stack, user_id, 60)
    household.launch()
    household.intent("DeleteAllDataIntent")

    with page_ends_as_time_runs_out(batches_a_page=2), queue_refuses_jobs():
        cold_start()
        household.handler = short_lambda(stack)
        reply = household.intent("AMAZON.YesIntent")

    assert "some of it may still be stored" in reply.speech
    [not_queued] = events(caplog, "purge_not_queued")
    assert not_queued["error"] == "send_message failed: ClientError"
    assert (not_queued["reason"], not_queued["deleted_in_all"]) == ("delete_all", 50)


def test_a_queue_record_without_a_body_is_reported_failed_and_logged_as_unreadable(
    stack: Stack, queue: SqsPoller, caplog: pytest.LogCaptureFixture
) -> None:
    record = {"messageId": "m-1", "eventSource": "aws:sqs", "attributes": {"ApproximateReceiveCount": "1"}}
    answer = stack.handler()({"Records": [record]}, None)
    assert answer == {"batchItemFailures": [{"itemIdentifier": "m-1"}]}
    [unreadable] = events(caplog, "purge_message_unreadable")
    assert unreadable["receive_count"] == 1


def purge_steps(caplog: pytest.LogCaptureFixture, user_id: str) -> list[tuple[str, int, int, bool]]:
    """The household's purge steps as logged: reason, deleted by the step, deleted in all, done."""
    steps = [line for line in events(caplog, "purge_step") if line["household"] == household_id(user_id)[:12]]
    return [(line["reason"], line["deleted"], line["deleted_in_all"], line["done"]) for line in steps]


def test_a_step_from_the_queue_out_of_time_queues_the_next_with_the_count_so_far(
    household: Household,
    stack: Stack,
    queue: SqsPoller,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    monkeypatch.setattr(table, "KEYS_PER_PAGE", 50)
    user_id = household.device.user_id
    seed(stack, user_id, 120)
    household.launch()
    household.intent("DeleteAllDataIntent")
    with page_ends_as_time_runs_out(batches_a_page=2):
        cold_start()
        household.handler = short_lambda(stack)
        household.intent("AMAZON.YesIntent")
        poller = SqsPoller(short_lambda(stack), queue.queue_url)
        poller.drain()

    assert household_item_count(stack.table_name, user_id) == 0
    assert purge_steps(caplog, user_id) == [
        ("delete_all", 50, 50, False),
        ("delete_all", 50, 100, False),
        ("delete_all", 21, 121, True),
    ]
    assert jobs_for(poller.bodies, user_id) == [
        {"household": household_id(user_id), "reason": "delete_all", "deleted": 50},
        {"household": household_id(user_id), "reason": "delete_all", "deleted": 100},
    ]
    assert [answer["batchItemFailures"] for answer in poller.answers] == [[], []]


def test_a_job_for_a_household_already_empty_is_done_with_at_once(
    household: Household, stack: Stack, queue: SqsPoller, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    user_id = household.device.user_id
    job = {"household": household_id(user_id), "reason": "skill_disabled", "deleted": 40}
    boto3.client("sqs", region_name=REGION).send_message(
        QueueUrl=queue.queue_url, MessageBody=json.dumps(job)
    )

    assert queue.drain() == 1
    assert queue.answers == [{"batchItemFailures": []}]
    assert purge_steps(caplog, user_id) == [("skill_disabled", 0, 40, True)]


def test_a_step_from_the_queue_that_fails_part_way_is_logged_and_delivered_again(
    household: Household, stack: Stack, queue: SqsPoller, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    user_id = household.device.user_id
    seed(stack, user_id, 60)
    job = {"household": household_id(user_id), "reason": "skill_disabled", "deleted": 0}
    boto3.client("sqs", region_name=REGION).send_message(
        QueueUrl=queue.queue_url, MessageBody=json.dumps(job)
    )
    with wire_faults("internal_error") as faults:
        faults.failing_from["BatchWriteItem"] = 2
        cold_start()
        queue.poll()

    assert queue.answers[-1]["batchItemFailures"], "SQS is to deliver it again"
    [failed] = [line for line in events(caplog, "purge_failed") if line["household"] == household_id(user_id)]
    assert (failed["reason"], failed["deleted_in_all"]) == ("skill_disabled", 25)
    assert purge_steps(caplog, user_id) == [("skill_disabled", 25, 25, False)]
    cold_start()
    queue.drain()
    assert household_item_count(stack.table_name, user_id) == 0
