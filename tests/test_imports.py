"""Test modules share code through tests.support only: a test module never imports another test module."""

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
SUPPORT = TESTS / "support"


def forbidden_imports(source: str, in_support: bool = False) -> list[str]:
    """The imports of tests' own modules other than tests.support (relative ones too, outside support)."""
    forbidden = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.level:
            if not in_support:
                forbidden.append("." * node.level + (node.module or ""))
            continue
        if isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            ours = name == "tests" or name.startswith("tests.")
            if ours and not (name == "tests.support" or name.startswith("tests.support.")):
                forbidden.append(name)
    return forbidden


def test_test_modules_import_no_other_test_module() -> None:
    modules = sorted(TESTS.rglob("*.py"))
    assert len(modules) > 20, "the scan found the test modules"
    offending = {
        str(path.relative_to(TESTS)): found
        for path in modules
        if (found := forbidden_imports(path.read_text(encoding="utf-8"), SUPPORT in path.parents))
    }
    assert offending == {}, "share it through tests/support instead"


@pytest.mark.parametrize(
    ("source", "forbidden"),
    [
        ("from tests.support import Household", []),
        ("from tests.support.aws import REGION", []),
        ("import tests.support", []),
        ("from skill.context import household_id", []),
        ("from tests.handlers.test_appreciation import stored", ["tests.handlers.test_appreciation"]),
        ("import tests.e2e.test_faults", ["tests.e2e.test_faults"]),
        ("from tests import conftest", ["tests"]),
        ("from .test_chat import run_chat", [".test_chat"]),
        ("def f():\n    from tests.skill.test_chat import run_chat", ["tests.skill.test_chat"]),
    ],
)
def test_the_check_finds_imports_of_test_modules(source: str, forbidden: list[str]) -> None:
    assert forbidden_imports(source) == forbidden
