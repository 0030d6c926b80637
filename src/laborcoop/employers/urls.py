from django.urls import path

from laborcoop.employers import views
from laborcoop.employers.choices import JobStatus

app_name = "employers"
urlpatterns = [
    path("enterprises/", views.enterprise_list_view, name="enterprise_list"),
    path("enterprises/new/", views.enterprise_create, name="enterprise_create"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path("enterprises/<int:pk>/edit/", views.enterprise_edit, name="enterprise_edit"),
    path("enterprises/<int:pk>/jobs/new/", views.job_create, name="job_create"),
    path("market/", views.market_list_view, name="market_list"),
    path("market/<int:pk>/", views.market_detail, name="market_detail"),
    path("jobs/", views.job_list_view, name="job_list"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/edit/", views.job_edit, name="job_edit"),
    path("jobs/<int:pk>/status/", views.job_status, name="job_status"),
    path("jobs/<int:pk>/close/", views.job_status, {"status": JobStatus.CLOSED}, name="job_close"),
]
