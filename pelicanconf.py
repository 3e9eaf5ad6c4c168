"""Settings for building the portal (development: relative URLs, no deployment).

The URL scheme below is a public interface: newspapers link to it. Extend it, never
change a published pattern. Listing URLs (agencies, tags, years) are defined with
their defaults in ``pressroom/config.py``.
"""

SITENAME = "Trung tâm Báo chí Thủ đô"
SITE_NAMES = {"vi": "Trung tâm Báo chí Thủ đô", "en": "Capital Press Centre"}
SITE_OWNERS = {"vi": "Ủy ban nhân dân thành phố Hà Nội", "en": "Hanoi People's Committee"}
SITEURL = ""
RELATIVE_URLS = True

PATH = "content"
THEME = "theme"
TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"
PRESSROOM_LANGUAGES = ("vi", "en")

# Custom behaviour lives in plugins/; name them all, or Pelican auto-loads every
# installed namespace plugin.
PLUGIN_PATHS: list[str] = []
PLUGINS = [
    "plugins.agencies",
    "plugins.content_check",
    "plugins.pairing",  # Pelican's translation pairing, group by group (linear)
    "plugins.source_paths",  # a content file's relative path, computed once
    "plugins.intrasite_links",  # Pelican's link scans skipped for text without a link
    "plugins.date_formats",  # each date formatted once per format
    "plugins.article_store",  # unchanged articles kept from the last build; before plugins that change them
    "plugins.release_markdown",
    "plugins.releases",
    "plugins.static_files",  # only photos and documents from the static folders are copied
    "plugins.listings",
    "plugins.feeds",  # after listings: feeds follow its listings
    "plugins.sitemaps",  # after listings: sitemaps read its site index
    "plugins.redirects",
    "plugins.security_headers",
    "plugins.search",
    "plugins.theme_i18n",
    "plugins.shared_partials",  # the navigation and footer rendered once per language, not per page
    "plugins.page_meta",
    "plugins.incremental",  # unchanged static files are linked from the live output
    "plugins.parallel",  # last: its barrier must run after every other plugin generator
]

# Content layout: releases/<YYYY>/<name>.<lang>.md and pages/<name>.<lang>.md. The
# translation key pairs the two language versions of one release.
ARTICLE_PATHS = ["releases"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images", "files"]
PATH_METADATA = r"(?P<translation_key>(?:releases/\d{4}|pages)/[^/.]+)\.(?P<lang>[^/.]+)\.md"
ARTICLE_TRANSLATION_ID = "translation_key"
PAGE_TRANSLATION_ID = "translation_key"
READERS = {"rst": None, "html": None, "htm": None}  # Markdown only; docutils warns on 'vi'

# URLs: every page is <path>/index.html.
ARTICLE_URL = "{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
ARTICLE_LANG_URL = "{lang}/{date:%Y}/{date:%m}/{slug}/"
ARTICLE_LANG_SAVE_AS = ARTICLE_LANG_URL + "index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = PAGE_URL + "index.html"
PAGE_LANG_URL = "{lang}/{slug}/"
PAGE_LANG_SAVE_AS = PAGE_LANG_URL + "index.html"
NAV_PAGES = ["pages/gioi-thieu", "pages/lien-he"]

# Pelican's own listings know only the default language; plugins/listings writes ours.
DIRECT_TEMPLATES: list[str] = []
TAG_SAVE_AS = TAGS_SAVE_AS = ""
CATEGORY_SAVE_AS = CATEGORIES_SAVE_AS = ""
AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = YEAR_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_SAVE_AS = DAY_ARCHIVE_SAVE_AS = ""
DRAFT_SAVE_AS = DRAFT_LANG_SAVE_AS = DRAFT_PAGE_SAVE_AS = DRAFT_PAGE_LANG_SAVE_AS = ""
USE_FOLDER_AS_CATEGORY = False
DEFAULT_CATEGORY = "releases"
DISPLAY_CATEGORIES_ON_MENU = False

DEFAULT_PAGINATION = 20
PAGINATED_TEMPLATES = {"home": 20, "agency": 20, "tag": 20, "year": 100}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

SUMMARY_MAX_LENGTH = None  # the Summary header, else the first paragraph
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
        "markdown.extensions.sane_lists": {},
    },
    "output_format": "html5",
}

# Feeds: our plugin writes Atom, RSS and JSON Feed beside every listing; Pelican's are off.
# Entry ids start with FEED_ID_PREFIX and the release's identity: never change it.
FEED_ID_PREFIX = "tag:baochi.hanoi.gov.vn,2025:"
FEED_DOMAIN = "http://127.0.0.1:8000"  # feeds need absolute URLs; `make serve` serves here
SITE_EMAIL = "baochi@hanoi.gov.vn"
FEED_ALL_ATOM = FEED_ALL_RSS = FEED_ATOM = FEED_RSS = None
CATEGORY_FEED_ATOM = CATEGORY_FEED_RSS = AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
TAG_FEED_ATOM = TAG_FEED_RSS = TRANSLATION_FEED_ATOM = TRANSLATION_FEED_RSS = None

# Reuse parsed releases between builds: the reader's output (Markdown converted and
# sanitised) is cached per file and checked by content hash, so a fresh checkout of
# the same files still hits it. pressroom/build.py keys the folder by the code that
# produces that output. PRESSROOM_CACHE_PATH (environment) moves it.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CONTENT_CACHING_LAYER = "reader"
CHECK_MODIFIED_METHOD = "md5"
CACHE_PATH = ".cache/pressroom"
GZIP_CACHE = False  # compressing the cache cost more time at 5,000 releases than reading it saved
DELETE_OUTPUT_DIRECTORY = False  # the build writes a fresh directory and swaps it in
STATIC_CHECK_IF_MODIFIED = True  # plugins/incremental links unchanged files from the live output

# Escape everything by default; templates mark the already-safe HTML body with |safe.
# Templates do not change during a build: no stat() per include (thousands per build).
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True, "auto_reload": False}

# Who reviews what (make codeowners): these owners review everything, and each
# agency's `reviewers` from agencies.yml review its releases.
CODEOWNERS_DEFAULT = ["@hanoi-press/editors"]
