"""The Alexa Timers API inside the fake Alexa API: timers on a clock the tests and the console control.

Timers belong to the access token that created them (one token a household here). A token can be made to
lack the timers permission, so the skill sees the 401 a household that never granted it would give.
A timer whose trigger time has passed "goes off": it leaves the API (a GET answers 404, as for a timer
rung and dismissed on a real Echo) and joins `rung`, where the console reads what it announced. What a
household can also say to Alexa herself ("Alexa, pause / resume / cancel the timer") goes through the same
`pause`, `resume` and `cancel` the API routes use, so tests and the console can do it without the skill.
"""

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from skill.timers import iso_duration, parse_iso_duration

if TYPE_CHECKING:
    from skill.tools.console.fake_alexa import FakeAlexaApi, Reply

ANNOUNCE = "ANNOUNCE"
_OPERATIONS = {ANNOUNCE, "NOTIFY_ONLY", "LAUNCH_TASK"}
_VISIBILITIES = {"VISIBLE", "HIDDEN"}


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class FakeTimer:
    """One timer as the fake API holds it; `request` is the JSON it was created from."""

    id: str
    owner: str
    request: dict[str, Any]
    duration: timedelta
    created: datetime
    updated: datetime
    trigger: datetime | None
    remaining_when_paused: timedelta | None = None

    @property
    def label(self) -> str:
        return str(self.request.get("timerLabel") or "")

    @property
    def announcement(self) -> str:
        """What Alexa says when it goes off (the first announcement text), or "" for a plain chime."""
        texts = self.request["triggeringBehavior"]["operation"].get("textToAnnounce") or [{}]
        return str(texts[0].get("text", ""))

    def json(self) -> dict[str, Any]:
        """The timer the way GET /v1/alerts/timers/{id} answers."""
        body: dict[str, Any] = {
            "id": self.id,
            "status": "PAUSED" if self.trigger is None else "ON",
            "duration": iso_duration(self.duration),
            "timerLabel": self.label,
            "createdTime": _stamp(self.created),
            "updatedTime": _stamp(self.updated),
        }
        if self.trigger is None:
            body["remainingTimeWhenPaused"] = iso_duration(self.remaining_when_paused or timedelta())
        else:
            body["triggerTime"] = _stamp(self.trigger)
        return body


@dataclass
class FakeTimers:
    """The timers the fake API holds, its clock, who may use timers, and every timer that went off."""

    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    active: dict[str, FakeTimer] = field(default_factory=dict)
    rung: list[FakeTimer] = field(default_factory=list)
    refused_tokens: set[str] = field(default_factory=set)

    def refuse(self, token: str) -> None:
        """Requests with this access token get 401: the household has not granted the timers permission."""
        self.refused_tokens.add(token)

    def grant(self, token: str) -> None:
        """The household granted the permission (by voice, or in the Alexa app)."""
        self.refused_tokens.discard(token)

    def ring_due(self) -> list[FakeTimer]:
        """Let every timer whose time has come go off; the ones that just did, in the order they rang."""
        now = self.clock()
        due = sorted(
            (timer for timer in self.active.values() if timer.trigger is not None and timer.trigger <= now),
            key=lambda timer: timer.trigger or now,
        )
        for timer in due:
            del self.active[timer.id]
        self.rung.extend(due)
        return due

    def pause(self, timer: FakeTimer) -> None:
        """Stop a running timer's countdown where it is (a paused timer stays as it is)."""
        if timer.trigger is not None:
            now = self.clock()
            timer.remaining_when_paused, timer.trigger, timer.updated = timer.trigger - now, None, now

    def resume(self, timer: FakeTimer) -> None:
        """Let a paused timer count down again (a running timer stays as it is)."""
        if timer.trigger is None:
            now = self.clock()
            timer.trigger = now + (timer.remaining_when_paused or timedelta())
            timer.remaining_when_paused, timer.updated = None, now

    def cancel(self, *timer_ids: str) -> None:
        """Delete timers without their going off; afterwards every call about them answers 404."""
        for timer_id in timer_ids:
            self.active.pop(timer_id, None)

    def owned(self, owner: str, timer_id: str) -> FakeTimer | None:
        """The caller's timer with this id, if it has not gone off or been cancelled."""
        self.ring_due()
        timer = self.active.get(timer_id)
        return timer if timer and timer.owner == owner else None


def _reply(status: int, body: Any = None) -> "Reply":
    # Imported here, not at the top: fake_alexa imports this module to build its route table.
    from skill.tools.console.fake_alexa import Reply

    return Reply(status, body)


def _invalid(message: str) -> "Reply":
    return _reply(400, {"code": "INVALID_REQUEST", "message": message})


def _problem(request: Any) -> str | None:
    """Why a create-timer body would be refused by Alexa, or None if it is well formed."""
    if not isinstance(request, dict) or parse_iso_duration(request.get("duration")) is None:
        return "duration must be an ISO 8601 duration"
    display = (request.get("creationBehavior") or {}).get("displayExperience") or {}
    if display.get("visibility") not in _VISIBILITIES:
        return "creationBehavior.displayExperience.visibility is required"
    triggering = request.get("triggeringBehavior") or {}
    operation = triggering.get("operation") or {}
    if operation.get("type") not in _OPERATIONS:
        return "triggeringBehavior.operation.type is required"
    if operation["type"] == ANNOUNCE and not operation.get("textToAnnounce"):
        return "an ANNOUNCE operation needs textToAnnounce"
    if not isinstance((triggering.get("notificationConfig") or {}).get("playAudible"), bool):
        return "triggeringBehavior.notificationConfig.playAudible is required"
    return None


def _caller(api: "FakeAlexaApi") -> str:
    # `answer` records a request and routes it under one lock, so the newest record is this request.
    return api.state.requests[-1].headers.get("Authorization", "")


# A timer route sees the fake's timers, the caller's Authorization header, the path match and the body.
TimerRoute = Callable[[FakeTimers, str, re.Match[str], Any], "Reply"]
Route = Callable[["FakeAlexaApi", re.Match[str], Any], "Reply"]


def _guarded(route: TimerRoute) -> Route:
    """A timer route, as the fake API calls it, that first refuses callers without the timers permission."""

    def serve(api: "FakeAlexaApi", match: re.Match[str], body: Any) -> "Reply":
        caller = _caller(api)
        if caller.removeprefix("Bearer ") in api.state.timers.refused_tokens:
            return _reply(401, {"code": "UNAUTHORIZED", "message": "Timers permission not granted."})
        return route(api.state.timers, caller, match, body)

    return serve


@_guarded
def create_timer(timers: FakeTimers, caller: str, match: re.Match[str], body: Any) -> "Reply":
    problem = _problem(body)
    if problem:
        return _invalid(problem)
    now = timers.clock()
    duration = parse_iso_duration(body["duration"]) or timedelta()
    timer = FakeTimer(str(uuid.uuid4()), caller, body, duration, now, now, now + duration)
    timers.active[timer.id] = timer
    return _reply(200, timer.json())


def _not_found(timer_id: str) -> "Reply":
    return _reply(404, {"code": "TIMER_NOT_FOUND", "message": f"No timer {timer_id}."})


@_guarded
def get_timer(timers: FakeTimers, caller: str, match: re.Match[str], body: Any) -> "Reply":
    timer = timers.owned(caller, match["id"])
    return _reply(200, timer.json()) if timer else _not_found(match["id"])


@_guarded
def delete_timer(timers: FakeTimers, caller: str, match: re.Match[str], body: Any) -> "Reply":
    timer = timers.owned(caller, match["id"])
    if timer is None:
        return _not_found(match["id"])
    timers.cancel(timer.id)
    return _reply(200)


@_guarded
def delete_timers(timers: FakeTimers, caller: str, match: re.Match[str], body: Any) -> "Reply":
    timers.ring_due()
    for timer_id in [timer_id for timer_id, timer in timers.active.items() if timer.owner == caller]:
        del timers.active[timer_id]
    return _reply(200)


@_guarded
def pause_timer(timers: FakeTimers, caller: str, match: re.Match[str], body: Any) -> "Reply":
    timer = timers.owned(caller, match["id"])
    if timer is None:
        return _not_found(match["id"])
    timers.pause(timer)
    return _reply(200)


@_guarded
def resume_timer(timers: FakeTimers, caller: str, match: re.Match[str], body: Any) -> "Reply":
    timer = timers.owned(caller, match["id"])
    if timer is None:
        return _not_found(match["id"])
    timers.resume(timer)
    return _reply(200)


_ID = r"(?P<id>[^/]+)"
ROUTES: list[tuple[str, str, re.Pattern[str], Route]] = [
    ("timer_create", "POST", re.compile(r"^/v1/alerts/timers$"), create_timer),
    ("timers_delete", "DELETE", re.compile(r"^/v1/alerts/timers$"), delete_timers),
    ("timer_get", "GET", re.compile(rf"^/v1/alerts/timers/{_ID}$"), get_timer),
    ("timer_delete", "DELETE", re.compile(rf"^/v1/alerts/timers/{_ID}$"), delete_timer),
    ("timer_pause", "POST", re.compile(rf"^/v1/alerts/timers/{_ID}/pause$"), pause_timer),
    ("timer_resume", "POST", re.compile(rf"^/v1/alerts/timers/{_ID}/resume$"), resume_timer),
]
