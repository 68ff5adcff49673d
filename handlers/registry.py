"""Every feature, in dispatch order, and the focus rule between them."""

from typing import Any

from handlers import appreciation, builtin, checkin, events, privacy, question
from handlers.base import Feature
from skill.vocabulary import SessionKey

# Features before the built-ins, so a feature's own help and yes/no win in its state; the jar before the
# questions, so "skip" while it asks who a note is from means "unsigned", not "skip this question".
FEATURES: tuple[Feature, ...] = (
    events.FEATURE,
    privacy.FEATURE,
    appreciation.FEATURE,
    question.FEATURE,
    checkin.FEATURE,
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
