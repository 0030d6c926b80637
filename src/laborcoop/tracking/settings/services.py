"""Writing the tracking thresholds of a province (TrackingSettings; readers use
tracking.settings.selectors.tracking_settings_for). Like the matching weights: an admin whose home region is
the province (or the platform operator) sets them, every value is checked against the range of
tracking.settings.defaults, the row's version guards against a stale form, and the change is audited
old -> new. A changed `stable_months` recomputes the province's derived statuses after the commit."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError

from laborcoop.accounts.province_settings import province_settings_check, province_settings_save
from laborcoop.employment.models import TrackingSettings
from laborcoop.tracking.settings.defaults import TRACKING_DEFAULTS
from laborcoop.tracking.settings.selectors import default_tracking_settings
from laborcoop.tracking.status.tasks import refresh_employment_states_on_commit

SETTING_NAMES = tuple(TRACKING_DEFAULTS)

ERR_NOT_ADMIN = "只有省级管理员可以设置跟踪参数。"
ERR_UNKNOWN = "未知的参数：{name}。"
ERR_NOT_INTEGER = "请输入整数。"
ERR_OUT_OF_RANGE = "应在 {min} 到 {max} 之间。"
ERR_EMPTY = "请至少填写一个参数。"


def _integer(raw: Any) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str):
        text = raw.strip()
        if text.lstrip("-").isdigit() and text.isascii():
            return int(text)
    return None


def clean_tracking_values(values: Mapping[str, Any]) -> dict[str, int]:
    """Validate {name: integer}; raise ValidationError {name: [message]} naming every bad entry."""
    errors: dict[str, str] = {}
    cleaned: dict[str, int] = {}
    for name, raw in values.items():
        spec = TRACKING_DEFAULTS.get(name)
        if spec is None:
            errors[str(name)] = ERR_UNKNOWN.format(name=name)
            continue
        number = _integer(raw)
        if number is None:
            errors[name] = ERR_NOT_INTEGER
        elif not spec[1] <= number <= spec[2]:
            errors[name] = ERR_OUT_OF_RANGE.format(min=spec[1], max=spec[2])
        else:
            cleaned[name] = number
    if errors:
        raise ValidationError(errors)
    if not cleaned:
        raise ValidationError(ERR_EMPTY)
    return cleaned


def stored_tracking_settings(row: TrackingSettings | None) -> dict[str, int]:
    """Every value of a row (defaults where unset or out of range)."""
    values = default_tracking_settings()
    for name, value in (row.values if row is not None else {}).items():
        spec = TRACKING_DEFAULTS.get(name)
        if spec is not None and isinstance(value, int) and spec[1] <= value <= spec[2]:
            values[name] = value
    return values


def tracking_settings_set(
    *, acting_user: Any, province_code: str, values: Mapping[str, Any], expected_version: int
) -> TrackingSettings:
    """Store some thresholds of a province (the others keep their value). `expected_version` is the row's
    version when the form was loaded (0: no row yet); a different one raises ConflictError."""
    province_settings_check(acting_user=acting_user, province_code=province_code, denied_message=ERR_NOT_ADMIN)
    cleaned = clean_tracking_values(values)

    def merge(row: TrackingSettings | None) -> tuple[dict[str, Any], dict[str, list[Any]]]:
        old = stored_tracking_settings(row)
        new = {**old, **cleaned}
        return new, {name: [old[name], new[name]] for name in SETTING_NAMES if old[name] != new[name]}

    row, changes = province_settings_save(
        model=TrackingSettings,
        acting_user=acting_user,
        province_code=province_code,
        expected_version=expected_version,
        merge=merge,
        skip_unchanged=True,  # nothing to change: no new version, no audit row
    )
    if "stable_months" in changes:
        refresh_employment_states_on_commit(region_prefix=province_code[:2])
    return row
