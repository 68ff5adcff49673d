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
    from handlers import builtin

    return [*builtin.handlers(deps)]
