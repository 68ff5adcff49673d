"""Logs carry ids, intents and outcomes; never what a person said, nor their raw Alexa user id."""

import json
import logging

import pytest

from skill.tools.console.envelopes import Device, Slot
from tests.support import Household, Stack, logged

SECRET_APPRECIATION = "the way you hummed Clair de Lune while fixing my bike"
SECRET_NAME = "Ottoline"
USER_ID = "amzn1.ask.account.AGIRQMXQ7SECRETUSERID"
PERSON_ID = "amzn1.ask.person.SECRETPERSONID"


def test_a_full_conversation_logs_no_spoken_text_and_no_raw_user_id(
    stack: Stack, alexa_api: object, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    household = Household(
        stack.handler(),
        device=Device(user_id=USER_ID, person_id=PERSON_ID, api_endpoint=alexa_api.endpoint),  # type: ignore[attr-defined]
    )
    household.launch()
    household.intent("NameIntent", firstName=SECRET_NAME)
    saved = household.intent("SaveAppreciationIntent", text=SECRET_APPRECIATION)
    assert "I've saved" in saved.speech
    household.intent("ReadAppreciationsIntent")
    household.intent("TonightsQuestionIntent")
    household.intent("DeckQuestionIntent", deck=Slot("our future", slot_type="DeckName"))
    household.intent("StartCheckInIntent", duration="PT15M")
    household.intent("AMAZON.HelpIntent")
    household.intent("AMAZON.StopIntent")

    lines = logged(caplog.records)
    written = "\n".join(json.dumps(line) for line in lines)
    turns = [line for line in lines if line.get("event") == "turn"]
    assert len(turns) == 9, "every turn is logged"
    assert all(turn["request_id"].startswith("amzn1.echo-api.request.") for turn in turns)
    for secret in (SECRET_APPRECIATION, "Clair de Lune", SECRET_NAME, USER_ID, "SECRETUSERID", PERSON_ID):
        assert secret not in written
