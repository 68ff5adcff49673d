"""DynamoDB failing on the wire (throttling, 500s, timeouts) on every read and write path.

What must hold afterwards is what the couple hears and what the table holds: no false confirmation,
and no half-state that a later turn misreads. Faults are injected at botocore's before-call (the request
never reaches the table, as with throttling) and, to see the retry policy at work, at before-send."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from content.questions import question_bank
from skill.tools.console.fake_alexa import FakeAlexaApi
from tests.support import FAULTS, Household, Stack, household_items, wire_faults

TONIGHT = (
    "Here's tonight's question. {} When you've both answered and want another, "
    "say: Alexa, ask Closer Together for another question."
)


def items(stack: Stack, household: Household, prefix: str) -> list[dict[str, Any]]:
    """The household's items whose sort key starts with `prefix`."""
    return household_items(stack.table_name, household.device.user_id, prefix)


def is_tonights_question(speech: str) -> bool:
    """Whether Alexa read out tonight's question: one of the bank's, in its frame."""
    return any(speech == TONIGHT.format(question.text) for question in question_bank().questions)


@dataclass
class Path:
    """A turn whose DynamoDB calls fail, what it must say instead (exactly, or as a check of what was
    said), and what must hold afterwards."""

    operations: set[str]
    prepare: Callable[[Household], None]
    act: Callable[[Household], Any]
    says: str | Callable[[str], bool]
    afterwards: Callable[[Household, Stack, FakeAlexaApi], None]

    def said(self, speech: str) -> bool:
        return self.says(speech) if callable(self.says) else speech == self.says


def _nothing(_: Household) -> None:
    return None


def _launched(household: Household) -> None:
    household.launch()


def _named(household: Household) -> None:
    household.device.person_id = "amzn1.ask.person.SAM"
    household.launch()
    household.intent("NameIntent", firstName="Sam")


def _jar_has_one(household: Household) -> None:
    _named(household)
    household.intent("SaveAppreciationIntent", text="how you made coffee")


def _then(household: Household, intent: str) -> None:
    _jar_has_one(household)
    household.intent(intent)


def _saved_unsigned(household: Household) -> None:
    household.launch()
    household.intent("SaveAppreciationIntent", text="how you made coffee")


def _one_unsigned_appreciation(household: Household, stack: Stack, alexa_api: FakeAlexaApi) -> None:
    [stored] = items(stack, household, "APPR#")
    assert "author" not in stored


def _no_appreciations(household: Household, stack: Stack, alexa_api: FakeAlexaApi) -> None:
    assert items(stack, household, "APPR#") == []
    reply = household.one_shot("ReadAppreciationsIntent")
    assert "appreciated how you made coffee" not in reply.speech


def _one_appreciation_left(household: Household, stack: Stack, alexa_api: FakeAlexaApi) -> None:
    assert len(items(stack, household, "APPR#")) == 1
    assert "coffee" in household.one_shot("ReadAppreciationsIntent").speech


def _no_check_in_and_no_timers(household: Household, stack: Stack, alexa_api: FakeAlexaApi) -> None:
    assert items(stack, household, "CHECKIN#") == []
    assert alexa_api.state.timers.active == {}


def _still_answers(household: Household, stack: Stack, alexa_api: FakeAlexaApi) -> None:
    assert is_tonights_question(household.one_shot("TonightsQuestionIntent").speech)


WELCOME = (
    "Welcome to Closer Together. I can give you tonight's question, time a check-in, or keep what you "
    "appreciate about each other. Shall I start with tonight's question?"
)
NOT_DELETED = "Sorry, I couldn't reach your jar just now, so nothing was deleted. What would you like to do?"


PATHS = {
    "launch reads the profile": Path(
        {"GetItem", "PutItem"}, _nothing, lambda h: h.launch(), WELCOME, _still_answers
    ),
    "saving an appreciation": Path(
        {"PutItem"},
        _named,
        lambda h: h.intent("SaveAppreciationIntent", text="how you made coffee"),
        "Sorry, I couldn't reach your jar just now, so that isn't saved. Shall I try again?",
        _no_appreciations,
    ),
    "signing an appreciation": Path(
        {"UpdateItem"},
        _saved_unsigned,
        lambda h: h.intent("AppreciationAuthorIntent", firstName="Sam"),
        "Sorry, I couldn't add the name just now. Your appreciation is still saved, unsigned. "
        "Shall I try adding the name again?",
        _one_unsigned_appreciation,
    ),
    "reading appreciations": Path(
        {"Query"},
        _jar_has_one,
        lambda h: h.intent("ReadAppreciationsIntent"),
        "Sorry, I couldn't open your jar just now. You can ask again in a moment. What would you like to do?",
        _one_appreciation_left,
    ),
    "deleting the last appreciation": Path(
        {"DeleteItem"},
        lambda h: _then(h, "DeleteLastAppreciationIntent"),
        lambda h: h.intent("AMAZON.YesIntent"),
        NOT_DELETED,
        _one_appreciation_left,
    ),
    "deleting all data": Path(
        {"Query", "BatchWriteItem"},
        lambda h: _then(h, "DeleteAllDataIntent"),
        lambda h: h.intent("AMAZON.YesIntent"),
        "I couldn't finish deleting your data just now, so I'll keep deleting it in the background until "
        "it's all gone. You don't need to do anything.",
        _one_appreciation_left,
    ),
    "tonight's question": Path(
        {"GetItem", "PutItem"},
        _launched,
        lambda h: h.intent("TonightsQuestionIntent"),
        is_tonights_question,
        _still_answers,
    ),
    "starting a check-in": Path(
        {"Query", "PutItem"},
        _launched,
        lambda h: h.intent("StartCheckInIntent"),
        "Sorry, something went wrong on my side, and I didn't finish that. What would you like to do?",
        _no_check_in_and_no_timers,
    ),
}


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("path", list(PATHS), ids=list(PATHS))
def test_a_failing_table_gets_an_honest_answer_and_leaves_no_half_state(
    household: Household, stack: Stack, alexa_api: FakeAlexaApi, path: str, fault: str
) -> None:
    alexa_api.state.timers.clock = lambda: household.now
    case = PATHS[path]
    # Clients copy the session's hooks when created, and the skill creates its client on its first turn.
    with wire_faults(fault) as faults:
        case.prepare(household)
        faults.failing = case.operations
        reply = case.act(household)
        faults.failing = set()
    assert faults.attempts > 0, "the path never reached the failing operation"
    assert case.said(reply.speech), reply.speech
    case.afterwards(household, stack, alexa_api)


@pytest.mark.parametrize("fault", ["throttled", "internal_error"])
def test_retries_are_bounded_so_a_turn_fits_in_alexas_eight_seconds(household: Household, fault: str) -> None:
    with wire_faults(fault, stage="before-send") as faults:
        household.launch()
        faults.failing = {"PutItem"}
        household.intent("NameIntent", firstName="Sam")
    assert faults.attempts == 3, "three attempts in all (botocore standard mode), then an honest answer"
