"""The quiz's content: original questions under fifteen spoken words, balanced across the five ways of
feeling loved; at least twenty ideas for each, none twice; every line within the speech budget."""

import copy
import json
import re
from collections import Counter
from collections.abc import Callable
from typing import Any
from xml.etree import ElementTree

import pytest
from pydantic import ValidationError

from content.love import DATA_FILE, MIN_IDEAS, love_content
from content.models import MAX_GUIDE_WORDS, MAX_LINE_WORDS, MAX_STEP_WORDS, SpokenLine
from content.schema import LoveContent
from handlers.question.wording import spoken_number
from skill.speech import escape, strip_tags

NAME = "Alexandria"  # a ten-letter name, the longest the budget plans for
LONGEST_SPOKEN = max((category.spoken for category in love_content().categories), key=len)
LONGEST_IDEA = max(
    (idea.format(name=NAME) for category in love_content().categories for idea in category.ideas),
    key=lambda idea: len(idea.split()),
)
LONGEST_QUESTION = max((question.text for question in love_content().questions), key=lambda q: len(q.split()))
WORST = {
    "name": NAME,
    "first": LONGEST_SPOKEN,
    "second": LONGEST_SPOKEN,
    "idea": LONGEST_IDEA,
    "question": LONGEST_QUESTION,
    "number": spoken_number(len(love_content().questions)),
}


def raw() -> dict[str, Any]:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def words(text: str) -> int:
    return len(strip_tags(text).split())


def test_each_of_about_ten_questions_is_under_fifteen_spoken_words_and_either_or() -> None:
    questions = love_content().questions
    assert 8 <= len(questions) <= 12
    for question in questions:
        assert words(question.text) < 15, question.id
        assert question.text.endswith("?") and ", or " in question.text, question.id


def test_every_way_of_feeling_loved_is_asked_about_equally_and_every_pair_once() -> None:
    questions = love_content().questions
    asked = Counter(category for q in questions for category in (q.first, q.second))
    assert set(asked.values()) == {4} and len(asked) == 5
    assert len({frozenset((q.first, q.second)) for q in questions}) == len(questions)


def test_at_least_twenty_ideas_each_none_said_twice_each_naming_its_partner() -> None:
    ideas = [idea for category in love_content().categories for idea in category.ideas]
    assert all(len(category.ideas) >= MIN_IDEAS for category in love_content().categories)
    assert len({idea.casefold() for idea in ideas}) == len(ideas)
    assert all(re.findall(r"\{(\w+)\}", idea) in ([], ["name"]) for idea in ideas)
    assert sum("{name}" in idea for idea in ideas) > len(ideas) * 0.9, "ideas are for a partner, by name"


def test_every_text_survives_ssml_escaping_unchanged() -> None:
    texts = [q.text for q in love_content().questions] + [
        idea.format(name=NAME) for category in love_content().categories for idea in category.ideas
    ]
    for text in texts:
        assert ElementTree.fromstring(f"<speak>{escape(text)}</speak>").text == text
        assert text.isascii() and text.isprintable(), text


def mutate(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    data = copy.deepcopy(raw())
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (lambda d: d["categories"][0]["ideas"].append(d["categories"][1]["ideas"][0]), "repeated idea"),
        (lambda d: d["categories"][0]["ideas"].append("Kiss {partner} goodnight."), "may use only"),
        (lambda d: d["categories"][0]["ideas"].append(" ".join(["word"] * 19) + "."), "at most 18 words"),
        (lambda d: d["categories"][2].update(ideas=d["categories"][2]["ideas"][:19]), "at least 20"),
        (lambda d: d["categories"].pop(), "exactly words, acts, gifts, time, touch"),
        (lambda d: d["categories"][4].update(id="money"), "exactly words, acts"),
        (lambda d: d["questions"][0].update(text="Would you rather " + "very " * 12 + "much?"), "at most 14"),
        (lambda d: d["questions"][0].update(second="words"), "two different categories"),
        (lambda d: d["questions"].pop(), "equally often"),
        (lambda d: d["questions"][1].update(id=d["questions"][0]["id"]), "repeated quiz question id"),
        (lambda d: d["questions"].append(dict(d["questions"][0], id="again")), "repeated quiz question"),
        (lambda d: d["lines"].update(result="{name} feels loved."), "result must use exactly"),
        (lambda d: d["lines"]["ask_name"].pop("reprompt"), "reprompt"),
        (lambda d: d["lines"].update(intro="Love <b>you</b>."), "spoken as written"),
    ],
)
def test_validation_rejects_broken_quiz_content(
    change: Callable[[dict[str, Any]], None], complaint: str
) -> None:
    with pytest.raises(ValidationError, match=complaint):
        LoveContent.model_validate(mutate(change))


# --- the speech budget ---


def every_line() -> list[tuple[str, str]]:
    lines = love_content().lines
    found = []
    for name, value in vars(lines).items():
        texts = [value] if isinstance(value, str) else [value.speech, value.reprompt or ""]
        found += [(name, text) for text in texts if text]
    return found


@pytest.mark.parametrize(
    ("where", "text"), every_line(), ids=[f"{w}-{i}" for i, (w, _) in enumerate(every_line())]
)
def test_every_line_fits_the_budget_at_its_longest(where: str, text: str) -> None:
    assert words(text.format(**WORST)) <= MAX_LINE_WORDS, where


def test_the_longest_turns_are_short_steps_between_pauses() -> None:
    """The quiz's first turn (intro, whose turn, how to answer, question one) and a partner's last (their
    results, an idea, the next turn offered), as handlers/love/service.py puts them together."""
    lines = love_content().lines
    opening = [" ".join((lines.intro, lines.turn, lines.how_to_answer)), lines.question]
    closing = [" ".join((lines.thanks, lines.result)), lines.idea, lines.next_taker.speech]
    for steps in (opening, closing):
        said = [step.format(**WORST) for step in steps]
        assert max(map(words, said)) <= MAX_STEP_WORDS
        assert sum(map(words, said)) <= MAX_GUIDE_WORDS


def test_a_line_that_keeps_the_microphone_open_ends_on_a_question_or_what_to_say() -> None:
    lines = love_content().lines
    listening = [value for value in vars(lines).values() if isinstance(value, SpokenLine) and value.reprompt]
    assert len(listening) >= 5
    for line in listening:
        last = re.split(r"(?<=[.?!])\s+", line.speech)[-1]
        assert line.speech.endswith("?") or re.search(r"\bsay\b", last, re.IGNORECASE), line.speech
