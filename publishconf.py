"""Production settings: absolute URLs from the SITEURL environment variable."""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *

SITEURL = os.environ.get("SITEURL", "https://baochi.hanoi.gov.vn").rstrip("/")
RELATIVE_URLS = False
FEED_DOMAIN = SITEURL
