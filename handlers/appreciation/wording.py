"""How the jar speaks: its lines, appreciations and names made safe to say, days as people say them."""

from datetime import datetime

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from content import phrases
from content.models import AppreciationPhrases, SpokenLine
from handlers.respond import ask, tell
from skill.speech import escape, sentences
from skill.store.appreciations import Appreciation
from skill.store.profile import Profile


def lines() -> AppreciationPhrases:
    return phrases().appreciation


def listen(handler_input: HandlerInput, line: SpokenLine, *before: str, **fill: str) -> Response:
    """Say `before`, then the line, and keep the microphone open with the line's reprompt."""
    assert line.reprompt is not None, "a listening line always has a reprompt"
    return ask(handler_input, sentences(*before, line.speech.format(**fill)), line.reprompt.format(**fill))


def done(handler_input: HandlerInput, *said: str) -> Response:
    """The request is answered: a one-shot ends here, a session offers what else there is to do."""
    session = handler_input.request_envelope.session
    if session is None or session.new:
        return tell(handler_input, sentences(*said))
    return listen(handler_input, lines().anything_else, *said)


def spoken(text: str) -> str:
    """An appreciation made safe to speak, without closing punctuation (our sentence brings its own)."""
    return escape(text.rstrip(" .!?"))


def words_heard(text: str | None) -> str | None:
    """The text if there are words in it: an empty or punctuation-only slot was not really heard."""
    return text if text and text.strip(" .,;:!?'\"-") else None


def display_name(heard: str) -> str:
    """A name as we keep it: trimmed, capitalised when recognition gave it all in lower case."""
    name = " ".join(heard.split())
    return name[:1].upper() + name[1:] if name.islower() else name


def known_as(profile: Profile, name: str) -> str:
    """The household's own spelling of a name, when it is one they have given us."""
    return next((known for known in profile.names() if known.casefold() == name.casefold()), name)


def either(names: list[str]) -> str:
    """'Sam', 'Sam or Alex', 'Sam, Alex or Jo' (escaped)."""
    spoken = [escape(name) for name in names]
    return spoken[0] if len(spoken) == 1 else f"{', '.join(spoken[:-1])} or {spoken[-1]}"


def how_many(count: int) -> str:
    return lines().one if count == 1 else lines().many.format(count=count)


def day_said(saved_at: datetime, local_now: datetime) -> str:
    """The day an appreciation was saved, as the household would say it."""
    day = saved_at.astimezone(local_now.tzinfo).date()
    days_ago = (local_now.date() - day).days
    if days_ago <= 0:
        return "Today"
    if days_ago == 1:
        return "Yesterday"
    if days_ago < 7:
        return f"On {day:%A}"
    if day.year == local_now.year:
        return f"On {day:%B} {day.day}"
    return f"On {day:%B} {day.day}, {day.year}"


def item(appreciation: Appreciation, local_now: datetime) -> str:
    when = day_said(appreciation.saved_at, local_now)
    if appreciation.author:
        name = escape(appreciation.author)
        return lines().item_from.format(when=when, name=name, text=spoken(appreciation.text))
    return lines().item.format(when=when, text=spoken(appreciation.text))
