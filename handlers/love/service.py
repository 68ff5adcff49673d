"""The quiz's steps: who takes it, asking each question, and, when a partner has answered them all,
storing their results before saying them (a failed save says so, and offers to try again)."""

import logging

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from content.love import love_content
from handlers.base import store_failed
from handlers.love.scoring import ranked, scores
from handlers.love.state import ANSWERING, CONFIRM_RETRY, NEXT_TAKER, Quiz, keep, leave
from handlers.love.wording import idea, lines, question_said, result_said
from handlers.respond import ask, record_outcome, tell
from skill.context import Turn, turn_of
from skill.household_time import night_of
from skill.logs import log_event
from skill.speech import escape, pause, sentences
from skill.store import Store
from skill.store.love import LoveResult, LoveResults
from skill.store.table import StoreUnavailableError

log = logging.getLogger(__name__)

TAKERS = 2  # a couple: the quiz offers itself to two partners in turn
# A pause before a question, after the words that lead into it, and between a result and what follows it:
# a turn of the quiz is short steps, as a guide is (content/models.py's speech budget).
STEP_PAUSE_MS = 600


class LoveQuiz:
    """The quiz, the partners' results and tonight's ideas, over the household's records."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.results = LoveResults(store.table)

    def known_names(self, turn: Turn) -> list[str]:
        """The partners' names the household has given us (voices' first), then those with results.
        Only a nicety: when DynamoDB cannot say, the quiz asks who is taking it."""
        try:
            names = self.store.profiles.load(turn.household).names()
            names += [result.name for result in self.results.all(turn.household)]
        except StoreUnavailableError:
            log_event(log, "love_names_unavailable", level=logging.WARNING)
            return []
        unique: dict[str, str] = {}
        for name in names:
            unique.setdefault(name.casefold(), name)
        return list(unique.values())[:TAKERS]

    @staticmethod
    def ask_question(handler_input: HandlerInput, quiz: Quiz, *before: str) -> Response:
        """Ask the taker's next question, and wait for the first, the second, both or neither."""
        keep(handler_input, quiz, ANSWERING)
        asked, reprompt = question_said(len(quiz.answers) + 1)
        lead = sentences(*before)
        return ask(handler_input, sentences(lead, pause(STEP_PAUSE_MS), asked) if lead else asked, reprompt)

    def begin(self, handler_input: HandlerInput, quiz: Quiz, *before: str) -> Response:
        """A partner's turn begins: their name, how to answer, and question one."""
        turn = lines().turn.format(name=escape(quiz.name))
        return self.ask_question(handler_input, quiz, *before, turn, lines().how_to_answer)

    def answer(self, handler_input: HandlerInput, quiz: Quiz, answer: str) -> Response:
        """Note an answer; then the next question, or, after the last, the partner's results."""
        quiz.answers.append(answer)
        if len(quiz.answers) < len(love_content().questions):
            return self.ask_question(handler_input, quiz)
        return self.finish(handler_input, quiz)

    def finish(self, handler_input: HandlerInput, quiz: Quiz) -> Response:
        """Store the partner's results, then say them with an idea for tonight, and offer the next turn."""
        turn = turn_of(handler_input)
        questions = love_content().questions
        score = scores(questions, quiz.answers)
        result = LoveResult(
            name=quiz.name,
            answers={question.id: answer for question, answer in zip(questions, quiz.answers, strict=False)},
            scores=score,
            ranked=ranked(score),
            taken_at=turn.now,
        )
        try:
            self.results.save(turn.household, result)
        except StoreUnavailableError:
            keep(handler_input, quiz, CONFIRM_RETRY)
            return store_failed(
                handler_input, "love_results_not_saved", lines().save_failed, name=escape(quiz.name)
            )
        record_outcome(handler_input, "love_results_saved")
        said = [lines().thanks.format(name=escape(quiz.name)), result_said(result)]
        tonight = idea(result, turn.household, night_of(turn.local_now()))
        if tonight:
            said += [pause(STEP_PAUSE_MS), lines().idea.format(idea=tonight)]
        return self.offer_next(handler_input, quiz, *said)

    @staticmethod
    def offer_next(handler_input: HandlerInput, quiz: Quiz, *said: str) -> Response:
        """Ask whether the next partner is ready for their turn; or, if nobody is next, end kindly."""
        upcoming = quiz.next_name
        if upcoming is None:
            leave(handler_input)
            return tell(handler_input, sentences(*said))
        keep(handler_input, Quiz(quiz.takers, quiz.taker, []), NEXT_TAKER)
        line = lines().next_taker
        return ask(
            handler_input,
            sentences(*said, pause(STEP_PAUSE_MS), line.speech.format(name=escape(upcoming))),
            line.reprompt.format(name=escape(upcoming)),
        )
