"""The appreciation jar, saving: through the deployed handler, asserting on what DynamoDB holds afterwards."""

import copy
from xml.etree import ElementTree

import boto3
import pytest

from skill.context import household_id
from skill.store.table import household_pk
from tests.support import REGION, SAM, DynamoDbCalls, Household, Stack, name_voice, stored


def test_one_shot_from_a_named_voice_is_saved_signed_and_confirmed(household, alexa_api) -> None:
    sam = name_voice(household, alexa_api, SAM, "Sam")
    reply = sam.one_shot("SaveAppreciationIntent", text="how you made coffee this morning")
    assert reply.speech == "I've saved Sam's note appreciating how you made coffee this morning."
    assert not reply.listening
    [item] = stored(household)
    assert (item["text"], item["author"]) == ("how you made coffee this morning", "Sam")
    assert item["sk"].startswith("APPR#2026-11-20T20:00:00Z#")
    assert item["request_id"].startswith("amzn1.echo-api.request.")


def test_in_session_save_confirms_and_offers_more(household, alexa_api) -> None:
    sam = name_voice(household, alexa_api, SAM, "Sam")
    sam.launch()
    reply = sam.intent("SaveAppreciationIntent", text="the flowers")
    assert reply.speech.startswith("I've saved Sam's note appreciating the flowers. Anything else?")
    assert reply.listening and reply.reprompt
    assert "state" not in reply.session_attributes


def test_an_answer_without_a_carrier_phrase_gets_a_hint_not_the_general_fallback(household) -> None:
    household.launch()
    household.intent("LogAppreciationIntent")
    reply = household.intent("AMAZON.FallbackIntent")
    assert "starting with: I appreciate" in reply.speech and reply.listening
    assert reply.session_attributes["state"] == "appreciation.awaiting_text"


@pytest.mark.parametrize("heard", [None, "", "   ", "?"])
def test_empty_or_unheard_text_reprompts_and_saves_nothing(household: Household, heard) -> None:
    reply = household.one_shot("SaveAppreciationIntent", text=heard)
    assert "didn't catch what you appreciate" in reply.speech
    assert reply.listening and reply.reprompt
    assert stored(household) == []


def test_over_five_hundred_characters_is_refused_clearly(household: Household) -> None:
    household.launch()
    reply = household.intent("SaveAppreciationIntent", text="x" * 501)
    assert "five hundred characters" in reply.speech and "haven't saved it" in reply.speech
    assert reply.listening and stored(household) == []
    household.intent("SaveAppreciationIntent", text="y" * 500)
    assert [len(item["text"]) for item in stored(household)] == [500]


def test_markup_quotes_and_emoji_are_stored_as_said_and_spoken_safely(household, alexa_api) -> None:
    text = """how you said "I <3 you" & Tom's 'cheesy' grin 😍🎉 <speak>"""
    sam = name_voice(household, alexa_api, SAM, "Sam")
    saved = sam.one_shot("SaveAppreciationIntent", text=text)
    ElementTree.fromstring(saved.ssml)  # Household checks this too; here it is the point of the test
    assert saved.speech == f"I've saved Sam's note appreciating {text}."
    assert "&lt;3" in saved.ssml and "&amp;" in saved.ssml and "&quot;I" in saved.ssml
    [item] = stored(household)
    assert item["text"] == text
    read = sam.one_shot("ReadAppreciationsIntent")
    assert f"Today, Sam appreciated {text}." in read.speech


def test_a_long_appreciation_is_acknowledged_not_read_back(household, alexa_api) -> None:
    text = "how you drove all the way across town in the rain to bring me soup when I was ill"
    sam = name_voice(household, alexa_api, SAM, "Sam")
    saved = sam.one_shot("SaveAppreciationIntent", text=text)
    assert saved.speech == "I've saved every word of Sam's note."
    [item] = stored(household)
    assert item["text"] == text, "every word is kept, only the reply is short"


def test_a_name_with_markup_is_escaped_too(household, alexa_api) -> None:
    sam = name_voice(household, alexa_api, SAM, "<b>Sam & co")
    reply = sam.one_shot("SaveAppreciationIntent", text="everything")
    assert reply.speech == "I've saved <b>Sam & co's note appreciating everything."


def test_a_failed_write_says_so_and_a_yes_retries_it(household, dynamodb: DynamoDbCalls) -> None:
    dynamodb.failing.add("PutItem")
    reply = household.one_shot("SaveAppreciationIntent", text="the surprise")
    assert "isn't saved" in reply.speech and "I've saved" not in reply.speech
    assert "Who is it from" not in reply.speech, "nobody is asked to sign what is not stored"
    assert reply.listening and reply.session_attributes["state"] == "appreciation.confirm_retry"
    assert stored(household) == []
    dynamodb.failing.clear()
    retried = household.intent("AMAZON.YesIntent")
    assert retried.speech.startswith("I've saved your note appreciating the surprise. Who is it from?")
    assert [(item["text"], item.get("author")) for item in stored(household)] == [("the surprise", None)]
    signed = household.intent("AppreciationAuthorIntent", firstName="Sam")
    assert signed.speech.startswith("Done. I've signed it from Sam.")
    assert [(item["text"], item.get("author")) for item in stored(household)] == [("the surprise", "Sam")]


def test_a_failed_write_of_a_named_voice_retries_signed(household, alexa_api, dynamodb) -> None:
    sam = name_voice(household, alexa_api, SAM, "Sam")
    dynamodb.failing.add("PutItem")
    sam.one_shot("SaveAppreciationIntent", text="the surprise")
    dynamodb.failing.clear()
    assert sam.intent("AMAZON.YesIntent").speech.startswith(
        "I've saved Sam's note appreciating the surprise."
    )
    assert [(item["text"], item["author"]) for item in stored(household)] == [("the surprise", "Sam")]


def test_no_after_a_failed_write_lets_it_go(household, dynamodb: DynamoDbCalls) -> None:
    dynamodb.failing.add("PutItem")
    household.one_shot("SaveAppreciationIntent", text="the surprise")
    reply = household.intent("AMAZON.NoIntent")
    assert reply.speech.startswith("Okay, I haven't saved it.")
    assert stored(household) == []


@pytest.mark.own_account("deletes the table")
def test_a_missing_table_gets_an_honest_answer(household, alexa_api, stack: Stack) -> None:
    sam = name_voice(household, alexa_api, SAM, "Sam")
    boto3.client("dynamodb", region_name=REGION).delete_table(TableName=stack.table_name)
    reply = sam.one_shot("SaveAppreciationIntent", text="the surprise")  # the profile is gone too
    assert "isn't saved" in reply.speech and "I've saved" not in reply.speech
    assert "Who is it from" not in reply.speech
    assert reply.listening


def test_a_repeated_request_stores_one_item_and_confirms_both_times(household, alexa_api) -> None:
    sam = name_voice(household, alexa_api, SAM, "Sam")
    envelope = sam.conversation.intent("SaveAppreciationIntent", {"text": "the note in my bag"})
    first = sam.send(copy.deepcopy(envelope))
    again = sam.send(copy.deepcopy(envelope))
    assert first.speech == again.speech == "I've saved Sam's note appreciating the note in my bag."
    assert [item["text"] for item in stored(household)] == ["the note in my bag"]


def test_a_retry_after_a_lost_answer_does_not_save_twice(
    household, stack: Stack, dynamodb: DynamoDbCalls
) -> None:
    """The write reached DynamoDB but its answer did not reach us: the retry must find it, not copy it."""
    dynamodb.failing.add("PutItem")
    failed = household.one_shot("SaveAppreciationIntent", text="the surprise")
    pending = failed.session_attributes["appreciation.pending"]
    dynamodb.failing.clear()
    client = boto3.client("dynamodb", region_name=REGION)
    pk = household_pk(household_id(household.device.user_id))
    client.put_item(
        TableName=stack.table_name,
        Item={"pk": {"S": pk}, "sk": {"S": pending["sk"]}, "text": {"S": "the surprise"}},
    )
    assert household.intent("AMAZON.YesIntent").speech.startswith(
        "I've saved your note appreciating the surprise. Who is it from?"
    )
    assert len(stored(household)) == 1
