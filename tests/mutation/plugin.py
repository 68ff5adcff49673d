"""The pytest plugin `make mutate` runs its one test session with: every mutant tested in a forked child.

mutmut's own runner starts a new pytest session for each mutant, which here means deploying the stack into
moto again (about 3 s) before the first test. This plugin keeps one session instead. The session process
sets up the session's fixtures (the stack deployed into moto, the fake Alexa API) by running the first
test, then stays as it is: every run forks from it, so each starts from the same table and the same
Alexa accounts. A first child runs all the tests with mutmut's trampolines recording which functions each
test calls (and how long it takes); then one child a mutant switches the mutant on and runs the tests of
the mutant's area that call the mutated function (see `tests_for`), stopping at the first failure. The
parent reads its exit status and the test that failed, and kills a child that runs too long (a mutant
that loops).

It reads the plan that run.py wrote (MUTATE_PLAN) and writes each mutant's fate to MUTATE_RESULTS."""

import gc
import json
import os
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any, NoReturn

import pytest
from _pytest.runner import runtestprotocol
from mutmut.mutation.trampoline import set_mutant_under_test
from mutmut.state import state

KILLED, SURVIVED, TIMEOUT, NO_TESTS = "killed", "survived", "timeout", "no tests"
# Tests slower than this are left out of mutant runs (and listed): a scale test of twenty thousand items
# would cost every surviving mutant of the functions it calls its whole length.
SLOW_SECONDS = 3.0
# A mutant runs at most this many tests (its area's most telling first, see `tests_for`): a survivor pays
# for every one it runs.
MAX_TESTS = 150
# How many of the tests that killed a function's earlier mutants go first for its next one.
RECENT_KILLERS = 5
# A child may take this many times its tests' clean duration, plus the constant, before it counts as looping.
TIMEOUT_FACTOR = 5.0
TIMEOUT_SECONDS = 15.0


@dataclass
class Running:
    """A forked child testing one mutant, and the pipe it names its killing test on."""

    mutant: str
    pid: int
    deadline: float
    started: float
    tests: list[str]
    report: int


@dataclass
class Baseline:
    """What the clean run found: the tests that call each function, each test's time, and the tests that
    fail without any mutant (someone's work in progress), which can then kill nothing."""

    tests_by_function: dict[str, list[str]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    failing: list[str] = field(default_factory=list)


def _serve_anew() -> None:
    """In a forked child: each fake Alexa API on a port of the child's own, with the same certificate (it
    names 127.0.0.1, not a port). The parent goes on serving the old port, so no request of the child
    reaches the parent's copy of the fake's state; and a thread does not survive a fork anyway."""
    for api in [obj for obj in gc.get_objects() if type(obj).__name__ == "FakeAlexaApi"]:
        old = api._server
        server = ThreadingHTTPServer((old.server_address[0], 0), old.RequestHandlerClass)
        server.socket = old.socket.context.wrap_socket(server.socket, server_side=True)
        api._server = server
        threading.Thread(target=server.serve_forever, daemon=True).start()


def _passes(item: pytest.Item, nextitem: pytest.Item) -> bool:
    """Run one test through pytest's own protocol; whether it passed (setup and teardown included)."""
    return not any(report.failed for report in runtestprotocol(item, nextitem=nextitem, log=False))


def _in_child(session: pytest.Session, first: pytest.Item, work: Callable[[], int]) -> NoReturn:
    """What a forked child does: output silenced, its own fake Alexa API, pytest's setup made ready for
    `first`, then `work`, whose result is the exit status."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    status = 2
    try:
        _serve_anew()
        session._setupstate.teardown_exact(first)
        status = work()
    finally:
        os._exit(status)


def run_baseline(session: pytest.Session, items: list[pytest.Item]) -> Baseline:
    """Every test once in a child, mutants off, recording the functions each calls."""
    with tempfile.NamedTemporaryFile(suffix=".json") as found:

        def record() -> int:
            baseline = Baseline()
            set_mutant_under_test("stats")
            for index, item in enumerate(items):
                state()._stats.clear()
                started = time.monotonic()
                passed = _passes(item, items[index + 1] if index + 1 < len(items) else item)
                baseline.seconds[item.nodeid] = time.monotonic() - started
                if not passed:
                    baseline.failing.append(item.nodeid)
                    continue
                for function in state()._stats:
                    baseline.tests_by_function.setdefault(function, []).append(item.nodeid)
            Path(found.name).write_text(json.dumps(baseline.__dict__), encoding="utf-8")
            return 0

        pid = os.fork()
        if pid == 0:
            _in_child(session, items[0], record)
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError("the clean run of the tests did not finish")
        return Baseline(**json.loads(Path(found.name).read_text(encoding="utf-8")))


def _area_rank(nodeid: str, area: list[str]) -> int | None:
    """Where the test's file comes in the mutant's area (its most telling tests first); None: not in it."""
    return next((rank for rank, prefix in enumerate(area) if nodeid.startswith(prefix)), None)


def function_of(mutant: str) -> str:
    return mutant.rsplit("__mutmut_", 1)[0]


def tests_for(mutant: dict[str, Any], baseline: Baseline, killers: list[str]) -> list[str]:
    """The tests of the mutant's area that call its function, at most MAX_TESTS: the few that most recently
    killed another mutant of the function first (they tend to kill this one too, and soon), then the rest
    by their file's place in the area and, within a file, the fastest first; last, the slow tests the
    mutant's module runs all the same (its "slow")."""
    calling = baseline.tests_by_function.get(function_of(mutant["id"]), [])
    ranked = [(_area_rank(nodeid, mutant["area"]), nodeid) for nodeid in calling]
    usable = {
        nodeid: rank
        for rank, nodeid in ranked
        if rank is not None and baseline.seconds[nodeid] <= SLOW_SECONDS
    }
    slow = [nodeid for nodeid in calling if nodeid in mutant.get("slow", ()) and nodeid not in usable]
    recent = list(dict.fromkeys(reversed(killers)))[:RECENT_KILLERS]
    first = [nodeid for nodeid in recent if nodeid in usable]
    rest = sorted(set(usable) - set(first), key=lambda nodeid: (usable[nodeid], baseline.seconds[nodeid]))
    return (first + rest)[: MAX_TESTS - len(slow)] + slow


class MutationRunner:
    """Forks a child per mutant, a few at a time, and collects what became of each."""

    def __init__(self, session: pytest.Session, baseline: Baseline, workers: int, results: Path) -> None:
        self.session = session
        self.items = {item.nodeid: item for item in session.items}
        self.baseline = baseline
        self.workers = workers
        self.results_path = results
        self.running: dict[int, Running] = {}
        self.results: dict[str, dict[str, Any]] = {}
        self.killers: dict[str, list[str]] = {}  # function → the tests that killed its mutants

    def run(self, mutants: list[dict[str, Any]]) -> None:
        started = time.monotonic()
        for number, mutant in enumerate(mutants, start=1):
            tests = tests_for(mutant, self.baseline, self.killers.get(function_of(mutant["id"]), []))
            if not tests:
                self.results[mutant["id"]] = {"status": NO_TESTS, "tests": [], "seconds": 0.0, "by": ""}
                continue
            while len(self.running) >= self.workers:
                self._reap()
            self._start(mutant["id"], [self.items[nodeid] for nodeid in tests])
            if number % 50 == 0:
                self.save()
                minutes = (time.monotonic() - started) / 60
                survived = sum(1 for result in self.results.values() if result["status"] == SURVIVED)
                print(
                    f"mutate: {number}/{len(mutants)} started, {survived} survived so far, {minutes:.1f} min",
                    file=sys.stderr,
                )
        while self.running:
            self._reap()
        self.save()

    def save(self) -> None:
        """What is known so far, for run.py's report (and for a look at a long run while it goes)."""
        report = {
            "results": self.results,
            "failing_without_mutants": self.baseline.failing,
            "too_slow": sorted(test for test, took in self.baseline.seconds.items() if took > SLOW_SECONDS),
        }
        self.results_path.write_text(json.dumps(report, indent=1), encoding="utf-8")

    def _start(self, mutant: str, tests: list[pytest.Item]) -> None:
        clean = sum(self.baseline.seconds[item.nodeid] for item in tests)
        read, write = os.pipe()

        def run_until_one_fails() -> int:
            set_mutant_under_test(mutant)
            for index, item in enumerate(tests):
                if not _passes(item, tests[index + 1] if index + 1 < len(tests) else item):
                    os.write(write, item.nodeid.encode("utf-8"))
                    return 1
            return 0

        pid = os.fork()
        if pid == 0:
            os.close(read)
            _in_child(self.session, tests[0], run_until_one_fails)
        os.close(write)
        now = time.monotonic()
        deadline = now + TIMEOUT_FACTOR * clean + TIMEOUT_SECONDS
        self.running[pid] = Running(mutant, pid, deadline, now, [item.nodeid for item in tests], read)

    def _reap(self) -> None:
        """Wait until a child has finished (killing those past their deadline), and record each that has."""
        while True:
            for pid, child in list(self.running.items()):
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    self._record(child, KILLED if os.waitstatus_to_exitcode(status) != 0 else SURVIVED)
                elif time.monotonic() > child.deadline:
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                    self._record(child, TIMEOUT)
            if len(self.running) < self.workers:
                return
            time.sleep(0.01)

    def _record(self, child: Running, status: str) -> None:
        del self.running[child.pid]
        killer = os.read(child.report, 4096).decode("utf-8") if status == KILLED else ""
        os.close(child.report)
        if killer:
            self.killers.setdefault(function_of(child.mutant), []).append(killer)
        seconds = round(time.monotonic() - child.started, 2)
        # A survivor keeps the tests it passed: where a test that would notice it is missing.
        tests = child.tests if status == SURVIVED else len(child.tests)
        self.results[child.mutant] = {"status": status, "tests": tests, "seconds": seconds, "by": killer}


@pytest.hookimpl(tryfirst=True)
def pytest_runtestloop(session: pytest.Session) -> bool:
    """The session's fixtures, the clean run, then every mutant of the plan; results to MUTATE_RESULTS."""
    plan = json.loads(Path(os.environ["MUTATE_PLAN"]).read_text(encoding="utf-8"))
    items = list(session.items)
    began = time.monotonic()
    # The first test sets up the session's fixtures here, once, for every child to inherit.
    runtestprotocol(items[0], nextitem=items[1] if len(items) > 1 else items[0], log=False)
    baseline = run_baseline(session, items)
    print(
        f"mutate: clean run of {len(items)} tests in {time.monotonic() - began:.0f} s, "
        f"{len(baseline.failing)} failing without a mutant",
        file=sys.stderr,
    )
    runner = MutationRunner(session, baseline, int(plan["workers"]), Path(os.environ["MUTATE_RESULTS"]))
    runner.run(plan["mutants"])
    return True
