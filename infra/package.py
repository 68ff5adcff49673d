"""Builds the Lambda deployment zip: the modules the runtime imports, their data, and their runtime
dependencies for arm64.

boto3 and botocore are not bundled: every Lambda Python runtime ships them, and bundling them would
multiply the zip's size (and the cold start's unzip) several times over.
"""

import ast
import re
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
LAMBDA_PLATFORM = (
    "--platform",
    "manylinux2014_aarch64",
    "--implementation",
    "cp",
    "--python-version",
    "3.12",
)
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


def _wanted(relative: str) -> bool:
    return not (
        "__pycache__" in relative
        or relative.endswith((".pyc", ".dist-info/RECORD"))
        or relative.startswith(("bin/", "boto3/", "botocore/"))
    )


def _add_file(archive: zipfile.ZipFile, path: Path, relative: str) -> None:
    info = zipfile.ZipInfo(relative, FIXED_TIME)
    info.external_attr = 0o644 << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, path.read_bytes())


def _add_tree(archive: zipfile.ZipFile, base: Path, top: Path) -> None:
    for path in sorted(top.rglob("*")):
        relative = path.relative_to(base).as_posix()
        if path.is_file() and _wanted(relative):
            _add_file(archive, path, relative)


def build_zip(output: Path) -> Path:
    """Write the deployment zip to `output` and return its path. The content it ships is validated first
    (the Lambda reads it without a validation library), so a broken data file stops the build."""
    validate_all()
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="closer-package-") as scratch:
        dependencies = Path(scratch)
        install_dependencies(dependencies)
        with zipfile.ZipFile(output, "w") as archive:
            for path in runtime_files():
                _add_file(archive, path, path.relative_to(ROOT).as_posix())
            _add_tree(archive, dependencies, dependencies)
    return output
