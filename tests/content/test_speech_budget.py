"""The speech budget: every line Alexa says, its placeholders filled at their longest, fits the ear.

Voice first: a couple hears a reply once, while looking at each other rather than at a screen. A routine
reply stays within MAX_LINE_WORDS, and so does its reprompt. A guide (the check-in's, the start of the 36
questions) is short steps between pauses, each within MAX_STEP_WORDS, all within MAX_GUIDE_WORDS. A line
that keeps the microphone open ends on a question or on what to say. Words are counted as heard: in the
plain text, SSML stripped. The budgets are the constants in content/models.py, so a line that grows past
them fails here. The question bank's own texts have their own limits (tests/content/test_questions.py).
"""

import re
from collections.abc import Iterator
from dataclasses import fields, is_dataclass
from typing import Any

import pytest

from content.checkin import LONGEST_HALF, CheckInContent, checkin_content
from content.models import (
    ECHO_MAX_WORDS,
    MAX_GUIDE_WORDS,
    MAX_LINE_WORDS,
    MAX_STEP_WORDS,
    OPENING_WORDS,
    SpokenLine,
    echoed,
    opening,
    phrases,
)
from content.questions import question_bank
from skill.speech import escape, sentences, strip_tags

# --- placeholders at their worst ---

_LONG_TEXT = (
    "how you stayed up so late last night to help me finish painting the whole kitchen before your "
    "mother came round for lunch on Sunday"
)
# The longest appreciation a line reads back; one word more and the `*_long` line is used instead.
TEXT = " ".join(_LONG_TEXT.split()[:ECHO_MAX_WORDS])
NAME = "Alexandria"  # a ten-letter name
NAMES = "Alexandria, Maximilian or Christabel"  # three names, as the jar offers them to choose from
WHEN = "On September 30, 2025"  # the longest day the jar names
APPRECIATIONS = phrases().appreciation.many.format(count=10000)  # "{count}" in the jar's lines
LEFT = "less than a minute"  # the longest time left a check-in says
MINUTES = "60"
NUMBER = "twenty-seven"  # a place in the 36, or a set, as said
# Question texts have their own budget: counted as nothing here, and as a question where a line must end
# on one.
UNCOUNTED_QUESTION = ""
SAMPLE_QUESTION = "What made you smile today?"
PAUSE = re.compile(r"<break\b[^>]*/>")


def _decks() -> str:
    """Every deck of the rotation, joined as the question handler says them."""
    names = [deck.spoken_name for deck in question_bank().decks if deck.in_rotation]
    return ", ".join(names[:-1]) + ", and " + names[-1]


def _fill(group: str, question: str = UNCOUNTED_QUESTION) -> dict[str, str]:
    """The longest values a group's placeholders take."""
    bank = question_bank()
    return {
        "appreciation": {
            "text": escape(TEXT),
            "start": escape(opening(_LONG_TEXT)),
            "name": NAME,
            "names": NAMES,
            "when": WHEN,
            "count": APPRECIATIONS,
        },
        "privacy": {"count": "12345"},
        "question": {
            "question": question,
            "deck": max((deck.spoken_name for deck in bank.decks), key=lambda name: len(name.split())),
            "decks": escape(_decks()),
            "intro": "",
            "number": NUMBER,
            "title": max(bank.thirty_six_sets, key=lambda title: len(title.split())),
        },
        "checkin": {"minutes": MINUTES, "left": LEFT, "half": LONGEST_HALF, "count": "12"},
        "reminders": _reminder_fill(),
    }.get(group, {})


def _reminder_fill() -> dict[str, str]:
    """A reminder's longest words: its ritual's, the longest days and time, three listed and more."""
    lines = phrases().reminders
    rituals = (lines.rituals.checkin, lines.rituals.question, lines.rituals.appreciation)
    day = max(lines.days.day_names, key=len)
    days = max((lines.days.weekdays, lines.days.weekends, lines.days.weekly.format(day=day)), key=len)
    when = lines.days.when.format(days=days, time="12:30 PM")
    name = max((ritual.name for ritual in rituals), key=len)
    item = lines.item.format(name=name, when=when)
    return {
        "what": max((ritual.what for ritual in rituals), key=len),
        "name": name,
        "announcement": max((ritual.announcement for ritual in rituals), key=len),
        "when": when,
        "day": day,
        "days": days,
        "time": "12:30 PM",
        "count": "12",
        "items": ", ".join([item, item, item, lines.and_more.format(count="12")]),
    }


# --- walking the content ---


def _walk(content: Any, path: str) -> Iterator[tuple[str, SpokenLine | str]]:
    for field in fields(content):
        value = getattr(content, field.name)
        if isinstance(value, SpokenLine | str):
            yield f"{path}.{field.name}", value
        elif is_dataclass(value):
            yield from _walk(value, f"{path}.{field.name}")


def _group(path: str) -> str:
    parts = path.split(".")
    return parts[1] if parts[0] == "phrases" and len(parts) > 2 else parts[0]


def every_line() -> list[tuple[str, SpokenLine | str]]:
    """Every line of phrases.json and checkin.json that Alexa speaks, with where it is."""
    checkin = checkin_content()
    return [
        *_walk(phrases(), "phrases"),
        *_walk(checkin.lines, "checkin"),
        *(("checkin", text) for text in (checkin.announcements.halfway, checkin.announcements.end)),
    ]


# Guides are held to the budget of their steps (below), not of one reply.
GUIDES = {"phrases.question.thirty_six"}


# Lines whose placeholders mean something else than in the rest of their group.
OWN_FILL = {"phrases.appreciation.many": {"count": "10000"}}


def spoken(where: str, template: str, **values: str) -> str:
    """A line as Alexa would say it (SSML), placeholders filled at their worst."""
    try:
        return template.format(**{**_fill(_group(where)), **OWN_FILL.get(where, {}), **values})
    except KeyError as missing:
        pytest.fail(f"{where}: no worst case for the placeholder {missing}: add one to _fill")


def words(ssml: str) -> int:
    """How many words the couple hears."""
    return len(strip_tags(ssml).split())


def steps(ssml: str) -> list[str]:
    """The steps of a guide: what is said between its pauses."""
    return [step for step in PAUSE.split(ssml) if strip_tags(step)]


def over_line_budget(where: str, line: SpokenLine | str) -> list[str]:
    """What is too long in one routine line: its speech, its reprompt."""
    texts = {"speech": line} if isinstance(line, str) else {"speech": line.speech, "reprompt": line.reprompt}
    return [
        f"{where} {part}: {count} words, budget {MAX_LINE_WORDS}: {strip_tags(said)!r}"
        for part, text in texts.items()
        if text is not None
        and (count := words(said := spoken(where, text))) > MAX_LINE_WORDS
        and not (part == "speech" and where in GUIDES)
    ]


def over_guide_budget(what: str, ssml: str) -> list[str]:
    """What is too long in a guide: any step, or the whole."""
    problems = [
        f"{what}, step {index}: {words(step)} words, budget {MAX_STEP_WORDS}: {strip_tags(step)!r}"
        for index, step in enumerate(steps(ssml), 1)
        if words(step) > MAX_STEP_WORDS
    ]
    if words(ssml) > MAX_GUIDE_WORDS:
        problems.append(f"{what}: {words(ssml)} words, budget {MAX_GUIDE_WORDS}: {strip_tags(ssml)!r}")
    return problems


def ends_listening(ssml: str) -> bool:
    """Whether speech ends on a question, or its last sentence says what to say."""
    plain = strip_tags(ssml)
    last = re.split(r"(?<=[.?!])\s+", plain)[-1]
    return plain.endswith("?") or re.search(r"\bsay(ing)?\b", last, re.IGNORECASE) is not None


# --- routine lines ---


@pytest.mark.parametrize(("where", "line"), every_line(), ids=[where for where, _ in every_line()])
def test_every_routine_line_and_its_reprompt_fit_the_budget(where: str, line: SpokenLine | str) -> None:
    assert over_line_budget(where, line) == []


def test_a_jar_reply_fits_with_the_offer_that_follows_it_in_a_session() -> None:
    """In a session, a jar line that answers the request is followed by "Anything else?" (the handlers'
    `_done`); the two together are one reply."""
    jar = phrases().appreciation
    follow = jar.anything_else.speech
    closing = [
        (f"phrases.appreciation.{name}", line.speech)
        for name, line in _walk(jar, "")
        if isinstance(line, SpokenLine) and line.reprompt is None
    ]
    closing.append(("phrases.appreciation.read_end", jar.read_end))
    problems = [
        f"{where} + anything_else: {count} words: {strip_tags(said)!r}"
        for where, text in closing
        if (count := words(said := sentences(spoken(where, text), follow))) > MAX_LINE_WORDS
    ]
    assert problems == []


def test_a_check_in_reply_fits_with_the_note_it_may_carry() -> None:
    """Lines the check-in's handlers say with a note after them (a timer that could not be changed) or
    before them (a length adjusted)."""
    lines = checkin_content().lines
    assert lines.halfway_not_resumed is not None
    owned_up = (
        lines.paused,
        lines.resumed,
        lines.finished,
        lines.timers_gone,
        lines.ended,
        lines.ended_timers_gone,
    )
    pairs = [
        *((line, lines.halfway_unchanged) for line in owned_up),
        (lines.paused, lines.halfway_gone),
        (lines.resumed, lines.halfway_gone),
        (lines.resumed, lines.halfway_not_resumed),
        *((note, lines.ask_permission) for note in (lines.too_short, lines.too_long, lines.unheard)),
    ]
    problems = []
    for first, second in pairs:
        # A halfway reminder is only said to be missing while more than half is left: minutes, not seconds.
        left = {"left": "59 minutes"} if "{half}" in second.speech else {}
        said = sentences(spoken("checkin", first.speech, **left), spoken("checkin", second.speech))
        if words(said) > MAX_LINE_WORDS:
            problems.append(f"{words(said)} words: {strip_tags(said)!r}")
    assert problems == []


# --- guides ---


def check_in_starts(content: CheckInContent) -> Iterator[tuple[str, str]]:
    """Every way a check-in starts, as handlers/checkin.py puts it together: a lead (thanks for the
    permission, or a length adjusted), the guide for each first speaker and opener, and the close."""
    lines = content.lines
    notes = (lines.too_short, lines.too_long, lines.unheard)
    timed_leads = ["", lines.permission_thanks.speech, *(note.speech for note in notes)]
    timed = lines.started.speech.format(minutes=MINUTES)
    untimed = lines.started_untimed.speech.format(half=LONGEST_HALF)
    for first_speaker in content.first_speakers:
        for opener in content.openers:
            guide = content.render_guide(first_speaker, LONGEST_HALF, opener.text)
            for lead in timed_leads:
                yield f"timed, {first_speaker!r}, {opener.id}", sentences(lead, guide, timed)
            yield f"untimed, {first_speaker!r}, {opener.id}", sentences(guide, untimed)


def test_the_check_in_guide_is_short_steps_between_pauses() -> None:
    starts = list(check_in_starts(checkin_content()))
    assert all(len(steps(said)) >= 3 for _, said in starts), "the guide is steps with pauses between"
    problems = [problem for what, said in starts for problem in over_guide_budget(what, said)]
    assert problems == []


def thirty_six_starts() -> Iterator[tuple[str, str]]:
    """The first words of a turn of the 36 (handlers/question.py `thirty_six`): where they are, the set
    starting, then the question's place, its text not counted."""
    lines = phrases().question
    bank = question_bank()
    first, *later = [
        lines.thirty_six_set.format(number=NUMBER, title=title) for title in bank.thirty_six_sets
    ]
    intros = [
        [lines.thirty_six_begin, first],
        [lines.thirty_six_again, first],
        *([lines.thirty_six_resume, announced] for announced in later),
        *([lines.thirty_six_skipped, announced] for announced in later),
        *([announced] for announced in later),
        [lines.thirty_six_resume],
        [lines.thirty_six_skipped],
        [],
    ]
    for intro in intros:
        said = lines.thirty_six.speech.format(intro=escape(" ".join(intro)), number=NUMBER, question="")
        yield f"36 questions, {' + '.join(part[:24] for part in intro) or 'no intro'}", said.strip()


def test_the_thirty_six_questions_start_in_short_steps() -> None:
    problems = [problem for what, said in thirty_six_starts() for problem in over_guide_budget(what, said)]
    assert problems == []
    template = phrases().question.thirty_six.speech
    assert len(steps(template)) >= 2, "a pause before the question lets its number land"


# --- the microphone ---


def test_a_line_that_keeps_the_microphone_open_ends_on_a_question_or_what_to_say() -> None:
    listening = [
        (where, line) for where, line in every_line() if isinstance(line, SpokenLine) and line.reprompt
    ]
    assert len(listening) > 30
    problems = [
        f"{where}: {strip_tags(said)!r}"
        for where, line in listening
        # the question itself is what the couple answers
        if not ends_listening(said := spoken(where, line.speech, question=SAMPLE_QUESTION))
    ]
    assert problems == []


# --- the long appreciations, and the budget itself ---


def test_every_line_is_written_and_long_ones_confirm_without_reading_back() -> None:
    for model in (phrases().appreciation, phrases().question, phrases().privacy, checkin_content().lines):
        assert all(getattr(model, field.name) is not None for field in fields(model)), type(model)
    long_lines = [(where, line) for where, line in every_line() if where.endswith("_long")]
    assert {where.rsplit(".", 1)[1] for where, _ in long_lines} >= {
        f"{name}_long" for name in ("who", "who_of_names", "saved_from", "saved", "delete_last_confirm")
    }
    for where, line in long_lines:
        assert isinstance(line, SpokenLine)
        assert "{text}" not in line.speech and "{text}" not in (line.reprompt or ""), where


def test_the_worst_cases_are_the_longest_the_handlers_read_back() -> None:
    assert len(TEXT.split()) == ECHO_MAX_WORDS and echoed(TEXT)
    assert not echoed(TEXT + " again")
    assert len(opening(_LONG_TEXT).split()) == OPENING_WORDS
    assert opening("one two three four five six, seven") == "one two three four five six"
    assert len(NAME) == 10 and all(len(name) == 10 for name in re.split(r", | or ", NAMES))


def test_the_budget_fails_a_line_that_grows() -> None:
    grown = "word " * MAX_LINE_WORDS + "more?"
    assert over_line_budget("phrases.help", SpokenLine(speech=grown)) != []
    assert over_line_budget("phrases.help", SpokenLine(speech="Hello?", reprompt=grown)) != []
    paused = f'<break time="900ms"/> {"word " * MAX_LINE_WORDS}'
    assert over_line_budget("phrases.help", SpokenLine(speech=paused)) == [], "pauses are not words"
    step = "word " * (MAX_STEP_WORDS + 1)
    assert over_guide_budget("guide", f'Short. <break time="500ms"/> {step}') != []
    whole = '<break time="500ms"/>'.join(["word " * MAX_STEP_WORDS] * 3)
    assert over_guide_budget("guide", whole) != [] and MAX_STEP_WORDS * 3 > MAX_GUIDE_WORDS
    assert not ends_listening("Here you are. That's all.") and ends_listening("Say more, or stop.")
    # The walk reads the models' own fields, so a line added to them is held to the budget too.
    walked = dict(every_line())
    assert "phrases.appreciation.who_unheard" in walked and "checkin.halfway_gone" in walked
