"""Reminders end to end: said as a couple says them (through the console's matcher of our model), answered
by the deployed handler against moto's DynamoDB and the fake Alexa Reminders API over HTTPS."""

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from content import phrases
from skill.store.table import from_item
from skill.tools.console.fake_alexa import FakeAlexaApi
from skill.tools.console.nlu import understanding
from skill.vocabulary import Scope
from tests.support import Household, Reply, Stack, household_items

LINES = phrases().reminders
CHECKIN = LINES.rituals.checkin.announcement
QUESTION = LINES.rituals.question.announcement
APPRECIATION = LINES.rituals.appreciation.announcement
LOS_ANGELES = "America/Los_Angeles"  # the fake Alexa API's default device time zone


@pytest.fixture(autouse=True)
def reminders_on_alexas_clock(household: Household, alexa_api: FakeAlexaApi) -> None:
    """The fake Reminders API keeps the household's requests' time."""
    alexa_api.state.reminders.clock = lambda: household.now


def say(household: Household, words: str) -> Reply:
    """Words said to the household's Echo, heard by our interaction model as Alexa would hear them."""
    heard = understanding(household.device.locale).resolve(words)
    if heard.kind == "launch":
        return household.launch()
    intent = heard.intent or "AMAZON.FallbackIntent"
    if heard.one_shot:
        return household.one_shot(intent, **heard.slots)
    return household.intent(intent, **heard.slots)


def allow(household: Household, alexa_api: FakeAlexaApi) -> None:
    """The household has granted the reminders permission."""
    alexa_api.state.reminders.grant(household.device.api_access_token or "")


def permission_answer(household: Household, token: str, status: str = "ACCEPTED") -> Reply:
    """Alexa's Connections.Response after she asked the household for the reminders permission."""
    return household.request(
        {
            "type": "Connections.Response",
            "name": "AskFor",
            "status": {"code": "200", "message": "OK"},
            "payload": {"permissionScope": Scope.REMINDERS, "status": status},
            "token": token,
        }
    )


def set_at_alexa(alexa_api: FakeAlexaApi) -> list[dict[str, Any]]:
    """The reminders the fake API holds, as its GET answers them."""
    return [reminder.json() for reminder in alexa_api.state.reminders.active.values()]


def rules(alexa_api: FakeAlexaApi) -> list[str]:
    return [reminder["trigger"]["recurrence"]["recurrenceRules"][0] for reminder in set_at_alexa(alexa_api)]


def indexed(stack: Stack, household: Household) -> dict[str, str]:
    """The household's index of reminders: alert token → ritual."""
    items = [
        from_item(item) for item in household_items(stack.table_name, household.device.user_id, "REMINDER#")
    ]
    return {item["sk"].removeprefix("REMINDER#"): item["ritual"] for item in items}


def set_one(household: Household, alexa_api: FakeAlexaApi, words: str) -> Reply:
    """Ask for a reminder and say yes."""
    say(household, f"ask closer together to {words}")
    return say(household, "yes")


# --- asking, confirming, setting ---


def test_what_will_be_set_is_said_in_full_and_nothing_is_set_before_yes(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    allow(household, alexa_api)
    reply = say(
        household, "alexa, ask closer together to remind us to check in every evening at half past eight"
    )

    assert reply.listening and reply.reprompt
    assert reply.speech == (
        "I'll remind you to check in every day at 8:30 PM, saying: Time for your check-in. Phones away. "
        "Shall I set it?"
    )
    assert alexa_api.calls("reminder_create") == [] and set_at_alexa(alexa_api) == []
    assert indexed(stack, household) == {}


def test_yes_sets_it_in_the_households_time_zone_and_indexes_it(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    allow(household, alexa_api)
    reply = set_one(household, alexa_api, "remind us to check in every evening at half past eight")

    assert reply.speech == "Done. I'll remind you to check in every day at 8:30 PM."
    assert not reply.listening
    [posted] = [call.body for call in alexa_api.calls("reminder_create")]
    assert posted["trigger"] == {
        "type": "SCHEDULED_ABSOLUTE",
        "timeZoneId": LOS_ANGELES,
        "recurrence": {
            "startDateTime": "2026-11-20T12:00:00",
            "recurrenceRules": ["FREQ=DAILY;BYHOUR=20;BYMINUTE=30;BYSECOND=0;INTERVAL=1"],
        },
    }
    assert posted["alertInfo"] == {"spokenInfo": {"content": [{"locale": "en-US", "text": CHECKIN}]}}
    assert posted["pushNotification"] == {"status": "ENABLED"}
    [token] = alexa_api.state.reminders.active
    assert indexed(stack, household) == {token: "checkin"}


@pytest.mark.parametrize(
    ("words", "said", "rule", "announcement"),
    [
        (
            "remind us to check in every sunday at seven",
            "check in every Sunday at 7 PM",
            "FREQ=WEEKLY;BYDAY=SU;BYHOUR=19;BYMINUTE=0;BYSECOND=0;INTERVAL=1",
            CHECKIN,
        ),
        (
            "remind us to check in on weekdays at 9 pm",
            "check in on weekdays at 9 PM",
            "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=21;BYMINUTE=0;BYSECOND=0;INTERVAL=1",
            CHECKIN,
        ),
        (
            "remind us to ask tonight's question every night at eight",
            "ask tonight's question every day at 8 PM",
            "FREQ=DAILY;BYHOUR=20;BYMINUTE=0;BYSECOND=0;INTERVAL=1",
            QUESTION,
        ),
        (
            "remind us to say one thing we appreciate before bed at ten",
            "say what you appreciate every day at 10 PM",
            "FREQ=DAILY;BYHOUR=22;BYMINUTE=0;BYSECOND=0;INTERVAL=1",
            APPRECIATION,
        ),
        (
            "remind us to check in every weekend morning at nine thirty",
            "check in on weekends at 9:30 AM",
            "FREQ=WEEKLY;BYDAY=SA,SU;BYHOUR=9;BYMINUTE=30;BYSECOND=0;INTERVAL=1",
            CHECKIN,
        ),
        (
            "set a reminder for tonight's question every saturday at quarter to eight",
            "ask tonight's question every Saturday at 7:45 PM",
            "FREQ=WEEKLY;BYDAY=SA;BYHOUR=19;BYMINUTE=45;BYSECOND=0;INTERVAL=1",
            QUESTION,
        ),
    ],
)
def test_the_ways_couples_ask_become_the_rule_and_words_they_meant(
    household: Household, alexa_api: FakeAlexaApi, words: str, said: str, rule: str, announcement: str
) -> None:
    allow(household, alexa_api)
    asked = say(household, f"ask closer together to {words}")
    assert asked.speech.startswith(f"I'll remind you to {said}, saying: {announcement}")

    done = say(household, "yes")

    assert done.speech == f"Done. I'll remind you to {said}."
    assert rules(alexa_api) == [rule]
    assert [
        reminder["alertInfo"]["spokenInfo"]["content"][0]["text"] for reminder in set_at_alexa(alexa_api)
    ] == [announcement]


def test_what_is_missing_is_asked_for_and_what_was_said_is_kept(
    household: Household, alexa_api: FakeAlexaApi
) -> None:
    allow(household, alexa_api)
    what = say(household, "ask closer together to remind us")
    assert what.listening and what.speech == LINES.ask_what.speech

    when = say(household, "remind us to ask tonight's question")
    assert when.listening and when.speech == "When shall I remind you to ask tonight's question? " + (
        "Say, for example: every evening at half past eight."
    )

    days_first = say(household, "every sunday")
    assert days_first.speech == when.speech, "days without a time still want the time"

    confirm = say(household, "at eight")
    assert confirm.speech.startswith("I'll remind you to ask tonight's question every Sunday at 8 PM")
    say(household, "yes")
    assert rules(alexa_api) == ["FREQ=WEEKLY;BYDAY=SU;BYHOUR=20;BYMINUTE=0;BYSECOND=0;INTERVAL=1"]


def test_a_new_time_while_confirming_is_confirmed_afresh(
    household: Household, alexa_api: FakeAlexaApi
) -> None:
    allow(household, alexa_api)
    say(household, "ask closer together to remind us to check in every sunday at seven")
    again = say(household, "make it nine")
    assert again.speech.startswith("I'll remind you to check in every Sunday at 9 PM")
    say(household, "yes")
    assert rules(alexa_api) == ["FREQ=WEEKLY;BYDAY=SU;BYHOUR=21;BYMINUTE=0;BYSECOND=0;INTERVAL=1"]


def test_mornings_said_before_the_time_keep_the_time_in_the_morning(
    household: Household, alexa_api: FakeAlexaApi
) -> None:
    allow(household, alexa_api)
    say(household, "ask closer together to remind us to check in every morning")
    confirm = say(household, "at seven")
    assert "every day at 7 AM" in confirm.speech


def test_no_sets_nothing(household: Household, alexa_api: FakeAlexaApi, stack: Stack) -> None:
    allow(household, alexa_api)
    say(household, "ask closer together to remind us to check in every evening at eight")
    reply = say(household, "no")
    assert reply.speech == LINES.not_set.speech and not reply.listening
    assert alexa_api.calls("reminder_create") == [] and indexed(stack, household) == {}


def test_help_while_confirming_explains_the_question(household: Household, alexa_api: FakeAlexaApi) -> None:
    say(household, "ask closer together to remind us to check in every evening at eight")
    reply = say(household, "help")
    assert reply.listening
    assert reply.speech.startswith("I'm asking whether to set a reminder to check in every day at 8 PM.")


def test_the_same_reminder_twice_is_set_once(household: Household, alexa_api: FakeAlexaApi) -> None:
    allow(household, alexa_api)
    set_one(household, alexa_api, "remind us to check in every sunday at seven")
    reply = set_one(household, alexa_api, "remind us to check in on sundays at seven")
    assert reply.speech == "You already have that reminder: check in every Sunday at 7 PM."
    assert len(set_at_alexa(alexa_api)) == 1


# --- the permission ---


def test_the_first_time_alexa_is_asked_to_ask_for_the_permission(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    say(household, "ask closer together to remind us to check in every evening at half past eight")
    reply = say(household, "yes")

    assert reply.directives == [
        {
            "type": "Connections.SendRequest",
            "name": "AskFor",
            "payload": {
                "@type": "AskForPermissionsConsentRequest",
                "@version": "2",
                "permissionScopes": [{"permissionScope": Scope.REMINDERS, "consentLevel": "ACCOUNT"}],
            },
            "token": "reminders:checkin:DAILY:2030",
        }
    ]
    assert reply.speech == LINES.ask_permission.speech
    assert "shouldEndSession" not in reply.response and "reprompt" not in reply.response
    assert set_at_alexa(alexa_api) == [] and indexed(stack, household) == {}


def test_once_granted_the_reminder_they_said_yes_to_is_set(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    say(household, "ask closer together to remind us to check in every evening at half past eight")
    asked = say(household, "yes")
    allow(household, alexa_api)

    reply = permission_answer(household, asked.directives[0]["token"])

    assert (
        reply.speech
        == "Thanks for allowing reminders. Done. I'll remind you to check in every day at 8:30 PM."
    )
    assert rules(alexa_api) == ["FREQ=DAILY;BYHOUR=20;BYMINUTE=30;BYSECOND=0;INTERVAL=1"]
    assert list(indexed(stack, household).values()) == ["checkin"]


def test_declined_says_so_leaves_a_card_and_sets_nothing(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    say(household, "ask closer together to remind us to check in every evening at half past eight")
    asked = say(household, "yes")

    reply = permission_answer(household, asked.directives[0]["token"], status="DENIED")

    assert reply.speech == LINES.permission_declined.speech and not reply.listening
    assert reply.card == {"type": "AskForPermissionsConsent", "permissions": [Scope.REMINDERS]}
    assert set_at_alexa(alexa_api) == [] and indexed(stack, household) == {}


def test_granted_but_still_refused_is_not_asked_again(household: Household, alexa_api: FakeAlexaApi) -> None:
    reply = permission_answer(household, "reminders:question:SU:1900")
    assert reply.directives == [] and reply.speech == LINES.permission_declined.speech
    assert set_at_alexa(alexa_api) == []


@pytest.mark.parametrize("token", ["checkin:20", "reminders:dishes:SU:1900", "reminders:checkin:SU:2599"])
def test_a_permission_answer_that_is_not_for_a_reminder_of_ours_sets_nothing(
    household: Household, alexa_api: FakeAlexaApi, token: str
) -> None:
    allow(household, alexa_api)
    permission_answer(household, token)
    assert set_at_alexa(alexa_api) == []


# --- listing, moving, cancelling ---


def test_the_list_is_read_from_alexa(household: Household, alexa_api: FakeAlexaApi, stack: Stack) -> None:
    allow(household, alexa_api)
    assert say(household, "ask closer together what reminders do we have").speech == LINES.list_none.speech
    set_one(household, alexa_api, "remind us to check in every evening at half past eight")
    set_one(household, alexa_api, "remind us to ask tonight's question every sunday at seven")

    reply = say(household, "ask closer together what reminders do we have")

    assert (
        reply.speech == "You have 2 reminders: check-in every day at 8:30 PM, question every Sunday at 7 PM."
    )
    assert alexa_api.calls("reminders_list"), "read from the Reminders API, the source of truth"


def test_one_deleted_in_the_alexa_app_is_gone_from_the_list_and_the_index(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    allow(household, alexa_api)
    set_one(household, alexa_api, "remind us to check in every evening at half past eight")
    set_one(household, alexa_api, "remind us to ask tonight's question every sunday at seven")
    checkin = next(token for token, ritual in indexed(stack, household).items() if ritual == "checkin")
    del alexa_api.state.reminders.active[checkin]

    reply = say(household, "ask closer together what reminders do we have")

    assert reply.speech == "You have one reminder: question every Sunday at 7 PM."
    assert list(indexed(stack, household).values()) == ["question"]


def test_many_are_listed_a_few_at_a_time(household: Household, alexa_api: FakeAlexaApi) -> None:
    allow(household, alexa_api)
    for day in ("monday", "tuesday", "wednesday", "thursday", "friday"):
        set_one(household, alexa_api, f"remind us to check in every {day} at eight")
    reply = say(household, "ask closer together what reminders do we have")
    assert reply.speech == (
        "You have 5 reminders: check-in every Monday at 8 PM, check-in every Tuesday at 8 PM, "
        "check-in every Wednesday at 8 PM, and 2 more."
    )


def test_move_keeps_the_days_and_changes_the_time(household: Household, alexa_api: FakeAlexaApi) -> None:
    allow(household, alexa_api)
    set_one(household, alexa_api, "remind us to check in every sunday at seven")
    set_one(household, alexa_api, "remind us to ask tonight's question every evening at eight")

    reply = say(household, "ask closer together to move the check-in reminder to nine")

    assert reply.speech == "Done. I've moved your reminder: check-in every Sunday at 9 PM."
    [update] = alexa_api.calls("reminder_update")
    assert update.body["trigger"]["recurrence"]["recurrenceRules"] == [
        "FREQ=WEEKLY;BYDAY=SU;BYHOUR=21;BYMINUTE=0;BYSECOND=0;INTERVAL=1"
    ]
    assert sorted(rules(alexa_api)) == [
        "FREQ=DAILY;BYHOUR=20;BYMINUTE=0;BYSECOND=0;INTERVAL=1",
        "FREQ=WEEKLY;BYDAY=SU;BYHOUR=21;BYMINUTE=0;BYSECOND=0;INTERVAL=1",
    ]


def test_move_asks_which_when_several_could_be_meant_and_when_to(
    household: Household, alexa_api: FakeAlexaApi
) -> None:
    allow(household, alexa_api)
    set_one(household, alexa_api, "remind us to check in every sunday at seven")
    set_one(household, alexa_api, "remind us to check in every wednesday at seven")
    assert say(household, "ask closer together to move the reminder to nine").speech == (
        LINES.which.speech.format(count=2)
    )
    assert say(household, "ask closer together to move the sunday one to nine").speech == (
        "Done. I've moved your reminder: check-in every Sunday at 9 PM."
    )
    assert (
        say(household, "ask closer together to move the wednesday reminder").speech == LINES.move_when.speech
    )
    assert say(household, "ask closer together to move the question reminder to nine").speech == (
        LINES.none_such.speech
    )
    assert (
        alexa_api.calls("reminder_update")[-1]
        .body["trigger"]["recurrence"]["recurrenceRules"][0]
        .startswith("FREQ=WEEKLY;BYDAY=SU;BYHOUR=21")
    )


def test_a_failing_move_leaves_it_as_it_was_and_says_so(
    household: Household, alexa_api: FakeAlexaApi
) -> None:
    allow(household, alexa_api)
    set_one(household, alexa_api, "remind us to check in every sunday at seven")
    alexa_api.fail("reminder_update", 500)
    reply = say(household, "ask closer together to move the check-in reminder to nine")
    assert reply.speech == LINES.move_failed.speech.format(when="every Sunday at 7 PM")
    assert rules(alexa_api) == ["FREQ=WEEKLY;BYDAY=SU;BYHOUR=19;BYMINUTE=0;BYSECOND=0;INTERVAL=1"]


def test_cancel_the_sunday_one_and_then_all_of_them(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    allow(household, alexa_api)
    set_one(household, alexa_api, "remind us to check in every sunday at seven")
    set_one(household, alexa_api, "remind us to ask tonight's question every evening at eight")
    set_one(household, alexa_api, "remind us to say what we appreciate every night at ten")

    one = say(household, "ask closer together to cancel the sunday one")
    assert one.speech == "Done. I've cancelled your reminder: check-in every Sunday at 7 PM."
    assert sorted(indexed(stack, household).values()) == ["appreciation", "question"]
    assert len(set_at_alexa(alexa_api)) == 2

    rest = say(household, "ask closer together to stop the reminders")
    assert rest.speech == LINES.cancelled_many.speech.format(count=2)
    assert set_at_alexa(alexa_api) == [] and indexed(stack, household) == {}
    assert (
        say(household, "ask closer together to cancel the question reminder").speech == LINES.list_none.speech
    )


def test_a_cancel_alexa_refuses_is_owned_up_to(household: Household, alexa_api: FakeAlexaApi) -> None:
    allow(household, alexa_api)
    set_one(household, alexa_api, "remind us to check in every sunday at seven")
    alexa_api.fail("reminder_delete", 503)
    reply = say(household, "ask closer together to cancel the check-in reminder")
    assert reply.speech == LINES.cancel_failed.speech.format(count=1)
    assert len(set_at_alexa(alexa_api)) == 1


# --- Alexa's API failing, and its limits ---


@pytest.mark.parametrize("status", [500, 503, 429])
def test_a_failing_api_sets_nothing_indexes_nothing_and_says_so(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack, status: int
) -> None:
    allow(household, alexa_api)
    alexa_api.fail("reminder_create", status)
    reply = set_one(household, alexa_api, "remind us to check in every evening at eight")
    assert reply.speech == LINES.failed.speech and not reply.listening
    assert set_at_alexa(alexa_api) == [] and indexed(stack, household) == {}


def test_a_list_alexa_cannot_give_is_said_to_be_unreadable(
    household: Household, alexa_api: FakeAlexaApi
) -> None:
    allow(household, alexa_api)
    alexa_api.fail("reminders_list", 500)
    assert say(household, "ask closer together what reminders do we have").speech == LINES.read_failed.speech


def test_without_the_permission_the_list_says_so_with_a_card(household: Household) -> None:
    reply = say(household, "ask closer together what reminders do we have")
    assert reply.speech == LINES.no_permission.speech
    assert reply.card == {"type": "AskForPermissionsConsent", "permissions": [Scope.REMINDERS]}


def test_the_most_reminders_alexa_allows(household: Household, alexa_api: FakeAlexaApi, stack: Stack) -> None:
    allow(household, alexa_api)
    alexa_api.state.reminders.limit = 1
    set_one(household, alexa_api, "remind us to check in every sunday at seven")
    reply = set_one(household, alexa_api, "remind us to ask tonight's question every evening at eight")
    assert reply.speech == LINES.too_many.speech
    assert len(set_at_alexa(alexa_api)) == 1 and list(indexed(stack, household).values()) == ["checkin"]


def test_a_reminder_alexa_says_is_too_far_ahead(household: Household, alexa_api: FakeAlexaApi) -> None:
    allow(household, alexa_api)
    alexa_api.state.reminders.horizon = timedelta(hours=12)  # a Sunday reminder is days away on a Friday
    reply = set_one(household, alexa_api, "remind us to check in every sunday at seven")
    assert reply.speech == LINES.too_far_ahead.speech and set_at_alexa(alexa_api) == []


def test_a_recurrence_alexa_will_not_take(household: Household, alexa_api: FakeAlexaApi) -> None:
    allow(household, alexa_api)
    alexa_api.state.reminders.frequencies = ("DAILY",)
    reply = set_one(household, alexa_api, "remind us to check in every sunday at seven")
    assert reply.speech == LINES.bad_recurrence.speech and set_at_alexa(alexa_api) == []


@pytest.mark.parametrize(
    ("status", "code", "line"),
    [
        (400, "TRIGGER_SCHEDULED_TIME_IN_PAST", LINES.in_the_past),
        (403, "DEVICE_NOT_SUPPORTED", LINES.device_unsupported),
        (403, "MAX_REMINDERS_EXCEEDED", LINES.too_many),
        (400, "SOMETHING_NEW", LINES.failed),
    ],
)
def test_the_apis_own_error_bodies_get_their_own_answers(
    household: Household, alexa_api: FakeAlexaApi, status: int, code: str, line: Any
) -> None:
    allow(household, alexa_api)
    alexa_api.fail("reminder_create", status, code)
    reply = set_one(household, alexa_api, "remind us to check in every evening at eight")
    assert reply.speech == line.speech and reply.directives == []


# --- time zones and DST ---


def test_the_households_time_zone_is_the_reminders(household: Household, alexa_api: FakeAlexaApi) -> None:
    allow(household, alexa_api)
    alexa_api.state.time_zones[household.device.device_id] = "Europe/London"
    set_one(household, alexa_api, "remind us to check in every evening at half past eight")
    [reminder] = set_at_alexa(alexa_api)
    assert reminder["trigger"]["timeZoneId"] == "Europe/London"
    assert reminder["trigger"]["recurrence"]["startDateTime"] == "2026-11-20T20:00:00"

    household.wait(days=2)
    rung = alexa_api.state.reminders.ring_due()
    assert [(said.local.strftime("%a %H:%M"), said.text) for said in rung] == [
        ("Fri 20:30", CHECKIN),
        ("Sat 20:30", CHECKIN),
    ]


def test_half_past_eight_stays_half_past_eight_across_a_dst_change(
    household: Household, alexa_api: FakeAlexaApi
) -> None:
    """New York leaves daylight saving time at 02:00 on Sunday 1 November 2026."""
    allow(household, alexa_api)
    new_york = ZoneInfo("America/New_York")
    alexa_api.state.time_zones[household.device.device_id] = "America/New_York"
    household.now = datetime(2026, 10, 30, 12, 0, tzinfo=new_york)
    set_one(household, alexa_api, "remind us to check in every evening at half past eight")

    household.wait(days=4)
    rung = alexa_api.state.reminders.ring_due()

    assert [said.local.strftime("%a %d %H:%M") for said in rung] == [
        "Fri 30 20:30",
        "Sat 31 20:30",
        "Sun 01 20:30",
        "Mon 02 20:30",
    ]
    assert [said.at.strftime("%H:%M") for said in rung] == ["00:30", "00:30", "01:30", "01:30"], "in UTC"


def test_a_reminder_moved_across_a_dst_change_keeps_the_wall_clock(
    household: Household, alexa_api: FakeAlexaApi
) -> None:
    allow(household, alexa_api)
    alexa_api.state.time_zones[household.device.device_id] = "Europe/London"
    household.now = datetime(2026, 3, 27, 12, 0, tzinfo=ZoneInfo("Europe/London"))  # BST starts 29 March
    set_one(household, alexa_api, "remind us to ask tonight's question every sunday at eight")
    say(household, "ask closer together to move the question reminder to half past eight")
    household.wait(days=10)
    rung = alexa_api.state.reminders.ring_due()
    assert [said.local.strftime("%d %H:%M %Z") for said in rung] == ["29 20:30 BST", "05 20:30 BST"]


def test_a_reminder_of_something_else_cancels_nothing(household: Household, alexa_api: FakeAlexaApi) -> None:
    allow(household, alexa_api)
    set_one(household, alexa_api, "remind us to check in every sunday at seven")
    assert (
        say(household, "ask closer together to cancel the dishes reminder").speech == LINES.none_such.speech
    )
    assert (
        say(household, "ask closer together to cancel the fortnightly reminder").speech
        == LINES.none_such.speech
    )
    assert len(set_at_alexa(alexa_api)) == 1


def test_a_morning_reminder_moved_to_an_hour_stays_in_the_morning(
    household: Household, alexa_api: FakeAlexaApi
) -> None:
    allow(household, alexa_api)
    set_one(household, alexa_api, "remind us to check in every weekend morning at nine thirty")
    assert say(household, "ask closer together to move the check-in reminder to eight").speech == (
        "Done. I've moved your reminder: check-in on weekends at 8 AM."
    )
    assert say(household, "ask closer together to move the check-in reminder to eight pm").speech == (
        "Done. I've moved your reminder: check-in on weekends at 8 PM."
    )
