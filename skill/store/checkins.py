"""Check-ins: one item each (`CHECKIN#<start, UTC>#<digest of the request id>`), and their course.

A check-in is of a kind: the daily one has two halves (a speaker each), the monthly one three parts (what
worked, what did not, one new way to connect). A timer announces each change of part, and one the end.

Alexa does not tell a skill when its timers go off, so a check-in whose `ends_at` has passed while
running is simply over: it ran its course, and nothing more is written. An outcome is written when the
household ends it early, or when the skill finds its end timer gone at Alexa (rung and dismissed, or
cancelled with "Alexa, cancel the timer"): "finished" if its time was up by then, else "timers_gone".
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from skill.household_time import stamp
from skill.store.table import Table, from_item, household_pk, to_item

CHECKIN_PREFIX = "CHECKIN#"


class Kind(StrEnum):
    """Which check-in it is; an item without a kind is a daily one (they were all daily at first)."""

    DAILY = "daily"
    MONTHLY = "monthly"


# Equal parts a check-in of each kind is timed in.
PARTS = {Kind.DAILY: 2, Kind.MONTHLY: 3}


class Status(StrEnum):
    """Where a check-in is."""

    RUNNING = "running"
    PAUSED = "paused"
    ENDED_EARLY = "ended_early"
    FINISHED = "finished"  # its end timer was found gone once its time was up
    TIMERS_GONE = "timers_gone"  # its end timer was found gone before its time: cancelled outside the skill


@dataclass
class CheckIn:
    """One check-in. Untimed ones (the household declined the timers permission) have no timer ids;
    `part_timers` announce each change of part, in order (a daily check-in's one is its halfway timer)."""

    started_at: datetime
    planned_minutes: int
    ends_at: datetime  # when it will end if nothing changes; moved on resume
    unique: str
    status: Status = Status.RUNNING
    part_timers: tuple[str, ...] = ()
    end_timer: str | None = None
    opener: str | None = None
    remaining_when_paused: timedelta | None = None
    ended_at: datetime | None = None
    kind: Kind = Kind.DAILY

    @classmethod
    def begin(cls, request_id: str, now: datetime, minutes: int, **details: Any) -> "CheckIn":
        """A check-in starting now; its key comes from the request, so a retried request maps to it."""
        unique = hashlib.sha256(request_id.encode("utf-8")).hexdigest()[:12]
        return cls(now, minutes, now + timedelta(minutes=minutes), unique, **details)

    @property
    def sk(self) -> str:
        return f"{CHECKIN_PREFIX}{stamp(self.started_at)}#{self.unique}"

    @property
    def timer_ids(self) -> list[str]:
        """The end timer first: it is the one that matters most if only one call can get through."""
        return [timer for timer in (self.end_timer, *self.part_timers) if timer]

    def part_starts(self) -> list[timedelta]:
        """When each part after the first begins, from the start: when its timer is due to go off."""
        length, parts = timedelta(minutes=self.planned_minutes), PARTS[self.kind]
        return [length * part / parts for part in range(1, parts)]

    def part_timer_rang(self, index: int, left: timedelta) -> bool:
        """Whether the timer of part change `index` can have gone off, with `left` to go: a timer gone at
        Alexa before then was cancelled outside the skill."""
        return left <= timedelta(minutes=self.planned_minutes) - self.part_starts()[index]

    def is_current(self, now: datetime) -> bool:
        """Still going (or paused): neither ended early nor run its course."""
        return self.status == Status.PAUSED or (self.status == Status.RUNNING and self.ends_at > now)

    def remaining(self, now: datetime) -> timedelta:
        """Time left by our own record."""
        if self.status == Status.PAUSED:
            return self.remaining_when_paused or timedelta()
        return max(self.ends_at - now, timedelta())

    def pause(self, left: timedelta) -> None:
        """Paused with `left` to go (as the end timer reported it, when it could)."""
        self.remaining_when_paused, self.status = left, Status.PAUSED

    def resume(self, now: datetime, left: timedelta) -> None:
        """Running again from `now`, with `left` to go."""
        self.ends_at, self.status, self.remaining_when_paused = now + left, Status.RUNNING, None

    def end_early(self, now: datetime) -> None:
        self.ended_at, self.status, self.remaining_when_paused = now, Status.ENDED_EARLY, None

    def timers_vanished(self, now: datetime) -> None:
        """Closed at `now` because its end timer no longer exists at Alexa.

        `ends_at` is the earliest the end timer could have rung (pausing leaves it as it was, resuming
        sets it afresh), so one gone before then was cancelled, and one gone after may simply have rung."""
        status = Status.FINISHED if self.ends_at <= now else Status.TIMERS_GONE
        self.ended_at, self.status, self.remaining_when_paused = now, status, None

    def attributes(self) -> dict[str, Any]:
        """The item's attributes (keys aside), as plain values."""
        paused = self.remaining_when_paused
        return {
            "started_at": self.started_at.isoformat(),
            "planned_minutes": self.planned_minutes,
            "ends_at": self.ends_at.isoformat(),
            "unique": self.unique,
            "status": self.status.value,
            **self._part_timer_attributes(),
            "end_timer": self.end_timer,
            "opener": self.opener,
            "remaining_seconds_when_paused": int(paused.total_seconds()) if paused is not None else None,
            "ended_at": self.ended_at.isoformat() if self.ended_at else None,
            "kind": None if self.kind is Kind.DAILY else self.kind.value,
        }

    def _part_timer_attributes(self) -> dict[str, Any]:
        """A daily check-in's one part timer is stored as `halfway_timer`, as it always was; the monthly
        check-in's, as the list `part_timers`."""
        if self.kind is Kind.DAILY:
            return {"halfway_timer": self.part_timers[0] if self.part_timers else None}
        return {"part_timers": list(self.part_timers) or None}

    @classmethod
    def from_attributes(cls, stored: dict[str, Any]) -> "CheckIn":
        paused = stored.get("remaining_seconds_when_paused")
        halfway = stored.get("halfway_timer")
        return cls(
            started_at=datetime.fromisoformat(stored["started_at"]),
            planned_minutes=int(stored["planned_minutes"]),
            ends_at=datetime.fromisoformat(stored["ends_at"]),
            unique=str(stored["unique"]),
            status=Status(stored["status"]),
            part_timers=tuple(stored.get("part_timers") or ([halfway] if halfway else [])),
            end_timer=stored.get("end_timer"),
            opener=stored.get("opener"),
            remaining_when_paused=timedelta(seconds=int(paused)) if paused is not None else None,
            kind=Kind(stored.get("kind") or Kind.DAILY),
        )


def sort_key_bound(moment: datetime, upper: bool = False) -> str:
    """A sort key just before (or just after) every check-in started at this second."""
    return f"{CHECKIN_PREFIX}{stamp(moment)}" + ("#~" if upper else "")


class CheckIns:
    """The check-in records: found by Query on the sort key, never by Scan."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def add(self, household: str, checkin: CheckIn) -> None:
        """Record a new check-in (one PutItem that never overwrites: a retried request adds nothing)."""
        self.table.put(
            household, checkin.sk, checkin.attributes(), ConditionExpression="attribute_not_exists(sk)"
        )

    def save(self, household: str, checkin: CheckIn) -> None:
        """Replace a recorded check-in after a pause, resume or early end (never creates one)."""
        self.table.put(
            household, checkin.sk, checkin.attributes(), ConditionExpression="attribute_exists(sk)"
        )

    def latest(self, household: str) -> CheckIn | None:
        """The newest check-in: the only one that can still be going, as a new one needs the last one over."""
        response = self.table.call(
            "query",
            KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues=to_item({":pk": household_pk(household), ":prefix": CHECKIN_PREFIX}),
            ScanIndexForward=False,
            Limit=1,
        )
        items = response.get("Items") or []
        return CheckIn.from_attributes(from_item(items[0])) if items else None

    def started_between(self, household: str, since: datetime, until: datetime) -> list[CheckIn]:
        """Every check-in started from `since` to `until`, oldest first (Query on a sort-key range)."""
        request = {
            "KeyConditionExpression": "pk = :pk AND sk BETWEEN :since AND :until",
            "ExpressionAttributeValues": to_item(
                {
                    ":pk": household_pk(household),
                    ":since": sort_key_bound(since),
                    ":until": sort_key_bound(until, upper=True),
                }
            ),
        }
        return [
            CheckIn.from_attributes(from_item(item))
            for page in self.table.query_pages(request)
            for item in page.get("Items") or []
        ]
