"""The reminders' handlers: ask for one (and answer our own questions about it), confirm it, Alexa's answer
to the permission question; then list, move and cancel what is set."""

from abc import abstractmethod
from dataclasses import replace
from datetime import time

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from handlers.base import Handler, is_intent, is_request, state_is
from handlers.reminders.draft import Draft
from handlers.reminders.flows import ask_or_confirm, permission_card, permission_declined, set_reminder
from handlers.reminders.pending import done, from_token, pending
from handlers.reminders.service import Known, ReminderService
from handlers.reminders.state import ASK_WHAT, ASK_WHEN, CONFIRM, OFFER, STATES, TOKEN_PREFIX
from handlers.reminders.wording import item, items, lines, ritual_words, when
from handlers.respond import record_outcome, say_line
from skill.reminders import ReminderApiError
from skill.vocabulary import Intent, RequestType


class SetReminderHandler(Handler):
    """'Remind us to check in every evening at half past eight', and the answers to our own questions
    ("every Sunday at seven", "remind us to check in"), which add to what was said before."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.SET_REMINDER, Intent.REMINDER_TIME)

    def respond(self, handler_input: HandlerInput) -> Response:
        return ask_or_confirm(handler_input, pending(handler_input).merged(Draft.heard(handler_input)))


class ConfirmReminderHandler(Handler):
    """'Yes' to "I'll remind you to check in every day at 8:30 PM. Shall I set it?"."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.YES) and state_is(handler_input, CONFIRM)

    def respond(self, handler_input: HandlerInput) -> Response:
        draft = pending(handler_input)
        schedule = draft.schedule()
        if draft.ritual is None or schedule is None:  # a session that lost what it was confirming
            return ask_or_confirm(handler_input, draft)
        return set_reminder(handler_input, self.store, draft.ritual, schedule)


class GoOnHandler(Handler):
    """'Yes' to the offer of a reminder, or to a question that wanted words ("when shall I remind you?"):
    ask what is still missing."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.YES) and state_is(handler_input, OFFER, ASK_WHAT, ASK_WHEN)

    def respond(self, handler_input: HandlerInput) -> Response:
        return ask_or_confirm(handler_input, pending(handler_input))


class NoReminderHandler(Handler):
    """'No' to any of our questions: nothing is set; after the offer, it is never made again."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.NO) and state_is(handler_input, *STATES)

    def respond(self, handler_input: HandlerInput) -> Response:
        offered = state_is(handler_input, OFFER)
        done(handler_input)
        record_outcome(handler_input, "reminder_offer_declined" if offered else "reminder_not_set")
        return say_line(handler_input, lines().offer_declined if offered else lines().not_set)


class ReminderHelpHandler(Handler):
    """Help while one of our questions is open explains that question."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.HELP) and state_is(handler_input, *STATES)

    def respond(self, handler_input: HandlerInput) -> Response:
        draft = pending(handler_input)
        schedule = draft.schedule()
        if state_is(handler_input, CONFIRM) and draft.ritual and schedule:
            return say_line(
                handler_input, lines().help_confirm, what=ritual_words(draft.ritual).what, when=when(schedule)
            )
        return say_line(handler_input, lines().help_what if draft.ritual is None else lines().help_when)


class PermissionResponseHandler(Handler):
    """Alexa's answer to our AskFor: set the reminder the household already said yes to, or say that
    nothing is set and leave the card that allows reminders later."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        request = handler_input.request_envelope.request
        return (
            is_request(handler_input, RequestType.CONNECTIONS_RESPONSE)
            and request.name == "AskFor"
            and (request.token or "").startswith(TOKEN_PREFIX)
        )

    def respond(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        carried = from_token(request.token)
        accepted = (
            request.status is not None
            and str(request.status.code) == "200"
            and (request.payload or {}).get("status") == "ACCEPTED"
        )
        if carried is None or not accepted:
            return permission_declined(handler_input)
        ritual, schedule = carried
        return set_reminder(handler_input, self.store, ritual, schedule, lines().thanks, may_ask=False)


def matching(known: list[Known], heard: Draft) -> list[Known]:
    """The reminders that what was said names: by ritual, by days, or all of them if neither was said."""
    if heard.days_unknown or heard.ritual_unknown:
        return []
    return [
        each
        for each in known
        if (heard.ritual is None or each.ritual == heard.ritual)
        and (
            heard.days is None
            or (each.reminder.schedule is not None and each.reminder.schedule.days == heard.days)
        )
    ]


class ReminderListingHandler(Handler):
    """A handler that starts from the reminders Alexa has set, and says so when she cannot tell."""

    def respond(self, handler_input: HandlerInput) -> Response:
        service = ReminderService(handler_input, self.store)
        try:
            known = service.known()
        except ReminderApiError as error:
            if error.needs_permission:
                return permission_card(handler_input, lines().no_permission, "reminders_not_allowed")
            record_outcome(handler_input, f"reminders_unreadable_{error.status}")
            return say_line(handler_input, lines().read_failed)
        if not known:
            record_outcome(handler_input, "reminders_none")
            return say_line(handler_input, lines().list_none)
        return self.act(handler_input, service, known)

    @abstractmethod
    def act(self, handler_input: HandlerInput, service: ReminderService, known: list[Known]) -> Response:
        """What to do with the household's reminders (there is at least one)."""


class ListRemindersHandler(ReminderListingHandler):
    """'What reminders do we have?'"""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.LIST_REMINDERS)

    def act(self, handler_input: HandlerInput, service: ReminderService, known: list[Known]) -> Response:
        listed = items([item(each.ritual, each.reminder.schedule) for each in known])
        record_outcome(handler_input, "reminders_listed")
        if len(known) == 1:
            return say_line(handler_input, lines().list_one, items=listed)
        return say_line(handler_input, lines().list_many, count=len(known), items=listed)


class ChangeReminderHandler(ReminderListingHandler):
    """'Move the check-in reminder to nine': the same days, the new time; an hour said without a.m. or p.m.
    stays in the part of the day the reminder was in (a morning one moved "to eight" is at 8 AM)."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.CHANGE_REMINDER)

    def act(self, handler_input: HandlerInput, service: ReminderService, known: list[Known]) -> Response:
        heard = Draft.heard(handler_input)
        chosen = [each for each in matching(known, heard) if each.reminder.schedule is not None]
        if not chosen:
            return say_line(handler_input, lines().none_such)
        if len(chosen) > 1:
            return say_line(handler_input, lines().which, count=len(chosen))
        [target] = chosen
        was_morning = target.reminder.schedule is not None and target.reminder.schedule.at.hour < 12
        at = replace(heard, morning=heard.morning or was_morning).at()
        if at is None:
            return say_line(handler_input, lines().move_when)
        return self._move(handler_input, service, target, at)

    @staticmethod
    def _move(handler_input: HandlerInput, service: ReminderService, target: Known, at: time) -> Response:
        before = target.reminder.schedule
        try:
            moved = service.move(target, at)
        except ReminderApiError as error:
            if error.needs_permission:
                return permission_card(handler_input, lines().no_permission, "reminders_not_allowed")
            if error.gone:
                return say_line(handler_input, lines().none_such)
            record_outcome(handler_input, f"reminder_not_moved_{error.status}")
            return say_line(handler_input, lines().move_failed, when=when(before))
        record_outcome(handler_input, "reminder_moved")
        return say_line(handler_input, lines().moved, items=item(target.ritual, moved))


class CancelReminderHandler(ReminderListingHandler):
    """'Stop the reminders', 'cancel the Sunday one', 'cancel the check-in reminder'."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.CANCEL_REMINDER)

    def act(self, handler_input: HandlerInput, service: ReminderService, known: list[Known]) -> Response:
        chosen = matching(known, Draft.heard(handler_input))
        if not chosen:
            return say_line(handler_input, lines().none_such)
        cancelled = service.cancel(chosen)
        if cancelled.failed:
            record_outcome(handler_input, "reminders_partly_cancelled")
            return say_line(handler_input, lines().cancel_failed, count=cancelled.failed)
        record_outcome(handler_input, "reminders_cancelled")
        if len(chosen) == 1:
            return say_line(
                handler_input,
                lines().cancelled_one,
                items=item(chosen[0].ritual, chosen[0].reminder.schedule),
            )
        return say_line(handler_input, lines().cancelled_many, count=len(chosen))


HANDLERS: tuple[type[Handler], ...] = (
    SetReminderHandler,
    ConfirmReminderHandler,
    GoOnHandler,
    NoReminderHandler,
    ReminderHelpHandler,
    PermissionResponseHandler,
    ListRemindersHandler,
    ChangeReminderHandler,
    CancelReminderHandler,
)
