"""The household's question progress (`QUESTIONS`): tonight's pick, this round so far, the 36's place."""

from dataclasses import dataclass, field

from skill.store.table import Table

QUESTIONS_SK = "QUESTIONS"


@dataclass
class QuestionProgress:
    """A household's questions: tonight's pick, what this round of the rotation has asked, the 36's place."""

    tonight_night: str | None = None  # the local night (ISO date) tonight_id was picked for
    tonight_id: str | None = None
    asked: list[str] = field(default_factory=list)  # oldest first; emptied when the rotation is used up
    thirty_six_next: int = 1  # position of the next of the 36 questions; 37 once all are done
    # The question last asked ({mode, id, deck?, night}): what a later "another one" or "repeat that" acts
    # on, since the session closes once a question is asked.
    on_table: dict[str, str] | None = None


def _asked(stored: object) -> list[str]:
    """The ids asked this round, stored as one space-separated string: a list of some hundred ids costs
    botocore a nested structure each to validate, send and parse, twice a turn, and DynamoDB the same bytes.
    (Question ids never hold a space: content/schema.py. A list, as first stored, reads the same.)"""
    if isinstance(stored, str):
        return stored.split()
    return [str(question_id) for question_id in stored or []]


def _on_table(stored: object) -> dict[str, str] | None:
    if not isinstance(stored, dict):
        return None
    return {str(key): str(value) for key, value in stored.items()}


class QuestionRecords:
    """The progress record: one GetItem to read, one PutItem to replace."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def load(self, household: str) -> QuestionProgress:
        """Where the household is in the question bank; a new household starts fresh."""
        stored = self.table.get(household, QUESTIONS_SK) or {}
        return QuestionProgress(
            tonight_night=stored.get("tonight_night"),
            tonight_id=stored.get("tonight_id"),
            asked=_asked(stored.get("asked")),
            thirty_six_next=int(stored.get("thirty_six_next", 1)),
            on_table=_on_table(stored.get("on_table")),
        )

    def save(self, household: str, progress: QuestionProgress) -> None:
        """Replace the household's question progress.

        Last writer wins: two devices asking in the same second agree on tonight's pick anyway, and at worst
        one extra question may come round again a round early."""
        attributes = {
            "tonight_night": progress.tonight_night,
            "tonight_id": progress.tonight_id,
            "asked": " ".join(progress.asked) or None,
            "thirty_six_next": progress.thirty_six_next,
            "on_table": progress.on_table,
        }
        self.table.put(household, QUESTIONS_SK, attributes)
