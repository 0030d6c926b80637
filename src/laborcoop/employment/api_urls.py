"""/api/v1/ routes of the employment app (included by laborcoop.api.urls, namespace "api")."""

from django.urls import path

from laborcoop.employment import apis

urlpatterns = [
    path("employment-records/", apis.EmploymentRecordListView.as_view(), name="employment_record_list"),
    path("employment-records/input/", apis.InputRecordListView.as_view(), name="employment_record_input_list"),
    path(
        "laborers/<int:pk>/employment-records/",
        apis.LaborerRecordListView.as_view(),
        name="laborer_employment_records",
    ),
]
