"""/api/v1/ routes of the intake app (included by laborcoop.api.urls, namespace "api")."""

from django.urls import path

from laborcoop.intake import apis

urlpatterns = [
    path("imports/", apis.ImportListView.as_view(), name="import_list"),
    path("imports/templates/<str:kind>/", apis.ImportTemplateView.as_view(), name="import_template"),
    path("imports/<int:pk>/", apis.ImportDetailView.as_view(), name="import_detail"),
    path("imports/<int:pk>/retry/", apis.ImportRetryView.as_view(), name="import_retry"),
    path("imports/<int:pk>/report/", apis.ImportReportView.as_view(), name="import_report"),
]
