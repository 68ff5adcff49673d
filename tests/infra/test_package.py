"""`closer package`: the zip Lambda runs, built for real (runtime wheels for arm64 come from PyPI)."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def built_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("package") / "closer-together.zip"
    subprocess.run(
        [sys.executable, "-m", "skill.tools", "package", "--output", str(output)], check=True, timeout=300
    )
    return output


def test_zip_holds_our_code_and_data_but_not_the_console_or_skill_package(built_zip: Path) -> None:
    names = set(zipfile.ZipFile(built_zip).namelist())
    assert {"skill/entry.py", "skill/app.py", "handlers/builtin.py", "content/phrases.json"} <= names
    assert not any(name.startswith(("skill/tools/console/", "skill/package/")) for name in names)
    assert not {"skill/tools/serve.py", "skill/tools/webservice.py", "skill/tools/cli.py"} & names


def test_zip_bundles_runtime_dependencies_for_arm64_but_not_boto3_or_pydantic(built_zip: Path) -> None:
    names = zipfile.ZipFile(built_zip).namelist()
    assert any(name.startswith("ask_sdk_core/") for name in names)
    assert any(name.startswith("charset_normalizer/") and "aarch64" in name for name in names)
    # Content is validated when the zip is built; the Lambda only reads it.
    assert not any(name.startswith(("boto3/", "botocore/", "pydantic/", "pydantic_core/")) for name in names)


def test_same_sources_give_the_same_zip(built_zip: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.zip"
    subprocess.run(
        [sys.executable, "-m", "skill.tools", "package", "--output", str(again)], check=True, timeout=300
    )
    assert again.read_bytes() == built_zip.read_bytes()


def test_the_zip_is_built_from_what_the_runtime_imports() -> None:
    from infra.package import OUR_PACKAGES, runtime_modules

    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, skill.entry; from handlers.registry import FEATURES; "
            "[feature.handler_classes() for feature in FEATURES]; "
            f"print('\\n'.join(m for m in sys.modules if m.split('.')[0] in {OUR_PACKAGES!r}))",
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout.split()
    packaged = set(runtime_modules())
    assert set(loaded) <= packaged, set(loaded) - packaged
    assert not [module for module in packaged if module.startswith("skill.tools")]
    assert {"handlers.appreciation.handlers", "skill.store.checkins", "content.questions"} <= packaged
