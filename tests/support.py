"""Test support: deploy our stack into moto, talk to the deployed handler, and check every answer."""

import importlib
import io
import json
import logging
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import boto3

from skill.logs import JsonFormatter
from skill.speech import strip_tags
from skill.tools.console.envelopes import LOCAL_SKILL_ID, Conversation, Device, Slot

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "infra" / "template.yaml"
REGION = "us-east-1"
MAX_SPEECH_CHARS = 8000


def source_zip() -> bytes:
    """Our packages zipped, standing in for the deployment zip (moto stores the code, never runs it)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for package in ("skill", "handlers", "content"):
            for path in sorted((ROOT / package).rglob("*.py")):
                archive.write(path, path.relative_to(ROOT).as_posix())
    return buffer.getvalue()


@dataclass
class Stack:
    """What CloudFormation created, as the tests need it."""

    name: str
    outputs: dict[str, str]
    handler_path: str
    environment: dict[str, str]

    @property
    def table_name(self) -> str:
        """The DynamoDB table the function's environment points at."""
        return self.environment["TABLE_NAME"]

    def handler(self) -> Callable[[dict[str, Any], Any], dict[str, Any]]:
        """The function Lambda would call, imported by the handler string the stack configured."""
        module_name, _, function_name = self.handler_path.rpartition(".")
        return getattr(importlib.import_module(module_name), function_name)


def deploy_stack(name: str = "closer-test", skill_id: str = LOCAL_SKILL_ID) -> Stack:
    """Deploy infra/template.yaml into moto's CloudFormation (code zip in moto's S3) and describe it."""
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket=f"{name}-code")
    s3.put_object(Bucket=f"{name}-code", Key="skill.zip", Body=source_zip())
    cloudformation = boto3.client("cloudformation", region_name=REGION)
    cloudformation.create_stack(
        StackName=name,
        TemplateBody=TEMPLATE.read_text(encoding="utf-8"),
        Parameters=[
            {"ParameterKey": "SkillId", "ParameterValue": skill_id},
            {"ParameterKey": "CodeBucket", "ParameterValue": f"{name}-code"},
            {"ParameterKey": "CodeKey", "ParameterValue": "skill.zip"},
        ],
        Capabilities=["CAPABILITY_IAM"],
    )
    description = cloudformation.describe_stacks(StackName=name)["Stacks"][0]
    assert description["StackStatus"] == "CREATE_COMPLETE", description["StackStatus"]
    outputs = {output["OutputKey"]: output["OutputValue"] for output in description.get("Outputs", [])}
    function = boto3.client("lambda", region_name=REGION).get_function_configuration(
        FunctionName=outputs["SkillEndpoint"]
    )
    return Stack(name, outputs, function["Handler"], function["Environment"]["Variables"])


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


def logged(records: list[logging.LogRecord]) -> list[dict[str, Any]]:
    """Log records as the skill writes them: one JSON object a line, through its own formatter."""
    return [json.loads(JsonFormatter().format(record)) for record in records]
