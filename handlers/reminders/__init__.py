"""Reminders: the rituals come back on their own. "Remind us to check in every evening at half past
eight" sets an Alexa reminder that recurs in the household's time zone, once the couple has heard exactly
what will be set and said yes, and once they have granted the reminders permission (asked for by voice,
Connections.SendRequest "AskFor", the first time). They can list, move and cancel them; the Reminders API
is the source of truth, and the household's record only an index of the reminders this skill created.
Once in a household's life, after a check-in ends, a reminder is offered (offer.py).
"""

from handlers.base import Feature
from handlers.reminders.state import STATES
from skill.vocabulary import Intent, RequestType, SessionKey

FEATURE = Feature(
    name="reminders",
    module="handlers.reminders.handlers",
    intents=frozenset(
        {
            Intent.SET_REMINDER,
            Intent.REMINDER_TIME,
            Intent.LIST_REMINDERS,
            Intent.CHANGE_REMINDER,
            Intent.CANCEL_REMINDER,
        }
    ),
    requests=frozenset({RequestType.CONNECTIONS_RESPONSE}),
    conversational=True,
    states=STATES,
    session_keys=(SessionKey.REMINDER_PENDING,),
)
