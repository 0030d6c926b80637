from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from laborcoop.core.models import BaseModel
from laborcoop.notifications.choices import RETRYABLE, Channel, Status
from laborcoop.notifications.message_templates import template_label


class Notification(BaseModel):
    """One outgoing message (the outbox row): who gets it, through which channel, and how delivery went.

    `dedupe_key` names the logical message ("rec:42:notified"); it is unique, so the same message is enqueued
    once however often the caller asks. An SMS or e-mail address is personal data: it is stored encrypted
    (`address_enc`, core.crypto) and shown only as `address_masked`. `context` never holds ID numbers (the
    enqueue service rejects them), and `last_error` holds our own short messages, never the gateway's reply.
    `region` is the region the message is about; the outbox page is scoped by it.
    """

    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收账号",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    address_enc = models.TextField("接收地址（加密）", blank=True)
    address_masked = models.CharField("接收地址", max_length=80, blank=True)
    template = models.CharField("消息模板", max_length=40)
    context: models.JSONField[dict[str, Any]] = models.JSONField("模板参数", default=dict, blank=True)
    subject = models.CharField("标题", max_length=200)
    body = models.TextField("内容")
    dedupe_key = models.CharField("去重键", max_length=200, unique=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name="所属区划",
        on_delete=models.PROTECT,
        db_column="region_code",
        related_name="+",
    )
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField("发送次数", default=0)
    next_attempt_at = models.DateTimeField("下次发送时间", null=True, blank=True)
    last_error = models.CharField("最近错误", max_length=200, blank=True)
    external_id = models.CharField("网关消息编号", max_length=100, blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    # The page the message is about (a site path such as "/tracking/notices/?q=..."): the inbox links to it.
    url = models.CharField("相关页面", max_length=300, blank=True)

    class Meta:
        verbose_name = "消息"
        verbose_name_plural = "消息"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notification_dispatch_idx"),
            models.Index(fields=["recipient_user", "status", "-created_at"], name="notification_inbox_idx"),
            models.Index(fields=["region", "-created_at"], name="notification_region_idx"),
        ]
        constraints = [
            # An in-app message belongs to an account; SMS and e-mail need an address.
            models.CheckConstraint(
                condition=~Q(channel=Channel.IN_APP) | Q(recipient_user__isnull=False),
                name="notification_in_app_has_user",
            ),
            models.CheckConstraint(
                condition=Q(channel=Channel.IN_APP) | ~Q(address_enc=""),
                name="notification_outbound_has_address",
            ),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="notification_channel_valid"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="notification_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}消息#{self.pk}"

    @property
    def template_label(self) -> str:
        return template_label(self.template)

    @property
    def is_unread(self) -> bool:
        return self.channel == Channel.IN_APP and self.status == Status.SENT

    @property
    def is_retryable(self) -> bool:
        return self.status in RETRYABLE

    @property
    def status_tone(self) -> str:
        """The badge colour of the status on the outbox page."""
        if self.status in (Status.SENT, Status.READ):
            return "ok"
        if self.status == Status.DEAD:
            return "err"
        if self.status in (Status.FAILED, Status.NO_GATEWAY):
            return "warn"
        return ""


class SendLimits(BaseModel):
    """How many messages automatic matching may send in one province (the rest stays 推荐 for staff to decide).

    `values` holds the numbers of notifications.limits.Limits by name; a missing name takes its default.
    `version` guards against two admins saving over each other."""

    province = models.OneToOneField(
        "regions.Region",
        verbose_name="省份",
        on_delete=models.PROTECT,
        db_column="province_code",
        related_name="+",
    )
    values: models.JSONField[dict[str, int]] = models.JSONField("限额", default=dict)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "消息发送限额"
        verbose_name_plural = "消息发送限额"
        ordering = ["province"]

    def __str__(self) -> str:
        return f"消息发送限额 {self.province_id}"
