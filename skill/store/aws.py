"""AWS calls inside the deadline: each attempt's timeouts fit what is left, and retries stop in time.

botocore fixes a client's timeouts and retries when the client is made, so a service gets one client per
attempt timeout (made on first use; a healthy service only ever needs the longest), and the retries are
ours: up to MAX_ATTEMPTS, with jittered backoff, each started only if it can finish before the deadline.
"""

import os
import random
import threading
import time
from collections.abc import Callable
from functools import cache
from typing import Any

import botocore.session
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as AwsConnectionError
from botocore.loaders import Loader

from skill.deadline import Deadline, current

# Makes a client of an AWS service with the given config: the seam that lets a test point a service at an
# endpoint of its own (say, one that never answers).
Connector = Callable[[str, Config], Any]

# An attempt's read timeout: the longest of these that fits what is left, with its connect timeout. A
# healthy DynamoDB or SQS answers in tens of milliseconds; two seconds is a slow one, not a normal one.
READ_TIMEOUTS = (2.0, 1.0, 0.5, 0.25)
CONNECT_TIMEOUT = 0.5  # or the read timeout, if that is shorter
MAX_ATTEMPTS = 3
BACKOFF_SECONDS = 0.05  # the first retry waits up to this (full jitter), each later one twice as long
RETRYABLE_CODES = frozenset(
    {
        "ThrottlingException",
        "ProvisionedThroughputExceededException",
        "RequestLimitExceeded",
        "InternalServerError",
        "InternalFailure",
        "ServiceUnavailable",
        "RequestThrottled",
    }
)


class OutOfTimeError(BotoCoreError):
    """The deadline left no time for (another) attempt."""

    fmt = "No time left for {operation}"


SERVICES = ("dynamodb", "sqs")  # every AWS service the skill calls
_session_lock = threading.Lock()  # a botocore session is not safe to share between threads


class ServicesLoader(Loader):
    """botocore's data loader, knowing only the services the skill calls.

    Before it makes a client, botocore checks that the service exists by listing every service it has a
    model for: some 400 directories, twice (the API and the endpoint rules), about 17 ms of a cold start.
    This lists the same way, in the same search paths, but looks only in our services' directories, so
    the answer for them is the one botocore would give."""

    def list_available_services(self, type_name: str) -> list[str]:
        return [service for service in SERVICES if self._has(service, type_name)]

    def _has(self, service: str, type_name: str) -> bool:
        for search_path in self.search_paths:
            service_dir = os.path.join(search_path, service)
            if os.path.isdir(service_dir):
                for api_version in os.listdir(service_dir):
                    if self.file_loader.exists(os.path.join(service_dir, api_version, type_name)):
                        return True
        return False


@cache
def aws_session() -> botocore.session.Session:
    """The process's one botocore session, as boto3 keeps one default session, with its data loader
    knowing our services. Its event system is where whoever instruments the skill (the tests' fault
    hooks, the benchmark's counters) registers, before the clients they mean to watch are made."""
    session = botocore.session.get_session()
    data_path = session.get_config_variable("data_path")  # AWS_DATA_PATH, as botocore reads it
    extra_paths = [
        os.path.expanduser(os.path.expandvars(path)) for path in (data_path or "").split(os.pathsep) if path
    ]
    session.register_component("data_loader", ServicesLoader(extra_search_paths=extra_paths))
    return session


def aws_client(service: str, config: Config) -> Any:
    """A client of the real service, from botocore's default session: credentials, region and endpoint
    as boto3 finds them (boto3's client is this one; importing boto3 as well would cost ~14 ms)."""
    with _session_lock:
        return aws_session().create_client(service, config=config)


def attempt_timeouts(left: float) -> tuple[float, float] | None:
    """(connect, read) timeouts of an attempt that must be over within `left` seconds; None if none fits."""
    for read in READ_TIMEOUTS:
        connect = min(CONNECT_TIMEOUT, read)
        if connect + read <= left:
            return connect, read
    return None


def retryable(error: ClientError | BotoCoreError) -> bool:
    """Whether another attempt may succeed: throttling, a server error, a timeout, a dropped connection."""
    if isinstance(error, ClientError):
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        return error.response.get("Error", {}).get("Code") in RETRYABLE_CODES or status >= 500
    # Connection errors cover refused and timed-out connects; HTTP client errors, read timeouts and
    # connections dropped mid-answer.
    return isinstance(error, AwsConnectionError | HTTPClientError)


class TimedClients:
    """One AWS service's clients, one per attempt timeout, each made on first use."""

    def __init__(self, service: str, connect: Connector = aws_client) -> None:
        self.service = service
        self._connect = connect
        self._clients: dict[float, Any] = {}
        self._lock = threading.Lock()

    def client(self, connect_timeout: float, read_timeout: float) -> Any:
        with self._lock:
            if read_timeout not in self._clients:
                config = Config(
                    connect_timeout=connect_timeout,
                    read_timeout=read_timeout,
                    retries={"mode": "standard", "total_max_attempts": 1},
                )
                self._clients[read_timeout] = self._connect(self.service, config)
            return self._clients[read_timeout]

    def call(self, operation: str, request: dict[str, Any]) -> dict[str, Any]:
        """One operation, retried while it may succeed and there is time; raises its last error."""
        deadline = current()
        last: ClientError | BotoCoreError = OutOfTimeError(operation=operation)
        for attempt in range(MAX_ATTEMPTS):
            if attempt and not _back_off(attempt, deadline):
                break
            timeouts = attempt_timeouts(deadline.remaining())
            if timeouts is None:
                break
            try:
                return dict(getattr(self.client(*timeouts), operation)(**request))
            except (ClientError, BotoCoreError) as error:
                if not retryable(error):
                    raise
                last = error
        raise last


def _back_off(attempt: int, deadline: Deadline) -> bool:
    """Wait before retry number `attempt`, if an attempt can still follow the wait; whether it waited."""
    pause = random.uniform(0, BACKOFF_SECONDS * 2 ** (attempt - 1))
    if attempt_timeouts(deadline.remaining() - pause) is None:
        return False
    time.sleep(pause)
    return True
