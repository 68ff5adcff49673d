"""The one DynamoDB table: its keys, its clients (timed by the turn's deadline), and the plumbing every
record shares.

Each household owns one partition, `HH#<household>`; a record's module owns its sort keys. Every
operation goes through `Table.call`, which names our table and turns any failure into one error type.
"""

import random
import time
from collections.abc import Iterator, Mapping
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from skill.deadline import current
from skill.store.attribute_values import deserialize, serialize
from skill.store.aws import BACKOFF_SECONDS, Connector, TimedClients, attempt_timeouts, aws_client

# The table's shape; infra/template.yaml declares the same (a test holds them together).
KEY_SCHEMA = [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}]
ATTRIBUTE_DEFINITIONS = [
    {"AttributeName": "pk", "AttributeType": "S"},
    {"AttributeName": "sk", "AttributeType": "S"},
]
# How long point-in-time recovery keeps a deleted item restorable; infra/template.yaml sets the same (a
# test holds them together), and the deletion reply's card says it.
BACKUP_RETENTION_DAYS = 7
MULTI_TABLE_OPERATIONS = frozenset(
    {"batch_write_item", "batch_get_item", "transact_write_items", "transact_get_items"}
)
BATCH_WRITE_LIMIT = 25  # DynamoDB's most requests in one BatchWriteItem
UNPROCESSED_RETRIES = 4  # throttled batch items are retried this often before we give up honestly
# A batch (a page of keys, a BatchWriteItem) is started only with at least this long left to finish it.
BATCH_SECONDS = 0.5
# Keys a bulk delete reads a Query page at a time: enough for a step's batches, and a page that a step
# cut short does not need to have read in vain.
KEYS_PER_PAGE = 5000


class StoreUnavailableError(Exception):
    """DynamoDB did not do what was asked; nothing may be reported as saved or read."""


class PartialDeleteError(StoreUnavailableError):
    """DynamoDB failed part way through a bulk delete; `removed` items had already gone."""

    def __init__(self, removed: int) -> None:
        super().__init__(f"bulk delete stopped after {removed} items")
        self.removed = removed


def household_pk(household: str) -> str:
    """Partition key of everything one household owns."""
    return f"HH#{household}"


def to_item(attributes: Mapping[str, Any]) -> dict[str, Any]:
    """Plain Python values as a DynamoDB item (None values left out)."""
    return {name: serialize(value) for name, value in attributes.items() if value is not None}


def from_item(item: Mapping[str, Any]) -> dict[str, Any]:
    """A DynamoDB item as plain Python values."""
    return {name: deserialize(value) for name, value in item.items()}


def condition_failed(error: StoreUnavailableError) -> bool:
    """Whether DynamoDB refused a write only because its condition expression was false."""
    cause = error.__cause__
    return isinstance(cause, ClientError) and (
        cause.response["Error"].get("Code") == "ConditionalCheckFailedException"
    )


class Table:
    """Our table. Every method raises StoreUnavailableError when DynamoDB fails or the deadline comes."""

    def __init__(self, table_name: str, connect: Connector = aws_client) -> None:
        self.table_name = table_name
        self.clients = TimedClients("dynamodb", connect)

    def call(self, operation: str, **request: Any) -> dict[str, Any]:
        """Run one DynamoDB operation against our table, translating failures into one error type.

        Batch and transaction operations name the table inside their request, so they get no TableName."""
        if operation not in MULTI_TABLE_OPERATIONS:
            request["TableName"] = self.table_name
        try:
            return self.clients.call(operation, request)
        except (ClientError, BotoCoreError) as error:
            raise StoreUnavailableError(f"{operation} failed: {type(error).__name__}") from error

    @staticmethod
    def key(household: str, sk: str) -> dict[str, Any]:
        """The DynamoDB key of one item of the household."""
        return to_item({"pk": household_pk(household), "sk": sk})

    def get(self, household: str, sk: str) -> dict[str, Any] | None:
        """One item of the household, or None."""
        item = self.call("get_item", Key=self.key(household, sk)).get("Item")
        return from_item(item) if item else None

    def put(self, household: str, sk: str, attributes: Mapping[str, Any], **conditions: Any) -> None:
        """Write one item of the household (conditions are passed to PutItem as they are)."""
        item = to_item({**attributes, "pk": household_pk(household), "sk": sk})
        self.call("put_item", Item=item, **conditions)

    def query_pages(self, request: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """Every page a Query returns, following LastEvaluatedKey to the end."""
        request = dict(request)
        while True:
            page = self.call("query", **request)
            yield page
            if "LastEvaluatedKey" not in page:
                return
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    @staticmethod
    def keys_query(household: str, sk_prefix: str) -> dict[str, Any]:
        """A Query for the keys of the household's items whose sort key starts with sk_prefix."""
        condition = "pk = :pk"
        values: dict[str, Any] = {":pk": household_pk(household)}
        if sk_prefix:
            condition += " AND begins_with(sk, :prefix)"
            values[":prefix"] = sk_prefix
        return {
            "KeyConditionExpression": condition,
            "ExpressionAttributeValues": to_item(values),
            "ProjectionExpression": "pk, sk",
        }

    def _delete_batch(self, keys: list[dict[str, Any]]) -> None:
        """Delete up to 25 items in one BatchWriteItem, and its throttled leftovers again after a jittered
        wait while time allows; PartialDeleteError with how many did go if some are still left."""
        pending = [{"DeleteRequest": {"Key": key}} for key in keys]
        try:
            for attempt in range(UNPROCESSED_RETRIES):
                if attempt:
                    pause = random.uniform(0, BACKOFF_SECONDS * 2**attempt)
                    if attempt_timeouts(current().remaining() - pause) is None:
                        break
                    time.sleep(pause)
                response = self.call("batch_write_item", RequestItems={self.table_name: pending})
                pending = response["UnprocessedItems"].get(self.table_name, [])
                if not pending:
                    return
        except StoreUnavailableError as error:
            raise PartialDeleteError(len(keys) - len(pending)) from error
        # What DynamoDB processed before it gave up on the rest is gone, and is said to be.
        raise PartialDeleteError(len(keys) - len(pending))

    def delete_items(
        self, household: str, sk_prefix: str = "", budget: int | None = None
    ) -> tuple[int, bool]:
        """Delete the household's items under a sort-key prefix, a page of keys and a batch at a time,
        until none are left, about `budget` have gone, or the deadline is too close for another step:
        (how many went, whether all did). Raises PartialDeleteError with the count so far."""
        removed = 0
        request = {**self.keys_query(household, sk_prefix), "Limit": KEYS_PER_PAGE}
        try:
            while self._may_go_on(removed, budget):
                page = self.call("query", **request)
                keys = page["Items"]
                for start in range(0, len(keys), BATCH_WRITE_LIMIT):
                    if not self._may_go_on(removed, budget):
                        return removed, False
                    batch = keys[start : start + BATCH_WRITE_LIMIT]
                    self._delete_batch(batch)
                    removed += len(batch)
                if "LastEvaluatedKey" not in page:
                    return removed, True
                request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        except PartialDeleteError as error:
            raise PartialDeleteError(removed + error.removed) from error
        except StoreUnavailableError as error:
            raise PartialDeleteError(removed) from error
        return removed, False

    @staticmethod
    def _may_go_on(removed: int, budget: int | None) -> bool:
        """Whether a bulk delete may take another step: within its budget, with time to finish one."""
        return (budget is None or removed < budget) and current().remaining() >= BATCH_SECONDS
