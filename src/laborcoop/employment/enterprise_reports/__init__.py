"""Enterprise reports (企业报送) of hires, monthly wages, insurance enrollment and leavings: see services.py."""

from laborcoop.employment.enterprise_reports.identify import PERSON_NOT_FOUND, identify_laborer
from laborcoop.employment.enterprise_reports.items import (
    Action,
    HireReport,
    InsuranceReport,
    LeaveReport,
    Report,
    ReportKind,
    ReportResult,
    WageReport,
)
from laborcoop.employment.enterprise_reports.services import (
    INSURANCE_TYPES_REQUIRED,
    NO_RECORD_HERE,
    REPORTER_NOT_ENTERPRISE,
    enterprise_report_apply,
    enterprise_report_submit,
    enterprise_reports_submit,
    reporting_enterprise,
)

__all__ = [
    "INSURANCE_TYPES_REQUIRED",
    "NO_RECORD_HERE",
    "PERSON_NOT_FOUND",
    "REPORTER_NOT_ENTERPRISE",
    "Action",
    "HireReport",
    "InsuranceReport",
    "LeaveReport",
    "Report",
    "ReportKind",
    "ReportResult",
    "WageReport",
    "enterprise_report_apply",
    "enterprise_report_submit",
    "enterprise_reports_submit",
    "identify_laborer",
    "reporting_enterprise",
]
