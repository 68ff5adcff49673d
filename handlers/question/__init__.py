"""Tonight's question: one per household per night, more on request, a deck of choice, the 36 in order."""

from handlers.base import Feature
from handlers.question.state import STATES
from skill.vocabulary import Intent

FEATURE = Feature(
    name="question",
    module="handlers.question.handlers",
    intents=frozenset(
        {
            Intent.TONIGHTS_QUESTION,
            Intent.ANOTHER_QUESTION,
            Intent.NEXT,
            Intent.SKIP_QUESTION,
            Intent.REPEAT,
            Intent.THIRTY_SIX_QUESTIONS,
            Intent.DECK_QUESTION,
        }
    ),
    conversational=True,
    states=STATES,
)
