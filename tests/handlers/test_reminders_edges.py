"""Reminders at the edges: deleting a household's data takes its reminders with it, bad and odd input gets
a clear answer with nothing half set, a failing DynamoDB never stops Alexa's reminder, and the console walks
the permission and lets the reminders go off."""

from pathlib import Path
from typing import Any

import pytest

from content import phrases
from skill.store.table import from_item
from skill.tools.console.envelopes import Slot
from skill.tools.console.fake_alexa import FakeAlexaApi
from skill.tools.console.nlu import understanding
from skill.vocabulary import Scope
from tests.support import DynamoDbCalls, Household, Reply, Stack, household_items, run_chat

LINES = phrases().reminders
SET_REMINDER = "SetReminderIntent"


@pytest.fixture(autouse=True)
def reminders_on_alexas_clock(household: Household, alexa_api: FakeAlexaApi) -> None:
    alexa_api.state.reminders.clock = lambda: household.now


def say(household: Household, words: str) -> Reply:
    """Words said to the household's Echo, heard by our interaction model as Alexa would hear them."""
    heard = understanding(household.device.locale).resolve(words)
    intent = heard.intent or "AMAZON.FallbackIntent"
    if heard.one_shot:
        return household.one_shot(intent, **heard.slots)
    return household.intent(intent, **heard.slots)


def allow(household: Household, alexa_api: FakeAlexaApi) -> None:
    alexa_api.state.reminders.grant(household.device.api_access_token or "")


def set_one(household: Household, words: str) -> Reply:
    say(household, f"ask closer together to {words}")
    return say(household, "yes")


def indexed(stack: Stack, household: Household) -> dict[str, str]:
    items = household_items(stack.table_name, household.device.user_id, "REMINDER#")
    return {item["sk"].removeprefix("REMINDER#"): item["ritual"] for item in map(from_item, items)}


def everything(stack: Stack, household: Household) -> list[dict[str, Any]]:
    return household_items(stack.table_name, household.device.user_id)


# --- deleting the household's data ---


def test_delete_all_our_data_cancels_the_reminders_at_alexa_and_says_so(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    allow(household, alexa_api)
    set_one(household, "remind us to check in every evening at half past eight")
    set_one(household, "remind us to ask tonight's question every sunday at seven")

    household.launch()
    household.intent("DeleteAllDataIntent")
    reply = household.intent("AMAZON.YesIntent")

    assert alexa_api.state.reminders.active == {}
    assert len(alexa_api.calls("reminder_delete")) == 2
    assert reply.speech.endswith(LINES.deleted_many.format(count=2))
    assert everything(stack, household) == []


def test_one_reminder_deleted_with_the_data_is_said_in_the_singular(
    household: Household, alexa_api: FakeAlexaApi
) -> None:
    allow(household, alexa_api)
    set_one(household, "remind us to check in every evening at eight")
    household.launch()
    household.intent("DeleteAllDataIntent")
    assert household.intent("AMAZON.YesIntent").speech.endswith(LINES.deleted_one)


def test_without_reminders_deleting_data_says_nothing_of_them(
    household: Household, alexa_api: FakeAlexaApi
) -> None:
    household.launch()
    household.intent("DeleteAllDataIntent")
    reply = household.intent("AMAZON.YesIntent")
    assert "reminder" not in reply.speech.lower()


def test_reminders_alexa_will_not_let_go_of_are_owned_up_to(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    allow(household, alexa_api)
    set_one(household, "remind us to check in every evening at eight")
    alexa_api.state.reminders.revoke(household.device.api_access_token or "")

    household.launch()
    household.intent("DeleteAllDataIntent")
    reply = household.intent("AMAZON.YesIntent")

    assert reply.speech.endswith(LINES.not_deleted)
    assert everything(stack, household) == [], "the household's data goes all the same"


def test_disabling_the_skill_cancels_what_it_can_reach(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    allow(household, alexa_api)
    set_one(household, "remind us to check in every evening at eight")
    household.send(household.conversation.skill_event("AlexaSkillEvent.SkillDisabled"))
    assert alexa_api.state.reminders.active == {}
    assert everything(stack, household) == []


# --- bad and odd input ---


def test_ten_thousand_characters_in_every_slot_are_asked_about_not_set(
    household: Household, alexa_api: FakeAlexaApi
) -> None:
    allow(household, alexa_api)
    huge = "eight " * 1700
    reply = household.one_shot(SET_REMINDER, ritual=huge, days=huge, time=huge)
    assert reply.listening and reply.speech == LINES.ask_what.speech
    checkin = Slot("check in", "checkin", slot_type="ReminderRitual")
    reply = household.one_shot(SET_REMINDER, ritual=checkin, time=huge)
    assert reply.listening and reply.speech.startswith("When shall I remind you to check in?")
    reply = household.one_shot(SET_REMINDER, ritual=checkin, days=huge, time="20:00")
    assert reply.listening and reply.speech.startswith(LINES.days_unknown)
    for intent in (
        "ChangeReminderIntent",
        "CancelReminderIntent",
        "ListRemindersIntent",
        "ReminderTimeIntent",
    ):
        assert household.one_shot(intent, ritual=huge, days=huge, time=huge).speech
    assert alexa_api.state.reminders.active == {}


def test_a_part_of_the_day_without_a_time_asks_for_the_time(
    household: Household, alexa_api: FakeAlexaApi
) -> None:
    reply = household.one_shot(
        SET_REMINDER, ritual=Slot("check in", "checkin", slot_type="ReminderRitual"), time="EV"
    )
    assert reply.listening and reply.speech.startswith("When shall I remind you to check in?")


def test_yes_with_a_stale_or_tampered_session_asks_again_and_sets_nothing(
    household: Household, alexa_api: FakeAlexaApi
) -> None:
    allow(household, alexa_api)
    say(household, "ask closer together to remind us to check in every evening at eight")
    household.conversation.attributes["reminders.pending"] = {"ritual": "dishes", "clock": "25:99", "days": 7}
    reply = household.intent("AMAZON.YesIntent")
    assert reply.listening and reply.speech == LINES.ask_what.speech
    assert alexa_api.state.reminders.active == {}


def test_another_features_question_is_dropped_when_a_reminder_is_asked_for(
    household: Household, alexa_api: FakeAlexaApi
) -> None:
    household.launch()
    household.intent("DeleteAllDataIntent")
    say(household, "remind us to check in every evening at eight")
    reply = household.intent("AMAZON.YesIntent")
    assert reply.speech == LINES.ask_permission.speech, "the yes answered the reminder, not the deletion"


def test_no_to_a_question_of_ours_that_wanted_words_ends_kindly(household: Household) -> None:
    say(household, "ask closer together to remind us to check in")
    reply = say(household, "no")
    assert reply.speech == LINES.not_set.speech and not reply.listening


# --- a failing DynamoDB ---


def test_a_failing_index_never_stops_alexas_reminder_and_it_is_indexed_later(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack, dynamodb: DynamoDbCalls
) -> None:
    allow(household, alexa_api)
    dynamodb.failing = {"PutItem"}
    reply = set_one(household, "remind us to check in every evening at eight")
    assert reply.speech == "Done. I'll remind you to check in every day at 8 PM."
    assert len(alexa_api.state.reminders.active) == 1 and indexed(stack, household) == {}

    dynamodb.failing = set()
    listed = say(household, "ask closer together what reminders do we have")
    assert listed.speech == "You have one reminder: check-in every day at 8 PM."
    assert list(indexed(stack, household).values()) == ["checkin"]


def test_a_failing_table_still_reads_and_cancels_at_alexa(
    household: Household, alexa_api: FakeAlexaApi, dynamodb: DynamoDbCalls
) -> None:
    allow(household, alexa_api)
    set_one(household, "remind us to ask tonight's question every evening at eight")
    dynamodb.failing = {"Query", "PutItem", "DeleteItem"}
    assert say(household, "ask closer together what reminders do we have").speech == (
        "You have one reminder: question every day at 8 PM."
    )
    assert say(household, "ask closer together to cancel the question reminder").speech.startswith("Done.")
    assert alexa_api.state.reminders.active == {}


# --- the console ---


def test_the_console_walks_the_permission_and_lets_the_reminder_go_off(tmp_path: Path) -> None:
    output = run_chat(
        tmp_path,
        "ask closer together to remind us to check in every evening at half past eight",
        "yes",
        "yes",
        "/wait",
        "ask closer together what reminders do we have",
    )
    assert "alexa> Closer Together would like to use your reminders. Is that okay?" in output
    assert (
        "alexa> Thanks for allowing reminders. Done. I'll remind you to check in every day at 8:30 PM."
        in output
    )
    assert "8:30 PM. Alexa says: Here's your reminder. Time for your check-in. Phones away.)" in output
    assert "alexa> You have one reminder: check-in every day at 8:30 PM." in output


def test_the_console_walks_a_declined_permission(tmp_path: Path) -> None:
    output = run_chat(
        tmp_path,
        "ask closer together to remind us to check in every sunday at seven",
        "yes",
        "no",
        "/wait",
    )
    assert f"alexa> {LINES.permission_declined.speech}" in output
    assert "[card: " in output
    assert "(no reminder is set)" in output


# --- the offer ---


def test_after_the_first_check_in_ends_a_reminder_is_offered_once_and_a_yes_goes_on_to_set_one(
    household: Household, alexa_api: FakeAlexaApi
) -> None:
    allow(household, alexa_api)
    alexa_api.state.timers.clock = lambda: household.now
    household.one_shot("StartCheckInIntent")
    ended = household.one_shot("EndCheckInIntent")
    assert ended.listening and ended.speech.endswith(LINES.offer.speech.format(what="check in"))

    when = say(household, "yes")
    assert when.speech.startswith("When shall I remind you to check in?")
    say(household, "every evening at eight")
    assert say(household, "yes").speech == "Done. I'll remind you to check in every day at 8 PM."

    household.wait(days=1)
    household.one_shot("StartCheckInIntent")
    again = household.one_shot("EndCheckInIntent")
    assert not again.listening and LINES.offer.speech.format(what="check in") not in again.speech


def test_no_to_the_offer_is_final(household: Household, alexa_api: FakeAlexaApi) -> None:
    alexa_api.state.timers.clock = lambda: household.now
    household.one_shot("StartCheckInIntent")
    household.one_shot("EndCheckInIntent")
    declined = say(household, "no thanks")
    assert declined.speech == LINES.offer_declined.speech and not declined.listening

    household.wait(days=1)
    household.one_shot("StartCheckInIntent")
    assert not household.one_shot("EndCheckInIntent").listening
    assert alexa_api.state.reminders.active == {}


def test_no_offer_when_the_table_cannot_say_whether_one_was_made(
    household: Household, alexa_api: FakeAlexaApi, dynamodb: DynamoDbCalls
) -> None:
    alexa_api.state.timers.clock = lambda: household.now
    household.one_shot("StartCheckInIntent")
    dynamodb.failing = {"GetItem"}
    ended = household.one_shot("EndCheckInIntent")
    assert not ended.listening and LINES.offer.speech.format(what="check in") not in ended.speech


def test_an_offer_that_would_make_the_reply_too_long_waits_for_another_time(
    household: Household, alexa_api: FakeAlexaApi
) -> None:
    alexa_api.state.timers.clock = lambda: household.now
    token = household.device.api_access_token or ""
    alexa_api.state.timers.refuse(token)
    asked = household.one_shot("StartCheckInIntent")
    household.request(
        {
            "type": "Connections.Response",
            "name": "AskFor",
            "status": {"code": "200", "message": "OK"},
            "payload": {"permissionScope": Scope.TIMERS, "status": "DENIED"},
            "token": asked.directives[0]["token"],
        }
    )
    household.intent("AMAZON.YesIntent")  # the guide without timers, whose ending says more
    untimed_end = household.one_shot("EndCheckInIntent")
    assert untimed_end.speech.startswith("I've ended your check-in.") and not untimed_end.listening

    alexa_api.state.timers.grant(token)
    household.wait(days=1)
    household.one_shot("StartCheckInIntent")
    assert household.one_shot("EndCheckInIntent").listening, "offered now, in a reply it fits in"
