"""The monthly check-in's handlers: start it with an opening drawn from the household's month (offering
two of its appreciations first), and keep the one thing the couple will try this month. Once it runs, the
check-in's own handlers time it, pause, resume and end it (handlers/checkin)."""

from datetime import timedelta

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from handlers.appreciation.wording import words_heard
from handlers.base import Handler, is_intent, slot_value, state_is
from handlers.checkin.flows import already_going, start_checkin
from handlers.checkin.plan import Plan, plan
from handlers.checkin.rituals import MONTHLY_RITUAL
from handlers.monthly.service import HIGHLIGHTS, Month
from handlers.monthly.state import (
    CONFIRM_PLAN_RETRY,
    OFFER_HIGHLIGHTS,
    leave_offer,
    leave_retry,
    offer_highlights,
    pending_plan,
)
from handlers.monthly.wording import lines
from handlers.respond import ask, record_outcome, say_line
from skill.context import turn_of
from skill.speech import sentences
from skill.store import Store
from skill.store.month_plans import MonthPlan
from skill.timers import parse_iso_duration
from skill.vocabulary import Intent, Slot

MAX_PLAN_CHARS = 500  # as for an appreciation: longer is asked for again, more briefly


class MonthlyHandler(Handler):
    """A handler with the household's month at hand."""

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.month = Month(store)


def _offered(handler_input: HandlerInput) -> Plan:
    """The length the offer was made for (the usual one if the session lost it)."""
    minutes = leave_offer(handler_input)
    return plan(timedelta(minutes=minutes) if minutes else None, False, MONTHLY_RITUAL.bounds)


class StartMonthlyHandler(MonthlyHandler):
    """'Start our monthly check-in' (for a length, if one was heard): the opening, then the three parts;
    when the month holds appreciations enough, it asks first whether to read two of them."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.START_MONTHLY_CHECKIN)

    def respond(self, handler_input: HandlerInput) -> Response:
        heard = slot_value(handler_input, Slot.DURATION)
        chosen = plan(parse_iso_duration(heard), heard is not None, MONTHLY_RITUAL.bounds)
        latest = self.store.checkins.latest(turn_of(handler_input).household)
        going = already_going(handler_input, self.store, latest)
        if going is not None:
            return going
        opening = self.month.opening(handler_input)
        if opening.appreciations < HIGHLIGHTS:
            return start_checkin(handler_input, self.store, MONTHLY_RITUAL, chosen, opening.speech)
        offer_highlights(handler_input, chosen.minutes)
        record_outcome(handler_input, "monthly_highlights_offered")
        offer = lines().offer_highlights
        note = MONTHLY_RITUAL.adjustment_note(chosen)
        return ask(handler_input, sentences(opening.speech, note, offer.speech), offer.reprompt)


class ReadHighlightsHandler(MonthlyHandler):
    """'Yes' to two of the month's appreciations: read them, then start."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.YES) and state_is(handler_input, OFFER_HIGHLIGHTS)

    def respond(self, handler_input: HandlerInput) -> Response:
        chosen = _offered(handler_input)
        lead = self.month.highlights(handler_input)
        return start_checkin(handler_input, self.store, MONTHLY_RITUAL, chosen, lead)


class SkipHighlightsHandler(MonthlyHandler):
    """'No' to the appreciations: start straight away."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.NO) and state_is(handler_input, OFFER_HIGHLIGHTS)

    def respond(self, handler_input: HandlerInput) -> Response:
        return start_checkin(handler_input, self.store, MONTHLY_RITUAL, _offered(handler_input))


class HighlightsHelpHandler(MonthlyHandler):
    """Help, or words not understood, while the appreciations are on offer: say what the question is."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.HELP, Intent.FALLBACK) and state_is(
            handler_input, OFFER_HIGHLIGHTS
        )

    def respond(self, handler_input: HandlerInput) -> Response:
        return say_line(handler_input, lines().highlights_help)


class PlanHandler(MonthlyHandler):
    """'We'll try cooking together on Sundays': kept (once, under this request's key), then confirmed."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.MONTHLY_PLAN)

    def respond(self, handler_input: HandlerInput) -> Response:
        leave_retry(handler_input)
        text = words_heard(slot_value(handler_input, Slot.TEXT))
        if text is None:
            record_outcome(handler_input, "month_plan_unheard")
            return say_line(handler_input, lines().plan_unheard)
        if len(text) > MAX_PLAN_CHARS:
            record_outcome(handler_input, "month_plan_too_long")
            return say_line(handler_input, lines().plan_too_long)
        turn = turn_of(handler_input)
        sk = MonthPlan.key_for(handler_input.request_envelope.request.request_id, turn.now)
        return self.month.save_plan(handler_input, sk, text)


class RetryPlanHandler(MonthlyHandler):
    """'Yes' to trying the plan again: the same key, so it is stored once however often it is tried."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.YES) and state_is(handler_input, CONFIRM_PLAN_RETRY)

    def respond(self, handler_input: HandlerInput) -> Response:
        pending = pending_plan(handler_input)
        if pending is None:  # a session that lost what it was waiting on
            leave_retry(handler_input)
            return say_line(handler_input, lines().plan_unheard)
        return self.month.save_plan(handler_input, pending["sk"], pending["text"])


class DropPlanHandler(MonthlyHandler):
    """'No' (or cancel) to trying again: nothing is saved, and it says so."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.NO, Intent.CANCEL) and state_is(
            handler_input, CONFIRM_PLAN_RETRY
        )

    def respond(self, handler_input: HandlerInput) -> Response:
        leave_retry(handler_input)
        record_outcome(handler_input, "month_plan_dropped")
        return say_line(handler_input, lines().plan_not_saved)


class PlanHelpHandler(MonthlyHandler):
    """Help, or words not understood, while asking whether to try again."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.HELP, Intent.FALLBACK) and state_is(
            handler_input, CONFIRM_PLAN_RETRY
        )

    def respond(self, handler_input: HandlerInput) -> Response:
        return say_line(handler_input, lines().plan_help)


HANDLERS: tuple[type[Handler], ...] = (
    ReadHighlightsHandler,
    SkipHighlightsHandler,
    HighlightsHelpHandler,
    RetryPlanHandler,
    DropPlanHandler,
    PlanHelpHandler,
    StartMonthlyHandler,
    PlanHandler,
)
