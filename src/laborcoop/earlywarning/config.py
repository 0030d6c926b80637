"""The rule settings in force: per province, each rule's enabled flag, severity and thresholds.

A province's WarningSettings row overrides the rules' defaults (`values` = {rule code: {"enabled": bool,
"severity": str, <param>: int}}); a rule's tracking thresholds (e.g. 离岗后联系时限) come from the province's
TrackingSettings (tracking.settings.selectors). Stored values out of range are ignored (the defaults apply),
so a bad row never stops the engine; the settings service refuses them with a message before they are saved.

The engine evaluates a rule once per group of provinces that share its settings: the provinces with settings
of their own, each group filtered by their code ranges, and one group for everything else (the defaults).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from laborcoop.earlywarning.choices import Severity
from laborcoop.earlywarning.models import WarningSettings
from laborcoop.earlywarning.rules import RULES, Rule
from laborcoop.employment.models import TrackingSettings
from laborcoop.regions.scope import in_subtree_q, province_code_of
from laborcoop.tracking.settings.defaults import TRACKING_DEFAULTS
from laborcoop.tracking.settings.selectors import default_tracking_settings


@dataclass(frozen=True)
class RuleConfig:
    enabled: bool
    severity: str
    params: tuple[tuple[str, int], ...]  # sorted (name, value): hashable, so groups can be formed

    def param_dict(self) -> dict[str, int]:
        return dict(self.params)


def _valid_int(value: Any, minimum: int, maximum: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and minimum <= value <= maximum


def rule_config(rule: Rule, stored: Mapping[str, Any] | None, tracking: Mapping[str, int]) -> RuleConfig:
    """The effective settings of `rule` from a province's stored entry (None: defaults) and tracking values."""
    stored = stored or {}
    enabled = stored.get("enabled")
    severity = stored.get("severity")
    params = {p.name: p.default for p in rule.params}
    for p in rule.params:
        value = stored.get(p.name)
        if isinstance(value, int) and _valid_int(value, p.minimum, p.maximum):
            params[p.name] = value
    for name in rule.tracking_params:
        params[name] = tracking[name]
    return RuleConfig(
        enabled=enabled if isinstance(enabled, bool) else True,
        severity=severity if severity in Severity.values else rule.severity,
        params=tuple(sorted(params.items())),
    )


def tracking_values(stored: Mapping[str, Any] | None) -> dict[str, int]:
    """TrackingSettings.values over the defaults (the same leniency as tracking.settings.selectors)."""

    values = default_tracking_settings()
    for name, value in (stored or {}).items():
        spec = TRACKING_DEFAULTS.get(name)
        if spec is not None and _valid_int(value, spec[1], spec[2]):
            values[name] = value
    return values


def province_configs() -> dict[str, dict[str, RuleConfig]]:
    """{province code: {rule code: RuleConfig}} for every province with warning or tracking settings of its
    own. Two queries."""
    warning_rows = dict(WarningSettings.objects.values_list("province_id", "values"))
    tracking_rows = dict(TrackingSettings.objects.values_list("province_id", "values"))
    result: dict[str, dict[str, RuleConfig]] = {}
    for province in sorted(set(warning_rows) | set(tracking_rows)):
        stored = warning_rows.get(province) or {}
        tracking = tracking_values(tracking_rows.get(province))
        result[province] = {rule.code: rule_config(rule, stored.get(rule.code), tracking) for rule in RULES}
    return result


def default_configs() -> dict[str, RuleConfig]:
    tracking = default_tracking_settings()
    return {rule.code: rule_config(rule, None, tracking) for rule in RULES}


def configs_for_region(region_code: str) -> dict[str, RuleConfig]:
    """The settings in force for the province of `region_code` (the settings page; one or two queries)."""
    province = province_code_of(region_code)
    stored = WarningSettings.objects.filter(province_id=province).values_list("values", flat=True).first() or {}
    tracking = tracking_values(
        TrackingSettings.objects.filter(province_id=province).values_list("values", flat=True).first()
    )
    return {rule.code: rule_config(rule, stored.get(rule.code), tracking) for rule in RULES}


RegionFilter = Callable[[str], Q]


@dataclass(frozen=True)
class RuleGroup:
    """The provinces that evaluate one rule with the same settings, as a filter on a region field."""

    config: RuleConfig
    region_filter: RegionFilter


def _any_province(provinces: list[str]) -> RegionFilter:
    def build(field: str) -> Q:
        q = Q(pk__in=[])
        for code in provinces:
            q |= in_subtree_q(code[:2], field)
        return q

    return build


def _none_of(provinces: list[str]) -> RegionFilter:
    def build(field: str) -> Q:
        q = Q()
        for code in provinces:
            q &= ~in_subtree_q(code[:2], field)
        return q

    return build


def rule_groups(rule: Rule, provinces: dict[str, dict[str, RuleConfig]], *, within: str = "") -> list[RuleGroup]:
    """The groups evaluating `rule` (disabled groups are left out). `within` narrows to a region prefix: only
    the provinces that can contain it are considered."""
    default = default_configs()[rule.code]
    by_config: dict[RuleConfig, list[str]] = {}
    for province, configs in provinces.items():
        if within and province[:2] != within[:2]:
            continue
        config = configs[rule.code]
        if config != default:
            by_config.setdefault(config, []).append(province)
    custom = [code for codes in by_config.values() for code in codes]
    groups: list[RuleGroup] = []
    if default.enabled:
        groups.append(RuleGroup(default, _none_of(custom)))
    for config, codes in by_config.items():
        if config.enabled:
            groups.append(RuleGroup(config, _any_province(codes)))
    return groups
