"""Tonight's question's handlers: what each request means, given the question on the table."""

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_slot
from ask_sdk_model import Response
from ask_sdk_model.slu.entityresolution import StatusCode

from content import phrases
from content.questions import THIRTY_SIX, Deck, question_bank
from handlers.base import Handler, is_intent, is_one_shot, session, state_is
from handlers.question.service import Questions
from handlers.question.state import OFFER_TONIGHT, Mode
from handlers.respond import say_line
from skill.speech import escape
from skill.store import Store
from skill.vocabulary import Intent, SessionKey, Slot


class QuestionHandler(Handler):
    """A handler that picks questions, through the household's Questions."""

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.questions = Questions(store)


class AcceptTonightHandler(QuestionHandler):
    """'Yes' to the welcome's "Shall I ask tonight's question?"."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.YES) and state_is(handler_input, OFFER_TONIGHT)

    def respond(self, handler_input: HandlerInput) -> Response:
        session(handler_input).pop(SessionKey.STATE, None)
        return self.questions.tonight(handler_input)


class TonightsQuestionHandler(QuestionHandler):
    """Tonight's question, asked for in a session or as a one-shot from any device of the household."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.TONIGHTS_QUESTION)

    def respond(self, handler_input: HandlerInput) -> Response:
        return self.questions.tonight(handler_input)


class AnotherQuestionHandler(QuestionHandler):
    """Another one: more of what was last asked tonight (the 36 go on in order, a deck stays the deck).
    Amazon's "next" counts as a one-shot ("Alexa, tell Closer Together next"), not inside another talk."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.ANOTHER_QUESTION) or (
            is_intent(handler_input, Intent.NEXT) and is_one_shot(handler_input)
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
    """Repeat (or "what was the question?") as a one-shot: the question last asked tonight, word for word;
    with nothing asked tonight, tonight's question."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent(handler_input, Intent.REPEAT) and is_one_shot(handler_input)

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


HANDLERS: tuple[type[Handler], ...] = (
    AcceptTonightHandler,
    TonightsQuestionHandler,
    AnotherQuestionHandler,
    SkipQuestionHandler,
    RepeatQuestionHandler,
    ThirtySixQuestionsHandler,
    DeckQuestionHandler,
)
