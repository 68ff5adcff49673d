"""`closer package`: the zip Lambda runs, built for real (runtime wheels for arm64 come from PyPI)."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from infra.package import BYTECODE_PYTHON_VARIABLE, LAMBDA_PYTHON, is_lambda_python


def package(output: Path, bytecode_python: str) -> subprocess.CompletedProcess[str]:
    """`closer package`, compiling bytecode with `bytecode_python` (if it is the runtime's version)."""
    return subprocess.run(
        [sys.executable, "-m", "skill.tools", "package", "--output", str(output)],
        env={**os.environ, BYTECODE_PYTHON_VARIABLE: bytecode_python},
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )


def runtime_python() -> str | None:
    """A Python of the Lambda runtime's version on this machine (on the PATH, or pyenv's), if there is one."""
    found = [
        f"python{LAMBDA_PYTHON}",
        *map(str, sorted(Path.home().glob(f".pyenv/versions/{LAMBDA_PYTHON}.*/bin/python{LAMBDA_PYTHON}"))),
    ]
    return next((candidate for candidate in found if is_lambda_python(candidate)), None)


@pytest.fixture(scope="module")
def built_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The zip as a machine without the runtime's Python builds it (this one's Python is another)."""
    output = tmp_path_factory.mktemp("package") / "closer-together.zip"
    built = package(output, sys.executable)
    assert "the zip carries no bytecode, so each cold start compiles it" in built.stderr
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
    package(again, sys.executable)
    assert again.read_bytes() == built_zip.read_bytes()


def test_without_the_runtimes_python_the_zip_carries_sources_only(built_zip: Path) -> None:
    assert not [name for name in zipfile.ZipFile(built_zip).namelist() if name.endswith(".pyc")]


@pytest.mark.skipif(
    runtime_python() is None,
    reason=f"needs a Python {LAMBDA_PYTHON} (the Lambda runtime's) to compile with; CI has only 3.11",
)
def test_with_the_runtimes_python_every_module_ships_compiled_and_is_loaded_unchecked(tmp_path: Path) -> None:
    """Lambda's code directory is read-only: bytecode the zip lacks is compiled on every cold start."""
    python = runtime_python()
    assert python is not None
    output = tmp_path / "closer-together.zip"
    package(output, python)
    names = set(zipfile.ZipFile(output).namelist())
    tag = f"cpython-{LAMBDA_PYTHON.replace('.', '')}"
    sources = [
        name for name in names if name.endswith(".py") and name.split("/")[0] in ("skill", "ask_sdk_core")
    ]
    missing = [
        source
        for source in sources
        if f"{source.rpartition('/')[0]}/__pycache__/{source.rpartition('/')[2][:-3]}.{tag}.pyc" not in names
    ]
    assert sources and not missing
    assert not [name for name in names if name.endswith(".pyc") and tag not in name]
    # Unchecked: Lambda's Python loads the bytecode without reading the source, so a source that no longer
    # compiles still imports, from its bytecode.
    unpacked = tmp_path / "task"
    zipfile.ZipFile(output).extractall(unpacked)
    (unpacked / "skill" / "vocabulary.py").write_text("this is not Python\n")
    imported = subprocess.run(
        [python, "-c", "import skill.vocabulary as v; print(v.Intent.START_CHECKIN.value)"],
        cwd=unpacked,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert imported.stdout.strip() == "StartCheckInIntent", imported.stderr


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
