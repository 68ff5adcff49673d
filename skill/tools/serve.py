"""`closer serve`: the skill as a web-service endpoint on the standard library's HTTP server.

It speaks plain HTTP on 127.0.0.1 by default. Alexa only calls HTTPS endpoints with a trusted certificate,
so a reverse proxy (Caddy, nginx) terminates TLS in front of it; request verification stays on there.
"""

import json
import logging
import signal
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import FrameType
from typing import Any

from skill.app import skill_for
from skill.config import MissingSettingError, settings
from skill.tools.webservice import AlexaWebService, RefusedRequest, alexa_verifiers

log = logging.getLogger("closer_together.serve")

# Alexa's requests are a few kilobytes; a body near this size is not from Alexa.
MAX_BODY_BYTES = 1024 * 1024
NO_VERIFY_WARNING = """\
WARNING: --no-verify: requests are NOT checked for Alexa's signature or timestamp.
WARNING: anyone who can reach this port can speak to the skill as any household.
WARNING: use it only with local tools on this machine, never behind a public endpoint."""


class SkillServer(ThreadingHTTPServer):
    """An HTTP server answering Alexa's requests through one AlexaWebService."""

    # Non-daemon request threads: server_close() waits for answers in flight, so shutdown is clean.
    daemon_threads = False

    def __init__(self, address: tuple[str, int], service: AlexaWebService) -> None:
        super().__init__(address, SkillRequestHandler)
        self.service = service

    @property
    def url(self) -> str:
        """Where the server listens, with the port the OS chose if it was 0."""
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


class SkillRequestHandler(BaseHTTPRequestHandler):
    """POST / answers Alexa request envelopes; GET /health says the server is up."""

    server: SkillServer
    server_version = "CloserTogether"
    # A client that stops sending mid-request is dropped, so it cannot hold a thread (or shutdown) forever.
    timeout = 10

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
            answer = self.server.service.answer(self._lower_case_headers(), self._read_body())
        except RefusedRequest as refused:
            log.warning("refused a request: %s", refused.reason)
            self._send_json(refused.status, {"error": refused.reason})
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
        if not 0 <= length <= MAX_BODY_BYTES:
            raise RefusedRequest(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "body is too large")
        return self.rfile.read(length)

    def _send_json(self, status: HTTPStatus, body: dict[str, str]) -> None:
        self._send(status, json.dumps(body).encode("utf-8"))

    def _send(self, status: HTTPStatus, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve_until_stopped(server: SkillServer) -> None:
    """Serve until SIGINT or SIGTERM, then let answers in flight finish and close the socket."""

    def stop(signum: int, frame: FrameType | None) -> None:
        # shutdown() waits for serve_forever() to return, and that runs in this thread: ask from another.
        threading.Thread(target=server.shutdown).start()

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
    service = AlexaWebService(skill_for(config), alexa_verifiers() if verify else [])
    server = SkillServer((host, port), service)
    print(f"Serving the skill on {server.url}: POST / for Alexa, GET /health. Ctrl-C stops.", flush=True)
    serve_until_stopped(server)
    print("Stopped.", flush=True)
