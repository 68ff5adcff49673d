"""Builds the Lambda deployment zip: the modules the runtime imports, their data, and their runtime
dependencies for arm64.

boto3 and botocore are not bundled: every Lambda Python runtime ships them, and bundling them would
multiply the zip's size (and the cold start's unzip) several times over.
"""

import ast
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from importlib.metadata import requires
from pathlib import Path

from content.schema import validate_all
from handlers.registry import FEATURES

ROOT = Path(__file__).resolve().parent.parent
OUR_PACKAGES = ("skill", "handlers", "content")
RUNTIME_ENTRY = "skill.entry"  # the module that holds Lambda's handler
PROVIDED_BY_RUNTIME = {"boto3", "botocore"}
# The runtime's botocore needs python-dateutil 2.x; a newer one bundled here would shadow it.
RUNTIME_CONSTRAINTS = ("python-dateutil<3",)
LAMBDA_PYTHON = "3.12"  # the template's default runtime, python3.12
LAMBDA_PLATFORM = (
    "--platform",
    "manylinux2014_aarch64",
    "--implementation",
    "cp",
    "--python-version",
    LAMBDA_PYTHON,
)
# Lambda's code directory is read-only, so Python can keep no bytecode it compiles there: whatever the zip
# does not carry compiled, every cold start compiles again (our modules and the SDK's: ~90 ms of CPU here).
BYTECODE_PYTHON_VARIABLE = "CLOSER_BYTECODE_PYTHON"
LAMBDA_CODE_DIR = "/var/task"
FIXED_TIME = (2020, 1, 1, 0, 0, 0)  # the same inputs give the same zip, byte for byte


def runtime_requirements() -> list[str]:
    """Our declared runtime dependencies, less what the Lambda runtime provides."""
    declared = [req for req in requires("closer-together") or [] if "extra ==" not in req]
    return [
        req for req in declared if re.split(r"[<>=!~ ;\[]", req, maxsplit=1)[0] not in PROVIDED_BY_RUNTIME
    ]


def install_dependencies(target: Path) -> None:
    """Install the runtime dependencies as wheels built for Lambda's arm64 Python."""
    command = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    command += [
        "--target",
        str(target),
        "--only-binary=:all:",
        *LAMBDA_PLATFORM,
        *runtime_requirements(),
        *RUNTIME_CONSTRAINTS,
    ]
    subprocess.run(command, check=True)


def _module_file(module: str) -> Path | None:
    """Our source file for a module name (a package's __init__.py), or None if it is not ours."""
    path = ROOT.joinpath(*module.split("."))
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imported_names(source: Path) -> set[str]:
    """Every module a file imports, anywhere in it (deferred imports inside functions too); for
    `from package import name`, both the package and package.name, which may be a module."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def runtime_modules() -> dict[str, Path]:
    """Our modules the runtime can import, from the Lambda entry and from each feature's handlers module
    (imported by name, the first time a request needs it) outwards, with their parent packages."""
    found: dict[str, Path] = {}
    pending = [RUNTIME_ENTRY, *(feature.module for feature in FEATURES)]
    while pending:
        module = pending.pop()
        if module in found or module.split(".")[0] not in OUR_PACKAGES:
            continue
        source = _module_file(module)
        if source is None:
            continue
        found[module] = source
        parents = [module.rsplit(".", depth)[0] for depth in range(1, module.count(".") + 1)]
        pending += [*parents, *_imported_names(source)]
    return found


def runtime_files() -> list[Path]:
    """What the zip holds of ours: the runtime's modules and the data files beside them."""
    modules = set(runtime_modules().values())
    folders = {path.parent for path in modules}
    data = {
        path for folder in folders for path in folder.iterdir() if path.is_file() and path.suffix != ".py"
    }
    return sorted(modules | data)


def bytecode_python() -> str | None:
    """A Python of the Lambda runtime's version to compile the zip's bytecode with: the one
    $CLOSER_BYTECODE_PYTHON names if it is set, else `python3.12` on the PATH; None if it is not one."""
    candidate = os.environ.get(BYTECODE_PYTHON_VARIABLE) or f"python{LAMBDA_PYTHON}"
    return candidate if is_lambda_python(candidate) else None


def is_lambda_python(candidate: str) -> bool:
    """Whether `candidate` runs, and as the Lambda runtime's Python version."""
    if shutil.which(candidate) is None:
        return False
    try:
        reported = subprocess.run(
            [candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return False
    return reported == LAMBDA_PYTHON


def compile_bytecode(python: str, tree: Path) -> None:
    """Compile every module under `tree` with `python`, as it will sit in Lambda's code directory. Unchecked
    hash-based bytecode: Python loads it without comparing it to its source, which in a zip never changes,
    and the same source always gives the same bytes (the zip stays reproducible)."""
    command = [python, "-W", "ignore", "-m", "compileall", "-q", "-j", "0"]
    command += ["--invalidation-mode", "unchecked-hash"]
    subprocess.run([*command, "-s", str(tree), "-p", LAMBDA_CODE_DIR, str(tree)], check=True, timeout=600)


def _wanted(relative: str) -> bool:
    """Sources and data, and bytecode only as compiled for the Lambda runtime's Python."""
    bytecode = relative.endswith(".pyc")
    runtime_bytecode = bytecode and relative.endswith(f".cpython-{LAMBDA_PYTHON.replace('.', '')}.pyc")
    return not (
        (bytecode and not runtime_bytecode)
        or ("__pycache__" in relative and not runtime_bytecode)
        or relative.endswith(".dist-info/RECORD")
        or relative.startswith(("bin/", "boto3/", "botocore/"))
    )


def _add_file(archive: zipfile.ZipFile, path: Path, relative: str) -> None:
    info = zipfile.ZipInfo(relative, FIXED_TIME)
    info.external_attr = 0o644 << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, path.read_bytes())


def _add_tree(archive: zipfile.ZipFile, tree: Path) -> None:
    """Every wanted file under `tree`, at its path relative to it, in a fixed order."""
    for path in sorted(tree.rglob("*")):
        relative = path.relative_to(tree).as_posix()
        if path.is_file() and _wanted(relative):
            _add_file(archive, path, relative)


def build_zip(output: Path) -> Path:
    """Write the deployment zip to `output` and return its path. The content it ships is validated first
    (the Lambda reads it without a validation library), so a broken data file stops the build. With a
    Python of the runtime's version at hand (`bytecode_python`), the zip carries compiled bytecode too."""
    validate_all()
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="closer-package-") as scratch:
        tree = Path(scratch)
        install_dependencies(tree)
        for path in runtime_files():
            staged = tree / path.relative_to(ROOT)
            staged.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, staged)
        python = bytecode_python()
        if python is not None:
            compile_bytecode(python, tree)
        else:
            print(
                f"No Python {LAMBDA_PYTHON} found (set {BYTECODE_PYTHON_VARIABLE}, or put "
                f"python{LAMBDA_PYTHON} on the PATH): the zip carries no bytecode, so each cold start "
                "compiles it.",
                file=sys.stderr,
            )
        with zipfile.ZipFile(output, "w") as archive:
            _add_tree(archive, tree)
    return output
