"""Recommendations (a laborer proposed for a job) and the log of their state changes."""

from typing import Any

from django.conf import settings
from django.db import models

from laborcoop.core.models import BaseModel
from laborcoop.matching.choices import InterviewMode, RecSource, RecState, RecVia


class Recommendation(BaseModel):
    """One (job, laborer) pair proposed by the engine and followed through to a hire.

    `region` is the laborer's home village, copied so that staff scope filters need no join (enterprise users
    reach rows through `job__enterprise`). `factors` is the engine's breakdown as stored at the last run:
    [{key, label, points, explanation}], whose points add up to `score`.
    """

    job = models.ForeignKey(
        "employers.JobPosting", verbose_name="岗位", on_delete=models.CASCADE, related_name="recommendations"
    )
    laborer = models.ForeignKey(
        "registry.Laborer", verbose_name="劳动者", on_delete=models.CASCADE, related_name="recommendations"
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name="劳动者所在村",
        on_delete=models.PROTECT,
        db_column="region_code",
        related_name="+",
        db_index=False,  # covered by rec_region_idx
    )
    score = models.DecimalField("匹配得分", max_digits=7, decimal_places=2)
    factors: models.JSONField[list[dict[str, Any]]] = models.JSONField("得分构成", default=list)
    state = models.CharField("状态", max_length=12, choices=RecState.choices, default=RecState.RECOMMENDED)
    source = models.CharField("来源", max_length=8, choices=RecSource.choices, default=RecSource.JOB)
    decline_reason = models.CharField("无意向原因", max_length=200, blank=True)
    interview_at = models.DateTimeField("面试时间", null=True, blank=True)
    interview_mode = models.CharField("面试方式", max_length=8, choices=InterviewMode.choices, blank=True)
    interview_place = models.CharField("面试地点", max_length=200, blank=True)  # or the app / number when online
    interview_note = models.CharField("面试说明", max_length=200, blank=True)  # e.g. what to bring, whom to ask for
    result_note = models.CharField("结果说明", max_length=200, blank=True)
    hire_date = models.DateField("录用/上岗日期", null=True, blank=True)
    notified_at = models.DateTimeField("通知时间", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    # The last batch run (mode 3) that proposed this pair: set on new rows and on existing rows the run
    # proposes again (their state is kept), so a run's page counts what became of its own proposals.
    run = models.ForeignKey(
        "matching.MatchingRun",
        verbose_name="批量匹配",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendations",
    )
    # The employment record created when the laborer started work (已上岗).
    employment_record = models.OneToOneField(
        "employment.EmploymentRecord",
        verbose_name="就业记录",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendation",
    )

    class Meta:
        verbose_name = "推荐"
        verbose_name_plural = "推荐"
        ordering = ["-score", "id"]
        constraints = [models.UniqueConstraint(fields=["job", "laborer"], name="rec_job_laborer_unique")]
        indexes = [
            models.Index(fields=["job", "state", "score"], name="rec_job_pipeline_idx"),
            models.Index(fields=["laborer", "state", "score"], name="rec_laborer_pipeline_idx"),
            models.Index(fields=["region", "state"], name="rec_region_idx"),
            models.Index(fields=["created_at"], name="rec_created_idx"),  # new candidates sent (warm index)
        ]

    def __str__(self) -> str:
        return f"推荐 {self.job_id} / {self.laborer_id}"


class RecommendationEvent(models.Model):
    """One state change of a recommendation (also written to the audit trail)."""

    recommendation = models.ForeignKey(
        Recommendation, verbose_name="推荐", on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField("时间", auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL
    )
    via = models.CharField("渠道", max_length=12, choices=RecVia.choices)
    from_state = models.CharField("原状态", max_length=12, choices=RecState.choices, blank=True)
    to_state = models.CharField("新状态", max_length=12, choices=RecState.choices)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "推荐状态变更"
        verbose_name_plural = "推荐状态变更"
        ordering = ["recommendation_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.from_state} -> {self.to_state}"


class MatchingWeights(BaseModel):
    """The points of each score factor in one province, set by a provincial admin (engine.factors.Weights).

    `values` maps factor names to non-negative numbers; a missing name takes the engine's default.
    `version` guards against two admins saving over each other."""

    province = models.OneToOneField(
        "regions.Region",
        verbose_name="省份",
        on_delete=models.PROTECT,
        db_column="province_code",
        related_name="+",
    )
    values: models.JSONField[dict[str, float]] = models.JSONField("权重", default=dict)
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
        verbose_name = "匹配权重"
        verbose_name_plural = "匹配权重"

    def __str__(self) -> str:
        return f"匹配权重 {self.province_id}"


class MatchingRun(BaseModel):
    """One batch allocation (mode 3) over the subtree of the user who started it: the laborers of `region`'s
    subtree against every open, valid job, each laborer to at most one job and no job beyond its openings.
    Runs as a background task; `progress` and the counts are filled in as it goes."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"  # created, the task is waiting for a worker
        RUNNING = "running", "运行中"  # the task is allocating
        SUCCEEDED = "succeeded", "已完成"  # assignments stored as 推荐 rows
        FAILED = "failed", "失败"  # see `error`; nothing partial is stored

    region = models.ForeignKey(
        "regions.Region",
        verbose_name="范围",
        on_delete=models.PROTECT,
        db_column="region_code",
        related_name="+",
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    include_employed = models.BooleanField("包括已就业人员", default=False)
    include_unreachable = models.BooleanField("包括失联人员", default=False)
    laborers_considered = models.PositiveIntegerField("参与劳动者", default=0)
    jobs_considered = models.PositiveIntegerField("参与岗位", default=0)
    openings = models.PositiveIntegerField("岗位空缺", default=0)
    assigned = models.PositiveIntegerField("分配人数", default=0)
    filled_percent = models.DecimalField("空缺填充率（%）", max_digits=5, decimal_places=1, default=0)
    error = models.TextField("错误", blank=True)  # for the user: Chinese, never an exception's text
    error_detail = models.TextField("错误详情（管理员）", blank=True)  # the exception, for admins only
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "批量匹配"
        verbose_name_plural = "批量匹配"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"批量匹配 {self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)
