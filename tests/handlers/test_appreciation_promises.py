"""What the jar promises where a slip would go unheard until it mattered: a request Alexa delivers twice
is stored once and erases nothing, a retry saves no copy, names are spoken as SSML can carry them, and days
are said as the household counts them."""

import copy
from datetime import UTC, datetime

import boto3

from skill.context import household_id
from skill.store.appreciations import Appreciation
from skill.store.table import household_pk, to_item
from tests.support import REGION, DynamoDbCalls, Household, stored, table_name


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
