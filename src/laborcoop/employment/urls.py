from django.urls import URLPattern, path  # noqa: F401

app_name = "employment"
urlpatterns: list[URLPattern] = []
