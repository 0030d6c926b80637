"""ENT_REPORT import: an enterprise's report sheet (企业报送表), one report per row (入职、工资、参保、离职).

Only an enterprise user bound to an enterprise uploads it, about its own workers. Each row is parsed into a
report item and handed to the enterprise report service (employment.enterprise_reports), the same one the
form page and the API use, inside its own savepoint: a row is written whole or rejected with the service's
Chinese reason in the report, and its warnings are kept (the upload is the confirmation). Reports are
idempotent, so re-importing the same file changes nothing (every row counts as unchanged). Rows are handled
in file order, so a hire and that worker's first wage can come in one file.
"""

import logging
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from laborcoop.core.text import clean_text, map_choice
from laborcoop.employment import choices as ec
from laborcoop.employment.enterprise_reports import (
    Action,
    HireReport,
    InsuranceReport,
    LeaveReport,
    Report,
    ReportKind,
    WageReport,
    enterprise_report_apply,
    reporting_enterprise,
)
from laborcoop.employment.lines import states_refresh_deferred
from laborcoop.employment.lines.rules import INSURANCE_TYPE_UNKNOWN, insurance_type_code
from laborcoop.intake import normalize
from laborcoop.intake.columns import ENT_REPORT_COLUMNS, ImportKind
from laborcoop.intake.services.common import (
    CODE_NOT_IN_LIST,
    SAVE_FAILED,
    ChunkOutcome,
    Importer,
    ParsedRow,
    Row,
    RowReporter,
)

logger = logging.getLogger(__name__)

REPORT_KIND_INVALID = "报送类型“{value}”应为入职、工资、参保或离职"
REPORT_KIND_REQUIRED = "请填写报送类型（入职、工资、参保或离职）"
UNREADABLE = "{label}“{value}”无法识别"
NOT_A_NUMBER = "{label}“{value}”应为整数"
UNREADABLE_IGNORED = "{label}“{value}”无法识别，未导入"

_LABEL = {column.key: column.label for column in ENT_REPORT_COLUMNS}
_KIND_WORDS = {
    ReportKind.HIRE: ("入职", "新入职", "招用", "录用", "到岗"),
    ReportKind.WAGE: ("工资", "工资发放", "发放工资", "薪酬"),
    ReportKind.INSURANCE: ("参保", "社保", "参保缴费", "社保缴费", "缴费"),
    ReportKind.LEAVE: ("离职", "离岗", "解除", "解除合同", "辞职", "离开"),
}
_KIND_OF = {word: kind for kind, words in _KIND_WORDS.items() for word in (*words, kind.value)}


class EnterpriseReportsImporter(Importer):
    kind = ImportKind.ENT_REPORT

    def __init__(self, *, job: Any, user: Any, mapping: Any, headers: list[str]) -> None:
        super().__init__(job=job, user=user, mapping=mapping, headers=headers)
        self.reporter = RowReporter(job=job, columns=ENT_REPORT_COLUMNS, mapping=mapping, headers=headers)
        self.enterprise = reporting_enterprise(user)
        self.today = timezone.localdate()

    # --- parsing one row --------------------------------------------------------------------------------

    def _text(self, cells: list[str], key: str) -> str:
        return clean_text(self.reporter.cell(cells, key))

    def _date(self, p: ParsedRow, key: str, *, month: bool = False) -> date | None:
        text = self._text(p.cells, key)
        if not text:
            return None
        value = normalize.parse_month(text) if month else normalize.parse_date(text)
        if value is None:
            p.error(key, UNREADABLE.format(label=_LABEL[key], value=text))
        return value

    def _int(self, p: ParsedRow, key: str) -> int | None:
        text = self._text(p.cells, key)
        if not text:
            return None
        value = normalize.parse_int(text)
        if value is None:
            p.error(key, NOT_A_NUMBER.format(label=_LABEL[key], value=text))
        return value

    def _insurance_types(self, p: ParsedRow) -> tuple[str, ...]:
        codes = []
        for item in normalize.split_multi(self._text(p.cells, "insurance_types")):
            code = insurance_type_code(item)
            if code is None:
                p.error("insurance_types", INSURANCE_TYPE_UNKNOWN.format(value=item))
            else:
                codes.append(code)
        return tuple(dict.fromkeys(codes))

    def _choice(self, p: ParsedRow, key: str, choices: Any) -> str:
        text = self._text(p.cells, key)
        if not text:
            return ""
        code = map_choice(text, choices)
        if code is None:
            p.error(key, CODE_NOT_IN_LIST.format(label=_LABEL[key], value=text))
            return ""
        return code

    def _flag(self, p: ParsedRow, key: str) -> bool | None:
        text = self._text(p.cells, key)
        flag = normalize.parse_bool(text) if text else None
        if text and flag is None:
            p.warn(key, UNREADABLE_IGNORED.format(label=_LABEL[key], value=text))
        return flag

    def parse(self, p: ParsedRow) -> Report | None:
        kind_text = self._text(p.cells, "report_kind")
        kind = _KIND_OF.get(kind_text.replace(" ", ""))
        if kind is None:
            message = REPORT_KIND_INVALID.format(value=kind_text) if kind_text else REPORT_KIND_REQUIRED
            p.error("report_kind", message)
            return None
        id_number, name = self.reporter.cell(p.cells, "id_number"), self._text(p.cells, "name")
        if kind == ReportKind.HIRE:
            return HireReport(
                id_number=id_number,
                name=name,
                start_date=self._date(p, "start_date"),
                work_county=self._text(p.cells, "work_county"),
                monthly_wage=self._int(p, "monthly_wage"),
                contract_signed=self._flag(p, "contract_signed"),
                insurance_types=self._insurance_types(p),
                channel=self._choice(p, "channel", ec.Channel),
            )
        if kind == ReportKind.WAGE:
            return WageReport(
                id_number=id_number,
                name=name,
                month=self._date(p, "month", month=True),
                amount=self._int(p, "amount"),
                paid_on=self._date(p, "paid_on"),
                insurance_types=self._insurance_types(p),
            )
        if kind == ReportKind.INSURANCE:
            return InsuranceReport(
                id_number=id_number,
                name=name,
                month=self._date(p, "month", month=True),
                insurance_types=self._insurance_types(p),
            )
        return LeaveReport(
            id_number=id_number,
            name=name,
            end_date=self._date(p, "end_date"),
            end_reason=self._choice(p, "end_reason", ec.EndReason),
        )

    # --- a chunk ----------------------------------------------------------------------------------------

    def _column(self, field: str) -> str:
        return field if field in _LABEL else ""

    def process_chunk(self, rows: list[Row], *, per_row: bool) -> ChunkOutcome:
        outcome = ChunkOutcome()
        with states_refresh_deferred():  # one refresh of the derived status per chunk, not per row
            for row, cells in rows:
                self._process_row(row, cells, outcome)
        return outcome

    def _process_row(self, row: int, cells: list[str], outcome: ChunkOutcome) -> None:
        """Parse one row, apply it in its own savepoint, count it and keep its issues."""
        p = ParsedRow(row=row, cells=cells)
        report = self.parse(p)
        action = None
        if report is not None and not p.rejected:
            try:
                with transaction.atomic():
                    result = enterprise_report_apply(
                        acting_user=self.user, enterprise=self.enterprise, report=report, today=self.today
                    )
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    for message in messages:
                        p.error(self._column(field), message)
            except DatabaseError as exc:
                logger.warning("import job %s row %s not saved: %s", self.job.pk, row, type(exc).__name__)
                p.error("", SAVE_FAILED)
            else:
                action = result.action
                for field, messages in result.warnings.items():
                    for message in messages:
                        p.warn(self._column(field), message)
        if p.rejected:
            outcome.rejected += 1
        elif action == Action.CREATED:
            outcome.created += 1
        elif action == Action.UPDATED:
            outcome.updated += 1
        else:
            outcome.unchanged += 1
        if not p.rejected and p.has_warnings:
            outcome.warned += 1
        if p.issues:
            outcome.issues.extend(self.reporter.issues(p.row, p.cells, p.issues))
