"""What the check-in promises where a slip would go unheard in the other tests: the newest check-in is the
one acted on, a check-in that cannot be recorded leaves no timer ringing, the permission flow follows
Alexa's exact answers, and the week starts on the second of Monday 04:00."""

import copy
import hashlib
import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import boto3
import pytest

from skill.store.table import from_item
from skill.tools.console.fake_alexa import FakeAlexaApi
from skill.vocabulary import Scope
from tests.support import (
    REGION,
    DynamoDbCalls,
    Household,
    LambdaContext,
    Reply,
    Stack,
    cold_start,
    household_items,
    session_hook,
)

LOS_ANGELES = ZoneInfo("America/Los_Angeles")  # the fake Alexa API's default device time zone
NOT_STARTED = (
    "Sorry, I couldn't set the timers just now, so your check-in hasn't started. "
    "Please try again in a moment."
)


@pytest.fixture(autouse=True)
def timers_on_alexas_clock(household: Household, alexa_api: FakeAlexaApi) -> None:
    """The fake timers count down on the same clock as the household's requests."""
    alexa_api.state.timers.clock = lambda: household.now


def start(household: Household, duration: str | None = None) -> Reply:
    return household.one_shot("StartCheckInIntent", duration=duration)


def checkins(stack: Stack, household: Household) -> list[dict[str, Any]]:
    items = household_items(stack.table_name, household.device.user_id, "CHECKIN#")
    return sorted((from_item(item) for item in items), key=lambda item: item["sk"])


def active_timers(alexa_api: FakeAlexaApi) -> dict[str, dict[str, Any]]:
    return {timer_id: timer.json() for timer_id, timer in alexa_api.state.timers.active.items()}


def test_with_an_earlier_check_in_on_record_the_newest_is_the_one_acted_on(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    start(household, "PT10M")
    household.wait(minutes=2)
    household.one_shot("EndCheckInIntent")
    household.wait(minutes=1)
    start(household, "PT20M")
    household.wait(minutes=5)

    assert household.one_shot("CheckInTimeLeftIntent").speech == "You have 15 minutes left in your check-in."
    paused = household.one_shot("PauseCheckInIntent")
    assert paused.speech == "Paused, with 15 minutes left. Say: ask Closer Together to resume the check-in."
    assert [record["status"] for record in checkins(stack, household)] == ["ended_early", "paused"]
    ended = household.one_shot("EndCheckInIntent")
    assert ended.speech.startswith("I've ended your check-in and cancelled its timer.")
    assert [record["status"] for record in checkins(stack, household)] == ["ended_early", "ended_early"]
    assert active_timers(alexa_api) == {}


def test_a_check_in_that_cannot_be_recorded_takes_back_both_timers(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack, dynamodb: DynamoDbCalls
) -> None:
    dynamodb.failing.add("PutItem")
    reply = start(household)
    assert reply.speech == (
        "Sorry, I couldn't save your check-in, so I've cancelled its timers and it hasn't started. "
        "Please try again in a moment."
    )
    assert len(alexa_api.calls("timer_create")) == 2 and len(alexa_api.calls("timer_delete")) == 2
    assert active_timers(alexa_api) == {} and checkins(stack, household) == []


def test_a_check_in_whose_timers_cannot_be_taken_back_says_so(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack, dynamodb: DynamoDbCalls
) -> None:
    dynamodb.failing.add("PutItem")
    alexa_api.fail_once("timer_delete", 500, after=1)  # the end timer goes, the halfway one stays
    reply = start(household)
    assert reply.speech == (
        "Sorry, I couldn't save your check-in, and I couldn't cancel its timers either. "
        "You can say: Alexa, cancel my timers. Then please try again."
    )
    assert len(active_timers(alexa_api)) == 1 and checkins(stack, household) == []


def test_when_the_end_timer_cannot_be_set_the_halfway_one_is_taken_back(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    alexa_api.fail_once("timer_create", 500, after=1)
    reply = start(household)
    assert reply.speech == NOT_STARTED
    assert len(alexa_api.calls("timer_create")) == 2 and len(alexa_api.calls("timer_delete")) == 1
    assert active_timers(alexa_api) == {}
    assert checkins(stack, household) == []


def test_a_403_from_the_timers_api_asks_for_the_permission(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    alexa_api.fail("timer_create", 403)
    reply = start(household)
    assert reply.speech == (
        "To time your check-in and tell you when to switch, I need your permission to set timers."
    )
    assert [directive["name"] for directive in reply.directives] == ["AskFor"]
    assert reply.directives[0]["payload"]["permissionScopes"][0]["permissionScope"] == Scope.TIMERS
    assert checkins(stack, household) == [] and active_timers(alexa_api) == {}


@pytest.mark.parametrize("code", ["400", "500"])
def test_an_askfor_answer_that_failed_is_no_consent_whatever_its_payload(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack, code: str
) -> None:
    alexa_api.state.timers.refuse(household.device.api_access_token or "")
    start(household)
    alexa_api.state.timers.grant(household.device.api_access_token or "")
    reply = household.request(
        {
            "type": "Connections.Response",
            "name": "AskFor",
            "status": {"code": code, "message": "Internal error"},
            "payload": {"permissionScope": Scope.TIMERS, "status": "ACCEPTED"},
            "token": "checkin:20",
        }
    )
    assert reply.speech.startswith("That's fine, I won't set any timers.")
    assert active_timers(alexa_api) == {} and checkins(stack, household) == []


def test_a_check_in_at_monday_four_oclock_sharp_counts_for_the_new_week(household: Household) -> None:
    household.now = datetime(2026, 11, 16, 3, 59, 59, tzinfo=LOS_ANGELES)
    start(household, "PT5M")
    household.now = datetime(2026, 11, 16, 4, 0, 0, tzinfo=LOS_ANGELES)
    household.one_shot("EndCheckInIntent")
    start(household, "PT5M")
    household.now = datetime(2026, 11, 16, 12, 0, tzinfo=LOS_ANGELES)
    assert household.one_shot("CheckInCountIntent").speech == "Since Monday, you've done one check-in."


def test_an_untimed_check_in_keeps_its_time_left_while_paused(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    alexa_api.state.timers.refuse(household.device.api_access_token or "")
    start(household)
    household.request(
        {
            "type": "Connections.Response",
            "name": "AskFor",
            "status": {"code": "200", "message": "OK"},
            "payload": {"permissionScope": Scope.TIMERS, "status": "DENIED"},
            "token": "checkin:20",
        }
    )
    household.intent("AMAZON.YesIntent")  # the guide without timers
    household.wait(minutes=5)
    paused = household.one_shot("PauseCheckInIntent")
    assert paused.speech == "Paused, with 15 minutes left. Say: ask Closer Together to resume the check-in."
    household.wait(minutes=30)
    left = household.one_shot("CheckInTimeLeftIntent")
    assert left.speech == (
        "Your check-in is paused, with 15 minutes left. "
        "When you're ready, say: ask Closer Together to resume the check-in."
    )
    assert household.one_shot("ResumeCheckInIntent").speech == "Resumed, with 15 minutes to go."
    [record] = checkins(stack, household)
    assert record["status"] == "running" and record["ends_at"] == "2026-11-20T20:50:00+00:00"


def test_without_an_api_token_alexa_is_asked_for_the_permission_and_no_timer_call_is_made(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    household.device.api_access_token = None
    reply = start(household)
    assert reply.speech == (
        "To time your check-in and tell you when to switch, I need your permission to set timers."
    )
    assert [directive["name"] for directive in reply.directives] == ["AskFor"]
    assert alexa_api.calls("timer_create") == [] and checkins(stack, household) == []


def test_starting_while_one_is_paused_says_it_is_paused_and_how_long_it_has(household: Household) -> None:
    start(household)
    household.wait(minutes=4)
    household.one_shot("PauseCheckInIntent")
    household.wait(minutes=10)
    again = start(household)
    assert again.speech == (
        "You have a check-in paused, with 16 minutes left. "
        "Say: ask Closer Together to resume the check-in, or to end it."
    )


def test_a_check_in_started_this_very_second_is_counted(household: Household) -> None:
    start(household)
    assert household.one_shot("CheckInCountIntent").speech == "Since Monday, you've done one check-in."


def test_a_daily_check_in_is_kept_under_its_requests_key_as_earlier_releases_kept_it(
    household: Household, stack: Stack
) -> None:
    # The key is the request's UTC second and the first 12 hex digits of its id's SHA-256, so a request
    # delivered again after a new release finds the check-in the first stored; a daily check-in has no
    # `kind`, and its part timer is its `halfway_timer`, as before the monthly check-in existed.
    household.conversation.end()
    begin = household.conversation.intent("StartCheckInIntent", {"duration": "PT10M"})
    household.send(begin)
    second = datetime.fromisoformat(begin["request"]["timestamp"]).strftime("%Y-%m-%dT%H:%M:%SZ")
    digest = hashlib.sha256(begin["request"]["requestId"].encode("utf-8")).hexdigest()
    [record] = checkins(stack, household)
    assert record["sk"] == f"CHECKIN#{second}#{digest[:12]}"
    assert "kind" not in record and "part_timers" not in record and record["halfway_timer"]


def test_a_start_delivered_again_after_the_check_in_ended_does_not_start_it_again(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    household.conversation.end()
    begin = household.conversation.intent("StartCheckInIntent", {"duration": "PT10M"})
    household.send(copy.deepcopy(begin))
    household.wait(minutes=1)
    household.one_shot("EndCheckInIntent")
    again = household.send(begin)  # Alexa's retry: the same request id and timestamp, so the same key
    assert not again.speech.startswith("Starting your check-in")
    assert [record["status"] for record in checkins(stack, household)] == ["ended_early"]
    assert active_timers(alexa_api) == {}


def test_at_the_very_second_its_time_is_up_the_check_in_is_over(household: Household, stack: Stack) -> None:
    start(household, "PT10M")
    household.wait(minutes=10)
    asked = household.one_shot("CheckInTimeLeftIntent")
    assert asked.speech == (
        "There's no check-in going right now. To start one, say: tell Closer Together to start our check-in."
    )


def test_a_pause_at_the_very_second_of_halfway_finds_the_halfway_timer_rang_not_cancelled(
    household: Household, alexa_api: FakeAlexaApi
) -> None:
    start(household, "PT10M")
    household.wait(minutes=5)
    paused = household.one_shot("PauseCheckInIntent")
    assert paused.speech == "Paused, with 5 minutes left. Say: ask Closer Together to resume the check-in."
    assert [timer["remainingTimeWhenPaused"] for timer in active_timers(alexa_api).values()] == ["PT5M"]


def test_a_paused_check_in_whose_timer_rang_at_the_very_second_its_time_was_up_finished(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    start(household, "PT20M")
    household.wait(minutes=5)
    household.one_shot("PauseCheckInIntent")
    for timer in list(alexa_api.state.timers.active.values()):  # "Alexa, resume the timers", at once
        alexa_api.state.timers.resume(timer)
    household.wait(minutes=15)  # the end timer rings this second: when the check-in was due to end
    assert len(alexa_api.state.timers.ring_due()) == 2

    reply = household.one_shot("CheckInTimeLeftIntent")

    assert reply.speech.startswith("Your check-in has finished")
    assert [record["status"] for record in checkins(stack, household)] == ["finished"]


@contextmanager
def before_the_first_write(elsewhere: Callable[[], None]) -> Iterator[None]:
    """Run `elsewhere` just before the first PutItem of clients made in the block: what another Echo does
    between this turn's read of the check-in and its write."""
    done: list[bool] = []

    def interleave(**_: Any) -> None:
        if not done:
            done.append(True)
            elsewhere()

    with session_hook("before-call.dynamodb.PutItem", interleave):
        yield


def test_a_check_in_deleted_on_another_echo_while_this_one_pauses_it_is_not_brought_back(
    household: Household, stack: Stack
) -> None:
    start(household, "PT10M")
    household.wait(minutes=2)
    [record] = checkins(stack, household)
    key = {"pk": {"S": record["pk"]}, "sk": {"S": record["sk"]}}

    def forget() -> None:  # "delete all our data", done on another Echo meanwhile
        boto3.client("dynamodb", region_name=REGION).delete_item(TableName=stack.table_name, Key=key)

    cold_start()  # a new container, whose DynamoDB client has the hook
    with before_the_first_write(forget):
        paused = household.one_shot("PauseCheckInIntent")
    assert not paused.speech.startswith("Paused")
    assert checkins(stack, household) == []


def test_time_left_comes_from_the_timer_when_it_was_resumed_outside_the_skill(
    household: Household, alexa_api: FakeAlexaApi
) -> None:
    start(household, "PT20M")
    household.wait(minutes=4)
    household.one_shot("PauseCheckInIntent")
    household.wait(minutes=3)
    for timer in list(alexa_api.state.timers.active.values()):  # "Alexa, resume the timers"
        alexa_api.state.timers.resume(timer)
    household.wait(minutes=6)
    assert household.one_shot("CheckInTimeLeftIntent").speech == "You have 10 minutes left in your check-in."


def test_each_timer_call_that_fails_is_logged_with_what_it_tried(
    household: Household, alexa_api: FakeAlexaApi, caplog: pytest.LogCaptureFixture
) -> None:
    # What an operator reads to tell which of Alexa's timer calls fail.
    caplog.set_level(logging.WARNING)
    steps = [
        ("timer_create", lambda: start(household, "PT10M")),
        ("timer_get", lambda: household.one_shot("CheckInTimeLeftIntent")),
        ("timer_pause", lambda: household.one_shot("PauseCheckInIntent")),
        ("timer_resume", lambda: household.one_shot("ResumeCheckInIntent")),
        ("timer_delete", lambda: household.one_shot("EndCheckInIntent")),
    ]
    failed = []
    for route, turn in steps:
        alexa_api.fail(route, 500)
        caplog.clear()
        turn()
        alexa_api.heal(route)
        failed.append(
            [
                json.loads(record.getMessage())["action"]
                for record in caplog.records
                if record.name == "skill.timers"
            ]
        )
        turn()  # now it goes through: the next step starts from there
    assert failed == [["create"], ["read"], ["pause"], ["resume"], ["cancel"]]


def test_no_timer_is_set_without_the_time_to_take_it_back(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack, caplog: pytest.LogCaptureFixture
) -> None:
    # A timer is set only with a second to spare, to cancel it again should the next one fail: a turn
    # Lambda leaves 1.4 s (0.9 s to work in) has none, so it sets none and says the check-in did not start.
    caplog.set_level(logging.WARNING)
    household.handler = lambda event, _: stack.handler()(event, LambdaContext(1400))
    assert start(household, "PT10M").speech == NOT_STARTED
    assert active_timers(alexa_api) == {} and checkins(stack, household) == []
    [failed] = [json.loads(record.getMessage()) for record in caplog.records if record.name == "skill.timers"]
    assert failed == {"event": "timer_call_failed", "action": "create", "status": 500}
