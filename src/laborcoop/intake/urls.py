from django.urls import path

from laborcoop.intake import views

app_name = "intake"
urlpatterns = [
    path("", views.index, name="index"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/report/", views.job_report, name="job_report"),
    path("templates/<str:kind>/", views.template, name="template"),
]
