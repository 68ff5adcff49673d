"""Forgetting a household: 'delete all our data', and the skill being disabled."""

import uuid

import boto3
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skill.context import household_id
from skill.store.table import household_pk
from skill.tools.console.envelopes import Device
from skill.vocabulary import Scope
from tests.support import REGION, Accounts, Household, Stack, household_item_count, put_items


def seed(stack: Stack, user_id: str, count: int) -> None:
    """Put `count` appreciation-shaped items and a profile straight into the table for one household."""
    pk = household_pk(household_id(user_id))
    items = [{"pk": {"S": pk}, "sk": {"S": "PROFILE"}}] + [
        {
            "pk": {"S": pk},
            "sk": {"S": f"APPR#2026-11-{1 + n % 28:02d}T20:00:00Z#{n:06d}"},
            "text": {"S": "x" * 2000},
        }
        for n in range(count)
    ]
    put_items(stack.table_name, items)


@pytest.fixture
def neighbour(stack: Stack, accounts: Accounts) -> Household:
    return Household(stack.handler(), device=Device(user_id=accounts.user_id("NEIGHBOUR")))


def test_delete_all_asks_first_and_no_keeps_everything(household: Household, stack: Stack) -> None:
    seed(stack, household.device.user_id, 3)
    household.launch()
    question = household.intent("DeleteAllDataIntent")
    assert "can't be undone" in question.speech and question.listening
    kept = household.intent("AMAZON.NoIntent")
    assert "didn't delete anything" in kept.speech
    assert household_item_count(stack.table_name, household.device.user_id) == 4


def test_help_while_confirming_explains_the_question(household: Household) -> None:
    household.launch()
    household.intent("DeleteAllDataIntent")
    reply = household.intent("AMAZON.HelpIntent")
    assert "Say yes to delete it all" in reply.speech and reply.listening


def test_yes_deletes_every_item_of_this_household_only(
    household: Household, neighbour: Household, stack: Stack
) -> None:
    seed(stack, household.device.user_id, 30)
    seed(stack, neighbour.device.user_id, 5)
    household.launch()
    household.intent("DeleteAllDataIntent")
    reply = household.intent("AMAZON.YesIntent")
    assert "deleted all 31 records" in reply.speech
    assert household_item_count(stack.table_name, household.device.user_id) == 0
    assert household_item_count(stack.table_name, neighbour.device.user_id) == 6


def test_yes_without_having_been_asked_deletes_nothing(household: Household, stack: Stack) -> None:
    seed(stack, household.device.user_id, 2)
    household.launch()
    reply = household.intent("AMAZON.YesIntent")
    assert reply.speech.startswith("Here's tonight's question."), "the yes answers the welcome's offer"
    assert household_item_count(stack.table_name, household.device.user_id) == 4, (
        "2 appreciations, the profile, the question"
    )


@pytest.mark.own_account("deletes the table")
def test_a_failing_delete_says_so(household: Household, stack: Stack) -> None:
    household.launch()
    household.intent("DeleteAllDataIntent")
    boto3.client("dynamodb", region_name=REGION).delete_table(TableName=stack.table_name)
    reply = household.intent("AMAZON.YesIntent")
    assert "couldn't finish deleting" in reply.speech and "deleted all" not in reply.speech


def test_skill_disabled_removes_more_than_one_query_page(
    household: Household, neighbour: Household, stack: Stack
) -> None:
    # 700 items of 2 KB are well over one 1 MB Query page, so deletion must follow LastEvaluatedKey.
    seed(stack, household.device.user_id, 700)
    seed(stack, neighbour.device.user_id, 3)
    reply = household.send(household.conversation.skill_event("AlexaSkillEvent.SkillDisabled"))
    assert reply.response.get("outputSpeech") is None
    assert household_item_count(stack.table_name, household.device.user_id) == 0
    assert household_item_count(stack.table_name, neighbour.device.user_id) == 4


def disable(stack: Stack, user_id: str) -> None:
    household = Household(stack.handler(), device=Device(user_id=user_id))
    household.send(household.conversation.skill_event("AlexaSkillEvent.SkillDisabled"))


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    sizes=st.lists(st.integers(min_value=0, max_value=40), min_size=2, max_size=4), leaving=st.integers(0, 3)
)
def test_disabling_one_household_leaves_every_other_untouched(
    stack: Stack, sizes: list[int], leaving: int
) -> None:
    # The table outlives each example, so every example brings households of its own.
    users = [f"amzn1.ask.account.{uuid.uuid4()}" for _ in sizes]
    for user, size in zip(users, sizes, strict=True):
        seed(stack, user, size)
    leaver = users[leaving % len(users)]
    disable(stack, leaver)
    for user, size in zip(users, sizes, strict=True):
        assert household_item_count(stack.table_name, user) == (0 if user == leaver else size + 1)


@pytest.mark.parametrize(
    ("event", "scopes", "allowed"),
    [
        ("AlexaSkillEvent.SkillPermissionAccepted", [Scope.TIMERS], True),
        ("AlexaSkillEvent.SkillPermissionChanged", [], False),
    ],
)
def test_permission_events_record_whether_timers_are_allowed(
    household: Household, stack: Stack, event: str, scopes: list[str], allowed: bool
) -> None:
    body = {"acceptedPermissions": [{"scope": scope} for scope in scopes]}
    household.send(household.conversation.skill_event(event, body))
    profile = boto3.client("dynamodb", region_name=REGION).get_item(
        TableName=stack.table_name,
        Key={"pk": {"S": household_pk(household_id(household.device.user_id))}, "sk": {"S": "PROFILE"}},
    )["Item"]
    assert profile["timers_allowed"] == {"BOOL": allowed}


def test_yes_after_moving_on_to_another_feature_deletes_nothing(household: Household, stack: Stack) -> None:
    seed(stack, household.device.user_id, 2)
    household.launch()
    household.intent("DeleteAllDataIntent")
    question = household.intent("TonightsQuestionIntent")
    assert question.speech.startswith("Here's tonight's question.") and not question.listening
    household.intent("AMAZON.YesIntent")
    assert household_item_count(stack.table_name, household.device.user_id) == 4, (
        "2 appreciations, the profile, the question"
    )
    assert "state" not in household.conversation.attributes
