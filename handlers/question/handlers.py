"""Tonight's question's handlers: what each request means, given the question on the table."""

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_slot
from ask_sdk_model import Response
from ask_sdk_model.slu.entityresolution import StatusCode

from content import phrases
from content.questions import THIRTY_SIX, Deck, question_bank
from handlers.base import Handler, is_intent
from handlers.question.service import Questions
from handlers.question.state import Mode, in_question_context
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


def _fresh_session(handler_input: HandlerInput) -> bool:
    """A one-shot ("Alexa, ask Closer Together …"): nothing earlier in this session to act on."""
    current = handler_input.request_envelope.session
    return current is None or bool(current.new)


class AnotherQuestionHandler(QuestionHandler):
    """Another one: more of what was last asked tonight (the 36 go on in order, a deck stays the deck).
    Amazon's "next" counts while a question is on the table, or as a one-shot."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.ANOTHER_QUESTION) or (
            is_intent(handler_input, Intent.NEXT)
            and (in_question_context(handler_input) or _fresh_session(handler_input))
        )

    def respond(self, handler_input: HandlerInput) -> Response:
        context = self.questions.last_asked(handler_input) or {}
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
        context = self.questions.last_asked(handler_input) or {"mode": Mode.TONIGHT}
        mode = context.get("mode")
        if mode == Mode.THIRTY_SIX:
            return self.questions.thirty_six(handler_input, continuing=True, skipping=True)
        if mode == Mode.TONIGHT:
            return self.questions.replace_tonight(handler_input)
        deck = question_bank().deck(str(context.get("deck"))) if mode == Mode.DECK else None
        return self.questions.more(handler_input, phrases().question.skipped, deck)


class RepeatQuestionHandler(QuestionHandler):
    """Repeat (or "what was the question?") while a question is on the table, or as a one-shot: the same
    words again; with nothing asked tonight, tonight's question."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.REPEAT) and (
            in_question_context(handler_input) or _fresh_session(handler_input)
        )

    def respond(self, handler_input: HandlerInput) -> Response:
        context = self.questions.last_asked(handler_input)
        if context is None:
            return self.questions.tonight(handler_input)
        return self.questions.repeat(handler_input, context)


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
