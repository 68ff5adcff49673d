"""The appreciation jar: what one partner appreciates about the other, saved, read back and tidied away."""

from handlers.appreciation.handlers import HANDLERS
from handlers.appreciation.state import STATES, WAITING_KEYS
from handlers.base import Feature

FEATURE = Feature(
    name="appreciation",
    handlers=HANDLERS,
    conversational=True,
    states=STATES,
    session_keys=WAITING_KEYS,
)
