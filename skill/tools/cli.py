"""The `closer` command: `closer chat` talks to the skill locally; `closer package` builds the Lambda zip;
`closer deploy` puts it on AWS; `closer pages` publishes the privacy policy and terms of use; `closer serve`
runs the skill as a self-hosted web service; `closer model` writes every locale's interaction model from its
one source; `closer icons` draws the skill's icons."""

import argparse
import sys
from pathlib import Path

from skill.tools.model.source import LOCALES


def _chat(arguments: argparse.Namespace) -> None:
    from skill.tools.console.chat import run

    run(arguments.say, state_dir=arguments.state_dir, locale=arguments.locale)


def _model(arguments: argparse.Namespace) -> None:
    from skill.tools.model.cli import run

    run(arguments)


def _package(arguments: argparse.Namespace) -> None:
    from infra.package import build_zip

    zip_path = build_zip(arguments.output)
    print(f"Built {zip_path} ({zip_path.stat().st_size / 1_000_000:.1f} MB)")


def _deploy(arguments: argparse.Namespace) -> None:
    from infra.deploy import DeployError, run

    try:
        endpoint = run(
            arguments.stack,
            arguments.skill_id,
            bucket=arguments.bucket,
            create_bucket=arguments.create_bucket,
            region=arguments.region,
            zip_path=arguments.zip,
        )
    except DeployError as error:
        print(f"Deploy failed. {error}", file=sys.stderr)
        raise SystemExit(1) from error
    print(f"Skill endpoint (the function ARN for skill.json's apis.custom.endpoint.uri): {endpoint}")


def _pages(arguments: argparse.Namespace) -> None:
    from infra.deploy import DeployError

    try:
        from infra.pages import MANIFEST, run
    except ModuleNotFoundError as error:
        raise SystemExit(f"closer pages needs Markdown: pip install '.[dev]' ({error})") from error
    try:
        urls = run(
            arguments.contact,
            bucket=arguments.bucket,
            create_bucket=arguments.create_bucket,
            region=arguments.region,
            manifest=arguments.manifest or MANIFEST,
        )
    except DeployError as error:
        print(f"Publishing the pages failed. {error}", file=sys.stderr)
        raise SystemExit(1) from error
    for url in urls.values():
        print(url)


def _icons(arguments: argparse.Namespace) -> None:
    try:
        from skill.tools.icons import run
    except ModuleNotFoundError as error:
        raise SystemExit(f"closer icons needs Pillow: pip install '.[dev]' ({error})") from error
    run(arguments.check)


def _serve(arguments: argparse.Namespace) -> None:
    try:
        from skill.tools.serve import run
    except ModuleNotFoundError as error:
        raise SystemExit(f"closer serve needs the 'serve' extra: pip install '.[serve]' ({error})") from error
    run(arguments.host, arguments.port, verify=arguments.verify)


def parser() -> argparse.ArgumentParser:
    """The command line, one sub-command per tool."""
    root = argparse.ArgumentParser(
        prog="closer", description="Closer Together: local tools, packaging and deployment."
    )
    commands = root.add_subparsers(dest="command", required=True)
    chat = commands.add_parser("chat", help="talk to the skill in this terminal, no AWS account needed")
    chat.add_argument("--say", action="append", help="say this (repeatable) and exit instead of prompting")
    chat.add_argument("--state-dir", type=Path, default=Path(".closer"), help="where the local table is kept")
    chat.add_argument(
        "--locale",
        choices=LOCALES,
        default=LOCALES[0],
        help="the device's locale: its model hears you and its requests carry it (default en-US)",
    )
    chat.set_defaults(run=_chat)
    model = commands.add_parser(
        "model", help="write every locale's interaction model from skill/tools/model/source.py"
    )
    model.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if a committed model file differs from what the source makes",
    )
    model.set_defaults(run=_model)
    package = commands.add_parser("package", help="build the Lambda deployment zip")
    package.add_argument("--output", type=Path, default=Path("build/closer-together.zip"))
    package.set_defaults(run=_package)
    deploy = commands.add_parser(
        "deploy", help="upload the zip and create or update the CloudFormation stack"
    )
    deploy.add_argument("--stack", required=True, help="CloudFormation stack name")
    deploy.add_argument("--skill-id", required=True, help="the Alexa skill id, amzn1.ask.skill....")
    deploy.add_argument("--bucket", help="S3 bucket for the code (default: closer-together-ACCOUNT-REGION)")
    deploy.add_argument(
        "--create-bucket",
        action="store_true",
        help="create the bucket, or enable versioning on it, if needed",
    )
    deploy.add_argument("--region", help="AWS region (default: from the AWS configuration)")
    deploy.add_argument("--zip", type=Path, help="deploy this prebuilt zip instead of building one")
    deploy.set_defaults(run=_deploy)
    pages = commands.add_parser(
        "pages", help="publish PRIVACY.md and TERMS.md as public pages and point skill.json at them"
    )
    pages.add_argument("--contact", required=True, help="the email or web address the pages give to write to")
    pages.add_argument(
        "--bucket", help="S3 bucket for the pages (default: closer-together-pages-ACCOUNT-REGION)"
    )
    pages.add_argument("--create-bucket", action="store_true", help="create the bucket if it does not exist")
    pages.add_argument("--region", help="AWS region (default: from the AWS configuration)")
    pages.add_argument(
        "--manifest",
        type=Path,
        help="the skill manifest to point at the pages (default: the repository's skill/package/skill.json)",
    )
    pages.set_defaults(run=_pages)
    icons = commands.add_parser("icons", help="draw the skill's icons into skill/package/assets/images")
    icons.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a committed icon is not the drawing"
    )
    icons.set_defaults(run=_icons)
    serve = commands.add_parser("serve", help="run the skill as a web service (behind a TLS proxy)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8080, help="port to listen on; 0 picks a free one")
    serve.add_argument(
        "--no-verify",
        dest="verify",
        action="store_false",
        help="skip Alexa's signature and timestamp checks (local tools only, never in production)",
    )
    serve.set_defaults(run=_serve)
    return root


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `closer` console script."""
    arguments = parser().parse_args(argv)
    arguments.run(arguments)
