from django.conf import settings
from django.db import models
from django.db.models import F, Q

from laborcoop.core.models import BaseModel
from laborcoop.employers.choices import Industry
from laborcoop.employment import choices as c
from laborcoop.registry.choices import WorkArea

WAGE_MIN = 100
WAGE_MAX = 30_000


class EmploymentRecord(BaseModel):
    """One job of one laborer: the source of the employment trajectory (就业轨迹), of the wage and
    social-insurance lines of tracking and of the early warnings built on them.

    Two regions are stored so that both sides of labor cooperation filter on an indexed code column:
    - `region` is the laborer's home village (the responsible, output region; copied from the laborer);
    - `work_region` is the county where the work is done (the input region), from which `work_area`
      (县内 / 省内县外 / 省外) is derived against the laborer's home county.
    `end_date` null means the job is ongoing; at most one ongoing record per laborer, and the periods of one
    laborer never overlap (checked by the services; the open-record rule also by the database).
    """

    laborer = models.ForeignKey(
        "registry.Laborer", verbose_name="人员", on_delete=models.PROTECT, related_name="employment_records"
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name="户籍所在村",
        on_delete=models.PROTECT,
        db_column="region_code",
        related_name="+",
        db_index=False,  # covered by employment_region_idx
    )
    enterprise = models.ForeignKey(
        "employers.Enterprise",
        verbose_name="用工企业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="employment_records",
    )
    employer_name = models.CharField("务工企业名称", max_length=100, blank=True)
    job = models.ForeignKey(
        "employers.JobPosting",
        verbose_name="岗位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="employment_records",
    )
    start_date = models.DateField("开始时间")
    end_date = models.DateField("结束时间", null=True, blank=True)
    end_reason = models.CharField("结束原因", max_length=20, choices=c.EndReason.choices, blank=True)
    work_region = models.ForeignKey(
        "regions.Region",
        verbose_name="务工所在县",
        on_delete=models.PROTECT,
        db_column="work_region_code",
        related_name="+",
        db_index=False,  # covered by employment_work_region_idx
    )
    work_area = models.CharField("务工地域", max_length=2, choices=WorkArea.choices)
    industry = models.CharField("所属行业", max_length=1, choices=Industry.choices, blank=True)
    monthly_wage = models.PositiveIntegerField("务工月收入（元）", null=True, blank=True)
    contract_signed = models.BooleanField("签订劳动合同", null=True, blank=True)
    contract_term = models.CharField("合同期限类型", max_length=12, choices=c.ContractTerm.choices, blank=True)
    insurance_types: models.JSONField[list[str]] = models.JSONField("参加社会保险", default=list, blank=True)
    insured_from = models.DateField("参保起始日期", null=True, blank=True)
    channel = models.CharField("就业渠道", max_length=10, choices=c.Channel.choices, blank=True)
    point_to_point = models.BooleanField("是否点对点输送", null=True, blank=True)
    transport_subsidy = models.PositiveIntegerField("年度交通费补助（元）", null=True, blank=True)
    source = models.CharField("来源", max_length=12, choices=c.Source.choices, default=c.Source.OFFICER)
    warnings: models.JSONField[dict[str, list[str]]] = models.JSONField("校验提示", default=dict, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "就业记录"
        verbose_name_plural = "就业记录"
        ordering = ["-start_date", "-id"]
        indexes = [
            # Output side: records of a region subtree, newest first (a code range, then the order, one index).
            models.Index(fields=["region", "-start_date", "-id"], name="employment_region_idx"),
            # Input side: records of people working in a region subtree.
            models.Index(fields=["work_region", "-start_date", "-id"], name="employment_work_region_idx"),
            # Per-laborer trajectory, overlap checks and the import's natural key (laborer, start_date).
            models.Index(fields=["laborer", "start_date"], name="employment_laborer_idx"),
            # Statistics and warnings: ongoing jobs by area and channel within a region.
            models.Index(fields=["region", "end_date", "work_area"], name="employment_stats_idx"),
            # The record list sorted by start date (core.sorting): a province's first page without sorting it all.
            models.Index(fields=["start_date", "id"], name="employment_start_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["laborer", "start_date"], name="employment_laborer_start_unique"),
            models.UniqueConstraint(
                fields=["laborer"], condition=Q(end_date__isnull=True), name="employment_one_open_per_laborer"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")), name="employment_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(monthly_wage__isnull=True) | Q(monthly_wage__gte=WAGE_MIN, monthly_wage__lte=WAGE_MAX),
                name="employment_wage_range",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=False) | Q(end_reason=""), name="employment_reason_only_when_ended"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employer_name or '务工'}（{self.start_date:%Y-%m-%d} 起）"

    @property
    def is_ongoing(self) -> bool:
        return self.end_date is None


class WageMonth(BaseModel):
    """One month's wage of one job (工资发放), reported by the enterprise, typed in by staff or imported.

    `month` is the first day of the month. `region` is the laborer's home village (copied, like the record's)
    so that the wage line is filtered by scope without a join."""

    record = models.ForeignKey(
        EmploymentRecord, verbose_name="就业记录", on_delete=models.CASCADE, related_name="wages"
    )
    laborer = models.ForeignKey("registry.Laborer", verbose_name="人员", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(
        "regions.Region",
        verbose_name="户籍所在村",
        on_delete=models.PROTECT,
        db_column="region_code",
        related_name="+",
        db_index=False,  # covered by wage_region_month_idx
    )
    month = models.DateField("月份")
    amount = models.PositiveIntegerField("实发工资（元）")
    paid_on = models.DateField("发放日期", null=True, blank=True)
    source = models.CharField("来源", max_length=12, choices=c.LineSource.choices, default=c.LineSource.OFFICER)

    class Meta:
        verbose_name = "工资发放"
        verbose_name_plural = "工资发放"
        ordering = ["record_id", "month"]
        constraints = [
            models.UniqueConstraint(fields=["record", "month"], name="wage_record_month_unique"),
            models.CheckConstraint(condition=Q(amount__gte=WAGE_MIN, amount__lte=WAGE_MAX), name="wage_amount_range"),
        ]
        indexes = [
            models.Index(fields=["laborer", "month"], name="wage_laborer_month_idx"),
            models.Index(fields=["region", "month"], name="wage_region_month_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.amount}元"


class InsuranceMonth(BaseModel):
    """One month of one social-insurance type paid for a laborer (参保缴费), from an enterprise report, staff,
    an import or a 人社 社保参保 list compared with the registry. `record` is the job it belongs to when known."""

    laborer = models.ForeignKey("registry.Laborer", verbose_name="人员", on_delete=models.PROTECT, related_name="+")
    record = models.ForeignKey(
        EmploymentRecord,
        verbose_name="就业记录",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="insurance_months",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name="户籍所在村",
        on_delete=models.PROTECT,
        db_column="region_code",
        related_name="+",
        db_index=False,  # covered by insurance_region_month_idx
    )
    month = models.DateField("月份")
    insurance_type = models.CharField("险种", max_length=12, choices=c.InsuranceType.choices)
    source = models.CharField("来源", max_length=12, choices=c.LineSource.choices, default=c.LineSource.OFFICER)

    class Meta:
        verbose_name = "参保缴费"
        verbose_name_plural = "参保缴费"
        ordering = ["laborer_id", "month", "insurance_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["laborer", "month", "insurance_type"], name="insurance_laborer_month_type_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["region", "month"], name="insurance_region_month_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.insurance_type}"


class EmploymentState(models.Model):
    """The derived employment status of one laborer (就业状态), recomputed by the services whenever a record,
    wage or insurance month changes and by the nightly run: the basis for subsidies and warnings.

    `since` is when the current status began (start of the employed spell, end of the last job, ...);
    `stable_months` the whole months of the current continuous spell."""

    laborer = models.OneToOneField(
        "registry.Laborer", verbose_name="人员", on_delete=models.CASCADE, primary_key=True, related_name="track"
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name="户籍所在村",
        on_delete=models.PROTECT,
        db_column="region_code",
        related_name="+",
        db_index=False,  # covered by track_region_status_idx
    )
    status = models.CharField("就业状态", max_length=10, choices=c.TrackStatus.choices)
    since = models.DateField("起始日期", null=True, blank=True)
    stable_months = models.PositiveSmallIntegerField("连续就业月数", default=0)
    last_end_date = models.DateField("最近离岗日期", null=True, blank=True)
    last_end_reason = models.CharField("最近离岗原因", max_length=20, choices=c.EndReason.choices, blank=True)
    last_work_area = models.CharField("最近务工地域", max_length=2, choices=WorkArea.choices, blank=True)
    computed_at = models.DateTimeField("计算时间", auto_now=True)

    class Meta:
        verbose_name = "就业状态"
        verbose_name_plural = "就业状态"
        indexes = [models.Index(fields=["region", "status"], name="track_region_status_idx")]

    def __str__(self) -> str:
        return f"{self.laborer_id} {self.get_status_display()}"


class TrackingSettings(BaseModel):
    """Tracking thresholds of one province, set by its admin (defaults in tracking.settings.defaults):
    months of continuous insured, contracted work that count as stable, follow-up intervals, days to contact
    someone who left a job, failed contacts before a person is unreachable. `values` maps names to numbers;
    a missing name takes the default."""

    province = models.OneToOneField(
        "regions.Region",
        verbose_name="省份",
        on_delete=models.PROTECT,
        db_column="province_code",
        related_name="+",
    )
    values: models.JSONField[dict[str, int]] = models.JSONField("参数", default=dict)
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
        verbose_name = "跟踪参数"
        verbose_name_plural = "跟踪参数"

    def __str__(self) -> str:
        return f"跟踪参数 {self.province_id}"
