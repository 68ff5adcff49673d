"""The monthly check-in: an opening drawn from the household's own month (last month's plan read back, the
month's check-ins and appreciations as a gift, two of those appreciations if the couple would like them),
then three timed parts (what worked, what did not, one new way to connect), then one thing to try this
month, kept and read back next time.

Its timing is the check-in's (handlers/checkin, a check-in of the monthly kind): the same timers, pause,
resume, end and time left. Its plans are one DynamoDB item each (skill/store/month_plans.py).
"""

from handlers.base import Feature
from handlers.monthly.state import SESSION_KEYS, STATES
from skill.vocabulary import Intent

FEATURE = Feature(
    name="monthly",
    module="handlers.monthly.handlers",
    intents=frozenset({Intent.START_MONTHLY_CHECKIN, Intent.MONTHLY_PLAN}),
    conversational=True,
    states=STATES,
    session_keys=SESSION_KEYS,
)
