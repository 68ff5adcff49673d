"""The monthly check-in's content: its guide in short steps, its announcements, its lines, and every way
a monthly check-in starts within the guide budget, placeholders filled at their worst."""

import copy
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from pydantic import ValidationError

from content.checkin import GUIDE_PAUSE, MAX_ANNOUNCEMENT_CHARS
from content.models import ECHO_MAX_WORDS, MAX_GUIDE_WORDS, MAX_LINE_WORDS, MAX_STEP_WORDS, SpokenLine
from content.monthly import DATA_FILE, LONGEST_PART, monthly_content
from content.schema import MonthlyContent
from handlers.monthly.service import RECALL_PAUSE_MS
from handlers.monthly.wording import HIGHLIGHT_PAUSE_MS
from skill.speech import pause, sentences, strip_tags

PLAN = " ".join(["somewhere"] * ECHO_MAX_WORDS)  # the longest plan read back whole
RECALL_PAUSE = pause(RECALL_PAUSE_MS)
WORST = {
    "plan": PLAN,
    "start": " ".join(["somewhere"] * 6),
    "checkins": "30 check-ins",
    "appreciations": "300 appreciations",
    "what": "300 appreciations",
    "count": "300",
    "minutes": "90",
    "part": LONGEST_PART,
    "left": "less than a minute",
    "name": "Alexandria",
    "text": PLAN,
}


def raw() -> dict[str, Any]:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def words(ssml: str) -> int:
    return len(strip_tags(ssml).split())


def lines_of(model: Any) -> list[tuple[str, str]]:
    found = []
    for name, value in vars(model).items():
        texts = [value] if isinstance(value, str) else [value.speech, value.reprompt or ""]
        found += [(name, text) for text in texts if text]
    return found


EVERY_LINE = lines_of(monthly_content().lines) + lines_of(monthly_content().checkin_lines)


@pytest.mark.parametrize(
    ("where", "text"), EVERY_LINE, ids=[f"{w}-{i}" for i, (w, _) in enumerate(EVERY_LINE)]
)
def test_every_line_fits_the_budget_at_its_longest(where: str, text: str) -> None:
    assert words(text.format(**WORST)) <= MAX_LINE_WORDS, where


def starts() -> list[str]:
    """Every way a monthly check-in starts, as handlers/monthly and handlers/checkin put it together: the
    opening (or the two appreciations read back, or thanks for the permission), a length adjusted, the
    guide, and the close."""
    content = monthly_content()
    said, checkin = content.lines, content.checkin_lines
    opening = sentences(
        said.opening, said.recall.format(**WORST), RECALL_PAUSE, said.month_both.format(**WORST)
    )
    highlight = sentences(said.highlight_from.format(name="Alexandria", text=PLAN), pause(HIGHLIGHT_PAUSE_MS))
    leads = [opening, sentences(said.highlights, highlight, highlight), "Thank you for allowing timers."]
    notes = ["", checkin.too_short.speech, checkin.too_long.speech, checkin.unheard.speech]
    guide = content.render_guide(LONGEST_PART)
    return [
        *(
            sentences(lead, note, guide, said.started.speech.format(minutes="90"))
            for lead in leads
            for note in notes
        ),
        sentences(guide, said.started_untimed.speech.format(part=LONGEST_PART)),
    ]


def test_every_way_it_starts_is_short_steps_within_the_guide_budget() -> None:
    for said in starts():
        steps = [step for step in GUIDE_PAUSE.split(said) if strip_tags(step)]
        assert len(steps) >= 3
        assert max(map(words, steps)) <= MAX_STEP_WORDS, said
        assert words(said) <= MAX_GUIDE_WORDS, strip_tags(said)


def test_the_opening_offer_fits_with_the_opening() -> None:
    said = monthly_content().lines
    opening = sentences(
        said.opening, said.recall.format(**WORST), RECALL_PAUSE, said.month_both.format(**WORST)
    )
    note = monthly_content().checkin_lines.too_short.speech
    assert words(sentences(opening, note, said.offer_highlights.speech)) <= MAX_GUIDE_WORDS


def test_three_parts_two_announced_changes_and_an_end_that_asks_what_to_try() -> None:
    content = monthly_content()
    assert [part.id for part in content.parts] == ["worked", "did-not", "connect"]
    assert len(content.announcements.parts) == 2
    assert all(
        len(text) <= MAX_ANNOUNCEMENT_CHARS
        for text in (*content.announcements.parts, content.announcements.end)
    )
    assert "we'll try" in content.announcements.end


def test_ending_it_asks_what_to_try_and_says_what_to_answer() -> None:
    overrides = monthly_content().checkin_lines
    for line in (overrides.ended, overrides.ended_untimed, overrides.ended_timers_gone):
        assert line.reprompt and "we'll try" in line.speech and "we'll try" in line.reprompt


def test_a_line_that_keeps_the_microphone_open_ends_on_a_question_or_what_to_say() -> None:
    listening = [
        value
        for model in (monthly_content().lines, monthly_content().checkin_lines)
        for value in vars(model).values()
        if isinstance(value, SpokenLine) and value.reprompt
    ]
    assert len(listening) >= 8
    for line in listening:
        last = re.split(r"(?<=[.?!])\s+", line.speech)[-1]
        assert line.speech.endswith("?") or re.search(r"\bsay|start with\b", last, re.IGNORECASE), line.speech


def mutate(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    data = copy.deepcopy(raw())
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (lambda d: d.update(guide=d["guide"].replace("{part}", "ten minutes")), "exactly"),
        (lambda d: d.update(guide=d["guide"] + " " + "word " * 40), "step of the guide"),
        (lambda d: d["parts"].pop(), "at least 3"),
        (lambda d: d["parts"][1].update(id="worked"), "repeated part id"),
        (lambda d: d["announcements"]["parts"].append("One more."), "at most 2"),
        (lambda d: d["announcements"].update(end="x" * 201), "at most 200"),
        (lambda d: d["lines"].update(recall="Last month you planned something."), "recall must use exactly"),
        (lambda d: d["lines"]["plan_failed"].pop("reprompt"), "reprompt"),
        (lambda d: d["checkin_lines"]["ended"].pop("reprompt"), "reprompt"),
        (lambda d: d["checkin_lines"].update(time_left={"speech": "Soon."}), "time_left must use exactly"),
        (lambda d: d["lines"].update(opening="Welcome & hello."), "spoken as written"),
    ],
)
def test_validation_rejects_broken_monthly_content(
    change: Callable[[dict[str, Any]], None], complaint: str
) -> None:
    with pytest.raises(ValidationError, match=complaint):
        MonthlyContent.model_validate(mutate(change))
