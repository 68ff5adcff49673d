"""The check-in: a short spoken guide, then a device-free conversation timed by two Alexa timers.

A halfway timer announces the switch of speakers and an end timer closes with a nudge to appreciate each
other. Without the timers permission the skill asks for it by voice (Connections.SendRequest "AskFor");
if the household declines, it offers the guide without a timer. While a check-in runs it can be asked how
long is left, paused, resumed and ended early. Every check-in is one DynamoDB item (skill/checkins.py).

A household can also cancel the timers by saying "Alexa, cancel the timer", and a timer that has rung is
gone too: the Timers API answers 404. A check-in whose end timer is gone is over, whatever our record says,
so it is closed and said to be, and never said to be paused, resumed or to have minutes left.
"""

import json
import logging
from abc import abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model import Response
from ask_sdk_model.interfaces.connections import SendRequestDirective
from ask_sdk_model.ui import AskForPermissionsConsentCard

from content import phrases
from content.checkin import CheckInLines, checkin_content
from handlers import Dependencies
from handlers.respond import record_outcome, say_line, tell
from skill.checkins import Adjustment, CheckIn, Plan, Status, plan, week_start
from skill.context import turn_of
from skill.speech import sentences
from skill.store import Store, StoreUnavailableError
from skill.timers import TIMERS_SCOPE, TimerApiError, Timers, parse_iso_duration

log = logging.getLogger(__name__)

STATE = "state"
OFFER_GUIDE = "checkin.offer_guide"
OFFERED_MINUTES = "checkin.minutes"
# The AskFor token comes back unchanged in Connections.Response: it carries the length that was asked for.
TOKEN_PREFIX = "checkin:"
_CURRENT = "checkin.current"


def _lines() -> CheckInLines:
    return checkin_content().lines


def spoken_length(length: timedelta) -> str:
    """A time left as Alexa should say it, to the nearest minute: '12 minutes', 'less than a minute'."""
    seconds = round(length.total_seconds())
    if seconds < 60:
        return "less than a minute"
    minutes = seconds // 60 + (seconds % 60 >= 30)
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def spoken_half(minutes: int) -> str:
    """Half of a check-in, exactly: 10 minutes, or 7 and a half minutes."""
    whole, odd = divmod(minutes, 2)
    return f"{whole} and a half minutes" if odd else f"{whole} minutes"


def current_checkin(handler_input: HandlerInput, store: Store) -> CheckIn | None:
    """The check-in still going (or paused), looked up at most once a turn."""
    attributes = handler_input.attributes_manager.request_attributes
    if _CURRENT not in attributes:
        turn = turn_of(handler_input)
        latest = store.latest_checkin(turn.household)
        attributes[_CURRENT] = latest if latest and latest.is_current(turn.now) else None
    return attributes[_CURRENT]


@dataclass(frozen=True)
class Observed:
    """A check-in as it stands: time left, whether paused, and whether its end timer is gone at Alexa."""

    left: timedelta
    paused: bool
    gone: bool = False


def observe(handler_input: HandlerInput, checkin: CheckIn) -> Observed:
    """Time left and whether paused: from the end timer itself when Alexa can tell us, else our record.

    The timer wins because a household can also say "Alexa, pause the timer" without the skill; a timer
    Alexa no longer has (404) means the check-in is over."""
    now = turn_of(handler_input).now
    if checkin.end_timer:
        try:
            reading = Timers(handler_input).read(checkin.end_timer, now)
            return Observed(reading.remaining, reading.paused)
        except TimerApiError as error:
            if error.timer_gone:
                return Observed(timedelta(), paused=False, gone=True)
            # unreachable: our own record is the next best truth
    return Observed(checkin.remaining(now), checkin.status == Status.PAUSED)


class CheckInHandler(AbstractRequestHandler):
    """A check-in handler: a table that fails means an honest apology, never an escaped exception."""

    def __init__(self, deps: Dependencies) -> None:
        self.store = deps.store

    def handle(self, handler_input: HandlerInput) -> Response:
        try:
            return self.respond(handler_input)
        except StoreUnavailableError as error:
            log.warning(json.dumps({"event": "checkin_store_unavailable", "error": str(error)}))
            record_outcome(handler_input, "store_unavailable")
            return say_line(handler_input, phrases().error)

    @abstractmethod
    def respond(self, handler_input: HandlerInput) -> Response:
        """The handler's answer; it may raise StoreUnavailableError."""


# --- starting ---


def _adjustment_note(chosen: Plan) -> str:
    notes = {
        Adjustment.TOO_SHORT: _lines().too_short,
        Adjustment.TOO_LONG: _lines().too_long,
        Adjustment.UNHEARD: _lines().unheard,
    }
    line = notes.get(chosen.adjustment)
    return line.speech if line else ""


def _guide(chosen: Plan, opener_index: int) -> str:
    content = checkin_content()
    first_speaker = content.first_speakers[opener_index % len(content.first_speakers)]
    return content.render_guide(
        first_speaker, spoken_half(chosen.minutes), content.openers[opener_index].text
    )


def _cancel_quietly(timers: Timers, timer_ids: list[str]) -> bool:
    """Cancel timers we no longer want; whether none of them can still go off."""
    cleared = True
    for timer_id in timer_ids:
        try:
            timers.cancel(timer_id)
        except TimerApiError as error:
            cleared = cleared and error.timer_gone
    return cleared


def _set_timers(timers: Timers, chosen: Plan) -> tuple[str, str]:
    """The halfway and end timers' ids; if the second cannot be set, the first is taken back."""
    content = checkin_content()
    halfway = timers.create(chosen.length / 2, content.timer_label, content.announcements.halfway)
    try:
        end = timers.create(chosen.length, content.timer_label, content.announcements.end)
    except TimerApiError:
        _cancel_quietly(timers, [halfway])
        raise
    return halfway, end


def _already_going(handler_input: HandlerInput, store: Store, latest: CheckIn | None) -> Response | None:
    """What to say if a check-in is still going, so a new one cannot start; None if none is.

    One whose end timer is gone at Alexa is over: it is closed here, and does not stand in the way."""
    if latest is None or not latest.is_current(turn_of(handler_input).now):
        return None
    seen = observe(handler_input, latest)
    if seen.gone:
        _settle_vanished(handler_input, store, latest)
        return None
    record_outcome(handler_input, "checkin_already_going")
    return say_line(
        handler_input,
        _lines().already_paused if seen.paused else _lines().already_running,
        left=spoken_length(seen.left),
    )


def _ask_permission(handler_input: HandlerInput, chosen: Plan) -> Response:
    """Hand over to Alexa, who asks the household for the timers permission in her own words."""
    directive = SendRequestDirective(
        name="AskFor",
        payload={
            "@type": "AskForPermissionsConsentRequest",
            "@version": "2",
            "permissionScopes": [{"permissionScope": TIMERS_SCOPE, "consentLevel": "ACCOUNT"}],
        },
        token=f"{TOKEN_PREFIX}{chosen.minutes}",
    )
    record_outcome(handler_input, "timers_permission_asked")
    speech = sentences(_adjustment_note(chosen), _lines().ask_permission.speech)
    # No reprompt and no shouldEndSession: Alexa takes the turn over and answers with Connections.Response.
    return handler_input.response_builder.speak(speech).add_directive(directive).response


def _offer_untimed(handler_input: HandlerInput, chosen: Plan) -> Response:
    """No timers permission: say so kindly, leave a card to grant it later, and offer the guide anyway."""
    session = handler_input.attributes_manager.session_attributes
    session[STATE], session[OFFERED_MINUTES] = OFFER_GUIDE, chosen.minutes
    record_outcome(handler_input, "timers_permission_declined")
    line = _lines().permission_declined
    builder = handler_input.response_builder.speak(line.speech).ask(line.reprompt or line.speech)
    builder.set_card(AskForPermissionsConsentCard(permissions=[TIMERS_SCOPE]))
    return builder.set_should_end_session(False).response


def _timers_failed(handler_input: HandlerInput, error: TimerApiError) -> Response:
    record_outcome(handler_input, f"timers_failed_{error.status}")
    return say_line(
        handler_input, _lines().device_offline if error.device_offline else _lines().timers_failed
    )


def start_checkin(
    handler_input: HandlerInput, store: Store, chosen: Plan, lead: str = "", may_ask: bool = True
) -> Response:
    """Set both timers, record the check-in, then speak the guide. Nothing is recorded unless both
    timers are set; nothing is said to have started unless it is recorded."""
    turn = turn_of(handler_input)
    latest = store.latest_checkin(turn.household)
    going = _already_going(handler_input, store, latest)
    if going is not None:
        return going
    opener_index = checkin_content().opener_after(latest.opener if latest else None)
    timers = Timers(handler_input)
    try:
        halfway, end = _set_timers(timers, chosen)
    except TimerApiError as error:
        if error.needs_permission:
            return (
                _ask_permission(handler_input, chosen) if may_ask else _offer_untimed(handler_input, chosen)
            )
        return _timers_failed(handler_input, error)
    checkin = CheckIn.begin(
        handler_input.request_envelope.request.request_id,
        turn.now,
        chosen.minutes,
        halfway_timer=halfway,
        end_timer=end,
        opener=checkin_content().openers[opener_index].id,
    )
    try:
        store.add_checkin(turn.household, checkin)
    except StoreUnavailableError:
        cleared = _cancel_quietly(timers, [end, halfway])
        record_outcome(handler_input, "checkin_not_saved")
        return say_line(handler_input, _lines().not_saved if cleared else _lines().not_saved_timers_left)
    record_outcome(handler_input, "checkin_started")
    started = _lines().started.speech.format(minutes=chosen.minutes)
    return tell(
        handler_input, sentences(lead, _adjustment_note(chosen), _guide(chosen, opener_index), started)
    )


def start_untimed(handler_input: HandlerInput, store: Store, chosen: Plan) -> Response:
    """The guide without timers (the household declined them); recorded, so it counts and can be ended."""
    turn = turn_of(handler_input)
    latest = store.latest_checkin(turn.household)
    going = _already_going(handler_input, store, latest)
    if going is not None:
        return going
    opener_index = checkin_content().opener_after(latest.opener if latest else None)
    checkin = CheckIn.begin(
        handler_input.request_envelope.request.request_id,
        turn.now,
        chosen.minutes,
        opener=checkin_content().openers[opener_index].id,
    )
    store.add_checkin(turn.household, checkin)
    record_outcome(handler_input, "checkin_started_untimed")
    close = _lines().started_untimed.speech.format(half=spoken_half(chosen.minutes))
    return tell(handler_input, sentences(_guide(chosen, opener_index), close))


def _slot_value(handler_input: HandlerInput, name: str) -> str | None:
    intent = handler_input.request_envelope.request.intent
    slot = (intent.slots or {}).get(name) if intent else None
    return slot.value if slot and slot.value else None


class StartCheckInHandler(CheckInHandler):
    """'Start our check-in', 'start a fifteen minute check-in'."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("StartCheckInIntent")(handler_input)

    def respond(self, handler_input: HandlerInput) -> Response:
        heard = _slot_value(handler_input, "duration")
        return start_checkin(handler_input, self.store, plan(parse_iso_duration(heard), heard is not None))


class PermissionResponseHandler(CheckInHandler):
    """Alexa's answer to our AskFor: start the timers at once, or offer the guide without them."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        request = handler_input.request_envelope.request
        return (
            is_request_type("Connections.Response")(handler_input)
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
            return _offer_untimed(handler_input, chosen)
        return start_checkin(
            handler_input, self.store, chosen, _lines().permission_thanks.speech, may_ask=False
        )


def _offering_guide(handler_input: HandlerInput) -> bool:
    return handler_input.attributes_manager.session_attributes.get(STATE) == OFFER_GUIDE


def _leave_offer(handler_input: HandlerInput) -> int:
    """Forget the offer; the length it was made for."""
    session = handler_input.attributes_manager.session_attributes
    session.pop(STATE, None)
    return int(session.pop(OFFERED_MINUTES, 0) or 0)


class AcceptGuideHandler(CheckInHandler):
    """'Yes' to the guide without a timer."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.YesIntent")(handler_input) and _offering_guide(handler_input)

    def respond(self, handler_input: HandlerInput) -> Response:
        minutes = _leave_offer(handler_input)
        chosen = plan(timedelta(minutes=minutes) if minutes else None, slot_filled=False)
        return start_untimed(handler_input, self.store, chosen)


class DeclineGuideHandler(AbstractRequestHandler):
    """'No' to the guide without a timer."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.NoIntent")(handler_input) and _offering_guide(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        _leave_offer(handler_input)
        return say_line(handler_input, _lines().offer_declined)


class OfferHelpHandler(AbstractRequestHandler):
    """Help while the guide without a timer is on offer."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.HelpIntent")(handler_input) and _offering_guide(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return say_line(handler_input, _lines().offer_help)


# --- while it runs ---


def _none_running(handler_input: HandlerInput) -> Response:
    record_outcome(handler_input, "no_checkin_going")
    return say_line(handler_input, _lines().none_running)


class Result(StrEnum):
    """What became of one timer when the skill tried to change it."""

    CHANGED = "changed"  # done (or there is no such timer: an untimed check-in)
    GONE = "gone"  # Alexa no longer has it (404): it rang, or was cancelled outside the skill
    REFUSED = "refused"  # any other failure: it is as it was


@dataclass(frozen=True)
class Change:
    """What pausing, resuming or cancelling a check-in's timers did to each of them."""

    end: Result = Result.CHANGED
    halfway: Result = Result.CHANGED


def _try(timers: Timers, change: Callable[[Timers, str], None], timer_id: str | None) -> Result:
    if timer_id is None:
        return Result.CHANGED
    try:
        change(timers, timer_id)
    except TimerApiError as error:
        return Result.GONE if error.timer_gone else Result.REFUSED
    return Result.CHANGED


def _change_timers(
    handler_input: HandlerInput, checkin: CheckIn, change: Callable[[Timers, str], None]
) -> Change:
    """Pause, resume or cancel the end timer, then the halfway one; the halfway timer is left alone
    unless the end timer changed, as the check-in stands or falls with its end timer."""
    timers = Timers(handler_input)
    end = _try(timers, change, checkin.end_timer)
    if end is not Result.CHANGED:
        return Change(end=end)
    return Change(halfway=_try(timers, change, checkin.halfway_timer))


def _halfway_note(checkin: CheckIn, change: Change, left: timedelta) -> str:
    """Words owed about the halfway timer after pausing or resuming the end timer ("" if none).

    Both timers count down together, half the check-in apart, so a halfway timer gone while more than
    half is left never rang: it was cancelled, and the household should know to switch by themselves."""
    if change.halfway is Result.REFUSED:
        return _lines().halfway_unchanged.speech
    if change.halfway is Result.GONE and left > timedelta(minutes=checkin.planned_minutes) / 2:
        return _lines().halfway_gone.speech.format(half=spoken_half(checkin.planned_minutes))
    return ""


def _cancel_halfway(handler_input: HandlerInput, checkin: CheckIn) -> str:
    """Cancel the halfway timer of a check-in that is over; words owed if it may still go off."""
    halfway = [checkin.halfway_timer] if checkin.halfway_timer else []
    return "" if _cancel_quietly(Timers(handler_input), halfway) else _lines().halfway_unchanged.speech


def _settle_vanished(handler_input: HandlerInput, store: Store, checkin: CheckIn) -> str:
    """Close a check-in whose end timer is gone at Alexa: cancel its halfway timer, record how it ended.
    Words owed if the halfway timer could not be cancelled."""
    turn = turn_of(handler_input)
    owed = _cancel_halfway(handler_input, checkin)
    checkin.timers_vanished(turn.now)
    store.save_checkin(turn.household, checkin)
    handler_input.attributes_manager.request_attributes[_CURRENT] = None
    return owed


def _vanished(handler_input: HandlerInput, store: Store, checkin: CheckIn) -> Response:
    """The check-in's end timer is gone at Alexa: close it and say so plainly."""
    owed = _settle_vanished(handler_input, store, checkin)
    record_outcome(handler_input, f"checkin_{checkin.status.value}")
    finished = checkin.status == Status.FINISHED
    return say_line(handler_input, _lines().finished if finished else _lines().timers_gone, owed)


def _relevant(handler_input: HandlerInput, store: Store) -> bool:
    """Whether Amazon's own pause or resume is meant for a check-in: one is going (or we cannot tell)."""
    try:
        return current_checkin(handler_input, store) is not None
    except StoreUnavailableError:
        return True


class TimeLeftHandler(CheckInHandler):
    """'How much time is left?'"""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("CheckInTimeLeftIntent")(handler_input)

    def respond(self, handler_input: HandlerInput) -> Response:
        checkin = current_checkin(handler_input, self.store)
        if checkin is None:
            return _none_running(handler_input)
        seen = observe(handler_input, checkin)
        if seen.gone:
            return _vanished(handler_input, self.store, checkin)
        return say_line(
            handler_input,
            _lines().time_left_paused if seen.paused else _lines().time_left,
            left=spoken_length(seen.left),
        )


class PauseCheckInHandler(CheckInHandler):
    """'Pause the check-in' (or just 'pause' while one is going)."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("PauseCheckInIntent")(handler_input) or (
            is_intent_name("AMAZON.PauseIntent")(handler_input) and _relevant(handler_input, self.store)
        )

    def respond(self, handler_input: HandlerInput) -> Response:
        checkin = current_checkin(handler_input, self.store)
        if checkin is None:
            return _none_running(handler_input)
        seen = observe(handler_input, checkin)
        if seen.gone:
            return _vanished(handler_input, self.store, checkin)
        if seen.paused:
            return say_line(handler_input, _lines().pause_again, left=spoken_length(seen.left))
        change = _change_timers(handler_input, checkin, Timers.pause)
        if change.end is Result.GONE:
            return _vanished(handler_input, self.store, checkin)
        if change.end is Result.REFUSED:
            return say_line(handler_input, _lines().change_failed)
        checkin.pause(seen.left)
        self.store.save_checkin(turn_of(handler_input).household, checkin)
        record_outcome(handler_input, "checkin_paused")
        owed = _halfway_note(checkin, change, seen.left)
        return say_line(handler_input, _lines().paused, owed, left=spoken_length(seen.left))


class ResumeCheckInHandler(CheckInHandler):
    """'Resume the check-in' (or just 'resume' while one is paused)."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("ResumeCheckInIntent")(handler_input) or (
            is_intent_name("AMAZON.ResumeIntent")(handler_input) and _relevant(handler_input, self.store)
        )

    def respond(self, handler_input: HandlerInput) -> Response:
        checkin = current_checkin(handler_input, self.store)
        if checkin is None:
            return _none_running(handler_input)
        seen = observe(handler_input, checkin)
        if seen.gone:
            return _vanished(handler_input, self.store, checkin)
        if not seen.paused:
            return say_line(handler_input, _lines().not_paused, left=spoken_length(seen.left))
        change = _change_timers(handler_input, checkin, Timers.resume)
        if change.end is Result.GONE:
            return _vanished(handler_input, self.store, checkin)
        if change.end is Result.REFUSED:
            return say_line(handler_input, _lines().change_failed)
        checkin.resume(turn_of(handler_input).now, seen.left)
        self.store.save_checkin(turn_of(handler_input).household, checkin)
        record_outcome(handler_input, "checkin_resumed")
        owed = _halfway_note(checkin, change, seen.left)
        return say_line(handler_input, _lines().resumed, owed, left=spoken_length(seen.left))


class EndCheckInHandler(CheckInHandler):
    """'End the check-in': both timers cancelled (or found already gone), recorded as ended early."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("EndCheckInIntent")(handler_input)

    def respond(self, handler_input: HandlerInput) -> Response:
        checkin = current_checkin(handler_input, self.store)
        if checkin is None:
            return _none_running(handler_input)
        change = _change_timers(handler_input, checkin, Timers.cancel)
        if change.end is Result.REFUSED:
            return say_line(handler_input, _lines().change_failed)
        if change.end is Result.GONE:  # nothing left to cancel but the halfway timer, if it is still there
            owed, line = _cancel_halfway(handler_input, checkin), _lines().ended_timers_gone
        else:
            owed = _lines().halfway_unchanged.speech if change.halfway is Result.REFUSED else ""
            line = _lines().ended if checkin.timer_ids else _lines().ended_untimed
        checkin.end_early(turn_of(handler_input).now)
        self.store.save_checkin(turn_of(handler_input).household, checkin)
        record_outcome(handler_input, "checkin_ended_early")
        return say_line(handler_input, line, owed)


# --- looking back ---


class WeekCountHandler(CheckInHandler):
    """'How many check-ins have we done this week?' Weeks start on Monday, in the household's time zone."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("CheckInCountIntent")(handler_input)

    def respond(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        count = len(self.store.checkins_started(turn.household, week_start(turn.local_now()), turn.now))
        if count == 0:
            return say_line(handler_input, _lines().week_none)
        return say_line(handler_input, _lines().week_one if count == 1 else _lines().week_many, count=count)


def handlers(deps: Dependencies) -> list[AbstractRequestHandler]:
    """The check-in's handlers; its yes, no and help act only while its own offer is open."""
    return [
        StartCheckInHandler(deps),
        PermissionResponseHandler(deps),
        AcceptGuideHandler(deps),
        DeclineGuideHandler(),
        OfferHelpHandler(),
        TimeLeftHandler(deps),
        PauseCheckInHandler(deps),
        ResumeCheckInHandler(deps),
        EndCheckInHandler(deps),
        WeekCountHandler(deps),
    ]
