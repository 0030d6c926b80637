from django.urls import path

from laborcoop.exports import views

app_name = "exports"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/<str:kind>/", views.start, name="start"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/download/", views.job_download, name="job_download"),
]
