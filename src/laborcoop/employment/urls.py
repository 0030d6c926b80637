"""Pages of the employment app under /employment/ (namespace "employment"): records (employment.records.views),
wage and insurance lines (employment.lines.views), enterprise reports (employment.enterprise_reports.views).

The derived-status pages (/employment/states/) and the tracking settings (/employment/settings/) keep their
addresses but are tracking's (tracking.urls, namespace "tracking")."""

from django.urls import path

from laborcoop.employment.enterprise_reports import views as report_views
from laborcoop.employment.lines import views as lines_views
from laborcoop.employment.records import views

app_name = "employment"
urlpatterns = [
    path("", views.record_list_view, name="record_list"),
    path("input/", views.input_list_view, name="input_list"),
    path("laborers/<int:laborer_pk>/new/", views.record_create, name="record_create"),
    path("records/<int:pk>/edit/", views.record_edit, name="record_edit"),
    path("records/<int:pk>/end/", views.record_end, name="record_end"),
    # Wage and insurance lines (employment.lines.views) and enterprise reports (employment.enterprise_reports.views).
    path("records/<int:pk>/lines/", lines_views.record_lines, name="record_lines"),
    path("records/<int:pk>/lines/wage/", lines_views.record_wage_save, name="record_wage_save"),
    path("records/<int:pk>/lines/insurance/", lines_views.record_insurance_save, name="record_insurance_save"),
    path("lines/wages/<int:pk>/delete/", lines_views.wage_delete, name="wage_delete"),
    path("lines/insurance/<int:pk>/delete/", lines_views.insurance_delete, name="insurance_delete"),
    path("enterprise/payroll/", lines_views.enterprise_payroll, name="enterprise_payroll"),
    path("enterprise/report/", report_views.enterprise_report, name="enterprise_report"),
    path("enterprise/staff/", report_views.enterprise_staff, name="enterprise_staff"),
    path("enterprise/staff/<int:pk>/leave/", report_views.enterprise_staff_leave_view, name="enterprise_staff_leave"),
]
