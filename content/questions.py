"""The question bank: decks and questions from questions.json, validated and loaded once per container."""

import json
from collections import Counter
from enum import StrEnum
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

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


class Deck(BaseModel):
    """A themed group of questions, with the words people use to ask for it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z_]+$")
    id_prefix: str = Field(pattern=r"^[a-z0-9]{3}$")
    spoken_name: str = Field(min_length=1, max_length=60)
    synonyms: tuple[str, ...] = Field(min_length=1)
    # Whether tonight's question may come from this deck; the 36 are only asked in their own order.
    in_rotation: bool


class Question(BaseModel):
    """One question as Alexa reads it; `set` and `position` only for the 36, which are asked in order."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9]{3}-\d{2,3}$")
    deck: str
    depth: Depth
    text: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS)
    follow_up: str | None = Field(default=None, min_length=1, max_length=MAX_FOLLOW_UP_CHARS)
    set: int | None = Field(default=None, ge=1, le=SETS_OF_THIRTY_SIX)
    position: int | None = Field(default=None, ge=1, le=SETS_OF_THIRTY_SIX * PER_SET)


class QuestionBank(BaseModel):
    """Every deck and question. Ids are stable: households' progress refers to them across releases."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    thirty_six_sets: tuple[str, ...] = Field(min_length=SETS_OF_THIRTY_SIX, max_length=SETS_OF_THIRTY_SIX)
    decks: tuple[Deck, ...] = Field(min_length=1)
    questions: tuple[Question, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        deck_ids = [deck.id for deck in self.decks]
        _require_unique("deck id", deck_ids)
        _require_unique("deck id prefix", [deck.id_prefix for deck in self.decks])
        _require_unique("deck synonym", [s.lower() for deck in self.decks for s in deck.synonyms])
        if THIRTY_SIX not in deck_ids:
            raise ValueError(f"the {THIRTY_SIX} deck is missing")
        _require_unique("question id", [question.id for question in self.questions])
        prefixes = {deck.id: deck.id_prefix for deck in self.decks}
        for question in self.questions:
            if question.deck not in prefixes:
                raise ValueError(f"{question.id}: unknown deck {question.deck!r}")
            if not question.id.startswith(prefixes[question.deck] + "-"):
                raise ValueError(f"{question.id}: id must start with {prefixes[question.deck]}-")
            if (question.deck == THIRTY_SIX) != (question.position is not None and question.set is not None):
                raise ValueError(
                    f"{question.id}: set and position belong to the 36 questions, and only there"
                )
        _check_thirty_six([q for q in self.questions if q.deck == THIRTY_SIX])
        return self

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


def _require_unique(what: str, values: list[str]) -> None:
    repeated = sorted(value for value, count in Counter(values).items() if count > 1)
    if repeated:
        raise ValueError(f"repeated {what}: {', '.join(repeated)}")


def _check_thirty_six(questions: list[Question]) -> None:
    """The 36 are exactly positions 1 to 36, twelve to a set, each set in its own run of positions."""
    positions = sorted(question.position or 0 for question in questions)
    if positions != list(range(1, SETS_OF_THIRTY_SIX * PER_SET + 1)):
        raise ValueError("the 36 questions must have exactly the positions 1 to 36")
    for question in questions:
        expected_set = ((question.position or 0) - 1) // PER_SET + 1
        if question.set != expected_set:
            raise ValueError(f"{question.id}: position {question.position} belongs to set {expected_set}")


@lru_cache(maxsize=1)
def question_bank() -> QuestionBank:
    """The validated bank, read from disk on first use and kept for the container's life."""
    return QuestionBank.model_validate_json(DATA_FILE.read_bytes())


@lru_cache(maxsize=1)
def question_screen() -> dict[str, Any]:
    """The APL document that shows a question on Echo devices with a screen (read once per container)."""
    return json.loads(SCREEN_FILE.read_text(encoding="utf-8"))
