"""The monthly check-in's words as the runtime holds them: its guide, its three parts, the timers'
announcements, the check-in lines it says its own way, and its own lines (the opening, the month, the
plan), read once per container. content/schema.py validates the file at build and test time.

Like the daily check-in's, the guide is short steps with pauses between them, the only markup here.
"""

import json
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

from content.loading import load
from content.models import ListeningLine, SpokenLine

DATA_FILE = Path(__file__).parent / "monthly.json"
SCREEN_FILE = Path(__file__).parent / "monthly_screen.json"
GUIDE_PLACEHOLDERS = {"part"}
PARTS = 3
LONGEST_PART = "30 minutes"  # a third of the longest monthly check-in, as `part` is filled in


@dataclass(frozen=True)
class Part:
    """One part of the check-in, as the screen titles it. Ids are stable: screens refer to them."""

    id: str
    title: str


@dataclass(frozen=True)
class MonthlyAnnouncements:
    """What Alexa announces as each later part begins, then at the end (plain text, read by the Timers
    API)."""

    parts: tuple[str, ...]
    end: str


@dataclass(frozen=True)
class CheckInLineOverrides:
    """The check-in's lines (content/checkin.py's CheckInLines) that a monthly check-in says its own way;
    the rest it says as the daily one does. `{part}` is the length of one part."""

    too_short: SpokenLine
    too_long: SpokenLine
    unheard: SpokenLine
    ask_permission: SpokenLine
    offer_declined: SpokenLine
    time_left: SpokenLine
    ended: ListeningLine
    ended_untimed: ListeningLine
    ended_timers_gone: ListeningLine
    finished: SpokenLine
    halfway_unchanged: SpokenLine
    halfway_gone: SpokenLine

    def as_replacements(self) -> dict[str, SpokenLine]:
        return {field.name: getattr(self, field.name) for field in fields(self)}


@dataclass(frozen=True)
class MonthlyLines:
    """The monthly check-in's own lines (placeholders: see content/schema.py)."""

    opening: str
    recall: str
    recall_long: str
    month_both: str
    month_one: str
    month_quiet: str
    one_checkin: str
    many_checkins: str
    one_appreciation: str
    many_appreciations: str
    offer_highlights: ListeningLine
    highlights_help: ListeningLine
    highlights: str
    highlight_from: str
    highlight: str
    screen_paused: str  # shown under the countdown while the check-in is paused
    screen_over: str  # shown once the last part is over
    started: SpokenLine
    started_untimed: SpokenLine
    plan_saved: SpokenLine
    plan_saved_long: SpokenLine
    plan_unheard: ListeningLine
    plan_too_long: ListeningLine
    plan_failed: ListeningLine
    plan_not_saved: SpokenLine
    plan_help: ListeningLine


@dataclass(frozen=True)
class MonthlyContent:
    """Everything the monthly check-in says."""

    timer_label: str
    guide: str
    parts: tuple[Part, ...]
    announcements: MonthlyAnnouncements
    checkin_lines: CheckInLineOverrides
    lines: MonthlyLines

    def render_guide(self, part: str) -> str:
        """The guide as SSML, with the length of one part filled in."""
        return self.guide.format(part=part)


@lru_cache(maxsize=1)
def monthly_content() -> MonthlyContent:
    """The monthly check-in's content, read from disk on first use and kept for the container's life."""
    return load(MonthlyContent, DATA_FILE)


@lru_cache(maxsize=1)
def monthly_screen() -> dict[str, Any]:
    """The APL document that shows the current part and a countdown on an Echo with a screen."""
    return json.loads(SCREEN_FILE.read_text(encoding="utf-8"))
