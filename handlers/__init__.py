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
