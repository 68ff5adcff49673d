"""Alexa skill events: a disabled skill forgets the household; permission changes are recorded."""

import logging

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from handlers.base import Handler, is_request
from handlers.reminders.service import forget_reminders
from skill.context import turn_of
from skill.logs import log_event
from skill.store.table import StoreUnavailableError
from skill.vocabulary import RequestType, Scope

log = logging.getLogger(__name__)


class SkillDisabledHandler(Handler):
    """The household turned the skill off: delete every item it has, as far as the turn allows, and queue
    the rest. Alexa gives a new user id if the skill is enabled again, so nobody could reach this data
    after today: it must go whatever fails meanwhile."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request(handler_input, RequestType.SKILL_DISABLED)

    def respond(self, handler_input: HandlerInput) -> Response:
        forget_reminders(handler_input, self.store)  # what Alexa still lets us reach, before the index goes
        forgotten = self.store.purges.forget(turn_of(handler_input).household, "skill_disabled")
        log_event(
            log,
            "skill_disabled",
            items_deleted=forgotten.deleted,
            done=forgotten.done,
            queued=forgotten.queued,
        )
        return handler_input.response_builder.response


class PermissionEventHandler(Handler):
    """The household granted or changed permissions: remember whether timers are allowed."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request(handler_input, RequestType.PERMISSION_ACCEPTED, RequestType.PERMISSION_CHANGED)

    def respond(self, handler_input: HandlerInput) -> Response:
        body = handler_input.request_envelope.request.body
        scopes = {permission.scope for permission in (body.accepted_permissions or [])} if body else set()
        household = turn_of(handler_input).household
        try:
            profile = self.store.profiles.load(household)
            profile.timers_allowed = Scope.TIMERS in scopes
            self.store.profiles.save(household, profile)
        except StoreUnavailableError:
            # Not fatal: the check-in asks the Timers API itself, which is the authority on permission.
            log_event(log, "permission_not_recorded", level=logging.WARNING)
        return handler_input.response_builder.response


HANDLERS: tuple[type[Handler], ...] = (SkillDisabledHandler, PermissionEventHandler)
