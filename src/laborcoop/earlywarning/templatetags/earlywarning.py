from datetime import date

from django import template

from laborcoop.earlywarning.models import EarlyWarning
from laborcoop.earlywarning.rules import rule_title as _rule_title
from laborcoop.earlywarning.selectors import age_days

register = template.Library()

SEVERITY_BADGES = {"high": "err", "medium": "warn", "low": ""}


@register.filter
def rule_title(code: str) -> str:
    return _rule_title(code)


@register.filter
def age_in_days(warning: EarlyWarning, today: date) -> int:
    return age_days(warning, today)


@register.filter
def severity_badge(severity: str) -> str:
    return SEVERITY_BADGES.get(severity, "")


@register.filter
def is_overdue(warning: EarlyWarning, today: date) -> bool:
    return warning.status == "open" and warning.due_date is not None and warning.due_date < today
