from django.urls import path

from laborcoop.core.job_views import job_retry_view
from laborcoop.intake import views
from laborcoop.intake.jobs import import_retry

app_name = "intake"
urlpatterns = [
    path("", views.index, name="index"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path(
        "jobs/<int:pk>/retry/",
        job_retry_view(retry=import_retry, id_arg="job_id", detail_url="intake:job_detail"),
        name="job_retry",
    ),
    path("jobs/<int:pk>/report/", views.job_report, name="job_report"),
    path("templates/<str:kind>/", views.template, name="template"),
]
