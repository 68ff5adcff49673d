"""The check-in's words as the runtime holds them: the spoken guide, its opening prompts, the timers'
announcements and every line, read once per container.

The guide is short steps with pauses between them, the only markup here: everything else is spoken as it is
written (the timers' announcements go to Alexa as plain text). content/schema.py holds the file to that and
to the speech budget, at build and test time.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from content.loading import load
from content.models import SpokenLine

DATA_FILE = Path(__file__).parent / "checkin.json"
# About 25 seconds at Alexa's pace: the guide leads into a conversation, it must not become one.
MAX_GUIDE_CHARS = 420
MAX_ANNOUNCEMENT_CHARS = 200
GUIDE_PLACEHOLDERS = {"first_speaker", "half", "opener"}
LONGEST_HALF = "27 and a half minutes"
# A pause between two steps of the guide: the one piece of SSML check-in content may hold.
GUIDE_PAUSE = re.compile(r'<break time="\d{2,4}ms"/>')


def fill_guide(guide: str, first_speaker: str, half: str, opener: str) -> str:
    """The guide as SSML, with who speaks first, how long each speaks and the opening prompt filled in."""
    return guide.format(first_speaker=first_speaker, half=half, opener=opener)


@dataclass(frozen=True)
class Opener:
    """A prompt the speaker opens with. Ids are stored with each check-in, so they stay stable."""

    id: str
    text: str


@dataclass(frozen=True)
class Announcements:
    """What Alexa announces when each timer goes off (plain text: the Timers API reads it out)."""

    halfway: str
    end: str


@dataclass(frozen=True)
class CheckInLines:
    """Every line the check-in speaks. Only the offer of an untimed guide keeps the microphone open."""

    started: SpokenLine
    permission_thanks: SpokenLine
    started_untimed: SpokenLine
    too_short: SpokenLine
    too_long: SpokenLine
    unheard: SpokenLine
    ask_permission: SpokenLine
    permission_declined: SpokenLine
    offer_help: SpokenLine
    offer_declined: SpokenLine
    timers_failed: SpokenLine
    device_offline: SpokenLine
    not_saved: SpokenLine
    not_saved_timers_left: SpokenLine
    already_running: SpokenLine
    already_paused: SpokenLine
    time_left: SpokenLine
    time_left_paused: SpokenLine
    none_running: SpokenLine
    fallback_running: SpokenLine  # words not understood while a check-in runs: the mic stays closed
    paused: SpokenLine
    pause_again: SpokenLine
    resumed: SpokenLine
    not_paused: SpokenLine
    ended: SpokenLine
    ended_untimed: SpokenLine
    halfway_unchanged: SpokenLine
    halfway_gone: SpokenLine
    change_failed: SpokenLine
    timers_gone: SpokenLine
    finished: SpokenLine
    ended_timers_gone: SpokenLine
    week_none: SpokenLine
    week_one: SpokenLine
    week_many: SpokenLine
    # After resuming, a halfway timer that could not be resumed stays paused and will not go off.
    halfway_not_resumed: SpokenLine | None = None


@dataclass(frozen=True)
class CheckInContent:
    """Everything the check-in says."""

    timer_label: str
    guide: str
    first_speakers: tuple[str, ...]
    openers: tuple[Opener, ...]
    announcements: Announcements
    lines: CheckInLines

    def render_guide(self, first_speaker: str, half: str, opener: str) -> str:
        """The guide as SSML (its steps with pauses between), with who speaks first, how long each speaks
        and the opening prompt filled in."""
        return fill_guide(self.guide, first_speaker, half, opener)

    def opener_after(self, last_id: str | None) -> int:
        """The position of the opener to use next: the one after the last used, so no night repeats."""
        ids = [opener.id for opener in self.openers]
        return (ids.index(last_id) + 1) % len(ids) if last_id in ids else 0


@lru_cache(maxsize=1)
def checkin_content() -> CheckInContent:
    """The check-in content, read from disk on first use and kept for the container's life."""
    return load(CheckInContent, DATA_FILE)
