"""Production settings: absolute URLs from the SITEURL environment variable.

There is no default address: a site published for the wrong host has canonical links,
feeds and sitemaps that send readers and search engines elsewhere, so a build without
SITEURL stops and says what to give (the publish workflow always gives it).
"""

import os
import sys
from urllib.parse import urlsplit

sys.path.append(os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *
from pressroom.config import SettingsError

SITEURL = os.environ.get("SITEURL", "").strip().rstrip("/")
_address = urlsplit(SITEURL)
if _address.scheme not in ("https", "http") or not _address.netloc or _address.query or _address.fragment:
    raise SettingsError(
        f"publishing needs the site's public address, got SITEURL={SITEURL!r}: "
        "make publish SITEURL=https://baochi.hanoi.gov.vn"
    )
RELATIVE_URLS = False
FEED_DOMAIN = SITEURL  # feeds and sitemaps: absolute URLs on the public address
