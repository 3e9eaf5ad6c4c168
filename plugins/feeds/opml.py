"""``/feeds.opml``: every feed, grouped by language, agency and tag, for a newsroom to
import at once. Each subject appears once (as Atom), so an import subscribes once."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from .subjects import FeedSubject


def render_opml(
    title: str,
    subjects: list[FeedSubject],
    base_url: str,
    group_names: dict[str, dict[str, str]],
    language_names: dict[str, str],
) -> bytes:
    opml = ET.Element("opml", version="2.0")
    head = ET.SubElement(opml, "head")
    ET.SubElement(head, "title").text = title
    body = ET.SubElement(opml, "body")
    for lang, language_name in language_names.items():
        language = ET.SubElement(body, "outline", text=language_name, title=language_name)
        mine = [s for s in subjects if s.lang == lang]
        mine.sort(key=lambda s: s.kind != "site")  # the language's whole feed first
        groups = {"site": language}
        for subject in mine:
            if subject.kind not in groups:
                name = group_names[lang][subject.kind]
                groups[subject.kind] = ET.SubElement(language, "outline", text=name, title=name)
            ET.SubElement(
                groups[subject.kind],
                "outline",
                type="rss",
                version="ATOM",
                text=subject.title,
                title=subject.title,
                language=lang,
                xmlUrl=f"{base_url}/{subject.path('atom')}",
                htmlUrl=f"{base_url}/{subject.listing.url}",
            )
    ET.indent(opml)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(opml, encoding="utf-8") + b"\n"
