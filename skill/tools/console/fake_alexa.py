"""A fake Alexa service API over real HTTPS on 127.0.0.1, for the console and the tests.

It serves the device settings the skill reads, the Timers API (skill/tools/console/fake_timers.py) and the
Reminders API (skill/tools/console/fake_reminders.py), records
every request it was sent, and can be told to fail a route with a given status so tests can see what the
skill says when Alexa's APIs misbehave.
"""

import datetime as dt
import ipaddress
import json
import re
import ssl
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from skill.tools.console.fake_reminders import ROUTES as REMINDER_ROUTES
from skill.tools.console.fake_reminders import FakeReminders
from skill.tools.console.fake_timers import ROUTES as TIMER_ROUTES
from skill.tools.console.fake_timers import FakeTimers

LOOPBACK = "127.0.0.1"
DEFAULT_TIME_ZONE = "America/Los_Angeles"


@dataclass
class Recorded:
    """One request the fake API received."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class Reply:
    """What a route answers: a status and a JSON body (or none)."""

    status: int
    body: Any = None


Route = Callable[["FakeAlexaApi", re.Match[str], Any], Reply]


@dataclass
class FakeAlexaState:
    """Everything the fake API knows: per-device settings, forced failures, and what it was sent."""

    time_zones: dict[str, str] = field(default_factory=dict)
    failures: dict[str, int] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)
    timers: FakeTimers = field(default_factory=FakeTimers)
    reminders: FakeReminders = field(default_factory=FakeReminders)
    failure_codes: dict[str, str] = field(default_factory=dict)
    # route → (calls still to answer normally, the status the next one then fails with)
    failing_once: dict[str, tuple[int, int]] = field(default_factory=dict)


def _self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fake-alexa-api.local")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(LOOPBACK))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "fake-alexa.pem", directory / "fake-alexa.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


def _time_zone(api: "FakeAlexaApi", match: re.Match[str], body: Any) -> Reply:
    return Reply(200, api.state.time_zones.get(match["device"], DEFAULT_TIME_ZONE))


class FakeAlexaApi:
    """The server. Use as a context manager; `endpoint` goes into the request's apiEndpoint and
    `ca_bundle` into REQUESTS_CA_BUNDLE so the skill's HTTPS client trusts it."""

    routes: ClassVar[list[tuple[str, str, re.Pattern[str], Route]]] = [
        (
            "time_zone",
            "GET",
            re.compile(r"^/v2/devices/(?P<device>[^/]+)/settings/System\.timeZone$"),
            _time_zone,
        ),
        *TIMER_ROUTES,
        *REMINDER_ROUTES,
    ]

    def __init__(self, state: FakeAlexaState | None = None) -> None:
        self.state = state or FakeAlexaState()
        self.lock = threading.Lock()
        self._directory = tempfile.TemporaryDirectory(prefix="fake-alexa-")
        cert_path, key_path = _self_signed_certificate(Path(self._directory.name))
        self.ca_bundle = str(cert_path)
        self._server = ThreadingHTTPServer((LOOPBACK, 0), _handler_for(self))
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert_path, key_path)
        self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def endpoint(self) -> str:
        """The base URL to put in `context.System.apiEndpoint`."""
        return f"https://{LOOPBACK}:{self._server.server_address[1]}"

    def fail(self, route_name: str, status: int, code: str = "FORCED") -> None:
        """Make every later call to a route answer with this status (and this error code), until `heal`."""
        self.state.failures[route_name] = status
        self.state.failure_codes[route_name] = code

    def fail_once(self, route_name: str, status: int, after: int = 0) -> None:
        """Make one later call to a route fail with this status, after `after` calls answered as usual:
        `fail_once("timer_create", 500, after=1)` sets a check-in's first timer and fails its second."""
        self.state.failing_once[route_name] = (after, status)

    def heal(self, route_name: str) -> None:
        """Let a failed route answer normally again."""
        self.state.failures.pop(route_name, None)

    def calls(self, route_name: str | None = None) -> list[Recorded]:
        """The requests received (for one route, if named), oldest first."""
        return [
            recorded
            for recorded in self.state.requests
            if route_name is None or self.route_of(recorded.method, recorded.path) == route_name
        ]

    def route_of(self, method: str, path: str) -> str | None:
        """The name of the route a request would reach."""
        return next(
            (name for name, verb, pattern, _ in self.routes if verb == method and pattern.match(path)), None
        )

    def answer(self, method: str, path: str, headers: dict[str, str], body: Any) -> Reply:
        """Record a request and produce its reply."""
        with self.lock:
            self.state.requests.append(Recorded(method, path, headers, body))
            if not headers.get("Authorization", "").startswith("Bearer ") or headers["Authorization"] in (
                "Bearer None",
                "Bearer ",
            ):
                return Reply(401, {"code": "UNAUTHORIZED", "message": "Missing or invalid token."})
            for name, verb, pattern, route in self.routes:
                match = pattern.match(path)
                if verb == method and match:
                    if self._fails_once(name):
                        status = self.state.failing_once.pop(name)[1]
                        return Reply(status, {"code": "FORCED", "message": "Injected."})
                    if name in self.state.failures:
                        code = self.state.failure_codes.get(name, "FORCED")
                        return Reply(self.state.failures[name], {"code": code, "message": "Injected."})
                    return route(self, match, body)
            return Reply(404, {"code": "NOT_FOUND", "message": f"No route for {method} {path}."})

    def _fails_once(self, route_name: str) -> bool:
        """Whether this call to the route is the one `fail_once` chose (counting down to it otherwise)."""
        if route_name not in self.state.failing_once:
            return False
        after, status = self.state.failing_once[route_name]
        if after == 0:
            return True
        self.state.failing_once[route_name] = (after - 1, status)
        return False

    def __enter__(self) -> "FakeAlexaApi":
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._directory.cleanup()


def _handler_for(api: FakeAlexaApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        # Keeps connections alive, as Alexa's own API does, so a client that reuses its connections (ours
        # does) skips a TLS handshake a call here too. Without Nagle's algorithm: on a kept connection, the
        # body written after the headers would otherwise wait ~40 ms for the client's delayed ACK.
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = raw.decode("utf-8", "replace")
            reply = api.answer(self.command, self.path.split("?")[0], dict(self.headers.items()), body)
            payload = b"" if reply.body is None else json.dumps(reply.body).encode("utf-8")
            self.send_response(reply.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the console and the tests read `calls()` instead."""

    return Handler
