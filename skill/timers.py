"""The Alexa Timers API, as one turn uses it: create, read, pause, resume and cancel a labelled timer.

Every failure, HTTP or transport, becomes one `TimerApiError` carrying the status Alexa answered, so a
handler can tell "ask for permission" (401/403), "device offline" (504) and "timer already gone" (404)
apart from everything else.
"""

import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from ask_sdk_core.exceptions import ApiClientException, SerializationException
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.services import ServiceException
from ask_sdk_model.services.timer_management import (
    AnnounceOperation,
    CreationBehavior,
    DisplayExperience,
    NotificationConfig,
    Status,
    TextToAnnounce,
    TimerManagementServiceClient,
    TimerRequest,
    TimerResponse,
    TriggeringBehavior,
    Visibility,
)

from skill.deadline import current, within

log = logging.getLogger(__name__)

# What the SDK reports when the call never got an HTTP answer (it wraps transport errors as a 500).
NO_ANSWER = 500
# A timer is set only with this long left after the call: time to take it back (cancel it) should what
# follows in the turn fail, so a turn never leaves a timer ringing that it says it did not set.
UNDO_RESERVE_SECONDS = 1.0
_ISO_DURATION = re.compile(
    r"^P(?!$)(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?=\d)(?:(?P<hours>\d+(?:\.\d+)?)H)?(?:(?P<minutes>\d+(?:\.\d+)?)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)
T = TypeVar("T")


class TimerApiError(Exception):
    """The Timers API did not do what was asked; `status` is its HTTP answer."""

    def __init__(self, status: int) -> None:
        super().__init__(f"Timers API answered {status}")
        self.status = status

    @property
    def needs_permission(self) -> bool:
        """The household has not granted this skill the timers permission."""
        return self.status in (401, 403)

    @property
    def device_offline(self) -> bool:
        """Alexa could not reach the Echo to set or change the timer."""
        return self.status == 504

    @property
    def timer_gone(self) -> bool:
        """The timer went off and was dismissed, or someone cancelled it outside the skill."""
        return self.status == 404


@dataclass(frozen=True)
class TimerReading:
    """A timer as the API reports it now."""

    paused: bool
    remaining: timedelta


def iso_duration(duration: timedelta) -> str:
    """A whole-second duration as ISO 8601, the way the Timers API takes it: 10 minutes → PT10M."""
    total = int(duration.total_seconds())
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [f"{value}{unit}" for value, unit in ((hours, "H"), (minutes, "M"), (seconds, "S")) if value]
    return "PT" + ("".join(parts) or "0S")


def parse_iso_duration(value: str | None) -> timedelta | None:
    """An ISO 8601 duration (weeks down to seconds) as a timedelta; None for anything else.

    Years and months have no fixed length, and Alexa fills a slot it half heard with "?" (e.g. PT?M):
    both come back as None, meaning "not understood"."""
    match = _ISO_DURATION.match(value or "")
    if not match:
        return None
    amounts = {unit: float(amount) for unit, amount in match.groupdict().items() if amount}
    return timedelta(**amounts)


class Timers:
    """The household's timers, through the SDK's timer client and our HTTPS ApiClient."""

    def __init__(self, handler_input: HandlerInput) -> None:
        self.handler_input = handler_input

    def create(self, duration: timedelta, label: str, announcement: str) -> str:
        """Set a visible, audible timer that announces `announcement` when it goes off; its id."""
        request = TimerRequest(
            duration=iso_duration(duration),
            timer_label=label,
            creation_behavior=CreationBehavior(display_experience=DisplayExperience(Visibility.VISIBLE)),
            triggering_behavior=TriggeringBehavior(
                operation=AnnounceOperation(
                    text_to_announce=[TextToAnnounce(locale=self._locale(), text=announcement)]
                ),
                notification_config=NotificationConfig(play_audible=True),
            ),
        )
        with within(current().sooner(UNDO_RESERVE_SECONDS)):
            created: TimerResponse = self._call("create", lambda client: client.create_timer(request))
        return str(created.id)

    def read(self, timer_id: str, now: datetime) -> TimerReading:
        """How long the timer has left, and whether it is paused."""
        timer: TimerResponse = self._call("read", lambda client: client.get_timer(timer_id))
        if timer.status == Status.PAUSED:
            return TimerReading(True, parse_iso_duration(timer.remaining_time_when_paused) or timedelta())
        if timer.trigger_time is None:
            raise TimerApiError(NO_ANSWER)
        return TimerReading(False, max(timer.trigger_time - now, timedelta()))

    def pause(self, timer_id: str) -> None:
        """Stop the timer's countdown where it is."""
        self._call("pause", lambda client: client.pause_timer(timer_id))

    def resume(self, timer_id: str) -> None:
        """Let a paused timer count down again."""
        self._call("resume", lambda client: client.resume_timer(timer_id))

    def cancel(self, timer_id: str) -> None:
        """Delete the timer, so it never goes off."""
        self._call("cancel", lambda client: client.delete_timer(timer_id))

    def _locale(self) -> str:
        return self.handler_input.request_envelope.request.locale or "en-US"

    def _client(self) -> TimerManagementServiceClient:
        system = self.handler_input.request_envelope.context.system
        factory = self.handler_input.service_client_factory
        # Without an access token the household has granted us nothing: the same as the API's 401.
        if factory is None or not system.api_access_token:
            raise TimerApiError(401)
        return factory.get_timer_management_service()

    def _call(self, action: str, call: Callable[[TimerManagementServiceClient], T]) -> T:
        try:
            return call(self._client())
        except ServiceException as error:
            status = int(error.status_code or NO_ANSWER)
        except (ApiClientException, SerializationException, ValueError):
            status = NO_ANSWER
        log.warning(json.dumps({"event": "timer_call_failed", "action": action, "status": status}))
        raise TimerApiError(status)
