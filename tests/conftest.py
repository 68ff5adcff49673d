"""Fixtures: AWS is moto, Alexa's APIs are the fake HTTPS server, the skill is the deployed handler.

The stack is deployed once a session; each test talks as Alexa accounts of its own (`accounts`), so the
households it reads back are its own, and the fake Alexa API starts each test with a clean state."""

from collections.abc import Iterator

import pytest
from moto import mock_aws

from skill.tools.console.envelopes import Device
from skill.tools.console.fake_alexa import FakeAlexaApi, FakeAlexaState
from tests.support import (
    REGION,
    Accounts,
    DynamoDbCalls,
    Household,
    SharedAws,
    Stack,
    cold_start,
    dynamodb_hooks,
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "own_account(reason): the `stack` fixture deploys into an AWS account of the test's own, for a "
        "test that breaks the stack (say, deletes its table) and so must not share it",
    )


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


@pytest.fixture(scope="session")
def shared_aws() -> Iterator[SharedAws]:
    """The session's moto, with our stack deployed into it on first use."""
    shared = SharedAws()
    yield shared
    shared.set_aside()


@pytest.fixture
def aws(shared_aws: SharedAws) -> Iterator[None]:
    """A fresh moto account of the test's own, for tests of deploying itself; the session's moto is set
    aside (and the stack deployed again for the next test that needs it)."""
    shared_aws.set_aside()
    with mock_aws():
        yield


@pytest.fixture
def stack(
    request: pytest.FixtureRequest, shared_aws: SharedAws, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Stack]:
    """Our template deployed into moto; the process environment is the function's, as in Lambda.

    The session's deployment, unless the test is marked own_account. Each test starts with a cold
    container; when it ends, every DynamoDB hook it installed must be gone and the shared table whole."""
    marker = request.node.get_closest_marker("own_account")
    deployed = shared_aws.own_stack(monkeypatch) if marker else shared_aws.stack()
    cold_start()
    yield deployed
    assert not DynamoDbCalls.installed, "a DynamoDB hook outlived its test"
    if not marker:
        shared_aws.check_intact()


@pytest.fixture
def accounts(request: pytest.FixtureRequest) -> Accounts:
    """The Alexa accounts of this test: user ids no other test uses."""
    return Accounts.of(request.node.nodeid)


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
def household(stack: Stack, alexa_api: FakeAlexaApi, accounts: Accounts) -> Household:
    """This test's household: its Echo talks to the deployed skill, its API calls go to the fake Alexa API."""
    device = Device(user_id=accounts.user_id(), api_endpoint=alexa_api.endpoint)
    return Household(stack.handler(), device=device)


@pytest.fixture
def dynamodb(stack: Stack) -> Iterator[DynamoDbCalls]:
    """The test's DynamoDB calls, recorded from before its first turn; put operations in `failing` to
    make them fail as DynamoDB would."""
    with dynamodb_hooks() as calls:
        yield calls
