"""The question bank as the runtime holds it: decks and questions from questions.json, read once per
container. content/schema.py validates the file (ids, decks, the 36's order) at build and test time."""

import json
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from content.loading import load

DATA_FILE = Path(__file__).parent / "questions.json"
SCREEN_FILE = Path(__file__).parent / "question_screen.json"
THIRTY_SIX = "thirty_six"
SETS_OF_THIRTY_SIX = 3
PER_SET = 12
# About 15 seconds of speech at Alexa's pace: a question longer than this loses the room.
MAX_QUESTION_CHARS = 250
MAX_FOLLOW_UP_CHARS = 120


class Depth(StrEnum):
    """How much a question asks of the two people answering it."""

    LIGHT = "light"
    DEEPER = "deeper"
    VULNERABLE = "vulnerable"


@dataclass(frozen=True)
class Deck:
    """A themed group of questions, with the words people use to ask for it."""

    id: str
    id_prefix: str
    spoken_name: str
    synonyms: tuple[str, ...]
    # Whether tonight's question may come from this deck; the 36 are only asked in their own order.
    in_rotation: bool


@dataclass(frozen=True)
class Question:
    """One question as Alexa reads it; `set` and `position` only for the 36, which are asked in order."""

    id: str
    deck: str
    depth: Depth
    text: str
    follow_up: str | None = None
    set: int | None = None
    position: int | None = None


@dataclass(frozen=True)
class QuestionBank:
    """Every deck and question. Ids are stable: households' progress refers to them across releases."""

    thirty_six_sets: tuple[str, ...]
    decks: tuple[Deck, ...]
    questions: tuple[Question, ...]

    @cached_property
    def _by_id(self) -> dict[str, Question]:
        return {question.id: question for question in self.questions}

    def question(self, question_id: str) -> Question | None:
        """The question with this id, or None if a later release retired it."""
        return self._by_id.get(question_id)

    def deck(self, deck_id: str) -> Deck | None:
        """The deck with this id, or None."""
        return next((deck for deck in self.decks if deck.id == deck_id), None)

    def in_deck(self, deck_id: str) -> tuple[Question, ...]:
        """The deck's questions in file order (for the 36, that is their order)."""
        return tuple(question for question in self.questions if question.deck == deck_id)

    @cached_property
    def rotation(self) -> tuple[Question, ...]:
        """The questions tonight's question is drawn from, in file order."""
        rotating = {deck.id for deck in self.decks if deck.in_rotation}
        return tuple(question for question in self.questions if question.deck in rotating)

    def set_title(self, set_number: int) -> str:
        """The name of one of the 36's three sets, as it is announced."""
        return self.thirty_six_sets[set_number - 1]

    @cached_property
    def thirty_six(self) -> tuple[Question, ...]:
        """The 36 questions, question one first."""
        return tuple(sorted(self.in_deck(THIRTY_SIX), key=lambda question: question.position or 0))


@lru_cache(maxsize=1)
def question_bank() -> QuestionBank:
    """The bank, read from disk on first use and kept for the container's life."""
    return load(QuestionBank, DATA_FILE)


@lru_cache(maxsize=1)
def question_screen() -> dict[str, Any]:
    """The APL document that shows a question on Echo devices with a screen (read once per container)."""
    return json.loads(SCREEN_FILE.read_text(encoding="utf-8"))
