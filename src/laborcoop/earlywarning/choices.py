"""Code lists of early warnings (design)."""

from django.db import models


class Severity(models.TextChoices):
    HIGH = "high", "高"
    MEDIUM = "medium", "中"
    LOW = "low", "低"


class WarningStatus(models.TextChoices):
    """OPEN, HANDLED and DISMISSED are set by people; RESOLVED by the engine when the condition no longer holds
    (a later recurrence opens a new warning)."""

    OPEN = "open", "待处理"
    HANDLED = "handled", "已处理"
    DISMISSED = "dismissed", "已忽略"
    RESOLVED = "resolved", "已消除"


LIVE_STATUSES = (WarningStatus.OPEN, WarningStatus.HANDLED, WarningStatus.DISMISSED)
