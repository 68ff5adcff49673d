"""What Lambda gives the function besides the event: a context that counts down its remaining time, and the
SQS poller that feeds it the purge queue's messages (moto runs no poller, and the stack's is disabled)."""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import boto3

from tests.support.aws import REGION

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


@dataclass
class LambdaContext:
    """Lambda's context object, as far as the function reads it: the time left before Lambda stops it."""

    remaining_ms: int
    started: float = field(default_factory=time.monotonic)

    def get_remaining_time_in_millis(self) -> int:
        return max(int(self.remaining_ms - (time.monotonic() - self.started) * 1000), 0)


@dataclass
class SqsPoller:
    """Lambda's SQS poller for one queue, as the event source mapping configures it: one message an
    invocation (BatchSize 1), deleted unless the function reports it failed (ReportBatchItemFailures). A
    failed message is made visible again at once, as if its visibility timeout had passed, so SQS counts
    its receives and, past maxReceiveCount, moves it to the dead-letter queue. It passes no Lambda context,
    so each step runs for STEP_SECONDS at most."""

    handler: Handler
    queue_url: str
    bodies: list[str] = field(default_factory=list)  # of the messages it delivered, in order
    answers: list[dict[str, Any]] = field(default_factory=list)  # the function's, in order

    @property
    def sqs(self) -> Any:
        return boto3.client("sqs", region_name=REGION)

    def poll(self) -> bool:
        """One invocation with the next message; whether there was one."""
        received = self.sqs.receive_message(
            QueueUrl=self.queue_url, MaxNumberOfMessages=1, AttributeNames=["ApproximateReceiveCount"]
        )
        [message] = received.get("Messages") or [None]
        if message is None:
            return False
        record = {
            "messageId": message["MessageId"],
            "receiptHandle": message["ReceiptHandle"],
            "body": message["Body"],
            "attributes": message.get("Attributes", {}),
            "eventSource": "aws:sqs",
        }
        answer = self.handler({"Records": [record]}, None)
        self.bodies.append(message["Body"])
        self.answers.append(answer)
        if {"itemIdentifier": message["MessageId"]} in answer["batchItemFailures"]:
            self.sqs.change_message_visibility(
                QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
            )
        else:
            self.sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"])
        return True

    def drain(self, most: int = 100) -> int:
        """Invoke the function until the queue is empty (at most `most` times); how many invocations."""
        for count in range(most):
            if not self.poll():
                return count
        raise AssertionError(f"the queue was not empty after {most} invocations")
