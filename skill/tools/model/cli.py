"""The generator's command line, shared by `python -m skill.tools.model` and `closer model`."""

import argparse
import sys
from collections.abc import Sequence

from skill.tools.model.build import build, stale, write_all
from skill.tools.model.source import LOCALES


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The generator's options."""
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if a committed model file differs from what the source makes",
    )


def run(arguments: argparse.Namespace) -> None:
    """Write every locale's model, or with --check say which are out of date."""
    if arguments.check:
        out_of_date = stale()
        for path in out_of_date:
            print(f"out of date: {path} (run: closer model)", file=sys.stderr)
        if out_of_date:
            raise SystemExit(1)
        print(f"All {len(LOCALES)} interaction models match the source.")
        return
    for path in write_all():
        locale = path.stem
        intents = build(locale)["interactionModel"]["languageModel"]["intents"]
        count = sum(len(intent["samples"]) for intent in intents)
        print(f"wrote {path} ({count} samples)")


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of `python -m skill.tools.model`."""
    parser = argparse.ArgumentParser(
        prog="python -m skill.tools.model", description="Generate the interaction model of every locale."
    )
    add_arguments(parser)
    run(parser.parse_args(argv))
