"""What a partner's answers say: each category's score, and the categories from most to least loved-by.

An option chosen alone counts two for its category, "both" one for each, "neither" nothing: a clear choice
says more than a shrug. Ties keep the content's order of categories, so the same answers always rank the
same way."""

from content.love import CATEGORY_IDS, QuizQuestion

CHOSEN = 2
SHARED = 1


def scores(questions: tuple[QuizQuestion, ...], answers: list[str]) -> dict[str, int]:
    """Each category's score from answers given in the questions' order."""
    total = dict.fromkeys(CATEGORY_IDS, 0)
    for question, answer in zip(questions, answers, strict=False):
        if answer == "first":
            total[question.first] += CHOSEN
        elif answer == "second":
            total[question.second] += CHOSEN
        elif answer == "both":
            total[question.first] += SHARED
            total[question.second] += SHARED
    return total


def ranked(score: dict[str, int]) -> tuple[str, ...]:
    """The categories, highest score first."""
    return tuple(sorted(score, key=lambda category: (-score[category], CATEGORY_IDS.index(category))))
