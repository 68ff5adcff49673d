"""The household driver: a household's Echo talking to the deployed handler, every answer checked for
shape; the Alexa accounts a test talks as; and what the tests read back from the table and the console."""

import hashlib
import json
import logging
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar
from xml.etree import ElementTree

from skill.logs import JsonFormatter
from skill.speech import strip_tags
from skill.store.appreciations import APPRECIATION_PREFIX
from skill.store.table import from_item
from skill.tools.console.envelopes import Conversation, Device, Slot
from skill.tools.console.fake_alexa import FakeAlexaApi
from tests.support.aws import household_items, table_name

SAM = "amzn1.ask.person.SAM"

MAX_SPEECH_CHARS = 8000


def check_ssml(ssml: str) -> str:
    """Assert the SSML is one well-formed <speak> document within Alexa's limit; return its plain text."""
    root = ElementTree.fromstring(ssml)
    assert root.tag == "speak", ssml
    assert len(ssml) <= MAX_SPEECH_CHARS, len(ssml)
    return strip_tags(ssml)


def check_response_envelope(envelope: Mapping[str, Any]) -> None:
    """Assert the shape Alexa accepts: version, response, parseable speech, a reprompt when listening."""
    assert envelope["version"] == "1.0"
    response = envelope["response"]
    speech = response.get("outputSpeech")
    if speech is not None:
        assert speech["type"] == "SSML"
        check_ssml(speech["ssml"])
    if response.get("shouldEndSession") is False:
        assert response.get("reprompt"), "the microphone stays open, so a reprompt is required"
        check_ssml(response["reprompt"]["outputSpeech"]["ssml"])
    card = response.get("card")
    if card is not None:
        assert card["type"] in {"Simple", "Standard", "LinkAccount", "AskForPermissionsConsent"}
    json.dumps(envelope)


@dataclass
class Reply:
    """The skill's answer to one request, as a person would hear and see it."""

    envelope: dict[str, Any]

    @property
    def response(self) -> dict[str, Any]:
        return self.envelope["response"]

    @property
    def speech(self) -> str:
        """What Alexa says, as plain text."""
        ssml = (self.response.get("outputSpeech") or {}).get("ssml")
        return strip_tags(ssml) if ssml else ""

    @property
    def ssml(self) -> str:
        return (self.response.get("outputSpeech") or {}).get("ssml", "")

    @property
    def reprompt(self) -> str:
        reprompt = self.response.get("reprompt") or {}
        ssml = (reprompt.get("outputSpeech") or {}).get("ssml")
        return strip_tags(ssml) if ssml else ""

    @property
    def listening(self) -> bool:
        """Whether the microphone stays open for an answer."""
        return self.response.get("shouldEndSession") is False

    @property
    def card(self) -> dict[str, Any] | None:
        return self.response.get("card")

    @property
    def directives(self) -> list[dict[str, Any]]:
        return self.response.get("directives") or []

    @property
    def session_attributes(self) -> dict[str, Any]:
        return self.envelope.get("sessionAttributes") or {}


@dataclass
class Household:
    """One household's device talking to the deployed skill; every answer is checked for shape."""

    handler: Callable[[dict[str, Any], Any], dict[str, Any]]
    device: Device = field(default_factory=Device)
    now: datetime = field(default_factory=lambda: datetime(2026, 11, 20, 20, 0, tzinfo=UTC))
    conversation: Conversation = field(init=False)

    def __post_init__(self) -> None:
        self.conversation = Conversation(device=self.device, clock=lambda: self.now)

    def send(self, envelope: dict[str, Any]) -> Reply:
        """Send an envelope through the handler; the answer must be a valid response envelope."""
        answer = self.handler(envelope, None)
        check_response_envelope(answer)
        self.conversation.absorb(answer)
        return Reply(answer)

    def launch(self) -> Reply:
        return self.send(self.conversation.launch())

    def intent(self, intent_name: str, /, **slots: Slot | str | None) -> Reply:
        """An intent in the current session (a one-shot if no session is open)."""
        return self.send(self.conversation.intent(intent_name, slots))

    def one_shot(self, intent_name: str, /, **slots: Slot | str | None) -> Reply:
        """'Alexa, ask Closer Together …': a fresh session for one intent."""
        self.conversation.end()
        return self.intent(intent_name, **slots)

    def request(self, body: Mapping[str, Any]) -> Reply:
        """Any other request type in the current session (events, Connections.Response, …)."""
        return self.send(self.conversation.envelope(body))

    def wait(self, **duration: float) -> None:
        """Let time pass on Alexa's clock."""
        self.now += timedelta(**duration)


@dataclass
class Accounts:
    """The Alexa accounts one test talks as. Their ids are made from the test's node id, so no other test
    shares its households' partitions of the session's table, and a test meets the same ids on every run
    (a household's question order depends on its id)."""

    tag: str
    user_ids: list[str] = field(default_factory=list)

    tags_in_use: ClassVar[set[str]] = set()

    @classmethod
    def of(cls, node_id: str) -> "Accounts":
        base = hashlib.sha256(node_id.encode("utf-8")).hexdigest()[:16].upper()
        tag, run = base, 1
        while tag in cls.tags_in_use:  # the same test run again in this session
            run += 1
            tag = f"{base}R{run}"
        cls.tags_in_use.add(tag)
        return cls(tag)

    def user_id(self, name: str = "HOUSEHOLD") -> str:
        """This test's account `name`: "HOUSEHOLD" is the `household` fixture's, any other a neighbour."""
        user_id = f"amzn1.ask.account.{name}-{self.tag}"
        if user_id not in self.user_ids:
            self.user_ids.append(user_id)
        return user_id

    def items(self, table: str) -> list[dict[str, Any]]:
        """Every item of this test's households, household by household: what the test put in the table."""
        return [item for user_id in self.user_ids for item in household_items(table, user_id)]


def voice(household: Household, alexa_api: FakeAlexaApi, person_id: str | None) -> Household:
    """Another Echo of the same household, on which Alexa recognises `person_id` (or nobody)."""
    device = Device(user_id=household.device.user_id, person_id=person_id, api_endpoint=alexa_api.endpoint)
    return Household(household.handler, device=device, now=household.now)


def name_voice(household: Household, alexa_api: FakeAlexaApi, person_id: str, name: str) -> Household:
    speaker = voice(household, alexa_api, person_id)
    speaker.one_shot("NameIntent", firstName=name)
    return speaker


def read_to_the_end(household: Household, first: Reply) -> str:
    """Everything said from a first page on, saying "more" while Alexa offers more."""
    said = [first.speech]
    while "Would you like more?" in said[-1]:
        said.append(household.intent("AMAZON.MoreIntent").speech)
    return " ".join(said)


def stored(household: Household) -> list[dict[str, Any]]:
    """The household's appreciation items as DynamoDB holds them, oldest first."""
    items = household_items(table_name(), household.device.user_id, APPRECIATION_PREFIX)
    return [from_item(item) for item in items]


def run_chat(state_dir: Path, *lines: str) -> str:
    """`closer chat --say …` in a fresh process, as a person runs it; what it printed."""
    command = [sys.executable, "-m", "skill.tools", "chat", "--state-dir", str(state_dir)]
    for line in lines:
        command += ["--say", line]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True).stdout


def logged(records: list[logging.LogRecord]) -> list[dict[str, Any]]:
    """Log records as the skill writes them: one JSON object a line, through its own formatter."""
    return [json.loads(JsonFormatter().format(record)) for record in records]
