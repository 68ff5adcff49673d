"""`make bench`: cold start against an anchor, the import-time table, warm turns and read-back at scale on
two DynamoDB engines, the cost of a household and of a million, and the zip's size.

DynamoDB is a server in its own process on 127.0.0.1: moto (the tests' engine) and dynalite (a DynamoDB on
LevelDB whose Query seeks by key, and which counts consumed capacity as DynamoDB does; bench/engines.py).
Alexa's APIs are the fake Alexa API over HTTPS on 127.0.0.1. Prints the report and writes bench/results.md.
"""

import compileall
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench import cost as costing
from bench.engines import Engine, EngineUnavailableError, create_table, dynalite, moto_server, round_trip_ms
from bench.imports import ImportReport, import_report
from bench.report import Figures, Measured, report
from skill.store.aws import aws_session
from skill.tools.console.envelopes import LOCAL_SKILL_ID, Conversation, Device, Slot
from skill.tools.console.fake_alexa import FakeAlexaApi
from skill.vocabulary import Intent
from skill.vocabulary import Slot as SlotName

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.md"
TEMPLATE = ROOT / "infra" / "template.yaml"
COLD_RUNS = int(os.environ.get("BENCH_COLD_RUNS", "15"))
WARM_RUNS = int(os.environ.get("BENCH_WARM_RUNS", "200"))
SCALE_RUNS = int(os.environ.get("BENCH_SCALE_RUNS", "50"))
WARMUP_RUNS = 20
TONIGHT = datetime(2026, 11, 20, 20, 0, tzinfo=UTC)
READ_OPERATIONS = frozenset({"GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems"})
# The operations that can report the capacity they consumed.
CAPACITY_OPERATIONS = READ_OPERATIONS | {
    "PutItem",
    "UpdateItem",
    "DeleteItem",
    "BatchWriteItem",
    "TransactWriteItems",
}


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


@dataclass
class Environment:
    """Where the benchmark's skill finds its table and Alexa's APIs."""

    variables: dict[str, str]
    alexa: FakeAlexaApi
    table: str

    def device(self, user_id: str | None = None, person_id: str | None = None) -> Device:
        return Device(
            user_id=user_id or f"amzn1.ask.account.BENCH-{uuid.uuid4()}",
            person_id=person_id,
            api_endpoint=self.alexa.endpoint,
        )


def environment(engine: Engine, alexa: FakeAlexaApi) -> Environment:
    """The skill's environment against one engine, its table created. Each engine has its own table name,
    so the skill (built once per settings) makes a fresh DynamoDB client for it."""
    table = f"closer-together-bench-{engine.key}"
    create_table(engine, table)
    variables = {
        "AWS_ENDPOINT_URL_DYNAMODB": engine.endpoint,
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": "us-east-1",
        "TABLE_NAME": table,
        "SKILL_ID": LOCAL_SKILL_ID,
        "REQUESTS_CA_BUNDLE": alexa.ca_bundle,
        "LOG_LEVEL": "INFO",  # as deployed: one JSON line a turn
    }
    os.environ.update(variables)
    return Environment(variables, alexa, table)


def compile_bytecode() -> None:
    """Byte-compile our packages, as pip did the dependencies' at install, so both processes load bytecode.

    Without this, a machine that writes no bytecode (PYTHONDONTWRITEBYTECODE) would have the skill
    compile its own ~4,000 lines on every cold start while the anchor's library code loads compiled.
    """
    for package in ("skill", "handlers", "content", "bench"):
        compileall.compile_dir(ROOT / package, quiet=1)


def _one_cold_start(name: str, envelopes: Path, env: Environment) -> dict[str, float]:
    with tempfile.TemporaryFile(mode="w+") as errors:  # a file, not a pipe: it can never fill and block
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "bench.cold_start", name, str(envelopes)],
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            cwd=ROOT,
            env={**os.environ, **env.variables},
        )
        assert process.stdout is not None
        line = process.stdout.readline()  # written as soon as the last answer is ready
        answered = time.perf_counter() - started
        process.communicate()
        exited = time.perf_counter() - started
        if process.returncode != 0 or not line:
            errors.seek(0)
            raise RuntimeError(f"{name} cold start failed: {errors.read()}")
    report = json.loads(line)
    return {
        "wall": answered,
        "exit": exited,
        "inside": report["seconds"],
        "cpu": report["cpu_seconds"],
        "peak": report["peak_mib"],
    }


def cold_start(env: Environment) -> dict[str, dict[str, float]]:
    """Fresh processes, alternating skill and anchor so both see the same machine state.

    Wall time runs from starting the process to its last answer: what a cold start keeps Alexa waiting.
    The interpreter's tear-down afterwards (which Lambda never does between requests) is reported apart.
    """
    conversation = Conversation(device=env.device(), clock=lambda: TONIGHT)
    skill_envelopes = [conversation.launch(), conversation.intent(Intent.TONIGHTS_QUESTION)]
    anchor_envelopes = [Conversation(device=env.device(), clock=lambda: TONIGHT).launch()]
    anchor_envelopes[0]["session"]["application"]["applicationId"] = "amzn1.ask.skill.anchor"
    results: dict[str, dict[str, list[float]]] = {
        name: {"wall": [], "exit": [], "inside": [], "cpu": [], "peak": []} for name in ("skill", "anchor")
    }
    with tempfile.TemporaryDirectory() as scratch:
        paths = {"skill": Path(scratch) / "skill.json", "anchor": Path(scratch) / "anchor.json"}
        paths["skill"].write_text(json.dumps(skill_envelopes))
        paths["anchor"].write_text(json.dumps(anchor_envelopes))
        for _ in range(COLD_RUNS):
            for name in ("anchor", "skill"):
                for figure, value in _one_cold_start(name, paths[name], env).items():
                    results[name][figure].append(value)
    return {
        name: {
            "median": statistics.median(figures["wall"]),
            "min": min(figures["wall"]),
            "max": max(figures["wall"]),
            "exit_median": statistics.median(figures["exit"]),
            "inside_median": statistics.median(figures["inside"]),
            "cpu_median": statistics.median(figures["cpu"]),
            "peak_mib": statistics.median(figures["peak"]),
        }
        for name, figures in results.items()
    }


class LogBytes(logging.Handler):
    """Counts the bytes of the skill's log lines instead of writing them (the skill formats them as JSON)."""

    def __init__(self) -> None:
        super().__init__()
        self.bytes = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.bytes += len(self.format(record).encode("utf-8")) + 1


class Counter:
    """DynamoDB requests, counted on the wire by a botocore hook (retries included); the calls among them
    that read and that write; the items their Queries read (ScannedCount); the capacity each consumed, as
    DynamoDB reports it when asked (ReturnConsumedCapacity); Alexa API calls at the fake API; and the
    bytes the skill logged."""

    def __init__(self, alexa: FakeAlexaApi) -> None:
        self.alexa = alexa
        self.dynamodb = 0
        self.scanned = 0
        self.reads = 0
        self.writes = 0
        self.read_units = 0.0
        self.write_units = 0.0
        self.logs = LogBytes()
        logging.getLogger().addHandler(self.logs)
        events = aws_session().get_component("event_emitter")  # the skill's clients are made from it
        events.register("before-parameter-build.dynamodb", self._ask_capacity)
        events.register("before-send.dynamodb", self._count)
        events.register("before-call.dynamodb", self._kind)
        events.register("after-call.dynamodb", self._consumed)

    def _ask_capacity(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        if model.name in CAPACITY_OPERATIONS:
            params.setdefault("ReturnConsumedCapacity", "TOTAL")

    def _count(self, **_: Any) -> None:
        self.dynamodb += 1

    def _kind(self, model: Any, **_: Any) -> None:
        if model.name in READ_OPERATIONS:
            self.reads += 1
        else:
            self.writes += 1

    def _consumed(self, parsed: dict[str, Any], model: Any, **_: Any) -> None:
        self.scanned += parsed.get("ScannedCount", 0)
        reported = parsed.get("ConsumedCapacity") or []
        units = sum(
            entry.get("CapacityUnits", 0.0)
            for entry in (reported if isinstance(reported, list) else [reported])
        )
        if model.name in READ_OPERATIONS:
            self.read_units += units
        else:
            self.write_units += units

    def snapshot(self) -> dict[str, float]:
        return {
            "dynamodb": self.dynamodb,
            "alexa": len(self.alexa.state.requests),
            "scanned": self.scanned,
            "reads": self.reads,
            "writes": self.writes,
            "read_units": self.read_units,
            "write_units": self.write_units,
            "log_bytes": self.logs.bytes,
        }


@dataclass
class Turn:
    name: str
    make: Callable[[], tuple[Conversation, dict[str, Any]]]


def measure(handler: Callable[..., dict[str, Any]], counter: Counter, turn: Turn, runs: int) -> Figures:
    """`runs` turns, timed, after as many untimed ones (at most WARMUP_RUNS) to warm the engine: dynalite
    runs on Node.js, whose compiler needs a few hundred requests to settle."""
    for _ in range(min(runs, WARMUP_RUNS)):
        conversation, envelope = turn.make()
        conversation.absorb(handler(envelope, None))
    timings: list[float] = []
    cpu: list[float] = []
    deltas: dict[str, list[float]] = {name: [] for name in counter.snapshot()}
    for _ in range(runs):
        conversation, envelope = turn.make()
        before = counter.snapshot()
        started, cpu_started = time.perf_counter(), time.thread_time()
        answer = handler(envelope, None)
        timings.append(time.perf_counter() - started)
        cpu.append(time.thread_time() - cpu_started)
        after = counter.snapshot()
        conversation.absorb(answer)
        for name, values in deltas.items():
            values.append(after[name] - before[name])
    return Figures(
        median_ms=statistics.median(timings) * 1000,
        p99_ms=percentile(timings, 0.99) * 1000,
        cpu_ms=statistics.median(cpu) * 1000,
        medians={name: statistics.median(values) for name, values in deltas.items()},
        maxima={name: max(values) for name, values in deltas.items()},
    )


def warm_turns(
    env: Environment, handler: Callable[..., dict[str, Any]], counter: Counter
) -> dict[str, Figures]:
    """Each intent's handler time in this (warm) process, and its requests to DynamoDB and Alexa."""
    regular = env.device(user_id="amzn1.ask.account.BENCH-REGULAR", person_id="amzn1.ask.person.BENCH")
    clock = lambda: TONIGHT  # noqa: E731 - one fixed night, so tonight's question is the stable path
    setup = Conversation(device=regular, clock=clock)
    for envelope in (setup.launch(), setup.intent(Intent.NAME, {SlotName.FIRST_NAME: "Sam"})):
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
        conversation, envelope = in_session(Intent.TONIGHTS_QUESTION)()
        conversation.absorb(handler(envelope, None))
        return conversation, conversation.intent(Intent.ANOTHER_QUESTION)

    turns = [
        Turn("launch", launch),
        Turn("tonight's question", in_session(Intent.TONIGHTS_QUESTION)),
        Turn("next question", next_question),
        Turn(
            "save appreciation",
            in_session(Intent.SAVE_APPRECIATION, {SlotName.TEXT: "how you made coffee this morning"}),
        ),
        Turn("read appreciations", in_session(Intent.READ_APPRECIATIONS)),
        Turn("start check-in", fresh_household(Intent.START_CHECKIN)),
    ]
    return {turn.name: measure(handler, counter, turn, WARM_RUNS) for turn in turns}


def seed_appreciations(client: Any, table: str, user_id: str, count: int) -> None:
    """Write `count` appreciations for one household, keyed exactly as the skill keys them."""
    from skill.context import household_id
    from skill.store.appreciations import Appreciation
    from skill.store.table import household_pk, to_item

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
        pending: dict[str, Any] = {table: batch}
        while pending:
            pending = client.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}


def scale(
    env: Environment, handler: Callable[..., dict[str, Any]], counter: Counter, client: Any
) -> dict[str, Figures]:
    """Read-back with 10 and with 10,000 appreciations in the household; then the 10 again, as a control:
    the household is unchanged, only the table around it has grown."""

    def reader(user_id: str) -> Turn:
        device = env.device(user_id=user_id)

        def make() -> tuple[Conversation, dict[str, Any]]:
            conversation = Conversation(device=device, clock=lambda: TONIGHT)
            return conversation, conversation.intent(Intent.READ_APPRECIATIONS)

        return Turn(f"read {user_id}", make)

    small, large = "amzn1.ask.account.BENCH-SCALE-10", "amzn1.ask.account.BENCH-SCALE-10000"
    figures: dict[str, Figures] = {}
    seed_appreciations(client, env.table, small, 10)
    figures["small"] = measure(handler, counter, reader(small), SCALE_RUNS)
    seed_appreciations(client, env.table, large, 10_000)
    figures["large"] = measure(handler, counter, reader(large), SCALE_RUNS)
    figures["small_again"] = measure(handler, counter, reader(small), SCALE_RUNS)
    return figures


def on_engine(
    engine: Engine, alexa: FakeAlexaApi, counter: Counter, measured: Measured, cold: bool = False
) -> None:
    """Everything measured against one engine: (on the first) the cold starts, then warm turns and scale."""
    env = environment(engine, alexa)
    if cold:
        print("cold starts …", flush=True)
        measured.cold = cold_start(env)
    from skill.app import handler

    print(f"warm turns on {engine.label} …", flush=True)
    measured.round_trip_ms[engine.key] = round_trip_ms(engine, env.table)
    measured.warm[engine.key] = warm_turns(env, handler, counter)
    print(f"read-back at scale on {engine.label} …", flush=True)
    measured.scale[engine.key] = scale(env, handler, counter, engine.client())
    measured.engines[engine.key] = engine.label


def package_size() -> dict[str, float]:
    from infra.package import build_zip

    with tempfile.TemporaryDirectory() as scratch:
        path = build_zip(Path(scratch) / "closer-together.zip")
        entries = zipfile.ZipFile(path).infolist()
        unzipped = sum(info.file_size for info in entries)
        return {
            "zip_mb": path.stat().st_size / 1_000_000,
            "unzipped_mb": unzipped / 1_000_000,
            "bytecode_files": sum(info.filename.endswith(".pyc") for info in entries),
        }


def imports(variables: dict[str, str]) -> ImportReport:
    print("import times …", flush=True)
    return import_report(ROOT, variables)


def main() -> None:
    compile_bytecode()
    measured = Measured(
        warm_runs=WARM_RUNS, scale_runs=SCALE_RUNS, cold_runs=COLD_RUNS, warmup_runs=WARMUP_RUNS
    )
    with FakeAlexaApi() as alexa:
        counter = Counter(alexa)
        with moto_server() as engine:
            on_engine(engine, alexa, counter, measured, cold=True)
            measured.imports = imports(dict(os.environ))
        try:
            with dynalite() as engine:
                on_engine(engine, alexa, counter, measured)
        except EngineUnavailableError as error:
            measured.unavailable["dynalite"] = str(error)
    # pip would otherwise try to trust the fake Alexa API's certificate, gone with it.
    os.environ.pop("REQUESTS_CA_BUNDLE", None)
    print("package …", flush=True)
    measured.package = package_size()
    if "dynalite" in measured.warm and measured.cold:
        turns = {
            name: costing.TurnCost(
                median_ms=figures.median_ms,
                dynamodb=figures.medians["dynamodb"],
                alexa=figures.medians["alexa"],
                read_units=figures.medians["read_units"],
                write_units=figures.medians["write_units"],
                log_bytes=figures.medians["log_bytes"],
            )
            for name, figures in measured.warm["dynalite"].items()
        }
        memory = costing.function_memory_mb(TEMPLATE)
        measured.costing = costing.cost(turns, measured.cold["skill"]["median"], memory)
    text = report(measured, sys.version.split()[0], os.cpu_count() or 0)
    RESULTS.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
