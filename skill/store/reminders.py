"""The household's index of the reminders this skill created: one item each (`REMINDER#<alert token>`,
holding what it reminds of), and whether a reminder was ever offered (`REMINDER_OFFER`).

The Reminders API is the source of truth for what is set and when; this index only remembers which of its
reminders is which ritual's, and lets a deletion reach them. One item a token, so two Echos adding at once
never overwrite each other; a token the API no longer knows is dropped when the index is next read against it.
"""

from skill.store.table import Table, from_item

REMINDER_PREFIX = "REMINDER#"
OFFER_SK = "REMINDER_OFFER"


class ReminderIndex:
    """The index: a PutItem or DeleteItem a token, one Query to read them all, one GetItem for the offer."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def rituals(self, household: str) -> dict[str, str]:
        """Each indexed alert token, with the ritual it reminds of."""
        request = {**self.table.keys_query(household, REMINDER_PREFIX), "ProjectionExpression": "sk, ritual"}
        return {
            str(item["sk"]).removeprefix(REMINDER_PREFIX): str(item.get("ritual", ""))
            for page in self.table.query_pages(request)
            for item in map(from_item, page.get("Items", []))
        }

    def add(self, household: str, token: str, ritual: str) -> None:
        """Index a reminder just created."""
        self.table.put(household, REMINDER_PREFIX + token, {"ritual": ritual})

    def remove(self, household: str, token: str) -> None:
        """Forget a reminder that is gone (deleting one that is not indexed does nothing)."""
        self.table.call("delete_item", Key=self.table.key(household, REMINDER_PREFIX + token))

    def offered(self, household: str) -> bool:
        """Whether a reminder was ever offered to the household (it is offered once, never again)."""
        return self.table.get(household, OFFER_SK) is not None

    def note_offer(self, household: str, at: str) -> None:
        """Remember that a reminder was offered, whatever the answer."""
        self.table.put(household, OFFER_SK, {"offered_at": at})
