from django.db import models
from django.utils import timezone

from laborcoop.core.codes import Education
from laborcoop.core.models import BaseModel
from laborcoop.employers import choices as c


class Enterprise(BaseModel):
    """An employer that posts jobs: in an output region (workshops, local firms) or an input region."""

    name = models.CharField("企业名称", max_length=100)
    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name="所在地区",
        on_delete=models.PROTECT,
        db_column="region_code",
        related_name="+",
        db_index=False,  # covered by enterprise_region_idx
    )
    industry = models.CharField("所属行业", max_length=1, choices=c.Industry.choices)
    size = models.CharField("企业规模", max_length=8, choices=c.EnterpriseSize.choices)
    contact_name = models.CharField("联系人", max_length=30)
    contact_phone = models.CharField("联系电话", max_length=20)
    address = models.CharField("地址", max_length=200, blank=True)
    is_assist_workshop = models.BooleanField("就业帮扶车间", default=False)
    is_assist_base = models.BooleanField("就业帮扶基地", default=False)
    description = models.TextField("企业简介", blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "企业"
        verbose_name_plural = "企业"
        ordering = ["region_id", "id"]
        indexes = [
            models.Index(fields=["region", "id"], name="enterprise_region_idx"),
            models.Index(fields=["name"], name="enterprise_name_idx"),
            models.Index(fields=["updated_at"], name="enterprise_updated_idx"),  # warm matching index
        ]

    def __str__(self) -> str:
        return self.name


class JobPosting(BaseModel):
    """A job an enterprise offers. `region` is the enterprise's region (who manages the posting);
    `work_region` is where the work is done (used for work-region willingness in matching)."""

    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="jobs")
    region = models.ForeignKey(
        "regions.Region",
        verbose_name="企业所在地区",
        on_delete=models.PROTECT,
        db_column="region_code",
        related_name="+",
        db_index=False,  # covered by job_region_idx
    )
    title = models.CharField("岗位名称", max_length=100)
    occupation = models.CharField("工种", max_length=50)
    openings = models.PositiveIntegerField("招聘人数")
    wage_min = models.PositiveIntegerField("月薪下限（元）")
    wage_max = models.PositiveIntegerField("月薪上限（元）")
    work_region = models.ForeignKey(
        "regions.Region",
        verbose_name="工作地点",
        on_delete=models.PROTECT,
        db_column="work_region_code",
        related_name="+",
    )
    age_min = models.PositiveSmallIntegerField("最低年龄", default=16)
    age_max = models.PositiveSmallIntegerField("最高年龄", default=60)
    sex_requirement = models.CharField(
        "性别要求", max_length=1, choices=c.SexRequirement.choices, blank=True, default=""
    )
    education_min = models.CharField("最低学历", max_length=10, choices=Education.choices, blank=True)
    provides_accommodation = models.BooleanField("提供住宿", default=False)
    provides_meals = models.BooleanField("提供餐食", default=False)
    is_low_threshold = models.BooleanField("低门槛岗位", default=False)
    valid_from = models.DateField("有效期起")
    valid_until = models.DateField("有效期止")
    status = models.CharField("状态", max_length=8, choices=c.JobStatus.choices, default=c.JobStatus.OPEN)
    description = models.TextField("岗位描述", blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "岗位"
        verbose_name_plural = "岗位"
        ordering = ["-valid_from", "-id"]
        indexes = [
            models.Index(fields=["region", "status", "valid_until"], name="job_region_idx"),
            models.Index(fields=["enterprise", "status"], name="job_enterprise_idx"),
            models.Index(fields=["updated_at"], name="job_updated_idx"),  # warm matching index
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(wage_min__lte=models.F("wage_max")), name="job_wage_range"),
            models.CheckConstraint(condition=models.Q(age_min__lte=models.F("age_max")), name="job_age_range"),
            models.CheckConstraint(
                condition=models.Q(valid_from__lte=models.F("valid_until")), name="job_validity_range"
            ),
            models.CheckConstraint(condition=models.Q(openings__gte=1), name="job_openings_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.enterprise_id}）"

    @property
    def shown_status(self) -> str:
        """The status as of today: a posting past its end date is 已过期 even before the nightly expiry
        (employers.services.job_postings_expire) has written it."""
        if self.status in c.EXPIRING_JOB_STATUSES and self.valid_until < timezone.localdate():
            return c.JobStatus.EXPIRED
        return self.status

    def get_status_display(self) -> str:  # type: ignore[no-redef]  # (django-stubs declares the generated one)
        """The label of `shown_status` (replaces Django's generated method: every page and export that shows
        the status shows 已过期 for a posting past its end date, never 招聘中)."""
        shown = self.shown_status
        return str(c.JobStatus(shown).label) if shown in c.JobStatus.values else shown
