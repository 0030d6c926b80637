"""The warning rules of a province as its admin sets them: per rule enabled, severity and thresholds.

Who: an admin whose home region is the province, or the platform operator (as for the matching weights).
The values are validated against each rule's Param ranges (a clear Chinese message per bad entry, nothing
saved), the row is version-checked and the change audited old -> new. The engine reads the rows through
earlywarning.config; the next run (nightly or on change) applies them.
"""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError

from laborcoop.accounts.province_settings import province_settings_check, province_settings_save
from laborcoop.earlywarning.choices import Severity
from laborcoop.earlywarning.config import rule_config, tracking_values
from laborcoop.earlywarning.models import WarningSettings
from laborcoop.earlywarning.rules import RULES_BY_CODE, Rule

ERR_NOT_ADMIN = "只有省级管理员可以设置预警规则。"
ERR_UNKNOWN_RULE = "未知的预警规则：{code}。"
ERR_UNKNOWN_PARAM = "规则“{rule}”没有参数“{name}”。"
ERR_SEVERITY = "严重程度应为高、中或低。"
ERR_ENABLED = "请选择是否启用。"
ERR_NOT_INT = "{label}应为整数。"
ERR_RANGE = "{label}应在 {minimum} 至 {maximum} 之间。"


def _clean_int(raw: Any, *, label: str, minimum: int, maximum: int) -> int:
    if isinstance(raw, bool):
        raise ValidationError(ERR_NOT_INT.format(label=label))
    try:
        value = int(raw.strip()) if isinstance(raw, str) else int(raw)
    except (TypeError, ValueError) as exc:
        raise ValidationError(ERR_NOT_INT.format(label=label)) from exc
    if isinstance(raw, float) and raw != value:
        raise ValidationError(ERR_NOT_INT.format(label=label))
    if not minimum <= value <= maximum:
        raise ValidationError(ERR_RANGE.format(label=label, minimum=minimum, maximum=maximum))
    return value


def _clean_rule(rule: Rule, entry: Mapping[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    params = {p.name: p for p in rule.params}
    cleaned: dict[str, Any] = {}
    for name, raw in entry.items():
        key = f"{rule.code}.{name}"
        if name == "enabled":
            if isinstance(raw, bool):
                cleaned[name] = raw
            else:
                errors[key] = ERR_ENABLED
        elif name == "severity":
            if raw in Severity.values:
                cleaned[name] = raw
            else:
                errors[key] = ERR_SEVERITY
        elif name in params:
            p = params[name]
            try:
                cleaned[name] = _clean_int(raw, label=p.label, minimum=p.minimum, maximum=p.maximum)
            except ValidationError as exc:
                errors[key] = exc.messages[0]
        else:
            errors[key] = ERR_UNKNOWN_PARAM.format(rule=rule.title, name=name)
    return cleaned


def clean_settings_values(values: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Validate {rule code: {"enabled", "severity", <param>}}; raise ValidationError {"<rule>.<name>": [message]}
    listing every bad entry."""
    errors: dict[str, str] = {}
    cleaned: dict[str, dict[str, Any]] = {}
    for code, entry in values.items():
        rule = RULES_BY_CODE.get(code)
        if rule is None or not isinstance(entry, Mapping):
            errors[str(code)] = ERR_UNKNOWN_RULE.format(code=code)
            continue
        cleaned[code] = _clean_rule(rule, entry, errors)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _flat(stored: Mapping[str, Any]) -> dict[str, Any]:
    """Every rule's effective entry as "<rule>.<name>" -> value (for the audit diff)."""
    tracking = tracking_values(None)
    flat: dict[str, Any] = {}
    for code, rule in RULES_BY_CODE.items():
        config = rule_config(rule, stored.get(code), tracking)
        flat[f"{code}.enabled"] = config.enabled
        flat[f"{code}.severity"] = config.severity
        for name, value in config.params:
            if name not in rule.tracking_params:
                flat[f"{code}.{name}"] = value
    return flat


def warning_settings_set(
    *, acting_user: Any, province_code: str, values: Mapping[str, Mapping[str, Any]], expected_version: int
) -> WarningSettings:
    """Store the rule settings of a province. `values` may name some rules and some of their entries (the rest
    keep their current value); `expected_version` is the row's version when the form was loaded (0: none)."""
    province_settings_check(acting_user=acting_user, province_code=province_code, denied_message=ERR_NOT_ADMIN)
    cleaned = clean_settings_values(values)

    def merge(row: WarningSettings | None) -> tuple[dict[str, Any], dict[str, list[Any]]]:
        stored: dict[str, dict[str, Any]] = dict(row.values) if row is not None else {}
        new = {code: dict(entry) for code, entry in stored.items()}
        for code, entry in cleaned.items():
            new.setdefault(code, {}).update(entry)
        before, after = _flat(stored), _flat(new)
        return new, {key: [before[key], after[key]] for key in after if before[key] != after[key]}

    row, _ = province_settings_save(
        model=WarningSettings,
        acting_user=acting_user,
        province_code=province_code,
        expected_version=expected_version,
        merge=merge,
    )
    return row
