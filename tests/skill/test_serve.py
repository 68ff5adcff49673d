"""`closer serve`: the skill answering real HTTP on 127.0.0.1, with Alexa's request checks on or off.

Signed requests are tested offline with a certificate chain made here: the verifier is given our test
root as its only trust anchor and a fetcher that returns our chain instead of downloading Amazon's.
Everything else (URL rules, path validation, SAN, key usage, the signature over the raw body) is the
code that runs in production. What cannot be tested offline is Amazon's real chain from s3.amazonaws.com.
"""

import base64
import datetime as dt
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from ask_sdk_model import RequestEnvelope
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from skill.alexa_api import AlexaApiClient
from skill.app import build_skill, skill_for
from skill.config import settings
from skill.store import Store
from skill.tools.console.envelopes import Conversation, Device
from skill.tools.console.fake_alexa import FakeAlexaApi
from skill.tools.serve import SkillServer
from skill.tools.webservice import (
    AlexaWebService,
    RefusedRequest,
    SignatureVerifier,
    TimestampVerifier,
    Verifier,
    check_cert_chain_url,
)
from tests.support import Accounts, Stack, check_response_envelope

CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-test.pem"
ALEXA_DOMAIN = "echo-api.amazon.com"


# --- a certificate authority of our own, standing in for the public one behind Amazon's chain ---


@dataclass(frozen=True)
class Authority:
    key: rsa.RSAPrivateKey
    certificate: x509.Certificate


def _rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _builder(
    subject: str, key: rsa.RSAPrivateKey, issuer: x509.Certificate | None
) -> x509.CertificateBuilder:
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer.subject if issuer else _name(subject))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer is not None:
        identifier = x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.public_key())
        builder = builder.add_extension(identifier, critical=False)
    return builder


def _ca_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=False,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=True,
        encipher_only=False,
        decipher_only=False,
    )


def _signing_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=True,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )


def authority(name: str, parent: Authority | None = None) -> Authority:
    """A root (no parent) or intermediate CA."""
    key = _rsa_key()
    builder = (
        _builder(name, key, parent.certificate if parent else None)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(_ca_usage(), critical=True)
    )
    return Authority(key, builder.sign(parent.key if parent else key, hashes.SHA256()))


@dataclass(frozen=True)
class Signer:
    """What Alexa holds: a signing key and the PEM chain it publishes at the certificate URL."""

    key: rsa.RSAPrivateKey
    chain: bytes

    def sign(self, body: bytes) -> str:
        return base64.b64encode(self.key.sign(body, padding.PKCS1v15(), hashes.SHA256())).decode()


def signer(issuer: Authority, domain: str = ALEXA_DOMAIN) -> Signer:
    """A signing certificate for `domain`, issued by `issuer`, published with its issuer."""
    key = _rsa_key()
    certificate = (
        _builder(domain, key, issuer.certificate)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_signing_usage(), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(domain)]), critical=False)
        .sign(issuer.key, hashes.SHA256())
    )
    return Signer(key, b"".join(c.public_bytes(Encoding.PEM) for c in (certificate, issuer.certificate)))


@dataclass(frozen=True)
class Pki:
    root: Authority
    alexa: Signer
    other_domain: Signer
    untrusted: Signer


@pytest.fixture(scope="module")
def pki() -> Pki:
    """RSA keys are slow to make, so one set serves the module."""
    root = authority("Test Root CA")
    intermediate = authority("Test Intermediate CA", root)
    return Pki(
        root=root,
        alexa=signer(intermediate),
        other_domain=signer(intermediate, "example.com"),
        untrusted=signer(authority("Impostor CA", authority("Impostor Root"))),
    )


# --- the server under test, on an ephemeral port, in a thread ---


@dataclass
class Client:
    """A plain HTTP client for one running server."""

    url: str

    def request(self, method: str, path: str, body: bytes | None = None, **headers: str) -> tuple[int, Any]:
        parts = urlsplit(self.url)
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
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


StartServer = Callable[[list[Verifier]], Client]


@pytest.fixture
def start_server(stack: Stack) -> Iterator[StartServer]:
    """Start the skill's web service (backed by the moto-deployed table) with the given verifiers."""
    servers: list[tuple[SkillServer, threading.Thread]] = []

    def start(verifiers: list[Verifier]) -> Client:
        skill = skill_for(settings())
        server = SkillServer(("127.0.0.1", 0), AlexaWebService(skill, verifiers))
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        servers.append((server, thread))
        return Client(server.url)

    yield start
    for server, thread in servers:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def conversation(alexa_api: FakeAlexaApi, accounts: Accounts) -> Conversation:
    """Requests from a household's Echo; the skill's Alexa API calls go to the fake Alexa API."""
    return Conversation(device=Device(user_id=accounts.user_id(), api_endpoint=alexa_api.endpoint))


def encode(envelope: dict[str, Any]) -> bytes:
    return json.dumps(envelope).encode("utf-8")


def signed_headers(alexa: Signer, body: bytes) -> dict[str, str]:
    return {"SignatureCertChainUrl": CERT_URL, "Signature-256": alexa.sign(body)}


def verifiers_trusting(pki: Pki, chain: bytes, fetched: list[str] | None = None) -> list[Verifier]:
    """Production's checks, trusting only our test root, with `chain` served at any certificate URL."""

    def fetch(url: str) -> bytes:
        if fetched is not None:
            fetched.append(url)
        return chain

    return [SignatureVerifier(trust_roots=[pki.root.certificate], fetch=fetch), TimestampVerifier()]


# --- without verification ---


def test_health_answers_200_with_json(start_server: StartServer) -> None:
    client = start_server([])
    assert client.request("GET", "/health") == (200, {"status": "ok"})


def test_a_launch_request_is_answered_with_a_response_envelope(
    start_server: StartServer, conversation: Conversation
) -> None:
    status, answer = start_server([]).post(encode(conversation.launch()))

    assert status == 200
    check_response_envelope(answer)
    assert answer["response"]["outputSpeech"]["ssml"]


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"\xff\xfe not utf-8",
        b"[1, 2, 3]",
        b'{"version": "1.0"}',
        b'{"request": {"type": "Nope"}}',
    ],
    ids=["not-json", "not-utf8", "json-array", "no-request", "unknown-request-type"],
)
def test_a_body_that_is_not_a_request_envelope_gets_400_and_the_server_keeps_serving(
    start_server: StartServer, conversation: Conversation, body: bytes
) -> None:
    client = start_server([])

    status, answer = client.post(body)

    assert status == 400
    assert answer["error"]
    assert client.health() == 200
    assert client.post(encode(conversation.launch()))[0] == 200


def test_a_request_for_another_skill_is_refused_with_403(
    start_server: StartServer, conversation: Conversation
) -> None:
    conversation.skill_id = "amzn1.ask.skill.11111111-2222-4333-8444-555555555555"
    status, answer = start_server([]).post(encode(conversation.launch()))

    assert status == 403
    assert answer == {"error": "request is for another skill"}


def test_unknown_paths_get_404(start_server: StartServer) -> None:
    client = start_server([])
    assert client.request("GET", "/")[0] == 404
    assert client.request("POST", "/elsewhere", b"{}")[0] == 404


# --- with Alexa's checks on ---


def test_a_signed_recent_request_is_answered(
    start_server: StartServer, conversation: Conversation, pki: Pki
) -> None:
    fetched: list[str] = []
    client = start_server(verifiers_trusting(pki, pki.alexa.chain, fetched))
    body = encode(conversation.launch())

    status, answer = client.post(body, **signed_headers(pki.alexa, body))
    again = encode(conversation.launch())
    assert client.post(again, **signed_headers(pki.alexa, again))[0] == 200

    assert status == 200
    check_response_envelope(answer)
    assert fetched == [CERT_URL]  # the chain is fetched once, then cached


def test_an_unsigned_request_is_refused_with_400(
    start_server: StartServer, conversation: Conversation, pki: Pki
) -> None:
    client = start_server(verifiers_trusting(pki, pki.alexa.chain))

    assert client.post(encode(conversation.launch())) == (400, {"error": "request is not signed"})
    assert client.health() == 200


def test_a_stale_request_is_refused_with_400_even_when_properly_signed(
    start_server: StartServer, conversation: Conversation, pki: Pki
) -> None:
    client = start_server(verifiers_trusting(pki, pki.alexa.chain))
    conversation.clock = lambda: dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    body = encode(conversation.launch())

    status, answer = client.post(body, **signed_headers(pki.alexa, body))

    assert (status, answer) == (400, {"error": "request timestamp is too far from now"})


def test_a_body_changed_after_signing_is_refused_with_400(
    start_server: StartServer, conversation: Conversation, pki: Pki
) -> None:
    client = start_server(verifiers_trusting(pki, pki.alexa.chain))
    body = encode(conversation.launch())
    headers = signed_headers(pki.alexa, body)

    status, answer = client.post(body.replace(b"{", b"{ ", 1), **headers)  # the same JSON, not the same bytes

    assert (status, answer) == (400, {"error": "signature does not match the body"})


@pytest.mark.parametrize("who", ["untrusted", "other_domain"])
def test_a_signature_from_a_certificate_not_trusted_for_alexa_is_refused_with_400(
    start_server: StartServer, conversation: Conversation, pki: Pki, who: str
) -> None:
    impostor: Signer = getattr(pki, who)
    client = start_server(verifiers_trusting(pki, impostor.chain))
    body = encode(conversation.launch())

    status, answer = client.post(body, **signed_headers(impostor, body))

    assert (status, answer) == (400, {"error": "signature certificate is not trusted for Alexa"})


def test_a_certificate_url_off_amazons_bucket_is_refused_without_fetching_it(
    start_server: StartServer, conversation: Conversation, pki: Pki
) -> None:
    fetched: list[str] = []
    client = start_server(verifiers_trusting(pki, pki.alexa.chain, fetched))
    body = encode(conversation.launch())
    headers = {
        **signed_headers(pki.alexa, body),
        "SignatureCertChainUrl": "https://evil.example/echo.api/c.pem",
    }

    assert client.post(body, **headers)[0] == 400
    assert fetched == []


# Amazon's documented examples of valid and invalid certificate URLs.
@pytest.mark.parametrize(
    "url",
    [
        "https://s3.amazonaws.com/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem",
        "HTTPS://S3.AMAZONAWS.COM/echo.api/echo-api-cert.pem",
    ],
)
def test_amazons_valid_certificate_urls_pass(url: str) -> None:
    check_cert_chain_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://s3.amazonaws.com/echo.api/echo-api-cert.pem",
        "https://notamazon.com/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem",
        "https://s3.amazonaws.com/invalid.path/echo-api-cert.pem",
        "https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/../elsewhere/echo-api-cert.pem",
    ],
)
def test_amazons_invalid_certificate_urls_are_refused(url: str) -> None:
    with pytest.raises(RefusedRequest):
        check_cert_chain_url(url)


def test_skill_events_may_arrive_up_to_an_hour_late_but_requests_may_not(conversation: Conversation) -> None:
    skill = build_skill(Store("unused-table"), AlexaApiClient(), conversation.skill_id)
    late = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=30)
    verifier = TimestampVerifier(clock=lambda: late)

    def envelope(raw: dict[str, Any]) -> RequestEnvelope:
        return skill.serializer.deserialize(payload=json.dumps(raw), obj_type=RequestEnvelope)

    verifier.verify({}, b"", envelope(conversation.skill_event("AlexaSkillEvent.SkillDisabled")))
    with pytest.raises(RefusedRequest):
        verifier.verify({}, b"", envelope(conversation.launch()))


# --- the command itself ---


@pytest.mark.parametrize(
    ("stop_signal", "flags"), [(signal.SIGTERM, []), (signal.SIGINT, ["--no-verify"])], ids=["term", "int"]
)
def test_closer_serve_answers_health_and_stops_cleanly_on_a_signal(
    stop_signal: signal.Signals, flags: list[str]
) -> None:
    environment = {**os.environ, "TABLE_NAME": "closer-test-table", "SKILL_ID": Conversation().skill_id}
    process = subprocess.Popen(
        [sys.executable, "-m", "skill.tools", "serve", "--port", "0", *flags],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        listening = re.search(r"http://127\.0\.0\.1:\d+", process.stdout.readline())
        assert listening, "the server did not say where it listens"
        client = Client(listening.group(0))
        assert client.health() == 200
        process.send_signal(stop_signal)
        out, err = process.communicate(timeout=10)
    finally:
        process.kill()

    assert process.returncode == 0, err
    assert "Stopped." in out
    assert ("WARNING: --no-verify" in err) == ("--no-verify" in flags)
