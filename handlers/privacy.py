"""'Delete all our data': a yes/no confirmation, then everything of the household is removed."""

import json
import logging

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from content import phrases
from handlers import Dependencies
from handlers.respond import record_outcome, say_line
from skill.context import turn_of
from skill.store import StoreUnavailableError

log = logging.getLogger(__name__)

STATE = "state"
CONFIRMING = "privacy.confirm_delete_all"


def _confirming(handler_input: HandlerInput) -> bool:
    return handler_input.attributes_manager.session_attributes.get(STATE) == CONFIRMING


class DeleteAllDataHandler(AbstractRequestHandler):
    """Asks before deleting anything: a household's data is not removed on one misheard phrase."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("DeleteAllDataIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        handler_input.attributes_manager.session_attributes[STATE] = CONFIRMING
        return say_line(handler_input, phrases().privacy.confirm)


class ConfirmDeleteAllHandler(AbstractRequestHandler):
    """'Yes' to the question above: delete everything, and say how much, or say truly that it failed."""

    def __init__(self, deps: Dependencies) -> None:
        self.store = deps.store

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.YesIntent")(handler_input) and _confirming(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        handler_input.attributes_manager.session_attributes.clear()
        try:
            deleted = self.store.delete_household(turn_of(handler_input).household)
        except StoreUnavailableError as error:
            log.error(json.dumps({"event": "delete_all_failed", "error": str(error)}))
            record_outcome(handler_input, "delete_all_failed")
            return say_line(handler_input, phrases().privacy.failed)
        record_outcome(handler_input, "deleted_all")
        if deleted == 0:
            return say_line(handler_input, phrases().privacy.nothing_stored)
        return say_line(handler_input, phrases().privacy.done, count=str(deleted))


class KeepDataHandler(AbstractRequestHandler):
    """'No' (or cancel) to the question above: nothing is deleted."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return (
            is_intent_name("AMAZON.NoIntent")(handler_input)
            or is_intent_name("AMAZON.CancelIntent")(handler_input)
        ) and _confirming(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        handler_input.attributes_manager.session_attributes.clear()
        return say_line(handler_input, phrases().privacy.kept)


class DeleteAllHelpHandler(AbstractRequestHandler):
    """Help while the question is open explains the question, not the whole skill."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.HelpIntent")(handler_input) and _confirming(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return say_line(handler_input, phrases().privacy.help)


def handlers(deps: Dependencies) -> list[AbstractRequestHandler]:
    """The delete-everything conversation."""
    return [DeleteAllDataHandler(), ConfirmDeleteAllHandler(deps), KeepDataHandler(), DeleteAllHelpHandler()]
