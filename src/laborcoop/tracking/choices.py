"""Code lists of follow-up work (design)."""

from django.db import models


class TaskKind(models.TextChoices):
    """What a follow-up task asks the home township to do."""

    CONTACT = "contact", "离岗联系"  # contact the person within N days of leaving a job
    UNEMPLOYMENT_REGISTRATION = "unemployment_reg", "失业登记"  # offer 失业登记 if they want it
    RETRAINING = "retraining", "转岗培训"  # offer retraining
    REFERRAL = "referral", "再就业推荐"  # refer new jobs (the matching recommendations)
    ROUTINE = "routine", "定期寻访"  # the follow-up plan's regular visit


class TaskStatus(models.TextChoices):
    OPEN = "open", "待办"
    DONE = "done", "已完成"
    CANCELLED = "cancelled", "已取消"


class ContactMethod(models.TextChoices):
    PHONE = "phone", "电话"
    WECHAT = "wechat", "微信"
    VISIT = "visit", "入户走访"


class ContactOutcome(models.TextChoices):
    """The result of one contact attempt. Only NOT_REACHED counts towards "unreachable"."""

    WORKING = "working", "联系上，在岗"
    NOT_WORKING = "not_working", "联系上，未就业"
    RETURNED = "returned", "联系上，已返乡"
    NOT_REACHED = "not_reached", "未联系上"


class NoticeStatus(models.TextChoices):
    """A destination notice (去向通报) from the output side to the input side."""

    SENT = "sent", "待确认"
    CONFIRMED = "confirmed", "已确认到岗"
    NOT_ARRIVED = "not_arrived", "未到岗"
