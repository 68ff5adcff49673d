"""Request handlers, one module per feature; `request_handlers` lists them in dispatch order."""

from dataclasses import dataclass

from ask_sdk_core.dispatch_components import AbstractRequestHandler

from skill.store import Store


@dataclass(frozen=True)
class Dependencies:
    """What handlers are given by the composition root."""

    store: Store


def request_handlers(deps: Dependencies) -> list[AbstractRequestHandler]:
    """Every handler, features before the built-ins so a feature's own help and yes/no win in its state."""
    from handlers import appreciation, builtin, checkin, events, privacy, question

    return [
        *events.handlers(deps),
        *privacy.handlers(deps),
        # Before question: in the jar's "who is it from?" state, "skip" (SkipQuestionIntent) means unsigned.
        *appreciation.handlers(deps),
        *question.handlers(deps),
        *checkin.handlers(deps),
        *builtin.handlers(deps),
    ]


# Features that hold a conversation open. "state" values and context keys start with the feature's name.
CONVERSATIONAL_FEATURES = frozenset({"appreciation", "checkin", "privacy", "question"})
STATE_KEY = "state"


def feature_of(request_handler: AbstractRequestHandler) -> str:
    """The feature a handler belongs to: its module's name (handlers/<feature>.py)."""
    return type(request_handler).__module__.rsplit(".", 1)[-1]


def end_other_conversations(session: dict[str, object], feature: str) -> None:
    """After a feature answers, drop the open question of every other feature.

    A "yes" must confirm what the couple was just asked, not a deletion offered three turns and one
    tonight's question ago; nor may "next" serve a question after they moved on to the jar."""
    if feature not in CONVERSATIONAL_FEATURES:
        return
    state = session.get(STATE_KEY)
    if state is not None and (not isinstance(state, str) or state.split(".", 1)[0] != feature):
        del session[STATE_KEY]
    for other in CONVERSATIONAL_FEATURES - {feature}:
        session.pop(other, None)
