"""The `closer` command: `closer chat` talks to the skill locally; `closer package` builds the Lambda zip."""

import argparse
from pathlib import Path


def _chat(arguments: argparse.Namespace) -> None:
    from skill.local.chat import run

    run(arguments.say, state_dir=arguments.state_dir)


def _package(arguments: argparse.Namespace) -> None:
    from infra.package import build_zip

    zip_path = build_zip(arguments.output)
    print(f"Built {zip_path} ({zip_path.stat().st_size / 1_000_000:.1f} MB)")


def parser() -> argparse.ArgumentParser:
    """The command line, one sub-command per tool."""
    root = argparse.ArgumentParser(prog="closer", description="Closer Together: local tools and packaging.")
    commands = root.add_subparsers(dest="command", required=True)
    chat = commands.add_parser("chat", help="talk to the skill in this terminal, no AWS account needed")
    chat.add_argument("--say", action="append", help="say this (repeatable) and exit instead of prompting")
    chat.add_argument("--state-dir", type=Path, default=Path(".closer"), help="where the local table is kept")
    chat.set_defaults(run=_chat)
    package = commands.add_parser("package", help="build the Lambda deployment zip")
    package.add_argument("--output", type=Path, default=Path("build/closer-together.zip"))
    package.set_defaults(run=_package)
    return root


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `closer` console script."""
    arguments = parser().parse_args(argv)
    arguments.run(arguments)
