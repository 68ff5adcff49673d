"""Starting a check-in, and closing one whose timers are gone: what is said always matches what was set
at Alexa and recorded in DynamoDB."""

from datetime import timedelta

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response
from ask_sdk_model.interfaces.connections import SendRequestDirective
from ask_sdk_model.ui import AskForPermissionsConsentCard

from content.checkin import checkin_content
from handlers.checkin.plan import Plan
from handlers.checkin.state import TOKEN_PREFIX, current_checkin, offer_guide
from handlers.checkin.timing import Change, Result, cancel_quietly, observe, set_timers
from handlers.checkin.wording import adjustment_note, guide, lines, spoken_half, spoken_length
from handlers.respond import record_outcome, say_line, tell
from skill.context import turn_of
from skill.speech import sentences
from skill.store import Store
from skill.store.checkins import CheckIn, Status
from skill.store.table import StoreUnavailableError
from skill.timers import TimerApiError, Timers
from skill.vocabulary import RequestKey, Scope


def already_going(handler_input: HandlerInput, store: Store, latest: CheckIn | None) -> Response | None:
    """What to say if a check-in is still going, so a new one cannot start; None if none is.

    One whose end timer is gone at Alexa is over: it is closed here, and does not stand in the way."""
    if latest is None or not latest.is_current(turn_of(handler_input).now):
        return None
    seen = observe(handler_input, latest)
    if seen.gone:
        settle_vanished(handler_input, store, latest)
        return None
    record_outcome(handler_input, "checkin_already_going")
    return say_line(
        handler_input,
        lines().already_paused if seen.paused else lines().already_running,
        left=spoken_length(seen.left),
    )


def ask_permission(handler_input: HandlerInput, chosen: Plan) -> Response:
    """Hand over to Alexa, who asks the household for the timers permission in her own words."""
    directive = SendRequestDirective(
        name="AskFor",
        payload={
            "@type": "AskForPermissionsConsentRequest",
            "@version": "2",
            "permissionScopes": [{"permissionScope": Scope.TIMERS, "consentLevel": "ACCOUNT"}],
        },
        token=f"{TOKEN_PREFIX}{chosen.minutes}",
    )
    record_outcome(handler_input, "timers_permission_asked")
    speech = sentences(adjustment_note(chosen), lines().ask_permission.speech)
    # No reprompt and no shouldEndSession: Alexa takes the turn over and answers with Connections.Response.
    return handler_input.response_builder.speak(speech).add_directive(directive).response


def offer_untimed(handler_input: HandlerInput, chosen: Plan) -> Response:
    """No timers permission: say so kindly, leave a card to grant it later, and offer the guide anyway."""
    offer_guide(handler_input, chosen.minutes)
    record_outcome(handler_input, "timers_permission_declined")
    line = lines().permission_declined
    builder = handler_input.response_builder.speak(line.speech).ask(line.reprompt or line.speech)
    builder.set_card(AskForPermissionsConsentCard(permissions=[Scope.TIMERS]))
    return builder.set_should_end_session(False).response


def timers_failed(handler_input: HandlerInput, error: TimerApiError) -> Response:
    record_outcome(handler_input, f"timers_failed_{error.status}")
    return say_line(handler_input, lines().device_offline if error.device_offline else lines().timers_failed)


def _clear_to_start(handler_input: HandlerInput, store: Store) -> tuple[Response | None, int]:
    """What to say instead if a check-in is still going (else None), and the opener a new one uses: the
    one after the last check-in's, so two in a row never open the same way."""
    latest = store.checkins.latest(turn_of(handler_input).household)
    going = already_going(handler_input, store, latest)
    return going, checkin_content().opener_after(latest.opener if latest else None)


def start_checkin(
    handler_input: HandlerInput, store: Store, chosen: Plan, lead: str = "", may_ask: bool = True
) -> Response:
    """Set both timers, record the check-in, then speak the guide. Nothing is recorded unless both
    timers are set; nothing is said to have started unless it is recorded."""
    turn = turn_of(handler_input)
    going, opener_index = _clear_to_start(handler_input, store)
    if going is not None:
        return going
    timers = Timers(handler_input)
    try:
        halfway, end = set_timers(timers, chosen)
    except TimerApiError as error:
        if error.needs_permission:
            return ask_permission(handler_input, chosen) if may_ask else offer_untimed(handler_input, chosen)
        return timers_failed(handler_input, error)
    checkin = CheckIn.begin(
        handler_input.request_envelope.request.request_id,
        turn.now,
        chosen.minutes,
        halfway_timer=halfway,
        end_timer=end,
        opener=checkin_content().openers[opener_index].id,
    )
    try:
        store.checkins.add(turn.household, checkin)
    except StoreUnavailableError:
        cleared = cancel_quietly(timers, [end, halfway])
        record_outcome(handler_input, "checkin_not_saved")
        return say_line(handler_input, lines().not_saved if cleared else lines().not_saved_timers_left)
    record_outcome(handler_input, "checkin_started")
    started = lines().started.speech.format(minutes=chosen.minutes)
    return tell(handler_input, sentences(lead, adjustment_note(chosen), guide(chosen, opener_index), started))


def start_untimed(handler_input: HandlerInput, store: Store, chosen: Plan) -> Response:
    """The guide without timers (the household declined them); recorded, so it counts and can be ended."""
    turn = turn_of(handler_input)
    going, opener_index = _clear_to_start(handler_input, store)
    if going is not None:
        return going
    checkin = CheckIn.begin(
        handler_input.request_envelope.request.request_id,
        turn.now,
        chosen.minutes,
        opener=checkin_content().openers[opener_index].id,
    )
    store.checkins.add(turn.household, checkin)
    record_outcome(handler_input, "checkin_started_untimed")
    close = lines().started_untimed.speech.format(half=spoken_half(chosen.minutes))
    return tell(handler_input, sentences(guide(chosen, opener_index), close))


def none_running(handler_input: HandlerInput) -> Response:
    record_outcome(handler_input, "no_checkin_going")
    return say_line(handler_input, lines().none_running)


def halfway_note(checkin: CheckIn, change: Change, left: timedelta) -> str:
    """Words owed about the halfway timer after pausing or resuming the end timer ("" if none).

    Both timers count down together, half the check-in apart, so a halfway timer gone while more than
    half is left never rang: it was cancelled, and the household should know to switch by themselves."""
    if change.halfway is Result.REFUSED:
        return lines().halfway_unchanged.speech
    if change.halfway is Result.GONE and left > timedelta(minutes=checkin.planned_minutes) / 2:
        return lines().halfway_gone.speech.format(half=spoken_half(checkin.planned_minutes))
    return ""


def cancel_halfway(handler_input: HandlerInput, checkin: CheckIn) -> str:
    """Cancel the halfway timer of a check-in that is over; words owed if it may still go off."""
    halfway = [checkin.halfway_timer] if checkin.halfway_timer else []
    return "" if cancel_quietly(Timers(handler_input), halfway) else lines().halfway_unchanged.speech


def settle_vanished(handler_input: HandlerInput, store: Store, checkin: CheckIn) -> str:
    """Close a check-in whose end timer is gone at Alexa: cancel its halfway timer, record how it ended.
    Words owed if the halfway timer could not be cancelled."""
    turn = turn_of(handler_input)
    owed = cancel_halfway(handler_input, checkin)
    checkin.timers_vanished(turn.now)
    store.checkins.save(turn.household, checkin)
    handler_input.attributes_manager.request_attributes[RequestKey.CURRENT_CHECKIN] = None
    return owed


def vanished(handler_input: HandlerInput, store: Store, checkin: CheckIn) -> Response:
    """The check-in's end timer is gone at Alexa: close it and say so plainly."""
    owed = settle_vanished(handler_input, store, checkin)
    record_outcome(handler_input, f"checkin_{checkin.status.value}")
    finished = checkin.status == Status.FINISHED
    return say_line(handler_input, lines().finished if finished else lines().timers_gone, owed)


def going_on(handler_input: HandlerInput, store: Store, *, if_unknown: bool) -> bool:
    """Whether a check-in is going (or paused); `if_unknown` when DynamoDB cannot say."""
    try:
        return current_checkin(handler_input, store) is not None
    except StoreUnavailableError:
        return if_unknown
