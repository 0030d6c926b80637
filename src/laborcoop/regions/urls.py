"""Page-side routes of the regions app: the picker's lookup."""

from django.urls import URLPattern, path

from laborcoop.regions import views

app_name = "regions"

urlpatterns: list[URLPattern] = [
    path("lookup/", views.lookup, name="lookup"),
]
