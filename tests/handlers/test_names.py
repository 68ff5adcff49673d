"""Partners' names: "my name is …", for a recognised voice or for the household, and the first welcome."""

from skill.context import household_id
from skill.store import Store
from skill.store.profile import Profile, voice_key
from tests.support import SAM, Household, Stack, dynamodb_hooks, voice


def profile(stack: Stack, household: Household) -> Profile:
    return Store(stack.table_name).profiles.load(household_id(household.device.user_id))


def test_a_name_is_asked_for_when_a_note_is_saved_and_then_offered(household: Household) -> None:
    household.launch()
    asked = household.intent("SaveAppreciationIntent", text="the tea")
    assert "Who is it from?" in asked.speech
    household.intent("AppreciationAuthorIntent", firstName="sam")
    household.wait(minutes=1)
    later = household.intent("SaveAppreciationIntent", text="the cake")
    assert "Is it from Sam?" in later.speech


def test_we_are_sam_and_alex_keeps_both_names(household: Household, stack: Stack) -> None:
    reply = household.one_shot("NameIntent", firstName="sam", partnerName="alex")
    assert reply.speech.startswith("Nice to meet you both, Sam and Alex.")
    assert profile(stack, household).partner_names == ["Sam", "Alex"]


def test_my_name_is_names_the_recognised_voice(household, alexa_api, stack: Stack) -> None:
    sam = voice(household, alexa_api, SAM)
    reply = sam.one_shot("NameIntent", firstName="sam")
    assert reply.speech.startswith("Nice to meet you, Sam. When I recognise your voice")
    assert not reply.listening
    assert profile(stack, household).names_by_person == {voice_key(SAM): "Sam"}
    sam.one_shot("NameIntent", firstName="Sammy")
    assert profile(stack, household).names_by_person == {voice_key(SAM): "Sammy"}


def test_without_a_recognised_voice_the_name_is_one_of_the_households(household, stack: Stack) -> None:
    household.launch()
    reply = household.intent("NameIntent", firstName="alex")
    assert reply.speech.startswith("Nice to meet you, Alex. I'll remember your name")
    assert reply.listening, "in a session, it offers what else to do"
    household.intent("NameIntent", firstName="ALEX")
    household.intent("NameIntent", firstName="Jo")
    assert profile(stack, household).partner_names == ["Alex", "Jo"]
    asked = household.intent("SaveAppreciationIntent", text="the tea")
    assert asked.speech.startswith("I've saved your note appreciating the tea. Is it from Alex or Jo?")


def test_a_known_name_keeps_the_households_spelling(household, alexa_api, stack: Stack) -> None:
    voice(household, alexa_api, SAM).one_shot("NameIntent", firstName="DeShawn")
    household.one_shot("SaveAppreciationIntent", text="the tea")
    assert household.intent("AppreciationAuthorIntent", firstName="deshawn").speech.startswith(
        "Done. I've signed it from DeShawn."
    )
    assert household.one_shot("ReadAuthorAppreciationsIntent", firstName="deshawn").speech.startswith(
        "Here's what DeShawn appreciates"
    )


def test_an_unheard_name_is_asked_for_again(household: Household) -> None:
    reply = household.one_shot("NameIntent", firstName=None)
    assert reply.speech.startswith("Sorry, I didn't catch your name.") and reply.listening


def test_a_name_that_cannot_be_saved_is_not_claimed(household: Household) -> None:
    with dynamodb_hooks() as dynamodb:
        dynamodb.failing.add("PutItem")
        reply = household.one_shot("NameIntent", firstName="Sam")
    assert reply.speech.startswith("Sorry, I couldn't save your name") and "Nice to meet" not in reply.speech
