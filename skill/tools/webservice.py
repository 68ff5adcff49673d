"""Alexa's contract for a skill hosted as a web service, independent of any HTTP server.

Amazon requires a self-hosted endpoint to check that each request is signed by Alexa (the certificate
chain at `SignatureCertChainUrl`, the `Signature-256` header over the raw body) and recent (its timestamp
within 150 seconds, or an hour for skill events), and to answer 400 when it is not. These are the checks of
ask-sdk-webservice-support's RequestVerifier and TimestampVerifier. We implement them on `cryptography`'s
X.509 path validation because that package's verifier imports certvalidator and oscrypto, and
oscrypto 1.3.0 (the latest release) cannot parse OpenSSL version strings like "3.0.19", so it fails to
import on current Debian and Ubuntu.

Anyone can send bytes to the endpoint, so the order matters: the signature is checked over the raw body
before the body is parsed at all, and what is parsed is bounded (size, nesting, the timestamp's form)
before the SDK deserialises it. Whatever the input, it is answered or refused with a 4xx.
"""

import base64
import binascii
import json
import posixpath
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit

import certifi
import urllib3
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
# Amazon's signing keys are RSA; anything shorter than 2048 bits is forgeable in practice.
MIN_RSA_KEY_BITS = 2048
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
# Alexa's requests are a few kilobytes: the context, and session attributes no larger than the skill's own
# responses (ours hold a few keys). A body near this size is not from Alexa.
MAX_REQUEST_BYTES = 128 * 1024
# Alexa's envelopes nest about ten deep; the SDK recurses through them (reading, copying the session
# attributes, writing the response), a frame or two a level.
MAX_JSON_DEPTH = 64
# An ISO 8601 instant with fractions of a second and an offset is under 40 characters.
MAX_TIMESTAMP_CHARS = 40
MAX_CERT_CHAIN_URL_CHARS = 512
MAX_CERT_CHAIN_BYTES = 64 * 1024
# Alexa signs with a handful of long-lived chains; the cache holds those, not whatever callers name.
CERT_CHAIN_CACHE_SIZE = 8
FETCH_TIMEOUT = urllib3.Timeout(connect=1.0, read=2.0)

Headers = Mapping[str, str]  # names in lower case

# Amazon's certificate URLs are plain ASCII paths; anything else (userinfo's "@", a backslash, percent
# escapes such as "%2e%2e", whitespace, a query) could be read one way here and another by the fetch.
_CERT_CHAIN_URL_CHARS = re.compile(r"[A-Za-z0-9._~:/-]+")
_CERT_CHAIN_NETLOCS = frozenset({CERT_CHAIN_HOST, f"{CERT_CHAIN_HOST}:443"})


class RefusedRequest(Exception):
    """The request must not reach the skill; answer with `status`."""

    def __init__(self, status: HTTPStatus, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def _bad_request(reason: str) -> RefusedRequest:
    return RefusedRequest(HTTPStatus.BAD_REQUEST, reason)


def cert_chain_url(url: str) -> str:
    """The one reading of a certificate URL: Amazon's rules checked, and the canonical URL to fetch.

    Amazon's rules: https, s3.amazonaws.com, port 443, a path under /echo.api/ (case-sensitive) once
    "." and ".." are resolved. The URL returned is what is fetched and what the cache is keyed by, so
    the check and the download cannot disagree about where the chain comes from."""
    if len(url) > MAX_CERT_CHAIN_URL_CHARS or not _CERT_CHAIN_URL_CHARS.fullmatch(url):
        raise _bad_request("signature certificate URL has characters Amazon's URLs never have")
    parts = urlsplit(url)
    if parts.scheme.lower() != "https" or parts.netloc.lower() not in _CERT_CHAIN_NETLOCS:
        raise _bad_request("signature certificate URL is not https://s3.amazonaws.com on port 443")
    path = posixpath.normpath(parts.path)
    if not path.startswith(CERT_CHAIN_PATH):
        raise _bad_request("signature certificate URL is not under /echo.api/")
    return f"https://{CERT_CHAIN_HOST}{path}"


_downloads = urllib3.PoolManager(ca_certs=certifi.where(), retries=False, timeout=FETCH_TIMEOUT)


def fetch_cert_chain(url: str) -> bytes:
    """Download a PEM certificate chain: small, quickly (Alexa waits for the answer), no redirects."""
    try:
        response = _downloads.request("GET", url, redirect=False, preload_content=False)
        try:
            if response.status != HTTPStatus.OK:
                raise OSError(f"the certificate URL answered {response.status}")
            pem = response.read(MAX_CERT_CHAIN_BYTES + 1)
        finally:
            response.close()
    except urllib3.exceptions.HTTPError as error:
        raise OSError(f"the certificate URL could not be read: {type(error).__name__}") from error
    if len(pem) > MAX_CERT_CHAIN_BYTES:
        raise ValueError("the certificate chain is larger than any real one")
    return bytes(pem)


def public_trust_roots() -> list[x509.Certificate]:
    """The web's trusted root CAs (Mozilla's list, as certifi ships it)."""
    return x509.load_pem_x509_certificates(Path(certifi.where()).read_bytes())


@dataclass(frozen=True)
class TrustedSigner:
    """Alexa's public key from a validated chain, usable while every certificate of the chain is valid."""

    key: RSAPublicKey
    valid_from: datetime
    valid_until: datetime

    def usable_at(self, moment: datetime) -> bool:
        return self.valid_from <= moment <= self.valid_until


class SignatureVerifier:
    """The body is signed (SHA256withRSA) by an echo-api.amazon.com certificate chaining to a trusted root."""

    def __init__(
        self,
        trust_roots: Sequence[x509.Certificate] | None = None,
        fetch: Callable[[str], bytes] = fetch_cert_chain,
    ) -> None:
        self._store = Store(list(trust_roots) if trust_roots is not None else public_trust_roots())
        self._fetch = fetch
        # Fetching a chain on every request would add latency; only chains that validated are kept,
        # keyed by the canonical URL, least recently used first out.
        self._signers: OrderedDict[str, TrustedSigner] = OrderedDict()
        self._lock = threading.Lock()

    def verify(self, headers: Headers, body: bytes) -> None:
        """Raises RefusedRequest unless `body`, exactly as received, carries Alexa's signature."""
        url, signature = headers.get(CERT_CHAIN_URL_HEADER), headers.get(SIGNATURE_HEADER)
        if not url or not signature:
            raise _bad_request("request is not signed")
        key = self._signer(cert_chain_url(url))
        try:
            key.verify(base64.b64decode(signature, validate=True), body, PKCS1v15(), SHA256())
        except (InvalidSignature, binascii.Error) as error:
            raise _bad_request("signature does not match the body") from error

    def _signer(self, url: str) -> RSAPublicKey:
        now = datetime.now(UTC)
        with self._lock:
            cached = self._signers.get(url)
            if cached is not None and cached.usable_at(now):
                self._signers.move_to_end(url)
                return cached.key
        signer = self._validated(self._download(url), now)
        with self._lock:
            self._signers[url] = signer
            self._signers.move_to_end(url)
            while len(self._signers) > CERT_CHAIN_CACHE_SIZE:
                self._signers.popitem(last=False)
        return signer.key

    def _download(self, url: str) -> list[x509.Certificate]:
        try:
            chain = x509.load_pem_x509_certificates(self._fetch(url))
        except (OSError, ValueError) as error:  # ValueError also when it holds no certificate at all
            raise _bad_request("signature certificate chain could not be loaded") from error
        return chain

    def _validated(self, chain: list[x509.Certificate], now: datetime) -> TrustedSigner:
        leaf, *intermediates = chain
        # A web-PKI server policy checks validity dates, the chain up to a trusted root and that the
        # subject alternative names match echo-api.amazon.com (a wildcard would match too; see below).
        verifier = (
            PolicyBuilder().store(self._store).time(now).build_server_verifier(DNSName(ALEXA_SIGNING_DOMAIN))
        )
        try:
            validated = verifier.verify(leaf, intermediates)
            usage = leaf.extensions.get_extension_for_class(x509.KeyUsage).value
            names = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        except (VerificationError, x509.ExtensionNotFound) as error:
            raise _bad_request("signature certificate is not trusted for Alexa") from error
        # Amazon requires the name itself among the SANs: "*.amazon.com" is not Alexa's certificate.
        if ALEXA_SIGNING_DOMAIN not in {name.lower() for name in names.get_values_for_type(x509.DNSName)}:
            raise _bad_request("signature certificate is not trusted for Alexa")
        key = leaf.public_key()
        if not usage.digital_signature or not isinstance(key, RSAPublicKey):
            raise _bad_request("signature certificate is not an RSA signing certificate")
        if key.key_size < MIN_RSA_KEY_BITS:
            raise _bad_request(f"signature certificate's key is shorter than {MIN_RSA_KEY_BITS} bits")
        return TrustedSigner(
            key=key,
            valid_from=max(certificate.not_valid_before_utc for certificate in validated),
            valid_until=min(certificate.not_valid_after_utc for certificate in validated),
        )


@dataclass(frozen=True)
class WireRequest:
    """What the checks read from the request's JSON, before the SDK deserialises it."""

    text: str
    request_type: str
    timestamp: datetime
    application_id: str | None


class TimestampVerifier:
    """The request was made just now, so a captured request cannot be replayed later."""

    def __init__(self, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._clock = clock

    def verify(self, request: WireRequest) -> None:
        tolerance = SKILL_EVENT_TOLERANCE if request.request_type in SKILL_EVENTS else REQUEST_TOLERANCE
        if abs(self._clock() - request.timestamp) > tolerance:
            raise _bad_request("request timestamp is too far from now")


@dataclass(frozen=True)
class AlexaChecks:
    """What Amazon requires of every request to a self-hosted skill: signed by Alexa, and recent."""

    signature: SignatureVerifier
    timestamp: TimestampVerifier


def alexa_checks() -> AlexaChecks:
    """Amazon's checks against the public web PKI and the real clock."""
    return AlexaChecks(SignatureVerifier(), TimestampVerifier())


def _not_json(constant: str) -> NoReturn:
    # NaN and Infinity are Python's extensions, not JSON; echoed back, they would make invalid JSON.
    raise ValueError(f"{constant} is not JSON")


def _depth(document: Any) -> int:
    """How deeply lists and objects nest, counted without recursing (the input is anyone's)."""
    deepest, pending = 0, [(document, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, depth)
            children = value.values() if isinstance(value, dict) else value
            pending.extend((child, depth + 1) for child in children)
    return deepest


def _parse(text: str) -> dict[str, Any]:
    try:
        document = json.loads(text, parse_constant=_not_json)
    except (ValueError, RecursionError) as error:
        raise _bad_request("body is not JSON") from error
    if not isinstance(document, dict):
        raise _bad_request("body is not an Alexa request envelope")
    if _depth(document) > MAX_JSON_DEPTH:
        raise _bad_request("body nests deeper than an Alexa request envelope")
    return document


def _timestamp(value: Any) -> datetime:
    # Read strictly here, so an unbounded string never reaches the SDK's lenient date parser.
    if not isinstance(value, str) or len(value) > MAX_TIMESTAMP_CHARS:
        raise _bad_request("request has no timestamp with a time zone")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise _bad_request("request has no timestamp with a time zone") from error
    if moment.tzinfo is None:
        raise _bad_request("request has no timestamp with a time zone")
    return moment


def _member(document: Any, *path: str) -> Any:
    for key in path:
        document = document.get(key) if isinstance(document, dict) else None
    return document


def _wire_request(body: bytes) -> WireRequest:
    """The envelope's JSON and the fields the checks need, or RefusedRequest for what is not one."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _bad_request("body is not UTF-8") from error
    document = _parse(text)
    request = document.get("request")
    if not isinstance(request, dict) or not isinstance(request.get("type"), str):
        raise _bad_request("body is not an Alexa request envelope")
    application_id = _member(document, "context", "System", "application", "applicationId")
    return WireRequest(
        text=text,
        request_type=request["type"],
        timestamp=_timestamp(request.get("timestamp")),
        application_id=application_id if isinstance(application_id, str) else None,
    )


def _envelope(skill: CustomSkill, request: WireRequest) -> RequestEnvelope:
    try:
        envelope = skill.serializer.deserialize(payload=request.text, obj_type=RequestEnvelope)
    except SerializationException as error:  # the SDK wraps whatever its reading raised
        raise _bad_request("body is not an Alexa request envelope") from error
    system = envelope.context.system if envelope.context is not None else None
    if system is None or system.application is None:
        raise _bad_request("request envelope has no context")
    # The SDK also copies unknown keys onto its objects, so "application_id" could stand in for
    # "applicationId": the skill must see the id that was checked.
    if system.application.application_id != request.application_id:
        raise _bad_request("request envelope names its skill twice, differently")
    return envelope


class AlexaWebService:
    """The skill behind Alexa's web-service contract: refuse what fails a check, answer the rest."""

    def __init__(self, skill: CustomSkill, checks: AlexaChecks | None) -> None:
        """`checks` None serves unsigned requests (`closer serve --no-verify`, for local tools only)."""
        self._skill = skill
        self._checks = checks

    def answer(self, headers: Headers, body: bytes) -> bytes:
        """The response envelope as JSON bytes; raises RefusedRequest for what must not be answered."""
        if len(body) > MAX_REQUEST_BYTES:
            raise RefusedRequest(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "body is too large")
        if self._checks is not None:
            # Over the bytes exactly as received, and before any parsing: unsigned input costs nothing.
            self._checks.signature.verify(headers, body)
        request = _wire_request(body)
        if self._checks is not None:
            self._checks.timestamp.verify(request)
        if request.application_id != self._skill.skill_id:
            raise RefusedRequest(HTTPStatus.FORBIDDEN, "request is for another skill")
        response = self._skill.invoke(request_envelope=_envelope(self._skill, request), context=None)
        return json.dumps(self._skill.serializer.serialize(response)).encode("utf-8")
