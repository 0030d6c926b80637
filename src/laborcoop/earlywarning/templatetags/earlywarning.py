from datetime import date

from django import template

from laborcoop.earlywarning.choices import Severity
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
def age_text(warning: EarlyWarning, today: date) -> str:
    """How long the warning has been raised: 今天 on its first day (never "0 天")."""
    days = age_days(warning, today)
    return "今天" if days <= 0 else f"{days} 天"


@register.filter
def raised_text(warning: EarlyWarning, today: date) -> str:
    days = age_days(warning, today)
    return "今天新增" if days <= 0 else f"已预警 {days} 天"


@register.filter
def overdue_text(warning: EarlyWarning, today: date) -> str:
    """How long an open warning is past its due date: 逾期 N 天."""
    if warning.due_date is None:
        return ""
    return f"逾期 {max((today - warning.due_date).days, 1)} 天"


@register.filter
def severity_label(severity: str) -> str:
    return str(Severity(severity).label) if severity in Severity.values else severity


@register.filter
def severity_badge(severity: str) -> str:
    return SEVERITY_BADGES.get(severity, "")


@register.filter
def is_overdue(warning: EarlyWarning, today: date) -> bool:
    return warning.status == "open" and warning.due_date is not None and warning.due_date < today
