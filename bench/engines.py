"""The DynamoDB engines the benchmark runs against, each a server of its own on 127.0.0.1.

moto (the tests' engine) answers every request on a new connection, and its Query lists and sorts every
item in the table. dynalite, an open-source DynamoDB on LevelDB (in memory here), keeps connections alive,
seeks a Query by key as DynamoDB does, and counts consumed capacity by item size as DynamoDB does. It comes
from npm, pinned in bench/dynalite/, and is installed by the first `make bench` that needs it, never by
`make test`.
"""

import json
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import boto3

from skill.store.table import ATTRIBUTE_DEFINITIONS, KEY_SCHEMA

DYNALITE_DIR = Path(__file__).resolve().parent / "dynalite"
DYNALITE_CLI = DYNALITE_DIR / "node_modules" / "dynalite" / "cli.js"
READY_SECONDS = 30
CREDENTIALS = {"aws_access_key_id": "bench", "aws_secret_access_key": "bench", "region_name": "us-east-1"}


class EngineUnavailableError(RuntimeError):
    """An engine could not be installed or started here (its reason is the message)."""


@dataclass(frozen=True)
class Engine:
    """A running engine: what to call it in the tables, and where it listens."""

    key: str
    label: str
    endpoint: str

    def client(self) -> Any:
        """A DynamoDB client of the benchmark's own (a session apart from the skill's hooked one)."""
        return boto3.session.Session().client("dynamodb", endpoint_url=self.endpoint, **CREDENTIALS)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int, process: subprocess.Popen[bytes], name: str) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise EngineUnavailableError(f"{name} exited at start with status {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise EngineUnavailableError(f"{name} did not listen within {READY_SECONDS} s")


@contextmanager
def _server(key: str, label: str, command: list[str], port: int) -> Iterator[Engine]:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(port, process, label)
        yield Engine(key, label, f"http://127.0.0.1:{port}")
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def moto_server() -> Iterator[Engine]:
    """moto's server in a process of its own (so moto's import is never counted as the skill's)."""
    port = _free_port()
    command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    with _server("moto", f"moto {version('moto')}", command, port) as engine:
        yield engine


def install_dynalite() -> None:
    """`npm ci` from the pinned lock file, when dynalite is missing. Its optional LevelDB-on-disk addon
    is not built (--ignore-scripts): the benchmark keeps its data in memory."""
    if DYNALITE_CLI.is_file():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise EngineUnavailableError("npm is not installed (dynalite comes from the npm registry)")
    command = [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"]
    result = subprocess.run(command, cwd=DYNALITE_DIR, capture_output=True, text=True, check=False)
    if result.returncode != 0 or not DYNALITE_CLI.is_file():
        raise EngineUnavailableError(f"npm ci failed: {result.stderr.strip()[-400:]}")


@contextmanager
def dynalite() -> Iterator[Engine]:
    """dynalite on Node.js, in memory, its tables active as soon as they are created."""
    install_dynalite()
    node = shutil.which("node")
    if node is None:
        raise EngineUnavailableError("node is not installed")
    port = _free_port()
    immediate = ["--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"]
    command = [node, str(DYNALITE_CLI), "--host", "127.0.0.1", "--port", str(port), *immediate]
    installed = json.loads((DYNALITE_CLI.parent / "package.json").read_text(encoding="utf-8"))["version"]
    with _server("dynalite", f"dynalite {installed}", command, port) as engine:
        yield engine


def create_table(engine: Engine, name: str) -> None:
    """The skill's table, on demand, as infra/template.yaml declares it; returns once it is active."""
    client = engine.client()
    client.create_table(
        TableName=name,
        KeySchema=KEY_SCHEMA,
        AttributeDefinitions=ATTRIBUTE_DEFINITIONS,
        BillingMode="PAY_PER_REQUEST",
    )
    client.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 0.1, "MaxAttempts": 100})


def round_trip_ms(engine: Engine, table: str, runs: int = 200) -> float:
    """The engine's own median time for one small GetItem from a warm client: what any turn pays per
    DynamoDB request here, whatever the skill does."""
    client = engine.client()
    key = {"pk": {"S": "HH#bench-round-trip"}, "sk": {"S": "PROFILE"}}
    client.put_item(TableName=table, Item={**key, "names": {"S": "Sam"}})
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get_item(TableName=table, Key=key)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000
