"""Hosting: the site built by `make publish`, uploaded to S3, served by nginx, copied over SSH.

Each server test starts the real server on 127.0.0.1 (moto's S3, nginx, OpenSSH's sshd)
and drives it the way staff do, through make. Where a server is not installed the test
skips and says what to install; CI sets PRESSROOM_REQUIRE_SERVERS=1 (in .ci/run), which
makes that a failure instead.
"""

from __future__ import annotations

import filecmp
import getpass
import gzip
import hashlib
import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import NOW_EPOCH, ROOT, release, require, run_cli, write_tree
from plugins.redirects.aliases import redirect_map
from pressroom.deploy import nginx as nginx_conf
from pressroom.deploy.policy import LONG, SHORT, cache_control, content_type

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SSHD = "/usr/sbin/sshd"  # sshd re-executes itself, so it must be given by absolute path
MIME_TYPES = Path("/etc/nginx/mime.types")
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so")
BUCKET = "press-portal"
WAIT = 15.0  # seconds a server gets to start listening


def need(available: bool, what: str) -> None:
    """Skip (or, in CI, fail) when a server the test drives is not installed."""
    require(available, what, "PRESSROOM_REQUIRE_SERVERS")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(command: list[str], log: Path, port: int, env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start a server and wait, a bounded time, until it accepts connections on ``port``."""
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{command[0]} exited with {process.returncode}: {log.read_text(errors='replace')}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process
        except OSError:
            time.sleep(0.1)
    stop(process)
    pytest.fail(f"{command[0]} did not listen on 127.0.0.1:{port} within {WAIT} s: {log.read_text(errors='replace')}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def environment(overrides: dict[str, str | None]) -> dict[str, str]:
    """This process's environment with ``overrides``; None removes a variable."""
    return {k: v for k, v in {**os.environ, **overrides}.items() if v is not None}


def make(*args: str, env: dict[str, str | None] | None = None) -> subprocess.CompletedProcess:
    """Run a make target in the repository, as staff do."""
    environ = environment({"SOURCE_DATE_EPOCH": NOW_EPOCH, **(env or {})})
    command = ["make", "--no-print-directory", "-C", str(ROOT), *args]
    return subprocess.run(command, env=environ, capture_output=True, text=True, timeout=300, check=False)


def content() -> dict[str, str]:
    """A small bilingual site: three releases over two years, one English version with a former address."""
    body = "Trung tâm Báo chí Thủ đô mở cửa đón phóng viên trong và ngoài nước. " * 20
    return {
        "releases/2025/trung-tam.vi.md": release("Khai trương Trung tâm Báo chí", tags="Báo chí", body=body),
        "releases/2025/trung-tam.en.md": release(
            "Press centre opens", tags="Press", slug="press-centre-opens", aliases="/en/2025/05/press-centre/"
        ),
        "releases/2025/tiem-chung.vi.md": release("Tiêm chủng mùa hè", date="2025-06-01 10:00", tags="Y tế"),
        # An earlier year: its search bundle is served from pagefind/2024/.
        "releases/2024/le-hoi.vi.md": release("Lễ hội mùa thu", date="2024-09-01 09:00", tags="Văn hóa"),
    }


def publish(content_dir: Path, output: Path, siteurl: str) -> None:
    """`make publish SITEURL=...` for a content tree, with a build cache of its own beside it."""
    cache = {"PRESSROOM_CACHE_PATH": str(content_dir.parent / "build-cache")}
    result = make("publish", f"INPUTDIR={content_dir}", f"OUTPUTDIR={output}", f"SITEURL={siteurl}", env=cache)
    assert result.returncode == 0, result.stdout + result.stderr


def md5s(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.md5(p.read_bytes(), usedforsecurity=False).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


def edit_and_republish(tmp_path: Path, out: Path, body: str) -> set[str]:
    """Correct one release, publish again; return the output files whose bytes changed."""
    before = tmp_path / "before"
    shutil.copytree(out, before)
    write_tree(
        tmp_path / "content",
        {"releases/2025/tiem-chung.vi.md": release("Tiêm chủng mùa hè", date="2025-06-01 10:00", tags="Y tế",
                                                   body=body)},
    )  # fmt: skip
    publish(tmp_path / "content", out, "https://press.example.org")
    old = md5s(before)
    return {key for key, digest in md5s(out).items() if old.get(key) != digest}


# --- Settings and policy (no server) ---------------------------------------------------------


def test_publishing_without_an_address_is_refused(tmp_path):
    write_tree(tmp_path / "content", content())
    for siteurl in ("", "baochi.hanoi.gov.vn", "ftp://baochi.hanoi.gov.vn"):
        result = run_cli(
            "-s", str(ROOT / "publishconf.py"), "-i", str(tmp_path / "content"), "-o", str(tmp_path / "out"), "build",
            env={"SITEURL": siteurl},
        )  # fmt: skip
        assert result.returncode == 2, result.stderr
        assert "make publish SITEURL=https://" in result.stderr
        assert not (tmp_path / "out").exists()


def test_make_publish_passes_siteurl_through_to_feeds_and_sitemaps(tmp_path):
    write_tree(tmp_path / "content", content())
    publish(tmp_path / "content", tmp_path / "out", "https://press.example.org/")
    out = tmp_path / "out"
    assert '<link rel="canonical" href="https://press.example.org/">' in (out / "index.html").read_text()
    assert 'href="https://press.example.org/2025/05/khai-truong-trung-tam-bao-chi/"' in (out / "atom.xml").read_text()
    assert "<loc>https://press.example.org/sitemap-2025.xml</loc>" in (out / "sitemap.xml").read_text()
    assert (
        "<loc>https://press.example.org/en/2025/05/press-centre-opens/</loc>" in (out / "sitemap-2025.xml").read_text()
    )


def test_the_policy_types_and_caches_what_the_site_writes():
    expected = {
        "index.html": ("text/html; charset=utf-8", SHORT),
        "en/atom.xml": ("application/atom+xml; charset=utf-8", SHORT),
        "co-quan/so-y-te/rss.xml": ("application/rss+xml; charset=utf-8", SHORT),
        "en/feed.json": ("application/feed+json; charset=utf-8", SHORT),
        "sitemap.xml": ("application/xml; charset=utf-8", SHORT),
        "feeds.opml": ("text/x-opml; charset=utf-8", SHORT),
        "manifest.webmanifest": ("application/manifest+json; charset=utf-8", SHORT),
        "pagefind/pagefind-entry.json": ("application/json; charset=utf-8", SHORT),
        "pagefind/fragment/vi_3f2a1b.pf_fragment": ("application/octet-stream", LONG),
        "pagefind/index/en_9c1d.pf_index": ("application/octet-stream", LONG),
        "pagefind/filter/vi_77aa.pf_filter": ("application/octet-stream", LONG),
        "pagefind/pagefind.vi_2367104264.pf_meta": ("application/octet-stream", LONG),
        "pagefind/wasm.vi.pagefind": ("application/octet-stream", SHORT),
        "pagefind/2019/fragment/vi_5e1c.pf_fragment": ("application/octet-stream", LONG),
        "pagefind/2019/pagefind.vi_81.pf_meta": ("application/octet-stream", LONG),
        "pagefind/2019/pagefind-entry.json": ("application/json; charset=utf-8", SHORT),
        "pagefind/2019-en/fragment/en_a41b.pf_fragment": ("application/octet-stream", LONG),
        "pagefind/2019-en/pagefind.en_17.pf_meta": ("application/octet-stream", LONG),
        "pagefind/2019-en/pagefind-entry.json": ("application/json; charset=utf-8", SHORT),
        "theme/css/site.css": ("text/css; charset=utf-8", SHORT),
        "images/2025/anh.jpg": ("image/jpeg", SHORT),
    }
    assert {path: (content_type(path), cache_control(path)) for path in expected} == expected


def test_the_nginx_template_refuses_unsafe_or_missing_values():
    template = (ROOT / "deploy/nginx.conf").read_text()
    values = {
        "PRESSROOM_ROOT": "/srv/site",
        "PRESSROOM_LISTEN": "80",
        "PRESSROOM_SERVER_NAME": "example.org www.example.org",
        "PRESSROOM_DEPLOY": "/srv/deploy",
    }
    text = nginx_conf.render(template, values)
    assert "${" not in text and "server_name example.org www.example.org;" in text and "brotli on;" not in text
    assert "\n    brotli on;" in nginx_conf.render(template, values, brotli=True)
    with pytest.raises(nginx_conf.ConfigError, match="PRESSROOM_ROOT"):
        nginx_conf.render(template, {**values, "PRESSROOM_ROOT": "/srv/site; autoindex on"})
    with pytest.raises(nginx_conf.ConfigError, match="no value for PRESSROOM_DEPLOY"):
        nginx_conf.render(template, {k: v for k, v in values.items() if k != "PRESSROOM_DEPLOY"})


def test_uploads_refuse_a_folder_without_a_site(tmp_path):
    (tmp_path / "empty").mkdir()
    s3 = make("s3_upload", f"OUTPUTDIR={tmp_path / 'empty'}", f"S3_BUCKET={BUCKET}")
    assert s3.returncode != 0 and "holds no built site" in s3.stderr
    rsync = make("rsync_upload", f"OUTPUTDIR={tmp_path / 'empty'}")
    assert rsync.returncode != 0 and "make rsync_upload SSH_HOST=" in rsync.stderr
    conf = make("nginx_conf", f"NGINX_CONF={tmp_path / 'x.conf'}")
    assert conf.returncode != 0 and "NGINX_SERVER_NAME=" in conf.stderr


# --- S3: moto's server on 127.0.0.1 -------------------------------------------------------------


@pytest.fixture
def s3_env(tmp_path) -> dict[str, str | None]:
    """Dummy credentials, and no AWS configuration of the machine's user."""
    return {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": None,
        "AWS_PROFILE": None,
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-aws-credentials"),
    }


@pytest.fixture
def s3_endpoint(tmp_path, s3_env) -> Iterator[str]:
    need(
        all(importlib.util.find_spec(name) for name in ("moto", "flask", "boto3")),
        "moto's S3 server (pip install -r requirements-test.txt)",
    )
    port = free_port()
    env = environment(s3_env)
    command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    process = start(command, tmp_path / "moto.log", port, env)
    yield f"http://127.0.0.1:{port}"
    stop(process)


def uploaded(result: subprocess.CompletedProcess) -> set[str]:
    return {line.removeprefix("upload: ") for line in result.stdout.splitlines() if line.startswith("upload: ")}


def deleted(result: subprocess.CompletedProcess) -> set[str]:
    return {line.removeprefix("delete: ") for line in result.stdout.splitlines() if line.startswith("delete: ")}


def test_s3_upload_sets_types_and_caching_and_uploads_only_what_changed(tmp_path, s3_endpoint, s3_env, monkeypatch):
    import boto3

    for name, value in s3_env.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=s3_endpoint)
    client.create_bucket(Bucket=BUCKET)
    write_tree(tmp_path / "content", content())
    out = tmp_path / "output"
    publish(tmp_path / "content", out, "https://press.example.org")

    def upload() -> subprocess.CompletedProcess:
        result = make("s3_upload", f"OUTPUTDIR={out}", f"S3_BUCKET={BUCKET}", f"S3_ENDPOINT={s3_endpoint}", env=s3_env)
        assert result.returncode == 0, result.stdout + result.stderr
        return result

    first = upload()
    files = md5s(out)
    assert uploaded(first) == set(files) and f"{len(files)} uploaded, 0 deleted, 0 unchanged" in first.stdout

    def head(key: str) -> dict:
        return client.head_object(Bucket=BUCKET, Key=key)

    fragment = next(k for k in files if k.startswith("pagefind/fragment/"))
    for key, media, cache in (
        ("index.html", "text/html; charset=utf-8", SHORT),
        ("en/2025/05/press-centre-opens/index.html", "text/html; charset=utf-8", SHORT),
        ("atom.xml", "application/atom+xml; charset=utf-8", SHORT),
        ("en/rss.xml", "application/rss+xml; charset=utf-8", SHORT),
        ("feed.json", "application/feed+json; charset=utf-8", SHORT),
        ("sitemap.xml", "application/xml; charset=utf-8", SHORT),
        ("feeds.opml", "text/x-opml; charset=utf-8", SHORT),
        ("manifest.webmanifest", "application/manifest+json; charset=utf-8", SHORT),
        ("pagefind/pagefind-entry.json", "application/json; charset=utf-8", SHORT),
        (fragment, "application/octet-stream", LONG),
    ):
        answer = head(key)
        assert (key, answer["ContentType"], answer["CacheControl"]) == (key, media, cache)
    page = client.get_object(Bucket=BUCKET, Key="index.html")["Body"].read()
    assert page == (out / "index.html").read_bytes()
    alias = head("en/2025/05/press-centre/index.html")
    assert alias["WebsiteRedirectLocation"] == "/en/2025/05/press-centre-opens/"

    again = upload()
    assert uploaded(again) == set() and deleted(again) == set()
    assert f"0 uploaded, 0 deleted, {len(files)} unchanged" in again.stdout

    old = md5s(out)
    changed = edit_and_republish(tmp_path, out, "Nội dung đã sửa: lịch tiêm mới.")
    new = md5s(out)
    assert "2025/06/tiem-chung-mua-he/index.html" in changed
    assert "en/2025/05/press-centre-opens/index.html" not in changed
    third = upload()
    assert uploaded(third) == changed
    assert deleted(third) == set(old) - set(new)
    remote = {
        item["Key"]: item["ETag"].strip('"')
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET)
        for item in page.get("Contents", [])
    }
    assert remote == new, "the bucket holds exactly the new site"


# --- nginx on 127.0.0.1 -----------------------------------------------------------------------


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    """Status, headers (lower-case names) and body, without following redirects."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "identity", **headers})
    try:
        with _opener.open(request, timeout=10) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def nginx_main_conf(directory: Path, site_conf: Path, brotli: bool) -> Path:
    """A whole nginx.conf, as Debian's: the site's file is included inside `http { }`."""
    main = directory / "nginx.conf"
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read pytest's private tmp
    module = f"load_module {BROTLI_MODULE};\n" if brotli else ""
    temp = "".join(
        f"    {kind}_temp_path {directory / kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    main.write_text(
        f"{module}{user}pid {directory / 'nginx.pid'};\nerror_log {directory / 'error.log'};\n"
        "events { worker_connections 64; }\n"
        f"http {{\n    include {MIME_TYPES};\n    default_type application/octet-stream;\n"
        f"    access_log {directory / 'access.log'};\n{temp}    include {site_conf};\n}}\n"
    )
    return main


@pytest.fixture(scope="module")
def nginx_site(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """The published small site served by nginx from deploy/nginx.conf: (base URL, output)."""
    need(Path(NGINX).exists() and MIME_TYPES.exists(), "nginx (apt-get install nginx-light)")
    base = tmp_path_factory.mktemp("nginx")
    port = free_port()
    write_tree(base / "content", content())
    out = base / "output"
    publish(base / "content", out, f"http://127.0.0.1:{port}")
    deploy = base / "deploy"
    for command in (("redirects", "--file", str(deploy / "redirects")), ("headers", "--dir", str(deploy))):
        result = run_cli("-i", str(base / "content"), *command)
        assert result.returncode == 0, result.stderr
    brotli = BROTLI_MODULE.exists()
    configs = {}
    for name, with_brotli in (("plain", False), ("brotli", brotli)):
        configs[name] = base / f"pressroom-{name}.conf"
        result = make(
            "nginx_conf",
            f"NGINX_CONF={configs[name]}",
            f"NGINX_ROOT={out}",
            f"NGINX_LISTEN=127.0.0.1:{port}",
            "NGINX_SERVER_NAME=127.0.0.1",
            f"NGINX_DEPLOY={deploy}",
            *(["NGINX_BROTLI=1"] if with_brotli else []),
        )
        assert result.returncode == 0, result.stdout + result.stderr
    (base / "plain").mkdir()
    check = subprocess.run(
        [NGINX, "-t", "-q", "-p", str(base), "-c", str(nginx_main_conf(base / "plain", configs["plain"], False))],
        capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert check.returncode == 0, check.stderr
    main = nginx_main_conf(base, configs["brotli"], brotli)
    process = start([NGINX, "-p", str(base), "-c", str(main), "-g", "daemon off;"], base / "nginx.log", port)
    yield f"http://127.0.0.1:{port}", out
    stop(process)


SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "referrer-policy", "permissions-policy")


def assert_secure(headers: dict[str, str]) -> None:
    for name in SECURITY_HEADERS:
        assert name in headers, name
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"


def test_nginx_serves_pages_and_feeds_with_their_types_caching_and_security_headers(nginx_site):
    url, out = nginx_site
    fragment = next((out / "pagefind/fragment").iterdir()).relative_to(out).as_posix()
    year_fragment = next((out / "pagefind/2024/fragment").iterdir()).relative_to(out).as_posix()
    for path in (
        "2025/05/khai-truong-trung-tam-bao-chi/",
        "en/2025/05/press-centre-opens/",
        "atom.xml",
        "en/rss.xml",
        "en/feed.json",
        "sitemap.xml",
        "feeds.opml",
        "manifest.webmanifest",
        "pagefind/pagefind-entry.json",
        fragment,
        year_fragment,
    ):
        status, headers, body = fetch(f"{url}/{path}")
        key = path + ("index.html" if path.endswith("/") else "")
        assert status == 200, path
        assert body == (out / key).read_bytes(), path
        assert (path, headers["content-type"], headers["cache-control"]) == (
            path,
            content_type(key),
            cache_control(key),
        )
        assert_secure(headers)


def test_nginx_answers_missing_pages_with_the_404_page_of_their_language(nginx_site):
    url, out = nginx_site
    for path, page in (("/khong-co/", "404.html"), ("/en/xyz", "en/404.html"), ("/2025/05/x.xml", "404.html")):
        status, headers, body = fetch(url + path)
        assert (path, status) == (path, 404)
        assert body == (out / page).read_bytes(), path
        assert headers["content-type"] == "text/html; charset=utf-8"
        assert_secure(headers)
    assert b'lang="en"' in (out / "en/404.html").read_bytes() and not filecmp.cmp(out / "404.html", out / "en/404.html")


def test_nginx_redirects_former_addresses_and_folders_without_a_slash(nginx_site):
    url, _ = nginx_site
    status, headers, _ = fetch(f"{url}/en/2025/05/press-centre/")
    assert (status, headers["location"]) == (301, "/en/2025/05/press-centre-opens/")
    assert_secure(headers)
    status, headers, _ = fetch(f"{url}/en/2025/05/press-centre-opens")
    assert (status, headers["location"]) == (301, "/en/2025/05/press-centre-opens/")


def test_nginx_compresses_text_when_asked(nginx_site):
    url, out = nginx_site
    for path, key in (("/2025/05/khai-truong-trung-tam-bao-chi/", "2025/05/khai-truong-trung-tam-bao-chi/index.html"),
                      ("/atom.xml", "atom.xml"), ("/feed.json", "feed.json")):  # fmt: skip
        status, headers, body = fetch(url + path, **{"Accept-Encoding": "gzip"})
        assert (status, headers.get("content-encoding")) == (200, "gzip"), path
        assert "Accept-Encoding" in headers["vary"]
        assert gzip.decompress(body) == (out / key).read_bytes()
        assert_secure(headers)
    status, headers, _ = fetch(f"{url}/atom.xml")
    assert "content-encoding" not in headers


def test_nginx_compresses_with_brotli_where_the_module_is_installed(nginx_site):
    need(BROTLI_MODULE.exists(), "nginx's Brotli module (apt-get install libnginx-mod-http-brotli-filter)")
    url, _ = nginx_site
    status, headers, _ = fetch(f"{url}/atom.xml", **{"Accept-Encoding": "br, gzip"})
    assert (status, headers.get("content-encoding")) == (200, "br")


# --- rsync over SSH: OpenSSH's sshd on 127.0.0.1 ----------------------------------------------


@pytest.fixture
def ssh_server(tmp_path) -> Iterator[dict[str, str]]:
    """sshd on a free loopback port that lets this user in with a key made for the test."""
    need(
        Path(SSHD).exists() and bool(shutil.which("ssh-keygen")) and bool(shutil.which("rsync")),
        "rsync and OpenSSH's server (apt-get install rsync openssh-server)",
    )
    keys = tmp_path / "ssh"
    keys.mkdir()
    for name in ("host_key", "id"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(keys / name)], check=True, timeout=30)
    shutil.copy(keys / "id.pub", keys / "authorized_keys")
    port = free_port()
    (keys / "sshd_config").write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {keys / 'host_key'}\nPidFile {keys / 'sshd.pid'}\n"
        f"AuthorizedKeysFile {keys / 'authorized_keys'}\nStrictModes no\nUsePAM no\nPasswordAuthentication no\n"
        "KbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\nLogLevel ERROR\n"
    )
    if os.geteuid() == 0:
        os.makedirs("/run/sshd", mode=0o755, exist_ok=True)  # privilege separation; Debian's service makes it
    process = start([SSHD, "-D", "-e", "-f", str(keys / "sshd_config")], tmp_path / "sshd.log", port)
    options = f"-i {keys / 'id'} -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=no "
    options += "-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR"
    yield {"SSH_HOST": "127.0.0.1", "SSH_PORT": str(port), "SSH_USER": getpass.getuser(), "SSH_OPTS": options}
    stop(process)


def transferred(result: subprocess.CompletedProcess, site: Path) -> set[str]:
    """The files rsync -v names (progress lines and directories left out)."""
    names = {line.split("\r")[0].strip() for line in result.stdout.splitlines()}
    return {name for name in names if (site / name).is_file()}


def test_rsync_upload_copies_the_site_and_then_only_what_changed(tmp_path, ssh_server):
    write_tree(tmp_path / "content", content())
    out, target = tmp_path / "output", tmp_path / "www"
    publish(tmp_path / "content", out, "https://press.example.org")
    settings = [f"{name}={value}" for name, value in ssh_server.items()]

    def upload() -> subprocess.CompletedProcess:
        result = make("rsync_upload", f"OUTPUTDIR={out}", f"SSH_TARGET_DIR={target}", *settings)
        assert result.returncode == 0, result.stdout + result.stderr
        return result

    first = upload()
    assert md5s(target) == md5s(out) and transferred(first, out) == set(md5s(out))
    (target / "stale.html").write_text("gone after the next upload")
    changed = edit_and_republish(tmp_path, out, "Nội dung đã sửa.")
    second = upload()
    assert transferred(second, out) == changed
    assert "deleting stale.html" in second.stdout
    assert md5s(target) == md5s(out)


def test_an_alias_that_is_not_a_plain_path_never_reaches_the_redirect_rules():
    """The content check refuses it; the map's writer does too, whatever let it through (a tab once added rules
    of its own to the nginx map: every address redirected off the site)."""
    with pytest.raises(ValueError, match="is not a plain path"):
        redirect_map([("/x\t//evil.example;\t~^/\t//evil.example;\t#", "/2025/05/a/")])
    assert redirect_map([("/tin-tuc/123.html", "/2025/05/a/"), ("/cu/index.html", "/2025/05/b/")]) == [
        ("/cu/", "/2025/05/b/"),
        ("/tin-tuc/123.html", "/2025/05/a/"),
    ]
