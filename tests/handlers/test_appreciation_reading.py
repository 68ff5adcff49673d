"""The appreciation jar, reading back, counting and deleting: through the deployed handler."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from handlers.appreciation.service import MAX_DELETES_PER_TURN, SPEECH_BUDGET
from handlers.appreciation.wording import item
from skill.store.appreciations import Appreciation
from skill.tools.console.envelopes import Device
from tests.support import (
    SAM,
    Accounts,
    Household,
    appreciation_item,
    dynamodb_hooks,
    name_voice,
    put_items,
    read_to_the_end,
    stored,
    table_name,
)

NOW = datetime(2026, 11, 20, 20, 0, tzinfo=UTC)  # the Household's clock: Friday noon in Los Angeles


def seed(household: Household, entries: list[tuple[datetime, str, str | None]]) -> None:
    """Put appreciations straight into the table, as the skill would have saved them (batch writes)."""
    user_id = household.device.user_id
    notes = [
        appreciation_item(user_id, f"seed-{index}-{text}", moment, text, author)
        for index, (moment, text, author) in enumerate(entries)
    ]
    put_items(table_name(), notes)


def notes(count: int, author: str | None = "Sam") -> list[tuple[datetime, str, str | None]]:
    """`count` appreciations a minute apart, "note 1" the oldest and "note {count}" a minute ago."""
    return [(NOW - timedelta(minutes=count - index), f"note {index + 1}", author) for index in range(count)]


def read_order(speech: str) -> list[int]:
    """The note numbers in the order they were spoken."""
    return [int(part.split(".")[0]) for part in speech.split("appreciated note ")[1:]]


def test_reads_newest_first_three_at_a_time_and_more_continues(household: Household) -> None:
    seed(household, notes(7))
    household.launch()
    first = household.intent("ReadAppreciationsIntent")
    assert first.speech.startswith("Here's your jar, newest first. Today, Sam appreciated note 7.")
    assert read_order(first.speech) == [7, 6, 5]
    assert first.speech.endswith("Would you like more? Say more, or stop.") and first.listening
    assert first.session_attributes["state"] == "appreciation.reading"
    assert isinstance(first.session_attributes["appreciation.read"]["cursor"], str)
    second = household.intent("AMAZON.MoreIntent")
    assert read_order(second.speech) == [4, 3, 2] and not second.speech.startswith("Here's")
    last = household.intent("AMAZON.NextIntent")
    assert read_order(last.speech) == [1]
    assert "That's all of them. Anything else?" in last.speech and last.listening
    assert "state" not in last.session_attributes


@pytest.mark.parametrize("more", ["AMAZON.YesIntent", "MoreAppreciationsIntent", "AMAZON.NextIntent"])
def test_yes_next_and_read_more_continue_too(household: Household, more: str) -> None:
    seed(household, notes(5))
    household.one_shot("ReadAppreciationsIntent")
    assert read_order(household.intent(more).speech) == [2, 1]


def test_no_stops_reading_and_keeps_the_session(household: Household) -> None:
    seed(household, notes(5))
    household.one_shot("ReadAppreciationsIntent")
    reply = household.intent("AMAZON.NoIntent")
    assert reply.speech.startswith("Anything else?") and reply.listening
    assert "state" not in reply.session_attributes


def test_a_one_shot_read_of_a_small_jar_just_ends(household: Household) -> None:
    seed(household, notes(2))
    reply = household.one_shot("ReadAppreciationsIntent")
    assert read_order(reply.speech) == [2, 1] and reply.speech.endswith("That's all of them.")
    assert not reply.listening


def test_a_new_appreciation_from_the_other_echo_does_not_shift_the_pages(household, alexa_api) -> None:
    seed(household, notes(7))
    household.one_shot("ReadAppreciationsIntent")
    partner = name_voice(household, alexa_api, SAM, "Sam")
    partner.one_shot("SaveAppreciationIntent", text="note 8")
    assert read_order(household.intent("AMAZON.MoreIntent").speech) == [4, 3, 2]
    assert read_order(household.intent("AMAZON.MoreIntent").speech) == [1]


def test_a_new_session_starts_again_from_the_newest(household: Household) -> None:
    seed(household, notes(7))
    household.one_shot("ReadAppreciationsIntent")
    household.intent("AMAZON.StopIntent")
    stale_more = household.one_shot("AMAZON.MoreIntent")
    assert "appreciated" not in stale_more.speech, "a new session has no reading to continue"
    household.launch()
    assert read_order(household.intent("ReadAppreciationsIntent").speech) == [7, 6, 5]
    assert read_order(household.one_shot("MoreAppreciationsIntent").speech) == [7, 6, 5]


def test_days_are_said_as_the_household_would(household: Household, alexa_api) -> None:
    seed(
        household,
        [
            (datetime(2025, 3, 1, 20, tzinfo=UTC), "last year", "Sam"),
            (datetime(2026, 10, 2, 20, tzinfo=UTC), "last month", "Sam"),
            (datetime(2026, 11, 16, 20, tzinfo=UTC), "monday", None),
        ],
    )
    reply = household.one_shot("ReadAppreciationsIntent")
    assert (
        "On Monday, one of you appreciated monday. On October 2, Sam appreciated last month." in reply.speech
    )
    assert "On March 1, 2025, Sam appreciated last year." in reply.speech


def test_yesterday_is_the_households_yesterday(household: Household, alexa_api) -> None:
    alexa_api.state.time_zones[household.device.device_id] = "Pacific/Auckland"  # Saturday 09:00 there
    seed(household, [(datetime(2026, 11, 20, 10, 30, tzinfo=UTC), "the pancakes", "Sam")])  # Fri 23:30
    assert "Yesterday, Sam appreciated the pancakes." in household.one_shot("ReadAppreciationsIntent").speech


# Friday 20 November 2026, 20:00 UTC. A week starts on Monday at 04:00 local (evenings run past
# midnight): in Auckland (UTC+13) that is Sunday 15 November 15:00 UTC; in Los Angeles (UTC-8),
# Monday 16 November 12:00 UTC.
WEEK_EDGES = [
    (datetime(2026, 11, 15, 14, 59, 59, tzinfo=UTC), "just before auckland's week"),
    (datetime(2026, 11, 15, 15, 0, 0, tzinfo=UTC), "auckland's monday morning"),
    (datetime(2026, 11, 16, 11, 59, 59, tzinfo=UTC), "just before los angeles's week"),
    (datetime(2026, 11, 16, 12, 0, 0, tzinfo=UTC), "los angeles's monday morning"),
    (datetime(2026, 11, 20, 19, 0, 0, tzinfo=UTC), "an hour ago"),
]


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        (
            "Pacific/Auckland",
            [
                "an hour ago",
                "los angeles's monday morning",
                "just before los angeles's week",
                "auckland's monday morning",
            ],
        ),
        ("America/Los_Angeles", ["an hour ago", "los angeles's monday morning"]),
    ],
)
def test_this_weeks_appreciations_use_the_households_week(household, alexa_api, zone, expected) -> None:
    alexa_api.state.time_zones[household.device.device_id] = zone
    seed(household, [(moment, text, None) for moment, text in WEEK_EDGES])
    household.launch()
    first = household.intent("ReadWeekAppreciationsIntent")
    assert first.speech.startswith("Here's this week's jar, newest first.")
    said = read_to_the_end(household, first)
    assert [text for text in expected if f"one of you appreciated {text}." in said] == expected, said
    assert [text for _, text in WEEK_EDGES if text not in expected and text in said] == []
    assert said.index(expected[0]) < said.index(expected[-1]), "newest first"


def test_an_empty_week_gets_encouragement(household: Household) -> None:
    seed(household, [(NOW - timedelta(days=30), "long ago", None)])
    reply = household.one_shot("ReadWeekAppreciationsIntent")
    assert "Nothing has gone into the jar this week yet" in reply.speech and "thank you for" in reply.speech
    assert reply.listening


def test_an_empty_jar_gets_encouragement_with_an_example(household: Household) -> None:
    household.launch()
    reply = household.intent("ReadAppreciationsIntent")
    assert "Your jar is empty so far" in reply.speech
    assert "I appreciate how you made coffee this morning" in reply.speech and reply.listening
    household.intent("SaveAppreciationIntent", text="the first note")
    household.intent("SkipQuestionIntent")
    assert [item["text"] for item in stored(household)] == ["the first note"]


def test_reading_one_partners_appreciations_pages_through_a_filter(household: Household) -> None:
    """Sam's notes are far apart among Alex's, so each page needs several filtered Queries; no page
    may skip or repeat one (the cursor is the last note spoken, not DynamoDB's LastEvaluatedKey)."""
    sams = {3, 120, 121, 122, 240}
    entries = notes(260, author="Alex")
    seed(
        household,
        [(at, text, "Sam" if index in sams else who) for index, (at, text, who) in enumerate(entries)],
    )
    household.launch()
    first = household.intent("ReadAuthorAppreciationsIntent", firstName="sam's")
    assert first.speech.startswith("Here's what Sam appreciates, newest first.")
    assert read_order(first.speech) == [241, 123, 122] and first.listening
    second = household.intent("AMAZON.MoreIntent")
    assert read_order(second.speech) == [121, 4]
    assert "That's all of them." in second.speech


def test_an_author_we_have_nothing_from(household: Household) -> None:
    seed(household, notes(4))
    reply = household.one_shot("ReadAuthorAppreciationsIntent", firstName="Jo")
    assert reply.speech.startswith("There's nothing in the jar from Jo yet.") and reply.listening


def test_how_many(household: Household, accounts: Accounts) -> None:
    assert "Your jar is empty so far" in household.one_shot("CountAppreciationsIntent").speech
    seed(household, notes(1))
    assert household.one_shot("CountAppreciationsIntent").speech == "Your jar holds one appreciation."
    seed(household, notes(41))
    neighbour = Household(household.handler, device=Device(user_id=accounts.user_id("NEIGHBOUR")))
    seed(neighbour, notes(5))
    assert household.one_shot("CountAppreciationsIntent").speech == "Your jar holds 42 appreciations."


def test_a_page_of_long_escaped_text_stays_inside_alexas_speech_limit(household: Household) -> None:
    heavy = '&<>"' * 124  # 496 characters that escape to 2,356
    seed(household, [(NOW - timedelta(minutes=3 - index), f"{heavy}#{index}", None) for index in range(3)])
    first = household.one_shot("ReadAppreciationsIntent")  # Household checks the 8,000-character limit
    assert first.ssml.count("&amp;&lt;&gt;&quot;") == 248 and first.listening
    second = household.intent("AMAZON.MoreIntent")
    assert second.ssml.count("&amp;&lt;&gt;&quot;") == 124 and "That's all of them." in second.speech


def test_a_failed_read_says_so(household: Household) -> None:
    seed(household, notes(2))
    with dynamodb_hooks() as dynamodb:
        dynamodb.failing.add("Query")
        reply = household.one_shot("ReadAppreciationsIntent")
    assert reply.speech.startswith("Sorry, I couldn't open your jar just now.") and reply.listening


def test_ten_thousand_appreciations_read_back_with_one_query_a_page(household: Household) -> None:
    seed(household, notes(10_000))
    with dynamodb_hooks() as dynamodb:
        household.launch()
        pages = [household.intent("ReadAppreciationsIntent")]
        for _ in range(3):
            before = dynamodb.count("Query")
            pages.append(household.intent("AMAZON.MoreIntent"))
            assert dynamodb.count("Query") == before + 1
        assert dynamodb.count("Query") == 4
        counted = household.intent("CountAppreciationsIntent")
    assert [read_order(page.speech) for page in pages] == [
        [10_000, 9_999, 9_998],
        [9_997, 9_996, 9_995],
        [9_994, 9_993, 9_992],
        [9_991, 9_990, 9_989],
    ]
    assert counted.speech.startswith("Your jar holds 10000 appreciations.")
    assert "Scan" not in dynamodb.calls


def test_delete_the_last_one_asks_first_then_says_what_went(household: Household) -> None:
    seed(household, notes(2))
    household.launch()
    asked = household.intent("DeleteLastAppreciationIntent")
    assert (
        asked.speech == "Your newest note is the one appreciating note 2. Shall I delete it?"
        and asked.listening
    )
    assert len(stored(household)) == 2, "nothing goes before a yes"
    reply = household.intent("AMAZON.YesIntent")
    assert reply.speech.startswith("Done. I've deleted it.")
    assert [item["text"] for item in stored(household)] == ["note 1"]


def test_no_keeps_the_last_one(household: Household) -> None:
    seed(household, notes(2))
    household.one_shot("DeleteLastAppreciationIntent")
    assert household.intent("AMAZON.NoIntent").speech.startswith("Okay, I've kept it.")
    assert len(stored(household)) == 2


def test_delete_the_last_one_deletes_the_one_read_out_even_if_another_arrived(household, alexa_api) -> None:
    seed(household, notes(2))
    household.one_shot("DeleteLastAppreciationIntent")
    name_voice(household, alexa_api, SAM, "Sam").one_shot("SaveAppreciationIntent", text="note 3")
    household.intent("AMAZON.YesIntent")
    assert sorted(item["text"] for item in stored(household)) == ["note 1", "note 3"]


def test_deleting_from_an_empty_jar(household: Household) -> None:
    assert household.one_shot("DeleteLastAppreciationIntent").speech == "Your jar is already empty."
    assert household.one_shot("DeleteAllAppreciationsIntent").speech == "Your jar is already empty."


def test_delete_all_asks_then_removes_every_appreciation_and_nothing_else(household, alexa_api) -> None:
    sam = name_voice(household, alexa_api, SAM, "Sam")
    seed(household, notes(60))
    sam.launch()
    asked = sam.intent("DeleteAllAppreciationsIntent")
    assert "remove 60 appreciations from your jar" in asked.speech and asked.listening
    reply = sam.intent("AMAZON.YesIntent")
    assert reply.speech.startswith("Done. I removed 60 appreciations from your jar.")
    assert stored(household) == []
    assert sam.one_shot("SaveAppreciationIntent", text="x").speech.startswith("I've saved Sam's"), (
        "profile kept"
    )


def test_delete_all_in_a_big_jar_goes_on_only_when_asked(household: Household) -> None:
    seed(household, notes(MAX_DELETES_PER_TURN + 7))
    household.one_shot("DeleteAllAppreciationsIntent")
    first = household.intent("AMAZON.YesIntent")
    assert first.speech == (
        f"I've removed {MAX_DELETES_PER_TURN} appreciations so far, and there are more. Shall I keep going?"
    )
    assert first.listening and len(stored(household)) == 7
    last = household.intent("AMAZON.YesIntent")
    assert last.speech.startswith("Done. I removed 7 appreciations from your jar.")
    assert stored(household) == []


def test_no_keeps_the_whole_jar(household: Household) -> None:
    seed(household, notes(3))
    household.one_shot("DeleteAllAppreciationsIntent")
    assert household.intent("AMAZON.NoIntent").speech.startswith("Okay, your jar stays just as it is.")
    assert len(stored(household)) == 3


@pytest.mark.parametrize(
    ("intent", "operation"),
    [("DeleteAllAppreciationsIntent", "BatchWriteItem"), ("DeleteLastAppreciationIntent", "DeleteItem")],
)
def test_a_failed_delete_says_nothing_was_deleted(household: Household, intent: str, operation: str) -> None:
    seed(household, notes(3))
    with dynamodb_hooks() as dynamodb:
        household.one_shot(intent)
        dynamodb.failing.add(operation)
        reply = household.intent("AMAZON.YesIntent")
    assert "nothing was deleted" in reply.speech and reply.listening
    assert len(stored(household)) == 3


def test_a_delete_that_fails_part_way_says_how_far_it_got(household: Household) -> None:
    seed(household, notes(60))
    with dynamodb_hooks() as dynamodb:
        household.one_shot("DeleteAllAppreciationsIntent")
        dynamodb.failing_from["BatchWriteItem"] = 3  # two batches of 25 go, the third fails
        reply = household.intent("AMAZON.YesIntent")
    assert reply.speech.startswith("I removed 50 appreciations, then something went wrong")
    assert len(stored(household)) == 10


def test_help_while_reading_and_while_confirming(household: Household) -> None:
    seed(household, notes(5))
    household.one_shot("ReadAppreciationsIntent")
    assert "Say more" in household.intent("AMAZON.HelpIntent").speech
    household.intent("DeleteAllAppreciationsIntent")
    assert household.intent("AMAZON.HelpIntent").speech.startswith("Say yes to go ahead")
    assert household.intent("AMAZON.FallbackIntent").speech == "Sorry, was that a yes or a no?"
    assert len(stored(household)) == 5


def test_notes_that_fill_the_speech_budget_exactly_are_read_on_one_page(household: Household) -> None:
    # A page may use SPEECH_BUDGET characters of SSML for its notes: two notes of exactly that many fit.
    local_now = NOW.astimezone(ZoneInfo("America/Los_Angeles"))
    newer = "y" * 2000
    said_newer = item(Appreciation(Appreciation.key_for("b", NOW), newer), local_now)
    overhead = len(item(Appreciation(Appreciation.key_for("a", NOW), "x"), local_now)) - 1
    older = "x" * (SPEECH_BUDGET - len(said_newer) - overhead)
    seed(household, [(NOW - timedelta(minutes=2), older, None), (NOW - timedelta(minutes=1), newer, None)])
    household.launch()
    read = household.intent("ReadAppreciationsIntent")
    assert older in read.speech and newer in read.speech
    assert "That's all of them." in read.speech and "Would you like more?" not in read.speech
