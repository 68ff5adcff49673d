"""BatchWriteItem leaving items unprocessed, as DynamoDB does under load (moto never does): a delete says
exactly what went, never "all" while items remain, and what a retry finishes is not left behind.

`unprocessed_batches` keeps the last requests of a call from the table and hands them back as
UnprocessedItems, on every call or only the first few."""

from skill.alexa_api import AlexaApiClient
from skill.app import answer, build_skill
from skill.store import Store
from skill.store.table import UNPROCESSED_RETRIES
from skill.tools.console.envelopes import Device
from skill.tools.console.fake_alexa import FakeAlexaApi
from tests.support import (
    Accounts,
    Household,
    LambdaContext,
    SqsPoller,
    Stack,
    appreciation_item,
    cold_start,
    household_items,
    put_items,
    stored,
    unprocessed_batches,
)

ANYTHING_ELSE = "Anything else? You can add another, or say: read our appreciations."


def seed_jar(stack: Stack, household: Household, count: int) -> None:
    """`count` appreciations straight into the table, "note 1" the oldest, as the skill saves them."""
    user_id = household.device.user_id
    notes = [appreciation_item(user_id, f"seed-{n}", household.now, f"note {n}") for n in range(1, count + 1)]
    put_items(stack.table_name, notes)


def everything(stack: Stack, household: Household) -> int:
    return len(household_items(stack.table_name, household.device.user_id))


def test_items_dynamodb_never_processes_are_owned_up_to_and_stay_in_the_jar(
    household: Household, stack: Stack
) -> None:
    seed_jar(stack, household, 4)
    with unprocessed_batches(left=1) as dynamodb:
        household.one_shot("DeleteAllAppreciationsIntent")
        reply = household.intent("AMAZON.YesIntent")
    assert reply.speech == (
        "I removed 3 appreciations, then something went wrong, so the rest are still in your jar. "
        "To finish, say: delete all our appreciations."
    )
    assert dynamodb.calls == UNPROCESSED_RETRIES, "the leftover was tried again before giving up"
    assert len(stored(household)) == 1


def test_items_left_unprocessed_once_are_retried_and_the_whole_jar_goes(
    household: Household, stack: Stack
) -> None:
    seed_jar(stack, household, 4)
    with unprocessed_batches(left=2, times=1) as dynamodb:
        household.one_shot("DeleteAllAppreciationsIntent")
        reply = household.intent("AMAZON.YesIntent")
    assert reply.speech == f"Done. I removed 4 appreciations from your jar. {ANYTHING_ELSE}"
    assert dynamodb.handed_back == 2 and dynamodb.calls == 2
    assert stored(household) == []


def test_delete_all_our_data_never_claims_all_while_items_remain_and_the_queue_finishes(
    household: Household, stack: Stack
) -> None:
    seed_jar(stack, household, 4)
    poller = SqsPoller(stack.handler(), stack.environment["PURGE_QUEUE_URL"])
    poller.drain()
    cold_start()
    with unprocessed_batches(left=1):
        household.launch()
        household.intent("DeleteAllDataIntent")
        reply = household.intent("AMAZON.YesIntent")
    assert reply.speech == (
        "I couldn't finish deleting your data just now, so I'll keep deleting it in the background until "
        "it's all gone. You don't need to do anything."
    )
    assert everything(stack, household) == 1, "one item was never processed"
    cold_start()  # the queue's own container, whose client DynamoDB serves normally
    delivered = len(poller.bodies)
    poller.drain()
    assert everything(stack, household) == 0
    assert len(poller.bodies) == delivered + 1, "one delivery finished it, and it said so"
    assert poller.answers[-1]["batchItemFailures"] == []


def test_delete_all_our_data_counts_what_a_retry_finished(household: Household, stack: Stack) -> None:
    seed_jar(stack, household, 4)
    household.launch()  # the profile and the question progress: 6 records in all
    held = everything(stack, household)
    cold_start()
    with unprocessed_batches(left=2, times=1):
        household.one_shot("DeleteAllDataIntent")
        reply = household.intent("AMAZON.YesIntent")
    assert reply.speech.startswith(f"Done. I deleted all {held} records I kept for your household.")
    assert everything(stack, household) == 0


def test_a_delete_that_runs_out_of_time_for_its_retries_says_what_went_and_what_did_not(
    stack: Stack, alexa_api: FakeAlexaApi, accounts: Accounts
) -> None:
    """Lambda has 2 s left (the turn 1.5 s) and each BatchWriteItem takes 1.1 s, so once DynamoDB leaves an
    item unprocessed there is no time to try it again: the reply says so rather than going on."""
    skill = build_skill(
        Store(stack.table_name), AlexaApiClient(alexa_api.ca_bundle), stack.environment["SKILL_ID"]
    )
    household = Household(
        lambda event, _: answer(skill, event, LambdaContext(2000)),
        device=Device(user_id=accounts.user_id(), api_endpoint=alexa_api.endpoint),
    )
    seed_jar(stack, household, 4)
    with unprocessed_batches(left=1, delay=1.1) as dynamodb:
        household.one_shot("DeleteAllAppreciationsIntent")
        reply = household.intent("AMAZON.YesIntent")
    assert reply.speech == (
        "I removed 3 appreciations, then something went wrong, so the rest are still in your jar. "
        "To finish, say: delete all our appreciations."
    )
    assert dynamodb.calls == 1 and len(stored(household)) == 1
