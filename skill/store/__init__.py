"""The household's records in the one DynamoDB table, one module a record; `Store` holds them all."""

from typing import Any

from skill.store.appreciations import Appreciations
from skill.store.checkins import CheckIns
from skill.store.profile import Profiles
from skill.store.questions import QuestionRecords
from skill.store.table import Table


class Store:
    """Every record of every household, over one table (and one DynamoDB client, made on first use)."""

    def __init__(self, table_name: str, client: Any = None) -> None:
        self.table = Table(table_name, client)
        self.profiles = Profiles(self.table)
        self.questions = QuestionRecords(self.table)
        self.appreciations = Appreciations(self.table)
        self.checkins = CheckIns(self.table)

    def delete_household(self, household: str) -> int:
        """Delete every item of the household, whatever record it is; returns how many."""
        return self.table.delete_household(household)
