"""Front-desk data: likely duplicate pairs and their review, merge records, and public employment service
contacts (walk-in and hotline lookups)."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from laborcoop.core.models import BaseModel


class DuplicatePair(BaseModel):
    """Two laborers who may be the same person, found by the duplicate scan, waiting for review.

    `laborer_a.id < laborer_b.id` always. The foreign keys carry no database constraint: after a merge the
    removed laborer's row is gone but the pair stays (status `merged`, shown through its MergeRecord), and an
    undo restores the laborer under the same id, which makes the pair whole again.
    `region_code` is the smallest region containing both laborers (the longest common level prefix padded to
    12 digits), so that scope is one range filter: a user sees a pair only if both people are in their subtree.
    """

    class Status(models.TextChoices):
        OPEN = "open", "待核实"  # found by a scan or a registration check, nobody has decided yet
        NOT_DUPLICATE = "not_duplicate", "不是同一人"  # reviewed: two people; scans never reopen it
        MERGED = "merged", "已合并"  # reviewed: one person; the removed record is kept in a MergeRecord

    laborer_a = models.ForeignKey(
        "registry.Laborer",
        verbose_name="人员甲",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,  # never set to NULL; nullable so that joins stay LEFT joins once one side was merged away
        related_name="+",
        db_index=False,  # covered by the unique (laborer_a, laborer_b) constraint
    )
    laborer_b = models.ForeignKey(
        "registry.Laborer",
        verbose_name="人员乙",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        db_index=False,  # covered by duppair_b_idx
    )
    score = models.FloatField("相似度")
    reasons: models.JSONField[list[str]] = models.JSONField("依据", default=list, blank=True)
    region_code = models.CharField("共同区划", max_length=12)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.OPEN)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="核实人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("核实时间", null=True, blank=True)
    note = models.CharField("备注", max_length=500, blank=True)

    class Meta:
        verbose_name = "疑似重复人员"
        verbose_name_plural = "疑似重复人员"
        ordering = ["-score", "id"]
        indexes = [
            # The queue: a scope range on region_code, one status, best matches first.
            models.Index(fields=["status", "region_code", "-score"], name="duppair_queue_idx"),
            models.Index(fields=["region_code"], name="duppair_region_idx"),
            models.Index(fields=["laborer_b", "status"], name="duppair_b_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["laborer_a", "laborer_b"], name="duppair_unique_pair"),
            models.CheckConstraint(condition=Q(laborer_a__lt=F("laborer_b")), name="duppair_a_before_b"),
        ]

    def __str__(self) -> str:
        return f"#{self.laborer_a_id} / #{self.laborer_b_id}（{self.get_status_display()}）"

    @property
    def reason_text(self) -> str:
        return "、".join(self.reasons or [])


class MergeRecord(BaseModel):
    """One merge of two laborer records, with everything needed to undo it.

    `removed_values` holds the removed laborer's field values (the ID only as ciphertext, hash and masked
    form, never in clear); `filled_fields` the kept record's fields that were empty and got the removed one's
    values ({field: [before, after]}); `moved` the ids of rows re-pointed from the removed to the kept record,
    by kind ("audit": AuditEntry ids, "contacts": ServiceContact ids, "pairs": other DuplicatePair rows
    of the removed laborer, stored as values because they were deleted).
    """

    pair = models.ForeignKey(
        DuplicatePair, verbose_name="疑似重复记录", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kept = models.ForeignKey(
        "registry.Laborer",
        verbose_name="保留人员",
        on_delete=models.DO_NOTHING,
        db_constraint=False,  # the record must outlive a later deletion of the kept laborer
        related_name="+",
    )
    removed_laborer_id = models.BigIntegerField("被合并人员编号")
    removed_values: models.JSONField[dict[str, Any]] = models.JSONField("被合并人员信息")
    filled_fields: models.JSONField[dict[str, Any]] = models.JSONField("补充的字段", default=dict, blank=True)
    moved: models.JSONField[dict[str, Any]] = models.JSONField("转移的记录", default=dict, blank=True)
    region_code = models.CharField("共同区划", max_length=12)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="合并人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_at = models.DateTimeField("合并时间")
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撤销人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    undone_at = models.DateTimeField("撤销时间", null=True, blank=True)

    class Meta:
        verbose_name = "人员合并记录"
        verbose_name_plural = "人员合并记录"
        ordering = ["-merged_at", "-id"]
        indexes = [models.Index(fields=["region_code", "merged_at"], name="merge_region_idx")]

    def __str__(self) -> str:
        return f"#{self.removed_laborer_id} → #{self.kept_id}"


class ServiceContact(BaseModel):
    """One public employment service contact (公共就业服务人次): a walk-in or hotline registry check.

    The clear ID number is never stored: only its keyed hash, when one was typed. `region_code` is the staff
    user's home region, so that contact counts and lists are scoped like the data.
    """

    class Channel(models.TextChoices):
        WINDOW = "window", "窗口"
        PHONE = "phone", "电话"
        VISIT = "visit", "上门"

    class Kind(models.TextChoices):
        REGISTRY_CHECK = "registry_check", "登记查询"

    class Outcome(models.TextChoices):
        FOUND = "found", "已在本辖区登记"  # the person was found within the staff user's scope
        ELSEWHERE = "elsewhere", "已在其他地区登记"  # the ID exists outside the scope (no details shown)
        NOT_FOUND = "not_found", "未登记"  # nobody matched

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="服务人员", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField("时间", auto_now_add=True)
    channel = models.CharField("渠道", max_length=8, choices=Channel.choices, default=Channel.WINDOW)
    kind = models.CharField("服务类型", max_length=20, choices=Kind.choices, default=Kind.REGISTRY_CHECK)
    outcome = models.CharField("结果", max_length=10, choices=Outcome.choices)
    matched_laborer = models.ForeignKey(
        "registry.Laborer",
        verbose_name="对应人员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    region_code = models.CharField("服务地区", max_length=12, blank=True)
    id_number_hash = models.CharField("证件号码（检索摘要）", max_length=64, blank=True)
    name = models.CharField("查询姓名", max_length=50, blank=True)
    birth_date = models.DateField("查询出生日期", null=True, blank=True)
    note = models.CharField("备注", max_length=500, blank=True)  # what the caller asked and was told

    class Meta:
        verbose_name = "公共就业服务记录"
        verbose_name_plural = "公共就业服务记录"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["region_code", "at"], name="contact_region_idx"),
            models.Index(fields=["matched_laborer", "at"], name="contact_laborer_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"
