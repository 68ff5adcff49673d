"""The Alexa API client keeps its connections (a TLS handshake costs more than the call it carries) and
still trusts only the certificates it was given."""

import pytest
import urllib3
from ask_sdk_core.exceptions import ApiClientException
from ask_sdk_model.services import ApiClientRequest

from skill.alexa_api import AlexaApiClient
from skill.tools.console.fake_alexa import FakeAlexaApi


def time_zone_request(endpoint: str) -> ApiClientRequest:
    return ApiClientRequest(
        headers=[("Authorization", "Bearer token")],
        method="GET",
        url=f"{endpoint}/v2/devices/device-1/settings/System.timeZone",
    )


def test_calls_to_the_alexa_api_share_one_connection(
    alexa_api: FakeAlexaApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    connects: list[str] = []
    connect = urllib3.connection.HTTPSConnection.connect

    def counted(connection: urllib3.connection.HTTPSConnection) -> None:
        connects.append(connection.host)
        connect(connection)

    monkeypatch.setattr(urllib3.connection.HTTPSConnection, "connect", counted)
    client = AlexaApiClient(alexa_api.ca_bundle)
    answers = [client.invoke(time_zone_request(alexa_api.endpoint)) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert connects == ["127.0.0.1"], "one TCP connection and TLS handshake for the three calls"


def test_a_server_the_bundle_does_not_trust_is_refused(alexa_api: FakeAlexaApi) -> None:
    client = AlexaApiClient(alexa_api.ca_bundle)
    with FakeAlexaApi() as stranger, pytest.raises(ApiClientException, match="SSLError"):
        client.invoke(time_zone_request(stranger.endpoint))


def test_a_certificate_for_another_name_is_refused(alexa_api: FakeAlexaApi) -> None:
    """The fake's certificate names 127.0.0.1; reached as localhost, it is not the host it claims."""
    client = AlexaApiClient(alexa_api.ca_bundle)
    with pytest.raises(ApiClientException, match="SSLError"):
        client.invoke(time_zone_request(alexa_api.endpoint.replace("127.0.0.1", "localhost")))
