"""How the check-in speaks: the daily check-in's lines, and lengths of time as Alexa says them. (What each
kind of check-in says its own way, its guide among it, is in handlers/checkin/rituals.py.)"""

from datetime import timedelta

from content.checkin import CheckInLines, checkin_content


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
