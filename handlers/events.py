"""Alexa skill events: a disabled skill forgets the household; permission changes are recorded."""

import logging

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from handlers.base import Feature, Handler, is_request
from skill.context import turn_of
from skill.logs import log_event
from skill.store.table import StoreUnavailableError
from skill.vocabulary import RequestType, Scope

log = logging.getLogger(__name__)


class SkillDisabledHandler(Handler):
    """The household turned the skill off: delete every item it has, every page of them."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request(handler_input, RequestType.SKILL_DISABLED)

    def respond(self, handler_input: HandlerInput) -> Response:
        deleted = self.store.delete_household(turn_of(handler_input).household)
        log_event(log, "skill_disabled", items_deleted=deleted)
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


FEATURE = Feature(name="events", handlers=(SkillDisabledHandler, PermissionEventHandler))
