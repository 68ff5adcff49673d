"""The monthly check-in end to end: the deployed handler, moto's DynamoDB, the fake Alexa Timers API over
HTTPS. Its opening draws on the household's month; three timed parts; the plan kept and read back."""

import copy
from datetime import timedelta
from typing import Any

import boto3
import pytest

from content.monthly import monthly_content
from skill.context import household_id
from skill.household_time import stamp
from skill.store.table import from_item, household_pk
from skill.tools.console.envelopes import Device
from skill.tools.console.fake_alexa import FakeAlexaApi
from skill.vocabulary import Scope
from tests.support import (
    FAULTS,
    REGION,
    Accounts,
    DynamoDbCalls,
    Household,
    Reply,
    Stack,
    household_items,
    wire_faults,
)

ANNOUNCED = monthly_content().announcements
LABEL = monthly_content().timer_label


@pytest.fixture(autouse=True)
def timers_on_alexas_clock(household: Household, alexa_api: FakeAlexaApi) -> None:
    alexa_api.state.timers.clock = lambda: household.now


def start(household: Household, duration: str | None = None) -> Reply:
    """'Alexa, tell Closer Together to start our monthly check-in.'"""
    return household.one_shot("StartMonthlyCheckInIntent", duration=duration)


def records(stack: Stack, household: Household, prefix: str) -> list[dict[str, Any]]:
    items = household_items(stack.table_name, household.device.user_id, prefix)
    return [from_item(item) for item in items]


def put(stack: Stack, household: Household, item: dict[str, Any]) -> None:
    pk = household_pk(household_id(household.device.user_id))
    boto3.resource("dynamodb", region_name=REGION).Table(stack.table_name).put_item(Item={"pk": pk, **item})


def appreciation(stack: Stack, household: Household, days_ago: float, text: str, author: str = "Sam") -> None:
    """An appreciation saved `days_ago`, straight into the table."""
    saved = household.now - timedelta(days=days_ago)
    put(stack, household, {"sk": f"APPR#{stamp(saved)}#{text[:8]}", "text": text, "author": author})


def past_checkin(stack: Stack, household: Household, days_ago: float) -> None:
    """A daily check-in that ran its course `days_ago`."""
    began = household.now - timedelta(days=days_ago)
    put(
        stack,
        household,
        {
            "sk": f"CHECKIN#{stamp(began)}#old{int(days_ago)}",
            "started_at": began.isoformat(),
            "planned_minutes": 20,
            "ends_at": (began + timedelta(minutes=20)).isoformat(),
            "unique": f"old{int(days_ago)}",
            "status": "running",
        },
    )


def timer_bodies(alexa_api: FakeAlexaApi) -> list[tuple[str, str, str]]:
    return [
        (
            call.body["duration"],
            call.body["timerLabel"],
            call.body["triggeringBehavior"]["operation"]["textToAnnounce"][0]["text"],
        )
        for call in alexa_api.calls("timer_create")
    ]


def active(alexa_api: FakeAlexaApi) -> list[dict[str, Any]]:
    return [timer.json() for timer in alexa_api.state.timers.active.values()]


# --- starting ---


def test_it_starts_three_timed_parts_announced_by_three_timers(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    reply = start(household)

    assert timer_bodies(alexa_api) == [
        ("PT10M", LABEL, ANNOUNCED.parts[0]),
        ("PT20M", LABEL, ANNOUNCED.parts[1]),
        ("PT30M", LABEL, ANNOUNCED.end),
    ]
    assert reply.speech.startswith("Welcome to your monthly check-in.")
    assert "Three parts of about 10 minutes; I'll announce each." in reply.speech
    assert "First: what worked this month?" in reply.speech
    assert reply.speech.endswith("Then what didn't, and one new way to connect. Your 30 minutes start now.")
    assert not reply.listening, "the check-in is device-free: the session closes"
    [record] = records(stack, household, "CHECKIN#")
    assert record["kind"] == "monthly" and record["planned_minutes"] == 30 and record["status"] == "running"
    assert len(record["part_timers"]) == 2 and "halfway_timer" not in record
    assert {timer["id"] for timer in active(alexa_api)} == {*record["part_timers"], record["end_timer"]}


@pytest.mark.parametrize(
    ("heard", "durations", "said"),
    [
        ("PT45M", ["PT15M", "PT30M", "PT45M"], "Your 45 minutes start now"),
        ("PT25M", ["PT8M20S", "PT16M40S", "PT25M"], "Three parts of about 8 minutes"),
        ("PT10M", ["PT5M", "PT10M", "PT15M"], "Fifteen minutes is the shortest I time, so let's do fifteen."),
        ("PT2H", ["PT30M", "PT1H", "PT1H30M"], "Ninety minutes is the longest I time"),
        (
            "PT?M",
            ["PT10M", "PT20M", "PT30M"],
            "I didn't catch how long, so thirty minutes it is.",
        ),
    ],
)
def test_its_length_can_be_asked_for_within_fifteen_to_ninety_minutes(
    household: Household, alexa_api: FakeAlexaApi, heard: str, durations: list[str], said: str
) -> None:
    reply = start(household, heard)
    assert [body[0] for body in timer_bodies(alexa_api)] == durations
    assert said in reply.speech


def test_a_running_daily_check_in_stands_in_the_way(household: Household, alexa_api: FakeAlexaApi) -> None:
    household.one_shot("StartCheckInIntent")
    household.wait(minutes=5)
    reply = start(household)
    assert "already going, with 15 minutes left" in reply.speech
    assert len(alexa_api.calls("timer_create")) == 2, "no monthly timers were set"


# --- the opening: the household's own month, as a gift ---


def test_a_quiet_month_is_welcomed_without_a_score(household: Household) -> None:
    reply = start(household)
    assert "Whatever this month held, you're here together now." in reply.speech
    for word in ("missed", "streak", "only", "no check-ins", "zero"):
        assert word not in reply.speech.lower()


def test_the_opening_counts_the_months_check_ins_and_appreciations_and_offers_two(
    household: Household, stack: Stack, alexa_api: FakeAlexaApi
) -> None:
    past_checkin(stack, household, days_ago=12)
    past_checkin(stack, household, days_ago=45)  # last month's: not this one's
    appreciation(stack, household, days_ago=2, text="how you fixed the gate")
    appreciation(stack, household, days_ago=9, text="the soup when I was ill", author="Alex")
    appreciation(stack, household, days_ago=20, text="the long walk")
    appreciation(stack, household, days_ago=40, text="something from long ago")

    reply = start(household)

    assert "This month you shared one check-in and 3 appreciations." in reply.speech
    assert reply.speech.endswith("Shall I read two of this month's appreciations before you begin?")
    assert reply.listening and alexa_api.calls("timer_create") == [], "nothing starts before the answer"

    begun = household.intent("AMAZON.YesIntent")
    assert begun.speech.startswith("Two from this month.")
    assert "Sam appreciated how you fixed the gate" in begun.speech
    assert "Alex appreciated the soup when I was ill" in begun.speech
    assert "the long walk" not in begun.speech, "the two newest, not three"
    assert "Your 30 minutes start now" in begun.speech and not begun.listening
    assert len(alexa_api.calls("timer_create")) == 3


def test_no_to_the_appreciations_starts_straight_away(
    household: Household, stack: Stack, alexa_api: FakeAlexaApi
) -> None:
    for days in (1, 2):
        appreciation(stack, household, days_ago=days, text=f"kindness {days}")
    start(household, "PT45M")
    begun = household.intent("AMAZON.NoIntent")
    assert "kindness" not in begun.speech and "Your 45 minutes start now" in begun.speech
    assert [body[0] for body in timer_bodies(alexa_api)] == ["PT15M", "PT30M", "PT45M"]


@pytest.mark.parametrize(
    "interruption", ["AMAZON.StopIntent", "AMAZON.CancelIntent", "TonightsQuestionIntent"]
)
def test_leaving_the_offer_starts_nothing(
    household: Household, stack: Stack, alexa_api: FakeAlexaApi, interruption: str
) -> None:
    for days in (1, 2):
        appreciation(stack, household, days_ago=days, text=f"kindness {days}")
    start(household)
    household.intent(interruption)
    assert alexa_api.calls("timer_create") == [] and records(stack, household, "CHECKIN#") == []
    assert "monthly.minutes" not in household.conversation.attributes


@pytest.mark.parametrize("intent", ["AMAZON.HelpIntent", "AMAZON.FallbackIntent"])
def test_help_or_stray_words_at_the_offer_say_what_it_asks(
    household: Household, stack: Stack, intent: str
) -> None:
    for days in (1, 2):
        appreciation(stack, household, days_ago=days, text=f"kindness {days}")
    start(household)
    reply = household.intent(intent)
    assert "Say yes, and I'll read two of this month's appreciations" in reply.speech and reply.listening


# --- the plan: kept, confirmed only when stored, read back next month ---


def test_the_plan_is_kept_and_read_back_at_the_next_monthly_check_in(
    household: Household, stack: Stack
) -> None:
    start(household)
    household.wait(minutes=31)
    saved = household.one_shot("MonthlyPlanIntent", text="cooking together on sundays")
    assert saved.speech == "I've saved it: cooking together on sundays. Next month, I'll ask how it went."
    [plan] = records(stack, household, "PLAN#")
    assert plan["text"] == "cooking together on sundays"

    household.wait(days=28)
    reply = start(household)
    assert "Last month you planned: cooking together on sundays. How did it go?" in reply.speech
    assert "This month you shared one check-in." in reply.speech


def test_a_long_plan_is_kept_whole_and_read_back_by_its_first_words(
    household: Household, stack: Stack
) -> None:
    words = "a walk every single evening after dinner with both phones left at home on the shelf"
    saved = household.one_shot("MonthlyPlanIntent", text=words)
    assert saved.speech == "I've saved every word of your plan. Next month, I'll ask how it went."
    household.wait(days=30)
    assert (
        "Last month's plan began: a walk every single evening after. How did it go?"
        in start(household).speech
    )
    assert records(stack, household, "PLAN#")[0]["text"] == words


def test_a_request_alexa_sends_twice_keeps_one_plan(household: Household, stack: Stack) -> None:
    envelope = household.conversation.intent("MonthlyPlanIntent", {"text": "breakfast in bed"})
    first, again = household.send(copy.deepcopy(envelope)), household.send(copy.deepcopy(envelope))
    assert first.speech == again.speech and "I've saved it" in first.speech
    assert len(records(stack, household, "PLAN#")) == 1


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (None, "What's one thing you'll try this month? Start with: we'll try."),
        ("", "What's one thing you'll try this month?"),
        ("?!", "What's one thing you'll try this month?"),
        ("x" * 501, "Could you say it more briefly?"),
    ],
)
def test_an_unheard_or_overlong_plan_is_asked_for_again_never_saved(
    household: Household, stack: Stack, text: str | None, said: str
) -> None:
    reply = household.one_shot("MonthlyPlanIntent", text=text)
    assert said in reply.speech and reply.listening
    assert records(stack, household, "PLAN#") == []


def test_a_plan_dynamodb_refused_is_not_said_saved_and_a_retry_keeps_it_once(
    household: Household, stack: Stack, dynamodb: DynamoDbCalls
) -> None:
    dynamodb.failing.add("PutItem")
    failed = household.one_shot("MonthlyPlanIntent", text="dancing in the kitchen")
    assert failed.speech.startswith("Sorry, I couldn't save your plan just now, so it isn't saved.")
    assert "I've saved" not in failed.speech and failed.listening
    assert records(stack, household, "PLAN#") == []

    still = household.intent("AMAZON.YesIntent")
    assert "isn't saved" in still.speech and records(stack, household, "PLAN#") == []

    dynamodb.failing.clear()
    saved = household.intent("AMAZON.YesIntent")
    assert saved.speech.startswith("I've saved it: dancing in the kitchen.")
    [plan] = records(stack, household, "PLAN#")
    assert plan["sk"] == failed.session_attributes["monthly.pending_plan"]["sk"]


def test_no_to_trying_again_says_the_plan_is_not_saved(household: Household, dynamodb: DynamoDbCalls) -> None:
    dynamodb.failing.add("PutItem")
    household.one_shot("MonthlyPlanIntent", text="dancing in the kitchen")
    dynamodb.failing.clear()
    reply = household.intent("AMAZON.NoIntent")
    assert reply.speech.startswith("All right, I haven't saved it.") and not reply.listening


# --- while it runs: the check-in's own machinery, for three parts ---


def test_its_timers_announce_each_part_on_alexas_clock(household: Household, alexa_api: FakeAlexaApi) -> None:
    start(household)
    household.wait(minutes=10, seconds=1)
    assert [timer.announcement for timer in alexa_api.state.timers.ring_due()] == [ANNOUNCED.parts[0]]
    assert household.one_shot("CheckInTimeLeftIntent").speech == (
        "You have 20 minutes left in your monthly check-in."
    )
    household.wait(minutes=20)
    assert [timer.announcement for timer in alexa_api.state.timers.ring_due()] == [
        ANNOUNCED.parts[1],
        ANNOUNCED.end,
    ]


def test_pause_and_resume_move_all_three_timers(household: Household, alexa_api: FakeAlexaApi) -> None:
    start(household)
    household.wait(minutes=5)
    paused = household.one_shot("PauseCheckInIntent")
    assert paused.speech.startswith("Paused, with 25 minutes left.")
    assert {timer["status"] for timer in active(alexa_api)} == {"PAUSED"}
    household.wait(minutes=15)
    resumed = household.one_shot("ResumeCheckInIntent")
    assert resumed.speech == "Resumed, with 25 minutes to go."
    trigger_times = sorted(timer["triggerTime"] for timer in active(alexa_api))
    assert trigger_times == ["2026-11-20T20:25:00Z", "2026-11-20T20:35:00Z", "2026-11-20T20:45:00Z"]


def test_a_part_timer_cancelled_outside_the_skill_is_owned_up_to(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    start(household)
    [record] = records(stack, household, "CHECKIN#")
    alexa_api.state.timers.cancel(record["part_timers"][1])
    reply = household.one_shot("PauseCheckInIntent")
    assert (
        "A reminder for the next part seems to be gone: change parts about every 10 minutes." in reply.speech
    )


def test_ending_it_early_cancels_every_timer_and_asks_what_to_try(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    start(household)
    household.wait(minutes=12)
    ended = household.one_shot("EndCheckInIntent")
    assert ended.speech.startswith("I've ended your monthly check-in and cancelled its timers.")
    assert ended.speech.endswith("What's one thing you'll try this month? Start with: we'll try.")
    assert ended.listening and active(alexa_api) == []
    assert records(stack, household, "CHECKIN#")[0]["status"] == "ended_early"
    saved = household.intent("MonthlyPlanIntent", text="a date night every friday")
    assert saved.speech.startswith("I've saved it: a date night every friday.")


def test_once_its_time_is_up_there_is_nothing_left_to_pause(household: Household) -> None:
    start(household)
    household.wait(minutes=31)
    assert "no check-in going right now" in household.one_shot("PauseCheckInIntent").speech


def test_one_found_over_at_alexa_is_closed_and_says_how_to_keep_the_plan(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    start(household, "PT15M")
    household.wait(minutes=5)
    household.one_shot("PauseCheckInIntent")
    household.wait(minutes=15)
    alexa_api.state.timers.cancel(records(stack, household, "CHECKIN#")[0]["end_timer"])
    reply = household.one_shot("CheckInTimeLeftIntent")
    assert reply.speech.startswith("Your monthly check-in has finished. To keep what you'll try this month")
    assert active(alexa_api) == [], "its part timers were cancelled with it"
    assert records(stack, household, "CHECKIN#")[0]["status"] == "finished"


# --- the timers permission, for a monthly check-in ---


def test_without_the_permission_alexa_asks_and_the_monthly_check_in_starts_once_granted(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    token = household.device.api_access_token or ""
    alexa_api.state.timers.refuse(token)
    asked = start(household, "PT45M")
    assert asked.directives[0]["token"] == "monthly:45"
    assert "To time your monthly check-in and announce each part" in asked.speech
    assert asked.speech.startswith("Welcome to your monthly check-in."), "the opening is not lost"
    alexa_api.state.timers.grant(token)
    granted = household.request(
        {
            "type": "Connections.Response",
            "name": "AskFor",
            "status": {"code": "200", "message": "OK"},
            "payload": {"permissionScope": Scope.TIMERS, "status": "ACCEPTED"},
            "token": "monthly:45",
        }
    )
    assert "Three parts of about 15 minutes" in granted.speech
    assert records(stack, household, "CHECKIN#")[0]["kind"] == "monthly"


def test_declined_it_offers_the_monthly_guide_without_timers(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    alexa_api.state.timers.refuse(household.device.api_access_token or "")
    start(household)
    declined = household.request(
        {
            "type": "Connections.Response",
            "name": "AskFor",
            "status": {"code": "200", "message": "OK"},
            "payload": {"permissionScope": Scope.TIMERS, "status": "DENIED"},
            "token": "monthly:30",
        }
    )
    assert declined.listening and declined.card["type"] == "AskForPermissionsConsent"
    guided = household.intent("AMAZON.YesIntent")
    assert "Three parts" in guided.speech and "change parts about every 10 minutes" in guided.speech
    [record] = records(stack, household, "CHECKIN#")
    assert record["kind"] == "monthly" and "end_timer" not in record
    ended = household.one_shot("EndCheckInIntent")
    assert ended.speech.startswith("I've ended your monthly check-in. Thank you for making the time.")


# --- faults: nothing claimed that was not done ---


def test_a_check_in_dynamodb_will_not_keep_cancels_its_three_timers(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack, dynamodb: DynamoDbCalls
) -> None:
    dynamodb.failing.add("PutItem")
    reply = start(household)
    assert "couldn't save your check-in, so I've cancelled its timers and it hasn't started" in reply.speech
    assert active(alexa_api) == [] and len(alexa_api.calls("timer_create")) == 3


def test_a_month_that_cannot_be_read_starts_nothing(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack, dynamodb: DynamoDbCalls
) -> None:
    dynamodb.failing.add("Query")
    reply = start(household)
    assert reply.speech.startswith("Sorry, something went wrong on my side, and I didn't finish that.")
    dynamodb.failing.clear()
    assert alexa_api.calls("timer_create") == [] and records(stack, household, "CHECKIN#") == []


# --- on an Echo Show: the current part and a countdown ---


@pytest.fixture
def show(stack: Stack, alexa_api: FakeAlexaApi, accounts: Accounts) -> Household:
    device = Device(user_id=accounts.user_id(), api_endpoint=alexa_api.endpoint, has_screen=True)
    screen = Household(stack.handler(), device=device)
    alexa_api.state.timers.clock = lambda: screen.now
    return screen


def screen_of(reply: Reply) -> dict[str, Any]:
    [directive] = [d for d in reply.directives if d["type"] == "Alexa.Presentation.APL.RenderDocument"]
    return directive


def test_a_screen_shows_the_part_and_a_countdown_and_nothing_else(show: Household) -> None:
    shown = screen_of(start(show))
    data = shown["datasources"]["checkin"]
    assert data["titles"] == ["What worked", "What didn't", "One new way to connect"]
    assert data["partEnds"] == [600_000, 1_200_000, 1_800_000] and data["paused"] is False
    assert shown["document"]["settings"]["idleTimeout"] == 1_800_000
    texts = [item["text"] for item in shown["document"]["mainTemplate"]["items"][0]["items"]]
    assert len(texts) == 3, "a title, a countdown, and a note only while paused"


def test_pausing_shows_it_stopped_where_it_is_and_resuming_counts_on(show: Household) -> None:
    start(show)
    show.wait(minutes=12)
    paused = screen_of(show.one_shot("PauseCheckInIntent"))["datasources"]["checkin"]
    assert paused["paused"] is True and paused["partEnds"] == [0, 480_000, 1_080_000]
    show.wait(minutes=3)
    resumed = screen_of(show.one_shot("ResumeCheckInIntent"))["datasources"]["checkin"]
    assert resumed["paused"] is False and resumed["partEnds"] == [0, 480_000, 1_080_000]


def test_a_device_without_a_screen_and_the_daily_check_in_get_no_apl(
    household: Household, show: Household
) -> None:
    assert start(household).directives == []
    assert show.one_shot("StartCheckInIntent").directives == []


# --- deletion ---


def test_delete_all_our_data_takes_the_plans_and_monthly_check_ins_too(
    household: Household, stack: Stack
) -> None:
    start(household)
    household.one_shot("MonthlyPlanIntent", text="a walk on sundays")
    household.launch()
    household.intent("DeleteAllDataIntent")
    household.intent("AMAZON.YesIntent")
    assert household_items(stack.table_name, household.device.user_id) == []


def test_the_opening_reads_only_this_households_month(
    household: Household, stack: Stack, accounts: Accounts
) -> None:
    neighbour = Household(stack.handler(), device=Device(user_id=accounts.user_id("NEIGHBOUR")))
    neighbour.one_shot("MonthlyPlanIntent", text="their secret plan")
    appreciation(stack, neighbour, days_ago=1, text="their kindness")
    appreciation(stack, neighbour, days_ago=2, text="their kindness again")
    reply = start(household)
    assert "secret" not in reply.speech and "shared" not in reply.speech and not reply.listening


def test_the_month_is_the_thirty_days_up_to_now(household: Household, stack: Stack) -> None:
    appreciation(stack, household, days_ago=29.9, text="just inside")
    appreciation(stack, household, days_ago=30.1, text="just outside")
    assert "This month you shared one appreciation." in start(household).speech


@pytest.mark.parametrize("fault", FAULTS)
def test_a_plan_refused_on_the_wire_is_never_said_saved(
    household: Household, stack: Stack, fault: str
) -> None:
    with wire_faults(fault) as faults:
        faults.failing = {"PutItem"}
        reply = household.one_shot("MonthlyPlanIntent", text="a picnic")
        faults.failing = set()
    assert faults.attempts > 0 and "isn't saved" in reply.speech and "I've saved" not in reply.speech
    assert records(stack, household, "PLAN#") == []


def test_part_timers_that_cannot_be_cancelled_with_a_gone_one_are_owned_up_to_as_the_next_parts(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    start(household, "PT15M")
    household.wait(minutes=2)
    alexa_api.state.timers.cancel(records(stack, household, "CHECKIN#")[0]["end_timer"])
    alexa_api.fail("timer_delete", 503)
    reply = household.one_shot("CheckInTimeLeftIntent")
    assert reply.speech.endswith(
        "I couldn't change the reminders for the next parts, though, so they may still go off."
    )
    assert records(stack, household, "CHECKIN#")[0]["status"] == "timers_gone"
