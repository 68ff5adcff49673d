"""The template: lint-clean, and in step with the code that uses it."""

import re
from pathlib import Path

from cfnlint.decode import decode

from skill.store.table import ATTRIBUTE_DEFINITIONS, KEY_SCHEMA
from tests.support import ROOT, TEMPLATE

ASK_CLI_PARAMETERS = {"SkillId", "LambdaRuntime", "LambdaHandler", "CodeBucket", "CodeKey", "CodeVersion"}


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


def _operations_the_code_calls() -> set[str]:
    calls: set[str] = set()
    for path in (ROOT / "skill" / "store").rglob("*.py"):
        calls |= set(re.findall(r'\.call\(\s*"(\w+)"', Path(path).read_text(encoding="utf-8")))
    return {"dynamodb:" + "".join(part.title() for part in name.split("_")) for name in calls}


def test_the_role_may_do_exactly_what_the_store_does_on_the_one_table() -> None:
    policies = template()["Resources"]["FunctionRole"]["Properties"]["Policies"]
    table_policy = next(policy for policy in policies if policy["PolicyName"] == "closer-together-table")
    [statement] = table_policy["PolicyDocument"]["Statement"]
    assert set(statement["Action"]) == _operations_the_code_calls()
    assert statement["Resource"] == {"Fn::GetAtt": ["Table", "Arn"]}


def test_function_is_arm64_python_with_a_timeout_inside_alexas_eight_seconds() -> None:
    function = template()["Resources"]["Function"]["Properties"]
    assert function["Architectures"] == ["arm64"]
    assert function["Timeout"] < 8
    assert set(function["Environment"]["Variables"]) == {"TABLE_NAME", "SKILL_ID"}


def test_only_alexa_with_our_skill_id_may_invoke() -> None:
    permission = template()["Resources"]["AlexaInvokePermission"]["Properties"]
    assert permission["Principal"] == "alexa-appkit.amazon.com"
    assert permission["EventSourceToken"] == {"Ref": "SkillId"}
