"""Tonight's question: one per household per night, more on request, a deck of choice, the 36 in order."""

import hashlib
import json
import logging
from datetime import datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_slot, get_supported_interfaces, is_intent_name
from ask_sdk_model import Response
from ask_sdk_model.slu.entityresolution import StatusCode

from content import phrases
from content.models import ListeningLine
from content.questions import PER_SET, THIRTY_SIX, Deck, Question, question_bank, question_screen
from handlers import Dependencies
from handlers.respond import ask, record_outcome, say_line
from skill.context import turn_of
from skill.speech import escape, pause, sentences
from skill.store import QuestionProgress, Store, StoreUnavailableError

log = logging.getLogger(__name__)

# A night runs from 04:00 to 04:00 local: a couple still talking at one in the morning is still "tonight".
NIGHT_STARTS = timedelta(hours=4)
# Session attribute naming the question on the table, so next, repeat, skip and help know what they act on.
CONTEXT = "question"
SCREEN_TOKEN = "closer-together-question"
FOLLOW_UP_PAUSE_MS = 700
_NUMBER_WORDS = (
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven"),
    *("twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"),
)
_TENS = {20: "twenty", 30: "thirty"}


class Mode(StrEnum):
    """Where the question on the table came from, which decides what "another one" means."""

    TONIGHT = "tonight"
    ROTATION = "rotation"
    DECK = "deck"
    THIRTY_SIX = "thirty_six"


def night_of(local_now: datetime) -> str:
    """The household's night as an ISO date: the hours before 04:00 belong to the evening before."""
    return (local_now - NIGHT_STARTS).date().isoformat()


def spoken_number(number: int) -> str:
    """1 to 39 in words ("fourteen", "thirty-six"): Alexa reads them, and the card shows the same."""
    if number < len(_NUMBER_WORDS):
        return _NUMBER_WORDS[number]
    tens, units = divmod(number, 10)
    return _TENS[tens * 10] + (f"-{_NUMBER_WORDS[units]}" if units else "")


@lru_cache(maxsize=64)
def household_order(household: str, deck: str | None) -> tuple[Question, ...]:
    """A deck (or, for None, the whole rotation) shuffled for one household, the same shuffle every time:
    each household has its own sequence, and a question comes round again only after all the others."""
    bank = question_bank()
    pool = bank.in_deck(deck) if deck else bank.rotation
    return tuple(
        sorted(pool, key=lambda question: hashlib.sha256(f"{household}|{question.id}".encode()).digest())
    )


def next_in(household: str, progress: QuestionProgress, deck: str | None) -> Question:
    """The household's next question of a deck (None: the rotation), counted as asked. It depends only on
    the household and its progress, so every device picks the same one, and so does a retried turn."""
    order = household_order(household, deck)
    asked = set(progress.asked)
    question = next((question for question in order if question.id not in asked), None)
    if question is None:  # every question of the pool has been asked: the next round begins
        pool_ids = {member.id for member in order}
        progress.asked = [asked_id for asked_id in progress.asked if asked_id not in pool_ids]
        question = order[0]
    progress.asked.append(question.id)
    return question


def pick_without_progress(
    household: str, night: str, pool: tuple[Question, ...], avoid: str | None
) -> Question:
    """A question when the table can't be read: it varies with the night, and is never the one on the
    table, so an outage doesn't mean hearing the same question over and over."""
    choices = [question for question in pool if question.id != avoid]
    digest = hashlib.sha256(f"{household}|{night}|{avoid}".encode()).digest()
    return choices[int.from_bytes(digest[:8], "big") % len(choices)]


def _context(handler_input: HandlerInput) -> dict[str, Any] | None:
    """The question on the table in this session, if it is one we still have."""
    context = handler_input.attributes_manager.session_attributes.get(CONTEXT)
    if not isinstance(context, dict) or question_bank().question(str(context.get("id"))) is None:
        return None
    return context


def in_question_context(handler_input: HandlerInput) -> bool:
    """Whether the last thing this session did was ask a question."""
    return _context(handler_input) is not None


def _load(store: Store, household: str) -> QuestionProgress | None:
    """The household's progress, or None when DynamoDB fails (and then nothing may be written back)."""
    try:
        return store.question_progress(household)
    except StoreUnavailableError as error:
        log.warning(json.dumps({"event": "question_progress_unavailable", "error": str(error)}))
        return None


def _save(handler_input: HandlerInput, store: Store, household: str, progress: QuestionProgress) -> None:
    """Write progress back; a failure is logged, and the question is still asked, because the pick is
    deterministic: asking again tonight gives the same one."""
    try:
        store.save_question_progress(household, progress)
    except StoreUnavailableError as error:
        record_outcome(handler_input, "progress_not_saved")
        log.warning(json.dumps({"event": "question_progress_not_saved", "error": str(error)}))


def _spoken(question: Question) -> str:
    """The question as SSML, its follow-up after a pause in which to take it in."""
    if question.follow_up is None:
        return escape(question.text)
    return sentences(escape(question.text), pause(FOLLOW_UP_PAUSE_MS), escape(question.follow_up))


def _present(
    handler_input: HandlerInput,
    line: ListeningLine,
    question: Question,
    heading: str,
    context: dict[str, str],
    **fill: str,
) -> Response:
    """Ask a question aloud, remember it for next/repeat/skip, and show it: APL on screens, else a card."""
    handler_input.attributes_manager.session_attributes[CONTEXT] = {**context, "id": question.id}
    if get_supported_interfaces(handler_input).alexa_presentation_apl is not None:
        # Only screens need APL's models, a cold start's ~8 ms to import.
        from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective

        handler_input.response_builder.add_directive(
            RenderDocumentDirective(
                token=SCREEN_TOKEN,
                document=question_screen(),
                datasources={
                    "question": {
                        "heading": heading,
                        "text": question.text,
                        "followUp": question.follow_up or "",
                    }
                },
            )
        )
    speech = line.speech.format(question=_spoken(question), **fill).strip()
    card = sentences(f"{heading}:", question.text, question.follow_up or "")
    return ask(handler_input, speech, line.reprompt, card=card)


class _QuestionHandler(AbstractRequestHandler):
    """Shared by the handlers that pick questions: the store, and the flows they have in common."""

    def __init__(self, deps: Dependencies) -> None:
        self.store = deps.store

    def tonight(self, handler_input: HandlerInput) -> Response:
        """Tonight's question: picked once a night, the same on every device of the household."""
        turn = turn_of(handler_input)
        return self._tonight(handler_input, night_of(turn.local_now()), _load(self.store, turn.household))

    def _tonight(self, handler_input: HandlerInput, night: str, loaded: QuestionProgress | None) -> Response:
        household = turn_of(handler_input).household
        bank = question_bank()
        if loaded is None:
            question = pick_without_progress(household, night, bank.rotation, None)
            return self._tonight_reply(handler_input, phrases().question.tonight, question)
        if loaded.tonight_night == night and (picked := bank.question(loaded.tonight_id or "")):
            return self._tonight_reply(handler_input, phrases().question.tonight_again, picked)
        question = next_in(household, loaded, None)
        loaded.tonight_night, loaded.tonight_id = night, question.id
        _save(handler_input, self.store, household, loaded)
        return self._tonight_reply(handler_input, phrases().question.tonight, question)

    @staticmethod
    def _tonight_reply(handler_input: HandlerInput, line: ListeningLine, question: Question) -> Response:
        return _present(handler_input, line, question, "Tonight's question", {"mode": Mode.TONIGHT})

    def more(self, handler_input: HandlerInput, line: ListeningLine, deck: Deck | None) -> Response:
        """A further question from a deck, or from the whole rotation; tonight's question stays as it was."""
        turn = turn_of(handler_input)
        return self._more(
            handler_input, line, deck, night_of(turn.local_now()), _load(self.store, turn.household)
        )

    def _more(
        self,
        handler_input: HandlerInput,
        line: ListeningLine,
        deck: Deck | None,
        night: str,
        loaded: QuestionProgress | None,
    ) -> Response:
        household = turn_of(handler_input).household
        if loaded is None:
            pool = question_bank().in_deck(deck.id) if deck else question_bank().rotation
            on_table = _context(handler_input) or {}
            question = pick_without_progress(household, night, pool, on_table.get("id"))
        else:
            question = next_in(household, loaded, deck.id if deck else None)
            _save(handler_input, self.store, household, loaded)
        if deck is None:
            return _present(handler_input, line, question, "Another question", {"mode": Mode.ROTATION})
        heading = f"A question about {deck.spoken_name}"
        context = {"mode": Mode.DECK, "deck": deck.id}
        return _present(handler_input, line, question, heading, context, deck=deck.spoken_name)

    def replace_tonight(self, handler_input: HandlerInput) -> Response:
        """Skip tonight's question: it stays counted, so it won't come straight back, and the new one
        becomes tonight's question for the rest of the night."""
        turn = turn_of(handler_input)
        night = night_of(turn.local_now())
        loaded = _load(self.store, turn.household)
        if loaded is None:
            return self._more(handler_input, phrases().question.skipped, None, night, None)
        if loaded.tonight_night != night:
            # Nothing was asked tonight, so there is nothing to skip: ask tonight's.
            return self._tonight(handler_input, night, loaded)
        question = next_in(turn.household, loaded, None)
        loaded.tonight_id = question.id
        _save(handler_input, self.store, turn.household, loaded)
        return self._tonight_reply(handler_input, phrases().question.skipped, question)

    def thirty_six(
        self, handler_input: HandlerInput, *, continuing: bool, skipping: bool = False
    ) -> Response:
        """The next of the 36, in order across sessions. Starting (not continuing) says where they are;
        continuing past the last question says they are done rather than starting again unasked."""
        household = turn_of(handler_input).household
        progress = _load(self.store, household)
        lines = phrases().question
        if progress is None:
            return say_line(handler_input, lines.thirty_six_unavailable)
        bank = question_bank()
        position = max(progress.thirty_six_next, 1)
        intro = [lines.thirty_six_skipped] if skipping else []
        if position > len(bank.thirty_six):
            if continuing:
                return say_line(handler_input, lines.thirty_six_done)
            position = 1
            intro.append(lines.thirty_six_again)
        elif not continuing:
            intro.append(lines.thirty_six_begin if position == 1 else lines.thirty_six_resume)
        if (position - 1) % PER_SET == 0:
            number = (position - 1) // PER_SET + 1
            intro.append(
                lines.thirty_six_set.format(number=spoken_number(number), title=bank.set_title(number))
            )
        progress.thirty_six_next = position + 1
        _save(handler_input, self.store, household, progress)
        return thirty_six_reply(handler_input, position, " ".join(intro))


def thirty_six_reply(handler_input: HandlerInput, position: int, intro: str) -> Response:
    """Say one of the 36 with its place: "question fourteen of thirty-six"."""
    return _present(
        handler_input,
        phrases().question.thirty_six,
        question_bank().thirty_six[position - 1],
        f"Question {position} of 36",
        {"mode": Mode.THIRTY_SIX},
        intro=escape(intro),
        number=spoken_number(position),
    )


class TonightsQuestionHandler(_QuestionHandler):
    """Tonight's question, asked for in a session or as a one-shot from any device of the household."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("TonightsQuestionIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return self.tonight(handler_input)


class AnotherQuestionHandler(_QuestionHandler):
    """Another one: more of what is on the table (the 36 go on in order). Amazon's "next" only counts
    while a question is on the table; our own "another question" works as a one-shot too."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AnotherQuestionIntent")(handler_input) or (
            is_intent_name("AMAZON.NextIntent")(handler_input) and in_question_context(handler_input)
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        context = _context(handler_input) or {}
        if context.get("mode") == Mode.THIRTY_SIX:
            return self.thirty_six(handler_input, continuing=True)
        deck = question_bank().deck(str(context.get("deck"))) if context.get("mode") == Mode.DECK else None
        line = phrases().question.from_deck if deck else phrases().question.another
        return self.more(handler_input, line, deck)


class SkipQuestionHandler(_QuestionHandler):
    """Skip: a different question in its place; skipping tonight's question replaces it for the night."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("SkipQuestionIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        context = _context(handler_input) or {"mode": Mode.TONIGHT}
        mode = context.get("mode")
        if mode == Mode.THIRTY_SIX:
            return self.thirty_six(handler_input, continuing=True, skipping=True)
        if mode == Mode.TONIGHT:
            return self.replace_tonight(handler_input)
        deck = question_bank().deck(str(context.get("deck"))) if mode == Mode.DECK else None
        return self.more(handler_input, phrases().question.skipped, deck)


class RepeatQuestionHandler(AbstractRequestHandler):
    """Repeat, while a question is on the table: the same words again, without touching the store."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.RepeatIntent")(handler_input) and in_question_context(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        context = _context(handler_input)
        assert context is not None, "can_handle saw a question on the table"
        question = question_bank().question(str(context["id"]))
        assert question is not None, "_context only returns questions the bank has"
        if context.get("mode") == Mode.THIRTY_SIX:
            return thirty_six_reply(handler_input, question_bank().thirty_six.index(question) + 1, "")
        heading = "Tonight's question" if context.get("mode") == Mode.TONIGHT else "Once more"
        return _present(handler_input, phrases().question.repeat, question, heading, context)


class ThirtySixQuestionsHandler(_QuestionHandler):
    """The thirty-six questions: start them, or pick up where the household left off."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("ThirtySixQuestionsIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return self.thirty_six(handler_input, continuing=False)


def _deck_in_slot(handler_input: HandlerInput) -> Deck | None:
    """The deck Alexa resolved the "deck" slot to, if she resolved it to one we have."""
    slot = get_slot(handler_input, "deck")
    authorities = slot.resolutions.resolutions_per_authority if slot and slot.resolutions else None
    for authority in authorities or []:
        if authority.status and authority.status.code == StatusCode.ER_SUCCESS_MATCH and authority.values:
            return question_bank().deck(authority.values[0].value.id)
    return None


class DeckQuestionHandler(_QuestionHandler):
    """A question about a deck (the future, say): one from it; an unknown or missing deck gets the choices."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("DeckQuestionIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        deck = _deck_in_slot(handler_input)
        if deck is not None and deck.id == THIRTY_SIX:
            return self.thirty_six(handler_input, continuing=False)
        if deck is not None:
            return self.more(handler_input, phrases().question.from_deck, deck)
        names = [choice.spoken_name for choice in question_bank().decks if choice.in_rotation]
        decks = escape(", ".join(names[:-1]) + ", and " + names[-1])
        return say_line(handler_input, phrases().question.which_deck, decks=decks)


class QuestionHelpHandler(AbstractRequestHandler):
    """Help while a question is on the table: what can be said about it."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.HelpIntent")(handler_input) and in_question_context(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return say_line(handler_input, phrases().question.help)


def handlers(deps: Dependencies) -> list[AbstractRequestHandler]:
    """The question handlers, in dispatch order."""
    return [
        TonightsQuestionHandler(deps),
        AnotherQuestionHandler(deps),
        SkipQuestionHandler(deps),
        RepeatQuestionHandler(),
        ThirtySixQuestionsHandler(deps),
        DeckQuestionHandler(deps),
        QuestionHelpHandler(),
    ]
