"""'Delete all our data': a yes/no confirmation, then everything of the household is removed."""

import logging

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from content import phrases
from content.models import SpokenLine
from handlers.base import Feature, Handler, is_intent, session, state_is
from handlers.respond import record_outcome, say_line
from skill.context import turn_of
from skill.vocabulary import Intent, SessionKey

log = logging.getLogger(__name__)

CONFIRMING = "privacy.confirm_delete_all"


class DeleteAllDataHandler(Handler):
    """Asks before deleting anything: a household's data is not removed on one misheard phrase."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.DELETE_ALL_DATA)

    def respond(self, handler_input: HandlerInput) -> Response:
        session(handler_input)[SessionKey.STATE] = CONFIRMING
        return say_line(handler_input, phrases().privacy.confirm)


class ConfirmDeleteAllHandler(Handler):
    """'Yes' to the question above: delete everything, and say how much, or say truly that it failed."""

    failure_event = "delete_all_failed"

    def failure_line(self) -> SpokenLine:
        return phrases().privacy.failed

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.YES) and state_is(handler_input, CONFIRMING)

    def respond(self, handler_input: HandlerInput) -> Response:
        session(handler_input).clear()
        deleted = self.store.delete_household(turn_of(handler_input).household)
        record_outcome(handler_input, "deleted_all")
        if deleted == 0:
            return say_line(handler_input, phrases().privacy.nothing_stored)
        return say_line(handler_input, phrases().privacy.done, count=str(deleted))


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


FEATURE = Feature(
    name="privacy",
    handlers=(DeleteAllDataHandler, ConfirmDeleteAllHandler, KeepDataHandler, DeleteAllHelpHandler),
    conversational=True,
    states=(CONFIRMING,),
)
