"""Clean text from people and spreadsheets: `clean_text` (full-width to half-width, no zero-width characters or
spreadsheet wrappers, collapsed whitespace) and `map_choice` (the code of a code-list value given as code,
label or a known variant). Total functions: bad input gives "" or None, never an exception. Used by the
imports (intake) and by the APIs that accept a code or its label (employment.enterprise_reports.apis)."""

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_WHITESPACE_RE = re.compile(r"\s+")

# Variants seen in exports and hand-made sheets, mapped to a label of the code lists (registry/choices.py,
# employers/choices.py). Applied only when the value is neither a code nor a label of the given list, and
# only when the target belongs to that list: "女" is a Sex label and stays one.
DEFAULT_ALIASES: dict[str, str] = {
    # 与户主关系 (besides the generic rule: "子" -> "之子" when "之子" is in the list)
    "户主本人": "户主", "本人": "户主", "妻": "配偶", "妻子": "配偶", "丈夫": "配偶", "夫": "配偶",
    "儿子": "之子", "长子": "之子", "次子": "之子", "三子": "之子", "长女": "之女", "次女": "之女",
    "三女": "之女", "女儿": "之女", "父亲": "之父", "母亲": "之母", "媳妇": "之儿媳", "儿媳妇": "之儿媳",
    "外孙": "之外孙子", "爷爷": "之祖父", "奶奶": "之祖母", "外公": "之外祖父", "外婆": "之外祖母",
    "侄子": "之侄儿", "曾孙": "之曾孙子", "兄弟": "之兄弟姐妹", "姐妹": "之兄弟姐妹", "哥哥": "之兄弟姐妹",
    "弟弟": "之兄弟姐妹", "姐姐": "之兄弟姐妹", "妹妹": "之兄弟姐妹", "兄": "之兄弟姐妹", "弟": "之兄弟姐妹",
    "姐": "之兄弟姐妹", "妹": "之兄弟姐妹", "叔叔": "之叔伯", "伯父": "之叔伯", "叔父": "之叔伯",
    # 健康状况
    "慢性病": "长期慢性病", "大病": "患有大病", "患大病": "患有大病", "重病": "患有大病", "残疾人": "残疾",
    # 劳动技能
    "弱劳动力": "弱劳动力或半劳动力", "半劳动力": "弱劳动力或半劳动力", "丧失劳动能力": "丧失劳动力",
    "无劳动能力": "无劳动力",
    # 政治面貌
    "党员": "中共党员", "中国共产党党员": "中共党员", "预备党员": "中共预备党员", "团员": "共青团员",
    "中国共产主义青年团团员": "共青团员",
    # 文化程度
    "文盲": "文盲或半文盲", "半文盲": "文盲或半文盲", "普通高中": "高中", "专科": "大专", "大学专科": "大专",
    "本科": "本科及以上", "大学本科": "本科及以上", "研究生": "本科及以上", "硕士": "本科及以上",
    "博士": "本科及以上",
    # 性别
    "男性": "男", "女性": "女",
    # 企业规模
    "大型企业": "大型", "中型企业": "中型", "小型企业": "小型", "微型企业": "微型", "小微": "小型",
}  # fmt: skip

Choices = Iterable[tuple[Any, Any]] | type


def clean_text(value: object) -> str:
    """A cell as clean text: NFKC (full-width to half-width), no zero-width characters, `="…"` wrappers and a
    leading apostrophe stripped, inner whitespace collapsed to one space, outer whitespace stripped.

    Idempotent: clean_text(clean_text(x)) == clean_text(x).
    """
    if value is None:
        return ""
    text = str(value)
    for _ in range(50):  # each round shortens the text or stops; the bound is only a guard
        cleaned = _clean_once(text)
        if cleaned == text:
            break
        text = cleaned
    return text


def _clean_once(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_ZERO_WIDTH)
    text = _WHITESPACE_RE.sub(" ", text).strip()
    if len(text) >= 3 and text.startswith('="') and text.endswith('"'):
        text = text[2:-1]
    elif text.startswith("'"):
        text = text[1:]
    return text.strip()


def _choice_pairs(choices: Choices) -> list[tuple[str, str]]:
    pairs = getattr(choices, "choices", choices)
    return [(str(code), str(label)) for code, label in pairs]  # type: ignore[union-attr]


def map_choice(value: object, choices: Choices, aliases: Mapping[str, str] | None = None) -> str | None:
    """The code of a code-list value given as code or label ("男" -> "1", "1" -> "1", "C"/"制造业" -> "C").

    Known variants are mapped through `aliases` (default: DEFAULT_ALIASES) and the relation rule "子" ->
    "之子". None for blank or unknown values.
    """
    text = clean_text(value)
    if not text:
        return None
    pairs = _choice_pairs(choices)
    by_code = {code: code for code, _ in pairs}
    by_label = {label: code for code, label in pairs}
    by_code_folded = {code.casefold(): code for code, _ in pairs if code}

    def lookup(candidate: str) -> str | None:
        if candidate in by_code and candidate:
            return by_code[candidate]
        if candidate in by_label:
            return by_label[candidate]
        return by_code_folded.get(candidate.casefold())

    compact = text.replace(" ", "")
    if compact.endswith(".0") and compact[:-2].isdigit():  # a code read from a number cell: "1.0"
        compact = compact[:-2]
    for candidate in (text, compact):
        found = lookup(candidate)
        if found is not None:
            return found
    alias_table = DEFAULT_ALIASES if aliases is None else aliases
    target = alias_table.get(compact)
    if target is not None:
        found = lookup(target)
        if found is not None:
            return found
    return lookup("之" + compact)
