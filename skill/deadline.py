"""The time a turn has left: every DynamoDB, SQS and Alexa API call of a turn fits inside it.

Alexa waits 8 seconds for an answer, counted from before the request reaches us (its network, a cold
start), and Lambda stops the function at its own timeout. A turn's deadline is the sooner of the two, less
what the answer itself needs; each call takes its timeouts and retries from what is left, so however slow
a service is, the turn still answers, and says truly what did not happen.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Protocol

# What of Alexa's 8 seconds a turn may spend: the rest is the request's way to us and back and a cold start.
TURN_SECONDS = 5.0
# Kept back from Lambda's remaining time to build, log and return the answer after the last call.
ANSWER_RESERVE_SECONDS = 0.5


class LambdaContext(Protocol):
    """The part of Lambda's context object a deadline reads."""

    def get_remaining_time_in_millis(self) -> int: ...


@dataclass(frozen=True)
class Deadline:
    """A moment on the monotonic clock by which the work in hand must be over."""

    at: float

    @classmethod
    def after(cls, seconds: float) -> "Deadline":
        return cls(time.monotonic() + max(seconds, 0.0))

    @classmethod
    def for_invocation(cls, context: LambdaContext | None, limit: float) -> "Deadline":
        """At most `limit` seconds from now, and never past what Lambda leaves us to answer in."""
        seconds = limit
        if context is not None:
            seconds = min(seconds, context.get_remaining_time_in_millis() / 1000 - ANSWER_RESERVE_SECONDS)
        return cls.after(seconds)

    @classmethod
    def for_turn(cls, context: LambdaContext | None) -> "Deadline":
        """An Alexa turn's: inside Alexa's wait and Lambda's timeout (context None: Alexa's wait alone)."""
        return cls.for_invocation(context, TURN_SECONDS)

    def remaining(self) -> float:
        """Seconds left, never negative."""
        return max(self.at - time.monotonic(), 0.0)

    def sooner(self, seconds: float) -> "Deadline":
        """This deadline brought forward, keeping `seconds` back for what must follow."""
        return Deadline(self.at - seconds)


_current: ContextVar[Deadline | None] = ContextVar("closer_together_deadline", default=None)


@contextmanager
def within(deadline: Deadline) -> Iterator[Deadline]:
    """Run the block's calls inside `deadline` (per thread, so a web server's turns keep their own)."""
    token = _current.set(deadline)
    try:
        yield deadline
    finally:
        _current.reset(token)


def current() -> Deadline:
    """The deadline of the work in hand; outside any turn (a tool, a script), a turn's length from now."""
    return _current.get() or Deadline.after(TURN_SECONDS)


def running() -> bool:
    """Whether a deadline is set for the work in hand."""
    return _current.get() is not None
