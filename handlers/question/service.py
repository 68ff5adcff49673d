"""The question flows: tonight's, another from the rotation or a deck, skipping, and the 36 in order.

Progress is read at most once and written at most once a turn. When DynamoDB fails, a question is still
given (chosen from the household and the night, and not recorded); only the 36 need to say sorry."""

import logging

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from content import phrases
from content.models import ListeningLine
from content.questions import PER_SET, Deck, question_bank
from handlers.question.picking import next_in, pick_without_progress
from handlers.question.state import Mode, on_table
from handlers.question.wording import present, present_thirty_six, present_tonight, spoken_number
from handlers.respond import record_outcome, say_line
from skill.context import turn_of
from skill.household_time import night_of
from skill.logs import log_event
from skill.store import Store
from skill.store.questions import QuestionProgress
from skill.store.table import StoreUnavailableError

log = logging.getLogger(__name__)


class Questions:
    """Picks, records and presents questions for the household of the turn."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def _load(self, household: str) -> QuestionProgress | None:
        """The household's progress, or None when DynamoDB fails (and then nothing may be written back)."""
        try:
            return self.store.questions.load(household)
        except StoreUnavailableError:
            log_event(log, "question_progress_unavailable", level=logging.WARNING)
            return None

    def _save(self, handler_input: HandlerInput, household: str, progress: QuestionProgress) -> None:
        """Write progress back; a failure is logged, and the question is still asked, because the pick is
        deterministic: asking again tonight gives the same one."""
        try:
            self.store.questions.save(household, progress)
        except StoreUnavailableError:
            record_outcome(handler_input, "progress_not_saved")
            log_event(log, "question_progress_not_saved", level=logging.WARNING)

    def tonight(self, handler_input: HandlerInput) -> Response:
        """Tonight's question: picked once a night, the same on every device of the household."""
        turn = turn_of(handler_input)
        return self._tonight(handler_input, night_of(turn.local_now()), self._load(turn.household))

    def _tonight(self, handler_input: HandlerInput, night: str, loaded: QuestionProgress | None) -> Response:
        household = turn_of(handler_input).household
        bank = question_bank()
        if loaded is None:
            question = pick_without_progress(household, night, bank.rotation, None)
            return present_tonight(handler_input, phrases().question.tonight, question)
        if loaded.tonight_night == night and (picked := bank.question(loaded.tonight_id or "")):
            return present_tonight(handler_input, phrases().question.tonight_again, picked)
        question = next_in(household, loaded, None)
        loaded.tonight_night, loaded.tonight_id = night, question.id
        self._save(handler_input, household, loaded)
        return present_tonight(handler_input, phrases().question.tonight, question)

    def more(self, handler_input: HandlerInput, line: ListeningLine, deck: Deck | None) -> Response:
        """A further question from a deck, or from the whole rotation; tonight's question stays as it was."""
        turn = turn_of(handler_input)
        return self._more(handler_input, line, deck, night_of(turn.local_now()), self._load(turn.household))

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
            question = pick_without_progress(
                household, night, pool, (on_table(handler_input) or {}).get("id")
            )
        else:
            question = next_in(household, loaded, deck.id if deck else None)
            self._save(handler_input, household, loaded)
        if deck is None:
            return present(handler_input, line, question, "Another question", {"mode": Mode.ROTATION})
        heading = f"A question about {deck.spoken_name}"
        context = {"mode": Mode.DECK, "deck": deck.id}
        return present(handler_input, line, question, heading, context, deck=deck.spoken_name)

    def replace_tonight(self, handler_input: HandlerInput) -> Response:
        """Skip tonight's question: it stays counted, so it won't come straight back, and the new one
        becomes tonight's question for the rest of the night."""
        turn = turn_of(handler_input)
        night = night_of(turn.local_now())
        loaded = self._load(turn.household)
        if loaded is None:
            return self._more(handler_input, phrases().question.skipped, None, night, None)
        if loaded.tonight_night != night:
            # Nothing was asked tonight, so there is nothing to skip: ask tonight's.
            return self._tonight(handler_input, night, loaded)
        question = next_in(turn.household, loaded, None)
        loaded.tonight_id = question.id
        self._save(handler_input, turn.household, loaded)
        return present_tonight(handler_input, phrases().question.skipped, question)

    def thirty_six(
        self, handler_input: HandlerInput, *, continuing: bool, skipping: bool = False
    ) -> Response:
        """The next of the 36, in order across sessions. Starting (not continuing) says where they are;
        continuing past the last question says they are done rather than starting again unasked."""
        household = turn_of(handler_input).household
        progress = self._load(household)
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
        self._save(handler_input, household, progress)
        return present_thirty_six(handler_input, position, " ".join(intro))
