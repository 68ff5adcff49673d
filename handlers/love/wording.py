"""How the quiz speaks: a question and how to answer it, a partner's results as a warm sentence, and one
small idea for tonight."""

import hashlib

from content.love import LoveLines, love_content
from handlers.question.wording import spoken_number
from skill.speech import escape, sentences
from skill.store.love import LoveResult


def lines() -> LoveLines:
    return love_content().lines


def question_said(number: int) -> tuple[str, str]:
    """Question `number` (from one) as asked, and its reprompt."""
    question = love_content().questions[number - 1]
    text = escape(question.text)
    return (
        lines().question.format(number=spoken_number(number), question=text),
        lines().question_reprompt.format(question=text),
    )


def spoken_category(category_id: str) -> str:
    category = love_content().category(category_id)
    return category.spoken if category else category_id


def result_said(result: LoveResult) -> str:
    """'Sam feels most loved through quality time, then kind words.'"""
    name = escape(result.name)
    loved = [category for category in result.ranked if result.scores.get(category, 0) > 0]
    if not loved:
        return lines().result_none.format(name=name)
    first = spoken_category(loved[0])
    if len(loved) == 1:
        return lines().result_alone.format(name=name, first=first)
    second = spoken_category(loved[1])
    tied = result.scores[loved[0]] == result.scores[loved[1]]
    return (lines().result_tied if tied else lines().result).format(name=name, first=first, second=second)


def idea(result: LoveResult, household: str, night: str) -> str | None:
    """One small idea for tonight for the partner's first category (None if no category fit them): the
    same all night for the same partner, another on another night."""
    loved = [category for category in result.ranked if result.scores.get(category, 0) > 0]
    category = love_content().category(loved[0]) if loved else None
    if category is None:
        return None
    seed = f"{household}:{result.name.casefold()}:{night}".encode()
    chosen = category.ideas[int(hashlib.sha256(seed).hexdigest(), 16) % len(category.ideas)]
    return chosen.format(name=escape(result.name))


def results_said(results: list[LoveResult]) -> str:
    return sentences(*(result_said(result) for result in results))
