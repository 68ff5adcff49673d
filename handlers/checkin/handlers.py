"""The check-in's handlers: start a daily one (asking for the timers permission if need be), then, while a
check-in of either kind runs, time left, pause, resume and end early; and how many this week."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from content.checkin import CheckInLines
from content.models import SpokenLine
from handlers.base import Handler, is_intent, is_request, slot_value
from handlers.checkin.flows import (
    cancel_part_timers,
    going_on,
    none_running,
    offer_untimed,
    parts_note,
    start_checkin,
    start_untimed,
    vanished,
)
from handlers.checkin.plan import plan
from handlers.checkin.rituals import DAILY_RITUAL, RITUALS, lines_for, ritual_for_token, ritual_of
from handlers.checkin.state import current_checkin, leave_offer, offering_guide
from handlers.checkin.timing import Observed, Result, change_timers, observe
from handlers.checkin.wording import lines, spoken_length
from handlers.reminders.draft import Ritual
from handlers.reminders.offer import after_ritual
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
        chosen = plan(parse_iso_duration(heard), heard is not None)
        return start_checkin(handler_input, self.store, DAILY_RITUAL, chosen)


class PermissionResponseHandler(Handler):
    """Alexa's answer to our AskFor, for a check-in of either kind: start the timers at once, or offer
    the guide without them."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        request = handler_input.request_envelope.request
        return (
            is_request(handler_input, RequestType.CONNECTIONS_RESPONSE)
            and request.name == "AskFor"
            and ritual_for_token(request.token) is not None
        )

    def respond(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        ritual = ritual_for_token(request.token) or DAILY_RITUAL
        asked = request.token.removeprefix(ritual.token_prefix)
        chosen = plan(timedelta(minutes=int(asked)) if asked.isdigit() else None, False, ritual.bounds)
        accepted = (
            request.status is not None
            and str(request.status.code) == "200"
            and (request.payload or {}).get("status") == "ACCEPTED"
        )
        if not accepted:
            return offer_untimed(handler_input, ritual, chosen)
        thanks = lines().permission_thanks.speech
        return start_checkin(handler_input, self.store, ritual, chosen, thanks, may_ask=False)


class AcceptGuideHandler(Handler):
    """'Yes' to the guide without a timer."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.YES) and offering_guide(handler_input)

    def respond(self, handler_input: HandlerInput) -> Response:
        minutes, kind = leave_offer(handler_input)
        ritual = RITUALS[kind]
        chosen = plan(timedelta(minutes=minutes) if minutes else None, False, ritual.bounds)
        return start_untimed(handler_input, self.store, ritual, chosen)


class DeclineGuideHandler(Handler):
    """'No' to the guide without a timer."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.NO) and offering_guide(handler_input)

    def respond(self, handler_input: HandlerInput) -> Response:
        _, kind = leave_offer(handler_input)
        return say_line(handler_input, RITUALS[kind].lines().offer_declined)


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
        said = lines_for(checkin)
        return say_line(
            handler_input,
            said.time_left_paused if seen.paused else said.time_left,
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
        ritual_of(checkin).show(handler_input, checkin, seen.left, paused=self.toggle.to_paused)
        owed = parts_note(checkin, change, seen.left)
        return say_line(
            handler_input, self.toggle.done(lines_for(checkin)), owed, left=spoken_length(seen.left)
        )


class PauseCheckInHandler(ToggleCheckInHandler):
    toggle = PAUSE


class ResumeCheckInHandler(ToggleCheckInHandler):
    toggle = RESUME


class EndCheckInHandler(Handler):
    """'End the check-in': its timers cancelled (or found already gone), recorded as ended early. Ending a
    monthly one asks what the couple will try this month (handlers/monthly saves the answer)."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.END_CHECKIN)

    def respond(self, handler_input: HandlerInput) -> Response:
        checkin = current_checkin(handler_input, self.store)
        if checkin is None:
            return none_running(handler_input)
        change = change_timers(handler_input, checkin, Timers.cancel)
        if change.end is Result.REFUSED:
            return say_line(handler_input, lines().change_failed)
        said = lines_for(checkin)
        if change.end is Result.GONE:  # nothing left to cancel but the part timers, if they are still there
            owed, line = cancel_part_timers(handler_input, checkin), said.ended_timers_gone
        else:
            owed = said.halfway_unchanged.speech if change.parts_refused else ""
            line = said.ended if checkin.timer_ids else said.ended_untimed
        checkin.end_early(turn_of(handler_input).now)
        self.store.checkins.save(turn_of(handler_input).household, checkin)
        record_outcome(handler_input, "checkin_ended_early")
        return after_ritual(handler_input, self.store, Ritual.CHECKIN, line, owed)  # offers a reminder once


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
