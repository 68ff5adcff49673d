"""Alexa service APIs: the HTTP client the SDK's service clients use, and the device settings we read."""

import json
import logging
import ssl
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import certifi
import urllib3
from ask_sdk_core.exceptions import ApiClientException, SerializationException
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.services import ApiClient, ApiClientRequest, ApiClientResponse, ServiceException
from urllib3.util.ssl_ import create_urllib3_context

from skill.deadline import current

log = logging.getLogger(__name__)

# Alexa gives a skill 8 seconds for a whole turn; no single API call may eat most of it, and none may run
# past the turn's deadline: each call gets these, or what the turn has left if that is less.
CONNECT_TIMEOUT_SECONDS = 1.0
READ_TIMEOUT_SECONDS = 2.5
MIN_CALL_SECONDS = 0.2  # a call with less than this left is not started: it could not finish
DEFAULT_TIME_ZONE_BY_LOCALE = {
    "en-US": "America/New_York",
    "en-GB": "Europe/London",
    "en-CA": "America/Toronto",
    "en-AU": "Australia/Sydney",
    "en-IN": "Asia/Kolkata",
}
FALLBACK_TIME_ZONE = "America/New_York"


# As `requests` would: no retries; redirects followed (at most 30), Authorization dropped across hosts.
_RETRIES = urllib3.Retry(total=None, connect=0, read=0, status=0, other=0, redirect=30)


def call_timeout() -> urllib3.Timeout:
    """The timeouts of an API call made now: the usual ones, within what the turn has left (`total`
    bounds connecting and reading together); ApiClientException if too little is left to start."""
    left = current().remaining()
    if left < MIN_CALL_SECONDS:
        raise ApiClientException("Alexa API not called: no time left in the turn")
    return urllib3.Timeout(
        connect=min(CONNECT_TIMEOUT_SECONDS, left), read=min(READ_TIMEOUT_SECONDS, left), total=left
    )


def _text(body: bytes, content_type: str) -> str:
    """The body as text, in the charset its Content-Type names, else (or if that is unknown) UTF-8."""
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            try:
                return body.decode(value.strip().strip("'\""), errors="replace")
            except LookupError:
                break
    return body.decode("utf-8", errors="replace")


class AlexaApiClient(ApiClient):
    """Like ask-sdk's DefaultApiClient (HTTPS only, JSON bodies), plus timeouts and connection reuse.

    Built on urllib3, which botocore has already loaded, rather than `requests` (a cold start's ~30 ms).
    As `requests` did: certificates verified (against the bundle given, else certifi's), no retries,
    redirects followed. Unlike it, HTTPS_PROXY is not consulted: the Lambda reaches Alexa directly.
    """

    def __init__(self, ca_bundle: str | None = None) -> None:
        self.ca_bundle = ca_bundle or certifi.where()
        self._pool: urllib3.PoolManager | None = None

    def pool(self) -> urllib3.PoolManager:
        """One connection pool for the container's life, made on first use, with one TLS context that has
        read the CA bundle once: given only the bundle's path, urllib3 reads it again for every new
        connection (certifi's takes ~12 ms of CPU here, more on a small Lambda)."""
        if self._pool is None:
            context = create_urllib3_context(cert_reqs=ssl.CERT_REQUIRED)
            context.load_verify_locations(cafile=self.ca_bundle)
            self._pool = urllib3.PoolManager(ssl_context=context, retries=_RETRIES)
        return self._pool

    def invoke(self, request: ApiClientRequest) -> ApiClientResponse:
        """Send one Alexa API request inside the turn's deadline; any transport failure, or too little
        time left to try, becomes an ApiClientException."""
        if not (request.url or "").startswith("https://"):
            raise ApiClientException("Requests against non-HTTPS endpoints are not allowed.")
        headers = dict(request.headers or [])
        body = request.body
        data = json.dumps(body) if body is not None and "json" in headers.get("Content-type", "") else body
        try:
            response = self.pool().request(
                request.method or "GET",
                request.url,
                headers=headers,
                body=data.encode("utf-8") if isinstance(data, str) else data,
                timeout=call_timeout(),
            )
        except (urllib3.exceptions.HTTPError, OSError) as error:
            # A MaxRetryError's reason says what went wrong (refused, timed out, bad certificate).
            reason = error.reason if isinstance(error, urllib3.exceptions.MaxRetryError) else None
            cause = reason or error
            raise ApiClientException(f"Alexa API unreachable: {type(cause).__name__}") from error
        return ApiClientResponse(
            headers=list(response.headers.itermerged()),
            status_code=response.status,
            body=_text(response.data, response.headers.get("Content-Type", "")),
        )


def default_time_zone(locale: str | None) -> ZoneInfo:
    """The zone we assume when the device will not tell us its own."""
    return ZoneInfo(DEFAULT_TIME_ZONE_BY_LOCALE.get(locale or "", FALLBACK_TIME_ZONE))


def device_time_zone(handler_input: HandlerInput) -> ZoneInfo:
    """The device's time zone from the Alexa Settings API, or the locale's default when that fails."""
    envelope = handler_input.request_envelope
    device = envelope.context.system.device if envelope.context and envelope.context.system else None
    factory = handler_input.service_client_factory
    token = envelope.context.system.api_access_token if envelope.context and envelope.context.system else None
    if device is None or not device.device_id or factory is None or not token:
        return default_time_zone(envelope.request.locale)
    try:
        zone_name = factory.get_ups_service().get_system_time_zone(device.device_id)
        return ZoneInfo(str(zone_name))
    # SerializationException: an error body whose code the SDK's model does not know (a 403's, say).
    except (
        ServiceException,
        ApiClientException,
        SerializationException,
        ZoneInfoNotFoundError,
        ValueError,
    ) as error:
        log.warning(json.dumps({"event": "time_zone_unavailable", "error": type(error).__name__}))
        return default_time_zone(envelope.request.locale)
