"""Python-Markdown extension for press releases.

- A paragraph holding only an image with a title becomes a ``<figure>`` whose caption
  is the title: ``![alt](photo.jpg "Caption. Photo: Credit")`` is how staff attach a
  photo with its credit, in plain Markdown.
- Heading ids transliterate Vietnamese (``Đường sắt`` becomes ``duong-sat``); the
  ``toc`` extension's own slugify drops ``đ``.
- The first paragraph of text is kept as ``md.lead``: the release's summary when the
  header has none.
- Local images (``{static}/...``) get their ``width`` and ``height`` (so the page does
  not jump while they load) and load lazily. The sizes read are kept as
  ``md.measured_images``: a cached parse holds them, and is good only while they hold.
"""

from __future__ import annotations

import html
import os
import re
import xml.etree.ElementTree as etree  # noqa: N813 (the name Python-Markdown uses)

import imagesize
from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from unidecode import unidecode

from .headings import HeadingIdsExtension
from .inline import SkippingInlineProcessor

STASH_RE = re.compile("\x02wzxhzdk:\\d+\x03")


def heading_slug(value: str, separator: str = "-") -> str:
    """An ASCII id for a heading: transliterate, lower-case, join words with ``separator``."""
    words = re.findall(r"[a-z0-9]+", unidecode(value).lower())
    return separator.join(words)


class FigureProcessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for paragraph in root.iter("p"):
            children = list(paragraph)
            if len(children) != 1 or children[0].tag != "img":
                continue
            image = children[0]
            caption = (image.get("title") or "").strip()
            if (paragraph.text or "").strip() or (image.tail or "").strip() or not caption:
                continue
            del image.attrib["title"]
            image.tail = None
            paragraph.tag = "figure"
            figcaption = etree.SubElement(paragraph, "figcaption")
            figcaption.text = caption


def image_size(path: str) -> tuple[int, int]:
    """A local image's width and height; (0, 0) if it is missing or not an image that imagesize reads."""
    if not os.path.isfile(path):
        return 0, 0
    width, height = imagesize.get(path)
    return (width, height) if width > 0 and height > 0 else (0, 0)


def measured_images_unchanged(metadata: dict, content_root: str, sizes: dict[str, tuple[int, int]]) -> bool:
    """Whether every image a cached parse measured still has the size written into its HTML.

    ``sizes``: the images measured so far in this build, each read once (a photo is in many releases).
    """
    for relative, width, height in metadata.get("measured_images", ()):
        size = sizes.get(relative)
        if size is None:
            size = sizes[relative] = image_size(os.path.join(content_root, relative))
        if size != (width, height):
            return False
    return True


class ImageSizeProcessor(Treeprocessor):
    def __init__(self, md: Markdown, content_root: str, source_dir: str):
        super().__init__(md)
        self.content_root = content_root
        self.source_dir = source_dir

    def _file(self, src: str) -> str | None:
        match = re.match(r"^\{(?:static|attach)\}(.*)$", src)
        if not match or not self.content_root:
            return None
        path = match.group(1)
        base = self.content_root if path.startswith("/") else self.source_dir
        return os.path.join(base, path.lstrip("/"))

    def run(self, root: etree.Element) -> None:
        measured = self.md.measured_images = []
        for image in root.iter("img"):
            image.set("loading", "lazy")
            path = self._file(image.get("src", ""))
            if path and not image.get("width"):
                width, height = image_size(path)
                measured.append((os.path.relpath(path, self.content_root).replace(os.sep, "/"), width, height))
                if width and height:
                    image.set("width", str(width))
                    image.set("height", str(height))


class LeadProcessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        self.md.lead = ""
        for paragraph in root.iter("p"):
            text = STASH_RE.sub("", "".join(paragraph.itertext()))
            text = " ".join(text.split())
            if text:
                self.md.lead = html.escape(text, quote=False)
                return


class ReleaseExtension(Extension):
    def __init__(self, content_root: str = "", source_dir: str = "", **kwargs):
        super().__init__(**kwargs)
        self.content_root = content_root
        self.source_dir = source_dir

    def set_source_dir(self, source_dir: str) -> None:
        """Resolve relative image paths from ``source_dir``: one Markdown object serves many files."""
        self.source_dir = source_dir
        if self.images is not None:
            self.images.source_dir = source_dir

    images: ImageSizeProcessor | None = None

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's API name)
        md.lead = ""
        md.measured_images = []
        md.treeprocessors.register(SkippingInlineProcessor(md), "inline", 20)  # in place of Python-Markdown's
        self.images = ImageSizeProcessor(md, self.content_root, self.source_dir)
        md.treeprocessors.register(self.images, "release_images", 16)
        # After inline processing (20) so images and text are final; before prettify (10).
        md.treeprocessors.register(FigureProcessor(md), "release_figure", 15)
        md.treeprocessors.register(LeadProcessor(md), "release_lead", 14)
        HeadingIdsExtension(slugify=heading_slug).extendMarkdown(md)
