"""Request envelopes shaped exactly like the JSON Alexa sends, for the console and the tests."""

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

LOCAL_SKILL_ID = "amzn1.ask.skill.00000000-0000-4000-8000-c105e7062e7e"
APL_INTERFACE = "Alexa.Presentation.APL"


@dataclass(frozen=True)
class Slot:
    """A slot as Alexa fills it: what was heard and, for custom types, the value it resolved to."""

    value: str | None
    resolved_id: str | None = None
    resolved_name: str | None = None
    slot_type: str | None = None


@dataclass
class Device:
    """One Echo in one household: the account, the device and, if Alexa knows the voice, the person."""

    user_id: str = "amzn1.ask.account.LOCALHOUSEHOLD"
    device_id: str = "amzn1.ask.device.LOCALECHO"
    person_id: str | None = None
    locale: str = "en-US"
    api_endpoint: str = "https://api.amazonalexa.com"
    api_access_token: str | None = "local-api-access-token"
    has_screen: bool = False


def _new_id(kind: str) -> str:
    return f"amzn1.echo-api.{kind}.{uuid.uuid4()}"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def slot_json(name: str, slot: Slot | str | None) -> dict[str, Any]:
    """One slot of an IntentRequest, with entity resolution when the slot has a custom type."""
    if not isinstance(slot, Slot):
        slot = Slot(value=slot)
    body: dict[str, Any] = {"name": name, "confirmationStatus": "NONE"}
    if slot.value is None:
        return body
    body.update(value=slot.value, source="USER")
    if slot.slot_type:
        authority = f"amzn1.er-authority.echo-sdk.{LOCAL_SKILL_ID}.{slot.slot_type}"
        if slot.resolved_id:
            resolution = {
                "authority": authority,
                "status": {"code": "ER_SUCCESS_MATCH"},
                "values": [{"value": {"name": slot.resolved_name or slot.value, "id": slot.resolved_id}}],
            }
        else:
            resolution = {"authority": authority, "status": {"code": "ER_SUCCESS_NO_MATCH"}}
        body["resolutions"] = {"resolutionsPerAuthority": [resolution]}
    return body


@dataclass
class Conversation:
    """A session with the skill from one device: builds each request and carries session attributes."""

    device: Device = field(default_factory=Device)
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    skill_id: str = LOCAL_SKILL_ID
    session_id: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)

    @property
    def in_session(self) -> bool:
        """Whether the skill's last answer kept the session open."""
        return self.session_id is not None

    def launch(self) -> dict[str, Any]:
        """'Alexa, open Closer Together': always a new session."""
        self.end()
        return self.envelope({"type": "LaunchRequest"})

    def intent(self, name: str, slots: Mapping[str, Slot | str | None] | None = None) -> dict[str, Any]:
        """An IntentRequest in the current session (or a new one, as a one-shot)."""
        intent = {
            "name": name,
            "confirmationStatus": "NONE",
            "slots": {slot: slot_json(slot, value) for slot, value in (slots or {}).items()},
        }
        return self.envelope({"type": "IntentRequest", "dialogState": "COMPLETED", "intent": intent})

    def session_ended(
        self, reason: str = "USER_INITIATED", error: dict[str, str] | None = None
    ) -> dict[str, Any]:
        """Alexa telling the skill the session is over (the skill may not speak)."""
        request: dict[str, Any] = {"type": "SessionEndedRequest", "reason": reason}
        if error:
            request["error"] = error
        envelope = self.envelope(request)
        self.end()
        return envelope

    def envelope(self, request: Mapping[str, Any]) -> dict[str, Any]:
        """Wrap a request body in the session and context Alexa would send with it."""
        new_session = self.session_id is None
        if new_session:
            self.session_id = _new_id("session")
            self.attributes = {}
        body = {
            "requestId": _new_id("request"),
            "timestamp": _iso(self.clock()),
            "locale": self.device.locale,
            **request,
        }
        return {
            "version": "1.0",
            "session": {
                "new": new_session,
                "sessionId": self.session_id,
                "application": {"applicationId": self.skill_id},
                "attributes": dict(self.attributes),
                "user": {"userId": self.device.user_id},
            },
            "context": {"System": self._system()},
            "request": body,
        }

    def skill_event(self, event_type: str, body: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """An AlexaSkillEvent (skill disabled, permission accepted …): sent outside any session."""
        moment = _iso(self.clock())
        request = {
            "type": event_type,
            "requestId": _new_id("request"),
            "timestamp": moment,
            "eventCreationTime": moment,
            "eventPublishingTime": moment,
            "locale": self.device.locale,
            "body": dict(body or {}),
        }
        return {"version": "1.0", "context": {"System": self._system()}, "request": request}

    def _system(self) -> dict[str, Any]:
        interfaces: dict[str, Any] = {}
        if self.device.has_screen:
            interfaces[APL_INTERFACE] = {"runtime": {"maxVersion": "2023.3"}}
        system: dict[str, Any] = {
            "application": {"applicationId": self.skill_id},
            "user": {"userId": self.device.user_id},
            "device": {"deviceId": self.device.device_id, "supportedInterfaces": interfaces},
            "apiEndpoint": self.device.api_endpoint,
        }
        if self.device.api_access_token:
            system["apiAccessToken"] = self.device.api_access_token
        if self.device.person_id:
            system["person"] = {"personId": self.device.person_id}
        return system

    def absorb(self, response_envelope: Mapping[str, Any]) -> None:
        """Carry the skill's answer into the next request: its attributes, or the end of the session."""
        response = response_envelope.get("response") or {}
        if response.get("shouldEndSession") is False:
            self.attributes = dict(response_envelope.get("sessionAttributes") or {})
        else:
            self.end()

    def end(self) -> None:
        """Forget the session, as Alexa does when it closes."""
        self.session_id = None
        self.attributes = {}
