"""What makes each partner feel loved: one item per named partner (`LOVE#<name, case folded>`), holding
their quiz answers and the categories they rank first, written whole when they finish the quiz (taking it
again replaces it) and read by GetItem, or all of a household's by one Query.

The ranking is kept as it was worked out, so a later release's quiz cannot change what a partner was told.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from skill.store.table import Table, from_item, household_pk, to_item

LOVE_PREFIX = "LOVE#"


def love_key(name: str) -> str:
    """The sort key of a partner's results: their name, whatever case it was heard in."""
    return f"{LOVE_PREFIX}{' '.join(name.casefold().split())}"


@dataclass(frozen=True)
class LoveResult:
    """One partner's results: their name as given, the answer to each question (by question id), each
    category's score, the categories from most to least loved-by, and when they took the quiz."""

    name: str
    answers: dict[str, str]
    scores: dict[str, int]
    ranked: tuple[str, ...]
    taken_at: datetime

    def attributes(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "answers": self.answers,
            "scores": self.scores,
            "ranked": list(self.ranked),
            "taken_at": self.taken_at.isoformat(),
        }

    @classmethod
    def from_item(cls, stored: Mapping[str, Any]) -> "LoveResult":
        return cls(
            name=str(stored["name"]),
            answers={str(key): str(value) for key, value in (stored.get("answers") or {}).items()},
            scores={str(key): int(value) for key, value in (stored.get("scores") or {}).items()},
            ranked=tuple(str(category) for category in stored.get("ranked") or ()),
            taken_at=datetime.fromisoformat(str(stored["taken_at"])),
        )


class LoveResults:
    """The partners' results. Every method raises StoreUnavailableError when DynamoDB fails."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def save(self, household: str, result: LoveResult) -> None:
        """Store a partner's results, replacing any earlier ones of the same name (one PutItem: saving the
        same results twice changes nothing)."""
        self.table.put(household, love_key(result.name), result.attributes())

    def get(self, household: str, name: str) -> LoveResult | None:
        """One partner's results, or None if they have not taken the quiz."""
        stored = self.table.get(household, love_key(name))
        return LoveResult.from_item(stored) if stored else None

    def all(self, household: str) -> list[LoveResult]:
        """Every partner's results, in the order of their names (a Query; a household has two or so)."""
        request = {
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": to_item({":pk": household_pk(household), ":prefix": LOVE_PREFIX}),
        }
        return [
            LoveResult.from_item(from_item(item))
            for page in self.table.query_pages(request)
            for item in page.get("Items") or []
        ]
