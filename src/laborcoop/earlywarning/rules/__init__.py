"""The warning rules (预警规则), in the order pages list them. See rules.base for what a rule is."""

from laborcoop.earlywarning.rules.base import HOUSEHOLD, LABORER, RECORD, Finding, Param, Rule, RuleContext
from laborcoop.earlywarning.rules.households import HouseholdHead, MonitoredNoMeasure, SharedPhone, ZeroEmployment
from laborcoop.earlywarning.rules.lines import InsuranceMissing, WageLow, WageMissing
from laborcoop.earlywarning.rules.persons import LongUnemployed, RecordOverlap, StatusContradiction, Unreachable
from laborcoop.earlywarning.rules.records import (
    ChannelContradiction,
    LeaveNoContact,
    MinorWorking,
    PublicWelfareElderly,
)

RULES: tuple[Rule, ...] = (
    ZeroEmployment(),
    LongUnemployed(),
    LeaveNoContact(),
    WageMissing(),
    WageLow(),
    InsuranceMissing(),
    Unreachable(),
    RecordOverlap(),
    ChannelContradiction(),
    StatusContradiction(),
    MinorWorking(),
    PublicWelfareElderly(),
    HouseholdHead(),
    SharedPhone(),
    MonitoredNoMeasure(),
)
RULES_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}
RULE_CHOICES: list[tuple[str, str]] = [(rule.code, rule.title) for rule in RULES]


def rule_title(code: str) -> str:
    rule = RULES_BY_CODE.get(code)
    return rule.title if rule is not None else code


__all__ = [
    "HOUSEHOLD",
    "LABORER",
    "RECORD",
    "RULES",
    "RULES_BY_CODE",
    "RULE_CHOICES",
    "Finding",
    "Param",
    "Rule",
    "RuleContext",
    "rule_title",
]
