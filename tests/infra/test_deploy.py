"""`closer deploy` against moto: the code's S3 versions, the stack's change sets, the function's code."""

import base64
import hashlib
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import botocore.handlers
import pytest
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from moto.cloudformation.models import CloudFormationBackend, Event
from moto.core import DEFAULT_ACCOUNT_ID, enable_iam_authentication

from infra.package import FIXED_TIME
from skill.tools.cli import main
from skill.tools.console.envelopes import LOCAL_SKILL_ID
from tests.support import REGION, source_zip

STACK = "closer-deploy"
BUCKET = "closer-deploy-code"
KEY = f"{STACK}/closer-together.zip"


@dataclass
class CloudFormationExecution:
    """How the patched moto executes the next change set: as AWS does, or failing on one resource."""

    failing_resource: str | None = None
    failure_reason: str = ""

    def fail_next(self, logical_id: str, reason: str) -> None:
        self.failing_resource, self.failure_reason = logical_id, reason


def _roll_back_update(stack: Any, logical_id: str, reason: str) -> None:
    """The events and status CloudFormation leaves when one resource fails during an update."""
    stack._add_stack_event("UPDATE_IN_PROGRESS", resource_status_reason="User Initiated")
    stack.events.append(
        Event(
            stack.stack_id,
            stack.name,
            logical_id,
            f"{stack.name}-skill",
            "AWS::Lambda::Function",
            "UPDATE_FAILED",
            reason,
            None,
        )
    )
    stack._add_stack_event(
        "UPDATE_ROLLBACK_IN_PROGRESS",
        resource_status_reason=f"The following resource(s) failed to update: [{logical_id}].",
    )
    stack._add_stack_event("UPDATE_ROLLBACK_COMPLETE")
    stack.status = "UPDATE_ROLLBACK_COMPLETE"


@pytest.fixture
def cloudformation(aws: None, monkeypatch: pytest.MonkeyPatch) -> CloudFormationExecution:
    """moto's CloudFormation, executing change sets as AWS does.

    moto 5 executes a change set without recording its parameters and outputs on the stack, and never
    rolls back ("TODO: handle execution errors and implement rollback" in its models.py). This fills
    those gaps, and lets a test make the next execution fail and roll back the way AWS reports it.
    """
    execution = CloudFormationExecution()
    original = CloudFormationBackend.execute_change_set

    def execute(backend: CloudFormationBackend, change_set_name: str, stack_name: str | None = None) -> None:
        change_set = backend.describe_change_set(change_set_name)
        stack = backend.stacks[change_set.stack_id]
        if execution.failing_resource:
            _roll_back_update(stack, execution.failing_resource, execution.failure_reason)
            execution.failing_resource = None
            return
        original(backend, change_set_name, stack_name)
        stack.parameters = change_set.parameters
        stack._parse_template()
        stack.output_map = stack._create_output_map()

    monkeypatch.setattr(CloudFormationBackend, "execute_change_set", execute)
    return execution


def code_zip(directory: Path, release: str) -> Path:
    """A stand-in deployment zip; each release differs in one file (moto stores code, never runs it)."""
    buffer = io.BytesIO(source_zip())
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr(zipfile.ZipInfo("RELEASE", FIXED_TIME), release)
    path = directory / f"{release}.zip"
    path.write_bytes(buffer.getvalue())
    return path


def closer_deploy(*arguments: str) -> None:
    main(["deploy", "--stack", STACK, "--skill-id", LOCAL_SKILL_ID, *arguments])


def deploy_zip(zip_path: Path) -> None:
    closer_deploy("--bucket", BUCKET, "--create-bucket", "--zip", str(zip_path))


def stack(region: str = REGION) -> dict[str, Any]:
    return boto3.client("cloudformation", region_name=region).describe_stacks(StackName=STACK)["Stacks"][0]


def stack_parameters(region: str = REGION) -> dict[str, str]:
    return {p["ParameterKey"]: p["ParameterValue"] for p in stack(region)["Parameters"]}


def stack_events() -> list[dict[str, Any]]:
    return boto3.client("cloudformation", region_name=REGION).describe_stack_events(StackName=STACK)[
        "StackEvents"
    ]


def code_versions(bucket: str = BUCKET, region: str = REGION) -> list[dict[str, Any]]:
    s3 = boto3.client("s3", region_name=region)
    return s3.list_object_versions(Bucket=bucket, Prefix=KEY).get("Versions", [])


def latest_version(bucket: str = BUCKET, region: str = REGION) -> str:
    return next(version["VersionId"] for version in code_versions(bucket, region) if version["IsLatest"])


def function(region: str = REGION) -> dict[str, Any]:
    return boto3.client("lambda", region_name=region).get_function(FunctionName=f"{STACK}-skill")


def lambda_sha256(path: Path) -> str:
    """The CodeSha256 Lambda reports for a zip: base64 of its sha256."""
    return base64.b64encode(hashlib.sha256(path.read_bytes()).digest()).decode()


def test_first_deploy_creates_a_versioned_bucket_and_the_stack_and_prints_the_function_arn(
    cloudformation: CloudFormationExecution, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    region = "eu-west-1"
    bucket = f"closer-together-{DEFAULT_ACCOUNT_ID}-{region}"

    closer_deploy("--region", region, "--create-bucket", "--zip", str(code_zip(tmp_path, "one")))

    out = capsys.readouterr().out
    arn = function(region)["Configuration"]["FunctionArn"]
    assert out.rstrip().endswith(arn)
    assert "CREATE_COMPLETE" in out
    assert stack(region)["StackStatus"] == "CREATE_COMPLETE"
    assert {"OutputKey": "SkillEndpoint", "OutputValue": arn} in [
        {key: output[key] for key in ("OutputKey", "OutputValue")} for output in stack(region)["Outputs"]
    ]
    s3 = boto3.client("s3", region_name=region)
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    assert s3.get_bucket_location(Bucket=bucket)["LocationConstraint"] == region
    parameters = stack_parameters(region)
    assert parameters["SkillId"] == LOCAL_SKILL_ID
    assert (parameters["CodeBucket"], parameters["CodeKey"]) == (bucket, KEY)
    assert parameters["CodeVersion"] == latest_version(bucket, region)


def test_a_code_change_uploads_a_new_version_and_points_the_function_at_it(
    cloudformation: CloudFormationExecution, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deploy_zip(code_zip(tmp_path, "one"))
    first_version = latest_version()
    capsys.readouterr()

    second = code_zip(tmp_path, "two")
    deploy_zip(second)

    out = capsys.readouterr().out
    assert "UPDATE_COMPLETE" in out
    assert len(code_versions()) == 2
    assert latest_version() != first_version
    assert stack_parameters()["CodeVersion"] == latest_version()
    assert function()["Configuration"]["CodeSha256"] == lambda_sha256(second)
    assert out.rstrip().endswith(function()["Configuration"]["FunctionArn"])


def test_deploying_the_same_code_again_changes_nothing_and_says_so(
    cloudformation: CloudFormationExecution, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    zip_path = code_zip(tmp_path, "one")
    deploy_zip(zip_path)
    events_before, stack_before = stack_events(), stack()
    capsys.readouterr()

    deploy_zip(zip_path)

    out = capsys.readouterr().out
    assert "Code unchanged" in out
    assert "already up to date" in out
    assert out.rstrip().endswith(function()["Configuration"]["FunctionArn"])
    assert len(code_versions()) == 1
    assert stack_events() == events_before
    assert stack()["StackStatus"] == stack_before["StackStatus"] == "CREATE_COMPLETE"
    # The change set that would have changed nothing is not left behind.
    change_sets = boto3.client("cloudformation", region_name=REGION).list_change_sets(StackName=STACK)
    assert [change_set["Status"] for change_set in change_sets["Summaries"]] == ["CREATE_COMPLETE"]


def test_a_failed_update_ends_non_zero_with_the_events_that_explain_it(
    cloudformation: CloudFormationExecution, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deploy_zip(code_zip(tmp_path, "one"))
    first_version = latest_version()
    capsys.readouterr()
    reason = 'Resource handler returned message: "Unzipped size must be smaller than 262144000 bytes"'
    cloudformation.fail_next("Function", reason)

    with pytest.raises(SystemExit) as exit_:
        deploy_zip(code_zip(tmp_path, "two"))

    assert exit_.value.code == 1
    captured = capsys.readouterr()
    assert "UPDATE_ROLLBACK_COMPLETE" in captured.out  # progress, as the events arrived
    assert "did not deploy: it ended in UPDATE_ROLLBACK_COMPLETE" in captured.err
    [failed] = [line for line in captured.err.splitlines() if "UPDATE_FAILED" in line]
    assert "Function" in failed and reason in failed
    assert "failed to update: [Function]" in captured.err
    assert stack()["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"
    assert stack_parameters()["CodeVersion"] == first_version


def test_a_missing_bucket_is_not_created_unless_asked(
    aws: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        closer_deploy("--bucket", BUCKET, "--zip", str(code_zip(tmp_path, "one")))

    assert exit_.value.code == 1
    assert f"Bucket {BUCKET} does not exist: pass --create-bucket" in capsys.readouterr().err
    assert boto3.client("s3", region_name=REGION).list_buckets()["Buckets"] == []


def test_no_credentials_are_reported_before_anything_is_built(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    # Nowhere else to find credentials either: no files, no instance metadata.
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "missing"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "missing"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")

    with pytest.raises(SystemExit) as exit_:
        closer_deploy("--bucket", BUCKET)

    assert exit_.value.code == 1
    assert "No AWS credentials found" in capsys.readouterr().err


def test_rejected_credentials_are_reported(
    aws: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with enable_iam_authentication(), pytest.raises(SystemExit) as exit_:
        deploy_zip(code_zip(tmp_path, "one"))

    assert exit_.value.code == 1
    assert "AWS rejected the credentials (InvalidClientTokenId)" in capsys.readouterr().err


def test_without_a_zip_it_builds_the_real_one_and_deploys_it(
    cloudformation: CloudFormationExecution, capsys: pytest.CaptureFixture[str]
) -> None:
    closer_deploy("--bucket", BUCKET, "--create-bucket")

    assert "Built closer-together.zip" in capsys.readouterr().out
    s3 = boto3.client("s3", region_name=REGION)
    body = s3.get_object(Bucket=BUCKET, Key=KEY)["Body"].read()
    names = set(zipfile.ZipFile(io.BytesIO(body)).namelist())
    assert {"skill/app.py", "ask_sdk_core/skill.py"} <= names
    assert stack()["StackStatus"] == "CREATE_COMPLETE"


SQUATTER = "999999999999"


class _NoBody:
    def stream(self, **_: Any) -> Iterator[bytes]:
        yield b""


@dataclass
class S3Requests:
    """Every S3 request the deploy sends (operation, the owner it expects), and S3's check moto lacks: a
    request that expects an owner other than the bucket's is refused with 403."""

    owners: dict[str, str] = field(default_factory=dict)  # bucket → its owner (else: the caller)
    sent: list[tuple[str, str | None]] = field(default_factory=list)

    def __call__(self, request: AWSPreparedRequest, event_name: str, **_: Any) -> AWSResponse | None:
        expected = request.headers.get("x-amz-expected-bucket-owner")
        self.sent.append((event_name.rsplit(".", 1)[-1], expected.decode() if expected else None))
        owner = next((owner for bucket, owner in self.owners.items() if bucket in request.url), None)
        if expected and owner and expected.decode() != owner:
            return AWSResponse(request.url, 403, {}, _NoBody())
        return None


@pytest.fixture
def s3_requests(monkeypatch: pytest.MonkeyPatch) -> S3Requests:
    """S3 requests seen before moto answers them: sessions made from now on register this first."""
    requests = S3Requests()
    monkeypatch.setattr(
        botocore.handlers,
        "BUILTIN_HANDLERS",
        [("before-send.s3", requests), *botocore.handlers.BUILTIN_HANDLERS],
    )
    return requests


def test_every_s3_request_of_a_deploy_names_our_account_as_the_buckets_owner(
    cloudformation: CloudFormationExecution, s3_requests: S3Requests, tmp_path: Path
) -> None:
    deploy_zip(code_zip(tmp_path, "one"))
    deploy_zip(code_zip(tmp_path, "two"))

    operations = {operation for operation, _ in s3_requests.sent}
    assert {"HeadBucket", "CreateBucket", "PutBucketVersioning", "HeadObject", "PutObject"} <= operations
    # CreateBucket is the one S3 operation that takes no expected owner.
    assert [
        sent for sent in s3_requests.sent if sent[0] != "CreateBucket" and sent[1] != DEFAULT_ACCOUNT_ID
    ] == []


def test_a_bucket_another_account_owns_is_never_used(
    aws: None, s3_requests: S3Requests, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket=BUCKET)
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    s3_requests.owners[BUCKET] = SQUATTER
    s3_requests.sent.clear()

    with pytest.raises(SystemExit) as exit_:
        deploy_zip(code_zip(tmp_path, "one"))

    assert exit_.value.code == 1
    assert f"Bucket {BUCKET} belongs to another AWS account" in capsys.readouterr().err
    assert [operation for operation, _ in s3_requests.sent] == ["HeadBucket"]
    assert code_versions() == []
