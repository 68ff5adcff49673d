"""The household's records in the one DynamoDB table, one module a record; `Store` holds them all, and
the purges that forget a household through the purge queue."""

from skill.store.appreciations import Appreciations
from skill.store.aws import Connector, aws_client
from skill.store.checkins import CheckIns
from skill.store.profile import Profiles
from skill.store.purge import PurgeQueue, Purges
from skill.store.questions import QuestionRecords
from skill.store.table import Table


class Store:
    """Every record of every household, over one table; clients of DynamoDB and SQS are made on first use
    by `connect` (the real services unless a test points them elsewhere)."""

    def __init__(
        self, table_name: str, connect: Connector = aws_client, purge_queue_url: str | None = None
    ) -> None:
        self.table = Table(table_name, connect)
        self.profiles = Profiles(self.table)
        self.questions = QuestionRecords(self.table)
        self.appreciations = Appreciations(self.table)
        self.checkins = CheckIns(self.table)
        self.purges = Purges(self.table, PurgeQueue(purge_queue_url, connect))
