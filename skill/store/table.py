"""The one DynamoDB table: its keys, the client, and the plumbing every record shares.

Each household owns one partition, `HH#<household>`; a record's module owns its sort keys. Every
operation goes through `Table.call`, which names our table and turns any failure into one error type.
"""

from collections.abc import Iterator, Mapping
from typing import Any

import boto3
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

# The table's shape; infra/template.yaml declares the same (a test holds them together).
KEY_SCHEMA = [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}]
ATTRIBUTE_DEFINITIONS = [
    {"AttributeName": "pk", "AttributeType": "S"},
    {"AttributeName": "sk", "AttributeType": "S"},
]
# Bounded so a slow or throttling table still leaves time, inside Alexa's 8 seconds, to say so.
CLIENT_CONFIG = Config(
    retries={"mode": "standard", "total_max_attempts": 3},
    connect_timeout=1,
    read_timeout=2,
)
MULTI_TABLE_OPERATIONS = frozenset(
    {"batch_write_item", "batch_get_item", "transact_write_items", "transact_get_items"}
)
BATCH_WRITE_LIMIT = 25  # DynamoDB's most requests in one BatchWriteItem
UNPROCESSED_RETRIES = 4  # throttled batch items are retried this often before we give up honestly
_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


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
    return {name: _serializer.serialize(value) for name, value in attributes.items() if value is not None}


def from_item(item: Mapping[str, Any]) -> dict[str, Any]:
    """A DynamoDB item as plain Python values."""
    return {name: _deserializer.deserialize(value) for name, value in item.items()}


def condition_failed(error: StoreUnavailableError) -> bool:
    """Whether DynamoDB refused a write only because its condition expression was false."""
    cause = error.__cause__
    return isinstance(cause, ClientError) and (
        cause.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"
    )


class Table:
    """Our table. Every method raises StoreUnavailableError when DynamoDB fails."""

    def __init__(self, table_name: str, client: Any = None) -> None:
        self.table_name = table_name
        self._client = client

    @property
    def client(self) -> Any:
        """The DynamoDB client, created on first use so a turn that needs no data pays nothing."""
        if self._client is None:
            self._client = boto3.client("dynamodb", config=CLIENT_CONFIG)
        return self._client

    def call(self, operation: str, **request: Any) -> dict[str, Any]:
        """Run one DynamoDB operation against our table, translating failures into one error type.

        Batch and transaction operations name the table inside their request, so they get no TableName."""
        if operation not in MULTI_TABLE_OPERATIONS:
            request["TableName"] = self.table_name
        try:
            return getattr(self.client, operation)(**request)
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

    def household_keys(self, household: str, sk_prefix: str = "") -> Iterator[list[dict[str, Any]]]:
        """Keys of the household's items (those whose sort key starts with sk_prefix), a page at a time."""
        condition = "pk = :pk"
        values: dict[str, Any] = {":pk": household_pk(household)}
        if sk_prefix:
            condition += " AND begins_with(sk, :prefix)"
            values[":prefix"] = sk_prefix
        request = {
            "KeyConditionExpression": condition,
            "ExpressionAttributeValues": to_item(values),
            "ProjectionExpression": "pk, sk",
        }
        for page in self.query_pages(request):
            yield page.get("Items", [])

    def delete_keys(self, keys: list[dict[str, Any]]) -> None:
        """Delete items by key, in batches, until DynamoDB reports none left unprocessed."""
        for start in range(0, len(keys), BATCH_WRITE_LIMIT):
            pending = [{"DeleteRequest": {"Key": key}} for key in keys[start : start + BATCH_WRITE_LIMIT]]
            for _ in range(UNPROCESSED_RETRIES):
                response = self.call("batch_write_item", RequestItems={self.table_name: pending})
                pending = response.get("UnprocessedItems", {}).get(self.table_name, [])
                if not pending:
                    break
            if pending:
                raise StoreUnavailableError("batch_write_item left items unprocessed")

    def delete_household(self, household: str) -> int:
        """Delete every item of the household; returns how many."""
        deleted = 0
        for keys in self.household_keys(household):
            self.delete_keys(keys)
            deleted += len(keys)
        return deleted

    def delete_prefix(self, household: str, sk_prefix: str, budget: int) -> tuple[int, bool]:
        """Delete up to about `budget` of the household's items under a sort-key prefix, a batch at a time:
        (how many went, whether all did). Raises PartialDeleteError with the count so far."""
        removed = 0
        try:
            for keys in self.household_keys(household, sk_prefix):
                for start in range(0, len(keys), BATCH_WRITE_LIMIT):
                    if removed >= budget:
                        return removed, False
                    batch = keys[start : start + BATCH_WRITE_LIMIT]
                    self.delete_keys(batch)
                    removed += len(batch)
        except StoreUnavailableError as error:
            raise PartialDeleteError(removed) from error
        return removed, True
