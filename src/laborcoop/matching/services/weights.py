"""The points of the score factors per province (issue 4: "weights are configurable by a provincial admin").

`matching_weights_for` gives the engine's `Weights` for the province of a region code: the stored row or the
defaults. `matching_weights_set` lets an admin whose home region is the province (or the platform operator)
change them: validated, version-checked and audited old -> new.
"""

import math
from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from django.core.exceptions import ValidationError

from laborcoop.accounts.province_settings import province_settings_check, province_settings_save
from laborcoop.matching.engine.factors import FACTORS, Weights
from laborcoop.matching.models import MatchingWeights
from laborcoop.regions.scope import province_code_of

MAX_WEIGHT = 100.0
WEIGHT_NAMES = tuple(f.name for f in fields(Weights))
FACTOR_LABELS: dict[str, str] = {f.code: f.label for f in FACTORS}

ERR_NOT_ADMIN = "只有省级管理员可以设置匹配权重。"
ERR_UNKNOWN_FACTOR = "未知的得分因素：{name}。"
ERR_NOT_NUMBER = "请输入数字。"
ERR_NEGATIVE = "权重不能为负数。"
ERR_TOO_LARGE = "权重不能超过{max:g}。"
ERR_EMPTY = "请至少填写一个权重。"


def matching_weights_for(*, region_code: str | None) -> Weights:
    """The weights of the province of `region_code` (any level), or the defaults. One indexed query."""
    if not region_code:
        return Weights()
    values = (
        MatchingWeights.objects.filter(province_id=province_code_of(region_code)).values_list("values", flat=True)
    ).first()
    return Weights.from_dict(values) if values else Weights()


def clean_weight_values(values: Mapping[str, Any]) -> dict[str, float]:
    """Validate a {factor name: number} mapping; raise ValidationError {name: [message]} on any bad entry."""
    errors: dict[str, str] = {}
    cleaned: dict[str, float] = {}
    for name, raw in values.items():
        if name not in WEIGHT_NAMES:
            errors[str(name)] = ERR_UNKNOWN_FACTOR.format(name=name)
            continue
        if isinstance(raw, bool):
            errors[name] = ERR_NOT_NUMBER
            continue
        try:
            number = float(raw.strip() if isinstance(raw, str) else raw)
        except (TypeError, ValueError):
            errors[name] = ERR_NOT_NUMBER
            continue
        if not math.isfinite(number):
            errors[name] = ERR_NOT_NUMBER
        elif number < 0:
            errors[name] = ERR_NEGATIVE
        elif number > MAX_WEIGHT:
            errors[name] = ERR_TOO_LARGE.format(max=MAX_WEIGHT)
        else:
            cleaned[name] = number
    if errors:
        raise ValidationError(errors)
    if not cleaned:
        raise ValidationError(ERR_EMPTY)
    return cleaned


def matching_weights_set(
    *, acting_user: Any, province_code: str, values: Mapping[str, Any], expected_version: int
) -> MatchingWeights:
    """Store the weights of a province. `values` may name some factors (the others keep their current value);
    `expected_version` is the version the form was loaded with (0: no row yet)."""
    province_settings_check(acting_user=acting_user, province_code=province_code, denied_message=ERR_NOT_ADMIN)
    cleaned = clean_weight_values(values)

    def merge(row: MatchingWeights | None) -> tuple[dict[str, Any], dict[str, list[Any]]]:
        old = Weights.from_dict(row.values if row is not None else {}).to_dict()
        new = {**old, **cleaned}
        return new, {name: [old[name], new[name]] for name in WEIGHT_NAMES if old[name] != new[name]}

    row, _ = province_settings_save(
        model=MatchingWeights,
        acting_user=acting_user,
        province_code=province_code,
        expected_version=expected_version,
        merge=merge,
    )
    return row
