"""The Alexa Reminders API, as one turn uses it: create, list, update and delete the household's reminders.

A reminder here always recurs, by an RFC 5545 rule ("FREQ=WEEKLY;BYDAY=SU;BYHOUR=19;BYMINUTE=0;BYSECOND=0;
INTERVAL=1") that Alexa evaluates in the reminder's own time zone, the household's. The hour is the wall
clock's and is never turned into UTC here, so "every evening at half past eight" stays 20:30 across a DST
change.

Every failure, HTTP or transport, becomes one `ReminderApiError` carrying the status Alexa answered and the
error code of its body, so a handler can tell "ask for permission" (401), "gone" (404) and the API's own
limits apart from everything else.
"""

import json
import logging
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from ask_sdk_core.exceptions import ApiClientException, SerializationException
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.services import ServiceException
from ask_sdk_model.services.reminder_management import (
    AlertInfo,
    PushNotification,
    PushNotificationStatus,
    Recurrence,
    ReminderManagementServiceClient,
    ReminderRequest,
    SpokenInfo,
    SpokenText,
    Status,
    Trigger,
    TriggerType,
    spoken_info,
)

from skill.logs import log_event

log = logging.getLogger(__name__)

# ask-sdk-model's AlertInfo names its SpokenInfo by a module that does not exist
# (alexa/alexa-apis-for-python#4), so a reminder read back from the API fails to deserialize: the name it
# uses is made to lead to the module that does exist.
sys.modules.setdefault(f"{spoken_info.__package__}.alert_info_spoken_info", spoken_info)

# What the SDK reports when the call never got an HTTP answer (it wraps transport errors as a 500).
NO_ANSWER = 500
# The Reminders API's error codes this skill answers in its own words (the rest are "it failed").
TOO_MANY = "MAX_REMINDERS_EXCEEDED"
IN_THE_PAST = "TRIGGER_SCHEDULED_TIME_IN_PAST"
TOO_FAR_AHEAD = "TRIGGER_SCHEDULED_TIME_TOO_FAR"
BAD_RECURRENCE = "INVALID_RECURRENCE_RULE"
DEVICE_NOT_SUPPORTED = "DEVICE_NOT_SUPPORTED"
# iCalendar's weekday codes, in Python's order (Monday is 0).
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_NUMBER = re.compile(r"^\d{1,2}$")
T = TypeVar("T")


class Days(StrEnum):
    """The days a reminder comes back on: every day, weekdays, weekends, or one day a week."""

    DAILY = "DAILY"
    WEEKDAYS = "WEEKDAYS"
    WEEKENDS = "WEEKENDS"
    MO = "MO"
    TU = "TU"
    WE = "WE"
    TH = "TH"
    FR = "FR"
    SA = "SA"
    SU = "SU"

    def weekdays(self) -> tuple[int, ...]:
        """The days of the week (Monday 0) it falls on."""
        if self is Days.DAILY:
            return tuple(range(7))
        if self is Days.WEEKDAYS:
            return tuple(range(5))
        if self is Days.WEEKENDS:
            return (5, 6)
        return (WEEKDAY_CODES.index(self.value),)

    @classmethod
    def of_weekdays(cls, weekdays: set[int]) -> "Days | None":
        """The Days falling on exactly these days of the week, if any."""
        return next((days for days in cls if set(days.weekdays()) == weekdays), None)


@dataclass(frozen=True)
class Schedule:
    """When a reminder comes back: on which days, and at what time on the household's wall clock."""

    days: Days
    at: time

    def rule(self) -> str:
        """The RFC 5545 recurrence rule Alexa is given."""
        frequency = "FREQ=DAILY"
        if self.days is not Days.DAILY:
            frequency = "FREQ=WEEKLY;BYDAY=" + ",".join(WEEKDAY_CODES[day] for day in self.days.weekdays())
        return f"{frequency};BYHOUR={self.at.hour};BYMINUTE={self.at.minute};BYSECOND=0;INTERVAL=1"

    @classmethod
    def from_rule(cls, rule: str) -> "Schedule | None":
        """The schedule a recurrence rule describes, if it is one this skill could have made."""
        parts = dict(part.partition("=")[::2] for part in rule.strip().strip(";").split(";") if part)
        hour, minute = parts.get("BYHOUR", ""), parts.get("BYMINUTE", "0")
        if parts.get("INTERVAL", "1") != "1" or not (_NUMBER.match(hour) and _NUMBER.match(minute)):
            return None
        if int(hour) > 23 or int(minute) > 59:
            return None
        if parts.get("FREQ") == "DAILY" and "BYDAY" not in parts:
            days: Days | None = Days.DAILY
        elif parts.get("FREQ") == "WEEKLY":
            codes = parts.get("BYDAY", "").split(",")
            known = all(code in WEEKDAY_CODES for code in codes)
            days = Days.of_weekdays({WEEKDAY_CODES.index(code) for code in codes}) if known else None
        else:
            days = None
        return cls(days, time(int(hour), int(minute))) if days else None

    def next_after(self, local_now: datetime) -> datetime:
        """The first time it comes due after `local_now` (an aware time in the household's zone)."""
        for ahead in range(8):
            day = (local_now + timedelta(days=ahead)).date()
            due = datetime.combine(day, self.at, tzinfo=local_now.tzinfo)
            if day.weekday() in self.days.weekdays() and due > local_now:
                return due
        raise AssertionError("every schedule comes due within a week")


class ReminderApiError(Exception):
    """The Reminders API did not do what was asked; `status` is its HTTP answer, `code` its error code."""

    def __init__(self, status: int, code: str | None = None) -> None:
        super().__init__(f"Reminders API answered {status} {code or ''}".strip())
        self.status = status
        self.code = code

    @property
    def needs_permission(self) -> bool:
        """The household has not granted this skill the reminders permission (or took it back)."""
        return self.status == 401 or (
            self.status == 403 and self.code not in (TOO_MANY, DEVICE_NOT_SUPPORTED)
        )

    @property
    def gone(self) -> bool:
        """The reminder was deleted meanwhile (in the Alexa app, say)."""
        return self.status == 404


@dataclass(frozen=True)
class SetReminder:
    """A reminder as the API reports it now. `schedule` is None for a recurrence this skill did not make."""

    token: str
    schedule: Schedule | None
    text: str
    time_zone: str | None


def _error_code(body: object) -> str | None:
    """The `code` of an error body, whether the SDK read it into its Error model or left it as text."""
    if isinstance(body, str):
        try:
            body = json.loads(body)
        except ValueError:
            return None
    code = body.get("code") if isinstance(body, dict) else getattr(body, "code", None)
    return code if isinstance(code, str) else None


def _read(reminder: Any) -> SetReminder | None:
    """One reminder of a GET answer, if it is still due to go off."""
    trigger = reminder.trigger
    if reminder.status != Status.ON or not reminder.alert_token or trigger is None:
        return None
    rules = (trigger.recurrence.recurrence_rules or []) if trigger.recurrence else []
    spoken = (
        reminder.alert_info.spoken_info.content
        if reminder.alert_info and reminder.alert_info.spoken_info
        else []
    )
    return SetReminder(
        token=str(reminder.alert_token),
        schedule=Schedule.from_rule(rules[0]) if len(rules) == 1 else None,
        text=str(spoken[0].text or "") if spoken else "",
        time_zone=trigger.time_zone_id,
    )


class Reminders:
    """The household's reminders from this skill, through the SDK's reminders client and our HTTPS client."""

    def __init__(self, handler_input: HandlerInput) -> None:
        self.handler_input = handler_input

    def create(self, schedule: Schedule, text: str, zone: ZoneInfo, now: datetime) -> str:
        """Set a reminder that says `text` on `schedule` in the household's zone; its alert token."""
        request = self._request(schedule, text, zone, now)
        created = self._call("create", lambda client: client.create_reminder(request))
        if not created or not created.alert_token:
            raise ReminderApiError(NO_ANSWER)
        return str(created.alert_token)

    def all(self) -> list[SetReminder]:
        """Every reminder of this skill for the household that is still due to go off."""
        answer = self._call("list", lambda client: client.get_reminders())
        found = [_read(reminder) for reminder in (answer.alerts or [])] if answer else []
        return [reminder for reminder in found if reminder]

    def update(self, token: str, schedule: Schedule, text: str, zone: ZoneInfo, now: datetime) -> None:
        """Give an existing reminder a new schedule (its words too)."""
        request = self._request(schedule, text, zone, now)
        self._call("update", lambda client: client.update_reminder(token, request))

    def delete(self, token: str) -> None:
        """Delete the reminder, so it never goes off again."""
        self._call("delete", lambda client: client.delete_reminder(token))

    def _request(self, schedule: Schedule, text: str, zone: ZoneInfo, now: datetime) -> ReminderRequest:
        # The API reads its times as the wall clock of `timeZoneId`: no offset goes with them.
        local_now = now.astimezone(zone).replace(tzinfo=None, microsecond=0)
        locale = self.handler_input.request_envelope.request.locale or "en-US"
        return ReminderRequest(
            request_time=local_now,
            trigger=Trigger(
                object_type=TriggerType.SCHEDULED_ABSOLUTE,
                time_zone_id=zone.key,
                recurrence=Recurrence(start_date_time=local_now, recurrence_rules=[schedule.rule()]),
            ),
            alert_info=AlertInfo(spoken_info=SpokenInfo(content=[SpokenText(locale=locale, text=text)])),
            push_notification=PushNotification(status=PushNotificationStatus.ENABLED),
        )

    def _client(self) -> ReminderManagementServiceClient:
        system = self.handler_input.request_envelope.context.system
        factory = self.handler_input.service_client_factory
        # Without an access token the household has granted us nothing: the same as the API's 401.
        if factory is None or not system.api_access_token:
            raise ReminderApiError(401)
        return factory.get_reminder_management_service()

    def _call(self, action: str, call: Callable[[ReminderManagementServiceClient], T]) -> T:
        try:
            return call(self._client())
        except ServiceException as error:
            status, code = int(error.status_code or NO_ANSWER), _error_code(error.body)
        except (ApiClientException, SerializationException, ValueError):
            status, code = NO_ANSWER, None
        log_event(log, "reminder_call_failed", level=logging.WARNING, action=action, status=status, code=code)
        raise ReminderApiError(status, code)
