"""Setting a reminder, as Amazon asks a skill to: say exactly what will be set, days and time included, and
set it only on "yes"; the first time, ask for the permission by voice; and say truly what Alexa did."""

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response
from ask_sdk_model.interfaces.connections import SendRequestDirective
from ask_sdk_model.ui import AskForPermissionsConsentCard

from content.models import SpokenLine
from handlers.reminders.draft import Draft, Ritual
from handlers.reminders.pending import asking, done, token_for
from handlers.reminders.service import ReminderService
from handlers.reminders.state import ASK_WHAT, ASK_WHEN, CONFIRM
from handlers.reminders.wording import lines, ritual_words, when
from handlers.respond import ask, record_outcome, say_line, tell
from skill.reminders import (
    BAD_RECURRENCE,
    DEVICE_NOT_SUPPORTED,
    IN_THE_PAST,
    TOO_FAR_AHEAD,
    TOO_MANY,
    ReminderApiError,
    Schedule,
)
from skill.speech import sentences
from skill.store import Store
from skill.vocabulary import Scope


def ask_or_confirm(handler_input: HandlerInput, draft: Draft) -> Response:
    """Ask for what is still missing (the ritual, then when), or, with all of it, say what will be set and
    ask whether to set it."""
    if draft.ritual is None:
        asking(handler_input, ASK_WHAT, draft)
        record_outcome(handler_input, "reminder_asked_what")
        return say_line(handler_input, lines().ask_what)
    words = ritual_words(draft.ritual)
    schedule = draft.schedule()
    if schedule is None:
        asking(handler_input, ASK_WHEN, draft)
        record_outcome(handler_input, "reminder_asked_when")
        line = lines().ask_when
        note = lines().days_unknown if draft.days_unknown else ""
        return ask(handler_input, sentences(note, line.speech.format(what=words.what)), line.reprompt)
    asking(handler_input, CONFIRM, draft)
    record_outcome(handler_input, "reminder_confirming")
    return say_line(
        handler_input, lines().confirm, what=words.what, when=when(schedule), announcement=words.announcement
    )


def set_reminder(
    handler_input: HandlerInput,
    store: Store,
    ritual: Ritual,
    schedule: Schedule,
    lead: str = "",
    may_ask: bool = True,
) -> Response:
    """Set the confirmed reminder, unless the same one is set already; ask for the permission first if
    Alexa wants it (once: `may_ask` is False after the household was asked)."""
    done(handler_input)
    service = ReminderService(handler_input, store)
    words = ritual_words(ritual)
    try:
        if any(known.ritual == ritual and known.reminder.schedule == schedule for known in service.known()):
            record_outcome(handler_input, "reminder_already_set")
            return tell(
                handler_input,
                sentences(lead, lines().already.speech.format(what=words.what, when=when(schedule))),
            )
        service.create(ritual, schedule)
    except ReminderApiError as error:
        if error.needs_permission:
            return (
                ask_permission(handler_input, ritual, schedule)
                if may_ask
                else permission_declined(handler_input)
            )
        return refused(handler_input, error)
    record_outcome(handler_input, "reminder_set")
    return tell(
        handler_input, sentences(lead, lines().set.speech.format(what=words.what, when=when(schedule)))
    )


def ask_permission(handler_input: HandlerInput, ritual: Ritual, schedule: Schedule) -> Response:
    """Hand over to Alexa, who asks for the reminders permission in her own words; the token brings the
    confirmed reminder back with her answer."""
    directive = SendRequestDirective(
        name="AskFor",
        payload={
            "@type": "AskForPermissionsConsentRequest",
            "@version": "2",
            "permissionScopes": [{"permissionScope": Scope.REMINDERS, "consentLevel": "ACCOUNT"}],
        },
        token=token_for(ritual, schedule),
    )
    record_outcome(handler_input, "reminders_permission_asked")
    # No reprompt and no shouldEndSession: Alexa takes the turn over and answers with Connections.Response.
    return (
        handler_input.response_builder.speak(lines().ask_permission.speech).add_directive(directive).response
    )


def permission_card(handler_input: HandlerInput, line: SpokenLine, outcome: str) -> Response:
    """Say that reminders are not allowed, with the card in the Alexa app that allows them."""
    record_outcome(handler_input, outcome)
    builder = handler_input.response_builder.speak(line.speech)
    builder.set_card(AskForPermissionsConsentCard(permissions=[Scope.REMINDERS]))
    return builder.set_should_end_session(True).response


def permission_declined(handler_input: HandlerInput) -> Response:
    return permission_card(handler_input, lines().permission_declined, "reminders_permission_declined")


def refused(handler_input: HandlerInput, error: ReminderApiError) -> Response:
    """Alexa did not set the reminder: say why, in her terms where we know them, and that nothing is set."""
    said = lines()
    by_code = {
        TOO_MANY: said.too_many,
        IN_THE_PAST: said.in_the_past,
        TOO_FAR_AHEAD: said.too_far_ahead,
        BAD_RECURRENCE: said.bad_recurrence,
        DEVICE_NOT_SUPPORTED: said.device_unsupported,
    }
    record_outcome(handler_input, f"reminder_refused_{error.status}")
    return say_line(handler_input, by_code.get(error.code or "", said.failed))
