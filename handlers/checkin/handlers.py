"""The check-in's handlers: start it (asking for the timers permission if need be), then, while it runs,
time left, pause, resume and end early; and how many this week."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from content.checkin import CheckInLines
from content.models import SpokenLine
from handlers.base import Handler, is_intent, is_request, slot_value
from handlers.checkin.flows import (
    cancel_halfway,
    going_on,
    halfway_note,
    none_running,
    offer_untimed,
    start_checkin,
    start_untimed,
    vanished,
)
from handlers.checkin.plan import plan
from handlers.checkin.state import TOKEN_PREFIX, current_checkin, leave_offer, offering_guide
from handlers.checkin.timing import Observed, Result, change_timers, observe
from handlers.checkin.wording import lines, spoken_length
from handlers.respond import record_outcome, say_line
from skill.context import turn_of
from skill.household_time import week_start
from skill.store.checkins import CheckIn
from skill.timers import Timers, parse_iso_duration
from skill.vocabulary import Intent, RequestType, Slot


class StartCheckInHandler(Handler):
    """'Start our check-in', 'start a fifteen minute check-in'."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.START_CHECKIN)

    def respond(self, handler_input: HandlerInput) -> Response:
        heard = slot_value(handler_input, Slot.DURATION)
        return start_checkin(handler_input, self.store, plan(parse_iso_duration(heard), heard is not None))


class PermissionResponseHandler(Handler):
    """Alexa's answer to our AskFor: start the timers at once, or offer the guide without them."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        request = handler_input.request_envelope.request
        return (
            is_request(handler_input, RequestType.CONNECTIONS_RESPONSE)
            and request.name == "AskFor"
            and (request.token or "").startswith(TOKEN_PREFIX)
        )

    def respond(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        asked = request.token.removeprefix(TOKEN_PREFIX)
        chosen = plan(timedelta(minutes=int(asked)) if asked.isdigit() else None, slot_filled=False)
        accepted = (
            request.status is not None
            and str(request.status.code) == "200"
            and (request.payload or {}).get("status") == "ACCEPTED"
        )
        if not accepted:
            return offer_untimed(handler_input, chosen)
        return start_checkin(
            handler_input, self.store, chosen, lines().permission_thanks.speech, may_ask=False
        )


class AcceptGuideHandler(Handler):
    """'Yes' to the guide without a timer."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.YES) and offering_guide(handler_input)

    def respond(self, handler_input: HandlerInput) -> Response:
        minutes = leave_offer(handler_input)
        chosen = plan(timedelta(minutes=minutes) if minutes else None, slot_filled=False)
        return start_untimed(handler_input, self.store, chosen)


class DeclineGuideHandler(Handler):
    """'No' to the guide without a timer."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.NO) and offering_guide(handler_input)

    def respond(self, handler_input: HandlerInput) -> Response:
        leave_offer(handler_input)
        return say_line(handler_input, lines().offer_declined)


class OfferHelpHandler(Handler):
    """Help while the guide without a timer is on offer."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.HELP) and offering_guide(handler_input)

    def respond(self, handler_input: HandlerInput) -> Response:
        return say_line(handler_input, lines().offer_help)


class TimeLeftHandler(Handler):
    """'How much time is left?'"""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.CHECKIN_TIME_LEFT)

    def respond(self, handler_input: HandlerInput) -> Response:
        checkin = current_checkin(handler_input, self.store)
        if checkin is None:
            return none_running(handler_input)
        seen = observe(handler_input, checkin)
        if seen.gone:
            return vanished(handler_input, self.store, checkin)
        return say_line(
            handler_input,
            lines().time_left_paused if seen.paused else lines().time_left,
            left=spoken_length(seen.left),
        )


@dataclass(frozen=True)
class Toggle:
    """Pausing or resuming: which way, what the timers and the record do, and what is said."""

    intents: tuple[Intent, Intent]  # ours, then Amazon's (which counts only while a check-in is going)
    to_paused: bool
    timers: Callable[[Timers, str], None]
    record: Callable[[CheckIn, timedelta, HandlerInput], None]
    outcome: str
    done: Callable[[CheckInLines], SpokenLine]
    already: Callable[[CheckInLines], SpokenLine]


PAUSE = Toggle(
    intents=(Intent.PAUSE_CHECKIN, Intent.PAUSE),
    to_paused=True,
    timers=Timers.pause,
    record=lambda checkin, left, _: checkin.pause(left),
    outcome="checkin_paused",
    done=lambda said: said.paused,
    already=lambda said: said.pause_again,
)
RESUME = Toggle(
    intents=(Intent.RESUME_CHECKIN, Intent.RESUME),
    to_paused=False,
    timers=Timers.resume,
    record=lambda checkin, left, handler_input: checkin.resume(turn_of(handler_input).now, left),
    outcome="checkin_resumed",
    done=lambda said: said.resumed,
    already=lambda said: said.not_paused,
)


class ToggleCheckInHandler(Handler):
    """'Pause the check-in' / 'resume the check-in' (or just 'pause' / 'resume' while one is going)."""

    toggle: Toggle

    def can_handle(self, handler_input: HandlerInput) -> bool:
        ours, amazons = self.toggle.intents
        # Amazon's own "pause" is meant for a check-in while one is going, or when we cannot tell.
        return is_intent(handler_input, ours) or (
            is_intent(handler_input, amazons) and going_on(handler_input, self.store, if_unknown=True)
        )

    def respond(self, handler_input: HandlerInput) -> Response:
        checkin = current_checkin(handler_input, self.store)
        if checkin is None:
            return none_running(handler_input)
        seen = observe(handler_input, checkin)
        if seen.gone:
            return vanished(handler_input, self.store, checkin)
        if seen.paused == self.toggle.to_paused:
            return say_line(handler_input, self.toggle.already(lines()), left=spoken_length(seen.left))
        return self._change(handler_input, checkin, seen)

    def _change(self, handler_input: HandlerInput, checkin: CheckIn, seen: Observed) -> Response:
        change = change_timers(handler_input, checkin, self.toggle.timers)
        if change.end is Result.GONE:
            return vanished(handler_input, self.store, checkin)
        if change.end is Result.REFUSED:
            return say_line(handler_input, lines().change_failed)
        self.toggle.record(checkin, seen.left, handler_input)
        self.store.checkins.save(turn_of(handler_input).household, checkin)
        record_outcome(handler_input, self.toggle.outcome)
        owed = halfway_note(checkin, change, seen.left)
        return say_line(handler_input, self.toggle.done(lines()), owed, left=spoken_length(seen.left))


class PauseCheckInHandler(ToggleCheckInHandler):
    toggle = PAUSE


class ResumeCheckInHandler(ToggleCheckInHandler):
    toggle = RESUME


class EndCheckInHandler(Handler):
    """'End the check-in': both timers cancelled (or found already gone), recorded as ended early."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.END_CHECKIN)

    def respond(self, handler_input: HandlerInput) -> Response:
        checkin = current_checkin(handler_input, self.store)
        if checkin is None:
            return none_running(handler_input)
        change = change_timers(handler_input, checkin, Timers.cancel)
        if change.end is Result.REFUSED:
            return say_line(handler_input, lines().change_failed)
        if change.end is Result.GONE:  # nothing left to cancel but the halfway timer, if it is still there
            owed, line = cancel_halfway(handler_input, checkin), lines().ended_timers_gone
        else:
            owed = lines().halfway_unchanged.speech if change.halfway is Result.REFUSED else ""
            line = lines().ended if checkin.timer_ids else lines().ended_untimed
        checkin.end_early(turn_of(handler_input).now)
        self.store.checkins.save(turn_of(handler_input).household, checkin)
        record_outcome(handler_input, "checkin_ended_early")
        return say_line(handler_input, line, owed)


class FallbackWhileRunningHandler(Handler):
    """Words not understood while a check-in runs (the couple talking, most likely): say so briefly and
    close the microphone, so their device-free time stays free of Alexa."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.FALLBACK) and going_on(
            handler_input, self.store, if_unknown=False
        )

    def respond(self, handler_input: HandlerInput) -> Response:
        return say_line(handler_input, lines().fallback_running)


class WeekCountHandler(Handler):
    """'How many check-ins have we done this week?' Weeks start on Monday, in the household's time zone."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.CHECKIN_COUNT)

    def respond(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        started = self.store.checkins.started_between(turn.household, week_start(turn.local_now()), turn.now)
        count = len(started)
        if count == 0:
            return say_line(handler_input, lines().week_none)
        return say_line(handler_input, lines().week_one if count == 1 else lines().week_many, count=count)


HANDLERS: tuple[type[Handler], ...] = (
    StartCheckInHandler,
    PermissionResponseHandler,
    AcceptGuideHandler,
    DeclineGuideHandler,
    OfferHelpHandler,
    TimeLeftHandler,
    PauseCheckInHandler,
    ResumeCheckInHandler,
    EndCheckInHandler,
    FallbackWhileRunningHandler,
    WeekCountHandler,
)
