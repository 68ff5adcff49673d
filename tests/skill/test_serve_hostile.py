"""`closer serve` under hostile traffic: slow clients, floods, a signal while a client trickles, and
bodies and headers no Alexa would send. Everything goes to 127.0.0.1, bounded in count and time.

Every one of them ends in a 4xx (or, for what is a request envelope after all, an answer), never a 500,
and the server keeps serving. The fixtures are in tests/skill/conftest.py."""

import contextlib
import http.server
import json
import logging
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skill.tools.console.envelopes import Conversation
from skill.tools.webservice import (
    MAX_CERT_CHAIN_BYTES,
    AlexaChecks,
    SignatureVerifier,
    TimestampVerifier,
    fetch_cert_chain,
)

OTHER_SKILL = "amzn1.ask.skill.11111111-2222-4333-8444-555555555555"


def encode(envelope: Any) -> bytes:
    return json.dumps(envelope).encode("utf-8")


def nested(depth: int) -> Any:
    value: Any = "deep"
    for _ in range(depth):
        value = {"a": value}
    return value


def public_checks(fetched: list[str]) -> AlexaChecks:
    """Production's checks against the public roots, with a download that records the URL and fails:
    nothing here has a certificate URL worth fetching, and nothing may leave this machine."""

    def refuse(url: str) -> bytes:
        fetched.append(url)
        raise OSError("no certificate is fetched in these tests")

    return AlexaChecks(SignatureVerifier(fetch=refuse), TimestampVerifier())


def trickle(connection: socket.socket, first: bytes, within: float) -> float:
    """Send `first`, then a byte every 0.2 s, until the server hangs up; how long it held on (≤ `within`)."""
    started = time.monotonic()
    connection.sendall(first)
    connection.settimeout(0.2)
    while time.monotonic() - started < within:
        try:
            connection.sendall(b"X")
            if connection.recv(4096) == b"":
                break
        except TimeoutError:
            continue
        except OSError:  # reset: the server closed with our bytes unread
            break
    return time.monotonic() - started


# --- slow clients, floods and shutdown ---


@pytest.mark.parametrize(
    "first",
    [b"POST / HTTP/1.1\r\nHost: skill\r\n", b"POST / HTTP/1.1\r\nContent-Length: 1000\r\n\r\n{"],
    ids=["headers", "body"],
)
def test_a_client_trickling_its_request_is_cut_off_at_the_request_deadline(
    start_server, first: bytes
) -> None:
    client = start_server(None, request_deadline=1.0)

    with client.connect() as connection:
        held = trickle(connection, first, within=6.0)

    # A read timeout alone would let one byte every 0.2 s hold the worker for the whole 6 s.
    assert held < 3.0
    assert client.health() == 200


def test_connections_beyond_the_workers_and_their_queue_get_503_and_add_no_thread(start_server) -> None:
    client = start_server(None, workers=2, waiting=2)
    threads = threading.active_count()

    connections = [client.connect() for _ in range(10)]
    try:
        turned_away = 0
        for connection in connections:
            connection.settimeout(0.3)
            # A timeout: held by a worker or waiting for one, as it should be.
            with contextlib.suppress(TimeoutError):
                turned_away += connection.recv(4096).startswith(b"HTTP/1.0 503")
        during = threading.active_count()
    finally:
        for connection in connections:
            connection.close()

    assert during == threads
    # Two with the workers and two waiting (the accept loop may outrun the workers by one or two).
    assert 6 <= turned_away <= 8
    assert client.health() == 200


def test_closer_serve_stops_within_seconds_of_sigterm_while_a_client_trickles_its_headers() -> None:
    environment = {**os.environ, "TABLE_NAME": "closer-test-table", "SKILL_ID": Conversation().skill_id}
    process = subprocess.Popen(
        [sys.executable, "-m", "skill.tools", "serve", "--port", "0", "--no-verify"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    done = threading.Event()

    def trickler(port: int) -> None:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
            connection.sendall(b"GET /health HTTP/1.1\r\n")
            while not done.wait(0.3):
                try:
                    connection.sendall(b"X")
                except OSError:
                    return

    try:
        assert process.stdout is not None
        listening = re.search(r"http://127\.0\.0\.1:(\d+)", process.stdout.readline())
        assert listening, ("the server did not say where it listens", process.communicate(timeout=5))
        slow = threading.Thread(target=trickler, args=(int(listening.group(1)),), daemon=True)
        slow.start()
        time.sleep(0.5)
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=10)
    finally:
        done.set()
        process.kill()

    assert process.returncode == 0, err
    assert "Stopped." in out


def test_clients_resetting_mid_request_log_no_error(start_server, caplog: pytest.LogCaptureFixture) -> None:
    client = start_server(None)

    for request in (b"POST / HTTP/1.1\r\nContent-Le", b"POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n{"):
        connection = client.connect()
        connection.sendall(request)
        time.sleep(0.2)  # the server is now waiting for the rest
        # Closing with a zero linger time sends a reset instead of a graceful end.
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        connection.close()

    assert client.health() == 200
    assert [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR] == []


# --- bodies no Alexa would send ---


def hostile_bodies(conversation: Conversation) -> Iterator[tuple[str, bytes, int]]:
    """(what, body, the status it must get) with verification off, so each reaches the parsing."""
    launch = conversation.launch()

    def with_request(**fields: Any) -> bytes:
        return encode({**launch, "request": {**launch["request"], **fields}})

    def with_attributes(attributes: Any) -> bytes:
        return encode({**launch, "session": {**launch["session"], "attributes": attributes}})

    def with_system(**fields: Any) -> bytes:
        return encode({**launch, "context": {"System": {**launch["context"]["System"], **fields}}})

    yield "deeply-nested-array", b"[" * 100_000, 400
    yield "deeply-nested-object", b'{"a":' * 20_000, 400
    # Valid JSON the parser takes, but the SDK would recurse through while echoing the attributes.
    yield "nested-session-attributes", with_attributes(nested(600)), 400
    yield "nan-in-session-attributes", with_attributes({"x": float("nan")}), 400
    yield "infinity", encode(launch).replace(b'"new": true', b'"new": Infinity'), 400
    yield "timestamp-long-digits", with_request(timestamp="1" * 100_000), 400
    yield "timestamp-number", with_request(timestamp=1_700_000_000), 400
    yield "timestamp-without-zone", with_request(timestamp="2030-01-01T00:00:00"), 400
    yield "request-a-string", encode({**launch, "request": "LaunchRequest"}), 400
    yield "context-a-list", encode({**launch, "context": []}), 403
    yield "application-a-string", with_system(application="x"), 403
    # Another skill's id where Alexa spells it, ours where the SDK would also look; then the other way.
    theirs = {"applicationId": OTHER_SKILL, "application_id": conversation.skill_id}
    yield "skill-id-theirs-spelt-ours", with_system(application=theirs), 403
    ours = {"applicationId": conversation.skill_id, "application_id": OTHER_SKILL}
    yield "skill-id-ours-spelt-theirs", with_system(application=ours), 400


def test_no_malformed_body_gets_a_500(start_server, conversation: Conversation) -> None:
    client = start_server(None)

    outcomes = {what: client.post(body)[0] for what, body, _ in hostile_bodies(conversation)}

    assert outcomes == {what: status for what, _, status in hostile_bodies(conversation)}
    assert client.post(encode(conversation.launch()))[0] == 200


def test_with_verification_on_every_hostile_body_is_refused_as_unsigned(start_server, conversation) -> None:
    fetched: list[str] = []
    client = start_server(public_checks(fetched))

    outcomes = {what: client.post(body) for what, body, _ in hostile_bodies(conversation)}

    assert outcomes == {what: (400, {"error": "request is not signed"}) for what in outcomes}
    assert fetched == []


@pytest.mark.parametrize(
    "url",
    [
        "https://user@s3.amazonaws.com/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/\techo-api-cert.pem",
        "https://s3.amazonaws.com\\@evil.example/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/%2e%2e/evil.pem",
        "https://s3.amazonaws.com:99999/echo.api/echo-api-cert.pem",
        "https://[::1/echo.api/echo-api-cert.pem",
    ],
    ids=["userinfo", "tab", "backslash", "encoded-dots", "bad-port", "bad-ipv6"],
)
def test_a_malformed_certificate_url_gets_400_and_is_never_fetched(
    start_server, conversation, url: str
) -> None:
    fetched: list[str] = []
    client = start_server(public_checks(fetched))

    status, answer = client.post(
        encode(conversation.launch()), SignatureCertChainUrl=url, **{"Signature-256": "c2lnbmF0dXJl"}
    )

    assert status == 400, answer
    assert fetched == []


def raw_exchange(client: Any, request: bytes) -> tuple[int, bytes]:
    """The status and the whole answer the server gives raw request bytes, sent with the write side then
    closed (so a request shorter than it claims ends there)."""
    with client.connect() as connection:
        connection.sendall(request)
        connection.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    # A request line it cannot read is answered as HTTP/0.9 would be: no status line, just the page.
    found = re.match(rb"HTTP/1\.[01] (\d{3}) ", answer) or re.search(rb"Error code: (\d{3})", answer)
    assert found, answer[:200]
    return int(found.group(1)), answer


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"POST / HTTP/1.1\r\nContent-Type: application/json\r\n\r\n{}", 411),
        (b"POST / HTTP/1.1\r\nContent-Length: abc\r\n\r\n{}", 411),
        (b"POST / HTTP/1.1\r\nContent-Length: -5\r\n\r\n{}", 413),
        (b"POST / HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n{}", 413),
        (b"GARBAGE\r\n\r\n", 400),
        (b"POST / HTTP/1.1\r\nX: " + b"a" * 70_000 + b"\r\n\r\n", 431),
        (b"POST / HTTP/1.1\r\n" + b"X: a\r\n" * 200 + b"\r\n", 431),
        (b"BREW / HTTP/1.1\r\n\r\n", 501),
    ],
    ids=[
        "no-length",
        "length-not-a-number",
        "negative-length",
        "huge-length",
        "garbage",
        "header-too-long",
        "too-many-headers",
        "unknown-method",
    ],
)
def test_malformed_http_gets_its_4xx_or_501_never_a_500(
    start_server, request_bytes: bytes, status: int
) -> None:
    client = start_server(None)

    assert raw_exchange(client, request_bytes)[0] == status
    assert client.health() == 200


def test_a_body_cut_short_is_refused_as_incomplete(start_server, conversation) -> None:
    client = start_server(None)
    body = encode(conversation.launch())
    whole = f"POST / HTTP/1.1\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body

    status, answer = raw_exchange(client, whole[:-1])  # a JSON prefix, and too short by a byte

    assert status == 400
    assert answer.endswith(b'{"error": "body is shorter than its Content-Length"}')


# --- a small fuzzer over the request envelope, with verification off so each reaches the skill ---

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)


def paths(document: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside a JSON document."""
    found: list[tuple[Any, ...]] = [prefix] if prefix else []
    if isinstance(document, dict):
        for key, value in document.items():
            found += paths(value, (*prefix, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            found += paths(value, (*prefix, index))
    return found


def replaced(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    copy = json.loads(json.dumps(document))
    parent = copy
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    return copy


def test_a_fuzzed_envelope_is_answered_or_refused_never_a_500(start_server, conversation) -> None:
    client = start_server(None)
    launch = conversation.launch()
    # Not where the skill reaches Alexa's API: a mutated endpoint could send it off this machine.
    targets = [path for path in paths(launch) if "apiEndpoint" not in path]

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(st.sampled_from(targets), JSON_VALUES)
    def one_mutation(path: tuple[Any, ...], value: Any) -> None:
        status, _ = client.post(encode(replaced(launch, path, value)))
        assert status in {200, 400, 403}, (path, value)

    one_mutation()
    assert client.health() == 200


# --- downloading the certificate chain (the fetch the tests above replace) ---

CHAIN_PATH = "/echo.api/echo-api-cert.pem"


@contextlib.contextmanager
def chain_host(status: int, body: bytes, declared: int | None = None) -> Iterator[str]:
    """A plain HTTP server on 127.0.0.1 that answers CHAIN_PATH with `status` and `body` (declaring
    `declared` bytes, and then waiting, if more than it sends), and redirects /moved to CHAIN_PATH."""
    release = threading.Event()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/moved":
                self.send_response(302)
                self.send_header("Location", CHAIN_PATH)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(status)
            self.send_header("Content-Length", str(declared or len(body)))
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()
            if declared:
                release.wait(10)

        def log_message(self, *_: Any) -> None:
            return None

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        release.set()
        server.shutdown()
        server.server_close()


def test_a_chain_of_the_largest_size_any_real_one_has_is_downloaded_whole() -> None:
    pem = b"x" * MAX_CERT_CHAIN_BYTES
    with chain_host(200, pem) as host:
        assert fetch_cert_chain(host + CHAIN_PATH) == pem


@pytest.mark.parametrize("status", [404, 500])
def test_a_chain_url_answering_anything_but_200_is_not_read(status: int) -> None:
    with chain_host(status, b"-----BEGIN CERTIFICATE-----") as host, pytest.raises(OSError):
        fetch_cert_chain(host + CHAIN_PATH)


def test_a_redirect_is_not_followed() -> None:
    with chain_host(200, b"chain") as host, pytest.raises(OSError):
        fetch_cert_chain(host + "/moved")


def test_a_chain_larger_than_any_real_one_is_refused_without_reading_the_rest() -> None:
    # It says it has a megabyte, sends one byte over the bound and then nothing: refused at once, unread.
    with chain_host(200, b"x" * (MAX_CERT_CHAIN_BYTES + 1), declared=1 << 20) as host:
        started = time.monotonic()
        with pytest.raises(ValueError):
            fetch_cert_chain(host + CHAIN_PATH)
        assert time.monotonic() - started < 1.0


def test_a_chain_host_that_is_not_there_is_an_os_error() -> None:
    with pytest.raises(OSError):
        fetch_cert_chain("http://127.0.0.1:9" + CHAIN_PATH)
