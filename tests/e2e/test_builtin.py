"""Launch, help, stop, cancel, fallback, navigate home and session end, through the deployed handler."""

import boto3
import pytest

from skill.context import household_id
from skill.store.table import household_pk
from skill.tools.console.envelopes import Conversation, Device
from tests.support import REGION, Accounts, Household, Stack, check_response_envelope


def table_items(stack: Stack, accounts: Accounts) -> list[dict]:
    """Every item of this test's households (the table itself is shared with the other tests)."""
    return accounts.items(stack.table_name)


def test_stack_configures_the_lambda_entry_and_environment(stack: Stack) -> None:
    assert stack.handler_path == "skill.entry.handler"
    assert stack.environment["SKILL_ID"].startswith("amzn1.ask.skill.")
    assert stack.environment["TABLE_NAME"] == stack.outputs["TableName"]


def test_first_launch_welcomes_and_names_the_three_rituals(
    household: Household, stack: Stack, accounts: Accounts
) -> None:
    reply = household.launch()
    for ritual in ("tonight's question", "check-in", "appreciate"):
        assert ritual in reply.speech
    assert reply.listening and reply.reprompt
    profile_keys = [(item["pk"]["S"], item["sk"]["S"]) for item in table_items(stack, accounts)]
    assert profile_keys == [(household_pk(household_id(household.device.user_id)), "PROFILE")]


def test_later_launches_are_shorter(household: Household) -> None:
    first = household.launch()
    second = household.launch()
    assert len(second.speech) < len(first.speech)
    assert second.speech.startswith("Welcome back") and second.listening


def test_each_household_gets_its_own_first_welcome(
    stack: Stack, household: Household, accounts: Accounts
) -> None:
    household.launch()
    neighbour = Household(stack.handler(), device=Device(user_id=accounts.user_id("NEIGHBOUR")))
    assert not neighbour.launch().speech.startswith("Welcome back")


def test_help_says_what_to_say_and_listens(household: Household) -> None:
    household.launch()
    reply = household.intent("AMAZON.HelpIntent")
    assert "tonight's question" in reply.speech and "check-in" in reply.speech
    assert reply.listening and reply.reprompt


@pytest.mark.parametrize("intent", ["AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent"])
def test_stop_cancel_and_home_end_the_session_kindly(household: Household, intent: str) -> None:
    household.launch()
    reply = household.intent(intent)
    assert "Goodbye" in reply.speech
    assert reply.response["shouldEndSession"] is True
    assert not household.conversation.in_session


def test_fallback_says_what_works_and_listens(household: Household) -> None:
    household.launch()
    reply = household.intent("AMAZON.FallbackIntent")
    assert "didn't catch that" in reply.speech and "tonight's question" in reply.speech
    assert reply.listening


def test_an_intent_we_do_not_know_gets_the_same_kind_answer(household: Household) -> None:
    household.launch()
    reply = household.intent("SomeIntentFromANewerModel")
    assert "didn't catch that" in reply.speech and reply.listening


def test_session_ended_is_answered_with_no_speech(household: Household) -> None:
    household.launch()
    reply = household.send(
        household.conversation.session_ended("ERROR", {"type": "INVALID_RESPONSE", "message": "x"})
    )
    assert reply.response.get("outputSpeech") is None


def test_a_request_for_another_skill_is_refused_and_touches_nothing(stack: Stack, accounts: Accounts) -> None:
    intruder = Conversation(
        device=Device(user_id=accounts.user_id()),
        skill_id="amzn1.ask.skill.11111111-2222-4333-8444-555555555555",
    )
    answer = stack.handler()(intruder.launch(), None)
    check_response_envelope(answer)
    assert "outputSpeech" not in answer["response"] and answer["response"]["shouldEndSession"] is True
    assert table_items(stack, accounts) == []


@pytest.mark.own_account("deletes the table")
def test_a_failing_table_still_gets_a_welcome(household: Household, stack: Stack) -> None:
    boto3.client("dynamodb", region_name=REGION).delete_table(TableName=stack.table_name)
    reply = household.launch()
    assert reply.speech.startswith("Welcome to Closer Together") and reply.listening


def test_a_request_without_an_account_gets_an_apology_not_someone_elses_data(household: Household) -> None:
    envelope = household.conversation.launch()
    del envelope["context"]["System"]["user"]
    reply = household.send(envelope)
    assert "Sorry" in reply.speech


def test_yes_to_the_welcome_asks_tonights_question(household: Household) -> None:
    welcome = household.launch()
    assert welcome.speech.endswith("Shall I start with tonight's question?") and welcome.listening
    reply = household.intent("AMAZON.YesIntent")
    assert reply.speech.startswith("Here's tonight's question.") and not reply.listening


@pytest.mark.parametrize("first", ["launch", "appreciation"])
def test_no_to_an_offer_ends_kindly_instead_of_asking_again(household: Household, first: str) -> None:
    if first == "launch":
        household.launch()
    else:
        household.launch()
        household.intent("NameIntent", firstName="Sam")  # "... Anything else?"
    reply = household.intent("AMAZON.NoIntent")
    assert reply.speech == "Okay. Enjoy your time together."
    assert not reply.listening


def test_yes_to_anything_else_says_what_there_is(household: Household) -> None:
    household.launch()
    household.intent("NameIntent", firstName="Sam")
    reply = household.intent("AMAZON.YesIntent")
    assert "tonight's question" in reply.speech and reply.listening and reply.reprompt
