"""`closer chat`: talk to the skill in a terminal, through the same handler Lambda runs.

Typed words go through our interaction model (skill/tools/console/nlu.py), become real request envelopes, and
reach `skill.app.handler` against an embedded moto table (kept in a file) and the fake Alexa API. When the
skill hands a permission question to Alexa (Connections.SendRequest "AskFor"), the console asks it as Alexa
would, and the answer typed ("yes" or "no") grants or declines it and goes back to the skill.
"""

import logging
import os
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from skill.app import handler
from skill.speech import strip_tags
from skill.tools.console.envelopes import LOCAL_SKILL_ID, Conversation, Device
from skill.tools.console.fake_alexa import FakeAlexaApi
from skill.tools.console.localdb import LOCAL_TABLE, LocalTable
from skill.tools.console.nlu import DEFAULT_LOCALE, Resolution, understanding
from skill.vocabulary import Scope

DEFAULT_STATE_DIR = Path(".closer")
CONSOLE_HELP = (
    "Type what you would say to Alexa, e.g. 'open closer together' or 'ask closer together for tonight's "
    "question'. Console commands: /wait MINUTES (let time pass; timers and reminders due go off), /wait "
    "(on to the next reminder), /quit."
)
ASK_FOR = "AskFor"


class Chat:
    """One console: a device of one household, its clock, and the local table and Alexa API."""

    def __init__(
        self,
        state_dir: Path = DEFAULT_STATE_DIR,
        write: Callable[[str], None] = print,
        locale: str = DEFAULT_LOCALE,
    ) -> None:
        self.state_dir = state_dir
        self.write = write
        self.locale = locale
        self.understanding = understanding(locale)
        self.offset = timedelta()
        self.table = LocalTable(state_dir / "table.json")
        self.alexa = FakeAlexaApi()
        self.alexa.state.timers.clock = self.now
        self.alexa.state.reminders.clock = self.now
        self.asked_for: dict[str, str] | None = None  # the permission Alexa is asking about: scope, token
        self.conversation = Conversation(device=Device(locale=locale), clock=self.now)

    def now(self) -> datetime:
        """The console's clock: real time, plus whatever /wait has let pass."""
        return datetime.now(UTC) + self.offset

    def __enter__(self) -> "Chat":
        self.table.__enter__()
        self.alexa.__enter__()
        os.environ.update(
            TABLE_NAME=LOCAL_TABLE, SKILL_ID=LOCAL_SKILL_ID, REQUESTS_CA_BUNDLE=self.alexa.ca_bundle
        )
        self.conversation.device.api_endpoint = self.alexa.endpoint
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.alexa.__exit__(*exc_info)
        self.table.__exit__(*exc_info)

    def say(self, typed: str) -> None:
        """Handle one typed line: a console command, or words spoken to Alexa."""
        typed = typed.strip()
        if not typed:
            return
        if typed.startswith("/"):
            self._command(typed)
            return
        resolution = self.understanding.resolve(typed)
        if self.asked_for is not None:
            self._answer_permission(resolution)
            return
        if resolution.kind == "intent" and not resolution.one_shot and not self.conversation.in_session:
            self.write("(Closer Together isn't open. Say 'open closer together' or 'ask closer together …'.)")
            return
        self.send(self._request_for(resolution))

    def _request_for(self, resolution: Resolution) -> dict[str, Any]:
        if resolution.kind == "launch":
            return self.conversation.launch()
        if resolution.one_shot:
            self.conversation.end()
        return self.conversation.intent(resolution.intent or "AMAZON.FallbackIntent", resolution.slots)

    def send(self, envelope: dict[str, Any]) -> dict[str, Any]:
        """Send one envelope through the Lambda handler, print the answer, and keep the table on disk."""
        response_envelope = handler(envelope, None)
        self.conversation.absorb(response_envelope)
        self.table.save()
        self._print(response_envelope.get("response") or {})
        return response_envelope

    def _print(self, response: dict[str, Any]) -> None:
        speech = (response.get("outputSpeech") or {}).get("ssml")
        if speech:
            self.write(f"alexa> {strip_tags(speech)}")
        card = response.get("card")
        if card:
            self.write(
                f"       [card: {card.get('title', '')}] {card.get('content') or card.get('text', '')}"
            )
        for directive in response.get("directives") or []:
            self.write(f"       [directive: {directive.get('type')}]")
            if directive.get("type") == "Connections.SendRequest" and directive.get("name") == ASK_FOR:
                self._ask_permission(directive)
                return
        self.write(
            "       (listening…)" if response.get("shouldEndSession") is False else "       (session closed)"
        )

    def _ask_permission(self, directive: dict[str, Any]) -> None:
        """Alexa's own question, as she asks it when a skill hands her an AskFor."""
        scopes = (directive.get("payload") or {}).get("permissionScopes") or [{}]
        scope = str(scopes[0].get("permissionScope", ""))
        self.asked_for = {"scope": scope, "token": str(directive.get("token") or "")}
        what = "reminders" if scope == Scope.REMINDERS else "timers" if scope == Scope.TIMERS else scope
        self.write(f"alexa> Closer Together would like to use your {what}. Is that okay?")
        self.write("       (Alexa's own question: say yes or no)")

    def _answer_permission(self, resolution: Resolution) -> None:
        """Yes grants the permission at the fake Alexa API, anything else declines it; either way the
        answer goes back to the skill as Connections.Response."""
        asked, self.asked_for = self.asked_for or {}, None
        accepted = resolution.intent == "AMAZON.YesIntent"
        token = self.conversation.device.api_access_token or ""
        if accepted and asked["scope"] == Scope.REMINDERS:
            self.alexa.state.reminders.grant(token)
        elif accepted and asked["scope"] == Scope.TIMERS:
            self.alexa.state.timers.grant(token)
        answer = {"permissionScope": asked["scope"], "status": "ACCEPTED" if accepted else "DENIED"}
        self.send(
            self.conversation.envelope(
                {
                    "type": "Connections.Response",
                    "name": ASK_FOR,
                    "status": {"code": "200", "message": "OK"},
                    "payload": answer,
                    "token": asked["token"],
                }
            )
        )

    def _wait(self, minutes: int | None) -> None:
        """Let time pass on Alexa's clock, so many minutes or (None) on to the next reminder; then what
        came due goes off, and the console prints what Alexa says."""
        if minutes is None:
            due = self.alexa.state.reminders.next_due()
            if due is None:
                self.write("(no reminder is set)")
                return
            self.offset += due - self.now()
            self.write("(time passes: on to the next reminder)")
        else:
            self.offset += timedelta(minutes=minutes)
            self.write(f"(time passes: {minutes} minutes)")
        for timer in self.alexa.state.timers.ring_due():
            self.write(f"(timer '{timer.label}' goes off: {timer.announcement})")
        for said in self.alexa.state.reminders.ring_due():
            when = f"{said.local:%A} {_local(said.local)}"
            self.write(f"(a reminder goes off, {when}. Alexa says: Here's your reminder. {said.text})")

    def _command(self, typed: str) -> None:
        name, _, argument = typed[1:].partition(" ")
        if name == "wait" and (argument.strip().isdigit() or not argument.strip()):
            self._wait(int(argument) if argument.strip() else None)
        elif name == "quit":
            raise EOFError
        else:
            self.write(CONSOLE_HELP)


def _local(moment: datetime) -> str:
    return f"{moment.hour % 12 or 12}:{moment.minute:02d} {'AM' if moment.hour < 12 else 'PM'}"


def _log_to_file(state_dir: Path) -> None:
    """The skill's logs go to a file beside the table, so the console shows only the conversation."""
    state_dir.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(filename=state_dir / "chat.log", level=logging.INFO, format="%(asctime)s %(message)s")


def run(
    lines: Iterable[str] | None, state_dir: Path = DEFAULT_STATE_DIR, locale: str = DEFAULT_LOCALE
) -> None:
    """Run the console: the given lines in order (non-interactive), or what is typed until /quit.
    The device speaks `locale`: its words are heard with that locale's model and its requests carry it."""
    _log_to_file(state_dir)
    with Chat(state_dir, locale=locale) as chat:
        if lines is not None:
            for line in lines:
                print(f"you> {line}")
                chat.say(line)
            return
        print(CONSOLE_HELP)
        while True:
            try:
                chat.say(input("you> "))
            except (EOFError, KeyboardInterrupt):
                print()
                return
