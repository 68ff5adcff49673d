"""What makes you feel loved: a short spoken quiz for each partner in turn (ten either-or questions, each
answered the first, the second, both or neither), their results as a warm sentence with one small idea for
tonight, and, any time after, a partner's results or an idea for them.

The five ways of feeling loved are a well-known idea; the questions and ideas are the skill's own
(content/love.json). Each partner's results are one DynamoDB item (skill/store/love.py), in the household's
partition, so "delete all our data" and the purge on disable remove them with everything else.
"""

from handlers.base import Feature
from handlers.love.state import SESSION_KEYS, STATES
from skill.vocabulary import Intent

FEATURE = Feature(
    name="love",
    module="handlers.love.handlers",
    intents=frozenset(
        {
            Intent.START_LOVE_QUIZ,
            Intent.FIRST_CHOICE,
            Intent.SECOND_CHOICE,
            Intent.BOTH_CHOICES,
            Intent.NEITHER_CHOICE,
            Intent.LOVE_LANGUAGE,
            Intent.LOVE_IDEA,
        }
    ),
    conversational=True,
    states=STATES,
    session_keys=SESSION_KEYS,
)
