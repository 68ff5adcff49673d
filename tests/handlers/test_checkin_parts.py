"""The check-in's parts on their own: durations, the week, spoken times, its content and the fake timers."""

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from content.checkin import DATA_FILE, checkin_content
from content.schema import CheckInContent
from handlers.checkin.plan import Adjustment, Plan, plan
from handlers.checkin.wording import spoken_half, spoken_length
from skill.household_time import week_start
from skill.timers import iso_duration, parse_iso_duration
from skill.tools.console.fake_alexa import FakeAlexaApi

NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("PT20M", timedelta(minutes=20)),
        ("PT1H30M", timedelta(minutes=90)),
        ("PT7M30S", timedelta(minutes=7, seconds=30)),
        ("PT0.5H", timedelta(minutes=30)),
        ("P1D", timedelta(days=1)),
        ("P1W", timedelta(weeks=1)),
        ("PT?M", None),
        ("P1M", None),
        ("P", None),
        ("PT", None),
        ("", None),
        (None, None),
        ("twenty minutes", None),
    ],
)
def test_alexa_durations_are_read_as_iso_8601(value: str | None, expected: timedelta | None) -> None:
    assert parse_iso_duration(value) == expected


@pytest.mark.parametrize(
    ("duration", "expected"),
    [
        (timedelta(minutes=10), "PT10M"),
        (timedelta(minutes=7, seconds=30), "PT7M30S"),
        (timedelta(hours=1), "PT1H"),
        (timedelta(), "PT0S"),
    ],
)
def test_timer_durations_are_written_as_iso_8601(duration: timedelta, expected: str) -> None:
    assert iso_duration(duration) == expected
    assert parse_iso_duration(expected) == duration


@pytest.mark.parametrize(
    ("asked", "slot_filled", "expected"),
    [
        (None, False, Plan(20)),
        (None, True, Plan(20, Adjustment.UNHEARD)),
        (timedelta(minutes=4, seconds=30), True, Plan(5)),
        (timedelta(minutes=4, seconds=29), True, Plan(5, Adjustment.TOO_SHORT)),
        (timedelta(minutes=60, seconds=29), True, Plan(60)),
        (timedelta(minutes=61), True, Plan(60, Adjustment.TOO_LONG)),
        (timedelta(minutes=45), True, Plan(45)),
    ],
)
def test_the_plan_rounds_to_whole_minutes_within_bounds(
    asked: timedelta | None, slot_filled: bool, expected: Plan
) -> None:
    assert plan(asked, slot_filled) == expected


@pytest.mark.parametrize(
    ("local_now", "expected_start"),
    [
        (datetime(2026, 11, 16, 4, 0, tzinfo=NEW_YORK), datetime(2026, 11, 16, 4, 0, tzinfo=NEW_YORK)),
        (datetime(2026, 11, 16, 3, 59, tzinfo=NEW_YORK), datetime(2026, 11, 9, 4, 0, tzinfo=NEW_YORK)),
        (datetime(2026, 11, 22, 23, 0, tzinfo=NEW_YORK), datetime(2026, 11, 16, 4, 0, tzinfo=NEW_YORK)),
        (datetime(2026, 11, 23, 1, 0, tzinfo=NEW_YORK), datetime(2026, 11, 16, 4, 0, tzinfo=NEW_YORK)),
        # The week of the autumn clock change: Monday 04:00 is still EDT, the Friday is EST.
        (datetime(2026, 11, 6, 12, 0, tzinfo=NEW_YORK), datetime(2026, 11, 2, 4, 0, tzinfo=NEW_YORK)),
    ],
)
def test_a_week_starts_on_monday_at_four_local(local_now: datetime, expected_start: datetime) -> None:
    start = week_start(local_now)
    assert start == expected_start and start.utcoffset() == expected_start.utcoffset()


@pytest.mark.parametrize(
    ("seconds", "spoken"),
    [
        (0, "less than a minute"),
        (59, "less than a minute"),
        (60, "1 minute"),
        (89, "1 minute"),
        (90, "2 minutes"),
    ],
)
def test_time_left_is_spoken_to_the_nearest_minute(seconds: int, spoken: str) -> None:
    assert spoken_length(timedelta(seconds=seconds)) == spoken


def test_halves_are_spoken_exactly() -> None:
    assert [spoken_half(minutes) for minutes in (5, 20, 15, 60)] == [
        "2 and a half minutes",
        "10 minutes",
        "7 and a half minutes",
        "30 minutes",
    ]


def test_the_content_loads_and_every_opener_comes_round_before_any_repeats() -> None:
    content = checkin_content()
    order, last = [], None
    for _ in content.openers:
        index = content.opener_after(last)
        last = content.openers[index].id
        order.append(last)
    assert sorted(order) == sorted(opener.id for opener in content.openers)
    assert content.opener_after("retired-in-a-later-release") == 0


def _raw() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (
            lambda raw: raw["first_speakers"].append("Whoever " + "most recently " * 10 + "smiled"),
            "keep it to",
        ),
        (lambda raw: raw.update(guide=raw["guide"].replace("{opener}", "")), "placeholders"),
        (lambda raw: raw["openers"].append(dict(raw["openers"][0])), "repeated opener id"),
        (lambda raw: raw["openers"][0].update(text="Tom & Jerry?"), "no <, > or &"),
        (lambda raw: raw["lines"]["permission_declined"].pop("reprompt"), "needs a reprompt"),
    ],
)
def test_content_that_would_misbehave_is_refused(change: Callable[[dict], None], complaint: str) -> None:
    raw = _raw()
    change(raw)
    with pytest.raises(ValidationError, match=complaint):
        CheckInContent.model_validate(raw)


def test_the_fake_timers_api_refuses_what_alexa_would_refuse(alexa_api: FakeAlexaApi) -> None:
    headers = {"Authorization": "Bearer token"}
    incomplete = {"duration": "PT10M", "creationBehavior": {"displayExperience": {"visibility": "VISIBLE"}}}
    assert alexa_api.answer("POST", "/v1/alerts/timers", headers, incomplete).status == 400
    assert alexa_api.answer("GET", "/v1/alerts/timers/unknown", headers, None).status == 404
    alexa_api.state.timers.refuse("token")
    assert alexa_api.answer("GET", "/v1/alerts/timers/unknown", headers, None).status == 401
