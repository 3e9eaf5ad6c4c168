"""The content check finds every link, image and raw HTML fragment of a body, at its line.

A body with neither "[" nor "<" is not parsed at all (most releases are plain text),
so these cases hold that every kind of reference still has one of the two.
"""

from __future__ import annotations

import pytest

from plugins.content_check.body import references

CASES = {
    "inline link": ("Xem [kế hoạch](https://hanoi.gov.vn/ke-hoach).", ("link", "https://hanoi.gov.vn/ke-hoach")),
    "reference link": ("Xem [kế hoạch][1].\n\n[1]: {static}/files/kh.pdf", ("link", "{static}/files/kh.pdf")),
    "image": ("![Mặt tiền tòa nhà]({static}/images/toa-nha.jpg)", ("image", "{static}/images/toa-nha.jpg")),
    "autolink": ("Liên hệ <mailto:baochi@hanoi.gov.vn>.", ("link", "mailto:baochi@hanoi.gov.vn")),
    "raw HTML block": ("<div>Hộp</div>", ("html", "<div>Hộp</div>")),
    "inline HTML": ("Chữ <b>đậm</b>.", ("html", "<b>")),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_kind_of_reference_is_found_at_its_line(case):
    body, (kind, target) = CASES[case]
    found = list(references("Đoạn đầu.\n\n" + body, first_line=7))
    assert (found[0].kind, found[0].target, found[0].line) == (kind, target, 9)


def test_plain_text_has_no_references():
    body = "Đoạn một có dấu (ngoặc) và *nhấn mạnh*.\n\n## Tiêu đề\n\n| Cột | Cột |\n|---|---|\n| a | b |\n"
    assert list(references(body, first_line=1)) == []
