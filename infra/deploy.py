"""`closer deploy`: the Lambda zip into a versioned S3 bucket, then the stack created or updated through a
CloudFormation change set, with the stack's events printed as they happen.

Every step takes the boto3 clients it uses, so the tests drive this same code against moto.
"""

import hashlib
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

from infra.package import build_zip

TEMPLATE = Path(__file__).resolve().parent / "template.yaml"
ZIP_NAME = "closer-together.zip"
# S3 user metadata holding the zip's sha256: the zip is deterministic, so an equal digest means equal code.
DIGEST_METADATA = "sha256"
POLL_SECONDS = 5.0
SUCCEEDED = frozenset({"CREATE_COMPLETE", "UPDATE_COMPLETE"})
# How CloudFormation words "this change set would change nothing" (the AWS CLI's deploy checks the same two).
NO_CHANGES = ("didn't contain changes", "No updates are to be performed")
CREDENTIAL_ERRORS = frozenset(
    {
        "InvalidClientTokenId",
        "InvalidAccessKeyId",
        "SignatureDoesNotMatch",
        "ExpiredToken",
        "ExpiredTokenException",
        "UnrecognizedClientException",
    }
)

Client = Any  # boto3 clients are generated at runtime; their stubs are not a dependency of ours
Event = dict[str, Any]


class DeployError(Exception):
    """The deploy stopped; the message says why and, where we know it, what to do."""


@dataclass(frozen=True)
class Target:
    """Where the skill goes: the stack, the skill it serves, the bucket holding its code, and the AWS
    account that must own that bucket (ours)."""

    stack: str
    skill_id: str
    bucket: str
    region: str
    account: str

    @property
    def key(self) -> str:
        """One key per stack, so several stacks can share a bucket."""
        return f"{self.stack}/{ZIP_NAME}"


def default_bucket(account: str, region: str) -> str:
    """A bucket name that is unique per account and region, as S3's global namespace requires."""
    return f"closer-together-{account}-{region}"


def _error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def expect_bucket_owner(s3: Client, account: str) -> None:
    """Make every request of this S3 client that can name the bucket's owner name `account`, so S3 refuses
    (403) to read or write a bucket someone else owns: bucket names are global and ours is predictable, so
    another account could create it first and serve a zip whose metadata claims our code's digest.
    CreateBucket alone takes no owner; it fails on a bucket another account holds."""

    def name_the_owner(params: dict[str, Any], model: Any, **_: Any) -> None:
        if "ExpectedBucketOwner" in model.input_shape.members:
            params.setdefault("ExpectedBucketOwner", account)

    s3.meta.events.register("provide-client-params.s3", name_the_owner, unique_id="closer-expected-owner")


def bucket_exists(s3: Client, bucket: str) -> bool:
    """Whether the bucket exists (and is ours to use: a foreign bucket raises AccessDenied, or a
    DeployError when the client expects an owner, see `expect_bucket_owner`)."""
    try:
        s3.head_bucket(Bucket=bucket)
    except ClientError as error:
        if _error_code(error) in {"404", "NoSuchBucket", "NotFound"}:
            return False
        if _error_code(error) in {"403", "AccessDenied", "Forbidden"}:
            raise DeployError(
                f"Bucket {bucket} belongs to another AWS account, or this one may not use it: "
                "pass --bucket to name a bucket of your own."
            ) from error
        raise
    return True


def prepare_bucket(s3: Client, bucket: str, region: str, *, create: bool) -> None:
    """Make sure the bucket exists and is versioned, creating or versioning it only when asked to."""
    if not bucket_exists(s3, bucket):
        if not create:
            raise DeployError(f"Bucket {bucket} does not exist: pass --create-bucket to create it.")
        # us-east-1 is S3's default location and refuses to be named as a location constraint.
        location = (
            {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
        )
        s3.create_bucket(Bucket=bucket, **location)
        print(f"Created bucket {bucket} in {region}.")
    if s3.get_bucket_versioning(Bucket=bucket).get("Status") != "Enabled":
        # Without versions the stack's parameters never change when only the code does, so
        # CloudFormation would not update the function; a version id pins the exact zip.
        if not create:
            raise DeployError(
                f"Bucket {bucket} is not versioned: pass --create-bucket to enable versioning on it."
            )
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        print(f"Enabled versioning on bucket {bucket}.")


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def current_object(s3: Client, bucket: str, key: str) -> dict[str, Any] | None:
    """The latest version's head, or None if the key holds nothing yet."""
    try:
        return s3.head_object(Bucket=bucket, Key=key)
    except ClientError as error:
        if _error_code(error) in {"404", "NoSuchKey", "NotFound"}:
            return None
        raise


def upload_zip(s3: Client, bucket: str, key: str, zip_path: Path) -> str:
    """Upload the zip unless the latest version already holds the same bytes; return the version id."""
    digest = sha256_of(zip_path)
    current = current_object(s3, bucket, key)
    if current is not None and current.get("Metadata", {}).get(DIGEST_METADATA) == digest:
        print(f"Code unchanged (sha256 {digest[:12]}): keeping s3://{bucket}/{key} {current['VersionId']}.")
        return str(current["VersionId"])
    with zip_path.open("rb") as body:
        put = s3.put_object(Bucket=bucket, Key=key, Body=body, Metadata={DIGEST_METADATA: digest})
    print(f"Uploaded {zip_path.name} to s3://{bucket}/{key} as version {put['VersionId']}.")
    return str(put["VersionId"])


def stack_status(cloudformation: Client, stack: str) -> str | None:
    """The stack's status, or None if there is no such stack."""
    try:
        stacks = cloudformation.describe_stacks(StackName=stack)["Stacks"]
    except ClientError as error:
        if "does not exist" in error.response.get("Error", {}).get("Message", ""):
            return None
        raise
    return str(stacks[0]["StackStatus"])


def change_set_type(stack: str, status: str | None) -> str:
    """CREATE for a new stack (or one whose first change set was never executed), else UPDATE."""
    if status in (None, "REVIEW_IN_PROGRESS"):
        return "CREATE"
    if status == "ROLLBACK_COMPLETE":
        raise DeployError(
            f"Stack {stack} failed to create and was rolled back; it cannot be updated. Delete it "
            f"(aws cloudformation delete-stack --stack-name {stack}) and deploy again."
        )
    if status.endswith("_IN_PROGRESS"):
        raise DeployError(f"Stack {stack} is busy ({status}); wait for it to settle and deploy again.")
    return "UPDATE"


def stack_parameters(target: Target, code_version: str) -> list[dict[str, str]]:
    """The template's parameters (ASK CLI cfn-deployer names); the rest keep the template's defaults."""
    values = {
        "SkillId": target.skill_id,
        "CodeBucket": target.bucket,
        "CodeKey": target.key,
        "CodeVersion": code_version,
    }
    return [{"ParameterKey": key, "ParameterValue": value} for key, value in values.items()]


def create_change_set(cloudformation: Client, target: Target, kind: str, code_version: str) -> str:
    """Ask CloudFormation for a change set; return its id (an ARN)."""
    name = "closer-deploy-" + datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
    response = cloudformation.create_change_set(
        StackName=target.stack,
        ChangeSetName=name,
        ChangeSetType=kind,
        TemplateBody=TEMPLATE.read_text(encoding="utf-8"),
        Parameters=stack_parameters(target, code_version),
        Capabilities=["CAPABILITY_IAM"],
        Description="closer deploy",
    )
    return str(response["Id"])


def wait_for_change_set(cloudformation: Client, change_set_id: str, poll_seconds: float) -> dict[str, Any]:
    """Poll until CloudFormation has worked out the change set (or failed to)."""
    while True:
        description = cloudformation.describe_change_set(ChangeSetName=change_set_id)
        if description["Status"] in {"CREATE_COMPLETE", "FAILED"}:
            return description
        time.sleep(poll_seconds)


def changes_nothing(change_set: dict[str, Any]) -> bool:
    """Whether CloudFormation refused the change set only because it would change nothing."""
    reason = change_set.get("StatusReason") or ""
    return change_set["Status"] == "FAILED" and any(words in reason for words in NO_CHANGES)


def print_changes(change_set: dict[str, Any]) -> None:
    """What the change set is about to do, one resource a line."""
    for change in change_set.get("Changes", []):
        resource = change.get("ResourceChange", {})
        print(f"  {resource.get('Action', '?'):<8} {resource.get('LogicalResourceId', '?')}")


def newest_event_id(cloudformation: Client, stack: str) -> str | None:
    """The stack's latest event, so following it later shows only what this deploy caused."""
    events = cloudformation.describe_stack_events(StackName=stack)["StackEvents"]
    return str(events[0]["EventId"]) if events else None


def events_since(cloudformation: Client, stack: str, seen: str | None) -> list[Event]:
    """The stack's events after `seen`, oldest first (CloudFormation lists newest first)."""
    fresh: list[Event] = []
    for page in cloudformation.get_paginator("describe_stack_events").paginate(StackName=stack):
        for event in page["StackEvents"]:
            if event["EventId"] == seen:
                return fresh[::-1]
            fresh.append(event)
    return fresh[::-1]


def format_event(event: Event) -> str:
    """One event as a progress line."""
    reason = event.get("ResourceStatusReason") or ""
    return (
        f"  {event['Timestamp']:%H:%M:%S}  {event['LogicalResourceId']:<20} "
        f"{event['ResourceStatus']:<28} {reason}".rstrip()
    )


def follow_stack(
    cloudformation: Client, stack: str, seen: str | None, poll_seconds: float
) -> tuple[str, list[Event]]:
    """Print the stack's events as they arrive until it settles; return its final status and the events."""
    followed: list[Event] = []
    while True:
        # Status before events: once the status is final, the events read after it include the last ones.
        status = stack_status(cloudformation, stack) or "DELETE_COMPLETE"  # deleted by someone meanwhile
        fresh = events_since(cloudformation, stack, seen)
        for event in fresh:
            print(format_event(event), flush=True)
        if fresh:
            seen = fresh[-1]["EventId"]
        followed += fresh
        if not status.endswith("_IN_PROGRESS"):
            return status, followed
        time.sleep(poll_seconds)


def explain_failure(stack: str, status: str, events: list[Event]) -> str:
    """The message for a stack that did not deploy: its status and the events that say why."""
    telling = [
        event
        for event in events
        if event.get("ResourceStatusReason")
        and ("FAILED" in event["ResourceStatus"] or event["ResourceStatus"].endswith("ROLLBACK_IN_PROGRESS"))
    ]
    lines = [f"Stack {stack} did not deploy: it ended in {status}."]
    if telling:
        lines.append("CloudFormation's events that explain it:")
        lines += [format_event(event) for event in telling]
    return "\n".join(lines)


def skill_endpoint(cloudformation: Client, stack: str) -> str:
    """The function ARN the stack outputs, for the skill manifest's endpoint."""
    outputs = cloudformation.describe_stacks(StackName=stack)["Stacks"][0].get("Outputs") or []
    for output in outputs:
        if output["OutputKey"] == "SkillEndpoint":
            return str(output["OutputValue"])
    raise DeployError(f"Stack {stack} has no SkillEndpoint output; is it this project's template?")


def deploy_stack(cloudformation: Client, target: Target, code_version: str, poll_seconds: float) -> None:
    """Create or update the stack through a change set; a change set that changes nothing is discarded."""
    kind = change_set_type(target.stack, stack_status(cloudformation, target.stack))
    change_set_id = create_change_set(cloudformation, target, kind, code_version)
    change_set = wait_for_change_set(cloudformation, change_set_id, poll_seconds)
    if changes_nothing(change_set):
        cloudformation.delete_change_set(ChangeSetName=change_set_id)
        print(f"Stack {target.stack} is already up to date: nothing to deploy.")
        return
    if change_set["Status"] == "FAILED":
        raise DeployError(f"CloudFormation refused the change set: {change_set.get('StatusReason')}")
    print(f"{'Creating' if kind == 'CREATE' else 'Updating'} stack {target.stack}:")
    print_changes(change_set)
    seen = newest_event_id(cloudformation, target.stack)
    cloudformation.execute_change_set(ChangeSetName=change_set_id)
    status, events = follow_stack(cloudformation, target.stack, seen, poll_seconds)
    if status not in SUCCEEDED:
        raise DeployError(explain_failure(target.stack, status, events))


def deploy(
    s3: Client,
    cloudformation: Client,
    target: Target,
    zip_path: Path,
    *,
    create_bucket: bool = False,
    poll_seconds: float = POLL_SECONDS,
) -> str:
    """Deploy the zip to the target and return the function ARN to use as the skill's endpoint."""
    expect_bucket_owner(s3, target.account)
    prepare_bucket(s3, target.bucket, target.region, create=create_bucket)
    code_version = upload_zip(s3, target.bucket, target.key, zip_path)
    deploy_stack(cloudformation, target, code_version, poll_seconds)
    return skill_endpoint(cloudformation, target.stack)


@contextmanager
def _explained_aws_errors() -> Iterator[None]:
    """Turn AWS's exceptions into DeployError messages a person can act on."""
    try:
        yield
    except NoCredentialsError as error:
        raise DeployError(
            "No AWS credentials found: run `aws configure` or `aws sso login`, or set AWS_PROFILE."
        ) from error
    except ClientError as error:
        code, message = _error_code(error), error.response.get("Error", {}).get("Message", "")
        if code in CREDENTIAL_ERRORS:
            raise DeployError(f"AWS rejected the credentials ({code}): {message}") from error
        raise DeployError(f"AWS refused {error.operation_name}: {code}: {message}") from error
    except BotoCoreError as error:
        raise DeployError(f"AWS could not be reached or configured: {error}") from error


@contextmanager
def _zip_to_deploy(prebuilt: Path | None) -> Iterator[Path]:
    """The prebuilt zip if given, else a fresh build in a scratch directory that is removed afterwards."""
    if prebuilt is not None:
        yield prebuilt
        return
    with tempfile.TemporaryDirectory(prefix="closer-deploy-") as scratch:
        print("Building the Lambda zip…", flush=True)
        built = build_zip(Path(scratch) / ZIP_NAME)
        print(f"Built {ZIP_NAME} ({built.stat().st_size / 1_000_000:.1f} MB).")
        yield built


def run(
    stack: str,
    skill_id: str,
    *,
    bucket: str | None = None,
    create_bucket: bool = False,
    region: str | None = None,
    zip_path: Path | None = None,
) -> str:
    """`closer deploy`: credentials and region from the usual AWS sources; return the function ARN."""
    with _explained_aws_errors():
        session = boto3.Session(region_name=region)
        if session.region_name is None:
            raise DeployError("No AWS region: pass --region or set AWS_REGION.")
        # Asking who we are first makes bad credentials fail before anything is built or uploaded.
        account = session.client("sts").get_caller_identity()["Account"]
        print(f"Deploying stack {stack} to account {account} in {session.region_name}.")
        target = Target(
            stack,
            skill_id,
            bucket or default_bucket(account, session.region_name),
            session.region_name,
            account,
        )
        with _zip_to_deploy(zip_path) as zip_to_deploy:
            return deploy(
                session.client("s3"),
                session.client("cloudformation"),
                target,
                zip_to_deploy,
                create_bucket=create_bucket,
            )
