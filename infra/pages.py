"""`closer pages`: the privacy policy and terms of use (PRIVACY.md, TERMS.md) published as HTML pages in an
S3 bucket of the deploying account, next to the stack, and their URLs written into the skill manifest.

Amazon's reviewers and the Alexa app link to these pages, so they must be public and served over HTTPS:
S3 serves them from its own domain with its own certificate, and a bucket policy makes exactly these two
objects readable by anyone. Nothing else in the bucket is public, and ACLs stay blocked.
"""

import html
import json
import re
from pathlib import Path
from typing import Any

import boto3
import markdown
from botocore.exceptions import ClientError

from infra.deploy import Client, DeployError, _error_code, _explained_aws_errors, bucket_exists

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / "skill" / "package" / "skill.json"
# Each page: its object key, the Markdown it is made from, and the manifest field that links to it.
PAGES = (
    ("privacy.html", "PRIVACY.md", "privacyPolicyUrl"),
    ("terms.html", "TERMS.md", "termsOfUseUrl"),
)
CONTACT_MARK = "{{contact}}"
# Short enough that a corrected policy reaches readers within minutes, long enough to spare S3 requests.
CACHE_CONTROL = "max-age=300"
EMAIL = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+$")
STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5}"
    "table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:.4rem;vertical-align:top}"
)


def default_pages_bucket(account: str, region: str) -> str:
    """The pages' bucket beside the code's (`closer-together-ACCOUNT-REGION`): one per account and region."""
    return f"closer-together-pages-{account}-{region}"


def page_url(bucket: str, region: str, key: str) -> str:
    """The page's public HTTPS address: S3's virtual-hosted style, under S3's own certificate."""
    return f"https://{bucket}.s3.{region}.amazonaws.com/{key}"


def _contact_html(contact: str) -> str:
    """The contact as HTML: a mailto link for an email address, a link for a web address, else text."""
    shown = html.escape(contact)
    if EMAIL.match(contact):
        return f'<a href="mailto:{shown}">{shown}</a>'
    if contact.startswith("https://"):
        return f'<a href="{shown}">{shown}</a>'
    return shown


def render_page(source: str, contact: str) -> str:
    """One page as a standalone HTML document: the Markdown rendered, the contact filled in, and links
    between the Markdown files turned into links between the published pages."""
    for key, markdown_name, _ in PAGES:
        source = source.replace(f"]({markdown_name})", f"]({key})")
    title = source.splitlines()[0].lstrip("# ").strip()
    body = markdown.markdown(source, extensions=["tables"], output_format="html")
    body = body.replace(CONTACT_MARK, _contact_html(contact))
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def rendered_pages(contact: str, root: Path = ROOT) -> dict[str, str]:
    """Every page by its object key, rendered from the repository's Markdown."""
    contact = contact.strip()
    if not contact or "\n" in contact:
        raise DeployError("--contact must be one line: an email address or web address people can write to.")
    return {
        key: render_page((root / markdown_name).read_text(encoding="utf-8"), contact)
        for key, markdown_name, _ in PAGES
    }


def public_read_policy(bucket: str) -> str:
    """A bucket policy that lets anyone read the pages, and nothing else in the bucket."""
    statement = {
        "Sid": "AnyoneReadsThePolicyPages",
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": [f"arn:aws:s3:::{bucket}/{key}" for key, _, _ in PAGES],
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def prepare_pages_bucket(s3: Client, bucket: str, region: str, account: str, *, create: bool) -> None:
    """Make sure the bucket exists (creating it only when asked to) and lets the public read the pages."""
    if "." in bucket:
        # S3's wildcard certificate covers one label: a dotted bucket name breaks HTTPS at its address.
        raise DeployError(f"Bucket {bucket} has dots in its name, so S3 cannot serve it over HTTPS.")
    if not bucket_exists(s3, bucket):
        if not create:
            raise DeployError(f"Bucket {bucket} does not exist: pass --create-bucket to create it.")
        # us-east-1 is S3's default location and refuses to be named as a location constraint.
        location = (
            {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
        )
        s3.create_bucket(Bucket=bucket, **location)
        print(f"Created bucket {bucket} in {region}.")
    # Public policies allowed (this bucket's one policy), public ACLs still refused and ignored.
    s3.put_public_access_block(
        Bucket=bucket,
        ExpectedBucketOwner=account,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": False,
            "RestrictPublicBuckets": False,
        },
    )
    try:
        s3.put_bucket_policy(Bucket=bucket, ExpectedBucketOwner=account, Policy=public_read_policy(bucket))
    except ClientError as error:
        if _error_code(error) != "AccessDenied":
            raise
        raise DeployError(
            f"S3 refused a public policy on {bucket}: the account's Block Public Access settings forbid "
            "public bucket policies. Allow them for the account (S3 console, Block Public Access settings "
            "for this account), or publish PRIVACY.md and TERMS.md elsewhere over HTTPS."
        ) from error


def upload_pages(s3: Client, bucket: str, account: str, pages: dict[str, str]) -> None:
    """Put each page as UTF-8 HTML, so browsers show it rather than download it."""
    for key, page in pages.items():
        s3.put_object(
            Bucket=bucket,
            Key=key,
            Body=page.encode("utf-8"),
            ContentType="text/html; charset=utf-8",
            CacheControl=CACHE_CONTROL,
            ExpectedBucketOwner=account,
        )
        print(f"Published s3://{bucket}/{key}")


def point_manifest(manifest: Path, urls: dict[str, str]) -> None:
    """Write the pages' URLs into every locale of the manifest's privacyAndCompliance."""
    document: dict[str, Any] = json.loads(manifest.read_text(encoding="utf-8"))
    for links in document["manifest"]["privacyAndCompliance"]["locales"].values():
        for key, _, field in PAGES:
            links[field] = urls[key]
    manifest.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def publish(
    s3: Client,
    bucket: str,
    region: str,
    account: str,
    contact: str,
    *,
    create_bucket: bool = False,
    manifest: Path = MANIFEST,
) -> dict[str, str]:
    """Render, upload and link the pages; return their URLs by object key."""
    pages = rendered_pages(contact)
    prepare_pages_bucket(s3, bucket, region, account, create=create_bucket)
    upload_pages(s3, bucket, account, pages)
    urls = {key: page_url(bucket, region, key) for key in pages}
    point_manifest(manifest, urls)
    print(f"Pointed every locale of {manifest.name} at the pages.")
    return urls


def run(
    contact: str,
    *,
    bucket: str | None = None,
    create_bucket: bool = False,
    region: str | None = None,
    manifest: Path = MANIFEST,
) -> dict[str, str]:
    """`closer pages`: credentials and region from the usual AWS sources; return the pages' URLs."""
    with _explained_aws_errors():
        session = boto3.Session(region_name=region)
        if session.region_name is None:
            raise DeployError("No AWS region: pass --region or set AWS_REGION.")
        account = session.client("sts").get_caller_identity()["Account"]
        name = bucket or default_pages_bucket(account, session.region_name)
        return publish(
            session.client("s3"),
            name,
            session.region_name,
            account,
            contact,
            create_bucket=create_bucket,
            manifest=manifest,
        )
