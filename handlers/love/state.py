"""The quiz's open questions and what they wait on: who is taking it, whose turn it is, and the answers
given so far. Answers live in the session until a partner finishes: only then are they stored, so a quiz
stopped half way keeps nothing, and says so."""

from dataclasses import dataclass, field
from typing import Any

from ask_sdk_core.handler_input import HandlerInput

from handlers.base import session
from skill.vocabulary import SessionKey

AWAITING_NAME = "love.awaiting_name"
ANSWERING = "love.answering"
NEXT_TAKER = "love.next_taker"
CONFIRM_RETRY = "love.confirm_retry"
STATES = (AWAITING_NAME, ANSWERING, NEXT_TAKER, CONFIRM_RETRY)
SESSION_KEYS = (SessionKey.LOVE_QUIZ,)
ANSWERS = ("first", "second", "both", "neither")


@dataclass
class Quiz:
    """A quiz in progress: the partners taking it, in turn; whose turn it is; their answers so far."""

    takers: list[str]
    taker: int = 0
    answers: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.takers[self.taker]

    @property
    def next_name(self) -> str | None:
        """Whoever's turn comes after this one, if anyone's does."""
        return self.takers[self.taker + 1] if self.taker + 1 < len(self.takers) else None

    def as_session(self) -> dict[str, Any]:
        return {"takers": self.takers, "taker": self.taker, "answers": self.answers}

    @classmethod
    def from_session(cls, raw: Any) -> "Quiz | None":
        """The quiz a session holds, or None if it holds none (or one too garbled to go on with)."""
        if not isinstance(raw, dict):
            return None
        takers, taker, answers = raw.get("takers"), raw.get("taker"), raw.get("answers")
        if not (isinstance(takers, list) and takers and all(isinstance(name, str) for name in takers)):
            return None
        if not (isinstance(taker, int) and 0 <= taker < len(takers)):
            return None
        if not (isinstance(answers, list) and all(answer in ANSWERS for answer in answers)):
            return None
        return cls(takers, taker, answers)


def quiz_of(handler_input: HandlerInput) -> Quiz | None:
    return Quiz.from_session(session(handler_input).get(SessionKey.LOVE_QUIZ))


def keep(handler_input: HandlerInput, quiz: Quiz, state: str) -> None:
    """Hold the quiz in the session, with the question now open."""
    session(handler_input)[SessionKey.STATE] = state
    session(handler_input)[SessionKey.LOVE_QUIZ] = quiz.as_session()


def await_name(handler_input: HandlerInput) -> None:
    session(handler_input)[SessionKey.STATE] = AWAITING_NAME
    session(handler_input).pop(SessionKey.LOVE_QUIZ, None)


def leave(handler_input: HandlerInput) -> None:
    """The quiz is over (or set aside): nothing of it stays in the session."""
    attributes = session(handler_input)
    attributes.pop(SessionKey.STATE, None)
    attributes.pop(SessionKey.LOVE_QUIZ, None)
