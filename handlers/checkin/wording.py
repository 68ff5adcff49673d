"""How the check-in speaks: its lines, lengths of time as Alexa says them, and the guide."""

from datetime import timedelta

from content.checkin import CheckInLines, checkin_content
from handlers.checkin.plan import Adjustment, Plan


def lines() -> CheckInLines:
    return checkin_content().lines


def spoken_length(length: timedelta) -> str:
    """A time left as Alexa should say it, to the nearest minute: '12 minutes', 'less than a minute'."""
    seconds = round(length.total_seconds())
    if seconds < 60:
        return "less than a minute"
    minutes = seconds // 60 + (seconds % 60 >= 30)
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def spoken_half(minutes: int) -> str:
    """Half of a check-in, exactly: 10 minutes, or 7 and a half minutes."""
    whole, odd = divmod(minutes, 2)
    return f"{whole} and a half minutes" if odd else f"{whole} minutes"


def adjustment_note(chosen: Plan) -> str:
    notes = {
        Adjustment.TOO_SHORT: lines().too_short,
        Adjustment.TOO_LONG: lines().too_long,
        Adjustment.UNHEARD: lines().unheard,
    }
    line = notes.get(chosen.adjustment)
    return line.speech if line else ""


def guide(chosen: Plan, opener_index: int) -> str:
    content = checkin_content()
    first_speaker = content.first_speakers[opener_index % len(content.first_speakers)]
    return content.render_guide(
        first_speaker, spoken_half(chosen.minutes), content.openers[opener_index].text
    )
