"""The site's security headers, written once and rendered for every place that needs
them: a ``<meta>`` tag in each page, ``_headers`` for static hosts, an nginx snippet."""

from __future__ import annotations

from collections.abc import Iterable

from plugins.sanitise import DEFAULT_IFRAME_HOSTS


def content_security_policy(iframe_hosts: Iterable[str] = DEFAULT_IFRAME_HOSTS, meta: bool = False) -> str:
    """No inline scripts, no third-party origins; video frames only from allowlisted hosts.

    ``frame-ancestors`` is ignored in a ``<meta>`` tag, so the meta version leaves it out.
    """
    frames = " ".join(f"https://{host}" for host in sorted(iframe_hosts)) or "'none'"
    directives = [
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'",  # wasm: the search index (Pagefind)
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "media-src 'self'",
        f"frame-src {frames}",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
    if not meta:
        directives.append("frame-ancestors 'none'")
    return "; ".join(directives)


def headers(iframe_hosts: Iterable[str] = DEFAULT_IFRAME_HOSTS) -> list[tuple[str, str]]:
    return [
        ("Content-Security-Policy", content_security_policy(iframe_hosts)),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    ]


def render_headers_file(iframe_hosts: Iterable[str] = DEFAULT_IFRAME_HOSTS) -> str:
    """``_headers``, read by Netlify, Cloudflare Pages and similar static hosts."""
    return "/*\n" + "".join(f"  {name}: {value}\n" for name, value in headers(iframe_hosts))


def render_nginx(iframe_hosts: Iterable[str] = DEFAULT_IFRAME_HOSTS) -> str:
    """``add_header`` lines for an nginx ``server`` or ``location`` block."""
    lines = "".join(f'add_header {name} "{value}" always;\n' for name, value in headers(iframe_hosts))
    return "# Generated from plugins/security_headers/policy.py (make headers). Do not edit by hand.\n" + lines
