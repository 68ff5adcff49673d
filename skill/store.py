"""The one DynamoDB table: keys, items and the household's records (DynamoDB semantics, no Alexa)."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import boto3
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

PROFILE_SK = "PROFILE"
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

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


class StoreUnavailableError(Exception):
    """DynamoDB did not do what was asked; nothing may be reported as saved or read."""


def household_pk(household: str) -> str:
    """Partition key of everything one household owns."""
    return f"HH#{household}"


def to_item(attributes: Mapping[str, Any]) -> dict[str, Any]:
    """Plain Python values as a DynamoDB item."""
    return {name: _serializer.serialize(value) for name, value in attributes.items() if value is not None}


def from_item(item: Mapping[str, Any]) -> dict[str, Any]:
    """A DynamoDB item as plain Python values."""
    return {name: _deserializer.deserialize(value) for name, value in item.items()}


@dataclass
class Profile:
    """The household's profile: partners' names (by Alexa voice id where known) and timer permission."""

    names_by_person: dict[str, str] = field(default_factory=dict)
    timers_allowed: bool | None = None
    welcomed_at: str | None = None


class Store:
    """Repository over the table. Every method raises StoreUnavailableError when DynamoDB fails."""

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
        """Run one DynamoDB operation against our table, translating failures into one error type."""
        try:
            return getattr(self.client, operation)(TableName=self.table_name, **request)
        except (ClientError, BotoCoreError) as error:
            raise StoreUnavailableError(f"{operation} failed: {type(error).__name__}") from error

    def get(self, household: str, sk: str) -> dict[str, Any] | None:
        """One item of the household, or None."""
        response = self.call("get_item", Key=to_item({"pk": household_pk(household), "sk": sk}))
        item = response.get("Item")
        return from_item(item) if item else None

    def put(self, household: str, sk: str, attributes: Mapping[str, Any], **conditions: Any) -> None:
        """Write one item of the household (conditions are passed to PutItem as they are)."""
        item = to_item({**attributes, "pk": household_pk(household), "sk": sk})
        self.call("put_item", Item=item, **conditions)

    def profile(self, household: str) -> Profile:
        """The household's profile; a household we have never seen gets an empty one."""
        stored = self.get(household, PROFILE_SK) or {}
        return Profile(
            names_by_person=dict(stored.get("names_by_person") or {}),
            timers_allowed=stored.get("timers_allowed"),
            welcomed_at=stored.get("welcomed_at"),
        )

    def save_profile(self, household: str, profile: Profile) -> None:
        """Replace the household's profile."""
        attributes = {
            "names_by_person": profile.names_by_person or None,
            "timers_allowed": profile.timers_allowed,
            "welcomed_at": profile.welcomed_at,
        }
        self.put(household, PROFILE_SK, attributes)
