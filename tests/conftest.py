"""Fixtures: AWS is moto, Alexa's APIs are the fake HTTPS server, the skill is the deployed handler."""

from collections.abc import Iterator

import pytest
from moto import mock_aws

from skill.tools.console.envelopes import Device
from skill.tools.console.fake_alexa import FakeAlexaApi, FakeAlexaState
from tests.support import REGION, Household, Stack, deploy_stack


@pytest.fixture(autouse=True)
def aws_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fake credentials, so nothing can ever reach a real AWS account."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
    }.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def aws() -> Iterator[None]:
    """A fresh moto account for one test."""
    with mock_aws():
        yield


@pytest.fixture
def stack(aws: None, monkeypatch: pytest.MonkeyPatch) -> Stack:
    """Our template deployed into moto; the process environment is the function's, as in Lambda."""
    deployed = deploy_stack()
    for name, value in deployed.environment.items():
        monkeypatch.setenv(name, value)
    return deployed


@pytest.fixture(scope="session")
def alexa_server() -> Iterator[FakeAlexaApi]:
    """The fake Alexa API, started once: certificates and a thread are not worth making per test."""
    with FakeAlexaApi() as server:
        yield server


@pytest.fixture
def alexa_api(alexa_server: FakeAlexaApi, monkeypatch: pytest.MonkeyPatch) -> FakeAlexaApi:
    """The fake Alexa API with a clean state, trusted by the skill's HTTPS client."""
    alexa_server.state = FakeAlexaState()
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", alexa_server.ca_bundle)
    return alexa_server


@pytest.fixture
def household(stack: Stack, alexa_api: FakeAlexaApi) -> Household:
    """A household's Echo talking to the deployed skill, its API calls going to the fake Alexa API."""
    return Household(stack.handler(), device=Device(api_endpoint=alexa_api.endpoint))
