"""The quiz's handlers: start it (for the two partners, or one by name), take each answer, and, any time,
say a partner's results or give an idea for tonight. Stopping part way keeps nothing of that partner's
answers, and says so."""

import re

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from handlers.appreciation.wording import display_name
from handlers.base import Handler, is_intent, session, slot_value, state_is
from handlers.love.service import STEP_PAUSE_MS, LoveQuiz
from handlers.love.state import (
    ANSWERING,
    AWAITING_NAME,
    CONFIRM_RETRY,
    NEXT_TAKER,
    STATES,
    Quiz,
    await_name,
    leave,
    quiz_of,
)
from handlers.love.wording import idea, lines, question_said, results_said
from handlers.respond import ask, record_outcome, say_line, tell
from skill.context import turn_of
from skill.household_time import night_of
from skill.speech import escape, pause, sentences
from skill.store import Store
from skill.vocabulary import Intent, SessionKey, Slot

MAX_NAME_CHARS = 40
POSSESSIVE = re.compile(r"(?<=\w)'s?$")
# Short answers to an either-or question; "skip" passes on one, as "neither" does.
ANSWER_INTENTS = {
    Intent.FIRST_CHOICE: "first",
    Intent.SECOND_CHOICE: "second",
    Intent.BOTH_CHOICES: "both",
    Intent.NEITHER_CHOICE: "neither",
    Intent.SKIP_QUESTION: "neither",
}
CHOICE_INTENTS = (Intent.FIRST_CHOICE, Intent.SECOND_CHOICE, Intent.BOTH_CHOICES, Intent.NEITHER_CHOICE)


def heard_name(handler_input: HandlerInput, slot: Slot = Slot.FIRST_NAME) -> str | None:
    """A partner's name as we keep it, if the slot holds something that can be one. Alexa hears "Alex's
    love language" with the possessive in the name ("alex's"), so it is let go of."""
    heard = POSSESSIVE.sub("", slot_value(handler_input, slot) or "")
    if not heard or len(heard) > MAX_NAME_CHARS or not any(char.isalpha() for char in heard):
        return None
    return display_name(heard)


class LoveHandler(Handler):
    """A handler with the quiz at hand."""

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.quiz = LoveQuiz(store)


class StartQuizHandler(LoveHandler):
    """'The love language quiz', 'retake the quiz', 'the love quiz for Sam': the two partners in turn (or
    the one named); if we know no names, first ask who is taking it."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.START_LOVE_QUIZ)

    def respond(self, handler_input: HandlerInput) -> Response:
        named = heard_name(handler_input)
        takers = [named] if named else self.quiz.known_names(turn_of(handler_input))
        record_outcome(handler_input, "love_quiz_started")
        if not takers:
            await_name(handler_input)
            return say_line(handler_input, lines().ask_name)
        return self.quiz.begin(handler_input, Quiz(takers), lines().intro)


class TakerNameHandler(LoveHandler):
    """'I'm Sam' (or 'we're Sam and Alex', or a bare 'Sam') when asked who is taking the quiz."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.NAME, Intent.APPRECIATION_AUTHOR) and state_is(
            handler_input, AWAITING_NAME
        )

    def respond(self, handler_input: HandlerInput) -> Response:
        name = heard_name(handler_input)
        if name is None:
            return say_line(handler_input, lines().name_unheard)
        partner = heard_name(handler_input, Slot.PARTNER_NAME)
        takers = [name, partner] if partner and partner.casefold() != name.casefold() else [name]
        return self.quiz.begin(handler_input, Quiz(takers))


class AnswerHandler(LoveHandler):
    """'The first one', 'the second', 'both', 'neither' (or 'skip') to a question of the quiz."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, *ANSWER_INTENTS) and state_is(handler_input, ANSWERING)

    def respond(self, handler_input: HandlerInput) -> Response:
        quiz = quiz_of(handler_input)
        if quiz is None:  # a session that lost its quiz: nothing to add the answer to
            leave(handler_input)
            return say_line(handler_input, lines().no_quiz)
        answer = next(value for intent, value in ANSWER_INTENTS.items() if is_intent(handler_input, intent))
        return self.quiz.answer(handler_input, quiz, answer)


class AnswerWithoutQuizHandler(LoveHandler):
    """'The first one' with no quiz going and no other question open (the jar hears "both" as "from both
    of us" while it asks who a note is from): say how to take the quiz."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, *CHOICE_INTENTS) and SessionKey.STATE not in session(handler_input)

    def respond(self, handler_input: HandlerInput) -> Response:
        record_outcome(handler_input, "love_no_quiz")
        return say_line(handler_input, lines().no_quiz)


class NextTakerHandler(LoveHandler):
    """'Yes' to "Alex, ready for your turn?"."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.YES) and state_is(handler_input, NEXT_TAKER)

    def respond(self, handler_input: HandlerInput) -> Response:
        quiz = quiz_of(handler_input)
        if quiz is None or quiz.next_name is None:
            leave(handler_input)
            return say_line(handler_input, lines().no_quiz)
        return self.quiz.begin(handler_input, Quiz(quiz.takers, quiz.taker + 1))


class LaterHandler(LoveHandler):
    """'No' to the next turn: it waits for another day, and says how to take it then."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.NO) and state_is(handler_input, NEXT_TAKER)

    def respond(self, handler_input: HandlerInput) -> Response:
        quiz = quiz_of(handler_input)
        leave(handler_input)
        upcoming = quiz.next_name if quiz else None
        if upcoming is None:
            return say_line(handler_input, lines().stopped_clean)
        return say_line(handler_input, lines().next_later, name=escape(upcoming))


class RetrySaveHandler(LoveHandler):
    """'Yes' to trying the results again: the same partner's item, so saving twice changes nothing."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.YES) and state_is(handler_input, CONFIRM_RETRY)

    def respond(self, handler_input: HandlerInput) -> Response:
        quiz = quiz_of(handler_input)
        if quiz is None:
            leave(handler_input)
            return say_line(handler_input, lines().no_quiz)
        return self.quiz.finish(handler_input, quiz)


class DropResultsHandler(LoveHandler):
    """'No' to trying again: the answers are not kept, and it says so."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.NO) and state_is(handler_input, CONFIRM_RETRY)

    def respond(self, handler_input: HandlerInput) -> Response:
        quiz = quiz_of(handler_input)
        leave(handler_input)
        record_outcome(handler_input, "love_results_dropped")
        if quiz is None:
            return say_line(handler_input, lines().stopped_clean)
        return say_line(handler_input, lines().not_kept, name=escape(quiz.name))


class StopQuizHandler(LoveHandler):
    """Stop or cancel during the quiz (or "no" to who is taking it): the session ends, and whatever was not
    stored is said not to be kept."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        not_now = is_intent(handler_input, Intent.NO) and state_is(handler_input, AWAITING_NAME)
        stopping = is_intent(handler_input, Intent.STOP, Intent.CANCEL) and state_is(handler_input, *STATES)
        return not_now or stopping

    def respond(self, handler_input: HandlerInput) -> Response:
        quiz = quiz_of(handler_input)
        unsaved = quiz is not None and (
            state_is(handler_input, CONFIRM_RETRY) or (state_is(handler_input, ANSWERING) and quiz.answers)
        )
        leave(handler_input)
        record_outcome(handler_input, "love_quiz_stopped")
        if quiz is not None and unsaved:
            return say_line(handler_input, lines().stopped, name=escape(quiz.name))
        return say_line(handler_input, lines().stopped_clean)


class RepeatQuestionHandler(LoveHandler):
    """'Repeat that' during the quiz: the question again."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.REPEAT) and state_is(handler_input, ANSWERING)

    def respond(self, handler_input: HandlerInput) -> Response:
        quiz = quiz_of(handler_input)
        if quiz is None:
            leave(handler_input)
            return say_line(handler_input, lines().no_quiz)
        return self.quiz.ask_question(handler_input, quiz)


class QuizHelpHandler(LoveHandler):
    """Help, or words that are no answer, during the quiz: what the open question wants."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        unclear = (Intent.HELP, Intent.FALLBACK, Intent.YES, Intent.NO, *CHOICE_INTENTS)
        return is_intent(handler_input, *unclear) and state_is(handler_input, *STATES)

    def respond(self, handler_input: HandlerInput) -> Response:
        quiz = quiz_of(handler_input)
        if quiz is None or state_is(handler_input, AWAITING_NAME):
            await_name(handler_input)
            return say_line(handler_input, lines().name_unheard)
        name = escape(quiz.name)
        if state_is(handler_input, CONFIRM_RETRY):
            return say_line(handler_input, lines().retry_help, name=name)
        if state_is(handler_input, NEXT_TAKER):
            return say_line(handler_input, lines().next_taker, name=escape(quiz.next_name or quiz.name))
        asked, reprompt = question_said(len(quiz.answers) + 1)
        lead = lines().help.format(name=name) if is_intent(handler_input, Intent.HELP) else lines().not_heard
        return ask(handler_input, sentences(lead, pause(STEP_PAUSE_MS), asked), reprompt)


class LoveLanguageHandler(LoveHandler):
    """'What's Alex's love language?', 'what are our love languages?'"""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.LOVE_LANGUAGE)

    def respond(self, handler_input: HandlerInput) -> Response:
        household = turn_of(handler_input).household
        name = heard_name(handler_input)
        if name is not None:
            result = self.quiz.results.get(household, name)
            if result is None:
                return say_line(handler_input, lines().not_taken, name=escape(name))
            return tell(handler_input, results_said([result]))
        results = self.quiz.results.all(household)
        if not results:
            return say_line(handler_input, lines().none_taken)
        return tell(handler_input, results_said(results))


class LoveIdeaHandler(LoveHandler):
    """'Give me an idea for Sam tonight': one small idea that fits Sam's first way of feeling loved."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.LOVE_IDEA)

    def respond(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        name = heard_name(handler_input)
        results = (
            [self.quiz.results.get(turn.household, name)] if name else self.quiz.results.all(turn.household)
        )
        found = [result for result in results if result is not None]
        if not found:
            line = lines().not_taken if name else lines().none_taken
            return say_line(handler_input, line, name=escape(name or ""))
        if len(found) > 1:
            first, second = (escape(result.name) for result in found[:2])
            return say_line(handler_input, lines().which_partner, first=first, second=second)
        result = found[0]
        tonight = idea(result, turn.household, night_of(turn.local_now()))
        record_outcome(handler_input, "love_idea")
        if tonight is None:
            return say_line(handler_input, lines().no_idea, name=escape(result.name))
        return tell(handler_input, lines().idea_for.format(name=escape(result.name), idea=tonight))


HANDLERS: tuple[type[Handler], ...] = (
    TakerNameHandler,
    AnswerHandler,
    NextTakerHandler,
    LaterHandler,
    RetrySaveHandler,
    DropResultsHandler,
    StopQuizHandler,
    RepeatQuestionHandler,
    QuizHelpHandler,
    StartQuizHandler,
    AnswerWithoutQuizHandler,
    LoveLanguageHandler,
    LoveIdeaHandler,
)
