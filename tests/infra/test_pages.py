"""`closer pages` against moto: the policy pages public in S3, and the manifest pointing at them."""

import json
import shutil
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto.core import DEFAULT_ACCOUNT_ID

from infra.deploy import DeployError
from infra.pages import publish
from skill.tools.cli import main
from tests.support import ROOT

CONTACT = "hello@closer.example"
# Not the region of the committed manifest's placeholder pages, so pointing the manifest is seen to happen.
REGION = "eu-west-2"
PAGES_BUCKET = f"closer-together-pages-{DEFAULT_ACCOUNT_ID}-{REGION}"
PAGE_KEYS = ("privacy.html", "terms.html")


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    """A copy of the skill manifest for the command to point at the pages."""
    copy = tmp_path / "skill.json"
    shutil.copy(ROOT / "skill" / "package" / "skill.json", copy)
    return copy


def policy_links(manifest: Path) -> list[dict[str, str]]:
    document = json.loads(manifest.read_text(encoding="utf-8"))
    return list(document["manifest"]["privacyAndCompliance"]["locales"].values())


def pages(manifest: Path, *extra: str) -> None:
    main(["pages", "--contact", CONTACT, "--region", REGION, "--manifest", str(manifest), *extra])


def test_publishes_both_pages_as_html_with_the_contact(aws: None, manifest: Path) -> None:
    pages(manifest, "--create-bucket")
    s3 = boto3.client("s3", region_name=REGION)
    for key in PAGE_KEYS:
        page = s3.get_object(Bucket=PAGES_BUCKET, Key=key)
        assert page["ContentType"] == "text/html; charset=utf-8"
        body = page["Body"].read().decode("utf-8")
        assert body.startswith("<!DOCTYPE html>") and f"mailto:{CONTACT}" in body and "{{" not in body


def test_only_the_pages_are_public_and_acls_stay_blocked(aws: None, manifest: Path) -> None:
    pages(manifest, "--create-bucket")
    s3 = boto3.client("s3", region_name=REGION)
    policy = json.loads(s3.get_bucket_policy(Bucket=PAGES_BUCKET)["Policy"])
    public = [statement for statement in policy["Statement"] if statement["Principal"] == "*"]
    assert [(statement["Effect"], statement["Action"]) for statement in public] == [("Allow", "s3:GetObject")]
    assert sorted(public[0]["Resource"]) == [f"arn:aws:s3:::{PAGES_BUCKET}/{key}" for key in PAGE_KEYS]
    block = s3.get_public_access_block(Bucket=PAGES_BUCKET)["PublicAccessBlockConfiguration"]
    assert block["BlockPublicAcls"] and block["IgnorePublicAcls"]


def test_points_every_locale_of_the_manifest_at_the_pages(aws: None, manifest: Path) -> None:
    pages(manifest, "--create-bucket")
    base = f"https://{PAGES_BUCKET}.s3.{REGION}.amazonaws.com"
    assert policy_links(manifest)
    for links in policy_links(manifest):
        assert links == {"privacyPolicyUrl": f"{base}/privacy.html", "termsOfUseUrl": f"{base}/terms.html"}
    text = manifest.read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n", "written as committed"


def test_a_missing_bucket_stops_it_and_the_manifest_is_untouched(
    aws: None, manifest: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = manifest.read_text(encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        pages(manifest)
    assert exit_info.value.code == 1
    assert "--create-bucket" in capsys.readouterr().err
    assert manifest.read_text(encoding="utf-8") == before


def test_a_bucket_name_with_dots_is_refused_before_anything_is_made(aws: None, manifest: Path) -> None:
    s3 = boto3.client("s3", region_name=REGION)
    with pytest.raises(DeployError, match="HTTPS"):
        publish(
            s3, "closer.pages", REGION, DEFAULT_ACCOUNT_ID, CONTACT, create_bucket=True, manifest=manifest
        )
    assert s3.list_buckets()["Buckets"] == []


def test_an_account_that_blocks_public_policies_gets_told_what_to_change(aws: None, manifest: Path) -> None:
    s3 = boto3.client("s3", region_name=REGION)

    def refuse(**_: Any) -> None:
        # What S3 answers when the account's Block Public Access settings forbid public bucket policies.
        raise ClientError(
            {"Error": {"Code": "AccessDenied", "Message": "public policies blocked"}}, "PutBucketPolicy"
        )

    s3.meta.events.register("before-call.s3.PutBucketPolicy", refuse)
    before = manifest.read_text(encoding="utf-8")
    with pytest.raises(DeployError, match="Block Public Access"):
        publish(s3, PAGES_BUCKET, REGION, DEFAULT_ACCOUNT_ID, CONTACT, create_bucket=True, manifest=manifest)
    assert manifest.read_text(encoding="utf-8") == before


def test_a_contact_is_required_on_one_line(aws: None, manifest: Path) -> None:
    s3 = boto3.client("s3", region_name=REGION)
    with pytest.raises(DeployError, match="contact"):
        publish(s3, PAGES_BUCKET, REGION, DEFAULT_ACCOUNT_ID, " ", create_bucket=True, manifest=manifest)
    assert s3.list_buckets()["Buckets"] == []
