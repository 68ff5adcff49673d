"""The one DynamoDB table: keys, items and the household's records (DynamoDB semantics, no Alexa)."""

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import boto3
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from skill.checkins import CHECKIN_PREFIX, CheckIn, sort_key_bound, stamp

PROFILE_SK = "PROFILE"
QUESTIONS_SK = "QUESTIONS"
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
    partner_names: list[str] = field(default_factory=list)  # names given when Alexa knew no voice

    def names(self) -> list[str]:
        """Every name the household has given us, once each (case aside), recognised voices' first."""
        unique: dict[str, str] = {}
        for name in [*self.names_by_person.values(), *self.partner_names]:
            unique.setdefault(name.casefold(), name)
        return list(unique.values())

    def remember_name(self, name: str, person_id: str | None) -> bool:
        """Keep a name: for the recognised voice, else as a partner's name. Whether anything changed."""
        if person_id:
            changed = self.names_by_person.get(person_id) != name
            self.names_by_person[person_id] = name
            return changed
        if name.casefold() in {known.casefold() for known in self.names()}:
            return False
        self.partner_names.append(name)
        return True


@dataclass
class QuestionProgress:
    """A household's questions: tonight's pick, what this round of the rotation has asked, the 36's place."""

    tonight_night: str | None = None  # the local night (ISO date) tonight_id was picked for
    tonight_id: str | None = None
    asked: list[str] = field(default_factory=list)  # oldest first; emptied when the rotation is used up
    thirty_six_next: int = 1  # position of the next of the 36 questions; 37 once all are done


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
        """Run one DynamoDB operation against our table, translating failures into one error type.

        Batch and transaction operations name the table inside their request, so they get no TableName."""
        if operation not in MULTI_TABLE_OPERATIONS:
            request["TableName"] = self.table_name
        try:
            return getattr(self.client, operation)(**request)
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
            partner_names=[str(name) for name in stored.get("partner_names") or []],
        )

    def save_profile(self, household: str, profile: Profile) -> None:
        """Replace the household's profile."""
        attributes = {
            "names_by_person": profile.names_by_person or None,
            "timers_allowed": profile.timers_allowed,
            "welcomed_at": profile.welcomed_at,
            "partner_names": profile.partner_names or None,
        }
        self.put(household, PROFILE_SK, attributes)

    # --- Question progress: tonight's pick, the rotation so far, the place in the 36 (issue 3) ---

    def question_progress(self, household: str) -> QuestionProgress:
        """Where the household is in the question bank (one GetItem); a new household starts fresh."""
        stored = self.get(household, QUESTIONS_SK) or {}
        return QuestionProgress(
            tonight_night=stored.get("tonight_night"),
            tonight_id=stored.get("tonight_id"),
            asked=[str(question_id) for question_id in stored.get("asked") or []],
            thirty_six_next=int(stored.get("thirty_six_next", 1)),
        )

    def save_question_progress(self, household: str, progress: QuestionProgress) -> None:
        """Replace the household's question progress (one PutItem).

        Last writer wins: two devices asking in the same second agree on tonight's pick anyway, and at worst
        one extra question may come round again a round early."""
        attributes = {
            "tonight_night": progress.tonight_night,
            "tonight_id": progress.tonight_id,
            "asked": progress.asked,
            "thirty_six_next": progress.thirty_six_next,
        }
        self.put(household, QUESTIONS_SK, attributes)

    # --- the whole household ---

    def household_keys(self, household: str, sk_prefix: str = "") -> Iterator[list[dict[str, Any]]]:
        """Keys of the household's items (those whose sort key starts with sk_prefix), a page at a time."""
        condition = "pk = :pk"
        values: dict[str, Any] = {":pk": household_pk(household)}
        if sk_prefix:
            condition += " AND begins_with(sk, :prefix)"
            values[":prefix"] = sk_prefix
        request: dict[str, Any] = {
            "KeyConditionExpression": condition,
            "ExpressionAttributeValues": to_item(values),
            "ProjectionExpression": "pk, sk",
        }
        while True:
            page = self.call("query", **request)
            yield page.get("Items", [])
            if "LastEvaluatedKey" not in page:
                return
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]

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

    # --- check-ins: one item per check-in, found by Query on its sort key, never by Scan (issue 4) ---

    def add_checkin(self, household: str, checkin: CheckIn) -> None:
        """Record a new check-in (one PutItem that never overwrites: a retried request adds nothing)."""
        self.put(household, checkin.sk, checkin.attributes(), ConditionExpression="attribute_not_exists(sk)")

    def save_checkin(self, household: str, checkin: CheckIn) -> None:
        """Replace a recorded check-in after a pause, resume or early end (never creates one)."""
        self.put(household, checkin.sk, checkin.attributes(), ConditionExpression="attribute_exists(sk)")

    def latest_checkin(self, household: str) -> CheckIn | None:
        """The newest check-in: the only one that can still be going, as a new one needs the last one over."""
        response = self.call(
            "query",
            KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues=to_item({":pk": household_pk(household), ":prefix": CHECKIN_PREFIX}),
            ScanIndexForward=False,
            Limit=1,
        )
        items = response.get("Items") or []
        return CheckIn.from_attributes(from_item(items[0])) if items else None

    def checkins_started(self, household: str, since: datetime, until: datetime) -> list[CheckIn]:
        """Every check-in started from `since` to `until`, oldest first (Query on a sort-key range)."""
        request: dict[str, Any] = {
            "KeyConditionExpression": "pk = :pk AND sk BETWEEN :since AND :until",
            "ExpressionAttributeValues": to_item(
                {
                    ":pk": household_pk(household),
                    ":since": sort_key_bound(since),
                    ":until": sort_key_bound(until, upper=True),
                }
            ),
        }
        checkins: list[CheckIn] = []
        while True:
            response = self.call("query", **request)
            checkins += [CheckIn.from_attributes(from_item(item)) for item in response.get("Items") or []]
            if "LastEvaluatedKey" not in response:
                return checkins
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    # --- appreciations: one item per appreciation, read newest first by Query, never by Scan (issue 5) ---

    def save_appreciation(self, household: str, appreciation: "Appreciation") -> None:
        """Store one appreciation, once: writing the same key again (a retried request) changes nothing.

        A PutItem with attribute_not_exists(sk) is the idempotency check; the key comes from the request
        (see Appreciation.key_for), so a duplicate finds its twin and "already there" counts as saved."""
        try:
            self.put(
                household,
                appreciation.sk,
                appreciation.attributes(),
                ConditionExpression="attribute_not_exists(sk)",
            )
        except StoreUnavailableError as error:
            if not _condition_failed(error):
                raise

    def sign_appreciation(self, household: str, sk: str, author: str) -> bool:
        """Sign a stored appreciation with who it is from; whether it was there to sign.

        An UpdateItem with attribute_exists(sk): signing never creates an item, so an appreciation deleted
        meanwhile stays deleted. Signing twice with the same name (a retried request) changes nothing."""
        try:
            self.call(
                "update_item",
                Key=to_item({"pk": household_pk(household), "sk": sk}),
                UpdateExpression="SET #author = :author",
                ConditionExpression="attribute_exists(sk)",
                ExpressionAttributeNames={"#author": "author"},
                ExpressionAttributeValues=to_item({":author": author}),
            )
        except StoreUnavailableError as error:
            if _condition_failed(error):
                return False
            raise
        return True

    def appreciations(
        self, household: str, view: "AppreciationView", limit: int, after: str | None = None
    ) -> "AppreciationPage":
        """Up to `limit` appreciations in the view, newest first, older than sort key `after`.

        One Query a page (Limit = limit + 1, so we know whether more follow). With an author filter,
        Limit counts items *read*, not matches, so we keep querying from LastEvaluatedKey until we hold
        one match more than a page or the jar ends, and the next page starts after the last item *spoken*:
        LastEvaluatedKey may lie beyond matches we found but did not speak."""
        request = {**self._appreciation_range(household, view), "ScanIndexForward": False}
        if view.author:
            request |= {
                "FilterExpression": "#author = :author",
                "ExpressionAttributeNames": {"#author": "author"},
                "Limit": FILTERED_READ_BATCH,
            }
            request["ExpressionAttributeValues"] |= to_item({":author": view.author})
        else:
            request["Limit"] = limit + 1
        found: list[Appreciation] = []
        start = after
        for _ in range(MAX_QUERIES_PER_PAGE):
            if start:
                request["ExclusiveStartKey"] = to_item({"pk": household_pk(household), "sk": start})
            response = self.call("query", **request)
            found += [Appreciation.from_item(from_item(item)) for item in response.get("Items") or []]
            start = response.get("LastEvaluatedKey", {}).get("sk", {}).get("S")
            if len(found) > limit or start is None:
                break
        if len(found) > limit:
            return AppreciationPage(found[:limit], found[limit - 1].sk)
        # Every match up to `start` is in `found`, so the next page may begin there (None: the jar ended).
        return AppreciationPage(found, start)

    def count_appreciations(self, household: str) -> int:
        """How many appreciations the household has (Select COUNT, a page of up to 1 MB at a time)."""
        request = {**self._appreciation_range(household, AppreciationView()), "Select": "COUNT"}
        total = 0
        while True:
            response = self.call("query", **request)
            total += response["Count"]
            if "LastEvaluatedKey" not in response:
                return total
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def delete_appreciation(self, household: str, sk: str) -> "Appreciation | None":
        """Delete one appreciation and return it, or None when it was already gone."""
        try:
            response = self.call(
                "delete_item",
                Key=to_item({"pk": household_pk(household), "sk": sk}),
                ConditionExpression="attribute_exists(sk)",
                ReturnValues="ALL_OLD",
            )
        except StoreUnavailableError as error:
            if _condition_failed(error):
                return None
            raise
        return Appreciation.from_item(from_item(response["Attributes"]))

    def delete_appreciations(self, household: str, budget: int) -> tuple[int, bool]:
        """Delete up to about `budget` appreciations, a batch at a time: (how many went, whether all did).

        The budget keeps a turn inside Alexa's 8 seconds; raises PartialDeleteError with the count so far."""
        removed = 0
        try:
            for keys in self.household_keys(household, APPRECIATION_PREFIX):
                for start in range(0, len(keys), BATCH_WRITE_LIMIT):
                    if removed >= budget:
                        return removed, False
                    batch = keys[start : start + BATCH_WRITE_LIMIT]
                    self.delete_keys(batch)
                    removed += len(batch)
        except StoreUnavailableError as error:
            raise PartialDeleteError(removed) from error
        return removed, True

    def _appreciation_range(self, household: str, view: "AppreciationView") -> dict[str, Any]:
        """The key condition of a view: every appreciation, or those saved in [since, until)."""
        values: dict[str, Any] = {":pk": household_pk(household)}
        if view.window is None:
            values[":prefix"] = APPRECIATION_PREFIX
            condition = "pk = :pk AND begins_with(sk, :prefix)"
        else:
            since, until = view.window
            # Keys are APPR#<stamp>#<suffix>, so APPR#<stamp> sorts just before that second's items.
            values[":since"] = f"{APPRECIATION_PREFIX}{stamp(since)}"
            values[":until"] = f"{APPRECIATION_PREFIX}{stamp(until)}"
            condition = "pk = :pk AND sk BETWEEN :since AND :until"
        return {"KeyConditionExpression": condition, "ExpressionAttributeValues": to_item(values)}


# --- appreciations: the item's shape and the read-back's views and pages (issue 5) ---

APPRECIATION_PREFIX = "APPR#"
FILTERED_READ_BATCH = 100  # items read per Query when filtering by author
MAX_QUERIES_PER_PAGE = 10  # bounds one turn's reads; a page cut short still ends at a correct cursor


class PartialDeleteError(StoreUnavailableError):
    """DynamoDB failed part way through a bulk delete; `removed` items had already gone."""

    def __init__(self, removed: int) -> None:
        super().__init__(f"bulk delete stopped after {removed} items")
        self.removed = removed


def _condition_failed(error: StoreUnavailableError) -> bool:
    """Whether DynamoDB refused a write only because its condition expression was false."""
    cause = error.__cause__
    return isinstance(cause, ClientError) and (
        cause.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"
    )


@dataclass(frozen=True)
class Appreciation:
    """One appreciation: the words as said, who they are from (None: unsigned), and its sort key."""

    sk: str
    text: str
    author: str | None = None
    request_id: str | None = None

    @staticmethod
    def key_for(request_id: str, saved_at: datetime) -> str:
        """The sort key of the appreciation a request saves: time-ordered, and the same on a retry.

        Derived from the request (its timestamp, then a digest of its id) rather than a random ULID, so a
        duplicated request writes the same key and the conditional put stores it once: no marker item,
        no transaction, nothing extra to count or delete."""
        digest = hashlib.sha256(request_id.encode("utf-8")).hexdigest()[:16]
        return f"{APPRECIATION_PREFIX}{stamp(saved_at)}#{digest}"

    @property
    def saved_at(self) -> datetime:
        return datetime.strptime(self.sk.split("#")[1], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)

    def attributes(self) -> dict[str, Any]:
        return {"text": self.text, "author": self.author, "request_id": self.request_id}

    @classmethod
    def from_item(cls, stored: Mapping[str, Any]) -> "Appreciation":
        return cls(stored["sk"], stored["text"], stored.get("author"), stored.get("request_id"))


@dataclass(frozen=True)
class AppreciationView:
    """Which appreciations a read covers: all, those saved in a UTC window [since, until), one author's."""

    window: tuple[datetime, datetime] | None = None
    author: str | None = None


@dataclass(frozen=True)
class AppreciationPage:
    """A page of appreciations, and the sort key to continue after (None when the view has no more)."""

    items: list[Appreciation]
    cursor: str | None
