"""What importing the Lambda's handler module costs, module by module (`python -X importtime`), so the next
import that slows the cold start shows up by name."""

import os
import statistics
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ENTRY = "skill.entry"
ANCHOR = "bench.anchor_skill"
OURS = ("skill", "handlers", "content")


@dataclass(frozen=True)
class ImportRow:
    """One module: its import time with what it imports (cumulative) and without (self), medians in ms."""

    module: str
    depth: int
    cumulative_ms: float
    self_ms: float
    in_anchor: bool


@dataclass(frozen=True)
class ImportReport:
    """The slowest imports of the entry, and where the skill's imports differ from the anchor's."""

    top: list[ImportRow]
    entry_ms: float  # the entry's own cumulative import time
    extra_ours_ms: float  # self time of our modules (the anchor has none)
    extra_libraries_ms: float  # self time of library modules the skill imports and the anchor does not


def _importtime(module: str, root: Path, env: dict[str, str]) -> dict[str, tuple[int, float, float]]:
    """One fresh interpreter importing `module`: each module's (depth, self ms, cumulative ms)."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        cwd=root,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    times: dict[str, tuple[int, float, float]] = {}
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, cumulative, name = line.removeprefix("import time:").split("|")
        depth = (len(name) - len(name.lstrip()) - 1) // 2
        times[name.strip()] = (depth, int(own) / 1000, int(cumulative) / 1000)
    return times


def import_report(root: Path, env: dict[str, str], runs: int = 5, top: int = 15) -> ImportReport:
    """Medians of `runs` fresh processes importing the entry; the anchor's modules from one more."""
    samples: dict[str, list[tuple[int, float, float]]] = defaultdict(list)
    for _ in range(runs):
        for name, figures in _importtime(ENTRY, root, env).items():
            samples[name].append(figures)
    anchor = set(_importtime(ANCHOR, root, env))
    rows = [
        ImportRow(
            module=name,
            depth=figures[0][0],
            cumulative_ms=statistics.median(cumulative for _, _, cumulative in figures),
            self_ms=statistics.median(own for _, own, _ in figures),
            in_anchor=name in anchor,
        )
        for name, figures in samples.items()
    ]
    extra = [row for row in rows if not row.in_anchor]
    ours = sum(row.self_ms for row in extra if row.module.split(".")[0] in OURS)
    return ImportReport(
        top=sorted(rows, key=lambda row: row.cumulative_ms, reverse=True)[:top],
        entry_ms=next(row.cumulative_ms for row in rows if row.module == ENTRY),
        extra_ours_ms=ours,
        extra_libraries_ms=sum(row.self_ms for row in extra) - ours,
    )
