"""Tonight's question's handlers: what each request means, given the question on the table."""

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_slot
from ask_sdk_model import Response
from ask_sdk_model.slu.entityresolution import StatusCode

from content import phrases
from content.questions import THIRTY_SIX, Deck, question_bank
from handlers.base import Handler, is_intent
from handlers.question.service import Questions
from handlers.question.state import Mode, in_question_context, on_table
from handlers.question.wording import present, present_thirty_six
from handlers.respond import say_line
from skill.speech import escape
from skill.store import Store
from skill.vocabulary import Intent, Slot


class QuestionHandler(Handler):
    """A handler that picks questions, through the household's Questions."""

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.questions = Questions(store)


class TonightsQuestionHandler(QuestionHandler):
    """Tonight's question, asked for in a session or as a one-shot from any device of the household."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.TONIGHTS_QUESTION)

    def respond(self, handler_input: HandlerInput) -> Response:
        return self.questions.tonight(handler_input)


class AnotherQuestionHandler(QuestionHandler):
    """Another one: more of what is on the table (the 36 go on in order). Amazon's "next" only counts
    while a question is on the table; our own "another question" works as a one-shot too."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.ANOTHER_QUESTION) or (
            is_intent(handler_input, Intent.NEXT) and in_question_context(handler_input)
        )

    def respond(self, handler_input: HandlerInput) -> Response:
        context = on_table(handler_input) or {}
        if context.get("mode") == Mode.THIRTY_SIX:
            return self.questions.thirty_six(handler_input, continuing=True)
        deck = question_bank().deck(str(context.get("deck"))) if context.get("mode") == Mode.DECK else None
        line = phrases().question.from_deck if deck else phrases().question.another
        return self.questions.more(handler_input, line, deck)


class SkipQuestionHandler(QuestionHandler):
    """Skip: a different question in its place; skipping tonight's question replaces it for the night."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.SKIP_QUESTION)

    def respond(self, handler_input: HandlerInput) -> Response:
        context = on_table(handler_input) or {"mode": Mode.TONIGHT}
        mode = context.get("mode")
        if mode == Mode.THIRTY_SIX:
            return self.questions.thirty_six(handler_input, continuing=True, skipping=True)
        if mode == Mode.TONIGHT:
            return self.questions.replace_tonight(handler_input)
        deck = question_bank().deck(str(context.get("deck"))) if mode == Mode.DECK else None
        return self.questions.more(handler_input, phrases().question.skipped, deck)


class RepeatQuestionHandler(Handler):
    """Repeat, while a question is on the table: the same words again, without touching the store."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.REPEAT) and in_question_context(handler_input)

    def respond(self, handler_input: HandlerInput) -> Response:
        context = on_table(handler_input)
        assert context is not None, "can_handle saw a question on the table"
        question = question_bank().question(str(context["id"]))
        assert question is not None, "on_table only returns questions the bank has"
        if context.get("mode") == Mode.THIRTY_SIX:
            return present_thirty_six(handler_input, question_bank().thirty_six.index(question) + 1, "")
        heading = "Tonight's question" if context.get("mode") == Mode.TONIGHT else "Once more"
        return present(handler_input, phrases().question.repeat, question, heading, context)


class ThirtySixQuestionsHandler(QuestionHandler):
    """The thirty-six questions: start them, or pick up where the household left off."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.THIRTY_SIX_QUESTIONS)

    def respond(self, handler_input: HandlerInput) -> Response:
        return self.questions.thirty_six(handler_input, continuing=False)


def _deck_in_slot(handler_input: HandlerInput) -> Deck | None:
    """The deck Alexa resolved the deck slot to, if she resolved it to one we have."""
    slot = get_slot(handler_input, Slot.DECK)
    authorities = slot.resolutions.resolutions_per_authority if slot and slot.resolutions else None
    for authority in authorities or []:
        if authority.status and authority.status.code == StatusCode.ER_SUCCESS_MATCH and authority.values:
            return question_bank().deck(authority.values[0].value.id)
    return None


class DeckQuestionHandler(QuestionHandler):
    """A question about a deck (the future, say): one from it; an unknown or missing deck gets the choices."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.DECK_QUESTION)

    def respond(self, handler_input: HandlerInput) -> Response:
        deck = _deck_in_slot(handler_input)
        if deck is not None and deck.id == THIRTY_SIX:
            return self.questions.thirty_six(handler_input, continuing=False)
        if deck is not None:
            return self.questions.more(handler_input, phrases().question.from_deck, deck)
        names = [choice.spoken_name for choice in question_bank().decks if choice.in_rotation]
        decks = escape(", ".join(names[:-1]) + ", and " + names[-1])
        return say_line(handler_input, phrases().question.which_deck, decks=decks)


class QuestionHelpHandler(Handler):
    """Help while a question is on the table: what can be said about it."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.HELP) and in_question_context(handler_input)

    def respond(self, handler_input: HandlerInput) -> Response:
        return say_line(handler_input, phrases().question.help)


HANDLERS: tuple[type[Handler], ...] = (
    TonightsQuestionHandler,
    AnotherQuestionHandler,
    SkipQuestionHandler,
    RepeatQuestionHandler,
    ThirtySixQuestionsHandler,
    DeckQuestionHandler,
    QuestionHelpHandler,
)
