"""The Alexa Reminders API inside the fake Alexa API: reminders on a clock the tests and the console control.

Reminders belong to the access token that created them (one token a household here). As on a real account,
a token may use reminders only once the household granted the permission (`grant`); until then every route
answers 401 with the API's own error body. A reminder recurs by its RFC 5545 rule, read on the wall clock
of its own time zone, so one at 20:30 goes off at 20:30 local time on both sides of a DST change. When a
reminder comes due it "goes off": `ring_due` adds what Alexa says to `spoken`, where the console and the
tests read it.

The API's limits are enforced as its error bodies say them: at most `limit` reminders per skill and
customer (MAX_REMINDERS_EXCEEDED), nothing due before now (TRIGGER_SCHEDULED_TIME_IN_PAST), nothing first due
further ahead than `horizon` (TRIGGER_SCHEDULED_TIME_TOO_FAR), and only the recurrences it reads
(INVALID_RECURRENCE_RULE: FREQ of `frequencies`, BYDAY, BYHOUR, BYMINUTE, BYSECOND, INTERVAL=1). The fake
reads rules with its own code, not the skill's, so a rule the skill gets wrong is heard going off wrong.
"""

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

if TYPE_CHECKING:
    from skill.tools.console.fake_alexa import FakeAlexaApi, Reply

_DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _local_time(value: object) -> datetime | None:
    """A wall-clock time as the API takes it ("2026-11-20T20:30:00.000", no offset)."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment.replace(tzinfo=None) if moment.tzinfo is None else None


class RuleError(ValueError):
    """A recurrence rule the fake API does not take."""


@dataclass(frozen=True)
class Rule:
    """A recurrence rule as the fake reads it: on which weekdays (Monday 0), at what wall-clock time."""

    weekdays: frozenset[int]
    at: time

    @classmethod
    def parse(cls, text: object, frequencies: tuple[str, ...]) -> "Rule":
        if not isinstance(text, str):
            raise RuleError("a recurrence rule is a string")
        parts: dict[str, str] = {}
        for part in filter(None, text.strip().split(";")):
            name, equals, value = part.partition("=")
            if not equals or name in parts:
                raise RuleError(f"cannot read {part!r}")
            parts[name] = value
        unknown = set(parts) - {"FREQ", "BYDAY", "BYHOUR", "BYMINUTE", "BYSECOND", "INTERVAL"}
        if unknown or parts.get("FREQ") not in frequencies or parts.get("INTERVAL", "1") != "1":
            raise RuleError(f"unsupported recurrence {text!r}")
        days = parts.get("BYDAY")
        if days is None:
            weekdays = frozenset(range(7))
        elif all(day in _DAY_CODES for day in days.split(",")):
            weekdays = frozenset(_DAY_CODES.index(day) for day in days.split(","))
        else:
            raise RuleError(f"unknown days {days!r}")
        return cls(weekdays, cls._time(parts))

    @staticmethod
    def _time(parts: dict[str, str]) -> time:
        values = [parts.get(name, "0") for name in ("BYHOUR", "BYMINUTE", "BYSECOND")]
        if "BYHOUR" not in parts or not all(re.fullmatch(r"\d{1,2}", value) for value in values):
            raise RuleError("BYHOUR, BYMINUTE and BYSECOND must be numbers")
        hour, minute, second = map(int, values)
        if hour > 23 or minute > 59 or second > 59:
            raise RuleError("no such time of day")
        return time(hour, minute, second)

    def occurrences(self, start: datetime, zone: ZoneInfo) -> Iterator[datetime]:
        """Every time it goes off from `start` (local, naive) on, as aware UTC times, in order."""
        day = start.date()
        while True:
            due = datetime.combine(day, self.at)
            if day.weekday() in self.weekdays and due >= start:
                yield due.replace(tzinfo=zone).astimezone(UTC)
            day += timedelta(days=1)


@dataclass
class FakeReminder:
    """One reminder as the fake API holds it; `request` is the JSON it was created (or updated) from."""

    token: str
    owner: str
    request: dict[str, Any]
    created: datetime
    updated: datetime
    version: int = 1
    completed: bool = False
    heard_until: datetime | None = None  # occurrences up to here have gone off already

    @property
    def text(self) -> str:
        """What Alexa says when it goes off (the first spoken text)."""
        content = self.request["alertInfo"]["spokenInfo"]["content"]
        return str(content[0].get("text") or content[0].get("ssml") or "")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.request["trigger"]["timeZoneId"])

    @property
    def recurs(self) -> bool:
        return bool((self.request["trigger"].get("recurrence") or {}).get("recurrenceRules"))

    def next_after(self, after: datetime, frequencies: tuple[str, ...]) -> datetime | None:
        """When it next goes off after `after` (aware UTC), if it ever does. Raises RuleError for a rule
        the API does not take."""
        trigger = self.request["trigger"]
        if trigger["type"] == "SCHEDULED_RELATIVE":
            once = self.created + timedelta(seconds=int(trigger["offsetInSeconds"]))
        elif not self.recurs:
            once = (_local_time(trigger["scheduledTime"]) or datetime.min).replace(tzinfo=self.zone)
        else:
            rule = Rule.parse(trigger["recurrence"]["recurrenceRules"][0], frequencies)
            start = _local_time(trigger["recurrence"].get("startDateTime"))
            # A day early: a weekly rule's next occurrence is never more than a week from where it starts.
            local_after = (after.astimezone(self.zone) - timedelta(days=1)).replace(tzinfo=None)
            begin = max(start, local_after) if start else local_after
            return next(due for due in rule.occurrences(begin, self.zone) if due > after)
        return once if once > after else None

    def json(self) -> dict[str, Any]:
        """The reminder the way GET answers it."""
        return {
            "alertToken": self.token,
            "createdTime": _stamp(self.created),
            "updatedTime": _stamp(self.updated),
            "status": "COMPLETED" if self.completed else "ON",
            "trigger": self.request["trigger"],
            "alertInfo": self.request["alertInfo"],
            "pushNotification": self.request.get("pushNotification") or {"status": "ENABLED"},
            "version": str(self.version),
        }

    def answer(self) -> dict[str, Any]:
        """The reminder the way POST and PUT answer."""
        return {
            "alertToken": self.token,
            "createdTime": _stamp(self.created),
            "updatedTime": _stamp(self.updated),
            "status": "ON",
            "version": str(self.version),
            "href": f"/v1/alerts/reminders/{self.token}",
        }


@dataclass(frozen=True)
class Spoken:
    """A reminder going off: when (UTC), the local time on the household's clock, and what Alexa said."""

    token: str
    at: datetime
    local: datetime
    text: str


@dataclass
class FakeReminders:
    """The reminders the fake API holds, its clock, who granted the permission, its limits, and what has
    gone off."""

    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    active: dict[str, FakeReminder] = field(default_factory=dict)
    granted: set[str] = field(default_factory=set)
    spoken: list[Spoken] = field(default_factory=list)
    limit: int = 20
    horizon: timedelta = timedelta(days=365)
    frequencies: tuple[str, ...] = ("DAILY", "WEEKLY")

    def grant(self, token: str) -> None:
        """The household allowed reminders (by voice, or in the Alexa app)."""
        self.granted.add(token)

    def revoke(self, token: str) -> None:
        """The household took the permission back in the Alexa app."""
        self.granted.discard(token)

    def owned(self, owner: str) -> list[FakeReminder]:
        return [reminder for reminder in self.active.values() if reminder.owner == owner]

    def ring_due(self) -> list[Spoken]:
        """Let every reminder whose time has come go off; what was said, in the order it was said."""
        now = self.clock()
        rung = [said for reminder in self.active.values() for said in self._ring(reminder, now)]
        rung.sort(key=lambda said: said.at)
        self.spoken.extend(rung)
        return rung

    def next_due(self) -> datetime | None:
        """When the next reminder goes off (UTC), if any is set."""
        now = self.clock()
        upcoming = [self._next(reminder, now) for reminder in self.active.values()]
        return min((due for due in upcoming if due is not None), default=None)

    def _next(self, reminder: FakeReminder, after: datetime) -> datetime | None:
        if reminder.completed:
            return None
        return reminder.next_after(max(after, reminder.heard_until or reminder.updated), self.frequencies)

    def _ring(self, reminder: FakeReminder, now: datetime) -> list[Spoken]:
        rung = []
        while (due := self._next(reminder, reminder.heard_until or reminder.updated)) and due <= now:
            rung.append(Spoken(reminder.token, due, due.astimezone(reminder.zone), reminder.text))
            reminder.heard_until = due
            reminder.completed = not reminder.recurs
        return rung


def _reply(status: int, body: Any = None) -> "Reply":
    # Imported here, not at the top: fake_alexa imports this module to build its route table.
    from skill.tools.console.fake_alexa import Reply

    return Reply(status, body)


def _error(status: int, code: str, message: str) -> "Reply":
    return _reply(status, {"code": code, "message": message})


def _caller(api: "FakeAlexaApi") -> str:
    # `answer` records a request and routes it under one lock, so the newest record is this request.
    return api.state.requests[-1].headers.get("Authorization", "").removeprefix("Bearer ")


def _shape_problem(body: Any) -> str | None:
    """Why a reminder's body is not one the API takes, or None."""
    if not isinstance(body, dict) or not isinstance(body.get("trigger"), dict):
        return "trigger is required"
    trigger = body["trigger"]
    try:
        ZoneInfo(str(trigger.get("timeZoneId")))
    except (ZoneInfoNotFoundError, ValueError):
        return "timeZoneId must be a time zone"
    if trigger.get("type") == "SCHEDULED_RELATIVE":
        if not isinstance(trigger.get("offsetInSeconds"), int):
            return "offsetInSeconds is required"
    elif trigger.get("type") != "SCHEDULED_ABSOLUTE":
        return "trigger.type must be SCHEDULED_ABSOLUTE or SCHEDULED_RELATIVE"
    elif not (trigger.get("recurrence") or {}).get("recurrenceRules") and not _local_time(
        trigger.get("scheduledTime")
    ):
        return "scheduledTime, or a recurrence with recurrenceRules, is required"
    content = ((body.get("alertInfo") or {}).get("spokenInfo") or {}).get("content")
    if not isinstance(content, list) or not content or not (content[0].get("text") or content[0].get("ssml")):
        return "alertInfo.spokenInfo.content needs text"
    if (body.get("pushNotification") or {}).get("status", "ENABLED") not in ("ENABLED", "DISABLED"):
        return "pushNotification.status must be ENABLED or DISABLED"
    return None


def _refusal(reminders: FakeReminders, reminder: FakeReminder) -> "Reply | None":
    """The API's answer to a reminder it will not set (its time, its rule), or None if it will."""
    now = reminders.clock()
    try:
        first = reminder.next_after(now, reminders.frequencies)
    except RuleError as error:
        return _error(400, "INVALID_RECURRENCE_RULE", str(error))
    if first is None:
        return _error(400, "TRIGGER_SCHEDULED_TIME_IN_PAST", "The reminder would go off in the past.")
    if first > now + reminders.horizon:
        return _error(400, "TRIGGER_SCHEDULED_TIME_TOO_FAR", "The reminder is too far in the future.")
    return None


Route = Callable[["FakeAlexaApi", re.Match[str], Any], "Reply"]
ReminderRoute = Callable[[FakeReminders, str, re.Match[str], Any], "Reply"]


def _guarded(route: ReminderRoute) -> Route:
    """A reminders route, as the fake API calls it, that first refuses callers without the permission."""

    def serve(api: "FakeAlexaApi", match: re.Match[str], body: Any) -> "Reply":
        caller = _caller(api)
        if caller not in api.state.reminders.granted:
            return _error(401, "ACCESS_DENIED", "Access denied with reason: ACCESS_NOT_REQUESTED")
        return route(api.state.reminders, caller, match, body)

    return serve


def _not_found(token: str) -> "Reply":
    return _error(404, "ALERT_NOT_FOUND", f"No reminder {token}.")


@_guarded
def create_reminder(reminders: FakeReminders, caller: str, match: re.Match[str], body: Any) -> "Reply":
    problem = _shape_problem(body)
    if problem:
        return _error(400, "INVALID_REQUEST", problem)
    if len([reminder for reminder in reminders.owned(caller) if not reminder.completed]) >= reminders.limit:
        return _error(403, "MAX_REMINDERS_EXCEEDED", f"At most {reminders.limit} reminders per skill.")
    now = reminders.clock()
    reminder = FakeReminder(str(uuid.uuid4()), caller, body, now, now)
    refusal = _refusal(reminders, reminder)
    if refusal:
        return refusal
    reminders.active[reminder.token] = reminder
    return _reply(200, reminder.answer())


@_guarded
def list_reminders(reminders: FakeReminders, caller: str, match: re.Match[str], body: Any) -> "Reply":
    reminders.ring_due()
    owned = [reminder.json() for reminder in reminders.owned(caller)]
    return _reply(200, {"totalCount": str(len(owned)), "alerts": owned, "links": None})


@_guarded
def get_reminder(reminders: FakeReminders, caller: str, match: re.Match[str], body: Any) -> "Reply":
    reminder = reminders.active.get(match["token"])
    if reminder is None or reminder.owner != caller:
        return _not_found(match["token"])
    reminders.ring_due()
    return _reply(200, reminder.json())


@_guarded
def update_reminder(reminders: FakeReminders, caller: str, match: re.Match[str], body: Any) -> "Reply":
    reminder = reminders.active.get(match["token"])
    if reminder is None or reminder.owner != caller:
        return _not_found(match["token"])
    problem = _shape_problem(body)
    if problem:
        return _error(400, "INVALID_REQUEST", problem)
    now = reminders.clock()
    changed = FakeReminder(reminder.token, caller, body, reminder.created, now, reminder.version + 1)
    refusal = _refusal(reminders, changed)
    if refusal:
        return refusal
    reminders.active[reminder.token] = changed
    return _reply(200, changed.answer())


@_guarded
def delete_reminder(reminders: FakeReminders, caller: str, match: re.Match[str], body: Any) -> "Reply":
    reminder = reminders.active.get(match["token"])
    if reminder is None or reminder.owner != caller:
        return _not_found(match["token"])
    del reminders.active[reminder.token]
    return _reply(200)


_TOKEN = r"(?P<token>[^/]+)"
ROUTES: list[tuple[str, str, re.Pattern[str], Route]] = [
    ("reminder_create", "POST", re.compile(r"^/v1/alerts/reminders$"), create_reminder),
    ("reminders_list", "GET", re.compile(r"^/v1/alerts/reminders$"), list_reminders),
    ("reminder_get", "GET", re.compile(rf"^/v1/alerts/reminders/{_TOKEN}$"), get_reminder),
    ("reminder_update", "PUT", re.compile(rf"^/v1/alerts/reminders/{_TOKEN}$"), update_reminder),
    ("reminder_delete", "DELETE", re.compile(rf"^/v1/alerts/reminders/{_TOKEN}$"), delete_reminder),
]
