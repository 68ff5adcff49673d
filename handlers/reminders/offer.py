"""A reminder offered, never pushed: once in a household's life, after a ritual ends, only when that reply
would have closed the session anyway, and only when the two together still fit the speech budget (else it
waits for another time). The offer is noted before it is made, so it is never made twice, whatever the
answer (a "no" is final; the couple can always ask for a reminder themselves)."""

import logging

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from content.models import MAX_LINE_WORDS, SpokenLine
from handlers import reminders
from handlers.reminders.draft import Draft, Ritual
from handlers.reminders.pending import asking
from handlers.reminders.state import OFFER
from handlers.reminders.wording import lines, ritual_words
from handlers.respond import ask, say_line
from skill.context import turn_of
from skill.logs import log_event
from skill.speech import sentences, strip_tags
from skill.store import Store
from skill.store.reminders import ReminderIndex
from skill.store.table import StoreUnavailableError
from skill.vocabulary import RequestKey

log = logging.getLogger(__name__)


def _first_offer(handler_input: HandlerInput, store: Store, ritual: Ritual) -> bool:
    """Whether to offer now: never offered before, and no reminder of ours for this ritual yet. A table
    that cannot say means no offer."""
    turn = turn_of(handler_input)
    index = ReminderIndex(store.table)
    try:
        if index.offered(turn.household):
            return False
        index.note_offer(turn.household, turn.now.isoformat())
        return ritual.value not in index.rituals(turn.household).values()
    except StoreUnavailableError:
        log_event(log, "reminder_offer_unknown", level=logging.WARNING)
        return False


def after_ritual(
    handler_input: HandlerInput, store: Store, ritual: Ritual, line: SpokenLine, *after: str
) -> Response:
    """Say a ritual's closing line (and what follows it), with the offer of a reminder for it the first
    time; a line that keeps the session open is said as it is."""
    what = ritual_words(ritual).what
    offer = lines().offer
    speech = sentences(line.speech, *after, offer.speech.format(what=what))
    fits = len(strip_tags(speech).split()) <= MAX_LINE_WORDS
    if line.reprompt is not None or not fits or not _first_offer(handler_input, store, ritual):
        return say_line(handler_input, line, *after)
    asking(handler_input, OFFER, Draft(ritual=ritual))
    # The open question is ours now: the focus rule must keep it, and drop the ended ritual's.
    handler_input.attributes_manager.request_attributes[RequestKey.FEATURE] = reminders.FEATURE
    return ask(handler_input, speech, offer.reprompt.format(what=what))
