"""A request from outside a session that no feature takes (an event the skill does not subscribe to, say)
falls through every feature to the built-ins without an error: a feature asking whether the session waits
on it finds no session, not an exception."""

import logging

import pytest

from tests.support import Household, logged


@pytest.mark.parametrize("event", ["AlexaSkillEvent.SkillEnabled", "AlexaSkillEvent.SkillAccountLinked"])
def test_an_event_no_feature_takes_is_answered_without_an_error(
    household: Household, caplog: pytest.LogCaptureFixture, event: str
) -> None:
    caplog.set_level(logging.INFO)
    household.send(household.conversation.skill_event(event))
    assert not [line for line in logged(caplog.records) if line.get("event") == "turn_failed"]
    assert [line["feature"] for line in logged(caplog.records) if line.get("event") == "turn"] == ["builtin"]
