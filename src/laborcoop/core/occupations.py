"""The 工种 offered in forms: a compact taxonomy of the common rural labor-cooperation occupations, grouped by
category after the 国家职业分类大典 (2022) major groups, plus the names the matching engine knows
(matching.engine.taxonomy) and those in shared/domain.md and the demo. Forms offer them with search (a
datalist: native search in the browser, no script needed) and accept a known synonym for its 工种."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

OCCUPATION_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "生产制造",
        (
            "普工",
            "操作工",
            "装配工",
            "包装工",
            "打包员",
            "质检员",
            "电子装配工",
            "注塑工",
            "冲压工",
            "数控车床操作工",
            "车工",
            "铣工",
            "钳工",
            "焊工",
            "电焊工",
            "氩弧焊工",
            "机修工",
            "电工",
            "缝纫工",
            "制衣工",
            "裁剪工",
            "绣工",
            "鞋类制作工",
            "纺织工",
            "食品加工工",
            "竹编工",
            "编织工",
            "家具制作工",
            "油漆工",
            "涂装工",
        ),
    ),
    (
        "建筑施工",
        (
            "建筑工",
            "泥瓦工",
            "砌筑工",
            "抹灰工",
            "钢筋工",
            "木工",
            "架子工",
            "混凝土工",
            "防水工",
            "水电安装工",
            "装饰装修工",
            "挖掘机司机",
            "塔吊司机",
        ),
    ),
    (
        "交通物流",
        ("货车司机", "司机", "叉车司机", "快递员", "分拣员", "装卸工", "搬运工", "理货员", "仓库管理员", "外卖员"),
    ),
    ("安保保洁", ("保安", "保洁", "保洁员", "环卫工", "绿化工", "物业服务员")),
    ("餐饮住宿", ("厨师", "面点师", "帮厨", "服务员", "客房服务员", "收银员")),
    ("家政护理", ("家政服务员", "育婴员", "月嫂", "养老护理员", "护工", "保育员")),
    ("商贸服务", ("销售", "营业员", "导购", "电商客服", "客服", "主播", "美容美发")),
    ("农林牧渔", ("种植", "种植工", "采茶工", "茶农", "果农", "养殖", "养殖工", "林业", "护林员", "农机操作员")),
    ("公益岗位", ("公益性岗位", "护路员", "护河员", "乡村保洁员")),
)

OCCUPATIONS: tuple[str, ...] = tuple(dict.fromkeys(name for _, names in OCCUPATION_GROUPS for name in names))
CATEGORY_OF: dict[str, str] = {name: group for group, names in OCCUPATION_GROUPS for name in names}

# What people write for a 工种 of the list.
SYNONYMS: dict[str, str] = {
    "电焊": "电焊工",
    "焊接工": "焊工",
    "二保焊工": "焊工",
    "流水线工": "普工",
    "流水线操作工": "普工",
    "生产工": "普工",
    "组装工": "装配工",
    "车位工": "缝纫工",
    "平车工": "缝纫工",
    "缝纫": "缝纫工",
    "刺绣工": "绣工",
    "苗绣": "绣工",
    "服装工": "制衣工",
    "设备维修工": "机修工",
    "汽修工": "机修工",
    "维修电工": "电工",
    "水电工": "水电安装工",
    "叉车工": "叉车司机",
    "叉车": "叉车司机",
    "驾驶员": "司机",
    "派送员": "快递员",
    "配送员": "快递员",
    "骑手": "外卖员",
    "装卸搬运工": "装卸工",
    "仓管员": "仓库管理员",
    "建筑工人": "建筑工",
    "小工": "建筑工",
    "杂工": "建筑工",
    "瓦工": "泥瓦工",
    "泥水工": "泥瓦工",
    "扎筋工": "钢筋工",
    "模板工": "木工",
    "喷漆工": "油漆工",
    "挖机司机": "挖掘机司机",
    "保安员": "保安",
    "门卫": "保安",
    "清洁工": "保洁员",
    "清洁员": "保洁员",
    "中式烹调师": "厨师",
    "洗碗工": "帮厨",
    "餐厅服务员": "服务员",
    "家政": "家政服务员",
    "保姆": "家政服务员",
    "钟点工": "家政服务员",
    "育儿嫂": "育婴员",
    "陪护": "护工",
    "护理员": "养老护理员",
    "销售员": "销售",
    "促销员": "销售",
    "业务员": "销售",
    "网店客服": "电商客服",
    "带货主播": "主播",
    "理发师": "美容美发",
    "美发师": "美容美发",
    "美容师": "美容美发",
    "饲养员": "养殖工",
    "公益岗": "公益性岗位",
    "乡村公益岗": "公益性岗位",
}

_SPACES = re.compile(r"\s+")
LIST_SEPARATORS = re.compile(r"[,，、;；/|\n]+")


def normalize_occupation(text: str) -> str | None:
    """The 工种 of the list that `text` names (itself or a synonym), None if it names none."""
    term = _SPACES.sub("", unicodedata.normalize("NFKC", text or ""))
    if term in CATEGORY_OF:
        return term
    return SYNONYMS.get(term)


def similar_occupations(text: str, limit: int = 6) -> list[str]:
    """工种 of the list sharing a character with `text`, most shared first (for "did you mean")."""
    chars = set(_SPACES.sub("", text or ""))
    scored = [(len(chars & set(name)), name) for name in OCCUPATIONS]
    scored = [s for s in scored if s[0] > 0]
    scored.sort(key=lambda s: (-s[0], OCCUPATIONS.index(s[1])))
    return [name for _, name in scored[:limit]]


# --- form fields -------------------------------------------------------------------------------------------

UNKNOWN_OCCUPATION = "“{text}”不在工种列表中，请输入关键字后从列表中选择{hint}。"
TOO_MANY_OCCUPATIONS = "最多选择 {n} 个工种。"
JOINER = "、"


class OccupationInput(forms.TextInput):
    """A text box with the 工种 list as its datalist: the browser searches it as one types. With
    static/js/region-picker.js a box that takes several 工种 suggests the list again after each 、."""

    def __init__(self, attrs: dict[str, Any] | None = None, *, multiple: bool = False) -> None:
        super().__init__(attrs)
        self.multiple = multiple

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, list | tuple):
            return JOINER.join(str(v) for v in value)
        return super().format_value(value)

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        list_id = f"occupations-{name}"
        extra = {"list": list_id, "autocomplete": "off", "placeholder": "输入关键字选择工种，如：焊工"}
        if self.multiple:
            extra["data-multi-datalist"] = ""
            extra["placeholder"] = "输入关键字选择，可选多个，用“、”分隔"
        box = super().render(name, value, {**extra, **(attrs or {})}, renderer)
        options = format_html_join(
            "", '<option value="{}" label="{}"></option>', ((n, CATEGORY_OF[n]) for n in OCCUPATIONS)
        )
        return format_html('{}<datalist id="{}">{}</datalist>', box, list_id, options)


def _clean_one(text: str) -> str:
    found = normalize_occupation(text)
    if found is None:
        similar = similar_occupations(text)
        hint = f"（相近的有：{JOINER.join(similar)}）" if similar else ""
        raise ValidationError(UNKNOWN_OCCUPATION.format(text=text, hint=hint), code="unknown_occupation")
    return found


class OccupationField(forms.CharField):
    """One 工种 of the list (a synonym is stored as its 工种)."""

    widget = OccupationInput

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        return _clean_one(text) if text else ""


class OccupationMultipleField(forms.Field):
    """Several 工种 of the list, typed or chosen, separated by 、 or commas; cleans to a list."""

    def __init__(self, *, max_count: int = 5, **kwargs: Any) -> None:
        kwargs.setdefault("widget", OccupationInput(multiple=True))
        super().__init__(**kwargs)
        self.max_count = max_count

    def to_python(self, value: Any) -> list[str]:
        if not value:
            return []
        parts = [str(v) for v in value] if isinstance(value, list | tuple) else LIST_SEPARATORS.split(str(value))
        out: list[str] = []
        errors: list[ValidationError] = []
        for part in (p.strip() for p in parts):
            if not part:
                continue
            try:
                name = _clean_one(part)
            except ValidationError as exc:
                errors.append(exc)
                continue
            if name not in out:
                out.append(name)
        if errors:
            raise ValidationError(errors)
        if len(out) > self.max_count:
            raise ValidationError(TOO_MANY_OCCUPATIONS.format(n=self.max_count), code="too_many")
        return out
