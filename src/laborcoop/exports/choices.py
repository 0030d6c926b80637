"""What can be exported, and in which formats."""

from django.db import models


class ExportKind(models.TextChoices):
    LABORERS = "laborers", "人员"
    HOUSEHOLDS = "households", "家庭"
    ENTERPRISES = "enterprises", "企业"
    JOBS = "jobs", "岗位"
    EMPLOYMENT = "employment", "就业记录"  # output side: records of the user's own people (home region)
    EMPLOYMENT_INPUT = "employment_input", "在本地务工的外地人员"  # input side: people working in the region
    LEDGER_LABOR = "ledger_labor", "劳动力资源登记台账"
    LEDGER_TRANSFER = "ledger_transfer", "转移就业人员台账"
    LEDGER_ENTERPRISE = "ledger_enterprise", "企业用工台账"
    # Lists of apps above exports, registered in their ready() (exports.sources): masked, never unmasked.
    WARNINGS = "warnings", "预警"
    UNREACHABLE = "unreachable", "无法联系人员"
    LINKAGE_FEEDBACK = "linkage_feedback", "数据比对反馈名单"


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", "Excel（.xlsx）"
    CSV = "csv", "CSV（.csv）"


LIST_KINDS = frozenset(
    {
        ExportKind.LABORERS,
        ExportKind.HOUSEHOLDS,
        ExportKind.ENTERPRISES,
        ExportKind.JOBS,
        ExportKind.EMPLOYMENT,
        ExportKind.EMPLOYMENT_INPUT,
    }
)
LEDGER_KINDS = frozenset({ExportKind.LEDGER_LABOR, ExportKind.LEDGER_TRANSFER, ExportKind.LEDGER_ENTERPRISE})
# Kinds whose rows carry ID or phone numbers: only these offer (and accept) an unmasked export.
# EMPLOYMENT_INPUT is not one of them: the input side only ever sees a masked identity.
PERSONAL_KINDS = frozenset(
    {
        ExportKind.LABORERS,
        ExportKind.HOUSEHOLDS,
        ExportKind.ENTERPRISES,
        ExportKind.EMPLOYMENT,
        ExportKind.LEDGER_LABOR,
        ExportKind.LEDGER_TRANSFER,
        ExportKind.LINKAGE_FEEDBACK,
    }
)
# Kinds written as Excel only (ledgers, the two-sheet comparison feedback).
XLSX_ONLY_KINDS = LEDGER_KINDS | {ExportKind.LINKAGE_FEEDBACK}


# Kinds whose identity columns are masked at the source (the selector never reads the clear values).
MASKED_ONLY_KINDS = frozenset({ExportKind.EMPLOYMENT_INPUT})


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "排队中"  # created, waiting for a worker to pick the task up
    RUNNING = "running", "正在生成"  # a worker is writing the file; progress and rows_written advance
    SUCCEEDED = "succeeded", "已完成"  # the file is ready (or, for a direct export, was sent in the response)
    FAILED = "failed", "失败"  # stopped; `error` says why (never with personal data)
