"""Tonight's question: one per household per night, more on request, a deck of choice, the 36 in order."""

from handlers.base import Feature
from handlers.question.handlers import HANDLERS
from handlers.question.state import STATES

FEATURE = Feature(
    name="question",
    handlers=HANDLERS,
    conversational=True,
    states=STATES,
)
