"""Alexa skill events: a disabled skill forgets the household; permission changes are recorded
(handlers.py)."""

from handlers.base import Feature
from skill.vocabulary import RequestType

FEATURE = Feature(
    name="events",
    module="handlers.events.handlers",
    requests=frozenset(
        {RequestType.SKILL_DISABLED, RequestType.PERMISSION_ACCEPTED, RequestType.PERMISSION_CHANGED}
    ),
)
