"""What the jar promises where a slip would go unheard until it mattered: a request Alexa delivers twice
is stored once and erases nothing, a retry saves no copy, names are spoken as SSML can carry them, and days
are said as the household counts them."""

import copy
import hashlib
from datetime import UTC, datetime, timedelta

import boto3

from skill.context import household_id
from skill.store.appreciations import FILTERED_READ_BATCH, MAX_QUERIES_PER_PAGE, Appreciation
from skill.store.table import household_pk, to_item
from tests.support import (
    REGION,
    DynamoDbCalls,
    Household,
    appreciation_item,
    put_items,
    stored,
    table_name,
    voice,
)

ANYTHING_ELSE = "Anything else? You can add another, or say: read our appreciations."


def kept(household: Household) -> list[tuple[str, str | None]]:
    """The household's appreciations as DynamoDB holds them: text and author, oldest first."""
    return [(item["text"], item.get("author")) for item in stored(household)]


def test_a_save_alexa_delivers_again_after_signing_keeps_the_signature(household: Household) -> None:
    household.conversation.end()
    save = household.conversation.intent("SaveAppreciationIntent", {"text": "the surprise"})
    household.send(copy.deepcopy(save))
    household.intent("AppreciationAuthorIntent", firstName="Sam")
    assert kept(household) == [("the surprise", "Sam")]
    again = household.send(save)  # the same request again: its id and timestamp, so the same key
    assert again.speech.startswith("I've saved your note appreciating the surprise."), "already there: saved"
    assert kept(household) == [("the surprise", "Sam")]


def test_a_yes_retry_seconds_later_finds_the_first_attempt_instead_of_saving_a_copy(
    household: Household, dynamodb: DynamoDbCalls
) -> None:
    dynamodb.failing_from["PutItem"] = 1
    failed = household.one_shot("SaveAppreciationIntent", text="the surprise")
    assert (
        failed.speech == "Sorry, I couldn't reach your jar just now, so that isn't saved. Shall I try again?"
    )
    first_key = failed.session_attributes["appreciation.pending"]["sk"]
    dynamodb.failing_from.clear()
    household.wait(seconds=7)
    retried = household.intent("AMAZON.YesIntent")
    assert retried.speech.startswith("I've saved your note appreciating the surprise. Who is it from?")
    assert [item["sk"] for item in stored(household)] == [first_key]
    assert kept(household) == [("the surprise", None)]


def test_names_with_ampersands_and_angle_brackets_are_spoken_as_valid_ssml(household: Household) -> None:
    """Household.send parses every reply's SSML: an unescaped name would fail there."""
    household.launch()
    household.intent("NameIntent", firstName="Tom & Jo", partnerName="<Alex>")
    asked = household.intent("SaveAppreciationIntent", text="the tea")
    assert asked.speech == (
        "I've saved your note appreciating the tea. Is it from Tom & Jo or <Alex>? "
        "Say: it's from, and the name."
    )
    assert "Tom &amp; Jo or &lt;Alex&gt;" in asked.ssml
    signed = household.intent("AppreciationAuthorIntent", firstName="tom & jo")
    assert signed.speech.startswith("Done. I've signed it from Tom & Jo.")
    read = household.one_shot("ReadAppreciationsIntent")
    assert (
        read.speech
        == "Here's your jar, newest first. Today, Tom & Jo appreciated the tea. That's all of them."
    )
    theirs = household.one_shot("ReadAuthorAppreciationsIntent", firstName="Tom & Jo")
    assert theirs.speech == (
        "Here's what Tom & Jo appreciates, newest first. Today, Tom & Jo appreciated the tea. "
        "That's all of them."
    )
    nobody = household.one_shot("ReadAuthorAppreciationsIntent", firstName="<Alex>")
    assert nobody.speech.startswith("There's nothing in the jar from <Alex> yet. <Alex>, try saying:")


def test_a_week_ago_is_said_as_a_date_and_six_days_ago_as_a_weekday(household: Household) -> None:
    # The household's clock: Friday 20 November 2026, noon in Los Angeles.
    client = boto3.client("dynamodb", region_name=REGION)
    pk = household_pk(household_id(household.device.user_id))
    for moment, text in [
        (datetime(2026, 11, 13, 20, 0, tzinfo=UTC), "a week ago"),
        (datetime(2026, 11, 14, 20, 0, tzinfo=UTC), "six days ago"),
    ]:
        item = {"pk": pk, "sk": Appreciation.key_for(text, moment), "text": text, "author": "Sam"}
        client.put_item(TableName=table_name(), Item=to_item(item))
    read = household.one_shot("ReadAppreciationsIntent")
    assert read.speech == (
        "Here's your jar, newest first. On Saturday, Sam appreciated six days ago. "
        "On November 13, Sam appreciated a week ago. That's all of them."
    )


def test_three_names_are_offered_in_a_list_and_closing_punctuation_is_not_said_twice(
    household: Household,
) -> None:
    household.launch()
    household.intent("NameIntent", firstName="Sam", partnerName="Alex")
    household.intent("NameIntent", firstName="Jo")
    asked = household.intent("SaveAppreciationIntent", text="the tea!")
    assert asked.speech == (
        "I've saved your note appreciating the tea. Is it from Sam, Alex or Jo? Say: it's from, and the name."
    )


def test_last_evening_is_yesterday_by_the_households_clock_though_it_is_today_in_utc(
    household: Household,
) -> None:
    # 03:00 UTC on Friday is 7 pm on Thursday in Los Angeles, where it is now Friday noon.
    client = boto3.client("dynamodb", region_name=REGION)
    moment = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
    item = {
        "pk": household_pk(household_id(household.device.user_id)),
        "sk": Appreciation.key_for("last evening", moment),
        "text": "the walk",
    }
    client.put_item(TableName=table_name(), Item=to_item(item))
    read = household.one_shot("ReadAppreciationsIntent")
    assert read.speech == (
        "Here's your jar, newest first. Yesterday, one of you appreciated the walk. That's all of them."
    )


def fill_jar(household: Household, authors: list[str | None]) -> None:
    """One appreciation by each of `authors` straight into the table, a minute apart, the last the newest
    ("note 1" the oldest), in batches as DynamoDB takes them."""
    earliest = household.now - timedelta(minutes=len(authors))
    notes = [
        appreciation_item(
            household.device.user_id, f"note {n}", earliest + timedelta(minutes=n), f"note {n}", author
        )
        for n, author in enumerate(authors, start=1)
    ]
    put_items(table_name(), notes)


def test_what_another_echo_deleted_meanwhile_is_said_to_be_gone(household: Household, alexa_api) -> None:
    other_echo = voice(household, alexa_api, None)
    fill_jar(household, [None, None])
    household.launch()
    assert household.intent("DeleteLastAppreciationIntent").speech.startswith("Your newest note is the one")
    household.wait(seconds=5)
    other_echo.one_shot("DeleteAllAppreciationsIntent")
    other_echo.intent("AMAZON.YesIntent")
    assert household.intent("AMAZON.YesIntent").speech == (
        f"That one was already gone from your jar. {ANYTHING_ELSE}"
    )
    fill_jar(household, [None])
    household.intent("DeleteAllAppreciationsIntent")
    other_echo.one_shot("DeleteAllAppreciationsIntent")
    other_echo.intent("AMAZON.YesIntent")
    assert household.intent("AMAZON.YesIntent").speech == f"Your jar is already empty. {ANYTHING_ELSE}"


def test_more_after_the_rest_was_deleted_elsewhere_says_that_was_all(household: Household, alexa_api) -> None:
    fill_jar(household, [None] * 5)
    household.launch()
    assert household.intent("ReadAppreciationsIntent").listening
    other_echo = voice(household, alexa_api, None)
    other_echo.one_shot("DeleteAllAppreciationsIntent")
    other_echo.intent("AMAZON.YesIntent")
    more = household.intent("AMAZON.MoreIntent")
    assert more.speech == f"That's all of them. {ANYTHING_ELSE}"
    assert more.session_attributes.get("state") is None


def test_one_partners_notes_far_down_a_big_jar_are_searched_for_over_several_turns(
    household: Household,
) -> None:
    """A turn reads a bounded number of items; Sam's one note lies beyond them, under a thousand of Alex's."""
    fill_jar(household, ["Sam"] + ["Alex"] * (MAX_QUERIES_PER_PAGE * FILTERED_READ_BATCH + 50))
    household.launch()
    looking = household.intent("ReadAuthorAppreciationsIntent", firstName="Sam")
    assert looking.speech == (
        "I've looked through a lot of your jar without finding more from Sam yet. Say more to keep looking."
    )
    assert looking.listening
    found = household.intent("AMAZON.MoreIntent")
    assert found.speech == f"Yesterday, Sam appreciated note 1. That's all of them. {ANYTHING_ELSE}"


def test_a_jar_of_exactly_one_page_is_read_without_offering_more(household: Household) -> None:
    fill_jar(household, [None, "Sam", None])
    read = household.one_shot("ReadAppreciationsIntent")
    assert read.speech == (
        "Here's your jar, newest first. Today, one of you appreciated note 3. Today, Sam appreciated note 2. "
        "Today, one of you appreciated note 1. That's all of them."
    )
    assert not read.listening


def test_a_long_note_is_acknowledged_not_read_back_when_asking_who_it_is_from(household: Household) -> None:
    long_note = "the way you listened to every single worry I had about work last night until late"
    household.launch()
    asked = household.intent("SaveAppreciationIntent", text=long_note)
    assert asked.speech == (
        "I've saved every word of your note. Who is it from? Say: it's from, and a name. Or say skip."
    )
    household.intent("AppreciationAuthorIntent", firstName="Sam")
    household.wait(minutes=1)
    again = household.intent("SaveAppreciationIntent", text=long_note)
    assert again.speech == "I've saved every word of your note. Is it from Sam? Say: it's from, and the name."


def test_a_note_is_kept_under_the_key_its_request_gives_it_so_a_later_release_finds_it_again(
    household: Household,
) -> None:
    # Alexa may deliver a request again after a new release is deployed: that release must compute the key
    # the first one stored, the request's UTC second and the first 16 hex digits of its id's SHA-256.
    household.conversation.end()
    save = household.conversation.intent("SaveAppreciationIntent", {"text": "the surprise"})
    household.send(copy.deepcopy(save))
    second = datetime.fromisoformat(save["request"]["timestamp"]).strftime("%Y-%m-%dT%H:%M:%SZ")
    digest = hashlib.sha256(save["request"]["requestId"].encode("utf-8")).hexdigest()
    assert [item["sk"] for item in stored(household)] == [f"APPR#{second}#{digest[:16]}"]


def test_one_partners_notes_filling_exactly_a_page_are_read_without_offering_more(
    household: Household,
) -> None:
    # Sam's three notes are the newest; a hundred older ones are not Sam's, so the first read ends before
    # the jar does: the search goes on to the end before saying whether more of Sam's follow.
    fill_jar(household, [None] * 100 + ["Sam"] * 3)
    household.launch()
    read = household.intent("ReadAuthorAppreciationsIntent", firstName="Sam")
    assert read.speech.count("Sam appreciated") == 3
    assert "That's all of them." in read.speech and "Would you like more?" not in read.speech
