"""Alexa skill events: a disabled skill forgets the household; permission changes are recorded."""

import json
import logging

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import Response

from handlers import Dependencies
from skill.context import turn_of
from skill.store import StoreUnavailableError

log = logging.getLogger(__name__)

TIMERS_SCOPE = "alexa::alerts:timers:skill:readwrite"
PERMISSION_EVENTS = ("AlexaSkillEvent.SkillPermissionAccepted", "AlexaSkillEvent.SkillPermissionChanged")


class SkillDisabledHandler(AbstractRequestHandler):
    """The household turned the skill off: delete every item it has, every page of them."""

    def __init__(self, deps: Dependencies) -> None:
        self.store = deps.store

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("AlexaSkillEvent.SkillDisabled")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        deleted = self.store.delete_household(turn_of(handler_input).household)
        log.info(json.dumps({"event": "skill_disabled", "items_deleted": deleted}))
        return handler_input.response_builder.response


class PermissionEventHandler(AbstractRequestHandler):
    """The household granted or changed permissions: remember whether timers are allowed."""

    def __init__(self, deps: Dependencies) -> None:
        self.store = deps.store

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return any(is_request_type(name)(handler_input) for name in PERMISSION_EVENTS)

    def handle(self, handler_input: HandlerInput) -> Response:
        body = handler_input.request_envelope.request.body
        scopes = {permission.scope for permission in (body.accepted_permissions or [])} if body else set()
        household = turn_of(handler_input).household
        try:
            profile = self.store.profile(household)
            profile.timers_allowed = TIMERS_SCOPE in scopes
            self.store.save_profile(household, profile)
        except StoreUnavailableError as error:
            # Not fatal: the check-in asks the Timers API itself, which is the authority on permission.
            log.warning(json.dumps({"event": "permission_not_recorded", "error": str(error)}))
        return handler_input.response_builder.response


def handlers(deps: Dependencies) -> list[AbstractRequestHandler]:
    """The skill-event handlers."""
    return [SkillDisabledHandler(deps), PermissionEventHandler(deps)]
