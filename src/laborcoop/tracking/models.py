"""Follow-up work (跟踪寻访) and destination notices (去向通报).

Every row carries `region`: the laborer's home village (the responsible, output side), so the township's task
lists are a code-range filter; a destination notice also carries `work_region` (the input side's county)."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from laborcoop.core.models import BaseModel
from laborcoop.tracking import choices as c


def _home_region(related_name: str = "+") -> Any:
    return models.ForeignKey(
        "regions.Region",
        verbose_name="户籍所在村",
        on_delete=models.PROTECT,
        db_column="region_code",
        related_name=related_name,
        db_index=False,  # covered by each model's region index
    )


class FollowUpTask(BaseModel):
    """Something the home township must do for one laborer by `due_date`: contact after leaving a job, offer
    失业登记 or 转岗培训, refer new jobs, or a routine follow-up of the plan.

    A job ending creates one set of tasks keyed by (`record`, `kind`): ending, re-opening and ending the same
    record again never duplicates them."""

    laborer = models.ForeignKey(
        "registry.Laborer",
        verbose_name="人员",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # covered by task_laborer_status_idx (fewer indexes: the plan inserts tasks in bulk)
    )
    region = _home_region()
    kind = models.CharField("任务类型", max_length=16, choices=c.TaskKind.choices)
    record = models.ForeignKey(
        "employment.EmploymentRecord",
        verbose_name="离岗的就业记录",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # covered by task_record_kind_unique (every non-null record_id is in it)
    )
    due_date = models.DateField("截止日期")
    status = models.CharField("状态", max_length=10, choices=c.TaskStatus.choices, default=c.TaskStatus.OPEN)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="负责人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    done_at = models.DateTimeField("完成时间", null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="完成人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField("说明", max_length=200, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "跟踪任务"
        verbose_name_plural = "跟踪任务"
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["record", "kind"], condition=Q(record__isnull=False), name="task_record_kind_unique"
            ),
            # The follow-up plan keeps at most one open routine task per laborer (a second nightly run, or two
            # at once, adds nothing).
            models.UniqueConstraint(
                fields=["laborer"],
                condition=Q(kind=c.TaskKind.ROUTINE, status=c.TaskStatus.OPEN),
                name="task_one_open_routine",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "status", "due_date"], name="task_region_status_idx"),
            models.Index(fields=["laborer", "status"], name="task_laborer_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.laborer_id}"


class FollowUp(BaseModel):
    """One contact attempt with a laborer (寻访记录): by phone, WeChat or a visit, with its outcome.
    `failed_streak` is the number of consecutive failed attempts ending with this one (0 when reached)."""

    laborer = models.ForeignKey(
        "registry.Laborer",
        verbose_name="人员",
        on_delete=models.CASCADE,
        related_name="followups",
        db_index=False,  # covered by followup_laborer_idx
    )
    region = _home_region()
    contacted_on = models.DateField("联系日期")
    method = models.CharField("方式", max_length=8, choices=c.ContactMethod.choices)
    outcome = models.CharField("结果", max_length=12, choices=c.ContactOutcome.choices)
    note = models.CharField("情况说明", max_length=500, blank=True)
    task = models.ForeignKey(
        FollowUpTask,
        verbose_name="对应任务",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="followups",
    )
    failed_streak = models.PositiveSmallIntegerField("连续未联系上次数", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="寻访人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "寻访记录"
        verbose_name_plural = "寻访记录"
        ordering = ["-contacted_on", "-id"]
        indexes = [
            models.Index(fields=["laborer", "-contacted_on", "-id"], name="followup_laborer_idx"),
            models.Index(fields=["region", "-contacted_on"], name="followup_region_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.contacted_on:%Y-%m-%d} {self.get_outcome_display()}"


class DestinationNotice(BaseModel):
    """去向通报: a laborer of one county started work in another; the input side (the work county, or the
    enterprise's own users) confirms arrival. One notice per employment record."""

    record = models.OneToOneField(
        "employment.EmploymentRecord",
        verbose_name="就业记录",
        on_delete=models.CASCADE,
        related_name="destination_notice",
    )
    laborer = models.ForeignKey("registry.Laborer", verbose_name="人员", on_delete=models.CASCADE, related_name="+")
    region = _home_region()
    work_region = models.ForeignKey(
        "regions.Region",
        verbose_name="务工所在县",
        on_delete=models.PROTECT,
        db_column="work_region_code",
        related_name="+",
        db_index=False,  # covered by notice_work_region_idx
    )
    status = models.CharField("状态", max_length=12, choices=c.NoticeStatus.choices, default=c.NoticeStatus.SENT)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "去向通报"
        verbose_name_plural = "去向通报"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["region", "status"], name="notice_region_idx"),
            models.Index(fields=["work_region", "status"], name="notice_work_region_idx"),
        ]

    def __str__(self) -> str:
        return f"去向通报 {self.record_id}"
