"""'Delete all our data': asked once, confirmed by a yes, then everything of the household is removed
(handlers.py)."""

from handlers.base import Feature
from handlers.privacy.state import CONFIRMING
from skill.vocabulary import Intent

FEATURE = Feature(
    name="privacy",
    module="handlers.privacy.handlers",
    intents=frozenset({Intent.DELETE_ALL_DATA}),
    conversational=True,
    states=(CONFIRMING,),
)
