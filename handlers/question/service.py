"""The question flows: tonight's, another from the rotation or a deck, skipping, repeating, the 36 in order.

Progress is read at most once and written at most once a turn. It keeps the question last asked, so that
"another one", "skip" and "repeat" work as one-shots after the session closed on a question. When
DynamoDB fails, a question is still given (chosen from the household and the night, and not recorded);
only the 36 need to say sorry."""

import logging
from typing import Any

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from content import phrases
from content.models import SpokenLine
from content.questions import PER_SET, Deck, Question, question_bank
from handlers.question.picking import next_in, pick_without_progress
from handlers.question.state import Mode
from handlers.question.wording import present, spoken_number
from handlers.respond import record_outcome, say_line
from skill.context import turn_of
from skill.household_time import night_of
from skill.logs import log_event
from skill.speech import escape
from skill.store import Store
from skill.store.questions import QuestionProgress
from skill.store.table import StoreUnavailableError
from skill.vocabulary import RequestKey

log = logging.getLogger(__name__)


class Questions:
    """Picks, records and presents questions for the household of the turn."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def _load(self, handler_input: HandlerInput) -> QuestionProgress | None:
        """The household's progress, read at most once a turn; None when DynamoDB fails (and then nothing
        may be written back)."""
        attributes = handler_input.attributes_manager.request_attributes
        if RequestKey.QUESTION_PROGRESS not in attributes:
            try:
                attributes[RequestKey.QUESTION_PROGRESS] = self.store.questions.load(
                    turn_of(handler_input).household
                )
            except StoreUnavailableError:
                log_event(log, "question_progress_unavailable", level=logging.WARNING)
                attributes[RequestKey.QUESTION_PROGRESS] = None
        return attributes[RequestKey.QUESTION_PROGRESS]

    def _save(self, handler_input: HandlerInput, household: str, progress: QuestionProgress) -> None:
        """Write progress back; a failure is logged, and the question is still asked, because the pick is
        deterministic: asking again tonight gives the same one."""
        try:
            self.store.questions.save(household, progress)
        except StoreUnavailableError:
            record_outcome(handler_input, "progress_not_saved")
            log_event(log, "question_progress_not_saved", level=logging.WARNING)

    def _ask(
        self,
        handler_input: HandlerInput,
        progress: QuestionProgress | None,
        line: SpokenLine,
        question: Question,
        context: dict[str, str],
        *,
        changed: bool = True,
        **fill: str,
    ) -> Response:
        """Record the question as the one on the table (with whatever else changed), then ask it."""
        if progress is not None:
            turn = turn_of(handler_input)
            asked = {**context, "id": question.id, "night": night_of(turn.local_now())}
            if changed or progress.on_table != asked:
                progress.on_table = asked
                self._save(handler_input, turn.household, progress)
        return present(handler_input, line, question, context, **fill)

    def last_asked(self, handler_input: HandlerInput) -> dict[str, Any] | None:
        """The question on the table: the household's last one, if it was asked tonight."""
        turn = turn_of(handler_input)
        progress = self._load(handler_input)
        stored = progress.on_table if progress else None
        if not stored or stored.get("night") != night_of(turn.local_now()):
            return None
        return stored if question_bank().question(stored.get("id", "")) else None

    def tonight(self, handler_input: HandlerInput) -> Response:
        """Tonight's question: picked once a night, the same on every device of the household."""
        turn = turn_of(handler_input)
        return self._tonight(handler_input, night_of(turn.local_now()), self._load(handler_input))

    def _tonight(self, handler_input: HandlerInput, night: str, loaded: QuestionProgress | None) -> Response:
        household = turn_of(handler_input).household
        bank = question_bank()
        lines = phrases().question
        tonight = {"mode": Mode.TONIGHT}
        if loaded is None:
            question = pick_without_progress(household, night, bank.rotation, None)
            return self._ask(handler_input, None, lines.tonight, question, tonight)
        if loaded.tonight_night == night and (picked := bank.question(loaded.tonight_id or "")):
            return self._ask(handler_input, loaded, lines.tonight_again, picked, tonight, changed=False)
        question = next_in(household, loaded, None)
        loaded.tonight_night, loaded.tonight_id = night, question.id
        return self._ask(handler_input, loaded, lines.tonight, question, tonight)

    def more(self, handler_input: HandlerInput, line: SpokenLine, deck: Deck | None) -> Response:
        """A further question from a deck, or from the whole rotation; tonight's question stays as it was."""
        turn = turn_of(handler_input)
        return self._more(handler_input, line, deck, night_of(turn.local_now()), self._load(handler_input))

    def _more(
        self,
        handler_input: HandlerInput,
        line: SpokenLine,
        deck: Deck | None,
        night: str,
        loaded: QuestionProgress | None,
    ) -> Response:
        household = turn_of(handler_input).household
        if loaded is None:
            pool = question_bank().in_deck(deck.id) if deck else question_bank().rotation
            question = pick_without_progress(household, night, pool, None)
        else:
            question = next_in(household, loaded, deck.id if deck else None)
        if deck is None:
            return self._ask(handler_input, loaded, line, question, {"mode": Mode.ROTATION})
        context = {"mode": Mode.DECK, "deck": deck.id}
        return self._ask(handler_input, loaded, line, question, context, deck=deck.spoken_name)

    def replace_tonight(self, handler_input: HandlerInput) -> Response:
        """Skip tonight's question: it stays counted, so it won't come straight back, and the new one
        becomes tonight's question for the rest of the night."""
        turn = turn_of(handler_input)
        night = night_of(turn.local_now())
        loaded = self._load(handler_input)
        if loaded is None:
            return self._more(handler_input, phrases().question.skipped, None, night, None)
        if loaded.tonight_night != night:
            # Nothing was asked tonight, so there is nothing to skip: ask tonight's.
            return self._tonight(handler_input, night, loaded)
        question = next_in(turn.household, loaded, None)
        loaded.tonight_id = question.id
        return self._ask(handler_input, loaded, phrases().question.skipped, question, {"mode": Mode.TONIGHT})

    def repeat(self, handler_input: HandlerInput, context: dict[str, Any]) -> Response:
        """The question on the table again, word for word; the 36 with their place."""
        question = question_bank().question(str(context["id"]))
        assert question is not None, "only questions the bank has are on the table"
        kept = {key: str(value) for key, value in context.items() if key in ("mode", "deck")}
        if kept.get("mode") == Mode.THIRTY_SIX:
            return present(handler_input, phrases().question.thirty_six, question, kept, intro="")
        return present(handler_input, phrases().question.repeat, question, kept)

    def thirty_six(
        self, handler_input: HandlerInput, *, continuing: bool, skipping: bool = False
    ) -> Response:
        """The next of the 36, in order across sessions. Starting (not continuing) says where they are;
        continuing past the last question says they are done rather than starting again unasked."""
        progress = self._load(handler_input)
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
        question = bank.thirty_six[position - 1]
        context = {"mode": Mode.THIRTY_SIX}
        return self._ask(
            handler_input, progress, lines.thirty_six, question, context, intro=escape(" ".join(intro))
        )
