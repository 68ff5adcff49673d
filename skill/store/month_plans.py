"""What a couple plans to try this month: one item each (`PLAN#<UTC time>#<digest of the request id>`),
said at the end of a monthly check-in and read back at the start of the next, newest first by Query.

Like an appreciation, a plan's key comes from the request that said it, so a request Alexa sends twice
stores it once."""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from skill.household_time import parse_stamp, stamp
from skill.store.table import StoreUnavailableError, Table, condition_failed, from_item, household_pk, to_item

PLAN_PREFIX = "PLAN#"


@dataclass(frozen=True)
class MonthPlan:
    """One plan: the words as said, and its sort key."""

    sk: str
    text: str
    request_id: str | None = None

    @staticmethod
    def key_for(request_id: str, saved_at: datetime) -> str:
        """The sort key of the plan a request saves: time-ordered, and the same on a retry."""
        digest = hashlib.sha256(request_id.encode("utf-8")).hexdigest()[:16]
        return f"{PLAN_PREFIX}{stamp(saved_at)}#{digest}"

    @property
    def saved_at(self) -> datetime:
        return parse_stamp(self.sk.split("#")[1])

    @classmethod
    def from_item(cls, stored: Mapping[str, Any]) -> "MonthPlan":
        return cls(stored["sk"], stored["text"], stored.get("request_id"))


class MonthPlans:
    """The plans of a household. Every method raises StoreUnavailableError when DynamoDB fails."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def save(self, household: str, plan: MonthPlan) -> None:
        """Store one plan, once: a PutItem with attribute_not_exists(sk), where "already there" (a retried
        request, or a retry of a write whose answer was lost) counts as saved."""
        try:
            self.table.put(
                household,
                plan.sk,
                {"text": plan.text, "request_id": plan.request_id},
                ConditionExpression="attribute_not_exists(sk)",
            )
        except StoreUnavailableError as error:
            if not condition_failed(error):
                raise

    def latest(self, household: str) -> MonthPlan | None:
        """The newest plan, or None (one Query, newest first, Limit 1)."""
        response = self.table.call(
            "query",
            KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues=to_item({":pk": household_pk(household), ":prefix": PLAN_PREFIX}),
            ScanIndexForward=False,
            Limit=1,
        )
        items = response.get("Items") or []
        return MonthPlan.from_item(from_item(items[0])) if items else None
