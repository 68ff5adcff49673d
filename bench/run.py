"""`make bench`: cold start against an anchor, warm turns, read-back at scale, and the zip's size.

DynamoDB is a moto server in its own process on 127.0.0.1 (so moto's import is never counted), Alexa's
APIs are the fake Alexa API over HTTPS on 127.0.0.1. Prints a table and writes bench/results.md.
"""

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3

from skill.local.envelopes import LOCAL_SKILL_ID, Conversation, Device, Slot
from skill.local.fake_alexa import FakeAlexaApi
from skill.store import ATTRIBUTE_DEFINITIONS, KEY_SCHEMA

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.md"
TABLE = "closer-together-bench"
COLD_RUNS = int(os.environ.get("BENCH_COLD_RUNS", "15"))
WARM_RUNS = int(os.environ.get("BENCH_WARM_RUNS", "200"))
SCALE_RUNS = int(os.environ.get("BENCH_SCALE_RUNS", "50"))
TONIGHT = datetime(2026, 11, 20, 20, 0, tzinfo=UTC)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def moto_server() -> Iterator[str]:
    """A moto server in a separate process; yields its endpoint URL."""
    port = _free_port()
    command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=10)


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


@dataclass
class Environment:
    """Where the benchmark's skill finds its table and Alexa's APIs."""

    variables: dict[str, str]
    alexa: FakeAlexaApi

    def device(self, user_id: str | None = None, person_id: str | None = None) -> Device:
        return Device(
            user_id=user_id or f"amzn1.ask.account.BENCH-{uuid.uuid4()}",
            person_id=person_id,
            api_endpoint=self.alexa.endpoint,
        )


def cold_start(env: Environment) -> dict[str, dict[str, float]]:
    """Fresh processes, alternating skill and anchor so both see the same machine state."""
    conversation = Conversation(device=env.device(), clock=lambda: TONIGHT)
    skill_envelopes = [conversation.launch(), conversation.intent("TonightsQuestionIntent")]
    anchor_envelopes = [Conversation(device=env.device(), clock=lambda: TONIGHT).launch()]
    anchor_envelopes[0]["session"]["application"]["applicationId"] = "amzn1.ask.skill.anchor"
    results: dict[str, dict[str, list[float]]] = {
        name: {"wall": [], "inside": [], "peak": []} for name in ("skill", "anchor")
    }
    with tempfile.TemporaryDirectory() as scratch:
        paths = {"skill": Path(scratch) / "skill.json", "anchor": Path(scratch) / "anchor.json"}
        paths["skill"].write_text(json.dumps(skill_envelopes))
        paths["anchor"].write_text(json.dumps(anchor_envelopes))
        for _ in range(COLD_RUNS):
            for name in ("anchor", "skill"):
                started = time.perf_counter()
                output = subprocess.run(
                    [sys.executable, "-m", "bench.cold_start", name, str(paths[name])],
                    capture_output=True,
                    text=True,
                    check=True,
                    cwd=ROOT,
                    env={**os.environ, **env.variables},
                )
                wall = time.perf_counter() - started
                report = json.loads(output.stdout.strip().splitlines()[-1])
                results[name]["wall"].append(wall)
                results[name]["inside"].append(report["seconds"])
                results[name]["peak"].append(report["peak_mib"])
    return {
        name: {
            "median": statistics.median(figures["wall"]),
            "min": min(figures["wall"]),
            "max": max(figures["wall"]),
            "inside_median": statistics.median(figures["inside"]),
            "peak_mib": statistics.median(figures["peak"]),
        }
        for name, figures in results.items()
    }


class Counter:
    """DynamoDB requests, counted on the wire by a botocore hook, and Alexa API calls at the fake API."""

    def __init__(self, alexa: FakeAlexaApi) -> None:
        self.alexa = alexa
        self.dynamodb = 0
        boto3.setup_default_session()
        boto3.DEFAULT_SESSION.events.register("before-send.dynamodb", self._count)

    def _count(self, **_: Any) -> None:
        self.dynamodb += 1

    def snapshot(self) -> tuple[int, int]:
        return self.dynamodb, len(self.alexa.state.requests)


@dataclass
class Turn:
    name: str
    make: Callable[[], tuple[Conversation, dict[str, Any]]]


def measure(
    handler: Callable[..., dict[str, Any]], counter: Counter, turn: Turn, runs: int
) -> dict[str, float]:
    timings: list[float] = []
    dynamodb_calls: list[int] = []
    alexa_calls: list[int] = []
    for _ in range(runs):
        conversation, envelope = turn.make()
        before = counter.snapshot()
        started = time.perf_counter()
        answer = handler(envelope, None)
        timings.append(time.perf_counter() - started)
        after = counter.snapshot()
        conversation.absorb(answer)
        dynamodb_calls.append(after[0] - before[0])
        alexa_calls.append(after[1] - before[1])
    return {
        "median_ms": statistics.median(timings) * 1000,
        "p99_ms": percentile(timings, 0.99) * 1000,
        "dynamodb": statistics.median(dynamodb_calls),
        "dynamodb_max": max(dynamodb_calls),
        "alexa": statistics.median(alexa_calls),
    }


def warm_turns(
    env: Environment, handler: Callable[..., dict[str, Any]], counter: Counter
) -> dict[str, dict[str, float]]:
    """Each intent's handler time in this (warm) process, and its requests to DynamoDB and Alexa."""
    regular = env.device(user_id="amzn1.ask.account.BENCH-REGULAR", person_id="amzn1.ask.person.BENCH")
    clock = lambda: TONIGHT  # noqa: E731 - one fixed night, so tonight's question is the stable path
    setup = Conversation(device=regular, clock=clock)
    for envelope in (setup.launch(), setup.intent("NameIntent", {"name": "Sam"})):
        setup.absorb(handler(envelope, None))

    def in_session(
        intent: str, slots: dict[str, Slot | str | None] | None = None
    ) -> Callable[[], tuple[Conversation, dict[str, Any]]]:
        def make() -> tuple[Conversation, dict[str, Any]]:
            conversation = Conversation(device=regular, clock=clock)
            conversation.absorb(handler(conversation.launch(), None))
            return conversation, conversation.intent(intent, slots)

        return make

    def fresh_household(intent: str) -> Callable[[], tuple[Conversation, dict[str, Any]]]:
        def make() -> tuple[Conversation, dict[str, Any]]:
            conversation = Conversation(device=env.device(), clock=clock)
            return conversation, conversation.intent(intent)

        return make

    def launch() -> tuple[Conversation, dict[str, Any]]:
        conversation = Conversation(device=regular, clock=clock)
        return conversation, conversation.launch()

    def next_question() -> tuple[Conversation, dict[str, Any]]:
        conversation, envelope = in_session("TonightsQuestionIntent")()
        conversation.absorb(handler(envelope, None))
        return conversation, conversation.intent("AnotherQuestionIntent")

    turns = [
        Turn("launch", launch),
        Turn("tonight's question", in_session("TonightsQuestionIntent")),
        Turn("next question", next_question),
        Turn(
            "save appreciation",
            in_session("SaveAppreciationIntent", {"text": "how you made coffee this morning"}),
        ),
        Turn("read appreciations", in_session("ReadAppreciationsIntent")),
        Turn("start check-in", fresh_household("StartCheckInIntent")),
    ]
    return {turn.name: measure(handler, counter, turn, WARM_RUNS) for turn in turns}


def seed_appreciations(client: Any, user_id: str, count: int) -> None:
    """Write `count` appreciations for one household, keyed exactly as the skill keys them."""
    from skill.context import household_id
    from skill.store import Appreciation, household_pk, to_item

    pk = household_pk(household_id(user_id))
    start = TONIGHT - timedelta(days=400)
    items = []
    for n in range(count):
        sk = Appreciation.key_for(f"bench-{user_id}-{n}", start + timedelta(minutes=n))
        items.append(
            to_item({**Appreciation(sk, f"appreciation number {n}").attributes(), "pk": pk, "sk": sk})
        )
    for offset in range(0, len(items), 25):
        batch = [{"PutRequest": {"Item": item}} for item in items[offset : offset + 25]]
        client.batch_write_item(RequestItems={TABLE: batch})


def scale(
    env: Environment, handler: Callable[..., dict[str, Any]], counter: Counter, client: Any
) -> dict[int, dict[str, float]]:
    """Read-back with 10 and with 10,000 appreciations in the household."""
    figures: dict[int, dict[str, float]] = {}
    for count in (10, 10_000):
        user_id = f"amzn1.ask.account.BENCH-SCALE-{count}"
        seed_appreciations(client, user_id, count)
        device = env.device(user_id=user_id)

        def make(device: Device = device) -> tuple[Conversation, dict[str, Any]]:
            conversation = Conversation(device=device, clock=lambda: TONIGHT)
            return conversation, conversation.intent("ReadAppreciationsIntent")

        figures[count] = measure(handler, counter, Turn(f"read {count}", make), SCALE_RUNS)
    return figures


def package_size() -> dict[str, float]:
    from infra.package import build_zip

    with tempfile.TemporaryDirectory() as scratch:
        path = build_zip(Path(scratch) / "closer-together.zip")
        unzipped = sum(info.file_size for info in zipfile.ZipFile(path).infolist())
        return {"zip_mb": path.stat().st_size / 1_000_000, "unzipped_mb": unzipped / 1_000_000}


def report(
    cold: dict[str, dict[str, float]],
    warm: dict[str, dict[str, float]],
    scaled: dict[int, dict[str, float]],
    size: dict[str, float],
) -> str:
    skill, anchor = cold["skill"], cold["anchor"]
    lines = [
        "# Benchmark results",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores, "
        f"Python {sys.version.split()[0]}, "
        "with `make bench`.",
        "",
        f"## Cold start ({COLD_RUNS} fresh processes each, alternating)",
        "",
        "| process | median s | min s | max s | import+answer s (median) | peak MiB |",
        "|---|---|---|---|---|---|",
        f"| skill: launch + tonight's question | {skill['median']:.3f} | {skill['min']:.3f} "
        f"| {skill['max']:.3f} "
        f"| {skill['inside_median']:.3f} | {skill['peak_mib']:.1f} |",
        f"| anchor: hello world + boto3 client, launch | {anchor['median']:.3f} | {anchor['min']:.3f} "
        f"| {anchor['max']:.3f} | {anchor['inside_median']:.3f} | {anchor['peak_mib']:.1f} |",
        "",
        f"Ratio skill/anchor: wall time **{skill['median'] / anchor['median']:.2f}x**, "
        f"peak memory **{skill['peak_mib'] / anchor['peak_mib']:.2f}x** (goal: wall time at most 1.0x).",
        "",
        f"## Warm turns ({WARM_RUNS} each, in one process)",
        "",
        "| intent | median ms | p99 ms | DynamoDB requests (median / max) | Alexa API requests |",
        "|---|---|---|---|---|",
    ]
    for name, figures in warm.items():
        lines.append(
            f"| {name} | {figures['median_ms']:.2f} | {figures['p99_ms']:.2f} "
            f"| {figures['dynamodb']:.0f} / {figures['dynamodb_max']} | {figures['alexa']:.0f} |"
        )
    small, large = scaled[10], scaled[10_000]
    lines += [
        "",
        f"## Read-back at scale ({SCALE_RUNS} reads each)",
        "",
        "| appreciations stored | median ms | p99 ms | DynamoDB requests |",
        "|---|---|---|---|",
        f"| 10 | {small['median_ms']:.2f} | {small['p99_ms']:.2f} | {small['dynamodb']:.0f} |",
        f"| 10,000 | {large['median_ms']:.2f} | {large['p99_ms']:.2f} | {large['dynamodb']:.0f} |",
        "",
        f"Ratio 10,000/10: **{large['median_ms'] / small['median_ms']:.2f}x** (goal: at most 1.2x).",
        "",
        "## Deployment package",
        "",
        f"Zip **{size['zip_mb']:.2f} MB** (goal: under 5 MB), unzipped {size['unzipped_mb']:.2f} MB.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    with moto_server() as endpoint, FakeAlexaApi() as alexa:
        variables = {
            "AWS_ENDPOINT_URL_DYNAMODB": endpoint,
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_DEFAULT_REGION": "us-east-1",
            "TABLE_NAME": TABLE,
            "SKILL_ID": LOCAL_SKILL_ID,
            "REQUESTS_CA_BUNDLE": alexa.ca_bundle,
            "LOG_LEVEL": "WARNING",
        }
        os.environ.update(variables)
        env = Environment(variables, alexa)
        client = boto3.client("dynamodb")
        client.create_table(
            TableName=TABLE,
            KeySchema=KEY_SCHEMA,
            AttributeDefinitions=ATTRIBUTE_DEFINITIONS,
            BillingMode="PAY_PER_REQUEST",
        )
        print("cold starts …", flush=True)
        cold = cold_start(env)
        counter = Counter(alexa)
        from skill.app import handler

        print("warm turns …", flush=True)
        warm = warm_turns(env, handler, counter)
        print("read-back at scale …", flush=True)
        scaled = scale(env, handler, counter, client)
    # pip would otherwise try to trust the fake Alexa API's certificate, gone with it.
    os.environ.pop("REQUESTS_CA_BUNDLE", None)
    print("package …", flush=True)
    size = package_size()
    text = report(cold, warm, scaled, size)
    RESULTS.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
