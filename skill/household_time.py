"""A household's time: its night, its week, and the UTC timestamps that order its records.

A couple still talking at one in the morning is still in "tonight", so both the night and the week roll
over at 04:00 in the household's own time zone.
"""

from datetime import UTC, datetime, time, timedelta

ROLLOVER = time(4, 0)
_SINCE_ROLLOVER = timedelta(hours=ROLLOVER.hour, minutes=ROLLOVER.minute)
# Sorts as text the way it sorts in time, to the second: sort keys are built from it.
STAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def night_of(local_now: datetime) -> str:
    """The household's night as an ISO date: the hours before 04:00 belong to the evening before."""
    return (local_now - _SINCE_ROLLOVER).date().isoformat()


def week_start(local_now: datetime) -> datetime:
    """The start of the household's week containing `local_now` (an aware local time): Monday 04:00."""
    night = (local_now - _SINCE_ROLLOVER).date()
    monday = night - timedelta(days=night.weekday())
    return datetime.combine(monday, ROLLOVER, tzinfo=local_now.tzinfo)


def week_window(local_now: datetime) -> tuple[datetime, datetime]:
    """The household's week as a UTC window [Monday 04:00, next Monday 04:00), by the wall clock, so a
    week with a DST change is 167 or 169 hours long."""
    since = week_start(local_now)
    until = since + timedelta(days=7)
    return since.astimezone(UTC), until.astimezone(UTC)


def stamp(moment: datetime) -> str:
    """A moment in UTC, to the second, in a form that sorts as text the way it sorts in time."""
    return moment.astimezone(UTC).strftime(STAMP_FORMAT)


def parse_stamp(text: str) -> datetime:
    """The moment a `stamp` names."""
    return datetime.strptime(text, STAMP_FORMAT).replace(tzinfo=UTC)
