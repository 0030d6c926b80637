"""/api/v1/ routes of the employment app (included by laborcoop.api.urls, namespace "api")."""

from django.urls import path

from laborcoop.employment.enterprise_reports import apis as report_apis
from laborcoop.employment.lines import apis as lines_apis
from laborcoop.employment.records import apis

urlpatterns = [
    path("employment-records/", apis.EmploymentRecordListView.as_view(), name="employment_record_list"),
    path("employment-records/input/", apis.InputRecordListView.as_view(), name="employment_record_input_list"),
    path(
        "laborers/<int:pk>/employment-records/",
        apis.LaborerRecordListView.as_view(),
        name="laborer_employment_records",
    ),
    # Wage and insurance lines of a record; enterprise reports (hires, wages, insurance, leavings).
    path("employment-records/<int:pk>/wages/", lines_apis.RecordWagesView.as_view(), name="record_wages"),
    path("employment-records/<int:pk>/insurance/", lines_apis.RecordInsuranceView.as_view(), name="record_insurance"),
    path("enterprise-reports/hires/", report_apis.HireReportView.as_view(), name="enterprise_report_hires"),
    path("enterprise-reports/wages/", report_apis.WageReportView.as_view(), name="enterprise_report_wages"),
    path(
        "enterprise-reports/insurance/", report_apis.InsuranceReportView.as_view(), name="enterprise_report_insurance"
    ),
    path("enterprise-reports/leavings/", report_apis.LeaveReportView.as_view(), name="enterprise_report_leavings"),
]
