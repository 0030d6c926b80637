"""/api/v1/ routes of the employers app: enterprises and jobs (included by laborcoop.api.urls, namespace
"api")."""

from django.urls import URLPattern, URLResolver, path

from laborcoop.employers import apis

urlpatterns: list[URLPattern | URLResolver] = [
    path("enterprises/", apis.EnterpriseListView.as_view(), name="enterprise_list"),
    path("enterprises/<int:pk>/", apis.EnterpriseDetailView.as_view(), name="enterprise_detail"),
    path("job-market/", apis.JobMarketListView.as_view(), name="job_market_list"),
    path("job-market/<int:pk>/", apis.JobMarketDetailView.as_view(), name="job_market_detail"),
    path("jobs/", apis.JobListView.as_view(), name="job_list"),
    path("jobs/<int:pk>/", apis.JobDetailView.as_view(), name="job_detail"),
    path("jobs/<int:pk>/status/", apis.JobStatusView.as_view(), name="job_status"),
]
