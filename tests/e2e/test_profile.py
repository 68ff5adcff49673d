"""The household's profile: a name another Echo was told is remembered is never lost to a concurrent write,
and recognised voices are kept at rest by a digest, never by Alexa's personId."""

import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import boto3
import pytest

from skill.context import household_id
from skill.store.table import household_pk
from skill.tools.console.fake_alexa import FakeAlexaApi
from skill.vocabulary import Scope
from tests.support import REGION, SAM, Household, Reply, Stack, cold_start, name_voice, session_hook, voice


def profile_item(stack: Stack, household: Household) -> dict[str, Any]:
    key = {"pk": {"S": household_pk(household_id(household.device.user_id))}, "sk": {"S": "PROFILE"}}
    return boto3.client("dynamodb", region_name=REGION).get_item(TableName=stack.table_name, Key=key)["Item"]


@contextmanager
def before_first_profile_write(turn: Callable[[], Reply | None]) -> Iterator[list[Reply | None]]:
    """Run `turn` (on another Echo) just before the first PutItem of clients made in the block: another
    device's turn landing between this turn's read of the profile and its write."""
    replies: list[Reply | None] = []
    started: list[bool] = []  # before the turn runs: its own PutItem must not start it again

    def interleave(**_: Any) -> None:
        if not started:
            started.append(True)
            replies.append(turn())

    with session_hook("before-call.dynamodb.PutItem", interleave):
        yield replies


def test_a_name_another_echo_was_told_is_remembered_survives_a_launch_in_between(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    sam = voice(household, alexa_api, SAM)
    with before_first_profile_write(lambda: sam.one_shot("NameIntent", firstName="Sam")) as replies:
        welcome = household.launch()  # reads the profile, then Sam names his voice, then it is written
    [named] = replies
    assert named.speech.startswith("Nice to meet you, Sam.")
    assert welcome.speech.startswith("Welcome to Closer Together")

    saved = sam.one_shot("SaveAppreciationIntent", text="the tea")
    assert saved.speech.startswith("I've saved Sam's note"), "the name Sam was promised is still there"
    assert "welcomed_at" in profile_item(stack, household), "and the launch's own change was kept too"
    assert household.launch().speech.startswith("Welcome back")


def test_a_recognised_voice_is_kept_by_a_digest_not_its_alexa_person_id(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    sam = name_voice(household, alexa_api, SAM, "Sam")
    stored = json.dumps(profile_item(stack, household))
    assert SAM not in stored and SAM.rsplit(".", 1)[-1] not in stored
    assert sam.one_shot("SaveAppreciationIntent", text="the tea").speech.startswith("I've saved Sam's note")


@pytest.mark.parametrize("rewrite", ["launch", "name another voice"])
def test_a_profile_stored_with_raw_person_ids_still_knows_the_voice_and_loses_the_raw_id(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack, rewrite: str
) -> None:
    legacy = {
        "pk": {"S": household_pk(household_id(household.device.user_id))},
        "sk": {"S": "PROFILE"},
        "names_by_person": {"M": {SAM: {"S": "Sam"}}},
    }
    boto3.client("dynamodb", region_name=REGION).put_item(TableName=stack.table_name, Item=legacy)
    sam = voice(household, alexa_api, SAM)
    assert sam.one_shot("SaveAppreciationIntent", text="the tea").speech.startswith("I've saved Sam's note")

    if rewrite == "launch":
        household.launch()
    else:
        name_voice(household, alexa_api, "amzn1.ask.person.ALEX", "Alex")

    stored = json.dumps(profile_item(stack, household))
    assert SAM not in stored and "ALEX" not in stored
    assert sam.one_shot("SaveAppreciationIntent", text="the cake").speech.startswith("I've saved Sam's note")


def test_names_given_on_two_echos_at_once_are_both_kept(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    household.launch()  # the profile exists: both turns read the same version of it
    cold_start()  # a new container, whose DynamoDB client has the hook below
    sam = voice(household, alexa_api, SAM)
    with before_first_profile_write(lambda: sam.one_shot("NameIntent", firstName="Sam")) as replies:
        named = household.one_shot("NameIntent", firstName="Alex")  # no voice recognised: a partner's name
    assert replies[0].speech.startswith("Nice to meet you, Sam.") and named.speech.startswith(
        "Nice to meet you, Alex."
    )

    asked = household.one_shot("SaveAppreciationIntent", text="the tea")
    assert asked.speech.startswith("I've saved your note appreciating the tea. Is it from Sam or Alex?")
    assert sam.one_shot("SaveAppreciationIntent", text="the cake").speech.startswith("I've saved Sam's note")


def test_a_permission_granted_while_a_voice_is_named_is_kept_with_the_name(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    household.launch()
    cold_start()
    granted = {"acceptedPermissions": [{"scope": Scope.TIMERS}]}
    event = household.conversation.skill_event("AlexaSkillEvent.SkillPermissionAccepted", granted)
    sam = voice(household, alexa_api, SAM)
    with before_first_profile_write(lambda: sam.one_shot("NameIntent", firstName="Sam")):
        household.send(event)  # read before Sam was named, written after
    stored = profile_item(stack, household)
    assert stored["timers_allowed"] == {"BOOL": True}
    assert stored["names_by_person"] == {"M": {hashlib.sha256(SAM.encode()).hexdigest()[:32]: {"S": "Sam"}}}
    assert sam.one_shot("SaveAppreciationIntent", text="the tea").speech.startswith("I've saved Sam's note")


def test_a_turn_that_lost_the_race_reapplies_only_its_own_change(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    """Echo A read the profile when Sam was "Sam"; Sam renamed himself "Sammy" on Echo B before A wrote.
    A's write must add its own name and keep "Sammy", not put back the "Sam" it had read."""
    sam = name_voice(household, alexa_api, SAM, "Sam")
    cold_start()
    jo = voice(household, alexa_api, "amzn1.ask.person.JO")
    with before_first_profile_write(lambda: sam.one_shot("NameIntent", firstName="Sammy")):
        jo.one_shot("NameIntent", firstName="Jo")
    assert sam.one_shot("SaveAppreciationIntent", text="the tea").speech.startswith("I've saved Sammy's note")
    assert jo.one_shot("SaveAppreciationIntent", text="the cake").speech.startswith("I've saved Jo's note")


def test_each_change_writes_the_profile_once_a_version_up_and_a_name_said_again_writes_nothing(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    granted = {"acceptedPermissions": [{"scope": Scope.TIMERS}]}
    household.send(household.conversation.skill_event("AlexaSkillEvent.SkillPermissionAccepted", granted))
    assert profile_item(stack, household)["version"] == {"N": "1"}
    sam = name_voice(household, alexa_api, SAM, "Sam")
    assert profile_item(stack, household)["version"] == {"N": "2"}
    household.one_shot("NameIntent", firstName="Alex")  # no voice recognised: a partner's name
    assert profile_item(stack, household)["version"] == {"N": "3"}

    assert sam.one_shot("NameIntent", firstName="Sam").speech.startswith("Nice to meet you, Sam.")
    household.one_shot("NameIntent", firstName="alex")
    stored = profile_item(stack, household)
    assert stored["version"] == {"N": "3"}, "the same names again: nothing to write"
    assert stored["timers_allowed"] == {"BOOL": True}, "kept through the writes of names"
    assert stored["partner_names"] == {"L": [{"S": "Alex"}]}


def test_a_profile_deleted_on_another_echo_meanwhile_keeps_only_this_turns_own_change(
    household: Household, alexa_api: FakeAlexaApi, stack: Stack
) -> None:
    household.launch()  # welcomed: the profile holds when
    cold_start()
    key = {"pk": {"S": household_pk(household_id(household.device.user_id))}, "sk": {"S": "PROFILE"}}

    def forget() -> None:  # "delete all our data", done on another Echo between the read and the write
        boto3.client("dynamodb", region_name=REGION).delete_item(TableName=stack.table_name, Key=key)

    with before_first_profile_write(forget):
        household.one_shot("NameIntent", firstName="Alex")
    stored = profile_item(stack, household)
    assert stored["partner_names"] == {"L": [{"S": "Alex"}]} and "welcomed_at" not in stored
