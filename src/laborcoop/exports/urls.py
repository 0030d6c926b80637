from django.urls import path

from laborcoop.core.job_views import job_retry_view
from laborcoop.exports import views
from laborcoop.exports.jobs import export_retry

app_name = "exports"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/<str:kind>/", views.start, name="start"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path(
        "jobs/<int:pk>/retry/",
        job_retry_view(retry=export_retry, id_arg="job_id", detail_url="exports:job_detail"),
        name="job_retry",
    ),
    path("jobs/<int:pk>/download/", views.job_download, name="job_download"),
]
