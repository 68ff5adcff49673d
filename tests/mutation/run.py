"""`make mutate`: how many small changes to the code that keeps data and checks requests the tests notice.

mutmut makes the mutants (each a small change inside one function: a comparison turned round, a number
off by one, an argument dropped, a string changed, a condition negated) and compiles them all into a copy
of the project, where its trampolines switch one on at a time. The copy is build/mutate/tree, so the work
tree is never touched. One pytest session over the areas' tests (tests/mutation/plugin.py) then runs each
mutant against the tests of its module's area that call the mutated function.

Prints the score of each module (killed / (mutants - equivalent)) and every surviving mutant as file:line,
the line and what it became; writes the same to build/mutate/report.txt. The mutants known to be equivalent
are listed in tests/mutation/equivalent.toml, each with its reason: they are not run, and an entry that
matches no mutant any more is reported as stale (and the run exits 1).
`python -m tests.mutation.run skill/store/table.py …` runs only those modules (the full list is MODULES);
`--sample 50` tests a fixed draw of 50 mutants of each module."""

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build" / "mutate"
TREE = BUILD / "tree"
SKIP = shutil.ignore_patterns(
    ".git", ".venv", "build", "node_modules", ".closer", "__pycache__", ".hypothesis", ".pytest_cache"
)
WORKERS = 2  # the machine's cores
# The mutants no user, operator or caller of the code can tell from the original, each with its reason.
EQUIVALENT = Path(__file__).with_name("equivalent.toml")

# The tests of each area, the most telling first. A mutant runs against at most 150 of those of its
# module's area that call its function (tests/mutation/plugin.py chooses them).
JAR = (
    "tests/handlers/test_appreciation_promises.py",
    "tests/handlers/test_appreciation.py",
    "tests/handlers/test_appreciation_reading.py",
    "tests/handlers/test_appreciation_signing.py",
    "tests/handlers/test_names.py",
)
DELETING = ("tests/e2e/test_unprocessed.py", "tests/e2e/test_privacy.py", "tests/e2e/test_purge.py")
CHECKIN = (
    "tests/handlers/test_checkin_promises.py",
    "tests/handlers/test_checkin.py",
    "tests/handlers/test_checkin_parts.py",
    "tests/handlers/test_monthly.py",
)
QUESTIONS = ("tests/handlers/test_question_rotation.py", "tests/handlers/test_question.py")
VERIFIER = ("tests/skill/test_serve.py", "tests/skill/test_serve_hostile.py")
FAULTS = ("tests/e2e/test_faults.py",)

MODULES: dict[str, tuple[str, ...]] = {
    "skill/store/table.py": (*DELETING, *JAR, *FAULTS),
    "skill/store/appreciations.py": (*JAR, *DELETING, *FAULTS),
    "skill/store/checkins.py": (*CHECKIN, *FAULTS),
    "skill/store/profile.py": ("tests/e2e/test_profile.py", "tests/handlers/test_names.py", *JAR, *FAULTS),
    "skill/store/questions.py": (*QUESTIONS, *FAULTS),
    "skill/store/purge.py": DELETING,
    "handlers/appreciation/service.py": (*JAR, "tests/e2e/test_unprocessed.py", *FAULTS),
    "handlers/appreciation/wording.py": JAR,
    "handlers/question/picking.py": QUESTIONS,
    "handlers/checkin/flows.py": (*CHECKIN, *FAULTS),
    "handlers/checkin/timing.py": CHECKIN,
    "skill/timers.py": CHECKIN,
    "skill/tools/webservice.py": VERIFIER,
    "skill/envelope.py": ("tests/e2e/test_envelope.py", "tests/e2e/test_bad_input.py", *VERIFIER),
}
# Tests over plugin.SLOW_SECONDS that a module's mutants run all the same (last): that a purge goes on
# through the queue, as it must when it cannot finish in its turn, only a purge of thousands shows.
THOUSANDS = "tests/e2e/test_purge.py::test_delete_all_of_thousands_answers_in_time_and_the_queue_finishes_it"
SLOW_BUT_RUN: dict[str, tuple[str, ...]] = {
    "skill/store/table.py": (THOUSANDS,),
    "skill/store/purge.py": (THOUSANDS,),
}


# mutmut's configuration in the tree. Log lines are not mutated: what is logged is for whoever runs the
# skill, not a promise to the couple (tests/e2e/test_log_privacy.py holds what must never be logged).
# So is `store_failed(…, event, line)`: its event is logged and named the turn's outcome (the line it says
# is left unmutated with it: mutmut would only drop it, which fails at once).
MUTMUT_CONFIG = """
[tool.mutmut]
source_paths = ["skill", "handlers"]
track_dependencies = false
do_not_mutate_patterns = [
    'log_event\\(', 'log\\.(debug|info|warning|error|exception)\\(', 'record_outcome\\(', 'store_failed\\(',
]
"""


@dataclass(frozen=True)
class Mutant:
    """One mutant: mutmut's id for it (module, mangled function, number), where it is, and what changed."""

    id: str
    path: str
    line: int
    before: str
    after: str
    area: tuple[str, ...]


@dataclass(frozen=True)
class Equivalent:
    """An entry of equivalent.toml: a mutant known to be equivalent, by its file, its line as it is and as
    the mutant makes it (as the report prints them, so line numbers may shift), and why."""

    file: str
    line: str
    mutant: str
    why: str

    def matches(self, mutant: Mutant) -> bool:
        return (self.file, self.line, self.mutant) == (mutant.path, mutant.before, mutant.after)


def equivalents(path: Path = EQUIVALENT) -> list[Equivalent]:
    """The known equivalent mutants; each entry must say why it is one."""
    entries = tomllib.loads(path.read_text(encoding="utf-8")).get("mutant", [])
    known = [Equivalent(**entry) for entry in entries]
    for entry in known:
        if not entry.why.strip():
            raise SystemExit(f"{path.name}: {entry.file}: `{entry.mutant}` says not why it is equivalent")
    return known


def module_name(path: str) -> str:
    return path.removesuffix(".py").replace("/", ".")


def _case_only(mutation: Any) -> bool:
    """Whether a mutation only changes a string's case. mutmut makes three of every string: "XX…XX",
    all lower case and all upper case. The XX one already tests that the string matters; the case ones
    add only the cases where case does not matter (DynamoDB's keywords, case-folded comparisons), which
    are equivalent mutants, so they are left out."""
    before, after = mutation.original_node, mutation.mutated_node
    return (
        isinstance(before, cst.SimpleString)
        and isinstance(after, cst.SimpleString)
        and (after.value.lower() == before.value.lower())
    )


def _mutants_of(path: str, code: str, area: tuple[str, ...]) -> tuple[str, list[Mutant]]:
    """The file compiled with all its mutants and trampolines, and each mutant's place in the original.

    mutmut numbers a function's mutants in the order it found them; combine_mutations_to_source keeps
    that order, so the n-th mutation of a function is its mutant n."""
    from mutmut.mutation.file_mutation import (
        combine_mutations_to_source,
        create_mutations,
        group_by_top_level_node,
    )
    from mutmut.mutation.trampoline_templates import mangle_function_name

    module, found_mutations, ignored_classes, ignored_functions = create_mutations(path, code)
    mutations = [mutation for mutation in found_mutations if not _case_only(mutation)]
    positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    owners: dict[cst.CSTNode, str | None] = {}
    for statement in module.body:
        if isinstance(statement, cst.FunctionDef):
            owners[statement] = None
        elif isinstance(statement, cst.ClassDef) and isinstance(statement.body, cst.IndentedBlock):
            owners |= {method: statement.name.value for method in statement.body.body}
    lines = code.splitlines()
    mutants = []
    for function, found in group_by_top_level_node(mutations).items():
        if not isinstance(function, cst.FunctionDef) or function not in owners:
            continue  # a class attribute's value: mutmut compiles no mutant of it
        mangled = mangle_function_name(name=function.name.value, class_name=owners[function])
        for number, mutation in enumerate(found, start=1):
            place = positions[mutation.original_node]
            line = place.start.line
            # A change over several lines: the whole mutated node on one line, so two mutants of it differ.
            after = " ".join(module.code_for_node(mutation.mutated_node).split())
            if place.end.line == line:  # the whole line as it became, not only the changed part
                text = lines[line - 1]
                after = module.code_for_node(mutation.mutated_node)
                after = (text[: place.start.column] + after + text[place.end.column :]).strip()
            mutant_id = f"{module_name(path)}.{mangled}__mutmut_{number}"
            mutants.append(Mutant(mutant_id, path, line, lines[line - 1].strip(), after, area))
    compiled = combine_mutations_to_source(module, mutations, ignored_classes, ignored_functions)
    assert {mutant.id.rpartition(".")[2] for mutant in mutants} == set(compiled.mutant_names), path
    return compiled.code, mutants


def build_tree(modules: dict[str, tuple[str, ...]]) -> list[Mutant]:
    """A copy of the project with the modules' mutants compiled in; every mutant."""
    shutil.rmtree(TREE, ignore_errors=True)
    shutil.copytree(ROOT, TREE, ignore=SKIP)
    # mutmut's trampolines read its configuration from the working directory when recording calls.
    with (TREE / "pyproject.toml").open("a", encoding="utf-8") as pyproject:
        pyproject.write(MUTMUT_CONFIG)
    os.chdir(TREE)
    mutants: list[Mutant] = []
    for path, area in modules.items():
        code, found = _mutants_of(path, (ROOT / path).read_text(encoding="utf-8"), area)
        (TREE / path).write_text(code, encoding="utf-8")
        mutants += found
    os.chdir(ROOT)
    return mutants


def run_session(mutants: list[Mutant]) -> dict[str, object]:
    """One pytest session over every area's tests, in the tree, with the plugin testing each mutant."""
    plan = {
        "workers": WORKERS,
        "mutants": [
            {"id": m.id, "area": list(m.area), "slow": list(SLOW_BUT_RUN.get(m.path, ()))} for m in mutants
        ],
    }
    plan_path, results_path = BUILD / "plan.json", BUILD / "results.json"
    plan_path.write_text(json.dumps(plan), encoding="utf-8")
    tests = sorted({test for mutant in mutants for test in mutant.area})
    existing = [test for test in tests if list(TREE.glob(test + "*"))]
    environment = os.environ | {
        "PYTHONPATH": str(TREE),
        "MUTATE_PLAN": str(plan_path),
        "MUTATE_RESULTS": str(results_path),
    }
    command = [sys.executable, "-m", "pytest", "-p", "tests.mutation.plugin", "-p", "no:cacheprovider", "-q"]
    paths = sorted({str(path.relative_to(TREE)) for test in existing for path in TREE.glob(test + "*")})
    subprocess.run([*command, *paths], cwd=TREE, env=environment, check=True)
    return json.loads(results_path.read_text(encoding="utf-8"))


EQUIVALENT_STATUS = "equivalent"
COLUMNS = f"{'module':<36} {'mutants':>7} {'killed':>7} {'survived':>8} {'equivalent':>10} {'no tests':>8}"
COLUMNS += "  score"


def _row(name: str, counts: Counter[str]) -> str:
    """A module's line of the table; its score is killed / (mutants - equivalent)."""
    total, equivalent = sum(counts.values()), counts[EQUIVALENT_STATUS]
    killed = counts["killed"] + counts["timeout"]
    score = 100 * killed / (total - equivalent) if total > equivalent else 100.0
    return (
        f"{name:<36} {total:>7} {killed:>7} {counts['survived']:>8} {equivalent:>10} {counts['no tests']:>8}"
        f" {score:>5.1f}%"
    )


def report(
    mutants: list[Mutant], made: int, outcome: dict[str, object], minutes: float, stale: list[Equivalent]
) -> str:
    """The score of each module, then every survivor with its place and change, and the entries of
    equivalent.toml that no longer match a mutant."""
    results: dict[str, dict[str, object]] = outcome["results"]  # type: ignore[assignment]
    lines = [f"mutation testing: {len(mutants)} mutants (of {made} made) in {minutes:.1f} min", ""]
    lines.append(COLUMNS)
    by_path: dict[str, Counter[str]] = {}
    for mutant in mutants:
        by_path.setdefault(mutant.path, Counter())[str(results[mutant.id]["status"])] += 1
    lines += [_row(path, counts) for path, counts in by_path.items()]
    lines.append(_row("all", sum(by_path.values(), Counter())))
    failing = outcome.get("failing_without_mutants") or []
    if failing:
        lines += ["", "tests failing without any mutant (left out, they can kill nothing):"]
        lines += [f"  {test}" for test in failing]  # type: ignore[union-attr]
    slow = outcome.get("too_slow") or []
    if slow:
        lines += ["", "tests left out of mutant runs as too slow (over 3 s each):"]
        for test in slow:  # type: ignore[union-attr]
            modules = [path for path, tests in SLOW_BUT_RUN.items() if test in tests]
            lines.append(f"  {test}" + (f" (run all the same for {', '.join(modules)})" if modules else ""))
    lines += ["", "surviving mutants (file:line: the line | what it became):"]
    for mutant in mutants:
        status = results[mutant.id]["status"]
        if status in ("survived", "no tests"):
            mark = "" if status == "survived" else " [no test calls it]"
            lines.append(f"  {mutant.path}:{mutant.line}: {mutant.before} | {mutant.after}{mark}")
    if stale:
        lines += ["", f"stale entries of {EQUIVALENT.name} (they match no mutant: remove or update them):"]
        lines += [f"  {entry.file}: {entry.line} | {entry.mutant}" for entry in stale]
    return "\n".join(lines) + "\n"


def sample(mutants: list[Mutant], per_module: int) -> list[Mutant]:
    """At most `per_module` mutants of each module, the same ones on every run while the code stays: those
    whose ids hash lowest (a changed function brings new mutants into the draw, not a new draw)."""
    chosen: list[Mutant] = []
    for path in dict.fromkeys(mutant.path for mutant in mutants):
        of_module = [mutant for mutant in mutants if mutant.path == path]
        drawn = sorted(of_module, key=lambda mutant: hashlib.sha256(mutant.id.encode()).hexdigest())
        kept = {mutant.id for mutant in drawn[:per_module]}
        chosen += [mutant for mutant in of_module if mutant.id in kept]
    return chosen


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.mutation.run", description=__doc__.split("\n")[0])
    parser.add_argument("modules", nargs="*", help="only these of MODULES (default: all)")
    parser.add_argument("--sample", type=int, help="a quick look: at most this many mutants of each module")
    options = parser.parse_args(argv)
    if unknown := set(options.modules) - set(MODULES):
        parser.error(f"not among the modules mutated: {', '.join(sorted(unknown))}")
    chosen = {path: MODULES[path] for path in options.modules or MODULES}
    started = time.monotonic()
    BUILD.mkdir(parents=True, exist_ok=True)
    every = build_tree(chosen)
    known = [entry for entry in equivalents() if entry.file in chosen]
    equivalent = {mutant.id for mutant in every if any(entry.matches(mutant) for entry in known)}
    stale = [entry for entry in known if not any(entry.matches(mutant) for mutant in every)]
    mutants = every if options.sample is None else sample(every, options.sample)
    outcome = run_session([mutant for mutant in mutants if mutant.id not in equivalent])
    outcome["results"] |= {  # type: ignore[operator]
        mutant.id: {"status": EQUIVALENT_STATUS} for mutant in mutants if mutant.id in equivalent
    }
    text = report(mutants, len(every), outcome, (time.monotonic() - started) / 60, stale)
    (BUILD / "report.txt").write_text(text, encoding="utf-8")
    print(text)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
