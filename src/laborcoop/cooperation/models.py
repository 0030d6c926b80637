"""Labor-cooperation agreements (劳务协作协议) between an output region (where people come from) and an input
region (where the jobs are), at province, prefecture or county level."""

from datetime import date

from django.conf import settings
from django.db import models

from laborcoop.core.models import BaseModel
from laborcoop.regions.names import short_region_name


class AgreementStatus(models.TextChoices):
    PENDING = "pending", "待对方确认"
    ACTIVE = "active", "生效"
    TERMINATED = "terminated", "已终止"


EXPIRED_LABEL = "已到期"


class CooperationField(models.TextChoices):
    LABOR_EXPORT = "labor_export", "劳务输出"
    TRAINING = "training", "职业培训"
    JOBS = "jobs", "岗位提供"
    STATION = "station", "劳务工作站"
    INDUSTRY = "industry", "产业合作"
    RIGHTS = "rights", "权益维护"


class Side(models.TextChoices):
    OUTPUT = "output", "输出地"
    INPUT = "input", "输入地"


def common_region_name(name: str) -> str:
    """The name officers write: 湘西土家族苗族自治州 -> 湘西州; 济南市, 湖南省 stay as they are."""
    if name.endswith("自治州"):
        return short_region_name(name) + "州"
    return name


class Agreement(BaseModel):
    output_region = models.ForeignKey(
        "regions.Region",
        verbose_name="输出地",
        on_delete=models.PROTECT,
        db_column="output_region_code",
        related_name="+",
    )
    input_region = models.ForeignKey(
        "regions.Region",
        verbose_name="输入地",
        on_delete=models.PROTECT,
        db_column="input_region_code",
        related_name="+",
    )
    title = models.CharField("协议名称", max_length=100, blank=True)
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    fields = models.JSONField("合作领域", default=list)
    target_transfer = models.PositiveIntegerField("年度转移就业目标（人）", default=0)
    target_training = models.PositiveIntegerField("年度培训目标（人）", default=0)
    target_jobs = models.PositiveIntegerField("年度提供岗位目标（个）", default=0)
    output_subsidy = models.TextField("输出地补贴政策", blank=True)
    input_subsidy = models.TextField("输入地补贴政策", blank=True)
    output_contact_name = models.CharField("输出地联系人", max_length=30, blank=True)
    output_contact_phone = models.CharField("输出地联系电话", max_length=20, blank=True)
    input_contact_name = models.CharField("输入地联系人", max_length=30, blank=True)
    input_contact_phone = models.CharField("输入地联系电话", max_length=20, blank=True)
    status = models.CharField("状态", max_length=12, choices=AgreementStatus.choices, default=AgreementStatus.PENDING)
    proposed_side = models.CharField("发起方", max_length=8, choices=Side.choices)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    terminated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="终止人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    terminated_at = models.DateTimeField("终止时间", null=True, blank=True)
    terminate_reason = models.CharField("终止原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "劳务协作协议"
        verbose_name_plural = "劳务协作协议"
        ordering = ["-start_date", "pk"]
        indexes = [
            models.Index(fields=["output_region"], name="agreement_output_idx"),
            models.Index(fields=["input_region"], name="agreement_input_idx"),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        inp, out = common_region_name(self.input_region.name), common_region_name(self.output_region.name)
        return self.title or f"{inp}—{out}劳务协作协议"

    @property
    def pair_label(self) -> str:
        """How matching explains the agreement: '济南市与湘西州有劳务协作协议'."""
        inp, out = common_region_name(self.input_region.name), common_region_name(self.output_region.name)
        return f"{inp}与{out}有劳务协作协议"

    def state_label(self, today: date | None = None) -> str:
        if self.status == AgreementStatus.ACTIVE and self.end_date < (today or date.today()):
            return EXPIRED_LABEL
        return self.get_status_display()

    def in_force(self, today: date) -> bool:
        return self.status == AgreementStatus.ACTIVE and self.start_date <= today <= self.end_date

    def field_labels(self) -> list[str]:
        labels = dict(CooperationField.choices)
        return [labels.get(f, f) for f in self.fields]
