"""`closer serve`: the skill answering real HTTP on 127.0.0.1, with Alexa's request checks on or off.

Signed requests are tested offline with a certificate chain made here: the verifier is given our test
root as its only trust anchor and a fetcher that returns our chain instead of downloading Amazon's.
Everything else (URL rules, path validation, SAN, key size and usage, the signature over the raw body,
the cache of validated chains) is the code that runs in production. What cannot be tested offline is
Amazon's real chain from s3.amazonaws.com. The server and its fixtures are in tests/skill/conftest.py;
hostile traffic (slow clients, floods, malformed bodies) is in test_serve_hostile.py.
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
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from skill.tools.console.envelopes import Conversation
from skill.tools.webservice import (
    CERT_CHAIN_CACHE_SIZE,
    MAX_CERT_CHAIN_URL_CHARS,
    MAX_JSON_DEPTH,
    MAX_REQUEST_BYTES,
    AlexaChecks,
    AlexaWebService,
    RefusedRequest,
    SignatureVerifier,
    TimestampVerifier,
    alexa_checks,
    cert_chain_url,
)
from tests.support import check_response_envelope

CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-test.pem"
ALEXA_DOMAIN = "echo-api.amazon.com"


# --- a certificate authority of our own, standing in for the public one behind Amazon's chain ---


@dataclass(frozen=True)
class Authority:
    key: rsa.RSAPrivateKey
    certificate: x509.Certificate


def _rsa_key(bits: int = 2048) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


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


def _signing_usage(digital_signature: bool = True) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=digital_signature,
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


def signer(issuer: Authority, name: str = ALEXA_DOMAIN, bits: int = 2048, signs: bool = True) -> Signer:
    """A signing certificate whose only SAN is `name`, with a key of `bits`, issued by `issuer`; without
    the digitalSignature key usage unless it `signs`."""
    key = _rsa_key(bits)
    certificate = (
        _builder(name, key, issuer.certificate)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_signing_usage(signs), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .sign(issuer.key, hashes.SHA256())
    )
    return Signer(key, b"".join(c.public_bytes(Encoding.PEM) for c in (certificate, issuer.certificate)))


@dataclass(frozen=True)
class Pki:
    root: Authority
    alexa: Signer
    other_domain: Signer
    untrusted: Signer
    wildcard: Signer
    short_key: Signer
    not_for_signing: Signer


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
        wildcard=signer(intermediate, "*.amazon.com"),
        short_key=signer(intermediate, bits=1024),
        not_for_signing=signer(intermediate, signs=False),
    )


# --- requests, signatures and what the certificate URL serves ---


def encode(envelope: dict[str, Any]) -> bytes:
    return json.dumps(envelope).encode("utf-8")


def signed_headers(alexa: Signer, body: bytes, url: str = CERT_URL) -> dict[str, str]:
    return {"SignatureCertChainUrl": url, "Signature-256": alexa.sign(body)}


@dataclass
class CertificateUrls:
    """Stands in for s3.amazonaws.com: serves `chain` at every URL and records what was fetched."""

    chain: bytes
    fetched: list[str]

    def __call__(self, url: str) -> bytes:
        self.fetched.append(url)
        return self.chain


def serving(chain: bytes) -> CertificateUrls:
    return CertificateUrls(chain, [])


def checks_trusting(
    pki: Pki, urls: CertificateUrls, clock: Callable[[], dt.datetime] | None = None
) -> AlexaChecks:
    """Production's checks, trusting only our test root, with `urls` standing in for Amazon's bucket."""
    timestamps = TimestampVerifier(clock) if clock else TimestampVerifier()
    return AlexaChecks(SignatureVerifier(trust_roots=[pki.root.certificate], fetch=urls), timestamps)


# --- without verification ---


def test_health_answers_200_with_json(start_server) -> None:
    client = start_server(None)
    assert client.request("GET", "/health") == (200, {"status": "ok"})


def test_a_launch_request_is_answered_with_a_response_envelope(start_server, conversation) -> None:
    status, answer = start_server(None).post(encode(conversation.launch()))

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
    start_server, conversation, body: bytes
) -> None:
    client = start_server(None)

    status, answer = client.post(body)

    assert status == 400
    assert answer["error"]
    assert client.health() == 200
    assert client.post(encode(conversation.launch()))[0] == 200


def test_a_request_for_another_skill_is_refused_with_403(start_server, conversation) -> None:
    conversation.skill_id = "amzn1.ask.skill.11111111-2222-4333-8444-555555555555"
    status, answer = start_server(None).post(encode(conversation.launch()))

    assert status == 403
    assert answer == {"error": "request is for another skill"}


def test_unknown_paths_get_404(start_server) -> None:
    client = start_server(None)
    assert client.request("GET", "/")[0] == 404
    assert client.request("POST", "/elsewhere", b"{}")[0] == 404


# --- with Alexa's checks on ---


def test_a_signed_recent_request_is_answered(start_server, conversation, pki: Pki) -> None:
    urls = serving(pki.alexa.chain)
    client = start_server(checks_trusting(pki, urls))
    body = encode(conversation.launch())

    status, answer = client.post(body, **signed_headers(pki.alexa, body))
    again = encode(conversation.launch())
    assert client.post(again, **signed_headers(pki.alexa, again))[0] == 200

    assert status == 200
    check_response_envelope(answer)
    assert urls.fetched == [CERT_URL]  # the chain is fetched once, then cached


def test_an_unsigned_request_is_refused_with_400(start_server, conversation, pki: Pki) -> None:
    client = start_server(checks_trusting(pki, serving(pki.alexa.chain)))

    assert client.post(encode(conversation.launch())) == (400, {"error": "request is not signed"})
    assert client.health() == 200


def test_a_stale_request_is_refused_with_400_even_when_properly_signed(
    start_server, conversation, pki: Pki
) -> None:
    client = start_server(checks_trusting(pki, serving(pki.alexa.chain)))
    conversation.clock = lambda: dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    body = encode(conversation.launch())

    status, answer = client.post(body, **signed_headers(pki.alexa, body))

    assert (status, answer) == (400, {"error": "request timestamp is too far from now"})


@pytest.mark.parametrize("skill_event", [False, True], ids=["request", "skill event"])
@pytest.mark.parametrize("direction", [-1, 1], ids=["past", "future"])
def test_a_signed_request_is_answered_up_to_its_tolerance_either_side_of_now_and_refused_past_it(
    start_server, conversation, pki: Pki, direction: int, skill_event: bool
) -> None:
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    client = start_server(checks_trusting(pki, serving(pki.alexa.chain), clock=lambda: now))
    # Amazon's own limits, not our constants: a widened tolerance must fail here.
    tolerance = dt.timedelta(hours=1) if skill_event else dt.timedelta(seconds=150)

    def post_from(offset: dt.timedelta) -> tuple[int, Any]:
        conversation.clock = lambda: now + direction * offset
        envelope = conversation.skill_event("AlexaSkillEvent.SkillEnabled") if skill_event else None
        body = encode(envelope or conversation.launch())
        return client.post(body, **signed_headers(pki.alexa, body))

    assert post_from(tolerance)[0] == 200
    assert post_from(tolerance + dt.timedelta(seconds=1)) == (
        400,
        {"error": "request timestamp is too far from now"},
    )


@pytest.mark.parametrize("missing", ["Signature-256", "SignatureCertChainUrl"])
def test_a_request_with_only_half_a_signature_is_refused_unfetched(
    start_server, conversation, pki: Pki, missing: str
) -> None:
    urls = serving(pki.alexa.chain)
    client = start_server(checks_trusting(pki, urls))
    body = encode(conversation.launch())
    headers = signed_headers(pki.alexa, body)
    del headers[missing]

    assert client.post(body, **headers) == (400, {"error": "request is not signed"})
    assert urls.fetched == []


def test_skill_events_may_arrive_up_to_an_hour_late_but_requests_may_not(
    start_server, conversation, pki: Pki
) -> None:
    half_an_hour_on = lambda: dt.datetime.now(dt.UTC) + dt.timedelta(minutes=30)  # noqa: E731
    client = start_server(checks_trusting(pki, serving(pki.alexa.chain), clock=half_an_hour_on))
    event = encode(conversation.skill_event("AlexaSkillEvent.SkillPermissionAccepted"))
    launch = encode(conversation.launch())

    assert client.post(event, **signed_headers(pki.alexa, event))[0] == 200
    assert client.post(launch, **signed_headers(pki.alexa, launch)) == (
        400,
        {"error": "request timestamp is too far from now"},
    )


def test_a_body_changed_after_signing_is_refused_with_400(start_server, conversation, pki: Pki) -> None:
    client = start_server(checks_trusting(pki, serving(pki.alexa.chain)))
    body = encode(conversation.launch())
    headers = signed_headers(pki.alexa, body)

    status, answer = client.post(body.replace(b"{", b"{ ", 1), **headers)  # the same JSON, not the same bytes

    assert (status, answer) == (400, {"error": "signature does not match the body"})


@pytest.mark.parametrize(
    ("who", "reason"),
    [
        ("untrusted", "signature certificate is not trusted for Alexa"),
        ("other_domain", "signature certificate is not trusted for Alexa"),
        # A wildcard matches echo-api.amazon.com in the web PKI, but Amazon requires the name itself.
        ("wildcard", "signature certificate is not trusted for Alexa"),
        ("short_key", "signature certificate's key is shorter than 2048 bits"),
        ("not_for_signing", "signature certificate is not an RSA signing certificate"),
    ],
)
def test_a_signature_from_a_certificate_not_fit_for_alexa_is_refused_with_400(
    start_server, conversation, pki: Pki, who: str, reason: str
) -> None:
    impostor: Signer = getattr(pki, who)
    client = start_server(checks_trusting(pki, serving(impostor.chain)))
    body = encode(conversation.launch())

    status, answer = client.post(body, **signed_headers(impostor, body))

    assert (status, answer) == (400, {"error": reason})


def test_a_certificate_url_off_amazons_bucket_is_refused_without_fetching_it(
    start_server, conversation, pki: Pki
) -> None:
    urls = serving(pki.alexa.chain)
    client = start_server(checks_trusting(pki, urls))
    body = encode(conversation.launch())

    headers = signed_headers(pki.alexa, body, "https://evil.example/echo.api/c.pem")

    assert client.post(body, **headers)[0] == 400
    assert urls.fetched == []


# Each would pass a check that reads the URL one way while the download reads it another.
@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example@s3.amazonaws.com/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com\\@evil.example/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api\\..\\elsewhere/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/%2e%2e/elsewhere/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/%2E%2E%2Felsewhere/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/\techo-api-cert.pem",
        "https://s3.amazon\taws.com/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/echo-api-cert.pem?x=../elsewhere",
        "https://s3.amazonaws.com/echo.api/echo-api-cert.pem#fragment",
        "https://s3.amazonaws.com/echo.api/échö-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/echo api cert.pem",
    ],
    ids=[
        "userinfo",
        "backslash-host",
        "backslash-path",
        "encoded-dots",
        "encoded-slash",
        "tab-in-path",
        "tab-in-host",
        "query",
        "fragment",
        "non-ascii",
        "spaces",
    ],
)
def test_a_certificate_url_read_differently_by_check_and_fetch_is_refused_with_400_unfetched(
    start_server, conversation, pki: Pki, url: str
) -> None:
    urls = serving(pki.alexa.chain)
    client = start_server(checks_trusting(pki, urls))
    body = encode(conversation.launch())

    status, answer = client.post(body, **signed_headers(pki.alexa, body, url))

    assert status == 400, answer
    assert urls.fetched == []


# Amazon's documented examples of valid certificate URLs: each is fetched in one canonical form.
@pytest.mark.parametrize(
    "url",
    [
        "https://s3.amazonaws.com/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem",
        "HTTPS://S3.AMAZONAWS.COM/echo.api/echo-api-cert.pem",
    ],
)
def test_amazons_valid_certificate_urls_pass_in_canonical_form(url: str) -> None:
    assert cert_chain_url(url) == "https://s3.amazonaws.com/echo.api/echo-api-cert.pem"


@pytest.mark.parametrize(
    "url",
    [
        # Amazon's documented examples of invalid ones
        "http://s3.amazonaws.com/echo.api/echo-api-cert.pem",
        "https://notamazon.com/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem",
        "https://s3.amazonaws.com/invalid.path/echo-api-cert.pem",
        "https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem",
        # and ours
        "https://s3.amazonaws.com/echo.api/../elsewhere/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/",
        "https://s3.amazonaws.com//echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com:abc/echo.api/echo-api-cert.pem",
        "https://user:pass@s3.amazonaws.com/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/" + "a" * 600 + ".pem",
        # hosts that only end, or only begin, like Amazon's
        "https://evils3.amazonaws.com/echo.api/echo-api-cert.pem",
        "https://bucket.s3.amazonaws.com/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com.evil.example/echo.api/echo-api-cert.pem",
    ],
)
def test_amazons_invalid_certificate_urls_are_refused(url: str) -> None:
    with pytest.raises(RefusedRequest):
        cert_chain_url(url)


def test_spellings_of_one_certificate_url_share_one_fetch_of_its_canonical_form(
    start_server, conversation, pki: Pki
) -> None:
    urls = serving(pki.alexa.chain)
    client = start_server(checks_trusting(pki, urls))
    spellings = [
        "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert-test.pem",
        "HTTPS://S3.AMAZONAWS.COM:443/echo.api/echo-api-cert-test.pem",
        CERT_URL,
    ]

    for url in spellings:
        body = encode(conversation.launch())
        assert client.post(body, **signed_headers(pki.alexa, body, url))[0] == 200

    assert urls.fetched == [CERT_URL]


def test_a_chain_that_failed_validation_is_not_remembered(start_server, conversation, pki: Pki) -> None:
    urls = serving(pki.untrusted.chain)
    client = start_server(checks_trusting(pki, urls))
    refused = encode(conversation.launch())
    assert client.post(refused, **signed_headers(pki.alexa, refused))[0] == 400

    urls.chain = pki.alexa.chain  # the URL now serves Alexa's chain
    body = encode(conversation.launch())

    assert client.post(body, **signed_headers(pki.alexa, body))[0] == 200
    assert urls.fetched == [CERT_URL, CERT_URL]


def test_the_cache_of_validated_chains_is_bounded(start_server, conversation, pki: Pki) -> None:
    urls = serving(pki.alexa.chain)
    client = start_server(checks_trusting(pki, urls))
    names = [f"https://s3.amazonaws.com/echo.api/cert-{n}.pem" for n in range(CERT_CHAIN_CACHE_SIZE + 1)]

    for url in [*names, names[-1], names[0]]:
        body = encode(conversation.launch())
        assert client.post(body, **signed_headers(pki.alexa, body, url))[0] == 200

    # The newest was still held; the oldest had made room, so it was fetched again.
    assert urls.fetched == [*names, names[0]]


# --- verify before you parse ---


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[" * 100_000,
        # dateutil's parser, which the SDK uses, takes seconds over a long run of digits
        json.dumps({"request": {"type": "LaunchRequest", "timestamp": "1" * 100_000}}).encode(),
    ],
    ids=["not-json", "deeply-nested", "long-timestamp"],
)
def test_an_unsigned_body_is_refused_as_unsigned_before_it_is_parsed(
    start_server, pki: Pki, body: bytes
) -> None:
    urls = serving(pki.alexa.chain)
    client = start_server(checks_trusting(pki, urls))

    assert client.post(body) == (400, {"error": "request is not signed"})
    assert urls.fetched == []


def test_a_body_larger_than_any_alexa_request_gets_413_even_when_signed(
    start_server, conversation, pki: Pki
) -> None:
    client = start_server(checks_trusting(pki, serving(pki.alexa.chain)))
    launch = conversation.launch()
    fits = encode({**launch, "session": {**launch["session"], "attributes": {"pad": "x" * 100_000}}})
    too_large = encode({**launch, "session": {**launch["session"], "attributes": {"pad": "x" * 140_000}}})
    assert len(fits) <= MAX_REQUEST_BYTES < len(too_large)

    refused = client.post(too_large, **signed_headers(pki.alexa, too_large))

    assert refused == (413, {"error": "body is too large"})
    assert client.post(fits, **signed_headers(pki.alexa, fits))[0] == 200


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
        listening = re.search(r"http://127\.0\.0\.1:(\d+)", process.stdout.readline())
        assert listening, "the server did not say where it listens"
        health = http.client.HTTPConnection("127.0.0.1", int(listening.group(1)), timeout=10)
        health.request("GET", "/health")
        assert health.getresponse().status == 200
        health.close()
        process.send_signal(stop_signal)
        out, err = process.communicate(timeout=10)
    finally:
        process.kill()

    assert process.returncode == 0, err
    assert "Stopped." in out
    assert ("WARNING: --no-verify" in err) == ("--no-verify" in flags)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        (
            "https://s3.amazonaws.com/echo.api/echo api cert.pem",
            "signature certificate URL has characters Amazon's URLs never have",
        ),
        (
            "https://evil.example/echo.api/echo-api-cert.pem",
            "signature certificate URL is not https://s3.amazonaws.com on port 443",
        ),
        (
            "https://s3.amazonaws.com/elsewhere/echo-api-cert.pem",
            "signature certificate URL is not under /echo.api/",
        ),
    ],
    ids=["characters", "host", "path"],
)
def test_a_refused_certificate_url_is_answered_with_what_is_wrong_with_it(
    start_server, conversation, pki: Pki, url: str, reason: str
) -> None:
    client = start_server(checks_trusting(pki, serving(pki.alexa.chain)))
    body = encode(conversation.launch())
    assert client.post(body, **signed_headers(pki.alexa, body, url)) == (400, {"error": reason})


def test_a_certificate_url_of_the_longest_length_allowed_is_fetched(
    start_server, conversation, pki: Pki
) -> None:
    prefix, suffix = "https://s3.amazonaws.com/echo.api/", ".pem"
    url = prefix + "c" * (MAX_CERT_CHAIN_URL_CHARS - len(prefix) - len(suffix)) + suffix
    urls = serving(pki.alexa.chain)
    client = start_server(checks_trusting(pki, urls))
    body = encode(conversation.launch())
    assert client.post(body, **signed_headers(pki.alexa, body, url))[0] == 200
    assert urls.fetched == [url]


def _envelope_nested_to(conversation: Conversation, depth: int) -> bytes:
    """A launch whose session attributes nest lists and objects so the whole body is `depth` deep."""
    envelope = conversation.launch()

    def deepest(value: Any) -> int:
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else None
        return 0 if children is None else 1 + max((deepest(child) for child in children), default=0)

    nest: Any = {}
    envelope["session"]["attributes"] = {"nest": nest}
    while deepest(envelope) < depth:
        nest["nest"] = nest = {}
    return encode(envelope)


def _launch_with(conversation: Conversation, change: Callable[[dict[str, Any]], None]) -> bytes:
    envelope = conversation.launch()
    change(envelope)
    return encode(envelope)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (lambda c: b"\xff{}", "body is not UTF-8"),
        (lambda c: b"{", "body is not JSON"),
        (lambda c: b'{"request": NaN}', "body is not JSON"),
        (lambda c: b"[]", "body is not an Alexa request envelope"),
        (
            lambda c: b'{"request": {"timestamp": "2026-11-20T20:00:00Z"}}',
            "body is not an Alexa request envelope",
        ),
        (
            lambda c: _envelope_nested_to(c, MAX_JSON_DEPTH + 1),
            "body nests deeper than an Alexa request envelope",
        ),
        (
            lambda c: _launch_with(c, lambda e: e["request"].pop("timestamp")),
            "request has no timestamp with a time zone",
        ),
        (
            lambda c: _launch_with(c, lambda e: e["request"].update(timestamp="at noon")),
            "request has no timestamp with a time zone",
        ),
        (
            lambda c: _launch_with(c, lambda e: e["request"].update(timestamp="2026-11-20T20:00:00")),
            "request has no timestamp with a time zone",
        ),
        (
            lambda c: _launch_with(c, lambda e: e["request"].update(type="IntentRequest", intent=5)),
            "body is not an Alexa request envelope",
        ),
        (
            lambda c: _launch_with(c, lambda e: e["context"].update(system=None)),
            "request envelope has no context",
        ),
        (
            lambda c: _launch_with(
                c,
                lambda e: e["context"]["System"]["application"].update(
                    application_id="amzn1.ask.skill.other"
                ),
            ),
            "request envelope names its skill twice, differently",
        ),
    ],
    ids=[
        "not-utf8",
        "not-json",
        "nan",
        "not-an-object",
        "no-type",
        "too-deep",
        "no-timestamp",
        "not-a-time",
        "no-time-zone",
        "unreadable",
        "no-context",
        "two-skill-ids",
    ],
)
def test_a_body_that_is_no_envelope_is_refused_with_what_is_wrong_with_it(
    start_server, conversation, body: Callable[[Conversation], bytes], reason: str
) -> None:
    client = start_server(None)
    assert client.post(body(conversation)) == (400, {"error": reason})


@pytest.mark.parametrize(
    "body",
    [
        lambda c: _envelope_nested_to(c, MAX_JSON_DEPTH),
        lambda c: _launch_with(
            c, lambda e: e["request"].update(timestamp="2026-11-20T20:00:00.00000000000000+00:00")
        ),
    ],
    ids=["as-deep-as-allowed", "longest-timestamp"],
)
def test_a_body_at_the_bounds_of_an_envelope_is_answered(
    start_server, conversation, body: Callable[[Conversation], bytes]
) -> None:
    status, answer = start_server(None).post(body(conversation))
    assert status == 200, answer


def test_the_web_service_itself_refuses_a_body_larger_than_any_request() -> None:
    # `closer serve` refuses one by its Content-Length first; the service holds to the bound for any host.
    service = AlexaWebService(skill=None, checks=None)  # type: ignore[arg-type]
    with pytest.raises(RefusedRequest) as refused:
        service.answer({}, b" " * (MAX_REQUEST_BYTES + 1))
    assert (refused.value.status, refused.value.reason) == (413, "body is too large")
    with pytest.raises(RefusedRequest) as refused:
        service.answer({}, b" " * MAX_REQUEST_BYTES)
    assert (refused.value.status, refused.value.reason) == (400, "body is not JSON")


def test_a_signature_with_characters_base64_has_not_is_refused(start_server, conversation, pki: Pki) -> None:
    client = start_server(checks_trusting(pki, serving(pki.alexa.chain)))
    body = encode(conversation.launch())
    headers = signed_headers(pki.alexa, body)
    headers["Signature-256"] = "!" + headers["Signature-256"]
    assert client.post(body, **headers) == (400, {"error": "signature does not match the body"})


def test_the_cache_holds_as_many_chains_as_it_is_sized_for(start_server, conversation, pki: Pki) -> None:
    urls = serving(pki.alexa.chain)
    client = start_server(checks_trusting(pki, urls))
    names = [f"https://s3.amazonaws.com/echo.api/cert-{n}.pem" for n in range(CERT_CHAIN_CACHE_SIZE)]
    for url in [*names, names[0]]:
        body = encode(conversation.launch())
        assert client.post(body, **signed_headers(pki.alexa, body, url))[0] == 200
    assert urls.fetched == names, "the oldest of a full cache is still held"


def test_production_checks_are_the_signature_and_the_time_of_each_request(start_server, conversation) -> None:
    checks = alexa_checks()
    assert isinstance(checks.signature, SignatureVerifier) and isinstance(checks.timestamp, TimestampVerifier)
    body = encode(conversation.launch())
    assert start_server(checks).post(body) == (400, {"error": "request is not signed"})


def test_a_certificate_url_serving_no_certificates_is_refused_as_such(
    start_server, conversation, pki: Pki
) -> None:
    client = start_server(checks_trusting(pki, serving(b"<html>Not Found</html>")))
    body = encode(conversation.launch())
    assert client.post(body, **signed_headers(pki.alexa, body)) == (
        400,
        {"error": "signature certificate chain could not be loaded"},
    )
