"""Chinese names: normalisation and toneless pinyin, shared by registration, import, dedup and linkage.

- `normalize_name`: NFKC (full-width to half-width), inner spaces and the middle dot variants removed,
  traditional characters to simplified (OpenCC t2s). `normalize_names` does the same for many values at once
  (one NFKC and one OpenCC call over the values joined by newlines; the same results).
- `name_pinyin`: toneless pinyin of the whole name, syllables joined without separators ("zhangwei"); the
  surname is read with its surname reading (单 -> shan, 曾 -> zeng, 区 -> ou). pypinyin has no surname mode,
  so the polyphonic surnames are listed below (readings from the 百家姓 and 《现代汉语词典》).
- `surname_pinyin_variants`: every reading of the first character (heteronyms), for blocking that must not
  miss a record whose surname was romanised with another reading.
"""

import re
import unicodedata
from collections.abc import Sequence
from functools import cache

import opencc
from pypinyin import Style, lazy_pinyin, pinyin

_SPACES = re.compile(r"[\s\u3000]+")
_DOTS = str.maketrans({"·": "·", "•": "·", "．": "·", "・": "·"})


# Surnames whose reading as a surname differs from pypinyin's default reading of the character.
SURNAME_READINGS = {
    "单": "shan", "曾": "zeng", "区": "ou", "仇": "qiu", "解": "xie", "查": "zha", "朴": "piao", "覃": "qin",
    "翟": "zhai", "缪": "miao", "乐": "yue", "盖": "ge", "种": "chong", "召": "shao", "员": "yun", "秘": "bi",
    "繁": "po", "折": "she", "句": "gou", "都": "du", "藏": "zang", "牟": "mou", "柏": "bai", "薄": "bo",
    "贲": "ben", "隗": "wei", "郇": "xun", "乜": "nie", "莘": "shen", "能": "nai", "尉": "yu", "长": "zhang",
    "重": "chong", "蔚": "yu", "宓": "mi", "阚": "kan", "臧": "zang", "沈": "shen", "石": "shi", "洗": "xian",
    "冼": "xian", "黑": "he", "参": "can", "褚": "chu", "令狐": "linghu", "尉迟": "yuchi", "万俟": "moqi",
    "长孙": "zhangsun", "澹台": "tantai", "单于": "chanyu",
}  # fmt: skip


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def normalize_name(raw: object) -> str:
    text = unicodedata.normalize("NFKC", str(raw or ""))
    text = _SPACES.sub("", text).translate(_DOTS).strip()
    return _t2s().convert(text) if text else ""


_SPACES_BUT_NEWLINE = re.compile(r"[^\S\n]+")  # \s without \n: the separator of `normalize_names`


def normalize_names(values: Sequence[object]) -> list[str]:
    """`[normalize_name(v) for v in values]`, with one NFKC, regex and OpenCC call over all the values.

    The values are joined by newlines: a newline is a starter that NFKC never composes with, no OpenCC
    dictionary entry contains one, and it is removed from a single name anyway. When a value contains a
    newline itself (or a step changed the number of lines), the values go one by one.
    """
    texts = [str(v or "") for v in values]
    if not texts:
        return []
    joined = "\n".join(texts)
    lines = len(texts) - 1
    if joined.count("\n") != lines:
        return [normalize_name(v) for v in values]
    text = unicodedata.normalize("NFKC", joined)
    text = _SPACES_BUT_NEWLINE.sub("", text).translate(_DOTS)
    if text.count("\n") != lines:
        return [normalize_name(v) for v in values]
    stripped = "\n".join(part.strip() for part in text.split("\n"))
    converted = _t2s().convert(stripped)
    if converted.count("\n") != lines:
        return [normalize_name(v) for v in values]
    return converted.split("\n")


def name_pinyin(name: str) -> str:
    """Toneless pinyin, surname-aware: '单雄信' -> 'shanxiongxin'."""
    if not name:
        return ""
    for length in (2, 1):
        reading = SURNAME_READINGS.get(name[:length])
        if reading is not None:
            return reading + "".join(lazy_pinyin(name[length:], errors="ignore")).lower()
    return "".join(lazy_pinyin(name, errors="ignore")).lower()


def surname_pinyin_variants(name: str) -> list[str]:
    """All readings of the first character ('曾' -> ['zeng', 'ceng'])."""
    if not name:
        return []
    readings = pinyin(name[0], style=Style.NORMAL, heteronym=True, errors="ignore")
    variants = {r.lower() for r in readings[0]} if readings else set()
    if name[0] in SURNAME_READINGS:
        variants.add(SURNAME_READINGS[name[0]])
    return sorted(variants)


def given_pinyin(name: str) -> str:
    return "".join(lazy_pinyin(name[1:], errors="ignore")).lower()
