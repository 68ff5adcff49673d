"""'Delete all our data': a yes/no confirmation, then everything of the household is removed (what the
turn has no time for is queued, and deleted in the background until none is left)."""

import logging

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from content import phrases
from content.models import SpokenLine
from handlers.base import Handler, is_intent, session, state_is
from handlers.privacy.state import CONFIRMING
from handlers.reminders.service import forget_reminders
from handlers.respond import ask, record_outcome, say_line, tell
from skill.context import turn_of
from skill.speech import sentences
from skill.store.purge import Forgotten
from skill.vocabulary import Intent, SessionKey

log = logging.getLogger(__name__)


class DeleteAllDataHandler(Handler):
    """Asks before deleting anything: a household's data is not removed on one misheard phrase."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.DELETE_ALL_DATA)

    def respond(self, handler_input: HandlerInput) -> Response:
        session(handler_input)[SessionKey.STATE] = CONFIRMING
        return say_line(handler_input, phrases().privacy.confirm)


class ConfirmDeleteAllHandler(Handler):
    """'Yes' to the question above: delete everything, and say how much; or, when the turn could not
    finish, that the rest is queued; or, if it could not be queued either, that some may still be stored.
    The card says how long backups keep what was deleted."""

    failure_event = "delete_all_failed"

    def failure_line(self) -> SpokenLine:
        return phrases().privacy.failed

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.YES) and state_is(handler_input, CONFIRMING)

    def respond(self, handler_input: HandlerInput) -> Response:
        session(handler_input).clear()
        # The reminders go first, through Alexa's API: the index of them is among the data deleted next.
        reminders = forget_reminders(handler_input, self.store)
        forgotten = self.store.purges.forget(turn_of(handler_input).household, "delete_all")
        if not (forgotten.done or forgotten.queued):
            record_outcome(handler_input, self.failure_event)
            failed = self.failure_line()
            return ask(handler_input, sentences(reminders, failed.speech), failed.reprompt or failed.speech)
        if forgotten.done and forgotten.deleted == 0:
            record_outcome(handler_input, "deleted_all")
            return say_line(handler_input, phrases().privacy.nothing_stored, reminders)
        return self._deleted(handler_input, forgotten, reminders)

    @staticmethod
    def _deleted(handler_input: HandlerInput, forgotten: Forgotten, reminders: str) -> Response:
        lines = phrases().privacy
        if not forgotten.done:
            record_outcome(handler_input, "delete_all_queued")
            return tell(handler_input, sentences(lines.going_on.speech, reminders), lines.backups_card)
        record_outcome(handler_input, "deleted_all")
        done = lines.done.speech.format(count=str(forgotten.deleted))
        return tell(handler_input, sentences(done, reminders), lines.backups_card)


class KeepDataHandler(Handler):
    """'No' (or cancel) to the question above: nothing is deleted."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.NO, Intent.CANCEL) and state_is(handler_input, CONFIRMING)

    def respond(self, handler_input: HandlerInput) -> Response:
        session(handler_input).clear()
        return say_line(handler_input, phrases().privacy.kept)


class DeleteAllHelpHandler(Handler):
    """Help while the question is open explains the question, not the whole skill."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.HELP) and state_is(handler_input, CONFIRMING)

    def respond(self, handler_input: HandlerInput) -> Response:
        return say_line(handler_input, phrases().privacy.help)


HANDLERS: tuple[type[Handler], ...] = (
    DeleteAllDataHandler,
    ConfirmDeleteAllHandler,
    KeepDataHandler,
    DeleteAllHelpHandler,
)
