"""What can be exported, and in which formats."""

from django.db import models


class ExportKind(models.TextChoices):
    LABORERS = "laborers", "人员"
    HOUSEHOLDS = "households", "家庭"
    ENTERPRISES = "enterprises", "企业"
    JOBS = "jobs", "岗位"
    LEDGER_LABOR = "ledger_labor", "劳动力资源登记台账"
    LEDGER_TRANSFER = "ledger_transfer", "转移就业人员台账"
    LEDGER_ENTERPRISE = "ledger_enterprise", "企业用工台账"


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", "Excel（.xlsx）"
    CSV = "csv", "CSV（.csv）"


LIST_KINDS = frozenset({ExportKind.LABORERS, ExportKind.HOUSEHOLDS, ExportKind.ENTERPRISES, ExportKind.JOBS})
LEDGER_KINDS = frozenset({ExportKind.LEDGER_LABOR, ExportKind.LEDGER_TRANSFER, ExportKind.LEDGER_ENTERPRISE})
# Kinds whose rows carry ID or phone numbers: only these offer (and accept) an unmasked export.
PERSONAL_KINDS = frozenset(
    {
        ExportKind.LABORERS,
        ExportKind.HOUSEHOLDS,
        ExportKind.ENTERPRISES,
        ExportKind.LEDGER_LABOR,
        ExportKind.LEDGER_TRANSFER,
    }
)


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "排队中"  # created, waiting for a worker to pick the task up
    RUNNING = "running", "正在生成"  # a worker is writing the file; progress and rows_written advance
    SUCCEEDED = "succeeded", "已完成"  # the file is ready (or, for a direct export, was sent in the response)
    FAILED = "failed", "失败"  # stopped; `error` says why (never with personal data)
