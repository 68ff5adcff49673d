"""How reminders are said: their lines, a ritual's words, and a schedule as Alexa says it ("every Sunday at
7 PM"). Nothing the couple said is ever read back: every word here comes from content or from a schedule."""

from datetime import time

from content import phrases
from content.models import ReminderPhrases, RitualWords
from handlers.reminders.draft import Ritual
from skill.reminders import Days, Schedule

# How many reminders a list reads out before "and N more".
LISTED = 3


def lines() -> ReminderPhrases:
    return phrases().reminders


def ritual_words(ritual: Ritual) -> RitualWords:
    return getattr(lines().rituals, ritual.value)


def spoken_time(at: time) -> str:
    """A wall-clock time the way Alexa reads it well: "8:30 PM", "7 AM", "12 PM"."""
    hour = at.hour % 12 or 12
    half = "AM" if at.hour < 12 else "PM"
    return f"{hour}:{at.minute:02d} {half}" if at.minute else f"{hour} {half}"


def spoken_days(days: Days) -> str:
    words = lines().days
    if days is Days.DAILY:
        return words.daily
    if days is Days.WEEKDAYS:
        return words.weekdays
    if days is Days.WEEKENDS:
        return words.weekends
    return words.weekly.format(day=words.day_names[days.weekdays()[0]])


def when(schedule: Schedule) -> str:
    """The days and the time: "every day at 8:30 PM"."""
    return lines().days.when.format(days=spoken_days(schedule.days), time=spoken_time(schedule.at))


def item(ritual: Ritual | None, schedule: Schedule | None) -> str:
    """One reminder in a list: "check-in every day at 8:30 PM"."""
    if schedule is None:
        return lines().item_unreadable
    if ritual is None:
        return lines().item_unknown.format(when=when(schedule))
    return lines().item.format(name=ritual_words(ritual).name, when=when(schedule))


def items(listed: list[str]) -> str:
    """Reminders listed, the first few of them, then how many more."""
    shown = listed[:LISTED]
    if len(listed) > LISTED:
        shown.append(lines().and_more.format(count=len(listed) - LISTED))
    return ", ".join(shown)
