"""Which question comes next: each household walks its own shuffle of a deck, with no repeats in a round."""

import hashlib
from functools import lru_cache

from content.questions import Question, question_bank
from skill.store.questions import QuestionProgress


@lru_cache(maxsize=64)
def household_order(household: str, deck: str | None) -> tuple[Question, ...]:
    """A deck (or, for None, the whole rotation) shuffled for one household, the same shuffle every time:
    each household has its own sequence, and a question comes round again only after all the others."""
    bank = question_bank()
    pool = bank.in_deck(deck) if deck else bank.rotation
    return tuple(
        sorted(pool, key=lambda question: hashlib.sha256(f"{household}|{question.id}".encode()).digest())
    )


def next_in(household: str, progress: QuestionProgress, deck: str | None) -> Question:
    """The household's next question of a deck (None: the rotation), counted as asked. It depends only on
    the household and its progress, so every device picks the same one, and so does a retried turn."""
    order = household_order(household, deck)
    asked = set(progress.asked)
    question = next((question for question in order if question.id not in asked), None)
    if question is None:  # every question of the pool has been asked: the next round begins
        pool_ids = {member.id for member in order}
        progress.asked = [asked_id for asked_id in progress.asked if asked_id not in pool_ids]
        question = order[0]
    progress.asked.append(question.id)
    return question


def pick_without_progress(
    household: str, night: str, pool: tuple[Question, ...], avoid: str | None
) -> Question:
    """A question when the table can't be read: it varies with the night, and is never the one on the
    table, so an outage doesn't mean hearing the same question over and over."""
    choices = [question for question in pool if question.id != avoid]
    digest = hashlib.sha256(f"{household}|{night}|{avoid}".encode()).digest()
    return choices[int.from_bytes(digest[:8], "big") % len(choices)]
