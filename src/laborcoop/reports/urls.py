from django.urls import path

from laborcoop.reports import views

app_name = "reports"
urlpatterns = [path("", views.home, name="home")]
