"""How many messages automatic runs may send, per province (issue 13 item 8: "automatic runs recommend; what is
sent to a person is limited").

- `laborer_jobs_per_week`: the jobs one laborer is told about in 7 days (the best ones; the rest stay 推荐);
- `candidates_per_opening`: the candidates told about one job, per opening (10 openings x 2 = 20 people).

A staff member who marks a recommendation 已通知 by hand is a person deciding: the limits do not apply.
`send_limits_for` gives the limits of the province of a region code (the stored row or the defaults);
`send_limits_set` lets the province's admin change them (validated, version-checked, audited old -> new).
"""

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from django.core.exceptions import ValidationError

from laborcoop.accounts.province_settings import province_settings_check, province_settings_save
from laborcoop.notifications.models import SendLimits
from laborcoop.regions.scope import province_code_of

ERR_NOT_ADMIN = "只有省级管理员可以设置消息发送限额。"
ERR_NOT_NUMBER = "请输入整数。"
ERR_RANGE = "请输入{low}到{high}之间的整数。"
ERR_UNKNOWN = "未知的限额：{name}。"

LIMIT_RANGES: dict[str, tuple[int, int]] = {"laborer_jobs_per_week": (0, 20), "candidates_per_opening": (0, 10)}
LIMIT_LABELS: dict[str, str] = {
    "laborer_jobs_per_week": "每位劳动者每周最多通知岗位数",
    "candidates_per_opening": "每个岗位空缺最多通知人数",
}
LIMIT_HELP: dict[str, str] = {
    "laborer_jobs_per_week": (
        "自动匹配为一位劳动者推荐的岗位中，7天内最多以短信通知得分最高的几个；其余留在“推荐”，由经办人决定。"
    ),
    "candidates_per_opening": ("发布岗位后自动匹配的人选中，最多通知“招聘人数×此数”人；其余留在“推荐”，由经办人决定。"),
}


@dataclass(frozen=True)
class Limits:
    laborer_jobs_per_week: int = 3
    candidates_per_opening: int = 2

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> "Limits":
        known = {f.name for f in fields(cls)}
        return cls(**{k: int(v) for k, v in values.items() if k in known})

    def to_dict(self) -> dict[str, int]:
        return asdict(self)

    def job_cap(self, openings: int) -> int:
        """How many candidates of a job with `openings` may be told (at least one opening counts)."""
        return max(openings, 1) * self.candidates_per_opening


LIMIT_NAMES = tuple(f.name for f in fields(Limits))


def send_limits_for(*, region_code: str | None) -> Limits:
    """The limits of the province of `region_code` (any level), or the defaults. One indexed query."""
    if not region_code:
        return Limits()
    values = (
        SendLimits.objects.filter(province_id=province_code_of(region_code)).values_list("values", flat=True).first()
    )
    return Limits.from_dict(values) if values else Limits()


def clean_limit_values(values: Mapping[str, Any]) -> dict[str, int]:
    """Validate a {name: whole number} mapping; ValidationError {name: [message]} on any bad entry."""
    errors: dict[str, str] = {}
    cleaned: dict[str, int] = {}
    for name, raw in values.items():
        if name not in LIMIT_RANGES:
            errors[str(name)] = ERR_UNKNOWN.format(name=name)
            continue
        text = str(raw).strip() if raw is not None and not isinstance(raw, bool) else ""
        if not text.lstrip("-").isdigit():
            errors[name] = ERR_NOT_NUMBER
            continue
        number, (low, high) = int(text), LIMIT_RANGES[name]
        if not low <= number <= high:
            errors[name] = ERR_RANGE.format(low=low, high=high)
            continue
        cleaned[name] = number
    if errors:
        raise ValidationError(errors)
    return cleaned


def send_limits_set(
    *, acting_user: Any, province_code: str, values: Mapping[str, Any], expected_version: int
) -> SendLimits:
    """Store the limits of a province; `expected_version` is the version the form was loaded with (0: none)."""
    province_settings_check(acting_user=acting_user, province_code=province_code, denied_message=ERR_NOT_ADMIN)
    cleaned = clean_limit_values(values)

    def merge(row: SendLimits | None) -> tuple[dict[str, Any], dict[str, list[Any]]]:
        old = Limits.from_dict(row.values if row is not None else {}).to_dict()
        new = {**old, **cleaned}
        return new, {LIMIT_LABELS[n]: [old[n], new[n]] for n in LIMIT_NAMES if old[n] != new[n]}

    row, _ = province_settings_save(
        model=SendLimits,
        acting_user=acting_user,
        province_code=province_code,
        expected_version=expected_version,
        merge=merge,
    )
    return row
