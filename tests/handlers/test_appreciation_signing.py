"""The jar without a recognised voice: saved first, then asked who it is from, and signed by the answer.

Nothing is lost: what was said is in DynamoDB before anyone is asked to sign it, so moving on, stopping
or letting the session lapse leaves it there, unsigned."""

import copy
from collections.abc import Callable
from typing import Any

import boto3
import pytest

from skill.context import household_id
from skill.store.table import household_pk
from tests.support import (
    FAULTS,
    REGION,
    SAM,
    DynamoDbCalls,
    Household,
    Reply,
    Stack,
    name_voice,
    stored,
    voice,
    wire_faults,
)

ASKING = "appreciation.awaiting_author"


def signatures(household: Household) -> list[tuple[str, str | None]]:
    """(text, author) of each stored appreciation, oldest first; None: unsigned."""
    return [(item["text"], item.get("author")) for item in stored(household)]


def test_it_is_saved_before_anyone_is_asked_who_it_is_from(household, dynamodb: DynamoDbCalls) -> None:
    asked = household.one_shot("SaveAppreciationIntent", text="how you made coffee")
    assert asked.speech == (
        "I've saved your note appreciating how you made coffee. "
        "Who is it from? Say: it's from, and a name. Or say skip."
    )
    assert asked.listening and "from" in asked.reprompt
    assert asked.session_attributes["state"] == ASKING
    assert signatures(household) == [("how you made coffee", None)]
    assert dynamodb.count("PutItem") == 1 and dynamodb.count("UpdateItem") == 0


def test_the_answer_signs_the_stored_item_in_place(household, dynamodb: DynamoDbCalls) -> None:
    household.one_shot("SaveAppreciationIntent", text="how you made coffee")
    [before] = stored(household)
    signed = household.intent("AppreciationAuthorIntent", firstName="sam")
    assert signed.speech.startswith("Done. I've signed it from Sam. Anything else?")
    assert signed.listening and "state" not in signed.session_attributes
    [after] = stored(household)
    assert after == {**before, "author": "Sam"}, "the same item, now signed: not a second one"
    assert dynamodb.count("UpdateItem") == 1


MOVING_ON: dict[str, Callable[[Household], Reply]] = {
    "read our appreciations": lambda h: h.intent("ReadAppreciationsIntent"),
    "what's tonight's question": lambda h: h.intent("TonightsQuestionIntent"),
    "start a check-in": lambda h: h.intent("StartCheckInIntent"),
    "help": lambda h: h.intent("AMAZON.HelpIntent"),
    "stop": lambda h: h.intent("AMAZON.StopIntent"),
    "cancel": lambda h: h.intent("AMAZON.CancelIntent"),
    "the session times out": lambda h: h.send(h.conversation.session_ended("EXCEEDED_MAX_REPROMPTS")),
    "the couple walks away": lambda h: h.conversation.end(),  # and Alexa never calls again
}


@pytest.mark.parametrize("move_on", MOVING_ON, ids=list(MOVING_ON))
def test_moving_on_instead_of_answering_leaves_it_stored_unsigned(household: Household, move_on) -> None:
    household.launch()
    household.intent("SaveAppreciationIntent", text="how you made coffee")
    MOVING_ON[move_on](household)
    assert signatures(household) == [("how you made coffee", None)]
    household.wait(days=1)
    read = household.one_shot("ReadAppreciationsIntent")
    assert "Yesterday, one of you appreciated how you made coffee." in read.speech


def test_reading_instead_of_answering_reads_it_back_at_once(household: Household) -> None:
    household.launch()
    household.intent("SaveAppreciationIntent", text="how you made coffee")
    read = household.intent("ReadAppreciationsIntent")
    assert read.speech.startswith(
        "Here's your jar, newest first. Today, one of you appreciated how you made coffee."
    )
    assert read.session_attributes.get("state") != ASKING
    late = household.intent("AppreciationAuthorIntent", firstName="Sam")
    assert not late.speech.startswith("Done. I've signed"), "the question is over once the couple moved on"
    assert signatures(household) == [("how you made coffee", None)]


def test_it_is_asked_every_time_so_partners_taking_turns_each_get_their_credit(household: Household) -> None:
    household.launch()
    household.intent("SaveAppreciationIntent", text="how you listened")
    household.intent("AppreciationAuthorIntent", firstName="alex")
    household.wait(minutes=1)
    again = household.intent("SaveAppreciationIntent", text="the walk")
    assert again.speech.startswith("I've saved your note appreciating the walk. Is it from Alex?")
    assert again.listening
    household.intent("AppreciationAuthorIntent", firstName="Sam")
    assert signatures(household) == [("how you listened", "Alex"), ("the walk", "Sam")]


def test_yes_to_the_one_name_suggested_signs_with_it(household: Household) -> None:
    household.launch()
    household.intent("NameIntent", firstName="Sam")
    asked = household.intent("SaveAppreciationIntent", text="the tea")
    assert asked.speech.startswith("I've saved your note appreciating the tea. Is it from Sam?")
    signed = household.intent("AMAZON.YesIntent")
    assert signed.speech.startswith("Done. I've signed it from Sam.")
    assert signatures(household) == [("the tea", "Sam")]


def test_yes_when_two_names_were_suggested_asks_which(household: Household) -> None:
    household.launch()
    household.intent("NameIntent", firstName="Sam", partnerName="Alex")
    household.intent("SaveAppreciationIntent", text="the tea")
    which = household.intent("AMAZON.YesIntent")
    assert which.listening
    assert signatures(household) == [("the tea", None)], "a yes to two names signs neither"
    household.intent("AppreciationAuthorIntent", firstName="Alex")
    assert signatures(household) == [("the tea", "Alex")]


def test_no_its_from_alex_corrects_the_newest_note(household: Household) -> None:
    household.launch()
    household.intent("SaveAppreciationIntent", text="the soup")
    household.intent("AppreciationAuthorIntent", firstName="Sam")
    corrected = household.intent("AppreciationAuthorIntent", firstName="Alex")
    assert corrected.speech.startswith("Done. I've signed it from Alex.")
    assert signatures(household) == [("the soup", "Alex")]


def test_a_name_out_of_the_blue_after_another_feature_signs_nothing(household: Household) -> None:
    household.launch()
    household.intent("SaveAppreciationIntent", text="the soup")
    household.intent("AppreciationAuthorIntent", firstName="Sam")
    household.intent("TonightsQuestionIntent")
    household.launch()
    household.intent("AppreciationAuthorIntent", firstName="Alex")
    assert signatures(household) == [("the soup", "Sam")]


def test_skipping_leaves_this_one_unsigned_and_the_next_is_asked_again(household: Household) -> None:
    household.launch()
    household.intent("SaveAppreciationIntent", text="the tea")
    household.intent("SkipQuestionIntent")
    household.wait(minutes=1)
    again = household.intent("SaveAppreciationIntent", text="the cake")
    assert again.speech.startswith("I've saved your note appreciating the cake. Who is it from?")
    assert signatures(household) == [("the tea", None), ("the cake", None)]


def test_a_new_appreciation_instead_of_an_answer_keeps_both(household: Household) -> None:
    household.launch()
    household.intent("SaveAppreciationIntent", text="the tea")
    household.wait(minutes=1)
    asked = household.intent("SaveAppreciationIntent", text="the cake")
    assert asked.speech.startswith("I've saved your note appreciating the cake. Who is it from?")
    household.intent("AppreciationAuthorIntent", firstName="Jo")
    assert signatures(household) == [("the tea", None), ("the cake", "Jo")], "the answer signs the one asked"


def test_a_recognised_voice_without_a_name_is_asked_too(household, alexa_api) -> None:
    stranger = voice(household, alexa_api, "amzn1.ask.person.UNNAMED")
    reply = stranger.one_shot("SaveAppreciationIntent", text="dinner")
    assert (
        reply.speech.startswith("I've saved your note appreciating dinner. Who is it from")
        and reply.listening
    )
    assert signatures(household) == [("dinner", None)]


def test_a_named_voice_is_never_asked(household, alexa_api, dynamodb: DynamoDbCalls) -> None:
    sam = name_voice(household, alexa_api, SAM, "Sam")
    reply = sam.one_shot("SaveAppreciationIntent", text="dinner")
    assert reply.speech == "I've saved Sam's note appreciating dinner." and not reply.listening
    assert signatures(household) == [("dinner", "Sam")]
    assert dynamodb.count("UpdateItem") == 0


@pytest.mark.parametrize(
    "answer", ["SkipQuestionIntent", "AnonymousAppreciationIntent", "AMAZON.NoIntent"], ids=str
)
def test_skip_leaves_it_saved_unsigned(household, dynamodb: DynamoDbCalls, answer: str) -> None:
    household.one_shot("SaveAppreciationIntent", text="how you laugh")
    reply = household.intent(answer)
    assert reply.speech.startswith("Okay, it stays in your jar unsigned.")
    assert signatures(household) == [("how you laugh", None)]
    assert dynamodb.count("UpdateItem") == 0


def test_an_empty_name_is_asked_once_and_left_unsigned(household) -> None:
    household.launch()
    household.intent("SaveAppreciationIntent", text="the tea")
    reply = household.intent("AppreciationAuthorIntent", firstName=None)
    assert reply.speech.startswith(
        "I didn't catch a name, so your note stays unsigned, and nothing new was saved."
    )
    assert signatures(household) == [("the tea", None)]
    household.wait(minutes=1)
    again = household.intent("SaveAppreciationIntent", text="the cake")
    assert "Who is it from?" in again.speech, "no answer was given, so the next one is asked afresh"


def test_words_that_are_not_a_name_say_truly_that_only_the_earlier_note_is_kept(household) -> None:
    household.launch()
    household.intent("SaveAppreciationIntent", text="the tea")
    reply = household.intent("AMAZON.FallbackIntent")
    assert reply.speech.startswith("Sorry, I didn't catch that, so I haven't saved it.")
    assert "Your earlier note is saved, unsigned." in reply.speech
    assert reply.listening
    assert signatures(household) == [("the tea", None)]
    household.wait(minutes=1)
    again = household.intent("SaveAppreciationIntent", text="the cake")
    assert "Who is it from?" in again.speech, "no answer was given, so the next one is asked afresh"


def test_my_name_is_while_asked_signs_it_and_names_the_voice(household, alexa_api) -> None:
    jo = voice(household, alexa_api, "amzn1.ask.person.JO")
    jo.one_shot("SaveAppreciationIntent", text="the playlist")
    reply = jo.intent("NameIntent", firstName="jo")
    assert reply.speech.startswith("Done. I've signed it from Jo.")
    jo.wait(minutes=1)
    later = jo.one_shot("SaveAppreciationIntent", text="the hug")
    assert later.speech == "I've saved Jo's note appreciating the hug.", "the voice is known now"
    assert signatures(household) == [("the playlist", "Jo"), ("the hug", "Jo")]


def test_log_an_appreciation_asks_and_the_answer_is_captured(household: Household) -> None:
    household.launch()
    asked = household.intent("LogAppreciationIntent")
    assert asked.speech.startswith("What do you appreciate?") and asked.listening
    assert asked.session_attributes["state"] == "appreciation.awaiting_text"
    saved = household.intent("SaveAppreciationIntent", text="how patient you were")
    assert saved.speech.startswith("I've saved your note appreciating how patient you were. Who is it from?")
    assert signatures(household) == [("how patient you were", None)]


def test_help_while_asked_who_explains_that_question(household: Household) -> None:
    household.one_shot("SaveAppreciationIntent", text="the tea")
    reply = household.intent("AMAZON.HelpIntent")
    assert "is saved" in reply.speech and "it's from" in reply.speech and "skip" in reply.speech
    assert reply.listening and reply.session_attributes["state"] == ASKING
    assert household.intent("AppreciationAuthorIntent", firstName="Sam").speech.startswith(
        "Done. I've signed it from Sam."
    )


def test_markup_in_the_text_and_the_name_is_spoken_safely(household: Household) -> None:
    text = """<i>tea</i> & "cake" 😍"""
    asked = household.one_shot("SaveAppreciationIntent", text=text)  # Household parses every SSML answer
    assert asked.speech.startswith(f"I've saved your note appreciating {text}. Who is it from?")
    assert "&lt;i&gt;tea&lt;/i&gt; &amp; &quot;cake&quot;" in asked.ssml
    signed = household.intent("AppreciationAuthorIntent", firstName="<b>Sam & co")
    assert signed.speech.startswith("Done. I've signed it from <b>Sam & co.")
    assert "&lt;b&gt;Sam &amp; co" in signed.ssml
    assert signatures(household) == [(text, "<b>Sam & co")]


def test_a_repeated_request_stores_one_item_and_asks_both_times(household: Household) -> None:
    envelope = household.conversation.intent("SaveAppreciationIntent", {"text": "the note in my bag"})
    first = household.send(copy.deepcopy(envelope))
    again = household.send(copy.deepcopy(envelope))
    assert first.speech == again.speech
    assert first.speech.startswith("I've saved your note appreciating the note in my bag. Who is it from?")
    assert signatures(household) == [("the note in my bag", None)]


# --- signing fails: the appreciation itself stays saved, and we say so ---


def test_a_failed_signing_says_so_and_a_yes_retries_it(household, dynamodb: DynamoDbCalls) -> None:
    household.one_shot("SaveAppreciationIntent", text="the surprise")
    dynamodb.failing.add("UpdateItem")
    reply = household.intent("AppreciationAuthorIntent", firstName="Sam")
    assert reply.speech.startswith(
        "Sorry, I couldn't add the name just now. Your appreciation is still saved, unsigned."
    )
    assert "I've signed" not in reply.speech and "signed it from" not in reply.speech
    assert reply.listening and reply.session_attributes["state"] == "appreciation.confirm_sign_retry"
    assert signatures(household) == [("the surprise", None)]
    dynamodb.failing.clear()
    retried = household.intent("AMAZON.YesIntent")
    assert retried.speech.startswith("Done. I've signed it from Sam.")
    assert signatures(household) == [("the surprise", "Sam")]


def test_no_after_a_failed_signing_leaves_it_unsigned(household, dynamodb: DynamoDbCalls) -> None:
    household.one_shot("SaveAppreciationIntent", text="the surprise")
    dynamodb.failing.add("UpdateItem")
    household.intent("AppreciationAuthorIntent", firstName="Sam")
    dynamodb.failing.clear()
    reply = household.intent("AMAZON.NoIntent")
    assert reply.speech.startswith("Okay, it stays in your jar unsigned.")
    assert signatures(household) == [("the surprise", None)]
    household.wait(minutes=1)
    later = household.intent("SaveAppreciationIntent", text="the card")
    assert later.speech.startswith("I've saved your note appreciating the card. Is it from Sam?"), (
        "the name given is kept for the household, and the next note is asked about"
    )


def test_moving_on_after_a_failed_signing_leaves_it_unsigned(household, dynamodb: DynamoDbCalls) -> None:
    household.one_shot("SaveAppreciationIntent", text="the surprise")
    dynamodb.failing.add("UpdateItem")
    household.intent("AppreciationAuthorIntent", firstName="Sam")
    household.intent("AMAZON.StopIntent")
    assert signatures(household) == [("the surprise", None)]


@pytest.mark.parametrize("fault", FAULTS)
def test_signing_on_a_failing_table_is_honest(household: Household, fault: str) -> None:
    with wire_faults(fault) as faults:
        household.one_shot("SaveAppreciationIntent", text="the surprise")
        faults.failing = {"UpdateItem"}
        reply = household.intent("AppreciationAuthorIntent", firstName="Sam")
        faults.failing = set()
    assert faults.attempts > 0
    assert "still saved, unsigned" in reply.speech and "I've signed" not in reply.speech
    assert signatures(household) == [("the surprise", None)]


def test_an_appreciation_deleted_before_it_is_signed_stays_deleted(household, stack: Stack) -> None:
    household.one_shot("SaveAppreciationIntent", text="the tea")
    [item] = stored(household)
    boto3.client("dynamodb", region_name=REGION).delete_item(
        TableName=stack.table_name, Key={"pk": {"S": item["pk"]}, "sk": {"S": item["sk"]}}
    )
    reply = household.intent("AppreciationAuthorIntent", firstName="Sam")
    assert reply.speech.startswith("That one was already gone from your jar.")
    assert stored(household) == [], "signing never brings an appreciation back"


def _in_state(household: Household, intent: str, attributes: dict[str, Any], **slots: Any) -> Reply:
    envelope = household.conversation.intent(intent, slots)
    envelope["session"].update(new=False, attributes=attributes)
    return household.send(envelope)


@pytest.mark.parametrize(
    "to_sign",
    [
        None,
        "x",
        {"sk": 1, "text": "tea", "author": "Sam"},
        {"text": "tea", "author": "Sam"},
        {"sk": "PROFILE", "text": "tea", "author": "Sam"},
    ],
    ids=["missing", "a string", "a number key", "no key", "not an appreciation"],
)
def test_a_garbled_question_signs_nothing(household: Household, stack: Stack, to_sign: Any) -> None:
    household.one_shot("NameIntent", firstName="Jo")  # a profile item an unchecked key could sign
    attributes: dict[str, Any] = {"state": ASKING}
    if to_sign is not None:
        attributes["appreciation.to_sign"] = to_sign
    reply = _in_state(household, "AppreciationAuthorIntent", attributes, firstName="Sam")
    assert reply.speech.startswith("What do you appreciate?")
    attributes["state"] = "appreciation.confirm_sign_retry"
    retry = _in_state(household, "AMAZON.YesIntent", copy.deepcopy(attributes))
    assert not retry.speech.startswith("Done. I've signed") and retry.listening
    pk = household_pk(household_id(household.device.user_id))
    key = {"pk": {"S": pk}, "sk": {"S": "PROFILE"}}
    profile = boto3.client("dynamodb", region_name=REGION).get_item(TableName=stack.table_name, Key=key)
    assert "author" not in profile["Item"]
    assert stored(household) == []


@pytest.mark.parametrize(
    ("answer", "slots", "said"),
    [
        ("AppreciationAuthorIntent", {"firstName": "Sam"}, "I've saved Sam's note appreciating the tea."),
        ("SkipQuestionIntent", {}, "I've saved your note appreciating the tea, unsigned."),
    ],
    ids=["a name", "skip"],
)
def test_a_question_asked_before_this_release_still_saves_what_was_said(
    household, answer, slots, said
) -> None:
    """Until this release the question came before the save; a session straddling the deploy keeps it."""
    attributes = {"state": ASKING, "appreciation.pending": {"text": "the tea"}}
    reply = _in_state(household, answer, attributes, **slots)
    assert reply.speech.startswith(said)
    assert signatures(household) == [("the tea", slots.get("firstName"))]


UNHEARD = "Sorry, I didn't catch what you appreciate. Say it again, starting with: I appreciate."


def test_no_its_from_alex_after_a_recognised_voice_saved_a_note_signs_it_alex(
    household: Household, alexa_api
) -> None:
    name_voice(household, alexa_api, SAM, "Sam")
    echo = voice(household, alexa_api, SAM)
    echo.launch()
    assert echo.intent("SaveAppreciationIntent", text="the soup").speech.startswith("I've saved Sam's note")
    corrected = echo.intent("AppreciationAuthorIntent", firstName="Alex")
    assert corrected.speech.startswith("Done. I've signed it from Alex.")
    assert signatures(household) == [("the soup", "Alex")]
    asked = household.one_shot("SaveAppreciationIntent", text="the bread")
    assert asked.speech.startswith("I've saved your note appreciating the bread. Is it from Sam or Alex?")


def test_a_session_asking_who_with_no_note_at_all_asks_for_the_note_and_waits_for_it(
    household: Household,
) -> None:
    asked = _in_state(household, "AppreciationAuthorIntent", {"state": ASKING}, firstName="Sam")
    assert asked.speech.startswith("What do you appreciate?")
    assert household.intent("AMAZON.FallbackIntent").speech == UNHEARD


def test_reading_an_empty_jar_waits_for_its_first_note(household: Household) -> None:
    household.launch()
    household.intent("ReadAppreciationsIntent")
    assert household.intent("AMAZON.FallbackIntent").speech == UNHEARD


def test_a_name_recognition_gave_with_a_capital_inside_is_kept_as_given(household: Household) -> None:
    household.launch()
    named = household.intent("NameIntent", firstName="deShawn")
    assert named.speech.startswith("Nice to meet you, deShawn.")


def test_a_note_ending_in_a_capital_x_is_read_back_whole(household: Household) -> None:
    household.launch()
    saved = household.intent("SaveAppreciationIntent", text="the trip to SpaceX")
    assert saved.speech.startswith("I've saved your note appreciating the trip to SpaceX.")
    assert household.intent("SaveAppreciationIntent", text="X").speech.startswith(
        "I've saved your note appreciating X."
    )


def test_a_long_note_from_a_question_asked_before_this_release_is_acknowledged_not_read_back(
    household: Household,
) -> None:
    long_note = "the way you listened to every single worry I had about work last night until late"
    attributes = {"state": ASKING, "appreciation.pending": {"text": long_note}}
    skipped = _in_state(household, "SkipQuestionIntent", attributes)
    assert skipped.speech.startswith("I've saved every word of your note, unsigned.")
    assert signatures(household) == [(long_note, None)]
