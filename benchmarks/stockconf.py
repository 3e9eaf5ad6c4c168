"""Stock Pelican, its own default features, on the benchmark content: the baseline.

Only what stock Pelican needs to read our layout: where articles and pages are, the
time zone, and no reST reader (docutils warns on 'vi'). Everything else is Pelican's
default: its theme, tag, category, author and archive pages, and its default feeds.
"""

SITENAME = "Stock Pelican"
SITEURL = "http://127.0.0.1:8000"
PATH = "content"
TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"
ARTICLE_PATHS = ["releases"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images"]
READERS = {"rst": None}
PLUGINS: list[str] = []
FEED_DOMAIN = SITEURL
