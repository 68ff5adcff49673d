"""Alexa service APIs: the HTTP client the SDK's service clients use, and the device settings we read."""

import json
import logging
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import requests
from ask_sdk_core.exceptions import ApiClientException, SerializationException
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.services import ApiClient, ApiClientRequest, ApiClientResponse, ServiceException

log = logging.getLogger(__name__)

# Alexa gives a skill 8 seconds for a whole turn; no single API call may eat most of it.
CONNECT_TIMEOUT_SECONDS = 1.0
READ_TIMEOUT_SECONDS = 2.5
DEFAULT_TIME_ZONE_BY_LOCALE = {
    "en-US": "America/New_York",
    "en-GB": "Europe/London",
    "en-CA": "America/Toronto",
}
FALLBACK_TIME_ZONE = "America/New_York"


class AlexaApiClient(ApiClient):
    """Like ask-sdk's DefaultApiClient (HTTPS only, JSON bodies), plus timeouts and connection reuse."""

    def __init__(self) -> None:
        self._session = requests.Session()

    def invoke(self, request: ApiClientRequest) -> ApiClientResponse:
        """Send one Alexa API request; any transport failure becomes an ApiClientException."""
        if not (request.url or "").startswith("https://"):
            raise ApiClientException("Requests against non-HTTPS endpoints are not allowed.")
        headers = dict(request.headers or [])
        body = request.body
        data = json.dumps(body) if body is not None and "json" in headers.get("Content-type", "") else body
        try:
            response = self._session.request(
                request.method or "GET",
                request.url,
                headers=headers,
                data=data,
                timeout=(CONNECT_TIMEOUT_SECONDS, READ_TIMEOUT_SECONDS),
            )
        except requests.RequestException as error:
            raise ApiClientException(f"Alexa API unreachable: {type(error).__name__}") from error
        return ApiClientResponse(
            headers=list(response.headers.items()), status_code=response.status_code, body=response.text
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
