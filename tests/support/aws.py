"""AWS for the tests: moto, our stack deployed into it once a session, and DynamoDB calls recorded or failed.

Every test that needs the stack shares one deployment. What keeps tests apart is that each brings its own
Alexa accounts (see `Accounts`), so its households' items are its own partitions of the shared table; a
test that would break the stack itself gets a copy in an AWS account of its own."""

import importlib
import io
import itertools
import json
import os
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ClientError, ReadTimeoutError
from moto import mock_aws

import skill.app
from skill.context import household_id
from skill.store.appreciations import Appreciation
from skill.store.aws import aws_session
from skill.store.table import BATCH_WRITE_LIMIT, household_pk, to_item
from skill.tools.console.envelopes import LOCAL_SKILL_ID

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "infra" / "template.yaml"
REGION = "us-east-1"
OWN_ACCOUNTS = 900_000_000_000  # moto account ids for tests with a stack of their own: 900000000001, …


def source_zip() -> bytes:
    """Our packages zipped, standing in for the deployment zip (moto stores the code, never runs it)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for package in ("skill", "handlers", "content"):
            for path in sorted((ROOT / package).rglob("*.py")):
                archive.write(path, path.relative_to(ROOT).as_posix())
    return buffer.getvalue()


@dataclass
class Stack:
    """What CloudFormation created, as the tests need it."""

    name: str
    outputs: dict[str, str]
    handler_path: str
    environment: dict[str, str]

    @property
    def table_name(self) -> str:
        """The DynamoDB table the function's environment points at."""
        return self.environment["TABLE_NAME"]

    def handler(self) -> Callable[[dict[str, Any], Any], dict[str, Any]]:
        """The function Lambda would call, imported by the handler string the stack configured."""
        module_name, _, function_name = self.handler_path.rpartition(".")
        return getattr(importlib.import_module(module_name), function_name)


def deploy_stack(name: str = "closer-test", skill_id: str = LOCAL_SKILL_ID) -> Stack:
    """Deploy infra/template.yaml into moto's CloudFormation (code zip in moto's S3) and describe it."""
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket=f"{name}-code")
    s3.put_object(Bucket=f"{name}-code", Key="skill.zip", Body=source_zip())
    cloudformation = boto3.client("cloudformation", region_name=REGION)
    cloudformation.create_stack(
        StackName=name,
        TemplateBody=TEMPLATE.read_text(encoding="utf-8"),
        Parameters=[
            {"ParameterKey": "SkillId", "ParameterValue": skill_id},
            {"ParameterKey": "CodeBucket", "ParameterValue": f"{name}-code"},
            {"ParameterKey": "CodeKey", "ParameterValue": "skill.zip"},
        ],
        Capabilities=["CAPABILITY_IAM"],
    )
    description = cloudformation.describe_stacks(StackName=name)["Stacks"][0]
    assert description["StackStatus"] == "CREATE_COMPLETE", description["StackStatus"]
    outputs = {output["OutputKey"]: output["OutputValue"] for output in description.get("Outputs", [])}
    function = boto3.client("lambda", region_name=REGION).get_function_configuration(
        FunctionName=outputs["SkillEndpoint"]
    )
    stop_lambda_polling(function["FunctionArn"])
    return Stack(name, outputs, function["Handler"], function["Environment"]["Variables"])


def stop_lambda_polling(function: str) -> None:
    """Disable the function's event source mappings: moto would run the function in Docker for each message
    sent to the purge queue. Tests play Lambda's SQS poller themselves, through the handler."""
    client = boto3.client("lambda", region_name=REGION)
    unqualified = function.split(":")[:7]  # arn:aws:lambda:REGION:ACCOUNT:function:NAME, any version aside
    for mapping in client.list_event_source_mappings()["EventSourceMappings"]:
        if mapping["FunctionArn"].split(":")[:7] == unqualified:
            client.update_event_source_mapping(UUID=mapping["UUID"], Enabled=False)


def cold_start() -> None:
    """Forget the skill the handler built, as a new Lambda container would: the next request builds it
    again, and its store creates a new DynamoDB client (which copies the hooks registered by then)."""
    skill.app.skill_for.cache_clear()


class SharedAws:
    """One moto for the whole session, our stack deployed into it once, and the process environment the
    function's (as in Lambda).

    A test that needs a moto of its own (the `aws` fixture: deploying, credentials) sets this one aside,
    which discards it; the next test that needs the stack deploys it again. A test that breaks the stack
    (deletes its table) gets `own_stack`: the same template in an AWS account of its own, in this moto."""

    def __init__(self) -> None:
        self._mock: Any = None
        self._stack: Stack | None = None
        self._dynamodb: Any = None  # made before any test's hooks, so none of them ever apply to it
        self._environment = pytest.MonkeyPatch()
        self._own_accounts = itertools.count(1)

    def stack(self) -> Stack:
        """The session's stack, deployed on first use."""
        if self._stack is None:
            self._mock = mock_aws()
            self._mock.start()
            self._stack = deploy_stack()
            self._dynamodb = boto3.client("dynamodb", region_name=REGION)
            for name, value in self._stack.environment.items():
                self._environment.setenv(name, value)
        return self._stack

    def own_stack(self, monkeypatch: pytest.MonkeyPatch) -> Stack:
        """Our stack deployed into a new AWS account that every AWS call of the test then goes to (moto
        reads MOTO_ACCOUNT_ID on each request), with the process environment pointing at it."""
        self.stack()
        number = next(self._own_accounts)
        monkeypatch.setenv("MOTO_ACCOUNT_ID", str(OWN_ACCOUNTS + number))
        deployed = deploy_stack(name=f"closer-own-{number}")
        for name, value in deployed.environment.items():
            monkeypatch.setenv(name, value)
        return deployed

    def check_intact(self) -> None:
        """Fail a test that broke the session's stack (it should have been marked own_account), and
        set the stack aside so that the tests after it get a whole one."""
        if self._stack is None:
            return
        try:
            self._dynamodb.describe_table(TableName=self._stack.table_name)
        except ClientError as error:
            self.set_aside()
            raise AssertionError(
                "the test broke the shared stack's table: mark it @pytest.mark.own_account(reason)"
            ) from error

    def set_aside(self) -> None:
        """Stop the session's moto and drop everything in it."""
        if self._mock is not None:
            self._mock.stop()
            self._environment.undo()
            self._mock = self._stack = self._dynamodb = None


def table_name() -> str:
    """The table the function's environment points at: the session's, or a test's own."""
    return os.environ["TABLE_NAME"]


def household_items(table: str, user_id: str, prefix: str = "") -> list[dict[str, Any]]:
    """One household's items as DynamoDB holds them, in sort-key order (those whose sort key starts with
    `prefix`): a Query of its own partition, so other tests' households in the table never show."""
    condition = "pk = :pk"
    values = {":pk": {"S": household_pk(household_id(user_id))}}
    if prefix:
        condition += " AND begins_with(sk, :prefix)"
        values[":prefix"] = {"S": prefix}
    pages = (
        boto3.client("dynamodb", region_name=REGION)
        .get_paginator("query")
        .paginate(TableName=table, KeyConditionExpression=condition, ExpressionAttributeValues=values)
    )
    return [item for page in pages for item in page["Items"]]


def household_item_count(table: str, user_id: str) -> int:
    """How many items one household has: a COUNT Query of its own partition."""
    pages = (
        boto3.client("dynamodb", region_name=REGION)
        .get_paginator("query")
        .paginate(
            TableName=table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": household_pk(household_id(user_id))}},
            Select="COUNT",
        )
    )
    return sum(page["Count"] for page in pages)


def put_items(table: str, items: list[dict[str, Any]]) -> None:
    """Items, as DynamoDB holds them, straight into the table: as many to a BatchWriteItem as it takes."""
    client = boto3.client("dynamodb", region_name=REGION)
    for start in range(0, len(items), BATCH_WRITE_LIMIT):
        batch = [{"PutRequest": {"Item": item}} for item in items[start : start + BATCH_WRITE_LIMIT]]
        client.batch_write_item(RequestItems={table: batch})


def appreciation_item(
    user_id: str, said: str, moment: datetime, text: str, author: str | None = None
) -> dict[str, Any]:
    """An appreciation as the skill stores one, keyed by what was `said` at `moment` (unique per item)."""
    attributes = {"pk": household_pk(household_id(user_id)), "sk": Appreciation.key_for(said, moment)}
    return to_item({**attributes, "text": text, "author": author})


# --- DynamoDB calls, recorded and failed ------------------------------------------------------------

FAULTS = ("throttled", "internal_error", "timeout")
_ENDPOINT = f"https://dynamodb.{REGION}.amazonaws.com/"


class _Body:
    def __init__(self, payload: bytes) -> None:
        self.payload = payload

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.payload


def _dynamodb_error(status: int, code: str) -> AWSResponse:
    body = json.dumps({"__type": f"com.amazonaws.dynamodb.v20120810#{code}", "message": "injected"})
    headers = {"x-amzn-RequestId": "injected", "Content-Type": "application/x-amz-json-1.0"}
    return AWSResponse(_ENDPOINT, status, headers, _Body(body.encode()))


@dataclass
class DynamoDbCalls:
    """A botocore hook on DynamoDB clients: records each operation, and makes chosen ones fail.

    An operation in `failing` (or from its `failing_from[operation]`-th call on) fails. Without a `fault`,
    as DynamoDB answering InternalServerError; with one of FAULTS, as that fault on the wire, each failed
    attempt counted in `attempts`: at before-call the request never reaches the table (as when throttled),
    at before-send every HTTP attempt fails, so botocore's retry policy runs (and moto sees the request)."""

    fault: str | None = None
    stage: str = "before-call"
    calls: list[str] = field(default_factory=list)
    failing: set[str] = field(default_factory=set)
    failing_from: dict[str, int] = field(default_factory=dict)  # operation → its first call that fails
    attempts: int = 0

    installed: ClassVar[set[str]] = set()  # unique ids of hooks on the skill's botocore session right now

    def count(self, operation: str) -> int:
        return self.calls.count(operation)

    def take(self) -> list[str]:
        """The operations recorded since the last take."""
        taken, self.calls = self.calls, []
        return taken

    def __call__(self, event_name: str, **_: Any) -> Any:
        operation = event_name.rsplit(".", 1)[-1]
        self.calls.append(operation)
        first_failing = self.failing_from.get(operation, 1 << 62)
        if operation not in self.failing and self.count(operation) < first_failing:
            return None
        if self.fault is None:
            raise ClientError({"Error": {"Code": "InternalServerError", "Message": "injected"}}, operation)
        self.attempts += 1
        if self.fault == "timeout":
            raise ReadTimeoutError(endpoint_url=_ENDPOINT)
        throttled = self.fault == "throttled"
        status, code = (400, "ThrottlingException") if throttled else (500, "InternalServerError")
        http = _dynamodb_error(status, code)
        if self.stage == "before-send":
            return http
        return http, {"Error": {"Code": code, "Message": "injected"}, "ResponseMetadata": {}}


@contextmanager
def session_hook(event: str, hook: Callable[..., Any]) -> Iterator[None]:
    """`hook` on the skill's botocore session for `event` (say "before-call.dynamodb.PutItem") during the
    block, removed however the block ends; clients made before the block do not see it."""
    events = aws_session().get_component("event_emitter")
    unique_id = f"tests.{event}.{id(hook)}"
    events.register(event, hook, unique_id=unique_id)
    try:
        yield
    finally:
        events.unregister(event, unique_id=unique_id)


@contextmanager
def dynamodb_hooks(fault: str | None = None, stage: str = "before-call") -> Iterator[DynamoDbCalls]:
    """A DynamoDbCalls hook on the skill's botocore session for the block, removed however the block ends.

    Clients copy the session's hooks when they are created, and the skill's store creates its client on
    a test's first turn that needs data (see `cold_start`), so enter this before that turn."""
    hook = DynamoDbCalls(fault=fault, stage=stage)
    events = aws_session().get_component("event_emitter")
    event, unique_id = f"{stage}.dynamodb", f"tests.support.dynamodb-{id(hook)}"
    events.register_first(event, hook, unique_id=unique_id)  # first: ahead of moto's own before-send
    DynamoDbCalls.installed.add(unique_id)
    try:
        yield hook
    finally:
        events.unregister(event, unique_id=unique_id)
        DynamoDbCalls.installed.discard(unique_id)


@contextmanager
def wire_faults(fault: str, stage: str = "before-call") -> Iterator[DynamoDbCalls]:
    """DynamoDB failing on the wire with `fault` (one of FAULTS) for the operations put in `failing`."""
    with dynamodb_hooks(fault=fault, stage=stage) as hook:
        yield hook


@dataclass
class UnprocessedBatches:
    """DynamoDB leaving part of each BatchWriteItem unprocessed, as it does under load: the last `left`
    requests of a call are kept from the table and handed back as UnprocessedItems (a call of no more
    than `left` never reaches it). Only the first `times` calls do so (None: every call), so a retry can
    finish what one left."""

    left: int = 1
    times: int | None = None
    delay: float = 0.0  # how long each call takes, as DynamoDB under load may
    calls: int = 0
    handed_back: int = 0
    _held: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    _all_held: bool = False

    def hold_back(self, params: dict[str, Any], **_: Any) -> None:
        """before-parameter-build: keep the last `left` requests of each table from the table."""
        time.sleep(self.delay)
        self.calls += 1
        if self.times is not None and self.calls > self.times:
            return
        requested = params["RequestItems"]
        self._held = {
            table: requests[max(len(requests) - self.left, 0) :] for table, requests in requested.items()
        }
        self.handed_back += sum(map(len, self._held.values()))
        self._all_held = all(len(self._held[table]) == len(requests) for table, requests in requested.items())
        if not self._all_held:  # DynamoDB refuses an empty list of requests, so such a call is not sent
            for table, held in self._held.items():
                requested[table] = requested[table][: len(requested[table]) - len(held)]

    def answer_for_the_table(self, **_: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
        """before-call: a call whose every request is held back gets its answer here, unsent."""
        if not self._all_held:
            return None
        self._all_held = False
        return AWSResponse(_ENDPOINT, 200, {}, _Body(b"{}")), {"UnprocessedItems": {}, "ResponseMetadata": {}}

    def hand_back(self, parsed: dict[str, Any], **_: Any) -> None:
        """after-call: what was held back comes back as UnprocessedItems, as DynamoDB would return it."""
        unprocessed = parsed.setdefault("UnprocessedItems", {})
        for table, held in self._held.items():
            if held:
                unprocessed.setdefault(table, []).extend(held)
        self._held = {}


@contextmanager
def unprocessed_batches(
    left: int = 1, times: int | None = None, delay: float = 0.0
) -> Iterator[UnprocessedBatches]:
    """BatchWriteItem leaving `left` requests of a call unprocessed (for the first `times` calls), each call
    taking `delay` seconds, on the clients created in the block (enter it before the skill's first turn;
    seed the table before it)."""
    batches = UnprocessedBatches(left=left, times=times, delay=delay)
    events = aws_session().get_component("event_emitter")
    hooks = {
        "before-parameter-build.dynamodb.BatchWriteItem": batches.hold_back,
        "before-call.dynamodb.BatchWriteItem": batches.answer_for_the_table,
        "after-call.dynamodb.BatchWriteItem": batches.hand_back,
    }
    for event, hook in hooks.items():
        events.register_first(event, hook, unique_id=f"tests.support.unprocessed-{event}-{id(batches)}")
        DynamoDbCalls.installed.add(f"tests.support.unprocessed-{event}-{id(batches)}")
    try:
        yield batches
    finally:
        for event in hooks:
            events.unregister(event, unique_id=f"tests.support.unprocessed-{event}-{id(batches)}")
            DynamoDbCalls.installed.discard(f"tests.support.unprocessed-{event}-{id(batches)}")
