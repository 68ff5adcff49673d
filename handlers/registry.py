"""Every feature, in dispatch order, and the focus rule between them."""

from typing import Any

from handlers import appreciation, builtin, checkin, events, love, monthly, privacy, question, reminders
from handlers.base import Feature
from skill.vocabulary import SessionKey

# Features before the built-ins, so a feature's own help and yes/no win in its state; the jar before the
# questions, so "skip" while it asks who a note is from means "unsigned", not "skip this question"; the
# quiz before both, so "I'm Sam" names who takes it and "skip" passes on its question while it is going.
FEATURES: tuple[Feature, ...] = (
    events.FEATURE,
    privacy.FEATURE,
    love.FEATURE,
    appreciation.FEATURE,
    question.FEATURE,
    checkin.FEATURE,
    monthly.FEATURE,
    reminders.FEATURE,
    builtin.FEATURE,
)


def end_other_conversations(session: dict[str, Any], answered_by: Feature) -> None:
    """After a feature answers, drop the open question of every other conversational feature.

    A "yes" must confirm what the couple was just asked, not a deletion offered three turns and one
    tonight's question ago; nor may "next" serve a question after they moved on to the jar."""
    if not answered_by.conversational:
        return
    if session.get(SessionKey.STATE) not in (None, *answered_by.states):
        del session[SessionKey.STATE]
    for other in FEATURES:
        if other is not answered_by and other.conversational:
            for key in other.session_keys:
                session.pop(key, None)
