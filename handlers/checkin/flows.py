"""Starting a check-in of either kind, and closing one whose timers are gone: what is said always matches
what was set at Alexa and recorded in DynamoDB."""

from datetime import timedelta

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response
from ask_sdk_model.interfaces.connections import SendRequestDirective
from ask_sdk_model.ui import AskForPermissionsConsentCard

from handlers.checkin.plan import Plan
from handlers.checkin.rituals import Ritual, lines_for, ritual_of
from handlers.checkin.state import current_checkin, offer_guide
from handlers.checkin.timing import Change, Result, cancel_quietly, observe, set_timers
from handlers.checkin.wording import lines, spoken_length
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


def ask_permission(handler_input: HandlerInput, ritual: Ritual, chosen: Plan, lead: str) -> Response:
    """Hand over to Alexa, who asks the household for the timers permission in her own words."""
    directive = SendRequestDirective(
        name="AskFor",
        payload={
            "@type": "AskForPermissionsConsentRequest",
            "@version": "2",
            "permissionScopes": [{"permissionScope": Scope.TIMERS, "consentLevel": "ACCOUNT"}],
        },
        token=f"{ritual.token_prefix}{chosen.minutes}",
    )
    record_outcome(handler_input, "timers_permission_asked")
    speech = sentences(lead, ritual.adjustment_note(chosen), ritual.lines().ask_permission.speech)
    # No reprompt and no shouldEndSession: Alexa takes the turn over and answers with Connections.Response.
    return handler_input.response_builder.speak(speech).add_directive(directive).response


def offer_untimed(handler_input: HandlerInput, ritual: Ritual, chosen: Plan) -> Response:
    """No timers permission: say so kindly, leave a card to grant it later, and offer the guide anyway."""
    offer_guide(handler_input, chosen.minutes, ritual.kind)
    record_outcome(handler_input, "timers_permission_declined")
    line = ritual.lines().permission_declined
    builder = handler_input.response_builder.speak(line.speech).ask(line.reprompt or line.speech)
    builder.set_card(AskForPermissionsConsentCard(permissions=[Scope.TIMERS]))
    return builder.set_should_end_session(False).response


def timers_failed(handler_input: HandlerInput, error: TimerApiError) -> Response:
    record_outcome(handler_input, f"timers_failed_{error.status}")
    return say_line(handler_input, lines().device_offline if error.device_offline else lines().timers_failed)


def _clear_to_start(handler_input: HandlerInput, store: Store, ritual: Ritual) -> tuple[Response | None, int]:
    """What to say instead if a check-in is still going (else None), and the opener a new one uses: the
    one after the last check-in's, so two in a row never open the same way."""
    latest = store.checkins.latest(turn_of(handler_input).household)
    going = already_going(handler_input, store, latest)
    return going, ritual.next_opener(latest)


def _begin(
    handler_input: HandlerInput, ritual: Ritual, chosen: Plan, opener: int, **timers: object
) -> CheckIn:
    """The record of a check-in starting with this request (its key comes from the request)."""
    return CheckIn.begin(
        handler_input.request_envelope.request.request_id,
        turn_of(handler_input).now,
        chosen.minutes,
        kind=ritual.kind,
        opener=ritual.opener_id(opener),
        **timers,
    )


def start_checkin(
    handler_input: HandlerInput,
    store: Store,
    ritual: Ritual,
    chosen: Plan,
    lead: str = "",
    may_ask: bool = True,
) -> Response:
    """Set the timers, record the check-in, then speak the guide. Nothing is recorded unless every timer
    is set; nothing is said to have started unless it is recorded."""
    going, opener = _clear_to_start(handler_input, store, ritual)
    if going is not None:
        return going
    timers = Timers(handler_input)
    try:
        part_timers, end = set_timers(timers, ritual, chosen)
    except TimerApiError as error:
        if error.needs_permission:
            if may_ask:
                return ask_permission(handler_input, ritual, chosen, lead)
            return offer_untimed(handler_input, ritual, chosen)
        return timers_failed(handler_input, error)
    checkin = _begin(handler_input, ritual, chosen, opener, part_timers=part_timers, end_timer=end)
    try:
        store.checkins.add(turn_of(handler_input).household, checkin)
    except StoreUnavailableError:
        cleared = cancel_quietly(timers, [end, *part_timers])
        record_outcome(handler_input, "checkin_not_saved")
        return say_line(handler_input, lines().not_saved if cleared else lines().not_saved_timers_left)
    record_outcome(handler_input, f"{ritual.outcome_prefix}_started")
    ritual.show(handler_input, checkin, chosen.length, paused=False)
    guide = ritual.guide(chosen, opener)
    return tell(handler_input, sentences(lead, ritual.adjustment_note(chosen), guide, ritual.started(chosen)))


def start_untimed(handler_input: HandlerInput, store: Store, ritual: Ritual, chosen: Plan) -> Response:
    """The guide without timers (the household declined them); recorded, so it counts and can be ended."""
    going, opener = _clear_to_start(handler_input, store, ritual)
    if going is not None:
        return going
    store.checkins.add(turn_of(handler_input).household, _begin(handler_input, ritual, chosen, opener))
    record_outcome(handler_input, f"{ritual.outcome_prefix}_started_untimed")
    return tell(handler_input, sentences(ritual.guide(chosen, opener), ritual.started_untimed(chosen)))


def none_running(handler_input: HandlerInput) -> Response:
    record_outcome(handler_input, "no_checkin_going")
    return say_line(handler_input, lines().none_running)


def parts_note(checkin: CheckIn, change: Change, left: timedelta) -> str:
    """Words owed about the timers of each change of part after pausing or resuming the end timer ("" if
    none). They count down with the end timer, so one gone before its time never rang: it was cancelled,
    and the household should know to change parts by themselves."""
    said = lines_for(checkin)
    if change.parts_refused:
        return said.halfway_unchanged.speech
    missed = any(
        result is Result.GONE and not checkin.part_timer_rang(index, left)
        for index, result in enumerate(change.parts)
    )
    return (
        said.halfway_gone.speech.format(**ritual_of(checkin).fill(checkin.planned_minutes)) if missed else ""
    )


def cancel_part_timers(handler_input: HandlerInput, checkin: CheckIn) -> str:
    """Cancel the part timers of a check-in that is over; words owed if one may still go off."""
    cleared = cancel_quietly(Timers(handler_input), list(checkin.part_timers))
    return "" if cleared else lines_for(checkin).halfway_unchanged.speech


def settle_vanished(handler_input: HandlerInput, store: Store, checkin: CheckIn) -> str:
    """Close a check-in whose end timer is gone at Alexa: cancel its part timers, record how it ended.
    Words owed if a part timer could not be cancelled."""
    turn = turn_of(handler_input)
    owed = cancel_part_timers(handler_input, checkin)
    checkin.timers_vanished(turn.now)
    store.checkins.save(turn.household, checkin)
    handler_input.attributes_manager.request_attributes[RequestKey.CURRENT_CHECKIN] = None
    return owed


def vanished(handler_input: HandlerInput, store: Store, checkin: CheckIn) -> Response:
    """The check-in's end timer is gone at Alexa: close it and say so plainly."""
    owed = settle_vanished(handler_input, store, checkin)
    record_outcome(handler_input, f"checkin_{checkin.status.value}")
    said = lines_for(checkin)
    return say_line(
        handler_input, said.finished if checkin.status == Status.FINISHED else said.timers_gone, owed
    )


def going_on(handler_input: HandlerInput, store: Store, *, if_unknown: bool) -> bool:
    """Whether a check-in is going (or paused); `if_unknown` when DynamoDB cannot say."""
    try:
        return current_checkin(handler_input, store) is not None
    except StoreUnavailableError:
        return if_unknown
