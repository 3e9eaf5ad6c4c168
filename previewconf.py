"""Preview for staff: drafts and embargoed releases shown, clearly marked. Never deploy it."""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *

PRESSROOM_PREVIEW = True
OUTPUT_PATH = "preview"
