"""Form fields for regions: a name typed or chosen in the picker becomes a 12-digit code.

`RegionField` cleans to one code, `RegionMultipleField` to a list of codes. `within` (a code prefix, the
user's scope as the access layer gives it; '' for the whole country) limits what may be chosen; the views set
it with `set_scope`. A name that matches several regions is refused with the candidates listed in Chinese.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from laborcoop.regions.lookup import LIST_SEPARATORS, candidates_text, resolve_region_name
from laborcoop.regions.models import Region, RegionLevel
from laborcoop.regions.selectors import normalize_code
from laborcoop.regions.widgets import RegionMultiplePickerWidget, RegionPickerWidget, region_paths

NOT_FOUND = "未找到“{text}”，请输入地名（如：济南市济阳区）并从列表中选择。"
AMBIGUOUS = "“{text}”对应多个地区：{candidates}。请写得更完整（带上省、市），或从列表中选择。"
OUT_OF_SCOPE = "“{path}”不在您的管辖范围内。"
TOO_HIGH = "请选择到{level}一级（“{path}”范围太大）。"
TOO_LOW = "请选择{level}或以上一级的地区（“{path}”太细）。"
TOO_MANY = "最多选择 {n} 个地区。"
LEVEL_WORDS = {1: "省", 2: "市（州）", 3: "县（市、区）", 4: "乡镇（街道）", 5: "村（社区）"}
DEFAULT_PLACEHOLDER = "输入地名搜索，如：济阳区"


def _resolve(text: str, *, within: str, min_level: int, max_level: int, check_codes: bool = True) -> str:
    """The code `text` names. A code as such (typed, or chosen in the picker) is checked for level and scope
    only with `check_codes`: the services check the codes they are given, with their own messages."""
    code = normalize_code(text)
    if code is not None and not check_codes:
        if not Region.objects.filter(code=code).exists():
            raise ValidationError(NOT_FOUND.format(text=text), code="not_found")
        return code
    region, candidates = resolve_region_name(text, within=within, min_level=min_level, max_level=max_level)
    if region is None and not candidates:
        # Say why nothing fits: a region at another level, or one outside the user's scope.
        other, _ = resolve_region_name(text, within=within)
        if other is not None:
            _check_level(other, min_level=min_level, max_level=max_level)
        if within:
            outside, _ = resolve_region_name(text, min_level=min_level, max_level=max_level)
            if outside is not None:
                path = region_paths([outside.code])[outside.code]
                raise ValidationError(OUT_OF_SCOPE.format(path=path), code="out_of_scope")
    if candidates:
        raise ValidationError(AMBIGUOUS.format(text=text, candidates=candidates_text(candidates)), code="ambiguous")
    if region is None:
        raise ValidationError(NOT_FOUND.format(text=text), code="not_found")
    return region.code


def _check_level(region: Region, *, min_level: int, max_level: int) -> str:
    if region.level < min_level:
        path = region_paths([region.code])[region.code]
        raise ValidationError(TOO_HIGH.format(level=LEVEL_WORDS[min_level], path=path), code="too_high")
    if region.level > max_level:
        path = region_paths([region.code])[region.code]
        raise ValidationError(TOO_LOW.format(level=LEVEL_WORDS[max_level], path=path), code="too_low")
    return region.code


class _ScopedMixin:
    within: str
    min_level: int
    max_level: int

    def set_scope(self, prefix: str | None) -> None:
        """Limit choices to the subtree `prefix` ('' or None: the whole country)."""
        self.within = prefix or ""
        widget = getattr(self, "widget", None)
        if isinstance(widget, RegionPickerWidget):
            widget.within = self.within


class RegionField(_ScopedMixin, forms.Field):
    """One region. `check_codes=False` leaves the level and scope of a given code to the service that saves
    it (names are always resolved within the scope and levels)."""

    widget = RegionPickerWidget

    def __init__(
        self,
        *,
        within: str = "",
        min_level: int = RegionLevel.PROVINCE,
        max_level: int = RegionLevel.VILLAGE,
        placeholder: str = DEFAULT_PLACEHOLDER,
        check_codes: bool = True,
        **kwargs: Any,
    ) -> None:
        self.check_codes = check_codes
        kwargs.setdefault(
            "widget", self.widget(within=within, min_level=min_level, max_level=max_level, placeholder=placeholder)
        )
        super().__init__(**kwargs)
        self.within, self.min_level, self.max_level = within, min_level, max_level

    def to_python(self, value: Any) -> str:
        text = str(value or "").strip()
        if not text:
            return ""
        return _resolve(
            text, within=self.within, min_level=self.min_level, max_level=self.max_level, check_codes=self.check_codes
        )

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.to_python(data) != (initial or "")
        except ValidationError:
            return True


class RegionMultipleField(_ScopedMixin, forms.Field):
    widget = RegionMultiplePickerWidget

    def __init__(
        self,
        *,
        within: str = "",
        min_level: int = RegionLevel.PROVINCE,
        max_level: int = RegionLevel.COUNTY,
        max_count: int = 5,
        placeholder: str = "输入地名搜索，可选多个，如：济南市",
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault(
            "widget",
            self.widget(within=within, min_level=min_level, max_level=max_level, placeholder=placeholder),
        )
        super().__init__(**kwargs)
        self.within, self.min_level, self.max_level, self.max_count = within, min_level, max_level, max_count

    def to_python(self, value: Any) -> list[str]:
        if not value:
            return []
        if isinstance(value, list | tuple):
            parts = [str(v) for v in value]
        else:
            parts = [p.strip() for p in LIST_SEPARATORS.split(str(value)) if p.strip()]
        codes: list[str] = []
        errors: list[ValidationError] = []
        for part in parts:
            try:
                code = _resolve(part, within=self.within, min_level=self.min_level, max_level=self.max_level)
            except ValidationError as exc:
                errors.append(exc)
                continue
            if code not in codes:
                codes.append(code)
        if errors:
            raise ValidationError(errors)
        if len(codes) > self.max_count:
            raise ValidationError(TOO_MANY.format(n=self.max_count), code="too_many")
        return codes

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.to_python(data) != list(initial or [])
        except ValidationError:
            return True
