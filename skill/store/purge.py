"""Forgetting a household for good ("delete all our data", the skill disabled): every item of its
partition deleted in bounded steps, and whatever a step leaves carried on through a queue until none remain.

A step deletes what it can before its deadline. If items are left (time ran out, DynamoDB failed), the
household goes on the purge queue (SQS) as a job; the function takes the job, runs another step, and queues
a continuation while items remain. A step that fails leaves its message to be delivered again later; after
the queue's maxReceiveCount deliveries SQS moves it to the dead-letter queue, for a person, and every
failure is logged with the household's digest (never the Alexa user id), so one can finish it by hand.
Each step starts from what is left of the partition, so a step cut short, or run twice, loses nothing.
"""

import json
import logging
import re
from dataclasses import asdict, dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from skill.deadline import current, within
from skill.logs import log_event
from skill.store.aws import Connector, TimedClients, aws_client
from skill.store.table import PartialDeleteError, Table

log = logging.getLogger(__name__)

# Kept back from a step's deadline for queueing what it leaves behind.
QUEUE_RESERVE_SECONDS = 1.0
# The longest a step from the queue runs (Lambda's remaining time bounds it sooner): long enough for
# thousands of items, short enough that a step always finishes and reports inside the function's timeout.
STEP_SECONDS = 5.0
_HOUSEHOLD = re.compile(r"[0-9a-f]{32}")


class QueueUnavailableError(Exception):
    """The purge queue did not take the job."""


@dataclass(frozen=True)
class PurgeJob:
    """A household to forget, why, and how many of its items earlier steps deleted (as continuations
    counted them: a failed step's message comes back as it was, so its deletions go uncounted)."""

    household: str
    reason: str
    deleted: int = 0

    def message(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_message(cls, body: object) -> "PurgeJob":
        """The job a queue message carries; ValueError if it carries none."""
        fields = json.loads(body) if isinstance(body, str) else None
        if not isinstance(fields, dict) or set(fields) != {"household", "reason", "deleted"}:
            raise ValueError("not a purge job")
        household, reason, deleted = fields["household"], fields["reason"], fields["deleted"]
        if not (isinstance(household, str) and _HOUSEHOLD.fullmatch(household)):
            raise ValueError("not a household digest")
        if not isinstance(reason, str) or not isinstance(deleted, int) or isinstance(deleted, bool):
            raise ValueError("not a purge job")
        return cls(household, reason, deleted)


@dataclass(frozen=True)
class Forgotten:
    """What forgetting a household did this turn: how many items went, whether all did, and, if not,
    whether the rest is queued to be deleted."""

    deleted: int
    done: bool
    queued: bool = False


@dataclass(frozen=True)
class Step:
    """One step of a purge: how many items it deleted, whether none are left, and whether it failed."""

    deleted: int
    done: bool
    failed: bool = False


class PurgeQueue:
    """The SQS queue of households whose purge must go on (None: no queue, as in the console)."""

    def __init__(self, url: str | None, connect: Connector = aws_client) -> None:
        self.url = url
        self.clients = TimedClients("sqs", connect)

    def send(self, job: PurgeJob) -> None:
        """Queue the job; raises QueueUnavailableError when SQS does not take it."""
        if self.url is None:
            raise QueueUnavailableError("no purge queue is configured")
        self.sqs("send_message", QueueUrl=self.url, MessageBody=job.message())

    def sqs(self, operation: str, **request: Any) -> dict[str, Any]:
        """One SQS operation inside the deadline (the role may use exactly the operations called here)."""
        try:
            return self.clients.call(operation, request)
        except (ClientError, BotoCoreError) as error:
            raise QueueUnavailableError(f"{operation} failed: {type(error).__name__}") from error


class Purges:
    """Households forgotten in bounded steps, carried on through the purge queue."""

    def __init__(self, table: Table, queue: PurgeQueue) -> None:
        self.table = table
        self.queue = queue

    def forget(self, household: str, reason: str) -> Forgotten:
        """Delete what this turn has time for, and queue the rest. If the rest cannot be queued either,
        the failure is logged with the household's digest, for a person to finish."""
        job = PurgeJob(household, reason)
        with within(current().sooner(QUEUE_RESERVE_SECONDS)):
            step = self.step(job)
        if step.done:
            return Forgotten(step.deleted, done=True)
        try:
            self.queue.send(PurgeJob(household, reason, step.deleted))
        except QueueUnavailableError as error:
            log_event(
                log, "purge_not_queued", level=logging.ERROR, **self._failure(job, step), error=str(error)
            )
            return Forgotten(step.deleted, done=False)
        log_event(log, "purge_queued", household=household[:12], reason=reason, deleted=step.deleted)
        return Forgotten(step.deleted, done=False, queued=True)

    def carry_on(self, body: object, receive_count: int) -> bool:
        """Run a step of the job a queue message carries; whether the message is done with (the household
        is empty, or a continuation is queued). False: SQS should deliver it again later."""
        try:
            job = PurgeJob.from_message(body)
        except ValueError:
            log_event(log, "purge_message_unreadable", level=logging.ERROR, receive_count=receive_count)
            return False
        with within(current().sooner(QUEUE_RESERVE_SECONDS)):
            step = self.step(job)
        if step.failed or not (step.done or step.deleted):
            log_event(
                log,
                "purge_failed",
                level=logging.ERROR,
                **self._failure(job, step),
                receive_count=receive_count,
            )
            return False
        if step.done:
            return True
        try:
            self.queue.send(PurgeJob(job.household, job.reason, job.deleted + step.deleted))
        except QueueUnavailableError:
            log_event(log, "purge_not_queued", level=logging.ERROR, **self._failure(job, step))
            return False
        return True

    def step(self, job: PurgeJob) -> Step:
        """Delete what the deadline allows of the household's items, logging how far the purge got."""
        try:
            deleted, done = self.table.delete_items(job.household)
            step = Step(deleted, done)
        except PartialDeleteError as error:
            step = Step(error.removed, done=False, failed=True)
        log_event(
            log,
            "purge_step",
            household=job.household[:12],
            reason=job.reason,
            deleted=step.deleted,
            deleted_in_all=job.deleted + step.deleted,
            done=step.done,
        )
        return step

    @staticmethod
    def _failure(job: PurgeJob, step: Step) -> dict[str, Any]:
        """What a person needs to finish a purge by hand: the whole digest (the partition key's), not a
        prefix, and how far it got."""
        return {
            "household": job.household,
            "reason": job.reason,
            "deleted_in_all": job.deleted + step.deleted,
        }
