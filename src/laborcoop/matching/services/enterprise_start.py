"""An enterprise reports that a candidate it hired (录用) started work (已上岗), from the candidate's page: no ID
number to type. The employment record is the enterprise's hire report (employment.enterprise_reports: source
企业报送, the enterprise's rules and audit), created in the same transaction as the move to 已上岗, so the
recommendation names its record and nothing is half-saved when either is refused."""

from datetime import date
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone

from laborcoop.accounts.access import is_enterprise_user
from laborcoop.core.errors import PermissionDeniedError
from laborcoop.employment.enterprise_reports import HireReport, reporting_enterprise
from laborcoop.employment.enterprise_reports.records import enterprise_hire_record
from laborcoop.employment.models import WAGE_MAX, WAGE_MIN, EmploymentRecord
from laborcoop.matching.access import access_recommendation
from laborcoop.matching.choices import RecState, RecVia
from laborcoop.matching.models import Recommendation
from laborcoop.matching.services.transitions import _apply, hire_channel

ERR_NOT_HIRED = "只有已录用的人员才能报送上岗。"
ERR_START_REQUIRED = "请填写上岗日期。"
START_REASON = "企业报送上岗（推荐录用）"


def recommendation_start_by_enterprise(
    *,
    acting_user: Any,
    recommendation: Recommendation,
    expected_version: int,
    start_date: date | None,
    monthly_wage: int | None = None,
) -> Recommendation:
    """Move a 录用 candidate of the user's own job to 已上岗 and create the employment record at the enterprise.
    Raises PermissionDeniedError (not an enterprise user), ObjectNotFound (another enterprise's candidate),
    ValidationError with field messages (nothing saved)."""
    enterprise = reporting_enterprise(acting_user)
    if not is_enterprise_user(acting_user):
        raise PermissionDeniedError()
    rec = access_recommendation(user=acting_user, recommendation_id=recommendation.pk, edit=True)
    if rec.state != RecState.HIRED:
        raise ValidationError(ERR_NOT_HIRED)
    if start_date is None:
        raise ValidationError({"hire_date": [ERR_START_REQUIRED]})
    job = rec.job
    wage = monthly_wage if monthly_wage is not None else job.wage_min
    report = HireReport(
        id_number="",
        name="",
        start_date=start_date,
        work_county=job.work_region_id[:6],
        job_id=job.pk,
        monthly_wage=wage if wage is not None and WAGE_MIN <= wage <= WAGE_MAX else None,
        channel=hire_channel(
            home_code=rec.laborer.region_id,
            work_code=job.work_region_id,
            assist_workshop=enterprise.is_assist_workshop,
        ),
    )

    def start_record(locked: Recommendation) -> EmploymentRecord:
        record, _action, issues = enterprise_hire_record(
            acting_user=acting_user,
            enterprise=enterprise,
            laborer=locked.laborer,
            report=report,
            today=timezone.localdate(),
        )
        if issues.has_errors:
            errors: dict[str, list[str]] = {}
            for name, messages in issues.errors.items():
                errors.setdefault("hire_date" if name == "start_date" else NON_FIELD_ERRORS, []).extend(messages)
            raise ValidationError(errors)
        return record

    return _apply(
        actor=acting_user,
        via=RecVia.ENTERPRISE,
        rec=rec,
        to_state=RecState.STARTED,
        expected_version=expected_version,
        hire_date=start_date,
        note=START_REASON,
        start_record=start_record,
    )
