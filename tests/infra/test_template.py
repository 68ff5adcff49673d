"""The template: lint-clean, and in step with the code that uses it."""

import re
from pathlib import Path

from cfnlint.decode import decode

from content import phrases
from skill.store.table import ATTRIBUTE_DEFINITIONS, BACKUP_RETENTION_DAYS, KEY_SCHEMA
from tests.support import ROOT, TEMPLATE

ASK_CLI_PARAMETERS = {"SkillId", "LambdaRuntime", "LambdaHandler", "CodeBucket", "CodeKey", "CodeVersion"}
# What Lambda's SQS poller does with the function's role to run an event source mapping.
SQS_POLLER_ACTIONS = {"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"}


def template() -> dict:
    parsed, errors = decode(str(TEMPLATE))
    assert not errors
    return parsed


def test_keeps_the_ask_cli_parameter_names() -> None:
    assert set(template()["Parameters"]) >= ASK_CLI_PARAMETERS


def test_table_has_the_key_schema_the_store_uses_and_is_protected() -> None:
    table = template()["Resources"]["Table"]
    assert table["DeletionPolicy"] == "Retain"
    properties = table["Properties"]
    assert properties["KeySchema"] == KEY_SCHEMA
    assert properties["AttributeDefinitions"] == ATTRIBUTE_DEFINITIONS
    assert properties["BillingMode"] == "PAY_PER_REQUEST"
    assert properties["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert properties["SSESpecification"]["SSEEnabled"] is True


def _operations_the_code_calls(service: str, call: str) -> set[str]:
    """The actions of `service` that skill/store/ calls through `.call("operation"` (DynamoDB) or
    `.sqs("operation"` (SQS), in IAM's spelling."""
    calls: set[str] = set()
    for path in (ROOT / "skill" / "store").rglob("*.py"):
        calls |= set(re.findall(rf'\.{call}\(\s*"(\w+)"', Path(path).read_text(encoding="utf-8")))
    return {f"{service}:" + "".join(part.title() for part in name.split("_")) for name in calls}


def _role_statement(policy_name: str) -> dict:
    policies = template()["Resources"]["FunctionRole"]["Properties"]["Policies"]
    policy = next(policy for policy in policies if policy["PolicyName"] == policy_name)
    [statement] = policy["PolicyDocument"]["Statement"]
    return statement


def test_the_role_may_do_exactly_what_the_store_does_on_the_one_table() -> None:
    statement = _role_statement("closer-together-table")
    assert set(statement["Action"]) == _operations_the_code_calls("dynamodb", "call")
    assert statement["Resource"] == {"Fn::GetAtt": ["Table", "Arn"]}


def test_the_role_may_do_on_the_purge_queue_what_the_code_and_lambdas_poller_do() -> None:
    statement = _role_statement("closer-together-purge-queue")
    code = _operations_the_code_calls("sqs", "sqs")
    assert code == {"sqs:SendMessage"}, "the scan found the purge queue's calls"
    assert set(statement["Action"]) == code | SQS_POLLER_ACTIONS
    assert statement["Resource"] == {"Fn::GetAtt": ["PurgeQueue", "Arn"]}


def test_purges_the_function_cannot_finish_go_to_a_dead_letter_queue() -> None:
    resources = template()["Resources"]
    queue = resources["PurgeQueue"]["Properties"]
    assert queue["RedrivePolicy"]["deadLetterTargetArn"] == {"Fn::GetAtt": ["PurgeDeadLetterQueue", "Arn"]}
    assert 1 < queue["RedrivePolicy"]["maxReceiveCount"] <= 10
    # A message must not come back while a step may still be working on it.
    assert queue["VisibilityTimeout"] >= 6 * resources["Function"]["Properties"]["Timeout"]
    assert resources["PurgeDeadLetterQueue"]["Properties"]["MessageRetentionPeriod"] == 14 * 24 * 3600
    mapping = resources["PurgeEvents"]["Properties"]
    assert mapping["EventSourceArn"] == {"Fn::GetAtt": ["PurgeQueue", "Arn"]}
    assert mapping["FunctionName"] == {"Ref": "Function"}
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert resources["Function"]["Properties"]["Environment"]["Variables"]["PURGE_QUEUE_URL"] == {
        "Ref": "PurgeQueue"
    }


def test_backups_keep_deleted_items_as_long_as_the_skill_says() -> None:
    recovery = template()["Resources"]["Table"]["Properties"]["PointInTimeRecoverySpecification"]
    assert recovery["RecoveryPeriodInDays"] == BACKUP_RETENTION_DAYS < 35
    said = f"for up to {BACKUP_RETENTION_DAYS} days"
    assert said in phrases().privacy.backups_card
    assert said in (ROOT / "README.md").read_text(encoding="utf-8")


def test_function_is_arm64_python_with_a_timeout_inside_alexas_eight_seconds() -> None:
    function = template()["Resources"]["Function"]["Properties"]
    assert function["Architectures"] == ["arm64"]
    assert function["Timeout"] < 8
    assert set(function["Environment"]["Variables"]) == {"TABLE_NAME", "SKILL_ID", "PURGE_QUEUE_URL"}


def test_only_alexa_with_our_skill_id_may_invoke() -> None:
    permission = template()["Resources"]["AlexaInvokePermission"]["Properties"]
    assert permission["Principal"] == "alexa-appkit.amazon.com"
    assert permission["EventSourceToken"] == {"Ref": "SkillId"}
