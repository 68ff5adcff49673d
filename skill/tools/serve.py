"""`closer serve`: the skill as a web-service endpoint on the standard library's HTTP server.

It speaks plain HTTP on 127.0.0.1 by default. Alexa only calls HTTPS endpoints with a trusted certificate,
so a reverse proxy (Caddy, nginx) terminates TLS in front of it; request verification stays on there.

Anyone who can reach the port can connect, so what a connection can hold is bounded: a fixed pool of
workers (and a short queue in front of it, beyond which connections are turned away with 503), one
request per connection, which must arrive whole within a deadline, and a shutdown that waits for
answers in flight only so long.
"""

import io
import json
import logging
import queue
import signal
import socket
import sys
import threading
import time
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer
from types import FrameType
from typing import Any

from skill.app import skill_for
from skill.config import MissingSettingError, settings
from skill.tools.webservice import MAX_REQUEST_BYTES, AlexaWebService, RefusedRequest, alexa_checks

log = logging.getLogger("closer_together.serve")

# A household's skill gets a request every few seconds at most: a few workers answer it, and the cap
# keeps a flood of connections from becoming a flood of threads.
WORKERS = 8
# Connections accepted while every worker is busy wait here; beyond it they are turned away with 503.
WAITING_CONNECTIONS = 16
# From accepting a connection to having its whole request (line, headers, body). Alexa, or the TLS proxy
# in front, sends a request at once: a client still sending after this is broken or trickling on purpose.
REQUEST_DEADLINE_SECONDS = 5.0
# Alexa reads the answer at once; a client that does not is not waited for.
WRITE_TIMEOUT_SECONDS = 2.0
# On SIGINT or SIGTERM, answers in flight get this long to finish; then the process exits regardless.
SHUTDOWN_GRACE_SECONDS = 5.0
_BUSY_BODY = json.dumps({"error": "server is busy"}).encode("utf-8")
BUSY_RESPONSE = (
    b"HTTP/1.0 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Type: application/json;charset=UTF-8\r\n"
    + f"Content-Length: {len(_BUSY_BODY)}\r\nConnection: close\r\n\r\n".encode("ascii")
    + _BUSY_BODY
)
NO_VERIFY_WARNING = """\
WARNING: --no-verify: requests are NOT checked for Alexa's signature or timestamp.
WARNING: anyone who can reach this port can speak to the skill as any household.
WARNING: use it only with local tools on this machine, never behind a public endpoint."""


@dataclass(frozen=True)
class Connection:
    """An accepted connection, waiting for a worker, and when its request must have arrived by."""

    socket: socket.socket
    address: tuple[str, int]
    deadline: float


class DeadlineReader(io.RawIOBase):
    """A socket's input that ends at a deadline, however slowly its bytes trickle in.

    A socket timeout alone bounds each read, so one byte every few seconds would hold a worker for ever."""

    def __init__(self, connection: socket.socket, deadline: float) -> None:
        super().__init__()
        self._connection = connection
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("the request did not arrive in time")
        self._connection.settimeout(remaining)
        return self._connection.recv_into(buffer)


class SkillServer(HTTPServer):
    """An HTTP server answering Alexa's requests through one AlexaWebService, on a bounded pool."""

    # The accept loop only queues connections, so it keeps up; a longer backlog absorbs bursts.
    request_queue_size = 64

    def __init__(
        self,
        address: tuple[str, int],
        service: AlexaWebService,
        *,
        workers: int = WORKERS,
        waiting: int = WAITING_CONNECTIONS,
        request_deadline: float = REQUEST_DEADLINE_SECONDS,
    ) -> None:
        super().__init__(address, SkillRequestHandler)
        self.service = service
        self._request_deadline = request_deadline
        # While serving, only the accept loop adds to the queue, so its size checked before adding is a
        # true bound. None tells a worker to stop.
        self._waiting: queue.SimpleQueue[Connection | None] = queue.SimpleQueue()
        self._waiting_limit = waiting
        # Daemon workers: a connection still open when the grace period ends cannot keep the process up.
        self._workers = [
            threading.Thread(target=self._work, name=f"closer-serve-{number}", daemon=True)
            for number in range(workers)
        ]
        for worker in self._workers:
            worker.start()

    @property
    def url(self) -> str:
        """Where the server listens, with the port the OS chose if it was 0."""
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def process_request(self, request: Any, client_address: Any) -> None:
        """Queue the connection for a worker, or turn it away at once when the queue is full."""
        if self._waiting.qsize() >= self._waiting_limit:
            _turn_away(request)
            self.shutdown_request(request)
        else:
            self._waiting.put(Connection(request, client_address, time.monotonic() + self._request_deadline))

    def server_close(self) -> None:
        """Stop listening, close connections still waiting, and give answers in flight the grace period."""
        super().server_close()
        while True:
            try:
                waiting = self._waiting.get_nowait()
            except queue.Empty:
                break
            if waiting is not None:
                self.shutdown_request(waiting.socket)
        for _ in self._workers:
            self._waiting.put(None)
        until = time.monotonic() + SHUTDOWN_GRACE_SECONDS
        for worker in self._workers:
            worker.join(timeout=max(0.0, until - time.monotonic()))

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.exception("connection from %s failed", client_address)

    def _work(self) -> None:
        while (connection := self._waiting.get()) is not None:
            try:
                # One that waited past its deadline is closed unanswered: its client has given up.
                if time.monotonic() < connection.deadline:
                    SkillRequestHandler(connection.socket, connection.address, self, connection.deadline)
            except OSError as error:
                # The client reset or stalled: one line, not a traceback a hostile client could multiply.
                log.info("connection from %s ended early: %s", connection.address, type(error).__name__)
            except Exception:
                self.handle_error(connection.socket, connection.address)
            finally:
                self.shutdown_request(connection.socket)


def _turn_away(request: socket.socket) -> None:
    # Without blocking the accept loop: a client that cannot take these few bytes at once gets nothing.
    try:
        request.setblocking(False)
        request.send(BUSY_RESPONSE)
    except OSError:
        pass


class SkillRequestHandler(BaseHTTPRequestHandler):
    """POST / answers Alexa request envelopes; GET /health says the server is up."""

    server: SkillServer
    server_version = "CloserTogether"

    def __init__(
        self, request: socket.socket, client_address: Any, server: SkillServer, deadline: float
    ) -> None:
        self.deadline = deadline
        super().__init__(request, client_address, server)

    def setup(self) -> None:
        super().setup()
        self.rfile.close()
        self.rfile = io.BufferedReader(DeadlineReader(self.connection, self.deadline))

    def do_GET(self) -> None:
        if self.path == "/health":
            self._send_json(HTTPStatus.OK, {"status": "ok"})
        else:
            self._send_json(HTTPStatus.NOT_FOUND, {"error": "not found"})

    def do_POST(self) -> None:
        if self.path != "/":
            self._send_json(HTTPStatus.NOT_FOUND, {"error": "not found"})
            return
        try:
            # A client that resets while sending raises OSError here, which ends the connection quietly.
            body = self._read_body()
        except RefusedRequest as refused:
            self._refuse(refused)
            return
        try:
            answer = self.server.service.answer(self._lower_case_headers(), body)
        except RefusedRequest as refused:
            self._refuse(refused)
        except Exception:
            # The skill's own catch-all speaks for handler errors; this is for anything outside it,
            # answered so the connection ends cleanly and the server keeps serving.
            log.exception("request failed")
            self._send_json(HTTPStatus.INTERNAL_SERVER_ERROR, {"error": "internal error"})
        else:
            self._send(HTTPStatus.OK, answer)

    def log_message(self, format: str, *args: Any) -> None:
        log.info("%s %s", self.address_string(), format % args)

    def _lower_case_headers(self) -> dict[str, str]:
        return {name.lower(): value for name, value in self.headers.items()}

    def _read_body(self) -> bytes:
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError as error:
            raise RefusedRequest(HTTPStatus.LENGTH_REQUIRED, "Content-Length is required") from error
        if not 0 <= length <= MAX_REQUEST_BYTES:
            raise RefusedRequest(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "body is too large")
        try:
            body = self.rfile.read(length)
        except TimeoutError as error:
            raise RefusedRequest(HTTPStatus.REQUEST_TIMEOUT, "the body did not arrive in time") from error
        if len(body) < length:
            raise RefusedRequest(HTTPStatus.BAD_REQUEST, "body is shorter than its Content-Length")
        return body

    def _refuse(self, refused: RefusedRequest) -> None:
        log.warning("refused a request: %s", refused.reason)
        self._send_json(refused.status, {"error": refused.reason})

    def _send_json(self, status: HTTPStatus, body: dict[str, str]) -> None:
        self._send(status, json.dumps(body).encode("utf-8"))

    def _send(self, status: HTTPStatus, body: bytes) -> None:
        self.connection.settimeout(WRITE_TIMEOUT_SECONDS)
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve_until_stopped(server: SkillServer) -> None:
    """Serve until SIGINT or SIGTERM, then give answers in flight the grace period and close the socket."""

    def stop(signum: int, frame: FrameType | None) -> None:
        # shutdown() waits for serve_forever() to return, and that runs in this thread: ask from another.
        threading.Thread(target=server.shutdown, daemon=True).start()

    previous = {signum: signal.signal(signum, stop) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        server.serve_forever()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        server.server_close()


def run(host: str, port: int, *, verify: bool) -> None:
    """`closer serve`: the skill configured by TABLE_NAME and SKILL_ID, until a signal stops it."""
    try:
        config = settings()
    except MissingSettingError as error:
        missing = error.args[0]
        raise SystemExit(f"closer serve needs the skill's settings in the environment: {missing}") from error
    logging.basicConfig(level=config.log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    if not verify:
        print(NO_VERIFY_WARNING, file=sys.stderr, flush=True)
    service = AlexaWebService(skill_for(config), alexa_checks() if verify else None)
    server = SkillServer((host, port), service)
    print(f"Serving the skill on {server.url}: POST / for Alexa, GET /health. Ctrl-C stops.", flush=True)
    serve_until_stopped(server)
    print("Stopped.", flush=True)
