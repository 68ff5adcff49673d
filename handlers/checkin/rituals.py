"""The kinds of check-in the machinery times, and what differs between them: how long, in how many parts,
what the timers announce, the guide, the lines each says its own way, and whether a screen shows it.

The daily check-in is two halves, a speaker each. The monthly one is three parts (what worked, what did
not, one new way to connect); on an Echo with a screen it shows the part you are in and a countdown.
"""

import dataclasses
from abc import ABC, abstractmethod
from datetime import timedelta
from functools import cache

from ask_sdk_core.handler_input import HandlerInput

from content.checkin import CheckInLines, checkin_content
from content.monthly import monthly_content
from handlers.checkin.plan import DAILY, Adjustment, Bounds, Plan
from handlers.checkin.screen import show_parts
from handlers.checkin.wording import spoken_half
from skill.store.checkins import PARTS, CheckIn, Kind


class Ritual(ABC):
    """One kind of check-in. `token_prefix` marks its AskFor token, which Alexa hands back unchanged in
    Connections.Response with the length that was asked for."""

    kind: Kind
    bounds: Bounds
    token_prefix: str
    outcome_prefix: str

    @abstractmethod
    def lines(self) -> CheckInLines:
        """The check-in's lines, as this kind says them."""

    @abstractmethod
    def label(self) -> str:
        """The label of its timers, as Alexa shows them."""

    @abstractmethod
    def announcements(self) -> tuple[str, ...]:
        """What its timers announce: each change of part, in order, then the end."""

    @abstractmethod
    def part(self, minutes: int) -> str:
        """How long one part of a check-in of `minutes` is, as Alexa says it."""

    @abstractmethod
    def guide(self, chosen: Plan, opener: int) -> str:
        """The spoken guide (SSML), for the opener at position `opener` where the kind has openers."""

    @abstractmethod
    def started(self, chosen: Plan) -> str:
        """What closes the start of a timed check-in."""

    @abstractmethod
    def started_untimed(self, chosen: Plan) -> str:
        """What closes the start of a check-in without timers."""

    def next_opener(self, latest: CheckIn | None) -> int:
        """The position of the opener a new check-in uses, after the latest check-in's."""
        return 0

    def opener_id(self, opener: int) -> str | None:
        """The id of the opener at that position, kept with the check-in."""
        return None

    @abstractmethod
    def show(self, handler_input: HandlerInput, checkin: CheckIn, left: timedelta, paused: bool) -> None:
        """Show the check-in on a screen, for kinds that have one."""

    def fill(self, minutes: int) -> dict[str, str]:
        """What the check-in's lines may say of a check-in's parts: `{half}`, `{part}`."""
        return {"half": spoken_half(minutes), "part": self.part(minutes)}

    def adjustment_note(self, chosen: Plan) -> str:
        """Why the length is not what was asked ("" if it is)."""
        lines = self.lines()
        notes = {
            Adjustment.TOO_SHORT: lines.too_short,
            Adjustment.TOO_LONG: lines.too_long,
            Adjustment.UNHEARD: lines.unheard,
        }
        line = notes.get(chosen.adjustment)
        return line.speech if line else ""


class Daily(Ritual):
    """The daily check-in: two halves, a speaker each, opened by one of the openers in turn."""

    kind = Kind.DAILY
    bounds = DAILY
    token_prefix = "checkin:"
    outcome_prefix = "checkin"

    def lines(self) -> CheckInLines:
        return checkin_content().lines

    def label(self) -> str:
        return checkin_content().timer_label

    def announcements(self) -> tuple[str, ...]:
        said = checkin_content().announcements
        return (said.halfway, said.end)

    def part(self, minutes: int) -> str:
        return spoken_half(minutes)

    def guide(self, chosen: Plan, opener: int) -> str:
        content = checkin_content()
        first_speaker = content.first_speakers[opener % len(content.first_speakers)]
        return content.render_guide(first_speaker, spoken_half(chosen.minutes), content.openers[opener].text)

    def started(self, chosen: Plan) -> str:
        return self.lines().started.speech.format(minutes=chosen.minutes)

    def started_untimed(self, chosen: Plan) -> str:
        return self.lines().started_untimed.speech.format(half=spoken_half(chosen.minutes))

    def next_opener(self, latest: CheckIn | None) -> int:
        return checkin_content().opener_after(latest.opener if latest else None)

    def opener_id(self, opener: int) -> str | None:
        return checkin_content().openers[opener].id

    def show(self, handler_input: HandlerInput, checkin: CheckIn, left: timedelta, paused: bool) -> None:
        """Nothing: a couple facing each other needs no screen, and Alexa shows its timers anyway."""


class Monthly(Ritual):
    """The monthly check-in: what worked, what did not, one new way to connect; 30 minutes unless asked
    otherwise, within 15 to 90."""

    kind = Kind.MONTHLY
    bounds = Bounds(usual=30, shortest=15, longest=90)
    token_prefix = "monthly:"
    outcome_prefix = "monthly_checkin"

    def lines(self) -> CheckInLines:
        return _monthly_lines()

    def label(self) -> str:
        return monthly_content().timer_label

    def announcements(self) -> tuple[str, ...]:
        said = monthly_content().announcements
        return (*said.parts, said.end)

    def part(self, minutes: int) -> str:
        # About a third: the guide says "about", and the timers keep the exact time.
        return f"{round(minutes / PARTS[self.kind])} minutes"

    def guide(self, chosen: Plan, opener: int) -> str:
        return monthly_content().render_guide(self.part(chosen.minutes))

    def started(self, chosen: Plan) -> str:
        return monthly_content().lines.started.speech.format(minutes=chosen.minutes)

    def started_untimed(self, chosen: Plan) -> str:
        return monthly_content().lines.started_untimed.speech.format(part=self.part(chosen.minutes))

    def show(self, handler_input: HandlerInput, checkin: CheckIn, left: timedelta, paused: bool) -> None:
        content = monthly_content()
        titles = [part.title for part in content.parts]
        show_parts(handler_input, checkin, left, paused, titles, content.lines)


@cache
def _monthly_lines() -> CheckInLines:
    """The daily check-in's lines with the monthly check-in's own in their place."""
    return dataclasses.replace(checkin_content().lines, **monthly_content().checkin_lines.as_replacements())


DAILY_RITUAL = Daily()
MONTHLY_RITUAL = Monthly()
RITUALS: dict[Kind, Ritual] = {ritual.kind: ritual for ritual in (DAILY_RITUAL, MONTHLY_RITUAL)}


def ritual_of(checkin: CheckIn | None) -> Ritual:
    """The kind of check-in this one is (the daily one when there is none)."""
    return RITUALS[checkin.kind] if checkin else DAILY_RITUAL


def lines_for(checkin: CheckIn | None) -> CheckInLines:
    """The check-in's lines as this check-in's kind says them."""
    return ritual_of(checkin).lines()


def ritual_for_token(token: str | None) -> Ritual | None:
    """The kind of check-in an AskFor token was sent for, or None if it is not one of ours."""
    found = (ritual for ritual in RITUALS.values() if (token or "").startswith(ritual.token_prefix))
    return next(found, None)
