"""Forgetting a household for good: a purge goes on past its turn, through the purge queue (SQS, with a
dead-letter queue), until every item of the household is gone, whatever fails or runs out of time on the way.

Lambda's SQS poller is played by `SqsPoller`: one message an invocation of the deployed handler, deleted
unless the function reports it failed, a failed one delivered again at once (as if its visibility timeout
had passed). `cold_start` between the turn and the poller stands for the poller's own container, whose
DynamoDB client carries none of the faults injected into the turn's."""

import json
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
import pytest

from skill.alexa_api import AlexaApiClient
from skill.app import answer, build_skill
from skill.context import household_id
from skill.store import Store
from skill.store.aws import aws_session
from skill.store.table import BACKUP_RETENTION_DAYS, household_pk
from tests.support import (
    REGION,
    Accounts,
    Household,
    LambdaContext,
    SqsPoller,
    Stack,
    cold_start,
    logged,
    wire_faults,
)

DISABLED = "AlexaSkillEvent.SkillDisabled"


def seed(stack: Stack, user_id: str, count: int) -> None:
    """`count` appreciation-shaped items straight into the table for one household, 25 a batch."""
    client = boto3.client("dynamodb", region_name=REGION)
    pk = {"S": household_pk(household_id(user_id))}
    for start in range(0, count, 25):
        batch = [
            {"PutRequest": {"Item": {"pk": pk, "sk": {"S": f"APPR#2026-11-01T20:00:00Z#{n:06d}"}}}}
            for n in range(start, min(start + 25, count))
        ]
        client.batch_write_item(RequestItems={stack.table_name: batch})


def items_of(stack: Stack, user_id: str) -> int:
    pages = (
        boto3.client("dynamodb", region_name=REGION)
        .get_paginator("query")
        .paginate(
            TableName=stack.table_name,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": household_pk(household_id(user_id))}},
            Select="COUNT",
        )
    )
    return sum(page["Count"] for page in pages)


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

    hooks = aws_session().get_component("event_emitter")
    hooks.register("before-send.dynamodb.BatchWriteItem", wait, unique_id="tests.slow-batch-writes")
    try:
        yield
    finally:
        hooks.unregister("before-send.dynamodb.BatchWriteItem", unique_id="tests.slow-batch-writes")


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
    assert 0 < items_of(stack, user_id) < 121

    cold_start()
    queue.drain()

    assert jobs_for(queue.bodies, user_id), "the rest went through the purge queue"
    assert items_of(stack, user_id) == 0
    assert items_of(stack, neighbour) == 3


def test_delete_all_of_thousands_answers_in_time_and_the_queue_finishes_it(
    household: Household, stack: Stack, queue: SqsPoller
) -> None:
    # At DynamoDB's pace (moto has none: 20 ms a batch here), 9,000 items take far longer than a turn.
    user_id = household.device.user_id
    seed(stack, user_id, 9000)
    household.launch()
    household.intent("DeleteAllDataIntent")
    with slow_batch_writes(0.02):
        cold_start()
        household.handler = lambda event, _: stack.handler()(event, LambdaContext(5000))
        started = time.monotonic()
        reply = household.intent("AMAZON.YesIntent")
        took = time.monotonic() - started
    assert took < 5.0, f"the turn took {took:.1f} s of Lambda's 5"
    assert "keep deleting it in the background" in reply.speech
    assert items_of(stack, user_id) > 0

    cold_start()
    queue.drain()
    assert items_of(stack, user_id) == 0


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

    assert items_of(stack, user_id) == 0
    assert items_of(stack, neighbour) == 3
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
    assert items_of(stack, user_id) == 30, "nothing is claimed, and nothing half-said"
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
    assert items_of(stack, user_id) > 0
