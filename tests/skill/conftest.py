"""Fixtures of the web-service tests (`closer serve`): the server on an ephemeral port of 127.0.0.1, backed
by the moto-deployed table, and a household's requests to send it."""

import http.client
import json
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from skill.app import skill_for
from skill.config import settings
from skill.tools.console.envelopes import Conversation, Device
from skill.tools.console.fake_alexa import FakeAlexaApi
from skill.tools.serve import SkillServer
from skill.tools.webservice import AlexaChecks, AlexaWebService
from tests.support import Accounts, Stack


@dataclass
class Client:
    """A plain HTTP client for one running server, and raw connections for what HTTP clients won't send."""

    host: str
    port: int

    def request(self, method: str, path: str, body: bytes | None = None, **headers: str) -> tuple[int, Any]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, json.loads(response.read() or b"null")
        finally:
            connection.close()

    def health(self) -> int:
        return self.request("GET", "/health")[0]

    def post(self, body: bytes, **headers: str) -> tuple[int, Any]:
        return self.request("POST", "/", body, **{"Content-Type": "application/json", **headers})

    def connect(self) -> socket.socket:
        return socket.create_connection((self.host, self.port), timeout=10)


StartServer = Callable[..., Client]


@pytest.fixture
def start_server(stack: Stack) -> Iterator[StartServer]:
    """Start the skill's web service with Alexa's checks (None: unverified) and any SkillServer options."""
    servers: list[tuple[SkillServer, threading.Thread]] = []

    def start(checks: AlexaChecks | None, **options: Any) -> Client:
        server = SkillServer(("127.0.0.1", 0), AlexaWebService(skill_for(settings()), checks), **options)
        # A short poll, so that stopping the server at the end of the test is quick.
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        servers.append((server, thread))
        host, port = server.server_address[:2]
        return Client(str(host), port)

    yield start
    for server, thread in servers:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def conversation(alexa_api: FakeAlexaApi, accounts: Accounts) -> Conversation:
    """Requests from a household's Echo; the skill's Alexa API calls go to the fake Alexa API."""
    return Conversation(device=Device(user_id=accounts.user_id(), api_endpoint=alexa_api.endpoint))
