"""The appreciation jar: what one partner appreciates about the other, saved, read back and tidied away."""

from handlers.appreciation.state import STATES, WAITING_KEYS
from handlers.base import Feature
from skill.vocabulary import Intent

FEATURE = Feature(
    name="appreciation",
    module="handlers.appreciation.handlers",
    intents=frozenset(
        {
            Intent.SAVE_APPRECIATION,
            Intent.LOG_APPRECIATION,
            Intent.APPRECIATION_AUTHOR,
            Intent.NAME,
            Intent.READ_APPRECIATIONS,
            Intent.READ_WEEK_APPRECIATIONS,
            Intent.READ_AUTHOR_APPRECIATIONS,
            Intent.MORE_APPRECIATIONS,
            Intent.COUNT_APPRECIATIONS,
            Intent.DELETE_LAST_APPRECIATION,
            Intent.DELETE_ALL_APPRECIATIONS,
        }
    ),
    conversational=True,
    states=STATES,
    session_keys=WAITING_KEYS,
)
