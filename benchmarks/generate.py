"""A deterministic synthetic archive of N releases that follows the content format.

Realistic in the ways that cost build time: Vietnamese text with accents, 40
agencies, 200 tags per language, tables, photos, joint releases, 85% translated.
The same N and seed always give the same files.
"""

from __future__ import annotations

import argparse
import difflib
import random
from datetime import datetime, timedelta
from pathlib import Path

from pelican.utils import slugify

KINDS = ("committee", "department", "district", "ward", "centre", "other")
VI_TEXT = (
    "thành phố Hà Nội triển khai kế hoạch nâng cao chất lượng dịch vụ công trực tuyến cho người dân doanh nghiệp "
    "sở y tế phối hợp các quận huyện kiểm tra an toàn thực phẩm đường sắt đô thị Nhổn Ga Hà Nội tiến độ thi công "
    "giao thông công cộng xe buýt điện môi trường không khí mùa đông lễ hội văn hóa di sản Hoàn Kiếm Ba Đình "
    "Đống Đa học sinh tuyển sinh năm học mới chuyển đổi số báo chí phóng viên trong nước quốc tế đối thoại"
)
EN_TEXT = (
    "the city of Hanoi launches a plan to improve online public services for residents and businesses department "
    "of health works with districts to inspect food safety metro line construction progress public transport "
    "electric buses winter air quality culture festival heritage students enrolment new school year digital "
    "transformation press journalists domestic international dialogue"
)
VI_WORDS = tuple(VI_TEXT.split())
EN_WORDS = tuple(EN_TEXT.split())
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


def sentence(rng: random.Random, words: tuple[str, ...], length: int) -> str:
    text = " ".join(rng.choice(words) for _ in range(length))
    return text[:1].upper() + text[1:] + "."


def paragraph(rng: random.Random, words: tuple[str, ...]) -> str:
    return " ".join(sentence(rng, words, rng.randint(8, 20)) for _ in range(rng.randint(3, 6)))


def table(rng: random.Random, header: tuple[str, str, str]) -> str:
    rows = [f"| {header[0]} | {header[1]} | {header[2]} |", "|---|---|---|"]
    for index in range(rng.randint(3, 6)):
        rows.append(f"| {index + 1} | {rng.randint(10, 9999)} | {rng.randint(1, 100)}% |")
    return "\n".join(rows)


def registry(count: int = 40) -> str:
    lines = []
    for index in range(count):
        lines += [
            f"- slug: co-quan-{index:02d}",
            f"  kind: {KINDS[index % len(KINDS)]}",
            f"  name: {{vi: Cơ quan số {index} của thành phố, en: City agency number {index}}}",
            f"  email: coquan{index}@hanoi.gov.vn",
            f'  phone: "+84 24 3825 {index:04d}"',
        ]
    return "\n".join(lines) + "\n"


def release(rng: random.Random, lang: str, date: datetime, agencies: list[str], tags: list[str], image: str) -> str:
    words = VI_WORDS if lang == "vi" else EN_WORDS
    title = sentence(rng, words, rng.randint(6, 12)).rstrip(".")
    header = [
        f"Title: {title}",
        f"Date: {date:%Y-%m-%d %H:%M}",
        f"Agency: {', '.join(agencies)}",
        f"Tags: {', '.join(tags)}",
    ]
    if rng.random() < 0.5:
        header.append(f"Summary: {sentence(rng, words, 18)}")
    body = [paragraph(rng, words) for _ in range(rng.randint(3, 7))]
    body.insert(1, "## " + sentence(rng, words, 4).rstrip("."))
    if rng.random() < 0.3:
        body.insert(2, table(rng, ("STT", "Số lượng", "Tỷ lệ") if lang == "vi" else ("No.", "Count", "Share")))
    if image:
        alt = "Ảnh minh họa" if lang == "vi" else "Illustration"
        body.insert(1, f'![{alt}]({{static}}/images/{image} "{alt}. Ảnh: Pressroom")')
    return "\n".join(header) + "\n\n" + "\n\n".join(body) + "\n"


def topics(rng: random.Random, words: tuple[str, ...], count: int = 200) -> list[str]:
    """``count`` distinct two-word topics, as staff name them (not numbered near-twins)."""
    vocabulary = sorted({word.strip(".,;:").casefold() for word in words if len(word.strip(".,;:")) > 2})
    found: dict[str, str] = {}  # slug -> topic
    while len(found) < count:
        topic = f"{rng.choice(vocabulary)} {rng.choice(vocabulary)}".capitalize()
        slug = slugify(topic)
        if slug not in found and not difflib.get_close_matches(slug, found, n=1, cutoff=0.8):
            found[slug] = topic
    return sorted(found.values())


def generate(root: Path, count: int, seed: int = 2025) -> Path:
    """Write ``count`` releases (most in both languages) under ``root``; return it."""
    rng = random.Random(seed)
    (root / "releases").mkdir(parents=True, exist_ok=True)
    (root / "pages").mkdir(exist_ok=True)
    (root / "images").mkdir(exist_ok=True)
    (root / "agencies.yml").write_text(registry(), encoding="utf-8")
    slugs = [f"co-quan-{i:02d}" for i in range(40)]
    vi_tags = topics(rng, VI_WORDS)
    en_tags = topics(rng, EN_WORDS)
    for index in range(20):
        (root / "images" / f"anh-{index:02d}.png").write_bytes(PNG)
    start = datetime(2015, 1, 1, 8, 0)
    step = timedelta(minutes=max(1, int(10 * 365 * 24 * 60 / max(count, 1))))
    for index in range(count):
        date = start + step * index
        agencies = rng.sample(slugs, 2 if rng.random() < 0.1 else 1)
        tag_ids = rng.sample(range(200), rng.randint(1, 4))
        image = f"anh-{rng.randrange(20):02d}.png" if rng.random() < 0.3 else ""
        folder = root / "releases" / f"{date:%Y}"
        folder.mkdir(exist_ok=True)
        name = f"thong-cao-{index:06d}"
        translated = rng.random() < 0.85
        only_english = not translated and rng.random() < 0.2
        if not only_english:
            text = release(rng, "vi", date, agencies, [vi_tags[t] for t in tag_ids], image)
            (folder / f"{name}.vi.md").write_text(text, encoding="utf-8")
        if translated or only_english:
            text = release(rng, "en", date, agencies, [en_tags[t] for t in tag_ids], image)
            (folder / f"{name}.en.md").write_text(text, encoding="utf-8")
    (root / "pages" / "gioi-thieu.vi.md").write_text("Title: Giới thiệu\nSlug: gioi-thieu\n\nTrung tâm.\n")
    (root / "pages" / "gioi-thieu.en.md").write_text("Title: About\nSlug: about\n\nThe centre.\n")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int)
    parser.add_argument("target", type=Path)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    generate(args.target, args.count, args.seed)


if __name__ == "__main__":
    main()
