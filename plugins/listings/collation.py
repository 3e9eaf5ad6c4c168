"""Alphabetical order as a Vietnamese dictionary has it, for topic and agency lists.

Vietnamese has letters of its own, each after its base letter: a ă â b c d đ e ê g h i
k l m n o ô ơ p q r s t u ư v x y ("Du lịch" before "Đô thị"). Tone marks come second:
words that differ only in tones are ordered ngang, huyền, hỏi, ngã, sắc, nặng. No
maintained Python library ships this tailoring without a C build (ICU's collation);
this is the whole of it, for text in Latin letters (English names sort as usual).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

#: Marks that make a letter of its own, and the order of those letters after the base.
LETTER_MARKS = {"\u0306": 1, "\u0302": 2, "\u031b": 3}  # breve (ă), circumflex (â ê ô), horn (ơ ư)
#: Tone marks, in dictionary order (no mark, the level tone, first).
TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền, hỏi, ngã, sắc, nặng


@lru_cache(maxsize=8192)
def vietnamese_key(text: str) -> tuple[tuple[tuple[int, int, int], ...], tuple[int, ...], str]:
    """A sort key: the letters (đ after d, ă and â after a, ...), then the tones, then the text itself."""
    letters: list[tuple[int, int, int]] = []
    tones: list[int] = []
    for char in unicodedata.normalize("NFD", text.casefold()):
        if char in TONES:
            if tones:
                tones[-1] = TONES[char]
        elif char in LETTER_MARKS and letters:
            group, base, _ = letters[-1]
            letters[-1] = (group, base, LETTER_MARKS[char])
        elif unicodedata.combining(char):
            continue  # other marks on Latin letters sort with their base
        elif char == "đ":
            letters.append((2, ord("d"), 1))
            tones.append(0)
        elif char.isalpha():
            letters.append((2, ord(char), 0))
            tones.append(0)
        elif char.isdigit():
            letters.append((1, ord(char), 0))
            tones.append(0)
        else:  # spaces and punctuation: before every letter, so "Y tế" comes before "Yên Bái"
            letters.append((0, 0, 0))
            tones.append(0)
    return tuple(letters), tuple(tones), text
