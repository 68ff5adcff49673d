"""The check-in: a short spoken guide, then a device-free conversation timed by Alexa timers, daily (two
halves) or monthly (three parts: handlers/checkin/rituals.py says how the two differ).

A halfway timer announces the switch of speakers and an end timer closes with a nudge to appreciate each
other. Without the timers permission the skill asks for it by voice (Connections.SendRequest "AskFor");
if the household declines, it offers the guide without a timer. While a check-in runs it can be asked how
long is left, paused, resumed and ended early. Every check-in is one DynamoDB item (skill/store/checkins.py).

A household can also cancel the timers by saying "Alexa, cancel the timer", and a timer that has rung is
gone too: the Timers API answers 404. A check-in whose end timer is gone is over, whatever our record says,
so it is closed and said to be, and never said to be paused, resumed or to have minutes left.
"""

from handlers.base import Feature
from handlers.checkin.state import SESSION_KEYS, STATES
from skill.vocabulary import Intent, RequestType

FEATURE = Feature(
    name="checkin",
    module="handlers.checkin.handlers",
    intents=frozenset(
        {
            Intent.START_CHECKIN,
            Intent.CHECKIN_TIME_LEFT,
            Intent.PAUSE_CHECKIN,
            Intent.PAUSE,
            Intent.RESUME_CHECKIN,
            Intent.RESUME,
            Intent.END_CHECKIN,
            Intent.CHECKIN_COUNT,
            Intent.FALLBACK,  # while a check-in runs, whatever was misheard must not reopen the microphone
        }
    ),
    requests=frozenset({RequestType.CONNECTIONS_RESPONSE}),
    conversational=True,
    states=STATES,
    session_keys=SESSION_KEYS,
)
