"""Upload the built site to an S3-compatible bucket: only what changed, with the right headers.

Why not ``aws s3 sync``: it decides by size and modification time, and every build
writes every file anew, so it would upload the whole site each time (or, with
``--size-only``, miss an edit that keeps a file's size); and it sets one Content-Type
and Cache-Control per call. Here each file's MD5 is compared with its object's ETag
(the MD5 of a single-part upload, which is how every object is written), and every
file gets its headers from :mod:`pressroom.deploy.policy`.

Content-hashed assets go up first, then the other files, then the pages, and stale
objects are deleted last, so a reader never gets a page whose search index is not
there yet. Aliases (``_redirects`` in the output) also become S3 website redirects.

``python -m pressroom.deploy.s3 --bucket NAME [--endpoint-url URL] OUTPUTDIR``
(``make s3_upload``); credentials come from the environment, as for the AWS CLI.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import sys
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pressroom.deploy.policy import LONG, cache_control, content_type

WORKERS = 8
DELETE_BATCH = 1000  # the most DeleteObjects takes at once


@dataclass(frozen=True)
class LocalFile:
    key: str
    path: Path
    md5: str  # hex

    @property
    def content_md5(self) -> str:
        """The Content-MD5 header: S3 refuses the upload if the bytes arrive changed."""
        return base64.b64encode(bytes.fromhex(self.md5)).decode("ascii")


@dataclass(frozen=True)
class Plan:
    upload: list[LocalFile]
    delete: list[str]
    unchanged: int


@dataclass
class Report:
    uploaded: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: int = 0


def md5_of(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, lambda: hashlib.md5(usedforsecurity=False)).hexdigest()


def local_files(root: Path) -> dict[str, LocalFile]:
    """Every file under ``root`` by its object key (the site path, no leading slash)."""
    files = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            key = path.relative_to(root).as_posix()
            files[key] = LocalFile(key, path, md5_of(path))
    return files


def remote_etags(client: Any, bucket: str) -> dict[str, str]:
    """Every object's ETag without quotes (one listing request per 1,000 objects)."""
    etags = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            etags[item["Key"]] = item["ETag"].strip('"')
    return etags


def make_plan(local: Mapping[str, LocalFile], remote: Mapping[str, str], force: bool = False) -> Plan:
    """Upload what is new or changed (an ETag that is not our MD5, e.g. a multipart one, counts as
    changed), delete what the site no longer has."""
    upload = [f for key, f in local.items() if force or remote.get(key) != f.md5]
    delete = sorted(key for key in remote if key not in local)
    return Plan(sorted(upload, key=lambda f: (phase(f.key), f.key)), delete, len(local) - len(upload))


def phase(key: str) -> int:
    """Upload order: hashed assets, then other files, then the pages that refer to them."""
    if cache_control(key) == LONG:
        return 0
    return 2 if key.endswith(".html") else 1


def website_redirects(root: Path) -> dict[str, str]:
    """Object key of each alias's redirect page -> the current path, from ``_redirects``."""
    redirects_file = root / "_redirects"
    if not redirects_file.is_file():
        return {}
    redirects = {}
    for line in redirects_file.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2:
            old, new = parts[0], parts[1]
            key = old.lstrip("/") + ("index.html" if old.endswith("/") else "")
            redirects[key] = new
    return redirects


def put_arguments(bucket: str, file: LocalFile, redirects: Mapping[str, str]) -> dict[str, Any]:
    arguments = {
        "Bucket": bucket,
        "Key": file.key,
        "ContentType": content_type(file.key),
        "CacheControl": cache_control(file.key),
        "ContentMD5": file.content_md5,
    }
    if file.key in redirects:
        arguments["WebsiteRedirectLocation"] = redirects[file.key]
    return arguments


def make_client(endpoint_url: str | None) -> Any:
    """An S3 client for AWS or, with ``endpoint_url``, any S3-compatible service.

    Checksums only where the API requires them: boto3's default CRC32 headers are refused
    by some S3-compatible services, and every upload carries Content-MD5 anyway.
    """
    import boto3
    from botocore.config import Config

    config = Config(
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
        retries={"max_attempts": 5, "mode": "standard"},
        max_pool_connections=WORKERS,
    )
    return boto3.client("s3", endpoint_url=endpoint_url or None, config=config)


def sync(
    client: Any,
    bucket: str,
    root: Path,
    *,
    force: bool = False,
    dry_run: bool = False,
    log: Callable[[str], None] = print,
) -> Report:
    """Make the bucket hold exactly the files under ``root``, uploading only what changed."""
    plan = make_plan(local_files(root), remote_etags(client, bucket), force=force)
    redirects = website_redirects(root)
    report = Report(unchanged=plan.unchanged)
    verb = "would upload" if dry_run else "upload"
    for number in (0, 1, 2):
        batch = [f for f in plan.upload if phase(f.key) == number]
        if not dry_run:
            _upload_all(client, bucket, batch, redirects)
        for file in batch:
            log(f"{verb}: {file.key}")
            report.uploaded.append(file.key)
    for start in range(0, len(plan.delete), DELETE_BATCH):
        keys = plan.delete[start : start + DELETE_BATCH]
        if not dry_run:
            _delete(client, bucket, keys)
        for key in keys:
            log(f"{'would delete' if dry_run else 'delete'}: {key}")
            report.deleted.append(key)
    return report


def _upload_all(client: Any, bucket: str, files: Iterable[LocalFile], redirects: Mapping[str, str]) -> None:
    def upload(file: LocalFile) -> None:
        with file.path.open("rb") as body:
            client.put_object(Body=body, **put_arguments(bucket, file, redirects))

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        for _ in pool.map(upload, files):  # re-raises the first failure
            pass


def _delete(client: Any, bucket: str, keys: list[str]) -> None:
    answer = client.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in keys], "Quiet": True})
    errors = answer.get("Errors", [])
    if errors:
        raise RuntimeError(f"could not delete {errors[0]['Key']}: {errors[0].get('Message', errors[0].get('Code'))}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pressroom.deploy.s3", description=__doc__.split("\n\n")[0])
    parser.add_argument("output", type=Path, help="the built site (make publish SITEURL=https://...)")
    parser.add_argument("--bucket", default="", help="the bucket's name")
    parser.add_argument("--endpoint-url", default="", help="an S3-compatible service's address (default: AWS)")
    parser.add_argument("--force", action="store_true", help="upload every file (after a change of headers)")
    parser.add_argument("--dry-run", action="store_true", help="say what would change, change nothing")
    args = parser.parse_args(argv)
    if not args.bucket:
        print("error: no bucket: make s3_upload S3_BUCKET=name [S3_ENDPOINT=https://...]", file=sys.stderr)
        return 2
    if not (args.output / "index.html").is_file():
        # An empty or missing folder would otherwise empty the bucket.
        print(f"error: {args.output}/ holds no built site: make publish SITEURL=https://... first", file=sys.stderr)
        return 2

    from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

    try:
        report = sync(make_client(args.endpoint_url), args.bucket, args.output, force=args.force, dry_run=args.dry_run)
    except NoCredentialsError:
        print(
            "error: no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE)", file=sys.stderr
        )
        return 1
    except (BotoCoreError, ClientError, RuntimeError) as exc:
        print(f"error: s3://{args.bucket}: {exc}", file=sys.stderr)
        return 1
    print(
        f"s3://{args.bucket}: {len(report.uploaded)} uploaded, {len(report.deleted)} deleted, "
        f"{report.unchanged} unchanged{' (dry run)' if args.dry_run else ''}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
