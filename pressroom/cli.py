"""``python -m pressroom``: build, check, serve and develop the portal."""

from __future__ import annotations

import argparse
import contextlib
import functools
import logging
import os
import sys
import threading
from typing import TYPE_CHECKING

from pressroom.build import build, load_settings
from pressroom.config import SettingsError
from pressroom.diagnostics import ContentError
from pressroom.stopping import exit_code

if TYPE_CHECKING:
    import http.server


def _settings(args: argparse.Namespace) -> dict:
    overrides = {}
    if args.content:
        overrides["PATH"] = os.path.abspath(args.content)
    if args.output:
        overrides["OUTPUT_PATH"] = os.path.abspath(args.output)
    return load_settings(args.settings, overrides)


def cmd_build(args: argparse.Namespace) -> int:
    return build(_settings(args))


def cmd_check(args: argparse.Namespace) -> int:
    from plugins.content_check.content_check import check_tree

    problems = check_tree(_settings(args))
    for problem in problems:
        print(problem, file=sys.stderr)
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)
    return 1 if errors else 0


def cmd_new(args: argparse.Namespace) -> int:
    from plugins.content_check.content_check import scan_tree
    from pressroom.config import site_config
    from pressroom.scaffold import ScaffoldError, new_release

    settings = _settings(args)
    scan = scan_tree(settings)
    try:
        paths = new_release(
            settings["PATH"],
            site_config(settings),
            scan.registry.slugs,
            args.title,
            args.agency,
            lang=args.lang,
            date=args.date,
            tags=args.tags,
            translation=args.translation,
            timezone=settings.get("TIMEZONE") or "Asia/Ho_Chi_Minh",
            slug_substitutions=settings.get("SLUG_REGEX_SUBSTITUTIONS", ()),
        )
    except ScaffoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for path in paths:
        print(f"created {path}")
    print("The release is a draft: write it, then delete the line 'Status: draft' to publish it.")
    return 0


def cmd_schedule(args: argparse.Namespace) -> int:
    from plugins.content_check.content_check import scan_tree
    from pressroom.clock import local_now
    from pressroom.reports import schedule

    settings = _settings(args)
    now = local_now(settings.get("TIMEZONE"))
    print("\n".join(schedule(scan_tree(settings), now)))
    return 0


def cmd_translations(args: argparse.Namespace) -> int:
    from plugins.content_check.content_check import scan_tree
    from pressroom.config import site_config
    from pressroom.reports import translations

    settings = _settings(args)
    print("\n".join(translations(scan_tree(settings), site_config(settings))))
    return 0


def cmd_codeowners(args: argparse.Namespace) -> int:
    from plugins.content_check.content_check import scan_tree
    from pressroom.codeowners import render

    settings = _settings(args)
    text = render(scan_tree(settings), settings["PATH"], os.getcwd(), list(settings.get("CODEOWNERS_DEFAULT", [])))
    os.makedirs(os.path.dirname(args.file) or ".", exist_ok=True)
    with open(args.file, "w", encoding="utf-8") as handle:
        handle.write(text)
    print(f"wrote {args.file}")
    return 0


def cmd_redirects(args: argparse.Namespace) -> int:
    from plugins.content_check.content_check import scan_tree
    from plugins.redirects.aliases import redirect_map, render_nginx_map
    from pressroom.clock import local_now

    settings = _settings(args)
    now = local_now(settings.get("TIMEZONE"))
    public = [
        e
        for e in scan_tree(settings).entries
        if e.kind == "release" and e.status == "published" and e.date and e.date <= now and e.save_as
    ]
    pairs = redirect_map((alias, e.save_as.removesuffix("index.html")) for e in public for alias in e.aliases)
    os.makedirs(os.path.dirname(args.file) or ".", exist_ok=True)
    with open(args.file, "w", encoding="utf-8") as handle:
        handle.write(render_nginx_map(pairs))
    print(f"wrote {args.file} ({len(pairs)} redirect(s))")
    return 0


def cmd_headers(args: argparse.Namespace) -> int:
    from plugins.sanitise import DEFAULT_IFRAME_HOSTS
    from plugins.security_headers.policy import render_headers_file, render_nginx

    settings = _settings(args)
    hosts = settings.get("SANITISE_IFRAME_HOSTS", DEFAULT_IFRAME_HOSTS)
    os.makedirs(args.dir, exist_ok=True)
    for name, text in (("_headers", render_headers_file(hosts)), ("security-headers.conf", render_nginx(hosts))):
        with open(os.path.join(args.dir, name), "w", encoding="utf-8") as handle:
            handle.write(text)
        print(f"wrote {os.path.join(args.dir, name)}")
    return 0


def _serve(directory: str, port: int) -> http.server.ThreadingHTTPServer:
    import http.server  # here: only the preview server needs it, and every build would import it

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=directory)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    print(f"Serving {directory} on http://127.0.0.1:{port}/ (Ctrl-C stops)", file=sys.stderr)
    return server


def cmd_serve(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if not os.path.isfile(os.path.join(settings["OUTPUT_PATH"], "index.html")):
        raise SettingsError(f"{settings['OUTPUT_PATH']} holds no built site: build it first (make html)")
    with _serve(settings["OUTPUT_PATH"], args.port) as server, contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


def cmd_devserver(args: argparse.Namespace) -> int:
    from watchfiles import watch

    settings = _settings(args)
    build(settings)
    server = _serve(settings["OUTPUT_PATH"], args.port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    watched = [settings["PATH"], settings["THEME"], "plugins", "pressroom", args.settings]
    try:
        for changes in watch(*[p for p in watched if os.path.exists(p)]):
            print(f"{len(changes)} change(s): rebuilding", file=sys.stderr)
            build(_settings(args))
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return 0


class _Formatter(logging.Formatter):
    """Content diagnostics print as they are (``file:line: warning: ...``); the rest with a level."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.name.startswith("plugins.content_check"):
            return message
        return f"{record.levelname}: {message}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pressroom", description=__doc__)
    parser.add_argument("-s", "--settings", default="pelicanconf.py", help="settings file")
    parser.add_argument("-i", "--content", help="content directory (default: PATH in settings)")
    parser.add_argument("-o", "--output", help="output directory (default: OUTPUT_PATH in settings)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every file written")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("build", help="build the site").set_defaults(run=cmd_build)
    commands.add_parser("check", help="check the content without building").set_defaults(run=cmd_check)
    new = commands.add_parser("new", help="scaffold a release (a draft) and optionally its translation stub")
    new.add_argument("--agency", required=True, help="agency slug(s), comma-separated")
    new.add_argument("--title", required=True)
    new.add_argument("--lang", default="", help="language of the release (default: the site's default)")
    new.add_argument("--date", default="", help="YYYY-MM-DD HH:MM, Hanoi time (default: now)")
    new.add_argument("--tags", default="")
    new.add_argument("--translation", action="store_true", help="also create the other language's stub")
    new.set_defaults(run=cmd_new)
    commands.add_parser("schedule", help="list releases under embargo").set_defaults(run=cmd_schedule)
    commands.add_parser("translations", help="report releases missing a language").set_defaults(run=cmd_translations)
    owners = commands.add_parser("codeowners", help="write CODEOWNERS from the agency registry")
    owners.add_argument("--file", default=".github/CODEOWNERS")
    owners.set_defaults(run=cmd_codeowners)
    redirects = commands.add_parser("redirects", help="write the nginx map of former URLs (Aliases)")
    redirects.add_argument("--file", default="deploy/redirects")
    redirects.set_defaults(run=cmd_redirects)
    headers = commands.add_parser("headers", help="write the security headers for hosts and nginx")
    headers.add_argument("--dir", default="deploy")
    headers.set_defaults(run=cmd_headers)
    serving = {
        "serve": (cmd_serve, "serve the built site on 127.0.0.1"),
        "devserver": (cmd_devserver, "build, serve on 127.0.0.1, and build again on every change"),
    }
    for name, (run, text) in serving.items():
        sub = commands.add_parser(name, help=text)
        sub.add_argument("-p", "--port", type=int, default=8000)
        sub.set_defaults(run=run)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        return args.run(args)
    except ContentError as problems:  # raised outside a build, e.g. by a bad registry
        print(problems.report(), file=sys.stderr)
        return 1
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as stop:  # Ctrl-C, SIGTERM or SIGHUP: a build said what it left as it was
        return exit_code(stop)
