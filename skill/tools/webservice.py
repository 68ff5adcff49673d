"""Alexa's contract for a skill hosted as a web service, independent of any HTTP server.

Amazon requires a self-hosted endpoint to check that each request is signed by Alexa (the certificate
chain at `SignatureCertChainUrl`, the `Signature-256` header over the raw body) and recent (its timestamp
within 150 seconds, or an hour for skill events), and to answer 400 when it is not. These are the checks of
ask-sdk-webservice-support's RequestVerifier and TimestampVerifier. We implement them on `cryptography`'s
X.509 path validation because that package's verifier imports certvalidator and oscrypto, and
oscrypto 1.3.0 (the latest release) cannot parse OpenSSL version strings like "3.0.19", so it fails to
import on current Debian and Ubuntu.
"""

import base64
import binascii
import json
import posixpath
import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit
from urllib.request import urlopen

import certifi
from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.skill import CustomSkill
from ask_sdk_model import RequestEnvelope
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.x509.verification import DNSName, PolicyBuilder, Store, VerificationError

SIGNATURE_HEADER = "signature-256"
CERT_CHAIN_URL_HEADER = "signaturecertchainurl"
CERT_CHAIN_HOST = "s3.amazonaws.com"
CERT_CHAIN_PATH = "/echo.api/"
ALEXA_SIGNING_DOMAIN = "echo-api.amazon.com"
REQUEST_TOLERANCE = timedelta(seconds=150)
# Alexa may deliver skill events late; Amazon allows them an hour.
SKILL_EVENT_TOLERANCE = timedelta(hours=1)
SKILL_EVENTS = frozenset(
    {
        "AlexaSkillEvent.SkillEnabled",
        "AlexaSkillEvent.SkillDisabled",
        "AlexaSkillEvent.SkillPermissionChanged",
        "AlexaSkillEvent.SkillPermissionAccepted",
        "AlexaSkillEvent.SkillAccountLinked",
    }
)
MAX_CERT_CHAIN_BYTES = 64 * 1024
FETCH_TIMEOUT_SECONDS = 3.0

Headers = Mapping[str, str]  # names in lower case


class RefusedRequest(Exception):
    """The request must not reach the skill; answer with `status`."""

    def __init__(self, status: HTTPStatus, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def _bad_request(reason: str) -> RefusedRequest:
    return RefusedRequest(HTTPStatus.BAD_REQUEST, reason)


class Verifier(Protocol):
    """One check a request must pass before the skill sees it; raises RefusedRequest if it fails."""

    def verify(self, headers: Headers, body: bytes, envelope: RequestEnvelope) -> None: ...


def check_cert_chain_url(url: str) -> None:
    """Amazon's rules for the chain's URL: https, s3.amazonaws.com, port 443, a path under /echo.api/."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError as error:
        raise _bad_request("signature certificate URL has an invalid port") from error
    if parts.scheme.lower() != "https" or (parts.hostname or "").lower() != CERT_CHAIN_HOST:
        raise _bad_request("signature certificate URL is not on https://s3.amazonaws.com")
    if port not in (None, 443):
        raise _bad_request("signature certificate URL is not on port 443")
    # Normalised so "/echo.api/../elsewhere" cannot pass; the comparison stays case-sensitive.
    if not posixpath.normpath(parts.path).startswith(CERT_CHAIN_PATH):
        raise _bad_request("signature certificate URL is not under /echo.api/")


def fetch_cert_chain(url: str) -> bytes:
    """Download a PEM certificate chain (small, and quickly, since Alexa waits for the answer)."""
    with urlopen(url, timeout=FETCH_TIMEOUT_SECONDS) as response:
        return bytes(response.read(MAX_CERT_CHAIN_BYTES))


def public_trust_roots() -> list[x509.Certificate]:
    """The web's trusted root CAs (Mozilla's list, as certifi ships it)."""
    return x509.load_pem_x509_certificates(Path(certifi.where()).read_bytes())


class SignatureVerifier:
    """The body is signed (SHA256withRSA) by an echo-api.amazon.com certificate chaining to a trusted root."""

    def __init__(
        self,
        trust_roots: Sequence[x509.Certificate] | None = None,
        fetch: Callable[[str], bytes] = fetch_cert_chain,
    ) -> None:
        self._store = Store(list(trust_roots) if trust_roots is not None else public_trust_roots())
        self._fetch = fetch
        # Alexa signs with a handful of long-lived chains; fetching one per request would add latency.
        self._chains: dict[str, list[x509.Certificate]] = {}
        self._lock = threading.Lock()

    def verify(self, headers: Headers, body: bytes, envelope: RequestEnvelope) -> None:
        url, signature = headers.get(CERT_CHAIN_URL_HEADER), headers.get(SIGNATURE_HEADER)
        if not url or not signature:
            raise _bad_request("request is not signed")
        check_cert_chain_url(url)
        signer = self._trusted_signer(url)
        try:
            signer.verify(base64.b64decode(signature, validate=True), body, PKCS1v15(), SHA256())
        except (InvalidSignature, binascii.Error) as error:
            raise _bad_request("signature does not match the body") from error

    def _chain(self, url: str) -> list[x509.Certificate]:
        with self._lock:
            cached = self._chains.get(url)
        if cached is not None:
            return cached
        try:
            chain = x509.load_pem_x509_certificates(self._fetch(url))
        except (OSError, ValueError) as error:
            raise _bad_request("signature certificate chain could not be loaded") from error
        with self._lock:
            self._chains[url] = chain
        return chain

    def _trusted_signer(self, url: str) -> RSAPublicKey:
        leaf, *intermediates = self._chain(url)
        # A web-PKI server policy checks validity dates, the chain up to a trusted root and that the
        # subject alternative names include echo-api.amazon.com.
        verifier = PolicyBuilder().store(self._store).build_server_verifier(DNSName(ALEXA_SIGNING_DOMAIN))
        try:
            verifier.verify(leaf, intermediates)
            usage = leaf.extensions.get_extension_for_class(x509.KeyUsage).value
        except (VerificationError, x509.ExtensionNotFound) as error:
            raise _bad_request("signature certificate is not trusted for Alexa") from error
        public_key = leaf.public_key()
        if not usage.digital_signature or not isinstance(public_key, RSAPublicKey):
            raise _bad_request("signature certificate is not an RSA signing certificate")
        return public_key


class TimestampVerifier:
    """The request was made just now, so a captured request cannot be replayed later."""

    def __init__(self, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._clock = clock

    def verify(self, headers: Headers, body: bytes, envelope: RequestEnvelope) -> None:
        timestamp = envelope.request.timestamp
        if timestamp is None or timestamp.tzinfo is None:
            raise _bad_request("request has no timestamp with a time zone")
        tolerance = (
            SKILL_EVENT_TOLERANCE if envelope.request.object_type in SKILL_EVENTS else REQUEST_TOLERANCE
        )
        if abs(self._clock() - timestamp) > tolerance:
            raise _bad_request("request timestamp is too far from now")


def alexa_verifiers() -> list[Verifier]:
    """What Amazon requires of every request to a self-hosted skill."""
    return [SignatureVerifier(), TimestampVerifier()]


def _envelope(skill: CustomSkill, text: str) -> RequestEnvelope:
    try:
        parsed = json.loads(text)
    except ValueError as error:
        raise _bad_request("body is not JSON") from error
    if not isinstance(parsed, dict) or not isinstance(parsed.get("request"), dict):
        raise _bad_request("body is not an Alexa request envelope")
    try:
        envelope = skill.serializer.deserialize(payload=text, obj_type=RequestEnvelope)
    except SerializationException as error:
        raise _bad_request("body is not an Alexa request envelope") from error
    if envelope.context is None or envelope.context.system is None:
        raise _bad_request("request envelope has no context")
    return envelope


class AlexaWebService:
    """The skill behind Alexa's web-service contract: refuse what fails a check, answer the rest."""

    def __init__(self, skill: CustomSkill, verifiers: Sequence[Verifier]) -> None:
        self._skill = skill
        self._verifiers = list(verifiers)

    def answer(self, headers: Headers, body: bytes) -> bytes:
        """The response envelope as JSON bytes; raises RefusedRequest for what must not be answered."""
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as error:
            raise _bad_request("body is not UTF-8") from error
        envelope = _envelope(self._skill, text)
        for verifier in self._verifiers:
            # The signature covers the bytes Alexa sent, so verifiers see the body exactly as received.
            verifier.verify(headers, body, envelope)
        application = envelope.context.system.application
        if application is None or application.application_id != self._skill.skill_id:
            raise RefusedRequest(HTTPStatus.FORBIDDEN, "request is for another skill")
        response = self._skill.invoke(request_envelope=envelope, context=None)
        return json.dumps(self._skill.serializer.serialize(response)).encode("utf-8")
