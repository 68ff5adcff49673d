"""Builds the Lambda deployment zip: our three packages and their runtime dependencies for arm64.

boto3 and botocore are not bundled: every Lambda Python runtime ships them, and bundling them would
multiply the zip's size (and the cold start's unzip) several times over.
"""

import re
import subprocess
import sys
import tempfile
import zipfile
from importlib.metadata import requires
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUR_PACKAGES = ("skill", "handlers", "content")
# Local and self-hosting tools (they need moto or cryptography) and the Alexa skill package: the Lambda
# imports none of them.
EXCLUDED = (
    "skill/tools/console/",
    "skill/tools/cli.py",
    "skill/tools/__main__.py",
    "skill/tools/serve.py",
    "skill/tools/webservice.py",
    "skill/package/",
)
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


def _wanted(relative: str) -> bool:
    return not (
        "__pycache__" in relative
        or relative.endswith((".pyc", ".dist-info/RECORD"))
        or relative.startswith(EXCLUDED)
        or relative.startswith(("bin/", "boto3/", "botocore/"))
    )


def _add_tree(archive: zipfile.ZipFile, base: Path, top: Path) -> None:
    for path in sorted(top.rglob("*")):
        relative = path.relative_to(base).as_posix()
        if path.is_file() and _wanted(relative):
            info = zipfile.ZipInfo(relative, FIXED_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())


def build_zip(output: Path) -> Path:
    """Write the deployment zip to `output` and return its path."""
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="closer-package-") as scratch:
        dependencies = Path(scratch)
        install_dependencies(dependencies)
        with zipfile.ZipFile(output, "w") as archive:
            for package in OUR_PACKAGES:
                _add_tree(archive, ROOT, ROOT / package)
            _add_tree(archive, dependencies, dependencies)
    return output
