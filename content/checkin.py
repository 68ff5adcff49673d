"""The check-in's words: the spoken guide, its opening prompts, the timers' announcements and every line.

Validated once per container. The guide is short steps with pauses between them; filled with its longest
parts, each step and the whole must stay within the speech budget (content/models.py). The pauses between
its steps are the only markup here: everything else is spoken as it is written (the timers' announcements
go to Alexa as plain text).
"""

import json
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from content.models import MAX_GUIDE_WORDS, MAX_SPOKEN_CHARS, MAX_STEP_WORDS, SpokenLine

DATA_FILE = Path(__file__).parent / "checkin.json"
# About 25 seconds at Alexa's pace: the guide leads into a conversation, it must not become one.
MAX_GUIDE_CHARS = 420
MAX_ANNOUNCEMENT_CHARS = 200
GUIDE_PLACEHOLDERS = {"first_speaker", "half", "opener"}
LONGEST_HALF = "27 and a half minutes"
_MARKUP = re.compile(r"[<>&]")
# A pause between two steps of the guide: the one piece of SSML check-in content may hold.
GUIDE_PAUSE = re.compile(r'<break time="\d{2,4}ms"/>')


class Opener(BaseModel):
    """A prompt the speaker opens with. Ids are stored with each check-in, so they stay stable."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z]+(?:-[a-z]+)*$")
    text: str = Field(min_length=1, max_length=160)


class Announcements(BaseModel):
    """What Alexa announces when each timer goes off (plain text: the Timers API reads it out)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    halfway: str = Field(min_length=1, max_length=MAX_ANNOUNCEMENT_CHARS)
    end: str = Field(min_length=1, max_length=MAX_ANNOUNCEMENT_CHARS)


class CheckInLines(BaseModel):
    """Every line the check-in speaks. Only the offer of an untimed guide keeps the microphone open."""

    model_config = ConfigDict(frozen=True, extra="forbid")

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
    # Optional, for handlers to take up: after resuming, a halfway timer that could not be resumed stays
    # paused and will not go off (halfway_unchanged says it may still go off, true after pausing or ending).
    halfway_not_resumed: SpokenLine | None = None

    @model_validator(mode="after")
    def _listening_lines_reprompt(self) -> Self:
        for name in ("permission_declined", "offer_help"):
            if getattr(self, name).reprompt is None:
                raise ValueError(f"{name} keeps the microphone open, so it needs a reprompt")
        return self


class CheckInContent(BaseModel):
    """Everything the check-in says."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    timer_label: str = Field(min_length=1, max_length=40)
    guide: str = Field(min_length=1, max_length=MAX_GUIDE_CHARS)
    first_speakers: tuple[str, ...] = Field(min_length=1)
    openers: tuple[Opener, ...] = Field(min_length=2)
    announcements: Announcements
    lines: CheckInLines

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        repeated = [opener for opener, count in Counter(o.id for o in self.openers).items() if count > 1]
        if repeated:
            raise ValueError(f"repeated opener id: {', '.join(repeated)}")
        if set(re.findall(r"\{(\w+)\}", self.guide)) != GUIDE_PLACEHOLDERS:
            raise ValueError(f"the guide must use exactly the placeholders {sorted(GUIDE_PLACEHOLDERS)}")
        plain = {**self.model_dump(), "guide": GUIDE_PAUSE.sub(" ", self.guide)}
        if _MARKUP.search(json.dumps(plain)):
            raise ValueError("check-in content is spoken as written: no <, > or & (but the guide's pauses)")
        for first_speaker in self.first_speakers:
            for opener in self.openers:
                self._check_length(self.render_guide(first_speaker, LONGEST_HALF, opener.text))
        return self

    def _check_length(self, guide: str) -> None:
        """One rendering of the guide, held to the speech budget: each step, the whole, its characters."""
        steps = [step.split() for step in GUIDE_PAUSE.split(guide)]
        longest, words = max(map(len, steps)), sum(map(len, steps))
        if longest > MAX_STEP_WORDS:
            raise ValueError(f"a step of the guide can run to {longest} words; keep it to {MAX_STEP_WORDS}")
        if words > MAX_GUIDE_WORDS:
            raise ValueError(f"the guide can run to {words} words; keep it to {MAX_GUIDE_WORDS}")
        spoken = " ".join(" ".join(step) for step in steps)
        if len(spoken) > MAX_GUIDE_CHARS:
            raise ValueError(f"the guide can run to {len(spoken)} characters; keep it to {MAX_GUIDE_CHARS}")
        if len(guide) + self._longest_start_extras() > MAX_SPOKEN_CHARS:
            raise ValueError("the guide and the lines around it are too long to speak in half a minute")

    def _longest_start_extras(self) -> int:
        """The most the start of a check-in says besides the guide (an adjustment note, then the close)."""
        notes = (self.lines.too_short, self.lines.too_long, self.lines.unheard, self.lines.permission_thanks)
        closes = (self.lines.started, self.lines.started_untimed)
        return max(len(line.speech) for line in notes) + max(len(line.speech) for line in closes) + 20

    def render_guide(self, first_speaker: str, half: str, opener: str) -> str:
        """The guide as SSML (its steps with pauses between), with who speaks first, how long each speaks
        and the opening prompt filled in."""
        return self.guide.format(first_speaker=first_speaker, half=half, opener=opener)

    def opener_after(self, last_id: str | None) -> int:
        """The position of the opener to use next: the one after the last used, so no night repeats."""
        ids = [opener.id for opener in self.openers]
        return (ids.index(last_id) + 1) % len(ids) if last_id in ids else 0


@lru_cache(maxsize=1)
def checkin_content() -> CheckInContent:
    """The validated check-in content, read from disk on first use and kept for the container's life."""
    return CheckInContent.model_validate_json(DATA_FILE.read_bytes())
