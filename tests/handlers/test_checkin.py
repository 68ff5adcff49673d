"""The check-in end to end: the deployed handler, moto's DynamoDB, the fake Alexa Timers API over HTTPS."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import boto3
import pytest

from content.checkin import checkin_content
from skill.store.table import from_item
from skill.tools.console.envelopes import Device
from skill.tools.console.fake_alexa import FakeAlexaApi
from skill.vocabulary import Scope
from tests.support import REGION, Accounts, Household, Reply, Stack, household_items

HALFWAY = checkin_content().announcements.halfway
END = checkin_content().announcements.end
LOS_ANGELES = ZoneInfo("America/Los_Angeles")  # the fake Alexa API's default device time zone


@pytest.fixture(autouse=True)
def timers_on_alexas_clock(household: Household, alexa_api: FakeAlexaApi) -> None:
    """The fake timers count down on the same clock as the household's requests."""
    alexa_api.state.timers.clock = lambda: household.now


def start(household: Household, duration: str | None = None) -> Reply:
    """'Alexa, tell Closer Together to start our check-in' (with a duration if one was heard)."""
    return household.one_shot("StartCheckInIntent", duration=duration)


def checkins(stack: Stack, household: Household) -> list[dict[str, Any]]:
    """The household's check-in records, oldest first."""
    items = household_items(stack.table_name, household.device.user_id, "CHECKIN#")
    return sorted((from_item(item) for item in items), key=lambda i: i["sk"])


def posted_timers(alexa_api: FakeAlexaApi) -> list[dict[str, Any]]:
    return [call.body for call in alexa_api.calls("timer_create")]


def timer_request(duration: str, announcement: str, locale: str = "en-US") -> dict[str, Any]:
    return {
        "duration": duration,
        "timerLabel": "check-in",
        "creationBehavior": {"displayExperience": {"visibility": "VISIBLE"}},
        "triggeringBehavior": {
            "operation": {"type": "ANNOUNCE", "textToAnnounce": [{"locale": locale, "text": announcement}]},
            "notificationConfig": {"playAudible": True},
        },
    }


def permission_answer(
    household: Household, status: str, code: str = "200", token: str = "checkin:20"
) -> Reply:
    """Alexa's Connections.Response after she asked the household for the timers permission."""
    return household.request(
        {
            "type": "Connections.Response",
            "name": "AskFor",
            "status": {"code": code, "message": "OK"},
            "payload": {"permissionScope": Scope.TIMERS, "status": status},
            "token": token,
        }
    )


def active_timers(alexa_api: FakeAlexaApi) -> list[dict[str, Any]]:
    return [timer.json() for timer in alexa_api.state.timers.active.values()]


# --- starting ---


def test_start_sets_a_halfway_and_an_end_timer_and_speaks_a_short_guide(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    reply = start(household)

    assert posted_timers(alexa_api) == [timer_request("PT10M", HALFWAY), timer_request("PT20M", END)]
    for call in alexa_api.calls("timer_create"):
        assert call.headers["Authorization"] == f"Bearer {household.device.api_access_token}"
    for phrase in ("Phones away", "speaks first", "for about 10 minutes", "say back what you heard"):
        assert phrase in reply.speech
    assert "Your 20 minutes start now" in reply.speech
    assert len(reply.speech) < 600, "the guide and its close must fit in about half a minute"
    assert not reply.listening, "the check-in is device-free: the session closes"

    [record] = checkins(stack, household)
    assert record["sk"].startswith("CHECKIN#2026-11-20T20:00:00Z#")
    assert record["planned_minutes"] == 20 and record["status"] == "running"
    assert record["ends_at"] == "2026-11-20T20:20:00+00:00"
    timers = {timer["id"]: timer for timer in active_timers(alexa_api)}
    assert timers[record["halfway_timer"]]["triggerTime"] == "2026-11-20T20:10:00Z"
    assert timers[record["end_timer"]]["triggerTime"] == "2026-11-20T20:20:00Z"


def test_announcements_are_in_the_requests_locale(
    stack: Stack, alexa_api: FakeAlexaApi, accounts: Accounts
) -> None:
    device = Device(user_id=accounts.user_id(), api_endpoint=alexa_api.endpoint, locale="en-GB")
    british = Household(stack.handler(), device=device)
    alexa_api.state.timers.clock = lambda: british.now
    start(british)
    assert posted_timers(alexa_api) == [
        timer_request("PT10M", HALFWAY, "en-GB"),
        timer_request("PT20M", END, "en-GB"),
    ]


@pytest.mark.parametrize(
    ("heard", "halfway", "end", "said"),
    [
        ("PT15M", "PT7M30S", "PT15M", "for about 7 and a half minutes"),
        ("PT1H", "PT30M", "PT1H", "Your 60 minutes start now"),
        ("PT2M", "PT2M30S", "PT5M", "Five minutes is the shortest check-in I time"),
        ("PT30S", "PT2M30S", "PT5M", "Five minutes is the shortest check-in I time"),
        ("PT2H", "PT30M", "PT1H", "An hour is the longest I time"),
        ("P1D", "PT30M", "PT1H", "An hour is the longest I time"),
        ("PT?M", "PT10M", "PT20M", "I didn't catch how long, so let's do the usual twenty minutes"),
        (None, "PT10M", "PT20M", "Your 20 minutes start now"),
    ],
)
def test_lengths_default_to_twenty_and_stay_between_five_and_sixty_minutes(
    household: Household, alexa_api: FakeAlexaApi, heard: str | None, halfway: str, end: str, said: str
) -> None:
    reply = start(household, heard)
    assert [body["duration"] for body in posted_timers(alexa_api)] == [halfway, end]
    assert said in reply.speech


def test_an_asked_for_length_is_not_remarked_on(household: Household) -> None:
    reply = start(household, "PT15M")
    assert "shortest" not in reply.speech and "longest" not in reply.speech and "catch" not in reply.speech


def test_a_running_check_in_blocks_a_second_and_says_how_long_is_left(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    start(household)
    household.wait(minutes=3)
    reply = start(household, "PT15M")
    assert "already going, with 17 minutes left" in reply.speech
    assert len(posted_timers(alexa_api)) == 2 and len(checkins(stack, household)) == 1


def test_once_a_check_in_has_run_its_course_the_next_one_opens_differently(
    household: Household, stack: Stack
) -> None:
    first = start(household)
    household.wait(minutes=21)
    second = start(household)
    assert "Your 20 minutes start now" in second.speech
    openers = [record["opener"] for record in checkins(stack, household)]
    assert len(openers) == 2 and openers[0] != openers[1]
    assert first.speech != second.speech


# --- the timers permission ---


def test_without_the_permission_alexa_is_asked_to_ask_for_it(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    alexa_api.state.timers.refuse(household.device.api_access_token or "")
    reply = start(household)

    assert reply.directives == [
        {
            "type": "Connections.SendRequest",
            "name": "AskFor",
            "payload": {
                "@type": "AskForPermissionsConsentRequest",
                "@version": "2",
                "permissionScopes": [{"permissionScope": Scope.TIMERS, "consentLevel": "ACCOUNT"}],
            },
            "token": "checkin:20",
        }
    ]
    assert "permission to set timers" in reply.speech
    assert "shouldEndSession" not in reply.response and "reprompt" not in reply.response
    assert checkins(stack, household) == [] and active_timers(alexa_api) == []


def test_once_granted_the_timers_start_at_once(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    token = household.device.api_access_token or ""
    alexa_api.state.timers.refuse(token)
    start(household, "PT30M")
    alexa_api.state.timers.grant(token)

    reply = permission_answer(household, "ACCEPTED", token="checkin:30")

    assert reply.speech.startswith("Thank you for allowing timers.")
    assert "Phones away" in reply.speech and "Your 30 minutes start now" in reply.speech
    assert [body["duration"] for body in posted_timers(alexa_api)[-2:]] == ["PT15M", "PT30M"]
    assert len(active_timers(alexa_api)) == 2
    [record] = checkins(stack, household)
    assert record["planned_minutes"] == 30 and record["end_timer"] and record["halfway_timer"]


def test_an_out_of_range_length_is_explained_before_asking(
    household: Household, alexa_api: FakeAlexaApi
) -> None:
    alexa_api.state.timers.refuse(household.device.api_access_token or "")
    reply = start(household, "PT3H")
    assert "An hour is the longest" in reply.speech
    assert reply.directives[0]["token"] == "checkin:60"


@pytest.mark.parametrize("status", ["DENIED", "NOT_ANSWERED"])
def test_declining_gets_a_kind_word_a_consent_card_and_the_guide_on_offer(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack, status: str
) -> None:
    alexa_api.state.timers.refuse(household.device.api_access_token or "")
    start(household)

    reply = permission_answer(household, status)

    assert "I won't set any timers" in reply.speech and "guide anyway" in reply.speech
    assert reply.card == {"type": "AskForPermissionsConsent", "permissions": [Scope.TIMERS]}
    assert reply.listening and "yes or no" in reply.reprompt
    assert checkins(stack, household) == [] and active_timers(alexa_api) == []


def test_yes_to_the_offer_gives_the_guide_untimed_and_records_it(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    alexa_api.state.timers.refuse(household.device.api_access_token or "")
    start(household, "PT15M")
    permission_answer(household, "DENIED", token="checkin:15")

    reply = household.intent("AMAZON.YesIntent")

    assert "Phones away" in reply.speech
    assert (
        "I haven't set any timers" in reply.speech
        and "switch after about 7 and a half minutes" in reply.speech
    )
    assert not reply.listening
    [record] = checkins(stack, household)
    assert record["planned_minutes"] == 15 and "end_timer" not in record and "halfway_timer" not in record
    assert len(alexa_api.calls("timer_create")) == 1, (
        "only the first, refused, attempt reached the timers API"
    )

    household.wait(minutes=4)
    assert "11 minutes left" in household.one_shot("CheckInTimeLeftIntent").speech
    ended = household.one_shot("EndCheckInIntent")
    assert "I've ended your check-in." in ended.speech and "timers" not in ended.speech


def test_no_to_the_offer_leaves_it_for_now(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    alexa_api.state.timers.refuse(household.device.api_access_token or "")
    start(household)
    permission_answer(household, "DENIED")

    assert "yes" in household.intent("AMAZON.HelpIntent").speech.lower()
    reply = household.intent("AMAZON.NoIntent")

    assert "Whenever you're ready" in reply.speech and not reply.listening
    assert checkins(stack, household) == []


def test_accepted_but_still_refused_offers_the_guide_rather_than_asking_again(
    household: Household, alexa_api: FakeAlexaApi
) -> None:
    alexa_api.state.timers.refuse(household.device.api_access_token or "")
    start(household)
    reply = permission_answer(household, "ACCEPTED")
    assert reply.directives == [] and reply.card and reply.card["type"] == "AskForPermissionsConsent"
    assert reply.listening


def test_another_features_permission_answer_is_not_taken_for_ours(household: Household) -> None:
    reply = permission_answer(household, "ACCEPTED", token="reminders")
    assert "Phones away" not in reply.speech


# --- when the timers API fails ---


@pytest.mark.parametrize(
    ("status", "said"),
    [
        (500, "couldn't set the timers just now, so your check-in hasn't started"),
        (400, "couldn't set the timers just now, so your check-in hasn't started"),
        (504, "couldn't reach your Echo to set the timers, so your check-in hasn't started"),
    ],
)
def test_a_failing_timers_api_gets_an_apology_and_nothing_is_recorded(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack, status: int, said: str
) -> None:
    alexa_api.fail("timer_create", status)
    reply = start(household)
    assert said in reply.speech and "Phones away" not in reply.speech
    assert reply.directives == []
    assert checkins(stack, household) == [] and active_timers(alexa_api) == []


def test_an_unreachable_timers_api_gets_the_same_apology(
    stack: Stack, alexa_api: FakeAlexaApi, accounts: Accounts
) -> None:
    nowhere = Household(
        stack.handler(), device=Device(user_id=accounts.user_id(), api_endpoint="https://127.0.0.1:9")
    )
    reply = start(nowhere)
    assert "hasn't started" in reply.speech and checkins(stack, nowhere) == []


@pytest.mark.own_account("deletes the table")
def test_a_failing_table_means_no_timers_are_set(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    boto3.client("dynamodb", region_name=REGION).delete_table(TableName=stack.table_name)
    reply = start(household)
    assert "Sorry" in reply.speech and "start now" not in reply.speech
    assert alexa_api.calls("timer_create") == []


# --- while it runs ---


def test_time_left_pause_resume_and_end(household: Household, alexa_api: FakeAlexaApi, stack: Stack) -> None:
    start(household)
    household.wait(minutes=5)
    assert household.one_shot("CheckInTimeLeftIntent").speech == "You have 15 minutes left in your check-in."

    paused = household.one_shot("PauseCheckInIntent")
    assert paused.speech.startswith("Paused, with 15 minutes left.")
    assert {timer["status"] for timer in active_timers(alexa_api)} == {"PAUSED"}
    assert sorted(timer["remainingTimeWhenPaused"] for timer in active_timers(alexa_api)) == ["PT15M", "PT5M"]
    assert checkins(stack, household)[0]["status"] == "paused"

    household.wait(minutes=30)
    assert "paused, with 15 minutes left" in household.one_shot("CheckInTimeLeftIntent").speech
    assert "already paused" in household.one_shot("PauseCheckInIntent").speech

    resumed = household.one_shot("ResumeCheckInIntent")
    assert resumed.speech == "Resumed, with 15 minutes to go."
    assert sorted(timer["triggerTime"] for timer in active_timers(alexa_api)) == [
        "2026-11-20T20:40:00Z",
        "2026-11-20T20:50:00Z",
    ]
    record = checkins(stack, household)[0]
    assert record["status"] == "running" and record["ends_at"] == "2026-11-20T20:50:00+00:00"
    assert "isn't paused" in household.one_shot("ResumeCheckInIntent").speech

    household.wait(minutes=2)
    ended = household.one_shot("EndCheckInIntent")
    assert "I've ended your check-in and cancelled its timer" in ended.speech
    assert "appreciate" in ended.speech
    assert active_timers(alexa_api) == [] and len(alexa_api.calls("timer_delete")) == 2
    record = checkins(stack, household)[0]
    assert record["status"] == "ended_early" and record["ended_at"] == "2026-11-20T20:37:00+00:00"
    assert "no check-in going" in household.one_shot("CheckInTimeLeftIntent").speech


def test_after_halfway_has_rung_pause_and_end_still_work(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    start(household)
    household.wait(minutes=12)
    assert [timer.announcement for timer in alexa_api.state.timers.ring_due()] == [HALFWAY]

    paused = household.one_shot("PauseCheckInIntent")
    assert paused.speech.startswith("Paused, with 8 minutes left.") and "halfway" not in paused.speech
    ended = household.one_shot("EndCheckInIntent")
    assert (
        "I've ended your check-in" in ended.speech
        and checkins(stack, household)[0]["status"] == "ended_early"
    )


def test_time_left_comes_from_the_timer_when_it_was_paused_outside_the_skill(
    household: Household, alexa_api: FakeAlexaApi
) -> None:
    start(household)
    household.wait(minutes=4)
    for timer in alexa_api.state.timers.active.values():  # "Alexa, pause the timers", said to Alexa herself
        alexa_api.state.timers.pause(timer)
    household.wait(minutes=10)
    assert "paused, with 16 minutes left" in household.one_shot("CheckInTimeLeftIntent").speech


def test_a_failing_pause_changes_nothing_and_says_so(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    start(household)
    alexa_api.fail("timer_pause", 500)
    reply = household.one_shot("PauseCheckInIntent")
    assert "couldn't reach your timers just now, so nothing has changed" in reply.speech
    assert checkins(stack, household)[0]["status"] == "running"


def test_a_failing_end_leaves_the_check_in_going(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    start(household)
    alexa_api.fail("timer_delete", 504)
    assert "nothing has changed" in household.one_shot("EndCheckInIntent").speech
    assert checkins(stack, household)[0]["status"] == "running" and len(active_timers(alexa_api)) == 2


@pytest.mark.parametrize("intent", ["CheckInTimeLeftIntent", "PauseCheckInIntent", "EndCheckInIntent"])
def test_with_no_check_in_going_each_says_how_to_start_one(household: Household, intent: str) -> None:
    assert "no check-in going right now" in household.one_shot(intent).speech


def test_amazons_pause_and_resume_work_on_a_running_check_in(
    household: Household, alexa_api: FakeAlexaApi
) -> None:
    start(household)
    household.launch()
    assert household.intent("AMAZON.PauseIntent").speech.startswith("Paused")
    household.launch()
    assert household.intent("AMAZON.ResumeIntent").speech.startswith("Resumed")


def test_amazons_pause_is_not_ours_when_no_check_in_is_going(
    household: Household, alexa_api: FakeAlexaApi
) -> None:
    household.launch()
    reply = household.intent("AMAZON.PauseIntent")
    assert "no check-in" not in reply.speech and alexa_api.calls("timer_pause") == []


# --- when the timers are gone at Alexa: cancelled by voice, or already gone off ---

TIMERS_GONE = "Your check-in's timer was cancelled or has already gone off, so I've closed that check-in."


def cancel_by_voice(alexa_api: FakeAlexaApi, *timer_ids: str) -> None:
    """'Alexa, cancel the timer', said to Alexa herself: the Timers API answers 404 for them from now on."""
    alexa_api.state.timers.cancel(*timer_ids)


def both_timers(stack: Stack, household: Household) -> tuple[str, str]:
    record = checkins(stack, household)[-1]
    return record["halfway_timer"], record["end_timer"]


def test_pausing_when_the_timers_were_cancelled_closes_the_check_in_and_never_says_paused(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    start(household)
    household.wait(minutes=5)
    cancel_by_voice(alexa_api, *both_timers(stack, household))

    reply = household.one_shot("PauseCheckInIntent")

    assert reply.speech == TIMERS_GONE and not reply.listening
    record = checkins(stack, household)[0]
    assert record["status"] == "timers_gone" and record["ended_at"] == "2026-11-20T20:05:00+00:00"
    assert active_timers(alexa_api) == []
    assert "no check-in going" in household.one_shot("CheckInTimeLeftIntent").speech


def test_resuming_when_the_paused_timers_were_cancelled_closes_the_check_in_and_never_says_resumed(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    start(household)
    household.wait(minutes=5)
    household.one_shot("PauseCheckInIntent")
    cancel_by_voice(alexa_api, *both_timers(stack, household))
    household.wait(minutes=3)

    reply = household.one_shot("ResumeCheckInIntent")

    assert reply.speech == TIMERS_GONE and "Resumed" not in reply.speech
    record = checkins(stack, household)[0]
    assert record["status"] == "timers_gone" and record["ended_at"] == "2026-11-20T20:08:00+00:00"
    assert "no check-in going" in household.one_shot("ResumeCheckInIntent").speech


def test_when_only_the_end_timer_was_cancelled_the_halfway_one_is_cancelled_too(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    start(household)
    household.wait(minutes=2)
    cancel_by_voice(alexa_api, both_timers(stack, household)[1])

    reply = household.one_shot("PauseCheckInIntent")

    assert reply.speech == TIMERS_GONE
    assert active_timers(alexa_api) == [], "a closed check-in must not announce its halfway later"
    assert checkins(stack, household)[0]["status"] == "timers_gone"
    household.wait(minutes=20)
    assert alexa_api.state.timers.ring_due() == []


def test_a_halfway_timer_that_cannot_be_cancelled_is_owned_up_to(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    start(household)
    cancel_by_voice(alexa_api, both_timers(stack, household)[1])
    alexa_api.fail("timer_delete", 503)

    reply = household.one_shot("CheckInTimeLeftIntent")

    assert reply.speech.startswith(TIMERS_GONE)
    assert "couldn't change the halfway reminder, though, so it may still go off" in reply.speech
    assert checkins(stack, household)[0]["status"] == "timers_gone"


def test_a_timer_that_vanishes_between_reading_and_pausing_is_gone_all_the_same(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    start(household)
    household.wait(minutes=5)
    alexa_api.fail("timer_get", 500)  # the read cannot tell, so our record answers it: 15 minutes left
    cancel_by_voice(alexa_api, *both_timers(stack, household))

    reply = household.one_shot("PauseCheckInIntent")

    assert reply.speech == TIMERS_GONE and "Paused" not in reply.speech
    assert checkins(stack, household)[0]["status"] == "timers_gone"


def test_ending_when_the_timers_are_gone_ends_it_without_claiming_to_cancel_them(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    start(household)
    household.wait(minutes=6)
    cancel_by_voice(alexa_api, *both_timers(stack, household))

    reply = household.one_shot("EndCheckInIntent")

    assert reply.speech.startswith("I've ended your check-in. Its timer was already gone.")
    assert "cancelled its timer" not in reply.speech and "appreciate" in reply.speech
    record = checkins(stack, household)[0]
    assert record["status"] == "ended_early" and record["ended_at"] == "2026-11-20T20:06:00+00:00"


def test_ending_when_only_the_end_timer_is_gone_still_cancels_the_halfway_one(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    start(household)
    cancel_by_voice(alexa_api, both_timers(stack, household)[1])

    reply = household.one_shot("EndCheckInIntent")

    assert "I've ended your check-in" in reply.speech and "cancelled its timer" not in reply.speech
    assert active_timers(alexa_api) == [] and checkins(stack, household)[0]["status"] == "ended_early"


def test_time_left_when_the_timers_were_cancelled_before_the_end_closes_the_check_in(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    start(household)
    household.wait(minutes=5)
    cancel_by_voice(alexa_api, *both_timers(stack, household))

    reply = household.one_shot("CheckInTimeLeftIntent")

    assert reply.speech == TIMERS_GONE and "left" not in reply.speech
    assert checkins(stack, household)[0]["status"] == "timers_gone"


def test_time_left_when_a_paused_check_in_was_resumed_outside_the_skill_and_rang_says_it_finished(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    start(household)
    household.wait(minutes=5)
    household.one_shot("PauseCheckInIntent")
    for timer in list(alexa_api.state.timers.active.values()):  # "Alexa, resume the timers"
        alexa_api.state.timers.resume(timer)
    household.wait(minutes=16)
    assert [timer.announcement for timer in alexa_api.state.timers.ring_due()] == [HALFWAY, END]

    reply = household.one_shot("CheckInTimeLeftIntent")

    assert reply.speech.startswith("Your check-in has finished") and "paused" not in reply.speech
    record = checkins(stack, household)[0]
    assert record["status"] == "finished" and record["ended_at"] == "2026-11-20T20:21:00+00:00"
    assert "no check-in going" in household.one_shot("CheckInTimeLeftIntent").speech


@pytest.mark.parametrize(("paused", "closed_as"), [(False, "timers_gone"), (True, "finished")])
def test_a_check_in_whose_timers_are_gone_does_not_block_a_new_one(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack, paused: bool, closed_as: str
) -> None:
    start(household)
    household.wait(minutes=3)
    if paused:
        household.one_shot("PauseCheckInIntent")
        household.wait(hours=2)  # by our record alone, a paused check-in never runs its course
    cancel_by_voice(alexa_api, *both_timers(stack, household))

    reply = start(household, "PT15M")

    assert "already" not in reply.speech and "Your 15 minutes start now" in reply.speech
    old, new = checkins(stack, household)
    assert old["status"] == closed_as and new["status"] == "running"
    assert {timer["id"] for timer in active_timers(alexa_api)} == {new["halfway_timer"], new["end_timer"]}


def test_a_halfway_timer_cancelled_before_halfway_is_mentioned_when_pausing(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    start(household)
    household.wait(minutes=4)
    cancel_by_voice(alexa_api, both_timers(stack, household)[0])

    paused = household.one_shot("PauseCheckInIntent")
    assert paused.speech.startswith("Paused, with 16 minutes left.")
    assert (
        "halfway reminder seems to be gone" in paused.speech and "when 10 minutes are left" in paused.speech
    )
    assert checkins(stack, household)[0]["status"] == "paused"

    resumed = household.one_shot("ResumeCheckInIntent")
    assert resumed.speech.startswith("Resumed, with 16 minutes to go.") and "halfway" in resumed.speech
    assert checkins(stack, household)[0]["status"] == "running"


@pytest.mark.parametrize("status", [500, 503, 504])
def test_other_timer_failures_close_nothing(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack, status: int
) -> None:
    start(household)
    household.wait(minutes=5)
    alexa_api.fail("timer_get", status)
    alexa_api.fail("timer_pause", status)

    assert household.one_shot("CheckInTimeLeftIntent").speech == "You have 15 minutes left in your check-in."
    assert "couldn't reach your timers just now" in household.one_shot("PauseCheckInIntent").speech
    assert "already going" in start(household).speech
    assert [record["status"] for record in checkins(stack, household)] == ["running"]
    assert len(active_timers(alexa_api)) == 2


# --- looking back ---


def at_local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=LOS_ANGELES)


def test_this_weeks_count_starts_monday_at_four_in_the_households_time_zone(
    household: Household, stack: Stack, alexa_api: FakeAlexaApi, accounts: Accounts
) -> None:
    household.now = at_local(16, 12)
    assert "haven't done a check-in since Monday" in household.one_shot("CheckInCountIntent").speech

    # Sunday evening, and a late one after midnight that still belongs to Sunday night: last week.
    for moment in (at_local(15, 22), at_local(16, 3, 30)):
        household.now = moment
        start(household, "PT5M")
    # Monday after four, and Wednesday evening (ended early): this week.
    household.now = at_local(16, 4, 30)
    start(household, "PT5M")
    household.now = at_local(18, 21)
    start(household, "PT30M")
    household.wait(minutes=2)
    household.one_shot("EndCheckInIntent")

    household.now = at_local(20, 12)
    assert household.one_shot("CheckInCountIntent").speech == "Since Monday, you've done 2 check-ins."
    assert len(checkins(stack, household)) == 4

    neighbour = Household(stack.handler(), device=Device(user_id=accounts.user_id("NEIGHBOUR")))
    neighbour.device.api_endpoint = alexa_api.endpoint
    neighbour.now = household.now
    assert "haven't done a check-in" in neighbour.one_shot("CheckInCountIntent").speech


def test_one_check_in_is_counted_in_the_singular(household: Household) -> None:
    start(household)
    household.wait(hours=1)
    assert household.one_shot("CheckInCountIntent").speech == "Since Monday, you've done one check-in."


def test_the_week_follows_the_devices_time_zone(household: Household, alexa_api: FakeAlexaApi) -> None:
    alexa_api.state.time_zones[household.device.device_id] = "Asia/Tokyo"
    # Monday 04:30 in Tokyo is still Sunday afternoon in Los Angeles.
    household.now = datetime(2026, 11, 16, 4, 30, tzinfo=ZoneInfo("Asia/Tokyo"))
    start(household, "PT5M")
    household.wait(hours=1)
    assert household.one_shot("CheckInCountIntent").speech == "Since Monday, you've done one check-in."


def test_words_not_understood_while_a_check_in_runs_never_open_the_mic(household: Household) -> None:
    start(household)
    household.wait(minutes=3)
    household.launch()
    reply = household.intent("AMAZON.FallbackIntent")
    assert reply.speech.startswith("Sorry, I didn't catch that. Your check-in is still going")
    assert not reply.listening


def test_words_not_understood_with_no_check_in_get_the_general_answer(household: Household) -> None:
    household.launch()
    reply = household.intent("AMAZON.FallbackIntent")
    assert "didn't catch that" in reply.speech and reply.listening
