"""The release reader's own ways of reading header fields give what Pelican's would."""

from __future__ import annotations

import pytest
from pelican.readers import METADATA_PROCESSORS

from conftest import ROOT
from plugins.release_markdown.reader import ReleaseMarkdownReader
from pressroom.build import load_settings


@pytest.mark.parametrize("name", ["date", "modified"])
def test_dates_are_read_as_pelicans_parser_reads_them(tmp_path, name):
    settings = load_settings(str(ROOT / "pelicanconf.py"), {"PATH": str(tmp_path), "CACHE_CONTENT": False})
    reader = ReleaseMarkdownReader(settings)
    written = ["2025-03-14 09:30", "2025-03-14", "2025-03-14 09:30:15", "2025-12-31 23:59", "14/03/2025 09:30"]
    written += ["March 14, 2025", "2025-03-14T09:30", "2025-03-14 09:30+07:00"]
    for text in written:
        ours, pelicans = reader.process_metadata(name, text), METADATA_PROCESSORS[name](text, settings)
        assert (ours, type(ours), ours.tzinfo) == (pelicans, type(pelicans), pelicans.tzinfo), text
    for wrong in ["2025-02-30 09:00", "2025-03-14 24:00"]:
        with pytest.raises(ValueError) as ours:
            reader.process_metadata(name, wrong)
        with pytest.raises(ValueError) as pelicans:
            METADATA_PROCESSORS[name](wrong, settings)
        assert str(ours.value) == str(pelicans.value)
