"""Comparisons with other departments' lists (数据比对) are rows: the uploaded list, its column mapping, the
run's status and progress, and the review: every uploaded record, every match or unmatched person, and the
changes proposed to the registry with the staff's decision on each.

Clear ID numbers of an uploaded list are never stored: its records keep the keyed hash (to match the
registry's `id_number_hash`) and the masked form. The uploaded file itself is kept like an import's file.
"""

from typing import Any

from django.conf import settings
from django.db import models

from laborcoop.core.models import BaseModel
from laborcoop.core.uploads import RetainedUpload

# Labels of the engine's compared fields (engine.COMPARED_FIELDS) for the review pages.
FIELD_LABELS = {
    "id_number": "证件号码",
    "name": "姓名",
    "name_pinyin": "姓名拼音",
    "birth_date": "出生日期",
    "sex": "性别",
    "village_code": "所在村",
    "county_code": "所在县",
    "phone": "手机号",
}


class Level(models.TextChoices):
    """How sure a match is (`linkage.confidence`): only 高可信 ones are accepted without review."""

    HIGH = "high", "高可信"
    MEDIUM = "medium", "中可信"
    LOW = "low", "低可信"


class Department(models.TextChoices):
    """Which department's list it is and so what it means for the registry."""

    POVERTY = "poverty", "乡村振兴部门：防返贫监测名单"  # corrections of name, sex, birth date, village
    HOUSEHOLD_REG = "household_reg", "公安：户籍信息（在世 / 死亡 / 迁出）"  # deceased / moved flags
    SOCIAL_INSURANCE = "social_insurance", "人社：社保参保名单（就业佐证）"  # employed + employer
    UNEMPLOYMENT = "unemployment", "人社：失业登记名单"  # unemployed
    DIBAO = "dibao", "民政：低保名单"  # evidence only


class Comparison(RetainedUpload, BaseModel):
    class Status(models.TextChoices):
        MAPPING = "mapping", "待确认列"  # uploaded and auto-mapped; waits for the user to confirm the columns
        QUEUED = "queued", "排队中"  # mapping confirmed and the task enqueued; no worker has picked it up
        RUNNING = "running", "比对中"  # a worker reads the list and links it; `progress` grows by phase
        SUCCEEDED = "succeeded", "已完成"  # results stored and open for review
        FAILED = "failed", "失败"  # the file could not be read or the run broke; `error` says why

    department = models.CharField("名单来源", max_length=20, choices=Department.choices)
    original_name = models.CharField("文件名", max_length=255)
    file = models.FileField("文件", upload_to="comparisons/%Y/%m/", max_length=255)
    sha256 = models.CharField("文件摘要（SHA-256）", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="comparisons",
    )
    # The uploader's home region: "ours" is the registry in its subtree; users whose scope holds it see it.
    region = models.ForeignKey(
        "regions.Region",
        verbose_name="比对区域",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_column="region_code",
        related_name="+",
        db_index=False,  # covered by comparison_region_idx
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.MAPPING)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    phase = models.CharField("当前步骤", max_length=40, blank=True)
    sheet = models.CharField("工作表", max_length=100, blank=True)
    header_row = models.PositiveIntegerField("表头所在行", null=True, blank=True)
    headers: models.JSONField[list[str]] = models.JSONField("表头", default=list, blank=True)
    # Target field key -> column index in `headers`.
    mapping: models.JSONField[dict[str, int]] = models.JSONField("列对应关系", default=dict, blank=True)
    # The engine's cut-off for a match without an equal ID (technical: not shown on the officers' pages).
    threshold = models.FloatField("比对模型判定下限", default=0.9)
    rows_total = models.PositiveIntegerField("名单行数", default=0)
    rows_id_damaged = models.PositiveIntegerField("证件号损坏行数", default=0)
    ours_total = models.PositiveIntegerField("本库人数", default=0)
    matched_count = models.PositiveIntegerField("匹配", default=0)
    conflict_count = models.PositiveIntegerField("有不一致字段", default=0)
    review_count = models.PositiveIntegerField("需核实的匹配", default=0)  # matches below 高可信
    only_ours_count = models.PositiveIntegerField("仅本库有", default=0)
    only_theirs_count = models.PositiveIntegerField("仅对方有", default=0)
    changes_count = models.PositiveIntegerField("建议变更", default=0)
    error = models.TextField("错误信息", blank=True)
    note = models.CharField("说明", max_length=200, blank=True)  # e.g. the run fell back to the ID pass only
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "数据比对"
        verbose_name_plural = "数据比对"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["region", "-created_at"], name="comparison_region_idx"),
            models.Index(fields=["status", "created_at"], name="comparison_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_department_display()}：{self.original_name}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def high_count(self) -> int:
        """Matches accepted without review (高可信)."""
        return max(self.matched_count - self.review_count, 0)


class TheirRecord(models.Model):
    """One data row of the uploaded list, normalised; the ID only as keyed hash and masked form."""

    comparison = models.ForeignKey(Comparison, verbose_name="数据比对", on_delete=models.CASCADE, related_name="+")
    row = models.PositiveIntegerField("行号")
    name = models.CharField("姓名", max_length=50, blank=True)
    id_hash = models.CharField("证件号码（检索摘要）", max_length=64, blank=True)
    id_masked = models.CharField("证件号码（脱敏）", max_length=22, blank=True)
    id_problem = models.CharField("证件号码问题", max_length=100, blank=True)
    sex = models.CharField("性别", max_length=1, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    village_code = models.CharField("村代码", max_length=12, blank=True)
    village_name = models.CharField("村名", max_length=50, blank=True)
    # A mobile number on the list: only its keyed hash (to compare with the registry's) and masked form.
    phone_hash = models.CharField("手机号（检索摘要）", max_length=64, blank=True)
    phone_masked = models.CharField("手机号（脱敏）", max_length=20, blank=True)
    # Meaning-specific values by column key (状态, 死亡日期, 参保单位, 登记日期, 低保起始 ...), as text.
    extra: models.JSONField[dict[str, Any]] = models.JSONField("其他信息", default=dict, blank=True)

    class Meta:
        verbose_name = "对方名单记录"
        verbose_name_plural = "对方名单记录"
        ordering = ["comparison", "row", "id"]
        indexes = [models.Index(fields=["comparison", "row"], name="theirrecord_cmp_row_idx")]

    def __str__(self) -> str:
        return f"第 {self.row} 行：{self.name}"


class ComparisonEntry(models.Model):
    """One line of the result: a matched pair, a registry person not on the list, or a listed person not in
    the registry."""

    class Kind(models.TextChoices):
        MATCHED = "matched", "已匹配"
        ONLY_OURS = "only_ours", "仅本库有"
        ONLY_THEIRS = "only_theirs", "仅对方有"

    comparison = models.ForeignKey(Comparison, verbose_name="数据比对", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("类别", max_length=12, choices=Kind.choices)
    laborer = models.ForeignKey(
        "registry.Laborer", verbose_name="本库人员", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    their = models.ForeignKey(
        TheirRecord, verbose_name="对方记录", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    probability = models.FloatField("匹配概率", null=True, blank=True)  # technical; officers see `level`
    method = models.CharField("匹配方式", max_length=10, blank=True)  # "id" or "splink"
    level = models.CharField("可信度", max_length=6, choices=Level.choices, blank=True)
    # Plain reasons of the level: ["身份证号一致"], ["姓名相同", "出生日期相同", "同村"], ...
    reasons: models.JSONField[list[str]] = models.JSONField("判断依据", default=list, blank=True)
    agreeing: models.JSONField[list[str]] = models.JSONField("一致字段", default=list, blank=True)
    # [{"field": ..., "label": ..., "ours": ..., "theirs": ...}], personal values masked.
    conflicts: models.JSONField[list[dict[str, str]]] = models.JSONField("不一致字段", default=list, blank=True)
    has_conflicts = models.BooleanField("有不一致", default=False)
    # What the list says that is kept as evidence only (低保起始, 参保险种 ...): {label: value}.
    evidence: models.JSONField[dict[str, str]] = models.JSONField("佐证信息", default=dict, blank=True)

    class Meta:
        verbose_name = "比对结果"
        verbose_name_plural = "比对结果"
        ordering = ["comparison", "kind", "id"]
        indexes = [
            models.Index(fields=["comparison", "kind", "id"], name="cmpentry_kind_idx"),
            models.Index(fields=["comparison", "has_conflicts", "id"], name="cmpentry_conflict_idx"),
            models.Index(fields=["comparison", "level", "id"], name="cmpentry_level_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def agreeing_labels(self) -> list[str]:
        return [FIELD_LABELS.get(name, name) for name in self.agreeing]

    @property
    def method_label(self) -> str:
        return {"id": "证件号码一致", "splink": "按姓名、出生日期等判断"}.get(self.method, self.method)

    @property
    def needs_review(self) -> bool:
        return self.kind == self.Kind.MATCHED and self.level != Level.HIGH

    @property
    def reasons_text(self) -> str:
        return "、".join(self.reasons)


class ProposedChange(models.Model):
    """A change to one laborer that the list suggests; applied through the registry services only when a
    staff member accepts it."""

    class Field(models.TextChoices):
        NAME = "name", "姓名"
        SEX = "sex", "性别"
        BIRTH_DATE = "birth_date", "出生日期"
        VILLAGE = "village", "所在村"
        VITAL_STATUS = "vital_status", "户籍状态"
        EMPLOYMENT_STATUS = "employment_status", "就业状态"
        EMPLOYER_NAME = "employer_name", "务工单位"
        INSURANCE_MONTHS = "insurance_months", "参保缴费"  # 社保参保 list: InsuranceMonth rows of a month
        EMPLOYMENT_END = "employment_end", "结束就业"  # 社保参保 list shows insurance stopped (推断：社保停缴)

    class Status(models.TextChoices):
        PENDING = "pending", "待审核"  # nobody decided yet
        ACCEPTED = "accepted", "已接受"  # accepted; applied through the registry service when `applies`
        REJECTED = "rejected", "已拒绝"  # rejected; the registry is unchanged

    comparison = models.ForeignKey(Comparison, verbose_name="数据比对", on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey(
        ComparisonEntry, verbose_name="比对结果", on_delete=models.CASCADE, related_name="changes"
    )
    laborer = models.ForeignKey(
        "registry.Laborer", verbose_name="人员", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    field = models.CharField("字段", max_length=20, choices=Field.choices)
    ours_display = models.CharField("本库值", max_length=200, blank=True)
    theirs_display = models.CharField("对方值", max_length=200, blank=True)
    # The value written on acceptance: {"value": ..., "date": ..., ...}.
    new_value: models.JSONField[dict[str, Any]] = models.JSONField("新值", default=dict)
    # False: review only (sex and birth date follow the ID number; a village is a household move).
    applies = models.BooleanField("接受后自动更新", default=True)
    confidence = models.FloatField("匹配概率")  # the match's probability (technical); officers see entry.level
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    note = models.CharField("备注", max_length=500, blank=True)

    class Meta:
        verbose_name = "建议变更"
        verbose_name_plural = "建议变更"
        ordering = ["comparison", "-confidence", "id"]
        indexes = [models.Index(fields=["comparison", "status", "confidence"], name="cmpchange_status_idx")]

    def __str__(self) -> str:
        return f"{self.get_field_display()}：{self.ours_display} → {self.theirs_display}"
