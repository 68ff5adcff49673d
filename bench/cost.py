"""What the skill costs to run, from what the benchmark measured: the request units DynamoDB reported
(ReturnConsumedCapacity), the turns' durations, the function's memory size, and AWS's list prices.

Prices are US East (N. Virginia) list prices, on-demand, without free tiers (which a million households
would use up on the first day). They were taken from AWS's pricing pages and are dated below; the benchmark
cannot check them again (the machine reaches no network but package registries), so a change since that
date must be made here.
"""

import math
import re
from dataclasses import dataclass
from pathlib import Path

PRICES_DATED = "2025-08-01"
PRICES_NOTE = (
    "US East (N. Virginia) list prices as they stood on 2025-08-01: DynamoDB's on-demand request prices "
    "since their cut of 1 November 2024, Lambda's arm64 prices since arm64 came in, with the INIT phase "
    "billed as duration from 1 August 2025; SnapStart for Python as priced at its launch in November 2024"
)


@dataclass(frozen=True)
class Price:
    amount: float  # US dollars per unit
    listed: str  # as AWS lists it


MILLION = 1_000_000
PRICES = {
    "dynamodb_write": Price(0.625 / MILLION, "DynamoDB on-demand: $0.625 per million write request units"),
    "dynamodb_read": Price(0.125 / MILLION, "DynamoDB on-demand: $0.125 per million read request units"),
    "dynamodb_storage": Price(0.25, "DynamoDB storage (Standard table class): $0.25 per GB-month"),
    "dynamodb_pitr": Price(0.20, "DynamoDB point-in-time recovery: $0.20 per GB-month"),
    "dynamodb_wcu_hour": Price(0.00065, "DynamoDB provisioned: $0.00065 per write capacity unit-hour"),
    "dynamodb_rcu_hour": Price(0.00013, "DynamoDB provisioned: $0.00013 per read capacity unit-hour"),
    "lambda_request": Price(0.20 / MILLION, "Lambda: $0.20 per million requests"),
    "lambda_arm64": Price(0.0000133334, "Lambda arm64: $0.0000133334 per GB-second (first 7.5 billion)"),
    "logs_ingested": Price(0.50, "CloudWatch Logs (Standard): $0.50 per GB ingested"),
    "logs_stored": Price(0.03, "CloudWatch Logs: $0.03 per GB-month stored"),
    "snapstart_cache": Price(0.0000015046, "SnapStart: $0.0000015046 per GB-second cached, per version"),
    "snapstart_restore": Price(0.0001397998, "SnapStart: $0.0001397998 per GB restored"),
}

# A household's night: ten turns, of the kinds the benchmark measures.
NIGHT = {
    "launch": 3,
    "tonight's question": 2,
    "next question": 2,
    "save appreciation": 1,
    "read appreciations": 1,
    "start check-in": 1,
}
NIGHTS_A_MONTH = 30
HOURS_A_MONTH = 730
HOUSEHOLDS = 1_000_000
PEAK_FACTOR = 10  # the evening peak, against the mean over the whole day
GOAL_PER_HOUSEHOLD = 0.002

# --- assumptions, each stated in the report ---
# Lambda gives a function CPU in proportion to its memory, one vCPU at 1,769 MB; this machine's turns ran on
# a whole core, so their time is scaled up by 1,769 / memory (pessimistic: part of it waits on I/O).
FULL_VCPU_MB = 1769
# In AWS the local fakes' ~1 ms answers become network round trips: DynamoDB in the same region, and the
# Alexa APIs (the time zone, the timers) over the internet.
DYNAMODB_MS = 5.0
ALEXA_MS = 30.0
# At a million households, environments stay warm through the evening: a cold start for 1 turn in 100 is
# generous. (A household alone on its own stack would cold-start once a night: 1 turn in 10.)
COLD_SHARE = 0.01
# Lambda's own lines a turn (START, END, REPORT, in the Text log format).
PLATFORM_LOG_BYTES = 350
LOG_RETENTION_MONTHS = 1  # infra/template.yaml keeps logs 30 days
# What a household keeps after a year: the question record, the profile, ~100 appreciations and ~150
# check-ins, each with DynamoDB's 100 bytes of overhead per item.
STORED_BYTES = 100_000


@dataclass(frozen=True)
class TurnCost:
    """One kind of turn as measured: local median time, requests, request units, log bytes."""

    median_ms: float
    dynamodb: float
    alexa: float
    read_units: float
    write_units: float
    log_bytes: float


@dataclass(frozen=True)
class Line:
    what: str
    per_household: float
    how: str


@dataclass(frozen=True)
class Costing:
    lines: list[Line]
    per_household: float
    billed_ms: dict[str, int]
    peak_turns_per_second: float
    peak_concurrency: float
    peak_write_units: float
    peak_read_units: float
    provisioned_for_peak: float
    on_demand_requests: float  # DynamoDB's request charges for a household a month
    snapstart_month: float
    snapstart_restore: float
    init_seconds: float
    memory_mb: int

    @property
    def households(self) -> float:
        return self.per_household * HOUSEHOLDS


def function_memory_mb(template: Path) -> int:
    """The function's MemorySize in infra/template.yaml."""
    sizes = re.findall(r"^\s+MemorySize:\s*(\d+)\s*$", template.read_text(encoding="utf-8"), re.MULTILINE)
    if len(sizes) != 1:
        raise ValueError(f"expected one MemorySize in {template}, found {len(sizes)}")
    return int(sizes[0])


def billed_ms(turn: TurnCost, cpu_scale: float) -> int:
    """Lambda's billed duration of one warm turn (whole milliseconds, rounded up)."""
    return math.ceil(turn.median_ms * cpu_scale + turn.dynamodb * DYNAMODB_MS + turn.alexa * ALEXA_MS)


def cost(turns: dict[str, TurnCost], cold_start_seconds: float, memory_mb: int) -> Costing:
    """A household's month at NIGHT's ten turns a night, and a million households at the evening peak."""
    memory_gb, cpu_scale = memory_mb / 1024, FULL_VCPU_MB / memory_mb
    month = {kind: count * NIGHTS_A_MONTH for kind, count in NIGHT.items()}
    turn_count = sum(month.values())
    billed = {kind: billed_ms(turns[kind], cpu_scale) for kind in NIGHT}
    seconds = sum(month[kind] * billed[kind] / 1000 for kind in NIGHT)
    reads = sum(month[kind] * turns[kind].read_units for kind in NIGHT)
    writes = sum(month[kind] * turns[kind].write_units for kind in NIGHT)
    log_gb = sum(month[kind] * (turns[kind].log_bytes + PLATFORM_LOG_BYTES) for kind in NIGHT) / 1e9
    init_seconds = cold_start_seconds * cpu_scale
    on_demand = writes * PRICES["dynamodb_write"].amount + reads * PRICES["dynamodb_read"].amount
    lines = [
        Line("Lambda requests", turn_count * PRICES["lambda_request"].amount, f"{turn_count} turns"),
        Line(
            "Lambda duration, warm",
            seconds * memory_gb * PRICES["lambda_arm64"].amount,
            f"{seconds:.1f} s at {memory_mb} MB",
        ),
        Line(
            "Lambda duration, cold starts (INIT)",
            turn_count * COLD_SHARE * init_seconds * memory_gb * PRICES["lambda_arm64"].amount,
            f"{COLD_SHARE:.0%} of turns, {init_seconds:.2f} s each",
        ),
        Line("DynamoDB writes", writes * PRICES["dynamodb_write"].amount, f"{writes:.0f} write units"),
        Line("DynamoDB reads", reads * PRICES["dynamodb_read"].amount, f"{reads:.0f} read units"),
        Line(
            "DynamoDB storage and point-in-time recovery",
            STORED_BYTES / 1e9 * (PRICES["dynamodb_storage"].amount + PRICES["dynamodb_pitr"].amount),
            f"{STORED_BYTES / 1000:.0f} KB",
        ),
        Line(
            "CloudWatch Logs",
            log_gb * (PRICES["logs_ingested"].amount + LOG_RETENTION_MONTHS * PRICES["logs_stored"].amount),
            f"{log_gb * 1e6:.0f} KB",
        ),
    ]
    per_household = sum(line.per_household for line in lines)
    mean_rate = HOUSEHOLDS * sum(NIGHT.values()) / 86_400
    peak_rate = PEAK_FACTOR * mean_rate
    mean_billed_s = seconds / turn_count
    peak_writes, peak_reads = peak_rate * writes / turn_count, peak_rate * reads / turn_count
    provisioned_hourly = (
        peak_writes * PRICES["dynamodb_wcu_hour"].amount + peak_reads * PRICES["dynamodb_rcu_hour"].amount
    )
    return Costing(
        lines=lines,
        per_household=per_household,
        billed_ms=billed,
        peak_turns_per_second=peak_rate,
        peak_concurrency=peak_rate * mean_billed_s,
        peak_write_units=peak_writes,
        peak_read_units=peak_reads,
        provisioned_for_peak=HOURS_A_MONTH * provisioned_hourly,
        on_demand_requests=on_demand,
        snapstart_month=memory_gb * HOURS_A_MONTH * 3600 * PRICES["snapstart_cache"].amount,
        snapstart_restore=memory_gb * PRICES["snapstart_restore"].amount,
        init_seconds=init_seconds,
        memory_mb=memory_mb,
    )
