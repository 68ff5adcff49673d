"""SnapStart is an option of the stack, off by default: on, Alexa calls an alias of a published version that
SnapStart applies to; off, the function itself, with no version or alias to pay for.

moto's CloudFormation has no Lambda aliases, so the template is read here with its conditions resolved as
CloudFormation would resolve them for each value of the parameter."""

from typing import Any

import pytest
from cfnlint.decode import decode

from tests.support import TEMPLATE


def template() -> dict[str, Any]:
    parsed, errors = decode(str(TEMPLATE))
    assert not errors
    return parsed


def resolved(value: Any, conditions: dict[str, bool]) -> Any:
    """The template value with every Fn::If taken and every AWS::NoValue dropped."""
    if isinstance(value, list):
        return [resolved(item, conditions) for item in value if item != {"Ref": "AWS::NoValue"}]
    if not isinstance(value, dict):
        return value
    if set(value) == {"Fn::If"}:
        name, when_true, when_false = value["Fn::If"]
        return resolved(when_true if conditions[name] else when_false, conditions)
    return {
        key: resolved(item, conditions)
        for key, item in value.items()
        if resolved(item, conditions) != {"Ref": "AWS::NoValue"}
    }


def stack(snapstart: str) -> dict[str, Any]:
    """The resources and outputs CloudFormation would create with SnapStart set to `snapstart`."""
    parsed = template()
    conditions = {name: False for name in parsed["Conditions"]}
    conditions["UseSnapStart"] = snapstart == "on"
    resources = {
        name: resolved(resource, conditions)
        for name, resource in parsed["Resources"].items()
        if conditions.get(resource.get("Condition", ""), True)
    }
    return {"Resources": resources, "Outputs": resolved(parsed["Outputs"], conditions)}


def test_snapstart_is_a_parameter_off_by_default() -> None:
    parameter = template()["Parameters"]["SnapStart"]
    assert parameter["Default"] == "off" and set(parameter["AllowedValues"]) == {"off", "on"}


def test_off_alexa_calls_the_function_and_nothing_is_published() -> None:
    off = stack("off")
    assert "SnapStart" not in off["Resources"]["Function"]["Properties"]
    kinds = {resource["Type"] for resource in off["Resources"].values()}
    assert not kinds & {"AWS::Lambda::Version", "AWS::Lambda::Alias"}
    function_arn = {"Fn::GetAtt": ["Function", "Arn"]}
    assert off["Resources"]["AlexaInvokePermission"]["Properties"]["FunctionName"] == function_arn
    assert off["Outputs"]["SkillEndpoint"]["Value"] == function_arn


@pytest.mark.parametrize("where", ["permission", "endpoint"])
def test_on_alexa_calls_an_alias_of_a_version_snapstart_applies_to(where: str) -> None:
    on = stack("on")
    resources = on["Resources"]
    assert resources["Function"]["Properties"]["SnapStart"] == {"ApplyOn": "PublishedVersions"}
    [alias] = [name for name, resource in resources.items() if resource["Type"] == "AWS::Lambda::Alias"]
    [version] = [name for name, resource in resources.items() if resource["Type"] == "AWS::Lambda::Version"]
    assert resources[alias]["Properties"]["FunctionVersion"] == {"Fn::GetAtt": [version, "Version"]}
    assert resources[version]["Properties"]["FunctionName"] == {"Ref": "Function"}
    called = {
        "permission": resources["AlexaInvokePermission"]["Properties"]["FunctionName"],
        "endpoint": on["Outputs"]["SkillEndpoint"]["Value"],
    }[where]
    assert called == {"Ref": alias}


def test_new_code_publishes_a_new_version() -> None:
    """A Version's properties are immutable: naming the code's S3 version in one replaces it on new code."""
    version = stack("on")["Resources"]["FunctionVersion"]["Properties"]
    assert "${CodeVersion}" in version["Description"]["Fn::Sub"]
