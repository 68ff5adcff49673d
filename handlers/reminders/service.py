"""What reminders do with Alexa's Reminders API and the household's index of them.

The API is the source of truth for what is set, when and how often; every list, move and cancel starts
from what it reports. The index (skill/store/reminders.py) only says which ritual each reminder is for, and
is brought into line with the API whenever the two are read together. A failing DynamoDB never stops a
reminder being set, read or cancelled at Alexa: the index catches up on a later turn.
"""

import logging
from dataclasses import dataclass
from datetime import time

from ask_sdk_core.handler_input import HandlerInput

from handlers.reminders.draft import Ritual
from handlers.reminders.wording import lines, ritual_words
from skill.context import turn_of
from skill.deadline import current, within
from skill.logs import log_event
from skill.reminders import ReminderApiError, Reminders, Schedule, SetReminder
from skill.store import Store
from skill.store.reminders import ReminderIndex
from skill.store.table import StoreUnavailableError

log = logging.getLogger(__name__)

# Kept back when deleting every reminder before a household's data goes: that deletion needs the time most.
PURGE_RESERVE_SECONDS = 2.0


@dataclass(frozen=True)
class Known:
    """A reminder as the API reports it, and the ritual it is for (None: not one we can tell)."""

    reminder: SetReminder
    ritual: Ritual | None


@dataclass(frozen=True)
class Cancelled:
    """What cancelling some reminders did: how many are gone, how many Alexa would not cancel."""

    gone: int
    failed: int


def ritual_of_text(text: str) -> Ritual | None:
    """The ritual whose reminder says these words (for a reminder the index does not know)."""
    return next((ritual for ritual in Ritual if ritual_words(ritual).announcement == text), None)


class ReminderService:
    """One turn's reminders: the API through the household's access token, the index in the table."""

    def __init__(self, handler_input: HandlerInput, store: Store) -> None:
        self.turn = turn_of(handler_input)
        self.api = Reminders(handler_input)
        self.index = ReminderIndex(store.table)

    def known(self) -> list[Known]:
        """Every reminder of ours that is still set, with its ritual. Raises ReminderApiError."""
        reminders = self.api.all()
        rituals = self._reconciled(reminders)
        return [Known(reminder, self._ritual(reminder, rituals)) for reminder in reminders]

    @staticmethod
    def _ritual(reminder: SetReminder, rituals: dict[str, str]) -> Ritual | None:
        indexed = rituals.get(reminder.token)
        return Ritual(indexed) if indexed in tuple(Ritual) else ritual_of_text(reminder.text)

    def create(self, ritual: Ritual, schedule: Schedule) -> None:
        """Set the reminder at Alexa, then index it. Raises ReminderApiError when Alexa did not set it."""
        token = self.api.create(
            schedule, ritual_words(ritual).announcement, self.turn.time_zone(), self.turn.now
        )
        try:
            self.index.add(self.turn.household, token, ritual.value)
        except StoreUnavailableError:
            log_event(log, "reminder_not_indexed", level=logging.WARNING)

    def move(self, known: Known, at: time) -> Schedule:
        """Give a reminder a new time on the same days; the schedule it has now. Raises ReminderApiError."""
        assert known.reminder.schedule is not None, "only a reminder whose schedule we read can be moved"
        schedule = Schedule(known.reminder.schedule.days, at)
        text = ritual_words(known.ritual).announcement if known.ritual else known.reminder.text
        self.api.update(known.reminder.token, schedule, text, self.turn.time_zone(), self.turn.now)
        return schedule

    def cancel(self, chosen: list[Known]) -> Cancelled:
        """Delete these reminders at Alexa (one found gone already counts as gone), and from the index."""
        gone = failed = 0
        for known in chosen:
            if self._delete(known.reminder.token):
                gone += 1
            else:
                failed += 1
        return Cancelled(gone, failed)

    def forget_all(self) -> Cancelled | None:
        """Before a household's data is deleted: cancel every reminder of ours, keeping time back for the
        rest of the deletion. None when there were none to cancel, or none we could reach while the index
        says there are."""
        with within(current().sooner(PURGE_RESERVE_SECONDS)):
            try:
                cancelled = self.cancel(self.known())
            except ReminderApiError:
                return self._unreachable()
        return cancelled if cancelled.gone or cancelled.failed else None

    def _unreachable(self) -> Cancelled | None:
        """Alexa would not list the reminders: whether the index says some are left there."""
        try:
            indexed = len(self.index.rituals(self.turn.household))
        except StoreUnavailableError:
            indexed = 0
        return Cancelled(0, indexed) if indexed else None

    def _delete(self, token: str) -> bool:
        try:
            self.api.delete(token)
        except ReminderApiError as error:
            if not error.gone:
                return False
        try:
            self.index.remove(self.turn.household, token)
        except StoreUnavailableError:
            log_event(log, "reminder_index_stale", level=logging.WARNING)
        return True

    def _reconciled(self, reminders: list[SetReminder]) -> dict[str, str]:
        """The index's rituals by token, after dropping tokens the API no longer has (deleted in the Alexa
        app) and adding ones it lacks (indexing failed when they were set). Nothing, if DynamoDB fails:
        the rituals are then told by the reminders' words."""
        household = self.turn.household
        try:
            rituals = self.index.rituals(household)
            live = {reminder.token for reminder in reminders}
            for token in set(rituals) - live:
                self.index.remove(household, token)
                del rituals[token]
            for reminder in reminders:
                ritual = ritual_of_text(reminder.text)
                if ritual is not None and reminder.token not in rituals:
                    self.index.add(household, reminder.token, ritual.value)
                    rituals[reminder.token] = ritual.value
        except StoreUnavailableError:
            log_event(log, "reminder_index_unavailable", level=logging.WARNING)
            return {}
        return rituals


def forget_reminders(handler_input: HandlerInput, store: Store) -> str:
    """Cancel every reminder of ours, as a household's data is deleted; what to tell them of it ("" when
    there were none)."""
    cancelled = ReminderService(handler_input, store).forget_all()
    if cancelled is None:
        return ""
    log_event(log, "reminders_forgotten", cancelled=cancelled.gone, left=cancelled.failed)
    said = lines()
    if cancelled.failed:
        return said.not_deleted
    return said.deleted_one if cancelled.gone == 1 else said.deleted_many.format(count=cancelled.gone)
