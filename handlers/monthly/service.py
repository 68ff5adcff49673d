"""The monthly check-in's own steps: the opening that draws on the household's month, reading two of the
month's appreciations, and keeping the plan said at the end (confirmed only once DynamoDB has it)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from content.models import echoed
from handlers.base import store_failed
from handlers.monthly.state import await_retry, leave_retry
from handlers.monthly.wording import highlights, lines, plain, recall, the_month
from handlers.respond import record_outcome, say_line
from skill.context import turn_of
from skill.speech import pause, sentences
from skill.store import Store
from skill.store.appreciations import AppreciationView
from skill.store.month_plans import MonthPlan, MonthPlans
from skill.store.table import StoreUnavailableError

MONTH = timedelta(days=30)  # "this past month": the thirty days up to now
HIGHLIGHTS = 2  # appreciations read back, if the couple would like them
RECALL_PAUSE_MS = 800  # after "How did it go?", a moment to take the question in


@dataclass(frozen=True)
class Opening:
    """The spoken opening (SSML), and how many appreciations the month holds."""

    speech: str
    appreciations: int


class Month:
    """The household's month, and its plans."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.plans = MonthPlans(store.table)

    @staticmethod
    def window(now: datetime) -> tuple[datetime, datetime]:
        return now - MONTH, now

    def opening(self, handler_input: HandlerInput) -> Opening:
        """Welcome, last month's plan read back, and what the month held."""
        turn = turn_of(handler_input)
        since, until = self.window(turn.now)
        checkins = len(self.store.checkins.started_between(turn.household, since, until))
        appreciations = self.store.appreciations.count(
            turn.household, AppreciationView(window=(since, until))
        )
        plan = self.plans.latest(turn.household)
        recalled = sentences(recall(plan), pause(RECALL_PAUSE_MS)) if plan else ""
        speech = sentences(lines().opening, recalled, the_month(checkins, appreciations))
        return Opening(speech, appreciations)

    def highlights(self, handler_input: HandlerInput) -> str:
        """The month's newest appreciations, read back ("" if it holds none)."""
        turn = turn_of(handler_input)
        view = AppreciationView(window=self.window(turn.now))
        page = self.store.appreciations.page(turn.household, view, HIGHLIGHTS)
        return highlights(page.items)

    def save_plan(self, handler_input: HandlerInput, sk: str, text: str) -> Response:
        """Keep the plan under its key, then say so; if DynamoDB fails, say it is not saved and offer to
        try again with the same key, so it can never be saved twice."""
        request_id = handler_input.request_envelope.request.request_id
        try:
            self.plans.save(turn_of(handler_input).household, MonthPlan(sk, text, request_id))
        except StoreUnavailableError:
            await_retry(handler_input, sk, text)
            return store_failed(handler_input, "month_plan_not_saved", lines().plan_failed)
        leave_retry(handler_input)
        record_outcome(handler_input, "month_plan_saved")
        if echoed(text):
            return say_line(handler_input, lines().plan_saved, plan=plain(text))
        return say_line(handler_input, lines().plan_saved_long)
