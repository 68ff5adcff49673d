"""Appreciations: one item each (`APPR#<UTC time>#<digest of the request id>`), read newest first by
Query, never by Scan."""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from skill.household_time import parse_stamp, stamp
from skill.store.table import StoreUnavailableError, Table, condition_failed, from_item, household_pk, to_item

APPRECIATION_PREFIX = "APPR#"
FILTERED_READ_BATCH = 100  # items read per Query when filtering by author
MAX_QUERIES_PER_PAGE = 10  # bounds one turn's reads; a page cut short still ends at a correct cursor


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
        return parse_stamp(self.sk.split("#")[1])

    def attributes(self) -> dict[str, Any]:
        return {"text": self.text, "author": self.author, "request_id": self.request_id}

    @classmethod
    def from_item(cls, stored: Mapping[str, Any]) -> "Appreciation":
        return cls(stored["sk"], stored["text"], stored.get("author"))


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


class Appreciations:
    """The jar's records. Every method raises StoreUnavailableError when DynamoDB fails."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def save(self, household: str, appreciation: Appreciation) -> None:
        """Store one appreciation, once: writing the same key again (a retried request) changes nothing.

        A PutItem with attribute_not_exists(sk) is the idempotency check; the key comes from the request
        (see Appreciation.key_for), so a duplicate finds its twin and "already there" counts as saved."""
        try:
            self.table.put(
                household,
                appreciation.sk,
                appreciation.attributes(),
                ConditionExpression="attribute_not_exists(sk)",
            )
        except StoreUnavailableError as error:
            if not condition_failed(error):
                raise

    def sign(self, household: str, sk: str, author: str) -> bool:
        """Sign a stored appreciation with who it is from; whether it was there to sign.

        An UpdateItem with attribute_exists(sk): signing never creates an item, so an appreciation deleted
        meanwhile stays deleted. Signing twice with the same name (a retried request) changes nothing."""
        try:
            self.table.call(
                "update_item",
                Key=self.table.key(household, sk),
                UpdateExpression="SET #author = :author",
                ConditionExpression="attribute_exists(sk)",
                ExpressionAttributeNames={"#author": "author"},
                ExpressionAttributeValues=to_item({":author": author}),
            )
        except StoreUnavailableError as error:
            if condition_failed(error):
                return False
            raise
        return True

    def page(
        self, household: str, view: AppreciationView, limit: int, after: str | None = None
    ) -> AppreciationPage:
        """Up to `limit` appreciations in the view, newest first, older than sort key `after`.

        One Query a page (Limit = limit + 1, so we know whether more follow). With an author filter,
        Limit counts items *read*, not matches, so we keep querying from LastEvaluatedKey until we hold
        one match more than a page or the jar ends, and the next page starts after the last item *spoken*:
        LastEvaluatedKey may lie beyond matches we found but did not speak."""
        request = {**self._range(household, view), "ScanIndexForward": False}
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
                request["ExclusiveStartKey"] = self.table.key(household, start)
            response = self.table.call("query", **request)
            found += [Appreciation.from_item(from_item(item)) for item in response.get("Items") or []]
            start = response.get("LastEvaluatedKey", {}).get("sk", {}).get("S")
            if len(found) > limit or start is None:
                break
        if len(found) > limit:
            return AppreciationPage(found[:limit], found[limit - 1].sk)
        # Every match up to `start` is in `found`, so the next page may begin there (None: the jar ended).
        return AppreciationPage(found, start)

    def count(self, household: str, view: AppreciationView | None = None) -> int:
        """How many appreciations the household has, in a view's window if one is given (Select COUNT, a
        page of up to 1 MB at a time; an author's view counts them all)."""
        request = {**self._range(household, view or AppreciationView()), "Select": "COUNT"}
        return sum(page["Count"] for page in self.table.query_pages(request))

    def delete(self, household: str, sk: str) -> Appreciation | None:
        """Delete one appreciation and return it, or None when it was already gone."""
        try:
            response = self.table.call(
                "delete_item",
                Key=self.table.key(household, sk),
                ConditionExpression="attribute_exists(sk)",
                ReturnValues="ALL_OLD",
            )
        except StoreUnavailableError as error:
            if condition_failed(error):
                return None
            raise
        return Appreciation.from_item(from_item(response["Attributes"]))

    def delete_all(self, household: str, budget: int) -> tuple[int, bool]:
        """Delete up to about `budget` appreciations: (how many went, whether all did).

        The budget bounds one turn's work, and the turn's deadline ends it sooner when DynamoDB is slow;
        raises PartialDeleteError with the count so far."""
        return self.table.delete_items(household, APPRECIATION_PREFIX, budget)

    @staticmethod
    def _range(household: str, view: AppreciationView) -> dict[str, Any]:
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
