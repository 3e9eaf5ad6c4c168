"""Fill in ``deploy/nginx.conf`` for one server: where the site is, which address, which host name.

The template's placeholders are ``${PRESSROOM_...}``, so ``envsubst`` given exactly those
names does the same job; this adds checks (an absolute root, the deploy files present,
no value that could end an nginx directive) and the optional Brotli lines.

``python -m pressroom.deploy.nginx --root DIR --listen 80 --server-name HOST --out FILE``
(``make nginx_conf``).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
TEMPLATE = ROOT / "deploy" / "nginx.conf"
PLACEHOLDER = re.compile(r"\$\{(PRESSROOM_[A-Z_]+)\}")
BROTLI_PREFIX = "#brotli "  # lines written only with --brotli (the module must be loaded)
SAFE_WORD = re.compile(r"^[\w./:*\[\]-]+$")  # nothing that ends a directive, opens a block or is a $variable
SEVERAL_WORDS = {"PRESSROOM_LISTEN", "PRESSROOM_SERVER_NAME"}  # "80 default_server", "example.org www.example.org"


class ConfigError(ValueError):
    """A value the configuration cannot take; the message says what to give instead."""


def render(template: str, values: Mapping[str, str], brotli: bool = False) -> str:
    """The template with every ``${PRESSROOM_...}`` replaced; unknown names are an error."""
    missing = sorted(set(PLACEHOLDER.findall(template)) - set(values))
    if missing:
        raise ConfigError(f"no value for {', '.join(missing)}")
    for name, value in values.items():
        words = value.split(" ") if name in SEVERAL_WORDS else [value]
        if not all(SAFE_WORD.match(word) for word in words):
            raise ConfigError(f"{name}={value!r}: use only letters, digits and . / : - _ * [ ]")
    lines = []
    for line in template.splitlines(keepends=True):
        stripped = line.lstrip()
        if stripped.startswith(BROTLI_PREFIX):
            if not brotli:
                continue
            line = line[: len(line) - len(stripped)] + stripped[len(BROTLI_PREFIX) :]
        lines.append(line)
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], "".join(lines))


def values_for(root: Path, listen: str, server_name: str, deploy: Path) -> dict[str, str]:
    """Checked placeholder values: nginx needs absolute paths, and the included files must exist."""
    if not server_name:
        raise ConfigError("no server name: give the site's host name, e.g. NGINX_SERVER_NAME=baochi.hanoi.gov.vn")
    if not root.is_absolute() or not (root / "index.html").is_file():
        raise ConfigError(f"{root} is not an absolute path to a built site (make publish SITEURL=https://...)")
    for name in ("security-headers.conf", "redirects"):
        if not (deploy / name).is_file():
            raise ConfigError(f"{deploy / name} is missing (make headers / make redirects write it)")
    return {
        "PRESSROOM_ROOT": str(root),
        "PRESSROOM_LISTEN": listen,
        "PRESSROOM_SERVER_NAME": server_name,
        "PRESSROOM_DEPLOY": str(deploy.resolve()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pressroom.deploy.nginx", description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, required=True, help="the built site, an absolute path")
    parser.add_argument("--listen", default="80", help="port or address:port (default 80)")
    parser.add_argument("--server-name", default="", help="the site's host name(s), space-free")
    parser.add_argument("--deploy", type=Path, default=ROOT / "deploy", help="folder with redirects, headers")
    parser.add_argument("--brotli", action="store_true", help="also compress with Brotli (module must be loaded)")
    parser.add_argument("--template", type=Path, default=TEMPLATE)
    parser.add_argument("--out", type=Path, required=True, help="where to write, e.g. /etc/nginx/conf.d/x.conf")
    args = parser.parse_args(argv)
    try:
        values = values_for(args.root, args.listen, args.server_name, args.deploy)
        text = render(args.template.read_text(encoding="utf-8"), values, brotli=args.brotli)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not args.out.parent.is_dir():
        print(f"error: {args.out.parent}/ does not exist (is nginx installed? give NGINX_CONF=...)", file=sys.stderr)
        return 2
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}: check it with `nginx -t`, then `nginx -s reload`")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
