"""Where the jar's conversation is: the session's STATE (the constants below), and what it waits on.

What a state waits on sits beside it under the jar's session keys, always JSON-safe:
- JAR_PENDING: the appreciation not yet stored ({text, author?, ask_author?, sk?, request_id?});
  ask_author: nobody is known to sign it, so once stored, ask who it is from.
- JAR_TO_SIGN: the stored, still unsigned appreciation we asked about ({sk, text, names}: the names we
  suggested, and the "author" a retry would sign). Only stored ones are asked about: walking away from
  the question loses nothing.
- JAR_READ: the view being read ({kind, author?, window?}) and its "cursor" sort key.
- JAR_DELETE_SK: the appreciation read out before "shall I delete it?".
- JAR_NEWEST: the note this session saved (or signed) last ({sk, text}), which "no, it's from Alex"
  corrects in the very next turn.
"""

from typing import Any

from ask_sdk_core.handler_input import HandlerInput

from handlers.base import session
from skill.store.appreciations import APPRECIATION_PREFIX
from skill.vocabulary import SessionKey

AWAITING_TEXT = "appreciation.awaiting_text"
AWAITING_AUTHOR = "appreciation.awaiting_author"
CONFIRM_RETRY = "appreciation.confirm_retry"
CONFIRM_SIGN_RETRY = "appreciation.confirm_sign_retry"
READING = "appreciation.reading"
CONFIRM_DELETE_LAST = "appreciation.confirm_delete_last"
CONFIRM_DELETE_ALL = "appreciation.confirm_delete_all"
CONFIRMING = (CONFIRM_RETRY, CONFIRM_SIGN_RETRY, CONFIRM_DELETE_LAST, CONFIRM_DELETE_ALL)
STATES = (AWAITING_TEXT, AWAITING_AUTHOR, READING, *CONFIRMING)
# What the states wait on: forgotten whenever the conversation moves on.
WAITING_KEYS = (
    SessionKey.JAR_PENDING,
    SessionKey.JAR_TO_SIGN,
    SessionKey.JAR_READ,
    SessionKey.JAR_DELETE_SK,
    SessionKey.JAR_NEWEST,
)


def enter(handler_input: HandlerInput, state: str | None, **waiting_on: Any) -> None:
    """Move the conversation to `state` (None: no state), forgetting what earlier states waited on."""
    attributes = session(handler_input)
    for key in (SessionKey.STATE, *WAITING_KEYS):
        attributes.pop(key, None)
    if state is not None:
        attributes[SessionKey.STATE] = state
    attributes.update(waiting_on)


def newest_note(handler_input: HandlerInput) -> dict[str, str] | None:
    """The note this session saved last, if the session holds a usable one."""
    newest = session(handler_input).get(SessionKey.JAR_NEWEST)
    if not isinstance(newest, dict) or not all(isinstance(newest.get(key), str) for key in ("sk", "text")):
        return None
    return newest if newest["sk"].startswith(APPRECIATION_PREFIX) else None


def suggested_names(handler_input: HandlerInput) -> list[str]:
    """The names "Is it from …?" offered, for a "yes" to mean one of them."""
    waiting = waiting_to_sign(handler_input) or {}
    names = waiting.get("names")
    return [name for name in names if isinstance(name, str)] if isinstance(names, list) else []


def waiting_to_sign(handler_input: HandlerInput) -> dict[str, Any] | None:
    """The stored appreciation the session asks about signing, if the session holds a usable one."""
    waiting = session(handler_input).get(SessionKey.JAR_TO_SIGN)
    if not isinstance(waiting, dict) or not all(isinstance(waiting.get(key), str) for key in ("sk", "text")):
        return None
    if not waiting["sk"].startswith(APPRECIATION_PREFIX):
        return None
    return waiting
