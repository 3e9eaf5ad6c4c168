"""Preview for staff: drafts and embargoed releases shown, clearly marked. Never deploy it."""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *

PRESSROOM_PREVIEW = True
OUTPUT_PATH = "preview"

# Drafts get the addresses they will have when published.
DRAFT_URL, DRAFT_SAVE_AS = ARTICLE_URL, ARTICLE_SAVE_AS  # noqa: F405
DRAFT_LANG_URL, DRAFT_LANG_SAVE_AS = ARTICLE_LANG_URL, ARTICLE_LANG_SAVE_AS  # noqa: F405
DRAFT_PAGE_URL, DRAFT_PAGE_SAVE_AS = PAGE_URL, PAGE_SAVE_AS  # noqa: F405
DRAFT_PAGE_LANG_URL, DRAFT_PAGE_LANG_SAVE_AS = PAGE_LANG_URL, PAGE_LANG_SAVE_AS  # noqa: F405
